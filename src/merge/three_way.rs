//! Three-way merge of one project file by id (the git merge driver): base, ours and theirs in, one file out.
//!
//! Each entity is matched by its id (attributes by name). An entity changed on one side only takes that side's
//! version; changed on both sides, its fields are merged one by one (a code renamed in one copy and moved in the
//! other keeps both changes), lists of ids are merged as sets, and a field changed differently on both sides
//! keeps ours and is reported. An entity deleted on one side and changed on the other is kept (no work is
//! lost). The result is written exactly as the store writes it, so a merge of identical files is identical.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::model::{AttributeDef, Case, Code, Coding, Document, DocumentSet, Memo, ProjectMeta};
use crate::store::{
    CASES_FILE, CODEBOOK_FILE, CODINGS_DIR, CasesFile, CodebookFile, CodingsFile, DOCUMENTS_FILE,
    DocumentsFile, MEMOS_FILE, META_FILE, MemosFile, SETS_FILE, SetsFile, to_ron,
};

/// Which project file a path names (by its file name, and `codings/` for coder files).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProjectFile {
    /// `marginalia.ron`.
    Meta,
    /// `documents.ron`.
    Documents,
    /// `codebook.ron`.
    Codebook,
    /// `codings/<coder>.ron`.
    Codings,
    /// `cases.ron`.
    Cases,
    /// `sets.ron`.
    Sets,
    /// `memos.ron`.
    Memos,
}

impl ProjectFile {
    /// The kind of project file at `path` (relative to the repository), or `None` for any other file.
    pub fn of_path(path: &Path) -> Option<Self> {
        let name = path.file_name()?.to_str()?;
        let parent = path
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str());
        Some(match name {
            META_FILE => Self::Meta,
            DOCUMENTS_FILE => Self::Documents,
            CODEBOOK_FILE => Self::Codebook,
            CASES_FILE => Self::Cases,
            SETS_FILE => Self::Sets,
            MEMOS_FILE => Self::Memos,
            _ if parent == Some(CODINGS_DIR) && name.ends_with(".ron") => Self::Codings,
            _ => return None,
        })
    }
}

/// Why a file could not be merged semantically (the caller then falls back to a line merge).
#[derive(Debug, thiserror::Error)]
pub enum ThreeWayError {
    /// The path is not one of a project's RON files.
    #[error("{0}: not a Marginalia project file")]
    NotOurs(String),
    /// One of the three versions does not parse as that project file.
    #[error("{path}: the {side} version is not a valid project file: {message}")]
    Parse {
        /// The file's path in the repository.
        path: String,
        /// `base`, `ours` or `theirs`.
        side: &'static str,
        /// What the RON reader reported.
        message: String,
    },
    /// The merged file could not be written as RON.
    #[error("{path}: cannot write the merged file: {message}")]
    Write {
        /// The file's path in the repository.
        path: String,
        /// What the RON writer reported.
        message: String,
    },
}

/// The merged text of a file and what the merge had to decide.
#[derive(Clone, Debug, PartialEq)]
pub struct Merged {
    /// The merged file, formatted as the store writes it.
    pub text: String,
    /// Each field changed differently on both sides (ours kept) and each entity kept although one side
    /// deleted it, as a sentence.
    pub conflicts: Vec<String>,
}

/// Merges three versions of the project file at `path` (relative to the repository; it picks the file kind).
/// An empty `base` means the file did not exist in the common ancestor.
pub fn merge_file(
    path: &Path,
    base: &str,
    ours: &str,
    theirs: &str,
) -> Result<Merged, ThreeWayError> {
    let shown = path.display().to_string();
    let kind = ProjectFile::of_path(path).ok_or_else(|| ThreeWayError::NotOurs(shown.clone()))?;
    let mut merger = Merger {
        path: shown,
        conflicts: Vec::new(),
    };
    let text = match kind {
        ProjectFile::Meta => {
            let [b, o, t] = merger.parse_all::<ProjectMeta>(base, ours, theirs)?;
            let (Some(o), Some(t)) = (o, t) else {
                return Err(merger.parse_error("ours", "the file is empty"));
            };
            let merged: ProjectMeta = merger.entity("project settings", b.as_ref(), &o, &t)?;
            merger.write(&merged)?
        }
        ProjectFile::Documents => {
            let [b, o, t] = merger.parse_all::<DocumentsFile>(base, ours, theirs)?;
            let documents = merger.entities(
                "document",
                [
                    b.map(|f| f.documents),
                    o.map(|f| f.documents),
                    t.map(|f| f.documents),
                ],
                |d: &Document| (d.id.to_string(), d.id),
                |d| d.name.clone(),
            )?;
            merger.write(&DocumentsFile { documents })?
        }
        ProjectFile::Codebook => {
            let [b, o, t] = merger.parse_all::<CodebookFile>(base, ours, theirs)?;
            let codes = merger.entities(
                "code",
                [b.map(|f| f.codes), o.map(|f| f.codes), t.map(|f| f.codes)],
                |c: &Code| (c.id.to_string(), c.id),
                |c| c.name.clone(),
            )?;
            merger.write(&CodebookFile { codes })?
        }
        ProjectFile::Memos => {
            let [b, o, t] = merger.parse_all::<MemosFile>(base, ours, theirs)?;
            let memos = merger.entities(
                "memo",
                [b.map(|f| f.memos), o.map(|f| f.memos), t.map(|f| f.memos)],
                |m: &Memo| (m.id.to_string(), m.id),
                |m| m.title.clone(),
            )?;
            merger.write(&MemosFile { memos })?
        }
        ProjectFile::Sets => {
            let [b, o, t] = merger.parse_all::<SetsFile>(base, ours, theirs)?;
            let sets = merger.entities(
                "set",
                [b.map(|f| f.sets), o.map(|f| f.sets), t.map(|f| f.sets)],
                |s: &DocumentSet| (s.id.to_string(), s.id),
                |s| s.name.clone(),
            )?;
            merger.write(&SetsFile { sets })?
        }
        ProjectFile::Cases => {
            let [b, o, t] = merger.parse_all::<CasesFile>(base, ours, theirs)?;
            let split = |f: Option<CasesFile>| match f {
                Some(f) => (Some(f.attributes), Some(f.cases)),
                None => (None, None),
            };
            let ((ba, bc), (oa, oc), (ta, tc)) = (split(b), split(o), split(t));
            let attributes = merger.entities(
                "attribute",
                [ba, oa, ta],
                |a: &AttributeDef| (a.name.clone(), a.name.clone()),
                |a| a.name.clone(),
            )?;
            let cases = merger.entities(
                "case",
                [bc, oc, tc],
                |c: &Case| (c.id.to_string(), c.id),
                |c| c.name.clone(),
            )?;
            merger.write(&CasesFile { attributes, cases })?
        }
        ProjectFile::Codings => {
            let [b, o, t] = merger.parse_all::<CodingsFile>(base, ours, theirs)?;
            let (Some(o), Some(t)) = (o, t) else {
                return Err(merger.parse_error("ours", "the file is empty"));
            };
            let coder = merger.entity("coder", b.as_ref().map(|f| &f.coder), &o.coder, &t.coder)?;
            let mut codings = merger.entities(
                "coding",
                [b.map(|f| f.codings), Some(o.codings), Some(t.codings)],
                |c: &Coding| (c.id.to_string(), c.id),
                |c| format!("at {} in document {}", c.range, c.document),
            )?;
            codings.sort_by_key(|k| (k.document, k.range.start, k.range.end, k.id));
            merger.write(&CodingsFile { coder, codings })?
        }
    };
    Ok(Merged {
        text,
        conflicts: merger.conflicts,
    })
}

struct Merger {
    path: String,
    conflicts: Vec<String>,
}

impl Merger {
    fn parse_error(&self, side: &'static str, message: impl Into<String>) -> ThreeWayError {
        ThreeWayError::Parse {
            path: self.path.clone(),
            side,
            message: message.into(),
        }
    }

    /// Parses the three versions; an empty (or blank) text is `None` (the file did not exist there).
    fn parse_all<T: DeserializeOwned>(
        &self,
        base: &str,
        ours: &str,
        theirs: &str,
    ) -> Result<[Option<T>; 3], ThreeWayError> {
        let parse = |side: &'static str, text: &str| -> Result<Option<T>, ThreeWayError> {
            if text.trim().is_empty() {
                return Ok(None);
            }
            ron::de::from_str(text).map(Some).map_err(|e| {
                self.parse_error(
                    side,
                    format!(
                        "line {}, column {}: {}",
                        e.span.start.line, e.span.start.col, e.code
                    ),
                )
            })
        };
        Ok([
            parse("base", base)?,
            parse("ours", ours)?,
            parse("theirs", theirs)?,
        ])
    }

    fn write<T: Serialize>(&self, value: &T) -> Result<String, ThreeWayError> {
        to_ron(value).map_err(|e| ThreeWayError::Write {
            path: self.path.clone(),
            message: e.to_string(),
        })
    }

    fn json<T: Serialize>(&self, value: &T) -> Result<Value, ThreeWayError> {
        serde_json::to_value(value).map_err(|e| ThreeWayError::Write {
            path: self.path.clone(),
            message: e.to_string(),
        })
    }

    fn back<T: DeserializeOwned>(&self, value: Value) -> Result<T, ThreeWayError> {
        serde_json::from_value(value).map_err(|e| ThreeWayError::Write {
            path: self.path.clone(),
            message: e.to_string(),
        })
    }

    /// Merges one entity present on both sides, field by field.
    fn entity<T: Serialize + DeserializeOwned + Clone>(
        &mut self,
        what: &str,
        base: Option<&T>,
        ours: &T,
        theirs: &T,
    ) -> Result<T, ThreeWayError> {
        let b = base.map(|b| self.json(b)).transpose()?;
        let (o, t) = (self.json(ours)?, self.json(theirs)?);
        let mut fields = Vec::new();
        let merged = merge_value(b.as_ref(), &o, &t, "", &mut fields);
        for field in fields {
            self.conflicts.push(format!(
                "{}: {what}: '{field}' was changed differently on both sides; kept ours",
                self.path
            ));
        }
        self.back(merged)
    }

    /// Merges lists of entities by key; the result is sorted by `order` (as the store writes them).
    fn entities<T, K>(
        &mut self,
        what: &str,
        [base, ours, theirs]: [Option<Vec<T>>; 3],
        key: impl Fn(&T) -> (String, K),
        name: impl Fn(&T) -> String,
    ) -> Result<Vec<T>, ThreeWayError>
    where
        T: Serialize + DeserializeOwned + Clone,
        K: Ord,
    {
        let index = |list: Option<Vec<T>>| -> BTreeMap<String, (K, T)> {
            list.unwrap_or_default()
                .into_iter()
                .map(|item| {
                    let (text, order) = key(&item);
                    (text, (order, item))
                })
                .collect()
        };
        let (mut base, mut ours, mut theirs) = (index(base), index(ours), index(theirs));
        let keys: BTreeSet<String> = ours.keys().chain(theirs.keys()).cloned().collect();
        let mut out: Vec<(K, T)> = Vec::with_capacity(keys.len());
        for id in keys {
            let b = base.remove(&id);
            let o = ours.remove(&id);
            let t = theirs.remove(&id);
            let (bv, ov, tv) = (
                b.as_ref().map(|x| self.json(&x.1)).transpose()?,
                o.as_ref().map(|x| self.json(&x.1)).transpose()?,
                t.as_ref().map(|x| self.json(&x.1)).transpose()?,
            );
            let kept = match (o, t) {
                (o, _) if ov == tv => o,
                (_, t) if bv == ov => t,
                (o, _) if bv == tv => o,
                (Some(o), Some(t)) => {
                    let merged = self.entity(what, b.as_ref().map(|x| &x.1), &o.1, &t.1)?;
                    Some((o.0, merged))
                }
                (o, t) => {
                    let kept = o.or(t);
                    if let Some((_, item)) = &kept {
                        self.conflicts.push(format!(
                            "{}: {what} '{}' was deleted on one side and changed on the other; kept it",
                            self.path,
                            name(item)
                        ));
                    }
                    kept
                }
            };
            out.extend(kept);
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out.into_iter().map(|(_, item)| item).collect())
    }
}

/// Three-way merge of a value; a field changed differently on both sides keeps ours and is listed in
/// `conflicts` by its path.
fn merge_value(
    base: Option<&Value>,
    ours: &Value,
    theirs: &Value,
    at: &str,
    conflicts: &mut Vec<String>,
) -> Value {
    if ours == theirs || base == Some(theirs) {
        return ours.clone();
    }
    if base == Some(ours) {
        return theirs.clone();
    }
    match (ours, theirs) {
        (Value::Object(o), Value::Object(t)) => {
            let b = base.and_then(Value::as_object);
            let keys: BTreeSet<&String> = o.keys().chain(t.keys()).collect();
            let mut out = serde_json::Map::new();
            for key in keys {
                let bk = b.and_then(|b| b.get(key));
                let path = if at.is_empty() {
                    key.clone()
                } else {
                    format!("{at}.{key}")
                };
                let kept = match (o.get(key), t.get(key)) {
                    (Some(ov), Some(tv)) => Some(merge_value(bk, ov, tv, &path, conflicts)),
                    (Some(ov), None) if bk == Some(ov) => None,
                    (None, Some(tv)) if bk == Some(tv) => None,
                    (Some(v), None) | (None, Some(v)) => {
                        if bk.is_some() {
                            conflicts.push(path);
                        }
                        Some(v.clone())
                    }
                    (None, None) => None,
                };
                if let Some(value) = kept {
                    out.insert(key.clone(), value);
                }
            }
            Value::Object(out)
        }
        (Value::Array(o), Value::Array(t)) if all_scalars(o) && all_scalars(t) => {
            let b: &[Value] = base.and_then(Value::as_array).map_or(&[], Vec::as_slice);
            let mut out: Vec<Value> = o
                .iter()
                .filter(|v| t.contains(v) || !b.contains(v))
                .cloned()
                .collect();
            out.extend(
                t.iter()
                    .filter(|v| !o.contains(v) && !b.contains(v))
                    .cloned(),
            );
            Value::Array(out)
        }
        _ => {
            conflicts.push(if at.is_empty() {
                "value".into()
            } else {
                at.to_string()
            });
            ours.clone()
        }
    }
}

fn all_scalars(values: &[Value]) -> bool {
    values
        .iter()
        .all(|v| !matches!(v, Value::Array(_) | Value::Object(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = r##"(
  codes: [
    (id: "00000000-0000-4000-8000-000000000001", name: "Ressursmangel", colour: "#1f77b4", order: 0),
    (id: "00000000-0000-4000-8000-000000000002", name: "Barrierer", colour: "#d62728", order: 1),
  ],
)
"##;

    #[test]
    fn a_rename_and_a_move_of_one_code_both_survive() {
        let ours = BASE.replace("\"Ressursmangel\"", "\"Resource shortage\"");
        let theirs = BASE.replace(
            "name: \"Ressursmangel\", colour: \"#1f77b4\", order: 0",
            "name: \"Ressursmangel\", colour: \"#1f77b4\", parent: Some(\"00000000-0000-4000-8000-000000000002\"), order: 0",
        );
        let merged =
            merge_file(Path::new("studie/codebook.ron"), BASE, &ours, &theirs).expect("merge");
        assert!(merged.conflicts.is_empty(), "{:?}", merged.conflicts);
        let file: CodebookFile = ron::from_str(&merged.text).expect("parses");
        let code = &file.codes[0];
        assert_eq!(code.name, "Resource shortage");
        assert_eq!(
            code.parent.map(|p| p.to_string()).as_deref(),
            Some("00000000-0000-4000-8000-000000000002")
        );
    }

    #[test]
    fn a_name_changed_on_both_sides_keeps_ours_and_says_so() {
        let ours = BASE.replace("\"Ressursmangel\"", "\"Resource shortage\"");
        let theirs = BASE.replace("\"Ressursmangel\"", "\"Lack of resources\"");
        let merged = merge_file(Path::new("codebook.ron"), BASE, &ours, &theirs).expect("merge");
        assert!(merged.text.contains("Resource shortage"));
        assert!(!merged.text.contains("Lack of resources"));
        assert_eq!(merged.conflicts.len(), 1, "{:?}", merged.conflicts);
        assert!(
            merged.conflicts[0].contains("'name'"),
            "{:?}",
            merged.conflicts
        );
    }

    #[test]
    fn codes_added_on_both_sides_are_kept_in_id_order_as_the_store_writes_them() {
        let add = |id: u8, name: &str| {
            BASE.replace(
                "  ],",
                &format!("    (id: \"00000000-0000-4000-8000-00000000000{id}\", name: \"{name}\", colour: \"#2ca02c\", order: 2),\n  ],"),
            )
        };
        let (ours, theirs) = (add(4, "Møtearenaer"), add(3, "Prosjekttrøtthet"));
        let merged = merge_file(Path::new("codebook.ron"), BASE, &ours, &theirs).expect("merge");
        let file: CodebookFile = ron::from_str(&merged.text).expect("parses");
        let names: Vec<&str> = file.codes.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Ressursmangel",
                "Barrierer",
                "Prosjekttrøtthet",
                "Møtearenaer"
            ]
        );
        assert_eq!(
            merged.text,
            to_ron(&file).expect("ron"),
            "the store's own formatting"
        );
        // Merging is symmetric in content when there is no conflict.
        let other_way = merge_file(Path::new("codebook.ron"), BASE, &theirs, &ours).expect("merge");
        assert_eq!(merged.text, other_way.text);
    }

    #[test]
    fn a_file_that_is_not_ours_or_does_not_parse_is_refused() {
        assert!(matches!(
            merge_file(Path::new("notater/plan.ron"), "", "(a: 1)", "(a: 2)"),
            Err(ThreeWayError::NotOurs(_))
        ));
        assert!(matches!(
            merge_file(Path::new("codebook.ron"), BASE, "<<<<<<< ours", BASE),
            Err(ThreeWayError::Parse { side: "ours", .. })
        ));
    }

    #[test]
    fn case_documents_merge_as_sets() {
        let case = |docs: &str| {
            format!(
                "(attributes: [], cases: [(id: \"00000000-0000-4000-8000-00000000000a\", name: \"Furulund skole\", attributes: {{}}, documents: [{docs}])])\n"
            )
        };
        let d = |n: u8| format!("\"00000000-0000-4000-8000-0000000000{n:02}\"");
        let base = case(&d(1));
        let ours = case(&format!("{}, {}", d(1), d(2)));
        let theirs = case(&d(3));
        let merged = merge_file(Path::new("cases.ron"), &base, &ours, &theirs).expect("merge");
        let file: CasesFile = ron::from_str(&merged.text).expect("parses");
        let docs: Vec<String> = file.cases[0]
            .documents
            .iter()
            .map(|d| d.to_string())
            .collect();
        assert_eq!(
            docs.len(),
            2,
            "document 1 removed by theirs, 2 added by ours, 3 by theirs: {docs:?}"
        );
        assert!(merged.conflicts.is_empty());
    }
}
