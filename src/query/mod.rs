//! Search: turns a parsed query into a tantivy query over the index (filters resolved against the project),
//! runs it, and returns passages with code-point match ranges and snippets. Also a regex mode.

mod error;
pub mod highlight;
pub mod parse;

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    BooleanQuery, EmptyQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, RegexPhraseQuery,
    TermQuery, TermSetQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Term};
use uuid::Uuid;

use crate::coders::CoderSelection;
use crate::error::{Error, Result};
use crate::ids::DocumentId;
use crate::index::{SearchIndex, analyzer, speaker_keys};
use crate::model::{AttributeValue, DocumentKind, Language, Project};
use crate::offsets::{CharRange, OffsetMap, slice};
pub use error::QueryError;
pub use highlight::Snippet;
use highlight::{Highlighter, snippet};
pub use parse::Expr;
use parse::{Comparison, Filter};

/// Why a meaning term cannot run as a keyword search.
pub const MEANING_NEEDS_VECTORS: &str = "a meaning term ~\"…\" is searched by meaning, which needs the model and the passage vectors: search with meaning switched on (workbench: \"By meaning\"; command line: `marginalia search DIR QUERY`, which does it for queries with ~\"…\")";

/// Characters of context in a snippet.
pub const SNIPPET_WIDTH: usize = 120;

/// One passage that matched.
#[derive(Clone, Debug, Serialize)]
pub struct Hit {
    /// The document the passage is in.
    pub document: DocumentId,
    /// The document's display name.
    pub document_name: String,
    /// The turn or paragraph, in code points.
    pub passage: CharRange,
    /// The speaker, when the passage is a speaker turn.
    pub speaker: Option<String>,
    /// The turn's timestamp, when the transcript has one.
    pub timestamp: Option<String>,
    /// How well the passage matches (BM25); higher is better, and hits are ordered by it.
    pub score: f32,
    /// Where the query's words matched, in code points of the document.
    pub matches: Vec<CharRange>,
    /// A keyword-in-context line around the first match, for result lists.
    pub snippet: Snippet,
}

/// Hits plus the total count (which may exceed the hits returned).
#[derive(Clone, Debug, Default, Serialize)]
pub struct SearchResults {
    /// How many passages matched in all.
    pub total: usize,
    /// The best-scoring passages, at most as many as the limit asked for.
    pub hits: Vec<Hit>,
}

impl SearchResults {
    /// Number of hits per document, most first.
    pub fn per_document(&self) -> Vec<(DocumentId, String, usize)> {
        let mut counts: HashMap<DocumentId, (String, usize)> = HashMap::new();
        for hit in &self.hits {
            counts
                .entry(hit.document)
                .or_insert_with(|| (hit.document_name.clone(), 0))
                .1 += 1;
        }
        let mut list: Vec<_> = counts
            .into_iter()
            .map(|(id, (name, n))| (id, name, n))
            .collect();
        list.sort_by(|a, b| {
            b.2.cmp(&a.2)
                .then_with(|| crate::collate::compare(&a.1, &b.1))
        });
        list
    }
}

/// Runs a query; `limit` None returns every hit.
pub fn search(
    index: &SearchIndex,
    project: &Project,
    query: &str,
    limit: Option<usize>,
) -> Result<SearchResults> {
    search_as(index, project, query, limit, &CoderSelection::All)
}

/// Runs a query seeing only the codings of `coders`: `code:` and `coder:` filters match the passages those
/// coders coded (a `coder:` naming anyone else matches nothing). The workbench passes the coder layers it shows,
/// so blind mode hides the other coders' work from searches too.
pub fn search_as(
    index: &SearchIndex,
    project: &Project,
    query: &str,
    limit: Option<usize>,
    coders: &CoderSelection,
) -> Result<SearchResults> {
    let expr = parse::parse(query)?;
    search_expr(index, project, &expr, limit, coders)
}

/// Runs a parsed query seeing the codings of `coders` (see [`search_as`]); `limit` None returns every hit. A
/// meaning term (`~"…"`) is refused here: it needs the model and the passage vectors (see
/// [`crate::embed::session::Meaning::search`]).
pub fn search_expr(
    index: &SearchIndex,
    project: &Project,
    expr: &Expr,
    limit: Option<usize>,
    coders: &CoderSelection,
) -> Result<SearchResults> {
    let languages = project.languages();
    let searcher = index.reader.searcher();
    let planner = Planner {
        index,
        project,
        languages: &languages,
        coders,
        searcher: &searcher,
    };
    let tantivy_query = planner.plan(expr)?;
    let limit = limit
        .unwrap_or(usize::MAX)
        .min(searcher.num_docs() as usize)
        .max(1);
    let (top, total) = searcher.search(
        &tantivy_query,
        &(TopDocs::with_limit(limit).order_by_score(), Count),
    )?;
    let highlighter = Highlighter::new(expr, languages.iter().copied());
    let columns = index.unit_columns(&searcher)?;
    let mut located: Vec<(f32, Located)> = top
        .into_iter()
        .filter_map(|(score, address)| Some((score, locate(&columns, address)?)))
        .collect();
    // By document, so each text is read once, and not kept: a search with thousands of hits must not load
    // the whole corpus into memory.
    located.sort_by_key(|(_, at)| (at.document, at.passage.start));
    let mut hits = Vec::with_capacity(located.len());
    let mut current: Option<(DocumentId, std::sync::Arc<str>)> = None;
    for (score, at) in &located {
        let text = match &current {
            Some((id, text)) if *id == at.document => std::sync::Arc::clone(text),
            _ => {
                let text = project.text_transient(at.document);
                current = Some((at.document, std::sync::Arc::clone(&text)));
                text
            }
        };
        if let Some(hit) = make_hit(project, &text, at, *score, &highlighter) {
            hits.push(hit);
        }
    }
    hits.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| crate::collate::compare(&a.document_name, &b.document_name))
            .then_with(|| a.passage.start.cmp(&b.passage.start))
    });
    Ok(SearchResults { total, hits })
}

/// Where an index hit lies: document, passage in code points and in bytes (read from fast fields).
struct Located {
    document: DocumentId,
    passage: CharRange,
    bytes: std::ops::Range<usize>,
}

fn locate(columns: &[crate::index::UnitColumns], address: DocAddress) -> Option<Located> {
    let c = columns.get(address.segment_ord as usize)?;
    let doc = address.doc_id;
    Some(Located {
        document: DocumentId(Uuid::from_u64_pair(
            c.doc_hi.first(doc)?,
            c.doc_lo.first(doc)?,
        )),
        passage: CharRange::new(c.start.first(doc)? as usize, c.end.first(doc)? as usize),
        bytes: c.byte_start.first(doc)? as usize..c.byte_end.first(doc)? as usize,
    })
}

fn make_hit(
    project: &Project,
    text: &str,
    at: &Located,
    score: f32,
    highlighter: &Highlighter,
) -> Option<Hit> {
    let doc = project.documents().get(&at.document)?;
    let text = text.get(at.bytes.clone())?;
    let passage = at.passage;
    let relative = highlighter.matches(text, project.document_language(doc));
    let snippet = snippet(text, &relative, SNIPPET_WIDTH);
    let turn = doc
        .turn_at(passage.start)
        .filter(|t| t.range.start == passage.start);
    Some(Hit {
        document: at.document,
        document_name: doc.name.clone(),
        passage,
        speaker: turn.map(|t| t.speaker.clone()),
        timestamp: turn.and_then(|t| t.timestamp.clone()),
        score,
        matches: relative
            .iter()
            .map(|r| CharRange::new(r.start + passage.start, r.end + passage.start))
            .collect(),
        snippet,
    })
}

struct Planner<'a> {
    index: &'a SearchIndex,
    project: &'a Project,
    /// The languages of the project's documents: words are analysed in each.
    languages: &'a BTreeSet<crate::model::Language>,
    /// Whose codings `code:` and `coder:` filters see.
    coders: &'a CoderSelection,
    /// The searcher the query runs on (its vocabulary expands words to their forms).
    searcher: &'a tantivy::Searcher,
}

impl Planner<'_> {
    fn plan(&self, expr: &Expr) -> Result<Box<dyn Query>> {
        Ok(match expr {
            Expr::And(items) => {
                let mut clauses = Vec::new();
                for item in items {
                    match item {
                        Expr::Not(inner) => clauses.push((Occur::MustNot, self.plan(inner)?)),
                        other => clauses.push((Occur::Must, self.plan(other)?)),
                    }
                }
                if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
                    clauses.push((Occur::Must, self.index.all_units()));
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Expr::Or(items) => {
                let clauses = items
                    .iter()
                    .map(|i| Ok((Occur::Should, self.plan(i)?)))
                    .collect::<Result<Vec<_>>>()?;
                Box::new(BooleanQuery::new(clauses))
            }
            Expr::Not(inner) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, self.index.all_units()),
                (Occur::MustNot, self.plan(inner)?),
            ])),
            Expr::Word(text) | Expr::Phrase(text) => self.text_query(text)?,
            Expr::Prefix(text) => self.per_field(|field| {
                let term = Term::from_field_text(field, &text.to_lowercase());
                Box::new(FuzzyTermQuery::new_prefix(term, 0, true))
            }),
            Expr::Fuzzy(text, distance) => self.per_field(|field| {
                let term = Term::from_field_text(field, &text.to_lowercase());
                Box::new(FuzzyTermQuery::new(term, *distance, true))
            }),
            Expr::Exact(text) => self.per_field(|field| {
                let term = Term::from_field_text(field, &text.to_lowercase());
                Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
            }),
            Expr::Filter(filter) => self.filter(filter)?,
            Expr::Meaning(_) => return Err(Error::query(MEANING_NEEDS_VECTORS)),
        })
    }

    /// The language families of the project's documents (each has a text field of its own).
    fn families(&self) -> BTreeSet<Language> {
        self.languages
            .iter()
            .map(|l| crate::index::family(*l))
            .collect()
    }

    /// One query per text field of the project's languages, any of which may match.
    fn per_field(
        &self,
        query: impl Fn(tantivy::schema::Field) -> Box<dyn Query>,
    ) -> Box<dyn Query> {
        any_of(
            self.families()
                .into_iter()
                .map(|family| query(self.index.fields.text_of(family)))
                .collect(),
        )
    }

    /// A word or phrase, stemmed in every language of the project (a query is in no language of its own): a
    /// passage matches when, at each position, it holds a word whose stem in the passage's language is one of
    /// the query word's.
    fn text_query(&self, text: &str) -> Result<Box<dyn Query>> {
        // Each word with its stems in every language of the project.
        let words: Vec<(String, BTreeSet<String>)> = analyzer::words(text)
            .into_iter()
            .map(|word| {
                let stems = self
                    .languages
                    .iter()
                    .map(|l| analyzer::WordStemmer::new(*l).stem(&word.lower))
                    .collect();
                (word.lower, stems)
            })
            .collect();
        let mut queries = Vec::new();
        for family in self.families() {
            let field = self.index.fields.text_of(family);
            let mut positions: Vec<Vec<String>> = Vec::with_capacity(words.len());
            for (word, stems) in &words {
                // Only the forms some passage holds: fewer posting lists to merge.
                let forms: Vec<String> = self
                    .forms(family, word, stems)?
                    .into_iter()
                    .filter(|form| {
                        self.searcher
                            .doc_freq(&Term::from_field_text(field, form))
                            .is_ok_and(|n| n > 0)
                    })
                    .collect();
                positions.push(forms);
            }
            if positions.iter().any(Vec::is_empty) {
                continue;
            }
            queries.push(words_query(field, &positions));
        }
        Ok(any_of(queries))
    }

    /// The words of `family`'s passages a query word finds: itself, and every word whose stem in `family` is
    /// one of `stems` (the query word's in the languages of the project).
    fn forms(
        &self,
        family: Language,
        word: &str,
        stems: &BTreeSet<String>,
    ) -> Result<BTreeSet<String>> {
        let own = analyzer::WordStemmer::new(family);
        let mut forms = BTreeSet::from([word.to_string()]);
        for stem in stems {
            // The vocabulary leaves out words that are their own stem.
            if own.stem(stem) == *stem {
                forms.insert(stem.clone());
            }
            forms.extend(self.index.forms(self.searcher, family, stem)?);
        }
        Ok(forms)
    }

    fn doc_set(&self, docs: impl IntoIterator<Item = DocumentId>) -> Box<dyn Query> {
        let field = self.index.fields.doc;
        let terms: Vec<Term> = docs
            .into_iter()
            .map(|d| Term::from_field_text(field, &d.to_string()))
            .collect();
        if terms.is_empty() {
            Box::new(EmptyQuery)
        } else {
            Box::new(TermSetQuery::new(terms))
        }
    }

    fn filter(&self, filter: &Filter) -> Result<Box<dyn Query>> {
        let f = &self.index.fields;
        let p = self.project;
        Ok(match filter {
            Filter::Speaker(name) => {
                let key = speaker_keys(name).into_iter().next().unwrap_or_default();
                Box::new(TermQuery::new(
                    Term::from_field_text(f.speaker, &key),
                    IndexRecordOption::Basic,
                ))
            }
            Filter::Kind(kind) => {
                let kind = DocumentKind::parse(kind).ok_or_else(|| {
                    Error::query(format!(
                        "unknown kind '{kind}' (use interview, observation, document or survey)"
                    ))
                })?;
                Box::new(TermQuery::new(
                    Term::from_field_text(f.kind, kind.keyword()),
                    IndexRecordOption::Basic,
                ))
            }
            Filter::Case(name) => {
                let case = p
                    .find_case(name)
                    .ok_or_else(|| Error::query(format!("no case named '{name}'")))?;
                Box::new(TermQuery::new(
                    Term::from_field_text(f.cases, &case.id.to_string()),
                    IndexRecordOption::Basic,
                ))
            }
            Filter::Doc(name) => {
                let doc = p
                    .find_document(name)
                    .ok_or_else(|| Error::query(format!("no document named '{name}'")))?;
                self.doc_set([doc.id])
            }
            Filter::Set(name) => {
                let set = p
                    .find_set(name)
                    .ok_or_else(|| Error::query(format!("no document set named '{name}'")))?;
                self.doc_set(set.documents.iter().copied())
            }
            Filter::Attr { key, op, value } => self.attribute_filter(key, *op, value)?,
            Filter::Code(name) => self.code_filter(name)?,
            Filter::Coder(name) => {
                let coder = p
                    .find_coder(name)
                    .ok_or_else(|| crate::coders::unknown_coder(p, name))?;
                let seen = self.coders.contains(coder.id);
                self.units_of(p.codings().values().filter(|c| seen && c.coder == coder.id))
            }
        })
    }

    /// Passages of documents whose cases have an attribute value that compares as asked.
    fn attribute_filter(&self, key: &str, op: Comparison, value: &str) -> Result<Box<dyn Query>> {
        let p = self.project;
        let def = p
            .attributes()
            .values()
            .find(|a| a.name.to_lowercase() == key.to_lowercase())
            .ok_or_else(|| Error::query(format!("no attribute named '{key}'")))?;
        let wanted = def
            .kind
            .parse_value(value)
            .map_err(|e| Error::query(format!("attr:{key}: {e}")))?;
        let docs: BTreeSet<DocumentId> = p
            .cases()
            .values()
            .filter(|c| {
                c.attributes
                    .get(&def.name)
                    .is_some_and(|v| compare(v, op, &wanted))
            })
            .flat_map(|c| c.documents.iter().copied())
            .collect();
        Ok(self.doc_set(docs))
    }

    /// Passages overlapping a coding of the code or one of its sub-codes.
    fn code_filter(&self, name: &str) -> Result<Box<dyn Query>> {
        let p = self.project;
        let code = p
            .find_code(name)
            .ok_or_else(|| Error::query(format!("no code named '{name}'")))?;
        let codes = p.descendants(code.id);
        Ok(self.units_of(
            p.codings()
                .values()
                .filter(|c| codes.contains(&c.code) && self.coders.contains(c.coder)),
        ))
    }

    /// The passages (index units) these codings overlap: per coded document, its `doc` term AND the `start` of
    /// each passage a coding overlaps (no per-passage key term in the index).
    fn units_of<'c>(
        &self,
        codings: impl Iterator<Item = &'c crate::model::Coding>,
    ) -> Box<dyn Query> {
        let p = self.project;
        let f = &self.index.fields;
        let mut starts: std::collections::BTreeMap<DocumentId, BTreeSet<u64>> = Default::default();
        let mut units_cache: HashMap<DocumentId, Vec<CharRange>> = HashMap::new();
        for coding in codings {
            let Some(doc) = p.documents().get(&coding.document) else {
                continue;
            };
            let units = units_cache
                .entry(doc.id)
                .or_insert_with(|| doc.units().iter().map(|u| u.range).collect());
            let first = units.partition_point(|u| u.end <= coding.range.start);
            let overlapped = units[first..]
                .iter()
                .take_while(|u| u.start < coding.range.end)
                .map(|u| u.start as u64);
            starts.entry(doc.id).or_default().extend(overlapped);
        }
        let clauses: Vec<(Occur, Box<dyn Query>)> = starts
            .into_iter()
            .filter(|(_, set)| !set.is_empty())
            .map(|(doc, set)| {
                let doc_term = Term::from_field_text(f.doc, &doc.to_string());
                let passages =
                    TermSetQuery::new(set.into_iter().map(|s| Term::from_field_u64(f.start, s)));
                let both: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
                    (
                        Occur::Must,
                        Box::new(TermQuery::new(doc_term, IndexRecordOption::Basic))
                            as Box<dyn Query>,
                    ),
                    (Occur::Must, Box::new(passages)),
                ]));
                (Occur::Should, both)
            })
            .collect();
        if clauses.is_empty() {
            Box::new(EmptyQuery)
        } else {
            Box::new(BooleanQuery::new(clauses))
        }
    }
}

/// Passages any of `queries` matches (none when there are none).
fn any_of(mut queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    match queries.len() {
        0 => Box::new(EmptyQuery),
        1 => queries.remove(0),
        _ => Box::new(BooleanQuery::new(
            queries.into_iter().map(|q| (Occur::Should, q)).collect(),
        )),
    }
}

/// Phrases with more combinations of word forms than this are matched as one phrase of alternatives.
const MAX_PHRASE_COMBINATIONS: usize = 64;

/// How many phrases the forms of each position make.
fn combinations(positions: &[Vec<String>]) -> usize {
    positions
        .iter()
        .fold(1usize, |n, words| n.saturating_mul(words.len()))
}

/// Passages holding, at consecutive positions, one of the words listed for each position.
fn words_query(field: tantivy::schema::Field, positions: &[Vec<String>]) -> Box<dyn Query> {
    let term_query = |word: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, word),
            IndexRecordOption::WithFreqs,
        ))
    };
    match positions {
        [] => Box::new(EmptyQuery),
        [words] if words.len() == 1 => term_query(&words[0]),
        [words] => any_of(words.iter().map(|w| term_query(w)).collect()),
        _ if positions.iter().all(|words| words.len() == 1) => Box::new(PhraseQuery::new(
            positions
                .iter()
                .map(|words| Term::from_field_text(field, &words[0]))
                .collect(),
        )),
        // A phrase query per combination of forms, while there are few: each intersects its posting lists
        // lazily, where a phrase of alternatives loads every posting of every form.
        _ if combinations(positions) <= MAX_PHRASE_COMBINATIONS => {
            let mut phrases: Vec<Vec<&String>> = vec![Vec::new()];
            for words in positions {
                phrases = phrases
                    .into_iter()
                    .flat_map(|phrase| {
                        words.iter().map(move |word| {
                            let mut longer = phrase.clone();
                            longer.push(word);
                            longer
                        })
                    })
                    .collect();
            }
            any_of(
                phrases
                    .into_iter()
                    .map(|phrase| {
                        let terms = phrase
                            .into_iter()
                            .map(|word| Term::from_field_text(field, word))
                            .collect();
                        Box::new(PhraseQuery::new(terms)) as Box<dyn Query>
                    })
                    .collect(),
            )
        }
        // Words are letters and digits only: they need no escaping in a pattern.
        _ => Box::new(RegexPhraseQuery::new(
            field,
            positions
                .iter()
                .map(|words| format!("({})", words.join("|")))
                .collect(),
        )),
    }
}

/// Compares an attribute value with a wanted value (text case-insensitively; numbers and dates by order).
fn compare(value: &AttributeValue, op: Comparison, wanted: &AttributeValue) -> bool {
    use std::cmp::Ordering;
    let order = match (value, wanted) {
        (AttributeValue::Integer(a), AttributeValue::Integer(b)) => Some(a.cmp(b)),
        (AttributeValue::Number(a), AttributeValue::Number(b)) => a.partial_cmp(b),
        (AttributeValue::Boolean(a), AttributeValue::Boolean(b)) => Some(a.cmp(b)),
        (AttributeValue::Date(a), AttributeValue::Date(b)) => Some(a.cmp(b)),
        (AttributeValue::Text(a), AttributeValue::Text(b)) => Some(crate::collate::compare(
            &a.to_lowercase(),
            &b.to_lowercase(),
        )),
        _ => None,
    };
    let Some(order) = order else { return false };
    match op {
        Comparison::Eq => order == Ordering::Equal,
        Comparison::Ne => order != Ordering::Equal,
        Comparison::Lt => order == Ordering::Less,
        Comparison::Le => order != Ordering::Greater,
        Comparison::Gt => order == Ordering::Greater,
        Comparison::Ge => order != Ordering::Less,
    }
}

/// Scans the texts with a regular expression (case-insensitive unless `case_sensitive`), optionally restricted
/// to the passages a filter query (`code:…`, `case:…`, words) matches. One hit per passage, in document order.
pub fn regex_search(
    index: &SearchIndex,
    project: &Project,
    pattern: &str,
    within: Option<&str>,
    case_sensitive: bool,
    limit: Option<usize>,
) -> Result<SearchResults> {
    let regex = regex::RegexBuilder::new(pattern)
        .case_insensitive(!case_sensitive)
        .size_limit(50 * 1024 * 1024)
        .build()
        .map_err(|e| Error::query(format!("invalid regular expression: {e}")))?;
    let allowed: Option<BTreeSet<(DocumentId, usize)>> = match within {
        Some(q) if !q.trim().is_empty() => Some(
            search(index, project, q, None)?
                .hits
                .iter()
                .map(|h| (h.document, h.passage.start))
                .collect(),
        ),
        _ => None,
    };
    let limit = limit.unwrap_or(usize::MAX);
    let mut results = SearchResults::default();
    for doc in project.documents_sorted() {
        // Read without keeping it: a scan of every text must not leave the corpus in memory.
        let text = project.text_transient(doc.id);
        let text = &*text;
        let map = OffsetMap::new(text);
        let units: Vec<CharRange> = doc.units().iter().map(|u| u.range).collect();
        let mut per_unit: Vec<(CharRange, Vec<CharRange>)> = Vec::new();
        for m in regex.find_iter(text) {
            if m.start() == m.end() {
                continue;
            }
            let Some(range) = map.char_range(text, m.start()..m.end()) else {
                continue;
            };
            let index = units.partition_point(|u| u.end <= range.start);
            let unit = units
                .get(index)
                .copied()
                .filter(|u| u.start <= range.start)
                .unwrap_or(range);
            if allowed
                .as_ref()
                .is_some_and(|a| !a.contains(&(doc.id, unit.start)))
            {
                continue;
            }
            match per_unit.last_mut() {
                Some((u, ms)) if *u == unit => ms.push(range),
                _ => per_unit.push((unit, vec![range])),
            }
        }
        for (unit, matches) in per_unit {
            results.total += 1;
            if results.hits.len() < limit
                && let Some(hit) = regex_hit(doc, text, unit, matches)
            {
                results.hits.push(hit);
            }
        }
    }
    Ok(results)
}

/// A regex hit: one passage with every match in it.
fn regex_hit(
    doc: &crate::model::Document,
    text: &str,
    unit: CharRange,
    matches: Vec<CharRange>,
) -> Option<Hit> {
    let passage_text = slice(text, unit)?;
    let relative: Vec<CharRange> = matches
        .iter()
        .map(|m| CharRange::new(m.start - unit.start, m.end.min(unit.end) - unit.start))
        .collect();
    let turn = doc
        .turn_at(unit.start)
        .filter(|t| t.range.start == unit.start);
    Some(Hit {
        document: doc.id,
        document_name: doc.name.clone(),
        passage: unit,
        speaker: turn.map(|t| t.speaker.clone()),
        timestamp: turn.and_then(|t| t.timestamp.clone()),
        score: 1.0,
        matches,
        snippet: snippet(passage_text, &relative, SNIPPET_WIDTH),
    })
}
