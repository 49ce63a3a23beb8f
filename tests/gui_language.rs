//! Headless tests of languages in the workbench (egui_kittest): the sample's documents carry detected languages,
//! a document's language is changed in one undoable step, the new-project window asks for the project's
//! language, and the export window offers the citation style.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use egui_kittest::kittest::Queryable;
use marginalia::export::CitationStyle;
use marginalia::gui::commands::{Action, Command};
use marginalia::model::Language;
use support::{Fixture, open_sample, project, send};

fn document_named(
    h: &egui_kittest::Harness<'_, marginalia::gui::Workbench>,
    name: &str,
) -> marginalia::ids::DocumentId {
    project(h)
        .documents()
        .values()
        .find(|d| d.name == name)
        .map(|d| d.id)
        .expect("document")
}

#[test]
fn the_sample_documents_carry_detected_languages_that_can_be_changed_and_undone() {
    let Fixture {
        dir: _dir,
        mut harness,
    } = open_sample();
    let h = &mut harness;
    let nn = document_named(h, "intervju_bakkebo_rektor");
    let en = document_named(h, "fieldnotes_brattli_vikoy");
    assert_eq!(project(h).documents()[&nn].language, Some(Language::Nn));
    assert_eq!(project(h).documents()[&en].language, Some(Language::En));
    send(
        h,
        Command::SetDocumentLanguage {
            document: nn,
            language: Some(Language::En),
        },
    );
    assert_eq!(project(h).documents()[&nn].language, Some(Language::En));
    send(h, Command::Action(Action::Undo));
    assert_eq!(project(h).documents()[&nn].language, Some(Language::Nn));
    send(
        h,
        Command::SetDocumentLanguage {
            document: en,
            language: None,
        },
    );
    let p = project(h);
    assert_eq!(p.documents()[&en].language, None);
    assert_eq!(p.document_language(&p.documents()[&en]), p.meta().language);
}

#[test]
fn the_new_project_window_asks_for_the_language() {
    let Fixture { dir, mut harness } = open_sample();
    let h = &mut harness;
    let target = dir.path().join("ny_studie");
    send(h, Command::CreateProject(target.clone()));
    h.run_steps(2);
    assert!(
        h.query_all_by_label("nynorsk (nn)").next().is_some(),
        "the window lists the languages"
    );
    send(
        h,
        Command::CreateProjectIn {
            root: target.clone(),
            language: Language::Nn,
        },
    );
    h.state_mut().wait_for_background();
    h.run_steps(3);
    let ws = h.state().workspace().expect("the new project is open");
    assert_eq!(ws.project().meta().language, Language::Nn);
    assert!(target.join("marginalia.ron").exists());
}

#[test]
fn the_export_window_offers_the_citation_style() {
    let Fixture {
        dir: _dir,
        mut harness,
    } = open_sample();
    let h = &mut harness;
    support::menu(h, "File", "Export excerpts…");
    assert_eq!(
        h.state().exchange().excerpts.options.citation,
        CitationStyle::Short
    );
    h.query_all_by_label("Full")
        .next()
        .expect("the citation choice")
        .click();
    h.run_steps(2);
    assert_eq!(
        h.state().exchange().excerpts.options.citation,
        CitationStyle::Full
    );
}
