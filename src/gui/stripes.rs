//! Coding stripes: one bar per coding in the viewer's margin, stacked in lanes where codings overlap, each with
//! the label drawn beside it when the margin has room (the code's name, and the coder's initials when several
//! coders coded the document).

use egui::Color32;

use crate::gui::theme;
use crate::ids::{CodeId, CodingId, DocumentId};
use crate::model::Project;
use crate::offsets::CharRange;

/// Most lanes drawn side by side; deeper overlaps share the last lane.
pub const MAX_LANES: usize = 10;
/// Width of one bar, in points.
pub const BAR_WIDTH: f32 = 4.0;
/// Gap between lanes.
pub const BAR_GAP: f32 = 2.0;
/// Width of the column of code names left of the stripes, when the margin has room for it.
pub const NAME_WIDTH: f32 = 130.0;

/// One coding as a bar.
#[derive(Clone, Debug)]
pub struct Bar {
    pub coding: CodingId,
    pub code: CodeId,
    pub range: CharRange,
    pub lane: usize,
    /// What is written beside the bar: the code's name, with the coder's initials when several coders coded
    /// this document.
    pub label: String,
    /// Colour in the light and the dark theme.
    pub colours: [Color32; 2],
    /// Highlight fill in the light and the dark theme.
    pub fills: [Color32; 2],
}

impl Bar {
    pub fn colour(&self, dark: bool) -> Color32 {
        self.colours[usize::from(dark)]
    }

    pub fn fill(&self, dark: bool) -> Color32 {
        self.fills[usize::from(dark)]
    }
}

/// The bars of one document at one project revision, and which bars touch each display unit.
#[derive(Debug)]
pub struct StripeIndex {
    pub document: DocumentId,
    pub revision: u64,
    pub bars: Vec<Bar>,
    /// For each unit (same order as the viewer's units), indices into `bars`.
    pub per_unit: Vec<Vec<usize>>,
    /// Lanes in use (at most [`MAX_LANES`]).
    pub lanes: usize,
}

impl StripeIndex {
    /// Assigns lanes (greedy interval colouring, longest first at equal starts) and buckets bars by unit.
    pub fn build(
        project: &Project,
        document: DocumentId,
        revision: u64,
        units: &[CharRange],
        coders: &crate::coders::CoderSelection,
    ) -> Self {
        let mut codings = project.codings_in(document);
        codings.retain(|c| coders.contains(c.coder));
        let coders: std::collections::BTreeSet<_> = codings.iter().map(|c| c.coder).collect();
        let several = coders.len() > 1;
        codings.sort_by_key(|c| (c.range.start, std::cmp::Reverse(c.range.end), c.id));
        let mut lane_ends: Vec<usize> = Vec::new();
        let mut bars = Vec::with_capacity(codings.len());
        for coding in codings {
            let lane = match lane_ends.iter().position(|end| *end <= coding.range.start) {
                Some(lane) => lane,
                None if lane_ends.len() < MAX_LANES => {
                    lane_ends.push(0);
                    lane_ends.len() - 1
                }
                None => MAX_LANES - 1,
            };
            lane_ends[lane] = lane_ends[lane].max(coding.range.end);
            let code = project.codes().get(&coding.code);
            let hex = code.map(|c| c.colour.as_str()).unwrap_or("#808080");
            let name = code.map(|c| c.name.as_str()).unwrap_or("?");
            let label = if several {
                let coder = project
                    .coders()
                    .get(&coding.coder)
                    .map_or("?", |k| k.name.as_str());
                format!("{name} · {}", initials(coder))
            } else {
                name.to_string()
            };
            bars.push(Bar {
                coding: coding.id,
                code: coding.code,
                range: coding.range,
                lane,
                label,
                colours: [
                    theme::code_colour(hex, false),
                    theme::code_colour(hex, true),
                ],
                fills: [theme::code_fill(hex, false), theme::code_fill(hex, true)],
            });
        }
        let mut per_unit = vec![Vec::new(); units.len()];
        for (i, bar) in bars.iter().enumerate() {
            let first = units.partition_point(|u| u.end <= bar.range.start);
            for (unit, slot) in units.iter().zip(per_unit.iter_mut()).skip(first) {
                if unit.start >= bar.range.end {
                    break;
                }
                slot.push(i);
            }
        }
        Self {
            document,
            revision,
            bars,
            per_unit,
            lanes: lane_ends.len(),
        }
    }

    /// Width of the stripe margin.
    pub fn margin_width(&self) -> f32 {
        self.lanes.max(1) as f32 * (BAR_WIDTH + BAR_GAP)
    }
}

/// A coder's initials ("Ingrid Nilsen" → "IN", "kari.berg" → "KB"), at most three letters.
pub fn initials(name: &str) -> String {
    let letters: String = name
        .split(|c: char| !c.is_alphanumeric())
        .filter_map(|part| part.chars().next())
        .flat_map(char::to_uppercase)
        .take(3)
        .collect();
    if letters.is_empty() {
        "?".into()
    } else {
        letters
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_of_coder_names() {
        assert_eq!(initials("Ingrid Nilsen"), "IN");
        assert_eq!(initials("kari.berg"), "KB");
        assert_eq!(initials("Øystein"), "Ø");
        assert_eq!(initials("   "), "?");
    }

    #[test]
    fn margin_grows_with_lanes() {
        let index = StripeIndex {
            document: DocumentId::new(),
            revision: 0,
            bars: Vec::new(),
            per_unit: Vec::new(),
            lanes: 3,
        };
        assert!((index.margin_width() - 18.0).abs() < f32::EPSILON);
    }
}
