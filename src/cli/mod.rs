//! The command-line interface: each verb opens the project through the core, changes it only through
//! `marginalia::ops` (one undoable edit), saves, and prints; every file it writes goes through
//! `store::write_export`, which refuses a place inside a project folder.

mod agreement;
mod analysis;
mod args;
mod cases;
mod codebook;
mod coding;
mod documents;
mod embed;
mod excerpts;
mod exchange;
mod memos;
mod model;
mod output;
mod project;
mod resolve;
mod search;
mod sets;
mod team;

use std::path::Path;

use anyhow::{Result, bail};
use marginalia::Workspace;
use marginalia::edit::Edit;
use marginalia::model::Project;

pub use args::Cli;
use args::Command;

/// Runs one CLI command.
pub fn run(cli: Cli) -> Result<()> {
    let coder = cli.coder.clone().unwrap_or_else(default_coder);
    let Some(command) = cli.command else {
        bail!("no command given; see `marginalia --help`")
    };
    match command {
        Command::New {
            dir,
            name,
            language,
        } => project::new(&dir, name, &language),
        Command::Import(args) => documents::import(args),
        Command::ImportSurvey(args) => documents::import_survey(args),
        Command::Docs { dir, action, json } => documents::docs(&dir, action, json.json),
        Command::Show { dir, doc, json } => documents::show(&dir, &doc, json.json),
        Command::Codes { dir, action } => codebook::codes(&dir, action),
        Command::Code(args) => coding::code(args, &coder),
        Command::Uncode { dir, coding } => coding::uncode(&dir, &coding),
        Command::Search(args) => search::search(args),
        Command::Excerpts(args) => excerpts::excerpts(args),
        Command::ExportQdpx { dir, output, json } => {
            exchange::export_qdpx(&dir, &output, json.json)
        }
        Command::ImportQdpx { file, dir, json } => exchange::import_qdpx(&file, &dir, json.json),
        Command::ExportQdc { dir, output } => exchange::export_qdc(&dir, &output),
        Command::ImportQdc { dir, file, json } => exchange::import_qdc(&dir, &file, json.json),
        Command::ExportCodebook {
            dir,
            format,
            layout,
            output,
        } => exchange::export_codebook(&dir, &format, &layout, &output),
        Command::ExportTable {
            dir,
            coders,
            format,
            output,
        } => exchange::export_table(&dir, &coders, &format, &output),
        Command::Cases { dir, action } => cases::cases(&dir, action),
        Command::Memos { dir, action } => memos::memos(&dir, action, &coder),
        Command::Sets { dir, action } => sets::sets(&dir, action),
        Command::Stats { dir, json } => show(&dir, json.json, output::print_stats),
        Command::Reindex { dir } => project::reindex(&dir),
        Command::Undo { dir } => project::undo(&dir),
        Command::Redo { dir } => project::redo(&dir),
        Command::Unlock { dir } => project::unlock(&dir),
        Command::Sample { dir } => project::sample(&dir),
        Command::Matrix(args) => analysis::run_matrix(args),
        Command::Cooccurrence(args) => analysis::run_cooccurrence(args),
        Command::Query(args) => analysis::run_query_verb(args, &coder),
        Command::Words(args) => analysis::run_words(args),
        Command::Agreement(args) => agreement::run_agreement(args),
        Command::Disagreements(args) => agreement::run_disagreements(args),
        Command::Merge { dir, other, json } => team::merge(&dir, &other, json.json),
        Command::Coders { dir, action, json } => team::coders(&dir, action, json.json),
        Command::GitSetup { dir } => team::git_setup(&dir),
        Command::GitMergeDriver {
            base,
            ours,
            theirs,
            path,
        } => team::git_merge_driver(&base, &ours, &theirs, &path),
        Command::Resolve(args) => coding::run_resolve(args),
        Command::Model(args) => model::run(args),
        Command::Embed(args) => embed::embed(args),
        Command::Similar(args) => embed::similar_verb(args),
        Command::Suggest(args) => embed::suggest_verb(args),
    }
}

fn default_coder() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .ok()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| "researcher".into())
}

/// Opens a project for writing, telling the user what the opening found (e.g. an undo history set aside).
pub(crate) fn open_project(dir: &Path) -> Result<Workspace> {
    let mut ws = Workspace::open(dir)?;
    print_notices(&mut ws);
    Ok(ws)
}

/// Saves (project files and undo history in one commit), then tells the user anything the save noticed.
pub(crate) fn save(ws: &mut Workspace) -> Result<()> {
    ws.save()?;
    print_notices(ws);
    Ok(())
}

fn print_notices(ws: &mut Workspace) {
    for notice in ws.take_notices() {
        eprintln!("note: {notice}");
    }
}

/// Saves, and brings the search index up to date while the save's files reach the disk, so the project is
/// searchable at once (the workbench opens it without indexing again).
pub(crate) fn save_and_index(ws: &mut Workspace) -> Result<()> {
    let dir = ws.index_dir();
    let synced = ws.save_alongside(|project| marginalia::index::update(&dir, project))?;
    print_notices(ws);
    Ok(synced?)
}

/// Opens a project read-only for the rest of this run. The workspace is deliberately never freed: the process
/// ends right after the command, and taking apart a 35,000-document project (a million ranges and strings)
/// would only add tens of milliseconds to every command.
pub(crate) fn open_read_only(dir: &Path) -> Result<&'static Workspace> {
    Ok(Box::leak(Box::new(Workspace::open_read_only(dir)?)))
}

/// Opens a project read-only and prints it with `print` (a table, or JSON).
fn show(dir: &Path, json: bool, print: fn(&Project, bool) -> Result<()>) -> Result<()> {
    let ws = open_read_only(dir)?;
    print(ws.project(), json)
}

/// Opens a project for writing, builds one edit against it, applies and saves it; returns the edit's label.
fn change(dir: &Path, build: impl FnOnce(&Project) -> Result<Edit>) -> Result<String> {
    let mut ws = open_project(dir)?;
    let edit = build(ws.project())?;
    let label = ws.apply(edit)?;
    save(&mut ws)?;
    Ok(label)
}

/// [`change`], then `Done: <what changed>`.
fn change_and_report(dir: &Path, build: impl FnOnce(&Project) -> Result<Edit>) -> Result<()> {
    let label = change(dir, build)?;
    println!("Done: {label}");
    Ok(())
}

/// Opens a project read-only, renders one file from it and writes the file (never inside a project folder);
/// then `Wrote <what render says> to FILE`.
fn export_file(
    dir: &Path,
    output: &Path,
    render: impl FnOnce(&Project) -> Result<(Vec<u8>, String)>,
) -> Result<()> {
    let ws = open_read_only(dir)?;
    let (bytes, what) = render(ws.project())?;
    marginalia::store::write_export(output, &bytes)?;
    println!("Wrote {what} to {}", output.display());
    Ok(())
}
