//! Commands: what panels ask the app to do (drained once per frame), and the one list of menu actions with shortcuts.

use std::path::PathBuf;

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::edit::Edit;
use crate::gui::strings as s;
use crate::ids::{CodeId, CodingId, DocumentId, MemoId};
use crate::model::MemoTarget;
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

/// A request from a panel, handled by the app after the frame's UI is drawn.
#[derive(Clone, Debug)]
pub enum Command {
    Action(Action),
    /// Apply an edit built by a panel (undoable).
    Apply(Edit),
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
    OpenProject(PathBuf),
    CreateProject(PathBuf),
    ImportPaths(Vec<PathBuf>),
    ImportCasesCsv(PathBuf),
    Error(String),
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
