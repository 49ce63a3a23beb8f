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
        /// The file or folder that could not be read or written.
        path: PathBuf,
        /// What the operating system reported.
        error: std::io::Error,
    },

    /// A project file is not valid RON (or refers to something that is not there), at a line and column.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Parse {
        /// The file with the problem.
        path: PathBuf,
        /// The line of the problem, counted from 1.
        line: usize,
        /// The column of the problem, counted from 1.
        column: usize,
        /// What is wrong there.
        message: String,
    },

    /// A file or folder holds something the operation cannot accept.
    #[error("{}: {message}", path.display())]
    Invalid {
        /// The file or folder at fault.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },

    /// A value could not be written as RON.
    #[error("{}: cannot write: {error}", path.display())]
    Serialize {
        /// The file that was being written.
        path: PathBuf,
        /// What the RON writer reported.
        error: ron::Error,
    },

    /// The project is open for writing in another Marginalia that may still be running.
    #[error("{}: the project is open in another Marginalia (process {pid} on {host}, since {since}); close it there first", path.display())]
    Locked {
        /// The lock file.
        path: PathBuf,
        /// The process id of the lock's owner.
        pid: u32,
        /// The computer the owner runs on.
        host: String,
        /// When the owner took the lock (RFC 3339).
        since: String,
    },

    /// A lock file was left by a process that is no longer running and could not be cleared automatically.
    #[error("{}: stale lock left by process {pid} on {host}, which is no longer running; if no other Marginalia uses this project, remove the lock with `marginalia unlock`", path.display())]
    StaleLock {
        /// The lock file.
        path: PathBuf,
        /// The process id recorded in the lock.
        pid: u32,
        /// The computer recorded in the lock.
        host: String,
    },

    /// A file could not be imported.
    #[error("{}: {message}", path.display())]
    Import {
        /// The file that was being imported.
        path: PathBuf,
        /// Why it could not be imported, in one sentence.
        message: String,
    },

    /// An edit was refused; the project is unchanged.
    #[error(transparent)]
    Edit(#[from] EditError),

    /// The search index failed (it is derived data: `marginalia reindex` rebuilds it).
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),

    /// Another process is writing the search index.
    #[error("{}: the search index is being written by another process", path.display())]
    IndexBusy {
        /// The index folder (empty for an index held in memory).
        path: PathBuf,
    },

    /// A search query cannot be run: it does not parse, or it names something the project lacks.
    #[error(transparent)]
    Query(#[from] QueryError),

    /// A meaning feature failed: the model is missing or damaged, or the vectors could not be built.
    #[error(transparent)]
    Meaning(#[from] crate::embed::EmbedError),

    /// A name given by the user matches nothing of that kind.
    #[error("no {kind} named '{name}'")]
    NotFound {
        /// What kind of thing was looked for (`code`, `document`, `case`).
        kind: &'static str,
        /// The name as the user gave it.
        name: String,
    },

    /// A coder name given by the user that the project does not have.
    #[error("no coder named '{name}' (the project's coders: {known})")]
    UnknownCoder {
        /// The name as the user gave it.
        name: String,
        /// The project's coders, comma-separated.
        known: String,
    },
}

impl Error {
    /// A read or write of `path` that failed.
    pub fn io(path: impl Into<PathBuf>, error: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            error,
        }
    }

    /// A file or folder at `path` that holds something unacceptable, with what is wrong.
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
