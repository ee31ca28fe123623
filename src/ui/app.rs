//! The page: the state, the engine and the views, laid out. Each lab's own part is in `labs`.

use yew::prelude::*;

use crate::model::{Action, State};
use crate::ui::callbacks::{dispatch, use_dispatch};
use crate::ui::claim::{Claim, headline};
use crate::ui::commands;
use crate::ui::compare::Compare;
use crate::ui::controls::{Settings, Transport, shown_settings};
use crate::ui::engine::{use_command, use_engine, use_reset};
use crate::ui::exports::{Exports, metrics_csv};
use crate::ui::figures::Figures;
use crate::ui::header::Header;
use crate::ui::hooks;
use crate::ui::labs::{DigitsLab, ShapesLab, TextLab};
use crate::ui::line_chart::{ChartKind, LineChart};
use crate::ui::mounting;
use crate::ui::offline;
use crate::ui::resources::Resources;
use crate::ui::share::{self, Share};
use crate::ui::shortcuts::ShortcutsHelp;
use crate::ui::text::text_headline;
use crate::ui::theme::{self, ThemeToggle};
use crate::ui::tour::{self, Tour};
use distill_core::Transfer;
use distill_core::params::Params;
use distill_core::protocol::{Status, ToEngine};
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
    let engine = use_engine(&state);
    let send = &engine.send;
    // The address bar holds the link from the first paint, and follows every change of
    // settings, view-only ones too.
    use_effect_with(state.params.clone(), share::write_address_bar);
    theme::use_theme(state.params.theme);
    hooks::use_debug_panic(&state.params);
    offline::use_offline_once_opened(&state);
    let on_reset = use_reset(&state, send, false);
    commands::use_speaker_keys(&state, send.clone(), on_reset.clone());
    let on_edit = use_dispatch(&state, Action::Edit);
    let (on_play, on_pause, on_step) =
        (use_command(send, ToEngine::Play), use_command(send, ToEngine::Pause), use_command(send, ToEngine::Step));
    let on_export_student = use_command(send, ToEngine::ExportStudent);
    let close_tour = use_dispatch(&state, |_: ()| Action::Tour(false));
    let close_shortcuts = use_dispatch(&state, |_: ()| Action::Shortcuts(false));
    let on_problem = use_dispatch(&state, Action::Notice);
    let settings_mounted =
        mounting::use_settings_mounted(state.may_mount_the_rest(), shown_settings(&state.params).count());

    let params = &state.params;
    let root_class = classes!("app", params.embed.then_some("embed"), params.present.then_some("present"));
    // Each panel shows unless `hide` names it; embeds and projectors drop the page's prose.
    let shows = |panel: &str| !params.hides(panel);
    let plane = params.scenario == Scenario::Shapes;
    // The text lab has panels of its own for the figures, resources and charts.
    let text_lab = params.scenario == Scenario::Text;
    let maps = state.maps.as_deref();
    let (history, frozen_at) = (state.history(), state.frozen_at());
    let history = || history.clone();
    let figures = (shows("figures") && !text_lab).then(|| html! {
        <Figures progress={state.progress.clone()} status={state.status_word()} backend={state.backend.clone()} models={state.models.clone()}
            plane_agreement={maps.map(|m| m.teacher.agreement(&m.student))} plane={plane}
            omitting={!plane && params.omit.is_some()} query_mode={params.transfer == Transfer::Queries}
            answers={params.answers_revealed().effective(params.class_count())} alpha={params.alpha as f32} />
    });
    // A projector's first screen is the claim and the picture: the claim names the accuracies,
    // so the figures follow the picture there.
    let (figures_first, figures_after) = if params.present { (None, figures) } else { (figures, None) };
    html! {
        <main class={root_class}>
            <Header state={state.clone()} />
            <div class="toolbar">
                if shows("transport") {
                    <Transport status={state.status} on_play={on_play} on_pause={on_pause} on_step={on_step} on_reset={on_reset} />
                }
                <div class="view-tools">
                    <ThemeToggle theme={params.theme} on_change={on_edit.clone()} />
                    <button class="small" data-testid="shortcuts-open" onclick={dispatch(&state, |_: MouseEvent| Action::Shortcuts(true))}
                        aria-keyshortcuts="?">{ "Keys (?)" }</button>
                </div>
            </div>
            { for figures_first }
            if shows("resources") && !text_lab {
                <Claim params={params.clone()} models={state.models.clone()} metrics={state.progress.as_ref().map(|p| p.metrics.clone())} />
            }
            if plane {
                <ShapesLab state={state.clone()} engine={engine.clone()} />
            } else if text_lab {
                <TextLab state={state.clone()} engine={engine.clone()} />
            } else {
                <DigitsLab state={state.clone()} engine={engine.clone()} />
            }
            { for figures_after }
            // Under the lab's picture, so that it never pushes the picture off the first screen.
            if state.touring && !params.present {
                <Tour scenario={params.scenario} on_close={close_tour}
                    headline={if text_lab { text_headline(state.text.latest.as_ref()) } else { headline(params, state.models.as_ref(), state.progress.as_ref().map(|p| &p.metrics)) }}
                    run_done={state.status == Status::Done} />
            }
            if shows("resources") && !params.present && !text_lab {
                <Resources params={params.clone()} metrics={state.progress.as_ref().map(|p| p.metrics.clone())}
                    models={state.models.clone()} inference={state.inference} />
            }
            if shows("compare") && !params.present && !params.embed {
                <Compare params={params.clone()} />
            }
            if shows("charts") && !text_lab {
                <section class="charts" aria-label="Charts">
                    <LineChart kind={ChartKind::Accuracy} history={history()} frozen_at={frozen_at} />
                    <LineChart kind={ChartKind::HeldOutLoss} history={history()} frozen_at={frozen_at} />
                    <LineChart kind={ChartKind::SoftTerm} history={history()} frozen_at={frozen_at} />
                </section>
            }
            if shows("settings") && !params.present {
                <details class="settings-panel" open={!params.embed}>
                    <summary>{ "Settings — every one is also a URL parameter, so the address bar is a link to this exact run" }</summary>
                    <Settings params={params.clone()} rows={settings_mounted.0} on_change={on_edit} />
                </details>
            }
            if shows("share") && !params.present {
                <Share params={params.clone()} />
                if !params.embed {
                    <Exports metrics={metrics_csv(&state)} student={state.student.clone()}
                        on_export_student={on_export_student}
                        on_import={commands::import(&state, send.clone(), engine.pending_student.clone())}
                        on_problem={on_problem} />
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
