//! The live figures, as DOM text with stable `data-testid`s.

use yew::prelude::*;

use crate::model::Models;
use distill_core::Answers;
use distill_core::protocol::{BackendReport, Progress, Status};

#[derive(Properties, PartialEq)]
pub struct FiguresProps {
    pub progress: Option<Progress>,
    pub status: Status,
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

/// Figures a projector leaves out, to keep the maps and charts in view.
const MINOR: [&str; 8] = [
    "teacher-step",
    "steps-per-second",
    "loss-soft",
    "loss-hard",
    "queries-answered",
    "engine-memory",
    "params-teacher",
    "params-student",
];

fn figure(label: &str, test_id: &'static str, value: String, title: &str) -> Html {
    html! {
        <div class={classes!("figure", MINOR.contains(&test_id).then_some("minor"))} title={title.to_string()}>
            <span class="figure-label">{ label }</span>
            <span class="figure-value" data-testid={test_id}>{ value }</span>
        </div>
    }
}

#[function_component]
pub fn Figures(props: &FiguresProps) -> Html {
    let m = props.progress.as_ref().map(|p| &p.metrics);
    let acc = |f: fn(&distill_core::Metrics) -> f32| m.map_or("—".into(), |m| percent(f(m)));
    let backend = props.backend.as_ref();
    let (total_note, soft_note) = loss_notes(props.answers, props.query_mode);
    html! {
        <section class="figures" aria-label="Live figures">
            <div class="figure backend" title={backend.map(|b| b.reason.clone()).unwrap_or_default()}>
                <span class="figure-label">{ "Backend" }</span>
                <span class="figure-value" data-testid="backend">{ backend.map_or("starting…".into(), BackendReport::label) }</span>
                <span class="figure-note" data-testid="backend-reason">{ backend.map(|b| b.reason.clone()).unwrap_or_default() }</span>
            </div>
            { figure("Status", "status", props.status.name().into(), "idle, training, paused, done or error") }
            { figure("Teacher steps", "teacher-step", m.map_or("0".into(), |m| m.teacher_step.to_string()), "the teacher's own training steps") }
            { figure("Student steps", "step", m.map_or("0".into(), |m| m.step.to_string()), "steps of the distilled student (and of the baseline)") }
            { figure("Steps / s", "steps-per-second", props.progress.as_ref().map_or("—".into(), |p| rate(p.steps_per_second)), "training steps per second of wall time, over the latest stretch of training") }
            { figure("Total loss", "loss-total", loss(m.and_then(|m| m.models.student.loss)), total_note) }
            { figure("Soft loss", "loss-soft", loss(m.and_then(|m| m.loss_soft)), &soft_note) }
            { figure("Hard loss", "loss-hard", loss(m.and_then(|m| m.loss_hard)), "cross-entropy with the true labels") }
            { figure("Teacher accuracy", "acc-teacher", acc(|m| m.models.teacher.accuracy), "on held-out test points") }
            { figure("Distilled accuracy", "acc-student", acc(|m| m.models.student.accuracy), "on held-out test points") }
            { figure("Baseline accuracy", "acc-baseline", acc(|m| m.models.baseline.accuracy), "on held-out test points") }
            { figure("Agreement", "agreement", acc(|m| m.models.student.agreement), "how often the distilled student predicts what the teacher predicts, on test points") }
            if props.plane {
                { figure("Agreement over the plane", "agreement-plane", props.plane_agreement.map_or("—".into(), percent), "share of the 100×100 map where the distilled student predicts the teacher's class") }
            }
            if props.omitting {
                { figure("Bias shift", "bias-shift", m.map_or("—".into(), |m| format!("+{:.1} (distilled without it: {})", m.bias_shift, percent(m.acc_student_unshifted))),
                    "added to the student's logit for the left-out class when it is tested") }
            }
            <div class="figure minor" title="unlabelled inputs the distilled student asked the teacher about (query mode)">
                <span class="figure-label">{ "Queries" }</span>
                <span class="figure-value" data-testid="queries-answered">{
                    match (props.query_mode, m) {
                        (false, _) => "— (learns on the training points)".to_string(),
                        (true, Some(m)) if m.queries_answered > 0 => format!("the teacher has answered {} queries", m.queries_answered),
                        (true, _) => "the teacher answers once it is trained".to_string(),
                    }
                }</span>
            </div>
            <div class="figure minor" title="the training engine's WebAssembly memory; it stays flat while training">
                <span class="figure-label">{ "Engine memory" }</span>
                <span class="figure-value" data-testid="engine-memory" data-bytes={props.progress.as_ref().map(|p| p.engine_memory.to_string())}>
                    { props.progress.as_ref().map_or("—".into(), |p| format!("{:.1} MB", p.engine_memory as f64 / 1e6)) }
                </span>
            </div>
            { figure("Teacher parameters", "params-teacher", props.models.as_ref().map_or("—".into(), |m| format!("{} ({})", m.teacher_params, m.teacher_label)), "weights and biases") }
            { figure("Student parameters", "params-student", props.models.as_ref().map_or("—".into(), |m| format!("{} ({})", m.student_params, m.student_label)), "weights and biases") }
        </section>
    }
}
