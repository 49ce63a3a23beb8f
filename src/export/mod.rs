//! Reports for writing up: coded excerpts, the codebook and code × case tables in md, html, docx, csv, xlsx.

pub mod codebook;
pub mod docx;
pub mod excerpts;
mod format;
pub mod render;
pub mod table;

pub use excerpts::{CitationStyle, Context, Grouping, Report, Selection, report};
pub use format::ReportFormat;
