//! A fingerprint of a project's files (a hash of each RON file's bytes), so the undo history can tell whether
//! it belongs to the files on disk or they were changed elsewhere (a `git pull`, a hand edit, another copy).

use std::collections::BTreeMap;
use std::path::Path;

use crate::model::fnv1a;

/// Content hashes of a project's RON files, by path relative to the project folder.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fingerprint(BTreeMap<String, u64>);

/// The path of `path` relative to `root`, with `/` separators.
fn key(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

impl Fingerprint {
    /// Records the bytes a file holds (as read or as written).
    pub fn record(&mut self, root: &Path, path: &Path, bytes: &[u8]) {
        self.0.insert(key(root, path), fnv1a(bytes));
    }

    /// Records a file by the hash of its bytes ([`fnv1a`]), computed by the caller.
    pub fn record_hash(&mut self, root: &Path, path: &Path, hash: u64) {
        self.0.insert(key(root, path), hash);
    }

    /// Records that a file is gone.
    pub fn forget(&mut self, root: &Path, path: &Path) {
        self.0.remove(&key(root, path));
    }

    /// One value for the whole project: equal fingerprints mean identical files.
    pub fn value(&self) -> String {
        let mut all = Vec::with_capacity(self.0.len() * 32);
        for (path, hash) in &self.0 {
            all.extend_from_slice(path.as_bytes());
            all.push(0);
            all.extend_from_slice(&hash.to_le_bytes());
        }
        format!("{:016x}", fnv1a(&all))
    }
}
