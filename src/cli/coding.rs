//! Coding verbs: `code` a passage (by range or by matching text), `uncode` a coding, and `resolve` one
//! disagreement into a consensus coder.

use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use marginalia::ids::CodingId;
use marginalia::model::{Document, Project};
use marginalia::offsets::{CharRange, char_len};
use marginalia::ops;

use super::args::CodeArgs;
use super::output::{self, print_json};
use super::resolve::{find_doc, parse_id};

/// `code DIR --doc D --code C (--range S..E | --match TEXT)`.
pub fn code(args: CodeArgs, coder: &str) -> Result<()> {
    let mut ws = super::open_project(&args.dir)?;
    let p = ws.project();
    let doc = find_doc(p, &args.doc)?;
    let range = passage(p, doc, &args)?;
    let doc_id = doc.id;
    let choice = match p.find_code(&args.code) {
        Some(c) => ops::CodeChoice::Existing(c.id),
        None if args.create => ops::CodeChoice::Path(&args.code),
        None => bail!(
            "no code '{}' in the codebook (add it with `marginalia codes DIR add`, or pass --create)",
            args.code
        ),
    };
    let coded = ops::code_with(p, choice, &[(doc_id, range)], coder, args.memo.clone())?;
    let (code_id, coding_id) = (coded.code, coded.codings[0]);
    ws.apply(coded.edit)?;
    super::save(&mut ws)?;
    let p = ws.project();
    let path = p.code_path(code_id);
    if args.json.json {
        return print_json(
            &serde_json::json!({ "coding": coding_id, "code": path, "range": range }),
        );
    }
    let quoted = marginalia::offsets::slice(p.text(doc_id), range).unwrap_or("");
    println!(
        "Coded {range} as '{path}': \"{}\" ({coding_id})",
        output::shorten(quoted, 80)
    );
    Ok(())
}

/// The passage to code: the given range, or the n-th occurrence of the given text; inside the document.
fn passage(p: &Project, doc: &Document, args: &CodeArgs) -> Result<CharRange> {
    let range = match (&args.range, &args.text) {
        (Some(range), _) => parse_range(range)?,
        (None, Some(needle)) => find_occurrence(p.text(doc.id), needle, args.occurrence)
            .ok_or_else(|| {
                anyhow!(
                    "'{}' does not contain \"{needle}\" (occurrence {})",
                    doc.name,
                    args.occurrence
                )
            })?,
        (None, None) => bail!("give --range START..END or --match TEXT"),
    };
    if range.is_empty() || range.end > doc.char_len {
        bail!(
            "range {range} is empty or outside '{}' (0..{})",
            doc.name,
            doc.char_len
        );
    }
    Ok(range)
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

/// `uncode DIR CODING-ID`.
pub fn uncode(dir: &Path, coding: &str) -> Result<()> {
    let id: CodingId = parse_id(coding)?;
    super::change(dir, |p| Ok(ops::remove_coding(p, id)?))?;
    println!("Removed coding {id}");
    Ok(())
}

/// `marginalia resolve DIR --code X --doc D --range S..E --keep …`: one review decision on a disagreeing
/// stretch, coded into a consensus coder as one undoable step.
#[derive(Debug, clap::Args)]
pub struct ResolveArgs {
    pub dir: std::path::PathBuf,
    /// The code the coders disagree on (path, name or id).
    #[arg(long, value_name = "PATH")]
    pub code: String,
    /// The document of the stretch.
    #[arg(long, value_name = "DOC")]
    pub doc: String,
    /// The disagreeing stretch START..END, as `marginalia disagreements` prints it.
    #[arg(long, value_name = "START..END")]
    pub range: String,
    /// The two compared coders, first and second, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "A,B", num_args = 1)]
    pub coders: Vec<String>,
    /// What to keep: first, second, union, intersection, or new bounds START..END.
    #[arg(long, value_name = "first|second|union|intersection|START..END")]
    pub keep: String,
    /// The consensus coder (created when new; not one of the compared coders).
    #[arg(long, default_value = "Consensus")]
    pub consensus: String,
    /// A memo on the consensus coding.
    #[arg(long)]
    pub memo: Option<String>,
}

pub fn run_resolve(args: ResolveArgs) -> Result<()> {
    use marginalia::ops::{Decision, Resolution};
    let label = super::change(&args.dir, |p| {
        let code =
            marginalia::analysis::agreement::find_codes(p, std::slice::from_ref(&args.code))?
                .first()
                .copied()
                .ok_or_else(|| anyhow!("no code given"))?;
        let doc = super::resolve::find_doc(p, &args.doc)?.id;
        let coders = marginalia::analysis::agreement::find_coders(p, &args.coders)?;
        let [a, b] = coders.as_slice() else {
            bail!("--coders takes exactly two coders, first and second");
        };
        let resolution = match args.keep.trim().to_lowercase().as_str() {
            "first" | "a" => Resolution::KeepFirst,
            "second" | "b" => Resolution::KeepSecond,
            "union" => Resolution::Union,
            "intersection" => Resolution::Intersection,
            other => Resolution::Bounds(parse_range(other).map_err(|_| {
                anyhow!(
                    "--keep takes first, second, union, intersection or START..END, not '{other}'"
                )
            })?),
        };
        let decision = Decision {
            document: doc,
            code,
            stretch: parse_range(&args.range)?,
            coders: [*a, *b],
            resolution,
            consensus: args.consensus.clone(),
            memo: args.memo.clone(),
        };
        match marginalia::ops::resolve_disagreement(p, &decision)? {
            Some(coded) => Ok(coded.edit),
            None => bail!(
                "the decision codes nothing in '{}' (nothing to change)",
                args.consensus
            ),
        }
    })?;
    println!("Done: {label}");
    Ok(())
}
