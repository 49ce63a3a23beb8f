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

/// One row per code: path, name, level, definition, colour, codings.
pub fn table(project: &Project) -> Table {
    let header = ["path", "name", "level", "description", "colour", "codings"]
        .map(String::from)
        .to_vec();
    let rows = project
        .code_tree()
        .iter()
        .map(|(depth, code)| {
            vec![
                Cell::Text(project.code_path(code.id)),
                Cell::Text(code.name.clone()),
                Cell::Number((depth + 1) as f64),
                Cell::Text(code.description.clone()),
                Cell::Text(code.colour.clone()),
                Cell::Number(count(project, code.id) as f64),
            ]
        })
        .collect();
    Table { header, rows }
}
