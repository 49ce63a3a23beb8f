//! Headless tests of languages in the workbench (egui_kittest): a document's language on its row and in its
//! context menu, the new-project window asking for the project's language, and the export window's citation
//! style, on the sample project.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use egui_kittest::kittest::Queryable;
use marginalia::export::CitationStyle;
use marginalia::gui::commands::Command;
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
fn the_sample_documents_carry_detected_languages_changed_from_the_context_menu() {
    let Fixture {
        dir: _dir,
        mut harness,
    } = open_sample();
    let h = &mut harness;
    let nn = document_named(h, "intervju_bakkebo_rektor");
    let en = document_named(h, "fieldnotes_brattli_vikoy");
    assert_eq!(project(h).documents()[&nn].language, Some(Language::Nn));
    assert_eq!(project(h).documents()[&en].language, Some(Language::En));
    // The row shows the language; its context menu changes it, in one undoable step.
    h.get_all_by_label("intervju_bakkebo_rektor")
        .next()
        .expect("row")
        .click_secondary();
    h.run_steps(3);
    h.get_by_label("English (en)").click();
    h.run_steps(3);
    assert_eq!(project(h).documents()[&nn].language, Some(Language::En));
    send(h, Command::Action(marginalia::gui::commands::Action::Undo));
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
    h.get_by_label("nynorsk (nn)").click();
    h.run_steps(2);
    h.get_by_label("Create").click();
    h.run_steps(3);
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
    h.get_by_label("Full").click();
    h.run_steps(2);
    assert_eq!(
        h.state().exchange().excerpts.options.citation,
        CitationStyle::Full
    );
}
