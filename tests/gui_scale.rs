//! The workbench with a large project (3,000 speeches): the document list lays out only the rows in view and the
//! filter finds any document; a search runs on its worker, its hits arrive in order of score, prepared (hits per
//! document, matches per document), and only the hit rows in view are laid out.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use marginalia::Workspace;
use marginalia::edit::{Edit, Entity};
use marginalia::gui::{Prefs, Workbench};
use marginalia::model::Language;

const PARAGRAPHS: [&str; 4] = [
    "Skolen trenger ressurser, og lærerne i kommunen ber om mer tid til samarbeid.",
    "Regjeringa har auka ressursane til skulane, seier statsråden.",
    "Psykisk helse blant elevane er ei viktig sak for helsesjukepleiarane.",
    "Representanten Berg meiner at ressursteamet må styrkjast i kvar kommune.",
];

fn large_project(root: &std::path::Path, docs: usize) {
    let mut ws = Workspace::create(root, "Storting", Language::Nb).unwrap();
    let edits = (0..docs)
        .map(|i| {
            let text = format!(
                "{}\n\n{}\n\nInnlegg nummer {i}.",
                PARAGRAPHS[i % 4],
                PARAGRAPHS[(i / 4) % 4]
            );
            let entry = marginalia::import::document_from_text(
                &format!("innlegg {i:05}"),
                "innlegg.txt",
                &text,
                None,
            );
            Edit::Put(Entity::Document(Box::new(entry)))
        })
        .collect();
    ws.apply(Edit::batch("import", edits)).unwrap();
    ws.save().unwrap();
}

#[test]
fn a_large_document_list_is_virtualised_and_searchable() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("storting");
    large_project(&root, 3_000);
    // English whatever the machine's locale: the test finds controls by their English labels.
    let prefs = Prefs {
        language: marginalia::gui::Lang::English,
        ..Prefs::default()
    };
    let mut workbench = Workbench::new(prefs, Some(dir.path().to_path_buf()));
    workbench.open_project(&root);
    assert!(workbench.workspace().is_some(), "{:?}", workbench.error());
    workbench.wait_for_background();
    assert!(
        workbench
            .project()
            .unwrap()
            .documents()
            .keys()
            .filter(|id| workbench.project().unwrap().texts().is_loaded(id))
            .count()
            <= 1,
        "opening loads at most the document shown"
    );
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(|ui, wb: &mut Workbench| wb.ui(ui), workbench);
    harness.run_steps(3);

    // Only the rows in view exist: the first document is there, the last is not laid out.
    // (The open first document is also named by the viewer.)
    let first_named = harness.query_all_by_label("innlegg 00000").count();
    assert!(first_named >= 2, "{first_named}");
    assert!(harness.query_all_by_label("innlegg 02999").next().is_none());

    // The filter finds it.
    harness.get_by_label("Filter").click();
    harness.run_steps(1);
    harness.get_by_label("Filter").type_text("02999");
    harness.run_steps(2);
    assert!(harness.query_all_by_label("innlegg 02999").next().is_some());
    assert_eq!(
        harness.query_all_by_label("innlegg 00000").count(),
        first_named - 1,
        "the first document's row is filtered out"
    );

    // A search on the worker: hits for "ressurs" (its family), best first.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    harness.run_steps(2);
    harness.get_by_label("Query").type_text("ressurs");
    harness.run_steps(1);
    harness.key_press(egui::Key::Enter);
    harness.run_steps(1);
    harness.state_mut().finish_search();
    harness.run_steps(2);
    let search = harness.state().search();
    assert!(!search.searching);
    let results = search.results.as_ref().expect("the search delivered");
    assert!(results.total >= 2_000, "{}", results.total);
    assert_eq!(results.hits.len(), results.total);
    assert!(results.hits.windows(2).all(|w| w[0].score >= w[1].score));
    // They arrive prepared: hits per document and the open document's matches are there without a frame
    // walking the hits, and a frame lays out only the hit rows in view (every hit row names its document).
    let documents = |hits: &[marginalia::query::Hit]| {
        hits.iter()
            .map(|h| h.document)
            .collect::<std::collections::HashSet<_>>()
            .len()
    };
    assert!(documents(&results.hits) > 2_000);
    assert_eq!(search.per_document.len(), documents(&results.hits));
    assert!(search.doc_matches.values().map(Vec::len).sum::<usize>() >= results.total);
    let total = results.total;
    let named = harness.query_all_by_label_contains("innlegg 0").count();
    assert!(
        named < 120,
        "{named} rows named a document for {total} hits"
    );
    harness.get_by_label("Hits per document").click();
    harness.run_steps(2);
    let named = harness.query_all_by_label_contains("innlegg 0").count();
    assert!(named < 160, "{named} rows with the hits per document open");

    // A second search replaces them (the old hits are freed off the UI thread): the new rows are in view.
    let state = harness.state_mut().search_mut();
    state.query = "helse".into();
    state.run_requested = true;
    harness.run_steps(1);
    harness.state_mut().finish_search();
    harness.run_steps(2);
    let results = harness.state().search().results.as_ref().unwrap();
    // The third paragraph speaks of helse: the first or second paragraph of a quarter of the speeches each.
    assert!(results.total > 1_000, "{}", results.total);
    assert!(
        results
            .hits
            .iter()
            .all(|h| h.snippet.text.contains("helse"))
    );
    assert_eq!(
        harness.state().search().per_document.len(),
        documents(&results.hits)
    );
    let named = harness.query_all_by_label_contains("innlegg 0").count();
    assert!(named < 160, "{named}");
}

/// A project of `docs` speeches, 600 codes and one code ("Ressursar") on a passage of every speech.
fn coded_project(root: &std::path::Path, docs: usize) -> marginalia::ids::CodeId {
    use marginalia::ids::{CoderId, CodingId};
    use marginalia::model::{Coder, Coding};
    use marginalia::offsets::CharRange;
    large_project(root, docs);
    let mut ws = Workspace::open(root).unwrap();
    for i in 0..600 {
        let (_, edit) =
            marginalia::ops::add_code_path(ws.project(), &format!("Kode {i:03}"), None, "")
                .unwrap();
        ws.apply(edit).unwrap();
    }
    let (code, edit) = marginalia::ops::add_code_path(ws.project(), "Ressursar", None, "").unwrap();
    ws.apply(edit).unwrap();
    let coder = CoderId::new();
    let mut edits = vec![Edit::Put(Entity::Coder(Coder {
        id: coder,
        name: "Kittest".into(),
        colour: None,
    }))];
    for doc in ws.project().documents().keys() {
        edits.push(Edit::Put(Entity::Coding(Coding {
            id: CodingId::new(),
            document: *doc,
            code,
            range: CharRange::new(0, 20),
            coder,
            created: marginalia::now(),
            memo: None,
        })));
    }
    ws.apply(Edit::batch("code", edits)).unwrap();
    ws.save().unwrap();
    code
}

#[test]
fn codebook_and_excerpts_lay_out_only_the_rows_in_view_and_an_idle_field_does_not_repaint() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("storting");
    let code = coded_project(&root, 2_000);
    let prefs = Prefs {
        coder: "Kittest".into(),
        ..Prefs::default()
    };
    let mut workbench = Workbench::new(prefs, Some(dir.path().to_path_buf()));
    workbench.open_project(&root);
    assert!(workbench.workspace().is_some(), "{:?}", workbench.error());
    workbench.wait_for_background();
    // The test harness turns cursor blinking off; before the workbench's first frame it is turned back on, as
    // egui has it, so the workbench's own theme decides.
    let first = std::cell::Cell::new(true);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(
            move |ui, wb: &mut Workbench| {
                if first.replace(false) {
                    ui.ctx()
                        .all_styles_mut(|style| style.visuals.text_cursor.blink = true);
                }
                wb.ui(ui)
            },
            workbench,
        );
    harness.run_steps(3);

    // The codebook: the first codes are laid out, the last is not until the tree is scrolled to it.
    assert!(harness.query_by_label("Kode 000").is_some());
    assert!(harness.query_by_label("Kode 599").is_none());
    let last = harness
        .state()
        .project()
        .unwrap()
        .codes()
        .values()
        .find(|c| c.name == "Kode 599")
        .map(|c| c.id)
        .unwrap();
    harness.state_mut().codebook_mut().scroll_to = Some(last);
    harness.run_steps(3);
    assert!(harness.query_by_label("Kode 599").is_some());
    assert!(harness.query_by_label("Kode 000").is_none());

    // The excerpts of a code on every speech: 2,000 listed, a screenful laid out.
    harness.state_mut().select_codes([code]);
    harness.get_by_label("Excerpts").click();
    harness.run_steps(3);
    assert_eq!(harness.state_mut().current_excerpts().len(), 2_000);
    harness.get_by_label_contains("2000 excerpts");
    let laid_out = harness.query_all_by_label("Copy quote").count();
    assert!((1..30).contains(&laid_out), "{laid_out}");

    // A focused, empty filter field: idle frames ask for no repaint (no blinking cursor, no polling).
    harness.get_by_label("Filter").click();
    harness.run_steps(3);
    assert!(harness.ctx.text_edit_focused());
    for _ in 0..5 {
        harness.step();
        let delay = harness
            .output()
            .viewport_output
            .get(&egui::ViewportId::ROOT)
            .map(|v| v.repaint_delay)
            .unwrap();
        assert_eq!(
            delay,
            std::time::Duration::MAX,
            "an idle frame asked for a repaint"
        );
    }
}

#[test]
fn switching_to_the_sample_releases_the_large_project() {
    use marginalia::gui::commands::{Action, Command};
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("storting");
    let code = coded_project(&root, 2_000);
    let prefs = Prefs {
        coder: "Kittest".into(),
        ..Prefs::default()
    };
    let mut workbench = Workbench::new(prefs, Some(dir.path().to_path_buf()));
    workbench.open_project(&root);
    workbench.wait_for_background();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(|ui, wb: &mut Workbench| wb.ui(ui), workbench);
    harness.run_steps(3);

    // Use it the way a user does: excerpts, a matrix on its worker, a search, an edit to undo.
    harness.state_mut().select_codes([code]);
    harness.get_by_label("Excerpts").click();
    harness.run_steps(2);
    harness.state_mut().analysis_mut().matrix.open = true;
    harness.run_steps(2);
    harness.state_mut().finish_analysis();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    harness.run_steps(2);
    harness.get_by_label("Query").type_text("ressurs");
    harness.key_press(egui::Key::Enter);
    harness.run_steps(1);
    harness.state_mut().finish_search();
    harness.run_steps(2);
    let old = std::sync::Arc::downgrade(&harness.state().workspace().unwrap().project_snapshot());
    assert!(old.strong_count() >= 1);

    // File ▸ Open the sample project: the large project is closed and nothing keeps it alive.
    harness
        .state_mut()
        .queue(Command::Action(Action::OpenSample));
    harness.run_steps(2);
    harness.state_mut().wait_for_background();
    harness.run_steps(3);
    assert_ne!(harness.state().workspace().unwrap().root(), root.as_path());
    assert_ne!(harness.state().project().unwrap().meta().name, "Storting");
    // Workers that were cancelled finish what they were doing first; give them a moment.
    let started = std::time::Instant::now();
    while old.strong_count() > 0 && started.elapsed() < std::time::Duration::from_secs(20) {
        harness.run_steps(1);
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(
        old.strong_count(),
        0,
        "the closed project is still referenced"
    );
    assert!(harness.state_mut().current_excerpts().is_empty());
    // Nor do its search results: the Search tab holds none of its hits or their per-document tables.
    let search = harness.state().search();
    assert!(
        search.results.is_none() && search.per_document.is_empty() && search.doc_matches.is_empty()
    );
}
