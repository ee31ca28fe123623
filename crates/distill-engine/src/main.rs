//! The training engine, loaded in a Web Worker: owns the Burn device and the run, and talks to
//! the page only through `distill_core::protocol` messages.
//!
//! `run` and `schedule` are plain Rust, tested natively; the rest is the worker's shell: messages
//! (`messages`, `runner`), fetches (`assets`), `navigator.gpu` (`backend`), time (`clock`) and
//! the test and benchmark hooks (`hooks`).

// Natively only the tests drive `run` and `schedule`; the worker uses all of them.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

#[cfg(target_arch = "wasm32")]
mod assets;
#[cfg(target_arch = "wasm32")]
mod backend;
#[cfg(target_arch = "wasm32")]
mod clock;
#[cfg(target_arch = "wasm32")]
mod hooks;
#[cfg(target_arch = "wasm32")]
mod messages;
mod run;
#[cfg(target_arch = "wasm32")]
mod runner;
mod schedule;

#[cfg(target_arch = "wasm32")]
fn main() {
    messages::install_panic_hook();
    runner::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The engine runs in a browser's Web Worker; natively, use the distill-core crate.");
}
