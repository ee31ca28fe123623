//! The text lab: the prompt and the three models' continuations, refreshed every few seconds
//! while the students train; the next character's bars; the figures, resources and charts.

use std::rc::Rc;

use gloo_timers::callback::{Interval, Timeout};
use yew::prelude::*;

use super::LabProps;
use crate::model::{Action, MAX_HISTORY, State};
use crate::ui::callbacks::use_dispatch;
use crate::ui::line_chart::{ChartKind, LineChart};
use crate::ui::offline;
use crate::ui::text::{NextChar, PromptBox, TextFiguresPanel, TextResources, WrittenPanels};
use distill_core::protocol::{Status, ToEngine};

/// The panels are written again this often while the students train.
const REFRESH_MS: u32 = 4_000;
/// A typed prompt is sent once typing pauses this long.
const TYPING_PAUSE_MS: u32 = 400;

/// A callback that asks the engine for the panels as `state` stands (`again`: new samples).
fn ask(state: &UseReducerHandle<State>, send: &Callback<ToEngine>) -> Callback<bool> {
    let (dispatcher, send, text, params) = (state.dispatcher(), send.clone(), state.text.clone(), state.params.clone());
    Callback::from(move |again: bool| {
        let request = text.request(&params, again);
        dispatcher.dispatch(Action::SentWrite(request.draw));
        send.emit(ToEngine::Write(request));
    })
}

/// Asks for the panels when a run is ready, when the prompt or temperature changes (once typing
/// pauses), every few seconds while training, and when the run is done.
#[hook]
fn use_writing(state: &UseReducerHandle<State>, send: &Callback<ToEngine>) {
    let latest = use_mut_ref(|| ask(state, send));
    *latest.borrow_mut() = ask(state, send);
    let text = &state.text;
    let ready = text.view.is_some();
    // While training the panels are refreshed on a clock; otherwise each new step (Step, Done)
    // or student (a loaded one measures differently) writes them again.
    let training = state.status == Status::Training;
    let student = (!training).then(|| text.latest.as_ref().map(|f| (f.step, f.held_out.student.to_bits())));
    let key = (text.runs, ready, state.params.prompt.clone(), state.params.sample_t.to_bits(), student);
    let asker = latest.clone();
    use_effect_with(key, move |_| {
        let timeout = ready.then(|| Timeout::new(TYPING_PAUSE_MS, move || asker.borrow().emit(false)));
        move || drop(timeout)
    });
    use_effect_with(training, move |training| {
        let interval = training.then(|| Interval::new(REFRESH_MS, move || latest.borrow().emit(false)));
        move || drop(interval)
    });
}

#[function_component]
pub fn TextLab(props: &LabProps) -> Html {
    let state = &props.state;
    let send = &props.engine.send;
    use_writing(state, send);
    use_effect_with(state.text.view.is_some(), |&ready| {
        if ready {
            offline::keep_text_lab();
        }
    });
    let text = &state.text;
    let params = &state.params;
    let prompt = crate::model::TextLab::prompt(params);
    let points = text.chart_points(MAX_HISTORY);
    let again = ask(state, send).reform(|_: ()| true);
    let (on_prompt, on_temperature) =
        (use_dispatch(state, Action::Prompt), use_dispatch(state, Action::SampleTemperature));
    html! {
        <>
            if !params.hides("figures") {
                <TextFiguresPanel latest={text.latest.clone()} status={state.status_word()} backend={state.backend.clone()}
                    steps_per_second={text.steps_per_second} view={text.view.clone()} />
            }
            if let Some((received, total)) = state.loading {
                <p class="loading" data-testid="loading">{ format!("Loading the text and the teacher: {:.1} of {:.1} MB…", received as f64 / 1e6, total as f64 / 1e6) }</p>
            }
            // The three models writing come first: they are the lab's picture; the prompt they
            // continue (shown in each panel) is edited right below.
            <WrittenPanels prompt={prompt.ids.clone()} written={text.written.clone()} run={text.written_in_run} />
            <PromptBox typed={params.prompt.clone()} notices={prompt.notices.clone()} temperature={params.sample_t as f32}
                on_prompt={on_prompt} on_temperature={on_temperature} on_again={again} />
            if !params.hides("dark-knowledge") {
                <NextChar written={text.written.clone()} answers={params.answers_revealed()} />
            }
            if !params.hides("resources") && !params.present {
                <TextResources latest={text.latest.clone()} models={state.models.clone()} view={text.view.clone()} written={text.written.clone()} backend={state.backend.clone()} />
            }
            if !params.hides("charts") {
                <section class="charts" aria-label="Charts">
                    <LineChart kind={ChartKind::TextLoss} history={points.clone()} frozen_at={Some(0)} />
                    <LineChart kind={ChartKind::SoftTerm} history={points.clone()} frozen_at={Some(0)} />
                    <LineChart kind={ChartKind::Bought} history={Rc::clone(&points)} frozen_at={Some(0)} />
                </section>
            }
        </>
    }
}
