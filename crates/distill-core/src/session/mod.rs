//! A distillation session: the teacher learns, is frozen, then a distilled student and a
//! hard-label baseline learn from the same initial weights.
//!
//! `batches` orders the examples, `learner` moves one model, `transfer` chooses what the
//! students learn from, `evaluation` reads figures back, `checkpoint` moves a session between
//! devices, `student_weights` saves and loads the distilled student.

mod batches;
mod checkpoint;
mod evaluation;
pub mod learner;
pub mod revealed;
mod student_weights;
mod transfer;

use burn::prelude::*;

pub use checkpoint::Checkpoint;
pub use revealed::Revealed;
pub use transfer::{CALIBRATION_PER_CLASS, one_hot, queries_asked};

use crate::config::{MlpSpec, QueriesFrom, SessionConfig, Transfer};
use crate::data::Split;
use crate::error::RunError;
use crate::loss::{LossTerms, cross_entropy};
use crate::metrics::Phase;
use crate::model::Mlp;
use crate::trio::Trio;
use batches::BatchOrder;
use learner::Learner;

use transfer::{TransferSet, indices, inputs, labelled_rows, query_pool, uniform_queries};

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
    /// The training rows that are the students' own labelled examples, and their labels.
    labelled_rows: Vec<usize>,
    labelled_labels: Vec<usize>,
    /// Query mode with queries like the data: the inputs the student may ask about, until the
    /// frozen teacher has answered them.
    query_pool: Option<Tensor<2>>,
    /// Labelled points, never trained on, for fitting the automatic bias shift.
    calibration: Option<(Tensor<2>, Vec<usize>)>,
    /// The frozen teacher's logits on the test points, computed once.
    teacher_test_logits: Option<Tensor<2>>,
    learners: Trio<Learner>,
    /// Set when the teacher is frozen.
    transfer: Option<TransferSet>,
    /// The distilled student's latest soft and hard terms (its total is its learner's loss).
    last_terms: Option<LossTerms>,
    /// Test rows whose three predictions every evaluation reports (the digits the page shows).
    watched: Vec<usize>,
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
        let student_spec = config.student_spec(dims, classes);
        let student_seed = config.seed ^ stream::STUDENT_INIT;
        let (labelled_rows, calibration_rows) = labelled_rows(&config, &split.train.labels, classes);
        let query_pool = (config.transfer == Transfer::Queries && config.queries_from == QueriesFrom::Data)
            .then(|| query_pool(&config, split, &device));
        let student_rows = match (config.transfer, &query_pool) {
            (Transfer::Train, _) => labelled_rows.len(),
            (Transfer::Queries, Some(pool)) => pool.dims()[0],
            (Transfer::Queries, None) => config.queries.max(1),
        };
        // The baseline learns on the labelled examples: in train mode on the student's very
        // batches (the same order from the same seed), else in an order of its own.
        let baseline_order_seed = config.seed
            ^ if config.transfer == Transfer::Train { stream::STUDENT_ORDER } else { stream::BASELINE_ORDER };
        let calibration = (!calibration_rows.is_empty()).then(|| {
            let points = split.train.subset(&calibration_rows);
            (inputs(&points, &plain_device), points.labels)
        });
        let batch = config.batch_size;
        let teacher = teacher
            .unwrap_or_else(|| config.teacher_spec(dims, classes).init(config.seed ^ stream::TEACHER_INIT, &device));
        let learners = Trio {
            teacher: Learner::new(
                teacher,
                config.optimizer,
                BatchOrder::new(split.train.len(), batch, config.seed ^ stream::TEACHER_ORDER),
                config.teacher_learning_rate,
            ),
            // Two identical initialisations rather than a clone: the copies share no parameter ids.
            student: Learner::new(
                student_spec.init(student_seed, &device),
                config.optimizer,
                BatchOrder::new(student_rows, batch, config.seed ^ stream::STUDENT_ORDER),
                config.learning_rate,
            ),
            baseline: Learner::new(
                student_spec.init(student_seed, &device),
                config.optimizer,
                BatchOrder::new(labelled_rows.len(), batch, baseline_order_seed),
                config.learning_rate,
            ),
        };
        Self {
            learners,
            train_inputs: inputs(&split.train, &device),
            train_one_hot: one_hot(&split.train.labels, classes, &device),
            test_inputs: inputs(&split.test, &plain_device),
            test_labels: split.test.labels.clone(),
            labelled_labels: labelled_rows.iter().map(|&row| split.train.labels[row]).collect(),
            labelled_rows,
            calibration,
            query_pool,
            teacher_test_logits: None,
            transfer: None,
            last_terms: None,
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
    ) -> Result<Self, RunError> {
        if teacher.inputs != split.train.dims || teacher.classes != split.train.classes {
            return Err(RunError::Assets(format!(
                "a {} teacher does not fit data of {} inputs and {} classes",
                teacher.label(),
                split.train.dims,
                split.train.classes
            )));
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

    /// From now on, [`crate::Metrics::watched`] gives the three models' predictions on these
    /// test rows (rows out of range are dropped).
    pub fn watch(&mut self, rows: &[usize]) {
        self.watched = rows.iter().copied().filter(|&row| row < self.test_labels.len()).collect();
    }

    pub fn phase(&self) -> Phase {
        if self.transfer.is_some() { Phase::Distill } else { Phase::Teacher }
    }

    /// The students' steps so far.
    pub fn step_count(&self) -> usize {
        self.learners.student.steps
    }

    /// The teacher's own training steps so far.
    pub fn teacher_step_count(&self) -> usize {
        self.learners.teacher.steps
    }

    pub fn specs(&self) -> Trio<MlpSpec> {
        let student = self.config.student_spec(self.inputs, self.classes);
        Trio::new(self.config.teacher_spec(self.inputs, self.classes), student.clone(), student)
    }

    /// The teacher's shape, e.g. `784-512-512-10`.
    pub fn teacher_label(&self) -> String {
        self.specs().teacher.label()
    }

    pub fn student_label(&self) -> String {
        self.specs().student.label()
    }

    pub fn teacher_params(&self) -> usize {
        self.specs().teacher.num_params()
    }

    pub fn student_params(&self) -> usize {
        self.specs().student.num_params()
    }

    pub fn teacher(&self) -> &Mlp {
        &self.learners.teacher.model
    }

    pub fn student(&self) -> &Mlp {
        &self.learners.student.model
    }

    pub fn baseline(&self) -> &Mlp {
        &self.learners.baseline.model
    }

    /// One training step: the teacher's while it learns, else one for the student and one for the
    /// baseline. The teacher is frozen after `teacher_steps` of its own.
    pub fn step(&mut self) {
        match self.transfer {
            None if self.learners.teacher.steps < self.config.teacher_steps => self.teacher_step(),
            None => self.freeze_teacher(),
            Some(_) => self.distill_step(),
        }
    }

    fn teacher_step(&mut self) {
        let (train_inputs, train_one_hot, device) = (&self.train_inputs, &self.train_one_hot, &self.device);
        self.learners.teacher.step(|teacher, rows| {
            let rows = indices(rows, device);
            let logits = teacher.forward(train_inputs.clone().select(0, rows.clone()));
            (cross_entropy(logits, train_one_hot.clone().select(0, rows)), ())
        });
        if self.learners.teacher.steps >= self.config.teacher_steps {
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
                let rows = indices(&self.labelled_rows, &self.device);
                (self.train_inputs.clone().select(0, rows.clone()), Some(self.train_one_hot.clone().select(0, rows)))
            }
            (Transfer::Queries, Some(pool)) => (pool, None),
            (Transfer::Queries, None) => (uniform_queries(&self.config, self.inputs, &self.device), None),
        };
        let teacher = &self.learners.teacher.model;
        let teacher_logits = teacher.forward(inputs.clone()).detach();
        let revealed = Revealed::from_logits(self.config.answers, teacher_logits.clone());
        self.teacher_test_logits = Some(teacher.valid().forward(self.test_inputs.clone()));
        self.transfer = Some(TransferSet::new(inputs, teacher_logits, revealed, one_hot));
    }

    fn distill_step(&mut self) {
        let transfer = self.transfer.as_mut().expect("distilling needs a frozen teacher");
        let (alpha, device) = (self.config.alpha, &self.device);
        let softened = transfer.softened(self.config.temperature);
        let (inputs, one_hot) = (&transfer.inputs, &transfer.one_hot);
        let terms = self.learners.student.step(|student, rows| {
            let rows = indices(rows, device);
            let inputs = inputs.clone().select(0, rows.clone());
            let answers = softened.rows(rows.clone());
            let labels = one_hot.as_ref().map(|l| l.clone().select(0, rows));
            let parts = answers.loss(student.forward(inputs), labels, alpha);
            (parts.total, parts.terms)
        });
        self.last_terms = Some(terms);

        // The baseline: α = 0, same initial weights, a batch of the labelled examples.
        let (labelled_rows, train_inputs, train_one_hot) =
            (&self.labelled_rows, &self.train_inputs, &self.train_one_hot);
        self.learners.baseline.step(|baseline, rows| {
            let rows: Vec<usize> = rows.iter().map(|&i| labelled_rows[i]).collect();
            let rows = indices(&rows, device);
            let logits = baseline.forward(train_inputs.clone().select(0, rows.clone()));
            (cross_entropy(logits, train_one_hot.clone().select(0, rows)), ())
        });
    }

    /// How many of the teacher's answers the distilled student has looked at so far: one per
    /// transfer input its batches have covered (none while α = 0 hides them; labels alone
    /// take no α).
    pub fn answers_used(&self) -> usize {
        let Some(transfer) = &self.transfer else { return 0 };
        let answers = self.config.answers;
        if self.config.transfer == Transfer::Train && self.config.alpha <= 0.0 && answers.uses_temperature_and_alpha() {
            return 0;
        }
        let student = &self.learners.student;
        (student.steps * student.order.batch_size()).min(transfer.inputs.dims()[0])
    }

    /// The numbers those answers held: every class's probability, the top k's, or one label each.
    pub fn numbers_received(&self) -> usize {
        self.answers_used() * self.config.answers.numbers_per_answer(self.classes)
    }

    /// The labelled training examples the students own: both learn on them from the training
    /// set; in query mode only the baseline does.
    pub fn labelled_examples(&self) -> usize {
        self.labelled_rows.len()
    }

    /// The rows of the training points that are the students' labelled examples, ascending.
    pub fn labelled_rows(&self) -> &[usize] {
        &self.labelled_rows
    }

    /// The labels of the transfer set's points (empty in query mode, which has none).
    pub fn transfer_labels(&self) -> &[usize] {
        match self.config.transfer {
            Transfer::Train => &self.labelled_labels,
            Transfer::Queries => &[],
        }
    }

    /// How many test points the figures are measured on.
    pub fn test_len(&self) -> usize {
        self.test_labels.len()
    }

    /// How many labelled points are held out to fit the automatic bias shift.
    pub fn calibration_len(&self) -> usize {
        self.calibration.as_ref().map_or(0, |(_, labels)| labels.len())
    }
}
