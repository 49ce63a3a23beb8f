//! Agreement coefficients on nominal reliability data (units × coders): percentage agreement, Cohen's κ,
//! Fleiss' κ, Brennan–Prediger κ and Krippendorff's α, all computed from weighted rating patterns.

use std::collections::HashMap;

use super::error::{Coefficient, Undefined, finite};

/// Reliability data summarised as rating patterns: a pattern holds one value per coder (a category index,
/// `None` where that coder gave no value) and a weight, the number of units (or characters) rated that way.
///
/// Summarising is exact for every coefficient here (they depend on the units only through these counts), and
/// it keeps character units cheap: a document contributes one weighted pattern per distinct way its coders
/// coded it, never one entry per character. The bootstrap only changes the weights.
#[derive(Clone, Debug, Default)]
pub struct RatingTable {
    coders: usize,
    categories: usize,
    patterns: Vec<Pattern>,
    weights: Vec<f64>,
    index: HashMap<Vec<Option<u32>>, usize>,
}

/// One distinct rating pattern and the counts every coefficient needs from it.
#[derive(Clone, Debug)]
struct Pattern {
    values: Vec<Option<u32>>,
    /// Coders who gave a value (Krippendorff's m_u).
    rated: usize,
    /// Ordered pairs of coders who gave the same value: Σ_c n_uc (n_uc − 1).
    agreeing_pairs: usize,
}

impl Pattern {
    fn new(values: Vec<Option<u32>>) -> Self {
        let given: Vec<u32> = values.iter().flatten().copied().collect();
        let mut agreeing_pairs = 0;
        for (i, a) in given.iter().enumerate() {
            agreeing_pairs += given[i + 1..].iter().filter(|b| *b == a).count() * 2;
        }
        Self {
            rated: given.len(),
            agreeing_pairs,
            values,
        }
    }
}

impl RatingTable {
    /// An empty table for this many coders.
    pub fn new(coders: usize) -> Self {
        Self {
            coders,
            ..Self::default()
        }
    }

    /// One unit per entry, each a list of values by coder (as in Krippendorff's reliability data matrix,
    /// transposed), weight 1.
    pub fn from_units(units: &[Vec<Option<u32>>]) -> Self {
        let coders = units.iter().map(Vec::len).max().unwrap_or(0);
        let mut table = Self::new(coders);
        for unit in units {
            table.add(unit, 1.0);
        }
        table
    }

    /// Adds `weight` units rated `values` (one per coder; missing coders at the end count as no value).
    /// Returns the pattern's index.
    pub fn add(&mut self, values: &[Option<u32>], weight: f64) -> usize {
        let mut key: Vec<Option<u32>> = values.iter().copied().take(self.coders).collect();
        key.resize(self.coders, None);
        if let Some(&index) = self.index.get(&key) {
            self.weights[index] += weight;
            return index;
        }
        for value in key.iter().flatten() {
            self.categories = self.categories.max(*value as usize + 1);
        }
        let index = self.patterns.len();
        self.index.insert(key.clone(), index);
        self.patterns.push(Pattern::new(key));
        self.weights.push(weight);
        index
    }

    /// The number of coders, the length of every pattern.
    pub fn coders(&self) -> usize {
        self.coders
    }

    /// One more than the largest category index used.
    pub fn categories(&self) -> usize {
        self.categories
    }

    /// Number of distinct patterns.
    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    /// True when the table holds no pattern (no unit was added).
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Weights by pattern index.
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// Replaces the weights (a bootstrap draw); extra values are ignored, missing ones become 0.
    pub fn set_weights(&mut self, weights: &[f64]) {
        for (i, slot) in self.weights.iter_mut().enumerate() {
            *slot = weights.get(i).copied().unwrap_or(0.0);
        }
    }

    /// Total weight of the units.
    pub fn total(&self) -> f64 {
        self.weights.iter().sum()
    }

    fn weighted(&self) -> impl Iterator<Item = (&Pattern, f64)> {
        self.patterns
            .iter()
            .zip(self.weights.iter().copied())
            .filter(|(_, w)| *w > 0.0)
    }
}

/// Everything the coefficients need from a table, gathered in one pass over its patterns (the bootstrap
/// refills one summary per draw instead of passing over the patterns once per coefficient).
#[derive(Clone, Debug, Default)]
pub struct Summary {
    coders: usize,
    /// Total weight of units with at least one value.
    units: f64,
    /// Every unit with a value is rated by every coder.
    complete: bool,
    /// Σ w · (ordered agreeing pairs).
    agreeing: f64,
    /// Σ w · m_u (m_u − 1): ordered pairs of coders who both rated the unit.
    pairs: f64,
    /// α: Σ w · m_u over units with m_u ≥ 2 (pairable values), Σ_c o_cc, and n_c.
    pairable: f64,
    matching: f64,
    totals: Vec<f64>,
    /// Cohen: weight of units both coders rated, of those they agree on, and each coder's marginals.
    both: f64,
    both_agree: f64,
    first: Vec<f64>,
    second: Vec<f64>,
}

impl Summary {
    /// The summary of a table (see [`Summary::fill`] to reuse one across bootstrap draws).
    pub fn of(table: &RatingTable) -> Self {
        let mut summary = Self::default();
        summary.fill(table);
        summary
    }

    /// Recomputes the summary for a table, reusing the buffers.
    pub fn fill(&mut self, table: &RatingTable) {
        let categories = table.categories;
        *self = Self {
            coders: table.coders,
            complete: true,
            totals: std::mem::take(&mut self.totals),
            first: std::mem::take(&mut self.first),
            second: std::mem::take(&mut self.second),
            ..Self::default()
        };
        for buffer in [&mut self.totals, &mut self.first, &mut self.second] {
            buffer.clear();
            buffer.resize(categories, 0.0);
        }
        for (pattern, w) in table.weighted() {
            self.add(pattern, w);
        }
    }

    fn add(&mut self, pattern: &Pattern, w: f64) {
        let rated = pattern.rated;
        if rated == 0 {
            return;
        }
        self.units += w;
        self.complete &= rated == self.coders;
        self.agreeing += w * pattern.agreeing_pairs as f64;
        self.pairs += w * (rated * (rated - 1)) as f64;
        if rated >= 2 {
            self.pairable += w * rated as f64;
            self.matching += w * pattern.agreeing_pairs as f64 / (rated - 1) as f64;
            for value in pattern.values.iter().flatten() {
                self.totals[*value as usize] += w;
            }
        }
        if let [Some(a), Some(b)] = pattern.values[..] {
            self.both += w;
            if a == b {
                self.both_agree += w;
            }
            self.first[a as usize] += w;
            self.second[b as usize] += w;
        }
    }

    /// See [`percent_agreement`].
    pub fn percent(&self) -> Coefficient {
        if self.pairs <= 0.0 {
            return Err(Undefined::NoPairableValues);
        }
        finite(self.agreeing / self.pairs)
    }

    /// See [`cohen_kappa`].
    pub fn cohen(&self) -> Coefficient {
        if self.coders != 2 {
            return Err(Undefined::NotTwoCoders);
        }
        let n = self.both;
        if n <= 0.0 {
            return Err(Undefined::NoPairableValues);
        }
        // κ = (n·agree − Σ a_c b_c) / (n² − Σ a_c b_c): P_o and P_e scaled by n², so integer weights stay exact.
        let chance: f64 = self
            .first
            .iter()
            .zip(&self.second)
            .map(|(a, b)| a * b)
            .sum();
        let denominator = n * n - chance;
        if denominator <= n * n * 1e-12 {
            return Err(Undefined::NoVariation);
        }
        finite((n * self.both_agree - chance) / denominator)
    }

    /// See [`fleiss_kappa`].
    pub fn fleiss(&self) -> Coefficient {
        let m = self.coders;
        if m < 2 || self.units <= 0.0 {
            return Err(Undefined::NoPairableValues);
        }
        if !self.complete {
            return Err(Undefined::MissingRatings);
        }
        let ratings = self.units * m as f64;
        let observed = self.agreeing / (self.units * (m * (m - 1)) as f64);
        let expected: f64 = self
            .totals
            .iter()
            .map(|t| (t / ratings) * (t / ratings))
            .sum();
        if 1.0 - expected <= 1e-12 {
            return Err(Undefined::NoVariation);
        }
        finite((observed - expected) / (1.0 - expected))
    }

    /// See [`brennan_prediger`].
    pub fn brennan_prediger(&self, categories: usize) -> Coefficient {
        if categories < 2 {
            return Err(Undefined::NoVariation);
        }
        let observed = self.percent()?;
        let chance = 1.0 / categories as f64;
        finite((observed - chance) / (1.0 - chance))
    }

    /// See [`krippendorff_alpha`].
    pub fn alpha(&self) -> Coefficient {
        let n = self.pairable;
        if n <= 0.0 {
            return Err(Undefined::NoPairableValues);
        }
        let expected = n * n - self.totals.iter().map(|t| t * t).sum::<f64>();
        if expected <= n * n * 1e-12 {
            return Err(Undefined::NoVariation);
        }
        finite(1.0 - (n - 1.0) * (n - self.matching) / expected)
    }
}

/// Percentage agreement: the share of agreeing pairs among all pairs of coders who rated the same unit (for two
/// coders without missing values: the share of units they agree on; with more coders, the mean over pairs of
/// coders, Fleiss' P̄).
pub fn percent_agreement(table: &RatingTable) -> Coefficient {
    Summary::of(table).percent()
}

/// Cohen's (1960) κ for exactly two coders, over the units both rated: (P_o − P_e) / (1 − P_e), with P_e from
/// each coder's own marginal distribution over *all* those units, including the ones neither coded (value
/// "not coded" is a category like any other).
pub fn cohen_kappa(table: &RatingTable) -> Coefficient {
    Summary::of(table).cohen()
}

/// Fleiss' (1971) κ for any number of coders, each unit rated by every coder: (P̄ − P̄_e) / (1 − P̄_e), where P̄
/// is the mean share of agreeing pairs per unit and P̄_e = Σ_c p_c² with p_c the share of all ratings in
/// category c. (With two coders it equals Scott's π.)
pub fn fleiss_kappa(table: &RatingTable) -> Coefficient {
    Summary::of(table).fleiss()
}

/// Brennan & Prediger's (1981) κ_n (Bennett, Alpert & Goldstein's S for two coders): chance agreement fixed
/// at 1/q for q categories, (P_o − 1/q) / (1 − 1/q), with P_o the percentage agreement.
pub fn brennan_prediger(table: &RatingTable, categories: usize) -> Coefficient {
    Summary::of(table).brennan_prediger(categories)
}

/// Krippendorff's α for nominal data, missing values allowed (Krippendorff 2004, ch. 11): from the coincidence
/// matrix of pairable values, α = 1 − (n − 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c n_k. Units rated by fewer than two
/// coders carry no pairable values. For binary values (coded / not coded) this is the binary α.
pub fn krippendorff_alpha(table: &RatingTable) -> Coefficient {
    Summary::of(table).alpha()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn binary(a: &[u32], b: &[u32]) -> RatingTable {
        let units: Vec<Vec<Option<u32>>> = a
            .iter()
            .zip(b)
            .map(|(x, y)| vec![Some(*x), Some(*y)])
            .collect();
        RatingTable::from_units(&units)
    }

    fn close(value: Coefficient, expected: f64, tolerance: f64) {
        let value = value.expect("defined");
        assert!(
            (value - expected).abs() <= tolerance,
            "{value} is not {expected} ± {tolerance}"
        );
    }

    /// Krippendorff (2004), *Content Analysis*, 2nd ed., p. 224: two coders, ten binary units;
    /// percent agreement 0.60 and α = 0.095.
    #[test]
    fn krippendorff_2004_p224_binary_two_coders() {
        let table = binary(
            &[0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
            &[1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
        );
        close(percent_agreement(&table), 0.60, 1e-12);
        close(krippendorff_alpha(&table), 0.095, 0.0005);
        // Exactly 1 − 19 · 8 / 168 (n = 20 values, 8 disagreeing, 14 zeros and 6 ones).
        close(krippendorff_alpha(&table), 1.0 - 19.0 * 8.0 / 168.0, 1e-12);
    }

    /// Krippendorff (2004), p. 230 (also Krippendorff 2011, "Computing Krippendorff's alpha-reliability"):
    /// four coders, twelve units, missing values; nominal α = 0.743.
    #[test]
    fn krippendorff_2004_p230_nominal_with_missing_values() {
        let rows: [[Option<u32>; 12]; 4] = [
            [
                Some(1),
                Some(2),
                Some(3),
                Some(3),
                Some(2),
                Some(1),
                Some(4),
                Some(1),
                Some(2),
                None,
                None,
                None,
            ],
            [
                Some(1),
                Some(2),
                Some(3),
                Some(3),
                Some(2),
                Some(2),
                Some(4),
                Some(1),
                Some(2),
                Some(5),
                None,
                Some(3),
            ],
            [
                None,
                Some(3),
                Some(3),
                Some(3),
                Some(2),
                Some(3),
                Some(4),
                Some(2),
                Some(2),
                Some(5),
                Some(1),
                None,
            ],
            [
                Some(1),
                Some(2),
                Some(3),
                Some(3),
                Some(2),
                Some(4),
                Some(4),
                Some(1),
                Some(2),
                Some(5),
                Some(1),
                None,
            ],
        ];
        let units: Vec<Vec<Option<u32>>> = (0..12)
            .map(|u| rows.iter().map(|coder| coder[u]).collect())
            .collect();
        let table = RatingTable::from_units(&units);
        close(krippendorff_alpha(&table), 0.743, 0.0005);
        assert_eq!(fleiss_kappa(&table), Err(Undefined::MissingRatings));
        assert_eq!(cohen_kappa(&table), Err(Undefined::NotTwoCoders));
    }

    /// NVivo's coding comparison worked example ("How is the kappa coefficient calculated?", NVivo help): a
    /// 1,000-character source, 50 characters coded by both users, 100 by A only, 50 by B only → κ = 0.318
    /// (0.3182: P_o = 0.85, P_e = 0.15·0.10 + 0.85·0.90 = 0.78).
    #[test]
    #[allow(clippy::approx_constant)] // 0.318 is NVivo's published κ, not 1/π.
    fn nvivo_character_kappa_example() {
        let mut table = RatingTable::new(2);
        table.add(&[Some(1), Some(1)], 50.0);
        table.add(&[Some(1), Some(0)], 100.0);
        table.add(&[Some(0), Some(1)], 50.0);
        table.add(&[Some(0), Some(0)], 800.0);
        close(cohen_kappa(&table), 0.318, 0.0005);
        close(cohen_kappa(&table), 0.07 / 0.22, 1e-12);
        close(percent_agreement(&table), 0.85, 1e-12);
    }

    /// Brennan & Prediger (1981), "Coefficient kappa: some uses, misuses, and alternatives", Educational and
    /// Psychological Measurement 41, p. 689 (first table, proportions ×100): P_o = 0.60, Cohen's κ = 0.27,
    /// κ_n with three categories = 0.40; p. 691 (second table): κ = 0.29, κ_n = 0.40.
    #[test]
    fn brennan_prediger_1981_examples() {
        let mut first = RatingTable::new(2);
        for (a, b, n) in [
            (1, 1, 50.0),
            (2, 1, 10.0),
            (2, 2, 10.0),
            (2, 3, 10.0),
            (3, 1, 20.0),
        ] {
            first.add(&[Some(a), Some(b)], n);
        }
        close(percent_agreement(&first), 0.60, 1e-12);
        close(cohen_kappa(&first), 0.27, 0.005);
        close(brennan_prediger(&first, 3), 0.40, 1e-12);
        let mut second = RatingTable::new(2);
        for (a, b, n) in [
            (1, 1, 50.0),
            (1, 3, 10.0),
            (2, 2, 10.0),
            (2, 3, 10.0),
            (3, 1, 10.0),
            (3, 2, 10.0),
        ] {
            second.add(&[Some(a), Some(b)], n);
        }
        close(cohen_kappa(&second), 0.29, 0.005);
        close(brennan_prediger(&second, 3), 0.40, 1e-12);
    }

    /// Fleiss (1971), "Measuring nominal scale agreement among many raters", Psychological Bulletin 76, p. 379:
    /// 30 subjects, 6 raters, 5 categories → P̄ = 0.5556, P̄_e = 0.2201, κ = 0.430.
    #[test]
    fn fleiss_1971_example() {
        let subjects: [[u32; 6]; 30] = [
            [4, 4, 4, 4, 4, 4],
            [2, 2, 2, 5, 5, 5],
            [2, 3, 3, 3, 3, 5],
            [5, 5, 5, 5, 5, 5],
            [2, 2, 2, 4, 4, 4],
            [1, 1, 3, 3, 3, 3],
            [3, 3, 3, 3, 5, 5],
            [1, 1, 3, 3, 3, 4],
            [1, 1, 4, 4, 4, 4],
            [5, 5, 5, 5, 5, 5],
            [1, 4, 4, 4, 4, 4],
            [1, 2, 4, 4, 4, 4],
            [2, 2, 2, 3, 3, 3],
            [1, 4, 4, 4, 4, 4],
            [2, 2, 4, 4, 4, 5],
            [3, 3, 3, 3, 3, 5],
            [1, 1, 1, 4, 5, 5],
            [1, 1, 1, 1, 1, 2],
            [2, 2, 4, 4, 4, 4],
            [1, 3, 3, 5, 5, 5],
            [5, 5, 5, 5, 5, 5],
            [2, 4, 4, 4, 4, 4],
            [2, 2, 4, 5, 5, 5],
            [1, 1, 4, 4, 4, 4],
            [1, 4, 4, 4, 4, 5],
            [2, 2, 2, 2, 2, 4],
            [1, 1, 1, 1, 5, 5],
            [2, 2, 4, 4, 4, 4],
            [1, 3, 3, 3, 3, 3],
            [5, 5, 5, 5, 5, 5],
        ];
        let units: Vec<Vec<Option<u32>>> = subjects
            .iter()
            .map(|s| s.iter().map(|v| Some(*v)).collect())
            .collect();
        let table = RatingTable::from_units(&units);
        close(percent_agreement(&table), 0.5556, 0.0001);
        close(fleiss_kappa(&table), 0.430, 0.0005);
    }

    /// Wikipedia, "Fleiss' kappa", worked example: 10 subjects, 14 raters, 5 categories (counts per category)
    /// → P̄ = 0.378, P̄_e = 0.213, κ = 0.210.
    #[test]
    fn fleiss_wikipedia_example() {
        let counts: [[u32; 5]; 10] = [
            [0, 0, 0, 0, 14],
            [0, 2, 6, 4, 2],
            [0, 0, 3, 5, 6],
            [0, 3, 9, 2, 0],
            [2, 2, 8, 1, 1],
            [7, 7, 0, 0, 0],
            [3, 2, 6, 3, 0],
            [2, 5, 3, 2, 2],
            [6, 5, 2, 1, 0],
            [0, 2, 2, 3, 7],
        ];
        let units: Vec<Vec<Option<u32>>> = counts
            .iter()
            .map(|row| {
                row.iter()
                    .enumerate()
                    .flat_map(|(c, n)| std::iter::repeat_n(Some(c as u32), *n as usize))
                    .collect()
            })
            .collect();
        let table = RatingTable::from_units(&units);
        close(percent_agreement(&table), 0.378, 0.0005);
        close(fleiss_kappa(&table), 0.210, 0.0005);
        // Brennan–Prediger with the five categories of the scale: (P̄ − 1/5) / (1 − 1/5).
        close(brennan_prediger(&table, 5), (0.37802 - 0.2) / 0.8, 0.0001);
    }

    #[test]
    fn perfect_agreement_is_one_and_no_variation_is_undefined() {
        let table = binary(&[1, 0, 1, 1, 0], &[1, 0, 1, 1, 0]);
        close(cohen_kappa(&table), 1.0, 1e-12);
        close(fleiss_kappa(&table), 1.0, 1e-12);
        close(krippendorff_alpha(&table), 1.0, 1e-12);
        close(brennan_prediger(&table, 2), 1.0, 1e-12);
        let constant = binary(&[0, 0, 0], &[0, 0, 0]);
        assert_eq!(cohen_kappa(&constant), Err(Undefined::NoVariation));
        assert_eq!(krippendorff_alpha(&constant), Err(Undefined::NoVariation));
        assert_eq!(fleiss_kappa(&constant), Err(Undefined::NoVariation));
        close(percent_agreement(&constant), 1.0, 1e-12);
        assert_eq!(
            krippendorff_alpha(&RatingTable::new(2)),
            Err(Undefined::NoPairableValues)
        );
    }

    #[test]
    fn independent_coders_have_kappa_zero() {
        // A codes the first half, B the middle half: each cell of the 2 × 2 table holds 250 of 1,000 units,
        // exactly the product of the marginals.
        let mut table = RatingTable::new(2);
        for (a, b) in [(1, 1), (1, 0), (0, 1), (0, 0)] {
            table.add(&[Some(a), Some(b)], 250.0);
        }
        close(cohen_kappa(&table), 0.0, 1e-12);
        close(fleiss_kappa(&table), 0.0, 1e-12);
        // α's small-sample correction (n − 1)/n keeps it just above 0.
        close(krippendorff_alpha(&table), 1.0 / 2000.0, 1e-12);
    }

    #[test]
    fn weights_are_replaceable_for_the_bootstrap() {
        let mut table = binary(&[1, 0], &[1, 1]);
        assert_eq!(table.len(), 2);
        table.set_weights(&[3.0]);
        assert_eq!(table.weights(), &[3.0, 0.0]);
        assert_eq!(table.total(), 3.0);
    }
}
