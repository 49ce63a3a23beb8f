//! End-to-end tests of the `marginalia` binary on real files in temporary folders (ripgrep style).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_marginalia"));
    cmd.env("MARGINALIA_CODER", "Ingrid Solberg");
    cmd
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/text")
        .join(name)
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run marginalia")
}

/// Runs a command that must succeed and returns its stdout.
fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "marginalia {args:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Runs a command that must fail; returns its stderr, which must be one `error:` line.
fn fails(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        !out.status.success(),
        "marginalia {args:?} should have failed"
    );
    let err = String::from_utf8(out.stderr).expect("utf-8");
    let last = err.lines().last().unwrap_or("");
    assert!(
        last.starts_with("error: "),
        "unexpected error output: {err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    err
}

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&ok(args)).expect("valid JSON")
}

/// A project with the text fixtures imported.
fn project() -> (tempfile::TempDir, String) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("studie");
    let d = dir.to_str().expect("path").to_string();
    ok(&["new", &d, "--language", "nb"]);
    ok(&[
        "import",
        &d,
        fixture("rektor_furulund.txt").to_str().expect("p"),
        "--case",
        "Furulund skole",
        "--attr",
        "group=LOG",
        "--attr",
        "pupils=310",
    ]);
    ok(&[
        "import",
        &d,
        fixture("laerar_vikoy.txt").to_str().expect("p"),
        "--case",
        "Nausthaugen skule",
        "--attr",
        "group=LOG",
    ]);
    ok(&[
        "import",
        &d,
        fixture("observasjon_haugen_cp1252.txt")
            .to_str()
            .expect("p"),
        "--case",
        "Haugen skole",
        "--attr",
        "group=control",
    ]);
    (tmp, d)
}

#[test]
fn import_detects_encoding_turns_and_kind() {
    let (_tmp, d) = project();
    let docs = json(&["docs", &d, "--json"]);
    let docs = docs.as_array().expect("array");
    assert_eq!(docs.len(), 3);
    let furulund = docs
        .iter()
        .find(|x| x["name"] == "rektor_furulund")
        .expect("doc");
    assert_eq!(furulund["kind"], "interview");
    assert_eq!(furulund["turns"], 4);
    let obs = docs
        .iter()
        .find(|x| x["name"] == "observasjon_haugen_cp1252")
        .expect("doc");
    assert_eq!(obs["kind"], "observation");
    let shown = json(&["show", &d, "observasjon_haugen_cp1252", "--json"]);
    let text = shown["text"].as_str().expect("text");
    assert!(
        text.contains("Møtet handlet om ressursene"),
        "Windows-1252 decoded: {text}"
    );
    assert!(!text.contains('\r'), "CRLF normalised");
    let turns = json(&["show", &d, "rektor_furulund", "--json"]);
    assert_eq!(turns["turns"][1]["speaker"], "Rektor");
}

#[test]
fn importing_the_same_file_twice_is_skipped_and_bad_files_are_reported() {
    let (_tmp, d) = project();
    let again = ok(&[
        "import",
        &d,
        fixture("rektor_furulund.txt").to_str().expect("p"),
    ]);
    assert!(
        again.contains("skipped") && again.contains("already imported"),
        "{again}"
    );
    let out = run(&[
        "import",
        &d,
        fixture("bilde.txt").to_str().expect("p"),
        fixture("tom.txt").to_str().expect("p"),
        fixture("moteplan.md").to_str().expect("p"),
    ]);
    assert!(out.status.success(), "one good file imports");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bilde.txt: this looks like a binary file"),
        "{err}"
    );
    assert!(err.contains("tom.txt: the file is empty"), "{err}");
    let docs = json(&["docs", &d, "--json"]);
    assert_eq!(docs.as_array().expect("array").len(), 4);
    let md = json(&["show", &d, "moteplan", "--json"]);
    assert!(
        md["text"]
            .as_str()
            .expect("text")
            .starts_with("Møteplan\n\nRektor: Vi møtes hver tirsdag.")
    );
    assert_eq!(md["turns"].as_array().expect("turns").len(), 4);
    let only_bad = fails(&["import", &d, fixture("tom.txt").to_str().expect("p")]);
    assert!(only_bad.contains("no file was imported"));
}

/// A codebook with two branches and two codings in `rektor_furulund`.
fn codebook_with_codings(d: &str) {
    ok(&[
        "codes",
        d,
        "add",
        "Barriers/Resource shortage/Budget cuts",
        "--description",
        "Kutt i budsjettet",
    ]);
    ok(&["codes", d, "add", "Organisation/Meeting arenas"]);
    ok(&["codes", d, "add", "Organisation/Møtearenaer"]);
    let coded = code(d, "rektor_furulund", "Budget cuts", "--match", BUDGET);
    assert_eq!(coded["code"], "Barriers/Resource shortage/Budget cuts");
    let arenas = "Ressursteamet møtes annenhver tirsdag";
    code(
        d,
        "rektor_furulund",
        "Organisation/Møtearenaer",
        "--match",
        arenas,
    );
}

const BUDGET: &str = "Budsjettet ble kuttet med to millioner";

/// Codes a passage (`how` is `--match` or `--range`); returns what `code --json` prints.
fn code(d: &str, doc: &str, code: &str, how: &str, what: &str) -> Value {
    json(&["code", d, "--doc", doc, "--code", code, how, what, "--json"])
}

fn excerpt_count(d: &str) -> usize {
    json(&["excerpts", d, "--json"])
        .as_array()
        .expect("a")
        .len()
}

#[test]
fn codebook_verbs_and_coding() {
    let (_tmp, d) = project();
    codebook_with_codings(&d);
    let codes = json(&["codes", &d, "list", "--json"]);
    let paths: Vec<&str> = codes
        .as_array()
        .expect("a")
        .iter()
        .map(|c| c["path"].as_str().expect("p"))
        .collect();
    assert_eq!(
        paths,
        [
            "Barriers",
            "Barriers/Resource shortage",
            "Barriers/Resource shortage/Budget cuts",
            "Organisation",
            "Organisation/Meeting arenas",
            "Organisation/Møtearenaer"
        ]
    );
    ok(&[
        "codes",
        &d,
        "merge",
        "Organisation/Møtearenaer",
        "Organisation/Meeting arenas",
    ]);
    ok(&["codes", &d, "rename", "Budget cuts", "Budsjettkutt"]);
    ok(&[
        "codes",
        &d,
        "move",
        "Budsjettkutt",
        "--to",
        "Barriers",
        "--position",
        "0",
    ]);
    let ex = json(&["excerpts", &d, "--code", "Barriers", "--subcodes", "--json"]);
    assert_eq!(ex[0]["code_path"], "Barriers/Budsjettkutt");
    assert_eq!(ex[0]["text"], "Budsjettet ble kuttet med to millioner");
    assert_eq!(ex[0]["speaker"], "Rektor");
    assert_eq!(ex[0]["coder"], "Ingrid Solberg");
    let arenas = json(&["excerpts", &d, "--code", "Meeting arenas", "--json"]);
    assert_eq!(
        arenas.as_array().expect("a").len(),
        1,
        "merged codings moved over"
    );
}

#[test]
fn deleting_a_code_takes_its_codings_and_undo_brings_them_back() {
    let (_tmp, d) = project();
    codebook_with_codings(&d);
    ok(&["codes", &d, "delete", "Barriers"]);
    assert_eq!(excerpt_count(&d), 1);
    assert!(ok(&["undo", &d]).contains("Undid: delete code 'Barriers'"));
    assert_eq!(excerpt_count(&d), 2);
    assert!(ok(&["redo", &d]).contains("Redid"));
    assert_eq!(excerpt_count(&d), 1);
    assert!(ok(&["undo", &d]).contains("Undid"));
    assert_eq!(excerpt_count(&d), 2);
}

#[test]
fn bad_coding_input_is_one_clear_line_and_changes_nothing() {
    let (_tmp, d) = project();
    codebook_with_codings(&d);
    let before = std::fs::read(Path::new(&d).join("codebook.ron")).expect("read");
    let code = |code: &str, how: &str, what: &str| {
        fails(&[
            "code",
            &d,
            "--doc",
            "rektor_furulund",
            "--code",
            code,
            how,
            what,
        ])
    };
    assert!(code("Nope", "--range", "1..5").contains("no code 'Nope'"));
    assert!(
        fails(&[
            "code", &d, "--doc", "nope", "--code", "Barriers", "--range", "1..5"
        ])
        .contains("no document named 'nope'")
    );
    assert!(code("Barriers", "--range", "5..99999").contains("outside"));
    assert!(code("Barriers", "--range", "9..3").contains("backwards"));
    assert!(
        code(
            "Budget cuts",
            "--match",
            "Budsjettet ble kuttet med to millioner"
        )
        .contains("already coded")
    );
    assert_eq!(
        std::fs::read(Path::new(&d).join("codebook.ron")).expect("read"),
        before
    );
    // --create makes missing codes.
    ok(&[
        "code",
        &d,
        "--doc",
        "laerar_vikoy",
        "--code",
        "Outcomes/Shared goal understanding",
        "--create",
        "--range",
        "0..10",
        "--memo",
        "usikker",
    ]);
    let ex = json(&[
        "excerpts",
        &d,
        "--code",
        "Shared goal understanding",
        "--json",
    ]);
    assert_eq!(ex[0]["memo"], "usikker");
}

#[test]
fn search_stems_norwegian_and_filters() {
    let (_tmp, d) = project();
    let hits = |q: &str| json(&["search", &d, q, "--json", "--limit", "50"]);
    // ressurs, ressursene, ressursar, ressurser find each other across bokmål and nynorsk.
    let all = hits("ressurs");
    let docs: std::collections::BTreeSet<&str> = all["hits"]
        .as_array()
        .expect("a")
        .iter()
        .map(|h| h["document_name"].as_str().expect("n"))
        .collect();
    assert_eq!(docs.len(), 3, "{all}");
    assert_eq!(hits("ressursar")["total"], all["total"]);
    assert_eq!(hits("ressursene")["total"], all["total"]);
    // Match ranges are code points and point at the word.
    let shown = json(&["show", &d, "laerar_vikoy", "--json"]);
    let text: Vec<char> = shown["text"].as_str().expect("t").chars().collect();
    let nn = hits("ressursar doc:laerar_vikoy");
    let m = &nn["hits"][0]["matches"][0];
    let (s, e) = (
        m["start"].as_u64().expect("s") as usize,
        m["end"].as_u64().expect("e") as usize,
    );
    assert_eq!(text[s..e].iter().collect::<String>(), "ressursar");
    // Phrases, prefix, fuzzy, boolean.
    assert_eq!(hits("\"felles mål\"")["total"], 1);
    assert!(hits("ressursteam*")["total"].as_u64().expect("n") >= 2);
    assert_eq!(hits("sykefravaeret~2")["total"], 1);
    assert_eq!(
        hits("ressurs NOT PPT")["total"].as_u64(),
        Some(all["total"].as_u64().expect("n") - 1)
    );
    let either = hits("budsjettet OR møta")["total"].as_u64().expect("n");
    let both = hits("budsjettet AND møta")["total"].as_u64().expect("n");
    let one = |q: &str| hits(q)["total"].as_u64().expect("n");
    assert_eq!(either, one("budsjettet") + one("møta") - both);
    assert_eq!(one("budsjettet"), 1);
    // Filters.
    assert_eq!(
        hits("ressurs speaker:rektor")["hits"][0]["speaker"],
        "Rektor"
    );
    assert_eq!(
        hits("ressurs case:\"Haugen skole\"")["hits"][0]["document_name"],
        "observasjon_haugen_cp1252"
    );
    assert_eq!(hits("ressurs attr:group=control")["total"], 1);
    assert_eq!(hits("ressurs kind:observation")["total"], 1);
    ok(&["codes", &d, "add", "Barriers/Resource shortage"]);
    let shortage = "vi har for lite ressurser";
    code(
        &d,
        "rektor_furulund",
        "Resource shortage",
        "--match",
        shortage,
    );
    let coded = hits("code:Barriers");
    assert_eq!(coded["total"], 1, "code: filter covers sub-codes");
    assert_eq!(coded["hits"][0]["speaker"], "Rektor");
    // Regex mode, optionally within a filter.
    let rx = json(&["search", &d, "ressurs\\w+", "--regex", "--json"]);
    assert!(rx["total"].as_u64().expect("n") >= 4);
    let within = json(&[
        "search",
        &d,
        "ressurs\\w*",
        "--regex",
        "--within",
        "code:Barriers",
        "--json",
    ]);
    assert_eq!(within["total"], 1);
    // Errors name the problem.
    assert!(fails(&["search", &d, "case:Ukjent"]).contains("no case named 'Ukjent'"));
    assert!(fails(&["search", &d, "\"open"]).contains("quotation"));
    assert!(fails(&["search", &d, "(", "--regex"]).contains("invalid regular expression"));
}

#[test]
fn case_tables_typed_attributes_and_attribute_search() {
    let (_tmp, d) = project();
    ok(&[
        "cases",
        &d,
        "import-csv",
        fixture("cases.csv").to_str().expect("p"),
    ]);
    let cases = json(&["cases", &d, "list", "--json"]);
    let attrs = cases["attributes"].as_array().expect("a");
    assert!(
        attrs
            .iter()
            .any(|a| a["name"] == "pupils" && a["type"] == "integer"),
        "{cases}"
    );
    let haugen = cases["cases"]
        .as_array()
        .expect("a")
        .iter()
        .find(|c| c["name"] == "Haugen skole")
        .expect("case")
        .clone();
    assert_eq!(haugen["attributes"]["municipality"], "Brattli");
    assert_eq!(
        haugen["documents"].as_array().expect("a").len(),
        1,
        "existing links kept"
    );
    ok(&["cases", &d, "set", "Furulund skole", "pupils=315"]);
    assert!(
        fails(&["cases", &d, "set", "Furulund skole", "pupils=mange"])
            .contains("not a whole number")
    );
    ok(&["cases", &d, "define", "founded", "date"]);
    ok(&["cases", &d, "set", "Furulund skole", "founded=1964-08-15"]);
    assert_eq!(
        json(&["search", &d, "ressurs attr:pupils>300", "--json"])["total"],
        1
    );
    assert_eq!(
        json(&["search", &d, "ressurs attr:pupils<300", "--json"])["total"],
        3
    );
}

#[test]
fn cases_memos_sets_and_stats() {
    let (_tmp, d) = project();
    ok(&[
        "cases",
        &d,
        "add",
        "Brattli kommune",
        "--attr",
        "type=municipality",
    ]);
    ok(&[
        "cases",
        &d,
        "link",
        "Brattli kommune",
        "rektor_furulund",
        "observasjon_haugen_cp1252",
    ]);
    ok(&[
        "memos",
        &d,
        "add",
        "--on",
        "case:Furulund skole",
        "--title",
        "Sterk rektor",
        "--text",
        "Rektor eier arbeidet.",
    ]);
    ok(&[
        "memos",
        &d,
        "add",
        "--title",
        "Plan",
        "--text",
        "Analyseplan.",
    ]);
    let memos = json(&["memos", &d, "list", "--json"]);
    assert_eq!(memos.as_array().expect("a").len(), 2);
    ok(&["sets", &d, "add", "Rektorer", "rektor_furulund"]);
    assert_eq!(
        json(&["search", &d, "ressurs set:Rektorer", "--json"])["total"],
        1
    );
    let stats = json(&["stats", &d, "--json"]);
    assert_eq!(stats["documents"], 3);
    assert_eq!(stats["cases"], 4);
    assert_eq!(stats["memos"], 2);
    ok(&["cases", &d, "unlink", "Brattli kommune", "rektor_furulund"]);
    ok(&["cases", &d, "delete", "Brattli kommune"]);
    assert_eq!(json(&["stats", &d, "--json"])["cases"], 3);
}

#[test]
fn reindex_and_a_missing_index_is_rebuilt() {
    let (_tmp, d) = project();
    assert!(ok(&["reindex", &d]).contains("Indexed 3 documents"));
    std::fs::remove_dir_all(Path::new(&d).join(".index")).expect("rm index");
    assert_eq!(
        json(&["search", &d, "ressurs", "--json"])["total"]
            .as_u64()
            .map(|n| n > 0),
        Some(true)
    );
    std::fs::write(Path::new(&d).join(".index/marginalia-index.ron"), "garbage").expect("write");
    assert_eq!(
        json(&["search", &d, "ressurs", "--json"])["total"]
            .as_u64()
            .map(|n| n > 0),
        Some(true)
    );
}

#[test]
fn corrupt_files_locks_and_bad_paths_give_one_clear_line() {
    let (_tmp, d) = project();
    let codebook = Path::new(&d).join("codebook.ron");
    std::fs::write(&codebook, "(\n  codes: [\n    (id: \"nope\",\n").expect("write");
    let err = fails(&["stats", &d]);
    assert!(
        err.contains("codebook.ron:") && err.lines().count() == 1,
        "{err}"
    );
    let err = fails(&["codes", &d, "add", "X"]);
    assert!(err.contains("codebook.ron"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&codebook).expect("read"),
        "(\n  codes: [\n    (id: \"nope\",\n",
        "untouched"
    );
    std::fs::remove_file(&codebook).expect("rm");
    // A lock held by a live process refuses writers.
    let lock = Path::new(&d).join(".marginalia/lock");
    std::fs::write(&lock, format!("pid=1\nhost={}\nsince=now\n", hostname())).expect("lock");
    assert!(fails(&["codes", &d, "add", "X"]).contains("open in another Marginalia"));
    std::fs::write(
        &lock,
        format!("pid=4194999\nhost={}\nsince=now\n", hostname()),
    )
    .expect("lock");
    // A lock whose process is provably gone (this computer, no such process) is cleared automatically.
    ok(&["codes", &d, "add", "X"]);
    // One from another computer is respected until the user says its owner is gone.
    std::fs::write(&lock, "pid=12\nhost=another-laptop\nsince=now\n").expect("lock");
    assert!(fails(&["codes", &d, "add", "Y"]).contains("open in another Marginalia"));
    assert!(ok(&["unlock", &d]).contains("Removed the lock"));
    ok(&["codes", &d, "add", "Y"]);
    assert!(fails(&["stats", "/definitely/not/here"]).contains("not a Marginalia project"));
    let err = fails(&["new", &d]);
    assert!(err.contains("already exists"), "{err}");
    let newer = Path::new(&d).join("marginalia.ron");
    let meta = std::fs::read_to_string(&newer)
        .expect("read")
        .replace("format_version: 1", "format_version: 99");
    std::fs::write(&newer, meta).expect("write");
    assert!(fails(&["stats", &d]).contains("newer Marginalia"));
}

fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "this computer".into())
}

#[test]
fn saving_twice_without_changes_writes_identical_bytes() {
    let (_tmp, d) = project();
    let read_all = || {
        let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
        for name in [
            "marginalia.ron",
            "documents.ron",
            "codebook.ron",
            "cases.ron",
            "memos.ron",
            "sets.ron",
        ] {
            let p = Path::new(&d).join(name);
            files.push((p.clone(), std::fs::read(&p).expect("read")));
        }
        files
    };
    let before = read_all();
    ok(&["codes", &d, "add", "Tmp"]);
    ok(&["undo", &d]);
    assert_eq!(read_all(), before);
}

#[test]
fn the_sample_study_has_what_the_issue_asks() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path().join("sample");
    let d = d.to_str().expect("p");
    let out = run(&["sample", d]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(
        out.status.success() && stdout.contains("Built the sample study"),
        "{stdout}{stderr}"
    );
    // Every sample coding's quote was found in its document.
    assert!(!stderr.contains("warning"), "{stderr}");
    let stats = json(&["stats", d, "--json"]);
    assert!(stats["documents"].as_u64().expect("n") >= 45, "{stats}");
    assert_eq!(stats["cases_by_type"]["school"], 19);
    assert_eq!(stats["municipalities"], 4);
    assert!(stats["codes"].as_u64().expect("n") >= 25);
    assert!(stats["codings"].as_u64().expect("n") >= 400);
    let coders = stats["coders"].as_array().expect("a");
    assert_eq!(coders.len(), 2);
    assert!(
        coders
            .iter()
            .all(|c| c["codings"].as_u64().expect("n") > 100)
    );
    assert!(stats["memos"].as_u64().expect("n") >= 5);
    // ressurs appears in LOG and control schools alike.
    for group in ["LOG", "control"] {
        let q = format!("ressurs attr:group={group}");
        assert!(
            json(&["search", d, &q, "--json"])["total"]
                .as_u64()
                .expect("n")
                > 0,
            "{group}"
        );
    }
}

#[test]
fn killing_a_save_at_any_moment_leaves_a_loadable_project() {
    let (tmp, d) = project();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).expect("mkdir");
    let line = "Rektor: Vi har for lite ressurser og for mange møter uten PPT til stede. ";
    for i in 0..40 {
        let text = format!(
            "Intervjuer: Spørsmål {i}?\n\n{}\n\nIntervjuer: Takk.\n\n{}",
            line.repeat(800 + i),
            line
        );
        std::fs::write(inbox.join(format!("intervju_{i}.txt")), text).expect("write");
    }
    let before = json(&["stats", &d, "--json"])["documents"]
        .as_u64()
        .expect("n");
    let mut outcomes = std::collections::BTreeSet::new();
    for delay_ms in [5u64, 20, 40, 60, 90, 130, 200, 400] {
        let mut child = bin()
            .args([
                "import",
                &d,
                inbox.to_str().expect("p"),
                "--allow-duplicates",
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        // Whatever the moment, the project opens and is either the old one or has every new document.
        let docs = json(&["stats", &d, "--json"])["documents"]
            .as_u64()
            .expect("n");
        let added = docs - before;
        assert!(
            added.is_multiple_of(40),
            "a torn import: {added} documents added"
        );
        outcomes.insert(added > 0);
        let _ = run(&["unlock", &d]);
        ok(&["search", &d, "ressurser", "--limit", "1"]);
    }
    assert!(outcomes.contains(&false) || outcomes.contains(&true));
}

#[test]
fn format_v1_fixture_still_opens() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/format-v1");
    let tmp = tempfile::tempdir().expect("tempdir");
    let copy = tmp.path().join("v1");
    copy_dir(&fixture, &copy);
    let d = copy.to_str().expect("p");
    let stats = json(&["stats", d, "--json"]);
    assert_eq!(stats["documents"], 2);
    assert_eq!(stats["codes"], 3);
    assert_eq!(stats["codings"], 2);
    assert_eq!(stats["cases"], 1);
    assert_eq!(stats["memos"], 1);
    let ex = json(&["excerpts", d, "--code", "Budget cuts", "--json"]);
    assert_eq!(ex[0]["text"], "Budsjettet ble kuttet med to millioner");
    assert_eq!(ex[0]["memo"], "tydelig");
    assert!(
        json(&["search", d, "ressursar", "--json"])["total"]
            .as_u64()
            .expect("n")
            >= 2
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read fixture").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// Two codings and a coding memo and a document memo on `rektor_furulund`, a coding in `laerar_vikoy`, a
/// project memo, and `rektor_furulund` in the set Rektorer.
fn documents_with_codings_and_memos(d: &str) {
    ok(&["codes", d, "add", "Barriers"]);
    let coded = code(d, "rektor_furulund", "Barriers", "--match", BUDGET);
    let on_coding = format!("coding:{}", coded["coding"].as_str().expect("id"));
    code(d, "rektor_furulund", "Barriers", "--range", "0..10");
    code(d, "laerar_vikoy", "Barriers", "--range", "0..10");
    ok(&[
        "memos", d, "add", "--on", &on_coding, "--title", "Kutt", "--text", "Tydelig.",
    ]);
    ok(&[
        "memos",
        d,
        "add",
        "--on",
        "doc:rektor_furulund",
        "--title",
        "Om",
        "--text",
        "Rik.",
    ]);
    ok(&[
        "memos",
        d,
        "add",
        "--title",
        "Plan",
        "--text",
        "Analyseplan.",
    ]);
    ok(&["sets", d, "add", "Rektorer", "rektor_furulund"]);
}

/// The entry of `docs --json` named `name`.
fn doc_named(docs: &Value, name: &str) -> Option<Value> {
    docs.as_array()
        .expect("array")
        .iter()
        .find(|x| x["name"] == name)
        .cloned()
}

#[test]
fn docs_rename_and_set_kind() {
    let (_tmp, d) = project();
    let renamed = ok(&["docs", &d, "rename", "rektor_furulund", "Rektor Furulund"]);
    assert!(
        renamed.contains("Done: rename document 'rektor_furulund' to 'Rektor Furulund'"),
        "{renamed}"
    );
    ok(&["docs", &d, "set-kind", "Rektor Furulund", "observation"]);
    let listed = json(&["docs", &d, "list", "--json"]);
    assert_eq!(
        listed,
        json(&["docs", &d, "--json"]),
        "`docs DIR` and `docs DIR list` agree"
    );
    assert_eq!(
        doc_named(&listed, "Rektor Furulund").expect("renamed")["kind"],
        "observation"
    );
    assert!(
        fails(&["docs", &d, "set-kind", "Rektor Furulund", "poem"]).contains("unknown kind 'poem'")
    );
    assert!(fails(&["docs", &d, "remove", "nope"]).contains("no document named 'nope'"));
}

#[test]
fn docs_remove_takes_codings_memos_and_memberships_and_undo_restores_them() {
    let (_tmp, d) = project();
    documents_with_codings_and_memos(&d);
    ok(&["docs", &d, "rename", "rektor_furulund", "Rektor Furulund"]);
    // Removing takes the codings, the memos on the document and its codings, and its memberships.
    let removed = ok(&["docs", &d, "remove", "Rektor Furulund"]);
    assert!(
        removed.contains("remove document 'Rektor Furulund', with 2 coding(s) and 2 memo(s)"),
        "{removed}"
    );
    assert!(doc_named(&json(&["docs", &d, "--json"]), "Rektor Furulund").is_none());
    let count = |args: &[&str]| json(args).as_array().expect("array").len();
    assert_eq!(count(&["excerpts", &d, "--json"]), 1);
    assert_eq!(count(&["memos", &d, "list", "--json"]), 1);
    assert_eq!(json(&["stats", &d, "--json"])["documents"], 2);
    let furulund = |cases: &Value| {
        cases["cases"]
            .as_array()
            .expect("cases")
            .iter()
            .find(|c| c["name"] == "Furulund skole")
            .map(|c| c["documents"].as_array().expect("docs").len())
    };
    assert_eq!(furulund(&json(&["cases", &d, "list", "--json"])), Some(0));
    assert!(ok(&["sets", &d, "list"]).contains("0 docs"));

    // One undo brings all of it back.
    assert!(ok(&["undo", &d]).contains("Undid: remove document 'Rektor Furulund'"));
    assert_eq!(count(&["excerpts", &d, "--json"]), 3);
    assert_eq!(count(&["memos", &d, "list", "--json"]), 3);
    assert_eq!(furulund(&json(&["cases", &d, "list", "--json"])), Some(1));
    let shown = json(&["show", &d, "Rektor Furulund", "--json"]);
    assert_eq!(
        shown["text"].as_str().map(|t| t.contains(BUDGET)),
        Some(true)
    );
    assert!(ok(&["docs", &d]).contains("Rektor Furulund"));
    assert_eq!(json(&["search", &d, "budsjettet", "--json"])["total"], 1);
}

#[test]
fn exports_never_write_inside_a_project_folder() {
    let (tmp, d) = project();
    ok(&["codes", &d, "add", "Barriers"]);
    code(&d, "rektor_furulund", "Barriers", "--range", "0..10");
    let codebook = Path::new(&d).join("codebook.ron");
    let before = std::fs::read(&codebook).expect("read");
    let target = codebook.to_str().expect("path");
    let refused: [&[&str]; 11] = [
        &["export-qdpx", &d, "-o", target],
        &["export-qdc", &d, "-o", target],
        &["export-codebook", &d, "--format", "md", "-o", target],
        &["export-table", &d, "-o", target],
        &["excerpts", &d, "--format", "md", "-o", target],
        &["matrix", &d, "--format", "csv", "-o", target],
        &["cooccurrence", &d, "--format", "csv", "-o", target],
        &["query", &d, "Barriers", "--format", "csv", "-o", target],
        &["words", &d, "--format", "csv", "-o", target],
        &[
            "words", &d, "--kwic", "ressurs", "--format", "csv", "-o", target,
        ],
        &["codes", &d, "export", target],
    ];
    for args in refused {
        let err = fails(args);
        assert!(
            err.lines().count() == 1
                && err.contains(target)
                && err.contains("inside the project folder"),
            "{args:?}: {err}"
        );
        assert_eq!(
            std::fs::read(&codebook).expect("read"),
            before,
            "{args:?} left codebook.ron alone"
        );
    }
    // A new file in a new sub-folder of the project is refused too, and nothing is created.
    let sub = Path::new(&d).join("exports/report.docx");
    fails(&[
        "excerpts",
        &d,
        "--format",
        "docx",
        "-o",
        sub.to_str().expect("path"),
    ]);
    assert!(!sub.exists() && !sub.parent().expect("folder").exists());
    // The project still opens, and the same export outside the folder works.
    assert_eq!(json(&["stats", &d, "--json"])["codes"], 1);
    let outside = tmp.path().join("studie.qdpx");
    ok(&["export-qdpx", &d, "-o", outside.to_str().expect("path")]);
    assert!(outside.is_file());
}

#[test]
fn coders_lists_layers_and_sets_a_colour_that_undo_takes_back() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("sample");
    let d = dir.to_str().expect("path").to_string();
    ok(&["sample", &d]);
    let listed = json(&["coders", &d, "--json"]);
    let ingrid = |v: &Value| {
        v.as_array()
            .expect("a list")
            .iter()
            .find(|c| c["name"] == "Ingrid Solberg")
            .cloned()
            .expect("Ingrid Solberg is a coder")
    };
    assert_eq!(ingrid(&listed)["own_colour"], false);
    assert!(ingrid(&listed)["codings"].as_u64().expect("a count") > 0);

    let out = ok(&["coders", &d, "color", "ingrid solberg", "#AA3377"]);
    assert!(
        out.contains("colour coder 'Ingrid Solberg' #aa3377"),
        "{out}"
    );
    let listed = json(&["coders", &d, "--json"]);
    assert_eq!(ingrid(&listed)["colour"], "#aa3377");
    assert_eq!(ingrid(&listed)["own_colour"], true);
    // Saved in the coder's file, read back by a fresh process (the listing above) and by the text listing.
    assert!(ok(&["coders", &d]).contains("#aa3377"));

    let err = fails(&["coders", &d, "colour", "Ingrid Solberg", "lilla"]);
    assert!(err.contains("'lilla' is not a colour"), "{err}");
    let err = fails(&["coders", &d, "colour", "Kari Nordmann", "#000000"]);
    assert!(
        err.contains("Kari Nordmann") && err.contains("Tobias Lunde"),
        "{err}"
    );

    ok(&["undo", &d]);
    let listed = json(&["coders", &d, "--json"]);
    assert_eq!(ingrid(&listed)["own_colour"], false);
    ok(&["coders", &d, "colour", "Ingrid Solberg", "#AA3377"]);
    ok(&["coders", &d, "colour", "Ingrid Solberg", "palette"]);
    assert_eq!(
        ingrid(&json(&["coders", &d, "--json"]))["own_colour"],
        false
    );
}
