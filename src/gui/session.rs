//! The open project: workspace, index task, autosave deadline, and opening/closing that never drops unsaved work.
//!
//! A close (or quit) first commits the open drafts and saves; when the save fails the project stays open with
//! the error, and the save-failed window lets the user retry or close without saving.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::edit::Edit;
use crate::gui::app::Workbench;
use crate::gui::commands::{Command, SaveChoice};
use crate::gui::search_panel::PreparedResults;
use crate::gui::strings as s;
use crate::gui::tasks::Latest;
use crate::index::SearchIndex;
use crate::model::Project;
use crate::query::SearchResults;
use crate::workspace::Workspace;

/// How long after the last edit the project is saved.
pub const AUTOSAVE_DELAY: Duration = Duration::from_millis(500);
/// Hits a meaning search returns at most (the nearest passages, fused with the keyword hits).
pub const MEANING_HITS: usize = 200;
/// Recent projects kept.
const RECENT_PROJECTS: usize = 8;

/// The workspace of the open project and what is derived from it.
#[derive(Default)]
pub struct Session {
    ws: Option<Workspace>,
    /// The search index once built (moved into the task while it is brought up to date).
    index: Option<Box<SearchIndex>>,
    indexing: Latest<crate::Result<SearchIndex>>,
    index_failed: bool,
    /// The project changed in a way the index must see before its next search (import, case table).
    index_stale: bool,
    /// The revision the index is being / was last brought up to date with (a search on a newer revision
    /// syncs the index on its task first, so the UI thread never walks the whole project).
    syncing_revision: u64,
    index_revision: Option<u64>,
    /// The search in flight, on a worker (a newer one cancels it).
    searching: Latest<Result<PreparedResults, String>>,
    /// When the next autosave is due.
    save_due: Option<Instant>,
}

impl Session {
    pub fn workspace(&self) -> Option<&Workspace> {
        self.ws.as_ref()
    }

    pub fn project(&self) -> Option<&Project> {
        self.ws.as_ref().map(Workspace::project)
    }

    /// Applies an edit (undoable) and schedules the autosave; returns the action's label.
    pub fn apply(&mut self, edit: Edit) -> Option<crate::Result<String>> {
        let result = self.ws.as_mut()?.apply(edit);
        if result.is_ok() {
            self.schedule_save();
        }
        Some(result)
    }

    /// Undoes (`redo`: redoes) the last action; returns its label when there was one.
    pub fn undo_redo(&mut self, redo: bool) -> crate::Result<Option<String>> {
        let Some(ws) = self.ws.as_mut() else {
            return Ok(None);
        };
        let label = if redo { ws.redo()? } else { ws.undo()? };
        if label.is_some() {
            self.schedule_save();
        }
        Ok(label)
    }

    fn schedule_save(&mut self) {
        self.save_due = Some(Instant::now() + AUTOSAVE_DELAY);
    }

    /// True while an autosave is pending.
    pub fn save_pending(&self) -> bool {
        self.save_due.is_some()
    }

    /// Writes pending changes now.
    pub fn save_now(&mut self) -> crate::Result<()> {
        self.save_due = None;
        match self.ws.as_mut() {
            Some(ws) if ws.is_dirty() => ws.save(),
            _ => Ok(()),
        }
    }

    /// Saves when the autosave is due; otherwise asks for a frame when it will be.
    pub fn autosave(&mut self, ctx: &egui::Context) -> crate::Result<()> {
        let Some(due) = self.save_due else {
            return Ok(());
        };
        let now = Instant::now();
        if now >= due {
            return self.save_now();
        }
        ctx.request_repaint_after(due - now);
        Ok(())
    }

    /// Takes over an opened workspace and starts building its index.
    fn open(&mut self, ws: Workspace, repaint: Option<&egui::Context>) {
        *self = Self {
            ws: Some(ws),
            ..Self::default()
        };
        self.start_index(repaint);
    }

    /// Saves (unless `discard`) and closes the project; a failed save keeps it open.
    pub fn close(&mut self, discard: bool) -> crate::Result<()> {
        if !discard {
            self.save_now()?;
        }
        self.indexing.cancel();
        self.searching.cancel();
        *self = Self::default();
        Ok(())
    }

    /// Builds the index, or brings the built one up to date with the project, on a task.
    pub fn start_index(&mut self, repaint: Option<&egui::Context>) {
        let Some(ws) = &self.ws else { return };
        let project = ws.project_snapshot();
        let dir = ws.index_dir();
        let previous = self.index.take();
        self.index_failed = false;
        self.index_stale = false;
        self.syncing_revision = ws.revision();
        self.indexing.start(repaint, move |_| match previous {
            Some(mut index) => index.sync(&project).map(|_| *index),
            None => SearchIndex::for_project(&dir, &project),
        });
    }

    /// Takes a finished index build; `Some` with the outcome when one finished this frame.
    pub fn poll_index(&mut self, repaint: Option<&egui::Context>) -> Option<Result<(), String>> {
        let finished = self.indexing.poll().map(|result| self.take_index(result));
        if self.index_stale && self.index.is_some() {
            self.start_index(repaint);
        }
        finished
    }

    /// Blocks until the index is built (tests and benchmarks).
    pub fn wait_for_index(&mut self) -> Option<Result<(), String>> {
        if !self.indexing.in_flight() {
            return None;
        }
        let result = self.indexing.wait();
        Some(self.take_index(result))
    }

    fn take_index(&mut self, result: Option<crate::Result<SearchIndex>>) -> Result<(), String> {
        match result {
            Some(Ok(index)) => {
                self.index = Some(Box::new(index));
                self.index_revision = Some(self.syncing_revision);
                Ok(())
            }
            Some(Err(e)) => {
                self.index_failed = true;
                Err(e.to_string())
            }
            None => {
                self.index_failed = true;
                Err(s::INDEX_FAILED.into())
            }
        }
    }

    /// True while the index is being built.
    pub fn indexing(&self) -> bool {
        self.indexing.in_flight()
    }

    /// Marks the index as behind the project (it is brought up to date when it is next free).
    pub fn mark_index_stale(&mut self) {
        self.index_stale = true;
    }

    /// The index, synced with the project first; `None` while it is being built or when it failed.
    pub fn synced_index(&mut self) -> Option<crate::Result<&SearchIndex>> {
        let (ws, index) = (self.ws.as_ref()?, self.index.as_mut()?);
        let revision = ws.revision();
        if self.index_revision != Some(revision) {
            if let Err(e) = index.sync(ws.project()) {
                return Some(Err(e));
            }
            self.index_revision = Some(revision);
        }
        Some(Ok(&**index))
    }

    /// The index as it is (for views that read it every frame).
    pub fn index(&self) -> Option<&SearchIndex> {
        self.index.as_deref()
    }

    /// Starts a search that sees the codings of `coders` (the layers shown) on a worker (a search in flight is
    /// cancelled): `Some(Ok)` when it started, `None` when
    /// the index must first be built or brought up to date (that runs on its own task; ask again when it is
    /// done), `Some(Err)` when the index could not be built. With `meaning` the query runs through the meaning
    /// session: the whole query by meaning when its flag is set, else its `~"…"` terms.
    pub fn start_search(
        &mut self,
        query: String,
        regex: bool,
        meaning: Option<(std::sync::Arc<crate::embed::Meaning>, bool)>,
        coders: crate::coders::CoderSelection,
        repaint: Option<&egui::Context>,
    ) -> Option<Result<(), String>> {
        self.start_search_job(repaint, move |view, project| match (&meaning, regex) {
            (_, true) => crate::query::regex_search(view, project, &query, None, false, None),
            (Some((m, true)), false) => {
                m.search_whole_as(view, project, &query, None, MEANING_HITS, &coders)
            }
            (Some((m, false)), false) => m.search_as(view, project, &query, MEANING_HITS, &coders),
            (None, false) => crate::query::search_as(view, project, &query, None, &coders),
        })
    }

    /// Runs `work` on the search worker against a synced index and a snapshot of the project, as
    /// [`Session::start_search`] does (its results land in the Search tab).
    pub fn start_search_job(
        &mut self,
        repaint: Option<&egui::Context>,
        work: impl FnOnce(&SearchIndex, &Project) -> crate::Result<SearchResults> + Send + 'static,
    ) -> Option<Result<(), String>> {
        if self.index_failed {
            return Some(Err(s::INDEX_FAILED.into()));
        }
        let revision = self.ws.as_ref()?.revision();
        if self.indexing.in_flight() {
            return None;
        }
        if self.index.is_none() || self.index_revision != Some(revision) {
            self.start_index(repaint);
            return None;
        }
        let (ws, index) = (self.ws.as_ref()?, self.index.as_ref()?);
        let view = index.search_view();
        let project = ws.project_snapshot();
        self.searching.start(repaint, move |reporter| {
            let result = work(&view, &project);
            if reporter.cancelled() {
                return Err(s::CANCELLED.into());
            }
            result
                .map(PreparedResults::prepare)
                .map_err(|e| e.to_string())
        });
        Some(Ok(()))
    }

    /// The search's outcome once it is done (`Some(Err)` also when its worker was lost).
    pub fn poll_search(&mut self) -> Option<Result<PreparedResults, String>> {
        self.searching
            .poll()
            .map(|r| r.unwrap_or_else(|| Err(s::SEARCH_STOPPED.into())))
    }

    /// Stops waiting for the search in flight (its result is dropped).
    pub fn cancel_search(&mut self) {
        self.searching.cancel();
    }

    /// Blocks until the search in flight is done (tests and benchmarks).
    pub fn wait_for_search(&mut self) -> Option<Result<PreparedResults, String>> {
        if !self.searching.in_flight() {
            return None;
        }
        Some(
            self.searching
                .wait()
                .unwrap_or_else(|| Err(s::SEARCH_STOPPED.into())),
        )
    }
}

/// What to do once the current project is closed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AfterClose {
    Open(PathBuf),
    Create(PathBuf, crate::model::Language),
    OpenSample,
    Quit,
}

impl Workbench {
    /// Where the sample project is built on first run.
    pub fn sample_dir(&self) -> Option<PathBuf> {
        self.data_dir
            .as_ref()
            .map(|d| d.join("marginalia").join("sample"))
    }

    /// Opens the last project, or the sample project (built when missing).
    pub fn open_first_run(&mut self) {
        if let Some(last) = self.prefs.recent.first().cloned()
            && last.join("marginalia.ron").exists()
        {
            self.open_project(&last);
            if self.session.workspace().is_some() {
                return;
            }
        }
        self.close_then(AfterClose::OpenSample);
    }

    /// Opens a project, closing the current one first (which waits when it cannot be saved).
    pub fn open_project(&mut self, root: &Path) {
        self.close_then(AfterClose::Open(root.to_path_buf()));
    }

    /// Closes the current project (saving it first), then does `then`. When the save fails, the project stays
    /// open with the error, and the save-failed window asks whether to retry or discard.
    pub(super) fn close_then(&mut self, then: AfterClose) {
        self.commit_drafts();
        match self.session.close(false) {
            Ok(()) => {
                self.reset_project_ui();
                self.after_close(then);
            }
            Err(e) => {
                self.error = Some(e.to_string());
                self.pending_close = Some(then);
            }
        }
    }

    /// Answers the save-failed window.
    pub(super) fn save_failed_choice(&mut self, choice: SaveChoice) {
        let Some(then) = self.pending_close.take() else {
            return;
        };
        match choice {
            SaveChoice::Retry => self.close_then(then),
            SaveChoice::Discard => {
                let _ = self.session.close(true);
                self.error = None;
                self.reset_project_ui();
                self.after_close(then);
            }
            SaveChoice::Cancel => {}
        }
    }

    fn after_close(&mut self, then: AfterClose) {
        match then {
            AfterClose::Open(root) => self.open_closed(&root),
            AfterClose::Create(root, language) => self.create_closed(&root, language),
            AfterClose::OpenSample => self.open_sample_closed(),
            AfterClose::Quit => self.quitting = true,
        }
    }

    fn reset_project_ui(&mut self) {
        self.notice = None;
        self.error = None;
        self.confirm_remove = None;
        self.viewer.close();
        self.selected_codes.clear();
        self.recent_codes.clear();
        self.search.release();
        self.picker = None;
        self.memos = Default::default();
        self.codebook = Default::default();
        self.import_summary = None;
        // What was derived from the closed project goes with it: list caches, the excerpts, the case table's
        // order, and the analysis views' results and workers (which hold a snapshot of the project).
        self.documents = Default::default();
        self.excerpts = Default::default();
        self.cases = Default::default();
        self.analysis.forget_project();
        release_freed_memory();
    }

    fn open_closed(&mut self, root: &Path) {
        match Workspace::open(root) {
            Ok(ws) => {
                let root = ws.root().to_path_buf();
                self.prefs.recent.retain(|p| p != &root);
                self.prefs.recent.insert(0, root);
                self.prefs.recent.truncate(RECENT_PROJECTS);
                let first_doc = ws.project().documents_sorted().first().map(|d| d.id);
                self.session.open(ws, self.ctx.as_ref());
                if let Some(doc) = first_doc {
                    self.viewer.open(doc);
                }
                self.error = None;
            }
            Err(crate::Error::StaleLock { .. }) => self.stale_lock = Some(root.to_path_buf()),
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    fn open_sample_closed(&mut self) {
        let Some(dir) = self.sample_dir() else {
            self.error = Some(s::NO_DATA_FOLDER.into());
            return;
        };
        if !dir.join("marginalia.ron").exists() {
            let built = dir
                .parent()
                .map_or(Ok(()), |parent| {
                    std::fs::create_dir_all(parent)
                        .map_err(|e| format!("{}: {e}", parent.display()))
                })
                .and_then(|()| crate::sample::build(&dir).map_err(|e| e.to_string()));
            if let Err(e) = built {
                self.error = Some(e);
                return;
            }
        }
        self.open_closed(&dir);
    }

    fn create_closed(&mut self, root: &Path, language: crate::model::Language) {
        let name = root
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| s::PROJECT.into());
        match Workspace::create(root, &name, language) {
            Ok(ws) => {
                drop(ws);
                self.open_closed(root);
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// Breaks a stale lock (its owner is gone) and opens the project.
    pub(super) fn unlock_and_open(&mut self, root: &Path) {
        let lock = crate::store::Layout::new(root).lock_file();
        match crate::store::lock::ProjectLock::break_stale(&lock) {
            Ok(_) => self.open_project(root),
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// Turns the drafts of open editors (memo, code description) into edits, so nothing typed is lost when the
    /// selection changes, the project closes or the app quits.
    pub(super) fn commit_drafts(&mut self) {
        let Some(project) = self.session.project() else {
            return;
        };
        let drafts: Vec<Command> = self
            .memos
            .take_draft_change(project)
            .into_iter()
            .chain(self.codebook.take_description_change(project))
            .collect();
        for command in drafts {
            self.handle(command);
        }
    }

    /// Commits drafts and writes pending changes now (Ctrl+S, leaving the app).
    pub fn save_now(&mut self) {
        self.commit_drafts();
        if let Err(e) = self.session.save_now() {
            self.error = Some(e.to_string());
        }
    }

    /// Saves on a deadline after the last edit (checked each frame; the frame is woken when it is due).
    pub(super) fn autosave(&mut self, ctx: &egui::Context) {
        if let Err(e) = self.session.autosave(ctx) {
            self.error = Some(e.to_string());
        }
    }

    /// Starts the search in the Search tab on a worker; while the index is being built or brought up to date it
    /// starts when the index is ready. The results arrive in [`Workbench::poll_search`].
    pub(super) fn run_search(&mut self) {
        self.search.run_requested = false;
        let query = self.search.query.trim().to_string();
        if query.is_empty() {
            self.session.cancel_search();
            self.search.searching = false;
            self.search.clear();
            return;
        }
        self.search.heading = None;
        self.search.similar_to = None;
        let meaning = match self.meaning_for_search(&query) {
            Ok(Some(meaning)) => Some(meaning),
            Ok(None) => None,
            Err(wait_or_error) => {
                self.search.searching = false;
                match wait_or_error {
                    Some(e) => {
                        self.search.clear();
                        self.search.error = Some(e);
                    }
                    None => self.search.heading = Some(s::WAITING_FOR_VECTORS.to_string()),
                }
                return;
            }
        };
        match self.session.start_search(
            query,
            self.search.regex,
            meaning,
            self.shown_coders(),
            self.ctx.as_ref(),
        ) {
            None => self.search.run_requested = self.session.workspace().is_some(),
            Some(Ok(())) => {
                self.search.searching = true;
                self.search.error = None;
            }
            Some(Err(e)) => {
                self.search.searching = false;
                self.search.clear();
                self.search.error = Some(e);
            }
        }
    }

    /// Takes the results of a finished search (called every frame).
    pub(super) fn poll_search(&mut self) {
        if self.search.cancel_requested {
            self.search.cancel_requested = false;
            self.session.cancel_search();
            self.search.searching = false;
        }
        if let Some(outcome) = self.session.poll_search() {
            self.apply_search(outcome);
        }
    }

    fn apply_search(&mut self, outcome: Result<PreparedResults, String>) {
        self.search.searching = false;
        match outcome {
            Ok(prepared) => self.search.set_prepared(prepared),
            Err(e) => {
                self.search.clear();
                self.search.error = Some(e);
            }
        }
    }

    /// Runs the requested search to its end, waiting for the index and the worker (tests and benchmarks).
    pub fn finish_search(&mut self) {
        for _ in 0..4 {
            if let Some(Err(e)) = self.session.wait_for_index() {
                self.search.error = Some(e);
            }
            if self.search.run_requested {
                self.run_search();
            }
            if let Some(outcome) = self.session.wait_for_search() {
                self.apply_search(outcome);
            }
            if !self.search.run_requested && !self.session.indexing() {
                return;
            }
        }
    }

    /// Takes a finished index build, and reruns the search that waited for it.
    pub(super) fn poll_index(&mut self) {
        match self.session.poll_index(self.ctx.as_ref()) {
            Some(Ok(())) if self.search.results.is_some() => match self.search.similar_to {
                Some((document, range)) => {
                    self.meaning_command(crate::gui::meaning::MeaningCommand::FindSimilar {
                        document,
                        range,
                    })
                }
                None => self.search.run_requested = true,
            },
            Some(Ok(())) | None => {}
            Some(Err(e)) => self.search.error = Some(e),
        }
    }
}

/// Hands the heap pages a closed project freed back to the operating system. glibc's allocator otherwise keeps
/// them in the process: the frame bench measured 318 MB still resident after switching from a 35,000-document
/// project to the sample, with nothing left referring to the closed project.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[allow(unsafe_code)]
    {
        unsafe extern "C" {
            fn malloc_trim(pad: usize) -> std::ffi::c_int;
        }
        // SAFETY: malloc_trim takes no pointers and only returns free pages at the top of glibc's heaps (and
        // free whole pages inside them) to the kernel; it is safe to call at any time from any thread.
        unsafe {
            malloc_trim(0);
        }
    }
}

/// Caps glibc's allocator at one arena per core (at least two, at most eight) instead of its default eight per
/// core. Each worker thread (searches, index builds, analysis views) otherwise gets an arena of its own, and the
/// memory a closed project freed stays scattered over them where `malloc_trim` cannot return it: the frame bench
/// measured 35–45 MB of anonymous memory above the start after closing a 35,000-document project with the default,
/// and less than the start with two arenas. Called once at start-up, before the workers exist.
pub fn limit_allocator_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[allow(unsafe_code)]
    {
        /// glibc's `M_ARENA_MAX` parameter of `mallopt`.
        const M_ARENA_MAX: std::ffi::c_int = -8;
        unsafe extern "C" {
            fn mallopt(param: std::ffi::c_int, value: std::ffi::c_int) -> std::ffi::c_int;
        }
        let arenas = std::thread::available_parallelism()
            .map_or(2, std::num::NonZero::get)
            .clamp(2, 8) as std::ffi::c_int;
        // SAFETY: mallopt takes two integers and only changes a limit the allocator reads when a thread first
        // needs an arena; it is safe to call at any time.
        unsafe {
            mallopt(M_ARENA_MAX, arenas);
        }
    }
}
