//! The envelope of every message between the page and an engine (a Web Worker): the lab's own
//! messages (`protocol`), and beside them what only the engines' host reads: an engine listens,
//! needs the WebGPU engine, or hands its run to another engine.

use serde::{Deserialize, Serialize};

use crate::protocol::{FromEngine, ToEngine};
use crate::run_spec::RunSpec;

/// A run on its way from the WebGPU engine, which lost its GPU, to a CPU engine: the engine sends
/// it as `FromWorker::MoveToCpuEngine` and the page forwards it as `ToWorker::Resume`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Handover {
    /// The run the checkpoint belongs to: a reset the page sent since wins over it.
    pub spec: RunSpec,
    /// A `Checkpoint` as bytes (see `Checkpoint::to_bytes`).
    #[serde(with = "serde_bytes")]
    pub checkpoint: Vec<u8>,
    /// It was training, rather than paused, when the GPU was lost.
    pub play: bool,
    /// What happened to the GPU, for the page's notice.
    pub why: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ToWorker {
    Lab(ToEngine),
    /// The WebGPU engine could not load: the CPU engine keeps the runs it would have handed over.
    StayOnCpu,
    /// Continue a run that the WebGPU engine lost its GPU in, from its checkpoint, on the CPU.
    Resume(Handover),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FromWorker {
    Lab(FromEngine),
    /// The engine listens: commands sent before this would have been lost.
    Listening,
    /// The CPU engine found a WebGPU adapter that the run will use: the page should load the
    /// WebGPU engine and move the run there.
    WebGpuEngineNeeded,
    /// The WebGPU engine lost its GPU: the page should move the run, from this checkpoint, to a
    /// CPU engine (as `ToWorker::Resume`), which frees the WebGPU engine's memory.
    MoveToCpuEngine(Handover),
}
