//! The Co-occurrence view: codes × codes as a heatmap whose cells list the excerpts behind them.
//!
//! The Co-occurrence view: codes × codes as a heatmap (overlap, within N characters, same turn or paragraph;
//! counts or Jaccard values); a click on a cell lists the excerpts of the codings behind it; CSV/XLSX export.

use egui::{RichText, Ui};

use super::skeleton::{AnalysisView, CellParts, CellTable, Frame, ViewCx, export_row_ui};
use super::{AnalysisInput, HeatTable, Part, code_label_ui, format_value, heat_button};
use crate::analysis::{Cooccurrence, CooccurrenceSpec, Proximity, cooccurrence};
use crate::gui::strings as s;
use crate::model::Project;
use crate::retrieve::Excerpt;

/// The view's choices and its cached result.
pub struct CooccurrenceView {
    pub proximity: Proximity,
    /// N for [`Proximity::Within`], kept while another proximity is chosen.
    pub within: usize,
    pub jaccard: bool,
    pub include_subcodes: bool,
    pub only_selected: bool,
    /// The table, the clicked cell and its excerpts.
    pub cells: CellTable<CooccurrenceSpec, Cooccurrence, (usize, usize)>,
}

impl Default for CooccurrenceView {
    fn default() -> Self {
        Self {
            proximity: Proximity::Overlap,
            within: 200,
            jaccard: false,
            include_subcodes: false,
            only_selected: false,
            cells: CellTable::default(),
        }
    }
}

impl CooccurrenceView {
    pub fn spec(&self, input: &AnalysisInput<'_>) -> CooccurrenceSpec {
        CooccurrenceSpec {
            codes: if self.only_selected {
                input.selected_codes.iter().copied().collect()
            } else {
                Vec::new()
            },
            include_subcodes: self.include_subcodes,
            proximity: match self.proximity {
                Proximity::Within(_) => Proximity::Within(self.within),
                other => other,
            },
            jaccard: self.jaccard,
            scope: crate::analysis::Scope {
                coders: input.coders.clone(),
                ..Default::default()
            },
        }
    }

    /// The table for the current choices (recomputed only when they or the project changed).
    pub fn current(&mut self, input: &AnalysisInput<'_>) -> Result<&Cooccurrence, &str> {
        let spec = self.spec(input);
        let compute = |project: &Project, spec: &CooccurrenceSpec| {
            cooccurrence(project, spec).map_err(|e| e.to_string())
        };
        self.cells.get(
            (spec, input.revision),
            &input.worker,
            compute,
            |t, (r, c)| r < t.codes.len() && c < t.codes.len(),
        )
    }

    /// The excerpts behind the selected cell.
    pub fn selected_excerpts(&mut self, input: &AnalysisInput<'_>) -> Vec<Excerpt> {
        let _ = self.current(input);
        let excerpts = PARTS.excerpts;
        self.cells
            .selected_excerpts(input.project, input.revision, excerpts)
    }

    fn controls_ui(&mut self, ui: &mut Ui) {
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(s::PROXIMITY);
            let current = match self.proximity {
                Proximity::Overlap => s::PROX_OVERLAP,
                Proximity::Within(_) => s::PROX_WITHIN,
                Proximity::SameTurn => s::PROX_TURN,
                Proximity::SameParagraph => s::PROX_PARAGRAPH,
            };
            egui::ComboBox::from_id_salt("cooc-proximity")
                .selected_text(current)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.proximity, Proximity::Overlap, s::PROX_OVERLAP);
                    ui.selectable_value(
                        &mut self.proximity,
                        Proximity::Within(self.within),
                        s::PROX_WITHIN,
                    );
                    ui.selectable_value(&mut self.proximity, Proximity::SameTurn, s::PROX_TURN);
                    ui.selectable_value(
                        &mut self.proximity,
                        Proximity::SameParagraph,
                        s::PROX_PARAGRAPH,
                    );
                })
                .response
                .labelled_by(label.id);
            if matches!(self.proximity, Proximity::Within(_)) {
                let label = ui.label(s::CHARACTERS);
                ui.add(egui::DragValue::new(&mut self.within).range(0..=100_000))
                    .labelled_by(label.id);
            }
            ui.separator();
            ui.checkbox(&mut self.jaccard, s::JACCARD);
            ui.checkbox(&mut self.include_subcodes, s::INCLUDE_SUBCODES);
            ui.checkbox(&mut self.only_selected, s::ONLY_SELECTED_CODES);
        });
    }
}

/// How the table's cells are named, checked and traced to excerpts.
const PARTS: CellParts<Cooccurrence, (usize, usize)> = CellParts {
    salt: "cooc-excerpts",
    is_empty: |t| t.codes.is_empty(),
    labels: |t, (r, c)| {
        let label = |i: usize| t.codes.get(i).map(|x| x.label.clone()).unwrap_or_default();
        (label(r), label(c))
    },
    excerpts: |t, project, (r, c)| t.cell_excerpts(project, r, c),
};

impl AnalysisView for CooccurrenceView {
    const FRAME: Frame = Frame {
        title: s::COOCCURRENCE,
        id: "analysis-cooccurrence",
        size: [980.0, 660.0],
        position: Some([290.0, 60.0]),
    };

    fn body_ui(&mut self, ui: &mut Ui, cx: &mut ViewCx<'_, '_>) {
        let input = cx.input;
        // As large as the table wants, but never larger than the work area (it ran under the status bar at
        // 1024×700).
        let room = crate::gui::widgets::window_content_max(ui.ctx());
        ui.set_min_size(egui::vec2(880.0, 600.0).min(room));
        self.controls_ui(ui);
        let table = self.current(input).ok().map(Cooccurrence::to_table);
        export_row_ui(ui, cx.message, "cooccurrence", table.as_ref(), cx.commands);
        ui.separator();
        let draw = |ui: &mut Ui, t: &Cooccurrence, selected| table_ui(ui, input, t, selected);
        self.cells.body_ui(ui, input, &PARTS, draw, cx.commands);
    }
}

/// The codes × codes heatmap; returns the clicked cell.
fn table_ui(
    ui: &mut Ui,
    input: &AnalysisInput<'_>,
    t: &Cooccurrence,
    selected: Option<(usize, usize)>,
) -> Option<(usize, usize)> {
    let decimals = if t.spec.jaccard { 2 } else { 0 };
    let n = t.codes.len();
    // The diagonal (a code with itself) would dominate the colour scale.
    let max = (0..n)
        .flat_map(|r| (0..n).filter(move |c| *c != r).map(move |c| (r, c)))
        .map(|(r, c)| t.values[r][c])
        .fold(0.0_f64, f64::max)
        .max(f64::EPSILON);
    let layout = HeatTable {
        salt: "cooc-table",
        label_width: 240.0,
        cell_width: 64.0,
        columns: n,
        total_column: false,
        header_height: 48.0,
    };
    let mut clicked = None;
    let header = |header: &mut egui_extras::TableRow<'_, '_>, part: Part| {
        if part == Part::Label {
            header.col(|ui| drop(ui.strong(s::CODE)));
            return;
        }
        for code in &t.codes {
            header.col(|ui| {
                let name = code
                    .label
                    .rsplit(crate::model::PATH_SEPARATOR)
                    .next()
                    .unwrap_or(&code.label);
                ui.add(egui::Label::new(RichText::new(name).strong().small()).wrap())
                    .on_hover_text(&code.label);
            });
        }
    };
    layout.show(ui, n, header, |row, r, part| {
        let code = &t.codes[r];
        if part == Part::Label {
            row.col(|ui| code_label_ui(ui, input.project, code.code, &code.label, code.depth));
            return;
        }
        for c in 0..n {
            let value = t.values[r][c];
            let fraction = if r == c { 0.0 } else { value / max };
            let accessible = format!("{} × {}", code.label, t.codes[c].label);
            let text = format_value(value, decimals);
            row.col(|ui| {
                if heat_button(ui, &text, fraction, selected == Some((r, c)), &accessible) {
                    clicked = Some((r, c));
                }
            });
        }
    });
    clicked
}
