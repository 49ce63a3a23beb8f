//! The workbench with a large project (3,000 speeches): the document list lays out only the rows in view and the
//! filter finds any document; a search runs on its worker and its hits arrive in order of score.

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
}
