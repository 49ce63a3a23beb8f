//! Headless tests of export and exchange in the workbench (egui_kittest): the excerpt export window opened through
//! the File menu, the codebook import as one undoable edit, and a REFI-QDA project round trip, on the sample
//! project. The native dialogs cannot run headless, so the tests call the functions the dialogs hand a path to.

mod support;

use egui::{Key, Modifiers};
use egui_kittest::kittest::{NodeT, Queryable};
use marginalia::export::{Grouping, ReportFormat};
use marginalia::gui::commands::{Command, ExportOrigin, Finished};
use marginalia::gui::export_dialog;
use marginalia::retrieve::{ExcerptFilter, excerpts};
use support::{Fixture, code_named, menu, open_sample, project, send};

#[test]
fn excerpt_export_window_writes_the_chosen_code_as_markdown() {
    let Fixture { dir, mut harness } = open_sample();
    let anchoring = code_named(&harness, "Municipal leadership anchoring");
    let expected = excerpts(
        project(&harness),
        &ExcerptFilter {
            codes: vec![anchoring],
            include_subcodes: true,
            ..ExcerptFilter::default()
        },
    );
    assert!(!expected.is_empty(), "the sample codes this code");

    // Nothing selected in the codebook: the window opens with no codes chosen.
    menu(&mut harness, "File", "Export excerpts…");
    assert!(harness.state().exchange().excerpts.open);
    assert!(harness.state().exchange().excerpts.options.codes.is_empty());
    harness.get_by_label("No codes chosen: every coded excerpt is exported.");

    // Pick the code, Markdown, and case → code grouping.
    harness
        .get_by_label("Leadership/Municipal leadership anchoring")
        .click();
    harness.run_steps(2);
    harness.get_by_label("Markdown").click();
    harness.run_steps(2);
    harness.get_by_label("Case → code").click();
    harness.run_steps(2);
    harness.get_by_label("1 code chosen");
    let options = harness.state().exchange().excerpts.options.clone();
    assert_eq!(
        options.codes.iter().copied().collect::<Vec<_>>(),
        [anchoring]
    );
    assert_eq!(options.format, ReportFormat::Markdown);
    assert_eq!(options.grouping, Grouping::CaseCode);
    harness.get_by_label("Export…");

    // What the worker does once the save dialog has chosen a path.
    let path = dir.path().join("excerpts.md");
    let written = export_dialog::write_excerpts(project(&harness), &options, &path)
        .expect("the export writes");
    assert_eq!(written, expected.len());
    let text = std::fs::read_to_string(&path).expect("the file exists");
    assert!(text.starts_with("# Coded excerpts: "), "{text}");
    assert!(
        text.contains("codes: Leadership/Municipal leadership anchoring"),
        "{text}"
    );
    let first_line = expected[0]
        .text
        .trim()
        .lines()
        .next()
        .expect("a line")
        .trim()
        .to_string();
    let fragment: String = first_line.chars().take(30).collect();
    assert!(text.contains(&fragment), "{fragment:?} not in {text}");
    // Grouped by case first: the first heading names cases, not the code.
    let heading = text
        .lines()
        .find_map(|l| l.strip_prefix("## "))
        .expect("a group heading");
    // (a document of several cases is listed under all of them, joined with "; ")
    assert!(
        heading
            .split("; ")
            .all(|name| project(&harness).cases().values().any(|c| c.name == name)),
        "{heading} names cases"
    );
    assert!(!heading.contains("Municipal leadership anchoring"));

    // The worker's report reaches the window and the status bar.
    let message = format!("Exported {written} excerpt(s) to {}", path.display());
    send(
        &mut harness,
        Command::Finished(Finished::Exported {
            result: Ok(message.clone()),
            origin: ExportOrigin::ExcerptWindow,
        }),
    );
    assert_eq!(harness.state().notice(), Some(message.as_str()));
    assert_eq!(
        harness.state().exchange().excerpts.message,
        Some(Ok(message))
    );
}

#[test]
fn export_window_starts_with_the_codebook_selection() {
    let Fixture {
        dir: _dir,
        mut harness,
    } = open_sample();
    let leadership = code_named(&harness, "Leadership");
    harness.state_mut().select_codes([leadership]);
    harness.run_steps(2);
    menu(&mut harness, "File", "Export excerpts…");
    let options = &harness.state().exchange().excerpts.options;
    assert_eq!(
        options.codes.iter().copied().collect::<Vec<_>>(),
        [leadership]
    );
    assert!(options.include_subcodes);
}

#[test]
fn codebook_import_is_one_undoable_edit() {
    let Fixture { dir, mut harness } = open_sample();
    let before = project(&harness).codes().len();
    let file = dir.path().join("outline.txt");
    std::fs::write(
        &file,
        "Exchange test: a code from an outline\n  First child\n  Second child\nLeadership\n",
    )
    .expect("write outline");
    let (nodes, warnings) = export_dialog::read_codebook(&file).expect("the outline reads");
    assert_eq!(nodes.len(), 2);
    assert!(warnings.is_empty(), "{warnings:?}");

    send(
        &mut harness,
        Command::Finished(Finished::CodebookRead {
            file,
            nodes,
            warnings,
        }),
    );
    assert_eq!(project(&harness).codes().len(), before + 3);
    assert_eq!(
        harness.state().notice(),
        Some("Added 3 code(s); 1 already in the codebook")
    );
    let parent = code_named(&harness, "Exchange test");
    assert_eq!(
        project(&harness).codes()[&parent].description,
        "a code from an outline"
    );

    // One undo takes all three back.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    assert_eq!(project(&harness).codes().len(), before);
}

#[test]
fn qdpx_round_trip_opens_the_new_project_with_its_report() {
    let Fixture { dir, mut harness } = open_sample();
    let (documents, codes, codings) = {
        let p = project(&harness);
        (p.documents().len(), p.codes().len(), p.codings().len())
    };
    let qdpx = dir.path().join("sample.qdpx");
    let message = export_dialog::write_qdpx(project(&harness), &qdpx).expect("qdpx writes");
    assert!(message.contains(&format!("{documents} documents, {codes} codes")));

    // The codebook alone, as .qdc, reads back with every code.
    let qdc = dir.path().join("codebook.qdc");
    export_dialog::write_qdc(project(&harness), &qdc).expect("qdc writes");
    let (nodes, _) = export_dialog::read_codebook(&qdc).expect("qdc reads");
    fn count(nodes: &[marginalia::interop::qdc::CodeNode]) -> usize {
        nodes.iter().map(|n| 1 + count(&n.children)).sum()
    }
    assert_eq!(count(&nodes), codes);

    // The File menu offers the import (its file dialogs cannot run headless); the worker creates the project from
    // the chosen file and folder, and the app opens it.
    harness.get_by_label("File").click();
    harness.run_steps(2);
    assert!(
        !harness
            .get_by_label("Import REFI-QDA project (.qdpx)…")
            .accesskit_node()
            .is_disabled(),
        "the import is enabled"
    );
    let root = dir.path().join("reimported");
    let (_, report) = marginalia::interop::import_qdpx_project(&qdpx, &root).expect("qdpx imports");
    send(
        &mut harness,
        Command::Finished(Finished::ProjectImported {
            root: root.clone(),
            file: qdpx,
            report,
        }),
    );
    harness.run_steps(1);
    let ws = harness
        .state()
        .workspace()
        .expect("the new project is open");
    assert_eq!(
        ws.root().canonicalize().expect("root exists"),
        root.canonicalize().expect("root exists")
    );
    assert_eq!(ws.project().documents().len(), documents);
    assert_eq!(ws.project().codings().len(), codings);
    let report = harness
        .state()
        .exchange()
        .report
        .as_ref()
        .expect("the report window");
    assert!(
        report.summary.contains(&format!(
            "{documents} documents, {codes} codes, {codings} codings"
        )),
        "{}",
        report.summary
    );
    harness.get_by_label("REFI-QDA import");
}

/// Copies a project folder without its local state, as a colleague's copy would arrive.
#[allow(clippy::expect_used)]
fn copy_project(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let name = entry.file_name();
        if name == ".index" || name == ".marginalia" {
            continue;
        }
        if entry.file_type().expect("type").is_dir() {
            copy_project(&entry.path(), &to.join(&name));
        } else {
            std::fs::copy(entry.path(), to.join(&name)).expect("copy");
        }
    }
}

#[test]
fn merge_a_copy_from_the_file_menu_is_one_undoable_edit_with_its_conflicts_listed() {
    let fixture = open_sample();
    let copy = fixture.dir.path().join("kopi");
    copy_project(&fixture.root(), &copy);
    let Fixture {
        dir: _dir,
        mut harness,
    } = fixture;
    // The colleague adds a code and renames another in their copy.
    let bin = env!("CARGO_BIN_EXE_marginalia");
    for args in [
        vec![
            "codes",
            copy.to_str().expect("path"),
            "add",
            "Outcomes/Pupil wellbeing",
        ],
        vec![
            "codes",
            copy.to_str().expect("path"),
            "rename",
            "Barriers/Resource shortage",
            "Mangel på ressurser",
        ],
    ] {
        let out = std::process::Command::new(bin)
            .args(&args)
            .output()
            .expect("cli runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let codes_before = project(&harness).codes().len();

    menu(&mut harness, "File", "Merge a copy…");
    // The folder dialog cannot run headless; this is what it hands back.
    send(&mut harness, Command::MergeCopy(copy.clone()));
    assert_eq!(harness.state().error(), None);
    assert_eq!(project(&harness).codes().len(), codes_before + 1);
    assert!(
        project(&harness)
            .find_code("Outcomes/Pupil wellbeing")
            .is_some()
    );
    assert!(
        project(&harness)
            .find_code("Barriers/Resource shortage")
            .is_some(),
        "this copy's name kept"
    );
    let notice = harness.state().notice().expect("a notice").to_string();
    assert!(
        notice.starts_with("Merged a copy: added 1 code"),
        "{notice}"
    );
    {
        let report = harness
            .state()
            .exchange()
            .report
            .as_ref()
            .expect("conflicts are listed");
        assert!(
            report
                .warnings
                .iter()
                .any(|w| w.contains("'Mangel på ressurser'")),
            "{:?}",
            report.warnings
        );
    }
    harness.run_steps(2);
    harness.get_by_label("Merge a copy");

    send(
        &mut harness,
        Command::Action(marginalia::gui::commands::Action::Undo),
    );
    assert_eq!(project(&harness).codes().len(), codes_before);
}
