//! The hierarchical codebook: codes with colours, descriptions, a parent and an order among siblings.

use serde::{Deserialize, Serialize};

use crate::ids::CodeId;

/// One code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Code {
    /// The code's stable id.
    pub id: CodeId,
    /// The code's name: not empty, without `/`, and unique among its siblings regardless of upper or lower case.
    pub name: String,
    /// `#rrggbb`.
    pub colour: String,
    /// What the code means and when to apply it; empty when none was written.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The code this one sits under; `None` at the top of the codebook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<CodeId>,
    /// Position among siblings; lower first.
    pub order: i64,
}

/// Separator between levels in a code path (`Barriers/Resource shortage`).
pub const PATH_SEPARATOR: char = '/';

/// A readable default palette (ColorBrewer/Tableau-like), chosen so neighbours differ.
pub const PALETTE: [&str; 12] = [
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
    "#bcbd22", "#393b79", "#ad494a", "#637939",
];

/// Checks that a colour is `#rrggbb`.
pub fn is_valid_colour(colour: &str) -> bool {
    colour.len() == 7
        && colour.starts_with('#')
        && colour[1..].chars().all(|c| c.is_ascii_hexdigit())
}

/// Parses `#rrggbb` into bytes.
pub fn colour_rgb(colour: &str) -> Option<[u8; 3]> {
    if !is_valid_colour(colour) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&colour[i..i + 2], 16).ok();
    Some([byte(1)?, byte(3)?, byte(5)?])
}
