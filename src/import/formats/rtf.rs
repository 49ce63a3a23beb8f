//! Rich Text Format (.rtf): body text and notes with paragraphs; code-page (`\'e6`) and Unicode (`\u230?`)
//! escapes decoded by rtf-parser-tt; page headers and footers left out.

use rtf_parser_tt::{RtfDocument, TextOptions};

use super::{Block, Extracted, FormatError};
use crate::import::quiet::catch_quietly;

/// Reads an RTF file.
pub fn read(bytes: &[u8]) -> Result<Extracted, FormatError> {
    if !bytes.trim_ascii_start().starts_with(b"{\\rtf") {
        return Err(FormatError::Invalid(
            "this is not an RTF file (it does not start with {\\rtf); check the file type and import the original".into(),
        ));
    }
    let parsed = catch_quietly(|| RtfDocument::from_bytes(bytes));
    let Ok(Ok(document)) = parsed else {
        return Err(FormatError::Invalid(
            "the RTF is damaged and could not be read; open it in a word processor, save it again and import the new file".into(),
        ));
    };
    let text = document.get_text_with(TextOptions::default().headers_footers(false));
    let blocks = text
        .split('\n')
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(Block::text)
        .collect();
    Ok(Extracted {
        blocks,
        ..Extracted::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_become_norwegian_letters() {
        let rtf = br"{\rtf1\ansi\ansicpg1252 {\fonttbl\f0 Calibri;}\f0 Bl\'e5b\'e6r og s\'f8t\par \u230?rlig talt\u248?\par}";
        let extracted = read(rtf).expect("rtf");
        let texts: Vec<&str> = extracted.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["Blåbær og søt", "ærlig taltø"]);
    }
}
