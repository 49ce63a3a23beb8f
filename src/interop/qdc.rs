//! `.qdc` codebooks (REFI-QDA, `urn:QDA-XML:codebook:1.0`, also the older `0:4`): export, import, and the
//! merge of any code tree into a project that outline imports share.

use std::collections::HashSet;
use std::path::Path;

use serde::Serialize;
use uuid::Uuid;

use super::xml::{self, Element, Writer};
use super::{CODEBOOK_NS, CODEBOOK_NS_OLD, derived_guid};
use crate::edit::{Edit, Entity};
use crate::error::{Error, Result};
use crate::ids::{CodeId, parse_guid};
use crate::model::{Code, Project, is_valid_colour};

/// A code read from a codebook file, with its sub-codes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CodeNode {
    pub id: Option<Uuid>,
    pub name: String,
    pub colour: Option<String>,
    pub description: String,
    pub children: Vec<CodeNode>,
}

/// What merging a codebook into a project did.
#[derive(Clone, Debug, Default, Serialize)]
pub struct CodebookReport {
    pub added: usize,
    /// Codes already in the project (same id, or same name at the same place).
    pub existing: usize,
    pub warnings: Vec<String>,
}

/// Writes the project's codebook as a `.qdc` file. An empty codebook is refused (the schema needs a code).
pub fn codebook_qdc(project: &Project) -> Result<String> {
    if project.codes().is_empty() {
        return Err(Error::Edit(crate::edit::EditError::invalid(
            None,
            "the codebook is empty; there is nothing to export",
        )));
    }
    let mut w = Writer::new();
    w.open(
        "CodeBook",
        &[
            ("xmlns", CODEBOOK_NS.to_string()),
            ("origin", super::ORIGIN.to_string()),
        ],
    );
    w.open("Codes", &[]);
    fn write(w: &mut Writer, project: &Project, id: CodeId) {
        let Some(code) = project.codes().get(&id) else {
            return;
        };
        w.open(
            "Code",
            &[
                ("guid", code.id.to_string()),
                ("name", code.name.clone()),
                ("isCodable", "true".to_string()),
                ("color", code.colour.to_uppercase()),
            ],
        );
        if !code.description.is_empty() {
            w.text("Description", &code.description);
        }
        for child in project.children(Some(id)) {
            write(w, project, child.id);
        }
        w.close("Code");
    }
    for code in project.children(None) {
        write(&mut w, project, code.id);
    }
    w.close("Codes");
    w.close("CodeBook");
    Ok(w.finish())
}

/// Reads the code tree of a `.qdc` file (either namespace), hierarchy flattened into names undone.
pub fn read_qdc(path: &Path, bytes: &[u8]) -> Result<(Vec<CodeNode>, Vec<String>)> {
    let fail = |message: String| Error::Import {
        path: path.to_path_buf(),
        message,
    };
    let text = xml::decode(bytes).map_err(fail)?;
    let root = xml::parse(&text).map_err(fail)?;
    if root.name != "CodeBook" {
        return Err(fail(format!(
            "not a REFI-QDA codebook: the XML's root is <{}>",
            root.name
        )));
    }
    let mut warnings = Vec::new();
    match root.namespace.as_deref() {
        Some(CODEBOOK_NS) | None => {}
        Some(CODEBOOK_NS_OLD) => warnings.push(format!(
            "an older codebook ({CODEBOOK_NS_OLD}), read as {CODEBOOK_NS}"
        )),
        Some(other) => warnings.push(format!("unexpected namespace '{other}'")),
    }
    fn node(element: &Element) -> CodeNode {
        CodeNode {
            id: element.attr("guid").and_then(parse_guid).or_else(|| {
                element
                    .attr("guid")
                    .map(|g| derived_guid("foreign-id", g.trim()))
            }),
            name: element.attr("name").unwrap_or("").trim().to_string(),
            colour: element.attr("color").map(str::to_string),
            description: element.child_text("Description").unwrap_or("").to_string(),
            children: element.all("Code").map(node).collect(),
        }
    }
    let nodes: Vec<CodeNode> = root
        .child("Codes")
        .map(|codes| codes.all("Code").map(node).collect())
        .unwrap_or_default();
    if root.child("Sets").is_some_and(|s| !s.children.is_empty()) {
        warnings.push("code sets in the file were not imported (sets here hold documents)".into());
    }
    Ok((unflatten(nodes, &mut warnings), warnings))
}

/// Splits `Group::Code` and `parent\child` names of top-level codes into a hierarchy.
pub fn unflatten(nodes: Vec<CodeNode>, warnings: &mut Vec<String>) -> Vec<CodeNode> {
    let mut out: Vec<CodeNode> = Vec::new();
    let mut flattened = 0;
    for node in nodes {
        let parts: Vec<String> = node
            .name
            .split("::")
            .flat_map(|p| p.split('\\'))
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect();
        if parts.len() < 2 {
            insert(&mut out, &[], node);
            continue;
        }
        flattened += 1;
        let (leaf, groups) = parts
            .split_last()
            .map(|(l, g)| (l.clone(), g.to_vec()))
            .unwrap_or_default();
        insert(&mut out, &groups, CodeNode { name: leaf, ..node });
    }
    if flattened > 0 {
        warnings.push(format!(
            "{flattened} code name(s) like 'Group::Code' or 'parent\\child' were turned into a hierarchy"
        ));
    }
    out
}

/// Inserts a node under a path of group names, creating or reusing groups; a node meeting a group of its
/// name created earlier fills it in.
fn insert(level: &mut Vec<CodeNode>, groups: &[String], node: CodeNode) {
    match groups.split_first() {
        Some((group, rest)) => {
            let index = match level
                .iter()
                .position(|n| n.name.to_lowercase() == group.to_lowercase())
            {
                Some(i) => i,
                None => {
                    level.push(CodeNode {
                        name: group.clone(),
                        ..CodeNode::default()
                    });
                    level.len() - 1
                }
            };
            insert(&mut level[index].children, rest, node);
        }
        None => {
            if let Some(existing) = level
                .iter_mut()
                .find(|n| n.id.is_none() && n.name.to_lowercase() == node.name.to_lowercase())
            {
                existing.id = node.id;
                existing.colour = node.colour;
                existing.description = node.description;
                existing.children.extend(node.children);
            } else {
                level.push(node);
            }
        }
    }
}

fn normalise_colour(raw: Option<&str>) -> Option<String> {
    let raw = raw?.trim().to_lowercase();
    if is_valid_colour(&raw) {
        return Some(raw);
    }
    (raw.len() == 4 && raw.starts_with('#') && raw[1..].chars().all(|c| c.is_ascii_hexdigit()))
        .then(|| {
            format!(
                "#{}",
                raw[1..].chars().flat_map(|c| [c, c]).collect::<String>()
            )
        })
}

/// One edit adding a code tree to a project: codes with a known id or an existing name at the same place
/// are reused, the rest added (their file ids kept when free).
pub fn merge_edit(project: &Project, nodes: &[CodeNode]) -> Result<(Option<Edit>, CodebookReport)> {
    let mut scratch = project.clone();
    let mut edits = Vec::new();
    let mut report = CodebookReport::default();
    fn walk(
        scratch: &mut Project,
        nodes: &[CodeNode],
        parent: Option<CodeId>,
        edits: &mut Vec<Edit>,
        report: &mut CodebookReport,
        seen: &mut HashSet<CodeId>,
    ) -> Result<()> {
        for node in nodes {
            let mut name = node.name.trim().replace('/', "-");
            if name.is_empty() {
                name = "Unnamed code".into();
            }
            let by_id = node
                .id
                .map(CodeId)
                .filter(|id| scratch.codes().contains_key(id) && !seen.contains(id));
            let by_name = scratch
                .codes()
                .values()
                .find(|c| c.parent == parent && c.name.to_lowercase() == name.to_lowercase())
                .map(|c| c.id);
            let id = match by_id.or(by_name) {
                Some(id) => {
                    report.existing += 1;
                    id
                }
                None => {
                    let id = node
                        .id
                        .map(CodeId)
                        .filter(|id| !scratch.codes().contains_key(id))
                        .unwrap_or_default();
                    let order = scratch
                        .codes()
                        .values()
                        .filter(|c| c.parent == parent)
                        .map(|c| c.order + 1)
                        .max()
                        .unwrap_or(0);
                    let colour = normalise_colour(node.colour.as_deref())
                        .unwrap_or_else(|| scratch.next_colour());
                    let edit = Edit::Put(Entity::Code(Code {
                        id,
                        name,
                        colour,
                        description: node.description.clone(),
                        parent,
                        order,
                    }));
                    scratch.apply(edit.clone())?;
                    edits.push(edit);
                    report.added += 1;
                    id
                }
            };
            seen.insert(id);
            walk(scratch, &node.children, Some(id), edits, report, seen)?;
        }
        Ok(())
    }
    let mut seen = HashSet::new();
    walk(
        &mut scratch,
        nodes,
        None,
        &mut edits,
        &mut report,
        &mut seen,
    )?;
    let edit = (!edits.is_empty()).then(|| Edit::batch("import codebook", edits));
    Ok((edit, report))
}
