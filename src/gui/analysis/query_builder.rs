//! The coding-query builder: A AND/OR/NOT/NEAR B with restrictions, its passages, and "Save as code…".
//!
//! The coding-query builder: code A, an operator (AND, OR, NOT, NEAR within N characters or the same turn), code B
//! and optional restrictions, chosen from lists without typing syntax; the passages update as the choices change
//! (cached by query and project revision), a click jumps to one, and "Save as code…" applies the result as one
//! undoable edit.

use egui::{RichText, Ui};

use super::skeleton::{AnalysisView, Cached, Frame, ViewCx, export_row_ui, result_ui};
use super::{AnalysisInput, citation, clip, code_choices, passage_ui};
use crate::analysis::{AttrFilter, CodingQuery, Near, QueryExpr, QueryResult, Scope, run_query};
use crate::gui::commands::Command;
use crate::gui::widgets::choice_combo;
use crate::gui::{strings as s, theme};
use crate::ids::{CaseId, CodeId, CoderId};
use crate::model::Project;

/// The operator between code A and code B.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Operator {
    #[default]
    And,
    Or,
    Not,
    Near,
}

impl Operator {
    pub const ALL: [Operator; 4] = [Self::And, Self::Or, Self::Not, Self::Near];

    pub fn label(self) -> &'static str {
        match self {
            Self::And => s::OP_AND.get(),
            Self::Or => s::OP_OR.get(),
            Self::Not => s::OP_NOT.get(),
            Self::Near => s::OP_NEAR.get(),
        }
    }
}

/// The builder's choices and its cached result.
pub struct QueryBuilder {
    pub code_a: Option<CodeId>,
    pub operator: Operator,
    pub code_b: Option<CodeId>,
    /// NEAR: the same turn instead of N characters.
    pub near_turn: bool,
    pub near_chars: usize,
    pub include_subcodes: bool,
    pub case: Option<CaseId>,
    pub attribute: Option<String>,
    pub attribute_value: Option<String>,
    pub speaker: String,
    pub coder: Option<CoderId>,
    pub text: String,
    /// The code path a result is saved as.
    pub save_path: String,
    pub saving: bool,
    cache: Cached<CodingQuery, QueryResult>,
}

impl Default for QueryBuilder {
    fn default() -> Self {
        Self {
            code_a: None,
            operator: Operator::And,
            code_b: None,
            near_turn: false,
            near_chars: 200,
            include_subcodes: true,
            case: None,
            attribute: None,
            attribute_value: None,
            speaker: String::new(),
            coder: None,
            text: String::new(),
            save_path: String::new(),
            saving: false,
            cache: Cached::default(),
        }
    }
}

impl QueryBuilder {
    /// The query the choices describe (`None` until the codes it needs are chosen).
    pub fn query(&self) -> Option<CodingQuery> {
        let a = QueryExpr::Code(self.code_a?);
        let expr = match (self.operator, self.code_b) {
            (Operator::Or, None) => a,
            (_, None) => return None,
            (op, Some(b)) => {
                let (a, b) = (Box::new(a), Box::new(QueryExpr::Code(b)));
                match op {
                    Operator::And => QueryExpr::And(a, b),
                    Operator::Or => QueryExpr::Or(a, b),
                    Operator::Not => QueryExpr::Not(a, b),
                    Operator::Near => QueryExpr::Near(
                        a,
                        b,
                        if self.near_turn {
                            Near::Turn
                        } else {
                            Near::Chars(self.near_chars)
                        },
                    ),
                }
            }
        };
        let mut query = CodingQuery::new(expr);
        query.include_subcodes = self.include_subcodes;
        query.scope = Scope {
            cases: self.case.into_iter().collect(),
            attributes: match (&self.attribute, &self.attribute_value) {
                (Some(name), Some(value)) => vec![AttrFilter {
                    name: name.clone(),
                    value: value.clone(),
                }],
                _ => Vec::new(),
            },
            documents: Vec::new(),
            coders: self.coder.into_iter().collect(),
        };
        query.speaker = Some(self.speaker.trim().to_string()).filter(|s| !s.is_empty());
        query.text = Some(self.text.trim().to_string()).filter(|s| !s.is_empty());
        Some(query)
    }

    /// Asks for the query to run again on the next frame.
    pub fn run(&mut self) {
        self.cache.clear();
    }

    /// True while the result is computed on its worker.
    pub fn computing(&self) -> bool {
        self.cache.computing()
    }

    /// Blocks until the computation in flight is done (tests, benchmarks).
    pub fn wait(&mut self) {
        self.cache.wait();
    }

    /// The result for the current choices (run again only when they or the project changed).
    pub fn current(&mut self, input: &AnalysisInput<'_>) -> Option<Result<&QueryResult, &str>> {
        let mut query = self.query()?;
        query.scope.coders = match self.coder {
            Some(c) if input.coders.contains(c) => crate::coders::CoderSelection::one(c),
            Some(_) => crate::coders::CoderSelection::Only(Default::default()),
            None => input.coders.clone(),
        };
        if query.text.is_some() && input.index.is_none() {
            self.cache.clear();
            return Some(Err(s::INDEXING.get()));
        }
        let index = input.index.map(crate::index::SearchIndex::search_view);
        let compute = move |project: &crate::model::Project, q: &CodingQuery| {
            run_query(project, index.as_ref(), q).map_err(|e| e.to_string())
        };
        Some(
            self.cache
                .get(query, input.revision, &input.worker, compute),
        )
    }

    /// The command that saves the current query's passages as the code `save_path`.
    fn save_command(&self) -> Command {
        let path = self.save_path.trim();
        match self.query() {
            _ if path.is_empty() => Command::Error(s::NEW_CODE_PATH.to_string()),
            None => Command::Error(s::CHOOSE_TWO_CODES.to_string()),
            Some(query) => Command::SaveQueryAsCode {
                query: Box::new(query),
                path: path.to_string(),
            },
        }
    }

    /// Code A, the operator (and NEAR's distance), code B.
    fn definition_ui(&mut self, ui: &mut Ui, codes: &[(CodeId, String)]) {
        egui::Grid::new("query-grid")
            .num_columns(2)
            .spacing([10.0, 6.0])
            .show(ui, |ui| {
                let label = ui.label(s::CODE_A);
                code_combo(ui, "query-a", codes, &mut self.code_a, label.id);
                ui.end_row();
                let label = ui.label(s::OPERATOR);
                ui.horizontal(|ui| {
                    egui::ComboBox::from_id_salt("query-op")
                        .selected_text(self.operator.label())
                        .show_ui(ui, |ui| {
                            for op in Operator::ALL {
                                ui.selectable_value(&mut self.operator, op, op.label());
                            }
                        })
                        .response
                        .labelled_by(label.id);
                    if self.operator == Operator::Near {
                        ui.radio_value(&mut self.near_turn, false, s::NEAR_CHARS);
                        ui.add_enabled(
                            !self.near_turn,
                            egui::DragValue::new(&mut self.near_chars).range(0..=100_000),
                        );
                        ui.radio_value(&mut self.near_turn, true, s::NEAR_TURN);
                    }
                });
                ui.end_row();
                let label = ui.label(s::CODE_B);
                code_combo(ui, "query-b", codes, &mut self.code_b, label.id);
                ui.end_row();
                ui.label("");
                ui.checkbox(&mut self.include_subcodes, s::INCLUDE_SUBCODES);
                ui.end_row();
            });
    }

    /// "Run query", "Save as code…" and the code path to save as.
    fn actions_ui(&mut self, ui: &mut Ui, commands: &mut Vec<Command>) {
        ui.horizontal(|ui| {
            if ui.button(s::RUN_QUERY).clicked() {
                self.run();
            }
            if ui.button(s::SAVE_AS_CODE).clicked() {
                self.saving = !self.saving;
            }
        });
        if !self.saving {
            return;
        }
        ui.horizontal(|ui| {
            let label = ui.label(s::NEW_CODE_PATH);
            ui.add(
                egui::TextEdit::singleline(&mut self.save_path)
                    .hint_text(s::NEW_CODE_HINT)
                    .desired_width(260.0),
            )
            .labelled_by(label.id);
            if ui.button(s::SAVE_CODE).clicked() {
                commands.push(self.save_command());
            }
        });
    }

    fn restrictions_ui(&mut self, ui: &mut Ui, input: &AnalysisInput<'_>) {
        let project = input.project;
        egui::Grid::new("query-restrict")
            .num_columns(2)
            .spacing([10.0, 6.0])
            .show(ui, |ui| {
                let label = ui.label(s::CASE_FILTER).id;
                let cases = project.cases().values();
                let cases: Vec<(CaseId, &str)> = cases.map(|c| (c.id, c.name.as_str())).collect();
                choice_combo(
                    ui,
                    (label, "query-case", s::ANY_CASE.get()),
                    cases,
                    &mut self.case,
                );
                ui.end_row();

                let label = ui.label(s::GROUP_ATTRIBUTE);
                self.attribute_ui(ui, project, label.id);
                ui.end_row();

                let label = ui.label(s::SPEAKER);
                ui.add(
                    egui::TextEdit::singleline(&mut self.speaker)
                        .hint_text(s::SPEAKER_HINT)
                        .desired_width(220.0),
                )
                .labelled_by(label.id);
                ui.end_row();

                let label = ui.label(s::CODER_FILTER).id;
                let coders = project.coders().values();
                let coders: Vec<(CoderId, &str)> =
                    coders.map(|c| (c.id, c.name.as_str())).collect();
                choice_combo(
                    ui,
                    (label, "query-coder", s::ANY_CODER.get()),
                    coders,
                    &mut self.coder,
                );
                ui.end_row();

                let label = ui.label(s::TEXT_QUERY);
                ui.add(
                    egui::TextEdit::singleline(&mut self.text)
                        .hint_text(s::TEXT_QUERY_HINT)
                        .desired_width(220.0),
                )
                .labelled_by(label.id);
                ui.end_row();
            });
    }
}

impl QueryBuilder {
    /// The attribute of a case group and its value.
    fn attribute_ui(&mut self, ui: &mut Ui, project: &crate::model::Project, label: egui::Id) {
        ui.horizontal(|ui| {
            let before = self.attribute.clone();
            egui::ComboBox::from_id_salt("query-attr")
                .selected_text(self.attribute.as_deref().unwrap_or(s::ANY_ATTRIBUTE.get()))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.attribute, None, s::ANY_ATTRIBUTE);
                    for name in super::attribute_names(project) {
                        ui.selectable_value(&mut self.attribute, Some(name.clone()), name);
                    }
                })
                .response
                .labelled_by(label);
            if self.attribute != before {
                self.attribute_value = None;
            }
            if let Some(name) = self.attribute.clone() {
                egui::ComboBox::from_id_salt("query-attr-value")
                    .selected_text(
                        self.attribute_value
                            .as_deref()
                            .unwrap_or(s::ANY_VALUE.get()),
                    )
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut self.attribute_value, None, s::ANY_VALUE);
                        for value in super::attribute_values(project, &name) {
                            ui.selectable_value(
                                &mut self.attribute_value,
                                Some(value.clone()),
                                value,
                            );
                        }
                    });
            }
        });
    }
}

impl AnalysisView for QueryBuilder {
    const FRAME: Frame = Frame {
        title: s::QUERY_BUILDER,
        id: "analysis-query",
        size: [760.0, 640.0],
        position: None,
    };

    fn body_ui(&mut self, ui: &mut Ui, cx: &mut ViewCx<'_, '_>) {
        let (input, message) = (cx.input, cx.message);
        let commands = &mut *cx.commands;
        self.definition_ui(ui, &code_choices(input.project));
        ui.add_space(4.0);
        egui::CollapsingHeader::new(s::RESTRICT)
            .default_open(true)
            .show(ui, |ui| self.restrictions_ui(ui, input));
        self.actions_ui(ui, commands);
        ui.separator();
        let description = self.query().map(|q| q.expr.describe(input.project));
        let _ = self.current(input);
        super::skeleton::computing_ui(ui, self.cache.computing());
        let Some(result) = self.current(input) else {
            let dark = ui.visuals().dark_mode;
            ui.label(RichText::new(s::CHOOSE_TWO_CODES).color(theme::muted(dark)));
            return;
        };
        result_ui(
            ui,
            result,
            |_| false,
            |ui, result| {
                let table = result.to_table();
                export_row_ui(ui, message, "coding-query", Some(&table), commands);
                passages_ui(ui, input.project, result, description.as_deref(), commands);
            },
        );
    }
}

/// The query's description, its summary and its passages (a click jumps to one).
fn passages_ui(
    ui: &mut Ui,
    project: &Project,
    result: &QueryResult,
    description: Option<&str>,
    commands: &mut Vec<Command>,
) {
    let dark = ui.visuals().dark_mode;
    if let Some(d) = description {
        ui.label(RichText::new(d).monospace().color(theme::muted(dark)));
    }
    let summary = s::passages_summary(result.passages.len(), result.documents, result.characters);
    ui.label(RichText::new(summary).strong());
    egui::ScrollArea::vertical()
        .id_salt("query-passages")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for (i, p) in result.passages.iter().enumerate() {
                let cases = p.cases.join(", ");
                let place = citation(project, p.speaker.as_deref(), p.document, p.range, &[cases]);
                let jump = Command::Jump {
                    document: p.document,
                    range: p.range,
                };
                let text = clip(&p.text, 300);
                passage_ui(
                    ui,
                    ("query-passage", i),
                    None,
                    &text,
                    &place,
                    commands,
                    jump,
                );
            }
        });
}

/// A combo box over every code (paths in codebook order).
fn code_combo(
    ui: &mut Ui,
    salt: &str,
    codes: &[(CodeId, String)],
    value: &mut Option<CodeId>,
    label: egui::Id,
) {
    let text = value
        .and_then(|v| codes.iter().find(|(id, _)| *id == v))
        .map_or(s::CHOOSE_CODE.to_string(), |(_, p)| p.clone());
    egui::ComboBox::from_id_salt(salt)
        .selected_text(text)
        .width(300.0)
        .height(420.0)
        .show_ui(ui, |ui| {
            let needle = crate::gui::widgets::filter_field(ui, salt);
            ui.selectable_value(value, None, s::CHOOSE_CODE);
            for (id, path) in codes {
                if crate::gui::widgets::matches(path, &needle) {
                    ui.selectable_value(value, Some(*id), path);
                }
            }
        })
        .response
        .labelled_by(label);
}
