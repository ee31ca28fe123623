//! The teacher writing for the API: it keeps what it computed for the characters it has read
//! (Burn's autoregressive cache), so that each new character costs one position rather than the
//! whole window.

use burn::nn::transformer::TransformerEncoderAutoregressiveCache;
use burn::prelude::*;
use burn::tensor::activation::log_softmax;

use super::api::NextCharacter;
use super::language_model::CharTransformer;
use super::sampling::rows;
use crate::data::text::id_of;
use crate::error::RunError;

/// When the teacher's window is full, it starts again from its last `context − SLIDE` characters
/// (half the window for a window under twice this).
const SLIDE: usize = 16;

/// The teacher writing: every `SLIDE` characters past a full window it reads its last characters afresh.
/// All the contexts of a call are read left-padded with newlines to one length.
pub struct Writer<'a> {
    model: &'a CharTransformer,
    device: &'a Device,
    running: Option<Running>,
}

/// What a writer has read: the contexts of its last call, the rows fed (padded tails) and the
/// cache of the positions computed for them.
struct Running {
    contexts: Vec<Vec<u8>>,
    fed: Vec<Vec<u8>>,
    cache: TransformerEncoderAutoregressiveCache,
}

impl<'a> Writer<'a> {
    pub fn new(model: &'a CharTransformer, device: &'a Device) -> Self {
        Writer { model, device, running: None }
    }

    /// The rows to feed for `contexts`: the last rows plus each context's new character when
    /// every context grew by one and the window has room, else fresh tails (and a fresh cache).
    fn feed(&mut self, contexts: &[Vec<u8>]) -> &mut Running {
        let window = self.model.context();
        let grew = self.running.as_ref().is_some_and(|running| {
            running.contexts.len() == contexts.len()
                && running.fed.first().is_some_and(|row| row.len() < window)
                && running
                    .contexts
                    .iter()
                    .zip(contexts)
                    .all(|(old, new)| new.len() == old.len() + 1 && new.starts_with(old))
        });
        match (grew, self.running.as_mut()) {
            (true, Some(running)) => {
                for (row, context) in running.fed.iter_mut().zip(contexts) {
                    row.push(*context.last().unwrap_or(&0));
                }
                running.contexts = contexts.to_vec();
            }
            _ => {
                let keep = window.saturating_sub(SLIDE.min(window / 2)).max(1);
                let tails: Vec<&[u8]> = contexts.iter().map(|c| &c[c.len().saturating_sub(keep)..]).collect();
                let length = tails.iter().map(|t| t.len()).max().unwrap_or(0).max(1);
                let pad = id_of('\n');
                let fed = tails
                    .iter()
                    .map(|tail| std::iter::repeat_n(pad, length - tail.len()).chain(tail.iter().copied()).collect())
                    .collect();
                let cache = self.model.new_cache();
                self.running = Some(Running { contexts: contexts.to_vec(), fed, cache });
            }
        }
        self.running.as_mut().expect("fed just now")
    }
}

impl NextCharacter for Writer<'_> {
    async fn log_probs(&mut self, contexts: &[Vec<u8>]) -> Result<Vec<Vec<f32>>, RunError> {
        if contexts.is_empty() {
            return Ok(Vec::new());
        }
        let (model, device) = (self.model, self.device);
        let running = self.feed(contexts);
        let (batch, length) = (running.fed.len(), running.fed[0].len());
        let ids: Vec<i64> = running.fed.iter().flatten().map(|&id| id as i64).collect();
        let ids = Tensor::<2, Int>::from_data(TensorData::new(ids, [batch, length]), device);
        let logits = model.forward_cached(ids, &mut running.cache);
        rows(log_softmax(logits, 2), "the teacher's reading").await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::text::{VOCABULARY, encode};
    use crate::text_lab::language_model::TransformerSpec;
    use futures_lite::future::block_on;

    const TINY: TransformerSpec = TransformerSpec { context: 8, width: 16, layers: 2, heads: 2 };

    /// The log-probabilities after each row, reading every row whole.
    fn whole(model: &CharTransformer, rows: &[Vec<u8>], device: &Device) -> Vec<Vec<f32>> {
        let (batch, length) = (rows.len(), rows[0].len());
        let ids: Vec<i64> = rows.iter().flatten().map(|&id| id as i64).collect();
        let logits = model.forward(Tensor::from_data(TensorData::new(ids, [batch, length]), device));
        let values = log_softmax(logits, 2).into_data().convert::<f32>().try_to_vec::<f32>().unwrap();
        (0..batch).map(|row| values[((row + 1) * length - 1) * VOCABULARY..][..VOCABULARY].to_vec()).collect()
    }

    #[test]
    fn the_writer_reads_each_new_character_once_and_answers_as_a_whole_reading_of_its_rows() {
        let device = Device::flex();
        let model = TINY.init(3, &device);
        let mut writer = Writer::new(&model, &device);
        let mut contexts = vec![encode("Who").ids, encode("Nay, ans").ids];
        let mut lengths = Vec::new();
        for step in 0..14 {
            let answers = block_on(writer.log_probs(&contexts)).unwrap();
            let running = writer.running.as_ref().unwrap();
            lengths.push(running.fed[0].len());
            let expected = whole(&model, &running.fed, &device);
            for (got, want) in answers.iter().zip(&expected) {
                assert!(got.iter().zip(want).all(|(a, b)| (a - b).abs() < 1e-4), "step {step}");
                let total: f32 = got.iter().map(|l| l.exp()).sum();
                assert!((total - 1.0).abs() < 1e-4, "a distribution: {total}");
            }
            // Each row is its context's tail, left-padded with newlines.
            for (row, context) in running.fed.iter().zip(&contexts) {
                let unpadded = row.iter().skip_while(|&&id| id == id_of('\n')).count();
                assert!(context.ends_with(&row[row.len() - unpadded..]));
            }
            for (context, id) in contexts.iter_mut().zip(encode("xy").ids) {
                context.push(id + step as u8 % 3);
            }
        }
        // Fresh rows of half the window, grown to the full window, then fresh again.
        assert_eq!(lengths, [4, 5, 6, 7, 8, 4, 5, 6, 7, 8, 4, 5, 6, 7]);
    }
}
