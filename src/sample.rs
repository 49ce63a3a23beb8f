//! The bundled sample study (a fictional LOG-model follow-up in 19 schools) and case tables from CSV.
//!
//! `sample_corpus/cases.csv` lists the cases (case, type, municipality, group, pupils, role, years_in_position);
//! each `sample_corpus/<group>/` holds documents (.txt, .docx, .pdf, .vtt, read by the same importers as
//! `marginalia import`) with `documents.csv` (file, kind, language, cases, title) and `codings.tsv` (file, code
//! path, coder, exact quote, memo); `sample_corpus/survey/` holds a staff survey spreadsheet, imported per
//! respondent like `marginalia import-survey`, with codings of its answers; `sample_corpus/memos.tsv` holds memos.
//! The files are built into the binary, so `marginalia sample DIR` works anywhere and rebuilds the same project
//! whenever the format changes.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::codebook_file::CodebookFile;
use crate::edit::{Edit, Entity};
use crate::error::{Error, Result};
use crate::ids::{CaseId, CodeId, DocumentId, MemoId, SetId};
use crate::import::formats::survey::{self, SurveyOptions};
use crate::model::{
    AttributeDef, AttributeType, Case, DocumentKind, DocumentSet, Language, Memo, MemoTarget,
    Project,
};
use crate::offsets::{CharRange, char_len};
use crate::workspace::Workspace;
use crate::{import, ops};

static CORPUS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/sample_corpus");
static CODEBOOKS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/codebooks");

/// The codebook of the sample study.
pub const CODEBOOK: &str = "log-followup.ron";

/// The staff survey (in `sample_corpus/`): one document per respondent, the respondent a case.
const SURVEY: &str = "survey/personalundersokelse_2022.xlsx";
const SURVEY_ID: &str = "respondent";
const SURVEY_QUESTIONS: [&str; 3] = [
    "Hva fungerer godt i samarbeidet med hjelpetjenestene?",
    "Hva hindrer samarbeidet?",
    "Hvordan har du vært involvert i utviklingsarbeidet?",
];
const SURVEY_ATTRIBUTES: [&str; 4] = ["school", "role", "years_at_school", "answered"];
/// Attributes a respondent takes over from the school case it names.
const FROM_SCHOOL: [&str; 2] = ["municipality", "group"];

/// What the sample build made.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct SampleReport {
    /// Documents imported.
    pub documents: usize,
    /// Cases created.
    pub cases: usize,
    /// Codes in the codebook.
    pub codes: usize,
    /// Codings applied.
    pub codings: usize,
    /// Problems met while building the sample, for the user (none in a correct build).
    pub warnings: Vec<String>,
}

fn embedded_text(dir: &Dir<'_>, path: &str) -> Result<String> {
    let file = dir
        .get_file(path)
        .ok_or_else(|| Error::invalid(path, "this sample file is missing from the build"))?;
    file.contents_utf8()
        .map(str::to_string)
        .ok_or_else(|| Error::invalid(PathBuf::from(path), "sample file is not UTF-8"))
}

fn csv_rows(name: &Path, text: &str, delimiter: u8) -> Result<Vec<HashMap<String, String>>> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .quoting(delimiter != b'\t')
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| Error::invalid(name, e.to_string()))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_lowercase())
        .collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| Error::invalid(name, e.to_string()))?;
        rows.push(
            headers
                .iter()
                .cloned()
                .zip(record.iter().map(|v| v.trim().to_string()))
                .collect(),
        );
    }
    Ok(rows)
}

/// Builds the sample project into `dir` (which must be new or empty).
pub fn build(dir: &Path) -> Result<SampleReport> {
    let mut ws = Workspace::create(dir, "LOG follow-up study (sample)", Language::Nb)?;
    let mut report = SampleReport::default();
    let warnings = &mut report.warnings;
    import_codebook(&mut ws)?;
    import_cases(&mut ws, warnings)?;
    let mut groups: Vec<&Dir<'_>> = CORPUS.dirs().collect();
    groups.sort_by_key(|d| d.path().to_path_buf());
    let mut file_ids = import_documents(&mut ws, &groups, warnings)?;
    import_staff_survey(&mut ws, &mut file_ids, warnings)?;
    add_group_sets(&mut ws)?;
    code_corpus(&mut ws, &groups, &file_ids, warnings)?;
    add_memos(&mut ws, warnings)?;
    ws.clear_history();
    ws.save()?;
    let p = ws.project();
    report.documents = p.documents().len();
    report.cases = p.cases().len();
    report.codes = p.codes().len();
    report.codings = p.codings().len();
    Ok(report)
}

/// The sample's codebook (`codebooks/log-followup.ron`).
fn import_codebook(ws: &mut Workspace) -> Result<()> {
    let path = PathBuf::from("codebooks").join(CODEBOOK);
    let text = embedded_text(&CODEBOOKS, CODEBOOK)?;
    let codebook: CodebookFile = crate::store::from_ron(&path, &text)?;
    let (edit, _) = codebook.import_edit(ws.project())?;
    ws.apply(edit)?;
    Ok(())
}

/// Cases and their attributes (`cases.csv`).
fn import_cases(ws: &mut Workspace, warnings: &mut Vec<String>) -> Result<()> {
    let path = Path::new("cases.csv");
    let rows = csv_rows(path, &embedded_text(&CORPUS, "cases.csv")?, b',')?;
    let edit = cases_from_rows(ws.project(), &rows, "case", warnings)?;
    ws.apply(edit)?;
    Ok(())
}

/// The documents every group's `documents.csv` lists, linked to their cases, as one edit. Returns the
/// documents' ids by `<group>/<file>`, for the codings.
fn import_documents(
    ws: &mut Workspace,
    groups: &[&Dir<'_>],
    warnings: &mut Vec<String>,
) -> Result<HashMap<String, DocumentId>> {
    let mut file_ids = HashMap::new();
    let mut draft = ops::Draft::new(ws.project());
    for group in groups {
        let list_path = group.path().join("documents.csv");
        let Some(list) = CORPUS.get_file(&list_path) else {
            continue;
        };
        for row in csv_rows(&list_path, list.contents_utf8().unwrap_or(""), b',')? {
            let Some((key, id)) = import_listed(&mut draft, group.path(), &row, warnings)? else {
                continue;
            };
            file_ids.insert(key, id);
        }
    }
    let edit = draft.finish("import the sample corpus");
    ws.apply(edit)?;
    Ok(file_ids)
}

/// One row of a group's `documents.csv`: the document (read like `marginalia import` reads it), linked to
/// the cases it names. Returns its key and id; `None` (with a warning) when the file is missing.
fn import_listed(
    draft: &mut ops::Draft<'_>,
    group: &Path,
    row: &HashMap<String, String>,
    warnings: &mut Vec<String>,
) -> Result<Option<(String, DocumentId)>> {
    let list = group.join("documents.csv");
    let file = row.get("file").map(String::as_str).unwrap_or("");
    let path = group.join(file);
    let Some(source) = CORPUS.get_file(&path) else {
        warnings.push(format!("{}: listed file {file} is missing", list.display()));
        return Ok(None);
    };
    let kind = row.get("kind").and_then(|k| DocumentKind::parse(k));
    let entry = import::read_bytes(&path, source.contents(), kind)?;
    let id = entry.document.id;
    draft.put(Entity::Document(Box::new(entry)));
    let cases = row.get("cases").map(String::as_str).unwrap_or("");
    for name in cases.split(';').map(str::trim).filter(|c| !c.is_empty()) {
        if draft.case_named(name).is_none() {
            warnings.push(format!(
                "{}: {file} names an unknown case '{name}'",
                list.display()
            ));
            continue;
        }
        ops::assign_documents(draft, name, &[], &[id])?;
    }
    Ok(Some((format!("{}/{file}", group.display()), id)))
}

/// Imports the staff survey per respondent and links each answer document to the respondent's school as well;
/// respondent cases get `type` = respondent and the school's municipality and group. Survey documents are keyed
/// `survey/<document name>` in `file_ids`, for the survey's codings.
fn import_staff_survey(
    ws: &mut Workspace,
    file_ids: &mut HashMap<String, DocumentId>,
    warnings: &mut Vec<String>,
) -> Result<()> {
    let Some(file) = CORPUS.get_file(SURVEY) else {
        warnings.push(format!("{SURVEY} is missing"));
        return Ok(());
    };
    let options = SurveyOptions {
        id_column: SURVEY_ID.into(),
        text_columns: SURVEY_QUESTIONS.iter().map(|q| q.to_string()).collect(),
        attribute_columns: SURVEY_ATTRIBUTES.iter().map(|a| a.to_string()).collect(),
        ..SurveyOptions::default()
    };
    let path = Path::new(SURVEY);
    let (edit, imported) =
        survey::import_survey_bytes(ws.project(), path, file.contents(), &options)?;
    ws.apply(edit)?;
    warnings.extend(imported.warnings.iter().map(|w| format!("{SURVEY}: {w}")));
    let group = path
        .parent()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    for (name, id) in &imported.documents {
        file_ids.insert(format!("{group}/{name}"), *id);
    }
    let documents: BTreeSet<DocumentId> = imported.documents.iter().map(|(_, id)| *id).collect();
    let edit = link_answers_to_schools(ws.project(), &documents, warnings);
    ws.apply(edit)?;
    Ok(())
}

/// Links survey answers to the school each respondent names, and gives respondents the school's attributes.
fn link_answers_to_schools(
    project: &Project,
    answers: &BTreeSet<DocumentId>,
    warnings: &mut Vec<String>,
) -> Edit {
    let mut draft = ops::Draft::new(project);
    let respondents = project
        .cases()
        .values()
        .filter(|c| !c.documents.is_disjoint(answers));
    for respondent in respondents {
        let mut respondent = respondent.clone();
        let school_name = respondent
            .attributes
            .get("school")
            .map(ToString::to_string)
            .unwrap_or_default();
        let Some(mut school) = draft.case_named(&school_name).cloned() else {
            warnings.push(format!(
                "{SURVEY}: respondent '{}' names an unknown school '{school_name}'",
                respondent.name
            ));
            continue;
        };
        school
            .documents
            .extend(respondent.documents.intersection(answers).copied());
        respondent.attributes.insert(
            "type".into(),
            crate::model::AttributeValue::Text("respondent".into()),
        );
        for attribute in FROM_SCHOOL {
            if let Some(value) = school.attributes.get(attribute) {
                respondent
                    .attributes
                    .insert(attribute.into(), value.clone());
            }
        }
        draft.put(Entity::Case(school));
        draft.put(Entity::Case(respondent));
    }
    draft.finish("link survey answers to their schools")
}

/// Document sets by LOG/control group of the linked school.
fn add_group_sets(ws: &mut Workspace) -> Result<()> {
    let mut by_group: BTreeMap<String, BTreeSet<DocumentId>> = BTreeMap::new();
    for case in ws.project().cases().values() {
        let is_school = case
            .attributes
            .get("type")
            .is_some_and(|t| t.to_string() == "school");
        if let (true, Some(group)) = (is_school, case.attributes.get("group")) {
            by_group
                .entry(group.to_string())
                .or_default()
                .extend(case.documents.iter().copied());
        }
    }
    let set_edits: Vec<Edit> = by_group
        .into_iter()
        .map(|(group, documents)| {
            Edit::Put(Entity::Set(DocumentSet {
                id: SetId::new(),
                name: format!("{group} schools"),
                description: format!("Documents about the {group} schools"),
                documents,
            }))
        })
        .collect();
    ws.apply(Edit::batch("sets by group", set_edits))?;
    Ok(())
}

/// The codings every group's `codings.tsv` lists (file, code path, coder, exact quote, memo), as one edit;
/// a passage coded twice with one code by one coder is coded once.
fn code_corpus(
    ws: &mut Workspace,
    groups: &[&Dir<'_>],
    file_ids: &HashMap<String, DocumentId>,
    warnings: &mut Vec<String>,
) -> Result<()> {
    let p = ws.project();
    let mut draft = ops::Draft::new(p);
    let mut seen = BTreeSet::new();
    for group in groups {
        let path = group.path().join("codings.tsv");
        let Some(file) = CORPUS.get_file(&path) else {
            continue;
        };
        for (line, row) in csv_rows(&path, file.contents_utf8().unwrap_or(""), b'\t')?
            .into_iter()
            .enumerate()
        {
            let get = |k: &str| row.get(k).map(String::as_str).unwrap_or("");
            let (doc, code, range) = match quoted_passage(p, group.path(), &row, file_ids) {
                Ok(found) => found,
                Err(problem) => {
                    warnings.push(format!("{}:{}: {problem}", path.display(), line + 2));
                    continue;
                }
            };
            let coder = ops::ensure_coder(&mut draft, get("coder"));
            if seen.insert((doc, code, range, coder)) {
                let memo = Some(get("memo").to_string()).filter(|m| !m.is_empty());
                ops::code_passage(&mut draft, doc, code, range, coder, memo)?;
            }
        }
    }
    let edit = draft.finish("code the sample corpus");
    ws.apply(edit)?;
    Ok(())
}

/// The document, code and passage a row of `codings.tsv` names (the passage found by its exact quote).
fn quoted_passage(
    p: &Project,
    group: &Path,
    row: &HashMap<String, String>,
    file_ids: &HashMap<String, DocumentId>,
) -> std::result::Result<(DocumentId, CodeId, CharRange), String> {
    let get = |k: &str| row.get(k).map(String::as_str).unwrap_or("");
    let key = format!("{}/{}", group.display(), get("file"));
    let doc = file_ids
        .get(&key)
        .copied()
        .ok_or_else(|| format!("unknown file '{}'", get("file")))?;
    let code = p
        .find_code(get("code"))
        .map(|c| c.id)
        .ok_or_else(|| format!("unknown code '{}'", get("code")))?;
    let text = p.text(doc);
    let quote = get("quote");
    let byte = (!quote.is_empty())
        .then(|| text.find(quote))
        .flatten()
        .ok_or_else(|| format!("quote not found in {}: \"{quote}\"", get("file")))?;
    let start = char_len(&text[..byte]);
    Ok((doc, code, CharRange::new(start, start + char_len(quote))))
}

/// The memos of `memos.tsv` (on: project, code:PATH, case:NAME or doc:NAME).
fn add_memos(ws: &mut Workspace, warnings: &mut Vec<String>) -> Result<()> {
    let Some(file) = CORPUS.get_file("memos.tsv") else {
        return Ok(());
    };
    let path = Path::new("memos.tsv");
    let p = ws.project();
    let mut edits = Vec::new();
    for (line, row) in csv_rows(path, file.contents_utf8().unwrap_or(""), b'\t')?
        .into_iter()
        .enumerate()
    {
        let get = |k: &str| row.get(k).map(String::as_str).unwrap_or("");
        let target = match get("on").split_once(':') {
            None if get("on") == "project" => Some(MemoTarget::Project),
            Some(("code", path)) => p.find_code(path).map(|c| MemoTarget::Code(c.id)),
            Some(("case", name)) => p.find_case(name).map(|c| MemoTarget::Case(c.id)),
            Some(("doc", name)) => p.find_document(name).map(|d| MemoTarget::Document(d.id)),
            _ => None,
        };
        let Some(target) = target else {
            warnings.push(format!(
                "memos.tsv:{}: unknown target '{}'",
                line + 2,
                get("on")
            ));
            continue;
        };
        edits.push(Edit::Put(Entity::Memo(Memo {
            id: MemoId::new(),
            title: get("title").to_string(),
            text: get("text").replace("\\n", "\n"),
            target,
            author: p.find_coder(get("author")).map(|c| c.id),
            created: crate::now(),
        })));
    }
    ws.apply(Edit::batch("sample memos", edits))?;
    Ok(())
}

/// Cases and typed attributes from table rows: `name_column` names the case, other columns become attributes
/// (type inferred per column; empty cells skipped). A `documents` column links documents (`;`-separated names).
fn cases_from_rows(
    project: &Project,
    rows: &[HashMap<String, String>],
    name_column: &str,
    warnings: &mut Vec<String>,
) -> Result<Edit> {
    let columns: BTreeSet<String> = rows
        .iter()
        .flat_map(|r| r.keys().cloned())
        .filter(|k| k != name_column && k != "documents" && !k.is_empty())
        .collect();
    let mut edits = Vec::new();
    let mut defs: HashMap<String, AttributeType> = HashMap::new();
    for column in &columns {
        let kind = match project.attributes().get(column) {
            Some(def) => def.kind,
            None => {
                let kind = AttributeType::infer(
                    rows.iter()
                        .filter_map(|r| r.get(column))
                        .map(String::as_str),
                );
                edits.push(Edit::Put(Entity::Attribute(AttributeDef {
                    name: column.clone(),
                    kind,
                })));
                kind
            }
        };
        defs.insert(column.clone(), kind);
    }
    let mut cases: BTreeMap<String, Case> = BTreeMap::new();
    for row in rows {
        let Some(name) = row.get(name_column).filter(|n| !n.is_empty()) else {
            continue;
        };
        let case = cases.entry(name.to_lowercase()).or_insert_with(|| {
            project.find_case(name).cloned().unwrap_or_else(|| Case {
                id: CaseId::new(),
                name: name.clone(),
                description: String::new(),
                attributes: BTreeMap::new(),
                documents: BTreeSet::new(),
            })
        });
        for column in &columns {
            let Some(value) = row.get(column).filter(|v| !v.is_empty()) else {
                continue;
            };
            match defs[column].parse_value(value) {
                Ok(v) => {
                    case.attributes.insert(column.clone(), v);
                }
                Err(e) => warnings.push(format!("case '{name}', {column}: {e}")),
            }
        }
        if let Some(docs) = row.get("documents") {
            for doc in docs.split(';').map(str::trim).filter(|d| !d.is_empty()) {
                match project.find_document(doc) {
                    Some(d) => {
                        case.documents.insert(d.id);
                    }
                    None => warnings.push(format!("case '{name}': no document named '{doc}'")),
                }
            }
        }
    }
    let count = cases.len();
    edits.extend(cases.into_values().map(|c| Edit::Put(Entity::Case(c))));
    Ok(Edit::Batch {
        label: format!("import {count} cases"),
        edits,
    })
}

/// Imports a case table from a CSV file (first column: case name).
pub fn cases_from_csv(project: &Project, path: &Path) -> Result<Edit> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let (text, _) = import::decode::decode(&bytes).map_err(|e| Error::Import {
        path: path.into(),
        message: e.to_string(),
    })?;
    let delimiter = if text
        .lines()
        .next()
        .is_some_and(|l| l.matches(';').count() > l.matches(',').count())
    {
        b';'
    } else {
        b','
    };
    let rows = csv_rows(path, &text, delimiter)?;
    let first = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(text.as_bytes())
        .headers()
        .ok()
        .and_then(|h| {
            h.get(0)
                .map(|s| s.trim().trim_start_matches('\u{feff}').to_lowercase())
        })
        .ok_or_else(|| Error::invalid(path, "the table has no header row"))?;
    let mut warnings = Vec::new();
    let edit = cases_from_rows(project, &rows, &first, &mut warnings)?;
    if let Some(w) = warnings.first() {
        return Err(Error::invalid(path, w.clone()));
    }
    Ok(edit)
}
