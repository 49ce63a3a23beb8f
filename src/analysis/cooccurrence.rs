//! Code co-occurrence: codes × codes, counting the passages where both codes are applied and overlap, lie
//! within N characters, or share a turn or paragraph; optionally Jaccard-normalised; each cell keeps its passages
//! and the pairs of codings behind them.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::matrix::Row;
use super::regions::hull;
use super::scope::Scope;
use super::table::{Cell, Table};
use crate::error::{Error, Result};
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
    pub proximity: Proximity,
    /// Show Jaccard values `n(A,B) / (n(A) + n(B) − n(A,B))` instead of counts.
    pub jaccard: bool,
    pub scope: Scope,
}

/// A passage where two codes occur together, with the pairs of codings found in it (row code's coding first).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CoPassage {
    pub document: DocumentId,
    pub range: CharRange,
    pub pairs: Vec<(CodingId, CodingId)>,
}

/// A computed co-occurrence table. `counts[a][b]` is the number of passages; the diagonal holds the number of
/// passages coded with the code at all (its merged codings, or the turns/paragraphs it touches).
#[derive(Clone, Debug, Serialize)]
pub struct Cooccurrence {
    pub spec: CooccurrenceSpec,
    pub codes: Vec<Row>,
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
    for code in &spec.codes {
        if !project.codes().contains_key(code) {
            return Err(Error::Edit(crate::edit::EditError::Missing(
                crate::edit::EntityKey::Code(*code),
            )));
        }
    }
    let wanted: BTreeSet<CodeId> = spec.codes.iter().copied().collect();
    let codes: Vec<Row> = project
        .code_tree()
        .into_iter()
        .filter(|(_, c)| wanted.is_empty() || wanted.contains(&c.id))
        .map(|(depth, c)| Row {
            code: c.id,
            label: project.code_path(c.id),
            depth,
        })
        .collect();
    let mut rows_of: HashMap<CodeId, Vec<usize>> = HashMap::new();
    for (index, row) in codes.iter().enumerate() {
        let counted = if spec.include_subcodes {
            project.descendants(row.code)
        } else {
            BTreeSet::from([row.code])
        };
        for code in counted {
            rows_of.entry(code).or_default().push(index);
        }
    }
    // Codings per document, sorted by start.
    let mut by_doc: BTreeMap<DocumentId, Vec<Item<'_>>> = BTreeMap::new();
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
    // (row a, row b) with a <= b → (document, passage range, pair)
    let mut found: HashMap<(usize, usize), Vec<Found>> = HashMap::new();
    let mut record = |a: &Item<'_>, b: &Item<'_>, doc: DocumentId, range: CharRange| {
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
                found.entry(key).or_default().push((doc, range, pair));
            }
        }
    };
    let mut diagonal: HashMap<usize, Vec<Found>> = HashMap::new();
    for (doc_id, items) in by_doc.iter_mut() {
        items.sort_by_key(|i| (i.range.start, i.range.end, i.coding));
        let Some(doc) = project.documents().get(doc_id) else {
            continue;
        };
        let units: Option<Vec<CharRange>> = match spec.proximity {
            Proximity::Overlap | Proximity::Within(_) => None,
            Proximity::SameTurn => Some(doc.units().iter().map(|u| u.range).collect()),
            Proximity::SameParagraph => Some(doc.paragraphs.clone()),
        };
        match units {
            None => {
                let reach = match spec.proximity {
                    Proximity::Within(n) => n,
                    _ => 0,
                };
                for (i, a) in items.iter().enumerate() {
                    for &row in a.rows {
                        diagonal.entry(row).or_default().push((
                            *doc_id,
                            a.range,
                            (a.coding, a.coding),
                        ));
                    }
                    for b in &items[i + 1..] {
                        let close = if spec.proximity == Proximity::Overlap {
                            b.range.start < a.range.end
                        } else {
                            b.range.start <= a.range.end.saturating_add(reach)
                        };
                        if !close {
                            // Sorted by start: no later coding is closer.
                            break;
                        }
                        record(a, b, *doc_id, hull(&a.range, &b.range));
                    }
                }
            }
            Some(mut units) => {
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
                        let a = &items[i];
                        for &row in a.rows {
                            diagonal.entry(row).or_default().push((
                                *doc_id,
                                unit,
                                (a.coding, a.coding),
                            ));
                        }
                        for &j in &members[k + 1..] {
                            record(a, &items[j], *doc_id, unit);
                        }
                    }
                }
            }
        }
    }
    let by_unit = matches!(
        spec.proximity,
        Proximity::SameTurn | Proximity::SameParagraph
    );
    let mut cells: HashMap<(usize, usize), Vec<CoPassage>> = HashMap::new();
    for (key, entries) in found {
        cells.insert(key, passages(entries, by_unit));
    }
    for (row, entries) in diagonal {
        cells.insert((row, row), passages(entries, by_unit));
    }
    let n = codes.len();
    let mut counts = vec![vec![0usize; n]; n];
    for (&(a, b), list) in &cells {
        counts[a][b] = list.len();
        counts[b][a] = list.len();
    }
    let values = (0..n)
        .map(|a| {
            (0..n)
                .map(|b| {
                    let both = counts[a][b] as f64;
                    if !spec.jaccard {
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
        .collect();
    Ok(Cooccurrence {
        spec: spec.clone(),
        codes,
        counts,
        values,
        cells,
    })
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
        let key = key.trim();
        if let Ok(n) = key.parse::<usize>() {
            return (1..=self.codes.len()).contains(&n).then(|| n - 1);
        }
        let lower = key.to_lowercase();
        self.codes
            .iter()
            .position(|r| r.label.to_lowercase() == lower)
            .or_else(|| {
                let mut hits = self.codes.iter().enumerate().filter(|(_, r)| {
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
