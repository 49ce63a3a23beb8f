//! Coding operations: code passages (creating the code path and the coder when new), in-vivo codes, code
//! every search hit widened to a unit, re-code, re-bound and remove codings.

use std::collections::BTreeSet;

use super::{Draft, ensure_code_path};
use crate::edit::{Edit, EditError, Entity, EntityKey};
use crate::ids::{CodeId, CoderId, CodingId, DocumentId};
use crate::model::{Coder, Coding, MemoTarget, PATH_SEPARATOR, Project};
use crate::offsets::{CharRange, slice};
use crate::query::Hit;

/// The name used when no coder name is set.
pub const DEFAULT_CODER: &str = "researcher";

/// Which code a passage gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeChoice<'a> {
    /// A code of the codebook.
    Existing(CodeId),
    /// A `Parent/Child` path; missing levels are created in the same step.
    Path(&'a str),
}

/// The result of coding: the code used, the new codings' ids and the one edit that does it all.
#[derive(Clone, Debug)]
pub struct Coded {
    /// The code the passages got (new when a path was created).
    pub code: CodeId,
    /// The codings the edit creates or changes, in passage order.
    pub codings: Vec<CodingId>,
    /// The one undoable edit that codes the passages, not yet applied.
    pub edit: Edit,
}

/// How far a search hit is widened before it is coded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum HitUnit {
    /// The matched words only.
    #[default]
    Hit,
    /// The sentence around each match.
    Sentence,
    /// The speaker turn.
    Turn,
    /// The paragraph.
    Paragraph,
}

impl HitUnit {
    /// Every unit, in the order pickers list them.
    pub const ALL: [HitUnit; 4] = [Self::Hit, Self::Sentence, Self::Turn, Self::Paragraph];
}

/// The coder with this name (blank: [`DEFAULT_CODER`]), added to the draft when new.
pub fn ensure_coder(draft: &mut Draft, name: &str) -> CoderId {
    let name = match name.trim() {
        "" => DEFAULT_CODER,
        name => name,
    };
    if let Some(coder) = draft.coder_named(name) {
        return coder.id;
    }
    let coder = Coder {
        id: CoderId::new(),
        name: name.to_string(),
        colour: None,
    };
    let id = coder.id;
    draft.put(Entity::Coder(coder));
    id
}

/// Adds one coding to a draft; the range must lie inside the document.
pub fn code_passage(
    draft: &mut Draft,
    document: DocumentId,
    code: CodeId,
    range: CharRange,
    coder: CoderId,
    memo: Option<String>,
) -> Result<CodingId, EditError> {
    let doc = draft
        .project()
        .documents()
        .get(&document)
        .ok_or(EditError::Missing(EntityKey::Document(document)))?;
    if range.is_empty() || range.end > doc.char_len {
        return Err(EditError::invalid(
            EntityKey::Document(document),
            format!(
                "range {range} is empty or outside '{}' (0..{})",
                doc.name, doc.char_len
            ),
        ));
    }
    let coding = Coding {
        id: CodingId::new(),
        document,
        code,
        range,
        coder,
        created: crate::now(),
        memo,
    };
    let id = coding.id;
    draft.put(Entity::Coding(coding));
    Ok(id)
}

/// Codes passages with one code as ONE undoable step, creating the code path and the coder when new.
///
/// A passage this coder already coded with this code is skipped; when every passage is, the action is
/// refused ("already coded"), so the undo history never gets an empty step.
pub fn code_with(
    project: &Project,
    choice: CodeChoice,
    passages: &[(DocumentId, CharRange)],
    coder_name: &str,
    memo: Option<String>,
) -> Result<Coded, EditError> {
    let mut draft = Draft::new(project);
    let code = match choice {
        CodeChoice::Existing(id) => draft.existing_code(id)?.id,
        CodeChoice::Path(path) => ensure_code_path(&mut draft, path)?,
    };
    let name = draft.existing_code(code)?.name.clone();
    let coder = ensure_coder(&mut draft, coder_name);
    let mut done: BTreeSet<(DocumentId, CharRange)> = project
        .codings()
        .values()
        .filter(|c| c.code == code && c.coder == coder)
        .map(|c| (c.document, c.range))
        .collect();
    let mut codings = Vec::new();
    for &(document, range) in passages {
        if done.insert((document, range)) {
            codings.push(code_passage(
                &mut draft,
                document,
                code,
                range,
                coder,
                memo.clone(),
            )?);
        }
    }
    if codings.is_empty() {
        let what = match passages {
            [(_, range)] => format!("{range} is"),
            _ => "every passage is".to_string(),
        };
        return Err(EditError::invalid(
            EntityKey::Code(code),
            format!("{what} already coded '{name}' by this coder"),
        ));
    }
    let label = match codings.len() {
        1 => format!("code '{name}'"),
        n => format!("code {n} passages as '{name}'"),
    };
    Ok(Coded {
        code,
        codings,
        edit: draft.finish_labelled(label),
    })
}

/// The code name an in-vivo code gets from the selected words (trimmed, at most 60 characters).
pub fn in_vivo_name(text: &str) -> Option<String> {
    let joined = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(PATH_SEPARATOR, "-");
    let mut name = joined
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_string();
    if name.chars().count() > 60 {
        name = name.chars().take(59).collect::<String>() + "…";
    }
    (!name.is_empty()).then_some(name)
}

/// An in-vivo code: the selected words become a top-level code (reused when it exists) coding the passage.
pub fn in_vivo(
    project: &Project,
    document: DocumentId,
    range: CharRange,
    coder_name: &str,
) -> Result<Coded, EditError> {
    let text = slice(project.text(document), range).unwrap_or("");
    let name = in_vivo_name(text).ok_or_else(|| {
        EditError::invalid(
            EntityKey::Document(document),
            "the selection has no words to name a code",
        )
    })?;
    let mut coded = code_with(
        project,
        CodeChoice::Path(&name),
        &[(document, range)],
        coder_name,
        None,
    )?;
    if let Edit::Batch { label, .. } = &mut coded.edit {
        *label = format!("in-vivo code '{name}'");
    }
    Ok(coded)
}

/// Gives a coding another code (an existing one, or a path created in the same step).
pub fn recode(project: &Project, coding: CodingId, choice: CodeChoice) -> Result<Coded, EditError> {
    let old = project
        .codings()
        .get(&coding)
        .ok_or(EditError::Missing(EntityKey::Coding(coding)))?;
    let mut draft = Draft::new(project);
    let code = match choice {
        CodeChoice::Existing(id) => draft.existing_code(id)?.id,
        CodeChoice::Path(path) => ensure_code_path(&mut draft, path)?,
    };
    let name = draft.existing_code(code)?.name.clone();
    draft.put(Entity::Coding(Coding {
        code,
        ..old.clone()
    }));
    Ok(Coded {
        code,
        codings: vec![coding],
        edit: draft.finish_labelled(format!("change coding to '{name}'")),
    })
}

/// Moves a coding's bounds.
pub fn set_bounds(
    project: &Project,
    coding: CodingId,
    range: CharRange,
) -> Result<Edit, EditError> {
    let old = project
        .codings()
        .get(&coding)
        .ok_or(EditError::Missing(EntityKey::Coding(coding)))?;
    Ok(Edit::Batch {
        label: "adjust coding bounds".into(),
        edits: vec![Edit::Put(Entity::Coding(Coding {
            range,
            ..old.clone()
        }))],
    })
}

/// Removes a coding with the memos written on it.
pub fn remove_coding(project: &Project, coding: CodingId) -> Result<Edit, EditError> {
    if !project.codings().contains_key(&coding) {
        return Err(EditError::Missing(EntityKey::Coding(coding)));
    }
    let mut draft = Draft::new(project);
    for memo in project.memos_on(MemoTarget::Coding(coding)) {
        draft.delete(EntityKey::Memo(memo.id));
    }
    draft.delete(EntityKey::Coding(coding));
    Ok(draft.finish_labelled("remove coding"))
}

/// The passages to code for a list of search hits: each match widened to `unit`, in document order.
pub fn hit_passages(
    project: &Project,
    hits: &[Hit],
    unit: HitUnit,
) -> Vec<(DocumentId, CharRange)> {
    let mut wanted: BTreeSet<(DocumentId, CharRange)> = BTreeSet::new();
    for hit in hits {
        let matches = match hit.matches.is_empty() {
            true => std::slice::from_ref(&hit.passage),
            false => hit.matches.as_slice(),
        };
        for m in matches {
            let range = widen(project, hit, *m, unit);
            if !range.is_empty() {
                wanted.insert((hit.document, range));
            }
        }
    }
    wanted.into_iter().collect()
}

/// Widens one match of a hit to the chosen unit.
pub fn widen(project: &Project, hit: &Hit, m: CharRange, unit: HitUnit) -> CharRange {
    let Some(doc) = project.documents().get(&hit.document) else {
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
            sentence_around(project.text(hit.document), hit.passage, m, floor)
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

    #[test]
    fn in_vivo_names_are_trimmed_and_bounded() {
        assert_eq!(
            in_vivo_name("  «vi har ikkje nok folk»! ").as_deref(),
            Some("vi har ikkje nok folk")
        );
        assert_eq!(in_vivo_name("a/b").as_deref(), Some("a-b"));
        assert_eq!(in_vivo_name(" … "), None);
        assert_eq!(
            in_vivo_name(&"ord ".repeat(40)).map(|n| n.chars().count()),
            Some(60)
        );
    }
}

/// What a reviewer decided about one disagreeing stretch between two coders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// The first coder's bounds around the stretch.
    KeepFirst,
    /// The second coder's bounds around the stretch.
    KeepSecond,
    /// Everything either coder coded around the stretch.
    Union,
    /// Only what both coded around the stretch.
    Intersection,
    /// Bounds the reviewer set.
    Bounds(CharRange),
    /// No decision now: nothing is coded.
    Skip,
}

impl Resolution {
    /// The decision's name, as undo labels and buttons say it.
    pub fn label(self) -> &'static str {
        match self {
            Self::KeepFirst => "keep first coder",
            Self::KeepSecond => "keep second coder",
            Self::Union => "union",
            Self::Intersection => "intersection",
            Self::Bounds(_) => "new bounds",
            Self::Skip => "skip",
        }
    }
}

/// One decision of a disagreement review: which stretch, between which two coders, what to keep, and the
/// consensus coder (a layer of its own) that gets the result as ordinary codings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    /// The document of the stretch.
    pub document: DocumentId,
    /// The code the coders disagree on.
    pub code: CodeId,
    /// The disagreeing stretch (as [`crate::analysis::agreement::disagreements`] lists it).
    pub stretch: CharRange,
    /// The two compared coders, first and second.
    pub coders: [CoderId; 2],
    /// What to keep.
    pub resolution: Resolution,
    /// The consensus coder's name (created when new); it must not be one of the compared coders.
    pub consensus: String,
    /// A memo on each coding the decision creates.
    pub memo: Option<String>,
}

/// A coder's codings of a code in a document that overlap (or touch) a stretch, merged: "their bounds".
pub fn bounds_around(
    project: &Project,
    document: DocumentId,
    code: CodeId,
    coder: CoderId,
    stretch: CharRange,
) -> Vec<CharRange> {
    let mut ranges: Vec<CharRange> = project
        .codings()
        .values()
        .filter(|c| c.document == document && c.code == code && c.coder == coder)
        .filter(|c| c.range.start <= stretch.end && stretch.start <= c.range.end)
        .map(|c| c.range)
        .collect();
    ranges.sort_unstable();
    let mut out: Vec<CharRange> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match out.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => out.push(range),
        }
    }
    out
}

/// The passages a decision codes in the consensus layer (empty for Skip, or when the kept coder coded
/// nothing there).
pub fn decision_ranges(project: &Project, decision: &Decision) -> Vec<CharRange> {
    let [a, b] = decision.coders;
    let around = |coder| {
        bounds_around(
            project,
            decision.document,
            decision.code,
            coder,
            decision.stretch,
        )
    };
    match decision.resolution {
        Resolution::KeepFirst => around(a),
        Resolution::KeepSecond => around(b),
        Resolution::Union => {
            let mut all = around(a);
            all.extend(around(b));
            all.sort_unstable();
            let mut out: Vec<CharRange> = Vec::new();
            for range in all {
                match out.last_mut() {
                    Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
                    _ => out.push(range),
                }
            }
            out
        }
        Resolution::Intersection => {
            let (first, second) = (around(a), around(b));
            let mut out = Vec::new();
            for x in &first {
                for y in &second {
                    let range = CharRange::new(x.start.max(y.start), x.end.min(y.end));
                    if !range.is_empty() {
                        out.push(range);
                    }
                }
            }
            out
        }
        Resolution::Bounds(range) => vec![range],
        Resolution::Skip => Vec::new(),
    }
}

/// Turns a review decision into ONE undoable edit that codes its passages in the consensus layer (creating
/// the consensus coder when new). `Ok(None)` when the decision codes nothing (Skip, or keeping a coder who
/// did not code there, or passages the consensus layer already has).
pub fn resolve_disagreement(
    project: &Project,
    decision: &Decision,
) -> Result<Option<Coded>, EditError> {
    let name = decision.consensus.trim();
    if name.is_empty() {
        return Err(EditError::invalid(
            EntityKey::Code(decision.code),
            "name the consensus coder first",
        ));
    }
    if let Some(existing) = project.find_coder(name)
        && decision.coders.contains(&existing.id)
    {
        return Err(EditError::invalid(
            EntityKey::Coder(existing.id),
            format!(
                "'{}' is one of the compared coders; decisions go into a consensus coder of their own",
                existing.name
            ),
        ));
    }
    let code = project
        .codes()
        .get(&decision.code)
        .ok_or(EditError::Missing(EntityKey::Code(decision.code)))?;
    let ranges = decision_ranges(project, decision);
    let mut draft = Draft::new(project);
    let coder = ensure_coder(&mut draft, name);
    let done: BTreeSet<CharRange> = project
        .codings()
        .values()
        .filter(|c| c.document == decision.document && c.code == code.id && c.coder == coder)
        .map(|c| c.range)
        .collect();
    let memo = decision
        .memo
        .as_ref()
        .map(|m| m.trim().to_string())
        .filter(|m| !m.is_empty());
    let mut codings = Vec::new();
    for range in ranges.into_iter().filter(|r| !done.contains(r)) {
        codings.push(code_passage(
            &mut draft,
            decision.document,
            code.id,
            range,
            coder,
            memo.clone(),
        )?);
    }
    if codings.is_empty() {
        return Ok(None);
    }
    let label = format!(
        "resolve disagreement on '{}' ({})",
        code.name,
        decision.resolution.label()
    );
    Ok(Some(Coded {
        code: code.id,
        codings,
        edit: draft.finish_labelled(label),
    }))
}
