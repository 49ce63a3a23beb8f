//! The BERT encoder of multilingual-e5-small (12 layers, 384 wide, 12 heads) and the [`Embedder`] that turns
//! texts into L2-normalised mean-pooled vectors: texts are tokenized with their `query: ` / `passage: `
//! prefix, split into windows of at most 510 content tokens (a long text is never truncated: its vector is
//! the token-weighted mean of its windows), packed into batches and run on all cores.

use std::path::Path;

use rayon::prelude::*;

use super::model_file;
use super::quant::{Linear, Q4Matrix, round_activations};
use super::tokenizer::Tokenizer;
use super::{DIM, EmbedError, Kind};

/// Tokens per forward pass at most (a batch of windows is packed up to this).
const CHUNK_TOKENS: usize = 2048;

/// The encoder's shape.
#[derive(Clone, Copy, Debug)]
pub struct Config {
    /// Hidden width.
    pub hidden: usize,
    /// Number of layers.
    pub layers: usize,
    /// Attention heads.
    pub heads: usize,
    /// Feed-forward width.
    pub ffn: usize,
    /// Longest input, special tokens included.
    pub max_positions: usize,
    /// Layer-norm epsilon.
    pub eps: f32,
}

/// One transformer layer's weights.
#[derive(Debug)]
pub struct Layer {
    /// Query projection.
    pub q: Linear,
    /// Query bias.
    pub q_b: Vec<f32>,
    /// Key projection.
    pub k: Linear,
    /// Key bias.
    pub k_b: Vec<f32>,
    /// Value projection.
    pub v: Linear,
    /// Value bias.
    pub v_b: Vec<f32>,
    /// Attention output projection.
    pub out: Linear,
    /// Attention output bias.
    pub out_b: Vec<f32>,
    /// Layer norm after attention: weight.
    pub attn_ln_w: Vec<f32>,
    /// Layer norm after attention: bias.
    pub attn_ln_b: Vec<f32>,
    /// Feed-forward up projection.
    pub up: Linear,
    /// Feed-forward up bias.
    pub up_b: Vec<f32>,
    /// Feed-forward down projection.
    pub down: Linear,
    /// Feed-forward down bias.
    pub down_b: Vec<f32>,
    /// Layer norm after the feed-forward block: weight.
    pub ffn_ln_w: Vec<f32>,
    /// Layer norm after the feed-forward block: bias.
    pub ffn_ln_b: Vec<f32>,
}

/// The encoder: embeddings and layers.
#[derive(Debug)]
pub struct Encoder {
    /// Shape.
    pub config: Config,
    /// Word embeddings (vocabulary × hidden, 4-bit).
    pub word: Q4Matrix,
    /// Position embeddings (max positions × hidden), already offset as the file stores them.
    pub position: Vec<f32>,
    /// The embedding of token type 0.
    pub token_type: Vec<f32>,
    /// Embedding layer norm: weight.
    pub ln_w: Vec<f32>,
    /// Embedding layer norm: bias.
    pub ln_b: Vec<f32>,
    /// The transformer layers.
    pub layers: Vec<Layer>,
}

/// `x = LayerNorm(x + y)` row by row (`y` absent: `LayerNorm(x)`).
fn add_layer_norm(x: &mut [f32], y: Option<&[f32]>, w: &[f32], b: &[f32], h: usize, eps: f32) {
    for (t, row) in x.chunks_exact_mut(h).enumerate() {
        if let Some(y) = y {
            for (r, v) in row.iter_mut().zip(&y[t * h..(t + 1) * h]) {
                *r += v;
            }
        }
        let mean = row.iter().sum::<f32>() / h as f32;
        let var = row.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / h as f32;
        let inv = 1.0 / (var + eps).sqrt();
        for ((r, w), b) in row.iter_mut().zip(w).zip(b) {
            *r = (*r - mean) * inv * w + b;
        }
    }
}

/// The error function (Numerical Recipes' Chebyshev fit of erfc, relative error below 1.2e-7).
fn erf(x: f32) -> f32 {
    let x = f64::from(x);
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let erfc = t * poly.exp();
    (if x >= 0.0 { 1.0 - erfc } else { erfc - 1.0 }) as f32
}

fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2))
}

impl Encoder {
    /// Runs token sequences (each with `<s>` and `</s>`, at most `max_positions` long) packed into one batch and
    /// returns each sequence's mean final hidden state (`seqs.len() × hidden`, not normalised).
    pub fn forward(&self, seqs: &[Vec<u32>]) -> Vec<f32> {
        let Config {
            hidden: h,
            heads,
            ffn,
            eps,
            ..
        } = self.config;
        let total: usize = seqs.iter().map(Vec::len).sum();
        let mut x = vec![0f32; total * h];
        let mut t = 0;
        for seq in seqs {
            for (p, &id) in seq.iter().enumerate() {
                let row = &mut x[t * h..(t + 1) * h];
                self.word.dequantize_row(id as usize, row);
                if let Some(pos) = self.position.get(p * h..(p + 1) * h) {
                    for ((r, p), ty) in row.iter_mut().zip(pos).zip(&self.token_type) {
                        *r += p + ty;
                    }
                }
                t += 1;
            }
        }
        add_layer_norm(&mut x, None, &self.ln_w, &self.ln_b, h, eps);

        let mut xa = vec![0f32; total * h];
        let mut q = vec![0f32; total * h];
        let mut k = vec![0f32; total * h];
        let mut v = vec![0f32; total * h];
        let mut ctx = vec![0f32; total * h];
        let mut proj = vec![0f32; total * h];
        let mut mid = vec![0f32; total * ffn];
        let hd = h / heads;
        let scale = 1.0 / (hd as f32).sqrt();
        let longest = seqs.iter().map(Vec::len).max().unwrap_or(0);
        let mut prob = vec![0f32; longest];
        for layer in &self.layers {
            xa.copy_from_slice(&x);
            round_activations(&mut xa);
            layer.q.matmul(&xa, total, &layer.q_b, &mut q);
            layer.k.matmul(&xa, total, &layer.k_b, &mut k);
            layer.v.matmul(&xa, total, &layer.v_b, &mut v);
            // Attention within each sequence.
            let mut a = 0;
            for seq in seqs {
                let b = a + seq.len();
                for t in a..b {
                    for head in 0..heads {
                        let off = head * hd;
                        let qh = &q[t * h + off..t * h + off + hd];
                        let mut max = f32::NEG_INFINITY;
                        for s in a..b {
                            let kh = &k[s * h + off..s * h + off + hd];
                            let d = qh.iter().zip(kh).map(|(x, y)| x * y).sum::<f32>() * scale;
                            prob[s - a] = d;
                            max = max.max(d);
                        }
                        let mut sum = 0.0;
                        for p in &mut prob[..b - a] {
                            *p = (*p - max).exp();
                            sum += *p;
                        }
                        let inv = 1.0 / sum;
                        let ch = &mut ctx[t * h + off..t * h + off + hd];
                        ch.fill(0.0);
                        for s in a..b {
                            let p = prob[s - a] * inv;
                            for (c, vv) in ch.iter_mut().zip(&v[s * h + off..s * h + off + hd]) {
                                *c += p * vv;
                            }
                        }
                    }
                }
                a = b;
            }
            round_activations(&mut ctx);
            layer.out.matmul(&ctx, total, &layer.out_b, &mut proj);
            add_layer_norm(
                &mut x,
                Some(&proj),
                &layer.attn_ln_w,
                &layer.attn_ln_b,
                h,
                eps,
            );

            xa.copy_from_slice(&x);
            round_activations(&mut xa);
            layer.up.matmul(&xa, total, &layer.up_b, &mut mid);
            for m in &mut mid {
                *m = gelu(*m);
            }
            round_activations(&mut mid);
            layer.down.matmul(&mid, total, &layer.down_b, &mut proj);
            add_layer_norm(
                &mut x,
                Some(&proj),
                &layer.ffn_ln_w,
                &layer.ffn_ln_b,
                h,
                eps,
            );
        }

        let mut out = vec![0f32; seqs.len() * h];
        let mut a = 0;
        for (i, seq) in seqs.iter().enumerate() {
            let o = &mut out[i * h..(i + 1) * h];
            for t in a..a + seq.len() {
                for (o, v) in o.iter_mut().zip(&x[t * h..(t + 1) * h]) {
                    *o += v;
                }
            }
            let inv = 1.0 / seq.len().max(1) as f32;
            o.iter_mut().for_each(|v| *v *= inv);
            a += seq.len();
        }
        out
    }
}

/// A loaded model: tokenizer and encoder. Cheap to share between threads (`&Embedder` is `Sync`).
#[derive(Debug)]
pub struct Embedder {
    tokenizer: Tokenizer,
    encoder: Encoder,
}

/// One window of one text: which text, and its content tokens.
struct Window {
    text: usize,
    tokens: Vec<u32>,
}

impl Embedder {
    /// Loads the model file at `path`, checking its SHA-256 against the pinned one first.
    pub fn load(path: &Path) -> Result<Self, EmbedError> {
        let bytes = std::fs::read(path).map_err(|e| EmbedError::io(path, e))?;
        super::fetch::check_hash(path, &bytes)?;
        Self::from_image(&bytes).map_err(|message| EmbedError::BadModel {
            path: path.to_path_buf(),
            message,
        })
    }

    /// Parses a model image already in memory (no hash check), or says what is wrong with it.
    pub fn from_image(bytes: &[u8]) -> Result<Self, String> {
        let (tokenizer, encoder) = model_file::parse(bytes)?;
        if encoder.config.hidden != DIM {
            return Err(format!(
                "the model is {} wide; Marginalia stores {DIM}-wide vectors",
                encoder.config.hidden
            ));
        }
        Ok(Embedder { tokenizer, encoder })
    }

    /// The tokenizer.
    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }

    /// The number of tokens the model reads for `text`, `<s>` and `</s>` included (before windowing).
    pub fn token_count(&self, text: &str, kind: Kind) -> usize {
        self.content_tokens(text, kind).len() + 2
    }

    fn content_tokens(&self, text: &str, kind: Kind) -> Vec<u32> {
        let mut input = String::with_capacity(text.len() + 9);
        input.push_str(kind.prefix());
        input.push_str(text);
        self.tokenizer.encode(&input)
    }

    /// Embeds one text.
    pub fn embed_one(&self, text: &str, kind: Kind) -> Vec<f32> {
        self.embed(&[text], kind).pop().unwrap_or_default()
    }

    /// Embeds texts on all cores: one L2-normalised [`DIM`]-wide vector per text, in order.
    pub fn embed(&self, texts: &[&str], kind: Kind) -> Vec<Vec<f32>> {
        let window = self.encoder.config.max_positions - 2;
        let mut windows = Vec::new();
        for (i, text) in texts.iter().enumerate() {
            let tokens = self.content_tokens(text, kind);
            if tokens.is_empty() {
                windows.push(Window {
                    text: i,
                    tokens: Vec::new(),
                });
            }
            for piece in tokens.chunks(window) {
                windows.push(Window {
                    text: i,
                    tokens: piece.to_vec(),
                });
            }
        }
        // Pack windows into chunks, small enough that every core gets work.
        let total: usize = windows.iter().map(|w| w.tokens.len() + 2).sum();
        let threads = rayon::current_num_threads().max(1);
        let budget = CHUNK_TOKENS.min(total.div_ceil(threads)).max(1);
        let mut chunks: Vec<&[Window]> = Vec::new();
        let mut start = 0;
        let mut used = 0;
        for (i, w) in windows.iter().enumerate() {
            let len = w.tokens.len() + 2;
            if i > start && used + len > budget {
                chunks.push(&windows[start..i]);
                start = i;
                used = 0;
            }
            used += len;
        }
        if start < windows.len() {
            chunks.push(&windows[start..]);
        }
        let (bos, eos) = (self.tokenizer.bos, self.tokenizer.eos);
        let means: Vec<Vec<f32>> = chunks
            .par_iter()
            .map(|chunk| {
                let seqs: Vec<Vec<u32>> = chunk
                    .iter()
                    .map(|w| {
                        let mut s = Vec::with_capacity(w.tokens.len() + 2);
                        s.push(bos);
                        s.extend_from_slice(&w.tokens);
                        s.push(eos);
                        s
                    })
                    .collect();
                self.encoder.forward(&seqs)
            })
            .collect();
        let mut sums = vec![vec![0f32; DIM]; texts.len()];
        let mut weights = vec![0f64; texts.len()];
        for (chunk, mean) in chunks.iter().zip(&means) {
            for (w, m) in chunk.iter().zip(mean.chunks_exact(DIM)) {
                let weight = w.tokens.len().max(1) as f32;
                for (s, v) in sums[w.text].iter_mut().zip(m) {
                    *s += weight * v;
                }
                weights[w.text] += f64::from(weight);
            }
        }
        for (sum, weight) in sums.iter_mut().zip(weights) {
            let inv = if weight > 0.0 {
                (1.0 / weight) as f32
            } else {
                1.0
            };
            sum.iter_mut().for_each(|v| *v *= inv);
            let norm = sum.iter().map(|v| v * v).sum::<f32>().max(1e-12).sqrt();
            sum.iter_mut().for_each(|v| *v /= norm);
        }
        sums
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erf_is_accurate() {
        for (x, want) in [
            (0.0, 0.0),
            (0.5, 0.520_499_9),
            (1.0, 0.842_700_8),
            (-2.0, -0.995_322_3),
        ] {
            assert!((erf(x) - want).abs() < 2e-7, "erf({x})");
        }
    }
}
