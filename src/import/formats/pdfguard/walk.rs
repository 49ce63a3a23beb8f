//! The second pass, over the document lopdf loaded, before pdf-extract reads it: pdf-extract follows each
//! page's parents and each `Do` into its form XObject by recursion, so loops and deep nesting would overflow the
//! stack, and forms drawn many times over would multiply the work. Both are measured here, without recursion
//! deeper than the limit.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use pdf_extract::{Dictionary, Document, Object, ObjectId};

use super::filters::{self, Chain, Params};
use super::lex::Lexer;
use super::raw::{RawScan, add_total, stop_refusal};
use super::{Limits, Refusal};

/// Page trees deeper than this are refused (lopdf stops listing pages at 256 levels).
const MAX_PAGE_TREE_DEPTH: usize = 256;

/// Bytes pdf-extract will read and forms it will enter, counted with repetition.
#[derive(Debug, Clone, Copy, Default)]
struct Cost {
    bytes: u64,
    draws: u64,
}

/// A content stream's decoded length and the XObjects it draws (name, how often).
#[derive(Debug, Default)]
struct Drawn {
    len: u64,
    draws: Vec<(Vec<u8>, u64)>,
}

struct Walk<'a> {
    doc: &'a Document,
    limits: &'a Limits,
    raw: &'a RawScan,
    /// Also measure decoded sizes here (the raw pass saw only encrypted bytes).
    count_sizes: bool,
    decoded_total: u64,
    streams: HashMap<ObjectId, Rc<Drawn>>,
    /// A form's cost in a resources context (identified by the dictionary's address).
    forms: HashMap<(ObjectId, usize), Cost>,
    path: Vec<ObjectId>,
    total: Cost,
}

/// Checks every page of a loaded document; `encrypted` documents also get every stream measured.
pub(super) fn check(
    doc: &Document,
    limits: &Limits,
    encrypted: bool,
    raw: &RawScan,
) -> Result<(), Refusal> {
    let encrypted = encrypted || raw.encrypted;
    let mut walk = Walk {
        doc,
        limits,
        raw,
        count_sizes: encrypted,
        decoded_total: 0,
        streams: HashMap::new(),
        forms: HashMap::new(),
        path: Vec::new(),
        total: Cost::default(),
    };
    for page in doc.page_iter() {
        walk.page(page)?;
    }
    if encrypted {
        walk.measure_all_streams()?;
    }
    Ok(())
}

impl<'a> Walk<'a> {
    fn page(&mut self, page: ObjectId) -> Result<(), Refusal> {
        check_parents(self.doc, page)?;
        let resources = inherited_resources(self.doc, page);
        for content in self.doc.get_page_contents(page) {
            let cost = self.content(content, resources, 0)?;
            self.total = add(self.total, cost, 1);
            self.check_budget(self.total)?;
        }
        Ok(())
    }

    /// The cost of reading one content stream and everything it draws.
    fn content(
        &mut self,
        id: ObjectId,
        resources: Option<&'a Dictionary>,
        depth: usize,
    ) -> Result<Cost, Refusal> {
        // Content that can draw nothing (no XObjects in its resources) costs what the raw pass measured.
        let draws_nothing = resources.and_then(|r| r.get(b"XObject").ok()).is_none();
        if draws_nothing
            && !self.count_sizes
            && let Some(size) = self.raw.sizes.get(&id)
        {
            return Ok(Cost {
                bytes: *size,
                draws: 0,
            });
        }
        let drawn = self.drawn(id)?;
        let mut cost = Cost {
            bytes: drawn.len,
            draws: 0,
        };
        for (name, count) in &drawn.draws {
            let Some((form, form_resources)) = resolve(self.doc, resources, name) else {
                continue;
            };
            let inner = self.form(form, form_resources, depth + 1)?;
            cost = add(cost, inner, *count);
            self.check_budget(cost)?;
        }
        Ok(cost)
    }

    fn form(
        &mut self,
        id: ObjectId,
        resources: Option<&'a Dictionary>,
        depth: usize,
    ) -> Result<Cost, Refusal> {
        if self.path.contains(&id) {
            return Err(Refusal::Malformed(format!(
                "a drawing (form XObject {} {} R) that draws itself",
                id.0, id.1
            )));
        }
        if depth > self.limits.form_depth {
            return Err(Refusal::Malformed(format!(
                "drawings (form XObjects) nested more than {} deep",
                self.limits.form_depth
            )));
        }
        let key = (id, resources.map_or(0, |r| std::ptr::from_ref(r).addr()));
        if let Some(cost) = self.forms.get(&key) {
            return Ok(*cost);
        }
        self.path.push(id);
        let cost = self.content(id, resources, depth);
        self.path.pop();
        let cost = cost?;
        self.forms.insert(key, cost);
        Ok(cost)
    }

    fn check_budget(&self, cost: Cost) -> Result<(), Refusal> {
        if cost.bytes > self.limits.content_work {
            return Err(Refusal::Bomb(format!(
                "drawings repeated until the pages hold more than {} of content",
                super::mib(self.limits.content_work)
            )));
        }
        if cost.draws > self.limits.draws {
            return Err(Refusal::Bomb(format!(
                "drawings (form XObjects) drawn more than {} times",
                self.limits.draws
            )));
        }
        Ok(())
    }

    /// Decodes a stream once (under the size cap) and lists what it draws.
    fn drawn(&mut self, id: ObjectId) -> Result<Rc<Drawn>, Refusal> {
        if let Some(drawn) = self.streams.get(&id) {
            return Ok(Rc::clone(drawn));
        }
        let stream = self
            .doc
            .get_object(id)
            .ok()
            .and_then(|o| o.as_stream().ok());
        let drawn = match stream {
            Some(stream) => {
                let decoded = filters::decode(
                    &stream.content,
                    &chain(&stream.dict),
                    self.limits.stream_bytes,
                )
                .map_err(|stop| stop_refusal(stop, self.limits))?;
                if self.count_sizes {
                    add_total(&mut self.decoded_total, decoded.produced, self.limits)?;
                }
                let content = decoded.bytes.as_deref().unwrap_or(&stream.content);
                Drawn {
                    len: content.len() as u64,
                    draws: count_draws(content),
                }
            }
            None => Drawn::default(),
        };
        let drawn = Rc::new(drawn);
        self.streams.insert(id, Rc::clone(&drawn));
        Ok(drawn)
    }

    /// Every stream of a decrypted document, measured (fonts, images and the rest).
    fn measure_all_streams(&mut self) -> Result<(), Refusal> {
        for object in self.doc.objects.values() {
            if let Object::Stream(stream) = object {
                let decoded = filters::decode(
                    &stream.content,
                    &chain(&stream.dict),
                    self.limits.stream_bytes,
                )
                .map_err(|stop| stop_refusal(stop, self.limits))?;
                add_total(&mut self.decoded_total, decoded.produced, self.limits)?;
            }
        }
        Ok(())
    }
}

fn add(total: Cost, cost: Cost, times: u64) -> Cost {
    Cost {
        bytes: total.bytes.saturating_add(cost.bytes.saturating_mul(times)),
        draws: total
            .draws
            .saturating_add(cost.draws.saturating_add(1).saturating_mul(times)),
    }
}

/// A page's parents up to the root: no loops, not too deep (pdf-extract climbs them by recursion).
fn check_parents(doc: &Document, page: ObjectId) -> Result<(), Refusal> {
    let mut seen = HashSet::new();
    let mut id = page;
    loop {
        if !seen.insert(id) {
            return Err(Refusal::Malformed("a page tree that loops".into()));
        }
        if seen.len() > MAX_PAGE_TREE_DEPTH {
            return Err(Refusal::Malformed(format!(
                "a page tree more than {MAX_PAGE_TREE_DEPTH} levels deep"
            )));
        }
        let Ok(dict) = doc.get_dictionary(id) else {
            return Ok(());
        };
        match dict.get(b"Parent").and_then(Object::as_reference) {
            Ok(parent) => id = parent,
            Err(_) => return Ok(()),
        }
    }
}

/// The page's resources as pdf-extract finds them: the nearest page-tree node with a `/Resources` dictionary.
fn inherited_resources(doc: &Document, page: ObjectId) -> Option<&Dictionary> {
    let mut dict = doc.get_dictionary(page).ok()?;
    for _ in 0..=MAX_PAGE_TREE_DEPTH {
        let resources = dict
            .get(b"Resources")
            .ok()
            .and_then(|r| doc.dereference(r).ok())
            .and_then(|(_, r)| r.as_dict().ok());
        if resources.is_some() {
            return resources;
        }
        let parent = dict.get(b"Parent").and_then(Object::as_reference).ok()?;
        dict = doc.get_dictionary(parent).ok()?;
    }
    None
}

/// The XObject `name` in `resources`, and the resources its content uses (its own, or the caller's).
fn resolve<'a>(
    doc: &'a Document,
    resources: Option<&'a Dictionary>,
    name: &[u8],
) -> Option<(ObjectId, Option<&'a Dictionary>)> {
    let xobjects = resources?.get(b"XObject").ok()?;
    let xobjects = doc.dereference(xobjects).ok()?.1.as_dict().ok()?;
    let (id, object) = doc.dereference(xobjects.get(name).ok()?).ok()?;
    let stream = object.as_stream().ok()?;
    let own = stream
        .dict
        .get(b"Resources")
        .ok()
        .and_then(|r| doc.dereference(r).ok())
        .and_then(|(_, r)| r.as_dict().ok());
    Some((id?, own.or(resources)))
}

/// The filter chain as lopdf reads it from a loaded stream dictionary.
fn chain(dict: &Dictionary) -> Chain {
    let filters = match dict.get(b"Filter") {
        Ok(Object::Name(name)) => vec![name.clone()],
        Ok(Object::Array(items)) => items
            .iter()
            .map(|i| i.as_name().ok().map(<[u8]>::to_vec))
            .collect::<Option<Vec<_>>>()
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let params = dict
        .get(b"DecodeParms")
        .and_then(Object::as_dict)
        .ok()
        .map(|p| {
            Params::read(|key, default| p.get(key).and_then(Object::as_i64).unwrap_or(default))
        });
    Chain { filters, params }
}

/// The XObjects a content stream draws: the first operand of each `Do`, when it is a name (as pdf-extract
/// reads it), with how often. Strings and arrays are skipped whole; inline image data up to `EI`.
fn count_draws(content: &[u8]) -> Vec<(Vec<u8>, u64)> {
    let mut counts: HashMap<Vec<u8>, u64> = HashMap::new();
    let mut lexer = Lexer::new(content, 0);
    let (mut first_name, mut operands) = (None::<Vec<u8>>, 0usize);
    loop {
        lexer.skip_space();
        let Some(byte) = lexer.peek() else { break };
        match byte {
            b'/' => {
                let name = lexer.name();
                if operands == 0 {
                    first_name = Some(name);
                }
                operands += 1;
            }
            b'(' | b'<' | b'[' => {
                let at = lexer.pos;
                if lexer.object().is_none() {
                    lexer.pos = at + 1;
                }
                operands += 1;
            }
            b')' | b'>' | b']' | b'{' | b'}' => lexer.pos += 1,
            _ => {
                let token = lexer.token();
                if token.is_empty() {
                    lexer.pos += 1;
                } else if is_operand(token) {
                    operands += 1;
                } else {
                    if token == b"Do"
                        && let Some(name) = first_name.take()
                    {
                        *counts.entry(name).or_default() += 1;
                    }
                    if token == b"BI" {
                        skip_inline_image(&mut lexer);
                    }
                    (first_name, operands) = (None, 0);
                }
            }
        }
    }
    counts.into_iter().collect()
}

fn is_operand(token: &[u8]) -> bool {
    matches!(token, b"true" | b"false" | b"null")
        || token
            .iter()
            .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.'))
}

/// Skips an inline image's data: from `ID` to the `EI` that ends it.
fn skip_inline_image(lexer: &mut Lexer<'_>) {
    let rest = lexer.remaining();
    let Some(data) = rest.windows(2).position(|w| w == b"ID") else {
        lexer.pos += rest.len();
        return;
    };
    let after = data + 2;
    let end = rest
        .get(after..)
        .and_then(|r| {
            r.windows(4).position(|w| {
                super::lex::is_space(w[0]) && &w[1..3] == b"EI" && super::lex::is_space(w[3])
            })
        })
        .map_or(rest.len(), |i| after + i + 3);
    lexer.pos += end;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_are_counted_by_first_operand() {
        let content = b"q /Fm1 Do Q (/Fake Do) Tj /Fm1 Do /Im2 Do 1 0 0 1 0 0 cm BI /W 1 ID \x00/X Do EI /Fm1 Do";
        let mut draws = count_draws(content);
        draws.sort();
        assert_eq!(draws, vec![(b"Fm1".to_vec(), 3), (b"Im2".to_vec(), 1)]);
    }
}
