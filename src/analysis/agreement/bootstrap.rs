//! Seeded bootstrap: a SplitMix64 generator, cluster multiplicities of one draw, and percentile intervals with
//! the share of draws below Krippendorff's thresholds (0.667 and 0.8).

use serde::Serialize;

use super::error::Undefined;

/// The seed used when none is given, so the same project and options always give the same report.
pub const DEFAULT_SEED: u64 = 0x6d61_7267_696e_616c;

/// Bootstrap draws when none are asked for.
pub const DEFAULT_DRAWS: usize = 1000;

/// Krippendorff's (2004, p. 241) lowest acceptable α for tentative conclusions.
pub const TENTATIVE: f64 = 0.667;

/// Krippendorff's (2004, p. 241) customary requirement for α.
pub const CUSTOMARY: f64 = 0.8;

/// SplitMix64 (Steele, Lea & Flood 2014; Vigna's reference `splitmix64.c`): tiny, fast, and good enough for
/// resampling. Deterministic across platforms and Rust versions, unlike `std`'s hashers.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator started from `seed`; the same seed always gives the same sequence.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// A generator for one independent stream of a seed (a row of a report), so rows do not share draws by
    /// accident and adding a row does not shift the draws of the others.
    pub fn stream(seed: u64, stream: u64) -> Self {
        let mut mixer = Self(seed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03));
        Self(mixer.next_u64())
    }

    /// The next pseudo-random 64-bit value of the sequence.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform integer in `0..n` without modulo bias (Lemire 2019); 0 when `n` is 0.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let mut product = u128::from(self.next_u64()) * u128::from(n);
        if (product as u64) < n {
            let threshold = n.wrapping_neg() % n;
            while (product as u64) < threshold {
                product = u128::from(self.next_u64()) * u128::from(n);
            }
        }
        (product >> 64) as u64
    }

    /// One bootstrap draw of `n` clusters out of `n` with replacement, as multiplicities (`counts[i]` = how
    /// often cluster `i` was drawn; they sum to `n`).
    pub fn resample(&mut self, n: usize, counts: &mut Vec<u32>) {
        counts.clear();
        counts.resize(n, 0);
        for _ in 0..n {
            let index = self.below(n as u64) as usize;
            if let Some(count) = counts.get_mut(index) {
                *count += 1;
            }
        }
    }
}

/// A bootstrap percentile interval and the share of draws below the customary thresholds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Interval {
    /// 2.5th percentile of the defined draws.
    pub low: f64,
    /// 97.5th percentile of the defined draws.
    pub high: f64,
    /// Share of defined draws below 0.667.
    pub below_tentative: f64,
    /// Share of defined draws below 0.8.
    pub below_customary: f64,
    /// Draws made.
    pub draws: usize,
    /// Draws in which the coefficient was undefined (left out of the percentiles and shares).
    pub undefined_draws: usize,
}

/// Summarises bootstrap values (undefined draws already counted out). Sorts `values` in place.
pub fn summarise(values: &mut [f64], undefined_draws: usize) -> Result<Interval, Undefined> {
    if values.is_empty() {
        return Err(Undefined::NoDefinedDraws);
    }
    values.sort_by(f64::total_cmp);
    let n = values.len() as f64;
    let below = |threshold: f64| values.partition_point(|v| *v < threshold) as f64 / n;
    Ok(Interval {
        low: quantile(values, 0.025),
        high: quantile(values, 0.975),
        below_tentative: below(TENTATIVE),
        below_customary: below(CUSTOMARY),
        draws: values.len() + undefined_draws,
        undefined_draws,
    })
}

/// The q-quantile of sorted values, interpolating linearly between order statistics (Hyndman & Fan type 7,
/// the default of R and NumPy).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    let Some(last) = sorted.len().checked_sub(1) else {
        return f64::NAN;
    };
    let position = q.clamp(0.0, 1.0) * last as f64;
    let below = position.floor() as usize;
    let above = (below + 1).min(last);
    let fraction = position - below as f64;
    sorted[below] + (sorted[above] - sorted[below]) * fraction
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_matches_the_reference_sequence() {
        // First outputs of Vigna's splitmix64.c seeded with 1234567.
        let mut rng = SplitMix64::new(1_234_567);
        assert_eq!(rng.next_u64(), 6_457_827_717_110_365_317);
        assert_eq!(rng.next_u64(), 3_203_168_211_198_807_973);
        assert_eq!(rng.next_u64(), 9_817_491_932_198_370_423);
    }

    #[test]
    fn below_is_uniform_enough_and_in_range() {
        let mut rng = SplitMix64::new(7);
        let mut counts = [0usize; 6];
        for _ in 0..60_000 {
            let value = rng.below(6) as usize;
            counts[value] += 1;
        }
        for count in counts {
            assert!((9_500..10_500).contains(&count), "{counts:?}");
        }
        assert_eq!(rng.below(0), 0);
    }

    #[test]
    fn a_draw_keeps_the_number_of_clusters() {
        let mut rng = SplitMix64::stream(DEFAULT_SEED, 3);
        let mut counts = Vec::new();
        rng.resample(50, &mut counts);
        assert_eq!(counts.len(), 50);
        assert_eq!(counts.iter().sum::<u32>(), 50);
        let mut again = SplitMix64::stream(DEFAULT_SEED, 3);
        let mut same = Vec::new();
        again.resample(50, &mut same);
        assert_eq!(counts, same);
    }

    #[test]
    fn percentiles_and_shares() {
        let mut values: Vec<f64> = (0..=100).rev().map(|i| f64::from(i) / 100.0).collect();
        let interval = summarise(&mut values, 3).expect("values");
        assert!((interval.low - 0.025).abs() < 1e-12);
        assert!((interval.high - 0.975).abs() < 1e-12);
        assert!((interval.below_customary - 80.0 / 101.0).abs() < 1e-12);
        assert!((interval.below_tentative - 67.0 / 101.0).abs() < 1e-12);
        assert_eq!(interval.draws, 104);
        assert_eq!(summarise(&mut [], 5), Err(Undefined::NoDefinedDraws));
    }
}
