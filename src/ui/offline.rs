//! Offline use: the page asks `index.html`'s service worker to keep the lab's files.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::model::State;

/// Calls the function `index.html` defines on `window` under `name`; a page without it (a test
/// page, a build without the script) just stays online-only.
fn call_page_script(name: &str) {
    let Some(window) = web_sys::window() else { return };
    let function = js_sys::Reflect::get(&window, &name.into()).ok();
    if let Some(function) = function.as_ref().and_then(|f| f.dyn_ref::<js_sys::Function>()) {
        let _ = function.call0(&window);
    }
}

/// Registers the service worker once the page shows what its link opened: its install downloads
/// and stores the lab's files, which would otherwise compete with the first training step.
#[hook]
pub fn use_offline_once_opened(state: &State) {
    use_effect_with(state.opened(), |&opened| {
        if opened {
            call_page_script("distillKeepOffline");
        }
    });
}

/// Asks the service worker to keep the text lab's files too.
pub fn keep_text_lab() {
    call_page_script("distillKeepTextLab");
}
