//! Finds paragraphs and speaker turns (`Rektor:`, `I:`, `[Intervjuer]`, `Intervjuer (00:05:15):`,
//! `00:05:15 Lærer 2:`) in imported text.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::Turn;
use crate::offsets::CharRange;

/// A speaker label: 1–4 words, the first starting with a capital letter or digit (`Rektor`, `Lærer 2`,
/// `IP1`, `INTERVJUER`), or one lower-case word with an optional number (`interviewee`, `interviewer 2`).
const LABEL: &str = r"(?:[\p{Lu}\d][\p{L}\d.\-/]*(?:[ ][\p{L}\d][\p{L}\d.\-/]*){0,3}|\p{Ll}[\p{L}\-]*(?:[ ]?\d{1,2})?)";
const STAMP: &str = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?";

struct Pattern {
    regex: Regex,
    /// Bracketed and time-stamped labels are strong evidence of a transcript.
    strong: bool,
}

static PATTERNS: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    let make =
        |source: String, strong: bool| Regex::new(&source).map(|regex| Pattern { regex, strong });
    [
        // `00:05:15 Lærer 2:`, `[00:01:02] Name:`, `00:01:02 - Name:`
        make(
            format!(r"^\[?(?P<ts>{STAMP})\]?\s*[-–]?\s*(?P<spk>{LABEL})\s*:[ \t]*"),
            true,
        ),
        // `Intervjuer (00:05:15):`, `Name [00:01:02]`
        make(
            format!(r"^(?P<spk>{LABEL})\s*[(\[](?P<ts>{STAMP})[)\]]\s*:?[ \t]*"),
            true,
        ),
        // `[Intervjuer]`
        make(format!(r"^\[(?P<spk>{LABEL})\]\s*:?[ \t]*"), true),
        // `Rektor:`, `Interviewer1 :` (a space before the colon, as French typography writes it)
        make(format!(r"^(?P<spk>{LABEL})[ \t\u{{a0}}]*:[ \t]+"), false),
    ]
    .into_iter()
    .filter_map(Result::ok)
    .collect()
});

/// Lines longer than this before their colon are prose, not labels (checked before any regex runs).
const LABEL_WINDOW: usize = 64;

/// Field names of headers and notes that are never speakers, however often they recur (`Dato: 12.03`,
/// `Merk: …`), in bokmål, nynorsk and English.
const NOT_SPEAKERS: &[&str] = &[
    "dato",
    "date",
    "tid",
    "time",
    "tidspunkt",
    "klokkeslett",
    "sted",
    "stad",
    "place",
    "location",
    "merk",
    "merknad",
    "note",
    "notat",
    "nb",
    "ps",
    "obs",
    "tema",
    "topic",
    "emne",
    "subject",
    "kilde",
    "source",
    "fra",
    "frå",
    "from",
    "til",
    "to",
    "re",
    "tittel",
    "title",
    "varighet",
    "varigheit",
    "duration",
    "deltakere",
    "deltakarar",
    "participants",
    "tilstede",
    "til stede",
    "present",
    "fil",
    "file",
    "lengde",
    "length",
    "sak",
    "vedtak",
    "referent",
    "saksnr",
    "http",
    "https",
    "www",
    "eksempel",
    "døme",
    "example",
    "eg",
    "ie",
    "feks",
    "dvs",
];

/// A speaker's identity for unifying label variants: lower case without spaces, dots or hyphens, so
/// `Interviewer 1`, `Interviewer1` and `INTERVIEWER 1` are one speaker.
pub fn speaker_key(label: &str) -> String {
    label
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '.' | '-' | '\u{a0}'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Paragraph ranges in code points: blocks separated by blank lines, or single lines when the text has no
/// blank lines. Leading and trailing whitespace is left out of each range.
pub fn paragraphs(text: &str) -> Vec<CharRange> {
    let has_blank_lines = text.lines().any(|l| l.trim().is_empty()) && text.lines().count() > 1;
    let mut out = Vec::new();
    let mut char_pos = 0usize;
    let mut current: Option<(usize, usize)> = None;
    for line in text.split_inclusive('\n') {
        let line_chars = line.chars().count();
        let body = line.trim_end_matches('\n');
        if body.trim().is_empty() {
            if let Some((s, e)) = current.take() {
                out.push(CharRange::new(s, e));
            }
        } else {
            let lead = body.chars().take_while(|c| c.is_whitespace()).count();
            let trail = body.chars().rev().take_while(|c| c.is_whitespace()).count();
            let start = char_pos + lead;
            let end = char_pos + body.chars().count() - trail;
            current = match current {
                Some((s, _)) if has_blank_lines => Some((s, end)),
                Some((s, e)) => {
                    out.push(CharRange::new(s, e));
                    Some((start, end))
                }
                None => Some((start, end)),
            };
        }
        char_pos += line_chars;
    }
    if let Some((s, e)) = current {
        out.push(CharRange::new(s, e));
    }
    out
}

/// A non-blank line: where its words start and end, in code points.
struct Line {
    start: usize,
    end: usize,
}

struct Candidate {
    line: usize,
    label: String,
    key: String,
    timestamp: Option<String>,
    content_offset: usize,
    strong: bool,
}

/// Paragraphs and speaker turns of a text, found together: a line that opens a turn also opens a paragraph.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Structure {
    /// Paragraphs in text order.
    pub paragraphs: Vec<CharRange>,
    /// Speaker turns in text order.
    pub turns: Vec<Turn>,
}

/// Finds the paragraphs and turns of a plain text.
pub fn structure(text: &str) -> Structure {
    detect(text, paragraphs(text))
}

/// Finds speaker turns on the lines of a text whose paragraphs are known (from blank lines, or from the
/// paragraphs of a Word, OpenDocument, RTF or PDF source), and splits paragraphs where a turn starts inside
/// one (one turn per line after a header block).
///
/// Every line is a possible turn: `Rektor: …`, `Interviewer1 : …`, `interviewee: …`, `IP1: …`,
/// `[00:01:02] Name: …`, `Name (00:01:02): …`, `[Intervjuer] …`. A plain label counts when its speaker opens
/// at least two lines (bracketed and time-stamped ones count in a document that has other turns), so a single
/// `Dato: 12.03` or `Merk:` is not a speaker; header field names never are. Label variants of one speaker
/// (`Interviewer 1:`, `Interviewer1 :`) become one speaker, named as most of its turns write it; a numbered
/// speaker heard once counts when another of its kind recurs (`Interviewer2` beside `Interviewer1`). Lines
/// without a label stay in the turn before them.
pub fn detect(text: &str, paragraphs: Vec<CharRange>) -> Structure {
    let (lines, candidates) = scan(text);
    let turns = accept(&lines, candidates);
    if turns.is_empty() {
        return Structure { paragraphs, turns };
    }
    let paragraphs = split_paragraphs(&lines, paragraphs, &turns);
    Structure { paragraphs, turns }
}

/// Speaker turns of a text with known paragraphs (see [`detect`]); the paragraphs are not split.
pub fn turns(text: &str, paragraphs: &[CharRange]) -> Vec<Turn> {
    detect(text, paragraphs.to_vec()).turns
}

/// The non-blank lines of a text and the labels that open them.
fn scan(text: &str) -> (Vec<Line>, Vec<Candidate>) {
    let mut lines = Vec::new();
    let mut candidates = Vec::new();
    let mut char_pos = 0usize;
    for raw in text.split_inclusive('\n') {
        let line_chars = raw.chars().count();
        let body = raw.trim_end_matches(['\n', '\r']);
        let trimmed = body.trim_start();
        if !trimmed.trim_end().is_empty() {
            let lead = body.chars().count() - trimmed.chars().count();
            let words = trimmed.trim_end();
            let start = char_pos + lead;
            let end = start + words.chars().count();
            if let Some(mut candidate) = label_of(words) {
                candidate.line = lines.len();
                candidates.push(candidate);
            }
            lines.push(Line { start, end });
        }
        char_pos += line_chars;
    }
    (lines, candidates)
}

/// The label opening a line, if it has one.
fn label_of(line: &str) -> Option<Candidate> {
    // Cheap test first: a label has a colon (or a bracket) near the start of the line.
    let window = line
        .char_indices()
        .nth(LABEL_WINDOW)
        .map_or(line.len(), |(i, _)| i);
    let head = &line[..window];
    if !head.contains(':') && !line.starts_with('[') {
        return None;
    }
    for pattern in PATTERNS.iter() {
        let Some(caps) = pattern.regex.captures(line) else {
            continue;
        };
        let (Some(speaker), Some(whole)) = (caps.name("spk"), caps.get(0)) else {
            continue;
        };
        let label = speaker
            .as_str()
            .trim()
            .trim_end_matches('.')
            .trim()
            .to_string();
        let key = speaker_key(&label);
        // A label with nothing after it, an over-long one, or a header field is not a turn.
        if label.chars().count() > 40
            || key.is_empty()
            || whole.end() >= line.len()
            || NOT_SPEAKERS.contains(&key.as_str())
            || NOT_SPEAKERS.contains(&label.to_lowercase().as_str())
        {
            return None;
        }
        return Some(Candidate {
            line: 0,
            key,
            label,
            timestamp: caps.name("ts").map(|t| t.as_str().to_string()),
            content_offset: whole.as_str().chars().count(),
            strong: pattern.strong,
        });
    }
    None
}

/// The candidates that are turns, as turns running to the last line before the next one.
fn accept(lines: &[Line], candidates: Vec<Candidate>) -> Vec<Turn> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for c in &candidates {
        *counts.entry(c.key.as_str()).or_insert(0) += 1;
    }
    if !counts.values().any(|n| *n >= 2) {
        return Vec::new();
    }
    // Each speaker is named as most of its labels write it (the first such spelling on a tie).
    let mut spellings: HashMap<&str, Vec<(&str, usize)>> = HashMap::new();
    for c in &candidates {
        let list = spellings.entry(c.key.as_str()).or_default();
        match list.iter_mut().find(|(s, _)| *s == c.label) {
            Some(entry) => entry.1 += 1,
            None => list.push((c.label.as_str(), 1)),
        }
    }
    let names: HashMap<&str, String> = spellings
        .iter()
        .map(|(key, list)| {
            let mut best = list[0];
            for entry in list {
                if entry.1 > best.1 {
                    best = *entry;
                }
            }
            (*key, best.0.to_string())
        })
        .collect();
    // Numbered speakers of one kind (`Interviewer1`, `Interviewer2`; `IP1`, `IP2`): one that speaks once counts
    // when another of its kind recurs.
    let base = |key: &str| {
        key.trim_end_matches(|c: char| c.is_ascii_digit())
            .to_string()
    };
    let recurring_kinds: std::collections::HashSet<String> = counts
        .iter()
        .filter(|(key, n)| **n >= 2 && base(key).len() < key.len())
        .map(|(key, _)| base(key))
        .collect();
    let accepted: Vec<&Candidate> = candidates
        .iter()
        .filter(|c| {
            c.strong
                || counts.get(c.key.as_str()).copied().unwrap_or(0) >= 2
                || (base(&c.key).len() < c.key.len()
                    && !base(&c.key).is_empty()
                    && recurring_kinds.contains(&base(&c.key)))
        })
        .collect();
    if accepted.len() < 2 {
        return Vec::new();
    }
    let mut turns = Vec::with_capacity(accepted.len());
    for (i, candidate) in accepted.iter().enumerate() {
        let next_line = accepted.get(i + 1).map_or(lines.len(), |n| n.line);
        let (Some(first), Some(last)) = (
            lines.get(candidate.line),
            next_line.checked_sub(1).and_then(|l| lines.get(l)),
        ) else {
            continue;
        };
        turns.push(Turn {
            speaker: names
                .get(candidate.key.as_str())
                .cloned()
                .unwrap_or_else(|| candidate.label.clone()),
            timestamp: candidate.timestamp.clone(),
            range: CharRange::new(first.start, last.end.max(first.start)),
            content_start: first.start + candidate.content_offset,
        });
    }
    turns
}

/// Splits each paragraph where a turn starts inside it: the part before ends at the last line before the turn.
fn split_paragraphs(lines: &[Line], paragraphs: Vec<CharRange>, turns: &[Turn]) -> Vec<CharRange> {
    let mut out = Vec::with_capacity(paragraphs.len() + turns.len());
    let mut next_turn = 0usize;
    for paragraph in paragraphs {
        let mut start = paragraph.start;
        while next_turn < turns.len() && turns[next_turn].range.start < paragraph.end {
            let at = turns[next_turn].range.start;
            next_turn += 1;
            if at <= start {
                continue;
            }
            // The last line that ends before the turn starts.
            let before = lines.partition_point(|l| l.start < at);
            let end = before
                .checked_sub(1)
                .and_then(|i| lines.get(i))
                .map_or(start, |l| l.end.min(at));
            if end > start {
                out.push(CharRange::new(start, end));
            }
            start = at;
        }
        out.push(CharRange::new(start, paragraph.end));
    }
    out
}

/// Whether a file looks like an interview (its name says so, or several of its lines open with what reads like
/// a label), so the import report can warn when it got no turns.
pub fn looks_like_interview(name: &str, text: &str) -> bool {
    let lower = name.to_lowercase();
    if [
        "intervju",
        "interview",
        "transkrip",
        "transcript",
        "fokusgruppe",
        "focus group",
    ]
    .iter()
    .any(|w| lower.contains(w))
    {
        return true;
    }
    static LOOSE: LazyLock<Option<Regex>> =
        LazyLock::new(|| Regex::new(r"^\s*[\[(]?[\p{L}\d][\p{L}\d .]{0,24}[\])]?\s*:").ok());
    let Some(loose) = LOOSE.as_ref() else {
        return false;
    };
    text.lines().filter(|l| loose.is_match(l)).take(6).count() >= 6
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::offsets::slice;

    fn speakers(text: &str) -> Vec<(String, Option<String>, String)> {
        let paras = paragraphs(text);
        turns(text, &paras)
            .into_iter()
            .map(|t| {
                let content = slice(text, CharRange::new(t.content_start, t.range.end))
                    .unwrap_or("")
                    .to_string();
                (t.speaker, t.timestamp, content)
            })
            .collect()
    }

    #[test]
    fn paragraphs_split_on_blank_lines_and_trim() {
        let text = "  Første avsnitt\nfortsetter her.  \n\n\nAndre avsnitt – ærlig talt.\n";
        let paras = paragraphs(text);
        assert_eq!(paras.len(), 2);
        assert_eq!(
            slice(text, paras[0]),
            Some("Første avsnitt\nfortsetter her.")
        );
        assert_eq!(slice(text, paras[1]), Some("Andre avsnitt – ærlig talt."));
    }

    #[test]
    fn single_lines_are_paragraphs_when_there_are_no_blank_lines() {
        let text = "Rektor: Ja.\nIntervjuer: Hvorfor?\nRektor: Fordi budsjettet ble kuttet.";
        assert_eq!(paragraphs(text).len(), 3);
    }

    #[test]
    fn plain_labels_need_to_repeat() {
        let text = "Dato: 14. mars 2022\n\nIntervjuer: Hvordan startet det?\n\nRektor: Vi fikk et brev fra kommunen.\n\nIntervjuer: Og så?\n\nRektor: Så ble det ressursteam.";
        let got = speakers(text);
        assert_eq!(got.len(), 4);
        assert_eq!(got[0].0, "Intervjuer");
        assert_eq!(
            got[1],
            (
                "Rektor".into(),
                None,
                "Vi fikk et brev fra kommunen.".into()
            )
        );
    }

    #[test]
    fn all_label_styles_are_recognised() {
        let text = "I: Kor lenge har du vore her?\n\nR: Sidan 2015, ikkje sant.\n\nI: Og før det?\n\nR: Lærar.\n\n[Intervjuer] Og ressursane?\n\n[Rektor] Altfor få.\n\nIntervjuer (00:05:15): Møta?\n\nRektor (00:05:40): Kvar fjortande dag.\n\n00:06:02 Lærer 2: Eg veit ikkje.\n\n00:06:10 Lærer 2: Eller jo.";
        let got = speakers(text);
        let names: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
        assert_eq!(
            names,
            [
                "I",
                "R",
                "I",
                "R",
                "Intervjuer",
                "Rektor",
                "Intervjuer",
                "Rektor",
                "Lærer 2",
                "Lærer 2"
            ]
        );
        assert_eq!(got[6].1.as_deref(), Some("00:05:15"));
        assert_eq!(got[8].1.as_deref(), Some("00:06:02"));
        assert_eq!(got[8].2, "Eg veit ikkje.");
        assert_eq!(got[5].2, "Altfor få.");
    }

    #[test]
    fn continuation_paragraphs_belong_to_the_turn() {
        let text = "Rektor: Først dette.\n\nOg så dette.\n\nIntervjuer: Mm.\n\nRektor: Ja.\n\nIntervjuer: Takk.";
        let paras = paragraphs(text);
        let t = turns(text, &paras);
        assert_eq!(
            slice(text, t[0].range),
            Some("Rektor: Først dette.\n\nOg så dette.")
        );
    }

    #[test]
    fn notes_without_speakers_have_no_turns() {
        let text = "Merk: møtet startet sent.\n\nTilstede: rektor, PPT og helsesykepleier.\n\nVi diskuterte ressurser.";
        assert!(speakers(text).is_empty());
    }
}
