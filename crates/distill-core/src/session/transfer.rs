//! What each student learns from: the labelled examples the students own, the distilled
//! student's queries, and the frozen teacher's answers to them.

use burn::prelude::*;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};

use super::revealed::{Revealed, Softened};
use super::stream;
use crate::config::{BiasShift, QueriesFrom, SessionConfig, Transfer};
use crate::data::{Points, Split};

/// Labelled training points per class held out of the transfer set to fit an automatic bias shift.
pub const CALIBRATION_PER_CLASS: usize = 20;

/// Inputs the student learns from, with the frozen teacher's logits computed once and what its
/// API reveals of them: the student reads only `revealed`, softened at the run's temperature.
pub struct TransferSet {
    pub inputs: Tensor<2>,
    pub teacher_logits: Tensor<2>,
    pub revealed: Revealed,
    /// Present only when the transfer set is the labelled training set.
    pub one_hot: Option<Tensor<2>>,
    /// `revealed` at the temperature last asked for.
    softened: Option<Softened>,
}

impl TransferSet {
    pub fn new(inputs: Tensor<2>, teacher_logits: Tensor<2>, revealed: Revealed, one_hot: Option<Tensor<2>>) -> Self {
        TransferSet { inputs, teacher_logits, revealed, one_hot, softened: None }
    }

    /// The answers at `temperature`, softened again only when it has changed since the last call.
    pub fn softened(&mut self, temperature: f32) -> Softened {
        if self.softened.as_ref().is_some_and(|s| s.temperature() != temperature) {
            self.softened = None;
        }
        self.softened.get_or_insert_with(|| self.revealed.softened(temperature)).clone()
    }
}

pub fn one_hot(labels: &[usize], classes: usize, device: &Device) -> Tensor<2> {
    let mut values = vec![0.0f32; labels.len() * classes];
    for (row, &label) in labels.iter().enumerate() {
        values[row * classes + label] = 1.0;
    }
    Tensor::from_data(TensorData::new(values, [labels.len(), classes]), device)
}

pub fn inputs(points: &Points, device: &Device) -> Tensor<2> {
    Tensor::from_data(TensorData::new(points.features.clone(), [points.len(), points.dims]), device)
}

pub fn indices(rows: &[usize], device: &Device) -> Tensor<1, Int> {
    let rows: Vec<i64> = rows.iter().map(|&r| r as i64).collect();
    Tensor::from_data(TensorData::new(rows.clone(), [rows.len()]), device)
}

/// The unlabelled inputs a student in query mode asks about, at most `queries` of them: the
/// split's own (fresh points from the generator), else training inputs with their labels unread.
/// A left-out class stays out of the pool too: the experiment curates what may be asked.
pub fn query_pool(config: &SessionConfig, split: &Split, device: &Device) -> Tensor<2> {
    inputs(&query_pool_points(config, split, usize::MAX), device)
}

/// The pool's first `at_most` queries (of at most `queries`), in the order they are asked.
fn query_pool_points(config: &SessionConfig, split: &Split, at_most: usize) -> Points {
    let source = split.unlabelled.as_ref().unwrap_or(&split.train);
    let mut rows: Vec<usize> = (0..source.len()).filter(|&row| Some(source.labels[row]) != config.omit).collect();
    if rows.is_empty() {
        rows = (0..source.len()).collect();
    }
    rows.shuffle(&mut StdRng::seed_from_u64(config.seed ^ stream::QUERIES));
    rows.truncate(config.queries.max(1).min(at_most));
    source.subset(&rows)
}

/// `queries` uniformly random inputs of `dims` values: anywhere in the visible plane, or random
/// pixels for images.
pub fn uniform_queries(config: &SessionConfig, dims: usize, device: &Device) -> Tensor<2> {
    let count = config.queries.max(1);
    Tensor::from_data(TensorData::new(uniform_query_values(config, dims, usize::MAX), [count, dims]), device)
}

/// The first `at_most` uniform queries: the same generator's first values, so the same rows.
fn uniform_query_values(config: &SessionConfig, dims: usize, at_most: usize) -> Vec<f32> {
    let mut rng = StdRng::seed_from_u64(config.seed ^ stream::QUERIES);
    let count = config.queries.max(1).min(at_most);
    let range = if dims == 2 { -1.0..1.0 } else { 0.0..1.0 };
    (0..count * dims).map(|_| rng.random_range(range.clone())).collect()
}

/// The first `at_most` inputs the distilled student asks the teacher about, as the session asks
/// them, on the CPU and in order (each row `dims` values); empty unless it learns from queries.
/// What the page draws of them: all of them over the 2-D student's map, a few digits in a strip.
pub fn queries_asked(config: &SessionConfig, split: &Split, at_most: usize) -> Vec<f32> {
    match (config.transfer, config.queries_from) {
        (Transfer::Train, _) => Vec::new(),
        (Transfer::Queries, QueriesFrom::Data) => query_pool_points(config, split, at_most).features,
        (Transfer::Queries, QueriesFrom::Uniform) => uniform_query_values(config, split.train.dims, at_most),
    }
}

/// Which training rows the students own as labelled examples, and which are held out for
/// calibration: the left-out class goes, then a random subset of the requested size stays.
pub fn labelled_rows(config: &SessionConfig, labels: &[usize], classes: usize) -> (Vec<usize>, Vec<usize>) {
    let mut order: Vec<usize> = (0..labels.len()).collect();
    order.shuffle(&mut StdRng::seed_from_u64(config.seed ^ stream::TRANSFER));
    let mut calibration = Vec::new();
    if config.omit.is_some() && config.bias_shift == BiasShift::Auto {
        for class in 0..classes {
            calibration.extend(order.iter().copied().filter(|&row| labels[row] == class).take(CALIBRATION_PER_CLASS));
        }
    }
    let mut rows: Vec<usize> = order
        .into_iter()
        .filter(|&row| Some(labels[row]) != config.omit && !calibration.contains(&row))
        .take(config.transfer_size.unwrap_or(usize::MAX).max(1))
        .collect();
    if rows.is_empty() {
        rows = (0..labels.len()).collect();
    }
    rows.sort_unstable();
    calibration.sort_unstable();
    (rows, calibration)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::Answers;

    fn values(softened: Softened, device: &Device) -> Vec<f32> {
        // The log-probabilities come back through the loss's soft term with α = 1.
        let student = Tensor::<2>::zeros([2, 3], device);
        softened.loss(student, None, 1.0).total.into_data().try_to_vec::<f32>().unwrap()
    }

    /// The answers are softened at the temperature asked for, again when it changes.
    #[test]
    fn the_answers_follow_the_temperature() {
        let device = Device::flex();
        let logits = Tensor::<2>::from_data(TensorData::new(vec![2.0f32, 0.0, -1.0, 0.5, 0.5, 3.0], [2, 3]), &device);
        let revealed = || Revealed::from_logits(Answers::Full, logits.clone());
        let inputs = Tensor::<2>::zeros([2, 1], &device);
        let mut transfer = TransferSet::new(inputs, logits.clone(), revealed(), None);
        for temperature in [2.0, 2.0, 5.0, 1.0, 2.0] {
            let softened = transfer.softened(temperature);
            assert_eq!(softened.temperature(), temperature);
            assert_eq!(values(softened, &device), values(revealed().softened(temperature), &device));
        }
        assert_ne!(values(transfer.softened(1.0), &device), values(transfer.softened(5.0), &device));
    }
}
