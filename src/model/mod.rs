//! The project model: everything a researcher creates, held in memory, with read-only queries over it.

mod apply;
mod case;
mod codebook;
mod coding;
pub(crate) mod document;
mod memo;
mod names;
mod texts;
mod validate;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use case::{AttributeDef, AttributeType, AttributeValue, Case, DocumentSet};
pub use codebook::{Code, PALETTE, PATH_SEPARATOR, colour_rgb, is_valid_colour};
pub use coding::{Coder, Coding};
pub use document::{
    Document, DocumentKind, FNV1A_START, Locator, Turn, Unit, fnv1a, fnv1a_extend, text_hash,
};
pub use memo::{Memo, MemoTarget};
pub use texts::Texts;

use crate::ids::{CaseId, CodeId, CoderId, CodingId, DocumentId, MemoId, SetId};

/// The on-disk format version this build writes. Every older version must still open.
pub const FORMAT_VERSION: u32 = 1;

/// The language of a project's texts: it picks the search stemmer.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Norwegian bokmål.
    #[default]
    Nb,
    /// Norwegian nynorsk.
    Nn,
    /// English.
    En,
}

impl Language {
    /// Every language, in the order pickers list them.
    pub const ALL: [Language; 3] = [Self::Nb, Self::Nn, Self::En];

    /// The language's name as researchers write it (`bokmål`, `nynorsk`, `English`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Nb => "bokmål",
            Self::Nn => "nynorsk",
            Self::En => "English",
        }
    }

    /// True for the two Norwegian written standards.
    pub fn is_norwegian(self) -> bool {
        matches!(self, Self::Nb | Self::Nn)
    }

    /// The short code shown to researchers and accepted by [`Language::parse`] (`nb`, `nn`, `en`).
    pub fn code(self) -> &'static str {
        match self {
            Self::Nb => "nb",
            Self::Nn => "nn",
            Self::En => "en",
        }
    }

    /// Reads a language from a code or a name in English or Norwegian (`nb`, `no`, `bokmål`, `nynorsk`,
    /// `english`), ignoring case; `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_lowercase().as_str() {
            "nb" | "no" | "bokmål" | "bokmal" | "norwegian" => Some(Self::Nb),
            "nn" | "nynorsk" => Some(Self::Nn),
            "en" | "english" => Some(Self::En),
            _ => None,
        }
    }
}

/// Project-wide metadata (`marginalia.ron`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectMeta {
    /// The on-disk format the project was written in; a newer one than [`FORMAT_VERSION`] is refused.
    pub format_version: u32,
    /// The project's display name.
    pub name: String,
    /// The language of the project's texts, which picks the search stemmer.
    pub language: Language,
    /// When the project was created.
    #[serde(with = "time::serde::rfc3339")]
    pub created: time::OffsetDateTime,
    /// A free-text description of the study; empty when none was given.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Passages the researcher rejected as code suggestions: never suggested for that code again.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub rejected_suggestions: BTreeSet<RejectedSuggestion>,
}

/// A passage rejected as a suggestion for a code (meaning search's review queue).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RejectedSuggestion {
    /// The code it was suggested for.
    pub code: CodeId,
    /// The document of the passage.
    pub document: DocumentId,
    /// Where the passage (turn or paragraph) starts, in code points.
    pub start: usize,
}

/// A whole project in memory. Fields are private: the only way to change a project is [`Project::apply`]
/// (through `Workspace::apply` for an open project), so undo, autosave and every front end share one path.
#[derive(Clone, Debug, PartialEq)]
pub struct Project {
    meta: ProjectMeta,
    documents: BTreeMap<DocumentId, Document>,
    texts: Texts,
    codes: BTreeMap<CodeId, Code>,
    codings: BTreeMap<CodingId, Coding>,
    coders: BTreeMap<CoderId, Coder>,
    memos: BTreeMap<MemoId, Memo>,
    attributes: BTreeMap<String, AttributeDef>,
    cases: BTreeMap<CaseId, Case>,
    sets: BTreeMap<SetId, DocumentSet>,
    /// Document names and lower-case case names, for validation (derived from the maps above).
    document_names: names::NameIndex<DocumentId>,
    case_names: names::NameIndex<CaseId>,
    /// How many documents name each language (None: the project's), for [`Project::languages`] without a pass
    /// over every document on each search (derived from `documents`).
    document_languages: BTreeMap<Option<Language>, usize>,
}

/// Counts documents per named language (see `Project::document_languages`).
fn count_languages<'d>(
    documents: impl Iterator<Item = &'d Document>,
) -> BTreeMap<Option<Language>, usize> {
    let mut counts = BTreeMap::new();
    for document in documents {
        *counts.entry(document.language).or_insert(0) += 1;
    }
    counts
}

/// Every part of a project, as read from its files; [`Project::from_parts`] assembles them.
#[derive(Clone, Debug, Default)]
pub struct ProjectParts {
    /// Documents by id, from `documents.ron`.
    pub documents: BTreeMap<DocumentId, Document>,
    /// Each document's text by id, from `sources/` (read on first use).
    pub texts: Texts,
    /// Codes by id, from `codebook.ron`.
    pub codes: BTreeMap<CodeId, Code>,
    /// Codings by id, from every file in `codings/`.
    pub codings: BTreeMap<CodingId, Coding>,
    /// Coders by id, from the `codings/` files.
    pub coders: BTreeMap<CoderId, Coder>,
    /// Memos by id, from `memos.ron`.
    pub memos: BTreeMap<MemoId, Memo>,
    /// Attribute definitions by name, from `cases.ron`.
    pub attributes: BTreeMap<String, AttributeDef>,
    /// Cases by id, from `cases.ron`.
    pub cases: BTreeMap<CaseId, Case>,
    /// Document sets by id, from `sets.ron`.
    pub sets: BTreeMap<SetId, DocumentSet>,
}

impl Project {
    /// An empty project.
    pub fn new(name: &str, language: Language) -> Self {
        Self {
            meta: ProjectMeta {
                format_version: FORMAT_VERSION,
                name: name.to_string(),
                language,
                created: crate::now(),
                description: String::new(),
                rejected_suggestions: BTreeSet::new(),
            },
            documents: BTreeMap::new(),
            texts: Texts::default(),
            codes: BTreeMap::new(),
            codings: BTreeMap::new(),
            coders: BTreeMap::new(),
            memos: BTreeMap::new(),
            attributes: BTreeMap::new(),
            cases: BTreeMap::new(),
            sets: BTreeMap::new(),
            document_names: names::NameIndex::default(),
            case_names: names::NameIndex::default(),
            document_languages: BTreeMap::new(),
        }
    }

    /// Assembles a project read from its files (the store checks references before calling this).
    pub fn from_parts(meta: ProjectMeta, parts: ProjectParts) -> Self {
        let ProjectParts {
            documents,
            texts,
            codes,
            codings,
            coders,
            memos,
            attributes,
            cases,
            sets,
        } = parts;
        let document_names =
            names::NameIndex::build(documents.values().map(|d| (d.name.clone(), d.id)));
        let case_names =
            names::NameIndex::build(cases.values().map(|c| (c.name.to_lowercase(), c.id)));
        let document_languages = count_languages(documents.values());
        Self {
            meta,
            documents,
            texts,
            codes,
            codings,
            coders,
            memos,
            attributes,
            cases,
            sets,
            document_names,
            case_names,
            document_languages,
        }
    }

    /// Project-wide metadata.
    pub fn meta(&self) -> &ProjectMeta {
        &self.meta
    }

    /// The passages (document, start) rejected as suggestions for a code.
    pub fn rejected_suggestions(&self, code: CodeId) -> BTreeSet<(DocumentId, usize)> {
        self.meta
            .rejected_suggestions
            .iter()
            .filter(|r| r.code == code)
            .map(|r| (r.document, r.start))
            .collect()
    }

    /// Documents by id.
    pub fn documents(&self) -> &BTreeMap<DocumentId, Document> {
        &self.documents
    }

    /// Each document's text by id (read from its file on first use).
    pub fn texts(&self) -> &Texts {
        &self.texts
    }

    /// Codes by id.
    pub fn codes(&self) -> &BTreeMap<CodeId, Code> {
        &self.codes
    }

    /// Codings by id.
    pub fn codings(&self) -> &BTreeMap<CodingId, Coding> {
        &self.codings
    }

    /// Coders by id.
    pub fn coders(&self) -> &BTreeMap<CoderId, Coder> {
        &self.coders
    }

    /// Memos by id.
    pub fn memos(&self) -> &BTreeMap<MemoId, Memo> {
        &self.memos
    }

    /// Attribute definitions by name.
    pub fn attributes(&self) -> &BTreeMap<String, AttributeDef> {
        &self.attributes
    }

    /// Cases by id.
    pub fn cases(&self) -> &BTreeMap<CaseId, Case> {
        &self.cases
    }

    /// Document sets by id.
    pub fn sets(&self) -> &BTreeMap<SetId, DocumentSet> {
        &self.sets
    }

    /// The text of a document ("" if it is unknown or its file cannot be read: see [`Texts::take_problems`]).
    /// It is read from its file the first time and kept.
    pub fn text(&self, id: DocumentId) -> &str {
        self.texts.get(&id).map(|t| &**t).unwrap_or("")
    }

    /// The language a document is analysed in: its own, or the project's when it has none.
    pub fn document_language(&self, document: &Document) -> Language {
        document.language.unwrap_or(self.meta.language)
    }

    /// Every language the project's documents are in (the project's language when there are none), so a
    /// query can be analysed for each.
    pub fn languages(&self) -> BTreeSet<Language> {
        let mut out: BTreeSet<Language> = self
            .document_languages
            .keys()
            .map(|l| l.unwrap_or(self.meta.language))
            .collect();
        if out.is_empty() {
            out.insert(self.meta.language);
        }
        out
    }

    /// The text of a document without keeping it in memory when it was not loaded yet: for passes over the
    /// whole corpus (indexing) that must not leave every text loaded.
    pub fn text_transient(&self, id: DocumentId) -> Arc<str> {
        self.texts
            .get_transient(&id)
            .unwrap_or_else(|| Arc::from(""))
    }

    /// Documents sorted by name (Norwegian-aware).
    pub fn documents_sorted(&self) -> Vec<&Document> {
        let mut docs: Vec<&Document> = self.documents.values().collect();
        // The order of `collate::compare`, each name folded once (35,000 names sort in milliseconds).
        docs.sort_by_cached_key(|&doc| (crate::collate::sort_key(&doc.name), doc.name.as_str()));
        docs
    }

    /// Finds a document by id, exact name, or unique case-insensitive name prefix.
    pub fn find_document(&self, key: &str) -> Option<&Document> {
        if let Ok(id) = key.parse::<DocumentId>() {
            return self.documents.get(&id);
        }
        if let Some(doc) = self
            .documents
            .values()
            .find(|d| d.name == key || d.original_file == key)
        {
            return Some(doc);
        }
        let lower = key.to_lowercase();
        let mut matches = self
            .documents
            .values()
            .filter(|d| d.name.to_lowercase() == lower);
        match (matches.next(), matches.next()) {
            (Some(doc), None) => Some(doc),
            _ => None,
        }
    }

    /// A code's children sorted by order, then name.
    pub fn children(&self, parent: Option<CodeId>) -> Vec<&Code> {
        let mut children: Vec<&Code> = self.codes.values().filter(|c| c.parent == parent).collect();
        children.sort_by(|a, b| {
            a.order
                .cmp(&b.order)
                .then_with(|| crate::collate::compare(&a.name, &b.name))
        });
        children
    }

    /// All codes in tree order (depth-first, siblings by order) with their depth.
    pub fn code_tree(&self) -> Vec<(usize, &Code)> {
        let mut by_parent: HashMap<Option<CodeId>, Vec<&Code>> = HashMap::new();
        for code in self.codes.values() {
            by_parent.entry(code.parent).or_default().push(code);
        }
        for list in by_parent.values_mut() {
            list.sort_by(|a, b| {
                a.order
                    .cmp(&b.order)
                    .then_with(|| crate::collate::compare(&a.name, &b.name))
            });
        }
        let mut out = Vec::with_capacity(self.codes.len());
        let mut stack: Vec<(usize, &Code)> = by_parent
            .get(&None)
            .map(|l| l.iter().rev().map(|c| (0, *c)).collect())
            .unwrap_or_default();
        while let Some((depth, code)) = stack.pop() {
            out.push((depth, code));
            if let Some(children) = by_parent.get(&Some(code.id)) {
                stack.extend(children.iter().rev().map(|c| (depth + 1, *c)));
            }
        }
        out
    }

    /// The code itself and every code below it.
    pub fn descendants(&self, id: CodeId) -> BTreeSet<CodeId> {
        let mut out = BTreeSet::from([id]);
        let mut frontier = vec![id];
        while let Some(parent) = frontier.pop() {
            for code in self.codes.values().filter(|c| c.parent == Some(parent)) {
                if out.insert(code.id) {
                    frontier.push(code.id);
                }
            }
        }
        out
    }

    /// True when `ancestor` is `code` or one of its ancestors.
    pub fn is_ancestor_or_self(&self, ancestor: CodeId, code: CodeId) -> bool {
        let mut current = Some(code);
        let mut steps = 0;
        while let Some(id) = current {
            if id == ancestor {
                return true;
            }
            steps += 1;
            if steps > self.codes.len() {
                return false;
            }
            current = self.codes.get(&id).and_then(|c| c.parent);
        }
        false
    }

    /// `Parent/Child` path of a code.
    pub fn code_path(&self, id: CodeId) -> String {
        let mut names = Vec::new();
        let mut current = Some(id);
        while let Some(code) = current.and_then(|id| self.codes.get(&id)) {
            names.push(code.name.as_str());
            if names.len() > self.codes.len() {
                break;
            }
            current = code.parent;
        }
        names.reverse();
        names.join("/")
    }

    /// Finds a code by id, full path (`Barriers/Resource shortage`), or unique name (case-insensitive).
    pub fn find_code(&self, key: &str) -> Option<&Code> {
        if let Ok(id) = key.parse::<CodeId>() {
            return self.codes.get(&id);
        }
        let key = key.trim().trim_matches(PATH_SEPARATOR);
        let lower = key.to_lowercase();
        if key.contains(PATH_SEPARATOR) {
            return self
                .codes
                .values()
                .find(|c| self.code_path(c.id).to_lowercase() == lower);
        }
        let mut matches = self
            .codes
            .values()
            .filter(|c| c.name.to_lowercase() == lower);
        match (matches.next(), matches.next()) {
            (Some(code), None) => Some(code),
            (Some(_), Some(_)) => self
                .codes
                .values()
                .find(|c| c.parent.is_none() && c.name.to_lowercase() == lower),
            _ => None,
        }
    }

    /// Finds a case by id or name (case-insensitive).
    pub fn find_case(&self, key: &str) -> Option<&Case> {
        if let Ok(id) = key.parse::<CaseId>() {
            return self.cases.get(&id);
        }
        let lower = key.trim().to_lowercase();
        self.cases.values().find(|c| c.name.to_lowercase() == lower)
    }

    /// Finds a document set by id or name (case-insensitive).
    pub fn find_set(&self, key: &str) -> Option<&DocumentSet> {
        if let Ok(id) = key.parse::<SetId>() {
            return self.sets.get(&id);
        }
        let lower = key.trim().to_lowercase();
        self.sets.values().find(|s| s.name.to_lowercase() == lower)
    }

    /// Finds a coder by id or name (case-insensitive).
    pub fn find_coder(&self, key: &str) -> Option<&Coder> {
        if let Ok(id) = key.parse::<CoderId>() {
            return self.coders.get(&id);
        }
        let lower = key.trim().to_lowercase();
        self.coders
            .values()
            .find(|c| c.name.to_lowercase() == lower)
    }

    /// Cases a document belongs to, sorted by name.
    pub fn cases_of(&self, document: DocumentId) -> Vec<&Case> {
        let mut cases: Vec<&Case> = self
            .cases
            .values()
            .filter(|c| c.documents.contains(&document))
            .collect();
        cases.sort_by(|a, b| crate::collate::compare(&a.name, &b.name));
        cases
    }

    /// Codings of one document sorted by start, then end.
    pub fn codings_in(&self, document: DocumentId) -> Vec<&Coding> {
        let mut list: Vec<&Coding> = self
            .codings
            .values()
            .filter(|c| c.document == document)
            .collect();
        list.sort_by_key(|c| (c.range.start, c.range.end, c.id));
        list
    }

    /// Number of codings per code (not rolled up).
    pub fn coding_counts(&self) -> HashMap<CodeId, usize> {
        let mut counts = HashMap::new();
        for coding in self.codings.values() {
            *counts.entry(coding.code).or_insert(0) += 1;
        }
        counts
    }

    /// Memos attached to a target.
    pub fn memos_on(&self, target: MemoTarget) -> Vec<&Memo> {
        self.memos.values().filter(|m| m.target == target).collect()
    }

    /// A fresh colour for a new code: the palette entry used least.
    pub fn next_colour(&self) -> String {
        let mut counts: HashMap<&str, usize> = PALETTE.iter().map(|c| (*c, 0)).collect();
        for code in self.codes.values() {
            if let Some(n) = counts.get_mut(code.colour.as_str()) {
                *n += 1;
            }
        }
        PALETTE
            .iter()
            .min_by_key(|c| counts.get(*c).copied().unwrap_or(0))
            .unwrap_or(&PALETTE[0])
            .to_string()
    }
}
