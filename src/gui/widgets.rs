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

/// A window kept inside the work area, no larger than it, resizable.
pub fn window<'a>(ctx: &egui::Context, title: impl Into<egui::WidgetText>) -> egui::Window<'a> {
    let area = work_area(ctx);
    egui::Window::new(title)
        .constrain_to(area)
        .max_size(area.size() - egui::vec2(24.0, 100.0))
        .resizable(true)
}

/// The window the user is in: the one holding the keyboard focus, else the one under the pointer.
pub fn active_window(ctx: &egui::Context) -> Option<egui::LayerId> {
    let window = |layer: egui::LayerId| (layer.order == egui::Order::Middle).then_some(layer);
    let focused = ctx
        .memory(|m| m.focused())
        .and_then(|id| ctx.read_response(id))
        .and_then(|r| window(r.layer_id));
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
        ui.horizontal_top(|ui| {
            ui.spacing_mut().item_spacing.x = 0.0;
            let out = TableBuilder::new(ui)
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
                });
            offsets[0] = out.state.clamped_offset().y;
            egui::ScrollArea::horizontal()
                .id_salt((self.salt, "sideways"))
                .auto_shrink([false, true])
                .show(ui, |ui| {
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
        // Whichever part was scrolled this frame leads; the other follows next frame.
        let next = if (offsets[0] - offset).abs() > 0.5 {
            offsets[0]
        } else {
            offsets[1]
        };
        ui.data_mut(|d| d.insert_temp(offset_id, next));
    }
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
