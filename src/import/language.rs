//! The language of an imported text (bokmål, nynorsk or English), detected with `lingua`, the maintained
//! detector that tells the two Norwegian written standards apart.
//!
//! Only the three language models Marginalia stems for are built in. Detection reads a few samples spread over
//! the text (the start of a transcript is often a header in another language than the talk). For texts of 120
//! characters and more lingua compares trigrams only, so only the trigram models are ever loaded; a text with
//! fewer than [`MIN_LETTERS`] letters is not guessed at. Lingua's low-accuracy mode is not used: it first looks
//! for n-grams unique to one language, and a few Norwegian loanwords in an English text (`helsesykepleier`,
//! `ressursteam`) were then enough to call the whole text bokmål.

use std::sync::LazyLock;

use lingua::{LanguageDetector, LanguageDetectorBuilder};

use crate::model::Language;

/// Texts with fewer letters than this get no language (the project's applies).
pub const MIN_LETTERS: usize = 100;
/// Characters read from each sample of a text: three samples of 400 characters tell the sample study's 46
/// documents apart without a miss, and keep detection to about a millisecond a document whatever its size.
const SAMPLE_CHARS: usize = 400;
/// How many samples are read, spread over the text.
const SAMPLES: usize = 3;
/// Characters of each of the two quick probes (middle and end of a long text) read first: when lingua gives
/// both the same language, that is the answer; when they differ (a header, a quoted passage, a borderline
/// bokmål/nynorsk text), the full three samples decide. Most long texts are settled at a third of the cost.
const PROBE_CHARS: usize = 200;

static DETECTOR: LazyLock<LanguageDetector> = LazyLock::new(|| {
    LanguageDetectorBuilder::from_languages(&[
        lingua::Language::Bokmal,
        lingua::Language::Nynorsk,
        lingua::Language::English,
    ])
    .build()
});

/// The language of a text, or `None` when it is too short (or has too few letters) to tell.
pub fn detect(text: &str) -> Option<Language> {
    let limit = SAMPLE_CHARS * SAMPLES;
    if text.len() > limit * 2 {
        // Long texts: two cheap probes first, the full samples only when they disagree.
        let middle = probe(text, text.len() / 2);
        if middle.is_some() && middle == probe(text, text.len() - text.len() / 5) {
            return middle;
        }
    }
    let sample = sample(text);
    if sample.chars().filter(|c| c.is_alphabetic()).count() < MIN_LETTERS {
        return None;
    }
    lingua_language(&sample)
}

/// The language of the [`PROBE_CHARS`] characters from byte `at`; `None` when they hold too few letters.
fn probe(text: &str, at: usize) -> Option<Language> {
    let piece = piece(text, at, PROBE_CHARS);
    if piece.chars().filter(|c| c.is_alphabetic()).count() < MIN_LETTERS {
        return None;
    }
    lingua_language(piece)
}

/// What lingua makes of a stretch of text.
fn lingua_language(text: &str) -> Option<Language> {
    DETECTOR.detect_language_of(text).map(|l| match l {
        lingua::Language::Nynorsk => Language::Nn,
        lingua::Language::English => Language::En,
        _ => Language::Nb,
    })
}

/// Up to `chars` characters of a text from the first whitespace at or after byte `at` (from the start when
/// `at` is 0), cut back at the last whitespace.
fn piece(text: &str, at: usize, chars: usize) -> &str {
    let mut start = at.min(text.len());
    while !text.is_char_boundary(start) {
        start += 1;
    }
    let rest = &text[start..];
    // Start after the first whitespace, so the piece does not open with half a word.
    let rest = match rest.find(char::is_whitespace) {
        Some(skip) if start > 0 => &rest[skip..],
        _ => rest,
    };
    let end = rest
        .char_indices()
        .nth(chars)
        .map_or(rest.len(), |(i, _)| i);
    let piece = &rest[..end];
    match piece.rfind(char::is_whitespace) {
        Some(cut) => &piece[..cut],
        None => piece,
    }
}

/// Up to [`SAMPLES`] stretches of [`SAMPLE_CHARS`] characters from the start, middle and end of a text,
/// cut at whitespace, joined by newlines; the whole text when it is short.
fn sample(text: &str) -> String {
    let limit = SAMPLE_CHARS * SAMPLES;
    if text.len() <= limit * 2 {
        // Short enough (in bytes, so also in characters) to read whole; long texts are sampled.
        return text.chars().take(limit * 2).collect();
    }
    let mut out = String::with_capacity(limit * 2 + SAMPLES);
    for i in 0..SAMPLES {
        let piece = piece(text, text.len() / SAMPLES * i, SAMPLE_CHARS);
        out.push_str(piece);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bokmal_nynorsk_and_english_are_told_apart() {
        let nb = "Rektor: Vi fikk et brev fra kommunen høsten 2019, og da måtte vi finne ut av det selv. \
                  Hva synes du om ressursene dere har fått? Det er altfor lite, og vi har ikke fått noe svar ennå.";
        let nn = "Rektor: Vi fekk eit brev frå kommunen hausten 2019, og då måtte vi finne ut av det sjølv. \
                  Kva synest du om ressursane de har fått? Det er altfor lite, og vi har ikkje fått noko svar enno.";
        let en = "Principal: We got a letter from the municipality in the autumn of 2019, and then we had to \
                  work it out ourselves. What do you think of the resources you have been given?";
        assert_eq!(detect(nb), Some(Language::Nb));
        assert_eq!(detect(nn), Some(Language::Nn));
        assert_eq!(detect(en), Some(Language::En));
    }

    #[test]
    fn short_texts_get_no_language() {
        assert_eq!(detect("Ja."), None);
        assert_eq!(detect("12.03.2022 – 14:00"), None);
    }

    #[test]
    fn long_texts_are_settled_by_the_probes_or_by_the_full_samples() {
        let header =
            "Transcript of interview 7, recorded in the staff room after the second visit; \
                      names are changed and the recording is kept by the project leader. "
                .repeat(6);
        let nn = "Rektor: Vi fekk eit brev frå kommunen hausten 2019, og då måtte vi finne ut av det sjølv. \
                  Kva synest du om ressursane de har fått? Det er altfor lite, og vi har ikkje fått noko svar enno. ";
        let nb = "Rektor: Vi fikk et brev fra kommunen høsten 2019, og da måtte vi finne ut av det selv. \
                  Hva synes du om ressursene dere har fått? Det er altfor lite, og vi har ikke fått noe svar ennå. ";
        assert_eq!(
            detect(&format!("{header}{}", nn.repeat(40))),
            Some(Language::Nn)
        );
        assert_eq!(
            detect(&format!("{header}{}", nb.repeat(40))),
            Some(Language::Nb)
        );
        // Bokmål in the middle, nynorsk at the end: the probes disagree and the three samples decide.
        let mixed = format!("{}{}{}", nb.repeat(20), nb.repeat(20), nn.repeat(12));
        assert!(probe(&mixed, mixed.len() / 2) != probe(&mixed, mixed.len() - mixed.len() / 5));
        assert_eq!(detect(&mixed), Some(Language::Nb));
    }

    #[test]
    fn long_texts_are_sampled_on_character_boundaries() {
        let text = "Økonomien på skulen er ikkje god, og det merkar elevane kvar einaste dag. "
            .repeat(400);
        let sampled = sample(&text);
        assert!(sampled.len() < text.len());
        assert_eq!(detect(&text), Some(Language::Nn));
    }
}
