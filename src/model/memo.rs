//! Memos: the researcher's notes on the project, a document, a code, a coding or a case.

use serde::{Deserialize, Serialize};

use crate::ids::{CaseId, CodeId, CoderId, CodingId, DocumentId, MemoId};

/// What a memo is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum MemoTarget {
    Project,
    Document(DocumentId),
    Code(CodeId),
    Coding(CodingId),
    Case(CaseId),
}

/// A memo.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Memo {
    pub id: MemoId,
    pub title: String,
    pub text: String,
    pub target: MemoTarget,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<CoderId>,
    #[serde(with = "time::serde::rfc3339")]
    pub created: time::OffsetDateTime,
}
