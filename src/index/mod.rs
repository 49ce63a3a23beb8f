//! The tantivy search index: one index document per speaker turn or paragraph, kept in `.index/` as derived
//! data and brought up to date with the project (missing, stale or old-schema indexes are rebuilt).
//!
//! One protocol for every process (CLI and workbench): the manifest of what is indexed travels as the payload
//! of each tantivy commit, so a kill can never leave documents indexed twice; an index is (re)created only
//! under a build lock, in a staging folder swapped in by rename, so a reader never deletes an index someone
//! else is building; a process that cannot write (another one is) searches an in-memory index instead.

pub mod analyzer;
pub mod norwegian;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use tantivy::columnar::Column;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::error::{Error, Result};
use crate::ids::DocumentId;
use crate::model::{Document, Language, Project, fnv1a};
use crate::offsets::OffsetMap;

/// Bumped whenever the schema or analysis changes; an index of another version is rebuilt.
pub const SCHEMA_VERSION: u32 = 4;
/// The lock a process holds while it (re)creates the index folder (in the git-ignored state folder).
const BUILD_LOCK: &str = "index-build.lock";
const WRITER_MEMORY: usize = 256 * 1024 * 1024;
/// More segments than this after a commit, and the smallest are merged (see `SearchIndex::bound_segments`).
const MAX_SEGMENTS: usize = 16;
/// How often (20 ms apart) a writer lock held elsewhere is tried again before the index counts as busy.
const LOCK_ATTEMPTS: u32 = 25;
/// How many segments remain after such a merge.
const MERGED_DOWN_TO: usize = 8;

/// The fields of the index.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    /// Document GUID (filters, deletes).
    pub doc: Field,
    /// The high 64 bits of the document GUID, a fast field (hit → document without touching the doc store).
    pub doc_hi: Field,
    /// The low 64 bits of the document GUID, a fast field.
    pub doc_lo: Field,
    /// Where the unit starts, in code points.
    pub start: Field,
    /// Where the unit ends, in code points (exclusive).
    pub end: Field,
    /// Where the unit starts, in bytes of the document text (slicing a hit without scanning the text).
    pub byte_start: Field,
    /// Where the unit ends, in bytes of the document text (exclusive).
    pub byte_end: Field,
    /// Lower-cased speaker, and each word of it.
    pub speaker: Field,
    /// Case GUIDs of the document.
    pub cases: Field,
    /// Document kind keyword.
    pub kind: Field,
    /// Stemmed text.
    pub text: Field,
    /// Lower-cased, unstemmed text.
    pub raw: Field,
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    // Positions only where phrases need them: prefix and fuzzy matching on the raw field use terms alone.
    let text_options = |analyzer: &str, record: IndexRecordOption| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer)
                .set_index_option(record),
        )
    };
    let fields = Fields {
        doc: builder.add_text_field("doc", STRING),
        doc_hi: builder.add_u64_field("doc_hi", FAST),
        doc_lo: builder.add_u64_field("doc_lo", FAST),
        start: builder.add_u64_field("start", FAST | INDEXED),
        end: builder.add_u64_field("end", FAST),
        byte_start: builder.add_u64_field("byte_start", FAST),
        byte_end: builder.add_u64_field("byte_end", FAST),
        speaker: builder.add_text_field("speaker", STRING),
        cases: builder.add_text_field("cases", STRING),
        kind: builder.add_text_field("kind", STRING),
        text: builder.add_text_field(
            "text",
            text_options(analyzer::STEMMED, IndexRecordOption::WithFreqsAndPositions),
        ),
        raw: builder.add_text_field(
            "raw",
            // Prefix and fuzzy queries score by a constant (tantivy's automaton weight): doc ids suffice.
            text_options(analyzer::RAW, IndexRecordOption::Basic),
        ),
    };
    (builder.build(), fields)
}

#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
struct Manifest {
    schema_version: u32,
    language: Language,
    /// Fingerprint of what was indexed per document (text, kind, cases).
    documents: BTreeMap<DocumentId, String>,
}

/// What an index holds for one document; a change means the document is indexed again.
fn fingerprint(project: &Project, doc: &Document) -> String {
    let mut key = format!(
        "{}|{}|{}|{}",
        doc.text_hash,
        doc.kind.keyword(),
        doc.turns.len(),
        project.document_language(doc).code()
    );
    for case in project.cases_of(doc.id) {
        key.push('|');
        key.push_str(&case.id.to_string());
    }
    format!("{:016x}", fnv1a(key.as_bytes()))
}

/// The fast-field columns that place a hit (document, passage in code points and bytes) for one segment.
#[derive(Clone)]
pub struct UnitColumns {
    /// The high 64 bits of each unit's document GUID.
    pub doc_hi: Column<u64>,
    /// The low 64 bits of each unit's document GUID.
    pub doc_lo: Column<u64>,
    /// Where each unit starts, in code points.
    pub start: Column<u64>,
    /// Where each unit ends, in code points (exclusive).
    pub end: Column<u64>,
    /// Where each unit starts, in bytes of the document text.
    pub byte_start: Column<u64>,
    /// Where each unit ends, in bytes of the document text (exclusive).
    pub byte_end: Column<u64>,
}

impl UnitColumns {
    fn open(segment: &tantivy::SegmentReader) -> Result<Self> {
        let fast = segment.fast_fields();
        Ok(Self {
            doc_hi: fast.u64("doc_hi")?,
            doc_lo: fast.u64("doc_lo")?,
            start: fast.u64("start")?,
            end: fast.u64("end")?,
            byte_start: fast.u64("byte_start")?,
            byte_end: fast.u64("byte_end")?,
        })
    }
}

/// Columns of every segment of one searcher generation, opened once and shared by every search on it.
type ColumnCache = Option<(u64, Arc<Vec<UnitColumns>>)>;

/// An open search index.
pub struct SearchIndex {
    /// The tantivy index, on disk in `.index/` or in memory.
    pub index: Index,
    /// The reader searches go through; reloaded after each commit.
    pub reader: IndexReader,
    /// The fields of the schema, for building queries and reading hits.
    pub fields: Fields,
    /// The language whose stemmer analysed the text; an index of another language is rebuilt.
    pub language: Language,
    dir: Option<PathBuf>,
    manifest: Manifest,
    columns: Arc<Mutex<ColumnCache>>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("dir", &self.dir)
            .field("language", &self.language)
            .finish()
    }
}

fn register(index: &Index, language: Language) {
    index
        .tokenizers()
        .register(analyzer::STEMMED, analyzer::stemmed(language));
    index.tokenizers().register(analyzer::RAW, analyzer::raw());
}

fn reader(index: &Index) -> Result<IndexReader> {
    Ok(index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()?)
}

impl SearchIndex {
    /// An index in memory (tests, read-only fallbacks).
    pub fn in_memory(language: Language) -> Result<Self> {
        let (schema, fields) = schema();
        let index = Index::create_in_ram(schema);
        register(&index, language);
        let reader = reader(&index)?;
        Ok(Self {
            index,
            reader,
            fields,
            language,
            dir: None,
            manifest: Manifest::default(),
            columns: Arc::default(),
        })
    }

    /// Opens the index in `dir`, or creates it afresh when it is missing, unreadable or of another version.
    pub fn open_or_create(dir: &Path, language: Language) -> Result<Self> {
        let (schema, fields) = schema();
        let (index, manifest) = match existing(dir, &schema, language) {
            Some(found) => found,
            None => create_fresh(dir, schema, language)?,
        };
        register(&index, language);
        let reader = reader(&index)?;
        Ok(Self {
            index,
            reader,
            fields,
            language,
            dir: Some(dir.to_path_buf()),
            manifest,
            columns: Arc::default(),
        })
    }

    /// Opens the project's index and brings it up to date. When another process holds the index writer, an
    /// in-memory index is built instead, so reading never waits or fails.
    pub fn for_project(dir: &Path, project: &Project) -> Result<Self> {
        let mut attempt = 0;
        loop {
            match Self::open_synced(dir, project) {
                // Another process committed between our reading the index's file list and opening a file
                // (its commit removed files of the previous one): read the new list.
                Err(Error::Index(e)) if vanished(&e) && attempt < 5 => {
                    attempt += 1;
                    std::thread::sleep(std::time::Duration::from_millis(20 * attempt));
                }
                other => return other,
            }
        }
    }

    fn open_synced(dir: &Path, project: &Project) -> Result<Self> {
        let synced = Self::open_or_create(dir, project.meta().language).and_then(|mut index| {
            index.sync(project)?;
            Ok(index)
        });
        match synced {
            Err(Error::IndexBusy { .. }) => {
                let mut memory = Self::in_memory(project.meta().language)?;
                memory.sync(project)?;
                Ok(memory)
            }
            other => other,
        }
    }

    fn writer(&self) -> Result<IndexWriter> {
        let threads = std::thread::available_parallelism()
            .map(|n| n.get().clamp(1, 4))
            .unwrap_or(1);
        // The writer lock is an flock: a process forked by this one (a spawned command, between its fork and
        // its exec) holds a copy for a moment, and another process's short sync holds it briefly too. Waiting a
        // little before calling the index busy turns those moments into a short wait instead of an in-memory
        // index.
        let mut attempt = 0;
        let opened = loop {
            match self.index.writer_with_num_threads(threads, WRITER_MEMORY) {
                Err(tantivy::TantivyError::LockFailure(..)) if attempt < LOCK_ATTEMPTS => {
                    attempt += 1;
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                other => break other,
            }
        };
        match opened {
            Ok(writer) => {
                // Every writer is dropped right after its commit, and tantivy then discards the result of any
                // merge the commit started (its segment updater is killed) while the merge itself runs on to
                // the end in the background: merges never landed, they only burnt a core after large imports.
                writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
                Ok(writer)
            }
            Err(tantivy::TantivyError::LockFailure(..)) => Err(Error::IndexBusy {
                path: self.dir.clone().unwrap_or_default(),
            }),
            Err(other) => Err(other.into()),
        }
    }

    /// Indexes new and changed documents and drops removed ones; returns how many documents were (re)indexed.
    pub fn sync(&mut self, project: &Project) -> Result<usize> {
        let wanted: BTreeMap<DocumentId, String> = project
            .documents()
            .values()
            .map(|d| (d.id, fingerprint(project, d)))
            .collect();
        if wanted == self.manifest.documents {
            return Ok(0);
        }
        let writer = self.writer()?;
        // Holding the writer, take the manifest of the latest commit: another process may have synced since.
        if let Some(latest) = read_manifest(&self.index) {
            self.manifest = latest;
            if wanted == self.manifest.documents {
                // Another process indexed it all while this one waited: search what it committed.
                self.reader.reload()?;
                return Ok(0);
            }
        }
        let stale: Vec<DocumentId> = self
            .manifest
            .documents
            .iter()
            .filter(|(id, fp)| wanted.get(id) != Some(fp))
            .map(|(id, _)| *id)
            .collect();
        let fresh: Vec<&Document> = project
            .documents()
            .values()
            .filter(|d| self.manifest.documents.get(&d.id) != wanted.get(&d.id))
            .collect();
        for id in &stale {
            writer.delete_term(Term::from_field_text(self.fields.doc, &id.to_string()));
        }
        // Documents in a language analysed like the index's (bokmål and nynorsk share one analyzer) go through
        // the field's own analyzer; others are stemmed here by their language's analyzer, one per language
        // reused across documents (each caches its stems).
        let mut analyzers: BTreeMap<Language, tantivy::tokenizer::TextAnalyzer> = BTreeMap::new();
        for doc in &fresh {
            let language = project.document_language(doc);
            let analyzer = if analyzer::analysed_alike(language, self.language) {
                None
            } else {
                Some(
                    analyzers
                        .entry(language)
                        .or_insert_with(|| analyzer::stemmed(language)),
                )
            };
            self.add_document(&writer, project, doc, analyzer)?;
        }
        let count = fresh.len();
        self.manifest.documents = wanted;
        self.commit(writer)?;
        Ok(count)
    }

    /// Drops everything and indexes the project again.
    pub fn rebuild(&mut self, project: &Project) -> Result<usize> {
        let writer = self.writer()?;
        writer.delete_all_documents()?;
        self.manifest.documents.clear();
        self.commit(writer)?;
        self.sync(project)
    }

    /// Commits with the manifest as the commit's payload: the index and the record of what it holds change
    /// together or not at all.
    fn commit(&mut self, mut writer: IndexWriter) -> Result<()> {
        let payload = manifest_text(&self.manifest)?;
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        // The commit has landed; a merge that fails (a full disk, say) only leaves more segments to search.
        let _ = self.bound_segments(&mut writer);
        drop(writer);
        self.reader.reload()?;
        Ok(())
    }

    /// Keeps the number of segments bounded without a merge policy: each sync adds a segment, so after many small
    /// syncs (a day of assigning cases, renaming kinds, importing a few files) the smallest segments are merged
    /// into one, here and now, so every search does not visit dozens of segments. A bulk import's few large
    /// segments stay as they are. The merge keeps the commit's payload (the manifest) and drops deleted units.
    fn bound_segments(&self, writer: &mut IndexWriter) -> Result<()> {
        let mut segments = self.index.searchable_segment_metas()?;
        if segments.len() <= MAX_SEGMENTS {
            return Ok(());
        }
        segments.sort_by_key(|meta| meta.num_docs());
        let smallest: Vec<tantivy::index::SegmentId> = segments
            .iter()
            .take(segments.len() + 1 - MERGED_DOWN_TO)
            .map(|meta| meta.id())
            .collect();
        writer.merge(&smallest).wait()?;
        Ok(())
    }

    fn add_document(
        &self,
        writer: &IndexWriter,
        project: &Project,
        doc: &Document,
        mut stemmer: Option<&mut tantivy::tokenizer::TextAnalyzer>,
    ) -> Result<()> {
        // Read without keeping it: indexing a corpus must not leave every text in memory.
        let text = project.text_transient(doc.id);
        let text = &*text;
        let map = OffsetMap::new(text);
        let f = &self.fields;
        let id = doc.id.to_string();
        let (hi, lo) = doc.id.0.as_u64_pair();
        let cases: Vec<String> = project
            .cases_of(doc.id)
            .iter()
            .map(|c| c.id.to_string())
            .collect();
        for unit in doc.units() {
            let Some(bytes) = map.byte_range(text, unit.range) else {
                continue;
            };
            let mut entry = TantivyDocument::new();
            entry.add_text(f.doc, &id);
            entry.add_u64(f.doc_hi, hi);
            entry.add_u64(f.doc_lo, lo);
            entry.add_u64(f.start, unit.range.start as u64);
            entry.add_u64(f.end, unit.range.end as u64);
            entry.add_u64(f.byte_start, bytes.start as u64);
            entry.add_u64(f.byte_end, bytes.end as u64);
            entry.add_text(f.kind, doc.kind.keyword());
            for case in &cases {
                entry.add_text(f.cases, case);
            }
            if let Some(speaker) = unit.speaker {
                for key in speaker_keys(speaker) {
                    entry.add_text(f.speaker, key);
                }
            }
            // Stemmed in the document's own language.
            match stemmer.as_deref_mut() {
                Some(stemmer) => entry.add_pre_tokenized_text(
                    f.text,
                    analyzer::pre_tokenized(stemmer, &text[bytes.clone()]),
                ),
                None => entry.add_text(f.text, &text[bytes.clone()]),
            }
            entry.add_text(f.raw, &text[bytes]);
            writer.add_document(entry)?;
        }
        Ok(())
    }

    /// The unit columns of each segment of `searcher` (by segment ordinal), opened once per index generation:
    /// opening columns per query was half the CPU of a search.
    pub fn unit_columns(&self, searcher: &tantivy::Searcher) -> Result<Arc<Vec<UnitColumns>>> {
        let generation = searcher.generation().generation_id();
        let mut cache = self.columns.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((cached, columns)) = cache.as_ref()
            && *cached == generation
        {
            return Ok(Arc::clone(columns));
        }
        let columns: Arc<Vec<UnitColumns>> = Arc::new(
            searcher
                .segment_readers()
                .iter()
                .map(UnitColumns::open)
                .collect::<Result<_>>()?,
        );
        *cache = Some((generation, Arc::clone(&columns)));
        Ok(columns)
    }

    /// A handle for searching this index from another thread (a search off the UI thread): it shares the
    /// reader and the cached fast-field columns. It does not carry the manifest, so a `sync` on it first reads
    /// the manifest of the latest commit; keep syncing the original.
    pub fn search_view(&self) -> Self {
        Self {
            index: self.index.clone(),
            reader: self.reader.clone(),
            fields: self.fields,
            language: self.language,
            dir: self.dir.clone(),
            manifest: Manifest::default(),
            columns: Arc::clone(&self.columns),
        }
    }

    /// Number of indexed units.
    pub fn unit_count(&self) -> u64 {
        self.reader.searcher().num_docs()
    }
}

/// True when tantivy could not open a file that its file list named (removed by another process's commit).
fn vanished(error: &tantivy::TantivyError) -> bool {
    use tantivy::directory::error::OpenReadError;
    match error {
        tantivy::TantivyError::OpenReadError(OpenReadError::FileDoesNotExist(_)) => true,
        tantivy::TantivyError::OpenReadError(OpenReadError::IoError { io_error, .. }) => {
            io_error.kind() == std::io::ErrorKind::NotFound
        }
        _ => false,
    }
}

fn manifest_text(manifest: &Manifest) -> Result<String> {
    ron::to_string(manifest).map_err(|error| Error::Serialize {
        path: "index manifest".into(),
        error,
    })
}

/// The manifest stored with the index's latest commit.
fn read_manifest(index: &Index) -> Option<Manifest> {
    let payload = index.load_metas().ok()?.payload?;
    ron::from_str(&payload).ok()
}

/// The index in `dir` with its manifest, when it is readable and of this schema, version and language.
fn existing(dir: &Path, schema: &Schema, language: Language) -> Option<(Index, Manifest)> {
    Index::open_in_dir(dir)
        .ok()
        .filter(|i| i.schema() == *schema)
        .and_then(|i| read_manifest(&i).map(|m| (i, m)))
        .filter(|(_, m)| m.schema_version == SCHEMA_VERSION && m.language == language)
}

/// Creates an empty index in `dir` (replacing what is there) under the build lock: built in a staging folder,
/// then swapped in by rename. When another process holds the lock, the index is busy. When another process
/// built a good index between our look and our taking the lock, that index is used: replacing it would pull
/// the folder from under that process's writer.
fn create_fresh(dir: &Path, schema: Schema, language: Language) -> Result<(Index, Manifest)> {
    let root = dir.parent().unwrap_or(Path::new("."));
    let state = root.join(crate::store::STATE_DIR);
    std::fs::create_dir_all(&state).map_err(|e| Error::io(&state, e))?;
    let _lock =
        crate::store::lock::ProjectLock::acquire(&state.join(BUILD_LOCK)).map_err(|e| match e {
            Error::Locked { .. } | Error::StaleLock { .. } => Error::IndexBusy {
                path: dir.to_path_buf(),
            },
            other => other,
        })?;
    if let Some(found) = existing(dir, &schema, language) {
        return Ok(found);
    }
    let pid = std::process::id();
    let staging = state.join(format!("index-building-{pid}"));
    let old = state.join(format!("index-old-{pid}"));
    for leftover in [&staging, &old] {
        if leftover.exists() {
            std::fs::remove_dir_all(leftover).map_err(|e| Error::io(leftover, e))?;
        }
    }
    std::fs::create_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
    let manifest = Manifest {
        schema_version: SCHEMA_VERSION,
        language,
        documents: BTreeMap::new(),
    };
    {
        let index = Index::create_in_dir(&staging, schema)?;
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000)?;
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&manifest_text(&manifest)?);
        prepared.commit()?;
    }
    if dir.exists() {
        std::fs::rename(dir, &old).map_err(|e| Error::io(dir, e))?;
    }
    std::fs::rename(&staging, dir).map_err(|e| Error::io(dir, e))?;
    // Readers that still have the old files open keep reading them; the folder goes.
    let _ = std::fs::remove_dir_all(&old);
    Ok((Index::open_in_dir(dir)?, manifest))
}

/// The terms a speaker is found by: the whole lower-cased label and each word of it.
pub fn speaker_keys(speaker: &str) -> Vec<String> {
    let lower = speaker.trim().to_lowercase();
    let mut keys = vec![lower.clone()];
    for word in lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !keys.iter().any(|k| k == word) {
            keys.push(word.to_string());
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer never starts merges whose result its drop would throw away.
    #[test]
    fn writers_do_not_start_merges() {
        let index = SearchIndex::in_memory(Language::Nb).expect("index");
        let writer = index.writer().expect("writer");
        assert!(format!("{:?}", writer.get_merge_policy()).contains("NoMergePolicy"));
    }
}
