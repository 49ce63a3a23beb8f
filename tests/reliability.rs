//! Never losing work: the undo history belongs to the files it was saved with, duplicated ids are refused at
//! load with the file and line, the history cap never drops redo steps (issue "Never lose a researcher's
//! work", D1–D3).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use marginalia::Workspace;
use marginalia::edit::{Edit, Entity};
use marginalia::import::document_from_text;
use marginalia::model::Language;
use marginalia::ops;

fn project(dir: &Path) -> std::path::PathBuf {
    let root = dir.join("p");
    let mut ws = Workspace::create(&root, "P", Language::Nb).expect("create");
    let (_, edit) =
        ops::add_code_path(ws.project(), "Barriers/Resource shortage", None, "").expect("code");
    ws.apply(edit).expect("apply");
    ws.save().expect("save");
    root
}

#[test]
fn a_history_of_other_files_is_set_aside_not_applied() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = project(dir.path());
    // Someone else's change arrives (a git pull): the codebook differs from what the history was saved with.
    let codebook = root.join("codebook.ron");
    let text = std::fs::read_to_string(&codebook).expect("read");
    std::fs::write(
        &codebook,
        text.replace("Resource shortage", "Ressursmangel"),
    )
    .expect("write");
    let mut ws = Workspace::open(&root).expect("open");
    assert_eq!(
        ws.history().undo_label(),
        None,
        "stale inverses are never applied"
    );
    let notices = ws.take_notices();
    assert!(
        notices
            .iter()
            .any(|n| n.contains("git pull") && n.contains("set-aside")),
        "{notices:?}"
    );
    let kept = std::fs::read_dir(root.join(".marginalia"))
        .expect("state dir")
        .flatten()
        .any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("history.set-aside-")
        });
    assert!(kept, "the old history is kept as a backup file");
    assert_eq!(ws.undo().expect("undo"), None);
}

#[test]
fn a_garbage_history_is_set_aside_with_a_notice() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = project(dir.path());
    std::fs::write(root.join(".marginalia/history.ron"), "garbage ((").expect("write");
    let mut ws = Workspace::open(&root).expect("open");
    let notices = ws.take_notices();
    assert!(
        notices.iter().any(|n| n.contains("could not be read")),
        "{notices:?}"
    );
    // The next save writes a fresh history that matches the files.
    let (_, edit) = ops::add_code_path(ws.project(), "Leadership", None, "").expect("code");
    ws.apply(edit).expect("apply");
    ws.save().expect("save");
    drop(ws);
    let mut ws = Workspace::open(&root).expect("reopen");
    assert!(ws.take_notices().is_empty());
    assert_eq!(ws.history().undo_label(), Some("add code 'Leadership'"));
}

#[test]
fn the_history_matches_after_every_save_and_undo() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = project(dir.path());
    for _ in 0..2 {
        let mut ws = Workspace::open(&root).expect("open");
        assert!(ws.take_notices().is_empty());
        assert!(ws.undo().expect("undo").is_some());
        ws.save().expect("save");
        drop(ws);
        let mut ws = Workspace::open(&root).expect("open");
        assert!(
            ws.take_notices().is_empty(),
            "the history matches after an undo"
        );
        assert!(ws.redo().expect("redo").is_some());
        ws.save().expect("save");
    }
}

#[test]
fn a_duplicated_code_id_is_refused_with_file_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = project(dir.path());
    let codebook = root.join("codebook.ron");
    let text = std::fs::read_to_string(&codebook).expect("read");
    let lines: Vec<&str> = text.lines().collect();
    // Repeat the first code's line: the same id twice.
    let entry = lines
        .iter()
        .position(|l| l.contains("id:"))
        .expect("a code line");
    let mut doubled: Vec<&str> = lines.clone();
    doubled.insert(entry + 1, lines[entry]);
    std::fs::write(&codebook, doubled.join("\n")).expect("write");
    let error = Workspace::open(&root).expect_err("duplicate refused");
    let message = error.to_string();
    assert!(message.contains("codebook.ron:"), "{message}");
    assert!(message.contains("appears twice"), "{message}");
    assert!(
        message.contains(&format!(":{}:", entry + 2)),
        "names the second line: {message}"
    );
}

#[test]
fn a_coding_in_two_coders_files_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("sample");
    marginalia::sample::build(&root).expect("sample");
    let codings = root.join("codings");
    let mut files: Vec<_> = std::fs::read_dir(&codings)
        .expect("codings")
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    let first = std::fs::read_to_string(&files[0]).expect("read");
    let line = first
        .lines()
        .find(|l| l.contains("document:"))
        .expect("a coding line")
        .to_string();
    // Copy one of coder A's codings into coder B's file, with B as its coder.
    let second = std::fs::read_to_string(&files[1]).expect("read");
    let coder_b = second
        .lines()
        .find_map(|l| l.split("id: \"").nth(1).map(|r| r[..36].to_string()))
        .expect("coder id");
    let coder_a = first
        .lines()
        .find_map(|l| l.split("id: \"").nth(1).map(|r| r[..36].to_string()))
        .expect("coder id");
    let moved = line.replace(&coder_a, &coder_b);
    let patched = second.replacen("codings: [\n", &format!("codings: [\n{moved}\n"), 1);
    assert_ne!(patched, second, "the codings list was found");
    std::fs::write(&files[1], patched).expect("write");
    let message = marginalia::store::load(&root)
        .expect_err("refused")
        .to_string();
    assert!(message.contains("appears twice"), "{message}");
}

#[test]
fn undoing_a_huge_import_keeps_every_redo_step() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = project(dir.path());
    let mut ws = Workspace::open(&root).expect("open");
    let big = "ressurser ".repeat(3_500_000);
    assert!(big.len() > marginalia::workspace::HISTORY_MAX_BYTES);
    let entry = document_from_text("stort intervju", "stort.txt", &big, None);
    ws.apply(Edit::Put(Entity::Document(Box::new(entry))))
        .expect("import");
    ws.save().expect("save");
    assert!(ws.undo().expect("undo").is_some());
    ws.save().expect("save");
    drop(ws);
    let mut ws = Workspace::open(&root).expect("reopen");
    assert!(ws.take_notices().is_empty(), "the history still matches");
    assert_eq!(ws.history().redo_label(), Some("import 'stort intervju'"));
    assert!(
        ws.redo().expect("redo").is_some(),
        "the redo step survived the cap"
    );
    assert_eq!(ws.project().documents().len(), 1);
}
