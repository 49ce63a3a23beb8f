//! The Excerpts tab: passages coded with the selected codes, filtered, with citations; click jumps, copy quotes.
//!
//! The Retrieved excerpts tab: passages coded with the selected code(s), optionally with sub-codes, filtered by
//! case or coder, each with its citation; click jumps, "Copy quote" copies it with the citation.

use std::collections::BTreeSet;

use egui::{RichText, Sense, Ui};

use crate::gui::commands::Command;
use crate::gui::{strings as s, theme};
use crate::ids::{CaseId, CodeId, CoderId};
use crate::model::Project;
use crate::retrieve::{Excerpt, ExcerptFilter, excerpts};

/// Tab state.
pub struct ExcerptsState {
    /// The coder layers shown (set by the shell each frame); the coder filter picks among them.
    pub shown: crate::coders::CoderSelection,
    pub include_subcodes: bool,
    pub case: Option<CaseId>,
    pub coder: Option<CoderId>,
    cache: Option<(CacheKey, Vec<Excerpt>)>,
}

impl Default for ExcerptsState {
    fn default() -> Self {
        Self {
            shown: crate::coders::CoderSelection::All,
            include_subcodes: true,
            case: None,
            coder: None,
            cache: None,
        }
    }
}

#[derive(Clone, PartialEq)]
struct CacheKey {
    revision: u64,
    codes: Vec<CodeId>,
    subcodes: bool,
    case: Option<CaseId>,
    coder: Option<CoderId>,
}

impl ExcerptsState {
    /// The excerpts for the current filter (cached per project revision).
    pub fn current(
        &mut self,
        project: &Project,
        revision: u64,
        codes: &BTreeSet<CodeId>,
    ) -> &[Excerpt] {
        let key = CacheKey {
            revision,
            codes: codes.iter().copied().collect(),
            subcodes: self.include_subcodes,
            case: self.case,
            coder: self.coder,
        };
        if self.cache.as_ref().is_none_or(|(k, _)| *k != key) {
            let list = if codes.is_empty() {
                Vec::new()
            } else {
                excerpts(
                    project,
                    &ExcerptFilter {
                        codes: key.codes.clone(),
                        include_subcodes: key.subcodes,
                        cases: key.case.into_iter().collect(),
                        coders: match key.coder {
                            Some(c) if self.shown.contains(c) => {
                                crate::coders::CoderSelection::one(c)
                            }
                            Some(_) => crate::coders::CoderSelection::Only(Default::default()),
                            None => self.shown.clone(),
                        },
                        documents: Vec::new(),
                    },
                )
            };
            self.cache = Some((key, list));
        }
        self.cache
            .as_ref()
            .map(|(_, l)| l.as_slice())
            .unwrap_or(&[])
    }
}

/// The quote as copied: the passage in quotation marks and the citation.
pub fn quote(excerpt: &Excerpt) -> String {
    format!("“{}” ({})", excerpt.text.trim(), excerpt.citation())
}

pub fn excerpts_ui(
    ui: &mut Ui,
    project: &Project,
    revision: u64,
    codes: &BTreeSet<CodeId>,
    state: &mut ExcerptsState,
    commands: &mut Vec<Command>,
) {
    let dark = ui.visuals().dark_mode;
    if codes.is_empty() {
        ui.label(RichText::new(s::SELECT_CODE_FIRST).color(theme::muted(dark)));
        return;
    }
    ui.horizontal_wrapped(|ui| {
        for code in codes {
            if let Some(c) = project.codes().get(code) {
                ui.label(
                    RichText::new(project.code_path(c.id))
                        .strong()
                        .color(theme::code_colour(&c.colour, dark)),
                );
            }
        }
    });
    ui.checkbox(&mut state.include_subcodes, s::INCLUDE_SUBCODES);
    ui.horizontal(|ui| {
        let case_name = state
            .case
            .and_then(|c| project.cases().get(&c))
            .map(|c| c.name.clone())
            .unwrap_or_else(|| s::ALL_CASES.into());
        let label = ui.label(s::CASE_FILTER);
        egui::ComboBox::from_id_salt("excerpt-case")
            .selected_text(case_name)
            .width(150.0)
            .show_ui(ui, |ui| {
                // Sorted only while the list is open, never per frame.
                let mut cases: Vec<_> = project.cases().values().collect();
                cases.sort_by(|a, b| crate::collate::compare(&a.name, &b.name));
                ui.selectable_value(&mut state.case, None, s::ALL_CASES);
                for case in cases {
                    ui.selectable_value(&mut state.case, Some(case.id), &case.name);
                }
            })
            .response
            .labelled_by(label.id);
    });
    ui.horizontal(|ui| {
        let coder_name = state
            .coder
            .and_then(|c| project.coders().get(&c))
            .map(|c| c.name.clone())
            .unwrap_or_else(|| s::ALL_CODERS.into());
        let label = ui.label(s::CODER_FILTER);
        egui::ComboBox::from_id_salt("excerpt-coder")
            .selected_text(coder_name)
            .width(150.0)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut state.coder, None, s::ALL_CODERS);
                for coder in project.coders().values() {
                    ui.selectable_value(&mut state.coder, Some(coder.id), &coder.name);
                }
            })
            .response
            .labelled_by(label.id);
    });
    let list = state.current(project, revision, codes);
    ui.label(RichText::new(s::excerpts_count(list.len())).strong());
    ui.separator();
    // Every row has the same height (the passage clipped to a few lines), so only the rows in view are laid out.
    egui::ScrollArea::vertical()
        .id_salt("excerpts")
        .auto_shrink([false, false])
        .show_rows(ui, EXCERPT_ROW, list.len(), |ui, rows| {
            for i in rows {
                if let Some(excerpt) = list.get(i) {
                    crate::gui::widgets::fixed_row(ui, EXCERPT_ROW, |ui| {
                        excerpt_row_ui(ui, project, i, excerpt, dark, commands);
                    });
                }
            }
        });
}

/// The height of an excerpt's row: its code, up to [`EXCERPT_LINES`] lines of the passage, the citation and the
/// copy button.
const EXCERPT_ROW: f32 = 128.0;
/// Lines of a passage shown in the list (the rest is in the document, a click away).
const EXCERPT_LINES: usize = 4;

fn excerpt_row_ui(
    ui: &mut Ui,
    project: &Project,
    index: usize,
    excerpt: &Excerpt,
    dark: bool,
    commands: &mut Vec<Command>,
) {
    let colour = project
        .codes()
        .get(&excerpt.code)
        .map(|c| theme::code_colour(&c.colour, dark))
        .unwrap_or(ui.visuals().text_color());
    let inner = ui.scope(|ui| {
        ui.horizontal(|ui| {
            ui.label(RichText::new(&excerpt.code_path).small().color(colour));
        });
        let text: String = if excerpt.text.chars().count() > 400 {
            excerpt.text.chars().take(400).collect::<String>() + "…"
        } else {
            excerpt.text.clone()
        };
        let mut job = egui::text::LayoutJob::simple(
            text.trim().to_string(),
            egui::FontId::proportional(13.5),
            ui.visuals().text_color(),
            ui.available_width(),
        );
        job.wrap.max_rows = EXCERPT_LINES;
        job.wrap.overflow_character = Some('…');
        let galley = ui.fonts_mut(|f| f.layout_job(job));
        ui.label(galley);
        ui.add(
            egui::Label::new(
                RichText::new(excerpt.citation_with_coders())
                    .small()
                    .italics()
                    .color(theme::muted(dark)),
            )
            .truncate(),
        );
    });
    let rect = inner.response.rect;
    let bar =
        egui::Rect::from_x_y_ranges((rect.left() - 6.0)..=(rect.left() - 3.0), rect.y_range());
    ui.painter().rect_filled(bar, 1.0, colour);
    let response = ui
        .interact(rect, ui.scope_id().with(("excerpt", index)), Sense::click())
        .on_hover_cursor(egui::CursorIcon::PointingHand);
    if response.clicked() {
        commands.push(Command::Jump {
            document: excerpt.document,
            range: excerpt.range,
        });
    }
    response.context_menu(|ui| {
        if ui.button(s::FIND_SIMILAR).clicked() {
            commands.push(Command::Meaning(
                crate::gui::meaning::MeaningCommand::FindSimilar {
                    document: excerpt.document,
                    range: excerpt.range,
                },
            ));
            ui.close();
        }
    });
    ui.horizontal(|ui| {
        if ui.small_button(s::COPY_QUOTE).clicked() {
            ui.ctx().copy_text(quote(excerpt));
        }
    });
}
