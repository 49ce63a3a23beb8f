//! Two-way merge: bring another copy of a project (OTHER) into this one (DIR) as one undoable edit.
//!
//! The rule without a common ancestor: everything OTHER has that DIR lacks is added; where both copies hold the
//! same entity with different values, **DIR's value wins** and OTHER's is reported. Documents are matched by id
//! or by text hash (a document whose text differs is reported and its codings are not brought over, never
//! re-anchored); codes, coders, cases and sets by id, or by name (path for codes) when OTHER made its own copy;
//! codings, memos and attributes are unioned by id (attributes by name).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::edit::{DocumentEntry, Edit, Entity};
use crate::ids::{CaseId, CodeId, CoderId, CodingId, DocumentId};
use crate::model::{Case, Code, Coding, DocumentSet, Memo, MemoTarget, Project};
use crate::offsets::CharRange;
use crate::ops::Draft;

use super::{MergeError, MergeReport};

/// The finished merge: the one edit to apply (`None` when DIR already holds everything) and what it does.
#[derive(Clone, Debug)]
pub struct Merge {
    /// One batch (one undo step) that brings OTHER's work into DIR; `None` when there is nothing to bring.
    pub edit: Option<Edit>,
    /// Counts and every reported conflict.
    pub report: MergeReport,
}

/// Builds the edit that merges `other` into `ours` (see the module documentation for the rules).
pub fn merge_projects(ours: &Project, other: &Project) -> Result<Merge, MergeError> {
    let (mine, theirs) = (ours.meta().format_version, other.meta().format_version);
    if mine != theirs {
        return Err(MergeError::FormatVersion {
            ours: mine,
            other: theirs,
        });
    }
    let mut merger = Merger {
        ours,
        other,
        draft: Draft::new(ours),
        report: MergeReport::default(),
        documents: HashMap::new(),
        codes: HashMap::new(),
        coders: HashMap::new(),
        cases: HashMap::new(),
        codings: HashSet::new(),
    };
    merger.documents()?;
    merger.coders();
    merger.codes();
    merger.attributes();
    merger.cases();
    merger.sets();
    merger.codings();
    merger.memos();
    let Merger { draft, report, .. } = merger;
    let edit = (!draft.is_empty())
        .then(|| draft.finish_labelled(format!("merge a copy ('{}')", other.meta().name)));
    Ok(Merge { edit, report })
}

struct Merger<'p> {
    ours: &'p Project,
    other: &'p Project,
    draft: Draft<'p>,
    report: MergeReport,
    /// OTHER's document id → DIR's (for documents with the same text).
    documents: HashMap<DocumentId, DocumentId>,
    codes: HashMap<CodeId, CodeId>,
    coders: HashMap<CoderId, CoderId>,
    cases: HashMap<CaseId, CaseId>,
    /// Codings brought over (memos on others are left out).
    codings: HashSet<CodingId>,
}

impl Merger<'_> {
    fn conflict(&mut self, message: String) {
        self.report.conflicts.push(message);
    }

    fn documents(&mut self) -> Result<(), MergeError> {
        let by_hash: HashMap<(&str, usize), DocumentId> = self
            .ours
            .documents()
            .values()
            .map(|d| ((d.text_hash.as_str(), d.char_len), d.id))
            .collect();
        let mut names: HashSet<String> = self
            .ours
            .documents()
            .values()
            .map(|d| d.name.clone())
            .collect();
        let mut shared = 0;
        for doc in self.other.documents().values() {
            if let Some(mine) = self.ours.documents().get(&doc.id) {
                if mine.text_hash == doc.text_hash && mine.char_len == doc.char_len {
                    self.documents.insert(doc.id, mine.id);
                    shared += 1;
                } else {
                    self.report.documents_differing += 1;
                    self.conflict(format!(
                        "document '{}' has a different text in the other copy; kept this copy's text and left out \
                         the other copy's codings, memos and memberships of it",
                        mine.name
                    ));
                }
                continue;
            }
            if let Some(mine) = by_hash.get(&(doc.text_hash.as_str(), doc.char_len)) {
                self.documents.insert(doc.id, *mine);
                shared += 1;
                continue;
            }
            let name = crate::import::unique_name(&names, &doc.name);
            if name != doc.name {
                self.conflict(format!(
                    "the other copy's document '{}' is a different text with a name used here; added as '{name}'",
                    doc.name
                ));
            }
            names.insert(name.clone());
            let mut document = doc.clone();
            document.name = name;
            let text = match self.other.texts().get_checked(&doc.id) {
                Some(Ok(text)) => text,
                Some(Err(problem)) => {
                    return Err(MergeError::Text {
                        document: doc.name.clone(),
                        problem,
                    });
                }
                None => {
                    return Err(MergeError::Text {
                        document: doc.name.clone(),
                        problem: "the other copy has no text for it".into(),
                    });
                }
            };
            self.draft
                .put(Entity::Document(Box::new(DocumentEntry { document, text })));
            self.documents.insert(doc.id, doc.id);
            self.report.documents_added += 1;
        }
        self.report.documents_shared = shared;
        if shared == 0 && !self.ours.documents().is_empty() && !self.other.documents().is_empty() {
            return Err(MergeError::Unrelated {
                other: self.other.meta().name.clone(),
            });
        }
        Ok(())
    }

    fn coders(&mut self) {
        for coder in self.other.coders().values() {
            if self.ours.coders().contains_key(&coder.id) {
                self.coders.insert(coder.id, coder.id);
                let mine = &self.ours.coders()[&coder.id];
                if mine.name != coder.name {
                    let message = format!(
                        "coder '{}' is called '{}' in the other copy; kept '{}'",
                        mine.name, coder.name, mine.name
                    );
                    self.conflict(message);
                }
            } else if let Some(mine) = self.draft.coder_named(&coder.name) {
                self.coders.insert(coder.id, mine.id);
            } else {
                self.coders.insert(coder.id, coder.id);
                self.draft.put(Entity::Coder(coder.clone()));
                self.report.coders_added += 1;
            }
        }
    }

    fn codes(&mut self) {
        for (_, code) in self.other.code_tree() {
            let parent = code.parent.and_then(|p| self.codes.get(&p).copied());
            if let Some(mine) = self.ours.codes().get(&code.id) {
                self.codes.insert(code.id, mine.id);
                self.code_conflicts(mine, code, parent);
                continue;
            }
            if let Some(mine) = self.draft.child_named(parent, &code.name) {
                // OTHER made its own code of the same path: one code.
                let mine = mine.id;
                self.codes.insert(code.id, mine);
                self.report.codes_matched_by_name += 1;
                continue;
            }
            let order = self
                .draft
                .children(parent)
                .last()
                .map_or(code.order, |last| code.order.max(last.order + 1));
            self.draft.put(Entity::Code(Code {
                parent,
                order,
                ..code.clone()
            }));
            self.codes.insert(code.id, code.id);
            self.report.codes_added += 1;
        }
    }

    fn code_conflicts(&mut self, mine: &Code, theirs: &Code, parent: Option<CodeId>) {
        let path = self.ours.code_path(mine.id);
        if mine.name != theirs.name {
            self.conflict(format!(
                "code '{path}' is named '{}' in the other copy; kept '{}'",
                theirs.name, mine.name
            ));
        }
        if mine.parent != parent {
            let there = parent.map_or_else(|| "the top".to_string(), |p| self.ours.code_path(p));
            self.conflict(format!(
                "code '{path}' sits under '{there}' in the other copy; kept it where it is"
            ));
        }
        if mine.description != theirs.description {
            self.conflict(format!(
                "code '{path}' has another description in the other copy (\"{}\"); kept this copy's",
                theirs.description
            ));
        }
        if mine.colour != theirs.colour {
            self.conflict(format!(
                "code '{path}' is {} in the other copy; kept {}",
                theirs.colour, mine.colour
            ));
        }
    }

    fn attributes(&mut self) {
        for def in self.other.attributes().values() {
            match self.draft.attribute_named(&def.name) {
                Some(mine) if mine.kind == def.kind => {}
                Some(mine) => {
                    let message = format!(
                        "attribute '{}' is {} in the other copy but {} here; kept {} and left out the other copy's values",
                        def.name,
                        def.kind.keyword(),
                        mine.kind.keyword(),
                        mine.kind.keyword()
                    );
                    self.conflict(message);
                }
                None => {
                    self.draft.put(Entity::Attribute(def.clone()));
                    self.report.attributes_added += 1;
                }
            }
        }
    }

    fn mapped_documents(&self, documents: &BTreeSet<DocumentId>) -> BTreeSet<DocumentId> {
        documents
            .iter()
            .filter_map(|d| self.documents.get(d).copied())
            .collect()
    }

    fn cases(&mut self) {
        for case in self.other.cases().values() {
            let documents = self.mapped_documents(&case.documents);
            let existing = self
                .draft
                .case(case.id)
                .or_else(|| self.draft.case_named(&case.name))
                .cloned();
            let mut merged = existing.clone().unwrap_or_else(|| Case {
                documents: BTreeSet::new(),
                attributes: BTreeMap::new(),
                ..case.clone()
            });
            self.cases.insert(case.id, merged.id);
            merged.documents.extend(documents);
            for (name, value) in &case.attributes {
                let fits = self
                    .draft
                    .attribute_named(name)
                    .is_some_and(|def| def.name == *name && def.kind == value.kind());
                match merged.attributes.get(name) {
                    Some(mine) if mine != value => {
                        let message = format!(
                            "case '{}' has {name} = {value} in the other copy; kept {mine}",
                            merged.name
                        );
                        self.conflict(message);
                    }
                    Some(_) => {}
                    None if fits => drop(merged.attributes.insert(name.clone(), value.clone())),
                    None => {}
                }
            }
            match existing {
                Some(old) if old == merged => {}
                Some(_) => {
                    self.draft.put(Entity::Case(merged));
                    self.report.cases_updated += 1;
                }
                None => {
                    self.draft.put(Entity::Case(merged));
                    self.report.cases_added += 1;
                }
            }
        }
    }

    fn sets(&mut self) {
        for set in self.other.sets().values() {
            let documents = self.mapped_documents(&set.documents);
            let existing = self
                .draft
                .set(set.id)
                .or_else(|| self.draft.set_named(&set.name))
                .cloned();
            let mut merged = existing.clone().unwrap_or_else(|| DocumentSet {
                documents: BTreeSet::new(),
                ..set.clone()
            });
            merged.documents.extend(documents);
            match existing {
                Some(old) if old == merged => {}
                Some(_) => {
                    self.draft.put(Entity::Set(merged));
                    self.report.sets_updated += 1;
                }
                None => {
                    self.draft.put(Entity::Set(merged));
                    self.report.sets_added += 1;
                }
            }
        }
    }

    fn codings(&mut self) {
        let key = |c: &Coding| (c.document, c.code, c.coder, c.range);
        let present: HashSet<(DocumentId, CodeId, CoderId, CharRange)> =
            self.ours.codings().values().map(key).collect();
        let mut left_out: BTreeMap<String, usize> = BTreeMap::new();
        for coding in self.other.codings().values() {
            if let Some(mine) = self.ours.codings().get(&coding.id) {
                self.codings.insert(coding.id);
                if mine.range != coding.range
                    || mine.code != self.codes.get(&coding.code).copied().unwrap_or(coding.code)
                    || mine.memo != coding.memo
                {
                    let message = format!(
                        "coding {} (in '{}') differs in the other copy; kept this copy's",
                        mine.id,
                        self.ours
                            .documents()
                            .get(&mine.document)
                            .map_or("?", |d| d.name.as_str())
                    );
                    self.conflict(message);
                }
                continue;
            }
            let mapped = (
                self.documents.get(&coding.document).copied(),
                self.codes.get(&coding.code).copied(),
                self.coders.get(&coding.coder).copied(),
            );
            let (Some(document), Some(code), Some(coder)) = mapped else {
                let name = self
                    .other
                    .documents()
                    .get(&coding.document)
                    .map_or_else(|| coding.document.to_string(), |d| d.name.clone());
                *left_out.entry(name).or_default() += 1;
                continue;
            };
            let merged = Coding {
                document,
                code,
                coder,
                ..coding.clone()
            };
            if present.contains(&key(&merged)) {
                self.report.codings_already_present += 1;
                continue;
            }
            self.codings.insert(coding.id);
            self.draft.put(Entity::Coding(merged));
            self.report.codings_added += 1;
        }
        for (name, n) in left_out {
            self.report.codings_left_out += n;
            self.conflict(format!(
                "left out {n} coding(s) of '{name}' from the other copy (its text differs here)"
            ));
        }
    }

    fn memos(&mut self) {
        for memo in self.other.memos().values() {
            if let Some(mine) = self.ours.memos().get(&memo.id) {
                if mine.title != memo.title || mine.text != memo.text {
                    let message = format!(
                        "memo '{}' differs in the other copy; kept this copy's",
                        mine.title
                    );
                    self.conflict(message);
                }
                continue;
            }
            let target = match memo.target {
                MemoTarget::Project => Some(MemoTarget::Project),
                MemoTarget::Document(d) => self.documents.get(&d).map(|d| MemoTarget::Document(*d)),
                MemoTarget::Code(c) => self.codes.get(&c).map(|c| MemoTarget::Code(*c)),
                MemoTarget::Coding(c) => self.codings.contains(&c).then_some(MemoTarget::Coding(c)),
                MemoTarget::Case(c) => self.cases.get(&c).map(|c| MemoTarget::Case(*c)),
            };
            let Some(target) = target else {
                self.conflict(format!(
                    "left out memo '{}': what it is about was not merged",
                    memo.title
                ));
                continue;
            };
            let same =
                |m: &Memo| m.target == target && m.title == memo.title && m.text == memo.text;
            if self.ours.memos().values().any(same) {
                continue;
            }
            let author = memo.author.and_then(|a| self.coders.get(&a).copied());
            self.draft.put(Entity::Memo(Memo {
                target,
                author,
                ..memo.clone()
            }));
            self.report.memos_added += 1;
        }
    }
}
