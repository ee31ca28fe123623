//! `backend=auto`'s measured choice: on an adapter worth timing, a few steps of the run itself
//! on WebGPU and on the CPU, and the faster kept.

use distill_core::RunError;
use distill_core::burn::prelude::*;
use distill_core::protocol::{BackendKind, BackendReport, FromEngine};
use distill_core::run_spec::{BackendChoice, RunSpec};
use distill_core::scenario::DigitsAssets;

use super::Engine;
use crate::clock::now_ms;
use crate::messages::post;
use crate::run::Run;
use crate::schedule::{RACE_STEPS, RACE_WARMUP_STEPS, faster, race_reason};

impl Engine {
    /// `backend=auto` on a hardware adapter (or with the race hook): times a few steps of this
    /// very run on WebGPU and on the CPU, once per worker, and keeps the faster, saying both rates.
    pub(super) async fn measured_choice(
        &mut self,
        spec: &RunSpec,
        digits: Option<&DigitsAssets>,
        device: Device,
        report: BackendReport,
    ) -> (Device, BackendReport) {
        let eligible = report.kind == BackendKind::WebGpu
            && spec.backend == BackendChoice::Auto
            && (!report.software || spec.hooks.race);
        if !eligible {
            return (device, report);
        }
        if self.raced.is_none() {
            match race(spec, digits, &device).await {
                Ok((webgpu, cpu)) => self.raced = Some((faster(webgpu, cpu), race_reason(webgpu, cpu))),
                Err(why) => post(&FromEngine::Notice(format!("WebGPU and the CPU could not be compared: {why}."))),
            }
        }
        match &self.raced {
            Some((BackendKind::Cpu, reason)) => (
                Device::flex(),
                BackendReport { kind: BackendKind::Cpu, adapter: None, software: false, reason: reason.clone() },
            ),
            Some((BackendKind::WebGpu, reason)) => (device, BackendReport { reason: reason.clone(), ..report }),
            None => (device, report),
        }
    }
}

/// Steps per second of the same run on `gpu` and on the CPU, each timed after a warm-up and
/// waited for by a read-back.
async fn race(spec: &RunSpec, digits: Option<&DigitsAssets>, gpu: &Device) -> Result<(f64, f64), RunError> {
    let mut rates = [0.0; 2];
    for (rate, device) in rates.iter_mut().zip([gpu.clone(), Device::flex()]) {
        let (mut run, _) = Run::start(spec.clone(), digits, &device)?;
        run.train(RACE_WARMUP_STEPS);
        run.session.sync().await?;
        let started = now_ms();
        let taken = run.train(RACE_STEPS);
        run.session.sync().await?;
        *rate = taken as f64 / ((now_ms() - started).max(1e-3) / 1000.0);
    }
    Ok((rates[0], rates[1]))
}
