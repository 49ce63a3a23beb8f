//! The analysis views (matrix, co-occurrence, chart, query builder, words) and the helpers they share.
//!
//! The analysis views (issue 7): matrix, co-occurrence, chart, coding-query builder and words, each a window
//! opened from the Analysis menu; results are cached by (spec, project revision) so a frame never recomputes.

pub mod agreement_view;
pub mod chart_view;
pub mod cooccurrence_view;
pub mod matrix_view;
pub mod query_builder;
pub mod skeleton;
pub mod words_view;

use std::collections::BTreeSet;

use egui::{Color32, RichText, Sense, Ui};

use crate::gui::commands::{Action, Command};
use crate::gui::theme;
use crate::ids::CodeId;
use crate::index::SearchIndex;
use crate::model::Project;
use crate::retrieve::Excerpt;

pub use agreement_view::AgreementView;
pub use chart_view::ChartView;
pub use cooccurrence_view::CooccurrenceView;
pub use matrix_view::MatrixView;
pub use query_builder::QueryBuilder;
pub use skeleton::{ViewWindow, Worker, export_table_job};
pub use words_view::WordsView;

/// Which analysis view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Agreement,
    Matrix,
    Cooccurrence,
    Chart,
    Query,
    Words,
}

/// What the views read from the workbench each frame.
pub struct AnalysisInput<'a> {
    pub project: &'a Project,
    /// The project revision combined with the coder layers shown (a cache key).
    pub revision: u64,
    /// Whose codings the views count (the coder layers shown).
    pub coders: crate::coders::CoderSelection,
    /// Blind mode hides the other coders: agreement is not shown.
    pub blind: bool,
    /// Codes selected in the codebook (code subsets, the words view's selection).
    pub selected_codes: &'a BTreeSet<CodeId>,
    /// The search index when it is ready (text restrictions of coding queries).
    pub index: Option<&'a SearchIndex>,
    /// Where the views compute: a snapshot of the project on a worker.
    pub worker: Worker,
}

/// The state of every analysis view.
#[derive(Default)]
pub struct AnalysisState {
    pub agreement: ViewWindow<AgreementView>,
    pub matrix: ViewWindow<MatrixView>,
    pub cooccurrence: ViewWindow<CooccurrenceView>,
    pub chart: ViewWindow<ChartView>,
    pub query: ViewWindow<QueryBuilder>,
    pub words: ViewWindow<WordsView>,
    /// The last table export's outcome (shown in every view's export row).
    pub export_message: Option<Result<String, String>>,
}

impl AnalysisState {
    /// Opens (or brings up) a view.
    pub fn open(&mut self, view: View) {
        match view {
            View::Agreement => self.agreement.open = true,
            View::Matrix => self.matrix.open = true,
            View::Cooccurrence => self.cooccurrence.open = true,
            View::Chart => self.chart.open = true,
            View::Query => self.query.open = true,
            View::Words => self.words.open = true,
        }
    }

    /// Opens the view an Analysis menu action names.
    pub fn open_for(&mut self, action: Action) {
        let view = match action {
            Action::OpenAgreement => View::Agreement,
            Action::OpenMatrix => View::Matrix,
            Action::OpenCooccurrence => View::Cooccurrence,
            Action::OpenChart => View::Chart,
            Action::OpenQueryBuilder => View::Query,
            Action::OpenWords => View::Words,
            _ => return,
        };
        self.open(view);
    }

    /// Forgets every result and stops waiting for every computation (a project was closed): nothing derived
    /// from it, and no snapshot of it, is kept. The windows that were open stay open.
    pub fn forget_project(&mut self) {
        let open = [
            self.agreement.open,
            self.matrix.open,
            self.cooccurrence.open,
            self.chart.open,
            self.query.open,
            self.words.open,
        ];
        *self = Self::default();
        [
            self.agreement.open,
            self.matrix.open,
            self.cooccurrence.open,
            self.chart.open,
            self.query.open,
            self.words.open,
        ] = open;
    }

    /// True while any open view computes on its worker.
    pub fn computing(&self) -> bool {
        self.matrix.cells.computing()
            || self.cooccurrence.cells.computing()
            || self.chart.computing()
            || self.query.computing()
            || self.words.computing()
            || self.agreement.computing()
    }

    /// Blocks until every view's computation in flight is done and keeps the results (tests, benchmarks).
    pub fn wait(&mut self) {
        self.matrix.cells.wait();
        self.cooccurrence.cells.wait();
        self.chart.wait();
        self.query.wait();
        self.words.wait();
        self.agreement.wait();
    }

    /// True when the query builder will need the search index this frame (a text restriction).
    pub fn needs_index(&self) -> bool {
        self.query.open && !self.query.text.trim().is_empty()
    }

    /// Draws the open views.
    pub fn windows_ui(
        &mut self,
        ctx: &egui::Context,
        input: &AnalysisInput<'_>,
        commands: &mut Vec<Command>,
    ) {
        let mut cx = skeleton::ViewCx {
            input,
            message: self.export_message.as_ref(),
            commands,
        };
        self.matrix.window_ui(ctx, &mut cx);
        self.cooccurrence.window_ui(ctx, &mut cx);
        self.chart.window_ui(ctx, &mut cx);
        self.query.window_ui(ctx, &mut cx);
        self.words.window_ui(ctx, &mut cx);
        self.agreement.window_ui(ctx, &mut cx);
    }
}

/// A heatmap fill: transparent at 0, the accent colour at the maximum.
pub fn heat(fraction: f64, dark: bool) -> Color32 {
    let f = fraction.clamp(0.0, 1.0) as f32;
    if f <= 0.0 {
        return Color32::TRANSPARENT;
    }
    let alpha = (40.0 + 200.0 * f).round() as u8;
    if dark {
        Color32::from_rgba_unmultiplied(232, 140, 60, alpha)
    } else {
        Color32::from_rgba_unmultiplied(214, 96, 24, alpha)
    }
}

/// The text colour readable on a heat fill.
pub fn heat_text(fraction: f64, dark: bool) -> Color32 {
    if fraction > 0.6 && !dark {
        Color32::WHITE
    } else {
        theme::text_colour(dark)
    }
}

/// Formats a cell value: whole numbers plain, shares and Jaccard values with decimals.
pub fn format_value(value: f64, decimals: usize) -> String {
    crate::gui::locale::decimal(value, decimals)
}

/// How a heatmap table is laid out: a code column, `columns` value columns and maybe a totals column. The code
/// column stays in place while the values scroll sideways, and the header row stays while the rows scroll.
pub struct HeatTable {
    pub salt: &'static str,
    pub label_width: f32,
    pub cell_width: f32,
    pub columns: usize,
    pub total_column: bool,
    pub header_height: f32,
}

pub use crate::gui::widgets::Part;

/// Height of a heatmap row.
pub const HEAT_ROW: f32 = 22.0;

impl HeatTable {
    /// Draws the table: `header` and `row` are called once per part (see [`Part`]), `row` with the row's index.
    /// The two parts are two tables side by side that scroll together vertically.
    pub fn show(
        &self,
        ui: &mut Ui,
        rows: usize,
        header: impl FnMut(&mut egui_extras::TableRow<'_, '_>, Part),
        row: impl FnMut(&mut egui_extras::TableRow<'_, '_>, usize, Part),
    ) {
        use egui_extras::Column;
        let mut values =
            vec![Column::initial(self.cell_width).at_least(36.0).clip(true); self.columns];
        if self.total_column {
            values.push(Column::initial(70.0).at_least(40.0));
        }
        let table = crate::gui::widgets::FrozenTable {
            salt: self.salt,
            // Not resizable: a resizable column keeps the width of the window's first (sizing) pass, which
            // squeezed the code names to the minimum; names cut short show in full on hover.
            first: Column::initial(self.label_width)
                .at_least(120.0)
                .at_most(480.0)
                .resizable(false)
                .clip(true),
            rest: values,
            header_height: self.header_height,
            row_height: HEAT_ROW,
            rows,
        };
        table.show(ui, header, row);
    }
}

/// The first cell of a code's row: its colour and last name, indented by depth (the full label on hover).
pub fn code_label_ui(ui: &mut Ui, project: &Project, code: CodeId, label: &str, depth: usize) {
    let dark = ui.visuals().dark_mode;
    let colour = project
        .codes()
        .get(&code)
        .map(|c| theme::code_colour(&c.colour, dark))
        .unwrap_or(ui.visuals().text_color());
    let name = label
        .rsplit(crate::model::PATH_SEPARATOR)
        .next()
        .unwrap_or(label);
    row_label_ui(ui, colour, name, depth, label);
}

/// A heatmap cell named `accessible` (its value on hover); returns true when clicked.
pub fn heat_button(
    ui: &mut Ui,
    value: &str,
    fraction: f64,
    selected: bool,
    accessible: &str,
) -> bool {
    heat_cell_ui(ui, value, fraction, selected, accessible)
        .on_hover_text(format!("{accessible}: {value}"))
        .clicked()
}

/// A clickable heatmap cell (number on a coloured fill) with an accessible label for tests and screen readers.
pub fn heat_cell_ui(
    ui: &mut Ui,
    text: &str,
    fraction: f64,
    selected: bool,
    accessible: &str,
) -> egui::Response {
    let dark = ui.visuals().dark_mode;
    let size = egui::vec2(
        ui.available_width().max(36.0),
        ui.available_height().max(18.0),
    );
    let (rect, response) = ui.allocate_exact_size(size, Sense::click());
    let painter = ui.painter();
    painter.rect_filled(rect.shrink(1.0), 2.0, heat(fraction, dark));
    if selected {
        painter.rect_stroke(
            rect.shrink(1.0),
            2.0,
            egui::Stroke::new(2.0, ui.visuals().selection.stroke.color),
            egui::StrokeKind::Inside,
        );
    }
    painter.text(
        rect.center(),
        egui::Align2::CENTER_CENTER,
        text,
        egui::FontId::proportional(13.0),
        heat_text(fraction, dark),
    );
    let label = accessible.to_string();
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
    response.on_hover_cursor(egui::CursorIcon::PointingHand)
}

/// Lists excerpts (code, text, citation: speaker, document, position); a click jumps to the passage.
pub fn excerpt_list_ui(
    ui: &mut Ui,
    project: &Project,
    salt: &str,
    list: &[Excerpt],
    commands: &mut Vec<Command>,
) {
    let dark = ui.visuals().dark_mode;
    egui::ScrollArea::vertical()
        .id_salt(salt)
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for (i, excerpt) in list.iter().enumerate() {
                let colour = project
                    .codes()
                    .get(&excerpt.code)
                    .map(|c| theme::code_colour(&c.colour, dark))
                    .unwrap_or(ui.visuals().text_color());
                let text = clip(&excerpt.text, 300);
                passage_ui(
                    ui,
                    (salt, i),
                    Some((&excerpt.code_path, colour)),
                    &text,
                    &excerpt.citation_with_coders(),
                    commands,
                    Command::Jump {
                        document: excerpt.document,
                        range: excerpt.range,
                    },
                );
            }
        });
}

/// Where a passage is, for its clickable line: speaker, document, locator (`¶ 12`, `p. 3`, `00:05:15`), then
/// anything else (cases).
pub fn citation(
    project: &Project,
    speaker: Option<&str>,
    document: crate::ids::DocumentId,
    range: crate::offsets::CharRange,
    extra: &[String],
) -> String {
    let mut parts: Vec<String> = speaker.map(str::to_string).into_iter().collect();
    if let Some(doc) = project.documents().get(&document) {
        parts.push(doc.name.clone());
        parts.push(doc.locator(range).to_string());
    }
    parts.extend(extra.iter().filter(|e| !e.is_empty()).cloned());
    parts.join(", ")
}

/// Shortens text to `max` characters with an ellipsis.
pub fn clip(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() > max {
        text.chars().take(max).collect::<String>() + "…"
    } else {
        text.to_string()
    }
}

/// One clickable passage: an optional code line, the text, a citation; a click queues `jump`.
pub fn passage_ui(
    ui: &mut Ui,
    id: impl std::hash::Hash + std::fmt::Debug,
    code: Option<(&str, Color32)>,
    text: &str,
    citation: &str,
    commands: &mut Vec<Command>,
    jump: Command,
) {
    let dark = ui.visuals().dark_mode;
    let inner = ui.scope(|ui| {
        if let Some((path, colour)) = code {
            ui.label(RichText::new(path).small().color(colour));
        }
        ui.label(RichText::new(text).size(13.5));
        ui.label(
            RichText::new(citation)
                .small()
                .italics()
                .color(theme::muted(dark)),
        );
    });
    let rect = inner.response.rect;
    let response = ui
        .interact(rect, ui.scope_id().with(id), Sense::click())
        .on_hover_cursor(egui::CursorIcon::PointingHand);
    if response.hovered() {
        ui.painter().rect_stroke(
            rect.expand(2.0),
            2.0,
            egui::Stroke::new(1.0, theme::muted(dark)),
            egui::StrokeKind::Outside,
        );
    }
    let label = format!("{citation}: {}", clip(text, 60));
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
    if response.clicked() {
        commands.push(jump);
    }
    ui.add_space(6.0);
}

/// The codes in codebook order as (id, path), for pickers.
pub fn code_choices(project: &Project) -> Vec<(CodeId, String)> {
    project
        .code_tree()
        .into_iter()
        .map(|(_, c)| (c.id, project.code_path(c.id)))
        .collect()
}

/// The attribute names of the project, in order.
pub fn attribute_names(project: &Project) -> Vec<String> {
    project.attributes().keys().cloned().collect()
}

/// The distinct values of a case attribute (as text), sorted.
pub fn attribute_values(project: &Project, name: &str) -> Vec<String> {
    let mut values: Vec<String> = project
        .cases()
        .values()
        .filter_map(|c| c.attributes.get(name).map(|v| v.to_string()))
        .filter(|v| !v.trim().is_empty())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    values.sort_by(|a, b| crate::collate::compare(a, b));
    values
}

/// The attribute a grouping starts on: `group` when there is one, else the first.
pub fn default_attribute(project: &Project) -> Option<String> {
    if project.attributes().contains_key("group") {
        return Some("group".into());
    }
    project.attributes().keys().next().cloned()
}

/// A row label in a heatmap's first column: a colour square and the code's name, indented by depth, painted into
/// the cell (the full path on hover).
pub fn row_label_ui(ui: &mut Ui, colour: Color32, name: &str, depth: usize, path: &str) {
    let rect = ui.max_rect();
    let painter = ui.painter();
    let x = rect.left() + 2.0 + 12.0 * depth as f32;
    let square =
        egui::Rect::from_center_size(egui::pos2(x + 5.0, rect.center().y), egui::vec2(9.0, 9.0));
    painter.rect_filled(square, 1.5, colour);
    painter.text(
        egui::pos2(x + 16.0, rect.center().y),
        egui::Align2::LEFT_CENTER,
        name,
        egui::FontId::proportional(13.5),
        ui.visuals().text_color(),
    );
    let id = ui.scope_id().with(("row-label", path));
    let response = ui.interact(rect, id, Sense::hover());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, path));
    let _ = response.on_hover_text(path);
}
