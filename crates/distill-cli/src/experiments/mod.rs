//! Reproduces the digits experiments of Hinton, Vinyals & Dean (2015) at browser scale and writes
//! `EXPERIMENTS.md`: `cargo run --release --bin experiments`.
//!
//! First, each lab's default link over several seeds and step counts (what a newcomer sees),
//! with the API story (queries like the data against uniform ones) and the case where labels
//! alone do as well.
//!
//! Then what the teacher's API reveals: the default links with labels, top-k probabilities or
//! whole distributions as answers.
//!
//! Then the text lab (`text`): its run without flags over seeds and its own step counts (`--steps`
//! is the digits experiments'), and each kind of answer against the characters bought.
//!
//! `--seeds N` (default 5), `--steps N` (default 6000), `--out FILE`, `--part newcomer|answers|text|paper|all`
//! (one part rewrites its own section of `--out` and keeps the others).

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use crate::{args, assets};
use distill_core::burn::prelude::Device;
use distill_core::data::digits;
use distill_core::data::text::TEXT_PATH;
use distill_core::text_lab::language_model::TEXT_TEACHER_PATH;

mod answers;
mod lab;
mod markdown;
mod newcomer;
mod paper;
mod text;

use lab::{Lab, paper_params};

struct Settings {
    seeds: u64,
    steps: usize,
    out: PathBuf,
    /// Which sections to run: `newcomer`, `answers`, `paper` or `all`.
    part: String,
}

fn settings() -> Result<Settings, String> {
    let mut s = Settings { seeds: 5, steps: 6000, out: assets::root().join("EXPERIMENTS.md"), part: "all".into() };
    for (name, value) in args::pairs(std::env::args().skip(1))? {
        match name.as_str() {
            "seeds" => s.seeds = args::parse::<u64>(&name, &value)?.max(2),
            "steps" => s.steps = args::parse::<usize>(&name, &value)?.max(1),
            "out" => s.out = value.into(),
            "part" if ["newcomer", "answers", "text", "paper", "all"].contains(&value.as_str()) => s.part = value,
            _ => {
                return Err(format!(
                    "unknown flag --{name}; flags: --seeds --steps --out --part newcomer|answers|text|paper|all"
                ));
            }
        }
    }
    Ok(s)
}

fn run(s: Settings) -> Result<(), String> {
    let assets = assets::shipped_digits()?;
    let test = assets.split.test.len();
    let mut lab = Lab { assets, device: Device::flex(), steps: s.steps, test, runs: 0, started: Instant::now() };
    let seeds: Vec<u64> = (1..=s.seeds).collect();
    let wanted = |part: &str| s.part == part || s.part == "all";
    // Loaded first: a damaged file stops the command before hours of measuring, not after.
    let www = assets::root().join("www");
    let text_assets = match wanted("text") {
        true => Some(crate::distill_text::load(&www.join(TEXT_PATH), &www.join(TEXT_TEACHER_PATH), &lab.device)?),
        false => None,
    };
    let mut sections = Vec::new();
    if wanted("newcomer") {
        let labs = newcomer::measure(&lab.assets, &lab.device, &seeds)?;
        sections.push(section(|md| newcomer::write(md, &seeds, &labs)));
    }
    if wanted("answers") {
        let labs = answers::measure(&lab.assets, &lab.device, &seeds)?;
        sections.push(section(|md| answers::write(md, &seeds, &labs)));
    }
    if let Some(text_assets) = &text_assets {
        let results = text::measure(text_assets, &lab.device, &seeds);
        sections.push(section(|md| text::write(md, &seeds, &results)));
    }
    if wanted("paper") {
        let sizes = paper::sizes(&mut lab, &seeds)?;
        let sweeps = paper::sweeps(&mut lab, &seeds)?;
        let left_out = paper::left_out(&mut lab, &seeds)?;
        sections.push(section(|md| {
            paper_intro(md, &lab, &seeds);
            markdown::sizes(md, test, &sizes);
            markdown::sweeps(md, &sweeps);
            markdown::left_out(md, &left_out);
            writeln!(
                md,
                "\n{} runs of the paper's experiments, {:.0} s on the CPU backend (`flex`).",
                lab.runs,
                lab.started.elapsed().as_secs_f64()
            )
            .unwrap();
        }));
    }
    let md = match s.part.as_str() {
        "all" => format!("{HEADER}{}", sections.concat()),
        // One part rewrites its own section of the file and keeps the others.
        _ => {
            let old = std::fs::read_to_string(&s.out).unwrap_or_else(|_| HEADER.to_string());
            sections.iter().fold(old, |file, section| splice(&file, section))
        }
    };
    std::fs::write(&s.out, &md).map_err(|e| format!("{}: {e}", s.out.display()))?;
    print!("{md}");
    Ok(())
}

const HEADER: &str = "# Experiments: distillation at browser scale\n\n\
    Produced by `cargo run --release --bin experiments` (this whole file; nothing edited by hand; \
    `--part newcomer`, `answers`, `text` or `paper` rewrites one section).\n";

/// `file` with the section that has `section`'s `## ` heading replaced by `section` (up to the
/// next such heading), or, where it has none, `section` put in before the paper's, which comes last.
fn splice(file: &str, section: &str) -> String {
    let heading = section.lines().find(|line| line.starts_with("## ")).unwrap_or_default();
    let starts = |from: usize| file[from..].find("\n## ").map_or(file.len(), |at| from + at);
    let (start, end) = match file.find(&format!("\n{heading}\n")) {
        Some(at) => (at, starts(at + 1)),
        None => {
            let paper = file.find("\n## The paper's").unwrap_or(file.len());
            (paper, paper)
        }
    };
    format!("{}{section}{}", &file[..start], &file[end..])
}

/// One section of the file, written by `write`.
fn section(write: impl FnOnce(&mut String)) -> String {
    let mut md = String::new();
    write(&mut md);
    md
}

/// What the paper did, and what every run here shares.
fn paper_intro(w: &mut String, lab: &Lab, seeds: &[u64]) {
    let defaults = paper_params().run_spec().session;
    let (train, test) = (lab.assets.split.train.len(), lab.test);
    writeln!(w, "\n## The paper's digits experiments").unwrap();
    writeln!(
        w,
        "\nHinton, Vinyals & Dean (2015) trained a 1200-1200 teacher on 60,000 MNIST digits (67 test errors), \
         an 800-800 student on hard labels (146 errors) and the same student distilled at T = 20 (74 errors). \
         Here everything is small enough to train in a browser tab: {train} training digits, {test} test digits \
         (the fixed split of `www/data/digits.bin.gz`), the shipped teacher {}, and students with one hidden layer.",
        digits::teacher_spec().label()
    )
    .unwrap();
    writeln!(
        w,
        "\nEvery run: Adam, learning rate {}, batch {}, {} steps for the distilled student and, on the same batches \
         from the same initial weights, the baseline (α = 0). Unless a table says otherwise T = {} and α = {}. \
         Figures are mean ± sample standard deviation over seeds {}–{} (the seed sets initial weights and batch order; \
         the teacher is the same shipped network in every run).",
        defaults.learning_rate,
        defaults.batch_size,
        lab.steps,
        defaults.temperature,
        defaults.alpha,
        seeds[0],
        seeds[seeds.len() - 1]
    )
    .unwrap();
}

pub fn main() -> ExitCode {
    args::finish("experiments", settings().and_then(run))
}

#[cfg(test)]
mod tests {
    use super::splice;

    #[test]
    fn a_part_replaces_its_own_section_or_goes_before_the_papers() {
        let file = "# E\n\n## A\nold a\n\n## The paper's\np\n";
        assert_eq!(splice(file, "\n## A\nnew a\n"), "# E\n\n## A\nnew a\n\n## The paper's\np\n");
        assert_eq!(splice(file, "\n## B\nb\n"), "# E\n\n## A\nold a\n\n## B\nb\n\n## The paper's\np\n");
        assert_eq!(splice(file, "\n## The paper's\nq\n"), "# E\n\n## A\nold a\n\n## The paper's\nq\n");
    }
}
