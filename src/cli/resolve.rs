//! Names on the command line → the project's things: documents, codes, cases, coders, sets, attribute values;
//! an unknown name is one clear error that says where to look.

use anyhow::{Result, anyhow};
use marginalia::ids::SetId;
use marginalia::model::{Case, Code, Document, Project};
use marginalia::ops;

/// The error for a name that matches nothing: what was looked for, and where to see what there is.
fn unknown(what: &str, key: &str, see: &str) -> anyhow::Error {
    anyhow!("no {what} '{key}'{see}")
}

pub fn find_doc<'p>(p: &'p Project, key: &str) -> Result<&'p Document> {
    let see = " (see `marginalia docs`)";
    p.find_document(key)
        .ok_or_else(|| unknown("document named", key, see))
}

pub fn find_code<'p>(p: &'p Project, key: &str) -> Result<&'p Code> {
    let see = " in the codebook (see `marginalia codes DIR list`)";
    p.find_code(key).ok_or_else(|| unknown("code", key, see))
}

pub fn find_case<'p>(p: &'p Project, key: &str) -> Result<&'p Case> {
    let see = " (see `marginalia cases DIR list`)";
    p.find_case(key)
        .ok_or_else(|| unknown("case named", key, see))
}

pub fn find_set(p: &Project, key: &str) -> Result<SetId> {
    let see = " (see `marginalia sets DIR list`)";
    p.find_set(key)
        .map(|s| s.id)
        .ok_or_else(|| unknown("document set named", key, see))
}

/// Resolves many names at once with one of the `find_*` functions; the first unknown name is the error.
pub fn ids<'p, T: 'p, I>(
    p: &'p Project,
    keys: &[String],
    find: impl Fn(&'p Project, &str) -> Result<&'p T>,
    id: impl Fn(&T) -> I,
) -> Result<Vec<I>> {
    keys.iter().map(|k| find(p, k).map(&id)).collect()
}

/// Parses `NAME=VALUE` arguments.
pub fn attribute_inputs(values: &[String]) -> Result<Vec<ops::AttributeInput>> {
    Ok(values
        .iter()
        .map(|v| ops::AttributeInput::parse(v))
        .collect::<Result<_, _>>()?)
}

/// Parses an id printed by an earlier command (a coding's or a memo's).
pub fn parse_id<T: std::str::FromStr<Err = String>>(text: &str) -> Result<T> {
    text.parse().map_err(|e: String| anyhow!(e))
}
