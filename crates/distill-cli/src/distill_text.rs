//! `distill --scenario text`: the text lab from the shell. The shipped teacher behind its API,
//! the distilled student buying its answers with the openings of the human passages, and the
//! baseline learning from the passages themselves; a table of held-out losses as they train.
//!
//! Flags (the text lab's own, until the page's parameter table holds the lab): `--seed`,
//! `--text-size`, `--api-chars`, `--answers full|top|label`, `--top-k`, `--temperature`, `--alpha`,
//! `--steps`, `--batch`, `--lr`, `--every`, `--eval-chars` (held-out characters read per work for
//! each row), `--data FILE`, `--teacher FILE`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::{args, assets};
use distill_core::burn::prelude::*;
use distill_core::data::text::{TEXT_PATH, Work};
use distill_core::text_lab::HumanText;
use distill_core::text_lab::assets::{TextAssets, held_out_starts, teacher_loss};
use distill_core::text_lab::language_model::{TEACHER, TEXT_TEACHER_PATH};
use distill_core::text_lab::session::{TextConfig, TextSession};
use distill_core::{AnswerKind, Answers};

pub const HELP: &str = "\
distill --scenario text: the text lab from the shell.

The shipped teacher (a character transformer) answers prompts with text; the distilled student
buys answers with the openings of the human passages, the baseline learns from the passages.
Every row gives each model's held-out loss in nats per character (lower is better).

  --seed N          students' initial weights, batch order, passages and the API's samples (1)
  --text-size N     characters of human text the baseline learns from (20000)
  --api-chars N     characters the distilled student buys from the API at most (20000)
  --answers KIND    what comes with the API's text: full, top or label (full)
  --top-k K         log-probabilities per character with --answers top (5)
  --temperature T   softens the teacher's and the student's distributions (2)
  --alpha A         weight of the soft term against the answers' text (0.9)
  --steps N         student steps (2000); --batch N (64); --lr X (0.003)
  --every N         steps between rows (a tenth of the run)
  --eval-chars N    held-out characters read per held-out work for each row (20000)
  --data FILE       the corpus (www/data/shakespeare.txt.gz); --teacher FILE the teacher
";

/// Characters of human text, and student steps, of a run without flags.
pub const TEXT_SIZE: usize = 20_000;
pub const STEPS: usize = 2_000;

/// A run's settings without flags.
pub fn default_config() -> TextConfig {
    TextConfig {
        seed: 1,
        api_chars: 20_000,
        answers: Answers::Full,
        temperature: 2.0,
        alpha: 0.9,
        batch: 64,
        learning_rate: 3e-3,
    }
}

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
    let mut o = Options {
        config: default_config(),
        text_size: TEXT_SIZE,
        steps: STEPS,
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
            "eval-chars" => o.eval_chars = args::parse::<usize>(&name, &value)?.max(TEACHER.context + 1),
            "data" => o.data = value.into(),
            "teacher" => o.teacher = value.into(),
            _ => return Err(format!("unknown flag --{name} for the text lab; see `distill --scenario text --help`")),
        }
    }
    o.config.answers = Answers::new(kind, top_k);
    Ok(o)
}

/// The shipped corpus and teacher (or those at `data` and `teacher`), checked.
pub fn load(data: &Path, teacher: &Path, device: &Device) -> Result<TextAssets, String> {
    let bytes = std::fs::read(teacher).map_err(|e| format!("{}: {e}", teacher.display()))?;
    let (data_name, teacher_name) = (data.display().to_string(), teacher.display().to_string());
    TextAssets::decode(&assets::read(data)?, &data_name, &bytes, &teacher_name, device).map_err(String::from)
}

/// Trains `session` to the last of `checkpoints` (buying answers before each step while the
/// budget lasts) and gives `report` the held-out losses of the distilled student and the
/// baseline over `works` at each checkpoint.
pub fn train(
    session: &mut TextSession,
    checkpoints: &[usize],
    works: &[Work],
    mut report: impl FnMut(usize, &TextSession, f32, f32),
) {
    let last = checkpoints.iter().copied().max().unwrap_or(0);
    for step in 1..=last {
        session.buy();
        session.step();
        if checkpoints.contains(&step) {
            let (distilled, baseline) = session.held_out_losses(works, usize::MAX);
            report(step, session, distilled, baseline);
        }
    }
}

fn run(o: Options) -> Result<(), String> {
    let device = Device::flex();
    let TextAssets { corpus, teacher } = load(&o.data, &o.teacher, &device)?;
    let works = held_out_starts(&corpus, o.eval_chars);
    let teacher_loss = teacher_loss(&teacher, &works, &device);
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
    let checkpoints: Vec<usize> = (1..=o.steps).filter(|step| step % every == 0 || *step == o.steps).collect();
    println!(
        "{:>6}  {:>10}  {:>8}  {:>9}  {:>8}  {:>7}",
        "step", "API chars", "teacher", "distilled", "baseline", "seconds"
    );
    let started = Instant::now();
    train(&mut session, &checkpoints, &works, |step, session, distilled, baseline| {
        println!(
            "{step:>6}  {:>10}  {teacher_loss:>8.3}  {distilled:>9.3}  {baseline:>8.3}  {:>7.0}",
            session.api().chars_sold(),
            started.elapsed().as_secs_f32()
        );
    });
    Ok(())
}

/// `distill --scenario text …`.
pub fn main(pairs: Vec<(String, String)>) -> Result<(), String> {
    options(pairs).and_then(run)
}
