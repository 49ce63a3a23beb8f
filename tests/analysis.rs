//! Cross-case analysis on a small hand-made project (numbers checked by hand) and on the bundled sample study.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};

use marginalia::analysis::coding_query::{CodingQuery, Near, parse_query, run_query, save_as_code};
use marginalia::analysis::cooccurrence::{CooccurrenceSpec, Proximity, cooccurrence};
use marginalia::analysis::matrix::{Columns, MatrixSpec, RowMode, Value, matrix};
use marginalia::analysis::words::{Selection, StopList, WordOptions, kwic, word_frequencies};
use marginalia::analysis::{AttrFilter, Scope, TableFormat};
use marginalia::edit::{Edit, Entity};
use marginalia::ids::{CaseId, CodeId, CoderId, CodingId, DocumentId};
use marginalia::import::document_from_text;
use marginalia::index::SearchIndex;
use marginalia::model::{
    AttributeDef, AttributeType, AttributeValue, Case, Coder, Coding, Language, Project,
};
use marginalia::offsets::{CharRange, char_len};
use marginalia::ops;

const A1: &str = "Intervjuer: Hva er vanskelig?\nRektor: Ressursene er for små. Budsjettet er kuttet.\nIntervjuer: Og ledelsen?\nRektor: Ledelsen tar ansvar for ressursene.\n";
const B1: &str = "Intervjuer: Hvordan er det?\nHelsesykepleier: Vi har lite tid. Ressursene strekker ikke til.\nIntervjuer: Takk.\nHelsesykepleier: Bare hyggelig.\n";
const C1: &str = "Notat fra møtet. Ledelsen var til stede.\n\nRessursane var få.\n";

struct Fixture {
    p: Project,
    docs: [DocumentId; 3],
    barriers: CodeId,
    shortage: CodeId,
    budget: CodeId,
    leadership: CodeId,
    ann: CoderId,
    /// Codings 1–8 as described in `fixture`.
    c: Vec<CodingId>,
}

fn range_of(p: &Project, doc: DocumentId, phrase: &str) -> CharRange {
    let text = p.text(doc);
    let byte = text.find(phrase).expect("phrase in text");
    let start = char_len(&text[..byte]);
    CharRange::new(start, start + char_len(phrase))
}

/// Three schools (A, C: LOG; B: control), one document each, two coders, eight codings:
/// 1 A "Ressursene er for små." Resource shortage (Ann)
/// 2 A "Ressursene er for små. Budsjettet er kuttet." Resource shortage (Bo)
/// 3 A "Budsjettet er kuttet." Budget cuts (Ann)
/// 4 A "Ledelsen tar ansvar for ressursene." Leadership (Ann)
/// 5 A "ansvar for ressursene." Resource shortage (Ann)
/// 6 B "Ressursene strekker ikke til." Resource shortage (Ann)
/// 7 B "Vi har lite tid." Barriers (Ann)
/// 8 C "Ledelsen var til stede." Leadership (Bo)
fn fixture() -> Fixture {
    let mut p = Project::new("Fixture", Language::Nb);
    let mut docs = Vec::new();
    for (name, text) in [("a_rektor", A1), ("b_helsesykepleier", B1), ("c_notat", C1)] {
        let entry = document_from_text(name, &format!("{name}.txt"), text, None);
        docs.push(entry.document.id);
        p.apply(Edit::Put(Entity::Document(Box::new(entry))))
            .expect("document");
    }
    let docs: [DocumentId; 3] = docs.try_into().expect("three documents");
    let code = |p: &mut Project, path: &str| {
        let mut draft = ops::Draft::new(p);
        let id = ops::ensure_code_path(&mut draft, path).expect("code path");
        let edit = draft.finish("code");
        p.apply(edit).expect("code");
        id
    };
    let barriers = code(&mut p, "Barriers");
    let shortage = code(&mut p, "Barriers/Resource shortage");
    let budget = code(&mut p, "Barriers/Resource shortage/Budget cuts");
    let leadership = code(&mut p, "Leadership");
    let mut coder = |name: &str| {
        let coder = Coder {
            id: CoderId::new(),
            name: name.into(),
            colour: None,
        };
        p.apply(Edit::Put(Entity::Coder(coder.clone())))
            .expect("coder");
        coder.id
    };
    let ann = coder("Ann");
    let bo = coder("Bo");
    p.apply(Edit::Put(Entity::Attribute(AttributeDef {
        name: "group".into(),
        kind: AttributeType::Text,
    })))
    .expect("attribute");
    for (name, group, doc) in [
        ("School A", "LOG", docs[0]),
        ("School B", "control", docs[1]),
        ("School C", "LOG", docs[2]),
    ] {
        p.apply(Edit::Put(Entity::Case(Case {
            id: CaseId::new(),
            name: name.into(),
            description: String::new(),
            attributes: BTreeMap::from([("group".into(), AttributeValue::Text(group.into()))]),
            documents: BTreeSet::from([doc]),
        })))
        .expect("case");
    }
    let plan = [
        (0, "Ressursene er for små.", shortage, ann),
        (
            0,
            "Ressursene er for små. Budsjettet er kuttet.",
            shortage,
            bo,
        ),
        (0, "Budsjettet er kuttet.", budget, ann),
        (0, "Ledelsen tar ansvar for ressursene.", leadership, ann),
        (0, "ansvar for ressursene.", shortage, ann),
        (1, "Ressursene strekker ikke til.", shortage, ann),
        (1, "Vi har lite tid.", barriers, ann),
        (2, "Ledelsen var til stede.", leadership, bo),
    ];
    let mut c = Vec::new();
    for (doc, phrase, code, coder) in plan {
        let coding = Coding {
            id: CodingId::new(),
            document: docs[doc],
            code,
            range: range_of(&p, docs[doc], phrase),
            coder,
            created: marginalia::now(),
            memo: None,
        };
        c.push(coding.id);
        p.apply(Edit::Put(Entity::Coding(coding))).expect("coding");
    }
    Fixture {
        p,
        docs,
        barriers,
        shortage,
        budget,
        leadership,
        ann,
        c,
    }
}

fn ids(list: &[CodingId]) -> BTreeSet<CodingId> {
    list.iter().copied().collect()
}

#[test]
fn phrase_lengths_are_as_counted_by_hand() {
    let f = fixture();
    let len = |i: usize| f.p.codings()[&f.c[i - 1]].range.len();
    assert_eq!(
        [
            len(1),
            len(2),
            len(3),
            len(4),
            len(5),
            len(6),
            len(7),
            len(8)
        ],
        [22, 44, 21, 35, 22, 29, 16, 23]
    );
}

#[test]
fn code_by_case_matrix_counts_codings_and_totals_each_once() {
    let f = fixture();
    let spec = MatrixSpec::default();
    let m = matrix(&f.p, &spec).expect("matrix");
    let labels: Vec<&str> = m.rows.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Barriers",
            "Barriers/Resource shortage",
            "Barriers/Resource shortage/Budget cuts",
            "Leadership"
        ]
    );
    let columns: Vec<&str> = m.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(columns, ["School A", "School B", "School C"]);
    assert_eq!(
        m.values,
        vec![
            vec![0.0, 1.0, 0.0],
            vec![3.0, 1.0, 0.0],
            vec![1.0, 0.0, 0.0],
            vec![1.0, 0.0, 1.0]
        ]
    );
    assert_eq!(m.row_totals, vec![1.0, 4.0, 1.0, 2.0]);
    assert_eq!(m.column_totals, vec![5.0, 2.0, 1.0]);
    assert_eq!(m.total, 8.0);
    // Traceable: the cell's codings are exactly 1, 2 and 5.
    assert_eq!(
        ids(m.cell_codings(Some(1), Some(0))),
        ids(&[f.c[0], f.c[1], f.c[4]])
    );
    let excerpts = m.cell_excerpts(&f.p, Some(1), Some(0));
    assert_eq!(excerpts.len(), 3);
    assert!(excerpts.iter().all(|e| e.document_name == "a_rektor"));
    assert_eq!(m.cell_codings(None, None).len(), 8);

    // With sub-codes a parent row counts its children; the totals still count each coding once.
    let m = matrix(
        &f.p,
        &MatrixSpec {
            include_subcodes: true,
            ..MatrixSpec::default()
        },
    )
    .expect("matrix");
    assert_eq!(m.values[0], vec![4.0, 2.0, 0.0]);
    assert_eq!(m.values[1], vec![4.0, 1.0, 0.0]);
    assert_eq!(m.column_totals, vec![5.0, 2.0, 1.0]);
    // Rolled up to top-level codes.
    let m = matrix(
        &f.p,
        &MatrixSpec {
            rows: RowMode::Parents,
            ..MatrixSpec::default()
        },
    )
    .expect("matrix");
    assert_eq!(m.rows.len(), 2);
    assert_eq!(m.rows[0].code, f.barriers);
    assert_eq!(m.values, vec![vec![4.0, 2.0, 0.0], vec![1.0, 0.0, 1.0]]);
}

#[test]
fn matrix_values_characters_share_documents_presence() {
    let f = fixture();
    let spec = |value| MatrixSpec {
        codes: vec![f.shortage, f.budget],
        value,
        ..MatrixSpec::default()
    };
    // Resource shortage in A: 1 ⊂ 2 (44) plus 5 (22) = 66; overlaps are not double-counted.
    let m = matrix(&f.p, &spec(Value::Characters)).expect("matrix");
    assert_eq!(m.values[0], vec![66.0, 29.0, 0.0]);
    assert_eq!(m.values[1], vec![21.0, 0.0, 0.0]);
    // Column A: 44 (1 ∪ 2 ∪ 3) + 22 (5) = 66.
    assert_eq!(m.column_totals[0], 66.0);
    assert_eq!(m.row_totals[0], 95.0);
    let m = matrix(&f.p, &spec(Value::Share)).expect("matrix");
    let a_len = char_len(f.p.text(f.docs[0])) as f64;
    assert!((m.values[0][0] - 6600.0 / a_len).abs() < 1e-9);
    assert_eq!(m.columns[0].text_chars, char_len(f.p.text(f.docs[0])));
    let m = matrix(&f.p, &spec(Value::Documents)).expect("matrix");
    assert_eq!(m.values[0], vec![1.0, 1.0, 0.0]);
    assert_eq!(m.row_totals[0], 2.0);
    let m = matrix(&f.p, &spec(Value::Presence)).expect("matrix");
    assert_eq!(m.values[1], vec![1.0, 0.0, 0.0]);
}

#[test]
fn matrix_columns_by_attribute_document_speaker_and_coder() {
    let f = fixture();
    let m = matrix(
        &f.p,
        &MatrixSpec {
            codes: vec![f.shortage, f.leadership],
            columns: Columns::Attribute("group".into()),
            ..MatrixSpec::default()
        },
    )
    .expect("matrix");
    let columns: Vec<&str> = m.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(columns, ["control", "LOG"]);
    assert_eq!(m.values, vec![vec![1.0, 3.0], vec![0.0, 2.0]]);
    assert_eq!(m.columns[1].documents, 2);

    let m = matrix(
        &f.p,
        &MatrixSpec {
            codes: vec![f.shortage],
            columns: Columns::Documents,
            ..MatrixSpec::default()
        },
    )
    .expect("matrix");
    assert_eq!(m.values, vec![vec![3.0, 1.0, 0.0]]);

    let m = matrix(
        &f.p,
        &MatrixSpec {
            codes: vec![f.shortage, f.leadership],
            columns: Columns::Speakers,
            value: Value::Characters,
            ..MatrixSpec::default()
        },
    )
    .expect("matrix");
    let columns: Vec<&str> = m.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(columns, ["Helsesykepleier", "Intervjuer", "Rektor"]);
    // Leadership in C is outside any turn: no speaker column has it.
    assert_eq!(m.values, vec![vec![29.0, 0.0, 66.0], vec![0.0, 0.0, 35.0]]);

    let m = matrix(
        &f.p,
        &MatrixSpec {
            codes: vec![f.shortage],
            scope: Scope {
                coders: marginalia::coders::CoderSelection::one(f.ann),
                attributes: vec![AttrFilter::parse("group=log").expect("filter")],
                ..Scope::default()
            },
            ..MatrixSpec::default()
        },
    )
    .expect("matrix");
    let columns: Vec<&str> = m.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(columns, ["School A", "School C"]);
    assert_eq!(m.values, vec![vec![2.0, 0.0]]);
}

#[test]
fn matrix_exports_csv_and_xlsx() {
    let f = fixture();
    let m = matrix(&f.p, &MatrixSpec::default()).expect("matrix");
    let csv = m.to_table().to_csv().expect("csv");
    assert_eq!(
        csv,
        "Code,School A,School B,School C,Total\nBarriers,0,1,0,1\nBarriers/Resource shortage,3,1,0,4\n\
         Barriers/Resource shortage/Budget cuts,1,0,0,1\nLeadership,1,0,1,2\nTotal,5,2,1,8\n"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("matrix.xlsx");
    m.to_table().write(&path, TableFormat::Xlsx).expect("xlsx");
    let bytes = std::fs::read(&path).expect("read");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("xlsx is a zip");
    let mut sheet = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").expect("sheet"),
        &mut sheet,
    )
    .expect("sheet xml");
    assert!(sheet.contains("<v>8</v>"), "grand total in the sheet");
}

#[test]
fn cooccurrence_counts_passages_with_traceable_pairs() {
    let f = fixture();
    let spec = CooccurrenceSpec::default();
    let t = cooccurrence(&f.p, &spec).expect("cooccurrence");
    // Rows: Barriers, Resource shortage, Budget cuts, Leadership.
    assert_eq!(
        t.counts,
        vec![
            vec![1, 0, 0, 0],
            vec![0, 3, 1, 1],
            vec![0, 1, 1, 0],
            vec![0, 1, 0, 2]
        ]
    );
    let passages = t.cell_passages(1, 2);
    assert_eq!(passages.len(), 1);
    assert_eq!(passages[0].pairs, vec![(f.c[1], f.c[2])]);
    assert_eq!(passages[0].range, f.p.codings()[&f.c[1]].range);
    assert_eq!(t.cell_passages(2, 1)[0].pairs, vec![(f.c[2], f.c[1])]);
    assert_eq!(ids(&t.cell_codings(3, 1)), ids(&[f.c[3], f.c[4]]));
    assert_eq!(t.cell_excerpts(&f.p, 3, 1).len(), 2);

    // Jaccard: RS×BC = 1 / (3 + 1 − 1), RS×L = 1 / (3 + 2 − 1).
    let t = cooccurrence(
        &f.p,
        &CooccurrenceSpec {
            jaccard: true,
            ..CooccurrenceSpec::default()
        },
    )
    .expect("cooccurrence");
    assert!((t.values[1][2] - 1.0 / 3.0).abs() < 1e-9);
    assert!((t.values[1][3] - 0.25).abs() < 1e-9);
    assert_eq!(t.values[0][0], 1.0);

    // Within 5 characters: "Vi har lite tid." and "Ressursene strekker ikke til." are one space apart.
    let within = |n| {
        cooccurrence(
            &f.p,
            &CooccurrenceSpec {
                proximity: Proximity::Within(n),
                ..CooccurrenceSpec::default()
            },
        )
        .expect("cooccurrence")
    };
    assert_eq!(within(0).counts[0][1], 0);
    assert_eq!(within(1).counts[0][1], 1);
    assert_eq!(within(1).cell_passages(0, 1)[0].range.len(), 16 + 1 + 29);
    // Budget cuts ends 34 characters before Leadership starts.
    assert_eq!(within(33).counts[2][3], 0);
    assert_eq!(within(34).counts[2][3], 1);
}

#[test]
fn cooccurrence_in_the_same_turn_or_paragraph() {
    let f = fixture();
    let by = |proximity| {
        cooccurrence(
            &f.p,
            &CooccurrenceSpec {
                proximity,
                ..CooccurrenceSpec::default()
            },
        )
        .expect("cooccurrence")
    };
    let t = by(Proximity::SameTurn);
    assert_eq!(
        t.counts[0][1], 1,
        "B's turn holds Barriers and Resource shortage"
    );
    assert_eq!(t.counts[1][2], 1);
    assert_eq!(t.counts[1][3], 1);
    assert_eq!(t.counts[2][3], 0);
    // Diagonal: turns touched by the code (A: two turns, B: one).
    assert_eq!(t.counts[1][1], 3);
    let passages = t.cell_passages(1, 3);
    let turn = f.p.documents()[&f.docs[0]]
        .turn_at(f.p.codings()[&f.c[3]].range.start)
        .expect("turn")
        .range;
    assert_eq!(passages[0].range, turn);
    let t = by(Proximity::SameParagraph);
    assert_eq!(t.counts[1][2], 1);
    // Subcodes: Resource shortage (with Budget cuts) and Budget cuts co-occur wherever 3 meets 1 or 2.
    let t = cooccurrence(
        &f.p,
        &CooccurrenceSpec {
            codes: vec![f.shortage, f.budget],
            include_subcodes: true,
            ..CooccurrenceSpec::default()
        },
    )
    .expect("cooccurrence");
    assert_eq!(t.counts[0][1], 1);
    assert_eq!(t.cell_passages(0, 1)[0].pairs, vec![(f.c[1], f.c[2])]);
}

fn query(f: &Fixture, text: &str) -> CodingQuery {
    CodingQuery::new(parse_query(&f.p, text, Near::default()).expect("query parses"))
}

fn texts(result: &marginalia::analysis::QueryResult) -> Vec<&str> {
    result.passages.iter().map(|p| p.text.as_str()).collect()
}

#[test]
fn coding_queries_and_or_not_near() {
    let f = fixture();
    let run = |q: &CodingQuery| run_query(&f.p, None, q).expect("query runs");
    let and = run(&query(&f, "Resource shortage AND Leadership"));
    assert_eq!(texts(&and), ["ansvar for ressursene."]);
    assert_eq!(ids(&and.passages[0].codings), ids(&[f.c[3], f.c[4]]));

    let or = run(&query(&f, "\"Barriers/Resource shortage\" OR Leadership"));
    assert_eq!(or.passages.len(), 4);
    assert_eq!(or.characters, 44 + 35 + 29 + 23);
    assert_eq!(or.documents, 3);

    let not = run(&query(&f, "Resource shortage NOT Leadership"));
    assert_eq!(
        texts(&not),
        [
            "Ressursene er for små. Budsjettet er kuttet.",
            "Ressursene strekker ikke til."
        ]
    );
    // AND NOT reads the same as NOT; sub-codes count unless the query is exact.
    assert_eq!(
        run(&query(&f, "Barriers AND NOT Leadership")).characters,
        44 + 16 + 29
    );
    let mut exact = query(&f, "Barriers AND NOT Leadership");
    exact.include_subcodes = false;
    assert_eq!(run(&exact).characters, 16);

    let near =
        |n| parse_query(&f.p, "Budget cuts NEAR Leadership", Near::Chars(n)).expect("parses");
    assert!(run(&CodingQuery::new(near(33))).passages.is_empty());
    let hit = run(&CodingQuery::new(near(34)));
    assert_eq!(hit.passages.len(), 1);
    assert_eq!(hit.passages[0].range.len(), 21 + 34 + 35);
    assert!(
        run(&query(&f, "Budget cuts NEAR/turn Leadership"))
            .passages
            .is_empty()
    );
    assert_eq!(
        run(&query(
            &f,
            "Barriers NEAR/turn (Resource shortage OR Leadership)"
        ))
        .passages
        .len(),
        3
    );
    assert!(parse_query(&f.p, "Resource shortage AND", Near::default()).is_err());
    assert!(parse_query(&f.p, "Nonsense AND Leadership", Near::default()).is_err());
}

#[test]
fn coding_query_restrictions_and_text_filter() {
    let f = fixture();
    let run =
        |q: &CodingQuery, index: Option<&SearchIndex>| run_query(&f.p, index, q).expect("runs");
    let mut q = query(&f, "Resource shortage");
    q.include_subcodes = false;
    q.speaker = Some("rektor".into());
    assert_eq!(
        texts(&run(&q, None)),
        [
            "Ressursene er for små. Budsjettet er kuttet.",
            "ansvar for ressursene."
        ]
    );
    let mut q = query(&f, "Resource shortage");
    q.scope.attributes = vec![AttrFilter::parse("group=control").expect("filter")];
    assert_eq!(texts(&run(&q, None)), ["Ressursene strekker ikke til."]);
    let mut q = query(&f, "Resource shortage");
    q.scope.coders = marginalia::coders::CoderSelection::one(f.ann);
    q.include_subcodes = false;
    assert_eq!(run(&q, None).characters, 22 + 22 + 29);

    let mut index = SearchIndex::in_memory(Language::Nb).expect("index");
    index.sync(&f.p).expect("index sync");
    let mut q = query(&f, "Resource shortage");
    q.text = Some("kuttet".into());
    assert!(
        run_query(&f.p, None, &q).is_err(),
        "a text filter needs the index"
    );
    assert_eq!(
        texts(&run(&q, Some(&index))),
        ["Ressursene er for små. Budsjettet er kuttet."]
    );
}

#[test]
fn saving_a_query_result_as_a_code_is_one_undoable_edit() {
    let f = fixture();
    let result =
        run_query(&f.p, None, &query(&f, "Resource shortage AND Leadership")).expect("runs");
    let edit = save_as_code(&f.p, &result, "Queries/Shortage and leadership", "Ann").expect("edit");
    assert!(matches!(edit, Edit::Batch { .. }));
    let mut p = f.p.clone();
    let inverse = p.apply(edit).expect("applies");
    let code = p
        .find_code("Queries/Shortage and leadership")
        .expect("new code");
    let saved: Vec<&Coding> = p.codings().values().filter(|c| c.code == code.id).collect();
    assert_eq!(saved.len(), 1);
    assert_eq!(
        saved[0].range,
        range_of(&p, f.docs[0], "ansvar for ressursene.")
    );
    assert_eq!(saved[0].coder, f.ann);
    p.apply(inverse).expect("undo");
    assert_eq!(p, f.p);
}

#[test]
fn word_frequencies_plain_stemmed_and_with_stop_lists() {
    let f = fixture();
    let shortage = Selection {
        codes: vec![f.shortage],
        ..Selection::default()
    };
    let freq = word_frequencies(&f.p, &shortage, &WordOptions::default()).expect("words");
    // ressursene ×3, små, budsjettet, kuttet, ansvar, strekker ("er", "for", "ikke", "til" are stop words).
    assert_eq!(freq.total, 8);
    assert_eq!(freq.distinct, 6);
    assert_eq!(freq.words[0].word, "ressursene");
    assert_eq!(freq.words[0].count, 3);
    assert_eq!(freq.words[0].documents, 2);

    let all = Selection::default();
    let plain = word_frequencies(&f.p, &all, &WordOptions::default()).expect("words");
    let count = |list: &marginalia::analysis::WordFrequencies, w: &str| {
        list.words
            .iter()
            .find(|x| x.word == w)
            .map_or(0, |x| x.count)
    };
    assert_eq!(count(&plain, "ressursene"), 3);
    assert_eq!(count(&plain, "ressursane"), 1);
    let stemmed = word_frequencies(
        &f.p,
        &all,
        &WordOptions {
            stemmed: true,
            ..WordOptions::default()
        },
    )
    .expect("words");
    let family = stemmed
        .words
        .iter()
        .find(|w| w.word == "ressursene")
        .expect("ressurs family");
    assert_eq!(family.count, 4);
    assert_eq!(
        family.forms,
        vec![("ressursene".to_string(), 3), ("ressursane".to_string(), 1)]
    );

    let mut stopwords = StopList::defaults();
    stopwords.apply("# mine\n-er\nressursene\n");
    let edited = word_frequencies(
        &f.p,
        &shortage,
        &WordOptions {
            stopwords,
            ..WordOptions::default()
        },
    )
    .expect("words");
    assert_eq!(count(&edited, "ressursene"), 0);
    assert_eq!(count(&edited, "er"), 2);
    let limited = word_frequencies(
        &f.p,
        &all,
        &WordOptions {
            limit: Some(2),
            ..WordOptions::default()
        },
    )
    .expect("words");
    assert_eq!(limited.words.len(), 2);
}

#[test]
fn keyword_in_context() {
    let f = fixture();
    let lines = kwic(&f.p, &Selection::default(), "ressursene", false, 10).expect("kwic");
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0].document_name, "a_rektor");
    assert_eq!(lines[0].keyword, "Ressursene");
    assert_eq!(lines[0].left, "?\nRektor: ".replace('\n', " "));
    assert_eq!(lines[0].right, " er for sm");
    assert_eq!(lines[0].speaker.as_deref(), Some("Rektor"));
    assert_eq!(
        lines[0].range,
        CharRange::new(
            range_of(&f.p, f.docs[0], "Ressursene er").start,
            range_of(&f.p, f.docs[0], "Ressursene er").start + 10
        )
    );
    let stemmed = kwic(&f.p, &Selection::default(), "ressurs", true, 10).expect("kwic");
    assert_eq!(stemmed.len(), 4);
    assert_eq!(stemmed[3].keyword, "Ressursane");
}

#[test]
fn sample_resource_shortage_by_log_and_control_schools() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("sample");
    marginalia::sample::build(&root).expect("sample builds");
    let ws = marginalia::Workspace::open_read_only(&root).expect("opens");
    let p = ws.project();
    let shortage = p
        .find_code("Barriers/Resource shortage")
        .expect("resource shortage code")
        .id;
    let schools = Scope {
        attributes: vec![AttrFilter::parse("type=school").expect("filter")],
        ..Scope::default()
    };
    let by_school = matrix(
        p,
        &MatrixSpec {
            codes: vec![shortage],
            include_subcodes: true,
            scope: schools.clone(),
            ..MatrixSpec::default()
        },
    )
    .expect("matrix");
    assert_eq!(by_school.columns.len(), 19, "all 19 schools");
    let m = matrix(
        p,
        &MatrixSpec {
            codes: vec![shortage],
            include_subcodes: true,
            columns: Columns::Attribute("group".into()),
            scope: schools,
            ..MatrixSpec::default()
        },
    )
    .expect("matrix");
    let columns: Vec<&str> = m.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(columns, ["control", "LOG"]);
    for (col, label) in columns.iter().enumerate() {
        let value = m.values[0][col];
        assert!(value > 0.0, "{label} has resource shortage codings");
        let excerpts = m.cell_excerpts(p, Some(0), Some(col));
        // A passage both coders coded is one excerpt carrying both codings.
        let codings: usize = excerpts.iter().map(|e| e.codings.len()).sum();
        assert_eq!(codings as f64, value);
        assert!(excerpts.len() as f64 <= value);
        assert!(
            excerpts
                .iter()
                .all(|e| p.is_ancestor_or_self(shortage, e.code))
        );
    }
    // A document linked to schools of both groups (field notes) counts in both columns, once in the total.
    assert!(m.row_totals[0] <= m.values[0][0] + m.values[0][1]);
    assert_eq!(m.cell_codings(Some(0), None).len() as f64, m.row_totals[0]);
    eprintln!(
        "resource shortage (with sub-codes) in schools: control {}, LOG {}, total {}",
        m.values[0][0], m.values[0][1], m.row_totals[0]
    );
}

fn cli(args: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_marginalia"))
        .env("MARGINALIA_CODER", "Ingrid Solberg")
        .args(args)
        .output()
        .expect("run marginalia");
    assert!(
        out.status.success(),
        "marginalia {args:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

#[test]
fn cli_verbs_print_json_and_write_csv_and_xlsx() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("sample");
    let d = dir.to_str().expect("utf-8 path");
    cli(&["sample", d]);
    let shortage = [
        "matrix",
        d,
        "--code",
        "Barriers/Resource shortage",
        "--subcodes",
        "--columns",
        "attr:group",
        "--attr",
        "type=school",
    ];
    let json: serde_json::Value =
        serde_json::from_str(&cli(&[&shortage[..], &["--json"]].concat())).expect("json");
    assert_eq!(json["columns"][0]["label"], "control");
    let (control, log, total) = (
        json["values"][0][0].as_f64().expect("number"),
        json["values"][0][1].as_f64().expect("number"),
        json["row_totals"][0].as_f64().expect("number"),
    );
    assert!(control > 0.0 && log > 0.0);
    let csv_path = tmp.path().join("matrix.csv");
    let csv = csv_path.to_str().expect("utf-8 path");
    cli(&[&shortage[..], &["-o", csv]].concat());
    assert_eq!(
        std::fs::read_to_string(&csv_path).expect("csv written"),
        format!(
            "Code,control,LOG,Total\nBarriers/Resource shortage,{control},{log},{total}\nTotal,{control},{log},{total}\n"
        )
    );
    let xlsx_path = tmp.path().join("matrix.xlsx");
    let xlsx = xlsx_path.to_str().expect("utf-8 path");
    cli(&[&shortage[..], &["--format", "xlsx", "-o", xlsx]].concat());
    assert_eq!(
        &std::fs::read(&xlsx_path).expect("xlsx written")[..2],
        b"PK"
    );
    let cell = cli(&[&shortage[..], &["--cell", "Resource shortage,control"]].concat());
    assert!(
        cell.contains(&format!("× control: {control} codings")),
        "{cell}"
    );
    assert!(cell.trim_end().ends_with(" excerpts"), "{cell}");

    let pair = cli(&[
        "cooccurrence",
        d,
        "--code",
        "Leadership/Municipal leadership anchoring",
        "Outcomes/Shared goal understanding",
        "--within",
        "1000",
        "--pair",
        "Municipal leadership anchoring,Shared goal understanding",
        "--json",
    ]);
    let pair: serde_json::Value = serde_json::from_str(&pair).expect("json");
    assert_eq!(
        pair["passages"].as_array().map(Vec::len),
        pair["count"].as_u64().map(|n| n as usize)
    );

    let query = [
        "query",
        d,
        "Organisation/Meeting arenas",
        "--speaker",
        "helsesykepleier",
    ];
    let listed: serde_json::Value =
        serde_json::from_str(&cli(&[&query[..], &["--json"]].concat())).expect("json");
    let passages = listed["passages"].as_array().map_or(0, Vec::len);
    assert!(passages > 0);
    let saved = cli(&[
        &query[..],
        &["--save-as", "Queries/Nurses on meeting arenas"],
    ]
    .concat());
    assert!(saved.contains(&format!("({passages} passages)")), "{saved}");
    let excerpts = cli(&[
        "excerpts",
        d,
        "--code",
        "Queries/Nurses on meeting arenas",
        "--json",
    ]);
    let excerpts: serde_json::Value = serde_json::from_str(&excerpts).expect("json");
    assert_eq!(excerpts.as_array().map_or(0, Vec::len), passages);
    cli(&["undo", d]);
    assert!(
        !cli(&["codes", d, "list"]).contains("Nurses on meeting arenas"),
        "undo removes the saved code"
    );

    let words: serde_json::Value = serde_json::from_str(&cli(&[
        "words",
        d,
        "--code",
        "Barriers/Resource shortage",
        "--subcodes",
        "--stemmed",
        "--limit",
        "5",
        "--json",
    ]))
    .expect("json");
    assert_eq!(words["words"].as_array().map(Vec::len), Some(5));
    let kwic = cli(&["words", d, "--kwic", "ressursteam", "--stemmed"]);
    assert!(kwic.contains("[ressursteam"), "{kwic}");
}
