//! One model's decision map: its prediction over the plane, drawn with a single `putImageData`,
//! the data points on top. A click adds a point; so do the arrow keys and Enter, for keyboards.

use std::rc::Rc;

use distill_core::DecisionMap;
use wasm_bindgen::Clamped;
use wasm_bindgen_futures::spawn_local;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData, KeyboardEvent};
use yew::prelude::*;

use crate::ui::canvas::{self, context, use_warm_up};
use crate::ui::download::{canvas_png, save_blob};
use crate::ui::palette::{class_colour, css, shade};
use distill_core::protocol::PointsView;

const SIZE: u32 = 320;

#[derive(Properties, PartialEq)]
pub struct DecisionMapProps {
    pub title: AttrValue,
    pub subtitle: AttrValue,
    /// The subtitle's jargon in plain words, as its tooltip.
    #[prop_or_default]
    pub gloss: AttrValue,
    pub test_id: AttrValue,
    pub map: Option<DecisionMap>,
    pub points: Option<Rc<PointsView>>,
    pub show_test_points: bool,
    /// Marks where the distilled student asked the teacher (its map only).
    #[prop_or_default]
    pub show_queries: bool,
    /// A click on the map, in plane coordinates ([-1, 1]², y up).
    pub on_add: Callback<(f32, f32)>,
}

/// How far one arrow key moves the keyboard cursor (Shift: four times as far), in plane units.
const CURSOR_STEP: f32 = 0.05;

/// The keys work whether or not a map is drawn, so the label always says them.
const KEYS: &str = "Arrow keys move a cursor; Enter adds a training point there.";

/// The map in words: each class's share of the plane.
fn describe(title: &str, map: Option<&DecisionMap>) -> String {
    let Some(map) = map.filter(|m| !m.class.is_empty()) else {
        return format!("{title} decision map: not drawn yet. {KEYS}");
    };
    let classes = map.class.iter().copied().max().unwrap_or(0) as usize + 1;
    let shares: Vec<String> = (0..classes)
        .map(|c| {
            let share = map.class.iter().filter(|&&k| k as usize == c).count() as f32 / map.class.len() as f32;
            format!("class {c} on {:.0}%", 100.0 * share)
        })
        .collect();
    format!("{title} decision map: predicts {} of the plane. {KEYS}", shares.join(", "))
}

/// The keyboard cursor: a ring with a cross, in plane coordinates.
fn draw_cursor(canvas: &HtmlCanvasElement, (x, y): (f32, f32)) -> Option<()> {
    let ctx = context(canvas)?;
    let (px, py) = (((x as f64 + 1.0) / 2.0) * SIZE as f64, SIZE as f64 - ((y as f64 + 1.0) / 2.0) * SIZE as f64);
    ctx.set_line_width(2.5);
    ctx.set_stroke_style_str("#1d2330");
    ctx.begin_path();
    let _ = ctx.arc(px, py, 9.0, 0.0, std::f64::consts::TAU);
    ctx.move_to(px - 14.0, py);
    ctx.line_to(px + 14.0, py);
    ctx.move_to(px, py - 14.0);
    ctx.line_to(px, py + 14.0);
    ctx.stroke();
    Some(())
}

/// The student's queries: small dark crosses, under the data points.
fn draw_queries(ctx: &CanvasRenderingContext2d, queries: &[[f32; 2]]) {
    let to_px = |v: f32| ((v as f64 + 1.0) / 2.0) * SIZE as f64;
    ctx.set_stroke_style_str("rgba(29, 35, 48, 0.75)");
    ctx.set_line_width(1.2);
    ctx.begin_path();
    for q in queries {
        let (x, y) = (to_px(q[0]), SIZE as f64 - to_px(q[1]));
        ctx.move_to(x - 2.5, y - 2.5);
        ctx.line_to(x + 2.5, y + 2.5);
        ctx.move_to(x - 2.5, y + 2.5);
        ctx.line_to(x + 2.5, y - 2.5);
    }
    ctx.stroke();
}

/// Paints `layer` (a canvas of its own) over the visible canvas; scaled to it when smaller.
fn lay_over(ctx: &CanvasRenderingContext2d, layer: &HtmlCanvasElement) -> Option<()> {
    ctx.set_image_smoothing_enabled(true);
    ctx.draw_image_with_html_canvas_element_and_dw_and_dh(layer, 0.0, 0.0, SIZE as f64, SIZE as f64).ok()
}

/// Both layers' contexts and one image of each laid over the visible canvas (all still empty):
/// the costs of a canvas's first use, paid before the first map (see `canvas`).
fn warm_up(canvas: &HtmlCanvasElement, layers: &Layers) -> Option<()> {
    let ctx = context(canvas)?;
    lay_over(&ctx, &layers.grid)?;
    lay_over(&ctx, &layers.dots)
}

/// The map's two layers, each drawn only when what it shows changes.
struct Layers {
    /// The map at its own resolution, scaled up onto the visible canvas.
    grid: HtmlCanvasElement,
    /// The data points and queries, at the visible canvas's size.
    dots: HtmlCanvasElement,
}

impl Layers {
    fn new() -> Option<Self> {
        let dots = canvas::offscreen()?;
        dots.set_width(SIZE);
        dots.set_height(SIZE);
        Some(Self { grid: canvas::offscreen()?, dots })
    }
}

fn draw_grid(grid: &HtmlCanvasElement, map: &DecisionMap) -> Option<()> {
    let n = map.resolution as u32;
    let mut pixels = Vec::with_capacity((n * n * 4) as usize);
    for (&class, &confidence) in map.class.iter().zip(&map.confidence) {
        let [r, g, b] = shade(class as usize, confidence);
        pixels.extend_from_slice(&[r, g, b, 255]);
    }
    let image = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&pixels), n, n).ok()?;
    if (grid.width(), grid.height()) != (n, n) {
        grid.set_width(n);
        grid.set_height(n);
    }
    context(grid)?.put_image_data(&image, 0.0, 0.0).ok()
}

fn draw_dots(dots: &HtmlCanvasElement, points: Option<&PointsView>, show: (bool, bool)) -> Option<()> {
    let (show_test, show_queries) = show;
    let ctx = context(dots)?;
    ctx.clear_rect(0.0, 0.0, SIZE as f64, SIZE as f64);
    let Some(points) = points else { return Some(()) };
    let to_px = |v: f32| ((v as f64 + 1.0) / 2.0) * SIZE as f64;
    let dot = |p: &[f32; 2], class: u8, test: bool, labelled: bool| {
        ctx.begin_path();
        let radius = if labelled {
            5.0
        } else if test {
            3.5
        } else {
            3.0
        };
        let _ = ctx.arc(to_px(p[0]), SIZE as f64 - to_px(p[1]), radius, 0.0, std::f64::consts::TAU);
        let colour = css(class_colour(class as usize));
        if labelled {
            // The students' own labelled examples stand out: all the labels a student ever gets.
            ctx.set_fill_style_str(&colour);
            ctx.fill();
            ctx.set_stroke_style_str("#1d2330");
            ctx.set_line_width(2.0);
        } else if test {
            ctx.set_fill_style_str("white");
            ctx.fill();
            ctx.set_stroke_style_str(&colour);
            ctx.set_line_width(2.0);
        } else {
            ctx.set_fill_style_str(&colour);
            ctx.fill();
            ctx.set_stroke_style_str("white");
            ctx.set_line_width(1.0);
        }
        ctx.stroke();
    };
    if show_queries {
        draw_queries(&ctx, &points.queries);
    }
    if show_test {
        for (p, &class) in points.test.iter().zip(&points.test_labels) {
            dot(p, class, true, false);
        }
    }
    // Labelled examples last, on top.
    for labelled in [false, true] {
        for ((p, &class), _) in
            points.train.iter().zip(&points.train_labels).zip(&points.labelled).filter(|(_, l)| **l == labelled)
        {
            dot(p, class, false, labelled);
        }
    }
    Some(())
}

/// The visible canvas: the map, the points over it, and the keyboard's cursor.
fn compose(canvas: &HtmlCanvasElement, layers: &Layers, cursor: Option<(f32, f32)>) -> Option<()> {
    let ctx = context(canvas)?;
    lay_over(&ctx, &layers.grid)?;
    lay_over(&ctx, &layers.dots)?;
    if let Some(at) = cursor {
        draw_cursor(canvas, at);
    }
    Some(())
}

/// Saves the map's canvas as a PNG file named `name`.
fn save_png(canvas: NodeRef, name: String) -> Callback<MouseEvent> {
    Callback::from(move |_: MouseEvent| {
        let (Some(canvas), name) = (canvas.cast::<HtmlCanvasElement>(), name.clone()) else { return };
        spawn_local(async move {
            if let Err(why) = async { save_blob(&canvas_png(&canvas).await?, &name) }.await {
                web_sys::console::warn_1(&format!("the map could not be saved: {why}").into());
            }
        });
    })
}

#[function_component]
pub fn DecisionMapView(props: &DecisionMapProps) -> Html {
    let canvas = use_node_ref();
    let layers = use_memo((), |_| Layers::new());
    {
        let layers = layers.clone();
        use_warm_up(canvas.clone(), move |canvas| {
            if let Some(layers) = layers.as_ref() {
                warm_up(canvas, layers);
            }
        });
    }
    // Effects run in order: each layer is redrawn before the canvas is composed of them.
    let show = (props.show_test_points, props.show_queries);
    {
        let layers = layers.clone();
        use_effect_with(props.map.clone(), move |map| {
            if let (Some(layers), Some(map)) = (layers.as_ref(), map) {
                draw_grid(&layers.grid, map);
            }
        });
    }
    {
        let layers = layers.clone();
        use_effect_with((props.points.clone(), show), move |(points, show)| {
            if let Some(layers) = layers.as_ref() {
                draw_dots(&layers.dots, points.as_deref(), *show);
            }
        });
    }
    // Shown while the map has the keyboard's focus.
    let cursor = use_state(|| None::<(f32, f32)>);
    {
        let canvas = canvas.clone();
        let inputs = (props.map.clone(), props.points.clone(), show, *cursor);
        use_effect_with(inputs, move |(map, _, _, cursor)| {
            if let (Some(canvas), Some(layers), Some(_)) = (canvas.cast::<HtmlCanvasElement>(), layers.as_ref(), map) {
                compose(&canvas, layers, *cursor);
            }
        });
    }
    let onkeydown = {
        let (cursor, on_add) = (cursor.clone(), props.on_add.clone());
        Callback::from(move |event: KeyboardEvent| {
            let (x, y) = cursor.unwrap_or((0.0, 0.0));
            let step = if event.shift_key() { 4.0 * CURSOR_STEP } else { CURSOR_STEP };
            let moved = match event.key().as_str() {
                "ArrowLeft" => (x - step, y),
                "ArrowRight" => (x + step, y),
                "ArrowUp" => (x, y + step),
                "ArrowDown" => (x, y - step),
                "Enter" | " " => {
                    event.prevent_default();
                    on_add.emit((x, y));
                    return cursor.set(Some((x, y)));
                }
                _ => return,
            };
            event.prevent_default();
            cursor.set(Some((moved.0.clamp(-1.0, 1.0), moved.1.clamp(-1.0, 1.0))));
        })
    };
    let onfocus = {
        let cursor = cursor.clone();
        Callback::from(move |_: FocusEvent| cursor.set(Some(cursor.unwrap_or((0.0, 0.0)))))
    };
    let onblur = {
        let cursor = cursor.clone();
        Callback::from(move |_: FocusEvent| cursor.set(None))
    };
    let save_png = save_png(canvas.clone(), format!("distill-{}.png", props.test_id));
    let onclick = {
        let on_add = props.on_add.clone();
        Callback::from(move |event: MouseEvent| {
            let canvas: HtmlCanvasElement = event.target_unchecked_into();
            let (width, height) = (canvas.client_width().max(1) as f32, canvas.client_height().max(1) as f32);
            let x = event.offset_x() as f32 / width * 2.0 - 1.0;
            let y = 1.0 - event.offset_y() as f32 / height * 2.0;
            on_add.emit((x, y));
        })
    };
    let train_points = props.points.as_ref().map_or(0, |p| p.train.len());
    let queries_drawn = if props.show_queries { props.points.as_ref().map_or(0, |p| p.queries.len()) } else { 0 };
    html! {
        <figure class="decision-map">
            <canvas ref={canvas} width={SIZE.to_string()} height={SIZE.to_string()} data-testid={props.test_id.clone()}
                data-train-points={train_points.to_string()} data-queries-drawn={queries_drawn.to_string()} {onclick} {onkeydown} {onfocus} {onblur}
                tabindex="0" role="application" aria-roledescription="map" data-own-keys="arrows"
                aria-label={describe(&props.title, props.map.as_ref())} />
            <figcaption><strong>{ props.title.clone() }</strong>{ " " }<span title={props.gloss.clone()}>{ props.subtitle.clone() }</span>
                <button class="small" data-testid={format!("{}-png", props.test_id)} onclick={save_png}
                    aria-label={format!("Save the {} map as PNG", props.title.to_lowercase())}>{ "PNG" }</button>
            </figcaption>
        </figure>
    }
}
