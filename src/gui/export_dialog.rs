//! Export and exchange in the app: the coded-excerpt export window (codes, case and coder filters, grouping,
//! context, format) and REFI-QDA `.qdpx` projects and `.qdc` codebooks both ways. Native dialogs only supply
//! paths; reading and writing run on worker threads and report back over a channel, drained once per frame.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};

use egui::RichText;

use crate::error::Error;
use crate::export::{self, Context, Grouping, Selection};
use crate::gui::app::Workbench;
use crate::gui::commands::Action;
use crate::gui::{strings as s, theme};
use crate::ids::{CaseId, CodeId, CoderId};
use crate::interop::qdc::{self, CodeNode};
use crate::interop::{qdpx_read, qdpx_write};
use crate::model::Project;
use crate::retrieve::ExcerptFilter;
use crate::workspace::Workspace;

/// The file formats of an excerpt report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ExcerptFormat {
    #[default]
    Docx,
    Html,
    Markdown,
    Csv,
    Xlsx,
}

impl ExcerptFormat {
    pub const ALL: [Self; 5] = [
        Self::Docx,
        Self::Html,
        Self::Markdown,
        Self::Csv,
        Self::Xlsx,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Docx => s::FORMAT_DOCX,
            Self::Html => s::FORMAT_HTML,
            Self::Markdown => s::FORMAT_MARKDOWN,
            Self::Csv => s::FORMAT_CSV,
            Self::Xlsx => s::FORMAT_XLSX,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Docx => "docx",
            Self::Html => "html",
            Self::Markdown => "md",
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
        }
    }

    /// The report's bytes in this format.
    pub fn render(self, report: &export::Report) -> crate::Result<Vec<u8>> {
        Ok(match self {
            Self::Docx => export::render::docx(report)?,
            Self::Html => export::render::html(report).into_bytes(),
            Self::Markdown => export::render::markdown(report).into_bytes(),
            Self::Csv => export::table::csv(&export::table::excerpt_table(report))?,
            Self::Xlsx => {
                export::table::xlsx(&export::table::excerpt_table(report), s::EXCERPTS_SHEET)?
            }
        })
    }
}

/// How much surrounding text each excerpt carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ContextKind {
    #[default]
    None,
    /// [`ExcerptOptions::context_chars`] characters before and after.
    Chars,
    /// The rest of the speaker turn.
    Turn,
}

/// Everything the export window chooses.
#[derive(Clone, Debug)]
pub struct ExcerptOptions {
    /// Empty: every coded excerpt.
    pub codes: BTreeSet<CodeId>,
    pub include_subcodes: bool,
    pub case: Option<CaseId>,
    pub coder: Option<CoderId>,
    pub grouping: Grouping,
    pub context: ContextKind,
    pub context_chars: usize,
    pub format: ExcerptFormat,
}

impl Default for ExcerptOptions {
    fn default() -> Self {
        Self {
            codes: BTreeSet::new(),
            include_subcodes: true,
            case: None,
            coder: None,
            grouping: Grouping::CodeCase,
            context: ContextKind::None,
            context_chars: 200,
            format: ExcerptFormat::Docx,
        }
    }
}

impl ExcerptOptions {
    pub fn context(&self) -> Context {
        match self.context {
            ContextKind::None => Context::None,
            ContextKind::Chars => Context::Chars(self.context_chars),
            ContextKind::Turn => Context::Turn,
        }
    }

    /// The report selection these options describe (codes that no longer exist are left out).
    pub fn selection(&self, project: &Project) -> Selection {
        let codes: Vec<CodeId> = self
            .codes
            .iter()
            .copied()
            .filter(|c| project.codes().contains_key(c))
            .collect();
        let case = self.case.and_then(|c| project.cases().get(&c));
        let coder = self.coder.and_then(|c| project.coders().get(&c));
        let paths: Vec<String> = codes.iter().map(|c| project.code_path(*c)).collect();
        Selection {
            filter: ExcerptFilter {
                codes,
                include_subcodes: self.include_subcodes,
                cases: case.map(|c| c.id).into_iter().collect(),
                coders: coder.map(|c| c.id).into_iter().collect(),
                documents: Vec::new(),
            },
            context: self.context(),
            grouping: self.grouping,
            description: s::export_description(
                &paths,
                self.include_subcodes,
                case.map(|c| c.name.as_str()),
                coder.map(|c| c.name.as_str()),
            ),
            ..Selection::default()
        }
    }
}

/// Builds the report `options` describe and writes it to `path`; returns the number of excerpts written. The export
/// window's worker calls this with the path the save dialog chose.
pub fn write_excerpts(
    project: &Project,
    options: &ExcerptOptions,
    path: &Path,
) -> crate::Result<usize> {
    let title = s::excerpts_report_title(&project.meta().name);
    let report = export::report(project, &options.selection(project), &title);
    let bytes = options.format.render(&report)?;
    crate::store::write_atomic(path, &bytes)?;
    Ok(report.items.len())
}

/// Writes the project as a REFI-QDA `.qdpx`; returns the status-bar message.
pub fn write_qdpx(project: &Project, path: &Path) -> crate::Result<String> {
    let (bytes, report) = qdpx_write::project_qdpx(project)?;
    crate::store::write_atomic(path, &bytes)?;
    Ok(s::qdpx_exported(
        &path.display().to_string(),
        report.documents,
        report.codes,
        report.codings,
    ))
}

/// Writes the codebook as a REFI-QDA `.qdc`; returns the status-bar message.
pub fn write_qdc(project: &Project, path: &Path) -> crate::Result<String> {
    let xml = qdc::codebook_qdc(project)?;
    crate::store::write_atomic(path, xml.as_bytes())?;
    Ok(s::qdc_exported(
        &path.display().to_string(),
        project.codes().len(),
    ))
}

/// Creates a project in `root` from a `.qdpx` file (everything is parsed and checked first) and saves it.
pub fn import_qdpx(file: &Path, root: &Path) -> crate::Result<qdpx_read::ImportReport> {
    let bytes = std::fs::read(file).map_err(|e| Error::io(file, e))?;
    let parsed = qdpx_read::read_qdpx(file, &bytes)?;
    let mut ws = Workspace::create(root, &parsed.name, parsed.language)?;
    ws.apply(parsed.edit)?;
    ws.save()?;
    Ok(parsed.report)
}

pub use crate::interop::read_codebook;

/// What a worker reports back.
pub enum Outcome {
    /// An export finished (the message for the status bar); `from_window` when the excerpt window started it.
    Exported {
        result: Result<String, String>,
        from_window: bool,
    },
    /// The user closed the save dialog of the excerpt window without choosing a file.
    Cancelled,
    /// A `.qdpx` became a new project in `root`.
    ProjectImported {
        root: PathBuf,
        file: PathBuf,
        report: qdpx_read::ImportReport,
    },
    /// A codebook file was read; it is merged into the open project on the UI thread (one undoable edit).
    CodebookRead {
        file: PathBuf,
        nodes: Vec<CodeNode>,
        warnings: Vec<String>,
    },
    Failed(String),
}

/// The excerpt export window.
#[derive(Default)]
pub struct ExcerptWindow {
    pub open: bool,
    pub options: ExcerptOptions,
    /// A save dialog or a write is under way.
    pub running: bool,
    /// The last export's outcome.
    pub message: Option<Result<String, String>>,
}

impl ExcerptWindow {
    /// Opens the window with the codes selected in the codebook.
    pub fn show(&mut self, selected: &BTreeSet<CodeId>) {
        self.open = true;
        self.options.codes = selected.clone();
        self.message = None;
    }
}

/// An import's report: counts, then warnings and what was left out.
pub struct ReportWindow {
    pub title: &'static str,
    pub summary: String,
    pub warnings: Vec<String>,
    pub skipped: Vec<String>,
}

/// The export window, the report window and the workers' channel.
pub struct ExchangeState {
    pub excerpts: ExcerptWindow,
    pub report: Option<ReportWindow>,
    tx: Sender<Outcome>,
    rx: Receiver<Outcome>,
}

impl Default for ExchangeState {
    fn default() -> Self {
        let (tx, rx) = channel();
        Self {
            excerpts: ExcerptWindow::default(),
            report: None,
            tx,
            rx,
        }
    }
}

impl ExchangeState {
    /// Outcomes that arrived since the last frame.
    pub fn poll(&self) -> Vec<Outcome> {
        self.rx.try_iter().collect()
    }

    /// Runs `work` (a native dialog, then the reading or writing) on a worker thread.
    fn spawn(&self, ctx: &egui::Context, work: impl FnOnce() -> Option<Outcome> + Send + 'static) {
        let tx = self.tx.clone();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            if let Some(outcome) = work() {
                let _ = tx.send(outcome);
                ctx.request_repaint();
            }
        });
    }

    /// Asks where to save the excerpt report, then writes it.
    fn export_excerpts(&mut self, ctx: &egui::Context, project: Project) {
        let options = self.excerpts.options.clone();
        self.excerpts.running = true;
        self.excerpts.message = None;
        let ext = options.format.extension();
        let file_name = format!("{}.{ext}", s::excerpts_file_stem(&project.meta().name));
        self.spawn(ctx, move || {
            let Some(path) = rfd::FileDialog::new()
                .set_title(s::EXPORT_EXCERPTS)
                .set_file_name(&file_name)
                .add_filter(options.format.label(), &[ext])
                .save_file()
            else {
                return Some(Outcome::Cancelled);
            };
            let result = write_excerpts(&project, &options, &path)
                .map(|n| s::excerpts_exported(n, &path.display().to_string()))
                .map_err(|e| e.to_string());
            Some(Outcome::Exported {
                result,
                from_window: true,
            })
        });
    }
}

/// Starts one of the exchange actions (File and Code menus).
pub fn start(wb: &mut Workbench, action: Action, ctx: &egui::Context) {
    if action == Action::ImportQdpx {
        wb.exchange.spawn(ctx, || {
            let file = rfd::FileDialog::new()
                .set_title(s::IMPORT_QDPX)
                .add_filter(s::QDPX_FILTER, &["qdpx"])
                .pick_file()?;
            let stem = file
                .file_stem()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| s::IMPORTED_PROJECT.into());
            let root = rfd::FileDialog::new()
                .set_title(s::NEW_PROJECT_FOLDER)
                .set_file_name(&stem)
                .save_file()?;
            Some(match import_qdpx(&file, &root) {
                Ok(report) => Outcome::ProjectImported { root, file, report },
                Err(e) => Outcome::Failed(e.to_string()),
            })
        });
        return;
    }
    let Some(ws) = &wb.ws else { return };
    let project = ws.project().clone();
    let stem = s::excerpts_file_stem(&project.meta().name);
    match action {
        Action::ExportExcerpts => wb.exchange.excerpts.show(&wb.selected_codes),
        Action::ExportQdpx => wb.exchange.spawn(ctx, move || {
            let path = rfd::FileDialog::new()
                .set_title(s::EXPORT_QDPX)
                .set_file_name(format!("{stem}.qdpx"))
                .add_filter(s::QDPX_FILTER, &["qdpx"])
                .save_file()?;
            Some(Outcome::Exported {
                result: write_qdpx(&project, &path).map_err(|e| e.to_string()),
                from_window: false,
            })
        }),
        Action::ExportQdc => wb.exchange.spawn(ctx, move || {
            let path = rfd::FileDialog::new()
                .set_title(s::EXPORT_QDC)
                .set_file_name(format!("{stem}.qdc"))
                .add_filter(s::QDC_FILTER, &["qdc"])
                .save_file()?;
            Some(Outcome::Exported {
                result: write_qdc(&project, &path).map_err(|e| e.to_string()),
                from_window: false,
            })
        }),
        Action::ImportQdc => wb.exchange.spawn(ctx, || {
            let file = rfd::FileDialog::new()
                .set_title(s::IMPORT_QDC)
                .add_filter(
                    s::CODEBOOK_FILTER,
                    &["qdc", "xml", "csv", "tsv", "txt", "md"],
                )
                .pick_file()?;
            Some(match read_codebook(&file) {
                Ok((nodes, warnings)) => Outcome::CodebookRead {
                    file,
                    nodes,
                    warnings,
                },
                Err(e) => Outcome::Failed(e.to_string()),
            })
        }),
        _ => {}
    }
}

/// Handles a worker's outcome on the UI thread: messages to the status bar and window, opening an imported
/// project, merging a codebook through the workspace.
pub fn finish(wb: &mut Workbench, outcome: Outcome) {
    match outcome {
        Outcome::Exported {
            result,
            from_window,
        } => {
            if from_window {
                wb.exchange.excerpts.running = false;
                wb.exchange.excerpts.message = Some(result.clone());
            }
            match result {
                Ok(message) => wb.notice = Some(message),
                Err(e) => wb.error = Some(e),
            }
        }
        Outcome::Cancelled => wb.exchange.excerpts.running = false,
        Outcome::ProjectImported { root, file, report } => {
            wb.open_project(&root);
            wb.exchange.report = Some(ReportWindow {
                title: s::QDPX_REPORT_TITLE,
                summary: s::qdpx_imported(
                    &file.display().to_string(),
                    &report.origin,
                    report.documents,
                    report.codes,
                    report.codings,
                    report.cases,
                    report.memos,
                ),
                warnings: report.warnings,
                skipped: report.skipped,
            });
        }
        Outcome::CodebookRead {
            file,
            nodes,
            mut warnings,
        } => {
            let Some(ws) = &wb.ws else { return };
            if nodes.is_empty() {
                wb.error = Some(s::no_codes_in(&file.display().to_string()));
                return;
            }
            match qdc::merge_edit(ws.project(), &nodes) {
                Ok((edit, mut report)) => {
                    if let Some(edit) = edit
                        && !wb.apply(edit)
                    {
                        return;
                    }
                    warnings.append(&mut report.warnings);
                    let summary = s::codebook_imported(report.added, report.existing);
                    wb.notice = Some(summary.clone());
                    if !warnings.is_empty() {
                        wb.exchange.report = Some(ReportWindow {
                            title: s::QDC_REPORT_TITLE,
                            summary,
                            warnings,
                            skipped: Vec::new(),
                        });
                    }
                }
                Err(e) => wb.error = Some(e.to_string()),
            }
        }
        Outcome::Failed(e) => wb.error = Some(e),
    }
}

/// The export window and the import report window.
pub fn windows_ui(wb: &mut Workbench, ctx: &egui::Context) {
    report_window_ui(ctx, &mut wb.exchange.report);
    if !wb.exchange.excerpts.open {
        return;
    }
    let Some(ws) = &wb.ws else { return };
    let export = excerpt_window_ui(
        ctx,
        ws.project(),
        &wb.selected_codes,
        &mut wb.exchange.excerpts,
    );
    if export {
        let project = ws.project().clone();
        wb.exchange.export_excerpts(ctx, project);
    }
}

fn report_window_ui(ctx: &egui::Context, report: &mut Option<ReportWindow>) {
    let Some(r) = report.as_ref() else { return };
    let mut open = true;
    let mut close = false;
    let dark = ctx.global_style().visuals.dark_mode;
    egui::Window::new(r.title)
        .open(&mut open)
        .collapsible(false)
        .default_width(520.0)
        .anchor(egui::Align2::CENTER_CENTER, egui::vec2(0.0, 0.0))
        .show(ctx, |ui| {
            ui.label(RichText::new(&r.summary).strong());
            egui::ScrollArea::vertical()
                .max_height(320.0)
                .show(ui, |ui| {
                    for (title, list) in [(s::WARNINGS, &r.warnings), (s::NOT_IMPORTED, &r.skipped)]
                    {
                        if list.is_empty() {
                            continue;
                        }
                        ui.add_space(6.0);
                        ui.label(RichText::new(title).heading());
                        for line in list {
                            ui.label(RichText::new(line).color(theme::muted(dark)));
                        }
                    }
                });
            ui.add_space(6.0);
            if ui.button(s::CLOSE).clicked() {
                close = true;
            }
        });
    if !open || close {
        *report = None;
    }
}

/// Draws the export window; returns true when "Export…" was clicked.
fn excerpt_window_ui(
    ctx: &egui::Context,
    project: &Project,
    selected_codes: &BTreeSet<CodeId>,
    window: &mut ExcerptWindow,
) -> bool {
    let mut open = window.open;
    let mut export = false;
    let dark = ctx.global_style().visuals.dark_mode;
    egui::Window::new(s::EXPORT_EXCERPTS_TITLE)
        .open(&mut open)
        .collapsible(false)
        .default_width(520.0)
        .anchor(egui::Align2::CENTER_CENTER, egui::vec2(0.0, 0.0))
        .show(ctx, |ui| {
            let options = &mut window.options;
            ui.horizontal(|ui| {
                ui.label(RichText::new(s::CODES_TO_EXPORT).strong());
                if ui.small_button(s::USE_CODEBOOK_SELECTION).clicked() {
                    options.codes = selected_codes.clone();
                }
                if ui.small_button(s::CLEAR_CODES).clicked() {
                    options.codes.clear();
                }
            });
            egui::ScrollArea::vertical()
                .id_salt("export-codes")
                .max_height(200.0)
                .show(ui, |ui| {
                    for (_, code) in project.code_tree() {
                        let mut on = options.codes.contains(&code.id);
                        let text = RichText::new(project.code_path(code.id))
                            .color(theme::code_colour(&code.colour, dark));
                        if ui.checkbox(&mut on, text).changed() {
                            if on {
                                options.codes.insert(code.id);
                            } else {
                                options.codes.remove(&code.id);
                            }
                        }
                    }
                });
            let chosen = options
                .codes
                .iter()
                .filter(|c| project.codes().contains_key(c))
                .count();
            ui.label(RichText::new(s::codes_chosen(chosen)).color(theme::muted(dark)));
            ui.checkbox(&mut options.include_subcodes, s::INCLUDE_SUBCODES);
            ui.add_space(4.0);
            egui::Grid::new("export-filters")
                .num_columns(2)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    let label = ui.label(s::CASE_FILTER);
                    let mut cases: Vec<_> = project.cases().values().collect();
                    cases.sort_by(|a, b| crate::collate::compare(&a.name, &b.name));
                    let current = options
                        .case
                        .and_then(|c| project.cases().get(&c))
                        .map(|c| c.name.clone())
                        .unwrap_or_else(|| s::ALL_CASES.into());
                    egui::ComboBox::from_id_salt("export-case")
                        .selected_text(current)
                        .show_ui(ui, |ui| {
                            ui.selectable_value(&mut options.case, None, s::ALL_CASES);
                            for case in cases {
                                ui.selectable_value(&mut options.case, Some(case.id), &case.name);
                            }
                        })
                        .response
                        .labelled_by(label.id);
                    ui.end_row();

                    let label = ui.label(s::CODER_FILTER);
                    let mut coders: Vec<_> = project.coders().values().collect();
                    coders.sort_by(|a, b| crate::collate::compare(&a.name, &b.name));
                    let current = options
                        .coder
                        .and_then(|c| project.coders().get(&c))
                        .map(|c| c.name.clone())
                        .unwrap_or_else(|| s::ALL_CODERS.into());
                    egui::ComboBox::from_id_salt("export-coder")
                        .selected_text(current)
                        .show_ui(ui, |ui| {
                            ui.selectable_value(&mut options.coder, None, s::ALL_CODERS);
                            for coder in coders {
                                ui.selectable_value(
                                    &mut options.coder,
                                    Some(coder.id),
                                    &coder.name,
                                );
                            }
                        })
                        .response
                        .labelled_by(label.id);
                    ui.end_row();

                    ui.label(s::EXPORT_GROUPING);
                    ui.horizontal(|ui| {
                        ui.radio_value(
                            &mut options.grouping,
                            Grouping::CodeCase,
                            s::GROUP_CODE_CASE,
                        );
                        ui.radio_value(
                            &mut options.grouping,
                            Grouping::CaseCode,
                            s::GROUP_CASE_CODE,
                        );
                    });
                    ui.end_row();

                    ui.label(s::EXPORT_CONTEXT);
                    ui.horizontal(|ui| {
                        ui.radio_value(&mut options.context, ContextKind::None, s::CONTEXT_NONE);
                        ui.radio_value(&mut options.context, ContextKind::Chars, s::CONTEXT_CHARS);
                        ui.add_enabled(
                            options.context == ContextKind::Chars,
                            egui::DragValue::new(&mut options.context_chars)
                                .range(1..=5000)
                                .speed(10.0),
                        );
                        ui.radio_value(&mut options.context, ContextKind::Turn, s::CONTEXT_TURN);
                    });
                    ui.end_row();

                    ui.label(s::EXPORT_FORMAT);
                    ui.horizontal_wrapped(|ui| {
                        for format in ExcerptFormat::ALL {
                            ui.radio_value(&mut options.format, format, format.label());
                        }
                    });
                    ui.end_row();
                });
            ui.separator();
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(!window.running, egui::Button::new(s::EXPORT_BUTTON))
                    .clicked()
                {
                    export = true;
                }
                if window.running {
                    ui.spinner();
                }
                match &window.message {
                    Some(Ok(text)) => {
                        ui.label(RichText::new(text).color(theme::muted(dark)));
                    }
                    Some(Err(text)) => {
                        ui.label(RichText::new(text).color(theme::error_colour(dark)));
                    }
                    None => {}
                }
            });
        });
    window.open = open;
    export
}
