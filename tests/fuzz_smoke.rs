//! A seeded mutation fuzzer (stable Rust, no extra crates) over every importer, the REFI-QDA readers, the
//! project loader and the query parser. Each call runs under `catch_unwind`; a panic or a call slower than a
//! few seconds is a failure that prints the target, seed and iteration and writes the input to
//! `target/fuzz-failures/`. The default run is deterministic and short; `MARGINALIA_FUZZ_ITERS` (inputs per
//! target), `MARGINALIA_FUZZ_SECONDS` (whole budget), `MARGINALIA_FUZZ_SEED`, `MARGINALIA_FUZZ_ONLY` (targets
//! whose name contains it) and `MARGINALIA_FUZZ_KEEP_LAST=1` (write each input before running it) make longer
//! campaigns; `.ci/fuzz-long` runs one in release mode. A target's inputs depend only on the seed, so an abort
//! (stack overflow, failed allocation) is replayed by running that target alone with the same seed and
//! `MARGINALIA_FUZZ_KEEP_LAST=1`: the input that aborts is then in `target/fuzz-failures/last_…`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::cell::RefCell;
use std::io::{Cursor, Read, Write};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use marginalia::import::formats::survey::{Per, SurveyOptions, import_survey_bytes};
use marginalia::model::{Language, Project};

// ---------------------------------------------------------------- random numbers

/// xorshift64*: small, fast and the same on every platform.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A stable hash of a name (FNV-1a), to give each target its own seed.
fn hash(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

// ---------------------------------------------------------------- configuration

struct Config {
    iterations: Option<usize>,
    budget: Duration,
    seed: u64,
    slow: Duration,
    only: Option<String>,
    keep_last: bool,
}

impl Config {
    fn from_env() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let number = |name: &str| var(name).and_then(|v| v.parse::<u64>().ok());
        Self {
            iterations: number("MARGINALIA_FUZZ_ITERS").map(|n| n as usize),
            budget: Duration::from_secs(number("MARGINALIA_FUZZ_SECONDS").unwrap_or(75)),
            seed: number("MARGINALIA_FUZZ_SEED").unwrap_or(0x5EED_2026),
            slow: Duration::from_millis(number("MARGINALIA_FUZZ_SLOW_MS").unwrap_or(5_000)),
            only: var("MARGINALIA_FUZZ_ONLY"),
            keep_last: var("MARGINALIA_FUZZ_KEEP_LAST").is_some_and(|v| v != "0"),
        }
    }
}

fn failures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-failures")
}

// ---------------------------------------------------------------- targets and seeds

/// What a target calls.
#[derive(Clone)]
enum Call {
    /// `import::read_bytes` for a file of this extension.
    Document(String),
    /// `import_survey_bytes` for a table of this extension.
    Survey(String),
    Qdpx,
    Qdc,
    /// `store::load` on a project folder whose files (relative path, original bytes) are mutated one at a time.
    Project(PathBuf, Vec<(PathBuf, Vec<u8>)>),
    Query,
}

struct Target {
    name: String,
    call: Call,
    seeds: Vec<Vec<u8>>,
    /// The seeds are zip archives whose entries are mutated too.
    zip: bool,
    tokens: &'static [&'static str],
    iterations: usize,
}

const NUMBERS: &[&str] = &[
    "0",
    "-1",
    "1",
    "65535",
    "2147483647",
    "-2147483648",
    "4294967295",
    "4294967296",
    "18446744073709551615",
    "99999999999999999999999",
    "1e308",
    "NaN",
];

const XML: &[&str] = &[
    "<",
    ">",
    "</",
    "/>",
    "<w:p>",
    "</w:p>",
    "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
    "<w:r><w:rPr><w:b/></w:rPr><w:t>Rektor:</w:t></w:r>",
    "<w:footnoteReference w:id=\"1\"/>",
    "&#0;",
    "&amp;",
    "&#x10FFFF;",
    "<![CDATA[",
    "<!DOCTYPE x [<!ENTITY a \"aaaaaaaa\">]>",
    "&a;",
    "<text:s text:c=\"4294967295\"/>",
    "table:number-columns-repeated=\"16384\"",
    "table:number-rows-repeated=\"1048576\"",
    "<table:table-cell office:value-type=\"string\"><text:p>x</text:p></table:table-cell>",
    "<c r=\"XFD1048576\" t=\"inlineStr\"><is><t>x</t></is></c>",
    "<dimension ref=\"A1:XFD1048576\"/>",
    "uniqueCount=\"4294967295\"",
    "<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>n</text:p></text:note-body></text:note>",
];

const PDF: &[&str] = &[
    "<<",
    ">>",
    "[",
    "]",
    " 0 R ",
    "/Filter /FlateDecode ",
    "/Filter [/ASCII85Decode /LZWDecode] ",
    "/DecodeParms << /Predictor 12 /Columns 4294967295 >> ",
    "/Parent 3 0 R ",
    "/XObject << /X 4 0 R >> ",
    " /X Do ",
    "stream\n",
    "endstream",
    "/Type /ObjStm /N 5 /First 0 ",
    "/Type /XRef /W [1 8 1] ",
    "/Length 4294967295 ",
    "BT /F1 12 Tf (x) Tj ET ",
    "/Kids [3 0 R 3 0 R 3 0 R] ",
    "/Encrypt 9 0 R ",
    "(((((((((((",
];

const RTF: &[&str] = &[
    "{",
    "}",
    "\\par ",
    "\\u-1?",
    "\\u65535?",
    "\\'ff",
    "\\bin4294967295 ",
    "{\\*\\x ",
    "\\uc4294967295 ",
    "{\\fonttbl{\\f0 x;}}",
    "\\f4294967295 ",
    "\\ansicpg4294967295 ",
    "{\\header x}",
];

const HTML: &[&str] = &[
    "<table><tr><td>",
    "</td></tr></table>",
    "<script>",
    "</script>",
    "<!--",
    "-->",
    "&#x10FFFF;",
    "&#0;",
    "<p>",
    "<br>",
    "<svg>",
    "<li>",
    "<h1>",
    "&amp",
    "<![CDATA[",
    "<",
];

const CAPTIONS: &[&str] = &[
    "-->",
    " --> ",
    "<v Rektor>",
    "</v>",
    "00:00:00.000",
    "99:99:99,999",
    "\n\n",
    "WEBVTT\n\n",
    "NOTE ",
    "Rektor: ",
    "1\n",
    "<b>",
    "<c.x>",
    "&amp;",
];

const TEXT: &[&str] = &[
    "\n\n",
    "Rektor: ",
    "Intervjuer: ",
    "\r\n",
    "\u{feff}",
    "\u{fffd}",
    "\0",
    "# ",
    "**",
    "[x](y)",
    "```",
    "\u{202e}",
    "\t",
];

const CSV: &[&str] = &[",", ";", "\t", "\"", "\n", "\"\"", ",,,,,,", "\r\n", "R01"];

const RON: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "\"",
    ",",
    ":",
    "Some(",
    "None",
    "r#\"",
    "((((((((((((((((",
    "\\u{0}",
    "id: \"00000000-0000-0000-0000-000000000000\",",
];

const QUERY: &[&str] = &[
    "(",
    ")",
    "\"",
    "AND ",
    "OR ",
    "NOT ",
    "-",
    "*",
    "~",
    "~9",
    "code:",
    "attr:år>=",
    "case:\"",
    "speaker:",
    "kind:",
    "doc:",
    "set:",
    " ",
    "ressurs",
    "(((((((((((",
];

/// Files under `dirs` (recursively) whose extension is one of `extensions`, sorted.
fn files(dirs: &[&str], extensions: &[&str]) -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    let mut stack: Vec<PathBuf> = dirs.iter().map(|d| root.join(d)).collect();
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for path in entries.flatten().map(|e| e.path()) {
            if path.is_dir() {
                stack.push(path);
            } else if path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| extensions.contains(&e.to_lowercase().as_str()))
            {
                found.push(path);
            }
        }
    }
    found.sort();
    found
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .filter(|b| b.len() < 4 * 1024 * 1024)
        .collect()
}

const CORPUS: &[&str] = &[
    "sample_corpus",
    "tests/fixtures/import",
    "tests/fixtures/text",
];

/// A document format: extension, the extensions of its seeds, mutation tokens, zip-based, inputs per run.
type FormatKind = (
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    bool,
    usize,
);

fn document_targets() -> Vec<Target> {
    let kinds: [FormatKind; 9] = [
        ("txt", &["txt"], TEXT, false, 1000),
        ("md", &["md"], TEXT, false, 1000),
        ("docx", &["docx"], XML, true, 1000),
        ("odt", &["odt"], XML, true, 1000),
        ("pdf", &["pdf"], PDF, false, 1000),
        ("html", &["html", "htm"], HTML, false, 1000),
        ("rtf", &["rtf"], RTF, false, 2000),
        ("vtt", &["vtt"], CAPTIONS, false, 800),
        ("srt", &["srt"], CAPTIONS, false, 1500),
    ];
    kinds
        .into_iter()
        .map(|(ext, extensions, tokens, zip, iterations)| {
            let mut seeds = files(CORPUS, extensions);
            if ext == "pdf" {
                let plain: Vec<Vec<u8>> =
                    seeds.iter().filter_map(|s| decompressed_pdf(s)).collect();
                seeds.extend(plain);
            }
            Target {
                name: format!("import .{ext}"),
                call: Call::Document(ext.to_string()),
                seeds,
                zip,
                tokens,
                iterations,
            }
        })
        .collect()
}

/// A PDF rewritten by lopdf with every stream decompressed, so mutations reach content and drawing syntax.
fn decompressed_pdf(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut document = pdf_extract::Document::load_mem(bytes).ok()?;
    if document.is_encrypted() {
        return None;
    }
    document.decompress();
    let mut out = Vec::new();
    document.save_to(&mut out).ok()?;
    Some(out)
}

fn survey_targets() -> Vec<Target> {
    let kinds: [(&str, &'static [&'static str], bool, usize); 4] = [
        ("csv", CSV, false, 1500),
        ("tsv", CSV, false, 600),
        ("xlsx", XML, true, 1000),
        ("ods", XML, true, 1500),
    ];
    kinds
        .into_iter()
        .map(|(ext, tokens, zip, iterations)| Target {
            name: format!("survey .{ext}"),
            call: Call::Survey(ext.to_string()),
            seeds: files(CORPUS, &[ext]),
            zip,
            tokens,
            iterations,
        })
        .collect()
}

/// A REFI-QDA fixture folder (project.qde and sources/) as a .qdpx archive.
fn qdpx_of_folder(dir: &Path) -> Option<Vec<u8>> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    let mut stack = vec![dir.to_path_buf()];
    let mut paths = Vec::new();
    while let Some(d) = stack.pop() {
        for path in std::fs::read_dir(&d).ok()?.flatten().map(|e| e.path()) {
            if path.is_dir() {
                stack.push(path);
            } else {
                paths.push(path);
            }
        }
    }
    paths.sort();
    for path in paths {
        let name = path
            .strip_prefix(dir)
            .ok()?
            .to_string_lossy()
            .replace('\\', "/");
        writer.start_file(name, options).ok()?;
        writer.write_all(&std::fs::read(&path).ok()?).ok()?;
    }
    writer.finish().ok().map(Cursor::into_inner)
}

/// The sample project in `dir`, and REFI-QDA seeds written from it and from the fixtures.
fn project_targets(dir: &Path) -> Vec<Target> {
    let root = dir.join("sample");
    marginalia::sample::build(&root).expect("sample project");
    let project = marginalia::store::load(&root).expect("load sample");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/refi");
    let mut qdpx: Vec<Vec<u8>> = ["small", "nvivo", "atlas", "maxqda"]
        .iter()
        .filter_map(|d| qdpx_of_folder(&fixtures.join(d)))
        .collect();
    qdpx.extend(
        marginalia::interop::qdpx_write::project_qdpx(&project)
            .ok()
            .map(|(bytes, _)| bytes),
    );
    let mut qdc = files(&["tests/fixtures/refi"], &["qdc"]);
    qdc.extend(
        marginalia::interop::qdc::codebook_qdc(&project)
            .ok()
            .map(String::into_bytes),
    );
    let mut ron = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(d) = stack.pop() {
        for path in std::fs::read_dir(&d)
            .expect("project dir")
            .flatten()
            .map(|e| e.path())
        {
            if path.is_dir() && !path.ends_with(".index") {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "ron") {
                let bytes = std::fs::read(&path).expect("read");
                ron.push((
                    path.strip_prefix(&root).expect("inside").to_path_buf(),
                    bytes,
                ));
            }
        }
    }
    ron.sort();
    let target = |name: &str, call, seeds, zip, tokens, iterations| Target {
        name: name.into(),
        call,
        seeds,
        zip,
        tokens,
        iterations,
    };
    vec![
        target("read_qdpx", Call::Qdpx, qdpx, true, XML, 400),
        target("read_qdc", Call::Qdc, qdc, false, XML, 2000),
        target(
            "store::load",
            Call::Project(root, ron.clone()),
            ron.iter().map(|(_, b)| b.clone()).collect(),
            false,
            RON,
            300,
        ),
    ]
}

fn query_target() -> Target {
    let seeds = [
        "ressurs møte",
        "\"felles mål\" ressurs* lærer~1 NOT korona -pandemi",
        "code:\"Resource shortage\" case:\"Furulund skole\" attr:group=LOG speaker:Rektor kind:interview",
        "(tid OR ressurs) AND NOT (korona OR pandemi)",
        "attr:år>=10 attr:rolle!=Rektor doc:intervju set:\"Utval A\"",
    ];
    Target {
        name: "query::parse".into(),
        call: Call::Query,
        seeds: seeds.iter().map(|s| s.as_bytes().to_vec()).collect(),
        zip: false,
        tokens: QUERY,
        iterations: 20_000,
    }
}

// ---------------------------------------------------------------- mutations

/// One random change to `data`; `others` are the target's seeds (for splicing), `tokens` its dictionary.
fn mutate_bytes(rng: &mut Rng, data: &mut Vec<u8>, others: &[Vec<u8>], tokens: &[&str]) {
    let at = rng.below(data.len() + 1);
    match rng.below(9) {
        0 => {
            for _ in 0..=rng.below(8) {
                let i = rng.below(data.len());
                if let Some(b) = data.get_mut(i) {
                    *b ^= 1 << rng.below(8);
                }
            }
        }
        1 => {
            let value = *rng.pick(&[0u8, 0xFF, 0x7F, 0x80, b'0', b'9', b'<', b'{', b'"']);
            if let Some(b) = data.get_mut(at) {
                *b = value;
            }
        }
        2 => insert(data, at, rng.pick(NUMBERS).as_bytes()),
        3 => replace_number(rng, data, at),
        4 => data.truncate(at),
        5 => duplicate_chunk(rng, data),
        6 => {
            let other = rng.pick(others);
            let from = rng.below(other.len() + 1);
            data.truncate(at);
            data.extend_from_slice(other.get(from..).unwrap_or_default());
        }
        7 => {
            let end = (at + rng.below(64)).min(data.len());
            data.drain(at..end);
        }
        _ => {
            let token = rng.pick(tokens).as_bytes().to_vec();
            for _ in 0..=rng.below(3) {
                let at = rng.below(data.len() + 1);
                insert(data, at, &token);
            }
        }
    }
}

fn insert(data: &mut Vec<u8>, at: usize, bytes: &[u8]) {
    let at = at.min(data.len());
    data.splice(at..at, bytes.iter().copied());
}

/// Replaces the next run of digits at or after `at` with an interesting number (`F3` becomes `F4294967295`).
fn replace_number(rng: &mut Rng, data: &mut Vec<u8>, at: usize) {
    let Some(start) = data
        .get(at..)
        .and_then(|d| d.iter().position(u8::is_ascii_digit))
    else {
        return;
    };
    let start = at + start;
    let len = data[start..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let number = rng.pick(NUMBERS).as_bytes().to_vec();
    data.splice(start..start + len, number);
}

fn duplicate_chunk(rng: &mut Rng, data: &mut Vec<u8>) {
    if data.is_empty() {
        return;
    }
    let from = rng.below(data.len());
    let len = (1 + rng.below(256)).min(data.len() - from);
    let chunk = data[from..from + len].to_vec();
    let most = if rng.chance(8) { 500 } else { 4 };
    let times = 1 + rng.below(most);
    let at = rng.below(data.len() + 1);
    for _ in 0..times {
        insert(data, at, &chunk);
    }
}

/// Unzips `archive`, mutates one entry (an XML part most of the time) and zips it again.
fn mutate_zip(rng: &mut Rng, archive: &[u8], tokens: &[&str]) -> Option<Vec<u8>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(archive)).ok()?;
    let mut entries = Vec::new();
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).ok()?;
        let name = file.name().ok()?.to_string();
        let mut data = Vec::new();
        file.read_to_end(&mut data).ok()?;
        entries.push((name, data));
    }
    let xml: Vec<usize> = (0..entries.len())
        .filter(|i| {
            let name = &entries[*i].0;
            [".xml", ".qde", ".rels"].iter().any(|e| name.ends_with(e))
        })
        .collect();
    let index = if !xml.is_empty() && !rng.chance(5) {
        *rng.pick(&xml)
    } else {
        rng.below(entries.len())
    };
    if rng.chance(20) && !entries.is_empty() {
        entries.remove(index.min(entries.len() - 1));
    } else if let Some((_, data)) = entries.get_mut(index) {
        let original = vec![data.clone()];
        for _ in 0..=rng.below(3) {
            mutate_bytes(rng, data, &original, tokens);
        }
    }
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        writer.start_file(name, options).ok()?;
        writer.write_all(&data).ok()?;
    }
    writer.finish().ok().map(Cursor::into_inner)
}

/// A mutated copy of one of the target's seeds.
fn mutant(rng: &mut Rng, target: &Target) -> Vec<u8> {
    let seed = rng.pick(&target.seeds).clone();
    if target.zip
        && !rng.chance(4)
        && let Some(mutated) = mutate_zip(rng, &seed, target.tokens)
    {
        return mutated;
    }
    let mut data = seed;
    for _ in 0..=rng.below(3) {
        mutate_bytes(rng, &mut data, &target.seeds, target.tokens);
    }
    if matches!(&target.call, Call::Document(ext) if ext == "pdf") && !rng.chance(4) {
        data = repair_pdf(&data);
    }
    data
}

fn find(data: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    data.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

/// Makes a mutated PDF loadable again, so mutations reach lopdf's object reader and pdf-extract instead of
/// stopping at broken offsets: each direct `/Length` is set to the bytes up to `endstream`, then a new
/// cross-reference table and trailer are appended.
fn repair_pdf(data: &[u8]) -> Vec<u8> {
    let data = fix_stream_lengths(data);
    let mut objects: Vec<(u32, usize)> = Vec::new();
    let mut from = 0;
    while let Some(at) = find(&data, b" obj", from) {
        from = at + 4;
        let head = &data[..at];
        let generation_start = head
            .iter()
            .rposition(|b| !b.is_ascii_digit())
            .map_or(0, |i| i + 1);
        let before = &head[..generation_start.saturating_sub(1)];
        let number_start = before
            .iter()
            .rposition(|b| !b.is_ascii_digit())
            .map_or(0, |i| i + 1);
        let number = std::str::from_utf8(&before[number_start..])
            .ok()
            .and_then(|n| n.parse().ok());
        if let Some(number) = number.filter(|n: &u32| *n < 100_000) {
            objects.retain(|(n, _)| *n != number);
            objects.push((number, number_start));
        }
    }
    let size = objects.iter().map(|(n, _)| n + 1).max().unwrap_or(1);
    let root = objects
        .iter()
        .find(|(_, at)| {
            let end = find(&data, b"endobj", *at).unwrap_or(data.len());
            find(&data[..end], b"/Catalog", *at).is_some()
        })
        .map_or(1, |(n, _)| *n);
    let mut out = data.clone();
    let xref = out.len() + 1;
    out.extend(format!("\nxref\n0 {size}\n").as_bytes());
    for number in 0..size {
        match objects.iter().find(|(n, _)| *n == number) {
            Some((_, at)) => out.extend(format!("{at:010} 00000 n \n").as_bytes()),
            None => out.extend(b"0000000000 65535 f \n"),
        }
    }
    let extra = trailer_entry(&data, b"/Encrypt", b"R") + &trailer_entry(&data, b"/ID", b"]");
    out.extend(
        format!("trailer\n<< /Size {size} /Root {root} 0 R {extra} >>\nstartxref\n{xref}\n%%EOF\n")
            .as_bytes(),
    );
    out
}

/// `/Key …end` from the last trailer, if it has one.
fn trailer_entry(data: &[u8], key: &[u8], end: &[u8]) -> String {
    let Some(trailer) = data.windows(7).rposition(|w| w == b"trailer") else {
        return String::new();
    };
    let Some(start) = find(data, key, trailer) else {
        return String::new();
    };
    let Some(stop) = find(data, end, start) else {
        return String::new();
    };
    String::from_utf8_lossy(&data[start..stop + end.len()]).into_owned()
}

/// Sets each direct `/Length N` before a `stream` keyword to the length of the data up to `endstream`.
fn fix_stream_lengths(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    let mut copied = 0;
    let mut from = 0;
    while let Some(at) = find(data, b"stream", from) {
        from = at + 6;
        if at >= 3 && &data[at - 3..at] == b"end" {
            continue;
        }
        let start = match data.get(at + 6..at + 8) {
            Some([b'\r', b'\n']) => at + 8,
            Some([b'\n' | b'\r', _]) => at + 7,
            _ => continue,
        };
        let Some(end) = find(data, b"endstream", start) else {
            continue;
        };
        let mut len = end - start;
        if data[..end].ends_with(b"\r\n") {
            len -= 2;
        } else if data[..end].ends_with(b"\n") || data[..end].ends_with(b"\r") {
            len -= 1;
        }
        let window = at.saturating_sub(2048).max(copied);
        let Some(key) = data[window..at]
            .windows(7)
            .rposition(|w| w == b"/Length")
            .map(|i| window + i + 7)
        else {
            continue;
        };
        let digits_start = key
            + data[key..at]
                .iter()
                .take_while(|b| b.is_ascii_whitespace())
                .count();
        let digits = data[digits_start..at]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let after = &data[digits_start + digits..at];
        if digits == 0
            || after
                .trim_ascii_start()
                .first()
                .is_some_and(u8::is_ascii_digit)
        {
            continue;
        }
        out.extend_from_slice(&data[copied..digits_start]);
        out.extend(len.to_string().as_bytes());
        copied = digits_start + digits;
    }
    out.extend_from_slice(&data[copied..]);
    out
}

// ---------------------------------------------------------------- running calls

thread_local! {
    /// The message of the last panic on this thread (the fuzzer's hook records instead of printing).
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn record_panics() {
    panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!(" at {l}"))
            .unwrap_or_default();
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("{message}{location}")));
    }));
}

/// What one call did.
enum Outcome {
    Accepted,
    Refused,
    Panicked(String),
}

/// Runs one input through the target.
fn call(target: &Target, input: &[u8], project: &Project) -> Outcome {
    let result = panic::catch_unwind(AssertUnwindSafe(|| match &target.call {
        Call::Document(ext) => {
            let result =
                marginalia::import::read_bytes(Path::new(&format!("fuzz.{ext}")), input, None);
            if let (Err(error), Some(_)) = (&result, std::env::var_os("MARGINALIA_FUZZ_VERBOSE")) {
                eprintln!("fuzz: refused: {error}");
            }
            // What an importer returns must be a document the model accepts (or one file sinks a batch).
            result.is_ok_and(|entry| {
                let edit =
                    marginalia::Edit::Put(marginalia::edit::Entity::Document(Box::new(entry)));
                accepted_by_model(project, edit)
            })
        }
        Call::Survey(ext) => {
            let per = if input.len().is_multiple_of(2) {
                Per::Respondent
            } else {
                Per::Question
            };
            let options = SurveyOptions {
                id_column: "1".into(),
                text_columns: vec!["2".into(), "3".into()],
                attribute_columns: vec!["4".into()],
                per,
                sheet: None,
            };
            let path = PathBuf::from(format!("fuzz.{ext}"));
            import_survey_bytes(project, &path, input, &options)
                .is_ok_and(|(edit, _)| accepted_by_model(project, edit))
        }
        Call::Qdpx => {
            marginalia::interop::qdpx_read::read_qdpx(Path::new("fuzz.qdpx"), input).is_ok()
        }
        Call::Qdc => marginalia::interop::qdc::read_qdc(Path::new("fuzz.qdc"), input).is_ok(),
        Call::Project(root, files) => load_mutated_project(root, files, input),
        Call::Query => marginalia::query::parse::parse(&String::from_utf8_lossy(input)).is_ok(),
    }));
    match result {
        Ok(true) => Outcome::Accepted,
        Ok(false) => Outcome::Refused,
        Err(_) => Outcome::Panicked(
            LAST_PANIC
                .with(|p| p.borrow_mut().take())
                .unwrap_or_else(|| "panic".into()),
        ),
    }
}

/// Applies an importer's edit to a copy of the (empty) project; an edit the model refuses is a bug.
fn accepted_by_model(project: &Project, edit: marginalia::Edit) -> bool {
    let mut copy = project.clone();
    if let Err(error) = copy.apply(edit) {
        panic!("the model refuses what the importer made: {error}");
    }
    true
}

/// Writes `input` over one of the project's files (chosen by its length, so it is deterministic), loads the
/// project, and puts the file back.
fn load_mutated_project(root: &Path, files: &[(PathBuf, Vec<u8>)], input: &[u8]) -> bool {
    let (relative, original) = &files[input.len() % files.len()];
    let path = root.join(relative);
    std::fs::write(&path, input).expect("write project file");
    let result = panic::catch_unwind(AssertUnwindSafe(|| marginalia::store::load(root)));
    std::fs::write(&path, original).expect("restore project file");
    match result {
        Ok(loaded) => loaded.is_ok(),
        Err(payload) => panic::resume_unwind(payload),
    }
}

/// The input being run, for the watchdog: target, seed, iteration, start and bytes.
type Running = Option<(String, u64, usize, Instant, Arc<Vec<u8>>)>;

/// Ends the process (with the input written) when one call runs far past the slow limit: a hang must fail
/// the run, not stall it.
fn watchdog(running: Arc<Mutex<Running>>, limit: Duration) {
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_millis(500));
            let guard = running.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((name, seed, iteration, start, input)) = guard.as_ref()
                && start.elapsed() > limit
            {
                let path = save_failure(name, *seed, *iteration, input);
                eprintln!(
                    "fuzz: {name} hangs (over {limit:?}) at seed {seed:#x}, iteration {iteration}; input in {}",
                    path.display()
                );
                std::process::exit(101);
            }
        }
    });
}

fn save_failure(name: &str, seed: u64, iteration: usize, input: &[u8]) -> PathBuf {
    let dir = failures_dir();
    let _ = std::fs::create_dir_all(&dir);
    let safe: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let path = dir.join(format!("{safe}-{seed:x}-{iteration}.bin"));
    let _ = std::fs::write(&path, input);
    path
}

/// A failure found by the run.
struct Failure {
    target: String,
    seed: u64,
    iteration: usize,
    problem: String,
    input: PathBuf,
}

struct Run<'a> {
    config: &'a Config,
    project: Project,
    running: Arc<Mutex<Running>>,
    failures: Vec<Failure>,
    deadline: Instant,
}

impl Run<'_> {
    /// Fuzzes one target for its share of the remaining time; returns how many inputs ran and were accepted.
    fn target(&mut self, target: &Target, share: Duration) -> (usize, usize) {
        let seed = self.config.seed ^ hash(&target.name);
        let mut rng = Rng::new(seed);
        let iterations = self.config.iterations.unwrap_or(target.iterations);
        let stop = (Instant::now() + share).min(self.deadline);
        let (mut done, mut accepted) = (0, 0);
        while done < iterations && Instant::now() < stop && !target.seeds.is_empty() {
            let input = Arc::new(mutant(&mut rng, target));
            if self.config.keep_last {
                save_failure(&format!("last {}", target.name), seed, 0, &input);
            }
            *self.running.lock().unwrap_or_else(|e| e.into_inner()) = Some((
                target.name.clone(),
                seed,
                done,
                Instant::now(),
                Arc::clone(&input),
            ));
            let start = Instant::now();
            let outcome = call(target, &input, &self.project);
            let elapsed = start.elapsed();
            *self.running.lock().unwrap_or_else(|e| e.into_inner()) = None;
            let panicked = match outcome {
                Outcome::Accepted => {
                    accepted += 1;
                    None
                }
                Outcome::Refused => None,
                Outcome::Panicked(message) => Some(message),
            };
            let problem = panicked.or_else(|| {
                (elapsed > self.config.slow)
                    .then(|| format!("slow: {:.1} s", elapsed.as_secs_f64()))
            });
            if let Some(problem) = problem {
                self.fail(target, seed, done, problem, &input);
            }
            done += 1;
        }
        (done, accepted)
    }

    fn fail(
        &mut self,
        target: &Target,
        seed: u64,
        iteration: usize,
        problem: String,
        input: &[u8],
    ) {
        let path = save_failure(&target.name, seed, iteration, input);
        eprintln!(
            "fuzz: {} failed at seed {seed:#x}, iteration {iteration}: {problem}; input in {}",
            target.name,
            path.display()
        );
        self.failures.push(Failure {
            target: target.name.clone(),
            seed,
            iteration,
            problem,
            input: path,
        });
    }
}

#[test]
fn fuzz_smoke() {
    let config = Config::from_env();
    let started = Instant::now();
    let dir = tempfile::tempdir().expect("dir");
    let mut targets = document_targets();
    targets.extend(survey_targets());
    targets.extend(project_targets(dir.path()));
    targets.push(query_target());
    if let Some(only) = &config.only {
        targets.retain(|t| t.name.contains(only.as_str()));
    }
    for target in &targets {
        assert!(!target.seeds.is_empty(), "no seeds for {}", target.name);
    }
    record_panics();
    let running = Arc::new(Mutex::new(None));
    watchdog(Arc::clone(&running), config.slow * 12);
    let mut run = Run {
        config: &config,
        project: Project::new("fuzz", Language::Nn),
        running,
        failures: Vec::new(),
        deadline: started + config.budget,
    };
    for (i, target) in targets.iter().enumerate() {
        let left = run.deadline.saturating_duration_since(Instant::now());
        let share = left / u32::try_from(targets.len() - i).unwrap_or(1);
        eprintln!("fuzz: {} …", target.name);
        let target_start = Instant::now();
        let (count, accepted) = run.target(target, share);
        eprintln!(
            "fuzz: {:<14} {count:>5} inputs ({accepted:>5} read) in {:>5.1} s",
            target.name,
            target_start.elapsed().as_secs_f64()
        );
    }
    let _ = panic::take_hook();
    eprintln!("fuzz: done in {:.1} s", started.elapsed().as_secs_f64());
    let report: Vec<String> = run
        .failures
        .iter()
        .map(|f| {
            format!(
                "{} (seed {:#x}, iteration {}): {} [{}]",
                f.target,
                f.seed,
                f.iteration,
                f.problem,
                f.input.display()
            )
        })
        .collect();
    assert!(report.is_empty(), "fuzz failures:\n{}", report.join("\n"));
}
