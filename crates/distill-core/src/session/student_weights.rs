//! The distilled student's weights as a file and back: what the page exports beside its
//! settings file, and what the shell loads to check or continue a student.

#[cfg(feature = "flex")]
use burn::prelude::Device;

use super::Session;
use crate::error::RunError;
use crate::model::Mlp;
#[cfg(feature = "flex")]
use crate::model::Precision;

impl Session {
    /// The distilled student's weights in Burn's burnpack record format, at full precision, so
    /// that they load back to exactly the same predictions.
    ///
    /// Writing a record reads every tensor back synchronously, which WebGPU in a browser cannot
    /// do: the weights come back in one asynchronous read and are written from a copy of the
    /// network on the CPU backend (hence the `flex` feature).
    #[cfg(feature = "flex")]
    pub async fn student_weights(&self) -> Result<Vec<u8>, RunError> {
        let weights = self.learners.student.model.read_weights().await?;
        let on_cpu = Mlp::from_weights(&self.specs().student, &weights, &Device::flex())?;
        on_cpu.to_bytes(Precision::Full).map_err(RunError::SavedState)
    }

    /// Replaces the distilled student with weights written by [`Session::student_weights`] (or
    /// a half-precision file of the same shape). Its optimizer starts afresh and its latest loss
    /// is forgotten; its step count stays. A damaged file, or one of another shape, is an error
    /// that says so and changes nothing.
    pub fn load_student(&mut self, bytes: &[u8]) -> Result<(), RunError> {
        let spec = self.specs().student;
        let student = Mlp::from_bytes(&spec, bytes, &self.device)
            .map_err(|e| RunError::SavedState(format!("the student's weights cannot be loaded: {e}")))?;
        self.learners.student.replace_model(student, self.config.optimizer);
        self.last_terms = None;
        Ok(())
    }
}
