//! `distill --scenario text`: the text lab from the shell, with the page's settings as flags
//! and the page's builder. The shipped teacher behind its API, the distilled student buying its
//! answers with the openings of the human passages, and the baseline learning from the passages
//! themselves; a table of held-out losses as they train, measured as the page measures them.
//!
//! Flags: the page's settings that apply to the text lab (`--seed`, `--text-size`,
//! `--api-chars`, `--answers`, `--top-k`, `--temperature`, `--alpha`, `--max-steps`, `--batch`,
//! `--lr`), and `--every`, `--eval-chars` (held-out characters read per work for each row),
//! `--data FILE`, `--teacher FILE`; for a student exported from the page, `--settings FILE`,
//! `--student FILE` and `--evaluate` (its held-out loss, without training).

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
use distill_core::{StudentFile, StudentScore};

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
  --settings FILE   start from a student's settings file (distill-student.json, saved by the
                    page's text lab); the other flags override its settings
  --student FILE    load the distilled student's weights (distill-student.bpk) before training
  --evaluate        print the loaded student's held-out loss and stop, without training
";

struct Options {
    params: Params,
    every: Option<usize>,
    eval_chars: usize,
    data: PathBuf,
    teacher: PathBuf,
    /// The settings file the run started from, with `--settings`.
    settings: Option<StudentFile>,
    /// The distilled student's weights to start from.
    student: Option<PathBuf>,
    /// Only measure the loaded student, without training.
    evaluate: bool,
}

/// A student settings file, or why it cannot be read.
fn read_settings(path: &Path) -> Result<StudentFile, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    StudentFile::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The `--settings` file among `pairs` is a text-lab student's: `distill` hands it to this lab.
pub fn names_text_lab(pairs: &[(String, String)]) -> bool {
    pairs.iter().filter(|(name, _)| name == "settings").any(|(_, path)| {
        read_settings(Path::new(path)).is_ok_and(|file| file.settings.get("scenario").is_some_and(|lab| lab == "text"))
    })
}

fn options(pairs: Vec<(String, String)>) -> Result<Options, String> {
    let www = assets::root().join("www");
    let mut o = Options {
        params: Params::for_scenario(Scenario::Text),
        every: None,
        eval_chars: EVAL_CHARS,
        data: www.join(TEXT_PATH),
        teacher: www.join(TEXT_TEACHER_PATH),
        settings: None,
        student: None,
        evaluate: false,
    };
    // A settings file gives the defaults that the other flags override.
    if let Some((_, path)) = pairs.iter().rev().find(|(name, _)| name == "settings") {
        let file = read_settings(Path::new(path))?;
        let (params, notices) = file.params();
        if let Some(notice) = notices.first() {
            return Err(format!("{path}: {notice}"));
        }
        if params.scenario != Scenario::Text {
            return Err(format!("{path} is a student of another lab than the text lab"));
        }
        (o.params, o.settings) = (params, Some(file));
    }
    for (name, value) in pairs {
        let name = name.replace('-', "_");
        match name.as_str() {
            "scenario" if value != "text" => {
                return Err(format!("--scenario {value}: these are the text lab's settings (--scenario text)"));
            }
            "scenario" | "settings" => {}
            "student" => o.student = Some(value.into()),
            "evaluate" => o.evaluate = true,
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
    if o.evaluate && o.student.is_none() {
        return Err("--evaluate checks a student: give its weights with --student FILE".into());
    }
    Ok(o)
}

/// Loads the `--student` weights into `run`'s distilled student.
fn load_student(run: &mut TextRun, path: &Path) -> Result<(), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    run.load_student(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// The loaded student's held-out loss, and what its settings file says it was.
fn evaluate(run: &mut TextRun, settings: Option<&StudentFile>) -> Result<String, String> {
    let loss = block_on(run.figures())?.held_out.student;
    let stated = match settings.map(|file| file.score) {
        Some(StudentScore::HeldOutLoss(stated)) => format!(" (the file says {stated:.3})"),
        _ => String::new(),
    };
    Ok(format!("student held-out loss: {loss:.3} nats per character{stated}"))
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
    if let Some(path) = &o.student {
        load_student(&mut run, path)?;
        if o.evaluate {
            println!("{}", evaluate(&mut run, o.settings.as_ref())?);
            return Ok(());
        }
        println!("the distilled student starts from {}", path.display());
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use distill_core::text_lab::student::STUDENT;

    fn pairs(args: &[&str]) -> Vec<(String, String)> {
        args::pairs_and_switches(args.iter().map(|s| s.to_string()), &["evaluate"]).unwrap()
    }

    fn scratch(name: &str) -> PathBuf {
        std::env::temp_dir().join(format!("distill-text-{}-{name}", std::process::id()))
    }

    /// What the text lab's export buttons do, natively: a trained student's settings and
    /// weights, read back by the shell.
    #[test]
    fn an_exported_text_student_evaluates_to_the_loss_its_file_states() {
        let trained = options(pairs(&["--scenario", "text", "--api-chars", "1024", "--max-steps", "3", "--seed", "3"]));
        let trained = trained.unwrap();
        let device = Device::flex();
        let assets = load(&trained.data, &trained.teacher, &device).unwrap();
        let build = |o: &Options| TextRun::build(&o.params.run_spec(), &assets, &device).unwrap();
        let mut run = build(&trained);
        block_on(run.train(3)).unwrap();
        let loss = block_on(run.figures()).unwrap().held_out.student;
        let file = StudentFile::new(&trained.params, STUDENT.label(), 3, StudentScore::HeldOutLoss(loss));
        let (json, weights) = (scratch("student.json"), scratch("student.bpk"));
        std::fs::write(&json, file.to_json()).unwrap();
        std::fs::write(&weights, block_on(run.session.student_weights()).unwrap()).unwrap();
        let (json, weights) = (json.to_str().unwrap(), weights.to_str().unwrap());

        assert!(names_text_lab(&pairs(&["--settings", json])), "`distill --settings` hands it to the text lab");
        let o = options(pairs(&["--settings", json, "--student", weights, "--evaluate"])).unwrap();
        assert!(o.evaluate);
        assert_eq!(o.params.run_spec(), trained.params.run_spec(), "the settings of the run it came from");
        let mut loaded = build(&o);
        let untrained = evaluate(&mut loaded, o.settings.as_ref()).unwrap();
        load_student(&mut loaded, Path::new(weights)).unwrap();
        let said = evaluate(&mut loaded, o.settings.as_ref()).unwrap();
        assert_eq!(said, format!("student held-out loss: {loss:.3} nats per character (the file says {loss:.3})"));
        assert_ne!(untrained, said, "before the weights load, an untrained student");

        // A flag overrides the file; a flag of another lab, or --evaluate alone, is refused.
        let o = options(pairs(&["--settings", json, "--seed", "8"])).unwrap();
        assert_eq!(o.params.seed, 8);
        assert!(options(pairs(&["--settings", json, "--hidden", "8"])).is_err());
        assert!(options(pairs(&["--settings", json, "--scenario", "digits"])).err().unwrap().contains("text lab"));
        let error = options(pairs(&["--scenario", "text", "--evaluate"])).err().unwrap();
        assert!(error.contains("--student"), "{error}");
        let error = load_student(&mut loaded, Path::new(json)).unwrap_err();
        assert!(error.contains("student.json") && error.contains("weights file"), "{error}");
        std::fs::remove_file(json).unwrap();
        std::fs::remove_file(weights).unwrap();
    }
}
