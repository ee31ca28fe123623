//! The digits lab's view: fixed test digits, each with the teacher's, the distilled student's and
//! the baseline's current answer, wrong answers marked.

use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};
use yew::prelude::*;

use distill_core::protocol::DigitsView;

#[derive(Properties, PartialEq)]
pub struct DigitGalleryProps {
    pub digits: Option<std::rc::Rc<DigitsView>>,
    /// Teacher, student and baseline predictions per digit, once there are any.
    pub predictions: Option<Vec<[u8; 3]>>,
}

#[derive(Properties, PartialEq)]
struct DigitProps {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

/// One digit, ink dark on paper, drawn at its own size and scaled up by CSS.
#[function_component]
fn DigitImage(props: &DigitProps) -> Html {
    let canvas = use_node_ref();
    {
        let canvas = canvas.clone();
        use_effect_with(props.pixels.clone(), move |pixels| {
            let draw = || -> Option<()> {
                let canvas = canvas.cast::<HtmlCanvasElement>()?;
                let ctx: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
                let rgba: Vec<u8> = pixels.iter().flat_map(|&ink| [255 - ink, 255 - ink, 255 - ink, 255]).collect();
                let (w, h) = (canvas.width(), canvas.height());
                let image = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&rgba), w, h).ok()?;
                ctx.put_image_data(&image, 0.0, 0.0).ok()
            };
            draw();
        });
    }
    html! { <canvas ref={canvas} width={props.width.to_string()} height={props.height.to_string()} /> }
}

fn answer(who: &'static str, title: &'static str, predicted: Option<u8>, label: u8) -> Html {
    let class = match predicted {
        Some(p) if p == label => "answer right",
        Some(_) => "answer wrong",
        None => "answer",
    };
    html! {
        <span class={class} title={title}>{ who }{ predicted.map_or("·".into(), |p| p.to_string()) }</span>
    }
}

#[function_component]
pub fn DigitGallery(props: &DigitGalleryProps) -> Html {
    let Some(digits) = props.digits.as_ref() else {
        return html! { <section class="gallery" data-testid="digit-gallery"><p>{ "Loading the digits and their teacher…" }</p></section> };
    };
    let image = digits.width * digits.height;
    let cards = digits.labels.iter().enumerate().map(|(i, &label)| {
        let predicted = props.predictions.as_ref().and_then(|p| p.get(i).copied());
        let pick = |model: usize| predicted.map(|p| p[model]);
        let data = |model: usize| pick(model).map(|p| p.to_string());
        html! {
            <figure class="digit" data-testid="digit-card" data-label={label.to_string()}
                data-teacher={data(0)} data-student={data(1)} data-baseline={data(2)}>
                <DigitImage width={digits.width} height={digits.height} pixels={digits.pixels[i * image..(i + 1) * image].to_vec()} />
                <figcaption>
                    { answer("T ", "the teacher's answer", pick(0), label) }
                    { answer("S ", "the distilled student's answer", pick(1), label) }
                    { answer("B ", "the baseline's answer", pick(2), label) }
                </figcaption>
            </figure>
        }
    });
    html! {
        <section class="gallery" data-testid="digit-gallery" aria-label="Test digits and each model's answer">
            <h2>{ "Test digits: what each model answers" }</h2>
            <p class="legend">{ "T teacher · S distilled student · B baseline; red is wrong. None of these digits is ever trained on." }</p>
            <div class="digits">{ for cards }</div>
        </section>
    }
}
