//! What an agreement report compares: coders, codes, documents, units, grouping, coefficients, bootstrap.

use serde::{Deserialize, Serialize};

use super::bootstrap::{DEFAULT_DRAWS, DEFAULT_SEED};
use super::error::AgreementError;
use super::units::UnitKind;
use crate::ids::{CodeId, CoderId, DocumentId};
use crate::model::Project;

/// What the rows of a report are (an overall row always follows them).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grouping {
    /// One row per compared code.
    #[default]
    Code,
    /// One row per compared document.
    Document,
    /// One row per value of a case attribute (`attr:NAME`): the documents of the cases with that value.
    Attribute(String),
}

impl Grouping {
    /// Parses `code`, `document` or `attr:NAME`.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        if let Some(name) = text.strip_prefix("attr:") {
            let name = name.trim();
            return (!name.is_empty()).then(|| Self::Attribute(name.to_string()));
        }
        match text.to_lowercase().trim_end_matches('s') {
            "code" => Some(Self::Code),
            "document" | "doc" => Some(Self::Document),
            _ => None,
        }
    }
}

/// Families of coefficients a report can show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Percentage agreement.
    Percent,
    /// Cohen's κ (two coders), Fleiss' κ and Brennan–Prediger κ.
    Kappa,
    /// Krippendorff's α: binary for a code, nominal over sets of codes for a row spanning codes.
    Alpha,
    /// Krippendorff's unitized α family: uα (and (k)uα per code), |uα, cuα.
    UAlpha,
}

impl Measure {
    /// Every measure, in the order reports show their coefficients.
    pub const ALL: [Measure; 4] = [Self::Percent, Self::Kappa, Self::Alpha, Self::UAlpha];
    /// What a report shows unless asked otherwise.
    pub const DEFAULT: [Measure; 3] = [Self::Percent, Self::Kappa, Self::Alpha];

    /// The name of the measure on the command line and in JSON (`percent`, `kappa`, `alpha`, `ualpha`).
    pub fn keyword(self) -> &'static str {
        match self {
            Self::Percent => "percent",
            Self::Kappa => "kappa",
            Self::Alpha => "alpha",
            Self::UAlpha => "ualpha",
        }
    }

    /// Parses a measure name or symbol (`percent`, `kappa`, `κ`, `alpha`, `α`, `ualpha`, `uα`), ignoring case.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_lowercase().as_str() {
            "percent" | "percentage" | "%" | "agreement" => Some(Self::Percent),
            "kappa" | "κ" => Some(Self::Kappa),
            "alpha" | "α" => Some(Self::Alpha),
            "ualpha" | "uα" | "unitized" => Some(Self::UAlpha),
            _ => None,
        }
    }

    /// Parses a comma-separated list (`percent,kappa,alpha,ualpha`).
    pub fn parse_list(text: &str) -> Result<Vec<Self>, AgreementError> {
        let mut out = Vec::new();
        for part in text.split(',').filter(|p| !p.trim().is_empty()) {
            let measure = Self::parse(part).ok_or_else(|| {
                AgreementError::InvalidOption(format!(
                    "unknown measure '{}' (use percent, kappa, alpha or ualpha)",
                    part.trim()
                ))
            })?;
            if !out.contains(&measure) {
                out.push(measure);
            }
        }
        Ok(out)
    }
}

/// One reported coefficient.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Statistic {
    /// Percentage agreement: the share of pairs of coders rating a unit who gave it the same value.
    Percent,
    /// Cohen's κ: agreement between exactly two coders, corrected by each coder's own category distribution.
    CohenKappa,
    /// Fleiss' κ: agreement among any number of coders who all rated every unit, corrected by the pooled
    /// category distribution.
    FleissKappa,
    /// Brennan–Prediger κ: agreement corrected for chance as if every category were equally likely.
    BrennanPrediger,
    /// Krippendorff's α on the units: binary for a code row, nominal over sets of codes for a row spanning codes.
    Alpha,
    /// uα; for a code row the same as (k)uα of that code.
    UAlpha,
    /// |uα: coded versus uncoded text, codes taken together.
    BinaryUAlpha,
    /// cuα: the codes of text two coders both coded.
    CodingUAlpha,
}

impl Statistic {
    /// Every coefficient, in the order report columns show them.
    pub const ALL: [Statistic; 8] = [
        Self::Percent,
        Self::CohenKappa,
        Self::FleissKappa,
        Self::BrennanPrediger,
        Self::Alpha,
        Self::UAlpha,
        Self::BinaryUAlpha,
        Self::CodingUAlpha,
    ];

    /// A column header.
    pub fn label(self) -> &'static str {
        match self {
            Self::Percent => "Agreement",
            Self::CohenKappa => "Cohen κ",
            Self::FleissKappa => "Fleiss κ",
            Self::BrennanPrediger => "Brennan–Prediger κ",
            Self::Alpha => "α",
            Self::UAlpha => "uα",
            Self::BinaryUAlpha => "|uα",
            Self::CodingUAlpha => "cuα",
        }
    }

    /// The family this coefficient belongs to, which decides whether a report computes it.
    pub fn measure(self) -> Measure {
        match self {
            Self::Percent => Measure::Percent,
            Self::CohenKappa | Self::FleissKappa | Self::BrennanPrediger => Measure::Kappa,
            Self::Alpha => Measure::Alpha,
            Self::UAlpha | Self::BinaryUAlpha | Self::CodingUAlpha => Measure::UAlpha,
        }
    }

    /// Unitized coefficients are computed on the text as a continuum, the others on units.
    pub fn is_unitized(self) -> bool {
        self.measure() == Measure::UAlpha
    }

    /// Krippendorff's thresholds (0.667, 0.8) are stated for α; reports show the share of draws below them
    /// for the α family.
    pub fn is_alpha(self) -> bool {
        matches!(self, Self::Alpha) || self.is_unitized()
    }
}

/// Everything that defines an agreement report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgreementSpec {
    /// The coders compared (at least two); empty means every coder of the project.
    pub coders: Vec<CoderId>,
    /// The codes compared, in this order; empty means every code some compared coder applied.
    pub codes: Vec<CodeId>,
    /// A code also stands for its sub-codes (their codings count as the code's).
    pub include_subcodes: bool,
    /// The documents compared; `None` means those every compared coder coded at least once.
    pub documents: Option<Vec<DocumentId>>,
    /// What counts as one unit of text.
    pub unit: UnitKind,
    /// With turn, paragraph or sentence units: the share of a unit a coder's codings must cover for the unit to
    /// count as coded by them, in (0, 1]; `None` means any overlap.
    pub min_overlap: Option<f64>,
    /// Leave out units nobody coded with any compared code (unitized α always looks at the whole text).
    pub coded_only: bool,
    /// What each row of the report stands for.
    pub by: Grouping,
    /// The coefficient families to compute.
    pub measures: Vec<Measure>,
    /// Bootstrap draws for confidence intervals (0: none).
    pub bootstrap: usize,
    /// The seed of the bootstrap's generator, so a report can be reproduced exactly.
    pub seed: u64,
}

impl Default for AgreementSpec {
    fn default() -> Self {
        Self {
            coders: Vec::new(),
            codes: Vec::new(),
            include_subcodes: false,
            documents: None,
            unit: UnitKind::Character,
            min_overlap: None,
            coded_only: false,
            by: Grouping::Code,
            measures: Measure::DEFAULT.to_vec(),
            bootstrap: DEFAULT_DRAWS,
            seed: DEFAULT_SEED,
        }
    }
}

/// Resolves coder names (or ids) against a project.
pub fn find_coders(project: &Project, names: &[String]) -> Result<Vec<CoderId>, AgreementError> {
    names
        .iter()
        .map(|name| {
            project
                .find_coder(name)
                .map(|c| c.id)
                .ok_or_else(|| AgreementError::UnknownCoder(name.trim().to_string()))
        })
        .collect()
}

/// Resolves code paths, names or ids against a project.
pub fn find_codes(project: &Project, names: &[String]) -> Result<Vec<CodeId>, AgreementError> {
    names
        .iter()
        .map(|name| {
            project
                .find_code(name)
                .map(|c| c.id)
                .ok_or_else(|| AgreementError::UnknownCode(name.trim().to_string()))
        })
        .collect()
}

/// Resolves document names (or ids) against a project.
pub fn find_documents(
    project: &Project,
    names: &[String],
) -> Result<Vec<DocumentId>, AgreementError> {
    names
        .iter()
        .map(|name| {
            project
                .find_document(name)
                .map(|d| d.id)
                .ok_or_else(|| AgreementError::UnknownDocument(name.trim().to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_parse() {
        assert_eq!(Grouping::parse("codes"), Some(Grouping::Code));
        assert_eq!(
            Grouping::parse("attr: group"),
            Some(Grouping::Attribute("group".into()))
        );
        assert_eq!(Grouping::parse("attr:"), None);
        assert_eq!(
            Measure::parse_list("percent, kappa,alpha,ualpha,kappa"),
            Ok(Measure::ALL.to_vec())
        );
        assert!(matches!(
            Measure::parse_list("percent,gamma"),
            Err(AgreementError::InvalidOption(_))
        ));
        for measure in Measure::ALL {
            assert_eq!(Measure::parse(measure.keyword()), Some(measure));
        }
        assert!(Statistic::ALL.iter().filter(|s| s.is_unitized()).count() == 3);
    }
}
