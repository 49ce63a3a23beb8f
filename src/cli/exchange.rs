//! Exchange verbs: REFI-QDA projects (`.qdpx`) and codebooks (`.qdc`, or CSV/text outlines) in and out, the
//! codebook with definitions (md, docx, csv, xlsx) and code × case tables (csv, xlsx).

use std::path::Path;

use anyhow::{Result, bail};

use marginalia::export;
use marginalia::interop::{self, qdc, qdpx_write};

use super::export_file;
use super::output::print_json;

/// `export-qdpx DIR -o FILE`.
pub fn export_qdpx(dir: &Path, output: &Path, json: bool) -> Result<()> {
    let ws = super::open_read_only(dir)?;
    let (bytes, report) = qdpx_write::project_qdpx(ws.project())?;
    marginalia::store::write_export(output, &bytes)?;
    if json {
        return print_json(&report);
    }
    println!("Wrote {}: {}", output.display(), summary(&report));
    for note in &report.not_represented {
        println!("  not in the standard: {note}");
    }
    Ok(())
}

/// `N documents, N codes, N codings, N cases, N memos, N sets, N users` of an import or export report.
fn summary(report: &impl serde::Serialize) -> String {
    let fields = serde_json::to_value(report).unwrap_or_default();
    let parts: Vec<String> = [
        "documents",
        "codes",
        "codings",
        "cases",
        "memos",
        "sets",
        "users",
    ]
    .iter()
    .map(|name| format!("{} {name}", fields[name].as_u64().unwrap_or(0)))
    .collect();
    parts.join(", ")
}

/// `import-qdpx FILE DIR`: parses and checks everything first, then creates the project.
pub fn import_qdpx(file: &Path, dir: &Path, json: bool) -> Result<()> {
    let (name, report) = interop::import_qdpx_project(file, dir)?;
    let ws = super::open_read_only(dir)?;
    marginalia::index::update(&ws.index_dir(), ws.project())?;
    if json {
        return print_json(&report);
    }
    let origin = if report.origin.is_empty() {
        String::new()
    } else {
        format!(" ({})", report.origin)
    };
    let counts = summary(&report);
    println!(
        "Created '{name}' in {} from {}{origin}: {counts}",
        dir.display(),
        file.display()
    );
    for warning in &report.warnings {
        println!("  warning: {warning}");
    }
    for skipped in &report.skipped {
        println!("  not imported: {skipped}");
    }
    Ok(())
}

/// `export-qdc DIR -o FILE`.
pub fn export_qdc(dir: &Path, output: &Path) -> Result<()> {
    export_file(dir, output, |p| {
        let xml = qdc::codebook_qdc(p)?;
        Ok((xml.into_bytes(), format!("{} codes", p.codes().len())))
    })
}

/// `import-qdc DIR FILE`: a .qdc, a CSV/TSV table or a text outline, merged into the codebook.
pub fn import_qdc(dir: &Path, file: &Path, json: bool) -> Result<()> {
    let (nodes, mut warnings) = interop::read_codebook(file)?;
    if nodes.is_empty() {
        bail!("{}: no codes found", file.display());
    }
    let mut ws = super::open_project(dir)?;
    let (edit, mut report) = qdc::merge_edit(ws.project(), &nodes)?;
    if let Some(edit) = edit {
        ws.apply(edit)?;
        super::save(&mut ws)?;
    }
    warnings.append(&mut report.warnings);
    report.warnings = warnings;
    if json {
        return print_json(&report);
    }
    println!(
        "Added {} code(s); {} already in the codebook",
        report.added, report.existing
    );
    for warning in &report.warnings {
        println!("  warning: {warning}");
    }
    Ok(())
}

/// `export-codebook DIR --format md|docx|csv|xlsx|txt [--layout marginalia|taguette|nvivo|qualcoder] -o FILE`.
pub fn export_codebook(dir: &Path, format: &str, layout: &str, output: &Path) -> Result<()> {
    use export::codebook::CodebookLayout;
    let layout = CodebookLayout::parse(layout).ok_or_else(|| {
        anyhow::anyhow!("unknown layout '{layout}' (use marginalia, taguette, nvivo or qualcoder)")
    })?;
    let format = format.to_lowercase();
    let format = match (layout, format.as_str()) {
        (CodebookLayout::Qualcoder, "csv" | "txt" | "md") => "txt".to_string(),
        (_, _) => format,
    };
    export_file(dir, output, |p| {
        let bytes = match (format.as_str(), layout) {
            ("md" | "markdown", CodebookLayout::Marginalia) => {
                export::codebook::markdown(p).into_bytes()
            }
            ("docx", CodebookLayout::Marginalia) => export::codebook::docx(p)?,
            ("csv", _) => export::table::csv(&export::codebook::layout_table(p, layout))?,
            ("xlsx", _) => {
                export::table::xlsx(&export::codebook::layout_table(p, layout), "Codebook")?
            }
            ("txt", _) => export::codebook::qualcoder_text(p).into_bytes(),
            ("md" | "markdown" | "docx", other) => bail!(
                "--layout {} is for csv or xlsx codebooks; use --format csv (or leave out --layout)",
                other.keyword()
            ),
            (other, _) => bail!("unknown format '{other}' (use md, docx, csv, xlsx or txt)"),
        };
        Ok((bytes, format!("{} codes", p.codes().len())))
    })
}

/// `export-table DIR --format csv|xlsx -o FILE`: code × case counts.
pub fn export_table(dir: &Path, coders: &[String], format: &str, output: &Path) -> Result<()> {
    export_file(dir, output, |p| {
        let coders = marginalia::coders::CoderSelection::from_names(p, coders)?;
        let table = export::table::code_case_counts(p, &coders);
        let bytes = match format.to_lowercase().as_str() {
            "csv" => export::table::csv(&table)?,
            "xlsx" => export::table::xlsx(&table, "Code x case")?,
            other => bail!("unknown format '{other}' (use csv or xlsx)"),
        };
        let what = format!(
            "{} codes × {} cases",
            table.rows.len(),
            table.header.len().saturating_sub(2)
        );
        Ok((bytes, what))
    })
}
