//! Printing for the CLI: readable tables for people, `--json` for scripts.

use std::io::IsTerminal;

use anyhow::Result;
use marginalia::import::ImportReport;
use marginalia::model::{Document, MemoTarget, Project};
use marginalia::query::SearchResults;
use marginalia::retrieve::Excerpt;
use serde::Serialize;
use serde_json::json;

pub fn print_json<T: Serialize + ?Sized>(value: &T) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// One line of text, cut to `max` characters with an ellipsis.
pub fn shorten(text: &str, max: usize) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c == '\n' { ' ' } else { c })
        .collect();
    if flat.chars().count() <= max {
        flat
    } else {
        let mut cut: String = flat.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

pub fn progress_bar(done: usize, total: usize, path: &std::path::Path) -> String {
    let width = 30;
    let filled = (done * width).checked_div(total).unwrap_or(width);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!(
        "[{}{}] {done}/{total} {:<40}",
        "#".repeat(filled),
        " ".repeat(width - filled),
        shorten(&name, 40)
    )
}

/// Above this many files of one kind (imported, or a kind of problem), the report prints one summary line
/// with the count instead of a line per file (`--json` lists them all).
const LIST_AT_MOST: usize = 20;

pub fn print_import_report(report: &ImportReport) {
    if report.imported.len() > LIST_AT_MOST {
        println!(
            "imported  {} files (list them with --json or `marginalia docs`)",
            report.imported.len()
        );
    } else {
        for f in &report.imported {
            let language = f
                .language
                .map(|l| format!(", {}", l.code()))
                .unwrap_or_default();
            let turns = if f.turns > 0 {
                format!(
                    ", {} speaker turns, {} speakers: {}",
                    f.turns,
                    f.speakers.len(),
                    f.speakers.join(", ")
                )
            } else {
                String::new()
            };
            println!(
                "imported  {}  as '{}' ({}{language}{turns})",
                f.path.display(),
                f.name,
                f.kind.keyword()
            );
        }
    }
    for f in &report.imported {
        if let Some(warning) = &f.warning {
            eprintln!("warning   {}: {warning}", f.path.display());
        }
    }
    print_problems("skipped", &report.skipped, false);
    print_problems("failed", &report.failed, true);
    println!(
        "{} imported, {} skipped, {} failed",
        report.imported.len(),
        report.skipped.len(),
        report.failed.len()
    );
}

/// Skipped or failed files: a line each, or one summary line per kind when there are many of that kind.
fn print_problems(verb: &str, problems: &[marginalia::import::FileProblem], to_stderr: bool) {
    let mut kinds: std::collections::BTreeMap<_, Vec<_>> = std::collections::BTreeMap::new();
    for problem in problems {
        kinds.entry(problem.kind).or_default().push(problem);
    }
    let mut lines = Vec::new();
    for (kind, list) in kinds {
        if list.len() > LIST_AT_MOST {
            let first = list
                .first()
                .map(|p| p.path.display().to_string())
                .unwrap_or_default();
            lines.push(format!(
                "{verb:<9} {} {} (first: {first}; list them with --json)",
                list.len(),
                kind.plural()
            ));
        } else {
            lines.extend(
                list.iter()
                    .map(|f| format!("{verb:<9} {}: {}", f.path.display(), f.reason)),
            );
        }
    }
    for line in lines {
        if to_stderr {
            eprintln!("{line}");
        } else {
            println!("{line}");
        }
    }
}

pub fn print_survey_report(report: &marginalia::import::formats::survey::SurveyReport) {
    for (name, _) in &report.documents {
        println!("imported  '{name}'");
    }
    for (name, kind) in &report.attributes {
        println!("attribute '{name}' ({})", kind.keyword());
    }
    for warning in &report.warnings {
        eprintln!("warning   {}: {warning}", report.file.display());
    }
    println!(
        "{} respondents: {} documents, {} cases created, {} updated",
        report.respondents,
        report.documents.len(),
        report.cases_created,
        report.cases_updated
    );
}

pub fn print_documents(p: &Project, as_json: bool) -> Result<()> {
    let counts = {
        let mut m = std::collections::HashMap::new();
        for c in p.codings().values() {
            *m.entry(c.document).or_insert(0usize) += 1;
        }
        m
    };
    let docs = p.documents_sorted();
    if as_json {
        let rows: Vec<_> = docs
            .iter()
            .map(|d| {
                json!({
                    "id": d.id, "name": d.name, "file": d.original_file, "kind": d.kind, "characters": d.char_len,
                    "language": p.document_language(d).code(),
                    "turns": d.turns.len(), "paragraphs": d.paragraphs.len(),
                    "codings": counts.get(&d.id).copied().unwrap_or(0),
                    "cases": p.cases_of(d.id).iter().map(|c| c.name.clone()).collect::<Vec<_>>(),
                    "imported": d.imported.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
                })
            })
            .collect();
        return print_json(&rows);
    }
    for d in docs {
        let cases: Vec<String> = p.cases_of(d.id).iter().map(|c| c.name.clone()).collect();
        println!(
            "{:<44} {:<12} {:<2} {:>7} chars {:>4} turns {:>4} codings  {}",
            shorten(&d.name, 44),
            d.kind.keyword(),
            p.document_language(d).code(),
            d.char_len,
            d.turns.len(),
            counts.get(&d.id).copied().unwrap_or(0),
            cases.join(", ")
        );
    }
    Ok(())
}

pub fn print_document(p: &Project, d: &Document, as_json: bool) -> Result<()> {
    let text = p.text(d.id);
    if as_json {
        return print_json(
            &json!({ "id": d.id, "name": d.name, "kind": d.kind, "language": p.document_language(d).code(), "text": text, "turns": d.turns, "paragraphs": d.paragraphs }),
        );
    }
    println!(
        "# {} ({}, {} characters)\n",
        d.name,
        d.kind.keyword(),
        d.char_len
    );
    for unit in d.units() {
        let body = marginalia::offsets::slice(text, unit.range).unwrap_or("");
        println!("[{}] {body}\n", unit.range);
    }
    Ok(())
}

pub fn print_codebook(p: &Project, as_json: bool) -> Result<()> {
    let counts = p.coding_counts();
    let tree = p.code_tree();
    if as_json {
        let rows: Vec<_> = tree
            .iter()
            .map(|(depth, c)| {
                json!({
                    "id": c.id, "name": c.name, "path": p.code_path(c.id), "depth": depth, "colour": c.colour,
                    "description": c.description, "parent": c.parent, "codings": counts.get(&c.id).copied().unwrap_or(0),
                })
            })
            .collect();
        return print_json(&rows);
    }
    for (depth, c) in tree {
        println!(
            "{}{} {}  ({})",
            "  ".repeat(depth),
            c.colour,
            c.name,
            counts.get(&c.id).copied().unwrap_or(0)
        );
    }
    Ok(())
}

pub fn print_search(results: &SearchResults, as_json: bool) -> Result<()> {
    if as_json {
        return print_json(results);
    }
    let (open, close) = if std::io::stdout().is_terminal() {
        ("\x1b[1;33m", "\x1b[0m")
    } else {
        ("«", "»")
    };
    for hit in &results.hits {
        let who = match (&hit.speaker, &hit.timestamp) {
            (Some(s), Some(t)) => format!("  {s} {t}"),
            (Some(s), None) => format!("  {s}"),
            _ => String::new(),
        };
        println!(
            "{}{who}  {}  score {:.2}",
            hit.document_name, hit.passage, hit.score
        );
        println!("    {}", hit.snippet.render(open, close));
    }
    println!("{} of {} passages", results.hits.len(), results.total);
    Ok(())
}

pub fn print_excerpts(
    excerpts: &[Excerpt],
    style: marginalia::retrieve::CitationStyle,
    as_json: bool,
) -> Result<()> {
    if as_json {
        return print_json(excerpts);
    }
    let mut current = String::new();
    for e in excerpts {
        if e.code_path != current {
            println!("\n## {}", e.code_path);
            current = e.code_path.clone();
        }
        println!("\n\"{}\"", e.text.trim());
        let memo = e
            .memo
            .as_ref()
            .map(|m| format!("; memo: {m}"))
            .unwrap_or_default();
        match style {
            marginalia::retrieve::CitationStyle::Short => {
                println!("    — {} (coded by {}{memo})", e.citation(), e.coder);
            }
            marginalia::retrieve::CitationStyle::Full => {
                let memo = e
                    .memo
                    .as_ref()
                    .map(|m| format!(" (memo: {m})"))
                    .unwrap_or_default();
                println!("    — {}{memo}", e.cite(style));
            }
        }
    }
    println!("\n{} excerpts", excerpts.len());
    Ok(())
}

pub fn print_cases(p: &Project, as_json: bool) -> Result<()> {
    let mut cases: Vec<_> = p.cases().values().collect();
    cases.sort_by(|a, b| marginalia::collate::compare(&a.name, &b.name));
    if as_json {
        let attributes: Vec<_> = p
            .attributes()
            .values()
            .map(|a| json!({ "name": a.name, "type": a.kind }))
            .collect();
        let rows: Vec<_> = cases
            .iter()
            .map(|c| {
                let attrs: serde_json::Map<String, serde_json::Value> =
                    c.attributes.iter().map(|(k, v)| (k.clone(), json!(v.to_string()))).collect();
                let docs: Vec<String> =
                    c.documents.iter().filter_map(|d| p.documents().get(d)).map(|d| d.name.clone()).collect();
                json!({ "id": c.id, "name": c.name, "description": c.description, "attributes": attrs, "documents": docs })
            })
            .collect();
        return print_json(&json!({ "attributes": attributes, "cases": rows }));
    }
    for c in cases {
        let attrs: Vec<String> = c
            .attributes
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        println!(
            "{:<32} {:>3} docs  {}",
            shorten(&c.name, 32),
            c.documents.len(),
            attrs.join("  ")
        );
    }
    Ok(())
}

fn target_name(p: &Project, target: MemoTarget) -> String {
    match target {
        MemoTarget::Project => "project".into(),
        MemoTarget::Document(id) => format!(
            "doc:{}",
            p.documents()
                .get(&id)
                .map(|d| d.name.as_str())
                .unwrap_or("?")
        ),
        MemoTarget::Code(id) => format!("code:{}", p.code_path(id)),
        MemoTarget::Coding(id) => format!("coding:{id}"),
        MemoTarget::Case(id) => format!(
            "case:{}",
            p.cases().get(&id).map(|c| c.name.as_str()).unwrap_or("?")
        ),
    }
}

pub fn print_memos(p: &Project, as_json: bool) -> Result<()> {
    if as_json {
        let rows: Vec<_> = p
            .memos()
            .values()
            .map(|m| json!({ "id": m.id, "title": m.title, "text": m.text, "on": target_name(p, m.target),
                "author": m.author.and_then(|a| p.coders().get(&a)).map(|c| c.name.clone()) }))
            .collect();
        return print_json(&rows);
    }
    for m in p.memos().values() {
        println!(
            "{}  [{}]  {}\n    {}",
            m.id,
            target_name(p, m.target),
            m.title,
            shorten(&m.text, 100)
        );
    }
    Ok(())
}

pub fn print_sets(p: &Project, as_json: bool) -> Result<()> {
    if as_json {
        let rows: Vec<_> = p
            .sets()
            .values()
            .map(|s| json!({ "id": s.id, "name": s.name, "documents": s.documents.iter().filter_map(|d| p.documents().get(d)).map(|d| d.name.clone()).collect::<Vec<_>>() }))
            .collect();
        return print_json(&rows);
    }
    for s in p.sets().values() {
        println!("{:<32} {:>3} docs", s.name, s.documents.len());
    }
    Ok(())
}

pub fn print_stats(p: &Project, as_json: bool) -> Result<()> {
    let characters: usize = p.documents().values().map(|d| d.char_len).sum();
    let mut by_coder: Vec<(String, usize)> = p
        .coders()
        .values()
        .map(|c| {
            (
                c.name.clone(),
                p.codings().values().filter(|k| k.coder == c.id).count(),
            )
        })
        .collect();
    by_coder.sort();
    let municipalities: std::collections::BTreeSet<String> = p
        .cases()
        .values()
        .filter_map(|c| {
            c.attributes
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("municipality"))
                .map(|(_, v)| v.to_string())
        })
        .collect();
    let stats = json!({
        "name": p.meta().name,
        "language": p.meta().language,
        "documents": p.documents().len(),
        "characters": characters,
        "codes": p.codes().len(),
        "codings": p.codings().len(),
        "coders": by_coder.iter().map(|(n, k)| json!({ "name": n, "codings": k })).collect::<Vec<_>>(),
        "cases": p.cases().len(),
        "cases_by_type": cases_by_type(p),
        "municipalities": municipalities.len(),
        "attributes": p.attributes().len(),
        "memos": p.memos().len(),
        "sets": p.sets().len(),
    });
    if as_json {
        return print_json(&stats);
    }
    println!("{} ({})", p.meta().name, p.meta().language.code());
    println!(
        "  documents  {:>8}  ({} characters)",
        p.documents().len(),
        characters
    );
    println!("  codes      {:>8}", p.codes().len());
    println!("  codings    {:>8}", p.codings().len());
    for (name, n) in by_coder {
        println!("    {name:<20} {n:>6}");
    }
    println!("  cases      {:>8}", p.cases().len());
    println!("  memos      {:>8}", p.memos().len());
    Ok(())
}

fn cases_by_type(p: &Project) -> serde_json::Value {
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    for c in p.cases().values() {
        let kind = c
            .attributes
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("type"))
            .map(|(_, v)| v.to_string())
            .unwrap_or_else(|| "untyped".into());
        *counts.entry(kind).or_default() += 1;
    }
    json!(counts)
}
