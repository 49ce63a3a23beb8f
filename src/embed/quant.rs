//! 4-bit weights in Q4_0 blocks (the layout of candle's `BlockQ4_0`) and their matrix product with activations
//! rounded to 8-bit blocks, as the reference engine computes it.
//!
//! A Q4_0 block holds 32 weights: an f16 scale `d` and 16 bytes of nibbles (byte `j` carries weight `j` in its
//! low nibble and weight `j + 16` in its high nibble); a weight is `(nibble - 8) * d`. The reference engine
//! rounds each 32-value block of activations to int8 (scale `amax / 127`, ties to even) before every product;
//! we do the same and multiply in integers like ggml's `vec_dot_q4_0_q8_0`: per block
//! `d_w · d_a · (Σ nibble·a − 8·Σ a)`, the nibbles widened to bytes once at load. Tiles of 4 weight rows × 4
//! tokens run on AVX-512 VNNI (`vpdpbusd`) or AVX2 (`vpmaddubsw`) when the CPU has them (detected at run
//! time), else on portable code; the tests check that all give the same sums.

use std::sync::Arc;

/// Weights per block.
pub const QK: usize = 32;
/// Bytes per block: an f16 scale and 16 bytes of nibbles.
pub const BLOCK_BYTES: usize = 18;

/// IEEE half precision to single precision.
pub fn f16_to_f32(h: u16) -> f32 {
    let sign = u32::from(h & 0x8000) << 16;
    let exp = u32::from((h >> 10) & 0x1f);
    let man = u32::from(h & 0x3ff);
    let bits = if exp == 0 {
        if man == 0 {
            sign
        } else {
            // Subnormal: normalise the mantissa. The exponent comes out one lower than IEEE's (2^-25 for the
            // smallest subnormal, not 2^-24): this is the reference engine's conversion, kept so that the
            // rare subnormal block scales give the same weights the reference computes with.
            let mut e: i32 = 1;
            let mut m = man;
            while m & 0x400 == 0 {
                m <<= 1;
                e += 1;
            }
            let m = m & 0x3ff;
            sign | (((127 - 15 - e + 1) as u32) << 23) | (m << 13)
        }
    } else if exp == 31 {
        sign | 0x7f80_0000 | (man << 13)
    } else {
        sign | ((exp + 127 - 15) << 23) | (man << 13)
    };
    f32::from_bits(bits)
}

/// Expands Q4_0 blocks into `out` (`out.len() / 32` blocks are read from `blocks`).
pub fn dequantize(blocks: &[u8], out: &mut [f32]) {
    for (block, o) in blocks
        .chunks_exact(BLOCK_BYTES)
        .zip(out.chunks_exact_mut(QK))
    {
        let d = f16_to_f32(u16::from_le_bytes([block[0], block[1]]));
        let (lo, hi) = o.split_at_mut(QK / 2);
        for (j, &q) in block[2..].iter().enumerate() {
            lo[j] = (f32::from(q & 0x0f) - 8.0) * d;
            hi[j] = (f32::from(q >> 4) - 8.0) * d;
        }
    }
}

/// Rounds to the nearest integer, ties to even, for `|v| < 2^22` (the scaled activations are within ±127.x):
/// adding and subtracting 1.5 · 2^23 leaves the rounding to the FPU, without the library call
/// `round_ties_even` compiles to on baseline x86-64.
#[inline]
fn round_even(v: f32) -> f32 {
    const MAGIC: f32 = 12_582_912.0;
    (v + MAGIC) - MAGIC
}

/// Rounds activations to int8 per block of 32 (scale `amax / 127`, ties to even) and back to f32, in place:
/// the values the reference engine multiplies with. `x.len()` must be a multiple of 32.
pub fn round_activations(x: &mut [f32]) {
    for block in x.chunks_exact_mut(QK) {
        let amax = block.iter().fold(0f32, |m, v| m.max(v.abs()));
        let d = amax / 127.0;
        let id = if d > 0.0 { 1.0 / d } else { 0.0 };
        for v in block.iter_mut() {
            let q = round_even(*v * id).clamp(-128.0, 127.0);
            *v = q * d;
        }
    }
}

/// A weight matrix of `rows` × `cols` in Q4_0 blocks, row-major (each row `cols / 32` blocks), kept where it
/// lies in the model image (the 54 MB word embeddings are not copied at load).
#[derive(Clone, Debug)]
pub struct Q4Matrix {
    rows: usize,
    cols: usize,
    image: Arc<Vec<u8>>,
    start: usize,
}

impl Q4Matrix {
    /// Wraps `data`, or says why it does not hold `rows` × `cols` weights.
    pub fn new(rows: usize, cols: usize, data: Vec<u8>) -> Result<Self, String> {
        let len = data.len();
        Self::within(rows, cols, Arc::new(data), 0..len)
    }

    /// The blocks at `range` of a shared image, or why they do not hold `rows` × `cols` weights.
    pub fn within(
        rows: usize,
        cols: usize,
        image: Arc<Vec<u8>>,
        range: std::ops::Range<usize>,
    ) -> Result<Self, String> {
        if !cols.is_multiple_of(QK) {
            return Err(format!("{cols} columns is not a multiple of {QK}"));
        }
        let want = rows * (cols / QK) * BLOCK_BYTES;
        if range.len() != want || image.get(range.clone()).is_none() {
            return Err(format!(
                "{rows}×{cols} 4-bit weights need {want} bytes, found {}",
                range.len()
            ));
        }
        Ok(Q4Matrix {
            rows,
            cols,
            image,
            start: range.start,
        })
    }

    fn data(&self) -> &[u8] {
        let len = self.rows * (self.cols / QK) * BLOCK_BYTES;
        self.image.get(self.start..self.start + len).unwrap_or(&[])
    }

    /// Number of rows (outputs).
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Number of columns (inputs).
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// Expands row `r` into `out` (`cols` values). Rows past the end leave `out` unchanged.
    pub fn dequantize_row(&self, r: usize, out: &mut [f32]) {
        let row_bytes = self.cols / QK * BLOCK_BYTES;
        if let Some(row) = self.data().get(r * row_bytes..(r + 1) * row_bytes) {
            dequantize(row, out);
        }
    }

    /// The matrix widened to one byte per weight, ready for int8 products.
    pub fn expand(&self) -> Linear {
        let nb = self.cols / QK;
        let mut q = Vec::with_capacity(self.rows * self.cols);
        let mut d = Vec::with_capacity(self.rows * nb);
        for block in self.data().chunks_exact(BLOCK_BYTES) {
            d.push(f16_to_f32(u16::from_le_bytes([block[0], block[1]])));
            q.extend(block[2..].iter().map(|b| b & 0x0f));
            q.extend(block[2..].iter().map(|b| b >> 4));
        }
        Linear {
            rows: self.rows,
            cols: self.cols,
            q,
            d,
        }
    }
}

/// A weight matrix of `rows` × `cols` ready for int8 products: each Q4_0 nibble widened to one byte (0..=15,
/// the `- 8` folded into the activations' block sums) beside its block's f32 scale (23 MB for the encoder, a
/// quarter of f32 weights, so a row tile stays in L1 while a batch of tokens streams past it).
#[derive(Clone, Debug)]
pub struct Linear {
    rows: usize,
    cols: usize,
    /// Nibbles, `rows × cols`, row-major, in weight order.
    q: Vec<u8>,
    /// Scales, `rows × cols / 32`.
    d: Vec<f32>,
}

/// Activations rounded to int8 per block of 32 (as the reference engine does before every product), padded to
/// a whole number of token tiles. Reused between products to avoid allocations.
#[derive(Clone, Debug, Default)]
pub struct QuantActs {
    /// Tokens (rows) quantised.
    t: usize,
    /// Tokens rounded up to [`TILE_T`].
    padded: usize,
    /// Values per token.
    cols: usize,
    /// The int8 values, `padded × cols`.
    q: Vec<i8>,
    /// Block scales, `padded × cols / 32`.
    d: Vec<f32>,
    /// `-8 ×` each block's sum of int8 values (the nibbles' offset), `padded × cols / 32`.
    corr: Vec<i32>,
}

/// Tokens per kernel tile.
const TILE_T: usize = 4;
/// Weight rows per kernel tile.
const TILE_R: usize = 4;
/// Tokens per cache block (their activations stay in L2 while every row tile passes over them).
const BLOCK_T: usize = 64;

impl QuantActs {
    /// Rounds `x` (`t` rows of `cols`, `cols` a multiple of 32) to int8 per block: scale `amax / 127`, ties to
    /// even.
    pub fn quantize(&mut self, x: &[f32], t: usize, cols: usize) {
        let nb = cols / QK;
        let padded = t.div_ceil(TILE_T) * TILE_T;
        self.t = t;
        self.padded = padded;
        self.cols = cols;
        self.q.clear();
        self.q.resize(padded * cols, 0);
        self.d.clear();
        self.d.resize(padded * nb, 0.0);
        self.corr.clear();
        self.corr.resize(padded * nb, 0);
        for (((block, q), d), corr) in x[..t * cols]
            .chunks_exact(QK)
            .zip(self.q.chunks_exact_mut(QK))
            .zip(self.d.iter_mut())
            .zip(self.corr.iter_mut())
        {
            let amax = block.iter().fold(0f32, |m, v| m.max(v.abs()));
            let scale = amax / 127.0;
            let inv = if scale > 0.0 { 1.0 / scale } else { 0.0 };
            let mut sum = 0i32;
            for (q, v) in q.iter_mut().zip(block) {
                let r = round_even(v * inv).clamp(-128.0, 127.0) as i8;
                *q = r;
                sum += i32::from(r);
            }
            *d = scale;
            *corr = -8 * sum;
        }
    }
}

impl Linear {
    /// Number of rows (outputs).
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// `y[t, rows] = x[t, cols] · Wᵀ + bias` for the `t` quantised rows of `x` (`y` row-major), on the fastest
    /// kernel this CPU has (AVX-512 VNNI, AVX2, or portable code).
    pub fn matmul(&self, x: &QuantActs, bias: &[f32], y: &mut [f32]) {
        self.matmul_with(kernel::best(), x, bias, y);
    }

    /// [`Linear::matmul`] on a chosen kernel (tests compare them).
    pub fn matmul_with(&self, k: Kernel, x: &QuantActs, bias: &[f32], y: &mut [f32]) {
        let (rows, t) = (self.rows, x.t);
        if x.cols != self.cols
            || y.len() < t * rows
            || bias.len() < rows
            || !rows.is_multiple_of(TILE_R)
        {
            return;
        }
        let mut tile = [0f32; TILE_R * TILE_T];
        for tb in (0..x.padded).step_by(BLOCK_T) {
            let tb_end = (tb + BLOCK_T).min(x.padded);
            for r0 in (0..rows).step_by(TILE_R) {
                for t0 in (tb..tb_end).step_by(TILE_T) {
                    kernel::tile(k, self, x, r0, t0, &mut tile);
                    for (dt, out) in tile.chunks_exact(TILE_R).enumerate() {
                        let tt = t0 + dt;
                        if tt >= t {
                            break;
                        }
                        let yrow = &mut y[tt * rows + r0..tt * rows + r0 + TILE_R];
                        for ((yv, o), b) in yrow.iter_mut().zip(out).zip(&bias[r0..r0 + TILE_R]) {
                            *yv = o + b;
                        }
                    }
                }
            }
        }
    }
}

/// A matrix-product kernel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kernel {
    /// Plain Rust, for any CPU.
    Portable,
    /// x86-64 AVX2 (`maddubs`).
    Avx2,
    /// x86-64 AVX-512 VNNI on 256-bit registers (`vpdpbusd`).
    Vnni,
}

/// The kernels this CPU can run, fastest last.
pub fn available_kernels() -> Vec<Kernel> {
    let mut out = vec![Kernel::Portable];
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        {
            out.push(Kernel::Avx2);
            if std::arch::is_x86_feature_detected!("avx512vnni")
                && std::arch::is_x86_feature_detected!("avx512vl")
            {
                out.push(Kernel::Vnni);
            }
        }
    }
    out
}

/// The tile kernels: one `TILE_R` rows × `TILE_T` tokens block of sums (without bias), `out[t * TILE_R + r]`.
mod kernel {
    use super::{Kernel, Linear, QK, QuantActs, TILE_R, TILE_T};

    /// The fastest kernel available (detected once).
    pub fn best() -> Kernel {
        static BEST: std::sync::OnceLock<Kernel> = std::sync::OnceLock::new();
        *BEST.get_or_init(|| {
            super::available_kernels()
                .last()
                .copied()
                .unwrap_or(Kernel::Portable)
        })
    }

    /// One tile on kernel `k` (which must be one of [`super::available_kernels`]).
    pub fn tile(
        k: Kernel,
        w: &Linear,
        x: &QuantActs,
        r0: usize,
        t0: usize,
        out: &mut [f32; TILE_R * TILE_T],
    ) {
        match k {
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2 | Kernel::Vnni if super::available_kernels().contains(&k) => {
                x86::tile(k == Kernel::Vnni, w, x, r0, t0, out)
            }
            _ => portable(w, x, r0, t0, out),
        }
    }

    fn portable(w: &Linear, x: &QuantActs, r0: usize, t0: usize, out: &mut [f32; TILE_R * TILE_T]) {
        let cols = w.cols;
        let nb = cols / QK;
        for dt in 0..TILE_T {
            let t = t0 + dt;
            let aq = &x.q[t * cols..(t + 1) * cols];
            let ad = &x.d[t * nb..(t + 1) * nb];
            let ac = &x.corr[t * nb..(t + 1) * nb];
            for dr in 0..TILE_R {
                let r = r0 + dr;
                let wq = &w.q[r * cols..(r + 1) * cols];
                let wd = &w.d[r * nb..(r + 1) * nb];
                let mut acc = 0f32;
                for b in 0..nb {
                    let s: i32 = wq[b * QK..(b + 1) * QK]
                        .iter()
                        .zip(&aq[b * QK..(b + 1) * QK])
                        .map(|(&w, &a)| i32::from(w) * i32::from(a))
                        .sum();
                    acc += wd[b] * ad[b] * (s + ac[b]) as f32;
                }
                out[dt * TILE_R + dr] = acc;
            }
        }
    }

    /// x86-64 SIMD kernels, run only after `is_x86_feature_detected!` confirmed their instructions.
    #[cfg(target_arch = "x86_64")]
    #[allow(unsafe_code)]
    mod x86 {
        use std::arch::x86_64::*;

        use super::{Linear, QK, QuantActs, TILE_R, TILE_T};

        pub fn tile(
            vnni: bool,
            w: &Linear,
            x: &QuantActs,
            r0: usize,
            t0: usize,
            out: &mut [f32; TILE_R * TILE_T],
        ) {
            let cols = w.cols;
            let nb = cols / QK;
            // Bounds of every access below, checked once: rows r0..r0+4 and tokens t0..t0+4 exist.
            if (r0 + TILE_R) * cols > w.q.len()
                || (r0 + TILE_R) * nb > w.d.len()
                || (t0 + TILE_T) * cols > x.q.len()
                || (t0 + TILE_T) * nb > x.d.len()
                || (t0 + TILE_T) * nb > x.corr.len()
            {
                return;
            }
            // SAFETY: the caller checked (`available_kernels`) that this CPU has AVX2 and FMA, and for `vnni`
            // AVX-512 VNNI and VL; the slices were bounds-checked above for every offset the kernels read.
            unsafe {
                if vnni {
                    tile_vnni(w, x, r0, t0, out)
                } else {
                    tile_avx2(w, x, r0, t0, out)
                }
            }
        }

        #[target_feature(enable = "avx2,fma")]
        #[inline]
        fn hsum(v: __m256) -> f32 {
            let lo = _mm256_castps256_ps128(v);
            let hi = _mm256_extractf128_ps(v, 1);
            let s = _mm_add_ps(lo, hi);
            let s = _mm_add_ps(s, _mm_movehl_ps(s, s));
            let s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
            _mm_cvtss_f32(s)
        }

        macro_rules! tile_kernel {
            ($name:ident, $features:literal, $dot:ident) => {
                #[target_feature(enable = $features)]
                unsafe fn $name(
                    w: &Linear,
                    x: &QuantActs,
                    r0: usize,
                    t0: usize,
                    out: &mut [f32; TILE_R * TILE_T],
                ) {
                    let cols = w.cols;
                    let nb = cols / QK;
                    let wq = w.q.as_ptr();
                    let aq = x.q.as_ptr();
                    let mut acc = [[_mm256_setzero_ps(); TILE_T]; TILE_R];
                    for b in 0..nb {
                        let mut wv = [_mm256_setzero_si256(); TILE_R];
                        let mut wd = [_mm256_setzero_ps(); TILE_R];
                        for r in 0..TILE_R {
                            // SAFETY: row r0 + r, block b lies inside `w.q` (checked by the caller).
                            wv[r] = unsafe {
                                _mm256_loadu_si256(wq.add((r0 + r) * cols + b * QK).cast())
                            };
                            wd[r] = _mm256_set1_ps(w.d[(r0 + r) * nb + b]);
                        }
                        for t in 0..TILE_T {
                            let row = t0 + t;
                            // SAFETY: token t0 + t, block b lies inside `x.q` (checked by the caller).
                            let av =
                                unsafe { _mm256_loadu_si256(aq.add(row * cols + b * QK).cast()) };
                            let ad = _mm256_set1_ps(x.d[row * nb + b]);
                            let corr = _mm256_setr_epi32(x.corr[row * nb + b], 0, 0, 0, 0, 0, 0, 0);
                            for r in 0..TILE_R {
                                let s = $dot(corr, wv[r], av);
                                let scale = _mm256_mul_ps(wd[r], ad);
                                acc[r][t] =
                                    _mm256_fmadd_ps(_mm256_cvtepi32_ps(s), scale, acc[r][t]);
                            }
                        }
                    }
                    for t in 0..TILE_T {
                        for r in 0..TILE_R {
                            out[t * TILE_R + r] = hsum(acc[r][t]);
                        }
                    }
                }
            };
        }

        /// `corr + Σ w·a` over groups of four bytes (AVX2: two multiply-add steps).
        #[target_feature(enable = "avx2,fma")]
        #[inline]
        fn dot_avx2(corr: __m256i, w: __m256i, a: __m256i) -> __m256i {
            let pairs = _mm256_maddubs_epi16(w, a);
            _mm256_add_epi32(corr, _mm256_madd_epi16(pairs, _mm256_set1_epi16(1)))
        }

        /// `corr + Σ w·a` over groups of four bytes (one VNNI instruction).
        #[target_feature(enable = "avx2,fma,avx512f,avx512vnni,avx512vl")]
        #[inline]
        fn dot_vnni(corr: __m256i, w: __m256i, a: __m256i) -> __m256i {
            _mm256_dpbusd_epi32(corr, w, a)
        }

        tile_kernel!(tile_avx2, "avx2,fma", dot_avx2);
        tile_kernel!(tile_vnni, "avx2,fma,avx512f,avx512vnni,avx512vl", dot_vnni);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_precision_values() {
        assert_eq!(f16_to_f32(0x3c00), 1.0);
        assert_eq!(f16_to_f32(0xc000), -2.0);
        assert_eq!(f16_to_f32(0x3555), 0.333_251_95);
        // As the reference engine converts subnormals (see above).
        assert_eq!(f16_to_f32(0x0001), 2f32.powi(-25));
        assert_eq!(f16_to_f32(0), 0.0);
    }

    #[test]
    fn a_block_expands_low_then_high_nibbles() {
        let mut block = vec![0x00, 0x3c]; // scale 1.0
        block.extend((0..16u8).map(|j| (j & 0x0f) | (0x0f << 4)));
        let mut out = [0f32; 32];
        dequantize(&block, &mut out);
        assert_eq!(out[0], -8.0);
        assert_eq!(out[15], 7.0);
        assert!(out[16..].iter().all(|&v| v == 7.0));
    }

    #[test]
    fn activations_round_to_int8_steps_with_ties_to_even() {
        let mut x: Vec<f32> = (0..32).map(|i| i as f32 - 16.0).collect();
        x[0] = -127.0; // amax 127 → step 1.0
        x[1] = 2.5;
        round_activations(&mut x);
        assert_eq!(x[0], -127.0);
        assert_eq!(x[1], 2.0);
        assert_eq!(x[31], 15.0);
    }

    fn test_matrix(rows: usize, cols: usize) -> Q4Matrix {
        let mut data = Vec::new();
        for r in 0..rows * cols / QK {
            // Scales vary by block (0.5, 0.25, 1.0, …) so that a kernel mixing up blocks shows.
            let scale: u16 = [0x3800, 0x3400, 0x3c00, 0x3a00][r % 4];
            data.extend_from_slice(&scale.to_le_bytes());
            data.extend((0..16).map(|j| ((r + j) % 16) as u8 | ((((r * 3 + j) % 16) as u8) << 4)));
        }
        Q4Matrix::new(rows, cols, data).unwrap()
    }

    #[test]
    fn rounding_is_ties_to_even() {
        for (v, want) in [
            (2.5, 2.0),
            (3.5, 4.0),
            (-2.5, -2.0),
            (-0.4, 0.0),
            (126.6, 127.0),
            (-127.5, -128.0),
        ] {
            assert_eq!(round_even(v), want, "{v}");
        }
    }

    #[test]
    fn every_kernel_matches_a_plain_product_of_the_rounded_activations() {
        let (rows, cols) = (132, 96);
        let m = test_matrix(rows, cols);
        let lin = m.expand();
        let bias: Vec<f32> = (0..rows).map(|i| i as f32 * 0.25).collect();
        let mut w = vec![0f32; cols];
        // 1, 3, 4 and 70 tokens: partial tiles and more than one cache block.
        for t in [1usize, 3, 4, 70] {
            let x: Vec<f32> = (0..t * cols)
                .map(|i| ((i * 7) % 11) as f32 * 0.37 - 1.9)
                .collect();
            let mut rounded = x.clone();
            round_activations(&mut rounded);
            let mut acts = QuantActs::default();
            acts.quantize(&x, t, cols);
            let kernels = available_kernels();
            for &k in &kernels {
                let mut y = vec![f32::NAN; t * rows];
                lin.matmul_with(k, &acts, &bias, &mut y);
                for r in 0..rows {
                    m.dequantize_row(r, &mut w);
                    for i in 0..t {
                        let want: f32 =
                            bias[r] + (0..cols).map(|c| rounded[i * cols + c] * w[c]).sum::<f32>();
                        let got = y[i * rows + r];
                        assert!(
                            (got - want).abs() < 1e-3 * want.abs().max(1.0),
                            "{k:?}: row {r} token {i}: {got} vs {want}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_portable_kernel_is_always_available() {
        assert_eq!(available_kernels()[0], Kernel::Portable);
    }
}
