//! The tantivy search index: one index document per speaker turn or paragraph, kept in `.index/` as derived
//! data and brought up to date with the project (missing, stale or old-schema indexes are rebuilt).

pub mod analyzer;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::error::{Error, Result};
use crate::ids::DocumentId;
use crate::model::{Document, Language, Project, fnv1a};
use crate::offsets::OffsetMap;

/// Bumped whenever the schema or analysis changes; an index of another version is rebuilt.
pub const SCHEMA_VERSION: u32 = 2;
const MANIFEST: &str = "marginalia-index.ron";
const WRITER_MEMORY: usize = 256 * 1024 * 1024;

/// The fields of the index.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    /// Document GUID (filters, deletes).
    pub doc: Field,
    /// Document GUID as two u64 fast fields (hit → document without touching the doc store).
    pub doc_hi: Field,
    pub doc_lo: Field,
    /// Unit range in code points.
    pub start: Field,
    pub end: Field,
    /// Unit range in bytes of the document text (slicing a hit without scanning the text).
    pub byte_start: Field,
    pub byte_end: Field,
    /// `GUID#start`: the unit key used by `code:` filters.
    pub unit: Field,
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
        unit: builder.add_text_field("unit", STRING),
        speaker: builder.add_text_field("speaker", STRING),
        cases: builder.add_text_field("cases", STRING),
        kind: builder.add_text_field("kind", STRING),
        text: builder.add_text_field(
            "text",
            text_options(analyzer::STEMMED, IndexRecordOption::WithFreqsAndPositions),
        ),
        raw: builder.add_text_field(
            "raw",
            text_options(analyzer::RAW, IndexRecordOption::WithFreqs),
        ),
    };
    (builder.build(), fields)
}

/// The key of a unit in the `unit` field.
pub fn unit_key(document: DocumentId, start: usize) -> String {
    format!("{document}#{start}")
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
        "{}|{}|{}",
        doc.text_hash,
        doc.kind.keyword(),
        doc.turns.len()
    );
    for case in project.cases_of(doc.id) {
        key.push('|');
        key.push_str(&case.id.to_string());
    }
    format!("{:016x}", fnv1a(key.as_bytes()))
}

/// An open search index.
pub struct SearchIndex {
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
    pub language: Language,
    dir: Option<PathBuf>,
    manifest: Manifest,
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
        })
    }

    /// Opens the index in `dir`, or creates it afresh when it is missing, unreadable or of another version.
    pub fn open_or_create(dir: &Path, language: Language) -> Result<Self> {
        let (schema, fields) = schema();
        let manifest_path = dir.join(MANIFEST);
        let manifest: Option<Manifest> = std::fs::read_to_string(&manifest_path)
            .ok()
            .and_then(|t| ron::from_str(&t).ok());
        let usable = manifest
            .as_ref()
            .is_some_and(|m| m.schema_version == SCHEMA_VERSION && m.language == language);
        let opened = if usable {
            Index::open_in_dir(dir)
                .ok()
                .filter(|i| i.schema() == schema)
        } else {
            None
        };
        let (index, manifest) = match (opened, manifest) {
            (Some(index), Some(manifest)) => (index, manifest),
            _ => {
                if dir.exists() {
                    std::fs::remove_dir_all(dir).map_err(|e| Error::io(dir, e))?;
                }
                std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
                let index = Index::create_in_dir(dir, schema)?;
                (
                    index,
                    Manifest {
                        schema_version: SCHEMA_VERSION,
                        language,
                        documents: BTreeMap::new(),
                    },
                )
            }
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
        })
    }

    /// Opens the project's index and brings it up to date. When another process holds the index writer, an
    /// in-memory index is built instead, so reading never waits or fails.
    pub fn for_project(dir: &Path, project: &Project) -> Result<Self> {
        let mut index = Self::open_or_create(dir, project.meta().language)?;
        match index.sync(project) {
            Ok(_) => Ok(index),
            Err(Error::IndexBusy { .. }) => {
                let mut memory = Self::in_memory(project.meta().language)?;
                memory.sync(project)?;
                Ok(memory)
            }
            Err(other) => Err(other),
        }
    }

    fn writer(&self) -> Result<IndexWriter> {
        let threads = std::thread::available_parallelism()
            .map(|n| n.get().clamp(1, 4))
            .unwrap_or(1);
        match self.index.writer_with_num_threads(threads, WRITER_MEMORY) {
            Ok(writer) => Ok(writer),
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
        let writer = self.writer()?;
        for id in &stale {
            writer.delete_term(Term::from_field_text(self.fields.doc, &id.to_string()));
        }
        for doc in &fresh {
            self.add_document(&writer, project, doc)?;
        }
        self.commit(writer)?;
        self.manifest.documents = wanted;
        self.write_manifest()?;
        Ok(fresh.len())
    }

    /// Drops everything and indexes the project again.
    pub fn rebuild(&mut self, project: &Project) -> Result<usize> {
        let writer = self.writer()?;
        writer.delete_all_documents()?;
        self.commit(writer)?;
        self.manifest.documents.clear();
        self.write_manifest()?;
        self.sync(project)
    }

    fn commit(&mut self, mut writer: IndexWriter) -> Result<()> {
        writer.commit()?;
        // Segment merges are an optimisation: dropping the writer stops them rather than making the caller wait.
        drop(writer);
        self.reader.reload()?;
        Ok(())
    }

    fn write_manifest(&self) -> Result<()> {
        let Some(dir) = &self.dir else { return Ok(()) };
        let path = dir.join(MANIFEST);
        let text =
            ron::to_string(&self.manifest).map_err(|e| Error::invalid(&path, e.to_string()))?;
        crate::store::write_atomic(&path, text.as_bytes())
    }

    fn add_document(&self, writer: &IndexWriter, project: &Project, doc: &Document) -> Result<()> {
        let text = project.text(doc.id);
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
            entry.add_text(f.unit, unit_key(doc.id, unit.range.start));
            entry.add_text(f.kind, doc.kind.keyword());
            for case in &cases {
                entry.add_text(f.cases, case);
            }
            if let Some(speaker) = unit.speaker {
                for key in speaker_keys(speaker) {
                    entry.add_text(f.speaker, key);
                }
            }
            entry.add_text(f.text, &text[bytes.clone()]);
            entry.add_text(f.raw, &text[bytes]);
            writer.add_document(entry)?;
        }
        Ok(())
    }

    /// Number of indexed units.
    pub fn unit_count(&self) -> u64 {
        self.reader.searcher().num_docs()
    }
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
