//! The optimizer step shared by every model that learns: teacher, student and baseline.

use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer, SgdConfig, momentum::MomentumConfig};
use burn::prelude::*;

use crate::config::OptimizerKind;
use crate::model::Mlp;

pub fn optimizer(kind: OptimizerKind) -> ModuleOptimizer {
    match kind {
        OptimizerKind::Adam => AdamConfig::new().init(),
        OptimizerKind::Sgd => SgdConfig::new().with_momentum(Some(MomentumConfig::new().with_dampening(0.0))).init(),
    }
}

/// One optimizer step on `model` along the gradients of `loss`, which only this model's
/// parameters receive.
pub fn descend(model: &mut Mlp, optimizer: &mut ModuleOptimizer, loss: Tensor<1>, learning_rate: f64) {
    let grads = GradientsParams::from_grads(loss.backward(), model);
    // The optimizer consumes the module it updates.
    let current = std::mem::replace(model, Mlp::empty());
    *model = optimizer.step(learning_rate, current, grads);
}
