//! Intercoder agreement through the project model: published examples rebuilt as documents and codings, every
//! unit kind and grouping, the error cases, the bundled sample study, and the `agreement` / `disagreements` verbs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../src/cli/agreement.rs"]
mod cli_agreement;

use std::collections::{BTreeMap, BTreeSet};

use clap::Parser;
use marginalia::Workspace;
use marginalia::analysis::agreement::{
    AgreementError, AgreementSpec, Grouping, Measure, RowKind, Statistic, Undefined, UnitKind,
    agreement, disagreements, find_coders,
};
use marginalia::edit::{Edit, Entity};
use marginalia::ids::{CaseId, CodeId, CoderId, CodingId, DocumentId};
use marginalia::import::document_from_text;
use marginalia::model::{
    AttributeDef, AttributeType, AttributeValue, Case, Coder, Coding, Language, Project,
};
use marginalia::offsets::CharRange;
use marginalia::ops;

/// A project under construction.
struct Build {
    p: Project,
}

impl Build {
    fn new() -> Self {
        Self {
            p: Project::new("Agreement", Language::Nb),
        }
    }

    fn document(&mut self, name: &str, text: &str) -> DocumentId {
        let entry = document_from_text(name, &format!("{name}.txt"), text, None);
        let id = entry.document.id;
        self.p
            .apply(Edit::Put(Entity::Document(Box::new(entry))))
            .expect("document");
        id
    }

    fn code(&mut self, path: &str) -> CodeId {
        let mut draft = ops::Draft::new(&self.p);
        let id = ops::ensure_code_path(&mut draft, path).expect("code path");
        let edit = draft.finish("code");
        self.p.apply(edit).expect("code");
        id
    }

    fn coder(&mut self, name: &str) -> CoderId {
        let coder = Coder {
            id: CoderId::new(),
            name: name.into(),
            colour: None,
        };
        self.p
            .apply(Edit::Put(Entity::Coder(coder.clone())))
            .expect("coder");
        coder.id
    }

    fn coding(
        &mut self,
        document: DocumentId,
        code: CodeId,
        coder: CoderId,
        start: usize,
        end: usize,
    ) {
        let coding = Coding {
            id: CodingId::new(),
            document,
            code,
            range: CharRange::new(start, end),
            coder,
            created: marginalia::now(),
            memo: None,
        };
        self.p
            .apply(Edit::Put(Entity::Coding(coding)))
            .expect("coding");
    }
}

fn close(value: Option<f64>, expected: f64, tolerance: f64) {
    let value = value.expect("defined");
    assert!(
        (value - expected).abs() <= tolerance,
        "{value} is not {expected} ± {tolerance}"
    );
}

fn spec(coders: &[CoderId]) -> AgreementSpec {
    AgreementSpec {
        coders: coders.to_vec(),
        bootstrap: 0,
        ..AgreementSpec::default()
    }
}

/// NVivo's worked example as a project: a 1,000-character document, A codes 0..150, B codes 100..200 (50
/// characters by both, 100 by A only, 50 by B only) → κ = 0.318 with character units.
fn nvivo() -> (Project, [CoderId; 2], CodeId) {
    let mut b = Build::new();
    let doc = b.document("kilde", &"x".repeat(1000));
    let code = b.code("Tema");
    let (a, bo) = (b.coder("A"), b.coder("B"));
    b.coding(doc, code, a, 0, 150);
    b.coding(doc, code, bo, 100, 200);
    (b.p, [a, bo], code)
}

#[test]
#[allow(clippy::approx_constant)] // 0.318 is NVivo's published κ, not 1/π.
fn nvivo_example_through_the_project_with_character_units() {
    let (p, coders, _) = nvivo();
    let report = agreement(&p, &spec(&coders)).expect("report");
    let row = report.row("Tema").expect("code row");
    assert_eq!(row.units, 1000);
    assert_eq!(row.coded, vec![150, 100]);
    close(row.value(Statistic::CohenKappa), 0.318, 0.0005);
    close(row.value(Statistic::Percent), 0.85, 1e-12);
    close(row.value(Statistic::BrennanPrediger), 0.70, 1e-12);
    // Only text someone coded (200 characters): P_o = 0.25, P_e = 0.75·0.5 + 0.25·0.5 = 0.5 → κ = −0.5.
    let coded_only = agreement(
        &p,
        &AgreementSpec {
            coded_only: true,
            ..spec(&coders)
        },
    )
    .expect("report");
    let row = coded_only.row("Tema").expect("code row");
    assert_eq!(row.units, 200);
    close(row.value(Statistic::CohenKappa), -0.5, 1e-12);
}

/// Krippendorff (2004), *Content Analysis*, 2nd ed., p. 224, rebuilt as ten paragraphs: coder A codes
/// paragraphs 2 and 9, coder B paragraphs 1, 2, 3 and 6 → percent agreement 0.60, α = 0.095.
#[test]
fn krippendorff_p224_through_paragraph_units() {
    let mut b = Build::new();
    let text: String = (0..10).map(|i| format!("Avsnitt {i} har ord.\n")).collect();
    let doc = b.document("avsnitt", &text);
    let code = b.code("Tema");
    let (a, bo) = (b.coder("A"), b.coder("B"));
    let paragraphs = b.p.documents()[&doc].paragraphs.clone();
    assert_eq!(paragraphs.len(), 10);
    let whole = |i: usize| (paragraphs[i].start, paragraphs[i].end);
    for i in [1, 8] {
        b.coding(doc, code, a, whole(i).0, whole(i).1);
    }
    for i in [0, 1, 2] {
        b.coding(doc, code, bo, whole(i).0, whole(i).1);
    }
    // Paragraph 6 (index 5) only partly: counts with any overlap, not with a minimum share of 75%.
    b.coding(doc, code, bo, whole(5).0, whole(5).0 + 8);
    let paragraph = AgreementSpec {
        unit: UnitKind::Paragraph,
        ..spec(&[a, bo])
    };
    let report = agreement(&b.p, &paragraph).expect("report");
    let row = report.row("Tema").expect("row");
    assert_eq!(row.units, 10);
    close(row.value(Statistic::Percent), 0.60, 1e-12);
    close(row.value(Statistic::Alpha), 0.095, 0.0005);
    let strict = AgreementSpec {
        min_overlap: Some(0.75),
        ..paragraph
    };
    let row = agreement(&b.p, &strict).expect("report").rows[0].clone();
    close(row.value(Statistic::Percent), 0.70, 1e-12);
}

/// Fleiss (1971), p. 379, rebuilt as 30 paragraphs coded by six coders with one of five codes each: the
/// overall row treats each coder's set of codes per unit as a nominal value → Fleiss' κ = 0.430.
#[test]
fn fleiss_1971_through_the_overall_nominal_row() {
    let subjects: [[usize; 6]; 30] = [
        [4, 4, 4, 4, 4, 4],
        [2, 2, 2, 5, 5, 5],
        [2, 3, 3, 3, 3, 5],
        [5, 5, 5, 5, 5, 5],
        [2, 2, 2, 4, 4, 4],
        [1, 1, 3, 3, 3, 3],
        [3, 3, 3, 3, 5, 5],
        [1, 1, 3, 3, 3, 4],
        [1, 1, 4, 4, 4, 4],
        [5, 5, 5, 5, 5, 5],
        [1, 4, 4, 4, 4, 4],
        [1, 2, 4, 4, 4, 4],
        [2, 2, 2, 3, 3, 3],
        [1, 4, 4, 4, 4, 4],
        [2, 2, 4, 4, 4, 5],
        [3, 3, 3, 3, 3, 5],
        [1, 1, 1, 4, 5, 5],
        [1, 1, 1, 1, 1, 2],
        [2, 2, 4, 4, 4, 4],
        [1, 3, 3, 5, 5, 5],
        [5, 5, 5, 5, 5, 5],
        [2, 4, 4, 4, 4, 4],
        [2, 2, 4, 5, 5, 5],
        [1, 1, 4, 4, 4, 4],
        [1, 4, 4, 4, 4, 5],
        [2, 2, 2, 2, 2, 4],
        [1, 1, 1, 1, 5, 5],
        [2, 2, 4, 4, 4, 4],
        [1, 3, 3, 3, 3, 3],
        [5, 5, 5, 5, 5, 5],
    ];
    let mut b = Build::new();
    let text: String = (0..30).map(|i| format!("Pasient {i:02}.\n")).collect();
    let doc = b.document("diagnoser", &text);
    let codes: Vec<CodeId> = (1..=5).map(|i| b.code(&format!("Kategori {i}"))).collect();
    let coders: Vec<CoderId> = (1..=6).map(|i| b.coder(&format!("Rater {i}"))).collect();
    let paragraphs = b.p.documents()[&doc].paragraphs.clone();
    for (unit, ratings) in subjects.iter().enumerate() {
        for (coder, category) in coders.iter().zip(ratings) {
            let range = paragraphs[unit];
            b.coding(doc, codes[category - 1], *coder, range.start, range.end);
        }
    }
    let report = agreement(
        &b.p,
        &AgreementSpec {
            unit: UnitKind::Paragraph,
            ..spec(&coders)
        },
    )
    .expect("report");
    let overall = report.overall().expect("overall");
    close(overall.value(Statistic::FleissKappa), 0.430, 0.0005);
    close(overall.value(Statistic::Percent), 0.5556, 0.0001);
    assert!(
        overall.estimate(Statistic::CohenKappa).is_none(),
        "six coders"
    );
    assert_eq!(report.rows.len(), 6, "five codes and the overall row");
}

/// Krippendorff (2004), p. 254, rebuilt as a 300-character document (the continuum 150–450 shifted to 0–300)
/// with codes c and k → (c)uα = .7286, (k)uα = 1.000, uα = .8587 (.8591 in the book, from rounded
/// intermediates).
#[test]
fn krippendorff_p254_through_the_project_as_unitized_alpha() {
    let mut b = Build::new();
    let doc = b.document("kontinuum", &"y".repeat(300));
    let (c, k) = (b.code("c"), b.code("k"));
    let (i, j) = (b.coder("i"), b.coder("j"));
    for (code, coder, start, length) in [
        (c, i, 225, 70),
        (c, i, 370, 30),
        (k, i, 180, 60),
        (k, i, 300, 50),
        (c, j, 220, 80),
        (c, j, 355, 20),
        (c, j, 400, 20),
        (k, j, 180, 60),
        (k, j, 300, 50),
    ] {
        b.coding(doc, code, coder, start - 150, start - 150 + length);
    }
    let report = agreement(
        &b.p,
        &AgreementSpec {
            measures: vec![Measure::UAlpha],
            ..spec(&[i, j])
        },
    )
    .expect("report");
    close(
        report.row("c").and_then(|r| r.value(Statistic::UAlpha)),
        0.7286,
        0.00005,
    );
    close(
        report.row("k").and_then(|r| r.value(Statistic::UAlpha)),
        1.0,
        1e-12,
    );
    let overall = report.overall().expect("overall");
    close(overall.value(Statistic::UAlpha), 0.8591, 0.0005);
    close(overall.value(Statistic::UAlpha), 0.85867, 0.00001);
    assert!(overall.value(Statistic::BinaryUAlpha).is_some());
    assert!(overall.value(Statistic::CodingUAlpha).is_some());
}

/// Two documents, two schools, three coders; used for groupings, errors and disagreements.
struct Schools {
    p: Project,
    docs: [DocumentId; 2],
    code: CodeId,
    sub: CodeId,
    coders: [CoderId; 3],
}

fn schools() -> Schools {
    let mut b = Build::new();
    let a = b.document(
        "a_rektor",
        "Intervjuer: Hva er vanskelig?\nRektor: Ressursene er for små. Budsjettet er kuttet.\n",
    );
    let c = b.document(
        "c_notat",
        "Notat fra møtet. Ledelsen var til stede.\n\nRessursane var få.\n",
    );
    let code = b.code("Barrierer");
    let sub = b.code("Barrierer/Budsjett");
    let coders = [b.coder("Ann"), b.coder("Bo"), b.coder("Cy")];
    b.coding(a, code, coders[0], 38, 60);
    b.coding(a, code, coders[1], 38, 82);
    b.coding(a, sub, coders[2], 61, 82);
    b.coding(c, code, coders[0], 42, 60);
    b.coding(c, code, coders[1], 42, 60);
    b.coding(c, sub, coders[2], 0, 16);
    b.p.apply(Edit::Put(Entity::Attribute(AttributeDef {
        name: "group".into(),
        kind: AttributeType::Text,
    })))
    .expect("attribute");
    for (name, group, doc) in [("Skole A", "LOG", a), ("Skole C", "kontroll", c)] {
        b.p.apply(Edit::Put(Entity::Case(Case {
            id: CaseId::new(),
            name: name.into(),
            description: String::new(),
            attributes: BTreeMap::from([("group".into(), AttributeValue::Text(group.into()))]),
            documents: BTreeSet::from([doc]),
        })))
        .expect("case");
    }
    Schools {
        p: b.p,
        docs: [a, c],
        code,
        sub,
        coders,
    }
}

#[test]
fn rows_per_code_with_subcodes_rolled_up() {
    let s = schools();
    let plain = agreement(&s.p, &spec(&s.coders)).expect("report");
    let labels: Vec<&str> = plain.rows.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, ["Barrierer", "Barrierer/Budsjett", "Overall"]);
    assert_eq!(plain.rows[0].coded[2], 0, "Cy used only the sub-code");
    let rolled = agreement(
        &s.p,
        &AgreementSpec {
            codes: vec![s.code],
            include_subcodes: true,
            ..spec(&s.coders)
        },
    )
    .expect("report");
    assert_eq!(rolled.rows[0].kind, RowKind::Code(s.code));
    assert_eq!(rolled.rows[0].coded, vec![40, 62, 37]);
    assert!(
        rolled.rows[0].estimate(Statistic::CohenKappa).is_none(),
        "three coders"
    );
    assert!(rolled.rows[0].value(Statistic::FleissKappa).is_some());
}

#[test]
fn rows_per_document_and_per_attribute_group() {
    let s = schools();
    let by_doc = agreement(
        &s.p,
        &AgreementSpec {
            by: Grouping::Document,
            ..spec(&s.coders[..2])
        },
    )
    .expect("report");
    let labels: Vec<&str> = by_doc.rows.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, ["a_rektor", "c_notat", "Overall"]);
    assert_eq!(by_doc.rows[1].kind, RowKind::Document(s.docs[1]));
    // In c_notat Ann and Bo coded the same sentence and nothing else: perfect agreement.
    close(by_doc.rows[1].value(Statistic::CohenKappa), 1.0, 1e-12);
    let by_group = agreement(
        &s.p,
        &AgreementSpec {
            by: Grouping::Attribute("GROUP".into()),
            ..spec(&s.coders)
        },
    )
    .expect("report");
    let labels: Vec<&str> = by_group.rows.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, ["kontroll", "LOG", "Overall"]);
    assert_eq!(by_group.rows[1].documents, 1);
    assert_eq!(by_group.overall().map(|r| r.documents), Some(2));
}

#[test]
fn errors_name_what_is_wrong() {
    let s = schools();
    let one = agreement(&s.p, &spec(&s.coders[..1]));
    assert_eq!(one.err(), Some(AgreementError::TooFewCoders { given: 1 }));
    let unknown = find_coders(&s.p, &["Ann".into(), "Dag".into()]);
    assert_eq!(
        unknown.err(),
        Some(AgreementError::UnknownCoder("Dag".into()))
    );
    let ghost = agreement(&s.p, &spec(&[s.coders[0], CoderId::new()]));
    assert!(matches!(ghost, Err(AgreementError::UnknownCoder(_))));
    let mut b = Build::new();
    let doc = b.document("tom", "Ingen koding her.");
    let code = b.code("Ubrukt");
    let used = b.code("Brukt");
    let (x, y) = (b.coder("X"), b.coder("Y"));
    b.coding(doc, used, x, 0, 5);
    let none = agreement(&b.p, &spec(&[x, y]));
    assert!(matches!(
        none,
        Err(AgreementError::NoCommonDocuments { .. })
    ));
    b.coding(doc, used, y, 6, 10);
    let uncoded = agreement(
        &b.p,
        &AgreementSpec {
            codes: vec![code],
            ..spec(&[x, y])
        },
    );
    assert_eq!(
        uncoded.err(),
        Some(AgreementError::CodeNotCoded {
            code: "Ubrukt".into()
        })
    );
    let attr = agreement(
        &s.p,
        &AgreementSpec {
            by: Grouping::Attribute("kommune".into()),
            ..spec(&s.coders)
        },
    );
    assert_eq!(
        attr.err(),
        Some(AgreementError::UnknownAttribute("kommune".into()))
    );
    let share = agreement(
        &s.p,
        &AgreementSpec {
            unit: UnitKind::Turn,
            min_overlap: Some(1.5),
            ..spec(&s.coders)
        },
    );
    assert!(matches!(share, Err(AgreementError::InvalidOption(_))));
    let core: marginalia::Error = AgreementError::UnknownCoder("Dag".into()).into();
    assert_eq!(core.to_string(), "no coder named 'Dag'");
}

#[test]
fn no_variation_gives_a_reason_not_nan() {
    let mut b = Build::new();
    let doc = b.document("alt", "Alt er kodet.");
    let code = b.code("Alt");
    let (x, y) = (b.coder("X"), b.coder("Y"));
    b.coding(doc, code, x, 0, 13);
    b.coding(doc, code, y, 0, 13);
    let report = agreement(&b.p, &spec(&[x, y])).expect("report");
    let row = &report.rows[0];
    close(row.value(Statistic::Percent), 1.0, 1e-12);
    for statistic in [
        Statistic::CohenKappa,
        Statistic::FleissKappa,
        Statistic::Alpha,
    ] {
        let estimate = row.estimate(statistic).expect("computed");
        assert_eq!(estimate.value, None);
        assert_eq!(estimate.undefined, Some(Undefined::NoVariation));
    }
    let json = serde_json::to_string(&report).expect("json");
    assert!(
        !json.contains("NaN") && json.contains("no_variation"),
        "{json}"
    );
}

#[test]
fn disagreements_list_stretches_in_document_order() {
    let s = schools();
    let list = disagreements(&s.p, s.code, &s.coders[..2]).expect("disagreements");
    assert_eq!(list.len(), 1);
    let d = &list[0];
    assert_eq!(d.document, s.docs[0]);
    assert_eq!(d.range, CharRange::new(60, 82));
    assert_eq!(d.text, " Budsjettet er kuttet.");
    let names = |v: &[marginalia::analysis::agreement::CoderRef]| -> Vec<String> {
        v.iter().map(|c| c.name.clone()).collect()
    };
    assert_eq!(names(&d.coded_by), ["Bo"]);
    assert_eq!(names(&d.not_coded_by), ["Ann"]);
    let three = disagreements(&s.p, s.sub, &s.coders).expect("disagreements");
    let docs: Vec<DocumentId> = three.iter().map(|d| d.document).collect();
    assert_eq!(docs, [s.docs[0], s.docs[1]]);
    assert!(three.iter().all(|d| names(&d.coded_by) == ["Cy"]));
}

#[test]
fn bootstrap_over_units_is_seeded() {
    let s = schools();
    let turns = AgreementSpec {
        unit: UnitKind::Sentence,
        bootstrap: 200,
        ..spec(&s.coders[..2])
    };
    let first = agreement(&s.p, &turns).expect("report");
    let again = agreement(&s.p, &turns).expect("report");
    assert_eq!(first, again);
    let interval = first
        .overall()
        .and_then(|r| r.estimate(Statistic::Percent))
        .and_then(|e| e.interval.clone())
        .expect("interval");
    assert_eq!(interval.draws, 200);
    assert!(interval.low <= interval.high);
}

fn sample_project() -> (tempfile::TempDir, Project) {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("sample");
    marginalia::sample::build(&root).expect("sample");
    let ws = Workspace::open_read_only(&root).expect("open");
    let project = ws.project().clone();
    (dir, project)
}

#[test]
fn sample_study_agreement_is_sensible_and_reproducible() {
    let (_dir, p) = sample_project();
    let coders =
        find_coders(&p, &["Ingrid Solberg".into(), "Tobias Lunde".into()]).expect("coders");
    let spec = AgreementSpec {
        coders: coders.clone(),
        measures: Measure::ALL.to_vec(),
        bootstrap: 300,
        ..AgreementSpec::default()
    };
    let report = agreement(&p, &spec).expect("report");
    assert!(
        report.documents.len() >= 10,
        "{} documents",
        report.documents.len()
    );
    let overall = report.overall().expect("overall");
    for statistic in [Statistic::CohenKappa, Statistic::Alpha, Statistic::UAlpha] {
        let value = overall.value(statistic).expect("defined");
        assert!(value > 0.0 && value < 1.0, "{statistic:?} = {value}");
        let interval = overall
            .estimate(statistic)
            .and_then(|e| e.interval.clone())
            .expect("interval");
        assert!(interval.low < interval.high, "{statistic:?} {interval:?}");
        assert!((0.0..=1.0).contains(&interval.below_customary));
    }
    let percent = overall.value(Statistic::Percent).expect("percent");
    assert!(percent > 0.5 && percent < 1.0, "{percent}");
    let again = agreement(&p, &spec).expect("report");
    assert_eq!(report, again, "same seed, same report");
    let other = agreement(
        &p,
        &AgreementSpec {
            seed: 42,
            ..spec.clone()
        },
    )
    .expect("report");
    let interval = |r: &marginalia::analysis::agreement::Agreement| {
        r.overall()
            .and_then(|o| o.estimate(Statistic::Alpha))
            .and_then(|e| e.interval.clone())
    };
    assert_ne!(
        interval(&report),
        interval(&other),
        "another seed, other draws"
    );
    assert_eq!(
        report.overall().and_then(|o| o.value(Statistic::Alpha)),
        other.overall().and_then(|o| o.value(Statistic::Alpha)),
        "the point estimate does not depend on the seed"
    );
    let codes_with_kappa = report
        .rows
        .iter()
        .filter(|r| matches!(r.kind, RowKind::Code(_)))
        .filter_map(|r| r.value(Statistic::CohenKappa))
        .count();
    assert!(codes_with_kappa >= 5, "{codes_with_kappa}");
}

/// The verbs as a future `Command` would parse them.
#[derive(Parser)]
struct TestCli {
    #[command(subcommand)]
    command: TestCommand,
}

#[derive(clap::Subcommand)]
enum TestCommand {
    Agreement(cli_agreement::AgreementArgs),
    Disagreements(cli_agreement::DisagreementsArgs),
}

fn run(args: &[&str]) -> anyhow::Result<()> {
    match TestCli::try_parse_from(std::iter::once("marginalia").chain(args.iter().copied()))?
        .command
    {
        TestCommand::Agreement(a) => cli_agreement::run_agreement(a),
        TestCommand::Disagreements(d) => cli_agreement::run_disagreements(d),
    }
}

#[test]
fn verbs_run_on_a_saved_project() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("sample");
    marginalia::sample::build(&root).expect("sample");
    let project = root.to_str().expect("utf-8 path");
    let coders = "--coders=Ingrid Solberg,Tobias Lunde";
    run(&["agreement", project, coders, "--bootstrap", "50"]).expect("text");
    run(&[
        "agreement",
        project,
        coders,
        "--by",
        "attr:group",
        "--unit",
        "turn",
        "--bootstrap",
        "20",
        "--json",
    ])
    .expect("json");
    let csv = dir.path().join("agreement.csv");
    let out = csv.to_str().expect("utf-8 path");
    run(&[
        "agreement",
        project,
        coders,
        "--measure",
        "kappa,ualpha",
        "--bootstrap",
        "20",
        "-o",
        out,
    ])
    .expect("csv");
    let written = std::fs::read_to_string(&csv).expect("csv written");
    assert!(
        written
            .starts_with("Code,Characters,Coded by Ingrid Solberg,Coded by Tobias Lunde,Cohen κ,"),
        "{written}"
    );
    assert!(written.contains("Overall,"));
    let xlsx = dir.path().join("agreement.xlsx");
    run(&[
        "agreement",
        project,
        "--bootstrap",
        "0",
        "-o",
        xlsx.to_str().expect("path"),
    ])
    .expect("xlsx");
    assert!(std::fs::read(&xlsx).expect("xlsx").starts_with(b"PK"));
    let inside = root.join("agreement.csv");
    assert!(
        run(&["agreement", project, "-o", inside.to_str().expect("path")]).is_err(),
        "never inside a project"
    );
    assert!(run(&["agreement", project, "--unit", "word"]).is_err());
    assert!(run(&["agreement", project, "--coders", "Ingrid Solberg"]).is_err());
    run(&[
        "disagreements",
        project,
        "--code",
        "Organisation/Meeting arenas",
        coders,
    ])
    .expect("disagreements");
    run(&[
        "disagreements",
        project,
        "--code",
        "Organisation",
        "--subcodes",
        "--json",
    ])
    .expect("json");
    assert!(run(&["disagreements", project, "--code", "Nonexistent"]).is_err());
}
