//! The guided story: a short tour through what the page shows, ending at the story in the news
//! with the resources card's live numbers. It sits in the page's flow, never over it, so that it
//! hides nothing; skipped or finished, it stays away until reopened.

use distill_core::run_spec::Scenario;
use yew::prelude::*;

/// Remembered in the browser: a returning visitor is not shown the tour again.
const SEEN_KEY: &str = "distill-lab-tour-seen";

struct Step {
    title: &'static str,
    text: &'static str,
    /// The part of the page the step is about, scrolled into view by "Show me".
    target: Option<&'static str>,
}

/// The classifier labs' tour (`digits`: the digits lab's words).
fn classifier_steps(digits: bool) -> Vec<Step> {
    vec![
        Step {
            title: "What distillation is",
            text: "A big teacher network already does the task. A small student learns to answer as the teacher does, \
                   from the teacher's answers alone, and gets most of its accuracy at a fraction of its size.",
            target: None,
        },
        Step {
            title: "Why soft answers carry more than labels",
            text: if digits {
                "A label says only “this is a 7”. The teacher's answer says how much the digit also looks like a 1 or a 9: \
                 small probabilities for the wrong digits, its dark knowledge. The bars show them; click any test digit, or draw one."
            } else {
                "A label says only which class a point is. The teacher's answer also says how sure it is, so points near \
                 the boundary teach the student where the boundary runs. Compare the maps."
            },
            target: Some(if digits { "dark-knowledge" } else { "map-student" }),
        },
        Step {
            title: "What the temperature T does",
            text: if digits {
                "T softens the teacher's answer before the student copies it. Move the preview T slider in the panel: at T = 1 the \
                 teacher is nearly sure; at 4 or 20 the wrong digits' share grows, and so does what the student can learn from it."
            } else {
                "T softens the teacher's answer before the student copies it: at high T even confident answers keep some doubt, \
                 which tells the student how far a point lies from the boundary. T is among the settings below."
            },
            target: Some(if digits { "dk-temperature" } else { "setting-temperature" }),
        },
        Step {
            title: "A student that can only ask",
            text: "In January 2025 OpenAI and Microsoft said they were investigating whether a group linked to DeepSeek had \
                   distilled OpenAI's models by pulling their answers through the API. That is this page's default: the \
                   distilled student never sees a label, only the teacher's answers to its queries, while the baseline \
                   learns from a few labels of its own. The card shows what it got:",
            target: Some("resources"),
        },
        Step {
            title: "What an API really gives",
            text: "No public API returns its model's whole distribution: a chat API returns text, at most with the \
                   probabilities of its top few tokens, and a classifier API returns its answer. The answers setting \
                   chooses what the teacher reveals: its whole distribution (classic distillation), the probabilities of \
                   its top k classes, or its label alone; the card counts the numbers each answer held. Compare, below the card, \
                   trains the student with each of them over three seeds beside the baseline: how much of \
                   the gain is the teacher's labels on more data, and how much its dark knowledge.",
            target: Some("setting-answers"),
        },
        Step {
            title: "Your turn",
            text: "Press Play, change any setting (every one is also in the link, so a run can be shared), or give both students \
                   plenty of labels and see that labels alone then come close. The tour is under “Take the tour” whenever you want it.",
            target: None,
        },
    ]
}

/// The text lab's tour: the news story with a language model.
fn text_steps() -> Vec<Step> {
    vec![
        Step {
            title: "A language model behind an API",
            text: "The teacher is a small language model: a character transformer trained on eight of Shakespeare's plays. \
                   It plays the stronger lab's model. The distilled student cannot look inside it; it can only send prompts \
                   and buy the text that comes back. Its panel writes beside the teacher's.",
            target: Some("text-teacher"),
        },
        Step {
            title: "What the API sends back",
            text: "A chat API returns text, at most with the log-probabilities of its top 5 to 20 tokens; none returns its \
                   model's whole distribution. The answers setting chooses what comes with each character: nothing, the \
                   teacher's top k log-probabilities (the default, k = 5), or the whole distribution. The bars show each \
                   model's guess for the prompt's next character, the teacher's top k marked as what the API reveals.",
            target: Some("next-char"),
        },
        Step {
            title: "Two identical students",
            text: "Both students are the same tiny network, from the same first weights. The baseline learns from \
                   human-written text. The distilled student never reads it beyond the openings it sends as prompts: it \
                   buys answers to them and learns from those alone. The chart shows both on two plays no model saw.",
            target: Some("text-loss-chart"),
        },
        Step {
            title: "What the answers were worth",
            text: "The card sets the distilled student's held-out loss between the baseline's and the teacher's:",
            target: Some("resources"),
        },
        Step {
            title: "Text alone, or numbers too",
            text: "At the default budget, answers of text alone (answers = label) leave the distilled student about level \
                   with the baseline; with the top 5 log-probabilities it comes close to the whole distribution, which no \
                   API gives. Set answers and api_chars below and run again to see it, or press Compare to run all \
                   three over seeds 1–3 at a smaller budget.",
            target: Some("setting-answers"),
        },
        Step {
            title: "Your turn",
            text: "Type a prompt and all three continue it; move the temperature, or sample again. The link holds every \
                   setting, the prompt and the temperature too, so the same panels can be shared. The tour is under \
                   “Take the tour” whenever you want it.",
            target: Some("prompt"),
        },
    ]
}

fn steps(scenario: Scenario) -> Vec<Step> {
    match scenario {
        Scenario::Text => text_steps(),
        Scenario::Shapes => classifier_steps(false),
        Scenario::Digits => classifier_steps(true),
    }
}

/// The last step once the run is done: what to try next, not "press Play".
fn done_text(scenario: Scenario) -> &'static str {
    match scenario {
        Scenario::Text => {
            "The run is done. Type a prompt and all three continue it, or change answers or api_chars to run again; the \
             link holds every setting, the prompt too. The tour is under “Take the tour” whenever you want it."
        }
        _ => {
            "The run is done. Change any setting to run again (every one is also in the link, so a run can be \
             shared), or give both students plenty of labels and see that labels alone then come close. The tour \
             is under “Take the tour” whenever you want it."
        }
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// Whether the tour opens by itself: `tour=1` always; otherwise on a first visit outside embeds.
pub fn opens_by_itself(forced: bool, embedded: bool) -> bool {
    forced || (!embedded && storage().and_then(|s| s.get_item(SEEN_KEY).ok()?).is_none())
}

fn scroll_to(test_id: &str) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(&format!("[data-testid=\"{test_id}\"], #{test_id}")).ok().flatten());
    if let Some(element) = element {
        element.scroll_into_view();
    }
}

#[derive(Properties, PartialEq)]
pub struct TourProps {
    pub scenario: Scenario,
    /// The resources card's live headline, for the step about the news.
    pub headline: String,
    /// The run reached its last step: the tour steps on to its end instead of asking for Play.
    pub run_done: bool,
    pub on_close: Callback<()>,
}

#[function_component]
pub fn Tour(props: &TourProps) -> Html {
    let index = use_state(|| 0usize);
    let steps = steps(props.scenario);
    // A run that ends while the tour is open moves it to its end; a tour opened after the run
    // ended starts at its beginning.
    let done_at_open = use_mut_ref(|| props.run_done);
    {
        let (index, last) = (index.clone(), steps.len() - 1);
        use_effect_with(props.run_done, move |&done| {
            if done && !*done_at_open.borrow() {
                index.set(last);
            }
            *done_at_open.borrow_mut() = done;
        });
    }
    let step = &steps[(*index).min(steps.len() - 1)];
    let last = *index + 1 >= steps.len();
    let close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(storage) = storage() {
                let _ = storage.set_item(SEEN_KEY, "1");
            }
            on_close.emit(());
        })
    };
    let go = |delta: isize| {
        let index = index.clone();
        Callback::from(move |_: MouseEvent| index.set(((*index as isize) + delta).max(0) as usize))
    };
    let show = step.target.map(|target| Callback::from(move |_: MouseEvent| scroll_to(target)));
    html! {
        <section class="tour" data-testid="tour" aria-label="A short tour" aria-live="polite">
            <p class="tour-count">{ format!("Tour, step {} of {}", *index + 1, steps.len()) }</p>
            <h2 data-testid="tour-title">{ step.title }</h2>
            <p>{ if last && props.run_done { done_text(props.scenario) } else { step.text } }</p>
            if step.target == Some("resources") {
                <p class="tour-live" data-testid="tour-live"><strong>{ props.headline.clone() }</strong></p>
            }
            <div class="tour-buttons">
                if *index > 0 { <button onclick={go(-1)}>{ "Back" }</button> }
                if let Some(show) = show { <button onclick={show}>{ "Show me" }</button> }
                if last {
                    <button class="primary" data-testid="tour-next" onclick={close.clone()}>{ "Done" }</button>
                } else {
                    <button class="primary" data-testid="tour-next" onclick={go(1)}>{ "Next" }</button>
                    <button data-testid="tour-skip" onclick={close}>{ "Skip the tour" }</button>
                }
            </div>
        </section>
    }
}
