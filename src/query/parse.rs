//! The query language: words, "phrases", prefix*, fuzzy~1, =exact, ~"meaning", AND/OR/NOT (and `-word`),
//! parentheses, and filters `code:`, `coder:`, `case:`, `attr:key=value`, `speaker:`, `kind:`, `doc:`, `set:`.
//! Words next to each must all match (AND).

use super::QueryError;

/// A parsed query.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// Passages that match every part (`a AND b`, or words side by side); a `NOT` part excludes.
    And(Vec<Expr>),
    /// Passages that match at least one part (`a OR b`).
    Or(Vec<Expr>),
    /// Passages that do not match (`NOT a`, `-a`).
    Not(Box<Expr>),
    /// A word, matched in any inflected form (both are stemmed).
    Word(String),
    /// Words in this order, side by side (`"felles mål"`), each matched in any inflected form.
    Phrase(String),
    /// Words starting with these letters (`ressurs*`), ignoring case but not stemmed.
    Prefix(String),
    /// Words within this many letter edits (at most 2) of the word (`lærer~1`), ignoring case.
    Fuzzy(String, u8),
    /// This exact word form (`=skole`), ignoring case: not stemmed, and no bokmål ⇄ nynorsk counterpart.
    Exact(String),
    /// A restriction on where the passage is (`code:`, `case:`, `attr:` and the like).
    Filter(Filter),
    /// Passages close in meaning to this text (`~"lack of staff"`, `~bemanning`): ranks, among the passages
    /// the rest of the query allows, by vector similarity (needs the model and the passage vectors).
    Meaning(String),
}

impl Expr {
    /// True when a meaning term (`~"…"`) occurs anywhere in the expression.
    pub fn has_meaning(&self) -> bool {
        match self {
            Expr::Meaning(_) => true,
            Expr::And(items) | Expr::Or(items) => items.iter().any(Expr::has_meaning),
            Expr::Not(inner) => inner.has_meaning(),
            _ => false,
        }
    }

    /// True when the expression has a word term (a word, phrase, prefix, fuzzy or exact form) outside a NOT:
    /// then its keyword ranking means something.
    pub fn has_words(&self) -> bool {
        match self {
            Expr::Word(_)
            | Expr::Phrase(_)
            | Expr::Prefix(_)
            | Expr::Fuzzy(..)
            | Expr::Exact(_) => true,
            Expr::And(items) | Expr::Or(items) => items.iter().any(Expr::has_words),
            Expr::Not(_) | Expr::Filter(_) | Expr::Meaning(_) => false,
        }
    }

    /// The words of the expression's word and meaning terms outside a NOT, in order, joined by spaces: what a
    /// search of the whole query by meaning embeds.
    pub fn text_terms(&self) -> String {
        fn walk(e: &Expr, out: &mut Vec<String>) {
            match e {
                Expr::Word(t)
                | Expr::Phrase(t)
                | Expr::Prefix(t)
                | Expr::Fuzzy(t, _)
                | Expr::Exact(t)
                | Expr::Meaning(t) => out.push(t.clone()),
                Expr::And(items) | Expr::Or(items) => items.iter().for_each(|i| walk(i, out)),
                Expr::Not(_) | Expr::Filter(_) => {}
            }
        }
        let mut out = Vec::new();
        walk(self, &mut out);
        out.join(" ")
    }
}

/// A query split for meaning search: its meaning terms and the rest of the query.
#[derive(Clone, Debug, PartialEq)]
pub struct MeaningSplit {
    /// The texts of the `~"…"` terms, in order.
    pub meaning: Vec<String>,
    /// Everything else (ANDed with the meaning terms), when there is anything else.
    pub rest: Option<Expr>,
}

/// Splits a parsed query into its meaning terms and the rest. Meaning terms rank passages, so they may only be
/// ANDed with the rest of the query: one inside OR or NOT is refused with an explanation.
pub fn split_meaning(expr: &Expr) -> Result<MeaningSplit, QueryError> {
    let items: Vec<&Expr> = match expr {
        Expr::And(items) => items.iter().collect(),
        other => vec![other],
    };
    let mut split = MeaningSplit {
        meaning: Vec::new(),
        rest: None,
    };
    let mut rest = Vec::new();
    for item in items {
        match item {
            Expr::Meaning(text) => split.meaning.push(text.clone()),
            other if other.has_meaning() => {
                return Err(QueryError::new(
                    "a meaning term ~\"…\" ranks passages, so it can only be combined with AND (not inside OR or NOT)",
                ));
            }
            other => rest.push(other.clone()),
        }
    }
    split.rest = match rest.len() {
        0 => None,
        1 => rest.pop(),
        _ => Some(Expr::And(rest)),
    };
    Ok(split)
}

/// A filter on where a passage is.
#[derive(Clone, Debug, PartialEq)]
pub enum Filter {
    /// `code:` — passages that overlap a coding of this code or any code below it (a path, name or id).
    Code(String),
    /// `case:` — passages in the documents of this case (a name or id).
    Case(String),
    /// `attr:` — passages in the documents of cases whose attribute compares true (`attr:pupils>=200`).
    Attr {
        /// The attribute's name, matched ignoring case.
        key: String,
        /// How the case's value is compared with `value`.
        op: Comparison,
        /// The value as written, parsed into the attribute's type when the query runs.
        value: String,
    },
    /// `speaker:` — turns whose speaker is named this, or has this as one word of the name, ignoring case.
    Speaker(String),
    /// `kind:` — passages in documents of this kind (`interview`, `observation`, `document`, `survey`).
    Kind(String),
    /// `doc:` — passages in this document (a name, file name or id).
    Doc(String),
    /// `set:` — passages in the documents of this set (a name or id).
    Set(String),
    /// `coder:` — passages that overlap a coding (of any code) by this coder (a name or id). With `code:` in
    /// the same query each filter holds for the passage on its own: `code:X coder:Y` is a passage coded with X
    /// (by anyone) that Y also coded.
    Coder(String),
}

/// How an attribute is compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    /// `=`: equal.
    Eq,
    /// `!=`: not equal.
    Ne,
    /// `<`: less than (earlier, for dates).
    Lt,
    /// `<=`: less than or equal.
    Le,
    /// `>`: greater than (later, for dates).
    Gt,
    /// `>=`: greater than or equal.
    Ge,
}

/// How deeply parentheses and NOT may nest: deeper queries are refused instead of overflowing the stack.
pub const MAX_DEPTH: usize = 64;

/// The longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 10_000;

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Open,
    Close,
    And,
    Or,
    Not,
    Minus,
    Atom(String, bool),
    /// `~"…"` or `~word`: a meaning term.
    Meaning(String),
}

/// Splits a query into tokens, each with the character position where it starts.
fn tokenize(input: &str) -> Result<Vec<(usize, Token)>, QueryError> {
    let chars: Vec<char> = input.chars().collect();
    if chars.len() > MAX_QUERY_CHARS {
        return Err(QueryError::new(format!(
            "the query is {} characters long; at most {MAX_QUERY_CHARS} are accepted",
            chars.len()
        )));
    }
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let token = if c == '(' {
            i += 1;
            Token::Open
        } else if c == ')' {
            i += 1;
            Token::Close
        } else if c == '-' && chars.get(i + 1).is_some_and(|n| !n.is_whitespace()) {
            i += 1;
            Token::Minus
        } else if c == '~' {
            i += 1;
            let (text, _) = read_atom(&chars, &mut i)?;
            if text.trim().is_empty() {
                return Err(QueryError::at(start, "'~' needs a text after it")
                    .expecting("~\"what the passages are about\""));
            }
            Token::Meaning(text.trim().to_string())
        } else {
            let (atom, quoted) = read_atom(&chars, &mut i)?;
            match (quoted, atom.as_str()) {
                (false, "AND" | "&&") => Token::And,
                (false, "OR" | "||") => Token::Or,
                (false, "NOT") => Token::Not,
                _ => Token::Atom(atom, quoted),
            }
        };
        tokens.push((start, token));
    }
    Ok(tokens)
}

/// An atom runs to whitespace or a parenthesis, with "quoted" parts kept whole.
fn read_atom(chars: &[char], i: &mut usize) -> Result<(String, bool), QueryError> {
    let mut atom = String::new();
    let mut quoted = false;
    while *i < chars.len() && !chars[*i].is_whitespace() && chars[*i] != '(' && chars[*i] != ')' {
        if chars[*i] != '"' {
            atom.push(chars[*i]);
            *i += 1;
            continue;
        }
        let open = *i;
        quoted = true;
        *i += 1;
        loop {
            match chars.get(*i) {
                None => {
                    return Err(QueryError::at(open, "a quotation mark is not closed")
                        .expecting("a closing '\"'"));
                }
                Some('"') => {
                    *i += 1;
                    break;
                }
                Some(c) => {
                    atom.push(*c);
                    *i += 1;
                }
            }
        }
    }
    Ok((atom, quoted))
}

struct Parser {
    tokens: Vec<(usize, Token)>,
    pos: usize,
    /// Where the query ends (for "ends too early").
    end: usize,
    depth: usize,
}

/// Parses a query string.
pub fn parse(input: &str) -> Result<Expr, QueryError> {
    let tokens = tokenize(input)?;
    if tokens.is_empty() {
        return Err(
            QueryError::new("the query is empty").expecting("a word, a \"phrase\" or a filter")
        );
    }
    let mut parser = Parser {
        tokens,
        pos: 0,
        end: input.chars().count(),
        depth: 0,
    };
    let expr = parser.or()?;
    if let Some((at, _)) = parser.tokens.get(parser.pos) {
        return Err(QueryError::at(*at, "unbalanced ')' in the query"));
    }
    Ok(expr)
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos).map(|(_, t)| t)
    }

    /// Where the next token starts (or the end of the query).
    fn here(&self) -> usize {
        self.tokens
            .get(self.pos)
            .map(|(at, _)| *at)
            .unwrap_or(self.end)
    }

    /// Enters one level of nesting; too deep a query is refused.
    fn descend(&mut self) -> Result<(), QueryError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(QueryError::at(
                self.here(),
                format!("the query nests parentheses or NOT more than {MAX_DEPTH} deep"),
            ));
        }
        Ok(())
    }

    fn or(&mut self) -> Result<Expr, QueryError> {
        let mut items = vec![self.and()?];
        while self.peek() == Some(&Token::Or) {
            self.pos += 1;
            items.push(self.and()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Expr::Or(items)
        })
    }

    fn and(&mut self) -> Result<Expr, QueryError> {
        let mut items = vec![self.unary()?];
        loop {
            match self.peek() {
                Some(Token::And) => {
                    self.pos += 1;
                    items.push(self.unary()?);
                }
                Some(Token::Or) | Some(Token::Close) | None => break,
                Some(_) => items.push(self.unary()?),
            }
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Expr::And(items)
        })
    }

    fn unary(&mut self) -> Result<Expr, QueryError> {
        match self.peek() {
            Some(Token::Not) | Some(Token::Minus) => {
                self.pos += 1;
                self.descend()?;
                let inner = self.unary()?;
                self.depth -= 1;
                Ok(Expr::Not(Box::new(inner)))
            }
            _ => self.primary(),
        }
    }

    fn primary(&mut self) -> Result<Expr, QueryError> {
        let at = self.here();
        let Some(token) = self.peek().cloned() else {
            return Err(QueryError::at(at, "the query ends too early").expecting("a word"));
        };
        self.pos += 1;
        match token {
            Token::Open => {
                self.descend()?;
                let inner = self.or()?;
                self.depth -= 1;
                if self.peek() != Some(&Token::Close) {
                    return Err(
                        QueryError::at(at, "a '(' is not closed").expecting("a closing ')'")
                    );
                }
                self.pos += 1;
                Ok(inner)
            }
            Token::Atom(text, quoted) => {
                atom(&text, quoted).map_err(|message| QueryError::at(at, message))
            }
            Token::Meaning(text) => Ok(Expr::Meaning(text)),
            Token::Close => Err(QueryError::at(at, "unexpected ')'").expecting("a word")),
            Token::And | Token::Or | Token::Not | Token::Minus => {
                Err(QueryError::at(at, "AND/OR/NOT needs a word on both sides").expecting("a word"))
            }
        }
    }
}

fn atom(text: &str, quoted: bool) -> Result<Expr, String> {
    if let Some((field, value)) = text.split_once(':') {
        let field_lower = field.to_lowercase();
        let filter = match field_lower.as_str() {
            "code" | "kode" => Some(Filter::Code(value.to_string())),
            "case" | "tilfelle" => Some(Filter::Case(value.to_string())),
            "speaker" | "taler" => Some(Filter::Speaker(value.to_string())),
            "kind" | "type" => Some(Filter::Kind(value.to_string())),
            "doc" | "document" => Some(Filter::Doc(value.to_string())),
            "set" => Some(Filter::Set(value.to_string())),
            "coder" | "kodar" => Some(Filter::Coder(value.to_string())),
            "attr" | "attribute" => Some(attribute(value)?),
            _ => None,
        };
        if let Some(filter) = filter {
            if value.trim().is_empty() {
                return Err(format!("'{field}:' needs a value"));
            }
            return Ok(Expr::Filter(filter));
        }
    }
    if let Some(exact) = text.strip_prefix('=') {
        let mut words: Vec<Expr> = exact
            .split_whitespace()
            .map(|w| Expr::Exact(w.to_string()))
            .collect();
        if words.len() > 1 {
            return Ok(Expr::And(words));
        }
        return words
            .pop()
            .ok_or_else(|| "'=' needs a word after it (=skole)".to_string());
    }
    if quoted {
        return Ok(Expr::Phrase(text.to_string()));
    }
    if let Some((word, distance)) = text.rsplit_once('~') {
        let distance = if distance.is_empty() {
            1
        } else {
            distance
                .parse::<u8>()
                .map_err(|_| format!("'~{distance}' is not a distance (use ~1 or ~2)"))?
        };
        if distance > 2 {
            return Err("fuzzy distance can be at most 2".into());
        }
        return Ok(Expr::Fuzzy(word.to_string(), distance));
    }
    if let Some(prefix) = text.strip_suffix('*') {
        if prefix.is_empty() {
            return Err("'*' needs the start of a word before it".into());
        }
        return Ok(Expr::Prefix(prefix.to_string()));
    }
    Ok(Expr::Word(text.to_string()))
}

fn attribute(value: &str) -> Result<Filter, String> {
    for (symbol, op) in [
        ("!=", Comparison::Ne),
        (">=", Comparison::Ge),
        ("<=", Comparison::Le),
        ("=", Comparison::Eq),
        (">", Comparison::Gt),
        ("<", Comparison::Lt),
    ] {
        if let Some((key, v)) = value.split_once(symbol) {
            if key.trim().is_empty() {
                return Err(format!("'attr:{value}' needs an attribute name"));
            }
            return Ok(Filter::Attr {
                key: key.trim().to_string(),
                op,
                value: v.trim().to_string(),
            });
        }
    }
    Err(format!(
        "'attr:{value}' needs a comparison, e.g. attr:municipality=Brattli"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Expr {
        Expr::Word(s.into())
    }

    #[test]
    fn an_equals_sign_asks_for_the_exact_form() {
        assert_eq!(parse("=skole").expect("parse"), Expr::Exact("skole".into()));
        assert_eq!(
            parse("=skule leiar").expect("parse"),
            Expr::And(vec![Expr::Exact("skule".into()), w("leiar")])
        );
        assert!(parse("=").is_err());
    }

    #[test]
    fn words_are_anded_and_or_binds_looser() {
        assert_eq!(
            parse("ressurs møte").expect("parse"),
            Expr::And(vec![w("ressurs"), w("møte")])
        );
        assert_eq!(
            parse("a b OR c").expect("parse"),
            Expr::Or(vec![Expr::And(vec![w("a"), w("b")]), w("c")])
        );
        assert_eq!(
            parse("a AND (b OR c)").expect("parse"),
            Expr::And(vec![w("a"), Expr::Or(vec![w("b"), w("c")])])
        );
    }

    #[test]
    fn phrases_prefixes_fuzzy_and_negation() {
        assert_eq!(
            parse("\"felles mål\" ressurs* lærer~1 NOT korona -pandemi").expect("parse"),
            Expr::And(vec![
                Expr::Phrase("felles mål".into()),
                Expr::Prefix("ressurs".into()),
                Expr::Fuzzy("lærer".into(), 1),
                Expr::Not(Box::new(w("korona"))),
                Expr::Not(Box::new(w("pandemi"))),
            ])
        );
    }

    #[test]
    fn filters_take_quoted_values() {
        assert_eq!(
            parse("code:\"Resource shortage\" case:\"Furulund skole\" attr:group=LOG speaker:Rektor kind:interview")
                .expect("parse"),
            Expr::And(vec![
                Expr::Filter(Filter::Code("Resource shortage".into())),
                Expr::Filter(Filter::Case("Furulund skole".into())),
                Expr::Filter(Filter::Attr { key: "group".into(), op: Comparison::Eq, value: "LOG".into() }),
                Expr::Filter(Filter::Speaker("Rektor".into())),
                Expr::Filter(Filter::Kind("interview".into())),
            ])
        );
        assert_eq!(
            parse("attr:pupils>=200").expect("parse"),
            Expr::Filter(Filter::Attr {
                key: "pupils".into(),
                op: Comparison::Ge,
                value: "200".into()
            })
        );
    }

    #[test]
    fn errors_are_explained() {
        assert!(parse("").is_err());
        let unclosed = parse("ab \"open").expect_err("unclosed");
        assert!(unclosed.message.contains("quotation"));
        assert_eq!(unclosed.position, Some(3));
        let paren = parse("(a OR b").expect_err("unclosed");
        assert!(paren.message.contains("'('"));
        assert_eq!(paren.expected, Some("a closing ')'"));
        assert_eq!(parse("a)").expect_err("unbalanced").position, Some(1));
        let no_op = parse("x attr:group").expect_err("no op");
        assert!(no_op.message.contains("comparison"));
        assert_eq!(no_op.position, Some(2));
        assert!(no_op.to_string().contains("at character 3"));
        assert!(parse("word~7").is_err());
        assert!(parse("code:").is_err());
    }

    #[test]
    fn a_tilde_before_a_text_is_a_meaning_term_that_ands_with_the_rest() {
        let expr = parse("~\"ikkje nok folk\" speaker:Rektor").expect("parse");
        assert_eq!(
            expr,
            Expr::And(vec![
                Expr::Meaning("ikkje nok folk".into()),
                Expr::Filter(Filter::Speaker("Rektor".into())),
            ])
        );
        assert!(expr.has_meaning());
        assert!(!expr.has_words());
        let split = split_meaning(&expr).expect("split");
        assert_eq!(split.meaning, vec!["ikkje nok folk".to_string()]);
        assert_eq!(
            split.rest,
            Some(Expr::Filter(Filter::Speaker("Rektor".into())))
        );
        assert_eq!(
            parse("~bemanning").expect("parse"),
            Expr::Meaning("bemanning".into())
        );
        let both = parse("~\"lack of staff\" AND code:Ressursar skule").expect("parse");
        let split = split_meaning(&both).expect("split");
        assert_eq!(split.meaning, vec!["lack of staff".to_string()]);
        assert_eq!(
            split.rest,
            Some(Expr::And(vec![
                Expr::Filter(Filter::Code("Ressursar".into())),
                w("skule"),
            ]))
        );
        assert!(both.has_words());
        assert_eq!(both.text_terms(), "lack of staff skule");
        // A fuzzy word keeps its meaning: the tilde only starts a meaning term at the front.
        assert_eq!(
            parse("lærer~1").expect("parse"),
            Expr::Fuzzy("lærer".into(), 1)
        );
    }

    #[test]
    fn a_meaning_term_inside_or_or_not_is_refused_with_a_reason() {
        let or = parse("~\"lack of staff\" OR budsjett").expect("parse");
        assert!(split_meaning(&or).expect_err("or").message.contains("AND"));
        let not = parse("skule NOT ~\"lack of staff\"").expect("parse");
        assert!(split_meaning(&not).is_err());
        let empty = parse("~\"\"").expect_err("empty");
        assert!(empty.message.contains("'~'"), "{empty}");
        assert!(parse("~ ").is_err());
    }

    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        let nots = "NOT ".repeat(1_000) + "ressurs";
        let error = parse(&nots).expect_err("too deep");
        assert!(error.message.contains("deep"), "{error}");
        let parens = "(".repeat(12_000) + "a" + &")".repeat(12_000);
        assert!(parse(&parens).is_err());
        let ok = "(".repeat(MAX_DEPTH) + "a" + &")".repeat(MAX_DEPTH);
        assert_eq!(parse(&ok).expect("within the limit"), w("a"));
        assert!(parse(&"a ".repeat(MAX_QUERY_CHARS)).is_err());
    }
}
