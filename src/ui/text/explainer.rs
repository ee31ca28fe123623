//! The text lab's explanation, in plain words: the news story at browser scale.

use yew::prelude::*;

use crate::ui::resources::thousands;
use distill_core::Answers;

#[derive(Properties, PartialEq)]
pub struct TextExplainerProps {
    pub answers: Answers,
    pub api_chars: usize,
    pub text_size: usize,
}

fn what_comes_back(answers: Answers) -> String {
    match answers {
        Answers::Label => "only the text, as a chat API returns it".into(),
        Answers::Top(k) => format!(
            "the text and, for each character, the log-probabilities of the teacher's top {k} — as chat APIs can return for their top 5 to 20 tokens"
        ),
        Answers::Full => {
            "the text and the teacher's whole distribution for each character — which no real API returns".into()
        }
    }
}

#[function_component]
pub fn TextExplainer(props: &TextExplainerProps) -> Html {
    html! {
        <section class="explainer" aria-label="What this lab shows">
            <p>
                { "A lab is said to have trained its chatbot on the answers of a stronger lab's model, bought through its API. " }
                { format!("Here a tiny student buys {} characters of a Shakespeare-trained model's answers; an identical baseline reads {} characters of human-written text.", thousands(props.api_chars), thousands(props.text_size)) }
            </p>
            <details>
                <summary>{ "How it works" }</summary>
                <p>
                    { "The teacher is a small language model (a character transformer) trained on eight plays; its API is simulated in your browser. " }
                    { format!("The student sends it the openings of the baseline's passages as prompts, and each answer holds {}. ", what_comes_back(props.answers)) }
                    { "Both students are measured on two plays that no model ever saw, in nats per character: lower is better." }
                </p>
                <p>{ "The models read newline and the 95 printable ASCII characters; any other character (an emoji, another script) is read as one unknown symbol, ▯." }</p>
            </details>
        </section>
    }
}
