//! The page: wires the engine, the state and the views together.

use std::rc::Rc;

use yew::prelude::*;

use crate::ui::commands;
use crate::ui::controls::{Settings, Transport};
use crate::ui::dark_knowledge::{DarkKnowledge, Subject, subject};
use crate::ui::decision_map::DecisionMapView;
use crate::ui::digit_gallery::DigitGallery;
use crate::ui::disagreement_map::DisagreementMap;
use crate::ui::draw_pad::DrawPad;
use crate::ui::explainer::Explainer;
use crate::ui::exports::Exports;
use crate::ui::figures::Figures;
use crate::ui::hooks;
use crate::ui::line_chart::{ChartKind, LineChart};
use crate::ui::per_class::PerClass;
use crate::ui::point_tools::PointTools;
use crate::ui::resources::{Resources, headline};
use crate::ui::share::{self, Share, full_lab_link};
use crate::ui::shortcuts::ShortcutsHelp;
use crate::ui::state::{Action, State};
use crate::ui::theme::{self, ThemeToggle};
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
    // Imported weights wait for the reset their imported settings cause.
    let pending_student = use_mut_ref(|| None::<Vec<u8>>);
    {
        let send = send.clone();
        let pending_student = pending_student.clone();
        // Only what the run depends on restarts it: view settings (the dark-knowledge panel's,
        // the page's modes) never do.
        let (autoplay, benchmark) = (state.params.autoplay, hooks::benchmark_requested(&state.params));
        use_effect_with((state.params.run_spec(), state.added.clone()), move |(spec, added)| {
            send.emit(ToEngine::Reset { spec: spec.clone(), added: added.to_vec() });
            if let Some(weights) = pending_student.borrow_mut().take() {
                send.emit(ToEngine::LoadStudent { weights });
            }
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

    // The address bar holds the link from the first paint, and follows every change of
    // settings, view-only ones too.
    use_effect_with(state.params.clone(), share::write_address_bar);
    theme::use_theme(state.params.theme);

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
    let Subject { title: dk_title, label: dk_label, logits: dk_logits, temperature: dk_temperature } = subject(&state);
    let on_select_digit = {
        let dispatcher = state.dispatcher();
        Callback::from(move |index: usize| dispatcher.dispatch(Action::SelectDigit(index)))
    };
    let on_preview_temperature = {
        let dispatcher = state.dispatcher();
        Callback::from(move |t: f32| dispatcher.dispatch(Action::PreviewTemperature(t)))
    };
    let drawings_sent = use_mut_ref(|| 0u32);
    let on_drawing = {
        let (dispatcher, send) = (state.dispatcher(), send.clone());
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
    };

    commands::use_speaker_keys(&state, send.clone(), on_reset.clone());
    let close_shortcuts = {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: ()| dispatcher.dispatch(Action::Shortcuts(false)))
    };
    let open_shortcuts = {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(Action::Shortcuts(true)))
    };

    let on_problem = {
        let dispatcher = state.dispatcher();
        Callback::from(move |problem: String| dispatcher.dispatch(Action::Notice(problem)))
    };
    let on_import = commands::import(&state, send.clone(), pending_student.clone());

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
    let params = &state.params;
    let root_class = classes!("app", params.embed.then_some("embed"), params.present.then_some("present"));
    // Each panel shows unless `hide` names it; embeds and projectors drop the page's prose.
    let shows = |panel: &str| !params.hides(panel);
    let chrome = !params.embed && !params.present;
    let plane = params.scenario == Scenario::Shapes;
    let queries = params.transfer == Transfer::Queries;
    let teacher_label = models.map_or(String::new(), |m| m.teacher_label.clone());
    let student_label = models.map_or(String::new(), |m| m.student_label.clone());
    let export_student = {
        let send = send.clone();
        Callback::from(move |_: ()| send.emit(ToEngine::ExportStudent))
    };

    html! {
        <main class={root_class}>
            if !params.embed && shows("header") {
                <header>
                    <h1>{ "Distill Lab" }</h1>
                    if !params.present {
                        <p class="tagline">{ "Watch a tiny student network learn to imitate a big teacher — live, in your browser." }</p>
                    }
                    if !state.touring && chrome {
                        <button class="tour-open" data-testid="tour-open" onclick={open_tour}>{ "Take the tour" }</button>
                    }
                </header>
            }
            if params.embed {
                <p class="embed-bar"><a href={full_lab_link(params)} target="_blank" rel="noopener" data-testid="full-lab-link">
                    { "Open the full lab ↗" }</a></p>
            }
            if state.touring && !params.present {
                <Tour digits={!plane} on_close={close_tour}
                    headline={headline(state.models.as_ref(), state.progress.as_ref().map(|p| &p.metrics))} />
            }
            if chrome && shows("explainer") { <Explainer digits={!plane} queries={queries} /> }
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
            <div class="toolbar">
                if shows("transport") {
                    <Transport status={state.status} on_play={command(ToEngine::Play)} on_pause={command(ToEngine::Pause)}
                        on_step={command(ToEngine::Step)} on_reset={on_reset} />
                }
                <div class="view-tools">
                    <ThemeToggle theme={params.theme} on_change={on_change.clone()} />
                    <button class="small" data-testid="shortcuts-open" onclick={open_shortcuts}
                        aria-keyshortcuts="?">{ "Keys (?)" }</button>
                </div>
            </div>
            if shows("figures") {
                <Figures progress={state.progress.clone()} status={state.status} backend={state.backend.clone()} models={state.models.clone()}
                    plane_agreement={maps.map(|m| m.teacher.agreement(&m.student))} plane={plane}
                    omitting={!plane && params.omit.is_some()}
                    query_mode={queries} />
            }
            if shows("resources") && !params.present {
                <Resources params={params.clone()} metrics={state.progress.as_ref().map(|p| p.metrics.clone())}
                    models={state.models.clone()} inference={state.inference} />
            }
            if plane {
                if shows("points") {
                    <PointTools classes={params.classes as u8} selected={state.add_class} added={state.added.len()}
                        on_select={on_select_class} on_clear={action(|| Action::ClearPoints)}
                        on_regenerate={action(|| Action::Regenerate)} on_retrain={reset(true)} />
                }
                if shows("maps") {
                    <section class="maps" aria-label="Decision maps">
                        { map("Teacher", teacher_label, "map-teacher", |m| &m.teacher) }
                        { map("Distilled student", format!("{student_label}, learns from the teacher"), "map-student", |m| &m.student) }
                        { map("Baseline student", format!("{student_label}, learns from labels only"), "map-baseline", |m| &m.baseline) }
                        <DisagreementMap maps={state.maps.clone()} />
                    </section>
                    <label class="toggle">
                        <input type="checkbox" checked={state.show_test_points} onchange={toggle_test} />
                        { " show test points (hollow); large dark-ringed points are the students' own labelled examples" }
                    </label>
                }
            } else {
                if state.digits.is_some() || state.error.is_none() {
                    if shows("gallery") {
                        <DigitGallery digits={state.digits.clone()}
                            predictions={state.progress.as_ref().map(|p| p.metrics.watched.clone())}
                            logits={state.progress.as_ref().map(|p| p.metrics.watched_logits.clone())}
                            selected={(!state.showing_drawing).then_some(dk_digit)} on_select={on_select_digit}
                            loading={state.loading} />
                    }
                    <div class="mechanism" data-drawings-pending={state.drawings_sent.saturating_sub(state.drawings_answered).to_string()}>
                        if shows("dark-knowledge") {
                            <DarkKnowledge title={dk_title} label={dk_label} logits={dk_logits}
                                temperature={dk_temperature} on_temperature={on_preview_temperature} />
                        }
                        if shows("draw") {
                            <DrawPad logits={state.drawn_logits.clone()} on_drawing={on_drawing} />
                        }
                    </div>
                }
                if shows("per-class") {
                    <PerClass metrics={state.progress.as_ref().map(|p| p.metrics.clone())} omitted={params.omit} />
                }
            }
            if shows("charts") {
                <section class="charts" aria-label="Charts">
                    <LineChart kind={ChartKind::Accuracy} history={state.history.clone()} frozen_at={state.frozen_at} />
                    <LineChart kind={ChartKind::HeldOutLoss} history={state.history.clone()} frozen_at={state.frozen_at} />
                    <LineChart kind={ChartKind::SoftTerm} history={state.history.clone()} frozen_at={state.frozen_at} />
                </section>
            }
            if shows("settings") && !params.present {
                <details class="settings-panel" open={!params.embed}>
                    <summary>{ "Settings — every one is also a URL parameter, so the address bar is a link to this exact run" }</summary>
                    <Settings params={params.clone()} on_change={on_change} />
                </details>
            }
            if shows("share") && !params.present {
                <Share params={params.clone()} />
                if !params.embed {
                    <Exports reports={state.reports.clone()} student={state.student.clone()}
                        on_export_student={export_student} on_import={on_import} on_problem={on_problem} />
                }
            }
            if hooks::benchmark_requested(params) { { hooks::benchmark_view(state.benchmark.as_ref()) } }
            if state.status == Status::Done {
                <p class="done-note">{ "Done: the students reached max_steps. Change a setting or press Reset to run again." }</p>
            }
            if state.shortcuts_open {
                <ShortcutsHelp on_close={close_shortcuts} />
            }
        </main>
    }
}
