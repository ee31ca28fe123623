//! The distillation loss:
//!
//! `L = α · T² · KL(softmax(z_teacher / T) ‖ softmax(z_student / T)) + (1 − α) · CE(y, softmax(z_student))`
//!
//! averaged over the batch. α weights the soft (teacher) term; T² keeps the soft term's gradients
//! on the same scale as the hard term's when T changes (Hinton, Vinyals & Dean, 2015).

use burn::prelude::*;
use burn::tensor::activation::log_softmax;

/// The loss to descend, and its two terms for the figures.
#[derive(Debug, Clone)]
pub struct LossParts {
    /// α · soft + (1 − α) · hard, a one-element tensor.
    pub total: Tensor<1>,
    pub terms: LossTerms,
}

/// The soft and hard terms, per example and class (detached, scaled so that each sums to its
/// term): a step reduces only the total, and the terms are summed when read, once per report.
#[derive(Debug, Clone)]
pub struct LossTerms {
    soft: Option<Tensor<2>>,
    hard: Option<Tensor<2>>,
    device: Device,
}

impl LossTerms {
    /// T² · KL, batch mean; zero when α = 0 leaves the teacher out.
    pub fn soft(&self) -> Tensor<1> {
        match &self.soft {
            Some(soft) => soft.clone().sum(),
            None => Tensor::zeros([1], &self.device),
        }
    }

    /// The cross-entropy with the labels, batch mean; `None` without labels.
    pub fn hard(&self) -> Option<Tensor<1>> {
        self.hard.clone().map(Tensor::sum)
    }
}

/// `teacher_logits` are constants (the caller detaches them). `one_hot_labels` is `None` for a
/// transfer set without labels, which forces α = 1: the labels are then never read.
pub fn distillation_loss(
    student_logits: Tensor<2>,
    teacher_logits: Tensor<2>,
    one_hot_labels: Option<Tensor<2>>,
    temperature: f32,
    alpha: f32,
) -> LossParts {
    let teacher_log_probs = softened(teacher_logits, temperature);
    distillation_loss_from_log_probs(student_logits, teacher_log_probs, one_hot_labels, temperature, alpha)
}

/// The teacher's log-probabilities at `temperature`, as the soft term reads them. A session
/// computes them once for its whole transfer set (again only when T changes), not in every
/// step (on WebGPU they added several kernel launches to each one).
pub fn softened(teacher_logits: Tensor<2>, temperature: f32) -> Tensor<2> {
    log_softmax(teacher_logits / temperature, 1)
}

/// [`distillation_loss`], given the teacher's [`softened`] log-probabilities at `temperature`.
pub fn distillation_loss_from_log_probs(
    student_logits: Tensor<2>,
    teacher_log_probs: Tensor<2>,
    one_hot_labels: Option<Tensor<2>>,
    temperature: f32,
    alpha: f32,
) -> LossParts {
    let alpha = if one_hot_labels.is_some() { alpha } else { 1.0 };
    // The student's two log-softmaxes (at T and at 1) share one row maximum: fewer kernels a step.
    let row_max = student_logits.clone().max_dim(1).detach();
    // The baseline (α = 0) never looks at the teacher.
    let soft =
        (alpha > 0.0).then(|| soft_term(student_logits.clone(), row_max.clone(), teacher_log_probs, temperature));
    let hard = one_hot_labels.map(|labels| hard_term(student_logits.clone(), row_max, labels));
    combine(soft, hard, alpha, &student_logits.device())
}

/// The same loss with the soft term taken between two coarser distributions over the same
/// buckets (see `session::revealed`): the teacher's, as [`softened`] log-probabilities at
/// `temperature`, and the student's `student_coarse`, as logits; the hard term still reads the
/// student's whole `student_logits`.
pub fn coarse_distillation_loss(
    student_logits: Tensor<2>,
    student_coarse: Tensor<2>,
    teacher_coarse_log_probs: Tensor<2>,
    one_hot_labels: Option<Tensor<2>>,
    temperature: f32,
    alpha: f32,
) -> LossParts {
    let alpha = if one_hot_labels.is_some() { alpha } else { 1.0 };
    let soft = (alpha > 0.0).then(|| {
        let row_max = student_coarse.clone().max_dim(1).detach();
        soft_term(student_coarse, row_max, teacher_coarse_log_probs, temperature)
    });
    let hard = one_hot_labels.map(|labels| {
        let row_max = student_logits.clone().max_dim(1).detach();
        hard_term(student_logits.clone(), row_max, labels)
    });
    combine(soft, hard, alpha, &student_logits.device())
}

/// Cross-entropy with the teacher's labels alone (what a classifier API's answers teach): the
/// loss to descend, reported as the soft term since it is the teacher's; T and α do not apply.
pub fn pseudo_label_loss(student_logits: Tensor<2>, teacher_one_hot: Tensor<2>) -> LossParts {
    let row_max = student_logits.clone().max_dim(1).detach();
    let device = student_logits.device();
    combine(Some(hard_term(student_logits, row_max, teacher_one_hot)), None, 1.0, &device)
}

/// T² · KL(softmax(teacher / T) ‖ softmax(student / T)) per example and class, over the batch,
/// given the teacher's log-probabilities at T.
fn soft_term(
    student_logits: Tensor<2>,
    row_max: Tensor<2>,
    teacher_log_probs: Tensor<2>,
    temperature: f32,
) -> Tensor<2> {
    let batch = student_logits.dims()[0] as f32;
    let soft_targets = teacher_log_probs.clone().exp();
    let student_log_probs = shifted_log_softmax(student_logits, row_max, temperature);
    soft_targets * (teacher_log_probs - student_log_probs) * (temperature * temperature / batch)
}

/// The cross-entropy with one-hot `labels` per example and class, over the batch.
fn hard_term(student_logits: Tensor<2>, row_max: Tensor<2>, labels: Tensor<2>) -> Tensor<2> {
    let batch = student_logits.dims()[0] as f32;
    -(labels * shifted_log_softmax(student_logits, row_max, 1.0)) / batch
}

/// α · soft + (1 − α) · hard, in one reduction whatever α; the terms kept for the figures.
fn combine(soft: Option<Tensor<2>>, hard: Option<Tensor<2>>, alpha: f32, device: &Device) -> LossParts {
    let total = match (&soft, &hard) {
        (Some(soft), Some(hard)) if alpha < 1.0 && soft.dims() == hard.dims() => {
            (soft.clone() * alpha + hard.clone() * (1.0 - alpha)).sum()
        }
        // A coarsened soft term has fewer columns than the hard one.
        (Some(soft), Some(hard)) if alpha < 1.0 => soft.clone().sum() * alpha + hard.clone().sum() * (1.0 - alpha),
        (Some(soft), _) => soft.clone().sum(),
        (None, Some(hard)) => hard.clone().sum(),
        // Without labels α is 1, so the soft term is always there.
        (None, None) => Tensor::zeros([1], device),
    };
    let terms = LossTerms { soft: soft.map(Tensor::detach), hard: hard.map(Tensor::detach), device: device.clone() };
    LossParts { total, terms }
}

/// `log_softmax(logits / temperature)` along rows, given the rows' maxima (any shift per row
/// gives the same result; the maximum keeps `exp` from overflowing).
fn shifted_log_softmax(logits: Tensor<2>, row_max: Tensor<2>, temperature: f32) -> Tensor<2> {
    let shifted = (logits - row_max) / temperature;
    shifted.clone() - shifted.exp().sum_dim(1).log()
}

/// The plain cross-entropy with hard labels, batch mean: what the teacher and the baseline learn
/// from. The distillation loss's hard term is the same quantity, computed beside its soft term.
pub fn cross_entropy(logits: Tensor<2>, one_hot_labels: Tensor<2>) -> Tensor<1> {
    let batch = logits.dims()[0] as f32;
    -(one_hot_labels * log_softmax(logits, 1)).sum() / batch
}
