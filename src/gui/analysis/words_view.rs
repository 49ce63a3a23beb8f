//! The Words view: word frequencies for a selection, and the keyword-in-context lines of a clicked word.
//!
//! The Words view: a word-frequency list (all text, the selected codes' excerpts, or a case group; stemmed or not;
//! stop words left out; speaker labels and transcription notes left out unless asked for; some speakers' turns
//! left out), a click on a word lists its keyword-in-context lines, a click on a line jumps to it.

use egui::{RichText, Ui};

use super::skeleton::{AnalysisView, Cached, Frame, ViewCx, export_row_ui, result_ui};
use super::{AnalysisInput, citation, passage_ui};
use crate::analysis::words::SpeakerFilter;
use crate::analysis::{
    AttrFilter, KwicLine, Scope, Selection, StopList, WordFrequencies, WordOptions, kwic,
    word_frequencies,
};
use crate::gui::commands::Command;
use crate::gui::{strings as s, theme};

/// Which text is counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Source {
    #[default]
    All,
    SelectedCodes,
    Group,
}

/// Words listed at most.
const LIMIT: usize = 300;
/// Characters of context each side of a KWIC keyword.
const CONTEXT: usize = 50;

#[derive(Clone, PartialEq)]
struct Key {
    selection: Selection,
    stemmed: bool,
    stop_words: bool,
}

/// The view's choices and cached results.
pub struct WordsView {
    pub source: Source,
    pub attribute: Option<String>,
    pub value: Option<String>,
    pub stemmed: bool,
    pub stop_words: bool,
    /// Count speaker labels and bracketed transcription notes too.
    pub with_furniture: bool,
    /// Speakers whose turns are left out, as typed (names separated by commas).
    pub exclude_speakers: String,
    /// The clicked word.
    pub word: Option<String>,
    cache: Cached<Key, WordFrequencies>,
    kwic_cache: Cached<(Key, String), Vec<KwicLine>>,
}

impl Default for WordsView {
    fn default() -> Self {
        Self {
            source: Source::All,
            attribute: None,
            value: None,
            stemmed: false,
            stop_words: true,
            with_furniture: false,
            exclude_speakers: String::new(),
            word: None,
            cache: Cached::default(),
            kwic_cache: Cached::default(),
        }
    }
}

impl WordsView {
    fn key(&self, input: &AnalysisInput<'_>) -> Key {
        let mut selection = Selection {
            codes: Vec::new(),
            include_subcodes: true,
            scope: Scope {
                coders: input.coders.clone(),
                ..Scope::default()
            },
            speakers: SpeakerFilter {
                only: Vec::new(),
                exclude: self
                    .exclude_speakers
                    .split(',')
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map(str::to_string)
                    .collect(),
            },
            with_furniture: self.with_furniture,
        };
        match self.source {
            Source::All => {}
            Source::SelectedCodes => {
                selection.codes = input.selected_codes.iter().copied().collect()
            }
            Source::Group => {
                if let (Some(name), Some(value)) = (&self.attribute, &self.value) {
                    selection.scope.attributes.push(AttrFilter {
                        name: name.clone(),
                        value: value.clone(),
                    });
                }
            }
        }
        Key {
            selection,
            stemmed: self.stemmed,
            stop_words: self.stop_words,
        }
    }

    /// True while the list or the lines of the clicked word are computed on their worker.
    pub fn computing(&self) -> bool {
        self.cache.computing() || self.kwic_cache.computing()
    }

    /// Blocks until the computations in flight are done (tests, benchmarks).
    pub fn wait(&mut self) {
        self.cache.wait();
        self.kwic_cache.wait();
    }

    /// The frequency list for the current choices (recounted only when they or the project changed).
    pub fn current(&mut self, input: &AnalysisInput<'_>) -> Result<&WordFrequencies, &str> {
        let key = self.key(input);
        let codes_needed = self.source == Source::SelectedCodes && key.selection.codes.is_empty();
        self.cache
            .get(key, input.revision, &input.worker, move |project, key| {
                if codes_needed {
                    return Err(s::SELECT_CODES_IN_CODEBOOK.to_string());
                }
                let options = WordOptions {
                    stemmed: key.stemmed,
                    stopwords: if key.stop_words {
                        StopList::defaults()
                    } else {
                        StopList::default()
                    },
                    limit: Some(LIMIT),
                    ..WordOptions::default()
                };
                word_frequencies(project, &key.selection, &options).map_err(|e| e.to_string())
            })
    }

    /// The KWIC lines of the clicked word.
    pub fn kwic_lines(&mut self, input: &AnalysisInput<'_>) -> Result<&[KwicLine], &str> {
        let Some(word) = self.word.clone() else {
            return Ok(&[]);
        };
        let key = (self.key(input), word);
        let lines = self.kwic_cache.get(
            key,
            input.revision,
            &input.worker,
            |project, (key, word)| {
                kwic(project, &key.selection, word, key.stemmed, CONTEXT).map_err(|e| e.to_string())
            },
        );
        lines.map(Vec::as_slice)
    }

    /// The word list (a click picks the word whose lines are shown).
    fn words_ui(&mut self, ui: &mut Ui, words: &[(String, usize, usize)]) {
        egui::ScrollArea::vertical()
            .id_salt("words-list")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                egui::Grid::new("words-grid")
                    .num_columns(3)
                    .striped(true)
                    .spacing([16.0, 2.0])
                    .show(ui, |ui| {
                        ui.strong(s::WORD);
                        ui.strong(s::COUNT);
                        ui.strong(s::DOCUMENTS_COUNT);
                        ui.end_row();
                        for (word, count, docs) in words {
                            let selected = self.word.as_deref() == Some(word.as_str());
                            if ui.selectable_label(selected, word).clicked() {
                                self.word = Some(word.clone());
                            }
                            ui.label(crate::gui::locale::count(count));
                            ui.label(docs.to_string());
                            ui.end_row();
                        }
                    });
            });
    }

    /// The keyword-in-context lines of the clicked word; a click jumps to one.
    fn kwic_ui(&mut self, ui: &mut Ui, input: &AnalysisInput<'_>, commands: &mut Vec<Command>) {
        let Some(word) = self.word.clone() else {
            let dark = ui.visuals().dark_mode;
            ui.label(RichText::new(s::CLICK_A_WORD).color(theme::muted(dark)));
            return;
        };
        result_ui(
            ui,
            self.kwic_lines(input),
            |_| false,
            |ui, lines| {
                ui.label(RichText::new(s::kwic_title(&word, lines.len())).strong());
                egui::ScrollArea::vertical()
                    .id_salt("kwic-lines")
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        for (i, line) in lines.iter().enumerate() {
                            let text = format!("…{} [{}] {}…", line.left, line.keyword, line.right);
                            let place = citation(
                                input.project,
                                line.speaker.as_deref(),
                                line.document,
                                line.range,
                                &[],
                            );
                            let jump = Command::Jump {
                                document: line.document,
                                range: line.range,
                            };
                            passage_ui(ui, ("kwic", i), None, &text, &place, commands, jump);
                        }
                    });
            },
        );
    }

    fn controls_ui(&mut self, ui: &mut Ui, input: &AnalysisInput<'_>) {
        let project = input.project;
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(s::SELECTION);
            let text = match self.source {
                Source::All => s::SEL_ALL,
                Source::SelectedCodes => s::SEL_CODES,
                Source::Group => s::SEL_GROUP,
            };
            egui::ComboBox::from_id_salt("words-source")
                .selected_text(text)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.source, Source::All, s::SEL_ALL);
                    ui.selectable_value(&mut self.source, Source::SelectedCodes, s::SEL_CODES);
                    ui.selectable_value(&mut self.source, Source::Group, s::SEL_GROUP);
                })
                .response
                .labelled_by(label.id);
            if self.source == Source::Group {
                if self.attribute.is_none() {
                    self.attribute = super::default_attribute(project);
                }
                let before = self.attribute.clone();
                egui::ComboBox::from_id_salt("words-attr")
                    .selected_text(self.attribute.as_deref().unwrap_or(s::ANY_ATTRIBUTE.get()))
                    .show_ui(ui, |ui| {
                        for name in super::attribute_names(project) {
                            ui.selectable_value(&mut self.attribute, Some(name.clone()), name);
                        }
                    });
                if before != self.attribute {
                    self.value = None;
                }
                if let Some(name) = self.attribute.clone() {
                    egui::ComboBox::from_id_salt("words-value")
                        .selected_text(self.value.as_deref().unwrap_or(s::ANY_VALUE.get()))
                        .show_ui(ui, |ui| {
                            ui.selectable_value(&mut self.value, None, s::ANY_VALUE);
                            for value in super::attribute_values(project, &name) {
                                ui.selectable_value(&mut self.value, Some(value.clone()), value);
                            }
                        });
                }
            }
            ui.separator();
            ui.checkbox(&mut self.stemmed, s::STEMMED);
            ui.checkbox(&mut self.stop_words, s::STOP_WORDS);
            ui.checkbox(&mut self.with_furniture, s::WITH_FURNITURE)
                .on_hover_text(s::WITH_FURNITURE_HINT);
            let label = ui.label(s::EXCLUDE_SPEAKERS);
            ui.add(
                egui::TextEdit::singleline(&mut self.exclude_speakers)
                    .desired_width(160.0)
                    .hint_text("Intervjuer, Intervjuar"),
            )
            .labelled_by(label.id)
            .on_hover_text(s::EXCLUDE_SPEAKERS_HINT);
        });
    }
}

impl AnalysisView for WordsView {
    const FRAME: Frame = Frame {
        title: s::WORDS,
        id: "analysis-words",
        size: [900.0, 620.0],
        position: None,
    };

    fn body_ui(&mut self, ui: &mut Ui, cx: &mut ViewCx<'_, '_>) {
        let (input, message) = (cx.input, cx.message);
        let commands = &mut *cx.commands;
        self.controls_ui(ui, input);
        let table = self.current(input).ok().map(WordFrequencies::to_table);
        export_row_ui(ui, message, "words", table.as_ref(), commands);
        ui.separator();
        super::skeleton::computing_ui(ui, self.cache.computing() || self.kwic_cache.computing());
        let mut words = Vec::new();
        let shown = result_ui(
            ui,
            self.current(input),
            |_| false,
            |ui, w| {
                ui.label(RichText::new(s::words_summary(w.total, w.distinct)).strong());
                words = w
                    .words
                    .iter()
                    .map(|c| (c.word.clone(), c.count, c.documents))
                    .collect();
            },
        );
        if shown {
            ui.columns(2, |cols| {
                self.words_ui(&mut cols[0], &words);
                self.kwic_ui(&mut cols[1], input, commands);
            });
        }
    }
}
