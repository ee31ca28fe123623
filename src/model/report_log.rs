//! Every report of a run, as `distill --csv` writes them: the metrics export.

use std::cell::RefCell;
use std::rc::Rc;

use distill_core::report_row::ReportRow;

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

    pub fn is_empty(&self) -> bool {
        self.len == 0
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
