//! A session built from the same settings as the page's URL: 2-D shapes generated from the seed,
//! or the shipped digits with the shipped teacher.

use std::path::Path;

use distill_core::burn::prelude::Device;
use distill_core::data::{Digits, Split, digits};
use distill_core::params::Params;
use distill_core::{Metrics, Session};
use futures_lite::future::block_on;

/// The digits split and the teacher's weights, read once and shared by every session.
pub struct DigitsAssets {
    pub split: Split,
    pub teacher_weights: Vec<u8>,
}

impl DigitsAssets {
    pub fn load(digits_file: &Path, teacher_file: &Path) -> Result<Self, String> {
        let bytes = crate::assets::read(digits_file)?;
        let split = Digits::decode(&bytes).map_err(|e| format!("{}: {e}", digits_file.display()))?.split();
        let teacher_weights = std::fs::read(teacher_file).map_err(|e| format!("{}: {e}", teacher_file.display()))?;
        Ok(Self { split, teacher_weights })
    }
}

pub fn session(params: &Params, digits_assets: Option<&DigitsAssets>, device: &Device) -> Result<Session, String> {
    let config = params.session_config();
    match (params.choice("scenario"), digits_assets) {
        ("digits", Some(assets)) => {
            Session::with_teacher(config, &assets.split, &digits::teacher_spec(), &assets.teacher_weights, device)
        }
        ("digits", None) => Err("the digits scenario needs the digits and teacher files".into()),
        _ => Ok(Session::new(config, &params.shapes_split(), device)),
    }
}

/// Trains until `max_steps` student steps, calling `report` with fresh metrics every `every`
/// steps (and at the end). Stops with an error if the losses stop being finite.
pub fn train(
    session: &mut Session,
    max_steps: usize,
    every: usize,
    mut report: impl FnMut(&Session, &Metrics),
) -> Result<Metrics, String> {
    let every = every.max(1);
    loop {
        let before = session.step_count();
        session.step();
        let after = session.step_count();
        let due = after != before && (after % every == 0 || after >= max_steps);
        let teacher_due = after == before && session.teacher_step_count() % every == 0;
        if due || teacher_due {
            let metrics = block_on(session.evaluate())?;
            if metrics.diverged() {
                return Err(format!(
                    "training diverged at step {after}: a loss became NaN, infinite or huge; lower --lr"
                ));
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
    digits_assets: Option<&DigitsAssets>,
    device: &Device,
    checkpoints: &[usize],
) -> Result<Vec<Metrics>, String> {
    let mut session = session(params, digits_assets, device)?;
    let mut taken = Vec::with_capacity(checkpoints.len());
    for &checkpoint in checkpoints {
        while session.step_count() < checkpoint {
            session.step();
        }
        let metrics = block_on(session.evaluate())?;
        if metrics.diverged() {
            return Err(format!("training diverged before step {checkpoint}"));
        }
        taken.push(metrics);
    }
    Ok(taken)
}
