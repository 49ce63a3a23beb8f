//! The `sets` verbs: list document sets, add documents to a set (creating it), delete a set.

use std::path::Path;

use anyhow::Result;
use marginalia::ops;

use super::args::SetsAction;
use super::output;
use super::resolve::{find_doc, find_set, ids};

/// `sets DIR ACTION`.
pub fn sets(dir: &Path, action: SetsAction) -> Result<()> {
    match action {
        SetsAction::List { json } => super::show(dir, json.json, output::print_sets),
        SetsAction::Add { name, docs } => super::change_and_report(dir, |p| {
            Ok(ops::add_to_set(
                p,
                &name,
                &ids(p, &docs, find_doc, |d| d.id)?,
            )?)
        }),
        SetsAction::Delete { name } => {
            super::change_and_report(dir, |p| Ok(ops::delete_set(p, find_set(p, &name)?)?))
        }
    }
}
