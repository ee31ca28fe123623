//! The page's one state and the actions that change it.

use std::rc::Rc;

use distill_core::{Metrics, Phase, RunError, Trio};

use distill_core::params::{PAGE_ONLY, Params};
use distill_core::protocol::{
    AddedPoint, BackendReport, DigitsView, FromEngine, Maps, PointsView, Progress, Status, StudentExport, TextProgress,
    W1Report,
};
use distill_core::report_row::ReportRow;
use distill_core::run_spec::{RunSpec, Scenario};

use super::{Edit, HistoryPoint, ReportLog, TextLab};

/// The latest report of the run: its figures and the engine's rates. (Its status is the state's.)
#[derive(Debug, Clone, PartialEq)]
pub struct Latest {
    pub metrics: Metrics,
    pub steps_per_second: f32,
    /// The engine's WebAssembly memory, in bytes.
    pub engine_memory: u64,
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
    /// The latest report's figures and rates.
    pub progress: Option<Latest>,
    pub maps: Option<Rc<Maps>>,
    pub points: Option<Rc<PointsView>>,
    /// The digits lab's gallery of test digits.
    pub digits: Option<Rc<DigitsView>>,
    pub models: Option<Models>,
    /// Measured milliseconds per input of a teacher and a student forward pass.
    pub inference: Option<(f64, f64)>,
    /// The digits lab's download: bytes received and in all, until it is ready.
    pub loading: Option<(u64, u64)>,
    /// The three models' logits for the latest drawing on the draw pad.
    pub drawn_logits: Option<Trio<Vec<f32>>>,
    /// Answers for drawings up to this number came after the pad was cleared: they are dropped.
    pub cleared_after: u32,
    /// The number of the latest drawing sent to the engine, and of the latest it answered: while
    /// they differ, an answer is on its way (the page says so to its tests).
    pub drawings_sent: u32,
    pub drawings_answered: u32,
    /// The dark-knowledge panel shows the drawing rather than a gallery digit.
    pub showing_drawing: bool,
    /// The guided tour is open.
    pub touring: bool,
    pub error: Option<RunError>,
    pub show_test_points: bool,
    /// The distilled student's map marks where it asked the teacher (in API mode).
    pub show_queries: bool,
    /// Points the user placed by clicking a map; they join the training points.
    pub added: Rc<Vec<AddedPoint>>,
    /// The class a click adds.
    pub add_class: u8,
    /// Reference workload W1's result on this page's backend (`bench=w1`).
    pub benchmark: Option<W1Report>,
    /// Every report of the run, as `distill --csv` writes them: the metrics export.
    pub reports: ReportLog,
    /// The distilled student as the engine last exported it, ready to save.
    pub student: Option<Rc<ExportedStudent>>,
    /// The keyboard shortcuts' overlay is open.
    pub shortcuts_open: bool,
    /// The text lab's run, prompt and continuations.
    pub text: TextLab,
}

impl State {
    pub fn new(params: Params, notices: Vec<String>) -> Self {
        Self {
            params,
            notices,
            backend: None,
            status: Status::Idle,
            progress: None,
            maps: None,
            points: None,
            digits: None,
            models: None,
            inference: None,
            loading: None,
            drawn_logits: None,
            cleared_after: 0,
            drawings_sent: 0,
            drawings_answered: 0,
            showing_drawing: false,
            touring: false,
            error: None,
            show_test_points: true,
            show_queries: true,
            added: Rc::new(Vec::new()),
            add_class: 0,
            benchmark: None,
            reports: ReportLog::default(),
            student: None,
            shortcuts_open: false,
            text: TextLab::default(),
        }
    }
}

pub enum Action {
    Engine(FromEngine),
    /// A change of settings.
    Edit(Edit),
    DismissNotices,
    ToggleTestPoints,
    ToggleQueries,
    /// A click on the plane, in its coordinates ([-1, 1]², y up).
    AddPoint(f32, f32),
    ClearPoints,
    SelectClass(u8),
    /// The same dataset drawn again from the next seed.
    Regenerate,
    /// The dark-knowledge panel shows this gallery digit.
    SelectDigit(usize),
    /// The dark-knowledge panel's preview temperature.
    PreviewTemperature(f32),
    /// The draw pad holds a drawing (sent to the engine as number `latest`), or was cleared
    /// (`shown` false; `latest` is then the last drawing sent).
    Drew {
        latest: u32,
        shown: bool,
    },
    /// Open or close the guided tour.
    Tour(bool),
    /// Settings from an imported file (see [`with_page_modes`]).
    ImportSettings(Params, Vec<String>),
    Notice(String),
    /// Open or close the keyboard shortcuts' overlay.
    Shortcuts(bool),
    /// The text lab's prompt box, as typed.
    Prompt(String),
    /// The text lab's sampling temperature.
    SampleTemperature(f32),
    /// The text lab asked the engine for samples with this draw number.
    SentWrite(u32),
}

/// The charts draw at most this many points of the log (and the latest report), so a long run
/// draws as fast as a short one.
pub const MAX_HISTORY: usize = 1000;

/// An exported student with the settings of the run it came from, as they were when it arrived.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportedStudent {
    pub export: StudentExport,
    pub params: Params,
    /// Points the user added to that run's data: the settings file cannot hold them.
    pub added_points: usize,
}

/// Imported settings, with the page's own modes (embed, theme, backend, …) kept from `current`.
pub fn with_page_modes(mut imported: Params, current: &Params) -> Params {
    for name in PAGE_ONLY {
        if let Some(value) = current.value(name) {
            imported.set(name, &value.render());
        }
    }
    imported
}

/// Enough to bend any boundary; beyond it a click does nothing but say so.
pub const MAX_ADDED_POINTS: usize = 500;

/// Yew keeps the state and calls the reducer; the model itself needs no Yew.
#[cfg(target_arch = "wasm32")]
impl yew::Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        self.reduced(action)
    }
}

impl State {
    /// The run's state in a word, as the Status figure shows it: "loading" while a lab's files
    /// download and nothing has started.
    pub fn status_word(&self) -> &'static str {
        if self.loading.is_some() && self.status == Status::Idle { "loading" } else { self.status.name() }
    }

    /// The page shows what its link opened: a run's first figures, or why there are none. A link
    /// that trains at once has opened at its first trained step, not at its step 0 (unless
    /// paused before it).
    pub fn opened(&self) -> bool {
        let starting = self.params.autoplay && matches!(self.status, Status::Idle | Status::Training);
        let shown = self.progress.as_ref().is_some_and(|p| !starting || p.metrics.teacher_step + p.metrics.step > 0);
        shown || self.text.latest.is_some() || self.error.is_some()
    }

    /// The page may mount what it left out of its first render (the settings rows): it shows what
    /// its link opened, or the lab's files are downloading, when the page and the engine wait on
    /// the network rather than race to a first step.
    pub fn may_mount_the_rest(&self) -> bool {
        self.opened() || self.loading.is_some()
    }

    /// The charts' points: the report log, thinned, and the latest report (which a run past the
    /// log's limit still draws).
    pub fn history(&self) -> Rc<Vec<HistoryPoint>> {
        let mut points = self.reports.chart_points(MAX_HISTORY);
        if let Some(latest) = &self.progress {
            let point = HistoryPoint::of(&ReportRow::new(&latest.metrics, latest.steps_per_second as f64));
            if points.last().is_none_or(|last| last.x < point.x) {
                points.push(point);
            }
        }
        Rc::new(points)
    }

    /// The step at which the teacher was frozen, once it is.
    pub fn frozen_at(&self) -> Option<usize> {
        let latest = self.progress.as_ref().map(|latest| &latest.metrics);
        self.reports.frozen_at().or(latest.filter(|m| m.phase == Phase::Distill).map(|m| m.teacher_step))
    }

    /// The run the settings and the user's points describe: what the engine is asked to train.
    pub fn run_spec(&self) -> RunSpec {
        self.params.run_spec().with_added(self.added.to_vec())
    }

    /// The state after `action`: the page's one reducer.
    pub fn reduced(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Engine(message) => next.apply(message),
            Action::Edit(edit) => next.notices.extend(edit.apply(&mut next.params)),
            Action::DismissNotices => next.notices.clear(),
            Action::ToggleTestPoints => next.show_test_points = !next.show_test_points,
            Action::ToggleQueries => next.show_queries = !next.show_queries,
            Action::AddPoint(x, y) if next.added.len() < MAX_ADDED_POINTS => {
                let class = next.add_class.min(next.params.classes.saturating_sub(1) as u8);
                Rc::make_mut(&mut next.added).push(AddedPoint { x: x.clamp(-1.0, 1.0), y: y.clamp(-1.0, 1.0), class });
            }
            Action::AddPoint(..) => {
                let notice = format!("At most {MAX_ADDED_POINTS} points can be added; clear some to add more.");
                if !next.notices.contains(&notice) {
                    next.notices.push(notice);
                }
            }
            Action::ClearPoints => next.added = Rc::new(Vec::new()),
            Action::SelectClass(class) => next.add_class = class,
            Action::SelectDigit(index) => {
                next.params.dk_digit = index;
                next.showing_drawing = false;
            }
            Action::PreviewTemperature(t) => {
                next.params.dk_t = t as f64;
            }
            Action::Tour(open) => next.touring = open,
            Action::ImportSettings(params, notices) => {
                next.params = params;
                next.notices.extend(notices);
            }
            Action::Notice(notice) => next.notices.push(notice),
            Action::Shortcuts(open) => next.shortcuts_open = open,
            // Both are in the link, so that it reproduces the panels.
            Action::Prompt(typed) => next.params.prompt = typed,
            Action::SampleTemperature(t) if t.is_finite() => {
                // Kept in its range by the table, like any setting.
                next.params.set("sample_t", &t.to_string());
            }
            Action::SampleTemperature(_) => {}
            Action::SentWrite(draw) => next.text.draws_sent = next.text.draws_sent.max(draw),
            Action::Drew { latest, shown } => {
                next.drawings_sent = next.drawings_sent.max(latest);
                next.showing_drawing = shown;
                if !shown {
                    next.drawn_logits = None;
                    next.cleared_after = latest;
                }
            }
            Action::Regenerate => {
                next.params.seed = (next.params.seed + 1) % 1_000_001;
            }
        }
        Rc::new(next)
    }
}

impl State {
    fn apply(&mut self, message: FromEngine) {
        match message {
            FromEngine::Backend(report) => self.backend = Some(report),
            FromEngine::Ready {
                teacher_params,
                student_params,
                teacher_label,
                student_label,
                points,
                digits,
                text,
            } => {
                self.models = Some(Models { teacher_params, student_params, teacher_label, student_label });
                self.text.ready(text);
                self.points = points.map(Rc::new);
                self.digits = digits.map(Rc::new);
                self.progress = None;
                self.inference = None;
                self.loading = None;
                self.maps = None;
                self.error = None;
                self.reports = ReportLog::default();
                self.student = None;
            }
            FromEngine::Progress(Progress { metrics, steps_per_second, engine_memory, status }) => {
                self.reports.push(ReportRow::new(&metrics, steps_per_second as f64));
                self.status = status;
                self.progress = Some(Latest { metrics, steps_per_second, engine_memory });
            }
            FromEngine::TextProgress(TextProgress { figures, steps_per_second, engine_memory, status }) => {
                self.status = status;
                self.loading = None;
                self.text.report(figures, steps_per_second, engine_memory);
            }
            FromEngine::Written(written) => {
                if written.draw >= self.text.draws_sent {
                    self.text.written = Some(Rc::new(written));
                    self.text.written_in_run = self.text.runs;
                }
            }
            FromEngine::Loading { received, total } => self.loading = Some((received, total)),
            FromEngine::Classified { drawing, logits } => {
                self.drawings_answered = self.drawings_answered.max(drawing);
                if drawing > self.cleared_after {
                    self.drawn_logits = Some(logits);
                }
            }
            FromEngine::Inference { teacher_ms, student_ms } => self.inference = Some((teacher_ms, student_ms)),
            FromEngine::Maps(maps) => self.maps = Some(Rc::new(maps)),
            FromEngine::Status(status) => self.status = status,
            FromEngine::Benchmark(report) => self.benchmark = Some(report),
            FromEngine::Student(export) => {
                // Only the 2-D lab's maps take points.
                let added = if self.params.scenario == Scenario::Shapes { self.added.len() } else { 0 };
                let (params, added_points) = (self.params.clone(), added);
                self.student = Some(Rc::new(ExportedStudent { export, params, added_points }));
            }
            FromEngine::Notice(notice) => self.notices.push(notice),
            FromEngine::Error(error) => {
                self.loading = None;
                self.error = Some(error);
                self.status = Status::Error;
            }
        }
    }
}
