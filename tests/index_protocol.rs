//! The search index is shared by every process: concurrent readers of a project without an index all succeed,
//! a search killed while it builds the index never leaves hits twice, and undo is reflected in totals
//! (issue "Never lose a researcher's work", U1 and I1).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_marginalia");

fn marginalia(args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(args)
        .env("USER", "Index Tester")
        .output()
        .expect("the binary runs")
}

/// The total of a search, from `--json`.
fn total(project: &Path, query: &str) -> u64 {
    let out = marginalia(&["search", project.to_str().expect("utf-8"), query, "--json"]);
    assert!(
        out.status.success(),
        "search failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    json["total"].as_u64().expect("total")
}

fn sample(dir: &Path) -> std::path::PathBuf {
    let root = dir.join("p");
    let out = marginalia(&["sample", root.to_str().expect("utf-8")]);
    assert!(out.status.success());
    let _ = std::fs::remove_dir_all(root.join(".index"));
    root
}

#[test]
fn concurrent_readers_of_a_project_without_an_index_all_succeed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = sample(dir.path());
    let p = root.to_str().expect("utf-8").to_string();
    let children: Vec<_> = (0..6)
        .map(|_| {
            Command::new(BIN)
                .args(["search", &p, "ressurs", "--json"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    let mut totals = Vec::new();
    for child in children {
        let out = child.wait_with_output().expect("wait");
        assert!(
            out.status.success(),
            "a concurrent reader failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        totals.push(json["total"].as_u64().expect("total"));
    }
    assert!(
        totals.iter().all(|t| *t == totals[0] && *t > 0),
        "{totals:?}"
    );
    assert_eq!(total(&root, "ressurs"), totals[0]);
}

#[cfg(unix)]
#[test]
fn a_search_killed_while_indexing_never_leaves_duplicate_hits() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = sample(dir.path());
    let expected = total(&root, "ressurs");
    let p = root.to_str().expect("utf-8").to_string();
    for delay_ms in [5, 20, 40, 80, 120, 200] {
        let _ = std::fs::remove_dir_all(root.join(".index"));
        let mut child = Command::new(BIN)
            .args(["search", &p, "ressurs"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        assert_eq!(
            total(&root, "ressurs"),
            expected,
            "killed after {delay_ms} ms"
        );
        assert_eq!(total(&root, "ressurs"), expected, "stable on the next run");
    }
}

#[test]
fn totals_follow_an_undone_import() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = sample(dir.path());
    let before = total(&root, "flaggstang");
    let file = dir.path().join("flagg.txt");
    std::fs::write(&file, "Rektor: Flaggstanga på skolen trenger maling.\n").expect("write");
    let p = root.to_str().expect("utf-8");
    assert!(
        marginalia(&["import", p, file.to_str().expect("utf-8")])
            .status
            .success()
    );
    assert_eq!(total(&root, "flaggstang"), before + 1);
    assert!(marginalia(&["undo", p]).status.success());
    assert_eq!(total(&root, "flaggstang"), before);
}

#[test]
fn many_small_syncs_keep_the_segments_bounded_and_the_manifest() {
    use marginalia::edit::{Edit, Entity};
    use marginalia::index::SearchIndex;
    use marginalia::model::Language;
    use marginalia::{Workspace, import, query};

    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("p");
    let mut ws = Workspace::create(&root, "Segmenter", Language::Nb).expect("create");
    let mut index = SearchIndex::for_project(&ws.index_dir(), ws.project()).expect("index");
    // One document per sync, as a researcher importing a file at a time would: each sync commits a segment.
    for i in 0..40 {
        let text = format!(
            "Rektor {i}: Vi mangler ressurser til spesialundervisning.\n\nHelsesykepleier: Samarbeidet med PPT er godt."
        );
        let doc =
            import::document_from_text(&format!("intervju {i:02}"), "intervju.txt", &text, None);
        ws.apply(Edit::Put(Entity::Document(Box::new(doc))))
            .expect("apply");
        assert_eq!(index.sync(ws.project()).expect("sync"), 1);
        let segments = index.index.searchable_segment_ids().expect("segments");
        assert!(
            segments.len() <= 16,
            "{} segments after sync {i}",
            segments.len()
        );
    }
    let hits = query::search(&index, ws.project(), "ressurs", None).expect("search");
    assert_eq!(hits.total, 40, "every document found once after the merges");
    // The merged index still carries the manifest: reopening it indexes nothing again.
    drop(index);
    let mut again = SearchIndex::open_or_create(&ws.index_dir(), Language::Nb).expect("reopen");
    assert_eq!(again.sync(ws.project()).expect("sync"), 0);
}

/// An import saves and indexes side by side (`Workspace::save_alongside`, as `marginalia import` does): both
/// land, the reopened project is searchable without indexing again, and a read-only workspace refuses before
/// anything runs.
#[test]
fn an_import_saves_and_indexes_side_by_side() {
    use marginalia::edit::{Edit, Entity};
    use marginalia::index::SearchIndex;
    use marginalia::model::Language;
    use marginalia::{Workspace, import, query};

    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("p");
    let mut ws = Workspace::create(&root, "Side by side", Language::Nb).expect("create");
    for i in 0..5 {
        let text = format!("Rektor {i}: Vi mangler ressurser.\n\nLærer: Skulen manglar ressursar.");
        let doc = import::document_from_text(&format!("intervju {i}"), "i.txt", &text, None);
        ws.apply(Edit::Put(Entity::Document(Box::new(doc))))
            .expect("apply");
    }
    let index_dir = ws.index_dir();
    let indexed = ws
        .save_alongside(|project| {
            let mut index = SearchIndex::open_or_create(&index_dir, Language::Nb)?;
            index.sync(project)
        })
        .expect("save")
        .expect("index");
    assert_eq!(indexed, 5);
    assert!(!ws.is_dirty(), "the save landed");
    drop(ws);

    let ws = Workspace::open(&root).expect("reopen");
    assert_eq!(ws.project().documents().len(), 5);
    let mut index = SearchIndex::open_or_create(&ws.index_dir(), Language::Nb).expect("index");
    assert_eq!(
        index.sync(ws.project()).expect("sync"),
        0,
        "nothing indexed again"
    );
    let hits = query::search(&index, ws.project(), "ressursane", None).expect("search");
    assert_eq!(hits.total, 10);
    drop(ws);

    let read_only = Workspace::open_read_only(&root).expect("read-only");
    let mut ran = false;
    let mut read_only = read_only;
    assert!(read_only.save_alongside(|_| ran = true).is_err());
    assert!(!ran, "nothing runs beside a save that cannot happen");
}
