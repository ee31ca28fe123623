//! Where a session stands, copied to the host: a session continues from it on any device, with
//! the same step counts, weights and batch order (a lost GPU hands its run to the CPU this way).

use serde::{Deserialize, Serialize};

use super::Session;
use super::batches::BatchOrder;
use crate::error::RunError;
use crate::model::{Mlp, MlpWeights};
use crate::trio::Trio;

/// The optimizers' running averages are not kept, so Adam restarts its estimates there.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Checkpoint {
    weights: Trio<MlpWeights>,
    orders: Trio<BatchOrder>,
    steps: Trio<usize>,
    frozen: bool,
    watched: Vec<usize>,
}

impl Checkpoint {
    /// As bytes, to move the run to another engine (a worker with its own memory).
    pub fn to_bytes(&self) -> Result<Vec<u8>, RunError> {
        bincode::serialize(self).map_err(|e| RunError::SavedState(format!("the saved state could not be written: {e}")))
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, RunError> {
        bincode::deserialize(bytes).map_err(|e| RunError::SavedState(format!("the saved state is unreadable: {e}")))
    }

    pub fn teacher_step(&self) -> usize {
        self.steps.teacher
    }

    pub fn step(&self) -> usize {
        self.steps.student
    }
}

impl Session {
    /// Copies the session's state to the host (one read-back per network).
    pub async fn checkpoint(&self) -> Result<Checkpoint, RunError> {
        let learners = &self.learners;
        Ok(Checkpoint {
            weights: Trio::new(
                learners.teacher.model.read_weights().await?,
                learners.student.model.read_weights().await?,
                learners.baseline.model.read_weights().await?,
            ),
            orders: learners.as_ref().map(|learner| learner.order.clone()),
            steps: learners.as_ref().map(|learner| learner.steps),
            frozen: self.transfer.is_some(),
            watched: self.watched.clone(),
        })
    }

    /// Continues from `checkpoint`, which must come from a session built from the same settings
    /// and data as this fresh one (on any device).
    pub fn restore(&mut self, checkpoint: &Checkpoint) -> Result<(), RunError> {
        let specs = self.specs();
        for (role, spec) in specs.iter() {
            let learner = &mut self.learners[role];
            learner.model = Mlp::from_weights(spec, &checkpoint.weights[role], &self.device)?;
            learner.order = checkpoint.orders[role].clone();
            learner.steps = checkpoint.steps[role];
            learner.last_loss = None;
        }
        self.watched = checkpoint.watched.clone();
        // A frozen teacher never changes: a fresh session that starts frozen (with a shipped
        // teacher) already holds its answers; otherwise they come from the restored teacher.
        if checkpoint.frozen && self.transfer.is_none() {
            self.freeze_teacher();
        }
        Ok(())
    }
}
