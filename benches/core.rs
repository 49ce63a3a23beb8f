//! Core benchmarks, printed as figures: import + index throughput, search latency p50/p99, project open time.
//!
//! `cargo bench --bench core` (set `MARGINALIA_BENCH_MB` to change the corpus size; default 100 MB).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::time::{Duration, Instant};

use marginalia::edit::{Edit, Entity};
use marginalia::ids::CodingId;
use marginalia::index::SearchIndex;
use marginalia::model::{Coding, Language};
use marginalia::offsets::CharRange;
use marginalia::{Workspace, import, ops, query};

/// A small deterministic random generator (no dependency needed for bench data).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<'a>(&mut self, words: &'a [String]) -> &'a str {
        &words[(self.next() as usize) % words.len()]
    }
}

/// Words from the bundled sample corpus, so the generated text has real Norwegian vocabulary.
fn vocabulary() -> Vec<String> {
    let mut words = Vec::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_corpus");
    for group in std::fs::read_dir(root).into_iter().flatten().flatten() {
        for file in std::fs::read_dir(group.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            if file.path().extension().is_some_and(|e| e == "txt") {
                let text = std::fs::read_to_string(file.path()).unwrap_or_default();
                words.extend(text.split_whitespace().map(str::to_string));
            }
        }
    }
    if words.is_empty() {
        words = "ressursteamet møtes annenhver uke med PPT og helsesykepleier"
            .split(' ')
            .map(String::from)
            .collect();
    }
    words
}

/// A transcript of about `bytes` bytes with speaker turns.
fn transcript(rng: &mut Lcg, words: &[String], bytes: usize) -> String {
    let speakers = [
        "Intervjuer",
        "Rektor",
        "Lærer 2",
        "PPT-rådgiver",
        "Helsesykepleier",
    ];
    let mut text = String::with_capacity(bytes + 256);
    while text.len() < bytes {
        let speaker = speakers[(rng.next() as usize) % speakers.len()];
        text.push_str(speaker);
        text.push_str(": ");
        for _ in 0..(20 + rng.next() % 120) {
            text.push_str(rng.pick(words));
            text.push(' ');
        }
        text.push_str("\n\n");
    }
    text
}

/// CPU time of this process so far (user + system, every thread), from `/proc/self/stat` (Linux; zero
/// elsewhere): on a shared, loaded machine CPU time is steadier than wall time.
fn cpu() -> Duration {
    let ticks = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let after = s.rsplit_once(')')?.1.to_string();
            let fields: Vec<&str> = after.split_whitespace().collect();
            Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
        })
        .unwrap_or(0);
    Duration::from_millis(ticks * 10)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let megabytes: usize = std::env::var("MARGINALIA_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let tmp = tempfile::tempdir().expect("tempdir");
    let words = vocabulary();
    let mut rng = Lcg(42);

    // Import + index.
    let doc_bytes = 200 * 1024;
    let count = (megabytes * 1024 * 1024).div_ceil(doc_bytes);
    let texts: Vec<String> = (0..count)
        .map(|_| transcript(&mut rng, &words, doc_bytes))
        .collect();
    let total_bytes: usize = texts.iter().map(String::len).sum();
    let mb = total_bytes as f64 / 1_048_576.0;
    let dir = tmp.path().join("big");
    let mut ws = Workspace::create(&dir, "Bench", Language::Nb).expect("create");
    let cpu_start = cpu();
    let start = Instant::now();
    let edits: Vec<Edit> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let entry = import::document_from_text(&format!("intervju {i}"), "x.txt", t, None);
            Edit::Put(Entity::Document(Box::new(entry)))
        })
        .collect();
    let parsed = start.elapsed();
    let parsed_cpu = cpu() - cpu_start;
    ws.apply(Edit::batch("import", edits)).expect("apply");
    ws.save().expect("save");
    let stored = start.elapsed();
    let mut index = SearchIndex::open_or_create(&ws.index_dir(), Language::Nb).expect("index");
    index.sync(ws.project()).expect("sync");
    let indexed = start.elapsed();
    let indexed_cpu = cpu() - cpu_start;
    println!(
        "corpus: {count} documents, {mb:.1} MB of text, {} indexed passages",
        index.unit_count()
    );
    println!(
        "import (decode, turns, model):     {:>7.1} MB/s",
        mb / parsed.as_secs_f64()
    );
    println!(
        "import + save (atomic files):      {:>7.1} MB/s",
        mb / stored.as_secs_f64()
    );
    println!(
        "import + save + index (total):     {:>7.1} MB/s  ({:.1} s)",
        mb / indexed.as_secs_f64(),
        indexed.as_secs_f64()
    );
    println!(
        "  CPU time: import {:.1} s ({:.1} MB per CPU-second), import + save + index {:.1} s ({:.1} MB per CPU-second)",
        parsed_cpu.as_secs_f64(),
        mb / parsed_cpu.as_secs_f64().max(1e-6),
        indexed_cpu.as_secs_f64(),
        mb / indexed_cpu.as_secs_f64().max(1e-6)
    );
    // Language detection (issue 14) alone, on the same texts: its share of the import step above.
    let cpu_before = cpu();
    for text in &texts {
        std::hint::black_box(import::language::detect(text));
    }
    let detection = cpu() - cpu_before;
    println!(
        "language detection alone:          {:>7.2} CPU-s ({:.1} % of import, {:.1} % of import + save + index)",
        detection.as_secs_f64(),
        100.0 * detection.as_secs_f64() / parsed_cpu.as_secs_f64().max(1e-6),
        100.0 * detection.as_secs_f64() / indexed_cpu.as_secs_f64().max(1e-6)
    );

    // Search latency.
    let queries = [
        "ressurs",
        "ressursteamet",
        "\"felles mål\"",
        "lærer~1",
        "helsesyke*",
        "ressurs AND møte",
        "budsjett OR kutt",
        "ressurs NOT korona",
        "speaker:rektor ressurs",
        "kind:interview samarbeid",
    ];
    let mut times = Vec::new();
    for round in 0..30 {
        for q in queries {
            let t = Instant::now();
            let results = query::search(&index, ws.project(), q, Some(20)).expect("search");
            if round > 0 {
                times.push(t.elapsed());
            }
            std::hint::black_box(results);
        }
    }
    times.sort();
    println!(
        "search (top 20, snippets) over {mb:.0} MB: p50 {:.2} ms, p99 {:.2} ms ({} queries)",
        percentile(&times, 0.5).as_secs_f64() * 1000.0,
        percentile(&times, 0.99).as_secs_f64() * 1000.0,
        times.len()
    );
    drop(index);
    drop(ws);

    // Open time: 1,000 documents and 50,000 codings.
    let dir = tmp.path().join("open");
    let mut ws = Workspace::create(&dir, "Open", Language::Nb).expect("create");
    let edits: Vec<Edit> = (0..1000)
        .map(|i| {
            let text = transcript(&mut rng, &words, 20 * 1024);
            Edit::Put(Entity::Document(Box::new(import::document_from_text(
                &format!("d{i}"),
                "d.txt",
                &text,
                None,
            ))))
        })
        .collect();
    ws.apply(Edit::batch("docs", edits)).expect("docs");
    let scratch = ws.project().clone();
    let mut draft = ops::Draft::new(&scratch);
    let codes: Vec<_> = (0..100)
        .map(|i| ops::add_code(&mut draft, &format!("Code {i}"), None, None, ""))
        .collect();
    let coders: Vec<_> = ["Ingrid", "Tobias"]
        .into_iter()
        .map(|name| ops::ensure_coder(&mut draft, name))
        .collect();
    let mut edits = vec![draft.finish("codes and coders")];
    let docs: Vec<_> = scratch
        .documents()
        .values()
        .map(|d| (d.id, d.char_len))
        .collect();
    for i in 0..50_000usize {
        let (doc, len) = docs[i % docs.len()];
        let start = (rng.next() as usize) % (len - 200);
        edits.push(Edit::Put(Entity::Coding(Coding {
            id: CodingId::new(),
            document: doc,
            code: codes[i % codes.len()],
            range: CharRange::new(start, start + 20 + (rng.next() as usize) % 180),
            coder: coders[i % 2],
            created: marginalia::now(),
            memo: None,
        })));
    }
    ws.apply(Edit::batch("codings", edits)).expect("codings");
    ws.save().expect("save");
    drop(ws);
    let mut opens = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let ws = Workspace::open(&dir).expect("open");
        opens.push(t.elapsed());
        std::hint::black_box(ws.project().codings().len());
    }
    opens.sort();
    println!(
        "open 1,000 documents + 50,000 codings: median {:.0} ms",
        percentile(&opens, 0.5).as_secs_f64() * 1000.0
    );
}
