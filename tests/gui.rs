//! Headless tests of the workbench (egui_kittest, no GPU): the real app state on the sample project, driven by
//! clicks and keys; assertions on the project state.

mod support;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use marginalia::gui::Workbench;
use marginalia::gui::viewer::Selection;
use marginalia::ids::{CodeId, DocumentId};
use marginalia::offsets::CharRange;
use support::{Fixture, open_sample, project};

/// A range of whole words inside the second speaker turn of a document.
fn some_words(h: &Harness<'_, Workbench>, doc: DocumentId) -> CharRange {
    let p = project(h);
    let d = &p.documents()[&doc];
    let turn = d.turns.get(1).or(d.turns.first()).expect("a turn");
    let start = turn.content_start;
    let text = p.text(doc);
    let words: String = text.chars().skip(start).take(40).collect();
    let end_in_words = words
        .rfind(' ')
        .map(|b| words[..b].chars().count())
        .unwrap_or(20);
    CharRange::new(start, start + end_in_words)
}

fn codings_with(
    h: &Harness<'_, Workbench>,
    doc: DocumentId,
    range: CharRange,
    code: CodeId,
) -> usize {
    project(h)
        .codings()
        .values()
        .filter(|c| c.document == doc && c.range == range && c.code == code)
        .count()
}

#[test]
fn code_undo_redo_search_and_retrieve() {
    let Fixture {
        dir: _dir,
        mut harness,
    } = open_sample();

    // Pick a document from the list.
    let (doc, doc_name) = {
        let p = project(&harness);
        let d = p.documents_sorted()[2];
        (d.id, d.name.clone())
    };
    harness.get_by_label(&doc_name).click();
    harness.run_steps(3);
    assert_eq!(harness.state().viewer().document, Some(doc));

    // Select a passage and code it with the picker: C, type the code's name, Enter.
    let range = some_words(&harness, doc);
    harness.state_mut().viewer_mut().selection = Some(Selection::of(range));
    harness.run_steps(2);
    let (code, code_name) = {
        let p = project(&harness);
        let (_, c) = p.code_tree()[3];
        (c.id, c.name.clone())
    };
    let before = codings_with(&harness, doc, range, code);
    harness.key_press(Key::C);
    harness.run_steps(3);
    assert!(harness.state().picker_open(), "C opens the picker");
    harness.get_by_label("Find code").type_text(&code_name);
    harness.run_steps(2);
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    assert!(!harness.state().picker_open(), "Enter closes the picker");
    assert_eq!(
        codings_with(&harness, doc, range, code),
        before + 1,
        "a new coding exists"
    );
    assert_eq!(harness.state().recent_codes().first(), Some(&code));

    // Undo and redo with the keyboard.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    assert_eq!(
        codings_with(&harness, doc, range, code),
        before,
        "undo removes it"
    );
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    harness.run_steps(2);
    assert_eq!(
        codings_with(&harness, doc, range, code),
        before + 1,
        "redo restores it"
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    harness.run_steps(2);
    assert_eq!(
        codings_with(&harness, doc, range, code),
        before + 1,
        "Ctrl+Y redoes too"
    );

    // Digit 1 applies the most recent code to a new selection.
    let second = CharRange::new(range.start, range.start + 5);
    harness.state_mut().viewer_mut().selection = Some(Selection::of(second));
    harness.run_steps(1);
    harness.key_press(Key::Num1);
    harness.run_steps(2);
    assert_eq!(
        codings_with(&harness, doc, second, code),
        1,
        "digit keys apply recent codes"
    );

    // Search and click a hit: the viewer jumps to it and selects it.
    harness.get_by_label("Query").click();
    harness.run_steps(1);
    harness.get_by_label("Query").type_text("ressursteam");
    harness.run_steps(1);
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    let (hit_doc, hit_range, snippet, hit_count) = {
        let results = harness
            .state()
            .search()
            .results
            .as_ref()
            .expect("search ran");
        assert!(results.total > 0, "the sample mentions ressursteam");
        let hit = results
            .hits
            .iter()
            .find(|h| h.document != doc)
            .unwrap_or(&results.hits[0]);
        (
            hit.document,
            marginalia::gui::search_panel::hit_target(hit),
            hit.snippet.text.clone(),
            results.hits.len(),
        )
    };
    harness.get_by_label(&snippet).click();
    harness.run_steps(3);
    assert_eq!(
        harness.state().viewer().document,
        Some(hit_doc),
        "the hit's document is open"
    );
    assert_eq!(
        harness.state().viewer().selected_range(),
        Some(hit_range),
        "the hit is selected"
    );

    // Code all hits (turn) with a new code, as one undoable step.
    let codings_before = project(&harness).codings().len();
    harness.get_by_label("Code all hits…").click();
    harness.run_steps(3);
    assert!(harness.state().picker_open());
    harness.get_by_label("Find code").type_text("Kittest hits");
    harness.run_steps(2);
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    let new_code = project(&harness)
        .find_code("Kittest hits")
        .map(|c| c.id)
        .expect("code created");
    let coded = project(&harness)
        .codings()
        .values()
        .filter(|c| c.code == new_code)
        .count();
    assert!(coded > 0 && coded <= hit_count * 4, "hits coded: {coded}");
    assert_eq!(project(&harness).codings().len(), codings_before + coded);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    assert_eq!(
        project(&harness).codings().len(),
        codings_before,
        "one undo removes every hit's coding"
    );
    assert!(project(&harness).find_code("Kittest hits").is_none());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    harness.run_steps(2);

    // Retrieve excerpts for the first code: select it in the codebook, open the Excerpts tab.
    harness.run_steps(3);
    harness.state_mut().codebook_mut().scroll_to = Some(code);
    harness.run_steps(4);
    harness.get_by_label(&code_name).click();
    harness.run_steps(2);
    assert!(harness.state().selected_codes().contains(&code));
    harness.get_by_label("Excerpts").click();
    harness.run_steps(3);
    let excerpts = harness.state_mut().current_excerpts();
    assert!(
        excerpts
            .iter()
            .any(|e| e.document == doc && e.range == range),
        "the new coding is among the excerpts"
    );
    assert!(excerpts.iter().all(|e| !e.citation().is_empty()));

    // Autosave: after the debounce the project is written.
    std::thread::sleep(marginalia::gui::app::AUTOSAVE_DELAY);
    harness.run_steps(2);
    assert!(
        !harness.state().workspace().expect("project").is_dirty(),
        "autosaved"
    );
}

#[test]
fn in_vivo_and_codebook_delete_confirmation() {
    let Fixture {
        dir: _dir,
        mut harness,
    } = open_sample();
    let doc = harness
        .state()
        .viewer()
        .document
        .expect("first document opens");
    let range = some_words(&harness, doc);
    harness.state_mut().viewer_mut().selection = Some(Selection::of(range));
    harness.run_steps(1);
    let codes_before = project(&harness).codes().len();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::I);
    harness.run_steps(2);
    assert_eq!(
        project(&harness).codes().len(),
        codes_before + 1,
        "in-vivo adds a code"
    );
    let code = harness.state().recent_codes()[0];
    let name = project(&harness).codes()[&code].name.clone();
    assert_eq!(codings_with(&harness, doc, range, code), 1);

    // The Edit menu names the action to undo.
    harness.get_by_label("Edit").click();
    harness.run_steps(2);
    harness.get_by_label_contains("Undo: in-vivo code");
    harness.key_press(Key::Escape);
    harness.run_steps(2);

    // Delete it from the codebook: the confirmation names the coding that goes with it.
    harness.get_by_label(&name).click_secondary();
    harness.run_steps(2);
    harness.get_by_label("Delete…").click();
    harness.run_steps(2);
    harness.get_by_label_contains("1 coding(s) go with it");
    harness.get_by_label("Delete").click();
    harness.run_steps(2);
    assert!(!project(&harness).codes().contains_key(&code));
    assert_eq!(codings_with(&harness, doc, range, code), 0);
}

#[test]
fn import_runs_off_the_ui_thread_and_assigns_a_case() {
    let Fixture {
        dir: _dir,
        mut harness,
    } = open_sample();
    let source = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        source.path().join("ny_intervju.txt"),
        "Intervjuar (00:00:01): Korleis går det med ressursteamet?\n\nRektor (00:00:05): Det går betre no.\n",
    )
    .expect("write");
    std::fs::write(
        source.path().join("notat.md"),
        "# Feltnotat\n\nEit kort notat om møtet.\n",
    )
    .expect("write");
    std::fs::write(source.path().join("bilete.png"), [0u8, 1, 2]).expect("write");
    let docs_before = project(&harness).documents().len();
    harness
        .state_mut()
        .queue(marginalia::gui::commands::Command::ImportPaths(vec![
            source.path().join("ny_intervju.txt"),
            source.path().join("notat.md"),
            source.path().join("bilete.png"),
        ]));
    harness.step();
    assert!(harness.state().importing(), "the import runs on a task");
    harness.state_mut().wait_for_background();
    harness.run_steps(3);
    assert_eq!(project(&harness).documents().len(), docs_before + 2);
    harness.get_by_label("2 imported, 0 skipped, 1 failed");

    // Assign the new documents to a new case in the summary.
    harness.get_by_label("New case").click();
    harness.run_steps(1);
    harness.get_by_label("New case").type_text("Ny skule");
    harness.run_steps(1);
    harness.get_by_label("Assign").click();
    harness.run_steps(3);
    let case = project(&harness)
        .find_case("Ny skule")
        .expect("case created");
    assert_eq!(case.documents.len(), 2);
    assert!(!harness.state().import_summary_open(), "the summary closes");
}

#[test]
fn keyboard_selection_and_memos() {
    let Fixture {
        dir: _dir,
        mut harness,
    } = open_sample();
    let doc = harness
        .state()
        .viewer()
        .document
        .expect("first document opens");
    let range = some_words(&harness, doc);
    harness.state_mut().viewer_mut().selection = Some(Selection::of(range));
    harness.run_steps(1);
    harness.key_press_modifiers(Modifiers::SHIFT, Key::ArrowRight);
    harness.run_steps(1);
    assert_eq!(
        harness.state().viewer().selected_range(),
        Some(CharRange::new(range.start, range.end + 1)),
        "Shift+Right extends the selection by one character"
    );
    harness.key_press_modifiers(Modifiers::SHIFT, Key::ArrowLeft);
    harness.key_press_modifiers(Modifiers::SHIFT, Key::ArrowLeft);
    harness.run_steps(1);
    assert_eq!(
        harness.state().viewer().selected_range(),
        Some(CharRange::new(range.start, range.end - 1))
    );

    // A document memo: its text commits when focus leaves the field.
    harness.get_by_label("Memos").click();
    harness.run_steps(2);
    harness.get_by_label("New document memo").click();
    harness.run_steps(2);
    let memo = harness.state().memos().open.expect("the new memo opens");
    harness.get_by_label("Memo text").click();
    harness.run_steps(1);
    harness
        .get_by_label("Memo text")
        .type_text("Rektor skildrar teamet som sitt eige.");
    harness.run_steps(1);
    assert!(
        project(&harness).memos()[&memo].text.is_empty(),
        "not committed while typing"
    );
    harness.get_by_label("Memo title").click();
    harness.run_steps(2);
    assert_eq!(
        project(&harness).memos()[&memo].text,
        "Rektor skildrar teamet som sitt eige."
    );
    assert_eq!(
        project(&harness).memos()[&memo].target,
        marginalia::model::MemoTarget::Document(doc)
    );
}
