//! The project a `.qdpx` becomes, built element by element: users, the codebook, variables, cases, sets and
//! notes (sources are in `sources`), then one edit that fills an empty project.

use std::collections::{BTreeMap, HashMap, HashSet};

use uuid::Uuid;

use super::{ImportReport, gid, parse_time};
use crate::edit::{DocumentEntry, Edit, Entity};
use crate::ids::{CaseId, CodeId, CoderId, CodingId, DocumentId, MemoId, SetId};
use crate::interop::codebook_xml::{self, CodeNode};
use crate::interop::positions::Counting;
use crate::interop::xml::Element;
use crate::interop::{derived_guid, qdpx_write::Sidecar};
use crate::model::{
    AttributeDef, AttributeType, AttributeValue, Case, Code, Coder, Coding, Document, DocumentSet,
    Memo, MemoTarget, PALETTE, ProjectMeta,
};

use super::archive::{Archive, raw_text};

/// Where a note is attached.
#[derive(Default)]
pub(super) struct Targets {
    map: HashMap<Uuid, MemoTarget>,
}

impl Targets {
    /// Attaches the notes an element's `<NoteRef>`s name (the first place a note is named wins).
    pub(super) fn note_refs(&mut self, element: &Element, target: MemoTarget) {
        for note in element.all("NoteRef") {
            if let Some(raw) = note.attr("targetGUID") {
                self.attach(gid(raw), target);
            }
        }
    }

    fn attach(&mut self, note: Uuid, target: MemoTarget) {
        self.map.entry(note).or_insert(target);
    }
}

/// `base`, or `base (2)`, `base (3)` …: the first name `free` accepts.
fn numbered(base: &str, mut free: impl FnMut(&str) -> bool) -> String {
    let mut name = base.to_string();
    let mut n = 2;
    while !free(&name) {
        name = format!("{base} ({n})");
        n += 1;
    }
    name
}

/// An element's `name` (or `fallback` when it has none), numbered to be unique among `taken` (lower case).
fn unique_name(
    element: &Element,
    fallback: impl FnOnce() -> String,
    taken: &mut HashSet<String>,
) -> String {
    let base = element
        .attr("name")
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .unwrap_or_else(fallback);
    numbered(&base, |name| taken.insert(name.to_lowercase()))
}

/// Everything read so far.
pub(super) struct Builder {
    pub(super) counting: Counting,
    pub(super) report: ImportReport,
    pub(super) coders: BTreeMap<CoderId, Coder>,
    pub(super) fallback_coder: Option<CoderId>,
    /// Parents before children.
    pub(super) codes: Vec<Code>,
    pub(super) variables: HashMap<Uuid, (String, AttributeType)>,
    pub(super) attributes: BTreeMap<String, AttributeDef>,
    pub(super) documents: Vec<DocumentEntry>,
    pub(super) doc_ids: HashSet<DocumentId>,
    pub(super) codings: BTreeMap<CodingId, Coding>,
    pub(super) memos: Vec<Memo>,
    /// Memos made from comments on passages nobody coded.
    pub(super) comments: Vec<Memo>,
    pub(super) targets: Targets,
    pub(super) selection_docs: HashMap<Uuid, DocumentId>,
    /// Documents exactly as Marginalia wrote them, by id.
    pub(super) sidecar: HashMap<DocumentId, Document>,
    pub(super) odd_boundaries: usize,
}

impl Builder {
    pub(super) fn new(counting: Counting, report: ImportReport, sidecar: Option<Sidecar>) -> Self {
        Self {
            counting,
            report,
            coders: BTreeMap::new(),
            fallback_coder: None,
            codes: Vec::new(),
            variables: HashMap::new(),
            attributes: BTreeMap::new(),
            documents: Vec::new(),
            doc_ids: HashSet::new(),
            codings: BTreeMap::new(),
            memos: Vec::new(),
            comments: Vec::new(),
            targets: Targets::default(),
            selection_docs: HashMap::new(),
            sidecar: sidecar
                .map(|s| s.documents.into_iter().map(|d| (d.id, d)).collect())
                .unwrap_or_default(),
            odd_boundaries: 0,
        }
    }

    /// The coder of a `creatingUser`: the listed user, or (a file that codes as users it does not list, as
    /// some tools write) one coder per unlisted user, so each user's codings stay a layer of their own; codings
    /// without a user go to one "Imported" coder.
    pub(super) fn coder_for(&mut self, raw: Option<&str>) -> CoderId {
        if let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) {
            let id = CoderId(gid(raw));
            if !self.coders.contains_key(&id) {
                let name = numbered(&format!("User {}", self.coders.len() + 1), |name| {
                    !self
                        .coders
                        .values()
                        .any(|c| c.name.eq_ignore_ascii_case(name))
                });
                self.coders.insert(
                    id,
                    Coder {
                        id,
                        name,
                        colour: None,
                    },
                );
            }
            return id;
        }
        if let Some(id) = self.fallback_coder {
            return id;
        }
        let id = CoderId(derived_guid("coder", "imported"));
        let name = numbered("Imported", |name| {
            !self
                .coders
                .values()
                .any(|c| c.name.eq_ignore_ascii_case(name))
        });
        self.coders.insert(
            id,
            Coder {
                id,
                name,
                colour: None,
            },
        );
        self.fallback_coder = Some(id);
        id
    }

    pub(super) fn users(&mut self, root: &Element) {
        let mut taken = HashSet::new();
        for (index, user) in root.all_in("Users", "User").enumerate() {
            let Some(raw) = user.attr("guid") else {
                continue;
            };
            let id = CoderId(gid(raw));
            let name = unique_name(user, || format!("User {}", index + 1), &mut taken);
            self.coders.insert(
                id,
                Coder {
                    id,
                    name,
                    colour: None,
                },
            );
        }
    }

    pub(super) fn codes(&mut self, root: &Element) {
        let Some(book) = root.child("CodeBook") else {
            return;
        };
        let nodes = self.with_guids(codebook_xml::read(book));
        for node in codebook_xml::unflatten(nodes, &mut self.report.warnings) {
            self.code(node, None, "");
        }
        self.dedupe_code_names();
    }

    /// Drops the codes without a guid (and their sub-codes): nothing could refer to them.
    fn with_guids(&mut self, nodes: Vec<CodeNode>) -> Vec<CodeNode> {
        let mut kept = Vec::with_capacity(nodes.len());
        for mut node in nodes {
            if node.id.is_none() {
                self.report
                    .skipped
                    .push("a code without a guid (and its sub-codes)".into());
                continue;
            }
            node.children = self.with_guids(std::mem::take(&mut node.children));
            kept.push(node);
        }
        kept
    }

    /// Adds a code and its sub-codes. A group made from flattened names has no id in the file; its id is
    /// derived from its path (`trail`), so importing again gives the same id.
    fn code(&mut self, node: CodeNode, parent: Option<CodeId>, trail: &str) {
        let trail = format!("{trail}{}/", node.name);
        let id = CodeId(
            node.id
                .unwrap_or_else(|| derived_guid("code-group", &trail)),
        );
        if self.codes.iter().any(|c| c.id == id) {
            self.report
                .warnings
                .push(format!("code {id} appears twice; the second is ignored"));
            return;
        }
        let colour = codebook_xml::colour(node.colour.as_deref())
            .unwrap_or_else(|| PALETTE[self.codes.len() % PALETTE.len()].to_string());
        self.codes.push(Code {
            id,
            name: if node.name.is_empty() {
                "Unnamed code".to_string()
            } else {
                node.name
            },
            colour,
            description: node.description,
            parent,
            order: self.codes.iter().filter(|c| c.parent == parent).count() as i64,
        });
        for note in node.notes {
            self.targets.attach(note, MemoTarget::Code(id));
        }
        for child in node.children {
            self.code(child, Some(id), &trail);
        }
    }

    fn dedupe_code_names(&mut self) {
        let mut seen: HashSet<(Option<CodeId>, String)> = HashSet::new();
        for code in &mut self.codes {
            if code.name.contains('/') {
                let renamed = code.name.replace('/', "-");
                self.report.warnings.push(format!(
                    "code '{}' renamed '{renamed}' ('/' separates levels here)",
                    code.name
                ));
                code.name = renamed;
            }
            let base = code.name.clone();
            let parent = code.parent;
            code.name = numbered(&base, |name| seen.insert((parent, name.to_lowercase())));
            if code.name != base {
                self.report.warnings.push(format!(
                    "two codes named '{base}' at the same level: the second is now '{}'",
                    code.name
                ));
            }
        }
    }

    pub(super) fn variables(&mut self, root: &Element) {
        for variable in root.all_in("Variables", "Variable") {
            let (Some(raw), Some(name)) = (variable.attr("guid"), variable.attr("name")) else {
                continue;
            };
            let name = name.trim().to_string();
            if name.is_empty() {
                continue;
            }
            let kind = match variable.attr("typeOfVariable").unwrap_or("Text") {
                "Boolean" => AttributeType::Boolean,
                "Integer" => AttributeType::Integer,
                "Float" => AttributeType::Number,
                "Date" => AttributeType::Date,
                _ => AttributeType::Text,
            };
            self.variables.insert(gid(raw), (name, kind));
        }
    }

    fn value(&mut self, element: &Element, owner: &str) -> Option<(String, AttributeValue)> {
        let reference = element.child("VariableRef")?.attr("targetGUID")?;
        let Some((name, kind)) = self.variables.get(&gid(reference)).cloned() else {
            self.report.warnings.push(format!(
                "{owner}: a value of an undefined variable was skipped"
            ));
            return None;
        };
        let raw = [
            "TextValue",
            "BooleanValue",
            "IntegerValue",
            "FloatValue",
            "DateValue",
            "DateTimeValue",
        ]
        .iter()
        .find_map(|n| element.child_text(n))?;
        let raw = if kind == AttributeType::Date {
            raw.get(..10).unwrap_or(raw)
        } else {
            raw
        };
        match kind.parse_value(raw) {
            Ok(value) => {
                self.attributes.entry(name.clone()).or_insert(AttributeDef {
                    name: name.clone(),
                    kind,
                });
                Some((name, value))
            }
            Err(problem) => {
                self.report
                    .warnings
                    .push(format!("{owner}: value of '{name}' skipped: {problem}"));
                None
            }
        }
    }

    pub(super) fn cases(&mut self, root: &Element) -> Vec<Case> {
        let mut cases = Vec::new();
        let mut taken = HashSet::new();
        let mut code_refs = 0;
        for (index, element) in root.all_in("Cases", "Case").enumerate() {
            let Some(raw) = element.attr("guid") else {
                continue;
            };
            let id = CaseId(gid(raw));
            let name = unique_name(element, || format!("Case {}", index + 1), &mut taken);
            let mut attributes = BTreeMap::new();
            for value in element.all("VariableValue") {
                if let Some((key, value)) = self.value(value, &format!("case '{name}'")) {
                    attributes.insert(key, value);
                }
            }
            let mut documents = std::collections::BTreeSet::new();
            for source in element.all("SourceRef") {
                if let Some(doc) = source.attr("targetGUID").map(|g| DocumentId(gid(g)))
                    && self.doc_ids.contains(&doc)
                {
                    documents.insert(doc);
                }
            }
            for selection in element.all("SelectionRef") {
                if let Some(doc) = selection
                    .attr("targetGUID")
                    .and_then(|g| self.selection_docs.get(&gid(g)))
                {
                    documents.insert(*doc);
                }
            }
            code_refs += element.all("CodeRef").count();
            cases.push(Case {
                id,
                name,
                description: element.child_text("Description").unwrap_or("").to_string(),
                attributes,
                documents,
            });
        }
        if code_refs > 0 {
            self.report.skipped.push(format!(
                "{code_refs} code reference(s) on cases (cases here are linked to documents, not codes)"
            ));
        }
        cases
    }

    pub(super) fn sets(&mut self, root: &Element) -> Vec<DocumentSet> {
        let mut sets = Vec::new();
        for element in root.all_in("Sets", "Set") {
            let (Some(raw), Some(name)) = (element.attr("guid"), element.attr("name")) else {
                continue;
            };
            let others = element.all("MemberCode").count() + element.all("MemberNote").count();
            if others > 0 {
                self.report.skipped.push(format!(
                    "set '{name}': {others} code or note member(s) (sets here hold documents)"
                ));
            }
            let documents = element
                .all("MemberSource")
                .filter_map(|m| m.attr("targetGUID"))
                .map(|g| DocumentId(gid(g)))
                .filter(|d| self.doc_ids.contains(d))
                .collect();
            let name = if name.trim().is_empty() {
                "Unnamed set".to_string()
            } else {
                name.trim().to_string()
            };
            sets.push(DocumentSet {
                id: SetId(gid(raw)),
                name,
                description: element.child_text("Description").unwrap_or("").to_string(),
                documents,
            });
        }
        sets
    }

    pub(super) fn notes(&mut self, root: &Element, archive: &mut Archive<'_>, cases: &[Case]) {
        self.targets.note_refs(root, MemoTarget::Project);
        for link in root.all_in("Links", "Link") {
            let (Some(origin), Some(target)) = (link.attr("originGUID"), link.attr("targetGUID"))
            else {
                continue;
            };
            let case = CaseId(gid(target));
            if cases.iter().any(|c| c.id == case) {
                self.targets
                    .map
                    .entry(gid(origin))
                    .or_insert(MemoTarget::Case(case));
            }
        }
        for note in root.all_in("Notes", "Note") {
            let Some(raw) = note.attr("guid") else {
                continue;
            };
            let id = gid(raw);
            let text = match (
                note.child_text("PlainTextContent"),
                note.attr("plainTextPath"),
            ) {
                (Some(text), _) => text.to_string(),
                (None, Some(reference)) => archive
                    .read_internal(reference)
                    .ok()
                    .and_then(|b| raw_text(&b))
                    .map(|t| crate::import::decode::normalise(&t))
                    .unwrap_or_default(),
                (None, None) => String::new(),
            };
            let title = note
                .attr("name")
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_string)
                .unwrap_or_else(|| {
                    text.lines()
                        .next()
                        .unwrap_or("Note")
                        .chars()
                        .take(60)
                        .collect()
                });
            let author = note
                .attr("creatingUser")
                .map(|u| CoderId(gid(u)))
                .filter(|u| self.coders.contains_key(u));
            self.memos.push(Memo {
                id: MemoId(id),
                title,
                text,
                target: self
                    .targets
                    .map
                    .get(&id)
                    .copied()
                    .unwrap_or(MemoTarget::Project),
                author,
                created: parse_time(note.attr("creationDateTime")).unwrap_or_else(crate::now),
            });
        }
    }

    /// Reports what the file holds that has no place here.
    pub(super) fn unsupported(&mut self, root: &Element) {
        let source_values: usize = root
            .child("Sources")
            .map(|s| {
                s.children
                    .iter()
                    .map(|c| c.all("VariableValue").count())
                    .sum()
            })
            .unwrap_or(0);
        if source_values > 0 {
            self.report.skipped.push(format!(
                "{source_values} variable value(s) on sources (attributes belong to cases here)"
            ));
        }
        if self.odd_boundaries > 0 {
            self.report.warnings.push(format!(
                "{} selection(s) in all fall on odd boundaries; check them in the document view",
                self.odd_boundaries
            ));
        }
    }

    /// One edit that fills an empty project with everything read, and the report of it.
    pub(super) fn finish(
        self,
        meta: ProjectMeta,
        cases: Vec<Case>,
        sets: Vec<DocumentSet>,
    ) -> (Edit, ImportReport) {
        let Self {
            mut report,
            coders,
            codes,
            attributes,
            documents,
            codings,
            mut memos,
            comments,
            ..
        } = self;
        let taken: HashSet<MemoId> = memos.iter().map(|m| m.id).collect();
        memos.extend(comments.into_iter().filter(|c| !taken.contains(&c.id)));
        report.users = coders.len();
        report.codes = codes.len();
        report.documents = documents.len();
        report.codings = codings.len();
        report.cases = cases.len();
        report.sets = sets.len();
        report.memos = memos.len();
        let label = format!("import '{}'", meta.name);
        let mut edits = vec![Edit::Put(Entity::Meta(meta))];
        edits.extend(coders.into_values().map(|c| Edit::Put(Entity::Coder(c))));
        edits.extend(codes.into_iter().map(|c| Edit::Put(Entity::Code(c))));
        edits.extend(
            attributes
                .into_values()
                .map(|a| Edit::Put(Entity::Attribute(a))),
        );
        edits.extend(
            documents
                .into_iter()
                .map(|d| Edit::Put(Entity::Document(Box::new(d)))),
        );
        edits.extend(cases.into_iter().map(|c| Edit::Put(Entity::Case(c))));
        edits.extend(sets.into_iter().map(|s| Edit::Put(Entity::Set(s))));
        edits.extend(codings.into_values().map(|c| Edit::Put(Entity::Coding(c))));
        edits.extend(memos.into_iter().map(|m| Edit::Put(Entity::Memo(m))));
        (Edit::batch(label, edits), report)
    }
}
