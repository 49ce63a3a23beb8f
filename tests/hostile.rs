//! Hostile inputs found by an attack on the importers: each is refused with a clear message, never aborts.

use std::path::Path;
use std::time::Instant;

use marginalia::import::formats::survey::{Per, SurveyOptions, import_survey};
use marginalia::model::{Language, Project};

fn survey_csv(dir: &Path, rows: usize) -> std::path::PathBuf {
    let mut text = String::from("id,answer,school\n");
    for i in 0..rows {
        text.push_str(&format!(
            "R{i},Svar nummer {i} om samarbeid,Skule {}\n",
            i % 7
        ));
    }
    let path = dir.join("stor.csv");
    std::fs::write(&path, text).expect("write");
    path
}

#[test]
fn profile_survey() {
    let dir = tempfile::tempdir().expect("dir");
    for rows in [5_000, 10_000, 20_000] {
        let path = survey_csv(dir.path(), rows);
        let mut project = Project::new("t", Language::Nn);
        let options = SurveyOptions {
            id_column: "id".into(),
            text_columns: vec!["answer".into()],
            attribute_columns: vec!["school".into()],
            per: Per::Respondent,
            sheet: None,
        };
        let start = Instant::now();
        let (edit, _) = import_survey(&project, &path, &options).expect("import");
        let built = start.elapsed();
        project.apply(edit).expect("apply");
        eprintln!(
            "{rows}: build {built:?}, apply {:?}",
            start.elapsed() - built
        );
    }
}
