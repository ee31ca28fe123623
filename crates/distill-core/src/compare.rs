//! The page's "run the experiment" button: for the current settings, the distilled student
//! trained with each kind of answer the teacher's API could give, over a few seeds, beside the
//! baseline. What to run and how to sum it up; the page runs the plan on a CPU engine of its own.

use crate::answers::{AnswerKind, Answers};
use crate::config::{QueriesFrom, Transfer};
use crate::metrics::Metrics;
use crate::params::Params;
use crate::protocol::TextFigures;
use crate::run_spec::{BackendChoice, RunSpec, Scenario, ScenarioSpec};

/// The seeds every comparison runs.
pub const SEEDS: [u64; 3] = [1, 2, 3];
/// Student steps of each run, at most: enough to tell the modes apart in about a minute on a
/// laptop's CPU (the lab's own `max_steps` is the limit when it is lower).
pub const SHAPES_STEPS: usize = 1000;
pub const DIGITS_STEPS: usize = 300;
/// The text lab's runs: at most this many steps and characters bought, the smallest budget of
/// EXPERIMENTS.md's table, where the kinds of answer differ most; buying them takes most of a
/// run (the teacher writes every character), so nine runs take a few minutes.
pub const TEXT_STEPS: usize = 500;
pub const TEXT_API_CHARS: usize = 5_000;

/// What a comparison measures each student by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// The classifier labs: a fraction of the test points right (higher is better).
    TestAccuracy,
    /// The text lab: nats per character on the held-out works (lower is better).
    HeldOutLoss,
}

impl Measure {
    pub fn of(scenario: Scenario) -> Self {
        if scenario == Scenario::Text { Measure::HeldOutLoss } else { Measure::TestAccuracy }
    }

    /// The CSV's column of the measure, and of what the student bought.
    pub fn columns(self) -> (&'static str, &'static str) {
        match self {
            Measure::TestAccuracy => ("test_accuracy", "answers"),
            Measure::HeldOutLoss => ("held_out_loss", "api_chars"),
        }
    }

    /// As the table shows a value: `93.8%`, `2.662`.
    pub fn show(self, value: f32) -> String {
        match self {
            Measure::TestAccuracy => format!("{:.1}%", 100.0 * value),
            Measure::HeldOutLoss => format!("{value:.3}"),
        }
    }
}

/// What one arm of the comparison varies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Arm {
    /// The distilled student with this kind of answer, asking about the lab's own kind of query.
    Answers(Answers),
    /// The distilled student with the whole distribution, asking about the other kind of query.
    OtherQueries(QueriesFrom),
    /// The baseline owning up to this many labels: as many as the distilled student buys answers,
    /// or every training label where there are fewer. Its student is not shown.
    Labels(usize),
}

impl Arm {
    /// As the table and its CSV name it: `label`, `top 3`, `full`, `full (uniform)`, `full (like
    /// data)` or `baseline (up to 1000 labels)` (a row names the labels the baseline really had).
    pub fn name(self) -> String {
        match self {
            Arm::Answers(answers) => answers.label(),
            Arm::OtherQueries(QueriesFrom::Uniform) => "full (uniform)".into(),
            Arm::OtherQueries(QueriesFrom::Data) => "full (like data)".into(),
            Arm::Labels(labels) => format!("baseline (up to {labels} labels)"),
        }
    }
}

/// One run of the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedRun {
    pub arm: Arm,
    pub seed: u64,
    pub spec: RunSpec,
}

/// The runs for `params`: labels alone, the top k (where k is less than the whole distribution),
/// and the whole distribution, each over [`SEEDS`], on the CPU, `steps` student steps each. When
/// the student asks the teacher about queries, the whole distribution is bought a second time for
/// the other kind of query (uniform noise against inputs like the data), and the baseline is given
/// as many labels as the student buys answers: the fair comparison beside the headline.
pub fn plan(params: &Params) -> Vec<PlannedRun> {
    let classes = params.class_count();
    let text = params.scenario == Scenario::Text;
    let mut arms = vec![Arm::Answers(Answers::Label)];
    // The lab's own k, or 3 (5 in the text lab, as APIs give 5 to 20) where the current answers
    // are not a top k.
    let k = match (params.answers, text) {
        (AnswerKind::Top, _) => params.top_k,
        (_, true) => 5,
        (_, false) => 3,
    };
    let top = Answers::new(AnswerKind::Top, k.min(classes.saturating_sub(2)).max(1));
    if top.effective(classes) != Answers::Full {
        arms.push(Arm::Answers(top));
    }
    arms.push(Arm::Answers(Answers::Full));
    // The text lab's prompts are always its passages' openings: no other kind of query.
    if params.transfer == Transfer::Queries && !text {
        arms.push(Arm::OtherQueries(match params.queries_from {
            QueriesFrom::Data => QueriesFrom::Uniform,
            QueriesFrom::Uniform => QueriesFrom::Data,
        }));
        arms.extend(params.fair_labels().map(Arm::Labels));
    }
    let limit = match params.scenario {
        Scenario::Shapes => SHAPES_STEPS,
        Scenario::Digits => DIGITS_STEPS,
        Scenario::Text => TEXT_STEPS,
    };
    let base = params.run_spec();
    let mut runs = Vec::new();
    for arm in arms {
        for seed in SEEDS {
            let mut spec = base.clone();
            match arm {
                Arm::Answers(answers) => spec.session.answers = answers,
                Arm::OtherQueries(asked) => {
                    spec.session.answers = Answers::Full;
                    spec.session.queries_from = asked;
                }
                Arm::Labels(labels) => spec.session.transfer_size = Some(labels),
            }
            spec.session.seed = seed;
            if let ScenarioSpec::Text(text) = &mut spec.scenario {
                text.api_chars = text.api_chars.min(TEXT_API_CHARS);
            }
            spec.backend = BackendChoice::Cpu;
            spec.max_steps = params.max_steps.min(limit);
            spec.hooks = Default::default();
            spec.background = true;
            runs.push(PlannedRun { arm, seed, spec });
        }
    }
    runs
}

/// What one run reached.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub arm: Arm,
    pub seed: u64,
    /// The labelled examples the students owned (none counted in the text lab).
    pub labelled: usize,
    /// Each student's figure, by the lab's [`Measure`].
    pub student: f32,
    pub baseline: f32,
    /// Answers bought (characters, in the text lab) and the numbers that came with them.
    pub answers_used: usize,
    pub numbers_received: usize,
}

impl Outcome {
    pub fn new(run: &PlannedRun, metrics: &Metrics) -> Self {
        Outcome {
            arm: run.arm,
            seed: run.seed,
            labelled: metrics.labelled_examples,
            student: metrics.models.student.accuracy,
            baseline: metrics.models.baseline.accuracy,
            answers_used: metrics.answers_used,
            numbers_received: metrics.numbers_received,
        }
    }

    /// A text-lab run's, by its held-out losses.
    pub fn of_text(run: &PlannedRun, figures: &TextFigures) -> Self {
        Outcome {
            arm: run.arm,
            seed: run.seed,
            labelled: 0,
            student: figures.held_out.student,
            baseline: figures.held_out.baseline,
            answers_used: figures.api_chars,
            numbers_received: figures.numbers,
        }
    }
}

/// One line of the table and of its CSV: a kind of answer (or the baseline) on one seed.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// An arm's name (see [`Arm::name`]), or `baseline`.
    pub mode: String,
    pub seed: u64,
    /// By the lab's [`Measure`].
    pub value: f32,
    pub answers: usize,
    pub numbers: usize,
}

/// The table's rows: each student's outcome, then the baseline once per seed (it never asks the
/// teacher, so it is the same whatever the answers), then the baseline with more labels.
pub fn rows(outcomes: &[Outcome]) -> Vec<Row> {
    let baseline = |o: &Outcome| Row {
        mode: match o.arm {
            Arm::Labels(_) => format!("baseline ({} labels)", o.labelled),
            _ => "baseline".into(),
        },
        seed: o.seed,
        value: o.baseline,
        answers: 0,
        numbers: 0,
    };
    let students = outcomes.iter().filter(|o| !matches!(o.arm, Arm::Labels(_))).map(|o| Row {
        mode: o.arm.name(),
        seed: o.seed,
        value: o.student,
        answers: o.answers_used,
        numbers: o.numbers_received,
    });
    let first_arm = outcomes.first().map(|o| o.arm);
    let baselines = outcomes.iter().filter(|o| Some(o.arm) == first_arm).map(baseline);
    let more_labels = outcomes.iter().filter(|o| matches!(o.arm, Arm::Labels(_))).map(baseline);
    students.chain(baselines).chain(more_labels).collect()
}

/// The rows as CSV, under a header that names `measure`'s columns.
pub fn csv(rows: &[Row], measure: Measure) -> String {
    let (value, bought) = measure.columns();
    let mut out = format!("mode,seed,{value},{bought},numbers_received\n");
    for row in rows {
        out.push_str(&format!("{},{},{},{},{}\n", row.mode, row.seed, row.value, row.answers, row.numbers));
    }
    out
}

/// Per mode, in the rows' order: its mean value, lowest and highest.
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
            let values: Vec<f32> = rows.iter().filter(|r| r.mode == mode).map(|r| r.value).collect();
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

    fn arms(query: &str) -> Vec<String> {
        let mut arms: Vec<String> = plan(&Params::from_query(query).0).iter().map(|r| r.arm.name()).collect();
        arms.dedup();
        arms
    }

    #[test]
    fn the_plan_runs_each_kind_of_answer_that_differs_over_three_seeds_on_the_cpu() {
        let fair = "baseline (up to 1000 labels)";
        assert_eq!(arms(""), ["label", "full", "full (uniform)", fair], "two classes: any top k is the whole");
        assert_eq!(arms("classes=4"), ["label", "top 2", "full", "full (uniform)", fair]);
        assert_eq!(
            arms("scenario=digits"),
            ["label", "top 3", "full", "full (uniform)", "baseline (up to 2000 labels)"]
        );
        assert_eq!(
            arms("scenario=digits&answers=top&top_k=5&queries_from=uniform&queries=100"),
            ["label", "top 5", "full", "full (like data)"],
            "the baseline owns more labels than the student buys answers"
        );
        assert_eq!(arms("transfer=train"), ["label", "full"], "no queries: nothing to ask about");
        assert_eq!(arms("transfer_size=0"), ["label", "full", "full (uniform)"], "the baseline owns every label");
        let runs = plan(&Params::from_query("scenario=digits&backend=webgpu&seed=9&debug=lose-gpu").0);
        assert_eq!(runs.len(), 15);
        assert!(
            runs.iter().all(|r| r.spec.backend == BackendChoice::Cpu && !r.spec.hooks.lose_gpu && r.spec.background)
        );
        assert_eq!(runs.iter().map(|r| r.spec.session.seed).collect::<Vec<_>>()[..3], SEEDS);
        assert!(runs.iter().all(|r| r.spec.max_steps == DIGITS_STEPS));
        let session =
            |r: &PlannedRun| (r.spec.session.answers, r.spec.session.queries_from, r.spec.session.transfer_size);
        assert_eq!(session(&runs[0]), (Answers::Label, QueriesFrom::Data, Some(200)));
        assert_eq!(session(&runs[3]), (Answers::Top(3), QueriesFrom::Data, Some(200)));
        assert_eq!(session(&runs[9]), (Answers::Full, QueriesFrom::Uniform, Some(200)));
        assert_eq!(session(&runs[12]).2, Some(2000));
        assert!(plan(&Params::from_query("max_steps=40").0).iter().all(|r| r.spec.max_steps == 40));
    }

    #[test]
    fn the_text_labs_plan_runs_text_alone_a_top_k_and_the_whole_distribution_on_a_smaller_budget() {
        assert_eq!(arms("scenario=text"), ["label", "top 5", "full"]);
        assert_eq!(arms("scenario=text&answers=top&top_k=8"), ["label", "top 8", "full"]);
        let runs = plan(&Params::from_query("scenario=text&backend=webgpu&api_chars=30000&max_steps=2000").0);
        assert_eq!(runs.len(), 9);
        for run in &runs {
            assert_eq!(
                run.spec.scenario,
                ScenarioSpec::Text(crate::run_spec::TextSpec { text_size: 20_000, api_chars: TEXT_API_CHARS })
            );
            assert_eq!(
                (run.spec.max_steps, run.spec.backend, run.spec.background),
                (TEXT_STEPS, BackendChoice::Cpu, true)
            );
        }
        assert_eq!(runs[3].spec.session.answers, Answers::Top(5));
        let small = plan(&Params::from_query("scenario=text&api_chars=1024&max_steps=20").0);
        assert!(small.iter().all(|r| r.spec.max_steps == 20
            && r.spec.scenario
                == ScenarioSpec::Text(crate::run_spec::TextSpec { text_size: 20_000, api_chars: 1024 })));
        assert_eq!(Measure::of(Scenario::Text).show(2.66249), "2.662");
        assert_eq!(Measure::of(Scenario::Digits).show(0.9375), "93.8%");
    }

    fn outcome(arm: Arm, seed: u64, student: f32, baseline: f32) -> Outcome {
        Outcome {
            arm,
            seed,
            labelled: if matches!(arm, Arm::Labels(_)) { 200 } else { 20 },
            student,
            baseline,
            answers_used: 100,
            numbers_received: 100 * Answers::Full.numbers_per_answer(10),
        }
    }

    #[test]
    fn rows_add_the_baseline_once_per_seed_and_sum_up_per_mode() {
        let outcomes = [
            outcome(Arm::Answers(Answers::Label), 1, 0.5, 0.25),
            outcome(Arm::Answers(Answers::Label), 2, 0.75, 0.5),
            outcome(Arm::Answers(Answers::Full), 1, 1.0, 0.25),
            outcome(Arm::Answers(Answers::Full), 2, 0.5, 0.5),
            outcome(Arm::OtherQueries(QueriesFrom::Uniform), 1, 0.9, 0.25),
            outcome(Arm::Labels(1000), 1, 0.1, 0.6),
        ];
        let rows = rows(&outcomes);
        assert_eq!(rows.len(), 8, "the run that gives the baseline more labels shows its baseline alone");
        assert_eq!(rows[4].mode, "full (uniform)");
        assert_eq!(rows[5], Row { mode: "baseline".into(), seed: 1, value: 0.25, answers: 0, numbers: 0 });
        assert_eq!(
            rows[7],
            Row { mode: "baseline (200 labels)".into(), seed: 1, value: 0.6, answers: 0, numbers: 0 },
            "named by the labels the baseline had: the 2-D lab's 200 training points, not the 1000 asked for"
        );
        let table = csv(&rows, Measure::TestAccuracy);
        assert_eq!(table.lines().next(), Some("mode,seed,test_accuracy,answers,numbers_received"));
        assert_eq!(table.lines().nth(3), Some("full,1,1,100,1000"));
        assert_eq!(table.lines().count(), 9);
        let text = csv(&rows, Measure::HeldOutLoss);
        assert_eq!(text.lines().next(), Some("mode,seed,held_out_loss,api_chars,numbers_received"));
        let summary = summary(&rows);
        assert_eq!(
            summary.iter().map(|s| s.0.as_str()).collect::<Vec<_>>(),
            ["label", "full", "full (uniform)", "baseline", "baseline (200 labels)"]
        );
        assert_eq!(summary[1], ("full".to_string(), 0.75, 0.5, 1.0));
    }
}
