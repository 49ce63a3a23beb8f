//! Analysis benchmarks, printed as figures: code × case matrices and co-occurrence for 100 codes × 100 cases
//! over 50,000 codings (target: under 100 ms each).
//!
//! `cargo bench --no-default-features --bench analysis`

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use marginalia::analysis::cooccurrence::{CooccurrenceSpec, Proximity, cooccurrence};
use marginalia::analysis::matrix::{Columns, MatrixSpec, Value, matrix};
use marginalia::edit::{Edit, Entity};
use marginalia::ids::{CaseId, CodeId, CoderId, CodingId};
use marginalia::import::document_from_text;
use marginalia::model::{
    AttributeDef, AttributeType, AttributeValue, Case, Code, Coder, Coding, Language, Project,
};
use marginalia::offsets::CharRange;

const CODES: usize = 100;
const CASES: usize = 100;
const DOCS_PER_CASE: usize = 2;
const CODINGS: usize = 50_000;
const RUNS: usize = 7;

/// A small deterministic random generator (no dependency needed for bench data).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
}

const WORDS: [&str; 12] = [
    "ressursteamet",
    "møtes",
    "annenhver",
    "uke",
    "med",
    "PPT",
    "og",
    "helsesykepleier",
    "skolen",
    "har",
    "lite",
    "ressurser",
];

/// A transcript of about `chars` characters with speaker turns.
fn transcript(rng: &mut Lcg, chars: usize) -> String {
    let speakers = ["Intervjuer", "Rektor", "Lærer", "Helsesykepleier"];
    let mut text = String::with_capacity(chars + 256);
    while text.len() < chars {
        text.push_str(speakers[rng.next() % speakers.len()]);
        text.push_str(": ");
        for _ in 0..(20 + rng.next() % 60) {
            text.push_str(WORDS[rng.next() % WORDS.len()]);
            text.push(' ');
        }
        text.push_str("\n\n");
    }
    text
}

fn project() -> Project {
    let mut rng = Lcg(7);
    let mut p = Project::new("Bench", Language::Nb);
    let mut edits = Vec::new();
    edits.push(Edit::Put(Entity::Attribute(AttributeDef {
        name: "group".into(),
        kind: AttributeType::Text,
    })));
    let mut codes: Vec<CodeId> = Vec::new();
    let mut parent = None;
    for i in 0..CODES {
        let id = CodeId::new();
        let top = i % 10 == 0;
        if top {
            parent = Some(id);
        }
        edits.push(Edit::Put(Entity::Code(Code {
            id,
            name: format!("Code {i}"),
            colour: "#1f77b4".into(),
            description: String::new(),
            parent: if top { None } else { parent },
            order: i as i64,
        })));
        codes.push(id);
    }
    let coders: Vec<CoderId> = (0..2).map(|_| CoderId::new()).collect();
    for (i, id) in coders.iter().enumerate() {
        edits.push(Edit::Put(Entity::Coder(Coder {
            id: *id,
            name: format!("Coder {i}"),
            colour: None,
        })));
    }
    let mut docs = Vec::new();
    for c in 0..CASES {
        let mut members = BTreeSet::new();
        for d in 0..DOCS_PER_CASE {
            let text = transcript(&mut rng, 20_000);
            let entry = document_from_text(&format!("case {c} doc {d}"), "x.txt", &text, None);
            members.insert(entry.document.id);
            docs.push((entry.document.id, entry.document.char_len));
            edits.push(Edit::Put(Entity::Document(Box::new(entry))));
        }
        let group = if c % 2 == 0 { "LOG" } else { "control" };
        edits.push(Edit::Put(Entity::Case(Case {
            id: CaseId::new(),
            name: format!("School {c}"),
            description: String::new(),
            attributes: BTreeMap::from([("group".into(), AttributeValue::Text(group.into()))]),
            documents: members,
        })));
    }
    let created = marginalia::now();
    for _ in 0..CODINGS {
        let (doc, len) = docs[rng.next() % docs.len()];
        let length = 50 + rng.next() % 350;
        let start = rng.next() % (len - length);
        edits.push(Edit::Put(Entity::Coding(Coding {
            id: CodingId::new(),
            document: doc,
            code: codes[rng.next() % codes.len()],
            range: CharRange::new(start, start + length),
            coder: coders[rng.next() % coders.len()],
            created,
            memo: None,
        })));
    }
    p.apply(Edit::batch("bench data", edits))
        .expect("bench data applies");
    p
}

fn time(label: &str, mut run: impl FnMut() -> usize) {
    let mut times: Vec<Duration> = Vec::with_capacity(RUNS);
    let mut size = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        size = run();
        times.push(start.elapsed());
    }
    times.sort();
    let median = times[RUNS / 2];
    let verdict = if median.as_millis() < 100 {
        "ok"
    } else {
        "SLOW"
    };
    println!(
        "{label:<48} median {:>7.1} ms  min {:>7.1} ms  ({size} cells) {verdict}",
        median.as_secs_f64() * 1000.0,
        times[0].as_secs_f64() * 1000.0
    );
}

fn main() {
    let start = Instant::now();
    let p = project();
    println!(
        "data: {} codes × {} cases ({} documents), {} codings, built in {:.1} s",
        p.codes().len(),
        p.cases().len(),
        p.documents().len(),
        p.codings().len(),
        start.elapsed().as_secs_f64()
    );
    let cells = |rows: usize, cols: usize| rows * cols;
    for (label, spec) in [
        ("matrix codes × cases, codings", MatrixSpec::default()),
        (
            "matrix codes × cases, coded characters",
            MatrixSpec {
                value: Value::Characters,
                ..MatrixSpec::default()
            },
        ),
        (
            "matrix codes (with sub-codes) × cases, share",
            MatrixSpec {
                include_subcodes: true,
                value: Value::Share,
                ..MatrixSpec::default()
            },
        ),
        (
            "matrix codes × attr:group, codings",
            MatrixSpec {
                columns: Columns::Attribute("group".into()),
                ..MatrixSpec::default()
            },
        ),
        (
            "matrix codes × speakers, characters",
            MatrixSpec {
                columns: Columns::Speakers,
                value: Value::Characters,
                ..MatrixSpec::default()
            },
        ),
    ] {
        time(label, || {
            let m = matrix(&p, &spec).expect("matrix");
            cells(m.rows.len(), m.columns.len())
        });
    }
    for (label, proximity, jaccard) in [
        ("co-occurrence overlap", Proximity::Overlap, false),
        (
            "co-occurrence within 100 chars, Jaccard",
            Proximity::Within(100),
            true,
        ),
        ("co-occurrence same turn", Proximity::SameTurn, false),
        (
            "co-occurrence same paragraph",
            Proximity::SameParagraph,
            false,
        ),
    ] {
        let spec = CooccurrenceSpec {
            proximity,
            jaccard,
            ..CooccurrenceSpec::default()
        };
        time(label, || {
            let t = cooccurrence(&p, &spec).expect("cooccurrence");
            cells(t.codes.len(), t.codes.len())
        });
    }
}
