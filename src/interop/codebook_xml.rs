//! The `<CodeBook>`/`<Codes>` tree that `.qdc` codebooks and `.qde` projects share: one writer, one reader,
//! and the clean-up of flattened names (`Group::Code`) and short colours both formats need.

use uuid::Uuid;

use super::file_guid;
use super::xml::{Element, Writer};
use crate::ids::CodeId;
use crate::model::{Project, is_valid_colour};

/// A code read from a codebook file, with its sub-codes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CodeNode {
    /// The code's GUID in the file; `None` when it has none (codes from outlines, groups made from flattened names).
    pub id: Option<Uuid>,
    /// The code's name, trimmed.
    pub name: String,
    /// The colour as the file writes it; checked and normalised with [`colour`] when merged.
    pub colour: Option<String>,
    /// The code's description (definition), empty when there is none.
    pub description: String,
    /// The sub-codes, in file order.
    pub children: Vec<CodeNode>,
    /// The notes (memos) the code refers to with `<NoteRef>`, in file order.
    pub notes: Vec<Uuid>,
}

/// Writes `<CodeBook attrs><Codes>…</Codes></CodeBook>`: the project's codes nested in tree order, each with
/// its description; `notes` writes a code's `<NoteRef>`s (after the description, before the sub-codes, as
/// the schemas require).
pub fn write(
    w: &mut Writer,
    project: &Project,
    attrs: &[(&str, String)],
    notes: &dyn Fn(&mut Writer, CodeId),
) {
    w.open("CodeBook", attrs);
    w.open("Codes", &[]);
    for code in project.children(None) {
        write_code(w, project, code.id, notes);
    }
    w.close("Codes");
    w.close("CodeBook");
}

fn write_code(w: &mut Writer, project: &Project, id: CodeId, notes: &dyn Fn(&mut Writer, CodeId)) {
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
    notes(w, id);
    for child in project.children(Some(id)) {
        write_code(w, project, child.id, notes);
    }
    w.close("Code");
}

/// Reads the code tree under a `<CodeBook>` element as the file has it (names not yet unflattened, colours
/// as written). A code without a `guid` has no id; a foreign id that is not a GUID maps to a stable one.
pub fn read(codebook: &Element) -> Vec<CodeNode> {
    codebook
        .child("Codes")
        .map(|codes| codes.all("Code").map(node).collect())
        .unwrap_or_default()
}

fn node(element: &Element) -> CodeNode {
    CodeNode {
        id: element.attr("guid").map(file_guid),
        name: element.attr("name").unwrap_or("").trim().to_string(),
        colour: element.attr("color").map(str::to_string),
        description: element.child_text("Description").unwrap_or("").to_string(),
        children: element.all("Code").map(node).collect(),
        notes: element
            .all("NoteRef")
            .filter_map(|n| n.attr("targetGUID"))
            .map(file_guid)
            .collect(),
    }
}

/// A colour as `#rrggbb` in lower case (`#abc` is widened), or `None` when it is not a colour.
pub fn colour(raw: Option<&str>) -> Option<String> {
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

/// Splits `Group::Code` and `parent\child` names of top-level codes into a hierarchy. The groups it makes
/// have no id; a code of the group's name at the top level (before or after) becomes the group.
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
        let Some((leaf, groups)) = parts.split_last().filter(|_| parts.len() >= 2) else {
            insert(&mut out, &[], node);
            continue;
        };
        flattened += 1;
        let leaf = leaf.clone();
        insert(&mut out, groups, CodeNode { name: leaf, ..node });
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
                existing.notes.extend(node.notes);
            } else {
                level.push(node);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interop::xml;

    #[test]
    fn written_codes_read_back_with_their_notes() {
        let mut project = Project::new("p", Default::default());
        let (parent, edit) =
            crate::ops::add_code_path(&project, "A", Some("#aabbcc"), "första").expect("add");
        project.apply(edit).expect("apply");
        let (_, edit) = crate::ops::add_code_path(&project, "A/B", None, "").expect("add");
        project.apply(edit).expect("apply");
        let note = Uuid::new_v4();
        let mut w = Writer::new();
        write(&mut w, &project, &[], &|w, id| {
            if id == parent {
                w.empty("NoteRef", &[("targetGUID", note.to_string())]);
            }
        });
        let root = xml::parse(&w.finish()).expect("parse");
        let nodes = read(&root);
        assert_eq!(nodes.len(), 1);
        assert_eq!(nodes[0].id, Some(parent.0));
        assert_eq!(nodes[0].colour.as_deref(), Some("#AABBCC"));
        assert_eq!(nodes[0].description, "första");
        assert_eq!(nodes[0].notes, [note]);
        assert_eq!(nodes[0].children[0].name, "B");
    }

    #[test]
    fn flattened_names_become_groups_and_short_colours_widen() {
        let named = |name: &str| CodeNode {
            id: Some(Uuid::new_v4()),
            name: name.into(),
            ..CodeNode::default()
        };
        let mut warnings = Vec::new();
        let nodes = unflatten(
            vec![named("G::x"), named("G\\y"), named("G"), named("z")],
            &mut warnings,
        );
        let names: Vec<&str> = nodes.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["G", "z"]);
        assert!(nodes[0].id.is_some(), "the real code G fills the group in");
        assert_eq!(nodes[0].children.len(), 2);
        assert_eq!(warnings.len(), 1);
        assert_eq!(colour(Some(" #ABC ")).as_deref(), Some("#aabbcc"));
        assert_eq!(colour(Some("red")), None);
    }
}
