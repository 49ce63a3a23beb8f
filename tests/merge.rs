//! `marginalia merge DIR OTHER`: two copies of a study merged as one undoable edit; DIR wins where the copies
//! disagree and every disagreement is reported; other versions, unrelated projects and the folder itself are
//! refused.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

use marginalia::edit::{Edit, Entity};
use marginalia::merge::{MergeError, merge_projects};
use marginalia::model::Project;

const BIN: &str = env!("CARGO_BIN_EXE_marginalia");
const DOC: &str = "brattli_intervju_kommunalsjef";

fn run(coder: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(["--coder", coder])
        .args(args)
        .output()
        .expect("marginalia runs")
}

fn ok(output: Output) -> String {
    assert!(
        output.status.success(),
        "failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Copies a project folder without its local state (as a colleague's copy would be).
fn copy_project(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == ".index" || name == ".marginalia" {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            copy_project(&entry.path(), &to.join(&name));
        } else {
            std::fs::copy(entry.path(), to.join(&name)).unwrap();
        }
    }
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn a_colleagues_copy_merges_as_one_undoable_edit_and_conflicts_are_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, other) = (tmp.path().join("studie"), tmp.path().join("kopi"));
    marginalia::sample::build(&dir).unwrap();
    copy_project(&dir, &other);
    let before = marginalia::store::load(&dir).unwrap();

    // The colleague codes, adds a code with a description, renames one code and moves another.
    ok(run(
        "Tobias Lunde",
        &[
            "code",
            s(&other),
            "--doc",
            DOC,
            "--code",
            "Organisation/Meeting arenas",
            "--match",
            "dialogkonferansene",
        ],
    ));
    ok(run(
        "Tobias Lunde",
        &[
            "codes",
            s(&other),
            "add",
            "Outcomes/Pupil wellbeing",
            "--description",
            "Trivsel blant elevene",
        ],
    ));
    ok(run(
        "Tobias Lunde",
        &[
            "codes",
            s(&other),
            "rename",
            "Barriers/Resource shortage",
            "Mangel på ressurser",
        ],
    ));
    ok(run(
        "Tobias Lunde",
        &[
            "memos",
            s(&other),
            "add",
            "--on",
            "code:Outcomes/Pupil wellbeing",
            "--title",
            "Definisjon",
            "--text",
            "Elevenes trivsel slik lærerne beskriver den.",
        ],
    ));
    // Meanwhile DIR renames the same code differently and codes too.
    ok(run(
        "Ingrid Solberg",
        &[
            "codes",
            s(&dir),
            "rename",
            "Barriers/Resource shortage",
            "Lack of resources",
        ],
    ));
    ok(run(
        "Ingrid Solberg",
        &[
            "code",
            s(&dir),
            "--doc",
            DOC,
            "--code",
            "Barriers/Municipal merger",
            "--match",
            "ventetid i PPT",
        ],
    ));
    let ours = marginalia::store::load(&dir).unwrap();

    let out = ok(run("Ingrid Solberg", &["merge", s(&dir), s(&other)]));
    assert!(out.contains("added 1 code, 1 coding, 1 memo"), "{out}");
    assert!(
        out.contains("conflict: code 'Barriers/Lack of resources' is named 'Mangel på ressurser' in the other copy; kept 'Lack of resources'"),
        "{out}"
    );
    let merged = marginalia::store::load(&dir).unwrap();
    assert_eq!(merged.codings().len(), before.codings().len() + 2);
    assert!(merged.find_code("Barriers/Lack of resources").is_some());
    assert_eq!(
        merged
            .find_code("Outcomes/Pupil wellbeing")
            .unwrap()
            .description,
        "Trivsel blant elevene"
    );
    assert_eq!(merged.documents(), ours.documents());

    // Merging again brings nothing; one undo takes the whole merge back.
    let again = ok(run("Ingrid Solberg", &["merge", s(&dir), s(&other)]));
    assert!(again.contains("nothing new to add"), "{again}");
    let undo = ok(run("Ingrid Solberg", &["undo", s(&dir)]));
    assert!(undo.contains("merge a copy"), "{undo}");
    let undone = marginalia::store::load(&dir).unwrap();
    assert_eq!(undone.codings(), ours.codings());
    assert_eq!(undone.codes(), ours.codes());
    assert_eq!(undone.memos(), ours.memos());
}

#[test]
fn two_independently_built_copies_match_by_text_and_name() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    marginalia::sample::build(&a).unwrap();
    marginalia::sample::build(&b).unwrap();
    let (pa, pb) = (
        marginalia::store::load(&a).unwrap(),
        marginalia::store::load(&b).unwrap(),
    );
    let merge = merge_projects(&pa, &pb).unwrap();
    assert_eq!(merge.report.documents_shared, pa.documents().len());
    assert_eq!(merge.report.codings_already_present, pb.codings().len());
    assert!(merge.edit.is_none(), "{}", merge.report.summary());
}

#[test]
fn a_document_whose_text_differs_is_reported_and_its_codings_left_out() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("studie");
    marginalia::sample::build(&dir).unwrap();
    let ours = marginalia::store::load(&dir).unwrap();
    let doc = ours.find_document(DOC).unwrap().clone();

    // The other copy: the same documents, but one with a corrected text under the same id, and a coding on it.
    let mut other = Project::new("kopi", ours.meta().language);
    let mut edits = Vec::new();
    for d in ours.documents().values().filter(|d| d.id != doc.id) {
        edits.push(Edit::Put(Entity::Document(Box::new(
            marginalia::edit::DocumentEntry {
                document: d.clone(),
                text: ours.text(d.id).into(),
            },
        ))));
    }
    let text = format!("{} Rettet etter sitatsjekk.", ours.text(doc.id));
    let mut changed =
        marginalia::import::document_from_text(&doc.name, &doc.original_file, &text, None);
    changed.document.id = doc.id;
    edits.push(Edit::Put(Entity::Document(Box::new(changed))));
    let code = ours.find_code("Barriers").unwrap().clone();
    let coder = marginalia::model::Coder {
        id: marginalia::ids::CoderId::new(),
        name: "Tobias Lunde".into(),
        colour: None,
    };
    edits.push(Edit::Put(Entity::Code(code.clone())));
    edits.push(Edit::Put(Entity::Coder(coder.clone())));
    edits.push(Edit::Put(Entity::Coding(marginalia::model::Coding {
        id: marginalia::ids::CodingId::new(),
        document: doc.id,
        code: code.id,
        range: marginalia::offsets::CharRange::new(0, 10),
        coder: coder.id,
        created: marginalia::now(),
        memo: None,
    })));
    other.apply(Edit::batch("kopi", edits)).unwrap();

    let merge = merge_projects(&ours, &other).unwrap();
    assert_eq!(merge.report.documents_differing, 1);
    assert_eq!(merge.report.codings_left_out, 1);
    assert!(
        merge
            .report
            .conflicts
            .iter()
            .any(|c| c.contains(&format!("document '{}' has a different text", doc.name))),
        "{:?}",
        merge.report.conflicts
    );
    assert!(
        merge
            .report
            .conflicts
            .iter()
            .any(|c| c.contains("left out 1 coding(s)")),
        "{:?}",
        merge.report.conflicts
    );
    let mut after = ours.clone();
    if let Some(edit) = merge.edit {
        after.apply(edit).unwrap();
    }
    assert_eq!(after.text(doc.id), ours.text(doc.id), "never re-anchored");
}

#[test]
fn the_folder_itself_an_unrelated_project_and_another_format_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("studie");
    marginalia::sample::build(&dir).unwrap();

    let same = run("Ingrid Solberg", &["merge", s(&dir), s(&dir)]);
    assert!(!same.status.success());
    assert!(String::from_utf8_lossy(&same.stderr).contains("this is the project itself"));

    let unrelated = tmp.path().join("annen");
    ok(run("Ingrid Solberg", &["new", s(&unrelated)]));
    let notes = tmp.path().join("notat.txt");
    std::fs::write(
        &notes,
        "Feltnotat fra et helt annet prosjekt om lesing i ungdomsskolen.\n",
    )
    .unwrap();
    ok(run("Ingrid Solberg", &["import", s(&unrelated), s(&notes)]));
    let out = run("Ingrid Solberg", &["merge", s(&dir), s(&unrelated)]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("shares no document with this project"),
        "{err}"
    );

    let old = tmp.path().join("gammel");
    copy_project(&dir, &old);
    let meta = old.join("marginalia.ron");
    let text = std::fs::read_to_string(&meta)
        .unwrap()
        .replace("format_version: 1", "format_version: 0");
    std::fs::write(&meta, text).unwrap();
    let pa = marginalia::store::load(&dir).unwrap();
    let pb = marginalia::store::load(&old).unwrap();
    assert!(matches!(
        merge_projects(&pa, &pb),
        Err(MergeError::FormatVersion { ours: 1, other: 0 })
    ));
    let out = run("Ingrid Solberg", &["merge", s(&dir), s(&old)]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("format version 0"));
}

#[test]
fn a_new_document_whose_text_cannot_be_read_in_the_other_copy_stops_the_merge_naming_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, other) = (tmp.path().join("studie"), tmp.path().join("kopi"));
    marginalia::sample::build(&dir).unwrap();
    copy_project(&dir, &other);
    let notes = tmp.path().join("feltnotat_soria.txt");
    std::fs::write(
        &notes,
        "Feltnotat frå Soria skule: lærarane fortel om ressursteamet og samarbeidet med PPT.\n",
    )
    .unwrap();
    ok(run("Tobias Lunde", &["import", s(&other), s(&notes)]));
    let ours_before: std::collections::BTreeSet<_> = std::fs::read_dir(dir.join("sources"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    let new_source = std::fs::read_dir(other.join("sources"))
        .unwrap()
        .map(|e| e.unwrap())
        .find(|e| !ours_before.contains(&e.file_name()))
        .expect("the imported document's text")
        .path();

    // The colleague's copy lost the new document's text (a half-synced folder): no empty document is merged.
    std::fs::remove_file(&new_source).unwrap();
    let out = run("Ingrid Solberg", &["merge", s(&dir), s(&other)]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("feltnotat_soria"), "{err}");
    assert!(err.contains(&new_source.display().to_string()), "{err}");
    let after = marginalia::store::load(&dir).unwrap();
    assert!(after.find_document("feltnotat_soria").is_none());

    // A text changed behind the project's back is refused the same way, through the library too.
    std::fs::write(&new_source, "Ein annan tekst.").unwrap();
    let (pa, pb) = (
        marginalia::store::load(&dir).unwrap(),
        marginalia::store::load(&other).unwrap(),
    );
    match merge_projects(&pa, &pb) {
        Err(MergeError::Text { document, problem }) => {
            assert_eq!(document, "feltnotat_soria");
            assert!(
                problem.contains(&new_source.display().to_string()),
                "{problem}"
            );
            assert!(problem.contains("changed since import"), "{problem}");
        }
        other => panic!("expected a text error, got {other:?}"),
    }
}
