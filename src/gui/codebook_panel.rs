//! The codebook tree: colour swatches, coding counts, selection, rename in place, add, delete with a
//! confirmation, merge, move (drag a code onto another, or "Move to…"), and the description editor.

use std::collections::{BTreeSet, HashMap};

use egui::{Align2, FontId, Key, RichText, Sense, Ui, vec2};

use crate::gui::commands::{CodeChange, Command};
use crate::gui::{strings as s, theme};
use crate::ids::CodeId;
use crate::model::{Code, Project};
use crate::ops;

/// Panel state.
#[derive(Default)]
pub struct CodebookState {
    pub new_code: String,
    /// A code being renamed, its draft name, and whether the field got focus yet.
    pub renaming: Option<(CodeId, String, bool)>,
    pub confirm_delete: Option<CodeId>,
    /// Scroll the tree to this code next frame (after it was created).
    pub scroll_to: Option<CodeId>,
    description: Option<(CodeId, String)>,
    counts: Option<(u64, HashMap<CodeId, usize>)>,
}

impl CodebookState {
    /// Starts renaming a code in place (a new sub-code).
    pub fn start_renaming(&mut self, code: CodeId, name: &str) {
        self.renaming = Some((code, name.to_string(), false));
    }

    /// The description being edited, as a change, when it differs from the stored one (committed before the
    /// selection changes, the project closes or the app quits).
    pub fn description_change(&self, project: &Project) -> Option<Command> {
        let (id, draft) = self.description.as_ref()?;
        let code = project.codes().get(id)?;
        (*draft != code.description).then(|| {
            Command::Code(CodeChange::Describe {
                code: *id,
                text: draft.clone(),
            })
        })
    }
}

const ROW_HEIGHT: f32 = 22.0;
const INDENT: f32 = 14.0;

#[allow(clippy::too_many_arguments)]
pub fn codebook_ui(
    ui: &mut Ui,
    project: &Project,
    revision: u64,
    selected: &BTreeSet<CodeId>,
    state: &mut CodebookState,
    commands: &mut Vec<Command>,
) {
    if state.counts.as_ref().is_none_or(|(r, _)| *r != revision) {
        state.counts = Some((revision, project.coding_counts()));
    }
    let dark = ui.visuals().dark_mode;
    ui.horizontal(|ui| {
        let label = ui.label(s::NEW_CODE);
        let edit = ui
            .add(
                egui::TextEdit::singleline(&mut state.new_code)
                    .hint_text(s::NEW_CODE_HINT)
                    .desired_width(ui.available_width() - 50.0),
            )
            .labelled_by(label.id);
        let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
        if (ui.button(s::ADD).clicked() || enter) && !state.new_code.trim().is_empty() {
            commands.push(Command::Code(CodeChange::AddPath(std::mem::take(
                &mut state.new_code,
            ))));
        }
    });
    ui.add_space(2.0);

    let tree = project.code_tree();
    let reserve = if selected.len() == 1 { 130.0 } else { 8.0 };
    let list_height = (ui.available_height() - reserve).max(120.0);
    egui::ScrollArea::vertical()
        .id_salt("codebook")
        .max_height(list_height)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            for (depth, code) in &tree {
                code_row_ui(
                    ui, project, &tree, *depth, code, selected, state, commands, dark,
                );
            }
            // Dropping on the empty space below moves a code to the top level.
            let (rest, response) =
                ui.allocate_exact_size(vec2(ui.available_width(), 28.0), Sense::hover());
            if let Some(dragged) = response.dnd_hover_payload::<CodeId>()
                && project.codes().contains_key(&dragged)
            {
                ui.painter().rect_stroke(
                    rest.shrink(2.0),
                    3.0,
                    ui.visuals().selection.stroke,
                    egui::StrokeKind::Inside,
                );
            }
            if let Some(dragged) = response.dnd_release_payload::<CodeId>() {
                commands.push(Command::Code(CodeChange::Move {
                    code: *dragged,
                    parent: None,
                }));
            }
        });

    // Description of the one selected code; commits when focus leaves.
    if selected.len() == 1
        && let Some(code) = selected
            .iter()
            .next()
            .and_then(|id| project.codes().get(id))
    {
        ui.separator();
        let label = ui.label(RichText::new(format!("{} — {}", s::DESCRIPTION, code.name)).strong());
        if state
            .description
            .as_ref()
            .is_none_or(|(id, _)| *id != code.id)
        {
            state.description = Some((code.id, code.description.clone()));
        }
        if let Some((_, draft)) = state.description.as_mut() {
            let response = ui
                .add(
                    egui::TextEdit::multiline(draft)
                        .hint_text(s::DESCRIPTION_HINT)
                        .desired_rows(3)
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id);
            if response.lost_focus() && *draft != code.description {
                commands.push(Command::Code(CodeChange::Describe {
                    code: code.id,
                    text: draft.clone(),
                }));
            }
            if !response.has_focus() && *draft != code.description && !response.lost_focus() {
                // The code changed elsewhere (undo): show the stored text.
                *draft = code.description.clone();
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn code_row_ui(
    ui: &mut Ui,
    project: &Project,
    tree: &[(usize, &Code)],
    depth: usize,
    code: &Code,
    selected: &BTreeSet<CodeId>,
    state: &mut CodebookState,
    commands: &mut Vec<Command>,
    dark: bool,
) {
    let indent = depth as f32 * INDENT;
    if let Some((id, draft, focused)) = state.renaming.as_mut()
        && *id == code.id
    {
        let mut done = false;
        ui.horizontal(|ui| {
            ui.add_space(indent + 18.0);
            let response = ui.add(
                egui::TextEdit::singleline(draft)
                    .desired_width(ui.available_width() - 8.0)
                    .hint_text(s::CODE_NAME),
            );
            let response = response.on_hover_text(s::CODE_NAME);
            if !*focused {
                response.request_focus();
                *focused = true;
            }
            if response.lost_focus() {
                let cancelled = ui.input(|i| i.key_pressed(Key::Escape));
                if !cancelled && !draft.trim().is_empty() && draft.trim() != code.name {
                    commands.push(Command::Code(CodeChange::Rename {
                        code: code.id,
                        name: draft.clone(),
                    }));
                }
                done = true;
            }
        });
        if done {
            state.renaming = None;
        }
        return;
    }

    let width = ui.available_width();
    let (rect, response) = ui.allocate_exact_size(vec2(width, ROW_HEIGHT), Sense::click_and_drag());
    let is_selected = selected.contains(&code.id);
    let visuals = ui.visuals();
    if is_selected {
        ui.painter()
            .rect_filled(rect, 3.0, visuals.selection.bg_fill);
    } else if response.hovered() {
        ui.painter()
            .rect_filled(rect, 3.0, visuals.widgets.hovered.weak_bg_fill);
    }
    if let Some(dragged) = response.dnd_hover_payload::<CodeId>()
        && *dragged != code.id
    {
        ui.painter().rect_stroke(
            rect,
            3.0,
            visuals.selection.stroke,
            egui::StrokeKind::Inside,
        );
    }
    let swatch = egui::Rect::from_center_size(
        egui::pos2(rect.left() + indent + 9.0, rect.center().y),
        vec2(11.0, 11.0),
    );
    ui.painter()
        .rect_filled(swatch, 3.0, theme::code_colour(&code.colour, dark));
    let count = state
        .counts
        .as_ref()
        .and_then(|(_, c)| c.get(&code.id))
        .copied()
        .unwrap_or(0);
    let text_colour = if is_selected {
        visuals.selection.stroke.color
    } else {
        visuals.text_color()
    };
    response.widget_info(|| {
        egui::WidgetInfo::selected(egui::Role::Button, true, is_selected, &code.name)
    });
    let count_width = if count > 0 { 34.0 } else { 4.0 };
    let mut job = egui::text::LayoutJob::simple_singleline(
        code.name.clone(),
        FontId::proportional(14.0),
        text_colour,
    );
    job.wrap = egui::text::TextWrapping::truncate_at_width(
        (rect.right() - swatch.right() - 7.0 - count_width).max(20.0),
    );
    let galley = ui.painter().layout_job(job);
    ui.painter().galley(
        egui::pos2(
            swatch.right() + 7.0,
            rect.center().y - galley.size().y / 2.0,
        ),
        galley,
        text_colour,
    );
    if count > 0 {
        ui.painter().text(
            egui::pos2(rect.right() - 6.0, rect.center().y),
            Align2::RIGHT_CENTER,
            count.to_string(),
            FontId::proportional(12.0),
            theme::muted(dark),
        );
    }
    let response = response.on_hover_text(if code.description.is_empty() {
        project.code_path(code.id)
    } else {
        format!("{}\n{}", project.code_path(code.id), code.description)
    });

    if state.scroll_to == Some(code.id) {
        response.scroll_to_me_animation(
            Some(egui::Align::Center),
            egui::style::ScrollAnimation::none(),
        );
        state.scroll_to = None;
    }
    if response.clicked() {
        let additive = ui.input(|i| i.modifiers.command || i.modifiers.shift);
        commands.push(Command::SelectCode {
            code: code.id,
            additive,
        });
    }
    if response.double_clicked() {
        state.renaming = Some((code.id, code.name.clone(), false));
    }
    if response.drag_started() {
        response.dnd_set_drag_payload(code.id);
    }
    if let Some(dragged) = response.dnd_release_payload::<CodeId>()
        && *dragged != code.id
        && !project.is_ancestor_or_self(*dragged, code.id)
    {
        commands.push(Command::Code(CodeChange::Move {
            code: *dragged,
            parent: Some(code.id),
        }));
    }

    response.context_menu(|ui| {
        if ui.button(s::RENAME).clicked() {
            state.renaming = Some((code.id, code.name.clone(), false));
            ui.close();
        }
        if ui.button(s::ADD_SUBCODE).clicked() {
            commands.push(Command::Code(CodeChange::AddSubcode(code.id)));
            ui.close();
        }
        ui.menu_button(s::MOVE_TO, |ui| {
            egui::ScrollArea::vertical()
                .max_height(360.0)
                .show(ui, |ui| {
                    if ui.button(s::TOP_LEVEL).clicked() {
                        commands.push(Command::Code(CodeChange::Move {
                            code: code.id,
                            parent: None,
                        }));
                        ui.close();
                    }
                    for (d, other) in tree {
                        if project.is_ancestor_or_self(code.id, other.id) {
                            continue;
                        }
                        let label = format!("{}{}", "   ".repeat(*d), other.name);
                        if ui.button(label).clicked() {
                            commands.push(Command::Code(CodeChange::Move {
                                code: code.id,
                                parent: Some(other.id),
                            }));
                            ui.close();
                        }
                    }
                });
        });
        ui.menu_button(s::MERGE_INTO, |ui| {
            egui::ScrollArea::vertical()
                .max_height(360.0)
                .show(ui, |ui| {
                    for (d, other) in tree {
                        if project.is_ancestor_or_self(code.id, other.id) {
                            continue;
                        }
                        let label = format!("{}{}", "   ".repeat(*d), other.name);
                        if ui.button(label).clicked() {
                            commands.push(Command::Code(CodeChange::Merge {
                                from: code.id,
                                into: other.id,
                            }));
                            ui.close();
                        }
                    }
                });
        });
        ui.separator();
        if ui.button(s::DELETE).clicked() {
            state.confirm_delete = Some(code.id);
            ui.close();
        }
    });
}

/// The delete confirmation, which says how many codings go with the code.
pub fn confirm_delete_ui(
    ctx: &egui::Context,
    project: &Project,
    state: &mut CodebookState,
    commands: &mut Vec<Command>,
) {
    let Some(id) = state.confirm_delete else {
        return;
    };
    let Some(code) = project.codes().get(&id) else {
        state.confirm_delete = None;
        return;
    };
    let codings = ops::codings_under(project, id);
    let subcodes = project.descendants(id).len().saturating_sub(1);
    let modal = egui::Modal::new(egui::Id::unique("confirm-delete-code")).show(ctx, |ui| {
        ui.set_max_width(380.0);
        ui.heading(s::CONFIRM_DELETE_TITLE);
        ui.add_space(6.0);
        ui.label(s::delete_code_question(&code.name, codings, subcodes));
        ui.add_space(10.0);
        let mut close = false;
        ui.horizontal(|ui| {
            if ui.button(s::DELETE_CONFIRM).clicked() {
                commands.push(Command::Code(CodeChange::Delete(id)));
                close = true;
            }
            if ui.button(s::CANCEL).clicked() {
                close = true;
            }
        });
        close
    });
    if modal.inner || modal.should_close() {
        state.confirm_delete = None;
    }
}
