//! One path for every meaning feature: [`Meaning`] owns the loaded model and the project's current vectors, and
//! runs meaning search (the query language's `~"…"` terms, or a whole query by meaning), "more like this" and
//! code suggestions. The command line and the workbench both go through it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crate::coders::CoderSelection;
use crate::error::{Error, Result};
use crate::ids::{CodeId, CodingId, DocumentId};
use crate::index::SearchIndex;
use crate::model::Project;
use crate::offsets::{CharRange, slice};
use crate::query::parse::{self, Expr};
use crate::query::{self, SearchResults};

use super::search::{UnitKey, fused_search, range_vector, similar};
use super::vectors::{self, BuildReport, Progress, VectorSet};
use super::{EmbedError, Embedder, Kind, fetch};

/// Keyword hits that take part in a fusion.
pub const KEYWORD_CANDIDATES: usize = 100;

/// The loaded model and a project's vectors as they were when last loaded or built.
#[derive(Clone, Debug)]
pub struct Meaning {
    embedder: Arc<Embedder>,
    dir: PathBuf,
    vectors: VectorSet,
}

/// Loads the installed model (checking its hash), or says how to get it.
pub fn load_embedder() -> std::result::Result<Arc<Embedder>, EmbedError> {
    let path = fetch::require_model()?;
    Ok(Arc::new(Embedder::load(&path)?))
}

/// The units a query accepts (`None`: an empty or missing query, which accepts every unit).
pub fn allowed_units(
    index: &SearchIndex,
    project: &Project,
    within: Option<&str>,
) -> Result<Option<BTreeSet<UnitKey>>> {
    Ok(match within {
        Some(q) if !q.trim().is_empty() => Some(keys(&query::search(index, project, q, None)?)),
        _ => None,
    })
}

fn keys(results: &SearchResults) -> BTreeSet<UnitKey> {
    results
        .hits
        .iter()
        .map(|h| (h.document, h.passage.start))
        .collect()
}

fn intersect(
    a: Option<BTreeSet<UnitKey>>,
    b: Option<BTreeSet<UnitKey>>,
) -> Option<BTreeSet<UnitKey>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.intersection(&b).copied().collect()),
        (a, None) => a,
        (None, b) => b,
    }
}

/// True when a query has a meaning term (`~"…"`); a query that does not parse has none.
pub fn has_meaning_term(query: &str) -> bool {
    parse::parse(query).is_ok_and(|e| e.has_meaning())
}

impl Meaning {
    /// Loads the model and the vectors of the project in `root` as they are (see [`Meaning::missing`]).
    pub fn open(root: &Path, project: &Project) -> std::result::Result<Self, EmbedError> {
        Ok(Self::with_embedder(load_embedder()?, root, project))
    }

    /// The vectors of the project in `root` with an already loaded model.
    pub fn with_embedder(embedder: Arc<Embedder>, root: &Path, project: &Project) -> Self {
        let dir = vectors::store_dir(root);
        let vectors = VectorSet::load(&dir, project);
        Self {
            embedder,
            dir,
            vectors,
        }
    }

    /// Brings the vectors of the project in `root` up to date (only new or changed documents are embedded;
    /// `cancel` stops between batches, keeping what is done) and loads them.
    pub fn build(
        embedder: Arc<Embedder>,
        root: &Path,
        project: &Project,
        progress: &mut dyn FnMut(&Progress),
        cancel: &AtomicBool,
    ) -> std::result::Result<(Self, BuildReport), EmbedError> {
        let mut meaning = Self {
            embedder,
            dir: vectors::store_dir(root),
            vectors: VectorSet::default(),
        };
        let report = meaning.update(project, progress, cancel)?;
        Ok((meaning, report))
    }

    /// Brings the vectors up to date with `project` and reloads them.
    pub fn update(
        &mut self,
        project: &Project,
        progress: &mut dyn FnMut(&Progress),
        cancel: &AtomicBool,
    ) -> std::result::Result<BuildReport, EmbedError> {
        let report = vectors::build(&self.dir, project, &self.embedder, progress, cancel)?;
        self.vectors = VectorSet::load(&self.dir, project);
        Ok(report)
    }

    /// The loaded model.
    pub fn embedder(&self) -> &Arc<Embedder> {
        &self.embedder
    }

    /// The loaded vectors.
    pub fn vectors(&self) -> &VectorSet {
        &self.vectors
    }

    /// Documents whose vectors were missing or stale when loaded.
    pub fn missing(&self) -> usize {
        self.vectors.missing
    }

    /// True when the loaded vectors are those of exactly `project`'s documents as they are now.
    pub fn is_current(&self, project: &Project) -> bool {
        self.vectors.missing == 0 && self.vectors.matches(project)
    }

    /// Runs a query of the query language. Its meaning terms (`~"…"`) rank, by vector similarity, the passages
    /// the rest of the query allows, fused (reciprocal rank fusion) with the keyword ranking when the rest has
    /// words; a query without meaning terms is a keyword search. At most `limit` hits.
    pub fn search(
        &self,
        index: &SearchIndex,
        project: &Project,
        query: &str,
        limit: usize,
    ) -> Result<SearchResults> {
        self.search_as(index, project, query, limit, &CoderSelection::All)
    }

    /// [`Meaning::search`] seeing only the codings of `coders` in its `code:` and `coder:` filters (the
    /// workbench passes the layers it shows, so blind mode holds here too).
    pub fn search_as(
        &self,
        index: &SearchIndex,
        project: &Project,
        query: &str,
        limit: usize,
        coders: &CoderSelection,
    ) -> Result<SearchResults> {
        let expr = parse::parse(query)?;
        if !expr.has_meaning() {
            return query::search_expr(index, project, &expr, Some(limit), coders);
        }
        let split = parse::split_meaning(&expr)?;
        let rest = match &split.rest {
            Some(rest) => Some(query::search_expr(index, project, rest, None, coders)?),
            None => None,
        };
        let allowed = rest.as_ref().map(keys);
        let keyword = rest.filter(|_| split.rest.as_ref().is_some_and(Expr::has_words));
        let texts: Vec<&str> = split.meaning.iter().map(String::as_str).collect();
        let query_vectors = self.embedder.embed(&texts, Kind::Query);
        Ok(fused_search(
            project,
            &self.vectors,
            &query_vectors,
            keyword.as_ref(),
            allowed.as_ref(),
            limit,
        ))
    }

    /// Runs a whole query by meaning (the workbench's "By meaning" switch, `search --meaning`): its words and
    /// meaning terms are embedded together and ranked by meaning among the passages its filters (and `within`)
    /// allow, fused with the query's keyword ranking.
    pub fn search_whole(
        &self,
        index: &SearchIndex,
        project: &Project,
        query: &str,
        within: Option<&str>,
        limit: usize,
    ) -> Result<SearchResults> {
        self.search_whole_as(index, project, query, within, limit, &CoderSelection::All)
    }

    /// [`Meaning::search_whole`] seeing only the codings of `coders` in the query's filters.
    pub fn search_whole_as(
        &self,
        index: &SearchIndex,
        project: &Project,
        query: &str,
        within: Option<&str>,
        limit: usize,
        coders: &CoderSelection,
    ) -> Result<SearchResults> {
        let expr = parse::parse(query)?;
        let text = expr.text_terms();
        if text.trim().is_empty() {
            return Err(Error::query(
                "a search by meaning needs words to look for, not only filters (e.g. ikkje nok folk speaker:Rektor)",
            ));
        }
        let filters = top_level_filters(&expr);
        let allowed = match filters {
            Some(f) => Some(keys(&query::search_expr(index, project, &f, None, coders)?)),
            None => None,
        };
        let allowed = intersect(allowed, allowed_units(index, project, within)?);
        // The keyword ranking of the same query without its meaning terms (best effort: a query whose words
        // find nothing, or which cannot run as keywords, still ranks by meaning).
        let keyword = parse::split_meaning(&expr)
            .ok()
            .and_then(|s| s.rest)
            .filter(Expr::has_words)
            .and_then(|rest| {
                query::search_expr(index, project, &rest, Some(KEYWORD_CANDIDATES), coders).ok()
            });
        let vector = self.embedder.embed_one(&text, Kind::Query);
        Ok(fused_search(
            project,
            &self.vectors,
            &[vector],
            keyword.as_ref(),
            allowed.as_ref(),
            limit,
        ))
    }

    /// The passages closest in meaning to a text, among `allowed` (`None`: all).
    pub fn similar_to_text(
        &self,
        project: &Project,
        text: &str,
        allowed: Option<&BTreeSet<UnitKey>>,
        limit: usize,
    ) -> SearchResults {
        let vector = self.embedder.embed_one(text, Kind::Passage);
        similar(project, &self.vectors, &vector, None, allowed, limit)
    }

    /// The passages closest in meaning to a range of a document (a selection, an excerpt), leaving out the
    /// passages it overlaps. The vectors of the passages it overlaps stand for it; a range with none is
    /// embedded on the spot.
    pub fn similar_to_range(
        &self,
        project: &Project,
        document: DocumentId,
        range: CharRange,
        allowed: Option<&BTreeSet<UnitKey>>,
        limit: usize,
    ) -> SearchResults {
        let vector = range_vector(&self.vectors, project, document, range).unwrap_or_else(|| {
            let text = project.text(document);
            let passage = slice(text, range).unwrap_or("");
            self.embedder.embed_one(passage, Kind::Passage)
        });
        similar(
            project,
            &self.vectors,
            &vector,
            Some((document, range)),
            allowed,
            limit,
        )
    }

    /// The passages closest in meaning to a coding's passage; `None` when the project has no such coding.
    pub fn similar_to_coding(
        &self,
        project: &Project,
        coding: CodingId,
        allowed: Option<&BTreeSet<UnitKey>>,
        limit: usize,
    ) -> Option<SearchResults> {
        let coding = project.codings().get(&coding)?;
        Some(self.similar_to_range(project, coding.document, coding.range, allowed, limit))
    }

    /// Passages not yet coded with `code` and not rejected for it, closest to its coded passages first (see
    /// [`super::search::suggest`]). Codes nothing.
    pub fn suggest(
        &self,
        project: &Project,
        code: CodeId,
        limit: usize,
    ) -> std::result::Result<SearchResults, EmbedError> {
        let rejected = project.rejected_suggestions(code);
        super::search::suggest(project, &self.vectors, code, &rejected, limit).ok_or_else(|| {
            EmbedError::TooFewCoded {
                code: project.code_path(code),
                needed: super::search::MIN_CODED_FOR_SUGGESTIONS,
            }
        })
    }
}

/// The filters ANDed at the top of a query (`speaker:`, `code:`, `NOT case:` …), as one expression.
fn top_level_filters(expr: &Expr) -> Option<Expr> {
    let is_filter = |e: &Expr| match e {
        Expr::Filter(_) => true,
        Expr::Not(inner) => matches!(**inner, Expr::Filter(_)),
        _ => false,
    };
    let mut filters: Vec<Expr> = match expr {
        Expr::And(items) => items.iter().filter(|e| is_filter(e)).cloned().collect(),
        other if is_filter(other) => vec![other.clone()],
        _ => Vec::new(),
    };
    match filters.len() {
        0 => None,
        1 => filters.pop(),
        _ => Some(Expr::And(filters)),
    }
}
