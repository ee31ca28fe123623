//! The teacher behind an API. Prompts go in; each comes back continued by text the teacher
//! samples at temperature 1, as a chat API's answer is. What comes with the text follows the
//! `answers` setting: nothing (`label`: the text alone), the log-probabilities of the `k` most
//! likely characters at each position (`top`: what APIs return, for k up to about 20), or the
//! whole distribution (`full`: what no API gives). Characters are bought against a budget.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::answers::Answers;
use crate::data::text::VOCABULARY;
use crate::error::RunError;

/// Keeps the API's sampling stream apart from the other streams of the same seed.
const SAMPLING_STREAM: u64 = 0x0A91_5A3F;

/// A character drawn from `log_probs` softened by `temperature` (1: as the model says).
pub fn sample(log_probs: &[f32], temperature: f32, rng: &mut StdRng) -> u8 {
    let scaled: Vec<f32> = log_probs.iter().map(|&l| l / temperature).collect();
    let top = scaled.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let weights: Vec<f32> = scaled.iter().map(|&l| (l - top).exp()).collect();
    let mut target = rng.random::<f32>() * weights.iter().sum::<f32>();
    for (id, weight) in weights.iter().enumerate() {
        if target < *weight {
            return id as u8;
        }
        target -= weight;
    }
    // Rounding left the draw past the last weight: the last character with any weight.
    weights.iter().rposition(|&w| w > 0.0).unwrap_or(0) as u8
}

/// A language model as the API sees it. Its reads are awaited, as WebGPU's must be in a browser.
// The futures never leave the thread that made them (the worker's, or `block_on`'s), so they
// need not be `Send`.
#[allow(async_fn_in_trait)]
pub trait NextCharacter {
    /// For each context, the log-probabilities (at temperature 1) of the next character, one per
    /// id of the vocabulary.
    async fn log_probs(&mut self, contexts: &[Vec<u8>]) -> Result<Vec<Vec<f32>>, RunError>;
}

/// What one position of an answer reveals beside its character.
#[derive(Debug, Clone, PartialEq)]
pub enum Revealed {
    /// The character alone.
    Label,
    /// The `k` most likely characters and their log-probabilities, most likely first.
    Top(Vec<(u8, f32)>),
    /// The log-probability of every character.
    Full(Vec<f32>),
}

/// A prompt and the teacher's continuation of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub prompt: Vec<u8>,
    pub text: Vec<u8>,
    /// One per character of `text`: what came with it.
    pub revealed: Vec<Revealed>,
}

/// The API's counter: what it reveals, what it has sold, and its sampling stream.
#[derive(Debug)]
pub struct Api {
    answers: Answers,
    budget: usize,
    answer_chars: usize,
    chars_sold: usize,
    numbers_sent: usize,
    rng: StdRng,
}

impl Api {
    /// An API that sells at most `budget` characters, `answer_chars` per answer, revealing what
    /// `answers` says, its samples drawn from `seed`.
    pub fn new(answers: Answers, budget: usize, answer_chars: usize, seed: u64) -> Self {
        let answers = answers.effective(VOCABULARY);
        let rng = StdRng::seed_from_u64(seed ^ SAMPLING_STREAM);
        Api { answers, budget, answer_chars: answer_chars.max(1), chars_sold: 0, numbers_sent: 0, rng }
    }

    /// Characters sold so far.
    pub fn chars_sold(&self) -> usize {
        self.chars_sold
    }

    /// Numbers sent beside the characters (log-probabilities), so far.
    pub fn numbers_sent(&self) -> usize {
        self.numbers_sent
    }

    pub fn exhausted(&self) -> bool {
        self.chars_sold >= self.budget
    }

    /// Continues each prompt, all together (one call of the teacher per position), while the
    /// budget lasts: the answers it cannot pay for in full are cut short, and those it cannot
    /// pay for at all are not made.
    pub async fn ask(&mut self, teacher: &mut impl NextCharacter, prompts: &[&[u8]]) -> Result<Vec<Answer>, RunError> {
        let mut left = self.budget.saturating_sub(self.chars_sold);
        let mut lengths = Vec::new();
        for _ in prompts {
            let length = self.answer_chars.min(left);
            if length == 0 {
                break;
            }
            left -= length;
            lengths.push(length);
        }
        let mut answers: Vec<Answer> = prompts[..lengths.len()]
            .iter()
            .zip(&lengths)
            .map(|(prompt, &length)| Answer {
                prompt: prompt.to_vec(),
                text: Vec::with_capacity(length),
                revealed: Vec::with_capacity(length),
            })
            .collect();
        for position in 0..lengths.iter().copied().max().unwrap_or(0) {
            let writing: Vec<usize> = (0..answers.len()).filter(|&i| lengths[i] > position).collect();
            let contexts: Vec<Vec<u8>> =
                writing.iter().map(|&i| [answers[i].prompt.as_slice(), &answers[i].text].concat()).collect();
            for (&i, log_probs) in writing.iter().zip(teacher.log_probs(&contexts).await?) {
                let id = sample(&log_probs, 1.0, &mut self.rng);
                let revealed = self.reveal(log_probs);
                answers[i].text.push(id);
                answers[i].revealed.push(revealed);
            }
        }
        self.chars_sold += answers.iter().map(|a| a.text.len()).sum::<usize>();
        Ok(answers)
    }

    fn reveal(&mut self, log_probs: Vec<f32>) -> Revealed {
        match self.answers {
            Answers::Label => Revealed::Label,
            Answers::Top(k) => {
                let mut ranked: Vec<(u8, f32)> = log_probs.iter().enumerate().map(|(id, &l)| (id as u8, l)).collect();
                ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                ranked.truncate(k as usize);
                self.numbers_sent += ranked.len();
                Revealed::Top(ranked)
            }
            Answers::Full => {
                self.numbers_sent += log_probs.len();
                Revealed::Full(log_probs)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::text::{decode, encode};
    use futures_lite::future::block_on;

    /// A teacher that knows one thing: after 'a' comes 'b' (70%) or 'c' (30%); after anything
    /// else, 'a'. Every other character gets a tiny share, so that no log-probability is infinite.
    struct Toy {
        calls: usize,
    }

    fn toy_log_probs(last: u8) -> Vec<f32> {
        let [a, b, c] = [encode("a").ids[0], encode("b").ids[0], encode("c").ids[0]];
        let mut p = vec![1e-6_f32; VOCABULARY];
        if last == a {
            (p[b as usize], p[c as usize]) = (0.7, 0.3);
        } else {
            p[a as usize] = 1.0;
        }
        let total: f32 = p.iter().sum();
        p.iter().map(|v| (v / total).ln()).collect()
    }

    impl NextCharacter for Toy {
        async fn log_probs(&mut self, contexts: &[Vec<u8>]) -> Result<Vec<Vec<f32>>, RunError> {
            self.calls += 1;
            Ok(contexts.iter().map(|c| toy_log_probs(*c.last().unwrap_or(&0))).collect())
        }
    }

    fn ask(answers: Answers, budget: usize, seed: u64, prompts: &[&str]) -> (Api, Vec<Answer>) {
        let mut api = Api::new(answers, budget, 8, seed);
        let prompts: Vec<Vec<u8>> = prompts.iter().map(|p| encode(p).ids).collect();
        let refs: Vec<&[u8]> = prompts.iter().map(Vec::as_slice).collect();
        let answers = block_on(api.ask(&mut Toy { calls: 0 }, &refs)).unwrap();
        (api, answers)
    }

    #[test]
    fn each_mode_reveals_exactly_what_it_says_beside_the_sampled_text() {
        for mode in [Answers::Label, Answers::Top(3), Answers::Full] {
            let (api, answers) = ask(mode, 100, 1, &["xa", "b"]);
            let mut numbers = 0;
            for answer in &answers {
                assert_eq!((answer.text.len(), answer.revealed.len()), (8, 8));
                let contexts = (0..8).map(|i| [answer.prompt.as_slice(), &answer.text[..i]].concat());
                for (revealed, context) in answer.revealed.iter().zip(contexts) {
                    let truth = toy_log_probs(*context.last().unwrap());
                    match (mode, revealed) {
                        (Answers::Label, Revealed::Label) => {}
                        (Answers::Top(3), Revealed::Top(top)) => {
                            let mut ranked: Vec<f32> = truth.clone();
                            ranked.sort_by(|a, b| b.total_cmp(a));
                            assert_eq!(top.iter().map(|t| t.1).collect::<Vec<_>>(), ranked[..3]);
                            assert!(top.iter().all(|&(id, l)| truth[id as usize] == l));
                            numbers += 3;
                        }
                        (Answers::Full, Revealed::Full(all)) => {
                            assert_eq!(all, &truth);
                            numbers += VOCABULARY;
                        }
                        other => panic!("{mode:?} revealed {other:?}"),
                    }
                }
            }
            assert_eq!((api.chars_sold(), api.numbers_sent()), (16, numbers));
        }
    }

    #[test]
    fn samples_follow_the_teachers_distribution_and_a_seed_repeats_them() {
        let prompts = vec!["a"; 400];
        let (_, answers) = ask(Answers::Label, 400 * 8, 7, &prompts);
        // After "a" the first character is b or c; its next is a; then b or c again.
        let firsts: String = answers.iter().map(|a| decode(&a.text[..1])).collect();
        let b_share = firsts.chars().filter(|&c| c == 'b').count() as f32 / 400.0;
        assert!((b_share - 0.7).abs() < 0.06, "b drawn {b_share} of the time, not about 0.7");
        assert!(answers.iter().all(|a| decode(&a.text[1..2]) == "a"));
        let again = ask(Answers::Label, 400 * 8, 7, &prompts).1;
        assert_eq!(again, answers, "the same seed, the same answers");
        assert_ne!(ask(Answers::Label, 400 * 8, 8, &prompts).1, answers);
    }

    #[test]
    fn the_budget_cuts_the_last_answer_short_and_then_sells_nothing() {
        let (mut api, answers) = ask(Answers::Top(5), 20, 1, &["a", "b", "c", "d"]);
        assert_eq!(answers.iter().map(|a| a.text.len()).collect::<Vec<_>>(), [8, 8, 4]);
        assert_eq!((api.chars_sold(), api.exhausted()), (20, true));
        let prompt = encode("a").ids;
        assert!(block_on(api.ask(&mut Toy { calls: 0 }, &[&prompt])).unwrap().is_empty());
        // A batch is written together: one call of the teacher per position, not per answer.
        let mut toy = Toy { calls: 0 };
        block_on(Api::new(Answers::Full, 1000, 8, 1).ask(&mut toy, &[&prompt, &prompt, &prompt])).unwrap();
        assert_eq!(toy.calls, 8);
    }
}
