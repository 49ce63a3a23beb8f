//! A small, bounded reader of PDF objects in raw bytes (dictionaries before `stream`, objects in object streams).
//!
//! It reads only what the guard needs (names, integers, arrays, dictionaries, references) and skips strings and
//! comments exactly, so a `>>` inside a string never ends a dictionary. Nesting is limited like lopdf's.

/// Deeper nesting than lopdf accepts is not read.
const MAX_DEPTH: usize = 100;

/// A PDF object as the guard sees it.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Obj {
    Int(i64),
    Name(Vec<u8>),
    Array(Vec<Obj>),
    Dict(Vec<(Vec<u8>, Obj)>),
    Ref(u32, u16),
    /// Reals, strings, booleans, null: their value does not matter to the guard.
    Other,
}

impl Obj {
    /// A dictionary entry (the last one wins, as in lopdf).
    pub fn get(&self, key: &[u8]) -> Option<&Obj> {
        match self {
            Obj::Dict(entries) => entries.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_int(&self) -> Option<i64> {
        match self {
            Obj::Int(i) => Some(*i),
            _ => None,
        }
    }

    pub fn as_name(&self) -> Option<&[u8]> {
        match self {
            Obj::Name(n) => Some(n),
            _ => None,
        }
    }
}

pub(super) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'\0')
}

pub(super) fn is_delimiter(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

/// Reads objects from a byte slice.
pub(super) struct Lexer<'a> {
    bytes: &'a [u8],
    pub pos: usize,
}

impl<'a> Lexer<'a> {
    pub fn new(bytes: &'a [u8], pos: usize) -> Self {
        Self { bytes, pos }
    }

    /// The bytes not read yet.
    pub fn remaining(&self) -> &'a [u8] {
        self.bytes.get(self.pos..).unwrap_or_default()
    }

    pub fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    pub fn starts_with(&self, prefix: &[u8]) -> bool {
        self.bytes
            .get(self.pos..)
            .is_some_and(|s| s.starts_with(prefix))
    }

    /// Skips white space and comments.
    pub fn skip_space(&mut self) {
        while let Some(b) = self.peek() {
            if is_space(b) {
                self.pos += 1;
            } else if b == b'%' {
                while self.peek().is_some_and(|b| b != b'\n' && b != b'\r') {
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    /// A regular token (keyword or number) at the current position.
    pub fn token(&mut self) -> &'a [u8] {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|b| !is_space(b) && !is_delimiter(b))
        {
            self.pos += 1;
        }
        self.bytes.get(start..self.pos).unwrap_or_default()
    }

    /// The next keyword (after white space), without reading an object.
    pub fn keyword(&mut self) -> &'a [u8] {
        self.skip_space();
        self.token()
    }

    /// Reads one object, or `None` when the bytes are not a readable object.
    pub fn object(&mut self) -> Option<Obj> {
        self.object_at(0)
    }

    fn object_at(&mut self, depth: usize) -> Option<Obj> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_space();
        match self.peek()? {
            b'/' => Some(Obj::Name(self.name())),
            b'(' => self.literal_string().then_some(Obj::Other),
            b'<' if self.starts_with(b"<<") => self.dictionary(depth),
            b'<' => self.hex_string().then_some(Obj::Other),
            b'[' => self.array(depth),
            b']' | b'>' | b')' | b'{' | b'}' => None,
            _ => self.number_or_reference(),
        }
    }

    /// A name with `#xx` escapes decoded (the leading `/` is skipped).
    pub fn name(&mut self) -> Vec<u8> {
        self.pos += 1;
        let raw = self.token();
        let mut name = Vec::with_capacity(raw.len());
        let mut i = 0;
        while let Some(&b) = raw.get(i) {
            let hex = raw
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok());
            match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                Some(decoded) if b == b'#' => {
                    name.push(decoded);
                    i += 3;
                }
                _ => {
                    name.push(b);
                    i += 1;
                }
            }
        }
        name
    }

    /// Skips `( … )` with nested parentheses and backslash escapes; false when it never ends.
    fn literal_string(&mut self) -> bool {
        let mut depth = 0usize;
        while let Some(b) = self.peek() {
            self.pos += 1;
            match b {
                b'\\' => self.pos += 1,
                b'(' => depth += 1,
                b')' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return true;
                    }
                }
                _ => {}
            }
        }
        false
    }

    fn hex_string(&mut self) -> bool {
        while let Some(b) = self.peek() {
            self.pos += 1;
            if b == b'>' {
                return true;
            }
        }
        false
    }

    fn array(&mut self, depth: usize) -> Option<Obj> {
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.skip_space();
            if self.peek()? == b']' {
                self.pos += 1;
                return Some(Obj::Array(items));
            }
            items.push(self.object_at(depth + 1)?);
        }
    }

    fn dictionary(&mut self, depth: usize) -> Option<Obj> {
        self.pos += 2;
        let mut entries = Vec::new();
        loop {
            self.skip_space();
            if self.starts_with(b">>") {
                self.pos += 2;
                return Some(Obj::Dict(entries));
            }
            if self.peek()? != b'/' {
                return None;
            }
            let key = self.name();
            let value = self.object_at(depth + 1)?;
            entries.push((key, value));
        }
    }

    /// A number, keyword (`true`, `null`, …) or `N G R` reference.
    fn number_or_reference(&mut self) -> Option<Obj> {
        let token = self.token();
        if token.is_empty() {
            // A lone delimiter that starts no object.
            self.pos += 1;
            return None;
        }
        let Some(int) = std::str::from_utf8(token)
            .ok()
            .and_then(|t| t.parse::<i64>().ok())
        else {
            return Some(Obj::Other);
        };
        let after_number = self.pos;
        if let Some(reference) = self.reference_tail(int) {
            return Some(reference);
        }
        self.pos = after_number;
        Some(Obj::Int(int))
    }

    /// `G R` after an object number.
    fn reference_tail(&mut self, number: i64) -> Option<Obj> {
        let generation = std::str::from_utf8(self.keyword())
            .ok()?
            .parse::<u16>()
            .ok()?;
        (self.keyword() == b"R").then_some(())?;
        Some(Obj::Ref(u32::try_from(number).ok()?, generation))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dictionaries_with_strings_references_and_escaped_names() {
        let text = b"<< /Type /Obj#53tm /N 3 /Length 12 0 R /S (a >> b \\) c) /K [1 2 /X] >>";
        let obj = Lexer::new(text, 0).object().expect("dict");
        assert_eq!(obj.get(b"Type"), Some(&Obj::Name(b"ObjStm".to_vec())));
        assert_eq!(obj.get(b"N"), Some(&Obj::Int(3)));
        assert_eq!(obj.get(b"Length"), Some(&Obj::Ref(12, 0)));
        assert_eq!(
            obj.get(b"K"),
            Some(&Obj::Array(vec![
                Obj::Int(1),
                Obj::Int(2),
                Obj::Name(b"X".to_vec())
            ]))
        );
    }

    #[test]
    fn deep_nesting_is_not_read() {
        let mut text = vec![b'['; 10_000];
        text.extend(vec![b']'; 10_000]);
        assert_eq!(Lexer::new(&text, 0).object(), None);
    }
}
