//! Cross-case analysis: code × case matrices, code co-occurrence, coding queries and word frequencies.
//!
//! Plain structs in, plain structs out: a spec goes in, a result with a [`table::Table`] view comes out, and
//! every number can be traced back to the codings (or passages) behind it.

pub mod agreement;
pub mod coding_query;
pub mod cooccurrence;
pub mod matrix;
pub mod regions;
pub mod scope;
pub mod table;
pub mod words;

use std::collections::BTreeSet;

use crate::ids::CodingId;
use crate::model::Project;
use crate::retrieve::{Excerpt, excerpts_from};

pub use coding_query::{
    CodingQuery, Near, Passage, QueryExpr, QueryResult, parse_query, run_query, save_as_code,
};
pub use cooccurrence::{Cooccurrence, CooccurrenceSpec, Proximity, cooccurrence};
pub use matrix::{Columns, Matrix, MatrixSpec, RowMode, Value, matrix};
pub use scope::{AttrFilter, Scope};
pub use table::{Cell, Table, TableFormat};
pub use words::{
    KwicLine, Selection, StopList, WordCount, WordFrequencies, WordOptions, kwic, word_frequencies,
};

/// The excerpts (with citations) of exactly these codings, in the order [`crate::retrieve::excerpts`] uses;
/// one excerpt for a passage several coders coded with the same code.
pub fn excerpts_of(project: &Project, codings: &[CodingId]) -> Vec<Excerpt> {
    let wanted: BTreeSet<CodingId> = codings.iter().copied().collect();
    excerpts_from(
        project,
        wanted.iter().filter_map(|id| project.codings().get(id)),
    )
}
