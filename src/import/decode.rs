//! Turns the bytes of a text file into clean text: detects UTF-8, UTF-16 and legacy Windows-1252/Latin-1,
//! then normalises to LF line endings with no BOM.

/// Why bytes could not become text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The file holds no bytes.
    #[error("the file is empty")]
    Empty,
    #[error(
        "this looks like a binary file, not text (it contains NUL bytes); import the original document instead"
    )]
    /// The bytes hold NULs: a binary file, not text.
    Binary,
    #[error(
        "the text encoding could not be recognised; save the file as UTF-8 and import it again"
    )]
    /// No supported encoding (UTF-8, UTF-16, Windows-1252) fits the bytes.
    Unrecognised,
}

/// Decodes bytes to a normalised string and names the encoding that was found.
pub fn decode(bytes: &[u8]) -> Result<(String, &'static str), DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    let (text, encoding) = if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes)
    {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            return Err(DecodeError::Unrecognised);
        }
        (text.into_owned(), encoding.name())
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        if text.contains('\0') {
            return Err(DecodeError::Binary);
        }
        (text.to_string(), "UTF-8")
    } else {
        if looks_binary(bytes) {
            return Err(DecodeError::Binary);
        }
        let mut detector = chardetng::EncodingDetector::new();
        detector.feed(bytes, true);
        let encoding = detector.guess(Some(b"no"), false);
        let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
        if had_errors {
            return Err(DecodeError::Unrecognised);
        }
        (text.into_owned(), encoding.name())
    };
    let text = normalise(&text);
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    if control_share(&text) > 0.01 {
        return Err(DecodeError::Binary);
    }
    Ok((text, encoding))
}

/// NUL bytes in a file that is not UTF-16 mean binary data.
fn looks_binary(bytes: &[u8]) -> bool {
    bytes.iter().take(64 * 1024).any(|b| *b == 0)
}

/// Share of characters that are control characters other than tab and newline.
fn control_share(text: &str) -> f64 {
    let sample: Vec<char> = text.chars().take(64 * 1024).collect();
    if sample.is_empty() {
        return 0.0;
    }
    let controls = sample
        .iter()
        .filter(|c| c.is_control() && **c != '\n' && **c != '\t')
        .count();
    controls as f64 / sample.len() as f64
}

/// LF line endings, no BOM, no stray control characters (form feeds become line breaks).
pub fn normalise(text: &str) -> String {
    // Most texts need no change: one pass over the bytes, then a copy, instead of rebuilding them by character.
    if !needs_normalising(text.as_bytes()) {
        return text.to_string();
    }
    normalise_by_char(text)
}

/// Whether `normalise_by_char` would change the text: it holds a control character other than tab and line
/// feed (C0, DEL, or C1 such as NEL, U+0080–U+009F, encoded `C2 80`–`C2 9F`), a byte order mark (`EF BB BF`) or
/// a line or paragraph separator (`E2 80 A8`, `E2 80 A9`).
fn needs_normalising(bytes: &[u8]) -> bool {
    bytes.iter().enumerate().any(|(i, &b)| {
        // One table lookup per byte; only the rare bytes that may start a change are looked at closely (a
        // `match` per byte was a visible share of import CPU).
        LEADS[usize::from(b)]
            && match b {
                0xc2 => matches!(bytes.get(i + 1), Some(0x80..=0x9f)),
                0xe2 => {
                    bytes.get(i + 1) == Some(&0x80) && matches!(bytes.get(i + 2), Some(0xa8 | 0xa9))
                }
                0xef => bytes.get(i + 1) == Some(&0xbb) && bytes.get(i + 2) == Some(&0xbf),
                _ => true,
            }
    })
}

/// Bytes that begin something [`normalise_by_char`] changes: control bytes other than tab and line feed, and
/// the lead bytes of C1 controls, line and paragraph separators and the byte order mark.
static LEADS: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = b != 0x09 && b != 0x0a;
        b += 1;
    }
    table[0x7f] = true;
    table[0xc2] = true;
    table[0xe2] = true;
    table[0xef] = true;
    table
};

fn normalise_by_char(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\u{feff}' => {}
            '\u{0c}' | '\u{2028}' | '\u{2029}' | '\u{85}' => out.push('\n'),
            '\t' | '\n' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str =
        "Rektor: Vi mangler ressurser, særlig på småtrinnet.\nLærer: Ja, og sykefraværet øker.";

    #[test]
    fn utf8_with_and_without_bom() {
        let (text, enc) = decode(TEXT.as_bytes()).expect("utf8");
        assert_eq!((text.as_str(), enc), (TEXT, "UTF-8"));
        let mut with_bom = vec![0xEF, 0xBB, 0xBF];
        with_bom.extend_from_slice(TEXT.as_bytes());
        assert_eq!(decode(&with_bom).expect("bom").0, TEXT);
    }

    #[test]
    fn utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        le.extend(TEXT.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(&le).expect("utf16le").0, TEXT);
        let mut be = vec![0xFE, 0xFF];
        be.extend(TEXT.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(&be).expect("utf16be").0, TEXT);
    }

    #[test]
    fn windows_1252_keeps_norwegian_letters() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(TEXT);
        assert!(std::str::from_utf8(&bytes).is_err());
        let (text, enc) = decode(&bytes).expect("cp1252");
        assert_eq!(text, TEXT);
        assert_eq!(enc, "windows-1252");
    }

    #[test]
    fn crlf_and_cr_become_lf() {
        let (text, _) = decode("a\r\nb\rc\n".as_bytes()).expect("text");
        assert_eq!(text, "a\nb\nc\n");
    }

    #[test]
    fn empty_and_binary_files_are_refused() {
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        assert_eq!(decode(b"  \n \r\n"), Err(DecodeError::Empty));
        let png = [
            0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, b'I', b'H', b'D', b'R',
            0xFF, 0,
        ];
        assert_eq!(decode(&png), Err(DecodeError::Binary));
        assert_eq!(decode(b"text\0with nul"), Err(DecodeError::Binary));
    }

    /// The byte scan sends exactly the texts that change to the character-by-character pass.
    #[test]
    fn texts_that_need_no_change_are_copied_as_they_are() {
        let cases = [
            TEXT.to_string(),
            "«Ressursteamet» – møtes kl. 14.30\tpå rommet…\n".to_string(),
            "Linje én\r\nlinje to\rlinje tre".to_string(),
            "\u{feff}Med BOM".to_string(),
            "Side 1\u{0c}Side 2\u{2028}linje\u{2029}avsnitt\u{85}neste".to_string(),
            "Kontroll\u{1}tegn\u{7f} og C1\u{9f} slutt".to_string(),
            "Ikke skilletegn: \u{2027}\u{202a}\u{a0}\u{bb}\u{ef}".to_string(),
            String::new(),
        ];
        for text in &cases {
            let slow = normalise_by_char(text);
            assert_eq!(
                needs_normalising(text.as_bytes()),
                slow != *text,
                "{text:?}"
            );
            assert_eq!(normalise(text), slow, "{text:?}");
        }
    }
}
