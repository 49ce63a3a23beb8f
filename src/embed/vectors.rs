//! Vectors as derived data: one int8 vector per index unit (speaker turn or paragraph), kept per document in
//! `.marginalia/vectors/<document>.vec` beside the search index, built incrementally and resumably.
//!
//! A document's file is written whole (temporary file, then rename) once all its units are embedded, so a run
//! killed at any point leaves only complete files and the next run resumes with the documents still missing.
//! Each file records a fingerprint of the model, the document's text and its unit ranges: a document whose
//! fingerprint differs (its units changed, or another model) is embedded again, and files of removed documents
//! are deleted. The folder lies outside `.index/` so an index rebuild (a new schema) never throws the vectors
//! away. A vector is stored as 384 int8 values and one f32 scale (`value ≈ int8 × scale`).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::ids::DocumentId;
use crate::model::{Document, Project, fnv1a};
use crate::offsets::{CharRange, OffsetMap};

use super::fetch::MODEL_SHA256;
use super::{DIM, EmbedError, Embedder, Kind};

/// The store's folder inside the project's state folder.
pub const STORE_DIR: &str = "vectors";
/// The magic bytes of a document's vector file.
const MAGIC: &[u8; 4] = b"MEV1";
/// Units embedded per call (progress and cancel are checked between batches).
const BATCH: usize = 32;

/// The store folder of a project folder.
pub fn store_dir(project_root: &Path) -> PathBuf {
    crate::store::Layout::new(project_root)
        .state_dir()
        .join(STORE_DIR)
}

fn file_of(dir: &Path, doc: DocumentId) -> PathBuf {
    dir.join(format!("{doc}.vec"))
}

/// The text of each unit that is embedded: a turn without its speaker label, a paragraph as it is.
pub fn unit_texts<'t>(doc: &Document, text: &'t str) -> Vec<(CharRange, &'t str)> {
    let map = OffsetMap::new(text);
    doc.units()
        .iter()
        .map(|u| {
            let start = doc
                .turn_at(u.range.start)
                .filter(|t| t.range.start == u.range.start)
                .map_or(u.range.start, |t| {
                    t.content_start.clamp(u.range.start, u.range.end)
                });
            let slice = map
                .byte_at(text, start)
                .zip(map.byte_at(text, u.range.end))
                .and_then(|(a, b)| text.get(a..b))
                .unwrap_or("");
            (u.range, slice.trim())
        })
        .collect()
}

/// What a document's vectors were made from: the model, the text and the unit ranges.
pub fn fingerprint(doc: &Document) -> u64 {
    let mut key = format!("{MODEL_SHA256}|{}", doc.text_hash);
    for u in doc.units() {
        key.push_str(&format!("|{}-{}", u.range.start, u.range.end));
    }
    fnv1a(key.as_bytes())
}

/// One document's vectors.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DocVectors {
    /// The fingerprint of what they were made from.
    pub fingerprint: u64,
    /// The units, in text order.
    pub units: Vec<CharRange>,
    /// Per unit, its scale.
    pub scales: Vec<f32>,
    /// Per unit, [`DIM`] int8 values.
    pub values: Vec<i8>,
}

/// Rounds a unit vector to int8 with one scale.
pub fn quantize(v: &[f32]) -> (f32, Vec<i8>) {
    let amax = v.iter().fold(0f32, |m, x| m.max(x.abs()));
    let scale = if amax > 0.0 { amax / 127.0 } else { 1.0 };
    let q = v
        .iter()
        .map(|x| (x / scale).round().clamp(-127.0, 127.0) as i8)
        .collect();
    (scale, q)
}

impl DocVectors {
    fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(24 + self.units.len() * (12 + DIM));
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.fingerprint.to_le_bytes());
        out.extend_from_slice(&(self.units.len() as u32).to_le_bytes());
        for (u, s) in self.units.iter().zip(&self.scales) {
            out.extend_from_slice(&(u.start as u32).to_le_bytes());
            out.extend_from_slice(&(u.end as u32).to_le_bytes());
            out.extend_from_slice(&s.to_le_bytes());
        }
        out.extend(self.values.iter().map(|&v| v as u8));
        let check = fnv1a(&out);
        out.extend_from_slice(&check.to_le_bytes());
        out
    }

    fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        let body_len = bytes.len().checked_sub(8).ok_or("too short")?;
        let (body, check) = bytes.split_at(body_len);
        let mut c = [0u8; 8];
        c.copy_from_slice(check);
        if fnv1a(body) != u64::from_le_bytes(c) {
            return Err("checksum mismatch (damaged or cut short)".into());
        }
        if body.len() < 16 || &body[..4] != MAGIC {
            return Err("not a Marginalia vector file".into());
        }
        let u32_at =
            |i: usize| u32::from_le_bytes([body[i], body[i + 1], body[i + 2], body[i + 3]]);
        let mut f = [0u8; 8];
        f.copy_from_slice(&body[4..12]);
        let fingerprint = u64::from_le_bytes(f);
        let n = u32_at(12) as usize;
        if body.len() != 16 + n * (12 + DIM) {
            return Err(format!("{n} units do not fit the file's length"));
        }
        let mut units = Vec::with_capacity(n);
        let mut scales = Vec::with_capacity(n);
        for i in 0..n {
            let at = 16 + i * 12;
            units.push(CharRange::new(u32_at(at) as usize, u32_at(at + 4) as usize));
            scales.push(f32::from_bits(u32_at(at + 8)));
        }
        let values = body[16 + n * 12..].iter().map(|&b| b as i8).collect();
        Ok(DocVectors {
            fingerprint,
            units,
            scales,
            values,
        })
    }

    /// Reads a document's vector file.
    pub fn read(path: &Path) -> Result<Self, EmbedError> {
        let bytes = std::fs::read(path).map_err(|e| EmbedError::io(path, e))?;
        Self::from_bytes(&bytes).map_err(|message| EmbedError::BadVectors {
            path: path.to_path_buf(),
            message,
        })
    }

    /// Writes it atomically (temporary file beside it, then a rename).
    pub fn write(&self, path: &Path) -> Result<(), EmbedError> {
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| EmbedError::io(dir, e))?;
        let tmp = path.with_extension("vec.part");
        let mut f = std::fs::File::create(&tmp).map_err(|e| EmbedError::io(&tmp, e))?;
        f.write_all(&self.to_bytes())
            .and_then(|()| f.sync_data())
            .map_err(|e| EmbedError::io(&tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| EmbedError::io(path, e))
    }
}

/// What a run has to do.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// Documents to embed (missing, changed or unreadable vectors), in name order.
    pub todo: Vec<DocumentId>,
    /// Their units.
    pub units: usize,
    /// Documents whose vectors are up to date.
    pub fresh: usize,
}

/// Which documents need embedding.
pub fn plan(dir: &Path, project: &Project) -> Plan {
    let mut plan = Plan::default();
    for doc in project.documents_sorted() {
        let current = DocVectors::read(&file_of(dir, doc.id))
            .ok()
            .is_some_and(|v| v.fingerprint == fingerprint(doc));
        if current {
            plan.fresh += 1;
        } else {
            plan.todo.push(doc.id);
            plan.units += doc.units().len();
        }
    }
    plan
}

/// How far a run has come.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Units embedded in this run.
    pub done: usize,
    /// Units this run has to embed.
    pub total: usize,
    /// The document being embedded.
    pub document: String,
}

/// What a run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuildReport {
    /// Documents embedded.
    pub documents: usize,
    /// Units embedded.
    pub units: usize,
    /// Documents already up to date.
    pub fresh: usize,
    /// Vector files of removed documents deleted.
    pub removed: usize,
}

/// Brings the vectors of `project` up to date in `dir`: embeds only the documents whose vectors are missing
/// or stale, writing each document's file when it is complete; deletes files of removed documents. Checks
/// `cancel` between batches (returning [`EmbedError::Cancelled`], the finished documents kept).
pub fn build(
    dir: &Path,
    project: &Project,
    embedder: &Embedder,
    progress: &mut dyn FnMut(&Progress),
    cancel: &AtomicBool,
) -> Result<BuildReport, EmbedError> {
    let removed = remove_orphans(dir, project)?;
    let plan = plan(dir, project);
    let mut state = Progress {
        done: 0,
        total: plan.units,
        document: String::new(),
    };
    let mut report = BuildReport {
        fresh: plan.fresh,
        removed,
        ..BuildReport::default()
    };
    for id in &plan.todo {
        let Some(doc) = project.documents().get(id) else {
            continue;
        };
        state.document.clone_from(&doc.name);
        progress(&state);
        let units = unit_texts(doc, project.text(doc.id));
        let mut vectors = DocVectors {
            fingerprint: fingerprint(doc),
            ..DocVectors::default()
        };
        for batch in units.chunks(BATCH) {
            if cancel.load(Ordering::Relaxed) {
                return Err(EmbedError::Cancelled);
            }
            let texts: Vec<&str> = batch.iter().map(|(_, t)| *t).collect();
            for ((range, _), v) in batch.iter().zip(embedder.embed(&texts, Kind::Passage)) {
                let (scale, q) = quantize(&v);
                vectors.units.push(*range);
                vectors.scales.push(scale);
                vectors.values.extend(q);
            }
            state.done += batch.len();
            progress(&state);
        }
        vectors.write(&file_of(dir, doc.id))?;
        report.documents += 1;
        report.units += units.len();
    }
    Ok(report)
}

/// Deletes vector files (and leftovers of killed runs) of documents no longer in the project.
fn remove_orphans(dir: &Path, project: &Project) -> Result<usize, EmbedError> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(0);
    };
    let keep: BTreeSet<String> = project
        .documents()
        .keys()
        .map(|id| format!("{id}.vec"))
        .collect();
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !keep.contains(&name) && (name.ends_with(".vec") || name.ends_with(".vec.part")) {
            let path = entry.path();
            std::fs::remove_file(&path).map_err(|e| EmbedError::io(&path, e))?;
            removed += usize::from(name.ends_with(".vec"));
        }
    }
    Ok(removed)
}

/// The up-to-date vectors of a project, ready for nearest-neighbour search.
#[derive(Clone, Debug, Default)]
pub struct VectorSet {
    /// Per row: the document and unit.
    pub units: Vec<(DocumentId, CharRange)>,
    scales: Vec<f32>,
    values: Vec<i8>,
    /// Documents without up-to-date vectors (run `embed`).
    pub missing: usize,
    rows: BTreeMap<(DocumentId, usize), usize>,
    /// The fingerprint of each document whose vectors were loaded.
    fingerprints: BTreeMap<DocumentId, u64>,
}

impl VectorSet {
    /// True when the loaded vectors are those of exactly the documents of `project` as they are now (no
    /// document added, removed or changed since).
    pub fn matches(&self, project: &Project) -> bool {
        self.fingerprints.len() == project.documents().len()
            && project
                .documents()
                .values()
                .all(|doc| self.fingerprints.get(&doc.id) == Some(&fingerprint(doc)))
    }

    /// Loads the vectors of every document whose file is current; counts the others as missing.
    pub fn load(dir: &Path, project: &Project) -> Self {
        let mut set = VectorSet::default();
        for doc in project.documents_sorted() {
            match DocVectors::read(&file_of(dir, doc.id)) {
                Ok(v) if v.fingerprint == fingerprint(doc) => {
                    set.fingerprints.insert(doc.id, v.fingerprint);
                    for (i, range) in v.units.iter().enumerate() {
                        set.rows.insert((doc.id, range.start), set.units.len());
                        set.units.push((doc.id, *range));
                        set.scales.push(v.scales[i]);
                    }
                    set.values.extend_from_slice(&v.values);
                }
                _ => set.missing += 1,
            }
        }
        set
    }

    /// Number of vectors.
    pub fn len(&self) -> usize {
        self.units.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// The (dequantised) vector of the unit starting at `start` in `doc`.
    pub fn vector(&self, doc: DocumentId, start: usize) -> Option<Vec<f32>> {
        let row = *self.rows.get(&(doc, start))?;
        let scale = self.scales[row];
        Some(
            self.values[row * DIM..(row + 1) * DIM]
                .iter()
                .map(|&v| f32::from(v) * scale)
                .collect(),
        )
    }

    /// The row of a unit.
    pub fn row(&self, doc: DocumentId, start: usize) -> Option<usize> {
        self.rows.get(&(doc, start)).copied()
    }

    /// Cosine similarity of every row with `query` (a unit vector), in row order.
    pub fn similarities(&self, query: &[f32]) -> Vec<f32> {
        let (qscale, q) = quantize(query);
        let q: Vec<i32> = q.into_iter().map(i32::from).collect();
        self.values
            .chunks_exact(DIM)
            .zip(&self.scales)
            .map(|(row, s)| {
                let dot: i32 = row.iter().zip(&q).map(|(&a, &b)| i32::from(a) * b).sum();
                dot as f32 * s * qscale
            })
            .collect()
    }

    /// The `limit` rows most similar to `query` among those `allow` accepts, best first.
    pub fn nearest(
        &self,
        query: &[f32],
        allow: &dyn Fn(usize) -> bool,
        limit: usize,
    ) -> Vec<(usize, f32)> {
        let mut scored: Vec<(usize, f32)> = self
            .similarities(query)
            .into_iter()
            .enumerate()
            .filter(|(row, _)| allow(*row))
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        scored.truncate(limit);
        scored
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vector_file_round_trips_and_damage_is_noticed() {
        let (scale, q) = quantize(&[0.5; DIM]);
        let v = DocVectors {
            fingerprint: 42,
            units: vec![CharRange::new(0, 10)],
            scales: vec![scale],
            values: q,
        };
        let bytes = v.to_bytes();
        assert_eq!(DocVectors::from_bytes(&bytes).unwrap(), v);
        let mut cut = bytes.clone();
        cut.truncate(bytes.len() - 20);
        assert!(
            DocVectors::from_bytes(&cut)
                .unwrap_err()
                .contains("checksum")
        );
    }

    #[test]
    fn int8_vectors_keep_cosines() {
        let a: Vec<f32> = (0..DIM)
            .map(|i| ((i * 37 % 101) as f32 - 50.0) / 300.0)
            .collect();
        let norm = a.iter().map(|x| x * x).sum::<f32>().sqrt();
        let a: Vec<f32> = a.iter().map(|x| x / norm).collect();
        let (s, q) = quantize(&a);
        let back: Vec<f32> = q.iter().map(|&v| f32::from(v) * s).collect();
        assert!(super::super::dot(&a, &back) > 0.999);
    }
}
