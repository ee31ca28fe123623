//! One model that learns: its network, optimizer, batch order and latest loss, and the one step
//! that moves it. Teacher, distilled student and baseline are three of these.

use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer, SgdConfig, momentum::MomentumConfig};
use burn::prelude::*;

use super::batches::BatchOrder;
use crate::config::OptimizerKind;
use crate::model::Mlp;

pub struct Learner {
    pub model: Mlp,
    optimizer: ModuleOptimizer,
    pub order: BatchOrder,
    learning_rate: f64,
    /// Optimizer steps taken.
    pub steps: usize,
    /// The latest step's loss, kept on the device until the next read-back.
    pub last_loss: Option<Tensor<1>>,
}

pub fn optimizer(kind: OptimizerKind) -> ModuleOptimizer {
    match kind {
        OptimizerKind::Adam => AdamConfig::new().init(),
        OptimizerKind::Sgd => SgdConfig::new().with_momentum(Some(MomentumConfig::new().with_dampening(0.0))).init(),
    }
}

impl Learner {
    pub fn new(model: Mlp, optimizer_kind: OptimizerKind, order: BatchOrder, learning_rate: f64) -> Self {
        Self { model, optimizer: optimizer(optimizer_kind), order, learning_rate, steps: 0, last_loss: None }
    }

    /// Learns on from `model` instead: the optimizer's running estimates belong to the old
    /// network, so they start afresh, while the step count and the batch order go on.
    pub fn replace_model(&mut self, model: Mlp, optimizer_kind: OptimizerKind) {
        self.model = model;
        self.optimizer = optimizer(optimizer_kind);
        self.last_loss = None;
    }

    /// One optimizer step on the next batch. `loss` gives the model's loss on the batch's rows
    /// (and whatever else the caller wants back); only this model's parameters receive its
    /// gradients.
    pub fn step<R>(&mut self, loss: impl FnOnce(&Mlp, &[usize]) -> (Tensor<1>, R)) -> R {
        let rows = self.order.next_batch();
        let (loss, extra) = loss(&self.model, &rows);
        self.last_loss = Some(loss.clone().detach());
        descend(&mut self.model, &mut self.optimizer, loss, self.learning_rate);
        self.steps += 1;
        extra
    }
}

/// One optimizer step on `model` along the gradients of `loss`.
pub fn descend(model: &mut Mlp, optimizer: &mut ModuleOptimizer, loss: Tensor<1>, learning_rate: f64) {
    let grads = GradientsParams::from_grads(loss.backward(), model);
    // The optimizer consumes the module it updates.
    let current = std::mem::replace(model, Mlp::empty());
    *model = optimizer.step(learning_rate, current, grads);
}
