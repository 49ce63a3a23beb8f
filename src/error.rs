//! The core's error type: every message names the file or thing at fault and what is wrong.

use std::path::PathBuf;

use crate::edit::EditError;
pub use crate::query::QueryError;

/// Errors from the core library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written. The OS error is part of the message (not a separate source), so
    /// it is printed once.
    #[error("{}: {error}", path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },

    /// A project file is not valid RON (or refers to something that is not there), at a line and column.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Parse {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },

    /// A file or folder holds something the operation cannot accept.
    #[error("{}: {message}", path.display())]
    Invalid { path: PathBuf, message: String },

    /// A value could not be written as RON.
    #[error("{}: cannot write: {error}", path.display())]
    Serialize { path: PathBuf, error: ron::Error },

    #[error("{}: the project is open in another Marginalia (process {pid} on {host}, since {since}); close it there first", path.display())]
    Locked {
        path: PathBuf,
        pid: u32,
        host: String,
        since: String,
    },

    #[error("{}: stale lock left by process {pid} on {host}, which is no longer running; if no other Marginalia uses this project, remove the lock with `marginalia unlock`", path.display())]
    StaleLock {
        path: PathBuf,
        pid: u32,
        host: String,
    },

    /// A file could not be imported.
    #[error("{}: {message}", path.display())]
    Import { path: PathBuf, message: String },

    #[error(transparent)]
    Edit(#[from] EditError),

    /// The search index failed (it is derived data: `marginalia reindex` rebuilds it).
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),

    /// Another process is writing the search index.
    #[error("{}: the search index is being written by another process", path.display())]
    IndexBusy { path: PathBuf },

    #[error(transparent)]
    Query(#[from] QueryError),

    /// A name given by the user matches nothing of that kind.
    #[error("no {kind} named '{name}'")]
    NotFound { kind: &'static str, name: String },
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, error: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            error,
        }
    }

    pub fn invalid(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::Invalid {
            path: path.into(),
            message: message.into(),
        }
    }

    /// A query the user wrote cannot be run (no position known).
    pub fn query(message: impl Into<String>) -> Self {
        Self::Query(QueryError::new(message))
    }

    /// A name that matches nothing of its kind.
    pub fn not_found(kind: &'static str, name: impl Into<String>) -> Self {
        Self::NotFound {
            kind,
            name: name.into(),
        }
    }
}

/// Result with the core's error.
pub type Result<T, E = Error> = std::result::Result<T, E>;
