//! `.qdpx` export: `project.qde` (element order as Project.xsd requires) plus `sources/<GUID>.txt`, and the
//! Marginalia-only details other tools ignore in `extensions/marginalia.ron`, so our own import is exact.

use std::collections::{BTreeMap, HashMap};
use std::io::{Cursor, Write};

use serde::{Deserialize, Serialize};

use super::xml::Writer;
use super::{PROJECT_NS, derived_guid, guid_text, variable_type};
use crate::error::{Error, Result};
use crate::ids::{CodeId, CodingId};
use crate::model::{AttributeValue, Document, Language, Memo, MemoTarget, Project};

/// Where the Marginalia-only details live inside the zip.
pub const SIDECAR_PATH: &str = "extensions/marginalia.ron";

/// Details REFI-QDA has no place for: document kinds, original file names, structure and the language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sidecar {
    pub language: Language,
    pub documents: Vec<Document>,
}

/// What an export wrote, and what other tools will not see.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ExportReport {
    pub documents: usize,
    pub codes: usize,
    pub codings: usize,
    pub memos: usize,
    pub cases: usize,
    pub sets: usize,
    pub users: usize,
    /// Things the standard cannot hold, or holds only approximately.
    pub not_represented: Vec<String>,
}

fn time(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// The GUID of the selection that carries one coding.
pub fn selection_guid(coding: CodingId) -> String {
    guid_text(derived_guid("selection", &coding.to_string()))
}

/// The GUID of an attribute (a REFI variable).
pub fn variable_guid(name: &str) -> String {
    guid_text(derived_guid("variable", name))
}

/// Builds `project.qde` for a project.
pub fn project_qde(project: &Project) -> (String, ExportReport) {
    let mut report = ExportReport::default();
    let mut notes_by_target: HashMap<MemoTarget, Vec<&Memo>> = HashMap::new();
    for memo in project.memos().values() {
        notes_by_target.entry(memo.target).or_default().push(memo);
    }
    let note_refs = |w: &mut Writer, target: MemoTarget| {
        for memo in notes_by_target.get(&target).into_iter().flatten() {
            w.empty("NoteRef", &[("targetGUID", memo.id.to_string())]);
        }
    };

    let mut w = Writer::new();
    w.open(
        "Project",
        &[
            ("xmlns", PROJECT_NS.to_string()),
            ("name", project.meta().name.clone()),
            ("origin", super::ORIGIN.to_string()),
            ("creationDateTime", time(project.meta().created)),
        ],
    );

    // Users.
    if !project.coders().is_empty() {
        w.open("Users", &[]);
        for coder in project.coders().values() {
            w.empty(
                "User",
                &[("guid", coder.id.to_string()), ("name", coder.name.clone())],
            );
        }
        w.close("Users");
        report.users = project.coders().len();
    }

    // Codebook, nested in tree order.
    if !project.codes().is_empty() {
        w.open("CodeBook", &[]);
        w.open("Codes", &[]);
        fn write_code(
            w: &mut Writer,
            project: &Project,
            id: CodeId,
            note_refs: &dyn Fn(&mut Writer, MemoTarget),
        ) {
            let Some(code) = project.codes().get(&id) else {
                return;
            };
            w.open(
                "Code",
                &[
                    ("guid", code.id.to_string()),
                    ("name", code.name.clone()),
                    ("isCodable", "true".to_string()),
                    ("color", code.colour.to_uppercase()),
                ],
            );
            if !code.description.is_empty() {
                w.text("Description", &code.description);
            }
            note_refs(w, MemoTarget::Code(code.id));
            for child in project.children(Some(code.id)) {
                write_code(w, project, child.id, note_refs);
            }
            w.close("Code");
        }
        for code in project.children(None) {
            write_code(&mut w, project, code.id, &note_refs);
        }
        w.close("Codes");
        w.close("CodeBook");
        report.codes = project.codes().len();
    }

    // Variables (attribute definitions).
    if !project.attributes().is_empty() {
        w.open("Variables", &[]);
        for def in project.attributes().values() {
            w.empty(
                "Variable",
                &[
                    ("guid", variable_guid(&def.name)),
                    ("name", def.name.clone()),
                    ("typeOfVariable", variable_type(def.kind).to_string()),
                ],
            );
        }
        w.close("Variables");
    }

    // Cases with their values and documents.
    if !project.cases().is_empty() {
        w.open("Cases", &[]);
        for case in project.cases().values() {
            w.open(
                "Case",
                &[("guid", case.id.to_string()), ("name", case.name.clone())],
            );
            if !case.description.is_empty() {
                w.text("Description", &case.description);
            }
            for (name, value) in &case.attributes {
                w.open("VariableValue", &[]);
                w.empty("VariableRef", &[("targetGUID", variable_guid(name))]);
                let (element, text) = match value {
                    AttributeValue::Text(t) => ("TextValue", t.clone()),
                    AttributeValue::Integer(i) => ("IntegerValue", i.to_string()),
                    AttributeValue::Number(n) => ("FloatValue", n.to_string()),
                    AttributeValue::Boolean(b) => ("BooleanValue", b.to_string()),
                    AttributeValue::Date(d) => ("DateValue", d.clone()),
                };
                w.text(element, &text);
                w.close("VariableValue");
            }
            for doc in &case.documents {
                w.empty("SourceRef", &[("targetGUID", doc.to_string())]);
            }
            w.close("Case");
        }
        w.close("Cases");
        report.cases = project.cases().len();
    }

    // Sources: one selection per coding, the coding memo as the selection's description.
    let mut coding_memos = 0;
    if !project.documents().is_empty() {
        w.open("Sources", &[]);
        for doc in project.documents().values() {
            w.open(
                "TextSource",
                &[
                    ("guid", doc.id.to_string()),
                    ("name", doc.name.clone()),
                    ("plainTextPath", format!("internal://{}.txt", doc.id)),
                    ("creationDateTime", time(doc.imported)),
                ],
            );
            for coding in project.codings_in(doc.id) {
                w.open(
                    "PlainTextSelection",
                    &[
                        ("guid", selection_guid(coding.id)),
                        ("startPosition", coding.range.start.to_string()),
                        ("endPosition", coding.range.end.to_string()),
                        ("creatingUser", coding.coder.to_string()),
                        ("creationDateTime", time(coding.created)),
                    ],
                );
                if let Some(memo) = &coding.memo {
                    w.text("Description", memo);
                    coding_memos += 1;
                }
                w.open(
                    "Coding",
                    &[
                        ("guid", coding.id.to_string()),
                        ("creatingUser", coding.coder.to_string()),
                        ("creationDateTime", time(coding.created)),
                    ],
                );
                w.empty("CodeRef", &[("targetGUID", coding.code.to_string())]);
                note_refs(&mut w, MemoTarget::Coding(coding.id));
                w.close("Coding");
                w.close("PlainTextSelection");
            }
            note_refs(&mut w, MemoTarget::Document(doc.id));
            w.close("TextSource");
        }
        w.close("Sources");
        report.documents = project.documents().len();
        report.codings = project.codings().len();
    }

    // Notes (memos).
    if !project.memos().is_empty() {
        w.open("Notes", &[]);
        for memo in project.memos().values() {
            let mut attrs = vec![("guid", memo.id.to_string()), ("name", memo.title.clone())];
            if let Some(author) = memo.author {
                attrs.push(("creatingUser", author.to_string()));
            }
            attrs.push(("creationDateTime", time(memo.created)));
            w.open("Note", &attrs);
            w.text("PlainTextContent", &memo.text);
            w.close("Note");
        }
        w.close("Notes");
        report.memos = project.memos().len();
    }

    // Case memos: a case has no NoteRef in the schema, so a link from the note to the case carries them.
    let case_memos: Vec<&Memo> = project
        .memos()
        .values()
        .filter(|m| matches!(m.target, MemoTarget::Case(_)))
        .collect();
    if !case_memos.is_empty() {
        w.open("Links", &[]);
        for memo in &case_memos {
            if let MemoTarget::Case(case) = memo.target {
                w.empty(
                    "Link",
                    &[
                        (
                            "guid",
                            guid_text(derived_guid("case-memo", &memo.id.to_string())),
                        ),
                        ("name", "memo".to_string()),
                        ("direction", "OneWay".to_string()),
                        ("originGUID", memo.id.to_string()),
                        ("targetGUID", case.to_string()),
                    ],
                );
            }
        }
        w.close("Links");
        report.not_represented.push(format!(
            "{} case memo(s): the standard has no notes on cases; written as links from the note to the case",
            case_memos.len()
        ));
    }

    // Document sets.
    if !project.sets().is_empty() {
        w.open("Sets", &[]);
        for set in project.sets().values() {
            w.open(
                "Set",
                &[("guid", set.id.to_string()), ("name", set.name.clone())],
            );
            if !set.description.is_empty() {
                w.text("Description", &set.description);
            }
            for doc in &set.documents {
                w.empty("MemberSource", &[("targetGUID", doc.to_string())]);
            }
            w.close("Set");
        }
        w.close("Sets");
        report.sets = project.sets().len();
    }

    if !project.meta().description.is_empty() {
        w.text("Description", &project.meta().description);
    }
    note_refs(&mut w, MemoTarget::Project);
    w.close("Project");

    if coding_memos > 0 {
        report.not_represented.push(format!(
            "{coding_memos} coding comment(s): written as the description of the coded selection"
        ));
    }
    report.not_represented.push(
        "document kinds, original file names, paragraphs, speaker turns, pages and the project language: kept in extensions/marginalia.ron, which other tools ignore".to_string(),
    );
    (w.finish(), report)
}

/// Builds the whole `.qdpx` archive in memory.
pub fn project_qdpx(project: &Project) -> Result<(Vec<u8>, ExportReport)> {
    let (qde, report) = project_qde(project);
    let sidecar = Sidecar {
        language: project.meta().language,
        documents: project.documents().values().cloned().collect(),
    };
    let sidecar =
        crate::store::to_ron(&sidecar).map_err(|e| Error::invalid(SIDECAR_PATH, e.to_string()))?;
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for id in project.documents().keys() {
        files.insert(
            format!("sources/{id}.txt"),
            project.text(*id).as_bytes().to_vec(),
        );
    }
    let zip_error = |e: String| Error::invalid("project.qdpx", e);
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    let mut add = |name: &str, data: &[u8]| -> Result<()> {
        writer
            .start_file(name, options)
            .map_err(|e| zip_error(e.to_string()))?;
        writer.write_all(data).map_err(|e| zip_error(e.to_string()))
    };
    add("project.qde", qde.as_bytes())?;
    for (name, data) in &files {
        add(name, data)?;
    }
    add(SIDECAR_PATH, sidecar.as_bytes())?;
    let bytes = writer
        .finish()
        .map_err(|e| zip_error(e.to_string()))?
        .into_inner();
    Ok((bytes, report))
}
