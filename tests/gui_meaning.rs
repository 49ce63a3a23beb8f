//! Meaning search in the workbench: the "By meaning" switch, `~"…"` queries, Find similar passages and the code
//! suggestion queue. Without the model each entry point says how to get it; with the model (`MARGINALIA_MODEL`
//! or the data folder's copy; skipped, saying so, when it is not installed) the vectors are built on a task and
//! the queue's Accept is one undo step and its Reject is kept in the project.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use marginalia::Workspace;
use marginalia::edit::{Edit, Entity};
use marginalia::embed::fetch;
use marginalia::gui::commands::{Action, Command, PickTarget};
use marginalia::gui::meaning::MeaningCommand;
use marginalia::gui::{Prefs, Workbench};
use marginalia::model::Language;
use marginalia::offsets::CharRange;
use marginalia::ops::{self, CodeChoice, HitUnit};
use support::{menu, project, send};

/// Runs a search from the Search tab and waits for the vectors and the worker.
fn search(h: &mut Harness<'_, Workbench>, query: &str, by_meaning: bool) {
    let state = h.state_mut().search_mut();
    state.query = query.to_string();
    state.by_meaning = by_meaning;
    state.run_requested = true;
    h.run_steps(2);
    h.state_mut().finish_meaning();
    h.state_mut().finish_search();
    h.run_steps(2);
}

#[test]
fn without_the_model_the_switch_the_operator_and_the_queue_say_how_to_get_it() {
    let mut fixture = support::open_sample();
    let missing = fixture.dir.path().join("no-model.bin");
    let h = &mut fixture.harness;
    h.state_mut().set_model_file(Some(missing));

    // The switch, clicked with a query in the field, runs the query by meaning: it says how to get the model.
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run_steps(2);
    h.get_by_label("Query").type_text("ikkje nok folk");
    h.run_steps(1);
    h.get_by_label("By meaning").click();
    h.run_steps(2);
    h.state_mut().finish_search();
    h.run_steps(1);
    let error = h.state().search().error.clone().expect("an explanation");
    assert!(error.contains("marginalia model fetch"), "{error}");
    assert!(h.state().search().by_meaning);
    h.get_by_label(&error);

    // Keyword search keeps working.
    search(h, "ressursteam", false);
    assert!(h.state().search().error.is_none());
    assert!(h.state().search().results.as_ref().unwrap().total > 0);

    // A ~"…" term needs the model too.
    search(h, "~\"ikkje nok folk\" speaker:Rektor", false);
    let error = h.state().search().error.clone().expect("an explanation");
    assert!(error.contains("marginalia model fetch"), "{error}");

    // The suggestion queue opens for the selected code and explains.
    // The first code of the codebook (in view in the left panel).
    let code = project(h).children(None)[0].clone();
    h.state_mut().select_codes([code.id]);
    menu(h, "Code", &format!("Suggest passages for “{}”…", code.name));
    let queue = h.state().meaning().queue().expect("the queue is open");
    let error = queue.error.clone().expect("an explanation");
    assert!(error.contains("marginalia model fetch"), "{error}");
    assert!(queue.hits.is_empty());
    assert!(h.query_all_by_label(&error).count() >= 1);
    send(h, Command::Meaning(MeaningCommand::CloseSuggestions));
    assert!(h.state().meaning().queue().is_none());
    // Let the closed window disappear before clicking where it was.
    h.run_steps(20);
    // The same from the codebook: right-click the code ▸ Suggest passages…
    h.get_by_label(&code.name).hover();
    h.run_steps(2);
    h.get_by_label(&code.name).click_secondary();
    h.run_steps(3);
    h.get_by_label("Suggest passages…").click();
    h.run_steps(3);
    let queue = h.state().meaning().queue().expect("the queue is open");
    assert_eq!(queue.code, code.id);
    assert!(
        queue
            .error
            .as_deref()
            .unwrap_or("")
            .contains("marginalia model fetch")
    );
    send(h, Command::Meaning(MeaningCommand::CloseSuggestions));

    // Find similar and the menu item explain in their places.
    let doc = *project(h).documents().keys().next().unwrap();
    send(
        h,
        Command::Meaning(MeaningCommand::FindSimilar {
            document: doc,
            range: CharRange::new(0, 20),
        }),
    );
    let error = h.state().search().error.clone().expect("an explanation");
    assert!(error.contains("marginalia model fetch"), "{error}");
    menu(h, "Analysis", "Build meaning vectors");
    let error = h.state().error().expect("an explanation");
    assert!(error.contains("marginalia model fetch"), "{error}");
    assert!(!h.state().meaning().building());
}

/// A small study: a principal (bokmål), a teacher (nynorsk) and an English note; two staffing turns coded.
fn staffing_project(root: &std::path::Path) -> marginalia::ids::CodeId {
    let mut ws = Workspace::create(root, "Bemanning", Language::Nb).unwrap();
    let texts = [
        (
            "rektor",
            "Intervjuer: Hvordan er ressurssituasjonen?\n\nRektor: Vi har ikke nok folk, og sykefraværet blant lærerne er høyt.\n\nIntervjuer: Og møtene?\n\nRektor: Ressursteamet møtes annenhver tirsdag på skolen.\n\nRektor: Vi mangler to lærere og en miljøarbeider i høst.",
        ),
        (
            "laerar",
            "Intervjuar: Korleis har de det?\n\nLærar: Me har ikkje nok lærarar, og dei som er her er slitne.\n\nIntervjuar: Og møta?\n\nLærar: Møta er faste kvar månad.\n\nLærar: Det er for få vaksne i friminutta.",
        ),
        (
            "notat",
            "The school is badly understaffed: there are not enough teachers this spring.\n\nThe canteen serves fish on Fridays.",
        ),
    ];
    let edits = texts
        .iter()
        .map(|(name, text)| {
            let entry =
                marginalia::import::document_from_text(name, &format!("{name}.txt"), text, None);
            Edit::Put(Entity::Document(Box::new(entry)))
        })
        .collect();
    ws.apply(Edit::batch("import", edits)).unwrap();
    let mut passages = Vec::new();
    for (name, words) in [
        ("rektor", "Vi har ikke nok folk"),
        ("laerar", "Me har ikkje nok lærarar"),
    ] {
        let doc = ws.project().find_document(name).unwrap();
        let text = ws.project().text(doc.id);
        let at = text.find(words).unwrap();
        let start = text[..at].chars().count();
        passages.push((doc.id, CharRange::new(start, start + words.chars().count())));
    }
    let coded = ops::code_with(
        ws.project(),
        CodeChoice::Path("Bemanning"),
        &passages,
        "Kittest",
        None,
    )
    .unwrap();
    ws.apply(coded.edit).unwrap();
    ws.save().unwrap();
    coded.code
}

#[test]
fn with_the_model_meaning_search_similar_and_the_review_queue_work() {
    let Ok(model) = fetch::require_model() else {
        eprintln!(
            "SKIPPED: no model (marginalia model fetch, or {}=FILE)",
            fetch::ENV_VAR
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("bemanning");
    let code = staffing_project(&root);
    let prefs = Prefs {
        coder: support::CODER.into(),
        ..Prefs::default()
    };
    let mut workbench = Workbench::new(prefs, Some(dir.path().to_path_buf()));
    workbench.set_model_file(Some(model));
    workbench.open_project(&root);
    workbench.wait_for_background();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(|ui, wb: &mut Workbench| wb.ui(ui), workbench);
    harness.run_steps(3);
    let h = &mut harness;
    let text_of = |h: &Harness<'_, Workbench>, hit: &marginalia::query::Hit| {
        marginalia::offsets::slice(project(h).text(hit.document), hit.passage)
            .unwrap()
            .to_string()
    };

    // By meaning: the first search builds the vectors on a task, then runs.
    search(h, "lack of staff", true);
    assert!(
        h.state().search().error.is_none(),
        "{:?}",
        h.state().search().error
    );
    let results = h.state().search().results.clone().expect("results");
    let top: Vec<String> = results
        .hits
        .iter()
        .take(4)
        .map(|hit| text_of(h, hit))
        .collect();
    assert!(
        top.iter().any(|t| t.contains("understaffed"))
            && top.iter().any(|t| t.contains("ikke nok folk")),
        "{top:?}"
    );
    assert!(h.state().meaning().vectors_ready());

    // ~"…" with a filter: only the principal's turns.
    search(h, "~\"lack of staff\" speaker:Rektor", false);
    let results = h.state().search().results.clone().expect("results");
    assert!(!results.hits.is_empty());
    assert!(
        results
            .hits
            .iter()
            .all(|hit| hit.speaker.as_deref() == Some("Rektor"))
    );
    // Code all hits works on them: one undoable step.
    let before = project(h).codings().len();
    send(
        h,
        Command::CodeWith {
            target: PickTarget::AllHits(HitUnit::Turn),
            code,
        },
    );
    assert!(project(h).codings().len() > before);
    send(h, Command::Action(Action::Undo));
    assert_eq!(project(h).codings().len(), before);

    // Find similar passages from a coding: the results land in the Search tab without the coding's passage.
    let coding = project(h)
        .codings()
        .values()
        .find(|c| c.code == code)
        .cloned()
        .unwrap();
    send(
        h,
        Command::Meaning(MeaningCommand::FindSimilarToCoding(coding.id)),
    );
    h.state_mut().finish_meaning();
    h.state_mut().finish_search();
    h.run_steps(2);
    let heading = h.state().search().heading.clone().unwrap_or_default();
    assert!(heading.starts_with("Passages similar to"), "{heading}");
    let similar = h.state().search().results.clone().expect("results");
    assert!(!similar.hits.is_empty());
    assert!(
        similar
            .hits
            .iter()
            .all(|hit| hit.document != coding.document || !hit.passage.overlaps(&coding.range))
    );

    // The review queue: nothing coded by itself; Accept codes one passage as one undo step.
    send(h, Command::Meaning(MeaningCommand::Suggest(code)));
    h.state_mut().finish_meaning();
    h.run_steps(2);
    let queue = h.state().meaning().queue().expect("open").clone();
    assert!(queue.error.is_none(), "{:?}", queue.error);
    assert!(queue.hits.len() >= 3, "{:?}", queue.hits);
    let coded_before = project(h).codings().len();
    assert_eq!(coded_before, 2, "suggesting codes nothing");
    let first = queue.hits[0].clone();
    h.get_by_label(&format!("Suggested passages for “{}”", "Bemanning"));
    send(h, Command::Meaning(MeaningCommand::Accept(0)));
    assert_eq!(project(h).codings().len(), coded_before + 1);
    assert!(
        project(h)
            .codings()
            .values()
            .any(|c| c.code == code && c.document == first.document && c.range == first.passage)
    );
    assert_eq!(
        h.state().meaning().queue().unwrap().hits.len(),
        queue.hits.len() - 1
    );
    send(h, Command::Action(Action::Undo));
    assert_eq!(project(h).codings().len(), coded_before);
    // With current vectors the queue asks again after a change made outside it: the undone passage is back.
    h.run_steps(2);
    h.state_mut().finish_meaning();
    h.run_steps(2);
    assert!(
        h.state()
            .meaning()
            .queue()
            .unwrap()
            .hits
            .iter()
            .any(|hit| hit.document == first.document && hit.passage == first.passage),
        "the undone suggestion is offered again"
    );

    // Reject: remembered in the project (saved), never suggested again; Skip only passes.
    let rejected = h.state().meaning().queue().unwrap().hits[0].clone();
    send(h, Command::Meaning(MeaningCommand::Reject(0)));
    assert!(
        project(h)
            .rejected_suggestions(code)
            .contains(&(rejected.document, rejected.passage.start))
    );
    send(h, Command::Meaning(MeaningCommand::Skip(0)));
    assert_eq!(project(h).codings().len(), coded_before);
    h.state_mut().save_now();
    let saved = Workspace::open_read_only(&root).unwrap();
    assert!(
        saved
            .project()
            .rejected_suggestions(code)
            .contains(&(rejected.document, rejected.passage.start))
    );
    send(h, Command::Meaning(MeaningCommand::Suggest(code)));
    h.state_mut().finish_meaning();
    h.run_steps(2);
    let again = h.state().meaning().queue().unwrap();
    assert!(!again.hits.is_empty());
    assert!(again.hits.iter().all(
        |hit| (hit.document, hit.passage.start) != (rejected.document, rejected.passage.start)
    ));
}

#[test]
fn the_review_queue_drops_suggestions_the_project_no_longer_needs() {
    // No model: the queue is filled with keyword hits, as if the suggestion search had found them.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("bemanning");
    let code = staffing_project(&root);
    let prefs = Prefs {
        coder: support::CODER.into(),
        ..Prefs::default()
    };
    let mut workbench = Workbench::new(prefs, Some(dir.path().to_path_buf()));
    workbench.set_model_file(Some(dir.path().join("no-model.bin")));
    workbench.open_project(&root);
    workbench.wait_for_background();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(|ui, wb: &mut Workbench| wb.ui(ui), workbench);
    harness.run_steps(3);
    let h = &mut harness;
    let text_of = |h: &Harness<'_, Workbench>, hit: &marginalia::query::Hit| {
        marginalia::offsets::slice(project(h).text(hit.document), hit.passage)
            .unwrap()
            .to_string()
    };
    let shown = |h: &Harness<'_, Workbench>| -> Vec<String> {
        h.state()
            .meaning()
            .queue()
            .expect("open")
            .hits
            .iter()
            .map(|hit| text_of(h, hit))
            .collect()
    };

    search(
        h,
        "sykefraværet OR ressursteamet OR mangler OR friminutta",
        false,
    );
    let hits = h.state().search().results.clone().expect("results").hits;
    assert_eq!(hits.len(), 4, "{hits:?}");
    h.state_mut().show_suggestions(code, hits);
    h.run_steps(2);
    // The principal's first answer is coded already (its start): it is not suggested.
    let first = shown(h);
    assert_eq!(first.len(), 3, "{first:?}");
    assert!(
        first.iter().all(|t| !t.contains("sykefraværet")),
        "{first:?}"
    );
    h.get_by_label(&format!("Suggested passages for “{}”", "Bemanning"));

    // The passage coded elsewhere (all hits of another search, coded as turns): gone from the queue.
    search(h, "ressursteamet", false);
    send(
        h,
        Command::CodeWith {
            target: PickTarget::AllHits(HitUnit::Turn),
            code,
        },
    );
    h.run_steps(1);
    let after_coding = shown(h);
    assert_eq!(after_coding.len(), 2, "{after_coding:?}");
    assert!(after_coding.iter().all(|t| !t.contains("Ressursteamet")));
    // Skip passes over one; the queue's own Reject is one step and removes its row only.
    send(h, Command::Meaning(MeaningCommand::Skip(0)));
    assert_eq!(shown(h).len(), 1);
    let left = shown(h)[0].clone();

    // A document removed elsewhere takes its suggestion with it.
    let doc = h.state().meaning().queue().unwrap().hits[0].document;
    send(
        h,
        Command::Document(marginalia::gui::commands::DocumentChange::Remove(doc)),
    );
    h.run_steps(1);
    assert!(
        project(h).documents().get(&doc).is_none(),
        "the document was removed"
    );
    assert!(shown(h).is_empty(), "{left} is still suggested");

    // The code deleted elsewhere: its queue closes.
    send(h, Command::Action(Action::Undo));
    send(
        h,
        Command::Code(marginalia::gui::commands::CodeChange::Delete(code)),
    );
    h.run_steps(1);
    assert!(project(h).codes().get(&code).is_none());
    assert!(h.state().meaning().queue().is_none());
}
