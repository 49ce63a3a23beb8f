//! The Chart view: a code applied per case group, one bar per group stacked by sub-code (egui_plot).
//!
//! The Chart view: how often a code is applied in each case group (e.g. LOG vs control), one bar per group,
//! stacked by sub-code (each rolled up with its own sub-codes), drawn with egui_plot.

use egui::{RichText, Ui};
use egui_plot::{Bar, BarChart, Plot};

use super::AnalysisInput;
use super::skeleton::{AnalysisView, Cached, Frame, ViewCx, export_row_ui, result_ui};
use crate::analysis::{Cell, Columns, MatrixSpec, RowMode, Table, Value, matrix};
use crate::gui::{strings as s, theme};
use crate::ids::CodeId;

/// One stacked segment: a code and its count per group.
#[derive(Clone, Debug)]
pub struct Segment {
    pub code: CodeId,
    pub label: String,
    pub colour: String,
    pub counts: Vec<f64>,
}

/// The bars: group labels and the segments stacked on them.
#[derive(Clone, Debug, Default)]
pub struct ChartData {
    pub groups: Vec<String>,
    pub segments: Vec<Segment>,
}

#[derive(Clone, PartialEq)]
struct Key {
    attribute: String,
    code: CodeId,
    value: Value,
}

/// The view's choices and cached bars.
#[derive(Default)]
pub struct ChartView {
    pub attribute: Option<String>,
    pub code: Option<CodeId>,
    pub value: Value,
    cache: Cached<Key, ChartData>,
}

/// The bars for a code by the groups of an attribute: the code's sub-codes (rolled up) and its own codings.
pub fn chart_data(
    project: &crate::model::Project,
    attribute: &str,
    code: CodeId,
    value: Value,
    coders: &crate::coders::CoderSelection,
) -> crate::Result<ChartData> {
    let children: Vec<CodeId> = project
        .code_tree()
        .into_iter()
        .filter(|(_, c)| c.parent == Some(code))
        .map(|(_, c)| c.id)
        .collect();
    let spec = |codes: Vec<CodeId>, include_subcodes: bool| MatrixSpec {
        rows: RowMode::Codes,
        codes,
        include_subcodes,
        columns: Columns::Attribute(attribute.to_string()),
        value,
        scope: crate::analysis::Scope {
            coders: coders.clone(),
            ..Default::default()
        },
    };
    let own = matrix(project, &spec(vec![code], false))?;
    let mut data = ChartData {
        groups: own.columns.iter().map(|c| c.label.clone()).collect(),
        segments: Vec::new(),
    };
    let mut push = |m: &crate::analysis::Matrix, r: usize, label: String| {
        let id = m.rows[r].code;
        data.segments.push(Segment {
            code: id,
            label,
            colour: project
                .codes()
                .get(&id)
                .map(|c| c.colour.clone())
                .unwrap_or_default(),
            counts: m.values[r].clone(),
        });
    };
    if !children.is_empty() {
        let subs = matrix(project, &spec(children.clone(), true))?;
        for r in 0..subs.rows.len() {
            let name = project
                .codes()
                .get(&subs.rows[r].code)
                .map(|c| c.name.clone())
                .unwrap_or_default();
            push(&subs, r, name);
        }
    }
    if own
        .values
        .first()
        .is_some_and(|v| v.iter().any(|x| *x > 0.0))
        || children.is_empty()
    {
        let name = project
            .codes()
            .get(&code)
            .map(|c| s::itself(&c.name))
            .unwrap_or_default();
        push(&own, 0, name);
    }
    Ok(data)
}

impl ChartData {
    /// The bars as a table (what Copy table and the exports write): a row per segment, a column per group, and
    /// the totals of each group below; `value` names what is counted.
    pub fn to_table(&self, value: Value) -> Table {
        let mut header = vec![s::CODE.to_string()];
        header.extend(self.groups.iter().cloned());
        let mut table = Table::new(format!("{} – {}", s::CHART, value.label()), header);
        let cell = |x: f64| match value {
            Value::Share => Cell::Number(x),
            _ => Cell::Count(x.max(0.0).round() as u64),
        };
        let mut totals = vec![0.0; self.groups.len()];
        for segment in &self.segments {
            let mut row = vec![Cell::Text(segment.label.clone())];
            for (g, total) in totals.iter_mut().enumerate() {
                let x = segment.counts.get(g).copied().unwrap_or(0.0);
                *total += x;
                row.push(cell(x));
            }
            table.rows.push(row);
        }
        let mut last = vec![Cell::from(s::TOTAL.get())];
        last.extend(totals.into_iter().map(cell));
        table.rows.push(last);
        table
    }
}

impl ChartView {
    fn ensure_defaults(&mut self, input: &AnalysisInput<'_>) {
        let project = input.project;
        if self
            .attribute
            .as_ref()
            .is_none_or(|a| !project.attributes().contains_key(a))
        {
            self.attribute = super::default_attribute(project);
        }
        if self.code.is_none_or(|c| !project.codes().contains_key(&c)) {
            // The first top-level code with sub-codes.
            self.code = project
                .code_tree()
                .into_iter()
                .find(|(_, c)| {
                    c.parent.is_none() && project.codes().values().any(|x| x.parent == Some(c.id))
                })
                .or_else(|| project.code_tree().into_iter().next())
                .map(|(_, c)| c.id);
        }
    }

    /// True while the result is computed on its worker.
    pub fn computing(&self) -> bool {
        self.cache.computing()
    }

    /// Blocks until the computation in flight is done (tests, benchmarks).
    pub fn wait(&mut self) {
        self.cache.wait();
    }

    /// The bars for the current choices (recomputed only when they or the project changed).
    pub fn current(&mut self, input: &AnalysisInput<'_>) -> Option<Result<&ChartData, &str>> {
        self.ensure_defaults(input);
        let key = Key {
            attribute: self.attribute.clone()?,
            code: self.code?,
            value: self.value,
        };
        let coders = input.coders.clone();
        let compute = move |project: &crate::model::Project, k: &Key| {
            chart_data(project, &k.attribute, k.code, k.value, &coders).map_err(|e| e.to_string())
        };
        Some(self.cache.get(key, input.revision, &input.worker, compute))
    }

    fn controls_ui(&mut self, ui: &mut Ui, project: &crate::model::Project) {
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(s::GROUP_BY_ATTRIBUTE);
            egui::ComboBox::from_id_salt("chart-attr")
                .selected_text(self.attribute.clone().unwrap_or_default())
                .show_ui(ui, |ui| {
                    for name in super::attribute_names(project) {
                        ui.selectable_value(&mut self.attribute, Some(name.clone()), name);
                    }
                })
                .response
                .labelled_by(label.id);
            ui.separator();
            let label = ui.label(s::STACK_CODE);
            let current = self.code.map(|c| project.code_path(c)).unwrap_or_default();
            egui::ComboBox::from_id_salt("chart-code")
                .selected_text(current)
                .width(260.0)
                .height(420.0)
                .show_ui(ui, |ui| {
                    for (id, path) in super::code_choices(project) {
                        ui.selectable_value(&mut self.code, Some(id), path);
                    }
                })
                .response
                .labelled_by(label.id);
            ui.separator();
            let label = ui.label(s::VALUE);
            egui::ComboBox::from_id_salt("chart-value")
                .selected_text(s::value_label(self.value))
                .show_ui(ui, |ui| {
                    for value in [Value::Codings, Value::Documents, Value::Characters] {
                        ui.selectable_value(&mut self.value, value, s::value_label(value));
                    }
                })
                .response
                .labelled_by(label.id);
        });
    }
}

impl AnalysisView for ChartView {
    const FRAME: Frame = Frame {
        title: s::CHART,
        id: "analysis-chart",
        size: [820.0, 560.0],
        position: None,
    };

    fn body_ui(&mut self, ui: &mut Ui, cx: &mut ViewCx<'_, '_>) {
        let input = cx.input;
        self.ensure_defaults(input);
        if input.project.attributes().is_empty() {
            let dark = ui.visuals().dark_mode;
            ui.label(RichText::new(s::NO_ATTRIBUTES).color(theme::muted(dark)));
            return;
        }
        self.controls_ui(ui, input.project);
        let value = self.value;
        let table = match self.current(input) {
            Some(Ok(data)) => Some(data.to_table(value)),
            _ => None,
        };
        export_row_ui(ui, cx.message, "chart", table.as_ref(), cx.commands);
        ui.separator();
        let value_label = s::value_label(self.value);
        let _ = self.current(input);
        super::skeleton::computing_ui(ui, self.cache.computing());
        if let Some(result) = self.current(input) {
            result_ui(
                ui,
                result,
                |_| false,
                |ui, data| plot_ui(ui, data, value_label),
            );
        }
    }
}

/// The legend above the plot (never over the bars): a swatch and the name of each sub-code.
fn legend_ui(ui: &mut Ui, data: &ChartData) {
    let dark = ui.visuals().dark_mode;
    ui.horizontal_wrapped(|ui| {
        for segment in &data.segments {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
            ui.painter()
                .rect_filled(rect, 2.0, theme::code_colour(&segment.colour, dark));
            ui.label(&segment.label);
            ui.add_space(6.0);
        }
    });
}

/// The stacked bars, one per group, a segment per sub-code, under their legend.
fn plot_ui(ui: &mut Ui, data: &ChartData, value_label: &str) {
    legend_ui(ui, data);
    let dark = ui.visuals().dark_mode;
    let groups = data.groups.clone();
    let mut charts: Vec<BarChart> = Vec::new();
    for segment in &data.segments {
        let bars = segment
            .counts
            .iter()
            .enumerate()
            .map(|(x, v)| {
                Bar::new(x as f64, *v)
                    .width(0.6)
                    .name(groups.get(x).cloned().unwrap_or_default())
            })
            .collect();
        let mut chart = BarChart::new(segment.label.clone(), bars)
            .color(theme::code_colour(&segment.colour, dark));
        {
            let below: Vec<&BarChart> = charts.iter().collect();
            chart = chart.stack_on(&below);
        }
        charts.push(chart);
    }
    let mut plot = Plot::new("chart-plot");
    if crate::gui::locale::current().is_norwegian() {
        // Decimal comma and grouped thousands on the value axis (egui_plot's own marks use a point).
        plot = plot.y_axis_formatter(|mark, _| {
            let decimals = if mark.step_size >= 1.0 {
                0
            } else {
                (-mark.step_size.log10()).ceil().clamp(0.0, 6.0) as usize
            };
            crate::gui::locale::decimal(mark.value, decimals)
        });
    }
    plot.allow_zoom(false)
        .allow_scroll(false)
        .allow_drag(false)
        .y_axis_label(value_label)
        .x_axis_formatter(move |mark, _| {
            let x = mark.value;
            if (x - x.round()).abs() < 1e-6 && x >= 0.0 {
                groups.get(x.round() as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .show(ui, |plot| {
            for chart in charts {
                plot.bar_chart(chart);
            }
        });
}
