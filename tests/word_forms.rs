//! Word search through the index's vocabulary: the index holds words unstemmed, and a query word reaches every
//! form sharing its stem, across syncs, written standards and languages, with exact, prefix and fuzzy search
//! on the same words.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod search_support;

use search_support::{add, hit_documents, names};

use std::collections::BTreeSet;

use marginalia::index::SearchIndex;
use marginalia::model::{Language, Project};
use marginalia::query;

const BOKMAL: &str =
    "Rektor: Skolen har en stor mangel på ressurser, og lærerne venter på svar fra kommunen.\n";
const NYNORSK: &str = "Rektor: Skulen har ein stor mangel på ressursar, og lærarane ventar på svar frå kommunen. Eg veit ikkje kva dei tenkjer.\n";
const BOKMAL_2: &str =
    "Inspektør: Ressursene fra PPT kommer sjelden, og ressursteamet møtes hver tredje uke.\n";

/// Each document arrives in a sync of its own, so each sync's words go into the vocabulary separately.
fn three_syncs() -> (Project, SearchIndex) {
    let mut p = Project::new("Studie", Language::Nb);
    let mut index = SearchIndex::in_memory(Language::Nb).expect("index");
    for (name, text) in [
        ("furulund", BOKMAL),
        ("bakkebo", NYNORSK),
        ("straumen", BOKMAL_2),
    ] {
        add(&mut p, name, text);
        assert_eq!(index.sync(&p).expect("sync"), 1);
    }
    (p, index)
}

#[test]
fn a_word_finds_every_form_of_it_whichever_sync_brought_them() {
    let (p, index) = three_syncs();
    let all = names(&["bakkebo", "furulund", "straumen"]);
    // No document holds `ressursane`, `ressurs` or `ressursen`: each still finds all three forms.
    for q in [
        "ressursane",
        "ressurs",
        "ressursen",
        "ressurser",
        "ressursar",
        "ressursene",
    ] {
        assert_eq!(hit_documents(&index, &p, q), all, "{q}");
    }
    // A word that is its own stem is found from its forms, and the other way round.
    assert_eq!(
        hit_documents(&index, &p, "skoler"),
        names(&["bakkebo", "furulund"])
    );
    assert_eq!(
        hit_documents(&index, &p, "lærer"),
        names(&["bakkebo", "furulund"])
    );
    // Nynorsk forms that the stemmer maps onto other bokmål words: `eg` → `jeg`, `ikkje` → `ikke`.
    assert_eq!(hit_documents(&index, &p, "jeg"), names(&["bakkebo"]));
    assert_eq!(hit_documents(&index, &p, "ikke"), names(&["bakkebo"]));
    // Compounds are words of their own.
    assert_eq!(
        hit_documents(&index, &p, "ressursteam"),
        names(&["straumen"])
    );
}

#[test]
fn exact_prefix_and_fuzzy_search_read_the_words_themselves() {
    let (p, index) = three_syncs();
    assert_eq!(hit_documents(&index, &p, "=ressursar"), names(&["bakkebo"]));
    assert_eq!(
        hit_documents(&index, &p, "=ressurser"),
        names(&["furulund"])
    );
    assert!(hit_documents(&index, &p, "=ressurs").is_empty());
    assert_eq!(
        hit_documents(&index, &p, "ressurs*"),
        names(&["bakkebo", "furulund", "straumen"])
    );
    assert_eq!(hit_documents(&index, &p, "ressursa*"), names(&["bakkebo"]));
    assert_eq!(
        hit_documents(&index, &p, "ressurste*"),
        names(&["straumen"])
    );
    assert_eq!(
        hit_documents(&index, &p, "ressurser~1"),
        names(&["furulund", "bakkebo"])
    );
    // Exact search scores by how often the form occurs, as word search does.
    let hits = query::search(&index, &p, "=kommunen", None).expect("search");
    assert_eq!(hits.total, 2);
    assert!(hits.hits.iter().all(|h| h.score > 0.0));
}

#[test]
fn phrases_match_any_form_at_each_position_in_order() {
    let (p, index) = three_syncs();
    let both = names(&["bakkebo", "furulund"]);
    for q in [
        "\"mangel på ressurser\"",
        "\"mangel på ressursane\"",
        "\"stor mangel på ressurs\"",
        "\"skule har\"",
    ] {
        assert_eq!(hit_documents(&index, &p, q), both, "{q}");
    }
    assert!(hit_documents(&index, &p, "\"ressurser på mangel\"").is_empty());
    assert!(hit_documents(&index, &p, "\"mangel ressurser\"").is_empty());
    // A phrase whose every word has one form only.
    assert_eq!(
        hit_documents(&index, &p, "\"hver tredje uke\""),
        names(&["straumen"])
    );
}

#[test]
fn negations_and_counts_see_passages_only() {
    let (p, index) = three_syncs();
    let units: usize = p.documents().values().map(|d| d.units().len()).sum();
    assert_eq!(index.unit_count(), units as u64);
    let with = query::search(&index, &p, "ressurs", None).expect("search");
    let without = query::search(&index, &p, "NOT ressurs", None).expect("search");
    assert_eq!(with.total + without.total, units);
    let everything = query::search(&index, &p, "NOT zzzyx", None).expect("search");
    assert_eq!(everything.total, units);
    assert_eq!(everything.hits.len(), units);
}

#[test]
fn words_are_stemmed_in_their_documents_language_only() {
    let mut p = Project::new("Studie", Language::Nb);
    add(
        &mut p,
        "fieldnotes",
        "Field notes, visit to two schools\n\nObserver: The resource team met in the staff room after lunch.\nPrincipal: We have asked the municipality for more resources, but the schools are still waiting.\nObserver: The teachers mentioned the meetings twice.\n",
    );
    // A Norwegian interview that borrows an English word: in Norwegian, `meetings` is not a form of `meet`.
    add(
        &mut p,
        "intervju",
        "Rektor: Vi kaller dem meetings her på skolen, men det er bare møter med PPT og helsesykepleier.\n",
    );
    let mut index = SearchIndex::in_memory(Language::Nb).expect("index");
    index.sync(&p).expect("sync");
    assert_eq!(
        p.languages(),
        BTreeSet::from([Language::Nb, Language::En]),
        "the test needs one document in each language"
    );
    assert_eq!(hit_documents(&index, &p, "meet"), names(&["fieldnotes"]));
    assert_eq!(
        hit_documents(&index, &p, "=meetings"),
        names(&["fieldnotes", "intervju"])
    );
    assert_eq!(hit_documents(&index, &p, "school"), names(&["fieldnotes"]));
    assert_eq!(hit_documents(&index, &p, "skole"), names(&["intervju"]));
}

#[test]
fn a_removed_document_takes_its_words_but_its_forms_still_meet() {
    let (mut p, mut index) = three_syncs();
    let furulund = p
        .documents()
        .values()
        .find(|d| d.name == "furulund")
        .map(|d| d.id)
        .expect("furulund");
    let edit = marginalia::ops::remove_document(&p, furulund).expect("edit");
    p.apply(edit).expect("remove");
    index.sync(&p).expect("sync");
    assert_eq!(
        hit_documents(&index, &p, "ressurser"),
        names(&["bakkebo", "straumen"])
    );
    assert!(hit_documents(&index, &p, "=ressurser").is_empty());
    // A new document with a form only the removed one had is found by the other forms again.
    add(&mut p, "ny", "Lærer: Vi trenger flere ressurser.\n");
    index.sync(&p).expect("sync");
    assert_eq!(
        hit_documents(&index, &p, "ressursane"),
        names(&["bakkebo", "ny", "straumen"])
    );
}
