//! A guard in front of lopdf and pdf-extract: PDF files are measured before those readers see them, so a
//! decompression bomb, a drawing that draws itself or a page tree that loops is refused instead of aborting
//! the workbench (a failed allocation or a stack overflow cannot be caught).
//!
//! Two passes: [`raw`] reads the bytes before lopdf loads them (lopdf inflates object and cross-reference
//! streams while loading), [`walk`] reads the loaded document before pdf-extract follows pages and drawings.

mod filters;
mod lex;
mod raw;
mod walk;

use super::FormatError;

/// No single stream may unpack to more than this.
pub const MAX_STREAM_BYTES: usize = 64 * 1024 * 1024;
/// All streams of a file together may unpack to no more than this.
pub const MAX_TOTAL_BYTES: u64 = 512 * 1024 * 1024;
/// Drawings (form XObjects) inside drawings deeper than this are refused.
pub const MAX_FORM_DEPTH: usize = 16;
/// Content that pdf-extract reads, counting every repetition of a drawing, may be no more than this.
pub const MAX_CONTENT_WORK: u64 = 1024 * 1024 * 1024;
/// Drawings entered, counting repetitions, may be no more than this.
pub const MAX_DRAWS: u64 = 1_000_000;

/// The limits the guard applies.
#[derive(Debug, Clone)]
pub(crate) struct Limits {
    pub stream_bytes: usize,
    pub total_bytes: u64,
    pub form_depth: usize,
    pub content_work: u64,
    pub draws: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            stream_bytes: MAX_STREAM_BYTES,
            total_bytes: MAX_TOTAL_BYTES,
            form_depth: MAX_FORM_DEPTH,
            content_work: MAX_CONTENT_WORK,
            draws: MAX_DRAWS,
        }
    }
}

/// Why the guard refuses a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Data that unpacks or repeats far beyond its size.
    Bomb(String),
    /// A structure that would make the readers recurse without end or allocate without bound.
    Malformed(String),
}

impl From<Refusal> for FormatError {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::Bomb(what) => FormatError::PdfBomb { what },
            Refusal::Malformed(what) => FormatError::PdfMalformed { what },
        }
    }
}

fn mib(bytes: u64) -> String {
    format!("{} MB", bytes.div_ceil(1024 * 1024))
}

/// What the first pass measured, for the second.
pub(crate) use raw::RawScan;

/// The first pass, on the file's bytes; run it before `lopdf` loads them.
pub(crate) fn check_bytes(bytes: &[u8], limits: &Limits) -> Result<RawScan, Refusal> {
    raw::scan(bytes, limits)
}

/// The second pass, on the loaded (and, if it was encrypted, decrypted) document; run it before pdf-extract.
pub(crate) fn check_document(
    document: &pdf_extract::Document,
    limits: &Limits,
    encrypted: bool,
    raw: &RawScan,
) -> Result<(), Refusal> {
    walk::check(document, limits, encrypted, raw)
}

#[cfg(test)]
pub(crate) mod tests {
    /// A zlib stream of `n` zero bytes, written by hand: fixed-Huffman blocks of one literal zero followed by
    /// 258-byte copies (13 bits each), so a test can hold a large bomb without compressing it.
    pub(crate) fn zeros_zlib(n: usize) -> Vec<u8> {
        let mut bits = BitWriter::default();
        bits.push(0b1, 1); // final block
        bits.push(0b01, 2); // fixed Huffman
        let mut left = n;
        if left > 0 {
            bits.push_code(0b0011_0000, 8); // literal 0
            left -= 1;
        }
        while left >= 258 {
            bits.push_code(0b1100_0101, 8); // length 258 (code 285)
            bits.push_code(0, 5); // distance 1
            left -= 258;
        }
        for _ in 0..left {
            bits.push_code(0b0011_0000, 8);
        }
        bits.push_code(0, 7); // end of block (code 256)
        let mut out = vec![0x78, 0x01];
        out.extend(bits.finish());
        let b = (n % 65_521) as u32; // Adler-32 of zeros: a = 1, b = n
        out.extend(((b << 16) | 1).to_be_bytes());
        out
    }

    #[derive(Default)]
    struct BitWriter {
        out: Vec<u8>,
        acc: u32,
        n: u32,
    }

    impl BitWriter {
        /// Pushes `count` bits, least significant first (deflate's order for header bits and extra bits).
        fn push(&mut self, value: u32, count: u32) {
            for i in 0..count {
                self.acc |= ((value >> i) & 1) << self.n;
                self.n += 1;
                if self.n == 8 {
                    self.out.push(self.acc as u8);
                    (self.acc, self.n) = (0, 0);
                }
            }
        }

        /// Pushes a Huffman code, most significant bit first.
        fn push_code(&mut self, code: u32, count: u32) {
            for i in (0..count).rev() {
                self.push((code >> i) & 1, 1);
            }
        }

        fn finish(mut self) -> Vec<u8> {
            if self.n > 0 {
                self.out.push(self.acc as u8);
            }
            self.out
        }
    }
}

#[cfg(test)]
mod timing {
    use pdf_extract::{Dictionary, Document, Object, Stream};

    /// A PDF of `pages` pages of compressed text, as a report would be.
    fn report(pages: usize) -> Vec<u8> {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let font = doc.add_object(Dictionary::from_iter([
            ("Type", Object::Name(b"Font".to_vec())),
            ("Subtype", Object::Name(b"Type1".to_vec())),
            ("BaseFont", Object::Name(b"Helvetica".to_vec())),
        ]));
        let mut kids = Vec::new();
        for p in 0..pages {
            let mut text = String::from("BT /F1 11 Tf 72 760 Td 14 TL ");
            for line in 0..50 {
                text.push_str(&format!("(Side {p} linje {line}: kommunen skal sikre tilpasset opplaering for alle.) Tj T* "));
            }
            text.push_str("ET");
            let mut stream = Stream::new(Dictionary::new(), text.into_bytes());
            let _ = stream.compress();
            let content = doc.add_object(stream);
            let resources = Dictionary::from_iter([(
                "Font",
                Object::Dictionary(Dictionary::from_iter([("F1", Object::Reference(font))])),
            )]);
            let page = doc.add_object(Dictionary::from_iter([
                ("Type", Object::Name(b"Page".to_vec())),
                ("Parent", Object::Reference(pages_id)),
                ("Contents", Object::Reference(content)),
                ("Resources", Object::Dictionary(resources)),
                (
                    "MediaBox",
                    Object::Array(vec![0.into(), 0.into(), 612.into(), 792.into()]),
                ),
            ]));
            kids.push(Object::Reference(page));
        }
        let count = kids.len() as i64;
        doc.objects.insert(
            pages_id,
            Object::Dictionary(Dictionary::from_iter([
                ("Type", Object::Name(b"Pages".to_vec())),
                ("Kids", Object::Array(kids)),
                ("Count", Object::Integer(count)),
            ])),
        );
        let catalog = doc.add_object(Dictionary::from_iter([
            ("Type", Object::Name(b"Catalog".to_vec())),
            ("Pages", Object::Reference(pages_id)),
        ]));
        doc.trailer.set("Root", catalog);
        let mut out = Vec::new();
        doc.save_to(&mut out).expect("save");
        out
    }

    #[test]
    #[ignore = "timing: cargo test --release --lib pdfguard::timing -- --ignored --nocapture"]
    fn guard_cost_against_the_whole_read() {
        let bytes = report(300);
        let limits = super::Limits::default();
        let start = std::time::Instant::now();
        let scan = super::check_bytes(&bytes, &limits).expect("raw");
        let raw = start.elapsed();
        let document = Document::load_mem(&bytes).expect("load");
        let start = std::time::Instant::now();
        super::check_document(&document, &limits, false, &scan).expect("walk");
        let walk = start.elapsed();
        let start = std::time::Instant::now();
        let extracted = super::super::pdf::read(&bytes).expect("read");
        let total = start.elapsed();
        eprintln!(
            "{} bytes, {} blocks: raw {raw:?}, walk {walk:?}, whole read {total:?} ({:.1} % guard)",
            bytes.len(),
            extracted.blocks.len(),
            100.0 * (raw + walk).as_secs_f64() / total.as_secs_f64()
        );
    }
}
