//! The page: wires the engine, the state and the views together.

use std::rc::Rc;

use yew::prelude::*;

use crate::ui::controls::{Settings, Transport};
use crate::ui::dark_knowledge::DarkKnowledge;
use crate::ui::decision_map::DecisionMapView;
use crate::ui::digit_gallery::{DigitGallery, LOGITS_PER_DIGIT};
use crate::ui::disagreement_map::DisagreementMap;
use crate::ui::draw_pad::DrawPad;
use crate::ui::explainer::Explainer;
use crate::ui::figures::Figures;
use crate::ui::hooks;
use crate::ui::line_chart::{ChartKind, LineChart};
use crate::ui::per_class::PerClass;
use crate::ui::point_tools::PointTools;
use crate::ui::resources::{Resources, headline};
use crate::ui::state::{Action, State};
use crate::ui::tour::{self, Tour};
use crate::ui::worker::EngineHandle;
use distill_core::Transfer;
use distill_core::params::Params;
use distill_core::protocol::{FromEngine, Status, ToEngine};
use distill_core::run_spec::Scenario;

fn initial_state() -> State {
    let query = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    let (params, notices) = Params::from_query(&query);
    let touring = tour::opens_by_itself(params.tour, params.embed);
    State { touring, ..State::new(params, notices) }
}

/// Keeps the address bar a shareable link to the current settings, without reloading.
fn write_url(params: &Params) {
    let Some(window) = web_sys::window() else { return };
    let query = params.to_query();
    let path = window.location().pathname().unwrap_or_default();
    let url = if query.is_empty() { path } else { format!("{path}?{query}") };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

#[function_component]
pub fn App() -> Html {
    let state = use_reducer(initial_state);
    let engine: Rc<Option<EngineHandle>> = {
        let dispatcher = state.dispatcher();
        use_memo((), move |_| {
            let deliver = Callback::from(move |message: FromEngine| dispatcher.dispatch(Action::Engine(message)));
            match EngineHandle::spawn(deliver.clone()) {
                Ok(handle) => Some(handle),
                Err(why) => {
                    deliver.emit(FromEngine::Error(why));
                    None
                }
            }
        })
    };
    let send = {
        let engine = engine.clone();
        Callback::from(move |command: ToEngine| {
            if let Some(engine) = engine.as_ref() {
                engine.send(&command);
            }
        })
    };

    // Every change of settings or points starts a fresh session and updates the link; the first
    // one honours `autoplay`, and edited points start training at once: the user asked to see the
    // teacher retrain on them.
    let first_run = use_mut_ref(|| true);
    let last_added = use_mut_ref(|| state.added.clone());
    {
        let send = send.clone();
        // Only what the run depends on restarts it: view settings (the dark-knowledge panel's,
        // the page's modes) never do.
        let (autoplay, benchmark) = (state.params.autoplay, hooks::benchmark_requested(&state.params));
        use_effect_with((state.params.run_spec(), state.added.clone()), move |(spec, added)| {
            send.emit(ToEngine::Reset { spec: spec.clone(), added: added.to_vec() });
            let mut first = first_run.borrow_mut();
            if *first && benchmark {
                send.emit(ToEngine::Benchmark);
            }
            let points_edited = !Rc::ptr_eq(&last_added.borrow(), added);
            if (*first && autoplay) || points_edited {
                send.emit(ToEngine::Play);
            }
            *first = false;
            *last_added.borrow_mut() = added.clone();
        });
    }

    // The address bar follows every change of settings, view-only ones too.
    let url_written = use_mut_ref(|| false);
    use_effect_with(state.params.clone(), move |params| {
        if std::mem::replace(&mut *url_written.borrow_mut(), true) {
            write_url(params);
        }
    });

    hooks::use_debug_panic(&state.params);

    let on_change = {
        let dispatcher = state.dispatcher();
        Callback::from(move |(name, raw): (&'static str, String)| dispatcher.dispatch(Action::SetParam(name, raw)))
    };
    let command = |command: ToEngine| {
        let send = send.clone();
        Callback::from(move |_: ()| send.emit(command.clone()))
    };
    let reset = {
        let send = send.clone();
        let spec = state.params.run_spec();
        let added = state.added.clone();
        move |play: bool| {
            let (send, spec, added) = (send.clone(), spec.clone(), added.clone());
            Callback::from(move |_: ()| {
                send.emit(ToEngine::Reset { spec: spec.clone(), added: added.to_vec() });
                if play {
                    send.emit(ToEngine::Play);
                }
            })
        }
    };
    let on_reset = reset(false);
    let action = |make: fn() -> Action| {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: ()| dispatcher.dispatch(make()))
    };
    let on_add = {
        let dispatcher = state.dispatcher();
        Callback::from(move |(x, y): (f32, f32)| dispatcher.dispatch(Action::AddPoint(x, y)))
    };
    let on_select_class = {
        let dispatcher = state.dispatcher();
        Callback::from(move |class: u8| dispatcher.dispatch(Action::SelectClass(class)))
    };
    let toggle_test = {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: Event| dispatcher.dispatch(Action::ToggleTestPoints))
    };
    let dismiss = {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(Action::DismissNotices))
    };

    // The dark-knowledge panel: a gallery digit, or the latest drawing.
    let dk_digit = state.params.dk_digit;
    let dk_temperature = match state.params.dk_t as f32 {
        t if t > 0.0 => t,
        _ => state.params.temperature as f32,
    };
    let gallery_label = state.digits.as_ref().and_then(|d| d.labels.get(dk_digit).copied());
    let (dk_title, dk_label, dk_logits) = match (&state.drawn_logits, state.showing_drawing) {
        (Some(logits), true) => ("your drawing".to_string(), None, Some(logits.clone())),
        _ => (
            gallery_label.map_or("a test digit".into(), |label| format!("test digit {}, a {label}", dk_digit + 1)),
            gallery_label.map(usize::from),
            state
                .progress
                .as_ref()
                .and_then(|p| {
                    p.metrics.watched_logits.get(dk_digit * LOGITS_PER_DIGIT..(dk_digit + 1) * LOGITS_PER_DIGIT)
                })
                .map(<[f32]>::to_vec),
        ),
    };
    let on_select_digit = {
        let dispatcher = state.dispatcher();
        Callback::from(move |index: usize| dispatcher.dispatch(Action::SelectDigit(index)))
    };
    let on_preview_temperature = {
        let dispatcher = state.dispatcher();
        Callback::from(move |t: f32| dispatcher.dispatch(Action::PreviewTemperature(t)))
    };
    let on_drawing = {
        let (dispatcher, send) = (state.dispatcher(), send.clone());
        Callback::from(move |drawing: Option<Vec<u8>>| {
            dispatcher.dispatch(Action::Drew(drawing.is_some()));
            if let Some(pixels) = drawing {
                send.emit(ToEngine::Classify { pixels });
            }
        })
    };

    let open_tour = {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(Action::Tour(true)))
    };
    let close_tour = {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: ()| dispatcher.dispatch(Action::Tour(false)))
    };

    let maps = state.maps.as_deref();
    let map = |title: &'static str,
               subtitle: String,
               test_id: &'static str,
               pick: fn(&distill_core::protocol::Maps) -> &distill_core::DecisionMap| {
        html! {
            <DecisionMapView title={title} subtitle={subtitle} test_id={test_id}
                map={maps.map(|m| pick(m).clone())} points={state.points.clone()} show_test_points={state.show_test_points}
                on_add={on_add.clone()} />
        }
    };
    let models = state.models.as_ref();
    let root_class = classes!("app", state.params.embed.then_some("embed"), state.params.present.then_some("present"),);
    let plane = state.params.scenario == Scenario::Shapes;
    let queries = state.params.transfer == Transfer::Queries;
    let teacher_label = models.map_or(String::new(), |m| m.teacher_label.clone());
    let student_label = models.map_or(String::new(), |m| m.student_label.clone());

    html! {
        <main class={root_class}>
            <header>
                <h1>{ "Distill Lab" }</h1>
                <p class="tagline">{ "Watch a tiny student network learn to imitate a big teacher — live, in your browser." }</p>
                if !state.touring {
                    <button class="tour-open" data-testid="tour-open" onclick={open_tour}>{ "Take the tour" }</button>
                }
            </header>
            if state.touring {
                <Tour digits={!plane} on_close={close_tour}
                    headline={headline(state.models.as_ref(), state.progress.as_ref().map(|p| &p.metrics))} />
            }
            if !state.params.embed { <Explainer digits={!plane} queries={queries} /> }
            if !state.notices.is_empty() {
                <section class="notices" data-testid="notices" role="status">
                    <ul>{ for state.notices.iter().map(|n| html! { <li>{ n }</li> }) }</ul>
                    <button onclick={dismiss}>{ "Dismiss" }</button>
                </section>
            }
            if let Some(error) = &state.error {
                <section class="error" role="alert">
                    <strong>{ "Something went wrong. " }</strong>
                    <span data-testid="error">{ error }</span>
                </section>
            }
            <Transport status={state.status} on_play={command(ToEngine::Play)} on_pause={command(ToEngine::Pause)}
                on_step={command(ToEngine::Step)} on_reset={on_reset} />
            <Figures progress={state.progress.clone()} status={state.status} backend={state.backend.clone()} models={state.models.clone()}
                plane_agreement={maps.map(|m| m.teacher.agreement(&m.student))} plane={plane}
                omitting={!plane && state.params.omit.is_some()}
                query_mode={queries} />
            <Resources params={state.params.clone()} metrics={state.progress.as_ref().map(|p| p.metrics.clone())}
                models={state.models.clone()} inference={state.inference} />
            if plane {
                <PointTools classes={state.params.classes as u8} selected={state.add_class} added={state.added.len()}
                    on_select={on_select_class} on_clear={action(|| Action::ClearPoints)}
                    on_regenerate={action(|| Action::Regenerate)} on_retrain={reset(true)} />
                <section class="maps">
                    { map("Teacher", teacher_label, "map-teacher", |m| &m.teacher) }
                    { map("Distilled student", format!("{student_label}, learns from the teacher"), "map-student", |m| &m.student) }
                    { map("Baseline student", format!("{student_label}, learns from labels only"), "map-baseline", |m| &m.baseline) }
                    <DisagreementMap maps={state.maps.clone()} />
                </section>
                <label class="toggle">
                    <input type="checkbox" checked={state.show_test_points} onchange={toggle_test} />
                    { " show test points (hollow); large dark-ringed points are the students' own labelled examples" }
                </label>
            } else {
                if state.digits.is_some() || state.error.is_none() {
                    <DigitGallery digits={state.digits.clone()}
                        predictions={state.progress.as_ref().map(|p| p.metrics.watched.clone())}
                        logits={state.progress.as_ref().map(|p| p.metrics.watched_logits.clone())}
                        selected={(!state.showing_drawing).then_some(dk_digit)} on_select={on_select_digit}
                        loading={state.loading} />
                    <div class="mechanism">
                        <DarkKnowledge title={dk_title} label={dk_label} logits={dk_logits}
                            temperature={dk_temperature} on_temperature={on_preview_temperature} />
                        <DrawPad logits={state.drawn_logits.clone()} on_drawing={on_drawing} />
                    </div>
                }
                <PerClass metrics={state.progress.as_ref().map(|p| p.metrics.clone())}
                    omitted={state.params.omit} />
            }
            <section class="charts">
                <LineChart kind={ChartKind::Accuracy} history={state.history.clone()} frozen_at={state.frozen_at} />
                <LineChart kind={ChartKind::HeldOutLoss} history={state.history.clone()} frozen_at={state.frozen_at} />
                <LineChart kind={ChartKind::SoftTerm} history={state.history.clone()} frozen_at={state.frozen_at} />
            </section>
            <details class="settings-panel" open={!state.params.embed}>
                <summary>{ "Settings — every one is also a URL parameter, so the address bar is a link to this exact run" }</summary>
                <Settings params={state.params.clone()} on_change={on_change} />
            </details>
            if hooks::benchmark_requested(&state.params) { { hooks::benchmark_view(state.benchmark.as_ref()) } }
            if state.status == Status::Done {
                <p class="done-note">{ "Done: the students reached max_steps. Change a setting or press Reset to run again." }</p>
            }
        </main>
    }
}
