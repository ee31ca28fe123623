//! A distilled student saved as a weights file and loaded into a fresh session of the same run,
//! natively on the CPU backend.

use distill_core::burn::prelude::*;
use distill_core::params::Params;
use distill_core::scenario::build;
use distill_core::{Metrics, Phase, Precision, RunError, Session};
use futures_lite::future::block_on;

/// A small 2-D run whose teacher trains for a few steps only.
fn params(hidden: &str) -> Params {
    let mut params = Params::default();
    for (name, raw) in [("points", "200"), ("teacher_steps", "40"), ("hidden", hidden), ("seed", "9")] {
        assert_eq!(params.set(name, raw), None, "{name}={raw}");
    }
    params
}

fn session(params: &Params) -> Session {
    build(&params.run_spec(), None, &Device::flex()).unwrap().session
}

/// The student's trained for `steps` steps after the teacher.
fn trained(params: &Params, steps: usize) -> Session {
    let mut session = session(params);
    while session.phase() == Phase::Teacher || session.step_count() < steps {
        session.step();
    }
    session
}

fn evaluate(session: &Session) -> Metrics {
    block_on(session.evaluate()).unwrap()
}

fn student_logits(session: &Session) -> Vec<f32> {
    let probe = [0.1f32, -0.3, 0.7, 0.2, -0.5, -0.9, 0.0, 1.0];
    let probe = Tensor::<2>::from_data(TensorData::new(probe.to_vec(), [4, 2]), &Device::flex());
    session.student().valid().forward(probe).into_data().try_to_vec::<f32>().unwrap()
}

#[test]
fn a_saved_student_loads_into_a_fresh_session_with_the_same_predictions() {
    let params = params("16");
    let original = trained(&params, 40);
    let saved = evaluate(&original);
    let bytes = block_on(original.student_weights()).unwrap();

    let mut fresh = session(&params);
    assert_ne!(student_logits(&fresh), student_logits(&original), "a fresh student is not the trained one");
    fresh.load_student(&bytes).unwrap();
    let loaded = evaluate(&fresh);
    assert_eq!(student_logits(&fresh), student_logits(&original));
    assert_eq!(loaded.models.student.accuracy, saved.models.student.accuracy);
    assert_eq!(loaded.models.student.per_class, saved.models.student.per_class);
    assert_eq!(loaded.models.student.test_ce, saved.models.student.test_ce);
    assert_eq!(loaded.step, 0, "the fresh session's step count stays");
}

#[test]
fn a_loaded_student_keeps_its_steps_forgets_its_loss_and_learns_on() {
    let params = params("16");
    let mut session = trained(&params, 30);
    let bytes = block_on(session.student_weights()).unwrap();
    assert!(evaluate(&session).models.student.loss.is_some());
    session.load_student(&bytes).unwrap();
    let reloaded = evaluate(&session);
    assert_eq!(reloaded.step, 30);
    assert_eq!((reloaded.models.student.loss, reloaded.loss_soft), (None, None));
    let before = student_logits(&session);
    for _ in 0..5 {
        session.step();
    }
    assert_eq!(session.step_count(), 35);
    assert_ne!(student_logits(&session), before, "the loaded student did not learn");
}

#[test]
fn a_half_precision_file_loads_close_to_the_original() {
    let params = params("16");
    let original = trained(&params, 40);
    let mut fresh = session(&params);
    fresh.load_student(&original.student().to_bytes(Precision::Half).unwrap()).unwrap();
    let full = block_on(original.student_weights()).unwrap();
    let half = original.student().to_bytes(Precision::Half).unwrap();
    assert!(half.len() < full.len(), "{} bytes at half precision, {} at full", half.len(), full.len());
    for (loaded, trained) in student_logits(&fresh).iter().zip(student_logits(&original)) {
        assert!((loaded - trained).abs() < 0.05 * (1.0 + trained.abs()), "{loaded} against {trained}");
    }
}

#[test]
fn weights_of_another_shape_or_no_weights_at_all_are_errors() {
    let narrower = block_on(trained(&params("8"), 5).student_weights()).unwrap();
    let mut session = session(&params("16"));
    let before = student_logits(&session);
    let error = session.load_student(&narrower).unwrap_err();
    assert!(matches!(&error, RunError::SavedState(why) if why.contains("2-16-2")), "{error}");
    for damaged in
        [Vec::new(), b"{\"format\": \"distill-lab-student\"}".to_vec(), narrower[..narrower.len() / 2].to_vec()]
    {
        let error = session.load_student(&damaged).unwrap_err();
        assert!(matches!(&error, RunError::SavedState(why) if why.contains("weights")), "{error}");
    }
    assert_eq!(student_logits(&session), before, "a failed load changes nothing");
}
