//! Coders as layers: which coders' codings a read path looks at (one, several or all), resolved from names.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::ids::CoderId;
use crate::model::Project;

/// Whose codings a read (excerpts, search, matrix, co-occurrence, coding query, words, exports) looks at.
///
/// `All` is the default. `Only` with an empty set selects nobody, so nothing coded is visible (the workbench
/// uses it when every layer is hidden).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CoderSelection {
    /// Every coder's codings.
    #[default]
    All,
    /// Only the codings of these coders.
    Only(BTreeSet<CoderId>),
}

impl CoderSelection {
    /// One coder's layer.
    pub fn one(coder: CoderId) -> Self {
        Self::Only(BTreeSet::from([coder]))
    }

    /// Several coders' layers; an empty list means every coder (as command-line filters read it).
    pub fn several(coders: impl IntoIterator<Item = CoderId>) -> Self {
        let set: BTreeSet<CoderId> = coders.into_iter().collect();
        if set.is_empty() {
            Self::All
        } else {
            Self::Only(set)
        }
    }

    /// True when codings by this coder are selected.
    pub fn contains(&self, coder: CoderId) -> bool {
        match self {
            Self::All => true,
            Self::Only(set) => set.contains(&coder),
        }
    }

    /// True for [`CoderSelection::All`].
    pub fn is_all(&self) -> bool {
        matches!(self, Self::All)
    }

    /// Resolves names (or ids) given by a user: an empty list is every coder; an unknown name is an error
    /// naming it and the coders the project has.
    pub fn from_names(project: &Project, names: &[String]) -> Result<Self> {
        let mut set = BTreeSet::new();
        for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
            let coder = project
                .find_coder(name)
                .ok_or_else(|| unknown_coder(project, name))?;
            set.insert(coder.id);
        }
        Ok(if set.is_empty() {
            Self::All
        } else {
            Self::Only(set)
        })
    }

    /// Splits a comma-separated list of names (`"Ingrid Solberg,Tobias Lunde"`) and resolves it.
    pub fn parse(project: &Project, list: &str) -> Result<Self> {
        let names: Vec<String> = list.split(',').map(|n| n.trim().to_string()).collect();
        Self::from_names(project, &names)
    }

    /// The names of the selected coders, sorted; every coder's for `All`.
    pub fn names(&self, project: &Project) -> Vec<String> {
        let mut names: Vec<String> = project
            .coders()
            .values()
            .filter(|c| self.contains(c.id))
            .map(|c| c.name.clone())
            .collect();
        names.sort_by(|a, b| crate::collate::compare(a, b));
        names
    }

    /// "all coders", or the names joined with ", " (for report descriptions and titles).
    pub fn describe(&self, project: &Project) -> String {
        if self.is_all() {
            "all coders".to_string()
        } else {
            let names = self.names(project);
            if names.is_empty() {
                "no coder".to_string()
            } else {
                names.join(", ")
            }
        }
    }
}

/// Colours of coder layers, in the order coders are listed (by name), for coders without a colour of their own;
/// repeats after eight coders.
pub const LAYER_PALETTE: [&str; 8] = [
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
];

/// A coder's layer colour (`#rrggbb`): the coder's own when set, else the palette's by the coder's place among
/// the project's coders sorted by name.
pub fn layer_colour(project: &Project, coder: CoderId) -> String {
    if let Some(colour) = project.coders().get(&coder).and_then(|c| c.colour.clone()) {
        return colour;
    }
    let mut coders: Vec<_> = project.coders().values().collect();
    coders.sort_by(|a, b| crate::collate::compare(&a.name, &b.name));
    let index = coders.iter().position(|c| c.id == coder).unwrap_or(0);
    LAYER_PALETTE[index % LAYER_PALETTE.len()].to_string()
}

/// The error for a coder name the project does not have, listing the ones it has.
pub fn unknown_coder(project: &Project, name: &str) -> Error {
    let mut known: Vec<&str> = project.coders().values().map(|c| c.name.as_str()).collect();
    known.sort_by(|a, b| crate::collate::compare(a, b));
    Error::UnknownCoder {
        name: name.trim().to_string(),
        known: if known.is_empty() {
            "none yet".to_string()
        } else {
            known.join(", ")
        },
    }
}

impl FromIterator<CoderId> for CoderSelection {
    /// Collects coders into a selection; none collected means every coder (as [`CoderSelection::several`]).
    fn from_iter<I: IntoIterator<Item = CoderId>>(iter: I) -> Self {
        Self::several(iter)
    }
}
