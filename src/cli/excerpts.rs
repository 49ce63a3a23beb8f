//! The `excerpts` verb: coded excerpts chosen by code, case, coder, document, attribute, set and search
//! query, listed or written as a report (md, html, docx, csv, xlsx).

use std::path::PathBuf;

use anyhow::{Result, anyhow};
use marginalia::export::{self, ReportFormat, Selection};
use marginalia::index::SearchIndex;
use marginalia::model::Project;
use marginalia::{Workspace, query, retrieve};

use super::output::print_excerpts;
use super::resolve::{attribute_inputs, find_case, find_code, find_doc, find_set, ids};

/// What `excerpts` selects and how it reports.
#[derive(Debug, clap::Args)]
pub struct ExcerptArgs {
    pub dir: PathBuf,
    /// Code path or name (repeatable).
    #[arg(long)]
    pub code: Vec<String>,
    /// Include sub-codes of the given codes.
    #[arg(long)]
    pub subcodes: bool,
    /// Only documents of this case (repeatable).
    #[arg(long)]
    pub case: Vec<String>,
    /// Only codings by this coder (repeatable).
    #[arg(long = "by")]
    pub by: Vec<String>,
    /// Only codings by these coders, comma-separated ("Ingrid Solberg,Tobias Lunde"; default: every coder).
    /// A passage several of them coded with the same code is one excerpt naming them all.
    #[arg(long = "coders", value_name = "A,B", value_delimiter = ',')]
    pub coders: Vec<String>,
    /// Only this document (repeatable).
    #[arg(long)]
    pub doc: Vec<String>,
    /// Only documents of cases with this attribute value, KEY=VALUE (repeatable).
    #[arg(long = "attr", value_name = "KEY=VALUE")]
    pub attrs: Vec<String>,
    /// Only documents in this set (repeatable).
    #[arg(long)]
    pub set: Vec<String>,
    /// Only excerpts in passages this search query matches (a saved search).
    #[arg(long)]
    pub query: Option<String>,
    /// Write a report: md, html, docx, csv or xlsx (needs -o).
    #[arg(long, requires = "output")]
    pub format: Option<String>,
    /// The report file.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Grouping in reports: code-case or case-code.
    #[arg(long, default_value = "code-case")]
    pub group: String,
    /// Context around each excerpt: a number of characters, or `turn`.
    #[arg(long)]
    pub context: Option<String>,
    /// Citation style: `short` (speaker, document, ¶/page/timestamp) or `full` (adds cases and coder).
    #[arg(long, default_value = "short")]
    pub citation: String,
    /// Report title.
    #[arg(long)]
    pub title: Option<String>,
    /// Print machine-readable JSON.
    #[arg(long)]
    pub json: bool,
}

/// Lists excerpts, or writes them as a report with `--format`.
pub fn excerpts(args: ExcerptArgs) -> Result<()> {
    let format = args
        .format
        .as_deref()
        .map(|f| {
            ReportFormat::parse(f)
                .ok_or_else(|| anyhow!("unknown format '{f}' (use md, html, docx, csv or xlsx)"))
        })
        .transpose()?;
    let ws = super::open_read_only(&args.dir)?;
    let p = ws.project();
    let selection = selection(ws, &args)?;
    let title = args
        .title
        .clone()
        .unwrap_or_else(|| format!("Coded excerpts: {}", p.meta().name));
    let report = export::report(p, &selection, &title);
    let Some(format) = format else {
        let list: Vec<retrieve::Excerpt> = report.items.into_iter().map(|i| i.excerpt).collect();
        return print_excerpts(&list, selection.citation, args.json);
    };
    let output = args
        .output
        .as_deref()
        .ok_or_else(|| anyhow!("--format needs -o FILE"))?;
    marginalia::store::write_export(output, &format.render(&report)?)?;
    println!(
        "Wrote {} excerpt(s) to {}",
        report.items.len(),
        output.display()
    );
    Ok(())
}

/// What the arguments select, resolved against the project.
fn selection(ws: &Workspace, args: &ExcerptArgs) -> Result<Selection> {
    let p = ws.project();
    Ok(Selection {
        filter: retrieve::ExcerptFilter {
            codes: ids(p, &args.code, find_code, |c| c.id)?,
            include_subcodes: args.subcodes,
            cases: ids(p, &args.case, find_case, |c| c.id)?,
            coders: super::analysis::coder_selection(p, &args.by, &args.coders)?,
            documents: ids(p, &args.doc, find_doc, |d| d.id)?,
        },
        attributes: attributes(p, &args.attrs)?,
        sets: args
            .set
            .iter()
            .map(|s| find_set(p, s))
            .collect::<Result<_>>()?,
        passages: match &args.query {
            Some(q) => Some(passages(ws, q)?),
            None => None,
        },
        context: match &args.context {
            Some(c) => export::Context::parse(c).ok_or_else(|| {
                anyhow!("--context takes a number of characters or 'turn', not '{c}'")
            })?,
            None => export::Context::None,
        },
        grouping: export::Grouping::parse(&args.group)
            .ok_or_else(|| anyhow!("--group takes code-case or case-code, not '{}'", args.group))?,
        description: description(args),
        citation: export::CitationStyle::parse(&args.citation)
            .ok_or_else(|| anyhow!("--citation takes short or full, not '{}'", args.citation))?,
    })
}

/// `KEY=VALUE` filters on known attributes.
fn attributes(p: &Project, attrs: &[String]) -> Result<Vec<(String, String)>> {
    let attributes: Vec<(String, String)> = attribute_inputs(attrs)?
        .into_iter()
        .map(|a| (a.name, a.value))
        .collect();
    if let Some((name, _)) = attributes
        .iter()
        .find(|(name, _)| !p.attributes().keys().any(|k| k.eq_ignore_ascii_case(name)))
    {
        return Err(anyhow!(
            "no attribute '{name}' (see `marginalia cases DIR list`)"
        ));
    }
    Ok(attributes)
}

/// The passages a search query matches (a saved search as a filter).
fn passages(
    ws: &Workspace,
    q: &str,
) -> Result<Vec<(marginalia::ids::DocumentId, marginalia::offsets::CharRange)>> {
    let index = SearchIndex::for_project(&ws.index_dir(), ws.project())?;
    let results = query::search(&index, ws.project(), q, None)?;
    Ok(results
        .hits
        .iter()
        .map(|h| (h.document, h.passage))
        .collect())
}

/// The report's line saying what was selected.
fn description(args: &ExcerptArgs) -> String {
    let mut parts = Vec::new();
    if !args.code.is_empty() {
        let subcodes = if args.subcodes {
            " (with sub-codes)"
        } else {
            ""
        };
        parts.push(format!("codes: {}{subcodes}", args.code.join(", ")));
    }
    for (label, list) in [
        ("cases", &args.case),
        ("coders", &[args.by.clone(), args.coders.clone()].concat()),
        ("documents", &args.doc),
        ("attributes", &args.attrs),
        ("sets", &args.set),
    ] {
        if !list.is_empty() {
            parts.push(format!("{label}: {}", list.join(", ")));
        }
    }
    if let Some(q) = &args.query {
        parts.push(format!("search: {q}"));
    }
    if parts.is_empty() {
        "All coded excerpts".to_string()
    } else {
        format!("Selection — {}", parts.join("; "))
    }
}
