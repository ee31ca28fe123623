//! Dark knowledge: one digit's full answer from each model at a temperature, as ten bars a model.
//! The preview temperature reshapes the bars at once from the logits the engine reported; it never
//! touches training.

use yew::prelude::*;

use crate::model::State;
use crate::ui::digit_gallery::{DIGIT_CLASSES, one_per_digit};
use distill_core::params::{TEMPERATURE_STOPS, nearest_stop};
use distill_core::{Role, Trio, softmax_at};

const MODELS: [(Role, &str, &str); 3] = [
    (Role::Teacher, "teacher", "Teacher"),
    (Role::Student, "student", "Distilled"),
    (Role::Baseline, "baseline", "Baseline"),
];

#[derive(Properties, PartialEq)]
pub struct DarkKnowledgeProps {
    /// What is shown, e.g. "test digit 22, a 7".
    pub title: String,
    /// The true class, where there is one (a drawing has none).
    pub label: Option<usize>,
    /// Teacher, student and baseline logits, ten each.
    pub logits: Option<Trio<Vec<f32>>>,
    /// The preview temperature: the run's T until the panel's slider moves.
    pub temperature: f32,
    pub on_temperature: Callback<f32>,
}

/// What the panel shows: a gallery digit, or the latest drawing, at the preview temperature.
pub struct Subject {
    pub title: String,
    pub label: Option<usize>,
    pub logits: Option<Trio<Vec<f32>>>,
    pub temperature: f32,
}

pub fn subject(state: &State) -> Subject {
    let digit = state.params.dk_digit;
    let temperature = match state.params.dk_t as f32 {
        t if t > 0.0 => t,
        _ => state.params.temperature as f32,
    };
    let gallery_label = state.digits.as_ref().and_then(|d| d.labels.get(digit).copied());
    match (&state.drawn_logits, state.showing_drawing) {
        (Some(logits), true) => {
            Subject { title: "your drawing".to_string(), label: None, logits: Some(logits.clone()), temperature }
        }
        _ => Subject {
            title: gallery_label.map_or("a test digit".into(), |label| format!("test digit {}, a {label}", digit + 1)),
            label: gallery_label.map(usize::from),
            logits: state.progress.as_ref().and_then(|p| p.metrics.watched_logits.get(digit)).cloned(),
            temperature,
        },
    }
}

fn joined(probabilities: &[f32]) -> String {
    probabilities.iter().map(|p| format!("{p:.5}")).collect::<Vec<_>>().join(",")
}

/// Bar height in percent: linear, or on a log scale from 10⁻⁴ to 1.
fn height(p: f32, log: bool) -> f32 {
    if log { ((p.max(1e-4).log10() + 4.0) / 4.0 * 100.0).clamp(0.0, 100.0) } else { (p * 100.0).clamp(0.0, 100.0) }
}

#[function_component]
pub fn DarkKnowledge(props: &DarkKnowledgeProps) -> Html {
    let log = use_state(|| false);
    let Some(logits) = props.logits.as_ref().filter(|logits| one_per_digit(logits)) else {
        return html! {
            <section class="dark-knowledge" data-testid="dark-knowledge">
                <h2>{ "Dark knowledge" }</h2>
                <p>{ "The teacher's full answer appears with the first figures." }</p>
            </section>
        };
    };
    let t = props.temperature;
    let probabilities = logits.as_ref().map(|row| softmax_at(row, t));
    let teacher_top =
        (0..DIGIT_CLASSES).max_by(|&a, &b| probabilities.teacher[a].total_cmp(&probabilities.teacher[b])).unwrap_or(0);
    let right = props.label.unwrap_or(teacher_top);
    let wrong_share = |p: &[f32]| 1.0 - p[right];
    let at_one = softmax_at(&logits.teacher, 1.0);
    let stop = nearest_stop(&TEMPERATURE_STOPS, t as f64);
    let on_slide = {
        let on_temperature = props.on_temperature.clone();
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            if let Some(&value) = input.value().parse::<usize>().ok().and_then(|i| TEMPERATURE_STOPS.get(i)) {
                on_temperature.emit(value as f32);
            }
        })
    };
    let toggle_log = {
        let log = log.clone();
        Callback::from(move |_: Event| log.set(!*log))
    };
    html! {
        <section class="dark-knowledge" data-testid="dark-knowledge" aria-label="Dark knowledge: each model's full answer"
            data-teacher={joined(&probabilities.teacher)} data-student={joined(&probabilities.student)} data-baseline={joined(&probabilities.baseline)}
            data-temperature={t.to_string()}>
            <h2>{ format!("Dark knowledge: {}", props.title) }</h2>
            <p class="legend">{ "Each model's probability for every digit, softened at temperature T. The teacher's small \
                probabilities for the wrong digits say which ones this looks like: that is what the distilled student learns from." }</p>
            <div class="dk-controls">
                <label for="dk-temperature">{ format!("Preview T = {t}") }</label>
                <input id="dk-temperature" data-testid="dk-temperature" type="range" min="0"
                    max={(TEMPERATURE_STOPS.len() - 1).to_string()} step="1" value={stop.to_string()}
                    aria-valuetext={format!("T = {t}")} oninput={on_slide} />
                <label class="toggle"><input type="checkbox" checked={*log} onchange={toggle_log} data-testid="dk-log" />{ " log scale" }</label>
            </div>
            <div class="dk-bars" role="img" aria-label={format!("Teacher's probabilities at T = {t}: {}",
                probabilities.teacher.iter().enumerate().map(|(c, p)| format!("{c}: {:.1}%", 100.0 * p)).collect::<Vec<_>>().join(", "))}>
                { for (0..DIGIT_CLASSES).map(|class| html! {
                    <div class={classes!("dk-class", (Some(class) == props.label).then_some("true-class"))} data-testid="dk-bar" data-class={class.to_string()}>
                        <div class="dk-stack">
                            { for MODELS.iter().map(|&(role, key, name)| html! {
                                <span class={classes!("dk-bar", key)} style={format!("height: {:.1}%", height(probabilities[role][class], *log))}
                                    title={format!("{name}: {:.2}%", 100.0 * probabilities[role][class])}
                                    data-probs={format!("{:.5}", probabilities[role][class])} />
                            }) }
                        </div>
                        <span class="dk-label">{ class }</span>
                    </div>
                }) }
            </div>
            <div class="legend">
                { for MODELS.iter().map(|&(_, key, name)| html! { <span class={classes!("key", key)}>{ name }</span> }) }
            </div>
            <p class="dk-wrong" data-testid="dk-wrong" data-value={wrong_share(&probabilities.teacher).to_string()}>
                { format!("At T = {t} the teacher gives {:.1}% of its probability to the wrong digits (at T = 1: {:.2}%).",
                    100.0 * wrong_share(&probabilities.teacher), 100.0 * wrong_share(&at_one)) }
            </p>
        </section>
    }
}
