//! What the teacher's API reveals to the distilled student about each query.
//!
//! A chat API returns text, at most with the log-probabilities of its top 5–20 tokens; a
//! classifier API returns its answer, sometimes with a few top scores. None returns a whole
//! distribution, let alone one softened at a chosen temperature. The lab offers all three so that
//! their worth can be measured side by side (the tensor side is `session::revealed`).

use serde::{Deserialize, Serialize};

/// The setting, as the parameter table offers it (`top_k` is a setting of its own).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AnswerKind {
    Full,
    Top,
    Label,
}

/// What the teacher reveals per query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Answers {
    /// Its whole distribution (classic distillation, softened at T): no public API returns this.
    #[default]
    Full,
    /// The probabilities of its `k` most likely classes. The student learns from the teacher's
    /// distribution coarsened to those classes plus one bucket for everything else (whose
    /// probability is one minus theirs), against its own coarsened likewise: the unknown tail is
    /// never invented. T softens the coarsened distributions as it softens whole ones (each
    /// bucket's probability raised to 1/T, renormalised), so `k` ≥ classes − 1 is exactly `Full`.
    /// A byte: k is at most 10 (the table's bound), and every message that holds a run's spec
    /// stays small.
    Top(u8),
    /// Its most likely class alone: the student learns by plain cross-entropy on the teacher's
    /// labels (pseudo-labels); T and α do not apply.
    Label,
}

impl Answers {
    pub fn new(kind: AnswerKind, top_k: usize) -> Self {
        match kind {
            AnswerKind::Full => Answers::Full,
            AnswerKind::Top => Answers::Top(top_k.clamp(1, u8::MAX as usize) as u8),
            AnswerKind::Label => Answers::Label,
        }
    }

    /// What the student can learn from in a task of `classes` classes: the top `classes − 1`
    /// probabilities give the last one too, so they are the whole distribution.
    pub fn effective(self, classes: usize) -> Answers {
        match self {
            Answers::Top(k) if k as usize + 1 >= classes => Answers::Full,
            other => other,
        }
    }

    /// Numbers the teacher sends back per answer in a task of `classes` classes.
    pub fn numbers_per_answer(self, classes: usize) -> usize {
        match self {
            Answers::Full => classes,
            Answers::Top(k) => (k as usize).min(classes),
            Answers::Label => 1,
        }
    }

    /// Whether the temperature and α shape the distilled student's loss.
    pub fn uses_temperature_and_alpha(self) -> bool {
        self != Answers::Label
    }

    /// A short name for reports: `full`, `top 3`, `label`.
    pub fn label(self) -> String {
        match self {
            Answers::Full => "full".into(),
            Answers::Top(k) => format!("top {k}"),
            Answers::Label => "label".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_k_of_all_but_one_class_is_the_whole_distribution() {
        assert_eq!(Answers::Top(1).effective(2), Answers::Full);
        assert_eq!(Answers::Top(9).effective(10), Answers::Full);
        assert_eq!(Answers::Top(8).effective(10), Answers::Top(8));
        assert_eq!(Answers::Label.effective(2), Answers::Label);
    }

    #[test]
    fn numbers_received_per_answer() {
        assert_eq!(Answers::Full.numbers_per_answer(10), 10);
        assert_eq!(Answers::Top(3).numbers_per_answer(10), 3);
        assert_eq!(Answers::Top(5).numbers_per_answer(2), 2);
        assert_eq!(Answers::Label.numbers_per_answer(10), 1);
    }
}
