//! An agreement report: rows of estimates (value, reason when undefined, bootstrap interval) and its table view.

use serde::Serialize;

use super::bootstrap::Interval;
use super::error::{Coefficient, Undefined};
use super::spec::{AgreementSpec, Grouping, Statistic};
use crate::analysis::table::{Cell, Table};
use crate::ids::{CodeId, CoderId, DocumentId};

/// A coder as reports name them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CoderRef {
    /// The coder's id.
    pub id: CoderId,
    /// The coder's name.
    pub name: String,
}

/// One coefficient of one row.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Estimate {
    /// Which coefficient this is.
    pub statistic: Statistic,
    /// The coefficient; `None` when it is undefined (see `undefined`).
    pub value: Option<f64>,
    /// Why the coefficient has no value, when `value` is `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub undefined: Option<Undefined>,
    /// The bootstrap 95% percentile interval and shares of draws below 0.667 and 0.8.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<Interval>,
    /// Why there is no interval although the bootstrap ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval_undefined: Option<Undefined>,
}

impl Estimate {
    pub(crate) fn new(statistic: Statistic, value: Coefficient) -> Self {
        Self {
            statistic,
            value: value.ok(),
            undefined: value.err(),
            interval: None,
            interval_undefined: None,
        }
    }

    /// The value or the reason there is none.
    pub fn coefficient(&self) -> Coefficient {
        match (self.value, self.undefined) {
            (Some(value), _) => Ok(value),
            (None, reason) => Err(reason.unwrap_or(Undefined::NoVariation)),
        }
    }
}

/// What a row stands for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum RowKind {
    /// The codings of one code (with its sub-codes when the report includes them).
    Code(CodeId),
    /// One document.
    Document(DocumentId),
    /// A value of the grouping attribute.
    Group(String),
    /// Every compared code and document together; the last row of every report.
    Overall,
}

/// One row of a report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AgreementRow {
    /// The row's heading: a code path, a document name, an attribute value or "Overall".
    pub label: String,
    /// What the row stands for, by id.
    pub kind: RowKind,
    /// Units compared (characters for character units).
    pub units: u64,
    /// Units each coder coded (in the report's coder order).
    pub coded: Vec<u64>,
    /// Documents behind the row.
    pub documents: usize,
    /// The coefficients asked for, in [`Statistic::ALL`] order.
    pub estimates: Vec<Estimate>,
}

impl AgreementRow {
    /// The estimate of one coefficient, if the report computed it.
    pub fn estimate(&self, statistic: Statistic) -> Option<&Estimate> {
        self.estimates.iter().find(|e| e.statistic == statistic)
    }

    /// The value of a coefficient, if it was computed and is defined.
    pub fn value(&self, statistic: Statistic) -> Option<f64> {
        self.estimate(statistic).and_then(|e| e.value)
    }
}

/// A computed agreement report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Agreement {
    /// The options the report was made with, as given.
    pub spec: AgreementSpec,
    /// The coders compared, in the order of each row's `coded` counts.
    pub coders: Vec<CoderRef>,
    /// The documents compared, in name order.
    pub documents: Vec<DocumentId>,
    /// The grouped rows, then the overall row.
    pub rows: Vec<AgreementRow>,
}

impl Agreement {
    /// The overall row (every compared document and code).
    pub fn overall(&self) -> Option<&AgreementRow> {
        self.rows.iter().find(|r| r.kind == RowKind::Overall)
    }

    /// A row by its label (case-insensitive).
    pub fn row(&self, label: &str) -> Option<&AgreementRow> {
        let lower = label.trim().to_lowercase();
        self.rows.iter().find(|r| r.label.to_lowercase() == lower)
    }

    /// The statistics shown, in column order (those computed for some row).
    pub fn statistics(&self) -> Vec<Statistic> {
        Statistic::ALL
            .into_iter()
            .filter(|s| self.rows.iter().any(|r| r.estimate(*s).is_some()))
            .collect()
    }

    /// The report as a table: label, units, units coded by each coder, then each coefficient with its
    /// interval (and, for the α family, the shares of draws below 0.667 and 0.8). Undefined values are empty
    /// cells; JSON output gives their reasons.
    pub fn to_table(&self) -> Table {
        let first = match &self.spec.by {
            Grouping::Code => "Code".to_string(),
            Grouping::Document => "Document".to_string(),
            Grouping::Attribute(name) => name.clone(),
        };
        let mut header = vec![first, self.spec.unit.plural().to_string()];
        header.extend(self.coders.iter().map(|c| format!("Coded by {}", c.name)));
        let bootstrap = self.spec.bootstrap > 0;
        for statistic in self.statistics() {
            let label = statistic.label();
            header.push(label.to_string());
            if bootstrap {
                header.push(format!("{label} 2.5%"));
                header.push(format!("{label} 97.5%"));
                if statistic.is_alpha() {
                    header.push(format!("P({label} < 0.667)"));
                    header.push(format!("P({label} < 0.8)"));
                }
            }
        }
        let mut table = Table::new("Intercoder agreement", header);
        table.decimals = 3;
        for row in &self.rows {
            table.rows.push(self.table_row(row, bootstrap));
        }
        table
    }

    fn table_row(&self, row: &AgreementRow, bootstrap: bool) -> Vec<Cell> {
        let number = |x: Option<f64>| x.map_or(Cell::Empty, Cell::Number);
        let mut cells = vec![Cell::from(row.label.as_str()), Cell::Count(row.units)];
        cells.extend(row.coded.iter().map(|n| Cell::Count(*n)));
        for statistic in self.statistics() {
            let estimate = row.estimate(statistic);
            let interval = estimate.and_then(|e| e.interval.as_ref());
            cells.push(number(estimate.and_then(|e| e.value)));
            if bootstrap {
                cells.push(number(interval.map(|i| i.low)));
                cells.push(number(interval.map(|i| i.high)));
                if statistic.is_alpha() {
                    cells.push(number(interval.map(|i| i.below_tentative)));
                    cells.push(number(interval.map(|i| i.below_customary)));
                }
            }
        }
        cells
    }
}
