//! The resources card: the claim as live numbers. How much smaller the student is, how fast it
//! answers, how much of the teacher's accuracy it reached, and from how many of its answers.

use yew::prelude::*;

use crate::model::Models;
use distill_core::params::Params;
use distill_core::run_spec::Scenario;
use distill_core::{AnswerKind, Answers, Metrics, QueriesFrom, Transfer};

#[derive(Properties, PartialEq)]
pub struct ResourcesProps {
    pub params: Params,
    pub metrics: Option<Metrics>,
    pub models: Option<Models>,
    /// Milliseconds per input of a teacher and a student forward pass.
    pub inference: Option<(f64, f64)>,
}

/// `12345` as `12,345`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Weights and biases as f32, as the models hold them while training.
fn weight_bytes(params: usize) -> String {
    let bytes = params as f64 * 4.0;
    if bytes >= 1e6 { format!("{:.1} MB", bytes / 1e6) } else { format!("{:.1} KB", bytes / 1e3) }
}

/// A tiny student answers in nanoseconds per input: the unit follows, so it never reads as 0.
pub fn latency(ms: f64) -> String {
    if ms < 1e-3 {
        format!("{:.0} ns", ms * 1e6)
    } else if ms < 0.1 {
        format!("{:.1} µs", ms * 1000.0)
    } else {
        format!("{ms:.2} ms")
    }
}

pub fn ratio(value: f64) -> String {
    if value >= 10.0 { format!("{value:.0}×") } else { format!("{value:.1}×") }
}

/// A link to these settings with some changed: the page reloads into that run.
pub fn link_with(params: &Params, change: impl FnOnce(&mut Params)) -> String {
    let mut params = params.clone();
    change(&mut params);
    format!("?{}", params.to_query())
}

/// When labels alone do as well, in one line, with the setting that shows it.
fn labels_alone(params: &Params) -> Html {
    html! {
        <span class="labels-alone">
            { " Labels alone come close when a student already has plenty of clean labels: " }
            <a data-testid="labels-alone" href={link_with(params, |p| (p.transfer, p.transfer_size) = (Transfer::Train, 0))}>
                { "give both students every training label" }</a>
            { "." }
        </span>
    }
}

/// What each answer held, after the count of numbers received.
fn per_answer(answers: Answers, classes: usize) -> String {
    match answers.effective(classes) {
        Answers::Label => " one label per answer".into(),
        _ => {
            let n = answers.numbers_per_answer(classes);
            format!(" {n} probabilit{} per answer, of {classes} classes", if n == 1 { "y" } else { "ies" })
        }
    }
}

/// What each of the teacher's answers holds, against what an API returns, with links to the
/// other kinds of answer.
fn what_answers_hold(params: &Params) -> Html {
    let classes = params.class_count();
    let revealed = params.answers_revealed();
    let top_link = |label: &str| {
        let k = params.top_k.min(classes.saturating_sub(2)).max(1);
        html! { <a data-testid="answers-top" href={link_with(params, |p| (p.answers, p.top_k) = (AnswerKind::Top, k))}>{ format!("{label} {k}") }</a> }
    };
    let label_link = html! { <a data-testid="answers-label" href={link_with(params, |p| p.answers = AnswerKind::Label)}>{ "its answers alone" }</a> };
    let full_link = html! { <a data-testid="answers-full" href={link_with(params, |p| p.answers = AnswerKind::Full)}>{ "its whole distribution" }</a> };
    // In a two-class task the top class's probability gives the other's: no top-k to offer.
    let has_top = classes > 2;
    match revealed.effective(classes) {
        Answers::Full if params.answers == AnswerKind::Top => html! {
            <span>{ format!(" Each answer holds the teacher's top {} probabilities, which with {classes} classes give the rest too: its whole distribution. Compare ", params.top_k.min(classes)) }
                { label_link }{ "." }</span>
        },
        Answers::Full => html! {
            <span>{ " Each answer holds the teacher's whole distribution, which no public API returns: see what " }
                if has_top { <>{ top_link("its top") }{ " or " }</> }
                { label_link }{ " teach." }</span>
        },
        Answers::Top(k) => html! {
            <span>{ format!(" Each answer holds the teacher's top {k} probabilities, as a chat API's top log-probabilities do. Compare ") }
                { full_link }{ " or " }{ label_link }{ "." }</span>
        },
        Answers::Label => html! {
            <span>{ " Each answer is the teacher's label alone, as a classifier API returns it. Compare " }
                if has_top { <>{ top_link("its top") }{ " or " }</> }
                { full_link }{ "." }</span>
        },
    }
}

/// What the students learn from, and a link that shows what changing it does.
fn note(params: &Params, input: &str, own_labels: &str) -> Html {
    let digits = params.scenario == Scenario::Digits;
    if params.transfer == Transfer::Queries {
        html! {
            <p class="note">
                { format!("API mode: the distilled student never sees a label, only the teacher's answers to its queries; \
                           the baseline learns from {own_labels} labelled {input}s of its own instead.") }
                { what_answers_hold(params) }
                if params.queries_from == QueriesFrom::Uniform {
                    if digits {
                        <strong>{ " Uniform queries teach little: " }</strong>
                        { "random pixels look like no digit, so the teacher's answers about them say almost nothing about real handwriting. " }
                    } else {
                        <strong>{ " Uniform queries teach less: " }</strong>
                        { "most of the plane lies far from the data, so fewer of the teacher's answers describe the boundary where the test points are. " }
                    }
                    <a href={link_with(params, |p| p.queries_from = QueriesFrom::Data)}>{ "Ask about inputs like the data instead" }</a>
                } else {
                    { " It asks about unlabelled inputs like the data. " }
                    <a href={link_with(params, |p| p.queries_from = QueriesFrom::Uniform)}>{ "Ask uniformly random ones instead" }</a>
                    { " to see that what you ask matters." }
                }
                { labels_alone(params) }
            </p>
        }
    } else if params.transfer_size > 0 {
        html! {
            <p class="note">
                { format!("Both students own the same {own_labels} labelled {input}s; the distilled one also learns from the \
                           teacher's answers about them.") }
                { what_answers_hold(params) }
                { labels_alone(params) }
            </p>
        }
    } else {
        html! {
            <p class="note">
                { format!("Both students have all {own_labels} training labels: with plenty of clean labels, labels alone come \
                           close to the teacher's answers, which pay most when labels are few: ") }
                <a href={format!("?{}", Params::for_scenario(params.scenario).to_query())}>
                    { "back to the lab's story: a few labels, and the teacher's answers" }</a>
                { "." }
            </p>
        }
    }
}

#[function_component]
pub fn Resources(props: &ResourcesProps) -> Html {
    let digits = props.params.scenario == Scenario::Digits;
    let input = if digits { "digit" } else { "point" };
    let models = props.models.as_ref();
    let m = props.metrics.as_ref().filter(|m| m.phase == distill_core::Phase::Distill);
    let params_ratio = models.map(|m| m.teacher_params as f64 / m.student_params.max(1) as f64);
    let accuracy_ratio = m.map(|m| m.models.student.accuracy as f64 / (m.models.teacher.accuracy as f64).max(1e-9));
    let answers = m.map(|m| m.answers_used);
    let labelled = m.map(|m| m.labelled_examples);
    let queries = props.params.transfer == Transfer::Queries;
    let revealed = props.params.answers_revealed();
    let numbers = m.map(|m| m.numbers_received);
    let own_labels = labelled.map_or("—".into(), thousands);
    let note = note(&props.params, input, &own_labels);
    html! {
        <section class="resources" data-testid="resources" aria-label="What the student got, for how little">
            <h2>{ "What the student got, for how little" }</h2>
            <dl>
                <div>
                    <dt>{ "Parameters" }</dt>
                    <dd>
                        <span data-testid="res-params-ratio" data-value={params_ratio.map(|r| r.to_string())}>
                            { params_ratio.map_or("—".into(), |r| format!("{} fewer", ratio(r))) }
                        </span>
                        <small>{ models.map_or(String::new(), |m| format!(" teacher {} ({}), student {} ({})",
                            thousands(m.teacher_params), weight_bytes(m.teacher_params),
                            thousands(m.student_params), weight_bytes(m.student_params))) }</small>
                    </dd>
                </div>
                <div>
                    <dt>{ format!("Time per {input}, this backend") }</dt>
                    <dd>
                        { "teacher " }
                        <span data-testid="res-latency-teacher" data-ms={props.inference.map(|(t, _)| t.to_string())}>
                            { props.inference.map_or("—".into(), |(t, _)| latency(t)) }</span>
                        { ", student " }
                        <span data-testid="res-latency-student" data-ms={props.inference.map(|(_, s)| s.to_string())}>
                            { props.inference.map_or("—".into(), |(_, s)| latency(s)) }</span>
                        <small>{ " median of repeated batches" }</small>
                    </dd>
                </div>
                <div>
                    <dt>{ "Accuracy" }</dt>
                    <dd>
                        <span data-testid="res-accuracy-ratio" data-value={accuracy_ratio.map(|r| r.to_string())}>
                            { accuracy_ratio.map_or("—".into(), |r| format!("{:.1}% of the teacher's", 100.0 * r)) }
                        </span>
                    </dd>
                </div>
                <div>
                    <dt>{ "Teacher answers used" }</dt>
                    <dd>
                        <span data-testid="res-answers" data-value={answers.map(|k| k.to_string())}>
                            { answers.map_or("—".into(), thousands) }
                        </span>
                        <small>{ format!(" against {own_labels} labels of its own{}", if queries { " (the baseline's)" } else { "" }) }</small>
                    </dd>
                </div>
                <div>
                    <dt>{ "Numbers received" }</dt>
                    <dd>
                        <span data-testid="res-numbers" data-value={numbers.map(|k| k.to_string())}>
                            { numbers.map_or("—".into(), thousands) }
                        </span>
                        <small>{ per_answer(revealed, props.params.class_count()) }</small>
                    </dd>
                </div>
            </dl>
            { note }
        </section>
    }
}
