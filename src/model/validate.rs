//! The rules an entity must satisfy before an edit may store it (names, ranges, references, types).

use super::{
    AttributeDef, Case, Code, Coder, Coding, DocumentSet, Memo, MemoTarget, Project, ProjectMeta,
    is_valid_colour, text_hash,
};
use std::sync::Arc;

use crate::edit::{DocumentEntry, EditError, Entity, EntityKey};
use crate::offsets::{CharRange, char_len};

/// A refusal before the entity's key is attached.
fn invalid(message: impl Into<String>) -> EditError {
    EditError::Invalid {
        key: None,
        message: message.into(),
    }
}

impl Project {
    /// Checks that `entity` may be stored as it is; the error names the entity.
    pub(super) fn validate(&self, entity: &Entity) -> Result<(), EditError> {
        let result = match entity {
            Entity::Meta(meta) => validate_meta(meta),
            Entity::Document(entry) => self.validate_document(entry),
            Entity::Code(code) => self.validate_code(code),
            Entity::Coding(coding) => self.validate_coding(coding),
            Entity::Coder(coder) => self.validate_coder(coder),
            Entity::Memo(memo) => self.validate_memo(memo),
            Entity::Attribute(def) => self.validate_attribute(def),
            Entity::Case(case) => self.validate_case(case),
            Entity::Set(set) => self.validate_set(set),
        };
        result.map_err(|error| match error {
            EditError::Invalid { key: None, message } => EditError::Invalid {
                key: entity.key(),
                message,
            },
            other => other,
        })
    }

    fn validate_document(&self, entry: &DocumentEntry) -> Result<(), EditError> {
        let doc = &entry.document;
        if doc.name.trim().is_empty() {
            return Err(invalid("a document needs a name"));
        }
        if let Some(old) = self.texts.get_transient(&doc.id)
            && !Arc::ptr_eq(&old, &entry.text)
            && *old != *entry.text
        {
            return Err(invalid(format!(
                "the text of '{}' cannot change after import",
                doc.name
            )));
        }
        if char_len(&entry.text) != doc.char_len || text_hash(&entry.text) != doc.text_hash {
            return Err(invalid(format!(
                "'{}': length or hash does not match its text",
                doc.name
            )));
        }
        if self.document_names.taken_by_other(&doc.name, doc.id) {
            return Err(invalid(format!(
                "a document named '{}' already exists",
                doc.name
            )));
        }
        let in_range = |r: &CharRange| r.start <= r.end && r.end <= doc.char_len;
        if !doc.paragraphs.iter().all(in_range) || !doc.turns.iter().all(|t| in_range(&t.range)) {
            return Err(invalid(format!(
                "'{}': a paragraph or turn lies outside the text",
                doc.name
            )));
        }
        Ok(())
    }

    fn validate_code(&self, code: &Code) -> Result<(), EditError> {
        if code.name.trim().is_empty() {
            return Err(invalid("a code needs a name"));
        }
        if code.name.contains(super::PATH_SEPARATOR) {
            return Err(invalid(format!(
                "a code name cannot contain '/': '{}'",
                code.name
            )));
        }
        if !is_valid_colour(&code.colour) {
            return Err(invalid(format!(
                "'{}' is not a colour like #1f77b4",
                code.colour
            )));
        }
        if let Some(parent) = code.parent {
            if !self.codes.contains_key(&parent) {
                return Err(EditError::Missing(EntityKey::Code(parent)));
            }
            if self.is_ancestor_or_self(code.id, parent) {
                return Err(invalid(format!(
                    "'{}' cannot be moved under itself",
                    code.name
                )));
            }
        }
        let lower = code.name.to_lowercase();
        if let Some(sibling) = self
            .codes
            .values()
            .find(|c| c.parent == code.parent && c.id != code.id && c.name.to_lowercase() == lower)
        {
            return Err(invalid(format!(
                "a code named '{}' already exists there",
                sibling.name
            )));
        }
        Ok(())
    }

    fn validate_coding(&self, coding: &Coding) -> Result<(), EditError> {
        let doc = self
            .documents
            .get(&coding.document)
            .ok_or(EditError::Missing(EntityKey::Document(coding.document)))?;
        if !self.codes.contains_key(&coding.code) {
            return Err(EditError::Missing(EntityKey::Code(coding.code)));
        }
        if !self.coders.contains_key(&coding.coder) {
            return Err(EditError::Missing(EntityKey::Coder(coding.coder)));
        }
        if coding.range.is_empty() || coding.range.end > doc.char_len {
            return Err(invalid(format!(
                "range {} is empty or outside '{}' (0..{})",
                coding.range, doc.name, doc.char_len
            )));
        }
        Ok(())
    }

    fn validate_coder(&self, coder: &Coder) -> Result<(), EditError> {
        if coder.name.trim().is_empty() {
            return Err(invalid("a coder needs a name"));
        }
        if let Some(colour) = &coder.colour
            && !super::is_valid_colour(colour)
        {
            return Err(invalid(format!("'{colour}' is not a colour like #1f77b4")));
        }
        let lower = coder.name.to_lowercase();
        if self
            .coders
            .values()
            .any(|c| c.id != coder.id && c.name.to_lowercase() == lower)
        {
            return Err(invalid(format!(
                "a coder named '{}' already exists",
                coder.name
            )));
        }
        Ok(())
    }

    fn validate_memo(&self, memo: &Memo) -> Result<(), EditError> {
        if let Some(key) = self.missing_target(memo.target) {
            return Err(EditError::Missing(key));
        }
        if let Some(author) = memo.author
            && !self.coders.contains_key(&author)
        {
            return Err(EditError::Missing(EntityKey::Coder(author)));
        }
        Ok(())
    }

    /// The key of a memo target that does not exist, if it does not.
    pub(crate) fn missing_target(&self, target: MemoTarget) -> Option<EntityKey> {
        let (exists, key) = match target {
            MemoTarget::Project => return None,
            MemoTarget::Document(id) => (self.documents.contains_key(&id), EntityKey::Document(id)),
            MemoTarget::Code(id) => (self.codes.contains_key(&id), EntityKey::Code(id)),
            MemoTarget::Coding(id) => (self.codings.contains_key(&id), EntityKey::Coding(id)),
            MemoTarget::Case(id) => (self.cases.contains_key(&id), EntityKey::Case(id)),
        };
        (!exists).then_some(key)
    }

    fn validate_attribute(&self, def: &AttributeDef) -> Result<(), EditError> {
        if def.name.trim().is_empty() {
            return Err(invalid("an attribute needs a name"));
        }
        if let Some(case) = self.cases.values().find(|c| {
            c.attributes
                .get(&def.name)
                .is_some_and(|v| v.kind() != def.kind)
        }) {
            return Err(EditError::InUse {
                key: EntityKey::Attribute(def.name.clone()),
                what: format!("attribute '{}'", def.name),
                why: format!("case '{}' has a value of another type", case.name),
            });
        }
        Ok(())
    }

    fn validate_case(&self, case: &Case) -> Result<(), EditError> {
        if case.name.trim().is_empty() {
            return Err(invalid("a case needs a name"));
        }
        if self
            .case_names
            .taken_by_other(&case.name.to_lowercase(), case.id)
        {
            return Err(invalid(format!(
                "a case named '{}' already exists",
                case.name
            )));
        }
        for (name, value) in &case.attributes {
            let def = self
                .attributes
                .get(name)
                .ok_or_else(|| EditError::Missing(EntityKey::Attribute(name.clone())))?;
            if def.kind != value.kind() {
                return Err(invalid(format!(
                    "attribute '{name}' is {}, not {}",
                    def.kind.keyword(),
                    value.kind().keyword()
                )));
            }
        }
        self.documents_exist(case.documents.iter())
    }

    fn validate_set(&self, set: &DocumentSet) -> Result<(), EditError> {
        if set.name.trim().is_empty() {
            return Err(invalid("a set needs a name"));
        }
        self.documents_exist(set.documents.iter())
    }

    fn documents_exist<'a>(
        &self,
        mut ids: impl Iterator<Item = &'a crate::ids::DocumentId>,
    ) -> Result<(), EditError> {
        match ids.find(|d| !self.documents.contains_key(d)) {
            Some(doc) => Err(EditError::Missing(EntityKey::Document(*doc))),
            None => Ok(()),
        }
    }
}

fn validate_meta(meta: &ProjectMeta) -> Result<(), EditError> {
    if meta.name.trim().is_empty() {
        return Err(invalid("a project needs a name"));
    }
    Ok(())
}
