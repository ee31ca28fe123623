//! Time and yielding inside the worker.

use js_sys::{Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::WorkerGlobalScope;

pub fn scope() -> WorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Milliseconds from the worker's own high-resolution clock.
pub fn now_ms() -> f64 {
    scope().performance().map(|p| p.now()).unwrap_or_else(js_sys::Date::now)
}

/// Lets queued messages (pause, reset) in before the next chunk of training.
pub async fn yield_to_events() {
    let promise = Promise::new(&mut |resolve, _| {
        let _ = scope().set_timeout_with_callback(&resolve);
    });
    let _ = JsFuture::from(promise).await;
}

/// Lets queued messages in, and gives the machine's cores to others for `ms` milliseconds.
pub async fn rest_ms(ms: f64) {
    let _ = JsFuture::from(after_ms(ms.clamp(0.0, 1000.0) as i32, &JsValue::UNDEFINED)).await;
}

/// A promise that resolves to `value` after `ms` milliseconds: the losing side of a race.
pub fn after_ms(ms: i32, value: &JsValue) -> Promise {
    let value = value.clone();
    Promise::new(&mut |resolve, _| {
        let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_1(&resolve, ms, &value);
    })
}

/// `object[key]`, or `undefined` when it is missing or the lookup throws.
pub fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}
