//! Tensors for the unit tests.

use burn::prelude::*;
use rand::{RngExt, SeedableRng};

/// A `shape` tensor of values drawn uniformly from (−`bound`, `bound`), the same for each `seed`.
pub fn uniform(shape: [usize; 2], bound: f32, seed: u64, device: &Device) -> Tensor<2> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let values: Vec<f32> = (0..shape[0] * shape[1]).map(|_| rng.random_range(-bound..bound)).collect();
    Tensor::from_data(TensorData::new(values, shape), device)
}
