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

/// Draws the picker window; returns false when it should close.
pub fn picker_ui(
    ctx: &egui::Context,
    project: &Project,
    state: &mut PickerState,
    commands: &mut Vec<Command>,
) -> bool {
    let found = matches(project, &state.query);
    let query = state.query.trim().to_string();
    let exact = project.find_code(&query).is_some();
    let offer_create = !query.is_empty() && !exact;
    let rows = found.len() + usize::from(offer_create);
    let mut keep_open = true;
    let mut chosen: Option<Option<CodeId>> = None; // Some(None): create.

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

    let dark = ctx.global_style().visuals.dark_mode;
    egui::Window::new(s::PICKER_TITLE)
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 90.0))
        .default_width(420.0)
        .show(ctx, |ui| {
            ui.set_min_width(420.0);
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
            if enter {
                chosen = Some(if state.highlighted < found.len() {
                    found.get(state.highlighted).copied()
                } else {
                    None
                });
                if !offer_create && found.is_empty() {
                    chosen = None;
                }
            }
            if edit.lost_focus() && !enter && ui.input(|i| i.key_pressed(Key::Escape)) {
                keep_open = false;
            }
            ui.add_space(4.0);
            egui::ScrollArea::vertical()
                .max_height(320.0)
                .show(ui, |ui| {
                    for (row, id) in found.iter().enumerate() {
                        let Some(code) = project.codes().get(id) else {
                            continue;
                        };
                        let path = project.code_path(*id);
                        let selected = row == state.highlighted;
                        let response = ui
                            .horizontal(|ui| {
                                let (rect, _) = ui.allocate_exact_size(
                                    egui::vec2(12.0, 12.0),
                                    egui::Sense::hover(),
                                );
                                ui.painter().rect_filled(
                                    rect,
                                    3.0,
                                    theme::code_colour(&code.colour, dark),
                                );
                                let text = if selected {
                                    RichText::new(&path).strong()
                                } else {
                                    RichText::new(&path)
                                };
                                ui.selectable_label(selected, text)
                            })
                            .inner;
                        if selected {
                            response.scroll_to_me(None);
                        }
                        if response.clicked() {
                            chosen = Some(Some(*id));
                        }
                    }
                    if offer_create {
                        let selected = state.highlighted == found.len();
                        if ui
                            .selectable_label(
                                selected,
                                RichText::new(s::create_code(&query)).italics(),
                            )
                            .clicked()
                        {
                            chosen = Some(None);
                        }
                    }
                });
        });

    match chosen {
        Some(Some(code)) => {
            commands.push(Command::CodeWith {
                target: state.target.clone(),
                code,
            });
            false
        }
        Some(None) if offer_create => {
            commands.push(Command::CreateAndCode {
                target: state.target.clone(),
                name: query,
            });
            false
        }
        _ => keep_open,
    }
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
