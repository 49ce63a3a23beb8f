//! The Matrix view: codes × cases (or case groups, documents, speakers) as a heatmap table with totals; a click
//! on a cell lists exactly the excerpts behind its number; the table exports to CSV or XLSX.

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::skeleton::{
    AnalysisView, Cached, CellExcerpts, Frame, cell_excerpts_ui, cell_list, export_row_ui,
    result_ui, table_area_ui,
};
use super::{AnalysisInput, format_value, heat_cell_ui};
use crate::analysis::{Columns, Matrix, MatrixSpec, RowMode, Value, matrix};
use crate::gui::commands::Command;
use crate::gui::{strings as s, theme};
use crate::retrieve::Excerpt;

/// A cell address: `None` picks the totals row or column.
pub type CellRef = (Option<usize>, Option<usize>);

/// The view's choices and its cached result.
pub struct MatrixView {
    pub open: bool,
    pub rows: RowMode,
    pub include_subcodes: bool,
    pub columns: Columns,
    pub value: Value,
    /// Only the codes selected in the codebook as rows.
    pub only_selected: bool,
    /// The clicked cell.
    pub selected: Option<CellRef>,
    cache: Cached<MatrixSpec, Matrix>,
    excerpts: CellExcerpts<CellRef>,
}

impl Default for MatrixView {
    fn default() -> Self {
        Self {
            open: false,
            rows: RowMode::Codes,
            include_subcodes: false,
            columns: Columns::Cases,
            value: Value::Codings,
            only_selected: false,
            selected: None,
            cache: Cached::default(),
            excerpts: CellExcerpts::default(),
        }
    }
}

const VALUES: [Value; 5] = [
    Value::Codings,
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
            scope: Default::default(),
        }
    }

    /// The matrix for the current choices, computed only when they or the project changed.
    pub fn current(&mut self, input: &AnalysisInput<'_>) -> Result<&Matrix, &str> {
        let spec = self.spec(input);
        let compute = |spec: &MatrixSpec| matrix(input.project, spec).map_err(|e| e.to_string());
        if self.cache.refresh(spec, input.revision, compute) {
            self.excerpts.clear();
            if let Some(Ok(m)) = self.cache.result()
                && let Some((r, c)) = self.selected
                && (r.is_some_and(|r| r >= m.rows.len()) || c.is_some_and(|c| c >= m.columns.len()))
            {
                self.selected = None;
            }
        }
        self.cache.result().unwrap_or(Err(""))
    }

    /// The excerpts behind the selected cell (cached with the matrix).
    pub fn selected_excerpts(&mut self, input: &AnalysisInput<'_>) -> Vec<Excerpt> {
        let _ = self.current(input);
        let (table, excerpts) = (&self.cache, &mut self.excerpts);
        cell_list(
            table,
            excerpts,
            self.selected,
            input.revision,
            |m, (r, c)| m.cell_excerpts(input.project, r, c),
        )
    }

    /// The row and column labels of a cell (totals named as such).
    fn cell_labels(&mut self, input: &AnalysisInput<'_>, cell: CellRef) -> (String, String) {
        let Ok(m) = self.current(input) else {
            return Default::default();
        };
        let row = cell.0.and_then(|r| m.rows.get(r));
        let column = cell.1.and_then(|c| m.columns.get(c));
        (
            row.map_or(s::TOTAL.to_string(), |r| r.label.clone()),
            column.map_or(s::TOTAL.to_string(), |c| c.label.clone()),
        )
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
                .selected_text(self.value.label())
                .show_ui(ui, |ui| {
                    for value in VALUES {
                        ui.selectable_value(&mut self.value, value, value.label());
                    }
                })
                .response
                .labelled_by(label.id);
            ui.separator();
            ui.checkbox(&mut self.only_selected, s::ONLY_SELECTED_CODES);
        });
    }
}

impl AnalysisView for MatrixView {
    fn frame(&self) -> Frame {
        Frame {
            title: s::MATRIX,
            id: "analysis-matrix",
            size: [1000.0, 680.0],
            position: Some([290.0, 60.0]),
        }
    }

    fn is_open(&self) -> bool {
        self.open
    }

    fn set_open(&mut self, open: bool) {
        self.open = open;
    }

    fn body_ui(
        &mut self,
        ui: &mut Ui,
        input: &AnalysisInput<'_>,
        message: Option<&Result<String, String>>,
        commands: &mut Vec<Command>,
    ) {
        ui.set_min_size(egui::vec2(880.0, 600.0));
        self.controls_ui(ui, input);
        let table = self.current(input).ok().map(Matrix::to_table);
        export_row_ui(ui, message, "matrix", table.as_ref(), commands);
        ui.separator();
        let selected = self.selected;
        let mut clicked = None;
        let shown = result_ui(
            ui,
            self.current(input),
            |m| m.rows.is_empty() || m.columns.is_empty(),
            |ui, m| clicked = table_area_ui(ui, |ui| matrix_table_ui(ui, input, m, selected)),
        );
        if !shown {
            return;
        }
        if clicked.is_some() {
            self.selected = clicked;
        }
        let list = self.selected_excerpts(input);
        let labels = self.selected.map(|cell| self.cell_labels(input, cell));
        let cell = labels
            .as_ref()
            .map(|(row, column)| (list.as_slice(), row.as_str(), column.as_str()));
        cell_excerpts_ui(ui, input.project, "matrix-excerpts", cell, commands);
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

/// The heatmap table; returns the clicked cell.
fn matrix_table_ui(
    ui: &mut Ui,
    input: &AnalysisInput<'_>,
    m: &Matrix,
    selected: Option<CellRef>,
) -> Option<CellRef> {
    let dark = ui.visuals().dark_mode;
    let decimals = if m.spec.value == Value::Share { 1 } else { 0 };
    let max = m
        .values
        .iter()
        .flatten()
        .copied()
        .fold(0.0_f64, f64::max)
        .max(f64::EPSILON);
    let mut clicked = None;
    let n_cols = m.columns.len();
    egui::ScrollArea::horizontal()
        .id_salt("matrix-hscroll")
        .auto_shrink([false, true])
        .show(ui, |ui| {
            let height = ui.available_height() - 30.0;
            TableBuilder::new(ui)
                .id_salt("matrix-table")
                .striped(true)
                .resizable(true)
                .auto_shrink([false, true])
                .min_scrolled_height(0.0)
                .max_scroll_height(height)
                .column(Column::initial(250.0).at_least(120.0).clip(true))
                .columns(Column::initial(76.0).at_least(40.0).clip(true), n_cols)
                .column(Column::initial(70.0).at_least(40.0))
                .header(34.0, |mut header| {
                    header.col(|ui| {
                        ui.strong(s::CODE);
                    });
                    for col in &m.columns {
                        header.col(|ui| {
                            ui.add(egui::Label::new(RichText::new(&col.label).strong()).wrap())
                                .on_hover_text(&col.label);
                        });
                    }
                    header.col(|ui| {
                        ui.strong(s::TOTAL);
                    });
                })
                .body(|body| {
                    body.rows(22.0, m.rows.len() + 1, |mut row| {
                        let r = row.index();
                        let is_total = r == m.rows.len();
                        let r_ref = (!is_total).then_some(r);
                        let label = if is_total {
                            s::TOTAL.to_string()
                        } else {
                            m.rows[r].label.clone()
                        };
                        row.col(|ui| {
                            if is_total {
                                ui.strong(s::TOTAL);
                            } else {
                                let row_info = &m.rows[r];
                                let colour = input
                                    .project
                                    .codes()
                                    .get(&row_info.code)
                                    .map(|c| theme::code_colour(&c.colour, dark))
                                    .unwrap_or(ui.visuals().text_color());
                                let name = row_info
                                    .label
                                    .rsplit(crate::model::PATH_SEPARATOR)
                                    .next()
                                    .unwrap_or(&row_info.label);
                                super::row_label_ui(
                                    ui,
                                    colour,
                                    name,
                                    row_info.depth,
                                    &row_info.label,
                                );
                            }
                        });
                        for c in 0..=n_cols {
                            let c_ref = (c < n_cols).then_some(c);
                            let value = m.value(r_ref, c_ref);
                            let fraction = if is_total || c_ref.is_none() {
                                0.0
                            } else {
                                value / max
                            };
                            let col_label = c_ref
                                .map_or(s::TOTAL, |c| m.columns[c].label.as_str())
                                .to_string();
                            row.col(|ui| {
                                let text = format_value(value, decimals);
                                let accessible = format!("{label} × {col_label}");
                                let response = heat_cell_ui(
                                    ui,
                                    &text,
                                    fraction,
                                    selected == Some((r_ref, c_ref)),
                                    &accessible,
                                )
                                .on_hover_text(format!("{accessible}: {text}"));
                                if response.clicked() {
                                    clicked = Some((r_ref, c_ref));
                                }
                            });
                        }
                    });
                });
        });
    clicked
}
