//! The engine's test and benchmark hooks, all here: the lost GPU of `debug=lose-gpu`, and W1 with
//! its dispatch count (patched into WebGPU only when a benchmark asks for it).

use distill_core::burn::prelude::Device;
use distill_core::protocol::{StepTime, W1Report};
use js_sys::Function;
use wasm_bindgen::JsValue;

use crate::clock::{get, now_ms, scope};

/// Destroys the WebGPU device, as a lost GPU would be.
pub fn destroy_device() {
    let destroy = Function::new_no_args("self.__distillLabDevice?.destroy()");
    let _ = destroy.call0(&JsValue::UNDEFINED);
}

/// Counts compute dispatches, and the time spent inside WebGPU's calls and waiting for read-backs,
/// from now on (once installed, for the worker's life).
fn instrument_webgpu() {
    let install = Function::new_no_args(
        "const pass = self.GPUComputePassEncoder && GPUComputePassEncoder.prototype;
         if (pass && !pass.__distillLabCounted) {
           self.__distillLabDispatches = 0;
           self.__distillLabCallsMs = 0;
           self.__distillLabWaitMs = 0;
           self.__distillLabPipelines = 0;
           const dispatch = pass.dispatchWorkgroups;
           pass.dispatchWorkgroups = function (...args) {
             self.__distillLabDispatches += 1;
             return dispatch.apply(this, args);
           };
           // Every method of the objects a step uses: its own time is the call's. While any
           // promise they returned is unsettled, the step waits for the device (counted once
           // however many are pending).
           let pending = 0;
           let since = 0;
           const settled = () => {
             pending -= 1;
             if (pending === 0) self.__distillLabWaitMs += performance.now() - since;
           };
           for (const type of ['GPUDevice', 'GPUQueue', 'GPUCommandEncoder', 'GPUComputePassEncoder', 'GPUBuffer']) {
             const proto = self[type].prototype;
             for (const name of Object.getOwnPropertyNames(proto)) {
               const call = Object.getOwnPropertyDescriptor(proto, name).value;
               if (typeof call !== 'function' || name === 'constructor') continue;
               proto[name] = function (...args) {
                 if (name.startsWith('createComputePipeline')) self.__distillLabPipelines += 1;
                 const started = performance.now();
                 const result = call.apply(this, args);
                 self.__distillLabCallsMs += performance.now() - started;
                 if (result instanceof Promise) {
                   if (pending === 0) since = performance.now();
                   pending += 1;
                   result.then(settled, settled);
                 }
                 return result;
               };
             }
           }
           pass.__distillLabCounted = true;
         }",
    );
    let _ = install.call0(&JsValue::UNDEFINED);
}

/// One of the counters `instrument_webgpu` keeps (0 on the CPU, or before it was installed).
fn counter(name: &str) -> f64 {
    get(&scope().into(), name).as_f64().unwrap_or(0.0)
}

/// Times reference workload W1 on `device`, with its dispatches per step and where a step's time
/// goes on WebGPU.
pub async fn w1(device: &Device) -> Result<W1Report, String> {
    instrument_webgpu();
    let names = ["__distillLabDispatches", "__distillLabCallsMs", "__distillLabWaitMs", "__distillLabPipelines"];
    let before = names.map(counter);
    let started = now_ms();
    let report = distill_core::bench::w1(device, now_ms, distill_core::bench::W1_PLAN).await?;
    let all_steps = (report.warm_up_steps + report.steps) as f64;
    let [dispatches, calls_ms, wait_ms, pipelines] = [0, 1, 2, 3].map(|i| (counter(names[i]) - before[i]) / all_steps);
    let on_gpu = dispatches > 0.0;
    let time_per_step = StepTime {
        wall_ms: if on_gpu { (now_ms() - started) / all_steps } else { 0.0 },
        webgpu_calls_ms: calls_ms,
        device_wait_ms: wait_ms,
        pipelines_created: pipelines,
    };
    Ok(W1Report { dispatches_per_step: dispatches, time_per_step, ..report })
}
