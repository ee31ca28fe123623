//! Plain-data results of a session: what the page, the CLI and the tests read.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// The teacher learns the task from labels.
    Teacher,
    /// The teacher is frozen; student and baseline learn.
    Distill,
}

/// Figures after a given step. Accuracies and agreement are fractions in [0, 1] on held-out points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    pub phase: Phase,
    pub teacher_step: usize,
    /// Student (and baseline) steps taken.
    pub step: usize,
    pub teacher_loss: Option<f32>,
    /// The distilled student's loss terms at its latest step (`loss_soft` includes T²).
    pub loss_soft: Option<f32>,
    pub loss_hard: Option<f32>,
    pub loss_total: Option<f32>,
    /// The baseline's cross-entropy at its latest step.
    pub loss_baseline: Option<f32>,
    pub acc_teacher: f32,
    pub acc_student: f32,
    pub acc_baseline: f32,
    /// How often the student's prediction equals the teacher's on the test points.
    pub agreement: f32,
    pub agreement_baseline: f32,
}

impl Metrics {
    /// False once any loss is NaN or infinite: training has diverged.
    pub fn is_finite(&self) -> bool {
        [self.teacher_loss, self.loss_soft, self.loss_hard, self.loss_total, self.loss_baseline]
            .into_iter()
            .flatten()
            .all(f32::is_finite)
    }
}

/// A model's prediction over a square grid covering the plane [-1, 1]², row by row from the top.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionMap {
    pub resolution: usize,
    pub classes: usize,
    /// Predicted class per cell. Sent as bytes: a typed array crosses `postMessage` in one copy.
    #[serde(with = "serde_bytes")]
    pub class: Vec<u8>,
    /// Confidence per cell: 0 at chance level (1/classes), 255 at certainty.
    #[serde(with = "serde_bytes")]
    pub confidence: Vec<u8>,
}

impl DecisionMap {
    /// Builds the map from row-major probabilities `[cells, classes]`.
    pub fn from_probabilities(probabilities: &[f32], resolution: usize, classes: usize) -> Self {
        let chance = 1.0 / classes as f32;
        let (class, confidence) = probabilities
            .chunks_exact(classes)
            .map(|cell| {
                let (best, p) = cell
                    .iter()
                    .copied()
                    .enumerate()
                    .fold((0, f32::MIN), |acc, (i, p)| if p > acc.1 { (i, p) } else { acc });
                let p = if p.is_finite() { p } else { chance };
                let level = ((p - chance) / (1.0 - chance)).clamp(0.0, 1.0);
                (best as u8, (level * 255.0).round() as u8)
            })
            .unzip();
        Self { resolution, classes, class, confidence }
    }

    /// The grid's cell centres, row-major from the top-left, as `[x, y]` pairs.
    pub fn grid(resolution: usize) -> Vec<f32> {
        let step = 2.0 / resolution as f32;
        (0..resolution)
            .flat_map(|row| {
                let y = 1.0 - (row as f32 + 0.5) * step;
                (0..resolution).flat_map(move |col| [-1.0 + (col as f32 + 0.5) * step, y])
            })
            .collect()
    }
}
