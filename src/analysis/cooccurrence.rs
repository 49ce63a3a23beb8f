//! Code co-occurrence: codes × codes, counting the passages where both codes are applied and overlap, lie
//! within N characters, or share a turn or paragraph; optionally Jaccard-normalised; each cell keeps its passages
//! and the pairs of codings behind them.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::matrix::{Row, check_codes, find_row, rows_of_codes};
use super::regions::hull;
use super::scope::{Resolved, Scope};
use super::table::{Cell, Table};
use crate::error::Result;
use crate::ids::{CodeId, CodingId, DocumentId};
use crate::model::Project;
use crate::offsets::CharRange;
use crate::retrieve::Excerpt;

/// When two codings count as occurring together.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Proximity {
    /// They share at least one character. A passage is the stretch the overlapping codings span.
    #[default]
    Overlap,
    /// At most this many characters lie between them. A passage spans both codings.
    Within(usize),
    /// Both touch the same speaker turn (or a paragraph outside turns). A passage is the turn.
    SameTurn,
    /// Both touch the same paragraph. A passage is the paragraph.
    SameParagraph,
}

impl Proximity {
    /// Parses `overlap`, a number of characters, `turn` or `paragraph`.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim().to_lowercase();
        if let Ok(n) = text.parse::<usize>() {
            return Some(Self::Within(n));
        }
        match text.as_str() {
            "overlap" | "overlapping" => Some(Self::Overlap),
            "turn" | "same-turn" => Some(Self::SameTurn),
            "paragraph" | "same-paragraph" => Some(Self::SameParagraph),
            _ => None,
        }
    }
}

/// Everything that defines a co-occurrence table.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CooccurrenceSpec {
    /// The codes compared (empty: every code).
    pub codes: Vec<CodeId>,
    /// A code's row also counts the codings of its sub-codes.
    pub include_subcodes: bool,
    /// When two codings count as occurring together, and what the passage between them is.
    pub proximity: Proximity,
    /// Show Jaccard values `n(A,B) / (n(A) + n(B) − n(A,B))` instead of counts.
    pub jaccard: bool,
    /// Which cases, documents and coders the codings may come from.
    pub scope: Scope,
}

/// A passage where two codes occur together, with the pairs of codings found in it (row code's coding first).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CoPassage {
    /// The document the passage lies in.
    pub document: DocumentId,
    /// The passage, in code points of the document text.
    pub range: CharRange,
    /// Each pair of codings (row code's first) found together in the passage.
    pub pairs: Vec<(CodingId, CodingId)>,
}

/// A computed co-occurrence table. `counts[a][b]` is the number of passages; the diagonal holds the number of
/// passages coded with the code at all (its merged codings, or the turns/paragraphs it touches).
#[derive(Clone, Debug, Serialize)]
pub struct Cooccurrence {
    /// The options the table was computed with.
    pub spec: CooccurrenceSpec,
    /// The codes compared, in codebook order; each is both a row and a column.
    pub codes: Vec<Row>,
    /// Passage counts: `counts[a][b]` for codes a and b, the diagonal for each code alone.
    pub counts: Vec<Vec<usize>>,
    /// The numbers shown: counts, or Jaccard values when `spec.jaccard`.
    pub values: Vec<Vec<f64>>,
    /// Passages per cell, keyed by (lower row, higher row); pairs oriented lower row first.
    #[serde(skip)]
    cells: HashMap<(usize, usize), Vec<CoPassage>>,
}

/// A co-occurrence found: the document, the passage, and the pair of codings.
type Found = (DocumentId, CharRange, (CodingId, CodingId));

struct Item<'a> {
    range: CharRange,
    coding: CodingId,
    rows: &'a [usize],
}

/// Builds a co-occurrence table.
pub fn cooccurrence(project: &Project, spec: &CooccurrenceSpec) -> Result<Cooccurrence> {
    let scope = spec.scope.resolve(project)?;
    check_codes(project, &spec.codes)?;
    let codes = code_rows(project, &spec.codes);
    let rows_of = rows_of_codes(project, &codes, spec.include_subcodes);
    let mut finder = Finder::default();
    for (doc_id, mut items) in codings_by_document(project, &scope, &rows_of) {
        items.sort_by_key(|i| (i.range.start, i.range.end, i.coding));
        let Some(doc) = project.documents().get(&doc_id) else {
            continue;
        };
        match spec.proximity {
            Proximity::Overlap => finder.by_distance(doc_id, &items, None),
            Proximity::Within(n) => finder.by_distance(doc_id, &items, Some(n)),
            Proximity::SameTurn => {
                let units = doc.units().iter().map(|u| u.range).collect();
                finder.by_unit(doc_id, &items, units);
            }
            Proximity::SameParagraph => finder.by_unit(doc_id, &items, doc.paragraphs.clone()),
        }
    }
    let by_unit = matches!(
        spec.proximity,
        Proximity::SameTurn | Proximity::SameParagraph
    );
    let cells = finder.cells(by_unit);
    let counts = counts(codes.len(), &cells);
    let values = values(&counts, spec.jaccard);
    Ok(Cooccurrence {
        spec: spec.clone(),
        codes,
        counts,
        values,
        cells,
    })
}

/// The table's codes in tree order (all of them, or the ones asked for).
fn code_rows(project: &Project, codes: &[CodeId]) -> Vec<Row> {
    let wanted: BTreeSet<CodeId> = codes.iter().copied().collect();
    project
        .code_tree()
        .into_iter()
        .filter(|(_, c)| wanted.is_empty() || wanted.contains(&c.id))
        .map(|(depth, c)| Row {
            code: c.id,
            label: project.code_path(c.id),
            depth,
        })
        .collect()
}

/// The codings in scope that count in some row, per document.
fn codings_by_document<'r>(
    project: &Project,
    scope: &Resolved,
    rows_of: &'r HashMap<CodeId, Vec<usize>>,
) -> BTreeMap<DocumentId, Vec<Item<'r>>> {
    let mut by_doc: BTreeMap<DocumentId, Vec<Item<'r>>> = BTreeMap::new();
    for coding in project.codings().values() {
        if !scope.has_coder(coding.coder) || !scope.has_document(coding.document) {
            continue;
        }
        if let Some(rows) = rows_of.get(&coding.code) {
            by_doc.entry(coding.document).or_default().push(Item {
                range: coding.range,
                coding: coding.id,
                rows,
            });
        }
    }
    by_doc
}

/// The co-occurrences found so far: pairs of rows (lower first), and each row alone for the diagonal.
#[derive(Default)]
struct Finder {
    found: HashMap<(usize, usize), Vec<Found>>,
    diagonal: HashMap<usize, Vec<Found>>,
}

impl Finder {
    /// Two codings occur together in `range`: a found entry for every pair of their (different) rows.
    fn pair(&mut self, a: &Item<'_>, b: &Item<'_>, doc: DocumentId, range: CharRange) {
        for &ra in a.rows {
            for &rb in b.rows {
                if ra == rb {
                    continue;
                }
                let (key, pair) = if ra < rb {
                    ((ra, rb), (a.coding, b.coding))
                } else {
                    ((rb, ra), (b.coding, a.coding))
                };
                self.found.entry(key).or_default().push((doc, range, pair));
            }
        }
    }

    /// A coding counts for its rows on the diagonal, in `range`.
    fn single(&mut self, a: &Item<'_>, doc: DocumentId, range: CharRange) {
        for &row in a.rows {
            self.diagonal
                .entry(row)
                .or_default()
                .push((doc, range, (a.coding, a.coding)));
        }
    }

    /// Codings (sorted by start) that overlap, or lie at most `reach` characters apart.
    fn by_distance(&mut self, doc: DocumentId, items: &[Item<'_>], reach: Option<usize>) {
        for (i, a) in items.iter().enumerate() {
            self.single(a, doc, a.range);
            for b in &items[i + 1..] {
                let close = match reach {
                    None => b.range.start < a.range.end,
                    Some(n) => b.range.start <= a.range.end.saturating_add(n),
                };
                if !close {
                    // Sorted by start: no later coding is closer.
                    break;
                }
                self.pair(a, b, doc, hull(&a.range, &b.range));
            }
        }
    }

    /// Codings (sorted by start) that touch the same unit (turn or paragraph); the unit is the passage.
    fn by_unit(&mut self, doc: DocumentId, items: &[Item<'_>], mut units: Vec<CharRange>) {
        units.sort_unstable();
        let mut in_unit: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, item) in items.iter().enumerate() {
            let first = units.partition_point(|u| u.end <= item.range.start);
            for (u, unit) in units.iter().enumerate().skip(first) {
                if unit.start >= item.range.end {
                    break;
                }
                in_unit.entry(u).or_default().push(i);
            }
        }
        for (u, members) in in_unit {
            let unit = units[u];
            for (k, &i) in members.iter().enumerate() {
                self.single(&items[i], doc, unit);
                for &j in &members[k + 1..] {
                    self.pair(&items[i], &items[j], doc, unit);
                }
            }
        }
    }

    /// The passages of every cell.
    fn cells(self, by_unit: bool) -> HashMap<(usize, usize), Vec<CoPassage>> {
        let mut cells: HashMap<(usize, usize), Vec<CoPassage>> = HashMap::new();
        for (key, entries) in self.found {
            cells.insert(key, passages(entries, by_unit));
        }
        for (row, entries) in self.diagonal {
            cells.insert((row, row), passages(entries, by_unit));
        }
        cells
    }
}

/// Passages per cell, mirrored into a square table.
fn counts(n: usize, cells: &HashMap<(usize, usize), Vec<CoPassage>>) -> Vec<Vec<usize>> {
    let mut counts = vec![vec![0usize; n]; n];
    for (&(a, b), list) in cells {
        counts[a][b] = list.len();
        counts[b][a] = list.len();
    }
    counts
}

/// The numbers shown: the counts, or Jaccard values `n(A,B) / (n(A) + n(B) − n(A,B))` (1 or 0 on the
/// diagonal).
fn values(counts: &[Vec<usize>], jaccard: bool) -> Vec<Vec<f64>> {
    let n = counts.len();
    (0..n)
        .map(|a| {
            (0..n)
                .map(|b| {
                    let both = counts[a][b] as f64;
                    if !jaccard {
                        return both;
                    }
                    let either = (counts[a][a] + counts[b][b]) as f64 - both;
                    if a == b {
                        f64::from(u8::from(counts[a][a] > 0))
                    } else if either > 0.0 {
                        both / either
                    } else {
                        0.0
                    }
                })
                .collect()
        })
        .collect()
}

/// Groups found ranges into passages: identical units together, or overlapping spans merged.
fn passages(mut entries: Vec<Found>, by_unit: bool) -> Vec<CoPassage> {
    // Unit entries are recorded document by document and unit by unit, so they arrive grouped already.
    if !by_unit {
        entries.sort_unstable_by_key(|(doc, range, pair)| (*doc, range.start, range.end, *pair));
    }
    let mut out: Vec<CoPassage> = Vec::new();
    for (doc, range, pair) in entries {
        if let Some(last) = out.last_mut()
            && last.document == doc
            && if by_unit {
                last.range == range
            } else {
                range.start < last.range.end
            }
        {
            last.range.end = last.range.end.max(range.end);
            if last.pairs.last() != Some(&pair) {
                last.pairs.push(pair);
            }
            continue;
        }
        out.push(CoPassage {
            document: doc,
            range,
            pairs: vec![pair],
        });
    }
    out
}

impl Cooccurrence {
    /// The passages behind a cell, pairs oriented as (row code's coding, column code's coding).
    pub fn cell_passages(&self, row: usize, column: usize) -> Vec<CoPassage> {
        let key = (row.min(column), row.max(column));
        let mut list = self.cells.get(&key).cloned().unwrap_or_default();
        if row > column {
            for passage in &mut list {
                for pair in &mut passage.pairs {
                    *pair = (pair.1, pair.0);
                }
            }
        }
        list
    }

    /// The codings behind a cell, each once.
    pub fn cell_codings(&self, row: usize, column: usize) -> Vec<CodingId> {
        let set: BTreeSet<CodingId> = self
            .cell_passages(row, column)
            .iter()
            .flat_map(|p| p.pairs.iter().flat_map(|(a, b)| [*a, *b]))
            .collect();
        set.into_iter().collect()
    }

    /// The excerpts behind a cell, with citations.
    pub fn cell_excerpts(&self, project: &Project, row: usize, column: usize) -> Vec<Excerpt> {
        super::excerpts_of(project, &self.cell_codings(row, column))
    }

    /// Finds a code's row by 1-based number, path or unique name (case-insensitive).
    pub fn find_code(&self, key: &str) -> Option<usize> {
        find_row(&self.codes, key)
    }

    /// The table view: codes down and across, counts or Jaccard values.
    pub fn to_table(&self) -> Table {
        let mut header = vec!["Code".to_string()];
        header.extend(self.codes.iter().map(|r| r.label.clone()));
        let title = if self.spec.jaccard {
            "Co-occurrence (Jaccard)"
        } else {
            "Co-occurrence"
        };
        let mut table = Table::new(title, header);
        table.decimals = 3;
        for (a, row) in self.codes.iter().enumerate() {
            let mut cells = vec![Cell::Text(row.label.clone())];
            for b in 0..self.codes.len() {
                cells.push(if self.spec.jaccard {
                    Cell::Number(self.values[a][b])
                } else {
                    Cell::Count(self.counts[a][b] as u64)
                });
            }
            table.rows.push(cells);
        }
        table
    }
}
