//! Plain-data results of a session: what the page, the CLI and the tests read.

use serde::{Deserialize, Serialize};

use crate::trio::Trio;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// The teacher learns the task from labels.
    Teacher,
    /// The teacher is frozen; student and baseline learn.
    Distill,
}

/// One model's figures on the held-out points, and its latest training loss.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ModelFigures {
    /// A fraction in [0, 1].
    pub accuracy: f32,
    /// Accuracy on each class's test points (NaN-free: a class without test points scores 0).
    pub per_class: Vec<f32>,
    /// Mean cross-entropy with the true labels on the test points, in nats: the same quantity
    /// for all three models, unlike their training losses.
    pub test_ce: f32,
    /// How often its prediction equals the teacher's on the test points (1 for the teacher).
    pub agreement: f32,
    /// Mean KL(teacher ‖ model) over the test points, at temperature 1, in nats (0 for the teacher).
    pub kl: f32,
    /// Its loss at its latest training step: cross-entropy for the teacher and the baseline, the
    /// whole distillation loss for the distilled student.
    pub loss: Option<f32>,
}

/// Figures after a given step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    pub phase: Phase,
    pub teacher_step: usize,
    /// Student (and baseline) steps taken.
    pub step: usize,
    pub models: Trio<ModelFigures>,
    /// The distilled student's loss terms at its latest step (`loss_soft` includes T²); their
    /// weighted sum is `models.student.loss`.
    pub loss_soft: Option<f32>,
    pub loss_hard: Option<f32>,
    /// The bias shift applied to the student's left-out class (0 when none applies), and the
    /// student's accuracy without it.
    pub bias_shift: f32,
    pub acc_student_unshifted: f32,
    pub per_class_student_unshifted: Vec<f32>,
    /// Random queries the frozen teacher has labelled (query mode; 0 otherwise).
    pub queries_answered: usize,
    /// Teacher answers the distilled student has looked at so far (see `Session::answers_used`).
    pub answers_used: usize,
    /// The numbers those answers held (see `Session::numbers_received`).
    pub numbers_received: usize,
    /// Labelled training examples the students own (in query mode, the baseline's alone).
    pub labelled_examples: usize,
    /// The three models' predictions on the test rows given to `Session::watch`.
    pub watched: Vec<Trio<u8>>,
    /// Their logits on those rows: per row, the teacher's, the student's (before any bias shift)
    /// and the baseline's, `classes` values each. The page softens them at any temperature itself.
    pub watched_logits: Vec<Trio<Vec<f32>>>,
}

impl Metrics {
    /// Every training loss reported, as `(what, value)`: what [`crate::divergence`] watches.
    pub fn losses(&self) -> impl Iterator<Item = (&'static str, f32)> + '_ {
        [
            ("teacher", self.models.teacher.loss),
            ("distilled student", self.models.student.loss),
            ("distilled student's soft term", self.loss_soft),
            ("distilled student's hard term", self.loss_hard),
            ("baseline", self.models.baseline.loss),
        ]
        .into_iter()
        .filter_map(|(what, loss)| loss.map(|loss| (what, loss)))
    }
}

/// The predicted class of each row of row-major `logits`, after adding `shift` to one class's logit.
pub fn predictions(logits: &[f32], classes: usize, shift: Option<(usize, f32)>) -> Vec<usize> {
    logits
        .chunks_exact(classes)
        .map(|row| {
            let score = |c: usize| row[c] + shift.filter(|(class, _)| *class == c).map_or(0.0, |(_, by)| by);
            // NaN never wins: a partly diverged row still predicts from its finite logits.
            (0..classes)
                .filter(|&c| !score(c).is_nan())
                .fold(None, |best: Option<usize>, c| match best {
                    Some(b) if score(b) >= score(c) => Some(b),
                    _ => Some(c),
                })
                .unwrap_or(0)
        })
        .collect()
}

/// The fraction of positions where `a` and `b` agree: predictions against labels, or two models'
/// predictions against each other.
pub fn agreement<T: PartialEq>(a: &[T], b: &[T]) -> f32 {
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f32 / a.len().max(1) as f32
}

/// Accuracy on each class's points.
pub fn per_class_accuracy(predicted: &[usize], labels: &[usize], classes: usize) -> Vec<f32> {
    (0..classes)
        .map(|class| {
            let rows: Vec<usize> = (0..labels.len()).filter(|&i| labels[i] == class).collect();
            rows.iter().filter(|&&i| predicted[i] == class).count() as f32 / rows.len().max(1) as f32
        })
        .collect()
}

fn log_softmax(row: &[f32]) -> Vec<f64> {
    let max = row.iter().copied().fold(f32::MIN, f32::max) as f64;
    let log_sum = row.iter().map(|&z| (z as f64 - max).exp()).sum::<f64>().ln();
    row.iter().map(|&z| z as f64 - max - log_sum).collect()
}

/// `softmax(logits / temperature)` for one row, computed stably.
pub fn softmax_at(logits: &[f32], temperature: f32) -> Vec<f32> {
    let temperature = temperature.max(1e-3);
    let max = logits.iter().copied().fold(f32::MIN, f32::max);
    let exps: Vec<f32> = logits.iter().map(|&z| ((z - max) / temperature).exp()).collect();
    let sum: f32 = exps.iter().sum();
    exps.iter().map(|e| e / sum.max(f32::MIN_POSITIVE)).collect()
}

/// Mean cross-entropy `−log softmax(logits)[label]` over the rows of row-major `logits`.
pub fn mean_cross_entropy(logits: &[f32], labels: &[usize], classes: usize) -> f32 {
    let total: f64 = logits.chunks_exact(classes).zip(labels).map(|(row, &label)| -log_softmax(row)[label]).sum();
    (total / labels.len().max(1) as f64) as f32
}

/// Mean KL(softmax(teacher) ‖ softmax(model)) over the rows of two row-major logit arrays.
pub fn mean_kl(teacher_logits: &[f32], model_logits: &[f32], classes: usize) -> f32 {
    let rows = teacher_logits.len() / classes;
    let total: f64 = teacher_logits
        .chunks_exact(classes)
        .zip(model_logits.chunks_exact(classes))
        .map(|(t, m)| {
            let (t, m) = (log_softmax(t), log_softmax(m));
            t.iter().zip(&m).map(|(lt, lm)| lt.exp() * (lt - lm)).sum::<f64>()
        })
        .sum();
    (total / rows.max(1) as f64) as f32
}

/// The automatic bias shift (see [`crate::BiasShift::Auto`]): of the shifts 0, 0.1, …, 10 for
/// `class`, those that classify the calibration points best; the middle one of them.
pub fn fit_bias_shift(logits: &[f32], labels: &[usize], classes: usize, class: usize) -> f32 {
    let candidates: Vec<f32> = (0..=100).map(|i| i as f32 / 10.0).collect();
    let scores: Vec<f32> =
        candidates.iter().map(|&by| agreement(&predictions(logits, classes, Some((class, by))), labels)).collect();
    let best = scores.iter().copied().fold(0.0, f32::max);
    let winners: Vec<f32> = candidates.iter().zip(&scores).filter(|(_, s)| **s == best).map(|(c, _)| *c).collect();
    winners[winners.len() / 2]
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
    /// The share of cells where two maps predict the same class.
    pub fn agreement(&self, other: &DecisionMap) -> f32 {
        agreement(&self.class, &other.class)
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shift_moves_predictions_toward_its_class() {
        let logits = [2.0, 1.0, 0.0, 0.5, 3.0, 2.5];
        assert_eq!(predictions(&logits, 3, None), vec![0, 1]);
        assert_eq!(predictions(&logits, 3, Some((2, 2.5))), vec![2, 2]);
        assert_eq!(predictions(&[f32::NAN, 1.0], 2, None), vec![1]);
    }

    #[test]
    fn per_class_accuracy_counts_each_class_apart() {
        assert_eq!(per_class_accuracy(&[0, 1, 1, 2], &[0, 1, 0, 1], 3), vec![0.5, 0.5, 0.0]);
    }

    #[test]
    fn softmax_at_a_higher_temperature_is_softer_and_sums_to_one() {
        let logits = [4.0, 1.0, 0.0];
        let sharp = softmax_at(&logits, 1.0);
        let soft = softmax_at(&logits, 4.0);
        assert!((sharp.iter().sum::<f32>() - 1.0).abs() < 1e-6 && (soft.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        assert!(soft[0] < sharp[0] && soft[2] > sharp[2]);
        assert!((sharp[0] - 4f32.exp() / (4f32.exp() + 1f32.exp() + 1.0)).abs() < 1e-6);
    }

    #[test]
    fn cross_entropy_matches_a_hand_value() {
        // softmax(0, ln 3) = (0.25, 0.75): −ln 0.75 for label 1, −ln 0.25 for label 0.
        let ce = mean_cross_entropy(&[0.0, 3f32.ln(), 0.0, 3f32.ln()], &[1, 0], 2) as f64;
        assert!((ce - (-(0.75f64.ln()) - 0.25f64.ln()) / 2.0).abs() < 1e-6, "{ce}");
    }

    #[test]
    fn kl_is_zero_for_equal_logits_and_matches_a_hand_value() {
        assert!(mean_kl(&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0], 3).abs() < 1e-7);
        // p = (0.5, 0.5), q = softmax(ln 3, 0) = (0.75, 0.25)
        let expected = 0.5 * (0.5f64 / 0.75).ln() + 0.5 * (0.5f64 / 0.25).ln();
        assert!((mean_kl(&[0.0, 0.0], &[3f32.ln(), 0.0], 2) as f64 - expected).abs() < 1e-6);
    }

    #[test]
    fn the_fitted_shift_recovers_a_class_the_logits_undervalue() {
        // Class 1 is undervalued: shifts strictly between 1.3 and 2.5 classify all four points.
        let labels = [0, 1, 0, 1];
        let logits = [1.0, -1.5, 0.0, -1.0, 0.5, -2.0, -0.5, -1.8];
        let shift = fit_bias_shift(&logits, &labels, 2, 1);
        assert_eq!(predictions(&logits, 2, Some((1, shift))), labels);
        assert!((1.5..=3.0).contains(&shift), "{shift}");
    }
}
