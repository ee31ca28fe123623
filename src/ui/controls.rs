//! The settings panel, generated from the parameter table, and the transport buttons.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use distill_core::params::{Control, Kind, Params, TABLE, applies_to};
use distill_core::protocol::Status;

#[derive(Properties, PartialEq)]
pub struct SettingsProps {
    pub params: Params,
    pub on_change: Callback<(&'static str, String)>,
}

#[function_component]
pub fn Settings(props: &SettingsProps) -> Html {
    let scenario = props.params.choice("scenario");
    let shown = TABLE.iter().filter(|spec| spec.control != Control::UrlOnly && applies_to(spec.name, scenario));
    let rows = shown.map(|spec| {
        let name = spec.name;
        let value = props.params.get(name).render();
        let id = format!("setting-{name}");
        let on_input_change = {
            let on_change = props.on_change.clone();
            Callback::from(move |event: Event| {
                let input: HtmlInputElement = event.target_unchecked_into();
                on_change.emit((name, input.value()));
            })
        };
        let field = match spec.kind {
            Kind::Choice { options, .. } => {
                let on_change = props.on_change.clone();
                let onchange = Callback::from(move |event: Event| {
                    let select: HtmlSelectElement = event.target_unchecked_into();
                    on_change.emit((name, select.value()));
                });
                html! {
                    <select id={id.clone()} {onchange}>
                        { for options.iter().map(|o| html! { <option value={*o} selected={*o == value}>{ *o }</option> }) }
                    </select>
                }
            }
            Kind::Float { min, max, .. } if spec.control == Control::Slider => html! {
                <>
                    <input id={id.clone()} type="range" min={min.to_string()} max={max.to_string()}
                        step={((max - min) / 100.0).to_string()} value={value.clone()} onchange={on_input_change} />
                    <output for={id.clone()}>{ value.clone() }</output>
                </>
            },
            Kind::Float { min, max, .. } => html! {
                <input id={id.clone()} type="number" min={min.to_string()} max={max.to_string()} step="any" value={value.clone()} onchange={on_input_change} />
            },
            Kind::Int { min, max, .. } if spec.control == Control::Slider => html! {
                <>
                    <input id={id.clone()} type="range" min={min.to_string()} max={max.to_string()}
                        step={((max - min) / 100).max(1).to_string()} value={value.clone()} onchange={on_input_change.clone()} />
                    <output for={id.clone()}>{ value.clone() }</output>
                </>
            },
            Kind::Int { min, max, .. } => html! {
                <input id={id.clone()} type="number" min={min.to_string()} max={max.to_string()} step="1" value={value.clone()} onchange={on_input_change} />
            },
            Kind::Widths { .. } => html! {
                <input id={id.clone()} type="text" inputmode="numeric" pattern="[0-9, ]+" value={value.clone()} onchange={on_input_change} />
            },
        };
        html! {
            <div class="setting" title={spec.help}>
                <label for={id}>{ name }<small>{ spec.help }</small></label>
                { field }
            </div>
        }
    });
    html! { <section class="settings" aria-label="Settings">{ for rows }</section> }
}

#[derive(Properties, PartialEq)]
pub struct TransportProps {
    pub status: Status,
    pub on_play: Callback<()>,
    pub on_pause: Callback<()>,
    pub on_step: Callback<()>,
    pub on_reset: Callback<()>,
}

#[function_component]
pub fn Transport(props: &TransportProps) -> Html {
    let training = props.status == Status::Training;
    let can_train = matches!(props.status, Status::Idle | Status::Paused);
    let emit = |cb: &Callback<()>| {
        let cb = cb.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    html! {
        <div class="transport">
            if training {
                <button data-testid="pause" onclick={emit(&props.on_pause)}>{ "⏸ Pause" }</button>
            } else {
                <button data-testid="play" class="primary" disabled={!can_train} onclick={emit(&props.on_play)}>{ "▶ Play" }</button>
            }
            <button data-testid="step-once" disabled={!can_train} onclick={emit(&props.on_step)}>{ "Step" }</button>
            <button data-testid="reset" onclick={emit(&props.on_reset)}>{ "↺ Reset" }</button>
        </div>
    }
}
