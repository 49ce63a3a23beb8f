//! Document operations: rename, change kind or language, remove (with its codings, memos and memberships), and sets.

use super::Draft;
use crate::edit::{DocumentEntry, Edit, EditError, Entity, EntityKey};
use crate::ids::{CodingId, DocumentId, MemoId, SetId};
use crate::model::{Document, DocumentKind, DocumentSet, Language, MemoTarget, Project};

fn existing(project: &Project, id: DocumentId) -> Result<&Document, EditError> {
    project
        .documents()
        .get(&id)
        .ok_or(EditError::Missing(EntityKey::Document(id)))
}

/// Replaces a document's metadata (its text never changes).
fn change_document(
    project: &Project,
    id: DocumentId,
    label: String,
    change: impl FnOnce(&mut Document),
) -> Result<Edit, EditError> {
    let mut document = existing(project, id)?.clone();
    change(&mut document);
    let text = project
        .texts()
        .get(&id)
        .cloned()
        .unwrap_or_else(|| "".into());
    Ok(Edit::Batch {
        label,
        edits: vec![Edit::Put(Entity::Document(Box::new(DocumentEntry {
            document,
            text,
        })))],
    })
}

/// Renames a document (names are unique in a project).
pub fn rename_document(project: &Project, id: DocumentId, name: &str) -> Result<Edit, EditError> {
    let old = &existing(project, id)?.name;
    let name = name.trim().to_string();
    let label = format!("rename document '{old}' to '{name}'");
    change_document(project, id, label, |d| d.name = name.clone())
}

/// Changes what kind of source a document is (interview, observation, document, survey).
pub fn set_document_kind(
    project: &Project,
    id: DocumentId,
    kind: DocumentKind,
) -> Result<Edit, EditError> {
    let label = format!(
        "mark '{}' as {}",
        existing(project, id)?.name,
        kind.keyword()
    );
    change_document(project, id, label, |d| d.kind = kind)
}

/// Sets the language a document is analysed in (its search stemmer); `None` follows the project's language.
pub fn set_document_language(
    project: &Project,
    id: DocumentId,
    language: Option<Language>,
) -> Result<Edit, EditError> {
    let name = &existing(project, id)?.name;
    let label = match language {
        Some(l) => format!("mark '{name}' as {} ({})", l.name(), l.code()),
        None => format!("let '{name}' follow the project language"),
    };
    change_document(project, id, label, |d| d.language = language)
}

/// What removing a document takes with it: (codings, memos), the memos on the document and on its codings.
pub fn removal_counts(project: &Project, id: DocumentId) -> (usize, usize) {
    let (codings, memos) = attached(project, id);
    (codings.len(), memos.len())
}

/// The codings of a document and the memos on it or on those codings: what goes with it when it is removed
/// (one computation, so the confirmation's counts are what the removal deletes).
fn attached(project: &Project, id: DocumentId) -> (Vec<CodingId>, Vec<MemoId>) {
    let codings: Vec<CodingId> = project
        .codings()
        .values()
        .filter(|c| c.document == id)
        .map(|c| c.id)
        .collect();
    let memos = project
        .memos()
        .values()
        .filter(|m| match m.target {
            MemoTarget::Document(d) => d == id,
            MemoTarget::Coding(c) => codings.binary_search(&c).is_ok(),
            _ => false,
        })
        .map(|m| m.id)
        .collect();
    (codings, memos)
}

/// Removes a document with its codings, memos, and its place in cases and sets.
pub fn remove_document(project: &Project, id: DocumentId) -> Result<Edit, EditError> {
    let doc = existing(project, id)?;
    let mut draft = Draft::new(project);
    let (codings, memos) = attached(project, id);
    for memo in memos {
        draft.delete(EntityKey::Memo(memo));
    }
    for coding in codings {
        draft.delete(EntityKey::Coding(coding));
    }
    for case in project
        .cases()
        .values()
        .filter(|c| c.documents.contains(&id))
    {
        let mut case = case.clone();
        case.documents.remove(&id);
        draft.put(Entity::Case(case));
    }
    for set in project
        .sets()
        .values()
        .filter(|s| s.documents.contains(&id))
    {
        let mut set = set.clone();
        set.documents.remove(&id);
        draft.put(Entity::Set(set));
    }
    draft.delete(EntityKey::Document(id));
    Ok(draft.finish_labelled(format!("remove document '{}'", doc.name)))
}

/// Adds documents to the set named `name`, creating the set when there is none.
pub fn add_to_set(
    project: &Project,
    name: &str,
    documents: &[DocumentId],
) -> Result<Edit, EditError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(EditError::invalid(None, "a set needs a name"));
    }
    let mut draft = Draft::new(project);
    let mut set = draft
        .set_named(name)
        .cloned()
        .unwrap_or_else(|| DocumentSet {
            id: SetId::new(),
            name: name.to_string(),
            description: String::new(),
            documents: Default::default(),
        });
    set.documents.extend(documents.iter().copied());
    let label = format!("change set '{}'", set.name);
    draft.put(Entity::Set(set));
    Ok(draft.finish_labelled(label))
}

/// Deletes a document set (the documents stay).
pub fn delete_set(project: &Project, id: SetId) -> Result<Edit, EditError> {
    let set = project
        .sets()
        .get(&id)
        .ok_or(EditError::Missing(EntityKey::Set(id)))?;
    Ok(Edit::Batch {
        label: format!("delete set '{}'", set.name),
        edits: vec![Edit::Delete(EntityKey::Set(id))],
    })
}
