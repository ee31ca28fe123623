//! The draw pad: draw a digit with a mouse, a finger or a pen (Pointer Events), or with the keys
//! (arrows move a pen, Space puts it down or lifts it). While you draw, the drawing is prepared as
//! the MNIST digits were and sent to all three models, throttled.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::Clamped;
use web_sys::{HtmlCanvasElement, ImageData, KeyboardEvent, PointerEvent};
use yew::prelude::*;

use crate::ui::canvas::context;
use crate::ui::digit_gallery::{one_per_digit, top};
use distill_core::data::drawing::{SIDE, mnist_like};
use distill_core::{Role, Trio, softmax_at};

/// The pad's drawing surface, in canvas pixels (CSS may show it smaller).
const PAD: u32 = 280;
/// A stroke as thick, relative to the digit, as MNIST's pens were.
const PEN_WIDTH: f64 = 22.0;
/// One arrow key moves the keyboard pen a twentieth of the pad (Shift: three times as far).
const PEN_STEP: f64 = PAD as f64 / 20.0;
const PAD_CENTRE: (f64, f64) = (PAD as f64 / 2.0, PAD as f64 / 2.0);
/// While drawing, the models are asked at most this often.
const CLASSIFY_EVERY_MS: f64 = 120.0;

/// The keyboard pen: where it is while the pad has focus (in pad pixels), and whether it is down.
#[derive(Debug, Clone, Copy, Default)]
struct Pen {
    at: Option<(f64, f64)>,
    down: bool,
}

#[derive(Properties, PartialEq)]
pub struct DrawPadProps {
    /// Teacher, student and baseline logits for the latest drawing, ten each.
    pub logits: Option<Trio<Vec<f32>>>,
    /// The prepared 28×28 drawing is sent here (grey levels 0..=255), or `None` when cleared.
    pub on_drawing: Callback<Option<Vec<u8>>>,
}

/// The drawing as the models see it, or `None` when the pad is empty.
fn prepared(canvas: &HtmlCanvasElement) -> Option<Vec<u8>> {
    let data = context(canvas)?.get_image_data(0.0, 0.0, PAD as f64, PAD as f64).ok()?.data();
    let ink: Vec<f32> = data.chunks_exact(4).map(|px| px[3] as f32 / 255.0).collect();
    let image = mnist_like(&ink, PAD as usize, PAD as usize)?;
    Some(image.iter().map(|v| (v * 255.0).round() as u8).collect())
}

fn show_preview(canvas: &HtmlCanvasElement, image: Option<&[u8]>) -> Option<()> {
    let ctx = context(canvas)?;
    let blank = vec![0u8; SIDE * SIDE];
    let rgba: Vec<u8> =
        image.unwrap_or(&blank).iter().flat_map(|&ink| [255 - ink, 255 - ink, 255 - ink, 255]).collect();
    let data = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&rgba), SIDE as u32, SIDE as u32).ok()?;
    ctx.put_image_data(&data, 0.0, 0.0).ok()
}

fn answer(test_id: &'static str, name: &'static str, logits: Option<&[f32]>) -> Html {
    let ranked = logits.map(|row| top(&softmax_at(row, 1.0), 3));
    let text = ranked.as_ref().map_or("—".to_string(), |ranked| {
        ranked.iter().map(|(c, p)| format!("{c} {:.1}%", 100.0 * p)).collect::<Vec<_>>().join(" · ")
    });
    html! { <p class="draw-answer"><span>{ name }</span>{ " " }<output data-testid={test_id}>{ text }</output></p> }
}

/// What every way of drawing does to the pad: ink a stroke to a point, send the drawing (at most
/// every [`CLASSIFY_EVERY_MS`] unless forced), and clear it.
#[derive(Clone)]
struct Ink {
    last_point: Rc<RefCell<Option<(f64, f64)>>>,
    stroke_to: Rc<dyn Fn((f64, f64))>,
    send: Rc<dyn Fn(bool)>,
    clear: Rc<dyn Fn()>,
}

impl Ink {
    /// The next stroke starts afresh rather than joining the last point.
    fn lift(&self) {
        *self.last_point.borrow_mut() = None;
    }
}

#[hook]
fn use_ink(pad: &NodeRef, preview: &NodeRef, on_drawing: &Callback<Option<Vec<u8>>>) -> Ink {
    let last_sent = use_mut_ref(|| f64::NEG_INFINITY);
    let last_point = use_mut_ref(|| None::<(f64, f64)>);
    let send = {
        let (pad, preview, on_drawing) = (pad.clone(), preview.clone(), on_drawing.clone());
        Rc::new(move |force: bool| {
            let now = js_sys::Date::now();
            if !force && now - *last_sent.borrow() < CLASSIFY_EVERY_MS {
                return;
            }
            *last_sent.borrow_mut() = now;
            let Some(canvas) = pad.cast::<HtmlCanvasElement>() else { return };
            let image = prepared(&canvas);
            if let Some(preview) = preview.cast::<HtmlCanvasElement>() {
                show_preview(&preview, image.as_deref());
            }
            on_drawing.emit(image);
        })
    };
    let stroke_to = {
        let (pad, last_point) = (pad.clone(), last_point.clone());
        Rc::new(move |(x, y): (f64, f64)| {
            let Some(ctx) = pad.cast::<HtmlCanvasElement>().as_ref().and_then(context) else { return };
            let (x0, y0) = last_point.borrow().unwrap_or((x, y));
            ctx.set_stroke_style_str("#111");
            ctx.set_line_width(PEN_WIDTH);
            ctx.set_line_cap("round");
            ctx.set_line_join("round");
            ctx.begin_path();
            ctx.move_to(x0, y0);
            ctx.line_to(x, y);
            ctx.stroke();
            *last_point.borrow_mut() = Some((x, y));
        })
    };
    let clear = {
        let (pad, preview, on_drawing) = (pad.clone(), preview.clone(), on_drawing.clone());
        Rc::new(move || {
            if let Some(ctx) = pad.cast::<HtmlCanvasElement>().as_ref().and_then(context) {
                ctx.clear_rect(0.0, 0.0, PAD as f64, PAD as f64);
            }
            if let Some(preview) = preview.cast::<HtmlCanvasElement>() {
                show_preview(&preview, None);
            }
            on_drawing.emit(None);
        })
    };
    Ink { last_point, stroke_to, send, clear }
}

/// A mouse, a finger or a pen: down, move and up (or cancel). `drawing` says a stroke is on,
/// across renders.
fn pointer_handlers(ink: &Ink, drawing: Rc<RefCell<bool>>) -> [Callback<PointerEvent>; 3] {
    let point = |event: &PointerEvent| {
        let canvas: HtmlCanvasElement = event.target_unchecked_into();
        let scale = PAD as f64 / canvas.client_width().max(1) as f64;
        (event.offset_x() as f64 * scale, event.offset_y() as f64 * scale)
    };
    let down = {
        let (drawing, ink) = (drawing.clone(), ink.clone());
        Callback::from(move |event: PointerEvent| {
            event.prevent_default();
            let canvas: HtmlCanvasElement = event.target_unchecked_into();
            let _ = canvas.set_pointer_capture(event.pointer_id());
            *drawing.borrow_mut() = true;
            ink.lift();
            (ink.stroke_to)(point(&event));
            (ink.send)(false);
        })
    };
    let moved = {
        let (drawing, ink) = (drawing.clone(), ink.clone());
        Callback::from(move |event: PointerEvent| {
            if *drawing.borrow() {
                (ink.stroke_to)(point(&event));
                (ink.send)(false);
            }
        })
    };
    let ink = ink.clone();
    let up = Callback::from(move |_: PointerEvent| {
        if std::mem::take(&mut *drawing.borrow_mut()) {
            ink.lift();
            // The last stretch of a stroke always counts, however soon it came.
            (ink.send)(true);
        }
    });
    [down, moved, up]
}

/// The keyboard pen: arrows move it, Space puts it down or lifts it, Enter lifts it, Delete
/// clears. Its state is read and moved as each key arrives (keys can come faster than renders).
fn key_handler(ink: &Ink, pen: Rc<RefCell<Pen>>, show_pen: UseForceUpdateHandle) -> Callback<KeyboardEvent> {
    let ink = ink.clone();
    Callback::from(move |event: KeyboardEvent| {
        let (x, y) = pen.borrow().at.unwrap_or(PAD_CENTRE);
        let step = if event.shift_key() { 3.0 * PEN_STEP } else { PEN_STEP };
        let moved = match event.key().as_str() {
            "ArrowLeft" => (x - step, y),
            "ArrowRight" => (x + step, y),
            "ArrowUp" => (x, y - step),
            "ArrowDown" => (x, y + step),
            " " | "Enter" => {
                event.prevent_default();
                let lower = !pen.borrow().down && event.key() == " ";
                ink.lift();
                if lower {
                    (ink.stroke_to)((x, y));
                }
                (ink.send)(!lower);
                *pen.borrow_mut() = Pen { at: Some((x, y)), down: lower };
                return show_pen.force_update();
            }
            "Delete" | "Backspace" => {
                event.prevent_default();
                return (ink.clear)();
            }
            _ => return,
        };
        event.prevent_default();
        let moved = (moved.0.clamp(0.0, PAD as f64), moved.1.clamp(0.0, PAD as f64));
        let down = pen.borrow().down;
        if down {
            (ink.stroke_to)(moved);
            (ink.send)(false);
        }
        *pen.borrow_mut() = Pen { at: Some(moved), down };
        show_pen.force_update();
    })
}

/// The keyboard pen shows while the pad has focus; losing focus lifts it.
fn focus_handlers(ink: &Ink, pen: Rc<RefCell<Pen>>, show_pen: UseForceUpdateHandle) -> [Callback<FocusEvent>; 2] {
    let onfocus = {
        let (pen, show_pen) = (pen.clone(), show_pen.clone());
        Callback::from(move |_: FocusEvent| {
            let at = pen.borrow().at.unwrap_or(PAD_CENTRE);
            pen.borrow_mut().at = Some(at);
            show_pen.force_update();
        })
    };
    let ink = ink.clone();
    let onblur = Callback::from(move |_: FocusEvent| {
        if pen.borrow().down {
            ink.lift();
            (ink.send)(true);
        }
        *pen.borrow_mut() = Pen::default();
        show_pen.force_update();
    });
    [onfocus, onblur]
}

#[function_component]
pub fn DrawPad(props: &DrawPadProps) -> Html {
    let pad = use_node_ref();
    let preview = use_node_ref();
    let ink = use_ink(&pad, &preview, &props.on_drawing);
    let pen = use_mut_ref(Pen::default);
    let show_pen = use_force_update();
    let [onpointerdown, onpointermove, onpointerup] = pointer_handlers(&ink, use_mut_ref(|| false));
    let onkeydown = key_handler(&ink, pen.clone(), show_pen.clone());
    let [onfocus, onblur] = focus_handlers(&ink, pen.clone(), show_pen);
    let on_clear = {
        let clear = ink.clear.clone();
        Callback::from(move |_: MouseEvent| clear())
    };
    // The pen is drawn over the pad, not on it: the pad's pixels are the drawing. It is always
    // in the page (hidden without focus), so that showing it never rebuilds the pad.
    let Pen { at, down: pen_down } = *pen.borrow();
    let (pen_x, pen_y) = at.unwrap_or_default();
    let pen_style = format!("left: {:.2}%; top: {:.2}%;", 100.0 * pen_x / PAD as f64, 100.0 * pen_y / PAD as f64);
    let pen_class = if pen_down { "draw-pen down" } else { "draw-pen" };
    let logits = props.logits.as_ref().filter(|logits| one_per_digit(logits));
    let row = |role: Role| logits.map(|logits| logits[role].as_slice());
    html! {
        <section class="draw" aria-label="Draw a digit for all three models">
            <h2>{ "Draw a digit" }</h2>
            <div class="draw-row">
                <div class="draw-pad-frame">
                    <canvas ref={pad} class="draw-pad" data-testid="draw-pad" width={PAD.to_string()} height={PAD.to_string()}
                        tabindex="0" role="application" aria-roledescription="draw pad" data-own-keys="arrows"
                        aria-label={format!("Draw a digit here with a mouse, a finger or a pen, or with keys: \
                            arrows move the pen, Space puts it down or lifts it, Delete clears. The pen is {}.",
                            if pen_down { "down" } else { "up" })}
                        {onpointerdown} {onpointermove} onpointerup={onpointerup.clone()} onpointercancel={onpointerup}
                        {onkeydown} {onfocus} {onblur} />
                    <span class={pen_class} style={pen_style} hidden={at.is_none()} data-testid="draw-pen" aria-hidden="true" />
                </div>
                <div class="draw-side">
                    <figure class="draw-preview">
                        <canvas ref={preview} data-testid="draw-preview" width={SIDE.to_string()} height={SIDE.to_string()} />
                        <figcaption>{ "as the models see it: 20×20, centred by its mass in 28×28" }</figcaption>
                    </figure>
                    { answer("draw-teacher", "Teacher", row(Role::Teacher)) }
                    { answer("draw-student", "Distilled", row(Role::Student)) }
                    { answer("draw-baseline", "Baseline", row(Role::Baseline)) }
                    <button data-testid="draw-clear" onclick={on_clear}>{ "Clear" }</button>
                </div>
            </div>
        </section>
    }
}
