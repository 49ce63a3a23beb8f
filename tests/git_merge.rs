//! Two researchers, one project in git: concurrent coding, renaming, moving and adding codes survive `git pull`
//! without a conflict, through the merge driver `marginalia git-setup` registers. Drives the real `git`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

use marginalia::model::Project;

const BIN: &str = env!("CARGO_BIN_EXE_marginalia");
const DOC: &str = "brattli_intervju_kommunalsjef";

fn have_git() -> bool {
    let found = Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("skipped: `git` is not installed");
    }
    found
}

fn ok(output: Output, what: &str) -> String {
    assert!(
        output.status.success(),
        "{what} failed:\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn git(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
        .args(["-c", "init.defaultBranch=main", "-c", "pull.rebase=false"])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("git runs")
}

fn marginalia(dir: &Path, coder: &str, args: &[&str]) -> String {
    let output = Command::new(BIN)
        .current_dir(dir)
        .args(["--coder", coder])
        .args(args)
        .output()
        .expect("marginalia runs");
    ok(output, &format!("marginalia {args:?}"))
}

/// A shared bare repository holding the sample study in `studie/`, and two clones with the driver set up.
fn two_clones(root: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let shared = root.join("shared.git");
    let (a, b) = (root.join("ingrid"), root.join("tobias"));
    ok(
        git(root, &["init", "--bare", shared.to_str().unwrap()]),
        "git init --bare",
    );
    ok(
        git(
            root,
            &["clone", shared.to_str().unwrap(), a.to_str().unwrap()],
        ),
        "clone A",
    );
    marginalia(&a, "Ingrid Solberg", &["sample", "studie"]);
    assert!(
        std::fs::read_to_string(a.join("studie/.gitattributes"))
            .unwrap()
            .contains("*.ron merge=marginalia"),
        "a new project names the merge driver"
    );
    marginalia(&a, "Ingrid Solberg", &["git-setup", "studie"]);
    ok(git(&a, &["add", "-A"]), "git add");
    ok(git(&a, &["commit", "-qm", "sample"]), "commit");
    ok(git(&a, &["push", "-q", "origin", "HEAD:main"]), "push");
    ok(
        git(
            root,
            &[
                "clone",
                "-q",
                "-b",
                "main",
                shared.to_str().unwrap(),
                b.to_str().unwrap(),
            ],
        ),
        "clone B",
    );
    let out = marginalia(&b, "Tobias Lunde", &["git-setup", "studie"]);
    assert!(out.contains("Registered"), "{out}");
    let driver = ok(
        git(&b, &["config", "merge.marginalia.driver"]),
        "git config",
    );
    assert!(driver.contains("git-merge-driver %O %A %B %P"), "{driver}");
    (a, b)
}

fn codings_by(project: &Project, coder: &str) -> usize {
    let id = project.find_coder(coder).expect("coder").id;
    project.codings().values().filter(|c| c.coder == id).count()
}

#[test]
fn two_coders_pull_each_others_work_without_a_conflict() {
    if !have_git() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = two_clones(tmp.path());
    let before = marginalia::store::load(&a.join("studie")).unwrap();
    let (ingrid0, tobias0) = (
        codings_by(&before, "Ingrid Solberg"),
        codings_by(&before, "Tobias Lunde"),
    );

    // Coder A codes a passage and renames a code.
    marginalia(
        &a,
        "Ingrid Solberg",
        &[
            "code",
            "studie",
            "--doc",
            DOC,
            "--code",
            "Barriers/Municipal merger",
            "--match",
            "ventetid i PPT på seksten uker",
        ],
    );
    marginalia(
        &a,
        "Ingrid Solberg",
        &[
            "codes",
            "studie",
            "rename",
            "Barriers/Resource shortage",
            "Lack of resources",
        ],
    );
    ok(
        git(&a, &["commit", "-qam", "Ingrid: koding og nytt navn"]),
        "commit A",
    );
    ok(git(&a, &["push", "-q", "origin", "HEAD:main"]), "push A");

    // Coder B codes, adds a code, and moves the code A renamed (the same line of codebook.ron).
    marginalia(
        &b,
        "Tobias Lunde",
        &[
            "code",
            "studie",
            "--doc",
            DOC,
            "--code",
            "Organisation/Meeting arenas",
            "--match",
            "dialogkonferansene",
        ],
    );
    marginalia(
        &b,
        "Tobias Lunde",
        &[
            "codes",
            "studie",
            "add",
            "Outcomes/Pupil wellbeing",
            "--description",
            "Trivsel blant elevene",
        ],
    );
    marginalia(
        &b,
        "Tobias Lunde",
        &[
            "codes",
            "studie",
            "move",
            "Barriers/Resource shortage",
            "--to",
            "Organisation",
        ],
    );
    ok(git(&b, &["add", "-A"]), "git add B");
    ok(
        git(&b, &["commit", "-qm", "Tobias: koding og ny kode"]),
        "commit B",
    );

    // B pulls: no conflict.
    let pull = git(&b, &["pull", "-q", "--no-edit", "origin", "main"]);
    ok(
        pull,
        "git pull (a conflict here means the merge driver did not merge by id)",
    );
    let status = ok(git(&b, &["status", "--porcelain"]), "status");
    assert!(status.trim().is_empty(), "clean after the merge: {status}");

    // The project opens and validates, with both coders' work and both changes to the code.
    let merged = marginalia::store::load(&b.join("studie")).expect("the merged project opens");
    assert_eq!(codings_by(&merged, "Ingrid Solberg"), ingrid0 + 1);
    assert_eq!(codings_by(&merged, "Tobias Lunde"), tobias0 + 1);
    let code = merged
        .find_code("Organisation/Lack of resources")
        .expect("renamed (A) and moved (B)");
    assert!(merged.find_code("Barriers/Resource shortage").is_none());
    assert_eq!(
        merged.descendants(code.id).len(),
        before
            .descendants(before.find_code("Barriers/Resource shortage").unwrap().id)
            .len()
    );
    let added = merged
        .find_code("Outcomes/Pupil wellbeing")
        .expect("B's new code");
    assert_eq!(added.description, "Trivsel blant elevene");
    let stats = marginalia(&b, "Tobias Lunde", &["stats", "studie"]);
    assert!(!stats.is_empty());
    // The driver writes exactly what the store writes: saving the merged project changes nothing.
    marginalia(
        &b,
        "Tobias Lunde",
        &[
            "codes",
            "studie",
            "rename",
            "Outcomes/Pupil wellbeing",
            "Pupil wellbeing",
        ],
    );
    marginalia(&b, "Tobias Lunde", &["undo", "studie"]);
    let status = ok(git(&b, &["status", "--porcelain"]), "status");
    assert!(
        status.trim().is_empty(),
        "a save of the merged project is byte-identical: {status}"
    );
}

#[test]
fn files_that_are_not_ours_fall_back_to_a_line_merge_with_conflict_markers() {
    if !have_git() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = two_clones(tmp.path());
    // A .ron file of the researchers' own in the project folder: not a project file.
    std::fs::write(a.join("studie/plan.ron"), "(runde: 1)\n").unwrap();
    ok(git(&a, &["add", "-A"]), "add");
    ok(git(&a, &["commit", "-qm", "plan"]), "commit");
    ok(git(&a, &["push", "-q", "origin", "HEAD:main"]), "push");
    ok(
        git(&b, &["pull", "-q", "--no-edit", "origin", "main"]),
        "pull",
    );
    std::fs::write(a.join("studie/plan.ron"), "(runde: 2)\n").unwrap();
    ok(git(&a, &["commit", "-qam", "runde 2"]), "commit");
    ok(git(&a, &["push", "-q", "origin", "HEAD:main"]), "push");
    std::fs::write(b.join("studie/plan.ron"), "(runde: 3)\n").unwrap();
    ok(git(&b, &["commit", "-qam", "runde 3"]), "commit");
    let pull = git(&b, &["pull", "-q", "--no-edit", "origin", "main"]);
    assert!(
        !pull.status.success(),
        "a real conflict in a file that is not ours stays a conflict"
    );
    let text = std::fs::read_to_string(b.join("studie/plan.ron")).unwrap();
    assert!(
        text.contains("<<<<<<<") && text.contains("(runde: 2)") && text.contains("(runde: 3)"),
        "{text}"
    );
    let stderr = String::from_utf8_lossy(&pull.stderr);
    assert!(stderr.contains("not a Marginalia project file"), "{stderr}");
}

#[test]
fn the_driver_on_a_project_file_that_does_not_parse_exits_non_zero_with_markers() {
    if !have_git() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let base = "(\n  codes: [],\n)\n";
    std::fs::write(dir.join("base"), base).unwrap();
    std::fs::write(dir.join("ours"), "(\n  codes: [ødelagt\n)\n").unwrap();
    std::fs::write(dir.join("theirs"), "(\n  codes: [ikke ron\n)\n").unwrap();
    let output = Command::new(BIN)
        .current_dir(dir)
        .args([
            "git-merge-driver",
            "base",
            "ours",
            "theirs",
            "studie/codebook.ron",
        ])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("studie/codebook.ron") && stderr.contains("not a valid project file"),
        "{stderr}"
    );
    let text = std::fs::read_to_string(dir.join("ours")).unwrap();
    assert!(
        text.contains("<<<<<<<") && text.contains("ødelagt") && text.contains("ikke ron"),
        "{text}"
    );
}
