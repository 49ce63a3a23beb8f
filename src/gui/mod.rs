//! The egui workbench: window setup and the eframe wrapper around [`app::Workbench`] (which tests drive directly).

mod analysis;
mod app;
mod cases_panel;
mod codebook_panel;
mod coders_panel;
pub mod commands;
mod dispatch;
mod document_menu;
mod documents_panel;
mod edit_labels;
mod excerpts_panel;
pub mod export_dialog;
mod import_dialog;
mod language;
pub mod locale;
pub mod meaning;
mod memos_panel;
mod picker;
mod search_panel;
mod session;
mod shell;
pub mod strings;
mod stripes;
mod tasks;
mod theme;
mod viewer;
mod widgets;

use std::path::PathBuf;

pub use app::{AUTOSAVE_DELAY, LayoutRects, Prefs, Workbench};
pub use locale::Lang;
pub use search_panel::hit_target;
pub use session::limit_allocator_arenas;
pub use viewer::Selection;

/// Key of the preferences in eframe's storage.
const PREFS_KEY: &str = "marginalia-prefs";

/// The user's data folder: `$XDG_DATA_HOME`, else `$HOME/.local/share`.
pub fn data_dir() -> Option<PathBuf> {
    std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local").join("share")))
}

/// The eframe app: the workbench plus preference storage and saving on exit.
struct MarginaliaApp {
    workbench: Workbench,
}

impl eframe::App for MarginaliaApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.workbench.ui(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, PREFS_KEY, self.workbench.prefs());
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.workbench.on_exit();
    }
}

/// Opens the workbench window.
pub fn run() -> anyhow::Result<()> {
    limit_allocator_arenas();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(strings::title(None))
            .with_inner_size([1480.0, 920.0])
            .with_min_inner_size([900.0, 560.0])
            .with_drag_and_drop(true)
            .with_app_id("marginalia"),
        ..Default::default()
    };
    eframe::run_native(
        "marginalia",
        options,
        Box::new(|cc| {
            let prefs: Prefs = cc
                .storage
                .and_then(|s| eframe::get_value(s, PREFS_KEY))
                .unwrap_or_default();
            let mut workbench = Workbench::new(prefs, data_dir());
            workbench.open_first_run();
            Ok(Box::new(MarginaliaApp { workbench }))
        }),
    )
    .map_err(|e| anyhow::anyhow!("could not open the window: {e}"))
}
