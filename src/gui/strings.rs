//! Every user-visible string of the workbench in English, Norwegian bokmål and Norwegian nynorsk.
//!
//! A [`Text`] holds the three translations and shows the one of the current interface language
//! ([`crate::gui::locale`]); it converts into egui's text types, so `ui.button(s::SAVE)` reads as before. The
//! `texts!` table also builds [`ALL`], which the tests walk to check that no translation is missing or left in
//! English. Formatting functions have one body per language and format numbers through the locale helpers.

use std::fmt;

use crate::gui::locale::{self, Lang, count as n};

/// One user-visible text in the three interface languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Text {
    en: &'static str,
    nb: &'static str,
    nn: &'static str,
}

impl Text {
    /// A text in English, bokmål and nynorsk.
    pub const fn new(en: &'static str, nb: &'static str, nn: &'static str) -> Self {
        Self { en, nb, nn }
    }

    /// The text in the current interface language.
    pub fn get(self) -> &'static str {
        self.in_lang(locale::current())
    }

    /// The text in `lang`.
    pub fn in_lang(self, lang: Lang) -> &'static str {
        match lang {
            Lang::English => self.en,
            Lang::Bokmal => self.nb,
            Lang::Nynorsk => self.nn,
        }
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.get())
    }
}

impl std::ops::Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        self.get()
    }
}

impl From<Text> for egui::WidgetText {
    fn from(text: Text) -> Self {
        text.get().into()
    }
}

impl From<Text> for egui::RichText {
    fn from(text: Text) -> Self {
        egui::RichText::new(text.get())
    }
}

impl From<Text> for String {
    fn from(text: Text) -> Self {
        text.get().to_string()
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        *self == other.get()
    }
}

impl PartialEq<Text> for String {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.get()
    }
}

/// Declares each text as a `pub const` and lists them all in [`ALL`] (name, text) for the translation tests.
macro_rules! texts {
    ($( $(#[$meta:meta])* $name:ident => $en:literal, $nb:literal, $nn:literal; )*) => {
        $(
            $(#[$meta])*
            #[doc = concat!("“", $en, "”")]
            pub const $name: Text = Text::new($en, $nb, $nn);
        )*
        /// Every text of the table with its name.
        #[cfg(test)]
        pub const ALL: &[(&str, Text)] = &[$((stringify!($name), $name)),*];
    };
}

/// One expression per interface language: `by_lang!(en, nb, nn)`.
macro_rules! by_lang {
    ($en:expr, $nb:expr, $nn:expr $(,)?) => {
        match locale::current() {
            Lang::English => $en,
            Lang::Bokmal => $nb,
            Lang::Nynorsk => $nn,
        }
    };
}

texts! {
    // Menus
    MENU_FILE => "File", "Fil", "Fil";
    MENU_EDIT => "Edit", "Rediger", "Rediger";
    MENU_CODE => "Code", "Kode", "Kode";
    MENU_VIEW => "View", "Vis", "Vis";
    MENU_RECENT => "Recent projects", "Nylige prosjekter", "Nylege prosjekt";
    /// View ▸ Language (the interface language).
    MENU_LANGUAGE => "Language", "Språk", "Språk";
    /// The tip on View ▸ Language.
    LANGUAGE_MENU_HINT => "The language of menus and messages (not of your documents)",
        "Språket i menyer og meldinger (ikke i dokumentene dine)",
        "Språket i menyar og meldingar (ikkje i dokumenta dine)";

    // Actions
    NEW_PROJECT => "New project…", "Nytt prosjekt…", "Nytt prosjekt…";
    OPEN_PROJECT => "Open project…", "Åpne prosjekt…", "Opne prosjekt…";
    OPEN_SAMPLE => "Open the sample project", "Åpne eksempelprosjektet", "Opne eksempelprosjektet";
    SAVE => "Save", "Lagre", "Lagre";
    IMPORT_DOCUMENTS => "Import documents…", "Importer dokumenter…", "Importer dokument…";
    IMPORT_FOLDER => "Import folder…", "Importer mappe…", "Importer mappe…";
    IMPORT_CASES_CSV => "Import cases from CSV…", "Importer case fra CSV…", "Importer case frå CSV…";
    /// File ▸ Merge a copy… (another copy of the project, e.g. a colleague's).
    MERGE_COPY => "Merge a copy…", "Slå sammen med en kopi…", "Slå saman med ein kopi…";
    /// The title of the window listing where a merged copy disagreed.
    MERGE_REPORT_TITLE => "Merge a copy", "Slå sammen med en kopi", "Slå saman med ein kopi";
    SHOW_CASES => "Cases and attributes…", "Case og attributter…", "Case og attributt…";
    QUIT => "Quit", "Avslutt", "Avslutt";
    UNDO => "Undo", "Angre", "Angre";
    REDO => "Redo", "Gjør om", "Gjer om";
    CODE_SELECTION => "Code selection…", "Kod markeringen…", "Kod markeringa…";
    IN_VIVO => "In-vivo code", "In vivo-kode", "In vivo-kode";
    FIND => "Search", "Søk", "Søk";
    THEME_SWITCH => "Switch theme", "Bytt fargetema", "Byt fargetema";
    SNAP_WORDS => "Snap selection to whole words", "Utvid markeringen til hele ord", "Utvid markeringa til heile ord";
    CLEAR_SELECTION => "Clear selection", "Fjern markeringen", "Fjern markeringa";

    // Theme
    THEME_SYSTEM => "Theme: follow system", "Tema: følg systemet", "Tema: følg systemet";
    THEME_LIGHT => "Theme: light", "Tema: lyst", "Tema: lyst";
    THEME_DARK => "Theme: dark", "Tema: mørkt", "Tema: mørkt";

    // Status bar
    SAVED => "Saved", "Lagret", "Lagra";
    SAVING => "Saving…", "Lagrer…", "Lagrar…";
    UNSAVED => "Unsaved changes", "Ulagrede endringer", "Ulagra endringar";
    NO_PROJECT => "No project open", "Ikke noe prosjekt er åpent", "Ikkje noko prosjekt ope";
    DISMISS => "Dismiss", "Skjul", "Gøym";
    CODER => "Coder", "Koder", "Kodar";
    INDEXING => "Indexing…", "Indekserer…", "Indekserer…";
    /// Shown while a search runs on its worker.
    SEARCHING => "Searching…", "Søker…", "Søkjer…";

    // Documents panel
    DOCUMENTS => "Documents", "Dokumenter", "Dokument";
    FILTER => "Filter", "Filtrer", "Filtrer";
    FILTER_HINT => "Filter documents", "Filtrer dokumenter", "Filtrer dokument";
    GROUP_BY => "Group by", "Grupper etter", "Grupper etter";
    GROUP_NONE => "Name", "Navn", "Namn";
    GROUP_CASE => "Case", "Case", "Case";
    GROUP_KIND => "Kind", "Type", "Type";
    GROUP_SET => "Set", "Sett", "Sett";
    GROUP_ATTRIBUTE => "Attribute", "Attributt", "Attributt";
    NO_VALUE => "(no value)", "(ingen verdi)", "(inga verdi)";
    NO_CASE => "(no case)", "(ingen case)", "(ingen case)";
    NO_SET => "(no set)", "(ikke i noe sett)", "(ikkje i noko sett)";

    // Codebook panel
    CODEBOOK => "Codes", "Koder", "Kodar";
    NEW_CODE => "New code", "Ny kode", "Ny kode";
    NEW_CODE_HINT => "New code name (Parent/Child)", "Navn på ny kode (Over/Under)", "Namn på ny kode (Over/Under)";
    ADD => "Add", "Legg til", "Legg til";
    RENAME => "Rename", "Gi nytt navn", "Gje nytt namn";
    ADD_SUBCODE => "Add sub-code", "Legg til underkode", "Legg til underkode";
    MOVE_TO => "Move to…", "Flytt til…", "Flytt til…";
    MERGE_INTO => "Merge into…", "Slå sammen med…", "Slå saman med…";
    DELETE => "Delete…", "Slett…", "Slett…";
    TOP_LEVEL => "Top level", "Øverste nivå", "Øvste nivå";
    DESCRIPTION => "Description", "Beskrivelse", "Skildring";
    DESCRIPTION_HINT => "What this code means, when to use it", "Hva koden betyr, og når den skal brukes", "Kva koden tyder, og når han skal brukast";
    CODE_NAME => "Code name", "Kodenavn", "Kodenamn";
    CONFIRM_DELETE_TITLE => "Delete code", "Slett kode", "Slett kode";
    CANCEL => "Cancel", "Avbryt", "Avbryt";
    DELETE_CONFIRM => "Delete", "Slett", "Slett";
    NEW_SUBCODE_NAME => "New sub-code", "Ny underkode", "Ny underkode";

    // Viewer
    NO_DOCUMENT => "Choose a document on the left to start reading.", "Velg et dokument til venstre for å begynne å lese.", "Vel eit dokument til venstre for å byrje å lese.";
    WELCOME => "Open a project, or start with the sample study.", "Åpne et prosjekt, eller begynn med eksempelstudien.", "Opne eit prosjekt, eller byrj med eksempelstudien.";
    REMOVE_CODING => "Remove coding", "Fjern kodingen", "Fjern kodinga";
    CHANGE_CODE => "Change code…", "Bytt kode…", "Byt kode…";
    ADD_MEMO => "Add memo", "Legg til notat", "Legg til notat";
    SET_BOUNDS => "Set bounds to the selection", "Sett grensene til markeringen", "Set grensene til markeringa";
    SELECT_PASSAGE => "Select the passage", "Marker utdraget", "Marker utdraget";
    RECENT_CODES => "Recent codes", "Sist brukte koder", "Sist brukte kodar";

    // Picker
    PICKER_TITLE => "Code with…", "Kod med…", "Kod med…";
    PICKER_HINT => "Type to find a code", "Skriv for å finne en kode", "Skriv for å finne ein kode";
    PICKER_LABEL => "Find code", "Finn kode", "Finn kode";
    NO_SELECTION => "Select some text first.", "Marker litt tekst først.", "Marker litt tekst først.";

    // Right panel
    TAB_SEARCH => "Search", "Søk", "Søk";
    TAB_EXCERPTS => "Excerpts", "Utdrag", "Utdrag";
    TAB_MEMOS => "Memos", "Notater", "Notat";
    TAB_CASE => "Case", "Case", "Case";

    // Search
    QUERY => "Query", "Spørring", "Spørjing";
    QUERY_HINT => "words, \"phrases\", prefix*, code:, case:, speaker:", "ord, \"fraser\", prefiks*, code:, case:, speaker:", "ord, \"frasar\", prefiks*, code:, case:, speaker:";
    REGEX => "Regex", "Regulært uttrykk", "Regulært uttrykk";
    RUN_SEARCH => "Search", "Søk", "Søk";
    CODE_ALL_HITS => "Code all hits…", "Kod alle treff…", "Kod alle treff…";
    HITS_PER_DOCUMENT => "Hits per document", "Treff per dokument", "Treff per dokument";
    UNIT_HIT => "Hit", "Treff", "Treff";
    UNIT_SENTENCE => "Sentence", "Setning", "Setning";
    UNIT_TURN => "Turn", "Replikk", "Replikk";
    UNIT_PARAGRAPH => "Paragraph", "Avsnitt", "Avsnitt";
    CODE_AS => "Code as", "Kod som", "Kod som";

    // Excerpts
    INCLUDE_SUBCODES => "Include sub-codes", "Ta med underkoder", "Ta med underkodar";
    ALL_CASES => "All cases", "Alle case", "Alle case";
    ALL_CODERS => "All coders", "Alle kodere", "Alle kodarar";
    COPY_QUOTE => "Copy quote", "Kopier sitat", "Kopier sitat";
    SELECT_CODE_FIRST => "Select one or more codes in the codebook.", "Velg én eller flere koder i kodeboka.", "Vel éin eller fleire kodar i kodeboka.";
    CASE_FILTER => "Case filter", "Saksfilter", "Casefilter";
    CODER_FILTER => "Coder filter", "Koderfilter", "Kodarfilter";

    // Memos
    NEW_PROJECT_MEMO => "New project memo", "Nytt prosjektnotat", "Nytt prosjektnotat";
    NEW_DOCUMENT_MEMO => "New document memo", "Nytt dokumentnotat", "Nytt dokumentnotat";
    NEW_CODE_MEMO => "New code memo", "Nytt kodenotat", "Nytt kodenotat";
    MEMO_TITLE => "Memo title", "Tittel på notatet", "Tittel på notatet";
    MEMO_TEXT => "Memo text", "Notattekst", "Notattekst";
    DELETE_MEMO => "Delete memo", "Slett notat", "Slett notat";
    NO_MEMOS => "No memos here yet.", "Ingen notater her ennå.", "Ingen notat her enno.";
    UNTITLED_MEMO => "Untitled memo", "Notat uten tittel", "Notat utan tittel";

    // Cases
    CASES_TITLE => "Cases and attributes", "Case og attributter", "Case og attributt";
    NO_CASES_FOR_DOC => "This document belongs to no case.", "Dette dokumentet hører ikke til noe case.", "Dette dokumentet høyrer ikkje til nokon case.";
    LINK_TO_CASE => "Link to case", "Knytt til case", "Knyt til case";
    LINK => "Link", "Knytt", "Knyt";
    UNLINK => "Unlink", "Løs ut", "Løys ut";
    NEW_CASE => "New case", "Nytt case", "Nytt case";
    NEW_CASE_HINT => "New case name", "Navn på nytt case", "Namn på nytt case";
    CREATE_AND_LINK => "Create and link", "Opprett og knytt", "Opprett og knyt";
    CASE_NAME => "Case", "Case", "Case";
    DOCUMENTS_COLUMN => "Documents", "Dokumenter", "Dokument";
    NEW_ATTRIBUTE_HINT => "New attribute", "Ny attributt", "Ny attributt";
    ADD_ATTRIBUTE => "Add attribute", "Legg til attributt", "Legg til attributt";
    ATTRIBUTE_TYPE => "Type", "Type", "Type";
    CREATE_CASE => "Add case", "Legg til case", "Legg til case";

    // Save failed, stale lock
    SAVE_FAILED_TITLE => "The project could not be saved", "Prosjektet kunne ikke lagres", "Prosjektet kunne ikkje lagrast";
    SAVE_FAILED_TEXT => "Your changes are still open in Marginalia. Fix the problem (free space, a missing folder, permissions) and try again, or close without saving them.",
        "Endringene dine er fortsatt åpne i Marginalia. Rett opp problemet (ledig plass, en mappe som mangler, tilganger) og prøv igjen, eller lukk uten å lagre dem.",
        "Endringane dine er framleis opne i Marginalia. Rett opp problemet (ledig plass, ei mappe som manglar, tilgangar) og prøv igjen, eller lukk utan å lagre dei.";
    RETRY_SAVE => "Try again", "Prøv igjen", "Prøv igjen";
    DISCARD_CHANGES => "Close without saving", "Lukk uten å lagre", "Lukk utan å lagre";
    STAY_OPEN => "Keep the project open", "La prosjektet være åpent", "La prosjektet vere ope";
    STALE_LOCK_TITLE => "Project not closed properly", "Prosjektet ble ikke lukket ordentlig", "Prosjektet vart ikkje lukka ordentleg";
    STALE_LOCK_TEXT => "Marginalia was not closed properly the last time this project was open (the program that had it open is no longer running). Your saved work is safe. Open it anyway?",
        "Marginalia ble ikke lukket ordentlig sist dette prosjektet var åpent (programmet som hadde det åpent, kjører ikke lenger). Det du har lagret, er trygt. Vil du åpne det likevel?",
        "Marginalia vart ikkje lukka ordentleg sist dette prosjektet var ope (programmet som hadde det ope, køyrer ikkje lenger). Det du har lagra, er trygt. Vil du opne det likevel?";
    UNLOCK_AND_OPEN => "Unlock and open", "Lås opp og åpne", "Lås opp og opne";

    // Import
    IMPORT_SUMMARY => "Import summary", "Importsammendrag", "Importsamandrag";
    IMPORTED => "Imported", "Importert", "Importert";
    SKIPPED => "Skipped", "Hoppet over", "Hoppa over";
    FAILED => "Failed", "Mislyktes", "Mislukka";
    ASSIGN_CASE => "Case for the imported documents", "Case for de importerte dokumentene", "Case for dei importerte dokumenta";
    ASSIGN => "Assign", "Knytt til", "Knyt til";
    CLOSE => "Close", "Lukk", "Lukk";
    NONE => "(none)", "(ingen)", "(ingen)";
    /// The file filter of the CSV case import.
    CSV_FILTER => "CSV", "CSV", "CSV";
    /// The suggested folder name of a new project.
    NEW_STUDY => "New study", "Ny studie", "Ny studie";
    /// The name of a project whose folder has no usable name.
    PROJECT => "Project", "Prosjekt", "Prosjekt";
    /// A search command with no search run yet.
    RUN_A_SEARCH_FIRST => "run a search first", "kjør et søk først", "køyr eit søk først";
    /// The search index could not be built (the reason is logged).
    INDEX_FAILED => "the search index could not be built", "søkeindeksen kunne ikke bygges", "søkjeindeksen kunne ikkje byggjast";
    /// A search's worker ended without an answer.
    SEARCH_STOPPED => "the search stopped unexpectedly", "søket stoppet uventet", "søket stoppa uventa";
    /// A background job was cancelled.
    CANCELLED => "cancelled", "avbrutt", "avbroten";
    /// The sample project has nowhere to live.
    NO_DATA_FOLDER => "no data folder for the sample project", "fant ingen datamappe til eksempelprosjektet", "fann inga datamappe til eksempelprosjektet";

    // Analysis views (src/gui/analysis)
    MENU_ANALYSIS => "Analysis", "Analyse", "Analyse";
    MATRIX => "Code × case matrix", "Matrise: koder × case", "Matrise: kodar × case";
    COOCCURRENCE => "Code co-occurrence", "Samforekomst av koder", "Samførekomst av kodar";
    CHART => "Chart: codes by case group", "Diagram: koder etter saksgruppe", "Diagram: kodar etter casegruppe";
    QUERY_BUILDER => "Coding query", "Kodespørring", "Kodespørjing";
    WORDS => "Word frequencies", "Ordfrekvenser", "Ordfrekvensar";
    ROWS => "Rows", "Rader", "Rader";
    ROWS_CODES => "Codes", "Koder", "Kodar";
    ROWS_PARENTS => "Top-level codes (rolled up)", "Koder på øverste nivå (summert)", "Kodar på øvste nivå (summerte)";
    COLUMNS => "Columns", "Kolonner", "Kolonnar";
    COLUMNS_CASES => "Cases", "Case", "Case";
    COLUMNS_DOCUMENTS => "Documents", "Dokumenter", "Dokument";
    COLUMNS_SPEAKERS => "Speakers", "Talere", "Talarar";
    VALUE => "Value", "Verdi", "Verdi";
    ONLY_SELECTED_CODES => "Only the codes selected in the codebook", "Bare kodene som er valgt i kodeboka", "Berre kodane som er valde i kodeboka";
    TOTAL => "Total", "Sum", "Sum";
    CODE => "Code", "Kode", "Kode";
    EXPORT_CSV => "Export CSV…", "Eksporter CSV…", "Eksporter CSV…";
    EXPORT_XLSX => "Export XLSX…", "Eksporter XLSX…", "Eksporter XLSX…";
    CLICK_A_CELL => "Click a cell to list the excerpts behind its number.", "Klikk i en celle for å se utdragene bak tallet.", "Klikk i ei celle for å sjå utdraga bak talet.";
    NOTHING_TO_SHOW => "Nothing to show: no codes or no columns.", "Ingenting å vise: ingen koder eller ingen kolonner.", "Ingenting å vise: ingen kodar eller ingen kolonnar.";
    PROXIMITY => "Together when", "Sammen når", "Saman når";
    PROX_OVERLAP => "they overlap", "de overlapper", "dei overlappar";
    PROX_WITHIN => "within N characters", "innenfor N tegn", "innanfor N teikn";
    PROX_TURN => "in the same turn", "i samme replikk", "i same replikk";
    PROX_PARAGRAPH => "in the same paragraph", "i samme avsnitt", "i same avsnitt";
    CHARACTERS => "Characters", "Tegn", "Teikn";
    JACCARD => "Jaccard (normalised)", "Jaccard (normalisert)", "Jaccard (normalisert)";
    GROUP_BY_ATTRIBUTE => "Case groups by", "Saksgrupper etter", "Casegrupper etter";
    STACK_CODE => "Code (stacked by sub-code)", "Kode (stablet etter underkode)", "Kode (stabla etter underkode)";
    NO_ATTRIBUTES => "The project has no case attributes to group by.", "Prosjektet har ingen casesattributter å gruppere etter.", "Prosjektet har ingen caseattributt å gruppere etter.";
    CODE_A => "Code A", "Kode A", "Kode A";
    CODE_B => "Code B", "Kode B", "Kode B";
    OPERATOR => "Operator", "Operator", "Operator";
    NEAR_CHARS => "within N characters", "innenfor N tegn", "innanfor N teikn";
    NEAR_TURN => "in the same turn", "i samme replikk", "i same replikk";
    CHOOSE_CODE => "(choose a code)", "(velg en kode)", "(vel ein kode)";
    RESTRICT => "Restrict to", "Avgrens til", "Avgrens til";
    ANY_CASE => "Any case", "Alle case", "Alle case";
    ANY_ATTRIBUTE => "Any attribute", "Alle attributter", "Alle attributt";
    ANY_VALUE => "Any value", "Alle verdier", "Alle verdiar";
    ANY_CODER => "Any coder", "Alle kodere", "Alle kodarar";
    SPEAKER => "Speaker", "Taler", "Talar";
    SPEAKER_HINT => "e.g. Rektor", "f.eks. Rektor", "t.d. Rektor";
    TEXT_QUERY => "Text query", "Tekstsøk", "Tekstsøk";
    TEXT_QUERY_HINT => "words, \"phrases\", prefix*", "ord, \"fraser\", prefiks*", "ord, \"frasar\", prefiks*";
    RUN_QUERY => "Run query", "Kjør spørringen", "Køyr spørjinga";
    SAVE_AS_CODE => "Save as code…", "Lagre som kode…", "Lagre som kode…";
    NEW_CODE_PATH => "Code to save as", "Kode å lagre som", "Kode å lagre som";
    SAVE_CODE => "Save", "Lagre", "Lagre";
    CHOOSE_TWO_CODES => "Choose code A (and code B unless the operator is OR with one code).",
        "Velg kode A (og kode B, med mindre operatoren er OR med én kode).",
        "Vel kode A (og kode B, med mindre operatoren er OR med éin kode).";
    /// The operators of a coding query.
    OP_AND => "AND (coded with both)", "AND (kodet med begge)", "AND (koda med begge)";
    OP_OR => "OR (either)", "OR (én av dem)", "OR (éin av dei)";
    OP_NOT => "NOT (A without B)", "NOT (A uten B)", "NOT (A utan B)";
    OP_NEAR => "NEAR", "NEAR (nær)", "NEAR (nær)";
    SELECTION => "Text", "Tekst", "Tekst";
    SEL_ALL => "All documents", "Alle dokumenter", "Alle dokument";
    SEL_CODES => "Excerpts of the selected codes", "Utdrag fra de valgte kodene", "Utdrag frå dei valde kodane";
    SEL_GROUP => "A case group", "En saksgruppe", "Ei casegruppe";
    STEMMED => "Group by stem", "Grupper etter ordstamme", "Grupper etter ordstamme";
    STOP_WORDS => "Leave out stop words", "Utelat stoppord", "Utelat stoppord";
    WORD => "Word", "Ord", "Ord";
    COUNT => "Count", "Antall", "Tal";
    DOCUMENTS_COUNT => "Documents", "Dokumenter", "Dokument";
    CLICK_A_WORD => "Click a word to see it in context.", "Klikk på et ord for å se det i sammenhengen.", "Klikk på eit ord for å sjå det i samanhengen.";
    SELECT_CODES_IN_CODEBOOK => "Select one or more codes in the codebook.", "Velg én eller flere koder i kodeboka.", "Vel éin eller fleire kodar i kodeboka.";

    // Export and exchange (src/gui/export_dialog.rs)
    EXPORT_EXCERPTS => "Export excerpts…", "Eksporter utdrag…", "Eksporter utdrag…";
    EXPORT_QDPX => "Export REFI-QDA project (.qdpx)…", "Eksporter REFI-QDA-prosjekt (.qdpx)…", "Eksporter REFI-QDA-prosjekt (.qdpx)…";
    IMPORT_QDPX => "Import REFI-QDA project (.qdpx)…", "Importer REFI-QDA-prosjekt (.qdpx)…", "Importer REFI-QDA-prosjekt (.qdpx)…";
    EXPORT_QDC => "Export codebook (.qdc)…", "Eksporter kodebok (.qdc)…", "Eksporter kodebok (.qdc)…";
    IMPORT_QDC => "Import codebook (.qdc, .csv, .txt)…", "Importer kodebok (.qdc, .csv, .txt)…", "Importer kodebok (.qdc, .csv, .txt)…";
    EXPORT_EXCERPTS_TITLE => "Export excerpts", "Eksporter utdrag", "Eksporter utdrag";
    CODES_TO_EXPORT => "Codes", "Koder", "Kodar";
    USE_CODEBOOK_SELECTION => "Use the codebook selection", "Bruk utvalget i kodeboka", "Bruk utvalet i kodeboka";
    CLEAR_CODES => "Clear", "Tøm", "Tøm";
    EXPORT_GROUPING => "Grouping", "Gruppering", "Gruppering";
    GROUP_CODE_CASE => "Code → case", "Kode → case", "Kode → case";
    GROUP_CASE_CODE => "Case → code", "Case → kode", "Case → kode";
    EXPORT_CITATION => "Citations", "Kildehenvisninger", "Kjeldetilvisingar";
    CITATION_SHORT => "Short", "Korte", "Korte";
    CITATION_FULL => "Full", "Fullstendige", "Fullstendige";
    CITATION_SHORT_HINT => "Speaker, document and ¶ / page / timestamp: “Rektor, intervju_bakkebo_rektor, ¶ 12”",
        "Taler, dokument og ¶ / side / tidskode: «Rektor, intervju_bakkebo_rektor, ¶ 12»",
        "Talar, dokument og ¶ / side / tidskode: «Rektor, intervju_bakkebo_rektor, ¶ 12»";
    CITATION_FULL_HINT => "Adds the document's cases and the coder: “Rektor, intervju_bakkebo_rektor (Bakkebø skole), ¶ 12, coded by Kari”",
        "Tar også med dokumentets case og koderen: «Rektor, intervju_bakkebo_rektor (Bakkebø skole), ¶ 12, coded by Kari»",
        "Tek òg med casa til dokumentet og kodaren: «Rektor, intervju_bakkebo_rektor (Bakkebø skole), ¶ 12, coded by Kari»";
    EXPORT_CONTEXT => "Context", "Kontekst", "Kontekst";
    CONTEXT_NONE => "None", "Ingen", "Ingen";
    CONTEXT_CHARS => "Characters before and after", "Tegn før og etter", "Teikn før og etter";
    CONTEXT_TURN => "Whole turn", "Hele replikken", "Heile replikken";
    EXPORT_FORMAT => "Format", "Format", "Format";
    FORMAT_DOCX => "Word (.docx)", "Word (.docx)", "Word (.docx)";
    FORMAT_HTML => "HTML", "HTML", "HTML";
    FORMAT_MARKDOWN => "Markdown", "Markdown", "Markdown";
    FORMAT_CSV => "CSV", "CSV", "CSV";
    FORMAT_XLSX => "Excel (.xlsx)", "Excel (.xlsx)", "Excel (.xlsx)";
    EXPORT_BUTTON => "Export…", "Eksporter…", "Eksporter…";
    QDPX_FILTER => "REFI-QDA project", "REFI-QDA-prosjekt", "REFI-QDA-prosjekt";
    QDC_FILTER => "REFI-QDA codebook", "REFI-QDA-kodebok", "REFI-QDA-kodebok";
    CODEBOOK_FILTER => "Codebook", "Kodebok", "Kodebok";
    NEW_PROJECT_FOLDER => "Folder for the new project", "Mappe for det nye prosjektet", "Mappe for det nye prosjektet";
    IMPORTED_PROJECT => "Imported project", "Importert prosjekt", "Importert prosjekt";
    QDPX_REPORT_TITLE => "REFI-QDA import", "REFI-QDA-import", "REFI-QDA-import";
    QDC_REPORT_TITLE => "Codebook import", "Import av kodebok", "Import av kodebok";
    WARNINGS => "Warnings", "Advarsler", "Åtvaringar";
    NOT_IMPORTED => "Not imported", "Ikke importert", "Ikkje importert";

    // Languages (issue 14): per document, the new-project window, the words view's speaker controls.
    DOCUMENT_LANGUAGE => "Language", "Språk", "Språk";
    NEW_PROJECT_TITLE => "New project", "Nytt prosjekt", "Nytt prosjekt";
    PROJECT_LANGUAGE => "Language of the texts (each imported document's own language is detected):",
        "Språket i tekstene (språket i hvert importerte dokument blir gjenkjent):",
        "Språket i tekstane (språket i kvart importerte dokument blir kjent att):";
    PROJECT_LANGUAGE_HINT => "Used for documents too short to tell; search finds bokmål and nynorsk forms of a word either way.",
        "Brukes for dokumenter som er for korte til å avgjøre språket; søket finner bokmåls- og nynorskformer av et ord uansett.",
        "Blir brukt for dokument som er for korte til å avgjere språket; søket finn bokmåls- og nynorskformer av eit ord uansett.";
    CREATE_PROJECT => "Create", "Opprett", "Opprett";
    WITH_FURNITURE => "Count labels and notes", "Tell med talernavn og merknader", "Tel med talarnamn og merknader";
    WITH_FURNITURE_HINT => "Also count speaker labels (Rektor:) and bracketed transcription notes such as (ler) or [pause]",
        "Tell også med talernavn (Rektor:) og transkripsjonsmerknader i parentes, som (ler) eller [pause]",
        "Tel òg med talarnamn (Rektor:) og transkripsjonsmerknader i parentes, som (ler) eller [pause]";
    EXCLUDE_SPEAKERS => "Leave out speakers", "Utelat talere", "Utelat talarar";
    EXCLUDE_SPEAKERS_HINT => "Names separated by commas, e.g. Intervjuer, Intervjuar: their turns are not counted",
        "Navn skilt med komma, f.eks. Intervjuer, Intervjuar: replikkene deres blir ikke talt",
        "Namn skilde med komma, t.d. Intervjuer, Intervjuar: replikkane deira blir ikkje talde";

    // Coders (layers, blind mode) and Analysis ▸ Agreement.
    CODERS => "Coders…", "Kodere…", "Kodarar…";
    CODERS_TITLE => "Coders", "Kodere", "Kodarar";
    CODERS_HINT => "Show or hide each coder's codings everywhere: stripes, excerpts, counts, analysis and exports.",
        "Vis eller skjul hver koders kodinger overalt: striper, utdrag, tall, analyser og eksporter.",
        "Vis eller gøym kodingane til kvar kodar overalt: striper, utdrag, tal, analysar og eksportar.";
    BLIND_MODE => "Blind mode", "Blindmodus", "Blindmodus";
    BLIND_HINT => "Hide every other coder's codings, counts and excerpts, so parallel coding stays independent.",
        "Skjul kodingene, tallene og utdragene til alle andre kodere, så parallell koding forblir uavhengig.",
        "Gøym kodingane, tala og utdraga til alle andre kodarar, så parallell koding held seg uavhengig.";
    REVEAL => "Reveal the other coders", "Vis de andre koderne", "Vis dei andre kodarane";
    HIDE_AGAIN => "Hide them again", "Skjul dem igjen", "Gøym dei igjen";
    TOGGLE_BLIND => "Blind mode (hide other coders)", "Blindmodus (skjul andre kodere)", "Blindmodus (gøym andre kodarar)";
    YOU => "(you)", "(deg)", "(deg)";
    AGREEMENT => "Agreement", "Samsvar", "Samsvar";
    AGREEMENT_MENU => "Agreement between coders", "Samsvar mellom kodere", "Samsvar mellom kodarar";
    AGREEMENT_TWO_CODERS => "Choose at least two coders to compare.", "Velg minst to kodere å sammenligne.", "Vel minst to kodarar å samanlikne.";
    AGREEMENT_COMPUTING => "Computing agreement…", "Beregner samsvar…", "Reknar ut samsvar…";
    AGREEMENT_CODERS => "Coders:", "Kodere:", "Kodarar:";
    AGREEMENT_UNIT => "Unit:", "Enhet:", "Eining:";
    AGREEMENT_MEASURES => "Measures:", "Mål:", "Mål:";
    AGREEMENT_DRAWS => "Bootstrap draws:", "Bootstrap-trekninger:", "Bootstrap-trekningar:";
    CONSENSUS => "Consensus", "Konsensus", "Konsensus";
    REVIEW_PAIR => "Coders:", "Kodere:", "Kodarar:";
    REVIEW_DOCUMENT => "Document:", "Dokument:", "Dokument:";
    ALL_DOCUMENTS => "All documents", "Alle dokumenter", "Alle dokument";
    REVIEW_CONSENSUS => "Consensus coder:", "Konsensuskoder:", "Konsensuskodar:";
    NOT_CODED => "not coded", "ikke kodet", "ikkje koda";
    REVIEW_MEMO => "Memo:", "Notat:", "Notat:";
    REVIEW_BOUNDS => "New bounds:", "Nye grenser:", "Nye grenser:";
    KEEP => "Keep", "Behold", "Behald";
    UNION => "Union", "Union", "Union";
    INTERSECTION => "Intersection", "Snitt", "Snitt";
    NEW_BOUNDS => "Use new bounds", "Bruk nye grenser", "Bruk nye grenser";
    SKIP => "Skip", "Hopp over", "Hopp over";
    CODE_HEADER => "Code", "Kode", "Kode";
    CODED_BY => "Coded by", "Kodet av", "Koda av";
    ALPHA_AFTER => "α after review", "α etter gjennomgang", "α etter gjennomgang";
    REVIEW_HINT => "Review this code's disagreements", "Gå gjennom uenighetene om denne koden", "Gå gjennom usemjene om denne koden";
    LOW_AGREEMENT => "Below 0.667: too low for even tentative conclusions (Krippendorff)",
        "Under 0,667: for lavt selv for foreløpige konklusjoner (Krippendorff)",
        "Under 0,667: for lågt sjølv for førebelse konklusjonar (Krippendorff)";
    NOTHING_CODED => "Decision recorded; it codes nothing in the consensus layer",
        "Avgjørelsen er lagret; den koder ingenting i konsensuslaget",
        "Avgjerda er lagra; ho kodar ingenting i konsensuslaget";
    AGREEMENT_BLIND => "Blind mode hides the other coders. Reveal them (View ▸ Coders…) to compare your coding with theirs.",
        "Blindmodus skjuler de andre koderne. Vis dem (Vis ▸ Kodere…) for å sammenligne kodingen din med deres.",
        "Blindmodus gøymer dei andre kodarane. Vis dei (Vis ▸ Kodarar…) for å samanlikne kodinga di med deira.";

    // The workbench for a working day (issue 15): clipboard, layout, document menu, codebook, stripes
    COPY => "Copy", "Kopier", "Kopier";
    COPY_TABLE => "Copy table", "Kopier tabellen", "Kopier tabellen";
    COPY_TABLE_TIP => "Copy the table as tab-separated text (pastes into Word or Excel as a table)",
        "Kopier tabellen som tabulatordelt tekst (limes inn i Word eller Excel som en tabell)",
        "Kopier tabellen som tabulatordelt tekst (blir limt inn i Word eller Excel som ein tabell)";
    MENU_DOCUMENT => "Document", "Dokument", "Dokument";
    SHOW_LEFT_PANEL => "Documents and codes panel", "Panel for dokumenter og koder", "Panel for dokument og kodar";
    SHOW_RIGHT_PANEL => "Search and excerpts panel", "Panel for søk og utdrag", "Panel for søk og utdrag";
    ZOOM_IN => "Larger text", "Større tekst", "Større tekst";
    ZOOM_OUT => "Smaller text", "Mindre tekst", "Mindre tekst";
    ZOOM_RESET => "Normal text size", "Normal tekststørrelse", "Normal tekststorleik";
    RECENT_CODES_HINT => "codes you apply appear here; keys 1–9 apply them to a selection",
        "koder du bruker, vises her; tastene 1–9 bruker dem på en markering",
        "kodar du brukar, blir viste her; tastane 1–9 brukar dei på ei markering";
    NO_OPEN_DOCUMENT => "No document is open", "Ikke noe dokument er åpent", "Ikkje noko dokument er ope";
    RENAME_DOCUMENT => "Rename…", "Gi nytt navn…", "Gje nytt namn…";
    DOCUMENT_NAME => "Document name", "Dokumentnavn", "Dokumentnamn";
    CHANGE_KIND => "Kind", "Type", "Type";
    ADD_TO_CASE => "Add to case", "Legg til i case", "Legg til i case";
    ADD_TO_SET => "Add to set", "Legg til i sett", "Legg til i sett";
    NEW_CASE_NAME => "New case", "Nytt case", "Nytt case";
    NEW_SET_NAME => "New set", "Nytt sett", "Nytt sett";
    REMOVE_DOCUMENT => "Remove document…", "Fjern dokumentet…", "Fjern dokumentet…";
    REMOVE_DOCUMENT_TITLE => "Remove this document?", "Vil du fjerne dette dokumentet?", "Vil du fjerne dette dokumentet?";
    REMOVE_CONFIRM => "Remove", "Fjern", "Fjern";
    COLOUR => "Colour", "Farge", "Farge";
    CUSTOM_COLOUR => "Custom colour", "Egen farge", "Eigen farge";
    NO_DESCRIPTION_SELECTED => "Select one code to read and edit its description.",
        "Velg én kode for å lese og redigere beskrivelsen av den.",
        "Vel éin kode for å lese og redigere skildringa av han.";
    OK => "OK", "OK", "OK";
    TYPE_TO_FILTER => "type to filter", "skriv for å filtrere", "skriv for å filtrere";
    MOVE_UP => "Move up", "Flytt opp", "Flytt opp";
    MOVE_DOWN => "Move down", "Flytt ned", "Flytt ned";
    /// Matrix values (`crate::analysis::Value`).
    VALUE_CODINGS => "codings", "kodinger", "kodingar";
    VALUE_PASSAGES => "distinct passages", "ulike utdrag", "ulike utdrag";
    VALUE_DOCUMENTS => "documents", "dokumenter", "dokument";
    VALUE_CHARACTERS => "coded characters", "kodede tegn", "koda teikn";
    VALUE_SHARE => "% of text coded", "% av teksten kodet", "% av teksten koda";
    VALUE_PRESENCE => "presence", "forekomst (ja/nei)", "førekomst (ja/nei)";
    /// Agreement units (`UnitKind::plural`).
    UNITS_CHARACTERS => "Characters", "Tegn", "Teikn";
    UNITS_TURNS => "Turns", "Replikker", "Replikkar";
    UNITS_PARAGRAPHS => "Paragraphs", "Avsnitt", "Avsnitt";
    UNITS_SENTENCES => "Sentences", "Setninger", "Setningar";
    /// Document kinds (`DocumentKind::keyword` in English).
    KIND_INTERVIEW => "interview", "intervju", "intervju";
    KIND_OBSERVATION => "observation", "observasjon", "observasjon";
    KIND_DOCUMENT => "document", "dokument", "dokument";
    KIND_SURVEY => "survey", "spørreskjema", "spørjeskjema";
    /// Case attribute types (`AttributeType::keyword` in English).
    TYPE_TEXT => "text", "tekst", "tekst";
    TYPE_INTEGER => "integer", "heltall", "heiltal";
    TYPE_NUMBER => "number", "tall", "tal";
    TYPE_BOOLEAN => "boolean", "ja/nei", "ja/nei";
    TYPE_DATE => "date", "dato", "dato";
    IMPORTABLE_FILES => "Documents (text, Markdown, Word, OpenDocument, PDF, HTML, RTF, subtitles)",
        "Dokumenter (tekst, Markdown, Word, OpenDocument, PDF, HTML, RTF, undertekster)",
        "Dokument (tekst, Markdown, Word, OpenDocument, PDF, HTML, RTF, undertekstar)";

    // Meaning search (the model, vectors, similar passages, code suggestions)
    BY_MEANING => "By meaning", "Etter mening", "Etter meining";
    BY_MEANING_TIP => "Search by meaning: finds passages about the same thing, also in other words or another language",
        "Søk etter mening: finner avsnitt som handler om det samme, også med andre ord eller på et annet språk",
        "Søk etter meining: finn avsnitt som handlar om det same, òg med andre ord eller på eit anna språk";
    BUILD_MEANING_VECTORS => "Build meaning vectors", "Bygg meningsvektorer", "Bygg meiningsvektorar";
    SUGGEST_FOR_SELECTED => "Suggest passages for the selected code…", "Foreslå avsnitt for valgt kode…",
        "Føreslå avsnitt for vald kode…";
    SUGGEST_PASSAGES => "Suggest passages…", "Foreslå avsnitt…", "Føreslå avsnitt…";
    FIND_SIMILAR => "Find similar passages", "Finn lignende avsnitt", "Finn liknande avsnitt";
    ACCEPT => "Accept", "Godta", "Godta";
    REJECT => "Reject", "Avvis", "Avvis";
    FINDING_SUGGESTIONS => "Finding suggestions…", "Finner forslag…", "Finn forslag…";
    NO_MORE_SUGGESTIONS => "No more suggestions.", "Ingen flere forslag.", "Ingen fleire forslag.";
    SELECT_A_CODE_FIRST => "Select a code in the codebook first.", "Velg en kode i kodeboka først.",
        "Vel ein kode i kodeboka først.";
    SUGGESTIONS_HELP => "Accept codes the passage (undoable); Reject never suggests it again for this code; nothing is coded automatically.",
        "Godta koder avsnittet (kan angres); Avvis foreslår det aldri igjen for denne koden; ingenting kodes automatisk.",
        "Godta kodar avsnittet (kan angrast); Avvis føreslår det aldri igjen for denne koden; ingenting blir koda automatisk.";
    MEANING_VECTORS_READY => "Meaning vectors are up to date", "Meningsvektorene er oppdatert",
        "Meiningsvektorane er oppdaterte";
    MEANING_VECTORS_CANCELLED => "Building meaning vectors was cancelled; what was done is kept",
        "Byggingen av meningsvektorer ble avbrutt; det som er gjort, beholdes",
        "Bygginga av meiningsvektorar vart avbroten; det som er gjort, blir verande";
    WAITING_FOR_VECTORS => "The search waits for the meaning vectors", "Søket venter på meningsvektorene",
        "Søket ventar på meiningsvektorane";

    // Coder colours
    /// The Coders window's entry that drops a coder's own colour.
    CODER_PALETTE_COLOUR => "Palette colour (default)", "Fargen fra paletten (standard)", "Fargen frå paletten (standard)";
    /// Before a coder's name, naming their colour swatch: "Colour of Ingrid Solberg".
    CODER_COLOUR_OF => "Colour of", "Fargen til", "Fargen til";

    // Analysis views on their workers
    /// Shown while an analysis view computes on its worker (the previous result stays shown).
    COMPUTING => "Computing…", "Beregner…", "Reknar ut…";
    /// An analysis view's worker ended without a result.
    COMPUTATION_LOST => "The computation stopped unexpectedly.", "Beregningen stoppet uventet.",
        "Utrekninga stoppa uventa.";
}

/// A matrix value's name, as the analysis menus and the chart's axis show it.
pub fn value_label(value: crate::analysis::Value) -> &'static str {
    use crate::analysis::Value;
    match value {
        Value::Codings => VALUE_CODINGS,
        Value::Passages => VALUE_PASSAGES,
        Value::Documents => VALUE_DOCUMENTS,
        Value::Characters => VALUE_CHARACTERS,
        Value::Share => VALUE_SHARE,
        Value::Presence => VALUE_PRESENCE,
    }
    .get()
}

/// The units an agreement counts, as its menu shows them.
pub fn unit_plural(unit: crate::analysis::agreement::UnitKind) -> &'static str {
    use crate::analysis::agreement::UnitKind;
    match unit {
        UnitKind::Character => UNITS_CHARACTERS,
        UnitKind::Turn => UNITS_TURNS,
        UnitKind::Paragraph => UNITS_PARAGRAPHS,
        UnitKind::Sentence => UNITS_SENTENCES,
    }
    .get()
}

/// An agreement coefficient's column header (the symbols are the same in every language).
pub fn statistic_label(statistic: crate::analysis::agreement::Statistic) -> &'static str {
    match statistic {
        crate::analysis::agreement::Statistic::Percent => AGREEMENT.get(),
        other => other.label(),
    }
}

/// A document kind's name in the interface language (the English is the keyword queries and the CLI use).
pub fn kind_name(kind: crate::model::DocumentKind) -> &'static str {
    use crate::model::DocumentKind;
    match kind {
        DocumentKind::Interview => KIND_INTERVIEW,
        DocumentKind::Observation => KIND_OBSERVATION,
        DocumentKind::Document => KIND_DOCUMENT,
        DocumentKind::Survey => KIND_SURVEY,
    }
    .get()
}

/// An attribute type's name in the interface language (in English, the keyword of the CLI and CSV headers).
pub fn attribute_type_name(kind: crate::model::AttributeType) -> &'static str {
    use crate::model::AttributeType;
    match kind {
        AttributeType::Text => TYPE_TEXT,
        AttributeType::Integer => TYPE_INTEGER,
        AttributeType::Number => TYPE_NUMBER,
        AttributeType::Boolean => TYPE_BOOLEAN,
        AttributeType::Date => TYPE_DATE,
    }
    .get()
}

/// Window title.
pub fn title(project: Option<&str>) -> String {
    match project {
        Some(name) => format!("Marginalia — {name}"),
        None => "Marginalia".into(),
    }
}

/// Edit ▸ Undo with what it undoes.
pub fn undo_label(label: Option<&str>) -> String {
    match label {
        Some(l) => format!("{UNDO}: {}", super::edit_labels::translate(l)),
        None => UNDO.into(),
    }
}

/// Edit ▸ Redo with what it redoes.
pub fn redo_label(label: Option<&str>) -> String {
    match label {
        Some(l) => format!("{REDO}: {}", super::edit_labels::translate(l)),
        None => REDO.into(),
    }
}

/// The selection's length in the status bar.
pub fn selection_length(chars: usize) -> String {
    let chars = n(chars);
    by_lang!(
        format!("Selection: {chars} characters"),
        format!("Markering: {chars} tegn"),
        format!("Markering: {chars} teikn"),
    )
}

/// The question before deleting a code.
pub fn delete_code_question(name: &str, codings: usize, subcodes: usize) -> String {
    let (codings, subcodes_n) = (n(codings), n(subcodes));
    match locale::current() {
        Lang::English => {
            let mut text = format!("Delete the code '{name}'");
            if subcodes > 0 {
                text.push_str(&format!(" and its {subcodes_n} sub-code(s)"));
            }
            text.push_str(&format!(
                "? {codings} coding(s) go with it. You can undo this."
            ));
            text
        }
        Lang::Bokmal => {
            let mut text = format!("Vil du slette koden «{name}»");
            if subcodes > 0 {
                text.push_str(&format!(" og underkodene (antall: {subcodes_n})"));
            }
            text.push_str(&format!(
                "? Kodinger som følger med: {codings}. Du kan angre dette."
            ));
            text
        }
        Lang::Nynorsk => {
            let mut text = format!("Vil du slette koden «{name}»");
            if subcodes > 0 {
                text.push_str(&format!(" og underkodane (tal: {subcodes_n})"));
            }
            text.push_str(&format!(
                "? Kodingar som følgjer med: {codings}. Du kan angre dette."
            ));
            text
        }
    }
}

/// The picker's entry that creates a new code.
pub fn create_code(name: &str) -> String {
    by_lang!(
        format!("Create code '{name}'"),
        format!("Opprett koden «{name}»"),
        format!("Opprett koden «{name}»"),
    )
}

/// "42 hits (20 shown)".
pub fn hits_total(shown: usize, total: usize) -> String {
    let (shown_n, total_n) = (n(shown), n(total));
    if shown < total {
        by_lang!(
            format!("{total_n} hits ({shown_n} shown)"),
            format!("{total_n} treff ({shown_n} vises)"),
            format!("{total_n} treff ({shown_n} blir viste)"),
        )
    } else {
        by_lang!(
            format!("{total_n} hits"),
            format!("{total_n} treff"),
            format!("{total_n} treff"),
        )
    }
}

/// "12 excerpts".
pub fn excerpts_count(count: usize) -> String {
    let count = n(count);
    by_lang!(
        format!("{count} excerpts"),
        format!("{count} utdrag"),
        format!("{count} utdrag"),
    )
}

/// The status line while importing.
pub fn import_progress(done: usize, total: usize, file: &str) -> String {
    let (done, total) = (n(done), n(total));
    by_lang!(
        format!("Importing {done} of {total}: {file}"),
        format!("Importerer {done} av {total}: {file}"),
        format!("Importerer {done} av {total}: {file}"),
    )
}

/// The import summary's counts.
pub fn import_counts(imported: usize, skipped: usize, failed: usize) -> String {
    let (imported, skipped, failed) = (n(imported), n(skipped), n(failed));
    by_lang!(
        format!("{imported} imported, {skipped} skipped, {failed} failed"),
        format!("{imported} importert, {skipped} hoppet over, {failed} mislyktes"),
        format!("{imported} importerte, {skipped} hoppa over, {failed} mislukka"),
    )
}

/// The coder in the status bar.
pub fn coder_is(name: &str) -> String {
    format!("{CODER}: {name}")
}

/// The undo label of putting documents into a case by name (in English, like every undo label the core
/// operations give, since the history is saved with the project).
pub fn assign_label(documents: usize, case: &str) -> String {
    format!("assign {documents} documents to case '{case}'")
}

/// The status line after Undo.
pub fn undone(label: &str) -> String {
    let label = super::edit_labels::translate(label);
    by_lang!(
        format!("Undone: {label}"),
        format!("Angret: {label}"),
        format!("Angra: {label}"),
    )
}

/// The status line after Redo.
pub fn redone(label: &str) -> String {
    let label = super::edit_labels::translate(label);
    by_lang!(
        format!("Redone: {label}"),
        format!("Gjort om: {label}"),
        format!("Gjort om: {label}"),
    )
}

/// "12 excerpts behind Barriers/Resource shortage × LOG".
pub fn cell_excerpts(count: usize, row: &str, column: &str) -> String {
    let c = n(count);
    by_lang!(
        format!(
            "{c} {} behind {row} × {column}",
            if count == 1 { "excerpt" } else { "excerpts" }
        ),
        format!("{c} utdrag bak {row} × {column}"),
        format!("{c} utdrag bak {row} × {column}"),
    )
}

/// "8 passages in 3 documents, 2140 characters".
pub fn passages_summary(passages: usize, documents: usize, characters: usize) -> String {
    let (passages, documents, characters) = (n(passages), n(documents), n(characters));
    by_lang!(
        format!("{passages} passages in {documents} documents, {characters} characters"),
        format!("{passages} utdrag i {documents} dokumenter, {characters} tegn"),
        format!("{passages} utdrag i {documents} dokument, {characters} teikn"),
    )
}

/// "Exported to …".
pub fn exported(path: &str) -> String {
    by_lang!(
        format!("Exported to {path}"),
        format!("Eksportert til {path}"),
        format!("Eksportert til {path}"),
    )
}

/// "1204 words, 3120 distinct".
pub fn words_summary(total: usize, distinct: usize) -> String {
    let (total, distinct) = (n(total), n(distinct));
    by_lang!(
        format!("{total} words, {distinct} distinct"),
        format!("{total} ord, {distinct} ulike"),
        format!("{total} ord, {distinct} ulike"),
    )
}

/// "'ressurs' in context: 14 lines".
pub fn kwic_title(word: &str, lines: usize) -> String {
    let lines = n(lines);
    by_lang!(
        format!("“{word}” in context: {lines} lines"),
        format!("«{word}» i sammenhengen: {lines} linjer"),
        format!("«{word}» i samanhengen: {lines} linjer"),
    )
}

/// A code's own bar beside its sub-codes in the chart.
pub fn itself(name: &str) -> String {
    by_lang!(
        format!("{name} (itself)"),
        format!("{name} (selve koden)"),
        format!("{name} (sjølve koden)"),
    )
}

/// "Coded excerpts: LOG follow-up" (the report's title).
pub fn excerpts_report_title(project: &str) -> String {
    by_lang!(
        format!("Coded excerpts: {project}"),
        format!("Kodede utdrag: {project}"),
        format!("Koda utdrag: {project}"),
    )
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
    let lang = locale::current();
    let words =
        |en: &'static str, nb: &'static str, nn: &'static str| Text::new(en, nb, nn).in_lang(lang);
    let mut parts = Vec::new();
    if !codes.is_empty() {
        parts.push(format!(
            "{}: {}{}",
            words("codes", "koder", "kodar"),
            codes.join(", "),
            if subcodes {
                words(
                    " (with sub-codes)",
                    " (med underkoder)",
                    " (med underkodar)",
                )
            } else {
                ""
            }
        ));
    }
    if let Some(case) = case {
        parts.push(format!("{}: {case}", words("case", "case", "case")));
    }
    if let Some(coder) = coder {
        parts.push(format!("{}: {coder}", words("coder", "koder", "kodar")));
    }
    if parts.is_empty() {
        words(
            "All coded excerpts",
            "Alle kodede utdrag",
            "Alle koda utdrag",
        )
        .into()
    } else {
        format!(
            "{} — {}",
            words("Selection", "Utvalg", "Utval"),
            parts.join("; ")
        )
    }
}

/// "3 codes chosen" or, with none, what an export then holds.
pub fn codes_chosen(count: usize) -> String {
    let c = n(count);
    match count {
        0 => by_lang!(
            "No codes chosen: every coded excerpt is exported.".into(),
            "Ingen koder er valgt: alle kodede utdrag blir eksportert.".into(),
            "Ingen kodar er valde: alle koda utdrag blir eksporterte.".into(),
        ),
        1 => by_lang!(
            "1 code chosen".into(),
            "1 kode er valgt".into(),
            "1 kode er vald".into(),
        ),
        _ => by_lang!(
            format!("{c} codes chosen"),
            format!("{c} koder er valgt"),
            format!("{c} kodar er valde"),
        ),
    }
}

/// The status line after exporting excerpts.
pub fn excerpts_exported(count: usize, path: &str) -> String {
    let count = n(count);
    by_lang!(
        format!("Exported {count} excerpt(s) to {path}"),
        format!("Eksporterte {count} utdrag til {path}"),
        format!("Eksporterte {count} utdrag til {path}"),
    )
}

/// The status line after exporting a REFI-QDA project.
pub fn qdpx_exported(path: &str, documents: usize, codes: usize, codings: usize) -> String {
    let (documents, codes, codings) = (n(documents), n(codes), n(codings));
    by_lang!(
        format!("Exported {documents} documents, {codes} codes, {codings} codings to {path}"),
        format!(
            "Eksporterte {documents} dokumenter, {codes} koder og {codings} kodinger til {path}"
        ),
        format!("Eksporterte {documents} dokument, {codes} kodar og {codings} kodingar til {path}"),
    )
}

/// The status line after exporting a codebook.
pub fn qdc_exported(path: &str, codes: usize) -> String {
    let codes = n(codes);
    by_lang!(
        format!("Exported {codes} codes to {path}"),
        format!("Eksporterte {codes} koder til {path}"),
        format!("Eksporterte {codes} kodar til {path}"),
    )
}

/// The status line after importing a REFI-QDA project.
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
    let (documents, codes, codings, cases, memos) =
        (n(documents), n(codes), n(codings), n(cases), n(memos));
    by_lang!(
        format!(
            "Imported {file}{origin}: {documents} documents, {codes} codes, {codings} codings, {cases} cases, {memos} memos"
        ),
        format!(
            "Importerte {file}{origin}: {documents} dokumenter, {codes} koder, {codings} kodinger, {cases} case, {memos} notater"
        ),
        format!(
            "Importerte {file}{origin}: {documents} dokument, {codes} kodar, {codings} kodingar, {cases} case, {memos} notat"
        ),
    )
}

/// The status line after importing a codebook.
pub fn codebook_imported(added: usize, existing: usize) -> String {
    let (added, existing) = (n(added), n(existing));
    by_lang!(
        format!("Added {added} code(s); {existing} already in the codebook"),
        format!("La til {added} kode(r); {existing} fantes allerede i kodeboka"),
        format!("La til {added} kode(ar); {existing} fanst alt i kodeboka"),
    )
}

/// A codebook file without codes.
pub fn no_codes_in(file: &str) -> String {
    by_lang!(
        format!("{file}: no codes found"),
        format!("{file}: fant ingen koder"),
        format!("{file}: fann ingen kodar"),
    )
}

/// A language's name with its code: "nynorsk (nn)".
pub fn language_name(language: crate::model::Language) -> String {
    format!("{} ({})", language.name(), language.code())
}

/// The choice that makes a document follow the project's language.
pub fn follow_project_language(project_language: String) -> String {
    by_lang!(
        format!("As the project: {project_language}"),
        format!("Som prosjektet: {project_language}"),
        format!("Som prosjektet: {project_language}"),
    )
}

/// The tip on a document's language label ("nn*" marks the project's language).
pub fn language_tooltip(label: &str) -> String {
    let language = DOCUMENT_LANGUAGE;
    if let Some(code) = label.strip_suffix('*') {
        by_lang!(
            format!("{language}: {code} (the project's)"),
            format!("{language}: {code} (prosjektets)"),
            format!("{language}: {code} (prosjektet sitt)"),
        )
    } else {
        format!("{language}: {label}")
    }
}

/// One imported file in the import summary.
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
        let (t, count, names) = (n(turns), n(speakers.len()), speakers.join(", "));
        parts.push(by_lang!(
            format!("{t} turns, {count} speakers: {names}"),
            format!("{t} replikker, {count} talere: {names}"),
            format!("{t} replikkar, {count} talarar: {names}"),
        ));
    }
    format!("✓ {name} ({})", parts.join(", "))
}

/// The status line after merging a copy: what was added (and how many conflicts kept this copy's value).
pub fn merged_copy(summary: &str) -> String {
    by_lang!(
        format!("Merged a copy: {summary}"),
        format!("Slo sammen med en kopi: {summary}"),
        format!("Slo saman med ein kopi: {summary}"),
    )
}

/// The heading of the disagreement review.
pub fn review_heading(code: &str) -> String {
    by_lang!(
        format!("Disagreements on '{code}'"),
        format!("Uenigheter om «{code}»"),
        format!("Usemjer om «{code}»"),
    )
}

/// How far the disagreement review has come.
pub fn review_progress(total: usize, open: usize) -> String {
    let (total, open) = (n(total), n(open));
    by_lang!(
        format!("{total} disagreeing stretch(es), {open} not decided yet"),
        format!("{total} strekning(er) med uenighet, {open} ikke avgjort ennå"),
        format!("{total} strekning(ar) med usemje, {open} ikkje avgjorde enno"),
    )
}

/// The status line after a review decision.
pub fn decided(label: &str) -> String {
    by_lang!(
        format!("Decided: {label}"),
        format!("Avgjort: {label}"),
        format!("Avgjort: {label}"),
    )
}

/// A typed range that is not START..END.
pub fn bad_bounds(text: &str) -> String {
    by_lang!(
        format!("'{text}' is not START..END (character positions in the document)"),
        format!("«{text}» er ikke START..SLUTT (tegnposisjoner i dokumentet)"),
        format!("«{text}» er ikkje START..SLUTT (teiknposisjonar i dokumentet)"),
    )
}

/// The status line in blind mode.
pub fn blind_status(coder: &str) -> String {
    by_lang!(
        format!("Blind mode: only {coder}'s codings are shown"),
        format!("Blindmodus: bare kodingene til {coder} vises"),
        format!("Blindmodus: berre kodingane til {coder} blir viste"),
    )
}

/// The hover tip of a memo in the list: when (a date for reading, in the interface language) and by whom.
pub fn memo_written(author: Option<&str>, date: time::Date) -> String {
    let date = locale::date(date);
    match author {
        Some(author) => by_lang!(
            format!("Written {date} by {author}"),
            format!("Skrevet {date} av {author}"),
            format!("Skrive {date} av {author}"),
        ),
        None => by_lang!(
            format!("Written {date}"),
            format!("Skrevet {date}"),
            format!("Skrive {date}"),
        ),
    }
}

/// The question before removing a document: what goes with it, and that Undo brings it back.
pub fn remove_document_question(name: &str, codings: usize, memos: usize) -> String {
    let (c, m) = (n(codings), n(memos));
    match locale::current() {
        Lang::English => {
            let codings = match codings {
                1 => "1 coding".to_string(),
                _ => format!("{c} codings"),
            };
            let memos = match memos {
                1 => "1 memo".to_string(),
                _ => format!("{m} memos"),
            };
            format!(
                "“{name}” will be removed from the project with its {codings} and {memos}, and taken out of its cases \
                 and sets. Edit ▸ Undo brings it all back."
            )
        }
        Lang::Bokmal => {
            let codings = match codings {
                1 => "1 koding".to_string(),
                _ => format!("{c} kodinger"),
            };
            let memos = match memos {
                1 => "1 notat".to_string(),
                _ => format!("{m} notater"),
            };
            format!(
                "«{name}» blir fjernet fra prosjektet sammen med {codings} og {memos}, og tatt ut av casene og \
                 settene sine. Rediger ▸ Angre henter alt tilbake."
            )
        }
        Lang::Nynorsk => {
            let codings = match codings {
                1 => "1 koding".to_string(),
                _ => format!("{c} kodingar"),
            };
            let memos = match memos {
                1 => "1 notat".to_string(),
                _ => format!("{m} notat"),
            };
            format!(
                "«{name}» blir fjerna frå prosjektet saman med {codings} og {memos}, og teke ut av casa og \
                 setta sine. Rediger ▸ Angre hentar alt tilbake."
            )
        }
    }
}

/// The label of a code colour in the palette (for screen readers and the hover tip).
pub fn palette_colour(number: usize, hex: &str) -> String {
    by_lang!(
        format!("Palette colour {number} ({hex})"),
        format!("Palettfarge {number} ({hex})"),
        format!("Palettfarge {number} ({hex})"),
    )
}

/// The title of the code suggestions window.
pub fn suggestions_title(code: &str) -> String {
    by_lang!(
        format!("Suggested passages for “{code}”"),
        format!("Forslag til avsnitt for «{code}»"),
        format!("Forslag til avsnitt for «{code}»"),
    )
}

/// Code ▸ Suggest passages for the selected code.
pub fn suggest_for_code(code: &str) -> String {
    by_lang!(
        format!("Suggest passages for “{code}”…"),
        format!("Foreslå avsnitt for «{code}»…"),
        format!("Føreslå avsnitt for «{code}»…"),
    )
}

/// The status bar while the meaning vectors are built.
pub fn embedding_progress(done: usize, total: usize) -> String {
    let (done, total) = (n(done), n(total));
    by_lang!(
        format!("Building meaning vectors: {done}/{total} passages"),
        format!("Bygger meningsvektorer: {done}/{total} avsnitt"),
        format!("Byggjer meiningsvektorar: {done}/{total} avsnitt"),
    )
}

/// The Search tab's heading over "Find similar passages" results.
pub fn similar_heading(text: &str) -> String {
    let short: String = text.chars().take(60).collect();
    let more = if text.chars().count() > 60 { "…" } else { "" };
    by_lang!(
        format!("Passages similar to “{short}{more}”"),
        format!("Avsnitt som ligner «{short}{more}»"),
        format!("Avsnitt som liknar «{short}{more}»"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Texts whose Norwegian is rightly the same as the English: names, formats, symbols and loanwords.
    const SAME_AS_ENGLISH: &[&str] = &[
        "MENU_FILE",
        "FILTER",
        "OK",
        "CSV_FILTER",
        "FORMAT_DOCX",
        "FORMAT_HTML",
        "FORMAT_MARKDOWN",
        "FORMAT_CSV",
        "FORMAT_XLSX",
        "EXPORT_FORMAT",
        "OPERATOR",
        "UNION",
        "ATTRIBUTE_TYPE",
        "JACCARD",
        "GROUP_CASE",
        "TAB_CASE",
        "CASE_NAME",
        "MENU_DOCUMENT",
        "REVIEW_DOCUMENT",
        "COLUMNS_CASES",
        "COLUMNS_DOCUMENTS",
        "DOCUMENTS_COLUMN",
        "DOCUMENTS_COUNT",
        "CODES_TO_EXPORT",
    ];

    /// Bokmål forms a nynorsk text must not use, and nynorsk forms a bokmål text must not use.
    const BOKMAL_ONLY: &[&str] = &[
        "ikke",
        "hvordan",
        "jeg",
        "hva",
        "mye",
        "noen",
        "noe",
        "navn",
        "hvis",
        "velg",
        "åpne",
        "åpent",
        "gjør",
        "fra",
        "hver",
        "hvert",
        "bare",
        "hvor",
        "uten",
        "dokumenter",
        "dokumentene",
        "prosjekter",
        "notater",
        "koder",
        "kodere",
        "koderne",
        "kodene",
        "saker",
        "talere",
        "vises",
        "lagret",
        "ble",
        "ennå",
        "en",
        "et",
        "skjul",
        "søker",
        "beskrivelse",
        "kodet",
        "endringer",
        "attributter",
        "tegn",
    ];
    const NYNORSK_ONLY: &[&str] = &[
        "ikkje",
        "korleis",
        "eg",
        "kva",
        "mykje",
        "nokon",
        "noko",
        "namn",
        "opne",
        "ope",
        "gjer",
        "frå",
        "kvar",
        "kvart",
        "berre",
        "utan",
        "kodar",
        "kodarar",
        "kodane",
        "dokumenta",
        "ein",
        "eit",
        "ei",
        "talarar",
        "lagra",
        "vart",
        "enno",
        "gøym",
        "søkjer",
        "skildring",
        "koda",
        "endringar",
        "teikn",
        "òg",
    ];

    fn words(text: &str) -> impl Iterator<Item = String> + '_ {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
    }

    #[test]
    fn kind_and_type_names_are_the_keywords_in_english() {
        for kind in crate::model::DocumentKind::ALL {
            let text = ALL
                .iter()
                .find(|(_, t)| t.in_lang(Lang::English) == kind.keyword());
            assert!(text.is_some(), "{kind:?}");
        }
        for kind in crate::model::AttributeType::ALL {
            let text = ALL
                .iter()
                .find(|(_, t)| t.in_lang(Lang::English) == kind.keyword());
            assert!(text.is_some(), "{kind:?}");
        }
    }

    #[test]
    fn every_text_has_three_translations() {
        assert!(
            ALL.len() > 300,
            "the table lists every text ({})",
            ALL.len()
        );
        for (name, text) in ALL {
            for lang in Lang::ALL {
                assert!(
                    !text.in_lang(lang).trim().is_empty(),
                    "{name} has no {lang:?} text"
                );
            }
        }
    }

    #[test]
    fn norwegian_texts_are_not_left_in_english() {
        for (name, text) in ALL {
            if SAME_AS_ENGLISH.contains(name) {
                continue;
            }
            for lang in [Lang::Bokmal, Lang::Nynorsk] {
                assert_ne!(
                    text.in_lang(lang),
                    text.in_lang(Lang::English),
                    "{name} is still English in {lang:?}"
                );
            }
        }
    }

    #[test]
    fn bokmal_and_nynorsk_keep_their_own_forms() {
        for (name, text) in ALL {
            for word in words(text.in_lang(Lang::Nynorsk)) {
                assert!(
                    !BOKMAL_ONLY.contains(&word.as_str()),
                    "{name}: nynorsk uses the bokmål form '{word}': {}",
                    text.in_lang(Lang::Nynorsk)
                );
            }
            for word in words(text.in_lang(Lang::Bokmal)) {
                assert!(
                    !NYNORSK_ONLY.contains(&word.as_str()),
                    "{name}: bokmål uses the nynorsk form '{word}': {}",
                    text.in_lang(Lang::Bokmal)
                );
            }
        }
        // The words the two standards spell differently do differ where they occur.
        assert_eq!(DOCUMENTS.in_lang(Lang::Bokmal), "Dokumenter");
        assert_eq!(DOCUMENTS.in_lang(Lang::Nynorsk), "Dokument");
        assert_eq!(CODEBOOK.in_lang(Lang::Bokmal), "Koder");
        assert_eq!(CODEBOOK.in_lang(Lang::Nynorsk), "Kodar");
        assert_eq!(NO_PROJECT.in_lang(Lang::Nynorsk), "Ikkje noko prosjekt ope");
    }

    #[test]
    fn formatted_messages_follow_the_language_and_group_numbers() {
        // The only test in this binary that changes the interface language; it restores English.
        let _guard = LangGuard;
        locale::set_current(Lang::Nynorsk);
        assert_eq!(hits_total(20, 1278), "1\u{a0}278 treff (20 blir viste)");
        assert_eq!(
            remove_document_question("intervju_rektor", 1, 3),
            "«intervju_rektor» blir fjerna frå prosjektet saman med 1 koding og 3 notat, og teke ut av casa og \
             setta sine. Rediger ▸ Angre hentar alt tilbake."
        );
        locale::set_current(Lang::Bokmal);
        assert_eq!(hits_total(20, 1278), "1\u{a0}278 treff (20 vises)");
        assert_eq!(codes_chosen(3), "3 koder er valgt");
        assert_eq!(SAVE.to_string(), "Lagre");
        let date = time::macros::date!(2026 - 12 - 07);
        assert_eq!(
            memo_written(Some("Kari"), date),
            "Skrevet 7. desember 2026 av Kari"
        );
        locale::set_current(Lang::Nynorsk);
        assert_eq!(memo_written(None, date), "Skrive 7. desember 2026");
        assert_eq!(
            import_counts(1204, 0, 2),
            "1\u{a0}204 importerte, 0 hoppa over, 2 mislukka"
        );
        locale::set_current(Lang::English);
        assert_eq!(hits_total(20, 1278), "1278 hits (20 shown)");
        assert_eq!(
            memo_written(Some("Kari"), date),
            "Written 7 December 2026 by Kari"
        );
        assert_eq!(
            undo_label(Some("add code 'Ressurs'")),
            "Undo: add code 'Ressurs'"
        );
    }

    struct LangGuard;

    impl Drop for LangGuard {
        fn drop(&mut self) {
            locale::set_current(Lang::English);
        }
    }
}
