//! Each lab's default link shows the lab's thesis: the distilled student ahead of the baseline on
//! test accuracy, on at least 4 of 5 seeds, early in the run and at a later step too (a shortened
//! run; `cargo run --release --bin experiments` measures the whole one for EXPERIMENTS.md).

use distill_cli::assets;
use distill_cli::scenario::{DigitsAssets, metrics_at};
use distill_core::burn::prelude::Device;
use distill_core::params::Params;

fn ahead_per_checkpoint(lab: &str, checkpoints: &[usize], overrides: &[(&str, &str)]) -> Vec<usize> {
    let digits =
        (lab == "digits").then(|| DigitsAssets::load(&assets::digits(), &assets::teacher()).expect("shipped digits"));
    let mut ahead = vec![0; checkpoints.len()];
    for seed in 1..=5 {
        let mut params = Params::for_scenario(lab);
        params.set("seed", &seed.to_string());
        for (name, value) in overrides {
            assert_eq!(params.set(name, value), None);
        }
        let runs = metrics_at(&params, digits.as_ref(), &Device::flex(), checkpoints).expect("a run");
        for (count, metrics) in ahead.iter_mut().zip(&runs) {
            *count += usize::from(metrics.acc_student > metrics.acc_baseline);
        }
    }
    ahead
}

#[test]
fn the_2d_default_shows_the_distilled_student_ahead() {
    let ahead = ahead_per_checkpoint("shapes", &[300, 1000], &[]);
    assert!(ahead.iter().all(|&n| n >= 4), "ahead on {ahead:?} of 5 seeds at steps 300 and 1000");
}

#[test]
fn the_digits_default_shows_the_distilled_student_ahead() {
    let ahead = ahead_per_checkpoint("digits", &[90, 300], &[]);
    assert!(ahead.iter().all(|&n| n >= 4), "ahead on {ahead:?} of 5 seeds at steps 90 and 300");
}

#[test]
fn uniform_queries_teach_less_than_queries_like_the_data() {
    // Random pixels look like no digit; in the plane, most uniform queries fall far from the data.
    for (lab, margin) in [("shapes", 0.01), ("digits", 0.3)] {
        let steps = [if lab == "digits" { 300 } else { 1000 }];
        let accuracy = |from: &str| {
            let digits = (lab == "digits").then(|| DigitsAssets::load(&assets::digits(), &assets::teacher()).unwrap());
            let mut params = Params::for_scenario(lab);
            params.set("queries_from", from);
            metrics_at(&params, digits.as_ref(), &Device::flex(), &steps).unwrap()[0].acc_student
        };
        let (data, uniform) = (accuracy("data"), accuracy("uniform"));
        assert!(data > uniform + margin, "{lab}: data {data} against uniform {uniform}");
    }
}
