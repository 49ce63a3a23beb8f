//! Merging copies of a project: two-way (`marginalia merge`, File ▸ Merge a copy…) and three-way per file
//! (the git merge driver).

mod project;
pub mod three_way;

use std::path::{Path, PathBuf};

pub use project::{Merge, merge_projects};

/// Why two copies cannot be merged.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// The other copy is this very folder.
    #[error("{}: this is the project itself; choose another copy to merge", .0.display())]
    SameFolder(PathBuf),
    /// The copies were written in different on-disk formats.
    #[error(
        "the other copy is in format version {other} and this project in {ours}; open and save both with the same Marginalia first"
    )]
    FormatVersion {
        /// This project's format version.
        ours: u32,
        /// The other copy's format version.
        other: u32,
    },
    /// The copies share no document (by id or by text), so they are not copies of one project.
    #[error(
        "the other copy ('{other}') shares no document with this project; it is not a copy of it"
    )]
    Unrelated {
        /// The other project's name.
        other: String,
    },
    /// A document to bring over has a text in the other copy that cannot be read (missing, damaged, changed).
    #[error("the other copy's document '{document}' cannot be merged: {problem}")]
    Text {
        /// The document's name in the other copy.
        document: String,
        /// What is wrong with its text, naming the file.
        problem: String,
    },
    /// The other copy could not be read.
    #[error(transparent)]
    Load(#[from] crate::Error),
}

/// What a merge brought over, and every place where the two copies disagreed (this project's value kept).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// Documents in both copies (same id or same text).
    pub documents_shared: usize,
    /// Documents only in the other copy, added with their text.
    pub documents_added: usize,
    /// Documents with the same id but another text (reported, not merged).
    pub documents_differing: usize,
    /// Coders added.
    pub coders_added: usize,
    /// Codes added.
    pub codes_added: usize,
    /// Codes the other copy made separately under the same path, taken as one code.
    pub codes_matched_by_name: usize,
    /// Attribute definitions added.
    pub attributes_added: usize,
    /// Cases added.
    pub cases_added: usize,
    /// Cases given documents or attribute values from the other copy.
    pub cases_updated: usize,
    /// Document sets added.
    pub sets_added: usize,
    /// Document sets given documents from the other copy.
    pub sets_updated: usize,
    /// Codings added.
    pub codings_added: usize,
    /// Codings of the other copy already here under another id (same passage, code and coder).
    pub codings_already_present: usize,
    /// Codings left out because their document's text differs.
    pub codings_left_out: usize,
    /// Memos added.
    pub memos_added: usize,
    /// Each disagreement between the copies, as a sentence; this project's value was kept.
    pub conflicts: Vec<String>,
}

impl MergeReport {
    /// One line of counts: "added 2 documents, 1 coder, 3 codes, 41 codings; 12 documents shared".
    pub fn summary(&self) -> String {
        let parts: Vec<String> = [
            (self.documents_added, "document", "documents"),
            (self.coders_added, "coder", "coders"),
            (self.codes_added, "code", "codes"),
            (self.attributes_added, "attribute", "attributes"),
            (self.cases_added, "case", "cases"),
            (self.sets_added, "set", "sets"),
            (self.codings_added, "coding", "codings"),
            (self.memos_added, "memo", "memos"),
        ]
        .iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, one, many)| format!("{n} {}", if *n == 1 { one } else { many }))
        .collect();
        let added = if parts.is_empty() {
            "nothing new to add".to_string()
        } else {
            format!("added {}", parts.join(", "))
        };
        let mut extra = vec![format!("{} documents shared", self.documents_shared)];
        if self.cases_updated + self.sets_updated > 0 {
            extra.push(format!(
                "{} cases and {} sets updated",
                self.cases_updated, self.sets_updated
            ));
        }
        if self.codings_already_present > 0 {
            extra.push(format!(
                "{} codings already here",
                self.codings_already_present
            ));
        }
        if !self.conflicts.is_empty() {
            extra.push(format!(
                "{} conflicts (this copy's value kept)",
                self.conflicts.len()
            ));
        }
        format!("{added}; {}", extra.join(", "))
    }
}

/// Reads the other copy for [`merge_projects`], refusing this project's own folder.
pub fn load_other(dir: &Path, other: &Path) -> Result<crate::Project, MergeError> {
    let same = match (dir.canonicalize(), other.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => dir == other,
    };
    if same {
        return Err(MergeError::SameFolder(other.to_path_buf()));
    }
    crate::store::recover_if_unlocked(other)?;
    Ok(crate::store::load(other)?)
}
