//! Document texts that load on first use: opening a project reads metadata only, and each text is read from
//! `sources/<id>.txt` the first time something asks for it (then kept, shared by every clone of the project).
//!
//! A text that cannot be read (missing file, not UTF-8, a length other than the one recorded at import) reads
//! as empty and is reported once, naming the file, through [`Texts::take_problems`] and standard error: a
//! damaged source never panics and never stops the rest of the project from working.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use crate::ids::DocumentId;
use crate::offsets::char_len;

/// One document's text: loaded already (imported in this session) or read from its file on first use.
#[derive(Debug)]
struct Slot {
    cell: OnceLock<Arc<str>>,
    /// The length in code points recorded at import (checked when the file is read).
    char_len: usize,
}

/// Every document's text by id, loaded on demand.
#[derive(Clone, Debug, Default)]
pub struct Texts {
    /// The `sources/` folder lazy texts are read from (`None`: every text is in memory).
    dir: Option<Arc<Path>>,
    slots: HashMap<DocumentId, Arc<Slot>>,
    problems: Arc<Mutex<Vec<String>>>,
}

impl Texts {
    /// Texts read from `dir` (`sources/`) on first use, one per document with its recorded length.
    pub fn lazy(dir: &Path, documents: impl IntoIterator<Item = (DocumentId, usize)>) -> Self {
        Self {
            dir: Some(Arc::from(dir)),
            slots: documents
                .into_iter()
                .map(|(id, char_len)| {
                    let slot = Slot {
                        cell: OnceLock::new(),
                        char_len,
                    };
                    (id, Arc::new(slot))
                })
                .collect(),
            problems: Arc::default(),
        }
    }

    /// The text of a document, read from its file (and kept) the first time; `None` for an unknown id.
    pub fn get(&self, id: &DocumentId) -> Option<&Arc<str>> {
        let slot = self.slots.get(id)?;
        Some(slot.cell.get_or_init(|| self.read(*id, slot.char_len)))
    }

    /// The text of a document without keeping it when it was not loaded yet: for passes over every text
    /// (indexing, analysis of a whole corpus) that must not leave the whole corpus in memory.
    pub fn get_transient(&self, id: &DocumentId) -> Option<Arc<str>> {
        let slot = self.slots.get(id)?;
        Some(match slot.cell.get() {
            Some(text) => Arc::clone(text),
            None => self.read(*id, slot.char_len),
        })
    }

    /// The text of a document, read from its file (and kept) the first time, or the problem that kept it from
    /// being read (naming the file): for callers that must not go on with an empty text, such as a merge. `None`
    /// for an unknown id.
    pub fn get_checked(&self, id: &DocumentId) -> Option<Result<Arc<str>, String>> {
        let slot = self.slots.get(id)?;
        // A text already read is used as it is, unless an earlier read failed and left it empty: then it is read
        // again to name the problem.
        if let Some(text) = slot.cell.get()
            && char_len(text) == slot.char_len
        {
            return Some(Ok(Arc::clone(text)));
        }
        Some(match self.try_read(*id, slot.char_len) {
            Ok(text) => Ok(Arc::clone(slot.cell.get_or_init(|| text))),
            Err(problem) => Err(problem),
        })
    }

    /// True when the text of `id` is in memory (tests and memory accounting).
    pub fn is_loaded(&self, id: &DocumentId) -> bool {
        self.slots.get(id).is_some_and(|s| s.cell.get().is_some())
    }

    /// True when the project has a text for `id`.
    pub fn contains_key(&self, id: &DocumentId) -> bool {
        self.slots.contains_key(id)
    }

    /// Number of texts.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// True when there are no texts.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// The ids of every text, in no particular order.
    pub fn keys(&self) -> impl Iterator<Item = &DocumentId> {
        self.slots.keys()
    }

    /// Sets the text of a document (already in memory).
    pub fn insert(&mut self, id: DocumentId, text: Arc<str>) {
        let slot = Slot {
            cell: OnceLock::from(Arc::clone(&text)),
            char_len: char_len(&text),
        };
        self.slots.insert(id, Arc::new(slot));
    }

    /// Removes a document's text and returns it (read from its file first when it was not loaded).
    pub fn remove(&mut self, id: &DocumentId) -> Option<Arc<str>> {
        let text = self.get_transient(id);
        self.slots.remove(id);
        text
    }

    /// Problems met while reading texts since the last call (each names the file).
    pub fn take_problems(&self) -> Vec<String> {
        self.problems
            .lock()
            .map(|mut p| std::mem::take(&mut *p))
            .unwrap_or_default()
    }

    fn path(&self, id: DocumentId) -> Option<PathBuf> {
        self.dir.as_ref().map(|d| d.join(format!("{id}.txt")))
    }

    /// Reads a text from its file; a problem is reported and the text reads as empty.
    fn read(&self, id: DocumentId, expected: usize) -> Arc<str> {
        match self.try_read(id, expected) {
            Ok(text) => text,
            Err(problem) => {
                let problem = format!("{problem}; it is shown as empty");
                eprintln!("warning: {problem}");
                if let Ok(mut problems) = self.problems.lock() {
                    problems.push(problem);
                }
                Arc::from("")
            }
        }
    }

    /// Reads a text from its file, or says (naming the file) why it cannot be used.
    fn try_read(&self, id: DocumentId, expected: usize) -> Result<Arc<str>, String> {
        let Some(path) = self.path(id) else {
            return Ok(Arc::from(""));
        };
        match std::fs::read(&path) {
            Err(e) => Err(format!("{}: cannot read the text ({e})", path.display())),
            Ok(bytes) => match String::from_utf8(bytes) {
                Err(e) => Err(format!(
                    "{}: not valid UTF-8 at byte {}",
                    path.display(),
                    e.utf8_error().valid_up_to()
                )),
                Ok(text) if char_len(&text) == expected => Ok(Arc::from(text)),
                Ok(text) => Err(format!(
                    "{}: the text has changed since import ({} characters, expected {expected})",
                    path.display(),
                    char_len(&text)
                )),
            },
        }
    }
}

impl PartialEq for Texts {
    /// Two sets of texts are equal when they hold the same documents with the same texts (this reads them).
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len()
            && self.slots.keys().all(
                |id| match (self.get_transient(id), other.get_transient(id)) {
                    (Some(a), Some(b)) => a == b,
                    _ => false,
                },
            )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_read_on_first_use_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let id = DocumentId::new();
        let text = "Lærerne på Ås skole: «Vi mangler ressurser.»";
        std::fs::write(dir.path().join(format!("{id}.txt")), text).unwrap();
        let texts = Texts::lazy(dir.path(), [(id, char_len(text))]);
        assert!(!texts.is_loaded(&id));
        assert_eq!(texts.get_transient(&id).as_deref(), Some(text));
        assert!(!texts.is_loaded(&id), "a transient read keeps nothing");
        assert_eq!(texts.get(&id).map(|t| &**t), Some(text));
        assert!(texts.is_loaded(&id));
        assert!(texts.take_problems().is_empty());
    }

    #[test]
    fn a_missing_or_changed_text_reads_as_empty_and_is_reported_once() {
        let dir = tempfile::tempdir().unwrap();
        let (gone, changed) = (DocumentId::new(), DocumentId::new());
        std::fs::write(
            dir.path().join(format!("{changed}.txt")),
            "Nynorsk tekst endra",
        )
        .unwrap();
        let texts = Texts::lazy(dir.path(), [(gone, 10), (changed, 5)]);
        assert_eq!(texts.get(&gone).map(|t| &**t), Some(""));
        assert_eq!(texts.get(&changed).map(|t| &**t), Some(""));
        assert_eq!(texts.get(&changed).map(|t| &**t), Some(""));
        let problems = texts.take_problems();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems.iter().any(|p| p.contains(&gone.to_string())));
        assert!(problems.iter().any(|p| p.contains("changed since import")));
    }
}
