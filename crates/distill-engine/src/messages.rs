//! The engine's end of the message channel.

use distill_core::protocol::FromEngine;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::DedicatedWorkerGlobalScope;

pub fn post(message: &FromEngine) {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let encoded = message.serialize(&serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true));
    match encoded {
        Ok(value) => {
            let _ = scope.post_message(&value);
        }
        Err(e) => web_sys::console::error_1(&format!("engine: unencodable message: {e}").into()),
    }
}

pub fn decode<T: for<'de> serde::Deserialize<'de>>(value: JsValue) -> Result<T, String> {
    serde_wasm_bindgen::from_value(value).map_err(|e| e.to_string())
}

/// A panic is logged and reported to the page, which shows it: never a silently dead engine.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        post(&FromEngine::Error(format!(
            "The training engine hit an internal error and stopped: {info}. Reload the page to start again."
        )));
    }));
}

use serde::Serialize as _;
