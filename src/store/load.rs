//! Reading a project folder: the format version, every file, and every reference between them.
//!
//! Nothing is ever dropped or rewritten silently: a duplicated id, a dangling reference or a range outside
//! its text is refused with the file, the line and what to do.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::fs;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use super::fingerprint::Fingerprint;
use super::{
    CASES_FILE, CODEBOOK_FILE, CODINGS_DIR, CasesFile, CodebookFile, CodingsFile, DOCUMENTS_FILE,
    DocumentsFile, Layout, MEMOS_FILE, META_FILE, MemosFile, SETS_FILE, SetsFile, from_ron,
    read_text,
};
use crate::error::{Error, Result};
use crate::model::{FORMAT_VERSION, MemoTarget, Project, ProjectMeta, ProjectParts};

/// Reads a project folder, checking the format version and every reference between files.
///
/// This is the read-only path (CLI commands that only read, a merge's other copy): it skips the fingerprint,
/// which only guards the undo history, and hashing the files would cost a pass over every byte read.
pub fn load(root: &Path) -> Result<Project> {
    load_recording(root, None).map(|(project, _)| project)
}

/// Like [`load`], also returning the fingerprint of the files read (for the undo history).
pub fn load_with_fingerprint(root: &Path) -> Result<(Project, Fingerprint)> {
    let (project, fingerprint) = load_recording(root, Some(Fingerprint::default()))?;
    Ok((project, fingerprint.unwrap_or_default()))
}

fn load_recording(
    root: &Path,
    fingerprint: Option<Fingerprint>,
) -> Result<(Project, Option<Fingerprint>)> {
    let layout = Layout::new(root);
    let mut recorder = Recorder { root, fingerprint };
    let fp = &mut recorder;
    let meta = read_meta(&layout, fp)?;
    let mut parts = ProjectParts::default();
    read_documents(&layout, &mut parts, fp)?;
    read_codebook(&layout, &mut parts, fp)?;
    read_cases(&layout, &mut parts, fp)?;
    read_sets(&layout, &mut parts, fp)?;
    read_codings(&layout, &mut parts, fp)?;
    read_memos(&layout, &mut parts, fp)?;
    Ok((Project::from_parts(meta, parts), recorder.fingerprint))
}

/// The fingerprint of the files as they are read, when one is wanted.
struct Recorder<'a> {
    root: &'a Path,
    fingerprint: Option<Fingerprint>,
}

impl Recorder<'_> {
    /// Records the bytes of a file read.
    fn record(&mut self, path: &Path, bytes: &[u8]) {
        if let Some(fingerprint) = &mut self.fingerprint {
            fingerprint.record(self.root, path, bytes);
        }
    }
}

/// A file's text and its parsed content (the text is kept to name the line of a problem).
struct Read<T> {
    path: PathBuf,
    text: String,
    value: T,
}

impl<T> Read<T> {
    /// A refusal naming the line where `id` occurs for the `nth` time (0-based) in this file.
    fn refuse(&self, id: &str, nth: usize, message: String) -> Error {
        match line_of(&self.text, id, nth) {
            Some(line) => Error::Parse {
                path: self.path.clone(),
                line,
                column: 1,
                message,
            },
            None => Error::invalid(&self.path, message),
        }
    }
}

fn read_file<T: DeserializeOwned>(
    fingerprint: &mut Recorder,
    path: PathBuf,
    empty: impl FnOnce() -> T,
) -> Result<Read<T>> {
    if !path.exists() {
        return Ok(Read {
            path,
            text: String::new(),
            value: empty(),
        });
    }
    let text = read_text(&path)?;
    fingerprint.record(&path, text.as_bytes());
    let value = from_ron(&path, &text)?;
    Ok(Read { path, text, value })
}

/// The 1-based line of the `nth` occurrence of `needle`.
fn line_of(text: &str, needle: &str, nth: usize) -> Option<usize> {
    let (at, _) = text.match_indices(needle).nth(nth)?;
    Some(text[..at].matches('\n').count() + 1)
}

/// Inserts an entity by id; a second entity with the same id is refused, naming both lines.
fn insert_unique<K: Ord + ToString + Copy, V, T>(
    map: &mut BTreeMap<K, V>,
    id: K,
    value: V,
    file: &Read<T>,
    kind: &str,
) -> Result<()> {
    match map.entry(id) {
        Entry::Vacant(slot) => {
            slot.insert(value);
            Ok(())
        }
        Entry::Occupied(_) => {
            let id = id.to_string();
            let first = line_of(&file.text, &id, 0).unwrap_or(0);
            Err(file.refuse(
                &id,
                1,
                format!(
                    "{kind} {id} appears twice (first on line {first}); remove or re-number one copy \
                     (a copy made by hand or by a merge)"
                ),
            ))
        }
    }
}

fn read_meta(layout: &Layout, fingerprint: &mut Recorder) -> Result<ProjectMeta> {
    let path = layout.file(META_FILE);
    if !path.is_file() {
        return Err(Error::invalid(
            &layout.root,
            "not a Marginalia project (no marginalia.ron); create one with `marginalia new`",
        ));
    }
    let text = read_text(&path)?;
    fingerprint.record(&path, text.as_bytes());
    let meta: ProjectMeta = from_ron(&path, &text)?;
    if meta.format_version > FORMAT_VERSION {
        return Err(Error::invalid(
            &path,
            format!(
                "made by a newer Marginalia (format {}; this version reads up to {FORMAT_VERSION}); please update",
                meta.format_version
            ),
        ));
    }
    Ok(meta)
}

fn read_documents(layout: &Layout, parts: &mut ProjectParts, fp: &mut Recorder) -> Result<()> {
    let path = layout.file(DOCUMENTS_FILE);
    if !path.exists() {
        parts.texts = crate::model::Texts::lazy(&layout.root.join(super::SOURCES_DIR), []);
        return Ok(());
    }
    // The usual case: a file as `store` writes it, sorted by id, read block by block (the 30 MB of a
    // 35,000-document project are never all in memory at once) and the map built in one pass.
    let streamed = documents_streamed(&path, fp.fingerprint.is_some(), BLOCK)?
        .filter(|(documents, _)| documents.windows(2).all(|pair| pair[0].id < pair[1].id));
    if let Some((documents, hash)) = streamed {
        if let (Some(fingerprint), Some(hash)) = (&mut fp.fingerprint, hash) {
            fingerprint.record_hash(&layout.root, &path, hash);
        }
        parts.documents = documents.into_iter().map(|doc| (doc.id, doc)).collect();
    } else {
        // Anything else (edited by hand, merged, damaged): the whole text, so a problem is named by its line.
        let text = read_text(&path)?;
        fp.record(&path, text.as_bytes());
        let documents = match documents_by_line(&text) {
            Some(documents) => documents,
            None => from_ron::<DocumentsFile>(&path, &text)?.documents,
        };
        let file = Read {
            path,
            text,
            value: (),
        };
        // Moved, not cloned: a 35,000-document project holds about 900,000 paragraph and turn ranges.
        for doc in documents {
            insert_unique(&mut parts.documents, doc.id, doc, &file, "document")?;
        }
    }
    // Texts are read on first use (a 35,000-document project opens without reading 400 MB); a text whose
    // file is missing or changed reads as empty and is reported naming the file.
    parts.texts = crate::model::Texts::lazy(
        &layout.root.join(super::SOURCES_DIR),
        parts.documents.values().map(|d| (d.id, d.char_len)),
    );
    Ok(())
}

/// How much of `documents.ron` is read and parsed at a time.
const BLOCK: usize = 4 << 20;

/// The documents of a `documents.ron` exactly as `store` writes it, read `block` bytes at a time, each block's lines
/// parsed on all cores (and hashed for the fingerprint, when `hash`, on one of them). `None` when the file is
/// laid out otherwise, a line does not parse on its own or the file is not UTF-8: the caller then reads the
/// whole text, which names the line of a problem.
fn documents_streamed(
    path: &Path,
    hash: bool,
    block: usize,
) -> Result<Option<(Vec<crate::model::Document>, Option<u64>)>> {
    use std::io::Read as _;
    let mut file = fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut buffer: Vec<u8> = Vec::with_capacity(block);
    let mut documents = Vec::new();
    let mut fnv = crate::model::FNV1A_START;
    // Lines seen so far, and whether the closing `  ],` and `)` were.
    let mut lines = 0usize;
    let mut closed = 0u8;
    loop {
        let read = (&mut file)
            .take(block as u64)
            .read_to_end(&mut buffer)
            .map_err(|e| Error::io(path, e))?;
        if read == 0 {
            // The file must end with the newline after `)`.
            return Ok((buffer.is_empty() && closed == 2).then(|| (documents, hash.then_some(fnv))));
        }
        let Some(last) = buffer.iter().rposition(|b| *b == b'\n') else {
            continue;
        };
        let Ok(complete) = std::str::from_utf8(&buffer[..=last]) else {
            return Ok(None);
        };
        let mut body = Vec::new();
        for line in complete.lines() {
            match (lines, closed, line) {
                (0, _, "(") | (1, _, "  documents: [") => {}
                (0 | 1, _, _) => return Ok(None),
                (_, 0, "  ],") => closed = 1,
                (_, 0, _) => body.push(line),
                (_, 1, ")") => closed = 2,
                _ => return Ok(None),
            }
            lines += 1;
        }
        let (hashed, parsed) = if hash {
            rayon::join(
                || crate::model::fnv1a_extend(fnv, complete.as_bytes()),
                || parse_lines(&body),
            )
        } else {
            (fnv, parse_lines(&body))
        };
        let Some(parsed) = parsed else {
            return Ok(None);
        };
        fnv = hashed;
        documents.extend(parsed);
        buffer.drain(..=last);
    }
}

/// The documents of a `documents.ron` laid out as `store` writes it (one document per line), parsed line by
/// line on all cores: the file of a 35,000-document project is tens of megabytes of RON. Each line is read
/// directly when it is exactly in the layout `store` writes, in either range form ([`super::line`]), else by
/// RON (ranges read as tuples first, then in either form). `None` when the file is
/// laid out otherwise (edited by hand, merged) or a line does not parse on its own; the whole-file parse then
/// reads it, or names the line and column of the problem.
fn documents_by_line(text: &str) -> Option<Vec<crate::model::Document>> {
    let body = text.strip_prefix("(\n  documents: [\n")?;
    let body = body.strip_suffix("  ],\n)\n")?;
    let lines: Vec<&str> = body.lines().collect();
    parse_lines(&lines)
}

/// Document lines as `store` writes them (indented, with a trailing comma), parsed on all cores; `None` when
/// one does not parse on its own.
fn parse_lines(lines: &[&str]) -> Option<Vec<crate::model::Document>> {
    use rayon::prelude::*;
    lines
        .par_iter()
        .with_min_len(256)
        .map_init(super::line::Scratch::default, |scratch, line| {
            let line = line.strip_prefix("    ")?.strip_suffix(',')?;
            if let Some(document) = super::line::document(line, scratch) {
                return Some(document);
            }
            // A line saved before ranges were tuples is read in either form at once.
            if !line.contains("(start: ")
                && let Ok(document) =
                    crate::model::document::compact::tuples_only(|| ron::de::from_str(line))
            {
                return Some(document);
            }
            ron::de::from_str(line).ok()
        })
        .collect()
}

fn read_codebook(layout: &Layout, parts: &mut ProjectParts, fp: &mut Recorder) -> Result<()> {
    let file: Read<CodebookFile> = read_file(fp, layout.file(CODEBOOK_FILE), || CodebookFile {
        codes: Vec::new(),
    })?;
    for code in &file.value.codes {
        insert_unique(&mut parts.codes, code.id, code.clone(), &file, "code")?;
    }
    for code in &file.value.codes {
        if let Some(parent) = code.parent.filter(|p| !parts.codes.contains_key(p)) {
            return Err(file.refuse(
                &code.id.to_string(),
                0,
                format!("code '{}' has a missing parent {parent}", code.name),
            ));
        }
        if code.parent.is_some() && has_cycle(&parts.codes, code.id) {
            return Err(file.refuse(
                &code.id.to_string(),
                0,
                format!("code '{}' is its own ancestor", code.name),
            ));
        }
    }
    Ok(())
}

/// True when following `parent` links from `start` comes back to it.
fn has_cycle(
    codes: &BTreeMap<crate::ids::CodeId, crate::model::Code>,
    start: crate::ids::CodeId,
) -> bool {
    let mut current = codes.get(&start).and_then(|c| c.parent);
    for _ in 0..=codes.len() {
        match current {
            None => return false,
            Some(id) if id == start => return true,
            Some(id) => current = codes.get(&id).and_then(|c| c.parent),
        }
    }
    true
}

fn read_cases(layout: &Layout, parts: &mut ProjectParts, fp: &mut Recorder) -> Result<()> {
    let file: Read<CasesFile> = read_file(fp, layout.file(CASES_FILE), || CasesFile {
        attributes: Vec::new(),
        cases: Vec::new(),
    })?;
    for def in &file.value.attributes {
        if parts
            .attributes
            .insert(def.name.clone(), def.clone())
            .is_some()
        {
            return Err(file.refuse(
                &format!("\"{}\"", def.name),
                1,
                format!(
                    "attribute '{}' is defined twice; remove one definition",
                    def.name
                ),
            ));
        }
    }
    for case in &file.value.cases {
        let member = Member::new("case", &case.name, case.id.to_string());
        documents_exist(parts, &file, &member, &case.documents)?;
        insert_unique(&mut parts.cases, case.id, case.clone(), &file, "case")?;
    }
    Ok(())
}

/// A case or set being read, for naming it in a refusal.
struct Member<'a> {
    kind: &'static str,
    name: &'a str,
    id: String,
}

impl<'a> Member<'a> {
    fn new(kind: &'static str, name: &'a str, id: String) -> Self {
        Self { kind, name, id }
    }
}

/// Refuses a case or set that lists a document the project does not have.
fn documents_exist<T>(
    parts: &ProjectParts,
    file: &Read<T>,
    member: &Member,
    documents: &std::collections::BTreeSet<crate::ids::DocumentId>,
) -> Result<()> {
    match documents.iter().find(|d| !parts.documents.contains_key(d)) {
        Some(doc) => Err(file.refuse(
            &member.id,
            0,
            format!(
                "{} '{}' refers to a missing document {doc}",
                member.kind, member.name
            ),
        )),
        None => Ok(()),
    }
}

fn read_sets(layout: &Layout, parts: &mut ProjectParts, fp: &mut Recorder) -> Result<()> {
    let file: Read<SetsFile> =
        read_file(fp, layout.file(SETS_FILE), || SetsFile { sets: Vec::new() })?;
    for set in &file.value.sets {
        let member = Member::new("set", &set.name, set.id.to_string());
        documents_exist(parts, &file, &member, &set.documents)?;
        insert_unique(&mut parts.sets, set.id, set.clone(), &file, "set")?;
    }
    Ok(())
}

fn read_codings(layout: &Layout, parts: &mut ProjectParts, fp: &mut Recorder) -> Result<()> {
    let dir = layout.root.join(CODINGS_DIR);
    if !dir.is_dir() {
        return Ok(());
    }
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .map_err(|e| Error::io(&dir, e))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    files.sort();
    // Which file each coding came from, to name both files of a duplicate.
    let mut origin: BTreeMap<crate::ids::CodingId, PathBuf> = BTreeMap::new();
    for path in files {
        let file: Read<CodingsFile> = read_file(fp, path, || CodingsFile {
            coder: crate::model::Coder {
                id: crate::ids::CoderId::new(),
                name: String::new(),
                colour: None,
            },
            codings: Vec::new(),
        })?;
        let coder = file.value.coder.id;
        if parts
            .coders
            .insert(coder, file.value.coder.clone())
            .is_some()
        {
            return Err(file.refuse(
                &coder.to_string(),
                0,
                format!("coder {coder} appears in two files; merge the two files into one"),
            ));
        }
        for coding in &file.value.codings {
            if let Some(problem) = coding_problem(parts, coding, coder) {
                return Err(file.refuse(
                    &coding.id.to_string(),
                    0,
                    format!("coding {} {problem}", coding.id),
                ));
            }
            if let Some(first) = origin.get(&coding.id) {
                let message = format!(
                    "coding {} appears twice (also in {}); remove one copy",
                    coding.id,
                    first.display()
                );
                let nth = usize::from(first == &file.path);
                return Err(file.refuse(&coding.id.to_string(), nth, message));
            }
            origin.insert(coding.id, file.path.clone());
            parts.codings.insert(coding.id, coding.clone());
        }
    }
    Ok(())
}

/// What is wrong with a coding read from `coder`'s file, if anything.
fn coding_problem(
    parts: &ProjectParts,
    coding: &crate::model::Coding,
    coder: crate::ids::CoderId,
) -> Option<String> {
    if coding.coder != coder {
        return Some("belongs to another coder".to_string());
    }
    if !parts.codes.contains_key(&coding.code) {
        return Some(format!("refers to a missing code {}", coding.code));
    }
    match parts.documents.get(&coding.document) {
        Some(doc) => (coding.range.is_empty() || coding.range.end > doc.char_len).then(|| {
            format!(
                "range {} lies outside '{}' (0..{})",
                coding.range, doc.name, doc.char_len
            )
        }),
        None => Some(format!("refers to a missing document {}", coding.document)),
    }
}

fn read_memos(layout: &Layout, parts: &mut ProjectParts, fp: &mut Recorder) -> Result<()> {
    let file: Read<MemosFile> = read_file(fp, layout.file(MEMOS_FILE), || MemosFile {
        memos: Vec::new(),
    })?;
    for memo in &file.value.memos {
        let exists = match memo.target {
            MemoTarget::Project => true,
            MemoTarget::Document(id) => parts.documents.contains_key(&id),
            MemoTarget::Code(id) => parts.codes.contains_key(&id),
            MemoTarget::Coding(id) => parts.codings.contains_key(&id),
            MemoTarget::Case(id) => parts.cases.contains_key(&id),
        };
        if !exists {
            return Err(file.refuse(
                &memo.id.to_string(),
                0,
                format!(
                    "memo '{}' is attached to something that does not exist ({:?})",
                    memo.title, memo.target
                ),
            ));
        }
        if let Some(author) = memo.author.filter(|a| !parts.coders.contains_key(a)) {
            return Err(file.refuse(
                &memo.id.to_string(),
                0,
                format!("memo '{}' names a missing author {author}", memo.title),
            ));
        }
        insert_unique(&mut parts.memos, memo.id, memo.clone(), &file, "memo")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Document;

    fn documents() -> Vec<Document> {
        let line = r#"(id:"00000000-0000-4000-8000-00000000000N",name:"intervju_rektor_N",original_file:"intervju_rektor_N.txt",imported:"2022-03-14T12:00:00Z",kind:interview,char_len:60,text_hash:"0",paragraphs:[(start:0,end:10),(start:12,end:60)],turns:[(speaker:"Intervjuar",timestamp:Some("00:05:15"),range:(start:12,end:60),content_start:24)],language:Some(nn))"#;
        (1..=3)
            .map(|n| ron::from_str(&line.replace('N', &n.to_string())).expect("document"))
            .collect()
    }

    #[test]
    fn documents_written_by_store_parse_line_by_line_in_the_new_and_the_old_range_form() {
        let docs = documents();
        let text = super::super::to_ron(&DocumentsFile {
            documents: docs.clone(),
        })
        .expect("ron");
        assert!(text.contains("paragraphs: [(0, 10), (12, 60)]"), "{text}");
        assert_eq!(documents_by_line(&text), Some(docs.clone()));
        let first = text.lines().nth(2).expect("line").trim_start();
        let first = first.strip_suffix(',').expect("comma");
        assert_eq!(
            super::super::line::document(first, &mut Default::default()).as_ref(),
            docs.first()
        );
        // A name that looks like the fields, and a document without paragraphs.
        let mut odd = docs.clone();
        odd[1].name = r#"Notat "text_hash: "1", paragraphs: [(1, 2)]"#.to_string();
        odd[2].paragraphs.clear();
        let odd_text = super::super::to_ron(&DocumentsFile {
            documents: odd.clone(),
        })
        .expect("ron");
        assert_eq!(documents_by_line(&odd_text), Some(odd));
        let line = text
            .lines()
            .nth(2)
            .and_then(|l| l.trim().strip_suffix(','))
            .expect("line");
        let fast = crate::model::document::compact::tuples_only(|| ron::from_str::<Document>(line));
        assert_eq!(fast.ok().as_ref(), docs.first());
        // A project saved before ranges were tuples.
        let old = text
            .replace("(0, 10)", "(start: 0, end: 10)")
            .replace("(12, 60)", "(start: 12, end: 60)");
        assert!(old.contains("range: (start: 12, end: 60)"), "{old}");
        assert_eq!(documents_by_line(&old), Some(docs.clone()));
        let whole: DocumentsFile = from_ron(Path::new("documents.ron"), &old).expect("whole file");
        assert_eq!(whole.documents, docs);
    }

    #[test]
    fn documents_are_read_block_by_block_whatever_the_block_size() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("documents.ron");
        let mut docs = documents();
        docs[1].name = "Kommuneplan for Bømlo – «utkast»".into();
        let text = super::super::to_ron(&DocumentsFile {
            documents: docs.clone(),
        })
        .expect("ron");
        fs::write(&path, &text).expect("write");
        // Blocks that end inside a line, inside a multi-byte character, and hold the whole file.
        for block in [1, 7, 100, 1 << 20] {
            let read = documents_streamed(&path, true, block).expect("read");
            assert_eq!(
                read,
                Some((docs.clone(), Some(crate::model::fnv1a(text.as_bytes())))),
                "{block}"
            );
            let read = documents_streamed(&path, false, block).expect("read");
            assert_eq!(read, Some((docs.clone(), None)), "{block}");
        }
        // Laid out otherwise, cut short, or with a line that does not parse: left to the whole-file parse.
        let odd = [
            ron::to_string(&DocumentsFile {
                documents: docs.clone(),
            })
            .expect("ron"),
            text[..text.len() - 1].to_string(),
            text.replacen("kind: interview", "kind: intervju", 1),
            text.replace("  ],\n)\n", "  ],\n)\n)\n"),
            format!("{text}\n"),
        ];
        for odd in odd {
            fs::write(&path, &odd).expect("write");
            assert_eq!(
                documents_streamed(&path, true, 64).expect("read"),
                None,
                "{odd}"
            );
        }
        fs::write(&path, b"(\n  documents: [\n    (\xFF),\n  ],\n)\n").expect("write");
        assert_eq!(documents_streamed(&path, false, 64).expect("read"), None);
    }

    #[test]
    fn documents_laid_out_otherwise_fall_back_to_the_whole_file_parse() {
        let docs = documents();
        let compact = ron::to_string(&DocumentsFile {
            documents: docs.clone(),
        })
        .expect("ron");
        assert_eq!(documents_by_line(&compact), None);
        let whole: DocumentsFile = from_ron(Path::new("documents.ron"), &compact).expect("whole");
        assert_eq!(whole.documents, docs);
        // A line broken by hand: the fast path gives up, the whole-file parse names the line.
        let text = super::super::to_ron(&DocumentsFile { documents: docs }).expect("ron");
        let broken = text.replacen("kind: interview", "kind: intervju", 2);
        assert_eq!(documents_by_line(&broken), None);
        match from_ron::<DocumentsFile>(Path::new("documents.ron"), &broken) {
            Err(Error::Parse { line, .. }) => assert_eq!(line, 3),
            other => panic!("expected a parse error, got {:?}", other.map(|_| ())),
        }
    }
}
