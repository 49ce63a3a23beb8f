//! The Matrix view: codes × cases (or groups, documents, speakers) as a heatmap with totals and traceable cells.
//!
//! The Matrix view: codes × cases (or case groups, documents, speakers) as a heatmap table with totals; a click
//! on a cell lists exactly the excerpts behind its number; the table exports to CSV or XLSX.

use egui::{RichText, Ui};

use super::skeleton::{AnalysisView, CellParts, CellTable, Frame, ViewCx, export_row_ui};
use super::{AnalysisInput, HeatTable, Part, code_label_ui, format_value, heat_button};
use crate::analysis::{Columns, Matrix, MatrixSpec, RowMode, Value, matrix};
use crate::gui::strings as s;
use crate::model::Project;
use crate::retrieve::Excerpt;

/// A cell address: `None` picks the totals row or column.
pub type CellRef = (Option<usize>, Option<usize>);

/// The view's choices and its cached result.
pub struct MatrixView {
    pub rows: RowMode,
    pub include_subcodes: bool,
    pub columns: Columns,
    pub value: Value,
    /// Only the codes selected in the codebook as rows.
    pub only_selected: bool,
    /// The matrix, the clicked cell and its excerpts.
    pub cells: CellTable<MatrixSpec, Matrix, CellRef>,
}

impl Default for MatrixView {
    fn default() -> Self {
        Self {
            rows: RowMode::Codes,
            include_subcodes: false,
            columns: Columns::Cases,
            value: Value::Codings,
            only_selected: false,
            cells: CellTable::default(),
        }
    }
}

const VALUES: [Value; 6] = [
    Value::Codings,
    Value::Passages,
    Value::Documents,
    Value::Characters,
    Value::Share,
    Value::Presence,
];

impl MatrixView {
    /// The spec the current choices describe.
    pub fn spec(&self, input: &AnalysisInput<'_>) -> MatrixSpec {
        MatrixSpec {
            rows: self.rows,
            codes: if self.only_selected {
                input.selected_codes.iter().copied().collect()
            } else {
                Vec::new()
            },
            include_subcodes: self.include_subcodes,
            columns: self.columns.clone(),
            value: self.value,
            scope: crate::analysis::Scope {
                coders: input.coders.clone(),
                ..Default::default()
            },
        }
    }

    /// The matrix for the current choices, computed only when they or the project changed.
    pub fn current(&mut self, input: &AnalysisInput<'_>) -> Result<&Matrix, &str> {
        let spec = self.spec(input);
        let compute =
            |project: &Project, spec: &MatrixSpec| matrix(project, spec).map_err(|e| e.to_string());
        self.cells.get(
            (spec, input.revision),
            &input.worker,
            compute,
            |m, (r, c)| r.is_none_or(|r| r < m.rows.len()) && c.is_none_or(|c| c < m.columns.len()),
        )
    }

    /// The excerpts behind the selected cell (cached with the matrix).
    pub fn selected_excerpts(&mut self, input: &AnalysisInput<'_>) -> Vec<Excerpt> {
        let _ = self.current(input);
        let excerpts = PARTS.excerpts;
        self.cells
            .selected_excerpts(input.project, input.revision, excerpts)
    }

    fn controls_ui(&mut self, ui: &mut Ui, input: &AnalysisInput<'_>) {
        let project = input.project;
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(s::ROWS);
            egui::ComboBox::from_id_salt("matrix-rows")
                .selected_text(match self.rows {
                    RowMode::Codes => s::ROWS_CODES,
                    RowMode::Parents => s::ROWS_PARENTS,
                })
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.rows, RowMode::Codes, s::ROWS_CODES);
                    ui.selectable_value(&mut self.rows, RowMode::Parents, s::ROWS_PARENTS);
                })
                .response
                .labelled_by(label.id);
            if self.rows == RowMode::Codes {
                ui.checkbox(&mut self.include_subcodes, s::INCLUDE_SUBCODES);
            }
            ui.separator();
            let label = ui.label(s::COLUMNS);
            egui::ComboBox::from_id_salt("matrix-columns")
                .selected_text(columns_label(&self.columns))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.columns, Columns::Cases, s::COLUMNS_CASES);
                    for name in super::attribute_names(project) {
                        let choice = Columns::Attribute(name);
                        let text = columns_label(&choice);
                        ui.selectable_value(&mut self.columns, choice, text);
                    }
                    ui.selectable_value(
                        &mut self.columns,
                        Columns::Documents,
                        s::COLUMNS_DOCUMENTS,
                    );
                    ui.selectable_value(&mut self.columns, Columns::Speakers, s::COLUMNS_SPEAKERS);
                })
                .response
                .labelled_by(label.id);
            ui.separator();
            let label = ui.label(s::VALUE);
            egui::ComboBox::from_id_salt("matrix-value")
                .selected_text(s::value_label(self.value))
                .show_ui(ui, |ui| {
                    for value in VALUES {
                        ui.selectable_value(&mut self.value, value, s::value_label(value));
                    }
                })
                .response
                .labelled_by(label.id);
            ui.separator();
            ui.checkbox(&mut self.only_selected, s::ONLY_SELECTED_CODES);
        });
    }
}

/// How the matrix's cells are named, checked and traced to excerpts.
const PARTS: CellParts<Matrix, CellRef> = CellParts {
    salt: "matrix-excerpts",
    is_empty: |m| m.rows.is_empty() || m.columns.is_empty(),
    labels: |m, (r, c)| {
        let row = r.and_then(|r| m.rows.get(r));
        let column = c.and_then(|c| m.columns.get(c));
        (
            row.map_or(s::TOTAL.to_string(), |r| r.label.clone()),
            column.map_or(s::TOTAL.to_string(), |c| c.label.clone()),
        )
    },
    excerpts: |m, project, (r, c)| m.cell_excerpts(project, r, c),
};

impl AnalysisView for MatrixView {
    const FRAME: Frame = Frame {
        title: s::MATRIX,
        id: "analysis-matrix",
        size: [1000.0, 680.0],
        position: Some([290.0, 60.0]),
    };

    fn body_ui(&mut self, ui: &mut Ui, cx: &mut ViewCx<'_, '_>) {
        let input = cx.input;
        // As large as the table wants, but never larger than the work area (it ran under the status bar at
        // 1024×700).
        let room = crate::gui::widgets::window_content_max(ui.ctx());
        ui.set_min_size(egui::vec2(880.0, 600.0).min(room));
        self.controls_ui(ui, input);
        let table = self.current(input).ok().map(Matrix::to_table);
        export_row_ui(ui, cx.message, "matrix", table.as_ref(), cx.commands);
        ui.separator();
        let draw = |ui: &mut Ui, m: &Matrix, selected| matrix_table_ui(ui, input, m, selected);
        self.cells.body_ui(ui, input, &PARTS, draw, cx.commands);
    }
}

/// How a column choice is named in the picker.
pub fn columns_label(columns: &Columns) -> String {
    match columns {
        Columns::Cases => s::COLUMNS_CASES.into(),
        Columns::Attribute(name) => format!("{} {name}", s::GROUP_BY_ATTRIBUTE),
        Columns::Documents => s::COLUMNS_DOCUMENTS.into(),
        Columns::Speakers => s::COLUMNS_SPEAKERS.into(),
    }
}

/// The heatmap table with a totals row and column; returns the clicked cell.
fn matrix_table_ui(
    ui: &mut Ui,
    input: &AnalysisInput<'_>,
    m: &Matrix,
    selected: Option<CellRef>,
) -> Option<CellRef> {
    let layout = HeatTable {
        salt: "matrix-table",
        label_width: 250.0,
        cell_width: 76.0,
        columns: m.columns.len(),
        total_column: true,
        header_height: 52.0,
    };
    let max = m
        .values
        .iter()
        .flatten()
        .copied()
        .fold(0.0_f64, f64::max)
        .max(f64::EPSILON);
    let mut clicked = None;
    let header = |header: &mut egui_extras::TableRow<'_, '_>, part: Part| {
        if part == Part::Label {
            header.col(|ui| drop(ui.strong(s::CODE)));
            return;
        }
        for col in &m.columns {
            header.col(|ui| {
                ui.add(egui::Label::new(RichText::new(&col.label).strong()).wrap())
                    .on_hover_text(&col.label);
            });
        }
        header.col(|ui| drop(ui.strong(s::TOTAL)));
    };
    layout.show(ui, m.rows.len() + 1, header, |row, r, part| {
        let r = (r < m.rows.len()).then_some(r);
        if let Some(cell) = matrix_row_ui(row, part, input, (m, max), r, selected) {
            clicked = Some(cell);
        }
    });
    clicked
}

/// One row of the matrix (`None`: the totals row); returns the clicked cell.
fn matrix_row_ui(
    row: &mut egui_extras::TableRow<'_, '_>,
    part: Part,
    input: &AnalysisInput<'_>,
    (m, max): (&Matrix, f64),
    r: Option<usize>,
    selected: Option<CellRef>,
) -> Option<CellRef> {
    let decimals = if m.spec.value == Value::Share { 1 } else { 0 };
    let info = r.and_then(|r| m.rows.get(r));
    if part == Part::Label {
        row.col(|ui| match info {
            Some(info) => code_label_ui(ui, input.project, info.code, &info.label, info.depth),
            None => drop(ui.strong(s::TOTAL)),
        });
        return None;
    }
    let label = info.map_or(s::TOTAL.get(), |i| i.label.as_str());
    let mut clicked = None;
    for c in (0..m.columns.len()).map(Some).chain([None]) {
        let value = m.value(r, c);
        let fraction = if r.is_some() && c.is_some() {
            value / max
        } else {
            0.0
        };
        let column = c.map_or(s::TOTAL.get(), |c| m.columns[c].label.as_str());
        let accessible = format!("{label} × {column}");
        let text = format_value(value, decimals);
        row.col(|ui| {
            if heat_button(ui, &text, fraction, selected == Some((r, c)), &accessible) {
                clicked = Some((r, c));
            }
        });
    }
    clicked
}
