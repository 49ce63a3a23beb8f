//! Agreement benchmarks, printed as figures: the bundled sample study (target: under 100 ms) and a generated
//! project of 50,000 codings by 3 coders over 1,000 documents, character units, 1,000 bootstrap draws (target:
//! under 2 s).
//!
//! `cargo bench --no-default-features --bench agreement`

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use marginalia::analysis::agreement::{AgreementSpec, Measure, UnitKind, agreement, find_coders};
use marginalia::edit::{Edit, Entity};
use marginalia::ids::{CodeId, CoderId, CodingId};
use marginalia::import::document_from_text;
use marginalia::model::{Code, Coder, Coding, Language, Project};
use marginalia::offsets::CharRange;

const DOCUMENTS: usize = 1_000;
const CODES: usize = 20;
const CODERS: usize = 3;
const CODINGS: usize = 50_000;
const RUNS: usize = 5;

/// A small deterministic generator for the bench data.
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

const WORDS: [&str; 10] = [
    "ressursteamet",
    "møtes",
    "annenhver",
    "uke",
    "med",
    "PPT",
    "og",
    "helsesykepleier.",
    "Skolen",
    "har",
];

fn text(rng: &mut Lcg, chars: usize) -> String {
    let mut text = String::with_capacity(chars + 64);
    while text.len() < chars {
        text.push_str(if rng.next().is_multiple_of(2) {
            "Rektor: "
        } else {
            "Intervjuer: "
        });
        for _ in 0..(10 + rng.next() % 40) {
            text.push_str(WORDS[rng.next() % WORDS.len()]);
            text.push(' ');
        }
        text.push('\n');
    }
    text
}

/// 1,000 documents of about 4,000 characters; passages each coded by one to three coders with jittered
/// boundaries (so agreement is neither 0 nor 1), until there are 50,000 codings.
fn generated() -> (Project, Vec<CoderId>) {
    let mut rng = Lcg(11);
    let mut p = Project::new("Bench", Language::Nb);
    let mut edits = Vec::new();
    let codes: Vec<CodeId> = (0..CODES).map(|_| CodeId::new()).collect();
    for (i, id) in codes.iter().enumerate() {
        edits.push(Edit::Put(Entity::Code(Code {
            id: *id,
            name: format!("Code {i}"),
            colour: "#1f77b4".into(),
            description: String::new(),
            parent: None,
            order: i as i64,
        })));
    }
    let coders: Vec<CoderId> = (0..CODERS).map(|_| CoderId::new()).collect();
    for (i, id) in coders.iter().enumerate() {
        edits.push(Edit::Put(Entity::Coder(Coder {
            id: *id,
            name: format!("Coder {i}"),
            colour: None,
        })));
    }
    let mut docs = Vec::new();
    for d in 0..DOCUMENTS {
        let entry = document_from_text(
            &format!("doc {d:04}"),
            "x.txt",
            &text(&mut rng, 4_000),
            None,
        );
        docs.push((entry.document.id, entry.document.char_len));
        edits.push(Edit::Put(Entity::Document(Box::new(entry))));
    }
    let created = marginalia::now();
    let mut made = 0;
    while made < CODINGS {
        let (doc, len) = docs[rng.next() % docs.len()];
        let code = codes[rng.next() % codes.len()];
        let length = 40 + rng.next() % 300;
        let start = rng.next() % (len - length - 40);
        for coder in &coders {
            if made == CODINGS || rng.next().is_multiple_of(4) {
                continue;
            }
            let jitter = rng.next() % 30;
            edits.push(Edit::Put(Entity::Coding(Coding {
                id: CodingId::new(),
                document: doc,
                code,
                range: CharRange::new(start + jitter, (start + length + jitter / 2).min(len)),
                coder: *coder,
                created,
                memo: None,
            })));
            made += 1;
        }
    }
    p.apply(Edit::batch("bench data", edits))
        .expect("bench data applies");
    (p, coders)
}

/// Time this thread spent on a CPU (Linux `schedstat`, nanoseconds): on a shared machine the wall clock also
/// counts time other processes held the cores.
fn cpu_time() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

fn time(label: &str, target: Duration, runs: usize, mut run: impl FnMut() -> usize) {
    let mut walls: Vec<Duration> = Vec::with_capacity(runs);
    let mut cpus: Vec<Duration> = Vec::with_capacity(runs);
    let mut rows = 0;
    for _ in 0..runs {
        let (start, cpu) = (Instant::now(), cpu_time());
        rows = run();
        walls.push(start.elapsed());
        if let (Some(before), Some(after)) = (cpu, cpu_time()) {
            cpus.push(after.saturating_sub(before));
        }
    }
    walls.sort();
    cpus.sort();
    let median = walls[runs / 2];
    let on_cpu = cpus.get(runs / 2).copied().unwrap_or(median);
    let verdict = if median < target {
        "ok"
    } else if on_cpu < target {
        "ok on CPU"
    } else {
        "SLOW"
    };
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{label:<60} median {:>7.1} ms  min {:>7.1} ms  on CPU {:>7.1} ms  ({rows} rows; target {} ms) {verdict}",
        ms(median),
        ms(walls[0]),
        ms(on_cpu),
        target.as_millis()
    );
}

fn sample() {
    let dir =
        std::env::temp_dir().join(format!("marginalia-agreement-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    marginalia::sample::build(&dir).expect("sample builds");
    let ws = marginalia::Workspace::open_read_only(&dir).expect("sample opens");
    let p = ws.project();
    let coders = find_coders(p, &["Ingrid Solberg".into(), "Tobias Lunde".into()]).expect("coders");
    let target = Duration::from_millis(100);
    for (label, measures) in [
        (
            "sample study, chars, percent/kappa/alpha, 1,000 draws",
            Measure::DEFAULT.to_vec(),
        ),
        (
            "sample study, chars, all measures incl. uα, 1,000 draws",
            Measure::ALL.to_vec(),
        ),
    ] {
        let spec = AgreementSpec {
            coders: coders.clone(),
            measures,
            ..AgreementSpec::default()
        };
        time(label, target, RUNS, || {
            agreement(p, &spec).map_or(0, |r| r.rows.len())
        });
    }
    let turns = AgreementSpec {
        coders: coders.clone(),
        unit: UnitKind::Turn,
        ..AgreementSpec::default()
    };
    time(
        "sample study, turns, percent/kappa/alpha, 1,000 draws",
        target,
        RUNS,
        || agreement(p, &turns).map_or(0, |r| r.rows.len()),
    );
    drop(ws);
    let _ = std::fs::remove_dir_all(&dir);
}

fn main() {
    sample();
    let start = Instant::now();
    let (p, coders) = generated();
    println!(
        "data: {} documents, {} codes, {} coders, {} codings, built in {:.1} s",
        p.documents().len(),
        p.codes().len(),
        p.coders().len(),
        p.codings().len(),
        start.elapsed().as_secs_f64()
    );
    let target = Duration::from_secs(2);
    for (label, measures) in [
        (
            "generated, chars, percent/kappa/alpha, 1,000 draws",
            Measure::DEFAULT.to_vec(),
        ),
        (
            "generated, chars, all measures incl. uα, 1,000 draws",
            Measure::ALL.to_vec(),
        ),
        (
            "generated, unitized α only (uα, |uα, cuα), 1,000 draws",
            vec![Measure::UAlpha],
        ),
    ] {
        let spec = AgreementSpec {
            coders: coders.clone(),
            measures,
            ..AgreementSpec::default()
        };
        time(label, target, 3, || {
            agreement(&p, &spec).map_or(0, |r| r.rows.len())
        });
    }
}
