//! The distilled student as a file: sent to the page with the figures it reached, and loaded
//! back into a run to go on training, or to classify or write.

use distill_core::protocol::{FromEngine, StudentExport};
use distill_core::text_lab::student::STUDENT;
use distill_core::{RunError, StudentScore};

use super::Engine;
use crate::backend;
use crate::messages::post;

impl Engine {
    pub(super) async fn export_student(&mut self) {
        if self.text.is_some() {
            return self.export_text_student().await;
        }
        let Some(run) = self.run.as_ref() else {
            return post(&FromEngine::Notice("There is no student to export yet; wait for the lab to load.".into()));
        };
        let session = &run.session;
        // Weights and accuracy are read together, so the file states what these weights score.
        let exported = async {
            let weights = session.student_weights().await?;
            let metrics = session.evaluate().await?;
            Ok::<_, RunError>(StudentExport {
                weights,
                label: session.student_label(),
                step: session.step_count(),
                score: StudentScore::TestAccuracy(metrics.models.student.accuracy),
            })
        };
        match exported.await {
            Ok(student) => post(&FromEngine::Student(student)),
            Err(error) if self.moved_off_lost_gpu(&error) => {}
            Err(error) => post(&FromEngine::Notice(format!("The student could not be exported: {error}."))),
        }
    }

    /// The text lab's distilled student, with its held-out loss measured now, from the same
    /// weights.
    async fn export_text_student(&mut self) {
        if !self.gpu_usable() {
            return;
        }
        let Some(runner) = self.text.as_mut() else { return };
        let run = &mut runner.run;
        let exported = async {
            let weights = run.session.student_weights().await?;
            run.measure().await?;
            let figures = run.figures().await?;
            Ok::<_, RunError>(StudentExport {
                weights,
                label: STUDENT.label(),
                step: figures.step,
                score: StudentScore::HeldOutLoss(figures.held_out.student),
            })
        };
        match exported.await {
            // The card shows the loss the file states.
            Ok(student) => {
                post(&FromEngine::Student(student));
                self.report_text(None).await;
            }
            Err(error) if error.lost_device(backend::device_lost).is_some() => self.fail_text(error),
            Err(error) => post(&FromEngine::Notice(format!("The student could not be exported: {error}."))),
        }
    }

    pub(super) async fn load_student(&mut self, weights: Vec<u8>) {
        if self.text.is_some() {
            return self.load_text_student(weights).await;
        }
        let Some(run) = self.run.as_mut() else {
            return post(&FromEngine::Notice("The student could not be loaded: the lab has not loaded yet.".into()));
        };
        match run.session.load_student(&weights) {
            Ok(()) => {
                post(&FromEngine::Notice(format!(
                    "Student loaded ({}): {}; the figures, maps and draw pad show it now.",
                    run.session.student_label(),
                    next_for_loaded(run.finished())
                )));
                if self.report(None).await {
                    self.send_maps().await;
                }
            }
            Err(error) => post(&FromEngine::Notice(format!("The student could not be loaded: {error}"))),
        }
    }

    /// Into the text lab's run: measured and reported at once, so that the card, the charts
    /// and the panels show it.
    async fn load_text_student(&mut self, weights: Vec<u8>) {
        if !self.gpu_usable() {
            return;
        }
        let Some(runner) = self.text.as_mut() else { return };
        match runner.run.load_student(&weights) {
            Ok(()) => {
                post(&FromEngine::Notice(format!(
                    "Student loaded ({}): {}; its held-out loss and its panel show it now.",
                    STUDENT.label(),
                    next_for_loaded(runner.run.finished())
                )));
                self.report_text(None).await;
            }
            Err(error) => post(&FromEngine::Notice(format!("The student could not be loaded: {error}"))),
        }
    }
}

/// What a loaded student does next.
fn next_for_loaded(finished: bool) -> &'static str {
    if finished {
        "this run has reached max_steps, so raise max_steps to train it further"
    } else {
        "Play goes on training it"
    }
}
