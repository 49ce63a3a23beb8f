//! The crash test: every mutating CLI command is stopped at every step of writing the project (an abort at the
//! N-th write step, via `MARGINALIA_TEST_ABORT_AT`) and at random moments (SIGKILL). After each stop the project
//! must open, hold exactly the files of before or after the command, and its undo history must match them:
//! `undo` undoes the command when it landed, and the step before it when it did not.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::LazyLock;
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_marginalia");

fn run(dir: &Path, args: &[&str], abort_at: Option<usize>) -> Output {
    let mut command = Command::new(BIN);
    command.args(args).env("USER", "Crash Tester");
    if let Some(n) = abort_at {
        command.env("MARGINALIA_TEST_ABORT_AT", n.to_string());
    }
    command.current_dir(dir).output().expect("the binary runs")
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = run(dir, args, None);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A project's content with the parts that differ between two runs of the same command (new ids, times)
/// replaced by placeholders and the lines of each file sorted: equal when the runs made the same change.
type Content = Vec<(String, Vec<String>)>;

static VOLATILE: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r"[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}|\d{4}-\d\d-\d\dT[0-9:.]+(Z|[+-]\d\d:\d\d)",
    )
    .expect("regex")
});

fn content(root: &Path) -> Content {
    let mut files: Content = snapshot(root)
        .into_iter()
        .map(|(path, bytes)| {
            let name = VOLATILE
                .replace_all(&path.to_string_lossy(), "*")
                .into_owned();
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let mut lines: Vec<String> = text
                .lines()
                .map(|l| VOLATILE.replace_all(l, "*").into_owned())
                .collect();
            lines.sort();
            (name, lines)
        })
        .collect();
    files.sort();
    files
}

/// What the project holds: every project file by relative path, leaving out the git-ignored state and index,
/// temp files of an unfinished write, and texts no document refers to yet (an import cut short before its
/// commit); both kinds are invisible to a reader and removed by the next writer.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = all_files(root);
    let documents = files
        .get(Path::new("documents.ron"))
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .unwrap_or_default();
    files.retain(|path, _| {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        let temp = name.starts_with('.') && name.contains(".tmp-");
        let orphan = path.starts_with("sources")
            && path
                .file_stem()
                .is_some_and(|stem| !documents.contains(&*stem.to_string_lossy()));
        !temp && !orphan
    });
    files
}

fn all_files(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir").flatten() {
            let path = entry.path();
            let relative = path.strip_prefix(root).expect("inside").to_path_buf();
            if relative.starts_with(".marginalia") || relative.starts_with(".index") {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                files.insert(relative, std::fs::read(&path).expect("read"));
            }
        }
    }
    files
}

fn copy_dir(from: &Path, to: &Path) {
    let status = Command::new("cp")
        .arg("-a")
        .arg(from)
        .arg(to)
        .status()
        .expect("cp");
    assert!(status.success());
}

/// What `undo` reports and leaves, run on a copy so the original stays as it is.
fn undo_probe(dir: &Path, project: &Path) -> (String, Content) {
    let probe = dir.join("probe");
    let _ = std::fs::remove_dir_all(&probe);
    copy_dir(project, &probe);
    let label = ok(dir, &["undo", probe.to_str().expect("utf-8")]);
    let undone = content(&probe);
    let _ = std::fs::remove_dir_all(&probe);
    (label, undone)
}

struct Case {
    name: &'static str,
    args: Vec<String>,
}

/// The two states a stopped command may leave, and what `undo` reports and leaves in each.
struct Reference {
    before: Content,
    after: Content,
    undo_before: (String, Content),
    undo_after: (String, Content),
}

impl Reference {
    /// Runs the command once without stopping it, on a copy of `base`.
    fn record(dir: &Path, base: &Path, name: &str, args: impl Fn(&Path) -> Vec<String>) -> Self {
        let reference_dir = dir.join(format!("ref-{name}"));
        copy_dir(base, &reference_dir);
        let before = content(&reference_dir);
        let undo_before = undo_probe(dir, &reference_dir);
        let a = args(&reference_dir);
        ok(dir, &a.iter().map(String::as_str).collect::<Vec<_>>());
        let reference = Reference {
            before,
            after: content(&reference_dir),
            undo_before,
            undo_after: undo_probe(dir, &reference_dir),
        };
        let _ = std::fs::remove_dir_all(&reference_dir);
        assert_ne!(
            reference.undo_before.0, reference.undo_after.0,
            "{name}: undo cannot tell the states apart"
        );
        reference
    }
}

/// Checks a project after a stop: it opens, holds before or after, and undo matches what it holds.
fn check_consistent(dir: &Path, work: &Path, reference: &Reference, what: &str) {
    let w = work.to_str().expect("utf-8");
    let stats = run(dir, &["stats", w], None);
    assert!(
        stats.status.success(),
        "{what}: the project does not open: {}",
        String::from_utf8_lossy(&stats.stderr)
    );
    // A writer open recovers the journal and removes texts of an unfinished import.
    let label = ok(dir, &["undo", w]);
    let undone = content(work);
    let expected = if label == reference.undo_after.0 {
        &reference.undo_after
    } else {
        assert_eq!(
            label, reference.undo_before.0,
            "{what}: undo undid something unexpected"
        );
        &reference.undo_before
    };
    assert!(
        undone == expected.1,
        "{what}: undo left other files than it does after a clean run"
    );
}

fn crash_every_step(dir: &Path, base: &Path, case: &Case) -> usize {
    let args: Vec<&str> = case.args.iter().map(String::as_str).collect();
    let with_dir = |root: &Path| -> Vec<String> {
        args.iter()
            .map(|a| a.replace("{P}", root.to_str().expect("utf-8")))
            .collect()
    };
    let reference = Reference::record(dir, base, case.name, with_dir);
    let mut steps = 0;
    for n in 1..500 {
        let work = dir.join(format!("{}-{n}", case.name));
        copy_dir(base, &work);
        let a = with_dir(&work);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let out = run(dir, &a, Some(n));
        let what = format!("{} stopped at write step {n}", case.name);
        let state = content(&work);
        if out.status.success() {
            assert!(state == reference.after, "{what}: completed but differs");
            let _ = std::fs::remove_dir_all(&work);
            break;
        }
        steps = n;
        let stopped = state == reference.before || state == reference.after;
        let recovered = {
            let _ = run(dir, &["stats", work.to_str().expect("utf-8")], None);
            let s = content(&work);
            s == reference.before || s == reference.after
        };
        assert!(stopped || recovered, "{what}: the files are torn");
        check_consistent(dir, &work, &reference, &what);
        let _ = std::fs::remove_dir_all(&work);
    }
    steps
}

/// A small deterministic random number generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n.max(1)
    }
}

fn cases(dir: &Path) -> Vec<Case> {
    let texts = dir.join("texts");
    std::fs::create_dir_all(&texts).expect("mkdir");
    for i in 0..20 {
        std::fs::write(
            texts.join(format!("notat_{i:02}.txt")),
            format!("Notat {i} fra ressursteammøtet.\n\nVi snakket om samarbeid med PPT og helsesykepleier ({i})."),
        )
        .expect("write");
    }
    let one = dir.join("one.txt");
    std::fs::write(
        &one,
        "Rektor: Vi mangler ressurser.\n\nIntervjuer: Hvorfor?\n\nRektor: Budsjettet.\n",
    )
    .expect("write");
    let s = |v: &[&str]| v.iter().map(|a| a.to_string()).collect::<Vec<_>>();
    vec![
        Case {
            name: "code",
            args: s(&[
                "code",
                "{P}",
                "--doc",
                "furulund_intervju_rektor",
                "--code",
                "Crash test/Coded",
                "--create",
                "--match",
                "rektor her på Furulund",
                "--coder",
                "Crash Tester",
            ]),
        },
        Case {
            name: "codes-delete",
            args: s(&["codes", "{P}", "delete", "Teacher involvement"]),
        },
        Case {
            name: "codes-rename",
            args: s(&[
                "codes",
                "{P}",
                "rename",
                "Teacher involvement",
                "Lærerinvolvering",
            ]),
        },
        Case {
            name: "memo",
            args: s(&[
                "memos",
                "{P}",
                "add",
                "--on",
                "project",
                "--title",
                "Krasj",
                "--text",
                "Et notat.",
            ]),
        },
        Case {
            name: "case-set",
            args: s(&["cases", "{P}", "set", "Furulund skole", "elever=310"]),
        },
        Case {
            name: "undo",
            args: s(&["undo", "{P}"]),
        },
        Case {
            name: "import-one",
            args: vec!["import".into(), "{P}".into(), one.display().to_string()],
        },
        Case {
            name: "import-batch",
            args: vec!["import".into(), "{P}".into(), texts.display().to_string()],
        },
    ]
}

/// The sample study with one step in its undo history (so `undo` can tell "before" from "after").
fn base_project(dir: &Path) -> PathBuf {
    let base = dir.join("base");
    let b = base.to_str().expect("utf-8");
    ok(dir, &["sample", b]);
    ok(dir, &["codes", b, "add", "Crash test/Before"]);
    base
}

#[test]
fn a_command_stopped_at_any_write_leaves_project_and_undo_consistent() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (dir, base) = (tmp.path(), base_project(tmp.path()));
    let mut total = 0;
    for case in cases(dir) {
        let steps = crash_every_step(dir, &base, &case);
        assert!(
            steps >= 2,
            "{}: only {steps} write steps were reached",
            case.name
        );
        total += steps;
    }
    eprintln!("crash test: {total} stops at write steps, all consistent");
}

#[cfg(unix)]
#[test]
fn a_command_killed_at_random_moments_leaves_project_and_undo_consistent() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (dir, base) = (tmp.path(), base_project(tmp.path()));
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let rounds: usize = std::env::var("MARGINALIA_CRASH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4);
    for case in cases(dir) {
        let fill = |root: &Path| -> Vec<String> {
            case.args
                .iter()
                .map(|a| a.replace("{P}", root.to_str().expect("utf-8")))
                .collect()
        };
        let started = std::time::Instant::now();
        let reference = Reference::record(dir, &base, case.name, fill);
        // The command runs in about a quarter of recording it (before, run, after, two undo probes).
        let span = (started.elapsed().as_micros() / 4) as u64;
        for round in 0..rounds {
            let work = dir.join(format!("{}-kill-{round}", case.name));
            copy_dir(&base, &work);
            let mut child = Command::new(BIN)
                .args(fill(&work))
                .env("USER", "Crash Tester")
                .spawn()
                .expect("spawn");
            std::thread::sleep(Duration::from_micros(rng.below(span)));
            let _ = child.kill();
            let _ = child.wait();
            let state = content(&work);
            let what = format!("{} killed in round {round}", case.name);
            if state != reference.before && state != reference.after {
                let _ = run(dir, &["stats", work.to_str().expect("utf-8")], None);
                let s = content(&work);
                assert!(
                    s == reference.before || s == reference.after,
                    "{what}: the files are torn"
                );
            }
            check_consistent(dir, &work, &reference, &what);
            let _ = std::fs::remove_dir_all(&work);
        }
    }
}
