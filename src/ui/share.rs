//! Sharing a run: its link, an `<iframe>` snippet for a course page, and an embed's way back to
//! the full lab. Links are absolute, built from where the page is served, sub-path included.

use wasm_bindgen_futures::{JsFuture, spawn_local};
use yew::prelude::*;

use distill_core::params::Params;
use distill_core::run_spec::Scenario;

/// The page's own address without its query: `https://host/sub/path/`.
fn page_address() -> String {
    let Some(location) = web_sys::window().map(|w| w.location()) else { return String::new() };
    format!("{}{}", location.origin().unwrap_or_default(), location.pathname().unwrap_or_default())
}

/// Keeps the address bar a shareable link to the current run, without reloading and without
/// adding to the history.
pub fn write_address_bar(params: &Params) {
    let Some(window) = web_sys::window() else { return };
    let path = window.location().pathname().unwrap_or_default();
    let url = format!("{path}?{}", params.link_query());
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// The link that opens exactly this run (see [`Params::link_query`]).
pub fn link(params: &Params) -> String {
    format!("{}?{}", page_address(), params.link_query())
}

/// The same run in the full page: no embed, nothing hidden.
pub fn full_lab_link(params: &Params) -> String {
    let mut full = params.clone();
    full.embed = false;
    full.hide.clear();
    link(&full)
}

/// An `<iframe>` of this run in the compact layout, sized for each lab's panels.
pub fn embed_snippet(params: &Params) -> String {
    let mut embedded = params.clone();
    embedded.embed = true;
    embedded.tour = false;
    let height = match params.scenario {
        Scenario::Shapes => 980,
        Scenario::Digits => 1180,
        Scenario::Text => 1300,
    };
    format!(
        "<iframe src=\"{}\" title=\"Distill Lab: a small network learns from a big one\" width=\"100%\" \
         height=\"{height}\" style=\"border: 0; max-width: 1000px\" loading=\"lazy\"></iframe>",
        link(&embedded).replace('&', "&amp;")
    )
}

#[derive(Properties, PartialEq)]
pub struct ShareProps {
    pub params: Params,
}

/// What the last copy did: the text it put on the clipboard, or the text to copy by hand.
#[derive(Clone, PartialEq)]
enum Copied {
    Nothing,
    Done(&'static str),
    ByHand(&'static str, String),
}

#[function_component]
pub fn Share(props: &ShareProps) -> Html {
    let copied = use_state(|| Copied::Nothing);
    let copy = |what: &'static str, text: String| {
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| {
            let (copied, text) = (copied.clone(), text.clone());
            let clipboard = web_sys::window().map(|w| w.navigator().clipboard());
            spawn_local(async move {
                let written = match clipboard {
                    Some(clipboard) => JsFuture::from(clipboard.write_text(&text)).await.is_ok(),
                    None => false,
                };
                // An embed without clipboard permission, or an old browser: the text to copy.
                copied.set(if written { Copied::Done(what) } else { Copied::ByHand(what, text) });
            });
        })
    };
    let result = match &*copied {
        Copied::Nothing => html! {},
        Copied::Done(what) => {
            html! { <span class="copied" role="status" data-testid="copy-result">{ format!("{what} copied.") }</span> }
        }
        Copied::ByHand(what, text) => html! {
            <label class="copy-by-hand" data-testid="copy-result">
                { format!("The browser would not copy the {}: select it and copy it yourself ", what.to_lowercase()) }
                <textarea readonly=true rows="2" value={text.clone()} />
            </label>
        },
    };
    html! {
        <section class="share" aria-label="Share this run">
            <button data-testid="copy-link" onclick={copy("Link", link(&props.params))}
                title="the address of exactly this run: same settings and seed, same curves">{ "Copy link" }</button>
            <button data-testid="copy-embed" onclick={copy("Embed code", embed_snippet(&props.params))}
                title="an <iframe> snippet of this run, in the compact layout, for a course page">{ "Copy embed code" }</button>
            { result }
        </section>
    }
}
