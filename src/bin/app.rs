//! The page's entry point.

#[cfg(target_arch = "wasm32")]
fn main() {
    distill_lab::panic::install_page_hook();
    yew::Renderer::<distill_lab::ui::App>::new().render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The page runs in a browser: build it with `trunk build` (see the README).");
}
