//! The command-line interface: every verb opens the project through the core, applies one edit, saves.

mod analysis;
mod args;
mod exchange;
mod output;

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use marginalia::edit::{Edit, Entity, EntityKey};
use marginalia::ids::{CodingId, MemoId};
use marginalia::index::SearchIndex;
use marginalia::model::{
    AttributeDef, AttributeType, Case, DocumentKind, DocumentSet, Language, Memo, MemoTarget,
    Project,
};
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
                import::import_files(&ws.project, &files, &options, |done, total, path| {
                    if show_progress {
                        eprint!("\r{}", output::progress_bar(done, total, path));
                        if done == total {
                            eprintln!();
                        }
                    }
                });
            if let Some(edit) = edit {
                let mut edits = vec![edit];
                if let Some(case_name) = &case {
                    let mut scratch = ws.project.clone();
                    scratch.apply(edits[0].clone())?;
                    let docs: Vec<_> = report.imported.iter().map(|f| f.document).collect();
                    edits.extend(case_edits(&scratch, case_name, &attrs, &docs)?);
                }
                let label = edits[0].label(&ws.project);
                ws.apply(Edit::batch(label, edits))?;
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
            output::print_documents(&ws.project, json.json)?;
        }
        Command::Show { dir, doc, json } => {
            let ws = Workspace::open_read_only(&dir)?;
            let doc = find_doc(&ws.project, &doc)?;
            output::print_document(&ws.project, doc, json.json)?;
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
            let p = &ws.project;
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
            let mut edits = Vec::new();
            let mut scratch = p.clone();
            let code_id = match p.find_code(&code) {
                Some(c) => c.id,
                None if create => {
                    let (id, new) = ops::ensure_code_path(p, &code)?;
                    for e in &new {
                        scratch.apply(e.clone())?;
                    }
                    edits.extend(new);
                    id
                }
                None => bail!(
                    "no code '{code}' in the codebook (add it with `marginalia codes DIR add`, or pass --create)"
                ),
            };
            let (coder_id, add_coder) = ops::ensure_coder(&scratch, &coder);
            if let Some(e) = add_coder {
                scratch.apply(e.clone())?;
                edits.push(e);
            }
            let (coding_id, edit) =
                ops::code_passage(&scratch, doc_id, code_id, range, coder_id, memo)?;
            let label = edit.label(&scratch);
            edits.push(edit);
            ws.apply(Edit::batch(label, edits))?;
            ws.save()?;
            let path = ws.project.code_path(code_id);
            if json.json {
                print_json(
                    &serde_json::json!({ "coding": coding_id, "code": path, "range": range }),
                )?;
            } else {
                let quoted =
                    marginalia::offsets::slice(ws.project.text(doc_id), range).unwrap_or("");
                println!(
                    "Coded {range} as '{path}': \"{}\" ({coding_id})",
                    output::shorten(quoted, 80)
                );
            }
        }
        Command::Uncode { dir, coding } => {
            let mut ws = Workspace::open(&dir)?;
            let id: CodingId = coding.parse().map_err(|e: String| anyhow!(e))?;
            let memos: Vec<Edit> = ws
                .project
                .memos_on(MemoTarget::Coding(id))
                .iter()
                .map(|m| Edit::Delete(EntityKey::Memo(m.id)))
                .collect();
            let mut edits = memos;
            edits.push(Edit::Delete(EntityKey::Coding(id)));
            ws.apply(Edit::batch("remove coding", edits))?;
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
            let index = SearchIndex::for_project(&ws.index_dir(), &ws.project)?;
            let results = if regex {
                query::regex_search(
                    &index,
                    &ws.project,
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
                query::search(&index, &ws.project, &query, Some(limit))?
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
            output::print_stats(&ws.project, json.json)?;
        }
        Command::Reindex { dir } => {
            let ws = Workspace::open_read_only(&dir)?;
            let start = std::time::Instant::now();
            let mut index = SearchIndex::open_or_create(&ws.index_dir(), ws.project.meta.language)?;
            let n = index.rebuild(&ws.project)?;
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
                import::formats::survey::import_survey(&ws.project, &file, &options)?;
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

fn split_kv(text: &str) -> Result<(String, String)> {
    let (k, v) = text
        .split_once('=')
        .ok_or_else(|| anyhow!("'{text}' is not KEY=VALUE"))?;
    if k.trim().is_empty() {
        bail!("'{text}' has no attribute name");
    }
    Ok((k.trim().to_string(), v.trim().to_string()))
}

/// Edits that give a case these attribute values (defining new attributes with an inferred type).
fn attribute_edits(p: &Project, case: &mut Case, values: &[String]) -> Result<Vec<Edit>> {
    let mut edits = Vec::new();
    for kv in values {
        let (key, value) = split_kv(kv)?;
        let def = match p
            .attributes
            .values()
            .find(|a| a.name.to_lowercase() == key.to_lowercase())
        {
            Some(def) => def.clone(),
            None => {
                let def = AttributeDef {
                    name: key.clone(),
                    kind: AttributeType::infer([value.as_str()]),
                };
                edits.push(Edit::Put(Entity::Attribute(def.clone())));
                def
            }
        };
        let typed = def
            .kind
            .parse_value(&value)
            .map_err(|e| anyhow!("attribute '{}': {e}", def.name))?;
        case.attributes.insert(def.name.clone(), typed);
    }
    Ok(edits)
}

/// Edits that create or update a case, set attributes, and link documents.
fn case_edits(
    p: &Project,
    name: &str,
    attrs: &[String],
    docs: &[marginalia::ids::DocumentId],
) -> Result<Vec<Edit>> {
    let mut case = p.find_case(name).cloned().unwrap_or_else(|| Case {
        id: marginalia::ids::CaseId::new(),
        name: name.trim().to_string(),
        description: String::new(),
        attributes: BTreeMap::new(),
        documents: Default::default(),
    });
    let mut edits = attribute_edits(p, &mut case, attrs)?;
    case.documents.extend(docs.iter().copied());
    edits.push(Edit::Put(Entity::Case(case)));
    Ok(edits)
}

fn commit(ws: &mut Workspace, edit: Edit) -> Result<String> {
    let label = ws.apply(edit)?;
    ws.save()?;
    Ok(label)
}

fn codes(dir: &Path, action: CodesAction) -> Result<()> {
    if let CodesAction::List { json } = action {
        let ws = Workspace::open_read_only(dir)?;
        return output::print_codebook(&ws.project, json.json);
    }
    if let CodesAction::Export { file } = &action {
        let ws = Workspace::open_read_only(dir)?;
        let text = marginalia::codebook_file::CodebookFile::from_project(&ws.project).to_ron()?;
        marginalia::store::write_atomic(file, text.as_bytes())?;
        println!(
            "Wrote {} codes to {}",
            ws.project.codes.len(),
            file.display()
        );
        return Ok(());
    }
    let mut ws = Workspace::open(dir)?;
    let p = &ws.project;
    let edit = match action {
        CodesAction::List { .. } | CodesAction::Export { .. } => unreachable!("handled above"),
        CodesAction::Add {
            path,
            colour,
            description,
        } => {
            if p.find_code(&path).is_some_and(|c| {
                p.code_path(c.id).to_lowercase() == path.trim_matches('/').to_lowercase()
            }) {
                bail!("the code '{path}' already exists");
            }
            let (parent_path, name) = match path.trim_matches('/').rsplit_once('/') {
                Some((parent, name)) => (Some(parent.to_string()), name.to_string()),
                None => (None, path.trim_matches('/').to_string()),
            };
            let mut scratch = p.clone();
            let mut edits = Vec::new();
            let parent = match parent_path {
                Some(pp) => {
                    let (id, new) = ops::ensure_code_path(p, &pp)?;
                    for e in &new {
                        scratch.apply(e.clone())?;
                    }
                    edits.extend(new);
                    Some(id)
                }
                None => None,
            };
            let (_, edit) = ops::add_code(&scratch, &name, parent, colour.as_deref(), &description);
            edits.push(edit);
            Edit::batch(format!("add code '{name}'"), edits)
        }
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
            let c = find_code(p, &code)?;
            Edit::Batch {
                label: format!("describe code '{}'", c.name),
                edits: vec![Edit::Put(Entity::Code(marginalia::model::Code {
                    description,
                    ..c.clone()
                }))],
            }
        }
        CodesAction::Colour { code, colour } => {
            let c = find_code(p, &code)?;
            Edit::Batch {
                label: format!("colour code '{}'", c.name),
                edits: vec![Edit::Put(Entity::Code(marginalia::model::Code {
                    colour,
                    ..c.clone()
                }))],
            }
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
        return output::print_cases(&ws.project, json.json);
    }
    let mut ws = Workspace::open(dir)?;
    let p = &ws.project;
    let edit = match action {
        CasesAction::List { .. } => unreachable!("handled above"),
        CasesAction::Add {
            name,
            attrs,
            description,
        } => {
            if p.find_case(&name).is_some() {
                bail!("a case named '{name}' already exists");
            }
            let mut edits = case_edits(p, &name, &attrs, &[])?;
            if let Some(Edit::Put(Entity::Case(case))) = edits.last_mut() {
                case.description = description;
            }
            Edit::batch(format!("add case '{name}'"), edits)
        }
        CasesAction::Set { case, values } => {
            let mut c = find_case(p, &case)?.clone();
            let mut edits = attribute_edits(p, &mut c, &values)?;
            let label = format!("set attributes of '{}'", c.name);
            edits.push(Edit::Put(Entity::Case(c)));
            Edit::batch(label, edits)
        }
        CasesAction::Unset { case, keys } => {
            let mut c = find_case(p, &case)?.clone();
            for key in &keys {
                let name = c
                    .attributes
                    .keys()
                    .find(|k| k.to_lowercase() == key.to_lowercase())
                    .cloned();
                let name =
                    name.ok_or_else(|| anyhow!("case '{}' has no attribute '{key}'", c.name))?;
                c.attributes.remove(&name);
            }
            Edit::batch(
                format!("clear attributes of '{}'", c.name),
                vec![Edit::Put(Entity::Case(c))],
            )
        }
        CasesAction::Link { case, docs } => {
            let mut c = find_case(p, &case)?.clone();
            for d in &docs {
                c.documents.insert(find_doc(p, d)?.id);
            }
            Edit::batch(
                format!("link documents to '{}'", c.name),
                vec![Edit::Put(Entity::Case(c))],
            )
        }
        CasesAction::Unlink { case, docs } => {
            let mut c = find_case(p, &case)?.clone();
            for d in &docs {
                c.documents.remove(&find_doc(p, d)?.id);
            }
            Edit::batch(
                format!("unlink documents from '{}'", c.name),
                vec![Edit::Put(Entity::Case(c))],
            )
        }
        CasesAction::Delete { case } => ops::delete_case(p, find_case(p, &case)?.id)?,
        CasesAction::Define { name, r#type } => {
            let kind = AttributeType::parse(&r#type).ok_or_else(|| {
                anyhow!(
                    "unknown type '{}' (use text, integer, number, boolean or date)",
                    r#type
                )
            })?;
            Edit::Put(Entity::Attribute(AttributeDef { name, kind }))
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
            if !p.codings.contains_key(&id) {
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
        return output::print_memos(&ws.project, json.json);
    }
    let mut ws = Workspace::open(dir)?;
    let p = &ws.project;
    let edit = match action {
        MemosAction::List { .. } => unreachable!("handled above"),
        MemosAction::Add { on, title, text } => {
            let target = memo_target(p, &on)?;
            let (author, add_coder) = ops::ensure_coder(p, coder);
            let memo = Memo {
                id: MemoId::new(),
                title,
                text,
                target,
                author: Some(author),
                created: marginalia::now(),
            };
            let label = format!("write memo '{}'", memo.title);
            let mut edits: Vec<Edit> = add_coder.into_iter().collect();
            edits.push(Edit::Put(Entity::Memo(memo)));
            Edit::Batch { label, edits }
        }
        MemosAction::Delete { memo } => {
            let id: MemoId = memo.parse().map_err(|e: String| anyhow!(e))?;
            Edit::Delete(EntityKey::Memo(id))
        }
    };
    let label = commit(&mut ws, edit)?;
    println!("Done: {label}");
    Ok(())
}

fn sets(dir: &Path, action: SetsAction) -> Result<()> {
    if let SetsAction::List { json } = action {
        let ws = Workspace::open_read_only(dir)?;
        return output::print_sets(&ws.project, json.json);
    }
    let mut ws = Workspace::open(dir)?;
    let p = &ws.project;
    let edit = match action {
        SetsAction::List { .. } => unreachable!("handled above"),
        SetsAction::Add { name, docs } => {
            let mut set = p.find_set(&name).cloned().unwrap_or_else(|| DocumentSet {
                id: marginalia::ids::SetId::new(),
                name: name.clone(),
                description: String::new(),
                documents: Default::default(),
            });
            for d in &docs {
                set.documents.insert(find_doc(p, d)?.id);
            }
            Edit::batch(
                format!("change set '{name}'"),
                vec![Edit::Put(Entity::Set(set))],
            )
        }
        SetsAction::Delete { name } => {
            let set = p
                .find_set(&name)
                .ok_or_else(|| anyhow!("no document set named '{name}'"))?;
            Edit::Delete(EntityKey::Set(set.id))
        }
    };
    let label = commit(&mut ws, edit)?;
    println!("Done: {label}");
    Ok(())
}
