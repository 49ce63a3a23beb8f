//! The workbench state (private, with accessors) and its frame: poll tasks, draw the shell, drain commands.

use std::collections::{BTreeSet, VecDeque};
use std::path::PathBuf;

use egui::Ui;

use crate::gui::analysis::{AnalysisInput, AnalysisState};
use crate::gui::cases_panel::CasesState;
use crate::gui::codebook_panel::CodebookState;
use crate::gui::commands::Command;
use crate::gui::documents_panel::DocumentsState;
use crate::gui::excerpts_panel::ExcerptsState;
use crate::gui::export_dialog::ExchangeState;
use crate::gui::import_dialog::ImportSummary;
use crate::gui::memos_panel::MemosState;
use crate::gui::picker::PickerState;
use crate::gui::search_panel::SearchState;
use crate::gui::session::{AfterClose, Session};
use crate::gui::tasks::{JobKind, Jobs};
use crate::gui::theme::{self, ThemeChoice};
use crate::gui::viewer::ViewerState;
use crate::ids::CodeId;
use crate::model::Project;
use crate::workspace::Workspace;

pub use crate::gui::session::AUTOSAVE_DELAY;

/// Commands handled in one frame at most; the rest wait for the next frame (so a command that keeps queueing
/// more cannot hang the UI, and none is dropped).
const COMMANDS_PER_FRAME: usize = 256;

/// Preferences kept in eframe's storage (never in the project).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Prefs {
    /// Recently opened project folders, newest first; the first is reopened at start-up.
    pub recent: Vec<PathBuf>,
    /// The coder name new codings and memos are recorded under (defaults to the login name).
    pub coder: String,
    /// The colour theme: follow the system, light or dark.
    pub theme: ThemeChoice,
    /// Whether a selection in the viewer snaps to whole words.
    pub snap_words: bool,
    /// Blind mode: only the current coder's codings, counts and excerpts are shown (until revealed).
    pub blind: bool,
    /// Whether the left panel (documents and codes) is shown.
    pub show_left: bool,
    /// Whether the right panel (search, excerpts, memos, case) is shown.
    pub show_right: bool,
    /// The interface language (View ▸ Language); by default the system locale's.
    pub language: crate::gui::locale::Lang,
}

impl Default for Prefs {
    fn default() -> Self {
        Self {
            recent: Vec::new(),
            coder: std::env::var("USER")
                .ok()
                .filter(|u| !u.is_empty() && u != "root")
                .unwrap_or_else(|| "researcher".into()),
            theme: ThemeChoice::System,
            snap_words: true,
            blind: false,
            show_left: true,
            show_right: true,
            language: crate::gui::locale::Lang::system(),
        }
    }
}

/// Where the shell put its parts in the last frame (screen coordinates), for tests of the layout.
#[derive(Clone, Copy, Debug)]
pub struct LayoutRects {
    /// The area between the menu bar and the status bar, where windows stay.
    pub work: egui::Rect,
    /// The left panel (documents and codes), when shown.
    pub left: Option<egui::Rect>,
    /// The right panel (search, excerpts, memos, case), when shown.
    pub right: Option<egui::Rect>,
    /// The centre: the open document.
    pub centre: egui::Rect,
}

impl Default for LayoutRects {
    fn default() -> Self {
        Self {
            work: egui::Rect::NOTHING,
            left: None,
            right: None,
            centre: egui::Rect::NOTHING,
        }
    }
}

/// The tabs of the right panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum RightTab {
    #[default]
    Search,
    Excerpts,
    Memos,
    Case,
}

/// Everything the workbench shows and edits.
pub struct Workbench {
    pub(super) session: Session,
    pub(super) prefs: Prefs,
    pub(super) viewer: ViewerState,
    pub(super) selected_codes: BTreeSet<CodeId>,
    pub(super) recent_codes: Vec<CodeId>,
    pub(super) search: SearchState,
    pub(super) excerpts: ExcerptsState,
    pub(super) memos: MemosState,
    pub(super) cases: CasesState,
    pub(super) documents: DocumentsState,
    pub(super) codebook: CodebookState,
    pub(super) picker: Option<PickerState>,
    pub(super) right_tab: RightTab,
    pub(super) import_summary: Option<ImportSummary>,
    /// The new-project window (after its folder was chosen), asking for the project's language.
    pub(super) new_project: Option<super::language::NewProjectDialog>,
    pub(super) analysis: AnalysisState,
    pub(super) exchange: ExchangeState,
    /// A document waiting for the user to confirm its removal.
    pub(super) confirm_remove: Option<crate::ids::DocumentId>,
    /// An error shown in red until dismissed.
    pub(super) error: Option<String>,
    /// A short notice ("Undone: …").
    pub(super) notice: Option<String>,
    /// Where the sample project lives (first run).
    pub(super) data_dir: Option<PathBuf>,
    /// A project whose lock was left by a program that is no longer running (asks before breaking it).
    pub(super) stale_lock: Option<PathBuf>,
    /// A close (or quit) waiting because the project could not be saved.
    pub(super) pending_close: Option<AfterClose>,
    /// The project is closed and the window may close.
    pub(super) quitting: bool,
    pub(super) jobs: Jobs,
    /// Which coder layers are shown, and blind mode's reveal.
    pub(super) layers: crate::gui::coders_panel::CoderLayers,
    /// Meaning search: the model, the vectors, their build and the suggestion queue.
    pub(super) meaning: crate::gui::meaning::MeaningState,
    /// The project revision combined with the coder layers shown: the cache key of every view that reads
    /// codings (set at the start of each frame).
    pub(super) layer_revision: u64,
    queue: VecDeque<Command>,
    /// Where the shell put its parts in the last frame.
    pub(super) layout: LayoutRects,
    installed: bool,
    title: String,
    /// The egui context, once the first frame ran (tasks wake the UI through it).
    pub(super) ctx: Option<egui::Context>,
}

impl Workbench {
    /// A workbench with no project open; `data_dir` is the user's data folder, under which the sample project
    /// is built (`None`: no sample).
    pub fn new(prefs: Prefs, data_dir: Option<PathBuf>) -> Self {
        crate::gui::locale::set_current(prefs.language);
        let mut viewer = ViewerState::new();
        viewer.snap_words = prefs.snap_words;
        Self {
            session: Session::default(),
            prefs,
            viewer,
            selected_codes: BTreeSet::new(),
            recent_codes: Vec::new(),
            search: SearchState::default(),
            excerpts: ExcerptsState::default(),
            memos: MemosState::default(),
            cases: CasesState::default(),
            documents: DocumentsState::default(),
            codebook: CodebookState::default(),
            picker: None,
            right_tab: RightTab::default(),
            import_summary: None,
            new_project: None,
            analysis: AnalysisState::default(),
            exchange: ExchangeState::default(),
            confirm_remove: None,
            error: None,
            notice: None,
            data_dir,
            stale_lock: None,
            pending_close: None,
            quitting: false,
            jobs: Jobs::default(),
            queue: VecDeque::new(),
            layers: Default::default(),
            meaning: Default::default(),
            layer_revision: 0,
            layout: LayoutRects::default(),
            installed: false,
            title: String::new(),
            ctx: None,
        }
    }

    /// Queues a command for the next drain (the end of the next frame).
    pub fn queue(&mut self, command: Command) {
        self.queue.push_back(command);
    }

    /// Commands still waiting to be handled.
    pub fn queued(&self) -> usize {
        self.queue.len()
    }

    /// Blocks until background indexing and importing are done, and queues what they delivered (tests and
    /// benchmarks).
    pub fn wait_for_background(&mut self) {
        if let Some(Err(e)) = self.session.wait_for_index() {
            self.search.error = Some(e);
        }
        let finished = self.jobs.wait(JobKind::Import);
        self.queue.extend(finished);
    }

    /// Blocks until the analysis views' computations in flight are done; the next frame shows their results
    /// (tests and benchmarks).
    pub fn finish_analysis(&mut self) {
        self.analysis.wait();
    }

    /// Commits open drafts and saves; called when the app exits.
    pub fn on_exit(&mut self) {
        self.save_now();
    }

    /// Draws one frame of the workbench.
    pub fn ui(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        // The one place the interface language is set from (the preferences), every frame.
        crate::gui::locale::set_current(self.prefs.language);
        if !self.installed {
            self.ctx = Some(ctx.clone());
            theme::install(&ctx, self.prefs.theme);
            self.installed = true;
            ctx.request_repaint();
            return;
        }
        self.poll_index();
        self.poll_search();
        self.poll_meaning();
        let finished = self.jobs.poll();
        self.queue.extend(finished);
        let mut commands = Vec::new();
        self.shell_ui(ui, &mut commands);
        self.queue.extend(commands);
        self.drain(&ctx);
        if self.search.run_requested && !self.session.indexing() {
            self.run_search();
        }
        self.intercept_close(&ctx);
        self.autosave(&ctx);
        if self.jobs.busy() || self.session.indexing() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
        self.update_title(&ctx);
    }

    /// Handles queued commands (and those they queue) until the queue is empty or the frame's budget is spent;
    /// what is left waits for the next frame.
    fn drain(&mut self, ctx: &egui::Context) {
        let mut handled = 0;
        while let Some(command) = self.queue.pop_front() {
            self.handle(command);
            handled += 1;
            if handled == COMMANDS_PER_FRAME {
                ctx.request_repaint();
                break;
            }
        }
    }

    /// A close of the window first commits drafts and closes the project; when the save fails the window stays.
    fn intercept_close(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.viewport().close_requested()) && !self.quitting {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.close_then(AfterClose::Quit);
        }
        if self.quitting {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let title = crate::gui::strings::title(self.project().map(|p| p.meta().name.as_str()));
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    /// What the analysis views read, with their state (tests call the views' methods with it; their results are
    /// waited for, not computed in the background).
    pub fn analysis_parts(&mut self) -> Option<(&mut AnalysisState, AnalysisInput<'_>)> {
        let ws = self.session.workspace()?;
        let coders = self
            .layers
            .selection(ws.project(), self.prefs.blind, &self.prefs.coder);
        let input = AnalysisInput {
            project: ws.project(),
            revision: crate::gui::coders_panel::layered(ws.revision(), &coders),
            blind: self.prefs.blind && !self.layers.revealed,
            coders,
            selected_codes: &self.selected_codes,
            index: self.session.index(),
            worker: crate::gui::analysis::Worker {
                snapshot: ws.project_snapshot(),
                ctx: None,
                wait: true,
            },
        };
        Some((&mut self.analysis, input))
    }
}

/// Read access for tests, benchmarks and the eframe wrapper.
impl Workbench {
    /// The open project with its history and pending saves, if a project is open.
    pub fn workspace(&self) -> Option<&Workspace> {
        self.session.workspace()
    }

    /// The open project's model, if a project is open.
    pub fn project(&self) -> Option<&Project> {
        self.session.project()
    }

    /// The preferences (recent projects, coder name, theme, word snapping).
    pub fn prefs(&self) -> &Prefs {
        &self.prefs
    }

    /// The document viewer's state: the open document, the selection, and what to flash or scroll to.
    pub fn viewer(&self) -> &ViewerState {
        &self.viewer
    }

    /// The document viewer's state, to change (tests set a selection through it).
    pub fn viewer_mut(&mut self) -> &mut ViewerState {
        &mut self.viewer
    }

    /// The codes selected in the codebook.
    pub fn selected_codes(&self) -> &BTreeSet<CodeId> {
        &self.selected_codes
    }

    /// Selects these codes in the codebook.
    pub fn select_codes(&mut self, codes: impl IntoIterator<Item = CodeId>) {
        self.selected_codes = codes.into_iter().collect();
    }

    /// The codes applied most recently, newest first; the digit keys apply them.
    pub fn recent_codes(&self) -> &[CodeId] {
        &self.recent_codes
    }

    /// The Search tab's state: the query and its results.
    pub fn search(&self) -> &SearchState {
        &self.search
    }

    /// True while the code picker is shown.
    pub fn picker_open(&self) -> bool {
        self.picker.is_some()
    }

    /// The Memos tab's state: the open memo and its unsaved draft.
    pub fn memos(&self) -> &MemosState {
        &self.memos
    }

    /// The codebook panel's state, to change (the new-code field, renaming, where to scroll).
    pub fn codebook_mut(&mut self) -> &mut CodebookState {
        &mut self.codebook
    }

    /// The Excerpts tab's list for the selected codes.
    pub fn current_excerpts(&mut self) -> Vec<crate::retrieve::Excerpt> {
        let Some(ws) = self.session.workspace() else {
            return Vec::new();
        };
        let revision = crate::gui::coders_panel::layered(ws.revision(), &self.excerpts.shown);
        self.excerpts
            .current(ws.project(), revision, &self.selected_codes)
            .to_vec()
    }

    /// True while the summary of the last import is shown.
    pub fn import_summary_open(&self) -> bool {
        self.import_summary.is_some()
    }

    /// True while an import runs in the background.
    pub fn importing(&self) -> bool {
        self.jobs.running(JobKind::Import)
    }

    /// True while the search index is being built or updated in the background.
    pub fn indexing(&self) -> bool {
        self.session.indexing()
    }

    /// The analysis views' state (which are open, their settings and results).
    pub fn analysis(&self) -> &AnalysisState {
        &self.analysis
    }

    /// The analysis views' state, to change (tests set a view's options through it).
    pub fn analysis_mut(&mut self) -> &mut AnalysisState {
        &mut self.analysis
    }

    /// The state of the export and exchange windows (excerpt export, import reports).
    pub fn exchange(&self) -> &ExchangeState {
        &self.exchange
    }

    /// The error shown to the user, until dismissed.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The latest short notice in the status bar (for example "Undone: …").
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    /// True when a close or quit waits for the user's answer after a failed save.
    pub fn close_pending(&self) -> bool {
        self.pending_close.is_some()
    }

    /// Where the shell put the work area, the side panels and the centre in the last frame.
    pub fn layout_rects(&self) -> LayoutRects {
        self.layout
    }

    /// True once the project was closed for quitting and the window may close.
    pub fn quitting(&self) -> bool {
        self.quitting
    }
}
