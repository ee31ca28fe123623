//! A distillation session: the teacher learns, is frozen, then a distilled student and a
//! hard-label baseline learn from the same initial weights on the same batches.

use burn::module::Module;
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer, SgdConfig, momentum::MomentumConfig};
use burn::prelude::*;
use burn::tensor::Transaction;
use burn::tensor::activation::softmax;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};

use crate::config::{OptimizerKind, SessionConfig, Transfer};
use crate::data::{Points, Split};
use crate::loss::distillation_loss;
use crate::metrics::{DecisionMap, Metrics, Phase};
use crate::model::Mlp;

fn optimizer(config: &SessionConfig) -> ModuleOptimizer {
    match config.optimizer {
        OptimizerKind::Adam => AdamConfig::new().init(),
        OptimizerKind::Sgd => SgdConfig::new().with_momentum(Some(MomentumConfig::new().with_dampening(0.0))).init(),
    }
}

/// One optimizer step on `model` along the gradients of `loss`, which only this model's
/// parameters receive.
fn descend(model: &mut Mlp, optimizer: &mut ModuleOptimizer, loss: Tensor<1>, learning_rate: f64) {
    let grads = GradientsParams::from_grads(loss.backward(), model);
    // The optimizer consumes the module it updates.
    let current = std::mem::replace(model, Mlp::empty());
    *model = optimizer.step(learning_rate, current, grads);
}

/// Separate random streams derived from the one user-facing seed.
mod stream {
    pub const TEACHER_INIT: u64 = 0x7EAC_0001;
    pub const STUDENT_INIT: u64 = 0x57D7_0002;
    pub const TEACHER_ORDER: u64 = 0x7EAC_0003;
    pub const STUDENT_ORDER: u64 = 0x57D7_0004;
    pub const BASELINE_ORDER: u64 = 0xBA5E_0005;
    pub const QUERIES: u64 = 0x0E21_0006;
}

/// Epoch-wise shuffled mini-batches of row indices.
struct BatchOrder {
    rng: StdRng,
    order: Vec<usize>,
    cursor: usize,
    batch_size: usize,
}

impl BatchOrder {
    fn new(len: usize, batch_size: usize, seed: u64) -> Self {
        let mut order = Self {
            rng: StdRng::seed_from_u64(seed),
            order: (0..len).collect(),
            cursor: len,
            batch_size: batch_size.clamp(1, len.max(1)),
        };
        order.reshuffle_if_done();
        order
    }

    fn reshuffle_if_done(&mut self) {
        if self.cursor + self.batch_size > self.order.len() {
            self.order.shuffle(&mut self.rng);
            self.cursor = 0;
        }
    }

    fn next_batch(&mut self) -> Vec<usize> {
        self.reshuffle_if_done();
        let batch = self.order[self.cursor..self.cursor + self.batch_size].to_vec();
        self.cursor += self.batch_size;
        batch
    }
}

/// Inputs the student learns from, with the frozen teacher's logits computed once.
struct TransferSet {
    inputs: Tensor<2>,
    teacher_logits: Tensor<2>,
    /// Present only when the transfer set is the labelled training set.
    one_hot: Option<Tensor<2>>,
}

/// The latest step's losses, kept on the device until the next read-back.
#[derive(Default)]
struct PendingLosses {
    teacher: Option<Tensor<1>>,
    soft: Option<Tensor<1>>,
    hard: Option<Tensor<1>>,
    total: Option<Tensor<1>>,
    baseline: Option<Tensor<1>>,
}

pub struct Session {
    config: SessionConfig,
    device: Device,
    plain_device: Device,
    classes: usize,
    train_inputs: Tensor<2>,
    train_one_hot: Tensor<2>,
    test_inputs: Tensor<2>,
    test_labels: Vec<usize>,
    teacher: Mlp,
    teacher_optimizer: ModuleOptimizer,
    teacher_order: BatchOrder,
    student: Mlp,
    student_optimizer: ModuleOptimizer,
    student_order: BatchOrder,
    baseline: Mlp,
    baseline_optimizer: ModuleOptimizer,
    /// `None` while the baseline follows the student's batches (transfer set = training set).
    baseline_order: Option<BatchOrder>,
    transfer: Option<TransferSet>,
    teacher_step: usize,
    step: usize,
    pending: PendingLosses,
    teacher_params: usize,
    student_params: usize,
}

fn one_hot(labels: &[usize], classes: usize, device: &Device) -> Tensor<2> {
    let mut values = vec![0.0f32; labels.len() * classes];
    for (row, &label) in labels.iter().enumerate() {
        values[row * classes + label] = 1.0;
    }
    Tensor::from_data(TensorData::new(values, [labels.len(), classes]), device)
}

fn inputs(points: &Points, device: &Device) -> Tensor<2> {
    Tensor::from_data(TensorData::new(points.features.clone(), [points.len(), points.dims]), device)
}

fn indices(rows: &[usize], device: &Device) -> Tensor<1, Int> {
    let rows: Vec<i64> = rows.iter().map(|&r| r as i64).collect();
    Tensor::from_data(TensorData::new(rows.clone(), [rows.len()]), device)
}

fn read_f32(data: TensorData) -> Result<Vec<f32>, String> {
    data.convert::<f32>().try_to_vec::<f32>().map_err(|e| format!("unreadable tensor: {e:?}"))
}

fn read_usize(data: TensorData) -> Result<Vec<usize>, String> {
    Ok(data
        .convert::<i64>()
        .try_to_vec::<i64>()
        .map_err(|e| format!("unreadable tensor: {e:?}"))?
        .into_iter()
        .map(|v| v as usize)
        .collect())
}

impl Session {
    /// `device` is any Burn device; gradients are switched on here.
    pub fn new(config: SessionConfig, split: &Split, device: &Device) -> Self {
        let plain_device = device.clone().without_autodiff();
        let device = device.clone().autodiff();
        let classes = split.train.classes;
        let dims = split.train.dims;
        let teacher_spec = config.teacher_spec(dims, classes);
        let student_spec = config.student_spec(dims, classes);
        let student_seed = config.seed ^ stream::STUDENT_INIT;
        let baseline_order = (config.transfer != Transfer::Train)
            .then(|| BatchOrder::new(split.train.len(), config.batch_size, config.seed ^ stream::BASELINE_ORDER));
        let student_rows = match config.transfer {
            Transfer::Train => split.train.len(),
            Transfer::Queries => config.queries.max(1),
        };
        Self {
            teacher: teacher_spec.init(config.seed ^ stream::TEACHER_INIT, &device),
            teacher_optimizer: optimizer(&config),
            teacher_order: BatchOrder::new(split.train.len(), config.batch_size, config.seed ^ stream::TEACHER_ORDER),
            // Two identical initialisations rather than a clone: the copies share no parameter ids.
            student: student_spec.init(student_seed, &device),
            student_optimizer: optimizer(&config),
            student_order: BatchOrder::new(student_rows, config.batch_size, config.seed ^ stream::STUDENT_ORDER),
            baseline: student_spec.init(student_seed, &device),
            baseline_optimizer: optimizer(&config),
            baseline_order,
            train_inputs: inputs(&split.train, &device),
            train_one_hot: one_hot(&split.train.labels, classes, &device),
            test_inputs: inputs(&split.test, &plain_device),
            test_labels: split.test.labels.clone(),
            transfer: None,
            teacher_step: 0,
            step: 0,
            pending: PendingLosses::default(),
            teacher_params: teacher_spec.num_params(),
            student_params: student_spec.num_params(),
            classes,
            device,
            plain_device,
            config,
        }
    }

    pub fn config(&self) -> &SessionConfig {
        &self.config
    }

    pub fn phase(&self) -> Phase {
        if self.transfer.is_some() { Phase::Distill } else { Phase::Teacher }
    }

    pub fn step_count(&self) -> usize {
        self.step
    }

    pub fn teacher_params(&self) -> usize {
        self.teacher_params
    }

    pub fn student_params(&self) -> usize {
        self.student_params
    }

    /// One training step: the teacher's while it learns, else one for the student and one for the
    /// baseline on the same batch. The teacher is frozen after `teacher_steps` of its own.
    pub fn step(&mut self) {
        match self.transfer {
            None if self.teacher_step < self.config.teacher_steps => self.teacher_step(),
            None => self.freeze_teacher(),
            Some(_) => self.distill_step(),
        }
    }

    fn teacher_step(&mut self) {
        let rows = indices(&self.teacher_order.next_batch(), &self.device);
        let inputs = self.train_inputs.clone().select(0, rows.clone());
        let labels = self.train_one_hot.clone().select(0, rows);
        let logits = self.teacher.forward(inputs);
        let loss = distillation_loss(logits.clone(), logits.detach(), Some(labels), 1.0, 0.0).total;
        self.pending.teacher = Some(loss.clone().detach());
        descend(&mut self.teacher, &mut self.teacher_optimizer, loss, self.config.teacher_learning_rate);
        self.teacher_step += 1;
        if self.teacher_step >= self.config.teacher_steps {
            self.freeze_teacher();
        }
    }

    /// Computes the teacher's outputs on the transfer set once; they never change afterwards.
    fn freeze_teacher(&mut self) {
        if self.transfer.is_some() {
            return;
        }
        let (inputs, one_hot) = match self.config.transfer {
            Transfer::Train => (self.train_inputs.clone(), Some(self.train_one_hot.clone())),
            Transfer::Queries => {
                let mut rng = StdRng::seed_from_u64(self.config.seed ^ stream::QUERIES);
                let count = self.config.queries.max(1);
                let points: Vec<f32> = (0..count * 2).map(|_| rng.random_range(-1.0..1.0)).collect();
                let dims = self.train_inputs.dims()[1];
                (Tensor::from_data(TensorData::new(points, [count, dims]), &self.device), None)
            }
        };
        let teacher_logits = self.teacher.forward(inputs.clone()).detach();
        self.transfer = Some(TransferSet { inputs, teacher_logits, one_hot });
    }

    fn distill_step(&mut self) {
        let transfer = self.transfer.as_ref().expect("distilling needs a frozen teacher");
        let rows = indices(&self.student_order.next_batch(), &self.device);
        let inputs = transfer.inputs.clone().select(0, rows.clone());
        let teacher_logits = transfer.teacher_logits.clone().select(0, rows.clone());
        let labels = transfer.one_hot.as_ref().map(|l| l.clone().select(0, rows.clone()));
        let parts = distillation_loss(
            self.student.forward(inputs.clone()),
            teacher_logits,
            labels.clone(),
            self.config.temperature,
            self.config.alpha,
        );
        self.pending.soft = Some(parts.soft.detach());
        self.pending.hard = parts.hard.map(Tensor::detach);
        self.pending.total = Some(parts.total.clone().detach());
        descend(&mut self.student, &mut self.student_optimizer, parts.total, self.config.learning_rate);

        // The baseline: α = 0, same initial weights, and the same batch unless the student
        // learns from queries the baseline has no labels for.
        let (inputs, labels) = match (&mut self.baseline_order, labels) {
            (None, Some(labels)) => (inputs, labels),
            (order, _) => {
                let order = order.get_or_insert_with(|| {
                    BatchOrder::new(
                        self.train_inputs.dims()[0],
                        self.config.batch_size,
                        self.config.seed ^ stream::BASELINE_ORDER,
                    )
                });
                let rows = indices(&order.next_batch(), &self.device);
                (self.train_inputs.clone().select(0, rows.clone()), self.train_one_hot.clone().select(0, rows))
            }
        };
        let logits = self.baseline.forward(inputs);
        let loss = distillation_loss(logits.clone(), logits.detach(), Some(labels), 1.0, 0.0).total;
        self.pending.baseline = Some(loss.clone().detach());
        descend(&mut self.baseline, &mut self.baseline_optimizer, loss, self.config.learning_rate);
        self.step += 1;
    }

    /// Reads the latest losses and the three models' test accuracy in one read-back.
    pub async fn evaluate(&self) -> Result<Metrics, String> {
        let predictions = |model: &Mlp| model.valid().forward(self.test_inputs.clone()).argmax(1);
        let losses = [
            &self.pending.teacher,
            &self.pending.soft,
            &self.pending.hard,
            &self.pending.total,
            &self.pending.baseline,
        ];
        let mut transaction = Transaction::default()
            .register(predictions(&self.teacher))
            .register(predictions(&self.student))
            .register(predictions(&self.baseline));
        for loss in losses.iter().copied().flatten() {
            transaction = transaction.register(loss.clone());
        }
        let mut data =
            transaction.execute_async().await.map_err(|e| format!("reading metrics failed: {e:?}"))?.into_iter();
        let mut next = || data.next().ok_or_else(|| "missing read-back".to_string());
        let teacher = read_usize(next()?)?;
        let student = read_usize(next()?)?;
        let baseline = read_usize(next()?)?;
        let mut read = |pending: &Option<Tensor<1>>| -> Result<Option<f32>, String> {
            match pending {
                Some(_) => Ok(read_f32(next()?)?.first().copied()),
                None => Ok(None),
            }
        };
        let (teacher_loss, soft, hard, total, baseline_loss) =
            (read(losses[0])?, read(losses[1])?, read(losses[2])?, read(losses[3])?, read(losses[4])?);

        let fraction =
            |a: &[usize], b: &[usize]| a.iter().zip(b).filter(|(x, y)| x == y).count() as f32 / a.len().max(1) as f32;
        let labels = &self.test_labels;
        Ok(Metrics {
            phase: self.phase(),
            teacher_step: self.teacher_step,
            step: self.step,
            teacher_loss,
            loss_soft: soft,
            loss_hard: hard,
            loss_total: total,
            loss_baseline: baseline_loss,
            acc_teacher: fraction(&teacher, labels),
            acc_student: fraction(&student, labels),
            acc_baseline: fraction(&baseline, labels),
            agreement: fraction(&student, &teacher),
            agreement_baseline: fraction(&baseline, &teacher),
        })
    }

    /// Teacher, student and baseline predictions over a `resolution²` grid of the 2-D plane, in
    /// one batched forward pass per model and one read-back.
    pub async fn decision_maps(&self, resolution: usize) -> Result<[DecisionMap; 3], String> {
        let cells = resolution * resolution;
        let grid =
            Tensor::<2>::from_data(TensorData::new(DecisionMap::grid(resolution), [cells, 2]), &self.plain_device);
        let probabilities = |model: &Mlp| softmax(model.valid().forward(grid.clone()), 1);
        let data = Transaction::default()
            .register(probabilities(&self.teacher))
            .register(probabilities(&self.student))
            .register(probabilities(&self.baseline))
            .execute_async()
            .await
            .map_err(|e| format!("reading decision maps failed: {e:?}"))?;
        let mut maps = data
            .into_iter()
            .map(|d| read_f32(d).map(|p| DecisionMap::from_probabilities(&p, resolution, self.classes)));
        let mut next = || maps.next().ok_or_else(|| "missing read-back".to_string())?;
        Ok([next()?, next()?, next()?])
    }

    /// The teacher's logits on the cached transfer set (for tests and tools).
    pub async fn cached_teacher_logits(&self) -> Option<Vec<f32>> {
        let transfer = self.transfer.as_ref()?;
        let data = transfer.teacher_logits.clone().into_data_async().await.ok()?;
        read_f32(data).ok()
    }

    /// The teacher's logits recomputed now on the cached transfer inputs.
    pub async fn recomputed_teacher_logits(&self) -> Option<Vec<f32>> {
        let transfer = self.transfer.as_ref()?;
        let data = self.teacher.valid().forward(transfer.inputs.clone().without_autodiff());
        read_f32(data.into_data_async().await.ok()?).ok()
    }

    pub fn teacher(&self) -> &Mlp {
        &self.teacher
    }

    pub fn student(&self) -> &Mlp {
        &self.student
    }

    pub fn baseline(&self) -> &Mlp {
        &self.baseline
    }
}
