//! The digits lab: the gallery of test digits, the dark-knowledge panel, the draw pad, and the
//! per-class accuracies.

use yew::prelude::*;

use super::LabProps;
use crate::model::Action;
use crate::ui::callbacks::use_dispatch;
use crate::ui::dark_knowledge::{DarkKnowledge, Subject, subject};
use crate::ui::digit_gallery::DigitGallery;
use crate::ui::draw_pad::DrawPad;
use crate::ui::per_class::PerClass;
use distill_core::protocol::ToEngine;

#[function_component]
pub fn DigitsLab(props: &LabProps) -> Html {
    let state = &props.state;
    let params = &state.params;
    // The dark-knowledge panel: a gallery digit, or the latest drawing.
    let Subject { title, label, logits, temperature } = subject(state);
    // Each drawing is numbered, so that answers to a cleared one can be dropped; the numbers go
    // on from the state's when the lab is shown again, so they never repeat.
    let drawings_sent = use_mut_ref(|| state.drawings_sent);
    // Made once: the engine's `send` and the counter last the lab's life.
    let on_drawing = {
        let (dispatcher, send) = (state.dispatcher(), props.engine.send.clone());
        let made = use_memo((), move |_| {
            Callback::from(move |drawing: Option<Vec<u8>>| {
                let mut sent = drawings_sent.borrow_mut();
                if drawing.is_some() {
                    *sent += 1;
                }
                dispatcher.dispatch(Action::Drew { latest: *sent, shown: drawing.is_some() });
                if let Some(pixels) = drawing {
                    send.emit(ToEngine::Classify { drawing: *sent, pixels });
                }
            })
        });
        (*made).clone()
    };
    let (on_select, on_temperature) =
        (use_dispatch(state, Action::SelectDigit), use_dispatch(state, Action::PreviewTemperature));
    let metrics = state.progress.as_ref().map(|p| &p.metrics);
    let pending = state.drawings_sent.saturating_sub(state.drawings_answered);
    html! {
        <>
            if state.digits.is_some() || state.error.is_none() {
                if !params.hides("gallery") {
                    <DigitGallery digits={state.digits.clone()} predictions={metrics.map(|m| m.watched.clone())}
                        logits={metrics.map(|m| m.watched_logits.clone())}
                        selected={(!state.showing_drawing).then_some(params.dk_digit)}
                        on_select={on_select} loading={state.loading} />
                }
                <div class="mechanism" data-drawings-pending={pending.to_string()}>
                    if !params.hides("dark-knowledge") {
                        <DarkKnowledge title={title} label={label} logits={logits} temperature={temperature}
                            on_temperature={on_temperature} />
                    }
                    if !params.hides("draw") {
                        <DrawPad logits={state.drawn_logits.clone()} on_drawing={on_drawing} />
                    }
                </div>
            }
            if !params.hides("per-class") {
                <PerClass metrics={metrics.cloned()} omitted={params.omit} />
            }
        </>
    }
}
