//! The text lab's part of the page's state: the run's view and figures, their history for the
//! charts, the prompt as typed and as the models read it, and the latest continuations.

use std::rc::Rc;

use distill_core::params::Params;
use distill_core::protocol::{TextFigures, TextView, WriteRequest, Written};
use distill_core::text_lab::prompt::Prompt;

use super::HistoryPoint;

/// Characters each model writes for a panel.
pub const WRITTEN_CHARS: usize = 160;

#[derive(Debug, Clone, PartialEq)]
pub struct TextLab {
    pub view: Option<TextView>,
    pub latest: Option<TextFigures>,
    pub steps_per_second: f32,
    pub engine_memory: u64,
    /// Every report's figures, in order of steps (the charts thin them).
    pub history: Rc<Vec<TextFigures>>,
    /// The number of the latest request sent; "sample again" sends the next one.
    pub draws_sent: u32,
    pub written: Option<Rc<Written>>,
    /// Counts the runs made ready: a fresh run is written afresh even when its view is the same.
    pub runs: u32,
    /// The run (of `runs`) whose models wrote `written`.
    pub written_in_run: u32,
}

impl Default for TextLab {
    fn default() -> Self {
        TextLab {
            view: None,
            latest: None,
            steps_per_second: 0.0,
            engine_memory: 0,
            history: Rc::new(Vec::new()),
            draws_sent: 0,
            written: None,
            runs: 0,
            written_in_run: 0,
        }
    }
}

impl TextLab {
    /// A fresh run (of this lab, with its view, or of another lab): nothing measured or written
    /// yet. The draws start again, so the same run writes the same samples.
    pub fn ready(&mut self, view: Option<TextView>) {
        *self = TextLab { view, runs: self.runs.wrapping_add(1), ..TextLab::default() };
    }

    /// A report: the latest figures, added to the history when it moved on.
    pub fn report(&mut self, figures: TextFigures, steps_per_second: f32, engine_memory: u64) {
        let history = Rc::make_mut(&mut self.history);
        // A report at or before the last one's step replaces what it goes back over.
        while history.last().is_some_and(|last| last.step >= figures.step) {
            history.pop();
        }
        history.push(figures.clone());
        self.latest = Some(figures);
        self.steps_per_second = steps_per_second;
        self.engine_memory = engine_memory;
    }

    /// The charts' points: at most `limit` of the history's, evenly spread, and the latest.
    pub fn chart_points(&self, limit: usize) -> Rc<Vec<HistoryPoint>> {
        let every = self.history.len().div_ceil(limit.max(1)).max(1);
        let mut points: Vec<HistoryPoint> = self.history.iter().step_by(every).map(HistoryPoint::of_text).collect();
        if let Some(last) = self.history.last().filter(|last| points.last().is_none_or(|p| p.x < last.step)) {
            points.push(HistoryPoint::of_text(last));
        }
        Rc::new(points)
    }

    /// The prompt of the link (the prompt box's text) as the models read it, with what changed
    /// on the way.
    pub fn prompt(params: &Params) -> Prompt {
        Prompt::read(&params.prompt)
    }

    /// The request for the panels as the link has them (`again`: the next draw of samples).
    pub fn request(&self, params: &Params, again: bool) -> WriteRequest {
        WriteRequest {
            draw: if again { self.draws_sent + 1 } else { self.draws_sent },
            prompt: Self::prompt(params).ids,
            chars: WRITTEN_CHARS,
            temperature: params.sample_t as f32,
        }
    }

    /// The share of the teacher's improvement over the baseline that the distilled student
    /// reached: 1 when it matches the teacher, 0 when it is no better than the baseline.
    pub fn share_of_improvement(figures: &TextFigures) -> Option<f32> {
        let held_out = &figures.held_out;
        let gap = held_out.baseline - held_out.teacher;
        (gap > 1e-3).then(|| (held_out.baseline - held_out.student) / gap)
    }
}
