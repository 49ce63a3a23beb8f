//! A plain rows × columns result table (header + typed cells) shared by every analysis, with CSV, XLSX and
//! JSON output.

use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Result};

/// One cell of a [`Table`].
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Cell {
    /// Text, such as a row label.
    Text(String),
    /// A whole number (a count of codings, documents or characters).
    Count(u64),
    /// A measured value (a share, a Jaccard index), shown with the table's `decimals`.
    Number(f64),
    /// No value.
    Empty,
}

impl Cell {
    /// The cell as text, numbers with `decimals` places.
    pub fn display(&self, decimals: usize) -> String {
        match self {
            Cell::Text(text) => text.clone(),
            Cell::Count(n) => n.to_string(),
            Cell::Number(x) => format!("{x:.decimals$}"),
            Cell::Empty => String::new(),
        }
    }

    /// The numeric value, if the cell holds one.
    pub fn number(&self) -> Option<f64> {
        match self {
            Cell::Count(n) => Some(*n as f64),
            Cell::Number(x) => Some(*x),
            Cell::Text(_) | Cell::Empty => None,
        }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        Cell::Text(text.to_string())
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Cell::Text(text)
    }
}

/// A grid with a header row, as exported to spreadsheets: the first column usually labels the rows.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Table {
    /// The sheet name in a workbook, and a title for people.
    pub title: String,
    /// The column headings.
    pub header: Vec<String>,
    /// The rows of cells, column by column as in the header.
    pub rows: Vec<Vec<Cell>>,
    /// Decimal places for [`Cell::Number`] in text and CSV output.
    pub decimals: usize,
}

/// File formats a [`Table`] is written to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableFormat {
    /// Comma-separated values, header first.
    Csv,
    /// An Excel workbook with the table on one sheet.
    Xlsx,
    /// JSON: the title, the header and the rows of cells.
    Json,
}

impl TableFormat {
    /// Parses `csv`, `xlsx` (or `excel`) or `json`, ignoring case.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_lowercase().as_str() {
            "csv" => Some(Self::Csv),
            "xlsx" | "excel" => Some(Self::Xlsx),
            "json" => Some(Self::Json),
            _ => None,
        }
    }
}

impl Table {
    /// An empty table with a title and column headings; numbers get two decimal places.
    pub fn new(title: impl Into<String>, header: Vec<String>) -> Self {
        Self {
            title: title.into(),
            header,
            rows: Vec::new(),
            decimals: 2,
        }
    }

    /// The table as tab-separated text (header first, one line per row), as spreadsheets and word processors
    /// paste it from the clipboard into cells; tabs and line breaks inside a cell become spaces.
    pub fn to_tsv(&self) -> String {
        let clean = |text: &str| text.replace(['\t', '\r', '\n'], " ");
        let mut out = String::new();
        let mut line = |cells: Vec<String>| {
            let cells: Vec<String> = cells.iter().map(|c| clean(c)).collect();
            out.push_str(&cells.join("\t"));
            out.push('\n');
        };
        line(self.header.clone());
        for row in &self.rows {
            line(row.iter().map(|c| c.display(self.decimals)).collect());
        }
        out
    }

    /// The table as CSV text (comma-separated, quoted where needed, header first).
    pub fn to_csv(&self) -> Result<String> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let fail = |e: csv::Error| Error::Invalid {
            path: "table.csv".into(),
            message: e.to_string(),
        };
        writer.write_record(&self.header).map_err(fail)?;
        for row in &self.rows {
            writer
                .write_record(row.iter().map(|c| c.display(self.decimals)))
                .map_err(fail)?;
        }
        let bytes = writer.into_inner().map_err(|e| Error::Invalid {
            path: "table.csv".into(),
            message: e.to_string(),
        })?;
        String::from_utf8(bytes).map_err(|e| Error::invalid("table.csv", e.to_string()))
    }

    /// The table as an XLSX workbook in memory: one sheet, bold header, frozen header row and label column.
    pub fn to_xlsx(&self) -> Result<Vec<u8>> {
        use rust_xlsxwriter::{Format, Workbook};
        let fail = |e: rust_xlsxwriter::XlsxError| Error::invalid("table.xlsx", e.to_string());
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.set_name(sheet_name(&self.title)).map_err(fail)?;
        let bold = Format::new().set_bold();
        let decimals = if self.decimals == 0 {
            "0".to_string()
        } else {
            format!("0.{}", "0".repeat(self.decimals))
        };
        let number = Format::new().set_num_format(decimals);
        for (col, name) in self.header.iter().enumerate() {
            sheet
                .write_string_with_format(0, column(col)?, name, &bold)
                .map_err(fail)?;
        }
        for (r, row) in self.rows.iter().enumerate() {
            let r =
                u32::try_from(r + 1).map_err(|_| Error::invalid("table.xlsx", "too many rows"))?;
            for (c, cell) in row.iter().enumerate() {
                let c = column(c)?;
                match cell {
                    Cell::Text(text) => sheet.write_string(r, c, text).map(|_| ()),
                    Cell::Count(n) => sheet.write_number(r, c, *n as f64).map(|_| ()),
                    Cell::Number(x) => sheet
                        .write_number_with_format(r, c, *x, &number)
                        .map(|_| ()),
                    Cell::Empty => Ok(()),
                }
                .map_err(fail)?;
            }
        }
        sheet.set_freeze_panes(1, 1).map_err(fail)?;
        sheet.autofit();
        workbook.save_to_buffer().map_err(fail)
    }

    /// The table as JSON: `{title, header, rows}` with numbers as numbers.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self).map_err(|e| Error::invalid("table.json", e.to_string()))
    }

    /// Writes the table to a file in a format (atomically; never inside a project folder).
    pub fn write(&self, path: &Path, format: TableFormat) -> Result<()> {
        let bytes = match format {
            TableFormat::Csv => self.to_csv()?.into_bytes(),
            TableFormat::Xlsx => self.to_xlsx()?,
            TableFormat::Json => self.to_json()?.into_bytes(),
        };
        crate::store::write_export(path, &bytes)
    }

    /// The table as aligned plain text for a terminal (numbers right-aligned).
    pub fn to_text(&self) -> String {
        let shown: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|row| row.iter().map(|c| c.display(self.decimals)).collect())
            .collect();
        let columns = self
            .header
            .len()
            .max(shown.iter().map(Vec::len).max().unwrap_or(0));
        let mut widths = vec![0; columns];
        for (i, name) in self.header.iter().enumerate() {
            widths[i] = widths[i].max(crate::offsets::char_len(name));
        }
        for row in &shown {
            for (i, text) in row.iter().enumerate() {
                widths[i] = widths[i].max(crate::offsets::char_len(text));
            }
        }
        let mut out = String::new();
        let pad = |out: &mut String, text: &str, width: usize, right: bool| {
            let fill = " ".repeat(width.saturating_sub(crate::offsets::char_len(text)));
            if right {
                out.push_str(&fill);
                out.push_str(text);
            } else {
                out.push_str(text);
                out.push_str(&fill);
            }
        };
        for (i, name) in self.header.iter().enumerate() {
            if i > 0 {
                out.push_str("  ");
            }
            pad(&mut out, name, widths[i], i > 0);
        }
        trim_line_end(&mut out);
        out.push('\n');
        for (row, texts) in self.rows.iter().zip(&shown) {
            for (i, (cell, text)) in row.iter().zip(texts).enumerate() {
                if i > 0 {
                    out.push_str("  ");
                }
                pad(&mut out, text, widths[i], cell.number().is_some());
            }
            trim_line_end(&mut out);
            out.push('\n');
        }
        out
    }
}

fn trim_line_end(out: &mut String) {
    let kept = out.trim_end_matches(' ').len();
    out.truncate(kept);
}

fn column(index: usize) -> Result<u16> {
    u16::try_from(index).map_err(|_| Error::invalid("table.xlsx", "too many columns"))
}

/// A valid worksheet name: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(title: &str) -> String {
    let cleaned: String = title
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .take(31)
        .collect();
    let cleaned = cleaned.trim().trim_matches('\'').to_string();
    if cleaned.is_empty() {
        "Sheet1".into()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        let mut table = Table::new("Code × case", vec!["Code".into(), "Bjørkeli, skole".into()]);
        table.rows.push(vec![
            Cell::from("Barriers/Resource shortage"),
            Cell::Count(3),
        ]);
        table
            .rows
            .push(vec![Cell::from("Share"), Cell::Number(12.345)]);
        table
    }

    #[test]
    fn csv_quotes_and_formats_numbers() {
        let csv = sample().to_csv().expect("csv");
        assert_eq!(
            csv,
            "Code,\"Bjørkeli, skole\"\nBarriers/Resource shortage,3\nShare,12.35\n"
        );
    }

    #[test]
    fn tsv_pastes_as_cells() {
        let mut table = sample();
        table
            .rows
            .push(vec![Cell::from("Lærar\tsa:\n«nei»"), Cell::Empty]);
        assert_eq!(
            table.to_tsv(),
            "Code\tBjørkeli, skole\nBarriers/Resource shortage\t3\nShare\t12.35\nLærar sa: «nei»\t\n"
        );
    }

    #[test]
    fn xlsx_is_a_zip_workbook() {
        let bytes = sample().to_xlsx().expect("xlsx");
        assert_eq!(&bytes[..2], b"PK");
        assert_eq!(sheet_name("a/b: c?"), "a-b- c-");
    }

    #[test]
    fn text_aligns_numbers_right() {
        let text = sample().to_text();
        assert!(
            text.lines()
                .nth(1)
                .is_some_and(|l| l.ends_with("              3"))
        );
    }
}
