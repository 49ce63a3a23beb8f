//! Readers for rich formats (docx, odt, pdf, html, rtf, vtt/srt, survey tables): each yields [`Extracted`]
//! paragraphs, which [`to_entry`] maps onto the project model in one place.

pub mod captions;
pub mod docx;
pub mod html;
pub mod odt;
mod office;
pub mod pdf;
pub mod pdfguard;
pub mod rtf;
pub mod sheetguard;
pub mod survey;
pub mod zipsafe;

use std::sync::Arc;

use crate::edit::DocumentEntry;
use crate::model::{DocumentKind, Turn};
use crate::offsets::CharRange;

use super::{decode, structure};

/// Document formats read by this module (survey tables go through [`survey`]).
pub const DOCUMENT_EXTENSIONS: &[&str] =
    &["docx", "odt", "pdf", "html", "htm", "rtf", "vtt", "srt"];

/// One paragraph as a reader sees it, with the speaker and timestamp the source marks explicitly.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Block {
    /// The paragraph's text without any speaker label; soft line breaks are `\n`.
    pub text: String,
    /// A speaker given by the structure of the source (a VTT voice, a bold `Name:` in Word).
    pub speaker: Option<String>,
    /// When the turn starts (`00:05:15`), as the source gives it.
    pub timestamp: Option<String>,
    /// Headings, table rows and notes: they end the current speaker turn and belong to none.
    pub standalone: bool,
}

impl Block {
    /// A paragraph of running text.
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            ..Self::default()
        }
    }

    /// A paragraph that belongs to no speaker turn (heading, table row, note).
    pub fn standalone(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            standalone: true,
            ..Self::default()
        }
    }
}

/// Where speaker turns come from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TurnSource {
    /// Speakers marked in the structure when at least two paragraphs have one; otherwise labels found in the
    /// text, as for plain text files.
    #[default]
    StructureOrText,
    /// Only speakers marked in the structure (survey answers: a question is never a speaker).
    StructureOnly,
}

/// What a reader got out of a file: paragraphs in reading order and, for paged formats, where pages start.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted {
    /// Paragraphs (headings, list items, table rows) in reading order.
    pub blocks: Vec<Block>,
    /// Index into `blocks` of the first block of each page (empty for formats without pages).
    pub page_starts: Vec<usize>,
    /// Where speaker turns come from for this file.
    pub turns: TurnSource,
}

/// Why a file of a rich format could not be read. Each message says what is wrong and what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// Readable, but without any text.
    #[error("the file has no text")]
    NoText,
    #[error(
        "the file is damaged or incomplete (not a readable .{format} archive); open it in the program that made it, save it again and import the new file"
    )]
    /// The zip container of an office file cannot be read.
    DamagedArchive {
        /// The file's format (`docx`, `odt`, `xlsx`, …).
        format: &'static str,
    },
    #[error(
        "refused: the archive would unpack to {what}, which looks like a zip bomb; if the file is genuine, save it again from the program that made it"
    )]
    /// The archive would unpack to more than the limits allow.
    ZipBomb {
        /// What is too large, in words.
        what: String,
    },
    #[error(
        "refused: the PDF holds {what}, which looks like a decompression bomb; if the file is genuine, print it to a new PDF and import that"
    )]
    /// A PDF stream would decompress to more than the limits allow.
    PdfBomb {
        /// What is too large, in words.
        what: String,
    },
    #[error(
        "refused: the PDF is malformed ({what}) and could crash the reader; open it in a PDF reader, print it to a new PDF and import that"
    )]
    /// A PDF whose structure could crash the reader (cycles, nesting, broken streams).
    PdfMalformed {
        /// What is wrong, in words.
        what: String,
    },
    #[error(
        "refused: sheet '{sheet}' {what}; if the table is genuine, delete the unused rows and columns, save it again and import the new file"
    )]
    /// A sheet declares more rows, columns or cells than the limits allow.
    SheetTooLarge {
        /// The sheet's name.
        sheet: String,
        /// What is too large, in words.
        what: String,
    },
    #[error(
        "refused: the spreadsheet is damaged ({what}); open it in a spreadsheet program, save it again and import the new file"
    )]
    /// A spreadsheet whose parts are inconsistent.
    SheetDamaged {
        /// What is wrong, in words.
        what: String,
    },
    /// The PDF is password-protected.
    #[error("encrypted PDF; remove the password and import again")]
    EncryptedPdf,
    /// The PDF has pages but no text on them (a scan).
    #[error("no text layer (scanned?); run OCR first")]
    NoTextLayer,
    /// Any other problem, already phrased as "what is wrong; what to do".
    #[error("{0}")]
    Invalid(String),
}

/// Reads the bytes of a document format named by its (lower-case) extension.
pub fn extract(extension: &str, bytes: &[u8]) -> Result<Extracted, FormatError> {
    if bytes.is_empty() {
        return Err(FormatError::Invalid("the file is empty".into()));
    }
    match extension {
        "docx" => docx::read(bytes),
        "odt" => odt::read(bytes),
        "pdf" => pdf::read(bytes),
        "html" | "htm" => html::read(&text_of(bytes)?),
        "rtf" => rtf::read(bytes),
        "vtt" => captions::read_vtt(&text_of(bytes)?),
        "srt" => captions::read_srt(&text_of(bytes)?),
        other => Err(FormatError::Invalid(format!(
            "unsupported file type '.{other}'"
        ))),
    }
}

/// Decodes a text-based format (HTML, captions) with the same detection as plain text.
fn text_of(bytes: &[u8]) -> Result<String, FormatError> {
    decode::decode(bytes)
        .map(|(text, _)| text)
        .map_err(|e| FormatError::Invalid(e.to_string()))
}

/// The label written before a turn's words: `Rektor: `, or `Rektor (00:05:15): ` with a timestamp.
fn label(speaker: &str, timestamp: Option<&str>) -> String {
    match timestamp {
        Some(ts) => format!("{speaker} ({ts}): "),
        None => format!("{speaker}: "),
    }
}

/// Cleans one block: normalised line ends, no blank lines inside, trimmed.
fn clean(text: &str) -> String {
    let text = decode::normalise(text);
    let mut out = String::with_capacity(text.len());
    for line in text.split('\n') {
        let line = line.trim_end();
        if line.trim().is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(line);
    }
    out.trim().to_string()
}

/// Maps extracted paragraphs onto a document: text, paragraphs, pages and turns. Turns given by the structure
/// of the source win; without them, turns are detected in the text as for plain text files.
pub fn to_entry(
    name: &str,
    original_file: &str,
    extracted: Extracted,
    kind: Option<DocumentKind>,
) -> Result<DocumentEntry, FormatError> {
    let Extracted {
        blocks,
        page_starts,
        turns: turn_source,
    } = extracted;
    let (kept, page_starts) = clean_blocks(blocks, &page_starts);
    if kept.is_empty() {
        return Err(FormatError::NoText);
    }
    let speakers = kept.iter().filter(|b| b.speaker.is_some()).count();
    let structural = speakers >= 2 || (turn_source == TurnSource::StructureOnly && speakers > 0);

    let mut text = String::new();
    let mut position = 0usize; // in code points
    let mut paragraphs = Vec::with_capacity(kept.len());
    let mut labels = Vec::with_capacity(kept.len()); // label length in code points, per block
    for block in &kept {
        if !text.is_empty() {
            text.push_str("\n\n");
            position += 2;
        }
        let start = position;
        let mut label_len = 0;
        if let Some(speaker) = &block.speaker {
            let label = label(speaker, block.timestamp.as_deref());
            let label = if block.text.is_empty() {
                label.trim_end().to_string()
            } else {
                label
            };
            label_len = label.chars().count();
            text.push_str(&label);
        }
        text.push_str(&block.text);
        position += label_len + block.text.chars().count();
        paragraphs.push(CharRange::new(start, position));
        labels.push(label_len);
    }

    let pages = page_ranges(&page_starts, &paragraphs, position);
    let (paragraphs, turns) = match (structural, turn_source) {
        (true, _) => {
            let turns = structural_turns(&kept, &paragraphs, &labels);
            (paragraphs, turns)
        }
        // The same detection as plain text: a paragraph holding several labelled lines (soft line breaks in
        // Word, one PDF paragraph per page) is split at each turn.
        (false, TurnSource::StructureOrText) => {
            let found = structure::detect(&text, paragraphs);
            (found.paragraphs, found.turns)
        }
        (false, TurnSource::StructureOnly) => (paragraphs, Vec::new()),
    };
    let kind = kind.unwrap_or_else(|| super::guess_kind(name, !turns.is_empty()));
    let mut document = super::new_document(name, original_file, &text, paragraphs, turns, kind);
    document.pages = pages;
    Ok(DocumentEntry {
        document,
        text: Arc::from(text),
    })
}

/// Cleans blocks, dropping empty ones; returns them with the index where each page now starts.
fn clean_blocks(blocks: Vec<Block>, page_starts: &[usize]) -> (Vec<Block>, Vec<usize>) {
    let mut kept: Vec<Block> = Vec::with_capacity(blocks.len());
    let mut new_index = Vec::with_capacity(blocks.len() + 1);
    for block in blocks {
        new_index.push(kept.len());
        let text = clean(&block.text);
        let speaker = block
            .speaker
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        if text.is_empty() && speaker.is_none() {
            continue;
        }
        kept.push(Block {
            text,
            speaker,
            timestamp: block.timestamp,
            standalone: block.standalone,
        });
    }
    new_index.push(kept.len());
    let page_starts = page_starts
        .iter()
        .map(|i| new_index.get(*i).copied().unwrap_or(kept.len()))
        .collect();
    (kept, page_starts)
}

/// Turns from blocks with speakers: a turn runs over the following unlabelled paragraphs until the next
/// speaker or a standalone block.
fn structural_turns(blocks: &[Block], paragraphs: &[CharRange], labels: &[usize]) -> Vec<Turn> {
    let mut turns: Vec<Turn> = Vec::new();
    let mut open = false;
    for ((block, range), label_len) in blocks.iter().zip(paragraphs).zip(labels) {
        if let Some(speaker) = &block.speaker {
            turns.push(Turn {
                speaker: speaker.clone(),
                timestamp: block.timestamp.clone(),
                range: *range,
                content_start: range.start + label_len,
            });
            open = !block.standalone;
        } else if block.standalone {
            open = false;
        } else if let Some(turn) = turns.last_mut().filter(|_| open) {
            turn.range.end = range.end;
        }
    }
    turns
}

/// Page ranges from the first block of each page; a page without text gets an empty range where it would be.
fn page_ranges(page_starts: &[usize], paragraphs: &[CharRange], text_len: usize) -> Vec<CharRange> {
    let mut pages = Vec::with_capacity(page_starts.len());
    for (i, first) in page_starts.iter().enumerate() {
        let end_block = page_starts
            .get(i + 1)
            .copied()
            .unwrap_or(paragraphs.len())
            .max(*first);
        let range = match (paragraphs.get(*first), end_block.checked_sub(1)) {
            (Some(start), Some(last)) if last >= *first => CharRange::new(
                start.start,
                paragraphs.get(last).map_or(start.end, |p| p.end),
            ),
            (Some(start), _) => CharRange::new(start.start, start.start),
            (None, _) => CharRange::new(text_len, text_len),
        };
        pages.push(range);
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::offsets::slice;

    fn spoken(speaker: &str, text: &str) -> Block {
        Block {
            text: text.into(),
            speaker: Some(speaker.into()),
            ..Block::default()
        }
    }

    #[test]
    fn structural_speakers_become_turns_with_continuations() {
        let extracted = Extracted {
            blocks: vec![
                Block::standalone("Intervju på Nausthaugen"),
                spoken("Intervjuer", "Korleis går det?"),
                spoken("Rektor", "Vi har for få lærarar."),
                Block::text("Og  ressursteamet møtest sjeldan."),
                Block::standalone("[1] Notat."),
            ],
            ..Extracted::default()
        };
        let entry = to_entry("intervju", "intervju.docx", extracted, None).expect("entry");
        let text = &*entry.text;
        assert_eq!(
            text,
            "Intervju på Nausthaugen\n\nIntervjuer: Korleis går det?\n\nRektor: Vi har for få lærarar.\n\nOg  ressursteamet møtest sjeldan.\n\n[1] Notat."
        );
        let turns = &entry.document.turns;
        assert_eq!(turns.len(), 2);
        assert_eq!(
            slice(text, turns[1].range),
            Some("Rektor: Vi har for få lærarar.\n\nOg  ressursteamet møtest sjeldan.")
        );
        assert_eq!(
            slice(
                text,
                CharRange::new(turns[1].content_start, turns[1].range.end)
            )
            .map(|s| &s[..9]),
            Some("Vi har fo")
        );
        assert_eq!(entry.document.kind, DocumentKind::Interview);
    }

    #[test]
    fn pages_cover_their_paragraphs_and_empty_pages_are_kept() {
        let extracted = Extracted {
            blocks: vec![
                Block::text("Side éin."),
                Block::text("  "),
                Block::text("Side tre."),
            ],
            page_starts: vec![0, 1, 2],
            ..Extracted::default()
        };
        let entry = to_entry("plan", "plan.pdf", extracted, None).expect("entry");
        assert_eq!(&*entry.text, "Side éin.\n\nSide tre.");
        assert_eq!(
            entry.document.pages,
            vec![
                CharRange::new(0, 9),
                CharRange::new(11, 11),
                CharRange::new(11, 20)
            ]
        );
    }

    #[test]
    fn no_blocks_means_no_text() {
        let extracted = Extracted {
            blocks: vec![Block::text(" \n ")],
            ..Extracted::default()
        };
        assert_eq!(
            to_entry("x", "x.html", extracted, None).err(),
            Some(FormatError::NoText)
        );
    }
}
