//! The reference workloads that need the core: W1 (one distillation step) and W2 (time to
//! accuracy on digits). The clock is passed in: `std::time` does not exist in a browser.

use burn::prelude::*;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde::{Deserialize, Serialize};

use crate::config::{MlpSpec, OptimizerKind};
use crate::divergence::DivergenceWatch;
use crate::loss::{distillation_loss_from_log_probs, softened};
pub use crate::protocol::W1Report;
use crate::session::Session;
use crate::session::learner::{descend, optimizer};

/// W1: a 784-128-10 student, batches of 128, the teacher's log-probabilities at T precomputed (as
/// a session's are), T = 4, α = 0.9, Adam at 1e-3; the loss is read back every `W1_READ_EVERY` steps.
pub const W1_BATCH: usize = 128;
pub const W1_READ_EVERY: usize = 10;
const W1_TEMPERATURE: f32 = 4.0;

/// How long W1 warms up and how long it is timed, each at least as long as the other bound says.
/// Time, not a step count, bounds the warm-up: a browser first runs the engine's wasm on its
/// baseline compiler and swaps in optimized code for the hot functions while it runs (on the
/// 2-core reference machine W1 climbs from about 40 to about 300 steps/s over its first 2.5 s),
/// so a warm-up of a few steps times a mix of the two.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct W1Plan {
    pub warm_up_ms: f64,
    pub warm_up_steps: usize,
    pub timed_ms: f64,
    pub timed_steps: usize,
}

/// The plan the page and the native `benchmark` run; the peer, `scripts/peer/w1.mjs`, mirrors it.
pub const W1_PLAN: W1Plan = W1Plan { warm_up_ms: 3000.0, warm_up_steps: 10, timed_ms: 3000.0, timed_steps: 100 };

/// Warms up, then times steps, by `plan`; each phase ends on a read-back of the loss, so the work
/// queued on a device is inside the timing.
pub async fn w1(device: &Device, now_ms: impl Fn() -> f64, plan: W1Plan) -> Result<W1Report, String> {
    let device = device.clone().autodiff();
    let mut rng = StdRng::seed_from_u64(1);
    let mut random = |len: usize, scale: f32| -> Vec<f32> { (0..len).map(|_| rng.random::<f32>() * scale).collect() };
    let inputs = Tensor::<2>::from_data(TensorData::new(random(W1_BATCH * 784, 1.0), [W1_BATCH, 784]), &device);
    let teacher_logits = Tensor::<2>::from_data(TensorData::new(random(W1_BATCH * 10, 6.0), [W1_BATCH, 10]), &device);
    let teacher_log_probs = softened(teacher_logits, W1_TEMPERATURE);
    let labels: Vec<f32> = (0..W1_BATCH).flat_map(|row| (0..10).map(move |c| f32::from(row % 10 == c))).collect();
    let labels = Tensor::<2>::from_data(TensorData::new(labels, [W1_BATCH, 10]), &device);
    let mut student = MlpSpec::new(784, vec![128], 10).init(1, &device);
    let mut adam = optimizer(OptimizerKind::Adam);
    let mut phase_started = now_ms();
    let mut warm_up = None;
    for step in 1.. {
        let logits = student.forward(inputs.clone());
        let labels = Some(labels.clone());
        let loss =
            distillation_loss_from_log_probs(logits, teacher_log_probs.clone(), labels, W1_TEMPERATURE, 0.9).total;
        let read = loss.clone().detach();
        descend(&mut student, &mut adam, loss, 1e-3);
        if step % W1_READ_EVERY != 0 {
            continue;
        }
        let data = read.into_data_async().await.map_err(|e| format!("reading the loss failed: {e:?}"))?;
        let final_loss = data.convert::<f32>().try_to_vec::<f32>().map_err(|e| format!("{e:?}"))?[0];
        let elapsed = now_ms() - phase_started;
        match warm_up {
            None if step >= plan.warm_up_steps && elapsed >= plan.warm_up_ms => {
                warm_up = Some((step, elapsed / 1000.0));
                phase_started = now_ms();
            }
            Some((warm, warm_up_seconds)) if step - warm >= plan.timed_steps && elapsed >= plan.timed_ms => {
                let steps = step - warm;
                let seconds = elapsed / 1000.0;
                return Ok(W1Report {
                    warm_up_steps: warm,
                    warm_up_seconds,
                    steps,
                    seconds,
                    steps_per_second: steps as f64 / seconds.max(1e-9),
                    final_loss,
                    dispatches_per_step: 0.0,
                    time_per_step: Default::default(),
                });
            }
            _ => {}
        }
    }
    unreachable!("the step loop returns")
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct W2Report {
    /// Seconds of training until the distilled student first reached the target, or `None`.
    pub seconds: Option<f64>,
    pub steps: usize,
    pub acc_teacher: f32,
    pub acc_student: f32,
}

/// W2: trains `session` until the distilled student's test accuracy reaches 95% of the teacher's,
/// checking every `every` steps, for at most `max_steps` steps.
pub async fn w2(
    session: &mut Session,
    now_ms: impl Fn() -> f64,
    every: usize,
    max_steps: usize,
) -> Result<W2Report, String> {
    let started = now_ms();
    let mut watch = DivergenceWatch::new(session.config(), session.specs().student.classes);
    loop {
        for _ in 0..every.max(1) {
            session.step();
        }
        let metrics = session.evaluate().await?;
        let (teacher, student) = (metrics.models.teacher.accuracy, metrics.models.student.accuracy);
        let reached = student >= 0.95 * teacher;
        if reached || metrics.step >= max_steps || watch.check(&metrics).is_some() {
            return Ok(W2Report {
                seconds: reached.then(|| (now_ms() - started) / 1000.0),
                steps: metrics.step,
                acc_teacher: teacher,
                acc_student: student,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_lite::future::block_on;

    #[test]
    fn w1_times_the_steps_and_the_loss_falls() {
        let device = Device::flex();
        let clock = std::time::Instant::now();
        let now = || clock.elapsed().as_secs_f64() * 1000.0;
        let by_steps = |timed_steps| W1Plan { warm_up_ms: 0.0, warm_up_steps: 2, timed_ms: 0.0, timed_steps };
        let short = block_on(w1(&device, now, by_steps(10))).unwrap();
        let long = block_on(w1(&device, now, by_steps(60))).unwrap();
        // Each phase ends on a read-back, every 10 steps.
        assert_eq!((short.warm_up_steps, short.steps, long.steps), (10, 10, 60));
        assert!(short.seconds > 0.0 && long.seconds > short.seconds);
        assert!(long.final_loss.is_finite() && long.final_loss < short.final_loss, "{short:?} {long:?}");
    }

    #[test]
    fn w1_warms_up_and_times_for_at_least_the_plans_time() {
        let device = Device::flex();
        let clock = std::time::Instant::now();
        let now = || clock.elapsed().as_secs_f64() * 1000.0;
        let plan = W1Plan { warm_up_ms: 150.0, warm_up_steps: 1, timed_ms: 200.0, timed_steps: 1 };
        let report = block_on(w1(&device, now, plan)).unwrap();
        assert!(report.seconds >= 0.2, "{report:?}");
        assert!(report.warm_up_steps % 10 == 0 && report.steps % 10 == 0, "{report:?}");
        assert!(clock.elapsed().as_secs_f64() >= 0.35, "{report:?}");
    }
}
