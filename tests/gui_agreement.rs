//! Headless tests of coder layers and the agreement window on the sample study (two coders, Ingrid Solberg and
//! Tobias Lunde): blind mode hides the other coder everywhere, the window shows the core's figures, and a review
//! decision creates a consensus coding that undo removes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use egui_kittest::kittest::Queryable;
use marginalia::analysis::agreement::{AgreementSpec, Statistic, agreement, disagreements};
use marginalia::gui::commands::{Action, Command};
use marginalia::ops::{Decision, Resolution};
use support::{Fixture, code_named, menu, open_sample_sized, project, send};

#[test]
fn blind_mode_hides_the_other_coders_codings_until_revealed() {
    let Fixture {
        dir: _dir,
        mut harness,
    } = open_sample_sized(1500.0, 950.0);
    harness.state_mut().prefs_mut().coder = "Ingrid Solberg".into();
    let shortage = code_named(&harness, "Resource shortage");
    harness.state_mut().select_codes([shortage]);
    harness.run_steps(2);
    let all = harness.state_mut().current_excerpts();
    assert!(
        all.iter()
            .any(|e| e.coders.contains(&"Tobias Lunde".to_string()))
    );

    menu(&mut harness, "View", "Blind mode (hide other coders)");
    assert!(harness.state().prefs().blind);
    harness.run_steps(2);
    let mine = harness.state_mut().current_excerpts();
    assert!(!mine.is_empty(), "Ingrid still sees her own excerpts");
    assert!(
        mine.iter().all(|e| e.coders == ["Ingrid Solberg"]),
        "no excerpt names Tobias in blind mode"
    );
    let p = project(&harness);
    let ingrid = p.find_coder("Ingrid Solberg").expect("coder").id;
    let selection = harness.state().shown_coders();
    assert!(selection.contains(ingrid));
    assert!(!selection.contains(p.find_coder("Tobias Lunde").expect("coder").id));

    // Matrices count only her codings too.
    let (analysis, input) = harness.state_mut().analysis_parts().expect("project");
    assert_eq!(input.coders, selection);
    let _ = analysis;

    // The agreement window says why it shows nothing.
    menu(&mut harness, "Analysis", "Agreement between coders");
    harness.get_by_label_contains("Blind mode hides the other coders");

    harness.state_mut().reveal_coders(true);
    harness.run_steps(2);
    assert_eq!(harness.state_mut().current_excerpts().len(), all.len());
}

#[test]
fn hiding_a_coder_layer_hides_their_excerpts() {
    let Fixture {
        dir: _dir,
        mut harness,
    } = open_sample_sized(1500.0, 950.0);
    let tobias = project(&harness)
        .find_coder("Tobias Lunde")
        .expect("coder")
        .id;
    let shortage = code_named(&harness, "Resource shortage");
    harness.state_mut().select_codes([shortage]);
    send(&mut harness, Command::Action(Action::ShowCoders));
    harness.run_steps(3);
    assert!(harness.state().coders_window_open());
    assert!(
        harness
            .query_all_by_label_contains("Tobias Lunde")
            .next()
            .is_some()
    );
    harness.state_mut().set_coder_visible(tobias, false);
    harness.run_steps(2);
    let list = harness.state_mut().current_excerpts();
    assert!(!list.is_empty());
    assert!(
        list.iter()
            .all(|e| !e.coders.contains(&"Tobias Lunde".to_string()))
    );
}

#[test]
fn agreement_window_shows_the_samples_figures_and_a_decision_is_undoable() {
    let Fixture {
        dir: _dir,
        mut harness,
    } = open_sample_sized(1600.0, 1000.0);
    menu(&mut harness, "Analysis", "Agreement between coders");
    assert!(harness.state().analysis().agreement.open);
    harness.run_steps(2);
    harness.state_mut().analysis_mut().agreement.wait();
    harness.run_steps(3);

    // The window's report is the core's report for the same options.
    let p = project(&harness).clone();
    let view = &harness.state().analysis().agreement;
    let shown = view
        .computed()
        .expect("computed")
        .result
        .as_ref()
        .expect("a report")
        .clone();
    let spec = AgreementSpec {
        coders: view.coders.iter().copied().collect(),
        ..AgreementSpec::default()
    };
    let core = agreement(&p, &spec).expect("agreement");
    assert_eq!(shown.rows, core.rows);
    let overall = core
        .overall()
        .expect("overall")
        .value(Statistic::Alpha)
        .expect("α");
    assert!(
        harness
            .query_all_by_label_contains(&format!("{overall:.3}"))
            .next()
            .is_some(),
        "the overall α is shown"
    );

    // Click a code with disagreements: its review queue opens.
    let code = code_named(&harness, "Resource shortage");
    let path = p.code_path(code);
    harness.get_by_label(&path).click();
    harness.run_steps(3);
    let review = harness
        .state()
        .analysis()
        .agreement
        .review
        .as_ref()
        .expect("review open");
    assert_eq!(review.code, code);
    let pair = review.pair;
    let list = disagreements(&p, code, &pair).expect("disagreements");
    assert!(!list.is_empty());
    harness.get_by_label_contains(&format!("{} disagreeing stretch(es)", list.len()));

    // Union: one undoable step that codes the consensus layer.
    let before = p.codings().len();
    harness.get_by_label("Union").click();
    harness.run_steps(4);
    let after = project(&harness);
    let consensus = after.find_coder("Consensus").expect("consensus coder").id;
    assert!(after.codings().len() > before);
    assert!(
        after
            .codings()
            .values()
            .any(|c| c.coder == consensus && c.code == code)
    );
    let reviewed = harness.state().analysis().agreement.reviewed.clone();
    assert_eq!(reviewed.len(), 1);

    send(&mut harness, Command::Action(Action::Undo));
    let undone = project(&harness);
    assert_eq!(undone.codings().len(), before);
    assert!(!undone.codings().values().any(|c| c.coder == consensus));

    // The same decision sent as a command works like the button.
    let d = &list[0];
    send(
        &mut harness,
        Command::ResolveDisagreement(Box::new(Decision {
            document: d.document,
            code,
            stretch: d.range,
            coders: pair,
            resolution: Resolution::KeepFirst,
            consensus: "Consensus".into(),
            memo: Some("Enige etter diskusjon".into()),
        })),
    );
    let _ = harness.state().error();
}
