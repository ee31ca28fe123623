//! The engine's end of the message channel.

use distill_core::RunError;
use distill_core::protocol::{self, FromEngine};
use distill_core::transport::FromWorker;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::DedicatedWorkerGlobalScope;

/// A message of the lab's, for the page.
pub fn post(message: &FromEngine) {
    post_to_host(&FromWorker::Lab(message.clone()));
}

/// A message for the page's engine host (which engine runs the lab).
pub fn post_to_host(message: &FromWorker) {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    match protocol::encode(message) {
        Ok(bytes) => {
            let _ = scope.post_message(&js_sys::Uint8Array::from(&bytes[..]));
        }
        Err(e) => web_sys::console::error_1(&format!("engine: {e}").into()),
    }
}

pub fn decode<T: serde::de::DeserializeOwned>(value: JsValue) -> Result<T, String> {
    protocol::decode(&js_sys::Uint8Array::new(&value).to_vec())
}

/// A panic is logged and reported to the page, which shows it: never a silently dead engine.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        post(&FromEngine::Error(RunError::Engine(format!(
            "The training engine hit an internal error and stopped: {info}. Reload the page to start again."
        ))));
    }));
}
