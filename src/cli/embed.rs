//! Meaning features from the command line: `embed` (build or update the passage vectors), `search` with a
//! `~"…"` term or `--meaning` (meaning fused with keywords), `similar` (more like this for a text or a coding)
//! and `suggest`. Thin: the work is done by [`marginalia::embed::session::Meaning`].

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use anyhow::{Result, bail};
use clap::Args;
use marginalia::Workspace;
use marginalia::embed::session::{self, Meaning};
use marginalia::embed::vectors;
use marginalia::ids::CodingId;
use marginalia::index::SearchIndex;

use super::args::Json;
use super::output::print_search;
use super::resolve;

/// `embed DIR`.
#[derive(Debug, Args)]
pub struct EmbedArgs {
    pub dir: PathBuf,
}

/// `similar DIR --text "…" | --coding ID [--within QUERY] [--limit N] [--json]`.
#[derive(Debug, Args)]
pub struct SimilarArgs {
    pub dir: PathBuf,
    /// Passages like this text.
    #[arg(long, conflicts_with = "coding", required_unless_present = "coding")]
    pub text: Option<String>,
    /// Passages like the passage of this coding (its id).
    #[arg(long)]
    pub coding: Option<String>,
    /// Only passages that this query matches (e.g. 'case:Skule-03').
    #[arg(long, value_name = "QUERY")]
    pub within: Option<String>,
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    #[command(flatten)]
    pub json: Json,
}

/// Brings the vectors up to date with a progress line on standard error; returns the loaded session.
fn update_vectors(ws: &Workspace) -> Result<(Meaning, vectors::BuildReport)> {
    let embedder = session::load_embedder()?;
    let started = Instant::now();
    let cancel = AtomicBool::new(false);
    let mut shown = false;
    let built = Meaning::build(
        embedder,
        ws.root(),
        ws.project(),
        &mut |p| {
            if p.total == 0 {
                return;
            }
            let secs = started.elapsed().as_secs_f64().max(0.001);
            let rate = p.done as f64 / secs;
            let eta = if rate > 0.0 {
                format!(", {:.0} s left", (p.total - p.done) as f64 / rate)
            } else {
                String::new()
            };
            let name: String = p.document.chars().take(30).collect();
            eprint!(
                "\rembedding {:>3}% {}/{} passages, {rate:.1}/s{eta} · {name:<30}",
                p.done * 100 / p.total,
                p.done,
                p.total
            );
            let _ = std::io::stderr().flush();
            shown = true;
        },
        &cancel,
    )?;
    if shown {
        eprintln!();
    }
    Ok(built)
}

/// `embed DIR`: builds or updates the vectors (only new or changed documents; a killed run resumes).
pub fn embed(args: EmbedArgs) -> Result<()> {
    let ws = super::open_read_only(&args.dir)?;
    let started = Instant::now();
    let (_, report) = update_vectors(ws)?;
    println!(
        "{} passages of {} documents embedded in {:.1} s; {} documents were up to date{}",
        report.units,
        report.documents,
        started.elapsed().as_secs_f64(),
        report.fresh,
        if report.removed > 0 {
            format!("; vectors of {} removed documents deleted", report.removed)
        } else {
            String::new()
        }
    );
    Ok(())
}

/// The meaning session of a project, embedding whatever is missing first.
pub(crate) fn current_meaning(ws: &Workspace) -> Result<Meaning> {
    let meaning = Meaning::open(ws.root(), ws.project())?;
    if meaning.is_current(ws.project()) {
        return Ok(meaning);
    }
    eprintln!(
        "{} documents have no current vectors yet; embedding them first",
        meaning.missing()
    );
    Ok(update_vectors(ws)?.0)
}

/// `search DIR QUERY` with a meaning term, or `--meaning [--within FILTERS]`: meaning fused with keywords.
pub fn meaning_search(
    dir: &Path,
    text: &str,
    whole: bool,
    within: Option<&str>,
    limit: usize,
    json: bool,
) -> Result<()> {
    let ws = super::open_read_only(dir)?;
    // A query that does not parse is reported before the model is loaded.
    marginalia::query::parse::parse(text)?;
    let meaning = current_meaning(ws)?;
    let index = SearchIndex::for_project(&ws.index_dir(), ws.project())?;
    let results = if whole {
        meaning.search_whole(&index, ws.project(), text, within, limit)?
    } else {
        meaning.search(&index, ws.project(), text, limit)?
    };
    print_search(&results, json)
}

/// `similar DIR --text … | --coding ID`.
pub fn similar_verb(args: SimilarArgs) -> Result<()> {
    let ws = super::open_read_only(&args.dir)?;
    let coding = match &args.coding {
        Some(id) => {
            let coding_id: CodingId = resolve::parse_id(id)?;
            if !ws.project().codings().contains_key(&coding_id) {
                bail!("no coding {coding_id} in this project (see `marginalia excerpts DIR`)");
            }
            Some(coding_id)
        }
        None => None,
    };
    let meaning = current_meaning(ws)?;
    let index = SearchIndex::for_project(&ws.index_dir(), ws.project())?;
    let allowed = session::allowed_units(&index, ws.project(), args.within.as_deref())?;
    let results = match (&args.text, coding) {
        (Some(text), _) => {
            meaning.similar_to_text(ws.project(), text, allowed.as_ref(), args.limit)
        }
        (None, Some(id)) => meaning
            .similar_to_coding(ws.project(), id, allowed.as_ref(), args.limit)
            .unwrap_or_default(),
        (None, None) => bail!("give --text \"…\" or --coding ID"),
    };
    print_search(&results, args.json.json)
}

/// `suggest DIR --code X [--limit N] [--json]`.
#[derive(Debug, Args)]
pub struct SuggestArgs {
    pub dir: PathBuf,
    /// The code (name, path or id) to suggest passages for.
    #[arg(long)]
    pub code: String,
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    #[command(flatten)]
    pub json: Json,
}

/// `suggest DIR --code X`: passages not yet coded with X, closest to its coded passages first. Codes nothing.
pub fn suggest_verb(args: SuggestArgs) -> Result<()> {
    let ws = super::open_read_only(&args.dir)?;
    let code = resolve::find_code(ws.project(), &args.code)?;
    let meaning = current_meaning(ws)?;
    let results = meaning.suggest(ws.project(), code.id, args.limit)?;
    print_search(&results, args.json.json)
}
