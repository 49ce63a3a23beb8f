//! Excerpt reports (md, html, docx, csv, xlsx), codebook exports and the code × case table, on a small
//! hand-made project and on the bundled sample.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Read;
use std::path::Path;

use calamine::{Data, Reader, Xlsx};
use marginalia::export::{self, CitationStyle, Context, Grouping, Selection, table};
use marginalia::interop::qdpx_read;
use marginalia::model::Project;
use marginalia::retrieve::ExcerptFilter;

/// The hand-made REFI fixture (2 documents, 3 codes, 4 codings, 1 case with 5 attributes).
fn small() -> Project {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/refi/small");
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for name in [
        "project.qde",
        "sources/A0000000-0000-4000-8000-00000000000A.txt",
    ] {
        writer.start_file(name, options).expect("start");
        std::io::Write::write_all(&mut writer, &std::fs::read(root.join(name)).expect("read"))
            .expect("write");
    }
    let bytes = writer.finish().expect("zip").into_inner();
    let parsed = qdpx_read::read_qdpx(Path::new("small.qdpx"), &bytes).expect("import");
    let mut project = Project::new(&parsed.name, parsed.language);
    project.apply(parsed.edit).expect("apply");
    project
}

fn shortage_selection(project: &Project) -> Selection {
    Selection {
        filter: ExcerptFilter {
            codes: vec![project.find_code("Barrierer").expect("code").id],
            include_subcodes: true,
            ..ExcerptFilter::default()
        },
        attributes: vec![("kommune".into(), "elvheim".into())],
        context: Context::Chars(8),
        ..Selection::default()
    }
}

fn unzip(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut text = String::new();
    archive
        .by_name(name)
        .expect("entry")
        .read_to_string(&mut text)
        .expect("read");
    text
}

#[test]
fn selection_filters_cites_and_groups() {
    let project = small();
    let report = export::report(&project, &shortage_selection(&project), "Ressursmangel");
    // Kari and Ola coded "Vi har for få lærere" with the same code: one excerpt naming both.
    assert_eq!(report.items.len(), 2);
    assert_eq!(report.groups.len(), 2);
    assert_eq!(report.groups[0].heading, "Barrierer");
    assert_eq!(report.groups[1].heading, "Barrierer/Ressursmangel");
    assert_eq!(report.groups[1].subgroups[0].0, "Furulund skole");
    let item = &report.items[1];
    assert_eq!(item.excerpt.text, "Vi har for få lærere");
    assert_eq!(item.before, "Rektor: ");
    assert_eq!(item.after, " på mell");
    assert_eq!(item.citation(CitationStyle::Short), "Intervju rektor, ¶ 1");
    assert_eq!(
        item.citation(CitationStyle::Full),
        "Intervju rektor (Furulund skole), ¶ 1, coded by Kari, Ola"
    );
    assert_eq!(item.attributes["elever"], "240");

    // An attribute value no case has, and a set without the document, select nothing.
    let mut none = shortage_selection(&project);
    none.attributes = vec![("kommune".into(), "Nordby".into())];
    assert!(export::report(&project, &none, "x").items.is_empty());
    // The whole turn as context; case → code grouping.
    let mut turn = shortage_selection(&project);
    turn.context = Context::Turn;
    turn.grouping = Grouping::CaseCode;
    let report = export::report(&project, &turn, "x");
    assert_eq!(report.groups.len(), 1);
    assert_eq!(report.groups[0].heading, "Furulund skole");
    assert_eq!(report.groups[0].subgroups.len(), 2);
    let item = &report.items[0];
    assert_eq!(item.excerpt.text, "vikarene kommer sent");
    assert_eq!(
        (item.before.as_str(), item.after.as_str()),
        ("Lærer: Og ", ".")
    );
    // Only passages a search matched.
    let mut searched = shortage_selection(&project);
    let doc = project.find_document("Intervju rektor").expect("doc");
    searched.passages = Some(vec![(doc.id, doc.paragraphs[1])]);
    assert_eq!(export::report(&project, &searched, "x").items.len(), 1);
}

#[test]
fn markdown_and_html_are_escaped_and_self_contained() {
    let project = small();
    let title = "Ressursmangel <script>alert(1)</script> & co";
    let report = export::report(&project, &shortage_selection(&project), title);
    let md = export::render::markdown(&report);
    assert!(md.starts_with("# Ressursmangel \\<script\\>"), "{md}");
    assert!(
        md.contains("> *…Rektor:* **Vi har for få lærere** *på mell…*"),
        "{md}"
    );
    assert!(md.contains("> — Intervju rektor, ¶ 1\n"), "{md}");
    assert!(
        !md.contains("8–28"),
        "no character positions in a report: {md}"
    );
    assert!(md.contains("> Memo: Tydelig eksempel."));
    let html = export::render::html(&report);
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
    assert!(!html.contains("<script>"));
    assert!(
        !html.contains("src=") && !html.contains("href="),
        "no external resources"
    );
    assert!(html.contains("<style>"));
    assert_eq!(html.matches("<blockquote>").count(), 2);
}

#[test]
fn docx_has_heading_and_quote_styles() {
    let project = small();
    let report = export::report(&project, &shortage_selection(&project), "Ressursmangel");
    let bytes = export::render::docx(&report).expect("docx");
    let document = unzip(&bytes, "word/document.xml");
    let styles = unzip(&bytes, "word/styles.xml");
    assert!(unzip(&bytes, "[Content_Types].xml").contains("wordprocessingml.document.main+xml"));
    assert_eq!(
        document.matches("<w:pStyle w:val=\"Heading1\"/>").count(),
        2
    );
    assert_eq!(document.matches("<w:pStyle w:val=\"Quote\"/>").count(), 2);
    assert!(document.contains("Vi har for få lærere"));
    for style in ["Heading1", "Heading2", "Quote", "Title", "Citation"] {
        assert!(
            styles.contains(&format!("w:styleId=\"{style}\"")),
            "{style}"
        );
    }
    assert!(
        styles.contains("<w:name w:val=\"heading 1\"/>"),
        "Word's built-in name"
    );
    // The XML parts are well-formed.
    for part in [document, styles] {
        marginalia::interop::xml::parse(&part).expect("well-formed");
    }
}

#[test]
fn csv_and_xlsx_have_one_row_per_excerpt_with_every_attribute() {
    let project = small();
    let report = export::report(&project, &shortage_selection(&project), "x");
    let quote_table = table::excerpt_table(&report);
    assert_eq!(
        quote_table.header,
        [
            "code",
            "cases",
            "LOG",
            "andel",
            "elever",
            "kommune",
            "start",
            "document",
            "speaker",
            "timestamp",
            "page",
            "start",
            "end",
            "coder",
            "memo",
            "text",
            "paragraph",
            "citation",
            "context before",
            "context after"
        ]
    );
    let csv = String::from_utf8(table::csv(&quote_table).expect("csv")).expect("utf8");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[1][0], "Barrierer/Ressursmangel");
    assert_eq!(&rows[1][5], "Elvheim");
    assert_eq!(&rows[1][15], "Vi har for få lærere");
    assert_eq!(&rows[1][14], "Tydelig eksempel.");
    assert_eq!(&rows[1][16], "1");
    assert_eq!(&rows[1][17], "Intervju rektor, ¶ 1");

    let bytes = table::xlsx(&quote_table, "Excerpts").expect("xlsx");
    let mut workbook: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("open xlsx");
    let range = workbook.worksheet_range("Excerpts").expect("sheet");
    assert_eq!(range.height(), 3);
    assert_eq!(range.get((0, 15)), Some(&Data::String("text".into())));
    assert_eq!(
        range.get((2, 15)),
        Some(&Data::String("Vi har for få lærere".into()))
    );
    assert_eq!(range.get((2, 11)), Some(&Data::Float(8.0)));
}

#[test]
fn codebook_and_code_case_table() {
    let project = small();
    let md = export::codebook::markdown(&project);
    assert!(md.contains("- **Barrierer** (1 codings): Det som hindrer arbeidet."));
    assert!(md.contains("  - **Ressursmangel** (2 codings)"));
    let docx = export::codebook::docx(&project).expect("docx");
    let document = unzip(&docx, "word/document.xml");
    assert!(document.contains("<w:pStyle w:val=\"Heading2\"/>"));
    let csv = String::from_utf8(table::csv(&export::codebook::table(&project)).expect("csv"))
        .expect("utf8");
    assert!(csv.starts_with("path,code,level,description,colour,codings\n"));
    assert!(csv.contains("Barrierer/Ressursmangel,Ressursmangel,2,,#ff8800,2\n"));

    let counts = table::code_case_counts(&project, &marginalia::coders::CoderSelection::All);
    assert_eq!(counts.header, ["code", "Furulund skole", "total"]);
    let csv = String::from_utf8(table::csv(&counts).expect("csv")).expect("utf8");
    assert_eq!(
        csv,
        "code,Furulund skole,total\nBarrierer,1,1\nBarrierer/Ressursmangel,2,2\nSamarbeid,1,1\n"
    );
    let bytes = table::xlsx(&counts, "Code x case").expect("xlsx");
    let mut workbook: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("open");
    let range = workbook.worksheet_range("Code x case").expect("sheet");
    assert_eq!(range.get((2, 1)), Some(&Data::Float(2.0)));
}

#[test]
fn sample_reports_in_every_format() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("sample");
    marginalia::sample::build(&root).expect("sample");
    let project = marginalia::store::load(&root).expect("load");
    let selection = Selection {
        filter: ExcerptFilter {
            codes: vec![project.find_code("Resource shortage").expect("code").id],
            include_subcodes: true,
            ..ExcerptFilter::default()
        },
        context: Context::Turn,
        ..Selection::default()
    };
    let report = export::report(&project, &selection, "Resource shortage");
    assert!(!report.items.is_empty());
    assert!(
        report
            .items
            .iter()
            .all(|i| i.excerpt.code_path.contains("Resource shortage"))
    );
    assert!(export::render::docx(&report).expect("docx").len() > 1000);
    let bytes = table::xlsx(&table::excerpt_table(&report), "Excerpts").expect("xlsx");
    let mut workbook: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("open");
    let range = workbook.worksheet_range("Excerpts").expect("sheet");
    assert_eq!(range.height(), report.items.len() + 1);
    let counts = table::code_case_counts(&project, &marginalia::coders::CoderSelection::All);
    assert_eq!(counts.rows.len(), project.codes().len());
    assert_eq!(counts.header.len(), project.cases().len() + 2);
}
