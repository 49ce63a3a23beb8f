//! The Memos tab: memos on the project, document, code and codings, and an editor that commits its draft.
//!
//! The Memos tab: memos on the project, the current document, the selected code and its codings; an editor
//! whose changes commit when focus leaves a field.

use std::collections::BTreeSet;

use egui::{RichText, Ui};

use crate::coders::CoderSelection;
use crate::gui::commands::{Command, MemoChange};
use crate::gui::{strings as s, theme};
use crate::ids::{CodeId, DocumentId, MemoId};
use crate::model::{Memo, MemoTarget, Project};

/// Tab state.
#[derive(Default)]
pub struct MemosState {
    pub open: Option<MemoId>,
    draft: Option<(MemoId, String, String)>,
    /// The draft was typed in since it was last taken from the memo or committed.
    typed: bool,
}

impl MemosState {
    /// The memo being edited, as a change, when its draft differs from the stored memo (committed before
    /// another memo opens, the project closes or the app quits).
    pub fn take_draft_change(&mut self, project: &Project) -> Option<Command> {
        if !std::mem::take(&mut self.typed) {
            return None;
        }
        let (id, title, text) = self.draft.as_ref()?;
        let memo = project.memos().get(id)?;
        (title.trim() != memo.title || *text != memo.text).then(|| {
            Command::Memo(MemoChange::Edit {
                memo: *id,
                title: title.clone(),
                text: text.clone(),
            })
        })
    }
}

fn target_label(project: &Project, target: MemoTarget) -> String {
    match target {
        MemoTarget::Project => project.meta().name.clone(),
        MemoTarget::Document(d) => project
            .documents()
            .get(&d)
            .map(|d| d.name.clone())
            .unwrap_or_default(),
        MemoTarget::Code(c) => project.code_path(c),
        MemoTarget::Coding(c) => project
            .codings()
            .get(&c)
            .map(|k| format!("{} · {}", project.code_path(k.code), k.range))
            .unwrap_or_default(),
        MemoTarget::Case(c) => project
            .cases()
            .get(&c)
            .map(|k| k.name.clone())
            .unwrap_or_default(),
    }
}

/// The tab: new-memo buttons, the memos on what is open and selected (memos on codings only for the coder layers
/// shown, so blind mode hides the other coders' codings here too), and the open memo's editor.
pub fn memos_ui(
    ui: &mut Ui,
    project: &Project,
    (document, codes): (Option<DocumentId>, &BTreeSet<CodeId>),
    coders: &CoderSelection,
    state: &mut MemosState,
    commands: &mut Vec<Command>,
) {
    new_memo_buttons_ui(ui, document, codes, commands);
    ui.separator();
    let memos = memos_shown(project, document, codes, coders);
    if memos.is_empty() {
        let dark = ui.visuals().dark_mode;
        ui.label(RichText::new(s::NO_MEMOS).color(theme::muted(dark)));
    }
    memo_list_ui(ui, project, &memos, state.open, commands);
    // A memo on a coding of a hidden layer stays closed (blind mode).
    let hidden = |memo: &Memo| match memo.target {
        MemoTarget::Coding(c) => project
            .codings()
            .get(&c)
            .is_some_and(|c| !coders.contains(c.coder)),
        _ => false,
    };
    let Some(memo) = state
        .open
        .and_then(|id| project.memos().get(&id))
        .filter(|m| !hidden(m))
    else {
        return;
    };
    ui.separator();
    editor_ui(ui, memo, state, commands);
}

/// New memos on the project, the current document and the selected code.
fn new_memo_buttons_ui(
    ui: &mut Ui,
    document: Option<DocumentId>,
    codes: &BTreeSet<CodeId>,
    commands: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| {
        if ui.button(s::NEW_PROJECT_MEMO).clicked() {
            commands.push(Command::NewMemo(MemoTarget::Project));
        }
        if let Some(doc) = document
            && ui.button(s::NEW_DOCUMENT_MEMO).clicked()
        {
            commands.push(Command::NewMemo(MemoTarget::Document(doc)));
        }
        if codes.len() == 1
            && let Some(code) = codes.first()
            && ui.button(s::NEW_CODE_MEMO).clicked()
        {
            commands.push(Command::NewMemo(MemoTarget::Code(*code)));
        }
    });
}

/// The memos on the project, the document, the selected codes, the document's codings (of the coders shown)
/// and cases.
pub fn memos_shown<'p>(
    project: &'p Project,
    document: Option<DocumentId>,
    codes: &BTreeSet<CodeId>,
    coders: &CoderSelection,
) -> Vec<&'p Memo> {
    let doc_codings: BTreeSet<_> = document
        .map(|d| {
            project
                .codings_in(d)
                .iter()
                .filter(|c| coders.contains(c.coder))
                .map(|c| c.id)
                .collect()
        })
        .unwrap_or_default();
    let mut memos: Vec<&Memo> = project
        .memos()
        .values()
        .filter(|m| match m.target {
            MemoTarget::Project => true,
            MemoTarget::Document(d) => Some(d) == document,
            MemoTarget::Code(c) => codes.contains(&c),
            MemoTarget::Coding(c) => doc_codings.contains(&c),
            MemoTarget::Case(c) => document.is_some_and(|d| {
                project
                    .cases()
                    .get(&c)
                    .is_some_and(|k| k.documents.contains(&d))
            }),
        })
        .collect();
    memos.sort_by_key(|m| (m.target, m.created));
    memos
}

/// The memo titles with what they are on; a click opens one.
fn memo_list_ui(
    ui: &mut Ui,
    project: &Project,
    memos: &[&Memo],
    open: Option<MemoId>,
    commands: &mut Vec<Command>,
) {
    let dark = ui.visuals().dark_mode;
    egui::ScrollArea::vertical()
        .id_salt("memo-list")
        .max_height(ui.available_height() * 0.4)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            for memo in memos {
                let title = if memo.title.is_empty() {
                    s::UNTITLED_MEMO.get()
                } else {
                    memo.title.as_str()
                };
                let selected = open == Some(memo.id);
                ui.horizontal(|ui| {
                    let author = memo
                        .author
                        .and_then(|a| project.coders().get(&a))
                        .map(|c| c.name.as_str());
                    let written = s::memo_written(author, memo.created.date());
                    if ui
                        .selectable_label(selected, title)
                        .on_hover_text(written)
                        .clicked()
                        && !selected
                    {
                        // The app commits the memo being edited before it opens this one.
                        commands.push(Command::OpenMemo(memo.id));
                    }
                    let target = RichText::new(target_label(project, memo.target)).small();
                    ui.label(target.color(theme::muted(dark)));
                });
            }
        });
}

/// The open memo's title and text; changes commit when focus leaves a field.
fn editor_ui(ui: &mut Ui, memo: &Memo, state: &mut MemosState, commands: &mut Vec<Command>) {
    if state.draft.as_ref().is_none_or(|(id, _, _)| *id != memo.id) {
        state.draft = Some((memo.id, memo.title.clone(), memo.text.clone()));
        state.typed = false;
    }
    let Some((_, title, text)) = state.draft.as_mut() else {
        return;
    };
    let label = ui.label(s::MEMO_TITLE);
    let title_edit = ui
        .add(egui::TextEdit::singleline(title).desired_width(f32::INFINITY))
        .labelled_by(label.id);
    let label = ui.label(s::MEMO_TEXT);
    let text_edit = ui
        .add(
            egui::TextEdit::multiline(text)
                .desired_rows(10)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
    state.typed |= title_edit.changed() || text_edit.changed();
    let changed = *title != memo.title || *text != memo.text;
    if (title_edit.lost_focus() || text_edit.lost_focus()) && changed {
        commands.push(Command::Memo(MemoChange::Edit {
            memo: memo.id,
            title: title.clone(),
            text: text.clone(),
        }));
        state.typed = false;
    } else if changed && !title_edit.has_focus() && !text_edit.has_focus() {
        // Changed elsewhere (undo): show the stored memo.
        *title = memo.title.clone();
        *text = memo.text.clone();
        state.typed = false;
    }
    if ui.button(s::DELETE_MEMO).clicked() {
        commands.push(Command::Memo(MemoChange::Delete(memo.id)));
    }
}
