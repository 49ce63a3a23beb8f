//! The file formats of an excerpt report, and writing a report in one of them.

use super::{Report, render, table};
use crate::error::Result;

/// The file formats of an excerpt report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ReportFormat {
    /// Word document with headings, quotes and citations.
    #[default]
    Docx,
    /// One self-contained HTML page (inline CSS, no scripts, no external resources).
    Html,
    /// Markdown: headings for the groups and each excerpt a block quote with its citation.
    Markdown,
    /// One row per excerpt.
    Csv,
    /// One row per excerpt, in a sheet named "Excerpts".
    Xlsx,
}

impl ReportFormat {
    /// Every format, in the order the export window offers them.
    pub const ALL: [Self; 5] = [
        Self::Docx,
        Self::Html,
        Self::Markdown,
        Self::Csv,
        Self::Xlsx,
    ];

    /// The file extension (and the name used on the command line).
    pub fn extension(self) -> &'static str {
        match self {
            Self::Docx => "docx",
            Self::Html => "html",
            Self::Markdown => "md",
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
        }
    }

    /// Reads a format name (`md`, `markdown`, `html`, `docx`, `csv`, `xlsx`; any case).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_lowercase().as_str() {
            "md" | "markdown" => Some(Self::Markdown),
            other => Self::ALL.into_iter().find(|f| f.extension() == other),
        }
    }

    /// The format a file name's extension asks for.
    pub fn from_path(path: &std::path::Path) -> Option<Self> {
        path.extension()
            .and_then(|e| e.to_str())
            .and_then(Self::parse)
    }

    /// The report's bytes in this format.
    pub fn render(self, report: &Report) -> Result<Vec<u8>> {
        Ok(match self {
            Self::Docx => render::docx(report)?,
            Self::Html => render::html(report).into_bytes(),
            Self::Markdown => render::markdown(report).into_bytes(),
            Self::Csv => table::csv(&table::excerpt_table(report))?,
            Self::Xlsx => table::xlsx(&table::excerpt_table(report), "Excerpts")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_extensions_round_trip() {
        for format in ReportFormat::ALL {
            assert_eq!(ReportFormat::parse(format.extension()), Some(format));
        }
        assert_eq!(
            ReportFormat::parse("Markdown"),
            Some(ReportFormat::Markdown)
        );
        assert_eq!(ReportFormat::parse("pdf"), None);
        assert_eq!(
            ReportFormat::from_path(std::path::Path::new("rapport.DOCX")),
            Some(ReportFormat::Docx)
        );
    }
}
