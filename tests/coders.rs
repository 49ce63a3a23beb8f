//! Coders as layers: coder selections on every read path, one excerpt per passage with all its coders, counts of
//! codings vs distinct passages, the `coder:` search filter, and disagreement decisions in a consensus layer.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};

use marginalia::analysis::agreement::{
    AgreementSpec, Measure, Reviewed, Statistic, after_review, agreement, disagreements,
};
use marginalia::analysis::matrix::{MatrixSpec, Value, matrix};
use marginalia::analysis::{CooccurrenceSpec, Proximity, Scope, cooccurrence};
use marginalia::coders::CoderSelection;
use marginalia::edit::{Edit, Entity};
use marginalia::export::{self, Selection, table};
use marginalia::ids::{CaseId, CodeId, CoderId, CodingId, DocumentId};
use marginalia::import::document_from_text;
use marginalia::index::SearchIndex;
use marginalia::model::{
    AttributeDef, AttributeType, AttributeValue, Case, Coder, Coding, Language, Project,
};
use marginalia::offsets::{CharRange, char_len};
use marginalia::ops::{self, Decision, Resolution};
use marginalia::retrieve::{ExcerptFilter, excerpts};

const BRATTLI: &str = "Intervjuer: Hvordan er LOG forankret i kommunen?\nKommunalsjef: Kommunestyret vedtok modellen i 2021, og rådmannen følger den opp hvert kvartal.\nIntervjuer: Og skolene?\nKommunalsjef: Rektorene har fått egne møter med PPT og helsesykepleier.\n";
const FURULUND: &str = "Intervjuer: Hva er vanskelig?\nRektor: Ressursene er for små, og vi mangler tid til samarbeid.\nIntervjuer: Takk.\n";

struct Study {
    p: Project,
    brattli: DocumentId,
    furulund: DocumentId,
    anchoring: CodeId,
    shortage: CodeId,
    ingrid: CoderId,
    tobias: CoderId,
}

fn range_of(p: &Project, doc: DocumentId, phrase: &str) -> CharRange {
    let text = p.text(doc);
    let byte = text.find(phrase).expect("phrase in text");
    let start = char_len(&text[..byte]);
    CharRange::new(start, start + char_len(phrase))
}

fn put_coding(
    p: &mut Project,
    doc: DocumentId,
    phrase: &str,
    code: CodeId,
    coder: CoderId,
) -> CodingId {
    let coding = Coding {
        id: CodingId::new(),
        document: doc,
        code,
        range: range_of(p, doc, phrase),
        coder,
        created: marginalia::now(),
        memo: None,
    };
    let id = coding.id;
    p.apply(Edit::Put(Entity::Coding(coding))).expect("coding");
    id
}

/// Two interviews, two cases, two coders. Both coders coded the same sentence about the municipal council
/// with "Municipal leadership anchoring"; Ingrid also coded the follow-up sentence, Tobias coded the whole
/// answer about resources while Ingrid coded only its first half.
fn study() -> Study {
    let mut p = Project::new("LOG-studien", Language::Nb);
    let mut docs = Vec::new();
    for (name, text) in [
        ("kommunalsjef_brattli", BRATTLI),
        ("rektor_furulund", FURULUND),
    ] {
        let entry = document_from_text(name, &format!("{name}.txt"), text, None);
        docs.push(entry.document.id);
        p.apply(Edit::Put(Entity::Document(Box::new(entry))))
            .expect("document");
    }
    let (brattli, furulund) = (docs[0], docs[1]);
    let code = |p: &mut Project, path: &str| {
        let mut draft = ops::Draft::new(p);
        let id = ops::ensure_code_path(&mut draft, path).expect("code path");
        let edit = draft.finish("code");
        p.apply(edit).expect("code");
        id
    };
    let anchoring = code(&mut p, "Municipal leadership anchoring");
    let shortage = code(&mut p, "Barriers/Resource shortage");
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
    let ingrid = coder("Ingrid Solberg");
    let tobias = coder("Tobias Lunde");
    p.apply(Edit::Put(Entity::Attribute(AttributeDef {
        name: "group".into(),
        kind: AttributeType::Text,
    })))
    .expect("attribute");
    for (name, doc) in [("Brattli kommune", brattli), ("Furulund skole", furulund)] {
        p.apply(Edit::Put(Entity::Case(Case {
            id: CaseId::new(),
            name: name.into(),
            description: String::new(),
            attributes: BTreeMap::from([("group".into(), AttributeValue::Text("LOG".into()))]),
            documents: BTreeSet::from([doc]),
        })))
        .expect("case");
    }
    let council = "Kommunestyret vedtok modellen i 2021";
    put_coding(&mut p, brattli, council, anchoring, ingrid);
    put_coding(&mut p, brattli, council, anchoring, tobias);
    put_coding(
        &mut p,
        brattli,
        "rådmannen følger den opp hvert kvartal",
        anchoring,
        ingrid,
    );
    put_coding(&mut p, furulund, "Ressursene er for små", shortage, ingrid);
    put_coding(
        &mut p,
        furulund,
        "Ressursene er for små, og vi mangler tid til samarbeid.",
        shortage,
        tobias,
    );
    Study {
        p,
        brattli,
        furulund,
        anchoring,
        shortage,
        ingrid,
        tobias,
    }
}

fn anchoring_filter(s: &Study, coders: CoderSelection) -> ExcerptFilter {
    ExcerptFilter {
        codes: vec![s.anchoring],
        coders,
        ..ExcerptFilter::default()
    }
}

#[test]
fn a_passage_both_coders_coded_is_one_excerpt_naming_both() {
    let s = study();
    let list = excerpts(&s.p, &anchoring_filter(&s, CoderSelection::All));
    assert_eq!(
        list.len(),
        2,
        "the shared passage once, Ingrid's second passage once"
    );
    let shared = &list[0];
    assert_eq!(shared.text, "Kommunestyret vedtok modellen i 2021");
    assert_eq!(shared.coders, ["Ingrid Solberg", "Tobias Lunde"]);
    assert_eq!(shared.coder, "Ingrid Solberg, Tobias Lunde");
    assert_eq!(shared.codings.len(), 2);
    assert!(
        shared
            .citation_with_coders()
            .ends_with("coded by Ingrid Solberg, Tobias Lunde"),
        "{}",
        shared.citation_with_coders()
    );
    assert_eq!(list[1].coders, ["Ingrid Solberg"]);
}

#[test]
fn one_coder_selected_shows_only_that_layer() {
    let s = study();
    let tobias = excerpts(&s.p, &anchoring_filter(&s, CoderSelection::one(s.tobias)));
    assert_eq!(tobias.len(), 1);
    assert_eq!(tobias[0].coders, ["Tobias Lunde"]);
    let both = CoderSelection::several([s.ingrid, s.tobias]);
    assert_eq!(excerpts(&s.p, &anchoring_filter(&s, both)).len(), 2);
    let nobody = CoderSelection::Only(BTreeSet::new());
    assert!(excerpts(&s.p, &anchoring_filter(&s, nobody)).is_empty());
}

#[test]
fn coder_names_resolve_and_an_unknown_name_is_a_clear_error() {
    let s = study();
    let both = CoderSelection::parse(&s.p, "ingrid solberg, Tobias Lunde").expect("names");
    assert_eq!(both, CoderSelection::several([s.ingrid, s.tobias]));
    assert_eq!(
        CoderSelection::parse(&s.p, "").expect("empty"),
        CoderSelection::All
    );
    let error = CoderSelection::parse(&s.p, "Ingrid Solberg,Kari Nordmann").expect_err("unknown");
    let message = error.to_string();
    assert!(
        message.contains("no coder named 'Kari Nordmann'"),
        "{message}"
    );
    assert!(
        message.contains("Ingrid Solberg, Tobias Lunde"),
        "{message}"
    );
}

#[test]
fn the_word_report_has_each_shared_passage_once() {
    let s = study();
    let selection = Selection {
        filter: anchoring_filter(&s, CoderSelection::All),
        // The full citation style names the coders (the short one leaves them out).
        citation: marginalia::retrieve::CitationStyle::Full,
        ..Selection::default()
    };
    let report = export::report(&s.p, &selection, "Forankring");
    assert_eq!(report.items.len(), 2);
    let markdown = export::render::markdown(&report);
    assert_eq!(
        markdown
            .matches("Kommunestyret vedtok modellen i 2021")
            .count(),
        1,
        "{markdown}"
    );
    assert!(
        markdown.contains("coded by Ingrid Solberg, Tobias Lunde"),
        "{markdown}"
    );
    let docx = export::ReportFormat::Docx.render(&report).expect("docx");
    assert!(docx.starts_with(b"PK"));
}

#[test]
fn the_matrix_counts_codings_or_distinct_passages() {
    let s = study();
    let spec = |value, coders| MatrixSpec {
        codes: vec![s.anchoring],
        value,
        scope: Scope {
            coders,
            ..Scope::default()
        },
        ..MatrixSpec::default()
    };
    let m = matrix(&s.p, &spec(Value::Codings, CoderSelection::All)).expect("matrix");
    let brattli = m.find_column("Brattli kommune").expect("column");
    assert_eq!(m.value(Some(0), Some(brattli)), 3.0, "three codings");
    let m = matrix(&s.p, &spec(Value::Passages, CoderSelection::All)).expect("matrix");
    assert_eq!(
        m.value(Some(0), Some(brattli)),
        2.0,
        "two distinct passages"
    );
    assert_eq!(m.cell_excerpts(&s.p, Some(0), Some(brattli)).len(), 2);
    let m = matrix(&s.p, &spec(Value::Codings, CoderSelection::one(s.tobias))).expect("matrix");
    assert_eq!(m.value(Some(0), Some(brattli)), 1.0);
    assert_eq!(Value::parse("passages"), Some(Value::Passages));
}

#[test]
fn cooccurrence_and_the_count_table_take_the_selection() {
    let s = study();
    let spec = |coders| CooccurrenceSpec {
        codes: vec![s.anchoring, s.shortage],
        proximity: Proximity::Overlap,
        scope: Scope {
            coders,
            ..Scope::default()
        },
        ..CooccurrenceSpec::default()
    };
    cooccurrence(&s.p, &spec(CoderSelection::one(s.ingrid))).expect("cooccurrence");
    let all = table::code_case_counts(&s.p, &CoderSelection::All);
    let ingrid = table::code_case_counts(&s.p, &CoderSelection::one(s.ingrid));
    let total = |t: &table::Table| match t.rows[0].last() {
        Some(table::Cell::Number(n)) => *n,
        other => panic!("total cell {other:?}"),
    };
    assert_eq!(total(&all), 3.0);
    assert_eq!(total(&ingrid), 2.0);
}

#[test]
fn search_coder_filter_keeps_passages_that_coder_coded() {
    let s = study();
    let mut index = SearchIndex::in_memory(Language::Nb).expect("index");
    index.sync(&s.p).expect("sync");
    let hits = |q: &str| {
        marginalia::query::search(&index, &s.p, q, None)
            .expect("search")
            .hits
            .iter()
            .map(|h| (h.document, h.passage))
            .collect::<Vec<_>>()
    };
    let rådmann = hits("rådmannen");
    assert_eq!(rådmann.len(), 1);
    assert_eq!(hits("rådmannen coder:\"Ingrid Solberg\""), rådmann);
    // Tobias coded the council sentence in the same turn, so the turn is his too…
    assert_eq!(hits("rådmannen coder:\"Tobias Lunde\"").len(), 1);
    // …but he coded nothing in the turn about the schools.
    assert!(hits("PPT coder:\"Tobias Lunde\"").is_empty());
    assert!(
        hits("samarbeid coder:\"Tobias Lunde\"")
            .iter()
            .all(|(d, _)| *d == s.furulund)
    );
    // Seen as one coder (the workbench in blind mode): code: and coder: filters see only that coder's codings.
    let as_tobias = |q: &str| {
        marginalia::query::search_as(&index, &s.p, q, None, &CoderSelection::one(s.tobias))
            .expect("search")
            .hits
            .len()
    };
    let anchoring = "rådmannen code:\"Municipal leadership anchoring\"";
    assert_eq!(hits(anchoring).len(), 1);
    assert_eq!(as_tobias(anchoring), 1);
    let as_nobody = marginalia::query::search_as(
        &index,
        &s.p,
        anchoring,
        None,
        &CoderSelection::Only(BTreeSet::new()),
    )
    .expect("search");
    assert!(
        as_nobody.hits.is_empty(),
        "a coder who coded nothing sees no coded passage"
    );
    assert_eq!(as_tobias("rådmannen coder:\"Ingrid Solberg\""), 0);
    assert_eq!(as_tobias("rådmannen coder:\"Tobias Lunde\""), 1);
    assert_eq!(
        as_tobias("PPT"),
        hits("PPT").len(),
        "words are not filtered"
    );
    let error = marginalia::query::search(&index, &s.p, "coder:Kari", None).expect_err("unknown");
    assert!(
        error.to_string().contains("no coder named 'Kari'"),
        "{error}"
    );
}

#[test]
fn a_review_decision_codes_the_consensus_layer_and_undo_removes_it() {
    let mut s = study();
    let list = disagreements(&s.p, s.shortage, &[s.ingrid, s.tobias]).expect("disagreements");
    assert_eq!(
        list.len(),
        1,
        "Tobias coded the second half of the answer, Ingrid did not"
    );
    let stretch = list[0].range;
    assert_eq!(list[0].text, ", og vi mangler tid til samarbeid.");
    let decision = |resolution| Decision {
        document: s.furulund,
        code: s.shortage,
        stretch,
        coders: [s.ingrid, s.tobias],
        resolution,
        consensus: "Konsensus".into(),
        memo: Some("Tiden hører med til ressursene.".into()),
    };
    let union = ops::decision_ranges(&s.p, &decision(Resolution::Union));
    assert_eq!(
        union,
        [range_of(
            &s.p,
            s.furulund,
            "Ressursene er for små, og vi mangler tid til samarbeid."
        )]
    );
    let inter = ops::decision_ranges(&s.p, &decision(Resolution::Intersection));
    assert_eq!(inter, [range_of(&s.p, s.furulund, "Ressursene er for små")]);
    assert!(
        ops::resolve_disagreement(&s.p, &decision(Resolution::Skip))
            .expect("skip")
            .is_none()
    );
    let mut wrong = decision(Resolution::KeepSecond);
    wrong.consensus = "Tobias Lunde".into();
    assert!(
        ops::resolve_disagreement(&s.p, &wrong).is_err(),
        "a compared coder is no consensus coder"
    );

    let before = s.p.codings().len();
    let coded = ops::resolve_disagreement(&s.p, &decision(Resolution::KeepSecond))
        .expect("decision")
        .expect("an edit");
    let undo = s.p.apply(coded.edit).expect("apply");
    assert_eq!(s.p.codings().len(), before + 1);
    let consensus = s.p.find_coder("Konsensus").expect("consensus coder").id;
    let made = &s.p.codings()[&coded.codings[0]];
    assert_eq!(made.coder, consensus);
    assert_eq!(made.range, union[0]);
    assert_eq!(
        made.memo.as_deref(),
        Some("Tiden hører med til ressursene.")
    );

    // α after the review: inside the decided stretch both coders now have the consensus coding.
    let spec = AgreementSpec {
        coders: vec![s.ingrid, s.tobias],
        codes: vec![s.shortage],
        measures: vec![Measure::Alpha],
        bootstrap: 0,
        ..AgreementSpec::default()
    };
    let alpha = |p: &Project| {
        agreement(p, &spec).expect("agreement").rows[0]
            .value(Statistic::Alpha)
            .expect("α")
    };
    let reviewed = [Reviewed {
        document: s.furulund,
        code: s.shortage,
        stretch,
    }];
    let after = after_review(&s.p, &[s.ingrid, s.tobias], consensus, &reviewed).expect("after");
    assert!(alpha(&s.p) < 0.9, "before: {}", alpha(&s.p));
    assert!(
        (alpha(&after) - 1.0).abs() < 1e-9,
        "after: {}",
        alpha(&after)
    );

    s.p.apply(undo).expect("undo");
    assert_eq!(s.p.codings().len(), before);
    let _ = s.brattli;
}
