//! The students' human text: `text_size` characters drawn as passages from the training works,
//! a few from each in turn. The baseline learns from all of it; the distilled student reads only
//! each passage's opening, as a prompt to the teacher's API.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::data::text::Corpus;

/// A passage: a few speeches.
pub const PASSAGE_CHARS: usize = 400;

/// The opening of a passage that the distilled student sends the API.
pub const PROMPT_CHARS: usize = 48;

/// Keeps the passages' stream apart from the other streams of the same seed.
const PASSAGE_STREAM: u64 = 0x7E47_0A55;

/// Passages of human text, each starting at the start of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HumanText {
    pub passages: Vec<Vec<u8>>,
}

impl HumanText {
    /// `text_size` characters (at most as many as the training works hold) as passages of
    /// [`PASSAGE_CHARS`] (the last one shorter), taken from the training works in turn at places
    /// drawn from `seed`; passages may overlap.
    pub fn draw(corpus: &Corpus, text_size: usize, seed: u64) -> HumanText {
        let mut rng = StdRng::seed_from_u64(seed ^ PASSAGE_STREAM);
        let works: Vec<&[u8]> =
            corpus.training.iter().map(|work| work.ids.as_slice()).filter(|ids| ids.len() > PASSAGE_CHARS).collect();
        let available: usize = works.iter().map(|ids| ids.len()).sum();
        let mut left = text_size.min(available);
        let mut passages = Vec::new();
        while left > 0 && !works.is_empty() {
            let work = works[passages.len() % works.len()];
            let length = left.min(PASSAGE_CHARS);
            let start = line_start(work, rng.random_range(0..=work.len() - PASSAGE_CHARS));
            passages.push(work[start..start + length].to_vec());
            left -= length;
        }
        HumanText { passages }
    }

    /// Characters in all.
    pub fn len(&self) -> usize {
        self.passages.iter().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.passages.is_empty()
    }

    /// Each passage's opening: what the distilled student may read of this text.
    pub fn prompts(&self) -> Vec<&[u8]> {
        self.passages.iter().map(|passage| &passage[..passage.len().min(PROMPT_CHARS)]).collect()
    }
}

/// The start of the line `at` falls in, so that a passage starts as a line does; never past
/// where a whole passage still fits.
fn line_start(work: &[u8], at: usize) -> usize {
    let newline = crate::data::text::id_of('\n');
    work[..at].iter().rposition(|&id| id == newline).map_or(0, |before| before + 1).min(work.len() - PASSAGE_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::text::decode;

    fn corpus() -> Corpus {
        let work = |name: &str| {
            let lines: String = (0..200).map(|i| format!("{name} speaks, line {i}.\n")).collect();
            format!("{}\n{lines}", name.to_uppercase())
        };
        let text = ["alpha", "beta", "gamma", "held one", "held two"].map(work).join("\u{c}");
        Corpus::parse(&text).unwrap()
    }

    #[test]
    fn passages_hold_text_size_characters_from_every_training_work_starting_at_lines() {
        let text = HumanText::draw(&corpus(), 2_000, 1);
        assert_eq!(text.len(), 2_000);
        assert_eq!(text.passages.iter().map(Vec::len).collect::<Vec<_>>(), [400; 5]);
        let words: Vec<String> = text.passages.iter().map(|p| decode(p)).collect();
        for (passage, name) in words.iter().zip(["alpha", "beta", "gamma", "alpha", "beta"]) {
            assert!(passage.starts_with(&format!("{name} speaks, line ")), "{passage:?}");
        }
        assert!(words.iter().all(|p| !p.contains("held")), "never the held-out works");
        let prompts = text.prompts();
        assert_eq!(prompts.len(), 5);
        assert!(
            prompts.iter().zip(&text.passages).all(|(p, passage)| p.len() == PROMPT_CHARS && passage.starts_with(p))
        );
    }

    #[test]
    fn the_same_seed_draws_the_same_passages_and_another_seed_others() {
        let corpus = corpus();
        assert_eq!(HumanText::draw(&corpus, 1_000, 3), HumanText::draw(&corpus, 1_000, 3));
        assert_ne!(HumanText::draw(&corpus, 1_000, 3), HumanText::draw(&corpus, 1_000, 4));
        // A size that is no whole number of passages ends on a shorter one; more than the
        // works hold is as many characters as they hold, and nothing is nothing.
        assert_eq!(HumanText::draw(&corpus, 1_030, 3).passages.last().map(Vec::len), Some(230));
        let all: usize = corpus.training.iter().map(|w| w.ids.len()).sum();
        assert_eq!(HumanText::draw(&corpus, usize::MAX, 3).len(), all);
        assert!(HumanText::draw(&corpus, 0, 3).is_empty());
    }
}
