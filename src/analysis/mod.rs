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

use crate::ids::{CodeId, CodingId, DocumentId};
use crate::model::Project;
use crate::retrieve::{Excerpt, ExcerptFilter, excerpts};

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

/// The excerpts (with citations) of exactly these codings, in the order [`crate::retrieve::excerpts`] uses.
pub fn excerpts_of(project: &Project, codings: &[CodingId]) -> Vec<Excerpt> {
    let wanted: BTreeSet<CodingId> = codings.iter().copied().collect();
    let mut codes: BTreeSet<CodeId> = BTreeSet::new();
    let mut documents: BTreeSet<DocumentId> = BTreeSet::new();
    for id in &wanted {
        if let Some(coding) = project.codings().get(id) {
            codes.insert(coding.code);
            documents.insert(coding.document);
        }
    }
    if codes.is_empty() {
        return Vec::new();
    }
    let filter = ExcerptFilter {
        codes: codes.into_iter().collect(),
        include_subcodes: false,
        cases: Vec::new(),
        coders: Vec::new(),
        documents: documents.into_iter().collect(),
    };
    let mut list = excerpts(project, &filter);
    list.retain(|e| wanted.contains(&e.coding));
    list
}
