//! The engine's test and benchmark hooks, all here: the lost GPU of `debug=lose-gpu`, and W1 with
//! its dispatch count (patched into WebGPU only when a benchmark asks for it).

use distill_core::burn::prelude::Device;
use distill_core::protocol::W1Report;
use js_sys::Function;
use wasm_bindgen::JsValue;

use crate::clock::{get, now_ms, scope};

/// Destroys the WebGPU device, as a lost GPU would be.
pub fn destroy_device() {
    let destroy = Function::new_no_args("self.__distillLabDevice?.destroy()");
    let _ = destroy.call0(&JsValue::UNDEFINED);
}

/// Counts compute dispatches from now on (once installed, for the worker's life).
fn count_dispatches() {
    let install = Function::new_no_args(
        "const pass = self.GPUComputePassEncoder && GPUComputePassEncoder.prototype;
         if (pass && !pass.__distillLabCounted) {
           const dispatch = pass.dispatchWorkgroups;
           self.__distillLabDispatches = 0;
           pass.dispatchWorkgroups = function (...args) {
             self.__distillLabDispatches += 1;
             return dispatch.apply(this, args);
           };
           pass.__distillLabCounted = true;
         }",
    );
    let _ = install.call0(&JsValue::UNDEFINED);
}

/// Compute dispatches counted so far (0 on the CPU, or before counting started).
fn dispatches() -> u64 {
    get(&scope().into(), "__distillLabDispatches").as_f64().unwrap_or(0.0) as u64
}

/// Times reference workload W1 on `device`, with its dispatches per step.
pub async fn w1(device: &Device) -> Result<W1Report, String> {
    count_dispatches();
    let (warmup, steps) = (10, 100);
    let before = dispatches();
    let report = distill_core::bench::w1(device, now_ms, warmup, steps).await?;
    let dispatches = (dispatches() - before) as f64 / (warmup + steps) as f64;
    Ok(W1Report { dispatches_per_step: dispatches, ..report })
}
