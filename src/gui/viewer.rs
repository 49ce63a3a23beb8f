//! The document viewer: units laid out lazily, mouse and keyboard selection, highlights and coding stripes.
//!
//! The document viewer: speaker turns and paragraphs laid out one unit at a time (cached galleys, only the
//! visible rows drawn), a mouse/keyboard selection in code points, highlights and coding stripes.

use std::collections::BTreeSet;
use std::sync::Arc;

use egui::text::{CCursor, LayoutJob, TextFormat};
use egui::{
    Color32, CursorIcon, FontFamily, FontId, Galley, Key, Pos2, Rect, Sense, Stroke, Ui, pos2, vec2,
};

use crate::gui::commands::{Command, PickTarget};
use crate::gui::stripes::{BAR_GAP, BAR_WIDTH, NAME_WIDTH, StripeIndex};
use crate::gui::{strings as s, theme};
use crate::ids::{CodeId, CodingId, DocumentId};
use crate::model::{Document, Project};
use crate::offsets::{CharRange, slice};

/// A selection in a document, in code points: where it started and where its moving end is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Selection {
    /// The offset where the selection started (a click or the start of a drag); it stays put while extending.
    pub anchor: usize,
    /// The offset of the moving end, which a drag or Shift with an arrow key moves.
    pub cursor: usize,
}

impl Selection {
    /// The selected range, from the smaller offset to the larger, whichever way it was made.
    pub fn range(&self) -> CharRange {
        CharRange::new(self.anchor.min(self.cursor), self.anchor.max(self.cursor))
    }

    /// A selection covering `range`, anchored at its start with the cursor at its end.
    pub fn of(range: CharRange) -> Self {
        Self {
            anchor: range.start,
            cursor: range.end,
        }
    }
}

/// One displayed block: a speaker turn or a paragraph outside turns.
#[derive(Clone, Debug)]
struct UnitInfo {
    range: CharRange,
    /// Code points of the speaker label at the start (bold), 0 for plain paragraphs.
    label_chars: usize,
    /// The timestamp inside the label, if any (drawn muted).
    timestamp: Option<String>,
}

/// Everything that decides how text is laid out; a change drops the galley cache.
#[derive(Clone, Copy, Debug, PartialEq)]
struct LayoutKey {
    document: DocumentId,
    width: f32,
    dark: bool,
    pixels_per_point: f32,
}

/// Layout of one document: units, their galleys (laid out lazily) and heights (estimated until laid out).
struct DocLayout {
    key: LayoutKey,
    units: Vec<UnitInfo>,
    galleys: Vec<Option<Arc<Galley>>>,
    heights: Vec<f32>,
    /// `tops[i]` is the y of unit i; `tops[len]` is the total height.
    tops: Vec<f32>,
    row_height: f32,
}

/// Counters for the benchmark and tests.
#[derive(Clone, Copy, Debug, Default)]
pub struct ViewerStats {
    /// Galleys laid out since the viewer was created.
    pub galleys_laid_out: usize,
    /// Units drawn in the last frame.
    pub units_drawn: usize,
    /// Where the text column was in the last frame (screen coordinates, the visible height).
    pub text_column: Option<Rect>,
    /// Whether the code names were written beside the stripes in the last frame.
    pub names_shown: bool,
}

/// State of the viewer across frames.
#[derive(Default)]
pub struct ViewerState {
    pub document: Option<DocumentId>,
    pub selection: Option<Selection>,
    /// A passage to flash (after a jump) until the given time.
    pub flash: Option<(CharRange, f64)>,
    /// Scroll so this code-point offset is visible next frame.
    pub scroll_to: Option<usize>,
    /// Snap selections to whole words unless Alt is held.
    pub snap_words: bool,
    pub stats: ViewerStats,
    layout: Option<DocLayout>,
    stripes: Option<StripeIndex>,
    dragging: bool,
    menu_coding: Option<CodingId>,
    menu_offset: Option<usize>,
}

/// What the viewer needs from the rest of the app for one frame.
pub struct ViewerInput<'a> {
    pub project: &'a Project,
    pub revision: u64,
    /// Whose codings are shown (the coder layers; `revision` already changes with it).
    pub coders: &'a crate::coders::CoderSelection,
    pub selected_codes: &'a BTreeSet<CodeId>,
    /// Search matches in the current document, sorted by start.
    pub hits: &'a [CharRange],
}

/// Vertical gap after each unit, as a share of a row.
const UNIT_GAP: f32 = 0.75;
/// Line height as a multiple of the font size.
const LINE_HEIGHT: f32 = 1.55;

impl ViewerState {
    pub fn new() -> Self {
        Self {
            snap_words: true,
            ..Default::default()
        }
    }

    /// Shows a document (keeps the selection when it is the same one).
    pub fn open(&mut self, document: DocumentId) {
        if self.document != Some(document) {
            self.document = Some(document);
            self.selection = None;
            self.flash = None;
            self.scroll_to = Some(0);
        }
    }

    pub fn close(&mut self) {
        *self = Self {
            snap_words: self.snap_words,
            ..Self::new()
        };
    }

    /// The selected range, when it is not empty.
    pub fn selected_range(&self) -> Option<CharRange> {
        self.selection.map(|s| s.range()).filter(|r| !r.is_empty())
    }

    /// Draws the viewer; returns commands for the app.
    pub fn viewer_ui(&mut self, ui: &mut Ui, input: &ViewerInput<'_>, commands: &mut Vec<Command>) {
        let Some(doc) = self
            .document
            .and_then(|d| input.project.documents().get(&d))
        else {
            ui.centered_and_justified(|ui| {
                ui.label(
                    egui::RichText::new(s::NO_DOCUMENT).color(theme::muted(ui.visuals().dark_mode)),
                );
            });
            return;
        };
        let dark = ui.visuals().dark_mode;
        let text = input.project.text(doc.id);
        self.prepare(ui, doc, input, dark);
        let (Some(mut layout), Some(stripes)) = (self.layout.take(), self.stripes.take()) else {
            return;
        };
        self.show_document(ui, doc, text, input, dark, &mut layout, &stripes, commands);
        self.layout = Some(layout);
        self.stripes = Some(stripes);
    }

    #[allow(clippy::too_many_arguments)]
    fn show_document(
        &mut self,
        ui: &mut Ui,
        doc: &Document,
        text: &str,
        input: &ViewerInput<'_>,
        dark: bool,
        layout: &mut DocLayout,
        stripes: &StripeIndex,
        commands: &mut Vec<Command>,
    ) {
        let mut scroll = egui::ScrollArea::vertical()
            .id_salt(("viewer", doc.id))
            .auto_shrink([false, false]);
        if let Some(target) = self.scroll_target(ui, layout, text) {
            scroll = scroll.vertical_scroll_offset(target);
        }
        let flash = self
            .flash
            .filter(|(_, until)| *until > ui.input(|i| i.time));
        if flash.is_some() {
            ui.ctx().request_repaint();
        }
        let margin = stripes.margin_width() + 14.0;
        scroll.show_viewport(ui, |ui, viewport| {
            let (response, geometry) = page_ui(ui, doc, layout, margin, dark);
            let left = geometry.origin.x + geometry.x_text;
            self.stats.text_column = Some(Rect::from_x_y_ranges(
                left..=left + layout.key.width,
                ui.clip_rect().y_range(),
            ));
            self.stats.names_shown = geometry.names;
            let paint = UnitPaint {
                bars: &[],
                stripes,
                selected_codes: input.selected_codes,
                hits: input.hits,
                selection: self.selection.map(|s| s.range()),
                flash: flash.map(|f| f.0),
                dark,
                selection_fill: ui.visuals().selection.bg_fill,
                stripe_right: geometry.origin.x + geometry.x_text - 10.0,
                names: geometry.names,
                name_width: geometry.name_width,
            };
            let frame = self.paint_visible(ui, viewport, layout, &geometry, text, &paint);
            layout.recompute_tops();
            let place = Place {
                layout,
                geometry: &geometry,
                frame: &frame,
            };
            self.interact(ui, &response, &place, input, doc, text, commands);
        });
    }

    /// Where to scroll for a pending scroll target (its unit laid out first, so the offset is exact).
    fn scroll_target(&mut self, ui: &Ui, layout: &mut DocLayout, text: &str) -> Option<f32> {
        let offset = self.scroll_to.take()?;
        if layout.units.is_empty() {
            return None;
        }
        let unit = layout.unit_at(offset);
        layout.ensure(ui.ctx(), unit, text, &mut self.stats);
        let within = layout.galleys[unit]
            .as_ref()
            .map(|g| {
                let local = offset.saturating_sub(layout.units[unit].range.start);
                g.pos_from_cursor(CCursor::new(local)).top()
            })
            .unwrap_or(0.0);
        Some((layout.tops[unit] + within - 3.0 * layout.row_height).max(0.0))
    }

    /// Lays out and paints the units in the viewport; returns where the stripes were drawn.
    fn paint_visible(
        &mut self,
        ui: &Ui,
        viewport: Rect,
        layout: &mut DocLayout,
        geometry: &Geometry,
        text: &str,
        paint: &UnitPaint<'_>,
    ) -> FrameOutput {
        let painter = ui.painter_at(ui.clip_rect());
        let mut frame = FrameOutput::default();
        let mut unit = layout.unit_at_y(viewport.min.y - 16.0);
        let mut drawn = 0;
        while unit < layout.units.len() && layout.tops[unit] <= viewport.max.y {
            layout.ensure(ui.ctx(), unit, text, &mut self.stats);
            if let Some(galley) = layout.galleys[unit].clone() {
                let origin = geometry.origin;
                let top_left = pos2(origin.x + geometry.x_text, origin.y + layout.tops[unit]);
                let bars = paint.stripes.per_unit.get(unit).map(Vec::as_slice);
                let unit_paint = UnitPaint {
                    bars: bars.unwrap_or(&[]),
                    ..*paint
                };
                let range = layout.units[unit].range;
                paint_unit(&painter, &galley, top_left, range, &unit_paint, &mut frame);
                drawn += 1;
            }
            unit += 1;
        }
        self.stats.units_drawn = drawn;
        paint_names(&painter, paint, &mut frame);
        frame
    }

    /// Builds or refreshes the stripe and layout caches. The text wraps to the panel: the readable measure when
    /// there is room, else what is left beside the stripe margin (never under the panel next to it).
    fn prepare(&mut self, ui: &Ui, doc: &Document, input: &ViewerInput<'_>, dark: bool) {
        let ctx = ui.ctx();
        let stale = self
            .stripes
            .as_ref()
            .is_none_or(|s| s.document != doc.id || s.revision != input.revision);
        if stale {
            let ranges: Vec<CharRange> = doc.units().into_iter().map(|u| u.range).collect();
            self.stripes = Some(StripeIndex::build(
                input.project,
                doc.id,
                input.revision,
                &ranges,
                input.coders,
            ));
        }
        let margin = self
            .stripes
            .as_ref()
            .map_or(BAR_WIDTH + BAR_GAP, StripeIndex::margin_width);
        let available = ui.available_width() - SCROLL_BAR;
        let body = FontId::proportional(theme::READING_SIZE);
        let char_width = ctx.fonts_mut(|f| f.glyph_width(&body, 'n')).max(4.0) * 1.02;
        let width = (theme::MEASURE_CHARS * char_width)
            .min(available - (margin + 14.0) - 8.0 - PAGE_RIGHT - 4.0)
            .max(MIN_TEXT_WIDTH)
            .round();
        let key = LayoutKey {
            document: doc.id,
            width,
            dark,
            pixels_per_point: ctx.pixels_per_point(),
        };
        if self.layout.as_ref().is_none_or(|l| l.key != key) {
            self.layout = Some(DocLayout::new(key, doc, char_width));
        }
    }

    /// The pointer over the text: hover tips on stripes, selecting with the mouse, clicks, a code dropped on
    /// the selection, and the context menu.
    #[allow(clippy::too_many_arguments)]
    fn interact(
        &mut self,
        ui: &Ui,
        response: &egui::Response,
        place: &Place<'_>,
        input: &ViewerInput<'_>,
        doc: &Document,
        text: &str,
        commands: &mut Vec<Command>,
    ) {
        let pointer = ui.input(|i| i.pointer.interact_pos());
        hover_ui(ui, response, place, input.project, pointer);
        self.drag_select(ui, response, place, pointer, text);
        self.clicks(response, place, input.project, pointer, text, commands);
        // A code dragged from the codebook onto the text codes the selection.
        if let Some(code) = response.dnd_release_payload::<CodeId>()
            && self.selected_range().is_some()
        {
            commands.push(Command::CodeWith {
                target: PickTarget::Selection,
                code: *code,
            });
        }
        let menu = Menu {
            coding: self.menu_coding,
            offset: self.menu_offset,
            has_selection: self.selected_range().is_some(),
            selection: self.selected_range(),
        };
        let mut select = None;
        response.context_menu(|ui| {
            select = menu.ui(ui, input.project, input.coders, doc, commands);
        });
        if let Some(range) = select {
            self.selection = Some(Selection::of(range));
        }
    }

    /// Selecting by dragging (auto-scrolling near the edges); snapped to words when the drag ends.
    fn drag_select(
        &mut self,
        ui: &Ui,
        response: &egui::Response,
        place: &Place<'_>,
        pointer: Option<Pos2>,
        text: &str,
    ) {
        if response.drag_started_by(egui::PointerButton::Primary) {
            let origin = ui.input(|i| i.pointer.press_origin());
            if let Some(at) = origin.and_then(|p| place.offset(p)) {
                self.selection = Some(Selection {
                    anchor: at,
                    cursor: at,
                });
                self.dragging = true;
            }
        }
        if self.dragging && response.dragged_by(egui::PointerButton::Primary) {
            if let (Some(p), Some(sel)) = (pointer, self.selection.as_mut())
                && let Some(at) = place.offset(p)
            {
                sel.cursor = at;
            }
            if let Some(p) = pointer {
                let clip = ui.clip_rect();
                if p.y < clip.top() + 20.0 {
                    ui.scroll_with_delta(vec2(0.0, 12.0));
                } else if p.y > clip.bottom() - 20.0 {
                    ui.scroll_with_delta(vec2(0.0, -12.0));
                }
            }
        }
        if self.dragging && response.drag_stopped() {
            self.dragging = false;
            let alt = ui.input(|i| i.modifiers.alt);
            if self.snap_words
                && !alt
                && let Some(sel) = self.selection.as_mut()
            {
                *sel = snap_to_words(text, *sel);
            }
        }
    }

    /// A click on a stripe selects its passage and code (elsewhere clears the selection); a double click selects
    /// a word; a right click remembers what the menu is about.
    fn clicks(
        &mut self,
        response: &egui::Response,
        place: &Place<'_>,
        project: &Project,
        pointer: Option<Pos2>,
        text: &str,
        commands: &mut Vec<Command>,
    ) {
        if response.clicked() {
            let coding = pointer
                .and_then(|p| place.bar(p))
                .and_then(|id| project.codings().get(&id));
            self.selection = coding.map(|c| Selection::of(c.range));
            if let Some(c) = coding {
                commands.push(Command::SelectCode {
                    code: c.code,
                    additive: false,
                });
            }
        }
        if response.double_clicked()
            && let Some(at) = pointer.and_then(|p| place.offset(p))
        {
            let word = Selection {
                anchor: at,
                cursor: at,
            };
            self.selection = Some(snap_to_words(text, word));
        }
        if response.secondary_clicked() {
            self.menu_coding = pointer.and_then(|p| place.bar(p));
            self.menu_offset = pointer.and_then(|p| place.offset(p));
        }
    }

    /// Keyboard selection (Shift+arrows; with Ctrl by word) and Ctrl+C, which copies the selected text to the
    /// system clipboard. Call only when no text field has focus.
    pub fn keyboard(&mut self, ctx: &egui::Context, project: &Project) {
        let Some(doc) = self.document.and_then(|d| project.documents().get(&d)) else {
            return;
        };
        let Some(sel) = self.selection else { return };
        let text = project.text(doc.id);
        let copy = ctx.input(|i| i.events.iter().any(|e| matches!(e, egui::Event::Copy)));
        if copy && let Some(selected) = self.selected_range().and_then(|r| slice(text, r)) {
            ctx.copy_text(selected.to_string());
        }
        let len = doc.char_len;
        let mut moved = None;
        ctx.input_mut(|i| {
            let shift = i.modifiers.shift;
            let word = i.modifiers.command || i.modifiers.alt;
            if !shift {
                return;
            }
            for key in [
                Key::ArrowLeft,
                Key::ArrowRight,
                Key::ArrowUp,
                Key::ArrowDown,
            ] {
                let pressed = i.events.iter().any(
                    |e| matches!(e, egui::Event::Key { key: k, pressed: true, .. } if *k == key),
                );
                if !pressed {
                    continue;
                }
                let cursor = sel.cursor;
                let next = match key {
                    Key::ArrowLeft if word => word_edge(text, cursor, false),
                    Key::ArrowRight if word => word_edge(text, cursor, true),
                    Key::ArrowLeft => cursor.saturating_sub(1),
                    Key::ArrowRight => (cursor + 1).min(len),
                    Key::ArrowUp => self.vertical_move(cursor, false),
                    _ => self.vertical_move(cursor, true),
                };
                moved = Some(next);
                i.events.retain(
                    |e| !matches!(e, egui::Event::Key { key: k, pressed: true, .. } if *k == key),
                );
            }
        });
        if let Some(next) = moved {
            self.selection = Some(Selection {
                anchor: sel.anchor,
                cursor: next,
            });
        }
    }

    /// The offset one row up or down from `cursor`, at the same x.
    fn vertical_move(&self, cursor: usize, down: bool) -> usize {
        let Some(layout) = &self.layout else {
            return cursor;
        };
        let unit = layout.unit_at(cursor);
        let Some(galley) = layout.galleys.get(unit).and_then(|g| g.as_ref()) else {
            return cursor;
        };
        let start = layout.units[unit].range.start;
        let local = cursor.saturating_sub(start);
        let rect = galley.pos_from_cursor(CCursor::new(local));
        let y = if down {
            rect.center().y + rect.height()
        } else {
            rect.center().y - rect.height()
        };
        if y < 0.0 {
            return if unit == 0 {
                0
            } else {
                layout.units[unit - 1].range.end
            };
        }
        if y > galley.size().y {
            return layout
                .units
                .get(unit + 1)
                .map(|u| u.range.start)
                .unwrap_or(layout.units[unit].range.end);
        }
        start + galley.cursor_from_pos(vec2(rect.left(), y)).index.0
    }

    /// Height of the whole document as laid out so far (for tests).
    pub fn content_height(&self) -> f32 {
        self.layout
            .as_ref()
            .map(|l| l.total_height())
            .unwrap_or(0.0)
    }
}

/// Allocates the scroll content (the document's accessible node) and paints the page behind the text column.
fn page_ui(
    ui: &mut Ui,
    doc: &Document,
    layout: &DocLayout,
    margin: f32,
    dark: bool,
) -> (egui::Response, Geometry) {
    let full_width = ui.available_width();
    let text_width = layout.key.width;
    // The text is centred; what is left of it holds the stripes, and the code names when there is room (the
    // text moves right of the centre to make it).
    let spare = full_width - text_width - PAGE_RIGHT;
    let with_names = |width: f32| margin + 8.0 + width + 12.0;
    let names = spare >= with_names(NAME_WIDTH);
    // Wide windows give the names more room (short names stay short) while the text stays centred.
    let name_width = (spare / 2.0 - margin - 20.0).clamp(NAME_WIDTH, WIDE_NAME_WIDTH);
    let floor = if names {
        with_names(name_width)
    } else {
        margin + 8.0
    };
    let x_text = (spare / 2.0).max(floor);
    let left = if names {
        margin + name_width + 22.0
    } else {
        margin + 10.0
    };
    let (rect, response) = ui.allocate_exact_size(
        vec2(full_width, layout.total_height() + 40.0),
        Sense::click_and_drag(),
    );
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Document, true, &doc.name));
    let origin = rect.min + vec2(0.0, 16.0);
    let page = Rect::from_x_y_ranges(
        (origin.x + x_text - left)..=(origin.x + x_text + text_width + PAGE_RIGHT),
        ui.clip_rect().y_range(),
    );
    ui.painter_at(ui.clip_rect())
        .rect_filled(page, 4.0, theme::page_fill(dark));
    (
        response,
        Geometry {
            origin,
            x_text,
            names,
            name_width,
        },
    )
}

/// What finding the passage under the pointer needs: the layout, where it sits, and the stripes drawn.
struct Place<'a> {
    layout: &'a DocLayout,
    geometry: &'a Geometry,
    frame: &'a FrameOutput,
}

impl Place<'_> {
    /// The offset in the text under a point.
    fn offset(&self, pos: Pos2) -> Option<usize> {
        self.layout.hit(pos, self.geometry)
    }

    /// The coding whose stripe is under a point.
    fn bar(&self, pos: Pos2) -> Option<CodingId> {
        self.frame
            .bars
            .iter()
            .rev()
            .find(|(r, _)| r.expand2(vec2(1.0, 0.0)).contains(pos))
            .map(|(_, c)| *c)
    }
}

/// The cursor and tip over the text: a stripe names its code and coder.
fn hover_ui(
    ui: &Ui,
    response: &egui::Response,
    place: &Place<'_>,
    project: &Project,
    pointer: Option<Pos2>,
) {
    let hovered_bar = pointer
        .filter(|_| response.hovered())
        .and_then(|p| place.bar(p));
    let Some(coding) = hovered_bar else {
        if response.hovered() {
            ui.ctx().set_cursor_icon(CursorIcon::Text);
        }
        return;
    };
    ui.ctx().set_cursor_icon(CursorIcon::PointingHand);
    if let Some(c) = project.codings().get(&coding) {
        let coder = project
            .coders()
            .get(&c.coder)
            .map(|k| k.name.as_str())
            .unwrap_or("?");
        let tip = format!("{}\n{}: {coder}", project.code_path(c.code), s::CODER);
        response.clone().on_hover_text_at_pointer(tip);
    }
}

/// The text's context menu: code the selection, and what to do with the coding(s) under the pointer.
struct Menu {
    /// The stripe right-clicked.
    coding: Option<CodingId>,
    /// Where in the text the right click was.
    offset: Option<usize>,
    has_selection: bool,
    /// The selected passage (copied by "Copy").
    selection: Option<CharRange>,
}

impl Menu {
    /// Draws the menu; returns a passage to select.
    fn ui(
        &self,
        ui: &mut Ui,
        project: &Project,
        coders: &crate::coders::CoderSelection,
        doc: &Document,
        commands: &mut Vec<Command>,
    ) -> Option<CharRange> {
        let codings: Vec<CodingId> = match (self.coding, self.offset) {
            (Some(c), _) => vec![c],
            (None, Some(at)) => project
                .codings_in(doc.id)
                .into_iter()
                .filter(|c| c.range.start <= at && at < c.range.end)
                .filter(|c| coders.contains(c.coder))
                .take(6)
                .map(|c| c.id)
                .collect(),
            (None, None) => Vec::new(),
        };
        if let Some(selected) = self.selection.and_then(|r| slice(project.text(doc.id), r))
            && ui.button(s::COPY).clicked()
        {
            ui.ctx().copy_text(selected.to_string());
            ui.close();
        }
        if self.has_selection {
            if ui.button(s::CODE_SELECTION).clicked() {
                commands.push(Command::OpenPicker(PickTarget::Selection));
                ui.close();
            }
            if ui.button(s::IN_VIVO).clicked() {
                commands.push(Command::Action(crate::gui::commands::Action::InVivo));
                ui.close();
            }
            if let Some(range) = self.selection
                && ui.button(s::FIND_SIMILAR).clicked()
            {
                commands.push(Command::Meaning(
                    crate::gui::meaning::MeaningCommand::FindSimilar {
                        document: doc.id,
                        range,
                    },
                ));
                ui.close();
            }
        }
        let mut select = None;
        for id in codings {
            let Some(c) = project.codings().get(&id) else {
                continue;
            };
            let title = project.code_path(c.code);
            let mut items = |ui: &mut Ui| {
                if let Some(range) = self.coding_items_ui(ui, id, c.range, commands) {
                    select = Some(range);
                }
            };
            if self.coding.is_some() {
                ui.label(egui::RichText::new(title).strong());
                items(ui);
            } else {
                ui.menu_button(title, items);
            }
        }
        select
    }

    /// What can be done with one coding; returns its passage when "Select passage" was chosen.
    fn coding_items_ui(
        &self,
        ui: &mut Ui,
        id: CodingId,
        range: CharRange,
        commands: &mut Vec<Command>,
    ) -> Option<CharRange> {
        let mut select = None;
        if ui.button(s::SELECT_PASSAGE).clicked() {
            select = Some(range);
            ui.close();
        }
        if ui.button(s::FIND_SIMILAR).clicked() {
            commands.push(Command::Meaning(
                crate::gui::meaning::MeaningCommand::FindSimilarToCoding(id),
            ));
            ui.close();
        }
        let mut item = |ui: &mut Ui, label: &str, command: Command| {
            if ui.button(label).clicked() {
                commands.push(command);
                ui.close();
            }
        };
        item(ui, s::REMOVE_CODING.get(), Command::RemoveCoding(id));
        item(
            ui,
            s::CHANGE_CODE.get(),
            Command::OpenPicker(PickTarget::Coding(id)),
        );
        item(ui, s::ADD_MEMO.get(), Command::AddCodingMemo(id));
        if self.has_selection {
            item(ui, s::SET_BOUNDS.get(), Command::SetCodingBounds(id));
        }
        select
    }
}

/// Where the text column sits in the scroll content.
struct Geometry {
    origin: Pos2,
    x_text: f32,
    /// The code names are written beside the stripes (the margin has room).
    names: bool,
    /// How wide the names may be.
    name_width: f32,
}

/// The most room for code names beside the stripes, in wide windows (see [`NAME_WIDTH`] for the least).
const WIDE_NAME_WIDTH: f32 = 210.0;

/// The page's padding right of the text column.
const PAGE_RIGHT: f32 = 24.0;
/// Room kept for the viewer's vertical scroll bar.
const SCROLL_BAR: f32 = 14.0;
/// The narrowest the text column gets (a narrower panel scrolls sideways rather than wrap a word a line).
const MIN_TEXT_WIDTH: f32 = 160.0;

/// What painting a frame produced that interaction needs.
#[derive(Default)]
struct FrameOutput {
    bars: Vec<(Rect, CodingId)>,
    /// Bars starting in the drawn units, as (top, bottom, index into the stripe index's bars), named after the
    /// units are drawn.
    starts: Vec<(f32, f32, usize)>,
}

#[derive(Clone, Copy)]
struct UnitPaint<'a> {
    bars: &'a [usize],
    stripes: &'a StripeIndex,
    selected_codes: &'a BTreeSet<CodeId>,
    hits: &'a [CharRange],
    selection: Option<CharRange>,
    flash: Option<CharRange>,
    dark: bool,
    selection_fill: Color32,
    stripe_right: f32,
    /// Write code names beside the stripes.
    names: bool,
    /// How wide a name may be (longer ones end in "…").
    name_width: f32,
}

/// Paints one unit: highlights behind the text, the text, then its stripes.
fn paint_unit(
    painter: &egui::Painter,
    galley: &Arc<Galley>,
    top_left: Pos2,
    unit: CharRange,
    p: &UnitPaint<'_>,
    out: &mut FrameOutput,
) {
    paint_highlights(painter, galley, top_left, unit, p);
    painter.galley(top_left, galley.clone(), theme::text_colour(p.dark));
    paint_stripes(painter, galley, top_left, unit, p, out);
}

/// Behind the text: passages of the selected codes, search hits, the selection, and the passage flashed
/// after a jump.
fn paint_highlights(
    painter: &egui::Painter,
    galley: &Galley,
    top_left: Pos2,
    unit: CharRange,
    p: &UnitPaint<'_>,
) {
    let rects = |r: CharRange| {
        let local = r.intersection(&unit);
        local
            .map(|i| range_rects(galley, i.start - unit.start, i.end - unit.start))
            .unwrap_or_default()
            .into_iter()
            .map(|rect| rect.translate(top_left.to_vec2()))
    };
    if !p.selected_codes.is_empty() {
        for &i in p.bars {
            let bar = &p.stripes.bars[i];
            if p.selected_codes.contains(&bar.code) {
                for rect in rects(bar.range) {
                    painter.rect_filled(rect, 2.0, bar.fill(p.dark));
                }
            }
        }
    }
    let first = p.hits.partition_point(|h| h.end <= unit.start);
    for hit in p.hits[first..].iter().take_while(|h| h.start < unit.end) {
        for rect in rects(*hit) {
            painter.rect_filled(rect, 2.0, theme::hit_fill(p.dark));
        }
    }
    for rect in p.selection.into_iter().flat_map(rects) {
        painter.rect_filled(rect, 0.0, p.selection_fill);
    }
    let stroke = Stroke::new(1.5, theme::speaker_colour(p.dark));
    for rect in p.flash.into_iter().flat_map(rects) {
        painter.rect_stroke(rect.expand(1.0), 2.0, stroke, egui::StrokeKind::Outside);
    }
}

/// Stripes: one bar per coding, in its lane, spanning the rows it covers in this unit.
fn paint_stripes(
    painter: &egui::Painter,
    galley: &Galley,
    top_left: Pos2,
    unit: CharRange,
    p: &UnitPaint<'_>,
    out: &mut FrameOutput,
) {
    for &i in p.bars {
        let bar = &p.stripes.bars[i];
        let Some(local) = bar.range.intersection(&unit) else {
            continue;
        };
        let (a, b) = (local.start - unit.start, local.end - unit.start);
        let top = galley
            .pos_from_cursor(CCursor {
                index: egui::text::CharIndex(a),
                prefer_next_row: true,
            })
            .top();
        let bottom = galley
            .pos_from_cursor(CCursor::new(b.saturating_sub(1).max(a)))
            .bottom();
        let lanes = p.stripes.lanes.max(1);
        let x_right =
            p.stripe_right - (lanes - 1 - bar.lane.min(lanes - 1)) as f32 * (BAR_WIDTH + BAR_GAP);
        let rect = Rect::from_x_y_ranges(
            (x_right - BAR_WIDTH)..=x_right,
            (top_left.y + top + 2.0)..=(top_left.y + bottom - 2.0),
        );
        painter.rect_filled(rect, 1.5, bar.colour(p.dark));
        out.bars.push((rect, bar.coding));
        if p.names && local.start == bar.range.start {
            out.starts.push((rect.top(), rect.bottom(), i));
        }
    }
}

/// The code names beside the stripes, top to bottom: each at the top of its bar (moved down past the name above
/// while its bar lasts, else left out), joined to its bar by a tick in the code's colour. A name is part of its
/// bar for hovering and clicking.
fn paint_names(painter: &egui::Painter, p: &UnitPaint<'_>, out: &mut FrameOutput) {
    if !p.names || out.starts.is_empty() {
        return;
    }
    let mut starts = std::mem::take(&mut out.starts);
    starts.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.2.cmp(&b.2)));
    let lanes = p.stripes.lanes.max(1) as f32;
    let right = p.stripe_right - lanes * (BAR_WIDTH + BAR_GAP) - 6.0;
    let font = FontId::proportional(11.5);
    let colour = theme::muted(p.dark);
    let mut floor = f32::NEG_INFINITY;
    for (top, bottom, i) in starts {
        let bar = &p.stripes.bars[i];
        let mut job = LayoutJob::simple_singleline(bar.label.clone(), font.clone(), colour);
        job.wrap = egui::text::TextWrapping::truncate_at_width(p.name_width - 8.0);
        let galley = painter.layout_job(job);
        let y = top.max(floor);
        if y + galley.size().y > bottom.max(top + galley.size().y) + 0.5 {
            continue;
        }
        let at = pos2(right - galley.size().x, y);
        let rect = Rect::from_min_size(at, galley.size());
        painter.galley(at, galley, colour);
        let x_bar = p.stripe_right
            - (lanes - 1.0 - (bar.lane as f32).min(lanes - 1.0)) * (BAR_WIDTH + BAR_GAP);
        let tick_y = y + rect.height() / 2.0;
        painter.line_segment(
            [pos2(right + 2.0, tick_y), pos2(x_bar - BAR_WIDTH, tick_y)],
            Stroke::new(1.5, bar.colour(p.dark)),
        );
        out.bars.push((rect, bar.coding));
        floor = rect.bottom() + 1.0;
    }
}

/// Rectangles (relative to the galley) covering characters `start..end` of a galley, one per row.
pub fn range_rects(galley: &Galley, start: usize, end: usize) -> Vec<Rect> {
    let mut rects = Vec::new();
    let mut row_start = 0;
    for placed in &galley.rows {
        let glyphs = &placed.row.glyphs;
        let row_end = row_start + glyphs.len();
        let a = start.max(row_start);
        let b = end.min(row_end);
        if a < b {
            let x0 = placed.pos.x + glyphs[a - row_start].pos.x;
            let x1 = placed.pos.x + glyphs[b - 1 - row_start].max_x();
            rects.push(Rect::from_x_y_ranges(
                x0..=x1,
                placed.min_y()..=placed.max_y(),
            ));
        }
        row_start = row_end + usize::from(placed.ends_with_newline);
        if row_start >= end {
            break;
        }
    }
    rects
}

impl DocLayout {
    fn new(key: LayoutKey, doc: &Document, char_width: f32) -> Self {
        let units: Vec<UnitInfo> = doc
            .units()
            .into_iter()
            .map(|u| {
                let turn = doc.turn_at(u.range.start).filter(|t| t.range == u.range);
                UnitInfo {
                    range: u.range,
                    label_chars: turn
                        .map(|t| t.content_start.saturating_sub(t.range.start))
                        .unwrap_or(0),
                    timestamp: turn.and_then(|t| t.timestamp.clone()),
                }
            })
            .collect();
        let row_height = theme::READING_SIZE * LINE_HEIGHT;
        let per_row = (key.width / char_width).max(10.0);
        let heights: Vec<f32> = units
            .iter()
            .map(|u| {
                let rows = (u.range.len() as f32 / per_row).ceil().max(1.0);
                rows * row_height + UNIT_GAP * row_height
            })
            .collect();
        let mut layout = Self {
            key,
            galleys: vec![None; units.len()],
            units,
            heights,
            tops: Vec::new(),
            row_height,
        };
        layout.recompute_tops();
        layout
    }

    fn recompute_tops(&mut self) {
        self.tops.clear();
        self.tops.reserve(self.heights.len() + 1);
        let mut y = 0.0;
        for h in &self.heights {
            self.tops.push(y);
            y += h;
        }
        self.tops.push(y);
    }

    fn total_height(&self) -> f32 {
        self.tops.last().copied().unwrap_or(0.0)
    }

    /// The unit containing (or nearest after) a code-point offset.
    fn unit_at(&self, offset: usize) -> usize {
        self.units
            .partition_point(|u| u.range.end <= offset)
            .min(self.units.len().saturating_sub(1))
    }

    /// The unit at a content y.
    fn unit_at_y(&self, y: f32) -> usize {
        self.tops
            .partition_point(|t| *t <= y)
            .saturating_sub(1)
            .min(self.units.len().saturating_sub(1))
    }

    /// Lays out a unit if it has no galley yet.
    fn ensure(&mut self, ctx: &egui::Context, unit: usize, text: &str, stats: &mut ViewerStats) {
        if unit >= self.units.len() || self.galleys[unit].is_some() {
            return;
        }
        let info = &self.units[unit];
        let unit_text = slice(text, info.range).unwrap_or("");
        let job = unit_job(unit_text, info, self.key.width, self.key.dark);
        let galley = ctx.fonts_mut(|f| f.layout_job(job));
        self.heights[unit] = galley.size().y + UNIT_GAP * self.row_height;
        self.galleys[unit] = Some(galley);
        stats.galleys_laid_out += 1;
        // Keep tops right for units after this one within this frame.
        self.recompute_tops();
    }

    /// The code-point offset under a screen position.
    fn hit(&self, pos: Pos2, geometry: &Geometry) -> Option<usize> {
        if self.units.is_empty() {
            return None;
        }
        let y = pos.y - geometry.origin.y;
        let unit = self.unit_at_y(y);
        let info = &self.units[unit];
        let galley = self.galleys[unit].as_ref()?;
        let local = vec2(
            pos.x - geometry.origin.x - geometry.x_text,
            y - self.tops[unit],
        );
        if local.y > galley.size().y {
            return Some(info.range.end);
        }
        Some(info.range.start + galley.cursor_from_pos(local).index.0)
    }
}

/// The layout job of one unit: speaker label bold (timestamp muted), then the spoken text.
fn unit_job(text: &str, info: &UnitInfo, width: f32, dark: bool) -> LayoutJob {
    let size = theme::READING_SIZE;
    let line_height = Some(size * LINE_HEIGHT);
    let body = TextFormat {
        font_id: FontId::proportional(size),
        color: theme::text_colour(dark),
        line_height,
        ..Default::default()
    };
    let label = TextFormat {
        font_id: FontId::new(size, FontFamily::Name(theme::BOLD.into())),
        color: theme::speaker_colour(dark),
        line_height,
        ..Default::default()
    };
    let stamp = TextFormat {
        font_id: FontId::proportional(size - 2.0),
        color: theme::muted(dark),
        line_height,
        valign: egui::Align::Center,
        ..Default::default()
    };
    let mut job = LayoutJob::default();
    job.wrap.max_width = width;
    let split = text
        .char_indices()
        .nth(info.label_chars)
        .map(|(b, _)| b)
        .unwrap_or(text.len());
    let (head, rest) = text.split_at(if info.label_chars == 0 { 0 } else { split });
    if !head.is_empty() {
        match info
            .timestamp
            .as_deref()
            .and_then(|ts| head.find(ts).map(|at| (ts, at)))
        {
            Some((ts, at)) => {
                job.append(&head[..at], 0.0, label.clone());
                job.append(ts, 0.0, stamp);
                job.append(&head[at + ts.len()..], 0.0, label);
            }
            None => job.append(head, 0.0, label),
        }
    }
    job.append(rest, 0.0, body);
    job
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '\'' || c == '’' || c == '-'
}

/// Widens a selection to whole words at both ends.
pub fn snap_to_words(text: &str, sel: Selection) -> Selection {
    let range = sel.range();
    if range.is_empty() {
        // A click inside a word selects nothing; a double click widens to the word.
        let start = word_edge_inside(text, range.start, false);
        let end = word_edge_inside(text, range.start, true);
        return Selection {
            anchor: start,
            cursor: end,
        };
    }
    let start = word_edge_inside(text, range.start, false);
    let end = word_edge_inside(text, range.end, true);
    if sel.anchor <= sel.cursor {
        Selection {
            anchor: start,
            cursor: end,
        }
    } else {
        Selection {
            anchor: end,
            cursor: start,
        }
    }
}

/// Moves `offset` outwards to the edge of the word it touches (start when `forward` is false).
fn word_edge_inside(text: &str, offset: usize, forward: bool) -> usize {
    let window = 200;
    let from = offset.saturating_sub(window);
    let Some(part) = slice(text, CharRange::new(from, offset + window)).or_else(|| {
        let len = crate::offsets::char_len(text);
        slice(text, CharRange::new(from, len))
    }) else {
        return offset;
    };
    let chars: Vec<char> = part.chars().collect();
    let mut i = offset - from;
    if forward {
        // An end already after a word character stays unless it cuts a word.
        while i < chars.len() && i > 0 && is_word_char(chars[i - 1]) && is_word_char(chars[i]) {
            i += 1;
        }
        // Trim trailing spaces.
        while i > 0 && chars.get(i - 1).is_some_and(|c| c.is_whitespace()) && i > 1 {
            i -= 1;
        }
    } else {
        while i > 0 && i < chars.len() && is_word_char(chars[i - 1]) && is_word_char(chars[i]) {
            i -= 1;
        }
        if i > 0 && i <= chars.len() && chars.get(i).is_some_and(|c| is_word_char(*c)) {
            while i > 0 && is_word_char(chars[i - 1]) {
                i -= 1;
            }
        }
        while chars.get(i).is_some_and(|c| c.is_whitespace()) {
            i += 1;
        }
    }
    from + i
}

/// The next word boundary from `offset` (Ctrl+Shift+arrow).
fn word_edge(text: &str, offset: usize, forward: bool) -> usize {
    let window = 200;
    let from = offset.saturating_sub(window);
    let len = crate::offsets::char_len(text);
    let Some(part) = slice(text, CharRange::new(from, (offset + window).min(len))) else {
        return offset;
    };
    let chars: Vec<char> = part.chars().collect();
    let mut i = offset - from;
    if forward {
        while i < chars.len() && !is_word_char(chars[i]) {
            i += 1;
        }
        while i < chars.len() && is_word_char(chars[i]) {
            i += 1;
        }
    } else {
        while i > 0 && !is_word_char(chars[i - 1]) {
            i -= 1;
        }
        while i > 0 && is_word_char(chars[i - 1]) {
            i -= 1;
        }
    }
    from + i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selections_snap_to_whole_words() {
        let text = "Vi har ressursteam kvar veke.";
        // "sursteam kv" -> "ressursteam kvar"
        let sel = Selection {
            anchor: 10,
            cursor: 21,
        };
        let snapped = snap_to_words(text, sel).range();
        assert_eq!(slice(text, snapped), Some("ressursteam kvar"));
    }

    #[test]
    fn word_edges_move_by_word() {
        let text = "eitt to tre";
        assert_eq!(word_edge(text, 0, true), 4);
        assert_eq!(word_edge(text, 4, true), 7);
        assert_eq!(word_edge(text, 7, false), 5);
    }
}
