//! The skeleton every analysis view shares, written once: a result cached by (key, project revision), the
//! excerpts behind a selected cell, the window and its body, how a result (or its error) is shown, and the
//! export row.

use egui::{RichText, Ui};

use super::AnalysisInput;
use crate::analysis::{Table, TableFormat};
use crate::gui::commands::Command;
use crate::gui::{strings as s, theme};
use crate::model::Project;
use crate::retrieve::Excerpt;

/// A result computed from the project, kept until its key or the project revision changes.
pub struct Cached<K, T> {
    entry: Option<(K, u64, Result<T, String>)>,
}

impl<K, T> Default for Cached<K, T> {
    fn default() -> Self {
        Self { entry: None }
    }
}

impl<K: PartialEq, T> Cached<K, T> {
    /// Computes the result when the key or revision changed; returns true when it did.
    pub fn refresh(
        &mut self,
        key: K,
        revision: u64,
        compute: impl FnOnce(&K) -> Result<T, String>,
    ) -> bool {
        let fresh = self
            .entry
            .as_ref()
            .is_some_and(|(k, r, _)| *k == key && *r == revision);
        if !fresh {
            let result = compute(&key);
            self.entry = Some((key, revision, result));
        }
        !fresh
    }

    /// The result, once computed.
    pub fn result(&self) -> Option<Result<&T, &str>> {
        self.entry.as_ref().map(|(_, _, r)| match r {
            Ok(value) => Ok(value),
            Err(e) => Err(e.as_str()),
        })
    }

    /// Refreshes, then returns the result.
    pub fn get(
        &mut self,
        key: K,
        revision: u64,
        compute: impl FnOnce(&K) -> Result<T, String>,
    ) -> Result<&T, &str> {
        self.refresh(key, revision, compute);
        self.result().unwrap_or(Err(""))
    }

    /// Forgets the result (it is computed again on the next request).
    pub fn clear(&mut self) {
        self.entry = None;
    }
}

/// The excerpts behind the selected cell of a table, kept for that cell and revision.
pub type CellExcerpts<C> = Cached<C, Vec<Excerpt>>;

/// The excerpts behind the selected `cell` of a cached table, computed once per cell and revision.
pub fn cell_list<K: PartialEq, T, C: PartialEq + Copy>(
    table: &Cached<K, T>,
    excerpts: &mut CellExcerpts<C>,
    cell: Option<C>,
    revision: u64,
    compute: impl FnOnce(&T, C) -> Vec<Excerpt>,
) -> Vec<Excerpt> {
    let (Some(cell), Some(Ok(table))) = (cell, table.result()) else {
        return Vec::new();
    };
    let list = excerpts.get(cell, revision, |&cell| Ok(compute(table, cell)));
    list.map(Vec::clone).unwrap_or_default()
}

/// Where and how big a view's window opens.
pub struct Frame {
    pub title: &'static str,
    pub id: &'static str,
    pub size: [f32; 2],
    pub position: Option<[f32; 2]>,
}

/// An analysis view: a window whose body reads the project and pushes commands.
pub trait AnalysisView {
    fn frame(&self) -> Frame;
    fn is_open(&self) -> bool;
    fn set_open(&mut self, open: bool);
    /// Draws the body; `message` is the last table export's outcome.
    fn body_ui(
        &mut self,
        ui: &mut Ui,
        input: &AnalysisInput<'_>,
        message: Option<&Result<String, String>>,
        commands: &mut Vec<Command>,
    );
}

/// Shows a view as a resizable window while it is open.
pub fn window_ui(
    view: &mut impl AnalysisView,
    ctx: &egui::Context,
    input: &AnalysisInput<'_>,
    message: Option<&Result<String, String>>,
    commands: &mut Vec<Command>,
) {
    if !view.is_open() {
        return;
    }
    let frame = view.frame();
    let mut open = true;
    let mut window = egui::Window::new(frame.title)
        .id(egui::Id::unique(frame.id))
        .open(&mut open)
        .default_size(frame.size)
        .resizable(true);
    if let Some(position) = frame.position {
        window = window.default_pos(position);
    }
    window.show(ctx, |ui| view.body_ui(ui, input, message, commands));
    view.set_open(open);
}

/// Shows a result: its error in red, "nothing to show" when `is_empty`, else `content`; returns true when the
/// content was drawn.
pub fn result_ui<T: ?Sized>(
    ui: &mut Ui,
    result: Result<&T, &str>,
    is_empty: impl FnOnce(&T) -> bool,
    content: impl FnOnce(&mut Ui, &T),
) -> bool {
    let dark = ui.visuals().dark_mode;
    match result {
        Err(e) => {
            ui.label(RichText::new(e).color(theme::error_colour(dark)));
            false
        }
        Ok(value) if is_empty(value) => {
            ui.label(RichText::new(s::NOTHING_TO_SHOW).color(theme::muted(dark)));
            false
        }
        Ok(value) => {
            content(ui, value);
            true
        }
    }
}

/// A heatmap's table in the upper part of the body (its clicked cell returned).
pub fn table_area_ui<C>(ui: &mut Ui, table: impl FnOnce(&mut Ui) -> Option<C>) -> Option<C> {
    let height = (ui.available_height() * 0.55).clamp(180.0, 560.0);
    ui.allocate_ui(egui::vec2(ui.available_width(), height), table)
        .inner
}

/// Below a heatmap: "click a cell", or a heading naming the cell and the excerpts behind it.
pub fn cell_excerpts_ui(
    ui: &mut Ui,
    project: &Project,
    salt: &str,
    cell: Option<(&[Excerpt], &str, &str)>,
    commands: &mut Vec<Command>,
) {
    ui.separator();
    let Some((list, row, column)) = cell else {
        let dark = ui.visuals().dark_mode;
        ui.label(RichText::new(s::CLICK_A_CELL).color(theme::muted(dark)));
        return;
    };
    ui.label(RichText::new(s::cell_excerpts(list.len(), row, column)).strong());
    super::excerpt_list_ui(ui, project, salt, list, commands);
}

/// Export buttons (CSV, XLSX) and the last export's outcome; a click queues the export of `table`.
pub fn export_row_ui(
    ui: &mut Ui,
    message: Option<&Result<String, String>>,
    name: &str,
    table: Option<&Table>,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        for (label, format) in [
            (s::EXPORT_CSV, TableFormat::Csv),
            (s::EXPORT_XLSX, TableFormat::Xlsx),
        ] {
            if ui.button(label).clicked()
                && let Some(table) = table
            {
                commands.push(Command::ExportTable {
                    table: Box::new(table.clone()),
                    name: name.to_string(),
                    format,
                });
            }
        }
        let dark = ui.visuals().dark_mode;
        match message {
            Some(Ok(text)) => drop(ui.label(RichText::new(text).small().color(theme::muted(dark)))),
            Some(Err(text)) => {
                drop(ui.label(RichText::new(text).small().color(theme::error_colour(dark))));
            }
            None => {}
        }
    });
}

/// The task behind an export button: ask where to save the table, then write it (never inside a project).
pub fn export_table_job(
    table: Table,
    name: String,
    format: TableFormat,
) -> impl FnOnce(&crate::gui::tasks::Reporter) -> Option<Command> + Send + 'static {
    use crate::gui::commands::{ExportOrigin, Finished};
    move |_| {
        let ext = match format {
            TableFormat::Xlsx => "xlsx",
            TableFormat::Json => "json",
            TableFormat::Csv => "csv",
        };
        let path = rfd::FileDialog::new()
            .set_file_name(format!("{name}.{ext}"))
            .add_filter(ext.to_uppercase(), &[ext])
            .save_file()?;
        let bytes = match format {
            TableFormat::Csv => table.to_csv().map(String::into_bytes),
            TableFormat::Xlsx => table.to_xlsx(),
            TableFormat::Json => table.to_json().map(String::into_bytes),
        };
        let result = bytes
            .and_then(|b| crate::store::write_export(&path, &b))
            .map(|()| s::exported(&path.display().to_string()))
            .map_err(|e| e.to_string());
        let origin = ExportOrigin::Analysis;
        Some(Command::Finished(Finished::Exported { result, origin }))
    }
}
