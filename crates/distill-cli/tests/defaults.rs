//! Each lab's default link shows the lab's thesis: the distilled student ahead of the baseline on
//! test accuracy, on at least 4 of 5 seeds, early in the run and at a later step too (a shortened
//! run; `cargo run --release --bin experiments` measures the whole one for EXPERIMENTS.md).

use distill_cli::assets;
use distill_cli::scenario::metrics_at;
use distill_core::QueriesFrom;
use distill_core::burn::prelude::Device;
use distill_core::params::Params;
use distill_core::run_spec::Scenario;

fn ahead_per_checkpoint(lab: Scenario, checkpoints: &[usize]) -> Vec<usize> {
    let digits = (lab == Scenario::Digits).then(|| assets::shipped_digits().expect("shipped digits"));
    let mut ahead = vec![0; checkpoints.len()];
    for seed in 1..=5 {
        let mut params = Params::for_scenario(lab);
        params.seed = seed;
        let runs = metrics_at(&params, digits.as_ref(), &Device::flex(), checkpoints).expect("a run");
        for (count, metrics) in ahead.iter_mut().zip(&runs) {
            *count += usize::from(metrics.models.student.accuracy > metrics.models.baseline.accuracy);
        }
    }
    ahead
}

#[test]
fn the_2d_default_shows_the_distilled_student_ahead() {
    let ahead = ahead_per_checkpoint(Scenario::Shapes, &[300, 1000]);
    assert!(ahead.iter().all(|&n| n >= 4), "ahead on {ahead:?} of 5 seeds at steps 300 and 1000");
}

#[test]
fn the_digits_default_shows_the_distilled_student_ahead() {
    let ahead = ahead_per_checkpoint(Scenario::Digits, &[90, 300]);
    assert!(ahead.iter().all(|&n| n >= 4), "ahead on {ahead:?} of 5 seeds at steps 90 and 300");
}

#[test]
fn uniform_queries_teach_less_than_queries_like_the_data() {
    // Random pixels look like no digit; in the plane, most uniform queries fall far from the data.
    for (lab, margin) in [(Scenario::Shapes, 0.01), (Scenario::Digits, 0.3)] {
        let steps = [if lab == Scenario::Digits { 300 } else { 1000 }];
        let accuracy = |from: QueriesFrom| {
            let digits = (lab == Scenario::Digits).then(|| assets::shipped_digits().unwrap());
            let mut params = Params::for_scenario(lab);
            params.queries_from = from;
            metrics_at(&params, digits.as_ref(), &Device::flex(), &steps).unwrap()[0].models.student.accuracy
        };
        let (data, uniform) = (accuracy(QueriesFrom::Data), accuracy(QueriesFrom::Uniform));
        assert!(data > uniform + margin, "{lab:?}: data {data} against uniform {uniform}");
    }
}
