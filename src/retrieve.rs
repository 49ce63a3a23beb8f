//! Retrieval: the coded passages (excerpts) behind a code, filtered by case, coder or document, with citations.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::ids::{CaseId, CodeId, CoderId, CodingId, DocumentId};
use crate::model::Project;
use crate::offsets::{CharRange, slice};

/// Which codings to retrieve. Empty lists mean "all".
#[derive(Clone, Debug, Default)]
pub struct ExcerptFilter {
    /// Keep codings of these codes.
    pub codes: Vec<CodeId>,
    /// Include codings of sub-codes.
    pub include_subcodes: bool,
    /// Keep codings in documents that belong to any of these cases.
    pub cases: Vec<CaseId>,
    /// Keep codings made by any of these coders.
    pub coders: Vec<CoderId>,
    /// Keep codings in any of these documents.
    pub documents: Vec<DocumentId>,
}

/// One coded passage with everything a citation needs.
#[derive(Clone, Debug, Serialize)]
pub struct Excerpt {
    /// The coding the excerpt comes from.
    pub coding: CodingId,
    /// The code applied.
    pub code: CodeId,
    /// The code's full path (`Barriers/Resource shortage`).
    pub code_path: String,
    /// The document the passage is in.
    pub document: DocumentId,
    /// The document's display name.
    pub document_name: String,
    /// The names of the cases the document belongs to, sorted.
    pub cases: Vec<String>,
    /// Where the passage lies in the document's text.
    pub range: CharRange,
    /// The coded passage itself.
    pub text: String,
    /// The speaker of the turn the passage starts in, for transcripts.
    pub speaker: Option<String>,
    /// The timestamp of that turn, when the transcript has one.
    pub timestamp: Option<String>,
    /// Where the passage is, as a report cites it: `00:05:15` (time-stamped transcripts), `p. 3` (PDF),
    /// else `¶ 12` (see [`crate::model::Document::locator`]).
    pub locator: String,
    /// The name of the coder who applied the code.
    pub coder: String,
    /// The comment on the coding, if any.
    pub memo: Option<String>,
}

/// How much a citation says. Both name the speaker (in transcripts), the document and the locator; character
/// positions appear only in machine-readable outputs (CSV, XLSX, JSON).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CitationStyle {
    /// `Rektor, intervju_bakkebo_rektor, ¶ 12`.
    #[default]
    Short,
    /// `Rektor, intervju_bakkebo_rektor (Bakkebø skole), ¶ 12, coded by Kari`: adds the document's cases and
    /// the coder.
    Full,
}

impl CitationStyle {
    /// Both styles, in the order pickers list them.
    pub const ALL: [CitationStyle; 2] = [Self::Short, Self::Full];

    /// The keyword used on the command line (`short`, `full`).
    pub fn keyword(self) -> &'static str {
        match self {
            Self::Short => "short",
            Self::Full => "full",
        }
    }

    /// Reads `short` or `full`, ignoring case.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|s| s.keyword() == text.trim().to_lowercase())
    }
}

impl Excerpt {
    /// The short citation: `Rektor, intervju_bakkebo_rektor, ¶ 12` (`00:05:15` for time-stamped transcripts,
    /// `p. 3` for PDFs).
    pub fn citation(&self) -> String {
        self.cite(CitationStyle::Short)
    }

    /// The citation in a style.
    pub fn cite(&self, style: CitationStyle) -> String {
        let mut parts = Vec::new();
        if let Some(speaker) = &self.speaker {
            parts.push(speaker.clone());
        }
        match style {
            CitationStyle::Full if !self.cases.is_empty() => {
                parts.push(format!(
                    "{} ({})",
                    self.document_name,
                    self.cases.join("; ")
                ));
            }
            _ => parts.push(self.document_name.clone()),
        }
        parts.push(self.locator.clone());
        if style == CitationStyle::Full && !self.coder.is_empty() {
            parts.push(format!("coded by {}", self.coder));
        }
        parts.join(", ")
    }
}

/// The excerpts matching a filter, ordered by code (tree order), then document name, then position.
pub fn excerpts(project: &Project, filter: &ExcerptFilter) -> Vec<Excerpt> {
    let codes: Option<BTreeSet<CodeId>> = (!filter.codes.is_empty()).then(|| {
        filter
            .codes
            .iter()
            .flat_map(|c| {
                if filter.include_subcodes {
                    project.descendants(*c)
                } else {
                    BTreeSet::from([*c])
                }
            })
            .collect()
    });
    let case_docs: Option<BTreeSet<DocumentId>> = (!filter.cases.is_empty()).then(|| {
        filter
            .cases
            .iter()
            .filter_map(|c| project.cases().get(c))
            .flat_map(|c| c.documents.iter().copied())
            .collect()
    });
    let tree_order: std::collections::HashMap<CodeId, usize> = project
        .code_tree()
        .iter()
        .enumerate()
        .map(|(i, (_, c))| (c.id, i))
        .collect();
    let mut out: Vec<Excerpt> = project
        .codings()
        .values()
        .filter(|c| codes.as_ref().is_none_or(|set| set.contains(&c.code)))
        .filter(|c| {
            case_docs
                .as_ref()
                .is_none_or(|set| set.contains(&c.document))
        })
        .filter(|c| filter.coders.is_empty() || filter.coders.contains(&c.coder))
        .filter(|c| filter.documents.is_empty() || filter.documents.contains(&c.document))
        .filter_map(|c| {
            let doc = project.documents().get(&c.document)?;
            let turn = doc.turn_at(c.range.start);
            Some(Excerpt {
                coding: c.id,
                code: c.code,
                code_path: project.code_path(c.code),
                document: doc.id,
                document_name: doc.name.clone(),
                cases: project
                    .cases_of(doc.id)
                    .iter()
                    .map(|k| k.name.clone())
                    .collect(),
                range: c.range,
                text: slice(project.text(doc.id), c.range)
                    .unwrap_or("")
                    .to_string(),
                speaker: turn.map(|t| t.speaker.clone()),
                timestamp: turn.and_then(|t| t.timestamp.clone()),
                locator: doc.locator(c.range).to_string(),
                coder: project
                    .coders()
                    .get(&c.coder)
                    .map(|k| k.name.clone())
                    .unwrap_or_default(),
                memo: c.memo.clone(),
            })
        })
        .collect();
    out.sort_by(|a, b| {
        tree_order
            .get(&a.code)
            .cmp(&tree_order.get(&b.code))
            .then_with(|| crate::collate::compare(&a.document_name, &b.document_name))
            .then_with(|| a.range.start.cmp(&b.range.start))
            .then_with(|| a.coding.cmp(&b.coding))
    });
    out
}
