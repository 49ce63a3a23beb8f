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

fn value_of(
    statistic: Statistic,
    job: &Job<'_>,
    summary: &Summary,
    unitized: Option<&UnitizedValues>,
) -> Coefficient {
    let unitized = || unitized.ok_or(Undefined::NoPairableValues);
    match statistic {
        Statistic::Percent => summary.percent(),
        Statistic::CohenKappa => summary.cohen(),
        Statistic::FleissKappa => summary.fleiss(),
        Statistic::BrennanPrediger => summary.brennan_prediger(job.data.categories),
        Statistic::Alpha => summary.alpha(),
        Statistic::UAlpha => match job.pick {
            Pick::Category(k) => unitized()?
                .per_category
                .get(k)
                .copied()
                .unwrap_or(Err(Undefined::NoVariation)),
            Pick::Whole => unitized()?.u_alpha,
        },
        Statistic::BinaryUAlpha => unitized()?.binary,
        Statistic::CodingUAlpha => unitized()?.coding,
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
                .map(|s| Estimate::new(*s, value_of(*s, job, &summary, values.as_ref())))
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
/// for unitized ones, `draws` times, and sets each estimate's percentile interval.
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
    let clusters = family.clusters.len();
    let pieces = family.unitized.as_ref().map_or(0, |u| u.pieces);
    let on_units = |s: &Statistic| !s.is_unitized();
    let needs_units = clusters >= 2
        && family
            .jobs
            .iter()
            .any(|j| j.statistics.iter().any(on_units));
    let needs_pieces = pieces >= 2
        && family
            .jobs
            .iter()
            .any(|j| j.statistics.iter().any(|s| s.is_unitized()));
    let mut unit_rng = SplitMix64::stream(seed, stream * 2);
    let mut piece_rng = SplitMix64::stream(seed, stream * 2 + 1);
    let (mut times, mut weights) = (Vec::new(), Vec::new());
    let mut summary = Summary::default();
    for _ in 0..draws {
        if needs_units {
            unit_rng.resample(clusters, &mut times);
            let total = family.clusters.total_under(Some(&times));
            let rows = family.jobs.iter().zip(tables.iter_mut()).zip(&mut samples);
            for ((job, table), draws) in rows {
                job.data.weights(total, Some(&times), &mut weights);
                table.set_weights(&weights);
                summary.fill(table);
                for (statistic, slot) in job.statistics.iter().zip(draws.iter_mut()) {
                    if on_units(statistic) {
                        slot.record(value_of(*statistic, job, &summary, None));
                    }
                }
            }
        }
        if let (true, Some(unitized)) = (needs_pieces, &family.unitized) {
            piece_rng.resample(pieces, &mut times);
            let values = unitized.evaluate(Some(&times));
            for (job, draws) in family.jobs.iter().zip(&mut samples) {
                for (statistic, slot) in job.statistics.iter().zip(draws.iter_mut()) {
                    if statistic.is_unitized() {
                        slot.record(value_of(*statistic, job, &summary, Some(&values)));
                    }
                }
            }
        }
    }
    for (row, draws) in estimates.iter_mut().zip(samples) {
        for (estimate, mut slot) in row.iter_mut().zip(draws) {
            let enough = if estimate.statistic.is_unitized() {
                needs_pieces
            } else {
                needs_units
            };
            let interval = if enough {
                summarise(&mut slot.values, slot.undefined)
            } else {
                Err(Undefined::TooFewToResample)
            };
            estimate.interval = interval.as_ref().ok().cloned();
            estimate.interval_undefined = interval.err();
        }
    }
}
