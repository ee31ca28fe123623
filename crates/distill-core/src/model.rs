//! One MLP type serves the teacher and both students.

use crate::config::MlpSpec;
use burn::module::{Module, Param};
use burn::nn::Linear;
use burn::prelude::*;
use burn::store::ModuleRecord;
use burn::tensor::activation::relu;
use burn::tensor::{Bytes, FloatDType};
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

    /// The weights in Burn's burnpack record format, stored in half precision: half the bytes, at
    /// no cost to the predictions that matter here.
    pub fn to_bytes(&self) -> Result<Vec<u8>, String> {
        let half = |param: &Param<Tensor<2>>| Param::from_tensor(param.val().cast(FloatDType::F16));
        let half_bias = |param: &Param<Tensor<1>>| Param::from_tensor(param.val().cast(FloatDType::F16));
        let layers = self
            .valid()
            .layers
            .iter()
            .map(|layer| Linear { weight: half(&layer.weight), bias: layer.bias.as_ref().map(half_bias) })
            .collect();
        let record = Mlp { layers }.into_record();
        Ok(record.into_bytes().map_err(|e| format!("the weights could not be written: {e}"))?.to_vec())
    }

    /// Reads weights written by [`Mlp::to_bytes`] into a network of shape `spec` on `device`.
    /// A damaged file or one for another shape is an error that says so.
    pub fn from_bytes(spec: &MlpSpec, bytes: &[u8], device: &Device) -> Result<Mlp, String> {
        let record = ModuleRecord::from_bytes(Bytes::from_bytes_vec(bytes.to_vec()))
            .map_err(|e| format!("the weights file is damaged or not a Burn record ({e})"))?
            .cast_to_module_dtype();
        spec.init(0, device)
            .try_load_record(record)
            .map_err(|e| format!("the weights file does not fit a {} network ({e})", spec.label()))
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
