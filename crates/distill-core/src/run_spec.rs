//! A run, typed: what the page sends the engine, the shell trains and the tests build. Only the
//! parameter table (`params`) reads strings; everything past it holds these values.

use serde::{Deserialize, Serialize};

use crate::config::{QueriesFrom, SessionConfig, Transfer};
use crate::data::{ShapeKind, Split, generate};
use crate::hooks::Hooks;

/// Keeps the unlabelled query points' stream apart from the labelled points'.
const UNLABELLED_STREAM: u64 = 0x0E21_7AB1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scenario {
    /// The 2-D lab: a generated dataset, a teacher trained in the run.
    Shapes,
    /// The digits lab: shipped MNIST digits and a shipped teacher.
    Digits,
}

/// Where training runs; `Auto` picks (see the engine's backend choice).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BackendChoice {
    Auto,
    WebGpu,
    Cpu,
}

/// The 2-D lab's data: drawn from the seed, so the same settings give the same points anywhere.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShapesSpec {
    pub dataset: ShapeKind,
    pub classes: usize,
    pub points: usize,
    pub noise: f32,
    pub train_ratio: f32,
}

impl ShapesSpec {
    /// The dataset split into training points (the teacher's, and the students' labelled
    /// examples) and test points; in query mode with queries like the data, also the unlabelled
    /// points the student may ask about.
    pub fn split(&self, config: &SessionConfig) -> Split {
        let draw = |count: usize, seed: u64| generate(self.dataset, count, self.classes, self.noise, seed);
        let mut split = Split::stratified(&draw(self.points, config.seed), self.train_ratio, config.seed);
        if config.transfer == Transfer::Queries && config.queries_from == QueriesFrom::Data {
            // Fresh points from the same shapes, their labels never read: what an API user could ask about.
            split.unlabelled = Some(draw(config.queries.max(1), config.seed ^ UNLABELLED_STREAM));
        }
        split
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ScenarioSpec {
    Shapes(ShapesSpec),
    Digits,
}

impl ScenarioSpec {
    pub fn scenario(&self) -> Scenario {
        match self {
            ScenarioSpec::Shapes(_) => Scenario::Shapes,
            ScenarioSpec::Digits => Scenario::Digits,
        }
    }
}

/// Everything a training run depends on; equal specs give equal runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunSpec {
    pub scenario: ScenarioSpec,
    pub session: SessionConfig,
    pub backend: BackendChoice,
    /// Student (and baseline) steps before the run is done.
    pub max_steps: usize,
    pub hooks: Hooks,
    /// A run in the background (one of a comparison's) rests after each chunk as long as the chunk
    /// took, so that the live run keeps a core of its own on a small machine. Only its speed
    /// differs.
    pub background: bool,
}
