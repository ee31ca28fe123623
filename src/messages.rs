//! The page's end of the message channel: the protocol's bytes through `postMessage`.

use distill_core::protocol;
use serde::{Serialize, de::DeserializeOwned};
use wasm_bindgen::JsValue;

pub fn encode<T: Serialize>(message: &T) -> Result<JsValue, String> {
    Ok(js_sys::Uint8Array::from(&protocol::encode(message)?[..]).into())
}

pub fn decode<T: DeserializeOwned>(value: JsValue) -> Result<T, String> {
    protocol::decode(&js_sys::Uint8Array::new(&value).to_vec())
}
