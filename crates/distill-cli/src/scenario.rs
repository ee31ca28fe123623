//! Runs from the shell: a session built by the core's one builder from the page's settings,
//! trained with a report every few steps until done or diverged.

use distill_core::burn::prelude::Device;
use distill_core::divergence::DivergenceWatch;
use distill_core::params::Params;
use distill_core::scenario::{DigitsAssets, build};
use distill_core::{Metrics, Session};
use futures_lite::future::block_on;

pub fn session(params: &Params, digits: Option<&DigitsAssets>, device: &Device) -> Result<Session, String> {
    build(&params.run_spec(), digits, &[], device).map(|built| built.session)
}

fn watch(session: &Session) -> DivergenceWatch {
    DivergenceWatch::new(session.config(), session.specs().student.classes)
}

/// Trains until `max_steps` student steps, calling `report` with fresh metrics every `every`
/// steps (and at the end). Stops with the divergence message if the run blows up.
pub fn train(
    session: &mut Session,
    max_steps: usize,
    every: usize,
    mut report: impl FnMut(&Session, &Metrics),
) -> Result<Metrics, String> {
    let every = every.max(1);
    let mut watch = watch(session);
    loop {
        let before = session.step_count();
        session.step();
        let after = session.step_count();
        let due = after != before && (after.is_multiple_of(every) || after >= max_steps);
        let teacher_due = after == before && session.teacher_step_count().is_multiple_of(every);
        if due || teacher_due {
            let metrics = block_on(session.evaluate())?;
            if let Some(divergence) = watch.check(&metrics) {
                return Err(watch.message(&divergence));
            }
            report(session, &metrics);
            if after >= max_steps {
                return Ok(metrics);
            }
        }
    }
}

/// Trains a session from `params` and returns its metrics at each of `checkpoints`, ascending
/// student step counts; the teacher, where it trains here, trains first.
pub fn metrics_at(
    params: &Params,
    digits: Option<&DigitsAssets>,
    device: &Device,
    checkpoints: &[usize],
) -> Result<Vec<Metrics>, String> {
    let mut session = session(params, digits, device)?;
    let mut watch = watch(&session);
    let mut taken = Vec::with_capacity(checkpoints.len());
    for &checkpoint in checkpoints {
        while session.step_count() < checkpoint {
            session.step();
        }
        let metrics = block_on(session.evaluate())?;
        if let Some(divergence) = watch.check(&metrics) {
            return Err(watch.message(&divergence));
        }
        taken.push(metrics);
    }
    Ok(taken)
}
