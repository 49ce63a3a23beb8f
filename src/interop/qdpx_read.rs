//! Lenient `.qdpx` import: reads what NVivo, ATLAS.ti, MAXQDA, QualCoder, Taguette and Marginalia write
//! (see the variants in the tests), refuses unsafe archives and XML, and builds one [`Edit`] that fills an
//! empty project. Everything that could not be imported is listed in the report.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;
use uuid::Uuid;

use super::positions::{Counting, PositionMap};
use super::qdpx_write::{SIDECAR_PATH, Sidecar};
use super::xml::{self, Element};
use super::{derived_guid, guid_text};
use crate::edit::{DocumentEntry, Edit, Entity};
use crate::error::{Error, Result};
use crate::ids::{CaseId, CodeId, CoderId, CodingId, DocumentId, MemoId, SetId, parse_guid};
use crate::import::formats::zipsafe::SafeZip;
use crate::model::{
    AttributeDef, AttributeType, AttributeValue, Case, Code, Coder, Coding, DocumentSet, Language,
    Memo, MemoTarget, PALETTE, Project, ProjectMeta, text_hash,
};
use crate::offsets::{CharRange, slice};

/// What an import brought in and what it left out.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ImportReport {
    /// The `origin` the file names (the tool that wrote it).
    pub origin: String,
    pub documents: usize,
    pub codes: usize,
    pub codings: usize,
    pub memos: usize,
    pub cases: usize,
    pub sets: usize,
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
    pub name: String,
    pub language: Language,
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
    parse_guid(raw).unwrap_or_else(|| derived_guid("foreign-id", raw.trim()))
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
fn raw_text(bytes: &[u8]) -> Option<String> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return (!errors).then(|| text.into_owned());
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Some(text.to_string()),
        Err(_) => crate::import::decode::decode(bytes).ok().map(|(t, _)| t),
    }
}

struct Archive<'a> {
    zip: SafeZip<'a>,
    /// Lower-case name → real name, for `Sources/` vs `sources/` and case-insensitive file systems.
    names: HashMap<String, String>,
}

impl Archive<'_> {
    fn read(&mut self, name: &str) -> Option<Vec<u8>> {
        let real = self.names.get(&name.to_lowercase())?.clone();
        self.zip.read(&real).ok().flatten()
    }

    /// Reads `internal://X` (or a bare relative name) from `sources/`.
    fn read_internal(&mut self, reference: &str) -> std::result::Result<Vec<u8>, String> {
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
}

/// Where a note is attached.
#[derive(Default)]
struct Targets {
    map: HashMap<Uuid, MemoTarget>,
}

impl Targets {
    fn note_refs(&mut self, element: &Element, target: MemoTarget) {
        for note in element.all("NoteRef") {
            if let Some(raw) = note.attr("targetGUID") {
                self.map.entry(gid(raw)).or_insert(target);
            }
        }
    }
}

struct Builder<'p> {
    path: &'p Path,
    counting: Counting,
    report: ImportReport,
    coders: BTreeMap<CoderId, Coder>,
    fallback_coder: Option<CoderId>,
    codes: Vec<Code>,
    variables: HashMap<Uuid, (String, AttributeType)>,
    attributes: BTreeMap<String, AttributeDef>,
    documents: Vec<DocumentEntry>,
    doc_ids: HashSet<DocumentId>,
    codings: BTreeMap<CodingId, Coding>,
    memos: Vec<Memo>,
    comments: Vec<Memo>,
    targets: Targets,
    selection_docs: HashMap<Uuid, DocumentId>,
    sidecar: HashMap<DocumentId, crate::model::Document>,
    odd_boundaries: usize,
}

impl Builder<'_> {
    fn coder_for(&mut self, raw: Option<&str>) -> CoderId {
        if let Some(id) = raw.map(|r| CoderId(gid(r)))
            && self.coders.contains_key(&id)
        {
            return id;
        }
        if let Some(id) = self.fallback_coder {
            return id;
        }
        let id = CoderId(derived_guid("coder", "imported"));
        let mut name = "Imported".to_string();
        let mut n = 2;
        while self
            .coders
            .values()
            .any(|c| c.name.eq_ignore_ascii_case(&name))
        {
            name = format!("Imported ({n})");
            n += 1;
        }
        self.coders.insert(id, Coder { id, name });
        self.fallback_coder = Some(id);
        id
    }

    fn users(&mut self, root: &Element) {
        let mut taken = HashSet::new();
        for (index, user) in root
            .child("Users")
            .into_iter()
            .flat_map(|u| u.all("User"))
            .enumerate()
        {
            let Some(raw) = user.attr("guid") else {
                continue;
            };
            let id = CoderId(gid(raw));
            let base = user
                .attr("name")
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_string)
                .unwrap_or_else(|| format!("User {}", index + 1));
            let mut name = base.clone();
            let mut n = 2;
            while !taken.insert(name.to_lowercase()) {
                name = format!("{base} ({n})");
                n += 1;
            }
            self.coders.insert(id, Coder { id, name });
        }
    }

    fn colour(&self, raw: Option<&str>, index: usize) -> String {
        let raw = raw.unwrap_or("").trim().to_lowercase();
        if crate::model::is_valid_colour(&raw) {
            return raw;
        }
        if raw.len() == 4 && raw.starts_with('#') && raw[1..].chars().all(|c| c.is_ascii_hexdigit())
        {
            let expanded: String = raw[1..].chars().flat_map(|c| [c, c]).collect();
            return format!("#{expanded}");
        }
        PALETTE[index % PALETTE.len()].to_string()
    }

    fn codes(&mut self, root: &Element) {
        let Some(codes) = root.child("CodeBook").and_then(|b| b.child("Codes")) else {
            return;
        };
        for code in codes.all("Code") {
            self.code(code, None);
        }
        self.unflatten();
        self.dedupe_code_names();
    }

    fn code(&mut self, element: &Element, parent: Option<CodeId>) {
        let Some(raw) = element.attr("guid") else {
            self.report
                .skipped
                .push("a code without a guid (and its sub-codes)".into());
            return;
        };
        let id = CodeId(gid(raw));
        if self.codes.iter().any(|c| c.id == id) {
            self.report
                .warnings
                .push(format!("code {raw} appears twice; the second is ignored"));
            return;
        }
        let name = element.attr("name").unwrap_or("").trim().to_string();
        let name = if name.is_empty() {
            "Unnamed code".to_string()
        } else {
            name
        };
        let order = self.codes.iter().filter(|c| c.parent == parent).count() as i64;
        let colour = self.colour(element.attr("color"), self.codes.len());
        self.codes.push(Code {
            id,
            name,
            colour,
            description: element.child_text("Description").unwrap_or("").to_string(),
            parent,
            order,
        });
        self.targets.note_refs(element, MemoTarget::Code(id));
        for child in element.all("Code") {
            self.code(child, Some(id));
        }
    }

    /// `Group::Code` and `parent\child` names at the top level become a hierarchy.
    fn unflatten(&mut self) {
        let mut flattened = 0;
        for index in 0..self.codes.len() {
            let code = &self.codes[index];
            if code.parent.is_some() || !(code.name.contains("::") || code.name.contains('\\')) {
                continue;
            }
            let parts: Vec<String> = code
                .name
                .split("::")
                .flat_map(|p| p.split('\\'))
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect();
            let Some((leaf, groups)) = parts.split_last() else {
                continue;
            };
            let mut parent: Option<CodeId> = None;
            let mut trail = String::new();
            for group in groups {
                trail.push_str(group);
                trail.push('/');
                let existing = self
                    .codes
                    .iter()
                    .find(|c| c.parent == parent && c.name.to_lowercase() == group.to_lowercase());
                let id = match existing {
                    Some(c) => c.id,
                    None => {
                        let id = CodeId(derived_guid("code-group", &trail));
                        let order = self.codes.iter().filter(|c| c.parent == parent).count();
                        let colour = self.colour(None, self.codes.len());
                        self.codes.push(Code {
                            id,
                            name: group.clone(),
                            colour,
                            description: String::new(),
                            parent,
                            order: order as i64,
                        });
                        id
                    }
                };
                parent = Some(id);
            }
            let order = self.codes.iter().filter(|c| c.parent == parent).count() as i64;
            let code = &mut self.codes[index];
            code.name = leaf.clone();
            code.parent = parent;
            code.order = order;
            flattened += 1;
        }
        if flattened > 0 {
            self.report.warnings.push(format!(
                "{flattened} code name(s) like 'Group::Code' or 'parent\\child' were turned into a hierarchy"
            ));
        }
    }

    fn dedupe_code_names(&mut self) {
        let mut seen: HashSet<(Option<CodeId>, String)> = HashSet::new();
        for code in &mut self.codes {
            if code.name.contains('/') {
                let renamed = code.name.replace('/', "-");
                self.report.warnings.push(format!(
                    "code '{}' renamed '{renamed}' ('/' separates levels here)",
                    code.name
                ));
                code.name = renamed;
            }
            let base = code.name.clone();
            let mut n = 2;
            while !seen.insert((code.parent, code.name.to_lowercase())) {
                code.name = format!("{base} ({n})");
                n += 1;
            }
            if code.name != base {
                self.report.warnings.push(format!(
                    "two codes named '{base}' at the same level: the second is now '{}'",
                    code.name
                ));
            }
        }
    }

    fn variables(&mut self, root: &Element) {
        for variable in root
            .child("Variables")
            .into_iter()
            .flat_map(|v| v.all("Variable"))
        {
            let (Some(raw), Some(name)) = (variable.attr("guid"), variable.attr("name")) else {
                continue;
            };
            let name = name.trim().to_string();
            if name.is_empty() {
                continue;
            }
            let kind = match variable.attr("typeOfVariable").unwrap_or("Text") {
                "Boolean" => AttributeType::Boolean,
                "Integer" => AttributeType::Integer,
                "Float" => AttributeType::Number,
                "Date" => AttributeType::Date,
                _ => AttributeType::Text,
            };
            self.variables.insert(gid(raw), (name, kind));
        }
    }

    fn value(&mut self, element: &Element, owner: &str) -> Option<(String, AttributeValue)> {
        let reference = element.child("VariableRef")?.attr("targetGUID")?;
        let Some((name, kind)) = self.variables.get(&gid(reference)).cloned() else {
            self.report.warnings.push(format!(
                "{owner}: a value of an undefined variable was skipped"
            ));
            return None;
        };
        let raw = [
            "TextValue",
            "BooleanValue",
            "IntegerValue",
            "FloatValue",
            "DateValue",
            "DateTimeValue",
        ]
        .iter()
        .find_map(|n| element.child_text(n))?;
        let raw = if kind == AttributeType::Date {
            raw.get(..10).unwrap_or(raw)
        } else {
            raw
        };
        match kind.parse_value(raw) {
            Ok(value) => {
                self.attributes.entry(name.clone()).or_insert(AttributeDef {
                    name: name.clone(),
                    kind,
                });
                Some((name, value))
            }
            Err(problem) => {
                self.report
                    .warnings
                    .push(format!("{owner}: value of '{name}' skipped: {problem}"));
                None
            }
        }
    }

    fn sources(&mut self, root: &Element, archive: &mut Archive<'_>) {
        let Some(sources) = root.child("Sources") else {
            return;
        };
        let mut taken: HashSet<String> = HashSet::new();
        for source in &sources.children {
            let name = source.attr("name").unwrap_or("").to_string();
            let label = if name.is_empty() {
                source.attr("guid").unwrap_or("?").to_string()
            } else {
                name.clone()
            };
            match source.name.as_str() {
                "TextSource" => self.text_source(source, source, &name, archive, &mut taken),
                "PDFSource" => {
                    let pdf_selections = source.all("PDFSelection").count();
                    match source.child("Representation") {
                        Some(text) => {
                            self.text_source(source, text, &name, archive, &mut taken);
                            if pdf_selections > 0 {
                                self.report.skipped.push(format!(
                                    "PDF '{label}': {pdf_selections} area selection(s) on the page images (its text representation was imported)"
                                ));
                            }
                        }
                        None => self
                            .report
                            .skipped
                            .push(format!("PDF '{label}': no text representation in the file")),
                    }
                }
                "AudioSource" | "VideoSource" => {
                    let kind = if source.name == "AudioSource" {
                        "audio"
                    } else {
                        "video"
                    };
                    match source.child("Transcript") {
                        Some(transcript) => {
                            self.text_source(source, transcript, &name, archive, &mut taken);
                            let timed = transcript.all("TranscriptSelection").count()
                                + source.all("AudioSelection").count()
                                + source.all("VideoSelection").count();
                            if timed > 0 {
                                self.report.skipped.push(format!(
                                    "{kind} '{label}': {timed} time-based selection(s) (the transcript was imported)"
                                ));
                            }
                        }
                        None => self
                            .report
                            .skipped
                            .push(format!("{kind} '{label}': no transcript in the file")),
                    }
                }
                "PictureSource" => self
                    .report
                    .skipped
                    .push(format!("picture '{label}': pictures are not supported")),
                other => self
                    .report
                    .skipped
                    .push(format!("source '{label}': unknown kind <{other}>")),
            }
        }
    }

    /// Imports one text (a text source, a PDF's representation or a transcript) under the outer source's id.
    fn text_source(
        &mut self,
        outer: &Element,
        text_element: &Element,
        name: &str,
        archive: &mut Archive<'_>,
        taken: &mut HashSet<String>,
    ) {
        let Some(raw_id) = outer.attr("guid") else {
            self.report
                .skipped
                .push(format!("source '{name}': no guid"));
            return;
        };
        let id = DocumentId(gid(raw_id));
        let label = if name.is_empty() { raw_id } else { name };
        if self.doc_ids.contains(&id) {
            self.report
                .skipped
                .push(format!("source '{label}': its guid is used twice"));
            return;
        }
        let raw = match (
            text_element.child_text("PlainTextContent"),
            text_element.attr("plainTextPath"),
        ) {
            (Some(inline), _) => inline.to_string(),
            (None, Some(reference)) => match archive.read_internal(reference) {
                Ok(bytes) => match raw_text(&bytes) {
                    Some(text) => text,
                    None => {
                        self.report
                            .skipped
                            .push(format!("source '{label}': its text could not be decoded"));
                        return;
                    }
                },
                Err(problem) => {
                    self.report
                        .skipped
                        .push(format!("source '{label}': {problem}"));
                    return;
                }
            },
            (None, None) => {
                self.report
                    .skipped
                    .push(format!("source '{label}': no plain text"));
                return;
            }
        };
        let raw = raw.strip_prefix('\u{feff}').unwrap_or(&raw).to_string();
        let normalised = crate::import::decode::normalise(&raw);
        if normalised.trim().is_empty() {
            self.report
                .skipped
                .push(format!("source '{label}': the text is empty"));
            return;
        }
        let base = if name.trim().is_empty() {
            format!("Source {}", self.documents.len() + 1)
        } else {
            name.trim().replace('/', "-")
        };
        let unique = crate::import::unique_name(taken, &base);
        if unique != base {
            self.report.warnings.push(format!(
                "two sources named '{base}': the second is now '{unique}'"
            ));
        }
        taken.insert(unique.clone());
        let hash = text_hash(&normalised);
        let document = match self.sidecar.remove(&id).filter(|d| d.text_hash == hash) {
            Some(mut doc) => {
                doc.name = unique;
                doc
            }
            None => {
                let mut entry =
                    crate::import::document_from_text(&unique, label, &normalised, None);
                entry.document.id = id;
                if let Some(t) = parse_time(outer.attr("creationDateTime")) {
                    entry.document.imported = t;
                }
                entry.document
            }
        };
        let char_len = document.char_len;
        let text: Arc<str> = Arc::from(normalised.as_str());
        self.documents.push(DocumentEntry {
            document,
            text: text.clone(),
        });
        self.doc_ids.insert(id);
        self.targets.note_refs(outer, MemoTarget::Document(id));

        // Whole-source codings.
        for coding in outer.all("Coding") {
            self.coding(coding, None, id, CharRange::new(0, char_len), None);
        }
        let map = PositionMap::new(&raw, self.counting);
        let mut odd = Vec::new();
        for selection in text_element.all("PlainTextSelection") {
            let sel_id = selection.attr("guid").map(gid);
            if let Some(sel) = sel_id {
                self.selection_docs.insert(sel, id);
            }
            let parse = |n: &str| {
                selection
                    .attr(n)
                    .and_then(|v| v.trim().parse::<usize>().ok())
            };
            let (Some(start), Some(end)) = (parse("startPosition"), parse("endPosition")) else {
                self.report
                    .skipped
                    .push(format!("source '{label}': a selection without positions"));
                continue;
            };
            let range = match map.convert(start, end) {
                Ok((range, warning)) => {
                    if let Some(w) = warning {
                        odd.push(w);
                    }
                    range
                }
                Err(problem) => {
                    self.report
                        .skipped
                        .push(format!("source '{label}': selection {problem}"));
                    continue;
                }
            };
            let description = selection
                .child_text("Description")
                .map(str::trim)
                .filter(|d| !d.is_empty());
            let codings: Vec<&Element> = selection.all("Coding").collect();
            let mut first_coding = None;
            for coding in &codings {
                let made = self.coding(
                    coding,
                    Some(selection),
                    id,
                    range,
                    description.map(str::to_string),
                );
                first_coding = first_coding.or(made);
            }
            let target = match first_coding {
                Some(coding) => MemoTarget::Coding(coding),
                None => MemoTarget::Document(id),
            };
            self.targets.note_refs(selection, target);
            if first_coding.is_none()
                && let Some(description) = description
            {
                let passage = slice(&text, range).unwrap_or("");
                let memo_id = MemoId(
                    sel_id.unwrap_or_else(|| derived_guid("comment", &format!("{id}:{}", range))),
                );
                self.comments.push(Memo {
                    id: memo_id,
                    title: format!("Comment on {}–{}", range.start, range.end),
                    text: format!("{description}\n\n“{passage}”"),
                    target: MemoTarget::Document(id),
                    author: None,
                    created: parse_time(selection.attr("creationDateTime"))
                        .unwrap_or_else(crate::now),
                });
            }
        }
        if !odd.is_empty() {
            self.odd_boundaries += odd.len();
            self.report.warnings.push(format!(
                "source '{label}': {} selection(s) fall on odd boundaries after converting positions, e.g. {}",
                odd.len(),
                odd[0]
            ));
        }
    }

    fn coding(
        &mut self,
        element: &Element,
        selection: Option<&Element>,
        document: DocumentId,
        range: CharRange,
        memo: Option<String>,
    ) -> Option<CodingId> {
        let Some(code_raw) = element.child("CodeRef").and_then(|c| c.attr("targetGUID")) else {
            self.report.skipped.push("a coding without a code".into());
            return None;
        };
        let code = CodeId(gid(code_raw));
        if !self.codes.iter().any(|c| c.id == code) {
            self.report
                .skipped
                .push(format!("a coding of the unknown code {code_raw}"));
            return None;
        }
        let user = element
            .attr("creatingUser")
            .or_else(|| selection.and_then(|s| s.attr("creatingUser")));
        let coder = self.coder_for(user);
        let created = parse_time(element.attr("creationDateTime"))
            .or_else(|| parse_time(selection.and_then(|s| s.attr("creationDateTime"))))
            .unwrap_or_else(crate::now);
        let mut id = CodingId(
            element
                .attr("guid")
                .map(gid)
                .unwrap_or_else(|| derived_guid("coding", &format!("{document}:{range}:{code}"))),
        );
        if self.codings.contains_key(&id) {
            id = CodingId(derived_guid("coding", &format!("{id}:{document}:{range}")));
        }
        self.codings.insert(
            id,
            Coding {
                id,
                document,
                code,
                range,
                coder,
                created,
                memo,
            },
        );
        self.targets.note_refs(element, MemoTarget::Coding(id));
        Some(id)
    }

    fn cases(&mut self, root: &Element) -> Vec<Case> {
        let mut cases = Vec::new();
        let mut taken = HashSet::new();
        let mut code_refs = 0;
        for (index, element) in root
            .child("Cases")
            .into_iter()
            .flat_map(|c| c.all("Case"))
            .enumerate()
        {
            let Some(raw) = element.attr("guid") else {
                continue;
            };
            let id = CaseId(gid(raw));
            let base = element
                .attr("name")
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_string)
                .unwrap_or_else(|| format!("Case {}", index + 1));
            let mut name = base.clone();
            let mut n = 2;
            while !taken.insert(name.to_lowercase()) {
                name = format!("{base} ({n})");
                n += 1;
            }
            let mut attributes = BTreeMap::new();
            for value in element.all("VariableValue") {
                if let Some((key, value)) = self.value(value, &format!("case '{name}'")) {
                    attributes.insert(key, value);
                }
            }
            let mut documents = std::collections::BTreeSet::new();
            for source in element.all("SourceRef") {
                if let Some(doc) = source.attr("targetGUID").map(|g| DocumentId(gid(g)))
                    && self.doc_ids.contains(&doc)
                {
                    documents.insert(doc);
                }
            }
            for selection in element.all("SelectionRef") {
                if let Some(doc) = selection
                    .attr("targetGUID")
                    .and_then(|g| self.selection_docs.get(&gid(g)))
                {
                    documents.insert(*doc);
                }
            }
            code_refs += element.all("CodeRef").count();
            cases.push(Case {
                id,
                name,
                description: element.child_text("Description").unwrap_or("").to_string(),
                attributes,
                documents,
            });
        }
        if code_refs > 0 {
            self.report.skipped.push(format!(
                "{code_refs} code reference(s) on cases (cases here are linked to documents, not codes)"
            ));
        }
        cases
    }

    fn sets(&mut self, root: &Element) -> Vec<DocumentSet> {
        let mut sets = Vec::new();
        for element in root.child("Sets").into_iter().flat_map(|s| s.all("Set")) {
            let (Some(raw), Some(name)) = (element.attr("guid"), element.attr("name")) else {
                continue;
            };
            let others = element.all("MemberCode").count() + element.all("MemberNote").count();
            if others > 0 {
                self.report.skipped.push(format!(
                    "set '{name}': {others} code or note member(s) (sets here hold documents)"
                ));
            }
            let documents = element
                .all("MemberSource")
                .filter_map(|m| m.attr("targetGUID"))
                .map(|g| DocumentId(gid(g)))
                .filter(|d| self.doc_ids.contains(d))
                .collect();
            let name = if name.trim().is_empty() {
                "Unnamed set".to_string()
            } else {
                name.trim().to_string()
            };
            sets.push(DocumentSet {
                id: SetId(gid(raw)),
                name,
                description: element.child_text("Description").unwrap_or("").to_string(),
                documents,
            });
        }
        sets
    }

    fn notes(&mut self, root: &Element, archive: &mut Archive<'_>, cases: &[Case]) {
        self.targets.note_refs(root, MemoTarget::Project);
        for link in root.child("Links").into_iter().flat_map(|l| l.all("Link")) {
            let (Some(origin), Some(target)) = (link.attr("originGUID"), link.attr("targetGUID"))
            else {
                continue;
            };
            let case = CaseId(gid(target));
            if cases.iter().any(|c| c.id == case) {
                self.targets
                    .map
                    .entry(gid(origin))
                    .or_insert(MemoTarget::Case(case));
            }
        }
        for note in root.child("Notes").into_iter().flat_map(|n| n.all("Note")) {
            let Some(raw) = note.attr("guid") else {
                continue;
            };
            let id = gid(raw);
            let text = match (
                note.child_text("PlainTextContent"),
                note.attr("plainTextPath"),
            ) {
                (Some(text), _) => text.to_string(),
                (None, Some(reference)) => archive
                    .read_internal(reference)
                    .ok()
                    .and_then(|b| raw_text(&b))
                    .map(|t| crate::import::decode::normalise(&t))
                    .unwrap_or_default(),
                (None, None) => String::new(),
            };
            let title = note
                .attr("name")
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_string)
                .unwrap_or_else(|| {
                    text.lines()
                        .next()
                        .unwrap_or("Note")
                        .chars()
                        .take(60)
                        .collect()
                });
            let author = note
                .attr("creatingUser")
                .map(|u| CoderId(gid(u)))
                .filter(|u| self.coders.contains_key(u));
            self.memos.push(Memo {
                id: MemoId(id),
                title,
                text,
                target: self
                    .targets
                    .map
                    .get(&id)
                    .copied()
                    .unwrap_or(MemoTarget::Project),
                author,
                created: parse_time(note.attr("creationDateTime")).unwrap_or_else(crate::now),
            });
        }
    }
}

/// Parses a `.qdpx` archive. Nothing is written: the result is an edit for a new, empty project.
pub fn read_qdpx(path: &Path, bytes: &[u8]) -> Result<QdpxImport> {
    let zip = SafeZip::open(bytes, "qdpx").map_err(|e| fail(path, e.to_string()))?;
    let all_names = zip.names();
    check_names(path, &all_names)?;
    let names: HashMap<String, String> = all_names
        .iter()
        .map(|n| (n.to_lowercase(), n.clone()))
        .collect();
    let mut archive = Archive { zip, names };
    let root_qde: Vec<&String> = all_names
        .iter()
        .filter(|n| !n.contains('/') && n.to_lowercase().ends_with(".qde"))
        .collect();
    let qde_name = match root_qde
        .iter()
        .find(|n| n.eq_ignore_ascii_case("project.qde"))
    {
        Some(name) => (*name).clone(),
        None => match root_qde.as_slice() {
            [one] => (*one).clone(),
            [] => {
                return Err(fail(
                    path,
                    "not a REFI-QDA project: no .qde file at the top of the archive",
                ));
            }
            _ => {
                return Err(fail(
                    path,
                    "the archive holds several .qde files and none is project.qde; which one is the project is unclear",
                ));
            }
        },
    };
    let qde = archive
        .read(&qde_name)
        .ok_or_else(|| fail(path, format!("{qde_name} could not be read")))?;
    let text = xml::decode(&qde).map_err(|e| fail(path, format!("{qde_name}: {e}")))?;
    let root = xml::parse(&text).map_err(|e| fail(path, format!("{qde_name}: {e}")))?;
    project_from_xml(path, &root, &mut archive)
}

fn project_from_xml(path: &Path, root: &Element, archive: &mut Archive<'_>) -> Result<QdpxImport> {
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
    let sidecar: Option<Sidecar> = archive.read(SIDECAR_PATH).and_then(|bytes| {
        let text = String::from_utf8(bytes).ok()?;
        crate::store::from_ron(Path::new(SIDECAR_PATH), &text).ok()
    });
    let language = sidecar.as_ref().map(|s| s.language).unwrap_or_default();
    let mut builder = Builder {
        path,
        counting,
        report,
        coders: BTreeMap::new(),
        fallback_coder: None,
        codes: Vec::new(),
        variables: HashMap::new(),
        attributes: BTreeMap::new(),
        documents: Vec::new(),
        doc_ids: HashSet::new(),
        codings: BTreeMap::new(),
        memos: Vec::new(),
        comments: Vec::new(),
        targets: Targets::default(),
        selection_docs: HashMap::new(),
        sidecar: sidecar
            .map(|s| s.documents.into_iter().map(|d| (d.id, d)).collect())
            .unwrap_or_default(),
        odd_boundaries: 0,
    };
    builder.users(root);
    builder.codes(root);
    builder.variables(root);
    builder.sources(root, archive);
    let cases = builder.cases(root);
    let sets = builder.sets(root);
    builder.notes(root, archive, &cases);
    let source_values: usize = root
        .child("Sources")
        .map(|s| {
            s.children
                .iter()
                .map(|c| c.all("VariableValue").count())
                .sum()
        })
        .unwrap_or(0);
    if source_values > 0 {
        builder.report.skipped.push(format!(
            "{source_values} variable value(s) on sources (attributes belong to cases here)"
        ));
    }
    if builder.odd_boundaries > 0 {
        builder.report.warnings.push(format!(
            "{} selection(s) in all fall on odd boundaries; check them in the document view",
            builder.odd_boundaries
        ));
    }

    let name = root
        .attr("name")
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .unwrap_or("Imported project")
        .to_string();
    let meta = ProjectMeta {
        format_version: crate::model::FORMAT_VERSION,
        name: name.clone(),
        language,
        created: parse_time(root.attr("creationDateTime")).unwrap_or_else(crate::now),
        description: root.child_text("Description").unwrap_or("").to_string(),
    };

    let Builder {
        mut report,
        coders,
        mut codes,
        attributes,
        documents,
        codings,
        mut memos,
        comments,
        path,
        ..
    } = builder;
    let mut edits = vec![Edit::Put(Entity::Meta(meta))];
    edits.extend(
        coders
            .values()
            .cloned()
            .map(|c| Edit::Put(Entity::Coder(c))),
    );
    // Parents before children.
    let depth = |code: &Code, codes: &[Code]| {
        let mut depth = 0;
        let mut current = code.parent;
        while let Some(parent) = current {
            depth += 1;
            if depth > codes.len() {
                break;
            }
            current = codes.iter().find(|c| c.id == parent).and_then(|c| c.parent);
        }
        depth
    };
    let depths: Vec<usize> = codes.iter().map(|c| depth(c, &codes)).collect();
    let mut indexed: Vec<(usize, Code)> = depths.into_iter().zip(codes.drain(..)).collect();
    indexed.sort_by_key(|(d, _)| *d);
    edits.extend(
        indexed
            .iter()
            .map(|(_, c)| Edit::Put(Entity::Code(c.clone()))),
    );
    edits.extend(
        attributes
            .values()
            .cloned()
            .map(|a| Edit::Put(Entity::Attribute(a))),
    );
    edits.extend(
        documents
            .iter()
            .cloned()
            .map(|d| Edit::Put(Entity::Document(Box::new(d)))),
    );
    edits.extend(cases.iter().cloned().map(|c| Edit::Put(Entity::Case(c))));
    edits.extend(sets.iter().cloned().map(|s| Edit::Put(Entity::Set(s))));
    edits.extend(
        codings
            .values()
            .cloned()
            .map(|c| Edit::Put(Entity::Coding(c))),
    );
    let taken: HashSet<MemoId> = memos.iter().map(|m| m.id).collect();
    memos.extend(comments.into_iter().filter(|c| !taken.contains(&c.id)));
    edits.extend(memos.iter().cloned().map(|m| Edit::Put(Entity::Memo(m))));

    report.users = coders.len();
    report.codes = indexed.len();
    report.documents = documents.len();
    report.codings = codings.len();
    report.cases = cases.len();
    report.sets = sets.len();
    report.memos = memos.len();

    let edit = Edit::batch(format!("import '{name}'"), edits);
    // Check the whole edit on an empty project now, so a bad file never half-creates one.
    let mut scratch = Project::new(&name, language);
    scratch
        .apply(edit.clone())
        .map_err(|e| fail(path, format!("the file's content is inconsistent: {e}")))?;
    Ok(QdpxImport {
        edit,
        name,
        language,
        report,
    })
}

/// Ids the importer gives a foreign id, for tests and for callers matching records.
pub fn foreign_guid(raw: &str) -> String {
    guid_text(gid(raw))
}
