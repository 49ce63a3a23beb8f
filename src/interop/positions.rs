//! Converts selection positions written by other tools into code points of our normalised text (LF, no BOM),
//! and checks that converted boundaries fall on sensible places.

use crate::offsets::CharRange;

/// How a tool counted positions in a source text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counting {
    /// UTF-16 code units (NVivo) instead of code points (the standard).
    pub utf16: bool,
    /// A CRLF line break counts as two (as in the file) rather than one (ATLAS.ti).
    pub crlf_as_two: bool,
}

impl Counting {
    /// The standard: code points over the text as stored.
    pub const STANDARD: Counting = Counting {
        utf16: false,
        crlf_as_two: true,
    };

    /// The counting a tool uses, judged by the project's `origin` attribute.
    pub fn for_origin(origin: &str) -> Counting {
        let lower = origin.to_lowercase();
        if lower.contains("nvivo") {
            Counting {
                utf16: true,
                crlf_as_two: true,
            }
        } else if lower.contains("atlas") {
            Counting {
                utf16: false,
                crlf_as_two: false,
            }
        } else {
            Counting::STANDARD
        }
    }
}

/// Maps positions counted over a raw source text onto code points of its normalised form.
pub struct PositionMap {
    /// For each raw unit position 0..=len: the normalised code point there, and whether it is a clean
    /// boundary (not inside a character or a CRLF pair).
    table: Vec<(usize, bool)>,
    normalised: Vec<char>,
}

impl PositionMap {
    /// `raw` is the source text as the tool had it (BOM already removed); normalisation follows
    /// [`crate::import::decode::normalise`].
    pub fn new(raw: &str, counting: Counting) -> Self {
        let normalised: Vec<char> = crate::import::decode::normalise(raw).chars().collect();
        let mut table = Vec::with_capacity(raw.len() + 1);
        let mut out = 0usize;
        let chars: Vec<char> = raw.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c == '\r' && chars.get(i + 1) == Some(&'\n') {
                // One line break in our text.
                table.push((out, true));
                if counting.crlf_as_two {
                    table.push((out, false));
                }
                out += 1;
                i += 2;
                continue;
            }
            let kept = match c {
                '\u{feff}' => 0,
                '\r' | '\u{0c}' | '\u{2028}' | '\u{2029}' | '\u{85}' | '\t' | '\n' => 1,
                c if c.is_control() => 0,
                _ => 1,
            };
            let units = if counting.utf16 { c.len_utf16() } else { 1 };
            table.push((out, true));
            for _ in 1..units {
                table.push((out, false));
            }
            out += kept;
            i += 1;
        }
        table.push((out, true));
        Self { table, normalised }
    }

    /// Length of the raw text in the tool's units.
    pub fn raw_len(&self) -> usize {
        self.table.len().saturating_sub(1)
    }

    /// Converts a raw range. `Err` says why it cannot be used; `Ok((range, Some(warning)))` when a boundary is odd.
    pub fn convert(&self, start: usize, end: usize) -> Result<(CharRange, Option<String>), String> {
        if start > end {
            return Err(format!("start {start} is after end {end}"));
        }
        let (Some(&(s, s_clean)), Some(&(e, e_clean))) =
            (self.table.get(start), self.table.get(end))
        else {
            return Err(format!(
                "{start}–{end} lies outside the text (length {})",
                self.raw_len()
            ));
        };
        let range = CharRange::new(s, e);
        if range.is_empty() {
            return Err(format!("{start}–{end} is empty"));
        }
        let mut problems = Vec::new();
        if !s_clean || !e_clean {
            problems.push("falls inside a character or a line break");
        }
        let word = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric());
        let splits = |at: usize| {
            at > 0 && word(self.normalised.get(at - 1)) && word(self.normalised.get(at))
        };
        if splits(range.start) || splits(range.end) {
            problems.push("cuts a word in two");
        }
        let warning = (!problems.is_empty()).then(|| {
            format!(
                "selection {start}–{end} {} (positions may be counted differently)",
                problems.join(" and ")
            )
        });
        Ok((range, warning))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nvivo_counts_utf16_and_crlf() {
        let raw = "Hei 😀 du\r\nNeste linje";
        let map = PositionMap::new(
            raw,
            Counting {
                utf16: true,
                crlf_as_two: true,
            },
        );
        // "Neste" starts at UTF-16 unit 4 + 2 + 3 + 2 = 11; in our text at code point 4 + 1 + 3 + 1 = 9.
        let (range, warning) = map.convert(11, 16).expect("range");
        assert_eq!(range, CharRange::new(9, 14));
        assert_eq!(warning, None);
        // Inside the surrogate pair.
        let (_, warning) = map.convert(5, 11).expect("range");
        assert!(warning.expect("warned").contains("inside a character"));
    }

    #[test]
    fn atlas_counts_a_line_break_as_one() {
        let raw = "En\r\nTo tre";
        let map = PositionMap::new(raw, Counting::for_origin("ATLAS.ti 26"));
        assert_eq!(map.convert(3, 5).expect("range").0, CharRange::new(3, 5));
        let (_, warning) = map.convert(4, 6).expect("range");
        assert!(warning.expect("warned").contains("cuts a word"));
    }
}
