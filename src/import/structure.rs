//! Finds paragraphs and speaker turns (`Rektor:`, `I:`, `[Intervjuer]`, `Intervjuer (00:05:15):`,
//! `00:05:15 Lærer 2:`) in imported text.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::Turn;
use crate::offsets::{CharRange, OffsetMap};

/// A speaker label: 1–4 words, the first starting with a capital letter or digit.
const LABEL: &str = r"[\p{Lu}\d][\p{L}\d.\-/]*(?:[ ][\p{L}\d][\p{L}\d.\-/]*){0,3}";
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
        make(
            format!(r"^\[?(?P<ts>{STAMP})\]?\s*[-–]?\s*(?P<spk>{LABEL})\s*:[ \t]*"),
            true,
        ),
        make(
            format!(r"^(?P<spk>{LABEL})\s*[(\[](?P<ts>{STAMP})[)\]]\s*:?[ \t]*"),
            true,
        ),
        make(format!(r"^\[(?P<spk>{LABEL})\]\s*:?[ \t]*"), true),
        make(format!(r"^(?P<spk>{LABEL})\s*:[ \t]+"), false),
    ]
    .into_iter()
    .filter_map(Result::ok)
    .collect()
});

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

struct Candidate {
    paragraph: usize,
    speaker: String,
    timestamp: Option<String>,
    content_offset: usize,
    strong: bool,
}

/// Speaker turns. A label counts when it opens at least two paragraphs (or is bracketed/time-stamped in a
/// document that has other turns), so a single `Dato:` line in a header is not mistaken for a speaker.
pub fn turns(text: &str, paragraphs: &[CharRange]) -> Vec<Turn> {
    let map = OffsetMap::new(text);
    let mut candidates = Vec::new();
    for (index, range) in paragraphs.iter().enumerate() {
        let Some(bytes) = map.byte_range(text, *range) else {
            continue;
        };
        let first_line = text[bytes].lines().next().unwrap_or("");
        for pattern in PATTERNS.iter() {
            if let Some(caps) = pattern.regex.captures(first_line) {
                let Some(speaker) = caps.name("spk") else {
                    continue;
                };
                let speaker = speaker.as_str().trim().trim_end_matches('.').to_string();
                if speaker.chars().count() > 40
                    || caps.get(0).is_some_and(|m| m.end() >= first_line.len())
                {
                    continue;
                }
                let matched = caps.get(0).map(|m| m.as_str()).unwrap_or("");
                candidates.push(Candidate {
                    paragraph: index,
                    speaker,
                    timestamp: caps.name("ts").map(|t| t.as_str().to_string()),
                    content_offset: matched.chars().count(),
                    strong: pattern.strong,
                });
                break;
            }
        }
    }
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for c in &candidates {
        *counts.entry(c.speaker.as_str()).or_insert(0) += 1;
    }
    let repeated = |s: &str| counts.get(s).copied().unwrap_or(0) >= 2;
    let distinct_repeated = counts.iter().filter(|(_, n)| **n >= 2).count();
    if distinct_repeated == 0 {
        return Vec::new();
    }
    let accepted: Vec<&Candidate> = candidates
        .iter()
        .filter(|c| repeated(&c.speaker) || c.strong)
        .collect();
    let mut turns: Vec<Turn> = Vec::with_capacity(accepted.len());
    for (i, candidate) in accepted.iter().enumerate() {
        let start = paragraphs[candidate.paragraph];
        let last_paragraph = accepted
            .get(i + 1)
            .map(|next| next.paragraph)
            .unwrap_or(paragraphs.len());
        let end = paragraphs[candidate.paragraph..last_paragraph]
            .last()
            .map(|p| p.end)
            .unwrap_or(start.end);
        turns.push(Turn {
            speaker: candidate.speaker.clone(),
            timestamp: candidate.timestamp.clone(),
            range: CharRange::new(start.start, end),
            content_start: start.start + candidate.content_offset,
        });
    }
    if turns.len() < 2 {
        return Vec::new();
    }
    turns
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
