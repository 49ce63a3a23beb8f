//! Codebook operations: add (a whole path at once), rename, describe, colour, move, merge, delete.

use std::collections::BTreeSet;

use super::Draft;
use crate::edit::{Edit, EditError, Entity, EntityKey};
use crate::ids::{CodeId, CoderId, DocumentId};
use crate::model::{Code, Coding, MemoTarget, PATH_SEPARATOR, Project, is_valid_colour};
use crate::offsets::CharRange;

fn existing(project: &Project, id: CodeId) -> Result<&Code, EditError> {
    project
        .codes()
        .get(&id)
        .ok_or(EditError::Missing(EntityKey::Code(id)))
}

/// Deletes a code, its sub-codes, their codings and memos.
pub fn delete_code(project: &Project, id: CodeId) -> Result<Edit, EditError> {
    let code = existing(project, id)?;
    let subtree = project.descendants(id);
    let mut draft = Draft::new(project);
    for memo in project.memos().values() {
        let on_code = matches!(memo.target, MemoTarget::Code(c) if subtree.contains(&c));
        let on_coding = matches!(memo.target, MemoTarget::Coding(c)
            if project.codings().get(&c).is_some_and(|coding| subtree.contains(&coding.code)));
        if on_code || on_coding {
            draft.delete(EntityKey::Memo(memo.id));
        }
    }
    for coding in project
        .codings()
        .values()
        .filter(|c| subtree.contains(&c.code))
    {
        draft.delete(EntityKey::Coding(coding.id));
    }
    // Children before parents.
    let tree = project.code_tree();
    for (_, code) in tree.iter().rev().filter(|(_, c)| subtree.contains(&c.id)) {
        draft.delete(EntityKey::Code(code.id));
    }
    Ok(draft.finish(format!("delete code '{}'", code.name)))
}

/// How many codings go with a code when it is deleted (its own and its sub-codes').
pub fn codings_under(project: &Project, id: CodeId) -> usize {
    let subtree = project.descendants(id);
    project
        .codings()
        .values()
        .filter(|c| subtree.contains(&c.code))
        .count()
}

/// Replaces a code with a changed copy, as one labelled step.
fn change_code(
    project: &Project,
    id: CodeId,
    label: impl FnOnce(&Code) -> String,
    change: impl FnOnce(&mut Code),
) -> Result<Edit, EditError> {
    let mut code = existing(project, id)?.clone();
    let label = label(&code);
    change(&mut code);
    Ok(Edit::Batch {
        label,
        edits: vec![Edit::Put(Entity::Code(code))],
    })
}

/// Renames a code.
pub fn rename_code(project: &Project, id: CodeId, name: &str) -> Result<Edit, EditError> {
    let name = name.trim().to_string();
    change_code(
        project,
        id,
        |c| format!("rename code '{}' to '{name}'", c.name),
        |c| c.name = name.clone(),
    )
}

/// Sets a code's description (its definition in the codebook).
pub fn describe_code(project: &Project, id: CodeId, description: &str) -> Result<Edit, EditError> {
    change_code(
        project,
        id,
        |c| format!("describe code '{}'", c.name),
        |c| c.description = description.to_string(),
    )
}

/// Sets a code's colour (`#rrggbb`).
pub fn colour_code(project: &Project, id: CodeId, colour: &str) -> Result<Edit, EditError> {
    let colour = colour.trim().to_lowercase();
    if !is_valid_colour(&colour) {
        return Err(EditError::invalid(
            EntityKey::Code(id),
            format!("'{colour}' is not a colour like #1f77b4"),
        ));
    }
    change_code(
        project,
        id,
        |c| format!("colour code '{}'", c.name),
        |c| c.colour = colour.clone(),
    )
}

/// Moves a code under a new parent (None: top level) at a position among its new siblings.
pub fn move_code(
    project: &Project,
    id: CodeId,
    parent: Option<CodeId>,
    position: Option<usize>,
) -> Result<Edit, EditError> {
    let code = existing(project, id)?;
    let mut siblings: Vec<&Code> = project
        .children(parent)
        .into_iter()
        .filter(|c| c.id != id)
        .collect();
    let at = position.unwrap_or(siblings.len()).min(siblings.len());
    siblings.insert(at, code);
    let mut edits = Vec::new();
    for (order, sibling) in siblings.into_iter().enumerate() {
        let order = order as i64;
        let new_parent = if sibling.id == id {
            parent
        } else {
            sibling.parent
        };
        if sibling.order != order || sibling.parent != new_parent {
            edits.push(Edit::Put(Entity::Code(Code {
                order,
                parent: new_parent,
                ..sibling.clone()
            })));
        }
    }
    let target = parent
        .map(|p| project.code_path(p))
        .unwrap_or_else(|| "top level".into());
    Ok(Edit::Batch {
        label: format!("move code '{}' to {target}", code.name),
        edits,
    })
}

/// Merges `from` into `into`: codings move over (duplicates dropped), sub-codes and memos re-attach, `from` goes.
pub fn merge_codes(project: &Project, from: CodeId, into: CodeId) -> Result<Edit, EditError> {
    let source = existing(project, from)?;
    let target = existing(project, into)?;
    if from == into || project.is_ancestor_or_self(from, into) {
        return Err(EditError::invalid(
            EntityKey::Code(from),
            format!(
                "cannot merge '{}' into itself or its own sub-code",
                source.name
            ),
        ));
    }
    let mut draft = Draft::new(project);
    reparent_children(&mut draft, from, into)?;
    for memo in project
        .memos()
        .values()
        .filter(|m| m.target == MemoTarget::Code(from))
    {
        draft.put(Entity::Memo(crate::model::Memo {
            target: MemoTarget::Code(into),
            ..memo.clone()
        }));
    }
    move_codings(&mut draft, from, into);
    draft.delete(EntityKey::Code(from));
    Ok(draft.finish_labelled(format!(
        "merge code '{}' into '{}'",
        source.name, target.name
    )))
}

/// Moves `from`'s sub-codes under `into`; a name clash is refused.
fn reparent_children(draft: &mut Draft, from: CodeId, into: CodeId) -> Result<(), EditError> {
    let project = draft.project();
    let first_order = project.children(Some(into)).len() as i64;
    for (next_order, child) in (first_order..).zip(project.children(Some(from))) {
        if let Some(clash) = project
            .children(Some(into))
            .into_iter()
            .find(|c| c.name.to_lowercase() == child.name.to_lowercase())
        {
            let target = &project.codes()[&into].name;
            return Err(EditError::invalid(
                EntityKey::Code(clash.id),
                format!(
                    "'{target}' has a sub-code '{}' too; merge or rename that one first",
                    child.name
                ),
            ));
        }
        draft.put(Entity::Code(Code {
            parent: Some(into),
            order: next_order,
            ..child.clone()
        }));
    }
    Ok(())
}

/// Re-codes `from`'s codings as `into`; one that `into` already has (same passage and coder) is dropped.
fn move_codings(draft: &mut Draft, from: CodeId, into: CodeId) {
    let project = draft.project();
    let existing: BTreeSet<(DocumentId, CharRange, CoderId)> = project
        .codings()
        .values()
        .filter(|c| c.code == into)
        .map(|c| (c.document, c.range, c.coder))
        .collect();
    let with_memos: BTreeSet<_> = project
        .memos()
        .values()
        .filter_map(|m| match m.target {
            MemoTarget::Coding(c) => Some(c),
            _ => None,
        })
        .collect();
    for coding in project.codings().values().filter(|c| c.code == from) {
        let duplicate = existing.contains(&(coding.document, coding.range, coding.coder));
        if duplicate && !with_memos.contains(&coding.id) {
            draft.delete(EntityKey::Coding(coding.id));
        } else {
            draft.put(Entity::Coding(Coding {
                code: into,
                ..coding.clone()
            }));
        }
    }
}

/// Adds a code at the end of its parent's children, with a fresh colour unless one is given.
pub fn add_code(
    draft: &mut Draft,
    name: &str,
    parent: Option<CodeId>,
    colour: Option<&str>,
    description: &str,
) -> CodeId {
    let code = Code {
        id: CodeId::new(),
        name: name.trim().to_string(),
        colour: colour
            .map(str::to_string)
            .unwrap_or_else(|| draft.next_colour_for(parent)),
        description: description.to_string(),
        parent,
        order: draft
            .children(parent)
            .last()
            .map(|c| c.order + 1)
            .unwrap_or(0),
    };
    let id = code.id;
    draft.put(Entity::Code(code));
    id
}

/// The names of a `A/B/C` code path.
fn path_names(path: &str) -> impl Iterator<Item = &str> {
    path.split(PATH_SEPARATOR)
        .map(str::trim)
        .filter(|n| !n.is_empty())
}

/// Finds or creates every level of a `A/B/C` path; returns the last code's id.
pub fn ensure_code_path(draft: &mut Draft, path: &str) -> Result<CodeId, EditError> {
    let mut parent: Option<CodeId> = None;
    for name in path_names(path) {
        let id = match draft.child_named(parent, name) {
            Some(code) => code.id,
            None => add_code(draft, name, parent, None, ""),
        };
        parent = Some(id);
    }
    parent.ok_or_else(|| EditError::invalid(None, format!("'{path}' is not a code path")))
}

/// Adds a new code at a path (`Barriers/Resource shortage`), creating missing parents; an existing path is
/// refused.
pub fn add_code_path(
    project: &Project,
    path: &str,
    colour: Option<&str>,
    description: &str,
) -> Result<(CodeId, Edit), EditError> {
    let names: Vec<&str> = path_names(path).collect();
    let Some((name, parents)) = names.split_last() else {
        return Err(EditError::invalid(
            None,
            format!("'{path}' is not a code path"),
        ));
    };
    let mut draft = Draft::new(project);
    let parent = match parents.is_empty() {
        true => None,
        false => Some(ensure_code_path(&mut draft, &parents.join("/"))?),
    };
    if let Some(code) = draft.child_named(parent, name) {
        return Err(EditError::invalid(
            EntityKey::Code(code.id),
            format!("the code '{}' already exists", names.join("/")),
        ));
    }
    let id = add_code(&mut draft, name, parent, colour, description);
    Ok((id, draft.finish_labelled(format!("add code '{name}'"))))
}

/// Rejects a passage (a turn or paragraph, by its start) as a suggestion for a code: it is never suggested for
/// that code again. One undoable step; nothing is coded or uncoded.
pub fn reject_suggestion(
    project: &Project,
    code: CodeId,
    document: DocumentId,
    start: usize,
) -> Result<Edit, EditError> {
    let name = existing(project, code)?.name.clone();
    if !project.documents().contains_key(&document) {
        return Err(EditError::Missing(EntityKey::Document(document)));
    }
    let mut meta = project.meta().clone();
    meta.rejected_suggestions
        .insert(crate::model::RejectedSuggestion {
            code,
            document,
            start,
        });
    Ok(Edit::Batch {
        label: format!("reject a suggested passage for code '{name}'"),
        edits: vec![Edit::Put(Entity::Meta(meta))],
    })
}
