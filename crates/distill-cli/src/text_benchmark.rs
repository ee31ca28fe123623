//! The text lab's workload natively, on the CPU backend, with the page's default link: time to
//! the first answers, the teacher's characters written per second while the budget is bought,
//! student steps (and characters trained) per second after it, and the time until the distilled
//! student's held-out loss beats the baseline's final one. Prints Markdown rows.
//!
//! `cargo run --release --bin benchmark -- --text --runs 3`

use futures_lite::future::block_on;
use std::time::Instant;

use distill_core::burn::prelude::Device;
use distill_core::data::text::TEXT_PATH;
use distill_core::params::Params;
use distill_core::run_spec::Scenario;
use distill_core::text_lab::language_model::TEXT_TEACHER_PATH;
use distill_core::text_lab::run::TextRun;

use crate::benchmark::median_range;
use crate::{assets, distill_text};

/// The held-out losses are measured this often (in steps), about as often as the page does.
const MEASURE_EVERY: usize = 50;

/// One run's timings, in seconds of training (measurements excluded).
struct Timings {
    first_answer: f64,
    buying: f64,
    chars_bought: usize,
    steps_per_second: f64,
    beats_baseline: Option<f64>,
}

fn time_run(
    params: &Params,
    assets: &distill_core::text_lab::assets::TextAssets,
    device: &Device,
) -> Result<Timings, String> {
    let mut run = TextRun::build(&params.run_spec(), assets, device).map_err(String::from)?;
    let mut training = 0.0;
    // Seconds of training so far, after `steps` more.
    let mut timed = |run: &mut TextRun, steps: usize| -> Result<f64, String> {
        let started = Instant::now();
        block_on(run.train(steps))?;
        training += started.elapsed().as_secs_f64();
        Ok(training)
    };
    let first_answer = timed(&mut run, 1)?;
    let mut buying = first_answer;
    while run.buying() {
        buying = timed(&mut run, 1)?;
    }
    let bought_at_step = run.session.steps();
    let chars_bought = run.session.api().chars_sold();
    let mut curve = Vec::new();
    while !run.finished() {
        let at = timed(&mut run, MEASURE_EVERY)?;
        block_on(run.measure())?;
        let figures = block_on(run.figures())?;
        curve.push((at, figures.held_out.student));
        if run.finished() {
            let steps = (run.session.steps() - bought_at_step) as f64;
            let steps_per_second = steps / (at - buying);
            let final_baseline = figures.held_out.baseline;
            let beats_baseline = curve.iter().find(|(_, distilled)| *distilled < final_baseline).map(|(t, _)| *t);
            return Ok(Timings { first_answer, buying, chars_bought, steps_per_second, beats_baseline });
        }
    }
    Err("the run ended while it was still buying".into())
}

pub fn run(runs: usize) -> Result<(), String> {
    let device = Device::flex();
    let www = assets::root().join("www");
    let assets = distill_text::load(&www.join(TEXT_PATH), &www.join(TEXT_TEACHER_PATH), &device)?;
    let params = Params::for_scenario(Scenario::Text);
    let timings = (0..runs).map(|_| time_run(&params, &assets, &device)).collect::<Result<Vec<_>, _>>()?;
    let column = |f: fn(&Timings) -> f64| timings.iter().map(f).collect::<Vec<f64>>();
    let steps_per_second = column(|t| t.steps_per_second);
    let trained: Vec<f64> = steps_per_second.iter().map(|s| s * params.batch as f64).collect();
    let beats: Vec<f64> = timings.iter().filter_map(|t| t.beats_baseline).collect();
    let row = |what: &str, value: String| println!("| text lab natively (CPU, default link) | {what} | {value} |");
    row(
        "seconds to the first answers (the first purchase, of 4 × 64 characters, and a step)",
        median_range(&column(|t| t.first_answer), 2),
    );
    row(
        &format!(
            "characters bought per second while buying ({} characters; the teacher writing them, and a student step each)",
            timings[0].chars_bought
        ),
        median_range(&column(|t| t.chars_bought as f64 / t.buying), 0),
    );
    row("seconds until the budget is bought", median_range(&column(|t| t.buying), 1));
    row("student steps per second after that (both students)", median_range(&steps_per_second, 0));
    row(&format!("characters trained per second per student (batch {})", params.batch), median_range(&trained, 0));
    row(
        &format!(
            "seconds until the distilled student beats the baseline's final loss ({} of {runs} runs do)",
            beats.len()
        ),
        if beats.is_empty() { "never".into() } else { median_range(&beats, 1) },
    );
    Ok(())
}
