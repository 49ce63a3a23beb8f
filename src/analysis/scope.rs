//! Which part of a project an analysis looks at: cases, case attributes, documents and coders.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::regions::Regions;
use crate::coders::CoderSelection;
use crate::error::{Error, Result};
use crate::ids::{CaseId, CodeId, CoderId, DocumentId};
use crate::model::{AttributeValue, Case, Project};

/// A case attribute condition, `name = value` (text compared case-insensitively).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttrFilter {
    /// The attribute's name, matched case-insensitively.
    pub name: String,
    /// The value as text, parsed by the attribute's type before comparing.
    pub value: String,
}

impl AttrFilter {
    /// Parses `KEY=VALUE`.
    pub fn parse(text: &str) -> Result<Self> {
        let (name, value) = text
            .split_once('=')
            .filter(|(k, _)| !k.trim().is_empty())
            .ok_or_else(|| Error::query(format!("'{text}' is not KEY=VALUE")))?;
        Ok(Self {
            name: name.trim().to_string(),
            value: value.trim().to_string(),
        })
    }

    /// True when the case has this attribute with this value.
    pub fn matches(&self, project: &Project, case: &Case) -> Result<bool> {
        let def = attribute_def(project, &self.name)?;
        let wanted = def
            .kind
            .parse_value(&self.value)
            .map_err(|e| Error::query(format!("attribute '{}': {e}", def.name)))?;
        Ok(case
            .attributes
            .get(&def.name)
            .is_some_and(|v| same_value(v, &wanted)))
    }
}

/// The definition of an attribute, by case-insensitive name.
pub fn attribute_def<'p>(
    project: &'p Project,
    name: &str,
) -> Result<&'p crate::model::AttributeDef> {
    let lower = name.trim().to_lowercase();
    project
        .attributes()
        .values()
        .find(|a| a.name.to_lowercase() == lower)
        .ok_or_else(|| Error::not_found("attribute", name))
}

fn same_value(value: &AttributeValue, wanted: &AttributeValue) -> bool {
    match (value, wanted) {
        (AttributeValue::Text(a), AttributeValue::Text(b)) => a.to_lowercase() == b.to_lowercase(),
        _ => value == wanted,
    }
}

/// Restrictions shared by matrices, co-occurrence, coding queries and word counts. Empty lists mean "all".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scope {
    /// Only these cases (and their documents).
    pub cases: Vec<CaseId>,
    /// Only cases with all of these attribute values (and their documents).
    pub attributes: Vec<AttrFilter>,
    /// Only these documents.
    pub documents: Vec<DocumentId>,
    /// Whose codings count: one coder, several or all.
    #[serde(default)]
    pub coders: CoderSelection,
}

/// A [`Scope`] resolved against a project.
#[derive(Clone, Debug)]
pub struct Resolved {
    /// The cases in scope, sorted by name.
    pub cases: Vec<CaseId>,
    /// The documents in scope; `None` means every document.
    pub documents: Option<BTreeSet<DocumentId>>,
    /// The coders in scope.
    pub coders: CoderSelection,
}

impl Resolved {
    /// True when the document is in scope.
    pub fn has_document(&self, doc: DocumentId) -> bool {
        self.documents.as_ref().is_none_or(|d| d.contains(&doc))
    }

    /// True when codings by this coder are in scope.
    pub fn has_coder(&self, coder: CoderId) -> bool {
        self.coders.contains(coder)
    }

    /// The text coded with any of `codes` by a coder in scope, in documents in scope.
    pub fn coded_text(&self, project: &Project, codes: &BTreeSet<CodeId>) -> Regions {
        Regions::from_ranges(
            project
                .codings()
                .values()
                .filter(|c| {
                    codes.contains(&c.code)
                        && self.has_coder(c.coder)
                        && self.has_document(c.document)
                })
                .map(|c| (c.document, c.range)),
        )
    }
}

impl Scope {
    /// True when nothing is restricted (no case, attribute, document or coder named).
    pub fn is_everything(&self) -> bool {
        self.cases.is_empty()
            && self.attributes.is_empty()
            && self.documents.is_empty()
            && self.coders.is_all()
    }

    /// Resolves the restrictions into sets of cases, documents and coders.
    pub fn resolve(&self, project: &Project) -> Result<Resolved> {
        let mut cases: Vec<&Case> = Vec::new();
        for case in project.cases().values() {
            if !self.cases.is_empty() && !self.cases.contains(&case.id) {
                continue;
            }
            let mut keep = true;
            for filter in &self.attributes {
                keep &= filter.matches(project, case)?;
            }
            if keep {
                cases.push(case);
            }
        }
        for id in &self.cases {
            if !project.cases().contains_key(id) {
                return Err(Error::Edit(crate::edit::EditError::Missing(
                    crate::edit::EntityKey::Case(*id),
                )));
            }
        }
        cases.sort_by(|a, b| crate::collate::compare(&a.name, &b.name));
        let by_case = !self.cases.is_empty() || !self.attributes.is_empty();
        let mut documents: Option<BTreeSet<DocumentId>> = by_case.then(|| {
            cases
                .iter()
                .flat_map(|c| c.documents.iter().copied())
                .filter(|d| project.documents().contains_key(d))
                .collect()
        });
        if !self.documents.is_empty() {
            let wanted: BTreeSet<DocumentId> = self.documents.iter().copied().collect();
            documents = Some(match documents {
                Some(docs) => docs.intersection(&wanted).copied().collect(),
                None => wanted,
            });
        }
        Ok(Resolved {
            cases: cases.iter().map(|c| c.id).collect(),
            documents,
            coders: self.coders.clone(),
        })
    }
}
