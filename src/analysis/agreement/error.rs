//! Why an agreement report cannot be made ([`AgreementError`]) and why one coefficient has no value ([`Undefined`]).

use serde::Serialize;

/// The request cannot be answered: every variant names what is missing or wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AgreementError {
    /// Agreement compares at least two coders.
    #[error("agreement needs at least two coders, {given} given")]
    TooFewCoders {
        /// How many coders were named (or, when none were, how many the project has).
        given: usize,
    },
    /// The same coder was named twice.
    #[error("coder '{0}' is named twice")]
    DuplicateCoder(String),
    /// A coder name or id that is not in the project.
    #[error("no coder named '{0}'")]
    UnknownCoder(String),
    /// A code name, path or id that is not in the codebook.
    #[error("no code '{0}' in the codebook")]
    UnknownCode(String),
    /// A document name or id that is not in the project.
    #[error("no document named '{0}'")]
    UnknownDocument(String),
    /// `attr:NAME` names no attribute.
    #[error("no attribute named '{0}'")]
    UnknownAttribute(String),
    /// A code chosen for comparison that none of the compared coders applied in the compared documents.
    #[error("code '{code}' has no codings by the compared coders in the compared documents")]
    CodeNotCoded {
        /// The code's path in the codebook.
        code: String,
    },
    /// None of the compared coders coded anything in the compared documents.
    #[error("the compared coders have no codings in the compared documents")]
    NothingCoded,
    /// No document was coded (at least once) by every compared coder, or the chosen set is empty.
    #[error("no document is coded by every compared coder ({coders}); choose documents explicitly")]
    NoCommonDocuments {
        /// The compared coders' names, separated by commas.
        coders: String,
    },
    /// An option outside its range (an overlap share outside (0, 1], an unknown unit or measure name).
    #[error("{0}")]
    InvalidOption(String),
}

impl From<AgreementError> for crate::error::Error {
    fn from(error: AgreementError) -> Self {
        use crate::error::Error;
        match error {
            AgreementError::UnknownCoder(name) => Error::not_found("coder", name),
            AgreementError::UnknownCode(name) => Error::not_found("code", name),
            AgreementError::UnknownDocument(name) => Error::not_found("document", name),
            AgreementError::UnknownAttribute(name) => Error::not_found("attribute", name),
            other => Error::invalid("agreement", other.to_string()),
        }
    }
}

/// Why a coefficient (or its confidence interval) has no value. Never NaN: a value is either a number or one
/// of these reasons.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum Undefined {
    /// Every value is the same (or chance agreement is perfect): expected disagreement is 0, so the
    /// chance-corrected coefficient is 0 / 0.
    #[error("no variation: expected disagreement is 0")]
    NoVariation,
    /// Cohen's κ compares exactly two coders (use Fleiss' κ or α for more).
    #[error("Cohen's κ needs exactly two coders")]
    NotTwoCoders,
    /// No unit is rated by two coders (or no text is coded by two coders, for cuα).
    #[error("no pairable values")]
    NoPairableValues,
    /// Fleiss' κ needs every unit rated by every coder.
    #[error("Fleiss' κ needs every unit rated by every coder")]
    MissingRatings,
    /// The bootstrap resamples documents (or units); there must be at least two.
    #[error("too few documents or units to resample")]
    TooFewToResample,
    /// Every bootstrap draw was undefined.
    #[error("every bootstrap draw was undefined")]
    NoDefinedDraws,
}

/// A coefficient's value or the reason it has none.
pub type Coefficient = Result<f64, Undefined>;

/// Keeps finite numbers; anything else (a division that slipped through) becomes [`Undefined::NoVariation`].
pub(crate) fn finite(value: f64) -> Coefficient {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(Undefined::NoVariation)
    }
}
