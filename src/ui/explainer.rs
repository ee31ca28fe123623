//! The guided explanation: what distillation is, and how to read the page.

use distill_core::Answers;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ExplainerProps {
    /// The digits lab, rather than the 2-D one.
    pub digits: bool,
    /// The distilled student learns from queries only (`transfer=queries`).
    pub queries: bool,
    /// What the teacher reveals per answer, in this lab (top k of all but one class is the whole).
    pub answers: Answers,
}

/// What the distilled student learns from, after "learns from its".
fn answers_phrase(answers: Answers) -> String {
    match answers {
        Answers::Full => "softened answers: its whole distribution, which no public API returns".into(),
        Answers::Top(k) => {
            format!("answers: the probabilities of its top {k} classes, as a chat API's top log-probabilities")
        }
        Answers::Label => "answers alone, as a classifier API returns them: one label each".into(),
    }
}

/// How the loss reads the answers, after the formula.
fn loss_note(answers: Answers) -> String {
    match answers {
        Answers::Full => String::new(),
        Answers::Top(k) => format!(
            " Here each answer holds the teacher's top {k} probabilities: both distributions are first \
            coarsened to those {k} classes and one bucket for the rest (one minus their sum), so nothing unknown is invented, \
            and T softens those {} buckets.",
            k + 1
        ),
        Answers::Label => {
            " Here each answer is a label alone: the distilled student learns by cross-entropy with the teacher's \
            labels, and T and α do not apply."
                .into()
        }
    }
}

/// The news, first on a wide screen; a phone folds it under "more" to keep the picture in view.
const NEWS_LEAD: &str = "In January 2025 OpenAI and Microsoft said they were investigating whether a group linked to \
                         DeepSeek had trained on answers pulled through OpenAI's API.";

#[function_component]
pub fn Explainer(props: &ExplainerProps) -> Html {
    html! {
        <section class="explainer">
            <div class="news">
                <span class="news-lead">{ NEWS_LEAD }{ " That technique is " }</span>
                <strong>{ "knowledge distillation" }</strong>
                { ": a small student model learns to give a big teacher model's answers, and gets much of its accuracy at a \
                   fraction of its size. " }
                <details class="news-more" data-testid="news-more">
                    <summary>{ "more" }</summary>
                    <span class="news-lead-folded">{ NEWS_LEAD }{ " " }</span>
                    { "DeepSeek's models had surprised the industry, and US tech stocks lost close to a trillion dollars in a \
                       day. Distillation needs only the teacher's answers, not its data or its weights: this page lets a \
                       student ask a teacher and learn from what comes back." }
                </details>
            </div>
            <details class="how-it-works" data-testid="how-it-works">
            <summary>{ "How it works" }<span class="summary-detail">{ ": the models, the method and the loss" }</span></summary>
            <ol>
                if props.digits {
                <li>{ "The " }<strong>{ "teacher" }</strong>{ ", a 784-512-512-10 network (784 pixels in, two hidden layers of 512 units, one output per digit), was trained beforehand on all 8,000 \
                       labelled training digits (it gets about 98% of 2,000 others right). Here it is frozen: it only answers." }</li>
                } else {
                <li>{ "A wide " }<strong>{ "teacher" }</strong>{ " network learns the task from all the labelled training points \
                       (its own curve comes first), then is frozen: from then on it only answers." }</li>
                }
                if props.queries {
                <li>{ "Two identical tiny " }<strong>{ "students" }</strong>{ " start from the same weights. Each owns only a few \
                       labels (" }<em>{ "transfer_size" }</em>{ "). The " }<strong>{ "baseline" }</strong>{ " learns from those labels \
                       alone. The " }<strong>{ "distilled" }</strong>{ " one never sees a label: it asks the teacher about unlabelled \
                       inputs like the data (" }<em>{ "queries" }</em>{ ") and learns from its " }{ answers_phrase(props.answers) }
                       { " — distillation through an API, which needs none of the teacher's data or weights." }</li>
                } else {
                <li>{ "Two identical tiny " }<strong>{ "students" }</strong>{ " start from the same weights and see the same batches \
                       of their labelled examples. The " }<strong>{ "distilled" }</strong>{ " one also learns from the teacher's " }
                       { answers_phrase(props.answers) }{ ", about them; the " }<strong>{ "baseline" }</strong>{ " learns from the hard labels alone." }</li>
                }
                if props.digits {
                <li>{ "Watch the gallery (red answers are wrong), the accuracy curves and the card above them: what the small \
                       student reached, for how little. The table shows where each model errs, digit by digit." }</li>
                <li>{ "Set " }<strong>{ "omit" }</strong>{ " to leave one digit out of what the students see. The distilled \
                       student still learns something of it from the teacher's answers on the other digits; with " }
                    <strong>{ "bias_auto" }</strong>{ " = 1 a bias fitted on 20 labelled digits per class brings it out. \
                       The baseline, which never saw that digit, cannot." }</li>
                } else {
                <li>{ "Watch the maps: the distilled student's boundary bends towards the teacher's, while the baseline makes \
                       do with its few points. Agreement says how often the student now answers as the teacher does; the dark \
                       cells of the disagreement map show where it still does not. Click a map to add your own points; the \
                       teacher retrains on them." }</li>
                }
            </ol>
            <p class="formula">
                { "Loss of the distilled student: L = α · T² · KL( softmax(z" }<sub>{ "teacher" }</sub>{ " / T) ‖ softmax(z" }
                <sub>{ "student" }</sub>{ " / T) ) + (1 − α) · CE( y, softmax(z" }<sub>{ "student" }</sub>{ ") ), averaged over the batch. \
                   α weighs the soft (teacher) term; the temperature T softens the teacher's probabilities so that its \
                   “dark knowledge” — which wrong answers it finds plausible — carries a signal; T² keeps that term's \
                   gradients on the scale of the hard term's. The baseline is α = 0; a student that learns from queries has no labels, so α = 1. \
                   (KL, the Kullback–Leibler divergence: how far one distribution is from another; CE, cross-entropy: \
                   the usual loss against a label.)" }
                { loss_note(props.answers) }
            </p>
            </details>
            <p class="privacy">{ "Everything runs in this tab: nothing you do leaves your browser." }</p>
        </section>
    }
}
