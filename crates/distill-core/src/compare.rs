//! The page's "run the experiment" button: for the current settings, the distilled student
//! trained with each kind of answer the teacher's API could give, over a few seeds, beside the
//! baseline. What to run and how to sum it up; the page runs the plan on a CPU engine of its own.

use crate::answers::{AnswerKind, Answers};
use crate::config::{QueriesFrom, Transfer};
use crate::metrics::Metrics;
use crate::params::Params;
use crate::run_spec::{BackendChoice, RunSpec, Scenario};

/// The seeds every comparison runs.
pub const SEEDS: [u64; 3] = [1, 2, 3];
/// Student steps of each run, at most: enough to tell the modes apart in about a minute on a
/// laptop's CPU (the lab's own `max_steps` is the limit when it is lower).
pub const SHAPES_STEPS: usize = 1000;
pub const DIGITS_STEPS: usize = 300;

/// One run of the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedRun {
    pub answers: Answers,
    /// Where the student asks about the other kind of input than the lab's own.
    pub other_queries: Option<QueriesFrom>,
    pub seed: u64,
    pub spec: RunSpec,
}

/// The runs for `params`: labels alone, the top k (where k is less than the whole distribution),
/// and the whole distribution, each over [`SEEDS`], on the CPU, `steps` student steps each. When
/// the student asks the teacher about queries, the whole distribution is bought a second time for
/// the other kind of query (uniform noise against inputs like the data).
pub fn plan(params: &Params) -> Vec<PlannedRun> {
    let classes = params.class_count();
    let mut kinds = vec![(Answers::Label, None)];
    // The lab's own k, or 3 where the current answers are not a top k.
    let k = if params.answers == AnswerKind::Top { params.top_k } else { 3 };
    let top = Answers::new(AnswerKind::Top, k.min(classes.saturating_sub(2)).max(1));
    if top.effective(classes) != Answers::Full {
        kinds.push((top, None));
    }
    kinds.push((Answers::Full, None));
    let own = params.run_spec().session;
    if own.transfer == Transfer::Queries {
        let other = match own.queries_from {
            QueriesFrom::Data => QueriesFrom::Uniform,
            QueriesFrom::Uniform => QueriesFrom::Data,
        };
        kinds.push((Answers::Full, Some(other)));
    }
    let limit = if params.scenario == Scenario::Digits { DIGITS_STEPS } else { SHAPES_STEPS };
    let mut runs = Vec::new();
    for (answers, other_queries) in kinds {
        for seed in SEEDS {
            let mut spec = params.run_spec();
            spec.session.answers = answers;
            spec.session.queries_from = other_queries.unwrap_or(spec.session.queries_from);
            spec.session.seed = seed;
            spec.backend = BackendChoice::Cpu;
            spec.max_steps = params.max_steps.min(limit);
            spec.hooks = Default::default();
            spec.background = true;
            runs.push(PlannedRun { answers, other_queries, seed, spec });
        }
    }
    runs
}

/// A kind of answer as the table names it: `label`, `top 3`, `full`, or `full (uniform)` where the
/// queries are the other kind than the lab's own.
pub fn mode(answers: Answers, other_queries: Option<QueriesFrom>) -> String {
    match other_queries {
        None => answers.label(),
        Some(QueriesFrom::Uniform) => format!("{} (uniform)", answers.label()),
        Some(QueriesFrom::Data) => format!("{} (like data)", answers.label()),
    }
}

/// What one run reached.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub answers: Answers,
    pub other_queries: Option<QueriesFrom>,
    pub seed: u64,
    pub student_accuracy: f32,
    pub baseline_accuracy: f32,
    pub answers_used: usize,
    pub numbers_received: usize,
}

impl Outcome {
    pub fn new(run: &PlannedRun, metrics: &Metrics) -> Self {
        Outcome {
            answers: run.answers,
            other_queries: run.other_queries,
            seed: run.seed,
            student_accuracy: metrics.models.student.accuracy,
            baseline_accuracy: metrics.models.baseline.accuracy,
            answers_used: metrics.answers_used,
            numbers_received: metrics.numbers_received,
        }
    }
}

/// One line of the table and of its CSV: a kind of answer (or the baseline) on one seed.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// `label`, `top 3`, `full`, `full (uniform)` or `baseline`.
    pub mode: String,
    pub seed: u64,
    pub accuracy: f32,
    pub answers: usize,
    pub numbers: usize,
}

/// The table's rows: each outcome, then the baseline once per seed (it never asks the teacher,
/// so it is the same whatever the answers).
pub fn rows(outcomes: &[Outcome]) -> Vec<Row> {
    let mut rows: Vec<Row> = outcomes
        .iter()
        .map(|o| Row {
            mode: mode(o.answers, o.other_queries),
            seed: o.seed,
            accuracy: o.student_accuracy,
            answers: o.answers_used,
            numbers: o.numbers_received,
        })
        .collect();
    let first_mode = outcomes.first().map(|o| (o.answers, o.other_queries));
    rows.extend(outcomes.iter().filter(|o| Some((o.answers, o.other_queries)) == first_mode).map(|o| Row {
        mode: "baseline".into(),
        seed: o.seed,
        accuracy: o.baseline_accuracy,
        answers: 0,
        numbers: 0,
    }));
    rows
}

/// The rows as CSV, under a header.
pub fn csv(rows: &[Row]) -> String {
    let mut out = String::from("mode,seed,test_accuracy,answers,numbers_received\n");
    for row in rows {
        out.push_str(&format!("{},{},{},{},{}\n", row.mode, row.seed, row.accuracy, row.answers, row.numbers));
    }
    out
}

/// Per mode, in the rows' order: its mean accuracy, lowest and highest.
pub fn summary(rows: &[Row]) -> Vec<(String, f32, f32, f32)> {
    let mut modes: Vec<String> = Vec::new();
    for row in rows {
        if !modes.contains(&row.mode) {
            modes.push(row.mode.clone());
        }
    }
    modes
        .into_iter()
        .map(|mode| {
            let values: Vec<f32> = rows.iter().filter(|r| r.mode == mode).map(|r| r.accuracy).collect();
            let mean = values.iter().sum::<f32>() / values.len() as f32;
            let low = values.iter().copied().fold(f32::INFINITY, f32::min);
            let high = values.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            (mode, mean, low, high)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(query: &str) -> Vec<String> {
        let mut kinds: Vec<String> =
            plan(&Params::from_query(query).0).iter().map(|r| mode(r.answers, r.other_queries)).collect();
        kinds.dedup();
        kinds
    }

    #[test]
    fn the_plan_runs_each_kind_of_answer_that_differs_over_three_seeds_on_the_cpu() {
        assert_eq!(kinds(""), ["label", "full", "full (uniform)"], "two classes: any top k is the whole");
        assert_eq!(kinds("classes=4"), ["label", "top 2", "full", "full (uniform)"]);
        assert_eq!(kinds("scenario=digits"), ["label", "top 3", "full", "full (uniform)"]);
        assert_eq!(
            kinds("scenario=digits&answers=top&top_k=5&queries_from=uniform"),
            ["label", "top 5", "full", "full (like data)"]
        );
        assert_eq!(kinds("transfer=train"), ["label", "full"], "no queries: nothing to ask about");
        let runs = plan(&Params::from_query("scenario=digits&backend=webgpu&seed=9&debug=lose-gpu").0);
        assert_eq!(runs.len(), 12);
        assert!(
            runs.iter().all(|r| r.spec.backend == BackendChoice::Cpu && !r.spec.hooks.lose_gpu && r.spec.background)
        );
        assert_eq!(runs.iter().map(|r| r.spec.session.seed).collect::<Vec<_>>()[..3], SEEDS);
        assert!(runs.iter().all(|r| r.spec.max_steps == DIGITS_STEPS && r.spec.session.answers == r.answers));
        let asked = |r: &PlannedRun| r.spec.session.queries_from;
        assert!(runs[..9].iter().all(|r| asked(r) == QueriesFrom::Data && r.other_queries.is_none()));
        assert!(
            runs[9..].iter().all(|r| asked(r) == QueriesFrom::Uniform && r.other_queries == Some(QueriesFrom::Uniform))
        );
        assert!(plan(&Params::from_query("max_steps=40").0).iter().all(|r| r.spec.max_steps == 40));
    }

    fn outcome(answers: Answers, seed: u64, student: f32, baseline: f32) -> Outcome {
        Outcome {
            answers,
            other_queries: None,
            seed,
            student_accuracy: student,
            baseline_accuracy: baseline,
            answers_used: 100,
            numbers_received: 100 * answers.numbers_per_answer(10),
        }
    }

    #[test]
    fn rows_add_the_baseline_once_per_seed_and_sum_up_per_mode() {
        let outcomes = [
            outcome(Answers::Label, 1, 0.5, 0.25),
            outcome(Answers::Label, 2, 0.75, 0.5),
            outcome(Answers::Full, 1, 1.0, 0.25),
            outcome(Answers::Full, 2, 0.5, 0.5),
            Outcome { other_queries: Some(QueriesFrom::Uniform), ..outcome(Answers::Full, 1, 0.9, 0.25) },
        ];
        let rows = rows(&outcomes);
        assert_eq!(rows.len(), 7);
        assert_eq!(rows[4].mode, "full (uniform)");
        assert_eq!(rows[5], Row { mode: "baseline".into(), seed: 1, accuracy: 0.25, answers: 0, numbers: 0 });
        assert_eq!(csv(&rows).lines().nth(3), Some("full,1,1,100,1000"));
        assert_eq!(csv(&rows).lines().count(), 8);
        let summary = summary(&rows);
        assert_eq!(
            summary.iter().map(|s| s.0.as_str()).collect::<Vec<_>>(),
            ["label", "full", "full (uniform)", "baseline"]
        );
        assert_eq!(summary[1], ("full".to_string(), 0.75, 0.5, 1.0));
    }
}
