//! Speaker turns on real transcript layouts: a table of fixtures in `tests/fixtures/turns/` (bokmål, nynorsk,
//! English), each with the turns and speakers a researcher expects, read through the plain-text import and,
//! for a few, through Word, OpenDocument, RTF and PDF-shaped paragraphs too.

use std::path::Path;

use marginalia::import::structure;
use marginalia::offsets::{CharRange, slice};

struct Layout {
    file: &'static str,
    turns: usize,
    /// Distinct speakers in order of first turn.
    speakers: &'static [&'static str],
    /// The spoken words of the first turn start with this.
    first_words: &'static str,
}

const LAYOUTS: &[Layout] = &[
    Layout {
        file: "01_header_one_per_line_nb.txt",
        turns: 6,
        speakers: &["Intervjuer", "Rektor"],
        first_words: "Kan du fortelle",
    },
    Layout {
        file: "02_blank_lines_lowercase_en.txt",
        turns: 6,
        speakers: &["interviewer", "interviewee"],
        first_words: "Thanks for taking",
    },
    Layout {
        file: "03_header_interviewer1_en.txt",
        turns: 6,
        speakers: &["Interviewer1", "Participant", "Interviewer2"],
        first_words: "Okay, we're recording",
    },
    Layout {
        file: "04_french_colon_variants_en.txt",
        turns: 8,
        speakers: &["Interviewer1", "Respondent", "Interviewer2"],
        first_words: "Let's start",
    },
    Layout {
        file: "05_name_timestamp_after_nn.txt",
        turns: 6,
        speakers: &["Intervjuar", "Lærar"],
        first_words: "Kan du seie",
    },
    Layout {
        file: "06_timestamp_before_en.txt",
        turns: 6,
        speakers: &["Moderator", "Teacher A", "Teacher B"],
        first_words: "Welcome, everyone",
    },
    Layout {
        file: "07_capitals_nb.txt",
        turns: 6,
        speakers: &["INTERVJUER", "LÆRER"],
        first_words: "Hvordan vil du",
    },
    Layout {
        file: "08_abbreviations_nn.txt",
        turns: 6,
        speakers: &["I", "R"],
        first_words: "Kor lenge",
    },
    Layout {
        file: "09_focus_group_ip_nb.txt",
        turns: 6,
        speakers: &["I", "IP1", "IP2"],
        first_words: "Velkommen",
    },
    Layout {
        file: "10_short_twice_nn.txt",
        turns: 4,
        speakers: &["Lærar", "Elev"],
        first_words: "Eg meiner",
    },
    Layout {
        file: "11_continuation_lines_nb.txt",
        turns: 5,
        speakers: &["Intervjuer", "Rektor"],
        first_words: "Kan du beskrive",
    },
    Layout {
        file: "12_header_fields_not_speakers_nb.txt",
        turns: 4,
        speakers: &["Lærer 1", "Helsesykepleier"],
        first_words: "Vi har tre nye saker",
    },
    Layout {
        file: "13_prose_no_turns_nb.txt",
        turns: 0,
        speakers: &[],
        first_words: "",
    },
    Layout {
        file: "14_bracketed_labels_nn.txt",
        turns: 4,
        speakers: &["Intervjuar", "Rektor"],
        first_words: "Korleis kom de",
    },
    Layout {
        file: "15_timestamp_dash_en.txt",
        turns: 4,
        speakers: &["Interviewer", "Parent"],
        first_words: "Could you tell me",
    },
];

fn fixture(file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/turns")
        .join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn distinct_speakers(turns: &[marginalia::model::Turn]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in turns {
        if !out.contains(&t.speaker) {
            out.push(t.speaker.clone());
        }
    }
    out
}

#[test]
fn every_layout_gets_its_turns_and_speakers() {
    assert!(LAYOUTS.len() >= 12);
    for layout in LAYOUTS {
        let text = fixture(layout.file);
        let entry = marginalia::import::read_bytes(Path::new(layout.file), text.as_bytes(), None)
            .unwrap_or_else(|e| panic!("{}: {e}", layout.file));
        let doc = &entry.document;
        let text = &entry.text;
        assert_eq!(
            doc.turns.len(),
            layout.turns,
            "{}: turns {:?}",
            layout.file,
            doc.turns.iter().map(|t| &t.speaker).collect::<Vec<_>>()
        );
        assert_eq!(
            distinct_speakers(&doc.turns),
            layout.speakers,
            "{}",
            layout.file
        );
        if let Some(first) = doc.turns.first() {
            let words =
                slice(text, CharRange::new(first.content_start, first.range.end)).unwrap_or("");
            assert!(
                words.starts_with(layout.first_words),
                "{}: first turn's words are {words:?}",
                layout.file
            );
        }
        // Every turn starts a paragraph, and no paragraph runs across two turns.
        for turn in &doc.turns {
            assert!(
                doc.paragraphs.iter().any(|p| p.start == turn.range.start),
                "{}: turn of {} at {} opens no paragraph",
                layout.file,
                turn.speaker,
                turn.range.start
            );
        }
        for p in &doc.paragraphs {
            let inside = doc
                .turns
                .iter()
                .filter(|t| t.range.start > p.start && t.range.start < p.end)
                .count();
            assert_eq!(
                inside, 0,
                "{}: paragraph {p:?} holds a turn start",
                layout.file
            );
        }
        // Interviews are recognised as such.
        if layout.turns > 0 {
            assert_eq!(
                doc.kind,
                marginalia::model::DocumentKind::Interview,
                "{}",
                layout.file
            );
        }
    }
}

#[test]
fn a_header_stays_outside_the_turns() {
    let text = fixture("01_header_one_per_line_nb.txt");
    let found = structure::structure(&text);
    let header = found.paragraphs[0];
    assert_eq!(
        slice(&text, header).map(|h| h.lines().next()),
        Some(Some("Intervju med rektor, Nordvik skole"))
    );
    assert!(found.turns[0].range.start > header.end);
    // The header's `Dato:` and `Sted:` are not speakers.
    assert!(
        found
            .turns
            .iter()
            .all(|t| t.speaker != "Dato" && t.speaker != "Sted")
    );
}

#[test]
fn continuation_lines_and_paragraphs_stay_in_the_turn() {
    let text = fixture("11_continuation_lines_nb.txt");
    let found = structure::structure(&text);
    let second = &found.turns[1];
    let words = slice(&text, second.range).unwrap_or("");
    assert!(words.starts_with("Rektor: Vi starter"), "{words}");
    assert!(words.ends_with("noen ganger mer."), "{words}");
    // `Merk:` inside a turn is part of what the speaker says, not a new speaker.
    let fourth = slice(&text, found.turns[3].range).unwrap_or("");
    assert!(fourth.ends_with("elevnavnene i referatet."), "{fourth}");
}

#[test]
fn label_variants_become_one_speaker() {
    let text = fixture("04_french_colon_variants_en.txt");
    let found = structure::structure(&text);
    let first_interviewer: Vec<usize> = found
        .turns
        .iter()
        .enumerate()
        .filter(|(_, t)| t.speaker == "Interviewer1")
        .map(|(i, _)| i)
        .collect();
    assert_eq!(first_interviewer, [0, 2, 4]);
    assert_eq!(
        structure::speaker_key("Interviewer 1"),
        structure::speaker_key("Interviewer1")
    );
}

#[test]
fn timestamps_are_kept() {
    let text = fixture("05_name_timestamp_after_nn.txt");
    let found = structure::structure(&text);
    assert_eq!(found.turns[2].timestamp.as_deref(), Some("00:01:02"));
    let text = fixture("06_timestamp_before_en.txt");
    let found = structure::structure(&text);
    assert_eq!(found.turns[1].timestamp.as_deref(), Some("00:00:11"));
    assert_eq!(found.turns[1].speaker, "Teacher A");
}

/// Word, OpenDocument, RTF and PDF sources share the structure step: one paragraph holding labelled lines
/// (soft line breaks, a PDF page) is split into turns like a plain-text file.
#[test]
fn formatted_sources_share_the_structure_step() {
    use marginalia::import::formats::{Block, Extracted, TurnSource, to_entry};
    let text = fixture("01_header_one_per_line_nb.txt");
    let (header, body) = text.split_once("\n\n").unwrap_or_default();
    let block = |t: &str| Block {
        text: t.to_string(),
        speaker: None,
        timestamp: None,
        standalone: false,
    };
    let extracted = Extracted {
        blocks: vec![block(header), block(body)],
        page_starts: vec![0],
        turns: TurnSource::StructureOrText,
    };
    let entry = to_entry("intervju_rektor", "intervju_rektor.docx", extracted, None)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(entry.document.turns.len(), 6);
    assert_eq!(entry.document.paragraphs.len(), 7);
    assert_eq!(entry.document.pages.len(), 1);
}
