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
                { "A lab is said to have trained its chatbot on the answers of a stronger lab's model, bought through that model's API. " }
                { "Here the stronger model is a small language model trained on Shakespeare (the teacher), and the API is simulated in your browser. " }
                { format!("A tiny student sends it the openings of passages as prompts and buys up to {} characters of answers: {}. ", thousands(props.api_chars), what_comes_back(props.answers)) }
                { format!("A second, identical student (the baseline) learns from {} characters of the human-written passages instead. ", thousands(props.text_size)) }
                { "Both are measured on two plays neither ever saw, in nats per character: lower is better." }
            </p>
            <p class="note">{ "The models read newline and the 95 printable ASCII characters; any other character (an emoji, another script) is read as one unknown symbol, ▯." }</p>
        </section>
    }
}
