//! After a disagreement review: the compared coders' layers with each reviewed stretch replaced by what the
//! consensus coder decided there, so a report can show agreement before and after the review.

use crate::edit::{Edit, EditError, Entity, EntityKey};
use crate::ids::{CodeId, CoderId, CodingId, DocumentId};
use crate::model::{Coding, Project};
use crate::offsets::CharRange;

/// A stretch a reviewer decided on (skipped stretches are not reviewed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reviewed {
    /// The document of the stretch.
    pub document: DocumentId,
    /// The code the coders disagreed on.
    pub code: CodeId,
    /// The disagreeing stretch.
    pub stretch: CharRange,
}

/// A copy of the project in which, inside every reviewed stretch, each compared coder coded exactly what the
/// consensus coder coded there (outside the stretches nothing changes). Computing agreement on it gives the
/// agreement "after" the review.
pub fn after_review(
    project: &Project,
    coders: &[CoderId],
    consensus: CoderId,
    reviewed: &[Reviewed],
) -> Result<Project, EditError> {
    let mut after = project.clone();
    for r in reviewed {
        let decided: Vec<CharRange> = after
            .codings()
            .values()
            .filter(|c| c.document == r.document && c.code == r.code && c.coder == consensus)
            .map(|c| clip(c.range, r.stretch))
            .filter(|p| !p.is_empty())
            .collect();
        for coder in coders {
            let overlapping: Vec<Coding> = after
                .codings()
                .values()
                .filter(|c| c.document == r.document && c.code == r.code && c.coder == *coder)
                .filter(|c| c.range.start < r.stretch.end && r.stretch.start < c.range.end)
                .cloned()
                .collect();
            for coding in overlapping {
                after.apply(Edit::Delete(EntityKey::Coding(coding.id)))?;
                let left = CharRange::new(coding.range.start, r.stretch.start);
                let right = CharRange::new(r.stretch.end, coding.range.end);
                for part in [left, right].into_iter().filter(|p| !p.is_empty()) {
                    put(&mut after, &coding, *coder, part)?;
                }
            }
            if let Some(template) = project.codings().values().find(|c| c.coder == consensus) {
                for part in &decided {
                    let mut coding = template.clone();
                    coding.document = r.document;
                    coding.code = r.code;
                    put(&mut after, &coding, *coder, *part)?;
                }
            }
        }
    }
    Ok(after)
}

fn clip(range: CharRange, to: CharRange) -> CharRange {
    CharRange::new(range.start.max(to.start), range.end.min(to.end))
}

fn put(
    project: &mut Project,
    like: &Coding,
    coder: CoderId,
    range: CharRange,
) -> Result<(), EditError> {
    let coding = Coding {
        id: CodingId::new(),
        coder,
        range,
        memo: None,
        ..like.clone()
    };
    project.apply(Edit::Put(Entity::Coding(coding)))?;
    Ok(())
}
