//! Converts between code-point offsets (the model's unit, as in REFI-QDA) and byte offsets (egui layout, regex, tantivy).

use serde::{Deserialize, Serialize};

/// A half-open range of Unicode code points, 0-based, end-exclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CharRange {
    /// The first code point in the range.
    pub start: usize,
    /// The code point just after the range.
    pub end: usize,
}

impl CharRange {
    /// The range from `start` up to, not including, `end`.
    pub fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    /// The number of code points in the range; 0 when `end` is not after `start`.
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// True when the range holds no code point (`end` is not after `start`).
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    /// True when the two ranges share at least one code point.
    pub fn overlaps(&self, other: &CharRange) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// True when `other` lies entirely inside `self`.
    pub fn contains_range(&self, other: &CharRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// The shared part of two ranges, if any.
    pub fn intersection(&self, other: &CharRange) -> Option<CharRange> {
        let start = self.start.max(other.start);
        let end = self.end.min(other.end);
        (start < end).then_some(CharRange { start, end })
    }
}

impl std::fmt::Display for CharRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// A half-open range of UTF-8 bytes.
pub type ByteRange = std::ops::Range<usize>;

/// Number of code points in a text.
pub fn char_len(text: &str) -> usize {
    if text.is_ascii() {
        text.len()
    } else {
        text.chars().count()
    }
}

/// Code points between checkpoints of an [`OffsetMap`].
const STRIDE: usize = 128;

/// Converts offsets in one text in O(stride) time, after one O(n) pass.
///
/// ASCII texts need no table: bytes and code points coincide.
#[derive(Clone, Debug, Default)]
pub struct OffsetMap {
    /// Byte offset of every `STRIDE`-th code point; empty for ASCII texts.
    checkpoints: Vec<usize>,
    char_len: usize,
    byte_len: usize,
}

impl OffsetMap {
    /// Builds the map for `text`; pass the same text to every conversion afterwards.
    pub fn new(text: &str) -> Self {
        if text.is_ascii() {
            return Self {
                checkpoints: Vec::new(),
                char_len: text.len(),
                byte_len: text.len(),
            };
        }
        let mut checkpoints = Vec::with_capacity(text.len() / STRIDE + 1);
        let mut count = 0;
        for (byte, _) in text.char_indices() {
            if count % STRIDE == 0 {
                checkpoints.push(byte);
            }
            count += 1;
        }
        Self {
            checkpoints,
            char_len: count,
            byte_len: text.len(),
        }
    }

    fn is_ascii(&self) -> bool {
        self.checkpoints.is_empty()
    }

    /// The number of code points in the mapped text.
    pub fn char_len(&self) -> usize {
        self.char_len
    }

    /// Byte offset of a code-point offset; `None` past the end.
    pub fn byte_at(&self, text: &str, char_offset: usize) -> Option<usize> {
        if char_offset > self.char_len {
            return None;
        }
        if char_offset == self.char_len {
            return Some(self.byte_len);
        }
        if self.is_ascii() {
            return Some(char_offset);
        }
        let base = *self.checkpoints.get(char_offset / STRIDE)?;
        let skip = char_offset % STRIDE;
        text.get(base..)?
            .char_indices()
            .nth(skip)
            .map(|(b, _)| base + b)
    }

    /// Code-point offset of a byte offset; `None` past the end or inside a character.
    pub fn char_at(&self, text: &str, byte_offset: usize) -> Option<usize> {
        if byte_offset > self.byte_len || !text.is_char_boundary(byte_offset) {
            return None;
        }
        if self.is_ascii() {
            return Some(byte_offset);
        }
        let slot = match self.checkpoints.binary_search(&byte_offset) {
            Ok(slot) => return Some(slot * STRIDE),
            Err(slot) => slot - 1,
        };
        let base = self.checkpoints[slot];
        Some(slot * STRIDE + text[base..byte_offset].chars().count())
    }

    /// Byte range of a code-point range.
    pub fn byte_range(&self, text: &str, range: CharRange) -> Option<ByteRange> {
        Some(self.byte_at(text, range.start)?..self.byte_at(text, range.end)?)
    }

    /// Code-point range of a byte range.
    pub fn char_range(&self, text: &str, range: ByteRange) -> Option<CharRange> {
        Some(CharRange::new(
            self.char_at(text, range.start)?,
            self.char_at(text, range.end)?,
        ))
    }
}

/// One-off conversion of a code-point offset to a byte offset.
pub fn char_to_byte(text: &str, char_offset: usize) -> Option<usize> {
    if char_offset == 0 {
        return Some(0);
    }
    match text.char_indices().nth(char_offset) {
        Some((byte, _)) => Some(byte),
        None => (char_len(text) == char_offset).then_some(text.len()),
    }
}

/// One-off conversion of a byte offset to a code-point offset.
pub fn byte_to_char(text: &str, byte_offset: usize) -> Option<usize> {
    text.get(..byte_offset).map(|prefix| prefix.chars().count())
}

/// The text of a code-point range, if the range lies inside the text.
pub fn slice(text: &str, range: CharRange) -> Option<&str> {
    let start = char_to_byte(text, range.start)?;
    let end = char_to_byte(text, range.end)?;
    text.get(start..end)
}

/// Number of UTF-16 code units in a text (NVivo counts positions this way).
pub fn utf16_len(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NORWEGIAN: &str =
        "Rektor: Vi får ikkje nok ressursar på skulen – særleg i år 😅. Æ, ø og å!";

    #[test]
    fn one_off_conversions_agree_with_char_indices() {
        for (char_offset, (byte_offset, _)) in NORWEGIAN.char_indices().enumerate() {
            assert_eq!(char_to_byte(NORWEGIAN, char_offset), Some(byte_offset));
            assert_eq!(byte_to_char(NORWEGIAN, byte_offset), Some(char_offset));
        }
        let n = char_len(NORWEGIAN);
        assert_eq!(char_to_byte(NORWEGIAN, n), Some(NORWEGIAN.len()));
        assert_eq!(char_to_byte(NORWEGIAN, n + 1), None);
    }

    #[test]
    fn byte_offsets_inside_a_character_are_refused() {
        let e_byte = NORWEGIAN.find('å').expect("å in text");
        assert_eq!(byte_to_char(NORWEGIAN, e_byte + 1), None);
        let map = OffsetMap::new(NORWEGIAN);
        assert_eq!(map.char_at(NORWEGIAN, e_byte + 1), None);
        let emoji = NORWEGIAN.find('😅').expect("emoji in text");
        assert_eq!(map.char_at(NORWEGIAN, emoji + 2), None);
    }

    #[test]
    fn offset_map_matches_one_off_conversions_on_long_mixed_text() {
        let text: String = std::iter::repeat_n(NORWEGIAN, 40)
            .collect::<Vec<_>>()
            .join("\n");
        let map = OffsetMap::new(&text);
        assert_eq!(map.char_len(), char_len(&text));
        for c in 0..=map.char_len() {
            let b = char_to_byte(&text, c).expect("in range");
            assert_eq!(map.byte_at(&text, c), Some(b), "char {c}");
            assert_eq!(map.char_at(&text, b), Some(c), "byte {b}");
        }
        assert_eq!(map.byte_at(&text, map.char_len() + 1), None);
    }

    #[test]
    fn ascii_text_needs_no_table() {
        let text = "plain ascii";
        let map = OffsetMap::new(text);
        assert_eq!(map.byte_at(text, 5), Some(5));
        assert_eq!(map.char_at(text, 11), Some(11));
        assert_eq!(map.char_at(text, 12), None);
    }

    #[test]
    fn slice_and_ranges() {
        let start = char_len("Rektor: Vi får ikkje nok ");
        let range = CharRange::new(start, start + "ressursar".len());
        assert_eq!(slice(NORWEGIAN, range), Some("ressursar"));
        assert!(range.overlaps(&CharRange::new(start + 3, start + 30)));
        assert!(!range.overlaps(&CharRange::new(range.end, range.end + 2)));
        assert_eq!(utf16_len("å😅"), 3);
    }
}
