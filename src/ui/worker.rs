//! The page's end of the engine: starts the Web Worker and carries messages both ways.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageEvent, Worker};
use yew::Callback;

use crate::messages;
use distill_core::protocol::{FromEngine, ToEngine};

/// Written next to the page by the build.
const ENGINE_SCRIPT: &str = "engine_loader.js";
/// An engine that has not said it listens by then is reported (it downloads about 4 MB once).
const STARTUP_REPORT_MS: i32 = 15_000;

pub struct EngineHandle {
    worker: Worker,
    /// Commands wait here until the engine says it listens; `None` once it does.
    waiting: Rc<RefCell<Option<Vec<ToEngine>>>>,
    // Kept alive as long as the worker is.
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
    _on_startup_timeout: Closure<dyn FnMut()>,
}

impl EngineHandle {
    pub fn spawn(on_message: Callback<FromEngine>) -> Result<Self, String> {
        let worker = Worker::new(ENGINE_SCRIPT).map_err(|e| format!("The training engine could not start: {e:?}"))?;
        let (deliver, report) = (on_message.clone(), on_message.clone());
        let waiting: Rc<RefCell<Option<Vec<ToEngine>>>> = Rc::new(RefCell::new(Some(Vec::new())));
        let flush = (worker.clone(), waiting.clone());
        let message_closure =
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                match messages::decode::<FromEngine>(event.data()) {
                    Ok(FromEngine::Listening) => {
                        let (worker, waiting) = &flush;
                        for command in waiting.borrow_mut().take().unwrap_or_default() {
                            post(worker, &command);
                        }
                    }
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
        let still_waiting = waiting.clone();
        let timeout_closure = Closure::<dyn FnMut()>::new(move || {
            if still_waiting.borrow().is_some() {
                report.emit(FromEngine::Notice(format!(
                    "The training engine has not started after {} s: it may still be downloading on a slow \
                     connection. If nothing happens, reload the page.",
                    STARTUP_REPORT_MS / 1000
                )));
            }
        });
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                timeout_closure.as_ref().unchecked_ref(),
                STARTUP_REPORT_MS,
            );
        }
        Ok(Self {
            worker,
            waiting,
            _on_message: message_closure,
            _on_error: error_closure,
            _on_startup_timeout: timeout_closure,
        })
    }

    pub fn send(&self, command: &ToEngine) {
        match self.waiting.borrow_mut().as_mut() {
            Some(waiting) => waiting.push(command.clone()),
            None => post(&self.worker, command),
        }
    }
}

fn post(worker: &Worker, command: &ToEngine) {
    match messages::encode(command) {
        Ok(value) => {
            if let Err(e) = worker.post_message(&value) {
                web_sys::console::error_1(&e);
            }
        }
        Err(e) => web_sys::console::error_1(&format!("unencodable command: {e}").into()),
    }
}

impl Drop for EngineHandle {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}
