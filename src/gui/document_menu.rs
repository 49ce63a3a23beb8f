//! The Document menu (in the menu bar for the open document, and on a document's right click): rename, change
//! kind, add to a case or a set, and remove with a confirmation that says what goes with the document.

use egui::{Key, RichText, Ui};

use crate::gui::commands::{CaseChange, CaseRef, Command, DocumentChange};
use crate::gui::{strings as s, theme};
use crate::ids::DocumentId;
use crate::model::{Document, DocumentKind, Project};
use crate::ops;

/// The items of the Document menu for one document.
pub fn document_menu_ui(
    ui: &mut Ui,
    project: &Project,
    doc: &Document,
    commands: &mut Vec<Command>,
) {
    ui.label(RichText::new(&doc.name).strong());
    ui.separator();
    ui.menu_button(s::RENAME_DOCUMENT, |ui| {
        let id = ui.make_persistent_id(("rename-document", doc.id));
        if let Some(name) = name_field(ui, id, s::DOCUMENT_NAME.get(), &doc.name)
            && name != doc.name
        {
            commands.push(Command::Document(DocumentChange::Rename {
                document: doc.id,
                name,
            }));
            ui.close();
        }
    });
    ui.menu_button(s::CHANGE_KIND, |ui| {
        for kind in DocumentKind::ALL {
            if ui.radio(doc.kind == kind, s::kind_name(kind)).clicked() {
                if doc.kind != kind {
                    commands.push(Command::Document(DocumentChange::SetKind {
                        document: doc.id,
                        kind,
                    }));
                }
                ui.close();
            }
        }
    });
    ui.menu_button(s::DOCUMENT_LANGUAGE, |ui| {
        crate::gui::language::document_menu_ui(ui, project, doc, commands);
    });
    ui.menu_button(s::ADD_TO_CASE, |ui| {
        case_items_ui(ui, project, doc, commands)
    });
    ui.menu_button(s::ADD_TO_SET, |ui| set_items_ui(ui, project, doc, commands));
    ui.separator();
    if ui.button(s::REMOVE_DOCUMENT).clicked() {
        commands.push(Command::Document(DocumentChange::AskRemove(doc.id)));
        ui.close();
    }
}

/// The cases to add the document to (those it is in are checked and disabled), then a field for a new one.
fn case_items_ui(ui: &mut Ui, project: &Project, doc: &Document, commands: &mut Vec<Command>) {
    let mut cases: Vec<_> = project.cases().values().collect();
    cases.sort_by(|a, b| crate::collate::compare(&a.name, &b.name));
    egui::ScrollArea::vertical()
        .max_height(320.0)
        .show(ui, |ui| {
            for case in cases {
                let member = case.documents.contains(&doc.id);
                let label = if member {
                    format!("✓ {}", case.name)
                } else {
                    case.name.clone()
                };
                if ui.add_enabled(!member, egui::Button::new(label)).clicked() {
                    commands.push(Command::Case(CaseChange::Assign {
                        case: CaseRef::Existing(case.id),
                        documents: vec![doc.id],
                    }));
                    ui.close();
                }
            }
        });
    ui.separator();
    let id = ui.make_persistent_id(("new-case-for", doc.id));
    if let Some(name) = name_field(ui, id, s::NEW_CASE_NAME.get(), "") {
        commands.push(Command::Case(CaseChange::Assign {
            case: CaseRef::Named(name),
            documents: vec![doc.id],
        }));
        ui.close();
    }
}

/// The sets to add the document to (those it is in are checked and disabled), then a field for a new one.
fn set_items_ui(ui: &mut Ui, project: &Project, doc: &Document, commands: &mut Vec<Command>) {
    let mut sets: Vec<_> = project.sets().values().collect();
    sets.sort_by(|a, b| crate::collate::compare(&a.name, &b.name));
    let mut add = |name: String| {
        commands.push(Command::Document(DocumentChange::AddToSet {
            name,
            documents: vec![doc.id],
        }));
    };
    egui::ScrollArea::vertical()
        .max_height(320.0)
        .show(ui, |ui| {
            for set in sets {
                let member = set.documents.contains(&doc.id);
                let label = if member {
                    format!("✓ {}", set.name)
                } else {
                    set.name.clone()
                };
                if ui.add_enabled(!member, egui::Button::new(label)).clicked() {
                    add(set.name.clone());
                    ui.close();
                }
            }
        });
    ui.separator();
    let id = ui.make_persistent_id(("new-set-for", doc.id));
    if let Some(name) = name_field(ui, id, s::NEW_SET_NAME.get(), "") {
        add(name);
        ui.close();
    }
}

/// A labelled name field inside a menu (its draft kept in egui's memory under `id`, starting as `initial`);
/// returns the trimmed name when Enter is pressed in it and it is not empty.
fn name_field(ui: &mut Ui, id: egui::Id, label: &str, initial: &str) -> Option<String> {
    let mut draft = ui
        .data(|d| d.get_temp::<String>(id))
        .unwrap_or_else(|| initial.to_string());
    let mut done = None;
    ui.horizontal(|ui| {
        let label = ui.label(label);
        let response = ui
            .add(egui::TextEdit::singleline(&mut draft).desired_width(200.0))
            .labelled_by(label.id);
        let enter = response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
        if (ui.button(s::OK).clicked() || enter) && !draft.trim().is_empty() {
            done = Some(draft.trim().to_string());
        }
    });
    if done.is_some() {
        ui.data_mut(|d| d.remove::<String>(id));
    } else {
        ui.data_mut(|d| d.insert_temp(id, draft));
    }
    done
}

/// The confirmation before removing a document: how many codings and memos go with it; Enter removes, Escape
/// or Cancel keeps it.
pub fn confirm_remove_ui(
    ctx: &egui::Context,
    project: &Project,
    pending: &mut Option<DocumentId>,
    commands: &mut Vec<Command>,
) {
    let Some(id) = *pending else { return };
    let Some(doc) = project.documents().get(&id) else {
        *pending = None;
        return;
    };
    let (codings, memos) = ops::removal_counts(project, id);
    let modal = egui::Modal::new(egui::Id::unique("confirm-remove-document")).show(ctx, |ui| {
        ui.set_max_width(420.0);
        ui.heading(s::REMOVE_DOCUMENT_TITLE);
        ui.add_space(6.0);
        ui.label(s::remove_document_question(&doc.name, codings, memos));
        ui.add_space(10.0);
        let mut close = false;
        ui.horizontal(|ui| {
            let remove = ui.button(
                RichText::new(s::REMOVE_CONFIRM).color(theme::error_colour(ui.visuals().dark_mode)),
            );
            if remove.clicked() || ui.input(|i| i.key_pressed(Key::Enter)) {
                commands.push(Command::Document(DocumentChange::Remove(id)));
                close = true;
            }
            if ui.button(s::CANCEL).clicked() {
                close = true;
            }
        });
        close
    });
    if modal.inner || modal.should_close() {
        *pending = None;
    }
}
