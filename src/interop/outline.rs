//! Codebooks from plain outlines: an indented text list (`Name: definition`, bullets allowed, Markdown
//! headings as levels), QualCoder's text layout (`Category>>Code`, tab, memo), or a CSV/XLSX table from
//! Marginalia, Taguette or NVivo with a code path column (`A/B`, `A\B`, `A::B`, `A > B`).

use std::path::Path;

use super::codebook_xml::{CodeNode, unflatten};
use crate::error::{Error, Result};

fn split_definition(line: &str) -> (String, String) {
    match line.split_once(": ") {
        Some((name, definition)) => (name.trim().to_string(), definition.trim().to_string()),
        None => (line.trim().trim_end_matches(':').to_string(), String::new()),
    }
}

fn place(level: &mut Vec<CodeNode>, trail: &[usize], node: CodeNode) -> usize {
    match trail.split_first() {
        Some((index, rest)) if *index < level.len() => {
            place(&mut level[*index].children, rest, node)
        }
        _ => {
            level.push(node);
            level.len() - 1
        }
    }
}

/// Reads an indented text outline. Indentation (tabs count four spaces) or `#` heading depth gives the level.
pub fn read_text(text: &str) -> Vec<CodeNode> {
    let mut roots: Vec<CodeNode> = Vec::new();
    // (indent, index path) of the open ancestors.
    let mut stack: Vec<(i64, Vec<usize>)> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            continue;
        }
        let expanded = line.replace('\t', "    ");
        let mut indent = (expanded.len() - expanded.trim_start().len()) as i64;
        let mut content = expanded.trim();
        if content.starts_with('#') {
            let hashes = content.chars().take_while(|c| *c == '#').count();
            // Headings sit above every indented line: `#` < `##` < any list item.
            indent = -10_000 + (hashes as i64 - 1) * 100;
            content = content[hashes..].trim();
        }
        for bullet in ["- ", "* ", "+ ", "• "] {
            if let Some(rest) = content.strip_prefix(bullet) {
                content = rest.trim();
            }
        }
        if let Some((number, rest)) = content.split_once(". ")
            && !number.is_empty()
            && number.chars().all(|c| c.is_ascii_digit() || c == '.')
        {
            content = rest.trim();
        }
        let (name, description) = split_definition(content);
        if name.is_empty() {
            continue;
        }
        while stack.last().is_some_and(|(i, _)| *i >= indent) {
            stack.pop();
        }
        let trail = stack.last().map(|(_, t)| t.clone()).unwrap_or_default();
        let index = place(
            &mut roots,
            &trail,
            CodeNode {
                name,
                description,
                ..CodeNode::default()
            },
        );
        let mut own = trail;
        own.push(index);
        stack.push((indent, own));
    }
    roots
}

/// Reads a CSV (or TSV) codebook; see [`read_table`] for the columns.
pub fn read_csv(path: &Path, text: &str) -> Result<(Vec<CodeNode>, Vec<String>)> {
    let delimiter = if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("tsv"))
    {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| Error::invalid(path, e.to_string()))?
        .iter()
        .map(str::to_string)
        .collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| Error::invalid(path, e.to_string()))?;
        rows.push(record.iter().map(str::to_string).collect());
    }
    read_table(path, &headers, &rows)
}

/// Reads a spreadsheet codebook (`.xlsx`, `.ods`; the first sheet), e.g. NVivo's codebook export.
pub fn read_spreadsheet(path: &Path, bytes: &[u8]) -> Result<(Vec<CodeNode>, Vec<String>)> {
    let extension = crate::import::extension_of(path);
    let (headers, rows) = crate::import::formats::survey::read_rows(&extension, bytes)
        .map_err(|e| Error::invalid(path, e.to_string()))?;
    read_table(path, &headers, &rows)
}

/// The columns that can name the code, best first: NVivo's `Hierarchical Name`, our `path`, Taguette's `tag`,
/// then `code` and `name` (NVivo's plain list, other tables).
const CODE_COLUMNS: [&[&str]; 5] = [
    &["hierarchical name", "hierarchical code name"],
    &["path", "code path", "kodesti"],
    &["tag"],
    &["code", "kode", "node", "code name"],
    &["name", "navn"],
];

/// Reads a codebook table, whichever tool wrote it: the code column is NVivo's `Hierarchical Name`
/// (`Codes\Barriers\Resource shortage`), our `path` (`Barriers/Resource shortage`), Taguette's `tag`, or a
/// `code`/`name` column; levels may be written `A/B`, `A\B`, `A::B`, `A > B` or `A>>B`. Optional columns:
/// `description`/`definition`/`memo` and `colour`/`color`.
pub fn read_table(
    path: &Path,
    headers: &[String],
    rows: &[Vec<String>],
) -> Result<(Vec<CodeNode>, Vec<String>)> {
    let lower: Vec<String> = headers
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_lowercase())
        .collect();
    let find = |names: &[&str]| lower.iter().position(|h| names.contains(&h.as_str()));
    let Some(code_col) = CODE_COLUMNS.iter().find_map(|names| find(names)) else {
        let shown = if headers.is_empty() {
            "no header row".to_string()
        } else {
            format!("the header row has {}", headers.join(", "))
        };
        return Err(Error::invalid(
            path,
            format!(
                "no code column: expected 'tag' (Taguette), 'Hierarchical Name' or 'Name' (NVivo), 'path' or \
                 'code'; {shown}"
            ),
        ));
    };
    let nvivo = lower[code_col].starts_with("hierarchical");
    let description_col = find(&[
        "description",
        "definition",
        "beskrivelse",
        "definisjon",
        "memo",
    ]);
    let colour_col = find(&["colour", "color", "farge"]);
    let mut flat = Vec::new();
    for record in rows {
        let cell = |i: Option<usize>| {
            i.and_then(|i| record.get(i))
                .map(|c| c.trim().to_string())
                .unwrap_or_default()
        };
        let code = cell(Some(code_col));
        if code.is_empty() {
            continue;
        }
        let mut name = flatten_path(&code);
        if nvivo {
            // NVivo names the top folder of the tree (`Codes`, or `Nodes` before NVivo 12).
            for folder in ["Codes::", "Nodes::", "Koder::"] {
                if let Some(rest) = name.strip_prefix(folder) {
                    name = rest.to_string();
                }
            }
        }
        let colour = cell(colour_col);
        flat.push(CodeNode {
            name,
            description: cell(description_col),
            colour: (!colour.is_empty()).then_some(colour),
            ..CodeNode::default()
        });
    }
    let mut warnings = Vec::new();
    let nodes = unflatten(flat, &mut warnings);
    warnings.clear();
    Ok((nodes, warnings))
}

/// A code path in any tool's notation as `A::B::C` (which `unflatten` splits).
fn flatten_path(path: &str) -> String {
    path.replace(">>", "::")
        .replace(" > ", "::")
        .replace(['\\', '/'], "::")
}

/// True when a text codebook is in QualCoder's layout: `Category>>Code`, a tab, then the memo.
pub fn is_qualcoder_text(text: &str) -> bool {
    text.lines()
        .map(str::trim_start)
        .any(|l| l.contains(">>") || l.trim_end().contains('\t'))
}

/// Reads QualCoder's plain-text codebook: one code per line as its category path joined by `>>`, then a tab
/// and the code's memo (which becomes its description).
pub fn read_qualcoder_text(text: &str) -> Vec<CodeNode> {
    let flat = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let (path, memo) = line.split_once('\t').unwrap_or((line, ""));
            CodeNode {
                name: flatten_path(path.trim()),
                description: memo.trim().replace("\\n", "\n"),
                ..CodeNode::default()
            }
        })
        .filter(|n| !n.name.is_empty())
        .collect();
    unflatten(flat, &mut Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indented_outline_with_definitions() {
        let nodes = read_text(
            "# Barriers\n- Resource shortage: too few staff or hours\n  - Sick leave\n- Time pressure\n# Enablers\n\tLeadership\n",
        );
        assert_eq!(nodes.len(), 2);
        assert_eq!(nodes[0].name, "Barriers");
        assert_eq!(nodes[0].children.len(), 2);
        assert_eq!(nodes[0].children[0].description, "too few staff or hours");
        assert_eq!(nodes[0].children[0].children[0].name, "Sick leave");
        assert_eq!(nodes[1].children[0].name, "Leadership");
    }

    #[test]
    fn csv_paths_build_a_tree() {
        let (nodes, _) = read_csv(
            Path::new("codes.csv"),
            "code,description,colour\nBarriers,,\nBarriers/Resource shortage,Too few staff,#d62728\nEnablers > Leadership,,\n",
        )
        .expect("csv");
        assert_eq!(nodes.len(), 2);
        assert_eq!(nodes[0].children[0].name, "Resource shortage");
        assert_eq!(nodes[0].children[0].colour.as_deref(), Some("#d62728"));
        assert_eq!(nodes[1].children[0].name, "Leadership");
    }
}
