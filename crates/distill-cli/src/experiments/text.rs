//! The text lab, measured: the run without flags over several seeds and step counts (held-out
//! loss of the distilled student against the baseline's, and the teacher's), each kind of
//! answer against the characters bought, and what the page's Compare shows at the default link.

use std::fmt::Write as _;

use distill_core::Answers;
use distill_core::burn::prelude::Device;
use distill_core::compare::{self, Measure, Outcome};
use distill_core::params::Params;
use distill_core::run_spec::Scenario;
use distill_core::text_lab::assets::TextAssets;
use distill_core::text_lab::run::{EVAL_CHARS, TextRun};
use futures_lite::future::block_on;

use crate::distill_text::train;

/// Characters bought, for the table of answers.
const BUDGETS: [usize; 3] = [5_000, 20_000, 50_000];

/// Held-out losses (distilled student, baseline) at each checkpoint.
type Curve = Vec<(f32, f32)>;

pub struct TextResults {
    teacher: f32,
    /// Student steps at which the runs are measured (the last one is the run's `max_steps`).
    checkpoints: Vec<usize>,
    /// Per seed, the page's default link.
    defaults: Vec<Curve>,
    /// Per kind of answer, per budget: the losses after the last checkpoint, for the first seed.
    answers: Vec<(Answers, Vec<(f32, f32)>)>,
    /// The page's Compare at the default link: its plan's runs, as the page runs them.
    compare: Vec<Outcome>,
}

/// The runs of the page's Compare for the text lab's default link, each trained to its end.
fn compare_outcomes(assets: &TextAssets, device: &Device) -> Vec<Outcome> {
    let plan = compare::plan(&Params::for_scenario(Scenario::Text));
    plan.iter()
        .map(|planned| {
            let mut run = TextRun::build(&planned.spec, assets, device).expect("a text-lab spec");
            let figures = block_on(async {
                run.train(planned.spec.max_steps).await?;
                run.measure().await?;
                run.figures().await
            });
            Outcome::of_text(planned, &figures.expect("a CPU run reads its figures back"))
        })
        .collect()
}

/// The page's text lab with `changes` to its defaults.
fn params(changes: &[(&str, String)]) -> Params {
    let mut params = Params::for_scenario(Scenario::Text);
    for (name, value) in changes {
        assert_eq!(params.set(name, value), None, "{name}={value}");
    }
    params
}

fn curve(assets: &TextAssets, params: &Params, device: &Device, checkpoints: &[usize]) -> Curve {
    let mut run = TextRun::build(&params.run_spec(), assets, device).expect("a text-lab spec");
    let mut losses = Vec::new();
    let trained = train(&mut run, checkpoints, |_, _, distilled, baseline| losses.push((distilled, baseline)));
    trained.expect("a CPU run reads its figures back");
    losses
}

pub fn measure(assets: &TextAssets, device: &Device, seeds: &[u64]) -> TextResults {
    let steps = Params::for_scenario(Scenario::Text).max_steps;
    let checkpoints: Vec<usize> = [steps / 8, steps / 4, steps / 2, steps].into_iter().filter(|&s| s > 0).collect();
    let defaults =
        seeds.iter().map(|seed| curve(assets, &params(&[("seed", seed.to_string())]), device, &checkpoints)).collect();
    let answers = ["label", "top", "full"]
        .into_iter()
        .map(|kind| {
            let at = |budget: usize| {
                let changes =
                    [("seed", seeds[0].to_string()), ("answers", kind.into()), ("api_chars", budget.to_string())];
                curve(assets, &params(&changes), device, &[steps])[0]
            };
            (params(&[("answers", kind.into())]).answers_revealed(), BUDGETS.into_iter().map(at).collect())
        })
        .collect();
    let compare = compare_outcomes(assets, device);
    TextResults { teacher: assets.teacher_loss, checkpoints, defaults, answers, compare }
}

pub fn write(w: &mut String, seeds: &[u64], results: &TextResults) {
    let p = Params::for_scenario(Scenario::Text);
    let checkpoints = &results.checkpoints;
    writeln!(w, "\n## The text lab\n").unwrap();
    writeln!(
        w,
        "The page's default link (`?scenario=text`, the same run as `distill --scenario text`): the shipped teacher \
         answers prompts with text; the distilled student buys up to {} characters of {} answers with the openings of \
         the human passages, the baseline learns from {} characters of human text; batch {}, learning rate {}, T = {}, \
         α = {}. Held-out loss in nats per character (lower is better) over the first {EVAL_CHARS} characters of each \
         held-out work, as the page measures it; the teacher's is {:.3}.\n",
        p.api_chars,
        p.answers_revealed().label(),
        p.text_size,
        p.batch,
        p.lr,
        p.temperature,
        p.alpha,
        results.teacher
    )
    .unwrap();
    writeln!(
        w,
        "| seed | {} |",
        checkpoints.iter().map(|s| format!("{s} steps: distilled / baseline")).collect::<Vec<_>>().join(" | ")
    )
    .unwrap();
    writeln!(w, "|---|{}", "---|".repeat(checkpoints.len())).unwrap();
    for (seed, curve) in seeds.iter().zip(&results.defaults) {
        let cells: Vec<String> = curve.iter().map(|(d, b)| format!("{d:.3} / {b:.3}")).collect();
        writeln!(w, "| {seed} | {} |", cells.join(" | ")).unwrap();
    }
    let ahead: Vec<String> = (0..checkpoints.len())
        .map(|i| {
            let count = results.defaults.iter().filter(|curve| curve[i].0 < curve[i].1).count();
            format!("{count} of {} at {} steps", seeds.len(), checkpoints[i])
        })
        .collect();
    writeln!(w, "\nThe distilled student is ahead of the baseline on {}.", ahead.join(", ")).unwrap();
    writeln!(
        w,
        "\nEach kind of answer against the characters bought (seed {}, {} steps; the baseline reads {} characters of \
         human text whatever the budget):\n",
        seeds[0], p.max_steps, p.text_size
    )
    .unwrap();
    writeln!(w, "| answers | {} |", BUDGETS.map(|b| format!("{b} characters: distilled / baseline")).join(" | "))
        .unwrap();
    writeln!(w, "|---|{}", "---|".repeat(BUDGETS.len())).unwrap();
    for (answers, row) in &results.answers {
        let cells: Vec<String> = row.iter().map(|(d, b)| format!("{d:.3} / {b:.3}")).collect();
        writeln!(w, "| {} | {} |", answers.label(), cells.join(" | ")).unwrap();
    }
    write_compare(w, &results.compare);
}

/// The page's Compare at the default link: the mean and each seed's loss per kind of answer.
fn write_compare(w: &mut String, outcomes: &[Outcome]) {
    let rows = compare::rows(outcomes);
    let summary = compare::summary(&rows);
    writeln!(
        w,
        "\nThe page's **Compare** at the default link (its plan: {} steps, {} characters bought, seeds {}; the baseline \
         reads {} characters of human text whatever the budget), held-out loss:\n",
        compare::TEXT_STEPS.min(Params::for_scenario(Scenario::Text).max_steps),
        compare::TEXT_API_CHARS.min(Params::for_scenario(Scenario::Text).api_chars),
        compare::SEEDS.map(|s| s.to_string()).join(", "),
        Params::for_scenario(Scenario::Text).text_size
    )
    .unwrap();
    writeln!(w, "| answers | mean | {} |", compare::SEEDS.map(|s| format!("seed {s}")).join(" | ")).unwrap();
    writeln!(w, "|---|---|{}", "---|".repeat(compare::SEEDS.len())).unwrap();
    for (mode, mean, ..) in &summary {
        let seeds: Vec<String> =
            rows.iter().filter(|row| &row.mode == mode).map(|row| Measure::HeldOutLoss.show(row.value)).collect();
        writeln!(w, "| {mode} | {} | {} |", Measure::HeldOutLoss.show(*mean), seeds.join(" | ")).unwrap();
    }
    let baseline = summary.iter().find(|s| s.0 == "baseline").map_or(f32::NAN, |s| s.1);
    let ahead: Vec<&str> =
        summary.iter().filter(|s| s.0 != "baseline" && s.1 < baseline).map(|s| s.0.as_str()).collect();
    let sentence = match ahead.as_slice() {
        [] => "no kind of answer brings the distilled student below the baseline's mean".to_string(),
        modes => format!("the distilled student's mean is below the baseline's with {}", modes.join(", ")),
    };
    writeln!(w, "\nAt this budget {sentence}.").unwrap();
}
