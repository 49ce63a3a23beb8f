//! The core's error type: every message names the file or thing at fault and what is wrong.

use std::path::PathBuf;

use crate::edit::EditError;

/// Errors from the core library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("{}:{line}:{column}: {message}", path.display())]
    Parse {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },

    #[error("{}: {message}", path.display())]
    Invalid { path: PathBuf, message: String },

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

    #[error("{}: {message}", path.display())]
    Import { path: PathBuf, message: String },

    #[error(transparent)]
    Edit(#[from] EditError),

    #[error("search index: {0}")]
    Index(String),

    #[error("query: {0}")]
    Query(String),

    #[error("{0}")]
    NotFound(String),
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }

    pub fn invalid(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::Invalid {
            path: path.into(),
            message: message.into(),
        }
    }
}

impl From<tantivy::TantivyError> for Error {
    fn from(error: tantivy::TantivyError) -> Self {
        Self::Index(error.to_string())
    }
}

/// Result with the core's error.
pub type Result<T, E = Error> = std::result::Result<T, E>;
