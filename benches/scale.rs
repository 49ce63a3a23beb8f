//! Scale benchmark: a Storting-like corpus (many speeches, paragraph-structured, some with speaker turns, real
//! Norwegian vocabulary, each speech in bokmål or nynorsk) imported and indexed by Marginalia and, in the same
//! run on the same text, by a bare tantivy writer (one stemmed text field with positions, one document per
//! paragraph) as the yardstick.
//! Prints both figures and their ratio, since the machine is shared and noisy.
//!
//! `cargo bench --bench scale` (35,000 documents, about 400 MB) or `cargo bench --bench scale -- --quick`
//! (2,000 documents, for smoke runs); `MARGINALIA_SCALE_DOCS` sets the count; `MARGINALIA_SCALE_KEEP=DIR` keeps
//! the corpus, the yardstick and the project in DIR (an empty or new directory) instead of a temporary one.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use marginalia::import::{self, ImportOptions};
use marginalia::index::SearchIndex;
use marginalia::model::Language;
use marginalia::{Workspace, query};
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, Stemmer, TextAnalyzer};
use tantivy::{Index, TantivyDocument, doc};

/// A small deterministic random generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    /// Zipf-like: low ranks far more often, like words in real text.
    fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((n as f64).powf(u) as usize).saturating_sub(1).min(n - 1)
    }
}

/// Words of the bundled sample corpus and the study's seed documents, most frequent first: one list for the
/// bokmål texts, one for the nynorsk ones (each file counted in the language Marginalia detects for it; English
/// field notes are left out, as the Storting speaks Norwegian).
fn vocabularies() -> (Vec<String>, Vec<String>) {
    let mut counts: [std::collections::HashMap<String, usize>; 2] = Default::default();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in [root.join("sample_corpus"), root.join("../shared/seeds")] {
        let mut stack = vec![dir];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "txt" || e == "md") {
                    files.push(path);
                }
            }
        }
    }
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let slot = match import::language::detect(&text) {
            Some(Language::Nb) => 0,
            Some(Language::Nn) => 1,
            _ => continue,
        };
        for word in text.split_whitespace() {
            let word = word.trim_matches(|c: char| !c.is_alphanumeric());
            if word.chars().count() > 1 && !word.contains(':') {
                *counts[slot].entry(word.to_lowercase()).or_default() += 1;
            }
        }
    }
    let [nb, nn] = counts.map(|counts| {
        let mut words: Vec<(String, usize)> = counts.into_iter().collect();
        words.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        words.into_iter().map(|(w, _)| w).collect::<Vec<_>>()
    });
    (nb, nn)
}

/// The share of speeches in nynorsk, in percent (roughly the Storting's).
const NYNORSK_PERCENT: usize = 15;

const SPEAKERS: [&str; 6] = [
    "Presidenten",
    "Statsråd Kari Nordmann",
    "Representanten Ola Berg",
    "Tobias Lunde (Sp)",
    "Ingrid Solberg (H)",
    "Statsministeren",
];

/// One speech: 2–12 paragraphs; one in five is a debate exchange with speaker turns.
fn speech(rng: &mut Rng, words: &[String], target: usize) -> String {
    let turns = rng.below(5) == 0;
    let mut text = String::with_capacity(target + 512);
    while text.len() < target {
        if turns {
            text.push_str(SPEAKERS[rng.below(SPEAKERS.len())]);
            text.push_str(": ");
        }
        let sentences = 2 + rng.below(6);
        for _ in 0..sentences {
            let n = 6 + rng.below(22);
            for i in 0..n {
                let word = &words[rng.zipf(words.len())];
                if i == 0 {
                    let mut chars = word.chars();
                    if let Some(first) = chars.next() {
                        text.extend(first.to_uppercase());
                        text.push_str(chars.as_str());
                    }
                } else {
                    text.push(' ');
                    text.push_str(word);
                }
            }
            text.push_str(". ");
        }
        text.push_str("\n\n");
    }
    text
}

fn write_corpus(dir: &Path, docs: usize) -> (Vec<PathBuf>, usize) {
    let (bokmal, nynorsk) = vocabularies();
    assert!(
        !bokmal.is_empty() && !nynorsk.is_empty(),
        "the sample corpus has bokmål and nynorsk texts"
    );
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    std::fs::create_dir_all(dir).expect("corpus dir");
    let mut bytes = 0;
    let files = (0..docs)
        .map(|i| {
            let size = 3_000 + rng.below(17_000);
            // Each speech in one written standard, as in the Storting.
            let words = if rng.below(100) < NYNORSK_PERCENT {
                &nynorsk
            } else {
                &bokmal
            };
            let text = speech(&mut rng, words, size);
            bytes += text.len();
            let path = dir.join(format!("innlegg_{i:05}.txt"));
            std::fs::write(&path, text).expect("write");
            path
        })
        .collect();
    (files, bytes)
}

fn dir_size(dir: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            match entry.metadata() {
                Ok(m) if m.is_dir() => stack.push(path),
                Ok(m) => total += m.len(),
                Err(_) => {}
            }
        }
    }
    total
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1000.0
}

/// Resident memory of this process in bytes (Linux), for "memory after open".
fn rss() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse::<u64>().ok())
            })
        })
        .map_or(0, |kb| kb * 1024)
}

/// CPU time of this process so far (user + system, every thread), from `/proc/self/stat`: on a shared machine
/// the ratio of CPU times is steadier than the ratio of wall times.
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

/// The yardstick: bare tantivy, one stemmed field with positions (and stored, to fetch hits).
struct Yardstick {
    index: Index,
    field: tantivy::schema::Field,
}

impl Yardstick {
    fn build(dir: &Path, files: &[PathBuf]) -> (Self, Duration) {
        let start = Instant::now();
        let mut schema = Schema::builder();
        let options = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("nb")
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        ) | STORED;
        let field = schema.add_text_field("text", options);
        std::fs::create_dir_all(dir).expect("dir");
        let index = Index::create_in_dir(dir, schema.build()).expect("index");
        index.tokenizers().register(
            "nb",
            TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(LowerCaser)
                .filter(Stemmer::new(tantivy::tokenizer::Language::Norwegian))
                .build(),
        );
        let mut writer = index
            .writer_with_num_threads(2, 256 * 1024 * 1024)
            .expect("writer");
        for path in files {
            let text = std::fs::read_to_string(path).expect("read");
            for paragraph in text.split("\n\n").filter(|p| !p.trim().is_empty()) {
                writer.add_document(doc!(field => paragraph)).expect("add");
            }
        }
        writer.commit().expect("commit");
        (Self { index, field }, start.elapsed())
    }

    fn search(&self, text: &str) -> Vec<TantivyDocument> {
        let reader = self.index.reader().expect("reader");
        let searcher = reader.searcher();
        let parser = QueryParser::for_index(&self.index, vec![self.field]);
        let Ok(query) = parser.parse_query(text) else {
            return Vec::new();
        };
        let top = searcher
            .search(&query, &TopDocs::with_limit(50).order_by_score())
            .unwrap_or_default();
        top.into_iter()
            .filter_map(|(_, address)| searcher.doc(address).ok())
            .collect()
    }
}

const QUERIES: [(&str, &str); 8] = [
    ("skole", "skole"),
    ("ressurser", "ressurser"),
    ("\"psykisk helse\"", "\"psykisk helse\""),
    ("samarbeid*", "samarbeid*"),
    ("barn AND skole", "+barn +skole"),
    ("kommune NOT stat", "+kommune -stat"),
    ("speaker:presidenten kommune", "kommune"),
    ("helse lærer", "+helse +lærer"),
];

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let docs = std::env::var("MARGINALIA_SCALE_DOCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if quick { 2_000 } else { 35_000 });
    // `MARGINALIA_SCALE_KEEP=DIR` builds everything in DIR and leaves it there (to profile `stats` on it).
    let keep = std::env::var_os("MARGINALIA_SCALE_KEEP").map(PathBuf::from);
    let tmp = tempfile::tempdir().expect("tempdir");
    let base = keep.unwrap_or_else(|| tmp.path().to_path_buf());
    let (files, bytes) = write_corpus(&base.join("corpus"), docs);
    let mb = bytes as f64 / 1_048_576.0;
    println!("corpus: {docs} speeches, {mb:.0} MB of text");

    let cpu_before = cpu();
    let (yardstick, bare) = Yardstick::build(&base.join("bare"), &files);
    let bare_cpu = cpu() - cpu_before;
    let bare_size = dir_size(&base.join("bare"));

    let root = base.join("project");
    let cpu_before = cpu();
    let start = Instant::now();
    let mut ws = Workspace::create(&root, "Scale", Language::Nb).expect("create");
    let corpus = vec![base.join("corpus")];
    let (edit, report) = import::import_files(
        ws.project(),
        &corpus,
        &ImportOptions::default(),
        |_, _, _| {},
    );
    ws.apply(edit.expect("something imported")).expect("apply");
    let parsed = start.elapsed();
    let parsed_cpu = cpu() - cpu_before;
    // As `marginalia import` does: the index is brought up to date while the save's files reach the disk.
    let index_dir = ws.index_dir();
    let index = ws
        .save_alongside(|project| {
            let mut index = SearchIndex::open_or_create(&index_dir, Language::Nb)?;
            index.sync(project)?;
            Ok::<_, marginalia::Error>(index)
        })
        .expect("save")
        .expect("index");
    let ours = start.elapsed();
    let ours_cpu = cpu() - cpu_before;
    println!(
        "  (CPU: read + model {:.2} s, save and index side by side {:.2} s)",
        parsed_cpu.as_secs_f64(),
        (ours_cpu - parsed_cpu).as_secs_f64()
    );
    // Language detection alone, on the same texts (its share of the import).
    let texts: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).expect("read"))
        .collect();
    let detect_before = cpu();
    let detect_start = Instant::now();
    for text in &texts {
        std::hint::black_box(import::language::detect(text));
    }
    println!(
        "  language detection alone: {:.2} s CPU ({:.2} s wall), {:.0} % of ours",
        (cpu() - detect_before).as_secs_f64(),
        detect_start.elapsed().as_secs_f64(),
        100.0 * (cpu() - detect_before).as_secs_f64() / ours_cpu.as_secs_f64().max(1e-6)
    );
    drop(texts);
    println!(
        "  (read + model {:.1} s, save and index {:.1} s)",
        parsed.as_secs_f64(),
        (ours - parsed).as_secs_f64()
    );
    println!(
        "  CPU time: ours {:.1} s, yardstick {:.1} s, ratio {:.2} (steadier than wall time on a shared machine)",
        ours_cpu.as_secs_f64(),
        bare_cpu.as_secs_f64(),
        bare_cpu.as_secs_f64() / ours_cpu.as_secs_f64().max(1e-6)
    );
    let ours_size = dir_size(&ws.index_dir());
    println!(
        "import + index until searchable and saved: {:.1} s ({:.1} MB/s)  yardstick {:.1} s ({:.1} MB/s)  throughput ratio {:.2}",
        ours.as_secs_f64(),
        mb / ours.as_secs_f64(),
        bare.as_secs_f64(),
        mb / bare.as_secs_f64(),
        bare.as_secs_f64() / ours.as_secs_f64()
    );
    println!(
        "index size: {:.0} MB  yardstick {:.0} MB  ratio {:.2}  ({} documents imported, {} units)",
        ours_size as f64 / 1_048_576.0,
        bare_size as f64 / 1_048_576.0,
        ours_size as f64 / bare_size.max(1) as f64,
        report.imported.len(),
        index.unit_count()
    );

    let mut ours_times = Vec::new();
    let mut bare_times = Vec::new();
    for round in 0..12 {
        for (q, bare_q) in QUERIES {
            let t = Instant::now();
            std::hint::black_box(query::search(&index, ws.project(), q, Some(50)).expect("search"));
            let o = t.elapsed();
            let t = Instant::now();
            std::hint::black_box(yardstick.search(bare_q));
            let b = t.elapsed();
            if round > 1 {
                ours_times.push(o);
                bare_times.push(b);
            }
        }
    }
    ours_times.sort();
    bare_times.sort();
    println!(
        "search top 50 with snippets: p50 {:.2} ms, p99 {:.2} ms  yardstick (top 50, stored fetch) p50 {:.2} ms, p99 {:.2} ms  ratio p50 {:.1}, p99 {:.1}",
        percentile(&ours_times, 0.5),
        percentile(&ours_times, 0.99),
        percentile(&bare_times, 0.5),
        percentile(&bare_times, 0.99),
        percentile(&ours_times, 0.5) / percentile(&bare_times, 0.5).max(1e-6),
        percentile(&ours_times, 0.99) / percentile(&bare_times, 0.99).max(1e-6),
    );
    drop(index);
    drop(ws);

    let t = Instant::now();
    let ws = Workspace::open_read_only(&root).expect("open");
    println!(
        "open (read-only, in process): {:.2} s; process memory now {:.0} MB",
        t.elapsed().as_secs_f64(),
        rss() as f64 / 1_048_576.0
    );
    drop(ws);
    let t = Instant::now();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_marginalia"))
        .arg("stats")
        .arg(&root)
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("stats runs");
    let status = format!("/proc/{}/status", child.id());
    let mut peak = 0u64;
    let ok = loop {
        if let Some(kb) = std::fs::read_to_string(&status).ok().and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        }) {
            peak = peak.max(kb * 1024);
        }
        if let Ok(Some(exit)) = child.try_wait() {
            break exit.success();
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    assert!(ok);
    println!(
        "CLI `stats`: {:.2} s wall, peak memory ≥ {:.0} MB sampled ({:.2}× the corpus)",
        t.elapsed().as_secs_f64(),
        peak as f64 / 1_048_576.0,
        peak as f64 / bytes as f64
    );
}
