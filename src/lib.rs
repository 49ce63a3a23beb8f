//! Marginalia's core: the project model, edits with undo, storage, import, search index, queries and retrieval.
//!
//! Nothing here depends on the GUI; the egui workbench (feature `gui`) and the CLI sit on top.

pub mod analysis;
pub mod codebook_file;
pub mod coders;
pub mod collate;
pub mod edit;
pub mod embed;
pub mod error;
pub mod export;
#[cfg(feature = "gui")]
pub mod gui;
pub mod history;
pub mod ids;
pub mod import;
pub mod index;
pub mod interop;
pub mod merge;
pub mod model;
pub mod offsets;
pub mod ops;
pub mod query;
pub mod retrieve;
pub mod sample;
pub mod store;
pub mod workspace;

pub use edit::Edit;
pub use error::{Error, Result};
pub use model::Project;
pub use workspace::Workspace;

/// The current time, in the local offset when it is known (UTC otherwise), to the second.
pub fn now() -> time::OffsetDateTime {
    let now = time::OffsetDateTime::now_local().unwrap_or_else(|_| time::OffsetDateTime::now_utc());
    now.replace_nanosecond(0).unwrap_or(now)
}
