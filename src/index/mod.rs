//! The tantivy search index: one index document per speaker turn or paragraph, kept in `.index/` as derived
//! data and brought up to date with the project (missing, stale or old-schema indexes are rebuilt).
//!
//! One protocol for every process (CLI and workbench): the manifest of what is indexed travels as the payload
//! of each tantivy commit, so a kill can never leave documents indexed twice; an index is (re)created only
//! under a build lock, in a staging folder swapped in by rename, so a reader never deletes an index someone
//! else is building; a process that cannot write (another one is) searches an in-memory index instead.

pub mod analyzer;
pub mod norwegian;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use tantivy::columnar::Column;
use tantivy::index::SegmentId;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::error::{Error, Result};
use crate::ids::DocumentId;
use crate::model::{Document, Language, Project, fnv1a};
use crate::offsets::OffsetMap;

/// Bumped whenever the schema or analysis changes; an index of another version is rebuilt.
pub const SCHEMA_VERSION: u32 = 5;
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
    /// The words of a Norwegian (bokmål or nynorsk) passage, lower-cased and unstemmed, with positions: exact,
    /// prefix, fuzzy and phrase matching read it directly; a word search reaches every form of a word through
    /// `vocabulary`.
    pub text: Field,
    /// The words of an English passage, as `text` holds Norwegian ones (a word is stemmed by its language).
    pub text_en: Field,
    /// The vocabulary of `text`: `stem \u{1} word` for every word whose Norwegian stem differs from it, held
    /// by vocabulary entries (units of kind [`VOCABULARY_KIND`]), so a word search expands to the word forms
    /// that share its stem (see [`SearchIndex::forms`]).
    pub vocabulary: Field,
    /// The vocabulary of `text_en`, with English stems.
    pub vocabulary_en: Field,
}

impl Fields {
    /// The languages whose words have a text field of their own (bokmål and nynorsk share the first).
    pub const FAMILIES: [Language; 2] = [Language::Nb, Language::En];

    /// The text field of a language's passages.
    pub fn text_of(&self, language: Language) -> Field {
        match family(language) {
            Language::En => self.text_en,
            _ => self.text,
        }
    }

    /// The vocabulary field of a language's words.
    pub fn vocabulary_of(&self, language: Language) -> Field {
        match family(language) {
            Language::En => self.vocabulary_en,
            _ => self.vocabulary,
        }
    }
}

/// The `kind` of the index entries that hold the vocabulary rather than a passage.
pub const VOCABULARY_KIND: &str = "\u{1}vocabulary";
/// Separates a stem from a word in a vocabulary term; sorts before every character of a word.
const STEM_SEPARATOR: char = '\u{1}';
/// Vocabulary terms per vocabulary entry.
const VOCABULARY_PER_ENTRY: usize = 65_536;

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    // Words unstemmed, one text field per language family: stemming each word as it was indexed (and a second,
    // unstemmed field for exact, prefix and fuzzy search) cost more than a third of indexing; stems live in the
    // vocabulary.
    let text_options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer::WORDS)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
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
        text: builder.add_text_field("text", text_options.clone()),
        text_en: builder.add_text_field("text_en", text_options),
        vocabulary: builder.add_text_field("vocabulary", STRING),
        vocabulary_en: builder.add_text_field("vocabulary_en", STRING),
    };
    (builder.build(), fields)
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
struct Manifest {
    schema_version: u32,
    language: Language,
    /// Fingerprint of what was indexed per document (text, kind, cases).
    documents: BTreeMap<DocumentId, String>,
    /// Whether the vocabulary holds every indexed word. A sync commits its passages, then the vocabulary of
    /// the segments that commit added; a process killed between the two leaves this false, and the next sync
    /// builds the vocabulary of every segment again (words only, no re-indexing).
    #[serde(default)]
    vocabulary: bool,
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
    /// The project language the index was built for (documents without a language of their own follow it); an
    /// index of another language is rebuilt.
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

fn register(index: &Index) {
    index
        .tokenizers()
        .register(analyzer::WORDS, analyzer::words_analyzer());
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
        register(&index);
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
        register(&index);
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
        if wanted == self.manifest.documents && self.manifest.vocabulary {
            return Ok(0);
        }
        let mut writer = self.writer()?;
        // Holding the writer, take the manifest of the latest commit: another process may have synced since.
        if let Some(latest) = read_manifest(&self.index) {
            self.manifest = latest;
            if wanted == self.manifest.documents && self.manifest.vocabulary {
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
        // The segments whose words the vocabulary holds: all of them, unless a sync was cut off between its
        // two commits.
        let covered: BTreeSet<SegmentId> = if self.manifest.vocabulary {
            self.index.searchable_segment_ids()?.into_iter().collect()
        } else {
            BTreeSet::new()
        };
        for doc in &fresh {
            self.add_document(&writer, project, doc)?;
        }
        let count = fresh.len();
        self.manifest.documents = wanted;
        if fresh.is_empty() && self.manifest.vocabulary {
            self.commit(writer)?;
            return Ok(count);
        }
        // First the passages, then the vocabulary of the segments they went into.
        self.manifest.vocabulary = false;
        self.commit_payload(&mut writer)?;
        self.add_vocabulary(&writer, &covered)?;
        self.manifest.vocabulary = true;
        self.commit(writer)?;
        Ok(count)
    }

    /// Adds vocabulary entries for the words of every segment not in `covered`: each word's stem in its
    /// field's language, where it differs from the word. A word's stem depends on nothing but the word, so an
    /// entry stays true after the passages that brought it are gone.
    fn add_vocabulary(&self, writer: &IndexWriter, covered: &BTreeSet<SegmentId>) -> Result<()> {
        self.reader.reload()?;
        let searcher = self.reader.searcher();
        for language in Fields::FAMILIES {
            let stemmer = analyzer::WordStemmer::new(language);
            let mut seen: rustc_hash::FxHashSet<Vec<u8>> = Default::default();
            let mut terms: BTreeSet<String> = BTreeSet::new();
            for segment in searcher.segment_readers() {
                if covered.contains(&segment.segment_id()) {
                    continue;
                }
                let inverted = segment.inverted_index(self.fields.text_of(language))?;
                let mut stream = inverted
                    .terms()
                    .stream()
                    .map_err(tantivy::TantivyError::from)?;
                while let Some((key, _)) = stream.next() {
                    if !seen.insert(key.to_vec()) {
                        continue;
                    }
                    let Ok(word) = std::str::from_utf8(key) else {
                        continue;
                    };
                    let stem = stemmer.stem(word);
                    if stem != word {
                        terms.insert(format!("{stem}{STEM_SEPARATOR}{word}"));
                    }
                }
            }
            let terms: Vec<String> = terms.into_iter().collect();
            for chunk in terms.chunks(VOCABULARY_PER_ENTRY) {
                let mut entry = TantivyDocument::new();
                entry.add_text(self.fields.kind, VOCABULARY_KIND);
                for term in chunk {
                    entry.add_text(self.fields.vocabulary_of(language), term);
                }
                writer.add_document(entry)?;
            }
        }
        Ok(())
    }

    /// The words of `language`'s passages whose stem (in that language) is `stem`, the stem itself not
    /// included.
    pub fn forms(
        &self,
        searcher: &tantivy::Searcher,
        language: Language,
        stem: &str,
    ) -> Result<BTreeSet<String>> {
        let low = format!("{stem}{STEM_SEPARATOR}");
        let high = format!("{stem}\u{2}");
        let mut out = BTreeSet::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(self.fields.vocabulary_of(language))?;
            let mut stream = inverted
                .terms()
                .range()
                .ge(low.as_bytes())
                .lt(high.as_bytes())
                .into_stream()
                .map_err(tantivy::TantivyError::from)?;
            while let Some((key, _)) = stream.next() {
                if let Some(word) = std::str::from_utf8(key)
                    .ok()
                    .and_then(|t| t.strip_prefix(low.as_str()))
                {
                    out.insert(word.to_string());
                }
            }
        }
        Ok(out)
    }

    /// Drops everything and indexes the project again.
    pub fn rebuild(&mut self, project: &Project) -> Result<usize> {
        let writer = self.writer()?;
        writer.delete_all_documents()?;
        self.manifest.documents.clear();
        self.manifest.vocabulary = true;
        self.commit(writer)?;
        self.sync(project)
    }

    /// Commits with the manifest as the commit's payload: the index and the record of what it holds change
    /// together or not at all.
    fn commit_payload(&mut self, writer: &mut IndexWriter) -> Result<()> {
        let payload = manifest_text(&self.manifest)?;
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        Ok(())
    }

    /// Commits (see [`SearchIndex::commit_payload`]), bounds the segments and reloads the reader.
    fn commit(&mut self, mut writer: IndexWriter) -> Result<()> {
        self.commit_payload(&mut writer)?;
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

    fn add_document(&self, writer: &IndexWriter, project: &Project, doc: &Document) -> Result<()> {
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
        // Words are stemmed by their language, so each language family has its own text field.
        let text_field = f.text_of(project.document_language(doc));
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
            entry.add_text(text_field, &text[bytes]);
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

    /// Number of indexed units (passages; vocabulary entries not counted).
    pub fn unit_count(&self) -> u64 {
        let searcher = self.reader.searcher();
        let vocabulary = searcher
            .doc_freq(&Term::from_field_text(self.fields.kind, VOCABULARY_KIND))
            .unwrap_or(0);
        searcher.num_docs().saturating_sub(vocabulary)
    }

    /// Every passage of the index (not the vocabulary entries): what a query of only `NOT …` subtracts from.
    pub fn all_units(&self) -> Box<dyn tantivy::query::Query> {
        use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, TermQuery};
        let vocabulary = TermQuery::new(
            Term::from_field_text(self.fields.kind, VOCABULARY_KIND),
            IndexRecordOption::Basic,
        );
        Box::new(BooleanQuery::new(vec![
            (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
            (Occur::MustNot, Box::new(vocabulary)),
        ]))
    }
}

/// The language whose stemmer stands for `language`'s (bokmål and nynorsk share the Norwegian one).
pub fn family(language: Language) -> Language {
    match language {
        Language::Nn => Language::Nb,
        other => other,
    }
}

/// Brings the index in `dir` up to date with `project` after documents changed (an import), so the project is
/// searchable at once. When another process is writing the index, that process finishes it.
pub fn update(dir: &Path, project: &Project) -> Result<()> {
    let synced = SearchIndex::open_or_create(dir, project.meta().language)
        .and_then(|mut index| index.sync(project));
    match synced {
        Ok(_) | Err(Error::IndexBusy { .. }) => Ok(()),
        Err(error) => Err(error),
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
        vocabulary: true,
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

    fn project() -> Project {
        let mut p = Project::new("Studie", Language::Nb);
        for (name, text) in [
            ("a", "Rektor: Vi mangler ressurser på skolen.\n"),
            ("b", "Rektor: Skulen manglar ressursar.\n"),
        ] {
            let entry = crate::import::document_from_text(name, name, text, None);
            p.apply(crate::edit::Edit::Put(crate::edit::Entity::Document(
                Box::new(entry),
            )))
            .expect("document");
        }
        p
    }

    fn total(index: &SearchIndex, p: &Project, q: &str) -> usize {
        crate::query::search(index, p, q, None)
            .expect("search")
            .total
    }

    /// A process killed between a sync's two commits leaves passages whose words the vocabulary lacks: the next
    /// sync adds them without indexing any document again.
    #[test]
    fn a_vocabulary_cut_off_is_completed_by_the_next_sync() {
        let p = project();
        let mut index = SearchIndex::in_memory(Language::Nb).expect("index");
        index.manifest.vocabulary = true;
        let mut writer = index.writer().expect("writer");
        for doc in p.documents().values() {
            index.add_document(&writer, &p, doc).expect("add");
        }
        index.manifest.documents = p
            .documents()
            .values()
            .map(|d| (d.id, fingerprint(&p, d)))
            .collect();
        index.manifest.vocabulary = false;
        index.commit_payload(&mut writer).expect("first commit");
        drop(writer);
        index.reader.reload().expect("reload");
        // Only the forms themselves are found while the vocabulary is missing.
        assert_eq!(total(&index, &p, "ressursene"), 0);
        assert_eq!(total(&index, &p, "=ressurser"), 1);

        assert_eq!(index.sync(&p).expect("sync"), 0, "nothing indexed again");
        assert!(index.manifest.vocabulary);
        assert_eq!(read_manifest(&index.index), Some(index.manifest.clone()));
        assert_eq!(total(&index, &p, "ressursene"), 2);
        assert_eq!(total(&index, &p, "manglar"), 2);
        assert_eq!(index.unit_count(), 2);
        // And a sync with nothing to do adds nothing more.
        let docs = index.reader.searcher().num_docs();
        assert_eq!(index.sync(&p).expect("sync"), 0);
        assert_eq!(index.reader.searcher().num_docs(), docs);
    }

    /// A writer never starts merges whose result its drop would throw away.
    #[test]
    fn writers_do_not_start_merges() {
        let index = SearchIndex::in_memory(Language::Nb).expect("index");
        let writer = index.writer().expect("writer");
        assert!(format!("{:?}", writer.get_merge_policy()).contains("NoMergePolicy"));
    }
}
