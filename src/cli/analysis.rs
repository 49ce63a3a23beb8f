//! The analysis verbs: `matrix`, `cooccurrence`, `query` (coding queries) and `words`, each printing a table,
//! JSON, or writing CSV/XLSX.

use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow, bail};
use clap::Args;
use marginalia::Workspace;
use marginalia::analysis::coding_query::parse_query;
use marginalia::analysis::cooccurrence::Cooccurrence;
use marginalia::analysis::cooccurrence::{CooccurrenceSpec, Proximity, cooccurrence};
use marginalia::analysis::matrix::Matrix;
use marginalia::analysis::matrix::{Columns, MatrixSpec, RowMode, Value, matrix};
use marginalia::analysis::words::{
    Selection, SpeakerFilter, StopList, WordOptions, kwic, kwic_table,
};
use marginalia::analysis::{
    AttrFilter, CodingQuery, Near, Scope, Table, TableFormat, run_query, save_as_code,
    word_frequencies,
};
use marginalia::index::SearchIndex;
use marginalia::model::Project;

use super::output::{print_excerpts, print_json, shorten};
use super::resolve::{find_case, find_code, find_doc, ids};

/// How a result is shown or saved.
#[derive(Debug, Args)]
pub struct Output {
    /// Print machine-readable JSON.
    #[arg(long)]
    pub json: bool,
    /// Write the table to a file in this format (csv or xlsx; guessed from -o's extension when left out).
    #[arg(long, value_name = "csv|xlsx")]
    pub format: Option<String>,
    /// The file to write the table to.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Which cases, documents and coders to look at.
#[derive(Debug, Args)]
pub struct ScopeArgs {
    /// Only documents of this case (repeatable).
    #[arg(long = "case", value_name = "CASE")]
    pub cases: Vec<String>,
    /// Only cases with this attribute value, KEY=VALUE (repeatable; all must hold).
    #[arg(long = "attr", value_name = "KEY=VALUE")]
    pub attrs: Vec<String>,
    /// Only this document (repeatable).
    #[arg(long = "doc", value_name = "DOC")]
    pub docs: Vec<String>,
    /// Only codings by this coder (repeatable).
    #[arg(long = "by", value_name = "CODER")]
    pub coders: Vec<String>,
    /// Only codings by these coders, comma-separated ("Ingrid Solberg,Tobias Lunde"; default: every coder).
    #[arg(long = "coders", value_name = "A,B", value_delimiter = ',')]
    pub coder_list: Vec<String>,
}

/// The coders named by `--by` and `--coders` (every coder when neither is given); an unknown name is an error.
pub fn coder_selection(
    p: &Project,
    by: &[String],
    list: &[String],
) -> Result<marginalia::coders::CoderSelection> {
    let names: Vec<String> = by.iter().chain(list).cloned().collect();
    Ok(marginalia::coders::CoderSelection::from_names(p, &names)?)
}

#[derive(Debug, Args)]
pub struct MatrixArgs {
    pub dir: PathBuf,
    /// Rows: every code, or top-level codes with their sub-codes rolled up.
    #[arg(long, default_value = "codes", value_name = "codes|parents")]
    pub rows: String,
    /// Columns: cases, groups of cases by an attribute (attr:NAME), documents, or speakers.
    #[arg(
        long,
        default_value = "cases",
        value_name = "cases|attr:NAME|documents|speakers"
    )]
    pub columns: String,
    /// What a cell counts: codings (each coder's coding of a passage counts), distinct passages, documents,
    /// coded characters, % of text, or presence.
    #[arg(
        long,
        default_value = "codings",
        value_name = "codings|passages|documents|characters|share|presence"
    )]
    pub value: String,
    /// Only these codes as rows (repeatable, or several after one --code).
    #[arg(long = "code", value_name = "PATH", num_args = 1..)]
    pub codes: Vec<String>,
    /// A code's row also counts its sub-codes' codings.
    #[arg(long)]
    pub subcodes: bool,
    /// Show the excerpts behind one cell: ROW,COL as labels or 1-based numbers (`total` for totals).
    #[arg(long, value_name = "ROW,COL")]
    pub cell: Option<String>,
    #[command(flatten)]
    pub scope: ScopeArgs,
    #[command(flatten)]
    pub output: Output,
}

#[derive(Debug, Args)]
pub struct CooccurrenceArgs {
    pub dir: PathBuf,
    /// When codes occur together: overlapping codings, within N characters, the same turn, the same paragraph.
    #[arg(
        long,
        default_value = "overlap",
        value_name = "overlap|N|turn|paragraph"
    )]
    pub within: String,
    /// Show Jaccard values n(A,B) / (n(A) + n(B) − n(A,B)) instead of counts.
    #[arg(long)]
    pub jaccard: bool,
    /// Only these codes (repeatable, or several after one --code).
    #[arg(long = "code", value_name = "PATH", num_args = 1..)]
    pub codes: Vec<String>,
    /// A code also counts its sub-codes' codings.
    #[arg(long)]
    pub subcodes: bool,
    /// Show the passages behind one pair of codes: A,B as paths, names or 1-based numbers.
    #[arg(long, value_name = "A,B")]
    pub pair: Option<String>,
    #[command(flatten)]
    pub scope: ScopeArgs,
    #[command(flatten)]
    pub output: Output,
}

#[derive(Debug, Args)]
pub struct QueryArgs {
    pub dir: PathBuf,
    /// The coding query: "A AND B", "A OR B", "A NOT B", "A NEAR B", parentheses; codes by path or name.
    pub query: String,
    /// Distance for NEAR: characters between the passages, or `turn` for the same speaker turn.
    #[arg(long, default_value = "200", value_name = "N|turn")]
    pub near: String,
    /// Codes stand only for themselves, not their sub-codes.
    #[arg(long)]
    pub exact: bool,
    /// Only what this speaker says (the passages are clipped to their turns).
    #[arg(long)]
    pub speaker: Option<String>,
    /// Only passages that overlap a hit of this text query (the `search` language).
    #[arg(long, value_name = "QUERY")]
    pub text: Option<String>,
    /// Save the passages as codings of this code (created if missing) by --coder, as one undoable step.
    #[arg(long, value_name = "PATH")]
    pub save_as: Option<String>,
    #[command(flatten)]
    pub scope: ScopeArgs,
    #[command(flatten)]
    pub output: Output,
}

#[derive(Debug, Args)]
pub struct WordsArgs {
    pub dir: PathBuf,
    /// Count only the text coded with this code (repeatable).
    #[arg(long = "code", value_name = "PATH")]
    pub codes: Vec<String>,
    /// With --code: include the text of its sub-codes.
    #[arg(long)]
    pub subcodes: bool,
    /// Group word forms by stem and show the most frequent form.
    #[arg(long)]
    pub stemmed: bool,
    /// At most this many words.
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    /// Words shorter than this are left out.
    #[arg(long, default_value_t = 2)]
    pub min_chars: usize,
    /// Your own stop list (one word a line; `-word` takes a default stop word out; repeatable).
    #[arg(long = "stopwords", value_name = "FILE")]
    pub stopwords: Vec<PathBuf>,
    /// Do not use the shipped Norwegian and English stop lists.
    #[arg(long)]
    pub no_default_stopwords: bool,
    /// Keyword in context: every occurrence of this word instead of the frequency list.
    #[arg(long, value_name = "WORD")]
    pub kwic: Option<String>,
    /// Characters of context each side in KWIC lines.
    #[arg(long, default_value_t = 40)]
    pub width: usize,
    /// Read only this speaker's turns (a name, or one word of it, ignoring case; repeatable).
    #[arg(long = "speaker", value_name = "NAME")]
    pub speakers: Vec<String>,
    /// Leave out this speaker's turns, e.g. `--exclude-speaker Intervjuer --exclude-speaker Intervjuar`
    /// (repeatable).
    #[arg(long = "exclude-speaker", value_name = "NAME")]
    pub exclude_speakers: Vec<String>,
    /// Count speaker labels and bracketed transcription notes (`(ler)`, `[pause]`) too; left out by default.
    #[arg(long)]
    pub with_furniture: bool,
    #[command(flatten)]
    pub scope: ScopeArgs,
    #[command(flatten)]
    pub output: Output,
}

fn scope(p: &Project, args: &ScopeArgs) -> Result<Scope> {
    Ok(Scope {
        cases: ids(p, &args.cases, find_case, |c| c.id)?,
        attributes: args
            .attrs
            .iter()
            .map(|a| AttrFilter::parse(a).map_err(anyhow::Error::from))
            .collect::<Result<_>>()?,
        documents: ids(p, &args.docs, find_doc, |d| d.id)?,
        coders: coder_selection(p, &args.coders, &args.coder_list)?,
    })
}

fn codes(p: &Project, keys: &[String]) -> Result<Vec<marginalia::ids::CodeId>> {
    keys.iter().map(|c| find_code(p, c).map(|c| c.id)).collect()
}

/// Writes the table when -o is given; returns true if it did.
fn export(table: &Table, output: &Output) -> Result<bool> {
    let Some(path) = &output.output else {
        if output.format.is_some() {
            bail!("--format needs -o FILE");
        }
        return Ok(false);
    };
    let format = match &output.format {
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
    table.write(path, format)?;
    println!("Wrote {} rows to {}", table.rows.len(), path.display());
    Ok(true)
}

/// Writes the table with -o, prints `data` as JSON with --json, or else prints for people with `text`.
fn show_table<T: serde::Serialize + ?Sized>(
    table: &Table,
    output: &Output,
    data: &T,
    text: impl FnOnce(),
) -> Result<()> {
    if export(table, output)? {
        return Ok(());
    }
    if output.json {
        return print_json(data);
    }
    text();
    Ok(())
}

/// Splits `A,B` where both parts must be recognised (labels may themselves contain commas).
fn split_pair(
    text: &str,
    mut left: impl FnMut(&str) -> bool,
    mut right: impl FnMut(&str) -> bool,
) -> Option<(&str, &str)> {
    text.match_indices(',')
        .map(|(i, _)| (&text[..i], &text[i + 1..]))
        .find(|(a, b)| left(a) && right(b))
}

pub fn run_matrix(args: MatrixArgs) -> Result<()> {
    let ws = super::open_read_only(&args.dir)?;
    let p = ws.project();
    let spec = MatrixSpec {
        rows: match args.rows.trim().to_lowercase().as_str() {
            "codes" => RowMode::Codes,
            "parents" | "top" => RowMode::Parents,
            other => bail!("--rows must be codes or parents, not '{other}'"),
        },
        codes: codes(p, &args.codes)?,
        include_subcodes: args.subcodes,
        columns: Columns::parse(&args.columns).ok_or_else(|| {
            anyhow!(
                "--columns must be cases, attr:NAME, documents or speakers, not '{}'",
                args.columns
            )
        })?,
        value: Value::parse(&args.value).ok_or_else(|| {
            anyhow!(
                "--value must be codings, documents, characters, share or presence, not '{}'",
                args.value
            )
        })?,
        scope: scope(p, &args.scope)?,
    };
    let m = matrix(p, &spec)?;
    if let Some(cell) = &args.cell {
        return print_cell(p, &m, spec.value, cell, args.output.json);
    }
    let table = m.to_table();
    show_table(&table, &args.output, &m, || print!("{}", table.to_text()))
}

/// `--cell ROW,COL`: the cell's value and the excerpts behind it.
fn print_cell(p: &Project, m: &Matrix, value: Value, cell: &str, json: bool) -> Result<()> {
    let total = |s: &str| s.trim().eq_ignore_ascii_case("total");
    let (r, c) = split_pair(
        cell,
        |s| total(s) || m.find_row(s).is_some(),
        |s| total(s) || m.find_column(s).is_some(),
    )
    .ok_or_else(|| {
        anyhow!("--cell '{cell}': give ROW,COL as a row (code path or number) and a column (label or number)")
    })?;
    let row = if total(r) { None } else { m.find_row(r) };
    let col = if total(c) { None } else { m.find_column(c) };
    let excerpts = m.cell_excerpts(p, row, col);
    if !json {
        let row_label = row.map_or("Total", |r| m.rows[r].label.as_str());
        let col_label = col.map_or("Total", |c| m.columns[c].label.as_str());
        let codings = m.cell_codings(row, col).len();
        let behind = if value == Value::Codings {
            String::new()
        } else {
            format!(" ({codings} codings)")
        };
        println!(
            "{row_label} × {col_label}: {} {}{behind}",
            fmt_value(m.value(row, col)),
            value.label(),
        );
    }
    print_excerpts(&excerpts, Default::default(), json)
}

fn fmt_value(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.2}")
    }
}

pub fn run_cooccurrence(args: CooccurrenceArgs) -> Result<()> {
    let ws = super::open_read_only(&args.dir)?;
    let p = ws.project();
    let spec = CooccurrenceSpec {
        codes: codes(p, &args.codes)?,
        include_subcodes: args.subcodes,
        proximity: Proximity::parse(&args.within).ok_or_else(|| {
            anyhow!(
                "--within must be overlap, a number of characters, turn or paragraph, not '{}'",
                args.within
            )
        })?,
        jaccard: args.jaccard,
        scope: scope(p, &args.scope)?,
    };
    let table_data = cooccurrence(p, &spec)?;
    if let Some(pair) = &args.pair {
        return print_pair(p, &table_data, spec.jaccard, pair, args.output.json);
    }
    let table = table_data.to_table();
    show_table(&table, &args.output, &table_data, || {
        print!("{}", table.to_text())
    })
}

/// `--pair A,B`: the passages where both codes occur.
fn print_pair(
    p: &Project,
    table_data: &Cooccurrence,
    jaccard: bool,
    pair: &str,
    json: bool,
) -> Result<()> {
    let (a, b) = split_pair(
        pair,
        |s| table_data.find_code(s).is_some(),
        |s| table_data.find_code(s).is_some(),
    )
    .ok_or_else(|| anyhow!("--pair '{pair}': give A,B as two codes of the table"))?;
    let (Some(a), Some(b)) = (table_data.find_code(a), table_data.find_code(b)) else {
        bail!("--pair '{pair}': give A,B as two codes of the table");
    };
    let passages = table_data.cell_passages(a, b);
    if json {
        return print_json(&serde_json::json!({
            "a": table_data.codes[a].label,
            "b": table_data.codes[b].label,
            "count": table_data.counts[a][b],
            "value": table_data.values[a][b],
            "passages": passages,
            "excerpts": table_data.cell_excerpts(p, a, b),
        }));
    }
    println!(
        "{} × {}: {} passages{}",
        table_data.codes[a].label,
        table_data.codes[b].label,
        table_data.counts[a][b],
        if jaccard {
            format!(" (Jaccard {:.3})", table_data.values[a][b])
        } else {
            String::new()
        }
    );
    for passage in &passages {
        let name = p
            .documents()
            .get(&passage.document)
            .map_or("?", |d| d.name.as_str());
        let text =
            marginalia::offsets::slice(p.text(passage.document), passage.range).unwrap_or("");
        println!(
            "\n{name} {}: \"{}\"\n    {} pair(s) of codings",
            passage.range,
            shorten(text.trim(), 200),
            passage.pairs.len()
        );
    }
    Ok(())
}

pub fn run_query_verb(args: QueryArgs, coder: &str) -> Result<()> {
    let mut ws = if args.save_as.is_some() {
        super::open_project(&args.dir)?
    } else {
        Workspace::open_read_only(&args.dir)?
    };
    let near = Near::parse(&args.near).ok_or_else(|| {
        anyhow!(
            "--near must be a number of characters or 'turn', not '{}'",
            args.near
        )
    })?;
    let p = ws.project();
    let expr = parse_query(p, &args.query, near)?;
    let query = CodingQuery {
        expr,
        include_subcodes: !args.exact,
        scope: scope(p, &args.scope)?,
        speaker: args.speaker.clone(),
        text: args.text.clone(),
    };
    let index = match &query.text {
        Some(_) => Some(SearchIndex::for_project(&ws.index_dir(), p)?),
        None => None,
    };
    let result = run_query(p, index.as_ref(), &query)?;
    if let Some(path) = &args.save_as {
        let edit = save_as_code(p, &result, path, coder)?;
        let label = ws.apply(edit)?;
        super::save(&mut ws)?;
        println!("Saved: {label}");
        return Ok(());
    }
    show_table(&result.to_table(), &args.output, &result, || {
        for passage in &result.passages {
            let speaker = passage
                .speaker
                .as_deref()
                .map(|s| format!("{s}, "))
                .unwrap_or_default();
            println!(
                "\n\"{}\"\n    — {speaker}{}, {}",
                shorten(passage.text.trim(), 300),
                passage.document_name,
                passage.range
            );
        }
        println!(
            "\n{}: {} passages in {} documents ({} characters)",
            result.description,
            result.passages.len(),
            result.documents,
            result.characters
        );
    })
}

pub fn run_words(args: WordsArgs) -> Result<()> {
    let ws = super::open_read_only(&args.dir)?;
    let p = ws.project();
    let selection = Selection {
        codes: codes(p, &args.codes)?,
        include_subcodes: args.subcodes,
        scope: scope(p, &args.scope)?,
        speakers: SpeakerFilter {
            only: args.speakers.clone(),
            exclude: args.exclude_speakers.clone(),
        },
        with_furniture: args.with_furniture,
    };
    if let Some(word) = &args.kwic {
        return print_kwic(p, &selection, word, &args);
    }
    let mut stopwords = if args.no_default_stopwords {
        StopList::default()
    } else {
        StopList::defaults()
    };
    for file in &args.stopwords {
        stopwords.apply_file(Path::new(file))?;
    }
    let options = WordOptions {
        stemmed: args.stemmed,
        stopwords,
        min_chars: args.min_chars,
        limit: Some(args.limit),
    };
    let freq = word_frequencies(p, &selection, &options)?;
    let table = freq.to_table();
    show_table(&table, &args.output, &freq, || {
        print!("{}", table.to_text());
        println!(
            "\n{} words counted, {} distinct{}",
            freq.total,
            freq.distinct,
            if args.stemmed { " stems" } else { "" }
        );
    })
}

/// `words --kwic WORD`: every occurrence with its context.
fn print_kwic(p: &Project, selection: &Selection, word: &str, args: &WordsArgs) -> Result<()> {
    let lines = kwic(p, selection, word, args.stemmed, args.width)?;
    show_table(&kwic_table(&lines), &args.output, &lines, || {
        let left_width = lines
            .iter()
            .map(|l| marginalia::offsets::char_len(&l.left))
            .max()
            .unwrap_or(0);
        for line in &lines {
            let pad = " ".repeat(left_width - marginalia::offsets::char_len(&line.left));
            println!(
                "{pad}{} [{}] {}    ({}, {})",
                line.left, line.keyword, line.right, line.document_name, line.range.start
            );
        }
        println!("\n{} occurrences", lines.len());
    })
}
