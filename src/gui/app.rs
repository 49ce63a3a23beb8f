//! The workbench state and its frame: panels return commands, drained once per frame; edits go through the
//! workspace (undo, autosave debounced after the last edit); background work (index, import, dialogs) runs on
//! worker threads and reports over channels.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use egui::{Key, RichText, Ui};

use crate::edit::Edit;
use crate::gui::analysis::{AnalysisInput, AnalysisState, View};
use crate::gui::cases_panel::{self, CasesState};
use crate::gui::codebook_panel::{self, CodebookState};
use crate::gui::commands::{ACTIONS, Action, Command, Menu, PickTarget, spec_of};
use crate::gui::documents_panel::{self, DocumentsState};
use crate::gui::excerpts_panel::{self, ExcerptsState};
use crate::gui::export_dialog::{self, ExchangeState};
use crate::gui::import_dialog::{self, ImportJob, ImportSummary};
use crate::gui::memos_panel::{self, MemosState};
use crate::gui::picker::{self, PickerState};
use crate::gui::search_panel::{self, SearchState};
use crate::gui::strings as s;
use crate::gui::theme::{self, ThemeChoice};
use crate::gui::viewer::{Selection, ViewerInput, ViewerState};
use crate::ids::{CodeId, CoderId};
use crate::index::SearchIndex;
use crate::model::MemoTarget;
use crate::offsets::CharRange;
use crate::ops::{self, CodeChoice};
use crate::workspace::Workspace;

/// How long after the last edit the project is saved.
pub const AUTOSAVE_DELAY: Duration = Duration::from_millis(500);
/// Recent codes kept for the digit keys.
const RECENT_CODES: usize = 9;
/// Recent projects kept.
const RECENT_PROJECTS: usize = 8;

/// Preferences kept in eframe's storage (never in the project).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Prefs {
    pub recent: Vec<PathBuf>,
    pub coder: String,
    pub theme: ThemeChoice,
    pub snap_words: bool,
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

/// The search index, built or brought up to date off the UI thread.
enum IndexState {
    None,
    Building(Receiver<crate::Result<SearchIndex>>),
    Ready(Box<SearchIndex>),
    Failed,
}

/// Everything the workbench shows and edits.
pub struct Workbench {
    pub ws: Option<Workspace>,
    pub prefs: Prefs,
    pub viewer: ViewerState,
    pub selected_codes: BTreeSet<CodeId>,
    pub recent_codes: Vec<CodeId>,
    pub search: SearchState,
    pub excerpts: ExcerptsState,
    pub memos: MemosState,
    pub cases: CasesState,
    pub documents: DocumentsState,
    pub codebook: CodebookState,
    pub picker: Option<PickerState>,
    pub right_tab: RightTab,
    pub import_job: Option<ImportJob>,
    pub import_summary: Option<ImportSummary>,
    /// The analysis views (Analysis menu).
    pub analysis: AnalysisState,
    /// Excerpt export, REFI-QDA project and codebook exchange (File and Code menus).
    pub exchange: ExchangeState,
    /// An error shown in red until dismissed.
    pub error: Option<String>,
    /// A short notice ("Undone: …").
    pub notice: Option<String>,
    /// Where the sample project lives (first run).
    pub data_dir: Option<PathBuf>,
    /// A project whose lock was left by a program that is no longer running (asks before breaking it).
    pub stale_lock: Option<PathBuf>,
    index: IndexState,
    index_dirty: bool,
    inbox: Receiver<Command>,
    outbox: Sender<Command>,
    save_due: Option<Instant>,
    installed: bool,
    title: String,
    /// The egui context, once the first frame ran (wakes the UI for the autosave).
    ctx: Option<egui::Context>,
}

impl Workbench {
    pub fn new(prefs: Prefs, data_dir: Option<PathBuf>) -> Self {
        let (outbox, inbox) = channel();
        let mut viewer = ViewerState::new();
        viewer.snap_words = prefs.snap_words;
        Self {
            ws: None,
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
            import_job: None,
            import_summary: None,
            analysis: AnalysisState::default(),
            exchange: ExchangeState::default(),
            error: None,
            notice: None,
            data_dir,
            stale_lock: None,
            index: IndexState::None,
            index_dirty: false,
            inbox,
            outbox,
            save_due: None,
            installed: false,
            title: String::new(),
            ctx: None,
        }
    }

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
            if self.ws.is_some() {
                return;
            }
        }
        self.open_sample();
    }

    /// Opens the sample project, building it first when it is missing.
    pub fn open_sample(&mut self) {
        let Some(dir) = self.sample_dir() else {
            self.error = Some("no data folder for the sample project".into());
            return;
        };
        if !dir.join("marginalia.ron").exists() {
            if let Some(parent) = dir.parent()
                && let Err(e) = std::fs::create_dir_all(parent)
            {
                self.error = Some(format!("{}: {e}", parent.display()));
                return;
            }
            if let Err(e) = crate::sample::build(&dir) {
                self.error = Some(e.to_string());
                return;
            }
        }
        self.open_project(&dir);
    }

    /// Opens a project (saving and closing the current one first).
    pub fn open_project(&mut self, root: &Path) {
        self.close_project();
        match Workspace::open(root) {
            Ok(ws) => {
                let root = ws.root().to_path_buf();
                self.prefs.recent.retain(|p| p != &root);
                self.prefs.recent.insert(0, root);
                self.prefs.recent.truncate(RECENT_PROJECTS);
                let first_doc = ws.project().documents_sorted().first().map(|d| d.id);
                self.ws = Some(ws);
                if let Some(doc) = first_doc {
                    self.viewer.open(doc);
                }
                self.start_index();
                self.error = None;
            }
            Err(crate::Error::StaleLock { .. }) => self.stale_lock = Some(root.to_path_buf()),
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// Breaks a stale lock (its owner is gone) and opens the project.
    pub fn unlock_and_open(&mut self, root: &Path) {
        let lock = crate::store::Layout::new(root).lock_file();
        match crate::store::lock::ProjectLock::break_stale(&lock) {
            Ok(_) => self.open_project(root),
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// Creates a new project folder and opens it.
    pub fn create_project(&mut self, root: &Path) {
        self.close_project();
        let name = root
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "Project".into());
        match Workspace::create(root, &name, crate::model::Language::Nb) {
            Ok(ws) => {
                drop(ws);
                self.open_project(root);
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// Saves and closes the current project.
    pub fn close_project(&mut self) {
        self.save_now();
        self.ws = None;
        self.index = IndexState::None;
        self.viewer.close();
        self.selected_codes.clear();
        self.recent_codes.clear();
        self.search.clear();
        self.picker = None;
        self.memos = MemosState::default();
    }

    fn start_index(&mut self) {
        let Some(ws) = &self.ws else { return };
        let project = ws.project().clone();
        let dir = ws.index_dir();
        let (tx, rx) = channel();
        let previous = std::mem::replace(&mut self.index, IndexState::None);
        std::thread::spawn(move || {
            let result = match previous {
                IndexState::Ready(mut index) => index.sync(&project).map(|_| *index),
                _ => {
                    drop(previous);
                    SearchIndex::for_project(&dir, &project)
                }
            };
            let _ = tx.send(result);
        });
        self.index = IndexState::Building(rx);
        self.index_dirty = false;
    }

    /// True while the index is being built.
    pub fn indexing(&self) -> bool {
        matches!(self.index, IndexState::Building(_))
    }

    /// Blocks until background indexing and importing are done (tests and benchmarks).
    pub fn wait_for_background(&mut self) {
        if let IndexState::Building(rx) = &self.index {
            self.index = match rx.recv() {
                Ok(Ok(index)) => IndexState::Ready(Box::new(index)),
                Ok(Err(e)) => {
                    self.search.error = Some(e.to_string());
                    IndexState::Failed
                }
                Err(_) => IndexState::Failed,
            };
        }
        if let Some(mut job) = self.import_job.take()
            && let Some(done) = job.wait()
        {
            self.finish_import(done);
        }
    }

    fn poll_background(&mut self, ctx: &egui::Context) {
        if let IndexState::Building(rx) = &self.index {
            match rx.try_recv() {
                Ok(Ok(index)) => {
                    self.index = IndexState::Ready(Box::new(index));
                    if self.search.run_requested || self.search.results.is_some() {
                        self.search.run_requested = true;
                    }
                }
                Ok(Err(e)) => {
                    self.search.error = Some(e.to_string());
                    self.index = IndexState::Failed;
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => {
                    ctx.request_repaint_after(Duration::from_millis(100));
                }
                Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                    self.index = IndexState::Failed;
                }
            }
        }
        if let Some(job) = self.import_job.as_mut() {
            if let Some(done) = job.poll() {
                self.import_job = None;
                self.finish_import(done);
            } else {
                ctx.request_repaint_after(Duration::from_millis(100));
            }
        }
        for outcome in self.exchange.poll() {
            export_dialog::finish(self, outcome);
        }
        if self.index_dirty && matches!(self.index, IndexState::Ready(_)) {
            self.start_index();
        }
    }

    fn finish_import(&mut self, done: import_dialog::Finished) {
        if let Some(edit) = done.edit {
            self.apply(edit);
            self.index_dirty = true;
            if let Some(first) = done.report.imported.first() {
                self.viewer.open(first.document);
            }
        }
        self.import_summary = Some(ImportSummary::new(done.report));
    }

    /// The current coder's id, if they exist in the project yet.
    pub fn coder_id(&self) -> Option<CoderId> {
        self.ws
            .as_ref()
            .and_then(|ws| ws.project().find_coder(&self.prefs.coder))
            .map(|c| c.id)
    }

    /// Applies an edit through the workspace (undoable) and schedules the autosave.
    pub fn apply(&mut self, edit: Edit) -> bool {
        let Some(ws) = self.ws.as_mut() else {
            return false;
        };
        match ws.apply(edit) {
            Ok(label) => {
                self.notice = Some(label);
                self.schedule_save();
                true
            }
            Err(e) => {
                self.error = Some(e.to_string());
                false
            }
        }
    }

    pub fn undo(&mut self) {
        let Some(ws) = self.ws.as_mut() else { return };
        match ws.undo() {
            Ok(Some(label)) => {
                self.notice = Some(s::undone(&label));
                self.schedule_save();
            }
            Ok(None) => {}
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    pub fn redo(&mut self) {
        let Some(ws) = self.ws.as_mut() else { return };
        match ws.redo() {
            Ok(Some(label)) => {
                self.notice = Some(s::redone(&label));
                self.schedule_save();
            }
            Ok(None) => {}
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// Saves after [`AUTOSAVE_DELAY`] unless another edit comes first; a timer thread wakes the UI then.
    fn schedule_save(&mut self) {
        self.save_due = Some(Instant::now() + AUTOSAVE_DELAY);
        if let Some(ctx) = self.ctx.clone() {
            std::thread::spawn(move || {
                std::thread::sleep(AUTOSAVE_DELAY + Duration::from_millis(20));
                ctx.request_repaint();
            });
        }
    }

    /// Writes pending changes now.
    pub fn save_now(&mut self) {
        self.save_due = None;
        if let Some(ws) = self.ws.as_mut()
            && ws.is_dirty()
            && let Err(e) = ws.save()
        {
            self.error = Some(e.to_string());
        }
    }

    fn autosave(&mut self, ctx: &egui::Context) {
        if let Some(due) = self.save_due {
            let now = Instant::now();
            if now >= due {
                self.save_now();
            } else {
                ctx.request_repaint_after(due - now);
            }
        }
    }

    /// Runs the search in the Search tab (syncing the index with the project first).
    pub fn run_search(&mut self) {
        self.search.run_requested = false;
        let Some(ws) = &self.ws else { return };
        let IndexState::Ready(index) = &mut self.index else {
            // Runs when the index is ready.
            self.search.run_requested = self.indexing();
            return;
        };
        if let Err(e) = index.sync(ws.project()) {
            self.search.error = Some(e.to_string());
            return;
        }
        let query = self.search.query.trim();
        if query.is_empty() {
            self.search.clear();
            return;
        }
        let result = if self.search.regex {
            crate::query::regex_search(index, ws.project(), query, None, false, None)
        } else {
            crate::query::search(index, ws.project(), query, None)
        };
        match result {
            Ok(results) => self.search.set_results(results),
            Err(e) => {
                self.search.clear();
                self.search.error = Some(e.to_string());
            }
        }
    }

    fn push_recent_code(&mut self, code: CodeId) {
        self.recent_codes.retain(|c| *c != code);
        self.recent_codes.insert(0, code);
        self.recent_codes.truncate(RECENT_CODES);
    }

    fn selection_target(&self) -> Option<(crate::ids::DocumentId, CharRange)> {
        Some((self.viewer.document?, self.viewer.selected_range()?))
    }

    /// Handles one command.
    pub fn handle(&mut self, command: Command, ctx: &egui::Context) {
        match command {
            Command::Action(action) => self.action(action, ctx),
            Command::Apply(edit) => {
                self.apply(edit);
            }
            Command::OpenDocument(doc) => self.viewer.open(doc),
            Command::Jump { document, range } => {
                self.viewer.open(document);
                self.viewer.selection = Some(Selection::of(range));
                self.viewer.scroll_to = Some(range.start);
                let now = ctx.input(|i| i.time);
                self.viewer.flash = Some((range, now + 1.6));
            }
            Command::SelectCode { code, additive } => {
                if additive {
                    if !self.selected_codes.remove(&code) {
                        self.selected_codes.insert(code);
                    }
                } else {
                    self.selected_codes = BTreeSet::from([code]);
                }
            }
            Command::OpenPicker(target) => {
                if target == PickTarget::Selection && self.selection_target().is_none() {
                    self.notice = Some(s::NO_SELECTION.into());
                } else {
                    self.picker = Some(PickerState::new(target));
                }
            }
            Command::CodeWith { target, code } => self.code_with(target, code),
            Command::CreateAndCode { target, name } => self.create_and_code(target, &name),
            Command::ApplyRecent(n) => {
                if let Some(code) = self.recent_codes.get(n).copied() {
                    self.code_with(PickTarget::Selection, code);
                }
            }
            Command::RemoveCoding(id) => {
                if let Some(ws) = &self.ws {
                    match ops::remove_coding(ws.project(), id) {
                        Ok(edit) => drop(self.apply(edit)),
                        Err(e) => self.notice = Some(e.to_string()),
                    }
                }
            }
            Command::SetCodingBounds(id) => {
                if let (Some(ws), Some(range)) = (&self.ws, self.viewer.selected_range())
                    && let Ok(edit) = ops::set_bounds(ws.project(), id, range)
                {
                    self.apply(edit);
                }
            }
            Command::AddCodingMemo(id) => self.new_memo(MemoTarget::Coding(id)),
            Command::NewMemo(target) => self.new_memo(target),
            Command::OpenMemo(id) => {
                self.memos.open = Some(id);
                self.right_tab = RightTab::Memos;
            }
            Command::OpenProject(path) => self.open_project(&path),
            Command::CreateProject(path) => self.create_project(&path),
            Command::ImportPaths(paths) => {
                if let Some(ws) = &self.ws
                    && self.import_job.is_none()
                    && !paths.is_empty()
                {
                    self.import_job =
                        Some(ImportJob::start(ws.project().clone(), paths, ctx.clone()));
                }
            }
            Command::ImportCasesCsv(path) => {
                if let Some(ws) = &self.ws {
                    match crate::sample::cases_from_csv(ws.project(), &path) {
                        Ok(edit) => {
                            if self.apply(edit) {
                                self.index_dirty = true;
                            }
                        }
                        Err(e) => self.error = Some(e.to_string()),
                    }
                }
            }
            Command::Error(e) => self.error = Some(e),
        }
    }

    /// Writes a new, untitled memo (its author: the coder name in the preferences) and opens it.
    fn new_memo(&mut self, target: MemoTarget) {
        let Some(ws) = &self.ws else { return };
        let added = ops::add_memo(
            ws.project(),
            target,
            s::UNTITLED_MEMO,
            "",
            &self.prefs.coder,
        );
        match added {
            Ok((memo, edit)) => {
                if self.apply(edit) {
                    self.memos.open = Some(memo);
                    self.right_tab = RightTab::Memos;
                }
            }
            Err(e) => self.notice = Some(e.to_string()),
        }
    }

    fn code_with(&mut self, target: PickTarget, code: CodeId) {
        self.code_target(target, CodeChoice::Existing(code), false);
    }

    fn create_and_code(&mut self, target: PickTarget, name: &str) {
        self.code_target(target, CodeChoice::Path(name), true);
    }

    /// Codes the picker's target (the selection, every search hit, or one coding) through the core's ops.
    fn code_target(&mut self, target: PickTarget, choice: CodeChoice, reveal: bool) {
        let Some(ws) = &self.ws else { return };
        let project = ws.project();
        let coder = self.prefs.coder.as_str();
        let result = match &target {
            PickTarget::Selection => match self.selection_target() {
                Some(passage) => ops::code_with(project, choice, &[passage], coder, None)
                    .map_err(|e| e.to_string()),
                None => Err(s::NO_SELECTION.into()),
            },
            PickTarget::AllHits(unit) => match &self.search.results {
                Some(results) => {
                    let passages = ops::hit_passages(project, &results.hits, *unit);
                    ops::code_with(project, choice, &passages, coder, None)
                        .map_err(|e| e.to_string())
                }
                None => Err("run a search first".into()),
            },
            PickTarget::Coding(id) => ops::recode(project, *id, choice).map_err(|e| e.to_string()),
        };
        match result {
            Ok(coded) => {
                if self.apply(coded.edit) {
                    self.push_recent_code(coded.code);
                    if reveal {
                        self.codebook.scroll_to = Some(coded.code);
                    }
                }
            }
            Err(e) => self.notice = Some(e),
        }
    }

    fn action(&mut self, action: Action, ctx: &egui::Context) {
        match action {
            Action::NewProject => self.spawn_dialog(ctx, || {
                rfd::FileDialog::new()
                    .set_title(s::NEW_PROJECT)
                    .set_file_name("New study")
                    .save_file()
                    .map(Command::CreateProject)
            }),
            Action::OpenProject => self.spawn_dialog(ctx, || {
                rfd::FileDialog::new()
                    .set_title(s::OPEN_PROJECT)
                    .pick_folder()
                    .map(Command::OpenProject)
            }),
            Action::OpenSample => self.open_sample(),
            Action::Save => self.save_now(),
            Action::ImportDocuments => self.spawn_dialog(ctx, || {
                rfd::FileDialog::new()
                    .set_title(s::IMPORT_DOCUMENTS)
                    .add_filter("Text", crate::import::SUPPORTED_EXTENSIONS)
                    .pick_files()
                    .map(Command::ImportPaths)
            }),
            Action::ImportFolder => self.spawn_dialog(ctx, || {
                rfd::FileDialog::new()
                    .set_title(s::IMPORT_FOLDER)
                    .pick_folder()
                    .map(|p| Command::ImportPaths(vec![p]))
            }),
            Action::ImportCasesCsv => self.spawn_dialog(ctx, || {
                rfd::FileDialog::new()
                    .set_title(s::IMPORT_CASES_CSV)
                    .add_filter("CSV", &["csv", "txt"])
                    .pick_file()
                    .map(Command::ImportCasesCsv)
            }),
            Action::ShowCases => self.cases.window_open = true,
            Action::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            Action::Undo => self.undo(),
            Action::Redo | Action::RedoAlt => self.redo(),
            Action::CodeSelection | Action::CodeSelectionAlt => {
                self.handle(Command::OpenPicker(PickTarget::Selection), ctx);
            }
            Action::InVivo => {
                let Some(ws) = &self.ws else { return };
                match self.selection_target() {
                    Some((doc, range)) => {
                        match ops::in_vivo(ws.project(), doc, range, &self.prefs.coder) {
                            Ok(coded) => {
                                if self.apply(coded.edit) {
                                    self.push_recent_code(coded.code);
                                    self.codebook.scroll_to = Some(coded.code);
                                }
                            }
                            Err(e) => self.notice = Some(e.to_string()),
                        }
                    }
                    None => self.notice = Some(s::NO_SELECTION.into()),
                }
            }
            Action::ClearSelection => self.viewer.selection = None,
            Action::Find => {
                self.right_tab = RightTab::Search;
                self.search.focus_requested = true;
            }
            Action::ToggleTheme => {
                self.prefs.theme = self.prefs.theme.next();
                ctx.set_theme(self.prefs.theme.preference());
            }
            Action::ToggleSnapWords => {
                self.prefs.snap_words = !self.prefs.snap_words;
                self.viewer.snap_words = self.prefs.snap_words;
            }
            Action::OpenMatrix => self.analysis.open(View::Matrix),
            Action::OpenCooccurrence => self.analysis.open(View::Cooccurrence),
            Action::OpenChart => self.analysis.open(View::Chart),
            Action::OpenQueryBuilder => self.analysis.open(View::Query),
            Action::OpenWords => self.analysis.open(View::Words),
            Action::ExportExcerpts
            | Action::ExportQdpx
            | Action::ImportQdpx
            | Action::ExportQdc
            | Action::ImportQdc => export_dialog::start(self, action, ctx),
        }
    }

    /// Runs a native dialog on a worker thread; its answer comes back as a command.
    fn spawn_dialog(
        &self,
        ctx: &egui::Context,
        dialog: impl FnOnce() -> Option<Command> + Send + 'static,
    ) {
        let tx = self.outbox.clone();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            if let Some(command) = dialog() {
                let _ = tx.send(command);
                ctx.request_repaint();
            }
        });
    }

    fn shortcuts(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        if self.picker.is_some() || self.codebook.confirm_delete.is_some() {
            return;
        }
        let text_focus = ctx.text_edit_focused();
        let with_shift = ACTIONS
            .iter()
            .filter(|a| a.shortcut.is_some_and(|k| k.modifiers.shift));
        let without = ACTIONS
            .iter()
            .filter(|a| a.shortcut.is_some_and(|k| !k.modifiers.shift));
        for spec in with_shift.chain(without) {
            let Some(shortcut) = spec.shortcut else {
                continue;
            };
            if (spec.global || !text_focus) && ctx.input_mut(|i| i.consume_shortcut(&shortcut)) {
                commands.push(Command::Action(spec.action));
            }
        }
        if text_focus {
            return;
        }
        const DIGITS: [Key; 9] = [
            Key::Num1,
            Key::Num2,
            Key::Num3,
            Key::Num4,
            Key::Num5,
            Key::Num6,
            Key::Num7,
            Key::Num8,
            Key::Num9,
        ];
        if self.viewer.selected_range().is_some() {
            for (n, key) in DIGITS.iter().enumerate() {
                if ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, *key)) {
                    commands.push(Command::ApplyRecent(n));
                }
            }
        }
        if let Some(ws) = &self.ws {
            self.viewer.keyboard(ctx, ws.project());
        }
    }

    fn handle_dropped_files(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        let paths: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if !paths.is_empty() {
            commands.push(Command::ImportPaths(paths));
        }
    }

    /// Draws one frame of the workbench.
    pub fn ui(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        if !self.installed {
            self.ctx = Some(ctx.clone());
            theme::install(&ctx, self.prefs.theme);
            self.installed = true;
            ctx.request_repaint();
            return;
        }
        self.poll_background(&ctx);
        let mut commands: Vec<Command> = self.inbox.try_iter().collect();
        self.handle_dropped_files(&ctx, &mut commands);
        self.shortcuts(&ctx, &mut commands);

        egui::Panel::top("menu").show(ui, |ui| self.menu_ui(ui, &mut commands));
        egui::Panel::bottom("status").show(ui, |ui| self.status_ui(ui, &mut commands));
        if self.ws.is_some() {
            egui::Panel::left("left")
                .resizable(true)
                .default_size(300.0)
                .size_range(200.0..=560.0)
                .show(ui, |ui| self.left_ui(ui, &mut commands));
            egui::Panel::right("right")
                .resizable(true)
                .default_size(400.0)
                .size_range(260.0..=760.0)
                .show(ui, |ui| self.right_ui(ui, &mut commands));
        }
        egui::CentralPanel::default().show(ui, |ui| self.centre_ui(ui, &mut commands));
        self.windows_ui(&ctx, &mut commands);

        // Drain: commands may queue more (bounded, so a loop can't hang the frame).
        for _ in 0..8 {
            if commands.is_empty() {
                break;
            }
            for command in std::mem::take(&mut commands) {
                self.handle(command, &ctx);
            }
            commands.extend(self.inbox.try_iter());
        }
        if self.search.run_requested && !self.indexing() {
            self.run_search();
        }
        if ctx.input(|i| i.viewport().close_requested()) {
            self.save_now();
        }
        self.autosave(&ctx);
        self.update_title(&ctx);
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let title = s::title(self.ws.as_ref().map(|w| w.project().meta().name.as_str()));
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    fn menu_ui(&mut self, ui: &mut Ui, commands: &mut Vec<Command>) {
        egui::MenuBar::new().ui(ui, |ui| {
            for (menu, title) in [
                (Menu::File, s::MENU_FILE),
                (Menu::Edit, s::MENU_EDIT),
                (Menu::Code, s::MENU_CODE),
                (Menu::View, s::MENU_VIEW),
                (Menu::Analysis, s::MENU_ANALYSIS),
            ] {
                ui.menu_button(title, |ui| {
                    for spec in ACTIONS.iter().filter(|a| a.menu == menu) {
                        let label = match spec.action {
                            Action::Undo => s::undo_label(
                                self.ws.as_ref().and_then(|w| w.history().undo_label()),
                            ),
                            Action::Redo => s::redo_label(
                                self.ws.as_ref().and_then(|w| w.history().redo_label()),
                            ),
                            Action::ToggleTheme => {
                                format!("{} ({})", s::THEME_SWITCH, self.prefs.theme.label())
                            }
                            _ => spec.label.to_string(),
                        };
                        let enabled = match spec.action {
                            Action::Undo => self
                                .ws
                                .as_ref()
                                .is_some_and(|w| w.history().undo_label().is_some()),
                            Action::Redo => self
                                .ws
                                .as_ref()
                                .is_some_and(|w| w.history().redo_label().is_some()),
                            Action::CodeSelection | Action::InVivo | Action::ClearSelection => {
                                self.viewer.selected_range().is_some()
                            }
                            Action::NewProject
                            | Action::OpenProject
                            | Action::OpenSample
                            | Action::ImportQdpx
                            | Action::Quit => true,
                            Action::ToggleTheme => true,
                            _ => self.ws.is_some(),
                        };
                        if spec.action == Action::ToggleSnapWords {
                            let mut on = self.prefs.snap_words;
                            if ui.checkbox(&mut on, spec.label).clicked() {
                                commands.push(Command::Action(spec.action));
                                ui.close();
                            }
                            continue;
                        }
                        let mut button = egui::Button::new(label);
                        if let Some(shortcut) = spec.shortcut {
                            button = button.shortcut_text(ui.ctx().format_shortcut(&shortcut));
                        }
                        if ui.add_enabled(enabled, button).clicked() {
                            commands.push(Command::Action(spec.action));
                            ui.close();
                        }
                    }
                    if menu == Menu::File && !self.prefs.recent.is_empty() {
                        ui.separator();
                        ui.menu_button(s::MENU_RECENT, |ui| {
                            for path in &self.prefs.recent {
                                if ui.button(path.display().to_string()).clicked() {
                                    commands.push(Command::OpenProject(path.clone()));
                                    ui.close();
                                }
                            }
                        });
                    }
                });
            }
        });
    }

    fn status_ui(&mut self, ui: &mut Ui, commands: &mut Vec<Command>) {
        let dark = ui.visuals().dark_mode;
        ui.horizontal(|ui| {
            match &self.ws {
                None => {
                    ui.label(s::NO_PROJECT);
                }
                Some(ws) => {
                    let state = if self.save_due.is_some() {
                        s::SAVING
                    } else if ws.is_dirty() {
                        s::UNSAVED
                    } else {
                        s::SAVED
                    };
                    ui.label(RichText::new(state).color(theme::muted(dark)));
                }
            }
            if let Some(error) = self.error.clone() {
                ui.separator();
                ui.label(
                    RichText::new(error)
                        .color(theme::error_colour(dark))
                        .strong(),
                );
                if ui.small_button(s::DISMISS).clicked() {
                    self.error = None;
                }
            } else if let Some(notice) = &self.notice {
                ui.separator();
                ui.label(RichText::new(notice).color(theme::muted(dark)));
            }
            if let Some(job) = &self.import_job {
                ui.separator();
                import_dialog::progress_ui(ui, job);
            }
            if self.indexing() {
                ui.separator();
                ui.spinner();
                ui.label(RichText::new(s::INDEXING).color(theme::muted(dark)));
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if let Some(range) = self.viewer.selected_range() {
                    ui.label(s::selection_length(range.len()));
                    ui.separator();
                }
                if let Some(doc) = self
                    .viewer
                    .document
                    .and_then(|d| self.ws.as_ref()?.project().documents().get(&d))
                {
                    ui.label(RichText::new(&doc.name).strong());
                    ui.separator();
                }
                ui.menu_button(s::coder_is(&self.prefs.coder), |ui| {
                    let label = ui.label(s::CODER);
                    ui.text_edit_singleline(&mut self.prefs.coder)
                        .labelled_by(label.id);
                });
            });
        });
        let _ = commands;
    }

    fn left_ui(&mut self, ui: &mut Ui, commands: &mut Vec<Command>) {
        let Some(ws) = &self.ws else { return };
        let height = ui.available_height();
        egui::Panel::top("documents-section")
            .resizable(true)
            .default_size(height * 0.42)
            .size_range(120.0..=(height - 160.0).max(140.0))
            .show(ui, |ui| {
                ui.add_space(4.0);
                ui.heading(s::DOCUMENTS);
                documents_panel::documents_ui(
                    ui,
                    ws.project(),
                    ws.revision(),
                    self.viewer.document,
                    &mut self.documents,
                    commands,
                );
            });
        ui.add_space(6.0);
        ui.heading(s::CODEBOOK);
        codebook_panel::codebook_ui(
            ui,
            ws.project(),
            ws.revision(),
            &self.selected_codes,
            &mut self.codebook,
            commands,
        );
    }

    fn right_ui(&mut self, ui: &mut Ui, commands: &mut Vec<Command>) {
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            for (tab, label) in [
                (RightTab::Search, s::TAB_SEARCH),
                (RightTab::Excerpts, s::TAB_EXCERPTS),
                (RightTab::Memos, s::TAB_MEMOS),
                (RightTab::Case, s::TAB_CASE),
            ] {
                ui.selectable_value(&mut self.right_tab, tab, RichText::new(label).size(15.0));
            }
        });
        ui.separator();
        let indexing = self.indexing();
        let _coder = self.coder_id();
        let Some(ws) = &self.ws else { return };
        match self.right_tab {
            RightTab::Search => search_panel::search_ui(ui, &mut self.search, indexing, commands),
            RightTab::Excerpts => excerpts_panel::excerpts_ui(
                ui,
                ws.project(),
                ws.revision(),
                &self.selected_codes,
                &mut self.excerpts,
                commands,
            ),
            RightTab::Memos => memos_panel::memos_ui(
                ui,
                ws.project(),
                self.viewer.document,
                &self.selected_codes,
                &mut self.memos,
                commands,
            ),
            RightTab::Case => cases_panel::case_tab_ui(
                ui,
                ws.project(),
                self.viewer.document,
                &mut self.cases,
                commands,
            ),
        }
    }

    fn centre_ui(&mut self, ui: &mut Ui, commands: &mut Vec<Command>) {
        let dark = ui.visuals().dark_mode;
        let Some(ws) = &self.ws else {
            self.welcome_ui(ui, commands);
            return;
        };
        if let Some(doc) = self
            .viewer
            .document
            .and_then(|d| ws.project().documents().get(&d))
        {
            ui.horizontal(|ui| {
                ui.heading(&doc.name);
                let cases: Vec<String> = ws
                    .project()
                    .cases_of(doc.id)
                    .iter()
                    .map(|c| c.name.clone())
                    .collect();
                let mut meta = doc.kind.keyword().to_string();
                if !cases.is_empty() {
                    meta.push_str(" · ");
                    meta.push_str(&cases.join(", "));
                }
                ui.label(RichText::new(meta).color(theme::muted(dark)));
            });
            if !self.recent_codes.is_empty() {
                ui.horizontal_wrapped(|ui| {
                    ui.label(
                        RichText::new(s::RECENT_CODES)
                            .small()
                            .color(theme::muted(dark)),
                    );
                    for (n, id) in self.recent_codes.iter().enumerate() {
                        let Some(code) = ws.project().codes().get(id) else {
                            continue;
                        };
                        let text = RichText::new(format!("{} {}", n + 1, code.name))
                            .small()
                            .color(theme::code_colour(&code.colour, dark));
                        if ui
                            .add_enabled(
                                self.viewer.selected_range().is_some(),
                                egui::Button::new(text).small(),
                            )
                            .clicked()
                        {
                            commands.push(Command::ApplyRecent(n));
                        }
                    }
                });
            }
            ui.add_space(2.0);
        }
        let hits = self
            .viewer
            .document
            .and_then(|d| self.search.doc_matches.get(&d))
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let input = ViewerInput {
            project: ws.project(),
            revision: ws.revision(),
            selected_codes: &self.selected_codes,
            hits,
        };
        self.viewer.viewer_ui(ui, &input, commands);
    }

    fn welcome_ui(&mut self, ui: &mut Ui, commands: &mut Vec<Command>) {
        ui.vertical_centered(|ui| {
            ui.add_space(ui.available_height() * 0.25);
            ui.heading("Marginalia");
            ui.label(s::WELCOME);
            ui.add_space(12.0);
            for action in [Action::OpenSample, Action::OpenProject, Action::NewProject] {
                if let Some(spec) = spec_of(action)
                    && ui.button(spec.label).clicked()
                {
                    commands.push(Command::Action(action));
                }
            }
            if !self.prefs.recent.is_empty() {
                ui.add_space(12.0);
                ui.label(RichText::new(s::MENU_RECENT).strong());
                for path in &self.prefs.recent {
                    if ui.link(path.display().to_string()).clicked() {
                        commands.push(Command::OpenProject(path.clone()));
                    }
                }
            }
        });
    }

    fn stale_lock_ui(&mut self, ctx: &egui::Context) {
        let Some(root) = self.stale_lock.clone() else {
            return;
        };
        let mut choice = None;
        let modal = egui::Modal::new(egui::Id::unique("stale-lock")).show(ctx, |ui| {
            ui.set_max_width(440.0);
            ui.heading(s::STALE_LOCK_TITLE);
            ui.add_space(6.0);
            ui.label(root.display().to_string());
            ui.add_space(4.0);
            ui.label(s::STALE_LOCK_TEXT);
            ui.add_space(10.0);
            ui.horizontal(|ui| {
                if ui.button(s::UNLOCK_AND_OPEN).clicked() {
                    choice = Some(true);
                }
                if ui.button(s::CANCEL).clicked() {
                    choice = Some(false);
                }
            });
        });
        if modal.should_close() && choice.is_none() {
            choice = Some(false);
        }
        if let Some(open) = choice {
            self.stale_lock = None;
            if open {
                self.unlock_and_open(&root);
            }
        }
    }

    fn windows_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        self.stale_lock_ui(ctx);
        export_dialog::windows_ui(self, ctx);
        let Some(ws) = &self.ws else { return };
        if let Some(state) = self.picker.as_mut()
            && !picker::picker_ui(ctx, ws.project(), state, commands)
        {
            self.picker = None;
        }
        codebook_panel::confirm_delete_ui(ctx, ws.project(), &mut self.codebook, commands);
        if self.cases.window_open {
            cases_panel::cases_window_ui(ctx, ws.project(), &mut self.cases, commands);
        }
        if let Some(summary) = self.import_summary.as_mut()
            && !import_dialog::summary_ui(ctx, ws.project(), summary, commands)
        {
            self.import_summary = None;
        }
        self.analysis_ui(ctx, commands);
    }

    /// The analysis windows; the search index is brought up to date first when a coding query needs it.
    fn analysis_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        let Some(ws) = &self.ws else { return };
        if self.analysis.needs_index()
            && let IndexState::Ready(index) = &mut self.index
            && let Err(e) = index.sync(ws.project())
        {
            self.error = Some(e.to_string());
        }
        let index = match &self.index {
            IndexState::Ready(index) => Some(index.as_ref()),
            _ => None,
        };
        let input = AnalysisInput {
            project: ws.project(),
            revision: ws.revision(),
            selected_codes: &self.selected_codes,
            index,
            coder: &self.prefs.coder,
        };
        self.analysis.windows_ui(ctx, &input, commands);
    }
}
