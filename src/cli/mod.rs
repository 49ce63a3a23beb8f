//! The command-line interface: every verb opens the project through the core, applies one edit, saves.

mod analysis;
mod args;
mod exchange;
mod output;

use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use marginalia::edit::Edit;
use marginalia::ids::{CodingId, MemoId};
use marginalia::index::SearchIndex;
use marginalia::model::{AttributeType, Case, DocumentKind, Language, MemoTarget, Project};
use marginalia::offsets::{CharRange, char_len};
use marginalia::{Workspace, import, ops, query};

pub use args::Cli;
use args::{CasesAction, CodesAction, Command, MemosAction, SetsAction};
use output::{print_json, print_search};

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
        } => {
            let language = Language::parse(&language)
                .ok_or_else(|| anyhow!("unknown language '{language}' (use nb, nn or en)"))?;
            let name = name.unwrap_or_else(|| folder_name(&dir));
            Workspace::create(&dir, &name, language)?;
            println!(
                "Created project '{name}' in {} (language {})",
                dir.display(),
                language.code()
            );
        }
        Command::Import {
            dir,
            files,
            case,
            attrs,
            kind,
            allow_duplicates,
            json,
        } => {
            let mut ws = Workspace::open(&dir)?;
            let kind = kind
                .map(|k| {
                    DocumentKind::parse(&k).ok_or_else(|| {
                        anyhow!(
                            "unknown kind '{k}' (use interview, observation, document or survey)"
                        )
                    })
                })
                .transpose()?;
            if !attrs.is_empty() && case.is_none() {
                bail!("--attr needs --case: attributes belong to a case");
            }
            let options = import::ImportOptions {
                kind,
                allow_duplicates,
            };
            let show_progress = !json.json && std::io::IsTerminal::is_terminal(&std::io::stderr());
            let (edit, report) =
                import::import_files(ws.project(), &files, &options, |done, total, path| {
                    if show_progress {
                        eprint!("\r{}", output::progress_bar(done, total, path));
                        if done == total {
                            eprintln!();
                        }
                    }
                });
            if let Some(edit) = edit {
                let label = edit.label(ws.project());
                let mut draft = ops::Draft::new(ws.project());
                draft.push(edit);
                if let Some(case_name) = &case {
                    let docs: Vec<_> = report.imported.iter().map(|f| f.document).collect();
                    ops::assign_documents(
                        &mut draft,
                        case_name,
                        &attribute_inputs(&attrs)?,
                        &docs,
                    )?;
                }
                let edit = draft.finish(label);
                ws.apply(edit)?;
                ws.save()?;
            }
            if json.json {
                print_json(&report)?;
            } else {
                output::print_import_report(&report);
            }
            if report.imported.is_empty() && !report.failed.is_empty() {
                bail!("no file was imported");
            }
        }
        Command::Docs { dir, json } => {
            let ws = Workspace::open_read_only(&dir)?;
            output::print_documents(ws.project(), json.json)?;
        }
        Command::Show { dir, doc, json } => {
            let ws = Workspace::open_read_only(&dir)?;
            let doc = find_doc(ws.project(), &doc)?;
            output::print_document(ws.project(), doc, json.json)?;
        }
        Command::Codes { dir, action } => codes(&dir, action)?,
        Command::Code {
            dir,
            doc,
            code,
            range,
            text: needle,
            occurrence,
            memo,
            create,
            json,
        } => {
            let mut ws = Workspace::open(&dir)?;
            let p = ws.project();
            let doc = find_doc(p, &doc)?;
            let text = p.text(doc.id);
            let range = match (range, needle) {
                (Some(range), _) => parse_range(&range)?,
                (None, Some(needle)) => {
                    find_occurrence(text, &needle, occurrence).ok_or_else(|| {
                        anyhow!(
                            "'{}' does not contain \"{needle}\" (occurrence {occurrence})",
                            doc.name
                        )
                    })?
                }
                (None, None) => bail!("give --range START..END or --match TEXT"),
            };
            if range.is_empty() || range.end > doc.char_len {
                bail!(
                    "range {range} is empty or outside '{}' (0..{})",
                    doc.name,
                    doc.char_len
                );
            }
            let doc_id = doc.id;
            let choice = match p.find_code(&code) {
                Some(c) => ops::CodeChoice::Existing(c.id),
                None if create => ops::CodeChoice::Path(&code),
                None => bail!(
                    "no code '{code}' in the codebook (add it with `marginalia codes DIR add`, or pass --create)"
                ),
            };
            let coded = ops::code_with(p, choice, &[(doc_id, range)], &coder, memo)?;
            let (code_id, coding_id) = (coded.code, coded.codings[0]);
            ws.apply(coded.edit)?;
            ws.save()?;
            let path = ws.project().code_path(code_id);
            if json.json {
                print_json(
                    &serde_json::json!({ "coding": coding_id, "code": path, "range": range }),
                )?;
            } else {
                let quoted =
                    marginalia::offsets::slice(ws.project().text(doc_id), range).unwrap_or("");
                println!(
                    "Coded {range} as '{path}': \"{}\" ({coding_id})",
                    output::shorten(quoted, 80)
                );
            }
        }
        Command::Uncode { dir, coding } => {
            let mut ws = Workspace::open(&dir)?;
            let id: CodingId = coding.parse().map_err(|e: String| anyhow!(e))?;
            let edit = ops::remove_coding(ws.project(), id)?;
            ws.apply(edit)?;
            ws.save()?;
            println!("Removed coding {id}");
        }
        Command::Search {
            dir,
            query,
            limit,
            regex,
            within,
            case_sensitive,
            json,
        } => {
            let ws = Workspace::open_read_only(&dir)?;
            let index = SearchIndex::for_project(&ws.index_dir(), ws.project())?;
            let results = if regex {
                query::regex_search(
                    &index,
                    ws.project(),
                    &query,
                    within.as_deref(),
                    case_sensitive,
                    Some(limit),
                )?
            } else {
                if within.is_some() {
                    bail!(
                        "--within works with --regex; for word searches put the filters in the query"
                    );
                }
                query::search(&index, ws.project(), &query, Some(limit))?
            };
            print_search(&results, json.json)?;
        }
        Command::Excerpts(args) => exchange::excerpts(args)?,
        Command::ExportQdpx { dir, output, json } => {
            exchange::export_qdpx(&dir, &output, json.json)?
        }
        Command::ImportQdpx { file, dir, json } => exchange::import_qdpx(&file, &dir, json.json)?,
        Command::ExportQdc { dir, output } => exchange::export_qdc(&dir, &output)?,
        Command::ImportQdc { dir, file, json } => exchange::import_qdc(&dir, &file, json.json)?,
        Command::ExportCodebook {
            dir,
            format,
            output,
        } => exchange::export_codebook(&dir, &format, &output)?,
        Command::ExportTable {
            dir,
            format,
            output,
        } => exchange::export_table(&dir, &format, &output)?,
        Command::Cases { dir, action } => cases(&dir, action)?,
        Command::Memos { dir, action } => memos(&dir, action, &coder)?,
        Command::Sets { dir, action } => sets(&dir, action)?,
        Command::Stats { dir, json } => {
            let ws = Workspace::open_read_only(&dir)?;
            output::print_stats(ws.project(), json.json)?;
        }
        Command::Reindex { dir } => {
            let ws = Workspace::open_read_only(&dir)?;
            let start = std::time::Instant::now();
            let mut index =
                SearchIndex::open_or_create(&ws.index_dir(), ws.project().meta().language)?;
            let n = index.rebuild(ws.project())?;
            println!(
                "Indexed {n} documents ({} passages) in {:.2} s",
                index.unit_count(),
                start.elapsed().as_secs_f64()
            );
        }
        Command::Undo { dir } => step_history(&dir, Workspace::undo, "Undid", "Nothing to undo")?,
        Command::Redo { dir } => step_history(&dir, Workspace::redo, "Redid", "Nothing to redo")?,
        Command::Unlock { dir } => {
            let layout = marginalia::store::Layout::new(&dir);
            if !layout.is_project() {
                bail!("{}: not a Marginalia project", dir.display());
            }
            if marginalia::store::lock::ProjectLock::break_stale(&layout.lock_file())? {
                println!("Removed the lock of {}", dir.display());
            } else {
                println!("{} was not locked", dir.display());
            }
        }
        Command::ImportSurvey {
            dir,
            file,
            id,
            text,
            attrs,
            per,
            sheet,
            json,
        } => {
            let per = import::formats::survey::Per::parse(&per)
                .ok_or_else(|| anyhow!("--per must be respondent or question, not '{per}'"))?;
            let options = import::formats::survey::SurveyOptions {
                id_column: id,
                text_columns: text,
                attribute_columns: attrs,
                per,
                sheet,
            };
            let mut ws = Workspace::open(&dir)?;
            let (edit, report) =
                import::formats::survey::import_survey(ws.project(), &file, &options)?;
            ws.apply(edit)?;
            ws.save()?;
            if json.json {
                print_json(&report)?;
            } else {
                output::print_survey_report(&report);
            }
        }
        Command::Matrix(args) => analysis::run_matrix(args)?,
        Command::Cooccurrence(args) => analysis::run_cooccurrence(args)?,
        Command::Query(args) => analysis::run_query_verb(args, &coder)?,
        Command::Words(args) => analysis::run_words(args)?,
        Command::Sample { dir } => {
            let report = marginalia::sample::build(&dir)?;
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
        }
    }
    Ok(())
}

/// Undo or redo one step and save.
fn step_history(
    dir: &Path,
    step: fn(&mut Workspace) -> marginalia::Result<Option<String>>,
    done: &str,
    nothing: &str,
) -> Result<()> {
    let mut ws = Workspace::open(dir)?;
    match step(&mut ws)? {
        Some(label) => {
            ws.save()?;
            println!("{done}: {label}");
        }
        None => println!("{nothing}"),
    }
    Ok(())
}

fn default_coder() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .ok()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| "researcher".into())
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

fn find_doc<'p>(p: &'p Project, key: &str) -> Result<&'p marginalia::model::Document> {
    p.find_document(key)
        .ok_or_else(|| anyhow!("no document named '{key}' (see `marginalia docs`)"))
}

fn find_code<'p>(p: &'p Project, key: &str) -> Result<&'p marginalia::model::Code> {
    p.find_code(key)
        .ok_or_else(|| anyhow!("no code '{key}' in the codebook (see `marginalia codes DIR list`)"))
}

fn find_case<'p>(p: &'p Project, key: &str) -> Result<&'p Case> {
    p.find_case(key)
        .ok_or_else(|| anyhow!("no case named '{key}' (see `marginalia cases DIR list`)"))
}

fn find_coder<'p>(p: &'p Project, key: &str) -> Result<&'p marginalia::model::Coder> {
    p.find_coder(key)
        .ok_or_else(|| anyhow!("no coder named '{key}'"))
}

/// Resolves many names at once with one of the `find_*` functions; the first unknown name is the error.
fn ids<'p, T: 'p, I>(
    p: &'p Project,
    keys: &[String],
    find: impl Fn(&'p Project, &str) -> Result<&'p T>,
    id: impl Fn(&T) -> I,
) -> Result<Vec<I>> {
    keys.iter().map(|k| find(p, k).map(&id)).collect()
}

fn parse_range(text: &str) -> Result<CharRange> {
    let (s, e) = text
        .split_once("..")
        .ok_or_else(|| anyhow!("'{text}' is not a range like 120..245"))?;
    let start = s
        .trim()
        .parse()
        .with_context(|| format!("'{s}' is not a position"))?;
    let end = e
        .trim()
        .parse()
        .with_context(|| format!("'{e}' is not a position"))?;
    if end <= start {
        bail!("range {text} is empty or backwards");
    }
    Ok(CharRange::new(start, end))
}

/// The code-point range of the n-th (1-based) occurrence of `needle`.
fn find_occurrence(text: &str, needle: &str, occurrence: usize) -> Option<CharRange> {
    if needle.is_empty() || occurrence == 0 {
        return None;
    }
    let (byte, _) = text.match_indices(needle).nth(occurrence - 1)?;
    let start = char_len(&text[..byte]);
    Some(CharRange::new(start, start + char_len(needle)))
}

/// Parses `NAME=VALUE` arguments.
fn attribute_inputs(values: &[String]) -> Result<Vec<ops::AttributeInput>> {
    Ok(values
        .iter()
        .map(|v| ops::AttributeInput::parse(v))
        .collect::<Result<_, _>>()?)
}

fn commit(ws: &mut Workspace, edit: Edit) -> Result<String> {
    let label = ws.apply(edit)?;
    ws.save()?;
    Ok(label)
}

fn codes(dir: &Path, action: CodesAction) -> Result<()> {
    if let CodesAction::List { json } = action {
        let ws = Workspace::open_read_only(dir)?;
        return output::print_codebook(ws.project(), json.json);
    }
    if let CodesAction::Export { file } = &action {
        let ws = Workspace::open_read_only(dir)?;
        let text = marginalia::codebook_file::CodebookFile::from_project(ws.project()).to_ron()?;
        marginalia::store::write_atomic(file, text.as_bytes())?;
        println!(
            "Wrote {} codes to {}",
            ws.project().codes().len(),
            file.display()
        );
        return Ok(());
    }
    let mut ws = Workspace::open(dir)?;
    let p = ws.project();
    let edit = match action {
        CodesAction::List { .. } | CodesAction::Export { .. } => unreachable!("handled above"),
        CodesAction::Add {
            path,
            colour,
            description,
        } => ops::add_code_path(p, &path, colour.as_deref(), &description)?.1,
        CodesAction::Rename { code, name } => ops::rename_code(p, find_code(p, &code)?.id, &name)?,
        CodesAction::Move { code, to, position } => {
            let id = find_code(p, &code)?.id;
            let parent = to.map(|t| find_code(p, &t).map(|c| c.id)).transpose()?;
            ops::move_code(p, id, parent, position)?
        }
        CodesAction::Merge { from, into } => {
            ops::merge_codes(p, find_code(p, &from)?.id, find_code(p, &into)?.id)?
        }
        CodesAction::Delete { code } => {
            let id = find_code(p, &code)?.id;
            let n = ops::codings_under(p, id);
            let edit = ops::delete_code(p, id)?;
            eprintln!(
                "Deleting '{}' with {n} coding(s); `marginalia undo` brings them back",
                p.code_path(id)
            );
            edit
        }
        CodesAction::Describe { code, description } => {
            ops::describe_code(p, find_code(p, &code)?.id, &description)?
        }
        CodesAction::Colour { code, colour } => {
            ops::colour_code(p, find_code(p, &code)?.id, &colour)?
        }
        CodesAction::Import { file } => {
            let book = marginalia::codebook_file::CodebookFile::read(&file)?;
            let (edit, added) = book.import_edit(p)?;
            println!("Adding {added} codes from {}", file.display());
            edit
        }
    };
    let label = commit(&mut ws, edit)?;
    println!("Done: {label}");
    Ok(())
}

fn cases(dir: &Path, action: CasesAction) -> Result<()> {
    if let CasesAction::List { json } = action {
        let ws = Workspace::open_read_only(dir)?;
        return output::print_cases(ws.project(), json.json);
    }
    let mut ws = Workspace::open(dir)?;
    let p = ws.project();
    let edit = match action {
        CasesAction::List { .. } => unreachable!("handled above"),
        CasesAction::Add {
            name,
            attrs,
            description,
        } => ops::add_case_named(p, &name, &description, &attribute_inputs(&attrs)?, &[])?.1,
        CasesAction::Set { case, values } => {
            ops::set_attribute_values(p, find_case(p, &case)?.id, &attribute_inputs(&values)?)?
        }
        CasesAction::Unset { case, keys } => {
            ops::unset_attributes(p, find_case(p, &case)?.id, &keys)?
        }
        CasesAction::Link { case, docs } => {
            let docs = ids(p, &docs, find_doc, |d| d.id)?;
            ops::link_documents(p, find_case(p, &case)?.id, &docs)?
        }
        CasesAction::Unlink { case, docs } => {
            let docs = ids(p, &docs, find_doc, |d| d.id)?;
            ops::unlink_documents(p, find_case(p, &case)?.id, &docs)?
        }
        CasesAction::Delete { case } => ops::delete_case(p, find_case(p, &case)?.id)?,
        CasesAction::Define { name, r#type } => {
            let kind = AttributeType::parse(&r#type).ok_or_else(|| {
                anyhow!(
                    "unknown type '{}' (use text, integer, number, boolean or date)",
                    r#type
                )
            })?;
            ops::define_attribute(p, &name, kind)?
        }
        CasesAction::ImportCsv { file } => marginalia::sample::cases_from_csv(p, &file)?,
    };
    let label = commit(&mut ws, edit)?;
    println!("Done: {label}");
    Ok(())
}

fn memo_target(p: &Project, on: &str) -> Result<MemoTarget> {
    if on.eq_ignore_ascii_case("project") {
        return Ok(MemoTarget::Project);
    }
    let (kind, key) = on.split_once(':').ok_or_else(|| {
        anyhow!("--on must be project, doc:NAME, code:PATH, case:NAME or coding:ID")
    })?;
    Ok(match kind {
        "doc" | "document" => MemoTarget::Document(find_doc(p, key)?.id),
        "code" => MemoTarget::Code(find_code(p, key)?.id),
        "case" => MemoTarget::Case(find_case(p, key)?.id),
        "coding" => {
            let id: CodingId = key.parse().map_err(|e: String| anyhow!(e))?;
            if !p.codings().contains_key(&id) {
                bail!("no coding {id}");
            }
            MemoTarget::Coding(id)
        }
        other => {
            bail!("unknown memo target '{other}' (use project, doc:, code:, case: or coding:)")
        }
    })
}

fn memos(dir: &Path, action: MemosAction, coder: &str) -> Result<()> {
    if let MemosAction::List { json } = action {
        let ws = Workspace::open_read_only(dir)?;
        return output::print_memos(ws.project(), json.json);
    }
    let mut ws = Workspace::open(dir)?;
    let p = ws.project();
    let edit = match action {
        MemosAction::List { .. } => unreachable!("handled above"),
        MemosAction::Add { on, title, text } => {
            ops::add_memo(p, memo_target(p, &on)?, &title, &text, coder)?.1
        }
        MemosAction::Delete { memo } => {
            let id: MemoId = memo.parse().map_err(|e: String| anyhow!(e))?;
            ops::delete_memo(p, id)?
        }
    };
    let label = commit(&mut ws, edit)?;
    println!("Done: {label}");
    Ok(())
}

fn sets(dir: &Path, action: SetsAction) -> Result<()> {
    if let SetsAction::List { json } = action {
        let ws = Workspace::open_read_only(dir)?;
        return output::print_sets(ws.project(), json.json);
    }
    let mut ws = Workspace::open(dir)?;
    let p = ws.project();
    let edit = match action {
        SetsAction::List { .. } => unreachable!("handled above"),
        SetsAction::Add { name, docs } => {
            ops::add_to_set(p, &name, &ids(p, &docs, find_doc, |d| d.id)?)?
        }
        SetsAction::Delete { name } => {
            let set = p
                .find_set(&name)
                .ok_or_else(|| anyhow!("no document set named '{name}'"))?;
            ops::delete_set(p, set.id)?
        }
    };
    let label = commit(&mut ws, edit)?;
    println!("Done: {label}");
    Ok(())
}
