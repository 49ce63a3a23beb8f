//! Reading a `.qdpx` archive safely: entry names checked for zip-slip, files found case-insensitively, source
//! texts decoded by their byte-order mark.

use std::collections::HashMap;
use std::path::Path;

use super::fail;
use crate::error::Result;
use crate::import::formats::zipsafe::SafeZip;

/// Archive entry names, safe ones only; an unsafe name (zip-slip) refuses the whole file.
fn check_names(path: &Path, names: &[String]) -> Result<()> {
    for name in names {
        let unsafe_name = name.starts_with('/')
            || name.starts_with('\\')
            || name.contains(':')
            || name.split(['/', '\\']).any(|part| part == "..");
        if unsafe_name {
            return Err(fail(
                path,
                format!(
                    "refused: the archive holds an entry with an unsafe path ('{name}') that could write outside its folder"
                ),
            ));
        }
    }
    Ok(())
}

/// Text of a source file: UTF-8 or UTF-16 by its BOM (BOM removed), not yet normalised.
pub(super) fn raw_text(bytes: &[u8]) -> Option<String> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return (!errors).then(|| text.into_owned());
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Some(text.to_string()),
        Err(_) => crate::import::decode::decode(bytes).ok().map(|(t, _)| t),
    }
}

/// An opened `.qdpx` archive.
pub(super) struct Archive<'a> {
    zip: SafeZip<'a>,
    /// Lower-case name → real name, for `Sources/` vs `sources/` and case-insensitive file systems.
    names: HashMap<String, String>,
}

impl<'a> Archive<'a> {
    /// Reads an entry by its name in any letter case.
    pub(super) fn read(&mut self, name: &str) -> Option<Vec<u8>> {
        let real = self.names.get(&name.to_lowercase())?.clone();
        self.zip.read(&real).ok().flatten()
    }

    /// Reads `internal://X` (or a bare relative name) from `sources/`.
    pub(super) fn read_internal(
        &mut self,
        reference: &str,
    ) -> std::result::Result<Vec<u8>, String> {
        let Some(name) = reference.strip_prefix("internal://").or_else(|| {
            (!reference.contains("://") && !reference.starts_with('/') && !reference.contains(':'))
                .then_some(reference)
        }) else {
            return Err(format!(
                "'{reference}' is a file outside the archive, which is not read"
            ));
        };
        if name.split(['/', '\\']).any(|p| p == "..") {
            return Err(format!("'{reference}' points outside the archive"));
        }
        self.read(&format!("sources/{name}"))
            .or_else(|| self.read(name))
            .ok_or_else(|| format!("'{reference}' is missing from the archive"))
    }

    /// Opens the archive, refusing unsafe entry names; returns it with the name of its project file.
    pub(super) fn open(path: &Path, bytes: &'a [u8]) -> Result<(Self, String)> {
        let zip = SafeZip::open(bytes, "qdpx").map_err(|e| fail(path, e.to_string()))?;
        let all_names = zip.names();
        check_names(path, &all_names)?;
        let qde = qde_name(path, &all_names)?;
        let names = all_names
            .iter()
            .map(|n| (n.to_lowercase(), n.clone()))
            .collect();
        Ok((Self { zip, names }, qde))
    }
}

/// The project file: `project.qde` at the top, or the only `.qde` there.
fn qde_name(path: &Path, names: &[String]) -> Result<String> {
    let root_qde: Vec<&String> = names
        .iter()
        .filter(|n| !n.contains('/') && n.to_lowercase().ends_with(".qde"))
        .collect();
    if let Some(name) = root_qde
        .iter()
        .find(|n| n.eq_ignore_ascii_case("project.qde"))
    {
        return Ok((*name).clone());
    }
    match root_qde.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(fail(
            path,
            "not a REFI-QDA project: no .qde file at the top of the archive",
        )),
        _ => Err(fail(
            path,
            "the archive holds several .qde files and none is project.qde; which one is the project is unclear",
        )),
    }
}
