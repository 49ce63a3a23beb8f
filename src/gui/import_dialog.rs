//! Importing: the import task (progress in the status bar) and the summary window that assigns a case.
//!
//! Importing in the app: a task reads the files (progress in the status bar), then a summary of imported,
//! skipped and failed files with reasons, where the new documents can be assigned to a case.

use std::path::PathBuf;

use egui::RichText;

use crate::gui::commands::{CaseChange, CaseRef, Command, Finished};
use crate::gui::tasks::{Progress, Reporter};
use crate::gui::widgets::choice_combo;
use crate::gui::{strings as s, theme};
use crate::ids::{CaseId, DocumentId};
use crate::import::{ImportOptions, ImportReport, import_files};
use crate::model::Project;

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
    let shown = crate::gui::widgets::window(ctx, s::IMPORT_SUMMARY)
        .open(&mut open)
        .collapsible(false)
        .default_width(520.0)
        .anchor(egui::Align2::CENTER_CENTER, egui::vec2(0.0, 0.0))
        .show(ctx, |ui| {
            report_ui(ui, &summary.report);
            let imported: Vec<DocumentId> = summary
                .report
                .imported
                .iter()
                .map(|f| f.document)
                .filter(|d| project.documents().contains_key(d))
                .collect();
            if !imported.is_empty() {
                ui.separator();
                close |= assign_ui(ui, project, summary, imported, commands);
            }
            ui.add_space(6.0);
            close |= ui.button(s::CLOSE).clicked();
        });
    crate::gui::widgets::escape_closes(ctx, shown.map(|r| r.response.layer_id), &mut open);
    open && !close
}

/// The counts, then the imported files, the skipped and the failed ones with their reasons.
fn report_ui(ui: &mut egui::Ui, r: &ImportReport) {
    let dark = ui.visuals().dark_mode;
    let counts = s::import_counts(r.imported.len(), r.skipped.len(), r.failed.len());
    ui.label(RichText::new(counts).strong());
    egui::ScrollArea::vertical()
        .max_height(300.0)
        .show(ui, |ui| {
            if !r.imported.is_empty() {
                ui.label(RichText::new(s::IMPORTED).heading());
                for f in &r.imported {
                    ui.label(s::imported_file_line(
                        &f.name,
                        s::kind_name(f.kind),
                        f.language.map(|l| l.code()),
                        f.turns,
                        &f.speakers,
                    ));
                    if let Some(warning) = &f.warning {
                        let line = RichText::new(format!("⚠ {warning}"));
                        ui.label(line.color(theme::error_colour(dark)));
                    }
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
                    let line = RichText::new(format!("{name}: {}", p.reason));
                    ui.label(line.color(theme::muted(dark)));
                }
            }
        });
}

/// A case for the new documents: chosen from the list, or typed (reused when a case has that name); returns
/// true when they were assigned.
fn assign_ui(
    ui: &mut egui::Ui,
    project: &Project,
    summary: &mut ImportSummary,
    documents: Vec<DocumentId>,
    commands: &mut Vec<Command>,
) -> bool {
    ui.horizontal(|ui| {
        let label = ui.label(s::ASSIGN_CASE).id;
        let cases = project.cases().values();
        let cases: Vec<(CaseId, &str)> = cases.map(|c| (c.id, c.name.as_str())).collect();
        choice_combo(
            ui,
            (label, "import-case", s::NONE.get()),
            cases,
            &mut summary.case,
        );
    });
    ui.horizontal(|ui| {
        let label = ui.label(s::NEW_CASE);
        ui.add(egui::TextEdit::singleline(&mut summary.new_case).hint_text(s::NEW_CASE_HINT))
            .labelled_by(label.id);
    });
    if !ui.button(s::ASSIGN).clicked() {
        return false;
    }
    let case = match summary.new_case.trim() {
        "" => summary.case.map(CaseRef::Existing),
        name => Some(CaseRef::Named(name.to_string())),
    };
    let Some(case) = case else {
        return false;
    };
    commands.push(Command::Case(CaseChange::Assign { case, documents }));
    true
}
