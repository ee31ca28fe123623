//! The page's reducer: settings edits, reports and their history, notices, drawings and imports.

use std::rc::Rc;

use distill_core::RunError;
use distill_core::params::{Params, Spec, TABLE, Theme};
use distill_core::protocol::{FromEngine, Progress, Status};
use distill_core::run_spec::Scenario;
use distill_core::{Metrics, ModelFigures, Phase, Trio};

use super::*;

fn spec(name: &str) -> &'static Spec {
    TABLE.iter().find(|spec| spec.name == name).expect("a setting of the table")
}

fn state() -> Rc<State> {
    Rc::new(State::new(Params::default(), Vec::new()))
}

fn after(state: Rc<State>, actions: impl IntoIterator<Item = Action>) -> Rc<State> {
    actions.into_iter().fold(state, |state, action| state.reduced(action))
}

fn report(teacher_step: usize, step: usize, status: Status) -> Action {
    let figures = |accuracy| ModelFigures { accuracy, test_ce: 1.0 - accuracy, ..ModelFigures::default() };
    let metrics = Metrics {
        phase: if step > 0 { Phase::Distill } else { Phase::Teacher },
        teacher_step,
        step,
        models: Trio::new(figures(0.9), figures(0.8), figures(0.7)),
        loss_soft: Some(0.5),
        loss_hard: None,
        bias_shift: 0.0,
        acc_student_unshifted: 0.8,
        per_class_student_unshifted: Vec::new(),
        queries_answered: 0,
        answers_used: 0,
        numbers_received: 0,
        labelled_examples: 20,
        watched: Vec::new(),
        watched_logits: Vec::new(),
    };
    Action::Engine(FromEngine::Progress(Progress { metrics, steps_per_second: 10.0, engine_memory: 0, status }))
}

fn ready() -> Action {
    Action::Engine(FromEngine::Ready {
        teacher_params: 100,
        student_params: 10,
        teacher_label: "2-64-64-2".into(),
        student_label: "2-16-2".into(),
        points: None,
        digits: None,
        text: None,
    })
}

#[test]
fn a_panel_edit_changes_the_setting_and_a_bad_value_says_what_it_became() {
    let field = |name, raw: &str| Action::Edit(Edit::Field(spec(name), raw.into()));
    let state = after(state(), [field("alpha", "0.5")]);
    assert_eq!(state.params.alpha, 0.5);
    assert!(state.notices.is_empty());
    let state = after(state, [field("alpha", "7")]);
    assert_eq!(state.params.alpha, 1.0);
    assert_eq!(state.notices.len(), 1, "{:?}", state.notices);
    assert!(after(state, [Action::DismissNotices]).notices.is_empty());
}

#[test]
fn typed_edits_switch_the_lab_with_its_defaults_set_t_and_the_theme() {
    let state = after(state(), [Action::Edit(Edit::Lab(Scenario::Digits))]);
    assert_eq!(state.params.scenario, Scenario::Digits);
    assert_eq!(state.params.teacher_steps, Params::from_query("scenario=digits").0.teacher_steps);
    assert_eq!(state.params.temperature, 4.0);
    // Each T key moves one stop from the state it meets, however fast they come.
    let up = || Action::Edit(Edit::TemperatureStops(1));
    let state = after(state, [up(), up(), Action::Edit(Edit::Theme(Theme::Dark))]);
    assert_eq!((state.params.temperature, state.params.theme), (8.0, Theme::Dark));
    let state = after(state, [Action::Edit(Edit::TemperatureStops(-3))]);
    assert_eq!(state.params.temperature, 3.0);
    // At either end the keys stop there.
    let state = after(state, [Action::Edit(Edit::TemperatureStops(40))]);
    assert_eq!((state.params.temperature, state.notices.len()), (50.0, 0));
}

#[test]
fn reports_build_the_history_the_log_and_the_freezing_point() {
    let state = after(
        state(),
        [ready(), report(100, 0, Status::Training), report(400, 0, Status::Training), report(400, 50, Status::Paused)],
    );
    assert_eq!(state.history().iter().map(|p| p.x).collect::<Vec<_>>(), [100, 400, 450]);
    assert_eq!(state.frozen_at(), Some(400));
    assert_eq!(state.status, Status::Paused);
    assert_eq!(state.reports.len(), 3);
    // A report that goes back (a run resumed from a checkpoint) replaces the log's rows after it,
    // and the chart keeps only points that move forward.
    let state = after(state, [report(400, 20, Status::Training)]);
    assert_eq!(state.reports.len(), 3);
    assert_eq!(state.reports.with_rows(|rows| rows.last().map(|r| r.step)), Some(20));
    assert_eq!(state.history().len(), 3);
    // A new run starts both afresh.
    let state = after(state, [ready()]);
    assert!(state.history().is_empty() && state.reports.len() == 0 && state.frozen_at().is_none());
}

#[test]
fn a_long_run_keeps_at_most_max_history_points_and_always_its_latest() {
    let state = after(state(), (1..=2 * MAX_HISTORY).map(|step| report(400, step, Status::Training)));
    let history = state.history();
    assert!(history.len() <= MAX_HISTORY, "{}", history.len());
    assert_eq!(history.first().map(|p| p.x), Some(401));
    assert_eq!(history.last().map(|p| p.x), Some(400 + 2 * MAX_HISTORY));
    assert!(history.windows(2).all(|w| w[0].x < w[1].x), "in step order");
    assert_eq!(state.reports.len(), 2 * MAX_HISTORY);
}

#[test]
fn past_the_logs_limit_the_charts_still_show_the_latest_report() {
    let state = after(state(), (1..=report_log::MAX_REPORTS + 5).map(|step| report(400, step, Status::Training)));
    assert_eq!(state.reports.len(), report_log::MAX_REPORTS, "the export keeps the first reports");
    let history = state.history();
    assert!(history.len() <= MAX_HISTORY + 1, "{}", history.len());
    assert_eq!(history.last().map(|p| p.x), Some(400 + report_log::MAX_REPORTS + 5));
    assert_eq!(state.frozen_at(), Some(400));
}

#[test]
fn the_status_reads_loading_while_a_labs_files_download() {
    assert_eq!(state().status_word(), "idle");
    let loading = after(state(), [Action::Engine(FromEngine::Loading { received: 1, total: 2 })]);
    assert_eq!(loading.status_word(), "loading");
    // An autoplayed link may report training first; the files' arrival ends the loading.
    let training = after(loading.clone(), [Action::Engine(FromEngine::Status(Status::Training))]);
    assert_eq!(training.status_word(), "training");
    assert_eq!(after(loading, [ready()]).status_word(), "idle");
}

#[test]
fn the_page_has_opened_once_it_shows_figures_or_an_error() {
    let waiting = after(
        state(),
        [
            Action::Engine(FromEngine::Loading { received: 1, total: 2 }),
            ready(),
            Action::Engine(FromEngine::Status(Status::Training)),
        ],
    );
    assert!(!waiting.opened());
    assert!(after(waiting.clone(), [report(0, 0, Status::Idle)]).opened());
    // A link that trains at once has opened at its first trained step, not at its step 0.
    let (autoplay, _) = Params::from_query("autoplay=1");
    let step_zero = after(
        Rc::new(State::new(autoplay, Vec::new())),
        [ready(), report(0, 0, Status::Idle), Action::Engine(FromEngine::Status(Status::Training))],
    );
    assert!(!step_zero.opened());
    assert!(after(step_zero.clone(), [report(1, 0, Status::Training)]).opened());
    assert!(after(step_zero, [Action::Engine(FromEngine::Status(Status::Paused))]).opened(), "paused before it");
    assert!(after(waiting, [Action::Engine(FromEngine::Error(RunError::Assets("broken".into())))]).opened());
    let text = after(
        state(),
        [Action::Engine(FromEngine::TextProgress(distill_core::protocol::TextProgress {
            figures: text_figures(0, 4.0, 0),
            steps_per_second: 0.0,
            engine_memory: 1,
            status: Status::Idle,
        }))],
    );
    assert!(text.opened());
}

#[test]
fn the_rest_of_the_page_mounts_once_opened_or_while_files_download() {
    let (autoplay, _) = Params::from_query("autoplay=1");
    let starting = after(Rc::new(State::new(autoplay, Vec::new())), [ready(), report(0, 0, Status::Idle)]);
    assert!(!starting.may_mount_the_rest(), "a played link's step 0: its first step is coming");
    assert!(after(starting, [report(1, 0, Status::Training)]).may_mount_the_rest());
    let downloading = after(state(), [Action::Engine(FromEngine::Loading { received: 1, total: 2 })]);
    assert!(!downloading.opened());
    assert!(downloading.may_mount_the_rest(), "nothing trains until the files arrive");
}

#[test]
fn an_error_stops_the_run_and_a_notice_is_kept() {
    let state = after(
        state(),
        [
            Action::Engine(FromEngine::Loading { received: 1, total: 2 }),
            Action::Engine(FromEngine::Notice("heads up".into())),
            Action::Engine(FromEngine::Error(RunError::Assets("broken".into()))),
        ],
    );
    assert_eq!(
        (state.status, state.error.as_ref(), state.loading),
        (Status::Error, Some(&RunError::Assets("broken".into())), None)
    );
    assert_eq!(state.notices, ["heads up"]);
    // The next run clears the error.
    assert_eq!(after(state, [ready()]).error, None);
}

#[test]
fn answers_to_a_cleared_drawing_are_dropped_and_later_ones_shown() {
    let answer = |drawing| {
        Action::Engine(FromEngine::Classified { drawing, logits: Trio::from_fn(|_| vec![drawing as f32; 10]) })
    };
    let state = after(state(), [Action::Drew { latest: 1, shown: true }, Action::Drew { latest: 2, shown: true }]);
    assert_eq!(state.drawings_sent, 2);
    let state = after(state, [Action::Drew { latest: 2, shown: false }, answer(1), answer(2)]);
    assert_eq!((state.drawn_logits.as_ref(), state.drawings_answered), (None, 2));
    let state = after(state, [Action::Drew { latest: 3, shown: true }, answer(3)]);
    assert_eq!(state.drawn_logits.as_ref().map(|l| l.baseline[0]), Some(3.0));
}

#[test]
fn added_points_stop_at_the_limit_with_one_notice() {
    let state = after(state(), (0..MAX_ADDED_POINTS + 3).map(|i| Action::AddPoint(i as f32 / 1000.0, 2.0)));
    assert_eq!(state.added.len(), MAX_ADDED_POINTS);
    assert_eq!(state.added[0].y, 1.0, "clamped to the plane");
    assert_eq!(state.notices.len(), 1);
    // The points are part of the run the engine is asked for.
    assert_eq!(state.run_spec().added().len(), MAX_ADDED_POINTS);
    assert_ne!(state.run_spec(), state.params.run_spec());
    assert!(after(state, [Action::ClearPoints]).added.is_empty());
}

#[test]
fn imported_settings_keep_the_pages_own_modes() {
    let current = Params::from_query("embed=1&theme=dark").0;
    let imported = with_page_modes(Params::from_query("alpha=0.2&theme=light").0, &current);
    assert_eq!((imported.alpha, imported.embed, imported.theme), (0.2, true, Theme::Dark));
    let state = after(state(), [Action::ImportSettings(imported, vec!["note".into()])]);
    assert_eq!((state.params.alpha, state.notices.len()), (0.2, 1));
}

fn text_figures(step: usize, student: f32, api_chars: usize) -> distill_core::protocol::TextFigures {
    distill_core::protocol::TextFigures {
        step,
        held_out: Trio::new(2.0, student, 3.0),
        held_out_step: step,
        soft: Some(0.1),
        api_chars,
        numbers: api_chars * 5,
    }
}

fn text_ready(view: distill_core::protocol::TextView) -> Action {
    Action::Engine(FromEngine::Ready {
        teacher_params: 9,
        student_params: 1,
        teacher_label: "t".into(),
        student_label: "s".into(),
        points: None,
        digits: None,
        text: Some(view),
    })
}

#[test]
fn the_text_labs_reports_make_its_history_and_a_fresh_run_starts_it_again() {
    use distill_core::protocol::{TextProgress, TextView};
    let progress = |step, student, chars| {
        let figures = text_figures(step, student, chars);
        Action::Engine(FromEngine::TextProgress(TextProgress {
            figures,
            steps_per_second: 5.0,
            engine_memory: 1,
            status: Status::Training,
        }))
    };
    let view = TextView { human_chars: 20_000, passages: 50, api_budget: 2_048, weights_bytes: Trio::new(3, 2, 2) };
    let ready = || text_ready(view.clone());
    let typed = Action::Prompt("Hi 😀".into());
    let s = after(
        state(),
        [
            typed,
            Action::SampleTemperature(7.0),
            ready(),
            progress(0, 4.0, 0),
            progress(1, 3.5, 1024),
            progress(2, 3.0, 2048),
        ],
    );
    assert_eq!(s.status, Status::Training);
    assert_eq!(s.text.history.iter().map(|f| f.step).collect::<Vec<_>>(), [0, 1, 2]);
    assert_eq!(s.text.chart_points(2).iter().map(|p| p.x).collect::<Vec<_>>(), [0, 2], "thinned, the latest kept");
    assert_eq!(s.params.sample_t, 2.0, "the sampling temperature stays in its range");
    assert_eq!(TextLab::prompt(&s.params).notices.len(), 1, "the emoji is read as the unknown symbol, with a notice");
    // Both are in the link, which reproduces the panels.
    let (linked, notices) = Params::from_query(&s.params.link_query());
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!((linked.prompt.as_str(), linked.sample_t), ("Hi 😀", 2.0));
    // Imported settings keep the page's prompt as typed.
    let kept = with_page_modes(Params::for_scenario(Scenario::Text), &s.params);
    assert_eq!((kept.prompt.as_str(), kept.sample_t), ("Hi 😀", 2.0));
    // The share of the teacher's lead: (baseline − distilled) / (baseline − teacher).
    assert_eq!(TextLab::share_of_improvement(s.text.latest.as_ref().unwrap()), Some(0.0));
    assert_eq!(TextLab::share_of_improvement(&text_figures(3, 2.5, 0)), Some(0.5));
    // A report going back (a new run's) replaces what it goes back over.
    let s = after(s, [progress(1, 3.9, 1024)]);
    assert_eq!(s.text.history.len(), 2);
    // "Sample again" asks for the next draw; a fresh run starts the draws and history again and
    // keeps the prompt.
    assert_eq!(s.text.request(&s.params, true).draw, 1);
    let s = after(s, [Action::SentWrite(1)]);
    assert_eq!(s.text.request(&s.params, false).draw, 1);
    let s = after(s, [ready()]);
    assert!(s.text.history.is_empty() && s.text.latest.is_none());
    assert_eq!((s.text.request(&s.params, false).draw, s.params.prompt.as_str()), (0, "Hi 😀"));
}
