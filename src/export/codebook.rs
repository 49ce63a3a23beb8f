//! The codebook for a report or appendix: Markdown, Word or CSV, with definitions and coding counts.

use super::docx::Docx;
use super::table::{Cell, Table};
use crate::error::Result;
use crate::model::Project;

/// Codings per code, not rolled up.
fn count(project: &Project, code: crate::ids::CodeId) -> usize {
    project
        .codings()
        .values()
        .filter(|c| c.code == code)
        .count()
}

/// A nested Markdown list: **name** (n codings): definition.
pub fn markdown(project: &Project) -> String {
    let mut out = format!("# Codebook: {}\n\n", project.meta().name);
    for (depth, code) in project.code_tree() {
        let indent = "  ".repeat(depth);
        out.push_str(&format!(
            "{indent}- **{}** ({} codings)",
            code.name.replace('*', "\\*"),
            count(project, code.id)
        ));
        if !code.description.is_empty() {
            out.push_str(&format!(": {}", code.description.replace('\n', " ")));
        }
        out.push('\n');
    }
    out
}

/// A Word document: a heading per code (levels 1–3, deeper codes stay at 3) and its definition.
pub fn docx(project: &Project) -> Result<Vec<u8>> {
    let mut doc = Docx::new();
    let title = format!("Codebook: {}", project.meta().name);
    doc.text("Title", &title);
    for (depth, code) in project.code_tree() {
        doc.heading(depth + 1, &code.name);
        let definition = if code.description.is_empty() {
            "(no definition)".to_string()
        } else {
            code.description.clone()
        };
        doc.text("Normal", &definition);
        doc.text(
            "Citation",
            &format!(
                "{} · {} codings · colour {}",
                project.code_path(code.id),
                count(project, code.id),
                code.colour
            ),
        );
    }
    doc.finish(&title)
}

/// Which tool a codebook table (or text) is laid out for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum CodebookLayout {
    /// `path, code, level, description, colour, codings`: everything we hold; Taguette reads it too (it takes
    /// `path` as the tag, and `description`).
    #[default]
    Marginalia,
    /// Taguette's own codebook: `tag, description, number of highlights, number of documents`.
    Taguette,
    /// NVivo's codebook list: `Hierarchical Name` (`Codes\A\B`), `Name`, `Description`, `Files`, `References`.
    Nvivo,
    /// QualCoder's plain-text codebook: `Category>>Code`, a tab, the memo; one code per line.
    Qualcoder,
}

impl CodebookLayout {
    /// Every layout, as `--layout` names them.
    pub const ALL: [CodebookLayout; 4] = [
        Self::Marginalia,
        Self::Taguette,
        Self::Nvivo,
        Self::Qualcoder,
    ];

    /// The name `--layout` takes (`taguette`).
    pub fn keyword(self) -> &'static str {
        match self {
            Self::Marginalia => "marginalia",
            Self::Taguette => "taguette",
            Self::Nvivo => "nvivo",
            Self::Qualcoder => "qualcoder",
        }
    }

    /// Reads a layout name, ignoring case; `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        let lower = text.trim().to_lowercase();
        Self::ALL.into_iter().find(|l| l.keyword() == lower)
    }
}

/// Documents with at least one coding of the code (not rolled up).
fn documents_with(project: &Project, code: crate::ids::CodeId) -> usize {
    project
        .codings()
        .values()
        .filter(|c| c.code == code)
        .map(|c| c.document)
        .collect::<std::collections::BTreeSet<_>>()
        .len()
}

/// One row per code: path, code, level, definition, colour, codings (the Marginalia layout).
pub fn table(project: &Project) -> Table {
    layout_table(project, CodebookLayout::Marginalia)
}

/// One row per code in tree order, laid out for `layout` (QualCoder's layout is text: see [`qualcoder_text`];
/// as a table it has QualCoder's two columns, `code` and `memo`).
pub fn layout_table(project: &Project, layout: CodebookLayout) -> Table {
    let header: &[&str] = match layout {
        CodebookLayout::Marginalia => {
            &["path", "code", "level", "description", "colour", "codings"]
        }
        CodebookLayout::Taguette => &[
            "tag",
            "description",
            "number of highlights",
            "number of documents",
        ],
        CodebookLayout::Nvivo => &[
            "Hierarchical Name",
            "Name",
            "Description",
            "Files",
            "References",
        ],
        CodebookLayout::Qualcoder => &["code", "memo"],
    };
    let rows = project
        .code_tree()
        .iter()
        .map(|(depth, code)| {
            let path = project.code_path(code.id);
            let codings = Cell::Number(count(project, code.id) as f64);
            let files = Cell::Number(documents_with(project, code.id) as f64);
            let description = Cell::Text(code.description.clone());
            match layout {
                CodebookLayout::Marginalia => vec![
                    Cell::Text(path),
                    Cell::Text(code.name.clone()),
                    Cell::Number((depth + 1) as f64),
                    description,
                    Cell::Text(code.colour.clone()),
                    codings,
                ],
                CodebookLayout::Taguette => vec![Cell::Text(path), description, codings, files],
                CodebookLayout::Nvivo => vec![
                    Cell::Text(format!("Codes\\{}", path.replace('/', "\\"))),
                    Cell::Text(code.name.clone()),
                    description,
                    files,
                    codings,
                ],
                CodebookLayout::Qualcoder => vec![
                    Cell::Text(path.replace('/', ">>")),
                    Cell::Text(code.description.clone()),
                ],
            }
        })
        .collect();
    Table {
        header: header.iter().map(|h| h.to_string()).collect(),
        rows,
    }
}

/// QualCoder's plain-text codebook: per code, its path joined by `>>`, a tab, and its description on one line.
pub fn qualcoder_text(project: &Project) -> String {
    let mut out = String::new();
    for (_, code) in project.code_tree() {
        out.push_str(&project.code_path(code.id).replace('/', ">>"));
        out.push('\t');
        out.push_str(&code.description.replace(['\r', '\n', '\t'], " "));
        out.push('\n');
    }
    out
}
