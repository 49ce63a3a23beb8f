//! Coding verbs: `code` a passage (by range or by matching text) and `uncode` a coding.

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

pub(super) fn parse_range(text: &str) -> Result<CharRange> {
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
