//! Coding queries: `A AND B`, `A OR B`, `A NOT B`, `A NEAR B` over codes, restricted by case, attribute,
//! speaker and coder and combinable with a text query; the result is a set of passages that can be listed,
//! exported, or saved as a new code in one undoable edit.
//!
//! Semantics, on the coded text of each operand (its codings merged, sub-codes included by default):
//! - `A AND B`: the characters coded with both (the overlapping part), not the union.
//! - `A OR B`: the characters coded with either, overlapping passages merged.
//! - `A NOT B`: the passages of A that do not overlap B at all (whole passages, not fragments).
//! - `A NEAR B`: for every passage of A within N characters of (or in the same turn as) a passage of B, the
//!   stretch from the start of the first to the end of the last; overlapping stretches merged.
//!
//! `AND`, `NOT` and `NEAR` bind tighter than `OR`; operators are written in capitals (code names may contain
//! "and"); parentheses group; a code is named by path or unique name, quoted or bare (`Barriers/Pandemic`).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::regions::{Regions, gap, hull, merge};
use super::scope::Scope;
use super::table::{Cell, Table};
use crate::edit::Edit;
use crate::error::{Error, Result};
use crate::ids::{CodeId, CodingId, DocumentId};
use crate::index::{SearchIndex, speaker_keys};
use crate::model::Project;
use crate::offsets::{CharRange, slice};

/// How close `NEAR` operands must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Near {
    /// At most this many characters between them.
    Chars(usize),
    /// In the same speaker turn (or the same paragraph outside turns).
    Turn,
}

impl Default for Near {
    fn default() -> Self {
        Self::Chars(200)
    }
}

impl Near {
    /// Parses a number of characters or `turn`.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim().to_lowercase();
        if text == "turn" || text == "same-turn" {
            return Some(Self::Turn);
        }
        text.parse().ok().map(Self::Chars)
    }
}

/// A coding-query expression (what a query builder produces without any syntax).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QueryExpr {
    /// The text coded with this code (and its sub-codes when the query includes them).
    Code(CodeId),
    /// The characters coded with both operands: the overlapping parts only.
    And(Box<QueryExpr>, Box<QueryExpr>),
    /// The characters coded with either operand, overlapping passages merged.
    Or(Box<QueryExpr>, Box<QueryExpr>),
    /// The passages of the first operand that do not overlap the second at all.
    Not(Box<QueryExpr>, Box<QueryExpr>),
    /// The stretches joining a passage of the first operand to a passage of the second close enough to it.
    Near(Box<QueryExpr>, Box<QueryExpr>, Near),
}

impl QueryExpr {
    /// Writes the expression back as query text with code paths.
    pub fn describe(&self, project: &Project) -> String {
        let side = |e: &QueryExpr| match e {
            QueryExpr::Code(_) => e.describe(project),
            _ => format!("({})", e.describe(project)),
        };
        match self {
            QueryExpr::Code(id) => format!("\"{}\"", project.code_path(*id)),
            QueryExpr::And(a, b) => format!("{} AND {}", side(a), side(b)),
            QueryExpr::Or(a, b) => format!("{} OR {}", side(a), side(b)),
            QueryExpr::Not(a, b) => format!("{} NOT {}", side(a), side(b)),
            QueryExpr::Near(a, b, Near::Chars(n)) => {
                format!("{} NEAR/{n} {}", side(a), side(b))
            }
            QueryExpr::Near(a, b, Near::Turn) => format!("{} NEAR/turn {}", side(a), side(b)),
        }
    }

    fn codes(&self, out: &mut Vec<CodeId>) {
        match self {
            QueryExpr::Code(id) => out.push(*id),
            QueryExpr::And(a, b)
            | QueryExpr::Or(a, b)
            | QueryExpr::Not(a, b)
            | QueryExpr::Near(a, b, _) => {
                a.codes(out);
                b.codes(out);
            }
        }
    }
}

/// A coding query with its restrictions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodingQuery {
    /// The combination of codes to evaluate.
    pub expr: QueryExpr,
    /// A code also stands for its sub-codes (default true).
    pub include_subcodes: bool,
    /// Cases, attributes, documents and coders the codings must come from.
    pub scope: Scope,
    /// Keep only what these speakers say (the result is clipped to their turns); matched like `speaker:`.
    pub speaker: Option<String>,
    /// Keep only passages that overlap a passage this text query (the search language) finds.
    pub text: Option<String>,
}

impl CodingQuery {
    /// A query for `expr` with no restrictions, sub-codes included.
    pub fn new(expr: QueryExpr) -> Self {
        Self {
            expr,
            include_subcodes: true,
            scope: Scope::default(),
            speaker: None,
            text: None,
        }
    }
}

/// One passage of a result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Passage {
    /// The document the passage lies in.
    pub document: DocumentId,
    /// The document's name, for display.
    pub document_name: String,
    /// The passage, in code points of the document text.
    pub range: CharRange,
    /// The passage's text.
    pub text: String,
    /// The speaker of the turn the passage starts in.
    pub speaker: Option<String>,
    /// The names of the cases the document belongs to.
    pub cases: Vec<String>,
    /// The codings of the query's codes that overlap the passage (traceability).
    pub codings: Vec<CodingId>,
}

/// The passages a coding query found, by document name then position.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct QueryResult {
    /// The query written back as text, with code paths.
    pub description: String,
    /// The passages found, by document name and then position.
    pub passages: Vec<Passage>,
    /// Code points covered.
    pub characters: usize,
    /// The number of documents with at least one passage.
    pub documents: usize,
}

/// Parses query text (`"A" AND "B"`, `A NEAR/50 B`, parentheses) against a project's codes.
pub fn parse_query(project: &Project, text: &str, near: Near) -> Result<QueryExpr> {
    let tokens = tokenize(text)?;
    let mut parser = Parser {
        tokens,
        pos: 0,
        project,
        near,
    };
    let expr = parser.or()?;
    if parser.pos < parser.tokens.len() {
        return Err(Error::query(format!(
            "unexpected '{}' in coding query",
            parser.tokens[parser.pos].text()
        )));
    }
    Ok(expr)
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Open,
    Close,
    And,
    Or,
    Not,
    Near(Option<Near>),
    Name(String),
}

impl Token {
    fn text(&self) -> String {
        match self {
            Token::Open => "(".into(),
            Token::Close => ")".into(),
            Token::And => "AND".into(),
            Token::Or => "OR".into(),
            Token::Not => "NOT".into(),
            Token::Near(_) => "NEAR".into(),
            Token::Name(n) => n.clone(),
        }
    }
}

fn tokenize(input: &str) -> Result<Vec<Token>> {
    let chars: Vec<char> = input.chars().collect();
    let mut tokens = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let flush = |words: &mut Vec<String>, tokens: &mut Vec<Token>| {
        if !words.is_empty() {
            tokens.push(Token::Name(words.join(" ")));
            words.clear();
        }
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' || c == ')' {
            flush(&mut words, &mut tokens);
            tokens.push(if c == '(' { Token::Open } else { Token::Close });
            i += 1;
        } else if c == '"' {
            flush(&mut words, &mut tokens);
            let end = chars[i + 1..]
                .iter()
                .position(|c| *c == '"')
                .ok_or_else(|| Error::query("a quotation mark is not closed"))?;
            tokens.push(Token::Name(chars[i + 1..i + 1 + end].iter().collect()));
            i += end + 2;
        } else {
            let start = i;
            while i < chars.len() && !chars[i].is_whitespace() && !"()\"".contains(chars[i]) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let operator = match word.as_str() {
                "AND" | "&" => Some(Token::And),
                "OR" | "|" => Some(Token::Or),
                "NOT" => Some(Token::Not),
                "NEAR" => Some(Token::Near(None)),
                other => match other.strip_prefix("NEAR/") {
                    Some(arg) => Some(Token::Near(Some(Near::parse(arg).ok_or_else(|| {
                        Error::query(format!("NEAR/{arg}: give a number of characters or 'turn'"))
                    })?))),
                    None => None,
                },
            };
            match operator {
                Some(op) => {
                    flush(&mut words, &mut tokens);
                    tokens.push(op);
                }
                None => words.push(word),
            }
        }
    }
    flush(&mut words, &mut tokens);
    Ok(tokens)
}

struct Parser<'a> {
    tokens: Vec<Token>,
    pos: usize,
    project: &'a Project,
    near: Near,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn or(&mut self) -> Result<QueryExpr> {
        let mut left = self.and()?;
        while self.peek() == Some(&Token::Or) {
            self.pos += 1;
            let right = self.and()?;
            left = QueryExpr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<QueryExpr> {
        let mut left = self.atom()?;
        while let Some(token) = self.peek().cloned() {
            let op = match token {
                Token::And => {
                    self.pos += 1;
                    if self.peek() == Some(&Token::Not) {
                        self.pos += 1;
                        Token::Not
                    } else {
                        Token::And
                    }
                }
                Token::Not | Token::Near(_) => {
                    self.pos += 1;
                    token
                }
                _ => break,
            };
            let right = Box::new(self.atom()?);
            let l = Box::new(left);
            left = match op {
                Token::And => QueryExpr::And(l, right),
                Token::Not => QueryExpr::Not(l, right),
                Token::Near(n) => QueryExpr::Near(l, right, n.unwrap_or(self.near)),
                _ => return Err(Error::query("unexpected operator")),
            };
        }
        Ok(left)
    }

    fn atom(&mut self) -> Result<QueryExpr> {
        let token = self
            .peek()
            .cloned()
            .ok_or_else(|| Error::query("the coding query ends too early: name a code"))?;
        self.pos += 1;
        match token {
            Token::Open => {
                let inner = self.or()?;
                if self.peek() != Some(&Token::Close) {
                    return Err(Error::query("a parenthesis is not closed"));
                }
                self.pos += 1;
                Ok(inner)
            }
            Token::Name(name) => {
                let code = self.project.find_code(&name).ok_or_else(|| {
                    Error::query(format!("no code named '{name}' in the codebook"))
                })?;
                Ok(QueryExpr::Code(code.id))
            }
            other => Err(Error::query(format!(
                "expected a code name, found '{}'",
                other.text()
            ))),
        }
    }
}

/// Runs a coding query. `index` is needed only when the query has a text filter.
pub fn run_query(
    project: &Project,
    index: Option<&SearchIndex>,
    query: &CodingQuery,
) -> Result<QueryResult> {
    let scope = query.scope.resolve(project)?;
    let mut result = evaluate(project, query, &scope, &query.expr);
    if let Some(speaker) = query.speaker.as_deref().filter(|s| !s.trim().is_empty()) {
        let key = speaker.trim().to_lowercase();
        let turns = Regions::from_ranges(project.documents().values().flat_map(|doc| {
            doc.turns
                .iter()
                .filter(|t| speaker_keys(&t.speaker).contains(&key))
                .map(move |t| (doc.id, t.range))
        }));
        result = result.intersection(&turns);
    }
    if let Some(text) = query.text.as_deref().filter(|t| !t.trim().is_empty()) {
        let index = index.ok_or_else(|| {
            Error::query("a text filter needs the search index; open the project's index")
        })?;
        let hits = crate::query::search(index, project, text, None)?;
        let found = Regions::from_ranges(hits.hits.iter().map(|h| (h.document, h.passage)));
        result = result.touching(&found);
    }
    let mut leaf_codes = Vec::new();
    query.expr.codes(&mut leaf_codes);
    let counted = counted_codes(project, &leaf_codes, query.include_subcodes);
    let mut passages = Vec::with_capacity(result.len());
    for (doc_id, range) in result.iter() {
        let Some(doc) = project.documents().get(&doc_id) else {
            continue;
        };
        let codings = project
            .codings()
            .values()
            .filter(|c| {
                c.document == doc_id
                    && counted.contains(&c.code)
                    && scope.has_coder(c.coder)
                    && c.range.overlaps(&range)
            })
            .map(|c| c.id)
            .collect();
        passages.push(Passage {
            document: doc_id,
            document_name: doc.name.clone(),
            range,
            text: slice(project.text(doc_id), range).unwrap_or("").to_string(),
            speaker: doc.turn_at(range.start).map(|t| t.speaker.clone()),
            cases: project
                .cases_of(doc_id)
                .iter()
                .map(|c| c.name.clone())
                .collect(),
            codings,
        });
    }
    passages.sort_by(|a, b| {
        crate::collate::compare(&a.document_name, &b.document_name)
            .then_with(|| a.range.start.cmp(&b.range.start))
    });
    Ok(QueryResult {
        description: query.expr.describe(project),
        characters: result.chars(),
        documents: result.0.len(),
        passages,
    })
}

fn counted_codes(project: &Project, codes: &[CodeId], include_subcodes: bool) -> BTreeSet<CodeId> {
    codes
        .iter()
        .flat_map(|c| {
            if include_subcodes {
                project.descendants(*c)
            } else {
                BTreeSet::from([*c])
            }
        })
        .collect()
}

fn evaluate(
    project: &Project,
    query: &CodingQuery,
    scope: &super::scope::Resolved,
    expr: &QueryExpr,
) -> Regions {
    match expr {
        QueryExpr::Code(id) => {
            let codes = counted_codes(project, &[*id], query.include_subcodes);
            scope.coded_text(project, &codes)
        }
        QueryExpr::And(a, b) => {
            evaluate(project, query, scope, a).intersection(&evaluate(project, query, scope, b))
        }
        QueryExpr::Or(a, b) => {
            evaluate(project, query, scope, a).union(&evaluate(project, query, scope, b))
        }
        QueryExpr::Not(a, b) => {
            evaluate(project, query, scope, a).without(&evaluate(project, query, scope, b))
        }
        QueryExpr::Near(a, b, near) => {
            let left = evaluate(project, query, scope, a);
            let right = evaluate(project, query, scope, b);
            near_regions(project, &left, &right, *near)
        }
    }
}

fn near_regions(project: &Project, left: &Regions, right: &Regions, near: Near) -> Regions {
    let mut out = Vec::new();
    for (doc_id, a_list) in &left.0 {
        let Some(b_list) = right.0.get(doc_id) else {
            continue;
        };
        let units: Vec<CharRange> = match near {
            Near::Turn => project
                .documents()
                .get(doc_id)
                .map(|d| d.units().iter().map(|u| u.range).collect())
                .unwrap_or_default(),
            Near::Chars(_) => Vec::new(),
        };
        let units_of = |r: &CharRange| -> Vec<usize> {
            let first = units.partition_point(|u| u.end <= r.start);
            (first..units.len())
                .take_while(|&i| units[i].start < r.end)
                .collect()
        };
        for a in a_list {
            let a_units = units_of(a);
            for b in b_list {
                let close = match near {
                    Near::Chars(n) => gap(a, b) <= n,
                    Near::Turn => units_of(b).iter().any(|u| a_units.contains(u)),
                };
                if close {
                    out.push((*doc_id, hull(a, b)));
                }
            }
        }
    }
    let mut regions = Regions::default();
    for (doc, range) in out {
        regions.0.entry(doc).or_default().push(range);
    }
    for ranges in regions.0.values_mut() {
        *ranges = merge(std::mem::take(ranges));
    }
    regions
}

impl QueryResult {
    /// The passages as a table (document, position, speaker, cases, text).
    pub fn to_table(&self) -> Table {
        let header = ["Document", "Start", "End", "Speaker", "Cases", "Text"]
            .map(String::from)
            .to_vec();
        let mut table = Table::new("Coding query", header);
        for p in &self.passages {
            table.rows.push(vec![
                Cell::Text(p.document_name.clone()),
                Cell::Count(p.range.start as u64),
                Cell::Count(p.range.end as u64),
                p.speaker.clone().map_or(Cell::Empty, Cell::Text),
                Cell::Text(p.cases.join("; ")),
                Cell::Text(p.text.clone()),
            ]);
        }
        table
    }
}

/// One undoable edit that saves a result as codings of a code (created with missing parents if needed) by a
/// coder (created if needed). Passages the coder already coded with that code are skipped.
pub fn save_as_code(
    project: &Project,
    result: &QueryResult,
    code_path: &str,
    coder: &str,
) -> Result<Edit> {
    if coder.trim().is_empty() {
        return Err(Error::query("name the coder who saves the result"));
    }
    let passages: Vec<(DocumentId, CharRange)> = result
        .passages
        .iter()
        .filter(|p| !p.range.is_empty())
        .map(|p| (p.document, p.range))
        .collect();
    let coded = crate::ops::code_with(
        project,
        crate::ops::CodeChoice::Path(code_path),
        &passages,
        coder,
        None,
    )?;
    let name = code_path.trim().trim_matches(crate::model::PATH_SEPARATOR);
    let added = coded.codings.len();
    Ok(match coded.edit {
        Edit::Batch { edits, .. } => Edit::Batch {
            label: format!("save query result as code '{name}' ({added} passages)"),
            edits,
        },
        other => other,
    })
}
