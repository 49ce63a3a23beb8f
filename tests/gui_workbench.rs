//! Headless tests of the workbench for a working day (issue 15): the system clipboard, the layout at 1024×700
//! and 1920×1080, the Document menu (remove + undo, kind), code colours and reordering, Escape on windows, and
//! the accessibility tree on the main path. Assertions on what the app sends to the platform and on the project.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use egui::{Key, Modifiers, OutputCommand, PointerButton};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use marginalia::gui::commands::{Action, Command};
use marginalia::gui::{Selection, Workbench};
use marginalia::ids::{CodeId, DocumentId};
use marginalia::model::MemoTarget;
use marginalia::offsets::{CharRange, slice};
use support::{Fixture, code_named, open_sample, open_sample_sized, project, send};

/// Runs frames until one sends text to the clipboard; returns that text.
fn copied(h: &mut Harness<'_, Workbench>) -> Option<String> {
    for _ in 0..5 {
        h.step();
        let text = h
            .output()
            .platform_output
            .commands
            .iter()
            .find_map(|c| match c {
                OutputCommand::CopyText(text) => Some(text.clone()),
                _ => None,
            });
        if text.is_some() {
            return text;
        }
    }
    None
}

/// Whole words inside the second turn of a document.
fn some_words(h: &Harness<'_, Workbench>, doc: DocumentId) -> CharRange {
    let p = project(h);
    let d = &p.documents()[&doc];
    let turn = d.turns.get(1).or(d.turns.first()).expect("a turn");
    let text = p.text(doc);
    let words: String = text.chars().skip(turn.content_start).take(60).collect();
    let end = words.rfind(' ').map_or(30, |b| words[..b].chars().count());
    CharRange::new(turn.content_start, turn.content_start + end)
}

/// Scrolls the node with this role and name into view; returns its rect. The codebook lays out only the rows
/// in view, so a code's row is first brought into view the way the workbench does it (`scroll_to`).
fn reveal(h: &mut Harness<'_, Workbench>, role: egui::accesskit::Role, label: &str) -> egui::Rect {
    let code = project(h)
        .codes()
        .values()
        .find(|c| c.name == label)
        .map(|c| c.id);
    if let Some(code) = code {
        h.state_mut().codebook_mut().scroll_to = Some(code);
        h.run_steps(3);
    }
    h.get_by_role_and_label(role, label).scroll_to_me();
    h.run_steps(3);
    h.get_by_role_and_label(role, label).rect()
}

/// The code with the most codings.
fn busiest_code(h: &Harness<'_, Workbench>) -> CodeId {
    let counts = project(h).coding_counts();
    counts
        .into_iter()
        .max_by_key(|(id, n)| (*n, *id))
        .map(|(id, _)| id)
        .expect("codings")
}

#[test]
fn selection_quotes_and_tables_reach_the_system_clipboard() {
    let Fixture {
        dir: _dir,
        mut harness,
    } = open_sample();
    let doc = harness
        .state()
        .viewer()
        .document
        .expect("a document is open");

    // Ctrl+C on a selection in the transcript (egui turns Ctrl+C into a Copy event).
    let range = some_words(&harness, doc);
    harness.state_mut().viewer_mut().selection = Some(Selection::of(range));
    harness.run_steps(2);
    harness.event(egui::Event::Copy);
    let expected = slice(project(&harness).text(doc), range)
        .expect("slice")
        .to_string();
    assert_eq!(copied(&mut harness).as_deref(), Some(expected.as_str()));

    // Excerpts ▸ Copy quote: the passage in quotation marks with its citation.
    let code = busiest_code(&harness);
    harness.state_mut().select_codes([code]);
    harness.get_by_label("Excerpts").click();
    harness.run_steps(3);
    let quotes: Vec<String> = harness
        .state_mut()
        .current_excerpts()
        .iter()
        .map(|e| format!("“{}” ({})", e.text.trim(), e.citation()))
        .collect();
    harness
        .get_all_by_label("Copy quote")
        .next()
        .expect("a quote")
        .click();
    let quote = copied(&mut harness).expect("a quote is copied");
    assert!(quotes.contains(&quote), "{quote}");

    // Analysis ▸ matrix ▸ Copy table: tab-separated, one line per code plus the header.
    send(&mut harness, Command::Action(Action::OpenMatrix));
    harness.run_steps(3);
    support::finish_analysis(&mut harness);
    harness.get_by_label("Copy table").click();
    let table = copied(&mut harness).expect("the matrix is copied");
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines.len() > 3, "{table}");
    assert!(lines.iter().all(|l| l.contains('\t')), "{table}");
    let name = &project(&harness).codes()[&code].name;
    assert!(table.contains(name.as_str()), "{table}");
}

#[test]
fn the_case_table_copies_as_tab_separated_rows() {
    let Fixture {
        dir: _dir,
        mut harness,
    } = open_sample();
    send(&mut harness, Command::Action(Action::ShowCases));
    harness.run_steps(3);
    harness.get_by_label("Copy table").click();
    let table = copied(&mut harness).expect("the cases are copied");
    let p = project(&harness);
    assert_eq!(table.lines().count(), p.cases().len() + 1, "{table}");
    let header = table.lines().next().expect("header");
    for attribute in p.attributes().keys() {
        assert!(header.contains(attribute.as_str()), "{header}");
    }
    for case in p.cases().values() {
        assert!(table.contains(&format!("{}\t", case.name)), "{table}");
    }
}

#[test]
fn the_layout_fits_1024x700_and_1920x1080() {
    for (width, height) in [(1024.0, 700.0), (1920.0, 1080.0)] {
        let Fixture {
            dir: _dir,
            mut harness,
        } = open_sample_sized(width, height);
        harness.run_steps(3);
        let rects = harness.state().layout_rects();
        let left = rects.left.expect("left panel");
        let right = rects.right.expect("right panel");
        let centre = rects.centre;
        assert!(
            left.right() <= centre.left() + 1.0,
            "{width}: {left:?} {centre:?}"
        );
        assert!(
            right.left() >= centre.right() - 1.0,
            "{width}: {right:?} {centre:?}"
        );
        assert!(
            centre.width() >= 400.0,
            "{width}: the document gets {centre:?}"
        );
        assert!(right.right() <= width + 0.5 && left.left() >= -0.5);
        // The transcript wraps inside its panel (it ran under the right panel at 1024×700).
        let stats = harness.state().viewer().stats;
        let text = stats.text_column.expect("the text was drawn");
        assert!(
            text.left() >= centre.left() && text.right() <= centre.right(),
            "{width}: text {text:?} outside the centre {centre:?}"
        );
        // Code names beside the stripes where the margin has room.
        assert_eq!(stats.names_shown, width > 1500.0, "{width}");

        // Every window opens inside the work area: below the menu bar, above the status bar (the matrix ran
        // 17 px under the status bar at 1024×700), within the screen.
        let notes = tempfile::tempdir().expect("tempdir");
        let note = notes.path().join("feltnotat_elvebakken.txt");
        std::fs::write(
            &note,
            "Feltnotat frå Elvebakken: personalmøtet drøfta ressursteamet og kva PPT skal gjere i haust.\n",
        )
        .expect("write");
        harness
            .state_mut()
            .queue(Command::ImportPaths(vec![note.clone()]));
        harness.step();
        harness.state_mut().wait_for_background();
        harness.run_steps(3);
        assert!(harness.state().import_summary_open());
        for action in [
            Action::OpenMatrix,
            Action::OpenCooccurrence,
            Action::OpenChart,
            Action::OpenQueryBuilder,
            Action::OpenWords,
            Action::OpenAgreement,
            Action::ShowCases,
            Action::ShowCoders,
            Action::ExportExcerpts,
        ] {
            send(&mut harness, Command::Action(action));
        }
        harness.run_steps(6);
        let work = harness.state().layout_rects().work;
        for title in [
            "Code × case matrix",
            "Code co-occurrence",
            "Chart: codes by case group",
            "Coding query",
            "Word frequencies",
            "Agreement",
            "Cases and attributes",
            "Coders",
            "Export excerpts",
            "Import summary",
        ] {
            let r = harness
                .get_by_role_and_label(egui::accesskit::Role::Window, title)
                .rect();
            assert!(
                r.top() >= work.top() - 0.5 && r.bottom() <= work.bottom() + 0.5,
                "{width}×{height}: the window '{title}' at {r:?} is outside the work area {work:?}"
            );
            assert!(
                r.left() >= work.left() - 0.5 && r.right() <= work.right() + 0.5,
                "{width}×{height}: the window '{title}' at {r:?} is outside the work area {work:?}"
            );
        }
        // Every copy button (one per table window) lies inside the screen: nothing is clipped off.
        for node in harness.get_all_by_label("Copy table") {
            let r = node.rect();
            assert!(
                r.right() <= width + 0.5 && r.bottom() <= height + 0.5,
                "{width}: {r:?}"
            );
        }
    }
}

#[test]
fn side_panels_collapse_from_the_view_menu_and_keys() {
    let Fixture {
        dir: _dir,
        mut harness,
    } = open_sample_sized(1024.0, 700.0);
    let before = harness.state().layout_rects().centre.width();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::B);
    harness.run_steps(3);
    assert!(harness.state().layout_rects().left.is_none());
    support::menu(&mut harness, "View", "Search and excerpts panel");
    assert!(harness.state().layout_rects().right.is_none());
    let wide = harness.state().layout_rects().centre.width();
    assert!(wide > before + 300.0, "{before} → {wide}");
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::B);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::B);
    harness.run_steps(3);
    let rects = harness.state().layout_rects();
    assert!(rects.left.is_some() && rects.right.is_some());
}

#[test]
fn removing_a_document_from_its_menu_is_one_undoable_step() {
    let Fixture {
        dir: _dir,
        mut harness,
    } = open_sample();
    let open = harness.state().viewer().document;
    // The document (not the open one) with the most codings.
    let (doc, name, codings, memos) = {
        let p = project(&harness);
        let doc = p
            .documents()
            .values()
            .filter(|d| Some(d.id) != open)
            .max_by_key(|d| p.codings_in(d.id).len())
            .expect("documents");
        let codings = p.codings_in(doc.id).len();
        let memos = p
            .memos()
            .values()
            .filter(|m| match m.target {
                MemoTarget::Document(d) => d == doc.id,
                MemoTarget::Coding(c) => p.codings().get(&c).is_some_and(|c| c.document == doc.id),
                _ => false,
            })
            .count();
        (doc.id, doc.name.clone(), codings, memos)
    };
    assert!(codings > 0);
    let total = project(&harness).codings().len();

    // The list lays out only the rows in view: filter it down to the document.
    harness.get_by_label("Filter").click();
    harness.get_by_label("Filter").type_text(&name);
    harness.run_steps(3);
    reveal(&mut harness, egui::accesskit::Role::Button, &name);
    harness.get_by_label(&name).click_secondary();
    harness.run_steps(2);
    // Right-click shows the Document menu for that document; it works on the open one from the menu bar too.
    harness.get_by_label("Remove document…");
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    send(&mut harness, Command::OpenDocument(doc));
    harness.run_steps(2);
    assert_eq!(harness.state().viewer().document, Some(doc));
    harness.get_by_label("Document").click();
    harness.run_steps(2);
    harness.get_by_label("Remove document…").click();
    harness.run_steps(3);
    // The confirmation says what goes with the document.
    let counts = if codings == 1 {
        "1 coding".to_string()
    } else {
        format!("{codings} codings")
    };
    harness.get_by_label_contains(&counts);
    harness.get_by_label_contains(&format!("{memos} memo"));
    harness.get_by_label("Remove").click();
    harness.run_steps(3);
    let p = project(&harness);
    assert!(!p.documents().contains_key(&doc));
    assert_eq!(p.codings().len(), total - codings);

    // One Undo brings the document back with all its codings.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(3);
    let p = project(&harness);
    assert_eq!(p.documents()[&doc].name, name);
    assert_eq!(p.codings().len(), total);
}

#[test]
fn the_document_menu_changes_kind_and_escape_cancels_a_removal() {
    let Fixture {
        dir: _dir,
        mut harness,
    } = open_sample();
    let doc = harness.state().viewer().document.expect("open document");
    let kind = project(&harness).documents()[&doc].kind;
    let other = marginalia::model::DocumentKind::ALL
        .into_iter()
        .find(|k| *k != kind)
        .expect("another kind");
    harness.get_by_label("Document").click();
    harness.run_steps(2);
    harness.get_by_label("Kind").click();
    harness.run_steps(2);
    harness.get_by_label(other.keyword()).click();
    harness.run_steps(3);
    assert_eq!(project(&harness).documents()[&doc].kind, other);

    // Remove… then Escape keeps the document.
    send(
        &mut harness,
        Command::Document(marginalia::gui::commands::DocumentChange::AskRemove(doc)),
    );
    harness.run_steps(2);
    harness.get_by_label("Remove this document?");
    harness.key_press(Key::Escape);
    harness.run_steps(3);
    assert!(harness.query_by_label("Remove this document?").is_none());
    assert!(project(&harness).documents().contains_key(&doc));
}

#[test]
fn code_colour_from_the_palette_and_undo() {
    let Fixture {
        dir: _dir,
        mut harness,
    } = open_sample();
    let code = busiest_code(&harness);
    let (name, before) = {
        let c = &project(&harness).codes()[&code];
        (c.name.clone(), c.colour.clone())
    };
    let (n, hex) = marginalia::model::PALETTE
        .iter()
        .enumerate()
        .find(|(_, hex)| **hex != before)
        .expect("another colour");
    reveal(&mut harness, egui::accesskit::Role::Button, &name);
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, &name)
        .click_secondary();
    harness.run_steps(2);
    harness.get_by_label("Colour").click();
    harness.run_steps(2);
    harness
        .get_by_label(&format!("Palette colour {} ({hex})", n + 1))
        .click();
    harness.run_steps(3);
    assert_eq!(project(&harness).codes()[&code].colour, *hex);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    assert_eq!(project(&harness).codes()[&code].colour, before);
}

#[test]
fn dragging_a_code_above_a_sibling_reorders_them() {
    let Fixture {
        dir: _dir,
        mut harness,
    } = open_sample_sized(1400.0, 2400.0);
    // A parent with at least three sub-codes: drag the last above the first.
    let (parent, first, last) = {
        let p = project(&harness);
        let parent = p
            .codes()
            .values()
            .find(|c| p.children(Some(c.id)).len() >= 3)
            .expect("a parent with sub-codes");
        let children = p.children(Some(parent.id));
        (
            parent.id,
            children[0].name.clone(),
            children[children.len() - 1].name.clone(),
        )
    };
    // A tall window shows the whole codebook, so the list does not scroll while dragging near its edge.
    let from = harness
        .get_by_role_and_label(egui::accesskit::Role::Button, &last)
        .rect();
    let to = harness
        .get_by_role_and_label(egui::accesskit::Role::Button, &first)
        .rect();
    let start = from.center();
    let target = egui::pos2(to.center().x, to.top() + 2.0);
    // A step runs several passes; the clock is driven by hand so the drag reads as one quick gesture.
    let mut clock = harness.ctx.input(|i| i.time);
    let mut tick = |h: &mut Harness<'_, Workbench>| {
        clock += 0.05;
        h.input_mut().time = Some(clock);
        h.step();
    };
    harness.hover_at(start);
    tick(&mut harness);
    harness.drag_at(start);
    tick(&mut harness);
    for step in 1..=8 {
        let t = step as f32 / 8.0;
        harness.hover_at(start + (target - start) * t);
        tick(&mut harness);
    }
    harness.hover_at(target);
    tick(&mut harness);
    harness.event(egui::Event::PointerButton {
        pos: target,
        button: PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::NONE,
    });
    tick(&mut harness);
    tick(&mut harness);
    harness.input_mut().time = None;
    harness.remove_cursor();
    harness.run_steps(2);
    let p = project(&harness);
    let names: Vec<&str> = p
        .children(Some(parent))
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names.first(), Some(&last.as_str()), "{names:?}");
    assert_eq!(names.get(1), Some(&first.as_str()), "{names:?}");
    // The menu's Move down puts it back one place, through the same operation.
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, &last)
        .click_secondary();
    harness.run_steps(2);
    harness.get_by_label("Move down").click();
    harness.run_steps(3);
    let p = project(&harness);
    let names: Vec<&str> = p
        .children(Some(parent))
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names.first(), Some(&first.as_str()), "{names:?}");
    assert_eq!(names.get(1), Some(&last.as_str()), "{names:?}");
}

#[test]
fn escape_closes_the_window_in_use() {
    let Fixture {
        dir: _dir,
        mut harness,
    } = open_sample();
    send(&mut harness, Command::Action(Action::OpenCooccurrence));
    harness.run_steps(3);
    let title = harness.get_by_label("Code co-occurrence").rect();
    harness.hover_at(title.center());
    harness.run_steps(2);
    harness.key_press(Key::Escape);
    harness.run_steps(3);
    assert!(!harness.state().analysis().cooccurrence.open);
}

#[test]
fn the_main_path_is_reachable_through_the_accessibility_tree() {
    use egui::accesskit::Role;
    let Fixture {
        dir: _dir,
        mut harness,
    } = open_sample();
    // Open a document from the list, by its role and name.
    let (doc, name) = {
        let p = project(&harness);
        let d = p.documents_sorted()[1];
        (d.id, d.name.clone())
    };
    harness.get_by_label(&name).click();
    harness.run_steps(3);
    assert_eq!(harness.state().viewer().document, Some(doc));
    harness.get_by_role_and_label(Role::Document, &name);

    // Code a passage: the picker's field is named, and Enter codes.
    let range = some_words(&harness, doc);
    harness.state_mut().viewer_mut().selection = Some(Selection::of(range));
    harness.run_steps(2);
    harness.get_by_label("Code").click();
    harness.run_steps(2);
    // A menu item's accessible name ends with its shortcut.
    harness.get_by_label("Code selection… Ctrl+K").click();
    harness.run_steps(3);
    let code_name = project(&harness).codes()[&busiest_code(&harness)]
        .name
        .clone();
    harness.get_by_label("Find code").type_text(&code_name);
    harness.run_steps(2);
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    let code = code_named(&harness, &code_name);
    assert!(
        project(&harness)
            .codings_in(doc)
            .iter()
            .any(|c| c.range == range && c.code == code)
    );

    // Search: Ctrl+F, the query field by its name, Enter.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    harness.run_steps(2);
    harness.get_by_label("Query").type_text("ressursteam");
    harness.run_steps(1);
    harness.key_press(Key::Enter);
    harness.run_steps(1);
    // The search runs on a worker: wait for it.
    harness.state_mut().finish_search();
    harness.run_steps(2);
    let results = harness
        .state()
        .search()
        .results
        .as_ref()
        .expect("search ran");
    assert!(results.total > 0);

    // Export: the menu item opens the export window, found by its title.
    support::menu(&mut harness, "File", "Export excerpts…");
    harness.get_by_label("Export excerpts");
    // Every button in the menus and panels has a name a screen reader can read.
    for node in harness.get_all_by_role(Role::Button) {
        let label = node.accesskit_node().label().unwrap_or_default();
        assert!(!label.trim().is_empty(), "a button without a name");
    }
}

#[test]
fn double_click_renames_a_code_on_the_first_try_and_the_tree_stays_put() {
    let Fixture {
        dir: _dir,
        mut harness,
    } = open_sample();
    harness.state_mut().select_codes([]);
    harness.run_steps(2);
    let code = busiest_code(&harness);
    let name = project(&harness).codes()[&code].name.clone();
    let row = reveal(&mut harness, egui::accesskit::Role::Button, &name);
    let at = row.center();
    harness.hover_at(at);
    harness.run_steps(1);
    // The first click selects the code (its description opens below), the second, in the same place, renames.
    // A step runs several passes, so the clock is held for the two clicks to land within the double-click time.
    let start = harness.ctx.input(|i| i.time);
    for click in 0..2 {
        harness.input_mut().time = Some(start + 0.1 * f64::from(click + 1));
        for pressed in [true, false] {
            harness.event(egui::Event::PointerButton {
                pos: at,
                button: PointerButton::Primary,
                pressed,
                modifiers: Modifiers::NONE,
            });
        }
        harness.step();
        if click == 0 {
            let moved = harness
                .get_by_role_and_label(egui::accesskit::Role::Button, &name)
                .rect();
            assert_eq!(moved, row, "the tree did not move under the pointer");
        }
    }
    harness.input_mut().time = None;
    harness.run_steps(3);
    assert_eq!(harness.state().selected_codes().iter().next(), Some(&code));
    // Selecting the code opened its description below without moving the tree under the pointer.
    let renaming = harness
        .state_mut()
        .codebook_mut()
        .renaming
        .as_ref()
        .map(|r| r.0);
    assert_eq!(renaming, Some(code), "the double click renames");
}

#[test]
fn the_matrix_draws_each_row_beside_its_label_and_below_the_header() {
    let Fixture {
        dir: _dir,
        mut harness,
    } = open_sample_sized(1024.0, 700.0);
    send(&mut harness, Command::Action(Action::OpenMatrix));
    harness.run_steps(4);
    support::finish_analysis(&mut harness);
    let window = harness
        .get_by_role_and_label(egui::accesskit::Role::Window, "Code × case matrix")
        .rect();
    let row = "Leadership/Municipal leadership anchoring";
    let column = "Bakkebø skule";
    let label = harness
        .get_by_role_and_label(egui::accesskit::Role::Label, row)
        .rect();
    let cell = harness.get_by_label(&format!("{row} × {column}")).rect();
    let header = harness
        .get_all_by_label(column)
        .map(|n| n.rect())
        .find(|r| window.contains_rect(*r))
        .expect("the column header inside the matrix window");
    // The table's body ran beside its header instead of below it: cells at the header's height, far right.
    assert!(
        cell.top() >= header.bottom() - 1.0,
        "cell {cell:?} header {header:?}"
    );
    assert!(
        cell.left() >= header.left() - 8.0 && cell.left() <= header.right(),
        "cell {cell:?} header {header:?}"
    );
    assert!(
        (label.center().y - cell.center().y).abs() < 2.0 && label.right() <= cell.left() + 1.0,
        "label {label:?} cell {cell:?}"
    );
    // The code names get their column's full width (they were squeezed to the minimum).
    assert!(label.width() >= 200.0, "{label:?}");
    assert!(window.contains_rect(label) && window.contains_rect(header));
}

#[test]
fn the_chart_copies_its_bars_as_a_table() {
    let Fixture {
        dir: _dir,
        mut harness,
    } = open_sample();
    send(&mut harness, Command::Action(Action::OpenChart));
    harness.run_steps(2);
    // The chart computes on a worker: wait for it (on a loaded machine four frames may not be enough).
    support::finish_analysis(&mut harness);
    harness.run_steps(2);
    harness.get_by_label("Copy table").click();
    let table = copied(&mut harness).expect("the chart is copied");
    let lines: Vec<&str> = table.lines().collect();
    let header: Vec<&str> = lines[0].split('\t').collect();
    assert_eq!(header[0], "Code", "{table}");
    assert!(header.len() >= 3, "a column per case group: {table}");
    let last = lines.last().expect("totals");
    assert!(last.starts_with("Total\t"), "{table}");
    // Each group's total is the sum of its segments.
    let cells = |line: &str| -> Vec<u64> {
        line.split('\t')
            .skip(1)
            .map(|c| c.parse().expect("a count"))
            .collect()
    };
    let totals = cells(last);
    let mut sums = vec![0; totals.len()];
    for line in &lines[1..lines.len() - 1] {
        for (sum, x) in sums.iter_mut().zip(cells(line)) {
            *sum += x;
        }
    }
    assert_eq!(sums, totals, "{table}");
    assert!(totals.iter().sum::<u64>() > 0, "{table}");
}

#[test]
fn escape_closes_context_menus_and_windows_and_enter_confirms() {
    use egui::accesskit::Role;
    let Fixture {
        dir: _dir,
        mut harness,
    } = open_sample();
    let doc = harness.state().viewer().document.expect("an open document");
    let name = project(&harness).documents()[&doc].name.clone();

    // A document's right-click menu: Escape closes it.
    reveal(&mut harness, Role::Button, &name);
    harness
        .get_by_role_and_label(Role::Button, &name)
        .click_secondary();
    harness.run_steps(2);
    harness.get_by_label("Remove document…");
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    assert!(harness.query_by_label("Remove document…").is_none());

    // A code's right-click menu: Escape closes it.
    let code = busiest_code(&harness);
    let code_name = project(&harness).codes()[&code].name.clone();
    reveal(&mut harness, Role::Button, &code_name);
    harness
        .get_by_role_and_label(Role::Button, &code_name)
        .click_secondary();
    harness.run_steps(2);
    harness.get_by_label("Move up");
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    assert!(harness.query_by_label("Move up").is_none());

    // The selection's right-click menu: Escape closes the menu and keeps the selection.
    let range = some_words(&harness, doc);
    harness.state_mut().viewer_mut().selection = Some(Selection::of(range));
    harness.run_steps(2);
    // Right-click in the visible text (the document's node spans its whole height, mostly scrolled away).
    let text = harness
        .state()
        .viewer()
        .stats
        .text_column
        .expect("the text is drawn");
    let at = text.center();
    harness.hover_at(at);
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos: at,
            button: PointerButton::Secondary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        harness.step();
    }
    harness.run_steps(2);
    harness.get_by_label("Copy");
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    assert!(harness.query_by_label("Copy").is_none());
    assert_eq!(
        harness
            .state()
            .viewer()
            .selection
            .as_ref()
            .map(|s| s.range()),
        Some(range),
        "Escape on the menu leaves the selection alone"
    );

    // Two windows: each closes on Escape when the keyboard focus is in it (Tab moves into it).
    // (The pointer rests outside both windows: the keyboard focus alone says which window Escape closes.)
    harness.hover_at(egui::pos2(2.0, 895.0));
    send(&mut harness, Command::Action(Action::OpenMatrix));
    harness.run_steps(3);
    support::finish_analysis(&mut harness);
    harness.get_by_label("Copy table").focus();
    harness.run_steps(1);
    harness.key_press(Key::Escape);
    harness.run_steps(3);
    assert!(!harness.state().analysis().matrix.open);
    send(&mut harness, Command::Action(Action::ShowCoders));
    harness.run_steps(3);
    harness.get_by_label("Blind mode").focus();
    harness.run_steps(1);
    harness.key_press(Key::Escape);
    harness.run_steps(3);
    assert!(!harness.state().coders_window_open());

    // Enter confirms: Document ▸ Rename… with a new name.
    harness.get_by_label("Document").click();
    harness.run_steps(2);
    harness.get_by_label("Rename…").click();
    harness.run_steps(2);
    harness.get_by_label("Document name").focus();
    harness.run_steps(1);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run_steps(1);
    harness
        .get_by_label("Document name")
        .type_text("bjorkeli_rektor_omdopt");
    harness.run_steps(1);
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    assert_eq!(
        project(&harness).documents()[&doc].name,
        "bjorkeli_rektor_omdopt"
    );

    // And in the codebook: a new code's name, Enter adds it.
    harness.get_by_label("New code").click();
    harness.run_steps(1);
    harness
        .get_by_label("New code")
        .type_text("Ressursteam/Møtetid");
    harness.run_steps(1);
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    assert!(project(&harness).find_code("Ressursteam/Møtetid").is_some());

    // The New project dialog: Escape closes it; Enter creates the project.
    let folder = tempfile::tempdir().expect("tempdir");
    let root = folder.path().join("nytt_prosjekt");
    send(&mut harness, Command::CreateProject(root.clone()));
    harness.run_steps(2);
    harness.get_by_role_and_label(Role::Window, "New project");
    harness.get_by_label("Create").focus();
    harness.run_steps(1);
    harness.key_press(Key::Escape);
    harness.run_steps(3);
    assert!(harness.query_by_label("New project").is_none());
    send(&mut harness, Command::CreateProject(root.clone()));
    harness.run_steps(2);
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    harness.state_mut().wait_for_background();
    harness.run_steps(3);
    assert_eq!(
        harness.state().workspace().map(|w| w.root().to_path_buf()),
        Some(root)
    );
}

#[test]
fn tab_walks_a_window_in_reading_order_with_a_visible_ring() {
    use egui::accesskit::Role;
    let Fixture {
        dir: _dir,
        mut harness,
    } = open_sample();
    harness.hover_at(egui::pos2(2.0, 895.0));
    send(&mut harness, Command::Action(Action::ExportExcerpts));
    harness.run_steps(3);
    let window = harness
        .get_by_role_and_label(Role::Window, "Export excerpts")
        .rect();
    let focused = |h: &Harness<'_, Workbench>| {
        h.ctx
            .memory(|m| m.focused())
            .and_then(|id| h.ctx.read_response(id))
            .map(|r| r.rect)
    };
    // Start at the window's first control (the one nearest its top left), then Tab through the next ones.
    let first = harness
        .get_all_by_role(Role::Button)
        .chain(harness.get_all_by_role(Role::CheckBox))
        .chain(harness.get_all_by_role(Role::ComboBox))
        .filter(|n| window.contains_rect(n.rect()))
        .min_by(|a, b| {
            let (a, b) = (a.rect(), b.rect());
            (a.top(), a.left())
                .partial_cmp(&(b.top(), b.left()))
                .expect("numbers")
        })
        .expect("the export window has controls");
    let start = first.rect();
    first.focus();
    harness.run_steps(1);
    assert_eq!(focused(&harness), Some(start));
    let mut stops = vec![start];
    for _ in 0..8 {
        harness.key_press(Key::Tab);
        harness.run_steps(1);
        let rect = focused(&harness).expect("Tab puts the focus somewhere");
        stops.push(rect);
    }
    let inside: Vec<_> = stops
        .iter()
        .take_while(|r| window.contains_rect(**r))
        .collect();
    assert!(
        inside.len() >= 3,
        "Tab leaves the window at once: {stops:?}"
    );
    // Within the window Tab goes down the form: never back up a row.
    for pair in inside.windows(2) {
        assert!(
            pair[1].top() >= pair[0].top() - 4.0 || pair[1].left() > pair[0].left(),
            "Tab went back: {stops:?}"
        );
    }
    // The focused control is drawn with a 2 px ring.
    let ring = harness.ctx.global_style().visuals.widgets.active.bg_stroke;
    assert!(ring.width >= 2.0, "{ring:?}");
}

/// Runs a search from the Search tab and waits for it; returns the number of hits.
fn search_total(h: &mut Harness<'_, Workbench>, query: &str) -> usize {
    h.key_press_modifiers(Modifiers::COMMAND, Key::F);
    h.run_steps(2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_label("Query").type_text(query);
    h.run_steps(1);
    h.key_press(Key::Enter);
    h.run_steps(1);
    h.state_mut().finish_search();
    h.run_steps(2);
    let search = h.state().search();
    assert!(search.error.is_none(), "{:?}", search.error);
    search.results.as_ref().map_or(0, |r| r.total)
}

#[test]
fn blind_mode_hides_other_coders_from_code_searches_and_coding_memos() {
    let Fixture {
        dir: _dir,
        mut harness,
    } = open_sample();
    let doc = harness.state().viewer().document.expect("an open document");
    let code = busiest_code(&harness);
    let path = project(&harness).code_path(code);
    let (coding, coder) = {
        let p = project(&harness);
        let c = p.codings_in(doc)[0];
        (c.id, p.coders()[&c.coder].name.clone())
    };
    assert_ne!(coder, support::CODER);

    // A memo on a colleague's coding, listed in the Memos tab with its coding link.
    send(&mut harness, Command::NewMemo(MemoTarget::Coding(coding)));
    harness.run_steps(2);
    let link = {
        let p = project(&harness);
        let c = &p.codings()[&coding];
        format!("{} · {}", p.code_path(c.code), c.range)
    };
    harness.get_by_label("Memos").click();
    harness.run_steps(2);
    assert!(harness.query_by_label(&link).is_some(), "{link}");
    let seen = search_total(&mut harness, &format!("code:\"{path}\""));
    assert!(seen > 0);
    let by_colleague = search_total(&mut harness, &format!("coder:\"{coder}\""));
    assert!(by_colleague > 0);

    // Blind mode (the workbench's preference): the other coders' codings are gone from code: and coder:
    // searches and from the memos' coding links (this coder has coded nothing yet).
    harness.state_mut().prefs_mut().blind = true;
    harness.run_steps(2);
    assert_eq!(search_total(&mut harness, &format!("code:\"{path}\"")), 0);
    assert_eq!(search_total(&mut harness, &format!("coder:\"{coder}\"")), 0);
    // Words still match everywhere: only codings are hidden.
    assert!(search_total(&mut harness, "ressursteam") > 0);
    harness.get_by_label("Memos").click();
    harness.run_steps(2);
    assert!(harness.query_by_label(&link).is_none(), "{link}");

    // Revealing brings them back (and the search on screen runs again).
    harness.state_mut().reveal_coders(true);
    harness.run_steps(2);
    assert_eq!(
        search_total(&mut harness, &format!("code:\"{path}\"")),
        seen
    );
}

#[test]
fn a_coder_colour_is_chosen_in_the_coders_window_saved_and_undone() {
    let Fixture { dir, mut harness } = open_sample();
    let (tobias, before) = {
        let p = project(&harness);
        let c = p.find_coder("Tobias Lunde").expect("a coder");
        (c.id, marginalia::coders::layer_colour(p, c.id))
    };
    let (n, hex) = marginalia::coders::LAYER_PALETTE
        .iter()
        .enumerate()
        .find(|(_, hex)| **hex != before)
        .expect("another colour");
    support::menu(&mut harness, "View", "Coders…");
    harness.get_by_label("Colour of Tobias Lunde").click();
    harness.run_steps(2);
    harness
        .get_by_label(&format!("Palette colour {} ({hex})", n + 1))
        .click();
    harness.run_steps(3);
    assert_eq!(
        project(&harness).coders()[&tobias].colour.as_deref(),
        Some(*hex)
    );
    // Saved in the project: a fresh load sees it.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run_steps(3);
    let loaded = marginalia::store::load(&dir.path().join("sample")).expect("loads");
    assert_eq!(loaded.coders()[&tobias].colour.as_deref(), Some(*hex));
    // One undo step.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    assert_eq!(project(&harness).coders()[&tobias].colour, None);
    assert_eq!(
        marginalia::coders::layer_colour(project(&harness), tobias),
        before
    );
}

#[test]
fn every_table_view_copies_tab_separated_rows() {
    let Fixture {
        dir: _dir,
        mut harness,
    } = open_sample();
    let first_code = project(&harness).code_tree()[0].1.name.clone();
    for (action, heading) in [
        (Action::OpenCooccurrence, "Code"),
        (Action::OpenWords, ""),
        (Action::OpenAgreement, "Code"),
    ] {
        send(&mut harness, Command::Action(action));
        harness.run_steps(3);
        support::finish_analysis(&mut harness);
        if action == Action::OpenAgreement {
            harness.state_mut().analysis_mut().agreement.wait();
            harness.run_steps(3);
        }
        harness.get_by_label("Copy table").click();
        let table = copied(&mut harness).unwrap_or_else(|| panic!("{action:?}: nothing copied"));
        let lines: Vec<&str> = table.lines().collect();
        assert!(lines.len() > 3, "{action:?}: {table}");
        assert!(
            lines.iter().all(|l| l.contains('\t')),
            "{action:?}: {table}"
        );
        assert!(lines[0].starts_with(heading), "{action:?}: {}", lines[0]);
        if action != Action::OpenWords {
            assert!(table.contains(&first_code), "{action:?}: {table}");
        }
        // One table window at a time, so the next Copy table is the next view's.
        let analysis = harness.state_mut().analysis_mut();
        analysis.cooccurrence.open = false;
        analysis.words.open = false;
        analysis.agreement.open = false;
        harness.run_steps(2);
    }
}
