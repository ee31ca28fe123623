//! Keyboard shortcuts for a speaker at a projector, in every mode, and the overlay that lists
//! them. A key typed into a field, or into a panel with keys of its own, is left alone.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlElement, KeyboardEvent};
use yew::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortcut {
    PlayPause,
    Step,
    Reset,
    /// One temperature stop down (T) or up (Shift+T).
    Cooler,
    Warmer,
    SwitchLab,
    Help,
    Close,
}

/// The overlay's rows: keys and what they do.
const KEYS: [(&str, &str); 7] = [
    ("Space", "play or pause"),
    ("→", "one step"),
    ("R", "reset"),
    ("T", "temperature down one stop"),
    ("Shift + T", "temperature up one stop"),
    ("D", "switch between the 2-D and the digits lab"),
    ("?", "show or hide this list"),
];

fn shortcut(event: &KeyboardEvent) -> Option<Shortcut> {
    if event.ctrl_key() || event.meta_key() || event.alt_key() {
        return None;
    }
    Some(match event.key().as_str() {
        " " | "Spacebar" => Shortcut::PlayPause,
        "ArrowRight" => Shortcut::Step,
        "r" | "R" => Shortcut::Reset,
        "t" => Shortcut::Cooler,
        "T" => Shortcut::Warmer,
        "d" | "D" => Shortcut::SwitchLab,
        "?" => Shortcut::Help,
        "Escape" => Shortcut::Close,
        _ => return None,
    })
}

/// Keys meant for what has focus: a field being typed in, a map's arrows and Space (its
/// keyboard cursor), and Space on a button or link, which presses it.
fn belongs_to_target(event: &KeyboardEvent, key: Shortcut) -> bool {
    let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return false };
    let tag = target.tag_name().to_ascii_uppercase();
    let editable = target.dyn_ref::<HtmlElement>().is_some_and(|e| e.is_content_editable());
    let typing = matches!(tag.as_str(), "INPUT" | "SELECT" | "TEXTAREA") || editable;
    let own_keys = matches!(key, Shortcut::Step | Shortcut::PlayPause)
        && target.closest("[data-own-keys]").ok().flatten().is_some();
    let presses = key == Shortcut::PlayPause && matches!(tag.as_str(), "BUTTON" | "A" | "SUMMARY");
    (typing && key != Shortcut::Close) || own_keys || presses
}

/// Calls `on_key` for each shortcut pressed anywhere in the page, for as long as the component
/// lives; the latest `on_key` is the one called.
#[hook]
pub fn use_shortcuts(on_key: Callback<Shortcut>) {
    let latest = use_mut_ref(|| on_key.clone());
    *latest.borrow_mut() = on_key;
    use_effect_with((), move |_| {
        let listener = Closure::<dyn FnMut(KeyboardEvent)>::new(move |event: KeyboardEvent| {
            let Some(key) = shortcut(&event) else { return };
            // Holding → steps on; holding any other key acts once.
            if (event.repeat() && key != Shortcut::Step) || belongs_to_target(&event, key) {
                return;
            }
            event.prevent_default();
            latest.borrow().emit(key);
        });
        let document = web_sys::window().and_then(|w| w.document());
        if let Some(document) = &document {
            let _ = document.add_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
        }
        move || {
            if let Some(document) = document {
                let _ = document.remove_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
            }
        }
    });
}

#[derive(Properties, PartialEq)]
pub struct ShortcutsHelpProps {
    pub on_close: Callback<()>,
}

/// The list of shortcuts, over the lab; Escape, `?` or its button closes it.
#[function_component]
pub fn ShortcutsHelp(props: &ShortcutsHelpProps) -> Html {
    let close_button = use_node_ref();
    {
        let close_button = close_button.clone();
        use_effect_with((), move |_| {
            if let Some(button) = close_button.cast::<HtmlElement>() {
                let _ = button.focus();
            }
        });
    }
    let on_close = props.on_close.clone();
    html! {
        <div class="shortcuts-backdrop">
            <section class="shortcuts" role="dialog" aria-modal="true" aria-labelledby="shortcuts-title" data-testid="shortcuts">
                <h2 id="shortcuts-title">{ "Keyboard shortcuts" }</h2>
                <table>
                    <tbody>
                        { for KEYS.iter().map(|(key, what)| html! { <tr><th scope="row"><kbd>{ *key }</kbd></th><td>{ *what }</td></tr> }) }
                    </tbody>
                </table>
                <p class="shortcuts-note">{ "Shortcuts wait while you type in a field. Tab moves between controls; on a map, the arrow keys move a cursor and Enter adds a point there." }</p>
                <button ref={close_button} onclick={Callback::from(move |_: MouseEvent| on_close.emit(()))}>{ "Close" }</button>
            </section>
        </div>
    }
}
