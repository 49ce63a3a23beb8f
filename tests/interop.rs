//! REFI-QDA exchange: XSD-valid exports, exact round trips on the sample, and lenient imports of files
//! shaped like NVivo, ATLAS.ti, MAXQDA and Taguette exports.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use marginalia::ids::{CodeId, CodingId, DocumentId};
use marginalia::interop::{qdc, qdpx_read, qdpx_write};
use marginalia::model::{AttributeValue, MemoTarget, Project};
use marginalia::offsets::slice;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/refi")
}

/// Validates an XML file against a schema with xmllint (libxml2-utils); panics with its output on failure.
fn assert_valid(xml: &str, schema: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("file.xml");
    std::fs::write(&file, xml).expect("write");
    let output = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(fixtures().join(schema))
        .arg(&file)
        .output()
        .expect("xmllint runs (apt-get install libxml2-utils)");
    assert!(
        output.status.success(),
        "{schema} validation failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn sample() -> (tempfile::TempDir, Project) {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("sample");
    marginalia::sample::build(&root).expect("sample");
    let project = marginalia::store::load(&root).expect("load");
    (dir, project)
}

fn import(bytes: &[u8]) -> (Project, qdpx_read::ImportReport) {
    let parsed = qdpx_read::read_qdpx(Path::new("test.qdpx"), bytes).expect("import");
    let mut project = Project::new(&parsed.name, parsed.language);
    project.apply(parsed.edit).expect("apply");
    (project, parsed.report)
}

#[test]
fn sample_export_is_schema_valid_and_round_trips_exactly() {
    let (_dir, project) = sample();
    let (qde, report) = qdpx_write::project_qde(&project);
    assert_valid(&qde, "Project.xsd");
    assert_eq!(report.documents, project.documents().len());
    assert_eq!(report.codings, project.codings().len());

    let (bytes, _) = qdpx_write::project_qdpx(&project).expect("export");
    let (again, _) = qdpx_write::project_qdpx(&project).expect("export twice");
    assert_eq!(bytes, again, "exporting twice gives identical archives");

    let (imported, report) = import(&bytes);
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    assert_eq!(imported.documents(), project.documents());
    assert_eq!(imported.texts(), project.texts());
    assert_eq!(imported.codes(), project.codes());
    assert_eq!(imported.codings(), project.codings());
    assert_eq!(imported.coders(), project.coders());
    assert_eq!(imported.memos(), project.memos());
    assert_eq!(imported.attributes(), project.attributes());
    assert_eq!(imported.cases(), project.cases());
    assert_eq!(imported.sets(), project.sets());
    assert_eq!(imported.meta(), project.meta());
    assert_eq!(imported, project);
}

#[test]
fn codebook_export_is_schema_valid_and_imports_into_an_empty_project() {
    let (_dir, project) = sample();
    let xml = qdc::codebook_qdc(&project).expect("qdc");
    assert_valid(&xml, "Codebook.xsd");
    let (nodes, warnings) = qdc::read_qdc(Path::new("x.qdc"), xml.as_bytes()).expect("read");
    assert!(warnings.is_empty(), "{warnings:?}");
    let mut empty = Project::new("empty", Default::default());
    let (edit, report) = qdc::merge_edit(&empty, &nodes).expect("merge");
    empty.apply(edit.expect("codes")).expect("apply");
    assert_eq!(report.added, project.codes().len());
    assert_eq!(empty.codes(), project.codes());
    // Importing the same codebook again adds nothing.
    let (edit, report) = qdc::merge_edit(&empty, &nodes).expect("merge again");
    assert!(edit.is_none());
    assert_eq!(report.existing, project.codes().len());
}

/// Zips a fixture folder (an unpacked .qdpx) in memory.
fn zip_fixture(name: &str) -> Vec<u8> {
    let root = fixtures().join(name);
    let mut files = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    zip_entries(
        &files
            .iter()
            .map(|f| {
                let name = f
                    .strip_prefix(&root)
                    .expect("inside")
                    .to_string_lossy()
                    .replace('\\', "/");
                (name, std::fs::read(f).expect("read"))
            })
            .collect::<Vec<_>>(),
    )
}

fn zip_entries(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        writer.start_file(name.as_str(), options).expect("start");
        writer.write_all(data).expect("write");
    }
    writer.finish().expect("finish").into_inner()
}

fn coded_texts(project: &Project) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> = project
        .codings()
        .values()
        .map(|c| {
            (
                project.code_path(c.code),
                slice(project.text(c.document), c.range)
                    .expect("in range")
                    .to_string(),
            )
        })
        .collect();
    list.sort();
    list
}

fn code_id(text: &str) -> CodeId {
    text.parse().expect("guid")
}

#[test]
fn small_fixture_imports_every_element_and_round_trips() {
    let qde = std::fs::read_to_string(fixtures().join("small/project.qde")).expect("fixture");
    assert_valid(&qde, "Project.xsd");
    let (project, report) = import(&zip_fixture("small"));
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    assert_eq!(project.meta().name, "Liten studie");
    assert_eq!(
        project.meta().description,
        "En liten studie laget for testene."
    );
    assert_eq!(
        (
            project.documents().len(),
            project.codes().len(),
            project.codings().len()
        ),
        (2, 3, 4)
    );
    assert_eq!(
        (
            project.cases().len(),
            project.sets().len(),
            project.memos().len()
        ),
        (1, 1, 5)
    );
    assert_eq!(project.coders().len(), 2);
    small_codes_and_codings(&project);
    small_case_memos_and_set(&project);

    // Our export of it validates and reads back identically.
    let (qde, _) = qdpx_write::project_qde(&project);
    assert_valid(&qde, "Project.xsd");
    let (bytes, _) = qdpx_write::project_qdpx(&project).expect("export");
    let (again, _) = import(&bytes);
    assert_eq!(again, project);
}

const SHORTAGE: &str = "20000000-0000-4000-8000-000000000002";
const FIRST_CODING: &str = "70000000-0000-4000-8000-000000000001";

/// The small fixture's code tree, colours, descriptions, coded passages and coding memo.
fn small_codes_and_codings(project: &Project) {
    let shortage = code_id(SHORTAGE);
    assert_eq!(project.code_path(shortage), "Barrierer/Ressursmangel");
    assert_eq!(project.codes()[&shortage].colour, "#ff8800");
    assert_eq!(
        project.codes()[&code_id("20000000-0000-4000-8000-000000000001")].description,
        "Det som hindrer arbeidet."
    );
    assert_eq!(
        coded_texts(project),
        vec![
            ("Barrierer".to_string(), "vikarene kommer sent".to_string()),
            (
                "Barrierer/Ressursmangel".to_string(),
                "Vi har for få lærere".to_string()
            ),
            (
                "Barrierer/Ressursmangel".to_string(),
                "Vi har for få lærere".to_string()
            ),
            (
                "Samarbeid".to_string(),
                "Ressursteamet møttes bare to ganger".to_string()
            ),
        ]
    );
    let first: CodingId = FIRST_CODING.parse().expect("guid");
    assert_eq!(
        project.codings()[&first].memo.as_deref(),
        Some("Tydelig eksempel.")
    );
    assert_eq!(
        project.coders()[&project.codings()[&first].coder].name,
        "Kari"
    );
}

/// The small fixture's typed case attributes, where each memo is attached, and its set.
fn small_case_memos_and_set(project: &Project) {
    let case = project.cases().values().next().expect("case");
    assert_eq!(
        case.attributes["kommune"],
        AttributeValue::Text("Elvheim".into())
    );
    assert_eq!(case.attributes["elever"], AttributeValue::Integer(240));
    assert_eq!(case.attributes["andel"], AttributeValue::Number(0.25));
    assert_eq!(case.attributes["LOG"], AttributeValue::Boolean(true));
    assert_eq!(
        case.attributes["start"],
        AttributeValue::Date("2023-08-15".into())
    );
    assert_eq!(case.documents.len(), 2);

    let target = |title: &str| {
        project
            .memos()
            .values()
            .find(|m| m.title == title)
            .map(|m| m.target)
            .expect("memo")
    };
    assert_eq!(target("Prosjektnotat"), MemoTarget::Project);
    let first: CodingId = FIRST_CODING.parse().expect("guid");
    assert_eq!(target("Om kodingen"), MemoTarget::Coding(first));
    assert_eq!(target("Definisjon"), MemoTarget::Code(code_id(SHORTAGE)));
    let interview: DocumentId = "A0000000-0000-4000-8000-00000000000A"
        .parse()
        .expect("guid");
    assert_eq!(target("Om intervjuet"), MemoTarget::Document(interview));
    assert_eq!(target("Om skolen"), MemoTarget::Case(case.id));
    let set = project.sets().values().next().expect("set");
    assert_eq!((set.name.as_str(), set.documents.len()), ("Runde 1", 1));
}

#[test]
fn nvivo_utf16_crlf_bom_positions_are_converted() {
    let (project, report) = import(&zip_fixture("nvivo"));
    let doc = project.documents().values().next().expect("document");
    assert_eq!(doc.name, "Rektor Furulund");
    assert_eq!(doc.id.to_string(), "B3C1E1A2-0000-4000-8000-0000000000AA");
    let text = project.text(doc.id);
    assert!(text.starts_with("Intervjuer: Hvordan"), "BOM dropped");
    assert!(!text.contains('\r'), "CRLF normalised");
    let texts = coded_texts(&project);
    assert!(
        texts.contains(&("Ressurser".into(), "Vi mangler ressurser".into())),
        "{texts:?}"
    );
    assert!(
        texts.contains(&("Samarbeid".into(), "Det er bedre nå 👍".into())),
        "{texts:?}"
    );
    assert!(
        texts.contains(&("Samarbeid".into(), "arbeidet".into())),
        "{texts:?}"
    );
    // The deliberately misplaced selection is imported with a warning.
    assert!(
        report.warnings.iter().any(|w| w.contains("cuts a word")),
        "{:?}",
        report.warnings
    );
    assert!(report.warnings.iter().any(|w| w.contains("UTF-16")));
    assert_eq!(
        project.coders().values().next().map(|c| c.name.as_str()),
        Some("NVIVO\\kari")
    );
}

#[test]
fn atlas_variant_named_qde_flattened_codes_and_comments() {
    let (project, report) = import(&zip_fixture("atlas"));
    assert_eq!(project.meta().name, "Skolestudie");
    let paths: Vec<String> = project
        .code_tree()
        .iter()
        .map(|(_, c)| project.code_path(c.id))
        .collect();
    assert_eq!(
        paths,
        [
            "Barrierer",
            "Barrierer/Tidsmangel",
            "Barrierer/Avlyste møter"
        ]
    );
    assert_eq!(
        coded_texts(&project),
        vec![(
            "Barrierer/Tidsmangel".to_string(),
            "ikke tid til å planlegge".to_string()
        )]
    );
    let coding = project.codings().values().next().expect("coding");
    assert_eq!(coding.memo.as_deref(), Some("Gjelder hele trinnet."));
    // The description-only selection became a memo on the document, quoting the passage.
    let memo = project.memos().values().next().expect("memo");
    assert!(
        memo.text.starts_with("Sjekk møtereferatene."),
        "{}",
        memo.text
    );
    assert!(memo.text.contains("“Møtene blir avlyst”"), "{}", memo.text);
    assert!(matches!(memo.target, MemoTarget::Document(_)));
    // The zero-length selection is listed as skipped.
    assert!(
        report.skipped.iter().any(|s| s.contains("empty")),
        "{:?}",
        report.skipped
    );

    // The ATLAS.ti 9 codebook (old namespace) merges: one code known by id, one new.
    let bytes = std::fs::read(fixtures().join("atlas/codebook-atlas9.qdc")).expect("qdc");
    let (nodes, warnings) = qdc::read_qdc(Path::new("atlas9.qdc"), &bytes).expect("read");
    assert!(warnings.iter().any(|w| w.contains("older")), "{warnings:?}");
    let (edit, merged) = qdc::merge_edit(&project, &nodes).expect("merge");
    assert_eq!((merged.added, merged.existing), (1, 2));
    let mut project = project;
    project.apply(edit.expect("edit")).expect("apply");
    assert!(project.find_code("Fremmere").is_some());
}

#[test]
fn maxqda_variant_with_odd_ids_order_duplicates_and_pdf() {
    let (project, report) = import(&zip_fixture("maxqda"));
    let mut names: Vec<&str> = project
        .documents()
        .values()
        .map(|d| d.name.as_str())
        .collect();
    names.sort();
    assert_eq!(names, ["Intervju", "Intervju (2)", "Plan.pdf"]);
    assert_eq!(
        coded_texts(&project),
        vec![
            ("Tiltak".to_string(), "Plan for ressursteam".to_string()),
            (
                "Økonomi/Budsjett".to_string(),
                "Budsjettet er stramt".to_string()
            ),
        ]
    );
    let memo = project.memos().values().next().expect("memo");
    assert!(memo.text.starts_with("Foreldremøtet i mars."));
    assert!(
        memo.text.contains("“Foreldrene engasjerer seg”"),
        "{}",
        memo.text
    );
    let case = project.cases().values().next().expect("case");
    assert_eq!(case.documents.len(), 2);
    assert!(
        report.skipped.iter().any(|s| s.contains("Tavle.jpg")),
        "{:?}",
        report.skipped
    );
    assert!(
        report.skipped.iter().any(|s| s.contains("area selection")),
        "{:?}",
        report.skipped
    );
    // Non-GUID ids map deterministically.
    let (again, _) = import(&zip_fixture("maxqda"));
    assert_eq!(
        project.codings().keys().collect::<Vec<_>>(),
        again.codings().keys().collect::<Vec<_>>()
    );
    assert_eq!(
        qdpx_read::foreign_guid("doc-1"),
        project
            .documents()
            .values()
            .find(|d| d.name == "Intervju")
            .map(|d| d.id.to_string())
            .expect("doc")
    );
}

fn import_error(bytes: &[u8]) -> String {
    qdpx_read::read_qdpx(Path::new("bad.qdpx"), bytes)
        .expect_err("refused")
        .to_string()
}

#[test]
fn unsafe_and_broken_files_are_refused_with_clear_errors() {
    let qde = std::fs::read(fixtures().join("small/project.qde")).expect("fixture");
    let slip = zip_entries(&[
        ("project.qde".into(), qde.clone()),
        ("sources/../../evil.txt".into(), b"x".to_vec()),
    ]);
    assert!(import_error(&slip).contains("unsafe path"));

    let entities = br#"<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><Project name="&b;"/>"#;
    let bomb = zip_entries(&[("project.qde".into(), entities.to_vec())]);
    assert!(import_error(&bomb).contains("DOCTYPE"));

    let zeros = zip_entries(&[
        ("project.qde".into(), qde.clone()),
        ("sources/big.txt".into(), vec![b'a'; 8 * 1024 * 1024]),
    ]);
    assert!(import_error(&zeros).contains("zip bomb"));

    let broken = zip_entries(&[(
        "project.qde".into(),
        b"<Project name=\"x\"><Sources>".to_vec(),
    )]);
    assert!(import_error(&broken).contains("project.qde"));

    assert!(import_error(b"not a zip at all").contains("qdpx"));
    let no_qde = zip_entries(&[("readme.txt".into(), b"hi".to_vec())]);
    assert!(import_error(&no_qde).contains("no .qde"));
}

#[test]
fn cli_exports_and_imports_and_a_bad_file_creates_nothing() {
    let bin = env!("CARGO_BIN_EXE_marginalia");
    let dir = tempfile::tempdir().expect("tempdir");
    let qdpx = dir.path().join("small.qdpx");
    std::fs::write(&qdpx, zip_fixture("small")).expect("write");
    let project = dir.path().join("project");
    let out = Command::new(bin)
        .arg("import-qdpx")
        .arg(&qdpx)
        .arg(&project)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 documents, 3 codes, 4 codings"));
    let exported = dir.path().join("again.qdpx");
    let out = Command::new(bin)
        .arg("export-qdpx")
        .arg(&project)
        .arg("-o")
        .arg(&exported)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let qdc_file = dir.path().join("codes.qdc");
    let out = Command::new(bin)
        .arg("export-qdc")
        .arg(&project)
        .arg("-o")
        .arg(&qdc_file)
        .output()
        .expect("run");
    assert!(out.status.success());
    assert_valid(
        &std::fs::read_to_string(&qdc_file).expect("qdc"),
        "Codebook.xsd",
    );

    let outline = dir.path().join("codes.txt");
    std::fs::write(
        &outline,
        "Barrierer\n  Tidsmangel: For lite tid\nFremmere\n",
    )
    .expect("write");
    let out = Command::new(bin)
        .arg("import-qdc")
        .arg(&project)
        .arg(&outline)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Added 2 code(s); 1 already"));

    let bad = dir.path().join("bad.qdpx");
    std::fs::write(&bad, b"PK not really").expect("write");
    let target = dir.path().join("never");
    let out = Command::new(bin)
        .arg("import-qdpx")
        .arg(&bad)
        .arg(&target)
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(!target.exists(), "a bad file creates no project");
}

#[test]
fn each_coders_layer_survives_a_round_trip_as_creating_user() {
    let (_dir, project) = sample();
    let (qde, _) = qdpx_write::project_qde(&project);
    for name in ["Ingrid Solberg", "Tobias Lunde"] {
        let coder = project.find_coder(name).expect("sample coder");
        assert!(
            qde.contains(&format!("<User guid=\"{}\" name=\"{name}\"", coder.id)),
            "{name} is a user of the export"
        );
        assert!(qde.contains(&format!("creatingUser=\"{}\"", coder.id)));
    }
    let (bytes, _) = qdpx_write::project_qdpx(&project).expect("export");
    let (imported, report) = import(&bytes);
    assert_eq!(report.users, 2);
    let layer = |p: &Project, name: &str| -> Vec<(DocumentId, CodeId, usize, usize)> {
        let id = p.find_coder(name).expect("coder").id;
        let mut list: Vec<_> = p
            .codings()
            .values()
            .filter(|c| c.coder == id)
            .map(|c| (c.document, c.code, c.range.start, c.range.end))
            .collect();
        list.sort();
        list
    };
    for name in ["Ingrid Solberg", "Tobias Lunde"] {
        assert!(!layer(&project, name).is_empty());
        assert_eq!(
            layer(&imported, name),
            layer(&project, name),
            "{name}'s layer"
        );
    }
}

#[test]
fn users_a_file_codes_as_without_listing_them_stay_separate_coders() {
    // Some tools write creatingUser on codings but no <Users> section: one coder per user, not one lump.
    let qde = r#"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Teamprosjekt" origin="Team tool">
  <CodeBook><Codes><Code guid="C0000000-0000-4000-8000-000000000001" name="Ressursmangel" isCodable="true"/></Codes></CodeBook>
  <Sources>
    <TextSource guid="D0000000-0000-4000-8000-000000000001" name="Rektor Furulund">
      <PlainTextContent>Vi har for få lærere, og vikarene kommer sent.</PlainTextContent>
      <PlainTextSelection guid="S0000000-0000-4000-8000-000000000001" startPosition="0" endPosition="21">
        <Coding guid="A0000000-0000-4000-8000-000000000001" creatingUser="B0000000-0000-4000-8000-00000000000A"><CodeRef targetGUID="C0000000-0000-4000-8000-000000000001"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="S0000000-0000-4000-8000-000000000002" startPosition="3" endPosition="21">
        <Coding guid="A0000000-0000-4000-8000-000000000002" creatingUser="B0000000-0000-4000-8000-00000000000B"><CodeRef targetGUID="C0000000-0000-4000-8000-000000000001"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="S0000000-0000-4000-8000-000000000003" startPosition="24" endPosition="46">
        <Coding guid="A0000000-0000-4000-8000-000000000003" creatingUser="B0000000-0000-4000-8000-00000000000A"><CodeRef targetGUID="C0000000-0000-4000-8000-000000000001"/></Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
</Project>"#;
    let bytes = zip_entries(&[("project.qde".to_string(), qde.as_bytes().to_vec())]);
    let (project, _) = import(&bytes);
    assert_eq!(project.coders().len(), 2, "{:?}", project.coders());
    let mut per_coder: Vec<usize> = project
        .coders()
        .keys()
        .map(|id| {
            project
                .codings()
                .values()
                .filter(|c| c.coder == *id)
                .count()
        })
        .collect();
    per_coder.sort();
    assert_eq!(per_coder, [1, 2]);
}
