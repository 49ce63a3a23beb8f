//! Command-line arguments (clap): one subcommand per verb, each read command with `--json`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Marginalia: a workbench for qualitative research. Run without a command to open the app.
#[derive(Debug, Parser)]
#[command(name = "marginalia", version, about, long_about = None, max_term_width = 100)]
pub struct Cli {
    /// Who is coding (a coder of the project; created on first use).
    #[arg(long, global = true, env = "MARGINALIA_CODER")]
    pub coder: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args)]
pub struct Json {
    /// Print machine-readable JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new, empty project folder.
    New {
        dir: PathBuf,
        /// Project name (default: the folder name).
        #[arg(long)]
        name: Option<String>,
        /// Language of the texts, for stemming in search: nb, nn or en.
        #[arg(long, default_value = "nb")]
        language: String,
    },
    /// Import documents (.txt, .md, .docx, .odt, .pdf, .html, .rtf, .vtt, .srt; folders are searched),
    /// optionally assigning a case and attributes.
    Import(ImportArgs),
    /// List documents; rename one, remove one (with its codings and memos) or set its kind or language.
    Docs {
        dir: PathBuf,
        #[command(subcommand)]
        action: Option<DocsAction>,
        #[command(flatten)]
        json: Json,
    },
    /// Print a document's text with its speaker turns.
    Show {
        dir: PathBuf,
        /// Document name or id.
        doc: String,
        #[command(flatten)]
        json: Json,
    },
    /// Manage the codebook.
    Codes {
        dir: PathBuf,
        #[command(subcommand)]
        action: CodesAction,
    },
    /// Code a passage of a document.
    Code(CodeArgs),
    /// Remove a coding by its id.
    Uncode { dir: PathBuf, coding: String },
    /// Search the texts (words, "phrases", prefix*, fuzzy~1, AND/OR/NOT, code: case: attr: speaker: kind: filters).
    Search(SearchArgs),
    /// List coded excerpts with citations.
    Excerpts(super::excerpts::ExcerptArgs),
    /// Export the project as a REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA, QualCoder.
    ExportQdpx {
        dir: PathBuf,
        #[arg(short, long)]
        output: PathBuf,
        #[command(flatten)]
        json: Json,
    },
    /// Create a new project in DIR from a REFI-QDA project (.qdpx).
    ImportQdpx {
        file: PathBuf,
        dir: PathBuf,
        #[command(flatten)]
        json: Json,
    },
    /// Export the codebook as a REFI-QDA codebook (.qdc).
    ExportQdc {
        dir: PathBuf,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Add codes from a codebook: REFI-QDA .qdc, a CSV table (code path, description, colour) or an
    /// indented text outline (`Name: definition`).
    ImportQdc {
        dir: PathBuf,
        file: PathBuf,
        #[command(flatten)]
        json: Json,
    },
    /// Write the codebook with definitions: md, docx, csv, xlsx or txt.
    ExportCodebook {
        dir: PathBuf,
        #[arg(long, default_value = "md")]
        format: String,
        /// The columns of a csv/xlsx codebook, for the tool that will read it: marginalia (path, code, level,
        /// description, colour, codings; Taguette reads it too), taguette (tag, description, number of
        /// highlights, number of documents), nvivo (Hierarchical Name, Name, Description, Files, References) or
        /// qualcoder (QualCoder's text layout `Category>>Code<TAB>memo`; implies --format txt).
        #[arg(long, default_value = "marginalia")]
        layout: String,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Write a code × case table of coding counts: csv or xlsx.
    ExportTable {
        dir: PathBuf,
        /// Count only codings by these coders, comma-separated (default: every coder).
        #[arg(long, value_name = "A,B", value_delimiter = ',')]
        coders: Vec<String>,
        #[arg(long, default_value = "csv")]
        format: String,
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Manage cases and their attributes.
    Cases {
        dir: PathBuf,
        #[command(subcommand)]
        action: CasesAction,
    },
    /// Manage memos.
    Memos {
        dir: PathBuf,
        #[command(subcommand)]
        action: MemosAction,
    },
    /// Manage document sets.
    Sets {
        dir: PathBuf,
        #[command(subcommand)]
        action: SetsAction,
    },
    /// Counts of documents, codes, codings, cases and coders.
    Stats {
        dir: PathBuf,
        #[command(flatten)]
        json: Json,
    },
    /// Rebuild the search index from the project files.
    Reindex { dir: PathBuf },
    /// Undo the last change.
    Undo { dir: PathBuf },
    /// Redo the last undone change.
    Redo { dir: PathBuf },
    /// Remove a lock left behind by a Marginalia that crashed.
    Unlock { dir: PathBuf },
    /// Build the bundled sample study (LOG-model follow-up, 19 schools) into a new folder.
    Sample { dir: PathBuf },
    /// Code × case matrix: codes down; cases, attribute groups, documents or speakers across.
    Matrix(super::analysis::MatrixArgs),
    /// Code co-occurrence: codes × codes, counting passages where both are applied (overlap, N chars, turn).
    Cooccurrence(super::analysis::CooccurrenceArgs),
    /// Coding query: "A AND B", "A OR B", "A NOT B", "A NEAR B" over codes; list, export or save as a code.
    Query(super::analysis::QueryArgs),
    /// Word frequencies (optionally stemmed, with stop lists) or keyword in context (--kwic WORD).
    Words(super::analysis::WordsArgs),
    /// Import open survey answers (.csv, .tsv, .xlsx, .ods): documents of answers, a case per respondent.
    ImportSurvey(SurveyArgs),
    /// Intercoder agreement (percent, Cohen/Fleiss/Brennan–Prediger κ, Krippendorff α and uα) with bootstrap
    /// confidence intervals, per code, document or attribute group.
    Agreement(super::agreement::AgreementArgs),
    /// Every stretch of text some coders coded with a code and others did not.
    Disagreements(super::agreement::DisagreementsArgs),
    /// Bring another copy of the project into DIR as one undoable edit (documents matched by text; codes,
    /// coders, codings, memos, cases and sets by id). Where the copies disagree DIR's value is kept and the
    /// other is reported.
    Merge {
        dir: PathBuf,
        other: PathBuf,
        #[command(flatten)]
        json: Json,
    },
    /// List the coders (name, layer colour, codings), or set a coder's layer colour.
    Coders {
        dir: PathBuf,
        #[command(subcommand)]
        action: Option<CodersAction>,
        #[command(flatten)]
        json: Json,
    },
    /// Make git merge the project's files by id: writes a missing .gitattributes and registers the merge
    /// driver in the enclosing repository's config (run once per clone).
    GitSetup { dir: PathBuf },
    /// The git merge driver (called by git as `git-merge-driver %O %A %B %P`): merges a project file by id into
    /// OURS; any other file is merged line by line, like git's own merge.
    GitMergeDriver {
        base: PathBuf,
        ours: PathBuf,
        theirs: PathBuf,
        path: PathBuf,
    },
    /// Decide one disagreeing stretch: keep one coder's bounds, the union, the intersection or new bounds, coded
    /// into a consensus coder as one undoable step.
    Resolve(super::coding::ResolveArgs),
    /// The meaning-search model (multilingual-e5-small): fetch it, use a copy you have, or check it.
    Model(super::model::ModelArgs),
    /// Build or update the passage vectors for meaning search (only new or changed documents).
    Embed(super::embed::EmbedArgs),
    /// Passages closest in meaning to a text or a coding's passage ("more like this").
    Similar(super::embed::SimilarArgs),
    /// Passages not yet coded with a code, ranked by closeness in meaning to its codings (codes nothing).
    Suggest(super::embed::SuggestArgs),
}

#[derive(Debug, Subcommand)]
pub enum CodesAction {
    /// Show the codebook as a tree with coding counts.
    List {
        #[command(flatten)]
        json: Json,
    },
    /// Add a code; missing parents in the path are created.
    Add {
        path: String,
        #[arg(long)]
        colour: Option<String>,
        #[arg(long, default_value = "")]
        description: String,
    },
    /// Rename a code.
    Rename { code: String, name: String },
    /// Move a code under another (or to the top level with no --to).
    Move {
        code: String,
        #[arg(long)]
        to: Option<String>,
        /// Position among the new siblings (0 = first).
        #[arg(long)]
        position: Option<usize>,
    },
    /// Merge one code into another (codings, sub-codes and memos move over).
    Merge { from: String, into: String },
    /// Delete a code with its sub-codes and their codings.
    Delete { code: String },
    /// Set a code's description.
    Describe { code: String, description: String },
    /// Set a code's colour (#rrggbb).
    Colour { code: String, colour: String },
    /// Add the codes of a codebook file (.ron).
    Import { file: PathBuf },
    /// Write the codebook to a file (.ron).
    Export { file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum CasesAction {
    /// List cases with attributes and document counts.
    List {
        #[command(flatten)]
        json: Json,
    },
    /// Add a case.
    Add {
        name: String,
        #[arg(long = "attr", value_name = "KEY=VALUE")]
        attrs: Vec<String>,
        #[arg(long, default_value = "")]
        description: String,
    },
    /// Set attributes of a case (KEY=VALUE …).
    Set {
        case: String,
        #[arg(required = true, value_name = "KEY=VALUE")]
        values: Vec<String>,
    },
    /// Clear attributes of a case.
    Unset {
        case: String,
        #[arg(required = true)]
        keys: Vec<String>,
    },
    /// Link documents to a case.
    Link {
        case: String,
        #[arg(required = true)]
        docs: Vec<String>,
    },
    /// Unlink documents from a case.
    Unlink {
        case: String,
        #[arg(required = true)]
        docs: Vec<String>,
    },
    /// Delete a case (its documents stay).
    Delete { case: String },
    /// Define an attribute and its type (text, integer, number, boolean, date).
    Define { name: String, r#type: String },
    /// Import cases from a CSV table: first column the case name, other columns attributes (types inferred).
    ImportCsv { file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum MemosAction {
    /// List memos.
    List {
        #[command(flatten)]
        json: Json,
    },
    /// Write a memo on the project, a document, a code, a coding or a case.
    Add {
        /// project, doc:NAME, code:PATH, case:NAME or coding:ID.
        #[arg(long, default_value = "project")]
        on: String,
        #[arg(long)]
        title: String,
        #[arg(long)]
        text: String,
    },
    /// Delete a memo by id.
    Delete { memo: String },
}

#[derive(Debug, Subcommand)]
pub enum SetsAction {
    /// List document sets.
    List {
        #[command(flatten)]
        json: Json,
    },
    /// Create a set (or add documents to it).
    Add { name: String, docs: Vec<String> },
    /// Delete a set (its documents stay).
    Delete { name: String },
}

/// What `import` reads and where it puts it.
#[derive(Debug, Args)]
pub struct ImportArgs {
    pub dir: PathBuf,
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Add the documents to this case (created if missing).
    #[arg(long)]
    pub case: Option<String>,
    /// Set case attributes, KEY=VALUE (needs --case).
    #[arg(long = "attr", value_name = "KEY=VALUE")]
    pub attrs: Vec<String>,
    /// Document kind: interview, observation, document or survey (guessed when left out).
    #[arg(long)]
    pub kind: Option<String>,
    /// Import files whose text is already in the project.
    #[arg(long)]
    pub allow_duplicates: bool,
    #[command(flatten)]
    pub json: Json,
}

#[derive(Debug, Subcommand)]
pub enum DocsAction {
    /// List documents (the same as no action).
    List {
        #[command(flatten)]
        json: Json,
    },
    /// Rename a document.
    Rename { doc: String, name: String },
    /// Remove a document with its codings and memos (`marginalia undo` brings it back).
    Remove { doc: String },
    /// Set what kind of source a document is: interview, observation, document or survey.
    SetKind { doc: String, kind: String },
    /// Set the language a document is searched in: nb (bokmål), nn (nynorsk), en, or `project` to follow the
    /// project's language.
    SetLanguage { doc: String, language: String },
}

/// What `coders` does.
#[derive(Debug, Subcommand)]
pub enum CodersAction {
    /// List the coders (the same as no action).
    List {
        #[command(flatten)]
        json: Json,
    },
    /// Set the colour of a coder's layer in the workbench (#rrggbb), or `palette` for the default colour.
    #[command(alias = "color")]
    Colour { coder: String, colour: String },
}

/// The passage `code` codes, and with what.
#[derive(Debug, Args)]
pub struct CodeArgs {
    pub dir: PathBuf,
    /// Document name or id.
    #[arg(long)]
    pub doc: String,
    /// Code path (`Barriers/Resource shortage`), name or id.
    #[arg(long)]
    pub code: String,
    /// Character range START..END (code points, end exclusive).
    #[arg(long, conflicts_with = "text", required_unless_present = "text")]
    pub range: Option<String>,
    /// Code the passage with exactly this text instead of a range.
    #[arg(long = "match", id = "text", value_name = "TEXT")]
    pub text: Option<String>,
    /// Which occurrence of --match to code (1 = first).
    #[arg(long, default_value_t = 1)]
    pub occurrence: usize,
    /// A short memo on the coding.
    #[arg(long)]
    pub memo: Option<String>,
    /// Create the code (and missing parents) if it does not exist.
    #[arg(long)]
    pub create: bool,
    #[command(flatten)]
    pub json: Json,
}

/// A `search` query and how to run it.
#[derive(Debug, Args)]
pub struct SearchArgs {
    pub dir: PathBuf,
    pub query: String,
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Treat the query as a regular expression over the texts.
    #[arg(long)]
    pub regex: bool,
    /// With --regex or --meaning: only passages that this query matches (e.g. 'code:"Resource shortage"').
    #[arg(long, value_name = "QUERY")]
    pub within: Option<String>,
    /// With --regex: match upper/lower case exactly.
    #[arg(long)]
    pub case_sensitive: bool,
    /// Search by meaning (fused with the keyword ranking); filters go in --within (needs the model).
    #[arg(long, conflicts_with = "regex")]
    pub meaning: bool,
    #[command(flatten)]
    pub json: Json,
}

/// The columns `import-survey` reads.
#[derive(Debug, Args)]
pub struct SurveyArgs {
    pub dir: PathBuf,
    pub file: PathBuf,
    /// The respondent id column (header name or 1-based number).
    #[arg(long = "id", value_name = "COLUMN")]
    pub id: String,
    /// Columns of open answers (repeatable, or several after one --text).
    #[arg(long = "text", value_name = "COLUMN", required = true, num_args = 1..)]
    pub text: Vec<String>,
    /// Columns that become case attributes, types inferred (repeatable).
    #[arg(long = "attr", value_name = "COLUMN", num_args = 1..)]
    pub attrs: Vec<String>,
    /// One document per respondent or per question.
    #[arg(long, default_value = "respondent", value_name = "respondent|question")]
    pub per: String,
    /// Worksheet of a spreadsheet (default: the first).
    #[arg(long)]
    pub sheet: Option<String>,
    #[command(flatten)]
    pub json: Json,
}
