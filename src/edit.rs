//! The one way to change a project: an [`Edit`] value; applying it returns its inverse (undo, autosave, CLI, GUI).

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::ids::{CaseId, CodeId, CoderId, CodingId, DocumentId, MemoId, SetId};
use crate::model::{
    AttributeDef, Case, Code, Coder, Coding, Document, DocumentSet, Memo, MemoTarget, Project,
    ProjectMeta, is_valid_colour, text_hash,
};
use crate::offsets::char_len;

/// A document together with its (immutable) text, as added by an import.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocumentEntry {
    pub document: Document,
    pub text: Arc<str>,
}

/// Any entity of a project, as stored by a [`Edit::Put`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Entity {
    Meta(ProjectMeta),
    Document(Box<DocumentEntry>),
    Code(Code),
    Coding(Coding),
    Coder(Coder),
    Memo(Memo),
    Attribute(AttributeDef),
    Case(Case),
    Set(DocumentSet),
}

/// The key of an entity, for [`Edit::Delete`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EntityKey {
    Document(DocumentId),
    Code(CodeId),
    Coding(CodingId),
    Coder(CoderId),
    Memo(MemoId),
    Attribute(String),
    Case(CaseId),
    Set(SetId),
}

/// A change to a project. Ids are assigned before an edit is built, so redo recreates the same ids.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Edit {
    /// Insert an entity, or replace the one with the same key.
    Put(Entity),
    /// Remove an entity. Fails while other entities refer to it (build cascades with [`crate::ops`]).
    Delete(EntityKey),
    /// Several edits applied as one step, all or nothing.
    Batch { label: String, edits: Vec<Edit> },
}

/// Why an edit was refused. The project is unchanged when an edit fails.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("{0} does not exist")]
    Missing(String),
    #[error("{0}")]
    Invalid(String),
    #[error("{0} is still in use: {1}")]
    InUse(String, String),
}

/// Which project files an edit touched, so a save writes only those.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Touched {
    Meta,
    Documents,
    Source(DocumentId),
    Codebook,
    Codings(CoderId),
    Memos,
    Cases,
    Sets,
}

impl Entity {
    /// The key a delete would use; `None` for the project metadata, which always exists.
    pub fn key(&self) -> Option<EntityKey> {
        Some(match self {
            Self::Meta(_) => return None,
            Self::Document(d) => EntityKey::Document(d.document.id),
            Self::Code(c) => EntityKey::Code(c.id),
            Self::Coding(c) => EntityKey::Coding(c.id),
            Self::Coder(c) => EntityKey::Coder(c.id),
            Self::Memo(m) => EntityKey::Memo(m.id),
            Self::Attribute(a) => EntityKey::Attribute(a.name.clone()),
            Self::Case(c) => EntityKey::Case(c.id),
            Self::Set(s) => EntityKey::Set(s.id),
        })
    }
}

impl Edit {
    /// A batch, unless it holds a single edit.
    pub fn batch(label: impl Into<String>, mut edits: Vec<Edit>) -> Edit {
        if edits.len() == 1
            && let Some(edit) = edits.pop()
        {
            return edit;
        }
        Edit::Batch {
            label: label.into(),
            edits,
        }
    }

    /// A short description for menus ("Undo: code 'Resource shortage'").
    pub fn label(&self, project: &Project) -> String {
        match self {
            Edit::Batch { label, .. } => label.clone(),
            Edit::Put(entity) => match entity {
                Entity::Meta(_) => "change project settings".into(),
                Entity::Document(d) => format!("import '{}'", d.document.name),
                Entity::Code(c) => match project.codes.get(&c.id) {
                    Some(_) => format!("change code '{}'", c.name),
                    None => format!("add code '{}'", c.name),
                },
                Entity::Coding(c) => {
                    let name = project
                        .codes
                        .get(&c.code)
                        .map(|c| c.name.as_str())
                        .unwrap_or("?");
                    format!("code '{name}'")
                }
                Entity::Coder(c) => format!("add coder '{}'", c.name),
                Entity::Memo(m) => format!("memo '{}'", m.title),
                Entity::Attribute(a) => format!("define attribute '{}'", a.name),
                Entity::Case(c) => format!("change case '{}'", c.name),
                Entity::Set(s) => format!("change set '{}'", s.name),
            },
            Edit::Delete(key) => match key {
                EntityKey::Document(id) => {
                    format!(
                        "remove document '{}'",
                        project
                            .documents
                            .get(id)
                            .map(|d| d.name.as_str())
                            .unwrap_or("?")
                    )
                }
                EntityKey::Code(id) => {
                    format!(
                        "delete code '{}'",
                        project
                            .codes
                            .get(id)
                            .map(|c| c.name.as_str())
                            .unwrap_or("?")
                    )
                }
                EntityKey::Coding(_) => "remove coding".into(),
                EntityKey::Coder(_) => "remove coder".into(),
                EntityKey::Memo(_) => "delete memo".into(),
                EntityKey::Attribute(name) => format!("remove attribute '{name}'"),
                EntityKey::Case(id) => {
                    format!(
                        "delete case '{}'",
                        project
                            .cases
                            .get(id)
                            .map(|c| c.name.as_str())
                            .unwrap_or("?")
                    )
                }
                EntityKey::Set(_) => "delete set".into(),
            },
        }
    }
}

impl Project {
    /// Applies an edit and returns the edit that undoes it. On error nothing changes.
    pub fn apply(&mut self, edit: Edit) -> Result<Edit, EditError> {
        let mut touched = Vec::new();
        self.apply_tracked(edit, &mut touched)
    }

    /// Like [`Project::apply`], also recording which files the edit touched.
    pub fn apply_tracked(
        &mut self,
        edit: Edit,
        touched: &mut Vec<Touched>,
    ) -> Result<Edit, EditError> {
        match edit {
            Edit::Put(entity) => self.put(entity, touched),
            Edit::Delete(key) => self.delete(key, touched),
            Edit::Batch { label, edits } => {
                let mut inverses = Vec::with_capacity(edits.len());
                for edit in edits {
                    match self.apply_tracked(edit, touched) {
                        Ok(inverse) => inverses.push(inverse),
                        Err(error) => {
                            for inverse in inverses.into_iter().rev() {
                                // Inverses of edits that just succeeded always apply.
                                let _ = self.apply_tracked(inverse, touched);
                            }
                            return Err(error);
                        }
                    }
                }
                inverses.reverse();
                Ok(Edit::Batch {
                    label,
                    edits: inverses,
                })
            }
        }
    }

    fn put(&mut self, entity: Entity, touched: &mut Vec<Touched>) -> Result<Edit, EditError> {
        self.validate(&entity)?;
        let key = entity.key();
        let old = match entity {
            Entity::Meta(meta) => {
                touched.push(Touched::Meta);
                return Ok(Edit::Put(Entity::Meta(std::mem::replace(
                    &mut self.meta,
                    meta,
                ))));
            }
            Entity::Document(entry) => {
                let DocumentEntry { document, text } = *entry;
                touched.extend([Touched::Documents, Touched::Source(document.id)]);
                self.texts.insert(document.id, text.clone());
                self.documents.insert(document.id, document).map(|old| {
                    Entity::Document(Box::new(DocumentEntry {
                        document: old,
                        text,
                    }))
                })
            }
            Entity::Code(code) => {
                touched.push(Touched::Codebook);
                self.codes.insert(code.id, code).map(Entity::Code)
            }
            Entity::Coding(coding) => {
                touched.push(Touched::Codings(coding.coder));
                let old = self.codings.insert(coding.id, coding);
                if let Some(old) = &old {
                    touched.push(Touched::Codings(old.coder));
                }
                old.map(Entity::Coding)
            }
            Entity::Coder(coder) => {
                touched.push(Touched::Codings(coder.id));
                self.coders.insert(coder.id, coder).map(Entity::Coder)
            }
            Entity::Memo(memo) => {
                touched.push(Touched::Memos);
                self.memos.insert(memo.id, memo).map(Entity::Memo)
            }
            Entity::Attribute(def) => {
                touched.push(Touched::Cases);
                self.attributes
                    .insert(def.name.clone(), def)
                    .map(Entity::Attribute)
            }
            Entity::Case(case) => {
                touched.push(Touched::Cases);
                self.cases.insert(case.id, case).map(Entity::Case)
            }
            Entity::Set(set) => {
                touched.push(Touched::Sets);
                self.sets.insert(set.id, set).map(Entity::Set)
            }
        };
        Ok(match old {
            Some(old) => Edit::Put(old),
            None => Edit::Delete(key.ok_or_else(|| EditError::Invalid("project metadata".into()))?),
        })
    }

    fn validate(&self, entity: &Entity) -> Result<(), EditError> {
        match entity {
            Entity::Meta(meta) => {
                if meta.name.trim().is_empty() {
                    return Err(EditError::Invalid("a project needs a name".into()));
                }
            }
            Entity::Document(entry) => {
                let doc = &entry.document;
                if doc.name.trim().is_empty() {
                    return Err(EditError::Invalid("a document needs a name".into()));
                }
                if let Some(old) = self.texts.get(&doc.id)
                    && **old != *entry.text
                {
                    {
                        return Err(EditError::Invalid(format!(
                            "the text of '{}' cannot change after import",
                            doc.name
                        )));
                    }
                }
                if char_len(&entry.text) != doc.char_len || text_hash(&entry.text) != doc.text_hash
                {
                    return Err(EditError::Invalid(format!(
                        "'{}': length or hash does not match its text",
                        doc.name
                    )));
                }
                if let Some(other) = self
                    .documents
                    .values()
                    .find(|d| d.name == doc.name && d.id != doc.id)
                {
                    return Err(EditError::Invalid(format!(
                        "a document named '{}' already exists",
                        other.name
                    )));
                }
                let in_range =
                    |r: &crate::offsets::CharRange| r.start <= r.end && r.end <= doc.char_len;
                if !doc.paragraphs.iter().all(in_range)
                    || !doc.turns.iter().all(|t| in_range(&t.range))
                {
                    return Err(EditError::Invalid(format!(
                        "'{}': a paragraph or turn lies outside the text",
                        doc.name
                    )));
                }
            }
            Entity::Code(code) => {
                if code.name.trim().is_empty() {
                    return Err(EditError::Invalid("a code needs a name".into()));
                }
                if code.name.contains(crate::model::PATH_SEPARATOR) {
                    return Err(EditError::Invalid(format!(
                        "a code name cannot contain '/': '{}'",
                        code.name
                    )));
                }
                if !is_valid_colour(&code.colour) {
                    return Err(EditError::Invalid(format!(
                        "'{}' is not a colour like #1f77b4",
                        code.colour
                    )));
                }
                if let Some(parent) = code.parent {
                    if !self.codes.contains_key(&parent) {
                        return Err(EditError::Missing(format!("parent code {parent}")));
                    }
                    if self.is_ancestor_or_self(code.id, parent) {
                        return Err(EditError::Invalid(format!(
                            "'{}' cannot be moved under itself",
                            code.name
                        )));
                    }
                }
                let lower = code.name.to_lowercase();
                if let Some(sibling) = self.codes.values().find(|c| {
                    c.parent == code.parent && c.id != code.id && c.name.to_lowercase() == lower
                }) {
                    return Err(EditError::Invalid(format!(
                        "a code named '{}' already exists there",
                        sibling.name
                    )));
                }
            }
            Entity::Coding(coding) => {
                let doc = self
                    .documents
                    .get(&coding.document)
                    .ok_or_else(|| EditError::Missing(format!("document {}", coding.document)))?;
                if !self.codes.contains_key(&coding.code) {
                    return Err(EditError::Missing(format!("code {}", coding.code)));
                }
                if !self.coders.contains_key(&coding.coder) {
                    return Err(EditError::Missing(format!("coder {}", coding.coder)));
                }
                if coding.range.is_empty() || coding.range.end > doc.char_len {
                    return Err(EditError::Invalid(format!(
                        "range {} is empty or outside '{}' (0..{})",
                        coding.range, doc.name, doc.char_len
                    )));
                }
            }
            Entity::Coder(coder) => {
                if coder.name.trim().is_empty() {
                    return Err(EditError::Invalid("a coder needs a name".into()));
                }
                let lower = coder.name.to_lowercase();
                if self
                    .coders
                    .values()
                    .any(|c| c.id != coder.id && c.name.to_lowercase() == lower)
                {
                    return Err(EditError::Invalid(format!(
                        "a coder named '{}' already exists",
                        coder.name
                    )));
                }
            }
            Entity::Memo(memo) => {
                let exists = match memo.target {
                    MemoTarget::Project => true,
                    MemoTarget::Document(id) => self.documents.contains_key(&id),
                    MemoTarget::Code(id) => self.codes.contains_key(&id),
                    MemoTarget::Coding(id) => self.codings.contains_key(&id),
                    MemoTarget::Case(id) => self.cases.contains_key(&id),
                };
                if !exists {
                    return Err(EditError::Missing(format!(
                        "the memo's target {:?}",
                        memo.target
                    )));
                }
                if let Some(author) = memo.author
                    && !self.coders.contains_key(&author)
                {
                    {
                        return Err(EditError::Missing(format!("coder {author}")));
                    }
                }
            }
            Entity::Attribute(def) => {
                if def.name.trim().is_empty() {
                    return Err(EditError::Invalid("an attribute needs a name".into()));
                }
                if let Some(case) = self.cases.values().find(|c| {
                    c.attributes
                        .get(&def.name)
                        .is_some_and(|v| v.kind() != def.kind)
                }) {
                    return Err(EditError::InUse(
                        format!("attribute '{}'", def.name),
                        format!("case '{}' has a value of another type", case.name),
                    ));
                }
            }
            Entity::Case(case) => {
                if case.name.trim().is_empty() {
                    return Err(EditError::Invalid("a case needs a name".into()));
                }
                let lower = case.name.to_lowercase();
                if self
                    .cases
                    .values()
                    .any(|c| c.id != case.id && c.name.to_lowercase() == lower)
                {
                    return Err(EditError::Invalid(format!(
                        "a case named '{}' already exists",
                        case.name
                    )));
                }
                for (name, value) in &case.attributes {
                    let def = self
                        .attributes
                        .get(name)
                        .ok_or_else(|| EditError::Missing(format!("attribute '{name}'")))?;
                    if def.kind != value.kind() {
                        return Err(EditError::Invalid(format!(
                            "attribute '{name}' is {}, not {}",
                            def.kind.keyword(),
                            value.kind().keyword()
                        )));
                    }
                }
                if let Some(doc) = case
                    .documents
                    .iter()
                    .find(|d| !self.documents.contains_key(d))
                {
                    return Err(EditError::Missing(format!("document {doc}")));
                }
            }
            Entity::Set(set) => {
                if set.name.trim().is_empty() {
                    return Err(EditError::Invalid("a set needs a name".into()));
                }
                if let Some(doc) = set
                    .documents
                    .iter()
                    .find(|d| !self.documents.contains_key(d))
                {
                    return Err(EditError::Missing(format!("document {doc}")));
                }
            }
        }
        Ok(())
    }

    fn delete(&mut self, key: EntityKey, touched: &mut Vec<Touched>) -> Result<Edit, EditError> {
        let in_use = |what: String, why: String| Err(EditError::InUse(what, why));
        let old = match key {
            EntityKey::Document(id) => {
                let doc = self
                    .documents
                    .get(&id)
                    .ok_or_else(|| EditError::Missing(format!("document {id}")))?;
                let what = format!("document '{}'", doc.name);
                if self.codings.values().any(|c| c.document == id) {
                    return in_use(what, "it has codings".into());
                }
                if self
                    .memos
                    .values()
                    .any(|m| m.target == MemoTarget::Document(id))
                {
                    return in_use(what, "it has memos".into());
                }
                if self.cases.values().any(|c| c.documents.contains(&id)) {
                    return in_use(what, "it belongs to a case".into());
                }
                if self.sets.values().any(|s| s.documents.contains(&id)) {
                    return in_use(what, "it belongs to a set".into());
                }
                touched.extend([Touched::Documents, Touched::Source(id)]);
                let text = self.texts.remove(&id).unwrap_or_else(|| Arc::from(""));
                self.documents
                    .remove(&id)
                    .map(|document| Entity::Document(Box::new(DocumentEntry { document, text })))
            }
            EntityKey::Code(id) => {
                let code = self
                    .codes
                    .get(&id)
                    .ok_or_else(|| EditError::Missing(format!("code {id}")))?;
                let what = format!("code '{}'", code.name);
                if self.codes.values().any(|c| c.parent == Some(id)) {
                    return in_use(what, "it has sub-codes".into());
                }
                if self.codings.values().any(|c| c.code == id) {
                    return in_use(what, "it has codings".into());
                }
                if self
                    .memos
                    .values()
                    .any(|m| m.target == MemoTarget::Code(id))
                {
                    return in_use(what, "it has memos".into());
                }
                touched.push(Touched::Codebook);
                self.codes.remove(&id).map(Entity::Code)
            }
            EntityKey::Coding(id) => {
                if self
                    .memos
                    .values()
                    .any(|m| m.target == MemoTarget::Coding(id))
                {
                    return in_use(format!("coding {id}"), "it has memos".into());
                }
                let coding = self
                    .codings
                    .remove(&id)
                    .ok_or_else(|| EditError::Missing(format!("coding {id}")))?;
                touched.push(Touched::Codings(coding.coder));
                Some(Entity::Coding(coding))
            }
            EntityKey::Coder(id) => {
                let coder = self
                    .coders
                    .get(&id)
                    .ok_or_else(|| EditError::Missing(format!("coder {id}")))?;
                if self.codings.values().any(|c| c.coder == id)
                    || self.memos.values().any(|m| m.author == Some(id))
                {
                    return in_use(
                        format!("coder '{}'", coder.name),
                        "they have codings or memos".into(),
                    );
                }
                touched.push(Touched::Codings(id));
                self.coders.remove(&id).map(Entity::Coder)
            }
            EntityKey::Memo(id) => {
                touched.push(Touched::Memos);
                Some(Entity::Memo(
                    self.memos
                        .remove(&id)
                        .ok_or_else(|| EditError::Missing(format!("memo {id}")))?,
                ))
            }
            EntityKey::Attribute(name) => {
                if let Some(case) = self
                    .cases
                    .values()
                    .find(|c| c.attributes.contains_key(&name))
                {
                    return in_use(
                        format!("attribute '{name}'"),
                        format!("case '{}' has a value", case.name),
                    );
                }
                touched.push(Touched::Cases);
                Some(Entity::Attribute(
                    self.attributes
                        .remove(&name)
                        .ok_or_else(|| EditError::Missing(format!("attribute '{name}'")))?,
                ))
            }
            EntityKey::Case(id) => {
                if self
                    .memos
                    .values()
                    .any(|m| m.target == MemoTarget::Case(id))
                {
                    return in_use(format!("case {id}"), "it has memos".into());
                }
                touched.push(Touched::Cases);
                Some(Entity::Case(
                    self.cases
                        .remove(&id)
                        .ok_or_else(|| EditError::Missing(format!("case {id}")))?,
                ))
            }
            EntityKey::Set(id) => {
                touched.push(Touched::Sets);
                Some(Entity::Set(
                    self.sets
                        .remove(&id)
                        .ok_or_else(|| EditError::Missing(format!("set {id}")))?,
                ))
            }
        };
        old.map(Edit::Put)
            .ok_or_else(|| EditError::Missing("entity".into()))
    }
}
