//! The query language: words, "phrases", prefix*, fuzzy~1, AND/OR/NOT (and `-word`), parentheses, and
//! filters `code:`, `case:`, `attr:key=value`, `speaker:`, `kind:`, `doc:`, `set:`. Words next to each other
//! must all match (AND).

/// A parsed query.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    Word(String),
    Phrase(String),
    Prefix(String),
    Fuzzy(String, u8),
    Filter(Filter),
}

/// A filter on where a passage is.
#[derive(Clone, Debug, PartialEq)]
pub enum Filter {
    Code(String),
    Case(String),
    Attr {
        key: String,
        op: Comparison,
        value: String,
    },
    Speaker(String),
    Kind(String),
    Doc(String),
    Set(String),
}

/// How an attribute is compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Open,
    Close,
    And,
    Or,
    Not,
    Minus,
    Atom(String, bool),
}

fn tokenize(input: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = input.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' {
            tokens.push(Token::Open);
            i += 1;
        } else if c == ')' {
            tokens.push(Token::Close);
            i += 1;
        } else if c == '-' && chars.get(i + 1).is_some_and(|n| !n.is_whitespace()) {
            tokens.push(Token::Minus);
            i += 1;
        } else {
            // An atom: runs to whitespace or a parenthesis, with "quoted" parts kept whole.
            let mut atom = String::new();
            let mut quoted = false;
            while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '(' && chars[i] != ')'
            {
                if chars[i] == '"' {
                    quoted = true;
                    i += 1;
                    let mut closed = false;
                    while i < chars.len() {
                        if chars[i] == '"' {
                            closed = true;
                            i += 1;
                            break;
                        }
                        atom.push(chars[i]);
                        i += 1;
                    }
                    if !closed {
                        return Err("a quotation mark is not closed".into());
                    }
                } else {
                    atom.push(chars[i]);
                    i += 1;
                }
            }
            let token = match (quoted, atom.as_str()) {
                (false, "AND" | "&&") => Token::And,
                (false, "OR" | "||") => Token::Or,
                (false, "NOT") => Token::Not,
                _ => Token::Atom(atom, quoted),
            };
            tokens.push(token);
        }
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

/// Parses a query string.
pub fn parse(input: &str) -> Result<Expr, String> {
    let tokens = tokenize(input)?;
    if tokens.is_empty() {
        return Err("the query is empty".into());
    }
    let mut parser = Parser { tokens, pos: 0 };
    let expr = parser.or()?;
    if parser.pos < parser.tokens.len() {
        return Err("unbalanced ')' in the query".into());
    }
    Ok(expr)
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn or(&mut self) -> Result<Expr, String> {
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

    fn and(&mut self) -> Result<Expr, String> {
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

    fn unary(&mut self) -> Result<Expr, String> {
        match self.peek() {
            Some(Token::Not) | Some(Token::Minus) => {
                self.pos += 1;
                Ok(Expr::Not(Box::new(self.unary()?)))
            }
            _ => self.primary(),
        }
    }

    fn primary(&mut self) -> Result<Expr, String> {
        let Some(token) = self.tokens.get(self.pos).cloned() else {
            return Err("the query ends too early".into());
        };
        self.pos += 1;
        match token {
            Token::Open => {
                let inner = self.or()?;
                if self.peek() != Some(&Token::Close) {
                    return Err("a '(' is not closed".into());
                }
                self.pos += 1;
                Ok(inner)
            }
            Token::Atom(text, quoted) => atom(&text, quoted),
            Token::Close => Err("unexpected ')'".into()),
            Token::And | Token::Or | Token::Not | Token::Minus => {
                Err("AND/OR/NOT needs a word on both sides".into())
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
        assert!(parse("\"open").expect_err("unclosed").contains("quotation"));
        assert!(parse("(a OR b").expect_err("unclosed").contains("'('"));
        assert!(parse("a)").is_err());
        assert!(
            parse("attr:group")
                .expect_err("no op")
                .contains("comparison")
        );
        assert!(parse("word~7").is_err());
        assert!(parse("code:").is_err());
    }
}
