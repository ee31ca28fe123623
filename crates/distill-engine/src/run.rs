//! The run the engine holds: its spec, session and clocks, how it trains a chunk, reports, and
//! moves to another device from its last checkpoint. Plain Rust over the core, tested natively;
//! the worker around it only carries messages.

use distill_core::burn::prelude::Device;
use distill_core::protocol::{DigitsView, PointsView};
use distill_core::run_spec::RunSpec;
use distill_core::scenario::{Built, DigitsAssets, build};
pub use distill_core::trainer::Report;
use distill_core::trainer::Trainer;
use distill_core::{Checkpoint, RunError, Session};

use crate::schedule::{CheckpointClock, ChunkSizer, MapThrottle, RateMeter};

/// `debug=lose-gpu` destroys the WebGPU device once this many steps (teacher's and students')
/// are done.
pub const LOSE_GPU_AT_STEP: usize = 20;

pub struct Run {
    pub spec: RunSpec,
    pub session: Session,
    trainer: Trainer,
    pub chunk: ChunkSizer,
    pub maps: MapThrottle,
    pub rate: RateMeter,
    checkpoints: CheckpointClock,
    checkpoint: Option<Checkpoint>,
    /// Where the lose-gpu hook fires, while it has not.
    pub lose_gpu_at: Option<usize>,
    /// The bad-drawing hook cuts a pixel off the first drawing classified, while it has not.
    pub bad_drawing_due: bool,
}

/// What the page draws of a fresh run's data.
pub struct View {
    pub points: Option<PointsView>,
    pub digits: Option<DigitsView>,
}

impl Run {
    /// A fresh run of `spec` on `device`, with its session and what the page draws of its data.
    pub fn start(spec: RunSpec, digits: Option<&DigitsAssets>, device: &Device) -> Result<(Run, View), RunError> {
        let Built { session, points, digits } = build(&spec, digits, device)?;
        let trainer = Trainer::new(&session, spec.max_steps);
        let run = Run {
            lose_gpu_at: spec.hooks.lose_gpu.then_some(LOSE_GPU_AT_STEP),
            bad_drawing_due: spec.hooks.bad_drawing,
            spec,
            session,
            trainer,
            chunk: ChunkSizer::starting(*device != Device::flex()),
            maps: MapThrottle::default(),
            rate: RateMeter::default(),
            checkpoints: CheckpointClock::default(),
            checkpoint: None,
        };
        Ok((run, View { points, digits }))
    }

    /// A run of `spec` on `device` that continues from `checkpoint`, taken by another engine on
    /// the same spec: the same steps, weights and batch order.
    pub fn resumed(
        spec: RunSpec,
        digits: Option<&DigitsAssets>,
        device: &Device,
        checkpoint: &Checkpoint,
    ) -> Result<Run, RunError> {
        let (mut run, _) = Run::start(spec, digits, device)?;
        run.session.restore(checkpoint)?;
        // The page's GPU-loss hook fired in the other engine already.
        run.lose_gpu_at = None;
        Ok(run)
    }

    /// The last checkpoint taken, as bytes for another engine (a run moving off a lost GPU).
    pub fn checkpoint_bytes(&self) -> Option<Result<Vec<u8>, RunError>> {
        self.checkpoint.as_ref().map(Checkpoint::to_bytes)
    }

    pub fn finished(&self) -> bool {
        self.trainer.finished(&self.session)
    }

    /// Every step so far, the teacher's and the students'.
    pub fn steps_done(&self) -> usize {
        self.session.teacher_step_count() + self.session.step_count()
    }

    /// Trains up to `steps` steps, never past `max_steps`; returns how many it took.
    pub fn train(&mut self, steps: usize) -> usize {
        self.trainer.train(&mut self.session, steps)
    }

    /// Reads the figures back, and checks them for divergence.
    pub async fn report(&mut self) -> Result<Report, RunError> {
        self.trainer.report(&self.session).await
    }

    /// Copies the session to the host when a checkpoint is due (on the GPU, where it may be lost).
    pub async fn keep_checkpoint(&mut self, now_ms: f64) {
        if !self.checkpoints.due(now_ms) {
            return;
        }
        if let Ok(checkpoint) = self.session.checkpoint().await {
            self.checkpoint = Some(checkpoint);
            self.checkpoints.taken(now_ms);
        }
    }

    /// The run continued on `device` from its last checkpoint (rebuilt from the same spec, so
    /// the curves go on); `Err` when no checkpoint was taken. Returns the checkpoint's teacher
    /// and student steps.
    pub fn resume_on(&mut self, digits: Option<&DigitsAssets>, device: &Device) -> Result<(usize, usize), RunError> {
        let checkpoint = self
            .checkpoint
            .take()
            .ok_or_else(|| RunError::SavedState("no state was saved from the device yet".into()))?;
        let mut built = build(&self.spec, digits, device)?;
        built.session.restore(&checkpoint)?;
        self.session = built.session;
        self.checkpoints = CheckpointClock::default();
        Ok((checkpoint.teacher_step(), checkpoint.step()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use distill_core::OptimizerKind;
    use distill_core::params::Params;
    use futures_lite::future::block_on;

    fn run(query: &str) -> Run {
        let (params, notices) = Params::from_query(query);
        assert!(notices.is_empty(), "{notices:?}");
        Run::start(params.run_spec(), None, &Device::flex()).unwrap().0
    }

    #[test]
    fn a_run_moves_to_another_engine_through_its_checkpoint_as_bytes() {
        let mut run = run("teacher_steps=30&max_steps=500");
        run.train(45);
        block_on(run.keep_checkpoint(1e9));
        let before = match block_on(run.report()).unwrap() {
            Report::Figures(metrics) => metrics,
            Report::Diverged(why) => panic!("{why}"),
        };
        let bytes = run.checkpoint_bytes().expect("a checkpoint was due").unwrap();
        let checkpoint = Checkpoint::from_bytes(&bytes).unwrap();
        let mut moved = Run::resumed(run.spec.clone(), None, &Device::flex(), &checkpoint).unwrap();
        assert_eq!(moved.steps_done(), 45);
        match block_on(moved.report()).unwrap() {
            Report::Figures(after) => {
                assert_eq!((after.teacher_step, after.step), (before.teacher_step, before.step));
                assert_eq!(after.models.student.accuracy, before.models.student.accuracy);
                assert_eq!(after.models.teacher.test_ce, before.models.teacher.test_ce);
            }
            Report::Diverged(why) => panic!("{why}"),
        }
        assert_eq!(moved.train(10), 10, "the moved run trains on");
    }

    #[test]
    fn a_run_trains_to_max_steps_and_no_further() {
        let mut run = run("teacher_steps=30&max_steps=25");
        let mut taken = 0;
        while !run.finished() {
            taken += run.train(40);
        }
        assert_eq!((run.session.teacher_step_count(), run.session.step_count()), (30, 25));
        assert_eq!(taken, 30 + 25, "the teacher freezes on its last step");
        assert_eq!(run.train(10), 0);
    }

    #[test]
    fn a_run_moves_to_another_device_from_its_last_checkpoint_and_keeps_going() {
        let mut run = run("teacher_steps=40&max_steps=200");
        assert!(run.resume_on(None, &Device::flex()).is_err(), "nothing saved yet");
        run.train(60);
        block_on(run.keep_checkpoint(0.0));
        let Report::Figures(saved) = block_on(run.report()).unwrap() else { panic!("diverged") };
        run.train(30);
        block_on(run.keep_checkpoint(10.0)); // not due: the state at step 60 stays the one kept
        assert_eq!(run.resume_on(None, &Device::flex()).unwrap(), (40, saved.step));
        let Report::Figures(resumed) = block_on(run.report()).unwrap() else { panic!("diverged") };
        assert_eq!(resumed.models.as_ref().map(|m| m.accuracy), saved.models.as_ref().map(|m| m.accuracy));
        run.train(50);
        assert_eq!(run.session.step_count(), saved.step + 50);
    }

    #[test]
    fn a_run_that_blows_up_says_which_setting_to_change() {
        let mut run = run("lr=100&optimizer=sgd&teacher_steps=50");
        assert_eq!(run.spec.session.optimizer, OptimizerKind::Sgd);
        let verdict = (0..40).find_map(|_| {
            run.train(50);
            match block_on(run.report()).unwrap() {
                Report::Diverged(message) => Some(message),
                Report::Figures(_) => None,
            }
        });
        let message = verdict.expect("the run diverges");
        assert!(message.contains("lr = 100") && message.contains("lower it"), "{message}");
    }
}
