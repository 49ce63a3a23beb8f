//! A draft of one action: the edits built so far, and a view of the project that already sees them.
//!
//! Operations that create what they need (a code path, a coder, a case, an attribute) ask the draft, not the
//! project, so a second step sees what the first one added — without cloning the project as scratch space.

use std::collections::BTreeMap;

use crate::edit::{Edit, EditError, Entity, EntityKey};
use crate::ids::{CaseId, CodeId, CoderId, SetId};
use crate::model::{AttributeDef, Case, Code, Coder, DocumentSet, PALETTE, Project};

/// Squared RGB distance from which two code colours count as clearly different (beyond it, using the least-used
/// colour matters more than being farther still).
const DISTINCT: i32 = 120 * 120;

/// Pending edits over a project, with an overlay of the small entities they put or delete.
#[derive(Debug)]
pub struct Draft<'p> {
    project: &'p Project,
    edits: Vec<Edit>,
    codes: BTreeMap<CodeId, Option<Code>>,
    coders: BTreeMap<CoderId, Option<Coder>>,
    cases: BTreeMap<CaseId, Option<Case>>,
    attributes: BTreeMap<String, Option<AttributeDef>>,
    sets: BTreeMap<SetId, Option<DocumentSet>>,
}

/// Looks an id up in an overlay first, then in the project.
fn layered<'a, K: Ord, V>(
    overlay: &'a BTreeMap<K, Option<V>>,
    base: &'a BTreeMap<K, V>,
    key: &K,
) -> Option<&'a V> {
    match overlay.get(key) {
        Some(pending) => pending.as_ref(),
        None => base.get(key),
    }
}

/// Every value of an overlaid map: the project's, replaced or removed by the overlay, then the new ones.
fn all<'a, K: Ord, V>(
    overlay: &'a BTreeMap<K, Option<V>>,
    base: &'a BTreeMap<K, V>,
) -> impl Iterator<Item = &'a V> {
    base.iter()
        .filter(|(k, _)| !overlay.contains_key(k))
        .map(|(_, v)| v)
        .chain(overlay.values().flatten())
}

impl<'p> Draft<'p> {
    /// An empty draft over `project`.
    pub fn new(project: &'p Project) -> Self {
        Self {
            project,
            edits: Vec::new(),
            codes: BTreeMap::new(),
            coders: BTreeMap::new(),
            cases: BTreeMap::new(),
            attributes: BTreeMap::new(),
            sets: BTreeMap::new(),
        }
    }

    /// The project the draft is built against (without the pending edits).
    pub fn project(&self) -> &'p Project {
        self.project
    }

    /// True when nothing has been added yet.
    pub fn is_empty(&self) -> bool {
        self.edits.is_empty()
    }

    /// Adds an edit (a batch is looked into, so later steps see what it puts or deletes).
    pub fn push(&mut self, edit: Edit) {
        self.observe(&edit);
        self.edits.push(edit);
    }

    /// Puts an entity.
    pub fn put(&mut self, entity: Entity) {
        self.push(Edit::Put(entity));
    }

    /// Deletes an entity.
    pub fn delete(&mut self, key: EntityKey) {
        self.push(Edit::Delete(key));
    }

    fn observe(&mut self, edit: &Edit) {
        match edit {
            Edit::Batch { edits, .. } => edits.iter().for_each(|e| self.observe(e)),
            Edit::Put(entity) => match entity {
                Entity::Code(c) => drop(self.codes.insert(c.id, Some(c.clone()))),
                Entity::Coder(c) => drop(self.coders.insert(c.id, Some(c.clone()))),
                Entity::Case(c) => drop(self.cases.insert(c.id, Some(c.clone()))),
                Entity::Attribute(a) => {
                    drop(self.attributes.insert(a.name.clone(), Some(a.clone())))
                }
                Entity::Set(s) => drop(self.sets.insert(s.id, Some(s.clone()))),
                _ => {}
            },
            Edit::Delete(key) => match key {
                EntityKey::Code(id) => drop(self.codes.insert(*id, None)),
                EntityKey::Coder(id) => drop(self.coders.insert(*id, None)),
                EntityKey::Case(id) => drop(self.cases.insert(*id, None)),
                EntityKey::Attribute(name) => drop(self.attributes.insert(name.clone(), None)),
                EntityKey::Set(id) => drop(self.sets.insert(*id, None)),
                _ => {}
            },
        }
    }

    /// The finished action: one edit (a batch unless it holds a single edit).
    pub fn finish(self, label: impl Into<String>) -> Edit {
        Edit::batch(label, self.edits)
    }

    /// The finished action as a batch even when it holds one edit (so its label shows in Undo).
    pub fn finish_labelled(self, label: impl Into<String>) -> Edit {
        Edit::Batch {
            label: label.into(),
            edits: self.edits,
        }
    }

    /// A code, as it will be after the pending edits.
    pub fn code(&self, id: CodeId) -> Option<&Code> {
        layered(&self.codes, self.project.codes(), &id)
    }

    /// Like [`Draft::code`], failing with the code's key when it does not exist.
    pub fn existing_code(&self, id: CodeId) -> Result<&Code, EditError> {
        self.code(id).ok_or(EditError::Missing(EntityKey::Code(id)))
    }

    /// A code's children sorted by order, then name (Norwegian-aware).
    pub fn children(&self, parent: Option<CodeId>) -> Vec<&Code> {
        let mut children: Vec<&Code> = all(&self.codes, self.project.codes())
            .filter(|c| c.parent == parent)
            .collect();
        children.sort_by(|a, b| {
            a.order
                .cmp(&b.order)
                .then_with(|| crate::collate::compare(&a.name, &b.name))
        });
        children
    }

    /// The child of `parent` with this name (case-insensitive).
    pub fn child_named(&self, parent: Option<CodeId>, name: &str) -> Option<&Code> {
        let lower = name.trim().to_lowercase();
        self.children(parent)
            .into_iter()
            .find(|c| c.name.to_lowercase() == lower)
    }

    /// A fresh colour for a new code: the palette entry used least, counting pending codes.
    pub fn next_colour(&self) -> String {
        let mut counts = [0usize; PALETTE.len()];
        for code in all(&self.codes, self.project.codes()) {
            if let Some(i) = PALETTE.iter().position(|p| *p == code.colour) {
                counts[i] += 1;
            }
        }
        let least = (0..PALETTE.len()).min_by_key(|i| counts[*i]).unwrap_or(0);
        PALETTE[least].to_string()
    }

    /// A fresh colour for a new code under `parent`: among the palette entries used least, the one farthest from
    /// the colours of its parent and its siblings-to-be, so sibling sub-codes stay distinguishable.
    pub fn next_colour_for(&self, parent: Option<CodeId>) -> String {
        let mut counts = [0usize; PALETTE.len()];
        for code in all(&self.codes, self.project.codes()) {
            if let Some(i) = PALETTE.iter().position(|p| *p == code.colour) {
                counts[i] += 1;
            }
        }
        let near: Vec<[u8; 3]> = self
            .children(parent)
            .into_iter()
            .chain(parent.and_then(|p| self.code(p)))
            .filter_map(|c| crate::model::colour_rgb(&c.colour))
            .collect();
        let distance = |i: usize| {
            let rgb = crate::model::colour_rgb(PALETTE[i]).unwrap_or([0, 0, 0]);
            near.iter()
                .map(|n| {
                    let d = |a: u8, b: u8| (i32::from(a) - i32::from(b)).pow(2);
                    d(rgb[0], n[0]) + d(rgb[1], n[1]) + d(rgb[2], n[2])
                })
                .min()
                .unwrap_or(i32::MAX)
        };
        let least = counts.iter().copied().min().unwrap_or(0);
        // Colours used a little more than the least are still fine when they differ clearly from the siblings.
        let best = (0..PALETTE.len())
            .filter(|i| counts[*i] <= least + 1)
            .max_by_key(|i| {
                (
                    distance(*i).min(DISTINCT),
                    counts[*i] == least,
                    std::cmp::Reverse(*i),
                )
            })
            .unwrap_or(0);
        PALETTE[best].to_string()
    }

    /// The coder with this name (case-insensitive).
    pub fn coder_named(&self, name: &str) -> Option<&Coder> {
        let lower = name.trim().to_lowercase();
        all(&self.coders, self.project.coders()).find(|c| c.name.to_lowercase() == lower)
    }

    /// A case, as it will be after the pending edits.
    pub fn case(&self, id: CaseId) -> Option<&Case> {
        layered(&self.cases, self.project.cases(), &id)
    }

    /// The case with this name (case-insensitive).
    pub fn case_named(&self, name: &str) -> Option<&Case> {
        let lower = name.trim().to_lowercase();
        all(&self.cases, self.project.cases()).find(|c| c.name.to_lowercase() == lower)
    }

    /// The attribute with this name (exact, else case-insensitive).
    pub fn attribute_named(&self, name: &str) -> Option<&AttributeDef> {
        if let Some(def) = layered(
            &self.attributes,
            self.project.attributes(),
            &name.to_string(),
        ) {
            return Some(def);
        }
        let lower = name.trim().to_lowercase();
        all(&self.attributes, self.project.attributes()).find(|a| a.name.to_lowercase() == lower)
    }

    /// A document set, as it will be after the pending edits.
    pub fn set(&self, id: SetId) -> Option<&DocumentSet> {
        layered(&self.sets, self.project.sets(), &id)
    }

    /// The document set with this name (case-insensitive).
    pub fn set_named(&self, name: &str) -> Option<&DocumentSet> {
        let lower = name.trim().to_lowercase();
        all(&self.sets, self.project.sets()).find(|s| s.name.to_lowercase() == lower)
    }
}
