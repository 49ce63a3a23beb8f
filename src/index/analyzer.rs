//! Text analysis for search: tokenise, lower-case, and stem Norwegian (bokmål, nynorsk) or English words.
//!
//! The Snowball Norwegian stemmer is not idempotent (`ressurs` → `ressur`, but `ressursene` → `ressurs`), so a
//! word family would not find itself. Stemming to a fixed point (stem the stem until it stops changing) puts
//! `ressurs`, `ressursen`, `ressursene`, `ressursar` and `ressursane` on one term.
//!
//! The Norwegian analyzer (bokmål and nynorsk documents alike) first maps nynorsk word forms onto their bokmål
//! counterparts ([`super::norwegian`]), so `skule` and `skolen`, `leiar` and `lederne`, `ikkje` and `ikke` meet.
//! The index holds words unstemmed ([`words_analyzer`]); stems are worked out once per distinct word, in the
//! languages of the documents it came from, into the index's vocabulary (see `SearchIndex::forms`). A query
//! word is stemmed in every language of the project.

use std::borrow::Cow;

use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};

use crate::model::Language;

/// Name of the analyzer of the index's text field: lower-cased words, unstemmed.
pub const WORDS: &str = "marginalia_words";

/// Tokens longer than this (in bytes) are dropped: they are noise (URLs, base64), not words.
const MAX_TOKEN_BYTES: usize = 60;

fn algorithm(language: Language) -> frostem::Algorithm {
    match language {
        Language::Nb | Language::Nn => frostem::Algorithm::Norwegian,
        Language::En => frostem::Algorithm::English,
    }
}

/// A stemmer that applies Snowball until the word stops changing.
#[derive(Clone)]
pub struct WordStemmer {
    stemmer: frostem::Stemmer,
    norwegian: bool,
}

impl std::fmt::Debug for WordStemmer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WordStemmer")
    }
}

impl WordStemmer {
    /// The stemmer for a project language (the Norwegian one serves bokmål and nynorsk).
    pub fn new(language: Language) -> Self {
        Self {
            stemmer: frostem::Stemmer::new(algorithm(language)),
            norwegian: language != Language::En,
        }
    }

    /// The form a lower-cased word is stemmed from: its bokmål counterpart for a Norwegian stemmer, else the
    /// word itself.
    pub fn normalise<'w>(&self, word: &'w str) -> Cow<'w, str> {
        if self.norwegian {
            super::norwegian::to_bokmal(word)
        } else {
            Cow::Borrowed(word)
        }
    }

    /// The fixed-point stem of a lower-cased word (after [`WordStemmer::normalise`]).
    pub fn stem(&self, word: &str) -> String {
        let mut current = self.normalise(word).into_owned();
        // Definite plurals of -er nouns (lærerne, lederne, brukerne) are not in the Snowball suffix list.
        if self.norwegian && current.ends_with("erne") && current.chars().count() >= 7 {
            current.truncate(current.len() - 2);
        }
        for _ in 0..4 {
            let next = match self.stemmer.stem(&current) {
                Cow::Borrowed(s) if s == current => return current,
                other => other.into_owned(),
            };
            if next == current || next.is_empty() {
                return current;
            }
            current = next;
        }
        current
    }
}

/// Splits text into lower-cased words in one pass: what tantivy's `SimpleTokenizer` (runs of alphanumeric
/// characters), `RemoveLongFilter` (words of [`MAX_TOKEN_BYTES`] bytes and more dropped, their positions kept)
/// and `LowerCaser` do as a chain, without copying each word twice and with ASCII classified by byte.
#[derive(Clone, Default)]
pub struct LowerWords {
    token: Token,
}

impl Tokenizer for LowerWords {
    type TokenStream<'a> = LowerWordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> LowerWordStream<'a> {
        self.token.reset();
        LowerWordStream {
            text,
            at: 0,
            token: &mut self.token,
        }
    }
}

/// The words of one text from [`LowerWords`].
pub struct LowerWordStream<'a> {
    text: &'a str,
    at: usize,
    token: &'a mut Token,
}

impl LowerWordStream<'_> {
    /// The character at byte `at` and its length in bytes, when it is part of a word.
    fn word_char(&self, at: usize) -> Option<(char, usize)> {
        let byte = *self.text.as_bytes().get(at)?;
        if byte.is_ascii() {
            return byte
                .is_ascii_alphanumeric()
                .then_some((char::from(byte), 1));
        }
        // Latin-1 letters (æ, ø, å, é, ü…: `C3 80`–`C3 BF`) decoded by hand; × and ÷ are not letters.
        if byte == 0xc3
            && let Some(&next) = self.text.as_bytes().get(at + 1)
            && (0x80..=0xbf).contains(&next)
        {
            let c = char::from(0xc0 | (next & 0x3f));
            return (c != '×' && c != '÷').then_some((c, 2));
        }
        let c = self.text.get(at..)?.chars().next()?;
        c.is_alphanumeric().then_some((c, c.len_utf8()))
    }

    /// Length in bytes of the character at byte `at` (at least 1, so scanning always moves on).
    fn char_len(&self, at: usize) -> usize {
        self.text
            .get(at..)
            .and_then(|rest| rest.chars().next())
            .map_or(1, char::len_utf8)
    }
}

impl TokenStream for LowerWordStream<'_> {
    fn advance(&mut self) -> bool {
        let len = self.text.len();
        loop {
            // Skip to the start of the next word.
            while self.at < len && self.word_char(self.at).is_none() {
                self.at += self.char_len(self.at);
            }
            if self.at >= len {
                return false;
            }
            let start = self.at;
            self.token.text.clear();
            while let Some((c, width)) = self.word_char(self.at) {
                if c.is_ascii() {
                    self.token.text.push(c.to_ascii_lowercase());
                } else if ('À'..='Þ').contains(&c) {
                    // Latin-1 capitals (× excluded above) lower-case 32 code points on.
                    self.token
                        .text
                        .push(char::from_u32(u32::from(c) + 0x20).unwrap_or(c));
                } else {
                    self.token.text.extend(c.to_lowercase());
                }
                self.at += width;
            }
            self.token.position = self.token.position.wrapping_add(1);
            if self.at - start < MAX_TOKEN_BYTES {
                self.token.offset_from = start;
                self.token.offset_to = self.at;
                return true;
            }
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// The analyzer of the index's text field: lower-cased words, unstemmed.
pub fn words_analyzer() -> TextAnalyzer {
    TextAnalyzer::from(LowerWords::default())
}

/// A word of a text with its byte range and lower-cased form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// Where the word starts, in bytes of the text.
    pub byte_start: usize,
    /// Where the word ends, in bytes of the text (exclusive).
    pub byte_end: usize,
    /// The word in lower case, as the index's text field holds it.
    pub lower: String,
}

/// Splits text into words the way the index does.
pub fn words(text: &str) -> Vec<Word> {
    let mut analyzer = words_analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push(Word {
            byte_start: token.offset_from,
            byte_end: token.offset_to,
            lower: token.text.clone(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stems of a text's words in `language`.
    fn stems(language: Language, text: &str) -> Vec<String> {
        let stemmer = WordStemmer::new(language);
        words(text)
            .iter()
            .map(|word| stemmer.stem(&word.lower))
            .collect()
    }

    fn family(language: Language, words: &[&str]) {
        let stemmer = WordStemmer::new(language);
        let first = stemmer.stem(words[0]);
        for word in words {
            assert_eq!(
                stemmer.stem(word),
                first,
                "{word} should stem like {} in {language:?}",
                words[0]
            );
        }
    }

    #[test]
    fn bokmal_word_families_meet() {
        family(
            Language::Nb,
            &["ressurs", "ressursen", "ressurser", "ressursene"],
        );
        family(Language::Nb, &["skole", "skolen", "skoler", "skolene"]);
        family(Language::Nb, &["møte", "møtet", "møter", "møtene"]);
        family(Language::Nb, &["lærer", "læreren", "lærere", "lærerne"]);
        family(Language::Nb, &["leder", "lederen", "ledere", "lederne"]);
        family(
            Language::Nb,
            &["kommune", "kommunen", "kommuner", "kommunene"],
        );
        family(Language::Nb, &["samarbeid", "samarbeidet"]);
    }

    #[test]
    fn nynorsk_word_families_meet() {
        family(
            Language::Nn,
            &["ressurs", "ressursar", "ressursane", "ressursen"],
        );
        family(Language::Nn, &["skule", "skulen", "skular", "skulane"]);
        family(Language::Nn, &["møte", "møta", "møtet"]);
        family(Language::Nn, &["lærar", "læraren", "lærarar", "lærarane"]);
        family(Language::Nn, &["kommune", "kommunar", "kommunane"]);
    }

    #[test]
    fn bokmal_and_nynorsk_forms_meet_in_one_project() {
        family(Language::Nb, &["ressursene", "ressursar", "ressursane"]);
    }

    /// The families of issue 14: one search finds both written standards, in documents of either.
    #[test]
    fn bokmal_and_nynorsk_counterparts_meet() {
        for language in [Language::Nb, Language::Nn] {
            family(
                language,
                &[
                    "skole", "skolen", "skoler", "skolene", "skule", "skulen", "skular", "skulane",
                ],
            );
            family(
                language,
                &[
                    "leder", "lederen", "ledere", "lederne", "leiar", "leiaren", "leiarar",
                    "leiarane",
                ],
            );
            family(
                language,
                &[
                    "lærer",
                    "læreren",
                    "lærere",
                    "lærerne",
                    "lærar",
                    "læraren",
                    "lærarar",
                    "lærarane",
                ],
            );
            family(language, &["møte", "møtet", "møter", "møtene", "møta"]);
            family(
                language,
                &[
                    "ressurs",
                    "ressursen",
                    "ressurser",
                    "ressursene",
                    "ressursar",
                    "ressursane",
                ],
            );
            family(language, &["ikke", "ikkje"]);
            family(language, &["hva", "kva"]);
            family(language, &["hvordan", "korleis"]);
            family(
                language,
                &["vanskelig", "vanskeleg", "vanskelige", "vanskelege"],
            );
            family(
                language,
                &["mulighet", "muligheter", "moglegheit", "moglegheiter"],
            );
            family(
                language,
                &["trygghet", "tryggheten", "tryggheit", "tryggheita"],
            );
            family(
                language,
                &[
                    "ungdomsskole",
                    "ungdomsskolen",
                    "ungdomsskule",
                    "ungdomsskulen",
                ],
            );
            family(language, &["uke", "veke", "veka"]);
        }
    }

    #[test]
    fn distinct_words_stay_apart() {
        let stemmer = WordStemmer::new(Language::Nb);
        assert_ne!(stemmer.stem("skole"), stemmer.stem("skulle"));
        assert_ne!(stemmer.stem("leder"), stemmer.stem("lei"));
        assert_eq!(stemmer.stem("fastlege"), stemmer.stem("fastlegen"));
    }

    #[test]
    fn bokmal_and_nynorsk_share_one_analysis() {
        // A nynorsk text stems alike through the bokmål and the nynorsk stemmer.
        let text = "Leiarane på skulen seier at ressursane ikkje strekk til.";
        assert_eq!(stems(Language::Nb, text), stems(Language::Nn, text));
    }

    #[test]
    fn english_families_meet() {
        family(Language::En, &["resource", "resources"]);
        family(Language::En, &["meeting", "meetings"]);
    }

    #[test]
    fn norwegian_letters_survive_tokenising() {
        let words = words("Æsj, økonomien på Bjørkeli skole – særlig i år!");
        let lower: Vec<&str> = words.iter().map(|w| w.lower.as_str()).collect();
        assert_eq!(
            lower,
            [
                "æsj",
                "økonomien",
                "på",
                "bjørkeli",
                "skole",
                "særlig",
                "i",
                "år"
            ]
        );
        assert_eq!(
            &"Æsj, økonomien"[words[1].byte_start..words[1].byte_end],
            "økonomien"
        );
    }

    /// The one-pass word splitter gives exactly the tokens of tantivy's chain (positions, offsets, text),
    /// on Norwegian and English text with punctuation, digits, over-long tokens and characters whose lower
    /// case is longer than themselves.
    #[test]
    fn lower_words_match_tantivys_simple_tokenizer_chain() {
        use tantivy::tokenizer::{LowerCaser, RemoveLongFilter, SimpleTokenizer};
        let long = "x".repeat(MAX_TOKEN_BYTES);
        let just_short = "y".repeat(MAX_TOKEN_BYTES - 1);
        let texts = [
            "Intervjuar (00:00:05): Kan du seie litt om korleis samarbeidet med PPT fungerer?"
                .to_string(),
            "ÆSJ, Økonomien på Bjørkeli skole – særlig i år! «Ressursteamet» møttes kl. 14.30."
                .to_string(),
            format!("før {long} etter {just_short} slutt"),
            "İstanbul ΣΟΦΊΑ straße 3½ e-post: ola@skole.no http://x.no/a_b".to_string(),
            "".to_string(),
            "  ,, ".to_string(),
            "Principal: We've asked the municipality for more RESOURCES.".to_string(),
        ];
        let mut chain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
            .filter(LowerCaser)
            .build();
        let mut ours = words_analyzer();
        for text in &texts {
            let collect = |analyzer: &mut TextAnalyzer| {
                let mut stream = analyzer.token_stream(text);
                let mut out = Vec::new();
                while let Some(t) = stream.next() {
                    out.push((t.position, t.offset_from, t.offset_to, t.text.clone()));
                }
                out
            };
            assert_eq!(collect(&mut ours), collect(&mut chain), "{text}");
        }
    }
}
