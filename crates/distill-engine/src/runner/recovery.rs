//! A lost GPU: the run goes on on the CPU from its last checkpoint, or stops with a message. The
//! WebGPU engine hands the checkpoint to the page, which starts a CPU engine to take the run
//! over (freeing the WebGPU engine's memory); the CPU engine resumes it here.

use distill_core::burn::prelude::*;
use distill_core::protocol::{BackendKind, BackendReport, FromEngine, Status};
use distill_core::run_spec::ScenarioSpec;
use distill_core::transport::{FromWorker, Handover};
use distill_core::{Checkpoint, RunError};

use super::Engine;
use crate::backend;
use crate::messages::{post, post_to_host};
use crate::run::Run;

fn lost_gpu_report() -> BackendReport {
    BackendReport {
        kind: BackendKind::Cpu,
        adapter: None,
        software: false,
        reason: "the WebGPU device was lost; training continues on the CPU (reload the page to try the GPU again)"
            .into(),
    }
}

fn lost_gpu_notice(why: &str, teacher_step: usize, step: usize) -> String {
    format!(
        "The GPU stopped working ({why}). Training goes on on the CPU from the last state saved from the GPU \
         (teacher step {teacher_step}, student step {step}); the curves so far are kept."
    )
}

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
        self.placement.lose_gpu();
        self.wgpu = None;
        self.run = None;
        self.text = None;
        self.fail(RunError::Device(format!(
            "The GPU stopped working ({why}) before any state could be saved from it. Press Reset to \
             start again on the CPU."
        )));
        false
    }

    /// True when `error` means the GPU is gone and the run has moved to the CPU: the caller has
    /// nothing more to do. Every other error leaves the run where it is, for the caller to word.
    pub(super) fn moved_off_lost_gpu(&mut self, error: &RunError) -> bool {
        error.lost_device(backend::device_lost).is_some_and(|why| self.continue_on_cpu(&why))
    }

    /// After the GPU failed with `why`: the run moves to a CPU engine from its last checkpoint.
    /// The page keeps its curves: no `Ready` is sent. Should the checkpoint not cross, the run
    /// goes on on this engine's own CPU backend instead.
    pub(super) fn continue_on_cpu(&mut self, why: &str) -> bool {
        if !self.on_gpu() {
            return false;
        }
        self.wgpu = None;
        self.placement.lose_gpu();
        let play = self.status() == Status::Training;
        let Some(run) = self.run.as_mut() else { return false };
        if let Some(Ok(checkpoint)) = run.checkpoint_bytes() {
            post_to_host(&FromWorker::MoveToCpuEngine(Handover {
                spec: run.spec.clone(),
                checkpoint,
                play,
                why: why.to_string(),
            }));
            // This engine is done: the page ends it once the CPU engine listens, and commands
            // that reach it meanwhile are the CPU engine's to carry out.
            self.run = None;
            self.status = Some(Status::Paused);
            self.placement.leave();
            return true;
        }
        let digits = self.digits.clone();
        let Ok((teacher_step, step)) = run.resume_on(digits.as_deref(), &Device::flex()) else { return false };
        post(&FromEngine::Notice(lost_gpu_notice(why, teacher_step, step)));
        let report = lost_gpu_report();
        post(&FromEngine::Backend(report.clone()));
        self.backend = Some(report);
        true
    }

    /// Takes over a run whose WebGPU engine lost its GPU, from that engine's checkpoint, on the
    /// CPU for good: this engine never asks for the WebGPU engine again.
    pub(super) async fn resume(&mut self, handover: Handover) {
        let Handover { spec, checkpoint, play, why } = handover;
        self.placement.lose_gpu();
        self.placement.keep();
        self.run = None;
        let device = Device::flex();
        let digits = match spec.scenario {
            ScenarioSpec::Digits => match self.digits_assets(&device).await {
                Ok(assets) => Some(assets),
                Err(error) => return self.fail(error),
            },
            ScenarioSpec::Shapes(_) => None,
            // A text run has no checkpoint (a lost GPU ends it), so it is never handed over:
            // start it afresh.
            ScenarioSpec::Text(_) => return self.reset_text(spec).await,
        };
        let resumed = Checkpoint::from_bytes(&checkpoint)
            .and_then(|checkpoint| Run::resumed(spec, digits.as_deref(), &device, &checkpoint));
        let run = match resumed {
            Ok(run) => run,
            Err(e) => {
                return self.fail(e.reworded(|e| {
                    format!(
                        "The GPU stopped working ({why}), and its saved state could not be resumed on the CPU ({e}). \
                         Press Reset to start again."
                    )
                }));
            }
        };
        post(&FromEngine::Notice(lost_gpu_notice(&why, run.session.teacher_step_count(), run.session.step_count())));
        let report = lost_gpu_report();
        post(&FromEngine::Backend(report.clone()));
        self.backend = Some(report);
        self.run = Some(run);
        self.set_status(Status::Paused);
        if self.report(None).await {
            self.send_maps().await;
            if play {
                self.set_status(Status::Training);
            }
        }
    }
}
