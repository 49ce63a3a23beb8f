//! Export and exchange: the excerpt export window and REFI-QDA `.qdpx`/`.qdc` both ways, run on tasks.
//!
//! Export and exchange in the app: the coded-excerpt export window (codes, case and coder filters, grouping,
//! context, citation style, format) and REFI-QDA `.qdpx` projects and `.qdc` codebooks both ways. Native dialogs only supply
//! paths; reading and writing run on tasks whose results come back as commands.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use egui::RichText;

use crate::export::{self, CitationStyle, Context, Grouping, ReportFormat, Selection};
use crate::gui::commands::{Action, Command, ExportOrigin, Finished};
use crate::gui::tasks::{JobWork, Reporter};
use crate::gui::widgets::choice_combo;
use crate::gui::{strings as s, theme};
use crate::ids::{CaseId, CodeId, CoderId};
use crate::interop::qdc::{self, CodebookReport};
use crate::interop::{qdpx_read, qdpx_write};
use crate::model::Project;
use crate::retrieve::ExcerptFilter;

/// The name of a report format in the export window.
pub fn format_label(format: ReportFormat) -> &'static str {
    match format {
        ReportFormat::Docx => s::FORMAT_DOCX.get(),
        ReportFormat::Html => s::FORMAT_HTML.get(),
        ReportFormat::Markdown => s::FORMAT_MARKDOWN.get(),
        ReportFormat::Csv => s::FORMAT_CSV.get(),
        ReportFormat::Xlsx => s::FORMAT_XLSX.get(),
    }
}

/// How much surrounding text each excerpt carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ContextKind {
    /// Only the coded passage itself.
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
    /// Whether an excerpt coded with a sub-code of a chosen code counts as coded with that code.
    pub include_subcodes: bool,
    /// Only excerpts from documents of this case (`None`: every case).
    pub case: Option<CaseId>,
    /// Only excerpts coded by this coder (`None`: every coder shown).
    pub coder: Option<CoderId>,
    /// The coder layers shown in the workbench (blind mode, hidden coders): the report holds no others.
    pub shown: crate::coders::CoderSelection,
    /// The heading order: code then case, or case then code.
    pub grouping: Grouping,
    /// How much surrounding text each excerpt carries.
    pub context: ContextKind,
    /// The characters before and after each excerpt when `context` is [`ContextKind::Chars`].
    pub context_chars: usize,
    /// The file format of the report.
    pub format: ReportFormat,
    /// How much each excerpt's citation says.
    pub citation: CitationStyle,
}

impl Default for ExcerptOptions {
    fn default() -> Self {
        Self {
            codes: BTreeSet::new(),
            include_subcodes: true,
            case: None,
            coder: None,
            shown: crate::coders::CoderSelection::All,
            grouping: Grouping::CodeCase,
            context: ContextKind::None,
            context_chars: 200,
            format: ReportFormat::Docx,
            citation: CitationStyle::Short,
        }
    }
}

impl ExcerptOptions {
    /// The report's context setting, with the character count applied when the context is in characters.
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
                coders: match coder {
                    Some(c) if self.shown.contains(c.id) => {
                        crate::coders::CoderSelection::one(c.id)
                    }
                    Some(_) => crate::coders::CoderSelection::Only(Default::default()),
                    None => self.shown.clone(),
                },
                documents: Vec::new(),
            },
            context: self.context(),
            grouping: self.grouping,
            citation: self.citation,
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
    crate::store::write_export(path, &bytes)?;
    Ok(report.items.len())
}

/// Writes the project as a REFI-QDA `.qdpx`; returns the status-bar message.
pub fn write_qdpx(project: &Project, path: &Path) -> crate::Result<String> {
    let (bytes, report) = qdpx_write::project_qdpx(project)?;
    crate::store::write_export(path, &bytes)?;
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
    crate::store::write_export(path, xml.as_bytes())?;
    Ok(s::qdc_exported(
        &path.display().to_string(),
        project.codes().len(),
    ))
}

pub use crate::interop::read_codebook;

/// The excerpt export window.
#[derive(Default)]
pub struct ExcerptWindow {
    /// Whether the window is shown.
    pub open: bool,
    /// The choices made in the window, kept between openings.
    pub options: ExcerptOptions,
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
    /// The window's title, naming what was imported.
    pub title: &'static str,
    /// One line with what was imported and the counts.
    pub summary: String,
    /// Problems met while reading, one per line.
    pub warnings: Vec<String>,
    /// Items that were left out, one per line.
    pub skipped: Vec<String>,
}

/// The export window and the report window.
#[derive(Default)]
pub struct ExchangeState {
    /// The excerpt export window.
    pub excerpts: ExcerptWindow,
    /// The report of the last `.qdpx` or codebook import, while it is shown.
    pub report: Option<ReportWindow>,
}

/// The task behind the export window's button: ask where to save the report, then write it.
pub fn excerpts_job(
    project: Project,
    options: ExcerptOptions,
) -> impl FnOnce(&Reporter) -> Option<Command> + Send + 'static {
    let origin = ExportOrigin::ExcerptWindow;
    move |_| {
        let ext = options.format.extension();
        let file_name = format!("{}.{ext}", s::excerpts_file_stem(&project.meta().name));
        let Some(path) = rfd::FileDialog::new()
            .set_title(s::EXPORT_EXCERPTS)
            .set_file_name(&file_name)
            .add_filter(format_label(options.format), &[ext])
            .save_file()
        else {
            return Some(Command::Finished(Finished::Cancelled(origin)));
        };
        let result = write_excerpts(&project, &options, &path)
            .map(|n| s::excerpts_exported(n, &path.display().to_string()))
            .map_err(|e| e.to_string());
        Some(Command::Finished(Finished::Exported { result, origin }))
    }
}

/// A task that asks for a path to save to, then writes with `write` (its message goes to the status bar).
fn save_job(
    project: Project,
    title: &'static str,
    extension: &'static str,
    filter: &'static str,
    write: fn(&Project, &Path) -> crate::Result<String>,
) -> JobWork {
    Box::new(move |_| {
        let stem = s::excerpts_file_stem(&project.meta().name);
        let path = rfd::FileDialog::new()
            .set_title(title)
            .set_file_name(format!("{stem}.{extension}"))
            .add_filter(filter, &[extension])
            .save_file()?;
        let result = write(&project, &path).map_err(|e| e.to_string());
        let origin = ExportOrigin::Menu;
        Some(Command::Finished(Finished::Exported { result, origin }))
    })
}

/// The task of a REFI-QDA menu action (file dialogs, then reading or writing); `None` when it needs a project
/// and none is open.
pub fn exchange_job(action: Action, project: Option<Project>) -> Option<JobWork> {
    match action {
        Action::ImportQdpx => Some(Box::new(|_| import_qdpx_dialogs())),
        Action::ImportQdc => Some(Box::new(|_| import_qdc_dialog())),
        Action::ExportQdpx => Some(save_job(
            project?,
            s::EXPORT_QDPX.get(),
            "qdpx",
            s::QDPX_FILTER.get(),
            write_qdpx,
        )),
        Action::ExportQdc => Some(save_job(
            project?,
            s::EXPORT_QDC.get(),
            "qdc",
            s::QDC_FILTER.get(),
            write_qdc,
        )),
        _ => None,
    }
}

/// Asks for a `.qdpx` file and a new project folder, then creates the project there.
fn import_qdpx_dialogs() -> Option<Command> {
    let file = rfd::FileDialog::new()
        .set_title(s::IMPORT_QDPX)
        .add_filter(s::QDPX_FILTER, &["qdpx"])
        .pick_file()?;
    let stem = file
        .file_stem()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| s::IMPORTED_PROJECT.into());
    let root: PathBuf = rfd::FileDialog::new()
        .set_title(s::NEW_PROJECT_FOLDER)
        .set_file_name(&stem)
        .save_file()?;
    Some(match crate::interop::import_qdpx_project(&file, &root) {
        Ok((_, report)) => Command::Finished(Finished::ProjectImported { root, file, report }),
        Err(e) => Command::Error(e.to_string()),
    })
}

/// Asks for a codebook file and reads it (it is merged into the project on the UI thread).
fn import_qdc_dialog() -> Option<Command> {
    let file = rfd::FileDialog::new()
        .set_title(s::IMPORT_QDC)
        .add_filter(
            s::CODEBOOK_FILTER,
            &["qdc", "xml", "csv", "tsv", "txt", "md"],
        )
        .pick_file()?;
    Some(match read_codebook(&file) {
        Ok((nodes, warnings)) => Command::Finished(Finished::CodebookRead {
            file,
            nodes,
            warnings,
        }),
        Err(e) => Command::Error(e.to_string()),
    })
}

/// The report window of a `.qdpx` import.
pub fn qdpx_report(file: &Path, report: qdpx_read::ImportReport) -> ReportWindow {
    ReportWindow {
        title: s::QDPX_REPORT_TITLE.get(),
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
    }
}

/// The status-bar message of a codebook merge, and its report window when there were warnings.
pub fn codebook_report(
    report: CodebookReport,
    mut warnings: Vec<String>,
) -> (String, Option<ReportWindow>) {
    let summary = s::codebook_imported(report.added, report.existing);
    warnings.extend(report.warnings);
    let window = (!warnings.is_empty()).then(|| ReportWindow {
        title: s::QDC_REPORT_TITLE.get(),
        summary: summary.clone(),
        warnings,
        skipped: Vec::new(),
    });
    (summary, window)
}

/// The export window and the import report window; "Export…" queues the export with the window's options.
pub fn windows_ui(
    ctx: &egui::Context,
    project: Option<&Project>,
    selected_codes: &BTreeSet<CodeId>,
    state: &mut ExchangeState,
    exporting: bool,
    commands: &mut Vec<Command>,
) {
    report_window_ui(ctx, &mut state.report);
    let Some(project) = project else { return };
    if state.excerpts.open
        && excerpt_window_ui(ctx, project, selected_codes, &mut state.excerpts, exporting)
    {
        commands.push(Command::ExportExcerpts(Box::new(
            state.excerpts.options.clone(),
        )));
    }
}

fn report_window_ui(ctx: &egui::Context, report: &mut Option<ReportWindow>) {
    let Some(r) = report.as_ref() else { return };
    let mut open = true;
    let mut close = false;
    let dark = ctx.global_style().visuals.dark_mode;
    let shown = crate::gui::widgets::window(ctx, r.title)
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
    crate::gui::widgets::escape_closes(ctx, shown.map(|r| r.response.layer_id), &mut open);
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
    exporting: bool,
) -> bool {
    let mut open = window.open;
    let mut export = false;
    let shown = crate::gui::widgets::window(ctx, s::EXPORT_EXCERPTS_TITLE)
        .open(&mut open)
        .collapsible(false)
        .default_width(520.0)
        .anchor(egui::Align2::CENTER_CENTER, egui::vec2(0.0, 0.0))
        .show(ctx, |ui| {
            codes_ui(ui, project, selected_codes, &mut window.options);
            ui.add_space(4.0);
            egui::Grid::new("export-filters")
                .num_columns(2)
                .spacing([12.0, 6.0])
                .show(ui, |ui| options_grid_ui(ui, project, &mut window.options));
            ui.separator();
            export = footer_ui(ui, exporting, window.message.as_ref());
        });
    crate::gui::widgets::escape_closes(ctx, shown.map(|r| r.response.layer_id), &mut open);
    window.open = open;
    export
}

/// The codes to export: a checklist of the codebook, with "use the codebook selection" and "clear".
fn codes_ui(
    ui: &mut egui::Ui,
    project: &Project,
    selected_codes: &BTreeSet<CodeId>,
    options: &mut ExcerptOptions,
) {
    let dark = ui.visuals().dark_mode;
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
}

/// Case and coder filters, grouping, context and format.
fn options_grid_ui(ui: &mut egui::Ui, project: &Project, options: &mut ExcerptOptions) {
    let label = ui.label(s::CASE_FILTER).id;
    let cases = project.cases().values();
    let cases: Vec<(CaseId, &str)> = cases.map(|c| (c.id, c.name.as_str())).collect();
    choice_combo(
        ui,
        (label, "export-case", s::ALL_CASES.get()),
        cases,
        &mut options.case,
    );
    ui.end_row();
    let label = ui.label(s::CODER_FILTER).id;
    let coders = project.coders().values();
    let coders: Vec<(CoderId, &str)> = coders.map(|c| (c.id, c.name.as_str())).collect();
    choice_combo(
        ui,
        (label, "export-coder", s::ALL_CODERS.get()),
        coders,
        &mut options.coder,
    );
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
    ui.label(s::EXPORT_CITATION);
    ui.horizontal(|ui| {
        ui.radio_value(
            &mut options.citation,
            CitationStyle::Short,
            s::CITATION_SHORT,
        )
        .on_hover_text(s::CITATION_SHORT_HINT);
        ui.radio_value(&mut options.citation, CitationStyle::Full, s::CITATION_FULL)
            .on_hover_text(s::CITATION_FULL_HINT);
    });
    ui.end_row();
    ui.label(s::EXPORT_FORMAT);
    ui.horizontal_wrapped(|ui| {
        for format in ReportFormat::ALL {
            ui.radio_value(&mut options.format, format, format_label(format));
        }
    });
    ui.end_row();
}

/// The export button (a spinner while an export runs) and the last export's outcome; true when clicked.
fn footer_ui(ui: &mut egui::Ui, exporting: bool, message: Option<&Result<String, String>>) -> bool {
    let dark = ui.visuals().dark_mode;
    ui.horizontal(|ui| {
        let clicked = ui
            .add_enabled(!exporting, egui::Button::new(s::EXPORT_BUTTON))
            .clicked();
        if exporting {
            ui.spinner();
        }
        match message {
            Some(Ok(text)) => drop(ui.label(RichText::new(text).color(theme::muted(dark)))),
            Some(Err(text)) => {
                drop(ui.label(RichText::new(text).color(theme::error_colour(dark))));
            }
            None => {}
        }
        clicked
    })
    .inner
}
