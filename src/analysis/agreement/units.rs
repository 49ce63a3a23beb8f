//! From codings to reliability data: which coder coded which unit (characters, turns, paragraphs, sentences),
//! summarised per document as weighted rating patterns by a sweep over range boundaries.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::measures::RatingTable;
use crate::analysis::regions::merge;
use crate::ids::{CodeId, CoderId, DocumentId};
use crate::model::{Document, Project};
use crate::offsets::{CharRange, OffsetMap};

/// What counts as one unit of text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// Every character (code point) is a unit.
    #[default]
    Character,
    /// Speaker turns, plus paragraphs outside any turn (a header).
    Turn,
    /// Paragraphs.
    Paragraph,
    /// Sentences: paragraphs split after `.`, `!` or `?` followed by whitespace.
    Sentence,
}

impl UnitKind {
    /// Every unit kind.
    pub const ALL: [UnitKind; 4] = [Self::Character, Self::Turn, Self::Paragraph, Self::Sentence];

    /// Parses `char`, `turn`, `paragraph` or `sentence` (plurals and `character` too).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_lowercase().trim_end_matches('s') {
            "char" | "character" => Some(Self::Character),
            "turn" => Some(Self::Turn),
            "paragraph" => Some(Self::Paragraph),
            "sentence" => Some(Self::Sentence),
            _ => None,
        }
    }

    /// The name of the unit kind on the command line and in JSON (`char`, `turn`, `paragraph`, `sentence`).
    pub fn keyword(self) -> &'static str {
        match self {
            Self::Character => "char",
            Self::Turn => "turn",
            Self::Paragraph => "paragraph",
            Self::Sentence => "sentence",
        }
    }

    /// The units counted, as a column header.
    pub fn plural(self) -> &'static str {
        match self {
            Self::Character => "Characters",
            Self::Turn => "Turns",
            Self::Paragraph => "Paragraphs",
            Self::Sentence => "Sentences",
        }
    }
}

/// A document's units of a kind, sorted and disjoint (empty for characters, which are never listed).
pub fn units_of(document: &Document, text: &str, kind: UnitKind) -> Vec<CharRange> {
    let mut units: Vec<CharRange> = match kind {
        UnitKind::Character => Vec::new(),
        UnitKind::Turn => document.units().iter().map(|u| u.range).collect(),
        UnitKind::Paragraph => document.paragraphs.clone(),
        UnitKind::Sentence => sentences(text, &document.paragraphs),
    };
    units.retain(|u| !u.is_empty());
    units.sort_unstable();
    units
}

/// Splits paragraphs into sentences: a sentence ends after `.`, `!` or `?` that is followed by whitespace (or
/// the paragraph's end); whitespace between sentences belongs to none.
pub fn sentences(text: &str, paragraphs: &[CharRange]) -> Vec<CharRange> {
    let map = OffsetMap::new(text);
    let mut out = Vec::new();
    for paragraph in paragraphs {
        let Some(bytes) = map.byte_range(text, *paragraph) else {
            continue;
        };
        let Some(slice) = text.get(bytes) else {
            continue;
        };
        let chars: Vec<char> = slice.chars().collect();
        let mut start: Option<usize> = None;
        let mut last_visible = 0;
        for (i, c) in chars.iter().enumerate() {
            if c.is_whitespace() {
                continue;
            }
            let first = *start.get_or_insert(i);
            last_visible = i;
            let ends = matches!(c, '.' | '!' | '?')
                && chars.get(i + 1).is_none_or(|next| next.is_whitespace());
            if ends {
                out.push(CharRange::new(
                    paragraph.start + first,
                    paragraph.start + i + 1,
                ));
                start = None;
            }
        }
        if let Some(first) = start {
            out.push(CharRange::new(
                paragraph.start + first,
                paragraph.start + last_visible + 1,
            ));
        }
    }
    out
}

/// Each compared coder's coverage of each compared row (a code, with its sub-codes when rolled up) in each
/// compared document: merged ranges, so overlapping or touching codings of one code by one coder count once.
#[derive(Clone, Debug)]
pub(crate) struct Coverage {
    pub coders: usize,
    pub rows: usize,
    pub docs: Vec<DocCoverage>,
}

#[derive(Clone, Debug)]
pub(crate) struct DocCoverage {
    pub id: DocumentId,
    /// Length in characters.
    pub len: usize,
    /// `ranges[row][coder]`: sorted, disjoint, non-touching ranges.
    pub ranges: Vec<Vec<Vec<CharRange>>>,
}

impl DocCoverage {
    /// Every (coder, row, range), for a sweep.
    pub fn all(&self) -> impl Iterator<Item = (usize, u32, CharRange)> + '_ {
        self.ranges.iter().enumerate().flat_map(|(row, by_coder)| {
            by_coder
                .iter()
                .enumerate()
                .flat_map(move |(coder, ranges)| {
                    ranges.iter().map(move |r| (coder, row as u32, *r))
                })
        })
    }

    /// The characters anyone coded with any compared code.
    pub fn coded(&self) -> Vec<CharRange> {
        merge(self.all().map(|(_, _, r)| r).collect())
    }
}

impl Coverage {
    /// Collects the codings of `coders` in `documents` whose code maps to some row (`rows_of`).
    pub fn collect(
        project: &Project,
        coders: &[CoderId],
        documents: &[DocumentId],
        rows: usize,
        rows_of: &HashMap<CodeId, Vec<usize>>,
    ) -> Self {
        let coder_index: HashMap<CoderId, usize> =
            coders.iter().enumerate().map(|(i, c)| (*c, i)).collect();
        let doc_index: HashMap<DocumentId, usize> =
            documents.iter().enumerate().map(|(i, d)| (*d, i)).collect();
        let mut docs: Vec<DocCoverage> = documents
            .iter()
            .map(|id| DocCoverage {
                id: *id,
                len: project.documents().get(id).map_or(0, |d| d.char_len),
                ranges: vec![vec![Vec::new(); coders.len()]; rows],
            })
            .collect();
        for coding in project.codings().values() {
            let (Some(&coder), Some(&doc), Some(targets)) = (
                coder_index.get(&coding.coder),
                doc_index.get(&coding.document),
                rows_of.get(&coding.code),
            ) else {
                continue;
            };
            let entry = &mut docs[doc];
            let range = CharRange::new(
                coding.range.start.min(entry.len),
                coding.range.end.min(entry.len),
            );
            for &row in targets {
                entry.ranges[row][coder].push(range);
            }
        }
        for doc in &mut docs {
            for by_coder in &mut doc.ranges {
                for ranges in by_coder.iter_mut() {
                    *ranges = merge(std::mem::take(ranges));
                }
            }
        }
        Self {
            coders: coders.len(),
            rows,
            docs,
        }
    }
}

/// Walks coded stretches boundary by boundary: for each stretch where someone coded something, calls
/// `visit(range, sets)` with each coder's sorted set of rows there. Ranges of one (coder, row) must be disjoint.
pub(crate) fn sweep(
    ranges: impl Iterator<Item = (usize, u32, CharRange)>,
    coders: usize,
    mut visit: impl FnMut(CharRange, &[Vec<u32>]),
) {
    // (position, is start, coder, row); ends sort before starts at the same position (either order works,
    // since all events at one position are applied before the next stretch is visited).
    let mut events: Vec<(usize, bool, usize, u32)> = Vec::new();
    for (coder, row, range) in ranges.filter(|(c, _, r)| *c < coders && !r.is_empty()) {
        events.push((range.start, true, coder, row));
        events.push((range.end, false, coder, row));
    }
    events.sort_unstable();
    let mut sets: Vec<Vec<u32>> = vec![Vec::new(); coders];
    let mut active = 0usize;
    let mut i = 0;
    while i < events.len() {
        let position = events[i].0;
        while let Some(&(pos, start, coder, row)) = events.get(i) {
            if pos != position {
                break;
            }
            let set = &mut sets[coder];
            match (start, set.binary_search(&row)) {
                (true, Err(slot)) => {
                    set.insert(slot, row);
                    active += 1;
                }
                (false, Ok(slot)) => {
                    set.remove(slot);
                    active -= 1;
                }
                _ => {}
            }
            i += 1;
        }
        if let (true, Some(&(next, ..))) = (active > 0, events.get(i)) {
            visit(CharRange::new(position, next), &sets);
        }
    }
}

/// The resampling clusters of the bootstrap: documents for character units, otherwise the units themselves.
#[derive(Clone, Debug, Default)]
pub(crate) struct Clusters {
    /// Weight of each cluster: its characters (in the compared universe), or 1 for a unit.
    pub weights: Vec<u64>,
    /// The document (index into the coverage) of each cluster.
    pub docs: Vec<u32>,
}

impl Clusters {
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    pub fn total(&self) -> u64 {
        self.weights.iter().sum()
    }

    /// The total weight when cluster `i` is taken `multiplicity[i]` times (`None`: once each).
    pub fn total_under(&self, multiplicity: Option<&[u32]>) -> f64 {
        match multiplicity {
            None => self.total() as f64,
            Some(times) => self
                .weights
                .iter()
                .zip(times)
                .map(|(w, t)| *w as f64 * f64::from(*t))
                .sum(),
        }
    }

    /// Only the clusters of the documents kept; also returns the new index of each old cluster.
    pub fn restrict(&self, keep: &[bool]) -> (Clusters, Vec<Option<u32>>) {
        let mut out = Clusters::default();
        let mut map = Vec::with_capacity(self.len());
        for (weight, doc) in self.weights.iter().zip(&self.docs) {
            if keep.get(*doc as usize).copied().unwrap_or(false) {
                map.push(Some(out.weights.len() as u32));
                out.weights.push(*weight);
                out.docs.push(*doc);
            } else {
                map.push(None);
            }
        }
        (out, map)
    }
}

/// A stretch of one cluster rated one way (other than "nobody coded").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    pub cluster: u32,
    pub pattern: u32,
    pub weight: u64,
}

/// Reliability data of one report row: distinct patterns (a value per coder; pattern 0 is "nobody coded") and
/// where they occur. The weight of pattern 0 is whatever the clusters hold beyond the entries.
#[derive(Clone, Debug)]
pub(crate) struct Dataset {
    pub coders: usize,
    pub patterns: Vec<Vec<u32>>,
    pub entries: Vec<Entry>,
    /// Distinct values in use, "not coded" included: Brennan–Prediger's q (2 for binary rows).
    pub categories: usize,
    /// True when values are sets of codes (a row spanning several codes); false for coded / not coded.
    pub sets: bool,
}

impl Dataset {
    fn new(coders: usize, sets: bool) -> Self {
        Self {
            coders,
            patterns: vec![vec![0; coders]],
            entries: Vec::new(),
            categories: 2,
            sets,
        }
    }

    /// Pattern weights when cluster `i` is taken `multiplicity[i]` times (`None`: once each); `total` is the
    /// clusters' weight under the same multiplicities ([`Clusters::total_under`]).
    pub fn weights(&self, total: f64, multiplicity: Option<&[u32]>, out: &mut Vec<f64>) {
        out.clear();
        out.resize(self.patterns.len(), 0.0);
        let mut coded = 0.0;
        for entry in &self.entries {
            let times = match multiplicity {
                None => 1.0,
                Some(m) => f64::from(m.get(entry.cluster as usize).copied().unwrap_or(0)),
            };
            let w = times * entry.weight as f64;
            out[entry.pattern as usize] += w;
            coded += w;
        }
        out[0] = (total - coded).max(0.0);
    }

    /// The table of rating patterns (pattern `i` of the table is pattern `i` here).
    pub fn table(&self, clusters: &Clusters) -> RatingTable {
        let mut table = RatingTable::new(self.coders);
        let mut weights = Vec::new();
        self.weights(clusters.total_under(None), None, &mut weights);
        for (pattern, weight) in self.patterns.iter().zip(weights) {
            let values: Vec<Option<u32>> = pattern.iter().map(|v| Some(*v)).collect();
            table.add(&values, weight);
        }
        table
    }

    /// Per coder, the weight of units they coded (any value other than "not coded").
    pub fn coded_by(&self) -> Vec<u64> {
        let mut out = vec![0; self.coders];
        for entry in &self.entries {
            for (coder, value) in self.patterns[entry.pattern as usize].iter().enumerate() {
                if *value != 0 {
                    out[coder] += entry.weight;
                }
            }
        }
        out
    }

    /// The same data on a subset of clusters (`map` from [`Clusters::restrict`]).
    pub fn restrict(&self, map: &[Option<u32>]) -> Dataset {
        let entries: Vec<Entry> = self
            .entries
            .iter()
            .filter_map(|e| {
                let cluster = map.get(e.cluster as usize).copied().flatten()?;
                Some(Entry { cluster, ..*e })
            })
            .collect();
        let mut values: Vec<u32> = entries
            .iter()
            .flat_map(|e| self.patterns[e.pattern as usize].iter().copied())
            .chain([0])
            .collect();
        values.sort_unstable();
        values.dedup();
        Self {
            coders: self.coders,
            patterns: self.patterns.clone(),
            entries,
            categories: if self.sets { values.len() } else { 2 },
            sets: self.sets,
        }
    }
}

/// Interns patterns (and, for set values, the sets) of one dataset.
#[derive(Default)]
struct Interner {
    patterns: HashMap<Vec<u32>, u32>,
    values: HashMap<Vec<u32>, u32>,
    scratch: Vec<u32>,
}

impl Interner {
    /// Value 0 is the empty set.
    fn value(&mut self, set: &[u32]) -> u32 {
        if set.is_empty() {
            return 0;
        }
        if let Some(&id) = self.values.get(set) {
            return id;
        }
        let id = self.values.len() as u32 + 1;
        self.values.insert(set.to_vec(), id);
        id
    }

    fn pattern(&mut self, data: &mut Dataset, sets: &[Vec<u32>], row: Option<u32>) -> u32 {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        for set in sets {
            let value = match row {
                Some(row) => u32::from(set.binary_search(&row).is_ok()),
                None => self.value(set),
            };
            scratch.push(value);
        }
        let id = match self.patterns.get(scratch.as_slice()) {
            Some(&id) => id,
            None if scratch.iter().all(|v| *v == 0) => 0,
            None => {
                let id = data.patterns.len() as u32;
                data.patterns.push(scratch.clone());
                self.patterns.insert(scratch.clone(), id);
                id
            }
        };
        self.scratch = scratch;
        id
    }
}

/// How coders' codings become ratings of units.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Rating {
    pub kind: UnitKind,
    /// A unit counts as coded by a coder when the coder's codings cover at least this share of it (`None`: any
    /// overlap). Not used for characters.
    pub min_overlap: Option<f64>,
    /// Leave out units nobody coded with any compared code.
    pub coded_only: bool,
}

/// All reliability data of a report: one binary dataset per row, and one set-valued dataset over all rows.
pub(crate) struct Ratings {
    pub clusters: Clusters,
    pub rows: Vec<Dataset>,
    pub combined: Dataset,
}

/// Builds the reliability data: character units by sweeping range boundaries (never one entry per
/// character), other units by the coders' overlap with each unit.
pub(crate) fn ratings(project: &Project, coverage: &Coverage, rating: Rating) -> Ratings {
    let rows = coverage.rows;
    let mut out = Ratings {
        clusters: Clusters::default(),
        rows: (0..rows)
            .map(|_| Dataset::new(coverage.coders, false))
            .collect(),
        combined: Dataset::new(coverage.coders, rows > 1),
    };
    let mut binary: Vec<Interner> = (0..rows).map(|_| Interner::default()).collect();
    let mut combined = Interner::default();
    for (index, doc) in coverage.docs.iter().enumerate() {
        let Some(document) = project.documents().get(&doc.id) else {
            continue;
        };
        if rating.kind == UnitKind::Character {
            character_ratings(doc, index, rating, &mut out, &mut binary, &mut combined);
        } else {
            let units = units_of(document, project.text(doc.id), rating.kind);
            unit_ratings(
                doc,
                index,
                &units,
                rating,
                &mut out,
                &mut binary,
                &mut combined,
            );
        }
    }
    let values = combined.values.len() + 1;
    out.combined.categories = if out.combined.sets { values } else { 2 };
    out
}

fn character_ratings(
    doc: &DocCoverage,
    index: usize,
    rating: Rating,
    out: &mut Ratings,
    binary: &mut [Interner],
    combined: &mut Interner,
) {
    let cluster = out.clusters.len() as u32;
    let universe = if rating.coded_only {
        doc.coded().iter().map(CharRange::len).sum()
    } else {
        doc.len
    };
    out.clusters.weights.push(universe as u64);
    out.clusters.docs.push(index as u32);
    for (row, by_coder) in doc.ranges.iter().enumerate() {
        let ranges = by_coder
            .iter()
            .enumerate()
            .flat_map(|(coder, list)| list.iter().map(move |r| (coder, row as u32, *r)));
        let mut weights: HashMap<u32, u64> = HashMap::new();
        let data = &mut out.rows[row];
        sweep(ranges, doc.ranges[row].len(), |range, sets| {
            let pattern = binary[row].pattern(data, sets, Some(row as u32));
            *weights.entry(pattern).or_default() += range.len() as u64;
        });
        push_entries(data, cluster, weights);
    }
    let mut weights: HashMap<u32, u64> = HashMap::new();
    let data = &mut out.combined;
    let single = (!data.sets).then_some(0);
    sweep(doc.all(), data.coders, |range, sets| {
        let pattern = combined.pattern(data, sets, single);
        *weights.entry(pattern).or_default() += range.len() as u64;
    });
    push_entries(data, cluster, weights);
}

fn push_entries(data: &mut Dataset, cluster: u32, weights: HashMap<u32, u64>) {
    let mut list: Vec<(u32, u64)> = weights.into_iter().filter(|(p, _)| *p != 0).collect();
    list.sort_unstable();
    data.entries
        .extend(list.into_iter().map(|(pattern, weight)| Entry {
            cluster,
            pattern,
            weight,
        }));
}

/// Which units each (coder, row) codes: `(unit, coder, row)` for every unit covered enough.
fn unit_hits(
    doc: &DocCoverage,
    units: &[CharRange],
    min_overlap: Option<f64>,
) -> Vec<(usize, usize, u32)> {
    let mut hits = Vec::new();
    for (row, by_coder) in doc.ranges.iter().enumerate() {
        for (coder, ranges) in by_coder.iter().enumerate() {
            let mut overlaps: Vec<(usize, usize)> = Vec::new();
            for range in ranges {
                let first = units.partition_point(|u| u.end <= range.start);
                for (offset, unit) in units[first..].iter().enumerate() {
                    if unit.start >= range.end {
                        break;
                    }
                    if let Some(shared) = unit.intersection(range) {
                        match overlaps.last_mut() {
                            Some((u, n)) if *u == first + offset => *n += shared.len(),
                            _ => overlaps.push((first + offset, shared.len())),
                        }
                    }
                }
            }
            for (unit, overlap) in overlaps {
                let len = units[unit].len() as f64;
                let enough = min_overlap.is_none_or(|share| overlap as f64 >= share * len - 1e-9);
                if overlap > 0 && enough {
                    hits.push((unit, coder, row as u32));
                }
            }
        }
    }
    hits.sort_unstable();
    hits
}

fn unit_ratings(
    doc: &DocCoverage,
    index: usize,
    units: &[CharRange],
    rating: Rating,
    out: &mut Ratings,
    binary: &mut [Interner],
    combined: &mut Interner,
) {
    let hits = unit_hits(doc, units, rating.min_overlap);
    let coders = out.combined.coders;
    // Cluster ids of the units in the universe.
    let mut coded = vec![false; units.len()];
    for hit in &hits {
        coded[hit.0] = true;
    }
    let mut cluster_of: Vec<Option<u32>> = vec![None; units.len()];
    for (slot, coded) in cluster_of.iter_mut().zip(coded) {
        if !rating.coded_only || coded {
            *slot = Some(out.clusters.len() as u32);
            out.clusters.weights.push(1);
            out.clusters.docs.push(index as u32);
        }
    }
    let mut sets: Vec<Vec<u32>> = vec![Vec::new(); coders];
    let mut start = 0;
    while start < hits.len() {
        let unit = hits[start].0;
        let end = start + hits[start..].partition_point(|h| h.0 == unit);
        for set in &mut sets {
            set.clear();
        }
        for &(_, coder, row) in &hits[start..end] {
            sets[coder].push(row);
        }
        if let Some(cluster) = cluster_of[unit] {
            let rows = out.rows.iter_mut().zip(binary.iter_mut());
            for (row, (data, interner)) in rows.enumerate() {
                push_unit(data, interner, &sets, Some(row as u32), cluster);
            }
            let single = (!out.combined.sets).then_some(0);
            push_unit(&mut out.combined, combined, &sets, single, cluster);
        }
        start = end;
    }
}

/// Adds one unit's rating (unless nobody coded it).
fn push_unit(
    data: &mut Dataset,
    interner: &mut Interner,
    sets: &[Vec<u32>],
    row: Option<u32>,
    cluster: u32,
) {
    let pattern = interner.pattern(data, sets, row);
    if pattern != 0 {
        data.entries.push(Entry {
            cluster,
            pattern,
            weight: 1,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(start: usize, end: usize) -> CharRange {
        CharRange::new(start, end)
    }

    #[test]
    fn sentences_split_after_terminal_punctuation() {
        let text = "Vi har lite tid. Ressursene strekker ikke til!  Hva nå?\nNy linje uten punktum\n\nAndre avsnitt... ja 3.5 prosent.";
        let first_end = crate::offsets::char_len(
            "Vi har lite tid. Ressursene strekker ikke til!  Hva nå?\nNy linje uten punktum",
        );
        let second_start = first_end + 2;
        let paragraphs = [
            r(0, first_end),
            r(second_start, crate::offsets::char_len(text)),
        ];
        let found: Vec<&str> = sentences(text, &paragraphs)
            .iter()
            .filter_map(|s| crate::offsets::slice(text, *s))
            .collect();
        assert_eq!(
            found,
            vec![
                "Vi har lite tid.",
                "Ressursene strekker ikke til!",
                "Hva nå?",
                "Ny linje uten punktum",
                "Andre avsnitt...",
                "ja 3.5 prosent."
            ]
        );
    }

    #[test]
    fn sweep_reports_each_stretch_with_every_coders_set() {
        let ranges = vec![(0, 0, r(0, 10)), (1, 0, r(5, 15)), (1, 1, r(5, 8))];
        let mut seen = Vec::new();
        sweep(ranges.into_iter(), 2, |range, sets| {
            seen.push((range, sets.to_vec()))
        });
        assert_eq!(
            seen,
            vec![
                (r(0, 5), vec![vec![0], vec![]]),
                (r(5, 8), vec![vec![0], vec![0, 1]]),
                (r(8, 10), vec![vec![0], vec![0]]),
                (r(10, 15), vec![vec![], vec![0]]),
            ]
        );
    }

    #[test]
    fn unit_kinds_parse() {
        assert_eq!(UnitKind::parse("chars"), Some(UnitKind::Character));
        assert_eq!(UnitKind::parse("Sentence"), Some(UnitKind::Sentence));
        assert_eq!(UnitKind::parse("words"), None);
        for kind in UnitKind::ALL {
            assert_eq!(UnitKind::parse(kind.keyword()), Some(kind));
        }
    }
}
