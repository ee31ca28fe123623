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
    /// The text lab: a shipped language model behind its API, and two small students.
    Text,
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
    /// Points the user placed on the plane; they join the training points.
    pub added: Vec<AddedPoint>,
}

/// A point the user placed on the 2-D plane (coordinates in [-1, 1]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AddedPoint {
    pub x: f32,
    pub y: f32,
    pub class: u8,
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
        let classes = split.train.classes;
        for point in self.added.iter().filter(|p| (p.class as usize) < classes && p.x.is_finite() && p.y.is_finite()) {
            split.train.push(&[point.x.clamp(-1.0, 1.0), point.y.clamp(-1.0, 1.0)], point.class as usize);
        }
        split
    }
}

/// The text lab's data: how much human text the baseline reads, and how many characters the
/// distilled student may buy from the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextSpec {
    pub text_size: usize,
    pub api_chars: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ScenarioSpec {
    Shapes(ShapesSpec),
    Digits,
    Text(TextSpec),
}

impl ScenarioSpec {
    pub fn scenario(&self) -> Scenario {
        match self {
            ScenarioSpec::Shapes(_) => Scenario::Shapes,
            ScenarioSpec::Digits => Scenario::Digits,
            ScenarioSpec::Text(_) => Scenario::Text,
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

impl RunSpec {
    /// This run with the user's points joining the 2-D lab's training points (the other labs
    /// have no plane to place them on).
    pub fn with_added(mut self, points: Vec<AddedPoint>) -> Self {
        if let ScenarioSpec::Shapes(shapes) = &mut self.scenario {
            shapes.added = points;
        }
        self
    }

    /// The points the user placed, if any.
    pub fn added(&self) -> &[AddedPoint] {
        match &self.scenario {
            ScenarioSpec::Shapes(shapes) => &shapes.added,
            ScenarioSpec::Digits | ScenarioSpec::Text(_) => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::Params;

    #[test]
    fn added_points_are_part_of_the_spec_and_join_the_training_points() {
        let plain = Params::from_query("").0.run_spec();
        let point = |class| AddedPoint { x: 0.25, y: 2.0, class };
        // A class the lab does not have, and a point off the plane, are dropped or clamped.
        let with_points = plain.clone().with_added(vec![point(1), point(200), AddedPoint { x: f32::NAN, ..point(0) }]);
        assert_ne!(with_points, plain, "equal specs give equal runs, so the points are part of it");
        let ScenarioSpec::Shapes(shapes) = &with_points.scenario else { panic!("the default lab is 2-D") };
        let (before, after) = (plain_split(&plain), shapes.split(&with_points.session));
        assert_eq!(after.train.len(), before.train.len() + 1);
        assert_eq!(after.train.row(before.train.len()), [0.25, 1.0]);
        assert_eq!(after.test, before.test);
        // The digits lab has no plane: its spec is unchanged.
        let digits = Params::from_query("scenario=digits").0.run_spec();
        assert_eq!(digits.clone().with_added(vec![point(1)]), digits);
    }

    fn plain_split(spec: &RunSpec) -> Split {
        let ScenarioSpec::Shapes(shapes) = &spec.scenario else { panic!("the default lab is 2-D") };
        shapes.split(&spec.session)
    }
}
