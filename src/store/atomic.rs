//! Crash-safe file writes: temp file in the same folder, fsync, rename over the target, fsync the folder.

use std::fs::{self, File};
use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

/// Writes `bytes` to `path` so that a crash leaves either the old file or the new one, never a torn file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut file = File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        super::crash_point::step();
        fs::rename(&tmp, path)?;
        super::crash_point::step();
        sync_dir(dir)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map_err(|e| Error::io(path, e))
}

/// Removes a file durably (missing files are fine).
pub fn remove_durable(path: &Path) -> Result<()> {
    super::crash_point::step();
    match fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(path, e)),
    }
    if let Some(dir) = path.parent() {
        sync_dir(dir).map_err(|e| Error::io(dir, e))?;
    }
    Ok(())
}

/// Flushes a directory entry to disk so a rename survives power loss (a no-op where folders can't be opened).
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Deletes temp files a crash left behind (they never replace the real files, so they are safe to drop).
pub fn clean_temp_files(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') && name.contains(".tmp-") {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_content_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("codebook.ron");
        write_atomic(&path, b"old").expect("write");
        write_atomic(&path, "ny æøå".as_bytes()).expect("write");
        assert_eq!(fs::read_to_string(&path).expect("read"), "ny æøå");
        let names: Vec<_> = fs::read_dir(dir.path())
            .expect("dir")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn a_failed_write_keeps_the_old_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("memos.ron");
        write_atomic(&path, b"kept").expect("write");
        // A directory where the temp file should go makes the write fail half-way.
        let blocker = dir
            .path()
            .join(format!(".memos.ron.tmp-{}", std::process::id()));
        fs::create_dir(&blocker).expect("mkdir");
        assert!(write_atomic(&path, b"lost").is_err());
        assert_eq!(fs::read_to_string(&path).expect("read"), "kept");
    }

    #[test]
    fn leftover_temp_files_are_cleaned() {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::write(dir.path().join(".codebook.ron.tmp-999"), "torn").expect("write");
        fs::write(dir.path().join("codebook.ron"), "whole").expect("write");
        clean_temp_files(dir.path());
        let names: Vec<_> = fs::read_dir(dir.path())
            .expect("dir")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("codebook.ron")]);
    }
}
