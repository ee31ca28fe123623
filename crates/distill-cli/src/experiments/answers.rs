//! What the teacher's API reveals, measured: each lab's default link with the teacher answering
//! with its label alone, its top k probabilities, or its whole distribution.

use std::fmt::Write as _;

use distill_core::burn::prelude::Device;
use distill_core::params::Params;
use distill_core::scenario::DigitsAssets;
use distill_core::{Answers, Metrics};

use super::newcomer::{LABS, ahead, checkpoints, lab_params, link, mean, percent, runs};

/// One kind of answer in one lab: its link and, per seed, the metrics at each checkpoint.
struct ModeRuns {
    params: Params,
    runs: Vec<Vec<Metrics>>,
}

pub struct LabAnswers {
    name: &'static str,
    steps: Vec<usize>,
    classes: usize,
    modes: Vec<ModeRuns>,
}

/// The answers measured in a lab of `classes` classes: labels, the top k for k of 1, 3 and 5
/// where that is less than the whole distribution, and the whole distribution.
fn modes(classes: usize) -> Vec<Vec<(&'static str, String)>> {
    let mut modes = vec![vec![("answers", "label".to_string())]];
    for k in [1, 3, 5] {
        if Answers::Top(k).effective(classes) != Answers::Full {
            modes.push(vec![("answers", "top".into()), ("top_k", k.to_string())]);
        }
    }
    modes.push(vec![("answers", "full".into())]);
    modes
}

pub fn measure(assets: &DigitsAssets, device: &Device, seeds: &[u64]) -> Result<Vec<LabAnswers>, String> {
    let mut labs = Vec::new();
    for (lab, name) in LABS {
        let base = lab_params(lab, &[])?;
        let classes = base.class_count();
        let mut measured = Vec::new();
        for overrides in modes(classes) {
            let params = lab_params(lab, &overrides)?;
            measured.push(ModeRuns { runs: runs(&params, assets, device, seeds)?, params });
        }
        labs.push(LabAnswers { name, steps: checkpoints(&base), classes, modes: measured });
    }
    Ok(labs)
}

pub fn write(w: &mut String, seeds: &[u64], labs: &[LabAnswers]) {
    let n = seeds.len();
    writeln!(w, "\n## What the teacher's API reveals (`answers`)\n").unwrap();
    writeln!(
        w,
        "A real API returns text or a label, at most with the probabilities of its top few answers; never its whole \
         distribution. Each lab's default link again, with the teacher answering each query with its label alone \
         (`answers=label`), its top k probabilities (`answers=top`) or its whole distribution (`answers=full`). Each \
         cell: the distilled student's mean test accuracy over seeds {}–{}, and on how many seeds it is ahead of the \
         baseline; the baseline, which never asks the teacher, is the same in every mode.",
        seeds[0],
        seeds[n - 1]
    )
    .unwrap();
    for lab in labs {
        table(w, n, lab);
    }
}

fn table(w: &mut String, n: usize, lab: &LabAnswers) {
    writeln!(w, "\n### The {} ({} classes)\n", lab.name, lab.classes).unwrap();
    if Answers::Top(1).effective(lab.classes) == Answers::Full {
        writeln!(
            w,
            "With {} classes the top class's probability gives the other's: any `top` is `full`.\n",
            lab.classes
        )
        .unwrap();
    }
    write!(w, "| student steps |").unwrap();
    for mode in &lab.modes {
        write!(w, " {} |", link(&mode.params)).unwrap();
    }
    writeln!(w, " baseline |\n|---|{}---|", "---|".repeat(lab.modes.len())).unwrap();
    for (at, step) in lab.steps.iter().enumerate() {
        write!(w, "| {step} |").unwrap();
        for mode in &lab.modes {
            let accuracy = mean(mode.runs.iter().map(|r| r[at].models.student.accuracy));
            write!(w, " {} ({} of {n}) |", percent(accuracy), ahead(&mode.runs, at)).unwrap();
        }
        let baseline = mean(lab.modes[0].runs.iter().map(|r| r[at].models.baseline.accuracy));
        writeln!(w, " {} |", percent(baseline)).unwrap();
    }
    let last = lab.steps.len() - 1;
    let bought: Vec<String> = lab
        .modes
        .iter()
        .map(|mode| {
            let m = &mode.runs[0][last];
            format!(
                "{} numbers in {} answers with {}",
                m.numbers_received,
                m.answers_used,
                mode.params.answers_revealed().label()
            )
        })
        .collect();
    writeln!(w, "\nBought by step {}: {}.", lab.steps[last], bought.join("; ")).unwrap();
}
