//! Where coders disagree on one code: each stretch of text some compared coders coded with it and others did
//! not, in document order, with its text and who did what (the input for a review queue).

use serde::Serialize;

use super::error::AgreementError;
use super::report::CoderRef;
use super::units::{Coverage, sweep};
use super::{resolve_coders, resolve_documents, rows_of};
use crate::ids::{CodeId, CoderId, DocumentId};
use crate::model::Project;
use crate::offsets::{CharRange, OffsetMap};

/// Which disagreements to list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisagreementSpec {
    /// The code whose disagreements are listed.
    pub code: CodeId,
    /// At least two; empty means every coder of the project.
    pub coders: Vec<CoderId>,
    /// The code's sub-codes count as the code.
    pub include_subcodes: bool,
    /// `None`: the documents every compared coder coded at least once.
    pub documents: Option<Vec<DocumentId>>,
}

/// One disagreeing stretch: some coders coded it with the code, the others did not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Disagreement {
    /// The document the stretch lies in.
    pub document: DocumentId,
    /// The document's name, for display.
    pub document_name: String,
    /// The stretch, in code points of the document text.
    pub range: CharRange,
    /// The stretch's text.
    pub text: String,
    /// The compared coders who coded the stretch with the code.
    pub coded_by: Vec<CoderRef>,
    /// The compared coders who did not.
    pub not_coded_by: Vec<CoderRef>,
}

/// Disagreements on `code` between `coders` in the documents they all coded.
pub fn disagreements(
    project: &Project,
    code: CodeId,
    coders: &[CoderId],
) -> Result<Vec<Disagreement>, AgreementError> {
    disagreements_with(
        project,
        &DisagreementSpec {
            code,
            coders: coders.to_vec(),
            include_subcodes: false,
            documents: None,
        },
    )
}

/// Disagreements as specified: character by character, merged into maximal stretches where the same coders
/// coded the text; documents in name order, stretches by position.
pub fn disagreements_with(
    project: &Project,
    spec: &DisagreementSpec,
) -> Result<Vec<Disagreement>, AgreementError> {
    if !project.codes().contains_key(&spec.code) {
        return Err(AgreementError::UnknownCode(spec.code.to_string()));
    }
    let coders = resolve_coders(project, &spec.coders)?;
    let documents = resolve_documents(project, spec.documents.as_deref(), &coders)?;
    let rows_of = rows_of(project, &[spec.code], spec.include_subcodes);
    let coverage = Coverage::collect(project, &coders, &documents, 1, &rows_of);
    if coverage.docs.iter().all(|d| d.all().next().is_none()) {
        return Err(AgreementError::CodeNotCoded {
            code: project.code_path(spec.code),
        });
    }
    let refs: Vec<CoderRef> = coders
        .iter()
        .filter_map(|id| project.coders().get(id))
        .map(|c| CoderRef {
            id: c.id,
            name: c.name.clone(),
        })
        .collect();
    let mut out = Vec::new();
    for doc in &coverage.docs {
        let text = project.text(doc.id);
        let map = OffsetMap::new(text);
        let name = project
            .documents()
            .get(&doc.id)
            .map_or_else(|| doc.id.to_string(), |d| d.name.clone());
        sweep(doc.all(), coders.len(), |range, sets| {
            let coded: Vec<bool> = sets.iter().map(|s| !s.is_empty()).collect();
            let count = coded.iter().filter(|c| **c).count();
            if count == 0 || count == coders.len() {
                return;
            }
            let pick = |want: bool| -> Vec<CoderRef> {
                refs.iter()
                    .zip(&coded)
                    .filter(|(_, c)| **c == want)
                    .map(|(r, _)| r.clone())
                    .collect()
            };
            out.push(Disagreement {
                document: doc.id,
                document_name: name.clone(),
                range,
                text: map
                    .byte_range(text, range)
                    .and_then(|b| text.get(b))
                    .unwrap_or("")
                    .to_string(),
                coded_by: pick(true),
                not_coded_by: pick(false),
            });
        });
    }
    Ok(out)
}
