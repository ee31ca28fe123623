//! The one training loop's parts, shared by the engine and the shell: steps up to the run's
//! `max_steps`, and a report read back and checked for divergence. Callers decide only when a
//! report is due (the engine after each chunk, the shell every few steps).

use crate::Metrics;
use crate::divergence::DivergenceWatch;
use crate::error::RunError;
use crate::session::Session;

/// What one read-back found.
#[derive(Debug, Clone, PartialEq)]
pub enum Report {
    Figures(Box<Metrics>),
    /// The run blew up: the message says what to change.
    Diverged(String),
}

/// Trains one session (build a fresh one for each session).
#[derive(Debug, Clone)]
pub struct Trainer {
    watch: DivergenceWatch,
    max_steps: usize,
}

impl Trainer {
    pub fn new(session: &Session, max_steps: usize) -> Self {
        Self { watch: DivergenceWatch::new(session.config(), session.specs().student.classes), max_steps }
    }

    /// The students have taken `max_steps` steps.
    pub fn finished(&self, session: &Session) -> bool {
        session.step_count() >= self.max_steps
    }

    /// Trains up to `steps` steps (the teacher's, then the students'), never past `max_steps`;
    /// returns how many it took.
    pub fn train(&self, session: &mut Session, steps: usize) -> usize {
        let mut taken = 0;
        while taken < steps && !self.finished(session) {
            session.step();
            taken += 1;
        }
        taken
    }

    /// Reads the figures back and checks them for divergence.
    pub async fn report(&mut self, session: &Session) -> Result<Report, RunError> {
        let metrics = session.evaluate().await?;
        Ok(match self.watch.check(&metrics) {
            Some(divergence) => Report::Diverged(self.watch.message(&divergence)),
            None => Report::Figures(Box::new(metrics)),
        })
    }
}
