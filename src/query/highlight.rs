//! Finds where a query's words matched inside a passage, and cuts a keyword-in-context snippet around them.

use std::collections::HashSet;

use serde::Serialize;

use super::parse::Expr;
use crate::index::analyzer::{WordStemmer, words};
use crate::model::Language;
use crate::offsets::{CharRange, OffsetMap, char_len};

/// The positive word patterns of a query (those not under NOT).
#[derive(Debug, Default)]
pub struct Highlighter {
    /// The query's words and phrases as stemmed in each language of the project.
    by_language: Vec<(Language, LanguageStems)>,
    prefixes: Vec<String>,
    fuzzy: Vec<(String, u8)>,
    exact: HashSet<String>,
}

/// A query's stemmed words and phrases in one language.
#[derive(Debug)]
struct LanguageStems {
    stemmer: WordStemmer,
    stems: HashSet<String>,
    phrases: Vec<Vec<String>>,
}

impl Highlighter {
    /// Collects the word patterns of `expr`, stemming words the way the index does for documents in each of
    /// `languages`.
    pub fn new(expr: &Expr, languages: impl IntoIterator<Item = Language>) -> Self {
        let mut h = Highlighter::default();
        for language in languages {
            h.by_language.push((
                language,
                LanguageStems {
                    stemmer: WordStemmer::new(language),
                    stems: HashSet::new(),
                    phrases: Vec::new(),
                },
            ));
        }
        h.collect(expr);
        h
    }

    fn collect(&mut self, expr: &Expr) {
        match expr {
            Expr::And(items) | Expr::Or(items) => items.iter().for_each(|e| self.collect(e)),
            Expr::Not(_) | Expr::Filter(_) | Expr::Meaning(_) => {}
            Expr::Word(text) | Expr::Phrase(text) => {
                let lower: Vec<String> = words(text).into_iter().map(|w| w.lower).collect();
                for (_, l) in &mut self.by_language {
                    let stems: Vec<String> = lower.iter().map(|w| l.stemmer.stem(w)).collect();
                    match stems.len() {
                        0 => {}
                        1 => l.stems.extend(stems),
                        _ => l.phrases.push(stems),
                    }
                }
            }
            Expr::Prefix(text) => self.prefixes.push(text.to_lowercase()),
            Expr::Fuzzy(text, d) => self.fuzzy.push((text.to_lowercase(), *d)),
            Expr::Exact(text) => {
                self.exact.insert(text.to_lowercase());
            }
        }
    }

    /// True when the query has words to mark (a filter-only query has none).
    pub fn is_empty(&self) -> bool {
        self.by_language
            .iter()
            .all(|(_, l)| l.stems.is_empty() && l.phrases.is_empty())
            && self.prefixes.is_empty()
            && self.fuzzy.is_empty()
            && self.exact.is_empty()
    }

    /// Matches inside `text` (a passage of a document in `language`), as code-point ranges relative to the
    /// passage.
    pub fn matches(&self, text: &str, language: Language) -> Vec<CharRange> {
        if self.is_empty() {
            return Vec::new();
        }
        let Some(stemmed) = self
            .by_language
            .iter()
            .find(|(l, _)| *l == language)
            .or_else(|| self.by_language.first())
            .map(|(_, s)| s)
        else {
            return Vec::new();
        };
        let map = OffsetMap::new(text);
        let tokens = words(text);
        // Snowball only strips endings, so a word can stem to a wanted stem only if its normalised form (its
        // bokmål counterpart, for Norwegian) starts with it: stem just those words.
        let wanted: Vec<&str> = stemmed
            .stems
            .iter()
            .chain(stemmed.phrases.iter().flatten())
            .map(String::as_str)
            .collect();
        let stems: Vec<String> = tokens
            .iter()
            .map(|t| {
                let normal = stemmed.stemmer.normalise(&t.lower);
                if wanted.iter().any(|w| normal.starts_with(w)) {
                    stemmed.stemmer.stem(&t.lower)
                } else {
                    String::new()
                }
            })
            .collect();
        let mut byte_ranges: Vec<(usize, usize)> = Vec::new();
        for (i, token) in tokens.iter().enumerate() {
            let hit = stemmed.stems.contains(&stems[i])
                || self.exact.contains(&token.lower)
                || self
                    .prefixes
                    .iter()
                    .any(|p| token.lower.starts_with(p.as_str()))
                || self
                    .fuzzy
                    .iter()
                    .any(|(w, d)| levenshtein(&token.lower, w) <= usize::from(*d));
            if hit {
                byte_ranges.push((token.byte_start, token.byte_end));
            }
        }
        for phrase in &stemmed.phrases {
            for start in 0..tokens.len().saturating_sub(phrase.len() - 1) {
                if phrase
                    .iter()
                    .enumerate()
                    .all(|(k, stem)| &stems[start + k] == stem)
                {
                    byte_ranges.push((
                        tokens[start].byte_start,
                        tokens[start + phrase.len() - 1].byte_end,
                    ));
                }
            }
        }
        byte_ranges.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (s, e) in byte_ranges {
            match merged.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        merged
            .into_iter()
            .filter_map(|(s, e)| map.char_range(text, s..e))
            .collect()
    }
}

/// Edit distance in characters (for marking fuzzy matches).
pub fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(current + 1);
            previous = current;
        }
    }
    row[b.len()]
}

/// A keyword-in-context line: text around the first match, with marked ranges (code points, in the snippet).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Snippet {
    /// The text around the first match on one line, with `…` where the passage was cut.
    pub text: String,
    /// Where the query's words matched, in code points of `text`.
    pub marks: Vec<CharRange>,
}

impl Snippet {
    /// Renders the snippet with markers around the matches (e.g. `«`/`»`, or terminal bold codes).
    pub fn render(&self, open: &str, close: &str) -> String {
        let mut out = String::with_capacity(self.text.len() + self.marks.len() * 8);
        let mut marks = self.marks.iter().peekable();
        for (i, c) in self.text.chars().enumerate() {
            if marks.peek().is_some_and(|m| m.start == i) {
                out.push_str(open);
            }
            out.push(c);
            if marks.peek().is_some_and(|m| m.end == i + 1) {
                out.push_str(close);
                marks.next();
            }
        }
        out
    }
}

/// Cuts a snippet of about `width` characters from `passage` around its first match.
pub fn snippet(passage: &str, matches: &[CharRange], width: usize) -> Snippet {
    let chars: Vec<char> = passage
        .chars()
        .map(|c| if c == '\n' { ' ' } else { c })
        .collect();
    let total = chars.len();
    let focus = matches.first().copied().unwrap_or(CharRange::new(0, 0));
    let mut start = focus.start.saturating_sub(width / 3);
    let mut end = (start + width).min(total);
    if end - start < width {
        start = end.saturating_sub(width);
    }
    // Move to word boundaries.
    while start > 0
        && start < total
        && !chars[start - 1].is_whitespace()
        && focus.start - start < width / 2
    {
        start -= 1;
    }
    while end < total && !chars[end].is_whitespace() && end - focus.end.min(end) < width {
        end += 1;
    }
    let mut text = String::new();
    let lead = if start > 0 { "…" } else { "" };
    text.push_str(lead);
    text.extend(&chars[start..end]);
    if end < total {
        text.push('…');
    }
    let shift = char_len(lead);
    let marks = matches
        .iter()
        .filter_map(|m| m.intersection(&CharRange::new(start, end)))
        .map(|m| CharRange::new(m.start - start + shift, m.end - start + shift))
        .collect();
    Snippet { text, marks }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::parse::parse;

    #[test]
    fn stemmed_words_and_phrases_are_marked() {
        let h = Highlighter::new(
            &parse("ressurs \"felles mål\"").expect("query"),
            [Language::Nb],
        );
        let text = "Ressursene var få, men vi fikk felles mål. Ressurser!";
        let marked: Vec<&str> = h
            .matches(text, Language::Nb)
            .iter()
            .map(|r| crate::offsets::slice(text, *r).unwrap_or(""))
            .collect();
        assert_eq!(marked, ["Ressursene", "felles mål", "Ressurser"]);
    }

    #[test]
    fn prefixes_fuzzy_and_not_are_respected() {
        let h = Highlighter::new(
            &parse("skole* lærer~1 NOT rektor").expect("query"),
            [Language::Nb],
        );
        let text = "Skoleledelsen og læreren, ikke rektor; larer.";
        let marked: Vec<&str> = h
            .matches(text, Language::Nb)
            .iter()
            .map(|r| crate::offsets::slice(text, *r).unwrap_or(""))
            .collect();
        assert_eq!(marked, ["Skoleledelsen", "larer"]);
    }

    #[test]
    fn both_written_standards_are_marked_and_exact_forms_only_themselves() {
        let h = Highlighter::new(
            &parse("skole leiar").expect("query"),
            [Language::Nb, Language::Nn],
        );
        let text = "Leiaren på skulen og lederen på skolen.";
        let marked: Vec<&str> = h
            .matches(text, Language::Nn)
            .iter()
            .map(|r| crate::offsets::slice(text, *r).unwrap_or(""))
            .collect();
        assert_eq!(marked, ["Leiaren", "skulen", "lederen", "skolen"]);
        let h = Highlighter::new(&parse("=skole").expect("query"), [Language::Nb]);
        let marked: Vec<&str> = h
            .matches(text, Language::Nb)
            .iter()
            .map(|r| crate::offsets::slice(text, *r).unwrap_or(""))
            .collect();
        assert!(marked.is_empty(), "{marked:?}");
        let text = "Skole, skolen, skule.";
        let marked: Vec<&str> = h
            .matches(text, Language::Nb)
            .iter()
            .map(|r| crate::offsets::slice(text, *r).unwrap_or(""))
            .collect();
        assert_eq!(marked, ["Skole"]);
    }

    #[test]
    fn snippet_centres_on_the_match_and_marks_it() {
        let passage = "Dette er en lang innledning som ikke handler om noe særlig, før vi kommer til ressursene som mangler i skolen.";
        let start = passage.chars().count() - "ressursene som mangler i skolen.".chars().count();
        let s = snippet(passage, &[CharRange::new(start, start + 10)], 40);
        assert!(s.text.starts_with('…'));
        assert!(
            s.render("[", "]").contains("[ressursene]"),
            "{}",
            s.render("[", "]")
        );
    }

    #[test]
    fn edit_distance() {
        assert_eq!(levenshtein("lærer", "larer"), 1);
        assert_eq!(levenshtein("", "ab"), 2);
        assert_eq!(levenshtein("møte", "møte"), 0);
    }
}
