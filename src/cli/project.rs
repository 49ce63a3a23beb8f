//! Verbs on a project as a whole: create it, build the sample, rebuild its index, step its history, unlock it.

use std::path::Path;

use anyhow::{Result, anyhow, bail};
use marginalia::Workspace;
use marginalia::index::SearchIndex;
use marginalia::model::Language;

/// `new DIR [--name] [--language]`.
pub fn new(dir: &Path, name: Option<String>, language: &str) -> Result<()> {
    let language = Language::parse(language)
        .ok_or_else(|| anyhow!("unknown language '{language}' (use nb, nn or en)"))?;
    let name = name.unwrap_or_else(|| folder_name(dir));
    Workspace::create(dir, &name, language)?;
    println!(
        "Created project '{name}' in {} (language {})",
        dir.display(),
        language.code()
    );
    Ok(())
}

fn folder_name(dir: &Path) -> String {
    dir.canonicalize()
        .ok()
        .as_deref()
        .unwrap_or(dir)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "Project".into())
}

/// `sample DIR`: the bundled sample study in a new folder.
pub fn sample(dir: &Path) -> Result<()> {
    let report = marginalia::sample::build(dir)?;
    for warning in &report.warnings {
        eprintln!("warning: {warning}");
    }
    println!(
        "Built the sample study in {}: {} documents, {} cases, {} codes, {} codings",
        dir.display(),
        report.documents,
        report.cases,
        report.codes,
        report.codings
    );
    Ok(())
}

/// `reindex DIR`.
pub fn reindex(dir: &Path) -> Result<()> {
    let ws = super::open_read_only(dir)?;
    let start = std::time::Instant::now();
    let mut index = SearchIndex::open_or_create(&ws.index_dir(), ws.project().meta().language)?;
    let n = index.rebuild(ws.project())?;
    println!(
        "Indexed {n} documents ({} passages) in {:.2} s",
        index.unit_count(),
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `undo DIR`.
pub fn undo(dir: &Path) -> Result<()> {
    step_history(dir, Workspace::undo, "Undid", "Nothing to undo")
}

/// `redo DIR`.
pub fn redo(dir: &Path) -> Result<()> {
    step_history(dir, Workspace::redo, "Redid", "Nothing to redo")
}

/// Undo or redo one step and save.
fn step_history(
    dir: &Path,
    step: fn(&mut Workspace) -> marginalia::Result<Option<String>>,
    done: &str,
    nothing: &str,
) -> Result<()> {
    let mut ws = super::open_project(dir)?;
    match step(&mut ws)? {
        Some(label) => {
            super::save(&mut ws)?;
            println!("{done}: {label}");
        }
        None => println!("{nothing}"),
    }
    Ok(())
}

/// `unlock DIR`: removes a lock whose process is gone.
pub fn unlock(dir: &Path) -> Result<()> {
    let layout = marginalia::store::Layout::new(dir);
    if !layout.is_project() {
        bail!("{}: not a Marginalia project", dir.display());
    }
    if marginalia::store::lock::ProjectLock::break_stale(&layout.lock_file())? {
        println!("Removed the lock of {}", dir.display());
    } else {
        println!("{} was not locked", dir.display());
    }
    Ok(())
}
