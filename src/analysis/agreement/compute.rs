//! Computes report rows: point estimates, then bootstrap draws shared by the rows that resample the same
//! clusters (one family of rows per set of documents).

use std::borrow::Cow;

use super::bootstrap::{SplitMix64, summarise};
use super::error::{Coefficient, Undefined};
use super::measures::{RatingTable, Summary};
use super::report::{AgreementRow, Estimate, RowKind};
use super::spec::{Measure, Statistic};
use super::unitized::{UnitizedData, UnitizedValues};
use super::units::{Clusters, Dataset};

/// Which unitized values belong to a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pick {
    /// The code row of this category: uα of that category alone, (k)uα.
    Category(usize),
    /// A row over every compared code.
    Whole,
}

/// One row to compute.
pub(crate) struct Job<'a> {
    pub label: String,
    pub kind: RowKind,
    pub data: Cow<'a, Dataset>,
    pub pick: Pick,
    pub statistics: Vec<Statistic>,
}

/// Rows that share their resampling clusters (and documents, for unitized α).
pub(crate) struct Family<'a> {
    pub clusters: Cow<'a, Clusters>,
    pub unitized: Option<Cow<'a, UnitizedData>>,
    pub documents: usize,
    pub jobs: Vec<Job<'a>>,
}

/// The statistics a row shows for the chosen measures.
pub(crate) fn statistics(measures: &[Measure], coders: usize, code_row: bool) -> Vec<Statistic> {
    Statistic::ALL
        .into_iter()
        .filter(|s| measures.contains(&s.measure()))
        .filter(|s| *s != Statistic::CohenKappa || coders == 2)
        .filter(|s| !code_row || !matches!(s, Statistic::BinaryUAlpha | Statistic::CodingUAlpha))
        .collect()
}

/// A unit-based coefficient from a table summary.
fn unit_value(statistic: Statistic, job: &Job<'_>, summary: &Summary) -> Coefficient {
    match statistic {
        Statistic::Percent => summary.percent(),
        Statistic::CohenKappa => summary.cohen(),
        Statistic::FleissKappa => summary.fleiss(),
        Statistic::BrennanPrediger => summary.brennan_prediger(job.data.categories),
        Statistic::Alpha => summary.alpha(),
        Statistic::UAlpha | Statistic::BinaryUAlpha | Statistic::CodingUAlpha => {
            Err(Undefined::NoPairableValues)
        }
    }
}

/// A unitized coefficient of a row from one evaluation of the unitized data.
fn unitized_value(statistic: Statistic, pick: Pick, values: &UnitizedValues) -> Coefficient {
    match (statistic, pick) {
        (Statistic::UAlpha, Pick::Category(k)) => values
            .per_category
            .get(k)
            .copied()
            .unwrap_or(Err(Undefined::NoVariation)),
        (Statistic::UAlpha, Pick::Whole) => values.u_alpha,
        (Statistic::BinaryUAlpha, _) => values.binary,
        (Statistic::CodingUAlpha, _) => values.coding,
        _ => Err(Undefined::NoPairableValues),
    }
}

/// Bootstrap values of one statistic of one row: defined values and the count of undefined draws.
#[derive(Default)]
struct Draws {
    values: Vec<f64>,
    undefined: usize,
}

impl Draws {
    fn record(&mut self, value: Coefficient) {
        match value {
            Ok(v) => self.values.push(v),
            Err(_) => self.undefined += 1,
        }
    }
}

/// Computes the rows of a family; `stream` keeps each family's random draws its own.
pub(crate) fn compute(
    family: &Family<'_>,
    draws: usize,
    seed: u64,
    stream: u64,
) -> Vec<AgreementRow> {
    let values = family.unitized.as_ref().map(|u| u.evaluate(None));
    let mut tables: Vec<RatingTable> = family
        .jobs
        .iter()
        .map(|j| j.data.table(&family.clusters))
        .collect();
    let mut estimates: Vec<Vec<Estimate>> = family
        .jobs
        .iter()
        .zip(&tables)
        .map(|(job, table)| {
            let summary = Summary::of(table);
            job.statistics
                .iter()
                .map(|s| {
                    let value = match (&values, s.is_unitized()) {
                        (Some(values), true) => unitized_value(*s, job.pick, values),
                        _ => unit_value(*s, job, &summary),
                    };
                    Estimate::new(*s, value)
                })
                .collect()
        })
        .collect();
    if draws > 0 {
        bootstrap(family, &mut tables, &mut estimates, draws, seed, stream);
    }
    let units = family.clusters.total();
    family
        .jobs
        .iter()
        .zip(estimates)
        .map(|(job, estimates)| AgreementRow {
            label: job.label.clone(),
            kind: job.kind.clone(),
            units,
            coded: job.data.coded_by(),
            documents: family.documents,
            estimates,
        })
        .collect()
}

/// Resamples clusters (documents for character units, else units) for unit-based coefficients and documents
/// for unitized ones, `draws` times each (two independent streams, run one after the other for cache locality),
/// and sets each estimate's percentile interval.
fn bootstrap(
    family: &Family<'_>,
    tables: &mut [RatingTable],
    estimates: &mut [Vec<Estimate>],
    draws: usize,
    seed: u64,
    stream: u64,
) {
    let mut samples: Vec<Vec<Draws>> = family
        .jobs
        .iter()
        .map(|j| j.statistics.iter().map(|_| Draws::default()).collect())
        .collect();
    let wants = |unitized: bool| {
        family
            .jobs
            .iter()
            .any(|j| j.statistics.iter().any(|s| s.is_unitized() == unitized))
    };
    let on_units = family.clusters.len() >= 2 && wants(false);
    if on_units {
        let mut rng = SplitMix64::stream(seed, stream * 2);
        unit_draws(family, tables, &mut samples, draws, &mut rng);
    }
    let on_pieces = family.unitized.as_ref().is_some_and(|u| u.pieces >= 2) && wants(true);
    if let (true, Some(unitized)) = (on_pieces, &family.unitized) {
        let mut rng = SplitMix64::stream(seed, stream * 2 + 1);
        piece_draws(family, unitized, &mut samples, draws, &mut rng);
    }
    for (row, draws) in estimates.iter_mut().zip(samples) {
        for (estimate, mut slot) in row.iter_mut().zip(draws) {
            let resampled = if estimate.statistic.is_unitized() {
                on_pieces
            } else {
                on_units
            };
            let interval = if resampled {
                summarise(&mut slot.values, slot.undefined)
            } else {
                Err(Undefined::TooFewToResample)
            };
            estimate.interval = interval.as_ref().ok().cloned();
            estimate.interval_undefined = interval.err();
        }
    }
}

/// Bootstrap draws of the unit-based coefficients: clusters resampled, pattern weights recounted.
fn unit_draws(
    family: &Family<'_>,
    tables: &mut [RatingTable],
    samples: &mut [Vec<Draws>],
    draws: usize,
    rng: &mut SplitMix64,
) {
    let (mut times, mut weights) = (Vec::new(), Vec::new());
    let mut summary = Summary::default();
    for _ in 0..draws {
        rng.resample(family.clusters.len(), &mut times);
        let total = family.clusters.total_under(Some(&times));
        let rows = family
            .jobs
            .iter()
            .zip(tables.iter_mut())
            .zip(samples.iter_mut());
        for ((job, table), draws) in rows {
            job.data.weights(total, Some(&times), &mut weights);
            table.set_weights(&weights);
            summary.fill(table);
            for (statistic, slot) in job.statistics.iter().zip(draws.iter_mut()) {
                if !statistic.is_unitized() {
                    slot.record(unit_value(*statistic, job, &summary));
                }
            }
        }
    }
}

/// Bootstrap draws of the unitized coefficients: documents resampled.
fn piece_draws(
    family: &Family<'_>,
    unitized: &UnitizedData,
    samples: &mut [Vec<Draws>],
    draws: usize,
    rng: &mut SplitMix64,
) {
    let mut times = Vec::new();
    for _ in 0..draws {
        rng.resample(unitized.pieces, &mut times);
        let values = unitized.evaluate(Some(&times));
        for (job, draws) in family.jobs.iter().zip(samples.iter_mut()) {
            for (statistic, slot) in job.statistics.iter().zip(draws.iter_mut()) {
                if statistic.is_unitized() {
                    slot.record(unitized_value(*statistic, job.pick, &values));
                }
            }
        }
    }
}
