//! Reading a session's figures back from the device: test metrics, decision maps, single
//! classifications and inference timing, each in as few read-backs as possible.

use burn::module::Module;
use burn::prelude::*;
use burn::tensor::Transaction;
use burn::tensor::activation::softmax;

use super::Session;
use crate::config::{BiasShift, Transfer};
use crate::error::RunError;
use crate::loss::LossTerms;
use crate::metrics::{
    DecisionMap, Metrics, ModelFigures, agreement, fit_bias_shift, mean_cross_entropy, mean_kl, per_class_accuracy,
    predictions,
};
use crate::model::Mlp;
use crate::trio::{Role, Trio};

/// Test inputs per timed forward pass in [`Session::inference_ms_per_input`].
const INFERENCE_BATCH: usize = 256;
/// A timed sample of forward passes lasts at least this long...
const MIN_SAMPLE_MS: f64 = 2.0;
/// ...unless it would take more passes than this.
const MAX_PASSES_PER_SAMPLE: usize = 1024;

/// Milliseconds that `passes` forward passes of `model` over `batch` take, each read back.
async fn timed(model: &Mlp, batch: &Tensor<2>, passes: usize, now_ms: &impl Fn() -> f64) -> Result<f64, RunError> {
    let started = now_ms();
    for _ in 0..passes {
        let logits = model.forward(batch.clone());
        logits.into_data_async().await.map_err(|e| RunError::executing("timing inference", e))?;
    }
    Ok(now_ms() - started)
}

/// Milliseconds per forward pass of `model` over `batch`, from a sample that lasted at least
/// MIN_SAMPLE_MS. A shorter sample is taken again with twice the passes, kept for the next
/// samples: one slow sample (a busy machine) must not leave later ones shorter than the clock's
/// step, where they would read 0 ms.
async fn ms_per_pass(
    model: &Mlp,
    batch: &Tensor<2>,
    passes: &mut usize,
    now_ms: &impl Fn() -> f64,
) -> Result<f64, RunError> {
    loop {
        let ms = timed(model, batch, *passes, now_ms).await?;
        if ms >= MIN_SAMPLE_MS || *passes >= MAX_PASSES_PER_SAMPLE {
            return Ok(ms / *passes as f64);
        }
        *passes *= 2;
    }
}

fn read_f32(data: TensorData) -> Result<Vec<f32>, RunError> {
    data.convert::<f32>().try_to_vec::<f32>().map_err(|e| RunError::Device(format!("unreadable tensor: {e:?}")))
}

/// Registers tensors for one read-back and hands each one's values back in the same order.
struct ReadBack {
    transaction: Transaction,
    registered: usize,
}

impl ReadBack {
    fn new() -> Self {
        Self { transaction: Transaction::default(), registered: 0 }
    }

    fn register<const D: usize>(&mut self, tensor: Tensor<D>) -> usize {
        self.transaction = std::mem::take(&mut self.transaction).register(tensor);
        self.registered += 1;
        self.registered - 1
    }

    async fn execute(self, what: &str) -> Result<Vec<Vec<f32>>, RunError> {
        let data = self.transaction.execute_async().await.map_err(|e| RunError::executing(what, e))?;
        if data.len() != self.registered {
            return Err(RunError::Device(format!(
                "{what} failed: {} of {} values came back",
                data.len(),
                self.registered
            )));
        }
        data.into_iter().map(read_f32).collect()
    }
}

impl Session {
    /// Reads the latest losses and the three models' test figures in one read-back.
    pub async fn evaluate(&self) -> Result<Metrics, RunError> {
        let logits = |model: &Mlp, inputs: &Tensor<2>| model.valid().forward(inputs.clone());
        let mut read = ReadBack::new();
        let models = self.learners.as_ref().map(|learner| &learner.model);
        let teacher_logits =
            self.teacher_test_logits.clone().unwrap_or_else(|| logits(models.teacher, &self.test_inputs));
        let test_logits = Trio::new(
            read.register(teacher_logits),
            read.register(logits(models.student, &self.test_inputs)),
            read.register(logits(models.baseline, &self.test_inputs)),
        );
        let calibration = self.calibration.as_ref().map(|(inputs, _)| read.register(logits(models.student, inputs)));
        let mut register_loss =
            |loss: &Option<Tensor<1>>| loss.as_ref().map(|loss| read.register(loss.clone().without_autodiff()));
        let losses = Trio::from_fn(|role| register_loss(&self.learners[role].last_loss));
        let terms = self.last_terms.as_ref();
        let (soft, hard) =
            (register_loss(&terms.map(LossTerms::soft)), register_loss(&terms.and_then(LossTerms::hard)));
        let values = read.execute("reading metrics").await?;
        let scalar = |slot: Option<usize>| slot.and_then(|slot| values[slot].first().copied());

        let classes = self.classes;
        let shift = match (self.config.omit, self.config.bias_shift, &self.calibration, calibration) {
            (Some(class), BiasShift::Manual(by), ..) => Some((class, by)),
            (Some(class), BiasShift::Auto, Some((_, labels)), Some(slot)) => {
                Some((class, fit_bias_shift(&values[slot], labels, classes, class)))
            }
            _ => None,
        };
        let labels = &self.test_labels;
        let test_logits = test_logits.map(|slot| &values[slot]);
        let predicted = Trio::from_fn(|role| {
            predictions(test_logits[role], classes, if role == Role::Student { shift } else { None })
        });
        let student_unshifted = predictions(test_logits.student, classes, None);
        let models = Trio::from_fn(|role| ModelFigures {
            accuracy: agreement(&predicted[role], labels),
            per_class: per_class_accuracy(&predicted[role], labels, classes),
            test_ce: mean_cross_entropy(test_logits[role], labels, classes),
            agreement: agreement(&predicted[role], &predicted.teacher),
            kl: mean_kl(test_logits.teacher, test_logits[role], classes),
            loss: scalar(losses[role]),
        });
        Ok(Metrics {
            phase: self.phase(),
            teacher_step: self.teacher_step_count(),
            step: self.step_count(),
            models,
            loss_soft: scalar(soft),
            loss_hard: scalar(hard),
            bias_shift: shift.map_or(0.0, |(_, by)| by),
            acc_student_unshifted: agreement(&student_unshifted, labels),
            per_class_student_unshifted: per_class_accuracy(&student_unshifted, labels, classes),
            watched: self.watched.iter().map(|&row| predicted.as_ref().map(|p| p[row] as u8)).collect(),
            watched_logits: self
                .watched
                .iter()
                .map(|&row| test_logits.map(|logits| logits[row * classes..(row + 1) * classes].to_vec()))
                .collect(),
            queries_answered: match (&self.transfer, self.config.transfer) {
                (Some(transfer), Transfer::Queries) => transfer.inputs.dims()[0],
                _ => 0,
            },
            answers_used: self.answers_used(),
            numbers_received: self.numbers_received(),
            labelled_examples: self.labelled_examples(),
        })
    }

    /// Waits until the device has finished the steps taken so far, by reading back one number:
    /// the latest loss. What timing a few steps needs, without the cost of a whole evaluation.
    pub async fn sync(&self) -> Result<(), RunError> {
        let latest = [&self.learners.student, &self.learners.teacher].into_iter().find_map(|l| l.last_loss.clone());
        if let Some(loss) = latest {
            loss.without_autodiff().into_data_async().await.map_err(|e| RunError::executing("reading a loss", e))?;
        }
        Ok(())
    }

    /// Teacher, student and baseline predictions over a `resolution²` grid of the 2-D plane, in
    /// one batched forward pass per model and one read-back.
    pub async fn decision_maps(&self, resolution: usize) -> Result<Trio<DecisionMap>, RunError> {
        let cells = resolution * resolution;
        let grid =
            Tensor::<2>::from_data(TensorData::new(DecisionMap::grid(resolution), [cells, 2]), &self.plain_device);
        let mut read = ReadBack::new();
        let slots =
            Trio::from_fn(|role| read.register(softmax(self.learners[role].model.valid().forward(grid.clone()), 1)));
        let values = read.execute("reading decision maps").await?;
        Ok(slots.map(|slot| DecisionMap::from_probabilities(&values[slot], resolution, self.classes)))
    }

    /// Milliseconds per input of a forward pass of the teacher and of the student, on this
    /// session's device: the median of `repeats` timed samples over a batch of test inputs, each
    /// pass waited for by a read-back. A sample repeats the pass until it lasts a few
    /// milliseconds, because a browser worker's clock ticks in steps of up to 0.1 ms. The two
    /// models take turns, so that a machine growing busier or quieter weighs on both alike.
    /// `now_ms` is the caller's clock.
    pub async fn inference_ms_per_input(&self, now_ms: impl Fn() -> f64, repeats: usize) -> Result<[f64; 2], RunError> {
        let rows = self.test_inputs.dims()[0].min(INFERENCE_BATCH);
        let batch = self.test_inputs.clone().slice(0..rows);
        let models = [self.learners.teacher.model.valid(), self.learners.student.model.valid()];
        // One sample each to warm up and find how many passes a sample needs, then the timed ones.
        let mut passes = [1usize; 2];
        for (model, passes) in models.iter().zip(&mut passes) {
            ms_per_pass(model, &batch, passes, &now_ms).await?;
        }
        let mut times = [Vec::new(), Vec::new()];
        for _ in 0..repeats.max(1) {
            for ((model, times), passes) in models.iter().zip(&mut times).zip(&mut passes) {
                times.push(ms_per_pass(model, &batch, passes, &now_ms).await? / rows as f64);
            }
        }
        Ok(times.map(|mut times| {
            times.sort_by(f64::total_cmp);
            times[times.len() / 2]
        }))
    }

    /// Teacher, student and baseline logits for one input (a drawn digit, say): `3 × classes`
    /// values, in that order, from one read-back.
    pub async fn classify(&self, input: &[f32]) -> Result<Trio<Vec<f32>>, RunError> {
        if input.len() != self.inputs || input.iter().any(|v| !v.is_finite()) {
            return Err(RunError::BadInput(format!(
                "an input needs {} finite values, not {}",
                self.inputs,
                input.len()
            )));
        }
        let input = Tensor::<2>::from_data(TensorData::new(input.to_vec(), [1, self.inputs]), &self.plain_device);
        let mut read = ReadBack::new();
        for role in Role::ALL {
            read.register(self.learners[role].model.valid().forward(input.clone()));
        }
        let [teacher, student, baseline]: [Vec<f32>; 3] = read
            .execute("classifying")
            .await?
            .try_into()
            .map_err(|_| RunError::Device("classifying failed: not three answers".into()))?;
        Ok(Trio::new(teacher, student, baseline))
    }

    /// The teacher's logits on the cached transfer set (for tests and tools).
    pub async fn cached_teacher_logits(&self) -> Option<Vec<f32>> {
        let transfer = self.transfer.as_ref()?;
        read_f32(transfer.teacher_logits.clone().into_data_async().await.ok()?).ok()
    }

    /// The teacher's logits recomputed now on the cached transfer inputs.
    pub async fn recomputed_teacher_logits(&self) -> Option<Vec<f32>> {
        let transfer = self.transfer.as_ref()?;
        let data = self.learners.teacher.model.valid().forward(transfer.inputs.clone().without_autodiff());
        read_f32(data.into_data_async().await.ok()?).ok()
    }
}
