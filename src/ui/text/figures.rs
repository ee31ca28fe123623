//! The text lab's live figures (held-out loss per character of all three models, characters
//! bought) and its resources card: how much smaller the student is, how much of the teacher's
//! improvement over the baseline it reached, what it bought, and what each model costs.

use std::rc::Rc;

use yew::prelude::*;

use crate::model::{Models, TextLab};
use crate::ui::figures::figure;
use crate::ui::resources::{latency, ratio, thousands};
use distill_core::protocol::{BackendKind, BackendReport, TextFigures as Figures, TextView, Written};

fn nats(value: Option<f32>) -> String {
    value.filter(|v| v.is_finite()).map_or("—".into(), |v| format!("{v:.3}"))
}

/// The card's story in one sentence, for the tour: the three held-out losses, the distilled
/// student's share of the teacher's lead, and what it bought.
pub fn text_headline(latest: Option<&Figures>) -> String {
    let Some(f) = latest.filter(|f| f.held_out.student.is_finite()) else {
        return "Press Play: the card fills in as the students learn.".into();
    };
    let share = TextLab::share_of_improvement(f)
        .map_or(String::new(), |s| format!(": {:.0}% of the teacher's improvement over the baseline", 100.0 * s));
    format!(
        "Held-out loss {} for the distilled student, {} for the baseline and {} for the teacher{share}, from {} characters bought.",
        nats(Some(f.held_out.student)),
        nats(Some(f.held_out.baseline)),
        nats(Some(f.held_out.teacher)),
        thousands(f.api_chars)
    )
}

#[derive(Properties, PartialEq)]
pub struct TextFiguresProps {
    pub latest: Option<Figures>,
    /// The run's state in a word (see `State::status_word`).
    pub status: &'static str,
    pub backend: Option<BackendReport>,
    pub steps_per_second: f32,
    pub view: Option<TextView>,
}

#[function_component]
pub fn TextFiguresPanel(props: &TextFiguresProps) -> Html {
    let f = props.latest.as_ref();
    let budget = props.view.as_ref().map_or(0, |v| v.api_budget);
    let backend = props.backend.as_ref();
    html! {
        <section class="figures-panel" aria-label="Live figures">
            <div class="figures">
                { figure("Status", "status", props.status.into(), "loading, idle, training, paused, done or error") }
                { figure("Student steps", "step", f.map_or("0".into(), |f| f.step.to_string()), "steps of the distilled student and of the baseline") }
                { figure("Teacher loss", "loss-teacher", nats(f.map(|f| f.held_out.teacher)), "held-out loss in nats per character (lower is better), measured when the teacher loaded") }
                { figure("Distilled loss", "loss-student", nats(f.map(|f| f.held_out.student)), "the distilled student's held-out loss in nats per character") }
                { figure("Baseline loss", "loss-baseline", nats(f.map(|f| f.held_out.baseline)), "the baseline's held-out loss in nats per character") }
                { figure("Characters bought", "api-chars", f.map_or("0".into(), |f| thousands(f.api_chars)), &format!("characters of answers bought from the API, of {} at most", thousands(budget))) }
                { figure("Steps / s", "steps-per-second", format!("{:.1}", props.steps_per_second), "training steps per second of wall time") }
                <div class="figure backend" title={backend.map(|b| b.reason.clone()).unwrap_or_default()}>
                    <span class="figure-label">{ "Backend" }</span>
                    <span class="figure-value" data-testid="backend">{ backend.map_or("starting…".into(), BackendReport::label) }</span>
                </div>
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct TextResourcesProps {
    pub latest: Option<Figures>,
    pub models: Option<Models>,
    pub view: Option<TextView>,
    pub written: Option<Rc<Written>>,
    pub backend: Option<BackendReport>,
}

fn bytes(value: u64) -> String {
    if value >= 1_000_000 { format!("{:.2} MB", value as f64 / 1e6) } else { format!("{:.0} KB", value as f64 / 1e3) }
}

#[function_component]
pub fn TextResources(props: &TextResourcesProps) -> Html {
    let f = props.latest.as_ref();
    let share = f.and_then(TextLab::share_of_improvement);
    let params_ratio = props.models.as_ref().map(|m| m.teacher_params as f64 / m.student_params.max(1) as f64);
    let ms = props.written.as_ref().map(|w| w.ms_per_char);
    // All three write on the CPU: the teacher (the API's model) wherever the students train, and
    // students that train on WebGPU from a copy of their weights (a read per character would
    // wait on the GPU each time).
    let students_on = match props.backend.as_ref().map(|b| b.kind) {
        Some(BackendKind::WebGpu) => "on the CPU; it trains on WebGPU",
        _ => "on the CPU",
    };
    // Rows carry their exact number beside the words, for checking the words against it.
    let row = |label: &str, test_id: &'static str, value: String, exact: Option<f64>| {
        html! {
            <tr><th scope="row">{ label }</th><td data-testid={test_id} data-value={exact.map(|v| v.to_string())}>{ value }</td></tr>
        }
    };
    html! {
        <section class="resources" aria-label="Resources" data-testid="resources">
            <h2>{ "Resources" }</h2>
            <table>
                { row("Parameters", "res-params-ratio", match (params_ratio, &props.models) {
                    (Some(r), Some(m)) => format!("the student has {} fewer ({} against the teacher's {})", ratio(r), thousands(m.student_params), thousands(m.teacher_params)),
                    _ => "—".into(),
                }, params_ratio) }
                { row("Share of the teacher's lead", "res-improvement", match share {
                    Some(s) => format!("{:.0}% of the teacher's improvement over the baseline", 100.0 * s),
                    None => "—".into(),
                }, share.map(f64::from)) }
                { row("Bought from the API", "res-answers", f.map_or("—".into(), |f| format!("{} characters", thousands(f.api_chars))), f.map(|f| f.api_chars as f64)) }
                { row("Numbers received", "res-numbers", f.map_or("—".into(), |f| format!("{} log-probabilities", thousands(f.numbers))), f.map(|f| f.numbers as f64)) }
                { row("Weights", "res-weights", props.view.as_ref().map_or("—".into(), |v| format!("teacher {} (half precision), each student {}", bytes(v.weights_bytes.teacher), bytes(v.weights_bytes.student))), None) }
                { row("Time per character (teacher, on the CPU)", "res-latency-teacher", ms.map_or("—".into(), |m| latency(m.teacher)), ms.map(|m| m.teacher)) }
                { row(&format!("Time per character (student, {students_on})"), "res-latency-student", ms.map_or("—".into(), |m| latency(m.student)), ms.map(|m| m.student)) }
            </table>
        </section>
    }
}
