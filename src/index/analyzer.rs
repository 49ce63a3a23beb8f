//! Text analysis for search: tokenise, lower-case, and stem Norwegian (bokmål, nynorsk) or English words.
//!
//! The Snowball Norwegian stemmer is not idempotent (`ressurs` → `ressur`, but `ressursene` → `ressurs`), so a
//! word family would not find itself. Stemming to a fixed point (stem the stem until it stops changing) puts
//! `ressurs`, `ressursen`, `ressursene`, `ressursar` and `ressursane` on one term.
//!
//! The Norwegian analyzer (bokmål and nynorsk documents alike) first maps nynorsk word forms onto their bokmål
//! counterparts ([`super::norwegian`]), so `skule` and `skolen`, `leiar` and `lederne`, `ikkje` and `ikke` meet.
//! Each document is analysed in its own language ([`pre_tokenized`]); a query is analysed in every language
//! of the project.

use std::borrow::Cow;

use tantivy::tokenizer::{
    PreTokenizedString, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};

use crate::model::Language;

/// Name of the stemmed analyzer registered with the index.
pub const STEMMED: &str = "marginalia_stemmed";
/// Name of the lower-cased, unstemmed analyzer (prefix, fuzzy and exact matching).
pub const RAW: &str = "marginalia_raw";

/// Tokens longer than this (in bytes) are dropped: they are noise (URLs, base64), not words.
const MAX_TOKEN_BYTES: usize = 60;

/// Whether two languages' texts are analysed alike (bokmål and nynorsk share the Norwegian analyzer, which folds
/// nynorsk forms onto bokmål before stemming): a document in a language analysed like the index's own goes
/// through the field's analyzer instead of being pre-tokenized.
pub fn analysed_alike(a: Language, b: Language) -> bool {
    (a == Language::En) == (b == Language::En)
}

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

/// Token filter form of [`WordStemmer`].
#[derive(Clone)]
pub struct FixpointStemmer {
    language: Language,
}

impl TokenFilter for FixpointStemmer {
    type Tokenizer<T: Tokenizer> = FixpointStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> Self::Tokenizer<T> {
        FixpointStemmerFilter {
            stemmer: WordStemmer::new(self.language),
            inner: tokenizer,
            cache: Default::default(),
        }
    }
}

/// The tokenizer [`FixpointStemmer`] wraps around another: it stems each token, remembering stems it has seen.
#[derive(Clone)]
pub struct FixpointStemmerFilter<T> {
    stemmer: WordStemmer,
    inner: T,
    cache: StemCache,
}

/// Stems by word. Hashed with FxHash (SipHash over each token was a visible share of indexing CPU), and words
/// and stems of up to [`Short::CAPACITY`] bytes (nearly all) are kept inline in the table: comparing a key that
/// lives on the heap cost a cache miss per token.
#[derive(Clone, Default)]
struct StemCache {
    short: rustc_hash::FxHashMap<Short, Short>,
    long: rustc_hash::FxHashMap<String, String>,
}

impl StemCache {
    fn len(&self) -> usize {
        self.short.len() + self.long.len()
    }

    fn clear(&mut self) {
        self.short.clear();
        self.long.clear();
    }

    /// Replaces `word` by its stem, from the cache or from `stemmer` (then remembered).
    fn stem_in_place(&mut self, stemmer: &WordStemmer, word: &mut String) {
        match Short::new(word) {
            Some(key) => {
                if let Some(stem) = self.short.get(&key) {
                    // Many frequent words (`og`, `det`, `som`) are their own stem: nothing to copy.
                    if *stem != key {
                        word.clear();
                        stem.push_to(word);
                    }
                    return;
                }
                let stem = stemmer.stem(word);
                if let Some(short) = Short::new(&stem) {
                    self.short.insert(key, short);
                } else {
                    self.long.insert(word.clone(), stem.clone());
                }
                *word = stem;
            }
            None => {
                if let Some(stem) = self.long.get(word.as_str()) {
                    word.clone_from(stem);
                    return;
                }
                let stem = stemmer.stem(word);
                self.long.insert(std::mem::take(word), stem.clone());
                *word = stem;
            }
        }
    }
}

/// A word of up to [`Short::CAPACITY`] bytes, stored inline as three machine words (the bytes, zero-padded,
/// then the length in the last byte): hashing and comparing a key is then three word operations, not a byte
/// loop and a `memcmp` call (both were visible in indexing profiles).
#[derive(Clone, Copy, PartialEq, Eq)]
struct Short([u64; 3]);

impl std::hash::Hash for Short {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u64(self.0[0]);
        state.write_u64(self.0[1]);
        state.write_u64(self.0[2]);
    }
}

impl Short {
    const CAPACITY: usize = 23;

    fn new(word: &str) -> Option<Self> {
        let len = word.len();
        if len > Self::CAPACITY {
            return None;
        }
        // Packed byte by byte: a copy of a variable length was a `memmove` call per token.
        let mut words = [0u64; 3];
        for (i, &byte) in word.as_bytes().iter().enumerate() {
            words[i / 8] |= u64::from(byte) << ((i % 8) * 8);
        }
        words[2] |= (len as u64) << 56;
        Some(Self(words))
    }

    /// Appends the word to `out`.
    fn push_to(&self, out: &mut String) {
        let mut bytes = [0u8; 24];
        for (i, w) in self.0.iter().enumerate() {
            bytes[i * 8..i * 8 + 8].copy_from_slice(&w.to_le_bytes());
        }
        let len = usize::from(bytes[23]).min(Self::CAPACITY);
        // Built from a whole `&str`, so always valid UTF-8.
        out.push_str(std::str::from_utf8(&bytes[..len]).unwrap_or_default());
    }
}

impl<T: Tokenizer> Tokenizer for FixpointStemmerFilter<T> {
    type TokenStream<'a> = FixpointStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        if self.cache.len() > STEM_CACHE_LIMIT {
            self.cache.clear();
        }
        FixpointStemmerStream {
            tail: self.inner.token_stream(text),
            stemmer: &self.stemmer,
            cache: &mut self.cache,
        }
    }
}

/// Stems remembered per analyzer: a language's working vocabulary is small, and stemming is not free.
const STEM_CACHE_LIMIT: usize = 200_000;

/// The tokens of one text from [`FixpointStemmerFilter`], each replaced by its fixed-point stem.
pub struct FixpointStemmerStream<'a, T> {
    tail: T,
    stemmer: &'a WordStemmer,
    cache: &'a mut StemCache,
}

impl<T: TokenStream> TokenStream for FixpointStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        self.cache.stem_in_place(self.stemmer, &mut token.text);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
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

/// The stemmed analyzer for a project language.
pub fn stemmed(language: Language) -> TextAnalyzer {
    TextAnalyzer::builder(LowerWords::default())
        .filter(FixpointStemmer { language })
        .build()
}

/// The unstemmed analyzer.
pub fn raw() -> TextAnalyzer {
    TextAnalyzer::from(LowerWords::default())
}

/// The stemmed tokens of a text, ready for a text field whose documents are not all in one language: each
/// document's text is analysed with its own language's analyzer (kept by the caller, so its stem cache is
/// reused across documents).
pub fn pre_tokenized(analyzer: &mut TextAnalyzer, text: &str) -> PreTokenizedString {
    let mut stream = analyzer.token_stream(text);
    let mut tokens = Vec::new();
    while let Some(token) = stream.next() {
        tokens.push(token.clone());
    }
    PreTokenizedString {
        text: String::new(),
        tokens,
    }
}

/// A word of a text with its byte range and lower-cased form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// Where the word starts, in bytes of the text.
    pub byte_start: usize,
    /// Where the word ends, in bytes of the text (exclusive).
    pub byte_end: usize,
    /// The word in lower case, as the unstemmed field indexes it.
    pub lower: String,
}

/// Splits text into words the way the index does.
pub fn words(text: &str) -> Vec<Word> {
    let mut analyzer = raw();
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

/// The terms the stemmed analyzer makes of a text.
pub fn stems(language: Language, text: &str) -> Vec<String> {
    let mut analyzer = stemmed(language);
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(analysed_alike(Language::Nb, Language::Nn));
        assert!(analysed_alike(Language::Nn, Language::Nb));
        assert!(!analysed_alike(Language::Nb, Language::En));
        // Alike means the same terms: a nynorsk text through the bokmål analyzer stems as through its own.
        let text = "Leiarane på skulen seier at ressursane ikkje strekk til.";
        assert_eq!(stems(Language::Nb, text), stems(Language::Nn, text));
    }

    /// The cache gives what the stemmer gives, for short words kept inline and long compounds alike, on first
    /// sight and when remembered.
    #[test]
    fn cached_stems_are_the_stemmers() {
        let stemmer = WordStemmer::new(Language::Nb);
        let words = [
            "skulane",
            "ressursane",
            "helsesøsterressursteamene",
            "ungdomsskulelærarane",
            "barnehagelærerutdanningene",
            "i",
        ];
        let text = words.join(" ");
        let expected: Vec<String> = words.iter().map(|w| stemmer.stem(w)).collect();
        let mut analyzer = stemmed(Language::Nb);
        for _ in 0..2 {
            let mut stream = analyzer.token_stream(&text);
            let mut got = Vec::new();
            while let Some(token) = stream.next() {
                got.push(token.text.clone());
            }
            assert_eq!(got, expected);
        }
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
        let mut ours = raw();
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
