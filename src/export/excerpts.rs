//! Which excerpts a report holds (codes, cases, attribute values, coders, documents, sets, a saved search),
//! with citations, optional context and grouping (code → case or case → code).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::ids::{DocumentId, SetId};
use crate::model::Project;
use crate::offsets::{CharRange, slice};
pub use crate::retrieve::CitationStyle;
use crate::retrieve::{Excerpt, ExcerptFilter, excerpts};

/// Surrounding text shown with each excerpt.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Context {
    /// Only the excerpt itself.
    #[default]
    None,
    /// This many characters before and after.
    Chars(usize),
    /// The rest of the speaker turn (or paragraph) the excerpt starts in.
    Turn,
}

impl Context {
    /// `turn`, a number of characters, or `none`.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_lowercase().as_str() {
            "turn" | "whole-turn" => Some(Self::Turn),
            "none" | "0" => Some(Self::None),
            n => n.parse().ok().map(Self::Chars),
        }
    }
}

/// How excerpts are grouped under headings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Grouping {
    /// Code, then case.
    #[default]
    CodeCase,
    /// Case, then code.
    CaseCode,
}

impl Grouping {
    /// Parses `code-case` (or `code`) and `case-code` (or `case`), ignoring case.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_lowercase().as_str() {
            "code-case" | "code" => Some(Self::CodeCase),
            "case-code" | "case" => Some(Self::CaseCode),
            _ => None,
        }
    }
}

/// Everything that picks and arranges the excerpts of a report.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Which codings become excerpts: codes, cases, coders and documents.
    pub filter: ExcerptFilter,
    /// `(attribute, value)`: only documents of cases with this value (values compared case-insensitively).
    pub attributes: Vec<(String, String)>,
    /// Only documents in these sets.
    pub sets: Vec<SetId>,
    /// Passages a saved search matched (from [`crate::query::search`]); only excerpts overlapping one are kept.
    pub passages: Option<Vec<(DocumentId, CharRange)>>,
    /// How much surrounding text each excerpt carries.
    pub context: Context,
    /// The heading order: code then case, or case then code.
    pub grouping: Grouping,
    /// A line describing the selection, printed under the title.
    pub description: String,
    /// How much each excerpt's citation says.
    pub citation: CitationStyle,
}

/// One excerpt as exported.
#[derive(Clone, Debug, Serialize)]
pub struct Item {
    /// The coded passage with its code, document, speaker and coder.
    #[serde(flatten)]
    pub excerpt: Excerpt,
    /// 1-based page for paged sources.
    pub page: Option<usize>,
    /// 1-based number of the paragraph the excerpt starts in.
    pub paragraph: Option<usize>,
    /// Context before the excerpt (empty without context).
    pub before: String,
    /// Context after the excerpt (empty without context).
    pub after: String,
    /// Attribute values of the document's cases (several cases joined with "; ").
    pub attributes: BTreeMap<String, String>,
}

impl Item {
    /// The citation in a style: `Rektor, Furulund rektor-intervju, ¶ 12` (short) or
    /// `Rektor, Furulund rektor-intervju (Furulund skole), ¶ 12, coded by Kari` (full); time-stamped transcripts
    /// cite the timestamp and PDFs the page instead of the paragraph.
    pub fn citation(&self, style: CitationStyle) -> String {
        self.excerpt.cite(style)
    }

    /// The case names, joined.
    pub fn case_label(&self) -> String {
        if self.excerpt.cases.is_empty() {
            "(no case)".to_string()
        } else {
            self.excerpt.cases.join("; ")
        }
    }
}

/// A heading with its sub-headings, each holding indexes into [`Report::items`].
#[derive(Clone, Debug, Serialize)]
pub struct Group {
    /// The top-level heading: the code path, or the case names when grouping by case first.
    pub heading: String,
    /// The sub-headings in order, each with the indexes of its items in [`Report::items`].
    pub subgroups: Vec<(String, Vec<usize>)>,
}

/// The excerpts of a report, grouped.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// The report's title.
    pub title: String,
    /// A line describing the selection, printed under the title.
    pub description: String,
    /// The excerpts, in the order of their groups.
    pub items: Vec<Item>,
    /// The headings, in order.
    pub groups: Vec<Group>,
    /// Every attribute name, sorted (the table columns).
    pub attribute_names: Vec<String>,
    /// How much each excerpt's citation says.
    pub citation: CitationStyle,
}

fn documents_matching(project: &Project, selection: &Selection) -> Option<BTreeSet<DocumentId>> {
    let mut allowed: Option<BTreeSet<DocumentId>> = None;
    let mut restrict = |docs: BTreeSet<DocumentId>| {
        allowed = Some(match allowed.take() {
            Some(current) => current.intersection(&docs).copied().collect(),
            None => docs,
        });
    };
    for (name, value) in &selection.attributes {
        let value = value.trim().to_lowercase();
        restrict(
            project
                .cases()
                .values()
                .filter(|c| {
                    c.attributes.iter().any(|(k, v)| {
                        k.eq_ignore_ascii_case(name) && v.to_string().to_lowercase() == value
                    })
                })
                .flat_map(|c| c.documents.iter().copied())
                .collect(),
        );
    }
    if !selection.sets.is_empty() {
        restrict(
            selection
                .sets
                .iter()
                .filter_map(|s| project.sets().get(s))
                .flat_map(|s| s.documents.iter().copied())
                .collect(),
        );
    }
    allowed
}

fn context_of(project: &Project, excerpt: &Excerpt, context: Context) -> (String, String) {
    let text = project.text(excerpt.document);
    let Some(doc) = project.documents().get(&excerpt.document) else {
        return (String::new(), String::new());
    };
    let range = excerpt.range;
    let (start, end) = match context {
        Context::None => return (String::new(), String::new()),
        Context::Chars(n) => (
            range.start.saturating_sub(n),
            (range.end + n).min(doc.char_len),
        ),
        Context::Turn => {
            let unit = doc
                .turn_at(range.start)
                .map(|t| CharRange::new(t.content_start.min(range.start), t.range.end))
                .or_else(|| doc.paragraph_at(range.start))
                .unwrap_or(range);
            (unit.start.min(range.start), unit.end.max(range.end))
        }
    };
    let before = slice(text, CharRange::new(start, range.start)).unwrap_or("");
    let after = slice(text, CharRange::new(range.end, end)).unwrap_or("");
    (before.to_string(), after.to_string())
}

/// Picks, cites and groups the excerpts of a report.
pub fn report(project: &Project, selection: &Selection, title: &str) -> Report {
    let allowed = documents_matching(project, selection);
    let mut items: Vec<Item> = excerpts(project, &selection.filter)
        .into_iter()
        .filter(|e| allowed.as_ref().is_none_or(|a| a.contains(&e.document)))
        .filter(|e| {
            selection.passages.as_ref().is_none_or(|passages| {
                passages
                    .iter()
                    .any(|(doc, range)| *doc == e.document && range.overlaps(&e.range))
            })
        })
        .map(|excerpt| item(project, excerpt, selection.context))
        .collect();
    sort_items(project, &mut items, selection.grouping);
    let groups = groups(&items, selection.grouping);
    Report {
        title: title.to_string(),
        description: selection.description.clone(),
        items,
        groups,
        attribute_names: project.attributes().keys().cloned().collect(),
        citation: selection.citation,
    }
}

/// An excerpt with its page, context and the attribute values of its cases.
fn item(project: &Project, excerpt: Excerpt, context: Context) -> Item {
    let doc = project.documents().get(&excerpt.document);
    let page = doc.and_then(|d| d.page_at(excerpt.range.start));
    let paragraph = doc.and_then(|d| d.paragraph_number(excerpt.range.start));
    let (before, after) = context_of(project, &excerpt, context);
    let mut attributes: BTreeMap<String, String> = BTreeMap::new();
    for case in project.cases_of(excerpt.document) {
        for (name, value) in &case.attributes {
            let entry = attributes.entry(name.clone()).or_default();
            if !entry.is_empty() {
                entry.push_str("; ");
            }
            entry.push_str(&value.to_string());
        }
    }
    Item {
        excerpt,
        page,
        paragraph,
        before,
        after,
        attributes,
    }
}

/// Orders items for their grouping. `excerpts` orders by code (tree order), document, position; the stable
/// sorts keep that within groups.
fn sort_items(project: &Project, items: &mut [Item], grouping: Grouping) {
    if grouping == Grouping::CaseCode {
        let tree: BTreeMap<_, usize> = project
            .code_tree()
            .iter()
            .enumerate()
            .map(|(i, (_, c))| (c.id, i))
            .collect();
        items.sort_by(|a, b| {
            crate::collate::compare(&a.case_label(), &b.case_label())
                .then_with(|| tree.get(&a.excerpt.code).cmp(&tree.get(&b.excerpt.code)))
        });
    } else {
        let mut order: Vec<String> = Vec::new();
        for item in items.iter() {
            if !order.contains(&item.excerpt.code_path) {
                order.push(item.excerpt.code_path.clone());
            }
        }
        items.sort_by(|a, b| {
            let pa = order.iter().position(|p| *p == a.excerpt.code_path);
            let pb = order.iter().position(|p| *p == b.excerpt.code_path);
            pa.cmp(&pb)
                .then_with(|| crate::collate::compare(&a.case_label(), &b.case_label()))
        });
    }
}

/// Headings over the sorted items: code then case, or case then code.
fn groups(items: &[Item], grouping: Grouping) -> Vec<Group> {
    let key = |item: &Item| match grouping {
        Grouping::CodeCase => (item.excerpt.code_path.clone(), item.case_label()),
        Grouping::CaseCode => (item.case_label(), item.excerpt.code_path.clone()),
    };
    let mut groups: Vec<Group> = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let (top, sub) = key(item);
        if groups.last().is_none_or(|g| g.heading != top) {
            groups.push(Group {
                heading: top,
                subgroups: Vec::new(),
            });
        }
        if let Some(group) = groups.last_mut() {
            match group.subgroups.last_mut() {
                Some((heading, list)) if *heading == sub => list.push(index),
                _ => group.subgroups.push((sub, vec![index])),
            }
        }
    }
    groups
}
