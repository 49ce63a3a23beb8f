//! Search by meaning: the passages nearest a query's vector, fused with the keyword ranking by reciprocal
//! rank fusion (a one-word compound barely separates by meaning alone, so meaning never replaces keywords),
//! and "more like this" for a passage or a coding.

use std::collections::{BTreeSet, HashMap};

use crate::ids::DocumentId;
use crate::model::Project;
use crate::offsets::{CharRange, OffsetMap};
use crate::query::highlight::snippet;
use crate::query::{Hit, SNIPPET_WIDTH, SearchResults};

use super::vectors::VectorSet;

/// The damping constant of reciprocal rank fusion (the usual 60).
pub const RRF_K: f32 = 60.0;
/// How many nearest passages take part in a fusion.
pub const MEANING_CANDIDATES: usize = 100;

/// A unit: its document and where it starts.
pub type UnitKey = (DocumentId, usize);

/// Reciprocal rank fusion: each list adds `1 / (k + rank)` (rank from 1) to its units; best first, ties in
/// the order the units first appear.
pub fn fuse(lists: &[Vec<UnitKey>]) -> Vec<(UnitKey, f32)> {
    let mut scores: HashMap<UnitKey, (f32, usize)> = HashMap::new();
    let mut order = 0;
    for list in lists {
        for (rank, key) in list.iter().enumerate() {
            let entry = scores.entry(*key).or_insert_with(|| {
                order += 1;
                (0.0, order)
            });
            entry.0 += 1.0 / (RRF_K + rank as f32 + 1.0);
        }
    }
    let mut fused: Vec<(UnitKey, f32, usize)> =
        scores.into_iter().map(|(k, (s, o))| (k, s, o)).collect();
    fused.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.2.cmp(&b.2)));
    fused.into_iter().map(|(k, s, _)| (k, s)).collect()
}

/// A hit for a unit found by meaning: the passage with a snippet from its start and no word matches.
pub fn unit_hit(project: &Project, key: UnitKey, score: f32) -> Option<Hit> {
    let doc = project.documents().get(&key.0)?;
    let unit = doc.units().into_iter().find(|u| u.range.start == key.1)?;
    let text = project.text(doc.id);
    let map = OffsetMap::new(text);
    let passage =
        text.get(map.byte_at(text, unit.range.start)?..map.byte_at(text, unit.range.end)?)?;
    Some(Hit {
        document: doc.id,
        document_name: doc.name.clone(),
        passage: unit.range,
        speaker: unit.speaker.map(str::to_string),
        timestamp: unit.timestamp.map(str::to_string),
        score,
        matches: Vec::new(),
        snippet: snippet(passage, &[], SNIPPET_WIDTH),
    })
}

/// Meaning search fused with keyword search: `query_vectors` are the meaning terms embedded as queries (each
/// ranks on its own), `keyword` the keyword hits (best first) when there are words, `allowed` the units every
/// filter accepts (`None`: all). Returns at most `limit` hits, best fused rank first (`score` is the fused score).
pub fn fused_search(
    project: &Project,
    vectors: &VectorSet,
    query_vectors: &[Vec<f32>],
    keyword: Option<&SearchResults>,
    allowed: Option<&BTreeSet<UnitKey>>,
    limit: usize,
) -> SearchResults {
    let allow = |row: usize| {
        let (doc, range) = vectors.units[row];
        allowed.is_none_or(|a| a.contains(&(doc, range.start)))
    };
    let mut lists: Vec<Vec<UnitKey>> = query_vectors
        .iter()
        .map(|query_vector| {
            vectors
                .nearest(query_vector, &allow, MEANING_CANDIDATES.max(limit))
                .into_iter()
                .map(|(row, _)| (vectors.units[row].0, vectors.units[row].1.start))
                .collect()
        })
        .collect();
    let mut by_key: HashMap<UnitKey, &Hit> = HashMap::new();
    let mut words: Vec<UnitKey> = Vec::new();
    if let Some(results) = keyword {
        for hit in &results.hits {
            let key = (hit.document, hit.passage.start);
            if allowed.is_none_or(|a| a.contains(&key)) {
                by_key.insert(key, hit);
                words.push(key);
            }
        }
    }
    lists.push(words);
    let fused = fuse(&lists);
    let mut results = SearchResults {
        total: fused.len(),
        hits: Vec::new(),
    };
    for (key, score) in fused.into_iter().take(limit) {
        let hit = match by_key.get(&key) {
            Some(h) => Some(Hit {
                score,
                ..(*h).clone()
            }),
            None => unit_hit(project, key, score),
        };
        results.hits.extend(hit);
    }
    results
}

/// The passages nearest `vector` ("more like this"), leaving out the units `exclude` overlaps in
/// `exclude_doc`; `score` is the cosine similarity.
pub fn similar(
    project: &Project,
    vectors: &VectorSet,
    vector: &[f32],
    exclude: Option<(DocumentId, CharRange)>,
    allowed: Option<&BTreeSet<UnitKey>>,
    limit: usize,
) -> SearchResults {
    let allow = |row: usize| {
        let (doc, range) = vectors.units[row];
        let excluded = exclude.is_some_and(|(d, r)| d == doc && r.overlaps(&range));
        !excluded && allowed.is_none_or(|a| a.contains(&(doc, range.start)))
    };
    let nearest = vectors.nearest(vector, &allow, limit);
    SearchResults {
        total: nearest.len(),
        hits: nearest
            .into_iter()
            .filter_map(|(row, sim)| {
                let (doc, range) = vectors.units[row];
                unit_hit(project, (doc, range.start), sim)
            })
            .collect(),
    }
}

/// The mean of the vectors of the units a range overlaps (a coding's passage), normalised; `None` when no
/// unit there has a vector.
pub fn range_vector(
    vectors: &VectorSet,
    project: &Project,
    doc: DocumentId,
    range: CharRange,
) -> Option<Vec<f32>> {
    let document = project.documents().get(&doc)?;
    let mut sum = vec![0f32; super::DIM];
    let mut any = false;
    for unit in document.units() {
        if unit.range.overlaps(&range)
            && let Some(v) = vectors.vector(doc, unit.range.start)
        {
            sum.iter_mut().zip(&v).for_each(|(s, x)| *s += x);
            any = true;
        }
    }
    let norm = sum.iter().map(|x| x * x).sum::<f32>().sqrt();
    (any && norm > 0.0).then(|| sum.iter().map(|x| x / norm).collect())
}

/// Coded passages a suggestion needs at least.
pub const MIN_CODED_FOR_SUGGESTIONS: usize = 2;

/// Code suggestions: passages not yet coded with `code`, ranked by how close they lie to its coded passages
/// (the mean cosine of each passage's three nearest coded passages); `score` is that mean. Passages in
/// `rejected` (units by document and start) are left out. Nothing is coded. `None` when the code has fewer than
/// [`MIN_CODED_FOR_SUGGESTIONS`] coded passages with vectors.
pub fn suggest(
    project: &Project,
    vectors: &VectorSet,
    code: crate::ids::CodeId,
    rejected: &BTreeSet<UnitKey>,
    limit: usize,
) -> Option<SearchResults> {
    let mut coded: BTreeSet<usize> = BTreeSet::new();
    for coding in project.codings().values().filter(|c| c.code == code) {
        let Some(doc) = project.documents().get(&coding.document) else {
            continue;
        };
        for unit in doc.units() {
            if unit.range.overlaps(&coding.range)
                && let Some(row) = vectors.row(doc.id, unit.range.start)
            {
                coded.insert(row);
            }
        }
    }
    if coded.len() < MIN_CODED_FOR_SUGGESTIONS {
        return None;
    }
    const K: usize = 3;
    let k = K.min(coded.len());
    // Per passage, its k best similarities to coded passages (descending).
    let mut best = vec![[f32::NEG_INFINITY; K]; vectors.len()];
    for &row in &coded {
        let Some(v) = vectors.vector(vectors.units[row].0, vectors.units[row].1.start) else {
            continue;
        };
        for (b, sim) in best.iter_mut().zip(vectors.similarities(&v)) {
            if sim > b[k - 1] {
                b[k - 1] = sim;
                b[..k].sort_by(|x, y| y.total_cmp(x));
            }
        }
    }
    let mut scored: Vec<(usize, f32)> = best
        .iter()
        .enumerate()
        .filter(|(row, _)| {
            let (doc, range) = vectors.units[*row];
            !coded.contains(row) && !rejected.contains(&(doc, range.start))
        })
        .map(|(row, b)| (row, b[..k].iter().sum::<f32>() / k as f32))
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let total = scored.len();
    Some(SearchResults {
        total,
        hits: scored
            .into_iter()
            .take(limit)
            .filter_map(|(row, score)| {
                let (doc, range) = vectors.units[row];
                unit_hit(project, (doc, range.start), score)
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fusion_rewards_units_both_lists_rank_high() {
        let d = DocumentId::from_u128(7);
        let meaning = vec![(d, 10), (d, 20), (d, 30)];
        let words = vec![(d, 20), (d, 40)];
        let fused = fuse(&[meaning, words]);
        let order: Vec<usize> = fused.iter().map(|((_, s), _)| *s).collect();
        assert_eq!(order, vec![20, 10, 40, 30]);
        assert!((fused[0].1 - (1.0 / 62.0 + 1.0 / 61.0)).abs() < 1e-6);
    }
}
