//! Codings (a code applied to a range of a document by a coder) and coders.

use serde::{Deserialize, Serialize};

use crate::ids::{CodeId, CoderId, CodingId, DocumentId};
use crate::offsets::CharRange;

/// A code applied to a passage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coding {
    pub id: CodingId,
    pub document: DocumentId,
    pub code: CodeId,
    pub range: CharRange,
    pub coder: CoderId,
    #[serde(with = "time::serde::rfc3339")]
    pub created: time::OffsetDateTime,
    /// A short comment on this coding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memo: Option<String>,
}

/// A named user of the project who codes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coder {
    pub id: CoderId,
    pub name: String,
}
