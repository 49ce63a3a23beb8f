//! Analysis ▸ Agreement: coders, unit and measures; a sortable table per code (α, κ, %, intervals, units coded
//! by each, low values flagged, α before and after the review) computed on a background task; a click on a code
//! opens the queue of its disagreeing stretches, each decided into a consensus coder.

use std::collections::{BTreeMap, BTreeSet};

use egui::{RichText, Ui};

use super::skeleton::{AnalysisView, Frame, ViewCx, export_row_ui};
use crate::analysis::agreement::{
    Agreement, AgreementSpec, DEFAULT_DRAWS, Disagreement, Measure, Reviewed, RowKind, Statistic,
    UnitKind, after_review, agreement, disagreements,
};
use crate::gui::commands::Command;
use crate::gui::tasks::Latest;
use crate::gui::{locale, strings as s, theme};
use crate::ids::{CodeId, CoderId, DocumentId};
use crate::model::Project;
use crate::offsets::CharRange;
use crate::ops::{Decision, Resolution};

/// α below this is flagged (Krippendorff's lowest value for tentative conclusions).
pub const LOW: f64 = 0.667;

/// What a computation is for: the options and the reviewed stretches.
#[derive(Clone, Debug, PartialEq)]
struct Key {
    coders: Vec<CoderId>,
    unit: UnitKind,
    measures: Vec<Measure>,
    bootstrap: usize,
    consensus: Option<CoderId>,
    reviewed: Vec<Reviewed>,
    revision: u64,
}

/// A finished computation: the report, and the report after the review when stretches were decided.
pub struct Computed {
    key: Key,
    /// The report, or the reason there is none.
    pub result: Result<Agreement, String>,
    /// The report on the layers with the reviewed stretches replaced by the consensus decisions.
    pub after: Option<Agreement>,
}

/// A column the table can be sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortBy {
    /// The code path.
    Code,
    /// A coefficient.
    Statistic(Statistic),
}

/// The disagreement review of one code between two coders.
pub struct Review {
    /// The code under review.
    pub code: CodeId,
    /// The two coders compared, first and second.
    pub pair: [CoderId; 2],
    /// Only stretches in this document.
    pub document: Option<DocumentId>,
    /// The consensus coder's name.
    pub consensus: String,
    /// The memo the next decision carries.
    pub memo: String,
    /// New bounds typed for the current stretch, `START..END`.
    pub bounds: String,
    /// The stretch shown, as an index into the filtered queue.
    pub current: usize,
    /// Decisions made, by (document, stretch).
    pub decided: BTreeMap<(DocumentId, CharRange), &'static str>,
    queue: Option<(u64, Result<Vec<Disagreement>, String>)>,
}

/// The agreement window's state.
pub struct AgreementView {
    /// The coders compared (at least two); empty until the window first sees the project (then every coder).
    pub coders: BTreeSet<CoderId>,
    /// The unit of comparison.
    pub unit: UnitKind,
    /// The coefficient families shown.
    pub measures: Vec<Measure>,
    /// Bootstrap draws for the intervals.
    pub bootstrap: usize,
    /// The sort column and whether it is descending.
    pub sort: (SortBy, bool),
    /// The review of the clicked code, if any.
    pub review: Option<Review>,
    /// Stretches decided in reviews (not skipped), for "α after".
    pub reviewed: Vec<Reviewed>,
    task: Latest<Computed>,
    pending_key: Option<Key>,
    computed: Option<Computed>,
}

impl Default for AgreementView {
    fn default() -> Self {
        Self {
            coders: BTreeSet::new(),
            unit: UnitKind::Character,
            measures: Measure::DEFAULT.to_vec(),
            bootstrap: DEFAULT_DRAWS,
            sort: (SortBy::Code, false),
            review: None,
            reviewed: Vec::new(),
            task: Latest::default(),
            pending_key: None,
            computed: None,
        }
    }
}

impl AgreementView {
    /// The last finished computation.
    pub fn computed(&self) -> Option<&Computed> {
        self.computed.as_ref()
    }

    /// True while a computation runs.
    pub fn computing(&self) -> bool {
        self.task.in_flight()
    }

    /// Blocks until the computation in flight is done and keeps its result (tests).
    pub fn wait(&mut self) {
        if let Some(done) = self.task.wait() {
            self.computed = Some(done);
        }
    }

    /// Opens the review of a code between the first two compared coders.
    pub fn start_review(&mut self, project: &Project, code: CodeId) {
        let coders: Vec<CoderId> = self.coders.iter().copied().collect();
        let pair = match coders.as_slice() {
            [a, b, ..] => [*a, *b],
            _ => return,
        };
        let consensus = self
            .review
            .as_ref()
            .map(|r| r.consensus.clone())
            .unwrap_or_else(|| default_consensus(project));
        self.review = Some(Review {
            code,
            pair,
            document: None,
            consensus,
            memo: String::new(),
            bounds: String::new(),
            current: 0,
            decided: BTreeMap::new(),
            queue: None,
        });
    }

    fn key(&self, project: &Project, revision: u64) -> Key {
        let consensus = self
            .review
            .as_ref()
            .and_then(|r| project.find_coder(&r.consensus))
            .map(|c| c.id)
            .filter(|id| !self.coders.contains(id));
        Key {
            coders: self.coders.iter().copied().collect(),
            unit: self.unit,
            measures: self.measures.clone(),
            bootstrap: self.bootstrap,
            consensus,
            reviewed: if consensus.is_some() {
                self.reviewed.clone()
            } else {
                Vec::new()
            },
            revision,
        }
    }

    /// Starts a computation when the options or the project changed; takes a finished one.
    fn refresh(&mut self, ctx: &egui::Context, snapshot: &std::sync::Arc<Project>, revision: u64) {
        let project = &**snapshot;
        if let Some(Some(done)) = self.task.poll() {
            self.computed = Some(done);
        }
        let key = self.key(project, revision);
        let fresh = self.computed.as_ref().is_some_and(|c| c.key == key);
        let running = self.task.in_flight();
        if fresh || (running && self.pending_key.as_ref() == Some(&key)) {
            return;
        }
        self.pending_key = Some(key.clone());
        let project = std::sync::Arc::clone(snapshot);
        self.task.start(Some(ctx), move |_| compute(&project, key));
    }
}

/// The consensus coder's default name (an existing "Consensus" coder is reused: reviews continue its layer).
fn default_consensus(_project: &Project) -> String {
    s::CONSENSUS.to_string()
}

/// The report and, with reviewed stretches, the report after the review.
fn compute(project: &Project, key: Key) -> Computed {
    let spec = AgreementSpec {
        coders: key.coders.clone(),
        unit: key.unit,
        measures: key.measures.clone(),
        bootstrap: key.bootstrap,
        ..AgreementSpec::default()
    };
    let result = agreement(project, &spec).map_err(|e| e.to_string());
    let after = match key.consensus {
        Some(consensus) if !key.reviewed.is_empty() => {
            after_review(project, &key.coders, consensus, &key.reviewed)
                .ok()
                .and_then(|p| agreement(&p, &spec).ok())
        }
        _ => None,
    };
    Computed { key, result, after }
}

impl AnalysisView for AgreementView {
    const FRAME: Frame = Frame {
        title: s::AGREEMENT,
        id: "analysis-agreement",
        size: [1220.0, 700.0],
        position: None,
    };

    fn body_ui(&mut self, ui: &mut Ui, cx: &mut ViewCx<'_, '_>) {
        let project = cx.input.project;
        if cx.input.blind {
            ui.label(RichText::new(s::AGREEMENT_BLIND).color(theme::muted(ui.visuals().dark_mode)));
            return;
        }
        if self.coders.is_empty() {
            self.coders = project
                .coders()
                .keys()
                .copied()
                .filter(|c| cx.input.coders.contains(*c))
                .collect();
        }
        self.options_ui(ui, project);
        if self.coders.len() < 2 {
            ui.label(
                RichText::new(s::AGREEMENT_TWO_CODERS).color(theme::muted(ui.visuals().dark_mode)),
            );
            return;
        }
        self.refresh(ui.ctx(), &cx.input.worker.snapshot, cx.input.revision);
        if self.task.in_flight() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(s::AGREEMENT_COMPUTING);
            });
        }
        let table = match self.computed.as_ref().map(|c| &c.result) {
            Some(Ok(report)) => Some(report.to_table()),
            _ => None,
        };
        export_row_ui(ui, cx.message, "agreement", table.as_ref(), cx.commands);
        let mut clicked = None;
        match self.computed.as_ref() {
            None => {}
            Some(Computed { result: Err(e), .. }) => {
                ui.label(
                    RichText::new(e.as_str()).color(theme::error_colour(ui.visuals().dark_mode)),
                );
            }
            Some(Computed {
                result: Ok(report),
                after,
                ..
            }) => {
                let height = if self.review.is_some() {
                    (ui.available_height() * 0.45).max(160.0)
                } else {
                    ui.available_height()
                };
                // The table scrolls sideways when its columns are wider than the window (at 1024×700 it
                // pushed the window past the screen's right edge).
                ui.allocate_ui(egui::vec2(ui.available_width(), height), |ui| {
                    egui::ScrollArea::horizontal()
                        .id_salt("agreement-sideways")
                        .show(ui, |ui| {
                            clicked = table_ui(ui, project, report, after.as_ref(), &mut self.sort);
                        });
                });
            }
        }
        if let Some(code) = clicked {
            self.start_review(project, code);
        }
        if self.review.is_some() {
            ui.separator();
            self.review_ui(ui, project, cx.input.revision, cx.commands);
        }
    }
}

impl AgreementView {
    fn options_ui(&mut self, ui: &mut Ui, project: &Project) {
        ui.horizontal_wrapped(|ui| {
            ui.label(s::AGREEMENT_CODERS);
            let mut coders: Vec<_> = project.coders().values().collect();
            coders.sort_by(|a, b| crate::collate::compare(&a.name, &b.name));
            for coder in coders {
                let mut on = self.coders.contains(&coder.id);
                if ui.checkbox(&mut on, &coder.name).changed() {
                    if on {
                        self.coders.insert(coder.id);
                    } else {
                        self.coders.remove(&coder.id);
                    }
                }
            }
        });
        ui.horizontal_wrapped(|ui| {
            ui.label(s::AGREEMENT_UNIT);
            egui::ComboBox::from_id_salt("agreement-unit")
                .selected_text(s::unit_plural(self.unit))
                .show_ui(ui, |ui| {
                    for unit in UnitKind::ALL {
                        ui.selectable_value(&mut self.unit, unit, s::unit_plural(unit));
                    }
                });
            ui.label(s::AGREEMENT_MEASURES);
            for measure in Measure::ALL {
                let mut on = self.measures.contains(&measure);
                if ui.checkbox(&mut on, measure_label(measure)).changed() {
                    if on {
                        self.measures.push(measure);
                        self.measures
                            .sort_by_key(|m| Measure::ALL.iter().position(|x| x == m));
                    } else if self.measures.len() > 1 {
                        self.measures.retain(|m| *m != measure);
                    }
                }
            }
            ui.label(s::AGREEMENT_DRAWS);
            ui.add(
                egui::DragValue::new(&mut self.bootstrap)
                    .range(0..=5000)
                    .speed(50),
            );
        });
    }

    fn review_ui(
        &mut self,
        ui: &mut Ui,
        project: &Project,
        revision: u64,
        commands: &mut Vec<Command>,
    ) {
        let dark = ui.visuals().dark_mode;
        let compared: Vec<CoderId> = self.coders.iter().copied().collect();
        let Some(review) = self.review.as_mut() else {
            return;
        };
        let name_of = |id: CoderId| {
            project
                .coders()
                .get(&id)
                .map_or_else(String::new, |c| c.name.clone())
        };
        let mut close = false;
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(s::review_heading(&project.code_path(review.code))).strong());
            if ui.small_button(s::CLOSE).clicked() {
                close = true;
            }
        });
        if close {
            self.review = None;
            return;
        }
        ui.horizontal_wrapped(|ui| {
            ui.label(s::REVIEW_PAIR);
            let pairs: Vec<[CoderId; 2]> = compared
                .iter()
                .enumerate()
                .flat_map(|(i, a)| compared[i + 1..].iter().map(move |b| [*a, *b]))
                .collect();
            let label = |p: [CoderId; 2]| format!("{} / {}", name_of(p[0]), name_of(p[1]));
            egui::ComboBox::from_id_salt("review-pair")
                .selected_text(label(review.pair))
                .show_ui(ui, |ui| {
                    for pair in pairs {
                        if ui
                            .selectable_value(&mut review.pair, pair, label(pair))
                            .changed()
                        {
                            review.queue = None;
                            review.current = 0;
                        }
                    }
                });
            ui.label(s::REVIEW_DOCUMENT);
            let doc_label = review
                .document
                .and_then(|d| project.documents().get(&d))
                .map_or(s::ALL_DOCUMENTS.to_string(), |d| d.name.clone());
            let docs: BTreeSet<DocumentId> = match &review.queue {
                Some((_, Ok(list))) => list.iter().map(|d| d.document).collect(),
                _ => BTreeSet::new(),
            };
            egui::ComboBox::from_id_salt("review-document")
                .selected_text(doc_label)
                .show_ui(ui, |ui| {
                    if ui
                        .selectable_value(&mut review.document, None, s::ALL_DOCUMENTS)
                        .changed()
                    {
                        review.current = 0;
                    }
                    for doc in docs {
                        let name = project
                            .documents()
                            .get(&doc)
                            .map_or("", |d| d.name.as_str());
                        if ui
                            .selectable_value(&mut review.document, Some(doc), name)
                            .changed()
                        {
                            review.current = 0;
                        }
                    }
                });
            ui.label(s::REVIEW_CONSENSUS);
            ui.add(egui::TextEdit::singleline(&mut review.consensus).desired_width(120.0));
        });
        if review.queue.as_ref().is_none_or(|(r, _)| *r != revision) {
            let list = disagreements(project, review.code, &review.pair).map_err(|e| e.to_string());
            review.queue = Some((revision, list));
        }
        let list: Vec<Disagreement> = match &review.queue {
            Some((_, Ok(list))) => list
                .iter()
                .filter(|d| review.document.is_none_or(|doc| d.document == doc))
                .cloned()
                .collect(),
            Some((_, Err(e))) => {
                ui.label(RichText::new(e.as_str()).color(theme::error_colour(dark)));
                return;
            }
            None => Vec::new(),
        };
        let open = list
            .iter()
            .filter(|d| !review.decided.contains_key(&(d.document, d.range)))
            .count();
        ui.label(s::review_progress(list.len(), open));
        if list.is_empty() {
            return;
        }
        review.current = review.current.min(list.len() - 1);
        ui.horizontal(|ui| {
            if ui.small_button("◀").clicked() {
                review.current = review.current.saturating_sub(1);
            }
            ui.label(format!("{} / {}", review.current + 1, list.len()));
            if ui.small_button("▶").clicked() {
                review.current = (review.current + 1).min(list.len() - 1);
            }
        });
        let stretch = &list[review.current];
        let [a, b] = review.pair;
        let bounds_a =
            crate::ops::bounds_around(project, stretch.document, review.code, a, stretch.range);
        let bounds_b =
            crate::ops::bounds_around(project, stretch.document, review.code, b, stretch.range);
        context_ui(ui, project, stretch, &bounds_a, &bounds_b);
        let show = |r: &[CharRange]| {
            if r.is_empty() {
                s::NOT_CODED.to_string()
            } else {
                r.iter()
                    .map(|r| format!("{}–{}", r.start, r.end))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        ui.label(
            RichText::new(format!(
                "{}: {}    {}: {}",
                name_of(a),
                show(&bounds_a),
                name_of(b),
                show(&bounds_b)
            ))
            .small(),
        );
        if let Some(done) = review.decided.get(&(stretch.document, stretch.range)) {
            ui.label(
                RichText::new(s::decided(done))
                    .italics()
                    .color(theme::muted(dark)),
            );
        }
        ui.horizontal(|ui| {
            ui.label(s::REVIEW_MEMO);
            ui.add(egui::TextEdit::singleline(&mut review.memo).desired_width(320.0));
            ui.label(s::REVIEW_BOUNDS);
            ui.add(
                egui::TextEdit::singleline(&mut review.bounds)
                    .hint_text(format!("{}..{}", stretch.range.start, stretch.range.end))
                    .desired_width(110.0),
            );
        });
        let mut chosen = None;
        ui.horizontal_wrapped(|ui| {
            let keep_a = format!("{} {}", s::KEEP, name_of(a));
            let keep_b = format!("{} {}", s::KEEP, name_of(b));
            for (label, resolution) in [
                (keep_a.as_str(), Resolution::KeepFirst),
                (keep_b.as_str(), Resolution::KeepSecond),
                (s::UNION.get(), Resolution::Union),
                (s::INTERSECTION.get(), Resolution::Intersection),
            ] {
                if ui.button(label).clicked() {
                    chosen = Some(resolution);
                }
            }
            if ui.button(s::NEW_BOUNDS).clicked() {
                chosen = Some(match parse_bounds(&review.bounds) {
                    Some(range) => Resolution::Bounds(range),
                    None => {
                        commands.push(Command::Error(s::bad_bounds(&review.bounds)));
                        return;
                    }
                });
            }
            if ui.button(s::SKIP).clicked() {
                chosen = Some(Resolution::Skip);
            }
        });
        let Some(resolution) = chosen else {
            return;
        };
        review
            .decided
            .insert((stretch.document, stretch.range), resolution.label());
        if resolution != Resolution::Skip {
            let reviewed = Reviewed {
                document: stretch.document,
                code: review.code,
                stretch: stretch.range,
            };
            if !self.reviewed.contains(&reviewed) {
                self.reviewed.push(reviewed);
            }
            let memo = review.memo.trim().to_string();
            commands.push(Command::ResolveDisagreement(Box::new(Decision {
                document: stretch.document,
                code: review.code,
                stretch: stretch.range,
                coders: review.pair,
                resolution,
                consensus: review.consensus.trim().to_string(),
                memo: (!memo.is_empty()).then_some(memo),
            })));
        }
        review.memo.clear();
        review.bounds.clear();
        review.current = (review.current + 1).min(list.len() - 1);
    }
}

/// `START..END` (or `START-END`, `START–END`) as a range.
fn parse_bounds(text: &str) -> Option<CharRange> {
    let text = text.trim();
    let (a, b) = text
        .split_once("..")
        .or_else(|| text.split_once('–'))
        .or_else(|| text.split_once('-'))?;
    let range = CharRange::new(a.trim().parse().ok()?, b.trim().parse().ok()?);
    (!range.is_empty()).then_some(range)
}

fn measure_label(measure: Measure) -> &'static str {
    match measure {
        Measure::Percent => "%",
        Measure::Kappa => "κ",
        Measure::Alpha => "α",
        Measure::UAlpha => "uα",
    }
}

/// The stretch in its context: text before and after, the stretch highlighted, each coder's bounds below.
fn context_ui(
    ui: &mut Ui,
    project: &Project,
    stretch: &Disagreement,
    bounds_a: &[CharRange],
    bounds_b: &[CharRange],
) {
    let text = project.text(stretch.document);
    let lo = bounds_a
        .iter()
        .chain(bounds_b)
        .map(|r| r.start)
        .chain([stretch.range.start])
        .min()
        .unwrap_or(stretch.range.start)
        .saturating_sub(120);
    let hi = bounds_a
        .iter()
        .chain(bounds_b)
        .map(|r| r.end)
        .chain([stretch.range.end])
        .max()
        .unwrap_or(stretch.range.end)
        + 120;
    let piece = |from: usize, to: usize| -> String {
        text.chars()
            .skip(from)
            .take(to.saturating_sub(from))
            .collect()
    };
    let dark = ui.visuals().dark_mode;
    let mut job = egui::text::LayoutJob::default();
    let normal = egui::TextFormat {
        font_id: egui::FontId::proportional(13.5),
        color: theme::text_colour(dark),
        ..Default::default()
    };
    let marked = egui::TextFormat {
        background: super::heat(0.6, dark),
        ..normal.clone()
    };
    job.append(
        &format!("…{}", piece(lo, stretch.range.start)),
        0.0,
        normal.clone(),
    );
    job.append(&piece(stretch.range.start, stretch.range.end), 0.0, marked);
    job.append(&format!("{}…", piece(stretch.range.end, hi)), 0.0, normal);
    ui.label(
        RichText::new(format!(
            "{} {}–{}",
            stretch.document_name, stretch.range.start, stretch.range.end
        ))
        .small(),
    );
    egui::ScrollArea::vertical()
        .id_salt("review-context")
        .max_height(140.0)
        .show(ui, |ui| ui.label(job));
}

/// The table: a row per code (then the overall row), sortable by clicking a header; returns a clicked code.
fn table_ui(
    ui: &mut Ui,
    project: &Project,
    report: &Agreement,
    after: Option<&Agreement>,
    sort: &mut (SortBy, bool),
) -> Option<CodeId> {
    use egui_extras::{Column, TableBuilder};
    let dark = ui.visuals().dark_mode;
    let statistics = report.statistics();
    let names: Vec<String> = report.coders.iter().map(|c| c.name.clone()).collect();
    let mut rows: Vec<&crate::analysis::agreement::AgreementRow> = report
        .rows
        .iter()
        .filter(|r| r.kind != RowKind::Overall)
        .collect();
    let (by, descending) = *sort;
    rows.sort_by(|a, b| {
        let order = match by {
            SortBy::Code => crate::collate::compare(&a.label, &b.label),
            SortBy::Statistic(st) => a
                .value(st)
                .unwrap_or(f64::NEG_INFINITY)
                .total_cmp(&b.value(st).unwrap_or(f64::NEG_INFINITY)),
        };
        if descending { order.reverse() } else { order }
    });
    rows.extend(report.overall());
    let after_alpha = |row: &crate::analysis::agreement::AgreementRow| {
        after
            .and_then(|a| a.rows.iter().find(|r| r.kind == row.kind))
            .and_then(|r| r.value(Statistic::Alpha))
    };
    let with_after = after.is_some() && statistics.contains(&Statistic::Alpha);
    let mut clicked = None;
    let n_value_cols = statistics.len() + usize::from(with_after);
    let mut table = TableBuilder::new(ui)
        .id_salt("agreement-table")
        .striped(true)
        .resizable(true)
        .auto_shrink([false, true])
        .column(Column::initial(240.0).at_least(120.0).clip(true))
        .column(Column::initial(80.0).at_least(50.0));
    for _ in &names {
        table = table.column(Column::initial(90.0).at_least(50.0));
    }
    table = table.columns(Column::initial(120.0).at_least(60.0), n_value_cols);
    table
        .header(22.0, |mut header| {
            header.col(|ui| {
                if ui.button(RichText::new(s::CODE_HEADER).strong()).clicked() {
                    *sort = toggle(*sort, SortBy::Code);
                }
            });
            header.col(|ui| {
                ui.strong(s::unit_plural(report.spec.unit));
            });
            for name in &names {
                header.col(|ui| {
                    ui.strong(format!("{} {name}", s::CODED_BY));
                });
            }
            for st in &statistics {
                header.col(|ui| {
                    let arrow = match *sort {
                        (SortBy::Statistic(x), true) if x == *st => " ▼",
                        (SortBy::Statistic(x), false) if x == *st => " ▲",
                        _ => "",
                    };
                    if ui
                        .button(
                            RichText::new(format!("{}{arrow}", s::statistic_label(*st))).strong(),
                        )
                        .clicked()
                    {
                        *sort = toggle(*sort, SortBy::Statistic(*st));
                    }
                });
            }
            if with_after {
                header.col(|ui| {
                    ui.strong(s::ALPHA_AFTER);
                });
            }
        })
        .body(|mut body| {
            for row in rows {
                body.row(22.0, |mut r| {
                    r.col(|ui| {
                        let label = if row.kind == RowKind::Overall {
                            RichText::new(&row.label).strong()
                        } else {
                            RichText::new(&row.label)
                        };
                        match row.kind {
                            RowKind::Code(code) => {
                                let colour = project
                                    .codes()
                                    .get(&code)
                                    .map(|c| theme::code_colour(&c.colour, dark))
                                    .unwrap_or(ui.visuals().text_color());
                                ui.horizontal(|ui| {
                                    ui.label(RichText::new("■").color(colour));
                                    if ui.link(label).on_hover_text(s::REVIEW_HINT).clicked() {
                                        clicked = Some(code);
                                    }
                                });
                            }
                            _ => drop(ui.label(label)),
                        }
                    });
                    r.col(|ui| {
                        ui.label(locale::count(row.units));
                    });
                    for n in &row.coded {
                        r.col(|ui| {
                            ui.label(crate::gui::locale::count(n));
                        });
                    }
                    for st in &statistics {
                        r.col(|ui| {
                            let estimate = row.estimate(*st);
                            let text = shown(estimate);
                            let low = st.measure() != Measure::Percent
                                && estimate.and_then(|e| e.value).is_some_and(|v| v < LOW);
                            let mut rich = RichText::new(text);
                            if low {
                                rich = rich.color(theme::error_colour(dark)).strong();
                            }
                            let response = ui.label(rich);
                            if let Some(reason) = estimate.and_then(|e| e.undefined) {
                                let _ = response.on_hover_text(reason.to_string());
                            } else if low {
                                let _ = response.on_hover_text(s::LOW_AGREEMENT);
                            }
                        });
                    }
                    if with_after {
                        r.col(|ui| {
                            ui.label(
                                after_alpha(row)
                                    .map_or_else(|| "–".to_string(), |v| locale::decimal(v, 3)),
                            );
                        });
                    }
                });
            }
        });
    clicked
}

fn toggle(current: (SortBy, bool), by: SortBy) -> (SortBy, bool) {
    if current.0 == by {
        (by, !current.1)
    } else {
        (by, matches!(by, SortBy::Statistic(_)))
    }
}

/// A value with its interval, `0.612 [0.55, 0.68]`, or `–` when undefined.
fn shown(estimate: Option<&crate::analysis::agreement::Estimate>) -> String {
    let Some(estimate) = estimate else {
        return String::new();
    };
    match (estimate.value, &estimate.interval) {
        (None, _) => "–".into(),
        (Some(v), Some(i)) => format!(
            "{} [{}{} {}]",
            locale::decimal(v, 3),
            locale::decimal(i.low, 2),
            // A semicolon where the decimal mark is a comma.
            if locale::current().is_norwegian() {
                ";"
            } else {
                ","
            },
            locale::decimal(i.high, 2)
        ),
        (Some(v), None) => locale::decimal(v, 3),
    }
}
