//! The shell: menus, shortcuts, status bar, panel layout and windows, each given what it reads.

use std::path::PathBuf;

use egui::{Key, RichText, Ui};

use crate::gui::analysis::AnalysisInput;
use crate::gui::app::{RightTab, Workbench};
use crate::gui::commands::{ACTIONS, Action, ActionSpec, Command, ExportOrigin, Menu, SaveChoice};
use crate::gui::tasks::JobKind;
use crate::gui::viewer::ViewerInput;
use crate::gui::{
    cases_panel, codebook_panel, document_menu, documents_panel, excerpts_panel, export_dialog,
    import_dialog, memos_panel, picker, search_panel, strings as s, theme, widgets,
};

/// The narrowest the centre (the document) gets while side panels are shown.
const MIN_CENTRE: f32 = 430.0;

impl Workbench {
    /// Draws the menus, panels and windows; what they ask for lands in `commands`.
    pub(super) fn shell_ui(&mut self, ui: &mut Ui, commands: &mut Vec<Command>) {
        let ctx = ui.ctx().clone();
        self.update_layers();
        dropped_files(&ctx, commands);
        self.shortcuts(&ctx, commands);
        egui::Panel::top("menu").show(ui, |ui| self.menu_ui(ui, commands));
        egui::Panel::bottom("status").show(ui, |ui| self.status_ui(ui));
        let work = ui.available_rect_before_wrap();
        widgets::set_work_area(&ctx, work);
        self.layout = crate::gui::app::LayoutRects {
            work,
            ..Default::default()
        };
        if self.session.workspace().is_some() {
            self.side_panels_ui(ui, work.width(), commands);
        }
        let centre = egui::CentralPanel::default().show(ui, |ui| self.centre_ui(ui, commands));
        self.layout.centre = centre.response.rect;
        self.windows_ui(&ctx, commands);
        widgets::clear_escape(&ctx);
        widgets::remember_focused_window(&ctx);
    }

    /// The side panels: sized to the window (never leaving the document less than [`MIN_CENTRE`]), resizable
    /// between a minimum and a maximum, each hidden from the View menu or its shortcut.
    fn side_panels_ui(&mut self, ui: &mut Ui, width: f32, commands: &mut Vec<Command>) {
        let mut left_width = 0.0;
        if self.prefs.show_left {
            let max = (width * 0.4).clamp(200.0, 560.0);
            let shown = egui::Panel::left("left")
                .resizable(true)
                .default_size((width * 0.22).clamp(200.0, 340.0))
                .size_range(190.0..=max)
                .show(ui, |ui| self.left_ui(ui, commands));
            left_width = shown.response.rect.width();
            self.layout.left = Some(shown.response.rect);
        }
        if self.prefs.show_right {
            let room = width - left_width - MIN_CENTRE;
            let max = room.clamp(240.0, 760.0);
            let shown = egui::Panel::right("right")
                .resizable(true)
                .default_size((width * 0.27).clamp(240.0, 440.0).min(max))
                .size_range(240.0..=max)
                .show(ui, |ui| self.right_ui(ui, commands));
            self.layout.right = Some(shown.response.rect);
        }
    }

    fn menu_ui(&self, ui: &mut Ui, commands: &mut Vec<Command>) {
        egui::MenuBar::new().ui(ui, |ui| {
            for (menu, title) in [
                (Menu::File, s::MENU_FILE),
                (Menu::Edit, s::MENU_EDIT),
                (Menu::Code, s::MENU_CODE),
                (Menu::Hidden, s::MENU_DOCUMENT),
                (Menu::View, s::MENU_VIEW),
                (Menu::Analysis, s::MENU_ANALYSIS),
            ] {
                if menu == Menu::Hidden {
                    ui.menu_button(title, |ui| self.document_menu_ui(ui, commands));
                    continue;
                }
                ui.menu_button(title, |ui| {
                    for spec in ACTIONS.iter().filter(|a| a.menu == menu) {
                        self.menu_item_ui(ui, spec, commands);
                    }
                    if menu == Menu::View {
                        ui.separator();
                        self.language_menu_ui(ui, commands);
                    }
                    if menu == Menu::File && !self.prefs.recent.is_empty() {
                        ui.separator();
                        ui.menu_button(s::MENU_RECENT, |ui| {
                            for path in &self.prefs.recent {
                                if ui.button(path.display().to_string()).clicked() {
                                    commands.push(Command::OpenProject(path.clone()));
                                    ui.close();
                                }
                            }
                        });
                    }
                });
            }
        });
    }

    /// View ▸ Language: the interface language, each named in itself.
    fn language_menu_ui(&self, ui: &mut Ui, commands: &mut Vec<Command>) {
        ui.menu_button(s::MENU_LANGUAGE, |ui| {
            for lang in crate::gui::locale::Lang::ALL {
                let chosen = self.prefs.language == lang;
                if ui.radio(chosen, lang.name()).clicked() {
                    commands.push(Command::SetLanguage(lang));
                    ui.close();
                }
            }
        })
        .response
        .on_hover_text(s::LANGUAGE_MENU_HINT);
    }

    /// The Document menu: what can be done with the open document.
    fn document_menu_ui(&self, ui: &mut Ui, commands: &mut Vec<Command>) {
        let project = self.session.project();
        let doc = self
            .viewer
            .document
            .and_then(|d| project?.documents().get(&d));
        match (project, doc) {
            (Some(project), Some(doc)) => {
                document_menu::document_menu_ui(ui, project, doc, commands);
            }
            _ => drop(ui.label(
                RichText::new(s::NO_OPEN_DOCUMENT).color(theme::muted(ui.visuals().dark_mode)),
            )),
        }
    }

    fn menu_item_ui(&self, ui: &mut Ui, spec: &ActionSpec, commands: &mut Vec<Command>) {
        let toggle = match spec.action {
            Action::ToggleSnapWords => Some(self.prefs.snap_words),
            Action::ToggleLeftPanel => Some(self.prefs.show_left),
            Action::ToggleRightPanel => Some(self.prefs.show_right),
            _ => None,
        };
        if let Some(mut on) = toggle {
            let mut check = ui.checkbox(&mut on, spec.label);
            if let Some(shortcut) = spec.shortcut {
                check = check.on_hover_text(ui.ctx().format_shortcut(&shortcut));
            }
            if check.clicked() {
                commands.push(Command::Action(spec.action));
                ui.close();
            }
            return;
        }
        let mut button = egui::Button::new(self.menu_label(spec));
        let zoom = match spec.action {
            Action::ZoomIn => Some(egui::gui_zoom::kb_shortcuts::ZOOM_IN),
            Action::ZoomOut => Some(egui::gui_zoom::kb_shortcuts::ZOOM_OUT),
            Action::ZoomReset => Some(egui::gui_zoom::kb_shortcuts::ZOOM_RESET),
            _ => None,
        };
        if let Some(shortcut) = spec.shortcut.or(zoom) {
            button = button.shortcut_text(ui.ctx().format_shortcut(&shortcut));
        }
        if ui.add_enabled(self.enabled(spec.action), button).clicked() {
            commands.push(Command::Action(spec.action));
            ui.close();
        }
    }

    fn menu_label(&self, spec: &ActionSpec) -> String {
        let history = self.session.workspace().map(|w| w.history());
        match spec.action {
            Action::Undo => s::undo_label(history.and_then(|h| h.undo_label())),
            Action::Redo => s::redo_label(history.and_then(|h| h.redo_label())),
            Action::ToggleTheme => format!("{} ({})", s::THEME_SWITCH, self.prefs.theme.label()),
            Action::SuggestPassages => self
                .selected_codes
                .iter()
                .next()
                .zip(self.session.project())
                .and_then(|(id, p)| p.codes().get(id))
                .map_or_else(|| spec.label.to_string(), |c| s::suggest_for_code(&c.name)),
            _ => spec.label.to_string(),
        }
    }

    fn enabled(&self, action: Action) -> bool {
        let history = self.session.workspace().map(|w| w.history());
        match action {
            Action::Undo => history.is_some_and(|h| h.undo_label().is_some()),
            Action::Redo => history.is_some_and(|h| h.redo_label().is_some()),
            Action::CodeSelection | Action::InVivo | Action::ClearSelection => {
                self.viewer.selected_range().is_some()
            }
            Action::NewProject
            | Action::OpenProject
            | Action::OpenSample
            | Action::ImportQdpx
            | Action::Quit
            | Action::ToggleTheme
            | Action::ToggleLeftPanel
            | Action::ToggleRightPanel
            | Action::ZoomIn
            | Action::ZoomOut
            | Action::ZoomReset => true,
            _ => self.session.workspace().is_some(),
        }
    }

    fn status_ui(&mut self, ui: &mut Ui) {
        let dark = ui.visuals().dark_mode;
        ui.horizontal(|ui| {
            let state = match self.session.workspace() {
                None => s::NO_PROJECT,
                Some(_) if self.session.save_pending() => s::SAVING,
                Some(ws) if ws.is_dirty() => s::UNSAVED,
                Some(_) => s::SAVED,
            };
            ui.label(RichText::new(state).color(theme::muted(dark)));
            self.messages_ui(ui, dark);
            if let Some(progress) = self.jobs.progress(JobKind::Import) {
                ui.separator();
                import_dialog::progress_ui(ui, &progress);
            }
            let mut meaning = Vec::new();
            self.meaning_status_ui(ui, &mut meaning);
            meaning.into_iter().for_each(|c| self.queue(c));
            if self.session.indexing() {
                ui.separator();
                ui.spinner();
                ui.label(RichText::new(s::INDEXING).color(theme::muted(dark)));
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                self.status_right_ui(ui);
            });
        });
    }

    /// The error (until dismissed) or the last notice.
    fn messages_ui(&mut self, ui: &mut Ui, dark: bool) {
        if let Some(error) = &self.error {
            ui.separator();
            ui.label(
                RichText::new(error)
                    .color(theme::error_colour(dark))
                    .strong(),
            );
            if ui.small_button(s::DISMISS).clicked() {
                self.error = None;
            }
        } else if let Some(notice) = &self.notice {
            ui.separator();
            ui.label(RichText::new(notice).color(theme::muted(dark)));
        }
    }

    /// The selection length, the document's name and the coder (editable).
    fn status_right_ui(&mut self, ui: &mut Ui) {
        if let Some(range) = self.viewer.selected_range() {
            ui.label(s::selection_length(range.len()));
            ui.separator();
        }
        if let Some(doc) = self
            .viewer
            .document
            .and_then(|d| self.session.project()?.documents().get(&d))
        {
            ui.label(RichText::new(&doc.name).strong());
            ui.separator();
        }
        ui.menu_button(s::coder_is(&self.prefs.coder), |ui| {
            let label = ui.label(s::CODER);
            ui.text_edit_singleline(&mut self.prefs.coder)
                .labelled_by(label.id);
        });
    }

    fn left_ui(&mut self, ui: &mut Ui, commands: &mut Vec<Command>) {
        let Some(ws) = self.session.workspace() else {
            return;
        };
        let height = ui.available_height();
        egui::Panel::top("documents-section")
            .resizable(true)
            .default_size(height * 0.42)
            .size_range(120.0..=(height - 160.0).max(140.0))
            .show(ui, |ui| {
                ui.add_space(4.0);
                ui.heading(s::DOCUMENTS);
                documents_panel::documents_ui(
                    ui,
                    ws.project(),
                    self.layer_revision,
                    self.viewer.document,
                    &mut self.documents,
                    commands,
                );
            });
        ui.add_space(6.0);
        ui.heading(s::CODEBOOK);
        codebook_panel::codebook_ui(
            ui,
            ws.project(),
            self.layer_revision,
            &self.selected_codes,
            &mut self.codebook,
            commands,
        );
    }

    fn right_ui(&mut self, ui: &mut Ui, commands: &mut Vec<Command>) {
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            for (tab, label) in [
                (RightTab::Search, s::TAB_SEARCH),
                (RightTab::Excerpts, s::TAB_EXCERPTS),
                (RightTab::Memos, s::TAB_MEMOS),
                (RightTab::Case, s::TAB_CASE),
            ] {
                ui.selectable_value(&mut self.right_tab, tab, RichText::new(label).size(15.0));
            }
        });
        ui.separator();
        let indexing = self.session.indexing();
        let Some(ws) = self.session.workspace() else {
            return;
        };
        let (project, document) = (ws.project(), self.viewer.document);
        match self.right_tab {
            RightTab::Search => search_panel::search_ui(ui, &mut self.search, indexing, commands),
            RightTab::Excerpts => excerpts_panel::excerpts_ui(
                ui,
                project,
                self.layer_revision,
                &self.selected_codes,
                &mut self.excerpts,
                commands,
            ),
            RightTab::Memos => memos_panel::memos_ui(
                ui,
                project,
                (document, &self.selected_codes),
                &self.excerpts.shown,
                &mut self.memos,
                commands,
            ),
            RightTab::Case => {
                cases_panel::case_tab_ui(ui, project, document, &mut self.cases, commands);
            }
        }
    }

    fn centre_ui(&mut self, ui: &mut Ui, commands: &mut Vec<Command>) {
        let Some(ws) = self.session.workspace() else {
            welcome_ui(ui, &self.prefs.recent, commands);
            return;
        };
        let project = ws.project();
        if let Some(doc) = self
            .viewer
            .document
            .and_then(|d| project.documents().get(&d))
        {
            document_header_ui(ui, project, doc);
            let selection = self.viewer.selected_range().is_some();
            recent_codes_ui(ui, project, &self.recent_codes, selection, commands);
            ui.add_space(2.0);
        }
        let hits = self
            .viewer
            .document
            .and_then(|d| self.search.doc_matches.get(&d))
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let input = ViewerInput {
            project,
            revision: self.layer_revision,
            coders: &self.excerpts.shown,
            selected_codes: &self.selected_codes,
            hits,
        };
        self.viewer.viewer_ui(ui, &input, commands);
    }

    fn windows_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        if let Some(root) = &self.stale_lock
            && let Some(open) = stale_lock_ui(ctx, root)
        {
            if open {
                commands.push(Command::UnlockAndOpen(root.clone()));
            }
            self.stale_lock = None;
        }
        if self.pending_close.is_some() {
            save_failed_ui(ctx, self.error.as_deref(), commands);
        }
        if let Some(dialog) = self.new_project.as_mut()
            && !super::language::new_project_ui(ctx, dialog, commands)
        {
            self.new_project = None;
        }
        self.meaning_windows_ui(ctx, commands);
        let exporting = self
            .jobs
            .running(JobKind::Export(ExportOrigin::ExcerptWindow));
        let project = self.session.project();
        export_dialog::windows_ui(
            ctx,
            project,
            &self.selected_codes,
            &mut self.exchange,
            exporting,
            commands,
        );
        let Some(project) = project else { return };
        if let Some(state) = self.picker.as_mut()
            && !picker::picker_ui(ctx, project, state, commands)
        {
            self.picker = None;
        }
        codebook_panel::confirm_delete_ui(ctx, project, &mut self.codebook, commands);
        document_menu::confirm_remove_ui(ctx, project, &mut self.confirm_remove, commands);
        if self.cases.window_open {
            let revision = self.layer_revision;
            cases_panel::cases_window_ui(ctx, project, revision, &mut self.cases, commands);
        }
        if let Some(summary) = self.import_summary.as_mut()
            && !import_dialog::summary_ui(ctx, project, summary, commands)
        {
            self.import_summary = None;
        }
        if let Some(ws) = self.session.workspace() {
            crate::gui::coders_panel::coders_window_ui(
                ctx,
                ws.project(),
                ws.revision(),
                &mut self.layers,
                &mut self.prefs.blind,
                &self.prefs.coder,
                commands,
            );
        }
        self.analysis_ui(ctx, commands);
    }

    /// The analysis windows; the search index is brought up to date first when a coding query needs it.
    fn analysis_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        if self.analysis.needs_index()
            && let Some(Err(e)) = self.session.synced_index()
        {
            self.error = Some(e.to_string());
        }
        let Some(ws) = self.session.workspace() else {
            return;
        };
        let input = AnalysisInput {
            project: ws.project(),
            revision: self.layer_revision,
            coders: self.excerpts.shown.clone(),
            blind: self.prefs.blind && !self.layers.revealed,
            selected_codes: &self.selected_codes,
            index: self.session.index(),
            worker: crate::gui::analysis::Worker {
                snapshot: ws.project_snapshot(),
                ctx: Some(ctx.clone()),
                wait: false,
            },
        };
        self.analysis.windows_ui(ctx, &input, commands);
    }

    fn shortcuts(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        if self.picker.is_some()
            || self.codebook.confirm_delete.is_some()
            || self.confirm_remove.is_some()
        {
            return;
        }
        let text_focus = ctx.text_edit_focused();
        // While a menu, context menu or drop-down is open, Escape is its own: it closes that popup (egui does
        // so when the popup is drawn) and neither closes the window under it nor clears the selection.
        let popup = egui::Popup::is_any_open(ctx);
        if !text_focus && !popup {
            widgets::take_escape_for_window(ctx);
        }
        let with_shift = ACTIONS
            .iter()
            .filter(|a| a.shortcut.is_some_and(|k| k.modifiers.shift));
        let without = ACTIONS
            .iter()
            .filter(|a| a.shortcut.is_some_and(|k| !k.modifiers.shift));
        for spec in with_shift.chain(without) {
            if let Some(shortcut) = spec.shortcut
                && (spec.global || !text_focus)
                && !(popup && shortcut.logical_key == egui::Key::Escape)
                && ctx.input_mut(|i| i.consume_shortcut(&shortcut))
            {
                commands.push(Command::Action(spec.action));
            }
        }
        if text_focus {
            return;
        }
        if self.viewer.selected_range().is_some() {
            for (n, key) in DIGITS.iter().enumerate() {
                if ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, *key)) {
                    commands.push(Command::ApplyRecent(n));
                }
            }
        }
        if let Some(project) = self.session.project() {
            self.viewer.keyboard(ctx, project);
        }
    }
}

/// The digit keys that apply recent codes.
const DIGITS: [Key; 9] = [
    Key::Num1,
    Key::Num2,
    Key::Num3,
    Key::Num4,
    Key::Num5,
    Key::Num6,
    Key::Num7,
    Key::Num8,
    Key::Num9,
];

/// Files dropped on the window are imported.
fn dropped_files(ctx: &egui::Context, commands: &mut Vec<Command>) {
    let paths: Vec<PathBuf> = ctx.input(|i| {
        i.raw
            .dropped_files
            .iter()
            .map(|f| f.path().to_path_buf())
            .filter(|p| !p.as_os_str().is_empty())
            .collect()
    });
    if !paths.is_empty() {
        commands.push(Command::ImportPaths(paths));
    }
}

/// The document's name, kind and cases above the text.
fn document_header_ui(ui: &mut Ui, project: &crate::model::Project, doc: &crate::model::Document) {
    let dark = ui.visuals().dark_mode;
    ui.horizontal(|ui| {
        ui.heading(&doc.name);
        let cases: Vec<&str> = project
            .cases_of(doc.id)
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        let mut meta = s::kind_name(doc.kind).to_string();
        if !cases.is_empty() {
            meta.push_str(" · ");
            meta.push_str(&cases.join(", "));
        }
        ui.label(RichText::new(meta).color(theme::muted(dark)));
    });
}

/// The recent codes as buttons (the digit keys apply them to the selection).
fn recent_codes_ui(
    ui: &mut Ui,
    project: &crate::model::Project,
    recent: &[crate::ids::CodeId],
    selection: bool,
    commands: &mut Vec<Command>,
) {
    // One row, there from the start (an empty bar holds a hint), so the first coding does not push the text down;
    // a narrow window scrolls it sideways instead of wrapping.
    egui::ScrollArea::horizontal()
        .id_salt("recent-codes")
        .auto_shrink([false, true])
        .show(ui, |ui| {
            recent_row_ui(ui, project, recent, selection, commands)
        });
}

/// The row of recent codes (or the hint while there are none).
fn recent_row_ui(
    ui: &mut Ui,
    project: &crate::model::Project,
    recent: &[crate::ids::CodeId],
    selection: bool,
    commands: &mut Vec<Command>,
) {
    let dark = ui.visuals().dark_mode;
    ui.horizontal(|ui| {
        ui.set_min_height(ui.spacing().interact_size.y);
        ui.label(
            RichText::new(s::RECENT_CODES)
                .small()
                .color(theme::muted(dark)),
        );
        if recent.is_empty() {
            ui.label(
                RichText::new(s::RECENT_CODES_HINT)
                    .small()
                    .italics()
                    .color(theme::muted(dark)),
            );
        }
        for (n, id) in recent.iter().enumerate() {
            let Some(code) = project.codes().get(id) else {
                continue;
            };
            let text = RichText::new(format!("{} {}", n + 1, code.name))
                .small()
                .color(theme::code_colour(&code.colour, dark));
            if ui
                .add_enabled(selection, egui::Button::new(text).small())
                .clicked()
            {
                commands.push(Command::ApplyRecent(n));
            }
        }
    });
}

fn welcome_ui(ui: &mut Ui, recent: &[PathBuf], commands: &mut Vec<Command>) {
    ui.vertical_centered(|ui| {
        ui.add_space(ui.available_height() * 0.25);
        ui.heading("Marginalia");
        ui.label(s::WELCOME);
        ui.add_space(12.0);
        for action in [Action::OpenSample, Action::OpenProject, Action::NewProject] {
            if let Some(spec) = crate::gui::commands::spec_of(action)
                && ui.button(spec.label).clicked()
            {
                commands.push(Command::Action(action));
            }
        }
        if !recent.is_empty() {
            ui.add_space(12.0);
            ui.label(RichText::new(s::MENU_RECENT).strong());
            for path in recent {
                if ui.link(path.display().to_string()).clicked() {
                    commands.push(Command::OpenProject(path.clone()));
                }
            }
        }
    });
}

/// Asks before breaking a stale lock; `Some(true)` to open, `Some(false)` to leave it.
fn stale_lock_ui(ctx: &egui::Context, root: &std::path::Path) -> Option<bool> {
    let mut choice = None;
    let modal = egui::Modal::new(egui::Id::unique("stale-lock")).show(ctx, |ui| {
        ui.set_max_width(440.0);
        ui.heading(s::STALE_LOCK_TITLE);
        ui.add_space(6.0);
        ui.label(root.display().to_string());
        ui.add_space(4.0);
        ui.label(s::STALE_LOCK_TEXT);
        ui.add_space(10.0);
        ui.horizontal(|ui| {
            if ui.button(s::UNLOCK_AND_OPEN).clicked() || ui.input(|i| i.key_pressed(Key::Enter)) {
                choice = Some(true);
            }
            if ui.button(s::CANCEL).clicked() {
                choice = Some(false);
            }
        });
    });
    if modal.should_close() && choice.is_none() {
        choice = Some(false);
    }
    choice
}

/// The project could not be saved on close or quit: retry, close without saving, or stay.
fn save_failed_ui(ctx: &egui::Context, error: Option<&str>, commands: &mut Vec<Command>) {
    let dark = ctx.global_style().visuals.dark_mode;
    let modal = egui::Modal::new(egui::Id::unique("save-failed")).show(ctx, |ui| {
        ui.set_max_width(460.0);
        ui.heading(s::SAVE_FAILED_TITLE);
        ui.add_space(6.0);
        if let Some(error) = error {
            ui.label(RichText::new(error).color(theme::error_colour(dark)));
            ui.add_space(4.0);
        }
        ui.label(s::SAVE_FAILED_TEXT);
        ui.add_space(10.0);
        ui.horizontal(|ui| {
            for (label, choice) in [
                (s::RETRY_SAVE, SaveChoice::Retry),
                (s::DISCARD_CHANGES, SaveChoice::Discard),
                (s::STAY_OPEN, SaveChoice::Cancel),
            ] {
                let enter = choice == SaveChoice::Retry && ui.input(|i| i.key_pressed(Key::Enter));
                if ui.button(label).clicked() || enter {
                    commands.push(Command::SaveFailed(choice));
                }
            }
        });
    });
    if modal.should_close() {
        commands.push(Command::SaveFailed(SaveChoice::Cancel));
    }
}
