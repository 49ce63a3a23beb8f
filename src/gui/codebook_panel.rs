//! The codebook tree (select, rename, add, move, reorder, colour, merge, delete) and the description editor.
//!
//! The codebook tree: colour swatches, coding counts, selection, rename in place, add, delete with a
//! confirmation, merge, move (drag a code onto another, or "Move to…"), reorder (drag a code above or below a
//! sibling, or "Move up/down"), a colour picker (palette and custom), and the description editor, which keeps a
//! fixed place under the tree so selecting a code never moves the tree under the pointer.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use egui::{Align2, FontId, Key, RichText, Sense, Ui, vec2};

use crate::gui::commands::{CodeChange, Command};
use crate::gui::{strings as s, theme};
use crate::ids::CodeId;
use crate::model::{Code, PALETTE, Project};
use crate::ops;

/// Panel state.
#[derive(Default)]
pub struct CodebookState {
    /// Whose codings the counts count (the coder layers shown; set by the shell each frame).
    pub coders: crate::coders::CoderSelection,
    pub new_code: String,
    /// A code being renamed, its draft name, and whether the field got focus yet.
    pub renaming: Option<(CodeId, String, bool)>,
    pub confirm_delete: Option<CodeId>,
    /// Scroll the tree to this code next frame (after it was created).
    pub scroll_to: Option<CodeId>,
    description: Option<(CodeId, String)>,
    /// The description draft was typed in since it was last taken from the code or committed.
    description_typed: bool,
    counts: Option<(u64, HashMap<CodeId, usize>)>,
    /// The tree's rows (depth, code) in order, computed once per revision, not per frame.
    rows: Option<(u64, TreeRows)>,
}

/// The codebook's rows in tree order: depth and code.
type TreeRows = Arc<[(usize, CodeId)]>;

impl CodebookState {
    /// Starts renaming a code in place (a new sub-code).
    pub fn start_renaming(&mut self, code: CodeId, name: &str) {
        self.renaming = Some((code, name.to_string(), false));
    }

    /// The description typed in, as a change, when it differs from the stored one (committed before the
    /// selection changes, the project closes or the app quits).
    pub fn take_description_change(&mut self, project: &Project) -> Option<Command> {
        if !std::mem::take(&mut self.description_typed) {
            return None;
        }
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
/// The height kept for the description editor under the tree, whether or not one code is selected.
const DESCRIPTION_HEIGHT: f32 = 130.0;
const INDENT: f32 = 14.0;

/// What every row of the tree reads.
struct Tree<'a> {
    project: &'a Project,
    /// The rows in tree order: depth and code.
    rows: TreeRows,
    selected: &'a BTreeSet<CodeId>,
    dark: bool,
}

pub fn codebook_ui(
    ui: &mut Ui,
    project: &Project,
    revision: u64,
    selected: &BTreeSet<CodeId>,
    state: &mut CodebookState,
    commands: &mut Vec<Command>,
) {
    if state.counts.as_ref().is_none_or(|(r, _)| *r != revision) {
        let mut counts = std::collections::HashMap::new();
        for coding in project.codings().values() {
            if state.coders.contains(coding.coder) {
                *counts.entry(coding.code).or_insert(0) += 1;
            }
        }
        state.counts = Some((revision, counts));
    }
    let rows = match &state.rows {
        Some((r, rows)) if *r == revision => Arc::clone(rows),
        _ => {
            let rows: TreeRows = project
                .code_tree()
                .into_iter()
                .map(|(d, c)| (d, c.id))
                .collect();
            state.rows = Some((revision, Arc::clone(&rows)));
            rows
        }
    };
    new_code_ui(ui, state, commands);
    ui.add_space(2.0);
    let tree = Tree {
        project,
        rows,
        selected,
        dark: ui.visuals().dark_mode,
    };
    let list_height = (ui.available_height() - DESCRIPTION_HEIGHT).max(120.0);
    let mut area = egui::ScrollArea::vertical()
        .id_salt("codebook")
        .max_height(list_height)
        .auto_shrink([false, true]);
    // A code to bring into view may be far outside the rows laid out: scroll to its row first.
    if let Some(target) = state.scroll_to
        && let Some(index) = tree.rows.iter().position(|(_, id)| *id == target)
    {
        let step = ROW_HEIGHT + ui.spacing().item_spacing.y;
        area = area.vertical_scroll_offset((index as f32 * step - list_height / 2.0).max(0.0));
    }
    // Every row is ROW_HEIGHT high, so only the rows in view are laid out; the last row is the drop zone.
    area.show_rows(ui, ROW_HEIGHT, tree.rows.len() + 1, |ui, range| {
        for i in range {
            match tree.rows.get(i) {
                Some(&(depth, id)) => {
                    if let Some(code) = project.codes().get(&id) {
                        crate::gui::widgets::fixed_row(ui, ROW_HEIGHT, |ui| {
                            code_row_ui(ui, &tree, depth, code, state, commands);
                        });
                    }
                }
                None => top_level_drop_ui(ui, project, commands),
            }
        }
    });
    let one = selected
        .first()
        .filter(|_| selected.len() == 1)
        .and_then(|id| project.codes().get(id));
    match one {
        Some(code) => description_ui(ui, code, state, commands),
        None => {
            ui.separator();
            let dark = ui.visuals().dark_mode;
            ui.label(RichText::new(s::NO_DESCRIPTION_SELECTED).color(theme::muted(dark)));
        }
    }
}

/// The width a button with this text takes, with the spacing before it (the field beside it leaves room for
/// the longer Norwegian label).
fn button_width(ui: &Ui, text: &str) -> f32 {
    let galley = ui.painter().layout_no_wrap(
        text.to_string(),
        egui::TextStyle::Button.resolve(ui.style()),
        egui::Color32::PLACEHOLDER,
    );
    let spacing = &ui.style().spacing;
    galley.size().x + 2.0 * spacing.button_padding.x + spacing.item_spacing.x + 2.0
}

/// The field that adds a code by path.
fn new_code_ui(ui: &mut Ui, state: &mut CodebookState, commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        let label = ui.label(s::NEW_CODE);
        let edit = ui
            .add(
                egui::TextEdit::singleline(&mut state.new_code)
                    .hint_text(s::NEW_CODE_HINT)
                    .desired_width(ui.available_width() - button_width(ui, s::ADD.get())),
            )
            .labelled_by(label.id);
        let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
        if (ui.button(s::ADD).clicked() || enter) && !state.new_code.trim().is_empty() {
            let path = std::mem::take(&mut state.new_code);
            commands.push(Command::Code(CodeChange::AddPath(path)));
        }
    });
}

/// Dropping a code on the empty space below the tree moves it to the top level.
fn top_level_drop_ui(ui: &mut Ui, project: &Project, commands: &mut Vec<Command>) {
    let (rest, response) = ui.allocate_exact_size(vec2(ui.available_width(), 28.0), Sense::hover());
    if let Some(dragged) = response.dnd_hover_payload::<CodeId>()
        && project.codes().contains_key(&dragged)
    {
        let stroke = ui.visuals().selection.stroke;
        let rect = rest.shrink(2.0);
        ui.painter()
            .rect_stroke(rect, 3.0, stroke, egui::StrokeKind::Inside);
    }
    if let Some(dragged) = response.dnd_release_payload::<CodeId>() {
        commands.push(Command::Code(CodeChange::Move {
            code: *dragged,
            parent: None,
        }));
    }
}

/// The description of the one selected code; it commits when focus leaves (or the selection changes).
fn description_ui(
    ui: &mut Ui,
    code: &Code,
    state: &mut CodebookState,
    commands: &mut Vec<Command>,
) {
    ui.separator();
    let label = ui.label(RichText::new(format!("{} — {}", s::DESCRIPTION, code.name)).strong());
    if state
        .description
        .as_ref()
        .is_none_or(|(id, _)| *id != code.id)
    {
        state.description = Some((code.id, code.description.clone()));
        state.description_typed = false;
    }
    let Some((_, draft)) = state.description.as_mut() else {
        return;
    };
    let response = egui::ScrollArea::vertical()
        .id_salt("description")
        .max_height(DESCRIPTION_HEIGHT - 44.0)
        .show(ui, |ui| {
            ui.add(
                egui::TextEdit::multiline(draft)
                    .hint_text(s::DESCRIPTION_HINT)
                    .desired_rows(3)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id)
        })
        .inner;
    state.description_typed |= response.changed();
    if response.lost_focus() && *draft != code.description {
        commands.push(Command::Code(CodeChange::Describe {
            code: code.id,
            text: draft.clone(),
        }));
        state.description_typed = false;
    }
    if !response.has_focus() && *draft != code.description && !response.lost_focus() {
        // The code changed elsewhere (undo): show the stored text.
        *draft = code.description.clone();
        state.description_typed = false;
    }
}

/// One code in the tree: its name field while renaming, else the row with its clicks, drags and menu.
fn code_row_ui(
    ui: &mut Ui,
    tree: &Tree<'_>,
    depth: usize,
    code: &Code,
    state: &mut CodebookState,
    commands: &mut Vec<Command>,
) {
    let indent = depth as f32 * INDENT;
    if state
        .renaming
        .as_ref()
        .is_some_and(|(id, _, _)| *id == code.id)
    {
        rename_ui(ui, indent, code, state, commands);
        return;
    }
    let count = state
        .counts
        .as_ref()
        .and_then(|(_, c)| c.get(&code.id))
        .copied()
        .unwrap_or(0);
    let response = paint_row(ui, tree, indent, code, count);
    let path = tree.project.code_path(code.id);
    let response = response.on_hover_text(if code.description.is_empty() {
        path
    } else {
        format!("{path}\n{}", code.description)
    });
    if state.scroll_to == Some(code.id) {
        response.scroll_to_me_animation(
            Some(egui::Align::Center),
            egui::style::ScrollAnimation::none(),
        );
        state.scroll_to = None;
    }
    row_interaction(ui, tree.project, code, &response, state, commands);
    response.context_menu(|ui| row_menu_ui(ui, tree, code, state, commands));
}

/// The name field of a code being renamed; Enter or leaving it renames, Escape cancels.
fn rename_ui(
    ui: &mut Ui,
    indent: f32,
    code: &Code,
    state: &mut CodebookState,
    commands: &mut Vec<Command>,
) {
    let Some((_, draft, focused)) = state.renaming.as_mut() else {
        return;
    };
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
}

/// Paints a row (selection or hover fill, drop outline, swatch, name, count); returns its response.
fn paint_row(
    ui: &mut Ui,
    tree: &Tree<'_>,
    indent: f32,
    code: &Code,
    count: usize,
) -> egui::Response {
    let width = ui.available_width();
    let (rect, response) = ui.allocate_exact_size(vec2(width, ROW_HEIGHT), Sense::click_and_drag());
    let is_selected = tree.selected.contains(&code.id);
    let visuals = ui.visuals();
    let painter = ui.painter();
    if is_selected {
        painter.rect_filled(rect, 3.0, visuals.selection.bg_fill);
    } else if response.hovered() {
        painter.rect_filled(rect, 3.0, visuals.widgets.hovered.weak_bg_fill);
    }
    if response.has_focus() {
        // Keyboard focus is visible (Tab moves through the codes; Enter or Space selects).
        let stroke = egui::Stroke::new(2.0, visuals.strong_text_color());
        painter.rect_stroke(rect, 3.0, stroke, egui::StrokeKind::Inside);
    }
    let hover = ui.input(|i| i.pointer.hover_pos());
    if let Some(dragged) = response.dnd_hover_payload::<CodeId>()
        && let Some(p) = hover
        && drop_change(tree.project, *dragged, code, drop_at(rect, p.y)).is_some()
    {
        let stroke = egui::Stroke::new(2.0, visuals.selection.stroke.color);
        match drop_at(rect, p.y) {
            Drop::Into => {
                painter.rect_stroke(rect, 3.0, stroke, egui::StrokeKind::Inside);
            }
            Drop::Before => {
                painter.hline(rect.x_range(), rect.top(), stroke);
            }
            Drop::After => {
                painter.hline(rect.x_range(), rect.bottom(), stroke);
            }
        }
    }
    let swatch = egui::Rect::from_center_size(
        egui::pos2(rect.left() + indent + 9.0, rect.center().y),
        vec2(11.0, 11.0),
    );
    painter.rect_filled(swatch, 3.0, theme::code_colour(&code.colour, tree.dark));
    let text_colour = if is_selected {
        visuals.selection.stroke.color
    } else {
        visuals.text_color()
    };
    let count_width = if count > 0 { 34.0 } else { 4.0 };
    let mut job = egui::text::LayoutJob::simple_singleline(
        code.name.clone(),
        FontId::proportional(14.0),
        text_colour,
    );
    job.wrap = egui::text::TextWrapping::truncate_at_width(
        (rect.right() - swatch.right() - 7.0 - count_width).max(20.0),
    );
    let galley = painter.layout_job(job);
    let at = egui::pos2(
        swatch.right() + 7.0,
        rect.center().y - galley.size().y / 2.0,
    );
    painter.galley(at, galley, text_colour);
    if count > 0 {
        painter.text(
            egui::pos2(rect.right() - 6.0, rect.center().y),
            Align2::RIGHT_CENTER,
            crate::gui::locale::count(count),
            FontId::proportional(12.0),
            theme::muted(tree.dark),
        );
    }
    response.widget_info(|| {
        egui::WidgetInfo::selected(egui::Role::Button, true, is_selected, &code.name)
    });
    response
}

/// Where a code dragged over a row would go: above it, under it (as a sub-code), or below it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Drop {
    Before,
    Into,
    After,
}

/// The drop a pointer at `y` over a row means: its top quarter places before, its bottom quarter after.
fn drop_at(rect: egui::Rect, y: f32) -> Drop {
    let quarter = rect.height() / 4.0;
    if y < rect.top() + quarter {
        Drop::Before
    } else if y > rect.bottom() - quarter {
        Drop::After
    } else {
        Drop::Into
    }
}

/// The change dropping `dragged` on `target` makes, if it is allowed (a code never goes inside its own branch).
fn drop_change(
    project: &Project,
    dragged: CodeId,
    target: &Code,
    drop: Drop,
) -> Option<CodeChange> {
    if dragged == target.id {
        return None;
    }
    match drop {
        Drop::Into => {
            (!project.is_ancestor_or_self(dragged, target.id)).then_some(CodeChange::Move {
                code: dragged,
                parent: Some(target.id),
            })
        }
        Drop::Before | Drop::After => {
            if target
                .parent
                .is_some_and(|p| project.is_ancestor_or_self(dragged, p))
            {
                return None;
            }
            let siblings: Vec<CodeId> = project
                .children(target.parent)
                .into_iter()
                .map(|c| c.id)
                .filter(|id| *id != dragged)
                .collect();
            let at = siblings.iter().position(|id| *id == target.id)?;
            Some(CodeChange::Reorder {
                code: dragged,
                parent: target.parent,
                position: if drop == Drop::After { at + 1 } else { at },
            })
        }
    }
}

/// Click selects, double-click renames, dragging a code onto another moves it under that one, and dragging it to
/// the top or bottom edge of a row places it before or after that code.
fn row_interaction(
    ui: &Ui,
    project: &Project,
    code: &Code,
    response: &egui::Response,
    state: &mut CodebookState,
    commands: &mut Vec<Command>,
) {
    if response.clicked() {
        let additive = ui.input(|i| i.modifiers.command || i.modifiers.shift);
        commands.push(Command::SelectCode {
            code: code.id,
            additive,
        });
    }
    if response.double_clicked() {
        state.start_renaming(code.id, &code.name);
    }
    if response.drag_started() {
        response.dnd_set_drag_payload(code.id);
    }
    let pointer = ui.input(|i| i.pointer.interact_pos());
    if let Some(dragged) = response.dnd_release_payload::<CodeId>()
        && let Some(p) = pointer
        && let Some(change) = drop_change(project, *dragged, code, drop_at(response.rect, p.y))
    {
        commands.push(Command::Code(change));
    }
}

/// The right-click menu of a code: rename, add a sub-code, move, merge, delete.
fn row_menu_ui(
    ui: &mut Ui,
    tree: &Tree<'_>,
    code: &Code,
    state: &mut CodebookState,
    commands: &mut Vec<Command>,
) {
    if ui.button(s::RENAME).clicked() {
        state.start_renaming(code.id, &code.name);
        ui.close();
    }
    if ui.button(s::ADD_SUBCODE).clicked() {
        commands.push(Command::Code(CodeChange::AddSubcode(code.id)));
        ui.close();
    }
    if ui.button(s::SUGGEST_PASSAGES).clicked() {
        commands.push(Command::Meaning(
            crate::gui::meaning::MeaningCommand::Suggest(code.id),
        ));
        ui.close();
    }
    ui.menu_button(s::COLOUR, |ui| colour_menu_ui(ui, code, commands));
    let siblings: Vec<CodeId> = tree
        .project
        .children(code.parent)
        .into_iter()
        .map(|c| c.id)
        .collect();
    let at = siblings.iter().position(|id| *id == code.id).unwrap_or(0);
    let reorder = |position| {
        Command::Code(CodeChange::Reorder {
            code: code.id,
            parent: code.parent,
            position,
        })
    };
    if ui
        .add_enabled(at > 0, egui::Button::new(s::MOVE_UP))
        .clicked()
    {
        commands.push(reorder(at.saturating_sub(1)));
        ui.close();
    }
    if ui
        .add_enabled(at + 1 < siblings.len(), egui::Button::new(s::MOVE_DOWN))
        .clicked()
    {
        commands.push(reorder(at + 1));
        ui.close();
    }
    ui.menu_button(s::MOVE_TO, |ui| {
        let top = Command::Code(CodeChange::Move {
            code: code.id,
            parent: None,
        });
        let under = |other: CodeId| {
            Command::Code(CodeChange::Move {
                code: code.id,
                parent: Some(other),
            })
        };
        other_codes_ui(
            ui,
            tree,
            code,
            Some((s::TOP_LEVEL.get(), top)),
            under,
            commands,
        );
    });
    ui.menu_button(s::MERGE_INTO, |ui| {
        let into = |other: CodeId| {
            Command::Code(CodeChange::Merge {
                from: code.id,
                into: other,
            })
        };
        other_codes_ui(ui, tree, code, None, into, commands);
    });
    ui.separator();
    if ui.button(s::DELETE).clicked() {
        state.confirm_delete = Some(code.id);
        ui.close();
    }
}

/// The colour picker of a code: the palette as swatches, then a custom colour (see
/// [`crate::gui::widgets::colour_picker_ui`]).
fn colour_menu_ui(ui: &mut Ui, code: &Code, commands: &mut Vec<Command>) {
    let id = ui.make_persistent_id(("custom-colour", code.id));
    if let Some(colour) = crate::gui::widgets::colour_picker_ui(ui, &PALETTE, &code.colour, id) {
        if !colour.eq_ignore_ascii_case(&code.colour) {
            commands.push(Command::Code(CodeChange::Colour {
                code: code.id,
                colour,
            }));
        }
        ui.close();
    }
}

/// A scrolling list of the codes outside `code`'s own branch (after an optional first entry); a click
/// queues `choose(other)`.
fn other_codes_ui(
    ui: &mut Ui,
    tree: &Tree<'_>,
    code: &Code,
    first: Option<(&str, Command)>,
    choose: impl Fn(CodeId) -> Command,
    commands: &mut Vec<Command>,
) {
    egui::ScrollArea::vertical()
        .max_height(360.0)
        .show(ui, |ui| {
            if let Some((label, command)) = first
                && ui.button(label).clicked()
            {
                commands.push(command);
                ui.close();
            }
            for &(depth, id) in tree.rows.iter() {
                let Some(other) = tree.project.codes().get(&id) else {
                    continue;
                };
                if tree.project.is_ancestor_or_self(code.id, other.id) {
                    continue;
                }
                let label = format!("{}{}", "   ".repeat(depth), other.name);
                if ui.button(label).clicked() {
                    commands.push(choose(other.id));
                    ui.close();
                }
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
            if ui.button(s::DELETE_CONFIRM).clicked() || ui.input(|i| i.key_pressed(Key::Enter)) {
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
