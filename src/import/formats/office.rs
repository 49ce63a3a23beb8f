//! Helpers shared by the Word (OOXML) and OpenDocument readers: an XML event walk, paragraphs built from
//! bold and plain runs (a bold `Name:` opening a paragraph is a speaker), tables and notes.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use super::{Block, FormatError};

/// One XML event, simplified: empty elements arrive as `Open` then `Close`.
pub(super) enum Xml<'e, 'a> {
    Open(&'e Tag<'a>),
    Close(&'e str),
    Text(&'e str),
}

/// An opening tag with its (qualified) name.
pub(super) struct Tag<'a> {
    start: BytesStart<'a>,
}

impl Tag<'_> {
    pub fn name(&self) -> &str {
        self.start.name().into_inner()
    }

    /// An attribute's value, entity references resolved.
    pub fn attr(&self, key: &str) -> Option<String> {
        self.start
            .attributes()
            .with_checks(false)
            .filter_map(Result::ok)
            .find(|a| a.key.as_ref() == key)
            .map(|a| {
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map(Cow::into_owned)
                    .unwrap_or_else(|_| a.value.into_owned())
            })
    }
}

/// Decodes an XML part (UTF-8, or UTF-16 with a byte-order mark).
pub(super) fn xml_text(bytes: &[u8]) -> String {
    match encoding_rs::Encoding::for_bom(bytes) {
        Some((encoding, bom)) => encoding
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned(),
        None => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// Walks an XML document, calling `visit` for each element and text node.
pub(super) fn walk(
    xml: &str,
    format: &'static str,
    mut visit: impl FnMut(Xml<'_, '_>),
) -> Result<(), FormatError> {
    let mut reader = Reader::from_str(xml);
    let damaged = || {
        FormatError::Invalid(format!(
            "the .{format} is damaged (its XML could not be read); open it in the program that made it, save it again and import the new file"
        ))
    };
    loop {
        match reader.read_event().map_err(|_| damaged())? {
            Event::Start(start) => visit(Xml::Open(&Tag { start })),
            Event::Empty(start) => {
                let tag = Tag { start };
                visit(Xml::Open(&tag));
                visit(Xml::Close(tag.name()));
            }
            Event::End(end) => visit(Xml::Close(end.name().into_inner())),
            Event::Text(text) => visit(Xml::Text(&text.xml10_content())),
            Event::CData(text) => visit(Xml::Text(&text.xml10_content())),
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    _ => quick_xml::escape::resolve_xml_entity(&reference).map(str::to_string),
                };
                if let Some(text) = resolved {
                    visit(Xml::Text(&text));
                }
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

/// A run of text with one weight.
#[derive(Debug, Default)]
struct Run {
    text: String,
    bold: bool,
}

/// A paragraph being read.
#[derive(Debug, Default)]
pub(super) struct Para {
    runs: Vec<Run>,
    pub heading: bool,
    pub list: bool,
}

impl Para {
    /// Appends text in the given weight.
    pub fn push(&mut self, text: &str, bold: bool) {
        if text.is_empty() {
            return;
        }
        match self.runs.last_mut() {
            Some(run) if run.bold == bold => run.text.push_str(text),
            _ => self.runs.push(Run {
                text: text.to_string(),
                bold,
            }),
        }
    }

    /// The paragraph's plain text.
    pub fn plain(&self) -> String {
        self.runs.iter().map(|r| r.text.as_str()).collect()
    }

    /// The finished paragraph: headings are standalone, list items get a bullet, and a bold `Name:` at the
    /// start becomes the speaker.
    pub fn into_block(self) -> Block {
        if self.heading {
            return Block::standalone(self.plain());
        }
        if let Some((speaker, rest)) = self.bold_label() {
            return Block {
                text: rest,
                speaker: Some(speaker),
                ..Block::default()
            };
        }
        let text = self.plain();
        if self.list && !text.trim().is_empty() {
            return Block::text(format!("• {}", text.trim_start()));
        }
        Block::text(text)
    }

    /// `(speaker, rest)` when the paragraph opens with a bold `Name:` (the colon bold or right after it).
    fn bold_label(&self) -> Option<(String, String)> {
        let plain = self.plain();
        let mut bold_len = 0; // bytes of the bold prefix, leading whitespace included
        for run in &self.runs {
            // Bold runs, and white space before the first one, make up the prefix.
            if run.bold || (bold_len == 0 && run.text.trim().is_empty()) {
                bold_len += run.text.len();
            } else {
                break;
            }
        }
        let bold = plain.get(..bold_len)?.trim();
        let rest = plain.get(bold_len..)?;
        let (label, rest) = if let Some(label) = bold.strip_suffix(':') {
            (label.trim(), rest)
        } else {
            (bold, rest.trim_start().strip_prefix(':')?)
        };
        is_speaker_label(label).then(|| (label.to_string(), rest.trim_start().to_string()))
    }
}

/// 1–4 words, at most 40 characters, starting with a capital letter or digit.
pub(super) fn is_speaker_label(label: &str) -> bool {
    let words = label.split_whitespace().count();
    (1..=4).contains(&words)
        && label.chars().count() <= 40
        && label
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        && label
            .chars()
            .all(|c| c.is_alphanumeric() || c.is_whitespace() || ".-/".contains(c))
}

/// Collects table cells into one standalone paragraph per row, cells separated by ` | `.
#[derive(Debug, Default)]
pub(super) struct Table {
    row: Vec<String>,
    cell: Vec<String>,
    /// Nesting depth of tables (a table inside a cell is flattened into the cell).
    pub depth: usize,
}

impl Table {
    pub fn in_cell(&self) -> bool {
        self.depth > 0
    }

    /// A paragraph inside a cell.
    pub fn push_paragraph(&mut self, text: String) {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() {
            self.cell.push(text);
        }
    }

    pub fn end_cell(&mut self) {
        if self.depth == 1 {
            let cell = std::mem::take(&mut self.cell).join(" ");
            self.row.push(cell);
        }
    }

    /// The finished row, if the outermost table's row ended and it has any text.
    pub fn end_row(&mut self) -> Option<Block> {
        if self.depth != 1 {
            return None;
        }
        let row = std::mem::take(&mut self.row);
        row.iter()
            .any(|c| !c.is_empty())
            .then(|| Block::standalone(row.join(" | ")))
    }
}

/// Footnotes and endnotes in the order they are referenced, appended after the body.
#[derive(Debug, Default)]
pub(super) struct Notes {
    /// `(marker, paragraphs)` in reference order.
    pub referenced: Vec<(String, Vec<String>)>,
}

impl Notes {
    /// Blocks for the notes: the first paragraph of each starts with its marker (`[1] …`).
    pub fn into_blocks(self) -> Vec<Block> {
        let mut blocks = Vec::new();
        for (marker, paragraphs) in self.referenced {
            let mut paragraphs = paragraphs.into_iter().filter(|p| !p.trim().is_empty());
            let first = paragraphs.next().unwrap_or_default();
            blocks.push(Block::standalone(
                format!("[{marker}] {}", first.trim())
                    .trim_end()
                    .to_string(),
            ));
            blocks.extend(paragraphs.map(Block::standalone));
        }
        blocks
    }
}

/// Roman numerals for endnote markers (Word's default: i, ii, iii, …).
pub(super) fn roman(mut n: usize) -> String {
    const TABLE: [(usize, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for (value, numeral) in TABLE {
        while n >= value {
            out.push_str(numeral);
            n -= value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(runs: &[(&str, bool)]) -> Para {
        let mut p = Para::default();
        for (text, bold) in runs {
            p.push(text, *bold);
        }
        p
    }

    #[test]
    fn bold_labels_are_speakers() {
        let block = para(&[("Rektor:", true), (" Vi har for få folk.", false)]).into_block();
        assert_eq!(block.speaker.as_deref(), Some("Rektor"));
        assert_eq!(block.text, "Vi har for få folk.");
        let block = para(&[("Lærer 2", true), (": Ja.", false)]).into_block();
        assert_eq!(block.speaker.as_deref(), Some("Lærer 2"));
        assert_eq!(block.text, "Ja.");
    }

    #[test]
    fn bold_sentences_and_plain_labels_are_not_speakers() {
        let whole = para(&[("Rektor: alt er feit skrift.", true)]).into_block();
        assert_eq!(whole.speaker, None);
        let plain = para(&[("Rektor: ikkje feit.", false)]).into_block();
        assert_eq!(plain.speaker, None);
        assert_eq!(plain.text, "Rektor: ikkje feit.");
    }

    #[test]
    fn roman_numerals() {
        assert_eq!(
            [1, 4, 9, 14].map(roman),
            ["i".to_string(), "iv".into(), "ix".into(), "xiv".into()]
        );
    }
}
