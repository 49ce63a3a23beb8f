//! Case operations: add or reuse a case, link documents, typed attribute values (defining new attributes with
//! an inferred type), rename, delete; attribute definitions.

use std::collections::BTreeMap;

use super::Draft;
use crate::edit::{Edit, EditError, Entity, EntityKey};
use crate::ids::{CaseId, DocumentId};
use crate::model::{AttributeDef, AttributeType, Case, MemoTarget, Project};

/// An attribute value as a researcher writes it: `name=value` from the CLI, a cell in the workbench.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttributeInput {
    /// The attribute's name; an attribute not yet defined is created with a type inferred from the value.
    pub name: String,
    /// The value as typed, parsed into the attribute's type when applied; empty clears the attribute.
    pub value: String,
}

impl AttributeInput {
    /// Parses `name=value`.
    pub fn parse(text: &str) -> Result<Self, EditError> {
        let refuse = |why: &str| EditError::invalid(None, format!("'{text}' {why}"));
        let (name, value) = text
            .split_once('=')
            .ok_or_else(|| refuse("is not NAME=VALUE"))?;
        if name.trim().is_empty() {
            return Err(refuse("has no attribute name"));
        }
        Ok(Self {
            name: name.trim().to_string(),
            value: value.trim().to_string(),
        })
    }
}

fn existing(project: &Project, id: CaseId) -> Result<&Case, EditError> {
    project
        .cases()
        .get(&id)
        .ok_or(EditError::Missing(EntityKey::Case(id)))
}

/// The case with this name, created in the draft when there is none (names compare case-insensitively).
pub fn upsert_case(draft: &mut Draft, name: &str) -> Result<CaseId, EditError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(EditError::invalid(None, "a case needs a name"));
    }
    if let Some(case) = draft.case_named(name) {
        return Ok(case.id);
    }
    let case = Case {
        id: CaseId::new(),
        name: name.to_string(),
        description: String::new(),
        attributes: BTreeMap::new(),
        documents: Default::default(),
    };
    let id = case.id;
    draft.put(Entity::Case(case));
    Ok(id)
}

/// Changes a case in the draft (as it is after the draft's earlier steps).
fn change_case(
    draft: &mut Draft,
    id: CaseId,
    change: impl FnOnce(&mut Case) -> Result<(), EditError>,
) -> Result<(), EditError> {
    let mut case = draft
        .case(id)
        .cloned()
        .ok_or(EditError::Missing(EntityKey::Case(id)))?;
    change(&mut case)?;
    draft.put(Entity::Case(case));
    Ok(())
}

/// Puts documents into a case named `name` (reused when it exists, created when not) with these attribute
/// values: what `import --case` and the import dialog's "assign to case" do.
pub fn assign_documents(
    draft: &mut Draft,
    name: &str,
    values: &[AttributeInput],
    documents: &[DocumentId],
) -> Result<CaseId, EditError> {
    let id = upsert_case(draft, name)?;
    set_attributes(draft, id, values)?;
    change_case(draft, id, |case| {
        case.documents.extend(documents.iter().copied());
        Ok(())
    })?;
    Ok(id)
}

/// Adds a new case; a case with the same name is refused.
pub fn add_case_named(
    project: &Project,
    name: &str,
    description: &str,
    values: &[AttributeInput],
    documents: &[DocumentId],
) -> Result<(CaseId, Edit), EditError> {
    if let Some(case) = project.find_case(name) {
        return Err(EditError::invalid(
            EntityKey::Case(case.id),
            format!("a case named '{}' already exists", case.name),
        ));
    }
    let mut draft = Draft::new(project);
    let id = assign_documents(&mut draft, name, values, documents)?;
    change_case(&mut draft, id, |case| {
        case.description = description.to_string();
        Ok(())
    })?;
    Ok((
        id,
        draft.finish_labelled(format!("add case '{}'", name.trim())),
    ))
}

/// Gives a case these values, defining attributes that do not exist yet (type inferred from the value); an
/// empty value clears the attribute.
pub fn set_attributes(
    draft: &mut Draft,
    case: CaseId,
    values: &[AttributeInput],
) -> Result<(), EditError> {
    let mut typed = Vec::with_capacity(values.len());
    for input in values {
        let def = match draft.attribute_named(&input.name) {
            Some(def) => def.clone(),
            None if input.value.is_empty() => continue,
            None => {
                let def = AttributeDef {
                    name: input.name.clone(),
                    kind: AttributeType::infer([input.value.as_str()]),
                };
                draft.put(Entity::Attribute(def.clone()));
                def
            }
        };
        let value = match input.value.is_empty() {
            true => None,
            false => Some(def.kind.parse_value(&input.value).map_err(|e| {
                EditError::invalid(
                    EntityKey::Attribute(def.name.clone()),
                    format!("attribute '{}': {e}", def.name),
                )
            })?),
        };
        typed.push((def.name, value));
    }
    change_case(draft, case, |c| {
        for (name, value) in typed {
            match value {
                Some(value) => drop(c.attributes.insert(name, value)),
                None => drop(c.attributes.remove(&name)),
            }
        }
        Ok(())
    })
}

/// Sets (or, with an empty text, clears) one attribute of a case, as one step.
pub fn set_attribute_text(
    project: &Project,
    case: CaseId,
    attribute: &str,
    text: &str,
) -> Result<Edit, EditError> {
    let name = existing(project, case)?.name.clone();
    let mut draft = Draft::new(project);
    let input = AttributeInput {
        name: attribute.to_string(),
        value: text.trim().to_string(),
    };
    set_attributes(&mut draft, case, std::slice::from_ref(&input))?;
    Ok(draft.finish_labelled(format!("set {attribute} of '{name}'")))
}

/// Sets several attribute values of a case, as one step.
pub fn set_attribute_values(
    project: &Project,
    case: CaseId,
    values: &[AttributeInput],
) -> Result<Edit, EditError> {
    let name = existing(project, case)?.name.clone();
    let mut draft = Draft::new(project);
    set_attributes(&mut draft, case, values)?;
    Ok(draft.finish_labelled(format!("set attributes of '{name}'")))
}

/// Clears attributes of a case; a name the case has no value for is refused.
pub fn unset_attributes(
    project: &Project,
    case: CaseId,
    names: &[String],
) -> Result<Edit, EditError> {
    let mut updated = existing(project, case)?.clone();
    for key in names {
        let found = updated
            .attributes
            .keys()
            .find(|k| k.to_lowercase() == key.trim().to_lowercase())
            .cloned()
            .ok_or_else(|| {
                EditError::invalid(
                    EntityKey::Case(case),
                    format!("case '{}' has no attribute '{key}'", updated.name),
                )
            })?;
        updated.attributes.remove(&found);
    }
    let label = format!("clear attributes of '{}'", updated.name);
    Ok(Edit::Batch {
        label,
        edits: vec![Edit::Put(Entity::Case(updated))],
    })
}

/// Links documents to a case.
pub fn link_documents(
    project: &Project,
    case: CaseId,
    documents: &[DocumentId],
) -> Result<Edit, EditError> {
    let mut updated = existing(project, case)?.clone();
    updated.documents.extend(documents.iter().copied());
    let label = match documents {
        [one] => format!(
            "link '{}' to case '{}'",
            project
                .documents()
                .get(one)
                .map(|d| d.name.as_str())
                .unwrap_or("?"),
            updated.name
        ),
        _ => format!("link documents to '{}'", updated.name),
    };
    Ok(Edit::Batch {
        label,
        edits: vec![Edit::Put(Entity::Case(updated))],
    })
}

/// Unlinks documents from a case.
pub fn unlink_documents(
    project: &Project,
    case: CaseId,
    documents: &[DocumentId],
) -> Result<Edit, EditError> {
    let mut updated = existing(project, case)?.clone();
    for doc in documents {
        updated.documents.remove(doc);
    }
    let label = format!("unlink documents from '{}'", updated.name);
    Ok(Edit::Batch {
        label,
        edits: vec![Edit::Put(Entity::Case(updated))],
    })
}

/// Renames a case.
pub fn rename_case(project: &Project, case: CaseId, name: &str) -> Result<Edit, EditError> {
    let old = existing(project, case)?;
    let label = format!("rename case '{}'", old.name);
    Ok(Edit::Batch {
        label,
        edits: vec![Edit::Put(Entity::Case(Case {
            name: name.trim().to_string(),
            ..old.clone()
        }))],
    })
}

/// Deletes a case (and memos on it).
pub fn delete_case(project: &Project, id: CaseId) -> Result<Edit, EditError> {
    let case = existing(project, id)?;
    let mut draft = Draft::new(project);
    for memo in project.memos_on(MemoTarget::Case(id)) {
        draft.delete(EntityKey::Memo(memo.id));
    }
    draft.delete(EntityKey::Case(id));
    Ok(draft.finish_labelled(format!("delete case '{}'", case.name)))
}

/// Defines an attribute (or changes its type, when no case has a value of another type).
pub fn define_attribute(
    project: &Project,
    name: &str,
    kind: AttributeType,
) -> Result<Edit, EditError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(EditError::invalid(None, "an attribute needs a name"));
    }
    let name = Draft::new(project)
        .attribute_named(name)
        .map(|a| a.name.clone())
        .unwrap_or_else(|| name.to_string());
    Ok(Edit::Batch {
        label: format!("define attribute '{name}'"),
        edits: vec![Edit::Put(Entity::Attribute(AttributeDef { name, kind }))],
    })
}

/// Removes an attribute from every case and then its definition.
pub fn remove_attribute(project: &Project, name: &str) -> Result<Edit, EditError> {
    if !project.attributes().contains_key(name) {
        return Err(EditError::Missing(EntityKey::Attribute(name.to_string())));
    }
    let mut draft = Draft::new(project);
    for case in project
        .cases()
        .values()
        .filter(|c| c.attributes.contains_key(name))
    {
        let mut case = case.clone();
        case.attributes.remove(name);
        draft.put(Entity::Case(case));
    }
    draft.delete(EntityKey::Attribute(name.to_string()));
    Ok(draft.finish_labelled(format!("remove attribute '{name}'")))
}
