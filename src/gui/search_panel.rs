//! The Search tab: query box with a regex toggle, hits per document, keyword-in-context rows that jump to the
//! passage, and "Code all hits" (one undoable batch; hit, sentence, turn or paragraph).
//!
//! The search runs on a worker (the tab shows "Searching…"; editing the query cancels it), and the hit lists
//! are virtualised: a frame lays out only the rows in view, however many thousand hits there are.

use std::collections::HashMap;

use egui::text::{LayoutJob, TextFormat};
use egui::{FontId, Key, RichText, Sense, Ui};

use crate::gui::commands::{Command, HitUnit, PickTarget, hit_unit_label};
use crate::gui::meaning::MeaningCommand;
use crate::gui::{strings as s, theme};
use crate::ids::DocumentId;
use crate::offsets::CharRange;
use crate::query::{Hit, SearchResults};

/// Lines of a snippet shown in a hit row (rows have one height, so only the visible ones are laid out).
const SNIPPET_LINES: usize = 2;
/// Height of the hits-per-document list when it is open.
const PER_DOCUMENT_HEIGHT: f32 = 160.0;

/// Tab state.
#[derive(Default)]
pub struct SearchState {
    pub query: String,
    pub regex: bool,
    /// Run the whole query by meaning (fused with its keyword ranking).
    pub by_meaning: bool,
    /// What the results are when not the query's own ("Passages similar to …"), or what the search waits for.
    pub heading: Option<String>,
    /// The passage the results are similar to, when they are "Find similar passages" results (rerun for it, not
    /// for the query, when the index changes).
    pub similar_to: Option<(DocumentId, CharRange)>,
    pub unit: HitUnit,
    pub results: Option<SearchResults>,
    pub error: Option<String>,
    /// Set by the tab; the app runs the search (it owns the index).
    pub run_requested: bool,
    /// True while the search runs on its worker.
    pub searching: bool,
    /// Set when the query is edited while a search runs: the app drops that search.
    pub cancel_requested: bool,
    /// Hits per document (id, name, count), most first; computed once per result.
    pub per_document: Vec<(DocumentId, String, usize)>,
    pub focus_requested: bool,
    /// Match ranges per document, sorted, for highlighting in the viewer.
    pub doc_matches: HashMap<DocumentId, Vec<CharRange>>,
}

/// A search's results with what the Search tab and the viewer derive from them (hits per document, match
/// ranges per document), prepared on the search worker: with tens of thousands of hits this is work the UI
/// thread must not do in the frame the results arrive.
pub struct PreparedResults {
    results: SearchResults,
    per_document: Vec<(DocumentId, String, usize)>,
    doc_matches: HashMap<DocumentId, Vec<CharRange>>,
}

impl PreparedResults {
    /// Indexes the matches of `results` by document and counts hits per document.
    pub fn prepare(results: SearchResults) -> Self {
        let mut doc_matches: HashMap<DocumentId, Vec<CharRange>> = HashMap::new();
        for hit in &results.hits {
            let list = doc_matches.entry(hit.document).or_default();
            if hit.matches.is_empty() {
                list.push(hit.passage);
            } else {
                list.extend(hit.matches.iter().copied());
            }
        }
        for list in doc_matches.values_mut() {
            list.sort();
            list.dedup();
        }
        let per_document = results.per_document();
        Self {
            results,
            per_document,
            doc_matches,
        }
    }
}

impl SearchState {
    /// Stores new results and indexes their matches by document.
    pub fn set_results(&mut self, results: SearchResults) {
        self.set_prepared(PreparedResults::prepare(results));
    }

    /// Stores results prepared on the search worker.
    /// The results they replace are freed on another thread (with tens of thousands of hits that is a long
    /// frame's work).
    pub fn set_prepared(&mut self, prepared: PreparedResults) {
        let replaced = (
            std::mem::replace(&mut self.doc_matches, prepared.doc_matches),
            std::mem::replace(&mut self.per_document, prepared.per_document),
            self.results.replace(prepared.results),
        );
        if replaced.2.is_some() {
            crate::gui::tasks::drop_in_background(replaced);
        }
        self.error = None;
    }

    /// Drops the results (freed on another thread, like replaced ones) and the error.
    pub fn clear(&mut self) {
        let dropped = (
            std::mem::take(&mut self.doc_matches),
            std::mem::take(&mut self.per_document),
            self.results.take(),
        );
        if dropped.2.is_some() {
            crate::gui::tasks::drop_in_background(dropped);
        }
        self.error = None;
    }

    /// Drops the results here and now (closing a project: its memory is handed back to the system right after).
    pub fn release(&mut self) {
        self.results = None;
        self.per_document = Vec::new();
        self.doc_matches = HashMap::new();
        self.error = None;
    }
}

/// Where a click on a hit jumps to.
pub fn hit_target(hit: &Hit) -> CharRange {
    hit.matches.first().copied().unwrap_or(hit.passage)
}

pub fn search_ui(
    ui: &mut Ui,
    state: &mut SearchState,
    indexing: bool,
    commands: &mut Vec<Command>,
) {
    let dark = ui.visuals().dark_mode;
    query_ui(ui, state, indexing);
    if let Some(error) = &state.error {
        ui.label(RichText::new(error).color(theme::error_colour(dark)));
    }
    if let Some(heading) = &state.heading {
        ui.label(RichText::new(heading).italics());
    }
    let Some(results) = &state.results else {
        return;
    };
    ui.separator();
    ui.label(RichText::new(s::hits_total(results.hits.len(), results.total)).strong());
    if !results.hits.is_empty() {
        code_all_ui(ui, &mut state.unit, commands);
        per_document_ui(ui, results, &state.per_document, commands);
    }
    ui.add_space(4.0);
    let row_height = hit_row_height(ui);
    egui::ScrollArea::vertical()
        .id_salt("search-hits")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, results.hits.len(), |ui, rows| {
            for i in rows {
                if let Some(hit) = results.hits.get(i) {
                    hit_row_ui(ui, i, hit, row_height, dark, commands);
                }
            }
        });
}

/// The height of one hit row: a header line and [`SNIPPET_LINES`] lines of snippet.
fn hit_row_height(ui: &Ui) -> f32 {
    let header = ui.text_style_height(&egui::TextStyle::Small);
    let line = ui
        .ctx()
        .fonts_mut(|f| f.row_height(&FontId::proportional(SNIPPET_SIZE)));
    header + ui.spacing().item_spacing.y + line * SNIPPET_LINES as f32 + 6.0
}

/// The query field (Enter searches), the regex switch and the search button.
fn query_ui(ui: &mut Ui, state: &mut SearchState, indexing: bool) {
    ui.horizontal(|ui| {
        let label = ui.label(s::QUERY);
        let edit = ui
            .add(
                egui::TextEdit::singleline(&mut state.query)
                    .hint_text(s::QUERY_HINT)
                    .desired_width(ui.available_width() - 4.0),
            )
            .labelled_by(label.id);
        if state.focus_requested {
            edit.request_focus();
            state.focus_requested = false;
        }
        if edit.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
            state.run_requested = true;
        } else if edit.changed() && state.searching {
            // Typing on: the running search is for a query the user no longer wants.
            state.cancel_requested = true;
        }
    });
    ui.horizontal(|ui| {
        ui.checkbox(&mut state.regex, s::REGEX);
        if ui
            .checkbox(&mut state.by_meaning, s::BY_MEANING)
            .on_hover_text(s::BY_MEANING_TIP)
            .changed()
            && !state.query.trim().is_empty()
        {
            state.run_requested = true;
        }
        if ui.button(s::RUN_SEARCH).clicked() {
            state.run_requested = true;
        }
        let busy = if indexing {
            Some(s::INDEXING)
        } else if state.searching {
            Some(s::SEARCHING)
        } else {
            None
        };
        if let Some(busy) = busy {
            let dark = ui.visuals().dark_mode;
            ui.spinner();
            ui.label(RichText::new(busy).color(theme::muted(dark)));
        }
    });
}

/// "Code all hits…" with the unit each hit is widened to.
fn code_all_ui(ui: &mut Ui, unit: &mut HitUnit, commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        let label = ui.label(s::CODE_AS);
        egui::ComboBox::from_id_salt("hit-unit")
            .selected_text(hit_unit_label(*unit))
            .show_ui(ui, |ui| {
                for choice in HitUnit::ALL {
                    ui.selectable_value(unit, choice, hit_unit_label(choice));
                }
            })
            .response
            .labelled_by(label.id);
        if ui.button(s::CODE_ALL_HITS).clicked() {
            commands.push(Command::OpenPicker(PickTarget::AllHits(*unit)));
        }
    });
}

/// Hits per document (a virtualised list); a click jumps to the document's first hit.
fn per_document_ui(
    ui: &mut Ui,
    results: &SearchResults,
    per_document: &[(DocumentId, String, usize)],
    commands: &mut Vec<Command>,
) {
    let dark = ui.visuals().dark_mode;
    egui::CollapsingHeader::new(s::HITS_PER_DOCUMENT)
        .id_salt("hits-per-doc")
        .show(ui, |ui| {
            let row_height = ui.text_style_height(&egui::TextStyle::Body);
            egui::ScrollArea::vertical()
                .id_salt("hits-per-doc-rows")
                .max_height(PER_DOCUMENT_HEIGHT)
                .show_rows(ui, row_height, per_document.len(), |ui, rows| {
                    for (doc, name, n) in &per_document[rows] {
                        ui.horizontal(|ui| {
                            if ui.link(name).clicked()
                                && let Some(hit) = results.hits.iter().find(|h| h.document == *doc)
                            {
                                commands.push(Command::Jump {
                                    document: *doc,
                                    range: hit_target(hit),
                                });
                            }
                            ui.label(
                                RichText::new(crate::gui::locale::count(*n))
                                    .color(theme::muted(dark)),
                            );
                        });
                    }
                });
        });
}

/// One hit in a row of fixed height: document, speaker and time, then the snippet (at most two lines).
fn hit_row_ui(
    ui: &mut Ui,
    index: usize,
    hit: &Hit,
    height: f32,
    dark: bool,
    commands: &mut Vec<Command>,
) {
    let rect = egui::Rect::from_min_size(ui.cursor().min, egui::vec2(ui.available_width(), height));
    let rect = ui
        .scope_builder(egui::UiBuilder::new().max_rect(rect), |ui| {
            ui.set_min_size(rect.size());
            hit_contents_ui(ui, hit, dark);
        })
        .response
        .rect;
    let response = ui
        .interact(
            rect.shrink2(egui::vec2(0.0, 3.0)),
            ui.scope_id().with(("hit", index)),
            Sense::click(),
        )
        .on_hover_cursor(egui::CursorIcon::PointingHand);
    if response.hovered() {
        ui.painter().rect_stroke(
            response.rect.expand(2.0),
            3.0,
            ui.visuals().widgets.hovered.bg_stroke,
            egui::StrokeKind::Outside,
        );
    }
    if response.clicked() {
        commands.push(Command::Jump {
            document: hit.document,
            range: hit_target(hit),
        });
    }
    response.context_menu(|ui| {
        if ui.button(s::FIND_SIMILAR).clicked() {
            commands.push(Command::Meaning(MeaningCommand::FindSimilar {
                document: hit.document,
                range: hit.passage,
            }));
            ui.close();
        }
    });
}

/// What a hit row shows: document, speaker and time, then the snippet.
fn hit_contents_ui(ui: &mut Ui, hit: &Hit, dark: bool) {
    ui.horizontal(|ui| {
        ui.label(RichText::new(&hit.document_name).small().strong());
        if let Some(speaker) = &hit.speaker {
            ui.label(
                RichText::new(speaker)
                    .small()
                    .color(theme::speaker_colour(dark)),
            );
        }
        if let Some(ts) = &hit.timestamp {
            ui.label(RichText::new(ts).small().color(theme::muted(dark)));
        }
    });
    let job = snippet_job(hit, ui.available_width(), dark);
    ui.label(job);
}

/// Font size of snippets.
const SNIPPET_SIZE: f32 = 13.5;

/// A snippet with its matches in bold on a highlight.
fn snippet_job(hit: &Hit, width: f32, dark: bool) -> LayoutJob {
    let plain = TextFormat {
        font_id: FontId::proportional(SNIPPET_SIZE),
        color: theme::text_colour(dark),
        ..Default::default()
    };
    let marked = TextFormat {
        font_id: FontId::new(SNIPPET_SIZE, egui::FontFamily::Name(theme::BOLD.into())),
        color: theme::text_colour(dark),
        background: theme::hit_fill(dark),
        ..Default::default()
    };
    let mut job = LayoutJob::default();
    job.wrap.max_width = width;
    job.wrap.max_rows = SNIPPET_LINES;
    let text = &hit.snippet.text;
    let byte_at = |chars: usize| {
        text.char_indices()
            .nth(chars)
            .map(|(b, _)| b)
            .unwrap_or(text.len())
    };
    let mut at = 0;
    for mark in &hit.snippet.marks {
        let (a, b) = (byte_at(mark.start), byte_at(mark.end));
        if a < at || b < a {
            continue;
        }
        job.append(&text[at..a], 0.0, plain.clone());
        job.append(&text[a..b], 0.0, marked.clone());
        at = b;
    }
    job.append(&text[at..], 0.0, plain);
    job
}
