//! 4-bit weights in Q4_0 blocks (the layout of candle's `BlockQ4_0`) and their matrix product with activations
//! rounded to 8-bit blocks, as the reference engine computes it.
//!
//! A Q4_0 block holds 32 weights: an f16 scale `d` and 16 bytes of nibbles (byte `j` carries weight `j` in its
//! low nibble and weight `j + 16` in its high nibble); a weight is `(nibble - 8) * d`. The reference engine
//! rounds each 32-value block of activations to int8 (scale `amax / 127`, ties to even) before every product;
//! we apply the same rounding and multiply in f32 with weights expanded once at load (a cache-blocked,
//! runtime-dispatched SIMD matrix product from `ndarray`/`matrixmultiply`), which gives the same sums up to
//! float rounding.

use ndarray::{ArrayView2, ArrayViewMut2};

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

/// Rounds activations to int8 per block of 32 (scale `amax / 127`, ties to even) and back to f32, in place:
/// the values the reference engine multiplies with. `x.len()` must be a multiple of 32.
pub fn round_activations(x: &mut [f32]) {
    for block in x.chunks_exact_mut(QK) {
        let amax = block.iter().fold(0f32, |m, v| m.max(v.abs()));
        let d = amax / 127.0;
        let id = if d > 0.0 { 1.0 / d } else { 0.0 };
        for v in block.iter_mut() {
            let q = (*v * id).round_ties_even().clamp(-128.0, 127.0);
            *v = q * d;
        }
    }
}

/// A weight matrix of `rows` × `cols` in Q4_0 blocks, row-major (each row `cols / 32` blocks).
#[derive(Clone, Debug)]
pub struct Q4Matrix {
    rows: usize,
    cols: usize,
    data: Vec<u8>,
}

impl Q4Matrix {
    /// Wraps `data`, or says why it does not hold `rows` × `cols` weights.
    pub fn new(rows: usize, cols: usize, data: Vec<u8>) -> Result<Self, String> {
        if !cols.is_multiple_of(QK) {
            return Err(format!("{cols} columns is not a multiple of {QK}"));
        }
        let want = rows * (cols / QK) * BLOCK_BYTES;
        if data.len() != want {
            return Err(format!(
                "{rows}×{cols} 4-bit weights need {want} bytes, found {}",
                data.len()
            ));
        }
        Ok(Q4Matrix { rows, cols, data })
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
        if let Some(row) = self.data.get(r * row_bytes..(r + 1) * row_bytes) {
            dequantize(row, out);
        }
    }

    /// The matrix expanded to f32, ready for products.
    pub fn expand(&self) -> Linear {
        let mut w = vec![0f32; self.rows * self.cols];
        dequantize(&self.data, &mut w);
        Linear {
            rows: self.rows,
            cols: self.cols,
            w,
        }
    }
}

/// A weight matrix of `rows` × `cols` expanded from Q4_0 to f32 once at load (85 MB for the encoder), so a
/// product is one call into a cache-blocked SIMD kernel.
#[derive(Clone, Debug)]
pub struct Linear {
    rows: usize,
    cols: usize,
    w: Vec<f32>,
}

impl Linear {
    /// `y[t, rows] = x[t, cols] · Wᵀ + bias` for `t` input rows (`x` row-major, `y` row-major).
    pub fn matmul(&self, x: &[f32], t: usize, bias: &[f32], y: &mut [f32]) {
        let (rows, cols) = (self.rows, self.cols);
        let (Ok(xv), Ok(wv), Ok(mut yv)) = (
            ArrayView2::from_shape((t, cols), &x[..t * cols]),
            ArrayView2::from_shape((rows, cols), &self.w[..]),
            ArrayViewMut2::from_shape((t, rows), &mut y[..t * rows]),
        ) else {
            return;
        };
        for mut row in yv.rows_mut() {
            if let Some(b) = row.as_slice_mut() {
                b.copy_from_slice(&bias[..rows]);
            }
        }
        ndarray::linalg::general_mat_mul(1.0, &xv, &wv.t(), 1.0, &mut yv);
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

    #[test]
    fn matmul_matches_a_plain_product() {
        let (rows, cols, t) = (130, 64, 3);
        let mut data = Vec::new();
        for r in 0..rows * cols / QK {
            data.extend_from_slice(&[0x00, 0x38]); // scale 0.5
            data.extend((0..16).map(|j| ((r + j) % 16) as u8 | ((((r * 3 + j) % 16) as u8) << 4)));
        }
        let m = Q4Matrix::new(rows, cols, data).unwrap();
        let x: Vec<f32> = (0..t * cols).map(|i| ((i * 7) % 11) as f32 - 5.0).collect();
        let bias: Vec<f32> = (0..rows).map(|i| i as f32 * 0.25).collect();
        let mut y = vec![0f32; t * rows];
        m.expand().matmul(&x, t, &bias, &mut y);
        let mut w = vec![0f32; cols];
        for r in 0..rows {
            m.dequantize_row(r, &mut w);
            for i in 0..t {
                let want: f32 = bias[r] + (0..cols).map(|c| x[i * cols + c] * w[c]).sum::<f32>();
                assert!((y[i * rows + r] - want).abs() < 1e-3, "row {r} input {i}");
            }
        }
    }
}
