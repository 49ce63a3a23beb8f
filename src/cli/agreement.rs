//! The `agreement` and `disagreements` verbs: intercoder agreement with confidence intervals, and the
//! disagreeing stretches of one code.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow, bail};
use clap::Args;
use marginalia::Workspace;
use marginalia::analysis::agreement::{
    Agreement, AgreementSpec, DEFAULT_DRAWS, DEFAULT_SEED, DisagreementSpec, Estimate, Grouping,
    Measure, Statistic, UnitKind, agreement, disagreements_with, find_coders, find_codes,
    find_documents,
};
use marginalia::analysis::{Cell, Table, TableFormat};
use marginalia::model::Project;

/// `marginalia agreement DIR`: intercoder agreement per code, document or attribute group, with bootstrap
/// confidence intervals.
#[derive(Debug, Args)]
pub struct AgreementArgs {
    pub dir: PathBuf,
    /// The coders to compare, by name, comma-separated (at least two; default: every coder).
    #[arg(long, value_delimiter = ',', value_name = "A,B")]
    pub coders: Vec<String>,
    /// Only these codes (repeatable, or several after one --code; default: every code applied).
    #[arg(long = "code", value_name = "PATH", num_args = 1..)]
    pub codes: Vec<String>,
    /// A code also counts its sub-codes' codings.
    #[arg(long)]
    pub subcodes: bool,
    /// Only these documents (repeatable; default: those every compared coder coded).
    #[arg(long = "doc", value_name = "DOC")]
    pub docs: Vec<String>,
    /// The unit of comparison.
    #[arg(
        long,
        default_value = "char",
        value_name = "char|turn|paragraph|sentence"
    )]
    pub unit: String,
    /// With turn, paragraph or sentence units: the share of a unit a coder's codings must cover (0–1;
    /// default: any overlap).
    #[arg(long, value_name = "SHARE")]
    pub min_overlap: Option<f64>,
    /// Leave out text nobody coded with a compared code.
    #[arg(long)]
    pub coded_only: bool,
    /// Rows: one per code, per document, or per value of a case attribute.
    #[arg(long, default_value = "code", value_name = "code|document|attr:NAME")]
    pub by: String,
    /// Coefficients to show, comma-separated.
    #[arg(
        long,
        default_value = "percent,kappa,alpha",
        value_name = "percent,kappa,alpha,ualpha"
    )]
    pub measure: String,
    /// Bootstrap draws for 95% intervals (0: none).
    #[arg(long, default_value_t = DEFAULT_DRAWS, value_name = "N")]
    pub bootstrap: usize,
    /// Seed of the bootstrap (the same seed gives the same intervals).
    #[arg(long, default_value_t = DEFAULT_SEED, value_name = "S")]
    pub seed: u64,
    /// Print machine-readable JSON (every value, interval and reason).
    #[arg(long)]
    pub json: bool,
    /// Write the table to a file in this format (guessed from -o's extension when left out).
    #[arg(long, value_name = "csv|xlsx")]
    pub format: Option<String>,
    /// The file to write the table to.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `marginalia disagreements DIR --code X`: every stretch some coders coded with the code and others did not.
#[derive(Debug, Args)]
pub struct DisagreementsArgs {
    pub dir: PathBuf,
    /// The code (path, name or id).
    #[arg(long, value_name = "PATH")]
    pub code: String,
    /// The coders to compare, by name, comma-separated (default: every coder).
    #[arg(long, value_delimiter = ',', value_name = "A,B")]
    pub coders: Vec<String>,
    /// The code's sub-codes count as the code.
    #[arg(long)]
    pub subcodes: bool,
    /// Only these documents (repeatable; default: those every compared coder coded).
    #[arg(long = "doc", value_name = "DOC")]
    pub docs: Vec<String>,
    /// Print machine-readable JSON.
    #[arg(long)]
    pub json: bool,
}

fn spec(project: &Project, args: &AgreementArgs) -> Result<AgreementSpec> {
    let unit = UnitKind::parse(&args.unit).ok_or_else(|| {
        anyhow!(
            "--unit must be char, turn, paragraph or sentence, not '{}'",
            args.unit
        )
    })?;
    let by = Grouping::parse(&args.by).ok_or_else(|| {
        anyhow!(
            "--by must be code, document or attr:NAME, not '{}'",
            args.by
        )
    })?;
    Ok(AgreementSpec {
        coders: find_coders(project, &args.coders)?,
        codes: find_codes(project, &args.codes)?,
        include_subcodes: args.subcodes,
        documents: documents(project, &args.docs)?,
        unit,
        min_overlap: args.min_overlap,
        coded_only: args.coded_only,
        by,
        measures: Measure::parse_list(&args.measure)?,
        bootstrap: args.bootstrap,
        seed: args.seed,
    })
}

fn documents(
    project: &Project,
    names: &[String],
) -> Result<Option<Vec<marginalia::ids::DocumentId>>> {
    if names.is_empty() {
        return Ok(None);
    }
    Ok(Some(find_documents(project, names)?))
}

pub fn run_agreement(args: AgreementArgs) -> Result<()> {
    let ws = Workspace::open_read_only(&args.dir)?;
    let project = ws.project();
    let report = agreement(project, &spec(project, &args)?)?;
    if let Some(path) = &args.output {
        return export(&report, path, args.format.as_deref());
    }
    if args.format.is_some() {
        bail!("--format needs -o FILE");
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    print!("{}", summary(&report));
    Ok(())
}

/// Writes the table (csv, xlsx) or the whole report (json) with the core's export guard.
fn export(report: &Agreement, path: &Path, format: Option<&str>) -> Result<()> {
    let format = match format {
        Some(f) => TableFormat::parse(f)
            .ok_or_else(|| anyhow!("--format must be csv or xlsx, not '{f}'"))?,
        None => path
            .extension()
            .and_then(|e| e.to_str())
            .and_then(TableFormat::parse)
            .ok_or_else(|| {
                anyhow!(
                    "give --format csv|xlsx (cannot tell from '{}')",
                    path.display()
                )
            })?,
    };
    let table = report.to_table();
    let bytes = match format {
        TableFormat::Csv => table.to_csv()?.into_bytes(),
        TableFormat::Xlsx => table.to_xlsx()?,
        TableFormat::Json => serde_json::to_string_pretty(report)?.into_bytes(),
    };
    marginalia::store::write_export(path, &bytes)?;
    println!("Wrote {} rows to {}", table.rows.len(), path.display());
    Ok(())
}

/// A number with `places` decimals, without a sign on zero (`-0.000`).
fn fixed(value: f64, places: usize) -> String {
    let text = format!("{value:.places$}");
    match text.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
        _ => text,
    }
}

/// A value with its interval, `0.612 (0.55–0.68)`, or `–` when undefined.
fn shown(estimate: Option<&Estimate>) -> String {
    let Some(estimate) = estimate else {
        return String::new();
    };
    match (estimate.value, &estimate.interval) {
        (None, _) => "–".into(),
        (Some(v), Some(i)) => format!("{} ({}–{})", fixed(v, 3), fixed(i.low, 2), fixed(i.high, 2)),
        (Some(v), None) => fixed(v, 3),
    }
}

/// The terminal view: a heading, one column per coefficient with its interval, the share of draws below
/// 0.667 / 0.8 for α, then why any value is missing.
fn summary(report: &Agreement) -> String {
    let names: Vec<&str> = report.coders.iter().map(|c| c.name.as_str()).collect();
    let spec = &report.spec;
    let mut out = format!(
        "Agreement between {} in {} document(s); unit: {}",
        names.join(", "),
        report.documents.len(),
        spec.unit.plural().to_lowercase()
    );
    if spec.bootstrap > 0 {
        out.push_str(&format!(
            "; 95% bootstrap intervals from {} draws (seed {})",
            spec.bootstrap, spec.seed
        ));
    }
    out.push_str("\n\n");
    let statistics = report.statistics();
    let mut header = vec![String::new(), spec.unit.plural().to_string()];
    header.extend(names.iter().map(|n| format!("Coded by {n}")));
    for statistic in &statistics {
        header.push(statistic.label().to_string());
        if spec.bootstrap > 0 && *statistic == Statistic::Alpha {
            header.push("P(α<0.667 / 0.8)".into());
        }
    }
    let mut table = Table::new("Agreement", header);
    for row in &report.rows {
        let mut cells = vec![Cell::from(row.label.as_str()), Cell::Count(row.units)];
        cells.extend(row.coded.iter().map(|n| Cell::Count(*n)));
        for statistic in &statistics {
            let estimate = row.estimate(*statistic);
            cells.push(Cell::Text(shown(estimate)));
            if spec.bootstrap > 0 && *statistic == Statistic::Alpha {
                let shares = estimate
                    .and_then(|e| e.interval.as_ref())
                    .map_or_else(String::new, |i| {
                        format!("{:.2} / {:.2}", i.below_tentative, i.below_customary)
                    });
                cells.push(Cell::Text(shares));
            }
        }
        table.rows.push(cells);
    }
    out.push_str(&table.to_text());
    out.push_str(&notes(report));
    out
}

/// Why values are missing, one line per (coefficient, reason) with the rows concerned.
fn notes(report: &Agreement) -> String {
    let mut reasons: BTreeMap<(usize, String), Vec<&str>> = BTreeMap::new();
    for row in &report.rows {
        for (order, estimate) in row.estimates.iter().enumerate() {
            let reason = estimate.undefined.or(estimate.interval_undefined);
            if let Some(reason) = reason {
                let what = if estimate.undefined.is_some() {
                    ""
                } else {
                    " interval"
                };
                let key = format!("{}{what}: {reason}", estimate.statistic.label());
                reasons.entry((order, key)).or_default().push(&row.label);
            }
        }
    }
    let mut out = String::new();
    for ((_, key), rows) in reasons {
        let mut listed: Vec<&str> = rows.iter().take(3).copied().collect();
        if rows.len() > 3 {
            listed.push("…");
        }
        out.push_str(&format!("– {key} ({})\n", listed.join(", ")));
    }
    if !out.is_empty() {
        out.insert(0, '\n');
    }
    out
}

/// One line of text at most `max` characters long, whitespace collapsed.
fn one_line(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max.saturating_sub(1)).collect();
    format!("{cut}…")
}

pub fn run_disagreements(args: DisagreementsArgs) -> Result<()> {
    let ws = Workspace::open_read_only(&args.dir)?;
    let project = ws.project();
    let code = find_codes(project, std::slice::from_ref(&args.code))?;
    let spec = DisagreementSpec {
        code: code
            .first()
            .copied()
            .ok_or_else(|| anyhow!("no code given"))?,
        coders: find_coders(project, &args.coders)?,
        include_subcodes: args.subcodes,
        documents: documents(project, &args.docs)?,
    };
    let list = disagreements_with(project, &spec)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&list)?);
        return Ok(());
    }
    let names = |refs: &[marginalia::analysis::agreement::CoderRef]| {
        refs.iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    for d in &list {
        println!(
            "{} {}  coded by {}; not by {}\n    {}",
            d.document_name,
            d.range,
            names(&d.coded_by),
            names(&d.not_coded_by),
            one_line(&d.text, 160)
        );
    }
    println!(
        "{} disagreeing stretch(es) on '{}'",
        list.len(),
        project.code_path(spec.code)
    );
    Ok(())
}
