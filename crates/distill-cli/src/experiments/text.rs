//! The text lab, measured: the run without flags over several seeds and step counts (held-out
//! loss of the distilled student against the baseline's, and the teacher's), and each kind of
//! answer against the characters bought.

use std::fmt::Write as _;

use distill_core::burn::prelude::Device;
use distill_core::text_lab::HumanText;
use distill_core::text_lab::assets::TextAssets;
use distill_core::text_lab::session::{TextConfig, TextSession};
use distill_core::{AnswerKind, Answers};

use crate::distill_text::{STEPS, TEXT_SIZE, default_config, train};
use distill_core::text_lab::assets::{held_out_starts, teacher_loss};

/// Student steps at which a run is measured.
const CHECKPOINTS: [usize; 4] = [250, 500, 1_000, STEPS];
/// Held-out characters read per held-out work at each checkpoint.
const EVAL_CHARS: usize = 20_000;
/// Characters bought, for the table of answers.
const BUDGETS: [usize; 3] = [5_000, 20_000, 50_000];

/// Held-out losses (distilled student, baseline) at each checkpoint.
type Curve = Vec<(f32, f32)>;

pub struct TextResults {
    teacher: f32,
    /// Per seed, the run without flags.
    defaults: Vec<Curve>,
    /// Per kind of answer, per budget: the losses after the last checkpoint, for the first seed.
    answers: Vec<(Answers, Vec<(f32, f32)>)>,
}

fn curve(assets: &TextAssets, config: TextConfig, device: &Device, checkpoints: &[usize]) -> Curve {
    let works = held_out_starts(&assets.corpus, EVAL_CHARS);
    let human = HumanText::draw(&assets.corpus, TEXT_SIZE, config.seed);
    let mut session = TextSession::new(config, human, assets.teacher.clone(), device);
    let mut losses = Vec::new();
    train(&mut session, checkpoints, &works, |_, _, distilled, baseline| losses.push((distilled, baseline)));
    losses
}

pub fn measure(assets: &TextAssets, device: &Device, seeds: &[u64]) -> TextResults {
    let teacher = teacher_loss(&assets.teacher, &held_out_starts(&assets.corpus, EVAL_CHARS), device);
    let defaults = seeds
        .iter()
        .map(|&seed| curve(assets, TextConfig { seed, ..default_config() }, device, &CHECKPOINTS))
        .collect();
    let answers = [Answers::Label, Answers::new(AnswerKind::Top, 5), Answers::Full]
        .into_iter()
        .map(|answers| {
            let at = |api_chars| {
                let config = TextConfig { seed: seeds[0], answers, api_chars, ..default_config() };
                curve(assets, config, device, &[STEPS])[0]
            };
            (answers, BUDGETS.into_iter().map(at).collect())
        })
        .collect();
    TextResults { teacher, defaults, answers }
}

pub fn write(w: &mut String, seeds: &[u64], results: &TextResults) {
    let config = default_config();
    writeln!(w, "\n## The text lab (in the shell)\n").unwrap();
    writeln!(
        w,
        "`distill --scenario text` without flags: the shipped teacher answers prompts with text; the distilled student \
         buys up to {} characters of {} answers with the openings of the human passages, the baseline learns from \
         {TEXT_SIZE} characters of human text; batch {}, learning rate {}, T = {}, α = {}. Held-out loss in nats per \
         character (lower is better) over the first {EVAL_CHARS} characters of each held-out work; the teacher's is \
         {:.3}.\n",
        config.api_chars,
        config.answers.label(),
        config.batch,
        config.learning_rate,
        config.temperature,
        config.alpha,
        results.teacher
    )
    .unwrap();
    writeln!(w, "| seed | {} |", CHECKPOINTS.map(|s| format!("{s} steps: distilled / baseline")).join(" | ")).unwrap();
    writeln!(w, "|---|{}", "---|".repeat(CHECKPOINTS.len())).unwrap();
    for (seed, curve) in seeds.iter().zip(&results.defaults) {
        let cells: Vec<String> = curve.iter().map(|(d, b)| format!("{d:.3} / {b:.3}")).collect();
        writeln!(w, "| {seed} | {} |", cells.join(" | ")).unwrap();
    }
    let ahead: Vec<String> = (0..CHECKPOINTS.len())
        .map(|i| {
            let count = results.defaults.iter().filter(|curve| curve[i].0 < curve[i].1).count();
            format!("{count} of {} at {} steps", seeds.len(), CHECKPOINTS[i])
        })
        .collect();
    writeln!(w, "\nThe distilled student is ahead of the baseline on {}.", ahead.join(", ")).unwrap();
    writeln!(
        w,
        "\nEach kind of answer against the characters bought (seed {}, {STEPS} steps; the baseline reads {TEXT_SIZE} \
         characters of human text whatever the budget):\n",
        seeds[0]
    )
    .unwrap();
    writeln!(w, "| answers | {} |", BUDGETS.map(|b| format!("{b} characters: distilled / baseline")).join(" | "))
        .unwrap();
    writeln!(w, "|---|{}", "---|".repeat(BUDGETS.len())).unwrap();
    for (answers, row) in &results.answers {
        let cells: Vec<String> = row.iter().map(|(d, b)| format!("{d:.3} / {b:.3}")).collect();
        writeln!(w, "| {} | {} |", answers.label(), cells.join(" | ")).unwrap();
    }
}
