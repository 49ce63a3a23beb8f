//! Every user-visible string of the workbench, in one place so a Norwegian translation can follow.

// Menus
pub const MENU_FILE: &str = "File";
pub const MENU_EDIT: &str = "Edit";
pub const MENU_CODE: &str = "Code";
pub const MENU_VIEW: &str = "View";
pub const MENU_RECENT: &str = "Recent projects";

// Actions
pub const NEW_PROJECT: &str = "New project…";
pub const OPEN_PROJECT: &str = "Open project…";
pub const OPEN_SAMPLE: &str = "Open the sample project";
pub const SAVE: &str = "Save";
pub const IMPORT_DOCUMENTS: &str = "Import documents…";
pub const IMPORT_FOLDER: &str = "Import folder…";
pub const IMPORT_CASES_CSV: &str = "Import cases from CSV…";
/// File ▸ Merge a copy… (another copy of the project, e.g. a colleague's).
pub const MERGE_COPY: &str = "Merge a copy…";
/// The title of the window listing where a merged copy disagreed.
pub const MERGE_REPORT_TITLE: &str = "Merge a copy";
pub const SHOW_CASES: &str = "Cases and attributes…";
pub const QUIT: &str = "Quit";
pub const UNDO: &str = "Undo";
pub const REDO: &str = "Redo";
pub const CODE_SELECTION: &str = "Code selection…";
pub const IN_VIVO: &str = "In-vivo code";
pub const FIND: &str = "Search";
pub const THEME_SWITCH: &str = "Switch theme";
pub const SNAP_WORDS: &str = "Snap selection to whole words";
pub const CLEAR_SELECTION: &str = "Clear selection";

// Theme
pub const THEME_SYSTEM: &str = "Theme: follow system";
pub const THEME_LIGHT: &str = "Theme: light";
pub const THEME_DARK: &str = "Theme: dark";

// Status bar
pub const SAVED: &str = "Saved";
pub const SAVING: &str = "Saving…";
pub const UNSAVED: &str = "Unsaved changes";
pub const NO_PROJECT: &str = "No project open";
pub const DISMISS: &str = "Dismiss";
pub const CODER: &str = "Coder";
pub const INDEXING: &str = "Indexing…";
/// Shown while a search runs on its worker.
pub const SEARCHING: &str = "Searching…";

// Documents panel
pub const DOCUMENTS: &str = "Documents";
pub const FILTER: &str = "Filter";
pub const FILTER_HINT: &str = "Filter documents";
pub const GROUP_BY: &str = "Group by";
pub const GROUP_NONE: &str = "Name";
pub const GROUP_CASE: &str = "Case";
pub const GROUP_KIND: &str = "Kind";
pub const GROUP_SET: &str = "Set";
pub const GROUP_ATTRIBUTE: &str = "Attribute";
pub const NO_VALUE: &str = "(no value)";
pub const NO_CASE: &str = "(no case)";
pub const NO_SET: &str = "(no set)";

// Codebook panel
pub const CODEBOOK: &str = "Codes";
pub const NEW_CODE: &str = "New code";
pub const NEW_CODE_HINT: &str = "New code name (Parent/Child)";
pub const ADD: &str = "Add";
pub const RENAME: &str = "Rename";
pub const ADD_SUBCODE: &str = "Add sub-code";
pub const MOVE_TO: &str = "Move to…";
pub const MERGE_INTO: &str = "Merge into…";
pub const DELETE: &str = "Delete…";
pub const TOP_LEVEL: &str = "Top level";
pub const DESCRIPTION: &str = "Description";
pub const DESCRIPTION_HINT: &str = "What this code means, when to use it";
pub const CODE_NAME: &str = "Code name";
pub const CONFIRM_DELETE_TITLE: &str = "Delete code";
pub const CANCEL: &str = "Cancel";
pub const DELETE_CONFIRM: &str = "Delete";
pub const NEW_SUBCODE_NAME: &str = "New sub-code";

// Viewer
pub const NO_DOCUMENT: &str = "Choose a document on the left to start reading.";
pub const WELCOME: &str = "Open a project, or start with the sample study.";
pub const REMOVE_CODING: &str = "Remove coding";
pub const CHANGE_CODE: &str = "Change code…";
pub const ADD_MEMO: &str = "Add memo";
pub const SET_BOUNDS: &str = "Set bounds to the selection";
pub const SELECT_PASSAGE: &str = "Select the passage";
pub const RECENT_CODES: &str = "Recent codes";

// Picker
pub const PICKER_TITLE: &str = "Code with…";
pub const PICKER_HINT: &str = "Type to find a code";
pub const PICKER_LABEL: &str = "Find code";
pub const NO_SELECTION: &str = "Select some text first.";

// Right panel
pub const TAB_SEARCH: &str = "Search";
pub const TAB_EXCERPTS: &str = "Excerpts";
pub const TAB_MEMOS: &str = "Memos";
pub const TAB_CASE: &str = "Case";

// Search
pub const QUERY: &str = "Query";
pub const QUERY_HINT: &str = "words, \"phrases\", prefix*, code:, case:, speaker:";
pub const REGEX: &str = "Regex";
pub const RUN_SEARCH: &str = "Search";
pub const CODE_ALL_HITS: &str = "Code all hits…";
pub const HITS_PER_DOCUMENT: &str = "Hits per document";
pub const UNIT_HIT: &str = "Hit";
pub const UNIT_SENTENCE: &str = "Sentence";
pub const UNIT_TURN: &str = "Turn";
pub const UNIT_PARAGRAPH: &str = "Paragraph";
pub const CODE_AS: &str = "Code as";

// Excerpts
pub const INCLUDE_SUBCODES: &str = "Include sub-codes";
pub const ALL_CASES: &str = "All cases";
pub const ALL_CODERS: &str = "All coders";
pub const COPY_QUOTE: &str = "Copy quote";
pub const SELECT_CODE_FIRST: &str = "Select one or more codes in the codebook.";
pub const CASE_FILTER: &str = "Case filter";
pub const CODER_FILTER: &str = "Coder filter";

// Memos
pub const NEW_PROJECT_MEMO: &str = "New project memo";
pub const NEW_DOCUMENT_MEMO: &str = "New document memo";
pub const NEW_CODE_MEMO: &str = "New code memo";
pub const MEMO_TITLE: &str = "Memo title";
pub const MEMO_TEXT: &str = "Memo text";
pub const DELETE_MEMO: &str = "Delete memo";
pub const NO_MEMOS: &str = "No memos here yet.";
pub const UNTITLED_MEMO: &str = "Untitled memo";

// Cases
pub const CASES_TITLE: &str = "Cases and attributes";
pub const NO_CASES_FOR_DOC: &str = "This document belongs to no case.";
pub const LINK_TO_CASE: &str = "Link to case";
pub const LINK: &str = "Link";
pub const UNLINK: &str = "Unlink";
pub const NEW_CASE: &str = "New case";
pub const NEW_CASE_HINT: &str = "New case name";
pub const CREATE_AND_LINK: &str = "Create and link";
pub const CASE_NAME: &str = "Case";
pub const DOCUMENTS_COLUMN: &str = "Documents";
pub const NEW_ATTRIBUTE_HINT: &str = "New attribute";
pub const ADD_ATTRIBUTE: &str = "Add attribute";
pub const ATTRIBUTE_TYPE: &str = "Type";
pub const CREATE_CASE: &str = "Add case";

// Stale lock
pub const SAVE_FAILED_TITLE: &str = "The project could not be saved";
pub const SAVE_FAILED_TEXT: &str = "Your changes are still open in Marginalia. Fix the problem (free space, a missing folder, permissions) and try again, or close without saving them.";
pub const RETRY_SAVE: &str = "Try again";
pub const DISCARD_CHANGES: &str = "Close without saving";
pub const STAY_OPEN: &str = "Keep the project open";
pub const STALE_LOCK_TITLE: &str = "Project not closed properly";
pub const STALE_LOCK_TEXT: &str = "Marginalia was not closed properly the last time this project was open (the program that had it open is no longer running). Your saved work is safe. Open it anyway?";
pub const UNLOCK_AND_OPEN: &str = "Unlock and open";

// Import
pub const IMPORT_SUMMARY: &str = "Import summary";
pub const IMPORTED: &str = "Imported";
pub const SKIPPED: &str = "Skipped";
pub const FAILED: &str = "Failed";
pub const ASSIGN_CASE: &str = "Case for the imported documents";
pub const ASSIGN: &str = "Assign";
pub const CLOSE: &str = "Close";
pub const NONE: &str = "(none)";

/// Window title.
pub fn title(project: Option<&str>) -> String {
    match project {
        Some(name) => format!("Marginalia — {name}"),
        None => "Marginalia".into(),
    }
}

pub fn undo_label(label: Option<&str>) -> String {
    match label {
        Some(l) => format!("Undo: {l}"),
        None => UNDO.into(),
    }
}

pub fn redo_label(label: Option<&str>) -> String {
    match label {
        Some(l) => format!("Redo: {l}"),
        None => REDO.into(),
    }
}

pub fn selection_length(chars: usize) -> String {
    format!("Selection: {chars} characters")
}

pub fn delete_code_question(name: &str, codings: usize, subcodes: usize) -> String {
    let mut text = format!("Delete the code '{name}'");
    if subcodes > 0 {
        text.push_str(&format!(" and its {subcodes} sub-code(s)"));
    }
    text.push_str(&format!(
        "? {codings} coding(s) go with it. You can undo this."
    ));
    text
}

pub fn create_code(name: &str) -> String {
    format!("Create code '{name}'")
}

pub fn hits_total(shown: usize, total: usize) -> String {
    if shown < total {
        format!("{total} hits ({shown} shown)")
    } else {
        format!("{total} hits")
    }
}

pub fn excerpts_count(n: usize) -> String {
    format!("{n} excerpts")
}

pub fn import_progress(done: usize, total: usize, file: &str) -> String {
    format!("Importing {done} of {total}: {file}")
}

pub fn import_counts(imported: usize, skipped: usize, failed: usize) -> String {
    format!("{imported} imported, {skipped} skipped, {failed} failed")
}

pub fn coder_is(name: &str) -> String {
    format!("Coder: {name}")
}

/// The undo label of putting documents into a case by name.
pub fn assign_label(documents: usize, case: &str) -> String {
    format!("assign {documents} documents to case '{case}'")
}

pub fn undone(label: &str) -> String {
    format!("Undone: {label}")
}

pub fn redone(label: &str) -> String {
    format!("Redone: {label}")
}

// Analysis views (src/gui/analysis)
pub const MENU_ANALYSIS: &str = "Analysis";
pub const MATRIX: &str = "Code × case matrix";
pub const COOCCURRENCE: &str = "Code co-occurrence";
pub const CHART: &str = "Chart: codes by case group";
pub const QUERY_BUILDER: &str = "Coding query";
pub const WORDS: &str = "Word frequencies";
pub const ROWS: &str = "Rows";
pub const ROWS_CODES: &str = "Codes";
pub const ROWS_PARENTS: &str = "Top-level codes (rolled up)";
pub const COLUMNS: &str = "Columns";
pub const COLUMNS_CASES: &str = "Cases";
pub const COLUMNS_DOCUMENTS: &str = "Documents";
pub const COLUMNS_SPEAKERS: &str = "Speakers";
pub const VALUE: &str = "Value";
pub const ONLY_SELECTED_CODES: &str = "Only the codes selected in the codebook";
pub const TOTAL: &str = "Total";
pub const CODE: &str = "Code";
pub const EXPORT_CSV: &str = "Export CSV…";
pub const EXPORT_XLSX: &str = "Export XLSX…";
pub const CLICK_A_CELL: &str = "Click a cell to list the excerpts behind its number.";
pub const NOTHING_TO_SHOW: &str = "Nothing to show: no codes or no columns.";
pub const PROXIMITY: &str = "Together when";
pub const PROX_OVERLAP: &str = "they overlap";
pub const PROX_WITHIN: &str = "within N characters";
pub const PROX_TURN: &str = "in the same turn";
pub const PROX_PARAGRAPH: &str = "in the same paragraph";
pub const CHARACTERS: &str = "Characters";
pub const JACCARD: &str = "Jaccard (normalised)";
pub const GROUP_BY_ATTRIBUTE: &str = "Case groups by";
pub const STACK_CODE: &str = "Code (stacked by sub-code)";
pub const NO_ATTRIBUTES: &str = "The project has no case attributes to group by.";
pub const CODE_A: &str = "Code A";
pub const CODE_B: &str = "Code B";
pub const OPERATOR: &str = "Operator";
pub const NEAR_CHARS: &str = "within N characters";
pub const NEAR_TURN: &str = "in the same turn";
pub const CHOOSE_CODE: &str = "(choose a code)";
pub const RESTRICT: &str = "Restrict to";
pub const ANY_CASE: &str = "Any case";
pub const ANY_ATTRIBUTE: &str = "Any attribute";
pub const ANY_VALUE: &str = "Any value";
pub const ANY_CODER: &str = "Any coder";
pub const SPEAKER: &str = "Speaker";
pub const SPEAKER_HINT: &str = "e.g. Rektor";
pub const TEXT_QUERY: &str = "Text query";
pub const TEXT_QUERY_HINT: &str = "words, \"phrases\", prefix*";
pub const RUN_QUERY: &str = "Run query";
pub const SAVE_AS_CODE: &str = "Save as code…";
pub const NEW_CODE_PATH: &str = "Code to save as";
pub const SAVE_CODE: &str = "Save";
pub const CHOOSE_TWO_CODES: &str =
    "Choose code A (and code B unless the operator is OR with one code).";
pub const SELECTION: &str = "Text";
pub const SEL_ALL: &str = "All documents";
pub const SEL_CODES: &str = "Excerpts of the selected codes";
pub const SEL_GROUP: &str = "A case group";
pub const STEMMED: &str = "Group by stem";
pub const STOP_WORDS: &str = "Leave out stop words";
pub const WORD: &str = "Word";
pub const COUNT: &str = "Count";
pub const DOCUMENTS_COUNT: &str = "Documents";
pub const CLICK_A_WORD: &str = "Click a word to see it in context.";
pub const SELECT_CODES_IN_CODEBOOK: &str = "Select one or more codes in the codebook.";

/// "12 excerpts behind Barriers/Resource shortage × LOG".
pub fn cell_excerpts(n: usize, row: &str, column: &str) -> String {
    format!(
        "{n} {} behind {row} × {column}",
        if n == 1 { "excerpt" } else { "excerpts" }
    )
}

/// "8 passages, 3 documents, 2 140 characters".
pub fn passages_summary(passages: usize, documents: usize, characters: usize) -> String {
    format!("{passages} passages in {documents} documents, {characters} characters")
}

/// "Exported to …".
pub fn exported(path: &str) -> String {
    format!("Exported to {path}")
}

/// "1 204 words, 3 120 distinct".
pub fn words_summary(total: usize, distinct: usize) -> String {
    format!("{total} words, {distinct} distinct")
}

/// "'ressurs' in context: 14 lines".
pub fn kwic_title(word: &str, n: usize) -> String {
    format!("“{word}” in context: {n} lines")
}

// Export and exchange (src/gui/export_dialog.rs)
pub const EXPORT_EXCERPTS: &str = "Export excerpts…";
pub const EXPORT_QDPX: &str = "Export REFI-QDA project (.qdpx)…";
pub const IMPORT_QDPX: &str = "Import REFI-QDA project (.qdpx)…";
pub const EXPORT_QDC: &str = "Export codebook (.qdc)…";
pub const IMPORT_QDC: &str = "Import codebook (.qdc, .csv, .txt)…";
pub const EXPORT_EXCERPTS_TITLE: &str = "Export excerpts";
pub const CODES_TO_EXPORT: &str = "Codes";
pub const USE_CODEBOOK_SELECTION: &str = "Use the codebook selection";
pub const CLEAR_CODES: &str = "Clear";
pub const EXPORT_GROUPING: &str = "Grouping";
pub const GROUP_CODE_CASE: &str = "Code → case";
pub const GROUP_CASE_CODE: &str = "Case → code";
pub const EXPORT_CITATION: &str = "Citations";
pub const CITATION_SHORT: &str = "Short";
pub const CITATION_FULL: &str = "Full";
pub const CITATION_SHORT_HINT: &str =
    "Speaker, document and ¶ / page / timestamp: “Rektor, intervju_bakkebo_rektor, ¶ 12”";
pub const CITATION_FULL_HINT: &str = "Adds the document's cases and the coder: “Rektor, intervju_bakkebo_rektor (Bakkebø skole), ¶ 12, coded by Kari”";
pub const EXPORT_CONTEXT: &str = "Context";
pub const CONTEXT_NONE: &str = "None";
pub const CONTEXT_CHARS: &str = "Characters before and after";
pub const CONTEXT_TURN: &str = "Whole turn";
pub const EXPORT_FORMAT: &str = "Format";
pub const FORMAT_DOCX: &str = "Word (.docx)";
pub const FORMAT_HTML: &str = "HTML";
pub const FORMAT_MARKDOWN: &str = "Markdown";
pub const FORMAT_CSV: &str = "CSV";
pub const FORMAT_XLSX: &str = "Excel (.xlsx)";
pub const EXPORT_BUTTON: &str = "Export…";
pub const QDPX_FILTER: &str = "REFI-QDA project";
pub const QDC_FILTER: &str = "REFI-QDA codebook";
pub const CODEBOOK_FILTER: &str = "Codebook";
pub const NEW_PROJECT_FOLDER: &str = "Folder for the new project";
pub const IMPORTED_PROJECT: &str = "Imported project";
pub const QDPX_REPORT_TITLE: &str = "REFI-QDA import";
pub const QDC_REPORT_TITLE: &str = "Codebook import";
pub const WARNINGS: &str = "Warnings";
pub const NOT_IMPORTED: &str = "Not imported";

/// "Coded excerpts: LOG follow-up" (the report's title).
pub fn excerpts_report_title(project: &str) -> String {
    format!("Coded excerpts: {project}")
}

/// The suggested file name (without extension) for exports of a project.
pub fn excerpts_file_stem(project: &str) -> String {
    let stem: String = project
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if stem.trim_matches('_').is_empty() {
        "export".into()
    } else {
        stem
    }
}

/// The line under the report's title describing the selection.
pub fn export_description(
    codes: &[String],
    subcodes: bool,
    case: Option<&str>,
    coder: Option<&str>,
) -> String {
    let mut parts = Vec::new();
    if !codes.is_empty() {
        parts.push(format!(
            "codes: {}{}",
            codes.join(", "),
            if subcodes { " (with sub-codes)" } else { "" }
        ));
    }
    if let Some(case) = case {
        parts.push(format!("case: {case}"));
    }
    if let Some(coder) = coder {
        parts.push(format!("coder: {coder}"));
    }
    if parts.is_empty() {
        "All coded excerpts".into()
    } else {
        format!("Selection — {}", parts.join("; "))
    }
}

/// "3 codes chosen" or, with none, what an export then holds.
pub fn codes_chosen(n: usize) -> String {
    match n {
        0 => "No codes chosen: every coded excerpt is exported.".into(),
        1 => "1 code chosen".into(),
        n => format!("{n} codes chosen"),
    }
}

pub fn excerpts_exported(n: usize, path: &str) -> String {
    format!("Exported {n} excerpt(s) to {path}")
}

pub fn qdpx_exported(path: &str, documents: usize, codes: usize, codings: usize) -> String {
    format!("Exported {documents} documents, {codes} codes, {codings} codings to {path}")
}

pub fn qdc_exported(path: &str, codes: usize) -> String {
    format!("Exported {codes} codes to {path}")
}

pub fn qdpx_imported(
    file: &str,
    origin: &str,
    documents: usize,
    codes: usize,
    codings: usize,
    cases: usize,
    memos: usize,
) -> String {
    let origin = if origin.is_empty() {
        String::new()
    } else {
        format!(" ({origin})")
    };
    format!(
        "Imported {file}{origin}: {documents} documents, {codes} codes, {codings} codings, {cases} cases, {memos} memos"
    )
}

pub fn codebook_imported(added: usize, existing: usize) -> String {
    format!("Added {added} code(s); {existing} already in the codebook")
}

pub fn no_codes_in(file: &str) -> String {
    format!("{file}: no codes found")
}

// Languages (issue 14): per document, the new-project window, the words view's speaker controls.
pub const DOCUMENT_LANGUAGE: &str = "Language";
pub const NEW_PROJECT_TITLE: &str = "New project";
pub const PROJECT_LANGUAGE: &str =
    "Language of the texts (each imported document's own language is detected):";
pub const PROJECT_LANGUAGE_HINT: &str = "Used for documents too short to tell; search finds bokmål and nynorsk forms of a word either way.";
pub const CREATE_PROJECT: &str = "Create";
pub const WITH_FURNITURE: &str = "Count labels and notes";
pub const WITH_FURNITURE_HINT: &str = "Also count speaker labels (Rektor:) and bracketed transcription notes such as (ler) or [pause]";
pub const EXCLUDE_SPEAKERS: &str = "Leave out speakers";
pub const EXCLUDE_SPEAKERS_HINT: &str =
    "Names separated by commas, e.g. Intervjuer, Intervjuar: their turns are not counted";

pub fn language_name(language: crate::model::Language) -> String {
    format!("{} ({})", language.name(), language.code())
}

pub fn follow_project_language(project_language: String) -> String {
    format!("As the project: {project_language}")
}

pub fn language_tooltip(label: &str) -> String {
    if let Some(code) = label.strip_suffix('*') {
        format!("Language: {code} (the project's)")
    } else {
        format!("Language: {label}")
    }
}

pub fn imported_file_line(
    name: &str,
    kind: &str,
    language: Option<&str>,
    turns: usize,
    speakers: &[String],
) -> String {
    let mut parts = vec![kind.to_string()];
    if let Some(code) = language {
        parts.push(code.to_string());
    }
    if turns > 0 {
        parts.push(format!(
            "{turns} turns, {} speakers: {}",
            speakers.len(),
            speakers.join(", ")
        ));
    }
    format!("✓ {name} ({})", parts.join(", "))
}

/// The status line after merging a copy: what was added (and how many conflicts kept this copy's value).
pub fn merged_copy(summary: &str) -> String {
    format!("Merged a copy: {summary}")
}
// Coders (layers, blind mode) and Analysis ▸ Agreement.

pub const CODERS: &str = "Coders…";
pub const CODERS_TITLE: &str = "Coders";
pub const CODERS_HINT: &str = "Show or hide each coder's codings everywhere: stripes, excerpts, counts, analysis and exports.";
pub const BLIND_MODE: &str = "Blind mode";
pub const BLIND_HINT: &str =
    "Hide every other coder's codings, counts and excerpts, so parallel coding stays independent.";
pub const REVEAL: &str = "Reveal the other coders";
pub const HIDE_AGAIN: &str = "Hide them again";
pub const TOGGLE_BLIND: &str = "Blind mode (hide other coders)";
pub const YOU: &str = "(you)";
pub const AGREEMENT: &str = "Agreement";
pub const AGREEMENT_MENU: &str = "Agreement between coders";
pub const AGREEMENT_TWO_CODERS: &str = "Choose at least two coders to compare.";
pub const AGREEMENT_COMPUTING: &str = "Computing agreement…";
pub const AGREEMENT_CODERS: &str = "Coders:";
pub const AGREEMENT_UNIT: &str = "Unit:";
pub const AGREEMENT_MEASURES: &str = "Measures:";
pub const AGREEMENT_DRAWS: &str = "Bootstrap draws:";
pub const CONSENSUS: &str = "Consensus";
pub const REVIEW_PAIR: &str = "Coders:";
pub const REVIEW_DOCUMENT: &str = "Document:";
pub const ALL_DOCUMENTS: &str = "All documents";
pub const REVIEW_CONSENSUS: &str = "Consensus coder:";
pub const NOT_CODED: &str = "not coded";
pub const REVIEW_MEMO: &str = "Memo:";
pub const REVIEW_BOUNDS: &str = "New bounds:";
pub const KEEP: &str = "Keep";
pub const UNION: &str = "Union";
pub const INTERSECTION: &str = "Intersection";
pub const NEW_BOUNDS: &str = "Use new bounds";
pub const SKIP: &str = "Skip";
pub const CODE_HEADER: &str = "Code";
pub const CODED_BY: &str = "Coded by";
pub const ALPHA_AFTER: &str = "α after review";
pub const REVIEW_HINT: &str = "Review this code's disagreements";
pub const LOW_AGREEMENT: &str =
    "Below 0.667: too low for even tentative conclusions (Krippendorff)";

pub fn review_heading(code: &str) -> String {
    format!("Disagreements on '{code}'")
}

pub fn review_progress(total: usize, open: usize) -> String {
    format!("{total} disagreeing stretch(es), {open} not decided yet")
}

pub fn decided(label: &str) -> String {
    format!("Decided: {label}")
}

pub fn bad_bounds(text: &str) -> String {
    format!("'{text}' is not START..END (character positions in the document)")
}

pub fn blind_status(coder: &str) -> String {
    format!("Blind mode: only {coder}'s codings are shown")
}
pub const NOTHING_CODED: &str = "Decision recorded; it codes nothing in the consensus layer";
pub const AGREEMENT_BLIND: &str = "Blind mode hides the other coders. Reveal them (View ▸ Coders…) to compare your coding with theirs.";
// The workbench for a working day (issue 15): clipboard, layout, document menu, codebook, stripes
pub const COPY: &str = "Copy";
pub const COPY_TABLE: &str = "Copy table";
pub const COPY_TABLE_TIP: &str =
    "Copy the table as tab-separated text (pastes into Word or Excel as a table)";
pub const MENU_DOCUMENT: &str = "Document";
pub const SHOW_LEFT_PANEL: &str = "Documents and codes panel";
pub const SHOW_RIGHT_PANEL: &str = "Search and excerpts panel";
pub const ZOOM_IN: &str = "Larger text";
pub const ZOOM_OUT: &str = "Smaller text";
pub const ZOOM_RESET: &str = "Normal text size";
pub const RECENT_CODES_HINT: &str =
    "codes you apply appear here; keys 1–9 apply them to a selection";
pub const NO_OPEN_DOCUMENT: &str = "No document is open";
pub const RENAME_DOCUMENT: &str = "Rename…";
pub const DOCUMENT_NAME: &str = "Document name";
pub const CHANGE_KIND: &str = "Kind";
pub const ADD_TO_CASE: &str = "Add to case";
pub const ADD_TO_SET: &str = "Add to set";
pub const NEW_CASE_NAME: &str = "New case";
pub const NEW_SET_NAME: &str = "New set";
pub const REMOVE_DOCUMENT: &str = "Remove document…";
pub const REMOVE_DOCUMENT_TITLE: &str = "Remove this document?";
pub const REMOVE_CONFIRM: &str = "Remove";
pub const COLOUR: &str = "Colour";
pub const CUSTOM_COLOUR: &str = "Custom colour";
pub const NO_DESCRIPTION_SELECTED: &str = "Select one code to read and edit its description.";
pub const OK: &str = "OK";
pub const TYPE_TO_FILTER: &str = "type to filter";
pub const MOVE_UP: &str = "Move up";
pub const MOVE_DOWN: &str = "Move down";
pub const IMPORTABLE_FILES: &str =
    "Documents (text, Markdown, Word, OpenDocument, PDF, HTML, RTF, subtitles)";

/// The question before removing a document: what goes with it, and that Undo brings it back.
pub fn remove_document_question(name: &str, codings: usize, memos: usize) -> String {
    let codings = match codings {
        1 => "1 coding".to_string(),
        n => format!("{n} codings"),
    };
    let memos = match memos {
        1 => "1 memo".to_string(),
        n => format!("{n} memos"),
    };
    format!(
        "“{name}” will be removed from the project with its {codings} and {memos}, and taken out of its cases \
         and sets. Edit ▸ Undo brings it all back."
    )
}

/// The label of a code colour in the palette (for screen readers and the hover tip).
pub fn palette_colour(n: usize, hex: &str) -> String {
    format!("Palette colour {n} ({hex})")
}

// ---- scalegui: new strings ----
/// Shown while an analysis view computes on its worker (the previous result stays shown).
/// nb: "Beregner…"; nn: "Reknar ut…".
pub const COMPUTING: &str = "Computing…";
/// An analysis view's worker ended without a result.
/// nb: "Beregningen stoppet uventet."; nn: "Utrekninga stoppa uventa.".
pub const COMPUTATION_LOST: &str = "The computation stopped unexpectedly.";
