//! The settings panel, generated from the parameter table, and the transport buttons.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use distill_core::params::{Control, Kind, Params, Spec, TABLE, nearest_stop};

use crate::model::Edit;
use distill_core::protocol::Status;

#[derive(Properties, PartialEq)]
struct TextFieldProps {
    spec: &'static Spec,
    #[prop_or_default]
    id: Option<String>,
    #[prop_or_default]
    class: Option<&'static str>,
    #[prop_or_default]
    test_id: Option<String>,
    #[prop_or_default]
    label: Option<String>,
    /// `number` or `text`.
    input_type: &'static str,
    #[prop_or_default]
    min: Option<String>,
    #[prop_or_default]
    max: Option<String>,
    #[prop_or_default]
    step: Option<&'static str>,
    value: String,
    on_change: Callback<Edit>,
}

/// A field that keeps what is being typed in it while the page redraws (figures arrive many times
/// a second, and a redraw would otherwise put the setting's value back), and sends it on change.
#[function_component]
fn TextField(props: &TextFieldProps) -> Html {
    let typing = use_state(|| None::<String>);
    let oninput = {
        let typing = typing.clone();
        Callback::from(move |event: InputEvent| {
            let input: HtmlInputElement = event.target_unchecked_into();
            typing.set(Some(input.value()));
        })
    };
    let onchange = {
        let (on_change, spec, typing) = (props.on_change.clone(), props.spec, typing.clone());
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            typing.set(None);
            on_change.emit(Edit::Field(spec, input.value()));
        })
    };
    let widths = props.input_type == "text";
    html! {
        <input id={props.id.clone()} class={props.class} data-testid={props.test_id.clone()} aria-label={props.label.clone()}
            type={props.input_type} inputmode={widths.then_some("numeric")} pattern={widths.then_some("[0-9, ]+")}
            min={props.min.clone()} max={props.max.clone()} step={props.step}
            value={(*typing).clone().unwrap_or_else(|| props.value.clone())} {oninput} {onchange} />
    }
}

#[derive(Properties, PartialEq)]
struct SliderProps {
    spec: &'static Spec,
    id: String,
    value: String,
    min: f64,
    max: f64,
    /// Whole numbers only.
    whole: bool,
    /// Log-scale stops, for settings people move in powers.
    #[prop_or_default]
    stops: Option<&'static [f64]>,
    on_change: Callback<Edit>,
}

/// A slider with an exact field beside it. The field follows the slider while it is dragged; the
/// run restarts only when the slider is let go or the field is changed.
#[function_component]
fn Slider(props: &SliderProps) -> Html {
    let dragging = use_state(|| None::<String>);
    let stops = props.stops;
    // While dragging, the slider keeps its own position: a render must not pull it back.
    let shown = (*dragging).clone().unwrap_or_else(|| props.value.clone());
    let value: f64 = shown.parse().unwrap_or(props.min);
    let (position, last, step) = match stops {
        Some(stops) => (nearest_stop(stops, value).to_string(), (stops.len() - 1).to_string(), "1".to_string()),
        None => {
            let step = if props.whole {
                ((props.max - props.min) / 100.0).floor().max(1.0)
            } else {
                (props.max - props.min) / 100.0
            };
            (shown.clone(), props.max.to_string(), step.to_string())
        }
    };
    let reading = move |input: &HtmlInputElement| match stops {
        Some(stops) => input.value().parse::<usize>().ok().and_then(|i| stops.get(i)).map(|v| v.to_string()),
        None => Some(input.value()),
    };
    let oninput = {
        let dragging = dragging.clone();
        Callback::from(move |event: InputEvent| {
            let input: HtmlInputElement = event.target_unchecked_into();
            dragging.set(reading(&input));
        })
    };
    let onchange = {
        let (dragging, on_change, spec) = (dragging.clone(), props.on_change.clone(), props.spec);
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            dragging.set(None);
            if let Some(value) = reading(&input) {
                on_change.emit(Edit::Field(spec, value));
            }
        })
    };
    html! {
        <div class="slider">
            <input id={props.id.clone()} type="range" min={if stops.is_some() { "0".to_string() } else { props.min.to_string() }}
                max={last} step={step} value={position} aria-valuetext={shown.clone()} {oninput} {onchange} />
            <TextField spec={props.spec} class="exact" test_id={format!("exact-{}", props.spec.name)} label={format!("{} exactly", props.spec.name)}
                input_type="number" min={props.min.to_string()} max={props.max.to_string()} step={if props.whole { "1" } else { "any" }}
                value={shown} on_change={props.on_change.clone()} />
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct SettingsProps {
    pub params: Params,
    /// At most this many rows: the page mounts them a few at a time (see `SettingsMounted`).
    pub rows: usize,
    pub on_change: Callback<Edit>,
}

/// The settings the panel shows for `params`, in the table's order.
pub fn shown_settings(params: &Params) -> impl Iterator<Item = &'static Spec> + '_ {
    TABLE
        .iter()
        .filter(|spec| spec.control != Control::UrlOnly && params.applies(spec.name) && !params.hides(spec.name))
}

#[function_component]
pub fn Settings(props: &SettingsProps) -> Html {
    let shown = shown_settings(&props.params).count();
    let rows = shown_settings(&props.params).take(props.rows).map(|spec| {
        let name = spec.name;
        let value = props.params.value(name).map(|v| v.render()).unwrap_or_default();
        let stops = match spec.control {
            Control::LogSlider(stops) => Some(stops),
            _ => None,
        };
        let slider = stops.is_some() || spec.control == Control::Slider;
        let id = format!("setting-{name}");
        let field = match spec.kind {
            Kind::Choice { options, .. } => {
                let on_change = props.on_change.clone();
                let onchange = Callback::from(move |event: Event| {
                    let select: HtmlSelectElement = event.target_unchecked_into();
                    on_change.emit(Edit::Field(spec, select.value()));
                });
                html! {
                    <select id={id.clone()} {onchange}>
                        { for options.iter().map(|o| html! { <option value={*o} selected={*o == value}>{ *o }</option> }) }
                    </select>
                }
            }
            Kind::Float { min, max, .. } if slider => html! {
                <Slider spec={spec} id={id.clone()} value={value.clone()} min={min} max={max} whole={false} stops={stops} on_change={props.on_change.clone()} />
            },
            Kind::Float { min, max, .. } => html! {
                <TextField spec={spec} id={id.clone()} input_type="number" min={min.to_string()} max={max.to_string()} step="any"
                    value={value.clone()} on_change={props.on_change.clone()} />
            },
            Kind::Int { min, max, .. } if slider => html! {
                <Slider spec={spec} id={id.clone()} value={value.clone()} min={min as f64} max={max as f64} whole={true} stops={stops} on_change={props.on_change.clone()} />
            },
            Kind::Int { min, max, .. } => html! {
                <TextField spec={spec} id={id.clone()} input_type="number" min={min.to_string()} max={max.to_string()} step="1"
                    value={value.clone()} on_change={props.on_change.clone()} />
            },
            Kind::Bool { .. } => {
                let on_change = props.on_change.clone();
                let onchange = Callback::from(move |event: Event| {
                    let input: HtmlInputElement = event.target_unchecked_into();
                    on_change.emit(Edit::Field(spec, if input.checked() { "1" } else { "0" }.into()));
                });
                html! { <input id={id.clone()} type="checkbox" checked={value == "1"} {onchange} /> }
            }
            Kind::Names { .. } | Kind::Text { .. } => html! {},
            Kind::Widths { .. } => html! {
                <TextField spec={spec} id={id.clone()} input_type="text" value={value.clone()} on_change={props.on_change.clone()} />
            },
        };
        let note = props.params.setting_note(name);
        let inactive = note.as_ref().is_some_and(|n| n.inactive);
        html! {
            // Keyed: an unkeyed list is matched from its end, so rows that mount later, or a
            // setting that shows or hides others, would turn every row's elements into another's
            // and take the focus away.
            <div key={name} class={classes!("setting", inactive.then_some("inactive"))} title={spec.help}>
                <label for={id}>{ name }<small>{ spec.help }</small></label>
                <fieldset class="field" disabled={inactive}>{ field }</fieldset>
                if let Some(note) = note {
                    <small class="setting-note" data-testid={format!("note-{name}")} data-inactive={inactive.to_string()}>{ note.text }</small>
                }
            </div>
        }
    });
    let mounting = props.rows < shown;
    html! { <section class="settings" aria-label="Settings" aria-busy={mounting.to_string()}>{ for rows }</section> }
}

#[derive(Properties, PartialEq)]
pub struct TransportProps {
    pub status: Status,
    pub on_play: Callback<()>,
    pub on_pause: Callback<()>,
    pub on_step: Callback<()>,
    pub on_reset: Callback<()>,
}

/// Play and pause drawn, not typed: "⏸" is missing from many systems' main font, and looking for
/// a fallback font for it held the page's first layout after training began for about 100 ms.
fn play_pause_icon(training: bool) -> Html {
    let shape = if training {
        html! { <><rect x="2" y="1" width="3.5" height="12" /><rect x="8.5" y="1" width="3.5" height="12" /></> }
    } else {
        html! { <path d="M2.5 1 L12.5 7 L2.5 13 Z" /> }
    };
    html! { <svg class="icon" viewBox="0 0 14 14" aria-hidden="true" fill="currentColor">{ shape }</svg> }
}

#[function_component]
pub fn Transport(props: &TransportProps) -> Html {
    let training = props.status == Status::Training;
    let can_train = matches!(props.status, Status::Idle | Status::Paused);
    let emit = |cb: &Callback<()>| {
        let cb = cb.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    // One button plays and pauses, and acts as it read when it was pressed: a press that straddles
    // the switch to training (autoplay starting, say) stays a Play, so two requests to play never
    // make a pause. Keys press it with no pointer: it then acts as it reads.
    let pressed_while_training = use_mut_ref(|| None::<bool>);
    let on_pointerdown = {
        let pressed = pressed_while_training.clone();
        Callback::from(move |_: PointerEvent| *pressed.borrow_mut() = Some(training))
    };
    let on_pointerleave = {
        let pressed = pressed_while_training.clone();
        Callback::from(move |_: PointerEvent| *pressed.borrow_mut() = None)
    };
    let on_play_pause = {
        let (pressed, play, pause) = (pressed_while_training, props.on_play.clone(), props.on_pause.clone());
        Callback::from(move |_: MouseEvent| {
            let pausing = pressed.borrow_mut().take().unwrap_or(training);
            if pausing { pause.emit(()) } else { play.emit(()) }
        })
    };
    html! {
        <div class="transport">
            <button data-testid={if training { "pause" } else { "play" }} class={classes!((!training).then_some("primary"))}
                disabled={!training && !can_train} onpointerdown={on_pointerdown} onpointerleave={on_pointerleave}
                onclick={on_play_pause}>
                { play_pause_icon(training) }{ if training { " Pause" } else { " Play" } }
            </button>
            <button data-testid="step-once" disabled={!can_train} onclick={emit(&props.on_step)}>{ "Step" }</button>
            <button data-testid="reset" onclick={emit(&props.on_reset)}>{ "↺ Reset" }</button>
        </div>
    }
}
