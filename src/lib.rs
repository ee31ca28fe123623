//! Distill Lab in the browser: a Yew page (`bin/app.rs`) and a training engine in a Web Worker
//! (`bin/engine.rs`) that share only the message types of [`protocol`].

pub mod params;
pub mod protocol;

#[cfg(target_arch = "wasm32")]
pub mod engine;
#[cfg(target_arch = "wasm32")]
pub mod panic;
#[cfg(target_arch = "wasm32")]
pub mod ui;
