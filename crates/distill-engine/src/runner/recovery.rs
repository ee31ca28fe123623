//! A lost GPU: the run goes on on the CPU from its last checkpoint, or stops with a message.

use distill_core::burn::prelude::*;
use distill_core::protocol::{BackendKind, BackendReport, FromEngine};

use super::Engine;
use crate::backend;
use crate::messages::post;

impl Engine {
    pub(super) fn on_gpu(&self) -> bool {
        self.backend.as_ref().is_some_and(|b| b.kind == BackendKind::WebGpu)
    }

    /// False when training cannot go on: the GPU was lost and the run could not move to the
    /// CPU (then the page has the message). A run that moved is usable.
    pub(super) fn gpu_usable(&mut self) -> bool {
        let Some(why) = backend::device_lost().filter(|_| self.on_gpu()) else { return true };
        if self.continue_on_cpu(&why) {
            return true;
        }
        self.gpu_lost = true;
        self.wgpu = None;
        self.run = None;
        self.fail(format!(
            "The GPU stopped working ({why}) before any state could be saved from it. Press Reset to \
             start again on the CPU."
        ));
        false
    }

    /// After the GPU failed with `why`: the run continues on the CPU from its last checkpoint,
    /// with a notice. The page keeps its curves: no `Ready` is sent.
    pub(super) fn continue_on_cpu(&mut self, why: &str) -> bool {
        if !self.on_gpu() {
            return false;
        }
        let digits = self.digits.clone();
        let Some(run) = self.run.as_mut() else { return false };
        let Ok((teacher_step, step)) = run.resume_on(digits.as_deref(), &Device::flex()) else { return false };
        post(&FromEngine::Notice(format!(
            "The GPU stopped working ({why}). Training goes on on the CPU from the last state saved from the \
             GPU (teacher step {teacher_step}, student step {step}); the curves so far are kept."
        )));
        let report = BackendReport {
            kind: BackendKind::Cpu,
            adapter: None,
            software: false,
            reason: "the WebGPU device was lost; training continues on the CPU (reload the page to try the GPU again)"
                .into(),
        };
        post(&FromEngine::Backend(report.clone()));
        self.backend = Some(report);
        self.wgpu = None;
        self.gpu_lost = true;
        true
    }
}
