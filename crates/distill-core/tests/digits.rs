//! The shipped digits and teacher, and sessions on them, natively on the CPU backend.

use std::io::Read;
use std::path::PathBuf;

use distill_core::burn::prelude::*;
use distill_core::data::{Digits, Split, digits};
use distill_core::{BiasShift, Metrics, Mlp, RunError, Session, SessionConfig};
use futures_lite::future::block_on;

fn asset(path: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../www").join(path);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn split() -> Split {
    let mut digits = Vec::new();
    flate2::read::GzDecoder::new(asset("data/digits.bin.gz").as_slice()).read_to_end(&mut digits).expect("gzip");
    Digits::decode(&digits).expect("the shipped digits decode").split()
}

fn teacher_weights() -> Vec<u8> {
    asset("models/digits-teacher.bpk")
}

fn config() -> SessionConfig {
    SessionConfig { student_hidden: vec![64], learning_rate: 1e-3, batch_size: 128, ..SessionConfig::default() }
}

fn session(config: SessionConfig, split: &Split) -> Session {
    Session::with_teacher(config, split, &digits::teacher_spec(), &teacher_weights(), &Device::flex())
        .expect("the shipped teacher loads")
}

fn run(session: &mut Session, steps: usize) -> Metrics {
    for _ in 0..steps {
        session.step();
    }
    block_on(session.evaluate()).expect("metrics read back")
}

#[test]
fn the_split_is_fixed_and_stratified_8000_to_2000() {
    let split = split();
    assert_eq!((split.train.len(), split.test.len()), (8000, 2000));
    assert_eq!(split.train.dims, 784);
    for class in 0..10 {
        let train = split.train.labels.iter().filter(|&&l| l == class).count() as f32;
        let test = split.test.labels.iter().filter(|&&l| l == class).count() as f32;
        assert!((train / (train + test) - 0.8).abs() < 0.001, "class {class}: {train} / {test}");
    }
    assert_eq!(split, self::split());
}

#[test]
fn the_shipped_teacher_loads_from_bytes_and_reaches_its_stated_accuracy() {
    let split = split();
    let teacher = Mlp::from_bytes(&digits::teacher_spec(), &teacher_weights(), &Device::flex()).unwrap();
    let inputs = Tensor::<2>::from_data(TensorData::new(split.test.features.clone(), [2000, 784]), &Device::flex());
    let predicted = teacher.forward(inputs).argmax(1).into_data().convert::<i64>().try_to_vec::<i64>().unwrap();
    let correct = predicted.iter().zip(&split.test.labels).filter(|(p, l)| **p as usize == **l).count();
    assert!(correct >= 1950, "the teacher gets only {correct} of 2000 test digits right");
}

#[test]
fn damaged_or_mismatched_weights_are_errors_not_panics() {
    let weights = teacher_weights();
    let device = Device::flex();
    let spec = digits::teacher_spec();
    let mut flipped = weights.clone();
    flipped[weights.len() / 3..weights.len() / 3 + 64].fill(0xFF);
    let cases: [(&str, Vec<u8>); 4] = [
        ("empty", Vec::new()),
        ("truncated", weights[..weights.len() / 2].to_vec()),
        ("header only", weights[..40.min(weights.len())].to_vec()),
        ("not a record", b"<!doctype html><title>404</title>".to_vec()),
    ];
    for (what, bytes) in cases {
        let result = std::panic::catch_unwind(|| Mlp::from_bytes(&spec, &bytes, &device).map(|_| ()));
        let error = result.unwrap_or_else(|_| panic!("{what}: panicked")).expect_err(what);
        assert!(matches!(&error, RunError::SavedState(why) if why.contains("weights")), "{what}: {error}");
    }
    // Bytes damaged inside the tensor data still load (a record has no checksum) but must not panic.
    let _ = std::panic::catch_unwind(|| Mlp::from_bytes(&spec, &flipped, &device).map(|_| ())).expect("no panic");
    let other = distill_core::MlpSpec::new(784, vec![64], 10);
    let error = Mlp::from_bytes(&other, &weights, &device).expect_err("a 784-64-10 network is not the teacher");
    assert!(matches!(&error, RunError::SavedState(why) if why.contains("784-64-10")), "{error}");
}

#[test]
fn weights_damaged_inside_their_data_are_caught_by_the_teachers_accuracy() {
    let split = split();
    let weights = teacher_weights();
    let mut flipped = weights.clone();
    flipped[weights.len() / 3..weights.len() / 3 + 64].fill(0xFF);
    let evaluate = |bytes: &[u8]| {
        let session = Session::with_teacher(config(), &split, &digits::teacher_spec(), bytes, &Device::flex()).unwrap();
        block_on(session.evaluate()).unwrap().models.teacher.accuracy
    };
    digits::check_teacher_accuracy(evaluate(&weights)).expect("the shipped teacher passes");
    let error = digits::check_teacher_accuracy(evaluate(&flipped)).expect_err("damaged weights are caught");
    assert!(error.contains("damaged"), "{error}");
}

#[test]
fn watched_rows_report_all_three_predictions() {
    let split = split();
    let mut session = session(config(), &split);
    let rows = Digits::gallery_rows(&split.test.labels, 10, 3);
    assert_eq!(rows.len(), 30);
    session.watch(&rows);
    let metrics = run(&mut session, 5);
    assert_eq!(metrics.watched.len(), 30);
    let teacher_right =
        rows.iter().zip(&metrics.watched).filter(|(row, p)| p.teacher as usize == split.test.labels[**row]);
    assert!(teacher_right.count() >= 27, "{:?}", metrics.watched);
}

#[test]
fn a_left_out_class_never_reaches_the_transfer_set() {
    let split = split();
    let settings = SessionConfig { omit: Some(3), bias_shift: BiasShift::Auto, ..config() };
    let session = session(settings, &split);
    let threes = split.train.labels.iter().filter(|&&l| l == 3).count();
    assert!(!session.transfer_labels().contains(&3));
    assert_eq!(session.calibration_len(), 200);
    assert_eq!(session.transfer_labels().len(), 8000 - threes - (200 - 20));

    let small = SessionConfig { transfer_size: Some(500), omit: Some(7), ..config() };
    let session = self::session(small, &split);
    assert_eq!(session.transfer_labels().len(), 500);
    assert!(!session.transfer_labels().contains(&7));
}

#[test]
fn with_alpha_one_the_labels_are_never_read() {
    let split = split();
    let mut scrambled = split.clone();
    for label in &mut scrambled.train.labels {
        *label = (*label + 3) % 10;
    }
    let settings = SessionConfig { alpha: 1.0, transfer_size: Some(600), ..config() };
    let mut honest = session(settings.clone(), &split);
    let mut misled = session(settings, &scrambled);
    let (a, b) = (run(&mut honest, 30), run(&mut misled, 30));
    assert_eq!(a.models.student.accuracy, b.models.student.accuracy);
    assert_eq!(a.loss_soft, b.loss_soft);
    assert_eq!(a.models.student.kl, b.models.student.kl);
    assert_ne!(
        a.models.baseline.accuracy, b.models.baseline.accuracy,
        "the baseline, which does read labels, should differ"
    );
}

#[test]
fn a_short_run_of_the_distilled_784_64_10_student_passes_90_percent() {
    let split = split();
    let mut session = session(config(), &split);
    let metrics = run(&mut session, 1000);
    assert!(metrics.models.teacher.accuracy > 0.975, "{metrics:?}");
    assert!(
        metrics.models.student.accuracy > 0.90,
        "the distilled student reached only {}",
        metrics.models.student.accuracy
    );
    assert!(metrics.models.student.kl.is_finite() && metrics.models.student.kl > 0.0);
    assert_eq!(metrics.models.student.per_class.len(), 10);
}

#[test]
fn the_bias_shift_recovers_a_left_out_class() {
    let split = split();
    let settings = SessionConfig { omit: Some(3), bias_shift: BiasShift::Auto, ..config() };
    let mut session = session(settings, &split);
    let metrics = run(&mut session, 800);
    assert!(metrics.bias_shift > 0.0, "{metrics:?}");
    assert!(
        metrics.models.student.per_class[3] > metrics.per_class_student_unshifted[3],
        "3s right: {} with the shift, {} without",
        metrics.models.student.per_class[3],
        metrics.per_class_student_unshifted[3]
    );
    let manual = SessionConfig { omit: Some(3), bias_shift: BiasShift::Manual(2.5), ..self::config() };
    let metrics = run(&mut self::session(manual, &split), 50);
    assert_eq!(metrics.bias_shift, 2.5);
}
