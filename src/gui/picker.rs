//! The fuzzy code picker: filter codes by name, path or description; Enter codes; offers to create a code.
//!
//! The fuzzy code picker: type to filter the codebook by name, path or description; Enter codes; offers to
//! create the code when nothing matches.

use egui::{Key, RichText};

use crate::gui::commands::{Command, PickTarget};
use crate::gui::{strings as s, theme};
use crate::ids::CodeId;
use crate::model::Project;

/// An open picker.
#[derive(Clone, Debug)]
pub struct PickerState {
    pub target: PickTarget,
    pub query: String,
    /// Highlighted row (the last row may be "Create code …").
    pub highlighted: usize,
    focus_requested: bool,
}

impl PickerState {
    pub fn new(target: PickTarget) -> Self {
        Self {
            target,
            query: String::new(),
            highlighted: 0,
            focus_requested: false,
        }
    }
}

/// How well `query` matches a code; None when it does not.
pub fn score(project: &Project, code: CodeId, query: &str) -> Option<i64> {
    let c = project.codes().get(&code)?;
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return Some(0);
    }
    let name = c.name.to_lowercase();
    let path = project.code_path(code).to_lowercase();
    if name == q || path == q {
        return Some(1000);
    }
    if name.starts_with(&q) {
        return Some(900 - name.len() as i64);
    }
    if let Some(at) = name.find(&q) {
        return Some(800 - at as i64);
    }
    if path.contains(&q) {
        return Some(600 - path.len() as i64 / 4);
    }
    if c.description.to_lowercase().contains(&q) {
        return Some(400);
    }
    subsequence(&name, &q).or_else(|| subsequence(&path, &q).map(|v| v - 100))
}

/// Subsequence match with a bonus for letters next to each other.
fn subsequence(hay: &str, needle: &str) -> Option<i64> {
    let mut score = 200;
    let mut last: Option<usize> = None;
    let mut chars = hay.char_indices();
    for n in needle.chars().filter(|c| !c.is_whitespace()) {
        let (i, _) = chars.by_ref().find(|(_, h)| *h == n)?;
        if let Some(prev) = last {
            score -= (i - prev - 1).min(10) as i64;
        }
        last = Some(i);
    }
    Some(score)
}

/// Codes matching a query, best first.
pub fn matches(project: &Project, query: &str) -> Vec<CodeId> {
    let tree = project.code_tree();
    let mut scored: Vec<(i64, usize, CodeId)> = tree
        .iter()
        .enumerate()
        .filter_map(|(order, (_, c))| score(project, c.id, query).map(|sc| (sc, order, c.id)))
        .collect();
    if !query.trim().is_empty() {
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    }
    scored.into_iter().map(|(_, _, id)| id).collect()
}

/// What the user picked: a code, or "create the typed code".
#[derive(Clone, Copy)]
enum Choice {
    Code(CodeId),
    Create,
}

/// The rows the picker lists for its query.
struct Rows {
    found: Vec<CodeId>,
    query: String,
    offer_create: bool,
}

impl Rows {
    fn len(&self) -> usize {
        self.found.len() + usize::from(self.offer_create)
    }

    /// The row at `index` (the last row may be "Create code …").
    fn choice(&self, index: usize) -> Option<Choice> {
        match self.found.get(index) {
            Some(id) => Some(Choice::Code(*id)),
            None if self.offer_create => Some(Choice::Create),
            None => None,
        }
    }
}

/// Draws the picker window; returns false when it should close.
pub fn picker_ui(
    ctx: &egui::Context,
    project: &Project,
    state: &mut PickerState,
    commands: &mut Vec<Command>,
) -> bool {
    let query = state.query.trim().to_string();
    let rows = Rows {
        found: matches(project, &state.query),
        offer_create: !query.is_empty() && project.find_code(&query).is_none(),
        query,
    };
    let mut keep_open = arrow_keys(ctx, state, rows.len());
    let mut chosen = None;
    crate::gui::widgets::window(ctx, s::PICKER_TITLE)
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 90.0))
        .default_width(420.0)
        .show(ctx, |ui| {
            ui.set_min_width(420.0);
            let (enter, escape) = query_field_ui(ui, state);
            if enter {
                chosen = rows.choice(state.highlighted);
            }
            keep_open &= !escape;
            ui.add_space(4.0);
            if let Some(clicked) = rows_ui(ui, project, &rows, state.highlighted) {
                chosen = Some(clicked);
            }
        });
    let target = state.target.clone();
    match chosen {
        Some(Choice::Code(code)) => commands.push(Command::CodeWith { target, code }),
        Some(Choice::Create) => commands.push(Command::CreateAndCode {
            target,
            name: rows.query,
        }),
        None => return keep_open,
    }
    false
}

/// Up and down move the highlight; Escape closes (false).
fn arrow_keys(ctx: &egui::Context, state: &mut PickerState, rows: usize) -> bool {
    let mut keep_open = true;
    ctx.input_mut(|i| {
        if i.consume_key(egui::Modifiers::NONE, Key::ArrowDown) {
            state.highlighted = (state.highlighted + 1).min(rows.saturating_sub(1));
        }
        if i.consume_key(egui::Modifiers::NONE, Key::ArrowUp) {
            state.highlighted = state.highlighted.saturating_sub(1);
        }
        if i.consume_key(egui::Modifiers::NONE, Key::Escape) {
            keep_open = false;
        }
    });
    state.highlighted = state.highlighted.min(rows.saturating_sub(1));
    keep_open
}

/// The query field (focused when the picker opens); returns whether Enter or Escape left it.
fn query_field_ui(ui: &mut egui::Ui, state: &mut PickerState) -> (bool, bool) {
    let label = ui.label(s::PICKER_LABEL);
    let edit = ui.add(
        egui::TextEdit::singleline(&mut state.query)
            .hint_text(s::PICKER_HINT)
            .desired_width(f32::INFINITY),
    );
    let edit = edit.labelled_by(label.id);
    if !state.focus_requested {
        edit.request_focus();
        state.focus_requested = true;
    }
    if edit.changed() {
        state.highlighted = 0;
    }
    let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
    let escape = edit.lost_focus() && !enter && ui.input(|i| i.key_pressed(Key::Escape));
    (enter, escape)
}

/// The matching codes (colour and path) and "Create code …"; returns the clicked row.
fn rows_ui(
    ui: &mut egui::Ui,
    project: &Project,
    rows: &Rows,
    highlighted: usize,
) -> Option<Choice> {
    let dark = ui.visuals().dark_mode;
    let mut chosen = None;
    egui::ScrollArea::vertical()
        .max_height(320.0)
        .show(ui, |ui| {
            for (row, id) in rows.found.iter().enumerate() {
                let Some(code) = project.codes().get(id) else {
                    continue;
                };
                let selected = row == highlighted;
                let response = ui
                    .horizontal(|ui| {
                        let size = egui::vec2(12.0, 12.0);
                        let (rect, _) = ui.allocate_exact_size(size, egui::Sense::hover());
                        let colour = theme::code_colour(&code.colour, dark);
                        ui.painter().rect_filled(rect, 3.0, colour);
                        let text = RichText::new(project.code_path(*id));
                        let text = if selected { text.strong() } else { text };
                        ui.selectable_label(selected, text)
                    })
                    .inner;
                if selected {
                    response.scroll_to_me(None);
                }
                if response.clicked() {
                    chosen = Some(Choice::Code(*id));
                }
            }
            if rows.offer_create {
                let selected = highlighted == rows.found.len();
                let text = RichText::new(s::create_code(&rows.query)).italics();
                if ui.selectable_label(selected, text).clicked() {
                    chosen = Some(Choice::Create);
                }
            }
        });
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subsequences_score_tight_matches_higher() {
        let tight = subsequence("ressursteam", "rst").unwrap_or(0);
        let loose = subsequence("rektor som tek ansvar", "rst").unwrap_or(0);
        assert!(tight > loose);
        assert!(subsequence("abc", "abd").is_none());
    }
}
