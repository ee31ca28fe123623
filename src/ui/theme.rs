//! The colour theme: the system's (`prefers-color-scheme`) unless the link fixes one. The page's
//! root element carries the choice for the stylesheet, which holds both palettes.

use yew::prelude::*;

use distill_core::params::Theme;

use crate::model::Edit;

fn name(theme: Theme) -> &'static str {
    match theme {
        Theme::Auto => "auto",
        Theme::Light => "light",
        Theme::Dark => "dark",
    }
}

fn system_prefers_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|query| query.matches())
}

/// Whether the page shows its dark palette.
pub fn is_dark(theme: Theme) -> bool {
    match theme {
        Theme::Auto => system_prefers_dark(),
        Theme::Light => false,
        Theme::Dark => true,
    }
}

#[hook]
pub fn use_theme(theme: Theme) {
    use_effect_with(theme, |&theme| {
        if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let _ = root.set_attribute("data-theme", name(theme));
        }
    });
}

#[derive(Properties, PartialEq)]
pub struct ThemeToggleProps {
    pub theme: Theme,
    pub on_change: Callback<Edit>,
}

/// Switches between the light and the dark palette; the choice goes into the link.
#[function_component]
pub fn ThemeToggle(props: &ThemeToggleProps) -> Html {
    let dark = is_dark(props.theme);
    let onclick = {
        let on_change = props.on_change.clone();
        Callback::from(move |_: MouseEvent| on_change.emit(Edit::Theme(if dark { Theme::Light } else { Theme::Dark })))
    };
    html! {
        <button class="small" data-testid="theme" aria-pressed={dark.to_string()} {onclick}
            title="switch the colour theme (kept in the link)">{ "Dark theme" }</button>
    }
}
