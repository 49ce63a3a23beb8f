//! Times opening a project as the workbench does (`Workspace::open`: lock, journal, every file, the undo
//! history) and read-only as CLI commands do, with the peak memory: `cargo run --release --example open -- DIR`.
//! Linux only for the memory figure (read from `/proc/self/status`); opening writable takes the project's lock.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::time::Instant;

use marginalia::Workspace;

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() {
    let dir: PathBuf = std::env::args_os().nth(1).expect("usage: open DIR").into();
    let started = Instant::now();
    let ws = Workspace::open(&dir).expect("open");
    let open = started.elapsed();
    let documents = ws.project().documents().len();
    let undo = ws.history().undo_label().is_some();
    let started = Instant::now();
    drop(ws);
    let close = started.elapsed();
    let started = Instant::now();
    let read_only = Workspace::open_read_only(&dir).expect("open read-only");
    let open_read_only = started.elapsed();
    drop(read_only);
    println!(
        "{documents} documents: open {:.3} s (undo history: {undo}), close {:.3} s, read-only open {:.3} s; \
         peak memory {:.0} MB",
        open.as_secs_f64(),
        close.as_secs_f64(),
        open_read_only.as_secs_f64(),
        peak_rss_mb().unwrap_or(f64::NAN)
    );
}
