//! The durability barrier of a commit: every written file reaches the disk before the journal names it.
//!
//! A few files are synced one by one; a batch (an import of many sources) is made durable with one
//! `syncfs` on Linux instead of one `fsync` per file, which is what made large imports slow.

use std::fs::File;
use std::path::Path;

use crate::error::{Error, Result};

/// Above this many files, one filesystem-wide sync is cheaper than a sync per file.
const BATCH: usize = 16;

/// Makes `files` (and the directory entries of new files) durable.
pub fn make_durable(root: &Path, files: &[&Path]) -> Result<()> {
    super::crash_point::step();
    if files.len() > BATCH && sync_filesystem(root)? {
        return Ok(());
    }
    let mut dirs = std::collections::BTreeSet::new();
    for path in files {
        File::open(path)
            .and_then(|f| f.sync_all())
            .map_err(|e| Error::io(path, e))?;
        dirs.extend(path.parent());
    }
    #[cfg(unix)]
    for dir in dirs {
        File::open(dir)
            .and_then(|f| f.sync_all())
            .map_err(|e| Error::io(dir, e))?;
    }
    Ok(())
}

/// Flushes the whole filesystem holding `root` in one call; false where that is not available.
fn sync_filesystem(root: &Path) -> Result<bool> {
    #[cfg(target_os = "linux")]
    {
        let dir = File::open(root).map_err(|e| Error::io(root, e))?;
        rustix::fs::syncfs(&dir).map_err(|e| Error::io(root, e.into()))?;
        Ok(true)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = root;
        Ok(false)
    }
}
