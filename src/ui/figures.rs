//! The live figures, as DOM text with stable `data-testid`s.

use yew::prelude::*;

use crate::model::{Latest, Models};
use crate::ui::resources::thousands;
use distill_core::protocol::BackendReport;
use distill_core::{Answers, layers_in_words};

#[derive(Properties, PartialEq)]
pub struct FiguresProps {
    pub progress: Option<Latest>,
    /// The run's state in a word (see `State::status_word`).
    pub status: &'static str,
    pub backend: Option<BackendReport>,
    pub models: Option<Models>,
    /// Share of the plane where the distilled student's map matches the teacher's.
    pub plane_agreement: Option<f32>,
    /// The 2-D lab (with a plane to agree over), rather than the digits lab.
    pub plane: bool,
    /// A class is left out of the transfer set (the digits lab's bias-shift experiment).
    pub omitting: bool,
    pub query_mode: bool,
    /// What the teacher reveals per answer, as the run uses it.
    pub answers: Answers,
    /// The weight of the soft term, as set (it is 1 in query mode whatever the setting).
    pub alpha: f32,
}

/// What the soft and total loss figures are, for the answers the student gets.
fn loss_notes(answers: Answers, query_mode: bool) -> (&'static str, String) {
    let total = if query_mode {
        "the soft term alone: no labels, so α = 1"
    } else {
        "α·soft + (1−α)·hard, distilled student"
    };
    match answers {
        Answers::Full => (total, "T²·KL(teacher ‖ student) at temperature T".into()),
        Answers::Top(k) => (total, format!("T²·KL over the teacher's top {k} classes and the rest, at temperature T")),
        Answers::Label => {
            ("the soft term alone: labels take no T or α", "cross-entropy with the teacher's labels".into())
        }
    }
}

fn loss(value: Option<f32>) -> String {
    value.map_or("—".into(), |v| format!("{v:.4}"))
}

/// Whole steps per second, with a decimal when it is slow enough to need one.
fn rate(value: f32) -> String {
    if value < 10.0 { format!("{value:.1}") } else { format!("{value:.0}") }
}

fn percent(value: f32) -> String {
    format!("{:.1}%", value * 100.0)
}

pub fn figure(label: &str, test_id: &'static str, value: String, title: &str) -> Html {
    html! {
        <div class="figure" title={title.to_string()}>
            <span class="figure-label">{ label }</span>
            <span class="figure-value" data-testid={test_id}>{ value }</span>
        </div>
    }
}

/// Remembered in the browser: whether this visitor keeps "More figures" open.
const MORE_KEY: &str = "distill-lab-more-figures";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn more_figures_open() -> bool {
    storage().and_then(|s| s.get_item(MORE_KEY).ok()?).is_some_and(|v| v == "1")
}

fn remember_more_figures(event: Event) {
    let details: web_sys::HtmlDetailsElement = event.target_unchecked_into();
    if let Some(storage) = storage() {
        let _ = storage.set_item(MORE_KEY, if details.open() { "1" } else { "0" });
    }
}

/// "1,000 answers against 20 labels": what the distilled student bought, beside the labels owned.
fn bought(props: &FiguresProps, m: Option<&distill_core::Metrics>) -> String {
    let Some(m) = m.filter(|m| m.phase == distill_core::Phase::Distill) else {
        return "once the students learn".into();
    };
    let kind = match props.answers {
        Answers::Label => "labels",
        _ => "answers",
    };
    let owner = if props.query_mode { "the baseline's" } else { "both students'" };
    format!("{} {kind} against {owner} {} labels", thousands(m.answers_used), thousands(m.labelled_examples))
}

#[function_component]
pub fn Figures(props: &FiguresProps) -> Html {
    let m = props.progress.as_ref().map(|p| &p.metrics);
    let acc = |f: fn(&distill_core::Metrics) -> f32| m.map_or("—".into(), |m| percent(f(m)));
    html! {
        <section class="figures-panel" aria-label="Live figures">
            <div class="figures">
                { figure("Status", "status", props.status.into(), "loading, idle, training, paused, done or error") }
                { figure("Student steps", "step", m.map_or("0".into(), |m| m.step.to_string()), "steps of the distilled student and of the baseline, after the teacher's own training") }
                { figure("Teacher accuracy", "acc-teacher", acc(|m| m.models.teacher.accuracy), "on held-out test points") }
                { figure("Distilled accuracy", "acc-student", acc(|m| m.models.student.accuracy), "the small student that learns from the teacher's answers, on held-out test points") }
                { figure("Baseline accuracy", "acc-baseline", acc(|m| m.models.baseline.accuracy), "the same small student, learning from its few labels alone, on held-out test points") }
                { figure("Teacher answers", "answers-bought", bought(props, m), "what the distilled student got from the teacher, against the labels it would otherwise learn from") }
                if props.omitting {
                    { figure("Bias shift", "bias-shift", m.map_or("—".into(), |m| format!("+{:.1} (distilled without it: {})", m.bias_shift, percent(m.acc_student_unshifted))),
                        "added to the student's logit for the left-out class when it is tested") }
                }
            </div>
            <details class="more-figures" open={more_figures_open()} ontoggle={Callback::from(remember_more_figures)}>
                <summary data-testid="more-figures">{ "More figures" }<span class="summary-detail">{ ": losses, speed, memory, backend, agreement" }</span></summary>
                { more_figures(props) }
            </details>
        </section>
    }
}

/// Whether the hard term (cross-entropy with true labels) is part of the distilled student's loss:
/// not without labels (query mode), not for a student that copies labels, not at α = 1.
fn hard_term_applies(props: &FiguresProps) -> bool {
    !props.query_mode && props.answers != Answers::Label && props.alpha < 1.0
}

fn more_figures(props: &FiguresProps) -> Html {
    let m = props.progress.as_ref().map(|p| &p.metrics);
    let backend = props.backend.as_ref();
    let (total_note, soft_note) = loss_notes(props.answers, props.query_mode);
    let agreement = |f: fn(&distill_core::Metrics) -> f32| m.map_or("—".into(), |m| percent(f(m)));
    // The digits lab's teacher is shipped trained: it takes no steps here.
    let teacher_steps =
        if props.plane { m.map_or("0".into(), |m| m.teacher_step.to_string()) } else { "trained beforehand".into() };
    html! {
        <div class="figures-more">
            <div class="figure backend" title={backend.map(|b| b.reason.clone()).unwrap_or_default()}>
                <span class="figure-label">{ "Backend" }</span>
                <span class="figure-value" data-testid="backend">{ backend.map_or("starting…".into(), BackendReport::label) }</span>
                <span class="figure-note" data-testid="backend-reason">{ backend.map(|b| b.reason.clone()).unwrap_or_default() }</span>
            </div>
            { figure("Teacher steps", "teacher-step", teacher_steps, "the teacher's own training steps, before the students start") }
            { figure("Steps / s", "steps-per-second", props.progress.as_ref().map_or("—".into(), |p| rate(p.steps_per_second)), "training steps per second of wall time, over the latest stretch of training") }
            { figure("Total loss", "loss-total", loss(m.and_then(|m| m.models.student.loss)), total_note) }
            { figure("Soft loss", "loss-soft", loss(m.and_then(|m| m.loss_soft)), &soft_note) }
            if hard_term_applies(props) {
                { figure("Hard loss", "loss-hard", loss(m.and_then(|m| m.loss_hard)), "cross-entropy with the true labels") }
            }
            { figure("Agreement on test points", "agreement", agreement(|m| m.models.student.agreement), "how often the distilled student predicts what the teacher predicts, on the held-out test points") }
            if props.plane {
                { figure("Agreement over the plane", "agreement-plane", props.plane_agreement.map_or("—".into(), percent), "share of the whole 100×100 map, far from the data too, where the distilled student predicts the teacher's class") }
            }
            if props.query_mode {
                { figure("Queries", "queries-answered", match m {
                    Some(m) if m.queries_answered > 0 => format!("the teacher has answered {} queries", m.queries_answered),
                    _ => "the teacher answers once it is trained".to_string(),
                }, "unlabelled inputs the distilled student asked the teacher about") }
            }
            <div class="figure" title="the training engine's WebAssembly memory; it stays flat while training">
                <span class="figure-label">{ "Engine memory" }</span>
                <span class="figure-value" data-testid="engine-memory" data-bytes={props.progress.as_ref().map(|p| p.engine_memory.to_string())}>
                    { props.progress.as_ref().map_or("—".into(), |p| format!("{:.1} MB", p.engine_memory as f64 / 1e6)) }
                </span>
            </div>
            { figure("Teacher parameters", "params-teacher", props.models.as_ref().map_or("—".into(), |m| format!("{} ({})", m.teacher_params, m.teacher_label)),
                &props.models.as_ref().map_or("weights and biases".into(), |m| format!("weights and biases; {}", layers_in_words(&m.teacher_label)))) }
            { figure("Student parameters", "params-student", props.models.as_ref().map_or("—".into(), |m| format!("{} ({})", m.student_params, m.student_label)),
                &props.models.as_ref().map_or("weights and biases".into(), |m| format!("weights and biases; {}", layers_in_words(&m.student_label)))) }
        </div>
    }
}
