//! Plain settings: what a session is made of. No Burn types, so the page can use them too.

use serde::{Deserialize, Serialize};

use crate::answers::Answers;

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

/// A label such as `2-64-64-2` in plain words, for a tooltip beside it.
pub fn layers_in_words(label: &str) -> String {
    let widths: Vec<&str> = label.split('-').collect();
    match widths.as_slice() {
        [inputs, hidden @ .., classes] if !hidden.is_empty() => {
            let layers = if hidden.len() == 1 { "a hidden layer of" } else { "hidden layers of" };
            format!(
                "a network's layer sizes: {inputs} inputs, {layers} {} units, {classes} outputs (one per class)",
                hidden.join(" and ")
            )
        }
        _ => format!("a network's layer sizes: {label}"),
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
    /// `queries` unlabelled inputs, answered only by the teacher: the student never sees a label.
    Queries,
}

/// What the student asks the teacher about in query mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QueriesFrom {
    /// Unlabelled inputs like the data: fresh points from the same 2-D generator, or digits.
    Data,
    /// Uniformly random inputs: anywhere in the plane [-1, 1]², or random pixels.
    Uniform,
}

/// A raise of the student's output bias for a class the transfer set left out, applied when the
/// student is tested (Hinton, Vinyals & Dean, 2015, §3: the student never saw that class, so
/// its logit for it is too low, though the soft targets taught it what the class looks like).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BiasShift {
    Off,
    /// This many logits.
    Manual(f32),
    /// Fitted at each evaluation on a small labelled calibration slice of the training data that
    /// holds every class (held out of the transfer set): the shift in 0..=10, in steps of 0.1,
    /// that classifies the slice best; of equally good shifts, the middle one.
    Auto,
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
    pub queries_from: QueriesFrom,
    /// The students' own labelled examples: this many training points, chosen at random from the
    /// seed (`None`: all of them). With `Transfer::Train` both students learn on them; with
    /// `Transfer::Queries` only the baseline does, while the student asks the teacher instead.
    pub transfer_size: Option<usize>,
    /// A class left out of the transfer set: the student never sees an example of it.
    pub omit: Option<usize>,
    pub bias_shift: BiasShift,
    /// What the teacher reveals per query (settings saved before it existed meant `Full`).
    #[serde(default)]
    pub answers: Answers,
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
            queries_from: QueriesFrom::Data,
            transfer_size: None,
            omit: None,
            bias_shift: BiasShift::Off,
            answers: Answers::Full,
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

#[cfg(test)]
mod layer_words {
    use super::*;

    #[test]
    fn a_label_reads_as_words() {
        assert_eq!(
            layers_in_words(&MlpSpec::new(2, vec![16], 2).label()),
            "a network's layer sizes: 2 inputs, a hidden layer of 16 units, 2 outputs (one per class)"
        );
        assert_eq!(
            layers_in_words("784-512-512-10"),
            "a network's layer sizes: 784 inputs, hidden layers of 512 and 512 units, 10 outputs (one per class)"
        );
        assert_eq!(layers_in_words("odd"), "a network's layer sizes: odd");
    }
}
