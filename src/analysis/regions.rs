//! Sets of passages per document (sorted, disjoint code-point ranges) and the set algebra coding queries need.

use std::collections::BTreeMap;

use crate::ids::DocumentId;
use crate::offsets::CharRange;

/// Sorts ranges and merges those that overlap or touch; empty ranges are dropped.
pub fn merge(mut ranges: Vec<CharRange>) -> Vec<CharRange> {
    ranges.retain(|r| !r.is_empty());
    ranges.sort_unstable();
    let mut out: Vec<CharRange> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match out.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => out.push(range),
        }
    }
    out
}

/// Code points covered by a list of ranges, overlaps counted once.
pub fn covered(ranges: &[CharRange]) -> usize {
    merge(ranges.to_vec()).iter().map(CharRange::len).sum()
}

/// The parts two sorted, disjoint lists share.
pub fn intersect(a: &[CharRange], b: &[CharRange]) -> Vec<CharRange> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() && j < b.len() {
        if let Some(shared) = a[i].intersection(&b[j]) {
            out.push(shared);
        }
        if a[i].end <= b[j].end {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// The gap in code points between two ranges (0 when they overlap or touch).
pub fn gap(a: &CharRange, b: &CharRange) -> usize {
    if a.end <= b.start {
        b.start - a.end
    } else {
        a.start.saturating_sub(b.end)
    }
}

/// The smallest range covering both.
pub fn hull(a: &CharRange, b: &CharRange) -> CharRange {
    CharRange::new(a.start.min(b.start), a.end.max(b.end))
}

/// Passages per document: each list sorted and disjoint.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Regions(pub BTreeMap<DocumentId, Vec<CharRange>>);

impl Regions {
    /// Builds regions from loose ranges (merging overlaps).
    pub fn from_ranges(ranges: impl IntoIterator<Item = (DocumentId, CharRange)>) -> Self {
        let mut map: BTreeMap<DocumentId, Vec<CharRange>> = BTreeMap::new();
        for (doc, range) in ranges {
            map.entry(doc).or_default().push(range);
        }
        Self::normalised(map)
    }

    fn normalised(map: BTreeMap<DocumentId, Vec<CharRange>>) -> Self {
        Self(
            map.into_iter()
                .map(|(doc, ranges)| (doc, merge(ranges)))
                .filter(|(_, ranges)| !ranges.is_empty())
                .collect(),
        )
    }

    /// True when no document has a passage.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Number of passages.
    pub fn len(&self) -> usize {
        self.0.values().map(Vec::len).sum()
    }

    /// Code points covered.
    pub fn chars(&self) -> usize {
        self.0.values().flatten().map(CharRange::len).sum()
    }

    /// Every passage, by document then position.
    pub fn iter(&self) -> impl Iterator<Item = (DocumentId, CharRange)> + '_ {
        self.0
            .iter()
            .flat_map(|(doc, ranges)| ranges.iter().map(move |r| (*doc, *r)))
    }

    /// Characters in either.
    pub fn union(&self, other: &Regions) -> Regions {
        let mut map = self.0.clone();
        for (doc, ranges) in &other.0 {
            map.entry(*doc).or_default().extend(ranges.iter().copied());
        }
        Self::normalised(map)
    }

    /// Characters in both (the overlapping parts).
    pub fn intersection(&self, other: &Regions) -> Regions {
        let map = self
            .0
            .iter()
            .filter_map(|(doc, a)| Some((*doc, intersect(a, other.0.get(doc)?))))
            .collect();
        Self::normalised(map)
    }

    /// Passages of `self` that do not overlap any passage of `other` (whole passages kept or dropped).
    pub fn without(&self, other: &Regions) -> Regions {
        let map = self
            .0
            .iter()
            .map(|(doc, ranges)| {
                let others = other.0.get(doc).map(Vec::as_slice).unwrap_or(&[]);
                let kept = ranges
                    .iter()
                    .filter(|r| !overlaps_any(others, r))
                    .copied()
                    .collect();
                (*doc, kept)
            })
            .collect();
        Self::normalised(map)
    }

    /// Passages of `self` that overlap some passage of `other` (whole passages kept).
    pub fn touching(&self, other: &Regions) -> Regions {
        let map = self
            .0
            .iter()
            .filter_map(|(doc, ranges)| {
                let others = other.0.get(doc)?;
                Some((
                    *doc,
                    ranges
                        .iter()
                        .filter(|r| overlaps_any(others, r))
                        .copied()
                        .collect(),
                ))
            })
            .collect();
        Self::normalised(map)
    }

    /// Only the documents for which `keep` is true.
    pub fn retain_documents(&mut self, mut keep: impl FnMut(DocumentId) -> bool) {
        self.0.retain(|doc, _| keep(*doc));
    }
}

/// True when a range overlaps any of a sorted, disjoint list.
pub fn overlaps_any(sorted: &[CharRange], range: &CharRange) -> bool {
    let first = sorted.partition_point(|r| r.end <= range.start);
    sorted.get(first).is_some_and(|r| r.start < range.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(start: usize, end: usize) -> CharRange {
        CharRange::new(start, end)
    }

    #[test]
    fn merging_and_coverage() {
        assert_eq!(
            merge(vec![r(5, 9), r(0, 3), r(3, 4), r(8, 12), r(20, 20)]),
            vec![r(0, 4), r(5, 12)]
        );
        assert_eq!(covered(&[r(0, 10), r(5, 15), r(20, 22)]), 17);
    }

    #[test]
    fn set_algebra() {
        let doc = DocumentId::new();
        let a = Regions::from_ranges([(doc, r(0, 10)), (doc, r(20, 30))]);
        let b = Regions::from_ranges([(doc, r(5, 25))]);
        assert_eq!(a.intersection(&b).0[&doc], vec![r(5, 10), r(20, 25)]);
        assert_eq!(a.union(&b).0[&doc], vec![r(0, 30)]);
        assert!(a.without(&b).is_empty());
        let c = Regions::from_ranges([(doc, r(12, 14))]);
        assert_eq!(a.without(&c).len(), 2);
        assert_eq!(b.touching(&c).chars(), 20);
        assert_eq!(gap(&r(0, 10), &r(14, 20)), 4);
        assert_eq!(gap(&r(14, 20), &r(0, 10)), 4);
        assert_eq!(gap(&r(0, 10), &r(5, 20)), 0);
    }
}
