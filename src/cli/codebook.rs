//! The `codes` verbs: list, add, rename, move, merge, delete, describe, colour, and codebook files (.ron) in
//! and out.

use std::path::Path;

use anyhow::Result;
use marginalia::codebook_file::CodebookFile;
use marginalia::edit::Edit;
use marginalia::model::Project;
use marginalia::ops;

use super::args::CodesAction;
use super::output;
use super::resolve::find_code;

/// `codes DIR ACTION`.
pub fn codes(dir: &Path, action: CodesAction) -> Result<()> {
    match action {
        CodesAction::List { json } => super::show(dir, json.json, output::print_codebook),
        CodesAction::Export { file } => export(dir, &file),
        action => super::change_and_report(dir, |p| edit(p, action)),
    }
}

/// `codes DIR export FILE`: the codebook as a portable `.ron` tree.
fn export(dir: &Path, file: &Path) -> Result<()> {
    super::export_file(dir, file, |p| {
        let text = CodebookFile::from_project(p).to_ron()?;
        Ok((text.into_bytes(), format!("{} codes", p.codes().len())))
    })
}

/// The edit of an action that changes the codebook.
fn edit(p: &Project, action: CodesAction) -> Result<Edit> {
    let code = |key: &str| find_code(p, key).map(|c| c.id);
    Ok(match action {
        CodesAction::List { .. } | CodesAction::Export { .. } => {
            unreachable!("`codes` handles these without an edit")
        }
        CodesAction::Add {
            path,
            colour,
            description,
        } => ops::add_code_path(p, &path, colour.as_deref(), &description)?.1,
        CodesAction::Rename { code: key, name } => ops::rename_code(p, code(&key)?, &name)?,
        CodesAction::Move {
            code: key,
            to,
            position,
        } => {
            let parent = to.map(|t| code(&t)).transpose()?;
            ops::move_code(p, code(&key)?, parent, position)?
        }
        CodesAction::Merge { from, into } => ops::merge_codes(p, code(&from)?, code(&into)?)?,
        CodesAction::Delete { code: key } => {
            let id = code(&key)?;
            let edit = ops::delete_code(p, id)?;
            eprintln!(
                "Deleting '{}' with {} coding(s); `marginalia undo` brings them back",
                p.code_path(id),
                ops::codings_under(p, id)
            );
            edit
        }
        CodesAction::Describe {
            code: key,
            description,
        } => ops::describe_code(p, code(&key)?, &description)?,
        CodesAction::Colour { code: key, colour } => ops::colour_code(p, code(&key)?, &colour)?,
        CodesAction::Import { file } => {
            let book = CodebookFile::read(&file)?;
            let (edit, added) = book.import_edit(p)?;
            println!("Adding {added} codes from {}", file.display());
            edit
        }
    })
}
