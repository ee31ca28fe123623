//! The self-check before a run trains on WebGPU: the figures of one step of the run's own models
//! on WebGPU and on the CPU, and whether they agree. On the web a shader that fails the browser's
//! validation is only logged and its dispatch skipped, so a broken kernel shows no error, only
//! numbers that are wrong (stale memory); this is how the page finds out. Plain Rust, tested
//! natively.

use std::ops::Not;

use distill_core::Metrics;

/// How far WebGPU's figures may land from the CPU's: f32 sums in another order differ in their
/// last digits, and Adam's first step, nearly ±lr per weight, turns a gradient of either sign
/// near zero into twice the learning rate; a skipped kernel is off by far more.
pub const LOSS_TOLERANCE: f32 = 1e-2;
pub const WEIGHT_TOLERANCE: f32 = 5e-2;

/// Weights read from each network after the step.
pub const WEIGHTS_READ: usize = 16;

/// What one step left behind, on one backend.
#[derive(Debug, Clone, PartialEq)]
pub struct StepFigures {
    /// Each model's test cross-entropy, and its training loss where it has one.
    pub losses: Vec<f32>,
    /// The first weights of each network's first and last layers.
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
}

/// `Ok` when WebGPU's figures are the CPU's within the tolerances; otherwise the first that is
/// not, in words.
pub fn agree(webgpu: &StepFigures, cpu: &StepFigures) -> Result<(), String> {
    if webgpu.losses.len() != cpu.losses.len() || webgpu.weights.len() != cpu.weights.len() {
        return Err("WebGPU and the CPU reported different figures".into());
    }
    // NaN is never near anything.
    let far = |a: f32, b: f32, tolerance: f32| (a - b).abs().le(&(tolerance * b.abs().max(1.0))).not();
    if let Some((a, b)) = webgpu.losses.iter().zip(&cpu.losses).find(|(a, b)| far(**a, **b, LOSS_TOLERANCE)) {
        return Err(format!("a loss after one step is {a:.4} on WebGPU and {b:.4} on the CPU"));
    }
    if let Some((a, b)) = webgpu.weights.iter().zip(&cpu.weights).find(|(a, b)| far(**a, **b, WEIGHT_TOLERANCE)) {
        return Err(format!("a weight after one step is {a:.4} on WebGPU and {b:.4} on the CPU"));
    }
    Ok(())
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
        let webgpu = figures(&[0.72152, 2.3021, 0.0501], &[0.1002, -0.2499, 0.002]);
        assert_eq!(agree(&webgpu, &cpu), Ok(()));
    }

    #[test]
    fn a_wrong_loss_or_weight_or_a_missing_figure_does_not() {
        let cpu = figures(&[0.7215, 2.302], &[0.1, -0.25]);
        let error = agree(&figures(&[0.7215, 2.5], &[0.1, -0.25]), &cpu).unwrap_err();
        assert!(error.contains("2.5000 on WebGPU and 2.3020 on the CPU"), "{error}");
        assert!(agree(&figures(&[0.7215, 2.302], &[0.1, 0.0]), &cpu).unwrap_err().contains("weight"));
        assert!(agree(&figures(&[0.7215, f32::NAN], &[0.1, -0.25]), &cpu).is_err(), "stale memory may hold NaN");
        assert!(agree(&figures(&[0.7215], &[0.1, -0.25]), &cpu).is_err());
        assert!(agree(&cpu.clone().spoiled(), &cpu).is_err(), "what debug=gpu-wrong fakes is caught");
    }
}
