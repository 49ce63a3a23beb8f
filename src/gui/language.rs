//! Languages in the workbench: a document's language (shown on its row, changed from its context menu) and the
//! new-project window that asks for the project's language.

use std::path::PathBuf;

use egui::RichText;

use crate::gui::commands::Command;
use crate::gui::{strings as s, theme};
use crate::model::{Document, Language, Project};

/// A document's language as its row shows it: `nn`, or `nb*` when it follows the project's language.
pub fn short_label(project: &Project, document: &Document) -> String {
    let code = project.document_language(document).code();
    if document.language.is_some() {
        code.to_string()
    } else {
        format!("{code}*")
    }
}

/// The language entries of a document's context menu: each language, and "follow the project".
pub fn document_menu_ui(
    ui: &mut egui::Ui,
    project: &Project,
    document: &Document,
    commands: &mut Vec<Command>,
) {
    ui.label(RichText::new(s::DOCUMENT_LANGUAGE).strong());
    for language in Language::ALL {
        let chosen = document.language == Some(language);
        if ui.radio(chosen, s::language_name(language)).clicked() {
            if !chosen {
                commands.push(Command::SetDocumentLanguage {
                    document: document.id,
                    language: Some(language),
                });
            }
            ui.close();
        }
    }
    let follows = document.language.is_none();
    let project_language = s::language_name(project.meta().language);
    if ui
        .radio(follows, s::follow_project_language(project_language))
        .clicked()
    {
        if !follows {
            commands.push(Command::SetDocumentLanguage {
                document: document.id,
                language: None,
            });
        }
        ui.close();
    }
}

/// The new-project window: where (already chosen) and the project's language.
#[derive(Clone, Debug)]
pub struct NewProjectDialog {
    /// The folder the project will be created in.
    pub root: PathBuf,
    /// The language chosen for the project's texts.
    pub language: Language,
}

impl NewProjectDialog {
    /// A dialog for a project at `root`, bokmål preselected.
    pub fn new(root: PathBuf) -> Self {
        Self {
            root,
            language: Language::Nb,
        }
    }
}

/// Draws the new-project window; returns false when it closes (created or cancelled).
pub fn new_project_ui(
    ctx: &egui::Context,
    dialog: &mut NewProjectDialog,
    commands: &mut Vec<Command>,
) -> bool {
    let mut open = true;
    let mut close = false;
    let shown = crate::gui::widgets::window(ctx, s::NEW_PROJECT_TITLE)
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, egui::vec2(0.0, 0.0))
        .show(ctx, |ui| {
            let dark = ui.visuals().dark_mode;
            ui.label(RichText::new(dialog.root.display().to_string()).color(theme::muted(dark)));
            ui.add_space(4.0);
            ui.label(s::PROJECT_LANGUAGE);
            for language in Language::ALL {
                ui.radio_value(&mut dialog.language, language, s::language_name(language));
            }
            ui.label(
                RichText::new(s::PROJECT_LANGUAGE_HINT)
                    .small()
                    .color(theme::muted(dark)),
            );
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                let create = ui.button(s::CREATE_PROJECT).clicked();
                let cancel = ui.button(s::CANCEL).clicked();
                // Enter confirms (unless it pressed Cancel, which has the focus).
                let enter = !cancel && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if create || enter {
                    commands.push(Command::CreateProjectIn {
                        root: dialog.root.clone(),
                        language: dialog.language,
                    });
                }
                close |= create || enter || cancel;
            });
        });
    crate::gui::widgets::escape_closes(ctx, shown.map(|r| r.response.layer_id), &mut open);
    open && !close
}
