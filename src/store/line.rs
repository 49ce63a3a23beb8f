//! Reading one line of `documents.ron` exactly as `store` writes it, without RON: a 35,000-document project
//! has a 30 MB `documents.ron`, and reading its lines directly is many times faster than RON's parser.
//!
//! This is a fast path only. It accepts one precise layout (the fields in declaration order, `, ` between
//! them, ranges as `(start, end)` tuples or in the older `(start: 0, end: 5)` form, strings without escapes)
//! and answers `None` for anything else: a name with a quote or a backslash, a line edited by hand. The caller then reads the line
//! with RON, which accepts every form and names the line and column of a real problem. Values are converted
//! through the same serde code RON would use (ids, dates, kinds, languages), so both paths give equal documents.

use serde::Deserialize;
use serde::de::IntoDeserializer;
use serde::de::value::{Error as ValueError, StrDeserializer};

use crate::ids::DocumentId;
use crate::model::{Document, DocumentKind, Language, Turn};
use crate::offsets::CharRange;

/// Lists reused from line to line, so each document's lists are allocated once at their exact length (a
/// 35,000-document project holds about a million ranges; growing each list by doubling costs time and memory).
#[derive(Default)]
pub(super) struct Scratch {
    ranges: Vec<CharRange>,
    turns: Vec<Turn>,
}

/// One document line (without its leading indentation and trailing comma), or `None` when it is not in the
/// exact layout `store` writes.
pub(super) fn document(line: &str, scratch: &mut Scratch) -> Option<Document> {
    let mut c = Cursor {
        rest: line,
        scratch,
    };
    c.tag("(id: ")?;
    let id: DocumentId = c.string()?.parse().ok()?;
    c.tag(", name: ")?;
    let name = c.string()?.to_string();
    c.tag(", original_file: ")?;
    let original_file = c.string()?.to_string();
    c.tag(", imported: ")?;
    let imported = time::serde::rfc3339::deserialize(text(c.string()?)).ok()?;
    c.tag(", kind: ")?;
    let kind = DocumentKind::deserialize(text(c.ident()?)).ok()?;
    c.tag(", char_len: ")?;
    let char_len = c.number()?;
    c.tag(", text_hash: ")?;
    let text_hash = c.string()?.to_string();
    c.tag(", paragraphs: ")?;
    let paragraphs = c.ranges()?;
    let turns = if c.tag(", turns: [").is_some() {
        c.turns()?
    } else {
        Vec::new()
    };
    let pages = if c.tag(", pages: ").is_some() {
        c.ranges()?
    } else {
        Vec::new()
    };
    let language = if c.tag(", language: Some(").is_some() {
        let language = Language::deserialize(text(c.ident()?)).ok()?;
        c.tag(")")?;
        Some(language)
    } else {
        None
    };
    c.tag(")")?;
    if !c.rest.is_empty() {
        return None;
    }
    Some(Document {
        id,
        name,
        original_file,
        imported,
        kind,
        char_len,
        text_hash,
        paragraphs,
        turns,
        pages,
        language,
    })
}

/// A string as serde input (for the conversions RON's path would make).
fn text(value: &str) -> StrDeserializer<'_, ValueError> {
    value.into_deserializer()
}

/// The unread rest of a line.
struct Cursor<'a, 's> {
    rest: &'a str,
    scratch: &'s mut Scratch,
}

impl<'a> Cursor<'a, '_> {
    /// Consumes `expected` when the rest starts with it.
    fn tag(&mut self, expected: &str) -> Option<()> {
        self.rest = self.rest.strip_prefix(expected)?;
        Some(())
    }

    /// A quoted string without escapes (RON escapes every quote and backslash inside a string, so the first
    /// quote ends it; a backslash means an escape, left to RON).
    fn string(&mut self) -> Option<&'a str> {
        let inner = self.rest.strip_prefix('"')?;
        let end = inner.bytes().position(|b| b == b'"' || b == b'\\')?;
        if inner.as_bytes()[end] != b'"' {
            return None;
        }
        self.rest = &inner[end + 1..];
        Some(&inner[..end])
    }

    /// An identifier (an enum variant such as `interview` or `nb`).
    fn ident(&mut self) -> Option<&'a str> {
        let len = self
            .rest
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        if len == 0 {
            return None;
        }
        let (ident, rest) = self.rest.split_at(len);
        self.rest = rest;
        Some(ident)
    }

    /// A decimal number without sign, of at most 19 digits (more is left to RON).
    fn number(&mut self) -> Option<usize> {
        let bytes = self.rest.as_bytes();
        let mut value: u64 = 0;
        let mut digits = 0;
        while let Some(digit) = bytes.get(digits).map(|b| b.wrapping_sub(b'0')) {
            if digit > 9 {
                break;
            }
            if digits == 19 {
                return None;
            }
            // 19 digits stay below u64::MAX.
            value = value * 10 + u64::from(digit);
            digits += 1;
        }
        if digits == 0 {
            return None;
        }
        self.rest = &self.rest[digits..];
        usize::try_from(value).ok()
    }

    /// A range written as `(start, end)`, or as `(start: 0, end: 5)` by versions before ranges were tuples.
    fn range(&mut self) -> Option<CharRange> {
        self.tag("(")?;
        let older = self.tag("start: ").is_some();
        let start = self.number()?;
        self.tag(if older { ", end: " } else { ", " })?;
        let end = self.number()?;
        self.tag(")")?;
        Some(CharRange { start, end })
    }

    /// A list of ranges, `[(0, 455), (458, 900)]`, allocated at its exact length.
    fn ranges(&mut self) -> Option<Vec<CharRange>> {
        self.tag("[")?;
        if self.tag("]").is_some() {
            return Some(Vec::new());
        }
        self.scratch.ranges.clear();
        loop {
            let range = self.range()?;
            self.scratch.ranges.push(range);
            if self.tag("]").is_some() {
                return Some(self.scratch.ranges.clone());
            }
            self.tag(", ")?;
        }
    }

    /// The turns of a `turns: [` list (the bracket already read), up to and including its `]`.
    fn turns(&mut self) -> Option<Vec<Turn>> {
        if self.tag("]").is_some() {
            return Some(Vec::new());
        }
        self.scratch.turns.clear();
        loop {
            let turn = self.turn()?;
            self.scratch.turns.push(turn);
            if self.tag("]").is_some() {
                return Some(self.scratch.turns.drain(..).collect());
            }
            self.tag(", ")?;
        }
    }

    /// One turn, `(speaker: "…", timestamp: Some("…"), range: (0, 80), content_start: 13)`.
    fn turn(&mut self) -> Option<Turn> {
        self.tag("(speaker: ")?;
        let speaker = self.string()?.to_string();
        let timestamp = if self.tag(", timestamp: Some(").is_some() {
            let timestamp = self.string()?.to_string();
            self.tag(")")?;
            Some(timestamp)
        } else {
            None
        };
        self.tag(", range: ")?;
        let range = self.range()?;
        self.tag(", content_start: ")?;
        let content_start = self.number()?;
        self.tag(")")?;
        Some(Turn {
            speaker,
            timestamp,
            range,
            content_start,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line_of(document: &Document) -> String {
        let text = super::super::to_ron(&super::super::DocumentsFile {
            documents: vec![document.clone()],
        })
        .expect("ron");
        let line = text.lines().nth(2).expect("document line");
        line.trim_start()
            .strip_suffix(',')
            .expect("trailing comma")
            .to_string()
    }

    fn speech() -> Document {
        let line = r#"(id:"00000000-0000-4000-8000-00000000002A",name:"innlegg_15976",original_file:"innlegg_15976.txt",imported:"2026-12-07T05:06:56Z",kind:interview,char_len:120,text_hash:"e9254d298e1760c0",paragraphs:[(0,40),(43,120)],turns:[(speaker:"Presidenten",range:(0,40),content_start:13),(speaker:"Statsråd Kari Nordmann",timestamp:Some("00:05:15"),range:(43,120),content_start:67)],language:Some(nn))"#;
        ron::from_str(line).expect("document")
    }

    #[test]
    fn a_line_as_store_writes_it_reads_the_same_as_through_ron() {
        let mut variants = vec![speech()];
        let mut plain = speech();
        plain.turns.clear();
        plain.language = None;
        plain.kind = DocumentKind::Document;
        plain.name = "Kommuneplan for Bømlo – høyring, «utkast»".into();
        variants.push(plain.clone());
        let mut paged = plain.clone();
        paged.pages = vec![CharRange::new(0, 60), CharRange::new(60, 120)];
        paged.kind = DocumentKind::Survey;
        paged.language = Some(Language::En);
        variants.push(paged);
        let mut empty = plain.clone();
        empty.paragraphs.clear();
        empty.char_len = 0;
        empty.kind = DocumentKind::Observation;
        variants.push(empty);
        let mut huge = plain.clone();
        huge.char_len = 9_999_999_999_999_999_999;
        variants.push(huge);
        let mut offset = plain;
        offset.imported = time::macros::datetime!(2022-03-14 12:00:00.5 +02:00);
        variants.push(offset);
        for doc in variants {
            let line = line_of(&doc);
            assert_eq!(
                document(&line, &mut Scratch::default()).as_ref(),
                Some(&doc),
                "{line}"
            );
            let through_ron: Document = ron::from_str(&line).expect("ron reads the line");
            assert_eq!(through_ron, doc);
        }
    }

    #[test]
    fn anything_else_is_left_to_ron() {
        let good = line_of(&speech());
        let mut quoted = speech();
        quoted.name = r#"Notat "text_hash: "1", paragraphs: [(1, 2)]"#.into();
        let mut backslash = speech();
        backslash.original_file = r"C:\intervju\rektor.txt".into();
        let odd = [
            line_of(&quoted),
            line_of(&backslash),
            good.replace("(0, 40)", "(start: 0, end: 40"),
            good.replace("(0, 40)", "(start: 0, 40)"),
            good.replace("(0, 40)", "(0, end: 40)"),
            good.replace("(0, 40)", "(0,40)"),
            good.replace("kind: interview", "kind: intervju"),
            good.replace("char_len: 120", "char_len: -1"),
            good.replace("char_len: 120", "char_len: 99999999999999999999999"),
            good.replace("char_len: 120", "char_len: 12345678901234567890"),
            good.replace("Some(nn)", "Some(se)"),
            good.replace("2026-12-07T05:06:56Z", "7. desember 2026"),
            good.replace("00000000-0000-4000-8000-00000000002A", "ikkje-ein-guid"),
            good.replace(", content_start: 13", ""),
            format!("{good} // merknad"),
            good[..good.len() - 1].to_string(),
            String::new(),
        ];
        for line in odd {
            assert_eq!(document(&line, &mut Scratch::default()), None, "{line}");
        }
        // The quoted name and the path with a backslash are still read, by RON.
        // A line saved before ranges were tuples, and one with both forms, read directly.
        let older = good
            .replace("(0, 40)", "(start: 0, end: 40)")
            .replace("(43, 120)", "(start: 43, end: 120)");
        assert!(older.contains("range: (start: 43, end: 120)"), "{older}");
        assert_eq!(document(&older, &mut Scratch::default()), Some(speech()));
        let mixed = good.replacen("(0, 40)", "(start: 0, end: 40)", 1);
        assert_eq!(document(&mixed, &mut Scratch::default()), Some(speech()));
        for doc in [quoted, backslash] {
            let read: Document = ron::from_str(&line_of(&doc)).expect("ron");
            assert_eq!(read, doc);
        }
    }
}
