//! Bring your own data: the class a click adds, clearing the added points, a fresh draw of the
//! dataset and retraining the teacher.

use yew::prelude::*;

use crate::ui::palette::{class_colour, css};

#[derive(Properties, PartialEq)]
pub struct PointToolsProps {
    pub classes: u8,
    pub selected: u8,
    pub added: usize,
    pub on_select: Callback<u8>,
    pub on_clear: Callback<()>,
    pub on_regenerate: Callback<()>,
    pub on_retrain: Callback<()>,
}

#[function_component]
pub fn PointTools(props: &PointToolsProps) -> Html {
    let emit = |cb: &Callback<()>| {
        let cb = cb.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let class_button = |class: u8| {
        let on_select = props.on_select.clone();
        let selected = class == props.selected.min(props.classes.saturating_sub(1));
        html! {
            <button class={classes!("class-choice", selected.then_some("selected"))} aria-pressed={selected.to_string()}
                data-testid={format!("add-class-{class}")} onclick={Callback::from(move |_: MouseEvent| on_select.emit(class))}>
                <span class="swatch" style={format!("background: {}", css(class_colour(class as usize)))} />
                { format!("class {class}") }
            </button>
        }
    };
    html! {
        <section class="point-tools" aria-label="Your own points">
            <span>{ "Click a map to add a point of " }</span>
            { for (0..props.classes).map(class_button) }
            <span class="muted" data-testid="added-count" aria-live="polite">{ format!("{} added", props.added) }</span>
            <button data-testid="clear-points" disabled={props.added == 0} onclick={emit(&props.on_clear)}>{ "Clear my points" }</button>
            <button data-testid="regenerate" onclick={emit(&props.on_regenerate)} title="draw the dataset again from the next seed">{ "New data" }</button>
            <button data-testid="retrain-teacher" onclick={emit(&props.on_retrain)} title="train the teacher again from scratch, then the students">{ "Retrain teacher" }</button>
        </section>
    }
}
