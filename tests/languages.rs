//! Issue 14 on realistic bokmål, nynorsk and English material: a language per document (detected, editable,
//! indexed with its own stemmer), bokmål ⇄ nynorsk search, citations a report can use, word counts without
//! the transcript's furniture, and REFI-QDA sources that carry only a rich-text document.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod search_support;

use search_support::{add, hit_documents, names};

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;

use marginalia::analysis::words::{
    Selection as WordSelection, SpeakerFilter, WordOptions, kwic, word_frequencies,
};
use marginalia::edit::{Edit, Entity};
use marginalia::export::{self, CitationStyle, ReportFormat};
use marginalia::ids::{CaseId, CoderId, CodingId, DocumentId};
use marginalia::import::{ImportOptions, document_from_text, import_files, read_file};
use marginalia::index::SearchIndex;
use marginalia::model::{Case, Coder, Coding, Language, Project};
use marginalia::offsets::{CharRange, char_len};
use marginalia::{ops, query, retrieve};

const BOKMAL: &str = "Intervju med rektor, Furulund skole

Intervjuer: Hvordan kom ressursteamet i gang på skolen?
Rektor: Vi fikk et brev fra kommunen høsten 2019, og da måtte vi finne ut av det selv. (ler)
Intervjuer: Hva synes du om ressursene dere har fått?
Rektor: Det er altfor lite. Lederne i kommunen har ikke svart ennå, og lærerne venter.
";

const NYNORSK: &str = "Intervju med rektor, Bakkebø skule

Intervjuar: Korleis kom ressursteamet i gang på skulen?
Rektor: Vi fekk eit brev frå kommunen hausten 2019, og då måtte vi finne ut av det sjølv. [pause]
Intervjuar: Kva synest du om ressursane de har fått?
Rektor: Det er altfor lite. Leiarane i kommunen har ikkje svara enno, og lærarane ventar.
";

const ENGLISH: &str = "Field notes, visit to two schools

Observer: The resource team met in the staff room after lunch.
Principal: We have asked the municipality for more resources, but the schools are still waiting.
Observer: The teachers mentioned the meeting schedule twice.
Principal: Meetings every second week would help the schools.
";

const TIMED: &str =
    "Intervjuar (00:00:05): Kan du seie litt om korleis samarbeidet med PPT fungerer?
Lærar (00:00:12): Det har vorte betre. Før måtte vi vente i månader på ei utgreiing frå dei.
Intervjuar (00:01:02): Kva har endra seg sidan då?
Lærar (00:01:09): Dei kjem på skulen kvar fjortande dag no, og vi kan ta opp saker direkte med dei.
";

struct Study {
    p: Project,
    nb: DocumentId,
    nn: DocumentId,
    en: DocumentId,
    timed: DocumentId,
}

fn study() -> Study {
    let mut p = Project::new("Studie", Language::Nb);
    let nb = add(&mut p, "intervju_furulund_rektor", BOKMAL);
    let nn = add(&mut p, "intervju_bakkebo_rektor", NYNORSK);
    let en = add(&mut p, "fieldnotes_visit", ENGLISH);
    let timed = add(&mut p, "intervju_straumen_laerar", TIMED);
    Study {
        p,
        nb,
        nn,
        en,
        timed,
    }
}

fn range_of(p: &Project, doc: DocumentId, phrase: &str) -> CharRange {
    let text = p.text(doc);
    let byte = text.find(phrase).expect("phrase in text");
    let start = char_len(&text[..byte]);
    CharRange::new(start, start + char_len(phrase))
}

#[test]
fn each_document_gets_its_language_at_import() {
    let s = study();
    let language = |id: DocumentId| s.p.documents()[&id].language;
    assert_eq!(language(s.nb), Some(Language::Nb));
    assert_eq!(language(s.nn), Some(Language::Nn));
    assert_eq!(language(s.en), Some(Language::En));
    assert_eq!(language(s.timed), Some(Language::Nn));
    assert_eq!(
        s.p.languages(),
        BTreeSet::from([Language::Nb, Language::Nn, Language::En])
    );
}

/// The bundled sample study lists each document's language in its `documents.csv`: detection must agree.
#[test]
fn the_sample_studys_documents_are_detected_as_listed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_corpus");
    let mut checked = 0;
    let mut wrong = Vec::new();
    for group in std::fs::read_dir(&root).expect("sample corpus") {
        let group = group.expect("entry").path();
        let Ok(list) = std::fs::read_to_string(group.join("documents.csv")) else {
            continue;
        };
        let mut rows = csv::Reader::from_reader(list.as_bytes());
        for row in rows.records() {
            let row = row.expect("row");
            let (file, expected) = (&row[0], &row[2]);
            let entry = read_file(&group.join(file), None).expect("sample document");
            let got = entry.document.language.map(|l| l.code()).unwrap_or("-");
            checked += 1;
            if got != expected {
                wrong.push(format!("{file}: {got}, listed as {expected}"));
            }
        }
    }
    assert!(checked >= 40, "only {checked} documents listed");
    assert!(wrong.is_empty(), "{wrong:?}");
}

#[test]
fn a_query_finds_both_written_standards_and_english_with_its_own_stemmer() {
    let s = study();
    let mut index = SearchIndex::in_memory(Language::Nb).expect("index");
    index.sync(&s.p).expect("sync");
    let both = names(&["intervju_bakkebo_rektor", "intervju_furulund_rektor"]);
    for q in ["ressursteam", "ikke", "ikkje", "leder", "leiar", "lederne"] {
        assert_eq!(hit_documents(&index, &s.p, q), both, "{q}");
    }
    let three = names(&[
        "intervju_bakkebo_rektor",
        "intervju_furulund_rektor",
        "intervju_straumen_laerar",
    ]);
    for q in ["skole", "skule", "skulen", "skolene", "hvordan", "korleis"] {
        assert_eq!(hit_documents(&index, &s.p, q), three, "{q}");
    }
    assert_eq!(
        hit_documents(&index, &s.p, "lærer"),
        names(&[
            "intervju_bakkebo_rektor",
            "intervju_furulund_rektor",
            "intervju_straumen_laerar"
        ])
    );
    // The exact form only.
    assert_eq!(
        hit_documents(&index, &s.p, "=skole"),
        names(&["intervju_furulund_rektor"])
    );
    assert_eq!(
        hit_documents(&index, &s.p, "=skulen"),
        names(&["intervju_bakkebo_rektor", "intervju_straumen_laerar"])
    );
    assert_eq!(
        hit_documents(&index, &s.p, "=skular"),
        BTreeSet::new(),
        "no document has this form"
    );
    // English, stemmed as English: `school` finds `schools`, `meeting` finds `meetings`.
    assert_eq!(
        hit_documents(&index, &s.p, "school"),
        names(&["fieldnotes_visit"])
    );
    assert_eq!(
        hit_documents(&index, &s.p, "\"resource team\""),
        names(&["fieldnotes_visit"])
    );
    // Matches are marked in the nynorsk document too.
    let hits = query::search(&index, &s.p, "leder", None).expect("search");
    let nn_hit = hits
        .hits
        .iter()
        .find(|h| h.document == s.nn)
        .expect("nynorsk hit");
    let marked: Vec<&str> = nn_hit
        .matches
        .iter()
        .map(|r| marginalia::offsets::slice(s.p.text(s.nn), *r).unwrap_or(""))
        .collect();
    assert_eq!(marked, ["Leiarane"]);
}

#[test]
fn changing_a_documents_language_reindexes_it_alone() {
    let mut s = study();
    let mut index = SearchIndex::in_memory(Language::Nb).expect("index");
    index.sync(&s.p).expect("sync");
    let edit = ops::set_document_language(&s.p, s.en, Some(Language::Nb)).expect("edit");
    let inverse = s.p.apply(edit).expect("apply");
    assert_eq!(s.p.documents()[&s.en].language, Some(Language::Nb));
    assert_eq!(index.sync(&s.p).expect("sync"), 1);
    // Stemmed as Norwegian now, `mentioned` no longer meets `mention` (English stems both to `mention`).
    assert!(hit_documents(&index, &s.p, "mention").is_empty());
    s.p.apply(inverse).expect("undo");
    assert_eq!(index.sync(&s.p).expect("sync"), 1);
    assert_eq!(
        hit_documents(&index, &s.p, "mention"),
        names(&["fieldnotes_visit"])
    );
    // None follows the project.
    let edit = ops::set_document_language(&s.p, s.nn, None).expect("edit");
    s.p.apply(edit).expect("apply");
    assert_eq!(s.p.document_language(&s.p.documents()[&s.nn]), Language::Nb);
}

fn coded(s: &mut Study, doc: DocumentId, phrase: &str) -> CodingId {
    let coder = match s.p.coders().values().next() {
        Some(coder) => coder.clone(),
        None => {
            let coder = Coder {
                id: CoderId::new(),
                name: "Kari".into(),
                colour: None,
            };
            s.p.apply(Edit::Put(Entity::Coder(coder.clone())))
                .expect("coder");
            coder
        }
    };
    let mut draft = ops::Draft::new(&s.p);
    let code = ops::ensure_code_path(&mut draft, "Barrierer/Ressursmangel").expect("code");
    let edit = draft.finish("code");
    s.p.apply(edit).expect("code");
    let coding = Coding {
        id: CodingId::new(),
        document: doc,
        code,
        range: range_of(&s.p, doc, phrase),
        coder: coder.id,
        created: marginalia::now(),
        memo: None,
    };
    let id = coding.id;
    s.p.apply(Edit::Put(Entity::Coding(coding)))
        .expect("coding");
    id
}

#[test]
fn excerpts_cite_speaker_document_and_paragraph_or_timestamp() {
    let mut s = study();
    let (nn, timed) = (s.nn, s.timed);
    coded(&mut s, nn, "Det er altfor lite.");
    coded(&mut s, timed, "Dei kjem på skulen kvar fjortande dag no");
    s.p.apply(Edit::Put(Entity::Case(Case {
        id: CaseId::new(),
        name: "Bakkebø skule".into(),
        description: String::new(),
        attributes: BTreeMap::new(),
        documents: BTreeSet::from([s.nn]),
    })))
    .expect("case");
    let excerpts = retrieve::excerpts(&s.p, &retrieve::ExcerptFilter::default());
    let citations: Vec<String> = excerpts.iter().map(|e| e.citation()).collect();
    // The header is ¶ 1; the fourth turn (Rektor's second) is ¶ 5.
    assert!(
        citations.contains(&"Rektor, intervju_bakkebo_rektor, ¶ 5".to_string()),
        "{citations:?}"
    );
    assert!(
        citations.contains(&"Lærar, intervju_straumen_laerar, 00:01:09".to_string()),
        "{citations:?}"
    );
    let full: Vec<String> = excerpts
        .iter()
        .map(|e| e.cite(CitationStyle::Full))
        .collect();
    assert!(
        full.contains(
            &"Rektor, intervju_bakkebo_rektor (Bakkebø skule), ¶ 5, coded by Kari".to_string()
        ),
        "{full:?}"
    );
    // Reports: no character positions in the readable formats; paragraph, citation and positions in CSV.
    let selection = export::Selection {
        citation: CitationStyle::Full,
        ..export::Selection::default()
    };
    let report = export::report(&s.p, &selection, "Sitat");
    let md = String::from_utf8(ReportFormat::Markdown.render(&report).expect("md")).expect("utf-8");
    assert!(
        md.contains("— Rektor, intervju\\_bakkebo\\_rektor (Bakkebø skule), ¶ 5, coded by Kari")
            || md.contains("— Rektor, intervju_bakkebo_rektor (Bakkebø skule), ¶ 5, coded by Kari"),
        "{md}"
    );
    let range = range_of(&s.p, s.nn, "Det er altfor lite.");
    assert!(
        !md.contains(&format!("{}–{}", range.start, range.end)),
        "{md}"
    );
    let csv = String::from_utf8(ReportFormat::Csv.render(&report).expect("csv")).expect("utf-8");
    let header = csv.lines().next().unwrap_or("");
    assert!(
        header.contains("paragraph") && header.contains("citation") && header.contains("start"),
        "{header}"
    );
    assert!(csv.contains(&range.start.to_string()), "{csv}");
}

#[test]
fn word_counts_leave_out_labels_notes_and_chosen_speakers() {
    let s = study();
    let only = |docs: Vec<DocumentId>| marginalia::analysis::Scope {
        documents: docs,
        ..Default::default()
    };
    let count = |selection: &WordSelection, word: &str| {
        word_frequencies(&s.p, selection, &WordOptions::default())
            .expect("words")
            .words
            .iter()
            .find(|w| w.word == word)
            .map_or(0, |w| w.count)
    };
    let plain = WordSelection {
        scope: only(vec![s.nb, s.nn]),
        ..WordSelection::default()
    };
    assert_eq!(count(&plain, "rektor"), 2, "the header's 'rektor' only");
    assert_eq!(count(&plain, "intervjuer"), 0);
    assert_eq!(count(&plain, "ler"), 0);
    assert_eq!(count(&plain, "pause"), 0);
    let furniture = WordSelection {
        with_furniture: true,
        ..plain.clone()
    };
    assert_eq!(count(&furniture, "rektor"), 6);
    assert_eq!(count(&furniture, "ler"), 1);
    // Leave out the interviewer's turns (both spellings).
    let no_interviewer = WordSelection {
        speakers: SpeakerFilter {
            only: Vec::new(),
            exclude: vec!["Intervjuer".into(), "intervjuar".into()],
        },
        ..plain.clone()
    };
    assert_eq!(count(&plain, "ressursteamet"), 2);
    assert_eq!(count(&no_interviewer, "ressursteamet"), 0);
    assert_eq!(count(&no_interviewer, "kommunen"), 4);
    // Only the principal: the header is left out too.
    let principal = WordSelection {
        speakers: SpeakerFilter {
            only: vec!["rektor".into()],
            exclude: Vec::new(),
        },
        ..plain.clone()
    };
    assert_eq!(count(&principal, "furulund"), 0);
    assert_eq!(count(&principal, "altfor"), 2);
    let lines = kwic(&s.p, &principal, "kommunen", false, 20).expect("kwic");
    assert_eq!(lines.len(), 4);
    assert!(lines.iter().all(|l| l.speaker.as_deref() == Some("Rektor")));
    let lines = kwic(&s.p, &plain, "rektor", false, 20).expect("kwic");
    assert_eq!(lines.len(), 2, "labels are not keywords");
}

#[test]
fn the_import_report_names_turns_speakers_and_language_and_warns_about_interviews_without_turns() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = dir.path().join("intervju_bakkebo_rektor.txt");
    std::fs::write(&good, NYNORSK).expect("write");
    let flat = dir.path().join("intervju_uten_talere.txt");
    std::fs::write(
        &flat,
        "Intervju med lærer, Fossheim skole. Læreren fortalte at ressursteamet møtes hver fjortende dag, \
         og at samarbeidet med PPT har blitt bedre etter at de begynte å komme til skolen.",
    )
    .expect("write");
    let project = Project::new("Studie", Language::Nb);
    let (_, report) = import_files(
        &project,
        &[good, flat],
        &ImportOptions::default(),
        |_, _, _| {},
    );
    let by_name = |name: &str| {
        report
            .imported
            .iter()
            .find(|f| f.name == name)
            .expect("imported")
    };
    let good = by_name("intervju_bakkebo_rektor");
    assert_eq!(good.turns, 4);
    assert_eq!(good.speakers, ["Intervjuar", "Rektor"]);
    assert_eq!(good.language, Some(Language::Nn));
    assert!(good.warning.is_none());
    let flat = by_name("intervju_uten_talere");
    assert_eq!(flat.turns, 0);
    assert!(
        flat.warning
            .as_deref()
            .is_some_and(|w| w.contains("no speaker turns")),
        "{:?}",
        flat.warning
    );
}

fn zip_entries(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        writer.start_file(*name, options).expect("start");
        writer.write_all(data).expect("write");
    }
    writer.finish().expect("finish").into_inner()
}

/// NVivo for Mac 15 writes some text sources with only a rich-text `.docx` (`richTextPath`) and no plain text.
#[test]
fn a_refi_source_with_only_rich_text_is_read_from_its_docx() {
    let docx = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/intervju_rektor.docx"),
    )
    .expect("docx fixture");
    let qde = r#"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="NVivo Mac" origin="NVivo 15 (Mac)">
  <Users><User guid="c0ffee00-0000-4000-8000-000000000001" name="kari"/></Users>
  <Sources>
    <TextSource guid="b3c1e1a2-0000-4000-8000-0000000000bb" name="Rektor Nausthaugen" richTextPath="internal://b3c1e1a2-0000-4000-8000-0000000000bb.docx"/>
    <TextSource guid="b3c1e1a2-0000-4000-8000-0000000000cc" name="Tom kilde"/>
  </Sources>
</Project>"#;
    let bytes = zip_entries(&[
        ("project.qde", qde.as_bytes().to_vec()),
        ("sources/b3c1e1a2-0000-4000-8000-0000000000bb.docx", docx),
    ]);
    let parsed = marginalia::interop::qdpx_read::read_qdpx(Path::new("nvivo_mac.qdpx"), &bytes)
        .expect("import");
    let mut project = Project::new(&parsed.name, parsed.language);
    project.apply(parsed.edit).expect("apply");
    let report = parsed.report;
    let doc = project
        .documents()
        .values()
        .find(|d| d.name == "Rektor Nausthaugen")
        .expect("the rich-text source became a document");
    let text = project.text(doc.id);
    assert!(
        text.contains("Korleis har arbeidet i ressursteamet gått i år?"),
        "{text}"
    );
    assert!(doc.turns.len() >= 4, "{:?}", doc.turns);
    assert_eq!(doc.language, Some(Language::Nn));
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("Rektor Nausthaugen") && w.contains("rich-text document")),
        "{:?}",
        report.warnings
    );
    // A source with neither is still reported as skipped.
    assert!(
        report
            .skipped
            .iter()
            .any(|w| w.contains("Tom kilde") && w.contains("no plain text")),
        "{:?}",
        report.skipped
    );
}

fn marginalia(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_marginalia"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run marginalia")
}

fn stdout_of(args: &[&str]) -> String {
    let out = marginalia(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The command line: languages listed and set, words without furniture, excerpts cited by paragraph.
#[test]
fn cli_languages_words_and_citations() {
    let dir = tempfile::tempdir().expect("tempdir");
    let project = dir.path().join("studie");
    let p = project.to_str().expect("utf-8");
    stdout_of(&["new", p, "--language", "nb"]);
    let files = [
        ("intervju_bakkebo_rektor.txt", NYNORSK),
        ("intervju_furulund_rektor.txt", BOKMAL),
        ("fieldnotes_visit.txt", ENGLISH),
    ];
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        stdout_of(&["import", p, path.to_str().expect("utf-8")]);
    }
    let json: serde_json::Value =
        serde_json::from_str(&stdout_of(&["docs", p, "--json"])).expect("json");
    let language = |name: &str| {
        json.as_array()
            .expect("list")
            .iter()
            .find(|d| d["name"] == name)
            .map(|d| d["language"].as_str().unwrap_or("").to_string())
            .expect("document")
    };
    assert_eq!(language("intervju_bakkebo_rektor"), "nn");
    assert_eq!(language("intervju_furulund_rektor"), "nb");
    assert_eq!(language("fieldnotes_visit"), "en");
    stdout_of(&["docs", p, "set-language", "fieldnotes_visit", "nn"]);
    let json: serde_json::Value =
        serde_json::from_str(&stdout_of(&["docs", p, "--json"])).expect("json");
    assert!(
        json.as_array()
            .expect("list")
            .iter()
            .any(|d| d["name"] == "fieldnotes_visit" && d["language"] == "nn")
    );
    let refused = marginalia(&["docs", p, "set-language", "fieldnotes_visit", "sv"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("unknown language 'sv'"));
    // Search across the standards, and the exact form.
    let hits = stdout_of(&["search", p, "skule", "--json"]);
    assert!(hits.contains("intervju_furulund_rektor") && hits.contains("intervju_bakkebo_rektor"));
    let hits = stdout_of(&["search", p, "=skolen", "--json"]);
    assert!(hits.contains("intervju_furulund_rektor") && !hits.contains("intervju_bakkebo_rektor"));
    // Words: labels and notes left out; the interviewer's turns left out on request.
    let words = stdout_of(&["words", p, "--json", "--limit", "300"]);
    assert!(!words.contains("\"intervjuar\""), "{words}");
    assert!(!words.contains("\"ler\""), "{words}");
    let words = stdout_of(&["words", p, "--json", "--limit", "300", "--with-furniture"]);
    assert!(words.contains("\"intervjuar\""), "{words}");
    let words = stdout_of(&[
        "words",
        p,
        "--json",
        "--limit",
        "300",
        "--exclude-speaker",
        "Intervjuer",
        "--exclude-speaker",
        "Intervjuar",
    ]);
    assert!(!words.contains("\"korleis\""), "{words}");
    assert!(words.contains("\"altfor\""), "{words}");
    // Excerpts cite the paragraph, never character positions.
    stdout_of(&[
        "code",
        p,
        "--doc",
        "intervju_bakkebo_rektor",
        "--code",
        "Ressursmangel",
        "--create",
        "--range",
        &{
            let text = NYNORSK;
            let byte = text.find("Det er altfor lite.").expect("phrase");
            let start = char_len(&text[..byte]);
            format!("{start}..{}", start + char_len("Det er altfor lite."))
        },
    ]);
    let listing = stdout_of(&["excerpts", p]);
    assert!(
        listing.contains("— Rektor, intervju_bakkebo_rektor, ¶ 5"),
        "{listing}"
    );
    let full = stdout_of(&["excerpts", p, "--citation", "full"]);
    assert!(
        full.contains("— Rektor, intervju_bakkebo_rektor, ¶ 5, coded by"),
        "{full}"
    );
}

/// The share of import time that language detection takes, on transcripts like the core bench's (200 KB each),
/// once the models are loaded:
/// `cargo test --release --test languages detection_cost -- --ignored --nocapture`.
#[test]
#[ignore = "timing: run with --ignored --nocapture"]
fn detection_cost() {
    let base = format!("{BOKMAL}{NYNORSK}");
    let text: String = base.repeat(200 * 1024 / base.len());
    let documents = 20;
    // Load the language models once, as the first import of a session does.
    let _ = marginalia::import::language::detect(&text);
    let start = std::time::Instant::now();
    for i in 0..documents {
        let _ = document_from_text(&format!("intervju {i}"), "x.txt", &text, None);
    }
    let import = start.elapsed();
    let start = std::time::Instant::now();
    for _ in 0..documents {
        let _ = marginalia::import::language::detect(&text);
    }
    let detection = start.elapsed();
    println!(
        "import {import:?} for {documents} × {} KB; detection {detection:?} ({:.1} %)",
        text.len() / 1024,
        100.0 * detection.as_secs_f64() / import.as_secs_f64()
    );
}

/// The project's languages (what a query is stemmed in) follow every edit: a document added, its language
/// changed or set to follow the project, the project's language changed, a document removed, and undo.
#[test]
fn the_projects_languages_follow_its_documents() {
    let mut s = study();
    let from_scratch = |p: &Project| -> BTreeSet<Language> {
        let mut out: BTreeSet<Language> = p
            .documents()
            .values()
            .map(|d| p.document_language(d))
            .collect();
        if out.is_empty() {
            out.insert(p.meta().language);
        }
        out
    };
    assert_eq!(s.p.languages(), from_scratch(&s.p));
    let edit = ops::set_document_language(&s.p, s.en, Some(Language::Nb)).expect("edit");
    let undo = s.p.apply(edit).expect("apply");
    assert_eq!(
        s.p.languages(),
        BTreeSet::from([Language::Nb, Language::Nn])
    );
    s.p.apply(undo).expect("undo");
    assert_eq!(s.p.languages(), from_scratch(&s.p));
    for id in [s.nb, s.nn, s.timed] {
        let edit = ops::set_document_language(&s.p, id, None).expect("edit");
        s.p.apply(edit).expect("apply");
    }
    assert_eq!(
        s.p.languages(),
        BTreeSet::from([Language::Nb, Language::En])
    );
    let edit = ops::remove_document(&s.p, s.en).expect("edit");
    s.p.apply(edit).expect("remove");
    assert_eq!(s.p.languages(), BTreeSet::from([Language::Nb]));
    for id in [s.nb, s.nn, s.timed] {
        let edit = ops::remove_document(&s.p, id).expect("edit");
        s.p.apply(edit).expect("remove");
    }
    assert_eq!(
        s.p.languages(),
        BTreeSet::from([Language::Nb]),
        "no documents"
    );
}
