//! Lenient `.qdpx` import: reads what NVivo, ATLAS.ti, MAXQDA, QualCoder, Taguette and Marginalia write
//! (see the variants in the tests), refuses unsafe archives and XML, and builds one [`Edit`] that fills an
//! empty project. Everything that could not be imported is listed in the report.

mod archive;
mod builder;
mod sources;

use std::path::Path;

use serde::Serialize;
use uuid::Uuid;

use super::positions::Counting;
use super::qdpx_write::{SIDECAR_PATH, Sidecar};
use super::xml::{self, Element};
use super::{file_guid, guid_text};
use crate::edit::Edit;
use crate::error::{Error, Result};
use crate::model::{Language, Project, ProjectMeta};
use archive::Archive;
use builder::Builder;

/// What an import brought in and what it left out.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ImportReport {
    /// The `origin` the file names (the tool that wrote it).
    pub origin: String,
    /// Sources imported as documents.
    pub documents: usize,
    /// Codes imported into the codebook.
    pub codes: usize,
    /// Coded selections imported as codings.
    pub codings: usize,
    /// Notes imported as memos.
    pub memos: usize,
    /// Cases imported.
    pub cases: usize,
    /// Document sets imported.
    pub sets: usize,
    /// Users imported as coders.
    pub users: usize,
    /// Sources and elements that were not imported, and why.
    pub skipped: Vec<String>,
    /// Imported, but worth a look (odd selection boundaries, renamed duplicates, converted positions).
    pub warnings: Vec<String>,
}

/// A parsed `.qdpx` ready to become a project.
#[derive(Debug)]
pub struct QdpxImport {
    /// Applies to `Project::new(name, language)`: fills it with everything imported.
    pub edit: Edit,
    /// The project's name from the file (`Imported project` when it names none).
    pub name: String,
    /// The project's language, from Marginalia's own details in the file when present, else the default.
    pub language: Language,
    /// What was imported, skipped and worth a look.
    pub report: ImportReport,
}

fn fail(path: &Path, message: impl Into<String>) -> Error {
    Error::Import {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// Any id of the file as a GUID: real GUIDs (braces, lower case) as they are, others hashed deterministically.
fn gid(raw: &str) -> Uuid {
    file_guid(raw)
}

fn parse_time(text: Option<&str>) -> Option<time::OffsetDateTime> {
    let text = text?.trim();
    if let Ok(t) = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
    {
        return Some(t);
    }
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let plain = text.split('.').next().unwrap_or(text);
    time::PrimitiveDateTime::parse(plain, format)
        .ok()
        .map(|t| t.assume_utc())
}

/// Parses a `.qdpx` archive. Nothing is written: the result is an edit for a new, empty project.
pub fn read_qdpx(path: &Path, bytes: &[u8]) -> Result<QdpxImport> {
    let (mut archive, qde_name) = Archive::open(path, bytes)?;
    let qde = archive
        .read(&qde_name)
        .ok_or_else(|| fail(path, format!("{qde_name} could not be read")))?;
    let text = xml::decode(&qde).map_err(|e| fail(path, format!("{qde_name}: {e}")))?;
    let root = xml::parse(&text).map_err(|e| fail(path, format!("{qde_name}: {e}")))?;
    project_from_xml(path, &root, &mut archive)
}

fn project_from_xml(path: &Path, root: &Element, archive: &mut Archive<'_>) -> Result<QdpxImport> {
    let (report, counting) = check_root(path, root)?;
    let sidecar = read_sidecar(archive);
    let language = sidecar.as_ref().map(|s| s.language).unwrap_or_default();
    let mut builder = Builder::new(counting, report, sidecar);
    builder.users(root);
    builder.codes(root);
    builder.variables(root);
    builder.sources(root, archive);
    let cases = builder.cases(root);
    let sets = builder.sets(root);
    builder.notes(root, archive, &cases);
    builder.unsupported(root);
    let meta = project_meta(root, language);
    let name = meta.name.clone();
    let (edit, report) = builder.finish(meta, cases, sets);
    // Check the whole edit on an empty project now, so a bad file never half-creates one.
    Project::new(&name, language)
        .apply(edit.clone())
        .map_err(|e| fail(path, format!("the file's content is inconsistent: {e}")))?;
    Ok(QdpxImport {
        edit,
        name,
        language,
        report,
    })
}

/// Checks the root element; returns the report begun with what is odd about it, and how positions count.
fn check_root(path: &Path, root: &Element) -> Result<(ImportReport, Counting)> {
    if root.name != "Project" {
        return Err(fail(
            path,
            format!("not a REFI-QDA project: the XML's root is <{}>", root.name),
        ));
    }
    let origin = root.attr("origin").unwrap_or("").to_string();
    let mut report = ImportReport {
        origin: origin.clone(),
        ..ImportReport::default()
    };
    if let Some(ns) = &root.namespace
        && ns != super::PROJECT_NS
    {
        report.warnings.push(format!(
            "unexpected namespace '{ns}'; read as {}",
            super::PROJECT_NS
        ));
    }
    let counting = Counting::for_origin(&origin);
    if counting != Counting::STANDARD {
        report.warnings.push(format!(
            "positions converted from {} as written by '{origin}'",
            if counting.utf16 {
                "UTF-16 units with CRLF counted as two"
            } else {
                "code points with each line break counted as one"
            }
        ));
    }
    Ok((report, counting))
}

/// The Marginalia-only details, when Marginalia wrote the file (anything unreadable is ignored).
fn read_sidecar(archive: &mut Archive<'_>) -> Option<Sidecar> {
    let bytes = archive.read(SIDECAR_PATH)?;
    let text = String::from_utf8(bytes).ok()?;
    crate::store::from_ron(Path::new(SIDECAR_PATH), &text).ok()
}

fn project_meta(root: &Element, language: Language) -> ProjectMeta {
    let name = root
        .attr("name")
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .unwrap_or("Imported project")
        .to_string();
    ProjectMeta {
        format_version: crate::model::FORMAT_VERSION,
        name,
        language,
        created: parse_time(root.attr("creationDateTime")).unwrap_or_else(crate::now),
        description: root.child_text("Description").unwrap_or("").to_string(),
        rejected_suggestions: Default::default(),
    }
}

/// Ids the importer gives a foreign id, for tests and for callers matching records.
pub fn foreign_guid(raw: &str) -> String {
    guid_text(gid(raw))
}
