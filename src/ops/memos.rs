//! Memo operations: write a memo (its author added as a coder when new), edit and delete it.

use super::{Draft, ensure_coder};
use crate::edit::{Edit, EditError, Entity, EntityKey};
use crate::ids::MemoId;
use crate::model::{Memo, MemoTarget, Project};

/// Writes a new memo on a target; the author (a coder name; blank: the default coder) is added when new.
pub fn add_memo(
    project: &Project,
    target: MemoTarget,
    title: &str,
    text: &str,
    author: &str,
) -> Result<(MemoId, Edit), EditError> {
    if let Some(key) = project.missing_target(target) {
        return Err(EditError::Missing(key));
    }
    let title = title.trim();
    let mut draft = Draft::new(project);
    let author = ensure_coder(&mut draft, author);
    let memo = Memo {
        id: MemoId::new(),
        title: title.to_string(),
        text: text.to_string(),
        target,
        author: Some(author),
        created: crate::now(),
    };
    let id = memo.id;
    draft.put(Entity::Memo(memo));
    Ok((id, draft.finish_labelled(format!("write memo '{title}'"))))
}

/// Changes a memo's title and text.
pub fn edit_memo(
    project: &Project,
    id: MemoId,
    title: &str,
    text: &str,
) -> Result<Edit, EditError> {
    let memo = project
        .memos()
        .get(&id)
        .ok_or(EditError::Missing(EntityKey::Memo(id)))?;
    Ok(Edit::Batch {
        label: format!("edit memo '{}'", title.trim()),
        edits: vec![Edit::Put(Entity::Memo(Memo {
            title: title.trim().to_string(),
            text: text.to_string(),
            ..memo.clone()
        }))],
    })
}

/// Deletes a memo.
pub fn delete_memo(project: &Project, id: MemoId) -> Result<Edit, EditError> {
    let memo = project
        .memos()
        .get(&id)
        .ok_or(EditError::Missing(EntityKey::Memo(id)))?;
    Ok(Edit::Batch {
        label: format!("delete memo '{}'", memo.title),
        edits: vec![Edit::Delete(EntityKey::Memo(id))],
    })
}
