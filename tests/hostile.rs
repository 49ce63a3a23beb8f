//! Hostile inputs from an attack on the importers: each is refused with a clear message naming the file, and
//! none aborts the process (stack overflow, failed allocation), blocks, or takes quadratic time.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use marginalia::import::formats::survey::{Per, SurveyOptions, import_survey};
use marginalia::import::{ImportOptions, import_files, read_file};
use marginalia::model::{Language, Project};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The error message of a refused file (panics if it was read).
fn refusal(path: &Path) -> String {
    match read_file(path, None) {
        Ok(entry) => panic!("{} was imported: {:?}", path.display(), entry.document.name),
        Err(error) => error.to_string(),
    }
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

// ---------------------------------------------------------------- building hostile files

/// A copy of a zip archive with one entry changed by `change`.
fn rezip(original: &Path, entry: &str, change: impl Fn(String) -> String) -> Vec<u8> {
    let bytes = std::fs::read(original).expect("read");
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).expect("entry");
        let name = file.name().expect("entry name").to_string();
        let mut data = Vec::new();
        file.read_to_end(&mut data).expect("read entry");
        if name == entry {
            data = change(String::from_utf8(data).expect("utf8")).into_bytes();
        }
        writer.start_file(name, options).expect("start");
        writer.write_all(&data).expect("write");
    }
    writer.finish().expect("finish").into_inner()
}

/// A zip archive with these entries.
fn zip_of(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        writer.start_file(*name, options).expect("start");
        writer.write_all(data).expect("write");
    }
    writer.finish().expect("finish").into_inner()
}

/// A PDF of numbered objects (object 1 is the catalog) with a correct cross-reference table.
fn pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend(body);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    let size = objects.len() + 1;
    out.extend(format!("xref\n0 {size}\n0000000000 65535 f \n").as_bytes());
    for offset in offsets {
        out.extend(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend(
        format!("trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
    );
    out
}

fn obj(text: &str) -> Vec<u8> {
    text.as_bytes().to_vec()
}

fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut out = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    out.extend(data);
    out.extend(b"\nendstream");
    out
}

/// Catalog, page tree and one page with a Helvetica font, the page's resources and content given.
fn one_page(xobjects: &str, content: &[u8], more: Vec<Vec<u8>>) -> Vec<u8> {
    let mut objects = vec![
        obj("<< /Type /Catalog /Pages 2 0 R >>"),
        obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        obj(&format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> /XObject << {xobjects} >> >> >>"
        )),
        stream("", content),
        obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"),
    ];
    objects.extend(more);
    pdf(&objects)
}

const HELLO: &[u8] = b"BT /F1 12 Tf 72 720 Td (Hei fra Nausthaugen) Tj ET";

/// A form XObject (object `6 +` whatever comes before it) drawing `content` with these XObjects.
fn form(xobjects: &str, content: &str) -> Vec<u8> {
    stream(
        &format!(
            "/Type /XObject /Subtype /Form /BBox [0 0 100 100] /Resources << /XObject << {xobjects} >> >>"
        ),
        content.as_bytes(),
    )
}

/// A zlib stream of `n` zero bytes written by hand (fixed-Huffman: a literal zero, then 258-byte copies), so a
/// test holds a large bomb without compressing it.
fn zeros_zlib(n: usize) -> Vec<u8> {
    let mut bits: Vec<bool> = Vec::with_capacity(n / 258 * 13 + 64);
    let mut push = |value: u32, count: u32, msb_first: bool| {
        for i in 0..count {
            let bit = if msb_first { count - 1 - i } else { i };
            bits.push((value >> bit) & 1 == 1);
        }
    };
    push(1, 1, false); // final block
    push(1, 2, false); // fixed Huffman
    let mut left = n;
    if left > 0 {
        push(0b0011_0000, 8, true);
        left -= 1;
    }
    while left >= 258 {
        push(0b1100_0101, 8, true); // length 258
        push(0, 5, true); // distance 1
        left -= 258;
    }
    for _ in 0..left {
        push(0b0011_0000, 8, true);
    }
    push(0, 7, true); // end of block
    let mut out = vec![0x78, 0x01];
    out.extend(bits.chunks(8).map(|byte| {
        byte.iter()
            .enumerate()
            .fold(0u8, |acc, (i, bit)| acc | (u8::from(*bit) << i))
    }));
    out.extend((((n % 65_521) as u32) << 16 | 1).to_be_bytes());
    out
}

// ---------------------------------------------------------------- C1: survey cell references

fn xlsx_options() -> SurveyOptions {
    SurveyOptions {
        id_column: "Respondent".into(),
        text_columns: vec!["Kva bør endrast?".into()],
        attribute_columns: Vec::new(),
        per: Per::Respondent,
        sheet: None,
    }
}

fn survey_refusal(path: &Path) -> String {
    let project = Project::new("t", Language::Nn);
    match import_survey(&project, path, &xlsx_options()) {
        Ok(_) => panic!("{} was imported", path.display()),
        Err(error) => error.to_string(),
    }
}

#[test]
fn xlsx_cell_reference_at_row_4294967295_is_refused_naming_file_sheet_and_cell() {
    let dir = tempfile::tempdir().expect("dir");
    let bytes = rezip(
        &fixture("import/personalundersoking.xlsx"),
        "xl/worksheets/sheet1.xml",
        |xml| xml.replace(r#"<c r="F3""#, r#"<c r="F4294967295""#),
    );
    let path = write(dir.path(), "undersøking.xlsx", &bytes);
    let message = survey_refusal(&path);
    for part in ["undersøking.xlsx", "'Svar'", "F4294967295"] {
        assert!(message.contains(part), "{part} missing in: {message}");
    }
}

#[test]
fn xlsx_declared_dimension_beyond_the_grid_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let bytes = rezip(
        &fixture("import/personalundersoking.xlsx"),
        "xl/worksheets/sheet1.xml",
        |xml| {
            xml.replace(
                r#"<dimension ref="A1:H4" />"#,
                r#"<dimension ref="A1:F4294967295" />"#,
            )
        },
    );
    let path = write(dir.path(), "dimensjon.xlsx", &bytes);
    let message = survey_refusal(&path);
    assert!(message.contains("A1:F4294967295"), "{message}");
    assert!(message.contains("'Svar'"), "{message}");
}

#[test]
fn xlsx_cells_spread_over_too_many_rows_and_columns_are_refused() {
    let dir = tempfile::tempdir().expect("dir");
    // Within the grid, but spanning 1,048,576 × 16,384 cells: a dense grid of that would need terabytes.
    let bytes = rezip(
        &fixture("import/personalundersoking.xlsx"),
        "xl/worksheets/sheet1.xml",
        |xml| {
            xml.replace(
                r#"<c r="H2" t="inlineStr" />"#,
                r#"<c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c>"#,
            )
        },
    );
    let path = write(dir.path(), "spreidd.xlsx", &bytes);
    let message = survey_refusal(&path);
    assert!(message.contains("XFD1048576"), "{message}");
    assert!(message.contains("10000000 cells"), "{message}");
}

#[test]
fn xlsx_shared_string_count_far_beyond_the_part_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let original = std::fs::read(fixture("import/personalundersoking.xlsx")).expect("read");
    let mut archive = zip::ZipArchive::new(Cursor::new(original)).expect("zip");
    let mut entries = Vec::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).expect("entry");
        let mut data = Vec::new();
        file.read_to_end(&mut data).expect("read");
        entries.push((file.name().expect("entry name").to_string(), data));
    }
    let sst = br#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="4294967295"><si><t>x</t></si></sst>"#;
    entries.push(("xl/sharedStrings.xml".into(), sst.to_vec()));
    let entries: Vec<(&str, Vec<u8>)> = entries
        .iter()
        .map(|(n, d)| (n.as_str(), d.clone()))
        .collect();
    let path = write(dir.path(), "strengar.xlsx", &zip_of(&entries));
    let message = survey_refusal(&path);
    assert!(message.contains("4294967295 shared strings"), "{message}");
}

#[test]
fn ods_run_of_four_billion_spaces_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let bytes = rezip(
        &fixture("import/personalundersoking.ods"),
        "content.xml",
        |xml| {
            xml.replacen(
                "<text:p>R01</text:p>",
                r#"<text:p>R01<text:s text:c="4000000000"/></text:p>"#,
                1,
            )
        },
    );
    let path = write(dir.path(), "mellomrom.ods", &bytes);
    let message = survey_refusal(&path);
    assert!(
        message.contains("'Svar'") && message.contains("A2"),
        "{message}"
    );
}

#[test]
fn ods_repeated_rows_of_values_are_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let bytes = rezip(
        &fixture("import/personalundersoking.ods"),
        "content.xml",
        |xml| {
            xml.replacen(
            "<table:table-row>",
            r#"<table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/></table:table-row><table:table-row>"#,
            1,
        )
        },
    );
    let path = write(dir.path(), "gjentak.ods", &bytes);
    let message = survey_refusal(&path);
    assert!(message.contains("'Svar'"), "{message}");
}

// ---------------------------------------------------------------- C2: drawings that draw themselves

#[test]
fn pdf_form_that_draws_itself_is_refused_not_a_stack_overflow() {
    let dir = tempfile::tempdir().expect("dir");
    let bytes = one_page("/X 6 0 R", b"/X Do", vec![form("/X 6 0 R", "/X Do")]);
    let path = write(dir.path(), "speil.pdf", &bytes);
    let message = refusal(&path);
    assert!(message.contains("speil.pdf"), "{message}");
    assert!(message.contains("draws itself"), "{message}");
}

#[test]
fn pdf_forms_nested_too_deep_are_refused() {
    let dir = tempfile::tempdir().expect("dir");
    // Form 6 draws 7, which draws 8, … 45 deep.
    let forms: Vec<Vec<u8>> = (6..50)
        .map(|n| form(&format!("/X {} 0 R", n + 1), "/X Do"))
        .chain([form("", "")])
        .collect();
    let path = write(
        dir.path(),
        "djup.pdf",
        &one_page("/X 6 0 R", b"/X Do", forms),
    );
    assert!(refusal(&path).contains("nested more than 16 deep"));
}

#[test]
fn pdf_forms_drawn_over_and_over_are_refused() {
    let dir = tempfile::tempdir().expect("dir");
    // Seven levels, each drawing the next ten times: ten million drawings from a 2 kB file.
    let ten = "/X Do ".repeat(10);
    let forms: Vec<Vec<u8>> = (6..13)
        .map(|n| form(&format!("/X {} 0 R", n + 1), &ten))
        .chain([form("", "")])
        .collect();
    let path = write(
        dir.path(),
        "gjentak.pdf",
        &one_page("/X 6 0 R", ten.as_bytes(), forms),
    );
    assert!(refusal(&path).contains("decompression bomb"));
}

#[test]
fn pdf_page_tree_that_loops_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    // No page-tree node has resources or a media box, so a reader climbing the parents never stops.
    let bytes = pdf(&[
        obj("<< /Type /Catalog /Pages 2 0 R >>"),
        obj("<< /Type /Pages /Kids [3 0 R] /Count 1 /Parent 3 0 R >>"),
        obj("<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>"),
        stream("", HELLO),
    ]);
    let path = write(dir.path(), "sirkel.pdf", &bytes);
    assert!(refusal(&path).contains("page tree that loops"));
}

// ---------------------------------------------------------------- C3: decompression bombs

#[test]
fn pdf_content_stream_bomb_is_refused_before_it_is_unpacked() {
    let dir = tempfile::tempdir().expect("dir");
    let bomb = zeros_zlib(200 * 1024 * 1024);
    assert!(bomb.len() < 2 * 1024 * 1024);
    let mut objects = vec![
        obj("<< /Type /Catalog /Pages 2 0 R >>"),
        obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>"),
    ];
    objects.push(stream("/Filter /FlateDecode", &bomb));
    let path = write(dir.path(), "bombe.pdf", &pdf(&objects));
    let message = refusal(&path);
    assert!(message.contains("bombe.pdf"), "{message}");
    assert!(message.contains("more than 64 MB"), "{message}");
}

#[test]
fn pdf_object_stream_bomb_is_refused_before_lopdf_loads_it() {
    let dir = tempfile::tempdir().expect("dir");
    let bomb = zeros_zlib(100 * 1024 * 1024);
    let bytes = one_page(
        "",
        HELLO,
        vec![stream(
            "/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode",
            &bomb,
        )],
    );
    let path = write(dir.path(), "objektbombe.pdf", &bytes);
    assert!(refusal(&path).contains("decompression bomb"));
}

#[test]
fn pdf_streams_unpacking_past_the_total_are_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let each = zeros_zlib(60 * 1024 * 1024);
    let streams = (0..9)
        .map(|_| stream("/Filter /FlateDecode", &each))
        .collect();
    let path = write(dir.path(), "mange.pdf", &one_page("", HELLO, streams));
    assert!(refusal(&path).contains("more than 512 MB in all"));
}

#[test]
fn pdf_cross_reference_stream_with_huge_field_widths_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let mut bytes = b"%PDF-1.5\n".to_vec();
    let catalog = bytes.len();
    bytes.extend(b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
    let pages = bytes.len();
    bytes.extend(b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n");
    // The cross-reference stream lopdf reads first: widths that would make it allocate a terabyte.
    let xref = bytes.len();
    let entries = format!("\x00\x00\x00\x01{catalog:08x}\x01{pages:08x}");
    bytes.extend(b"3 0 obj\n");
    bytes.extend(stream(
        "/Type /XRef /Size 4 /W [1 1000000000000 1] /Root 1 0 R",
        entries.as_bytes(),
    ));
    bytes.extend(format!("\nendobj\nstartxref\n{xref}\n%%EOF\n").as_bytes());
    let path = write(dir.path(), "kryssref.pdf", &bytes);
    assert!(refusal(&path).contains("field widths"));
}

#[test]
fn pdf_object_stream_with_overlapping_entries_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    // Ninety entries start inside one nested array, so each would copy nearly all of it.
    let nested = format!(
        "{}{}{}",
        "[".repeat(90),
        "0 ".repeat(20_000),
        "]".repeat(90)
    );
    let index: String = (0..90).map(|i| format!("{} {} ", 100 + i, i)).collect();
    let content = format!("{index}{nested}");
    let dict = format!("/Type /ObjStm /N 90 /First {}", index.len());
    let bytes = one_page("", HELLO, vec![stream(&dict, content.as_bytes())]);
    let path = write(dir.path(), "overlapp.pdf", &bytes);
    assert!(refusal(&path).contains("overlap"));
}

#[test]
fn pdf_objects_nested_in_strings_are_refused_in_linear_time() {
    let dir = tempfile::tempdir().expect("dir");
    // Each `obj` opens a dictionary whose string holds the rest of the file: reading every object from its
    // start would read the file 50,000 times over.
    let nested = format!(
        "{}x{}",
        "1 0 obj << /S (".repeat(50_000),
        ") >>".repeat(50_000)
    );
    let bytes = one_page("", HELLO, vec![obj(&nested)]);
    let path = write(dir.path(), "inni.pdf", &bytes);
    let started = Instant::now();
    assert!(refusal(&path).contains("inside other objects"));
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn an_ordinary_pdf_with_a_form_still_imports() {
    let dir = tempfile::tempdir().expect("dir");
    // The form has no resources of its own: it uses the page's font, as pdf-extract resolves it.
    let form = stream(
        "/Type /XObject /Subtype /Form /BBox [0 0 612 792]",
        b"BT /F1 12 Tf 72 720 Td (Hei fra skjemaet) Tj ET",
    );
    let path = write(
        dir.path(),
        "skjema.pdf",
        &one_page("/X 6 0 R", b"/X Do /X Do", vec![form]),
    );
    let entry = read_file(&path, None).expect("imported");
    assert!(entry.text.contains("Hei fra skjemaet"), "{}", entry.text);
}

#[test]
fn the_stored_seeds_import_or_are_refused_as_described() {
    let entry = read_file(&fixture("hostile/forms.pdf"), None).expect("forms.pdf imports");
    for words in [
        "Referat fra ressursteamet",
        "Rektor: Vi treng meir tid.",
        "Og faste moete.",
    ] {
        assert!(
            entry.text.contains(words),
            "{words} missing in {}",
            entry.text
        );
    }
    assert!(refusal(&fixture("hostile/form-draws-itself.pdf")).contains("draws itself"));
}

// ---------------------------------------------------------------- panic noise

/// A PDF whose page has no media box: pdf-extract panics on it (caught and refused).
fn pdf_without_media_box() -> Vec<u8> {
    pdf(&[
        obj("<< /Type /Catalog /Pages 2 0 R >>"),
        obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        obj(
            "<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        ),
        stream("", HELLO),
        obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"),
    ])
}

#[test]
fn a_caught_reader_panic_prints_only_the_refusal() {
    let dir = tempfile::tempdir().expect("dir");
    let project = dir.path().join("prosjekt");
    let file = write(dir.path(), "utan_mediaboks.pdf", &pdf_without_media_box());
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_marginalia"))
            .args(args)
            .env("MARGINALIA_CODER", "test")
            .output()
            .expect("run marginalia")
    };
    let p = project.to_str().expect("utf8");
    assert!(run(&["new", p]).status.success());
    let out = run(&["import", p, file.to_str().expect("utf8")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains("utan_mediaboks.pdf"), "{stderr}");
    assert!(stderr.contains("the PDF is damaged"), "{stderr}");
}

// ---------------------------------------------------------------- H1: survey import is linear

fn survey_csv(dir: &Path, rows: usize) -> PathBuf {
    let mut text = String::from("id,answer,school\n");
    for i in 0..rows {
        text.push_str(&format!(
            "R{i},Svar nummer {i} om samarbeid,Skule {}\n",
            i % 7
        ));
    }
    write(dir, &format!("stor_{rows}.csv"), text.as_bytes())
}

/// Seconds to build and apply a survey import of `rows` respondents.
fn survey_seconds(dir: &Path, rows: usize) -> f64 {
    let path = survey_csv(dir, rows);
    let mut project = Project::new("t", Language::Nn);
    let options = SurveyOptions {
        id_column: "id".into(),
        text_columns: vec!["answer".into()],
        attribute_columns: vec!["school".into()],
        per: Per::Respondent,
        sheet: None,
    };
    let start = Instant::now();
    let (edit, report) = import_survey(&project, &path, &options).expect("import");
    project.apply(edit).expect("apply");
    assert_eq!(report.documents.len(), rows);
    start.elapsed().as_secs_f64()
}

#[test]
fn a_survey_of_20000_respondents_imports_in_linear_time() {
    let dir = tempfile::tempdir().expect("dir");
    let small = survey_seconds(dir.path(), 5_000);
    let large = survey_seconds(dir.path(), 20_000);
    // Quadratic work made 20,000 rows take minutes in a debug build; linear work takes about four times
    // as long as 5,000 rows (allow generous noise on a shared machine).
    assert!(large < 20.0, "20,000 rows took {large:.1} s");
    assert!(
        large < small * 12.0 + 1.0,
        "5,000 rows {small:.2} s, 20,000 rows {large:.2} s"
    );
}

// ---------------------------------------------------------------- H2: FIFOs and other special files

#[cfg(unix)]
fn make_fifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs (coreutils)");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// Runs `f` on another thread and fails the test if it does not finish in time (instead of hanging).
fn within<T: Send + 'static>(seconds: u64, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(f());
    });
    receive
        .recv_timeout(Duration::from_secs(seconds))
        .expect("the import blocked")
}

#[cfg(unix)]
#[test]
fn a_fifo_named_txt_is_refused_without_blocking() {
    let dir = tempfile::tempdir().expect("dir");
    let fifo = dir.path().join("rør.txt");
    make_fifo(&fifo);
    let direct = fifo.clone();
    let message = within(20, move || refusal(&direct));
    assert!(
        message.contains("rør.txt") && message.contains("named pipe"),
        "{message}"
    );
}

#[cfg(unix)]
#[test]
fn a_folder_with_a_fifo_imports_the_other_files() {
    let dir = tempfile::tempdir().expect("dir");
    let folder = dir.path().join("intervju");
    std::fs::create_dir(&folder).expect("dir");
    write(&folder, "a_rektor.txt", b"Rektor: Vi har for lite tid.");
    make_fifo(&folder.join("b_rør.txt"));
    let (edit, report) = within(20, move || {
        let project = Project::new("t", Language::Nn);
        import_files(&project, &[folder], &ImportOptions::default(), |_, _, _| {})
    });
    assert!(edit.is_some());
    assert_eq!(report.imported.len(), 1, "{report:?}");
    assert_eq!(report.failed.len(), 1, "{report:?}");
    assert!(report.failed[0].reason.contains("named pipe"), "{report:?}");
}

// ---------------------------------------------------------------- U2: blank file names

#[test]
fn files_with_blank_names_get_usable_names_and_the_folder_imports() {
    let dir = tempfile::tempdir().expect("dir");
    write(dir.path(), " .txt", b"Fyrste tekst utan namn.");
    write(dir.path(), ".txt", b"Andre tekst utan namn.");
    write(dir.path(), "namngjeven.txt", b"Tredje tekst.");
    let mut project = Project::new("t", Language::Nn);
    let (edit, report) = import_files(
        &project,
        &[dir.path().to_path_buf()],
        &ImportOptions::default(),
        |_, _, _| {},
    );
    assert!(report.failed.is_empty(), "{report:?}");
    assert_eq!(report.imported.len(), 3, "{report:?}");
    project
        .apply(edit.expect("edit"))
        .expect("every document has a name");
    let mut names: Vec<String> = project
        .documents()
        .values()
        .map(|d| d.name.clone())
        .collect();
    names.sort();
    assert_eq!(names, [".txt", ".txt (2)", "namngjeven"]);
}

// ---------------------------------------------------------------- folders that loop

#[cfg(unix)]
#[test]
fn a_folder_with_a_link_back_to_itself_imports_each_file_once() {
    let dir = tempfile::tempdir().expect("dir");
    let folder = dir.path().join("data");
    std::fs::create_dir(&folder).expect("dir");
    write(&folder, "notat.txt", b"Eit notat.");
    std::os::unix::fs::symlink(&folder, folder.join("loop")).expect("symlink");
    let files = within(20, move || marginalia::import::expand_paths(&[folder]));
    assert_eq!(files.len(), 1, "{files:?}");
}

// ---------------------------------------------------------------- deep nesting on a worker thread's stack

/// Reads `bytes` as a file named `name` on a thread with a 2 MB stack (what a spawned import thread gets):
/// read or refused, but never a stack overflow.
fn read_on_small_stack(dir: &Path, name: &str, bytes: Vec<u8>) {
    let path = write(dir, name, &bytes);
    let reader = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            read_file(&path, None)
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
        .expect("thread");
    let _ = reader.join().expect("no panic");
}

#[test]
fn deeply_nested_inputs_do_not_overflow_the_stack() {
    let dir = tempfile::tempdir().expect("dir");
    let depth = 100_000;
    let nest = |open: &str, close: &str, inner: &str| {
        format!("{}{inner}{}", open.repeat(depth), close.repeat(depth)).into_bytes()
    };
    let rtf = [&b"{\\rtf1 "[..], &nest("{", "}", "tekst"), b"}"].concat();
    read_on_small_stack(dir.path(), "djup.rtf", rtf);
    read_on_small_stack(dir.path(), "djup.html", nest("<div>", "</div>", "tekst"));
    read_on_small_stack(dir.path(), "djup.md", nest("> ", "", "tekst"));
    read_on_small_stack(dir.path(), "liste.md", nest("- ", "", "tekst"));
    let body = String::from_utf8(nest(
        "<w:tbl><w:tr><w:tc>",
        "</w:tc></w:tr></w:tbl>",
        "<w:p><w:r><w:t>x</w:t></w:r></w:p>",
    ))
    .expect("utf8");
    let document = format!(
        r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    read_on_small_stack(
        dir.path(),
        "djup.docx",
        zip_of(&[("word/document.xml", document.into_bytes())]),
    );
    let nested_arrays = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let bytes = one_page("", HELLO, vec![obj(&nested_arrays)]);
    read_on_small_stack(dir.path(), "djup.pdf", bytes);
}
