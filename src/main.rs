//! Distill Lab's page: a Yew app that draws what the training engine (a Web Worker) reports.

#[cfg(target_arch = "wasm32")]
mod messages;
// Natively only its tests use it.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code, unused_imports))]
mod model;
#[cfg(target_arch = "wasm32")]
mod panic;
#[cfg(target_arch = "wasm32")]
mod ui;

#[cfg(target_arch = "wasm32")]
fn main() {
    panic::install_hook();
    yew::Renderer::<ui::App>::new().render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The page runs in a browser: serve it with scripts/serve.sh (see the README).");
}
