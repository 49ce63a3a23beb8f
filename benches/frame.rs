//! Frame-time benchmark of the workbench, headless (egui_kittest): (1) the document viewer on a generated ~1 MB
//! transcript with 5,000 codings, scrolled step by step, then landing at random places (a scrollbar drag);
//! (2) a large project (35,000 short documents by default, 400 codes, a code on every document): its open time,
//! scrolling the document list, typing in its filter, frames while a search runs on its worker (and the frame its
//! results arrive in, also replacing an earlier search's), scrolling the excerpts and the codebook, and the RSS
//! and heap in use before, with and after the project over two open/close cycles. Prints mean, p95/p99 and max
//! frame times in ms.
//!
//! `cargo bench --features kittest --bench frame` (`MARGINALIA_FRAME_STEPS` sets the number of steps,
//! `MARGINALIA_FRAME_DOCS` the size of the large project; `-- --quick` uses 5,000 documents;
//! `MARGINALIA_FRAME_ARENAS=default` keeps glibc's default number of allocator arenas instead of the workbench's).
//! "ui" is the workbench's own CPU time per frame; "frame" adds egui's tessellation (what a software renderer gets).

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use marginalia::edit::{Edit, Entity};
use marginalia::gui::commands::{Action, Command};
use marginalia::gui::{Prefs, Workbench};
use marginalia::ids::{CoderId, CodingId};
use marginalia::model::{Coder, Coding, Language};
use marginalia::offsets::CharRange;
use marginalia::{Workspace, import, ops};

/// A small deterministic random generator.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

const WORDS: &[&str] = &[
    "ressursteamet",
    "skolen",
    "rektor",
    "samarbeid",
    "helsesjukepleiar",
    "PPT",
    "barnevernet",
    "møte",
    "tysdag",
    "elevane",
    "lærarane",
    "kommunen",
    "tiltak",
    "vi",
    "har",
    "det",
    "var",
    "ikkje",
    "og",
    "som",
    "eigentleg",
    "tverrfagleg",
    "dialogkonferanse",
    "rettleiing",
    "tid",
    "ventetid",
    "tilvising",
    "ansvar",
    "å",
    "få",
    "til",
    "med",
    "på",
    "i",
    "ein",
    "to",
    "tre",
    "kanskje",
    "altså",
    "så",
];

/// About `bytes` of transcript with alternating speakers and timestamps.
fn transcript(bytes: usize, rng: &mut Lcg) -> String {
    let mut text = String::with_capacity(bytes + 1024);
    text.push_str("Intervju med rektor, Generert skule\nDato: 1. mars 2022\n\n");
    let mut seconds = 5u64;
    let mut turn = 0u32;
    while text.len() < bytes {
        let speaker = if turn.is_multiple_of(2) {
            "Intervjuar"
        } else {
            "Rektor"
        };
        text.push_str(&format!(
            "{speaker} ({:02}:{:02}:{:02}): ",
            seconds / 3600,
            seconds / 60 % 60,
            seconds % 60
        ));
        let words = 10 + (rng.next() % 70) as usize;
        for i in 0..words {
            if i > 0 {
                text.push(' ');
            }
            text.push_str(WORDS[(rng.next() as usize) % WORDS.len()]);
            if rng.next().is_multiple_of(12) {
                text.push('.');
            }
        }
        text.push_str(".\n\n");
        seconds += 10 + rng.next() % 60;
        turn += 1;
    }
    text
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn report(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let mean = times.iter().sum::<Duration>() / times.len().max(1) as u32;
    println!(
        "{name:>6}: mean {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms over {} frames",
        ms(mean),
        ms(percentile(&times, 0.95)),
        ms(percentile(&times, 0.99)),
        ms(times.last().copied().unwrap_or_default()),
        times.len()
    );
}

/// One frame: the workbench's update plus tessellation, timed.
fn timed_step(harness: &mut Harness<'_, Workbench>) -> Duration {
    let ppp = harness.ctx.pixels_per_point();
    let started = Instant::now();
    harness.step();
    let shapes = harness.output().shapes.clone();
    std::hint::black_box(harness.ctx.tessellate(shapes, ppp));
    started.elapsed()
}

/// A short speech of a few paragraphs from the word list.
fn speech(rng: &mut Lcg) -> String {
    let mut text = String::new();
    for _ in 0..2 + rng.next() % 3 {
        for i in 0..30 + rng.next() % 50 {
            if i > 0 {
                text.push(' ');
            }
            text.push_str(WORDS[(rng.next() as usize) % WORDS.len()]);
        }
        text.push_str(".\n\n");
    }
    text
}

/// The large project: many short documents; the list, the filter and a search in flight.
fn large_project(docs: usize, steps: usize) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let root = dir.path().join("large");
    let mut rng = Lcg(11);
    let built = Instant::now();
    let mut ws = Workspace::create(&root, "Large", Language::Nn)?;
    let edits = (0..docs)
        .map(|i| {
            let text = speech(&mut rng);
            let entry =
                import::document_from_text(&format!("innlegg {i:05}"), "innlegg.txt", &text, None);
            Edit::Put(Entity::Document(Box::new(entry)))
        })
        .collect();
    ws.apply(Edit::batch("import", edits))?;
    // A codebook of 400 codes, and one code on the first sentence of every document (as many excerpts).
    let mut codes = Vec::new();
    for i in 0..400 {
        let path = format!("Tema {:02}/Kode {i:03}", i / 20);
        let (id, edit) = ops::add_code_path(ws.project(), &path, None, "")?;
        ws.apply(edit)?;
        codes.push(id);
    }
    let coder = CoderId::new();
    let mut edits = vec![Edit::Put(Entity::Coder(Coder {
        id: coder,
        name: "bench".into(),
        colour: None,
    }))];
    for doc in ws.project().documents().values() {
        edits.push(Edit::Put(Entity::Coding(Coding {
            id: CodingId::new(),
            document: doc.id,
            code: codes[0],
            range: CharRange::new(0, doc.char_len.min(60)),
            coder,
            created: marginalia::now(),
            memo: None,
        })));
    }
    ws.apply(Edit::batch("bench codings", edits))?;
    ws.save()?;
    drop(ws);
    println!(
        "large project: {docs} documents, 400 codes, {docs} codings, built in {:.1} s",
        built.elapsed().as_secs_f64()
    );
    println!("  RSS after building it: {}", rss());
    // The workbench starts with the sample project open: the level the large project's close must come back to.
    let mut workbench = Workbench::new(english_prefs(), Some(dir.path().to_path_buf()));
    workbench.open_first_run();
    workbench.wait_for_background();
    println!("  RSS with the sample open, before opening: {}", rss());
    let opened = Instant::now();
    workbench.open_project(&root);
    println!(
        "  open in the workbench: {:.2} s (target < 1 s); RSS {}",
        opened.elapsed().as_secs_f64(),
        rss()
    );
    workbench.wait_for_background();
    println!(
        "  index built in the background: {:.1} s after the open; RSS {}",
        opened.elapsed().as_secs_f64(),
        rss()
    );
    workbench.select_codes([codes[0]]);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1480.0, 920.0))
        .with_accessibility_check(false)
        .build_ui_state(|ui, wb: &mut Workbench| wb.ui(ui), workbench);
    harness.run_steps(5);

    // Scroll the document list (left panel) with the wheel; every 50th step a long jump.
    harness.hover_at(egui::pos2(120.0, 500.0));
    let mut times = Vec::with_capacity(steps);
    for step in 0..steps {
        let delta = if step % 50 == 49 { -20_000.0 } else { -120.0 };
        harness.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, delta),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Unknown,
            modifiers: egui::Modifiers::NONE,
        });
        times.push(timed_step(&mut harness));
    }
    report("list", times);

    // Type in the filter, one character a frame (each keystroke filters the 35,000 names).
    harness.get_by_label("Filter").click();
    harness.run_steps(2);
    let mut times = Vec::new();
    for round in 0..(steps / 20).max(1) {
        for c in ["i", "n", "n", "l", "e", "g", "g", " ", "1", "2"] {
            harness.event(egui::Event::Text(c.into()));
            times.push(timed_step(&mut harness));
        }
        for _ in 0..10 {
            harness.key_press(egui::Key::Backspace);
            times.push(timed_step(&mut harness));
        }
        if round == 0 {
            times.clear();
        }
    }
    report("filter", times);

    // A search with many hits: frames while it runs on its worker, the frame its results arrive in, and the
    // frames after it; then a second search whose results replace the first's.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    harness.run_steps(2);
    search_frames(&mut harness, "skolen");
    search_frames(&mut harness, "rektor");

    // The excerpts of a code on every document, scrolled with the wheel (right panel, Excerpts tab).
    harness.get_by_label("Excerpts").click();
    harness.run_steps(3);
    let layout = harness.state().layout_rects();
    if let Some(right) = layout.right {
        harness.hover_at(right.center());
    }
    let times = wheel(&mut harness, steps, 20_000.0);
    report("excerp", times);

    // The codebook (left panel, under the documents), scrolled with the wheel.
    if let Some(left) = layout.left {
        harness.hover_at(egui::pos2(left.center().x, left.bottom() - 220.0));
    }
    let times = wheel(&mut harness, steps, 5_000.0);
    report("codes", times);

    // Switching to the sample project releases the large one; a second open + search + close cycle must not
    // leave more behind than the first.
    println!("  RSS with the project open: {}", rss());
    switch_to_sample(&mut harness);
    println!(
        "  RSS after switching to the sample: {} (the allocator may keep freed pages)",
        rss()
    );
    harness.state_mut().open_project(&root);
    harness.state_mut().wait_for_background();
    harness.run_steps(3);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    harness.run_steps(2);
    search_frames(&mut harness, "skolen");
    println!("  RSS with the project open again: {}", rss());
    switch_to_sample(&mut harness);
    println!("  RSS after the second switch to the sample: {}", rss());
    trim();
    println!("  RSS after a further malloc_trim: {}", rss());
    Ok(())
}

/// Opens the sample project (closing the open one) and lets the workbench settle.
fn switch_to_sample(harness: &mut Harness<'_, Workbench>) {
    harness
        .state_mut()
        .queue(Command::Action(Action::OpenSample));
    harness.run_steps(2);
    harness.state_mut().wait_for_background();
    harness.run_steps(3);
    std::thread::sleep(Duration::from_millis(500));
}

/// Runs `query` in the Search tab (which must be open) and reports the frames drawn while it runs on its worker,
/// the frame its results arrive in, and the 30 frames after it.
fn search_frames(harness: &mut Harness<'_, Workbench>, query: &str) {
    let previous = harness
        .state()
        .search()
        .results
        .as_ref()
        .map(|r| r.hits.as_ptr());
    let search = harness.state_mut().search_mut();
    search.query = query.to_string();
    search.run_requested = true;
    let mut in_flight = Vec::new();
    let started = Instant::now();
    let mut arrival = None;
    while started.elapsed() < Duration::from_secs(120) {
        let time = timed_step(harness);
        let state = harness.state().search();
        let now = state.results.as_ref().map(|r| r.hits.as_ptr());
        if !state.searching && !state.run_requested && now.is_some() && now != previous {
            arrival = Some(time);
            break;
        }
        in_flight.push(time);
        std::thread::sleep(Duration::from_millis(2));
    }
    let waited = started.elapsed();
    let after: Vec<Duration> = (0..30).map(|_| timed_step(harness)).collect();
    let hits = harness
        .state()
        .search()
        .results
        .as_ref()
        .map_or(0, |r| r.total);
    println!(
        "  search '{query}': {hits} hits after {:.2} s ({} frames drawn meanwhile); arrival frame {:.2} ms, \
         max of the 30 frames after it {:.2} ms",
        waited.as_secs_f64(),
        in_flight.len(),
        arrival.map_or(f64::NAN, ms),
        ms(after.iter().copied().max().unwrap_or_default()),
    );
    report("flight", in_flight);
    report("after", after);
}

/// Wheel steps over what the pointer hovers, every 50th a long jump; the frame times.
fn wheel(harness: &mut Harness<'_, Workbench>, steps: usize, jump: f32) -> Vec<Duration> {
    let mut times = Vec::with_capacity(steps);
    for step in 0..steps {
        let delta = if step % 50 == 49 { -jump } else { -120.0 };
        harness.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, delta),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Unknown,
            modifiers: egui::Modifiers::NONE,
        });
        times.push(timed_step(harness));
    }
    times
}

/// This process's resident memory, as the kernel reports it, with (glibc) the heap's bytes in use and the freed
/// bytes the allocator still holds: what tells a leak from pages the allocator keeps.
fn rss() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .map(|l| l.trim_start_matches(name).trim().to_string())
            .unwrap_or_else(|| "?".into())
    };
    // Anonymous memory is the heap and the stacks; file-backed pages are the program's code and mapped files.
    let rss = format!(
        "{} [anonymous {}, files {}]",
        field("VmRSS:"),
        field("RssAnon:"),
        field("RssFile:")
    );
    match heap() {
        Some((used, free)) => format!(
            "{rss} (heap in use {} MB, freed but held {} MB)",
            used / 1_000_000,
            free / 1_000_000
        ),
        None => rss,
    }
}

/// glibc's counts over all its arenas: bytes in use (small chunks and mapped ones) and free bytes it holds.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn heap() -> Option<(usize, usize)> {
    /// `struct mallinfo2` of glibc ≥ 2.33.
    #[repr(C)]
    struct MallInfo2 {
        arena: usize,
        ordblks: usize,
        smblks: usize,
        hblks: usize,
        hblkhd: usize,
        usmblks: usize,
        fsmblks: usize,
        uordblks: usize,
        fordblks: usize,
        keepcost: usize,
    }
    unsafe extern "C" {
        fn mallinfo2() -> MallInfo2;
    }
    // SAFETY: mallinfo2 takes no arguments and returns a plain struct of counters.
    let info = unsafe { mallinfo2() };
    let _ = (info.arena, info.ordblks, info.smblks, info.hblks);
    let _ = (info.usmblks, info.fsmblks, info.keepcost);
    Some((info.uordblks + info.hblkhd, info.fordblks))
}

/// Returns the allocator's free pages to the kernel once more (what is still resident after it is in use or
/// fragmented).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn trim() {
    unsafe extern "C" {
        fn malloc_trim(pad: usize) -> std::ffi::c_int;
    }
    // SAFETY: malloc_trim takes no pointers; it only returns free pages to the kernel.
    unsafe {
        malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn trim() {}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn heap() -> Option<(usize, usize)> {
    None
}

fn main() -> anyhow::Result<()> {
    // As the workbench does at start-up (`MARGINALIA_FRAME_ARENAS=default` measures glibc's default instead).
    if std::env::var("MARGINALIA_FRAME_ARENAS").as_deref() != Ok("default") {
        marginalia::gui::limit_allocator_arenas();
    }
    let steps: usize = std::env::var("MARGINALIA_FRAME_STEPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(600);
    let dir = tempfile::tempdir()?;
    let root = dir.path().join("frame-bench");
    let mut rng = Lcg(7);

    // A project with one ~1 MB transcript, 24 codes and 5,000 codings.
    let text = transcript(1_000_000, &mut rng);
    let mut ws = Workspace::create(&root, "Frame benchmark", Language::Nn)?;
    let entry = import::document_from_text("long transcript", "long.txt", &text, None);
    let doc = entry.document.clone();
    ws.apply(Edit::Put(Entity::Document(Box::new(entry))))?;
    let mut codes = Vec::new();
    for i in 0..24 {
        let (id, edit) = ops::add_code_path(ws.project(), &format!("Code {i:02}"), None, "")?;
        ws.apply(edit)?;
        codes.push(id);
    }
    let coder = CoderId::new();
    let mut edits = vec![Edit::Put(Entity::Coder(Coder {
        id: coder,
        name: "bench".into(),
        colour: None,
    }))];
    let turns = &doc.turns;
    for i in 0..5_000 {
        let turn = &turns[(rng.next() as usize) % turns.len()];
        let start = turn.content_start + (rng.next() as usize % 40);
        let len = 20 + (rng.next() as usize % 600);
        let end = (start + len).min(doc.char_len);
        edits.push(Edit::Put(Entity::Coding(Coding {
            id: CodingId::new(),
            document: doc.id,
            code: codes[i % codes.len()],
            range: CharRange::new(start, end),
            coder,
            created: marginalia::now(),
            memo: None,
        })));
    }
    ws.apply(Edit::batch("bench codings", edits))?;
    ws.save()?;
    drop(ws);
    println!(
        "document: {} bytes, {} turns, 5000 codings, {} codes",
        text.len(),
        doc.turns.len(),
        codes.len()
    );

    let mut workbench = Workbench::new(english_prefs(), None);
    workbench.open_project(&root);
    workbench.wait_for_background();
    workbench.viewer_mut().open(doc.id);
    workbench.select_codes([codes[0]]);

    let ui_times: Rc<RefCell<Vec<Duration>>> = Rc::default();
    let recorder = ui_times.clone();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1480.0, 920.0))
        .with_accessibility_check(false)
        .build_ui_state(
            move |ui, wb: &mut Workbench| {
                let started = Instant::now();
                wb.ui(ui);
                recorder.borrow_mut().push(started.elapsed());
            },
            workbench,
        );
    harness.run_steps(5);
    ui_times.borrow_mut().clear();

    // Scroll down step by step with the pointer over the text.
    let centre = egui::pos2(740.0, 460.0);
    harness.hover_at(centre);
    let mut frame_times = Vec::with_capacity(steps);
    let ppp = harness.ctx.pixels_per_point();
    for step in 0..steps {
        // Mostly wheel steps; every 100th a page jump, like dragging the scrollbar.
        let delta = if step % 100 == 99 { -4000.0 } else { -90.0 };
        harness.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, delta),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Unknown,
            modifiers: egui::Modifiers::NONE,
        });
        let started = Instant::now();
        harness.step();
        let shapes = harness.output().shapes.clone();
        let primitives = harness.ctx.tessellate(shapes, ppp);
        std::hint::black_box(primitives);
        frame_times.push(started.elapsed());
    }
    let stats = harness.state().viewer().stats;
    println!(
        "content height {:.0} pt; galleys laid out {}, units drawn in the last frame {}",
        harness.state().viewer().content_height(),
        stats.galleys_laid_out,
        stats.units_drawn
    );
    let ui = ui_times.borrow().clone();
    report("ui", ui);
    report("frame", frame_times);

    // Dragging the scrollbar lands the view anywhere in the transcript: the frame that lands there (the view
    // jumps to a random place) and the one after it.
    let mut landing = Vec::new();
    for _ in 0..40 {
        let at = (rng.next() as usize) % doc.char_len.max(1);
        harness.state_mut().viewer_mut().scroll_to = Some(at);
        landing.push(timed_step(&mut harness));
        landing.push(timed_step(&mut harness));
    }
    report("land", landing);
    drop(harness);

    let quick = std::env::args().any(|a| a == "--quick");
    let docs = std::env::var("MARGINALIA_FRAME_DOCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if quick { 5_000 } else { 35_000 });
    large_project(docs, steps.min(300))
}

/// Default preferences with the interface in English, so frames measure the same texts on every machine.
fn english_prefs() -> Prefs {
    Prefs {
        language: marginalia::gui::Lang::English,
        ..Prefs::default()
    }
}
