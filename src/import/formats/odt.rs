//! OpenDocument text (.odt): paragraphs, headings, lists, tables (a row per paragraph), soft line breaks, and
//! notes appended; annotations and tracked changes are left out. A bold `Name:` opens a speaker turn.

use std::collections::HashSet;

use super::office::{self, Notes, Para, Table, Xml};
use super::zipsafe::SafeZip;
use super::{Block, Extracted, FormatError};

const FORMAT: &str = "odt";

/// Reads an .odt file.
pub fn read(bytes: &[u8]) -> Result<Extracted, FormatError> {
    let mut zip = SafeZip::open(bytes, FORMAT)?;
    let Some(content) = zip.read("content.xml")? else {
        return Err(FormatError::Invalid(
            "not an OpenDocument text (it has no content.xml); save it as .odt from LibreOffice and import again".into(),
        ));
    };
    let content = office::xml_text(&content);
    let mut styles = Styles::default();
    if let Some(shared) = zip.read("styles.xml")? {
        styles.read(&office::xml_text(&shared))?;
    }
    styles.read(&content)?;
    let mut body = Body {
        styles,
        ..Body::default()
    };
    office::walk(&content, FORMAT, |event| body.visit(event))?;
    let mut blocks = body.blocks;
    blocks.extend(body.notes.into_blocks());
    Ok(Extracted {
        blocks,
        ..Extracted::default()
    })
}

/// Style names whose text is bold, and paragraph styles that are headings.
#[derive(Default)]
struct Styles {
    bold: HashSet<String>,
    heading: HashSet<String>,
}

impl Styles {
    fn read(&mut self, xml: &str) -> Result<(), FormatError> {
        let mut current: Option<String> = None;
        office::walk(xml, FORMAT, |event| match event {
            Xml::Open(tag) if tag.name() == "style:style" => {
                let name = tag.attr("style:name").unwrap_or_default();
                let parent = tag.attr("style:parent-style-name").unwrap_or_default();
                if name.starts_with("Heading") || parent.starts_with("Heading") {
                    self.heading.insert(name.clone());
                }
                if self.bold.contains(&parent) || name.contains("Strong") {
                    self.bold.insert(name.clone());
                }
                current = Some(name);
            }
            Xml::Open(tag) if tag.name() == "style:text-properties" => {
                if let Some(name) = current
                    .as_ref()
                    .filter(|_| tag.attr("fo:font-weight").as_deref() == Some("bold"))
                {
                    self.bold.insert(name.clone());
                }
            }
            Xml::Close("style:style") => current = None,
            _ => {}
        })
    }
}

#[derive(Default)]
struct Body {
    styles: Styles,
    blocks: Vec<Block>,
    paragraphs: Vec<Para>,
    /// Bold state of the enclosing paragraph and spans.
    bold: Vec<bool>,
    table: Table,
    list_depth: usize,
    /// Inside `office:text` (the body, not settings or styles).
    in_body: bool,
    /// Depth inside skipped elements (annotations, tracked changes, note citations).
    skip: usize,
    /// Paragraphs of the note being read, and its citation.
    note: Option<(String, Vec<String>)>,
    in_citation: bool,
    notes: Notes,
}

impl Body {
    fn visit(&mut self, event: Xml<'_, '_>) {
        match event {
            Xml::Open(tag) => self.open(tag),
            Xml::Close(name) => self.close(name),
            Xml::Text(text) => self.text(text),
        }
    }

    fn open(&mut self, tag: &office::Tag<'_>) {
        let name = tag.name();
        if self.skip > 0
            || matches!(
                name,
                "office:annotation" | "text:tracked-changes" | "table:covered-table-cell"
            )
        {
            self.skip += 1;
            return;
        }
        match name {
            "office:text" => self.in_body = true,
            "text:p" | "text:h" => {
                let style = tag.attr("text:style-name").unwrap_or_default();
                let mut para = Para::default();
                para.heading = name == "text:h" || self.styles.heading.contains(&style);
                para.list = self.list_depth > 0;
                if self.note.is_some() || self.table.in_cell() {
                    para.heading = false;
                    para.list = false;
                }
                self.paragraphs.push(para);
                self.bold.push(self.styles.bold.contains(&style));
            }
            "text:span" => {
                let style = tag.attr("text:style-name").unwrap_or_default();
                let inherited = self.bold.last().copied().unwrap_or(false);
                self.bold
                    .push(inherited || self.styles.bold.contains(&style));
            }
            "text:s" => {
                let count = tag
                    .attr("text:c")
                    .and_then(|c| c.parse::<usize>().ok())
                    .unwrap_or(1)
                    .min(1000);
                self.push(&" ".repeat(count));
            }
            "text:tab" => self.push("\t"),
            "text:line-break" => self.push("\n"),
            "text:list" => self.list_depth += 1,
            "text:note" => self.note = Some((String::new(), Vec::new())),
            "text:note-citation" => self.in_citation = true,
            "table:table" => self.table.depth += 1,
            _ => {}
        }
    }

    fn close(&mut self, name: &str) {
        if self.skip > 0 {
            self.skip -= 1;
            return;
        }
        match name {
            "office:text" => self.in_body = false,
            "text:p" | "text:h" => {
                self.bold.pop();
                let Some(para) = self.paragraphs.pop() else {
                    return;
                };
                if let Some((_, paragraphs)) = &mut self.note {
                    paragraphs.push(para.plain());
                } else if self.table.in_cell() {
                    self.table.push_paragraph(para.plain());
                } else if self.in_body {
                    self.blocks.push(para.into_block());
                }
            }
            "text:span" => {
                self.bold.pop();
            }
            "text:list" => self.list_depth = self.list_depth.saturating_sub(1),
            "text:note-citation" => {
                self.in_citation = false;
                if let Some((citation, _)) = &self.note {
                    let marker = format!("[{}]", citation.trim());
                    if let Some(p) = self.paragraphs.last_mut() {
                        p.push(&marker, false);
                    }
                }
            }
            "text:note" => {
                if let Some((citation, paragraphs)) = self.note.take() {
                    self.notes
                        .referenced
                        .push((citation.trim().to_string(), paragraphs));
                }
            }
            "table:table-cell" => self.table.end_cell(),
            "table:table-row" => {
                if let Some(row) = self.table.end_row() {
                    self.blocks.push(row);
                }
            }
            "table:table" => self.table.depth = self.table.depth.saturating_sub(1),
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        if self.skip > 0 {
            return;
        }
        if self.in_citation {
            if let Some((citation, _)) = &mut self.note {
                citation.push_str(text);
            }
            return;
        }
        // ODF collapses white space in text content; explicit spaces come as <text:s/>.
        let mut collapsed = String::with_capacity(text.len());
        let mut last_space = false;
        for c in text.chars() {
            if matches!(c, ' ' | '\t' | '\n' | '\r') {
                if !last_space {
                    collapsed.push(' ');
                }
                last_space = true;
            } else {
                collapsed.push(c);
                last_space = false;
            }
        }
        self.push(&collapsed);
    }

    fn push(&mut self, text: &str) {
        let bold = self.bold.last().copied().unwrap_or(false);
        if let Some(p) = self.paragraphs.last_mut() {
            p.push(text, bold);
        }
    }
}
