//! The text lab's students: a character MLP over a window of the last characters (after Bengio
//! et al. 2003): each character's embedding, side by side, through one hidden layer to the next
//! character's logits. Small enough to train in a browser tab on the CPU.

use burn::module::Param;
use burn::nn::{Embedding, Linear};
use burn::prelude::*;
use burn::tensor::activation::tanh;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde::{Deserialize, Serialize};

use crate::data::text::{VOCABULARY, id_of};

/// A character MLP's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudentSpec {
    /// Characters it reads.
    pub context: usize,
    pub embedding: usize,
    pub hidden: usize,
}

/// Both students' shape.
pub const STUDENT: StudentSpec = StudentSpec { context: super::STUDENT_CONTEXT, embedding: 16, hidden: 256 };

impl StudentSpec {
    /// A fresh network, its weights drawn from `seed` by our own generator rather than the
    /// device's (shared, and backend-specific): the same seed gives the same network on every
    /// backend, so the two students start alike.
    pub fn init(&self, seed: u64, device: &Device) -> CharMlp {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut uniform = |rows: usize, columns: usize, bound: f32| {
            let values: Vec<f32> = (0..rows * columns).map(|_| rng.random_range(-bound..bound)).collect();
            Param::from_tensor(Tensor::from_data(TensorData::new(values, [rows, columns]), device))
        };
        let linear = |weight: Param<Tensor<2>>, outputs: usize| Linear {
            weight,
            bias: Some(Param::from_tensor(Tensor::zeros([outputs], device))),
        };
        let inputs = self.context * self.embedding;
        let embedding = Embedding { weight: uniform(VOCABULARY, self.embedding, 1.0) };
        let hidden = linear(uniform(inputs, self.hidden, (3.0 / inputs as f32).sqrt()), self.hidden);
        // The output layer starts small, so that the first predictions are near uniform.
        let out = linear(uniform(self.hidden, VOCABULARY, (1.0 / self.hidden as f32).sqrt()), VOCABULARY);
        CharMlp { embedding, hidden, out }
    }

    pub fn label(&self) -> String {
        format!("character MLP ({} characters × {}, {} hidden)", self.context, self.embedding, self.hidden)
    }
}

#[derive(Module, Debug)]
pub struct CharMlp {
    embedding: Embedding,
    hidden: Linear,
    out: Linear,
}

impl CharMlp {
    /// Logits `[batch, VOCABULARY]` of the character after each window (`[batch, context]`).
    pub fn forward(&self, windows: Tensor<2, Int>) -> Tensor<2> {
        let [batch, context] = windows.dims();
        let width = self.embedding.weight.shape()[1];
        let x = self.embedding.forward(windows).reshape([batch, context * width]);
        self.out.forward(tanh(self.hidden.forward(x)))
    }
}

/// The `context` characters of `text` before `end`, as ids, newlines standing in before its start.
pub fn window(text: &[u8], end: usize, context: usize, into: &mut Vec<i64>) {
    let start = end.saturating_sub(context);
    let padding = context - (end - start);
    into.extend(std::iter::repeat_n(id_of('\n') as i64, padding));
    into.extend(text[start..end].iter().map(|&id| id as i64));
}
