//! The digits lab as the paper's experiments run it: one session per call, counted and timed.

use std::time::Instant;

use crate::scenario;
use distill_core::Metrics;
use distill_core::burn::prelude::Device;
use distill_core::params::Params;
use distill_core::run_spec::Scenario;
use distill_core::scenario::DigitsAssets;
use distill_core::{AnswerKind, Transfer};

pub struct Lab {
    pub assets: DigitsAssets,
    pub device: Device,
    pub steps: usize,
    pub test: usize,
    pub runs: usize,
    pub started: Instant,
}

impl Lab {
    /// One session with the digits defaults and these overrides.
    pub fn run(&mut self, overrides: &[(&str, String)]) -> Result<Metrics, String> {
        let mut params = paper_params();
        params.max_steps = self.steps;
        for (name, value) in overrides {
            if let Some(notice) = params.set(name, value) {
                return Err(notice);
            }
        }
        let mut session = scenario::session(&params, Some(&self.assets), &self.device)?;
        let metrics = scenario::train(&mut session, self.steps, self.steps, |_, _| {})?;
        self.runs += 1;
        eprintln!("  run {:>3} ({:.0} s): {overrides:?}", self.runs, self.started.elapsed().as_secs_f32());
        Ok(metrics)
    }

    pub fn errors(&self, accuracy: f32) -> f64 {
        ((1.0 - accuracy as f64) * self.test as f64).round()
    }
}

/// The paper's setting: both students learn from all the training digits, with their labels, at
/// the step these tables were first measured with, and the teacher's whole distribution (the
/// newcomer's default instead gives them a few labels and the distilled one the teacher's answers
/// to its queries).
pub fn paper_params() -> Params {
    let mut params = Params::for_scenario(Scenario::Digits);
    (params.transfer, params.transfer_size, params.lr) = (Transfer::Train, 0, 0.001);
    params.answers = AnswerKind::Full;
    params
}
