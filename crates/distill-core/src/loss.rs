//! The distillation loss:
//!
//! `L = α · T² · KL(softmax(z_teacher / T) ‖ softmax(z_student / T)) + (1 − α) · CE(y, softmax(z_student))`
//!
//! averaged over the batch. α weights the soft (teacher) term; T² keeps the soft term's gradients
//! on the same scale as the hard term's when T changes (Hinton, Vinyals & Dean, 2015).

use burn::prelude::*;
use burn::tensor::activation::log_softmax;

/// The loss's terms, each a one-element tensor: `soft` already includes the T² factor.
#[derive(Debug, Clone)]
pub struct LossParts {
    pub soft: Tensor<1>,
    pub hard: Option<Tensor<1>>,
    pub total: Tensor<1>,
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
    let batch = student_logits.dims()[0] as f32;
    let alpha = if one_hot_labels.is_some() { alpha } else { 1.0 };

    let soft = if alpha > 0.0 {
        let teacher_log_probs = log_softmax(teacher_logits / temperature, 1);
        let soft_targets = teacher_log_probs.clone().exp();
        let student_log_probs = log_softmax(student_logits.clone() / temperature, 1);
        (soft_targets * (teacher_log_probs - student_log_probs)).sum() / batch * (temperature * temperature)
    } else {
        // The baseline never looks at the teacher.
        Tensor::zeros([1], &student_logits.device())
    };

    let hard = one_hot_labels.map(|labels| cross_entropy(student_logits.clone(), labels));

    let total = match &hard {
        Some(hard) if alpha < 1.0 => soft.clone() * alpha + hard.clone() * (1.0 - alpha),
        _ => soft.clone(),
    };
    LossParts { soft, hard, total }
}

/// The plain cross-entropy with hard labels, batch mean: what the teacher and the baseline learn
/// from, and the distillation loss's hard term.
pub fn cross_entropy(logits: Tensor<2>, one_hot_labels: Tensor<2>) -> Tensor<1> {
    let batch = logits.dims()[0] as f32;
    -(one_hot_labels * log_softmax(logits, 1)).sum() / batch
}
