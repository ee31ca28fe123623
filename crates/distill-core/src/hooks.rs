//! Test and benchmark hooks, all here: what `debug=` and `bench=` in a link turn on. Nothing else
//! in the product reads them.

use serde::{Deserialize, Serialize};

/// `bench`: instrumentation the page runs on request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BenchHook {
    Off,
    /// Time reference workload W1 on the page's backend, counting GPU dispatches.
    W1,
}

/// `debug`: test hooks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DebugHook {
    Off,
    /// The page panics on purpose, to show its error panel.
    Panic,
    /// The engine destroys its WebGPU device after a few steps.
    LoseGpu,
    /// `backend=auto` races WebGPU against the CPU even on a software adapter, as it does on a
    /// hardware one.
    Race,
    /// The engine gets the first drawing with a pixel missing, as a malformed message would
    /// arrive: an error that is not the device's, so the run stays where it is.
    BadDrawing,
    /// The self-check before a WebGPU run gets WebGPU's figures changed, as a kernel that
    /// failed validation (skipped, leaving stale memory) would give them.
    GpuWrong,
}

/// The hooks that act inside the engine, sent with each run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hooks {
    /// Destroy the WebGPU device after a few steps, as a lost GPU would be.
    pub lose_gpu: bool,
    /// Race the backends even on a software adapter.
    pub race: bool,
    /// Cut a pixel off the first drawing classified.
    pub bad_drawing: bool,
    /// WebGPU's figures in the self-check are wrong.
    #[serde(default)]
    pub gpu_wrong: bool,
}
