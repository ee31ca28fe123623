//! The session a run starts from, with a student exported from the page (`--student`) loaded into
//! it, and the check of such a student (`--evaluate`).

use std::path::Path;

use super::options::Options;
use crate::{assets, scenario};
use distill_core::burn::prelude::Device;
use distill_core::run_spec::Scenario;
use distill_core::{Session, StudentScore};
use futures_lite::future::block_on;

/// A loaded student's accuracy on the test points, and what its settings file says it was.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evaluation {
    pub accuracy: f32,
    pub stated: Option<f32>,
}

/// A session built from the options' settings on the CPU, its distilled student replaced by the
/// `--student` weights when given.
pub fn session(options: &Options) -> Result<Session, String> {
    let params = &options.params;
    let digits = match params.scenario {
        Scenario::Digits => Some(assets::load_digits(&options.data, &options.teacher)?),
        // The text lab runs in `distill_text`.
        Scenario::Shapes | Scenario::Text => None,
    };
    let mut session = scenario::session(params, digits.as_ref(), &Device::flex())?;
    if let Some(path) = &options.student {
        load(&mut session, path)?;
    }
    Ok(session)
}

fn load(session: &mut Session, path: &Path) -> Result<(), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    session.load_student(&bytes).map_err(|e| {
        format!("{}: {e}; the settings (--settings FILE or flags such as --hidden) give its shape", path.display())
    })
}

/// The student's test accuracy in `session`, as the run's reports measure it.
pub fn evaluate(session: &Session, options: &Options) -> Result<Evaluation, String> {
    let metrics = block_on(session.evaluate())?;
    Ok(Evaluation {
        accuracy: metrics.models.student.accuracy,
        stated: options.settings.as_ref().and_then(|file| match file.score {
            StudentScore::TestAccuracy(accuracy) => Some(accuracy),
            StudentScore::HeldOutLoss(_) => None,
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::super::options::options;
    use super::*;
    use crate::distill::scratch_path;
    use distill_core::StudentFile;
    use distill_core::params::Params;

    fn read(args: &[&str]) -> Result<Options, String> {
        options(args.iter().map(|s| s.to_string()))
    }

    /// What the page's export buttons do, natively: a trained student's settings and weights.
    #[test]
    fn an_exported_student_evaluates_to_the_accuracy_its_file_states() {
        let mut params = Params::default();
        for (name, raw) in [("points", "200"), ("teacher_steps", "40"), ("hidden", "8"), ("seed", "4")] {
            assert_eq!(params.set(name, raw), None);
        }
        let mut trained = scenario::session(&params, None, &Device::flex()).unwrap();
        let metrics = scenario::train(&mut trained, 50, 10, |_, _| {}).unwrap();
        let accuracy = metrics.models.student.accuracy;
        let file =
            StudentFile::new(&params, trained.student_label(), metrics.step, StudentScore::TestAccuracy(accuracy));
        let (json, weights) = (scratch_path("evaluate.json"), scratch_path("evaluate.bpk"));
        std::fs::write(&json, file.to_json()).unwrap();
        std::fs::write(&weights, block_on(trained.student_weights()).unwrap()).unwrap();
        let (json, weights) = (json.to_str().unwrap(), weights.to_str().unwrap());

        let options = read(&["--settings", json, "--student", weights, "--evaluate"]).unwrap();
        assert!(options.evaluate);
        let loaded = session(&options).unwrap();
        assert_eq!(evaluate(&loaded, &options).unwrap(), Evaluation { accuracy, stated: Some(accuracy) });
        let test_ce = |session: &Session| block_on(session.evaluate()).unwrap().models.student.test_ce;
        assert_eq!(test_ce(&loaded), metrics.models.student.test_ce, "the very network that was saved");
        // Without the weights, the same settings hold an untrained student.
        let untrained = session(&read(&["--settings", json]).unwrap()).unwrap();
        assert_ne!(test_ce(&untrained), metrics.models.student.test_ce);

        // A flag that changes the student's shape no longer fits the weights.
        let error =
            session(&read(&["--settings", json, "--student", weights, "--hidden", "16"]).unwrap()).err().unwrap();
        assert!(error.contains("evaluate.bpk") && error.contains("2-16-2"), "{error}");
        std::fs::remove_file(json).unwrap();
        std::fs::remove_file(weights).unwrap();
    }
}
