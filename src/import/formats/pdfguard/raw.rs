//! The first pass, over the raw bytes before lopdf parses them: lopdf inflates object streams and
//! cross-reference streams while it loads, without a limit, so every stream is measured here first.

use std::collections::{HashMap, HashSet};

use super::filters::{self, Chain, Params, Stop};
use super::lex::{Lexer, Obj, is_delimiter, is_space};
use super::{Limits, Refusal};

/// What the raw pass learned: the unpacked size of each stream by object id.
#[derive(Debug, Default)]
pub(crate) struct RawScan {
    pub sizes: HashMap<(u32, u16), u64>,
    pub total: u64,
    /// The file names an encryption dictionary: its streams were measured encrypted, so not really.
    pub encrypted: bool,
}

/// Measures every stream in the file; refuses bombs and the structures lopdf would blow up on.
pub(super) fn scan(bytes: &[u8], limits: &Limits) -> Result<RawScan, Refusal> {
    let mut result = RawScan {
        encrypted: find(bytes, b"/Encrypt", 0).is_some(),
        ..RawScan::default()
    };
    let mut data_starts = HashSet::new();
    // Objects start anywhere lopdf may be pointed at, so every `obj` is read; objects nested in one another's
    // strings would make that quadratic, so the bytes read are budgeted.
    let budget = bytes.len().saturating_mul(4).saturating_add(1 << 20);
    let mut read = 0usize;
    let mut from = 0;
    while let Some(at) = find(bytes, b"obj", from) {
        from = at + 3;
        if !bytes
            .get(at + 3)
            .is_none_or(|b| is_space(*b) || is_delimiter(*b))
        {
            continue;
        }
        let Some(id) = object_id_before(bytes, at) else {
            continue;
        };
        let mut lexer = Lexer::new(bytes, at + 3);
        let object = lexer.object();
        read = read.saturating_add(lexer.pos.saturating_sub(at));
        if read > budget {
            return Err(Refusal::Malformed(
                "objects written inside other objects".into(),
            ));
        }
        let Some(dict @ Obj::Dict(_)) = object else {
            continue;
        };
        let Some(start) = stream_data_start(bytes, lexer.pos) else {
            continue;
        };
        data_starts.insert(start);
        let size = measure(bytes, start, &dict, limits, &mut result.total)?;
        let entry = result.sizes.entry(id).or_default();
        *entry = (*entry).max(size);
    }
    scan_unclaimed_streams(bytes, &data_starts, limits, &mut result.total)?;
    Ok(result)
}

fn find(bytes: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let mut at = from;
    while let Some(i) = bytes.get(at..)?.iter().position(|b| *b == first) {
        let start = at + i;
        if bytes.get(start + 1..start + needle.len()) == Some(rest) {
            return Some(start);
        }
        at = start + 1;
    }
    None
}

/// `N G` before an `obj` keyword.
fn object_id_before(bytes: &[u8], at: usize) -> Option<(u32, u16)> {
    let head = bytes.get(..at)?;
    let mut end = head.len();
    let mut number = || -> Option<u64> {
        while end > 0 && is_space(head[end - 1]) {
            end -= 1;
        }
        let digits_end = end;
        while end > 0 && head[end - 1].is_ascii_digit() {
            end -= 1;
        }
        std::str::from_utf8(head.get(end..digits_end)?)
            .ok()?
            .parse()
            .ok()
    };
    let generation = number()?;
    let object = number()?;
    Some((u32::try_from(object).ok()?, u16::try_from(generation).ok()?))
}

/// Where a stream's data starts: after `stream`, spaces and one end of line, right after the dictionary.
fn stream_data_start(bytes: &[u8], after_dict: usize) -> Option<usize> {
    let mut lexer = Lexer::new(bytes, after_dict);
    if lexer.keyword() != b"stream" {
        return None;
    }
    let mut at = lexer.pos;
    while matches!(bytes.get(at), Some(b' ' | b'\t')) {
        at += 1;
    }
    match (bytes.get(at), bytes.get(at + 1)) {
        (Some(b'\r'), Some(b'\n')) => Some(at + 2),
        (Some(b'\n' | b'\r'), _) => Some(at + 1),
        _ => None,
    }
}

/// The filter chain and parameters as lopdf reads them from a stream dictionary.
pub(super) fn chain_of(dict: &Obj) -> Chain {
    let filters = match dict.get(b"Filter") {
        Some(Obj::Name(name)) => vec![name.clone()],
        Some(Obj::Array(items)) => items
            .iter()
            .map(|i| i.as_name().map(<[u8]>::to_vec))
            .collect::<Option<Vec<_>>>()
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let params = dict
        .get(b"DecodeParms")
        .filter(|p| matches!(p, Obj::Dict(_)))
        .map(|p| Params::read(|key, default| p.get(key).and_then(Obj::as_int).unwrap_or(default)));
    Chain { filters, params }
}

/// Decodes one stream under the limits, checks object and cross-reference streams; returns its size.
fn measure(
    bytes: &[u8],
    start: usize,
    dict: &Obj,
    limits: &Limits,
    total: &mut u64,
) -> Result<u64, Refusal> {
    // With a direct length the data is exactly that long (as for lopdf); otherwise the decoders stop at the
    // end of their own data, so reading on to the end of the file only ever measures more.
    let end = dict
        .get(b"Length")
        .and_then(Obj::as_int)
        .and_then(|len| usize::try_from(len).ok())
        .and_then(|len| start.checked_add(len))
        .filter(|end| *end <= bytes.len())
        .unwrap_or(bytes.len());
    let data = bytes.get(start..end).unwrap_or_default();
    let decoded = filters::decode(data, &chain_of(dict), limits.stream_bytes)
        .map_err(|stop| stop_refusal(stop, limits))?;
    add_total(total, decoded.produced, limits)?;
    let content = decoded.bytes.as_deref().unwrap_or(data);
    match dict.get(b"Type").and_then(Obj::as_name) {
        Some(b"ObjStm") => check_object_stream(dict, content)?,
        Some(b"XRef") => check_xref_widths(dict)?,
        _ => {}
    }
    Ok(decoded.bytes.map_or(data.len(), |b| b.len()) as u64)
}

pub(super) fn stop_refusal(stop: Stop, limits: &Limits) -> Refusal {
    match stop {
        Stop::TooLarge => Refusal::Bomb(format!(
            "a stream that unpacks to more than {}",
            super::mib(limits.stream_bytes as u64)
        )),
        Stop::HugeRow(row) => {
            Refusal::Malformed(format!("a stream declares image rows of {row} bytes"))
        }
    }
}

pub(super) fn add_total(total: &mut u64, produced: u64, limits: &Limits) -> Result<(), Refusal> {
    *total = total.saturating_add(produced);
    if *total > limits.total_bytes {
        return Err(Refusal::Bomb(format!(
            "streams that unpack to more than {} in all",
            super::mib(limits.total_bytes)
        )));
    }
    Ok(())
}

/// `stream` keywords no dictionary was read for: lopdf may still read them, so Flate data there is measured.
fn scan_unclaimed_streams(
    bytes: &[u8],
    claimed: &HashSet<usize>,
    limits: &Limits,
    total: &mut u64,
) -> Result<(), Refusal> {
    let flate = Chain {
        filters: vec![b"FlateDecode".to_vec()],
        params: None,
    };
    let mut from = 0;
    while let Some(at) = find(bytes, b"stream", from) {
        from = at + 6;
        if at >= 3 && bytes.get(at - 3..at) == Some(b"end") {
            continue;
        }
        let Some(start) = stream_data_start(bytes, at) else {
            continue;
        };
        if claimed.contains(&start) {
            continue;
        }
        let data = bytes.get(start..).unwrap_or_default();
        let decoded = filters::decode(data, &flate, limits.stream_bytes)
            .map_err(|stop| stop_refusal(stop, limits))?;
        add_total(total, decoded.produced, limits)?;
    }
    Ok(())
}

/// An object stream's index: offsets in increasing order, each object ending before the next one starts.
/// (lopdf parses every entry from its offset to wherever the object ends, so overlapping entries would copy
/// one large object many times.)
fn check_object_stream(dict: &Obj, content: &[u8]) -> Result<(), Refusal> {
    let Some(first) = dict
        .get(b"First")
        .and_then(Obj::as_int)
        .and_then(|f| usize::try_from(f).ok())
        .filter(|f| *f <= content.len())
    else {
        return Ok(());
    };
    let Ok(index) = std::str::from_utf8(content.get(..first).unwrap_or_default()) else {
        return Ok(());
    };
    let numbers: Vec<Option<u32>> = index.split_whitespace().map(|n| n.parse().ok()).collect();
    let mut offsets: Vec<usize> = numbers
        .chunks_exact(2)
        .filter_map(|pair| {
            let (_id, offset) = (pair.first().copied()??, pair.get(1).copied()??);
            first.checked_add(offset as usize)
        })
        .filter(|offset| *offset < content.len())
        .collect();
    offsets.sort_unstable();
    let overlap = || Refusal::Malformed("an object stream whose entries overlap".into());
    for (i, offset) in offsets.iter().enumerate() {
        let limit = offsets.get(i + 1).copied().unwrap_or(content.len());
        if limit == *offset {
            return Err(overlap());
        }
        let bounded = content.get(..limit).unwrap_or_default();
        if Lexer::new(bounded, *offset).object().is_none()
            && Lexer::new(content, *offset).object().is_some()
        {
            return Err(overlap());
        }
    }
    Ok(())
}

/// Cross-reference stream field widths: lopdf allocates each width and reads entries without bound when all
/// widths are zero.
fn check_xref_widths(dict: &Obj) -> Result<(), Refusal> {
    let Some(Obj::Array(widths)) = dict.get(b"W") else {
        return Ok(());
    };
    let widths: Vec<i64> = widths.iter().filter_map(Obj::as_int).collect();
    if widths.iter().any(|w| *w > 16) || (widths.len() >= 3 && widths.iter().all(|w| *w == 0)) {
        return Err(Refusal::Malformed(format!(
            "a cross-reference stream with field widths {widths:?}"
        )));
    }
    Ok(())
}
