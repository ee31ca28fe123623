//! `distill --scenario text`: the text lab from the shell, with the page's settings as flags
//! and the page's builder. The shipped teacher behind its API, the distilled student buying its
//! answers with the openings of the human passages, and the baseline learning from the passages
//! themselves; a table of held-out losses as they train, measured as the page measures them.
//!
//! Flags: the page's settings that apply to the text lab (`--seed`, `--text-size`,
//! `--api-chars`, `--answers`, `--top-k`, `--temperature`, `--alpha`, `--max-steps`, `--batch`,
//! `--lr`), and `--every`, `--eval-chars` (held-out characters read per work for each row),
//! `--data FILE`, `--teacher FILE`.

use futures_lite::future::block_on;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::{args, assets};
use distill_core::burn::prelude::*;
use distill_core::data::text::TEXT_PATH;
use distill_core::params::{PAGE_ONLY, Params, TABLE};
use distill_core::run_spec::Scenario;
use distill_core::text_lab::assets::TextAssets;
use distill_core::text_lab::language_model::{TEACHER, TEXT_TEACHER_PATH};
use distill_core::text_lab::run::{EVAL_CHARS, TextRun};

pub const HELP: &str = "\
distill --scenario text: the text lab from the shell.

The shipped teacher (a character transformer) answers prompts with text; the distilled student
buys answers with the openings of the human passages, the baseline learns from the passages.
Every row gives each model's held-out loss in nats per character (lower is better), measured as
the page measures it. The flags are the page's settings; without them, the page's defaults.

  --seed N          students' initial weights, batch order, passages and the API's samples
  --text-size N     characters of human text the baseline learns from
  --api-chars N     characters the distilled student buys from the API at most
  --answers KIND    what comes with the API's text: full, top or label
  --top-k K         log-probabilities per character with --answers top
  --temperature T   softens the teacher's and the student's distributions
  --alpha A         weight of the soft term against the answers' text
  --max-steps N     student steps; --batch N; --lr X
  --every N         steps between rows (a tenth of the run)
  --eval-chars N    held-out characters read per held-out work for each row (the page's 4160)
  --data FILE       the corpus (www/data/shakespeare.txt.gz); --teacher FILE the teacher
";

struct Options {
    params: Params,
    every: Option<usize>,
    eval_chars: usize,
    data: PathBuf,
    teacher: PathBuf,
}

fn options(pairs: Vec<(String, String)>) -> Result<Options, String> {
    let www = assets::root().join("www");
    let mut o = Options {
        params: Params::for_scenario(Scenario::Text),
        every: None,
        eval_chars: EVAL_CHARS,
        data: www.join(TEXT_PATH),
        teacher: www.join(TEXT_TEACHER_PATH),
    };
    for (name, value) in pairs {
        let name = name.replace('-', "_");
        match name.as_str() {
            "scenario" => {}
            "every" => o.every = Some(args::parse::<usize>(&name, &value)?.max(1)),
            "eval_chars" => o.eval_chars = args::parse::<usize>(&name, &value)?.max(TEACHER.context + 1),
            "data" => o.data = value.into(),
            "teacher" => o.teacher = value.into(),
            name if PAGE_ONLY.contains(&name) => {
                return Err(format!("--{name} is a setting of the page, not of the shell"));
            }
            name if TABLE.iter().any(|s| s.name == name) && o.params.applies(name) => {
                if let Some(notice) = o.params.set(name, &value) {
                    return Err(format!("invalid value: {notice}"));
                }
            }
            _ => return Err(format!("unknown flag --{name} for the text lab; see `distill --scenario text --help`")),
        }
    }
    Ok(o)
}

/// The shipped corpus and teacher (or those at `data` and `teacher`), checked.
pub fn load(data: &Path, teacher: &Path, device: &Device) -> Result<TextAssets, String> {
    let bytes = std::fs::read(teacher).map_err(|e| format!("{}: {e}", teacher.display()))?;
    let (data_name, teacher_name) = (data.display().to_string(), teacher.display().to_string());
    TextAssets::decode(&assets::read(data)?, &data_name, &bytes, &teacher_name, device).map_err(String::from)
}

/// Trains `run` to the last of `checkpoints` and gives `report` the held-out losses (distilled
/// student, baseline) at each checkpoint, measured as the page measures them.
pub fn train(
    run: &mut TextRun,
    checkpoints: &[usize],
    mut report: impl FnMut(&TextRun, usize, f32, f32),
) -> Result<(), String> {
    let last = checkpoints.iter().copied().max().unwrap_or(0);
    while run.session.steps() < last {
        let next = checkpoints.iter().copied().find(|&c| c > run.session.steps()).unwrap_or(last);
        block_on(run.train(next - run.session.steps()))?;
        if checkpoints.contains(&next) {
            block_on(run.measure())?;
            let figures = block_on(run.figures())?;
            report(run, next, figures.held_out.student, figures.held_out.baseline);
        }
    }
    Ok(())
}

fn run(o: Options) -> Result<(), String> {
    let device = Device::flex();
    let assets = load(&o.data, &o.teacher, &device)?;
    let run = TextRun::build(&o.params.run_spec(), &assets, &device).map_err(String::from)?;
    let mut run = run.evaluated_on(&assets, o.eval_chars);
    let (view, config, steps) = (run.view(), *run.session.config(), o.params.max_steps);
    println!(
        "text lab, seed {}: the baseline reads {} characters of human text; the distilled student buys up to {} \
         characters of {} answers with their {} openings",
        config.seed,
        view.human_chars,
        config.api_chars,
        config.answers.label(),
        view.passages
    );
    let every = o.every.unwrap_or((steps / 10).max(1));
    let checkpoints: Vec<usize> = (1..=steps).filter(|step| step % every == 0 || *step == steps).collect();
    println!(
        "{:>6}  {:>10}  {:>8}  {:>9}  {:>8}  {:>7}",
        "step", "API chars", "teacher", "distilled", "baseline", "seconds"
    );
    let started = Instant::now();
    let teacher = block_on(run.figures())?.held_out.teacher;
    train(&mut run, &checkpoints, |run, step, distilled, baseline| {
        println!(
            "{step:>6}  {:>10}  {teacher:>8.3}  {distilled:>9.3}  {baseline:>8.3}  {:>7.0}",
            run.session.api().chars_sold(),
            started.elapsed().as_secs_f32()
        );
    })
}

/// `distill --scenario text …`.
pub fn main(pairs: Vec<(String, String)>) -> Result<(), String> {
    options(pairs).and_then(run)
}
