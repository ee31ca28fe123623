//! Where the distilled student still disagrees with the teacher: dark cells on a pale plane.

use std::rc::Rc;

use wasm_bindgen::Clamped;
use web_sys::{HtmlCanvasElement, ImageData};
use yew::prelude::*;

use crate::ui::canvas::{context, use_warm_up};

use distill_core::protocol::Maps;

#[derive(Properties, PartialEq)]
pub struct DisagreementMapProps {
    pub maps: Option<Rc<Maps>>,
}

const AGREE: [u8; 4] = [238, 240, 244, 255];
const DISAGREE: [u8; 4] = [34, 34, 34, 255];

fn draw(canvas: &HtmlCanvasElement, maps: &Maps) -> Option<()> {
    let n = maps.teacher.resolution as u32;
    let pixels: Vec<u8> = maps
        .teacher
        .class
        .iter()
        .zip(&maps.student.class)
        .flat_map(|(t, s)| if t == s { AGREE } else { DISAGREE })
        .collect();
    if (canvas.width(), canvas.height()) != (n, n) {
        canvas.set_width(n);
        canvas.set_height(n);
    }
    let image = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&pixels), n, n).ok()?;
    context(canvas)?.put_image_data(&image, 0.0, 0.0).ok()
}

#[function_component]
pub fn DisagreementMap(props: &DisagreementMapProps) -> Html {
    let canvas = use_node_ref();
    use_warm_up(canvas.clone(), |canvas| drop(context(canvas)));
    {
        let canvas = canvas.clone();
        use_effect_with(props.maps.clone(), move |maps| {
            if let (Some(canvas), Some(maps)) = (canvas.cast::<HtmlCanvasElement>(), maps) {
                draw(&canvas, maps);
            }
        });
    }
    let share = props.maps.as_ref().map(|m| 1.0 - m.teacher.agreement(&m.student));
    html! {
        <figure class="decision-map disagreement">
            <canvas ref={canvas} width="100" height="100" data-testid="map-disagreement"
                aria-label="where the distilled student disagrees with the teacher" />
            <figcaption>
                <strong>{ "Disagreement" }</strong>{ " " }
                <span>{ share.map_or("dark where the student and the teacher differ".into(), |s| format!("dark where the student and the teacher differ: {:.1}% of the plane", 100.0 * s)) }</span>
            </figcaption>
        </figure>
    }
}
