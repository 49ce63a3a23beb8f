//! Commands (intents from panels, windows and tasks, drained each frame) and the menu actions with shortcuts.

use std::path::PathBuf;

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::analysis::{CodingQuery, Table, TableFormat};
use crate::edit::Edit;
use crate::gui::export_dialog::ExcerptOptions;
use crate::gui::strings as s;
use crate::ids::{CaseId, CodeId, CodingId, DocumentId, MemoId};
use crate::import::ImportReport;
use crate::interop::qdc::CodeNode;
use crate::interop::qdpx_read::ImportReport as QdpxReport;
use crate::model::{AttributeType, MemoTarget};
use crate::offsets::CharRange;

/// What a code picker codes when a code is chosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PickTarget {
    /// The current selection in the viewer.
    Selection,
    /// Every hit of the current search, widened to a unit.
    AllHits(HitUnit),
    /// Re-code an existing coding.
    Coding(CodingId),
}

pub use crate::ops::HitUnit;

/// The menu label of a hit unit.
pub fn hit_unit_label(unit: HitUnit) -> &'static str {
    match unit {
        HitUnit::Hit => s::UNIT_HIT,
        HitUnit::Sentence => s::UNIT_SENTENCE,
        HitUnit::Turn => s::UNIT_TURN,
        HitUnit::Paragraph => s::UNIT_PARAGRAPH,
    }
}

/// A request from a panel, a window or a finished background task, handled by the app after the frame's UI is
/// drawn. Commands carry intent; the edit is built when the command is handled, against the project as it is then.
#[derive(Debug)]
pub enum Command {
    Action(Action),
    OpenDocument(DocumentId),
    /// Open a document, scroll to a range, select and flash it.
    Jump {
        document: DocumentId,
        range: CharRange,
    },
    /// Select codes in the codebook (`additive`: toggle one into the current set).
    SelectCode {
        code: CodeId,
        additive: bool,
    },
    OpenPicker(PickTarget),
    /// Apply a code to a picker target.
    CodeWith {
        target: PickTarget,
        code: CodeId,
    },
    /// Create a code (path) and apply it to a picker target.
    CreateAndCode {
        target: PickTarget,
        name: String,
    },
    /// Apply the n-th recent code (0-based) to the selection.
    ApplyRecent(usize),
    RemoveCoding(CodingId),
    SetCodingBounds(CodingId),
    AddCodingMemo(CodingId),
    /// Write a new memo on a target (project, document, code, coding, case) and open it.
    NewMemo(MemoTarget),
    OpenMemo(MemoId),
    Memo(MemoChange),
    Code(CodeChange),
    Case(CaseChange),
    /// Save a coding query's passages as a new code (path), coded by the current coder.
    SaveQueryAsCode {
        query: Box<CodingQuery>,
        path: String,
    },
    /// Ask where to save an excerpt report, then write it.
    ExportExcerpts(Box<ExcerptOptions>),
    /// Ask where to save an analysis table, then write it.
    ExportTable {
        table: Box<Table>,
        name: String,
        format: TableFormat,
    },
    OpenProject(PathBuf),
    CreateProject(PathBuf),
    /// Break a stale lock (its owner is gone) and open the project.
    UnlockAndOpen(PathBuf),
    ImportPaths(Vec<PathBuf>),
    ImportCasesCsv(PathBuf),
    /// The answer to "the project could not be saved" when closing or quitting.
    SaveFailed(SaveChoice),
    /// A background task finished.
    Finished(Finished),
    Error(String),
}

/// Changes to memos.
#[derive(Debug)]
pub enum MemoChange {
    Edit {
        memo: MemoId,
        title: String,
        text: String,
    },
    Delete(MemoId),
}

/// Changes to the codebook.
#[derive(Debug)]
pub enum CodeChange {
    /// Add a code by path ("Parent/Child"); an existing one is shown instead.
    AddPath(String),
    /// Add a sub-code with a placeholder name and start renaming it.
    AddSubcode(CodeId),
    Rename {
        code: CodeId,
        name: String,
    },
    Describe {
        code: CodeId,
        text: String,
    },
    /// Move a code under another (`None`: the top level).
    Move {
        code: CodeId,
        parent: Option<CodeId>,
    },
    Merge {
        from: CodeId,
        into: CodeId,
    },
    Delete(CodeId),
}

/// A case chosen in a list, or named in a field (reused when a case has that name, else created).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaseRef {
    Existing(CaseId),
    Named(String),
}

/// Changes to cases and attributes.
#[derive(Debug)]
pub enum CaseChange {
    /// Put documents into a case.
    Assign {
        case: CaseRef,
        documents: Vec<DocumentId>,
    },
    Unlink {
        case: CaseId,
        document: DocumentId,
    },
    /// Add a case with no documents (a case with the same name is refused).
    Add(String),
    Rename {
        case: CaseId,
        name: String,
    },
    /// Set (or, with empty text, clear) one attribute value.
    SetAttribute {
        case: CaseId,
        attribute: String,
        text: String,
    },
    DefineAttribute {
        name: String,
        kind: AttributeType,
    },
}

/// What to do when closing or quitting could not save the project.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveChoice {
    /// Try to save again (and go on closing when it works).
    Retry,
    /// Close without saving the changes.
    Discard,
    /// Stay in the project.
    Cancel,
}

/// Which part of the app started an export (its outcome is shown there).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportOrigin {
    /// The excerpt export window.
    ExcerptWindow,
    /// An analysis view.
    Analysis,
    /// A menu action (the status bar).
    Menu,
}

/// The result of a background task.
#[derive(Debug)]
pub enum Finished {
    /// Files were read; the edit (from the core's importer) adds the documents.
    Imported {
        edit: Option<Edit>,
        report: ImportReport,
    },
    /// An export ended (the message for the status bar).
    Exported {
        result: Result<String, String>,
        origin: ExportOrigin,
    },
    /// The user closed a save dialog without choosing a file.
    Cancelled(ExportOrigin),
    /// A `.qdpx` became a new project in `root`.
    ProjectImported {
        root: PathBuf,
        file: PathBuf,
        report: QdpxReport,
    },
    /// A codebook file was read; it is merged into the open project as one undoable edit.
    CodebookRead {
        file: PathBuf,
        nodes: Vec<CodeNode>,
        warnings: Vec<String>,
    },
}

/// A parameterless action reachable from the menus and, where it has one, a shortcut.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    NewProject,
    OpenProject,
    OpenSample,
    Save,
    ImportDocuments,
    ImportFolder,
    ImportCasesCsv,
    ShowCases,
    Quit,
    Undo,
    Redo,
    RedoAlt,
    CodeSelection,
    CodeSelectionAlt,
    InVivo,
    ClearSelection,
    Find,
    ToggleTheme,
    ToggleSnapWords,
    OpenMatrix,
    OpenCooccurrence,
    OpenChart,
    OpenQueryBuilder,
    OpenWords,
    ExportExcerpts,
    ExportQdpx,
    ImportQdpx,
    ExportQdc,
    ImportQdc,
}

/// Which menu an action sits in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Menu {
    File,
    Edit,
    Code,
    View,
    Analysis,
    /// Reachable only by its shortcut (a second key for another action).
    Hidden,
}

/// An action with its menu, label and shortcut.
pub struct ActionSpec {
    pub action: Action,
    pub menu: Menu,
    pub label: &'static str,
    pub shortcut: Option<KeyboardShortcut>,
    /// Shortcuts that fire even while a text field has focus.
    pub global: bool,
}

const fn spec(
    action: Action,
    menu: Menu,
    label: &'static str,
    shortcut: Option<KeyboardShortcut>,
    global: bool,
) -> ActionSpec {
    ActionSpec {
        action,
        menu,
        label,
        shortcut,
        global,
    }
}

const fn key(modifiers: Modifiers, key: Key) -> Option<KeyboardShortcut> {
    Some(KeyboardShortcut::new(modifiers, key))
}

const CMD_SHIFT: Modifiers = Modifiers {
    alt: false,
    ctrl: false,
    shift: true,
    mac_cmd: false,
    command: true,
};

/// Every action, in menu order. Shortcuts with Shift are matched before those without (egui ignores extra Shift).
pub const ACTIONS: &[ActionSpec] = &[
    spec(Action::NewProject, Menu::File, s::NEW_PROJECT, None, true),
    spec(
        Action::OpenProject,
        Menu::File,
        s::OPEN_PROJECT,
        key(Modifiers::COMMAND, Key::O),
        true,
    ),
    spec(Action::OpenSample, Menu::File, s::OPEN_SAMPLE, None, true),
    spec(
        Action::Save,
        Menu::File,
        s::SAVE,
        key(Modifiers::COMMAND, Key::S),
        true,
    ),
    spec(
        Action::ImportDocuments,
        Menu::File,
        s::IMPORT_DOCUMENTS,
        key(Modifiers::COMMAND, Key::D),
        true,
    ),
    spec(
        Action::ImportFolder,
        Menu::File,
        s::IMPORT_FOLDER,
        None,
        true,
    ),
    spec(
        Action::ImportCasesCsv,
        Menu::File,
        s::IMPORT_CASES_CSV,
        None,
        true,
    ),
    spec(
        Action::ExportExcerpts,
        Menu::File,
        s::EXPORT_EXCERPTS,
        None,
        true,
    ),
    spec(Action::ExportQdpx, Menu::File, s::EXPORT_QDPX, None, true),
    spec(Action::ImportQdpx, Menu::File, s::IMPORT_QDPX, None, true),
    spec(
        Action::Quit,
        Menu::File,
        s::QUIT,
        key(Modifiers::COMMAND, Key::Q),
        true,
    ),
    spec(
        Action::Undo,
        Menu::Edit,
        s::UNDO,
        key(Modifiers::COMMAND, Key::Z),
        false,
    ),
    spec(
        Action::Redo,
        Menu::Edit,
        s::REDO,
        key(CMD_SHIFT, Key::Z),
        false,
    ),
    spec(
        Action::RedoAlt,
        Menu::Hidden,
        s::REDO,
        key(Modifiers::COMMAND, Key::Y),
        false,
    ),
    spec(
        Action::ClearSelection,
        Menu::Edit,
        s::CLEAR_SELECTION,
        key(Modifiers::NONE, Key::Escape),
        false,
    ),
    spec(
        Action::Find,
        Menu::Edit,
        s::FIND,
        key(Modifiers::COMMAND, Key::F),
        true,
    ),
    spec(
        Action::CodeSelection,
        Menu::Code,
        s::CODE_SELECTION,
        key(Modifiers::COMMAND, Key::K),
        false,
    ),
    spec(
        Action::CodeSelectionAlt,
        Menu::Hidden,
        s::CODE_SELECTION,
        key(Modifiers::NONE, Key::C),
        false,
    ),
    spec(
        Action::InVivo,
        Menu::Code,
        s::IN_VIVO,
        key(Modifiers::COMMAND, Key::I),
        false,
    ),
    spec(Action::ShowCases, Menu::Code, s::SHOW_CASES, None, true),
    spec(Action::ExportQdc, Menu::Code, s::EXPORT_QDC, None, true),
    spec(Action::ImportQdc, Menu::Code, s::IMPORT_QDC, None, true),
    spec(Action::ToggleTheme, Menu::View, s::THEME_SWITCH, None, true),
    spec(
        Action::ToggleSnapWords,
        Menu::View,
        s::SNAP_WORDS,
        None,
        true,
    ),
    spec(Action::OpenMatrix, Menu::Analysis, s::MATRIX, None, true),
    spec(
        Action::OpenCooccurrence,
        Menu::Analysis,
        s::COOCCURRENCE,
        None,
        true,
    ),
    spec(Action::OpenChart, Menu::Analysis, s::CHART, None, true),
    spec(
        Action::OpenQueryBuilder,
        Menu::Analysis,
        s::QUERY_BUILDER,
        None,
        true,
    ),
    spec(Action::OpenWords, Menu::Analysis, s::WORDS, None, true),
];

/// The spec of an action.
pub fn spec_of(action: Action) -> Option<&'static ActionSpec> {
    ACTIONS.iter().find(|a| a.action == action)
}
