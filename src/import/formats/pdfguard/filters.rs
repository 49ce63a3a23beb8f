//! PDF stream filters decoded the way lopdf decodes them (Flate with its raw-deflate fallback, LZW, ASCII85,
//! PNG predictors), but never past a byte cap: the guard learns how big a stream unpacks without unpacking a bomb.

use std::io::{Cursor, Read};

/// A stream's filter chain, in decoding order, and its `/DecodeParms` (a direct dictionary only, like lopdf).
#[derive(Debug, Default, Clone)]
pub(super) struct Chain {
    pub filters: Vec<Vec<u8>>,
    pub params: Option<Params>,
}

/// The `/DecodeParms` entries lopdf reads.
#[derive(Debug, Clone)]
pub(super) struct Params {
    pub predictor: i64,
    pub columns: i64,
    pub colors: i64,
    pub bits: i64,
    pub early_change: bool,
}

impl Params {
    /// Reads a `/DecodeParms` dictionary through `int` (a key and its default), whichever parser holds it.
    pub(super) fn read(int: impl Fn(&[u8], i64) -> i64) -> Self {
        Self {
            predictor: int(b"Predictor", 1),
            columns: int(b"Columns", 1),
            colors: int(b"Colors", 1),
            bits: int(b"BitsPerComponent", 8),
            early_change: int(b"EarlyChange", 1) != 0,
        }
    }
}

impl Default for Params {
    /// The values a stream without `/DecodeParms` is decoded with.
    fn default() -> Self {
        Self::read(|_, default| default)
    }
}

/// Why decoding stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Stop {
    /// A stage would produce more than the cap.
    TooLarge,
    /// A predictor row wider than the cap (lopdf would allocate it before reading a byte).
    HugeRow(u64),
}

/// What decoding produced.
#[derive(Debug, Default)]
pub(super) struct Decoded {
    /// The decoded bytes, or `None` when lopdf would hand out the raw bytes (no filter, or one it cannot decode).
    pub bytes: Option<Vec<u8>>,
    /// Bytes produced by all stages together.
    pub produced: u64,
}

/// Decodes `data` through `chain`, refusing any stage that would exceed `cap` bytes.
pub(super) fn decode(data: &[u8], chain: &Chain, cap: usize) -> Result<Decoded, Stop> {
    let mut decoded = Decoded::default();
    if chain.filters.is_empty() {
        return Ok(decoded);
    }
    let params = chain.params.clone().unwrap_or_default();
    let mut current: Option<Vec<u8>> = None;
    for filter in &chain.filters {
        let input = current.as_deref().unwrap_or(data);
        let output = match filter.as_slice() {
            b"FlateDecode" => predict(inflate(input, cap)?, chain.params.as_ref(), cap)?,
            b"LZWDecode" => predict(
                lzw(input, params.early_change, cap)?,
                chain.params.as_ref(),
                cap,
            )?,
            b"ASCII85Decode" => match ascii85(input, cap)? {
                Some(output) => output,
                None => return Ok(Decoded::default()),
            },
            // lopdf refuses the whole chain, and pdf-extract then uses the raw bytes.
            _ => return Ok(Decoded::default()),
        };
        decoded.produced = decoded.produced.saturating_add(output.len() as u64);
        current = Some(output);
    }
    decoded.bytes = current;
    Ok(decoded)
}

/// Reads at most `cap + 1` bytes from a decoder; a read error ends the output (lopdf keeps what it got).
fn read_capped(mut reader: impl Read, cap: usize) -> Result<Vec<u8>, Stop> {
    let mut out = Vec::new();
    let mut buffer = vec![0u8; 16 * 1024];
    loop {
        match reader.read(&mut buffer) {
            Ok(0) | Err(_) => return Ok(out),
            Ok(n) => {
                out.extend_from_slice(buffer.get(..n).unwrap_or_default());
                if out.len() > cap {
                    return Err(Stop::TooLarge);
                }
            }
        }
    }
}

/// Flate as lopdf reads it. A zlib stream and lopdf's raw-deflate fallback both inflate the deflate data after
/// the two-byte header, so that is what is inflated here (through the zip reader's deflate, whose output is
/// read in chunks and can be stopped).
fn inflate(input: &[u8], cap: usize) -> Result<Vec<u8>, Stop> {
    let Some(deflated) = input.get(2..).filter(|d| !d.is_empty()) else {
        return Ok(Vec::new());
    };
    let Ok(size) = u32::try_from(deflated.len()) else {
        return Err(Stop::TooLarge);
    };
    let mut header = Vec::with_capacity(31);
    header.extend_from_slice(&0x0403_4b50u32.to_le_bytes()); // local file header
    header.extend_from_slice(&20u16.to_le_bytes()); // version needed
    header.extend_from_slice(&0u16.to_le_bytes()); // flags
    header.extend_from_slice(&8u16.to_le_bytes()); // deflate
    header.extend_from_slice(&[0; 8]); // time, date, crc-32
    header.extend_from_slice(&size.to_le_bytes());
    header.extend_from_slice(&(u32::MAX - 1).to_le_bytes()); // uncompressed size: unknown, large
    header.extend_from_slice(&1u16.to_le_bytes()); // name length
    header.extend_from_slice(&0u16.to_le_bytes()); // extra length
    header.push(b'x');
    let mut stream = Cursor::new(header).chain(deflated);
    match zip::read::read_zipfile_from_stream(&mut stream) {
        Ok(Some(file)) => read_capped(file, cap),
        _ => Ok(Vec::new()),
    }
}

/// PNG predictors (10–15) as lopdf applies them after Flate and LZW; other predictors leave the data as is.
fn predict(data: Vec<u8>, params: Option<&Params>, cap: usize) -> Result<Vec<u8>, Stop> {
    let Some(params) = params.filter(|p| (10..=15).contains(&p.predictor)) else {
        return Ok(data);
    };
    let width = |v: i64, min: i64| u64::try_from(v.max(min)).unwrap_or(u64::MAX);
    let bytes_per_pixel = width(params.colors, 1).saturating_mul(width(params.bits, 8)) / 8;
    let row = bytes_per_pixel.saturating_mul(width(params.columns, 1));
    if row > cap as u64 {
        return Err(Stop::HugeRow(row));
    }
    let (row, bpp) = (row as usize, bytes_per_pixel as usize);
    let mut previous = vec![0u8; row];
    let mut out = Vec::with_capacity(data.len());
    let mut rows = data.chunks_exact(row + 1);
    for chunk in rows.by_ref() {
        let (filter, bytes) = chunk.split_first().unwrap_or((&0, &[]));
        let mut current = bytes.to_vec();
        if !unfilter_row(*filter, bpp, &previous, &mut current) {
            break;
        }
        out.extend_from_slice(&current);
        previous = current;
    }
    Ok(out)
}

/// Undoes one PNG row filter; false for an unknown filter type (lopdf stops there with an error).
fn unfilter_row(filter: u8, bpp: usize, previous: &[u8], current: &mut [u8]) -> bool {
    let bpp = bpp.min(current.len()).max(1);
    for i in 0..current.len() {
        let left = if i >= bpp { current[i - bpp] } else { 0 };
        let above = previous.get(i).copied().unwrap_or(0);
        let upper_left = if i >= bpp {
            previous.get(i - bpp).copied().unwrap_or(0)
        } else {
            0
        };
        let add = match filter {
            0 => 0,
            1 => left,
            2 => above,
            // lopdf adds half of `above` to `left` (not their mean); match it.
            3 => (u16::from(left) + u16::from(above) / 2) as u8,
            4 => paeth(left, above, upper_left),
            _ => return false,
        };
        current[i] = current[i].wrapping_add(add);
    }
    true
}

fn paeth(left: u8, above: u8, upper_left: u8) -> u8 {
    let estimate = i16::from(left) + i16::from(above) - i16::from(upper_left);
    let (dl, da, du) = (
        (estimate - i16::from(left)).abs(),
        (estimate - i16::from(above)).abs(),
        (estimate - i16::from(upper_left)).abs(),
    );
    if dl <= da && dl <= du {
        left
    } else if da <= du {
        above
    } else {
        upper_left
    }
}

/// ASCII85 as lopdf decodes it; `None` where lopdf fails (and pdf-extract falls back to the raw bytes).
fn ascii85(input: &[u8], cap: usize) -> Result<Option<Vec<u8>>, Stop> {
    let input = input.strip_suffix(b"~>").unwrap_or(input);
    let mut out = Vec::new();
    let (mut buffer, mut count) = (0u32, 0usize);
    for &c in input {
        if out.len() > cap {
            return Err(Stop::TooLarge);
        }
        if c == b'z' {
            if count != 0 {
                return Ok(None);
            }
            out.extend_from_slice(&[0; 4]);
            continue;
        }
        if c.is_ascii_whitespace() {
            continue;
        }
        if !(b'!'..=b'u').contains(&c) {
            break;
        }
        let Some(next) = buffer
            .checked_mul(85)
            .and_then(|b| b.checked_add(u32::from(c - b'!')))
        else {
            return Ok(None);
        };
        buffer = next;
        count += 1;
        if count == 5 {
            out.extend_from_slice(&buffer.to_be_bytes());
            (buffer, count) = (0, 0);
        }
    }
    if count > 0 {
        for _ in count..5 {
            let Some(next) = buffer.checked_mul(85).and_then(|b| b.checked_add(84)) else {
                return Ok(None);
            };
            buffer = next;
        }
        out.extend_from_slice(buffer.to_be_bytes().get(..count - 1).unwrap_or_default());
    }
    Ok(Some(out))
}

/// LZW (MSB first, 9–12-bit codes, clear 256, end 257) as weezl decodes it for lopdf.
fn lzw(input: &[u8], early_change: bool, cap: usize) -> Result<Vec<u8>, Stop> {
    const CLEAR: usize = 256;
    const END: usize = 257;
    let mut table = LzwTable::new();
    let mut out = Vec::new();
    let (mut width, mut previous) = (9u32, None::<usize>);
    let (mut bits, mut nbits) = (0u32, 0u32);
    for &byte in input {
        bits = (bits << 8) | u32::from(byte);
        nbits += 8;
        while nbits >= width {
            nbits -= width;
            let code = ((bits >> nbits) & ((1 << width) - 1)) as usize;
            bits &= (1 << nbits) - 1;
            match code {
                CLEAR => {
                    table.reset();
                    (width, previous) = (9, None);
                    continue;
                }
                END => return Ok(out),
                _ => {}
            }
            let first = match (table.len(code), previous) {
                (Some(len), _) => table.emit(code, len, &mut out, cap)?,
                (None, Some(prev)) if code == table.next() => {
                    let first = table.first(prev);
                    let len = table.len(prev).unwrap_or(0);
                    table.emit(prev, len, &mut out, cap)?;
                    out.push(first);
                    first
                }
                _ => return Ok(out),
            };
            if let Some(prev) = previous {
                table.add(prev, first);
            }
            previous = Some(code);
            let switch = table.next() + usize::from(early_change);
            if switch >= (1 << width) && width < 12 {
                width += 1;
            }
        }
    }
    Ok(out)
}

/// The LZW string table: each entry is a prefix code and a last byte, with its length.
struct LzwTable {
    entries: Vec<(usize, u8, usize)>,
}

impl LzwTable {
    fn new() -> Self {
        let mut table = Self {
            entries: Vec::with_capacity(4096),
        };
        table.reset();
        table
    }

    fn reset(&mut self) {
        self.entries.clear();
        self.entries.extend((0..=255u8).map(|b| (usize::MAX, b, 1)));
        // Clear and end codes take two places.
        self.entries
            .extend([(usize::MAX, 0, 0), (usize::MAX, 0, 0)]);
    }

    fn next(&self) -> usize {
        self.entries.len()
    }

    fn len(&self, code: usize) -> Option<usize> {
        self.entries.get(code).map(|e| e.2).filter(|len| *len > 0)
    }

    fn first(&self, mut code: usize) -> u8 {
        while let Some(&(prefix, byte, _)) = self.entries.get(code) {
            if prefix == usize::MAX {
                return byte;
            }
            code = prefix;
        }
        0
    }

    fn add(&mut self, prefix: usize, byte: u8) {
        if self.entries.len() < 4096 {
            let len = self.len(prefix).unwrap_or(0) + 1;
            self.entries.push((prefix, byte, len));
        }
    }

    /// Appends the string of `code` to `out`; returns its first byte.
    fn emit(&self, code: usize, len: usize, out: &mut Vec<u8>, cap: usize) -> Result<u8, Stop> {
        if out.len().saturating_add(len) > cap {
            return Err(Stop::TooLarge);
        }
        let start = out.len();
        out.resize(start + len, 0);
        let mut at = code;
        for slot in out.get_mut(start..).unwrap_or_default().iter_mut().rev() {
            let Some(&(prefix, byte, _)) = self.entries.get(at) else {
                break;
            };
            *slot = byte;
            at = prefix;
        }
        Ok(out.get(start).copied().unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(filters: &[&str]) -> Chain {
        Chain {
            filters: filters.iter().map(|f| f.as_bytes().to_vec()).collect(),
            params: None,
        }
    }

    use crate::import::formats::pdfguard::tests::zeros_zlib;

    #[test]
    fn flate_is_decoded_up_to_the_cap() {
        let data = zeros_zlib(10_000);
        let decoded = decode(&data, &chain(&["FlateDecode"]), 1 << 20).expect("small");
        assert_eq!(decoded.bytes.map(|b| b.len()), Some(10_000));
        assert_eq!(
            decode(&data, &chain(&["FlateDecode"]), 5_000).err(),
            Some(Stop::TooLarge)
        );
    }

    #[test]
    fn unsupported_filters_leave_the_raw_bytes() {
        let decoded = decode(b"abc", &chain(&["DCTDecode"]), 10).expect("raw");
        assert!(decoded.bytes.is_none());
    }

    #[test]
    fn ascii85_and_lzw() {
        let decoded = decode(b"87cURDZ~>", &chain(&["ASCII85Decode"]), 100).expect("a85");
        assert_eq!(decoded.bytes.as_deref(), Some(&b"Hello"[..]));
        // "-----A---B" from the PDF reference's LZW example.
        let lzw = [0x80, 0x0B, 0x60, 0x50, 0x22, 0x0C, 0x0C, 0x85, 0x01];
        let decoded = decode(&lzw, &chain(&["LZWDecode"]), 100).expect("lzw");
        assert_eq!(decoded.bytes.as_deref(), Some(&b"-----A---B"[..]));
    }

    #[test]
    fn a_huge_predictor_row_is_refused_before_allocating() {
        let chain = Chain {
            filters: vec![b"FlateDecode".to_vec()],
            params: Some(Params {
                predictor: 12,
                columns: 1 << 40,
                ..Params::default()
            }),
        };
        let result = decode(&zeros_zlib(100), &chain, 1 << 20);
        assert!(matches!(result, Err(Stop::HugeRow(_))), "{result:?}");
    }
}
