//! The prompt box (with its sampling temperature and "sample again") and the three panels that
//! continue it: teacher, distilled student, baseline.

use std::rc::Rc;

use yew::prelude::*;

use distill_core::data::text::decode;
use distill_core::protocol::Written;
use distill_core::trio::Role;

#[derive(Properties, PartialEq)]
pub struct PromptBoxProps {
    pub typed: String,
    /// What changed when the models read the prompt (unknown characters, a cut, an empty box).
    pub notices: Vec<String>,
    pub temperature: f32,
    pub on_prompt: Callback<String>,
    pub on_temperature: Callback<f32>,
    pub on_again: Callback<()>,
}

#[function_component]
pub fn PromptBox(props: &PromptBoxProps) -> Html {
    let on_input = props
        .on_prompt
        .reform(|event: InputEvent| event.target_unchecked_into::<web_sys::HtmlTextAreaElement>().value());
    let on_temperature = props.on_temperature.reform(|event: InputEvent| {
        event.target_unchecked_into::<web_sys::HtmlInputElement>().value().parse::<f32>().unwrap_or(f32::NAN)
    });
    let on_again = props.on_again.reform(|_: MouseEvent| ());
    html! {
        <section class="prompt-box" aria-label="Prompt">
            <label for="prompt">{ "Prompt — all three models continue it; type your own" }</label>
            <textarea id="prompt" data-testid="prompt" rows="3" value={props.typed.clone()} oninput={on_input} spellcheck="false" />
            if !props.notices.is_empty() {
                <ul class="prompt-notices" data-testid="prompt-notices" role="status">
                    { for props.notices.iter().map(|n| html! { <li>{ n }</li> }) }
                </ul>
            }
            <div class="prompt-tools">
                <label>{ "Sampling temperature " }
                    <input type="range" min="0.1" max="2" step="0.1" data-testid="sample-temperature"
                        value={props.temperature.to_string()} oninput={on_temperature}
                        aria-describedby="sample-temperature-note" />
                    <output>{ format!("{:.1}", props.temperature) }</output>
                </label>
                <span id="sample-temperature-note" class="note">{ "lower: safer, more repetitive; higher: more surprising" }</span>
                <button data-testid="sample-again" onclick={on_again}>{ "Sample again" }</button>
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct WrittenPanelsProps {
    /// The prompt as the models will read it (shown until they have written).
    pub prompt: Vec<u8>,
    pub written: Option<Rc<Written>>,
    /// The number of the run that wrote them (for tests: a new run writes again).
    pub run: u32,
}

const PANELS: [(Role, &str, &str, &str); 3] = [
    (Role::Teacher, "text-teacher", "Teacher", "the big model behind the API"),
    (Role::Student, "text-student", "Distilled student", "learns only from the answers it bought"),
    (Role::Baseline, "text-baseline", "Baseline student", "learns from the human text itself"),
];

#[function_component]
pub fn WrittenPanels(props: &WrittenPanelsProps) -> Html {
    // Each continuation is shown after the prompt it continued.
    let prompt = decode(props.written.as_ref().map_or(&props.prompt, |w| &w.prompt));
    let step = props.written.as_ref().map(|w| w.step);
    let temperature = props.written.as_ref().map(|w| format!("{:.1}", w.temperature));
    html! {
        <section class="written" aria-label="What each model writes">
            { for PANELS.iter().map(|&(role, test_id, title, note)| {
                let text = props.written.as_ref().map(|w| w.texts[role].clone());
                html! {
                    <figure class={classes!("written-panel", role.name())}>
                        <figcaption><strong>{ title }</strong><span class="panel-note">{ format!(" — {note}") }</span></figcaption>
                        <pre><span class="prompt-echo">{ prompt.clone() }</span><span data-testid={test_id} data-step={step.map(|s| s.to_string())} data-temperature={temperature.clone()} data-run={props.run.to_string()}>{ text.unwrap_or_else(|| "…".into()) }</span></pre>
                    </figure>
                }
            }) }
        </section>
    }
}
