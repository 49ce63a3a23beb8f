//! Importing in the app: a worker thread reads the files (progress over a channel), then a summary of imported,
//! skipped and failed files with reasons, where the new documents can be assigned to a case.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};

use egui::RichText;

use crate::edit::{Edit, Entity};
use crate::gui::commands::Command;
use crate::gui::{strings as s, theme};
use crate::ids::CaseId;
use crate::import::{ImportOptions, ImportReport, import_files};
use crate::model::{Case, Project};

enum Message {
    Progress {
        done: usize,
        total: usize,
        file: String,
    },
    Done(Option<Edit>, ImportReport),
}

/// A running import.
pub struct ImportJob {
    rx: Receiver<Message>,
    pub done: usize,
    pub total: usize,
    pub file: String,
}

/// What a finished import hands back.
pub struct Finished {
    pub edit: Option<Edit>,
    pub report: ImportReport,
}

impl ImportJob {
    /// Starts reading `paths` against a snapshot of the project.
    pub fn start(project: Project, paths: Vec<PathBuf>, ctx: egui::Context) -> Self {
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let progress_tx = tx.clone();
            let progress_ctx = ctx.clone();
            let (edit, report) = import_files(
                &project,
                &paths,
                &ImportOptions::default(),
                |done, total, path| {
                    let file = path
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    let _ = progress_tx.send(Message::Progress { done, total, file });
                    progress_ctx.request_repaint();
                },
            );
            let _ = tx.send(Message::Done(edit, report));
            ctx.request_repaint();
        });
        Self {
            rx,
            done: 0,
            total: 0,
            file: String::new(),
        }
    }

    /// Reads progress; returns the result once the worker is done.
    pub fn poll(&mut self) -> Option<Finished> {
        while let Ok(message) = self.rx.try_recv() {
            match message {
                Message::Progress { done, total, file } => {
                    self.done = done;
                    self.total = total;
                    self.file = file;
                }
                Message::Done(edit, report) => return Some(Finished { edit, report }),
            }
        }
        None
    }

    /// Blocks until the worker is done (tests).
    pub fn wait(&mut self) -> Option<Finished> {
        while let Ok(message) = self.rx.recv() {
            if let Message::Done(edit, report) = message {
                return Some(Finished { edit, report });
            }
        }
        None
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
pub fn progress_ui(ui: &mut egui::Ui, job: &ImportJob) {
    let fraction = if job.total == 0 {
        0.0
    } else {
        job.done as f32 / job.total as f32
    };
    ui.add(
        egui::ProgressBar::new(fraction)
            .desired_width(220.0)
            .text(s::import_progress(job.done, job.total, &job.file)),
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
                    let case = if !summary.new_case.trim().is_empty() {
                        Some(Case {
                            id: CaseId::new(),
                            name: summary.new_case.trim().to_string(),
                            description: String::new(),
                            attributes: Default::default(),
                            documents: Default::default(),
                        })
                    } else {
                        summary.case.and_then(|c| project.cases().get(&c)).cloned()
                    };
                    if let Some(mut case) = case {
                        case.documents.extend(imported.iter().copied());
                        commands.push(Command::Apply(Edit::batch(
                            format!(
                                "assign {} documents to case '{}'",
                                imported.len(),
                                case.name
                            ),
                            vec![Edit::Put(Entity::Case(case))],
                        )));
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
