//! The `cases` verbs: list, add, set and unset attribute values, link and unlink documents, delete, define
//! attributes, import a case table.

use std::path::Path;

use anyhow::{Result, anyhow};
use marginalia::edit::Edit;
use marginalia::model::{AttributeType, Project};
use marginalia::ops;

use super::args::CasesAction;
use super::output;
use super::resolve::{attribute_inputs, find_case, find_doc, ids};

/// `cases DIR ACTION`.
pub fn cases(dir: &Path, action: CasesAction) -> Result<()> {
    match action {
        CasesAction::List { json } => super::show(dir, json.json, output::print_cases),
        action => super::change_and_report(dir, |p| edit(p, action)),
    }
}

/// The edit of an action that changes cases or attributes.
fn edit(p: &Project, action: CasesAction) -> Result<Edit> {
    let case = |key: &str| find_case(p, key).map(|c| c.id);
    let docs = |keys: &[String]| ids(p, keys, find_doc, |d| d.id);
    Ok(match action {
        CasesAction::List { .. } => unreachable!("`cases` lists without an edit"),
        CasesAction::Add {
            name,
            attrs,
            description,
        } => ops::add_case_named(p, &name, &description, &attribute_inputs(&attrs)?, &[])?.1,
        CasesAction::Set { case: key, values } => {
            ops::set_attribute_values(p, case(&key)?, &attribute_inputs(&values)?)?
        }
        CasesAction::Unset { case: key, keys } => ops::unset_attributes(p, case(&key)?, &keys)?,
        CasesAction::Link { case: key, docs: d } => {
            ops::link_documents(p, case(&key)?, &docs(&d)?)?
        }
        CasesAction::Unlink { case: key, docs: d } => {
            ops::unlink_documents(p, case(&key)?, &docs(&d)?)?
        }
        CasesAction::Delete { case: key } => ops::delete_case(p, case(&key)?)?,
        CasesAction::Define { name, r#type } => {
            let kind = AttributeType::parse(&r#type).ok_or_else(|| {
                anyhow!(
                    "unknown type '{}' (use text, integer, number, boolean or date)",
                    r#type
                )
            })?;
            ops::define_attribute(p, &name, kind)?
        }
        CasesAction::ImportCsv { file } => marginalia::sample::cases_from_csv(p, &file)?,
    })
}
