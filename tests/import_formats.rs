//! Import of every format from tests/fixtures/import (built by make_fixtures.py there): the exact text and turns
//! a reader sees, and each kind of bad input refused with one clear line while the project stays unchanged.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use marginalia::Workspace;
use marginalia::edit::DocumentEntry;
use marginalia::import::formats::survey::{Per, SurveyOptions, import_survey};
use marginalia::import::{ImportOptions, import_files, read_file};
use marginalia::model::{AttributeValue, DocumentKind, Language, Project};
use marginalia::offsets::{CharRange, slice};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

fn read(name: &str) -> DocumentEntry {
    match read_file(&fixture(name), None) {
        Ok(entry) => entry,
        Err(e) => panic!("{name}: {e}"),
    }
}

/// `(speaker, timestamp, spoken words)` of each turn.
fn turns(entry: &DocumentEntry) -> Vec<(String, Option<String>, String)> {
    entry
        .document
        .turns
        .iter()
        .map(|t| {
            let words = slice(&entry.text, CharRange::new(t.content_start, t.range.end))
                .unwrap_or("")
                .to_string();
            (t.speaker.clone(), t.timestamp.clone(), words)
        })
        .collect()
}

fn turn(speaker: &str, timestamp: Option<&str>, words: &str) -> (String, Option<String>, String) {
    (
        speaker.to_string(),
        timestamp.map(str::to_string),
        words.to_string(),
    )
}

/// The reason a single file was refused, through the same path as a batch import.
fn refusal(path: &Path) -> String {
    let project = Project::new("test", Language::Nn);
    let (edit, report) = import_files(
        &project,
        &[path.to_path_buf()],
        &ImportOptions::default(),
        |_, _, _| {},
    );
    assert!(edit.is_none(), "{} should change nothing", path.display());
    assert_eq!(report.failed.len(), 1, "{report:?}");
    report.failed[0].reason.clone()
}

const INTERVIEW: &str = "Intervju med rektor, Nausthaugen skule

Dato: 14. mars 2022

Intervjuer: Korleis har arbeidet i ressursteamet gått i år?

Rektor: Det har gått betre enn venta.
Vi møtest kvar fjortande dag.[1]

Men vi manglar framleis tid til oppfølging.

Intervjuer: Kva prioriterer de?

Rektor: Vi prioriterer to ting:

• Tidleg innsats på småtrinnet

• Rettleiing av nye lærarar

Intervjuer: Kva med spesialpedagogikken?

Rektor: Ressursane strekk ikkje til, særleg på småtrinnet.

Trinn | Elevar | Timar spes.ped.

1.–4. | 212 | 38

5.–7. | 168 | 41

Intervjuer: Takk for praten.

[1] Ressursteamet vart oppretta hausten 2021.";

fn interview_turns() -> Vec<(String, Option<String>, String)> {
    vec![
        turn(
            "Intervjuer",
            None,
            "Korleis har arbeidet i ressursteamet gått i år?",
        ),
        turn(
            "Rektor",
            None,
            "Det har gått betre enn venta.\nVi møtest kvar fjortande dag.[1]\n\nMen vi manglar framleis tid til oppfølging.",
        ),
        turn("Intervjuer", None, "Kva prioriterer de?"),
        turn(
            "Rektor",
            None,
            "Vi prioriterer to ting:\n\n• Tidleg innsats på småtrinnet\n\n• Rettleiing av nye lærarar",
        ),
        turn("Intervjuer", None, "Kva med spesialpedagogikken?"),
        turn(
            "Rektor",
            None,
            "Ressursane strekk ikkje til, særleg på småtrinnet.",
        ),
        turn("Intervjuer", None, "Takk for praten."),
    ]
}

#[test]
fn docx_interview_with_bold_labels_table_footnote_and_soft_break() {
    let entry = read("intervju_rektor.docx");
    assert_eq!(&*entry.text, INTERVIEW);
    assert_eq!(turns(&entry), interview_turns());
    assert_eq!(entry.document.kind, DocumentKind::Interview);
    assert_eq!(entry.document.paragraphs.len(), 16);
    assert!(entry.document.pages.is_empty());
}

#[test]
fn odt_interview_reads_the_same_as_the_docx() {
    let entry = read("intervju_rektor.odt");
    assert_eq!(&*entry.text, INTERVIEW);
    assert_eq!(turns(&entry), interview_turns());
}

#[test]
fn pdf_text_by_page_with_hyphenation_mended() {
    let entry = read("kommuneplan.pdf");
    assert_eq!(
        &*entry.text,
        "Plan for ressursteam i Vikøy kommune\n\nKommunen skal sikre tilpassa opplæring for alle elevar.\n\nTeamet møtest kvar fjortande dag.\n\nHelse- og omsorgstenesta deltek ved behov. Planen vert evaluert i 2024."
    );
    let pages: Vec<&str> = entry
        .document
        .pages
        .iter()
        .map(|p| slice(&entry.text, *p).unwrap_or(""))
        .collect();
    assert_eq!(
        pages,
        [
            "Plan for ressursteam i Vikøy kommune\n\nKommunen skal sikre tilpassa opplæring for alle elevar.\n\nTeamet møtest kvar fjortande dag.",
            "Helse- og omsorgstenesta deltek ved behov. Planen vert evaluert i 2024."
        ]
    );
    let evaluert = entry
        .text
        .find("evaluert")
        .map(|b| entry.text[..b].chars().count());
    assert_eq!(evaluert.and_then(|o| entry.document.page_at(o)), Some(2));
    assert!(entry.document.turns.is_empty());
}

#[test]
fn html_visible_text_only() {
    let entry = read("referat.html");
    assert_eq!(
        &*entry.text,
        "Referat frå møte i ressursteamet\n\nTil stades: rektor, PPT og helsesjukepleiar.\n\nVi diskuterte tidleg innsats & oppfølging.\nNeste møte er 4. april.\n\n• Kartlegging av 2. trinn\n\n• Rettleiing «i praksis»\n\nTiltak | Ansvar\n\nLesekurs | Kontaktlærar"
    );
    assert!(entry.document.turns.is_empty());
}

#[test]
fn rtf_escapes_decode_and_labels_become_turns() {
    let entry = read("samtale_ppt.rtf");
    assert_eq!(
        &*entry.text,
        "Samtale med PPT-rådgjevar\n\nIntervjuer: Kor ofte møtest de?\n\nPPT-rådgjevar: Kvar månad, og oftare ved behov.\n\nIntervjuer: Kva ønskjer lærarane?\n\nPPT-rådgjevar: Meir støtte i klasserommet, særleg på småtrinnet."
    );
    assert_eq!(
        turns(&entry),
        vec![
            turn("Intervjuer", None, "Kor ofte møtest de?"),
            turn("PPT-rådgjevar", None, "Kvar månad, og oftare ved behov."),
            turn("Intervjuer", None, "Kva ønskjer lærarane?"),
            turn(
                "PPT-rådgjevar",
                None,
                "Meir støtte i klasserommet, særleg på småtrinnet."
            ),
        ]
    );
}

#[test]
fn vtt_voices_with_timestamps_and_merged_cues() {
    let entry = read("teams_intervju.vtt");
    assert_eq!(
        &*entry.text,
        "Intervjuer (00:00:01): Kan du fortelje om ressursteamet?\n\nRektor (00:00:05): Ja, vi starta opp i 2021. Teamet møtest annakvar veke.\n\nIntervjuer (00:00:12): Kven er med?\n\nRektor (00:00:14): Eg, spesialpedagogen & helsesjukepleiaren."
    );
    assert_eq!(
        turns(&entry),
        vec![
            turn(
                "Intervjuer",
                Some("00:00:01"),
                "Kan du fortelje om ressursteamet?"
            ),
            turn(
                "Rektor",
                Some("00:00:05"),
                "Ja, vi starta opp i 2021. Teamet møtest annakvar veke."
            ),
            turn("Intervjuer", Some("00:00:12"), "Kven er med?"),
            turn(
                "Rektor",
                Some("00:00:14"),
                "Eg, spesialpedagogen & helsesjukepleiaren."
            ),
        ]
    );
    assert_eq!(entry.document.kind, DocumentKind::Interview);
}

#[test]
fn srt_prefixes_with_timestamps() {
    let entry = read("zoom_intervju.srt");
    assert_eq!(
        &*entry.text,
        "Intervjuer (00:00:01): Korleis vart teamet sett saman?\n\nRektor (00:00:03): Vi valde folk med ulik bakgrunn. Det har vore viktig for oss.\n\nIntervjuer (00:00:08): Takk skal du ha."
    );
    assert_eq!(
        turns(&entry),
        vec![
            turn(
                "Intervjuer",
                Some("00:00:01"),
                "Korleis vart teamet sett saman?"
            ),
            turn(
                "Rektor",
                Some("00:00:03"),
                "Vi valde folk med ulik bakgrunn. Det har vore viktig for oss."
            ),
            turn("Intervjuer", Some("00:00:08"), "Takk skal du ha."),
        ]
    );
}

#[test]
fn markdown_keeps_headings_as_paragraphs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("notat.md");
    std::fs::write(&path, "# Møtenotat\n\nVi har **for lite** tid.\n").expect("write");
    let entry = read_file(&path, None).expect("md");
    assert_eq!(&*entry.text, "Møtenotat\n\nVi har for lite tid.");
}

fn survey_options(per: Per) -> SurveyOptions {
    SurveyOptions {
        id_column: "respondent".into(),
        text_columns: vec!["6".into(), "Kva bør endrast?".into(), "8".into()],
        attribute_columns: vec![
            "Skule".into(),
            "Rolle".into(),
            "År i stillinga".into(),
            "Svart".into(),
        ],
        per,
        sheet: None,
    }
}

fn survey_project(file: &str, per: Per) -> Project {
    let mut project = Project::new("test", Language::Nn);
    let (edit, report) =
        import_survey(&project, &fixture(file), &survey_options(per)).expect("survey");
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    project.apply(edit).expect("apply");
    project
}

fn document_text<'p>(project: &'p Project, name: &str) -> &'p str {
    let doc = project.find_document(name).expect("document");
    project.text(doc.id)
}

#[test]
fn survey_per_respondent_from_csv_xlsx_and_ods() {
    for file in [
        "personalundersoking.csv",
        "personalundersoking.xlsx",
        "personalundersoking.ods",
    ] {
        let project = survey_project(file, Per::Respondent);
        assert_eq!(project.documents().len(), 3, "{file}");
        assert_eq!(
            document_text(&project, "personalundersoking R01"),
            "Kva fungerer godt i ressursteamet?\nVi får raskt hjelp.\n\nKva bør endrast?\nMeir tid til møta.",
            "{file}"
        );
        assert_eq!(
            document_text(&project, "personalundersoking R02"),
            "Kva fungerer godt i ressursteamet?\nGodt samarbeid med PPT.\n\nAndre kommentarar\nTakk for at de spør.",
            "{file}"
        );
        let case = project.find_case("R03").expect("case");
        assert_eq!(
            case.attributes.get("År i stillinga"),
            Some(&AttributeValue::Integer(20)),
            "{file}"
        );
        assert_eq!(
            case.attributes.get("Svart"),
            Some(&AttributeValue::Date("2022-03-15".into())),
            "{file}"
        );
        assert_eq!(
            case.attributes.get("Skule"),
            Some(&AttributeValue::Text("Nausthaugen skule".into())),
            "{file}"
        );
        let doc = project
            .find_document("personalundersoking R03")
            .expect("doc");
        assert!(case.documents.contains(&doc.id), "{file}");
        assert_eq!(doc.kind, DocumentKind::Survey);
        assert!(doc.turns.is_empty());
    }
}

#[test]
fn survey_per_question_has_a_turn_per_respondent() {
    let project = survey_project("personalundersoking.csv", Per::Question);
    assert_eq!(project.documents().len(), 3);
    let doc = project
        .find_document("personalundersoking Kva bør endrast?")
        .expect("doc");
    let text = project.text(doc.id);
    assert_eq!(
        text,
        "R01: Meir tid til møta.\n\nR03: Færre skjema, meir praksis."
    );
    let speakers: Vec<&str> = doc.turns.iter().map(|t| t.speaker.as_str()).collect();
    assert_eq!(speakers, ["R01", "R03"]);
    let r02 = project.find_case("R02").expect("case");
    assert_eq!(r02.documents.len(), 2);
}

#[test]
fn survey_errors_name_the_columns() {
    let project = Project::new("test", Language::Nn);
    let mut options = survey_options(Per::Respondent);
    options.id_column = "Namn".into();
    let error = import_survey(&project, &fixture("personalundersoking.csv"), &options)
        .expect_err("refused")
        .to_string();
    assert!(error.contains("no column 'Namn'"), "{error}");
    assert!(error.contains("1 'Respondent'"), "{error}");
    let mut options = survey_options(Per::Respondent);
    options.sheet = Some("Ark9".into());
    let error = import_survey(&project, &fixture("personalundersoking.xlsx"), &options)
        .expect_err("refused")
        .to_string();
    assert!(error.contains("no sheet named 'Ark9'"), "{error}");
    assert!(error.contains("Svar, Om undersøkinga"), "{error}");
}

#[test]
fn a_survey_imported_twice_is_refused() {
    let project = survey_project("personalundersoking.csv", Per::Respondent);
    let error = import_survey(
        &project,
        &fixture("personalundersoking.xlsx"),
        &survey_options(Per::Respondent),
    )
    .expect_err("refused")
    .to_string();
    assert!(error.contains("already in the project"), "{error}");
}

// ---------------------------------------------------------------- bad input

#[test]
fn empty_file_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in ["tom.txt", "tom.docx", "tom.pdf"] {
        let path = dir.path().join(name);
        std::fs::write(&path, b"").expect("write");
        assert_eq!(refusal(&path), "the file is empty", "{name}");
    }
}

#[test]
fn binary_file_renamed_txt_is_refused() {
    let reason = refusal(&fixture("binær fil.txt"));
    assert_eq!(
        reason,
        "this looks like a binary file, not text (it contains NUL bytes); import the original document instead"
    );
}

#[test]
fn truncated_docx_is_refused() {
    assert_eq!(
        refusal(&fixture("avbroten.docx")),
        "the file is damaged or incomplete (not a readable .docx archive); open it in the program that made it, save it again and import the new file"
    );
}

#[test]
fn corrupt_xlsx_survey_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("svar.xlsx");
    let bytes = std::fs::read(fixture("personalundersoking.xlsx")).expect("fixture");
    std::fs::write(&path, &bytes[..bytes.len() / 3]).expect("write");
    let project = Project::new("test", Language::Nn);
    let error = import_survey(&project, &path, &survey_options(Per::Respondent))
        .expect_err("refused")
        .to_string();
    assert!(
        error.ends_with("the file is damaged or incomplete (not a readable .xlsx archive); open it in the program that made it, save it again and import the new file"),
        "{error}"
    );
}

fn zip_with(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for (name, data) in entries {
        writer.start_file(*name, options).expect("start");
        writer.write_all(data).expect("write");
    }
    writer.finish().expect("finish").into_inner()
}

#[test]
fn zip_bomb_by_ratio_is_refused_before_inflating() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bombe.docx");
    let spaces = vec![b' '; 64 * 1024 * 1024];
    std::fs::write(&path, zip_with(&[("word/document.xml", &spaces)])).expect("write");
    assert!(std::fs::metadata(&path).expect("meta").len() < 1024 * 1024);
    let reason = refusal(&path);
    assert!(
        reason.starts_with("refused: the archive would unpack to 64 MB from ")
            && reason.ends_with("which looks like a zip bomb; if the file is genuine, save it again from the program that made it"),
        "{reason}"
    );
}

#[test]
fn zip_bomb_by_declared_total_size_is_refused() {
    // Six entries of incompressible data, each declaring 100 MB (ratio under 100, total over 512 MB).
    let mut seed: u64 = 42;
    let noise: Vec<u8> = (0..1_500_000)
        .map(|_| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 56) as u8
        })
        .collect();
    let names: Vec<String> = (0..6).map(|i| format!("xl/media/bilete{i}.bin")).collect();
    let entries: Vec<(&str, &[u8])> = names
        .iter()
        .map(|n| (n.as_str(), noise.as_slice()))
        .collect();
    let mut bytes = zip_with(&entries);
    let real = u32::try_from(noise.len()).expect("size").to_le_bytes();
    let declared = (100u32 * 1024 * 1024).to_le_bytes();
    let mut patched = 0;
    let mut i = 0;
    while i + 4 <= bytes.len() {
        if bytes[i..i + 4] == real {
            bytes[i..i + 4].copy_from_slice(&declared);
            patched += 1;
            i += 4;
        } else {
            i += 1;
        }
    }
    assert!(patched >= 6, "patched {patched}");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bilete.xlsx");
    std::fs::write(&path, &bytes).expect("write");
    let project = Project::new("test", Language::Nn);
    let error = import_survey(&project, &path, &survey_options(Per::Respondent))
        .expect_err("refused")
        .to_string();
    assert!(
        error.contains("would unpack to more than 512 MB, which looks like a zip bomb"),
        "{error}"
    );
}

#[test]
fn encrypted_pdf_is_refused() {
    assert_eq!(
        refusal(&fixture("kryptert.pdf")),
        "encrypted PDF; remove the password and import again"
    );
}

#[test]
fn pdf_with_only_an_owner_password_imports() {
    let entry = read("kommuneplan_eigarpassord.pdf");
    assert_eq!(entry.text, read("kommuneplan.pdf").text);
    assert_eq!(entry.document.pages.len(), 2);
}

#[test]
fn pdf_without_text_layer_is_refused() {
    assert_eq!(
        refusal(&fixture("skanna.pdf")),
        "no text layer (scanned?); run OCR first"
    );
}

#[test]
fn invalid_utf8_is_decoded_as_legacy_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("gammal.txt");
    // Windows-1252: "Lærer: Vi må øve." with æ, å, ø as single bytes.
    std::fs::write(&path, b"L\xe6rer: Vi m\xe5 \xf8ve.\n").expect("write");
    let entry = read_file(&path, None).expect("legacy text");
    assert_eq!(&*entry.text, "Lærer: Vi må øve.\n");
}

#[test]
fn file_names_with_spaces_norwegian_letters_and_dots() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sub = dir.path().join("Intervju runde 2");
    std::fs::create_dir(&sub).expect("dir");
    let name = "..møte på Straumen ..v2..vtt";
    std::fs::copy(fixture("teams_intervju.vtt"), sub.join(name)).expect("copy");
    // A path that goes through `..` as well.
    let path = sub.join("..").join("Intervju runde 2").join(name);
    let entry = read_file(&path, None).expect("import");
    assert_eq!(entry.document.name, "..møte på Straumen ..v2.");
    assert_eq!(entry.document.original_file, name);
    assert_eq!(entry.document.turns.len(), 4);
}

#[test]
fn the_same_file_twice_is_skipped_with_a_reason() {
    let mut project = Project::new("test", Language::Nn);
    let files = [fixture("intervju_rektor.docx")];
    let (edit, _) = import_files(&project, &files, &ImportOptions::default(), |_, _, _| {});
    project.apply(edit.expect("edit")).expect("apply");
    let (edit, report) = import_files(&project, &files, &ImportOptions::default(), |_, _, _| {});
    assert!(edit.is_none());
    assert_eq!(report.skipped.len(), 1);
    assert_eq!(
        report.skipped[0].reason,
        "same text as 'intervju_rektor' (already imported); use --allow-duplicates to import it again"
    );
}

#[test]
fn a_folder_imports_every_format_and_reports_each_file() {
    let project = Project::new("test", Language::Nn);
    let mut calls = Vec::new();
    let (edit, report) = import_files(
        &project,
        &[fixture("")],
        &ImportOptions::default(),
        |done, total, _| calls.push((done, total)),
    );
    let names: Vec<&str> = report.imported.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "README",
            "intervju_rektor",
            "kommuneplan",
            "referat",
            "samtale_ppt",
            "teams_intervju",
            "zoom_intervju"
        ]
    );
    // The .odt has the same text as the .docx, the owner-password PDF as the plain one; the survey tables
    // point to import-survey.
    assert_eq!(report.skipped.len(), 5, "{:?}", report.skipped);
    let hints = report
        .skipped
        .iter()
        .filter(|s| {
            s.reason.starts_with(
                "a survey table needs column choices; import it with `marginalia import-survey",
            )
        })
        .count();
    assert_eq!(hints, 3);
    assert_eq!(report.failed.len(), 4, "{:?}", report.failed);
    assert!(edit.is_some());
    // A progress call per file, then one at the end.
    assert_eq!(calls.len(), 17);
    assert_eq!(calls.last(), Some(&(16, 16)));
}

// ---------------------------------------------------------------- end to end through the binary

fn marginalia(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_marginalia"))
        .args(args)
        .env("MARGINALIA_CODER", "test")
        .output()
        .expect("run marginalia")
}

fn project_files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "index") {
                    stack.push(path);
                }
            } else {
                out.push((path.clone(), std::fs::read(&path).unwrap_or_default()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn cli_batch_imports_good_files_and_lists_refused_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    let project = dir.path().join("prosjekt");
    let p = project.to_str().expect("utf8 path");
    assert!(marginalia(&["new", p]).status.success());
    let docx = fixture("intervju_rektor.docx");
    let bad = fixture("kryptert.pdf");
    let out = marginalia(&[
        "import",
        p,
        docx.to_str().expect("path"),
        bad.to_str().expect("path"),
    ]);
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.contains(
            "as 'intervju_rektor' (interview, nn, 7 speaker turns, 2 speakers: Intervjuer, Rektor)"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("1 imported, 0 skipped, 1 failed"),
        "{stdout}"
    );
    let line = stderr
        .lines()
        .find(|l| l.starts_with("failed"))
        .expect("failed line");
    assert_eq!(
        line,
        format!(
            "failed    {}: encrypted PDF; remove the password and import again",
            bad.display()
        )
    );
    let show = marginalia(&["show", p, "intervju_rektor", "--json"]);
    assert!(show.status.success());
    let ws = Workspace::open_read_only(&project).expect("open");
    assert_eq!(ws.project().documents().len(), 1);
}

#[test]
fn cli_failed_files_leave_the_project_unchanged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let project = dir.path().join("prosjekt");
    let p = project.to_str().expect("utf8 path");
    assert!(marginalia(&["new", p]).status.success());
    let before = project_files(&project);
    let bad: Vec<String> = ["avbroten.docx", "skanna.pdf", "binær fil.txt"]
        .iter()
        .map(|f| fixture(f).display().to_string())
        .collect();
    let mut args = vec!["import", p];
    args.extend(bad.iter().map(String::as_str));
    let out = marginalia(&args);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with("failed")).count(),
        3,
        "{stderr}"
    );
    assert_eq!(project_files(&project), before);
}

#[test]
fn cli_import_survey_creates_documents_and_cases() {
    let dir = tempfile::tempdir().expect("tempdir");
    let project = dir.path().join("prosjekt");
    let p = project.to_str().expect("utf8 path");
    assert!(marginalia(&["new", p]).status.success());
    let file = fixture("personalundersoking.xlsx");
    let out = marginalia(&[
        "import-survey",
        p,
        file.to_str().expect("path"),
        "--id",
        "Respondent",
        "--text",
        "6",
        "7",
        "8",
        "--attr",
        "Skule",
        "--attr",
        "År i stillinga",
        "--per",
        "question",
        "--sheet",
        "Svar",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["respondents"], 3);
    assert_eq!(report["cases_created"], 3);
    assert_eq!(report["documents"].as_array().map(Vec::len), Some(3));
    let ws = Workspace::open_read_only(&project).expect("open");
    let r01 = ws.project().find_case("R01").expect("case");
    assert_eq!(
        r01.attributes.get("År i stillinga"),
        Some(&AttributeValue::Integer(12))
    );
    assert_eq!(r01.documents.len(), 2);
    let bad = marginalia(&[
        "import-survey",
        p,
        file.to_str().expect("path"),
        "--id",
        "Namn",
        "--text",
        "6",
    ]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("no column 'Namn'"));
}

// ---------------------------------------------------------------- large files

/// A transcript of about `megabytes` MB: speaker turns in paragraphs separated by blank lines.
fn write_large_transcript(path: &Path, megabytes: usize) {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    let turn = "Rektor: Vi har for få ressursar til spesialundervisning, særleg på småtrinnet, og det går ut over dei som treng det mest.\n\nIntervjuer: Korleis merkar lærarane det i kvardagen?\n\n";
    let mut written = 0;
    while written < megabytes * 1024 * 1024 {
        file.write_all(turn.as_bytes()).expect("write");
        written += turn.len();
    }
    file.flush().expect("flush");
}

fn import_large(megabytes: usize) -> f64 {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("stor transkripsjon.txt");
    write_large_transcript(&path, megabytes);
    let project = Project::new("test", Language::Nn);
    let start = Instant::now();
    let (edit, report) = import_files(&project, &[path], &ImportOptions::default(), |_, _, _| {});
    let seconds = start.elapsed().as_secs_f64();
    assert_eq!(report.imported.len(), 1, "{report:?}");
    assert!(report.imported[0].turns > 100_000);
    assert!(edit.is_some());
    eprintln!("imported {megabytes} MB in {seconds:.1} s");
    seconds
}

#[test]
fn a_20_mb_text_file_imports_in_reasonable_time() {
    let seconds = import_large(20);
    assert!(seconds < 60.0, "20 MB took {seconds:.1} s");
}

#[test]
#[ignore = "slow: run with --ignored to measure a 200 MB import"]
fn a_200_mb_text_file_imports() {
    let seconds = import_large(200);
    assert!(seconds < 600.0, "200 MB took {seconds:.1} s");
}
