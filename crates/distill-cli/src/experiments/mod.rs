//! Reproduces the digits experiments of Hinton, Vinyals & Dean (2015) at browser scale and writes
//! `EXPERIMENTS.md`: `cargo run --release --bin experiments`.
//!
//! First, each lab's default link over several seeds and step counts (what a newcomer sees),
//! with the API story (queries like the data against uniform ones) and the case where labels
//! alone do as well.
//!
//! `--seeds N` (default 5), `--steps N` (default 6000), `--out FILE`, `--part newcomer|paper|all`.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use crate::scenario;
use crate::{args, assets};
use distill_core::Metrics;
use distill_core::Transfer;
use distill_core::burn::prelude::Device;
use distill_core::data::digits;
use distill_core::params::Params;
use distill_core::run_spec::Scenario;
use distill_core::scenario::DigitsAssets;

mod newcomer;

const STUDENTS: [&str; 2] = ["64", "16"];
const TEMPERATURES: [f32; 5] = [1.0, 2.0, 4.0, 8.0, 20.0];
const OMITTED: usize = 3;
/// The paper's temperature for its left-out-3 student.
const OMIT_TEMPERATURE: f32 = 20.0;
/// The paper's shift for its left-out 3s.
const PAPER_SHIFT: f32 = 3.5;

struct Lab {
    assets: DigitsAssets,
    device: Device,
    steps: usize,
    test: usize,
    runs: usize,
    started: Instant,
}

impl Lab {
    /// One session with the digits defaults and these overrides.
    fn run(&mut self, overrides: &[(&str, String)]) -> Result<Metrics, String> {
        let mut params = paper_params();
        params.max_steps = self.steps;
        for (name, value) in overrides {
            if let Some(notice) = params.set(name, value) {
                return Err(notice);
            }
        }
        let mut session = scenario::session(&params, Some(&self.assets), &self.device)?;
        let metrics = scenario::train(&mut session, self.steps, self.steps, |_, _| {})?;
        self.runs += 1;
        eprintln!("  run {:>3} ({:.0} s): {overrides:?}", self.runs, self.started.elapsed().as_secs_f32());
        Ok(metrics)
    }

    fn errors(&self, accuracy: f32) -> f64 {
        ((1.0 - accuracy as f64) * self.test as f64).round()
    }
}

/// The paper's setting: both students learn from all the training digits, with their labels, at
/// the step these tables were first measured with (the newcomer's default instead gives them a
/// few labels and the distilled one the teacher's answers to its queries).
fn paper_params() -> Params {
    let mut params = Params::for_scenario(Scenario::Digits);
    (params.transfer, params.transfer_size, params.lr) = (Transfer::Train, 0, 0.001);
    params
}

/// Mean and sample standard deviation.
fn mean_sd(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = if values.len() > 1 { values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0) } else { 0.0 };
    (mean, var.sqrt())
}

fn show(values: &[f64]) -> String {
    let (mean, sd) = mean_sd(values);
    format!("{mean:.1} ± {sd:.1}")
}

fn show_percent(values: &[f64]) -> String {
    let (mean, sd) = mean_sd(values);
    format!("{:.1}% ± {:.1}", 100.0 * mean, 100.0 * sd)
}

struct Settings {
    seeds: u64,
    steps: usize,
    out: PathBuf,
    /// Which sections to run: `newcomer`, `paper` or `all` (the file is written only for `all`).
    part: String,
}

fn settings() -> Result<Settings, String> {
    let mut s = Settings { seeds: 5, steps: 6000, out: assets::root().join("EXPERIMENTS.md"), part: "all".into() };
    for (name, value) in args::pairs(std::env::args().skip(1))? {
        match name.as_str() {
            "seeds" => s.seeds = args::parse::<u64>(&name, &value)?.max(2),
            "steps" => s.steps = args::parse::<usize>(&name, &value)?.max(1),
            "out" => s.out = value.into(),
            "part" if ["newcomer", "paper", "all"].contains(&value.as_str()) => s.part = value,
            _ => return Err(format!("unknown flag --{name}; flags: --seeds --steps --out --part newcomer|paper|all")),
        }
    }
    Ok(s)
}

fn run(s: Settings) -> Result<(), String> {
    let assets = assets::shipped_digits()?;
    let test = assets.split.test.len();
    let train = assets.split.train.len();
    let mut lab = Lab { assets, device: Device::flex(), steps: s.steps, test, runs: 0, started: Instant::now() };
    let seeds: Vec<u64> = (1..=s.seeds).collect();
    let defaults = paper_params().run_spec().session;
    let mut md = String::new();
    let w = &mut md;
    writeln!(w, "# Experiments: distillation at browser scale\n").unwrap();
    writeln!(w, "Produced by `cargo run --release --bin experiments` (this whole file; nothing edited by hand).")
        .unwrap();
    if s.part != "paper" {
        newcomer::section(w, &lab.assets, &lab.device, &seeds)?;
    }
    if s.part == "newcomer" {
        print!("{md}");
        return Ok(());
    }
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
        s.steps,
        defaults.temperature,
        defaults.alpha,
        seeds[0],
        seeds[seeds.len() - 1]
    )
    .unwrap();

    // 1. Teacher, baseline and distilled student, two sizes.
    eprintln!("students at the default temperature");
    writeln!(w, "\n### 1. Test errors (of {test})\n").unwrap();
    writeln!(w, "| student | parameters | teacher | baseline (hard labels) | distilled | distilled wins on |").unwrap();
    writeln!(w, "|---|---|---|---|---|---|").unwrap();
    let mut findings = Vec::new();
    for hidden in STUDENTS {
        let mut teacher = Vec::new();
        let mut baseline = Vec::new();
        let mut student = Vec::new();
        for &seed in &seeds {
            let m = lab.run(&[("hidden", hidden.into()), ("seed", seed.to_string())])?;
            teacher.push(lab.errors(m.models.teacher.accuracy));
            baseline.push(lab.errors(m.models.baseline.accuracy));
            student.push(lab.errors(m.models.student.accuracy));
        }
        let wins = student.iter().zip(&baseline).filter(|(s, b)| s < b).count();
        let spec = distill_core::MlpSpec::new(784, vec![hidden.parse().unwrap()], 10);
        writeln!(
            w,
            "| {} | {} | {} | {} | {} | {wins} of {} seeds |",
            spec.label(),
            spec.num_params(),
            show(&teacher),
            show(&baseline),
            show(&student),
            seeds.len()
        )
        .unwrap();
        let (b, _) = mean_sd(&baseline);
        let (d, _) = mean_sd(&student);
        findings.push(format!(
            "- {}: the distilled student makes {:.1} errors on average against the baseline's {:.1} ({}), and wins on {wins} of {} seeds.",
            spec.label(),
            d,
            b,
            if d < b { format!("{:.0}% fewer", 100.0 * (b - d) / b) } else { format!("{:.0}% more: distillation does not win here", 100.0 * (d - b) / b) },
            seeds.len()
        ));
    }
    writeln!(w, "\n{}", findings.join("\n")).unwrap();

    // 2. Temperature sweep.
    eprintln!("temperature sweep");
    writeln!(w, "\n### 2. Temperature (distilled student's test errors; the baseline ignores T)\n").unwrap();
    write!(w, "| student |").unwrap();
    for t in TEMPERATURES {
        write!(w, " T = {t} |").unwrap();
    }
    writeln!(w, " baseline |\n|---|{}---|", "---|".repeat(TEMPERATURES.len())).unwrap();
    let mut sweep_findings = Vec::new();
    for hidden in STUDENTS {
        let mut cells = Vec::new();
        let mut means = Vec::new();
        let mut baseline = Vec::new();
        for t in TEMPERATURES {
            let mut errors = Vec::new();
            for &seed in &seeds {
                let m =
                    lab.run(&[("hidden", hidden.into()), ("seed", seed.to_string()), ("temperature", t.to_string())])?;
                errors.push(lab.errors(m.models.student.accuracy));
                if t == TEMPERATURES[0] {
                    baseline.push(lab.errors(m.models.baseline.accuracy));
                }
            }
            means.push(mean_sd(&errors).0);
            cells.push(show(&errors));
        }
        writeln!(w, "| 784-{hidden}-10 | {} | {} |", cells.join(" | "), show(&baseline)).unwrap();
        let best = (0..TEMPERATURES.len()).min_by(|&a, &b| means[a].total_cmp(&means[b])).unwrap();
        let worst = (0..TEMPERATURES.len()).max_by(|&a, &b| means[a].total_cmp(&means[b])).unwrap();
        let base = mean_sd(&baseline).0;
        let beaten = means.iter().filter(|&&m| m < base).count();
        let not_beaten: Vec<String> =
            TEMPERATURES.iter().zip(&means).filter(|(_, m)| **m >= base).map(|(t, _)| format!("T = {t}")).collect();
        let losses = if not_beaten.is_empty() {
            String::new()
        } else {
            format!(" It does not win at {}.", not_beaten.join(", "))
        };
        sweep_findings.push(format!(
            "- 784-{hidden}-10: fewest errors at T = {} ({:.1}), most at T = {} ({:.1}); the distilled student beats the baseline's {:.1} at {beaten} of {} temperatures.{losses}",
            TEMPERATURES[best], means[best], TEMPERATURES[worst], means[worst], base, TEMPERATURES.len()
        ));
    }
    writeln!(w, "\n{}", sweep_findings.join("\n")).unwrap();

    // 3. A class the student never sees.
    eprintln!("left-out 3s");
    writeln!(
        w,
        "\n### 3. Every {OMITTED} left out of the transfer set (784-64-10, T = {OMIT_TEMPERATURE})\n\n\
         The student learns from the other nine classes only; the teacher's soft targets on them still \
         say how much each digit looks like a {OMITTED}. At test time the student's output bias for {OMITTED} \
         is raised by the paper's 3.5, or by a shift fitted on a calibration slice of 20 labelled training \
         digits per class (held out of the transfer set; of the shifts 0, 0.1, …, 10, the middle one of those \
         that classify the slice best).\n"
    )
    .unwrap();
    writeln!(w, "| | test {OMITTED}s right | all test digits right | shift |").unwrap();
    writeln!(w, "|---|---|---|---|").unwrap();
    let (mut raw3, mut raw_all, mut manual3, mut manual_all, mut auto3, mut auto_all, mut shifts, mut base3) =
        (vec![], vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
    for &seed in &seeds {
        let overrides = [
            ("hidden", "64".to_string()),
            ("seed", seed.to_string()),
            ("omit", OMITTED.to_string()),
            ("temperature", OMIT_TEMPERATURE.to_string()),
        ];
        let m = lab.run(&[&overrides[..], &[("bias_shift", PAPER_SHIFT.to_string())]].concat())?;
        raw3.push(m.per_class_student_unshifted[OMITTED] as f64);
        raw_all.push(m.acc_student_unshifted as f64);
        manual3.push(m.models.student.per_class[OMITTED] as f64);
        manual_all.push(m.models.student.accuracy as f64);
        base3.push(m.models.baseline.per_class[OMITTED] as f64);
        let m = lab.run(&[&overrides[..], &[("bias_auto", "1".to_string())]].concat())?;
        auto3.push(m.models.student.per_class[OMITTED] as f64);
        auto_all.push(m.models.student.accuracy as f64);
        shifts.push(m.bias_shift as f64);
    }
    writeln!(w, "| baseline (hard labels, no {OMITTED}s) | {} | | |", show_percent(&base3)).unwrap();
    writeln!(w, "| distilled, no shift | {} | {} | 0 |", show_percent(&raw3), show_percent(&raw_all)).unwrap();
    writeln!(
        w,
        "| distilled, shift {PAPER_SHIFT} | {} | {} | {PAPER_SHIFT} |",
        show_percent(&manual3),
        show_percent(&manual_all)
    )
    .unwrap();
    writeln!(
        w,
        "| distilled, fitted shift | {} | {} | {} |",
        show_percent(&auto3),
        show_percent(&auto_all),
        show(&shifts)
    )
    .unwrap();
    writeln!(
        w,
        "\nThe paper's student, at 60,000 digits and an 800-800 network, got 98.6% of the test 3s right after a \
         shift of 3.5. Here, with no 3 in its transfer set, the distilled student gets {:.1}% of them right without \
         a shift and {:.1}% with the fitted one; the baseline, which learns from labels, can never name a class it has not seen.",
        100.0 * mean_sd(&raw3).0,
        100.0 * mean_sd(&auto3).0
    )
    .unwrap();
    writeln!(
        w,
        "\n{} runs of the paper's experiments; the whole file took {:.0} s on the CPU backend (`flex`).",
        lab.runs,
        lab.started.elapsed().as_secs_f64()
    )
    .unwrap();

    if s.part != "all" {
        print!("{md}");
        return Ok(());
    }
    std::fs::write(&s.out, &md).map_err(|e| format!("{}: {e}", s.out.display()))?;
    print!("{md}");
    Ok(())
}

pub fn main() -> ExitCode {
    args::finish("experiments", settings().and_then(run))
}
