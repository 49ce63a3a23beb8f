//! Builders for the edits researchers think in (delete a code with its codings, merge, move, code a passage).
//!
//! Each returns one [`Edit`] (often a batch) so the whole action undoes in one step.

use std::collections::BTreeSet;

use crate::edit::{Edit, EditError, Entity, EntityKey};
use crate::ids::{CaseId, CodeId, CoderId, CodingId, DocumentId};
use crate::model::{Code, Coder, Coding, MemoTarget, Project};
use crate::offsets::CharRange;

/// Deletes a code, its sub-codes, their codings and memos.
pub fn delete_code(project: &Project, id: CodeId) -> Result<Edit, EditError> {
    let code = project
        .codes
        .get(&id)
        .ok_or_else(|| EditError::Missing(format!("code {id}")))?;
    let subtree = project.descendants(id);
    let mut edits = Vec::new();
    for memo in project.memos.values() {
        let on_code = matches!(memo.target, MemoTarget::Code(c) if subtree.contains(&c));
        let on_coding = matches!(memo.target, MemoTarget::Coding(c)
            if project.codings.get(&c).is_some_and(|coding| subtree.contains(&coding.code)));
        if on_code || on_coding {
            edits.push(Edit::Delete(EntityKey::Memo(memo.id)));
        }
    }
    for coding in project
        .codings
        .values()
        .filter(|c| subtree.contains(&c.code))
    {
        edits.push(Edit::Delete(EntityKey::Coding(coding.id)));
    }
    // Children before parents.
    let tree = project.code_tree();
    for (_, code) in tree.iter().rev().filter(|(_, c)| subtree.contains(&c.id)) {
        edits.push(Edit::Delete(EntityKey::Code(code.id)));
    }
    Ok(Edit::batch(format!("delete code '{}'", code.name), edits))
}

/// How many codings go with a code when it is deleted (its own and its sub-codes').
pub fn codings_under(project: &Project, id: CodeId) -> usize {
    let subtree = project.descendants(id);
    project
        .codings
        .values()
        .filter(|c| subtree.contains(&c.code))
        .count()
}

/// Renames a code.
pub fn rename_code(project: &Project, id: CodeId, name: &str) -> Result<Edit, EditError> {
    let code = project
        .codes
        .get(&id)
        .ok_or_else(|| EditError::Missing(format!("code {id}")))?;
    let label = format!("rename code '{}' to '{}'", code.name, name.trim());
    Ok(Edit::batch(
        label,
        vec![Edit::Put(Entity::Code(Code {
            name: name.trim().to_string(),
            ..code.clone()
        }))],
    ))
}

/// Moves a code under a new parent (None: top level) at a position among its new siblings.
pub fn move_code(
    project: &Project,
    id: CodeId,
    parent: Option<CodeId>,
    position: Option<usize>,
) -> Result<Edit, EditError> {
    let code = project
        .codes
        .get(&id)
        .ok_or_else(|| EditError::Missing(format!("code {id}")))?;
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
    let source = project
        .codes
        .get(&from)
        .ok_or_else(|| EditError::Missing(format!("code {from}")))?;
    let target = project
        .codes
        .get(&into)
        .ok_or_else(|| EditError::Missing(format!("code {into}")))?;
    if from == into || project.is_ancestor_or_self(from, into) {
        return Err(EditError::Invalid(format!(
            "cannot merge '{}' into itself or its own sub-code",
            source.name
        )));
    }
    let existing: BTreeSet<(DocumentId, CharRange, CoderId)> = project
        .codings
        .values()
        .filter(|c| c.code == into)
        .map(|c| (c.document, c.range, c.coder))
        .collect();
    let mut edits = Vec::new();
    let first_order = project.children(Some(into)).len() as i64;
    for (next_order, child) in (first_order..).zip(project.children(Some(from))) {
        let clash = project
            .children(Some(into))
            .iter()
            .any(|c| c.name.to_lowercase() == child.name.to_lowercase());
        if clash {
            return Err(EditError::Invalid(format!(
                "'{}' has a sub-code '{}' too; merge or rename that one first",
                target.name, child.name
            )));
        }
        edits.push(Edit::Put(Entity::Code(Code {
            parent: Some(into),
            order: next_order,
            ..child.clone()
        })));
    }
    for memo in project
        .memos
        .values()
        .filter(|m| m.target == MemoTarget::Code(from))
    {
        edits.push(Edit::Put(Entity::Memo(crate::model::Memo {
            target: MemoTarget::Code(into),
            ..memo.clone()
        })));
    }
    for coding in project.codings.values().filter(|c| c.code == from) {
        let has_memos = project
            .memos
            .values()
            .any(|m| m.target == MemoTarget::Coding(coding.id));
        if existing.contains(&(coding.document, coding.range, coding.coder)) && !has_memos {
            edits.push(Edit::Delete(EntityKey::Coding(coding.id)));
        } else {
            edits.push(Edit::Put(Entity::Coding(Coding {
                code: into,
                ..coding.clone()
            })));
        }
    }
    edits.push(Edit::Delete(EntityKey::Code(from)));
    Ok(Edit::Batch {
        label: format!("merge code '{}' into '{}'", source.name, target.name),
        edits,
    })
}

/// Adds a code at the end of its parent's children, with a fresh colour unless one is given.
pub fn add_code(
    project: &Project,
    name: &str,
    parent: Option<CodeId>,
    colour: Option<&str>,
    description: &str,
) -> (CodeId, Edit) {
    let code = Code {
        id: CodeId::new(),
        name: name.trim().to_string(),
        colour: colour
            .map(str::to_string)
            .unwrap_or_else(|| project.next_colour()),
        description: description.to_string(),
        parent,
        order: project
            .children(parent)
            .last()
            .map(|c| c.order + 1)
            .unwrap_or(0),
    };
    let id = code.id;
    (
        id,
        Edit::Batch {
            label: format!("add code '{}'", code.name),
            edits: vec![Edit::Put(Entity::Code(code))],
        },
    )
}

/// Creates every missing level of a `A/B/C` path; returns the last code's id and the edits (empty when it exists).
pub fn ensure_code_path(project: &Project, path: &str) -> Result<(CodeId, Vec<Edit>), EditError> {
    let mut scratch = project.clone();
    let mut parent: Option<CodeId> = None;
    let mut edits = Vec::new();
    for name in path
        .split(crate::model::PATH_SEPARATOR)
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        let lower = name.to_lowercase();
        let found = scratch
            .children(parent)
            .into_iter()
            .find(|c| c.name.to_lowercase() == lower)
            .map(|c| c.id);
        let id = match found {
            Some(id) => id,
            None => {
                let (id, edit) = add_code(&scratch, name, parent, None, "");
                scratch.apply(edit.clone())?;
                edits.push(edit);
                id
            }
        };
        parent = Some(id);
    }
    parent
        .map(|id| (id, edits))
        .ok_or_else(|| EditError::Invalid(format!("'{path}' is not a code path")))
}

/// Returns the coder with this name, plus an edit adding them when they are new.
pub fn ensure_coder(project: &Project, name: &str) -> (CoderId, Option<Edit>) {
    match project.find_coder(name) {
        Some(coder) => (coder.id, None),
        None => {
            let coder = Coder {
                id: CoderId::new(),
                name: name.trim().to_string(),
            };
            (coder.id, Some(Edit::Put(Entity::Coder(coder))))
        }
    }
}

/// Codes a passage; refuses an exact duplicate (same code, range and coder).
pub fn code_passage(
    project: &Project,
    document: DocumentId,
    code: CodeId,
    range: CharRange,
    coder: CoderId,
    memo: Option<String>,
) -> Result<(CodingId, Edit), EditError> {
    if project
        .codings
        .values()
        .any(|c| c.document == document && c.code == code && c.range == range && c.coder == coder)
    {
        let name = project
            .codes
            .get(&code)
            .map(|c| c.name.as_str())
            .unwrap_or("?");
        return Err(EditError::Invalid(format!(
            "{range} is already coded '{name}' by this coder"
        )));
    }
    let coding = Coding {
        id: CodingId::new(),
        document,
        code,
        range,
        coder,
        created: crate::now(),
        memo,
    };
    let id = coding.id;
    let name = project
        .codes
        .get(&code)
        .map(|c| c.name.clone())
        .unwrap_or_default();
    Ok((
        id,
        Edit::Batch {
            label: format!("code '{name}'"),
            edits: vec![Edit::Put(Entity::Coding(coding))],
        },
    ))
}

/// Removes a document with its codings, memos, and its place in cases and sets.
pub fn remove_document(project: &Project, id: DocumentId) -> Result<Edit, EditError> {
    let doc = project
        .documents
        .get(&id)
        .ok_or_else(|| EditError::Missing(format!("document {id}")))?;
    let mut edits = Vec::new();
    let coding_ids: BTreeSet<CodingId> = project
        .codings
        .values()
        .filter(|c| c.document == id)
        .map(|c| c.id)
        .collect();
    for memo in project.memos.values() {
        let attached = match memo.target {
            MemoTarget::Document(d) => d == id,
            MemoTarget::Coding(c) => coding_ids.contains(&c),
            _ => false,
        };
        if attached {
            edits.push(Edit::Delete(EntityKey::Memo(memo.id)));
        }
    }
    edits.extend(
        coding_ids
            .iter()
            .map(|c| Edit::Delete(EntityKey::Coding(*c))),
    );
    for case in project.cases.values().filter(|c| c.documents.contains(&id)) {
        let mut case = case.clone();
        case.documents.remove(&id);
        edits.push(Edit::Put(Entity::Case(case)));
    }
    for set in project.sets.values().filter(|s| s.documents.contains(&id)) {
        let mut set = set.clone();
        set.documents.remove(&id);
        edits.push(Edit::Put(Entity::Set(set)));
    }
    edits.push(Edit::Delete(EntityKey::Document(id)));
    Ok(Edit::Batch {
        label: format!("remove document '{}'", doc.name),
        edits,
    })
}

/// Deletes a case (and memos on it).
pub fn delete_case(project: &Project, id: CaseId) -> Result<Edit, EditError> {
    let case = project
        .cases
        .get(&id)
        .ok_or_else(|| EditError::Missing(format!("case {id}")))?;
    let mut edits: Vec<Edit> = project
        .memos
        .values()
        .filter(|m| m.target == MemoTarget::Case(id))
        .map(|m| Edit::Delete(EntityKey::Memo(m.id)))
        .collect();
    edits.push(Edit::Delete(EntityKey::Case(id)));
    Ok(Edit::Batch {
        label: format!("delete case '{}'", case.name),
        edits,
    })
}

/// Removes an attribute from every case and then its definition.
pub fn remove_attribute(project: &Project, name: &str) -> Result<Edit, EditError> {
    if !project.attributes.contains_key(name) {
        return Err(EditError::Missing(format!("attribute '{name}'")));
    }
    let mut edits = Vec::new();
    for case in project
        .cases
        .values()
        .filter(|c| c.attributes.contains_key(name))
    {
        let mut case = case.clone();
        case.attributes.remove(name);
        edits.push(Edit::Put(Entity::Case(case)));
    }
    edits.push(Edit::Delete(EntityKey::Attribute(name.to_string())));
    Ok(Edit::Batch {
        label: format!("remove attribute '{name}'"),
        edits,
    })
}
