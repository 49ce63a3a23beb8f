//! The `memos` verbs: list, add a memo on the project or on a document, code, case or coding, delete.

use std::path::Path;

use anyhow::{Result, anyhow, bail};
use marginalia::ids::{CodingId, MemoId};
use marginalia::model::{MemoTarget, Project};
use marginalia::ops;

use super::args::MemosAction;
use super::output;
use super::resolve::{find_case, find_code, find_doc, parse_id};

/// `memos DIR ACTION`; new memos are by `coder`.
pub fn memos(dir: &Path, action: MemosAction, coder: &str) -> Result<()> {
    match action {
        MemosAction::List { json } => super::show(dir, json.json, output::print_memos),
        MemosAction::Add { on, title, text } => super::change_and_report(dir, |p| {
            Ok(ops::add_memo(p, memo_target(p, &on)?, &title, &text, coder)?.1)
        }),
        MemosAction::Delete { memo } => {
            let id: MemoId = parse_id(&memo)?;
            super::change_and_report(dir, |p| Ok(ops::delete_memo(p, id)?))
        }
    }
}

/// What `--on` names: `project`, `doc:NAME`, `code:PATH`, `case:NAME` or `coding:ID`.
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
            let id: CodingId = parse_id(key)?;
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
