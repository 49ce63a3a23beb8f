//! Scale behaviour on realistic inputs: a CLI import leaves the project indexed (the workbench's index protocol
//! finds nothing to do), texts load on demand, a search keeps nothing loaded, the `code:` filter works without
//! per-passage keys, and many duplicate or empty files are summarised per kind.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

use marginalia::index::SearchIndex;
use marginalia::{Workspace, query};

fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_marginalia"));
    cmd.env("MARGINALIA_CODER", "Ingrid Solberg");
    cmd
}

fn ok(args: &[&str]) -> String {
    let out = bin().args(args).output().expect("run marginalia");
    assert!(
        out.status.success(),
        "marginalia {args:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

const SPEECHES: [&str; 4] = [
    "Presidenten: Representanten Berg har ordet.\n\nRepresentanten Ola Berg: Skolen trenger ressurser. \
     Lærerne i kommunen ber om mer tid til samarbeid.",
    "Statsråd Kari Nordmann: Regjeringa har auka ressursane til skulane i år.\n\nVi følgjer opp \
     ressursteamet i kvar kommune.",
    "Ingrid Solberg (H): Psykisk helse blant elevane er ei viktig sak.\n\nHelsesjukepleiarane treng \
     fleire stillingar.",
    "The committee notes that the schools need more resources.\n\nTeachers ask for time to cooperate.",
];

/// A folder of speeches: `n` distinct ones (numbered so each text differs), plus duplicates and empty files.
fn corpus(dir: &Path, n: usize, duplicates: usize, empty: usize) {
    std::fs::create_dir_all(dir).unwrap();
    for i in 0..n {
        let text = format!("{}\n\nInnlegg nummer {i}.", SPEECHES[i % SPEECHES.len()]);
        std::fs::write(dir.join(format!("innlegg_{i:04}.txt")), text).unwrap();
    }
    let first = format!("{}\n\nInnlegg nummer 0.", SPEECHES[0]);
    for i in 0..duplicates {
        std::fs::write(dir.join(format!("kopi_{i:04}.txt")), &first).unwrap();
    }
    for i in 0..empty {
        std::fs::write(dir.join(format!("tom_{i:04}.txt")), "").unwrap();
    }
}

#[test]
fn a_cli_import_is_indexed_and_opens_without_indexing_again() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("storting");
    let folder = tmp.path().join("innlegg");
    corpus(&folder, 40, 0, 0);
    ok(&["new", root.to_str().unwrap(), "--name", "Storting"]);
    ok(&["import", root.to_str().unwrap(), folder.to_str().unwrap()]);

    let ws = Workspace::open_read_only(&root).unwrap();
    // The same protocol the workbench's index task runs on open: nothing left to index.
    let mut index =
        SearchIndex::open_or_create(&ws.index_dir(), ws.project().meta().language).unwrap();
    assert_eq!(
        index.sync(ws.project()).unwrap(),
        0,
        "the CLI left the index in sync"
    );
    assert!(
        ws.project()
            .documents()
            .keys()
            .all(|id| !ws.project().texts().is_loaded(id)),
        "opening reads no text"
    );

    let results = query::search(&index, ws.project(), "ressurs", None).unwrap();
    assert!(results.total >= 20, "{}", results.total);
    assert!(
        ws.project()
            .documents()
            .keys()
            .all(|id| !ws.project().texts().is_loaded(id)),
        "a search reads the texts of its hits without keeping them"
    );
    let hit = &results.hits[0];
    let text = ws.project().text(hit.document);
    assert!(
        ws.project().texts().is_loaded(&hit.document),
        "text() keeps what it read"
    );
    let first = hit.matches[0];
    let word: String = text
        .chars()
        .skip(first.start)
        .take(first.end - first.start)
        .collect();
    assert!(word.to_lowercase().starts_with("ressurs"), "{word}");
}

#[test]
fn a_code_filter_finds_the_coded_passages_only() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("p");
    let folder = tmp.path().join("innlegg");
    corpus(&folder, 8, 0, 0);
    ok(&["new", root.to_str().unwrap()]);
    ok(&["import", root.to_str().unwrap(), folder.to_str().unwrap()]);
    // Code the passage about teachers in the first speech.
    ok(&[
        "code",
        root.to_str().unwrap(),
        "--doc",
        "innlegg_0000",
        "--code",
        "Ressurser",
        "--create",
        "--match",
        "Lærerne i kommunen",
    ]);
    let ws = Workspace::open_read_only(&root).unwrap();
    let index = SearchIndex::for_project(&ws.index_dir(), ws.project()).unwrap();
    let coded = query::search(&index, ws.project(), "code:Ressurser", None).unwrap();
    assert_eq!(coded.total, 1, "{:?}", coded.hits);
    let both = query::search(&index, ws.project(), "code:Ressurser AND skolen", None).unwrap();
    assert_eq!(both.total, 1);
    let none = query::search(&index, ws.project(), "code:Ressurser AND regjeringa", None).unwrap();
    assert_eq!(none.total, 0);
}

#[test]
fn many_duplicate_and_empty_files_get_one_line_per_kind() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("p");
    let folder = tmp.path().join("innlegg");
    corpus(&folder, 30, 300, 200);
    ok(&["new", root.to_str().unwrap()]);
    let out = bin()
        .args(["import", root.to_str().unwrap(), folder.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines = stdout.lines().count() + stderr.lines().count();
    assert!(lines <= 6, "no flood:\n{stdout}{stderr}");
    assert!(stdout.contains("300 duplicates"), "{stdout}");
    assert!(stderr.contains("200 empty files"), "{stderr}");
    assert!(
        stdout.contains("30 imported, 300 skipped, 200 failed"),
        "{stdout}"
    );

    // --json still lists every file with its kind.
    let root2 = tmp.path().join("q");
    ok(&["new", root2.to_str().unwrap()]);
    let json = ok(&[
        "import",
        root2.to_str().unwrap(),
        folder.to_str().unwrap(),
        "--json",
    ]);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let skipped = value["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 300);
    assert!(skipped.iter().all(|s| s["kind"] == "duplicate"));
    let failed = value["failed"].as_array().unwrap();
    assert_eq!(failed.len(), 200);
    assert!(failed.iter().all(|s| s["kind"] == "empty"));
}

#[test]
fn a_changed_text_file_is_reported_not_fatal() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("p");
    let folder = tmp.path().join("innlegg");
    corpus(&folder, 3, 0, 0);
    ok(&["new", root.to_str().unwrap()]);
    ok(&["import", root.to_str().unwrap(), folder.to_str().unwrap()]);
    let ws = Workspace::open_read_only(&root).unwrap();
    let (id, name) = {
        let doc = ws.project().documents_sorted()[0];
        (doc.id, doc.name.clone())
    };
    drop(ws);
    let source = root.join("sources").join(format!("{id}.txt"));
    std::fs::write(&source, "Teksten er endra utanfor Marginalia.").unwrap();
    // Metadata commands do not read texts; the one that does names the file.
    ok(&["stats", root.to_str().unwrap()]);
    let out = bin()
        .args(["show", root.to_str().unwrap(), &name])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&source.display().to_string()) && stderr.contains("changed since import"),
        "{stderr}"
    );
}
