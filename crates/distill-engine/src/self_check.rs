//! The self-check before a run trains on WebGPU: the figures of one step of the run's own models
//! on WebGPU and on the CPU, and whether they agree. On the web a shader that fails the browser's
//! validation is only logged and its dispatch skipped, so a broken kernel shows no error, only
//! numbers that are wrong (stale memory); this is how the page finds out. Plain Rust, tested
//! natively.

use std::ops::Not;

use distill_core::Metrics;

/// How far a loss after the step may land from the CPU's, relative to it: f32 sums in another
/// order differ in their last digits; a skipped forward kernel is off by far more.
pub const LOSS_TOLERANCE: f32 = 1e-2;

/// How far a weight may land from the CPU's, as a share of the learning rate: Adam's first step
/// moves a weight by up to the learning rate (a gradient well below Adam's ε moves it by little,
/// whatever its sign), so a skipped update, or one of the wrong sign, is off by about as much.
pub const WEIGHT_TOLERANCE: f32 = 0.25;

/// Weights read from each network after the step.
pub const WEIGHTS_READ: usize = 16;

/// What one step left behind, on one backend.
#[derive(Debug, Clone, PartialEq)]
pub struct StepFigures {
    /// Each model's test cross-entropy, and its training loss where it has one.
    pub losses: Vec<f32>,
    /// The first weights of each network's first and last layers (in the text lab, each
    /// student's first logits after a probe).
    pub weights: Vec<f32>,
}

impl StepFigures {
    pub fn new(metrics: &Metrics, weights: Vec<f32>) -> Self {
        let models = [&metrics.models.teacher, &metrics.models.student, &metrics.models.baseline];
        let mut losses: Vec<f32> = models.iter().map(|model| model.test_ce).collect();
        losses.extend(models.iter().filter_map(|model| model.loss));
        StepFigures { losses, weights }
    }

    /// As a kernel skipped by the browser would leave them (`debug=gpu-wrong`).
    pub fn spoiled(mut self) -> Self {
        self.losses.iter_mut().for_each(|loss| *loss += 1.0);
        self
    }

    fn finite(&self) -> bool {
        self.losses.iter().chain(&self.weights).all(|value| value.is_finite())
    }
}

/// What the comparison says.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    Agree,
    /// WebGPU's figures are not the CPU's: the first that is not, in words.
    Disagree(String),
    /// The CPU's own figures are not numbers (a diverging run): nothing to compare with.
    Unknown,
}

/// WebGPU's figures against the CPU's, within the tolerances for a step at `learning_rate`.
pub fn agree(webgpu: &StepFigures, cpu: &StepFigures, learning_rate: f32) -> Verdict {
    if !cpu.finite() {
        return Verdict::Unknown;
    }
    if webgpu.losses.len() != cpu.losses.len() || webgpu.weights.len() != cpu.weights.len() {
        return Verdict::Disagree("WebGPU and the CPU reported different figures".into());
    }
    // NaN is never near anything.
    let far = |a: f32, b: f32, tolerance: f32| (a - b).abs().le(&tolerance).not();
    let losses = webgpu.losses.iter().zip(&cpu.losses);
    if let Some((a, b)) = losses.clone().find(|(a, b)| far(**a, **b, LOSS_TOLERANCE * b.abs().max(1.0))) {
        return Verdict::Disagree(format!("a loss after one step is {a:.4} on WebGPU and {b:.4} on the CPU"));
    }
    let weights = webgpu.weights.iter().zip(&cpu.weights);
    let tolerance = WEIGHT_TOLERANCE * learning_rate + 1e-4;
    if let Some((a, b)) = weights.clone().find(|(a, b)| far(**a, **b, tolerance)) {
        return Verdict::Disagree(format!("a weight after one step is {a:.4} on WebGPU and {b:.4} on the CPU"));
    }
    Verdict::Agree
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(losses: &[f32], weights: &[f32]) -> StepFigures {
        StepFigures { losses: losses.to_vec(), weights: weights.to_vec() }
    }

    #[test]
    fn figures_that_differ_in_their_last_digits_agree() {
        let cpu = figures(&[0.7215, 2.302, 0.05], &[0.1, -0.25, 0.0]);
        let webgpu = figures(&[0.72152, 2.3021, 0.0501], &[0.10002, -0.24999, 0.00001]);
        assert_eq!(agree(&webgpu, &cpu, 0.01), Verdict::Agree);
    }

    #[test]
    fn a_wrong_loss_or_weight_or_a_missing_figure_does_not() {
        let cpu = figures(&[0.7215, 2.302], &[0.1, -0.25]);
        let disagree = |webgpu: &StepFigures| matches!(agree(webgpu, &cpu, 0.01), Verdict::Disagree(_));
        let Verdict::Disagree(why) = agree(&figures(&[0.7215, 2.5], &[0.1, -0.25]), &cpu, 0.01) else { panic!() };
        assert!(why.contains("2.5000 on WebGPU and 2.3020 on the CPU"), "{why}");
        assert!(disagree(&figures(&[0.7215, 2.302], &[0.1, -0.26])), "a step of the learning rate that did not happen");
        assert!(disagree(&figures(&[0.7215, f32::NAN], &[0.1, -0.25])), "stale memory may hold NaN");
        assert!(disagree(&figures(&[0.7215], &[0.1, -0.25])));
        assert!(disagree(&cpu.clone().spoiled()), "what debug=gpu-wrong fakes is caught");
    }

    #[test]
    fn a_cpu_run_that_diverges_decides_nothing() {
        let cpu = figures(&[f32::INFINITY, 2.3], &[0.1]);
        assert_eq!(agree(&figures(&[f32::INFINITY, 2.3], &[0.1]), &cpu, 100.0), Verdict::Unknown);
    }
}
