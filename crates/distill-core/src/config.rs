//! Plain settings: what a session is made of. No Burn types, so the page can use them too.

use serde::{Deserialize, Serialize};

/// The shape of an MLP: inputs, hidden widths (ReLU after each), output classes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MlpSpec {
    pub inputs: usize,
    pub hidden: Vec<usize>,
    pub classes: usize,
}

impl MlpSpec {
    pub fn new(inputs: usize, hidden: Vec<usize>, classes: usize) -> Self {
        Self { inputs, hidden, classes }
    }

    /// Layer widths from input to output, e.g. `[2, 64, 64, 2]`.
    pub fn widths(&self) -> Vec<usize> {
        std::iter::once(self.inputs).chain(self.hidden.iter().copied()).chain(std::iter::once(self.classes)).collect()
    }

    /// Weights and biases, counted without building the model.
    pub fn num_params(&self) -> usize {
        self.widths().windows(2).map(|w| w[0] * w[1] + w[1]).sum()
    }

    /// Written as the product's docs write it: `2-64-64-2`.
    pub fn label(&self) -> String {
        self.widths().iter().map(usize::to_string).collect::<Vec<_>>().join("-")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OptimizerKind {
    Adam,
    /// SGD with momentum 0.9.
    Sgd,
}

/// Where the student's training inputs come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Transfer {
    /// The teacher's own training points.
    Train,
    /// `queries` random points anywhere in the plane [-1, 1]², labelled only by the teacher.
    Queries,
}

/// Everything that shapes a session's training (the data comes separately).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionConfig {
    pub seed: u64,
    pub teacher_hidden: Vec<usize>,
    pub student_hidden: Vec<usize>,
    pub temperature: f32,
    pub alpha: f32,
    pub learning_rate: f64,
    pub teacher_learning_rate: f64,
    pub batch_size: usize,
    pub optimizer: OptimizerKind,
    pub teacher_steps: usize,
    pub transfer: Transfer,
    pub queries: usize,
}

impl Default for SessionConfig {
    fn default() -> Self {
        Self {
            seed: 1,
            teacher_hidden: vec![64, 64],
            student_hidden: vec![6],
            temperature: 4.0,
            alpha: 0.9,
            learning_rate: 0.01,
            teacher_learning_rate: 0.01,
            batch_size: 32,
            optimizer: OptimizerKind::Adam,
            teacher_steps: 400,
            transfer: Transfer::Train,
            queries: 1000,
        }
    }
}

impl SessionConfig {
    pub fn teacher_spec(&self, inputs: usize, classes: usize) -> MlpSpec {
        MlpSpec::new(inputs, self.teacher_hidden.clone(), classes)
    }

    pub fn student_spec(&self, inputs: usize, classes: usize) -> MlpSpec {
        MlpSpec::new(inputs, self.student_hidden.clone(), classes)
    }
}
