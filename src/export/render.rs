//! Excerpt reports as Markdown, self-contained HTML (inline CSS, everything escaped) and Word.

use super::docx::{Docx, Run};
use super::excerpts::{Item, Report};
use crate::error::Result;

fn md_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Wraps every non-empty line in a Markdown emphasis marker, so emphasis never spans a paragraph break.
fn emphasise(text: &str, marker: &str) -> String {
    text.split('\n')
        .map(|line| {
            let line = line.trim();
            if line.is_empty() {
                String::new()
            } else {
                format!("{marker}{}{marker}", md_escape(line))
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn summary(report: &Report) -> String {
    let documents: std::collections::BTreeSet<_> =
        report.items.iter().map(|i| i.excerpt.document).collect();
    format!(
        "{} excerpt(s) from {} document(s)",
        report.items.len(),
        documents.len()
    )
}

/// Markdown: `#` title, `##` group, `###` sub-group, each excerpt a block quote with its citation.
pub fn markdown(report: &Report) -> String {
    let mut out = format!("# {}\n\n", md_escape(&report.title));
    if !report.description.is_empty() {
        out.push_str(&format!("{}\n\n", md_escape(&report.description)));
    }
    out.push_str(&format!("{}\n\n", summary(report)));
    for group in &report.groups {
        out.push_str(&format!("## {}\n\n", md_escape(&group.heading)));
        for (heading, items) in &group.subgroups {
            out.push_str(&format!("### {}\n\n", md_escape(heading)));
            for index in items {
                let Some(item) = report.items.get(*index) else {
                    continue;
                };
                let mut parts = Vec::new();
                if !item.before.trim().is_empty() {
                    parts.push(emphasise(&format!("…{}", item.before.trim()), "*"));
                }
                parts.push(emphasise(item.excerpt.text.trim(), "**"));
                if !item.after.trim().is_empty() {
                    parts.push(emphasise(&format!("{}…", item.after.trim()), "*"));
                }
                let quote = parts.join(" ");
                for line in quote.lines() {
                    out.push_str(&format!("> {line}\n"));
                }
                out.push_str(&format!(
                    ">\n> — {}\n",
                    md_escape(&item.citation(report.citation))
                ));
                if let Some(memo) = &item.excerpt.memo {
                    out.push_str(&format!(">\n> Memo: {}\n", md_escape(memo)));
                }
                out.push('\n');
            }
        }
    }
    out
}

/// HTML-escapes text.
pub fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = "body{font-family:Georgia,'Times New Roman',serif;max-width:46em;margin:2em auto;padding:0 1em;color:#222;line-height:1.5}h1{font-size:1.8em}h2{border-bottom:1px solid #ccc;margin-top:2em}h3{font-style:italic;color:#444}blockquote{margin:1em 0 .2em;padding:.2em 1em;border-left:4px solid #9ab;background:#f6f8fa;white-space:pre-wrap}.context{color:#777}.cite{margin:0 0 1.2em 1.3em;font-size:.85em;color:#555}.memo{margin:0 0 1.2em 1.3em;font-size:.85em;color:#735}";

/// One self-contained HTML page (inline CSS, no scripts, no external resources).
pub fn html(report: &Report) -> String {
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"nb\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        html_escape(&report.title),
        html_escape(&report.title)
    );
    if !report.description.is_empty() {
        out.push_str(&format!("<p>{}</p>\n", html_escape(&report.description)));
    }
    out.push_str(&format!("<p>{}</p>\n", summary(report)));
    for group in &report.groups {
        out.push_str(&format!("<h2>{}</h2>\n", html_escape(&group.heading)));
        for (heading, items) in &group.subgroups {
            out.push_str(&format!("<h3>{}</h3>\n", html_escape(heading)));
            for index in items {
                let Some(item) = report.items.get(*index) else {
                    continue;
                };
                out.push_str("<blockquote>");
                if !item.before.is_empty() {
                    out.push_str(&format!(
                        "<span class=\"context\">…{}</span>",
                        html_escape(&item.before)
                    ));
                }
                out.push_str(&format!(
                    "<strong>{}</strong>",
                    html_escape(&item.excerpt.text)
                ));
                if !item.after.is_empty() {
                    out.push_str(&format!(
                        "<span class=\"context\">{}…</span>",
                        html_escape(&item.after)
                    ));
                }
                out.push_str("</blockquote>\n");
                out.push_str(&format!(
                    "<p class=\"cite\">— {}</p>\n",
                    html_escape(&item.citation(report.citation))
                ));
                if let Some(memo) = &item.excerpt.memo {
                    out.push_str(&format!(
                        "<p class=\"memo\">Memo: {}</p>\n",
                        html_escape(memo)
                    ));
                }
            }
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn quote_runs(item: &Item) -> Vec<Run> {
    let mut runs = Vec::new();
    if !item.before.is_empty() {
        runs.push(Run {
            text: format!("…{}", item.before),
            context: true,
        });
    }
    runs.push(Run::plain(item.excerpt.text.clone()));
    if !item.after.is_empty() {
        runs.push(Run {
            text: format!("{}…", item.after),
            context: true,
        });
    }
    runs
}

/// A Word document: Title, Heading 1 per group, Heading 2 per sub-group, Quote paragraphs and citations.
pub fn docx(report: &Report) -> Result<Vec<u8>> {
    let mut doc = Docx::new();
    doc.text("Title", &report.title);
    if !report.description.is_empty() {
        doc.text("Normal", &report.description);
    }
    doc.text("Normal", &summary(report));
    for group in &report.groups {
        doc.heading(1, &group.heading);
        for (heading, items) in &group.subgroups {
            doc.heading(2, heading);
            for index in items {
                let Some(item) = report.items.get(*index) else {
                    continue;
                };
                doc.paragraph("Quote", &quote_runs(item));
                doc.text("Citation", &format!("— {}", item.citation(report.citation)));
                if let Some(memo) = &item.excerpt.memo {
                    doc.text("Citation", &format!("Memo: {memo}"));
                }
            }
        }
    }
    doc.finish(&report.title)
}
