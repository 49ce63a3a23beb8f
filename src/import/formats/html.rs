//! HTML pages (.html/.htm): the visible text only; block elements become paragraphs, table rows one paragraph
//! each, scripts, styles and the head are dropped, entities decoded (the html5gum tokenizer).

use html5gum::{DefaultEmitter, Token, Tokenizer};

use super::{Block, Extracted, FormatError};

/// Elements whose content is never shown.
const HIDDEN: &[&str] = &[
    "script", "style", "head", "title", "template", "noscript", "iframe", "object", "svg", "math",
];

/// Elements that start and end a paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "nav",
    "aside",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "figure",
    "figcaption",
    "address",
    "form",
    "fieldset",
    "hr",
    "details",
    "summary",
    "body",
    "html",
    "center",
];

const HEADINGS: &[&str] = &["h1", "h2", "h3", "h4", "h5", "h6"];

/// Reads an HTML document (already decoded to text).
pub fn read(html: &str) -> Result<Extracted, FormatError> {
    let mut emitter = DefaultEmitter::default();
    emitter.naively_switch_states(true);
    let mut page = Page::default();
    for token in Tokenizer::new_with_emitter(html, emitter) {
        let Ok(token) = token;
        match token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_lowercase();
                if HIDDEN.contains(&name.as_str()) {
                    if !tag.self_closing {
                        page.hidden.push(name);
                    }
                    continue;
                }
                if !page.hidden.is_empty() {
                    continue;
                }
                page.open(&name);
            }
            Token::EndTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_lowercase();
                if let Some(position) = page.hidden.iter().rposition(|h| *h == name) {
                    page.hidden.truncate(position);
                    continue;
                }
                if !page.hidden.is_empty() {
                    continue;
                }
                page.close(&name);
            }
            Token::String(text) if page.hidden.is_empty() => {
                page.text(&String::from_utf8_lossy(&text.value));
            }
            _ => {}
        }
    }
    page.flush();
    Ok(Extracted {
        blocks: page.blocks,
        ..Extracted::default()
    })
}

#[derive(Default)]
struct Page {
    blocks: Vec<Block>,
    current: String,
    /// Open hidden elements (their text is skipped).
    hidden: Vec<String>,
    heading: bool,
    pre: usize,
    /// Cells of the table row being read; `Some` inside a row.
    row: Option<Vec<String>>,
    table_depth: usize,
}

impl Page {
    fn open(&mut self, name: &str) {
        match name {
            "br" => self.current.push('\n'),
            "li" => {
                self.flush();
                self.current.push_str("• ");
            }
            "table" => {
                self.flush();
                self.table_depth += 1;
            }
            "tr" if self.table_depth == 1 => {
                self.flush();
                self.row = Some(Vec::new());
            }
            "td" | "th" if self.table_depth == 1 => self.end_cell(),
            "pre" => {
                self.flush();
                self.pre += 1;
            }
            n if HEADINGS.contains(&n) => {
                self.flush();
                self.heading = true;
            }
            n if BLOCKS.contains(&n) && self.row.is_none() => self.flush(),
            n if BLOCKS.contains(&n) => self.current.push(' '),
            _ => {}
        }
    }

    fn close(&mut self, name: &str) {
        match name {
            "td" | "th" if self.table_depth == 1 => self.end_cell(),
            "tr" if self.table_depth == 1 => self.end_row(),
            "table" => {
                self.end_row();
                self.flush();
                self.table_depth = self.table_depth.saturating_sub(1);
            }
            "pre" => {
                self.flush();
                self.pre = self.pre.saturating_sub(1);
            }
            "li" => self.flush(),
            n if HEADINGS.contains(&n) => {
                self.flush();
                self.heading = false;
            }
            n if BLOCKS.contains(&n) && self.row.is_none() => self.flush(),
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        if self.pre > 0 {
            self.current.push_str(text);
            return;
        }
        for (i, word) in text.split(|c: char| c.is_ascii_whitespace()).enumerate() {
            if i > 0 && !self.current.ends_with([' ', '\n']) && !self.current.is_empty() {
                self.current.push(' ');
            }
            self.current.push_str(word);
        }
    }

    /// Ends a cell (also called at a cell's start, for HTML that leaves cells unclosed).
    fn end_cell(&mut self) {
        if let Some(row) = &mut self.row {
            let cell = std::mem::take(&mut self.current);
            let cell = cell.split_whitespace().collect::<Vec<_>>().join(" ");
            if !cell.is_empty() {
                row.push(cell);
            }
        }
    }

    fn end_row(&mut self) {
        self.end_cell();
        if let Some(row) = self.row.take().filter(|r| !r.is_empty()) {
            self.blocks.push(Block::standalone(row.join(" | ")));
        }
    }

    fn flush(&mut self) {
        if self.row.is_some() {
            return;
        }
        let text = std::mem::take(&mut self.current);
        let text = if self.pre > 0 {
            text
        } else {
            text.split('\n')
                .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let text = text.trim();
        if text.is_empty() || text == "•" {
            return;
        }
        self.blocks.push(if self.heading {
            Block::standalone(text)
        } else {
            Block::text(text)
        });
    }
}
