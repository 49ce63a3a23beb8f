//! A small, safe XML layer for REFI-QDA: a writer with escaping, and a lenient reader into a tree that
//! ignores namespace prefixes, refuses DOCTYPE declarations (no entity expansion) and limits nesting.

use std::borrow::Cow;
use std::collections::BTreeMap;

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

/// Deepest element nesting accepted (REFI files nest codes, never this deep).
const MAX_DEPTH: usize = 512;

/// One element: local name (prefix dropped), attributes by local name, children and text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Element {
    /// The element's local name, without any namespace prefix.
    pub name: String,
    /// The namespace URI declared on this element (`xmlns` without prefix), if any.
    pub namespace: Option<String>,
    /// The attributes by local name.
    pub attrs: BTreeMap<String, String>,
    /// The child elements, in document order.
    pub children: Vec<Element>,
    /// The element's own text and CDATA, concatenated (its children's text is not included).
    pub text: String,
}

impl Element {
    /// An attribute's value.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.get(name).map(String::as_str)
    }

    /// Child elements with this local name, in document order.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The elements named `name` in the first child named `list` (`<Users><User/>…</Users>`).
    pub fn all_in<'a>(
        &'a self,
        list: &str,
        name: &'a str,
    ) -> impl Iterator<Item = &'a Element> + 'a {
        self.child(list).into_iter().flat_map(move |l| l.all(name))
    }

    /// The first child with this local name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Text of the first child with this name.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.as_str())
    }
}

fn local(name: &str) -> String {
    match name.rsplit_once(':') {
        Some((_, local)) => local.to_string(),
        None => name.to_string(),
    }
}

fn element_of(start: &BytesStart<'_>) -> Result<Element, String> {
    let mut element = Element {
        name: local(start.name().as_ref()),
        ..Element::default()
    };
    for attr in start.attributes().with_checks(false) {
        let attr = attr.map_err(|e| format!("bad attribute: {e}"))?;
        let key = attr.key.as_ref().to_string();
        let value = attr
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map(Cow::into_owned)
            .map_err(|e| format!("bad attribute value in <{}>: {e}", element.name))?;
        if key == "xmlns" {
            element.namespace = Some(value);
        } else if !key.starts_with("xmlns:") {
            element.attrs.insert(local(&key), value);
        }
    }
    Ok(element)
}

/// Parses an XML document into its root element. DOCTYPE declarations are refused, so no entity can expand.
pub fn parse(xml: &str) -> Result<Element, String> {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("malformed XML at byte {}: {e}", reader.buffer_position()))?;
        match event {
            Event::DocType(_) => {
                return Err(
                    "the XML has a DOCTYPE declaration, which is refused (it could expand entities)".into(),
                );
            }
            Event::Start(start) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(format!("elements are nested more than {MAX_DEPTH} deep"));
                }
                stack.push(element_of(&start)?);
            }
            Event::Empty(start) => {
                let element = element_of(&start)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None if root.is_none() => root = Some(element),
                    None => return Err("more than one root element".into()),
                }
            }
            Event::End(_) => {
                let Some(element) = stack.pop() else {
                    return Err("a closing tag without an opening tag".into());
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None if root.is_none() => root = Some(element),
                    None => return Err("more than one root element".into()),
                }
            }
            Event::Text(text) => {
                if let Some(current) = stack.last_mut() {
                    current.text.push_str(&text.xml10_content());
                }
            }
            Event::CData(data) => {
                if let Some(current) = stack.last_mut() {
                    current.text.push_str(&data.into_inner());
                }
            }
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => quick_xml::escape::resolve_xml_entity(&reference)
                        .map(str::to_string)
                        .ok_or_else(|| format!("unknown entity &{};", reference.as_ref()))?,
                };
                if let Some(current) = stack.last_mut() {
                    current.text.push_str(&resolved);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err("the XML ends before all elements are closed".into());
    }
    root.ok_or_else(|| "the XML has no root element".into())
}

/// Decodes XML bytes: UTF-8 or UTF-16 with a byte-order mark; a UTF-8 BOM is dropped.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    match encoding_rs::Encoding::for_bom(bytes) {
        Some((encoding, bom)) => {
            let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
            if had_errors {
                return Err("the XML is not valid text in its encoding".into());
            }
            Ok(text.into_owned())
        }
        None => String::from_utf8(bytes.to_vec()).map_err(|_| "the XML is not UTF-8".to_string()),
    }
}

/// Escapes text for element content or a double-quoted attribute, dropping characters XML 1.0 forbids.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' => out.push(c),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Escapes an attribute value; line breaks and tabs become character references so they survive.
pub fn escape_attr(text: &str) -> String {
    escape(text).replace('\n', "&#10;").replace('\t', "&#9;")
}

/// A tiny indenting XML writer; the caller keeps element order (the schema's sequence) right.
#[derive(Default)]
pub struct Writer {
    out: String,
    depth: usize,
}

impl Writer {
    /// A writer holding only the XML declaration.
    pub fn new() -> Self {
        let mut writer = Self::default();
        writer
            .out
            .push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        writer
    }

    fn tag(&mut self, name: &str, attrs: &[(&str, String)], close: &str) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
        self.out.push('<');
        self.out.push_str(name);
        for (key, value) in attrs {
            self.out.push(' ');
            self.out.push_str(key);
            self.out.push_str("=\"");
            self.out.push_str(&escape_attr(value));
            self.out.push('"');
        }
        self.out.push_str(close);
    }

    /// `<name attrs>` and indent.
    pub fn open(&mut self, name: &str, attrs: &[(&str, String)]) {
        self.tag(name, attrs, ">\n");
        self.depth += 1;
    }

    /// `</name>`.
    pub fn close(&mut self, name: &str) {
        self.depth = self.depth.saturating_sub(1);
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    /// `<name attrs/>`.
    pub fn empty(&mut self, name: &str, attrs: &[(&str, String)]) {
        self.tag(name, attrs, "/>\n");
    }

    /// `<name>text</name>` (text escaped, kept exactly).
    pub fn text(&mut self, name: &str, text: &str) {
        self.tag(name, &[], ">");
        self.out.push_str(&escape(text));
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    /// The written XML text.
    pub fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_prefixed_and_escaped_xml() {
        let root = parse(
            "<?xml version=\"1.0\"?><q:Project xmlns:q=\"urn:x\" name=\"A &amp; B\"><q:Description>1 &lt; 2 &#x1F600;</q:Description><Sets/></q:Project>",
        )
        .expect("parse");
        assert_eq!(root.name, "Project");
        assert_eq!(root.attr("name"), Some("A & B"));
        assert_eq!(root.child_text("Description"), Some("1 < 2 😀"));
        assert!(root.child("Sets").is_some());
    }

    #[test]
    fn doctype_is_refused() {
        let bomb = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]><Project>&lol2;</Project>";
        assert!(parse(bomb).unwrap_err().contains("DOCTYPE"));
    }

    #[test]
    fn written_text_reads_back() {
        let text = "Line one\nLine \"two\" & <three>\ttab";
        let mut writer = Writer::new();
        writer.open("Root", &[("name", text.to_string())]);
        writer.text("Body", text);
        writer.close("Root");
        let root = parse(&writer.finish()).expect("parse");
        assert_eq!(root.attr("name"), Some(text));
        assert_eq!(root.child_text("Body"), Some(text));
    }
}
