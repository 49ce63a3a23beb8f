//! Sources of a `.qdpx`: text sources, the text representations of PDFs and the transcripts of audio and
//! video, with their selections, codings and comments; what cannot be imported is reported.

use std::collections::HashSet;
use std::sync::Arc;

use uuid::Uuid;

use super::archive::{Archive, raw_text};
use super::builder::Builder;
use super::{gid, parse_time};
use crate::edit::DocumentEntry;
use crate::ids::{CodeId, CodingId, DocumentId, MemoId};
use crate::interop::derived_guid;
use crate::interop::positions::PositionMap;
use crate::interop::xml::Element;
use crate::model::{Coding, Document, Memo, MemoTarget, text_hash};
use crate::offsets::{CharRange, slice};

/// The text a source's selections point into.
struct SourceText<'a> {
    id: DocumentId,
    /// The source's name (or guid) for messages.
    label: &'a str,
    /// Positions as the file counts them → code points of `text`.
    map: PositionMap,
    text: &'a str,
}

impl Builder {
    /// Every source: texts imported, the text of PDFs and the transcripts of recordings too; pictures and
    /// what lies outside the text (page areas, time-based selections) reported.
    pub(super) fn sources(&mut self, root: &Element, archive: &mut Archive<'_>) {
        let Some(sources) = root.child("Sources") else {
            return;
        };
        let mut taken: HashSet<String> = HashSet::new();
        for source in &sources.children {
            let name = source.attr("name").unwrap_or("");
            let label = if name.is_empty() {
                source.attr("guid").unwrap_or("?")
            } else {
                name
            };
            let (kind, text, missing, left_out, what) = match source.name.as_str() {
                "TextSource" => {
                    self.text_source(source, source, name, archive, &mut taken);
                    continue;
                }
                "PDFSource" => (
                    "PDF",
                    source.child("Representation"),
                    "no text representation in the file",
                    source.all("PDFSelection").count(),
                    "area selection(s) on the page images (its text representation was imported)",
                ),
                "AudioSource" | "VideoSource" => {
                    let transcript = source.child("Transcript");
                    let timed = transcript.map_or(0, |t| t.all("TranscriptSelection").count())
                        + source.all("AudioSelection").count()
                        + source.all("VideoSelection").count();
                    let kind = if source.name == "AudioSource" {
                        "audio"
                    } else {
                        "video"
                    };
                    let what = "time-based selection(s) (the transcript was imported)";
                    (kind, transcript, "no transcript in the file", timed, what)
                }
                "PictureSource" => {
                    let skipped = format!("picture '{label}': pictures are not supported");
                    self.report.skipped.push(skipped);
                    continue;
                }
                other => {
                    let skipped = format!("source '{label}': unknown kind <{other}>");
                    self.report.skipped.push(skipped);
                    continue;
                }
            };
            let Some(text) = text else {
                self.report
                    .skipped
                    .push(format!("{kind} '{label}': {missing}"));
                continue;
            };
            self.text_source(source, text, name, archive, &mut taken);
            if left_out > 0 {
                self.report
                    .skipped
                    .push(format!("{kind} '{label}': {left_out} {what}"));
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
        let plain = self.source_text(text_element, archive);
        let plain = match plain {
            Ok(text) if !crate::import::decode::normalise(&text).trim().is_empty() => Ok(text),
            Ok(_) => Err("the text is empty".to_string()),
            Err(problem) => Err(problem),
        };
        // Some tools (NVivo for Mac) export a text source as its rich-text document only: read that instead.
        let raw = match plain {
            Ok(text) => text,
            Err(problem) => match self.rich_text(text_element, archive) {
                Some(Ok((text, path))) => {
                    self.report.warnings.push(format!(
                        "source '{label}': {problem} in the plain text; its text was taken from its rich-text document '{path}'"
                    ));
                    text
                }
                Some(Err(rich)) => {
                    self.report.skipped.push(format!(
                        "source '{label}': {problem}, and its rich-text document could not be read: {rich}"
                    ));
                    return;
                }
                None => {
                    self.report
                        .skipped
                        .push(format!("source '{label}': {problem}"));
                    return;
                }
            },
        };
        let normalised = crate::import::decode::normalise(&raw);
        if normalised.trim().is_empty() {
            self.report
                .skipped
                .push(format!("source '{label}': the text is empty"));
            return;
        }
        let unique = self.unique_document_name(name, taken);
        let document = self.document(id, outer, unique, label, &normalised);
        let whole = CharRange::new(0, document.char_len);
        let text: Arc<str> = Arc::from(normalised.as_str());
        self.documents.push(DocumentEntry {
            document,
            text: text.clone(),
        });
        self.doc_ids.insert(id);
        self.targets.note_refs(outer, MemoTarget::Document(id));
        for coding in outer.all("Coding") {
            self.coding(coding, None, id, whole, None);
        }
        let source = SourceText {
            id,
            label,
            map: PositionMap::new(&raw, self.counting),
            text: &text,
        };
        self.selections(text_element, &source);
    }

    /// The source's plain text, inline or from the archive, without a byte-order mark; the problem when there
    /// is none or it cannot be read.
    fn source_text(
        &mut self,
        element: &Element,
        archive: &mut Archive<'_>,
    ) -> std::result::Result<String, String> {
        let text = match (
            element.child_text("PlainTextContent"),
            element.attr("plainTextPath"),
        ) {
            (Some(inline), _) => Ok(inline.to_string()),
            (None, Some(reference)) => archive.read_internal(reference).and_then(|bytes| {
                raw_text(&bytes).ok_or_else(|| "its text could not be decoded".to_string())
            }),
            (None, None) => Err("no plain text".to_string()),
        };
        text.map(|text| match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        })
    }

    /// The text of the source's rich-text document (`richTextPath`: a Word, OpenDocument or RTF file in the
    /// archive), read as an import reads that format, paragraphs one a line as REFI-QDA plain text has them;
    /// with the path. `None` when the source names no rich-text document.
    fn rich_text(
        &mut self,
        element: &Element,
        archive: &mut Archive<'_>,
    ) -> Option<std::result::Result<(String, String), String>> {
        let reference = element.attr("richTextPath")?;
        let extension = crate::import::extension_of(std::path::Path::new(reference));
        if !matches!(extension.as_str(), "docx" | "odt" | "rtf") {
            return Some(Err(format!(
                "'{reference}' is a .{extension} file; rich text is read from .docx, .odt and .rtf"
            )));
        }
        let read = archive.read_internal(reference).and_then(|bytes| {
            crate::import::formats::extract(&extension, &bytes).map_err(|e| e.to_string())
        });
        Some(read.map(|extracted| {
            let mut text = String::new();
            for block in &extracted.blocks {
                if !text.is_empty() {
                    text.push('\n');
                }
                if let Some(speaker) = &block.speaker {
                    text.push_str(speaker);
                    text.push_str(": ");
                }
                text.push_str(block.text.trim_end());
            }
            (text, reference.to_string())
        }))
    }

    /// A document name not yet taken ('/' separates levels here, so it becomes '-').
    fn unique_document_name(&mut self, name: &str, taken: &mut HashSet<String>) -> String {
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
        unique
    }

    /// The document: exactly as Marginalia wrote it (from the sidecar) when the text is unchanged, else
    /// structured from the text like an import.
    fn document(
        &mut self,
        id: DocumentId,
        outer: &Element,
        name: String,
        label: &str,
        text: &str,
    ) -> Document {
        let hash = text_hash(text);
        if let Some(mut document) = self.sidecar.remove(&id).filter(|d| d.text_hash == hash) {
            document.name = name;
            return document;
        }
        let mut entry = crate::import::document_from_text(&name, label, text, None);
        entry.document.id = id;
        if let Some(t) = parse_time(outer.attr("creationDateTime")) {
            entry.document.imported = t;
        }
        entry.document
    }

    /// The source's selections: codings, notes, and comments on passages nobody coded.
    fn selections(&mut self, text_element: &Element, source: &SourceText<'_>) {
        let mut odd = Vec::new();
        for selection in text_element.all("PlainTextSelection") {
            self.selection(selection, source, &mut odd);
        }
        if !odd.is_empty() {
            self.odd_boundaries += odd.len();
            self.report.warnings.push(format!(
                "source '{}': {} selection(s) fall on odd boundaries after converting positions, e.g. {}",
                source.label,
                odd.len(),
                odd[0]
            ));
        }
    }

    fn selection(&mut self, selection: &Element, source: &SourceText<'_>, odd: &mut Vec<String>) {
        let sel_id = selection.attr("guid").map(gid);
        if let Some(sel) = sel_id {
            self.selection_docs.insert(sel, source.id);
        }
        let Some(range) = self.selection_range(selection, source, odd) else {
            return;
        };
        let description = selection
            .child_text("Description")
            .map(str::trim)
            .filter(|d| !d.is_empty());
        let mut first_coding = None;
        for coding in selection.all("Coding") {
            let made = self.coding(
                coding,
                Some(selection),
                source.id,
                range,
                description.map(str::to_string),
            );
            first_coding = first_coding.or(made);
        }
        let target = match first_coding {
            Some(coding) => MemoTarget::Coding(coding),
            None => MemoTarget::Document(source.id),
        };
        self.targets.note_refs(selection, target);
        if first_coding.is_none()
            && let Some(description) = description
        {
            self.comment(selection, sel_id, source, range, description);
        }
    }

    /// A selection's range in code points; `None` (reported) when it has no valid positions.
    fn selection_range(
        &mut self,
        selection: &Element,
        source: &SourceText<'_>,
        odd: &mut Vec<String>,
    ) -> Option<CharRange> {
        let parse = |n: &str| {
            selection
                .attr(n)
                .and_then(|v| v.trim().parse::<usize>().ok())
        };
        let label = source.label;
        let (Some(start), Some(end)) = (parse("startPosition"), parse("endPosition")) else {
            self.report
                .skipped
                .push(format!("source '{label}': a selection without positions"));
            return None;
        };
        match source.map.convert(start, end) {
            Ok((range, warning)) => {
                odd.extend(warning);
                Some(range)
            }
            Err(problem) => {
                self.report
                    .skipped
                    .push(format!("source '{label}': selection {problem}"));
                None
            }
        }
    }

    /// A described selection without codings (a comment) becomes a memo on the document, quoting the passage.
    fn comment(
        &mut self,
        selection: &Element,
        sel_id: Option<Uuid>,
        source: &SourceText<'_>,
        range: CharRange,
        description: &str,
    ) {
        let passage = slice(source.text, range).unwrap_or("");
        let memo_id = MemoId(
            sel_id.unwrap_or_else(|| derived_guid("comment", &format!("{}:{}", source.id, range))),
        );
        self.comments.push(Memo {
            id: memo_id,
            title: format!("Comment on {}–{}", range.start, range.end),
            text: format!("{description}\n\n“{passage}”"),
            target: MemoTarget::Document(source.id),
            author: None,
            created: parse_time(selection.attr("creationDateTime")).unwrap_or_else(crate::now),
        });
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
}
