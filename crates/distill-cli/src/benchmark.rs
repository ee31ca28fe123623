//! The reference workloads natively, on the CPU backend: W1 (steps per second of one
//! distillation step) and W2 (seconds until the distilled student reaches 95% of the teacher's
//! test accuracy on digits, with the page's digits defaults). Prints Markdown rows.
//!
//! `cargo run --release --bin benchmark -- --runs 5`; with `--text`, the text lab's workload
//! instead (`text_benchmark`).

use std::process::ExitCode;
use std::time::Instant;

use distill_core::bench::{W1_BATCH, W1_PLAN, W1_READ_EVERY, w1, w2};
use distill_core::burn::prelude::Device;
use distill_core::params::Params;
use distill_core::run_spec::Scenario;
use futures_lite::future::block_on;

use crate::scenario;
use crate::{args, assets};

/// W2 checks the student's accuracy this often (in steps), as the page does about once a chunk.
const W2_EVERY: usize = 50;

/// Median and range, the way BENCHMARKS.md shows every figure.
pub fn median_range(values: &[f64], decimals: usize) -> String {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    let median = if sorted.len() % 2 == 1 { sorted[mid] } else { (sorted[mid - 1] + sorted[mid]) / 2.0 };
    let (low, high) = (sorted[0], sorted[sorted.len() - 1]);
    format!("{median:.decimals$} ({low:.decimals$}–{high:.decimals$})")
}

fn run(runs: usize) -> Result<(), String> {
    let device = Device::flex();
    let clock = Instant::now();
    let now = || clock.elapsed().as_secs_f64() * 1000.0;
    let mut rates = Vec::new();
    for _ in 0..runs {
        rates.push(block_on(w1(&device, now, W1_PLAN))?.steps_per_second);
    }
    println!(
        "| W1 natively (CPU, 784-128-10, batch {W1_BATCH}, loss read every {W1_READ_EVERY}) | steps/s | {} |",
        median_range(&rates, 0)
    );

    let assets = assets::shipped_digits()?;
    let params = Params::for_scenario(Scenario::Digits);
    let max_steps = params.max_steps;
    let (mut seconds, mut steps) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let mut session = scenario::session(&params, Some(&assets), &device)?;
        let report = block_on(w2(&mut session, now, W2_EVERY, max_steps))?;
        let Some(s) = report.seconds else {
            return Err(format!(
                "W2: the student reached only {:.1}% in {max_steps} steps",
                report.acc_student * 100.0
            ));
        };
        seconds.push(s);
        steps.push(report.steps as f64);
    }
    println!(
        "| W2 natively (CPU, digits defaults: {}, checked every {W2_EVERY} steps) | seconds to 95% of the teacher's accuracy | {} (at step {}) |",
        params.hidden.iter().map(usize::to_string).collect::<Vec<_>>().join(","),
        median_range(&seconds, 2),
        median_range(&steps, 0)
    );
    Ok(())
}

pub fn main() -> ExitCode {
    let options = args::pairs_and_switches(std::env::args().skip(1), &["text"]).and_then(|pairs| {
        let (mut runs, mut text) = (5, false);
        for (name, value) in pairs {
            match name.as_str() {
                "runs" => runs = args::parse::<usize>(&name, &value)?.max(1),
                "text" => text = true,
                _ => return Err(format!("unknown flag --{name}; flags: --runs, --text")),
            }
        }
        Ok((runs, text))
    });
    args::finish(
        "benchmark",
        options.and_then(|(runs, text)| if text { crate::text_benchmark::run(runs) } else { run(runs) }),
    )
}
