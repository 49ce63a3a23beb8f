//! Survey tables (.csv, .tsv, .xlsx, .ods): open answers become documents (one per respondent or one per
//! question) and each respondent becomes a case with typed attributes, linked to the documents.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Cursor;
use std::path::{Path, PathBuf};

use calamine::{Data, DataRef, Ods, Reader, Xlsx, XlsxError};
use serde::Serialize;

use super::sheetguard;
use super::zipsafe::SafeZip;
use super::{Block, Extracted, FormatError, TurnSource};
use crate::edit::{Edit, Entity};
use crate::error::{Error, Result};
use crate::ids::{CaseId, DocumentId};
use crate::import::FreeNames;
use crate::import::quiet::catch_quietly;
use crate::model::{AttributeDef, AttributeType, Case, DocumentKind, Project};

/// Extensions of survey tables.
pub const EXTENSIONS: &[&str] = &["csv", "tsv", "xlsx", "ods"];

/// How answers are grouped into documents.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Per {
    /// One document per respondent; each answer a paragraph headed by its question.
    #[default]
    Respondent,
    /// One document per question; each answer a turn headed by the respondent id.
    Question,
}

impl Per {
    /// Reads `respondent` or `question` (and a few synonyms, Norwegian included).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_lowercase().as_str() {
            "respondent" | "respondents" | "person" => Some(Self::Respondent),
            "question" | "questions" | "spørsmål" => Some(Self::Question),
            _ => None,
        }
    }
}

/// Which columns mean what. Columns are named by header (case-insensitive) or by 1-based number.
#[derive(Clone, Debug, Default)]
pub struct SurveyOptions {
    /// The column holding each respondent's id.
    pub id_column: String,
    /// The columns of open answers, each a question.
    pub text_columns: Vec<String>,
    /// Columns that become typed attributes of each respondent's case.
    pub attribute_columns: Vec<String>,
    /// One document per respondent or per question.
    pub per: Per,
    /// Worksheet of a spreadsheet (the first when left out).
    pub sheet: Option<String>,
}

/// What a survey import did.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SurveyReport {
    /// The file that was read.
    pub file: PathBuf,
    /// How many rows (respondents) had an id.
    pub respondents: usize,
    /// Documents created, `(name, id)`.
    pub documents: Vec<(String, DocumentId)>,
    /// Cases created for new respondents.
    pub cases_created: usize,
    /// Existing cases that got attribute values.
    pub cases_updated: usize,
    /// Attributes defined by this import, with their inferred types.
    pub attributes: Vec<(String, AttributeType)>,
    /// Rows or cells that were skipped, and why.
    pub warnings: Vec<String>,
}

/// A table: header names and rows of cell text (1-based row numbers as the user sees them).
#[derive(Debug, Default)]
struct Table {
    headers: Vec<String>,
    rows: Vec<(usize, Vec<String>)>,
}

impl Table {
    /// Adds a row read from a file: the first becomes the headers, rows without any value are left out.
    fn push_row(&mut self, header: bool, number: usize, cells: Vec<String>) {
        if header {
            self.headers = cells.iter().map(|c| c.trim().to_string()).collect();
        } else if cells.iter().any(|c| !c.trim().is_empty()) {
            self.rows.push((number, cells));
        }
    }

    fn cell(&self, row: &[String], column: usize) -> String {
        row.get(column)
            .map(|c| c.trim().to_string())
            .unwrap_or_default()
    }
}

/// Reads a survey table and builds the edit that adds its documents, cases and attributes.
pub fn import_survey(
    project: &Project,
    path: &Path,
    options: &SurveyOptions,
) -> Result<(Edit, SurveyReport)> {
    let fail = |message: String| Error::Import {
        path: path.to_path_buf(),
        message,
    };
    let extension = crate::import::extension_of(path);
    if !EXTENSIONS.contains(&extension.as_str()) {
        return Err(fail(format!(
            "'.{extension}' is not a survey table; use .csv, .tsv, .xlsx or .ods"
        )));
    }
    let bytes = crate::import::read_source(path)?;
    import_survey_bytes(project, path, &bytes, options)
}

/// [`import_survey`] for a table already in memory; `path` names it (extension, document names) and need not
/// exist (embedded or downloaded files).
pub fn import_survey_bytes(
    project: &Project,
    path: &Path,
    bytes: &[u8],
    options: &SurveyOptions,
) -> Result<(Edit, SurveyReport)> {
    let fail = |message: String| Error::Import {
        path: path.to_path_buf(),
        message,
    };
    let extension = crate::import::extension_of(path);
    if !EXTENSIONS.contains(&extension.as_str()) {
        return Err(fail(format!(
            "'.{extension}' is not a survey table; use .csv, .tsv, .xlsx or .ods"
        )));
    }
    let table =
        read_table(&extension, bytes, options.sheet.as_deref()).map_err(|e| fail(e.to_string()))?;
    build(project, path, &table, options).map_err(fail)
}

/// Reads a table file (`.csv`, `.tsv`, `.xlsx`, `.ods`; first sheet) under the same size limits as a survey:
/// the header row and the rows with any value. Used by codebook imports of spreadsheets.
pub fn read_rows(
    extension: &str,
    bytes: &[u8],
) -> Result<(Vec<String>, Vec<Vec<String>>), FormatError> {
    let table = read_table(extension, bytes, None)?;
    let rows = table.rows.into_iter().map(|(_, row)| row).collect();
    Ok((table.headers, rows))
}

fn read_table(extension: &str, bytes: &[u8], sheet: Option<&str>) -> Result<Table, FormatError> {
    if bytes.is_empty() {
        return Err(FormatError::Invalid("the file is empty".into()));
    }
    match extension {
        "csv" | "tsv" => read_delimited(bytes, extension == "tsv"),
        _ => read_spreadsheet(extension, bytes, sheet),
    }
}

fn read_delimited(bytes: &[u8], tabs: bool) -> Result<Table, FormatError> {
    let (text, _) =
        super::super::decode::decode(bytes).map_err(|e| FormatError::Invalid(e.to_string()))?;
    let first = text.lines().next().unwrap_or("");
    let delimiter = if tabs {
        b'\t'
    } else {
        [b',', b';', b'\t']
            .into_iter()
            .max_by_key(|d| first.matches(char::from(*d)).count())
            .unwrap_or(b',')
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut table = Table::default();
    for (index, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            FormatError::Invalid(format!(
                "row {} could not be read ({e}); check the quoting and save the table as CSV again",
                index + 1
            ))
        })?;
        let cells: Vec<String> = record.iter().map(str::to_string).collect();
        table.push_row(index == 0, index + 1, cells);
    }
    if table.headers.is_empty() {
        return Err(FormatError::Invalid(
            "the table has no header row; put the column names in the first row".into(),
        ));
    }
    Ok(table)
}

fn read_spreadsheet(
    extension: &str,
    bytes: &[u8],
    sheet: Option<&str>,
) -> Result<Table, FormatError> {
    let format: &'static str = if extension == "ods" { "ods" } else { "xlsx" };
    // Unpack under the zip limits first, checking the parts calamine sizes its memory by; calamine then reads
    // the checked, uncompressed copy.
    let stored =
        SafeZip::open(bytes, format)?.repack_stored_inspecting(|name, data| match format {
            "ods" if name == "content.xml" => sheetguard::check_ods_content(data),
            "ods" => Ok(()),
            _ => sheetguard::check_xlsx_part(name, data),
        })?;
    // calamine may panic on a malformed workbook; that is a damaged file, not a crash.
    let read = catch_quietly(|| {
        if format == "ods" {
            read_ods(stored, sheet)
        } else {
            read_xlsx(stored, sheet)
        }
    });
    let table = read.unwrap_or(Err(FormatError::DamagedArchive { format }))?;
    if table.headers.iter().all(String::is_empty) {
        return Err(FormatError::Invalid(
            "the sheet is empty or has no header row; put the column names in the first row".into(),
        ));
    }
    Ok(table)
}

/// An OpenDocument sheet (its content.xml already checked, so calamine's grid stays within the limits).
fn read_ods(stored: Vec<u8>, sheet: Option<&str>) -> Result<Table, FormatError> {
    let damaged = || FormatError::DamagedArchive { format: "ods" };
    let mut book: Ods<_> =
        calamine::open_workbook_from_rs(Cursor::new(stored)).map_err(|_| damaged())?;
    let name = pick_sheet(&book.sheet_names(), sheet)?;
    let range = book.worksheet_range(&name).map_err(|_| damaged())?;
    let (Some(start), Some(end)) = (range.start(), range.end()) else {
        return Ok(Table::default());
    };
    sheetguard::check_span(
        &name,
        (start.0.into(), start.1.into()),
        (end.0.into(), end.1.into()),
    )?;
    let mut table = Table::default();
    for (index, row) in range.rows().enumerate() {
        let cells = row.iter().map(cell_text).collect();
        table.push_row(index == 0, start.0 as usize + index + 1, cells);
    }
    Ok(table)
}

/// An Excel sheet, streamed cell by cell (calamine's dense grid is never built): each cell's position is
/// checked against the spreadsheet limits and the sheet's span against [`sheetguard::MAX_CELLS`].
fn read_xlsx(stored: Vec<u8>, sheet: Option<&str>) -> Result<Table, FormatError> {
    let damaged = || FormatError::DamagedArchive { format: "xlsx" };
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(stored)).map_err(|_| damaged())?;
    let name = pick_sheet(&book.sheet_names(), sheet)?;
    let mut reader = match book.worksheet_cells_reader(&name) {
        Ok(reader) => reader,
        // A chart sheet has no cells: the sheet is reported empty.
        Err(XlsxError::NotAWorksheet(_)) => return Ok(Table::default()),
        Err(_) => return Err(damaged()),
    };
    let declared = reader.dimensions();
    sheetguard::check_declared_size(&name, declared.start, declared.end)?;
    let mut cells: Vec<(u32, u32, String)> = Vec::new();
    while let Some(cell) = reader.next_cell().map_err(|_| damaged())? {
        let (row, column) = cell.get_position();
        sheetguard::check_position(&name, row.into(), column.into())?;
        if matches!(cell.get_value(), DataRef::Empty) {
            continue;
        }
        if cells.len() as u64 >= sheetguard::MAX_CELLS {
            return Err(FormatError::SheetTooLarge {
                sheet: name,
                what: format!("has more than {} cells with values", sheetguard::MAX_CELLS),
            });
        }
        cells.push((
            row,
            column,
            cell_text(&Data::from(cell.get_value().clone())),
        ));
    }
    table_from_cells(&name, cells)
}

/// A table from sparse cells `(row, column, text)`, laid out as calamine's grid would be: the first row with
/// a value is the header row, the leftmost column with a value is column 1.
fn table_from_cells(sheet: &str, mut cells: Vec<(u32, u32, String)>) -> Result<Table, FormatError> {
    let rows = cells.iter().map(|c| c.0);
    let columns = cells.iter().map(|c| c.1);
    let (Some(first_row), Some(last_row), Some(first_column), Some(last_column)) = (
        rows.clone().min(),
        rows.max(),
        columns.clone().min(),
        columns.max(),
    ) else {
        return Ok(Table::default());
    };
    sheetguard::check_span(
        sheet,
        (first_row.into(), first_column.into()),
        (last_row.into(), last_column.into()),
    )?;
    // Stable: of two cells at one position the later wins, as in calamine.
    cells.sort_by_key(|c| (c.0, c.1));
    let width = (last_column - first_column) as usize + 1;
    let mut table = Table {
        headers: vec![String::new(); width],
        rows: Vec::new(),
    };
    let mut cells = cells.into_iter().peekable();
    while let Some(&(row, _, _)) = cells.peek() {
        let mut values = Vec::new();
        while let Some((_, column, text)) = cells.next_if(|c| c.0 == row) {
            let at = (column - first_column) as usize;
            if values.len() <= at {
                values.resize(at + 1, String::new());
            }
            values[at] = text;
        }
        if row == first_row {
            values.resize(width, String::new());
        }
        table.push_row(row == first_row, row as usize + 1, values);
    }
    Ok(table)
}

fn pick_sheet(names: &[String], wanted: Option<&str>) -> Result<String, FormatError> {
    match wanted {
        None => names
            .first()
            .cloned()
            .ok_or_else(|| FormatError::Invalid("the workbook has no sheets".into())),
        Some(wanted) => names
            .iter()
            .find(|n| n.trim().eq_ignore_ascii_case(wanted.trim()) || n.trim() == wanted.trim())
            .cloned()
            .ok_or_else(|| {
                FormatError::Invalid(format!(
                    "no sheet named '{wanted}'; the sheets are: {}",
                    names.join(", ")
                ))
            }),
    }
}

/// A spreadsheet cell as the user sees it: whole numbers without decimals, dates as YYYY-MM-DD.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) if dt.is_datetime() => excel_date(dt.as_f64()),
        Data::DateTime(dt) => number_text(dt.as_f64()),
    }
}

fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{f:.0}")
    } else {
        f.to_string()
    }
}

/// An Excel serial date (days since 1899-12-30) as `YYYY-MM-DD`, with `HH:MM` when it has a time.
fn excel_date(serial: f64) -> String {
    const EXCEL_EPOCH_JULIAN_DAY: i64 = 2_415_019;
    if !serial.is_finite() || !(0.0..3_000_000.0).contains(&serial) {
        return number_text(serial);
    }
    let days = serial.floor();
    let Ok(julian) = i32::try_from(EXCEL_EPOCH_JULIAN_DAY + days as i64) else {
        return number_text(serial);
    };
    let Ok(date) = time::Date::from_julian_day(julian) else {
        return number_text(serial);
    };
    let date_text = format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    );
    let minutes = ((serial - days) * 24.0 * 60.0).round() as u32;
    if minutes == 0 || minutes >= 24 * 60 {
        date_text
    } else {
        format!("{date_text} {:02}:{:02}", minutes / 60, minutes % 60)
    }
}

/// The index of a column named by header or 1-based number.
fn column(table: &Table, key: &str) -> std::result::Result<usize, String> {
    let key = key.trim();
    if let Some(i) = table
        .headers
        .iter()
        .position(|h| h.to_lowercase() == key.to_lowercase())
    {
        return Ok(i);
    }
    if let Some(n) = key
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=table.headers.len()).contains(n))
    {
        return Ok(n - 1);
    }
    Err(format!(
        "no column '{key}'; the columns are: {}",
        table
            .headers
            .iter()
            .enumerate()
            .map(|(i, h)| format!("{} '{h}'", i + 1))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

fn header(table: &Table, column: usize) -> String {
    table
        .headers
        .get(column)
        .filter(|h| !h.is_empty())
        .cloned()
        .unwrap_or_else(|| format!("Column {}", column + 1))
}

/// The columns the options name, as indexes into the table.
struct Columns {
    id: usize,
    text: Vec<usize>,
    attributes: Vec<usize>,
}

fn resolve_columns(table: &Table, options: &SurveyOptions) -> std::result::Result<Columns, String> {
    let id = column(table, &options.id_column)?;
    if options.text_columns.is_empty() {
        return Err("choose at least one column of answers (--text COLUMN)".into());
    }
    let pick = |keys: &[String]| -> std::result::Result<Vec<usize>, String> {
        keys.iter().map(|c| column(table, c)).collect()
    };
    Ok(Columns {
        id,
        text: pick(&options.text_columns)?,
        attributes: pick(&options.attribute_columns)?,
    })
}

/// A respondent: their id and their row of the table.
type Respondent<'t> = (String, &'t Vec<String>);

/// Respondents with unique, non-empty ids; rows without an id are left out with a warning.
fn respondents<'t>(
    table: &'t Table,
    id_column: usize,
    report: &mut SurveyReport,
) -> std::result::Result<Vec<Respondent<'t>>, String> {
    let mut respondents = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (number, row) in &table.rows {
        let id = table.cell(row, id_column);
        if id.is_empty() {
            report.warnings.push(format!(
                "row {number} has no respondent id; it was left out"
            ));
            continue;
        }
        if let Some(first) = seen.insert(id.to_lowercase(), *number) {
            return Err(format!(
                "respondent id '{id}' is on rows {first} and {number}; ids must be unique (choose another --id column)"
            ));
        }
        respondents.push((id, row));
    }
    if respondents.is_empty() {
        return Err("the table has no rows with a respondent id".into());
    }
    Ok(respondents)
}

/// The documents of a survey import: unique names, answers already in the project refused, and the documents
/// linked to each respondent (by index into the respondents).
struct Documents<'p> {
    original: String,
    names: FreeNames,
    hashes: HashMap<&'p str, &'p str>,
    links: Vec<BTreeSet<DocumentId>>,
    edits: Vec<Edit>,
}

impl<'p> Documents<'p> {
    fn new(project: &'p Project, original: String, respondents: usize) -> Self {
        let documents = project.documents().values();
        Self {
            original,
            names: FreeNames::new(documents.clone().map(|d| d.name.clone()).collect()),
            hashes: documents
                .map(|d| (d.text_hash.as_str(), d.name.as_str()))
                .collect(),
            links: vec![BTreeSet::new(); respondents],
            edits: Vec::new(),
        }
    }

    /// Adds a document of `blocks` linked to `linked` respondents (none when the blocks hold no text).
    fn add(
        &mut self,
        name: String,
        blocks: Vec<Block>,
        linked: &[usize],
        report: &mut SurveyReport,
    ) -> std::result::Result<(), String> {
        let extracted = Extracted {
            blocks,
            page_starts: Vec::new(),
            turns: TurnSource::StructureOnly,
        };
        let name = self.names.free(&name);
        let kind = Some(DocumentKind::Survey);
        let entry = match super::to_entry(&name, &self.original, extracted, kind) {
            Ok(entry) => entry,
            Err(FormatError::NoText) => return Ok(()),
            Err(e) => return Err(e.to_string()),
        };
        if let Some(existing) = self.hashes.get(entry.document.text_hash.as_str()) {
            return Err(format!(
                "the answers for '{name}' are already in the project (document '{existing}'); this survey looks imported already"
            ));
        }
        self.names.claim(name.clone());
        for respondent in linked {
            if let Some(set) = self.links.get_mut(*respondent) {
                set.insert(entry.document.id);
            }
        }
        report.documents.push((name, entry.document.id));
        self.edits
            .push(Edit::Put(Entity::Document(Box::new(entry))));
        Ok(())
    }
}

/// One document per respondent; each answer a paragraph headed by its question.
fn per_respondent(
    table: &Table,
    stem: &str,
    text_columns: &[usize],
    respondents: &[Respondent<'_>],
    documents: &mut Documents<'_>,
    report: &mut SurveyReport,
) -> std::result::Result<(), String> {
    for (index, (id, row)) in respondents.iter().enumerate() {
        let blocks: Vec<Block> = text_columns
            .iter()
            .filter_map(|c| {
                let answer = table.cell(row, *c);
                (!answer.is_empty())
                    .then(|| Block::text(format!("{}\n{answer}", header(table, *c))))
            })
            .collect();
        if blocks.is_empty() {
            report
                .warnings
                .push(format!("respondent '{id}' gave no answers; no document"));
            continue;
        }
        documents.add(format!("{stem} {id}"), blocks, &[index], report)?;
    }
    Ok(())
}

/// One document per question; each answer a turn headed by the respondent id.
fn per_question(
    table: &Table,
    stem: &str,
    text_columns: &[usize],
    respondents: &[Respondent<'_>],
    documents: &mut Documents<'_>,
    report: &mut SurveyReport,
) -> std::result::Result<(), String> {
    for c in text_columns {
        let mut blocks = Vec::new();
        let mut linked = Vec::new();
        for (index, (id, row)) in respondents.iter().enumerate() {
            let answer = table.cell(row, *c);
            if answer.is_empty() {
                continue;
            }
            blocks.push(Block {
                text: answer,
                speaker: Some(id.clone()),
                ..Block::default()
            });
            linked.push(index);
        }
        let question = header(table, *c);
        if blocks.is_empty() {
            report
                .warnings
                .push(format!("nobody answered '{question}'; no document"));
            continue;
        }
        documents.add(format!("{stem} {question}"), blocks, &linked, report)?;
    }
    Ok(())
}

/// Attribute columns with their types: the project's type when it defines the attribute, otherwise inferred
/// from the column (and the definition added).
fn attribute_kinds(
    project: &Project,
    table: &Table,
    respondents: &[Respondent<'_>],
    attribute_columns: &[usize],
    edits: &mut Vec<Edit>,
    report: &mut SurveyReport,
) -> BTreeMap<usize, (String, AttributeType)> {
    let mut kinds = BTreeMap::new();
    for c in attribute_columns {
        let name = header(table, *c);
        let existing = project
            .attributes()
            .values()
            .find(|a| a.name.to_lowercase() == name.to_lowercase());
        let (name, kind) = match existing {
            Some(def) => (def.name.clone(), def.kind),
            None => {
                let values: Vec<String> = respondents
                    .iter()
                    .map(|(_, row)| table.cell(row, *c))
                    .collect();
                let kind = AttributeType::infer(values.iter().map(String::as_str));
                edits.push(Edit::Put(Entity::Attribute(AttributeDef {
                    name: name.clone(),
                    kind,
                })));
                report.attributes.push((name.clone(), kind));
                (name, kind)
            }
        };
        kinds.insert(*c, (name, kind));
    }
    kinds
}

/// One case per respondent (the project's case of that name when there is one), with its attributes and
/// linked to its documents. Cases are looked up by name through one map, not a search per respondent.
fn add_cases(
    project: &Project,
    table: &Table,
    respondents: &[Respondent<'_>],
    kinds: &BTreeMap<usize, (String, AttributeType)>,
    links: &[BTreeSet<DocumentId>],
    edits: &mut Vec<Edit>,
    report: &mut SurveyReport,
) {
    let mut by_name: HashMap<String, &Case> = HashMap::new();
    for case in project.cases().values() {
        by_name.entry(case.name.to_lowercase()).or_insert(case);
    }
    for (index, (id, row)) in respondents.iter().enumerate() {
        let existing = match id.parse::<CaseId>() {
            Ok(case_id) => project.cases().get(&case_id),
            Err(_) => by_name.get(&id.trim().to_lowercase()).copied(),
        };
        let mut case = match existing {
            Some(case) => {
                report.cases_updated += 1;
                case.clone()
            }
            None => {
                report.cases_created += 1;
                Case {
                    id: CaseId::new(),
                    name: id.clone(),
                    description: String::new(),
                    attributes: BTreeMap::new(),
                    documents: BTreeSet::new(),
                }
            }
        };
        for (c, (name, kind)) in kinds {
            let value = table.cell(row, *c);
            if value.is_empty() {
                continue;
            }
            match kind.parse_value(&value) {
                Ok(v) => {
                    case.attributes.insert(name.clone(), v);
                }
                Err(e) => report
                    .warnings
                    .push(format!("respondent '{id}', {name}: {e}; left empty")),
            }
        }
        if let Some(docs) = links.get(index) {
            case.documents.extend(docs.iter().copied());
        }
        edits.push(Edit::Put(Entity::Case(case)));
    }
}

/// Builds the edit that adds a survey's documents, attributes and cases.
fn build(
    project: &Project,
    path: &Path,
    table: &Table,
    options: &SurveyOptions,
) -> std::result::Result<(Edit, SurveyReport), String> {
    let columns = resolve_columns(table, options)?;
    let mut report = SurveyReport {
        file: path.to_path_buf(),
        ..SurveyReport::default()
    };
    let respondents = respondents(table, columns.id, &mut report)?;
    report.respondents = respondents.len();
    let stem = crate::import::document_name(path);
    let original = path
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut documents = Documents::new(project, original.clone(), respondents.len());
    let group = match options.per {
        Per::Respondent => per_respondent,
        Per::Question => per_question,
    };
    group(
        table,
        &stem,
        &columns.text,
        &respondents,
        &mut documents,
        &mut report,
    )?;
    if report.documents.is_empty() {
        return Err("none of the chosen columns has any answers".into());
    }
    let Documents {
        mut edits, links, ..
    } = documents;
    let kinds = attribute_kinds(
        project,
        table,
        &respondents,
        &columns.attributes,
        &mut edits,
        &mut report,
    );
    add_cases(
        project,
        table,
        &respondents,
        &kinds,
        &links,
        &mut edits,
        &mut report,
    );
    let label = format!(
        "import survey '{}' ({} documents)",
        original,
        report.documents.len()
    );
    Ok((Edit::batch(label, edits), report))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_serial_dates() {
        assert_eq!(excel_date(44634.0), "2022-03-14");
        assert_eq!(excel_date(44634.5), "2022-03-14 12:00");
    }

    #[test]
    fn columns_by_name_or_number() {
        let table = Table {
            headers: vec!["Respondent".into(), "Skole".into()],
            rows: Vec::new(),
        };
        assert_eq!(column(&table, "skole"), Ok(1));
        assert_eq!(column(&table, "1"), Ok(0));
        assert!(column(&table, "3").is_err_and(|e| e.contains("1 'Respondent'")));
    }
}
