//! Edits the workbench builds for coding: code a passage (adding the coder when new), in-vivo codes, coding all
//! search hits as one batch (hit, sentence, turn or paragraph), re-coding and re-bounding a coding.

use std::collections::BTreeSet;

use crate::edit::{Edit, Entity, EntityKey};
use crate::gui::commands::HitUnit;
use crate::gui::strings as s;
use crate::ids::{CodeId, CoderId, CodingId, DocumentId};
use crate::model::{Coding, PATH_SEPARATOR, Project};
use crate::offsets::{CharRange, slice};
use crate::ops;
use crate::query::Hit;

/// The coder's id and, when they are new, the edit adding them.
pub fn coder(project: &Project, name: &str) -> (CoderId, Option<Edit>) {
    let name = if name.trim().is_empty() {
        "researcher"
    } else {
        name
    };
    ops::ensure_coder(project, name)
}

/// Codes a passage with an existing code.
pub fn code_range(
    project: &Project,
    document: DocumentId,
    code: CodeId,
    range: CharRange,
    coder_name: &str,
) -> Result<Edit, String> {
    let (coder_id, add_coder) = coder(project, coder_name);
    let (_, edit) = ops::code_passage(project, document, code, range, coder_id, None)
        .map_err(|e| e.to_string())?;
    Ok(with_coder(edit, add_coder))
}

/// Creates a code from a path (`Parent/Child`, missing levels too) and codes a passage with it, as one step.
pub fn create_and_code(
    project: &Project,
    path: &str,
    document: DocumentId,
    range: CharRange,
    coder_name: &str,
) -> Result<(CodeId, Edit), String> {
    let (code, mut edits) = ops::ensure_code_path(project, path).map_err(|e| e.to_string())?;
    let (coder_id, add_coder) = coder(project, coder_name);
    edits.extend(add_coder);
    edits.push(Edit::Put(Entity::Coding(Coding {
        id: CodingId::new(),
        document,
        code,
        range,
        coder: coder_id,
        created: crate::now(),
        memo: None,
    })));
    let name = path.rsplit(PATH_SEPARATOR).next().unwrap_or(path).trim();
    Ok((
        code,
        Edit::Batch {
            label: format!("code '{name}'"),
            edits,
        },
    ))
}

/// An in-vivo code: the selected words (trimmed, at most 60 characters) become a new top-level code.
pub fn in_vivo(
    project: &Project,
    document: DocumentId,
    range: CharRange,
    coder_name: &str,
) -> Result<(CodeId, Edit), String> {
    let text = slice(project.text(document), range).unwrap_or("");
    let mut name: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(PATH_SEPARATOR, "-");
    name = name
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_string();
    if name.chars().count() > 60 {
        name = name.chars().take(59).collect::<String>() + "…";
    }
    if name.is_empty() {
        return Err(s::NO_SELECTION.into());
    }
    let existing = project
        .children(None)
        .into_iter()
        .find(|c| c.name.to_lowercase() == name.to_lowercase())
        .map(|c| c.id);
    let (code, mut edits) = match existing {
        Some(id) => (id, Vec::new()),
        None => {
            let (id, edit) = ops::add_code(project, &name, None, None, "");
            (id, vec![edit])
        }
    };
    let (coder_id, add_coder) = coder(project, coder_name);
    edits.extend(add_coder);
    edits.push(Edit::Put(Entity::Coding(Coding {
        id: CodingId::new(),
        document,
        code,
        range,
        coder: coder_id,
        created: crate::now(),
        memo: None,
    })));
    Ok((
        code,
        Edit::Batch {
            label: s::in_vivo_label(&name),
            edits,
        },
    ))
}

/// Widens one match to the chosen unit.
pub fn widen(
    project: &Project,
    document: DocumentId,
    hit: &Hit,
    m: CharRange,
    unit: HitUnit,
) -> CharRange {
    let Some(doc) = project.documents.get(&document) else {
        return m;
    };
    match unit {
        HitUnit::Hit => m,
        HitUnit::Turn => doc
            .turn_at(m.start)
            .map(|t| CharRange::new(t.content_start.min(m.start), t.range.end))
            .unwrap_or(hit.passage),
        HitUnit::Paragraph => doc.paragraph_at(m.start).unwrap_or(hit.passage),
        HitUnit::Sentence => {
            let floor = doc
                .turn_at(m.start)
                .map(|t| t.content_start)
                .unwrap_or(hit.passage.start);
            sentence_around(project.text(document), hit.passage, m, floor)
        }
    }
}

/// The sentence around a match, within its passage, never before `floor` (where a turn's words start).
fn sentence_around(text: &str, passage: CharRange, m: CharRange, floor: usize) -> CharRange {
    let Some(part) = slice(text, passage) else {
        return m;
    };
    let chars: Vec<char> = part.chars().collect();
    let is_end = |c: char| matches!(c, '.' | '!' | '?' | '\n');
    let lowest = floor.saturating_sub(passage.start).min(chars.len());
    let mut start = m.start.saturating_sub(passage.start).min(chars.len());
    while start > lowest && !is_end(chars[start - 1]) {
        start -= 1;
    }
    while start < chars.len() && chars[start].is_whitespace() {
        start += 1;
    }
    let mut end = m.end.saturating_sub(passage.start).min(chars.len());
    while end < chars.len() && !is_end(chars[end]) {
        end += 1;
    }
    if end < chars.len() && chars[end] != '\n' {
        end += 1;
    }
    CharRange::new(passage.start + start, passage.start + end.max(start))
}

/// Codes every hit (widened to `unit`) with one code, as ONE undoable batch; exact duplicates are skipped.
pub fn code_hits(
    project: &Project,
    hits: &[Hit],
    unit: HitUnit,
    code: CodeId,
    coder_name: &str,
) -> Option<Edit> {
    let (coder_id, add_coder) = coder(project, coder_name);
    let existing: BTreeSet<(DocumentId, CharRange)> = project
        .codings
        .values()
        .filter(|c| c.code == code && c.coder == coder_id)
        .map(|c| (c.document, c.range))
        .collect();
    let mut wanted: BTreeSet<(DocumentId, CharRange)> = BTreeSet::new();
    for hit in hits {
        let matches = if hit.matches.is_empty() {
            vec![hit.passage]
        } else {
            hit.matches.clone()
        };
        for m in matches {
            let range = widen(project, hit.document, hit, m, unit);
            if !range.is_empty() && !existing.contains(&(hit.document, range)) {
                wanted.insert((hit.document, range));
            }
        }
    }
    if wanted.is_empty() {
        return None;
    }
    let count = wanted.len();
    let mut edits: Vec<Edit> = add_coder.into_iter().collect();
    let created = crate::now();
    edits.extend(wanted.into_iter().map(|(document, range)| {
        Edit::Put(Entity::Coding(Coding {
            id: CodingId::new(),
            document,
            code,
            range,
            coder: coder_id,
            created,
            memo: None,
        }))
    }));
    Some(Edit::Batch {
        label: s::coded_hits(count),
        edits,
    })
}

/// Gives a coding another code.
pub fn change_code(project: &Project, coding: CodingId, code: CodeId) -> Option<Edit> {
    let c = project.codings.get(&coding)?;
    let name = project
        .codes
        .get(&code)
        .map(|k| k.name.clone())
        .unwrap_or_default();
    Some(Edit::Batch {
        label: format!("change coding to '{name}'"),
        edits: vec![Edit::Put(Entity::Coding(Coding { code, ..c.clone() }))],
    })
}

/// Moves a coding's bounds.
pub fn set_bounds(project: &Project, coding: CodingId, range: CharRange) -> Option<Edit> {
    let c = project.codings.get(&coding)?;
    Some(Edit::Batch {
        label: "adjust coding bounds".into(),
        edits: vec![Edit::Put(Entity::Coding(Coding { range, ..c.clone() }))],
    })
}

/// Removes a coding (and memos on it).
pub fn remove_coding(project: &Project, coding: CodingId) -> Edit {
    let mut edits: Vec<Edit> = project
        .memos
        .values()
        .filter(|m| m.target == crate::model::MemoTarget::Coding(coding))
        .map(|m| Edit::Delete(EntityKey::Memo(m.id)))
        .collect();
    edits.push(Edit::Delete(EntityKey::Coding(coding)));
    Edit::Batch {
        label: "remove coding".into(),
        edits,
    }
}

/// Attaches a coder to an edit when the coder is new.
fn with_coder(edit: Edit, add_coder: Option<Edit>) -> Edit {
    match add_coder {
        None => edit,
        Some(coder) => {
            let label = match &edit {
                Edit::Batch { label, .. } => label.clone(),
                _ => "code".into(),
            };
            Edit::Batch {
                label,
                edits: vec![coder, edit],
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_are_found_around_a_match() {
        let text =
            "Rektor (00:01:02): Det var fint. Me fekk eit ressursteam i fjor. Så slutta det.";
        let passage = CharRange::new(0, crate::offsets::char_len(text));
        let at = text
            .find("ressursteam")
            .map(|b| text[..b].chars().count())
            .unwrap_or(0);
        let r = sentence_around(text, passage, CharRange::new(at, at + 11), 19);
        assert_eq!(slice(text, r), Some("Me fekk eit ressursteam i fjor."));
        let first = sentence_around(text, passage, CharRange::new(23, 26), 19);
        assert_eq!(slice(text, first), Some("Det var fint."));
    }
}
