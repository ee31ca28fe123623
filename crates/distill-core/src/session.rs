//! A distillation session: the teacher learns, is frozen, then a distilled student and a
//! hard-label baseline learn from the same initial weights on the same batches.

use burn::module::Module;
use burn::optim::ModuleOptimizer;
use burn::prelude::*;
use burn::tensor::Transaction;
use burn::tensor::activation::softmax;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};

use crate::config::{BiasShift, MlpSpec, QueriesFrom, SessionConfig, Transfer};
use crate::data::{Points, Split};
use crate::loss::{cross_entropy, distillation_loss};
use crate::metrics::{
    DecisionMap, Metrics, Phase, agreement, fit_bias_shift, mean_cross_entropy, mean_kl, per_class_accuracy,
    predictions,
};
use crate::model::{Mlp, MlpWeights};
use crate::train::{descend, optimizer};

/// Separate random streams derived from the one user-facing seed.
mod stream {
    pub const TEACHER_INIT: u64 = 0x7EAC_0001;
    pub const STUDENT_INIT: u64 = 0x57D7_0002;
    pub const TEACHER_ORDER: u64 = 0x7EAC_0003;
    pub const STUDENT_ORDER: u64 = 0x57D7_0004;
    pub const BASELINE_ORDER: u64 = 0xBA5E_0005;
    pub const QUERIES: u64 = 0x0E21_0006;
    pub const TRANSFER: u64 = 0x7A45_0007;
}

/// Test inputs per timed forward pass in [`Session::inference_ms_per_input`].
const INFERENCE_BATCH: usize = 256;

/// Labelled training points per class held out of the transfer set to fit an automatic bias shift.
pub const CALIBRATION_PER_CLASS: usize = 20;

/// Epoch-wise shuffled mini-batches of row indices.
#[derive(Debug)]
struct BatchOrder {
    rng: StdRng,
    seed: u64,
    order: Vec<usize>,
    cursor: usize,
    batch_size: usize,
    /// Shuffles so far: the generator cannot be cloned, but it can be replayed.
    epochs: usize,
}

impl BatchOrder {
    fn new(len: usize, batch_size: usize, seed: u64) -> Self {
        let mut order = Self {
            rng: StdRng::seed_from_u64(seed),
            seed,
            order: (0..len).collect(),
            cursor: len,
            batch_size: batch_size.clamp(1, len.max(1)),
            epochs: 0,
        };
        order.reshuffle_if_done();
        order
    }

    fn reshuffle_if_done(&mut self) {
        if self.cursor + self.batch_size > self.order.len() {
            self.order.shuffle(&mut self.rng);
            self.cursor = 0;
            self.epochs += 1;
        }
    }

    fn next_batch(&mut self) -> Vec<usize> {
        self.reshuffle_if_done();
        let batch = self.order[self.cursor..self.cursor + self.batch_size].to_vec();
        self.cursor += self.batch_size;
        batch
    }
}

impl Clone for BatchOrder {
    /// The same order at the same place, its shuffles replayed from the seed.
    fn clone(&self) -> Self {
        let mut copy = BatchOrder::new(self.order.len(), self.batch_size, self.seed);
        while copy.epochs < self.epochs {
            copy.order.shuffle(&mut copy.rng);
            copy.epochs += 1;
        }
        copy.cursor = self.cursor;
        copy
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
/// Where a session stands, on the host: [`Session::resume`] continues from it on any device,
/// with the same step counts, weights and batch order. The optimizers' running averages are not
/// kept, so Adam restarts its estimates there.
#[derive(Debug, Clone)]
pub struct Checkpoint {
    teacher: MlpWeights,
    student: MlpWeights,
    baseline: MlpWeights,
    teacher_step: usize,
    step: usize,
    frozen: bool,
    teacher_order: BatchOrder,
    student_order: BatchOrder,
    baseline_order: Option<BatchOrder>,
    watched: Vec<usize>,
}

impl Checkpoint {
    pub fn teacher_step(&self) -> usize {
        self.teacher_step
    }

    pub fn step(&self) -> usize {
        self.step
    }
}

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
    inputs: usize,
    train_inputs: Tensor<2>,
    train_one_hot: Tensor<2>,
    test_inputs: Tensor<2>,
    test_labels: Vec<usize>,
    /// Rows of the training points the student learns from when the transfer set is the
    /// training set, and their labels (for checks; the student reads them only through α).
    transfer_rows: Vec<usize>,
    transfer_labels: Vec<usize>,
    /// Query mode with queries like the data: the inputs the student may ask about, until the
    /// frozen teacher has answered them.
    query_pool: Option<Tensor<2>>,
    /// Labelled points, never trained on, for fitting the automatic bias shift.
    calibration: Option<(Tensor<2>, Vec<usize>)>,
    /// The frozen teacher's logits on the test points, computed once.
    teacher_test_logits: Option<Tensor<2>>,
    teacher: Mlp,
    teacher_optimizer: ModuleOptimizer,
    teacher_order: BatchOrder,
    student: Mlp,
    student_optimizer: ModuleOptimizer,
    student_order: BatchOrder,
    baseline: Mlp,
    baseline_optimizer: ModuleOptimizer,
    /// `None` while the baseline follows the student's batches (transfer set = training set);
    /// in query mode, its own order over the labelled `transfer_rows`.
    baseline_order: Option<BatchOrder>,
    transfer: Option<TransferSet>,
    teacher_step: usize,
    step: usize,
    pending: PendingLosses,
    teacher_params: usize,
    student_params: usize,
    /// Test rows whose three predictions every evaluation reports (the digits the page shows).
    watched: Vec<usize>,
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

/// The unlabelled inputs a student in query mode asks about, at most `queries` of them: the
/// split's own (fresh points from the generator), else training inputs with their labels unread.
/// A left-out class stays out of the pool too: the experiment curates what may be asked.
fn query_pool(config: &SessionConfig, split: &Split, device: &Device) -> Tensor<2> {
    let source = split.unlabelled.as_ref().unwrap_or(&split.train);
    let mut rows: Vec<usize> = (0..source.len()).filter(|&row| Some(source.labels[row]) != config.omit).collect();
    if rows.is_empty() {
        rows = (0..source.len()).collect();
    }
    rows.shuffle(&mut StdRng::seed_from_u64(config.seed ^ stream::QUERIES));
    rows.truncate(config.queries.max(1));
    inputs(&source.subset(&rows), device)
}

fn read_f32(data: TensorData) -> Result<Vec<f32>, String> {
    data.convert::<f32>().try_to_vec::<f32>().map_err(|e| format!("unreadable tensor: {e:?}"))
}

/// Which training rows the student learns from, and which are held out for calibration: the
/// left-out class goes, then a random subset of the requested size stays.
fn transfer_rows(config: &SessionConfig, labels: &[usize], classes: usize) -> (Vec<usize>, Vec<usize>) {
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

impl Session {
    /// `device` is any Burn device; gradients are switched on here.
    pub fn new(config: SessionConfig, split: &Split, device: &Device) -> Self {
        Self::assemble(config, split, device, None)
    }

    /// A new session; `teacher`, when given, replaces the randomly initialised one.
    fn assemble(config: SessionConfig, split: &Split, device: &Device, teacher: Option<Mlp>) -> Self {
        let plain_device = device.clone().without_autodiff();
        let device = device.clone().autodiff();
        let classes = split.train.classes;
        let dims = split.train.dims;
        let teacher_spec = config.teacher_spec(dims, classes);
        let student_spec = config.student_spec(dims, classes);
        let student_seed = config.seed ^ stream::STUDENT_INIT;
        let (transfer_rows, calibration_rows) = transfer_rows(&config, &split.train.labels, classes);
        let baseline_order = (config.transfer != Transfer::Train)
            .then(|| BatchOrder::new(transfer_rows.len(), config.batch_size, config.seed ^ stream::BASELINE_ORDER));
        let query_pool = (config.transfer == Transfer::Queries && config.queries_from == QueriesFrom::Data)
            .then(|| query_pool(&config, split, &device));
        let student_rows = match (config.transfer, &query_pool) {
            (Transfer::Train, _) => transfer_rows.len(),
            (Transfer::Queries, Some(pool)) => pool.dims()[0],
            (Transfer::Queries, None) => config.queries.max(1),
        };
        let calibration = (!calibration_rows.is_empty()).then(|| {
            let points = split.train.subset(&calibration_rows);
            (inputs(&points, &plain_device), points.labels)
        });
        Self {
            teacher: teacher.unwrap_or_else(|| teacher_spec.init(config.seed ^ stream::TEACHER_INIT, &device)),
            teacher_optimizer: optimizer(config.optimizer),
            teacher_order: BatchOrder::new(split.train.len(), config.batch_size, config.seed ^ stream::TEACHER_ORDER),
            // Two identical initialisations rather than a clone: the copies share no parameter ids.
            student: student_spec.init(student_seed, &device),
            student_optimizer: optimizer(config.optimizer),
            student_order: BatchOrder::new(student_rows, config.batch_size, config.seed ^ stream::STUDENT_ORDER),
            baseline: student_spec.init(student_seed, &device),
            baseline_optimizer: optimizer(config.optimizer),
            baseline_order,
            train_inputs: inputs(&split.train, &device),
            train_one_hot: one_hot(&split.train.labels, classes, &device),
            test_inputs: inputs(&split.test, &plain_device),
            test_labels: split.test.labels.clone(),
            transfer_labels: transfer_rows.iter().map(|&row| split.train.labels[row]).collect(),
            transfer_rows,
            calibration,
            query_pool,
            teacher_test_logits: None,
            transfer: None,
            teacher_step: 0,
            step: 0,
            pending: PendingLosses::default(),
            teacher_params: teacher_spec.num_params(),
            student_params: student_spec.num_params(),
            watched: Vec::new(),
            classes,
            inputs: dims,
            device,
            plain_device,
            config,
        }
    }

    /// A session whose teacher is already trained: `teacher_weights` as written by
    /// [`Mlp::to_bytes`] for a network of shape `teacher`. It starts distilling at once.
    pub fn with_teacher(
        mut config: SessionConfig,
        split: &Split,
        teacher: &MlpSpec,
        teacher_weights: &[u8],
        device: &Device,
    ) -> Result<Self, String> {
        if teacher.inputs != split.train.dims || teacher.classes != split.train.classes {
            return Err(format!(
                "a {} teacher does not fit data of {} inputs and {} classes",
                teacher.label(),
                split.train.dims,
                split.train.classes
            ));
        }
        config.teacher_hidden = teacher.hidden.clone();
        config.teacher_steps = 0;
        let teacher = Mlp::from_bytes(teacher, teacher_weights, &device.clone().autodiff())?;
        let mut session = Session::assemble(config, split, device, Some(teacher));
        session.freeze_teacher();
        Ok(session)
    }

    pub fn config(&self) -> &SessionConfig {
        &self.config
    }

    /// Copies the session's state to the host (one read-back of the three networks).
    pub async fn checkpoint(&self) -> Result<Checkpoint, String> {
        Ok(Checkpoint {
            teacher: self.teacher.read_weights().await?,
            student: self.student.read_weights().await?,
            baseline: self.baseline.read_weights().await?,
            teacher_step: self.teacher_step,
            step: self.step,
            frozen: self.transfer.is_some(),
            teacher_order: self.teacher_order.clone(),
            student_order: self.student_order.clone(),
            baseline_order: self.baseline_order.clone(),
            watched: self.watched.clone(),
        })
    }

    /// The session `checkpoint` was taken from, continued on `device`: `config` and `split` must
    /// be the ones it was built with.
    pub fn resume(
        config: SessionConfig,
        split: &Split,
        device: &Device,
        checkpoint: &Checkpoint,
    ) -> Result<Self, String> {
        let mut session = Session::assemble(config, split, device, None);
        let (dims, classes) = (session.inputs, session.classes);
        let student_spec = session.config.student_spec(dims, classes);
        session.teacher =
            Mlp::from_weights(&session.config.teacher_spec(dims, classes), &checkpoint.teacher, &session.device)?;
        session.student = Mlp::from_weights(&student_spec, &checkpoint.student, &session.device)?;
        session.baseline = Mlp::from_weights(&student_spec, &checkpoint.baseline, &session.device)?;
        session.teacher_step = checkpoint.teacher_step;
        session.step = checkpoint.step;
        session.teacher_order = checkpoint.teacher_order.clone();
        session.student_order = checkpoint.student_order.clone();
        session.baseline_order = checkpoint.baseline_order.clone();
        session.watched = checkpoint.watched.clone();
        if checkpoint.frozen {
            session.freeze_teacher();
        }
        Ok(session)
    }

    /// From now on, [`Metrics::watched`] gives the three models' predictions on these test rows
    /// (rows out of range are dropped).
    pub fn watch(&mut self, rows: &[usize]) {
        self.watched = rows.iter().copied().filter(|&row| row < self.test_labels.len()).collect();
    }

    pub fn phase(&self) -> Phase {
        if self.transfer.is_some() { Phase::Distill } else { Phase::Teacher }
    }

    pub fn step_count(&self) -> usize {
        self.step
    }

    /// The teacher's own training steps so far.
    pub fn teacher_step_count(&self) -> usize {
        self.teacher_step
    }

    /// The teacher's shape, e.g. `784-512-512-10`.
    pub fn teacher_label(&self) -> String {
        self.config.teacher_spec(self.inputs, self.classes).label()
    }

    pub fn student_label(&self) -> String {
        self.config.student_spec(self.inputs, self.classes).label()
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
        let loss = cross_entropy(logits, labels);
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
        let (inputs, one_hot) = match (self.config.transfer, self.query_pool.take()) {
            (Transfer::Train, _) => {
                let rows = indices(&self.transfer_rows, &self.device);
                (self.train_inputs.clone().select(0, rows.clone()), Some(self.train_one_hot.clone().select(0, rows)))
            }
            (Transfer::Queries, Some(pool)) => (pool, None),
            (Transfer::Queries, None) => {
                let mut rng = StdRng::seed_from_u64(self.config.seed ^ stream::QUERIES);
                let count = self.config.queries.max(1);
                let dims = self.train_inputs.dims()[1];
                // Anywhere in the visible plane; for images, random pixels.
                let range = if dims == 2 { -1.0..1.0 } else { 0.0..1.0 };
                let points: Vec<f32> = (0..count * dims).map(|_| rng.random_range(range.clone())).collect();
                (Tensor::from_data(TensorData::new(points, [count, dims]), &self.device), None)
            }
        };
        let teacher_logits = self.teacher.forward(inputs.clone()).detach();
        self.teacher_test_logits = Some(self.teacher.valid().forward(self.test_inputs.clone()));
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
        // learns from queries: then a batch of its own labelled examples.
        let (inputs, labels) = match (&mut self.baseline_order, labels) {
            (None, Some(labels)) => (inputs, labels),
            (order, _) => {
                let order = order.get_or_insert_with(|| {
                    BatchOrder::new(
                        self.transfer_rows.len(),
                        self.config.batch_size,
                        self.config.seed ^ stream::BASELINE_ORDER,
                    )
                });
                let rows: Vec<usize> = order.next_batch().iter().map(|&i| self.transfer_rows[i]).collect();
                let rows = indices(&rows, &self.device);
                (self.train_inputs.clone().select(0, rows.clone()), self.train_one_hot.clone().select(0, rows))
            }
        };
        let logits = self.baseline.forward(inputs);
        let loss = cross_entropy(logits, labels);
        self.pending.baseline = Some(loss.clone().detach());
        descend(&mut self.baseline, &mut self.baseline_optimizer, loss, self.config.learning_rate);
        self.step += 1;
    }

    /// Reads the latest losses and the three models' test figures in one read-back.
    pub async fn evaluate(&self) -> Result<Metrics, String> {
        let logits = |model: &Mlp, inputs: &Tensor<2>| model.valid().forward(inputs.clone());
        let teacher_logits =
            self.teacher_test_logits.clone().unwrap_or_else(|| logits(&self.teacher, &self.test_inputs));
        let losses = [
            &self.pending.teacher,
            &self.pending.soft,
            &self.pending.hard,
            &self.pending.total,
            &self.pending.baseline,
        ];
        let mut transaction = Transaction::default()
            .register(teacher_logits)
            .register(logits(&self.student, &self.test_inputs))
            .register(logits(&self.baseline, &self.test_inputs));
        if let Some((inputs, _)) = &self.calibration {
            transaction = transaction.register(logits(&self.student, inputs));
        }
        for loss in losses.iter().copied().flatten() {
            transaction = transaction.register(loss.clone().without_autodiff());
        }
        let mut data =
            transaction.execute_async().await.map_err(|e| format!("reading metrics failed: {e:?}"))?.into_iter();
        let mut next = || data.next().ok_or_else(|| "missing read-back".to_string()).and_then(read_f32);
        let teacher = next()?;
        let student = next()?;
        let baseline = next()?;
        let calibration = match &self.calibration {
            Some(_) => Some(next()?),
            None => None,
        };
        let mut read = |pending: &Option<Tensor<1>>| -> Result<Option<f32>, String> {
            match pending {
                Some(_) => Ok(next()?.first().copied()),
                None => Ok(None),
            }
        };
        let (teacher_loss, soft, hard, total, baseline_loss) =
            (read(losses[0])?, read(losses[1])?, read(losses[2])?, read(losses[3])?, read(losses[4])?);

        let classes = self.classes;
        let shift = match (self.config.omit, self.config.bias_shift, &self.calibration, &calibration) {
            (Some(class), BiasShift::Manual(by), ..) => Some((class, by)),
            (Some(class), BiasShift::Auto, Some((_, labels)), Some(logits)) => {
                Some((class, fit_bias_shift(logits, labels, classes, class)))
            }
            _ => None,
        };
        let labels = &self.test_labels;
        let teacher_predicted = predictions(&teacher, classes, None);
        let student_unshifted = predictions(&student, classes, None);
        let student_predicted = predictions(&student, classes, shift);
        let baseline_predicted = predictions(&baseline, classes, None);
        Ok(Metrics {
            phase: self.phase(),
            teacher_step: self.teacher_step,
            step: self.step,
            teacher_loss,
            loss_soft: soft,
            loss_hard: hard,
            loss_total: total,
            loss_baseline: baseline_loss,
            acc_teacher: agreement(&teacher_predicted, labels),
            acc_student: agreement(&student_predicted, labels),
            acc_baseline: agreement(&baseline_predicted, labels),
            agreement: agreement(&student_predicted, &teacher_predicted),
            agreement_baseline: agreement(&baseline_predicted, &teacher_predicted),
            per_class_teacher: per_class_accuracy(&teacher_predicted, labels, classes),
            per_class_student: per_class_accuracy(&student_predicted, labels, classes),
            per_class_baseline: per_class_accuracy(&baseline_predicted, labels, classes),
            ce_teacher: mean_cross_entropy(&teacher, labels, classes),
            ce_student: mean_cross_entropy(&student, labels, classes),
            ce_baseline: mean_cross_entropy(&baseline, labels, classes),
            kl_student: mean_kl(&teacher, &student, classes),
            kl_baseline: mean_kl(&teacher, &baseline, classes),
            bias_shift: shift.map_or(0.0, |(_, by)| by),
            acc_student_unshifted: agreement(&student_unshifted, labels),
            per_class_student_unshifted: per_class_accuracy(&student_unshifted, labels, classes),
            watched: self
                .watched
                .iter()
                .map(|&row| [teacher_predicted[row], student_predicted[row], baseline_predicted[row]].map(|c| c as u8))
                .collect(),
            watched_logits: self
                .watched
                .iter()
                .flat_map(|&row| {
                    [&teacher, &student, &baseline].map(|logits| &logits[row * classes..(row + 1) * classes])
                })
                .flatten()
                .copied()
                .collect(),
            queries_answered: match (&self.transfer, self.config.transfer) {
                (Some(transfer), Transfer::Queries) => transfer.inputs.dims()[0],
                _ => 0,
            },
            answers_used: self.answers_used(),
            labelled_examples: self.labelled_examples(),
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

    /// Milliseconds per input of a forward pass of the teacher and of the student, on this
    /// session's device: the median of `repeats` timed passes over a batch of test inputs, each
    /// waited for by a read-back. The two models take turns, after one untimed pass each, so that
    /// a machine growing busier or quieter weighs on both alike. `now_ms` is the caller's clock.
    pub async fn inference_ms_per_input(&self, now_ms: impl Fn() -> f64, repeats: usize) -> Result<[f64; 2], String> {
        let rows = self.test_inputs.dims()[0].min(INFERENCE_BATCH);
        let batch = self.test_inputs.clone().slice(0..rows);
        let models = [self.teacher.valid(), self.student.valid()];
        let mut times = [Vec::new(), Vec::new()];
        for pass in 0..=repeats.max(1) {
            for (model, times) in models.iter().zip(&mut times) {
                let started = now_ms();
                let logits = model.forward(batch.clone());
                logits.into_data_async().await.map_err(|e| format!("timing inference failed: {e:?}"))?;
                if pass > 0 {
                    times.push((now_ms() - started) / rows as f64);
                }
            }
        }
        Ok(times.map(|mut times| {
            times.sort_by(f64::total_cmp);
            times[times.len() / 2]
        }))
    }

    /// Teacher, student and baseline logits for one input (a drawn digit, say): `3 × classes`
    /// values, in that order, from one read-back.
    pub async fn classify(&self, input: &[f32]) -> Result<Vec<f32>, String> {
        if input.len() != self.inputs || input.iter().any(|v| !v.is_finite()) {
            return Err(format!("an input needs {} finite values, not {}", self.inputs, input.len()));
        }
        let input = Tensor::<2>::from_data(TensorData::new(input.to_vec(), [1, self.inputs]), &self.plain_device);
        let mut transaction = Transaction::default();
        for model in [&self.teacher, &self.student, &self.baseline] {
            transaction = transaction.register(model.valid().forward(input.clone()));
        }
        let data = transaction.execute_async().await.map_err(|e| format!("classifying failed: {e:?}"))?;
        data.into_iter().map(read_f32).collect::<Result<Vec<_>, _>>().map(|parts| parts.concat())
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

    /// How many of the teacher's answers the distilled student has looked at so far: one per
    /// transfer input its batches have covered (none while α = 0 hides them).
    pub fn answers_used(&self) -> usize {
        let Some(transfer) = &self.transfer else { return 0 };
        if self.config.transfer == Transfer::Train && self.config.alpha <= 0.0 {
            return 0;
        }
        (self.step * self.student_order.batch_size).min(transfer.inputs.dims()[0])
    }

    /// The labelled training examples the students own: both learn on them from the training
    /// set; in query mode only the baseline does.
    pub fn labelled_examples(&self) -> usize {
        self.transfer_rows.len()
    }

    /// The rows of the training points that are the students' labelled examples, ascending.
    pub fn labelled_rows(&self) -> &[usize] {
        &self.transfer_rows
    }

    /// The labels of the transfer set's points (empty in query mode, which has none).
    pub fn transfer_labels(&self) -> &[usize] {
        match self.config.transfer {
            Transfer::Train => &self.transfer_labels,
            Transfer::Queries => &[],
        }
    }

    /// How many labelled points are held out to fit the automatic bias shift.
    pub fn calibration_len(&self) -> usize {
        self.calibration.as_ref().map_or(0, |(_, labels)| labels.len())
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

#[cfg(test)]
mod tests {
    use super::BatchOrder;

    #[test]
    fn a_cloned_batch_order_continues_with_the_same_batches() {
        let mut order = BatchOrder::new(10, 3, 7);
        for _ in 0..11 {
            order.next_batch();
        }
        let mut copy = order.clone();
        let ahead: Vec<Vec<usize>> = (0..9).map(|_| order.next_batch()).collect();
        let copied: Vec<Vec<usize>> = (0..9).map(|_| copy.next_batch()).collect();
        assert_eq!(ahead, copied);
    }
}
