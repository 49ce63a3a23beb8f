//! Meaning features from the command line: `embed` (build or update the passage vectors), `search --meaning`
//! (meaning fused with keywords) and `similar` (more like this for a text or a coding).

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use anyhow::{Result, bail};
use clap::Args;
use marginalia::embed::search::{UnitKey, fused_search, range_vector, similar};
use marginalia::embed::vectors::{self, VectorSet};
use marginalia::embed::{Embedder, Kind, fetch};
use marginalia::ids::CodingId;
use marginalia::index::SearchIndex;
use marginalia::model::Project;
use marginalia::{Workspace, query};

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

fn load_model() -> Result<Embedder> {
    let path = fetch::require_model()?;
    Ok(Embedder::load(&path)?)
}

/// Brings the vectors up to date with a progress line on standard error.
fn update_vectors(
    root: &Path,
    project: &Project,
    model: &Embedder,
) -> Result<vectors::BuildReport> {
    let dir = vectors::store_dir(root);
    let started = Instant::now();
    let cancel = AtomicBool::new(false);
    let mut shown = false;
    let report = vectors::build(
        &dir,
        project,
        model,
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
    Ok(report)
}

/// `embed DIR`: builds or updates the vectors (only new or changed documents; a killed run resumes).
pub fn embed(args: EmbedArgs) -> Result<()> {
    let ws = Workspace::open_read_only(&args.dir)?;
    let model = load_model()?;
    let started = Instant::now();
    let report = update_vectors(ws.root(), ws.project(), &model)?;
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

/// The vectors of a project, embedding whatever is missing first.
fn current_vectors(ws: &Workspace, model: &Embedder) -> Result<VectorSet> {
    let dir = vectors::store_dir(ws.root());
    let mut set = VectorSet::load(&dir, ws.project());
    if set.missing > 0 {
        eprintln!(
            "{} documents have no vectors yet; embedding them first",
            set.missing
        );
        update_vectors(ws.root(), ws.project(), model)?;
        set = VectorSet::load(&dir, ws.project());
    }
    Ok(set)
}

/// The units a filter query accepts.
fn allowed_units(
    index: &SearchIndex,
    project: &Project,
    within: Option<&str>,
) -> Result<Option<BTreeSet<UnitKey>>> {
    Ok(match within {
        Some(q) if !q.trim().is_empty() => Some(
            query::search(index, project, q, None)?
                .hits
                .iter()
                .map(|h| (h.document, h.passage.start))
                .collect(),
        ),
        _ => None,
    })
}

/// `search DIR QUERY --meaning [--within FILTERS]`: meaning fused with the keyword ranking of the same query.
pub fn meaning_search(
    dir: &Path,
    text: &str,
    within: Option<&str>,
    limit: usize,
    json: bool,
) -> Result<()> {
    let ws = Workspace::open_read_only(dir)?;
    let model = load_model()?;
    let set = current_vectors(&ws, &model)?;
    let index = SearchIndex::for_project(&ws.index_dir(), ws.project())?;
    let allowed = allowed_units(&index, ws.project(), within)?;
    // The same words as a keyword query, when they parse as one (a phrase of plain words always does).
    let keyword = query::search(
        &index,
        ws.project(),
        text,
        Some(super::search::KEYWORD_CANDIDATES),
    )
    .ok();
    let vector = model.embed_one(text, Kind::Query);
    let results = fused_search(
        ws.project(),
        &set,
        &vector,
        keyword.as_ref(),
        allowed.as_ref(),
        limit,
    );
    print_search(&results, json)
}

/// `similar DIR --text … | --coding ID`.
pub fn similar_verb(args: SimilarArgs) -> Result<()> {
    let ws = Workspace::open_read_only(&args.dir)?;
    let model = load_model()?;
    let set = current_vectors(&ws, &model)?;
    let index = SearchIndex::for_project(&ws.index_dir(), ws.project())?;
    let allowed = allowed_units(&index, ws.project(), args.within.as_deref())?;
    let (vector, exclude) = match (&args.text, &args.coding) {
        (Some(text), _) => (model.embed_one(text, Kind::Passage), None),
        (None, Some(id)) => {
            let coding_id: CodingId = resolve::parse_id(id)?;
            let Some(coding) = ws.project().codings().get(&coding_id) else {
                bail!("no coding {coding_id} in this project (see `marginalia excerpts DIR`)");
            };
            let vector = match range_vector(&set, ws.project(), coding.document, coding.range) {
                Some(v) => v,
                None => {
                    let text = ws.project().text(coding.document);
                    let passage: String = text
                        .chars()
                        .skip(coding.range.start)
                        .take(coding.range.len())
                        .collect();
                    model.embed_one(&passage, Kind::Passage)
                }
            };
            (vector, Some((coding.document, coding.range)))
        }
        (None, None) => bail!("give --text \"…\" or --coding ID"),
    };
    let results = similar(
        ws.project(),
        &set,
        &vector,
        exclude,
        allowed.as_ref(),
        args.limit,
    );
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
    let ws = Workspace::open_read_only(&args.dir)?;
    let code = resolve::find_code(ws.project(), &args.code)?;
    let model = load_model()?;
    let set = current_vectors(&ws, &model)?;
    let Some(results) = marginalia::embed::search::suggest(ws.project(), &set, code.id, args.limit)
    else {
        bail!(
            "code {:?} needs at least {} coded passages before passages can be suggested for it",
            code.name,
            marginalia::embed::search::MIN_CODED_FOR_SUGGESTIONS
        );
    };
    print_search(&results, args.json.json)
}
