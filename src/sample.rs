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
use crate::ids::{CaseId, CodingId, DocumentId, MemoId, SetId};
use crate::import::formats::survey::{self, SurveyOptions};
use crate::model::{
    AttributeDef, AttributeType, Case, Coding, DocumentKind, DocumentSet, Language, Memo,
    MemoTarget, Project,
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
    pub documents: usize,
    pub cases: usize,
    pub codes: usize,
    pub codings: usize,
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

    let codebook_path = PathBuf::from("codebooks").join(CODEBOOK);
    let codebook_text = embedded_text(&CODEBOOKS, CODEBOOK)?;
    let codebook: CodebookFile = crate::store::from_ron(&codebook_path, &codebook_text)?;
    let (edit, _) = codebook.import_edit(ws.project())?;
    ws.apply(edit)?;

    let mut groups: Vec<&Dir<'_>> = CORPUS.dirs().collect();
    groups.sort_by_key(|d| d.path().to_path_buf());

    // Cases and their attributes.
    let cases_path = Path::new("cases.csv");
    let case_rows = csv_rows(cases_path, &embedded_text(&CORPUS, "cases.csv")?, b',')?;
    let edit = cases_from_rows(ws.project(), &case_rows, "case", &mut report.warnings)?;
    ws.apply(edit)?;

    // Documents, linked to their cases.
    let mut file_ids: HashMap<String, DocumentId> = HashMap::new();
    let mut edits = Vec::new();
    let mut scratch = ws.project().clone();
    for group in &groups {
        let list_path = group.path().join("documents.csv");
        let Some(list) = CORPUS.get_file(&list_path) else {
            continue;
        };
        for row in csv_rows(&list_path, list.contents_utf8().unwrap_or(""), b',')? {
            let file = row.get("file").cloned().unwrap_or_default();
            let path = group.path().join(&file);
            let Some(source) = CORPUS.get_file(&path) else {
                report.warnings.push(format!(
                    "{}: listed file {file} is missing",
                    list_path.display()
                ));
                continue;
            };
            let kind = row.get("kind").and_then(|k| DocumentKind::parse(k));
            // Word, PDF and caption files go through the same readers as `marginalia import`.
            let entry = import::read_bytes(&path, source.contents(), kind)?;
            let id = entry.document.id;
            file_ids.insert(format!("{}/{file}", group.path().display()), id);
            let put = Edit::Put(Entity::Document(Box::new(entry)));
            scratch.apply(put.clone())?;
            edits.push(put);
            for name in row
                .get("cases")
                .map(|c| {
                    c.split(';')
                        .map(str::trim)
                        .filter(|c| !c.is_empty())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
            {
                let Some(case) = scratch.find_case(name).cloned() else {
                    report.warnings.push(format!(
                        "{}: {file} names an unknown case '{name}'",
                        list_path.display()
                    ));
                    continue;
                };
                let mut case = case;
                case.documents.insert(id);
                let put = Edit::Put(Entity::Case(case));
                scratch.apply(put.clone())?;
                edits.push(put);
            }
        }
    }
    ws.apply(Edit::batch("import the sample corpus", edits))?;
    import_staff_survey(&mut ws, &mut file_ids, &mut report.warnings)?;

    // Document sets by LOG/control group of the linked school.
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

    // Codings.
    let project = ws.project().clone();
    let mut draft = ops::Draft::new(&project);
    let scratch = &project;
    let mut seen: BTreeSet<(
        DocumentId,
        crate::ids::CodeId,
        CharRange,
        crate::ids::CoderId,
    )> = BTreeSet::new();
    for group in &groups {
        let path = group.path().join("codings.tsv");
        let Some(file) = CORPUS.get_file(&path) else {
            continue;
        };
        for (line, row) in csv_rows(&path, file.contents_utf8().unwrap_or(""), b'\t')?
            .into_iter()
            .enumerate()
        {
            let at = format!("{}:{}", path.display(), line + 2);
            let get = |k: &str| row.get(k).map(String::as_str).unwrap_or("");
            let key = format!("{}/{}", group.path().display(), get("file"));
            let Some(doc) = file_ids.get(&key).copied() else {
                report
                    .warnings
                    .push(format!("{at}: unknown file '{}'", get("file")));
                continue;
            };
            let Some(code) = scratch.find_code(get("code")).map(|c| c.id) else {
                report
                    .warnings
                    .push(format!("{at}: unknown code '{}'", get("code")));
                continue;
            };
            let text = scratch.text(doc);
            let quote = get("quote");
            let Some(byte) = (!quote.is_empty()).then(|| text.find(quote)).flatten() else {
                report.warnings.push(format!(
                    "{at}: quote not found in {}: \"{}\"",
                    get("file"),
                    quote
                ));
                continue;
            };
            let start = char_len(&text[..byte]);
            let range = CharRange::new(start, start + char_len(quote));
            let coder = ops::ensure_coder(&mut draft, get("coder"));
            if !seen.insert((doc, code, range, coder)) {
                continue;
            }
            let memo = Some(get("memo").to_string()).filter(|m| !m.is_empty());
            let coding = Coding {
                id: CodingId::new(),
                document: doc,
                code,
                range,
                coder,
                created: crate::now(),
                memo,
            };
            draft.put(Entity::Coding(coding));
        }
    }
    ws.apply(draft.finish("code the sample corpus"))?;

    // Memos.
    if let Some(file) = CORPUS.get_file("memos.tsv") {
        let mut edits = Vec::new();
        for (line, row) in csv_rows(
            Path::new("memos.tsv"),
            file.contents_utf8().unwrap_or(""),
            b'\t',
        )?
        .into_iter()
        .enumerate()
        {
            let get = |k: &str| row.get(k).map(String::as_str).unwrap_or("");
            let p = ws.project();
            let target = match get("on").split_once(':') {
                None if get("on") == "project" => Some(MemoTarget::Project),
                Some(("code", path)) => p.find_code(path).map(|c| MemoTarget::Code(c.id)),
                Some(("case", name)) => p.find_case(name).map(|c| MemoTarget::Case(c.id)),
                Some(("doc", name)) => p.find_document(name).map(|d| MemoTarget::Document(d.id)),
                _ => None,
            };
            let Some(target) = target else {
                report.warnings.push(format!(
                    "memos.tsv:{}: unknown target '{}'",
                    line + 2,
                    get("on")
                ));
                continue;
            };
            let author = p.find_coder(get("author")).map(|c| c.id);
            edits.push(Edit::Put(Entity::Memo(Memo {
                id: MemoId::new(),
                title: get("title").to_string(),
                text: get("text").replace("\\n", "\n"),
                target,
                author,
                created: crate::now(),
            })));
        }
        ws.apply(Edit::batch("sample memos", edits))?;
    }

    ws.clear_history();
    ws.save()?;
    report.documents = ws.project().documents().len();
    report.cases = ws.project().cases().len();
    report.codes = ws.project().codes().len();
    report.codings = ws.project().codings().len();
    Ok(report)
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
    let documents: BTreeSet<DocumentId> = imported.documents.iter().map(|(_, id)| *id).collect();
    for (name, id) in &imported.documents {
        file_ids.insert(format!("{group}/{name}"), *id);
    }

    let mut scratch = ws.project().clone();
    let mut edits = Vec::new();
    let respondents: Vec<Case> = scratch
        .cases()
        .values()
        .filter(|c| !c.documents.is_disjoint(&documents))
        .cloned()
        .collect();
    for mut respondent in respondents {
        let school_name = respondent
            .attributes
            .get("school")
            .map(ToString::to_string)
            .unwrap_or_default();
        let Some(mut school) = scratch.find_case(&school_name).cloned() else {
            warnings.push(format!(
                "{SURVEY}: respondent '{}' names an unknown school '{school_name}'",
                respondent.name
            ));
            continue;
        };
        let answers: Vec<DocumentId> = respondent
            .documents
            .intersection(&documents)
            .copied()
            .collect();
        school.documents.extend(answers);
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
        for put in [
            Edit::Put(Entity::Case(school)),
            Edit::Put(Entity::Case(respondent)),
        ] {
            scratch.apply(put.clone())?;
            edits.push(put);
        }
    }
    ws.apply(Edit::batch("link survey answers to their schools", edits))?;
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
