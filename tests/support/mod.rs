//! The kittest fixture shared by the workbench tests: the sample project built in a temporary folder, opened in
//! the real workbench inside a headless harness, and small helpers to read its state and click through menus.

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(dead_code)]

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use marginalia::gui::{Prefs, Workbench};
use marginalia::ids::CodeId;

/// The coder name the tests work as.
pub const CODER: &str = "Kittest";

/// A workbench on a fresh copy of the sample project.
pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub harness: Harness<'static, Workbench>,
}

impl Fixture {
    /// Where the sample project lives.
    pub fn root(&self) -> std::path::PathBuf {
        self.dir.path().join("sample")
    }
}

/// Builds the sample project and opens it in a 1400×900 window.
pub fn open_sample() -> Fixture {
    open_sample_sized(1400.0, 900.0)
}

/// Builds the sample project and opens it in a window of this size, with the interface in English (whatever the
/// machine's locale).
pub fn open_sample_sized(width: f32, height: f32) -> Fixture {
    open_sample_in(width, height, marginalia::gui::Lang::English)
}

/// Builds the sample project and opens it in a window of this size with the interface in `language`.
pub fn open_sample_in(width: f32, height: f32, language: marginalia::gui::Lang) -> Fixture {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("sample");
    marginalia::sample::build(&root).expect("sample builds");
    let prefs = Prefs {
        coder: CODER.into(),
        language,
        ..Prefs::default()
    };
    let mut workbench = Workbench::new(prefs, Some(dir.path().to_path_buf()));
    workbench.open_project(&root);
    assert!(workbench.workspace().is_some(), "{:?}", workbench.error());
    workbench.wait_for_background();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(width, height))
        .build_ui_state(|ui, wb: &mut Workbench| wb.ui(ui), workbench);
    harness.run_steps(3);
    Fixture { dir, harness }
}

/// The open project.
pub fn project<'a>(h: &'a Harness<'_, Workbench>) -> &'a marginalia::Project {
    h.state().project().expect("open project")
}

/// The id of the code with this name.
pub fn code_named(h: &Harness<'_, Workbench>, name: &str) -> CodeId {
    project(h)
        .codes()
        .values()
        .find(|c| c.name == name)
        .map(|c| c.id)
        .expect("code exists")
}

/// Clicks a menu, then one of its items.
pub fn menu(h: &mut Harness<'_, Workbench>, menu: &str, item: &str) {
    h.get_by_label(menu).click();
    h.run_steps(2);
    h.get_by_label(item).click();
    h.run_steps(3);
}

/// Queues a command and runs frames until it is handled.
pub fn send(h: &mut Harness<'_, Workbench>, command: marginalia::gui::commands::Command) {
    h.state_mut().queue(command);
    h.run_steps(2);
}

/// Waits for the analysis views' workers, then runs frames so their results are shown.
pub fn finish_analysis(h: &mut Harness<'_, Workbench>) {
    h.state_mut().finish_analysis();
    h.run_steps(2);
}
