//! Codings (a code applied to a range of a document by a coder) and coders.

use serde::{Deserialize, Serialize};

use crate::ids::{CodeId, CoderId, CodingId, DocumentId};
use crate::offsets::CharRange;

/// A code applied to a passage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coding {
    /// The coding's stable id.
    pub id: CodingId,
    /// The document the passage is in.
    pub document: DocumentId,
    /// The code applied.
    pub code: CodeId,
    /// The coded passage; never empty, and within the document's text.
    pub range: CharRange,
    /// Who applied the code; the coding is saved in that coder's file in `codings/`.
    pub coder: CoderId,
    /// When the code was applied.
    #[serde(with = "time::serde::rfc3339")]
    pub created: time::OffsetDateTime,
    /// A short comment on this coding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memo: Option<String>,
}

/// A named user of the project who codes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coder {
    /// The coder's stable id, which also names their file in `codings/`.
    pub id: CoderId,
    /// The coder's name, unique in the project regardless of upper or lower case.
    pub name: String,
    /// The colour of the coder's layer in the workbench (`#rrggbb`); `None`: a colour from the palette by the
    /// coder's place among the coders.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub colour: Option<String>,
}
