//! Domain operations: the actions researchers think in, each built as one [`Edit`](crate::edit::Edit) so it
//! undoes in one step. The CLI and the workbench call these and nothing else to change a project.
//!
//! Each operation works on a [`Draft`] (so a step sees what an earlier step of the same action added) or,
//! for a complete action, takes the project and returns the finished edit.

mod cases;
mod coders;
mod codes;
mod coding;
mod documents;
mod draft;
mod memos;

pub use cases::{
    AttributeInput, add_case_named, assign_documents, define_attribute, delete_case,
    link_documents, remove_attribute, rename_case, set_attribute_text, set_attribute_values,
    set_attributes, unlink_documents, unset_attributes, upsert_case,
};
pub use coders::colour_coder;
pub use codes::{
    add_code, add_code_path, codings_under, colour_code, delete_code, describe_code,
    ensure_code_path, merge_codes, move_code, reject_suggestion, rename_code,
};
pub use coding::{
    CodeChoice, Coded, DEFAULT_CODER, Decision, HitUnit, Resolution, bounds_around, code_passage,
    code_with, decision_ranges, ensure_coder, hit_passages, in_vivo, in_vivo_name, recode,
    remove_coding, resolve_disagreement, set_bounds, widen,
};
pub use documents::{
    add_to_set, delete_set, removal_counts, remove_document, rename_document, set_document_kind,
    set_document_language,
};
pub use draft::Draft;
pub use memos::{add_memo, delete_memo, edit_memo};
