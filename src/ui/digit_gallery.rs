//! The digits lab's view: fixed test digits, each with the teacher's, the distilled student's and
//! the baseline's three likeliest answers, wrong ones marked; a click picks the digit whose full
//! answers the dark-knowledge panel shows.

use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};
use yew::prelude::*;

use distill_core::protocol::DigitsView;
use distill_core::{Role, Trio, softmax_at};

#[derive(Properties, PartialEq)]
pub struct DigitGalleryProps {
    pub digits: Option<std::rc::Rc<DigitsView>>,
    /// Teacher, student and baseline predictions per digit, once there are any.
    pub predictions: Option<Vec<Trio<u8>>>,
    /// Their logits: per digit, the teacher's, the student's and the baseline's, ten each.
    pub logits: Option<Vec<Trio<Vec<f32>>>>,
    /// The digit the dark-knowledge panel shows.
    pub selected: Option<usize>,
    pub on_select: Callback<usize>,
    /// Bytes received and in all while the digits download.
    pub loading: Option<(u64, u64)>,
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

/// Classes of a digit.
pub const DIGIT_CLASSES: usize = 10;

/// Each model's logits hold one value per digit: anything else is not shown.
pub fn one_per_digit(logits: &Trio<Vec<f32>>) -> bool {
    logits.iter().all(|(_, row)| row.len() == DIGIT_CLASSES)
}

/// The `n` most probable classes of a probability row, most probable first.
pub fn top(probabilities: &[f32], n: usize) -> Vec<(usize, f32)> {
    let mut ranked: Vec<(usize, f32)> = probabilities.iter().copied().enumerate().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    ranked.truncate(n);
    ranked
}

/// One model's line on a card: its top answer large with its probability, red when it is wrong;
/// the next two show when the card is hovered or focused, and in the tooltip.
fn answer(who: &'static str, title: &'static str, probabilities: Option<Vec<f32>>, label: u8) -> Html {
    let Some(probabilities) = probabilities else {
        return html! { <span class="answer" title={title}>{ who }{ "·" }</span> };
    };
    let ranked = top(&probabilities, 3);
    let class = if ranked[0].0 == label as usize { "answer right" } else { "answer wrong" };
    let data: Vec<String> = ranked.iter().map(|(c, p)| format!("{c}:{p:.4}")).collect();
    let words: Vec<String> = ranked.iter().map(|(c, p)| format!("{c} {:.0}%", 100.0 * p)).collect();
    let title = format!("{title}: {}", words.join(", "));
    html! {
        <span class={class} title={title} data-top3={data.join(",")}>
            <b>{ who }{ ranked[0].0 }</b>{ format!(" {:.0}%", 100.0 * ranked[0].1) }
            { for ranked[1..].iter().map(|(c, p)| html! { <small>{ format!(" {c} {:.0}%", 100.0 * p) }</small> }) }
        </span>
    }
}

/// A few of the inputs the distilled student asked the teacher about: digits like the data, or
/// noise with uniform queries.
fn query_strip(digits: &DigitsView) -> Html {
    let image = digits.width * digits.height;
    if digits.queries.is_empty() || image == 0 {
        return html! {};
    }
    html! {
        <div class="query-strip" data-testid="query-strip">
            <p class="legend">{ "What the distilled student asked the teacher about, the first few of its queries (it never sees their labels):" }</p>
            <div class="digits">
                { for digits.queries.chunks_exact(image).map(|pixels| html! {
                    <span data-testid="query-digit"><DigitImage width={digits.width} height={digits.height} pixels={pixels.to_vec()} /></span>
                }) }
            </div>
        </div>
    }
}

#[function_component]
pub fn DigitGallery(props: &DigitGalleryProps) -> Html {
    let Some(digits) = props.digits.as_ref() else {
        let (received, total) = props.loading.unwrap_or((0, 1));
        return html! {
            <section class="gallery" data-testid="digit-gallery">
                <p>{ "Loading the digits and their teacher (once; then the lab works offline)…" }</p>
                <progress data-testid="loading" value={received.to_string()} max={total.max(1).to_string()}
                    aria-label="Downloading the digits and the teacher" />
                { format!(" {:.1} of {:.1} MB", received as f64 / 1e6, total as f64 / 1e6) }
            </section>
        };
    };
    let image = digits.width * digits.height;
    let cards = digits.labels.iter().enumerate().map(|(i, &label)| {
        let predicted = props.predictions.as_ref().and_then(|p| p.get(i).copied());
        let data = |role: Role| predicted.map(|p| p[role].to_string());
        let probabilities = |role: Role| {
            let logits = props.logits.as_ref()?.get(i).filter(|logits| one_per_digit(logits))?;
            Some(softmax_at(&logits[role], 1.0))
        };
        let on_select = props.on_select.clone();
        let selected = props.selected == Some(i);
        html! {
            <figure class={classes!("digit", selected.then_some("selected"))} data-testid="digit-card" data-label={label.to_string()}
                data-teacher={data(Role::Teacher)} data-student={data(Role::Student)} data-baseline={data(Role::Baseline)}>
                <button class="digit-pick" aria-pressed={selected.to_string()}
                    aria-label={format!("Show the dark knowledge of this {label}")}
                    onclick={Callback::from(move |_: MouseEvent| on_select.emit(i))}>
                    <DigitImage width={digits.width} height={digits.height} pixels={digits.pixels[i * image..(i + 1) * image].to_vec()} />
                </button>
                <figcaption>
                    { answer("T ", "the teacher's top 3", probabilities(Role::Teacher), label) }
                    { answer("S ", "the distilled student's top 3", probabilities(Role::Student), label) }
                    { answer("B ", "the baseline's top 3", probabilities(Role::Baseline), label) }
                </figcaption>
            </figure>
        }
    });
    html! {
        <section class="gallery" data-testid="digit-gallery" aria-label="Test digits and each model's answer">
            <h2>{ "Test digits: what each model answers" }</h2>
            <p class="legend">{ "T teacher · S distilled student · B baseline: each one's likeliest digit and its probability, red when wrong \
                (hover or focus a digit for the next two). \
                None of these digits is ever trained on. Click one to see the teacher's full answer below." }</p>
            <div class="digits">{ for cards }</div>
            { query_strip(digits) }
        </section>
    }
}
