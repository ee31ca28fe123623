//! The Compare panel: for the current settings, the distilled student trained with the teacher's
//! labels (in the text lab, its text) alone, its top k and its whole distribution (for both kinds
//! of query, where it asks about queries), over seeds 1–3, beside the baseline, on a CPU engine of
//! its own in the background (the plan and the sums are `distill_core::compare`).

use std::cell::RefCell;
use std::rc::Rc;

use distill_core::compare::{self, Arm, Measure, Outcome, PlannedRun, Row, TEXT_API_CHARS};
use distill_core::config::QueriesFrom;
use distill_core::params::Params;
use distill_core::protocol::{FromEngine, Status, ToEngine};
use distill_core::run_spec::{RunSpec, ScenarioSpec};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::ui::worker::EngineHandle;

/// What the panel shows.
#[derive(Clone, PartialEq, Default)]
struct View {
    running: bool,
    total: usize,
    outcomes: Vec<Outcome>,
    error: Option<String>,
}

/// A comparison under way: its plan, the run in progress and its engine.
struct Runner {
    plan: Vec<PlannedRun>,
    /// The engine has built the run in progress: what it says from now on is about that run.
    ready: bool,
    /// What the run in progress (the plan's `outcomes.len()`-th) has reached, and the step at
    /// which its students were measured.
    latest: Option<(usize, Outcome)>,
    outcomes: Vec<Outcome>,
    engine: Rc<EngineHandle>,
}

impl Runner {
    fn view(&self, error: Option<String>) -> View {
        let running = error.is_none() && self.outcomes.len() < self.plan.len();
        View { running, total: self.plan.len(), outcomes: self.outcomes.clone(), error }
    }

    /// The run in progress.
    fn current(&self) -> Option<&PlannedRun> {
        self.plan.get(self.outcomes.len())
    }

    /// Keeps the run in progress's outcome once its figures are those of its last step.
    fn finish_run(&mut self) -> bool {
        let Some(run) = self.current() else { return false };
        let last = run.spec.max_steps;
        let Some((_, outcome)) = self.latest.take_if(|(step, _)| *step >= last) else { return false };
        self.outcomes.push(outcome);
        true
    }
}

type Shared = Rc<RefCell<Option<Runner>>>;

/// Sends the next run of the plan to the comparison's engine, or ends the comparison. No borrow
/// is held while sending: the engine may answer at once.
fn start_next(shared: &Shared, view: &UseStateHandle<View>) {
    let next = {
        let mut slot = shared.borrow_mut();
        let Some(runner) = slot.as_mut() else { return };
        view.set(runner.view(None));
        match runner.plan.get(runner.outcomes.len()) {
            Some(run) => {
                runner.ready = false;
                Some((run.spec.clone(), runner.engine.clone()))
            }
            // Done: the engine goes.
            None => {
                *slot = None;
                None
            }
        }
    };
    if let Some((spec, engine)) = next {
        engine.send(&ToEngine::Reset { spec });
        engine.send(&ToEngine::Play);
    }
}

/// What the comparison's engine says; the next run starts after this returns.
fn hear(shared: &Shared, view: &UseStateHandle<View>, message: FromEngine) {
    let finished = {
        let mut slot = shared.borrow_mut();
        let Some(runner) = slot.as_mut() else { return };
        match message {
            FromEngine::Ready { .. } => {
                runner.ready = true;
                false
            }
            FromEngine::Progress(progress) if runner.ready => {
                let done = progress.status == Status::Done;
                let Some(run) = runner.current() else { return };
                runner.latest = Some((progress.metrics.step, Outcome::new(run, &progress.metrics)));
                done && runner.finish_run()
            }
            FromEngine::TextProgress(progress) if runner.ready => {
                let done = progress.status == Status::Done;
                let Some(run) = runner.current() else { return };
                let figures = &progress.figures;
                runner.latest = Some((figures.held_out_step, Outcome::of_text(run, figures)));
                done && runner.finish_run()
            }
            FromEngine::Status(Status::Done) if runner.ready => runner.finish_run(),
            FromEngine::Error(why) => {
                view.set(runner.view(Some(why.to_string())));
                *slot = None;
                false
            }
            _ => false,
        }
    };
    if finished {
        let (shared, view) = (shared.clone(), view.clone());
        spawn_local(async move { start_next(&shared, &view) });
    }
}

#[derive(Properties, PartialEq)]
pub struct CompareProps {
    pub params: Params,
}

#[function_component]
pub fn Compare(props: &CompareProps) -> Html {
    let view = use_state(View::default);
    let shared: Shared = use_mut_ref(|| None::<Runner>).clone();
    // New settings make the results another experiment's: they go, and a comparison under way stops.
    {
        let (shared, view) = (shared.clone(), view.clone());
        use_effect_with(props.params.run_spec(), move |_: &RunSpec| {
            *shared.borrow_mut() = None;
            view.set(View::default());
        });
    }
    let on_run = {
        let (shared, view, params) = (shared.clone(), view.clone(), props.params.clone());
        Callback::from(move |_: MouseEvent| {
            let hearing = (shared.clone(), view.clone());
            let engine = EngineHandle::spawn(Callback::from(move |message| hear(&hearing.0, &hearing.1, message)));
            let plan = compare::plan(&params);
            *shared.borrow_mut() =
                Some(Runner { plan, ready: false, latest: None, outcomes: Vec::new(), engine: Rc::new(engine) });
            start_next(&shared, &view);
        })
    };
    let on_cancel = {
        let (shared, view) = (shared.clone(), view.clone());
        // The runs kept so far come from the runner itself, not from this render's view, which
        // may be older than the comparison it cancels.
        Callback::from(move |_: MouseEvent| {
            let runner = shared.borrow_mut().take();
            if let Some(runner) = runner {
                view.set(View { running: false, ..runner.view(None) });
            }
        })
    };
    // The plan is built once a render (figures arrive many times a second), its CSV once too.
    let plan = compare::plan(&props.params);
    let (plan_len, steps) = (plan.len(), plan.first().map_or(0, |run| run.spec.max_steps));
    let measure = Measure::of(props.params.scenario);
    let rows = compare::rows(&view.outcomes);
    let csv = compare::csv(&rows, measure);
    let total = if view.total > 0 { view.total } else { plan_len };
    html! {
        <section class="compare" data-testid="compare" aria-label="Compare what each kind of answer is worth">
            <h2>{ "Compare: what is each kind of answer worth?" }</h2>
            <p class="note">{ what_runs(&plan, measure, plan_len, steps) }</p>
            <div class="compare-buttons">
                <button data-testid="compare-run" onclick={on_run} disabled={view.running}>{ "Compare" }</button>
                if view.running {
                    <button data-testid="compare-cancel" onclick={on_cancel}>{ "Cancel" }</button>
                }
                if view.running || !view.outcomes.is_empty() {
                    <label>
                        <progress data-testid="compare-progress" value={view.outcomes.len().to_string()} max={total.to_string()} />
                        { format!(" {} of {total} runs", view.outcomes.len()) }
                    </label>
                }
            </div>
            if let Some(error) = &view.error {
                <p class="error" role="alert">{ format!("The comparison stopped: {error}") }</p>
            }
            if !rows.is_empty() {
                { bars(&rows, measure) }
                { table(&rows, measure) }
                <button class="small" data-testid="compare-csv" data-csv={csv.clone()} onclick={copy_csv(csv)}>
                    { "Copy as CSV" }</button>
            }
        </section>
    }
}

/// What the comparison runs, in words.
fn what_runs(plan: &[PlannedRun], measure: Measure, runs: usize, steps: usize) -> String {
    if measure == Measure::HeldOutLoss {
        let (chars, human) = match plan.first().map(|run| &run.spec.scenario) {
            Some(ScenarioSpec::Text(text)) => (text.api_chars, text.text_size),
            _ => (TEXT_API_CHARS, 0),
        };
        return format!(
            "Trains, for these settings, the distilled student on the API's text alone, with its top k \
             log-probabilities and with its whole distribution, over seeds 1–3, {steps} steps each and {chars} \
             characters bought (at most {TEXT_API_CHARS}, so that buying them takes seconds, not a minute), beside \
             the baseline, which reads its {human} characters of human text whatever the budget: {runs} runs in the \
             background, on a CPU engine of their own. Lower held-out loss is better."
        );
    }
    format!(
        "Trains, for these settings, the distilled student with the teacher's labels alone, its top k \
         probabilities and its whole distribution{}, over seeds 1–3, {steps} steps each, beside \
         the baseline: {runs} runs in the background, on a CPU engine of their own.",
        extra_arms(plan)
    )
}

/// The arms beyond the three kinds of answer, in words, each after a comma.
fn extra_arms(plan: &[PlannedRun]) -> String {
    let mut arms: Vec<Arm> = plan.iter().map(|run| run.arm).collect();
    arms.dedup();
    let mut words = String::new();
    for arm in arms {
        words += &match arm {
            Arm::OtherQueries(QueriesFrom::Uniform) => {
                ", its whole distribution again for uniformly random queries".into()
            }
            Arm::OtherQueries(QueriesFrom::Data) => ", its whole distribution again for queries like the data".into(),
            Arm::Labels(labels) => {
                format!(
                    ", the baseline again with as many labels as answers bought ({labels}, or every training label where there are fewer)"
                )
            }
            Arm::Answers(_) => String::new(),
        };
    }
    words
}

/// Puts `csv` on the clipboard (where the browser allows it; the button also holds it).
fn copy_csv(csv: String) -> Callback<MouseEvent> {
    Callback::from(move |_: MouseEvent| {
        if let Some(window) = web_sys::window() {
            let _ = window.navigator().clipboard().write_text(&csv);
        }
    })
}

/// One bar per kind of answer and the baseline: the mean over the seeds, with a line from the
/// lowest to the highest. A name with a qualifier ("full (uniform)") takes two lines. Accuracy
/// runs from 0 to 1; a loss from four fifths of the lowest to a little above the highest, so that
/// losses a few hundredths apart look apart.
fn bars(rows: &[Row], measure: Measure) -> Html {
    const STEP: f64 = 84.0;
    let summary = compare::summary(rows);
    let (width, height, bar) = (STEP * summary.len() as f64 + 20.0, 152.0, 36.0);
    let (floor, top) = match measure {
        Measure::TestAccuracy => (0.0, 1.0),
        Measure::HeldOutLoss => {
            let lowest = summary.iter().map(|s| s.2 as f64).fold(f64::INFINITY, f64::min);
            let highest = summary.iter().map(|s| s.3 as f64).fold(f64::NEG_INFINITY, f64::max);
            (0.8 * lowest, 1.02 * highest + 1e-3)
        }
    };
    let y = |value: f32| 10.0 + (height - 52.0) * (1.0 - (value as f64 - floor) / (top - floor));
    let label =
        summary.iter().map(|(mode, mean, ..)| format!("{mode} {}", measure.show(*mean))).collect::<Vec<_>>().join(", ");
    let title = match measure {
        Measure::TestAccuracy => "Mean test accuracy",
        Measure::HeldOutLoss => "Mean held-out loss in nats per character (lower is better)",
    };
    html! {
        <svg class="compare-bars" viewBox={format!("0 0 {width} {height}")} role="img" aria-label={format!("{title}: {label}")}>
            { for summary.iter().enumerate().map(|(i, (mode, mean, low, high))| {
                let x = 20.0 + STEP * i as f64;
                let middle = (x + bar / 2.0).to_string();
                let class = if mode.starts_with("baseline") { "bar baseline" } else { "bar student" };
                let (name, qualifier) = mode.split_once(" (").map_or((mode.as_str(), None), |(name, rest)| (name, Some(format!("({rest}"))));
                html! {
                    <g>
                        <rect class={class} x={x.to_string()} y={y(*mean).to_string()} width={bar.to_string()} height={(y(floor as f32) - y(*mean)).to_string()} />
                        <line class="spread" x1={middle.clone()} x2={middle.clone()} y1={y(*low).to_string()} y2={y(*high).to_string()} />
                        <text x={middle.clone()} y={(height - 29.0).to_string()} text-anchor="middle">{ name }</text>
                        if let Some(qualifier) = qualifier {
                            <text x={middle.clone()} y={(height - 16.0).to_string()} text-anchor="middle">{ qualifier }</text>
                        }
                        <text x={middle} y={(height - 3.0).to_string()} text-anchor="middle">{ measure.show(*mean) }</text>
                    </g>
                }
            }) }
        </svg>
    }
}

fn table(rows: &[Row], measure: Measure) -> Html {
    let (value, bought) = match measure {
        Measure::TestAccuracy => ("test accuracy", "answers bought"),
        Measure::HeldOutLoss => ("held-out loss", "characters bought"),
    };
    html! {
        <table class="compare-table" data-testid="compare-table">
            <thead><tr><th>{ "answers" }</th><th>{ "seed" }</th><th>{ value }</th><th>{ bought }</th><th>{ "numbers received" }</th></tr></thead>
            <tbody>
                { for rows.iter().map(|row| html! {
                    <tr data-mode={row.mode.clone()} data-seed={row.seed.to_string()} data-value={row.value.to_string()}>
                        <td>{ row.mode.clone() }</td><td>{ row.seed.to_string() }</td><td>{ measure.show(row.value) }</td>
                        <td>{ row.answers.to_string() }</td><td>{ row.numbers.to_string() }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}
