//! What a newcomer sees: each lab's default link over several seeds and step counts, the API
//! story (queries like the data against uniform ones), and the case where labels alone do as well.

use std::fmt::Write as _;

use distill_core::burn::prelude::Device;
use distill_core::params::Params;
use distill_core::{Answers, Metrics, Transfer};

use crate::scenario;
use distill_core::run_spec::Scenario;
use distill_core::scenario::DigitsAssets;

/// The labs, as the page names them, with the 2-D lab first as on the page.
pub(super) const LABS: [(Scenario, &str); 2] = [(Scenario::Shapes, "2-D lab"), (Scenario::Digits, "digits lab")];
/// Student steps at which a run is measured, as shares of the lab's `max_steps`.
const CHECKPOINTS: [f64; 5] = [0.02, 0.06, 0.2, 0.6, 1.0];

/// A lab's default settings with these overrides (names and values as in a link).
pub fn lab_params(lab: Scenario, overrides: &[(&str, String)]) -> Result<Params, String> {
    let mut params = Params::for_scenario(lab);
    for (name, value) in overrides {
        if let Some(notice) = params.set(name, value) {
            return Err(notice);
        }
    }
    Ok(params)
}

pub(super) fn link(params: &Params) -> String {
    match params.to_query() {
        query if query.is_empty() => "`/` (no parameters)".into(),
        query => format!("`?{query}`"),
    }
}

/// Student steps at which the lab's runs are measured.
pub fn checkpoints(params: &Params) -> Vec<usize> {
    let max_steps = params.max_steps as f64;
    CHECKPOINTS.iter().map(|share| (share * max_steps).round().max(1.0) as usize).collect()
}

/// Per seed, the metrics at each checkpoint.
pub(super) fn runs(
    params: &Params,
    assets: &DigitsAssets,
    device: &Device,
    seeds: &[u64],
) -> Result<Vec<Vec<Metrics>>, String> {
    seeds
        .iter()
        .map(|seed| {
            let mut params = params.clone();
            params.seed = *seed;
            let digits = (params.scenario == Scenario::Digits).then_some(assets);
            let metrics = scenario::metrics_at(&params, digits, device, &checkpoints(&params));
            eprintln!("  {} seed {seed}: {}", link(&params), if metrics.is_ok() { "done" } else { "failed" });
            metrics
        })
        .collect()
}

pub(super) fn ahead(runs: &[Vec<Metrics>], at: usize) -> usize {
    runs.iter().filter(|run| run[at].models.student.accuracy > run[at].models.baseline.accuracy).count()
}

pub(super) fn mean(values: impl Iterator<Item = f32>) -> f32 {
    let values: Vec<f32> = values.collect();
    values.iter().sum::<f32>() / values.len().max(1) as f32
}

pub(super) fn percent(value: f32) -> String {
    format!("{:.1}%", 100.0 * value)
}

/// One lab's runs: its default link, the API story's two kinds of queries, and plenty of labels.
pub struct LabRuns {
    name: &'static str,
    params: Params,
    steps: Vec<usize>,
    default: Vec<Vec<Metrics>>,
    /// Queries like the data, then uniform ones.
    api: [(Params, Vec<Vec<Metrics>>); 2],
    plenty: (Params, Vec<Vec<Metrics>>),
}

/// Every lab's runs, over `seeds`.
pub fn measure(assets: &DigitsAssets, device: &Device, seeds: &[u64]) -> Result<Vec<LabRuns>, String> {
    let mut labs = Vec::new();
    for (lab, name) in LABS {
        let params = lab_params(lab, &[])?;
        let default = runs(&params, assets, device, seeds)?;
        // The API story: the student never sees a label, only answers; the baseline keeps its labels.
        let mut api = Vec::new();
        for from in ["data", "uniform"] {
            let query_params = lab_params(lab, &[("transfer", "queries".into()), ("queries_from", from.into())])?;
            let query_runs = runs(&query_params, assets, device, seeds)?;
            api.push((query_params, query_runs));
        }
        let plenty = lab_params(lab, &[("transfer", "train".into()), ("transfer_size", "0".into())])?;
        let plenty_runs = runs(&plenty, assets, device, seeds)?;
        let api: [_; 2] = api.try_into().map_err(|_| "two kinds of queries".to_string())?;
        labs.push(LabRuns { name, steps: checkpoints(&params), params, default, api, plenty: (plenty, plenty_runs) });
    }
    Ok(labs)
}

/// The section, in Markdown.
pub fn write(w: &mut String, seeds: &[u64], labs: &[LabRuns]) {
    let n = seeds.len();
    writeln!(w, "\n## What a newcomer sees: each lab's default link\n").unwrap();
    writeln!(
        w,
        "The story's roles: the teacher is the big lab's model, trained on all the labelled data; the students own \
         only a few labels of their own (`transfer_size`); the baseline learns from them, while the distilled one \
         asks the teacher about unlabelled inputs like the data and learns from its answers alone (`transfer=queries`). \
         Each cell is the test accuracy of the distilled student / the baseline; seeds {}–{} (the seed sets the students' \
         labelled examples, initial weights and batch order, and in the 2-D lab the data and the teacher too).",
        seeds[0],
        seeds[n - 1]
    )
    .unwrap();
    for lab in labs {
        default_table(w, seeds, lab);
        api_table(w, n, lab);
    }
}

/// The lab's default link, seed by seed and checkpoint by checkpoint.
fn default_table(w: &mut String, seeds: &[u64], lab: &LabRuns) {
    let (params, n) = (&lab.params, seeds.len());
    let config = params.run_spec().session;
    // A distilled student without labels learns from the teacher's answers alone: α is 1.
    let alpha = if config.transfer == Transfer::Queries { 1.0 } else { config.alpha };
    writeln!(
        w,
        "\n### The {}: {}\n\nStudents with hidden widths {}, {} labelled examples of their own; the teacher answers \
         with {} (`answers`); T = {}, α = {alpha}.\n",
        lab.name,
        link(params),
        params.hidden.iter().map(usize::to_string).collect::<Vec<_>>().join(","),
        lab.default[0][0].labelled_examples,
        answers_phrase(config.answers.effective(params.class_count())),
        config.temperature,
    )
    .unwrap();
    write!(w, "| student steps |").unwrap();
    for seed in seeds {
        write!(w, " seed {seed} |").unwrap();
    }
    writeln!(w, " distilled ahead on |\n|---|{}---|", "---|".repeat(n)).unwrap();
    for (at, step) in lab.steps.iter().enumerate() {
        write!(w, "| {step} |").unwrap();
        for run in &lab.default {
            write!(
                w,
                " {} / {} |",
                percent(run[at].models.student.accuracy),
                percent(run[at].models.baseline.accuracy)
            )
            .unwrap();
        }
        writeln!(w, " {} of {n} |", ahead(&lab.default, at)).unwrap();
    }
}

fn answers_phrase(answers: Answers) -> String {
    match answers {
        Answers::Full => "its whole distribution".into(),
        Answers::Top(k) => format!("the probabilities of its top {k} classes"),
        Answers::Label => "its label alone".into(),
    }
}

/// At the last checkpoint: answers to queries like the data, to uniform ones, and plenty of labels.
fn api_table(w: &mut String, n: usize, lab: &LabRuns) {
    let last = lab.steps.len() - 1;
    writeln!(
        w,
        "\n| at step {} | link | distilled | baseline | distilled ahead on |\n|---|---|---|---|---|",
        lab.steps[last]
    )
    .unwrap();
    let [data, uniform] = &lab.api;
    let (plenty, plenty_runs) = &lab.plenty;
    let labelled = plenty_runs[0][last].labelled_examples;
    let queries = |runs: &[Vec<Metrics>], kind: &str| {
        format!(
            "answers to {} {kind}, against {} labels",
            runs[0][last].queries_answered, runs[0][last].labelled_examples
        )
    };
    for (what, params, runs) in [
        (queries(&data.1, "queries like the data"), &data.0, &data.1),
        (queries(&uniform.1, "uniform queries"), &uniform.0, &uniform.1),
        (format!("all {labelled} labels for both students"), plenty, plenty_runs),
    ] {
        writeln!(
            w,
            "| {what} | {} | {} | {} | {} of {n} |",
            link(params),
            percent(mean(runs.iter().map(|r| r[last].models.student.accuracy))),
            percent(mean(runs.iter().map(|r| r[last].models.baseline.accuracy))),
            ahead(runs, last)
        )
        .unwrap();
    }
    let early: Vec<String> = lab
        .steps
        .iter()
        .enumerate()
        .map(|(at, step)| format!("{} of {n} at step {step}", ahead(plenty_runs, at)))
        .collect();
    writeln!(w, "\nWith all {labelled} labels the distilled student is ahead on {}.", early.join(", ")).unwrap();
}
