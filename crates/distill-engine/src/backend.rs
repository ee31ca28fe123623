//! Picks the device: WebGPU when the browser offers a usable adapter, else the CPU, and says why.
//!
//! Everything about WebGPU is checked from JavaScript first: touching Burn's wgpu runtime
//! without an adapter would abort the whole WebAssembly instance.

use distill_core::burn::prelude::*;
use js_sys::{Array, Function, Promise};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::clock::{after_ms, get, scope};
use distill_core::protocol::{BackendKind, BackendReport};
use distill_core::run_spec::BackendChoice;

/// How long an adapter request may take before it counts as none.
const ADAPTER_TIMEOUT_MS: i32 = 4000;

/// What the browser's WebGPU offers, read before Burn is involved.
struct Adapter {
    name: Option<String>,
    software: bool,
}

async fn probe_adapter() -> Result<Adapter, String> {
    let gpu = get(&get(&scope().into(), "navigator"), "gpu");
    if gpu.is_undefined() || gpu.is_null() {
        return Err("this browser offers no WebGPU".into());
    }
    let request: Function = get(&gpu, "requestAdapter")
        .dyn_into()
        .map_err(|_| "this browser's WebGPU cannot request adapters".to_string())?;
    let promise: Promise = request
        .call0(&gpu)
        .map_err(|e| format!("requesting a WebGPU adapter failed: {}", describe(&e)))?
        .dyn_into()
        .map_err(|_| "requesting a WebGPU adapter returned no promise".to_string())?;
    // A request that never answers (a busy or restarting GPU process) counts as no adapter, so
    // that start-up stays bounded and training goes to the CPU.
    let timeout = JsValue::from_str("no answer");
    let raced = Promise::race(&Array::of2(&promise, &after_ms(ADAPTER_TIMEOUT_MS, &timeout)));
    let adapter =
        JsFuture::from(raced).await.map_err(|e| format!("requesting a WebGPU adapter failed: {}", describe(&e)))?;
    if adapter == timeout {
        return Err(format!("the WebGPU adapter request did not answer within {} s", ADAPTER_TIMEOUT_MS / 1000));
    }
    if adapter.is_null() || adapter.is_undefined() {
        return Err("WebGPU is present but offers no adapter".into());
    }
    let info = get(&adapter, "info");
    let field = |key: &str| get(&info, key).as_string().filter(|s| !s.trim().is_empty());
    let name = field("description").or_else(|| {
        let parts: Vec<String> = ["vendor", "architecture"].iter().filter_map(|k| field(k)).collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    });
    let fallback = get(&adapter, "isFallbackAdapter").as_bool().unwrap_or(false)
        || get(&info, "isFallbackAdapter").as_bool().unwrap_or(false);
    let lowered = name.clone().unwrap_or_default().to_lowercase();
    let software = fallback || ["swiftshader", "llvmpipe", "lavapipe", "software"].iter().any(|s| lowered.contains(s));
    Ok(Adapter { name, software })
}

fn describe(error: &JsValue) -> String {
    error.as_string().or_else(|| get(error, "message").as_string()).unwrap_or_else(|| format!("{error:?}"))
}

/// Starts Burn's wgpu runtime and proves it with one tiny computation read back asynchronously.
#[cfg(feature = "gpu")]
async fn init_wgpu() -> Result<Device, String> {
    let device = Device::wgpu_options().init_async().await.map_err(|e| format!("starting WebGPU failed: {e}"))?;
    let check = Tensor::<1>::ones([4], &device).sum();
    let value: f32 = check.into_scalar_async().await.map_err(|e| format!("WebGPU could not compute: {e:?}"))?;
    if (value - 4.0).abs() > 1e-3 {
        return Err(format!("WebGPU computed 1+1+1+1 = {value}"));
    }
    Ok(device)
}

fn cpu(reason: String) -> Selection {
    Selection::Here(Device::flex(), BackendReport { kind: BackendKind::Cpu, adapter: None, software: false, reason })
}

/// Wraps `GPUAdapter.requestDevice` so that the device Burn's runtime gets is also watched: once
/// it is lost, the first use from Rust would throw inside wgpu, so the engine checks
/// [`device_lost`] before each chunk instead. The device is kept where the test hooks find it.
#[cfg(feature = "gpu")]
fn watch_device() {
    let wrap = Function::new_no_args(
        "const proto = self.GPUAdapter && GPUAdapter.prototype;
         if (proto && !proto.__distillLabWatched) {
           const request = proto.requestDevice;
           proto.requestDevice = async function (...args) {
             const device = await request.apply(this, args);
             self.__distillLabDevice = device;
             device.lost.then((info) => { self.__distillLabLost = info.message || info.reason || 'lost'; });
             return device;
           };
           proto.__distillLabWatched = true;
         }",
    );
    let _ = wrap.call0(&JsValue::UNDEFINED);
}

/// Why the WebGPU device was lost, once it has been.
pub fn device_lost() -> Option<String> {
    let why = get(&scope().into(), "__distillLabLost");
    (!why.is_undefined()).then(|| why.as_string().unwrap_or_else(|| "lost".into()))
}

/// Where a run goes.
pub enum Selection {
    Here(Device, BackendReport),
    /// The adapter will be used, and only the WebGPU engine can: the page should load it. (Only
    /// the CPU engine hands runs over.)
    #[cfg_attr(feature = "gpu", allow(dead_code))]
    GpuEngine(BackendReport),
}

/// What the engine knows when it chooses.
pub struct Situation {
    pub preference: BackendChoice,
    /// The WebGPU device was lost once: this worker stays on the CPU.
    pub gpu_lost: bool,
    /// The race hook: a software adapter counts as one worth timing.
    pub race_software: bool,
    /// The page could not load the WebGPU engine: the CPU engine keeps the run.
    #[cfg_attr(feature = "gpu", allow(dead_code))]
    pub gpu_engine_failed: bool,
}

/// The WebGPU runtime can be started once per worker, so a started device is reused.
pub async fn select(situation: Situation, started: &mut Option<(Device, BackendReport)>) -> Selection {
    if situation.preference == BackendChoice::Cpu {
        return cpu("the CPU was requested (backend=cpu)".into());
    }
    if situation.gpu_lost {
        return cpu(
            "the WebGPU device was lost earlier; training stays on the CPU (reload the page to try the GPU again)"
                .into(),
        );
    }
    if let Some((device, report)) = started {
        return Selection::Here(device.clone(), report.clone());
    }
    let selection = choose(&situation).await;
    if let Selection::Here(device, report) = &selection
        && report.kind == BackendKind::WebGpu
    {
        *started = Some((device.clone(), report.clone()));
    }
    selection
}

async fn choose(situation: &Situation) -> Selection {
    let preference = situation.preference;
    let adapter = match probe_adapter().await {
        Ok(adapter) => adapter,
        Err(why) => {
            let suffix = if preference == BackendChoice::WebGpu { "WebGPU was requested, but " } else { "" };
            return cpu(format!("{suffix}{why}; training runs on the CPU"));
        }
    };
    let name = adapter.name.clone().unwrap_or_else(|| "unnamed adapter".into());
    if adapter.software && preference != BackendChoice::WebGpu && !situation.race_software {
        // A software adapter emulates the GPU on the CPU, one dispatch at a time: for networks
        // this small the CPU backend is far faster.
        return cpu(format!(
            "the only WebGPU adapter is a software one ({name}); the CPU path is faster, so training \
             runs there (backend=webgpu uses the adapter anyway)"
        ));
    }
    gpu_device(adapter, name, situation).await
}

/// The CPU engine leaves the adapter to the WebGPU engine, unless that one could not load.
#[cfg(not(feature = "gpu"))]
async fn gpu_device(adapter: Adapter, name: String, situation: &Situation) -> Selection {
    if situation.gpu_engine_failed {
        return cpu(format!("WebGPU adapter: {name}, but the WebGPU engine could not load; training runs on the CPU"));
    }
    let reason = format!("WebGPU adapter: {name}; loading the WebGPU engine");
    Selection::GpuEngine(BackendReport {
        kind: BackendKind::Cpu,
        adapter: adapter.name,
        software: adapter.software,
        reason,
    })
}

#[cfg(feature = "gpu")]
async fn gpu_device(adapter: Adapter, name: String, _situation: &Situation) -> Selection {
    watch_device();
    match init_wgpu().await {
        Ok(device) => {
            let reason = if adapter.software {
                format!("WebGPU was requested; {name} is a software adapter and runs at CPU speed or below")
            } else {
                format!("WebGPU adapter: {name}")
            };
            let report =
                BackendReport { kind: BackendKind::WebGpu, adapter: adapter.name, software: adapter.software, reason };
            Selection::Here(device, report)
        }
        Err(why) => cpu(format!("{why}; training runs on the CPU")),
    }
}
