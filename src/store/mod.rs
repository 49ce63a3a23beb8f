//! The project folder: plain, sorted, diffable RON files written atomically, and the text of each source.
//!
//! ```text
//! marginalia.ron          project metadata and format version
//! documents.ron           documents (name, kind, paragraphs, speaker turns)
//! sources/<id>.txt        each document's text (UTF-8, LF), immutable
//! codebook.ron            codes
//! codings/<coder-id>.ron  one file per coder: the coder and their codings (git merges without conflicts)
//! cases.ron               attribute definitions and cases
//! sets.ron, memos.ron
//! .index/                 derived search index (git-ignored)
//! .marginalia/            lock and local undo history (git-ignored)
//! ```

pub mod atomic;
pub mod journal;
pub mod lock;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::edit::Touched;
use crate::error::{Error, Result};
use crate::ids::{CoderId, DocumentId};
use crate::model::{
    AttributeDef, Case, Code, Coder, Coding, Document, DocumentSet, FORMAT_VERSION, Memo,
    MemoTarget, Project, ProjectMeta,
};
use crate::offsets::char_len;
use journal::Transaction;

pub use atomic::write_atomic;

pub const META_FILE: &str = "marginalia.ron";
pub const DOCUMENTS_FILE: &str = "documents.ron";
pub const CODEBOOK_FILE: &str = "codebook.ron";
pub const CASES_FILE: &str = "cases.ron";
pub const SETS_FILE: &str = "sets.ron";
pub const MEMOS_FILE: &str = "memos.ron";
pub const CODINGS_DIR: &str = "codings";
pub const SOURCES_DIR: &str = "sources";
pub const INDEX_DIR: &str = ".index";
pub const STATE_DIR: &str = ".marginalia";
pub const LOCK_FILE: &str = ".marginalia/lock";

const GITIGNORE: &str =
    "# Derived data and local state: rebuilt or per-user.\n.index/\n.marginalia/\n";

#[derive(Serialize, Deserialize)]
struct DocumentsFile {
    documents: Vec<Document>,
}

#[derive(Serialize, Deserialize)]
struct CodebookFile {
    codes: Vec<Code>,
}

#[derive(Serialize, Deserialize)]
struct CasesFile {
    attributes: Vec<AttributeDef>,
    cases: Vec<Case>,
}

#[derive(Serialize, Deserialize)]
struct SetsFile {
    sets: Vec<DocumentSet>,
}

#[derive(Serialize, Deserialize)]
struct MemosFile {
    memos: Vec<Memo>,
}

#[derive(Serialize, Deserialize)]
struct CodingsFile {
    coder: Coder,
    codings: Vec<Coding>,
}

/// Serialises a value as pretty RON with one entity per line.
pub fn to_ron<T: Serialize>(value: &T) -> Result<String, ron::Error> {
    let config = ron::ser::PrettyConfig::new()
        .depth_limit(2)
        .indentor("  ")
        .struct_names(false);
    let mut text = ron::ser::to_string_pretty(value, config)?;
    text.push('\n');
    Ok(text)
}

/// Parses RON, reporting the file, line and column of a problem.
pub fn from_ron<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T> {
    ron::de::from_str(text).map_err(|e| Error::Parse {
        path: path.to_path_buf(),
        line: e.span.start.line,
        column: e.span.start.col,
        message: e.code.to_string(),
    })
}

fn read_text(path: &Path) -> Result<String> {
    let bytes = fs::read(path).map_err(|e| Error::io(path, e))?;
    String::from_utf8(bytes).map_err(|e| {
        Error::invalid(
            path,
            format!("not valid UTF-8 at byte {}", e.utf8_error().valid_up_to()),
        )
    })
}

fn read_ron<T: DeserializeOwned>(path: &Path) -> Result<T> {
    from_ron(path, &read_text(path)?)
}

fn read_ron_or<T: DeserializeOwned>(path: &Path, empty: T) -> Result<T> {
    if path.exists() {
        read_ron(path)
    } else {
        Ok(empty)
    }
}

fn stage_ron<T: Serialize>(tx: &mut Transaction, path: &Path, value: &T) -> Result<()> {
    let text = to_ron(value).map_err(|e| Error::invalid(path, e.to_string()))?;
    tx.write(path, text.as_bytes())
}

/// Paths inside a project folder.
#[derive(Clone, Debug)]
pub struct Layout {
    pub root: PathBuf,
}

impl Layout {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    pub fn file(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    pub fn source(&self, id: DocumentId) -> PathBuf {
        self.root.join(SOURCES_DIR).join(format!("{id}.txt"))
    }

    pub fn codings(&self, coder: CoderId) -> PathBuf {
        self.root.join(CODINGS_DIR).join(format!("{coder}.ron"))
    }

    pub fn index_dir(&self) -> PathBuf {
        self.root.join(INDEX_DIR)
    }

    pub fn state_dir(&self) -> PathBuf {
        self.root.join(STATE_DIR)
    }

    pub fn lock_file(&self) -> PathBuf {
        self.root.join(LOCK_FILE)
    }

    /// True when the folder holds a project.
    pub fn is_project(&self) -> bool {
        self.file(META_FILE).is_file()
    }
}

/// Creates the folder structure of a new project and writes every file.
pub fn create(root: &Path, project: &Project) -> Result<()> {
    let layout = Layout::new(root);
    if layout.is_project() {
        return Err(Error::invalid(
            root,
            "a Marginalia project already exists here",
        ));
    }
    if root.exists()
        && fs::read_dir(root)
            .map_err(|e| Error::io(root, e))?
            .next()
            .is_some()
    {
        return Err(Error::invalid(
            root,
            "the folder is not empty; choose a new or empty folder",
        ));
    }
    for dir in [
        root.to_path_buf(),
        root.join(SOURCES_DIR),
        root.join(CODINGS_DIR),
    ] {
        fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    }
    write_atomic(&root.join(".gitignore"), GITIGNORE.as_bytes())?;
    save_all(&layout, project)
}

/// Writes every file of the project.
pub fn save_all(layout: &Layout, project: &Project) -> Result<()> {
    let mut touched = vec![
        Touched::Documents,
        Touched::Codebook,
        Touched::Cases,
        Touched::Sets,
        Touched::Memos,
    ];
    touched.extend(project.documents.keys().map(|id| Touched::Source(*id)));
    touched.extend(project.coders.keys().map(|id| Touched::Codings(*id)));
    touched.push(Touched::Meta);
    save(layout, project, &touched)
}

/// Writes the files an edit touched, as one journaled commit: a crash leaves the old project or the new one.
pub fn save(layout: &Layout, project: &Project, touched: &[Touched]) -> Result<()> {
    let touched: BTreeSet<Touched> = touched.iter().copied().collect();
    let mut tx = Transaction::new(&layout.root);
    for item in &touched {
        match *item {
            Touched::Meta => stage_ron(&mut tx, &layout.file(META_FILE), &project.meta)?,
            Touched::Documents => stage_ron(
                &mut tx,
                &layout.file(DOCUMENTS_FILE),
                &DocumentsFile {
                    documents: project.documents.values().cloned().collect(),
                },
            )?,
            Touched::Source(id) => {
                let path = layout.source(id);
                match project.texts.get(&id) {
                    Some(text) if !path.exists() => tx.write(&path, text.as_bytes())?,
                    Some(_) => {}
                    None => tx.remove(&path),
                }
            }
            Touched::Codebook => stage_ron(
                &mut tx,
                &layout.file(CODEBOOK_FILE),
                &CodebookFile {
                    codes: project.codes.values().cloned().collect(),
                },
            )?,
            Touched::Codings(coder) => {
                let path = layout.codings(coder);
                match project.coders.get(&coder) {
                    Some(c) => {
                        let mut codings: Vec<Coding> = project
                            .codings
                            .values()
                            .filter(|k| k.coder == coder)
                            .cloned()
                            .collect();
                        codings.sort_by_key(|k| (k.document, k.range.start, k.range.end, k.id));
                        stage_ron(
                            &mut tx,
                            &path,
                            &CodingsFile {
                                coder: c.clone(),
                                codings,
                            },
                        )?
                    }
                    None => tx.remove(&path),
                }
            }
            Touched::Memos => stage_ron(
                &mut tx,
                &layout.file(MEMOS_FILE),
                &MemosFile {
                    memos: project.memos.values().cloned().collect(),
                },
            )?,
            Touched::Cases => stage_ron(
                &mut tx,
                &layout.file(CASES_FILE),
                &CasesFile {
                    attributes: project.attributes.values().cloned().collect(),
                    cases: project.cases.values().cloned().collect(),
                },
            )?,
            Touched::Sets => stage_ron(
                &mut tx,
                &layout.file(SETS_FILE),
                &SetsFile {
                    sets: project.sets.values().cloned().collect(),
                },
            )?,
        }
    }
    tx.commit()
}

/// Finishes an interrupted save when no live process holds the project (readers must not race a writer).
pub fn recover_if_unlocked(root: &Path) -> Result<()> {
    let layout = Layout::new(root);
    if root.join(journal::JOURNAL).exists() && !lock::held_by_live_process(&layout.lock_file()) {
        journal::recover(root)?;
    }
    Ok(())
}

/// Reads a project folder, checking the format version and every reference between files.
pub fn load(root: &Path) -> Result<Project> {
    let layout = Layout::new(root);
    let meta_path = layout.file(META_FILE);
    if !meta_path.is_file() {
        return Err(Error::invalid(
            root,
            "not a Marginalia project (no marginalia.ron); create one with `marginalia new`",
        ));
    }
    let meta: ProjectMeta = read_ron(&meta_path)?;
    if meta.format_version > FORMAT_VERSION {
        return Err(Error::invalid(
            &meta_path,
            format!(
                "made by a newer Marginalia (format {}; this version reads up to {FORMAT_VERSION}); please update",
                meta.format_version
            ),
        ));
    }
    let mut project = Project::new(&meta.name, meta.language);
    project.meta = meta;

    let docs_path = layout.file(DOCUMENTS_FILE);
    let docs: DocumentsFile = read_ron_or(
        &docs_path,
        DocumentsFile {
            documents: Vec::new(),
        },
    )?;
    for doc in docs.documents {
        let source = layout.source(doc.id);
        let text = read_text(&source)?;
        if char_len(&text) != doc.char_len {
            return Err(Error::invalid(
                &source,
                format!(
                    "the text has changed since import ({} characters, expected {})",
                    char_len(&text),
                    doc.char_len
                ),
            ));
        }
        project.texts.insert(doc.id, Arc::from(text));
        project.documents.insert(doc.id, doc);
    }

    let codebook_path = layout.file(CODEBOOK_FILE);
    let codebook: CodebookFile = read_ron_or(&codebook_path, CodebookFile { codes: Vec::new() })?;
    project.codes = codebook.codes.into_iter().map(|c| (c.id, c)).collect();
    for code in project.codes.values() {
        if let Some(parent) = code.parent.filter(|p| !project.codes.contains_key(p)) {
            return Err(Error::invalid(
                &codebook_path,
                format!("code '{}' has a missing parent {parent}", code.name),
            ));
        }
        if code
            .parent
            .is_some_and(|p| project.is_ancestor_or_self(code.id, p))
        {
            return Err(Error::invalid(
                &codebook_path,
                format!("code '{}' is its own ancestor", code.name),
            ));
        }
    }

    let cases_path = layout.file(CASES_FILE);
    let cases: CasesFile = read_ron_or(
        &cases_path,
        CasesFile {
            attributes: Vec::new(),
            cases: Vec::new(),
        },
    )?;
    project.attributes = cases
        .attributes
        .into_iter()
        .map(|a| (a.name.clone(), a))
        .collect();
    for case in cases.cases {
        if let Some(doc) = case
            .documents
            .iter()
            .find(|d| !project.documents.contains_key(d))
        {
            return Err(Error::invalid(
                &cases_path,
                format!("case '{}' refers to a missing document {doc}", case.name),
            ));
        }
        project.cases.insert(case.id, case);
    }

    let sets_path = layout.file(SETS_FILE);
    let sets: SetsFile = read_ron_or(&sets_path, SetsFile { sets: Vec::new() })?;
    for set in sets.sets {
        if let Some(doc) = set
            .documents
            .iter()
            .find(|d| !project.documents.contains_key(d))
        {
            return Err(Error::invalid(
                &sets_path,
                format!("set '{}' refers to a missing document {doc}", set.name),
            ));
        }
        project.sets.insert(set.id, set);
    }

    let codings_dir = root.join(CODINGS_DIR);
    if codings_dir.is_dir() {
        let mut files: Vec<PathBuf> = fs::read_dir(&codings_dir)
            .map_err(|e| Error::io(&codings_dir, e))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "ron"))
            .collect();
        files.sort();
        for path in files {
            let file: CodingsFile = read_ron(&path)?;
            let coder = file.coder.id;
            if project.coders.insert(coder, file.coder).is_some() {
                return Err(Error::invalid(
                    &path,
                    format!("coder {coder} appears in two files"),
                ));
            }
            for coding in file.codings {
                let problem = if coding.coder != coder {
                    Some("belongs to another coder".to_string())
                } else if !project.codes.contains_key(&coding.code) {
                    Some(format!("refers to a missing code {}", coding.code))
                } else if let Some(doc) = project.documents.get(&coding.document) {
                    (coding.range.is_empty() || coding.range.end > doc.char_len)
                        .then(|| format!("range {} lies outside '{}'", coding.range, doc.name))
                } else {
                    Some(format!("refers to a missing document {}", coding.document))
                };
                if let Some(problem) = problem {
                    return Err(Error::invalid(
                        &path,
                        format!("coding {} {problem}", coding.id),
                    ));
                }
                project.codings.insert(coding.id, coding);
            }
        }
    }

    let memos_path = layout.file(MEMOS_FILE);
    let memos: MemosFile = read_ron_or(&memos_path, MemosFile { memos: Vec::new() })?;
    for memo in memos.memos {
        let exists = match memo.target {
            MemoTarget::Project => true,
            MemoTarget::Document(id) => project.documents.contains_key(&id),
            MemoTarget::Code(id) => project.codes.contains_key(&id),
            MemoTarget::Coding(id) => project.codings.contains_key(&id),
            MemoTarget::Case(id) => project.cases.contains_key(&id),
        };
        if !exists {
            return Err(Error::invalid(
                &memos_path,
                format!(
                    "memo '{}' is attached to something that does not exist ({:?})",
                    memo.title, memo.target
                ),
            ));
        }
        project.memos.insert(memo.id, memo);
    }
    Ok(project)
}
