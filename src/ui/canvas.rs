//! What the page's canvases share: their 2-D context, and a warm-up that creates it soon after the
//! canvas mounts. A canvas's first context, and its first scaled image, cost tens of milliseconds:
//! paid while the page waits for the engine, not in the first map drawn while a run trains.

use gloo_timers::callback::Timeout;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};
use yew::prelude::*;

pub fn context(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas.get_context("2d").ok()??.dyn_into().ok()
}

/// A canvas outside the page, for drawing at one size and scaling onto another.
pub fn offscreen() -> Option<HtmlCanvasElement> {
    web_sys::window()?.document()?.create_element("canvas").ok()?.dyn_into().ok()
}

/// Runs `warm` on the mounted canvas in a task of its own, after the first paint.
#[hook]
pub fn use_warm_up(canvas: NodeRef, warm: impl FnOnce(&HtmlCanvasElement) + 'static) {
    use_effect_with((), move |_| {
        let timeout = Timeout::new(0, move || {
            if let Some(canvas) = canvas.cast::<HtmlCanvasElement>() {
                warm(&canvas);
            }
        });
        move || drop(timeout)
    });
}
