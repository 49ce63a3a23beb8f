//! Word documents (.docx): paragraphs, headings, lists, tables (a row per paragraph), soft line breaks, and
//! footnotes/endnotes appended; comments and deleted text are left out. A bold `Name:` opens a speaker turn.

use std::collections::HashMap;

use super::office::{self, Notes, Para, Table, Xml};
use super::zipsafe::SafeZip;
use super::{Extracted, FormatError};

const FORMAT: &str = "docx";

/// Reads a .docx file.
pub fn read(bytes: &[u8]) -> Result<Extracted, FormatError> {
    let mut zip = SafeZip::open(bytes, FORMAT)?;
    let main = main_part(&mut zip)?;
    let Some(document) = zip.read(&main)? else {
        return Err(FormatError::Invalid(
            "not a Word document (it has no word/document.xml); save it as .docx from Word or LibreOffice and import again".into(),
        ));
    };
    let footnotes = match zip.read("word/footnotes.xml")? {
        Some(xml) => read_notes(&office::xml_text(&xml), "w:footnote")?,
        None => HashMap::new(),
    };
    let endnotes = match zip.read("word/endnotes.xml")? {
        Some(xml) => read_notes(&office::xml_text(&xml), "w:endnote")?,
        None => HashMap::new(),
    };
    let mut reader = Body::default();
    office::walk(&office::xml_text(&document), FORMAT, |event| {
        reader.visit(event)
    })?;
    let Body {
        mut blocks,
        references,
        ..
    } = reader;
    let mut notes = Notes::default();
    let mut endnote_blocks = Notes::default();
    for reference in references {
        match reference {
            Reference::Footnote(id, marker) => notes
                .referenced
                .push((marker, footnotes.get(&id).cloned().unwrap_or_default())),
            Reference::Endnote(id, marker) => endnote_blocks
                .referenced
                .push((marker, endnotes.get(&id).cloned().unwrap_or_default())),
        }
    }
    blocks.extend(notes.into_blocks());
    blocks.extend(endnote_blocks.into_blocks());
    Ok(Extracted {
        blocks,
        ..Extracted::default()
    })
}

/// The main document part: `word/document.xml`, or wherever the package relationships point.
fn main_part(zip: &mut SafeZip<'_>) -> Result<String, FormatError> {
    const DEFAULT: &str = "word/document.xml";
    if zip.contains(DEFAULT) {
        return Ok(DEFAULT.into());
    }
    let Some(rels) = zip.read("_rels/.rels")? else {
        return Ok(DEFAULT.into());
    };
    let mut target = None;
    office::walk(&office::xml_text(&rels), FORMAT, |event| {
        if let Xml::Open(tag) = event {
            let official = tag
                .attr("Type")
                .is_some_and(|t| t.ends_with("/officeDocument"));
            if tag.name() == "Relationship" && official && target.is_none() {
                target = tag.attr("Target");
            }
        }
    })?;
    Ok(target
        .map(|t| t.trim_start_matches('/').to_string())
        .unwrap_or_else(|| DEFAULT.into()))
}

/// A note reference in the body: the note's id and the marker shown in the text.
enum Reference {
    Footnote(String, String),
    Endnote(String, String),
}

/// The state of reading `word/document.xml` (also used for note parts).
#[derive(Default)]
struct Body {
    blocks: Vec<super::Block>,
    /// Paragraphs being read (a text box inside a paragraph nests one).
    paragraphs: Vec<Para>,
    table: Table,
    in_paragraph_properties: bool,
    in_run_properties: bool,
    in_text: bool,
    bold: bool,
    /// Depth inside elements whose content is skipped (alternate-content fallbacks, deletions).
    skip: usize,
    references: Vec<Reference>,
    footnotes: usize,
    endnotes: usize,
}

/// Whether a `w:b`-style toggle is on (`w:val` absent, or not false/0).
fn toggle_on(tag: &office::Tag<'_>) -> bool {
    !matches!(
        tag.attr("w:val").as_deref(),
        Some("0" | "false" | "off" | "none")
    )
}

impl Body {
    fn visit(&mut self, event: Xml<'_, '_>) {
        match event {
            Xml::Open(tag) => self.open(tag),
            Xml::Close(name) => self.close(name),
            Xml::Text(text) => {
                if self.skip == 0 && self.in_text {
                    self.push(text);
                }
            }
        }
    }

    fn open(&mut self, tag: &office::Tag<'_>) {
        let name = tag.name();
        if self.skip > 0 || matches!(name, "mc:Fallback" | "w:del" | "w:moveFrom") {
            self.skip += 1;
            return;
        }
        match name {
            "w:p" => self.paragraphs.push(Para::default()),
            "w:pPr" => self.in_paragraph_properties = true,
            "w:pStyle" if self.in_paragraph_properties => {
                let style = tag.attr("w:val").unwrap_or_default().to_lowercase();
                let heading = ["heading", "overskrift", "title", "tittel"]
                    .iter()
                    .any(|h| style.starts_with(h));
                if let Some(p) = self.paragraphs.last_mut().filter(|_| heading) {
                    p.heading = true;
                }
            }
            "w:numPr" if self.in_paragraph_properties => {
                if let Some(p) = self.paragraphs.last_mut() {
                    p.list = true;
                }
            }
            "w:r" => self.bold = false,
            "w:rPr" => self.in_run_properties = true,
            "w:b" if self.in_run_properties && !self.in_paragraph_properties => {
                self.bold = toggle_on(tag);
            }
            "w:rStyle" if self.in_run_properties && !self.in_paragraph_properties => {
                let style = tag.attr("w:val").unwrap_or_default().to_lowercase();
                if ["strong", "bold", "sterk", "uthev"]
                    .iter()
                    .any(|s| style.contains(s))
                {
                    self.bold = true;
                }
            }
            "w:t" => self.in_text = true,
            "w:tab" if !self.in_paragraph_properties => self.push("\t"),
            "w:br" | "w:cr"
                if !matches!(tag.attr("w:type").as_deref(), Some("page" | "column")) =>
            {
                self.push("\n");
            }
            "w:noBreakHyphen" => self.push("-"),
            "w:footnoteReference" => {
                self.footnotes += 1;
                let marker = self.footnotes.to_string();
                self.push_plain(&format!("[{marker}]"));
                self.references.push(Reference::Footnote(
                    tag.attr("w:id").unwrap_or_default(),
                    marker,
                ));
            }
            "w:endnoteReference" => {
                self.endnotes += 1;
                let marker = office::roman(self.endnotes);
                self.push_plain(&format!("[{marker}]"));
                self.references.push(Reference::Endnote(
                    tag.attr("w:id").unwrap_or_default(),
                    marker,
                ));
            }
            "w:tbl" => self.table.depth += 1,
            _ => {}
        }
    }

    fn close(&mut self, name: &str) {
        if self.skip > 0 {
            self.skip -= 1;
            return;
        }
        match name {
            "w:p" => {
                if let Some(paragraph) = self.paragraphs.pop() {
                    if self.table.in_cell() {
                        self.table.push_paragraph(paragraph.plain());
                    } else {
                        self.blocks.push(paragraph.into_block());
                    }
                }
            }
            "w:pPr" => self.in_paragraph_properties = false,
            "w:rPr" => self.in_run_properties = false,
            "w:t" => self.in_text = false,
            "w:tc" => self.table.end_cell(),
            "w:tr" => {
                if let Some(row) = self.table.end_row() {
                    self.blocks.push(row);
                }
            }
            "w:tbl" => self.table.depth = self.table.depth.saturating_sub(1),
            _ => {}
        }
    }

    fn push(&mut self, text: &str) {
        let bold = self.bold;
        if let Some(p) = self.paragraphs.last_mut() {
            p.push(text, bold);
        }
    }

    fn push_plain(&mut self, text: &str) {
        if let Some(p) = self.paragraphs.last_mut() {
            p.push(text, false);
        }
    }
}

/// Notes by id: the paragraphs of each `w:footnote`/`w:endnote` (separators left out).
fn read_notes(xml: &str, element: &str) -> Result<HashMap<String, Vec<String>>, FormatError> {
    let mut notes: HashMap<String, Vec<String>> = HashMap::new();
    let mut current: Option<String> = None;
    let mut body = Body::default();
    office::walk(xml, FORMAT, |event| {
        match &event {
            Xml::Open(tag) if tag.name() == element => {
                let separator = tag.attr("w:type").is_some_and(|t| t != "normal");
                current = (!separator).then(|| tag.attr("w:id").unwrap_or_default());
                body.blocks.clear();
            }
            Xml::Close(name) if *name == element => {
                if let Some(id) = current.take() {
                    let paragraphs = body
                        .blocks
                        .drain(..)
                        .map(|b| match b.speaker {
                            Some(s) => format!("{s}: {}", b.text),
                            None => b.text,
                        })
                        .collect();
                    notes.insert(id, paragraphs);
                }
                return;
            }
            _ => {}
        }
        body.visit(event);
    })?;
    Ok(notes)
}
