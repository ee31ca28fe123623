//! The page's one state and the actions that change it.

use std::rc::Rc;

use distill_core::Phase;
use yew::Reducible;

use distill_core::params::Params;
use distill_core::protocol::{BackendReport, FromEngine, Maps, PointsView, Progress, Status};

/// One read-back's losses, for the chart. `x` counts all training steps, the teacher's first.
#[derive(Debug, Clone, PartialEq)]
pub struct LossPoint {
    pub x: usize,
    pub teacher: Option<f32>,
    pub total: Option<f32>,
    pub soft: Option<f32>,
    pub hard: Option<f32>,
    pub baseline: Option<f32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Models {
    pub teacher_params: usize,
    pub student_params: usize,
    pub teacher_label: String,
    pub student_label: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub params: Params,
    /// Messages about settings that were corrected; they stay until dismissed.
    pub notices: Vec<String>,
    pub backend: Option<BackendReport>,
    pub status: Status,
    pub progress: Option<Progress>,
    pub history: Rc<Vec<LossPoint>>,
    /// The training step at which the teacher was frozen, once it is.
    pub frozen_at: Option<usize>,
    pub maps: Option<Rc<Maps>>,
    pub points: Option<Rc<PointsView>>,
    pub models: Option<Models>,
    pub error: Option<String>,
    pub show_test_points: bool,
}

impl State {
    pub fn new(params: Params, notices: Vec<String>) -> Self {
        Self {
            params,
            notices,
            backend: None,
            status: Status::Idle,
            progress: None,
            history: Rc::new(Vec::new()),
            frozen_at: None,
            maps: None,
            points: None,
            models: None,
            error: None,
            show_test_points: true,
        }
    }
}

pub enum Action {
    Engine(FromEngine),
    /// A setting changed in the panel: the raw text as typed.
    SetParam(&'static str, String),
    DismissNotices,
    ToggleTestPoints,
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Engine(message) => next.apply(message),
            Action::SetParam(name, raw) => {
                let mut params = next.params.clone();
                next.notices.extend(params.set(name, &raw));
                next.params = params;
            }
            Action::DismissNotices => next.notices.clear(),
            Action::ToggleTestPoints => next.show_test_points = !next.show_test_points,
        }
        Rc::new(next)
    }
}

impl State {
    fn apply(&mut self, message: FromEngine) {
        match message {
            FromEngine::Listening => {}
            FromEngine::Backend(report) => self.backend = Some(report),
            FromEngine::Ready { teacher_params, student_params, teacher_label, student_label, points } => {
                self.models = Some(Models { teacher_params, student_params, teacher_label, student_label });
                self.points = Some(Rc::new(points));
                self.history = Rc::new(Vec::new());
                self.frozen_at = None;
                self.progress = None;
                self.maps = None;
                self.error = None;
            }
            FromEngine::Progress(progress) => {
                let m = &progress.metrics;
                let x = m.teacher_step + m.step;
                if m.phase == Phase::Distill && self.frozen_at.is_none() {
                    self.frozen_at = Some(m.teacher_step);
                }
                let history = Rc::make_mut(&mut self.history);
                if history.last().is_none_or(|last| last.x < x) {
                    history.push(LossPoint {
                        x,
                        teacher: if m.phase == Phase::Teacher { m.teacher_loss } else { None },
                        total: m.loss_total,
                        soft: m.loss_soft,
                        hard: m.loss_hard,
                        baseline: m.loss_baseline,
                    });
                }
                self.status = progress.status;
                self.progress = Some(progress);
            }
            FromEngine::Maps(maps) => self.maps = Some(Rc::new(maps)),
            FromEngine::Status(status) => self.status = status,
            FromEngine::Notice(notice) => self.notices.push(notice),
            FromEngine::Error(error) => {
                self.error = Some(error);
                self.status = Status::Error;
            }
        }
    }
}
