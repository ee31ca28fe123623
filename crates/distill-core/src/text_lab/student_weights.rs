//! The distilled student of the text lab as a file and back: Burn's record of its weights,
//! which the page exports beside its settings file and loads to check or continue a student.

use burn::module::{Module, ModuleMapper, ModuleVisitor, Param};
use burn::prelude::*;
use burn::store::ModuleRecord;
use burn::tensor::{Bytes, Transaction};

use super::session::TextSession;
use super::student::{CharMlp, STUDENT};
use crate::error::RunError;

/// Registers every float parameter of a module in one read-back, in the module's order.
#[derive(Default)]
struct Gather(Option<Transaction>);

impl ModuleVisitor for Gather {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let transaction = self.0.take().unwrap_or_default();
        self.0 = Some(transaction.register(param.val()));
    }
}

/// Puts read values back into a module of the same shape, in the same order.
struct Scatter {
    values: std::vec::IntoIter<TensorData>,
    device: Device,
    misfit: Option<String>,
}

impl ModuleMapper for Scatter {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        match self.values.next() {
            Some(data) if *data.shape() == param.shape() => {
                Param::from_tensor(Tensor::from_data(data.convert::<f32>(), &self.device))
            }
            other => {
                self.misfit.get_or_insert(format!("a read-back of shape {:?}", other.map(|d| d.shape().clone())));
                param
            }
        }
    }
}

impl CharMlp {
    /// This network on the CPU backend: itself when it is there, else a copy read back in one
    /// asynchronous read (WebGPU in a browser cannot read synchronously).
    #[cfg(feature = "flex")]
    pub async fn on_cpu(&self) -> Result<CharMlp, RunError> {
        let device = Device::flex();
        if self.devices().first() == Some(&device) {
            return Ok(self.clone());
        }
        let mut gather = Gather::default();
        self.visit(&mut gather);
        let transaction = gather.0.unwrap_or_default();
        let values = transaction.execute_async().await.map_err(|e| RunError::executing("reading the student", e))?;
        let mut scatter = Scatter { values: values.into_iter(), device: device.clone(), misfit: None };
        let on_cpu = STUDENT.init(0, &device).map(&mut scatter);
        match scatter.misfit {
            Some(misfit) => Err(RunError::Device(format!("the student could not be copied: {misfit}"))),
            None => Ok(on_cpu),
        }
    }

    /// The weights in Burn's burnpack record format, at full precision, written from the copy
    /// on the CPU.
    #[cfg(feature = "flex")]
    pub async fn to_bytes(&self) -> Result<Vec<u8>, RunError> {
        let bytes = self.on_cpu().await?.into_record().into_bytes().map_err(|e| RunError::SavedState(e.to_string()))?;
        Ok(bytes.to_vec())
    }

    /// Reads weights written by [`CharMlp::to_bytes`] into a student on `device`. A damaged file,
    /// or one of another network, is an error that says so.
    pub fn from_bytes(bytes: &[u8], device: &Device) -> Result<CharMlp, RunError> {
        let record = ModuleRecord::from_bytes(Bytes::from_bytes_vec(bytes.to_vec()))
            .map_err(|e| RunError::SavedState(format!("the weights file is damaged or not a Burn record ({e})")))?
            .cast_to_module_dtype();
        STUDENT
            .init(0, device)
            .try_load_record(record)
            .map_err(|e| RunError::SavedState(format!("the weights file does not fit a {} ({e})", STUDENT.label())))
    }
}

impl TextSession {
    /// The distilled student's weights as a file (see [`CharMlp::to_bytes`]).
    #[cfg(feature = "flex")]
    pub async fn student_weights(&self) -> Result<Vec<u8>, RunError> {
        self.students().0.to_bytes().await
    }

    /// Replaces the distilled student with weights written by [`TextSession::student_weights`]:
    /// its optimizer starts afresh, its step count stays. A damaged file, or one of another
    /// network, is an error that says so and changes nothing.
    pub fn load_student(&mut self, bytes: &[u8]) -> Result<(), RunError> {
        self.replace_distilled(|device| CharMlp::from_bytes(bytes, device))
    }
}
