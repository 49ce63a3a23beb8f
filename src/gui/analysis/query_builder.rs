//! The coding-query builder: code A, an operator (AND, OR, NOT, NEAR within N characters or the same turn), code B
//! and optional restrictions, chosen from lists without typing syntax; the passages update as the choices change
//! (cached by query and project revision), a click jumps to one, and "Save as code…" applies the result as one
//! undoable edit.

use egui::{RichText, Ui};

use super::{AnalysisInput, Exporter, clip, code_choices, export_row_ui, passage_ui, view_window};
use crate::analysis::{
    AttrFilter, CodingQuery, Near, QueryExpr, QueryResult, Scope, run_query, save_as_code,
};
use crate::edit::Edit;
use crate::gui::commands::Command;
use crate::gui::{strings as s, theme};
use crate::ids::{CaseId, CodeId, CoderId};

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
            Self::And => "AND (coded with both)",
            Self::Or => "OR (either)",
            Self::Not => "NOT (A without B)",
            Self::Near => "NEAR",
        }
    }
}

/// The builder's choices and its cached result.
pub struct QueryBuilder {
    pub open: bool,
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
    force: bool,
    cache: Option<(CodingQuery, u64, Result<QueryResult, String>)>,
}

impl Default for QueryBuilder {
    fn default() -> Self {
        Self {
            open: false,
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
            force: false,
            cache: None,
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
        self.force = true;
    }

    /// The result for the current choices (run again only when they or the project changed).
    pub fn current(&mut self, input: &AnalysisInput<'_>) -> Option<Result<&QueryResult, &str>> {
        let query = self.query()?;
        let fresh = !self.force
            && self
                .cache
                .as_ref()
                .is_some_and(|(q, r, _)| *q == query && *r == input.revision);
        if !fresh {
            self.force = false;
            if query.text.is_some() && input.index.is_none() {
                self.cache = None;
                return Some(Err(s::INDEXING));
            }
            let result = run_query(input.project, input.index, &query).map_err(|e| e.to_string());
            self.cache = Some((query, input.revision, result));
        }
        match &self.cache {
            Some((_, _, Ok(r))) => Some(Ok(r)),
            Some((_, _, Err(e))) => Some(Err(e.as_str())),
            None => None,
        }
    }

    /// The edit that saves the current result as the code `save_path` (one undoable batch).
    pub fn save_edit(&mut self, input: &AnalysisInput<'_>) -> Result<Edit, String> {
        let path = self.save_path.trim().to_string();
        if path.is_empty() {
            return Err(s::NEW_CODE_PATH.to_string());
        }
        let coder = input.coder.to_string();
        match self.current(input) {
            Some(Ok(result)) => {
                save_as_code(input.project, result, &path, &coder).map_err(|e| e.to_string())
            }
            Some(Err(e)) => Err(e.to_string()),
            None => Err(s::CHOOSE_TWO_CODES.to_string()),
        }
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
            s::QUERY_BUILDER,
            "analysis-query",
            [760.0, 640.0],
            None,
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
        let dark = ui.visuals().dark_mode;
        let codes = code_choices(input.project);
        egui::Grid::new("query-grid")
            .num_columns(2)
            .spacing([10.0, 6.0])
            .show(ui, |ui| {
                let label = ui.label(s::CODE_A);
                code_combo(ui, "query-a", &codes, &mut self.code_a, label.id);
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
                code_combo(ui, "query-b", &codes, &mut self.code_b, label.id);
                ui.end_row();
                ui.label("");
                ui.checkbox(&mut self.include_subcodes, s::INCLUDE_SUBCODES);
                ui.end_row();
            });
        ui.add_space(4.0);
        egui::CollapsingHeader::new(s::RESTRICT)
            .default_open(true)
            .show(ui, |ui| self.restrictions_ui(ui, input));
        ui.horizontal(|ui| {
            if ui.button(s::RUN_QUERY).clicked() {
                self.run();
            }
            if ui.button(s::SAVE_AS_CODE).clicked() {
                self.saving = !self.saving;
            }
        });
        if self.saving {
            ui.horizontal(|ui| {
                let label = ui.label(s::NEW_CODE_PATH);
                ui.add(
                    egui::TextEdit::singleline(&mut self.save_path)
                        .hint_text(s::NEW_CODE_HINT)
                        .desired_width(260.0),
                )
                .labelled_by(label.id);
                if ui.button(s::SAVE_CODE).clicked() {
                    match self.save_edit(input) {
                        Ok(edit) => {
                            commands.push(Command::Apply(edit));
                            self.saving = false;
                        }
                        Err(e) => commands.push(Command::Error(e)),
                    }
                }
            });
        }
        ui.separator();
        let description = self.query().map(|q| q.expr.describe(input.project));
        let table = match self.current(input) {
            None => {
                ui.label(RichText::new(s::CHOOSE_TWO_CODES).color(theme::muted(dark)));
                return;
            }
            Some(Err(e)) => {
                ui.label(RichText::new(e).color(theme::error_colour(dark)));
                return;
            }
            Some(Ok(result)) => result.to_table(),
        };
        export_row_ui(ui, exporter, message, "coding-query", || {
            Some(table.clone())
        });
        let Some(Ok(result)) = self.current(input) else {
            return;
        };
        if let Some(d) = description {
            ui.label(RichText::new(d).monospace().color(theme::muted(dark)));
        }
        ui.label(
            RichText::new(s::passages_summary(
                result.passages.len(),
                result.documents,
                result.characters,
            ))
            .strong(),
        );
        let passages = result.passages.clone();
        egui::ScrollArea::vertical()
            .id_salt("query-passages")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for (i, p) in passages.iter().enumerate() {
                    let mut parts = Vec::new();
                    if let Some(speaker) = &p.speaker {
                        parts.push(speaker.clone());
                    }
                    parts.push(p.document_name.clone());
                    parts.push(format!("{}–{}", p.range.start, p.range.end));
                    if !p.cases.is_empty() {
                        parts.push(p.cases.join(", "));
                    }
                    passage_ui(
                        ui,
                        ("query-passage", i),
                        None,
                        &clip(&p.text, 300),
                        &parts.join(", "),
                        commands,
                        Command::Jump {
                            document: p.document,
                            range: p.range,
                        },
                    );
                }
            });
    }

    fn restrictions_ui(&mut self, ui: &mut Ui, input: &AnalysisInput<'_>) {
        let project = input.project;
        egui::Grid::new("query-restrict")
            .num_columns(2)
            .spacing([10.0, 6.0])
            .show(ui, |ui| {
                let label = ui.label(s::CASE_FILTER);
                let mut cases: Vec<_> = project.cases().values().collect();
                cases.sort_by(|a, b| crate::collate::compare(&a.name, &b.name));
                let name = self
                    .case
                    .and_then(|c| project.cases().get(&c))
                    .map_or(s::ANY_CASE.to_string(), |c| c.name.clone());
                egui::ComboBox::from_id_salt("query-case")
                    .selected_text(name)
                    .width(220.0)
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut self.case, None, s::ANY_CASE);
                        for case in cases {
                            ui.selectable_value(&mut self.case, Some(case.id), &case.name);
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();

                let label = ui.label(s::GROUP_ATTRIBUTE);
                ui.horizontal(|ui| {
                    let before = self.attribute.clone();
                    egui::ComboBox::from_id_salt("query-attr")
                        .selected_text(self.attribute.as_deref().unwrap_or(s::ANY_ATTRIBUTE))
                        .show_ui(ui, |ui| {
                            ui.selectable_value(&mut self.attribute, None, s::ANY_ATTRIBUTE);
                            for name in super::attribute_names(project) {
                                ui.selectable_value(&mut self.attribute, Some(name.clone()), name);
                            }
                        })
                        .response
                        .labelled_by(label.id);
                    if self.attribute != before {
                        self.attribute_value = None;
                    }
                    if let Some(name) = self.attribute.clone() {
                        egui::ComboBox::from_id_salt("query-attr-value")
                            .selected_text(self.attribute_value.as_deref().unwrap_or(s::ANY_VALUE))
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
                ui.end_row();

                let label = ui.label(s::SPEAKER);
                ui.add(
                    egui::TextEdit::singleline(&mut self.speaker)
                        .hint_text(s::SPEAKER_HINT)
                        .desired_width(220.0),
                )
                .labelled_by(label.id);
                ui.end_row();

                let label = ui.label(s::CODER_FILTER);
                let name = self
                    .coder
                    .and_then(|c| project.coders().get(&c))
                    .map_or(s::ANY_CODER.to_string(), |c| c.name.clone());
                egui::ComboBox::from_id_salt("query-coder")
                    .selected_text(name)
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut self.coder, None, s::ANY_CODER);
                        for coder in project.coders().values() {
                            ui.selectable_value(&mut self.coder, Some(coder.id), &coder.name);
                        }
                    })
                    .response
                    .labelled_by(label.id);
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
            ui.selectable_value(value, None, s::CHOOSE_CODE);
            for (id, path) in codes {
                ui.selectable_value(value, Some(*id), path);
            }
        })
        .response
        .labelled_by(label);
}
