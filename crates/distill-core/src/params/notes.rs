//! What a setting does under the others: a line under it in the settings panel, and whether it
//! does nothing at all just now (the panel greys it out and says why).

use super::Params;
use crate::answers::{AnswerKind, Answers};
use crate::config::Transfer;
use crate::run_spec::Scenario;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingNote {
    /// The setting changes nothing in the current run.
    pub inactive: bool,
    pub text: String,
}

impl SettingNote {
    fn inactive(text: impl Into<String>) -> Option<Self> {
        Some(SettingNote { inactive: true, text: text.into() })
    }

    fn active(text: impl Into<String>) -> Option<Self> {
        Some(SettingNote { inactive: false, text: text.into() })
    }
}

impl Params {
    /// Classes of the current lab's task.
    pub fn class_count(&self) -> usize {
        match self.scenario {
            Scenario::Digits => 10,
            Scenario::Shapes => self.classes,
            Scenario::Text => crate::data::text::VOCABULARY,
        }
    }

    /// What the teacher reveals per query, as the run will use it.
    pub fn answers_revealed(&self) -> Answers {
        Answers::new(self.answers, self.top_k)
    }

    /// The note under the setting `name`, if it has one now.
    pub fn setting_note(&self, name: &str) -> Option<SettingNote> {
        let labels_only = self.answers == AnswerKind::Label;
        match name {
            "answers" => SettingNote::active(self.answers_line()),
            "temperature" | "alpha" if labels_only => SettingNote::inactive(
                "answers=label: the student learns the teacher's labels by cross-entropy; T and α do not apply",
            ),
            "alpha" if self.scenario == Scenario::Text => SettingNote::active(
                "α weighs the soft term against the cross-entropy with the characters the teacher wrote",
            ),
            "alpha" if self.transfer == Transfer::Queries => {
                SettingNote::inactive("transfer=queries: the distilled student has no labels of its own, so α is 1")
            }
            "top_k" if self.answers != AnswerKind::Top => SettingNote::inactive("only with answers=top"),
            "top_k" if self.answers_revealed().effective(self.class_count()) == Answers::Full => {
                SettingNote::active(format!(
                    "with {} classes, the top {} probabilities give the rest too: the same as answers=full",
                    self.class_count(),
                    self.top_k.min(self.class_count())
                ))
            }
            _ => None,
        }
    }

    /// One line on what the current `answers` reveals, and what an API really gives.
    pub fn answers_line(&self) -> String {
        if self.scenario == Scenario::Text {
            return match self.answers_revealed() {
                Answers::Full => "full: with each character, the teacher's whole distribution, softened at T; no public API returns this".into(),
                Answers::Top(k) => format!(
                    "top: with each character, the log-probabilities of the teacher's {k} likeliest, as chat APIs return; the rest is one bucket, and T softens those {} numbers",
                    k + 1
                ),
                Answers::Label => "label: the text alone, as a chat API returns it; the student learns its characters by cross-entropy".into(),
            };
        }
        match self.answers_revealed() {
            Answers::Full => "full: the teacher's whole distribution, softened at T — classic distillation; no public API returns this".into(),
            Answers::Top(k) => format!(
                "top: the probabilities of the teacher's {k} most likely classes, as a chat API's top log-probabilities; the rest is one bucket, and T softens those {} numbers",
                k + 1
            ),
            Answers::Label => "label: only the teacher's answer, as a classifier API returns it; the student learns its labels by cross-entropy".into(),
        }
    }
}
