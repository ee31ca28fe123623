//! Runs a distillation session from the shell, with the page's settings as flags.
//!
//! `cargo run --release --bin distill -- --scenario digits --hidden 16 --temperature 8`
//!
//! Every URL parameter of the page is a flag of the same name (`--max-steps` or `--max_steps`).
//! Also: `--every N` (table row interval), `--csv FILE`, `--data FILE`, `--teacher FILE`, and for
//! a student exported from the page, `--settings FILE` (its settings, under the other flags),
//! `--student FILE` (its weights) and `--evaluate` (its test accuracy, without training).
//!
//! `options` reads the flags, `student` builds the session and loads a student into it,
//! `report` prints the rows and the summary.

mod options;
mod report;
mod student;

use std::process::ExitCode;
use std::time::Instant;

use crate::{args, scenario};
use distill_core::params::{PAGE_ONLY, Params, TABLE, applies_to};
use distill_core::run_spec::Scenario;
use distill_core::{QueriesFrom, ReportRow, Transfer};
use indicatif::{ProgressBar, ProgressStyle};
use options::Options;
use report::{HEADER, percent, row, summary};

fn run(options: Options) -> Result<(), String> {
    let params = &options.params;
    let mut session = student::session(&options)?;
    if options.evaluate {
        let evaluation = student::evaluate(&session, &options)?;
        let stated = evaluation.stated.map(|stated| format!(" (the file says {})", percent(stated)));
        println!("student test accuracy: {}{}", percent(evaluation.accuracy), stated.unwrap_or_default());
        return Ok(());
    }
    let test_points = session.test_len();
    let max_steps = params.max_steps;
    let every = options.every.unwrap_or((max_steps / 20).max(1));
    let mut csv = options.csv.as_deref().map(report::csv_writer).transpose()?;

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
    if let Some(path) = &options.student {
        println!("the distilled student starts from {}", path.display());
    }
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
            let result = writer.serialize(ReportRow::new(metrics, rate));
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
             \x20 --data FILE       the digits file (default: www/data/digits.bin.gz)\n\
             \x20 --teacher FILE    the digits teacher (default: www/models/digits-teacher.bpk)\n\
             \x20 --settings FILE   start from a student's settings file (distill-student.json, saved by\n\
             \x20                   the page); the other flags override its settings\n\
             \x20 --student FILE    load the distilled student's weights (distill-student.bpk) before\n\
             \x20                   training, which then continues from them\n\
             \x20 --evaluate        print the loaded student's test accuracy and stop, without training\n";
    text
}

pub fn main() -> ExitCode {
    let flags = || std::env::args().skip(1).filter(|arg| arg != "--help" && arg != "-h");
    let read = || args::pairs_and_switches(flags(), &["evaluate"]);
    // `--scenario text`, or a text-lab student's settings file, chooses the text lab.
    let text_lab = read().is_ok_and(|pairs| {
        pairs.iter().any(|(name, value)| name == "scenario" && value == "text")
            || crate::distill_text::names_text_lab(&pairs)
    });
    if std::env::args().skip(1).any(|arg| arg == "--help" || arg == "-h") {
        print!("{}", if text_lab { crate::distill_text::HELP.to_string() } else { help() });
        return ExitCode::SUCCESS;
    }
    if text_lab {
        return args::finish("distill", read().and_then(crate::distill_text::main));
    }
    args::finish("distill", options::options(std::env::args().skip(1)).and_then(run))
}

/// A scratch file for a test, in the system's temporary folder.
#[cfg(test)]
fn scratch_path(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("distill-cli-{}-{name}", std::process::id()))
}
