//! Name lookups for documents and cases, kept in step with the project's maps, so checking that a new name
//! is free is a hash lookup instead of a scan over every document or case (imports add thousands at once).

use std::collections::{BTreeSet, HashMap};

/// The ids that carry each name (normally one; a project loaded from older files may have more).
#[derive(Clone, Debug, PartialEq)]
pub(super) struct NameIndex<Id: Ord> {
    by_name: HashMap<String, BTreeSet<Id>>,
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
        self.by_name.entry(name).or_default().insert(id);
    }

    pub fn remove(&mut self, name: &str, id: Id) {
        if let Some(ids) = self.by_name.get_mut(name) {
            ids.remove(&id);
            if ids.is_empty() {
                self.by_name.remove(name);
            }
        }
    }

    /// Whether an entity other than `id` carries `name`.
    pub fn taken_by_other(&self, name: &str, id: Id) -> bool {
        self.by_name
            .get(name)
            .is_some_and(|ids| ids.iter().any(|other| *other != id))
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
    }
}
