//! Commands (intents from panels, windows and tasks, drained each frame) and the menu actions with shortcuts.

use std::path::PathBuf;

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::analysis::{CodingQuery, Table, TableFormat};
use crate::edit::Edit;
use crate::gui::export_dialog::ExcerptOptions;
use crate::gui::strings as s;
use crate::ids::{CaseId, CodeId, CoderId, CodingId, DocumentId, MemoId};
use crate::import::ImportReport;
use crate::interop::qdc::CodeNode;
use crate::interop::qdpx_read::ImportReport as QdpxReport;
use crate::model::{AttributeType, Language, MemoTarget};
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
pub fn hit_unit_label(unit: HitUnit) -> s::Text {
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
    /// Run a menu action, as if its menu item or shortcut had been used.
    Action(Action),
    /// Show the interface in this language (View ▸ Language), kept in the preferences.
    SetLanguage(crate::gui::locale::Lang),
    /// Show a document in the viewer.
    OpenDocument(DocumentId),
    /// Open a document, scroll to a range, select and flash it.
    Jump {
        /// The document to show.
        document: DocumentId,
        /// The passage to scroll to, select and flash, in code points.
        range: CharRange,
    },
    /// Select codes in the codebook (`additive`: toggle one into the current set).
    SelectCode {
        /// The code clicked.
        code: CodeId,
        /// Toggle the code in or out of the current selection instead of making it the only one selected.
        additive: bool,
    },
    /// Open the code picker for a target; for the selection, only when there is one.
    OpenPicker(PickTarget),
    /// Apply a code to a picker target.
    CodeWith {
        /// What gets coded.
        target: PickTarget,
        /// The existing code to apply.
        code: CodeId,
    },
    /// Create a code (path) and apply it to a picker target.
    CreateAndCode {
        /// What gets coded.
        target: PickTarget,
        /// The new code's path ("Parent/Child"); missing codes along it are created in the same step.
        name: String,
    },
    /// Apply the n-th recent code (0-based) to the selection.
    ApplyRecent(usize),
    /// Remove a coding, together with the memos written on it.
    RemoveCoding(CodingId),
    /// Move a coding's bounds to the current selection in the viewer.
    SetCodingBounds(CodingId),
    /// Write a new memo on a coding and open it.
    AddCodingMemo(CodingId),
    /// Write a new memo on a target (project, document, code, coding, case) and open it.
    NewMemo(MemoTarget),
    /// Open a memo in the Memos tab, committing the one being edited first.
    OpenMemo(MemoId),
    /// Edit or delete a memo.
    Memo(MemoChange),
    /// Change the codebook.
    Code(CodeChange),
    /// Change cases, their documents or their attributes.
    Case(CaseChange),
    /// Rename, re-kind, file or remove a document.
    Document(DocumentChange),
    /// Save a coding query's passages as a new code (path), coded by the current coder.
    SaveQueryAsCode {
        /// The query, run again against the project when the command is handled.
        query: Box<CodingQuery>,
        /// The path of the code to create ("Parent/Child").
        path: String,
    },
    /// Ask where to save an excerpt report, then write it.
    ExportExcerpts(Box<ExcerptOptions>),
    /// Record a disagreement-review decision as codings of the consensus coder (one undoable step).
    ResolveDisagreement(Box<crate::ops::Decision>),
    /// Ask where to save an analysis table, then write it.
    ExportTable {
        /// The computed table to write.
        table: Box<Table>,
        /// The file name the save dialog suggests, without extension.
        name: String,
        /// The file format to write.
        format: TableFormat,
    },
    /// Close the open project (saving it) and open the project folder at this path.
    OpenProject(PathBuf),
    /// Ask for the language of a new project to be created at this path (the new-project window).
    CreateProject(PathBuf),
    /// Close the open project (saving it) and create a new project folder at this path, in this language.
    CreateProjectIn {
        /// The new project's folder.
        root: PathBuf,
        /// The language of its texts.
        language: Language,
    },
    /// Set the language a document is analysed in (`None`: follow the project's).
    SetDocumentLanguage {
        /// The document.
        document: DocumentId,
        /// Its language, or `None` for the project's.
        language: Option<Language>,
    },
    /// Set the colour of a coder's layer (`None`: back to the palette's).
    ColourCoder {
        /// The coder.
        coder: CoderId,
        /// The new colour, `#rrggbb`, or `None`.
        colour: Option<String>,
    },
    /// Break a stale lock (its owner is gone) and open the project.
    UnlockAndOpen(PathBuf),
    /// A meaning feature: build vectors, find similar passages, the suggestion queue.
    Meaning(crate::gui::meaning::MeaningCommand),
    /// Import these files and folders as documents, on a background task.
    ImportPaths(Vec<PathBuf>),
    /// Read cases and their attributes from a CSV file into the open project.
    ImportCasesCsv(PathBuf),
    /// Merge the project copy in this folder into the open project (File ▸ Merge a copy…).
    MergeCopy(PathBuf),
    /// The answer to "the project could not be saved" when closing or quitting.
    SaveFailed(SaveChoice),
    /// A background task finished.
    Finished(Finished),
    /// Show an error message to the user.
    Error(String),
}

/// Changes to memos.
#[derive(Debug)]
pub enum MemoChange {
    /// Replace a memo's title and text.
    Edit {
        /// The memo to change.
        memo: MemoId,
        /// The new title.
        title: String,
        /// The new text.
        text: String,
    },
    /// Delete a memo (closing it if it is open).
    Delete(MemoId),
}

/// Changes to the codebook.
#[derive(Debug)]
pub enum CodeChange {
    /// Add a code by path ("Parent/Child"); an existing one is shown instead.
    AddPath(String),
    /// Add a sub-code with a placeholder name and start renaming it.
    AddSubcode(CodeId),
    /// Give a code a new name.
    Rename {
        /// The code to rename.
        code: CodeId,
        /// The new name.
        name: String,
    },
    /// Set a code's description (its definition in the codebook).
    Describe {
        /// The code to describe.
        code: CodeId,
        /// The new description.
        text: String,
    },
    /// Move a code under another (`None`: the top level).
    Move {
        /// The code to move, with its sub-codes.
        code: CodeId,
        /// The new parent, or `None` for the top level.
        parent: Option<CodeId>,
    },
    /// Place a code among the children of `parent` at `position` (0: first), moving it there with its sub-codes.
    Reorder {
        /// The code to place.
        code: CodeId,
        /// Its parent afterwards (`None`: the top level).
        parent: Option<CodeId>,
        /// Its place among that parent's other children.
        position: usize,
    },
    /// Set a code's colour (`#rrggbb`).
    Colour {
        /// The code to colour.
        code: CodeId,
        /// The new colour, `#rrggbb`.
        colour: String,
    },
    /// Merge one code into another: codings move over, sub-codes and memos re-attach, and `from` is deleted.
    Merge {
        /// The code that goes away.
        from: CodeId,
        /// The code that receives its codings, sub-codes and memos.
        into: CodeId,
    },
    /// Delete a code with its sub-codes, their codings and memos.
    Delete(CodeId),
}

/// Changes to documents (the Document menu and a document's right-click menu).
#[derive(Debug)]
pub enum DocumentChange {
    /// Give a document a new name.
    Rename {
        /// The document to rename.
        document: DocumentId,
        /// The new name.
        name: String,
    },
    /// Change what kind of source a document is.
    SetKind {
        /// The document to change.
        document: DocumentId,
        /// Its new kind.
        kind: crate::model::DocumentKind,
    },
    /// Add documents to the set with this name (created when there is none).
    AddToSet {
        /// The set's name.
        name: String,
        /// The documents to add.
        documents: Vec<DocumentId>,
    },
    /// Ask whether to remove a document (the confirmation says what goes with it).
    AskRemove(DocumentId),
    /// Remove a document with its codings, memos and memberships, as one undoable step.
    Remove(DocumentId),
}

/// A case chosen in a list, or named in a field (reused when a case has that name, else created).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaseRef {
    /// A case that exists.
    Existing(CaseId),
    /// A case name typed by the user: the case with that name, created if there is none.
    Named(String),
}

/// Changes to cases and attributes.
#[derive(Debug)]
pub enum CaseChange {
    /// Put documents into a case.
    Assign {
        /// The case to link the documents to.
        case: CaseRef,
        /// The documents to link.
        documents: Vec<DocumentId>,
    },
    /// Take a document out of a case.
    Unlink {
        /// The case the document leaves.
        case: CaseId,
        /// The document to unlink.
        document: DocumentId,
    },
    /// Add a case with no documents (a case with the same name is refused).
    Add(String),
    /// Give a case a new name.
    Rename {
        /// The case to rename.
        case: CaseId,
        /// The new name.
        name: String,
    },
    /// Set (or, with empty text, clear) one attribute value.
    SetAttribute {
        /// The case whose value changes.
        case: CaseId,
        /// The attribute's name.
        attribute: String,
        /// The value as typed, parsed according to the attribute's type.
        text: String,
    },
    /// Define a case attribute, or change its type when no case holds a value of another type.
    DefineAttribute {
        /// The attribute's name.
        name: String,
        /// The type of its values.
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
        /// The edit adding the documents that were read, or `None` when none could be.
        edit: Option<Edit>,
        /// What was imported, skipped or refused, for the import summary.
        report: ImportReport,
    },
    /// An export ended (the message for the status bar).
    Exported {
        /// The success message, or the error message.
        result: Result<String, String>,
        /// Where the export was started, which is where its outcome is shown.
        origin: ExportOrigin,
    },
    /// The user closed a save dialog without choosing a file.
    Cancelled(ExportOrigin),
    /// A `.qdpx` became a new project in `root`.
    ProjectImported {
        /// The folder of the new project, opened next.
        root: PathBuf,
        /// The `.qdpx` file that was read.
        file: PathBuf,
        /// What was imported and what was skipped, shown in a report window.
        report: QdpxReport,
    },
    /// A codebook file was read; it is merged into the open project as one undoable edit.
    CodebookRead {
        /// The codebook file that was read.
        file: PathBuf,
        /// The code tree read from it.
        nodes: Vec<CodeNode>,
        /// What was odd in the file, as the reader reported it; shown with the result.
        warnings: Vec<String>,
    },
}

/// A parameterless action reachable from the menus and, where it has one, a shortcut.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// Ask where to put a new project and create its folder there.
    NewProject,
    /// Ask for a project folder and open it.
    OpenProject,
    /// Close the open project and open the bundled sample study.
    OpenSample,
    /// Save the open project now instead of waiting for the autosave.
    Save,
    /// Ask for files and import them as documents.
    ImportDocuments,
    /// Ask for a folder and import the documents in it.
    ImportFolder,
    /// Ask for a CSV file and read cases and attributes from it.
    ImportCasesCsv,
    /// Ask for the folder of another copy of the project and merge it in (one undoable edit).
    MergeCopy,
    /// Open the cases and attributes window.
    ShowCases,
    /// Close the project (saving it) and quit the app.
    Quit,
    /// Undo the last change to the project.
    Undo,
    /// Redo the last undone change.
    Redo,
    /// Redo on the second redo shortcut (Ctrl+Y, Cmd+Y on macOS); not shown in a menu.
    RedoAlt,
    /// Open the code picker for the selection in the viewer.
    CodeSelection,
    /// Open the code picker on the single-key shortcut (C); not shown in a menu.
    CodeSelectionAlt,
    /// Code the selection with a top-level code named after the selected words (reused when it exists).
    InVivo,
    /// Clear the selection in the viewer.
    ClearSelection,
    /// Show the Search tab and put the cursor in its query field.
    Find,
    /// Switch to the next colour theme.
    ToggleTheme,
    /// Turn on or off snapping the viewer selection to whole words.
    ToggleSnapWords,
    /// Show or hide the left panel (documents and codes).
    ToggleLeftPanel,
    /// Show or hide the right panel (search, excerpts, memos, case).
    ToggleRightPanel,
    /// Make the interface text larger.
    ZoomIn,
    /// Make the interface text smaller.
    ZoomOut,
    /// Reset the interface text size.
    ZoomReset,
    /// Open the code × case matrix view.
    OpenMatrix,
    /// Open the code co-occurrence view.
    OpenCooccurrence,
    /// Open the chart of codes by case group.
    OpenChart,
    /// Open the coding query builder.
    OpenQueryBuilder,
    /// Open the word frequency view.
    OpenWords,
    /// Open the agreement window (intercoder agreement and the disagreement review).
    OpenAgreement,
    /// Open the Coders window (show/hide each coder's layer, blind mode).
    ShowCoders,
    /// Turn blind mode on or off (only the current coder's codings are shown).
    ToggleBlind,
    /// Open the excerpt export window, with the codes selected in the codebook.
    ExportExcerpts,
    /// Ask for a file and export the project as a REFI-QDA project (`.qdpx`).
    ExportQdpx,
    /// Ask for a `.qdpx` file and import it as a new project.
    ImportQdpx,
    /// Ask for a file and export the codebook as a REFI-QDA codebook (`.qdc`).
    ExportQdc,
    /// Ask for a codebook file (`.qdc`, `.csv` or `.txt`) and merge its codes into the project.
    ImportQdc,
    /// Build or update the meaning vectors of the project's passages on a background task.
    BuildMeaningVectors,
    /// Open the suggestion queue for the code selected in the codebook.
    SuggestPassages,
}

/// Which menu an action sits in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Menu {
    /// The File menu: projects, import, export and quitting.
    File,
    /// The Edit menu: undo, redo, selection and search.
    Edit,
    /// The Code menu: coding, cases and codebook exchange.
    Code,
    /// The View menu: theme and selection behaviour.
    View,
    /// The Analysis menu: matrices, co-occurrence, charts, coding queries and word frequencies.
    Analysis,
    /// Reachable only by its shortcut (a second key for another action).
    Hidden,
}

/// An action with its menu, label and shortcut.
pub struct ActionSpec {
    /// The action this entry describes.
    pub action: Action,
    /// The menu that lists it.
    pub menu: Menu,
    /// The text of its menu item.
    pub label: s::Text,
    /// Its keyboard shortcut, if it has one.
    pub shortcut: Option<KeyboardShortcut>,
    /// Shortcuts that fire even while a text field has focus.
    pub global: bool,
}

const fn spec(
    action: Action,
    menu: Menu,
    label: s::Text,
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
    spec(Action::MergeCopy, Menu::File, s::MERGE_COPY, None, true),
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
    spec(
        Action::SuggestPassages,
        Menu::Code,
        s::SUGGEST_FOR_SELECTED,
        None,
        true,
    ),
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
    spec(
        Action::ToggleLeftPanel,
        Menu::View,
        s::SHOW_LEFT_PANEL,
        key(Modifiers::COMMAND, Key::B),
        true,
    ),
    spec(
        Action::ToggleRightPanel,
        Menu::View,
        s::SHOW_RIGHT_PANEL,
        key(CMD_SHIFT, Key::B),
        true,
    ),
    // The text size keys (Ctrl+plus, Ctrl+minus, Ctrl+0) are egui's own; the menu shows them.
    spec(Action::ZoomIn, Menu::View, s::ZOOM_IN, None, true),
    spec(Action::ZoomOut, Menu::View, s::ZOOM_OUT, None, true),
    spec(Action::ZoomReset, Menu::View, s::ZOOM_RESET, None, true),
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
    spec(
        Action::OpenAgreement,
        Menu::Analysis,
        s::AGREEMENT_MENU,
        None,
        true,
    ),
    spec(
        Action::BuildMeaningVectors,
        Menu::Analysis,
        s::BUILD_MEANING_VECTORS,
        None,
        true,
    ),
    spec(Action::ShowCoders, Menu::View, s::CODERS, None, true),
    spec(Action::ToggleBlind, Menu::View, s::TOGGLE_BLIND, None, true),
];

/// The spec of an action.
pub fn spec_of(action: Action) -> Option<&'static ActionSpec> {
    ACTIONS.iter().find(|a| a.action == action)
}
