//! The page's end of the message channel: plain serde values through `postMessage`.

use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

pub fn encode<T: Serialize>(message: &T) -> Result<JsValue, String> {
    message.serialize(&serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true)).map_err(|e| e.to_string())
}

pub fn decode<T: for<'de> Deserialize<'de>>(value: JsValue) -> Result<T, String> {
    serde_wasm_bindgen::from_value(value).map_err(|e| e.to_string())
}
