//! Caption files (.vtt from Teams/Zoom, .srt from transcription services): one turn per cue with its speaker
//! (`<v Rektor>` voice tags or `Rektor:` prefixes) and start time; consecutive cues of one speaker merge.
//!
//! A small parser of our own: the cue syntax is a few lines, and the WebVTT crates leave voice tags unparsed in
//! the cue text (and read no SRT), so we would parse the payload ourselves anyway.

use super::office::is_speaker_label;
use super::{Block, Extracted, FormatError};

/// One cue's words, as one speaker said them.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Segment {
    speaker: Option<String>,
    /// From a voice tag (trusted) rather than a `Name:` prefix (trusted only when repeated).
    tagged: bool,
    start: String,
    text: String,
}

/// Reads a WebVTT file (decoded text).
pub fn read_vtt(text: &str) -> Result<Extracted, FormatError> {
    if !text.trim_start().starts_with("WEBVTT") {
        return Err(FormatError::Invalid(
            "not a WebVTT caption file (it does not start with WEBVTT); check the file type and export the captions again".into(),
        ));
    }
    let mut segments = Vec::new();
    for block in blocks(text).skip(1) {
        let first = block.first().copied().unwrap_or("");
        if ["NOTE", "STYLE", "REGION"]
            .iter()
            .any(|k| first.starts_with(k))
        {
            continue;
        }
        let Some(timing) = block.iter().position(|l| l.contains("-->")) else {
            continue;
        };
        let Some(start) = block
            .get(timing)
            .and_then(|l| l.split("-->").next())
            .and_then(|t| timestamp(t.trim()))
        else {
            continue;
        };
        let payload = block.get(timing + 1..).unwrap_or(&[]).join("\n");
        segments.extend(vtt_payload(&payload, &start));
    }
    finish(segments, "WebVTT")
}

/// Reads a SubRip file (decoded text).
pub fn read_srt(text: &str) -> Result<Extracted, FormatError> {
    let mut segments = Vec::new();
    for block in blocks(text) {
        let Some(timing) = block.iter().position(|l| l.contains("-->")) else {
            continue;
        };
        let Some(start) = block
            .get(timing)
            .and_then(|l| l.split("-->").next())
            .and_then(|t| timestamp(t.trim()))
        else {
            continue;
        };
        let lines: Vec<String> = block
            .get(timing + 1..)
            .unwrap_or(&[])
            .iter()
            .map(|l| strip_tags(l))
            .collect();
        let text = lines.join(" ");
        if let Some(segment) = prefixed(&text, &start) {
            segments.push(segment);
        }
    }
    finish(segments, "SubRip")
}

/// Blank-line separated blocks of lines.
fn blocks(text: &str) -> impl Iterator<Item = Vec<&str>> {
    let mut all = Vec::new();
    let mut current = Vec::new();
    for line in text.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            if !current.is_empty() {
                all.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        all.push(current);
    }
    all.into_iter()
}

/// `00:05:15.250`, `05:15.250` or `00:05:15,250` as `00:05:15`.
fn timestamp(text: &str) -> Option<String> {
    let clock = text.split(['.', ',']).next()?;
    let parts: Vec<&str> = clock.split(':').collect();
    let numbers: Vec<u32> = parts
        .iter()
        .map(|p| p.trim().parse::<u32>().ok())
        .collect::<Option<_>>()?;
    let (h, m, s) = match numbers.as_slice() {
        [h, m, s] => (*h, *m, *s),
        [m, s] => (0, *m, *s),
        _ => return None,
    };
    (m < 60 && s < 60).then(|| format!("{h:02}:{m:02}:{s:02}"))
}

/// A cue's payload split by voice: `<v Rektor>Ja.</v><v Lærar>Nei.</v>` gives two segments.
fn vtt_payload(payload: &str, start: &str) -> Vec<Segment> {
    let mut segments: Vec<Segment> = Vec::new();
    let mut voice: Option<String> = None;
    let mut text = String::new();
    let mut rest = payload;
    let flush = |voice: &Option<String>, text: &mut String, segments: &mut Vec<Segment>| {
        let words = decode_entities(&text.split_whitespace().collect::<Vec<_>>().join(" "));
        text.clear();
        if words.is_empty() {
            return;
        }
        match voice {
            Some(speaker) => segments.push(Segment {
                speaker: Some(speaker.clone()),
                tagged: true,
                start: start.to_string(),
                text: words,
            }),
            None => segments.extend(prefixed(&words, start)),
        }
    };
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            text.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let tag = &rest[open + 1..open + close];
        rest = &rest[open + close + 1..];
        if let Some(annotation) = tag
            .strip_prefix('v')
            .filter(|t| t.starts_with([' ', '.', '\t']))
        {
            flush(&voice, &mut text, &mut segments);
            // `<v.loud Rektor>`: classes come before the first space, the name after it.
            let name = annotation
                .split_once([' ', '\t'])
                .map(|(_, name)| name.trim())
                .unwrap_or("");
            voice = (!name.is_empty()).then(|| decode_entities(name));
        } else if tag == "/v" {
            flush(&voice, &mut text, &mut segments);
            voice = None;
        }
        // Other tags (<c>, <i>, <b>, <lang>, <00:00:01.000>) carry no words.
    }
    text.push_str(rest);
    flush(&voice, &mut text, &mut segments);
    segments
}

/// A segment from a line that may open with `Name:`.
fn prefixed(text: &str, start: &str) -> Option<Segment> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let labelled = text.split_once(':').and_then(|(label, rest)| {
        let label = label.trim().trim_start_matches(['-', '–']).trim();
        (is_speaker_label(label) && !rest.trim().is_empty())
            .then(|| (label.to_string(), rest.trim().to_string()))
    });
    Some(match labelled {
        Some((speaker, words)) => Segment {
            speaker: Some(speaker),
            tagged: false,
            start: start.to_string(),
            text: words,
        },
        None => Segment {
            speaker: None,
            tagged: false,
            start: start.to_string(),
            text: text.to_string(),
        },
    })
}

/// Removes SRT formatting tags (`<i>`, `<font …>`) and ASS overrides (`{\an8}`).
fn strip_tags(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut depth_angle = false;
    let mut depth_brace = false;
    for c in line.chars() {
        match c {
            '<' => depth_angle = true,
            '>' if depth_angle => depth_angle = false,
            '{' => depth_brace = true,
            '}' if depth_brace => depth_brace = false,
            c if !depth_angle && !depth_brace => out.push(c),
            _ => {}
        }
    }
    decode_entities(out.trim())
}

fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", " ")
        .replace("&lrm;", "")
        .replace("&rlm;", "")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Segments become turns: `Name:` prefixes count as speakers when at least two cues carry one (so a lone
/// `Merk: …` is not a speaker), unlabelled cues continue the turn before them, and consecutive cues of one
/// speaker merge.
fn finish(segments: Vec<Segment>, format: &str) -> Result<Extracted, FormatError> {
    if segments.is_empty() {
        return Err(FormatError::Invalid(format!(
            "no {format} cues with text were found; check that the file is a caption file and export it again"
        )));
    }
    let prefixed_cues = segments
        .iter()
        .filter(|s| s.speaker.is_some() && !s.tagged)
        .count();
    let trusted = |s: &Segment| -> Option<String> {
        let speaker = s.speaker.as_ref()?;
        (s.tagged || prefixed_cues >= 2).then(|| speaker.clone())
    };
    let mut blocks: Vec<Block> = Vec::new();
    for segment in &segments {
        let speaker = trusted(segment);
        let text = match (&segment.speaker, &speaker) {
            (Some(label), None) => format!("{label}: {}", segment.text),
            _ => segment.text.clone(),
        };
        match (blocks.last_mut(), &speaker) {
            (Some(last), Some(s)) if last.speaker.as_ref() == Some(s) => {
                last.text.push(' ');
                last.text.push_str(&text);
            }
            (Some(last), None) if last.speaker.is_some() => {
                last.text.push(' ');
                last.text.push_str(&text);
            }
            _ => blocks.push(Block {
                text,
                timestamp: Some(segment.start.clone()),
                speaker,
                standalone: false,
            }),
        }
    }
    // Without any speaker, a timestamp alone cannot make a turn: keep the cues as plain paragraphs.
    if blocks.iter().all(|b| b.speaker.is_none()) {
        for block in &mut blocks {
            block.timestamp = None;
        }
    }
    Ok(Extracted {
        blocks,
        ..Extracted::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turns(extracted: &Extracted) -> Vec<(Option<&str>, Option<&str>, &str)> {
        extracted
            .blocks
            .iter()
            .map(|b| {
                (
                    b.speaker.as_deref(),
                    b.timestamp.as_deref(),
                    b.text.as_str(),
                )
            })
            .collect()
    }

    #[test]
    fn voice_tags_and_merging() {
        let vtt = "WEBVTT\n\nNOTE laga for test\n\n1\n00:00:01.000 --> 00:00:03.000\n<v Intervjuer>Korleis går det?</v>\n\n00:00:03.500 --> 00:00:06.000\n<v.loud Rektor>Vi har for få\nlærarar.\n\n00:00:06.000 --> 00:00:08.000 align:start\n<v Rektor><i>Særleg</i> på småtrinnet &amp; mellomtrinnet.\n\n01:02.000 --> 01:04.000\n<v Intervjuer>Takk.</v> <v Rektor>Bare hyggelig.</v>\n";
        let extracted = read_vtt(vtt).expect("vtt");
        assert_eq!(
            turns(&extracted),
            vec![
                (Some("Intervjuer"), Some("00:00:01"), "Korleis går det?"),
                (
                    Some("Rektor"),
                    Some("00:00:03"),
                    "Vi har for få lærarar. Særleg på småtrinnet & mellomtrinnet."
                ),
                (Some("Intervjuer"), Some("00:01:02"), "Takk."),
                (Some("Rektor"), Some("00:01:02"), "Bare hyggelig."),
            ]
        );
    }

    #[test]
    fn srt_prefixes_make_turns_and_unlabelled_cues_continue_them() {
        let srt = "1\n00:00:02,500 --> 00:00:04,000\n{\\an8}Rektor: Velkomen.\n\n2\n00:00:04,000 --> 00:00:05,000\n<i>Vi startar no.</i>\n\n3\n00:00:05,000 --> 00:00:07,000\nLærar: Takk.\n\n4\n00:00:07,000 --> 00:00:08,000\nRektor: Sjølvsagt.\n";
        let extracted = read_srt(srt).expect("srt");
        assert_eq!(
            turns(&extracted),
            vec![
                (Some("Rektor"), Some("00:00:02"), "Velkomen. Vi startar no."),
                (Some("Lærar"), Some("00:00:05"), "Takk."),
                (Some("Rektor"), Some("00:00:07"), "Sjølvsagt."),
            ]
        );
    }

    #[test]
    fn a_lone_prefix_is_not_a_speaker() {
        let srt = "1\n00:00:01,000 --> 00:00:02,000\nMerk: lydopptak startar.\n\n2\n00:00:02,000 --> 00:00:03,000\nVelkomen alle saman.\n";
        let extracted = read_srt(srt).expect("srt");
        assert_eq!(
            turns(&extracted),
            vec![
                (None, None, "Merk: lydopptak startar."),
                (None, None, "Velkomen alle saman."),
            ]
        );
    }

    #[test]
    fn files_that_are_not_captions_are_refused() {
        assert!(read_vtt("Hei\n").is_err());
        assert!(read_srt("Hei på deg\n\nIngen tider her.\n").is_err());
    }
}
