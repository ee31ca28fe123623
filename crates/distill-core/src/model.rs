//! One MLP type serves the teacher and both students.

use crate::config::MlpSpec;
use burn::module::{Module, Param};
use burn::nn::Linear;
use burn::prelude::*;
use burn::tensor::activation::relu;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

impl MlpSpec {
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
                let weights: Vec<f32> = (0..fan_in * fan_out).map(|_| rng.random_range(-bound..bound)).collect();
                Linear {
                    weight: Param::from_tensor(Tensor::from_data(TensorData::new(weights, [fan_in, fan_out]), device)),
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
