//! The teacher's answers to the transfer set as its API reveals them ([`Answers`]): computed once
//! when the teacher is frozen, from its logits, and all that the distilled student ever reads.

use burn::prelude::*;

use crate::answers::Answers;
use crate::loss::{LossParts, coarse_distillation_loss, distillation_loss, pseudo_label_loss};

/// Added to the logits of the classes left out of a log-sum-exp: far below any logit, yet finite,
/// so that no gradient becomes NaN.
const LEFT_OUT: f32 = -1.0e9;

pub enum Revealed {
    /// The teacher's logits: its whole distribution.
    Full(Tensor<2>),
    /// Boxed: three tensors against the other kinds' one.
    Top(Box<TopAnswers>),
    /// The teacher's most likely class, one-hot (`[queries, classes]`).
    Label(Tensor<2>),
}

/// The teacher's top k classes per query, and its distribution coarsened to them.
pub struct TopAnswers {
    /// Per query, one-hot rows of the teacher's k most likely classes, most likely first
    /// (`[queries, k, classes]`).
    pub known: Tensor<3>,
    /// 1 for the classes outside the top k, 0 for those in it (`[queries, classes]`).
    pub unknown: Tensor<2>,
    /// The teacher's distribution over the k classes and the rest, as logits
    /// (`[queries, k + 1]`): each known class's logit, then the log-sum-exp of the others.
    /// Softmax of them gives the k probabilities the API returns and one minus their sum.
    pub coarse: Tensor<2>,
}

impl Revealed {
    /// What `answers` reveals of the teacher whose logits on the transfer set are `logits`.
    pub fn from_logits(answers: Answers, logits: Tensor<2>) -> Self {
        let [_, classes] = logits.dims();
        match answers.effective(classes) {
            Answers::Full => Revealed::Full(logits),
            Answers::Label => Revealed::Label(one_hot_argmax(logits.clone())),
            Answers::Top(k) => {
                let mut known = Vec::with_capacity(k as usize);
                let mut unknown = logits.ones_like();
                for _ in 0..k {
                    let remaining = logits.clone() + (unknown.clone() - 1.0) * -LEFT_OUT;
                    let pick = one_hot_argmax(remaining);
                    unknown = unknown - pick.clone();
                    known.push(pick);
                }
                let known = Tensor::stack(known, 1);
                let coarse = coarsen(logits, known.clone(), unknown.clone());
                Revealed::Top(Box::new(TopAnswers { known, unknown, coarse }))
            }
        }
    }

    /// The answers to the transfer inputs at `rows`.
    pub fn rows(&self, rows: Tensor<1, Int>) -> Revealed {
        match self {
            Revealed::Full(logits) => Revealed::Full(logits.clone().select(0, rows)),
            Revealed::Label(one_hot) => Revealed::Label(one_hot.clone().select(0, rows)),
            Revealed::Top(top) => Revealed::Top(Box::new(TopAnswers {
                known: top.known.clone().select(0, rows.clone()),
                unknown: top.unknown.clone().select(0, rows.clone()),
                coarse: top.coarse.clone().select(0, rows),
            })),
        }
    }

    /// The distilled student's loss on a batch whose answers these are.
    pub fn loss(self, student_logits: Tensor<2>, labels: Option<Tensor<2>>, temperature: f32, alpha: f32) -> LossParts {
        match self {
            Revealed::Full(teacher) => distillation_loss(student_logits, teacher, labels, temperature, alpha),
            Revealed::Label(teacher) => pseudo_label_loss(student_logits, teacher),
            Revealed::Top(top) => {
                let TopAnswers { known, unknown, coarse } = *top;
                let student_coarse = coarsen(student_logits.clone(), known, unknown);
                coarse_distillation_loss(student_logits, student_coarse, coarse, labels, temperature, alpha)
            }
        }
    }
}

/// `logits` coarsened to the known classes (in `known`'s order) and one bucket for the rest:
/// logits whose softmax is the coarsened distribution (softmax is blind to a shift per row).
fn coarsen(logits: Tensor<2>, known: Tensor<3>, unknown: Tensor<2>) -> Tensor<2> {
    let [rows, k, _] = known.dims();
    let known_logits = (known * logits.clone().unsqueeze_dim::<3>(1)).sum_dim(2).reshape([rows, k]);
    let rest = log_sum_exp(logits + (unknown - 1.0) * -LEFT_OUT);
    Tensor::cat(vec![known_logits, rest], 1)
}

/// `log Σ exp` along each row, as a column.
fn log_sum_exp(logits: Tensor<2>) -> Tensor<2> {
    let row_max = logits.clone().max_dim(1).detach();
    (logits - row_max.clone()).exp().sum_dim(1).log() + row_max
}

/// One-hot rows of each row's largest value (the first of equal ones).
fn one_hot_argmax(values: Tensor<2>) -> Tensor<2> {
    let [rows, classes] = values.dims();
    let device = values.device();
    let best = values.argmax(1).expand([rows, classes]);
    let class = Tensor::<1, Int>::arange(0..classes as i64, &device).unsqueeze::<2>().expand([rows, classes]);
    best.equal(class).float()
}
