//! Document verbs: `import` (with a case and attributes), `import-survey`, `show`, and `docs` (list, rename,
//! remove with codings and memos, set the kind).

use std::path::Path;

use anyhow::{Result, anyhow, bail};
use marginalia::edit::Edit;
use marginalia::import::{self, ImportReport};
use marginalia::model::{DocumentKind, Project};
use marginalia::ops;

use super::args::{DocsAction, ImportArgs, SurveyArgs};
use super::output::{self, print_json};
use super::resolve::{attribute_inputs, find_doc};

fn parse_kind(kind: &str) -> Result<DocumentKind> {
    DocumentKind::parse(kind).ok_or_else(|| {
        anyhow!("unknown kind '{kind}' (use interview, observation, document or survey)")
    })
}

/// `import DIR FILES… [--case NAME --attr K=V…] [--kind]`: the files and the case assignment are one step.
pub fn import(args: ImportArgs) -> Result<()> {
    let kind = args.kind.as_deref().map(parse_kind).transpose()?;
    if !args.attrs.is_empty() && args.case.is_none() {
        bail!("--attr needs --case: attributes belong to a case");
    }
    let values = attribute_inputs(&args.attrs)?;
    let options = import::ImportOptions {
        kind,
        allow_duplicates: args.allow_duplicates,
    };
    let show_progress = !args.json.json && std::io::IsTerminal::is_terminal(&std::io::stderr());
    let mut ws = super::open_project(&args.dir)?;
    let (edit, report) =
        import::import_files(ws.project(), &args.files, &options, |done, total, path| {
            if show_progress {
                eprint!("\r{}", output::progress_bar(done, total, path));
                if done == total {
                    eprintln!();
                }
            }
        });
    if let Some(edit) = edit {
        let edit = with_case(ws.project(), edit, &report, args.case.as_deref(), &values)?;
        ws.apply(edit)?;
        super::save_and_index(&mut ws)?;
    }
    if args.json.json {
        print_json(&report)?;
    } else {
        output::print_import_report(&report);
    }
    if report.imported.is_empty() && !report.failed.is_empty() {
        bail!("no file was imported");
    }
    Ok(())
}

/// The import's edit, with the imported documents put into `case` (created when missing) when one is given.
fn with_case(
    p: &Project,
    edit: Edit,
    report: &ImportReport,
    case: Option<&str>,
    values: &[ops::AttributeInput],
) -> Result<Edit> {
    let label = edit.label(p);
    let mut draft = ops::Draft::new(p);
    draft.push(edit);
    if let Some(case) = case {
        let docs: Vec<_> = report.imported.iter().map(|f| f.document).collect();
        ops::assign_documents(&mut draft, case, values, &docs)?;
    }
    Ok(draft.finish(label))
}

/// `import-survey DIR FILE --id COL --text COL…`.
pub fn import_survey(args: SurveyArgs) -> Result<()> {
    use import::formats::survey::{Per, SurveyOptions, import_survey};
    let per = Per::parse(&args.per)
        .ok_or_else(|| anyhow!("--per must be respondent or question, not '{}'", args.per))?;
    let options = SurveyOptions {
        id_column: args.id,
        text_columns: args.text,
        attribute_columns: args.attrs,
        per,
        sheet: args.sheet,
    };
    let mut ws = super::open_project(&args.dir)?;
    let (edit, report) = import_survey(ws.project(), &args.file, &options)?;
    ws.apply(edit)?;
    super::save_and_index(&mut ws)?;
    if args.json.json {
        print_json(&report)
    } else {
        output::print_survey_report(&report);
        Ok(())
    }
}

/// `show DIR DOC`.
pub fn show(dir: &Path, doc: &str, json: bool) -> Result<()> {
    let ws = super::open_read_only(dir)?;
    let doc = find_doc(ws.project(), doc)?;
    output::print_document(ws.project(), doc, json)
}

/// `docs DIR [list|rename|remove|set-kind|set-language]`; no action lists.
pub fn docs(dir: &Path, action: Option<DocsAction>, json: bool) -> Result<()> {
    let action = action.unwrap_or(DocsAction::List {
        json: super::args::Json { json },
    });
    match action {
        DocsAction::List { json: list_json } => {
            super::show(dir, json || list_json.json, output::print_documents)
        }
        DocsAction::Rename { doc, name } => super::change_and_report(dir, |p| {
            Ok(ops::rename_document(p, find_doc(p, &doc)?.id, &name)?)
        }),
        DocsAction::Remove { doc } => remove(dir, &doc),
        DocsAction::SetKind { doc, kind } => {
            let kind = parse_kind(&kind)?;
            super::change_and_report(dir, |p| {
                Ok(ops::set_document_kind(p, find_doc(p, &doc)?.id, kind)?)
            })
        }
        DocsAction::SetLanguage { doc, language } => {
            let language = match language.trim().to_lowercase().as_str() {
                "project" | "default" => None,
                other => Some(marginalia::model::Language::parse(other).ok_or_else(|| {
                    anyhow::anyhow!(
                        "unknown language '{language}' (use nb, nn, en, or project to follow the project's language)"
                    )
                })?),
            };
            super::change_and_report(dir, |p| {
                Ok(ops::set_document_language(
                    p,
                    find_doc(p, &doc)?.id,
                    language,
                )?)
            })
        }
    }
}

/// `docs DIR remove DOC`: the document with its codings, memos and memberships, as one undoable step.
fn remove(dir: &Path, doc: &str) -> Result<()> {
    let mut ws = super::open_project(dir)?;
    let p = ws.project();
    let id = find_doc(p, doc)?.id;
    let (codings, memos) = (p.codings().len(), p.memos().len());
    let edit = ops::remove_document(p, id)?;
    let label = ws.apply(edit)?;
    super::save(&mut ws)?;
    let p = ws.project();
    println!(
        "Done: {label}, with {} coding(s) and {} memo(s); `marginalia undo` brings them back",
        codings - p.codings().len(),
        memos - p.memos().len()
    );
    Ok(())
}
