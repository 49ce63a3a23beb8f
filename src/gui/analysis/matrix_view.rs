//! The Matrix view: codes × cases (or case groups, documents, speakers) as a heatmap table with totals; a click
//! on a cell lists exactly the excerpts behind its number; the table exports to CSV or XLSX.

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::{AnalysisInput, Exporter, export_row_ui, format_value, heat_cell_ui, view_window};
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
    cache: Option<(MatrixSpec, u64, Result<Matrix, String>)>,
    excerpts: Option<(CellRef, u64, Vec<Excerpt>)>,
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
            cache: None,
            excerpts: None,
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
        let fresh = self
            .cache
            .as_ref()
            .is_some_and(|(k, r, _)| *k == spec && *r == input.revision);
        if !fresh {
            let result = matrix(input.project, &spec).map_err(|e| e.to_string());
            self.cache = Some((spec, input.revision, result));
            self.excerpts = None;
            if let Some(Ok(m)) = self.cache.as_ref().map(|c| &c.2)
                && let Some((r, c)) = self.selected
                && (r.is_some_and(|r| r >= m.rows.len()) || c.is_some_and(|c| c >= m.columns.len()))
            {
                self.selected = None;
            }
        }
        match &self.cache {
            Some((_, _, Ok(m))) => Ok(m),
            Some((_, _, Err(e))) => Err(e.as_str()),
            None => Err(""),
        }
    }

    /// The excerpts behind the selected cell (cached with the matrix).
    pub fn selected_excerpts(&mut self, input: &AnalysisInput<'_>) -> Vec<Excerpt> {
        let Some(cell) = self.selected else {
            return Vec::new();
        };
        if let Some((c, r, list)) = &self.excerpts
            && *c == cell
            && *r == input.revision
        {
            return list.clone();
        }
        let list = match self.current(input) {
            Ok(m) => m.cell_excerpts(input.project, cell.0, cell.1),
            Err(_) => Vec::new(),
        };
        self.excerpts = Some((cell, input.revision, list.clone()));
        list
    }

    pub fn window_ui(
        &mut self,
        ctx: &egui::Context,
        input: &AnalysisInput<'_>,
        exporter: &Exporter,
        message: Option<&Result<String, String>>,
        commands: &mut Vec<Command>,
    ) {
        let mut open = self.open;
        view_window(
            ctx,
            s::MATRIX,
            "analysis-matrix",
            [1000.0, 680.0],
            Some([290.0, 60.0]),
            &mut open,
            |ui| self.body_ui(ui, input, exporter, message, commands),
        );
        self.open = open;
    }

    fn body_ui(
        &mut self,
        ui: &mut Ui,
        input: &AnalysisInput<'_>,
        exporter: &Exporter,
        message: Option<&Result<String, String>>,
        commands: &mut Vec<Command>,
    ) {
        ui.set_min_size(egui::vec2(880.0, 600.0));
        self.controls_ui(ui, input);
        let table = self.current(input).ok().map(Matrix::to_table);
        export_row_ui(ui, exporter, message, "matrix", || table.clone());
        ui.separator();
        let dark = ui.visuals().dark_mode;
        let selected = self.selected;
        let mut clicked = None;
        let table_height = (ui.available_height() * 0.55).clamp(180.0, 560.0);
        match self.current(input) {
            Err(e) => {
                ui.label(RichText::new(e).color(theme::error_colour(dark)));
                return;
            }
            Ok(m) if m.rows.is_empty() || m.columns.is_empty() => {
                ui.label(RichText::new(s::NOTHING_TO_SHOW).color(theme::muted(dark)));
                return;
            }
            Ok(m) => {
                ui.allocate_ui(egui::vec2(ui.available_width(), table_height), |ui| {
                    clicked = matrix_table_ui(ui, input, m, selected);
                });
            }
        }
        if let Some(cell) = clicked {
            self.selected = Some(cell);
        }
        ui.separator();
        let Some(cell) = self.selected else {
            ui.label(RichText::new(s::CLICK_A_CELL).color(theme::muted(dark)));
            return;
        };
        let list = self.selected_excerpts(input);
        let (row_label, col_label) = match self.current(input) {
            Ok(m) => (
                cell.0
                    .and_then(|r| m.rows.get(r))
                    .map_or(s::TOTAL.to_string(), |r| r.label.clone()),
                cell.1
                    .and_then(|c| m.columns.get(c))
                    .map_or(s::TOTAL.to_string(), |c| c.label.clone()),
            ),
            Err(_) => return,
        };
        ui.label(RichText::new(s::cell_excerpts(list.len(), &row_label, &col_label)).strong());
        super::excerpt_list_ui(ui, input.project, "matrix-excerpts", &list, commands);
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
