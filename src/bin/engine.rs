//! The training engine's entry point, loaded in a Web Worker.

#[cfg(target_arch = "wasm32")]
fn main() {
    distill_lab::panic::install_engine_hook();
    distill_lab::engine::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The engine runs in a browser's Web Worker; natively, use `cargo run -p distill-core --bin distill`.");
}
