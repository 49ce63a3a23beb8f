//! `.qdpx` export: `project.qde` (element order as Project.xsd requires) plus `sources/<GUID>.txt`, and the
//! Marginalia-only details other tools ignore in `extensions/marginalia.ron`, so our own import is exact.

use std::collections::{BTreeMap, HashMap};
use std::io::{Cursor, Write};

use serde::{Deserialize, Serialize};

use super::xml::Writer;
use super::{PROJECT_NS, codebook_xml, derived_guid, guid_text, variable_type};
use crate::error::{Error, Result};
use crate::ids::{CaseId, CodingId};
use crate::model::{AttributeValue, Coding, Document, Language, Memo, MemoTarget, Project};

/// Where the Marginalia-only details live inside the zip.
pub const SIDECAR_PATH: &str = "extensions/marginalia.ron";

/// Details REFI-QDA has no place for: document kinds, original file names, structure and the language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sidecar {
    /// The project's language, which REFI-QDA has no field for.
    pub language: Language,
    /// Every document with the details REFI-QDA cannot hold (kind, original file, paragraphs, turns, pages).
    pub documents: Vec<Document>,
}

/// What an export wrote, and what other tools will not see.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ExportReport {
    /// Documents written as sources.
    pub documents: usize,
    /// Codes written to the codebook.
    pub codes: usize,
    /// Codings written as coded selections.
    pub codings: usize,
    /// Memos written as notes.
    pub memos: usize,
    /// Cases written with their attribute values.
    pub cases: usize,
    /// Document sets written.
    pub sets: usize,
    /// Coders written as users.
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

/// Builds `project.qde` for a project: its sections in the order Project.xsd requires.
pub fn project_qde(project: &Project) -> (String, ExportReport) {
    let mut qde = Qde::new(project);
    qde.w.open(
        "Project",
        &[
            ("xmlns", PROJECT_NS.to_string()),
            ("name", project.meta().name.clone()),
            ("origin", super::ORIGIN.to_string()),
            ("creationDateTime", time(project.meta().created)),
        ],
    );
    qde.users();
    qde.codebook();
    qde.variables();
    qde.cases();
    qde.sources();
    qde.notes();
    qde.case_memo_links();
    qde.sets();
    if !project.meta().description.is_empty() {
        qde.w.text("Description", &project.meta().description);
    }
    qde.note_refs(MemoTarget::Project);
    qde.w.close("Project");
    qde.finish()
}

/// Memos by what they are on, for the `<NoteRef>`s of each element.
type NotesByTarget<'p> = HashMap<MemoTarget, Vec<&'p Memo>>;

/// Writes `<NoteRef>`s to the memos on `target`.
fn write_note_refs(w: &mut Writer, notes: &NotesByTarget<'_>, target: MemoTarget) {
    for memo in notes.get(&target).into_iter().flatten() {
        w.empty("NoteRef", &[("targetGUID", memo.id.to_string())]);
    }
}

/// `project.qde` being written, section by section, and the report of what went in.
struct Qde<'p> {
    project: &'p Project,
    w: Writer,
    report: ExportReport,
    notes: NotesByTarget<'p>,
    coding_memos: usize,
}

impl<'p> Qde<'p> {
    fn new(project: &'p Project) -> Self {
        let mut notes: NotesByTarget<'p> = HashMap::new();
        for memo in project.memos().values() {
            notes.entry(memo.target).or_default().push(memo);
        }
        Self {
            project,
            w: Writer::new(),
            report: ExportReport::default(),
            notes,
            coding_memos: 0,
        }
    }

    fn note_refs(&mut self, target: MemoTarget) {
        write_note_refs(&mut self.w, &self.notes, target);
    }

    /// `<name>…</name>` around what `write` writes, left out when `count` is 0; returns `count`.
    fn section(&mut self, name: &str, count: usize, write: impl FnOnce(&mut Self)) -> usize {
        if count > 0 {
            self.w.open(name, &[]);
            write(self);
            self.w.close(name);
        }
        count
    }

    fn users(&mut self) {
        let coders = self.project.coders();
        self.report.users = self.section("Users", coders.len(), |q| {
            for coder in coders.values() {
                let attrs = [("guid", coder.id.to_string()), ("name", coder.name.clone())];
                q.w.empty("User", &attrs);
            }
        });
    }

    /// The codebook, nested in tree order, with the memos on each code.
    fn codebook(&mut self) {
        if self.project.codes().is_empty() {
            return;
        }
        let notes = &self.notes;
        codebook_xml::write(&mut self.w, self.project, &[], &|w, id| {
            write_note_refs(w, notes, MemoTarget::Code(id))
        });
        self.report.codes = self.project.codes().len();
    }

    /// Attribute definitions.
    fn variables(&mut self) {
        let attributes = self.project.attributes();
        self.section("Variables", attributes.len(), |q| {
            for def in attributes.values() {
                let attrs = [
                    ("guid", variable_guid(&def.name)),
                    ("name", def.name.clone()),
                    ("typeOfVariable", variable_type(def.kind).to_string()),
                ];
                q.w.empty("Variable", &attrs);
            }
        });
    }

    /// Cases with their values and documents.
    fn cases(&mut self) {
        let cases = self.project.cases();
        self.report.cases = self.section("Cases", cases.len(), |q| {
            for case in cases.values() {
                q.named("Case", case.id.to_string(), &case.name, &case.description);
                for (name, value) in &case.attributes {
                    q.variable_value(name, value);
                }
                for doc in &case.documents {
                    q.w.empty("SourceRef", &[("targetGUID", doc.to_string())]);
                }
                q.w.close("Case");
            }
        });
    }

    /// Opens an element with a guid and a name, and writes its description (when there is one).
    fn named(&mut self, element: &str, guid: String, name: &str, description: &str) {
        self.w
            .open(element, &[("guid", guid), ("name", name.to_string())]);
        if !description.is_empty() {
            self.w.text("Description", description);
        }
    }

    fn variable_value(&mut self, name: &str, value: &AttributeValue) {
        self.w.open("VariableValue", &[]);
        self.w
            .empty("VariableRef", &[("targetGUID", variable_guid(name))]);
        let (element, text) = match value {
            AttributeValue::Text(t) => ("TextValue", t.clone()),
            AttributeValue::Integer(i) => ("IntegerValue", i.to_string()),
            AttributeValue::Number(n) => ("FloatValue", n.to_string()),
            AttributeValue::Boolean(b) => ("BooleanValue", b.to_string()),
            AttributeValue::Date(d) => ("DateValue", d.clone()),
        };
        self.w.text(element, &text);
        self.w.close("VariableValue");
    }

    /// Text sources: one selection per coding, the coding memo as the selection's description.
    fn sources(&mut self) {
        let project = self.project;
        self.report.documents = self.section("Sources", project.documents().len(), |q| {
            for doc in project.documents().values() {
                let attrs = [
                    ("guid", doc.id.to_string()),
                    ("name", doc.name.clone()),
                    ("plainTextPath", format!("internal://{}.txt", doc.id)),
                    ("creationDateTime", time(doc.imported)),
                ];
                q.w.open("TextSource", &attrs);
                for coding in project.codings_in(doc.id) {
                    q.selection(coding);
                }
                q.note_refs(MemoTarget::Document(doc.id));
                q.w.close("TextSource");
            }
        });
        if self.report.documents > 0 {
            self.report.codings = project.codings().len();
        }
    }

    /// The selection that carries one coding.
    fn selection(&mut self, coding: &Coding) {
        self.w.open(
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
            self.w.text("Description", memo);
            self.coding_memos += 1;
        }
        self.w.open(
            "Coding",
            &[
                ("guid", coding.id.to_string()),
                ("creatingUser", coding.coder.to_string()),
                ("creationDateTime", time(coding.created)),
            ],
        );
        self.w
            .empty("CodeRef", &[("targetGUID", coding.code.to_string())]);
        self.note_refs(MemoTarget::Coding(coding.id));
        self.w.close("Coding");
        self.w.close("PlainTextSelection");
    }

    /// Memos as notes.
    fn notes(&mut self) {
        let memos = self.project.memos();
        self.report.memos = self.section("Notes", memos.len(), |q| {
            for memo in memos.values() {
                let mut attrs = vec![("guid", memo.id.to_string()), ("name", memo.title.clone())];
                if let Some(author) = memo.author {
                    attrs.push(("creatingUser", author.to_string()));
                }
                attrs.push(("creationDateTime", time(memo.created)));
                q.w.open("Note", &attrs);
                q.w.text("PlainTextContent", &memo.text);
                q.w.close("Note");
            }
        });
    }

    /// Case memos: a case has no NoteRef in the schema, so a link from the note to the case carries them.
    fn case_memo_links(&mut self) {
        let case_memos: Vec<(&Memo, CaseId)> = self
            .project
            .memos()
            .values()
            .filter_map(|m| match m.target {
                MemoTarget::Case(case) => Some((m, case)),
                _ => None,
            })
            .collect();
        let links = self.section("Links", case_memos.len(), |q| {
            for (memo, case) in &case_memos {
                let guid = guid_text(derived_guid("case-memo", &memo.id.to_string()));
                let attrs = [
                    ("guid", guid),
                    ("name", "memo".to_string()),
                    ("direction", "OneWay".to_string()),
                    ("originGUID", memo.id.to_string()),
                    ("targetGUID", case.to_string()),
                ];
                q.w.empty("Link", &attrs);
            }
        });
        if links > 0 {
            self.report.not_represented.push(format!(
                "{links} case memo(s): the standard has no notes on cases; written as links from the note to the case"
            ));
        }
    }

    /// Document sets.
    fn sets(&mut self) {
        let sets = self.project.sets();
        self.report.sets = self.section("Sets", sets.len(), |q| {
            for set in sets.values() {
                q.named("Set", set.id.to_string(), &set.name, &set.description);
                for doc in &set.documents {
                    q.w.empty("MemberSource", &[("targetGUID", doc.to_string())]);
                }
                q.w.close("Set");
            }
        });
    }

    /// The XML and the report, with what the standard could not hold.
    fn finish(mut self) -> (String, ExportReport) {
        if self.coding_memos > 0 {
            self.report.not_represented.push(format!(
                "{} coding comment(s): written as the description of the coded selection",
                self.coding_memos
            ));
        }
        self.report.not_represented.push(
            "document kinds, original file names, paragraphs, speaker turns, pages and the project language: kept in extensions/marginalia.ron, which other tools ignore".to_string(),
        );
        (self.w.finish(), self.report)
    }
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
