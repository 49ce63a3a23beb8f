//! The bundled sample study's mixed formats: Word, PDF and WebVTT documents read through the importers, and the
//! staff survey imported per respondent and linked to the schools.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use marginalia::model::{AttributeValue, DocumentKind, Project};
use marginalia::offsets::{CharRange, slice};

fn sample() -> (tempfile::TempDir, Project, marginalia::sample::SampleReport) {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("sample");
    let report = marginalia::sample::build(&root).expect("sample builds");
    let project = marginalia::store::load(&root).expect("load");
    (dir, project, report)
}

fn text_attr(project: &Project, case: &str, attribute: &str) -> Option<String> {
    project
        .find_case(case)?
        .attributes
        .get(attribute)
        .map(ToString::to_string)
}

#[test]
fn converted_documents_keep_their_structure_and_every_quote() {
    let (_dir, p, report) = sample();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);

    // (document, original file, kind, speaker turns): the turns of the plain-text originals.
    for (name, file, kind, turns) in [
        (
            "tjernet_intervju_rektor",
            "tjernet_intervju_rektor.docx",
            DocumentKind::Interview,
            44,
        ),
        (
            "makeberget_rektor",
            "makeberget_rektor.docx",
            DocumentKind::Interview,
            54,
        ),
        (
            "elvheim_kommunalsjef_oppvekst",
            "elvheim_kommunalsjef_oppvekst.docx",
            DocumentKind::Interview,
            48,
        ),
        (
            "intervju_straumen_rektor",
            "intervju_straumen_rektor.vtt",
            DocumentKind::Interview,
            47,
        ),
        (
            "brattli_kvalitetsplan_tverrfaglig_samarbeid",
            "brattli_kvalitetsplan_tverrfaglig_samarbeid.pdf",
            DocumentKind::Document,
            0,
        ),
    ] {
        let doc = p.find_document(name).expect(name);
        assert_eq!(doc.original_file, file);
        assert_eq!(doc.kind, kind, "{name}");
        assert_eq!(doc.turns.len(), turns, "{name}");
        assert!(
            p.codings().values().any(|c| c.document == doc.id),
            "{name} is coded"
        );
    }

    // Word: bold labels became speakers; the transcript header is plain paragraphs, not a turn.
    let docx = p.find_document("tjernet_intervju_rektor").expect("docx");
    let text = p.text(docx.id);
    assert!(text.starts_with("Intervju med rektor, Tjernet skole\n\nDato: 24. mars 2022"));
    let speakers: BTreeSet<&str> = docx.turns.iter().map(|t| t.speaker.as_str()).collect();
    assert_eq!(speakers, BTreeSet::from(["Intervjuer", "Rektor"]));

    // WebVTT: one turn per speaker change, starting at the transcript's time stamps.
    let vtt = p.find_document("intervju_straumen_rektor").expect("vtt");
    let first = &vtt.turns[0];
    assert_eq!(
        (first.speaker.as_str(), first.timestamp.as_deref()),
        ("Intervjuar", Some("00:00:12"))
    );
    assert_eq!(
        slice(
            p.text(vtt.id),
            CharRange::new(first.content_start, first.range.end)
        ),
        Some(
            "Fint. Då er me i gang. Eg vil gjerne at du fortel litt om korleis du kom til Straumen."
        )
    );
    let last = vtt.turns.last().expect("turns");
    assert_eq!(last.timestamp.as_deref(), Some("00:23:58"));

    // PDF: three pages, each opening with the running header; æøå and dashes survive WinAnsiEncoding.
    let pdf = p
        .find_document("brattli_kvalitetsplan_tverrfaglig_samarbeid")
        .expect("pdf");
    assert_eq!(pdf.pages.len(), 3);
    for (n, page) in pdf.pages.iter().enumerate() {
        let page_text = slice(p.text(pdf.id), *page).expect("page");
        assert!(
            page_text.starts_with("Kvalitetsplan for oppvekst 2022–2025 · Brattli kommune"),
            "page {n}"
        );
        assert!(
            page_text.ends_with(&format!("Side {} av 31", 14 + n)),
            "page {n}"
        );
    }
    assert!(
        p.text(pdf.id)
            .contains("Ressursteamet møtes minst hver fjerde uke, på fast dag og tidspunkt")
    );
}

#[test]
fn the_staff_survey_has_a_case_per_respondent_linked_to_its_school() {
    let (_dir, p, _) = sample();
    let answers: Vec<_> = p
        .documents()
        .values()
        .filter(|d| d.kind == DocumentKind::Survey)
        .collect();
    assert_eq!(answers.len(), 45);
    assert!(
        answers
            .iter()
            .all(|d| d.original_file == "personalundersokelse_2022.xlsx")
    );

    let respondents: Vec<_> = p
        .cases()
        .values()
        .filter(|c| c.attributes.get("type") == Some(&AttributeValue::Text("respondent".into())))
        .collect();
    assert_eq!(respondents.len(), 45);
    let mut schools = BTreeSet::new();
    let mut roles = BTreeSet::new();
    for respondent in &respondents {
        assert_eq!(respondent.documents.len(), 1, "{}", respondent.name);
        let school = text_attr(&p, &respondent.name, "school").expect("school");
        let school_case = p.find_case(&school).expect("a school of the study");
        assert_eq!(
            text_attr(&p, &school, "type").as_deref(),
            Some("school"),
            "{school}"
        );
        assert!(school_case.documents.is_superset(&respondent.documents));
        assert_eq!(
            text_attr(&p, &respondent.name, "group"),
            text_attr(&p, &school, "group")
        );
        assert!(matches!(
            respondent.attributes.get("years_at_school"),
            Some(AttributeValue::Integer(1..=40))
        ));
        let Some(AttributeValue::Date(answered)) = respondent.attributes.get("answered") else {
            panic!("{}: no answer date", respondent.name);
        };
        assert!(answered.as_str() >= "2022-01-31" && answered.as_str() <= "2022-02-25");
        schools.insert(school);
        roles.insert(text_attr(&p, &respondent.name, "role").expect("role"));
    }
    assert_eq!(schools.len(), 19, "every school answered");
    assert_eq!(
        roles,
        BTreeSet::from(["assistent", "lærer", "skoleleder", "spesialpedagog"].map(String::from))
    );

    // Each answer is a paragraph headed by its question; a blank answer leaves its question out.
    let r020 = p
        .find_document("personalundersokelse_2022 R020")
        .expect("R020");
    let text = p.text(r020.id);
    assert!(text.starts_with("Hva fungerer godt i samarbeidet med hjelpetjenestene?\nElevane"));
    assert!(!text.contains("Hva hindrer samarbeidet?"));
    assert_eq!(r020.paragraphs.len(), 2);

    // The survey's codings, all by one coder.
    let ingrid = p.find_coder("Ingrid Solberg").expect("coder").id;
    let survey_codings: Vec<_> = p
        .codings()
        .values()
        .filter(|c| answers.iter().any(|d| d.id == c.document))
        .collect();
    assert_eq!(survey_codings.len(), 29);
    assert!(survey_codings.iter().all(|c| c.coder == ingrid));
}
