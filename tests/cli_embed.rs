//! The meaning-search verbs of the `marginalia` binary: `model`, `embed`, `search --meaning`, `similar`.
//!
//! Without the model (the usual case in CI) the verbs must say how to get it in one line while keyword search
//! keeps working; with it (`MARGINALIA_MODEL` or the data folder's copy) the vectors are built incrementally and
//! searched. Those tests are skipped, saying so, when the model is not installed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use marginalia::embed::fetch;

/// The binary with a private data folder and no model unless `model` is given.
fn bin(data: &Path, model: Option<&Path>) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_marginalia"));
    cmd.env("XDG_DATA_HOME", data).env_remove(fetch::ENV_VAR);
    if let Some(m) = model {
        cmd.env(fetch::ENV_VAR, m);
    }
    cmd
}

fn check(out: Output, args: &[&str]) -> String {
    assert!(
        out.status.success(),
        "marginalia {args:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs a command that must fail with one `error:` line; returns that line.
fn one_error(out: Output) -> String {
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line expected: {err}");
    assert!(lines[0].starts_with("error: "), "{err}");
    lines[0].to_string()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/text")
        .join(name)
}

/// A project with two interviews (bokmål and nynorsk).
fn project(tmp: &Path) -> String {
    let d = tmp.join("studie").to_str().unwrap().to_string();
    let data = tmp.join("data");
    let run = |args: &[&str]| check(bin(&data, None).args(args).output().unwrap(), args);
    run(&["new", &d, "--language", "nb"]);
    for f in ["rektor_furulund.txt", "laerar_vikoy.txt"] {
        run(&["import", &d, fixture(f).to_str().unwrap()]);
    }
    d
}

#[test]
fn without_the_model_meaning_verbs_say_how_to_get_it_and_keyword_search_works() {
    let tmp = tempfile::tempdir().unwrap();
    let d = project(tmp.path());
    let data = tmp.path().join("data");
    for args in [
        vec!["embed", &d],
        vec!["search", &d, "lack of staff", "--meaning"],
        vec!["search", &d, "~\"lack of staff\" speaker:Rektor"],
        vec!["similar", &d, "--text", "ikkje nok folk"],
    ] {
        let line = one_error(bin(&data, None).args(&args).output().unwrap());
        assert!(line.contains("marginalia model fetch"), "{line}");
        assert!(line.contains("marginalia model path FILE"), "{line}");
    }
    let out = check(
        bin(&data, None)
            .args(["search", &d, "ressurs"])
            .output()
            .unwrap(),
        &[],
    );
    assert!(out.contains("Rektor"), "{out}");
    let status = check(
        bin(&data, None).args(["model", "status"]).output().unwrap(),
        &[],
    );
    assert!(status.contains("not installed"), "{status}");
    assert!(status.contains(data.to_str().unwrap()), "{status}");
}

#[test]
fn a_wrong_truncated_or_tampered_model_is_refused_in_one_line() {
    let tmp = tempfile::tempdir().unwrap();
    let d = project(tmp.path());
    let data = tmp.path().join("data");
    let fake = tmp.path().join("e5-small-q4.bin");
    std::fs::write(&fake, b"E5S1 but cut short").unwrap();
    let line = one_error(
        bin(&data, None)
            .args(["model", "path", fake.to_str().unwrap()])
            .output()
            .unwrap(),
    );
    assert!(
        line.contains("not a usable model file") && line.contains("expected 71622400"),
        "{line}"
    );
    assert!(!data.join("marginalia/models/e5-small-q4.bin").exists());
    // Pointed at directly, the same file is refused by the meaning verbs; keyword search is untouched.
    let line = one_error(
        bin(&data, Some(&fake))
            .args(["embed", &d])
            .output()
            .unwrap(),
    );
    assert!(line.contains("not a usable model file"), "{line}");
    let status = check(
        bin(&data, Some(&fake))
            .args(["model", "status"])
            .output()
            .unwrap(),
        &[],
    );
    assert!(status.contains("unusable"), "{status}");
    check(
        bin(&data, Some(&fake))
            .args(["search", &d, "ressurs"])
            .output()
            .unwrap(),
        &[],
    );
}

#[test]
fn embed_is_incremental_and_meaning_search_and_similar_find_the_staff_shortage() {
    let Ok(model) = fetch::require_model() else {
        eprintln!(
            "SKIPPED: no model (marginalia model fetch, or {}=FILE)",
            fetch::ENV_VAR
        );
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let d = project(tmp.path());
    let data = tmp.path().join("data");
    let run = |args: &[&str]| check(bin(&data, Some(&model)).args(args).output().unwrap(), args);
    let first = run(&["embed", &d]);
    assert!(first.contains("of 2 documents embedded"), "{first}");
    let again = run(&["embed", &d]);
    assert!(
        again.starts_with("0 passages of 0 documents")
            && again.contains("2 documents were up to date"),
        "{again}"
    );
    // A new document: only it is embedded.
    check(
        bin(&data, None)
            .args(["import", &d, fixture("moteplan.md").to_str().unwrap()])
            .output()
            .unwrap(),
        &[],
    );
    let third = run(&["embed", &d]);
    assert!(
        third.contains("of 1 documents embedded") && third.contains("2 documents were up to date"),
        "{third}"
    );

    let hits: serde_json::Value = serde_json::from_str(&run(&[
        "search",
        &d,
        "too few resources and tired teachers",
        "--meaning",
        "--json",
    ]))
    .unwrap();
    let first_hit = &hits["hits"][0];
    let speaker = first_hit["speaker"].as_str().unwrap_or("");
    assert!(speaker == "Rektor" || speaker == "R", "{hits}");
    // The ~"…" operator: meaning among the turns the filter allows.
    let tilde: serde_json::Value = serde_json::from_str(&run(&[
        "search",
        &d,
        "~\"too few resources and tired teachers\" speaker:R",
        "--json",
    ]))
    .unwrap();
    let tilde_hits = tilde["hits"].as_array().unwrap();
    assert!(!tilde_hits.is_empty(), "{tilde}");
    assert!(tilde_hits.iter().all(|h| h["speaker"] == "R"), "{tilde}");
    assert!(
        tilde_hits[0]["snippet"]
            .to_string()
            .contains("ikkje nok ressursar"),
        "{tilde}"
    );
    let similar: serde_json::Value = serde_json::from_str(&run(&[
        "similar",
        &d,
        "--text",
        "Me har ikkje nok ressursar",
        "--json",
        "--limit",
        "3",
    ]))
    .unwrap();
    assert_eq!(similar["hits"].as_array().unwrap().len(), 3);
    assert!(
        similar["hits"][0]["score"].as_f64().unwrap() > 0.8,
        "{similar}"
    );

    // Code suggestions: two shortage passages coded; neither is suggested again.
    let code = |doc: &str, text: &str| {
        let args = [
            "code",
            &d,
            "--doc",
            doc,
            "--code",
            "Resource shortage",
            "--match",
            text,
            "--create",
        ];
        check(bin(&data, None).args(args).output().unwrap(), &args)
    };
    code("rektor_furulund", "vi har for lite ressurser");
    code("laerar_vikoy", "Me har ikkje nok ressursar");
    let suggested: serde_json::Value = serde_json::from_str(&run(&[
        "suggest",
        &d,
        "--code",
        "Resource shortage",
        "--json",
        "--limit",
        "3",
    ]))
    .unwrap();
    let hits = suggested["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    for hit in hits {
        let text = hit["snippet"].to_string();
        assert!(
            !text.contains("for lite ressurser") && !text.contains("ikkje nok ressursar"),
            "{suggested}"
        );
    }
}

#[test]
fn suggestions_need_a_few_codings() {
    let Ok(model) = fetch::require_model() else {
        eprintln!(
            "SKIPPED: no model (marginalia model fetch, or {}=FILE)",
            fetch::ENV_VAR
        );
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let d = project(tmp.path());
    let data = tmp.path().join("data");
    let args = [
        "code",
        &d,
        "--doc",
        "laerar_vikoy",
        "--code",
        "Tiredness",
        "--match",
        "slitne",
        "--create",
    ];
    check(bin(&data, None).args(args).output().unwrap(), &args);
    // The vectors are built first (progress on standard error), then the verb refuses in its last line.
    let out = bin(&data, Some(&model))
        .args(["suggest", &d, "--code", "Tiredness"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    let line = err.lines().last().unwrap_or("").to_string();
    assert!(line.starts_with("error: "), "{err}");
    assert!(line.contains("needs at least 2 coded passages"), "{line}");
}
