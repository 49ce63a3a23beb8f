//! Name lookups for documents and cases, kept in step with the project's maps, so checking that a new name
//! is free is a hash lookup instead of a scan over every document or case (imports add thousands at once).

use std::collections::hash_map::Entry;
use std::collections::{BTreeSet, HashMap};

/// The ids that carry each name (normally one; a project loaded from older files may have more).
#[derive(Clone, Debug, PartialEq)]
pub(super) struct NameIndex<Id: Ord> {
    by_name: HashMap<String, Ids<Id>>,
}

/// The ids carrying one name: nearly always one, held without a set (a 35,000-document project would
/// otherwise allocate 35,000 one-element sets when it opens).
#[derive(Clone, Debug, PartialEq)]
enum Ids<Id: Ord> {
    One(Id),
    Many(BTreeSet<Id>),
}

impl<Id: Ord> Default for NameIndex<Id> {
    fn default() -> Self {
        Self {
            by_name: HashMap::new(),
        }
    }
}

impl<Id: Ord + Copy> NameIndex<Id> {
    /// An index of `(name, id)` pairs.
    pub fn build(entries: impl IntoIterator<Item = (String, Id)>) -> Self {
        let entries = entries.into_iter();
        let mut index = Self {
            by_name: HashMap::with_capacity(entries.size_hint().0),
        };
        for (name, id) in entries {
            index.insert(name, id);
        }
        index
    }

    pub fn insert(&mut self, name: String, id: Id) {
        match self.by_name.entry(name) {
            Entry::Vacant(slot) => {
                slot.insert(Ids::One(id));
            }
            Entry::Occupied(mut slot) => match slot.get_mut() {
                Ids::One(other) if *other == id => {}
                Ids::One(other) => {
                    let both = BTreeSet::from([*other, id]);
                    slot.insert(Ids::Many(both));
                }
                Ids::Many(ids) => {
                    ids.insert(id);
                }
            },
        }
    }

    pub fn remove(&mut self, name: &str, id: Id) {
        let Some(ids) = self.by_name.get_mut(name) else {
            return;
        };
        match ids {
            Ids::One(other) if *other == id => {
                self.by_name.remove(name);
            }
            Ids::One(_) => {}
            Ids::Many(set) => {
                set.remove(&id);
                let mut left = set.iter();
                match (left.next().copied(), left.next()) {
                    (None, _) => {
                        self.by_name.remove(name);
                    }
                    (Some(last), None) => *ids = Ids::One(last),
                    _ => {}
                }
            }
        }
    }

    /// Whether an entity other than `id` carries `name`.
    pub fn taken_by_other(&self, name: &str, id: Id) -> bool {
        self.by_name.get(name).is_some_and(|ids| match ids {
            Ids::One(other) => *other != id,
            Ids::Many(set) => set.iter().any(|other| *other != id),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_inserts_and_removals() {
        let mut index = NameIndex::build([("a".to_string(), 1u32), ("b".to_string(), 2)]);
        assert!(index.taken_by_other("a", 2));
        assert!(!index.taken_by_other("a", 1));
        index.remove("a", 1);
        assert!(!index.taken_by_other("a", 2));
        index.insert("a".into(), 3);
        assert_eq!(
            index,
            NameIndex::build([("b".to_string(), 2), ("a".to_string(), 3)])
        );
        // Two documents with one name (files from before names were unique), then one renamed.
        index.insert("a".into(), 4);
        index.insert("a".into(), 4);
        assert!(index.taken_by_other("a", 3));
        assert!(index.taken_by_other("a", 4));
        index.remove("a", 3);
        assert!(!index.taken_by_other("a", 4));
        assert!(index.taken_by_other("a", 3));
        assert_eq!(
            index,
            NameIndex::build([("b".to_string(), 2), ("a".to_string(), 4)])
        );
        index.remove("a", 4);
        assert!(!index.taken_by_other("a", 3));
    }
}
