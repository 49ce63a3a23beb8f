//! Code × case matrices: codes (or top-level codes rolled up) against cases, case groups by an attribute,
//! documents or speakers, counting codings, documents, coded characters, share of text or presence; every cell
//! keeps the codings behind its number.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::regions::{Regions, intersect, merge};
use super::scope::{Resolved, Scope, attribute_def};
use super::table::{Cell, Table};
use crate::error::{Error, Result};
use crate::ids::{CodeId, CodingId, DocumentId};
use crate::model::Project;
use crate::offsets::CharRange;
use crate::retrieve::Excerpt;

/// What the rows are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowMode {
    /// Every code (or the chosen ones) in codebook order.
    #[default]
    Codes,
    /// Top-level codes, each rolled up with all its sub-codes.
    Parents,
}

/// What the columns are.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Columns {
    /// One column per case in scope.
    #[default]
    Cases,
    /// One column per value of a case attribute (cases without a value are left out).
    Attribute(String),
    /// One column per document in scope.
    Documents,
    /// One column per speaker of the transcripts in scope; a coding counts for the turns it overlaps.
    Speakers,
}

impl Columns {
    /// Parses `cases`, `attr:NAME`, `documents` or `speakers`.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        if let Some(name) = text
            .strip_prefix("attr:")
            .or_else(|| text.strip_prefix("attribute:"))
        {
            return (!name.trim().is_empty()).then(|| Self::Attribute(name.trim().to_string()));
        }
        match text.to_lowercase().as_str() {
            "cases" | "case" => Some(Self::Cases),
            "documents" | "docs" | "document" => Some(Self::Documents),
            "speakers" | "speaker" => Some(Self::Speakers),
            _ => None,
        }
    }
}

/// What a cell counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Value {
    /// Number of codings: a passage two coders coded counts twice.
    #[default]
    Codings,
    /// Number of distinct coded passages: a passage several coders (or a code and its sub-code) coded counts
    /// once.
    Passages,
    /// Number of documents with at least one coding.
    Documents,
    /// Coded code points, overlapping codings counted once.
    Characters,
    /// Coded characters as a percentage of the column's text.
    Share,
    /// 1 when there is at least one coding, else 0.
    Presence,
}

impl Value {
    /// Parses `codings`, `passages`, `documents`, `characters`, `share` or `presence` (and a few synonyms), ignoring case.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_lowercase().as_str() {
            "codings" | "count" => Some(Self::Codings),
            "passages" | "distinct" | "excerpts" => Some(Self::Passages),
            "documents" | "docs" => Some(Self::Documents),
            "characters" | "chars" => Some(Self::Characters),
            "share" | "percent" => Some(Self::Share),
            "presence" | "binary" => Some(Self::Presence),
            _ => None,
        }
    }

    /// The value's name for people, as matrix titles and menus show it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Codings => "codings",
            Self::Passages => "distinct passages",
            Self::Documents => "documents",
            Self::Characters => "coded characters",
            Self::Share => "% of text coded",
            Self::Presence => "presence",
        }
    }
}

/// Everything that defines a matrix.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixSpec {
    /// Whether rows are single codes or top-level codes rolled up with their sub-codes.
    pub rows: RowMode,
    /// Only these codes as rows (empty: all codes, or all top-level codes with [`RowMode::Parents`]).
    pub codes: Vec<CodeId>,
    /// With [`RowMode::Codes`]: a row also counts the codings of the code's sub-codes.
    pub include_subcodes: bool,
    /// What the columns are: cases, attribute values, documents or speakers.
    pub columns: Columns,
    /// What each cell counts.
    pub value: Value,
    /// Which cases, documents and coders the codings may come from.
    pub scope: Scope,
}

/// A row: a code, and the codes whose codings it counts.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    /// The code of the row.
    pub code: CodeId,
    /// The code path.
    pub label: String,
    /// The code's depth in the codebook tree (0 for a top-level code), for indenting labels.
    pub depth: usize,
}

/// Finds a row by 1-based number, code path or unique code name (case-insensitive).
pub(super) fn find_row(rows: &[Row], key: &str) -> Option<usize> {
    let key = key.trim();
    if let Ok(n) = key.parse::<usize>() {
        return (1..=rows.len()).contains(&n).then(|| n - 1);
    }
    let lower = key.to_lowercase();
    rows.iter()
        .position(|r| r.label.to_lowercase() == lower)
        .or_else(|| {
            let mut hits = rows.iter().enumerate().filter(|(_, r)| {
                r.label
                    .rsplit(crate::model::PATH_SEPARATOR)
                    .next()
                    .is_some_and(|n| n.to_lowercase() == lower)
            });
            match (hits.next(), hits.next()) {
                (Some((i, _)), None) => Some(i),
                _ => None,
            }
        })
}

/// A column: its label and the amount of text it covers (for shares).
#[derive(Clone, Debug, Serialize)]
pub struct Column {
    /// The column heading: a case name, an attribute value, a document name or a speaker.
    pub label: String,
    /// Code points of text in the column (the documents, or the speaker's turns).
    pub text_chars: usize,
    /// Documents in the column.
    pub documents: usize,
}

/// The codings behind one cell (or total) and the coded ranges they cover inside the column.
#[derive(Clone, Debug, Default)]
struct CellData {
    codings: Vec<CodingId>,
    /// The whole coded range of each coding, for counting distinct passages.
    passages: Vec<(DocumentId, CharRange)>,
    pieces: Vec<(DocumentId, CharRange)>,
}

impl CellData {
    fn finish(&mut self) {
        self.codings.sort_unstable();
        self.codings.dedup();
        self.passages
            .sort_unstable_by_key(|(d, r)| (*d, r.start, r.end));
        self.passages.dedup();
    }

    fn absorb(&mut self, other: &CellData) {
        self.codings.extend_from_slice(&other.codings);
        self.passages.extend_from_slice(&other.passages);
        self.pieces.extend_from_slice(&other.pieces);
    }

    fn value(&self, value: Value, text_chars: usize) -> f64 {
        match value {
            Value::Codings => self.codings.len() as f64,
            Value::Passages => self.passages.len() as f64,
            Value::Presence => f64::from(u8::from(!self.codings.is_empty())),
            Value::Documents => {
                let docs: BTreeSet<DocumentId> = self.pieces.iter().map(|(d, _)| *d).collect();
                docs.len() as f64
            }
            Value::Characters => self.characters() as f64,
            Value::Share => {
                if text_chars == 0 {
                    0.0
                } else {
                    self.characters() as f64 * 100.0 / text_chars as f64
                }
            }
        }
    }

    fn characters(&self) -> usize {
        let mut by_doc: BTreeMap<DocumentId, Vec<CharRange>> = BTreeMap::new();
        for (doc, range) in &self.pieces {
            by_doc.entry(*doc).or_default().push(*range);
        }
        by_doc
            .into_values()
            .map(|ranges| merge(ranges).iter().map(CharRange::len).sum::<usize>())
            .sum()
    }
}

/// A computed matrix. `values[row][column]`; totals count each coding and character once, so a total can be
/// less than the sum of its cells (sub-code rows, documents in two groups).
#[derive(Clone, Debug, Serialize)]
pub struct Matrix {
    /// The options the matrix was computed with.
    pub spec: MatrixSpec,
    /// The rows, in codebook order.
    pub rows: Vec<Row>,
    /// The columns, in the order they are shown.
    pub columns: Vec<Column>,
    /// The number in each cell, `values[row][column]`, as the spec's value asks.
    pub values: Vec<Vec<f64>>,
    /// The total of each row, over all columns.
    pub row_totals: Vec<f64>,
    /// The total of each column, over all rows.
    pub column_totals: Vec<f64>,
    /// The total over the whole matrix.
    pub total: f64,
    /// `cells[row][column]`, then row totals at `[row][columns.len()]`, column totals in the extra last row.
    #[serde(skip)]
    cells: Vec<Vec<CellData>>,
}

/// What a column covers in one document: the whole document, or some ranges of it (a speaker's turns).
#[derive(Clone, Debug)]
enum Area {
    Whole,
    Ranges(Vec<CharRange>),
}

/// Builds a matrix.
pub fn matrix(project: &Project, spec: &MatrixSpec) -> Result<Matrix> {
    let scope = spec.scope.resolve(project)?;
    let rows = rows(project, spec)?;
    let rolled_up = spec.rows == RowMode::Parents || spec.include_subcodes;
    let rows_of = rows_of_codes(project, &rows, rolled_up);
    let (columns, areas) = columns(project, spec, &scope)?;
    let mut cells = fill_cells(project, &scope, &rows_of, &areas, rows.len(), columns.len());
    add_totals(&mut cells, rows.len(), columns.len());
    let all_text = text_chars(project, &areas);
    let text_of = |col: usize| columns.get(col).map_or(all_text, |c| c.text_chars);
    let (n_rows, n_cols) = (rows.len(), columns.len());
    let values = (0..n_rows)
        .map(|r| {
            (0..n_cols)
                .map(|c| cells[r][c].value(spec.value, text_of(c)))
                .collect()
        })
        .collect();
    let row_totals = (0..n_rows)
        .map(|r| cells[r][n_cols].value(spec.value, all_text))
        .collect();
    let column_totals = (0..n_cols)
        .map(|c| cells[n_rows][c].value(spec.value, text_of(c)))
        .collect();
    let total = cells[n_rows][n_cols].value(spec.value, all_text);
    Ok(Matrix {
        spec: spec.clone(),
        rows,
        columns,
        values,
        row_totals,
        column_totals,
        total,
        cells,
    })
}

/// The rows each code counts in: its own, and with `rolled_up` its ancestors' rows too.
pub(super) fn rows_of_codes(
    project: &Project,
    rows: &[Row],
    rolled_up: bool,
) -> HashMap<CodeId, Vec<usize>> {
    let mut rows_of: HashMap<CodeId, Vec<usize>> = HashMap::new();
    for (index, row) in rows.iter().enumerate() {
        let counted = if rolled_up {
            project.descendants(row.code)
        } else {
            BTreeSet::from([row.code])
        };
        for code in counted {
            rows_of.entry(code).or_default().push(index);
        }
    }
    rows_of
}

/// Refuses codes the project does not have.
pub(super) fn check_codes(project: &Project, codes: &[CodeId]) -> Result<()> {
    match codes.iter().find(|c| !project.codes().contains_key(c)) {
        Some(code) => Err(Error::Edit(crate::edit::EditError::Missing(
            crate::edit::EntityKey::Code(*code),
        ))),
        None => Ok(()),
    }
}

/// Every coding in scope into the cells of its rows and columns (the parts inside the column's area). One
/// extra column and row are left for the totals.
fn fill_cells(
    project: &Project,
    scope: &Resolved,
    rows_of: &HashMap<CodeId, Vec<usize>>,
    areas: &Areas,
    n_rows: usize,
    n_cols: usize,
) -> Vec<Vec<CellData>> {
    // document → (column, area)
    let mut columns_of: HashMap<DocumentId, Vec<(usize, &Area)>> = HashMap::new();
    for (index, per_doc) in areas.iter().enumerate() {
        for (doc, area) in per_doc {
            columns_of.entry(*doc).or_default().push((index, area));
        }
    }
    let mut cells: Vec<Vec<CellData>> = vec![vec![CellData::default(); n_cols + 1]; n_rows + 1];
    for coding in project.codings().values() {
        if !scope.has_coder(coding.coder) {
            continue;
        }
        let (Some(row_list), Some(col_list)) =
            (rows_of.get(&coding.code), columns_of.get(&coding.document))
        else {
            continue;
        };
        for (col, area) in col_list {
            let pieces: Vec<CharRange> = match area {
                Area::Whole => vec![coding.range],
                Area::Ranges(ranges) => intersect(&[coding.range], ranges),
            };
            if pieces.is_empty() {
                continue;
            }
            for &row in row_list {
                let cell = &mut cells[row][*col];
                cell.codings.push(coding.id);
                cell.passages.push((coding.document, coding.range));
                cell.pieces
                    .extend(pieces.iter().map(|p| (coding.document, *p)));
            }
        }
    }
    cells
}

/// Totals: row totals in the extra column, column totals in the extra row.
fn add_totals(cells: &mut [Vec<CellData>], n_rows: usize, n_cols: usize) {
    for row in cells.iter_mut().take(n_rows) {
        let mut total = CellData::default();
        for cell in row.iter_mut().take(n_cols) {
            cell.finish();
            total.absorb(cell);
        }
        total.finish();
        row[n_cols] = total;
    }
    let mut totals: Vec<CellData> = vec![CellData::default(); n_cols + 1];
    for row in cells.iter().take(n_rows) {
        for (total, cell) in totals.iter_mut().zip(row) {
            total.absorb(cell);
        }
    }
    for (slot, mut total) in cells[n_rows].iter_mut().zip(totals) {
        total.finish();
        *slot = total;
    }
}

/// The characters all columns cover together (text in two columns counted once).
fn text_chars(project: &Project, areas: &Areas) -> usize {
    Regions::from_ranges(areas.iter().flat_map(|per_doc| {
        per_doc.iter().flat_map(|(doc, area)| {
            let ranges = match area {
                Area::Whole => project
                    .documents()
                    .get(doc)
                    .map(|d| vec![CharRange::new(0, d.char_len)])
                    .unwrap_or_default(),
                Area::Ranges(ranges) => ranges.clone(),
            };
            ranges.into_iter().map(move |r| (*doc, r))
        })
    }))
    .chars()
}

fn rows(project: &Project, spec: &MatrixSpec) -> Result<Vec<Row>> {
    check_codes(project, &spec.codes)?;
    let wanted: BTreeSet<CodeId> = spec.codes.iter().copied().collect();
    Ok(project
        .code_tree()
        .into_iter()
        .filter(|(_, code)| {
            if wanted.is_empty() {
                spec.rows == RowMode::Codes || code.parent.is_none()
            } else {
                wanted.contains(&code.id)
            }
        })
        .map(|(depth, code)| Row {
            code: code.id,
            label: project.code_path(code.id),
            depth,
        })
        .collect())
}

/// Per column, the area it covers in each document.
type Areas = Vec<BTreeMap<DocumentId, Area>>;

/// A column's label and areas, before its size is known.
type Group = (String, BTreeMap<DocumentId, Area>);

fn columns(project: &Project, spec: &MatrixSpec, scope: &Resolved) -> Result<(Vec<Column>, Areas)> {
    let groups = match &spec.columns {
        Columns::Cases => case_groups(project, scope),
        Columns::Attribute(name) => attribute_groups(project, scope, name)?,
        Columns::Documents => project
            .documents_sorted()
            .into_iter()
            .filter(|doc| scope.has_document(doc.id))
            .map(|doc| (doc.name.clone(), BTreeMap::from([(doc.id, Area::Whole)])))
            .collect(),
        Columns::Speakers => speaker_groups(project, scope),
    };
    let mut columns = Vec::with_capacity(groups.len());
    let mut areas = Vec::with_capacity(groups.len());
    for (label, per_doc) in groups {
        let text_chars = per_doc
            .iter()
            .map(|(doc, area)| match area {
                Area::Whole => project.documents().get(doc).map_or(0, |d| d.char_len),
                Area::Ranges(ranges) => ranges.iter().map(CharRange::len).sum(),
            })
            .sum();
        columns.push(Column {
            label,
            text_chars,
            documents: per_doc.len(),
        });
        areas.push(per_doc);
    }
    Ok((columns, areas))
}

/// Whole documents, those in scope.
fn whole(
    project: &Project,
    scope: &Resolved,
    docs: impl Iterator<Item = DocumentId>,
) -> BTreeMap<DocumentId, Area> {
    docs.filter(|d| scope.has_document(*d) && project.documents().contains_key(d))
        .map(|d| (d, Area::Whole))
        .collect()
}

/// A column per case in scope: its documents.
fn case_groups(project: &Project, scope: &Resolved) -> Vec<Group> {
    scope
        .cases
        .iter()
        .filter_map(|id| project.cases().get(id))
        .map(|case| {
            let docs = whole(project, scope, case.documents.iter().copied());
            (case.name.clone(), docs)
        })
        .collect()
}

/// A column per value of an attribute: the documents of the cases with that value.
fn attribute_groups(project: &Project, scope: &Resolved, name: &str) -> Result<Vec<Group>> {
    let def = attribute_def(project, name)?;
    let mut by_value: BTreeMap<String, (String, BTreeSet<DocumentId>)> = BTreeMap::new();
    for id in &scope.cases {
        let Some(case) = project.cases().get(id) else {
            continue;
        };
        let Some(value) = case.attributes.get(&def.name) else {
            continue;
        };
        let label = value.to_string();
        if label.trim().is_empty() {
            continue;
        }
        by_value
            .entry(label.to_lowercase())
            .or_insert_with(|| (label, BTreeSet::new()))
            .1
            .extend(case.documents.iter().copied());
    }
    let mut list: Vec<(String, BTreeSet<DocumentId>)> = by_value.into_values().collect();
    list.sort_by(|a, b| crate::collate::compare(&a.0, &b.0));
    Ok(list
        .into_iter()
        .map(|(label, docs)| (label, whole(project, scope, docs.into_iter())))
        .collect())
}

/// A column per speaker: their turns in the documents in scope.
fn speaker_groups(project: &Project, scope: &Resolved) -> Vec<Group> {
    let mut by_speaker: BTreeMap<String, Group> = BTreeMap::new();
    for doc in project.documents_sorted() {
        if !scope.has_document(doc.id) {
            continue;
        }
        for turn in &doc.turns {
            let name = turn.speaker.trim();
            if name.is_empty() {
                continue;
            }
            let entry = by_speaker
                .entry(name.to_lowercase())
                .or_insert_with(|| (name.to_string(), BTreeMap::new()));
            if let Area::Ranges(ranges) = entry
                .1
                .entry(doc.id)
                .or_insert_with(|| Area::Ranges(Vec::new()))
            {
                ranges.push(turn.range);
            }
        }
    }
    let mut list: Vec<Group> = by_speaker
        .into_values()
        .map(|(label, mut areas)| {
            for area in areas.values_mut() {
                if let Area::Ranges(ranges) = area {
                    *ranges = merge(std::mem::take(ranges));
                }
            }
            (label, areas)
        })
        .collect();
    list.sort_by(|a, b| crate::collate::compare(&a.0, &b.0));
    list
}

impl Matrix {
    /// The codings behind a cell; `None` for a row or column picks the totals.
    pub fn cell_codings(&self, row: Option<usize>, column: Option<usize>) -> &[CodingId] {
        let r = row.unwrap_or(self.rows.len());
        let c = column.unwrap_or(self.columns.len());
        self.cells
            .get(r)
            .and_then(|cells| cells.get(c))
            .map_or(&[], |cell| cell.codings.as_slice())
    }

    /// The value of a cell; `None` for a row or column picks the totals.
    pub fn value(&self, row: Option<usize>, column: Option<usize>) -> f64 {
        match (row, column) {
            (Some(r), Some(c)) => self.values.get(r).and_then(|v| v.get(c)).copied(),
            (Some(r), None) => self.row_totals.get(r).copied(),
            (None, Some(c)) => self.column_totals.get(c).copied(),
            (None, None) => Some(self.total),
        }
        .unwrap_or(0.0)
    }

    /// The excerpts behind a cell, with citations (exactly the codings of [`Matrix::cell_codings`]).
    pub fn cell_excerpts(
        &self,
        project: &Project,
        row: Option<usize>,
        column: Option<usize>,
    ) -> Vec<Excerpt> {
        super::excerpts_of(project, self.cell_codings(row, column))
    }

    /// Finds a row by 1-based number, code path or code name (case-insensitive).
    pub fn find_row(&self, key: &str) -> Option<usize> {
        find_row(&self.rows, key)
    }

    /// Finds a column by 1-based number or label (case-insensitive).
    pub fn find_column(&self, key: &str) -> Option<usize> {
        let key = key.trim();
        if let Ok(n) = key.parse::<usize>() {
            return (1..=self.columns.len()).contains(&n).then(|| n - 1);
        }
        let lower = key.to_lowercase();
        self.columns
            .iter()
            .position(|c| c.label.to_lowercase() == lower)
    }

    /// The matrix as a table: a label column, one column per matrix column, and totals.
    pub fn to_table(&self) -> Table {
        let mut header = vec![match self.spec.rows {
            RowMode::Codes => "Code".to_string(),
            RowMode::Parents => "Code (with sub-codes)".to_string(),
        }];
        header.extend(self.columns.iter().map(|c| c.label.clone()));
        header.push("Total".into());
        let mut table = Table::new(format!("Matrix – {}", self.spec.value.label()), header);
        let cell = |x: f64| match self.spec.value {
            Value::Share => Cell::Number(x),
            _ => Cell::Count(x.max(0.0).round() as u64),
        };
        for (r, row) in self.rows.iter().enumerate() {
            let mut cells = vec![Cell::Text(row.label.clone())];
            cells.extend(self.values[r].iter().map(|x| cell(*x)));
            cells.push(cell(self.row_totals[r]));
            table.rows.push(cells);
        }
        let mut totals = vec![Cell::from("Total")];
        totals.extend(self.column_totals.iter().map(|x| cell(*x)));
        totals.push(cell(self.total));
        table.rows.push(totals);
        table
    }
}
