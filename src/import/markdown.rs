//! Markdown sources: keeps headings, paragraphs and list items as paragraphs, drops the markup.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// The visible text of a Markdown document, one block per paragraph.
pub fn to_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut block = String::new();
    let flush = |block: &mut String, out: &mut String| {
        let trimmed = block.trim();
        if !trimmed.is_empty() {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(trimmed);
        }
        block.clear();
    };
    for event in Parser::new(markdown) {
        match event {
            Event::Text(text) | Event::Code(text) => block.push_str(&text),
            Event::SoftBreak => block.push(' '),
            Event::HardBreak => block.push('\n'),
            Event::Start(Tag::Item) => {
                flush(&mut block, &mut out);
                block.push_str("• ");
            }
            Event::Start(
                Tag::Paragraph | Tag::Heading { .. } | Tag::BlockQuote(_) | Tag::CodeBlock(_),
            )
            | Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::CodeBlock,
            )
            | Event::Rule => flush(&mut block, &mut out),
            _ => {}
        }
    }
    flush(&mut block, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_dropped_and_blocks_kept() {
        let md = "# Møtereferat\n\n**Rektor:** Vi har *for lite* ressurser.\n\n- punkt én\n- punkt [to](http://x)\n";
        assert_eq!(
            to_text(md),
            "Møtereferat\n\nRektor: Vi har for lite ressurser.\n\n• punkt én\n\n• punkt to"
        );
    }
}
