//! Import: reads source files (plain text, Markdown, Word, OpenDocument, PDF, HTML, RTF, captions) into
//! documents with paragraphs, pages and speaker turns; survey tables go through [`formats::survey`].

pub mod decode;
pub mod formats;
pub mod language;
pub mod markdown;
mod quiet;
pub mod structure;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::edit::{DocumentEntry, Edit, Entity};
use crate::error::{Error, Result};
use crate::ids::DocumentId;
use crate::model::{Document, DocumentKind, Language, Project, Turn, text_hash};
use crate::offsets::{CharRange, char_len};

/// File extensions `import` reads into documents.
pub const SUPPORTED_EXTENSIONS: &[&str] = &[
    "txt", "text", "md", "markdown", "docx", "odt", "pdf", "html", "htm", "rtf", "vtt", "srt",
];

/// Survey tables: they need column choices, so `import` points to `import-survey` for them.
pub const SURVEY_EXTENSIONS: &[&str] = formats::survey::EXTENSIONS;

/// A document's metadata for a text and its structure (the one place a [`Document`] is built at import).
pub(crate) fn new_document(
    name: &str,
    original_file: &str,
    text: &str,
    paragraphs: Vec<CharRange>,
    turns: Vec<Turn>,
    kind: DocumentKind,
) -> Document {
    Document {
        id: DocumentId::new(),
        name: name.to_string(),
        original_file: original_file.to_string(),
        imported: crate::now(),
        kind,
        char_len: char_len(text),
        text_hash: text_hash(text),
        paragraphs,
        turns,
        pages: Vec::new(),
        language: language::detect(text),
    }
}

/// Builds a document from already-decoded text (normalised here once more, to be safe).
pub fn document_from_text(
    name: &str,
    original_file: &str,
    text: &str,
    kind: Option<DocumentKind>,
) -> DocumentEntry {
    let text = decode::normalise(text);
    let structure::Structure { paragraphs, turns } = structure::structure(&text);
    let kind = kind.unwrap_or_else(|| guess_kind(name, !turns.is_empty()));
    let document = new_document(name, original_file, &text, paragraphs, turns, kind);
    DocumentEntry {
        document,
        text: Arc::from(text),
    }
}

/// Interviews have speaker turns; file names often say "observasjon" or "feltnotat".
pub(crate) fn guess_kind(name: &str, has_turns: bool) -> DocumentKind {
    let lower = name.to_lowercase();
    if ["observ", "feltnotat", "field note", "fieldnote"]
        .iter()
        .any(|w| lower.contains(w))
    {
        DocumentKind::Observation
    } else if has_turns || lower.contains("intervju") || lower.contains("interview") {
        DocumentKind::Interview
    } else {
        DocumentKind::Document
    }
}

/// Reads one file into a document, or explains in one sentence why it can't.
pub fn read_file(path: &Path, kind: Option<DocumentKind>) -> Result<DocumentEntry> {
    // Refuse unsupported types before reading the file.
    check_extension(path, &extension_of(path))?;
    let bytes = read_source(path)?;
    read_bytes(path, &bytes, kind)
}

/// Files larger than this are refused before they are read.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024 * 1024;

/// Reads a file to import. Only regular files: a named pipe, socket or device named `*.txt` would block the
/// import or never end, so it is refused from its metadata, without being opened (and checked again on the
/// opened handle, which is opened without blocking). Files over [`MAX_FILE_BYTES`] are refused unread.
pub fn read_source(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let metadata = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    check_regular(path, &metadata)?;
    let file = open_without_blocking(path).map_err(|e| Error::io(path, e))?;
    let metadata = file.metadata().map_err(|e| Error::io(path, e))?;
    check_regular(path, &metadata)?;
    if metadata.len() > MAX_FILE_BYTES {
        return Err(Error::Import {
            path: path.to_path_buf(),
            message: format!(
                "the file is {} MB, more than the {} MB this version imports; split it into smaller files",
                metadata.len().div_ceil(1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    file.take(MAX_FILE_BYTES)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    Ok(bytes)
}

#[cfg(unix)]
fn open_without_blocking(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_without_blocking(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// Refuses anything but a regular file, naming what it is.
fn check_regular(path: &Path, metadata: &std::fs::Metadata) -> Result<()> {
    let kind = metadata.file_type();
    if kind.is_file() {
        return Ok(());
    }
    let what = if kind.is_dir() {
        "a folder"
    } else {
        special_file_kind(&kind)
    };
    Err(Error::Import {
        path: path.to_path_buf(),
        message: format!("this is {what}, not a regular file; only regular files can be imported"),
    })
}

#[cfg(unix)]
fn special_file_kind(kind: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "a named pipe (FIFO)"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_block_device() || kind.is_char_device() {
        "a device"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_file_kind(_kind: &std::fs::FileType) -> &'static str {
    "a special file"
}

/// A file's (lower-case) extension; a name that is only a dot and an extension (`.txt`) has that extension.
pub fn extension_of(path: &Path) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy());
    let hidden_only = name
        .as_deref()
        .and_then(|n| n.strip_prefix('.'))
        .filter(|rest| !rest.is_empty() && !rest.contains('.'));
    path.extension()
        .map(|e| e.to_string_lossy().into_owned())
        .or_else(|| hidden_only.map(str::to_string))
        .map(|e| e.to_lowercase())
        .unwrap_or_default()
}

/// The document name for a file: its name without the extension, or, when that is blank (`.txt`, ` .txt`),
/// the whole file name; never blank.
pub fn document_name(path: &Path) -> String {
    let lossy = |s: &std::ffi::OsStr| s.to_string_lossy().trim().to_string();
    let stem = path.file_stem().map(lossy).unwrap_or_default();
    let original = path.file_name().map(lossy).unwrap_or_default();
    [stem, original]
        .into_iter()
        .find(|name| !name.is_empty())
        .unwrap_or_else(|| "Untitled document".to_string())
}

/// Reads a file's bytes into a document; `path` names the file (its extension picks the reader, its name
/// becomes the document's name and original file) and need not exist (embedded or downloaded files).
pub fn read_bytes(path: &Path, bytes: &[u8], kind: Option<DocumentKind>) -> Result<DocumentEntry> {
    let fail = |message: String| Error::Import {
        path: path.to_path_buf(),
        message,
    };
    let extension = extension_of(path);
    check_extension(path, &extension)?;
    let original = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = document_name(path);
    if formats::DOCUMENT_EXTENSIONS.contains(&extension.as_str()) {
        let extracted = formats::extract(&extension, bytes).map_err(|e| fail(e.to_string()))?;
        return formats::to_entry(&stem, &original, extracted, kind)
            .map_err(|e| fail(e.to_string()));
    }
    let (text, _encoding) = decode::decode(bytes).map_err(|e| fail(e.to_string()))?;
    let text = if matches!(extension.as_str(), "md" | "markdown") {
        markdown::to_text(&text)
    } else {
        text
    };
    if text.trim().is_empty() {
        return Err(fail("the file has no text".into()));
    }
    Ok(document_from_text(&stem, &original, &text, kind))
}

/// Survey tables and unsupported types are refused with what to do instead.
fn check_extension(path: &Path, extension: &str) -> Result<()> {
    let fail = |message: String| Error::Import {
        path: path.to_path_buf(),
        message,
    };
    if SURVEY_EXTENSIONS.contains(&extension) {
        return Err(fail(format!(
            "a survey table needs column choices; import it with `marginalia import-survey DIR '{}' --id COLUMN --text COLUMN…`",
            path.display()
        )));
    }
    if !SUPPORTED_EXTENSIONS.contains(&extension) {
        return Err(fail(format!(
            "unsupported file type '.{extension}'; this version imports {}",
            SUPPORTED_EXTENSIONS
                .iter()
                .map(|e| format!(".{e}"))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    Ok(())
}

/// Whether a folder import picks up this file (documents and survey tables; the latter are reported, with the
/// command that imports them).
fn is_importable(path: &Path) -> bool {
    let extension = extension_of(path);
    SUPPORTED_EXTENSIONS.contains(&extension.as_str())
        || SURVEY_EXTENSIONS.contains(&extension.as_str())
}

/// Survey tables are skipped by `import` (with a hint), not failed.
fn is_survey(path: &Path) -> bool {
    SURVEY_EXTENSIONS.contains(&extension_of(path).as_str())
}

/// Folders nested deeper than this inside an imported folder are not entered.
const MAX_FOLDER_DEPTH: usize = 64;

/// Expands folders (recursively, sorted) into the supported files inside them. A folder reached a second time
/// (a symbolic link back up the tree) is not entered again.
pub fn expand_paths(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut entered = HashSet::new();
    for path in paths {
        expand_into(path, 0, &mut entered, &mut out);
    }
    out
}

fn expand_into(path: &Path, depth: usize, entered: &mut HashSet<PathBuf>, out: &mut Vec<PathBuf>) {
    if !path.is_dir() {
        out.push(path.to_path_buf());
        return;
    }
    let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    if depth > MAX_FOLDER_DEPTH || !entered.insert(key) {
        return;
    }
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(path) {
        Ok(dir) => dir.flatten().map(|e| e.path()).collect(),
        Err(_) => {
            out.push(path.to_path_buf());
            return;
        }
    };
    entries.sort();
    let (dirs, files): (Vec<PathBuf>, Vec<PathBuf>) = entries.into_iter().partition(|p| p.is_dir());
    out.extend(files.into_iter().filter(|p| is_importable(p)));
    for dir in dirs {
        expand_into(&dir, depth + 1, entered, out);
    }
}

/// A name not yet used by a document in the project (`Name`, `Name (2)`, …).
pub fn unique_name(taken: &HashSet<String>, base: &str) -> String {
    if !taken.contains(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base} ({n})"))
        .find(|name| !taken.contains(name))
        .unwrap_or_else(|| base.to_string())
}

/// Free document names for an import of many files: like [`unique_name`] for each, but each base remembers how
/// far its numbering got, so many files of one name cost linear, not quadratic, time.
pub(crate) struct FreeNames {
    taken: HashSet<String>,
    next: std::collections::HashMap<String, usize>,
}

impl FreeNames {
    pub(crate) fn new(taken: HashSet<String>) -> Self {
        Self {
            taken,
            next: std::collections::HashMap::new(),
        }
    }

    /// The name [`unique_name`] would give `base` now (not claimed until [`FreeNames::claim`]).
    pub(crate) fn free(&mut self, base: &str) -> String {
        if !self.taken.contains(base) {
            return base.to_string();
        }
        let n = self.next.entry(base.to_string()).or_insert(2);
        loop {
            let name = format!("{base} ({n})");
            if !self.taken.contains(&name) {
                return name;
            }
            // Taken names stay taken during an import, so the numbering never needs to look back.
            *n += 1;
        }
    }

    pub(crate) fn claim(&mut self, name: String) {
        self.taken.insert(name);
    }
}

/// What happened to each file of an import.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct ImportReport {
    /// Files that became documents.
    pub imported: Vec<ImportedFile>,
    /// Files left out on purpose (the same text already in the project).
    pub skipped: Vec<FileProblem>,
    /// Files that could not be read, each with the reason.
    pub failed: Vec<FileProblem>,
}

/// A file that became a document.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ImportedFile {
    /// The file read.
    pub path: PathBuf,
    /// The new document's id.
    pub document: DocumentId,
    /// The new document's name.
    pub name: String,
    /// Its kind (interview, observation, document, survey).
    pub kind: DocumentKind,
    /// How many speaker turns were found.
    pub turns: usize,
    /// The speakers of those turns, in order of first turn.
    pub speakers: Vec<String>,
    /// The language detected (`None`: too little text to tell; the project's language applies).
    pub language: Option<Language>,
    /// Something to check, e.g. a file that looks like an interview but got no speaker turns.
    pub warning: Option<String>,
}

impl ImportedFile {
    /// Describes what was found in a document read from `path`.
    pub fn new(path: &Path, entry: &DocumentEntry, asked_kind: Option<DocumentKind>) -> Self {
        let document = &entry.document;
        let mut speakers: Vec<String> = Vec::new();
        for turn in &document.turns {
            if !speakers.contains(&turn.speaker) {
                speakers.push(turn.speaker.clone());
            }
        }
        let warning = (document.turns.is_empty()
            && (asked_kind == Some(DocumentKind::Interview)
                || structure::looks_like_interview(&document.name, &entry.text)))
        .then(|| {
            "looks like an interview, but no speaker turns were found: each turn should start a line with \
             its speaker's label (`Rektor: …`, `I: …`, `[00:01:02] Name: …`); see README, \"Import layouts\""
                .to_string()
        });
        Self {
            path: path.to_path_buf(),
            document: document.id,
            name: document.name.clone(),
            kind: document.kind,
            turns: document.turns.len(),
            speakers,
            language: document.language,
            warning,
        }
    }
}

/// What kind of problem a skipped or refused file had (reports summarise many of one kind in one line).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemKind {
    /// The same text is already in the project or earlier in this import.
    Duplicate,
    /// The file is empty or holds no text.
    Empty,
    /// A survey table, which `import-survey` reads.
    Survey,
    /// Any other problem reading the file.
    Unreadable,
}

impl ProblemKind {
    /// The kind in the plural, for summary lines ("3 duplicates").
    pub fn plural(self) -> &'static str {
        match self {
            Self::Duplicate => {
                "duplicates (the same text is already imported; --allow-duplicates imports them)"
            }
            Self::Empty => "empty files (no text)",
            Self::Survey => "survey tables (use import-survey)",
            Self::Unreadable => "files that could not be read",
        }
    }
}

/// A file that was skipped or refused.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FileProblem {
    /// The file.
    pub path: PathBuf,
    /// What kind of problem it was.
    pub kind: ProblemKind,
    /// Why, as "what is wrong; what to do".
    pub reason: String,
}

/// Options for [`import_files`].
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The kind every imported document gets (detected per file when left out).
    pub kind: Option<DocumentKind>,
    /// Import a file even when a document with the same text exists.
    pub allow_duplicates: bool,
}

/// Files read in parallel before their results are taken in order.
const READ_CHUNK: usize = 64;

/// Reads many files; returns one edit adding all good ones, and a per-file report. Failed files change nothing.
pub fn import_files(
    project: &Project,
    paths: &[PathBuf],
    options: &ImportOptions,
    mut progress: impl FnMut(usize, usize, &Path),
) -> (Option<Edit>, ImportReport) {
    let files = expand_paths(paths);
    let mut report = ImportReport::default();
    let mut names = FreeNames::new(
        project
            .documents()
            .values()
            .map(|d| d.name.clone())
            .collect(),
    );
    // Text hash → the name of the document that has it (the project's and this import's), so thousands of
    // duplicates are recognised without a scan of the project each.
    let mut hashes: HashMap<String, String> = project
        .documents()
        .values()
        .map(|d| (d.text_hash.clone(), d.name.clone()))
        .collect();
    let mut edits = Vec::new();
    // Files are read, decoded, structured and their language detected in parallel, a chunk at a time (so
    // progress keeps moving); naming and duplicate checks stay in file order.
    let mut read: std::collections::VecDeque<Result<DocumentEntry>> = Default::default();
    for (i, path) in files.iter().enumerate() {
        progress(i, files.len(), path);
        if read.is_empty() {
            use rayon::prelude::*;
            let end = files.len().min(i + READ_CHUNK);
            read = files[i..end]
                .par_iter()
                .map(|path| read_file(path, options.kind))
                .collect::<Vec<_>>()
                .into();
        }
        let Some(result) = read.pop_front() else {
            continue;
        };
        match result {
            Ok(mut entry) => {
                if !options.allow_duplicates
                    && let Some(name) = hashes.get(&entry.document.text_hash)
                {
                    let existing = format!("'{name}'");
                    report.skipped.push(FileProblem {
                        path: path.clone(),
                        kind: ProblemKind::Duplicate,
                        reason: format!("same text as {existing} (already imported); use --allow-duplicates to import it again"),
                    });
                    continue;
                }
                entry.document.name = names.free(&entry.document.name);
                names.claim(entry.document.name.clone());
                hashes.insert(
                    entry.document.text_hash.clone(),
                    entry.document.name.clone(),
                );
                report
                    .imported
                    .push(ImportedFile::new(path, &entry, options.kind));
                edits.push(Edit::Put(Entity::Document(Box::new(entry))));
            }
            Err(error) => {
                let reason = match error {
                    Error::Import { message, .. } => message,
                    Error::Io { error, .. } => error.to_string(),
                    other => other.to_string(),
                };
                let empty = std::fs::metadata(path).is_ok_and(|m| m.len() == 0)
                    || reason == formats::FormatError::NoText.to_string();
                let kind = if is_survey(path) {
                    ProblemKind::Survey
                } else if empty {
                    ProblemKind::Empty
                } else {
                    ProblemKind::Unreadable
                };
                let problem = FileProblem {
                    path: path.clone(),
                    kind,
                    reason,
                };
                if is_survey(path) {
                    report.skipped.push(problem);
                } else {
                    report.failed.push(problem);
                }
            }
        }
    }
    progress(files.len(), files.len(), Path::new(""));
    let count = edits.len();
    let edit = (count > 0).then(|| {
        let label = if count == 1 {
            format!("import '{}'", report.imported[0].name)
        } else {
            format!("import {count} documents")
        };
        Edit::batch(label, edits)
    });
    (edit, report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_names_number_like_unique_name() {
        let taken: HashSet<String> = ["a", "a (2)", "b"].map(String::from).into();
        let mut names = FreeNames::new(taken.clone());
        assert_eq!(names.free("a"), unique_name(&taken, "a"));
        assert_eq!(names.free("a"), "a (3)");
        names.claim("a (3)".into());
        assert_eq!(names.free("a"), "a (4)");
        assert_eq!(names.free("c"), "c");
    }

    /// Files are read in parallel chunks; names, duplicates and the report still follow file order.
    #[test]
    fn a_folder_larger_than_a_read_chunk_imports_in_file_order() {
        let dir = tempfile::tempdir().expect("tempdir");
        let count = READ_CHUNK * 2 + 5;
        for i in 0..count {
            // Every tenth file repeats the text of the one before it.
            let n = if i % 10 == 9 { i - 1 } else { i };
            let text = format!(
                "Rektor: Møte nummer {n} om ressursane på skulen.\n\nLærar: Vi tek det opp att.\n"
            );
            std::fs::write(dir.path().join(format!("intervju_{i:03}.txt")), text).expect("write");
        }
        let project = Project::new("Orden", Language::Nb);
        let (edit, report) = import_files(
            &project,
            &[dir.path().to_path_buf()],
            &ImportOptions::default(),
            |_, _, _| {},
        );
        assert!(edit.is_some());
        let names: Vec<&str> = report.imported.iter().map(|f| f.name.as_str()).collect();
        let expected: Vec<String> = (0..count)
            .filter(|i| i % 10 != 9)
            .map(|i| format!("intervju_{i:03}"))
            .collect();
        assert_eq!(names, expected);
        assert_eq!(report.skipped.len(), count / 10);
        assert!(
            report
                .skipped
                .iter()
                .all(|p| p.kind == ProblemKind::Duplicate)
        );
    }

    #[test]
    fn blank_file_names_fall_back_to_the_whole_name() {
        assert_eq!(document_name(Path::new("dir/ .txt")), ".txt");
        assert_eq!(document_name(Path::new(".txt")), ".txt");
        assert_eq!(
            document_name(Path::new("intervju rektor.docx")),
            "intervju rektor"
        );
        assert_eq!(extension_of(Path::new(".TXT")), "txt");
        assert_eq!(extension_of(Path::new("a.Docx")), "docx");
    }
}
