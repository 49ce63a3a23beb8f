//! Dispatch: each command becomes a `crate::ops` edit built against the current project and applied.

use std::collections::BTreeSet;
use std::fmt::Display;
use std::path::PathBuf;

use crate::edit::{Edit, EditError, EntityKey};
use crate::gui::app::{RightTab, Workbench};
use crate::gui::commands::{
    Action, CaseChange, CaseRef, CodeChange, Command, DocumentChange, ExportOrigin, Finished,
    MemoChange, PickTarget,
};
use crate::gui::import_dialog::{self, ImportSummary};
use crate::gui::meaning::MeaningCommand;
use crate::gui::picker::PickerState;
use crate::gui::session::AfterClose;
use crate::gui::strings as s;
use crate::gui::tasks::{JobKind, Reporter};
use crate::gui::viewer::Selection;
use crate::gui::{analysis, export_dialog};
use crate::ids::{CodeId, DocumentId, MemoId};
use crate::model::{MemoTarget, Project};
use crate::offsets::CharRange;
use crate::ops::{self, CodeChoice};

/// Recent codes kept for the digit keys.
const RECENT_CODES: usize = 9;

impl Workbench {
    /// Handles one command.
    pub(super) fn handle(&mut self, command: Command) {
        match command {
            Command::Action(action) => self.action(action),
            Command::SetLanguage(lang) => {
                self.prefs.language = lang;
                crate::gui::locale::set_current(lang);
            }
            Command::OpenDocument(doc) => self.viewer.open(doc),
            Command::Jump { document, range } => self.jump(document, range),
            Command::SelectCode { code, additive } => self.select_code(code, additive),
            Command::OpenPicker(target) => self.open_picker(target),
            Command::CodeWith { target, code } => {
                self.code_target(target, CodeChoice::Existing(code), false);
            }
            Command::CreateAndCode { target, name } => {
                self.code_target(target, CodeChoice::Path(&name), true);
            }
            Command::ApplyRecent(n) => {
                if let Some(code) = self.recent_codes.get(n).copied() {
                    self.code_target(PickTarget::Selection, CodeChoice::Existing(code), false);
                }
            }
            Command::RemoveCoding(id) => drop(self.apply_op(|p| ops::remove_coding(p, id))),
            Command::ResolveDisagreement(decision) => self.resolve_disagreement(&decision),
            Command::SetCodingBounds(id) => {
                if let Some(range) = self.viewer.selected_range() {
                    self.apply_op(|p| ops::set_bounds(p, id, range));
                }
            }
            Command::AddCodingMemo(id) => self.new_memo(MemoTarget::Coding(id)),
            Command::NewMemo(target) => self.new_memo(target),
            Command::OpenMemo(id) => self.open_memo(id),
            Command::Memo(change) => self.memo_change(change),
            Command::Code(change) => self.code_change(change),
            Command::Case(change) => self.case_change(change),
            Command::Document(change) => self.document_change(change),
            Command::SaveQueryAsCode { query, path } => self.save_query(&query, &path),
            Command::Meaning(command) => self.meaning_command(command),
            Command::ExportExcerpts(options) => self.export_excerpts(*options),
            Command::ExportTable {
                table,
                name,
                format,
            } => self.spawn_job(
                JobKind::Export(ExportOrigin::Analysis),
                analysis::export_table_job(*table, name, format),
            ),
            Command::OpenProject(root) => self.open_project(&root),
            Command::CreateProject(root) => {
                self.new_project = Some(super::language::NewProjectDialog::new(root));
            }
            Command::CreateProjectIn { root, language } => {
                self.close_then(AfterClose::Create(root, language));
            }
            Command::ColourCoder { coder, colour } => {
                self.apply_op(|p| crate::ops::colour_coder(p, coder, colour.as_deref()));
            }
            Command::SetDocumentLanguage { document, language } => {
                self.apply_op(|p| crate::ops::set_document_language(p, document, language));
            }
            Command::UnlockAndOpen(root) => self.unlock_and_open(&root),
            Command::ImportPaths(paths) => self.import_paths(paths),
            Command::ImportCasesCsv(path) => self.import_cases_csv(&path),
            Command::MergeCopy(path) => self.merge_copy(&path),
            Command::SaveFailed(choice) => self.save_failed_choice(choice),
            Command::Finished(finished) => self.finished(finished),
            Command::Error(e) => self.error = Some(e),
        }
    }

    /// Applies an edit through the workspace (undoable); the autosave follows.
    pub(super) fn apply(&mut self, edit: Edit) -> bool {
        match self.session.apply(edit) {
            Some(Ok(label)) => {
                self.notice = Some(label);
                true
            }
            Some(Err(e)) => {
                self.error = Some(e.to_string());
                false
            }
            None => false,
        }
    }

    /// Builds an edit against the current project with a core operation and applies it.
    pub(super) fn apply_op<E: Display>(
        &mut self,
        op: impl FnOnce(&Project) -> Result<Edit, E>,
    ) -> bool {
        let Some(project) = self.session.project() else {
            return false;
        };
        match op(project) {
            Ok(edit) => self.apply(edit),
            Err(e) => {
                self.error = Some(e.to_string());
                false
            }
        }
    }

    fn undo_redo(&mut self, redo: bool) {
        match self.session.undo_redo(redo) {
            Ok(Some(label)) if redo => self.notice = Some(s::redone(&label)),
            Ok(Some(label)) => self.notice = Some(s::undone(&label)),
            Ok(None) => {}
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    fn jump(&mut self, document: DocumentId, range: CharRange) {
        self.viewer.open(document);
        self.viewer.selection = Some(Selection::of(range));
        self.viewer.scroll_to = Some(range.start);
        let now = self.ctx.as_ref().map_or(0.0, |c| c.input(|i| i.time));
        self.viewer.flash = Some((range, now + 1.6));
    }

    /// Changes the codebook selection (the description being edited is committed first).
    fn select_code(&mut self, code: CodeId, additive: bool) {
        self.commit_drafts();
        if !additive {
            self.selected_codes = BTreeSet::from([code]);
        } else if !self.selected_codes.remove(&code) {
            self.selected_codes.insert(code);
        }
    }

    fn selection_target(&self) -> Option<(DocumentId, CharRange)> {
        Some((self.viewer.document?, self.viewer.selected_range()?))
    }

    fn open_picker(&mut self, target: PickTarget) {
        if target == PickTarget::Selection && self.selection_target().is_none() {
            self.notice = Some(s::NO_SELECTION.into());
        } else {
            self.picker = Some(PickerState::new(target));
        }
    }

    fn push_recent_code(&mut self, code: CodeId) {
        self.recent_codes.retain(|c| *c != code);
        self.recent_codes.insert(0, code);
        self.recent_codes.truncate(RECENT_CODES);
    }

    /// Codes the picker's target (the selection, every search hit, or one coding) through the core's ops.
    fn code_target(&mut self, target: PickTarget, choice: CodeChoice, reveal: bool) {
        let Some(project) = self.session.project() else {
            return;
        };
        let coder = self.prefs.coder.as_str();
        let result = match &target {
            PickTarget::Selection => match self.selection_target() {
                Some(passage) => ops::code_with(project, choice, &[passage], coder, None)
                    .map_err(|e| e.to_string()),
                None => Err(s::NO_SELECTION.into()),
            },
            PickTarget::AllHits(unit) => match &self.search.results {
                Some(results) => {
                    let passages = ops::hit_passages(project, &results.hits, *unit);
                    ops::code_with(project, choice, &passages, coder, None)
                        .map_err(|e| e.to_string())
                }
                None => Err(s::RUN_A_SEARCH_FIRST.into()),
            },
            PickTarget::Coding(id) => ops::recode(project, *id, choice).map_err(|e| e.to_string()),
        };
        match result {
            Ok(coded) => self.coded(coded, reveal),
            Err(e) => self.notice = Some(e),
        }
    }

    /// Applies a coding action and remembers its code for the digit keys.
    fn coded(&mut self, coded: ops::Coded, reveal: bool) {
        if self.apply(coded.edit) {
            self.push_recent_code(coded.code);
            if reveal {
                self.codebook.scroll_to = Some(coded.code);
            }
        }
    }

    fn in_vivo(&mut self) {
        let (Some(project), Some((doc, range))) = (self.session.project(), self.selection_target())
        else {
            self.notice = Some(s::NO_SELECTION.into());
            return;
        };
        match ops::in_vivo(project, doc, range, &self.prefs.coder) {
            Ok(coded) => self.coded(coded, true),
            Err(e) => self.notice = Some(e.to_string()),
        }
    }

    /// Writes a new, untitled memo (its author: the coder name in the preferences) and opens it.
    fn new_memo(&mut self, target: MemoTarget) {
        self.commit_drafts();
        let Some(project) = self.session.project() else {
            return;
        };
        match ops::add_memo(
            project,
            target,
            s::UNTITLED_MEMO.get(),
            "",
            &self.prefs.coder,
        ) {
            Ok((memo, edit)) => {
                if self.apply(edit) {
                    self.memos.open = Some(memo);
                    self.right_tab = RightTab::Memos;
                }
            }
            Err(e) => self.notice = Some(e.to_string()),
        }
    }

    /// Opens a memo in the Memos tab (the one being edited is committed first).
    fn open_memo(&mut self, id: MemoId) {
        self.commit_drafts();
        self.memos.open = Some(id);
        self.right_tab = RightTab::Memos;
    }

    fn memo_change(&mut self, change: MemoChange) {
        match change {
            MemoChange::Edit { memo, title, text } => {
                self.apply_op(|p| ops::edit_memo(p, memo, &title, &text));
            }
            MemoChange::Delete(memo) => {
                if self.memos.open == Some(memo) {
                    self.memos.open = None;
                }
                self.apply_op(|p| ops::delete_memo(p, memo));
            }
        }
    }

    fn code_change(&mut self, change: CodeChange) {
        match change {
            CodeChange::AddPath(path) => self.add_code_path(&path),
            CodeChange::AddSubcode(parent) => self.add_subcode(parent),
            CodeChange::Rename { code, name } => {
                self.apply_op(|p| ops::rename_code(p, code, &name));
            }
            CodeChange::Describe { code, text } => {
                self.apply_op(|p| ops::describe_code(p, code, &text));
            }
            CodeChange::Move { code, parent } => {
                self.apply_op(|p| ops::move_code(p, code, parent, None));
            }
            CodeChange::Reorder {
                code,
                parent,
                position,
            } => {
                self.apply_op(|p| ops::move_code(p, code, parent, Some(position)));
            }
            CodeChange::Colour { code, colour } => {
                self.apply_op(|p| ops::colour_code(p, code, &colour));
            }
            CodeChange::Merge { from, into } => {
                self.apply_op(|p| ops::merge_codes(p, from, into));
            }
            CodeChange::Delete(code) => {
                self.apply_op(|p| ops::delete_code(p, code));
            }
        }
    }

    /// Adds a code by path; when it exists already, the tree scrolls to it.
    fn add_code_path(&mut self, path: &str) {
        let Some(project) = self.session.project() else {
            return;
        };
        match ops::add_code_path(project, path, None, "") {
            Ok((id, edit)) => {
                self.codebook.scroll_to = Some(id);
                self.apply(edit);
            }
            Err(EditError::Invalid {
                key: Some(EntityKey::Code(id)),
                ..
            }) => self.codebook.scroll_to = Some(id),
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// Adds a sub-code with a placeholder name and starts renaming it.
    fn add_subcode(&mut self, parent: CodeId) {
        let Some(project) = self.session.project() else {
            return;
        };
        let mut draft = ops::Draft::new(project);
        let id = ops::add_code(
            &mut draft,
            s::NEW_SUBCODE_NAME.get(),
            Some(parent),
            None,
            "",
        );
        let edit = draft.finish_labelled(format!("add code '{}'", s::NEW_SUBCODE_NAME));
        if self.apply(edit) {
            self.codebook.start_renaming(id, s::NEW_SUBCODE_NAME.get());
        }
    }

    fn case_change(&mut self, change: CaseChange) {
        match change {
            CaseChange::Assign { case, documents } => self.assign(case, &documents),
            CaseChange::Unlink { case, document } => {
                self.apply_op(|p| ops::unlink_documents(p, case, &[document]));
            }
            CaseChange::Add(name) => {
                self.apply_op(|p| ops::add_case_named(p, &name, "", &[], &[]).map(|(_, e)| e));
            }
            CaseChange::Rename { case, name } => {
                self.apply_op(|p| ops::rename_case(p, case, &name));
            }
            CaseChange::SetAttribute {
                case,
                attribute,
                text,
            } => {
                self.apply_op(|p| ops::set_attribute_text(p, case, &attribute, &text));
            }
            CaseChange::DefineAttribute { name, kind } => {
                self.apply_op(|p| ops::define_attribute(p, &name, kind));
            }
        }
    }

    fn document_change(&mut self, change: DocumentChange) {
        match change {
            DocumentChange::Rename { document, name } => {
                if self.apply_op(|p| ops::rename_document(p, document, &name)) {
                    self.session.mark_index_stale();
                }
            }
            DocumentChange::SetKind { document, kind } => {
                self.apply_op(|p| ops::set_document_kind(p, document, kind));
            }
            DocumentChange::AddToSet { name, documents } => {
                self.apply_op(|p| ops::add_to_set(p, &name, &documents));
            }
            DocumentChange::AskRemove(document) => self.confirm_remove = Some(document),
            DocumentChange::Remove(document) => {
                self.commit_drafts();
                if self.apply_op(|p| ops::remove_document(p, document)) {
                    if self.viewer.document == Some(document) {
                        self.viewer.close();
                    }
                    self.session.mark_index_stale();
                }
            }
        }
    }

    /// Puts documents into a chosen case, or into the case with a typed name (reused when it exists).
    fn assign(&mut self, case: CaseRef, documents: &[DocumentId]) {
        let assigned = match case {
            CaseRef::Existing(id) => self.apply_op(|p| ops::link_documents(p, id, documents)),
            CaseRef::Named(name) => self.apply_op(|p| {
                let mut draft = ops::Draft::new(p);
                ops::assign_documents(&mut draft, &name, &[], documents)?;
                let label = s::assign_label(documents.len(), name.trim());
                Ok::<_, EditError>(draft.finish_labelled(label))
            }),
        };
        if assigned {
            self.session.mark_index_stale();
        }
    }

    /// Saves a coding query's passages as a new code (one undoable step), the query run against the project now.
    fn save_query(&mut self, query: &crate::analysis::CodingQuery, path: &str) {
        let coder = self.prefs.coder.clone();
        let index = match query.text.is_some() {
            true => match self.session.synced_index() {
                Some(Ok(_)) => self.session.index(),
                Some(Err(e)) => return self.error = Some(e.to_string()),
                None => return self.error = Some(s::INDEXING.into()),
            },
            false => None,
        };
        let Some(project) = self.session.project() else {
            return;
        };
        let built = crate::analysis::run_query(project, index, query)
            .and_then(|result| crate::analysis::save_as_code(project, &result, path, &coder));
        match built {
            Ok(edit) => {
                if self.apply(edit) {
                    self.analysis.query.saving = false;
                }
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    fn import_paths(&mut self, paths: Vec<PathBuf>) {
        let Some(project) = self.session.project() else {
            return;
        };
        if self.jobs.running(JobKind::Import) || paths.is_empty() {
            return;
        }
        let job = import_dialog::import_job(project.clone(), paths);
        self.spawn_job(JobKind::Import, job);
    }

    fn import_cases_csv(&mut self, path: &std::path::Path) {
        if self.apply_op(|p| crate::sample::cases_from_csv(p, path)) {
            self.session.mark_index_stale();
        }
    }

    /// Merges another copy of the project into the open one as one undoable edit; the counts go to the status
    /// bar and each conflict (this copy's value kept) to the report window.
    fn merge_copy(&mut self, other: &std::path::Path) {
        let Some(ws) = self.session.workspace() else {
            return;
        };
        let merged = crate::merge::load_other(ws.root(), other)
            .and_then(|copy| crate::merge::merge_projects(ws.project(), &copy));
        let merge = match merged {
            Ok(merge) => merge,
            Err(e) => {
                self.error = Some(format!("{}: {e}", other.display()));
                return;
            }
        };
        if let Some(edit) = merge.edit {
            if !self.apply(edit) {
                return;
            }
            if merge.report.documents_added > 0 {
                self.session.mark_index_stale();
            }
        }
        let summary = s::merged_copy(&merge.report.summary());
        self.notice = Some(summary.clone());
        if !merge.report.conflicts.is_empty() {
            self.exchange.report = Some(export_dialog::ReportWindow {
                title: s::MERGE_REPORT_TITLE.get(),
                summary,
                warnings: merge.report.conflicts,
                skipped: Vec::new(),
            });
        }
    }

    fn export_excerpts(&mut self, mut options: export_dialog::ExcerptOptions) {
        options.shown = self.shown_coders();
        let Some(project) = self.session.project() else {
            return;
        };
        self.exchange.excerpts.message = None;
        let job = export_dialog::excerpts_job(project.clone(), options);
        self.spawn_job(JobKind::Export(ExportOrigin::ExcerptWindow), job);
    }

    /// Runs work (a native dialog, reading, writing) on a task whose result is queued as a command.
    pub(super) fn spawn_job(
        &mut self,
        kind: JobKind,
        work: impl FnOnce(&Reporter) -> Option<Command> + Send + 'static,
    ) {
        self.jobs.spawn(kind, self.ctx.as_ref(), work);
    }

    /// Takes in what a background task delivered.
    fn finished(&mut self, finished: Finished) {
        match finished {
            Finished::Imported { edit, report } => {
                if let Some(edit) = edit
                    && self.apply(edit)
                {
                    self.session.mark_index_stale();
                    if let Some(first) = report.imported.first() {
                        self.viewer.open(first.document);
                    }
                }
                self.import_summary = Some(ImportSummary::new(report));
            }
            Finished::Exported { result, origin } => self.exported(result, origin),
            Finished::Cancelled(_) => {}
            Finished::ProjectImported { root, file, report } => {
                self.open_project(&root);
                self.exchange.report = Some(export_dialog::qdpx_report(&file, report));
            }
            Finished::CodebookRead {
                file,
                nodes,
                warnings,
            } => self.merge_codebook(&file, &nodes, warnings),
        }
    }

    fn exported(&mut self, result: Result<String, String>, origin: ExportOrigin) {
        match origin {
            ExportOrigin::Analysis => {
                self.analysis.export_message = Some(result);
                return;
            }
            ExportOrigin::ExcerptWindow => self.exchange.excerpts.message = Some(result.clone()),
            ExportOrigin::Menu => {}
        }
        match result {
            Ok(message) => self.notice = Some(message),
            Err(e) => self.error = Some(e),
        }
    }

    /// Merges a codebook that was read into the open project (one undoable edit).
    fn merge_codebook(
        &mut self,
        file: &std::path::Path,
        nodes: &[crate::interop::qdc::CodeNode],
        warnings: Vec<String>,
    ) {
        let Some(project) = self.session.project() else {
            return;
        };
        if nodes.is_empty() {
            self.error = Some(s::no_codes_in(&file.display().to_string()));
            return;
        }
        match crate::interop::qdc::merge_edit(project, nodes) {
            Ok((edit, report)) => {
                if edit.is_some_and(|edit| !self.apply(edit)) {
                    return;
                }
                let (notice, window) = export_dialog::codebook_report(report, warnings);
                self.notice = Some(notice);
                if window.is_some() {
                    self.exchange.report = window;
                }
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    fn action(&mut self, action: Action) {
        match action {
            Action::NewProject
            | Action::OpenProject
            | Action::ImportDocuments
            | Action::ImportFolder
            | Action::ImportCasesCsv
            | Action::MergeCopy => self.spawn_job(JobKind::Dialog, move |_| ask_path(action)),
            Action::OpenSample => self.close_then(AfterClose::OpenSample),
            Action::Save => self.save_now(),
            Action::ShowCases => self.cases.window_open = true,
            Action::Quit => self.close_then(AfterClose::Quit),
            Action::Undo => self.undo_redo(false),
            Action::Redo | Action::RedoAlt => self.undo_redo(true),
            Action::CodeSelection | Action::CodeSelectionAlt => {
                self.open_picker(PickTarget::Selection);
            }
            Action::InVivo => self.in_vivo(),
            Action::ClearSelection => self.viewer.selection = None,
            Action::Find => {
                self.right_tab = RightTab::Search;
                self.search.focus_requested = true;
            }
            Action::ToggleTheme => {
                self.prefs.theme = self.prefs.theme.next();
                if let Some(ctx) = &self.ctx {
                    ctx.set_theme(self.prefs.theme.preference());
                }
            }
            Action::ToggleSnapWords => {
                self.prefs.snap_words = !self.prefs.snap_words;
                self.viewer.snap_words = self.prefs.snap_words;
            }
            Action::ToggleLeftPanel => self.prefs.show_left = !self.prefs.show_left,
            Action::ToggleRightPanel => self.prefs.show_right = !self.prefs.show_right,
            Action::ZoomIn | Action::ZoomOut | Action::ZoomReset => {
                if let Some(ctx) = &self.ctx {
                    match action {
                        Action::ZoomIn => egui::gui_zoom::zoom_in(ctx),
                        Action::ZoomOut => egui::gui_zoom::zoom_out(ctx),
                        _ => ctx.set_zoom_factor(1.0),
                    }
                }
            }
            Action::OpenMatrix
            | Action::OpenCooccurrence
            | Action::OpenChart
            | Action::OpenQueryBuilder
            | Action::OpenWords
            | Action::OpenAgreement => self.analysis.open_for(action),
            Action::ShowCoders => self.layers.open = true,
            Action::BuildMeaningVectors => self.meaning_command(MeaningCommand::BuildVectors),
            Action::SuggestPassages => match self.selected_codes.iter().next().copied() {
                Some(code) => self.meaning_command(MeaningCommand::Suggest(code)),
                None => self.error = Some(s::SELECT_A_CODE_FIRST.to_string()),
            },
            Action::ToggleBlind => {
                self.prefs.blind = !self.prefs.blind;
                self.layers.revealed = false;
            }
            Action::ExportExcerpts => self.exchange.excerpts.show(&self.selected_codes),
            Action::ExportQdpx | Action::ImportQdpx | Action::ExportQdc | Action::ImportQdc => {
                let project = self.session.project().cloned();
                if let Some(job) = export_dialog::exchange_job(action, project) {
                    self.spawn_job(JobKind::Dialog, job);
                }
            }
        }
    }
}

/// Asks for a path with a native dialog (on a task); the answer comes back as a command.
fn ask_path(action: Action) -> Option<Command> {
    let dialog = rfd::FileDialog::new();
    match action {
        Action::NewProject => dialog
            .set_title(s::NEW_PROJECT)
            .set_file_name(s::NEW_STUDY.get())
            .save_file()
            .map(Command::CreateProject),
        Action::OpenProject => dialog
            .set_title(s::OPEN_PROJECT)
            .pick_folder()
            .map(Command::OpenProject),
        Action::ImportDocuments => dialog
            .set_title(s::IMPORT_DOCUMENTS)
            .add_filter(s::IMPORTABLE_FILES, crate::import::SUPPORTED_EXTENSIONS)
            .pick_files()
            .map(Command::ImportPaths),
        Action::ImportFolder => dialog
            .set_title(s::IMPORT_FOLDER)
            .pick_folder()
            .map(|p| Command::ImportPaths(vec![p])),
        Action::ImportCasesCsv => dialog
            .set_title(s::IMPORT_CASES_CSV)
            .add_filter(s::CSV_FILTER, &["csv", "txt"])
            .pick_file()
            .map(Command::ImportCasesCsv),
        Action::MergeCopy => dialog
            .set_title(s::MERGE_COPY)
            .pick_folder()
            .map(Command::MergeCopy),
        _ => None,
    }
}
