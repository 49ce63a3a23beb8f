//! Codebooks to and from the tools team members already use: Taguette's CSV, QualCoder's text layout and NVivo's
//! CSV/XLSX code list read with hierarchy and descriptions; our exports in each layout read back the same, and
//! the default CSV passes Taguette's column check.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use marginalia::model::Project;

const BIN: &str = env!("CARGO_BIN_EXE_marginalia");

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/codebooks")
        .join(name)
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .output()
        .expect("marginalia runs")
}

fn ok(output: Output) -> String {
    assert!(
        output.status.success(),
        "failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A new empty project with the codebook file imported; returns the project.
fn import_into_new(tmp: &Path, file: &Path) -> Project {
    let dir = tmp.join(format!("p-{}", file.file_name().unwrap().to_string_lossy()));
    ok(run(&["new", s(&dir)]));
    let out = ok(run(&["import-qdc", s(&dir), s(file)]));
    assert!(out.contains("Added"), "{out}");
    marginalia::store::load(&dir).unwrap()
}

/// Every code as (path, description), in tree order.
fn paths(project: &Project) -> Vec<(String, String)> {
    project
        .code_tree()
        .iter()
        .map(|(_, c)| (project.code_path(c.id), c.description.clone()))
        .collect()
}

fn has(project: &Project, path: &str, description: &str) {
    let code = project
        .find_code(path)
        .unwrap_or_else(|| panic!("no code {path}: {:?}", paths(project)));
    assert_eq!(code.description, description, "{path}");
}

#[test]
fn taguettes_codebook_csv_imports_with_descriptions() {
    let tmp = tempfile::tempdir().unwrap();
    let project = import_into_new(tmp.path(), &fixture("taguette_codebook.csv"));
    assert_eq!(project.codes().len(), 4);
    has(
        &project,
        "Barrierer",
        "Det som hindrer arbeidet i ressursteamet, også utenfor skolen.",
    );
    has(
        &project,
        "Møtearenaer",
        "Faste møteplasser i årshjulet (\"ressursteammøtet\", trinnmøter).",
    );
    has(&project, "Prosjekttrøtthet", "");
}

#[test]
fn qualcoders_text_codebook_imports_as_a_hierarchy_with_memos() {
    let tmp = tempfile::tempdir().unwrap();
    let project = import_into_new(tmp.path(), &fixture("qualcoder_codebook.txt"));
    assert!(
        project
            .codes()
            .values()
            .all(|c| !c.name.contains(">>") && !c.name.contains('\t')),
        "{:?}",
        paths(&project)
    );
    has(&project, "Barrierer", "Det som hindrer arbeidet.");
    has(
        &project,
        "Barrierer/Ressursmangel/Sykefravær",
        "Lange sykemeldinger i personalet.",
    );
    has(
        &project,
        "Organisering/Møtearenaer",
        "Faste møteplasser som ligger i årshjulet.",
    );
    has(
        &project,
        "Utfall",
        "Det som kom ut av arbeidet, slik informantene ser det.",
    );
    assert_eq!(project.codes().len(), 6);
}

#[test]
fn nvivos_code_list_imports_from_csv_and_xlsx() {
    let tmp = tempfile::tempdir().unwrap();
    let from_csv = import_into_new(tmp.path(), &fixture("nvivo_codebook.csv"));
    has(
        &from_csv,
        "Barrierer/Ressursmangel",
        "For få lærere eller timer, særlig på mellomtrinnet.",
    );
    has(
        &from_csv,
        "Barrierer/Ressursmangel/Sykefravær",
        "Lange sykemeldinger i personalet.",
    );
    assert!(
        from_csv.find_code("Codes").is_none(),
        "NVivo's top folder is not a code"
    );
    assert_eq!(from_csv.codes().len(), 5);

    // The same rows as NVivo's Excel export.
    let text = std::fs::read_to_string(fixture("nvivo_codebook.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (col, header) in reader.headers().unwrap().iter().enumerate() {
        sheet.write_string(0, col as u16, header).unwrap();
    }
    for (row, record) in reader.records().enumerate() {
        for (col, cell) in record.unwrap().iter().enumerate() {
            match cell.parse::<f64>() {
                Ok(n) => sheet.write_number(row as u32 + 1, col as u16, n).unwrap(),
                Err(_) => sheet
                    .write_string(row as u32 + 1, col as u16, cell)
                    .unwrap(),
            };
        }
    }
    let xlsx = tmp.path().join("nvivo_codebook.xlsx");
    std::fs::write(&xlsx, workbook.save_to_buffer().unwrap()).unwrap();
    let from_xlsx = import_into_new(tmp.path(), &xlsx);
    assert_eq!(paths(&from_xlsx), paths(&from_csv));
}

/// Taguette's codebook import takes exactly one of `tag`, `name` and `path` as the tag column.
fn taguette_accepts(csv_text: &str) -> bool {
    let header: Vec<&str> = csv_text.lines().next().unwrap().split(',').collect();
    ["tag", "name", "path"]
        .iter()
        .filter(|c| header.contains(c))
        .count()
        == 1
}

#[test]
fn our_exports_in_every_layout_read_back_the_same_codebook() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("studie");
    marginalia::sample::build(&dir).unwrap();
    let sample = marginalia::store::load(&dir).unwrap();
    let expected = paths(&sample);
    for (layout, format) in [
        ("marginalia", "csv"),
        ("taguette", "csv"),
        ("nvivo", "csv"),
        ("nvivo", "xlsx"),
        ("qualcoder", "txt"),
        ("marginalia", "xlsx"),
    ] {
        let file = tmp.path().join(format!("kodebok-{layout}.{format}"));
        ok(run(&[
            "export-codebook",
            s(&dir),
            "--format",
            format,
            "--layout",
            layout,
            "-o",
            s(&file),
        ]));
        let text = std::fs::read(&file).unwrap();
        if format == "csv" && layout != "nvivo" {
            assert!(
                taguette_accepts(&String::from_utf8_lossy(&text)),
                "{layout}: Taguette would refuse it"
            );
        }
        let back = import_into_new(tmp.path(), &file);
        let got = paths(&back);
        if layout == "qualcoder" {
            // One line per code: a description's line breaks become spaces.
            let flat: Vec<(String, String)> = expected
                .iter()
                .map(|(p, d)| (p.clone(), d.replace(['\n', '\r', '\t'], " ")))
                .collect();
            assert_eq!(got, flat, "{layout}");
        } else {
            assert_eq!(got, expected, "{layout} {format}");
        }
    }
    let out = run(&[
        "export-codebook",
        s(&dir),
        "--format",
        "csv",
        "--layout",
        "atlas",
        "-o",
        s(&tmp.path().join("x.csv")),
    ]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown layout 'atlas'"));
}

#[test]
fn a_table_without_a_code_column_is_refused_naming_the_file_and_the_columns() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("studie");
    ok(run(&["new", s(&dir)]));
    let file = tmp.path().join("koder.csv");
    std::fs::write(&file, "kategori,forklaring\nBarrierer,Det som hindrer\n").unwrap();
    let out = run(&["import-qdc", s(&dir), s(&file)]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("koder.csv")
            && err.contains("no code column")
            && err.contains("kategori, forklaring"),
        "{err}"
    );
}
