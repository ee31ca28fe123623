//! One MLP type serves the teacher and both students.

use burn::module::{Module, Param};
use burn::nn::Linear;
use burn::prelude::*;
use burn::tensor::activation::relu;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde::{Deserialize, Serialize};

/// The shape of an MLP: inputs, hidden widths (ReLU after each), output classes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MlpSpec {
    pub inputs: usize,
    pub hidden: Vec<usize>,
    pub classes: usize,
}

impl MlpSpec {
    pub fn new(inputs: usize, hidden: Vec<usize>, classes: usize) -> Self {
        Self { inputs, hidden, classes }
    }

    /// Layer widths from input to output, e.g. `[2, 64, 64, 2]`.
    pub fn widths(&self) -> Vec<usize> {
        std::iter::once(self.inputs)
            .chain(self.hidden.iter().copied())
            .chain(std::iter::once(self.classes))
            .collect()
    }

    /// Weights and biases, counted without building the model.
    pub fn num_params(&self) -> usize {
        self.widths().windows(2).map(|w| w[0] * w[1] + w[1]).sum()
    }

    /// Written as the product's docs write it: `2-64-64-2`.
    pub fn label(&self) -> String {
        self.widths().iter().map(usize::to_string).collect::<Vec<_>>().join("-")
    }

    /// Initial weights come from our own seeded generator rather than the device's, so that the
    /// same seed gives the same network on every backend.
    pub fn init(&self, seed: u64, device: &Device) -> Mlp {
        let mut rng = StdRng::seed_from_u64(seed);
        let widths = self.widths();
        let last = widths.len() - 2;
        let layers = widths
            .windows(2)
            .enumerate()
            .map(|(index, w)| {
                let (fan_in, fan_out) = (w[0], w[1]);
                // He-uniform suits the ReLU layers; the output layer starts smaller so that the
                // first predictions are near uniform.
                let gain = if index == last { 1.0 } else { 6.0 };
                let bound = (gain / fan_in as f32).sqrt();
                let weights: Vec<f32> =
                    (0..fan_in * fan_out).map(|_| rng.random_range(-bound..bound)).collect();
                Linear {
                    weight: Param::from_tensor(Tensor::from_data(
                        TensorData::new(weights, [fan_in, fan_out]),
                        device,
                    )),
                    bias: Some(Param::from_tensor(Tensor::zeros([fan_out], device))),
                }
            })
            .collect();
        Mlp { layers }
    }
}

#[derive(Module, Debug)]
pub struct Mlp {
    layers: Vec<Linear>,
}

impl Mlp {
    /// A network with no layers: the optimizer consumes the module it updates, and this stands in
    /// meanwhile.
    pub(crate) fn empty() -> Self {
        Self { layers: Vec::new() }
    }

    /// Logits, `[batch, classes]`.
    pub fn forward(&self, input: Tensor<2>) -> Tensor<2> {
        let last = self.layers.len() - 1;
        self.layers.iter().enumerate().fold(input, |x, (index, layer)| {
            let x = layer.forward(x);
            if index == last { x } else { relu(x) }
        })
    }
}
