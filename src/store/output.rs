//! Where exports may write: never inside a project folder, whose files only the store writes.

use std::path::{Path, PathBuf};

use super::META_FILE;
use crate::error::{Error, Result};

/// The project folder that would contain `output`, if any (the output's folder or one of its parents holds a
/// `marginalia.ron`).
pub fn enclosing_project(output: &Path) -> Option<PathBuf> {
    let absolute = if output.is_absolute() {
        output.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(output)
    };
    // The output itself may not exist yet; its nearest existing ancestor is resolved through symlinks.
    let mut existing = absolute.as_path();
    while !existing.exists() {
        existing = existing.parent()?;
    }
    let resolved = existing.canonicalize().ok()?;
    resolved
        .ancestors()
        .find(|dir| dir.join(META_FILE).is_file())
        .map(Path::to_path_buf)
}

/// Refuses an export path inside a project folder: writing there could overwrite a project file (and a
/// project's folder is the store's alone).
pub fn check_output_path(output: &Path) -> Result<()> {
    match enclosing_project(output) {
        Some(project) => Err(Error::invalid(
            output,
            format!(
                "this is inside the project folder {}; exports go outside a project folder, so they can never \
                 overwrite its files (choose another place)",
                project.display()
            ),
        )),
        None => Ok(()),
    }
}

/// Writes an export file atomically after [`check_output_path`].
pub fn write_export(output: &Path, bytes: &[u8]) -> Result<()> {
    check_output_path(output)?;
    super::write_atomic(output, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_inside_a_project_are_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let project = dir.path().join("p");
        std::fs::create_dir_all(project.join("sub")).expect("dirs");
        std::fs::write(project.join(META_FILE), "()").expect("meta");
        for inside in [
            project.join("codebook.ron"),
            project.join("sub/new/report.docx"),
            project.join("sub/../x.qdpx"),
        ] {
            let error = check_output_path(&inside).expect_err("inside");
            assert!(
                error.to_string().contains("inside the project folder"),
                "{error}"
            );
        }
        check_output_path(&dir.path().join("report.docx")).expect("outside is fine");
        assert!(write_export(&project.join("codebook.ron"), b"x").is_err());
        assert!(!project.join("codebook.ron").exists());
    }
}
