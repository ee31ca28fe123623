//! The training engine, loaded in a Web Worker: owns the Burn device and the session, and talks
//! to the page only through `distill_core::protocol` messages.

#[cfg(target_arch = "wasm32")]
mod assets;
#[cfg(target_arch = "wasm32")]
mod backend;
#[cfg(target_arch = "wasm32")]
mod clock;
#[cfg(target_arch = "wasm32")]
mod messages;
#[cfg(target_arch = "wasm32")]
mod runner;

#[cfg(target_arch = "wasm32")]
fn main() {
    messages::install_panic_hook();
    runner::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The engine runs in a browser's Web Worker; natively, use the distill-core crate.");
}
