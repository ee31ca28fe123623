//! The training engine, loaded in a Web Worker: owns the Burn device and the run, and talks to
//! the page only through `distill_core::protocol` messages. It ships twice, from this one source:
//! `engine` trains on the CPU (Burn's `flex` backend) and is what the page starts at once;
//! `engine-gpu` (the `gpu` feature) adds Burn's WebGPU runtime, and the page fetches it only when
//! a WebGPU adapter will be used.
//!
//! `run`, `schedule`, `placement` and `self_check` are plain Rust, tested natively; the rest is the worker's shell: messages
//! (`messages`, `runner`), fetches (`assets`), `navigator.gpu` (`backend`), time (`clock`) and
//! the test and benchmark hooks (`hooks`).

// Natively only the tests drive `run`, `schedule` and `placement`; the worker uses all of them.
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
mod placement;
mod run;
#[cfg(target_arch = "wasm32")]
mod runner;
mod schedule;
mod self_check;

#[cfg(target_arch = "wasm32")]
unsafe extern "C" {
    /// The linker's function that runs the module's static constructors (the WebGPU engine's come
    /// from cubecl's IR, which registers its operations and types through `inventory`).
    fn __wasm_call_ctors();
}

/// Runs the engine in the worker that loaded it.
#[cfg(target_arch = "wasm32")]
pub fn start() {
    // Called once here, where the worker starts. A module that never calls it is linked as a
    // "command" that calls it at the top of every export, and every promise callback and
    // closure the browser calls is an export: that re-ran all of cubecl's constructors, most of
    // the WebGPU engine's time per training step.
    // SAFETY: nothing has run that needs the constructors yet, and they are not run again.
    unsafe { __wasm_call_ctors() };
    messages::install_panic_hook();
    runner::start();
}

/// Natively there is no worker to run in.
#[cfg(not(target_arch = "wasm32"))]
pub fn start() {
    eprintln!("The engine runs in a browser's Web Worker; natively, use the distill-core crate.");
}
