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
mod barrier;
pub mod crash_point;
mod fingerprint;
pub mod journal;
mod line;
mod load;
pub mod lock;
mod output;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::edit::Touched;
use crate::error::{Error, Result};
use crate::ids::{CoderId, DocumentId};
use crate::model::{AttributeDef, Case, Code, Coder, Coding, Document, DocumentSet, Memo, Project};

pub use atomic::write_atomic;
pub use fingerprint::Fingerprint;
pub use journal::Transaction;
pub use load::{load, load_with_fingerprint};
pub use output::{check_output_path, enclosing_project, write_export};

/// Project metadata and format version; its presence marks a folder as a project, and it is written last.
pub const META_FILE: &str = "marginalia.ron";
/// Every document's metadata and structure (not the texts).
pub const DOCUMENTS_FILE: &str = "documents.ron";
/// The codes of the codebook.
pub const CODEBOOK_FILE: &str = "codebook.ron";
/// Attribute definitions and cases.
pub const CASES_FILE: &str = "cases.ron";
/// Document sets.
pub const SETS_FILE: &str = "sets.ron";
/// Memos.
pub const MEMOS_FILE: &str = "memos.ron";
/// The folder with one file per coder: the coder and their codings.
pub const CODINGS_DIR: &str = "codings";
/// The folder with each document's text, `<id>.txt`, UTF-8 with LF line ends.
pub const SOURCES_DIR: &str = "sources";
/// The derived search index; git-ignored and rebuilt when missing or stale.
pub const INDEX_DIR: &str = ".index";
/// Local state that is not shared (the lock, undo history, commit journal); git-ignored.
pub const STATE_DIR: &str = ".marginalia";
/// The lock file that marks the project as open for writing, relative to the project folder.
pub const LOCK_FILE: &str = ".marginalia/lock";

const GITIGNORE: &str =
    "# Derived data and local state: rebuilt or per-user.\n.index/\n.marginalia/\n";

/// The `.gitattributes` of a project folder: git merges the project's RON files with Marginalia's merge
/// driver (registered per repository by `marginalia git-setup`), which merges them by id instead of by line.
pub const GITATTRIBUTES_FILE: &str = ".gitattributes";

/// The line of [`GITATTRIBUTES_FILE`] that names the merge driver.
pub const GITATTRIBUTES_LINE: &str = "*.ron merge=marginalia";

/// Writes `.gitattributes` naming the merge driver, or adds the driver's line to one that lacks it; returns
/// true when the file changed.
pub fn write_gitattributes(root: &Path) -> Result<bool> {
    let path = root.join(GITATTRIBUTES_FILE);
    let old = if path.exists() {
        read_text(&path)?
    } else {
        String::new()
    };
    if old.lines().any(|l| l.trim() == GITATTRIBUTES_LINE) {
        return Ok(false);
    }
    let mut text = old;
    if text.is_empty() {
        text.push_str("# Project files merge by id with `marginalia git-merge-driver` (set up by `marginalia git-setup`).\n");
    } else if !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(GITATTRIBUTES_LINE);
    text.push('\n');
    write_atomic(&path, text.as_bytes())?;
    Ok(true)
}

#[derive(Serialize, Deserialize)]
pub(crate) struct DocumentsFile {
    pub(crate) documents: Vec<Document>,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct CodebookFile {
    pub(crate) codes: Vec<Code>,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct CasesFile {
    pub(crate) attributes: Vec<AttributeDef>,
    pub(crate) cases: Vec<Case>,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct SetsFile {
    pub(crate) sets: Vec<DocumentSet>,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct MemosFile {
    pub(crate) memos: Vec<Memo>,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct CodingsFile {
    pub(crate) coder: Coder,
    pub(crate) codings: Vec<Coding>,
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

pub(crate) fn read_text(path: &Path) -> Result<String> {
    let bytes = fs::read(path).map_err(|e| Error::io(path, e))?;
    String::from_utf8(bytes).map_err(|e| {
        Error::invalid(
            path,
            format!("not valid UTF-8 at byte {}", e.utf8_error().valid_up_to()),
        )
    })
}

/// Paths inside a project folder.
#[derive(Clone, Debug)]
pub struct Layout {
    /// The project folder.
    pub root: PathBuf,
}

impl Layout {
    /// The layout of the project folder at `root` (which need not exist yet).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// A path directly inside the project folder, such as [`CODEBOOK_FILE`].
    pub fn file(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    /// The text file of one document, `sources/<id>.txt`.
    pub fn source(&self, id: DocumentId) -> PathBuf {
        self.root.join(SOURCES_DIR).join(format!("{id}.txt"))
    }

    /// The file holding one coder and their codings, `codings/<id>.ron`.
    pub fn codings(&self, coder: CoderId) -> PathBuf {
        self.root.join(CODINGS_DIR).join(format!("{coder}.ron"))
    }

    /// The folder of the search index, `.index/`.
    pub fn index_dir(&self) -> PathBuf {
        self.root.join(INDEX_DIR)
    }

    /// The folder of local state, `.marginalia/`.
    pub fn state_dir(&self) -> PathBuf {
        self.root.join(STATE_DIR)
    }

    /// The lock file, `.marginalia/lock`.
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
    write_gitattributes(root)?;
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
    touched.extend(project.documents().keys().map(|id| Touched::Source(*id)));
    touched.extend(project.coders().keys().map(|id| Touched::Codings(*id)));
    touched.push(Touched::Meta);
    save(layout, project, &touched)
}

/// Writes the files an edit touched, as one journaled commit: a crash leaves the old project or the new one.
pub fn save(layout: &Layout, project: &Project, touched: &[Touched]) -> Result<()> {
    let mut tx = Transaction::new(&layout.root);
    stage(
        layout,
        project,
        touched,
        &mut tx,
        &mut Fingerprint::default(),
    )?;
    tx.commit()
}

/// Stages the files an edit touched into a transaction (the caller may add more files, e.g. the undo
/// history, and commits), keeping `fingerprint` up to date with what the files will hold.
pub fn stage(
    layout: &Layout,
    project: &Project,
    touched: &[Touched],
    tx: &mut Transaction,
    fingerprint: &mut Fingerprint,
) -> Result<()> {
    let touched: BTreeSet<Touched> = touched.iter().copied().collect();
    let mut stager = Stager {
        layout,
        tx,
        fingerprint,
    };
    for item in touched {
        stager.item(project, item)?;
    }
    Ok(())
}

/// Stages one project file at a time, recording each in the fingerprint.
struct Stager<'a> {
    layout: &'a Layout,
    tx: &'a mut Transaction,
    fingerprint: &'a mut Fingerprint,
}

impl Stager<'_> {
    fn ron<T: Serialize>(&mut self, path: PathBuf, value: &T) -> Result<()> {
        let text = to_ron(value).map_err(|error| Error::Serialize {
            path: path.clone(),
            error,
        })?;
        self.fingerprint
            .record(&self.layout.root, &path, text.as_bytes());
        self.tx.write(&path, text.as_bytes())
    }

    fn remove(&mut self, path: PathBuf) {
        self.fingerprint.forget(&self.layout.root, &path);
        self.tx.remove(&path);
    }

    fn item(&mut self, project: &Project, item: Touched) -> Result<()> {
        let layout = self.layout;
        match item {
            Touched::Meta => self.ron(layout.file(META_FILE), project.meta()),
            Touched::Documents => self.ron(
                layout.file(DOCUMENTS_FILE),
                &DocumentsFile {
                    documents: project.documents().values().cloned().collect(),
                },
            ),
            Touched::Source(id) => {
                let path = layout.source(id);
                // A text on disk is immutable: only a new one is written (and read only then).
                match project.texts().contains_key(&id) {
                    true if path.exists() => {}
                    true => {
                        let text = project.text_transient(id);
                        self.tx.create(&path, text.as_bytes())?;
                    }
                    false => self.tx.remove(&path),
                }
                Ok(())
            }
            Touched::Codebook => self.ron(
                layout.file(CODEBOOK_FILE),
                &CodebookFile {
                    codes: project.codes().values().cloned().collect(),
                },
            ),
            Touched::Codings(coder) => self.codings(project, coder),
            Touched::Memos => self.ron(
                layout.file(MEMOS_FILE),
                &MemosFile {
                    memos: project.memos().values().cloned().collect(),
                },
            ),
            Touched::Cases => self.ron(
                layout.file(CASES_FILE),
                &CasesFile {
                    attributes: project.attributes().values().cloned().collect(),
                    cases: project.cases().values().cloned().collect(),
                },
            ),
            Touched::Sets => self.ron(
                layout.file(SETS_FILE),
                &SetsFile {
                    sets: project.sets().values().cloned().collect(),
                },
            ),
        }
    }

    /// One coder's file: the coder and their codings, sorted by place (git merges coders without conflicts).
    fn codings(&mut self, project: &Project, coder: CoderId) -> Result<()> {
        let path = self.layout.codings(coder);
        let Some(c) = project.coders().get(&coder) else {
            self.remove(path);
            return Ok(());
        };
        let mut codings: Vec<Coding> = project
            .codings()
            .values()
            .filter(|k| k.coder == coder)
            .cloned()
            .collect();
        codings.sort_by_key(|k| (k.document, k.range.start, k.range.end, k.id));
        self.ron(
            path,
            &CodingsFile {
                coder: c.clone(),
                codings,
            },
        )
    }
}

/// Removes texts in `sources/` that no document refers to: a save that a crash cut short before its commit
/// leaves them (they were written before the journal). Only a writer holding the lock may call this.
pub fn remove_orphan_sources(layout: &Layout, project: &Project) {
    let Ok(entries) = fs::read_dir(layout.root.join(SOURCES_DIR)) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let orphan = path.extension().is_some_and(|x| x == "txt")
            && path
                .file_stem()
                .and_then(|s| s.to_str())
                .and_then(|s| s.parse::<DocumentId>().ok())
                .is_some_and(|id| !project.documents().contains_key(&id));
        if orphan {
            let _ = fs::remove_file(&path);
        }
    }
}

/// Finishes an interrupted save when no live process holds the project (readers must not race a writer).
pub fn recover_if_unlocked(root: &Path) -> Result<()> {
    let layout = Layout::new(root);
    if root.join(journal::JOURNAL).exists() && !lock::held_by_live_process(&layout.lock_file()) {
        journal::recover(root)?;
    }
    Ok(())
}
