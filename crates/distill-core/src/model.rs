//! One MLP type serves the teacher and both students.

use crate::config::MlpSpec;
use crate::error::RunError;
use burn::module::{Module, Param};
use burn::nn::Linear;
use burn::prelude::*;
use burn::store::ModuleRecord;
use burn::tensor::activation::relu;
use burn::tensor::{Bytes, FloatDType, Transaction};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde::{Deserialize, Serialize};

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

/// How finely a weights file stores each number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    /// 16-bit floats: half the bytes, at no cost to the predictions that matter here (the
    /// shipped teacher).
    Half,
    /// 32-bit floats, as trained: a file that loads back to exactly the same predictions (an
    /// exported student).
    Full,
}

/// A network's weights and biases as host data, layer by layer, at full precision: what a
/// checkpoint keeps, and any device can load.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MlpWeights {
    layers: Vec<(TensorData, Option<TensorData>)>,
}

impl MlpWeights {
    /// Up to `count` weights from the start of each of the first and last layers.
    pub fn first(&self, count: usize) -> Vec<f32> {
        let mut values = Vec::new();
        for (weight, _) in self.layers.first().into_iter().chain(self.layers.last()) {
            values.extend(weight.as_slice::<f32>().unwrap_or_default().iter().take(count));
        }
        values
    }
}

impl Mlp {
    /// A network with no layers: the optimizer consumes the module it updates, and this stands in
    /// meanwhile.
    pub(crate) fn empty() -> Self {
        Self { layers: Vec::new() }
    }

    /// The weights in Burn's burnpack record format, at `precision`.
    pub fn to_bytes(&self, precision: Precision) -> Result<Vec<u8>, String> {
        let dtype = match precision {
            Precision::Half => FloatDType::F16,
            Precision::Full => FloatDType::F32,
        };
        let weight = |param: &Param<Tensor<2>>| Param::from_tensor(param.val().cast(dtype));
        let bias = |param: &Param<Tensor<1>>| Param::from_tensor(param.val().cast(dtype));
        let layers = self
            .valid()
            .layers
            .iter()
            .map(|layer| Linear { weight: weight(&layer.weight), bias: layer.bias.as_ref().map(bias) })
            .collect();
        let record = Mlp { layers }.into_record();
        Ok(record.into_bytes().map_err(|e| format!("the weights could not be written: {e}"))?.to_vec())
    }

    /// Reads weights written by [`Mlp::to_bytes`], at either precision, into a network of shape
    /// `spec` on `device`, in the device's float type.
    /// A damaged file or one for another shape is an error that says so.
    pub fn from_bytes(spec: &MlpSpec, bytes: &[u8], device: &Device) -> Result<Mlp, RunError> {
        let record = ModuleRecord::from_bytes(Bytes::from_bytes_vec(bytes.to_vec()))
            .map_err(|e| RunError::SavedState(format!("the weights file is damaged or not a Burn record ({e})")))?
            .cast_to_module_dtype();
        spec.init(0, device).try_load_record(record).map_err(|e| {
            RunError::SavedState(format!("the weights file does not fit a {} network ({e})", spec.label()))
        })
    }

    /// Reads every weight and bias back from the device, in one transaction.
    pub async fn read_weights(&self) -> Result<MlpWeights, RunError> {
        let valid = self.valid();
        let mut transaction = Transaction::default();
        for layer in &valid.layers {
            transaction = transaction.register(layer.weight.val());
            if let Some(bias) = &layer.bias {
                transaction = transaction.register(bias.val());
            }
        }
        let mut data =
            transaction.execute_async().await.map_err(|e| RunError::executing("reading weights", e))?.into_iter();
        // Copied out now: on WebGPU a read-back can still refer to the device's mapped memory,
        // which is gone once the device is lost, and that is when a checkpoint is needed.
        let mut next = || -> Result<TensorData, RunError> {
            let read = data.next().ok_or(RunError::Device("a tensor is missing from the read-back".into()))?;
            let values = read.convert::<f32>();
            let shape = values.shape().clone();
            let values =
                values.try_to_vec::<f32>().map_err(|e| RunError::Device(format!("unreadable weights: {e:?}")))?;
            Ok(TensorData::new(values, shape))
        };
        let mut layers = Vec::new();
        for layer in &valid.layers {
            let weight = next()?;
            let bias = match layer.bias {
                Some(_) => Some(next()?),
                None => None,
            };
            layers.push((weight, bias));
        }
        Ok(MlpWeights { layers })
    }

    /// A network of shape `spec` on `device` holding `weights` (from [`Mlp::read_weights`]).
    pub fn from_weights(spec: &MlpSpec, weights: &MlpWeights, device: &Device) -> Result<Mlp, RunError> {
        let mut mlp = spec.init(0, device);
        let misfit = |what: String| RunError::SavedState(format!("{what} do not fit a {} network", spec.label()));
        if mlp.layers.len() != weights.layers.len() {
            return Err(misfit(format!("{} layers of weights", weights.layers.len())));
        }
        for (layer, (weight, bias)) in mlp.layers.iter_mut().zip(&weights.layers) {
            if *weight.shape() != layer.weight.shape() {
                return Err(misfit(format!("weights of shape {:?}", weight.shape())));
            }
            layer.weight = Param::from_data(weight.clone(), device);
            layer.bias = bias.clone().map(|bias| Param::from_data(bias, device));
        }
        Ok(mlp)
    }

    /// Logits, `[batch, classes]`.
    pub fn forward(&self, input: Tensor<2>) -> Tensor<2> {
        let last = self.layers.len() - 1;
        self.layers.iter().enumerate().fold(input, |x, (index, layer)| {
            let x = linear(layer, x);
            if index == last { x } else { relu(x) }
        })
    }
}

/// `layer` applied to a batch of rows, as `Linear::forward` does, through the MLPs' matrix product.
fn linear(layer: &Linear, x: Tensor<2>) -> Tensor<2> {
    let product = crate::block_matmul::matmul(x, layer.weight.val());
    match &layer.bias {
        Some(bias) => product + bias.val().unsqueeze(),
        None => product,
    }
}
