//! Multi-file commits: changed files are staged as temp files (new immutable files are written in place),
//! one durability barrier makes them all durable, then a journal names them, then they are renamed into place.
//! A crash before the journal leaves the old project; after it, the next open rolls forward.
//!
//! The journal is read back on recovery, so every path in it is checked to lie inside the project folder:
//! a tampered journal can never touch a file outside it.

use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};

/// The journal, inside the git-ignored state folder.
pub const JOURNAL: &str = ".marginalia/journal";

/// Files staged for one commit.
#[derive(Debug)]
pub struct Transaction {
    root: PathBuf,
    staged: Vec<(PathBuf, PathBuf)>,
    created: Vec<PathBuf>,
    removals: Vec<PathBuf>,
}

fn temp_for(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

fn relative<'a>(root: &Path, path: &'a Path) -> &'a Path {
    path.strip_prefix(root).unwrap_or(path)
}

/// Writes a whole file without syncing it (the commit's barrier does that for every file at once).
fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    fs::write(path, bytes)?;
    super::crash_point::step();
    Ok(())
}

impl Transaction {
    /// An empty commit for the project folder at `root`; every staged path must lie inside it.
    pub fn new(root: &Path) -> Self {
        Self {
            root: root.to_path_buf(),
            staged: Vec::new(),
            created: Vec::new(),
            removals: Vec::new(),
        }
    }

    /// Stages new content for a file (skipped when the file already holds exactly these bytes).
    pub fn write(&mut self, target: &Path, bytes: &[u8]) -> Result<()> {
        if fs::read(target).is_ok_and(|old| old == bytes) {
            return Ok(());
        }
        let tmp = temp_for(target);
        if let Err(e) = write_file(&tmp, bytes) {
            let _ = fs::remove_file(&tmp);
            return Err(Error::io(target, e));
        }
        self.staged.push((tmp, target.to_path_buf()));
        Ok(())
    }

    /// Writes a new file that nothing refers to until this commit (a document's text): written in place, made
    /// durable by the commit's barrier. A crash before the commit leaves an unreferenced file, which the next
    /// open removes.
    pub fn create(&mut self, target: &Path, bytes: &[u8]) -> Result<()> {
        write_file(target, bytes).map_err(|e| Error::io(target, e))?;
        self.created.push(target.to_path_buf());
        Ok(())
    }

    /// Stages the removal of a file.
    pub fn remove(&mut self, target: &Path) {
        if target.exists() {
            self.removals.push(target.to_path_buf());
        }
    }

    /// True when nothing is staged.
    pub fn is_empty(&self) -> bool {
        self.staged.is_empty() && self.created.is_empty() && self.removals.is_empty()
    }

    /// Makes every staged change visible, all or nothing as far as a crash is concerned.
    pub fn commit(self) -> Result<()> {
        if self.is_empty() {
            return Ok(());
        }
        let written: Vec<&Path> = self
            .staged
            .iter()
            .map(|(tmp, _)| tmp.as_path())
            .chain(self.created.iter().map(PathBuf::as_path))
            .collect();
        let journal = self.journal_text();
        let journal_path = self.root.join(JOURNAL);
        let recorded = super::barrier::make_durable(&self.root, &written)
            .and_then(|()| {
                journal_path.parent().map_or(Ok(()), |d| {
                    fs::create_dir_all(d).map_err(|e| Error::io(d, e))
                })
            })
            .and_then(|()| super::atomic::write_atomic(&journal_path, journal.as_bytes()));
        if let Err(error) = recorded {
            for (tmp, _) in &self.staged {
                let _ = fs::remove_file(tmp);
            }
            return Err(error);
        }
        roll_forward(&self.root, &journal)?;
        super::atomic::remove_durable(&journal_path)
    }

    fn journal_text(&self) -> String {
        let mut journal = String::new();
        for (tmp, target) in &self.staged {
            journal.push_str(&format!(
                "move\t{}\t{}\n",
                relative(&self.root, tmp).display(),
                relative(&self.root, target).display()
            ));
        }
        for target in &self.created {
            journal.push_str(&format!(
                "created\t{}\n",
                relative(&self.root, target).display()
            ));
        }
        for target in &self.removals {
            journal.push_str(&format!(
                "remove\t{}\n",
                relative(&self.root, target).display()
            ));
        }
        journal
    }
}

/// One journal line, with its paths checked.
enum Step {
    Move(PathBuf, PathBuf),
    Created,
    Remove(PathBuf),
}

/// Resolves a journal path: relative, made of plain names only (no `..`, no root), inside `root`.
fn inside(root: &Path, journal: &Path, text: &str) -> Result<PathBuf> {
    let path = Path::new(text);
    let plain = !text.is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)));
    if !plain {
        return Err(Error::invalid(
            journal,
            format!(
                "names '{text}', which is not a file inside the project; the journal was not applied \
                 (remove {} if you did not expect it)",
                journal.display()
            ),
        ));
    }
    Ok(root.join(path))
}

/// Reads a journal, checking every line before any is applied.
fn parse(root: &Path, journal: &str) -> Result<Vec<Step>> {
    let path = root.join(JOURNAL);
    journal
        .lines()
        .map(
            |line| match line.split('\t').collect::<Vec<_>>().as_slice() {
                ["move", tmp, target] => Ok(Step::Move(
                    inside(root, &path, tmp)?,
                    inside(root, &path, target)?,
                )),
                ["created", target] => inside(root, &path, target).map(|_| Step::Created),
                ["remove", target] => Ok(Step::Remove(inside(root, &path, target)?)),
                _ => Err(Error::invalid(
                    &path,
                    format!("unreadable journal line '{line}'"),
                )),
            },
        )
        .collect()
}

fn roll_forward(root: &Path, journal: &str) -> Result<()> {
    let mut dirs = std::collections::BTreeSet::new();
    for step in parse(root, journal)? {
        match step {
            Step::Move(tmp, target) => {
                if tmp.exists() {
                    fs::rename(&tmp, &target).map_err(|e| Error::io(&target, e))?;
                    super::crash_point::step();
                }
                dirs.extend(target.parent().map(Path::to_path_buf));
            }
            Step::Created => {}
            Step::Remove(target) => {
                match fs::remove_file(&target) {
                    Ok(()) => super::crash_point::step(),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(Error::io(&target, e)),
                }
                dirs.extend(target.parent().map(Path::to_path_buf));
            }
        }
    }
    #[cfg(unix)]
    for dir in dirs {
        if let Ok(handle) = fs::File::open(&dir) {
            let _ = handle.sync_all();
        }
    }
    Ok(())
}

/// Finishes a commit that a crash interrupted (if any), then drops temp files no journal names.
pub fn recover(root: &Path) -> Result<()> {
    let journal_path = root.join(JOURNAL);
    if let Ok(journal) = fs::read_to_string(&journal_path) {
        roll_forward(root, &journal)?;
        super::atomic::remove_durable(&journal_path)?;
    }
    for dir in [
        root.to_path_buf(),
        root.join(super::SOURCES_DIR),
        root.join(super::CODINGS_DIR),
        root.join(super::STATE_DIR),
    ] {
        super::atomic::clean_temp_files(&dir);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_commit_replaces_writes_and_removes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        fs::write(root.join("a.ron"), "old a").expect("write");
        fs::write(root.join("gone.ron"), "bye").expect("write");
        let mut tx = Transaction::new(root);
        tx.write(&root.join("a.ron"), b"new a").expect("stage");
        tx.write(&root.join("sub/b.ron"), b"new b").expect("stage");
        tx.remove(&root.join("gone.ron"));
        tx.commit().expect("commit");
        assert_eq!(fs::read_to_string(root.join("a.ron")).expect("a"), "new a");
        assert_eq!(
            fs::read_to_string(root.join("sub/b.ron")).expect("b"),
            "new b"
        );
        assert!(!root.join("gone.ron").exists());
        assert!(!root.join(JOURNAL).exists());
    }

    #[test]
    fn a_crash_before_the_journal_keeps_the_old_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        fs::write(root.join("a.ron"), "old").expect("write");
        let mut tx = Transaction::new(root);
        tx.write(&root.join("a.ron"), b"new").expect("stage");
        drop(tx); // the process dies here: temp file written, no journal
        recover(root).expect("recover");
        assert_eq!(fs::read_to_string(root.join("a.ron")).expect("a"), "old");
        assert_eq!(
            fs::read_dir(root).expect("dir").count(),
            1,
            "the staged temp file is cleaned up"
        );
    }

    #[test]
    fn a_crash_after_the_journal_rolls_forward_on_open() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        fs::write(root.join("a.ron"), "old a").expect("write");
        fs::write(root.join("b.ron"), "old b").expect("write");
        fs::write(root.join(".a.ron.tmp-1"), "new a").expect("write");
        fs::create_dir_all(root.join(".marginalia")).expect("mkdir");
        // Journal written, first rename done (b), second (a) not yet, removal not yet.
        fs::write(root.join(".b.ron.tmp-1"), "new b").expect("write");
        fs::rename(root.join(".b.ron.tmp-1"), root.join("b.ron")).expect("rename");
        fs::write(
            root.join(JOURNAL),
            "move\t.b.ron.tmp-1\tb.ron\nmove\t.a.ron.tmp-1\ta.ron\nremove\tc.ron\n",
        )
        .expect("journal");
        fs::write(root.join("c.ron"), "old c").expect("write");
        recover(root).expect("recover");
        assert_eq!(fs::read_to_string(root.join("a.ron")).expect("a"), "new a");
        assert_eq!(fs::read_to_string(root.join("b.ron")).expect("b"), "new b");
        assert!(!root.join("c.ron").exists());
        assert!(!root.join(JOURNAL).exists());
    }

    #[test]
    fn a_journal_naming_paths_outside_the_project_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("p");
        fs::create_dir_all(root.join(".marginalia")).expect("mkdir");
        let outside = dir.path().join("outside.txt");
        fs::write(&outside, "keep me").expect("write");
        fs::write(root.join("a.ron"), "a").expect("write");
        for line in [
            "remove\t../outside.txt\n",
            "remove\ta.ron\nremove\t../outside.txt\n",
            &format!("remove\t{}\n", outside.display()),
            "move\t../outside.txt\ta.ron\n",
        ] {
            fs::write(root.join(JOURNAL), line).expect("journal");
            let error = recover(&root).expect_err("refused");
            assert!(
                error.to_string().contains("not a file inside the project"),
                "{error}"
            );
            assert!(
                outside.exists(),
                "{line:?} touched a file outside the project"
            );
            assert!(
                root.join("a.ron").exists(),
                "no line is applied when one is bad"
            );
        }
    }
}
