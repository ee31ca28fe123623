//! Runs a distillation session from the shell, with the page's settings as flags.
//!
//! `cargo run --release --bin distill -- --scenario digits --hidden 16 --temperature 8`
//!
//! Every URL parameter of the page is a flag of the same name (`--max-steps` or `--max_steps`).
//! Also: `--every N` (table row interval), `--csv FILE`, `--data FILE`, `--teacher FILE`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use crate::{args, assets, scenario};
use distill_core::burn::prelude::Device;
use distill_core::params::{PAGE_ONLY, Params, TABLE, applies_to};
use distill_core::run_spec::Scenario;
use distill_core::{Metrics, Phase, QueriesFrom, Session, Transfer};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

struct Options {
    params: Params,
    every: Option<usize>,
    csv: Option<PathBuf>,
    data: PathBuf,
    teacher: PathBuf,
}

fn options() -> Result<Options, String> {
    let pairs = args::pairs(std::env::args().skip(1))?;
    let mut params = Params::default();
    // The scenario chooses the defaults the other flags then override.
    if let Some((_, scenario)) = pairs.iter().rev().find(|(name, _)| name == "scenario") {
        strict_set(&mut params, "scenario", scenario)?;
        params = Params::for_scenario(params.scenario);
    }
    let mut options = Options { params, every: None, csv: None, data: assets::digits(), teacher: assets::teacher() };
    for (name, value) in pairs {
        match name.as_str() {
            "every" => options.every = Some(args::parse::<usize>(&name, &value)?.max(1)),
            "csv" => options.csv = Some(value.into()),
            "data" => options.data = value.into(),
            "teacher" => options.teacher = value.into(),
            "scenario" => {}
            name if PAGE_ONLY.contains(&name) => {
                return Err(format!("--{name} is a setting of the page, not of the shell"));
            }
            name if TABLE.iter().any(|s| s.name == name) && !options.params.applies(name) => {
                let (other, flag) = match options.params.scenario {
                    Scenario::Digits => ("2-D", "shapes"),
                    Scenario::Shapes => ("digits", "digits"),
                };
                return Err(format!("--{name} is a setting of the {other} lab (--scenario {flag})"));
            }
            _ => strict_set(&mut options.params, &name, &value)?,
        }
    }
    Ok(options)
}

/// Unlike the page, which clamps and carries on, the shell refuses a value outside the table.
fn strict_set(params: &mut Params, name: &str, value: &str) -> Result<(), String> {
    if !TABLE.iter().any(|spec| spec.name == name) {
        let known: Vec<&str> = TABLE.iter().map(|s| s.name).filter(|n| !PAGE_ONLY.contains(n)).collect();
        return Err(format!(
            "unknown flag --{name}; known: --{}, --every, --csv, --data, --teacher",
            known.join(", --")
        ));
    }
    match params.set(name, value) {
        Some(notice) => Err(format!("invalid value: {notice}")),
        None => Ok(()),
    }
}

#[derive(Serialize)]
struct CsvRow {
    step: usize,
    teacher_step: usize,
    phase: &'static str,
    loss_soft: Option<f32>,
    loss_hard: Option<f32>,
    loss_total: Option<f32>,
    loss_baseline: Option<f32>,
    teacher_loss: Option<f32>,
    acc_teacher: f32,
    acc_student: f32,
    acc_baseline: f32,
    agreement: f32,
    kl_student: f32,
    kl_baseline: f32,
    ce_teacher: f32,
    ce_student: f32,
    ce_baseline: f32,
    answers_used: usize,
    bias_shift: f32,
    steps_per_second: f64,
}

fn percent(v: f32) -> String {
    format!("{:.1}%", 100.0 * v)
}

fn loss(v: Option<f32>) -> String {
    v.map_or_else(|| "–".into(), |v| format!("{v:.4}"))
}

const HEADER: &str = "   step │   soft    hard   total │ base CE │ teacher student baseline │ agree  KL(t‖s) │ steps/s";

fn row(metrics: &Metrics, steps_per_second: f64) -> String {
    if metrics.phase == Phase::Teacher {
        return format!(
            "teacher {:>5} │ teacher loss {} │ teacher accuracy {}",
            metrics.teacher_step,
            loss(metrics.models.teacher.loss),
            percent(metrics.models.teacher.accuracy)
        );
    }
    format!(
        "{:>7} │ {:>6} {:>7} {:>7} │ {:>7} │ {:>7} {:>7} {:>8} │ {:>5} {:>8.4} │ {:>7.0}",
        metrics.step,
        loss(metrics.loss_soft),
        loss(metrics.loss_hard),
        loss(metrics.models.student.loss),
        loss(metrics.models.baseline.loss),
        percent(metrics.models.teacher.accuracy),
        percent(metrics.models.student.accuracy),
        percent(metrics.models.baseline.accuracy),
        percent(metrics.models.student.agreement),
        metrics.models.student.kl,
        steps_per_second
    )
}

fn summary(session: &Session, metrics: &Metrics, test_points: usize, seconds: f64) {
    let config = session.config();
    let errors = |accuracy: f32| ((1.0 - accuracy) * test_points as f32).round() as usize;
    println!();
    println!(
        "{:<9} {:>16} {:>10} {:>9} {:>7} {:>14}",
        "model", "shape", "params", "test acc", "errors", "KL to teacher"
    );
    let rows = [
        ("teacher", session.teacher_label(), session.teacher_params(), metrics.models.teacher.accuracy, None),
        (
            "student",
            session.student_label(),
            session.student_params(),
            metrics.models.student.accuracy,
            Some(metrics.models.student.kl),
        ),
        (
            "baseline",
            session.student_label(),
            session.student_params(),
            metrics.models.baseline.accuracy,
            Some(metrics.models.baseline.kl),
        ),
    ];
    for (name, shape, params, accuracy, kl) in rows {
        let kl = kl.map_or_else(|| "–".into(), |kl| format!("{kl:.4}"));
        println!("{name:<9} {shape:>16} {params:>10} {:>9} {:>7} {kl:>14}", percent(accuracy), errors(accuracy));
    }
    if let Some(class) = config.omit {
        println!(
            "class {class} left out of the transfer set: the student gets {} of the test {class}s right with a bias shift of {:.1}, {} without",
            percent(metrics.models.student.per_class[class]),
            metrics.bias_shift,
            percent(metrics.per_class_student_unshifted[class])
        );
    }
    println!(
        "T = {}, α = {}, {} student steps in {:.1} s; student agrees with the teacher on {} of the test points",
        config.temperature,
        config.alpha,
        metrics.step,
        seconds,
        percent(metrics.models.student.agreement)
    );
}

fn run(options: Options) -> Result<(), String> {
    let params = &options.params;
    let digits = match params.scenario {
        Scenario::Digits => Some(assets::load_digits(&options.data, &options.teacher)?),
        Scenario::Shapes => None,
    };
    let device = Device::flex();
    let mut session = scenario::session(params, digits.as_ref(), &device)?;
    let test_points = session.test_len();
    let max_steps = params.max_steps;
    let every = options.every.unwrap_or((max_steps / 20).max(1));
    let mut csv = match &options.csv {
        Some(path) => Some(csv::Writer::from_path(path).map_err(|e| format!("{}: {e}", path.display()))?),
        None => None,
    };

    let teacher_steps = session.config().teacher_steps;
    let bar = ProgressBar::new((teacher_steps + max_steps) as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} steps  {msg}")
            .expect("a valid template")
            .progress_chars("█▉ "),
    );
    let config = session.config();
    let examples = match config.transfer {
        Transfer::Train => format!("both learn on {} labelled examples", session.labelled_examples()),
        Transfer::Queries => format!(
            "the student asks the teacher about {} {} inputs, the baseline learns on {} labelled examples",
            config.queries,
            if config.queries_from == QueriesFrom::Data { "data-like" } else { "uniform" },
            session.labelled_examples()
        ),
    };
    println!(
        "{} scenario: teacher {}, student and baseline {}; {examples}",
        params.value("scenario").map(|v| v.render()).unwrap_or_default(),
        session.teacher_label(),
        session.student_label(),
    );
    let started = Instant::now();
    let mut last = (started, 0usize);
    let mut csv_error = None;
    bar.suspend(|| println!("{HEADER}"));
    let metrics = scenario::train(&mut session, max_steps, every, |session, metrics| {
        let now = Instant::now();
        let done = session.teacher_step_count() + session.step_count();
        let rate = (done - last.1) as f64 / now.duration_since(last.0).as_secs_f64().max(1e-9);
        last = (now, done);
        bar.set_position(done as u64);
        bar.suspend(|| println!("{}", row(metrics, rate)));
        if let Some(writer) = csv.as_mut() {
            let result = writer.serialize(CsvRow {
                step: metrics.step,
                teacher_step: metrics.teacher_step,
                phase: if metrics.phase == Phase::Teacher { "teacher" } else { "distill" },
                loss_soft: metrics.loss_soft,
                loss_hard: metrics.loss_hard,
                loss_total: metrics.models.student.loss,
                loss_baseline: metrics.models.baseline.loss,
                teacher_loss: metrics.models.teacher.loss,
                acc_teacher: metrics.models.teacher.accuracy,
                acc_student: metrics.models.student.accuracy,
                acc_baseline: metrics.models.baseline.accuracy,
                agreement: metrics.models.student.agreement,
                kl_student: metrics.models.student.kl,
                kl_baseline: metrics.models.baseline.kl,
                ce_teacher: metrics.models.teacher.test_ce,
                ce_student: metrics.models.student.test_ce,
                ce_baseline: metrics.models.baseline.test_ce,
                answers_used: metrics.answers_used,
                bias_shift: metrics.bias_shift,
                steps_per_second: rate,
            });
            csv_error = csv_error.take().or(result.err());
        }
    });
    bar.finish_and_clear();
    let metrics = metrics?;
    if let (Some(writer), Some(path)) = (csv.as_mut(), &options.csv) {
        match csv_error {
            Some(error) => return Err(format!("{}: {error}", path.display())),
            None => writer.flush().map_err(|e| format!("{}: {e}", path.display()))?,
        }
    }
    summary(&session, &metrics, test_points, started.elapsed().as_secs_f64());
    Ok(())
}

/// The flags, from the parameter table, with each lab's default.
fn help() -> String {
    let (shapes, digits) = (Params::for_scenario(Scenario::Shapes), Params::for_scenario(Scenario::Digits));
    let mut text = String::from(
        "distill: a distillation run from the shell, with the page's settings as flags.\n\n\
         usage: distill [--name value]...   (names with - or _, e.g. --max-steps 2000)\n\n",
    );
    for spec in TABLE.iter().filter(|s| !PAGE_ONLY.contains(&s.name)) {
        let (in_shapes, in_digits) = (applies_to(spec.name, Scenario::Shapes), applies_to(spec.name, Scenario::Digits));
        let render = |params: &Params| params.value(spec.name).map(|v| v.render()).unwrap_or_default();
        let default = match (in_shapes, in_digits) {
            (true, true) if spec.name != "scenario" && render(&shapes) != render(&digits) => {
                format!("{}; digits: {}", render(&shapes), render(&digits))
            }
            (false, true) => format!("{}; digits lab only", render(&digits)),
            (true, false) => format!("{}; 2-D lab only", render(&shapes)),
            _ => render(&shapes),
        };
        text += &format!("  --{:<15} {} (default: {default})\n", spec.name, spec.help);
    }
    text += "  --every N         print a row every N steps (default: 20 rows a run)\n\
             \x20 --csv FILE        write every row to FILE\n\
             \x20 --data FILE      the digits file (default: www/data/digits.bin.gz)\n\
             \x20 --teacher FILE   the digits teacher (default: www/models/digits-teacher.bpk)\n";
    text
}

pub fn main() -> ExitCode {
    if std::env::args().skip(1).any(|arg| arg == "--help" || arg == "-h") {
        print!("{}", help());
        return ExitCode::SUCCESS;
    }
    args::finish("distill", options().and_then(run))
}
