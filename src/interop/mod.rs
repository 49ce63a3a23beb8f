//! Exchange with other QDA tools through REFI-QDA 1.5: `.qdpx` projects, `.qdc` codebooks, and plain
//! text/CSV codebook outlines.

pub mod codebook_xml;
pub mod outline;
pub mod positions;
pub mod qdc;
pub mod qdpx_read;
pub mod qdpx_write;
pub mod xml;

use uuid::Uuid;

use crate::model::AttributeType;

/// Reads a codebook to merge: REFI-QDA `.qdc`/`.xml`, a CSV/TSV table, or an indented text outline (by extension).
/// Returns the code tree and warnings about what was odd in the file.
pub fn read_codebook(
    file: &std::path::Path,
) -> crate::error::Result<(Vec<qdc::CodeNode>, Vec<String>)> {
    use crate::error::Error;
    let bytes = std::fs::read(file).map_err(|e| Error::io(file, e))?;
    let extension = file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    if matches!(extension.as_str(), "qdc" | "xml") {
        return qdc::read_qdc(file, &bytes);
    }
    if matches!(extension.as_str(), "xlsx" | "ods") {
        return outline::read_spreadsheet(file, &bytes);
    }
    let text = String::from_utf8(bytes).map_err(|_| Error::Import {
        path: file.to_path_buf(),
        message: "not UTF-8 text; save it as UTF-8 and try again".into(),
    })?;
    if matches!(extension.as_str(), "csv" | "tsv") {
        outline::read_csv(file, &text)
    } else if outline::is_qualcoder_text(&text) {
        Ok((outline::read_qualcoder_text(&text), Vec::new()))
    } else {
        Ok((outline::read_text(&text), Vec::new()))
    }
}

/// Creates a project in `root` from a `.qdpx` file and saves it. Everything is parsed and checked before the
/// folder is created, so a bad file leaves nothing behind. Returns the project's name and what was imported.
pub fn import_qdpx_project(
    file: &std::path::Path,
    root: &std::path::Path,
) -> crate::error::Result<(String, qdpx_read::ImportReport)> {
    let bytes = std::fs::read(file).map_err(|e| crate::error::Error::io(file, e))?;
    let parsed = qdpx_read::read_qdpx(file, &bytes)?;
    let mut ws = crate::Workspace::create(root, &parsed.name, parsed.language)?;
    ws.apply(parsed.edit)?;
    ws.save()?;
    Ok((parsed.name, parsed.report))
}

/// Namespace of `.qde` project files.
pub const PROJECT_NS: &str = "urn:QDA-XML:project:1.0";
/// Namespace of `.qdc` codebook files.
pub const CODEBOOK_NS: &str = "urn:QDA-XML:codebook:1.0";
/// The older codebook namespace (ATLAS.ti 9).
pub const CODEBOOK_NS_OLD: &str = "urn:QDA-XML:codebook:0:4";
/// What we write in `origin` attributes.
pub const ORIGIN: &str = concat!("Marginalia ", env!("CARGO_PKG_VERSION"));

/// A GUID derived deterministically from a kind and a key, for things without ids of their own
/// (attributes, selections) and for foreign ids that are not GUIDs: the same input gives the same GUID.
pub fn derived_guid(kind: &str, key: &str) -> Uuid {
    let hash = |seed: u64| {
        let mut h = seed;
        for byte in kind.bytes().chain([0u8]).chain(key.bytes()) {
            h ^= u64::from(byte);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h
    };
    let high = hash(0xcbf2_9ce4_8422_2325);
    let low = hash(0x8422_2325_cbf2_9ce4 ^ high);
    let value = (u128::from(high) << 64) | u128::from(low);
    // Mark it as a version 8 (custom) UUID of the RFC 4122 variant.
    let value = (value & !(0xF << 76)) | (0x8 << 76);
    let value = (value & !(0x3 << 62)) | (0x2 << 62);
    Uuid::from_u128(value)
}

/// REFI-QDA's `typeOfVariable` for an attribute type.
pub fn variable_type(kind: AttributeType) -> &'static str {
    match kind {
        AttributeType::Text => "Text",
        AttributeType::Integer => "Integer",
        AttributeType::Number => "Float",
        AttributeType::Boolean => "Boolean",
        AttributeType::Date => "Date",
    }
}

/// Any id a file gives as a GUID: real GUIDs (braces, lower case) as they are, others mapped to a stable
/// derived GUID, so the same foreign id always gives the same id here.
pub fn file_guid(raw: &str) -> Uuid {
    crate::ids::parse_guid(raw).unwrap_or_else(|| derived_guid("foreign-id", raw.trim()))
}

/// Upper-case hyphenated GUID text.
pub fn guid_text(id: Uuid) -> String {
    let mut buf = Uuid::encode_buffer();
    id.hyphenated().encode_upper(&mut buf).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_guids_are_stable_and_distinct() {
        let a = derived_guid("variable", "municipality");
        assert_eq!(a, derived_guid("variable", "municipality"));
        assert_ne!(a, derived_guid("variable", "group"));
        assert_ne!(a, derived_guid("selection", "municipality"));
        assert_eq!(a.get_version_num(), 8);
    }
}
