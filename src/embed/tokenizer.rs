//! The XLM-R SentencePiece unigram tokenizer as the model file carries it: a per-code-point normalisation
//! table, runs of spaces collapsed, the `▁` metaspace, and the best-scoring split into pieces (Viterbi).
//!
//! It follows the reference engine step for step, so the token ids are the ones the weights were made for.

use std::collections::HashMap;

/// The SentencePiece metaspace marker, U+2581.
const META: char = '\u{2581}';

/// The pieces' spellings as one byte blob with offsets, found by an open-addressing hash table of ids (one
/// allocation each instead of one per piece: building it is most of a model load's tokenizer cost).
#[derive(Debug)]
struct Spellings {
    blob: Vec<u8>,
    /// Per id, where its spelling starts in `blob`; one more at the end.
    offsets: Vec<u32>,
    /// Ids by hash slot (`EMPTY`: free); a power of two, at most half full.
    slots: Vec<u32>,
}

/// A free slot.
const EMPTY: u32 = u32::MAX;

impl Spellings {
    fn slot(&self, bytes: &[u8]) -> usize {
        let h = crate::model::fnv1a(bytes);
        (h ^ (h >> 29)) as usize & (self.slots.len() - 1)
    }

    fn spelling(&self, id: u32) -> &[u8] {
        let i = id as usize;
        &self.blob[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }

    /// The first id spelled `bytes`.
    fn get(&self, bytes: &[u8]) -> Option<u32> {
        let mut i = self.slot(bytes);
        loop {
            let id = self.slots[i];
            if id == EMPTY {
                return None;
            }
            if self.spelling(id) == bytes {
                return Some(id);
            }
            i = (i + 1) & (self.slots.len() - 1);
        }
    }

    /// Indexes every non-empty spelling; the first piece of a spelling wins, as in the reference's table.
    fn new(blob: Vec<u8>, offsets: Vec<u32>) -> Self {
        let pieces = offsets.len().saturating_sub(1);
        let mut spellings = Spellings {
            blob,
            offsets,
            slots: vec![EMPTY; (pieces * 2).next_power_of_two().max(2)],
        };
        for id in 0..pieces as u32 {
            let bytes = spellings.spelling(id);
            if bytes.is_empty() {
                continue;
            }
            let mut i = spellings.slot(bytes);
            loop {
                let other = spellings.slots[i];
                if other == EMPTY {
                    spellings.slots[i] = id;
                    break;
                }
                if spellings.spelling(other) == bytes {
                    break;
                }
                i = (i + 1) & (spellings.slots.len() - 1);
            }
        }
        spellings
    }
}

/// A unigram vocabulary with its normalisation table.
#[derive(Debug)]
pub struct Tokenizer {
    pieces: Spellings,
    scores: Vec<f32>,
    unk_score: f32,
    max_piece_bytes: usize,
    norm: HashMap<u32, Vec<u32>>,
    /// Id of `<s>`.
    pub bos: u32,
    /// Id of `</s>`.
    pub eos: u32,
    /// Id of `<unk>`.
    pub unk: u32,
}

impl Tokenizer {
    /// Builds a tokenizer from its pieces (bytes and score, in id order), the special ids and the
    /// normalisation table (code point → replacement code points).
    pub fn new(
        pieces: Vec<(Vec<u8>, f32)>,
        bos: u32,
        eos: u32,
        unk: u32,
        norm: HashMap<u32, Vec<u32>>,
    ) -> Self {
        let mut blob = Vec::new();
        let mut offsets = vec![0u32];
        let mut scores = Vec::with_capacity(pieces.len());
        for (bytes, score) in pieces {
            blob.extend_from_slice(&bytes);
            offsets.push(blob.len() as u32);
            scores.push(score);
        }
        Self::from_blob(blob, offsets, scores, bos, eos, unk, norm)
    }

    /// Builds a tokenizer from the pieces' spellings laid end to end (`offsets`: where each starts, one more
    /// at the end, non-decreasing and within `blob`), their scores in id order, the special ids and the
    /// normalisation table; `None` when the offsets do not fit the blob or the scores.
    pub fn from_parts(
        blob: Vec<u8>,
        offsets: Vec<u32>,
        scores: Vec<f32>,
        bos: u32,
        eos: u32,
        unk: u32,
        norm: HashMap<u32, Vec<u32>>,
    ) -> Option<Self> {
        let fits = offsets.len() == scores.len() + 1
            && offsets.windows(2).all(|w| w[0] <= w[1])
            && offsets.last().is_some_and(|&e| e as usize <= blob.len());
        fits.then(|| Self::from_blob(blob, offsets, scores, bos, eos, unk, norm))
    }

    fn from_blob(
        blob: Vec<u8>,
        offsets: Vec<u32>,
        scores: Vec<f32>,
        bos: u32,
        eos: u32,
        unk: u32,
        norm: HashMap<u32, Vec<u32>>,
    ) -> Self {
        let min_score = scores.iter().copied().fold(f32::INFINITY, f32::min);
        let max_piece_bytes = offsets
            .windows(2)
            .map(|w| (w[1] - w[0]) as usize)
            .max()
            .unwrap_or(1)
            .max(1);
        Tokenizer {
            pieces: Spellings::new(blob, offsets),
            scores,
            unk_score: min_score - 10.0,
            max_piece_bytes,
            norm,
            bos,
            eos,
            unk,
        }
    }

    /// Number of pieces.
    pub fn len(&self) -> usize {
        self.scores.len()
    }

    /// Whether the vocabulary is empty.
    pub fn is_empty(&self) -> bool {
        self.scores.is_empty()
    }

    /// The normalised text with metaspaces, as the pieces spell it.
    pub fn normalize(&self, text: &str) -> String {
        let mut cps: Vec<char> = Vec::with_capacity(text.len());
        for c in text.chars() {
            match self.norm.get(&u32::from(c)) {
                Some(out) => cps.extend(out.iter().filter_map(|&o| char::from_u32(o))),
                None => cps.push(c),
            }
        }
        let mut out = String::with_capacity(text.len() + 3);
        if cps.first() != Some(&' ') {
            out.push(META);
        }
        let mut previous_space = false;
        for c in cps {
            let space = c == ' ';
            if space && previous_space {
                continue;
            }
            previous_space = space;
            out.push(if space { META } else { c });
        }
        out
    }

    /// The content token ids of `text` (without `<s>` and `</s>`).
    pub fn encode(&self, text: &str) -> Vec<u32> {
        let buf = self.normalize(text);
        let bytes = buf.as_bytes();
        let mut starts: Vec<usize> = buf.char_indices().map(|(i, _)| i).collect();
        starts.push(bytes.len());
        let n = starts.len() - 1;
        const NONE: f32 = -1e30;
        let mut best = vec![NONE; n + 1];
        let mut piece: Vec<Option<u32>> = vec![None; n + 1];
        let mut from = vec![0usize; n + 1];
        best[0] = 0.0;
        for i in 0..n {
            if best[i] <= -1e29 {
                continue;
            }
            let bi = starts[i];
            for e in i + 1..=n {
                let len = starts[e] - bi;
                if len > self.max_piece_bytes {
                    break;
                }
                if let Some(id) = self.pieces.get(&bytes[bi..starts[e]])
                    && id != self.unk
                {
                    let score = best[i] + self.scores.get(id as usize).copied().unwrap_or(NONE);
                    if score > best[e] {
                        best[e] = score;
                        piece[e] = Some(id);
                        from[e] = i;
                    }
                }
            }
            let unknown = best[i] + self.unk_score;
            if unknown > best[i + 1] {
                best[i + 1] = unknown;
                piece[i + 1] = None;
                from[i + 1] = i;
            }
        }
        let mut ids = Vec::new();
        let mut i = n;
        while i > 0 {
            ids.push(piece[i].unwrap_or(self.unk));
            i = from[i];
        }
        ids.reverse();
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> Tokenizer {
        let pieces = [
            ("<s>", 0.0),
            ("<pad>", 0.0),
            ("</s>", 0.0),
            ("<unk>", 0.0),
            ("▁", -2.0),
            ("▁vi", -3.0),
            ("▁har", -3.0),
            ("ha", -4.0),
            ("r", -4.0),
            ("▁v", -5.0),
            ("i", -5.0),
            ("▁ikkje", -4.0),
        ];
        let norm = HashMap::from([(u32::from('\n'), vec![0x20]), (0xad, vec![])]);
        Tokenizer::new(
            pieces
                .iter()
                .map(|(p, s)| (p.as_bytes().to_vec(), *s))
                .collect(),
            0,
            2,
            3,
            norm,
        )
    }

    #[test]
    fn normalisation_collapses_spaces_and_marks_word_starts() {
        let t = toy();
        assert_eq!(t.normalize("vi  har\nikkje"), "▁vi▁har▁ikkje");
        assert_eq!(t.normalize(" vi"), "▁vi");
        assert_eq!(t.normalize("ik\u{ad}kje"), "▁ikkje");
    }

    #[test]
    fn best_split_wins_and_unknown_characters_become_unk() {
        let t = toy();
        assert_eq!(t.encode("vi har"), vec![5, 6]);
        assert_eq!(t.encode("vi ikkje"), vec![5, 11]);
        // "ø" is no piece: one <unk> for the character, then the rest.
        assert_eq!(t.encode("vi ø"), vec![5, 4, 3]);
    }

    #[test]
    fn the_first_piece_of_a_spelling_wins_and_bad_offsets_are_refused() {
        let spellings = Spellings::new(b"abab".to_vec(), vec![0, 2, 4, 4]);
        assert_eq!(spellings.get(b"ab"), Some(0));
        assert_eq!(spellings.get(b""), None);
        assert_eq!(spellings.get(b"ba"), None);
        assert!(
            Tokenizer::from_parts(
                b"ab".to_vec(),
                vec![0, 3],
                vec![0.0],
                0,
                0,
                0,
                HashMap::new()
            )
            .is_none()
        );
        assert!(
            Tokenizer::from_parts(
                b"ab".to_vec(),
                vec![0, 2],
                vec![0.0],
                0,
                0,
                0,
                HashMap::new()
            )
            .is_some()
        );
    }
}
