//! Opening a project fast without giving up the format (issue 12): `documents.ron` in the form `store` writes
//! now, in the older `(start: …, end: …)` form and mixed line by line opens to the same documents, read-only or
//! not; a damaged file is refused naming the file and line, never a panic; a writable open still fingerprints
//! the files so the undo history survives a reopen.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};

use marginalia::Workspace;
use marginalia::error::Error;
use marginalia::model::{Document, Language};
use marginalia::ops;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/format-v1")
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("read fixture").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// A copy of the format-v1 fixture (its ranges in the older field form) with `documents.ron` rewritten by `f`.
fn copy_with(dir: &Path, f: impl FnOnce(&str) -> String) -> PathBuf {
    let root = dir.join("v1");
    copy_dir(&fixture(), &root);
    let path = root.join("documents.ron");
    let text = fs::read_to_string(&path).expect("read");
    fs::write(&path, f(&text)).expect("write");
    root
}

/// The older range form rewritten as tuples, as `store` writes ranges today.
fn as_tuples(text: &str) -> String {
    text.replace("(start: ", "(").replace(", end: ", ", ")
}

fn documents(root: &Path) -> Vec<Document> {
    let ws = Workspace::open_read_only(root).expect("open read-only");
    ws.project().documents().values().cloned().collect()
}

#[test]
fn old_new_and_mixed_range_forms_open_to_the_same_documents() {
    let dir = tempfile::tempdir().expect("tempdir");
    let old = copy_with(&dir.path().join("old"), str::to_string);
    let expected = documents(&old);
    assert_eq!(expected.len(), 2);
    assert!(expected.iter().any(|d| !d.turns.is_empty()));
    let new = copy_with(&dir.path().join("new"), as_tuples);
    assert!(
        fs::read_to_string(new.join("documents.ron"))
            .expect("read")
            .contains("paragraphs: [(0, 30), (32, 85)")
    );
    assert_eq!(documents(&new), expected);
    // One line in each form (a merge of an old and a new copy).
    let mixed = copy_with(&dir.path().join("mixed"), |text| {
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        lines[2] = as_tuples(&lines[2]);
        lines.join("\n") + "\n"
    });
    assert_eq!(documents(&mixed), expected);
    // A writable open reads the same, and its store writes the tuple form back.
    let mut ws = Workspace::open(&old).expect("open");
    let same: Vec<Document> = ws.project().documents().values().cloned().collect();
    assert_eq!(same, expected);
    let first = expected[0].id;
    let edit = ops::rename_document(ws.project(), first, "lærar_vikøy").expect("rename");
    ws.apply(edit).expect("apply");
    ws.save().expect("save");
    drop(ws);
    let saved = fs::read_to_string(old.join("documents.ron")).expect("read");
    assert!(!saved.contains("(start: "), "{saved}");
    let reread = documents(&old);
    assert_eq!(reread[0].name, "lærar_vikøy");
    assert_eq!(reread[1..], expected[1..]);
    assert_eq!(reread[0].paragraphs, expected[0].paragraphs);
    assert_eq!(reread[0].turns, expected[0].turns);
}

#[test]
fn a_writable_open_still_finds_its_undo_history() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("p");
    let mut ws = Workspace::create(&root, "Oppfølging", Language::Nn).expect("create");
    let (_, edit) =
        ops::add_code_path(ws.project(), "Barrierar/Ressursmangel", None, "").expect("code");
    ws.apply(edit).expect("apply");
    ws.save().expect("save");
    drop(ws);
    // A read-only open in between (the CLI's `stats`) neither needs nor disturbs the history.
    let read_only = Workspace::open_read_only(&root).expect("read-only");
    assert_eq!(read_only.project().codes().len(), 2);
    drop(read_only);
    let mut ws = Workspace::open(&root).expect("reopen");
    assert!(ws.take_notices().is_empty());
    assert!(ws.history().undo_label().is_some());
}

/// The error of opening a copy whose `documents.ron` was changed by `f`, read-only and for writing.
fn refusal(dir: &Path, f: impl FnOnce(&str) -> String) -> (Error, Error) {
    let root = copy_with(dir, f);
    let read_only = Workspace::open_read_only(&root).expect_err("refused read-only");
    let writable = Workspace::open(&root).expect_err("refused for writing");
    (read_only, writable)
}

fn assert_names_line(error: &Error, expected_line: usize) {
    match error {
        Error::Parse { path, line, .. } => {
            assert!(path.ends_with("documents.ron"), "{error}");
            assert_eq!(*line, expected_line, "{error}");
        }
        other => panic!("expected a parse error naming the line, got {other}"),
    }
    assert!(error.to_string().contains("documents.ron:"), "{error}");
}

#[test]
fn a_damaged_documents_file_is_refused_naming_the_file_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A range end that is not a number, in the tuple form and in the older form.
    let (a, b) = refusal(&dir.path().join("a"), |text| {
        as_tuples(text).replacen("(87, 98)", "(87, nitti)", 1)
    });
    assert_names_line(&a, 3);
    assert_names_line(&b, 3);
    let (a, _) = refusal(&dir.path().join("b"), |text| {
        text.replacen("end: 98", "end: nitti", 1)
    });
    assert_names_line(&a, 3);
    // An unknown kind on the second document.
    let (a, _) = refusal(&dir.path().join("c"), |text| {
        let second = text.match_indices("kind: interview").nth(1).expect("2").0;
        format!("{}kind: intervju{}", &text[..second], &text[second + 15..])
    });
    assert_names_line(&a, 4);
    // The same document twice (a copy made by hand): refused naming its second line.
    let (a, _) = refusal(&dir.path().join("d"), |text| {
        let lines: Vec<&str> = text.lines().collect();
        let mut doubled = lines[..3].to_vec();
        doubled.extend_from_slice(&lines[2..]);
        as_tuples(&(doubled.join("\n") + "\n"))
    });
    assert_names_line(&a, 4);
    assert!(a.to_string().contains("appears twice"), "{a}");
    // Cut off in the middle of a line.
    let (a, _) = refusal(&dir.path().join("e"), |text| {
        let text = as_tuples(text);
        text[..text.len() / 2].to_string()
    });
    assert!(matches!(a, Error::Parse { .. }), "{a}");
    // Not UTF-8.
    let root = copy_with(&dir.path().join("f"), str::to_string);
    let path = root.join("documents.ron");
    let mut bytes = fs::read(&path).expect("read");
    bytes.insert(200, 0xFF);
    fs::write(&path, bytes).expect("write");
    let error = Workspace::open_read_only(&root).expect_err("refused");
    assert!(error.to_string().contains("documents.ron"), "{error}");
    assert!(error.to_string().contains("UTF-8"), "{error}");
}
