//! The three models writing for the page: each continues a prompt, one character at a time, at
//! a sampling temperature, from a seed; and each gives its probabilities for the prompt's next
//! character.

use burn::prelude::*;
use burn::tensor::activation::log_softmax;
use rand::SeedableRng;
use rand::rngs::StdRng;

use super::api::{NextCharacter, sample};
use super::student::{CharMlp, STUDENT, window};
use crate::data::text::VOCABULARY;

/// A student as a next-character model.
pub struct StudentReader<'a> {
    pub model: &'a CharMlp,
    pub device: &'a Device,
}

impl NextCharacter for StudentReader<'_> {
    fn log_probs(&mut self, contexts: &[Vec<u8>]) -> Vec<Vec<f32>> {
        if contexts.is_empty() {
            return Vec::new();
        }
        let mut ids = Vec::with_capacity(contexts.len() * STUDENT.context);
        for context in contexts {
            window(context, context.len(), STUDENT.context, &mut ids);
        }
        let windows = Tensor::<2, Int>::from_data(TensorData::new(ids, [contexts.len(), STUDENT.context]), self.device);
        let log_probs = log_softmax(self.model.forward(windows), 1).into_data().convert::<f32>();
        let values = log_probs.try_to_vec::<f32>().unwrap_or_default();
        values.chunks(VOCABULARY).map(<[f32]>::to_vec).collect()
    }
}

/// `chars` characters that `model` writes after `prompt`, sampled at `temperature` from `seed`.
pub fn continuation(
    model: &mut impl NextCharacter,
    prompt: &[u8],
    chars: usize,
    temperature: f32,
    seed: u64,
) -> Vec<u8> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut text = prompt.to_vec();
    for _ in 0..chars {
        let Some(log_probs) = model.log_probs(std::slice::from_ref(&text)).pop() else { break };
        text.push(sample(&log_probs, temperature, &mut rng));
    }
    text.split_off(prompt.len())
}

/// The probabilities `model` gives each character of the vocabulary to follow `prompt`.
pub fn next_probabilities(model: &mut impl NextCharacter, prompt: &[u8]) -> Vec<f32> {
    let log_probs = model.log_probs(&[prompt.to_vec()]).pop().unwrap_or_default();
    log_probs.iter().map(|l| l.exp()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::text::encode;

    #[test]
    fn a_seed_repeats_a_continuation_and_the_next_character_is_a_distribution() {
        let device = Device::flex();
        let model = STUDENT.init(4, &device);
        let mut reader = StudentReader { model: &model, device: &device };
        let prompt = encode("King.\n").ids;
        let first = continuation(&mut reader, &prompt, 40, 1.0, 9);
        assert_eq!(first.len(), 40);
        assert_eq!(continuation(&mut reader, &prompt, 40, 1.0, 9), first);
        assert_ne!(continuation(&mut reader, &prompt, 40, 1.0, 10), first, "another seed, another text");
        // Near zero, the sampling is greedy: every draw is the likeliest character.
        let cold = continuation(&mut reader, &prompt, 1, 1e-4, 1);
        let probabilities = next_probabilities(&mut reader, &prompt);
        assert_eq!(probabilities.len(), VOCABULARY);
        assert!((probabilities.iter().sum::<f32>() - 1.0).abs() < 1e-4);
        let best = (0..VOCABULARY).max_by(|&a, &b| probabilities[a].total_cmp(&probabilities[b])).unwrap();
        assert_eq!(cold, [best as u8]);
    }
}
