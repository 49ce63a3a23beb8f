//! Size checks for spreadsheets before calamine reads them: declared counts it reserves memory for, sheet
//! sizes and cell positions it would turn into a dense grid, and OpenDocument repeat counts and space runs it
//! would expand. A sheet that fails is refused with its name and the cell at fault.

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use super::FormatError;

/// Rows a spreadsheet can have (Excel and LibreOffice).
pub const MAX_ROWS: u64 = 1_048_576;
/// Columns a spreadsheet can have.
pub const MAX_COLUMNS: u64 = 16_384;
/// A survey sheet may span no more cells than this (rows × columns, empty ones included).
pub const MAX_CELLS: u64 = 10_000_000;
/// One cell may hold no more text than this (Excel itself stops at 32,767 characters).
pub const MAX_CELL_TEXT: u64 = 1024 * 1024;
/// All cells of a workbook together, repeats counted, may hold no more text than this.
pub const MAX_TEXT_BYTES: u64 = 256 * 1024 * 1024;

/// A cell's name as a spreadsheet shows it (`F12`), from 0-based row and column.
pub fn cell_name(row: u64, column: u64) -> String {
    let mut letters = Vec::new();
    let mut n = column + 1;
    while n > 0 {
        let rest = (n - 1) % 26;
        letters.push(b'A' + rest as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row + 1)
}

fn damaged(what: String) -> FormatError {
    FormatError::SheetDamaged { what }
}

/// Refuses a cell outside the grid a spreadsheet can have.
pub fn check_position(sheet: &str, row: u64, column: u64) -> Result<(), FormatError> {
    if row >= MAX_ROWS || column >= MAX_COLUMNS {
        return Err(damaged(format!(
            "sheet '{sheet}' has a cell at {}, beyond the {MAX_ROWS} rows and {MAX_COLUMNS} columns a spreadsheet can have",
            cell_name(row, column)
        )));
    }
    Ok(())
}

/// Refuses a sheet whose declared size (`<dimension ref="A1:F9">`, 0-based corners) leaves the grid.
pub fn check_declared_size(
    sheet: &str,
    start: (u32, u32),
    end: (u32, u32),
) -> Result<(), FormatError> {
    for (row, column) in [start, end] {
        if u64::from(row) >= MAX_ROWS || u64::from(column) >= MAX_COLUMNS {
            return Err(damaged(format!(
                "sheet '{sheet}' declares its size as {}:{}, beyond the {MAX_ROWS} rows and {MAX_COLUMNS} columns a spreadsheet can have",
                cell_name(start.0.into(), start.1.into()),
                cell_name(end.0.into(), end.1.into())
            )));
        }
    }
    Ok(())
}

/// Refuses a sheet whose cells span more than [`MAX_CELLS`] (0-based corners, inclusive).
pub fn check_span(sheet: &str, first: (u64, u64), last: (u64, u64)) -> Result<(), FormatError> {
    let rows = last.0.saturating_sub(first.0) + 1;
    let columns = last.1.saturating_sub(first.1) + 1;
    if rows.saturating_mul(columns) > MAX_CELLS {
        return Err(FormatError::SheetTooLarge {
            sheet: sheet.to_string(),
            what: format!(
                "spans {}:{} ({rows} rows × {columns} columns), more than the {MAX_CELLS} cells a survey import reads",
                cell_name(first.0, first.1),
                cell_name(last.0, last.1)
            ),
        });
    }
    Ok(())
}

/// Checks a part of an .xlsx before calamine opens the workbook: the shared-string count it reserves for.
pub fn check_xlsx_part(name: &str, data: &[u8]) -> Result<(), FormatError> {
    if !name.to_lowercase().ends_with("sharedstrings.xml") {
        return Ok(());
    }
    let mut reader = Reader::from_reader(data);
    let mut buffer = Vec::new();
    loop {
        match reader.read_event_into(&mut buffer) {
            Ok(Event::Start(tag) | Event::Empty(tag)) if tag.local_name().as_ref() == "sst" => {
                let declared = attribute(&tag, "uniqueCount")
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .unwrap_or(0);
                // Each string takes more than one byte of XML; calamine reserves room for the declared count.
                if declared > data.len() as u64 || declared > MAX_CELLS {
                    return Err(damaged(format!(
                        "it declares {declared} shared strings in {} bytes",
                        data.len()
                    )));
                }
                return Ok(());
            }
            Ok(Event::Eof) | Err(_) => return Ok(()),
            _ => buffer.clear(),
        }
    }
}

fn attribute(tag: &BytesStart<'_>, key: &str) -> Option<String> {
    tag.attributes()
        .with_checks(false)
        .filter_map(Result::ok)
        .find(|a| a.key.as_ref() == key)
        .map(|a| a.value.into_owned())
}

/// What an OpenDocument table expands to in calamine, counted while its content.xml is read.
#[derive(Debug, Default)]
struct OdsTable {
    name: String,
    /// Rows so far, repeats counted (calamine caps them at [`MAX_ROWS`]).
    row: u64,
    /// First and last row with a value, and the narrowest first and widest end column of such rows.
    first_row: Option<u64>,
    last_row: u64,
    first_column: u64,
    end_column: u64,
}

/// One cell being read: where it starts, how often it repeats, whether it has a value, its text length.
#[derive(Debug, Default)]
struct OdsCell {
    column: u64,
    repeats: u64,
    has_value: bool,
    text: u64,
}

/// Counts what calamine would build from an .ods content.xml; refuses a workbook that would grow too large.
pub fn check_ods_content(xml: &[u8]) -> Result<(), FormatError> {
    let mut scan = OdsScan::default();
    let mut reader = Reader::from_reader(xml);
    let mut buffer = Vec::new();
    // calamine loops for ever at the end of a content.xml whose table (or note) never closes, so the XML
    // must be well formed and complete.
    let mut depth = 0usize;
    loop {
        let event = match reader.read_event_into(&mut buffer) {
            Ok(Event::Eof) if depth == 0 => return Ok(()),
            Ok(Event::Eof) => {
                return Err(damaged(
                    "its content.xml ends before its elements close".into(),
                ));
            }
            Err(error) => {
                return Err(damaged(format!(
                    "its content.xml is not well-formed XML ({error})"
                )));
            }
            Ok(event) => event,
        };
        match event {
            Event::Start(tag) => {
                depth += 1;
                scan.open(&tag);
            }
            Event::Empty(tag) => {
                scan.open(&tag);
                scan.close(tag.name().into_inner())?;
            }
            Event::End(tag) => {
                depth = depth.saturating_sub(1);
                scan.close(tag.name().into_inner())?;
            }
            Event::Text(text) => scan.text(text.len() as u64),
            Event::GeneralRef(_) => scan.text(4),
            _ => {}
        }
        buffer.clear();
    }
}

#[derive(Debug, Default)]
struct OdsScan {
    table: Option<OdsTable>,
    row_repeats: u64,
    /// Column after the last cell read in this row, and the span of its cells with values.
    column: u64,
    row_values: Option<(u64, u64)>,
    cell: Option<OdsCell>,
    /// Cells pushed before calamine trims the grid, and text held, over all tables.
    pushed: u64,
    text: u64,
    cells: u64,
}

impl OdsScan {
    fn open(&mut self, tag: &BytesStart<'_>) {
        let number =
            |key: &str| attribute(tag, key).map(|v| v.trim().parse::<u64>().unwrap_or(u64::MAX));
        match tag.name().into_inner() {
            "table:table" => {
                self.table = Some(OdsTable {
                    name: attribute(tag, "table:name").unwrap_or_default(),
                    first_column: u64::MAX,
                    ..OdsTable::default()
                });
            }
            "table:table-row" => {
                let row = self.table.as_ref().map_or(0, |t| t.row);
                self.row_repeats = number("table:number-rows-repeated")
                    .unwrap_or(1)
                    .min(MAX_ROWS.saturating_sub(row));
                (self.column, self.row_values) = (0, None);
            }
            "table:table-cell" | "table:covered-table-cell" => {
                let repeats = number("table:number-columns-repeated")
                    .unwrap_or(1)
                    .min(MAX_COLUMNS.saturating_sub(self.column));
                let has_value = ["office:value-type", "table:formula", "office:value"]
                    .iter()
                    .any(|k| attribute(tag, k).is_some_and(|v| !v.is_empty()));
                let text = ["office:string-value", "table:formula"]
                    .iter()
                    .filter_map(|k| attribute(tag, k))
                    .map(|v| v.len() as u64)
                    .sum();
                self.cell = Some(OdsCell {
                    column: self.column,
                    repeats,
                    has_value,
                    text,
                });
            }
            "text:s" => self.text(number("text:c").unwrap_or(1)),
            "text:p" | "text:tab" | "text:line-break" => self.text(1),
            _ => {}
        }
    }

    fn text(&mut self, bytes: u64) {
        if let Some(cell) = &mut self.cell {
            cell.text = cell.text.saturating_add(bytes);
            cell.has_value |= bytes > 0;
        }
    }

    fn close(&mut self, name: &str) -> Result<(), FormatError> {
        match name {
            "table:table-cell" | "table:covered-table-cell" => self.end_cell(),
            "table:table-row" => self.end_row(),
            "table:table" => self.end_table(),
            _ => Ok(()),
        }
    }

    fn sheet(&self) -> String {
        self.table
            .as_ref()
            .map(|t| t.name.clone())
            .unwrap_or_default()
    }

    fn end_cell(&mut self) -> Result<(), FormatError> {
        let Some(cell) = self.cell.take() else {
            return Ok(());
        };
        self.column = self.column.saturating_add(cell.repeats).min(MAX_COLUMNS);
        if !cell.has_value || cell.repeats == 0 {
            return Ok(());
        }
        let row = self.table.as_ref().map_or(0, |t| t.row);
        if cell.text > MAX_CELL_TEXT {
            return Err(FormatError::SheetTooLarge {
                sheet: self.sheet(),
                what: format!(
                    "has a cell ({}) holding more than {MAX_CELL_TEXT} characters",
                    cell_name(row, cell.column)
                ),
            });
        }
        // calamine copies a repeated cell's text into every repeat.
        let copies = cell.repeats.saturating_mul(self.row_repeats.max(1));
        self.text = self.text.saturating_add(cell.text.saturating_mul(copies));
        if self.text > MAX_TEXT_BYTES {
            return Err(FormatError::SheetTooLarge {
                sheet: self.sheet(),
                what: format!(
                    "repeats text until the workbook holds more than {} MB (at {})",
                    MAX_TEXT_BYTES / (1024 * 1024),
                    cell_name(row, cell.column)
                ),
            });
        }
        let (first, _) = self.row_values.unwrap_or((cell.column, 0));
        self.row_values = Some((first.min(cell.column), self.column));
        Ok(())
    }

    fn end_row(&mut self) -> Result<(), FormatError> {
        let repeats = self.row_repeats;
        let values = self.row_values.take();
        let Some(table) = &mut self.table else {
            return Ok(());
        };
        if let Some((first, end)) = values {
            self.pushed = self.pushed.saturating_add(end);
            table.first_row.get_or_insert(table.row);
            table.last_row = table.row.saturating_add(repeats.max(1) - 1);
            table.first_column = table.first_column.min(first);
            table.end_column = table.end_column.max(end);
        }
        table.row = table.row.saturating_add(repeats).min(MAX_ROWS);
        if self.pushed > MAX_CELLS {
            let (name, row) = (table.name.clone(), table.row);
            return Err(FormatError::SheetTooLarge {
                sheet: name,
                what: format!(
                    "repeats cells until it holds more than {MAX_CELLS} (by row {})",
                    row
                ),
            });
        }
        Ok(())
    }

    fn end_table(&mut self) -> Result<(), FormatError> {
        let Some(table) = self.table.take() else {
            return Ok(());
        };
        let Some(first_row) = table.first_row else {
            return Ok(());
        };
        let first = (first_row, table.first_column);
        let last = (table.last_row, table.end_column.saturating_sub(1));
        check_span(&table.name, first, last)?;
        let rows = last.0 - first.0 + 1;
        let columns = last.1.saturating_sub(first.1) + 1;
        self.cells = self.cells.saturating_add(rows.saturating_mul(columns));
        if self.cells > MAX_CELLS {
            return Err(FormatError::SheetTooLarge {
                sheet: table.name,
                what: format!(
                    "brings the workbook's sheets to more than {MAX_CELLS} cells (calamine reads them all)"
                ),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_names() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(4_294_967_294, 5), "F4294967295");
        assert_eq!(cell_name(999, 16_383), "XFD1000");
        assert_eq!(cell_name(0, 26), "AA1");
    }

    #[test]
    fn a_run_of_spaces_repeated_over_many_cells_is_refused() {
        let xml = r#"<office:document-content><office:body><office:spreadsheet>
            <table:table table:name="Ark1"><table:table-row>
            <table:table-cell office:value-type="string"><text:p>a<text:s text:c="4000000000"/></text:p></table:table-cell>
            </table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
        let error = check_ods_content(xml.as_bytes()).expect_err("refused");
        assert!(error.to_string().contains("Ark1"), "{error}");
        assert!(error.to_string().contains("A1"), "{error}");
    }

    #[test]
    fn repeated_rows_of_values_are_refused_but_empty_padding_is_not() {
        let padding = r#"<table:table table:name="Ark1"><table:table-row><table:table-cell office:value-type="string"><text:p>id</text:p></table:table-cell></table:table-row>
            <table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table>"#;
        assert!(check_ods_content(padding.as_bytes()).is_ok());
        let values = r#"<table:table table:name="Ark1"><table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/></table:table-row></table:table>"#;
        let error = check_ods_content(values.as_bytes()).expect_err("refused");
        assert!(error.to_string().contains("Ark1"), "{error}");
    }
}
