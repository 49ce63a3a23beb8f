//! The BERT encoder of multilingual-e5-small (12 layers, 384 wide, 12 heads) and the [`Embedder`] that turns
//! texts into L2-normalised mean-pooled vectors: texts are tokenized with their `query: ` / `passage: `
//! prefix, split into windows of at most 510 content tokens (a long text is never truncated: its vector is
//! the token-weighted mean of its windows), packed into batches and run on all cores.

use std::path::Path;

use rayon::prelude::*;

use super::model_file;
use super::quant::{Linear, Q4Matrix, QuantActs};
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

/// The error function in f32 without branches or calls, so that loops over it vectorise (the rational
/// approximation of Eigen and XLA on [-4, 4]; absolute error below 3e-7, well under the int8 rounding that
/// follows every use).
#[inline]
fn erf(x: f32) -> f32 {
    let x = x.clamp(-4.0, 4.0);
    let x2 = x * x;
    let mut p = x2.mul_add(-2.726_142_3e-10, 2.770_681_4e-8);
    p = x2.mul_add(p, -2.101_024e-6);
    p = x2.mul_add(p, -5.692_506_6e-5);
    p = x2.mul_add(p, -7.349_906_3e-4);
    p = x2.mul_add(p, -2.954_600_1e-3);
    p = x2.mul_add(p, -1.609_603_3e-2);
    p *= x;
    let mut q = x2.mul_add(-1.456_607_2e-5, -2.133_740_6e-4);
    q = x2.mul_add(q, -1.682_827e-3);
    q = x2.mul_add(q, -7.373_329_2e-3);
    q = x2.mul_add(q, -1.426_473_9e-2);
    p / q
}

#[inline]
fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2))
}

/// Dot product of two equally long slices with eight partial sums (so it vectorises).
#[inline]
fn dot8(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ca.zip(cb) {
        for i in 0..8 {
            acc[i] += x[i] * y[i];
        }
    }
    acc.iter().sum::<f32>() + tail
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

        let mut xa = QuantActs::default();
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
            xa.quantize(&x, total, h);
            layer.q.matmul(&xa, &layer.q_b, &mut q);
            layer.k.matmul(&xa, &layer.k_b, &mut k);
            layer.v.matmul(&xa, &layer.v_b, &mut v);
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
                            let d = dot8(qh, kh) * scale;
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
            xa.quantize(&ctx, total, h);
            layer.out.matmul(&xa, &layer.out_b, &mut proj);
            add_layer_norm(
                &mut x,
                Some(&proj),
                &layer.attn_ln_w,
                &layer.attn_ln_b,
                h,
                eps,
            );

            xa.quantize(&x, total, h);
            layer.up.matmul(&xa, &layer.up_b, &mut mid);
            for m in &mut mid {
                *m = gelu(*m);
            }
            xa.quantize(&mid, total, ffn);
            layer.down.matmul(&xa, &layer.down_b, &mut proj);
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

/// Splits windows into chunks of about equal token counts, a whole multiple of `threads` of them and none
/// above [`CHUNK_TOKENS`] unless one window is longer, so every core gets the same share of the work (longest
/// windows first, each to the lightest chunk) and each chunk is one batch of matrix products.
fn balance(windows: &[Window], threads: usize) -> Vec<Vec<&Window>> {
    let cost = |w: &Window| w.tokens.len() + 2;
    let total: usize = windows.iter().map(cost).sum();
    let rounds = total.div_ceil(CHUNK_TOKENS * threads).max(1);
    let n = (rounds * threads).min(windows.len()).max(1);
    let mut order: Vec<&Window> = windows.iter().collect();
    order.sort_by_key(|w| std::cmp::Reverse(cost(w)));
    let mut chunks: Vec<(usize, Vec<&Window>)> = (0..n).map(|_| (0, Vec::new())).collect();
    for w in order {
        if let Some(lightest) = chunks.iter_mut().min_by_key(|(used, _)| *used) {
            lightest.0 += cost(w);
            lightest.1.push(w);
        }
    }
    chunks
        .into_iter()
        .map(|(_, c)| c)
        .filter(|c| !c.is_empty())
        .collect()
}

impl Embedder {
    /// Loads the model file at `path`, checking its size and SHA-256 against the pinned ones first (the hash
    /// only when the file changed since it last passed, see [`super::fetch::verify`]).
    pub fn load(path: &Path) -> Result<Self, EmbedError> {
        Self::load_verified(path, super::fetch::verified_record().as_deref())
    }

    /// [`Embedder::load`] with the record of verified files at `record` (`None`: always hash).
    pub fn load_verified(path: &Path, record: Option<&Path>) -> Result<Self, EmbedError> {
        let bytes = std::fs::read(path).map_err(|e| EmbedError::io(path, e))?;
        super::fetch::verify(path, &bytes, record)?;
        Self::from_parts(model_file::parse_shared(&std::sync::Arc::new(bytes))).map_err(|message| {
            EmbedError::BadModel {
                path: path.to_path_buf(),
                message,
            }
        })
    }

    /// Parses a model image already in memory (no hash check), or says what is wrong with it.
    pub fn from_image(bytes: &[u8]) -> Result<Self, String> {
        Self::from_parts(model_file::parse(bytes))
    }

    fn from_parts(parsed: Result<(Tokenizer, Encoder), String>) -> Result<Self, String> {
        let (tokenizer, encoder) = parsed?;
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
        let chunks = balance(&windows, rayon::current_num_threads().max(1));
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
            assert!((erf(x) - want).abs() < 3e-7, "erf({x})");
        }
    }
}
