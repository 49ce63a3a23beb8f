//! `.qdc` codebooks (REFI-QDA, `urn:QDA-XML:codebook:1.0`, also the older `0:4`): export, import, and the
//! merge of any code tree into a project that outline imports share.

use std::collections::HashSet;
use std::path::Path;

use serde::Serialize;

pub use super::codebook_xml::{CodeNode, unflatten};
use super::{CODEBOOK_NS, CODEBOOK_NS_OLD, codebook_xml, xml};
use crate::edit::{Edit, Entity};
use crate::error::{Error, Result};
use crate::ids::CodeId;
use crate::model::{Code, Project};
use crate::ops::Draft;

/// What merging a codebook into a project did.
#[derive(Clone, Debug, Default, Serialize)]
pub struct CodebookReport {
    /// Codes that were new to the project and were added.
    pub added: usize,
    /// Codes already in the project (same id, or same name at the same place).
    pub existing: usize,
    /// What was odd in the file (an old namespace, code sets left out, flattened names), as the reader reported
    /// it; callers add these, since the merge itself finds none.
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
    let mut w = xml::Writer::new();
    let attrs = [
        ("xmlns", CODEBOOK_NS.to_string()),
        ("origin", super::ORIGIN.to_string()),
    ];
    codebook_xml::write(&mut w, project, &attrs, &|_, _| {});
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
    let nodes = codebook_xml::read(&root);
    if root.child("Sets").is_some_and(|s| !s.children.is_empty()) {
        warnings.push("code sets in the file were not imported (sets here hold documents)".into());
    }
    Ok((unflatten(nodes, &mut warnings), warnings))
}

/// One edit adding a code tree to a project: codes with a known id or an existing name at the same place
/// are reused, the rest added (their file ids kept when free).
pub fn merge_edit(project: &Project, nodes: &[CodeNode]) -> Result<(Option<Edit>, CodebookReport)> {
    let mut merge = Merge {
        draft: Draft::new(project),
        report: CodebookReport::default(),
        seen: HashSet::new(),
    };
    merge.nodes(nodes, None);
    let Merge { draft, report, .. } = merge;
    let edit = (!draft.is_empty()).then(|| draft.finish("import codebook"));
    Ok((edit, report))
}

/// A merge under way: the draft sees the codes added so far.
struct Merge<'p> {
    draft: Draft<'p>,
    report: CodebookReport,
    /// Codes already matched, so two nodes of one id do not both land on it.
    seen: HashSet<CodeId>,
}

impl Merge<'_> {
    fn nodes(&mut self, nodes: &[CodeNode], parent: Option<CodeId>) {
        for node in nodes {
            let id = self.node(node, parent);
            self.seen.insert(id);
            self.nodes(&node.children, Some(id));
        }
    }

    /// The code a node lands on: an existing one (by id, else by name at this place) or a new one.
    fn node(&mut self, node: &CodeNode, parent: Option<CodeId>) -> CodeId {
        let mut name = node.name.trim().replace('/', "-");
        if name.is_empty() {
            name = "Unnamed code".into();
        }
        let by_id = node
            .id
            .map(CodeId)
            .filter(|id| self.draft.code(*id).is_some() && !self.seen.contains(id));
        let by_name = self.draft.child_named(parent, &name).map(|c| c.id);
        if let Some(id) = by_id.or(by_name) {
            self.report.existing += 1;
            return id;
        }
        let id = node
            .id
            .map(CodeId)
            .filter(|id| self.draft.code(*id).is_none())
            .unwrap_or_default();
        let order = self
            .draft
            .children(parent)
            .iter()
            .map(|c| c.order + 1)
            .max()
            .unwrap_or(0);
        let colour = codebook_xml::colour(node.colour.as_deref())
            .unwrap_or_else(|| self.draft.next_colour());
        self.draft.put(Entity::Code(Code {
            id,
            name,
            colour,
            description: node.description.clone(),
            parent,
            order,
        }));
        self.report.added += 1;
        id
    }
}
