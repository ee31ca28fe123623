//! The lab's messages between the page and the training engine (a Web Worker). Plain serde data
//! only: no Burn type crosses this line. They travel inside `transport`'s envelope.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::RunError;
use crate::metrics::{DecisionMap, Metrics};
use crate::run_spec::RunSpec;
use crate::student_file::StudentScore;
use crate::trio::Trio;

/// Messages cross `postMessage` as bytes: building them field by field as JS objects cost about
/// 30 ms a message in the worker, longer than the training between two of them.
pub fn encode<T: Serialize>(message: &T) -> Result<Vec<u8>, String> {
    bincode::serialize(message).map_err(|e| format!("unencodable message: {e}"))
}

/// The inverse of [`encode`]; bytes from anywhere else are an error, never a panic.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    bincode::deserialize(bytes).map_err(|e| format!("unreadable message: {e}"))
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ToEngine {
    /// Build a fresh session for this run (the first one also picks the backend).
    Reset {
        spec: RunSpec,
    },
    Play,
    Pause,
    /// Pause, then train exactly one step and report it.
    Step,
    /// Time reference workload W1 on the engine's backend (see `distill_core::bench`).
    Benchmark,
    /// Classify one input with all three models (a drawn digit, prepared as MNIST's were).
    Classify {
        /// The page's number for this drawing, echoed in the answer: the page drops answers to
        /// drawings it has since cleared (on a slow device they arrive late).
        drawing: u32,
        #[serde(with = "serde_bytes")]
        pixels: Vec<u8>,
    },
    /// The text lab: continue a prompt with all three models.
    Write(WriteRequest),
    /// Send the distilled student's weights back, with its figures (`FromEngine::Student`).
    ExportStudent,
    /// Put these weights (a file the page exported) into the distilled student, which then goes
    /// on training or classifying from them.
    LoadStudent {
        #[serde(with = "serde_bytes")]
        weights: Vec<u8>,
    },
}

/// The distilled student as a file: Burn's record of its weights, and what it had reached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudentExport {
    #[serde(with = "serde_bytes")]
    pub weights: Vec<u8>,
    pub label: String,
    pub step: usize,
    pub score: StudentScore,
}

/// Reference workload W1's timing: `steps` timed steps after `warm_up_steps` untimed ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct W1Report {
    pub warm_up_steps: usize,
    pub warm_up_seconds: f64,
    pub steps: usize,
    pub seconds: f64,
    pub steps_per_second: f64,
    pub final_loss: f32,
    /// GPU compute dispatches per step, warm-up included (0 where nobody counts them).
    pub dispatches_per_step: f64,
    /// Where a step's wall time goes on WebGPU, warm-up included, in milliseconds: inside the
    /// browser's WebGPU calls (encoding and submitting work), while any of their promises is
    /// unsettled (the device finishing work, read-backs), and the rest, on the host (Burn, fusion
    /// and cubecl). 0 on the CPU.
    pub time_per_step: StepTime,
}

/// A W1 step's milliseconds, split by where they are spent (see [`W1Report::time_per_step`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct StepTime {
    pub wall_ms: f64,
    pub webgpu_calls_ms: f64,
    pub device_wait_ms: f64,
    /// Compute pipelines (compiled kernels) created per step: kernels compiled once are reused.
    pub pipelines_created: f64,
}

pub use crate::run_spec::AddedPoint;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Idle,
    Training,
    Paused,
    Done,
    Error,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Idle => "idle",
            Status::Training => "training",
            Status::Paused => "paused",
            Status::Done => "done",
            Status::Error => "error",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BackendKind {
    WebGpu,
    Cpu,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackendReport {
    pub kind: BackendKind,
    /// The WebGPU adapter's name, when there is one.
    pub adapter: Option<String>,
    /// A software adapter (such as SwiftShader) runs at CPU speed.
    pub software: bool,
    /// Why this backend: shown next to it in the page.
    pub reason: String,
}

impl BackendReport {
    /// What the page shows as the backend figure.
    pub fn label(&self) -> String {
        match (self.kind, &self.adapter) {
            (BackendKind::WebGpu, Some(adapter)) if self.software => format!("WebGPU ({adapter}, software)"),
            (BackendKind::WebGpu, Some(adapter)) => format!("WebGPU ({adapter})"),
            (BackendKind::WebGpu, None) => "WebGPU".into(),
            (BackendKind::Cpu, _) => "CPU".into(),
        }
    }
}

/// The points of the current dataset, for drawing over the decision maps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointsView {
    pub classes: usize,
    pub train: Vec<[f32; 2]>,
    pub train_labels: Vec<u8>,
    /// Which training points are the students' own labelled examples (the rest only taught the
    /// teacher).
    pub labelled: Vec<bool>,
    pub test: Vec<[f32; 2]>,
    pub test_labels: Vec<u8>,
    /// The inputs the distilled student asks the teacher about (query mode; else empty).
    pub queries: Vec<[f32; 2]>,
}

/// The test digits the page shows, with their true labels; `Metrics::watched` gives the three
/// models' predictions on them, in the same order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DigitsView {
    pub width: usize,
    pub height: usize,
    /// One image after another, row-major, 0 (paper) to 255 (ink).
    pub pixels: Vec<u8>,
    pub labels: Vec<u8>,
    /// The first few inputs the distilled student asks the teacher about (query mode; else
    /// empty), laid out as `pixels`.
    pub queries: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub metrics: Metrics,
    pub steps_per_second: f32,
    /// The engine's WebAssembly memory, in bytes: flat while training, or something leaks.
    pub engine_memory: u64,
    pub status: Status,
}

/// The text lab's figures at a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextFigures {
    /// Steps of each student.
    pub step: usize,
    /// Held-out loss in nats per character of each model (the teacher's measured at load), and
    /// the step at which the students' were measured.
    pub held_out: Trio<f32>,
    pub held_out_step: usize,
    /// The distilled student's soft term on its latest batch (none for answers of text alone).
    pub soft: Option<f32>,
    /// Characters bought from the API, and the numbers (log-probabilities) that came with them.
    pub api_chars: usize,
    pub numbers: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextProgress {
    pub figures: TextFigures,
    pub steps_per_second: f32,
    pub engine_memory: u64,
    pub status: Status,
}

/// What the page shows of a fresh text-lab run beside its figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextView {
    /// Characters of human text the baseline reads, in this many passages (whose openings are
    /// the distilled student's prompts).
    pub human_chars: usize,
    pub passages: usize,
    /// Characters the distilled student may buy.
    pub api_budget: usize,
    /// Each model's weights, in bytes as shipped or exported (half precision for the teacher).
    pub weights_bytes: Trio<u64>,
}

/// Ask all three models to continue a prompt (the page's panels).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WriteRequest {
    /// The page's number for this request, echoed in the answer; it also picks the samples
    /// ("sample again" asks with the next number).
    pub draw: u32,
    /// The prompt's character ids, as `text_lab::prompt` read them.
    #[serde(with = "serde_bytes")]
    pub prompt: Vec<u8>,
    pub chars: usize,
    pub temperature: f32,
}

/// The three models' continuations of a prompt, and their next-character probabilities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Written {
    pub draw: u32,
    /// The prompt they continued, as character ids.
    #[serde(with = "serde_bytes")]
    pub prompt: Vec<u8>,
    /// The students' step when they wrote.
    pub step: usize,
    /// The sampling temperature they wrote at.
    pub temperature: f32,
    pub texts: Trio<String>,
    /// Over the whole vocabulary, in id order.
    pub next: Trio<Vec<f32>>,
    /// Milliseconds per character written, on the engine's backend.
    pub ms_per_char: Trio<f64>,
}

/// Each model's decision map.
pub type Maps = Trio<DecisionMap>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FromEngine {
    Backend(BackendReport),
    /// A fresh session exists: its model sizes and data (2-D points or a gallery of digits).
    Ready {
        teacher_params: usize,
        student_params: usize,
        teacher_label: String,
        student_label: String,
        points: Option<PointsView>,
        digits: Option<DigitsView>,
        text: Option<TextView>,
    },
    Progress(Progress),
    TextProgress(TextProgress),
    Written(Written),
    /// A lab's files are downloading: bytes received of its files, and in all.
    Loading {
        received: u64,
        total: u64,
    },
    /// Measured forward-pass time per input of the teacher and of the student, on the engine's
    /// backend (see `Session::inference_ms_per_input`).
    Inference {
        teacher_ms: f64,
        student_ms: f64,
    },
    Maps(Maps),
    /// Teacher, student and baseline logits for the input of the `Classify` that sent `drawing`.
    Classified {
        drawing: u32,
        logits: Trio<Vec<f32>>,
    },
    Status(Status),
    /// Something the user should read; training may go on.
    Notice(String),
    /// Something went wrong, by kind; the page shows it until the next reset.
    Error(RunError),
    Benchmark(W1Report),
    Student(StudentExport),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::Params;

    #[test]
    fn messages_round_trip_and_garbage_is_an_error() {
        let (params, _) = Params::from_query("dataset=moons&hidden=32,16&lr=0.003");
        let command =
            ToEngine::Reset { spec: params.run_spec().with_added(vec![AddedPoint { x: 0.5, y: -0.25, class: 1 }]) };
        assert_eq!(decode::<ToEngine>(&encode(&command).unwrap()).unwrap(), command);
        let notice = FromEngine::Notice("ünïcode ✓".into());
        assert_eq!(decode::<FromEngine>(&encode(&notice).unwrap()).unwrap(), notice);
        for garbage in [&b""[..], b"\xff\xff\xff\xff", &[7u8; 64]] {
            assert!(decode::<FromEngine>(garbage).is_err());
        }
    }
}
