//! Headless tests of the analysis views (matrix, coding query builder, words) on the sample project, driven by
//! clicks through the Analysis menu; assertions on what the views list and on the project state.

mod support;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use marginalia::analysis::{
    Columns, CooccurrenceSpec, MatrixSpec, Proximity, Value, cooccurrence, matrix,
};
use marginalia::gui::Workbench;
use support::{Fixture, code_named, finish_analysis, menu, open_sample_sized, project};

fn open_view(h: &mut Harness<'_, Workbench>, item: &str) {
    menu(h, "Analysis", item);
}

#[test]
fn matrix_by_group_and_traceable_cells() {
    let Fixture {
        dir: _dir,
        mut harness,
    } = open_sample_sized(1500.0, 950.0);
    // The code selected in the codebook, so the matrix can be limited to it.
    let shortage = code_named(&harness, "Resource shortage");
    harness.state_mut().select_codes([shortage]);
    harness.run_steps(2);

    open_view(&mut harness, "Code × case matrix");
    assert!(harness.state().analysis().matrix.open);
    harness.get_by_label("Columns").click();
    harness.run_steps(2);
    harness.get_by_label("Case groups by group").click();
    harness.run_steps(2);
    assert_eq!(
        harness.state().analysis().matrix.columns,
        Columns::Attribute("group".into())
    );
    harness
        .get_by_label("Only the codes selected in the codebook")
        .click();
    harness.run_steps(3);
    finish_analysis(&mut harness);

    // The same matrix straight from the core: one row, LOG and control columns, both counted.
    let spec = MatrixSpec {
        codes: vec![shortage],
        columns: Columns::Attribute("group".into()),
        value: Value::Codings,
        ..MatrixSpec::default()
    };
    let m = matrix(project(&harness), &spec).expect("matrix");
    assert_eq!(m.rows.len(), 1);
    let labels: Vec<String> = m.columns.iter().map(|c| c.label.to_lowercase()).collect();
    let log = labels
        .iter()
        .position(|l| l == "log")
        .expect("a LOG column");
    let control = labels
        .iter()
        .position(|l| l == "control")
        .expect("a control column");
    assert!(m.value(Some(0), Some(log)) > 0.0, "LOG schools mention it");
    assert!(
        m.value(Some(0), Some(control)) > 0.0,
        "control schools mention it"
    );

    // Click the LOG cell: the excerpts listed are exactly the cell's number.
    let cell = format!("{} × {}", m.rows[0].label, m.columns[log].label);
    harness.get_by_label(&cell).click();
    harness.run_steps(3);
    // A passage both coders coded is one excerpt naming both: the list holds the cell's distinct passages.
    let passages = MatrixSpec {
        value: Value::Passages,
        ..spec.clone()
    };
    let distinct = matrix(project(&harness), &passages).expect("matrix");
    let expected = distinct.value(Some(0), Some(log)) as usize;
    assert!(expected <= m.value(Some(0), Some(log)) as usize);
    assert_eq!(
        harness.state().analysis().matrix.cells.selected(),
        Some((Some(0), Some(log)))
    );
    let listed = {
        let (analysis, input) = harness.state_mut().analysis_parts().expect("project");
        analysis.matrix.selected_excerpts(&input)
    };
    assert_eq!(listed.len(), expected);
    let codings = m.cell_codings(Some(0), Some(log));
    assert!(
        listed
            .iter()
            .all(|e| e.codings.iter().all(|c| codings.contains(c)))
    );
    harness.get_by_label_contains(&format!("{expected} excerpts behind"));

    // Clicking an excerpt jumps to it in the viewer.
    let first = listed[0].clone();
    harness
        .get_by_label_contains(&format!("{}: ", first.citation_with_coders()))
        .click();
    harness.run_steps(3);
    assert_eq!(harness.state().viewer().document, Some(first.document));
    assert_eq!(harness.state().viewer().selected_range(), Some(first.range));
}

#[test]
fn query_builder_and_save_as_code_then_undo() {
    let Fixture {
        dir: _dir,
        mut harness,
    } = open_sample_sized(1500.0, 950.0);
    // Two codes (neither inside the other) that overlap somewhere in the sample.
    let (a, b) = {
        let p = project(&harness);
        let t = cooccurrence(
            p,
            &CooccurrenceSpec {
                proximity: Proximity::Overlap,
                ..CooccurrenceSpec::default()
            },
        )
        .expect("co-occurrence");
        let n = t.codes.len();
        (0..n)
            .flat_map(|r| (0..n).map(move |c| (r, c)))
            .filter(|(r, c)| r != c && t.counts[*r][*c] > 0)
            .map(|(r, c)| (t.codes[r].code, t.codes[c].code))
            .find(|(a, b)| !p.descendants(*a).contains(b) && !p.descendants(*b).contains(a))
            .expect("two overlapping codes")
    };
    open_view(&mut harness, "Coding query");
    {
        let q = &mut harness.state_mut().analysis_mut().query;
        q.code_a = Some(a);
        q.code_b = Some(b);
    }
    harness.run_steps(2);
    harness.get_by_label("Run query").click();
    harness.run_steps(3);
    finish_analysis(&mut harness);
    let passages = {
        let (analysis, input) = harness.state_mut().analysis_parts().expect("project");
        let result = analysis.query.current(&input).expect("a query");
        result.expect("runs").passages.clone()
    };
    assert!(!passages.is_empty(), "the two codes overlap");
    harness.get_by_label_contains(&format!("{} passages in", passages.len()));

    // Save as a new code: one edit, every passage coded.
    harness.get_by_label("Save as code…").click();
    harness.run_steps(2);
    harness.get_by_label("Code to save as").click();
    harness
        .get_by_label("Code to save as")
        .type_text("Query results/Both");
    harness.run_steps(1);
    harness.get_by_label("Save").click();
    harness.run_steps(3);
    let saved = |h: &Harness<'_, Workbench>| {
        let p = project(h);
        p.codes()
            .values()
            .find(|c| c.name == "Both")
            .map(|c| p.codings().values().filter(|x| x.code == c.id).count())
    };
    assert_eq!(saved(&harness), Some(passages.len()));

    // One undo takes the code and all its codings away.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(3);
    assert_eq!(saved(&harness), None, "undo removes the saved code");
    assert!(
        !project(&harness)
            .codes()
            .values()
            .any(|c| c.name == "Query results"),
        "and the parent it created"
    );
}

#[test]
fn words_view_lists_kwic_lines_and_jumps() {
    let Fixture {
        dir: _dir,
        mut harness,
    } = open_sample_sized(1500.0, 950.0);
    open_view(&mut harness, "Word frequencies");
    finish_analysis(&mut harness);
    let (word, count) = {
        let (analysis, input) = harness.state_mut().analysis_parts().expect("project");
        let w = analysis.words.current(&input).expect("counts");
        assert!(w.total > 1000, "the sample has many words");
        (w.words[0].word.clone(), w.words[0].count)
    };
    harness.get_by_label(&word).click();
    harness.run_steps(3);
    finish_analysis(&mut harness);
    assert_eq!(
        harness.state().analysis().words.word.as_deref(),
        Some(word.as_str())
    );
    harness.get_by_label_contains(&format!("in context: {count} lines"));
    let line = {
        let (analysis, input) = harness.state_mut().analysis_parts().expect("project");
        analysis.words.kwic_lines(&input).expect("kwic")[0].clone()
    };
    harness
        .get_by_label_contains(&format!("{}, {}: ", line.document_name, {
            let project = harness.state().project().expect("project");
            project.documents()[&line.document]
                .locator(line.range)
                .to_string()
        }))
        .click();
    harness.run_steps(3);
    assert_eq!(harness.state().viewer().document, Some(line.document));
    assert_eq!(harness.state().viewer().selected_range(), Some(line.range));
}

#[test]
fn a_view_computes_on_its_worker_and_keeps_the_previous_result_meanwhile() {
    let Fixture {
        dir: _dir,
        mut harness,
    } = open_sample_sized(1500.0, 950.0);
    open_view(&mut harness, "Code × case matrix");
    finish_analysis(&mut harness);
    assert!(harness.query_by_label("Computing…").is_none());
    let first = {
        let p = project(&harness);
        let m = matrix(p, &MatrixSpec::default()).expect("matrix");
        format!("{} × {}", m.rows[0].label, m.columns[0].label)
    };
    harness.get_by_label(&first);

    // A new choice: the frame that asks for it shows "Computing…" above the previous table.
    harness.state_mut().analysis_mut().matrix.value = Value::Documents;
    harness.step();
    harness.get_by_label("Computing…");
    harness.get_by_label(&first);
    assert!(harness.state().analysis().computing());

    // The worker delivers: the new table, and the computing state is gone.
    finish_analysis(&mut harness);
    assert!(!harness.state().analysis().computing());
    assert!(harness.query_by_label("Computing…").is_none());
    let expected = {
        let spec = MatrixSpec {
            value: Value::Documents,
            ..MatrixSpec::default()
        };
        matrix(project(&harness), &spec).expect("matrix")
    };
    let (analysis, input) = harness.state_mut().analysis_parts().expect("project");
    let shown = analysis.matrix.current(&input).expect("a matrix");
    assert_eq!(shown.values, expected.values);
    assert_eq!(shown.spec.value, Value::Documents);

    // Two quick changes: only the newest result is kept.
    harness.state_mut().analysis_mut().matrix.value = Value::Characters;
    harness.step();
    harness.state_mut().analysis_mut().matrix.value = Value::Codings;
    harness.step();
    finish_analysis(&mut harness);
    let (analysis, input) = harness.state_mut().analysis_parts().expect("project");
    assert_eq!(
        analysis
            .matrix
            .current(&input)
            .expect("a matrix")
            .spec
            .value,
        Value::Codings
    );
}
