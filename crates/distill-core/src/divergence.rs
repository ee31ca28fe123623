//! Whether a run has blown up, from the losses it reports, and the one message that says so.
//!
//! A loss that is NaN, infinite or huge has blown up at once. A run pushed by too large a step
//! can also blow up without ever getting there: its losses bounce around far above what a model
//! that knows nothing would score, forever (`lr=100&optimizer=sgd` on the spiral). So a model
//! whose typical recent loss stays far above that "chance" loss has diverged too.

use std::collections::VecDeque;

use crate::config::{OptimizerKind, SessionConfig, Transfer};
use crate::metrics::{Metrics, Phase};
use crate::trio::{Role, Trio};

/// A loss beyond this has blown up. A sane run starts near ln(classes) and even at T = 50 its
/// soft term (which carries T²) stays far below.
pub const BLOWN_UP: f32 = 1e6;
/// How many times its chance loss a model's typical loss may reach...
pub const RISE_FACTOR: f32 = 10.0;
/// ...where "typical" is the median of this many latest reports.
pub const WINDOW: usize = 5;

/// Why a run counts as diverged.
#[derive(Debug, Clone, PartialEq)]
pub struct Divergence {
    /// Which loss: "baseline", "distilled student", …
    pub what: &'static str,
    pub phase: Phase,
    /// The step count of the phase it happened in (the teacher's or the students').
    pub step: usize,
    pub cause: Cause,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cause {
    /// NaN, infinite or beyond [`BLOWN_UP`].
    BlownUp(f32),
    /// The median of the latest [`WINDOW`] reports, above [`RISE_FACTOR`] × `chance`.
    FarAboveChance { median: f32, chance: f32 },
}

/// Watches one session's reports; build a fresh one for each session.
#[derive(Debug, Clone)]
pub struct DivergenceWatch {
    /// The loss of a model that answers every input with the uniform distribution.
    chance: Trio<f32>,
    recent: Trio<VecDeque<f32>>,
    learning_rate: f64,
    optimizer: OptimizerKind,
}

impl DivergenceWatch {
    pub fn new(config: &SessionConfig, classes: usize) -> Self {
        let guess = (classes.max(2) as f32).ln();
        // The soft term of a uniform guess is T²·KL(teacher_T ‖ uniform) ≤ T²·ln(classes); without
        // labels the whole loss is the soft term.
        let temperature = config.temperature.max(1e-3);
        let alpha = if config.transfer == Transfer::Queries { 1.0 } else { config.alpha };
        let student = alpha * temperature * temperature * guess + (1.0 - alpha) * guess;
        Self {
            chance: Trio::new(guess, student.max(guess), guess),
            recent: Trio::default(),
            learning_rate: config.learning_rate,
            optimizer: config.optimizer,
        }
    }

    /// Takes one report; `Some` once the run has diverged.
    pub fn check(&mut self, metrics: &Metrics) -> Option<Divergence> {
        let divergence = |what, cause| {
            let step = if metrics.phase == Phase::Teacher { metrics.teacher_step } else { metrics.step };
            Divergence { what, phase: metrics.phase, step, cause }
        };
        if let Some((what, loss)) = metrics.losses().find(|(_, loss)| !loss.is_finite() || loss.abs() > BLOWN_UP) {
            return Some(divergence(what, Cause::BlownUp(loss)));
        }
        for role in Role::ALL {
            // Only a model still learning reports a new loss; a frozen teacher's last one stays.
            let learning = match role {
                Role::Teacher => metrics.phase == Phase::Teacher,
                _ => metrics.phase == Phase::Distill,
            };
            let Some(loss) = metrics.models[role].loss.filter(|_| learning) else { continue };
            let recent = &mut self.recent[role];
            recent.push_back(loss);
            if recent.len() > WINDOW {
                recent.pop_front();
            }
            let chance = self.chance[role];
            if let Some(median) = median(recent).filter(|&m| recent.len() == WINDOW && m > RISE_FACTOR * chance) {
                let what = if role == Role::Student { "distilled student" } else { role.name() };
                return Some(divergence(what, Cause::FarAboveChance { median, chance }));
            }
        }
        None
    }

    /// What the page and the shell say about `divergence`: what happened, and what to change.
    pub fn message(&self, divergence: &Divergence) -> String {
        let who = if divergence.phase == Phase::Teacher { "teacher" } else { "student" };
        let what = match divergence.cause {
            Cause::BlownUp(loss) if loss.is_nan() => format!("the {}'s loss became NaN", divergence.what),
            Cause::BlownUp(_) => format!("the {}'s loss became infinite or huge", divergence.what),
            Cause::FarAboveChance { median, chance } => format!(
                "the {}'s loss stays around {median:.1}, over {RISE_FACTOR:.0} times the {chance:.2} of a model that \
                 only guesses",
                divergence.what
            ),
        };
        let optimizer = match self.optimizer {
            OptimizerKind::Adam => "Adam",
            OptimizerKind::Sgd => "SGD",
        };
        format!(
            "Training diverged at {who} step {}: {what}. The learning rate (lr = {}) is probably too high for \
             {optimizer}; lower it and start again.",
            divergence.step, self.learning_rate
        )
    }
}

fn median(values: &VecDeque<f32>) -> Option<f32> {
    let mut sorted: Vec<f32> = values.iter().copied().collect();
    sorted.sort_by(f32::total_cmp);
    sorted.get(sorted.len() / 2).copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::ModelFigures;

    fn report(step: usize, student: f32, baseline: f32) -> Metrics {
        let figures = |loss| ModelFigures { loss: Some(loss), ..ModelFigures::default() };
        Metrics {
            phase: Phase::Distill,
            teacher_step: 400,
            step,
            models: Trio::new(figures(0.05), figures(student), figures(baseline)),
            loss_soft: Some(student),
            loss_hard: None,
            bias_shift: 0.0,
            acc_student_unshifted: 0.0,
            per_class_student_unshifted: Vec::new(),
            queries_answered: 0,
            answers_used: 0,
            numbers_received: 0,
            labelled_examples: 0,
            watched: Vec::new(),
            watched_logits: Vec::new(),
        }
    }

    fn watch() -> DivergenceWatch {
        DivergenceWatch::new(&SessionConfig { transfer: Transfer::Queries, ..SessionConfig::default() }, 2)
    }

    #[test]
    fn a_nan_or_huge_loss_diverges_at_once() {
        assert!(watch().check(&report(10, f32::NAN, 0.5)).is_some());
        let huge = watch().check(&report(10, 0.5, 2e6)).unwrap();
        assert_eq!((huge.what, huge.step), ("baseline", 10));
        assert!(watch().message(&huge).contains("lr = 0.01"));
    }

    #[test]
    fn losses_that_bounce_far_above_chance_diverge_once_the_window_is_full() {
        // What lr=100 with SGD printed on the spiral: the baseline's loss bounces between 6 and 165.
        let mut watch = watch();
        let baseline = [52.9, 91.8, 149.2, 58.9, 121.4, 58.9, 26.6];
        let verdicts: Vec<bool> =
            baseline.iter().enumerate().map(|(i, &b)| watch.check(&report(250 * i, 1.0, b)).is_some()).collect();
        assert_eq!(verdicts, [false, false, false, false, true, true, true]);
        let message = watch.message(&watch.clone().check(&report(2000, 1.0, 90.0)).unwrap());
        assert!(message.contains("baseline") && message.contains("lr = 0.01") && message.contains("lower it"));
    }

    #[test]
    fn a_single_spike_or_a_sane_run_never_diverges() {
        let mut watch = watch();
        for (i, baseline) in [0.7, 0.5, 30.0, 0.3, 0.2, 0.1, 0.05, 0.04, 20.0, 0.03].into_iter().enumerate() {
            assert_eq!(watch.check(&report(i * 10, 4.0 / (i + 1) as f32, baseline)), None, "report {i}");
        }
    }

    #[test]
    fn the_students_chance_loss_carries_the_temperature() {
        // At T = 4 with two classes the soft term of a guess can reach 16·ln 2 ≈ 11: a student
        // loss of 30 is not yet far above it, a baseline loss of 30 is.
        let mut watch = watch();
        let verdicts: Vec<Option<&str>> = (0..5).map(|i| watch.check(&report(i, 30.0, 0.3)).map(|d| d.what)).collect();
        assert_eq!(verdicts, [None; 5]);
        let mut watch = DivergenceWatch::new(&SessionConfig::default(), 2);
        let verdicts: Vec<Option<&str>> = (0..5).map(|i| watch.check(&report(i, 0.3, 30.0)).map(|d| d.what)).collect();
        assert_eq!(verdicts.last(), Some(&Some("baseline")));
    }
}
