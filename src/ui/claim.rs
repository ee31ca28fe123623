//! The lab's claim in one line, above its picture: the three accuracies and what the distilled
//! student's accuracy cost, with a link to the fair comparison (the baseline given as many labels
//! as the distilled student got answers).

use yew::prelude::*;

use crate::model::Models;
use crate::ui::resources::{link_with, ratio, thousands};
use distill_core::params::Params;
use distill_core::{Answers, Metrics, Transfer};

/// The claim in one line, with both accuracies and what it cost: "distilled student 98.7%, teacher
/// 99.0%, labels alone 75.3% · 55× fewer parameters · 1,000 answers from the teacher against the
/// baseline's 20 labels", once the students learn.
pub fn headline(params: &Params, models: Option<&Models>, metrics: Option<&Metrics>) -> String {
    let metrics = metrics.filter(|m| m.phase == distill_core::Phase::Distill);
    let (Some(models), Some(m)) = (models, metrics) else {
        return "The figures appear once the teacher is trained and the students learn.".into();
    };
    let percent = |accuracy: f32| format!("{:.1}%", 100.0 * accuracy);
    let labels = thousands(m.labelled_examples);
    let owned = if params.transfer == Transfer::Queries {
        format!("against the baseline's {labels} labels")
    } else {
        format!("beside the {labels} labels both students own")
    };
    format!(
        "distilled student {}, teacher {}, labels alone {} · {} fewer parameters · {} from the teacher {owned}",
        percent(m.models.student.accuracy),
        percent(m.models.teacher.accuracy),
        percent(m.models.baseline.accuracy),
        ratio(models.teacher_params as f64 / models.student_params.max(1) as f64),
        answers_bought(params.answers_revealed().effective(params.class_count()), m.answers_used),
    )
}

/// "1,000 answers", "1,000 top-3 answers" or "1,000 labels": what the teacher sold, by mode.
fn answers_bought(answers: Answers, count: usize) -> String {
    match answers {
        Answers::Full => format!("{} answers", thousands(count)),
        Answers::Top(k) => format!("{} top-{k} answers", thousands(count)),
        Answers::Label => format!("{} labels", thousands(count)),
    }
}

#[derive(Properties, PartialEq)]
pub struct ClaimProps {
    pub params: Params,
    pub models: Option<Models>,
    pub metrics: Option<Metrics>,
}

/// In API mode: the same run with the baseline owning as many labels as the distilled student
/// gets answers (all the training labels, where there are fewer).
fn same_labels(params: &Params) -> Html {
    let Some(labels) = params.fair_labels() else { return html! {} };
    let title = format!(
        "Restart with the baseline owning {} labelled examples (or every training label, where there are fewer): \
         how much of the gap is the teacher's answers, and how much is just more data?",
        thousands(labels)
    );
    html! {
        <a class="same-labels" data-testid="same-labels" title={title}
            href={link_with(params, |p| p.transfer_size = labels)}>{ format!("Same number of labels: give the baseline up to {}", thousands(labels)) }</a>
    }
}

#[function_component]
pub fn Claim(props: &ClaimProps) -> Html {
    html! {
        <p class="claim">
            <span class="headline" data-testid="res-headline">{ headline(&props.params, props.models.as_ref(), props.metrics.as_ref()) }</span>
            { " " }{ same_labels(&props.params) }
        </p>
    }
}
