//! Applying an [`Edit`] to a [`Project`]: validation, the change itself, and the inverse edit that undoes it.

use std::sync::Arc;

use super::{Language, MemoTarget, Project};
use crate::edit::{DocumentEntry, Edit, EditError, Entity, EntityKey, Touched};

impl Project {
    /// Counts one document fewer in `language` (see `Project::document_languages`).
    fn forget_language(&mut self, language: Option<Language>) {
        if let Some(count) = self.document_languages.get_mut(&language) {
            *count -= 1;
            if *count == 0 {
                self.document_languages.remove(&language);
            }
        }
    }

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
                let (id, name) = (document.id, document.name.clone());
                *self
                    .document_languages
                    .entry(document.language)
                    .or_insert(0) += 1;
                let old = self.documents.insert(id, document);
                if let Some(old) = &old {
                    self.document_names.remove(&old.name, id);
                    self.forget_language(old.language);
                }
                self.document_names.insert(name, id);
                old.map(|old| {
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
                let (id, lower) = (case.id, case.name.to_lowercase());
                let old = self.cases.insert(id, case);
                if let Some(old) = &old {
                    self.case_names.remove(&old.name.to_lowercase(), id);
                }
                self.case_names.insert(lower, id);
                old.map(Entity::Case)
            }
            Entity::Set(set) => {
                touched.push(Touched::Sets);
                self.sets.insert(set.id, set).map(Entity::Set)
            }
        };
        Ok(match old {
            Some(old) => Edit::Put(old),
            None => Edit::Delete(key.ok_or(EditError::Invalid {
                key: None,
                message: "the project metadata cannot be deleted".into(),
            })?),
        })
    }

    fn delete(&mut self, key: EntityKey, touched: &mut Vec<Touched>) -> Result<Edit, EditError> {
        if let Some(why) = self.still_used(&key) {
            let what = self.describe(&key);
            return Err(EditError::InUse { key, what, why });
        }
        let missing = || EditError::Missing(key.clone());
        let old = match &key {
            EntityKey::Document(id) => {
                let document = self.documents.remove(id).ok_or_else(missing)?;
                self.document_names.remove(&document.name, document.id);
                self.forget_language(document.language);
                touched.extend([Touched::Documents, Touched::Source(*id)]);
                let text = self.texts.remove(id).unwrap_or_else(|| Arc::from(""));
                Entity::Document(Box::new(DocumentEntry { document, text }))
            }
            EntityKey::Code(id) => {
                touched.push(Touched::Codebook);
                Entity::Code(self.codes.remove(id).ok_or_else(missing)?)
            }
            EntityKey::Coding(id) => {
                let coding = self.codings.remove(id).ok_or_else(missing)?;
                touched.push(Touched::Codings(coding.coder));
                Entity::Coding(coding)
            }
            EntityKey::Coder(id) => {
                let coder = self.coders.remove(id).ok_or_else(missing)?;
                touched.push(Touched::Codings(*id));
                Entity::Coder(coder)
            }
            EntityKey::Memo(id) => {
                let memo = self.memos.remove(id).ok_or_else(missing)?;
                touched.push(Touched::Memos);
                Entity::Memo(memo)
            }
            EntityKey::Attribute(name) => {
                let def = self.attributes.remove(name).ok_or_else(missing)?;
                touched.push(Touched::Cases);
                Entity::Attribute(def)
            }
            EntityKey::Case(id) => {
                let case = self.cases.remove(id).ok_or_else(missing)?;
                self.case_names.remove(&case.name.to_lowercase(), case.id);
                touched.push(Touched::Cases);
                Entity::Case(case)
            }
            EntityKey::Set(id) => {
                let set = self.sets.remove(id).ok_or_else(missing)?;
                touched.push(Touched::Sets);
                Entity::Set(set)
            }
        };
        Ok(Edit::Put(old))
    }

    /// Why an entity cannot be deleted yet (other entities still refer to it), if they do.
    fn still_used(&self, key: &EntityKey) -> Option<String> {
        let has_memo = |target: MemoTarget| self.memos.values().any(|m| m.target == target);
        let why = match key {
            EntityKey::Document(id) => {
                if self.codings.values().any(|c| c.document == *id) {
                    "it has codings"
                } else if has_memo(MemoTarget::Document(*id)) {
                    "it has memos"
                } else if self.cases.values().any(|c| c.documents.contains(id)) {
                    "it belongs to a case"
                } else if self.sets.values().any(|s| s.documents.contains(id)) {
                    "it belongs to a set"
                } else {
                    return None;
                }
            }
            EntityKey::Code(id) => {
                if self.codes.values().any(|c| c.parent == Some(*id)) {
                    "it has sub-codes"
                } else if self.codings.values().any(|c| c.code == *id) {
                    "it has codings"
                } else if has_memo(MemoTarget::Code(*id)) {
                    "it has memos"
                } else {
                    return None;
                }
            }
            EntityKey::Coding(id) => {
                if !has_memo(MemoTarget::Coding(*id)) {
                    return None;
                }
                "it has memos"
            }
            EntityKey::Coder(id) => {
                if !(self.codings.values().any(|c| c.coder == *id)
                    || self.memos.values().any(|m| m.author == Some(*id)))
                {
                    return None;
                }
                "they have codings or memos"
            }
            EntityKey::Attribute(name) => {
                let case = self
                    .cases
                    .values()
                    .find(|c| c.attributes.contains_key(name))?;
                return Some(format!("case '{}' has a value", case.name));
            }
            EntityKey::Case(id) => {
                if !has_memo(MemoTarget::Case(*id)) {
                    return None;
                }
                "it has memos"
            }
            EntityKey::Memo(_) | EntityKey::Set(_) => return None,
        };
        Some(why.to_string())
    }

    /// A human name for an entity: "code 'Resource shortage'", or the key when it is unknown.
    pub fn describe(&self, key: &EntityKey) -> String {
        let named = |kind: &str, name: Option<&str>| match name {
            Some(name) => format!("{kind} '{name}'"),
            None => key.to_string(),
        };
        match key {
            EntityKey::Document(id) => {
                named("document", self.documents.get(id).map(|d| d.name.as_str()))
            }
            EntityKey::Code(id) => named("code", self.codes.get(id).map(|c| c.name.as_str())),
            EntityKey::Coder(id) => named("coder", self.coders.get(id).map(|c| c.name.as_str())),
            EntityKey::Memo(id) => named("memo", self.memos.get(id).map(|m| m.title.as_str())),
            EntityKey::Case(id) => named("case", self.cases.get(id).map(|c| c.name.as_str())),
            EntityKey::Set(id) => named("set", self.sets.get(id).map(|s| s.name.as_str())),
            EntityKey::Coding(_) | EntityKey::Attribute(_) => key.to_string(),
        }
    }
}
