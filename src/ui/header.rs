//! The top of the page: the title, the embed bar and the explainer, then the notices
//! and the error, if any.

use yew::prelude::*;

use crate::model::{Action, State};
use crate::ui::callbacks::dispatch;
use crate::ui::explainer::Explainer;
use crate::ui::share::full_lab_link;
use crate::ui::text::TextExplainer;
use distill_core::Transfer;
use distill_core::run_spec::Scenario;

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    pub state: UseReducerHandle<State>,
}

#[function_component]
pub fn Header(props: &HeaderProps) -> Html {
    let state = &props.state;
    let params = &state.params;
    let chrome = !params.embed && !params.present;
    let digits = params.scenario == Scenario::Digits;
    html! {
        <>
            if !params.embed && !params.hides("header") {
                <header>
                    <h1>{ "Distill Lab" }</h1>
                    if !params.present {
                        <p class="tagline">{ "Watch a tiny student network learn to imitate a big teacher — live, in your browser." }</p>
                    }
                    if !state.touring && chrome {
                        <button class="tour-open" data-testid="tour-open" onclick={dispatch(state, |_: MouseEvent| Action::Tour(true))}>
                            { "Take the tour" }</button>
                    }
                </header>
            }
            if params.embed {
                <p class="embed-bar"><a href={full_lab_link(params)} target="_blank" rel="noopener" data-testid="full-lab-link">
                    { "Open the full lab ↗" }</a></p>
            }
            if chrome && !params.hides("explainer") && params.scenario == Scenario::Text {
                <TextExplainer answers={params.answers_revealed()} api_chars={params.api_chars} text_size={params.text_size} />
            } else if chrome && !params.hides("explainer") {
                <Explainer digits={digits} queries={params.transfer == Transfer::Queries} answers={params.answers_revealed().effective(params.class_count())} />
            }
            if !state.notices.is_empty() {
                <section class="notices" data-testid="notices" role="status">
                    <ul>{ for state.notices.iter().map(|n| html! { <li>{ n }</li> }) }</ul>
                    <button onclick={dispatch(state, |_: MouseEvent| Action::DismissNotices)}>{ "Dismiss" }</button>
                </section>
            }
            if let Some(error) = &state.error {
                <section class="error" role="alert" data-kind={error.kind()}>
                    <strong>{ error.title() }</strong>{ " " }
                    <span data-testid="error">{ error.to_string() }</span>
                </section>
            }
        </>
    }
}
