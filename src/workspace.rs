//! An open project: the model, its folder, the lock, undo history and pending saves, in one place.
//!
//! The undo history is saved in the same journaled commit as the project files and names the fingerprint of
//! the files it belongs to, so a crash can never separate them, and a history that does not match the files
//! on disk (a `git pull`, a hand edit, a crash of an older version) is set aside, never applied.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::edit::{Edit, Touched};
use crate::error::{Error, Result};
use crate::history::History;
use crate::model::{Language, Project};
use crate::store::{self, Fingerprint, Layout, Transaction, lock::ProjectLock};

/// File holding the undo history between runs.
const HISTORY_FILE: &str = "history.ron";
/// Size the history file is kept under by dropping the oldest undo steps (redo steps are never dropped).
pub const HISTORY_MAX_BYTES: usize = 32 * 1024 * 1024;

/// The history file: the steps and the fingerprint of the project files they apply to.
#[derive(Serialize, Deserialize)]
struct HistoryFile {
    fingerprint: String,
    history: History,
}

/// A project opened for reading and writing.
#[derive(Debug)]
pub struct Workspace {
    layout: Layout,
    /// Shared with background work (a search in flight reads a snapshot); an edit copies it only while one does.
    project: Arc<Project>,
    history: History,
    pending: Vec<Touched>,
    /// Increases with every applied edit, undo or redo.
    revision: u64,
    saved_revision: u64,
    /// What the project files on disk hold (updated by every save).
    fingerprint: Fingerprint,
    /// Things the user should be told once (history set aside or trimmed).
    notices: Vec<String>,
    _lock: Option<ProjectLock>,
}

impl Workspace {
    /// Creates a new project folder and opens it.
    pub fn create(root: &Path, name: &str, language: Language) -> Result<Self> {
        let project = Project::new(name, language);
        store::create(root, &project)?;
        Self::open(root)
    }

    /// Opens a project for writing: takes the lock, reads every file and the local undo history.
    pub fn open(root: &Path) -> Result<Self> {
        let layout = Layout::new(root);
        if !layout.is_project() {
            return Err(Error::invalid(
                root,
                "not a Marginalia project (no marginalia.ron); create one with `marginalia new`",
            ));
        }
        let lock = ProjectLock::acquire(&layout.lock_file())?;
        store::journal::recover(root)?;
        let (project, fingerprint) = store::load_with_fingerprint(root)?;
        let mut notices = Vec::new();
        let history = read_history(&layout, &fingerprint, &mut notices);
        store::remove_orphan_sources(&layout, &project);
        Ok(Self {
            layout,
            project: Arc::new(project),
            history,
            pending: Vec::new(),
            revision: 0,
            saved_revision: 0,
            fingerprint,
            notices,
            _lock: Some(lock),
        })
    }

    /// Opens a project without the lock, for reading only (saving is refused). No undo history is read or
    /// written, so the files are not fingerprinted (that would hash every byte read).
    pub fn open_read_only(root: &Path) -> Result<Self> {
        store::recover_if_unlocked(root)?;
        let project = store::load(root)?;
        Ok(Self {
            layout: Layout::new(root),
            project: Arc::new(project),
            history: History::default(),
            pending: Vec::new(),
            revision: 0,
            saved_revision: 0,
            fingerprint: Fingerprint::default(),
            notices: Vec::new(),
            _lock: None,
        })
    }

    /// The project as it is now (change it with [`Workspace::apply`]).
    pub fn project(&self) -> &Project {
        &self.project
    }

    /// The project as it is now, shared (cheap) with background work that reads it while the user goes on.
    pub fn project_snapshot(&self) -> Arc<Project> {
        Arc::clone(&self.project)
    }

    /// The undo/redo stacks.
    pub fn history(&self) -> &History {
        &self.history
    }

    /// Paths inside the project folder.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// Increases with every applied edit, undo or redo (views cache against it).
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The project folder.
    pub fn root(&self) -> &Path {
        &self.layout.root
    }

    /// True when there are changes not yet written.
    pub fn is_dirty(&self) -> bool {
        self.revision != self.saved_revision
    }

    /// Applies an edit and records it for undo; returns the action's label.
    pub fn apply(&mut self, edit: Edit) -> Result<String> {
        let label =
            self.history
                .apply(Arc::make_mut(&mut self.project), edit, &mut self.pending)?;
        self.revision += 1;
        Ok(label)
    }

    /// Undoes the last action; returns its label (None when there is nothing to undo).
    pub fn undo(&mut self) -> Result<Option<String>> {
        let label = self
            .history
            .undo(Arc::make_mut(&mut self.project), &mut self.pending)?;
        if label.is_some() {
            self.revision += 1;
        }
        Ok(label)
    }

    /// Redoes the last undone action.
    pub fn redo(&mut self) -> Result<Option<String>> {
        let label = self
            .history
            .redo(Arc::make_mut(&mut self.project), &mut self.pending)?;
        if label.is_some() {
            self.revision += 1;
        }
        Ok(label)
    }

    /// Forgets every undo and redo step (a freshly built project starts with none).
    pub fn clear_history(&mut self) {
        self.history = History::default();
    }

    /// Writes every changed file and the undo history as ONE journaled commit: after a crash, the next open
    /// finds the old files with the old history or the new files with the new history.
    pub fn save(&mut self) -> Result<()> {
        if !self.needs_save()? {
            return Ok(());
        }
        let saved = write_project(
            &self.layout,
            &self.project,
            &self.pending,
            &mut self.history,
            &self.fingerprint,
        )?;
        self.saved(saved);
        Ok(())
    }

    /// Whether there is anything to save; an error for a workspace opened read-only.
    fn needs_save(&self) -> Result<bool> {
        if self._lock.is_none() {
            return Err(Error::invalid(self.root(), "opened read-only; cannot save"));
        }
        Ok(self.is_dirty() || !self.pending.is_empty())
    }

    /// Records a save that landed.
    fn saved(&mut self, (fingerprint, trimmed): (Fingerprint, Option<String>)) {
        self.notices.extend(trimmed);
        self.fingerprint = fingerprint;
        self.pending.clear();
        self.saved_revision = self.revision;
    }

    /// Saves (see [`Workspace::save`]) while `alongside` runs on the project on another thread, and returns
    /// what it returned: the import brings the search index up to date this way while the save's files reach
    /// the disk. The index is derived data, so the two need no order: whichever a crash cuts off, the next
    /// sync repairs the index against the project on disk.
    pub fn save_alongside<R: Send>(
        &mut self,
        alongside: impl FnOnce(&Project) -> R + Send,
    ) -> Result<R> {
        if !self.needs_save()? {
            return Ok(alongside(&self.project));
        }
        let project: &Project = &self.project;
        let (saved, result) = std::thread::scope(|scope| {
            let job = scope.spawn(move || alongside(project));
            let saved = write_project(
                &self.layout,
                project,
                &self.pending,
                &mut self.history,
                &self.fingerprint,
            );
            let result = job
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (saved, result)
        });
        self.saved(saved?);
        Ok(result)
    }

    /// Notices the user should see once (the history was set aside or trimmed, a text file could not be
    /// read); empties the list.
    pub fn take_notices(&mut self) -> Vec<String> {
        let mut notices = std::mem::take(&mut self.notices);
        notices.extend(self.project().texts().take_problems());
        notices
    }

    /// Path of the derived search index.
    pub fn index_dir(&self) -> PathBuf {
        self.layout.index_dir()
    }
}

/// Writes the project's changed files and the undo history in one commit; returns the new fingerprint and a
/// notice when the history was trimmed.
fn write_project(
    layout: &Layout,
    project: &Project,
    pending: &[Touched],
    history: &mut History,
    fingerprint: &Fingerprint,
) -> Result<(Fingerprint, Option<String>)> {
    let mut tx = Transaction::new(&layout.root);
    let mut fingerprint = fingerprint.clone();
    store::stage(layout, project, pending, &mut tx, &mut fingerprint)?;
    let (text, trimmed) = history_text(history, fingerprint.value())?;
    tx.write(&history_path(layout), text.as_bytes())?;
    tx.commit()?;
    Ok((fingerprint, trimmed))
}

fn history_path(layout: &Layout) -> PathBuf {
    layout.state_dir().join(HISTORY_FILE)
}

/// Reads the undo history; one that cannot be read or belongs to other files is set aside with a notice.
fn read_history(layout: &Layout, fingerprint: &Fingerprint, notices: &mut Vec<String>) -> History {
    let path = history_path(layout);
    let Ok(text) = fs::read_to_string(&path) else {
        return History::default();
    };
    let problem = match ron::from_str::<HistoryFile>(&text) {
        Ok(file) if file.fingerprint == fingerprint.value() => return file.history,
        Ok(_) => "belongs to other project files (changed outside this copy, e.g. by git pull)",
        Err(_) => "could not be read",
    };
    let stamp = time::OffsetDateTime::now_utc().unix_timestamp();
    let aside = layout
        .state_dir()
        .join(format!("history.set-aside-{stamp}.ron"));
    let kept = match fs::rename(&path, &aside) {
        Ok(()) => format!("kept as {}", aside.display()),
        Err(e) => format!("could not be moved aside ({e})"),
    };
    notices.push(format!(
        "the undo history {problem}; it was not applied and is {kept}. Undo starts afresh."
    ));
    History::default()
}

/// The history file's text, under [`HISTORY_MAX_BYTES`] by dropping the oldest undo steps (never redo steps);
/// with a notice when steps were dropped.
fn history_text(history: &mut History, fingerprint: String) -> Result<(String, Option<String>)> {
    let serialize = |history: &History| {
        ron::to_string(&HistoryFile {
            fingerprint: fingerprint.clone(),
            history: history.clone(),
        })
        .map_err(|error| Error::Serialize {
            path: HISTORY_FILE.into(),
            error,
        })
    };
    let text = serialize(history)?;
    if text.len() <= HISTORY_MAX_BYTES {
        return Ok((text, None));
    }
    let mut excess = text.len() - HISTORY_MAX_BYTES;
    let mut dropped = 0;
    while excess > 0 && dropped < history.undo.len() {
        let size = ron::to_string(&history.undo[dropped]).map_or(0, |t| t.len());
        excess = excess.saturating_sub(size);
        dropped += 1;
    }
    history.undo.drain(..dropped);
    let notice = format!(
        "the undo history grew past {} MB: the {dropped} oldest undo step(s) were dropped{}",
        HISTORY_MAX_BYTES / (1024 * 1024),
        if excess > 0 {
            "; the redo steps alone are larger and were all kept"
        } else {
            ""
        }
    );
    Ok((serialize(history)?, Some(notice)))
}
