//! Helpers shared by the search tests that need no workbench: put a document into a project from its text, and
//! name the documents a query finds.

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(dead_code)]

use std::collections::BTreeSet;

use marginalia::edit::{Edit, Entity};
use marginalia::ids::DocumentId;
use marginalia::import::document_from_text;
use marginalia::index::SearchIndex;
use marginalia::model::Project;
use marginalia::query;

/// Imports `text` as a document named `name` (its language detected) and returns its id.
pub fn add(p: &mut Project, name: &str, text: &str) -> DocumentId {
    let entry = document_from_text(name, &format!("{name}.txt"), text, None);
    let id = entry.document.id;
    p.apply(Edit::Put(Entity::Document(Box::new(entry))))
        .expect("document");
    id
}

/// The names of the documents with a passage the query finds.
pub fn hit_documents(index: &SearchIndex, p: &Project, q: &str) -> BTreeSet<String> {
    query::search(index, p, q, None)
        .unwrap_or_else(|e| panic!("{q}: {e}"))
        .hits
        .into_iter()
        .map(|h| h.document_name)
        .collect()
}

/// A set of document names.
pub fn names(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|s| s.to_string()).collect()
}
