//! Importing in the app: a task reads the files (progress in the status bar), then a summary of imported,
//! skipped and failed files with reasons, where the new documents can be assigned to a case.

use std::path::PathBuf;

use egui::RichText;

use crate::gui::commands::{CaseChange, CaseRef, Command, Finished};
use crate::gui::tasks::{Progress, Reporter};
use crate::gui::{strings as s, theme};
use crate::ids::CaseId;
use crate::import::{ImportOptions, ImportReport, import_files};
use crate::model::{Case, Project};

/// The task that reads `paths` against a snapshot of the project, reporting each file; its result is the
/// core importer's edit and report.
pub fn import_job(
    project: Project,
    paths: Vec<PathBuf>,
) -> impl FnOnce(&Reporter) -> Option<Command> + Send + 'static {
    move |reporter| {
        let (edit, report) = import_files(
            &project,
            &paths,
            &ImportOptions::default(),
            |done, total, path| {
                let file = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                reporter.progress(done, total, file);
            },
        );
        Some(Command::Finished(Finished::Imported { edit, report }))
    }
}

/// The summary window's state.
pub struct ImportSummary {
    pub report: ImportReport,
    case: Option<CaseId>,
    new_case: String,
}

impl ImportSummary {
    pub fn new(report: ImportReport) -> Self {
        Self {
            report,
            case: None,
            new_case: String::new(),
        }
    }
}

/// The progress bar while an import runs.
pub fn progress_ui(ui: &mut egui::Ui, progress: &Progress) {
    ui.add(
        egui::ProgressBar::new(progress.fraction())
            .desired_width(220.0)
            .text(s::import_progress(
                progress.done,
                progress.total,
                &progress.label,
            )),
    );
}

/// The summary window; returns false when it closes.
pub fn summary_ui(
    ctx: &egui::Context,
    project: &Project,
    summary: &mut ImportSummary,
    commands: &mut Vec<Command>,
) -> bool {
    let mut open = true;
    let mut close = false;
    let dark = ctx.global_style().visuals.dark_mode;
    egui::Window::new(s::IMPORT_SUMMARY)
        .open(&mut open)
        .collapsible(false)
        .default_width(520.0)
        .anchor(egui::Align2::CENTER_CENTER, egui::vec2(0.0, 0.0))
        .show(ctx, |ui| {
            let r = &summary.report;
            ui.label(
                RichText::new(s::import_counts(
                    r.imported.len(),
                    r.skipped.len(),
                    r.failed.len(),
                ))
                .strong(),
            );
            egui::ScrollArea::vertical()
                .max_height(300.0)
                .show(ui, |ui| {
                    if !r.imported.is_empty() {
                        ui.label(RichText::new(s::IMPORTED).heading());
                        for f in &r.imported {
                            ui.label(format!("✓ {} ({})", f.name, f.kind.keyword()));
                        }
                    }
                    for (title, list) in [(s::SKIPPED, &r.skipped), (s::FAILED, &r.failed)] {
                        if list.is_empty() {
                            continue;
                        }
                        ui.add_space(6.0);
                        ui.label(RichText::new(title).heading());
                        for p in list {
                            let name = p
                                .path
                                .file_name()
                                .map(|n| n.to_string_lossy().into_owned())
                                .unwrap_or_else(|| p.path.display().to_string());
                            ui.label(
                                RichText::new(format!("{name}: {}", p.reason))
                                    .color(theme::muted(dark)),
                            );
                        }
                    }
                });
            let imported: Vec<_> = r
                .imported
                .iter()
                .map(|f| f.document)
                .filter(|d| project.documents().contains_key(d))
                .collect();
            if !imported.is_empty() {
                ui.separator();
                ui.horizontal(|ui| {
                    let label = ui.label(s::ASSIGN_CASE);
                    let mut cases: Vec<&Case> = project.cases().values().collect();
                    cases.sort_by(|a, b| crate::collate::compare(&a.name, &b.name));
                    let chosen = summary
                        .case
                        .and_then(|c| project.cases().get(&c))
                        .map(|c| c.name.clone())
                        .unwrap_or_else(|| s::NONE.into());
                    egui::ComboBox::from_id_salt("import-case")
                        .selected_text(chosen)
                        .show_ui(ui, |ui| {
                            ui.selectable_value(&mut summary.case, None, s::NONE);
                            for case in cases {
                                ui.selectable_value(&mut summary.case, Some(case.id), &case.name);
                            }
                        })
                        .response
                        .labelled_by(label.id);
                });
                ui.horizontal(|ui| {
                    let label = ui.label(s::NEW_CASE);
                    ui.add(
                        egui::TextEdit::singleline(&mut summary.new_case)
                            .hint_text(s::NEW_CASE_HINT),
                    )
                    .labelled_by(label.id);
                });
                if ui.button(s::ASSIGN).clicked() {
                    // A typed name reuses the case with that name, or creates it.
                    let case = if !summary.new_case.trim().is_empty() {
                        Some(CaseRef::Named(summary.new_case.trim().to_string()))
                    } else {
                        summary.case.map(CaseRef::Existing)
                    };
                    if let Some(case) = case {
                        commands.push(Command::Case(CaseChange::Assign {
                            case,
                            documents: imported.clone(),
                        }));
                        close = true;
                    }
                }
            }
            ui.add_space(6.0);
            if ui.button(s::CLOSE).clicked() {
                close = true;
            }
        });
    open && !close
}
