//! The language of an imported text (bokmål, nynorsk or English), detected with `lingua`, the maintained
//! detector that tells the two Norwegian written standards apart.
//!
//! Only the three language models Marginalia stems for are built in. Detection reads a few samples spread over
//! the text (the start of a transcript is often a header in another language than the talk). For texts of 120
//! characters and more lingua compares trigrams only, so only the trigram models are ever loaded; a text with
//! fewer than [`MIN_LETTERS`] letters is not guessed at. Lingua's low-accuracy mode is not used: it first looks
//! for n-grams unique to one language, and a few Norwegian loanwords in an English text (`helsesykepleier`,
//! `ressursteam`) were then enough to call the whole text bokmål.
//!
//! Before lingua, a long text gets a cheap first pass (`function_word_counts`, `verdict`): words that belong
//! to one of the three languages only (bokmål `ikke`, `hva`, `fra`; nynorsk `ikkje`, `kva`, `frå`; English
//! `the`, `which`) are counted in three stretches of the text. When one language clearly wins (at least
//! [`DECISIVE_HITS`] of its words and [`DECISIVE_MARGIN`] times the runner-up's), that is the answer; when the
//! Norwegian words together clearly outnumber the English ones, lingua only weighs bokmål against nynorsk;
//! otherwise (too few function words, English and Norwegian alike) lingua decides among all three as before.
//! The pass costs a few microseconds where lingua costs a fraction of a millisecond.

use std::sync::LazyLock;

use lingua::{LanguageDetector, LanguageDetectorBuilder};
use rustc_hash::FxHashMap;

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
/// Characters of each of the three stretches the function-word pass reads.
const FUNCTION_WORD_CHARS: usize = 1_500;
/// Function words of the winning language the pass needs before it decides.
const DECISIVE_HITS: usize = 12;
/// How many times the runner-up's count the winner's must be for the pass to decide.
const DECISIVE_MARGIN: usize = 3;

/// Frequent words written in one of the three languages only. Left out: forms shared by the two written
/// standards (`og`, `det`, `når`) and words that are also common in another of the languages (`to`, `for`,
/// `be`, `and`, `is` and `me` are Norwegian words too; `no` is English, `nå` a nynorsk verb).
const FUNCTION_WORDS: [(Language, &[&str]); 3] = [
    (
        Language::Nb,
        &[
            "ikke", "jeg", "hva", "hvordan", "hvorfor", "hvem", "fra", "bare", "noe", "noen",
            "også", "være", "vært", "mye", "hele", "hun", "dere", "selv", "mer", "flere", "hvis",
            "disse", "kommer", "gjør", "sier", "ble", "uten",
        ],
    ),
    (
        Language::Nn,
        &[
            "ikkje", "eg", "kva", "korleis", "kvifor", "kven", "frå", "berre", "noko", "nokon",
            "òg", "vere", "vore", "mykje", "heile", "ho", "dykk", "ein", "eit", "meir", "fleire",
            "sjølv", "desse", "kjem", "gjer", "seier", "vart", "utan", "dei",
        ],
    ),
    (
        Language::En,
        &[
            "the", "of", "that", "with", "this", "you", "was", "are", "which", "what", "would",
            "there", "they", "were", "been", "from",
        ],
    ),
];

/// Lingua for a text whose function words say it is Norwegian: bokmål or nynorsk.
static NORWEGIAN: LazyLock<LanguageDetector> = LazyLock::new(|| {
    LanguageDetectorBuilder::from_languages(&[lingua::Language::Bokmal, lingua::Language::Nynorsk])
        .build()
});

static FUNCTION_WORD_TABLE: LazyLock<FxHashMap<&'static str, Language>> = LazyLock::new(|| {
    FUNCTION_WORDS
        .iter()
        .flat_map(|(language, words)| words.iter().map(move |w| (*w, *language)))
        .collect()
});

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
    let mut detector: &LanguageDetector = &DETECTOR;
    if text.len() > limit * 2 {
        match verdict(function_word_counts(text)) {
            Verdict::Decided(language) => return Some(language),
            // Clearly Norwegian, not clearly which standard: lingua only weighs bokmål against nynorsk (a
            // third less work than all three).
            Verdict::Norwegian => detector = &NORWEGIAN,
            Verdict::Open => {}
        }
        // Long texts: two cheap probes first, the full samples only when they disagree.
        let middle = probe(detector, text, text.len() / 2);
        if middle.is_some() && middle == probe(detector, text, text.len() - text.len() / 5) {
            return middle;
        }
    }
    let sample = sample(text);
    if sample.chars().filter(|c| c.is_alphabetic()).count() < MIN_LETTERS {
        return None;
    }
    lingua_with(detector, &sample)
}

/// What the function words of a text say.
#[derive(Debug, PartialEq)]
enum Verdict {
    /// One language clearly wins.
    Decided(Language),
    /// Norwegian words clearly outnumber English ones, but neither written standard clearly wins.
    Norwegian,
    /// No clear answer.
    Open,
}

/// Function words of each language (by [`slot`]) in three stretches of a text (start, a third and two thirds in).
fn function_word_counts(text: &str) -> [usize; 3] {
    let mut counts = [0usize; 3];
    let mut lower = String::new();
    for i in 0..SAMPLES {
        let stretch = piece(text, text.len() / SAMPLES * i, FUNCTION_WORD_CHARS);
        for word in stretch.split(|c: char| !c.is_alphanumeric()) {
            // Every function word has at most seven letters.
            if word.is_empty() || word.len() > 14 {
                continue;
            }
            // Lower-cased char by char (an iterator of iterators per word was a visible share of import CPU).
            lower.clear();
            for c in word.chars() {
                if c.is_ascii() {
                    lower.push(c.to_ascii_lowercase());
                } else {
                    lower.extend(c.to_lowercase());
                }
            }
            if let Some(language) = FUNCTION_WORD_TABLE.get(lower.as_str()) {
                counts[slot(*language)] += 1;
            }
        }
    }
    counts
}

/// Whether `a` words clearly outnumber `b` words: at least [`DECISIVE_HITS`] and [`DECISIVE_MARGIN`] times.
fn clearly(a: usize, b: usize) -> bool {
    a >= DECISIVE_HITS && a >= DECISIVE_MARGIN * b.max(1)
}

fn verdict(counts: [usize; 3]) -> Verdict {
    let [nb, nn, en] = counts;
    if clearly(nb, nn.max(en)) {
        Verdict::Decided(Language::Nb)
    } else if clearly(nn, nb.max(en)) {
        Verdict::Decided(Language::Nn)
    } else if clearly(en, nb.max(nn)) {
        Verdict::Decided(Language::En)
    } else if clearly(nb + nn, en) {
        Verdict::Norwegian
    } else {
        Verdict::Open
    }
}

/// The language whose function words clearly dominate three stretches of a text (start, middle, end), or
/// `None` when none does.
#[cfg(test)]
fn by_function_words(text: &str) -> Option<Language> {
    match verdict(function_word_counts(text)) {
        Verdict::Decided(language) => Some(language),
        Verdict::Norwegian | Verdict::Open => None,
    }
}

fn slot(language: Language) -> usize {
    match language {
        Language::Nb => 0,
        Language::Nn => 1,
        Language::En => 2,
    }
}

/// The language of the [`PROBE_CHARS`] characters from byte `at`; `None` when they hold too few letters.
fn probe(detector: &LanguageDetector, text: &str, at: usize) -> Option<Language> {
    let piece = piece(text, at, PROBE_CHARS);
    if piece.chars().filter(|c| c.is_alphabetic()).count() < MIN_LETTERS {
        return None;
    }
    lingua_with(detector, piece)
}

/// What lingua makes of a stretch of text, choosing among all three languages.
#[cfg(test)]
fn lingua_language(text: &str) -> Option<Language> {
    lingua_with(&DETECTOR, text)
}

/// What `detector` makes of a stretch of text.
fn lingua_with(detector: &LanguageDetector, text: &str) -> Option<Language> {
    detector.detect_language_of(text).map(|l| match l {
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
        assert!(
            probe(&DETECTOR, &mixed, mixed.len() / 2)
                != probe(&DETECTOR, &mixed, mixed.len() - mixed.len() / 5)
        );
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

    #[test]
    fn function_words_settle_clear_texts_and_leave_mixed_ones_to_lingua() {
        let nb =
            "Vi fikk et brev fra kommunen, og jeg vet ikke hva vi skal gjøre med det. Hun sier at \
                  dere må være med på hele prosessen, men det blir bare mer arbeid for lærerne. "
                .repeat(30);
        let nn = "Vi fekk eit brev frå kommunen, og eg veit ikkje kva vi skal gjere med det. Ho seier at \
                  de må vere med på heile prosessen, men det blir berre meir arbeid for lærarane. "
            .repeat(30);
        let en =
            "We got a letter from the municipality, and they said that the teachers would have \
                  to deal with it. What was there to say? The schools were waiting for an answer. "
                .repeat(30);
        assert_eq!(by_function_words(&nb), Some(Language::Nb));
        assert_eq!(by_function_words(&nn), Some(Language::Nn));
        assert_eq!(by_function_words(&en), Some(Language::En));
        // The pass agrees with lingua on what it decides.
        for text in [&nb, &nn, &en] {
            let sample = sample(text);
            assert_eq!(by_function_words(text), lingua_language(&sample));
        }
        // Bokmål and nynorsk in equal parts: no clear winner, lingua decides.
        let half = format!("{}{}", &nb[..nb.len() / 2], &nn[..nn.len() / 2]);
        assert_eq!(by_function_words(&half), None);
        // ... but clearly Norwegian, so lingua only weighs bokmål against nynorsk.
        assert_eq!(verdict(function_word_counts(&half)), Verdict::Norwegian);
        assert_eq!(
            lingua_with(&NORWEGIAN, &sample(&half)),
            lingua_language(&sample(&half))
        );
        assert!(detect(&half).is_some());
        // A long text with hardly any function words (a list of names and numbers) is not guessed by the pass.
        let list = "Bjørkeli skole 2019 Furulund skole 2020 Bakkebø skule 2021 ".repeat(60);
        assert_eq!(by_function_words(&list), None);
    }
}
