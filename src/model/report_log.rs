//! Every report of a run, as `distill --csv` writes them: the metrics export.

use std::cell::RefCell;
use std::rc::Rc;

use distill_core::protocol::TextFigures;
use distill_core::report_row::ReportRow;
use distill_core::{Phase, Trio};

/// One report's figures, for the charts. `x` counts all training steps, the teacher's first.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryPoint {
    pub x: usize,
    /// The teacher is frozen and the students learn.
    pub distilling: bool,
    /// The distilled student's soft term (with its T²) on its latest batch.
    pub soft: Option<f32>,
    /// Held-out cross-entropy and test accuracy of teacher, distilled student and baseline.
    pub ce: Trio<f32>,
    pub accuracy: Trio<f32>,
    /// The text lab: characters bought from the API so far.
    pub bought: Option<f32>,
}

impl HistoryPoint {
    pub fn of(row: &ReportRow) -> Self {
        HistoryPoint {
            x: row.teacher_step + row.step,
            distilling: row.phase == Phase::Distill,
            soft: row.loss_soft,
            ce: Trio::new(row.ce_teacher, row.ce_student, row.ce_baseline),
            accuracy: Trio::new(row.acc_teacher, row.acc_student, row.acc_baseline),
            bought: None,
        }
    }

    /// A text-lab report: held-out loss per character in place of cross-entropy (only where it
    /// was measured at this step: between measurements, no loss is drawn), no accuracy.
    pub fn of_text(figures: &TextFigures) -> Self {
        let measured = figures.held_out_step == figures.step;
        let nan = Trio::new(f32::NAN, f32::NAN, f32::NAN);
        HistoryPoint {
            x: figures.step,
            distilling: true,
            soft: figures.soft,
            ce: if measured { figures.held_out } else { nan },
            accuracy: nan,
            bought: Some(figures.api_chars as f32),
        }
    }
}

/// The metrics export keeps a run's first this many reports (a row holds 20 figures).
pub const MAX_REPORTS: usize = 50_000;

/// A run's reports, append-only. Every state shares one list and knows how much of it is its
/// own, so a new report costs one push, not a copy of the list (as `Rc::make_mut` would make).
#[derive(Debug, Clone, Default)]
pub struct ReportLog {
    rows: Rc<RefCell<Vec<ReportRow>>>,
    len: usize,
}

impl ReportLog {
    /// Adds a report. One at or before the last one's step (a run resumed from a checkpoint, or
    /// a student loaded mid-run) replaces the rows it goes back over, as the charts do.
    pub fn push(&mut self, row: ReportRow) {
        let at = |row: &ReportRow| row.teacher_step + row.step;
        let mut rows = self.rows.borrow_mut();
        rows.truncate(self.len);
        while rows.last().is_some_and(|last| at(last) >= at(&row)) {
            rows.pop();
        }
        if rows.len() < MAX_REPORTS {
            rows.push(row);
        }
        self.len = rows.len();
    }

    pub fn len(&self) -> usize {
        self.len
    }

    /// At most `max` evenly spaced points of the log for the charts, always with its first and
    /// latest: a long run draws as fast as a short one.
    pub fn chart_points(&self, max: usize) -> Vec<HistoryPoint> {
        self.with_rows(|rows| {
            let Some(last) = rows.last() else { return Vec::new() };
            let stride = rows.len().div_ceil(max.saturating_sub(1).max(1));
            let mut points: Vec<_> = rows[..rows.len() - 1].iter().step_by(stride).map(HistoryPoint::of).collect();
            points.push(HistoryPoint::of(last));
            points
        })
    }

    /// The teacher's step count when it was frozen: the first report of the students' phase.
    pub fn frozen_at(&self) -> Option<usize> {
        self.with_rows(|rows| {
            // Reports run in step order, the teacher's phase first.
            let first = rows.partition_point(|row| row.phase != Phase::Distill);
            rows.get(first).map(|row| row.teacher_step)
        })
    }

    /// The rows of this state, to read.
    pub fn with_rows<T>(&self, read: impl FnOnce(&[ReportRow]) -> T) -> T {
        let rows = self.rows.borrow();
        read(rows.get(..self.len).unwrap_or(&rows))
    }
}

impl PartialEq for ReportLog {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.rows, &other.rows) && self.len == other.len
    }
}
