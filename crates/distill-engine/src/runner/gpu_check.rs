//! The self-check before a run trains on WebGPU (see `crate::self_check`): one step of the run
//! itself on WebGPU and on the CPU (the text lab's students too), once per setting of the run in
//! this worker. Figures that disagree leave the run on the CPU, and the page names the adapter.

use distill_core::RunError;
use distill_core::burn::prelude::*;
use distill_core::data::text::encode;
use distill_core::protocol::{BackendKind, BackendReport, FromEngine};
use distill_core::run_spec::{BackendChoice, RunSpec};
use distill_core::scenario::DigitsAssets;
use distill_core::text_lab::assets::TextAssets;
use distill_core::text_lab::run::TextRun;

use super::Engine;
use crate::messages::post;
use crate::run::Run;
use crate::self_check::{StepFigures, Verdict, WEIGHTS_READ, agree};

/// What a check is kept under: the run's settings but its seed and length, which change neither
/// the networks' shapes nor the kernels.
fn checked_settings(spec: &RunSpec) -> RunSpec {
    let mut key = spec.clone();
    key.session.seed = 0;
    key.max_steps = 0;
    key
}

impl Engine {
    /// `device` and `report` when WebGPU's first step agrees with the CPU's (or the run is not on
    /// WebGPU); otherwise the CPU, and the page is told why.
    pub(super) async fn checked_choice(
        &mut self,
        spec: &RunSpec,
        digits: Option<&DigitsAssets>,
        device: Device,
        report: BackendReport,
    ) -> (Device, BackendReport) {
        let check = check(spec, digits, &device);
        self.on_check(spec, device.clone(), report, check).await
    }

    /// The same for the text lab, whose students are what trains on WebGPU (the teacher answers
    /// on the CPU in both runs).
    pub(super) async fn checked_text_choice(
        &mut self,
        spec: &RunSpec,
        assets: &TextAssets,
        device: Device,
        report: BackendReport,
    ) -> (Device, BackendReport) {
        let check = check_text(spec, assets, &device);
        self.on_check(spec, device.clone(), report, check).await
    }

    /// Runs `check` the first time these settings meet WebGPU in this worker; a verdict is kept,
    /// a failed step is not (the next reset checks again).
    async fn on_check(
        &mut self,
        spec: &RunSpec,
        device: Device,
        report: BackendReport,
        check: impl Future<Output = Verdict>,
    ) -> (Device, BackendReport) {
        if report.kind != BackendKind::WebGpu {
            return (device, report);
        }
        let key = checked_settings(spec);
        let (verdict, fresh) = match self.gpu_checks.iter().find(|(checked, _)| *checked == key) {
            Some((_, verdict)) => (verdict.clone(), false),
            None => (check.await, true),
        };
        if fresh && matches!(verdict, Verdict::Agree | Verdict::Disagree(_)) {
            self.gpu_checks.push((key, verdict.clone()));
        }
        let Verdict::Disagree(why) = verdict else { return (device, report) };
        let adapter = report.adapter.clone().unwrap_or_else(|| "this WebGPU adapter".into());
        // A link that asked for WebGPU is told why not by `announce`, with the reason below.
        if fresh && spec.backend != BackendChoice::WebGpu {
            post(&FromEngine::Notice(format!(
                "The GPU self-check failed on {adapter}: {why}. This run trains on the CPU instead, so its numbers are right."
            )));
        }
        let reason = format!("WebGPU ({adapter}) failed the self-check: {why}");
        (Device::flex(), BackendReport { kind: BackendKind::Cpu, adapter: None, software: false, reason })
    }
}

/// WebGPU's figures (spoiled with `debug=gpu-wrong`) against the CPU's.
fn compared(spec: &RunSpec, webgpu: Result<StepFigures, RunError>, cpu: Result<StepFigures, RunError>) -> Verdict {
    let webgpu = match webgpu {
        Ok(figures) if spec.hooks.gpu_wrong => figures.spoiled(),
        Ok(figures) => figures,
        Err(why) => return Verdict::Disagree(format!("its first step failed ({why})")),
    };
    let learning_rate = spec.session.learning_rate.max(spec.session.teacher_learning_rate) as f32;
    match cpu {
        Ok(cpu) => agree(&webgpu, &cpu, learning_rate),
        Err(_) => Verdict::Unknown,
    }
}

/// Whether one step of `spec`'s run gives the same figures on `gpu` as on the CPU.
async fn check(spec: &RunSpec, digits: Option<&DigitsAssets>, gpu: &Device) -> Verdict {
    let webgpu = step_figures(spec, digits, gpu).await;
    compared(spec, webgpu, step_figures(spec, digits, &Device::flex()).await)
}

/// Whether one step of `spec`'s text run gives the same figures on `gpu` as on the CPU.
async fn check_text(spec: &RunSpec, assets: &TextAssets, gpu: &Device) -> Verdict {
    let webgpu = text_step_figures(spec, assets, gpu).await;
    compared(spec, webgpu, text_step_figures(spec, assets, &Device::flex()).await)
}

/// The figures after one step of `spec`'s run on `device`.
async fn step_figures(spec: &RunSpec, digits: Option<&DigitsAssets>, device: &Device) -> Result<StepFigures, RunError> {
    let (mut run, _) = Run::start(spec.clone(), digits, device)?;
    run.train(1);
    let metrics = run.session.evaluate().await?;
    let mut weights = run.session.teacher().read_weights().await?.first(WEIGHTS_READ);
    weights.extend(run.session.student().read_weights().await?.first(WEIGHTS_READ));
    Ok(StepFigures::new(&metrics, weights))
}

/// Held-out characters per held-out work the text lab's self-check measures the students on.
const CHECK_CHARS_PER_WORK: usize = 512;

/// The held-out losses and soft term after one step of `spec`'s text run on `device`, and each
/// student's first logits after a probe (the text lab's networks hold no `Mlp` to read).
async fn text_step_figures(spec: &RunSpec, assets: &TextAssets, device: &Device) -> Result<StepFigures, RunError> {
    let mut run = TextRun::build(spec, assets, device)?;
    run.train(1).await?;
    // Enough characters to compare the devices; all of them take seconds on a software adapter.
    run.measure_first(CHECK_CHARS_PER_WORK).await?;
    let figures = run.figures().await?;
    let probe = encode("\nTo be, or not to be").ids;
    let (distilled, baseline) = run.session.student_logits(&[probe]).await?;
    let losses = vec![figures.held_out.student, figures.held_out.baseline, figures.soft.unwrap_or(0.0)];
    let first = |logits: &[f32]| logits.iter().take(WEIGHTS_READ).copied().collect::<Vec<_>>();
    Ok(StepFigures { losses, weights: [first(&distilled), first(&baseline)].concat() })
}
