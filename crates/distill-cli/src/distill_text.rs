//! `distill --scenario text`: the text lab from the shell. The shipped teacher behind its API,
//! the distilled student buying its answers with the openings of the human passages, and the
//! baseline learning from the passages themselves; a table of held-out losses as they train.
//!
//! Flags (the text lab's own, until the page's parameter table holds the lab): `--seed`,
//! `--text-size`, `--api-chars`, `--answers full|top|label`, `--top-k`, `--temperature`, `--alpha`,
//! `--steps`, `--batch`, `--lr`, `--every`, `--eval-chars` (held-out characters read per work for
//! each row), `--data FILE`, `--teacher FILE`.

use std::path::PathBuf;
use std::time::Instant;

use crate::{args, assets};
use distill_core::burn::prelude::*;
use distill_core::data::text::TEXT_PATH;
use distill_core::text_lab::HumanText;
use distill_core::text_lab::assets::TextAssets;
use distill_core::text_lab::language_model::{TEACHER, TEXT_TEACHER_PATH, consecutive_windows, mean_loss};
use distill_core::text_lab::session::{TextConfig, TextSession};
use distill_core::{AnswerKind, Answers};

struct Options {
    config: TextConfig,
    text_size: usize,
    steps: usize,
    every: Option<usize>,
    eval_chars: usize,
    data: PathBuf,
    teacher: PathBuf,
}

fn options(pairs: Vec<(String, String)>) -> Result<Options, String> {
    let www = assets::root().join("www");
    let config = TextConfig {
        seed: 1,
        api_chars: 20_000,
        answers: Answers::Full,
        temperature: 2.0,
        alpha: 0.9,
        batch: 64,
        learning_rate: 3e-3,
    };
    let mut o = Options {
        config,
        text_size: 20_000,
        steps: 2_000,
        every: None,
        eval_chars: 20_000,
        data: www.join(TEXT_PATH),
        teacher: www.join(TEXT_TEACHER_PATH),
    };
    let (mut kind, mut top_k) = (AnswerKind::Full, 5usize);
    for (name, value) in pairs {
        let name = name.replace('_', "-");
        match name.as_str() {
            "scenario" => {}
            "seed" => o.config.seed = args::parse(&name, &value)?,
            "text-size" => o.text_size = args::parse(&name, &value)?,
            "api-chars" => o.config.api_chars = args::parse(&name, &value)?,
            "answers" => {
                kind = match value.as_str() {
                    "full" => AnswerKind::Full,
                    "top" => AnswerKind::Top,
                    "label" => AnswerKind::Label,
                    _ => return Err(format!("--answers {value}: one of full, top, label")),
                }
            }
            "top-k" => top_k = args::parse::<usize>(&name, &value)?.clamp(1, 20),
            "temperature" => o.config.temperature = args::parse::<f32>(&name, &value)?.clamp(1.0, 50.0),
            "alpha" => o.config.alpha = args::parse::<f32>(&name, &value)?.clamp(0.0, 1.0),
            "steps" => o.steps = args::parse::<usize>(&name, &value)?.max(1),
            "batch" => o.config.batch = args::parse::<usize>(&name, &value)?.clamp(1, 4096),
            "lr" => o.config.learning_rate = args::parse(&name, &value)?,
            "every" => o.every = Some(args::parse::<usize>(&name, &value)?.max(1)),
            "eval-chars" => o.eval_chars = args::parse::<usize>(&name, &value)?.max(2),
            "data" => o.data = value.into(),
            "teacher" => o.teacher = value.into(),
            _ => return Err(format!("unknown flag --{name} for the text lab; see `distill --scenario text --help`")),
        }
    }
    o.config.answers = Answers::new(kind, top_k);
    Ok(o)
}

fn run(o: Options) -> Result<(), String> {
    let bytes = std::fs::read(&o.teacher).map_err(|e| format!("{}: {e}", o.teacher.display()))?;
    let device = Device::flex();
    let (data, teacher) = (o.data.display().to_string(), o.teacher.display().to_string());
    let TextAssets { corpus, teacher } =
        TextAssets::decode(&assets::read(&o.data)?, &data, &bytes, &teacher, &device).map_err(String::from)?;
    let held_out: Vec<_> = corpus
        .held_out
        .iter()
        .map(|w| distill_core::data::text::Work {
            title: w.title.clone(),
            ids: w.ids[..w.ids.len().min(o.eval_chars)].to_vec(),
        })
        .collect();
    let teacher_loss =
        mean_loss(&teacher, &consecutive_windows(&held_out, TEACHER.context), TEACHER.context, 64, &device);
    let human = HumanText::draw(&corpus, o.text_size, o.config.seed);
    println!(
        "text lab, seed {}: the baseline reads {} characters of human text; the distilled student buys up to {} \
         characters of {} answers with their {} openings",
        o.config.seed,
        human.len(),
        o.config.api_chars,
        o.config.answers.label(),
        human.passages.len()
    );
    let mut session = TextSession::new(o.config, human, teacher, &device);
    let every = o.every.unwrap_or((o.steps / 10).max(1));
    println!(
        "{:>6}  {:>10}  {:>8}  {:>9}  {:>8}  {:>7}",
        "step", "API chars", "teacher", "distilled", "baseline", "seconds"
    );
    let started = Instant::now();
    for step in 1..=o.steps {
        session.buy();
        session.step();
        if step % every == 0 || step == o.steps {
            let (distilled, baseline) = session.held_out_losses(&held_out, o.eval_chars);
            println!(
                "{step:>6}  {:>10}  {teacher_loss:>8.3}  {distilled:>9.3}  {baseline:>8.3}  {:>7.0}",
                session.api().chars_sold(),
                started.elapsed().as_secs_f32()
            );
        }
    }
    Ok(())
}

/// `distill --scenario text …`.
pub fn main(pairs: Vec<(String, String)>) -> Result<(), String> {
    options(pairs).and_then(run)
}
