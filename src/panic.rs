//! Turns a panic into a visible message instead of a silently dead page or engine.

use wasm_bindgen::JsCast;

/// Logs the panic and puts an error panel with a reload button at the top of the page. Set
/// through Yew, which otherwise replaces any hook with its own console-only one when it renders.
pub fn install_hook() {
    yew::set_custom_panic_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        let Some(body) = document.body() else { return };
        // One panel says it; later panics, often echoes of the first, are only logged.
        if document.query_selector("[data-testid=\"fatal-error\"]").ok().flatten().is_some() {
            return;
        }
        let Ok(panel) = document.create_element("section") else { return };
        panel.set_class_name("error fatal");
        let _ = panel.set_attribute("role", "alert");
        let _ = panel.set_attribute("data-testid", "fatal-error");
        let message = info.to_string();
        panel.set_inner_html(
            "<strong>Distill Lab hit an internal error and stopped.</strong> \
             <span class=\"detail\"></span> <button type=\"button\">Reload</button>",
        );
        if let Ok(Some(detail)) = panel.query_selector(".detail") {
            detail.set_text_content(Some(&message));
        }
        if let Ok(Some(button)) = panel.query_selector("button") {
            let reload = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(|| {
                if let Some(window) = web_sys::window() {
                    let _ = window.location().reload();
                }
            });
            let _ = button.add_event_listener_with_callback("click", reload.as_ref().unchecked_ref());
            reload.forget();
        }
        let _ = body.prepend_with_node_1(&panel);
    }));
}
