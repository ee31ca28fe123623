//! One report of a run as a row of figures: the columns of the shell's `--csv` file and of the
//! page's CSV download, from one definition, so that the two files read the same.

use serde::Serialize;

use crate::metrics::{Metrics, Phase};

/// The figures of one report, one field per column (in [`COLUMNS`] order).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportRow {
    pub step: usize,
    pub teacher_step: usize,
    pub phase: Phase,
    pub loss_soft: Option<f32>,
    pub loss_hard: Option<f32>,
    pub loss_total: Option<f32>,
    pub loss_baseline: Option<f32>,
    pub teacher_loss: Option<f32>,
    pub acc_teacher: f32,
    pub acc_student: f32,
    pub acc_baseline: f32,
    pub agreement: f32,
    pub kl_student: f32,
    pub kl_baseline: f32,
    pub ce_teacher: f32,
    pub ce_student: f32,
    pub ce_baseline: f32,
    pub answers_used: usize,
    pub numbers_received: usize,
    pub bias_shift: f32,
    pub steps_per_second: f64,
}

/// The header: [`ReportRow`]'s field names, in order.
pub const COLUMNS: &[&str] = &[
    "step",
    "teacher_step",
    "phase",
    "loss_soft",
    "loss_hard",
    "loss_total",
    "loss_baseline",
    "teacher_loss",
    "acc_teacher",
    "acc_student",
    "acc_baseline",
    "agreement",
    "kl_student",
    "kl_baseline",
    "ce_teacher",
    "ce_student",
    "ce_baseline",
    "answers_used",
    "numbers_received",
    "bias_shift",
    "steps_per_second",
];

/// A float as the csv crate writes it (ryu: `1.0`, `0.25`, `1e-7`, `NaN`, `inf`).
fn float(value: impl ryu::Float) -> String {
    ryu::Buffer::new().format(value).to_string()
}

/// An absent figure is an empty cell.
fn optional(value: Option<f32>) -> String {
    value.map(float).unwrap_or_default()
}

impl ReportRow {
    pub fn new(metrics: &Metrics, steps_per_second: f64) -> Self {
        let models = &metrics.models;
        Self {
            step: metrics.step,
            teacher_step: metrics.teacher_step,
            phase: metrics.phase,
            loss_soft: metrics.loss_soft,
            loss_hard: metrics.loss_hard,
            loss_total: models.student.loss,
            loss_baseline: models.baseline.loss,
            teacher_loss: models.teacher.loss,
            acc_teacher: models.teacher.accuracy,
            acc_student: models.student.accuracy,
            acc_baseline: models.baseline.accuracy,
            agreement: models.student.agreement,
            kl_student: models.student.kl,
            kl_baseline: models.baseline.kl,
            ce_teacher: models.teacher.test_ce,
            ce_student: models.student.test_ce,
            ce_baseline: models.baseline.test_ce,
            answers_used: metrics.answers_used,
            numbers_received: metrics.numbers_received,
            bias_shift: metrics.bias_shift,
            steps_per_second,
        }
    }

    /// Each cell as the csv crate writes it, in [`COLUMNS`] order. No cell holds a comma or a
    /// quote, so joining them with commas gives the CSV line.
    pub fn fields(&self) -> Vec<String> {
        let phase = match self.phase {
            Phase::Teacher => "teacher",
            Phase::Distill => "distill",
        };
        vec![
            self.step.to_string(),
            self.teacher_step.to_string(),
            phase.to_string(),
            optional(self.loss_soft),
            optional(self.loss_hard),
            optional(self.loss_total),
            optional(self.loss_baseline),
            optional(self.teacher_loss),
            float(self.acc_teacher),
            float(self.acc_student),
            float(self.acc_baseline),
            float(self.agreement),
            float(self.kl_student),
            float(self.kl_baseline),
            float(self.ce_teacher),
            float(self.ce_student),
            float(self.ce_baseline),
            self.answers_used.to_string(),
            self.numbers_received.to_string(),
            float(self.bias_shift),
            float(self.steps_per_second),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::ModelFigures;
    use crate::trio::Trio;

    fn metrics() -> Metrics {
        let figures = |accuracy: f32, loss: Option<f32>| ModelFigures {
            accuracy,
            per_class: vec![accuracy; 2],
            test_ce: 0.5,
            agreement: 0.75,
            kl: 0.125,
            loss,
        };
        Metrics {
            phase: Phase::Distill,
            teacher_step: 400,
            step: 120,
            models: Trio::new(figures(1.0, None), figures(0.875, Some(0.25)), figures(0.5, Some(2.0))),
            loss_soft: Some(0.2),
            loss_hard: None,
            bias_shift: 0.0,
            acc_student_unshifted: 0.875,
            per_class_student_unshifted: vec![0.875; 2],
            queries_answered: 1000,
            answers_used: 960,
            numbers_received: 9600,
            labelled_examples: 20,
            watched: Vec::new(),
            watched_logits: Vec::new(),
        }
    }

    #[test]
    fn a_row_has_one_cell_per_column_in_order() {
        let row = ReportRow::new(&metrics(), 1234.5);
        let fields = row.fields();
        assert_eq!(fields.len(), COLUMNS.len());
        let cell = |column: &str| fields[COLUMNS.iter().position(|c| *c == column).unwrap()].as_str();
        assert_eq!(cell("step"), "120");
        assert_eq!(cell("teacher_step"), "400");
        assert_eq!(cell("phase"), "distill");
        assert_eq!(cell("loss_soft"), "0.2");
        assert_eq!(cell("loss_hard"), "", "an absent loss is an empty cell");
        assert_eq!(cell("loss_total"), "0.25");
        assert_eq!(cell("teacher_loss"), "");
        assert_eq!(cell("acc_teacher"), "1.0", "written as the csv crate writes floats");
        assert_eq!(cell("acc_student"), "0.875");
        assert_eq!(cell("answers_used"), "960");
        assert_eq!(cell("bias_shift"), "0.0");
        assert_eq!(cell("steps_per_second"), "1234.5");
    }

    #[test]
    fn the_teacher_phase_is_named() {
        let row = ReportRow::new(&Metrics { phase: Phase::Teacher, ..metrics() }, 1.0);
        assert_eq!(row.fields()[2], "teacher");
    }
}
