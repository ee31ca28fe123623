//! The page's end of the engine: starts the Web Worker and carries messages both ways.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageEvent, Worker};
use yew::Callback;

use crate::protocol::{self, FromEngine, ToEngine};

/// Written next to the page by the build.
const ENGINE_SCRIPT: &str = "engine_loader.js";

pub struct EngineHandle {
    worker: Worker,
    // Kept alive as long as the worker is.
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

impl EngineHandle {
    pub fn spawn(on_message: Callback<FromEngine>) -> Result<Self, String> {
        let worker = Worker::new(ENGINE_SCRIPT)
            .map_err(|e| format!("The training engine could not start: {e:?}"))?;
        let deliver = on_message.clone();
        let message_closure = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            match protocol::decode::<FromEngine>(event.data()) {
                Ok(message) => deliver.emit(message),
                Err(e) => deliver.emit(FromEngine::Error(format!("Unreadable message from the engine: {e}"))),
            }
        });
        let error_closure = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
            event.prevent_default();
            let detail = event.message();
            on_message.emit(FromEngine::Error(if detail.is_empty() {
                "The training engine failed to load (its files may be missing). Reload the page to try again.".into()
            } else {
                format!("The training engine stopped: {detail}. Reload the page to try again.")
            }));
        });
        worker.set_onmessage(Some(message_closure.as_ref().unchecked_ref()));
        worker.set_onerror(Some(error_closure.as_ref().unchecked_ref()));
        Ok(Self { worker, _on_message: message_closure, _on_error: error_closure })
    }

    pub fn send(&self, command: &ToEngine) {
        match protocol::encode(command) {
            Ok(value) => {
                if let Err(e) = self.worker.post_message(&value) {
                    web_sys::console::error_1(&e);
                }
            }
            Err(e) => web_sys::console::error_1(&format!("unencodable command: {e}").into()),
        }
    }
}

impl Drop for EngineHandle {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}
