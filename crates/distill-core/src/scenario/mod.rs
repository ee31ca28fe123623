//! One way to build a run: a [`RunSpec`] and, for the digits lab, its assets become a session and
//! what the page draws of its data. The engine, the shell and the tests all build here; they only
//! fetch or read the files.

mod digits_assets;

use burn::prelude::*;

pub use digits_assets::{DIGITS_PATH, DigitsAssets, TEACHER_PATH};

use crate::data::{Points, Split, digits};
use crate::error::RunError;
use crate::protocol::{DigitsView, PointsView};
use crate::run_spec::{RunSpec, ScenarioSpec};
use crate::session::Session;

/// The digits lab shows this many of the distilled student's queries.
pub const QUERIES_SHOWN: usize = 8;

pub struct Built {
    pub session: Session,
    /// The 2-D lab's points, to draw over its maps.
    pub points: Option<PointsView>,
    /// The digits lab's gallery.
    pub digits: Option<DigitsView>,
}

/// A session for `spec` on `device`: the 2-D data it describes (the user's added points among
/// the training points), or the shipped digits with the shipped teacher (`digits`, which
/// the digits lab needs), watching the gallery's digits.
pub fn build(spec: &RunSpec, digits: Option<&DigitsAssets>, device: &Device) -> Result<Built, RunError> {
    match &spec.scenario {
        ScenarioSpec::Shapes(shapes) => {
            let split = shapes.split(&spec.session);
            let session = Session::new(spec.session.clone(), &split, device);
            let queries = crate::session::queries_asked(&spec.session, &split, usize::MAX);
            let points = points_view(&split, session.labelled_rows(), &queries);
            Ok(Built { session, points: Some(points), digits: None })
        }
        ScenarioSpec::Digits => {
            let assets = digits.ok_or_else(|| {
                RunError::Assets("The digits lab needs the digits data and the digits teacher.".into())
            })?;
            let mut session = Session::with_teacher(
                spec.session.clone(),
                &assets.split,
                &digits::teacher_spec(),
                &assets.teacher_weights,
                device,
            )
            .map_err(|e| RunError::Assets(format!("The digits teacher could not be used: {}.", e.message())))?;
            session.watch(&assets.gallery_rows);
            let mut gallery = assets.gallery.clone();
            let asked = crate::session::queries_asked(&spec.session, &assets.split, QUERIES_SHOWN);
            gallery.queries = asked.iter().map(|&v| (v * 255.0).round().clamp(0.0, 255.0) as u8).collect();
            Ok(Built { session, points: None, digits: Some(gallery) })
        }
        ScenarioSpec::Text(_) => Err(RunError::Engine("the text lab builds its runs in text_lab::run".into())),
    }
}

fn points_view(split: &Split, labelled_rows: &[usize], queries: &[f32]) -> PointsView {
    let pairs = |points: &Points| points.features.chunks_exact(2).map(|p| [p[0], p[1]]).collect();
    let labels = |points: &Points| points.labels.iter().map(|&l| l as u8).collect();
    let mut labelled = vec![false; split.train.len()];
    labelled_rows.iter().for_each(|&row| labelled[row] = true);
    PointsView {
        classes: split.train.classes,
        train: pairs(&split.train),
        train_labels: labels(&split.train),
        labelled,
        test: pairs(&split.test),
        test_labels: labels(&split.test),
        queries: queries.chunks_exact(2).map(|p| [p[0], p[1]]).collect(),
    }
}
