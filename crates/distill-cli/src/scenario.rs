//! Runs from the shell: a session built by the core's one builder from the page's settings,
//! trained with a report every few steps until done or diverged.

use distill_core::burn::prelude::Device;
use distill_core::params::Params;
use distill_core::scenario::{DigitsAssets, build};
use distill_core::trainer::{Report, Trainer};
use distill_core::{Metrics, Session};
use futures_lite::future::block_on;

pub fn session(params: &Params, digits: Option<&DigitsAssets>, device: &Device) -> Result<Session, String> {
    Ok(build(&params.run_spec(), digits, device)?.session)
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
    let mut trainer = Trainer::new(session, max_steps);
    loop {
        let before = session.step_count();
        trainer.train(session, 1);
        let after = session.step_count();
        let due = after != before && (after.is_multiple_of(every) || after >= max_steps);
        let teacher_due = after == before && session.teacher_step_count().is_multiple_of(every);
        if due || teacher_due {
            let metrics = figures(&mut trainer, session)?;
            report(session, &metrics);
            if trainer.finished(session) {
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
    let mut trainer = Trainer::new(&session, checkpoints.last().copied().unwrap_or(0));
    let mut taken = Vec::with_capacity(checkpoints.len());
    for &checkpoint in checkpoints {
        while session.step_count() < checkpoint {
            trainer.train(&mut session, 1);
        }
        taken.push(figures(&mut trainer, &session)?);
    }
    Ok(taken)
}

/// The session's figures, or the divergence message.
fn figures(trainer: &mut Trainer, session: &Session) -> Result<Metrics, String> {
    match block_on(trainer.report(session))? {
        Report::Figures(metrics) => Ok(*metrics),
        Report::Diverged(message) => Err(message),
    }
}
