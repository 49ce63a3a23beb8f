//! Meaning search in the workbench, through [`crate::embed::Meaning`]: the vectors built on a background task
//! (progress and cancel in the status bar; a killed run resumes), the "By meaning" switch and `~"…"` queries,
//! "Find similar passages" from a selection, a coding or a hit, and the code-suggestion review queue (Accept
//! codes the passage as one undoable step, Reject is remembered in the project, Skip passes; nothing is ever
//! coded automatically). Without the model every entry point says how to get it.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use egui::{RichText, Ui};

use crate::embed::{EmbedError, Embedder, Meaning, fetch};
use crate::gui::app::{RightTab, Workbench};
use crate::gui::commands::Command;
use crate::gui::search_panel::SearchState;
use crate::gui::session::MEANING_HITS;
use crate::gui::tasks::{Latest, Poll, Task};
use crate::gui::{strings as s, theme};
use crate::ids::{CodeId, CodingId, DocumentId};
use crate::model::Project;
use crate::offsets::{CharRange, slice};
use crate::ops::{self, CodeChoice};
use crate::query::{Hit, SearchResults};

/// Suggested passages fetched for the review queue at a time.
pub const SUGGESTIONS: usize = 50;

/// A request about meaning features.
#[derive(Clone, Debug, PartialEq)]
pub enum MeaningCommand {
    /// Build or update the vectors on a background task.
    BuildVectors,
    /// Stop the vector build (what is done is kept).
    CancelBuild,
    /// List the passages closest in meaning to a range of a document (a selection or a hit).
    FindSimilar {
        /// The document.
        document: DocumentId,
        /// The range, in code points.
        range: CharRange,
    },
    /// List the passages closest in meaning to a coding's passage.
    FindSimilarToCoding(CodingId),
    /// Open the review queue of suggested passages for a code.
    Suggest(CodeId),
    /// Code the n-th suggestion with the queue's code (one undoable step).
    Accept(usize),
    /// Never suggest the n-th suggestion for the queue's code again (one undoable step).
    Reject(usize),
    /// Pass over the n-th suggestion for now.
    Skip(usize),
    /// Close the review queue.
    CloseSuggestions,
}

/// What waits for the vectors to be built.
#[derive(Clone, Debug, PartialEq)]
enum Pending {
    Search,
    Similar(DocumentId, CharRange),
    Suggest(CodeId),
}

/// The review queue of one code.
#[derive(Clone, Debug)]
pub struct SuggestionQueue {
    /// The code the passages are suggested for.
    pub code: CodeId,
    /// The suggestions still to review, best first.
    pub hits: Vec<Hit>,
    /// True while they are being found.
    pub loading: bool,
    /// Why there are none (no model, too few codings).
    pub error: Option<String>,
    /// The project revision the suggestions were last checked against: when the project changes outside the
    /// queue (an undo, the passage coded elsewhere) the queue drops what no longer applies and asks again.
    revision: Option<u64>,
    /// Passages skipped in this queue (document, start): a refresh does not bring them back.
    skipped: BTreeSet<(DocumentId, usize)>,
}

impl SuggestionQueue {
    /// An empty queue for `code`, loading.
    fn loading(code: CodeId) -> Self {
        Self {
            code,
            hits: Vec::new(),
            loading: true,
            error: None,
            revision: None,
            skipped: BTreeSet::new(),
        }
    }

    /// Drops the suggestions that no longer apply to `project`: their document was removed, the passage was
    /// coded with the queue's code (anywhere: a coding overlapping it), rejected for it, or skipped here.
    fn drop_stale(&mut self, project: &Project) {
        let code = self.code;
        let rejected = project.rejected_suggestions(code);
        let mut coded: HashMap<DocumentId, Vec<CharRange>> = HashMap::new();
        for coding in project.codings().values().filter(|c| c.code == code) {
            coded.entry(coding.document).or_default().push(coding.range);
        }
        let skipped = &self.skipped;
        self.hits.retain(|hit| {
            let key = (hit.document, hit.passage.start);
            project.documents().contains_key(&hit.document)
                && !rejected.contains(&key)
                && !skipped.contains(&key)
                && !coded
                    .get(&hit.document)
                    .is_some_and(|ranges| ranges.iter().any(|r| r.overlaps(&hit.passage)))
        });
    }
}

/// The meaning features' state in the workbench.
#[derive(Default)]
pub struct MeaningState {
    /// A model file to use instead of the usual place (tests; `Some` of a missing file means no model).
    model_file: Option<PathBuf>,
    embedder: Option<Arc<Embedder>>,
    session: Option<Arc<Meaning>>,
    /// The project revision the session's vectors were last found current for.
    checked_revision: Option<u64>,
    building: Option<(Task<Result<Meaning, String>>, u64)>,
    pending: Option<Pending>,
    suggesting: Latest<Result<SearchResults, String>>,
    queue: Option<SuggestionQueue>,
    /// The project the session belongs to.
    root: Option<PathBuf>,
}

impl MeaningState {
    /// True while the vectors are being built.
    pub fn building(&self) -> bool {
        self.building.is_some()
    }

    /// True once vectors were built or found current in this session.
    pub fn vectors_ready(&self) -> bool {
        self.session.is_some()
    }

    /// The review queue, when open.
    pub fn queue(&self) -> Option<&SuggestionQueue> {
        self.queue.as_ref()
    }

    /// The build's progress, while it runs.
    pub fn progress(&self) -> Option<crate::gui::tasks::Progress> {
        self.building.as_ref().map(|(task, _)| task.progress())
    }

    /// Forgets the session of a project that was closed.
    pub fn reset(&mut self) {
        if let Some((task, _)) = &self.building {
            task.cancel();
        }
        self.suggesting.cancel();
        *self = Self {
            model_file: self.model_file.take(),
            embedder: self.embedder.take(),
            ..Self::default()
        };
    }

    /// The model file, or how to get it.
    fn model_path(&self) -> Result<PathBuf, String> {
        match &self.model_file {
            Some(path) if path.is_file() => Ok(path.clone()),
            Some(_) => Err(EmbedError::Missing.to_string()),
            None => fetch::require_model().map_err(|e| e.to_string()),
        }
    }
}

impl Workbench {
    /// Uses this model file instead of the installed one (`None`: the usual place); a missing file means no model.
    pub fn set_model_file(&mut self, path: Option<PathBuf>) {
        self.meaning.model_file = path;
        self.meaning.embedder = None;
        self.meaning.session = None;
    }

    /// Opens the review queue of `code` with these suggestions, as if its search had just found them (tests
    /// without the model); what no longer applies to the project is dropped as it would be then.
    pub fn show_suggestions(&mut self, code: CodeId, hits: Vec<Hit>) {
        self.meaning.suggesting.cancel();
        self.meaning.queue = Some(SuggestionQueue::loading(code));
        self.suggested(Ok(SearchResults {
            total: hits.len(),
            hits,
        }));
    }

    /// The meaning features' state.
    pub fn meaning(&self) -> &MeaningState {
        &self.meaning
    }

    /// The Search tab's state, to change (tests).
    pub fn search_mut(&mut self) -> &mut SearchState {
        &mut self.search
    }

    /// Blocks until the vector build, the index and the suggestion search are done, and starts what waited for
    /// them (tests; follow with [`Workbench::finish_search`] for a search or similar passages).
    pub fn finish_meaning(&mut self) {
        for _ in 0..4 {
            if let Some((task, revision)) = self.meaning.building.take() {
                let outcome = task
                    .wait()
                    .unwrap_or_else(|| Err("the vector build stopped unexpectedly".into()));
                self.built(outcome, revision);
            }
            if let Some(Err(e)) = self.session.wait_for_index() {
                self.search.error = Some(e);
            }
            self.run_pending();
            if let Some(outcome) = self.meaning.suggesting.wait() {
                self.suggested(outcome);
            }
            if self.meaning.building.is_none()
                && self.meaning.pending.is_none()
                && !self.meaning.suggesting.in_flight()
            {
                return;
            }
        }
    }

    /// Starts what waited for the vectors or the index, once neither is being built.
    fn run_pending(&mut self) {
        if self.meaning.building.is_some() || self.session.indexing() {
            return;
        }
        match self.meaning.pending.take() {
            Some(Pending::Search) => self.search.run_requested = true,
            Some(Pending::Similar(document, range)) => self.find_similar(document, range),
            Some(Pending::Suggest(code)) => self.start_suggest(code),
            None => {}
        }
    }

    /// The meaning session for a search of `query`: `Ok(None)` when the search needs no meaning (no switch, no
    /// `~"…"`), `Err(None)` when it waits for the vectors (it runs again when they are built), `Err(Some)` when
    /// it cannot run (no model).
    pub(super) fn meaning_for_search(
        &mut self,
        query: &str,
    ) -> Result<Option<(Arc<Meaning>, bool)>, Option<String>> {
        let whole = self.search.by_meaning;
        if self.search.regex || !(whole || crate::embed::session::has_meaning_term(query)) {
            return Ok(None);
        }
        match self.meaning_ready(Pending::Search) {
            Ok(Some(meaning)) => Ok(Some((meaning, whole))),
            Ok(None) => Err(None),
            Err(e) => Err(Some(e)),
        }
    }

    /// The meaning session when its vectors are current; otherwise starts building them and remembers what
    /// waits (`Ok(None)`), or says why it cannot (no model, no project).
    fn meaning_ready(&mut self, then: Pending) -> Result<Option<Arc<Meaning>>, String> {
        let Some(ws) = self.session.workspace() else {
            return Err(s::NO_PROJECT.to_string());
        };
        let revision = ws.revision();
        if self.meaning.building.is_some() {
            self.meaning.pending = Some(then);
            return Ok(None);
        }
        if let Some(meaning) = &self.meaning.session
            && (self.meaning.checked_revision == Some(revision) || meaning.is_current(ws.project()))
        {
            self.meaning.checked_revision = Some(revision);
            return Ok(Some(Arc::clone(meaning)));
        }
        self.start_build(Some(then))?;
        Ok(None)
    }

    /// Starts building (or updating) the vectors on a background task.
    fn start_build(&mut self, then: Option<Pending>) -> Result<(), String> {
        let Some(ws) = self.session.workspace() else {
            return Err(s::NO_PROJECT.to_string());
        };
        if self.meaning.building.is_some() {
            self.meaning.pending = then.or(self.meaning.pending.take());
            return Ok(());
        }
        let path = self.meaning.model_path()?;
        let cached = self.meaning.embedder.clone();
        let root = ws.root().to_path_buf();
        let project = ws.project_snapshot();
        let revision = ws.revision();
        let task = Task::spawn(self.ctx.as_ref(), move |reporter| {
            let embedder = match cached {
                Some(e) => e,
                None => Arc::new(Embedder::load(&path).map_err(|e| e.to_string())?),
            };
            let cancel = AtomicBool::new(false);
            Meaning::build(
                embedder,
                &root,
                &project,
                &mut |p| {
                    reporter.progress(p.done, p.total, p.document.clone());
                    if reporter.cancelled() {
                        cancel.store(true, Ordering::Relaxed);
                    }
                },
                &cancel,
            )
            .map(|(meaning, _)| meaning)
            .map_err(|e| match e {
                EmbedError::Cancelled => s::MEANING_VECTORS_CANCELLED.to_string(),
                other => other.to_string(),
            })
        });
        self.meaning.building = Some((task, revision));
        self.meaning.pending = then;
        Ok(())
    }

    /// Takes a finished vector build and a finished suggestion search (called every frame).
    pub(super) fn poll_meaning(&mut self) {
        let root = self.session.workspace().map(|ws| ws.root().to_path_buf());
        if root != self.meaning.root {
            self.meaning.reset();
            self.meaning.root = root;
        }
        let done = match &self.meaning.building {
            Some((task, _)) => match task.poll() {
                Poll::Running => None,
                Poll::Done(outcome) => Some(outcome),
                Poll::Lost => Some(Err("the vector build stopped unexpectedly".into())),
            },
            None => None,
        };
        if let Some(outcome) = done
            && let Some((_, revision)) = self.meaning.building.take()
        {
            self.built(outcome, revision);
        }
        self.run_pending();
        self.refresh_stale_suggestions();
        if let Some(outcome) = self.meaning.suggesting.poll() {
            self.suggested(
                outcome.unwrap_or_else(|| Err("the suggestions stopped unexpectedly".into())),
            );
        }
        if self.meaning.building.is_some()
            && let Some(ctx) = &self.ctx
        {
            ctx.request_repaint_after(std::time::Duration::from_millis(200));
        }
    }

    /// When the project changed outside the review queue (an undo, a passage coded elsewhere, a document or the
    /// code removed), drops the suggestions that no longer apply at once and asks for fresh ones on the worker
    /// (an undone Accept or Reject brings its passage back). A queue whose code is gone closes.
    fn refresh_stale_suggestions(&mut self) {
        let Some(ws) = self.session.workspace() else {
            return;
        };
        let revision = ws.revision();
        let Some(queue) = self.meaning.queue.as_mut() else {
            return;
        };
        if queue.revision.is_none_or(|r| r == revision) {
            return;
        }
        queue.revision = Some(revision);
        let code = queue.code;
        if !ws.project().codes().contains_key(&code) {
            self.meaning.suggesting.cancel();
            self.meaning.queue = None;
            return;
        }
        queue.drop_stale(ws.project());
        // Fresh suggestions only when the vectors are current: a refresh never starts a vector build by itself.
        let current = self.meaning.building.is_none()
            && self
                .meaning
                .session
                .as_ref()
                .is_some_and(|m| m.is_current(ws.project()));
        if current {
            queue.loading = true;
            self.meaning.checked_revision = Some(revision);
            self.start_suggest(code);
        }
    }

    /// A vector build ended: keep the session and run what waited for it, or report why it failed.
    fn built(&mut self, outcome: Result<Meaning, String>, revision: u64) {
        let pending = self.meaning.pending.take();
        match outcome {
            Ok(meaning) => {
                self.meaning.embedder = Some(Arc::clone(meaning.embedder()));
                self.meaning.session = Some(Arc::new(meaning));
                self.meaning.checked_revision = Some(revision);
                self.notice = Some(s::MEANING_VECTORS_READY.to_string());
                self.meaning.pending = pending;
                self.run_pending();
            }
            Err(e) => match pending {
                Some(Pending::Search | Pending::Similar(..)) => {
                    self.search.heading = None;
                    self.search.error = Some(e);
                }
                Some(Pending::Suggest(_)) => self.queue_error(e),
                None => self.error = Some(e),
            },
        }
    }

    /// Handles a meaning command.
    pub(super) fn meaning_command(&mut self, command: MeaningCommand) {
        match command {
            MeaningCommand::BuildVectors => {
                if let Err(e) = self.start_build(None) {
                    self.error = Some(e);
                }
            }
            MeaningCommand::CancelBuild => {
                if let Some((task, _)) = &self.meaning.building {
                    task.cancel();
                }
            }
            MeaningCommand::FindSimilar { document, range } => self.find_similar(document, range),
            MeaningCommand::FindSimilarToCoding(id) => {
                if let Some(c) = self.session.project().and_then(|p| p.codings().get(&id)) {
                    let (document, range) = (c.document, c.range);
                    self.find_similar(document, range);
                }
            }
            MeaningCommand::Suggest(code) => {
                self.meaning.queue = Some(SuggestionQueue::loading(code));
                self.start_suggest(code);
            }
            MeaningCommand::Accept(i) => self.review(i, true),
            MeaningCommand::Reject(i) => self.review(i, false),
            MeaningCommand::Skip(i) => {
                if let Some(queue) = self.meaning.queue.as_mut()
                    && i < queue.hits.len()
                {
                    let hit = queue.hits.remove(i);
                    queue.skipped.insert((hit.document, hit.passage.start));
                }
            }
            MeaningCommand::CloseSuggestions => {
                self.meaning.suggesting.cancel();
                self.meaning.queue = None;
            }
        }
    }

    /// Lists the passages closest in meaning to a range in the Search tab (after building the vectors).
    fn find_similar(&mut self, document: DocumentId, range: CharRange) {
        self.right_tab = RightTab::Search;
        let text = self
            .session
            .project()
            .and_then(|p| slice(p.text(document), range).map(str::to_string))
            .unwrap_or_default();
        let meaning = match self.meaning_ready(Pending::Similar(document, range)) {
            Ok(Some(meaning)) => meaning,
            Ok(None) => {
                self.search.error = None;
                self.search.heading = Some(s::WAITING_FOR_VECTORS.to_string());
                return;
            }
            Err(e) => {
                self.search.clear();
                self.search.error = Some(e);
                return;
            }
        };
        let started = self
            .session
            .start_search_job(self.ctx.as_ref(), move |_, project| {
                Ok(meaning.similar_to_range(project, document, range, None, MEANING_HITS))
            });
        match started {
            Some(Ok(())) => {
                self.search.searching = true;
                self.search.error = None;
                self.search.heading = Some(s::similar_heading(text.trim()));
                self.search.similar_to = Some((document, range));
            }
            // The index is being brought up to date: ask again when it is (and do not rerun the old query then).
            None => {
                self.search.clear();
                self.search.run_requested = false;
                self.search.heading = Some(s::INDEXING.to_string());
                self.meaning.pending = Some(Pending::Similar(document, range));
            }
            Some(Err(e)) => {
                self.search.clear();
                self.search.error = Some(e);
            }
        }
    }

    /// Finds suggestions for the queue's code on a worker (after building the vectors).
    fn start_suggest(&mut self, code: CodeId) {
        let meaning = match self.meaning_ready(Pending::Suggest(code)) {
            Ok(Some(meaning)) => meaning,
            Ok(None) => return,
            Err(e) => return self.queue_error(e),
        };
        let Some(project) = self.session.workspace().map(|ws| ws.project_snapshot()) else {
            return;
        };
        self.meaning.suggesting.start(self.ctx.as_ref(), move |_| {
            meaning
                .suggest(&project, code, SUGGESTIONS)
                .map_err(|e| e.to_string())
        });
    }

    fn suggested(&mut self, outcome: Result<SearchResults, String>) {
        match outcome {
            Ok(results) => {
                let project = self
                    .session
                    .workspace()
                    .map(|ws| (ws.project(), ws.revision()));
                if let Some(queue) = self.meaning.queue.as_mut() {
                    queue.hits = results.hits;
                    queue.loading = false;
                    queue.error = None;
                    // The project may have changed while they were found.
                    if let Some((project, revision)) = project {
                        queue.drop_stale(project);
                        queue.revision = Some(revision);
                    }
                }
            }
            Err(e) => self.queue_error(e),
        }
    }

    fn queue_error(&mut self, e: String) {
        if let Some(queue) = self.meaning.queue.as_mut() {
            queue.loading = false;
            queue.error = Some(e);
        }
    }

    /// Accepts (codes) or rejects (remembers) the n-th suggestion: one undoable step either way.
    fn review(&mut self, i: usize, accept: bool) {
        let Some(queue) = self.meaning.queue.as_ref() else {
            return;
        };
        let Some(hit) = queue.hits.get(i) else { return };
        let (code, document, passage) = (queue.code, hit.document, hit.passage);
        let coder = self.prefs.coder.clone();
        let done = if accept {
            self.apply_op(|p| {
                ops::code_with(
                    p,
                    CodeChoice::Existing(code),
                    &[(document, passage)],
                    &coder,
                    None,
                )
                .map(|coded| coded.edit)
            })
        } else {
            self.apply_op(|p| ops::reject_suggestion(p, code, document, passage.start))
        };
        let revision = self.session.workspace().map(|ws| ws.revision());
        if done && let Some(queue) = self.meaning.queue.as_mut() {
            queue.hits.remove(i);
            // The queue's own step needs no refresh.
            if queue.revision.is_some() {
                queue.revision = revision;
            }
        }
    }

    /// The review queue's window.
    pub(super) fn meaning_windows_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        let Some(queue) = &self.meaning.queue else {
            return;
        };
        let Some(project) = self.session.project() else {
            return;
        };
        let title = s::suggestions_title(&project.code_path(queue.code));
        let mut open = true;
        let building = self.meaning.building.as_ref().map(|(t, _)| t.progress());
        egui::Window::new(title)
            .open(&mut open)
            .default_size([520.0, 480.0])
            .show(ctx, |ui| {
                let dark = ui.visuals().dark_mode;
                ui.label(RichText::new(s::SUGGESTIONS_HELP).color(theme::muted(dark)));
                ui.separator();
                if let Some(progress) = &building {
                    progress_ui(ui, progress, commands);
                } else if queue.loading {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label(s::FINDING_SUGGESTIONS);
                    });
                }
                if let Some(error) = &queue.error {
                    ui.label(RichText::new(error).color(theme::error_colour(dark)));
                } else if !queue.loading && building.is_none() && queue.hits.is_empty() {
                    ui.label(s::NO_MORE_SUGGESTIONS);
                }
                egui::ScrollArea::vertical()
                    .id_salt("suggestion-rows")
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        for (i, hit) in queue.hits.iter().enumerate() {
                            suggestion_ui(ui, project, i, hit, dark, commands);
                        }
                    });
            });
        if !open {
            commands.push(Command::Meaning(MeaningCommand::CloseSuggestions));
        }
    }

    /// The vector build's progress and its Cancel button, in the status bar.
    pub(super) fn meaning_status_ui(&mut self, ui: &mut Ui, commands: &mut Vec<Command>) {
        if let Some(progress) = self.meaning.progress() {
            ui.separator();
            progress_ui(ui, &progress, commands);
        }
    }
}

/// A progress bar of the vector build with its Cancel button.
fn progress_ui(ui: &mut Ui, progress: &crate::gui::tasks::Progress, commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        ui.add(
            egui::ProgressBar::new(progress.fraction())
                .desired_width(260.0)
                .text(s::embedding_progress(progress.done, progress.total)),
        );
        if ui.small_button(s::CANCEL).clicked() {
            commands.push(Command::Meaning(MeaningCommand::CancelBuild));
        }
    });
}

/// One suggested passage: where it is, its text (the whole passage, for context), and the three choices.
fn suggestion_ui(
    ui: &mut Ui,
    project: &crate::model::Project,
    i: usize,
    hit: &Hit,
    dark: bool,
    commands: &mut Vec<Command>,
) {
    ui.push_id(("suggestion", i), |ui| {
        ui.horizontal(|ui| {
            if ui
                .link(RichText::new(&hit.document_name).strong())
                .clicked()
            {
                commands.push(Command::Jump {
                    document: hit.document,
                    range: hit.passage,
                });
            }
            if let Some(speaker) = &hit.speaker {
                ui.label(RichText::new(speaker).color(theme::speaker_colour(dark)));
            }
            ui.label(RichText::new(format!("{:.2}", hit.score)).color(theme::muted(dark)));
        });
        let text = slice(project.text(hit.document), hit.passage).unwrap_or("");
        let shown: String = text.chars().take(600).collect();
        let more = if text.chars().count() > 600 {
            "…"
        } else {
            ""
        };
        ui.label(format!("{}{more}", shown.trim()));
        ui.horizontal(|ui| {
            if ui.button(s::ACCEPT).clicked() {
                commands.push(Command::Meaning(MeaningCommand::Accept(i)));
            }
            if ui.button(s::REJECT).clicked() {
                commands.push(Command::Meaning(MeaningCommand::Reject(i)));
            }
            if ui.button(s::SKIP).clicked() {
                commands.push(Command::Meaning(MeaningCommand::Skip(i)));
            }
        });
        ui.separator();
    });
}
