//! Imported source documents: metadata and the structure (paragraphs, speaker turns) found at import.

use serde::{Deserialize, Serialize};

use crate::ids::DocumentId;
use crate::model::Language;
use crate::offsets::CharRange;

/// What a document is, as researchers classify their sources.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// A transcript of an interview or focus group, usually with speaker turns.
    Interview,
    /// Field notes from an observation.
    Observation,
    /// Any other written source (a policy paper, a report, a letter); the default.
    #[default]
    Document,
    /// Open answers from a survey table.
    Survey,
}

impl DocumentKind {
    /// Every kind, in the order pickers list them.
    pub const ALL: [DocumentKind; 4] = [
        Self::Interview,
        Self::Observation,
        Self::Document,
        Self::Survey,
    ];

    /// The lower-case keyword used in queries (`kind:interview`) and on the command line.
    pub fn keyword(self) -> &'static str {
        match self {
            Self::Interview => "interview",
            Self::Observation => "observation",
            Self::Document => "document",
            Self::Survey => "survey",
        }
    }

    /// Reads a kind from its keyword or a common synonym in English or Norwegian (`transcript`, `intervju`,
    /// `notes`), ignoring case; `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        let lower = text.trim().to_lowercase();
        Self::ALL.into_iter().find(|k| {
            k.keyword() == lower
                || match k {
                    Self::Interview => lower == "transcript" || lower == "intervju",
                    Self::Observation => lower == "observasjon" || lower == "notes",
                    Self::Document => lower == "dokument",
                    Self::Survey => lower == "spørreundersøkelse",
                }
        })
    }
}

/// One speaker turn in a transcript.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Turn {
    /// The speaker as named in the transcript (`Intervjuar`, `Rektor`).
    pub speaker: String,
    /// The timestamp as written in the transcript (`00:05:15`), when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// The whole turn, label included.
    #[serde(with = "compact::one")]
    pub range: CharRange,
    /// Where the spoken words start (after the label).
    pub content_start: usize,
}

/// An imported source. Its text is immutable and lives in `sources/<id>.txt`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// The document's stable id, which also names its text file in `sources/`.
    pub id: DocumentId,
    /// Display name, unique in the project (file stem by default).
    pub name: String,
    /// The file name it was imported from.
    pub original_file: String,
    /// When the document was imported.
    #[serde(with = "time::serde::rfc3339")]
    pub imported: time::OffsetDateTime,
    /// What kind of source it is; used for filtering (`kind:interview`).
    pub kind: DocumentKind,
    /// Length of the text in code points.
    pub char_len: usize,
    /// 64-bit FNV-1a hash of the text, to notice the same file imported twice.
    pub text_hash: String,
    /// The paragraphs found at import, in text order.
    #[serde(with = "compact")]
    pub paragraphs: Vec<CharRange>,
    /// The speaker turns found at import, in text order; empty for sources without speakers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub turns: Vec<Turn>,
    /// Page boundaries of paged sources (PDF), page 1 first, so excerpts can cite pages. Empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty", with = "compact")]
    pub pages: Vec<CharRange>,
    /// The language of this document's text (detected at import, editable), which picks its search stemmer;
    /// `None` (projects saved before documents had one, texts too short to tell) means the project's language
    /// ([`crate::model::Project::document_language`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
}

impl Document {
    /// The units search indexes and excerpts cite: speaker turns, plus paragraphs outside any turn (a header),
    /// in text order.
    pub fn units(&self) -> Vec<Unit<'_>> {
        let mut units: Vec<Unit<'_>> = self
            .turns
            .iter()
            .map(|t| Unit {
                range: t.range,
                speaker: Some(&t.speaker),
                timestamp: t.timestamp.as_deref(),
            })
            .collect();
        for paragraph in &self.paragraphs {
            if self.turn_at(paragraph.start).is_none() {
                units.push(Unit {
                    range: *paragraph,
                    speaker: None,
                    timestamp: None,
                });
            }
        }
        units.sort_by_key(|u| u.range.start);
        units
    }

    /// The turn containing a code-point offset.
    pub fn turn_at(&self, offset: usize) -> Option<&Turn> {
        let index = self.turns.partition_point(|t| t.range.end <= offset);
        self.turns.get(index).filter(|t| t.range.start <= offset)
    }

    /// The 1-based page containing a code-point offset, for paged sources.
    pub fn page_at(&self, offset: usize) -> Option<usize> {
        let index = self.pages.partition_point(|p| p.end <= offset);
        self.pages
            .get(index)
            .filter(|p| p.start <= offset)
            .map(|_| index + 1)
    }

    /// The 1-based number of the paragraph containing a code-point offset, or of the first paragraph after it
    /// (an offset between paragraphs).
    pub fn paragraph_number(&self, offset: usize) -> Option<usize> {
        let index = self.paragraphs.partition_point(|p| p.end <= offset);
        (index < self.paragraphs.len()).then_some(index + 1)
    }

    /// The 1-based number of the turn containing a code-point offset.
    pub fn turn_number(&self, offset: usize) -> Option<usize> {
        let index = self.turns.partition_point(|t| t.range.end <= offset);
        self.turns
            .get(index)
            .filter(|t| t.range.start <= offset)
            .map(|_| index + 1)
    }

    /// Where a passage is, as a report cites it: the turn's timestamp in time-stamped (audio and video)
    /// transcripts, the page in paged sources (PDF), else the paragraph number (turns start paragraphs).
    pub fn locator(&self, range: CharRange) -> Locator {
        let last = range.end.saturating_sub(1).max(range.start);
        if let Some(ts) = self.turn_at(range.start).and_then(|t| t.timestamp.clone()) {
            return Locator::Timestamp(ts);
        }
        if let Some(first) = self.page_at(range.start) {
            return Locator::Pages(first, self.page_at(last).unwrap_or(first).max(first));
        }
        if let Some(first) = self.paragraph_number(range.start) {
            let end = self.paragraph_number(last).unwrap_or(first).max(first);
            return Locator::Paragraphs(first, end);
        }
        if let Some(turn) = self.turn_number(range.start) {
            return Locator::Turn(turn);
        }
        Locator::Paragraphs(1, 1)
    }

    /// The paragraph containing a code-point offset.
    pub fn paragraph_at(&self, offset: usize) -> Option<CharRange> {
        let index = self.paragraphs.partition_point(|p| p.end <= offset);
        self.paragraphs
            .get(index)
            .copied()
            .filter(|p| p.start <= offset)
    }
}

/// Where a passage is in its document, in the unit a report cites: `00:05:15`, `p. 3`, `pp. 3–4`, `¶ 12`,
/// `¶ 12–14`, `turn 7`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Locator {
    /// The timestamp of the turn, as the transcript writes it.
    Timestamp(String),
    /// First and last page (1-based).
    Pages(usize, usize),
    /// First and last paragraph (1-based).
    Paragraphs(usize, usize),
    /// The turn (1-based), for a passage outside every paragraph.
    Turn(usize),
}

impl std::fmt::Display for Locator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Timestamp(ts) => f.write_str(ts),
            Self::Pages(a, b) if a == b => write!(f, "p. {a}"),
            Self::Pages(a, b) => write!(f, "pp. {a}–{b}"),
            Self::Paragraphs(a, b) if a == b => write!(f, "¶ {a}"),
            Self::Paragraphs(a, b) => write!(f, "¶ {a}–{b}"),
            Self::Turn(n) => write!(f, "turn {n}"),
        }
    }
}

/// A paragraph or turn: the unit of search hits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unit<'a> {
    /// Where the unit lies in the document's text.
    pub range: CharRange,
    /// The speaker of a turn; `None` for a paragraph.
    pub speaker: Option<&'a str>,
    /// The turn's timestamp as written in the transcript, when it has one.
    pub timestamp: Option<&'a str>,
}

/// Structure ranges as compact `(start,end)` tuples in `documents.ron`: a 35,000-document project holds about
/// 900,000 of them, and the tuple form halves the file and its parse time. The older `(start:0,end:5)` form
/// still loads.
pub(crate) mod compact {
    use std::cell::Cell;

    use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
    use serde::ser::{Serialize, SerializeSeq, Serializer};

    use crate::offsets::CharRange;

    thread_local! {
        /// Set while reading ranges that can only be tuples (see [`tuples_only`]).
        static TUPLES_ONLY: Cell<bool> = const { Cell::new(false) };
    }

    /// Runs `read` expecting ranges in the tuple form only, which RON reads about twice as fast as "either
    /// form" (that has to look ahead at every range); a range in the older form then fails to parse, and the
    /// caller reads again without this.
    pub(crate) fn tuples_only<T>(read: impl FnOnce() -> T) -> T {
        let before = TUPLES_ONLY.with(|t| t.replace(true));
        let value = read();
        TUPLES_ONLY.with(|t| t.set(before));
        value
    }

    /// One range, written as a tuple and read in either form.
    struct Compact(CharRange);

    impl Serialize for Compact {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            (self.0.start, self.0.end).serialize(serializer)
        }
    }

    impl<'de> Deserialize<'de> for Compact {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            if TUPLES_ONLY.with(Cell::get) {
                deserializer.deserialize_tuple(2, CompactVisitor)
            } else {
                deserializer.deserialize_any(CompactVisitor)
            }
        }
    }

    struct CompactVisitor;

    impl<'de> Visitor<'de> for CompactVisitor {
        type Value = Compact;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a range as (start,end) or (start:…,end:…)")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Compact, A::Error> {
            let start = seq
                .next_element()?
                .ok_or_else(|| de::Error::invalid_length(0, &self))?;
            let end = seq
                .next_element()?
                .ok_or_else(|| de::Error::invalid_length(1, &self))?;
            if seq.next_element::<de::IgnoredAny>()?.is_some() {
                return Err(de::Error::invalid_length(3, &self));
            }
            Ok(Compact(CharRange { start, end }))
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Compact, A::Error> {
            let (mut start, mut end) = (None, None);
            while let Some(key) = map.next_key::<String>()? {
                match key.as_str() {
                    "start" => start = Some(map.next_value()?),
                    "end" => end = Some(map.next_value()?),
                    other => return Err(de::Error::unknown_field(other, &["start", "end"])),
                }
            }
            match (start, end) {
                (Some(start), Some(end)) => Ok(Compact(CharRange { start, end })),
                (None, _) => Err(de::Error::missing_field("start")),
                (_, None) => Err(de::Error::missing_field("end")),
            }
        }
    }

    /// Writes a list of ranges as tuples.
    pub fn serialize<S: Serializer>(
        ranges: &[CharRange],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(ranges.len()))?;
        for range in ranges {
            seq.serialize_element(&Compact(*range))?;
        }
        seq.end()
    }

    /// Reads a list of ranges in either form.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<CharRange>, D::Error> {
        let ranges = Vec::<Compact>::deserialize(deserializer)?;
        Ok(ranges.into_iter().map(|c| c.0).collect())
    }

    /// The same for a single range (a turn's).
    pub mod one {
        use super::*;

        /// Writes a range as a tuple.
        pub fn serialize<S: Serializer>(
            range: &CharRange,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            Compact(*range).serialize(serializer)
        }

        /// Reads a range in either form.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<CharRange, D::Error> {
            Compact::deserialize(deserializer).map(|c| c.0)
        }
    }
}

/// FNV-1a, 64 bit: stable across Rust versions, unlike `DefaultHasher`.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    fnv1a_extend(FNV1A_START, bytes)
}

/// The FNV-1a hash of no bytes, where [`fnv1a_extend`] starts.
pub const FNV1A_START: u64 = 0xcbf2_9ce4_8422_2325;

/// Continues an FNV-1a hash with more bytes: `fnv1a_extend(fnv1a(a), b) == fnv1a(a ++ b)` (a file hashed block
/// by block as it is read).
pub fn fnv1a_extend(mut hash: u64, bytes: &[u8]) -> u64 {
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// The text hash as stored on a [`Document`].
pub fn text_hash(text: &str) -> String {
    format!("{:016x}", fnv1a(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_saved_before_pages_existed_still_load() {
        let old = r#"(id:"00000000-0000-4000-8000-000000000001",name:"intervju",original_file:"intervju.txt",imported:"2022-03-14T12:00:00Z",kind:interview,char_len:5,text_hash:"0000000000000000",paragraphs:[(start:0,end:5)])"#;
        let document: Document = ron::from_str(old).expect("old document loads");
        assert!(document.pages.is_empty());
        assert_eq!(document.language, None);
        let saved = ron::to_string(&document).expect("save");
        assert!(!saved.contains("pages"), "{saved}");
        assert!(!saved.contains("language"), "{saved}");
    }

    #[test]
    fn ranges_are_saved_as_tuples_and_the_older_field_form_still_loads() {
        let old = r#"(id:"00000000-0000-4000-8000-000000000001",name:"intervju",original_file:"intervju.txt",imported:"2022-03-14T12:00:00Z",kind:interview,char_len:60,text_hash:"0",paragraphs:[(start:0,end:10),(start:12,end:60)],turns:[(speaker:"Intervjuar",timestamp:Some("00:05:15"),range:(start:12,end:60),content_start:24)],pages:[(start:0,end:60)])"#;
        let document: Document = ron::from_str(old).expect("old document loads");
        assert_eq!(
            document.paragraphs,
            vec![CharRange::new(0, 10), CharRange::new(12, 60)]
        );
        assert_eq!(document.turns[0].range, CharRange::new(12, 60));
        assert_eq!(document.pages, vec![CharRange::new(0, 60)]);
        let saved = ron::to_string(&document).expect("save");
        assert!(saved.contains("paragraphs:[(0,10),(12,60)]"), "{saved}");
        assert!(saved.contains("range:(12,60)"), "{saved}");
        assert!(saved.contains("pages:[(0,60)]"), "{saved}");
        let again: Document = ron::from_str(&saved).expect("new form loads");
        assert_eq!(again, document);
        // Through JSON too (three-way merges compare project files as JSON values).
        let json = serde_json::to_value(&document).expect("json");
        let back: Document = serde_json::from_value(json).expect("from json");
        assert_eq!(back, document);
        // Reading tuples only: the new form loads, the old one is refused (and read again in either form).
        assert_eq!(
            compact::tuples_only(|| ron::from_str::<Document>(&saved)).ok(),
            Some(document.clone())
        );
        assert!(compact::tuples_only(|| ron::from_str::<Document>(old)).is_err());
        let broken = old.replace("(start:0,end:10)", "(0,10,20)");
        assert!(ron::from_str::<Document>(&broken).is_err());
    }

    #[test]
    fn a_document_language_is_saved_as_its_code() {
        let old = r#"(id:"00000000-0000-4000-8000-000000000001",name:"intervju",original_file:"intervju.txt",imported:"2022-03-14T12:00:00Z",kind:interview,char_len:5,text_hash:"0000000000000000",paragraphs:[(start:0,end:5)],language:Some(nn))"#;
        let document: Document = ron::from_str(old).expect("document loads");
        assert_eq!(document.language, Some(Language::Nn));
        let saved = ron::to_string(&document).expect("save");
        assert!(saved.contains("language:Some(nn)"), "{saved}");
    }

    #[test]
    fn locators_prefer_timestamps_then_pages_then_paragraphs() {
        let mut document: Document = ron::from_str(r#"(id:"00000000-0000-4000-8000-000000000001",name:"intervju",original_file:"intervju.txt",imported:"2022-03-14T12:00:00Z",kind:interview,char_len:60,text_hash:"0",paragraphs:[(start:0,end:10),(start:12,end:30),(start:32,end:60)])"#).expect("document");
        assert_eq!(document.locator(CharRange::new(14, 20)).to_string(), "¶ 2");
        assert_eq!(
            document.locator(CharRange::new(14, 40)).to_string(),
            "¶ 2–3"
        );
        document.pages = vec![CharRange::new(0, 30), CharRange::new(32, 60)];
        assert_eq!(
            document.locator(CharRange::new(14, 40)).to_string(),
            "pp. 1–2"
        );
        document.turns = vec![Turn {
            speaker: "Rektor".into(),
            timestamp: Some("00:05:15".into()),
            range: CharRange::new(12, 30),
            content_start: 20,
        }];
        assert_eq!(
            document.locator(CharRange::new(21, 25)).to_string(),
            "00:05:15"
        );
        assert_eq!(document.turn_number(21), Some(1));
    }

    #[test]
    fn page_at_finds_the_page() {
        let mut document: Document = ron::from_str(r#"(id:"00000000-0000-4000-8000-000000000001",name:"plan",original_file:"plan.pdf",imported:"2022-03-14T12:00:00Z",kind:document,char_len:20,text_hash:"0",paragraphs:[])"#).expect("document");
        document.pages = vec![CharRange::new(0, 9), CharRange::new(11, 20)];
        assert_eq!(document.page_at(0), Some(1));
        assert_eq!(document.page_at(10), None);
        assert_eq!(document.page_at(19), Some(2));
    }
}
