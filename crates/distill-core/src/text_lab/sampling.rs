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
use crate::error::RunError;

/// A student as a next-character model.
pub struct StudentReader<'a> {
    pub model: &'a CharMlp,
    pub device: &'a Device,
}

/// The rows of a tensor of per-character values (its last dimension the vocabulary), read back
/// without blocking; `what` names the read in an error.
pub(crate) async fn rows<const D: usize>(values: Tensor<D>, what: &str) -> Result<Vec<Vec<f32>>, RunError> {
    let data = values.into_data_async().await.map_err(|e| RunError::executing(what, e))?;
    let values = data.convert::<f32>().try_into_vec::<f32>().map_err(|e| RunError::Engine(format!("{what}: {e:?}")))?;
    Ok(values.chunks(VOCABULARY).map(<[f32]>::to_vec).collect())
}

impl NextCharacter for StudentReader<'_> {
    async fn log_probs(&mut self, contexts: &[Vec<u8>]) -> Result<Vec<Vec<f32>>, RunError> {
        if contexts.is_empty() {
            return Ok(Vec::new());
        }
        let mut ids = Vec::with_capacity(contexts.len() * STUDENT.context);
        for context in contexts {
            window(context, context.len(), STUDENT.context, &mut ids);
        }
        let windows = Tensor::<2, Int>::from_data(TensorData::new(ids, [contexts.len(), STUDENT.context]), self.device);
        rows(log_softmax(self.model.forward(windows), 1), "a student's reading").await
    }
}

/// `chars` characters that `model` writes after `prompt`, sampled at `temperature` from `seed`.
pub async fn continuation(
    model: &mut impl NextCharacter,
    prompt: &[u8],
    chars: usize,
    temperature: f32,
    seed: u64,
) -> Result<Vec<u8>, RunError> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut text = prompt.to_vec();
    for _ in 0..chars {
        let Some(log_probs) = model.log_probs(std::slice::from_ref(&text)).await?.pop() else { break };
        text.push(sample(&log_probs, temperature, &mut rng));
    }
    Ok(text.split_off(prompt.len()))
}

/// The probabilities `model` gives each character of the vocabulary to follow `prompt`.
pub async fn next_probabilities(model: &mut impl NextCharacter, prompt: &[u8]) -> Result<Vec<f32>, RunError> {
    let log_probs = model.log_probs(&[prompt.to_vec()]).await?.pop().unwrap_or_default();
    Ok(log_probs.iter().map(|l| l.exp()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::text::encode;
    use futures_lite::future::block_on;

    #[test]
    fn a_seed_repeats_a_continuation_and_the_next_character_is_a_distribution() {
        let device = Device::flex();
        let model = STUDENT.init(4, &device);
        let mut reader = StudentReader { model: &model, device: &device };
        let prompt = encode("King.\n").ids;
        let mut write =
            |chars, temperature, seed| block_on(continuation(&mut reader, &prompt, chars, temperature, seed)).unwrap();
        let first = write(40, 1.0, 9);
        assert_eq!(first.len(), 40);
        assert_eq!(write(40, 1.0, 9), first);
        assert_ne!(write(40, 1.0, 10), first, "another seed, another text");
        // Near zero, the sampling is greedy: every draw is the likeliest character.
        let cold = write(1, 1e-4, 1);
        let probabilities = block_on(next_probabilities(&mut reader, &prompt)).unwrap();
        assert_eq!(probabilities.len(), VOCABULARY);
        assert!((probabilities.iter().sum::<f32>() - 1.0).abs() < 1e-4);
        let best = (0..VOCABULARY).max_by(|&a, &b| probabilities[a].total_cmp(&probabilities[b])).unwrap();
        assert_eq!(cold, [best as u8]);
    }
}
