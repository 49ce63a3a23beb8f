//! Retrieval: the coded passages (excerpts) behind a code, filtered by case, coder or document, with citations.
//! A passage several coders coded with the same code is one excerpt naming all of them.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::coders::CoderSelection;
use crate::ids::{CaseId, CodeId, CodingId, DocumentId};
use crate::model::{Coding, Project};
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
    /// Keep codings made by these coders.
    pub coders: CoderSelection,
    /// Keep codings in any of these documents.
    pub documents: Vec<DocumentId>,
}

/// One coded passage with everything a citation needs.
#[derive(Clone, Debug, Serialize)]
pub struct Excerpt {
    /// The (first) coding the excerpt comes from.
    pub coding: CodingId,
    /// Every coding behind the excerpt: one per coder who coded exactly this passage with this code.
    pub codings: Vec<CodingId>,
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
    /// The names of the coders who applied the code, joined with ", " ("Ingrid Solberg, Tobias Lunde").
    pub coder: String,
    /// The names of the coders who applied the code, sorted.
    pub coders: Vec<String>,
    /// The comment on the coding, if any (with several coders' comments, each after its coder's name).
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

    /// "coded by Ingrid Solberg, Tobias Lunde" (empty when no coder is known).
    pub fn coded_by(&self) -> String {
        if self.coders.is_empty() {
            String::new()
        } else {
            format!("coded by {}", self.coders.join(", "))
        }
    }

    /// The citation followed by who coded the passage, as excerpt lists show it.
    pub fn citation_with_coders(&self) -> String {
        let by = self.coded_by();
        if by.is_empty() {
            self.citation()
        } else {
            format!("{}, {by}", self.citation())
        }
    }
}

/// The excerpts matching a filter, ordered by code (tree order), then document name, then position. Codings of
/// the same code on the same passage by several coders are one excerpt.
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
    excerpts_from(
        project,
        project
            .codings()
            .values()
            .filter(|c| codes.as_ref().is_none_or(|set| set.contains(&c.code)))
            .filter(|c| {
                case_docs
                    .as_ref()
                    .is_none_or(|set| set.contains(&c.document))
            })
            .filter(|c| filter.coders.contains(c.coder))
            .filter(|c| filter.documents.is_empty() || filter.documents.contains(&c.document)),
    )
}

/// The excerpts of exactly these codings, merged per (code, document, passage) and sorted as
/// [`excerpts`] sorts them.
pub fn excerpts_from<'p>(
    project: &'p Project,
    codings: impl IntoIterator<Item = &'p Coding>,
) -> Vec<Excerpt> {
    let tree_order: HashMap<CodeId, usize> = project
        .code_tree()
        .iter()
        .enumerate()
        .map(|(i, (_, c))| (c.id, i))
        .collect();
    let mut same: BTreeMap<(CodeId, DocumentId, usize, usize), Vec<&Coding>> = BTreeMap::new();
    for c in codings {
        same.entry((c.code, c.document, c.range.start, c.range.end))
            .or_default()
            .push(c);
    }
    let mut out: Vec<Excerpt> = same
        .into_values()
        .filter_map(|group| excerpt(project, &group))
        .collect();
    out.sort_by(|a, b| {
        tree_order
            .get(&a.code)
            .cmp(&tree_order.get(&b.code))
            .then_with(|| crate::collate::compare(&a.document_name, &b.document_name))
            .then_with(|| a.range.start.cmp(&b.range.start))
            .then_with(|| a.range.end.cmp(&b.range.end))
            .then_with(|| a.coding.cmp(&b.coding))
    });
    out
}

/// One excerpt for codings of one code on one passage (by one or more coders).
fn excerpt(project: &Project, group: &[&Coding]) -> Option<Excerpt> {
    let mut group: Vec<(&Coding, String)> = group
        .iter()
        .map(|c| {
            let name = project
                .coders()
                .get(&c.coder)
                .map(|k| k.name.clone())
                .unwrap_or_default();
            (*c, name)
        })
        .collect();
    group.sort_by(|a, b| crate::collate::compare(&a.1, &b.1).then(a.0.id.cmp(&b.0.id)));
    let (first, _) = group.first()?;
    let doc = project.documents().get(&first.document)?;
    let turn = doc.turn_at(first.range.start);
    let mut coders: Vec<String> = group.iter().map(|(_, n)| n.clone()).collect();
    coders.dedup();
    let memos: Vec<(&str, &str)> = group
        .iter()
        .filter_map(|(c, n)| c.memo.as_deref().map(|m| (n.as_str(), m)))
        .filter(|(_, m)| !m.trim().is_empty())
        .collect();
    let distinct: BTreeSet<&str> = memos.iter().map(|(_, m)| *m).collect();
    let memo = match memos.as_slice() {
        [] => None,
        _ if distinct.len() == 1 => distinct.first().map(|m| (*m).to_string()),
        many => Some(
            many.iter()
                .map(|(n, m)| format!("{n}: {m}"))
                .collect::<Vec<_>>()
                .join("; "),
        ),
    };
    let mut ids: Vec<CodingId> = group.iter().map(|(c, _)| c.id).collect();
    let coding = ids.first().copied()?;
    ids.sort_unstable();
    Some(Excerpt {
        coding,
        codings: ids,
        code: first.code,
        code_path: project.code_path(first.code),
        document: doc.id,
        document_name: doc.name.clone(),
        cases: project
            .cases_of(doc.id)
            .iter()
            .map(|k| k.name.clone())
            .collect(),
        range: first.range,
        text: slice(project.text(doc.id), first.range)
            .unwrap_or("")
            .to_string(),
        speaker: turn.map(|t| t.speaker.clone()),
        timestamp: turn.and_then(|t| t.timestamp.clone()),
        locator: doc.locator(first.range).to_string(),
        coder: coders.join(", "),
        coders,
        memo,
    })
}
