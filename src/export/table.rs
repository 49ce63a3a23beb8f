//! Tables: one row per excerpt (the "quote table") and code × case counts, as CSV or XLSX.

use std::collections::BTreeMap;

use rust_xlsxwriter::{Format, Workbook};

use super::excerpts::Report;
use crate::error::{Error, Result};
use crate::ids::{CaseId, CodeId};
use crate::model::Project;

/// A plain table: header and rows of text or numbers.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    /// The column headings.
    pub header: Vec<String>,
    /// The rows of cells, column by column as in the header.
    pub rows: Vec<Vec<Cell>>,
}

/// A table cell.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Text, written as a string cell.
    Text(String),
    /// A number, written as a numeric cell.
    Number(f64),
}

impl std::fmt::Display for Cell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cell::Text(t) => f.write_str(t),
            Cell::Number(n) => write!(f, "{n}"),
        }
    }
}

fn text(value: impl Into<String>) -> Cell {
    Cell::Text(value.into())
}

/// One row per excerpt: code path, case(s), every attribute, document, speaker, timestamp, page, position in code
/// points,
/// coder, memo, text, paragraph number, citation (and context columns when the report has context).
pub fn excerpt_table(report: &Report) -> Table {
    let with_context = report
        .items
        .iter()
        .any(|i| !i.before.is_empty() || !i.after.is_empty());
    let mut header: Vec<String> = vec!["code".into(), "cases".into()];
    header.extend(report.attribute_names.iter().cloned());
    header.extend(
        [
            "document",
            "speaker",
            "timestamp",
            "page",
            "start",
            "end",
            "coder",
            "memo",
            "text",
            "paragraph",
            "citation",
        ]
        .map(String::from),
    );
    if with_context {
        header.extend(["context before".to_string(), "context after".to_string()]);
    }
    let rows = report
        .items
        .iter()
        .map(|item| {
            let e = &item.excerpt;
            let mut row = vec![text(e.code_path.clone()), text(e.cases.join("; "))];
            row.extend(
                report
                    .attribute_names
                    .iter()
                    .map(|a| text(item.attributes.get(a).cloned().unwrap_or_default())),
            );
            row.extend([
                text(e.document_name.clone()),
                text(e.speaker.clone().unwrap_or_default()),
                text(e.timestamp.clone().unwrap_or_default()),
                item.page
                    .map(|p| Cell::Number(p as f64))
                    .unwrap_or_else(|| text("")),
                Cell::Number(e.range.start as f64),
                Cell::Number(e.range.end as f64),
                text(e.coder.clone()),
                text(e.memo.clone().unwrap_or_default()),
                text(e.text.clone()),
                item.paragraph
                    .map(|p| Cell::Number(p as f64))
                    .unwrap_or_else(|| text("")),
                text(item.citation(report.citation)),
            ]);
            if with_context {
                row.extend([text(item.before.clone()), text(item.after.clone())]);
            }
            row
        })
        .collect();
    Table { header, rows }
}

/// Codings per code (rows, tree order, by path) and case (columns, by name), plus a total per code.
/// A coding counts for every case its document belongs to; codes are not rolled up. Only the codings of the
/// selected coders count.
pub fn code_case_counts(project: &Project, coders: &crate::coders::CoderSelection) -> Table {
    let mut cases: Vec<_> = project.cases().values().collect();
    cases.sort_by(|a, b| crate::collate::compare(&a.name, &b.name));
    let mut counts: BTreeMap<(CodeId, CaseId), usize> = BTreeMap::new();
    let mut totals: BTreeMap<CodeId, usize> = BTreeMap::new();
    for coding in project
        .codings()
        .values()
        .filter(|c| coders.contains(c.coder))
    {
        *totals.entry(coding.code).or_default() += 1;
        for case in project.cases_of(coding.document) {
            *counts.entry((coding.code, case.id)).or_default() += 1;
        }
    }
    let mut header = vec!["code".to_string()];
    header.extend(cases.iter().map(|c| c.name.clone()));
    header.push("total".into());
    let rows = project
        .code_tree()
        .iter()
        .map(|(_, code)| {
            let mut row = vec![text(project.code_path(code.id))];
            row.extend(cases.iter().map(|case| {
                Cell::Number(counts.get(&(code.id, case.id)).copied().unwrap_or(0) as f64)
            }));
            row.push(Cell::Number(
                totals.get(&code.id).copied().unwrap_or(0) as f64
            ));
            row
        })
        .collect();
    Table { header, rows }
}

/// CSV with a header row (UTF-8, no BOM).
pub fn csv(table: &Table) -> Result<Vec<u8>> {
    let fail = |e: csv::Error| Error::invalid("export.csv", e.to_string());
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&table.header).map_err(fail)?;
    for row in &table.rows {
        writer
            .write_record(row.iter().map(|c| c.to_string()))
            .map_err(fail)?;
    }
    writer
        .into_inner()
        .map_err(|e| Error::invalid("export.csv", e.to_string()))
}

/// An XLSX workbook with one sheet: bold, frozen header; wrapped text in long columns.
pub fn xlsx(table: &Table, sheet: &str) -> Result<Vec<u8>> {
    let fail = |e: rust_xlsxwriter::XlsxError| Error::invalid("export.xlsx", e.to_string());
    let mut workbook = Workbook::new();
    let worksheet = workbook.add_worksheet();
    let name: String = sheet
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(31)
        .collect();
    worksheet.set_name(name).map_err(fail)?;
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    for (col, title) in table.header.iter().enumerate() {
        let col =
            u16::try_from(col).map_err(|_| Error::invalid("export.xlsx", "too many columns"))?;
        worksheet
            .write_string_with_format(0, col, title, &bold)
            .map_err(fail)?;
        let width = if matches!(
            title.as_str(),
            "text" | "memo" | "context before" | "context after"
        ) {
            60.0
        } else {
            16.0
        };
        worksheet.set_column_width(col, width).map_err(fail)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(|_| Error::invalid("export.xlsx", "too many rows"))?;
        for (col, cell) in row.iter().enumerate() {
            let col = u16::try_from(col)
                .map_err(|_| Error::invalid("export.xlsx", "too many columns"))?;
            match cell {
                Cell::Number(n) => worksheet.write_number(r, col, *n).map(|_| ()),
                Cell::Text(t) if t.len() > 60 => worksheet
                    .write_string_with_format(r, col, t, &wrap)
                    .map(|_| ()),
                Cell::Text(t) => worksheet.write_string(r, col, t).map(|_| ()),
            }
            .map_err(fail)?;
        }
    }
    worksheet.set_freeze_panes(1, 0).map_err(fail)?;
    workbook.save_to_buffer().map_err(fail)
}
