//! The skeleton every analysis view shares: revision-keyed cache, cell excerpts, window, result and export row.

use std::sync::Arc;

use egui::{RichText, Ui};

use super::AnalysisInput;
use crate::analysis::{Table, TableFormat};
use crate::gui::commands::Command;
use crate::gui::tasks::Latest;
use crate::gui::{strings as s, theme};
use crate::model::Project;
use crate::retrieve::Excerpt;

/// Where a view's computation runs: on a worker reading a snapshot of the project, waking `ctx` when done.
#[derive(Clone)]
pub struct Worker {
    /// The project as it is this frame, shared with the worker (an edit meanwhile copies the project).
    pub snapshot: Arc<Project>,
    /// The UI to wake when a result arrives.
    pub ctx: Option<egui::Context>,
    /// Wait for the result instead of showing "Computing…" (tests and benchmarks reading a view's result).
    pub wait: bool,
}

/// A result computed on a worker from the project, kept until its key or the project revision changes. While a
/// newer one is computed the previous result stays shown; a newer key supersedes the computation in flight.
pub struct Cached<K, T> {
    entry: Option<(K, u64, Result<T, String>)>,
    pending: Option<(K, u64)>,
    task: Latest<Result<T, String>>,
}

impl<K, T> Default for Cached<K, T> {
    fn default() -> Self {
        Self {
            entry: None,
            pending: None,
            task: Latest::default(),
        }
    }
}

impl<K: PartialEq + Clone + Send + 'static, T: Send + 'static> Cached<K, T> {
    /// Takes a finished result and starts `compute` on a worker when the key or revision changed (unless that
    /// computation is already in flight); returns true when a new result arrived.
    pub fn refresh(
        &mut self,
        key: K,
        revision: u64,
        worker: &Worker,
        compute: impl FnOnce(&Project, &K) -> Result<T, String> + Send + 'static,
    ) -> bool {
        let mut arrived = self.take_finished();
        let fresh = self
            .entry
            .as_ref()
            .is_some_and(|(k, r, _)| *k == key && *r == revision);
        let running = self
            .pending
            .as_ref()
            .is_some_and(|(k, r)| *k == key && *r == revision);
        if fresh {
            // Back to the result shown: whatever runs is for choices no longer wanted.
            self.task.cancel();
            self.pending = None;
        } else if !running {
            self.pending = Some((key.clone(), revision));
            let project = Arc::clone(&worker.snapshot);
            self.task
                .start(worker.ctx.as_ref(), move |_| compute(&project, &key));
        }
        if worker.wait && self.task.in_flight() {
            let done = self.task.wait();
            arrived |= self.keep(done);
        }
        arrived
    }

    fn take_finished(&mut self) -> bool {
        match self.task.poll() {
            Some(done) => self.keep(done),
            None => false,
        }
    }

    /// Refreshes, then returns the result (the previous one while a newer is computed; `Err("")` before the
    /// first arrives).
    pub fn get(
        &mut self,
        key: K,
        revision: u64,
        worker: &Worker,
        compute: impl FnOnce(&Project, &K) -> Result<T, String> + Send + 'static,
    ) -> Result<&T, &str> {
        self.refresh(key, revision, worker, compute);
        self.result().unwrap_or(Err(""))
    }
}

impl<K, T> Cached<K, T> {
    fn keep(&mut self, done: Option<Result<T, String>>) -> bool {
        let Some((key, revision)) = self.pending.take() else {
            return false;
        };
        let result = done.unwrap_or_else(|| Err(s::COMPUTATION_LOST.to_string()));
        self.entry = Some((key, revision, result));
        true
    }

    /// The last result that arrived.
    pub fn result(&self) -> Option<Result<&T, &str>> {
        self.entry.as_ref().map(|(_, _, r)| match r {
            Ok(value) => Ok(value),
            Err(e) => Err(e.as_str()),
        })
    }

    /// True while a computation runs on the worker.
    pub fn computing(&self) -> bool {
        self.task.in_flight()
    }

    /// Blocks until the computation in flight is done and keeps its result (tests, benchmarks).
    pub fn wait(&mut self) {
        if self.task.in_flight() {
            let done = self.task.wait();
            self.keep(done);
        }
    }

    /// Forgets the result and stops waiting for the one in flight (it is computed again on the next request).
    pub fn clear(&mut self) {
        self.entry = None;
        self.pending = None;
        self.task.cancel();
    }
}

/// A result computed on the UI thread (small, per clicked cell), kept until its key or the project revision
/// changes.
pub struct Memo<K, T> {
    entry: Option<(K, u64, T)>,
}

impl<K, T> Default for Memo<K, T> {
    fn default() -> Self {
        Self { entry: None }
    }
}

impl<K: PartialEq, T> Memo<K, T> {
    /// The value for `key`, computed when the key or revision changed.
    pub fn get(&mut self, key: K, revision: u64, compute: impl FnOnce(&K) -> T) -> &T {
        let fresh = self
            .entry
            .as_ref()
            .is_some_and(|(k, r, _)| *k == key && *r == revision);
        if !fresh {
            self.entry = None;
        }
        let (_, _, value) = self.entry.get_or_insert_with(|| {
            let value = compute(&key);
            (key, revision, value)
        });
        value
    }

    /// Forgets the value.
    pub fn clear(&mut self) {
        self.entry = None;
    }
}

/// The excerpts behind the selected cell of a table, kept for that cell and revision.
pub type CellExcerpts<C> = Memo<C, Vec<Excerpt>>;

/// Where and how big a view's window opens.
pub struct Frame {
    pub title: s::Text,
    pub id: &'static str,
    pub size: [f32; 2],
    pub position: Option<[f32; 2]>,
}

/// What a view's body reads and where it puts its commands.
pub struct ViewCx<'a, 'p> {
    pub input: &'a AnalysisInput<'p>,
    /// The last table export's outcome.
    pub message: Option<&'a Result<String, String>>,
    pub commands: &'a mut Vec<Command>,
}

/// An analysis view: the body of a window that reads the project and pushes commands.
pub trait AnalysisView {
    const FRAME: Frame;
    fn body_ui(&mut self, ui: &mut Ui, cx: &mut ViewCx<'_, '_>);
}

/// A view and whether its window is open (the view's own fields are reached through it).
#[derive(Default)]
pub struct ViewWindow<V> {
    pub open: bool,
    pub view: V,
}

impl<V> std::ops::Deref for ViewWindow<V> {
    type Target = V;
    fn deref(&self) -> &V {
        &self.view
    }
}

impl<V> std::ops::DerefMut for ViewWindow<V> {
    fn deref_mut(&mut self) -> &mut V {
        &mut self.view
    }
}

impl<V: AnalysisView> ViewWindow<V> {
    /// Shows the view as a resizable window inside the work area while it is open (Escape closes it when it is
    /// on top).
    pub fn window_ui(&mut self, ctx: &egui::Context, cx: &mut ViewCx<'_, '_>) {
        if !self.open {
            return;
        }
        let frame = V::FRAME;
        let area = crate::gui::widgets::work_area(ctx);
        let mut window = crate::gui::widgets::window(ctx, frame.title)
            .id(egui::Id::unique(frame.id))
            .open(&mut self.open)
            .default_size(egui::Vec2::from(frame.size).min(area.size() - egui::vec2(24.0, 90.0)));
        if let Some(position) = frame.position {
            window = window.default_pos(area.min + egui::Vec2::from(position));
        }
        let view = &mut self.view;
        let shown = window.show(ctx, |ui| view.body_ui(ui, cx));
        let layer = shown.map(|r| r.response.layer_id);
        crate::gui::widgets::escape_closes(ctx, layer, &mut self.open);
    }
}

/// How a table view names, checks and draws its table (see [`CellTable::body_ui`]).
pub struct CellParts<T, C> {
    pub salt: &'static str,
    pub is_empty: fn(&T) -> bool,
    /// The row and column labels of a cell.
    pub labels: fn(&T, C) -> (String, String),
    /// The excerpts behind a cell.
    pub excerpts: fn(&T, &Project, C) -> Vec<Excerpt>,
}

/// A table whose cells list the excerpts behind them (matrix, co-occurrence): the table cached by (key,
/// revision), the clicked cell, and that cell's excerpts.
pub struct CellTable<K, T, C> {
    table: Cached<K, T>,
    excerpts: CellExcerpts<C>,
    selected: Option<C>,
}

impl<K, T, C> Default for CellTable<K, T, C> {
    fn default() -> Self {
        Self {
            table: Cached::default(),
            excerpts: CellExcerpts::default(),
            selected: None,
        }
    }
}

impl<K: PartialEq + Clone + Send + 'static, T: Send + 'static, C: Copy + PartialEq>
    CellTable<K, T, C>
{
    /// True while the table is computed on its worker.
    pub fn computing(&self) -> bool {
        self.table.computing()
    }

    /// Blocks until the table in flight is done (tests, benchmarks).
    pub fn wait(&mut self) {
        self.table.wait();
    }

    /// The clicked cell.
    pub fn selected(&self) -> Option<C> {
        self.selected
    }

    /// The table for `key`, computed when the key or the revision changed (then a selected cell the new table
    /// does not have is dropped).
    pub fn get(
        &mut self,
        (key, revision): (K, u64),
        worker: &Worker,
        compute: impl FnOnce(&Project, &K) -> Result<T, String> + Send + 'static,
        has_cell: impl FnOnce(&T, C) -> bool,
    ) -> Result<&T, &str> {
        if self.table.refresh(key, revision, worker, compute) {
            self.excerpts.clear();
            if let (Some(Ok(table)), Some(cell)) = (self.table.result(), self.selected)
                && !has_cell(table, cell)
            {
                self.selected = None;
            }
        }
        self.table.result().unwrap_or(Err(""))
    }

    /// The excerpts behind the selected cell, computed once per cell and revision.
    pub fn selected_excerpts(
        &mut self,
        project: &Project,
        revision: u64,
        excerpts: fn(&T, &Project, C) -> Vec<Excerpt>,
    ) -> Vec<Excerpt> {
        let (Some(cell), Some(Ok(table))) = (self.selected, self.table.result()) else {
            return Vec::new();
        };
        let list = self
            .excerpts
            .get(cell, revision, |&cell| excerpts(table, project, cell));
        list.clone()
    }

    /// The table (drawn by `table_ui`, which returns the clicked cell), then "click a cell" or the excerpts
    /// behind the clicked one. Call after [`Self::get`] in the same frame.
    pub fn body_ui(
        &mut self,
        ui: &mut Ui,
        input: &AnalysisInput<'_>,
        parts: &CellParts<T, C>,
        table_ui: impl FnOnce(&mut Ui, &T, Option<C>) -> Option<C>,
        commands: &mut Vec<Command>,
    ) {
        computing_ui(ui, self.table.computing());
        let Some(result) = self.table.result() else {
            return;
        };
        let selected = self.selected;
        let mut clicked = None;
        let shown = result_ui(ui, result, parts.is_empty, |ui, table| {
            // Until a cell is clicked there are no excerpts below: the table takes most of the window.
            let share = if selected.is_some() { 0.55 } else { 0.85 };
            clicked = table_area_ui(ui, share, |ui| table_ui(ui, table, selected));
        });
        if !shown {
            return;
        }
        if clicked.is_some() {
            self.selected = clicked;
        }
        let list = self.selected_excerpts(input.project, input.revision, parts.excerpts);
        let labels = match (self.selected, self.table.result()) {
            (Some(cell), Some(Ok(table))) => Some((parts.labels)(table, cell)),
            _ => None,
        };
        let cell = labels
            .as_ref()
            .map(|(row, column)| (list.as_slice(), row.as_str(), column.as_str()));
        cell_excerpts_ui(ui, input.project, parts.salt, cell, commands);
    }
}

/// "Computing…" with a spinner while a view's result is computed on its worker (the previous result stays
/// shown below it).
pub fn computing_ui(ui: &mut Ui, computing: bool) {
    if computing {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(s::COMPUTING);
        });
    }
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

/// A heatmap's table in the upper `share` of the body (its clicked cell returned).
pub fn table_area_ui<C>(
    ui: &mut Ui,
    share: f32,
    table: impl FnOnce(&mut Ui) -> Option<C>,
) -> Option<C> {
    let height = (ui.available_height() * share).clamp(180.0, 900.0);
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

/// Copy (tab-separated, to the system clipboard) and export buttons (CSV, XLSX) and the last export's outcome; an
/// export click queues the export of `table`.
pub fn export_row_ui(
    ui: &mut Ui,
    message: Option<&Result<String, String>>,
    name: &str,
    table: Option<&Table>,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        if ui
            .add_enabled(table.is_some(), egui::Button::new(s::COPY_TABLE))
            .on_hover_text(s::COPY_TABLE_TIP)
            .clicked()
            && let Some(table) = table
        {
            ui.ctx().copy_text(table.to_tsv());
        }
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
