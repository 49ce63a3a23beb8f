//! Memos: the researcher's notes on the project, a document, a code, a coding or a case.

use serde::{Deserialize, Serialize};

use crate::ids::{CaseId, CodeId, CoderId, CodingId, DocumentId, MemoId};

/// What a memo is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum MemoTarget {
    /// The project as a whole (a research diary, a note on method).
    Project,
    /// One document.
    Document(DocumentId),
    /// One code (a definition note, thoughts on a theme).
    Code(CodeId),
    /// One coding, the code applied to one passage.
    Coding(CodingId),
    /// One case.
    Case(CaseId),
}

/// A memo.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Memo {
    /// The memo's stable id.
    pub id: MemoId,
    /// A short heading for lists.
    pub title: String,
    /// The note itself.
    pub text: String,
    /// What the memo is about; it must exist.
    pub target: MemoTarget,
    /// The coder who wrote it, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<CoderId>,
    /// When the memo was written.
    #[serde(with = "time::serde::rfc3339")]
    pub created: time::OffsetDateTime,
}
