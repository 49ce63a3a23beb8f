//! PDF files: the text layer page by page (pdf-extract), paragraphs split at blank lines, hyphenated line ends
//! joined, page boundaries kept. Encrypted and scanned (text-less) PDFs are refused with what to do.

use pdf_extract::{Document, PlainTextOutput};

use super::pdfguard::{self, Limits};
use super::{Block, Extracted, FormatError};
use crate::import::quiet::catch_quietly;

fn damaged() -> FormatError {
    FormatError::Invalid(
        "the PDF is damaged or incomplete and could not be read; open it in a PDF reader, save or print it to a new PDF and import that".into(),
    )
}

/// Reads a PDF.
pub fn read(bytes: &[u8]) -> Result<Extracted, FormatError> {
    if !bytes
        .get(..1024.min(bytes.len()))
        .is_some_and(|head| head.windows(5).any(|w| w == b"%PDF-"))
    {
        return Err(FormatError::Invalid(
            "this is not a PDF file (no %PDF header); check the file type and import the original"
                .into(),
        ));
    }
    // lopdf inflates some streams while loading: measure them all first.
    let limits = Limits::default();
    let scan = pdfguard::check_bytes(bytes, &limits)?;
    let (document, encrypted) = open(bytes)?;
    // pdf-extract follows pages and drawings by recursion: check the structure it will walk.
    pdfguard::check_document(&document, &limits, encrypted, &scan)?;
    let page_numbers: Vec<u32> = document.get_pages().keys().copied().collect();
    let mut extracted = Extracted::default();
    let mut any_text = false;
    for number in page_numbers {
        let page = catch_quietly(|| {
            let mut text = String::new();
            let mut output = PlainTextOutput::new(&mut text);
            pdf_extract::output_doc_page(&document, &mut output, number).map(|()| text)
        });
        let text = match page {
            Ok(Ok(text)) => text,
            Ok(Err(error)) if is_encryption_error(&format!("{error:?}")) => {
                return Err(FormatError::EncryptedPdf);
            }
            _ => return Err(damaged()),
        };
        extracted.page_starts.push(extracted.blocks.len());
        for paragraph in page_paragraphs(&text) {
            any_text = true;
            extracted.blocks.push(Block::text(paragraph));
        }
    }
    if !any_text {
        return Err(FormatError::NoTextLayer);
    }
    Ok(extracted)
}

/// Loads a PDF (lopdf and pdf-extract may panic on malformed files; a panic becomes a refused file) and opens
/// it with the empty password when it has only an owner password. Returns whether it was encrypted.
fn open(bytes: &[u8]) -> Result<(Document, bool), FormatError> {
    let mut document = match catch_quietly(|| Document::load_mem(bytes)) {
        Ok(Ok(document)) => document,
        Ok(Err(error)) => {
            return Err(if is_encryption_error(&error.to_string()) {
                FormatError::EncryptedPdf
            } else {
                damaged()
            });
        }
        Err(_) => return Err(damaged()),
    };
    let encrypted = document.is_encrypted();
    if encrypted {
        // A PDF with only an owner password (printing/copying restrictions) opens with the empty password.
        let opened = catch_quietly(|| document.decrypt(""));
        if !matches!(opened, Ok(Ok(()))) {
            return Err(FormatError::EncryptedPdf);
        }
    }
    Ok((document, encrypted))
}

fn is_encryption_error(message: &str) -> bool {
    let lower = message.to_lowercase();
    lower.contains("decrypt") || lower.contains("encrypt") || lower.contains("password")
}

/// Paragraphs of one page: blocks separated by blank lines, lines joined with a space, a hyphen at a line
/// end joined to the next line when that line goes on in lower case (not before "og"/"eller": `helse- og`).
fn page_paragraphs(text: &str) -> Vec<String> {
    let text = super::decode::normalise(text);
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    for line in text.split('\n') {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
            continue;
        }
        if current.is_empty() {
            current = line;
            continue;
        }
        let next_word = line.split(' ').next().unwrap_or("");
        let continues_word = current.ends_with('-')
            && current
                .chars()
                .rev()
                .nth(1)
                .is_some_and(char::is_alphabetic)
            && line.chars().next().is_some_and(char::is_lowercase)
            && !["og", "eller", "and", "or", "til"].contains(&next_word);
        if continues_word {
            current.pop();
        } else {
            current.push(' ');
        }
        current.push_str(&line);
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    paragraphs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_join_and_hyphens_mend() {
        let text = "Kommunen skal sikre til-\npasset opplæring for alle.\n\nHelse- og\nomsorgstenesta deltek.\n\nHelse-\nog omsorg.";
        assert_eq!(
            page_paragraphs(text),
            vec![
                "Kommunen skal sikre tilpasset opplæring for alle.",
                "Helse- og omsorgstenesta deltek.",
                "Helse- og omsorg."
            ]
        );
    }

    #[test]
    fn non_pdf_bytes_are_refused() {
        let error = read(b"just text").expect_err("refused");
        assert!(error.to_string().contains("not a PDF"));
    }
}
