//! An open project: the model, its folder, the lock, undo history and pending saves, in one place.

use std::fs;
use std::path::{Path, PathBuf};

use crate::edit::{Edit, Touched};
use crate::error::{Error, Result};
use crate::history::History;
use crate::model::{Language, Project};
use crate::store::{self, Layout, lock::ProjectLock};

/// File holding the undo history between CLI runs.
const HISTORY_FILE: &str = "history.ron";
/// Largest history file kept on disk; older steps are dropped past this.
const HISTORY_MAX_BYTES: usize = 32 * 1024 * 1024;

/// A project opened for reading and writing.
#[derive(Debug)]
pub struct Workspace {
    layout: Layout,
    project: Project,
    history: History,
    pending: Vec<Touched>,
    /// Increases with every applied edit, undo or redo.
    revision: u64,
    saved_revision: u64,
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
        let project = store::load(root)?;
        let history = read_history(&layout);
        Ok(Self {
            layout,
            project,
            history,
            pending: Vec::new(),
            revision: 0,
            saved_revision: 0,
            _lock: Some(lock),
        })
    }

    /// Opens a project without the lock, for reading only (saving is refused).
    pub fn open_read_only(root: &Path) -> Result<Self> {
        store::recover_if_unlocked(root)?;
        let project = store::load(root)?;
        Ok(Self {
            layout: Layout::new(root),
            project,
            history: History::default(),
            pending: Vec::new(),
            revision: 0,
            saved_revision: 0,
            _lock: None,
        })
    }

    /// The project as it is now (change it with [`Workspace::apply`]).
    pub fn project(&self) -> &Project {
        &self.project
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
        let label = self
            .history
            .apply(&mut self.project, edit, &mut self.pending)?;
        self.revision += 1;
        Ok(label)
    }

    /// Undoes the last action; returns its label (None when there is nothing to undo).
    pub fn undo(&mut self) -> Result<Option<String>> {
        let label = self.history.undo(&mut self.project, &mut self.pending)?;
        if label.is_some() {
            self.revision += 1;
        }
        Ok(label)
    }

    /// Redoes the last undone action.
    pub fn redo(&mut self) -> Result<Option<String>> {
        let label = self.history.redo(&mut self.project, &mut self.pending)?;
        if label.is_some() {
            self.revision += 1;
        }
        Ok(label)
    }

    /// Forgets every undo and redo step (a freshly built project starts with none).
    pub fn clear_history(&mut self) {
        self.history = History::default();
    }

    /// Writes every changed file atomically, then the undo history.
    pub fn save(&mut self) -> Result<()> {
        if self._lock.is_none() {
            return Err(Error::invalid(self.root(), "opened read-only; cannot save"));
        }
        if !self.is_dirty() && self.pending.is_empty() {
            return Ok(());
        }
        store::save(&self.layout, &self.project, &self.pending)?;
        self.pending.clear();
        self.saved_revision = self.revision;
        write_history(&self.layout, &mut self.history)
    }

    /// Path of the derived search index.
    pub fn index_dir(&self) -> PathBuf {
        self.layout.index_dir()
    }
}

fn history_path(layout: &Layout) -> PathBuf {
    layout.state_dir().join(HISTORY_FILE)
}

fn read_history(layout: &Layout) -> History {
    let path = history_path(layout);
    // The history is a convenience: an unreadable one (e.g. from another version) starts afresh.
    fs::read_to_string(&path)
        .ok()
        .and_then(|text| ron::from_str(&text).ok())
        .unwrap_or_default()
}

fn write_history(layout: &Layout, history: &mut History) -> Result<()> {
    let path = history_path(layout);
    let dir = layout.state_dir();
    fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    loop {
        let text = ron::to_string(history).map_err(|e| Error::invalid(&path, e.to_string()))?;
        if text.len() <= HISTORY_MAX_BYTES || (history.undo.is_empty() && history.redo.is_empty()) {
            return store::write_atomic(&path, text.as_bytes());
        }
        if history.redo.is_empty() {
            history.undo.remove(0);
        } else {
            history.redo.remove(0);
        }
    }
}
