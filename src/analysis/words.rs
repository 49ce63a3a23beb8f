//! Word frequencies over a selection (all text, a code's excerpts, a case group), stemmed or not, with editable
//! stop lists, and keyword-in-context lines for a word.
//!
//! Stop lists: the defaults ship in `assets/stopwords/{nb,nn,en}.txt` (all three apply, since Norwegian projects
//! mix bokmål, nynorsk and English). The user's own list is a plain file passed in (CLI `--stopwords FILE`, a GUI
//! setting), not stored in the project: a line `word` adds a stop word, `-word` takes a default one out, `#`
//! starts a comment.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::regions::Regions;
use super::scope::Scope;
use super::table::{Cell, Table};
use crate::error::{Error, Result};
use crate::ids::{CodeId, DocumentId};
use crate::index::analyzer::{WordStemmer, words};
use crate::model::Project;
use crate::offsets::{CharRange, OffsetMap, slice};

/// The default Norwegian bokmål stop list.
pub const STOPWORDS_NB: &str = include_str!("../../assets/stopwords/nb.txt");
/// The default Norwegian nynorsk stop list.
pub const STOPWORDS_NN: &str = include_str!("../../assets/stopwords/nn.txt");
/// The default English stop list.
pub const STOPWORDS_EN: &str = include_str!("../../assets/stopwords/en.txt");

/// Words left out of frequency lists (lower-case).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StopList {
    /// The words, in lower case.
    pub words: BTreeSet<String>,
}

impl StopList {
    /// The shipped bokmål, nynorsk and English lists together.
    pub fn defaults() -> Self {
        let mut list = Self::default();
        for text in [STOPWORDS_NB, STOPWORDS_NN, STOPWORDS_EN] {
            list.apply(text);
        }
        list
    }

    /// Applies a list's text: `word` adds, `-word` removes, `#` comments.
    pub fn apply(&mut self, text: &str) {
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            if let Some(word) = line.strip_prefix('-') {
                self.words.remove(&word.trim().to_lowercase());
            } else if !line.is_empty() {
                self.words.insert(line.to_lowercase());
            }
        }
    }

    /// Applies a user's list file.
    pub fn apply_file(&mut self, path: &Path) -> Result<()> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        self.apply(&text);
        Ok(())
    }

    /// True when the word (already in lower case) is on the list.
    pub fn contains(&self, lower: &str) -> bool {
        self.words.contains(lower)
    }
}

/// The text a word count or KWIC looks at: whole documents, or the excerpts of some codes, within a scope.
/// Transcript furniture (speaker labels, bracketed notes such as `(ler)` or `[pause]`) is left out unless
/// asked for, and the text can be limited to, or spared, some speakers' turns.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Selection {
    /// Only the text coded with these codes (empty: the whole documents).
    pub codes: Vec<CodeId>,
    /// A code also stands for its sub-codes (their excerpts are included).
    pub include_subcodes: bool,
    /// Which cases, documents and coders the text and codings may come from.
    pub scope: Scope,
    /// Whose turns count.
    #[serde(default)]
    pub speakers: SpeakerFilter,
    /// Count speaker labels and bracketed transcription notes too (left out by default).
    #[serde(default)]
    pub with_furniture: bool,
}

/// Whose turns a word count or KWIC reads. A name matches a speaker named so, or with it as one word of the
/// name, ignoring case (`Intervjuer` matches `Intervjuer 2`), like the `speaker:` search filter.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpeakerFilter {
    /// Only these speakers' turns (empty: every speaker, and text outside turns).
    #[serde(default)]
    pub only: Vec<String>,
    /// Never these speakers' turns (`Intervjuer`, `Intervjuar`).
    #[serde(default)]
    pub exclude: Vec<String>,
}

impl SpeakerFilter {
    /// True when the filter lets every turn through.
    pub fn is_empty(&self) -> bool {
        self.only.is_empty() && self.exclude.is_empty()
    }

    fn names(list: &[String], speaker: &str) -> bool {
        let keys = crate::index::speaker_keys(speaker);
        list.iter().any(|name| {
            let name = name.trim().to_lowercase();
            keys.contains(&name)
                || crate::import::structure::speaker_key(&name)
                    == crate::import::structure::speaker_key(speaker)
        })
    }

    /// True when a turn of this speaker is read.
    pub fn admits(&self, speaker: &str) -> bool {
        (self.only.is_empty() || Self::names(&self.only, speaker))
            && !Self::names(&self.exclude, speaker)
    }
}

/// A bracketed transcription note: one to four words in round or square brackets on one line (`(ler)`,
/// `[pause]`, `(latter)`, `[uforståelig 00:12:03]`, `(crosstalk)`).
static NOTE: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"\([^()\[\]\n]{1,40}\)|\[[^()\[\]\n]{1,40}\]").ok()
});

/// The parts of a document words are read from: without labels and notes unless `with_furniture`, and only the
/// turns `speakers` admits. `None` when the whole document is read.
fn readable(
    project: &Project,
    document: &crate::model::Document,
    speakers: &SpeakerFilter,
    with_furniture: bool,
) -> Option<Vec<CharRange>> {
    let transcript = !document.turns.is_empty();
    if (with_furniture || !transcript) && speakers.is_empty() {
        return None;
    }
    let mut keep: Vec<CharRange> = if speakers.only.is_empty() {
        vec![CharRange::new(0, document.char_len)]
    } else {
        Vec::new()
    };
    let mut drop: Vec<CharRange> = Vec::new();
    for turn in &document.turns {
        let admitted = speakers.admits(&turn.speaker);
        if !speakers.only.is_empty() && admitted {
            keep.push(turn.range);
        }
        if !admitted {
            drop.push(turn.range);
        } else if !with_furniture {
            drop.push(CharRange::new(turn.range.start, turn.content_start));
        }
    }
    if !with_furniture
        && transcript
        && let Some(note) = NOTE.as_ref()
    {
        let text = project.text(document.id);
        let map = OffsetMap::new(text);
        for found in note.find_iter(text) {
            if found.as_str().split_whitespace().count() > 4 {
                continue;
            }
            if let Some(range) = map.char_range(text, found.range()) {
                drop.push(range);
            }
        }
    }
    let keep = super::regions::merge(keep);
    let drop = super::regions::merge(drop);
    Some(subtract(&keep, &drop))
}

/// The parts of sorted, disjoint `a` outside sorted, disjoint `b`.
fn subtract(a: &[CharRange], b: &[CharRange]) -> Vec<CharRange> {
    let mut out = Vec::new();
    let mut j = 0;
    for range in a {
        let mut start = range.start;
        while j < b.len() && b[j].end <= start {
            j += 1;
        }
        let mut k = j;
        while k < b.len() && b[k].start < range.end {
            if b[k].start > start {
                out.push(CharRange::new(start, b[k].start));
            }
            start = start.max(b[k].end);
            k += 1;
        }
        if start < range.end {
            out.push(CharRange::new(start, range.end));
        }
    }
    out
}

impl Selection {
    /// The passages selected (overlapping excerpts merged, so no word counts twice), without transcript
    /// furniture and turns of speakers left out.
    pub fn regions(&self, project: &Project) -> Result<Regions> {
        let regions = self.coded_regions(project)?;
        let mut out = std::collections::BTreeMap::new();
        for (doc, ranges) in regions.0 {
            let readable = project
                .documents()
                .get(&doc)
                .and_then(|d| readable(project, d, &self.speakers, self.with_furniture));
            let ranges = match readable {
                Some(parts) => super::regions::intersect(&ranges, &parts),
                None => ranges,
            };
            if !ranges.is_empty() {
                out.insert(doc, ranges);
            }
        }
        Ok(Regions(out))
    }

    /// The passages of the codes and scope, furniture and all.
    fn coded_regions(&self, project: &Project) -> Result<Regions> {
        let scope = self.scope.resolve(project)?;
        if self.codes.is_empty() {
            return Ok(Regions::from_ranges(
                project
                    .documents()
                    .values()
                    .filter(|d| scope.has_document(d.id))
                    .map(|d| (d.id, CharRange::new(0, d.char_len))),
            ));
        }
        let mut codes = BTreeSet::new();
        for code in &self.codes {
            if !project.codes().contains_key(code) {
                return Err(Error::Edit(crate::edit::EditError::Missing(
                    crate::edit::EntityKey::Code(*code),
                )));
            }
            if self.include_subcodes {
                codes.extend(project.descendants(*code));
            } else {
                codes.insert(*code);
            }
        }
        Ok(scope.coded_text(project, &codes))
    }
}

/// How to count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WordOptions {
    /// Group words by their stem (`ressurs`, `ressursene`, `ressursar` together).
    pub stemmed: bool,
    /// Words left out of the count.
    pub stopwords: StopList,
    /// Shorter words are left out.
    pub min_chars: usize,
    /// At most this many words (most frequent first).
    pub limit: Option<usize>,
}

impl Default for WordOptions {
    fn default() -> Self {
        Self {
            stemmed: false,
            stopwords: StopList::defaults(),
            min_chars: 2,
            limit: None,
        }
    }
}

/// One line of a frequency list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WordCount {
    /// The word (stemmed lists: its most frequent form).
    pub word: String,
    /// The stem, in stemmed lists.
    pub stem: Option<String>,
    /// How often the word (or, in stemmed lists, any of its forms) occurs.
    pub count: usize,
    /// Documents it occurs in.
    pub documents: usize,
    /// Surface forms with their counts, most frequent first.
    pub forms: Vec<(String, usize)>,
}

/// A frequency list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct WordFrequencies {
    /// Words counted (after stop words).
    pub total: usize,
    /// Distinct words (or stems) before the limit.
    pub distinct: usize,
    /// The counted words, most frequent first, at most the options' limit.
    pub words: Vec<WordCount>,
}

impl WordFrequencies {
    /// The list as a table: word, count, documents and forms.
    pub fn to_table(&self) -> Table {
        let header = ["Word", "Count", "Documents", "Forms"]
            .map(String::from)
            .to_vec();
        let mut table = Table::new("Word frequencies", header);
        for w in &self.words {
            let forms = w
                .forms
                .iter()
                .map(|(f, n)| format!("{f} ({n})"))
                .collect::<Vec<_>>()
                .join(", ");
            table.rows.push(vec![
                Cell::Text(w.word.clone()),
                Cell::Count(w.count as u64),
                Cell::Count(w.documents as u64),
                Cell::Text(forms),
            ]);
        }
        table
    }
}

fn countable(lower: &str, options: &WordOptions) -> bool {
    lower.chars().count() >= options.min_chars
        && !lower.chars().all(|c| c.is_numeric())
        && !options.stopwords.contains(lower)
}

/// Counts the words of a selection.
pub fn word_frequencies(
    project: &Project,
    selection: &Selection,
    options: &WordOptions,
) -> Result<WordFrequencies> {
    let regions = selection.regions(project)?;
    let stemmer = WordStemmer::new(project.meta().language);
    let mut stems: HashMap<String, String> = HashMap::new();
    struct Tally {
        count: usize,
        documents: BTreeSet<DocumentId>,
        forms: HashMap<String, usize>,
    }
    let mut tallies: HashMap<String, Tally> = HashMap::new();
    let mut total = 0;
    for (doc, range) in regions.iter() {
        let Some(text) = slice(project.text(doc), range) else {
            continue;
        };
        for word in words(text) {
            if !countable(&word.lower, options) {
                continue;
            }
            total += 1;
            let key = if options.stemmed {
                stems
                    .entry(word.lower.clone())
                    .or_insert_with(|| stemmer.stem(&word.lower))
                    .clone()
            } else {
                word.lower.clone()
            };
            let tally = tallies.entry(key).or_insert_with(|| Tally {
                count: 0,
                documents: BTreeSet::new(),
                forms: HashMap::new(),
            });
            tally.count += 1;
            tally.documents.insert(doc);
            *tally.forms.entry(word.lower).or_insert(0) += 1;
        }
    }
    let distinct = tallies.len();
    let mut list: Vec<WordCount> = tallies
        .into_iter()
        .map(|(key, tally)| {
            let mut forms: Vec<(String, usize)> = tally.forms.into_iter().collect();
            forms.sort_by(|a, b| {
                b.1.cmp(&a.1)
                    .then_with(|| crate::collate::compare(&a.0, &b.0))
            });
            WordCount {
                word: forms.first().map_or_else(|| key.clone(), |f| f.0.clone()),
                stem: options.stemmed.then_some(key),
                count: tally.count,
                documents: tally.documents.len(),
                forms,
            }
        })
        .collect();
    list.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| crate::collate::compare(&a.word, &b.word))
    });
    if let Some(limit) = options.limit {
        list.truncate(limit);
    }
    Ok(WordFrequencies {
        total,
        distinct,
        words: list,
    })
}

/// One keyword-in-context line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KwicLine {
    /// The document the line comes from.
    pub document: DocumentId,
    /// The document's name, for display.
    pub document_name: String,
    /// Where the keyword is, in code points of the document (click to jump).
    pub range: CharRange,
    /// The context before the keyword, line breaks shown as spaces.
    pub left: String,
    /// The keyword as it is written in the text.
    pub keyword: String,
    /// The context after the keyword, line breaks shown as spaces.
    pub right: String,
    /// The speaker of the turn the keyword is in, in transcripts.
    pub speaker: Option<String>,
}

/// Every occurrence of a word in a selection with `width` characters of context each side (line breaks shown as
/// spaces). With `stemmed`, every form with the same stem matches.
pub fn kwic(
    project: &Project,
    selection: &Selection,
    word: &str,
    stemmed: bool,
    width: usize,
) -> Result<Vec<KwicLine>> {
    let regions = selection.regions(project)?;
    let stemmer = WordStemmer::new(project.meta().language);
    let wanted = word.trim().to_lowercase();
    if wanted.is_empty() {
        return Err(Error::query("name a word for keyword-in-context"));
    }
    let wanted_stem = stemmer.stem(&wanted);
    let mut lines = Vec::new();
    let mut docs: Vec<(DocumentId, Vec<CharRange>)> =
        regions.0.iter().map(|(d, r)| (*d, r.clone())).collect();
    docs.sort_by(|a, b| {
        let name = |id: &DocumentId| project.documents().get(id).map_or("", |d| d.name.as_str());
        crate::collate::compare(name(&a.0), name(&b.0))
    });
    for (doc_id, ranges) in docs {
        let Some(doc) = project.documents().get(&doc_id) else {
            continue;
        };
        let text = project.text(doc_id);
        let map = OffsetMap::new(text);
        for range in ranges {
            let Some(byte_range) = map.byte_range(text, range) else {
                continue;
            };
            let part = &text[byte_range.clone()];
            for w in words(part) {
                let hit = if stemmed {
                    w.lower == wanted || stemmer.stem(&w.lower) == wanted_stem
                } else {
                    w.lower == wanted
                };
                if !hit {
                    continue;
                }
                let (b_start, b_end) = (
                    byte_range.start + w.byte_start,
                    byte_range.start + w.byte_end,
                );
                let (Some(start), Some(end)) =
                    (map.char_at(text, b_start), map.char_at(text, b_end))
                else {
                    continue;
                };
                let left_start = start.saturating_sub(width);
                let right_end = (end + width).min(doc.char_len);
                let flat = |s: &str| s.replace(['\n', '\r', '\t'], " ");
                lines.push(KwicLine {
                    document: doc_id,
                    document_name: doc.name.clone(),
                    range: CharRange::new(start, end),
                    left: flat(slice(text, CharRange::new(left_start, start)).unwrap_or("")),
                    keyword: text[b_start..b_end].to_string(),
                    right: flat(slice(text, CharRange::new(end, right_end)).unwrap_or("")),
                    speaker: doc.turn_at(start).map(|t| t.speaker.clone()),
                });
            }
        }
    }
    Ok(lines)
}

/// KWIC lines as a table.
pub fn kwic_table(lines: &[KwicLine]) -> Table {
    let header = [
        "Document", "Position", "Speaker", "Left", "Keyword", "Right",
    ]
    .map(String::from)
    .to_vec();
    let mut table = Table::new("Keyword in context", header);
    for line in lines {
        table.rows.push(vec![
            Cell::Text(line.document_name.clone()),
            Cell::Count(line.range.start as u64),
            line.speaker.clone().map_or(Cell::Empty, Cell::Text),
            Cell::Text(line.left.clone()),
            Cell::Text(line.keyword.clone()),
            Cell::Text(line.right.clone()),
        ]);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subtract_cuts_holes() {
        let a = [CharRange::new(0, 10), CharRange::new(20, 30)];
        let b = [
            CharRange::new(2, 4),
            CharRange::new(8, 22),
            CharRange::new(29, 40),
        ];
        assert_eq!(
            subtract(&a, &b),
            [
                CharRange::new(0, 2),
                CharRange::new(4, 8),
                CharRange::new(22, 29)
            ]
        );
    }

    #[test]
    fn speaker_names_match_like_the_search_filter() {
        let filter = SpeakerFilter {
            only: Vec::new(),
            exclude: vec!["intervjuer".into(), "Intervjuar".into()],
        };
        assert!(!filter.admits("Intervjuer"));
        assert!(!filter.admits("Intervjuer 2"));
        assert!(!filter.admits("INTERVJUAR"));
        assert!(filter.admits("Rektor"));
        let only = SpeakerFilter {
            only: vec!["rektor".into()],
            exclude: Vec::new(),
        };
        assert!(only.admits("Rektor"));
        assert!(!only.admits("Lærer 2"));
    }
}
