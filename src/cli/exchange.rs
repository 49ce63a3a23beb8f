//! CLI verbs for reports and exchange: excerpt reports, REFI-QDA `.qdpx`/`.qdc`, codebook and table exports.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use marginalia::export::{self, Selection};
use marginalia::index::SearchIndex;
use marginalia::interop::{qdc, qdpx_read, qdpx_write};
use marginalia::{Workspace, query, retrieve};

use super::output::{print_excerpts, print_json};
use super::{attribute_inputs, find_case, find_code, find_coder, find_doc, ids};

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
    /// Report title.
    #[arg(long)]
    pub title: Option<String>,
    /// Print machine-readable JSON.
    #[arg(long)]
    pub json: bool,
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    marginalia::store::write_atomic(path, bytes)
        .with_context(|| format!("could not write {}", path.display()))
}

/// Lists excerpts, or writes them as a report with `--format`.
pub fn excerpts(args: ExcerptArgs) -> Result<()> {
    let ws = Workspace::open_read_only(&args.dir)?;
    let p = ws.project();
    let filter = retrieve::ExcerptFilter {
        codes: ids(p, &args.code, find_code, |c| c.id)?,
        include_subcodes: args.subcodes,
        cases: ids(p, &args.case, find_case, |c| c.id)?,
        coders: ids(p, &args.by, find_coder, |c| c.id)?,
        documents: ids(p, &args.doc, find_doc, |d| d.id)?,
    };
    let attributes: Vec<(String, String)> = attribute_inputs(&args.attrs)?
        .into_iter()
        .map(|a| (a.name, a.value))
        .collect();
    for (name, _) in &attributes {
        if !p.attributes().keys().any(|k| k.eq_ignore_ascii_case(name)) {
            bail!("no attribute '{name}' (see `marginalia cases DIR list`)");
        }
    }
    let sets = args
        .set
        .iter()
        .map(|s| {
            p.find_set(s)
                .map(|s| s.id)
                .ok_or_else(|| anyhow!("no document set '{s}'"))
        })
        .collect::<Result<Vec<_>>>()?;
    let passages = match &args.query {
        Some(q) => {
            let index = SearchIndex::for_project(&ws.index_dir(), p)?;
            let results = query::search(&index, p, q, None)?;
            Some(
                results
                    .hits
                    .iter()
                    .map(|h| (h.document, h.passage))
                    .collect(),
            )
        }
        None => None,
    };
    let context = match &args.context {
        Some(c) => export::Context::parse(c).ok_or_else(|| {
            anyhow!("--context takes a number of characters or 'turn', not '{c}'")
        })?,
        None => export::Context::None,
    };
    let grouping = export::Grouping::parse(&args.group)
        .ok_or_else(|| anyhow!("--group takes code-case or case-code, not '{}'", args.group))?;
    let mut description = Vec::new();
    if !args.code.is_empty() {
        description.push(format!(
            "codes: {}{}",
            args.code.join(", "),
            if args.subcodes {
                " (with sub-codes)"
            } else {
                ""
            }
        ));
    }
    for (label, list) in [
        ("cases", &args.case),
        ("coders", &args.by),
        ("documents", &args.doc),
        ("attributes", &args.attrs),
        ("sets", &args.set),
    ] {
        if !list.is_empty() {
            description.push(format!("{label}: {}", list.join(", ")));
        }
    }
    if let Some(q) = &args.query {
        description.push(format!("search: {q}"));
    }
    let selection = Selection {
        filter,
        attributes,
        sets,
        passages,
        context,
        grouping,
        description: if description.is_empty() {
            "All coded excerpts".to_string()
        } else {
            format!("Selection — {}", description.join("; "))
        },
    };
    let title = args
        .title
        .clone()
        .unwrap_or_else(|| format!("Coded excerpts: {}", p.meta().name));
    let report = export::report(p, &selection, &title);
    let Some(format) = args.format else {
        let list: Vec<retrieve::Excerpt> = report.items.into_iter().map(|i| i.excerpt).collect();
        return print_excerpts(&list, args.json);
    };
    let output = args
        .output
        .ok_or_else(|| anyhow!("--format needs -o FILE"))?;
    let bytes = match format.to_lowercase().as_str() {
        "md" | "markdown" => export::render::markdown(&report).into_bytes(),
        "html" => export::render::html(&report).into_bytes(),
        "docx" => export::render::docx(&report)?,
        "csv" => export::table::csv(&export::table::excerpt_table(&report))?,
        "xlsx" => export::table::xlsx(&export::table::excerpt_table(&report), "Excerpts")?,
        other => bail!("unknown format '{other}' (use md, html, docx, csv or xlsx)"),
    };
    write(&output, &bytes)?;
    println!(
        "Wrote {} excerpt(s) to {}",
        report.items.len(),
        output.display()
    );
    Ok(())
}

/// `export-qdpx DIR -o FILE`.
pub fn export_qdpx(dir: &Path, output: &Path, json: bool) -> Result<()> {
    let ws = Workspace::open_read_only(dir)?;
    let (bytes, report) = qdpx_write::project_qdpx(ws.project())?;
    write(output, &bytes)?;
    if json {
        return print_json(&report);
    }
    println!(
        "Wrote {}: {} documents, {} codes, {} codings, {} cases, {} memos, {} sets, {} users",
        output.display(),
        report.documents,
        report.codes,
        report.codings,
        report.cases,
        report.memos,
        report.sets,
        report.users
    );
    for note in &report.not_represented {
        println!("  not in the standard: {note}");
    }
    Ok(())
}

/// `import-qdpx FILE DIR`: parses and checks everything first, then creates the project.
pub fn import_qdpx(file: &Path, dir: &Path, json: bool) -> Result<()> {
    let bytes =
        std::fs::read(file).with_context(|| format!("could not read {}", file.display()))?;
    let parsed = qdpx_read::read_qdpx(file, &bytes)?;
    let mut ws = Workspace::create(dir, &parsed.name, parsed.language)?;
    ws.apply(parsed.edit)?;
    ws.save()?;
    let report = parsed.report;
    if json {
        return print_json(&report);
    }
    println!(
        "Created '{}' in {} from {}{}: {} documents, {} codes, {} codings, {} cases, {} memos, {} sets, {} users",
        parsed.name,
        dir.display(),
        file.display(),
        if report.origin.is_empty() {
            String::new()
        } else {
            format!(" ({})", report.origin)
        },
        report.documents,
        report.codes,
        report.codings,
        report.cases,
        report.memos,
        report.sets,
        report.users
    );
    for warning in &report.warnings {
        println!("  warning: {warning}");
    }
    for skipped in &report.skipped {
        println!("  not imported: {skipped}");
    }
    Ok(())
}

/// `export-qdc DIR -o FILE`.
pub fn export_qdc(dir: &Path, output: &Path) -> Result<()> {
    let ws = Workspace::open_read_only(dir)?;
    let xml = qdc::codebook_qdc(ws.project())?;
    write(output, xml.as_bytes())?;
    println!(
        "Wrote {} codes to {}",
        ws.project().codes().len(),
        output.display()
    );
    Ok(())
}

/// `import-qdc DIR FILE`: a .qdc, a CSV/TSV table or a text outline, merged into the codebook.
pub fn import_qdc(dir: &Path, file: &Path, json: bool) -> Result<()> {
    let (nodes, mut warnings) = marginalia::interop::read_codebook(file)?;
    if nodes.is_empty() {
        bail!("{}: no codes found", file.display());
    }
    let mut ws = Workspace::open(dir)?;
    let (edit, mut report) = qdc::merge_edit(ws.project(), &nodes)?;
    if let Some(edit) = edit {
        ws.apply(edit)?;
        ws.save()?;
    }
    warnings.append(&mut report.warnings);
    report.warnings = warnings;
    if json {
        return print_json(&report);
    }
    println!(
        "Added {} code(s); {} already in the codebook",
        report.added, report.existing
    );
    for warning in &report.warnings {
        println!("  warning: {warning}");
    }
    Ok(())
}

/// `export-codebook DIR --format md|docx|csv -o FILE`.
pub fn export_codebook(dir: &Path, format: &str, output: &Path) -> Result<()> {
    let ws = Workspace::open_read_only(dir)?;
    let p = ws.project();
    let bytes = match format.to_lowercase().as_str() {
        "md" | "markdown" => export::codebook::markdown(p).into_bytes(),
        "docx" => export::codebook::docx(p)?,
        "csv" => export::table::csv(&export::codebook::table(p))?,
        "xlsx" => export::table::xlsx(&export::codebook::table(p), "Codebook")?,
        other => bail!("unknown format '{other}' (use md, docx or csv)"),
    };
    write(output, &bytes)?;
    println!("Wrote {} codes to {}", p.codes().len(), output.display());
    Ok(())
}

/// `export-table DIR --format csv|xlsx -o FILE`: code × case counts.
pub fn export_table(dir: &Path, format: &str, output: &Path) -> Result<()> {
    let ws = Workspace::open_read_only(dir)?;
    let table = export::table::code_case_counts(ws.project());
    let bytes = match format.to_lowercase().as_str() {
        "csv" => export::table::csv(&table)?,
        "xlsx" => export::table::xlsx(&table, "Code x case")?,
        other => bail!("unknown format '{other}' (use csv or xlsx)"),
    };
    write(output, &bytes)?;
    println!(
        "Wrote {} codes × {} cases to {}",
        table.rows.len(),
        table.header.len().saturating_sub(2),
        output.display()
    );
    Ok(())
}
