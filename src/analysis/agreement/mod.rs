//! Intercoder agreement between two or more coders, with bootstrap confidence intervals.
//!
//! # What is compared
//!
//! * **Coders**: two or more (`AgreementSpec::coders`; empty = every coder of the project).
//! * **Documents**: by default those every compared coder coded at least once (with any code); or a chosen set.
//! * **Codes**: the chosen codes or every code some compared coder applied; with `include_subcodes` a code's
//!   row also counts its sub-codes' codings. A coder's overlapping or touching codings of one code are merged.
//! * **Units** ([`UnitKind`]): characters (default), speaker turns (plus paragraphs outside turns),
//!   paragraphs, or sentences (paragraphs split after `.`, `!`, `?` followed by whitespace). A unit counts as
//!   coded by a coder when the coder's codings overlap it; `min_overlap` asks for a minimum share of the unit.
//!   Every compared coder rates every unit of every compared document (not coding it is a rating), so there
//!   are no missing values in project data. `coded_only` leaves out units nobody coded with any compared code.
//!
//! # Values and coefficients
//!
//! * A **code row** is binary: per unit, each coder coded it with the code (1) or not (0).
//! * A row spanning **several codes** (overall, per document, per attribute group) is nominal: each coder's
//!   value for a unit is the *set* of codes they applied to it, each distinct set a category (the empty set,
//!   "not coded", included). Two coders agree on a unit only when they applied exactly the same codes. This
//!   keeps multi-coded text honest (no unit counted twice) at the price of treating {A} and {A, B} as different
//!   as {A} and {C}.
//! * **Percentage agreement**: the share of agreeing pairs of coders per unit (two coders: the share of units).
//! * **Cohen's κ** (two coders): expected agreement from each coder's *own* marginal distribution over all
//!   units, including those neither coded (QualCoder is known to get this wrong). **Fleiss' κ** for any number
//!   of coders (Scott's π for two). **Brennan–Prediger κ**: chance fixed at 1/q, q = 2 for a code row, else the
//!   number of distinct values (sets of codes) in use.
//! * **Krippendorff's α**: binary per code, nominal over sets of codes otherwise.
//! * **Unitized α** on the text as a continuum (documents laid end to end, units never spanning two):
//!   uα and (k)uα per code after Krippendorff (2004, pp. 251–256), |uα (coded versus uncoded, codes taken
//!   together) with the same formula on each coder's union of codings, and cuα (the codes of text two coders
//!   both coded) after Krippendorff, Mathet, Bouvry & Widlöcher (2016). The book's worked uα (p. 254) is .8591
//!   from rounded intermediates; exact arithmetic gives .8587 (see `unitized` tests). The 2016 paper notes the
//!   2004 uα misbehaves with more than two coders; we keep the 2004 definition because it is the published,
//!   testable one, and say so. Unitized α always looks at the whole text (`coded_only` does not apply).
//!
//! Degenerate cases (no variation: expected disagreement 0; no pairable values; Cohen's κ for three coders) give
//! no value and an [`Undefined`] reason, never NaN.
//!
//! # Uncertainty
//!
//! A nonparametric percentile bootstrap (`bootstrap` draws, default 1,000; seeded SplitMix64, fixed default
//! seed, so a report is reproducible) gives 95% intervals and the share of draws below 0.667 and 0.8 (the
//! probability that α fails Krippendorff's thresholds). What is resampled:
//! * turn, paragraph and sentence units: **units**, with replacement (Hayes & Krippendorff 2007 resample units
//!   too, though their algorithm differs: they perturb the coincidence matrix);
//! * character units and unitized α: **documents**. Characters within a passage are not independent
//!   observations; resampling them one by one would give absurdly narrow intervals. Rows of a single document
//!   therefore get no character-unit interval ([`Undefined::TooFewToResample`]).
//!
//! Draws where a coefficient is undefined are left out of its interval and counted (`undefined_draws`).
//!
//! Character units never materialise one entry per character: a sweep over sorted range boundaries turns each
//! document into a few weighted rating patterns ([`measures::RatingTable`]), and a bootstrap draw only re-weights
//! them.

pub mod bootstrap;
mod compute;
pub mod disagreements;
pub mod error;
pub mod measures;
pub mod report;
pub mod review;
pub mod spec;
pub mod unitized;
pub mod units;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::analysis::scope::attribute_def;
use crate::ids::{CodeId, CoderId, DocumentId};
use crate::model::Project;

pub use bootstrap::{DEFAULT_DRAWS, DEFAULT_SEED, Interval};
pub use disagreements::{Disagreement, DisagreementSpec, disagreements, disagreements_with};
pub use error::{AgreementError, Coefficient, Undefined};
pub use report::{Agreement, AgreementRow, CoderRef, Estimate, RowKind};
pub use review::{Reviewed, after_review};
pub use spec::{
    AgreementSpec, Grouping, Measure, Statistic, find_coders, find_codes, find_documents,
};
pub use units::UnitKind;

use compute::{Family, Job, Pick, compute, statistics};
use unitized::UnitizedData;
use units::{Coverage, Rating, Ratings};

/// Computes an agreement report.
pub fn agreement(project: &Project, spec: &AgreementSpec) -> Result<Agreement, AgreementError> {
    check_options(spec)?;
    let coders = resolve_coders(project, &spec.coders)?;
    let documents = resolve_documents(project, spec.documents.as_deref(), &coders)?;
    let codes = row_codes(project, spec, &coders, &documents)?;
    let rows_of = rows_of(project, &codes, spec.include_subcodes);
    let coverage = Coverage::collect(project, &coders, &documents, codes.len(), &rows_of);
    let rating = Rating {
        kind: spec.unit,
        min_overlap: spec.min_overlap,
        coded_only: spec.coded_only,
    };
    let ratings = units::ratings(project, &coverage, rating);
    let unitized = spec
        .measures
        .contains(&Measure::UAlpha)
        .then(|| unitized_data(&coverage));
    let mut families = Vec::new();
    if spec.by == Grouping::Code {
        families.push(code_family(
            project,
            spec,
            &codes,
            &ratings,
            unitized.as_ref(),
        ));
    } else {
        for (label, kind, keep) in groups(project, &spec.by, &documents)? {
            families.push(group_family(
                spec,
                label,
                kind,
                &keep,
                &ratings,
                unitized.as_ref(),
            ));
        }
        families.push(overall_family(spec, &ratings, unitized.as_ref()));
    }
    let rows = families
        .iter()
        .enumerate()
        .flat_map(|(stream, family)| compute(family, spec.bootstrap, spec.seed, stream as u64))
        .collect();
    Ok(Agreement {
        spec: spec.clone(),
        coders: coders
            .iter()
            .filter_map(|id| project.coders().get(id))
            .map(|c| report::CoderRef {
                id: c.id,
                name: c.name.clone(),
            })
            .collect(),
        documents,
        rows,
    })
}

fn check_options(spec: &AgreementSpec) -> Result<(), AgreementError> {
    if let Some(share) = spec.min_overlap {
        if !(share > 0.0 && share <= 1.0) {
            return Err(AgreementError::InvalidOption(format!(
                "the minimum overlap is a share of the unit in (0, 1], not {share}"
            )));
        }
        if spec.unit == UnitKind::Character {
            return Err(AgreementError::InvalidOption(
                "a minimum overlap applies to turn, paragraph or sentence units, not characters"
                    .into(),
            ));
        }
    }
    if spec.measures.is_empty() {
        return Err(AgreementError::InvalidOption("no measure chosen".into()));
    }
    Ok(())
}

/// The compared coders: those given (checked, no repeats) or every coder, by name.
fn resolve_coders(project: &Project, given: &[CoderId]) -> Result<Vec<CoderId>, AgreementError> {
    let coders: Vec<CoderId> = if given.is_empty() {
        let mut all: Vec<_> = project.coders().values().collect();
        all.sort_by(|a, b| crate::collate::compare(&a.name, &b.name));
        all.iter().map(|c| c.id).collect()
    } else {
        given.to_vec()
    };
    let mut seen = BTreeSet::new();
    for id in &coders {
        let coder = project
            .coders()
            .get(id)
            .ok_or_else(|| AgreementError::UnknownCoder(id.to_string()))?;
        if !seen.insert(*id) {
            return Err(AgreementError::DuplicateCoder(coder.name.clone()));
        }
    }
    if coders.len() < 2 {
        return Err(AgreementError::TooFewCoders {
            given: coders.len(),
        });
    }
    Ok(coders)
}

/// The compared documents in name order: those given, or those every coder coded at least once.
fn resolve_documents(
    project: &Project,
    given: Option<&[DocumentId]>,
    coders: &[CoderId],
) -> Result<Vec<DocumentId>, AgreementError> {
    let wanted: BTreeSet<DocumentId> = match given {
        Some(list) => {
            for id in list {
                if !project.documents().contains_key(id) {
                    return Err(AgreementError::UnknownDocument(id.to_string()));
                }
            }
            list.iter().copied().collect()
        }
        None => {
            let mut by: HashMap<DocumentId, BTreeSet<CoderId>> = HashMap::new();
            for coding in project.codings().values() {
                if coders.contains(&coding.coder) {
                    by.entry(coding.document).or_default().insert(coding.coder);
                }
            }
            by.into_iter()
                .filter(|(_, who)| who.len() == coders.len())
                .map(|(doc, _)| doc)
                .collect()
        }
    };
    let documents: Vec<DocumentId> = project
        .documents_sorted()
        .iter()
        .map(|d| d.id)
        .filter(|id| wanted.contains(id))
        .collect();
    if documents.is_empty() {
        let names: Vec<String> = coders
            .iter()
            .filter_map(|id| project.coders().get(id).map(|c| c.name.clone()))
            .collect();
        return Err(AgreementError::NoCommonDocuments {
            coders: names.join(", "),
        });
    }
    Ok(documents)
}

/// Each row code, and the codes whose codings count for it.
fn rows_of(project: &Project, codes: &[CodeId], subcodes: bool) -> HashMap<CodeId, Vec<usize>> {
    let mut rows_of: HashMap<CodeId, Vec<usize>> = HashMap::new();
    for (row, code) in codes.iter().enumerate() {
        let counted = if subcodes {
            project.descendants(*code)
        } else {
            BTreeSet::from([*code])
        };
        for counted in counted {
            rows_of.entry(counted).or_default().push(row);
        }
    }
    rows_of
}

/// The compared codes that some compared coder applied in the compared documents: the chosen ones (each must
/// have codings) or every such code in codebook order.
fn row_codes(
    project: &Project,
    spec: &AgreementSpec,
    coders: &[CoderId],
    documents: &[DocumentId],
) -> Result<Vec<CodeId>, AgreementError> {
    for code in &spec.codes {
        if !project.codes().contains_key(code) {
            return Err(AgreementError::UnknownCode(code.to_string()));
        }
    }
    let candidates: Vec<CodeId> = if spec.codes.is_empty() {
        project.code_tree().iter().map(|(_, c)| c.id).collect()
    } else {
        spec.codes.clone()
    };
    let rows_of = rows_of(project, &candidates, spec.include_subcodes);
    let documents: BTreeSet<DocumentId> = documents.iter().copied().collect();
    let mut coded = vec![false; candidates.len()];
    for coding in project.codings().values() {
        if coders.contains(&coding.coder) && documents.contains(&coding.document) {
            for row in rows_of.get(&coding.code).into_iter().flatten() {
                coded[*row] = true;
            }
        }
    }
    if let Some(missing) = spec.codes.iter().zip(&coded).find(|(_, c)| !**c) {
        return Err(AgreementError::CodeNotCoded {
            code: project.code_path(*missing.0),
        });
    }
    let codes: Vec<CodeId> = candidates
        .into_iter()
        .zip(coded)
        .filter(|(_, c)| *c)
        .map(|(code, _)| code)
        .collect();
    if codes.is_empty() {
        return Err(AgreementError::NothingCoded);
    }
    Ok(codes)
}

fn unitized_data(coverage: &Coverage) -> UnitizedData {
    let mut data = UnitizedData::new(coverage.coders, coverage.rows);
    let mut values = HashMap::new();
    for doc in &coverage.docs {
        data.push(&doc.ranges, doc.len, &mut values);
    }
    data.finish();
    data
}

fn overall_job<'a>(spec: &AgreementSpec, ratings: &'a Ratings) -> Job<'a> {
    Job {
        label: "Overall".into(),
        kind: RowKind::Overall,
        data: Cow::Borrowed(&ratings.combined),
        pick: Pick::Whole,
        statistics: statistics(&spec.measures, ratings.combined.coders, false),
    }
}

/// One row per code and the overall row, resampling the same clusters.
fn code_family<'a>(
    project: &Project,
    spec: &AgreementSpec,
    codes: &[CodeId],
    ratings: &'a Ratings,
    unitized: Option<&'a UnitizedData>,
) -> Family<'a> {
    let coders = ratings.combined.coders;
    let mut jobs: Vec<Job<'a>> = codes
        .iter()
        .zip(&ratings.rows)
        .enumerate()
        .map(|(row, (code, data))| Job {
            label: project.code_path(*code),
            kind: RowKind::Code(*code),
            data: Cow::Borrowed(data),
            pick: Pick::Category(row),
            statistics: statistics(&spec.measures, coders, true),
        })
        .collect();
    jobs.push(overall_job(spec, ratings));
    Family {
        clusters: Cow::Borrowed(&ratings.clusters),
        unitized: unitized.map(Cow::Borrowed),
        documents: ratings.clusters.docs.iter().collect::<BTreeSet<_>>().len(),
        jobs,
    }
}

fn overall_family<'a>(
    spec: &AgreementSpec,
    ratings: &'a Ratings,
    unitized: Option<&'a UnitizedData>,
) -> Family<'a> {
    Family {
        clusters: Cow::Borrowed(&ratings.clusters),
        unitized: unitized.map(Cow::Borrowed),
        documents: ratings.clusters.docs.iter().collect::<BTreeSet<_>>().len(),
        jobs: vec![overall_job(spec, ratings)],
    }
}

/// A row over a group of documents (`keep[document index]`), resampling only within the group.
fn group_family<'a>(
    spec: &AgreementSpec,
    label: String,
    kind: RowKind,
    keep: &[bool],
    ratings: &'a Ratings,
    unitized: Option<&'a UnitizedData>,
) -> Family<'a> {
    let (clusters, map) = ratings.clusters.restrict(keep);
    let mut next = 0u32;
    let pieces: Vec<Option<u32>> = keep
        .iter()
        .map(|k| {
            k.then(|| {
                next += 1;
                next - 1
            })
        })
        .collect();
    let job = Job {
        label,
        kind,
        data: Cow::Owned(ratings.combined.restrict(&map)),
        pick: Pick::Whole,
        statistics: statistics(&spec.measures, ratings.combined.coders, false),
    };
    Family {
        clusters: Cow::Owned(clusters),
        unitized: unitized.map(|u| Cow::Owned(u.restrict(&pieces))),
        documents: keep.iter().filter(|k| **k).count(),
        jobs: vec![job],
    }
}

/// The document groups of a grouping: per document, or per value of a case attribute (documents of cases
/// without a value go to "(no value)"; a document of several cases may be in several groups).
fn groups(
    project: &Project,
    by: &Grouping,
    documents: &[DocumentId],
) -> Result<Vec<(String, RowKind, Vec<bool>)>, AgreementError> {
    let name = match by {
        Grouping::Code => return Ok(Vec::new()),
        Grouping::Document => {
            return Ok(documents
                .iter()
                .enumerate()
                .map(|(i, id)| {
                    let mut keep = vec![false; documents.len()];
                    keep[i] = true;
                    let label = project
                        .documents()
                        .get(id)
                        .map_or_else(|| id.to_string(), |d| d.name.clone());
                    (label, RowKind::Document(*id), keep)
                })
                .collect());
        }
        Grouping::Attribute(name) => name,
    };
    let def =
        attribute_def(project, name).map_err(|_| AgreementError::UnknownAttribute(name.clone()))?;
    const NONE: &str = "(no value)";
    let mut by_value: BTreeMap<String, (String, Vec<bool>)> = BTreeMap::new();
    for (i, doc) in documents.iter().enumerate() {
        let mut labels: Vec<String> = project
            .cases_of(*doc)
            .iter()
            .filter_map(|case| case.attributes.get(&def.name))
            .map(|value| value.to_string().trim().to_string())
            .filter(|label| !label.is_empty())
            .collect();
        if labels.is_empty() {
            labels.push(NONE.to_string());
        }
        for label in labels {
            let entry = by_value
                .entry(label.to_lowercase())
                .or_insert_with(|| (label, vec![false; documents.len()]));
            entry.1[i] = true;
        }
    }
    let mut list: Vec<(String, Vec<bool>)> = by_value.into_values().collect();
    list.sort_by(|a, b| {
        (a.0 == NONE)
            .cmp(&(b.0 == NONE))
            .then_with(|| crate::collate::compare(&a.0, &b.0))
    });
    Ok(list
        .into_iter()
        .map(|(label, keep)| (label.clone(), RowKind::Group(label), keep))
        .collect())
}
