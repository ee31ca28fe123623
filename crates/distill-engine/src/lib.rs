//! The training engine, loaded in a Web Worker: owns the Burn device and the run, and talks to
//! the page only through `distill_core::protocol` messages. It ships twice, from this one source:
//! `engine` trains on the CPU (Burn's `flex` backend) and is what the page starts at once;
//! `engine-gpu` (the `gpu` feature) adds Burn's WebGPU runtime, and the page fetches it only when
//! a WebGPU adapter will be used.
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

/// Runs the engine in the worker that loaded it.
#[cfg(target_arch = "wasm32")]
pub fn start() {
    messages::install_panic_hook();
    runner::start();
}

/// Natively there is no worker to run in.
#[cfg(not(target_arch = "wasm32"))]
pub fn start() {
    eprintln!("The engine runs in a browser's Web Worker; natively, use the distill-core crate.");
}
