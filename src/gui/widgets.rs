//! Small widgets shared by panels and windows: a drop-down of named choices with an "any" entry, and the work
//! area windows open and stay in.

use egui::Ui;

/// A drop-down of named choices (sorted by name) with an entry for none (`all`), labelled by `label`.
pub fn choice_combo<T: Copy + PartialEq>(
    ui: &mut Ui,
    (label, salt, all): (egui::Id, &str, &str),
    mut choices: Vec<(T, &str)>,
    current: &mut Option<T>,
) {
    choices.sort_by(|a, b| crate::collate::compare(a.1, b.1));
    let shown = choices
        .iter()
        .find(|(id, _)| Some(*id) == *current)
        .map_or(all, |(_, name)| name)
        .to_string();
    egui::ComboBox::from_id_salt(salt)
        .selected_text(shown)
        .show_ui(ui, |ui| {
            let needle = if choices.len() > FILTER_FROM {
                filter_field(ui, salt)
            } else {
                String::new()
            };
            ui.selectable_value(current, None, all);
            for (id, name) in choices {
                if matches(name, &needle) {
                    ui.selectable_value(current, Some(id), name);
                }
            }
        })
        .response
        .labelled_by(label);
}

/// Drop-downs with more choices than this get a filter field.
const FILTER_FROM: usize = 8;

/// A filter field at the top of a drop-down list (focused when the list opens, its text kept while the list is
/// open); returns the text typed, lowercased.
pub fn filter_field(ui: &mut Ui, salt: &str) -> String {
    let id = egui::Id::unique(("list-filter", salt));
    let pass = ui.ctx().cumulative_pass_nr();
    let last: Option<u64> = ui.data(|d| d.get_temp(id.with("pass")));
    // A list opened afresh (not drawn in the last pass) starts with an empty, focused filter.
    let fresh = last.is_none_or(|p| p + 1 < pass);
    let mut text: String = if fresh {
        String::new()
    } else {
        ui.data(|d| d.get_temp(id)).unwrap_or_default()
    };
    let label = ui.label(crate::gui::strings::FILTER);
    let response = ui
        .add(
            egui::TextEdit::singleline(&mut text)
                .hint_text(crate::gui::strings::TYPE_TO_FILTER)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
    if fresh {
        response.request_focus();
    }
    ui.data_mut(|d| {
        d.insert_temp(id.with("pass"), pass);
        d.insert_temp(id, text.clone());
    });
    ui.separator();
    text.trim().to_lowercase()
}

/// Whether a choice's name contains the filter text (case-insensitive; an empty filter matches all).
pub fn matches(name: &str, needle: &str) -> bool {
    needle.is_empty() || name.to_lowercase().contains(needle)
}

/// Where the work area (below the menu bar, above the status bar) is kept between the shell and the windows.
fn work_area_id() -> egui::Id {
    egui::Id::unique("marginalia-work-area")
}

/// Records the work area for this frame (the shell calls this once the menu and status bars are placed).
pub fn set_work_area(ctx: &egui::Context, rect: egui::Rect) {
    ctx.data_mut(|d| d.insert_temp(work_area_id(), rect));
}

/// The work area: windows open inside it and cannot be dragged over the menu or status bar.
pub fn work_area(ctx: &egui::Context) -> egui::Rect {
    ctx.data(|d| d.get_temp(work_area_id()))
        .unwrap_or_else(|| ctx.content_rect())
}

/// The largest content a window can have and still fit the work area with its title bar and frame.
pub fn window_content_max(ctx: &egui::Context) -> egui::Vec2 {
    (work_area(ctx).size() - egui::vec2(24.0, 100.0)).max(egui::vec2(120.0, 80.0))
}

/// A window kept inside the work area, no larger than it, resizable.
pub fn window<'a>(ctx: &egui::Context, title: impl Into<egui::WidgetText>) -> egui::Window<'a> {
    let area = work_area(ctx);
    egui::Window::new(title)
        .constrain_to(area)
        .max_size(window_content_max(ctx))
        .resizable(true)
}

/// The window holding the keyboard focus now.
fn focused_window(ctx: &egui::Context) -> Option<egui::LayerId> {
    ctx.memory(|m| m.focused())
        .and_then(|id| ctx.read_response(id))
        .map(|r| r.layer_id)
        .filter(|layer| layer.order == egui::Order::Middle)
}

fn focus_memory_id() -> egui::Id {
    egui::Id::unique("marginalia-focused-window")
}

/// Remembers which window held the keyboard focus at the end of this frame: egui drops the focus when Escape
/// is pressed, before the next frame's code can see where it was.
pub fn remember_focused_window(ctx: &egui::Context) {
    let layer = focused_window(ctx);
    ctx.data_mut(|d| {
        if let Some(layer) = layer {
            d.insert_temp(focus_memory_id(), layer);
        } else {
            d.remove::<egui::LayerId>(focus_memory_id());
        }
    });
}

/// The window the user is in: the one holding the keyboard focus (or holding it at the end of the last frame),
/// else the one under the pointer.
pub fn active_window(ctx: &egui::Context) -> Option<egui::LayerId> {
    let window = |layer: egui::LayerId| (layer.order == egui::Order::Middle).then_some(layer);
    let focused = focused_window(ctx)
        .or_else(|| ctx.data(|d| d.get_temp::<egui::LayerId>(focus_memory_id())));
    focused.or_else(|| {
        let pointer = ctx.input(|i| i.pointer.hover_pos())?;
        ctx.layer_id_at(pointer).and_then(window)
    })
}

fn escape_id() -> egui::Id {
    egui::Id::unique("marginalia-escape-window")
}

/// When Escape was pressed (outside a text field) while the user is in a window, takes the key for that window
/// (it closes when it calls [`escape_closes`]); returns true when it did.
pub fn take_escape_for_window(ctx: &egui::Context) -> bool {
    let Some(top) = active_window(ctx) else {
        return false;
    };
    let pressed = ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape));
    if pressed {
        ctx.data_mut(|d| d.insert_temp(escape_id(), top));
    }
    pressed
}

/// Closes a window (`open` set to false) when Escape was taken for it this frame.
pub fn escape_closes(ctx: &egui::Context, layer: Option<egui::LayerId>, open: &mut bool) {
    let taken = ctx.data(|d| d.get_temp::<egui::LayerId>(escape_id()));
    if let (Some(layer), Some(taken)) = (layer, taken)
        && layer == taken
    {
        *open = false;
        ctx.data_mut(|d| d.remove::<egui::LayerId>(escape_id()));
    }
}

/// Forgets an Escape no window took (called at the end of the frame).
pub fn clear_escape(ctx: &egui::Context) {
    ctx.data_mut(|d| d.remove::<egui::LayerId>(escape_id()));
}

/// Which part of a [`FrozenTable`] a header or row callback draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// The first column (the row labels), which stays in place.
    Label,
    /// The other columns, which scroll sideways.
    Values,
}

/// A table whose first column stays in place while the others scroll sideways, and whose header row stays while
/// the rows scroll: two tables side by side that scroll together vertically.
pub struct FrozenTable {
    /// Names the table's state (column widths, scroll offsets).
    pub salt: &'static str,
    /// The first column.
    pub first: egui_extras::Column,
    /// The other columns.
    pub rest: Vec<egui_extras::Column>,
    /// Height of the header row.
    pub header_height: f32,
    /// Height of every row.
    pub row_height: f32,
    /// Number of rows.
    pub rows: usize,
}

impl FrozenTable {
    /// Draws the table: `header` and `row` are called once per part (see [`Part`]), `row` with the row's index.
    pub fn show(
        self,
        ui: &mut Ui,
        mut header: impl FnMut(&mut egui_extras::TableRow<'_, '_>, Part),
        mut row: impl FnMut(&mut egui_extras::TableRow<'_, '_>, usize, Part),
    ) {
        use egui_extras::TableBuilder;
        let offset_id = ui.make_persistent_id((self.salt, "offset"));
        let offset: f32 = ui.data(|d| d.get_temp(offset_id)).unwrap_or(0.0);
        let height = (ui.available_height() - 30.0).max(60.0);
        let (rows, row_height) = (self.rows, self.row_height);
        let mut offsets = [offset; 2];
        // Each table in its own vertical column: a table lays out its header and then its body below the
        // cursor, which in the row that holds the two tables would put the body beside the header.
        ui.horizontal_top(|ui| {
            ui.spacing_mut().item_spacing.x = 0.0;
            let out = ui
                .vertical(|ui| {
                    TableBuilder::new(ui)
                        .id_salt((self.salt, "first"))
                        .striped(true)
                        .resizable(true)
                        .auto_shrink([true, true])
                        .min_scrolled_height(0.0)
                        .max_scroll_height(height)
                        .vertical_scroll_offset(offset)
                        .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::AlwaysHidden)
                        .column(self.first)
                        .header(self.header_height, |mut r| header(&mut r, Part::Label))
                        .body(|body| {
                            body.rows(row_height, rows, |mut r| {
                                let i = r.index();
                                row(&mut r, i, Part::Label);
                            });
                        })
                })
                .inner;
            offsets[0] = out.state.clamped_offset().y;
            egui::ScrollArea::horizontal()
                .id_salt((self.salt, "sideways"))
                .auto_shrink([false, true])
                .show(ui, |ui| {
                    ui.vertical(|ui| {
                        let mut table = TableBuilder::new(ui)
                            .id_salt(self.salt)
                            .striped(true)
                            .resizable(true)
                            .auto_shrink([false, true])
                            .min_scrolled_height(0.0)
                            .max_scroll_height(height)
                            .vertical_scroll_offset(offset);
                        for column in self.rest {
                            table = table.column(column);
                        }
                        let out = table
                            .header(self.header_height, |mut r| header(&mut r, Part::Values))
                            .body(|body| {
                                body.rows(row_height, rows, |mut r| {
                                    let i = r.index();
                                    row(&mut r, i, Part::Values);
                                });
                            });
                        offsets[1] = out.state.clamped_offset().y;
                    });
                });
        });
        // Whichever part was scrolled this frame leads; the other follows next frame.
        let next = if (offsets[0] - offset).abs() > 0.5 {
            offsets[0]
        } else {
            offsets[1]
        };
        ui.data_mut(|d| d.insert_temp(offset_id, next));
    }
}

/// A colour picker for a menu: the palette as swatches (each named for screen readers, the current one ringed),
/// then a custom colour applied with a button (so dragging in the picker makes one undo step, not one per frame).
/// Returns the colour chosen (`#rrggbb`) in this frame; `id` keeps the custom colour being picked.
pub fn colour_picker_ui(
    ui: &mut Ui,
    palette: &[&str],
    current: &str,
    id: egui::Id,
) -> Option<String> {
    use crate::gui::{strings as s, theme};
    let dark = ui.visuals().dark_mode;
    let mut chosen = None;
    ui.horizontal_wrapped(|ui| {
        ui.set_max_width(6.0 * 30.0);
        for (n, hex) in palette.iter().enumerate() {
            let (rect, response) =
                ui.allocate_exact_size(egui::vec2(24.0, 24.0), egui::Sense::click());
            let selected = current.eq_ignore_ascii_case(hex);
            ui.painter()
                .rect_filled(rect.shrink(2.0), 4.0, theme::code_colour(hex, dark));
            let ring = if selected || response.hovered() || response.has_focus() {
                egui::Stroke::new(2.0, ui.visuals().strong_text_color())
            } else {
                egui::Stroke::NONE
            };
            ui.painter()
                .rect_stroke(rect, 5.0, ring, egui::StrokeKind::Inside);
            let name = s::palette_colour(n + 1, hex);
            response.widget_info(|| {
                egui::WidgetInfo::selected(egui::Role::Button, true, selected, &name)
            });
            if response.on_hover_text(hex.to_string()).clicked() {
                chosen = Some(hex.to_string());
            }
        }
    });
    ui.separator();
    let mut rgb = ui
        .data(|d| d.get_temp::<[u8; 3]>(id))
        .or_else(|| crate::model::colour_rgb(current))
        .unwrap_or([128, 128, 128]);
    ui.horizontal(|ui| {
        let label = ui.label(s::CUSTOM_COLOUR);
        egui::color_picker::color_edit_button_srgb(ui, &mut rgb).labelled_by(label.id);
        if ui.button(s::OK).clicked() {
            chosen = Some(format!("#{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2]));
        }
    });
    if chosen.is_some() {
        ui.data_mut(|d| d.remove::<[u8; 3]>(id));
    } else {
        ui.data_mut(|d| d.insert_temp(id, rgb));
    }
    chosen
}

/// A row of exactly `height` (for lists virtualised with `ScrollArea::show_rows`, whose rows must all be as high
/// as they say): `content` is drawn inside it, clipped to it.
pub fn fixed_row<R>(ui: &mut Ui, height: f32, content: impl FnOnce(&mut Ui) -> R) -> R {
    let (rect, _) = ui.allocate_exact_size(
        egui::vec2(ui.available_width(), height),
        egui::Sense::hover(),
    );
    let mut child = ui.new_child(
        egui::UiBuilder::new()
            .max_rect(rect)
            .layout(egui::Layout::top_down(egui::Align::Min)),
    );
    // Clipped above and below only (a row may mark its left margin, as the excerpts' colour bars do).
    let clip = ui.clip_rect();
    child
        .set_clip_rect(egui::Rect::from_x_y_ranges(clip.x_range(), rect.y_range()).intersect(clip));
    content(&mut child)
}
