//! Headless tests of the Norwegian interface (issue 15): View ▸ Language switches the whole workbench to nynorsk
//! or bokmål and back, and at 1024×700 the long Norwegian labels of the menu bar, the panels and the main windows
//! stay inside their panel or window (nothing runs off or is cut at the edge).
//!
//! The interface language is one setting of the process, so this file holds a single test that walks through
//! the languages in turn (tests in other files pin English through `support`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeSet;

use egui::Rect;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use marginalia::gui::commands::{Action, CodeChange, Command};
use marginalia::gui::{Lang, Workbench};
use support::{Fixture, open_sample_sized, send};

const WIDTH: f32 = 1024.0;
const HEIGHT: f32 = 700.0;

/// Chooses a language in View ▸ Language, reading the menu titles of the language shown now.
fn choose_language(h: &mut Harness<'_, Workbench>, view: &str, language: &str, name: &str) {
    h.get_by_label(view).click();
    h.run_steps(2);
    h.get_by_label(language).click();
    h.run_steps(2);
    h.get_by_label(name).click();
    h.run_steps(3);
}

/// Every labelled node that begins inside `container` ends inside it too (a little slack for rounding), so no
/// text runs past the container's edge where egui would cut it off.
fn labels_fit<'t>(
    nodes: impl Iterator<Item = egui_kittest::Node<'t>>,
    container: Rect,
    what: &str,
    data: &BTreeSet<String>,
) -> usize {
    let mut checked = 0;
    for node in nodes {
        // Resize handles (egui names them "Resize …") straddle the edge by design.
        if node
            .accesskit_node()
            .label()
            .is_none_or(|l| {
                l.trim().is_empty()
                    || l.starts_with("Resize")
                    || data.contains(&l)
                    // A heatmap cell ("code × case") is project data in a table that scrolls sideways.
                    || l.split_once(" × ").is_some_and(|(a, b)| {
                        data.contains(a.rsplit('/').next().unwrap_or(a).trim()) && data.contains(b.trim())
                    })
            })
        {
            continue;
        }
        let r = node.rect();
        let starts_inside = container.x_range().contains(r.left() + 1.0)
            && container.y_range().contains(r.top() + 1.0);
        if !starts_inside || r.width() <= 0.0 {
            continue;
        }
        let label = node.accesskit_node().label().unwrap_or_default();
        assert!(
            r.right() <= container.right() + 1.0,
            "{what}: '{label}' at {r:?} runs past the right edge of {container:?}"
        );
        checked += 1;
    }
    checked
}

/// The workbench in `lang` at 1024×700: menu bar, panels and the main windows keep their labels inside.
fn layout_fits(h: &mut Harness<'_, Workbench>, menus: &[&str], windows: &[(Action, &str)]) {
    h.run_steps(3);
    let rects = h.state().layout_rects();
    // The project's own names (documents, codes, coders, cases, attributes; tables scroll them sideways) are the researchers' data, not interface texts.
    let p = support::project(h);
    let data: BTreeSet<String> = p
        .documents()
        .values()
        .map(|d| d.name.clone())
        .chain(p.codes().values().map(|c| c.name.clone()))
        .chain(p.coders().values().map(|c| c.name.clone()))
        .chain(p.cases().values().map(|c| c.name.clone()))
        .chain(p.attributes().keys().map(|k| k.to_string()))
        .collect();
    // The menu bar: every title inside the screen and above the work area.
    for title in menus {
        let r = h
            .get_by_role_and_label(egui::accesskit::Role::Button, title)
            .rect();
        assert!(
            r.left() >= -0.5 && r.right() <= WIDTH + 0.5 && r.bottom() <= rects.work.top() + 0.5,
            "menu '{title}' at {r:?}"
        );
    }
    let left = rects.left.expect("left panel");
    let right = rects.right.expect("right panel");
    assert!(labels_fit(h.query_all_by(|_| true), left, "the left panel", &data) >= 3);
    assert!(labels_fit(h.query_all_by(|_| true), right, "the right panel", &data) >= 3);
    let status = Rect::from_min_max(
        egui::pos2(0.0, rects.work.bottom()),
        egui::pos2(WIDTH, HEIGHT),
    );
    labels_fit(h.query_all_by(|_| true), status, "the status bar", &data);
    // The main windows, one at a time.
    for (action, title) in windows {
        send(h, Command::Action(*action));
        h.run_steps(4);
        let window = h.get_by_role_and_label(egui::accesskit::Role::Window, title);
        let r = window.rect();
        assert!(
            r.left() >= -0.5 && r.right() <= WIDTH + 0.5 && r.bottom() <= HEIGHT + 0.5,
            "the window '{title}' at {r:?} is off the screen"
        );
        assert!(
            labels_fit(window.query_all_by(|_| true), r, title, &data) > 2,
            "the window '{title}' has labelled controls"
        );
        h.get_by_role_and_label(egui::accesskit::Role::Window, title)
            .get_by_label("Close window")
            .click();
        h.run_steps(3);
        assert!(
            h.query_by_role_and_label(egui::accesskit::Role::Window, title)
                .is_none(),
            "'{title}' closed"
        );
    }
}

#[test]
fn view_language_switches_to_nynorsk_and_bokmal_without_clipping_and_back() {
    let Fixture {
        dir: _dir,
        mut harness,
    } = open_sample_sized(WIDTH, HEIGHT);
    assert_eq!(harness.state().prefs().language, Lang::English);
    assert!(harness.query_by_label("File").is_some());

    // Nynorsk.
    choose_language(&mut harness, "View", "Language", "Norsk nynorsk");
    assert_eq!(harness.state().prefs().language, Lang::Nynorsk);
    for label in ["Fil", "Rediger", "Vis", "Analyse"] {
        assert!(
            harness.query_by_label(label).is_some(),
            "nynorsk menu '{label}'"
        );
    }
    for english in [
        "File", "Edit", "View", "Analysis", "Codes", "Excerpts", "Memos",
    ] {
        assert!(
            harness.query_by_label(english).is_none(),
            "'{english}' is still shown in English"
        );
    }
    // The panels: headings and tabs in nynorsk (not bokmål).
    for label in ["Kodar", "Utdrag", "Notat", "Søk"] {
        assert!(
            harness.query_all_by_label(label).next().is_some(),
            "nynorsk label '{label}'"
        );
    }
    assert!(
        harness.query_all_by_label("Dokument").count() >= 2,
        "menu and panel"
    );
    assert!(harness.query_by_label("Dokumenter").is_none());
    assert!(harness.query_by_label("Koder").is_none());
    layout_fits(
        &mut harness,
        &["Fil", "Rediger", "Kode", "Dokument", "Vis", "Analyse"],
        &[
            (Action::ShowCases, "Case og attributt"),
            (Action::ExportExcerpts, "Eksporter utdrag"),
            (Action::OpenMatrix, "Matrise: kodar × case"),
            (Action::ShowCoders, "Kodarar"),
            (Action::OpenAgreement, "Samsvar"),
        ],
    );

    // Bokmål: its own forms, the same fit.
    choose_language(&mut harness, "Vis", "Språk", "Norsk bokmål");
    assert_eq!(harness.state().prefs().language, Lang::Bokmal);
    assert!(harness.query_all_by_label("Dokumenter").next().is_some());
    assert!(harness.query_all_by_label("Koder").next().is_some());
    assert!(harness.query_by_label("Kodar").is_none());
    layout_fits(
        &mut harness,
        &["Fil", "Rediger", "Kode", "Dokument", "Vis", "Analyse"],
        &[
            (Action::ShowCases, "Case og attributter"),
            (Action::ExportExcerpts, "Eksporter utdrag"),
            (Action::OpenMatrix, "Matrise: koder × case"),
            (Action::ShowCoders, "Kodere"),
        ],
    );
    // What Undo would undo is named in bokmål too (the core names edits in English; the history keeps that).
    send(
        &mut harness,
        Command::Code(CodeChange::AddPath("Bemanningsmangel".into())),
    );
    harness.get_by_label("Rediger").click();
    harness.run_steps(2);
    let labels = |h: &Harness<'_, Workbench>, start: &str| -> Vec<String> {
        h.query_all(egui_kittest::kittest::by())
            .filter_map(|n| n.accesskit_node().label())
            .filter(|l| l.starts_with(start))
            .collect()
    };
    let undo = labels(&harness, "Angre");
    assert!(
        undo.iter()
            .any(|l| l.starts_with("Angre: legg til koden «Bemanningsmangel»")),
        "the undo label in bokmål: {undo:?}"
    );
    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    send(&mut harness, Command::Action(Action::Undo));
    harness.run_steps(2);
    assert_eq!(
        harness.state().notice(),
        Some("Angret: legg til koden «Bemanningsmangel»"),
        "the status line in bokmål"
    );

    // And back to English, with the language kept in the preferences.
    choose_language(&mut harness, "Vis", "Språk", "English");
    assert_eq!(harness.state().prefs().language, Lang::English);
    for label in ["File", "Edit", "View", "Analysis", "Codes"] {
        assert!(
            harness.query_all_by_label(label).next().is_some(),
            "English '{label}'"
        );
    }
    assert!(harness.query_by_label("Fil").is_none());
}
