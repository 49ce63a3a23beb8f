//! Headless tests of the workbench (egui_kittest, no GPU): the real app state on the sample project, driven by
//! clicks and keys; assertions on the project state.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use marginalia::gui::Selection;
use marginalia::gui::Workbench;
use marginalia::gui::commands::{Action, CaseChange, Command};
use marginalia::ids::{CodeId, DocumentId, MemoId};
use marginalia::model::MemoTarget;
use marginalia::offsets::CharRange;
use support::{Fixture, open_sample, project, send};

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
    harness.run_steps(1);
    // The search runs on a worker (after the index catches up with the codings above): wait for it.
    harness.state_mut().finish_search();
    harness.run_steps(2);
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
            marginalia::gui::hit_target(hit),
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
    std::thread::sleep(marginalia::gui::AUTOSAVE_DELAY);
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
    harness.state_mut().queue(Command::ImportPaths(vec![
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

/// Writes two files to import into the sample.
fn two_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let a = dir.join("ekstra_intervju.txt");
    std::fs::write(
        &a,
        "Intervjuar (00:00:01): Korleis går det?\n\nRektor (00:00:05): Det går fint.\n",
    )
    .expect("write");
    let b = dir.join("ekstra_notat.md");
    std::fs::write(&b, "# Notat\n\nEit kort notat.\n").expect("write");
    vec![a, b]
}

#[test]
fn import_assign_to_a_new_case_reuses_an_existing_name() {
    let Fixture { dir, mut harness } = open_sample();
    let existing = project(&harness)
        .find_case("Brattli kommune")
        .map(|c| (c.id, c.documents.len()))
        .expect("the sample has this case");
    let cases = project(&harness).cases().len();
    send(&mut harness, Command::ImportPaths(two_files(dir.path())));
    harness.state_mut().wait_for_background();
    harness.run_steps(3);
    harness.get_by_label("New case").click();
    harness.run_steps(1);
    harness
        .get_by_label("New case")
        .type_text("Brattli kommune");
    harness.run_steps(1);
    harness.get_by_label("Assign").click();
    harness.run_steps(3);
    assert_eq!(harness.state().error(), None);
    assert_eq!(project(&harness).cases().len(), cases, "no second case");
    let case = &project(&harness).cases()[&existing.0];
    assert_eq!(
        case.documents.len(),
        existing.1 + 2,
        "both documents linked"
    );
}

#[test]
fn case_tab_create_and_link_with_an_existing_name_links_to_that_case() {
    let Fixture {
        dir: _dir,
        mut harness,
    } = open_sample();
    let doc = harness.state().viewer().document.expect("a document");
    let (case, name) = project(&harness)
        .cases()
        .values()
        .find(|c| !c.documents.contains(&doc))
        .map(|c| (c.id, c.name.clone()))
        .expect("a case without this document");
    let cases = project(&harness).cases().len();
    harness.get_by_label("Case").click();
    harness.run_steps(2);
    harness.get_by_label("New case").click();
    harness.run_steps(1);
    harness.get_by_label("New case").type_text(&name);
    harness.run_steps(1);
    harness.get_by_label("Create and link").click();
    harness.run_steps(3);
    assert_eq!(harness.state().error(), None);
    assert_eq!(project(&harness).cases().len(), cases, "no second case");
    assert!(project(&harness).cases()[&case].documents.contains(&doc));
}

#[test]
fn memos_written_in_the_workbench_store_their_author() {
    let Fixture {
        dir: _dir,
        mut harness,
    } = open_sample();
    harness.get_by_label("Memos").click();
    harness.run_steps(2);
    harness.get_by_label("New project memo").click();
    harness.run_steps(2);
    let memo = harness.state().memos().open.expect("the new memo opens");
    let author = project(&harness).memos()[&memo].author;
    let coder = project(&harness).find_coder(support::CODER).map(|c| c.id);
    assert!(coder.is_some(), "the coder from the preferences exists");
    assert_eq!(author, coder);
}

/// Opens two new project memos and types into the second without leaving the field.
fn type_into_a_second_memo(harness: &mut Harness<'_, Workbench>, text: &str) -> (MemoId, MemoId) {
    harness.get_by_label("Memos").click();
    harness.run_steps(2);
    harness.get_by_label("New project memo").click();
    harness.run_steps(2);
    let first = harness.state().memos().open.expect("first memo");
    harness.get_by_label("New project memo").click();
    harness.run_steps(2);
    let second = harness.state().memos().open.expect("second memo");
    harness.get_by_label("Memo text").click();
    harness.run_steps(1);
    harness.get_by_label("Memo text").type_text(text);
    harness.run_steps(1);
    assert!(project(harness).memos()[&second].text.is_empty());
    (first, second)
}

#[test]
fn a_memo_draft_is_kept_when_another_memo_opens() {
    let Fixture {
        dir: _dir,
        mut harness,
    } = open_sample();
    let (first, second) = type_into_a_second_memo(&mut harness, "utkast");
    send(&mut harness, Command::OpenMemo(first));
    assert_eq!(harness.state().memos().open, Some(first));
    assert_eq!(project(&harness).memos()[&second].text, "utkast");
}

#[test]
fn a_code_description_draft_is_kept_when_another_code_is_selected() {
    let Fixture {
        dir: _dir,
        mut harness,
    } = open_sample();
    let (a, a_name, b, b_name) = {
        let tree = project(&harness).code_tree();
        let (x, y) = (tree[0].1, tree[1].1);
        (x.id, x.name.clone(), y.id, y.name.clone())
    };
    harness.get_by_label(&a_name).click();
    harness.run_steps(2);
    let field = format!("Description — {a_name}");
    harness.get_by_label(&field).focus();
    harness.run_steps(1);
    harness.get_by_label(&field).type_text(" utkast");
    harness.run_steps(1);
    harness.get_by_label(&b_name).click();
    harness.run_steps(3);
    assert!(harness.state().selected_codes().contains(&b));
    assert!(project(&harness).codes()[&a].description.contains("utkast"));
}

#[test]
fn drafts_are_committed_and_saved_on_quit() {
    let Fixture { dir, mut harness } = open_sample();
    let (_, memo) = type_into_a_second_memo(&mut harness, "skrive før eg går");
    send(&mut harness, Command::Action(Action::Quit));
    assert!(harness.state().quitting(), "the project closed");
    assert!(harness.state().workspace().is_none());
    let ws = marginalia::Workspace::open(&dir.path().join("sample")).expect("reopens");
    assert_eq!(ws.project().memos()[&memo].text, "skrive før eg går");
}

#[test]
fn a_failed_save_keeps_the_project_open_until_retried_or_discarded() {
    let Fixture { dir, mut harness } = open_sample();
    let root = dir.path().join("sample");
    let away = dir.path().join("moved");
    std::fs::rename(&root, &away).expect("move the project away");
    std::fs::write(&root, "a file where the project was").expect("block the folder");
    send(&mut harness, Command::NewMemo(MemoTarget::Project));
    let memo = harness.state().memos().open.expect("a memo");

    // Quitting cannot save: the project stays open with the error, and asks what to do.
    send(&mut harness, Command::Action(Action::Quit));
    harness.run_steps(2);
    assert!(harness.state().workspace().is_some(), "still open");
    assert!(!harness.state().quitting());
    assert!(harness.state().close_pending());
    assert!(harness.state().error().is_some());
    harness.get_by_label("Try again").click();
    harness.run_steps(2);
    assert!(harness.state().workspace().is_some(), "still failing");

    // The folder is back: trying again saves and quits.
    std::fs::remove_file(&root).expect("unblock");
    std::fs::rename(&away, &root).expect("move it back");
    harness.get_by_label("Try again").click();
    harness.run_steps(2);
    assert!(harness.state().quitting());
    assert!(harness.state().workspace().is_none());
    let ws = marginalia::Workspace::open(&root).expect("reopens");
    assert!(
        ws.project().memos().contains_key(&memo),
        "the memo was saved"
    );
}

#[test]
fn discarding_after_a_failed_save_closes_without_saving() {
    let Fixture { dir, mut harness } = open_sample();
    let root = dir.path().join("sample");
    let away = dir.path().join("moved");
    std::fs::rename(&root, &away).expect("move the project away");
    std::fs::write(&root, "a file where the project was").expect("block the folder");
    send(&mut harness, Command::NewMemo(MemoTarget::Project));
    send(&mut harness, Command::Action(Action::Quit));
    harness.run_steps(2);
    assert!(harness.state().close_pending());
    harness.get_by_label("Close without saving").click();
    harness.run_steps(2);
    assert!(harness.state().workspace().is_none());
    assert!(harness.state().quitting());
}

#[test]
fn queued_commands_are_never_dropped() {
    let Fixture {
        dir: _dir,
        mut harness,
    } = open_sample();
    let cases = project(&harness).cases().len();
    for i in 0..300 {
        harness
            .state_mut()
            .queue(Command::Case(CaseChange::Add(format!("Kittest case {i}"))));
    }
    harness.step();
    assert!(harness.state().queued() > 0, "more than a frame's budget");
    harness.run_steps(3);
    assert_eq!(harness.state().queued(), 0);
    assert_eq!(project(&harness).cases().len(), cases + 300);
}

#[test]
fn two_changes_to_one_case_in_one_frame_both_apply() {
    let Fixture {
        dir: _dir,
        mut harness,
    } = open_sample();
    let (case, doc) = project(&harness)
        .cases()
        .values()
        .find(|c| c.documents.len() > 1)
        .map(|c| (c.id, *c.documents.iter().next().expect("a document")))
        .expect("a case with documents");
    let state = harness.state_mut();
    state.queue(Command::Case(CaseChange::SetAttribute {
        case,
        attribute: "role".into(),
        text: "kittest".into(),
    }));
    state.queue(Command::Case(CaseChange::Unlink {
        case,
        document: doc,
    }));
    harness.run_steps(2);
    let case = &project(&harness).cases()[&case];
    assert!(!case.documents.contains(&doc), "unlinked");
    assert_eq!(
        case.attributes.get("role").map(|v| v.to_string()),
        Some("kittest".to_string()),
        "and the attribute kept"
    );
}

#[test]
fn an_undone_description_is_not_committed_again_later() {
    let Fixture {
        dir: _dir,
        mut harness,
    } = open_sample();
    let (a, a_name, b, c_name) = {
        let tree = project(&harness).code_tree();
        (
            tree[0].1.id,
            tree[0].1.name.clone(),
            tree[1].1.id,
            tree[2].1.name.clone(),
        )
    };
    let before = project(&harness).codes()[&a].description.clone();
    harness.get_by_label(&a_name).click();
    harness.run_steps(2);
    let field = format!("Description — {a_name}");
    harness.get_by_label(&field).focus();
    harness.run_steps(1);
    harness.get_by_label(&field).type_text(" utkast");
    harness.run_steps(1);
    // Adding a second code to the selection commits the draft and hides the editor.
    send(
        &mut harness,
        Command::SelectCode {
            code: b,
            additive: true,
        },
    );
    assert_ne!(project(&harness).codes()[&a].description, before);
    send(&mut harness, Command::Action(Action::Undo));
    assert_eq!(project(&harness).codes()[&a].description, before);
    harness.get_by_label(&c_name).click();
    harness.run_steps(3);
    assert_eq!(
        project(&harness).codes()[&a].description,
        before,
        "the undone text stays undone"
    );
}
