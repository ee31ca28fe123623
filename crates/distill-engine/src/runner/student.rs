//! The distilled student as a file: sent to the page with the figures it reached, and loaded
//! back into a run to go on training, or to classify.

use distill_core::RunError;
use distill_core::protocol::{FromEngine, StudentExport};

use super::Engine;
use crate::messages::post;

impl Engine {
    pub(super) async fn export_student(&mut self) {
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
                test_accuracy: metrics.models.student.accuracy,
            })
        };
        match exported.await {
            Ok(student) => post(&FromEngine::Student(student)),
            Err(error) if self.moved_off_lost_gpu(&error) => {}
            Err(error) => post(&FromEngine::Notice(format!("The student could not be exported: {error}."))),
        }
    }

    pub(super) async fn load_student(&mut self, weights: Vec<u8>) {
        let Some(run) = self.run.as_mut() else {
            return post(&FromEngine::Notice("The student could not be loaded: the lab has not loaded yet.".into()));
        };
        match run.session.load_student(&weights) {
            Ok(()) => {
                let next = if run.finished() {
                    "this run has reached max_steps, so raise max_steps to train it further"
                } else {
                    "Play goes on training it"
                };
                post(&FromEngine::Notice(format!(
                    "Student loaded ({}): {next}; the figures, maps and draw pad show it now.",
                    run.session.student_label()
                )));
                if self.report(None).await {
                    self.send_maps().await;
                }
            }
            Err(error) => post(&FromEngine::Notice(format!("The student could not be loaded: {error}"))),
        }
    }
}
