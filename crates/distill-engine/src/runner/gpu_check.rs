//! The self-check before a run trains on WebGPU (see `crate::self_check`): one step of the run
//! itself on WebGPU and on the CPU, once per lab and worker (the text lab's students too). Figures that disagree leave the run
//! on the CPU, with a notice that names the adapter.

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
use crate::self_check::{StepFigures, WEIGHTS_READ, agree};

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

    /// Runs `check` the first time a lab meets WebGPU in this worker, and keeps its verdict.
    async fn on_check(
        &mut self,
        spec: &RunSpec,
        device: Device,
        report: BackendReport,
        check: impl Future<Output = Result<(), String>>,
    ) -> (Device, BackendReport) {
        if report.kind != BackendKind::WebGpu {
            return (device, report);
        }
        let lab = spec.scenario.scenario();
        let verdict = match self.gpu_checks.iter().find(|(checked, _)| *checked == lab) {
            Some((_, verdict)) => verdict.clone(),
            None => {
                let verdict = check.await;
                self.gpu_checks.push((lab, verdict.clone()));
                verdict
            }
        };
        let Err(why) = verdict else { return (device, report) };
        let adapter = report.adapter.clone().unwrap_or_else(|| "this WebGPU adapter".into());
        // A link that asked for WebGPU is told why not by `announce`, with the reason below.
        if spec.backend != BackendChoice::WebGpu {
            post(&FromEngine::Notice(format!(
                "The GPU self-check failed on {adapter}: {why}. This run trains on the CPU instead, so its numbers are right."
            )));
        }
        let reason = format!("WebGPU ({adapter}) failed the self-check: {why}");
        (Device::flex(), BackendReport { kind: BackendKind::Cpu, adapter: None, software: false, reason })
    }
}

/// WebGPU's figures (spoiled with `debug=gpu-wrong`) against the CPU's.
fn compared(
    spec: &RunSpec,
    webgpu: Result<StepFigures, RunError>,
    cpu: Result<StepFigures, RunError>,
) -> Result<(), String> {
    let webgpu = webgpu.map_err(|why| format!("its first step failed ({why})"))?;
    let webgpu = if spec.hooks.gpu_wrong { webgpu.spoiled() } else { webgpu };
    agree(&webgpu, &cpu.map_err(|why| why.to_string())?)
}

/// `Ok` when one step of `spec`'s run gives the same figures on `gpu` as on the CPU.
async fn check(spec: &RunSpec, digits: Option<&DigitsAssets>, gpu: &Device) -> Result<(), String> {
    let webgpu = step_figures(spec, digits, gpu).await;
    compared(spec, webgpu, step_figures(spec, digits, &Device::flex()).await)
}

/// `Ok` when one step of `spec`'s text run gives the same figures on `gpu` as on the CPU.
async fn check_text(spec: &RunSpec, assets: &TextAssets, gpu: &Device) -> Result<(), String> {
    let webgpu = text_step_figures(spec, assets, gpu).await;
    compared(spec, webgpu, text_step_figures(spec, assets, &Device::flex()).await)
}

/// The held-out losses and soft term after one step of `spec`'s text run on `device`, and the
/// students' first logits after a probe: the text lab's networks hold no `Mlp` to read.
async fn text_step_figures(spec: &RunSpec, assets: &TextAssets, device: &Device) -> Result<StepFigures, RunError> {
    let mut run = TextRun::build(spec, assets, device)?;
    run.train(1).await?;
    run.measure().await?;
    let figures = run.figures().await?;
    let probe = encode("\nTo be, or not to be").ids;
    let (distilled, baseline) = run.session.student_logits(&[probe]).await?;
    let losses = vec![figures.held_out.student, figures.held_out.baseline, figures.soft.unwrap_or(0.0)];
    let weights = distilled.iter().chain(&baseline).take(2 * WEIGHTS_READ).copied().collect();
    Ok(StepFigures { losses, weights })
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
