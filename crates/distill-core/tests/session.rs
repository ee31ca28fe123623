//! A whole session on the spiral, natively on the CPU backend.

use distill_core::burn::prelude::*;
use distill_core::data::{ShapeKind, Split, generate};
use distill_core::{Metrics, Phase, Session, SessionConfig};
use futures_lite::future::block_on;

fn spiral_split(seed: u64) -> Split {
    Split::stratified(&generate(ShapeKind::Spiral, 400, 2, 0.05, seed), 0.5, seed)
}

fn config() -> SessionConfig {
    SessionConfig { teacher_steps: 300, ..SessionConfig::default() }
}

fn run(session: &mut Session, steps: usize) -> Metrics {
    for _ in 0..steps {
        session.step();
    }
    block_on(session.evaluate()).expect("metrics read back")
}

fn outputs(model: &distill_core::Mlp, device: &Device) -> Vec<f32> {
    let probe = Tensor::<2>::from_data(TensorData::new(vec![0.1f32, -0.3, 0.7, 0.2, -0.5, -0.9], [3, 2]), device);
    model.valid().forward(probe).into_data().try_to_vec::<f32>().unwrap()
}

#[test]
fn gradients_update_the_students_and_never_the_teacher() {
    let device = Device::flex();
    let mut session = Session::new(config(), &spiral_split(3), &device);
    run(&mut session, config().teacher_steps);
    assert_eq!(session.phase(), Phase::Distill);
    let teacher = outputs(session.teacher(), &device);
    let student = outputs(session.student(), &device);
    let baseline = outputs(session.baseline(), &device);
    assert_eq!(student, baseline, "student and baseline start from the same weights");
    run(&mut session, 20);
    assert_eq!(outputs(session.teacher(), &device), teacher, "the frozen teacher moved");
    assert_ne!(outputs(session.student(), &device), student, "the student did not learn");
    assert_ne!(outputs(session.baseline(), &device), baseline, "the baseline did not learn");
    assert_ne!(outputs(session.student(), &device), outputs(session.baseline(), &device));
}

#[test]
fn the_same_seed_gives_identical_metrics() {
    let device = Device::flex();
    let mut first = Session::new(config(), &spiral_split(5), &device);
    let mut second = Session::new(config(), &spiral_split(5), &device);
    for _ in 0..4 {
        assert_eq!(run(&mut first, 100), run(&mut second, 100));
    }
    let mut other = Session::new(SessionConfig { seed: 6, ..config() }, &spiral_split(5), &device);
    assert_ne!(run(&mut other, 400), run(&mut first, 0));
}

#[test]
fn cached_teacher_outputs_equal_recomputed_ones() {
    let device = Device::flex();
    let mut session = Session::new(config(), &spiral_split(2), &device);
    run(&mut session, config().teacher_steps + 5);
    let cached = block_on(session.cached_teacher_logits()).expect("teacher is frozen");
    let recomputed = block_on(session.recomputed_teacher_logits()).expect("teacher is frozen");
    assert_eq!(cached.len(), recomputed.len());
    for (a, b) in cached.iter().zip(&recomputed) {
        assert!((a - b).abs() < 1e-5, "{a} vs {b}");
    }
}

#[test]
fn distillation_raises_agreement_with_the_teacher_on_the_spiral() {
    let device = Device::flex();
    let config = SessionConfig { teacher_steps: 800, student_hidden: vec![16], ..SessionConfig::default() };
    let mut session = Session::new(config.clone(), &spiral_split(1), &device);
    let at_freeze = run(&mut session, config.teacher_steps);
    assert_eq!(at_freeze.step, 0);
    assert!(at_freeze.models.teacher.accuracy > 0.85, "teacher too weak: {at_freeze:?}");
    let trained = run(&mut session, 1500);
    assert!(
        trained.models.student.agreement > at_freeze.models.student.agreement + 0.15,
        "agreement {} → {}",
        at_freeze.models.student.agreement,
        trained.models.student.agreement
    );
    assert!(trained.models.student.loss.unwrap() < 1.0);
    assert!(trained.losses().all(|(_, loss)| loss.is_finite()));
}

#[test]
fn decision_maps_cover_the_grid() {
    let device = Device::flex();
    let mut session = Session::new(config(), &spiral_split(4), &device);
    run(&mut session, 50);
    let maps = block_on(session.decision_maps(20)).unwrap();
    for map in maps.as_ref().into_array() {
        assert_eq!(map.class.len(), 400);
        assert_eq!(map.confidence.len(), 400);
        assert!(map.class.iter().all(|&c| c < 2));
    }
    assert_eq!(maps.student, maps.baseline, "before distilling, student and baseline are the same network");
}

#[test]
fn a_checkpoint_resumes_with_the_same_steps_weights_and_figures() {
    let device = Device::flex();
    let split = spiral_split(4);
    for (teacher_steps, distill_steps) in [(120, 0), (300, 40)] {
        let config = SessionConfig { teacher_steps: 300, ..config() };
        let mut session = Session::new(config.clone(), &split, &device);
        let before = run(&mut session, teacher_steps + distill_steps);
        // As bytes, as it crosses to another engine; then another device, here a fresh CPU one.
        let bytes = block_on(session.checkpoint()).unwrap().to_bytes().unwrap();
        let checkpoint = distill_core::Checkpoint::from_bytes(&bytes).unwrap();
        assert!(distill_core::Checkpoint::from_bytes(&bytes[..bytes.len() / 2]).is_err());
        let mut resumed = Session::new(config, &split, &Device::flex());
        resumed.restore(&checkpoint).unwrap();
        let after = block_on(resumed.evaluate()).unwrap();
        assert_eq!((after.teacher_step, after.step, after.phase), (before.teacher_step, before.step, before.phase));
        assert_eq!(
            (after.models.teacher.accuracy, after.models.student.accuracy, after.models.baseline.accuracy),
            (before.models.teacher.accuracy, before.models.student.accuracy, before.models.baseline.accuracy)
        );
        assert_eq!(outputs(resumed.student(), &device), outputs(session.student(), &device));
        let later = run(&mut resumed, 400);
        assert_eq!(later.phase, Phase::Distill);
        assert_eq!(later.teacher_step, 300, "the teacher's own steps continue where they were, then stop");
        assert!(
            later.models.student.accuracy > after.models.student.accuracy,
            "the resumed student learns: {after:?} then {later:?}"
        );
    }
}

#[test]
fn in_query_mode_the_student_asks_about_unlabelled_points_and_the_baseline_keeps_its_own_labels() {
    use distill_core::{QueriesFrom, Transfer};
    let device = Device::flex();
    let mut split = spiral_split(2);
    // Fresh points from the same generator, their labels scrambled: the student must never read them.
    let mut unlabelled = generate(ShapeKind::Spiral, 300, 2, 0.05, 99);
    unlabelled.labels.iter_mut().for_each(|label| *label = 1 - *label);
    split.unlabelled = Some(unlabelled);
    let config = SessionConfig {
        transfer: Transfer::Queries,
        queries_from: QueriesFrom::Data,
        queries: 250,
        transfer_size: Some(20),
        ..config()
    };
    let mut session = Session::new(config.clone(), &split, &device);
    let frozen = run(&mut session, config.teacher_steps);
    assert_eq!(frozen.queries_answered, 250, "at most the budget, from the unlabelled pool");
    assert_eq!(frozen.labelled_examples, 20);
    assert_eq!(frozen.answers_used, 0);
    let later = run(&mut session, 5);
    assert_eq!(later.answers_used, 5 * config.batch_size, "one answer per query its batches covered");
    assert_eq!(run(&mut session, 20).answers_used, 250, "never more answers than were asked for");
    assert!(later.loss_hard.is_none(), "the student never sees a label");

    // The same run with the pool's labels flipped back gives the same student: they were never read.
    let mut relabelled = spiral_split(2);
    relabelled.unlabelled = Some(generate(ShapeKind::Spiral, 300, 2, 0.05, 99));
    let mut twin = Session::new(config.clone(), &relabelled, &device);
    run(&mut twin, config.teacher_steps + 25);
    assert_eq!(outputs(twin.student(), &device), outputs(session.student(), &device));

    // Uniform queries ignore the pool: the whole plane instead.
    let uniform = SessionConfig { queries_from: QueriesFrom::Uniform, ..config.clone() };
    let mut session = Session::new(uniform.clone(), &split, &device);
    assert_eq!(run(&mut session, uniform.teacher_steps).queries_answered, 250);
}

#[test]
fn the_queries_the_page_draws_are_the_pools_or_the_planes_and_none_without_queries() {
    use distill_core::session::queries_asked;
    use distill_core::{QueriesFrom, Transfer};
    let mut split = spiral_split(2);
    let unlabelled = generate(ShapeKind::Spiral, 300, 2, 0.05, 99);
    split.unlabelled = Some(unlabelled.clone());
    let config =
        SessionConfig { transfer: Transfer::Queries, queries_from: QueriesFrom::Data, queries: 250, ..config() };
    let asked = queries_asked(&config, &split, usize::MAX);
    assert_eq!(asked.len(), 250 * 2);
    let pool: Vec<&[f32]> = unlabelled.features.chunks_exact(2).collect();
    assert!(asked.chunks_exact(2).all(|q| pool.contains(&q)), "every query is a point of the unlabelled pool");
    assert_eq!(asked, queries_asked(&config, &split, usize::MAX), "the same seed asks the same");
    assert_ne!(asked, queries_asked(&SessionConfig { seed: 7, ..config.clone() }, &split, usize::MAX));

    let uniform_config = SessionConfig { queries_from: QueriesFrom::Uniform, ..config.clone() };
    let uniform = queries_asked(&uniform_config, &split, usize::MAX);
    assert_eq!(uniform.len(), 250 * 2);
    assert!(uniform.iter().all(|v| (-1.0..1.0).contains(v)), "anywhere in the visible plane");
    assert!(!uniform.chunks_exact(2).all(|q| pool.contains(&q)));

    // A few of them are the first few, whichever the source.
    assert_eq!(queries_asked(&config, &split, 8), asked[..16]);
    assert_eq!(queries_asked(&uniform_config, &split, 8), uniform[..16]);

    assert!(queries_asked(&SessionConfig { transfer: Transfer::Train, ..config }, &split, usize::MAX).is_empty());
}

#[test]
fn inference_is_timed_per_input_for_both_models() {
    let session = Session::new(config(), &spiral_split(1), &Device::flex());
    let started = std::time::Instant::now();
    let [teacher, student] =
        block_on(session.inference_ms_per_input(|| started.elapsed().as_secs_f64() * 1000.0, 3)).unwrap();
    assert!(teacher > 0.0 && student > 0.0, "{teacher} ms, {student} ms per input");
}

#[test]
fn inference_is_timed_even_with_a_coarse_clock() {
    // A browser worker's clock may tick in steps of 0.1 ms: longer than one pass of a tiny student.
    let session = Session::new(config(), &spiral_split(1), &Device::flex());
    let started = std::time::Instant::now();
    let coarse = || (started.elapsed().as_secs_f64() * 10_000.0).floor() / 10.0;
    let [teacher, student] = block_on(session.inference_ms_per_input(coarse, 3)).unwrap();
    assert!(teacher > 0.0 && student > 0.0, "{teacher} ms, {student} ms per input");
}

#[test]
fn inference_is_timed_even_when_one_sample_is_slowed() {
    // A busy machine may stall a sample: here each of the clock's first 4 readings comes 5 ms late,
    // so both models' first samples look long. Later samples must still last long enough to read
    // on a 1 ms clock.
    let session = Session::new(config(), &spiral_split(1), &Device::flex());
    let started = std::time::Instant::now();
    let readings = std::cell::Cell::new(0);
    let stalled = || {
        readings.set(readings.get() + 1);
        let stall = 5.0 * readings.get().min(4) as f64;
        (started.elapsed().as_secs_f64() * 1000.0).floor() + stall
    };
    let [teacher, student] = block_on(session.inference_ms_per_input(stalled, 3)).unwrap();
    assert!(teacher > 0.0 && student > 0.0, "{teacher} ms, {student} ms per input");
}

#[test]
fn an_input_is_classified_by_each_model_by_role_and_a_bad_one_is_an_error() {
    let device = Device::flex();
    let mut session = Session::new(config(), &spiral_split(4), &device);
    run(&mut session, config().teacher_steps + 20);
    let logits = block_on(session.classify(&[0.1, -0.3])).expect("classified");
    let probe = Tensor::<2>::from_data(TensorData::new(vec![0.1f32, -0.3], [1, 2]), &device);
    let by = |model: &distill_core::Mlp| model.valid().forward(probe.clone()).into_data().try_to_vec::<f32>().unwrap();
    assert_eq!(logits.teacher, by(session.teacher()));
    assert_eq!(logits.student, by(session.student()));
    assert_eq!(logits.baseline, by(session.baseline()));
    assert_ne!(logits.student, logits.baseline, "the two students differ after 20 steps");
    for bad in [vec![0.1], vec![0.1, f32::NAN]] {
        let error = block_on(session.classify(&bad)).expect_err("a bad input");
        assert!(!error.is_device_lost(), "{error}");
    }
}
