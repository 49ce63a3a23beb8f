//! Codebook files (`codebooks/*.ron`): a readable nested tree of codes that can be imported into any project.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::edit::{Edit, Entity};
use crate::error::{Error, Result};
use crate::ids::CodeId;
use crate::model::{Code, Project, is_valid_colour};
use crate::ops::{self, Draft};

/// A codebook as a tree.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CodebookFile {
    /// The codebook's name, used in the undo label when it is imported.
    pub name: String,
    /// What the codebook is for; empty when none was written.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The top-level codes, each with its sub-codes.
    pub codes: Vec<CodeNode>,
}

/// One code and its sub-codes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CodeNode {
    /// The code's name: not empty, without `/`, and unique among its siblings.
    pub name: String,
    /// The code's colour as `#rrggbb`; without one, an import picks the least-used palette colour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub colour: Option<String>,
    /// What the code means and when to apply it; empty when none was written.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The sub-codes, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<CodeNode>,
}

impl CodebookFile {
    /// Reads a codebook file, naming the line and column of a syntax error.
    pub fn read(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let file: Self = crate::store::from_ron(path, &text)?;
        file.check(path)?;
        Ok(file)
    }

    fn check(&self, path: &Path) -> Result<()> {
        fn walk(nodes: &[CodeNode], path: &Path, trail: &str) -> Result<()> {
            let mut seen = std::collections::HashSet::new();
            for node in nodes {
                let full = if trail.is_empty() {
                    node.name.clone()
                } else {
                    format!("{trail}/{}", node.name)
                };
                if node.name.trim().is_empty() || node.name.contains('/') {
                    return Err(Error::invalid(
                        path,
                        format!("code '{full}': a name must be non-empty and without '/'"),
                    ));
                }
                if let Some(colour) = node.colour.as_deref().filter(|c| !is_valid_colour(c)) {
                    return Err(Error::invalid(
                        path,
                        format!("code '{full}': '{colour}' is not a colour like #1f77b4"),
                    ));
                }
                if !seen.insert(node.name.to_lowercase()) {
                    return Err(Error::invalid(path, format!("code '{full}' appears twice")));
                }
                walk(&node.children, path, &full)?;
            }
            Ok(())
        }
        walk(&self.codes, path, "")
    }

    /// Writes the project's codebook as a tree.
    pub fn from_project(project: &Project) -> Self {
        fn nodes(project: &Project, parent: Option<CodeId>) -> Vec<CodeNode> {
            project
                .children(parent)
                .into_iter()
                .map(|c| CodeNode {
                    name: c.name.clone(),
                    colour: Some(c.colour.clone()),
                    description: c.description.clone(),
                    children: nodes(project, Some(c.id)),
                })
                .collect()
        }
        Self {
            name: project.meta().name.clone(),
            description: String::new(),
            codes: nodes(project, None),
        }
    }

    /// One edit adding every code of the file that the project lacks (matched by path); existing codes get
    /// the file's description when theirs is empty. Returns the edit and how many codes it adds.
    pub fn import_edit(
        &self,
        project: &Project,
    ) -> std::result::Result<(Edit, usize), crate::edit::EditError> {
        let mut draft = Draft::new(project);
        let added = add_nodes(&mut draft, &self.codes, None);
        Ok((
            draft.finish_labelled(format!("import codebook '{}'", self.name)),
            added,
        ))
    }

    /// Serialises as pretty RON.
    pub fn to_ron(&self) -> Result<String> {
        let config = ron::ser::PrettyConfig::new()
            .indentor("  ")
            .struct_names(false);
        ron::ser::to_string_pretty(self, config)
            .map(|t| t + "\n")
            .map_err(|error| Error::Serialize {
                path: "codebook".into(),
                error,
            })
    }
}

/// Adds the nodes the draft lacks under `parent`, recursively; returns how many codes were added.
fn add_nodes(draft: &mut Draft, nodes: &[CodeNode], parent: Option<CodeId>) -> usize {
    let mut added = 0;
    for node in nodes {
        let id = match draft.child_named(parent, &node.name).cloned() {
            Some(code) => {
                if code.description.is_empty() && !node.description.is_empty() {
                    let id = code.id;
                    draft.put(Entity::Code(Code {
                        description: node.description.clone(),
                        ..code
                    }));
                    id
                } else {
                    code.id
                }
            }
            None => {
                added += 1;
                ops::add_code(
                    draft,
                    &node.name,
                    parent,
                    node.colour.as_deref(),
                    &node.description,
                )
            }
        };
        added += add_nodes(draft, &node.children, Some(id));
    }
    added
}
