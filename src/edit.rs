//! The one way to change a project: an [`Edit`] value; applying it returns its inverse (undo, autosave, CLI, GUI).

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::ids::{CaseId, CodeId, CoderId, CodingId, DocumentId, MemoId, SetId};
use crate::model::{
    AttributeDef, Case, Code, Coder, Coding, Document, DocumentSet, Memo, Project, ProjectMeta,
};

/// A document together with its (immutable) text, as added by an import.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocumentEntry {
    /// The document's metadata and structure; its length and hash must match `text`.
    pub document: Document,
    /// The full text, UTF-8 with LF line ends; it cannot change once the document is in the project.
    pub text: Arc<str>,
}

/// Any entity of a project, as stored by a [`Edit::Put`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Entity {
    /// The project's name, language, description and format version.
    Meta(ProjectMeta),
    /// An imported document with its text.
    Document(Box<DocumentEntry>),
    /// A code in the codebook.
    Code(Code),
    /// A code applied to a passage by a coder.
    Coding(Coding),
    /// A person who codes.
    Coder(Coder),
    /// A note on the project, a document, a code, a coding or a case.
    Memo(Memo),
    /// The name and type of a case attribute.
    Attribute(AttributeDef),
    /// A case with its attribute values and documents.
    Case(Case),
    /// A named group of documents.
    Set(DocumentSet),
}

/// The key of an entity, for [`Edit::Delete`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EntityKey {
    /// A document, with its text.
    Document(DocumentId),
    /// A code.
    Code(CodeId),
    /// A coding.
    Coding(CodingId),
    /// A coder.
    Coder(CoderId),
    /// A memo.
    Memo(MemoId),
    /// An attribute definition, keyed by its name.
    Attribute(String),
    /// A case.
    Case(CaseId),
    /// A document set.
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
    Batch {
        /// The action's name, shown by undo and redo (`merge code 'Stress' into 'Pressure'`).
        label: String,
        /// The edits, applied in order.
        edits: Vec<Edit>,
    },
}

/// Why an edit was refused. The project is unchanged when an edit fails.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// The edit refers to an entity that does not exist.
    #[error("{0} does not exist")]
    Missing(EntityKey),
    /// The entity is still referred to by others; delete those first (or use a cascade from [`crate::ops`]).
    #[error("{what} is still in use: {why}")]
    InUse {
        /// The entity that could not be changed or deleted.
        key: EntityKey,
        /// That entity described for people (`code 'Resource shortage'`).
        what: String,
        /// What still depends on it (`it has codings`).
        why: String,
    },
    /// The edit breaks a rule of the model (an empty name, a range outside the text, a name taken).
    #[error("{message}")]
    Invalid {
        /// The entity the broken rule concerns, when there is one.
        key: Option<EntityKey>,
        /// The rule that was broken, as a sentence for the researcher.
        message: String,
    },
}

impl EditError {
    /// A refusal of an edit to `key`.
    pub fn invalid(key: impl Into<Option<EntityKey>>, message: impl Into<String>) -> Self {
        Self::Invalid {
            key: key.into(),
            message: message.into(),
        }
    }

    /// The entity the refusal is about, when there is one.
    pub fn key(&self) -> Option<&EntityKey> {
        match self {
            Self::Missing(key) | Self::InUse { key, .. } => Some(key),
            Self::Invalid { key, .. } => key.as_ref(),
        }
    }
}

impl std::fmt::Display for EntityKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Document(id) => write!(f, "document {id}"),
            Self::Code(id) => write!(f, "code {id}"),
            Self::Coding(id) => write!(f, "coding {id}"),
            Self::Coder(id) => write!(f, "coder {id}"),
            Self::Memo(id) => write!(f, "memo {id}"),
            Self::Attribute(name) => write!(f, "attribute '{name}'"),
            Self::Case(id) => write!(f, "case {id}"),
            Self::Set(id) => write!(f, "set {id}"),
        }
    }
}

/// Which project files an edit touched, so a save writes only those.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Touched {
    /// `marginalia.ron`.
    Meta,
    /// `documents.ron`.
    Documents,
    /// `sources/<id>.txt`, one document's text.
    Source(DocumentId),
    /// `codebook.ron`.
    Codebook,
    /// `codings/<coder>.ron`, one coder's codings.
    Codings(CoderId),
    /// `memos.ron`.
    Memos,
    /// `cases.ron` (attribute definitions and cases).
    Cases,
    /// `sets.ron`.
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
                Entity::Code(c) => match project.codes().get(&c.id) {
                    Some(_) => format!("change code '{}'", c.name),
                    None => format!("add code '{}'", c.name),
                },
                Entity::Coding(c) => {
                    let name = project
                        .codes()
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
                            .documents()
                            .get(id)
                            .map(|d| d.name.as_str())
                            .unwrap_or("?")
                    )
                }
                EntityKey::Code(id) => {
                    format!(
                        "delete code '{}'",
                        project
                            .codes()
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
                            .cases()
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
