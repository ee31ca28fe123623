//! The teacher's answers to the transfer set as its API reveals them ([`Answers`]): computed once
//! when the teacher is frozen, from its logits, and all that the distilled student ever reads;
//! [`Softened`], the same answers at a temperature, is what its loss reads.

use burn::prelude::*;

use crate::answers::Answers;
use crate::loss::{LossParts, coarse_distillation_loss, distillation_loss_from_log_probs, pseudo_label_loss, softened};

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
#[derive(Clone)]
pub struct TopAnswers {
    /// Per query, one-hot rows of the teacher's k most likely classes, most likely first
    /// (`[queries, k, classes]`).
    pub known: Tensor<3>,
    /// 1 for the classes outside the top k, 0 for those in it (`[queries, classes]`).
    pub unknown: Tensor<2>,
    /// The teacher's distribution over the k classes and the rest, as logits
    /// (`[queries, k + 1]`): each known class's logit, then the log-sum-exp of the others.
    /// Softmax of them gives the k probabilities the API returns and one minus their sum. (In
    /// [`Softened`] answers, the log-probabilities of that distribution at T.)
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

    /// These answers at `temperature`, as the loss reads them: the teacher's distributions
    /// softened once for all the queries here, rather than for each batch in every step.
    pub fn softened(&self, temperature: f32) -> Softened {
        let targets = match self {
            Revealed::Full(logits) => Targets::Full(softened(logits.clone(), temperature)),
            Revealed::Label(one_hot) => Targets::Label(one_hot.clone()),
            Revealed::Top(top) => Targets::Top(Box::new(TopAnswers {
                known: top.known.clone(),
                unknown: top.unknown.clone(),
                coarse: softened(top.coarse.clone(), temperature),
            })),
        };
        Softened { temperature, targets }
    }
}

/// The teacher's answers softened at a temperature: its distributions (whole or coarse) as
/// log-probabilities at T, its labels as they are.
#[derive(Clone)]
pub struct Softened {
    temperature: f32,
    targets: Targets,
}

/// [`Revealed`]'s kinds, with each distribution's logits replaced by its log-probabilities at T.
#[derive(Clone)]
enum Targets {
    Full(Tensor<2>),
    Top(Box<TopAnswers>),
    Label(Tensor<2>),
}

impl Softened {
    pub fn temperature(&self) -> f32 {
        self.temperature
    }

    /// The answers to the transfer inputs at `rows`.
    pub fn rows(&self, rows: Tensor<1, Int>) -> Softened {
        let targets = match &self.targets {
            Targets::Full(log_probs) => Targets::Full(log_probs.clone().select(0, rows)),
            Targets::Label(one_hot) => Targets::Label(one_hot.clone().select(0, rows)),
            Targets::Top(top) => Targets::Top(Box::new(TopAnswers {
                known: top.known.clone().select(0, rows.clone()),
                unknown: top.unknown.clone().select(0, rows.clone()),
                coarse: top.coarse.clone().select(0, rows),
            })),
        };
        Softened { temperature: self.temperature, targets }
    }

    /// The distilled student's loss on a batch whose answers these are.
    pub fn loss(self, student_logits: Tensor<2>, labels: Option<Tensor<2>>, alpha: f32) -> LossParts {
        let temperature = self.temperature;
        match self.targets {
            Targets::Full(teacher) => {
                distillation_loss_from_log_probs(student_logits, teacher, labels, temperature, alpha)
            }
            Targets::Label(teacher) => pseudo_label_loss(student_logits, teacher),
            Targets::Top(top) => {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_tensors::uniform;

    fn bits(tensor: Tensor<2>) -> Vec<u32> {
        tensor.into_data().try_to_vec::<f32>().unwrap().into_iter().map(f32::to_bits).collect()
    }

    /// Softening the whole transfer set once gives each batch the same bits as softening its rows
    /// in every step did, so runs (and EXPERIMENTS.md) are unchanged by it.
    #[test]
    fn softening_the_whole_set_once_gives_each_batch_the_same_bits() {
        let device = Device::flex();
        for (queries, classes, answers) in
            [(1000, 10, Answers::Full), (1000, 2, Answers::Full), (1797, 10, Answers::Top(3))]
        {
            let logits = uniform([queries, classes], 8.0, queries as u64 + classes as u64, &device);
            let revealed = Revealed::from_logits(answers, logits.clone());
            for temperature in [1.0, 2.5, 4.0, 20.0] {
                let whole = revealed.softened(temperature);
                for (batch, seed) in [(32, 1u64), (64, 2), (128, 3), (100, 4)] {
                    let rows: Vec<i64> =
                        (0..batch).map(|i| ((i as u64 * 7919 + seed * 104_729) % queries as u64) as i64).collect();
                    let rows = Tensor::<1, Int>::from_data(TensorData::new(rows, [batch]), &device);
                    let per_batch = match &revealed {
                        Revealed::Full(logits) => logits.clone().select(0, rows.clone()),
                        Revealed::Top(top) => top.coarse.clone().select(0, rows.clone()),
                        Revealed::Label(_) => unreachable!("no distribution to soften"),
                    };
                    let batch_targets = match whole.rows(rows).targets {
                        Targets::Full(log_probs) => log_probs,
                        Targets::Top(top) => top.coarse,
                        Targets::Label(_) => unreachable!("no distribution to soften"),
                    };
                    assert_eq!(
                        bits(batch_targets),
                        bits(softened(per_batch, temperature)),
                        "{answers:?} at T = {temperature}"
                    );
                }
            }
        }
    }
}
