//! Every URL parameter, in one table: parsing, validation, defaults and the shareable link all
//! derive from it.

use std::collections::BTreeMap;

use crate::config::{BiasShift, OptimizerKind, QueriesFrom, SessionConfig, Transfer};
use crate::data::{ShapeKind, Split, generate};
use serde::{Deserialize, Serialize};

/// Keeps the unlabelled query points' stream apart from the labelled points'.
const UNLABELLED_STREAM: u64 = 0x0E21_7AB1;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    Choice {
        options: &'static [&'static str],
        default: &'static str,
    },
    Float {
        min: f64,
        max: f64,
        default: f64,
    },
    Int {
        min: i64,
        max: i64,
        default: i64,
    },
    /// Hidden-layer widths such as `32` or `32,16`.
    Widths {
        max_layers: usize,
        max_width: usize,
        default: &'static [usize],
    },
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spec {
    pub name: &'static str,
    pub kind: Kind,
    pub help: &'static str,
    /// How the settings panel offers it.
    pub control: Control,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// A range slider: small ranges where dragging helps.
    Slider,
    /// A text, number or select field.
    Field,
    /// Only in the URL: page modes and test hooks.
    UrlOnly,
}

// One row per parameter, kept on one line each so that it reads as a table.
#[rustfmt::skip]
pub const TABLE: &[Spec] = &[
    Spec { name: "scenario", kind: Kind::Choice { options: &["shapes", "digits"], default: "shapes" }, help: "which lab: 2-D shapes or handwritten digits", control: Control::Field },
    Spec { name: "dataset", kind: Kind::Choice { options: &["spiral", "moons", "circles", "xor", "gaussians"], default: "spiral" }, help: "the 2-D dataset", control: Control::Field },
    Spec { name: "classes", kind: Kind::Int { min: 2, max: 5, default: 2 }, help: "classes, for spiral and gaussians", control: Control::Field },
    Spec { name: "points", kind: Kind::Int { min: 20, max: 2000, default: 400 }, help: "points in the dataset", control: Control::Field },
    Spec { name: "noise", kind: Kind::Float { min: 0.0, max: 0.5, default: 0.05 }, help: "spread of the jitter around each shape", control: Control::Slider },
    Spec { name: "train_ratio", kind: Kind::Float { min: 0.1, max: 0.9, default: 0.5 }, help: "share of the points that train the models; the rest test them", control: Control::Slider },
    Spec { name: "seed", kind: Kind::Int { min: 0, max: 1_000_000, default: 1 }, help: "seed for data, weights and batch order", control: Control::Field },
    Spec { name: "temperature", kind: Kind::Float { min: 0.5, max: 50.0, default: 4.0 }, help: "T: how much the teacher's probabilities are softened", control: Control::Slider },
    Spec { name: "alpha", kind: Kind::Float { min: 0.0, max: 1.0, default: 0.9 }, help: "α: weight of the soft (teacher) term", control: Control::Slider },
    Spec { name: "teacher_hidden", kind: Kind::Widths { max_layers: 3, max_width: 128, default: &[64, 64] }, help: "the teacher's hidden widths", control: Control::Field },
    Spec { name: "hidden", kind: Kind::Widths { max_layers: 3, max_width: 128, default: &[16] }, help: "the student's hidden widths", control: Control::Field },
    Spec { name: "lr", kind: Kind::Float { min: 1e-5, max: 100.0, default: 0.03 }, help: "the students' learning rate", control: Control::Field },
    Spec { name: "batch", kind: Kind::Int { min: 1, max: 1024, default: 32 }, help: "batch size", control: Control::Field },
    Spec { name: "optimizer", kind: Kind::Choice { options: &["adam", "sgd"], default: "adam" }, help: "Adam, or SGD with momentum 0.9 (in the 2-D lab the teacher trains with it too, at lr 0.01)", control: Control::Field },
    Spec { name: "transfer", kind: Kind::Choice { options: &["train", "queries"], default: "queries" }, help: "train: both students learn on their labelled examples; queries: the distilled one never sees a label, only the teacher's answers to its queries", control: Control::Field },
    Spec { name: "queries", kind: Kind::Int { min: 10, max: 20_000, default: 1000 }, help: "query budget in query mode: how many inputs the teacher answers", control: Control::Slider },
    Spec { name: "queries_from", kind: Kind::Choice { options: &["data", "uniform"], default: "data" }, help: "what the student asks about: unlabelled inputs like the data, or uniformly random ones", control: Control::Field },
    Spec { name: "transfer_size", kind: Kind::Int { min: 0, max: 60_000, default: 20 }, help: "labelled examples the students own, drawn from the training points (0: all)", control: Control::Field },
    Spec { name: "omit", kind: Kind::Choice { options: &["none", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"], default: "none" }, help: "a class left out of the transfer set", control: Control::Field },
    Spec { name: "bias_shift", kind: Kind::Float { min: 0.0, max: 10.0, default: 0.0 }, help: "raise of the student's bias for the left-out class, when tested", control: Control::Field },
    Spec { name: "bias_auto", kind: Kind::Int { min: 0, max: 1, default: 0 }, help: "fit the bias shift on a small labelled slice instead", control: Control::Field },
    Spec { name: "backend", kind: Kind::Choice { options: &["auto", "webgpu", "cpu"], default: "auto" }, help: "where training runs", control: Control::Field },
    Spec { name: "autoplay", kind: Kind::Int { min: 0, max: 1, default: 0 }, help: "start training on load", control: Control::UrlOnly },
    Spec { name: "teacher_steps", kind: Kind::Int { min: 1, max: 20_000, default: 400 }, help: "the teacher's own training steps", control: Control::Field },
    Spec { name: "max_steps", kind: Kind::Int { min: 1, max: 1_000_000, default: 5000 }, help: "student and baseline steps before the run is done", control: Control::Field },
    Spec { name: "dk_digit", kind: Kind::Int { min: 0, max: 29, default: 21 }, help: "digits: the gallery digit the dark-knowledge panel shows", control: Control::UrlOnly },
    Spec { name: "dk_t", kind: Kind::Float { min: 0.0, max: 50.0, default: 0.0 }, help: "digits: the dark-knowledge panel's preview temperature (0: the run's T)", control: Control::UrlOnly },
    Spec { name: "tour", kind: Kind::Int { min: 0, max: 1, default: 0 }, help: "open the guided tour (it opens by itself on a first visit, except in embeds)", control: Control::UrlOnly },
    Spec { name: "embed", kind: Kind::Int { min: 0, max: 1, default: 0 }, help: "compact layout for embedding in another page", control: Control::UrlOnly },
    Spec { name: "present", kind: Kind::Int { min: 0, max: 1, default: 0 }, help: "large type for a projector", control: Control::UrlOnly },
    Spec { name: "bench", kind: Kind::Choice { options: &["off", "w1"], default: "off" }, help: "benchmark hook: `w1` times reference workload W1 on this page's backend", control: Control::UrlOnly },
    Spec { name: "debug", kind: Kind::Choice { options: &["off", "panic", "lose-gpu"], default: "off" }, help: "test hooks: `panic` panics on purpose to show the error panel; `lose-gpu` destroys the WebGPU device after 20 steps", control: Control::UrlOnly },
];

/// Where the digits lab's defaults differ from the table's (which are the 2-D lab's): a digits
/// student needs more width, bigger batches, a smaller step, and more examples of either kind.
/// Both labs' defaults tell the lab's story: the students own a few labels, and the distilled one
/// asks the teacher about unlabelled inputs like the data instead (EXPERIMENTS.md measures them).
const DIGITS_DEFAULTS: [(&str, &str); 6] = [
    ("hidden", "64"),
    ("lr", "0.003"),
    ("batch", "128"),
    ("max_steps", "3000"),
    ("queries", "2000"),
    ("transfer_size", "200"),
];

/// Settings that mean something in one lab only: the digits lab's teacher and data are shipped,
/// and the 2-D lab has no left-out digit to shift.
const SHAPES_ONLY: [&str; 7] =
    ["dataset", "classes", "points", "noise", "train_ratio", "teacher_hidden", "teacher_steps"];
const DIGITS_ONLY: [&str; 3] = ["omit", "bias_shift", "bias_auto"];

/// Settings of a view only: changing them redraws, and never restarts training.
pub const VIEW_ONLY: [&str; 3] = ["dk_digit", "dk_t", "tour"];

/// Whether the setting `name` does anything in the lab `scenario`.
pub fn applies_to(name: &str, scenario: &str) -> bool {
    match scenario {
        "digits" => !SHAPES_ONLY.contains(&name),
        _ => !DIGITS_ONLY.contains(&name),
    }
}

/// The default of `spec` in the lab `scenario`.
fn scenario_default(spec: &Spec, scenario: &str) -> Value {
    let digits_default = DIGITS_DEFAULTS.iter().find(|(name, _)| *name == spec.name && scenario == "digits");
    match digits_default {
        Some((_, raw)) => spec.kind.parse(spec.name, raw).0,
        None => spec.kind.default_value(),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Value {
    Choice(String),
    Float(f64),
    Int(i64),
    Widths(Vec<usize>),
}

impl Value {
    /// As written in a link and shown in a field.
    pub fn render(&self) -> String {
        match self {
            Value::Choice(s) => s.clone(),
            Value::Float(v) => format!("{v}"),
            Value::Int(v) => v.to_string(),
            Value::Widths(w) => w.iter().map(usize::to_string).collect::<Vec<_>>().join(","),
        }
    }
}

impl Kind {
    fn default_value(&self) -> Value {
        match *self {
            Kind::Choice { default, .. } => Value::Choice(default.into()),
            Kind::Float { default, .. } => Value::Float(default),
            Kind::Int { default, .. } => Value::Int(default),
            Kind::Widths { default, .. } => Value::Widths(default.to_vec()),
        }
    }

    /// The value for `raw`, and a notice when it had to be clamped or replaced.
    fn parse(&self, name: &str, raw: &str) -> (Value, Option<String>) {
        let raw = raw.trim();
        let shown: String = raw.chars().take(24).collect();
        let invalid = |what: &str| {
            (
                self.default_value(),
                Some(format!("“{name}={shown}” is not {what}; using {}.", self.default_value().render())),
            )
        };
        match *self {
            Kind::Choice { options, .. } => match options.iter().find(|o| o.eq_ignore_ascii_case(raw)) {
                Some(option) => (Value::Choice((*option).into()), None),
                None => invalid(&format!("one of {}", options.join(", "))),
            },
            Kind::Float { min, max, .. } => match raw.parse::<f64>() {
                Ok(v) if v.is_finite() => clamp(name, Value::Float(v.clamp(min, max)), v, min, max),
                _ => invalid("a number"),
            },
            Kind::Int { min, max, .. } => match raw.parse::<f64>() {
                Ok(v) if v.is_finite() && v.fract() == 0.0 => {
                    clamp(name, Value::Int((v.clamp(min as f64, max as f64)) as i64), v, min as f64, max as f64)
                }
                _ => invalid("a whole number"),
            },
            Kind::Widths { max_layers, max_width, .. } => {
                let widths: Option<Vec<usize>> =
                    raw.split(',').map(|w| w.trim().parse::<usize>().ok().filter(|&w| w >= 1)).collect();
                match widths {
                    Some(w) if !w.is_empty() && w.len() <= max_layers && w.iter().all(|&w| w <= max_width) => {
                        (Value::Widths(w), None)
                    }
                    _ => invalid(&format!("up to {max_layers} widths between 1 and {max_width}, such as 32,16")),
                }
            }
        }
    }
}

fn clamp(name: &str, value: Value, raw: f64, min: f64, max: f64) -> (Value, Option<String>) {
    let notice = (raw < min || raw > max)
        .then(|| format!("“{name}” must lie between {min} and {max}; using {}.", value.render()));
    (value, notice)
}

/// The page's settings: every parameter of the table, always valid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Params {
    values: BTreeMap<String, Value>,
}

impl Default for Params {
    fn default() -> Self {
        Self { values: TABLE.iter().map(|s| (s.name.to_string(), s.kind.default_value())).collect() }
    }
}

fn spec(name: &str) -> Option<&'static Spec> {
    TABLE.iter().find(|s| s.name == name)
}

impl Params {
    /// Parses a query string (with or without the leading `?`). Unknown, repeated, invalid and
    /// out-of-range parameters never fail: each gives a notice for the page to show.
    pub fn from_query(query: &str) -> (Params, Vec<String>) {
        let pairs = form_urlencoded::parse(query.trim_start_matches('?').as_bytes());
        // The lab comes first: the other settings default to its values.
        let scenario = pairs
            .clone()
            .filter(|(key, _)| key == "scenario")
            .filter_map(|(_, raw)| {
                spec("scenario").and_then(|s| s.kind.parse("scenario", &raw).1.is_none().then_some(raw))
            })
            .last();
        let mut params = Params::for_scenario(scenario.as_deref().map_or("shapes", |s| s.trim()));
        let mut notices = Vec::new();
        let mut seen = Vec::new();
        for (key, raw) in pairs {
            if key.is_empty() {
                continue;
            }
            let Some(spec) = spec(key.as_ref()) else {
                let key: String = key.chars().take(24).collect();
                notices.push(format!("Unknown parameter “{key}” ignored."));
                continue;
            };
            if seen.contains(&spec.name) {
                notices.push(format!("“{}” is given more than once; the last one counts.", spec.name));
            }
            seen.push(spec.name);
            let (value, notice) = spec.kind.parse(spec.name, &raw);
            notices.extend(notice);
            params.values.insert(spec.name.to_string(), value);
        }
        notices.extend(params.fit_classes());
        (params, notices)
    }

    /// A dataset with two classes only keeps `classes` at 2, with a notice when it had to change.
    fn fit_classes(&mut self) -> Option<String> {
        let dataset = self.dataset();
        if dataset.supports_classes(self.int("classes") as usize) {
            return None;
        }
        self.values.insert("classes".into(), Value::Int(2));
        Some(format!("The {} dataset has 2 classes; using 2.", dataset.name()))
    }

    /// Sets one parameter from user input, validated as a URL value would be.
    pub fn set(&mut self, name: &str, raw: &str) -> Option<String> {
        let spec = spec(name)?;
        let (value, notice) = spec.kind.parse(name, raw);
        self.values.insert(name.to_string(), value);
        // Picking a two-class dataset takes the class count with it.
        let fitted = if matches!(name, "dataset" | "classes") { self.fit_classes() } else { None };
        notice.or(fitted)
    }

    /// Every setting at its default for the lab `scenario` (`shapes` or `digits`).
    pub fn for_scenario(scenario: &str) -> Self {
        let scenario = if scenario.eq_ignore_ascii_case("digits") { "digits" } else { "shapes" };
        let mut values: BTreeMap<String, Value> =
            TABLE.iter().map(|s| (s.name.to_string(), scenario_default(s, scenario))).collect();
        values.insert("scenario".into(), Value::Choice(scenario.into()));
        Self { values }
    }

    /// Moves to another lab: settings still at the old lab's default take the new one's, and
    /// settings the user changed stay as they are.
    pub fn switch_scenario(&mut self, scenario: &str) -> Option<String> {
        let old = self.choice("scenario").to_string();
        let notice = self.set("scenario", scenario);
        let new = self.choice("scenario").to_string();
        for spec in TABLE.iter().filter(|s| s.name != "scenario") {
            if self.values[spec.name] == scenario_default(spec, &old) {
                self.values.insert(spec.name.to_string(), scenario_default(spec, &new));
            }
        }
        notice
    }

    /// A query string holding only what differs from the lab's defaults: short links to share.
    pub fn to_query(&self) -> String {
        let scenario = self.choice("scenario");
        TABLE
            .iter()
            .filter_map(|spec| {
                let value = &self.values[spec.name];
                let default =
                    if spec.name == "scenario" { spec.kind.default_value() } else { scenario_default(spec, scenario) };
                (*value != default).then(|| format!("{}={}", spec.name, value.render()))
            })
            .collect::<Vec<_>>()
            .join("&")
    }

    /// These settings with every view-only one at its default: what a training run depends on.
    pub fn run_settings(&self) -> Params {
        let mut run = self.clone();
        for name in VIEW_ONLY {
            if let Some(spec) = spec(name) {
                run.values.insert(name.to_string(), spec.kind.default_value());
            }
        }
        run
    }

    pub fn get(&self, name: &str) -> &Value {
        &self.values[name]
    }

    pub fn choice(&self, name: &str) -> &str {
        match self.get(name) {
            Value::Choice(s) => s,
            other => panic!("{name} is not a choice: {other:?}"),
        }
    }

    pub fn float(&self, name: &str) -> f64 {
        match self.get(name) {
            Value::Float(v) => *v,
            other => panic!("{name} is not a number: {other:?}"),
        }
    }

    pub fn int(&self, name: &str) -> i64 {
        match self.get(name) {
            Value::Int(v) => *v,
            other => panic!("{name} is not a whole number: {other:?}"),
        }
    }

    pub fn widths(&self, name: &str) -> Vec<usize> {
        match self.get(name) {
            Value::Widths(w) => w.clone(),
            other => panic!("{name} is not a list of widths: {other:?}"),
        }
    }

    pub fn flag(&self, name: &str) -> bool {
        self.int(name) == 1
    }

    pub fn dataset(&self) -> ShapeKind {
        ShapeKind::from_name(self.choice("dataset")).unwrap_or(ShapeKind::Spiral)
    }

    /// The 2-D dataset these settings describe, split into training points (the teacher's, and the
    /// transfer set) and test points.
    pub fn shapes_split(&self) -> Split {
        let seed = self.int("seed") as u64;
        let draw = |count: usize, seed: u64| {
            generate(self.dataset(), count, self.int("classes") as usize, self.float("noise") as f32, seed)
        };
        let mut split =
            Split::stratified(&draw(self.int("points") as usize, seed), self.float("train_ratio") as f32, seed);
        let config = self.session_config();
        if config.transfer == Transfer::Queries && config.queries_from == QueriesFrom::Data {
            // Fresh points from the same shapes, their labels never read: what an API user could ask about.
            split.unlabelled = Some(draw(config.queries.max(1), seed ^ UNLABELLED_STREAM));
        }
        split
    }

    pub fn session_config(&self) -> SessionConfig {
        SessionConfig {
            seed: self.int("seed") as u64,
            teacher_hidden: self.widths("teacher_hidden"),
            student_hidden: self.widths("hidden"),
            temperature: self.float("temperature") as f32,
            alpha: self.float("alpha") as f32,
            learning_rate: self.float("lr"),
            teacher_learning_rate: 0.01,
            batch_size: self.int("batch") as usize,
            optimizer: if self.choice("optimizer") == "sgd" { OptimizerKind::Sgd } else { OptimizerKind::Adam },
            teacher_steps: self.int("teacher_steps") as usize,
            transfer: if self.choice("transfer") == "queries" { Transfer::Queries } else { Transfer::Train },
            queries: self.int("queries") as usize,
            queries_from: if self.choice("queries_from") == "uniform" {
                QueriesFrom::Uniform
            } else {
                QueriesFrom::Data
            },
            transfer_size: Some(self.int("transfer_size") as usize).filter(|&n| n > 0),
            // A left-out digit means nothing in the 2-D lab, whose settings panel hides it.
            omit: self.choice("omit").parse().ok().filter(|_| applies_to("omit", self.choice("scenario"))),
            bias_shift: match (self.flag("bias_auto"), self.float("bias_shift") as f32) {
                (true, _) => BiasShift::Auto,
                (false, by) if by != 0.0 => BiasShift::Manual(by),
                _ => BiasShift::Off,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_give_an_empty_link() {
        let (params, notices) = Params::from_query("");
        assert_eq!(params, Params::default());
        assert!(notices.is_empty());
        assert_eq!(params.to_query(), "");
    }

    #[test]
    fn valid_values_round_trip_through_the_link() {
        let query = "dataset=moons&seed=7&temperature=2.5&hidden=32,16&backend=cpu&autoplay=1";
        let (params, notices) = Params::from_query(&format!("?{query}"));
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(params.to_query(), query);
        assert_eq!(params.widths("hidden"), vec![32, 16]);
        assert_eq!(Params::from_query(&params.to_query()).0, params);
    }

    #[test]
    fn bad_values_are_clamped_or_replaced_with_a_notice() {
        let (params, notices) =
            Params::from_query("alpha=7&temperature=hot&lr=NaN&batch=2.5&hidden=0,x&optimizer=&seed=-4");
        assert_eq!(params.float("alpha"), 1.0);
        assert_eq!(params.float("temperature"), 4.0);
        assert_eq!(params.float("lr"), 0.03);
        assert_eq!(params.int("batch"), 32);
        assert_eq!(params.widths("hidden"), vec![16]);
        assert_eq!(params.choice("optimizer"), "adam");
        assert_eq!(params.int("seed"), 0);
        assert_eq!(notices.len(), 7, "{notices:?}");
    }

    #[test]
    fn unknown_and_repeated_keys_give_notices_and_the_last_value_counts() {
        let (params, notices) = Params::from_query("seed=3&seed=9&colour=red");
        assert_eq!(params.int("seed"), 9);
        assert_eq!(notices.len(), 2, "{notices:?}");
    }

    #[test]
    fn huge_and_hostile_values_never_panic() {
        for raw in ["1e400", "-1e400", "%ZZ", "\u{1F600}", &"9".repeat(5000), "0x10", " 3 ", "+-1"] {
            for spec in TABLE {
                let (params, _) = Params::from_query(&format!("{}={}", spec.name, raw));
                let _ = params.to_query();
                let _ = params.session_config();
            }
        }
    }

    #[test]
    fn a_digits_link_starts_from_the_digits_defaults_and_stays_short() {
        let (params, notices) = Params::from_query("lr=0.002&scenario=digits");
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(params.widths("hidden"), vec![64]);
        assert_eq!(params.int("batch"), 128);
        assert_eq!(params.float("lr"), 0.002);
        assert_eq!(params.to_query(), "scenario=digits&lr=0.002");
        assert_eq!(Params::from_query(&params.to_query()).0, params);
    }

    #[test]
    fn switching_labs_moves_defaults_and_keeps_changes() {
        let mut params = Params::default();
        params.set("batch", "16");
        params.switch_scenario("digits");
        assert_eq!(params.widths("hidden"), vec![64]);
        assert_eq!(params.int("batch"), 16);
        assert_eq!(params.to_query(), "scenario=digits&batch=16");
        params.switch_scenario("shapes");
        assert_eq!(params.widths("hidden"), vec![16]);
        assert_eq!(params.to_query(), "batch=16");
        assert!(applies_to("omit", "digits") && !applies_to("omit", "shapes"));
        assert!(applies_to("dataset", "shapes") && !applies_to("dataset", "digits"));
    }

    #[test]
    fn picking_a_two_class_dataset_takes_the_class_count_with_it() {
        let mut params = Params::default();
        params.set("classes", "4");
        assert!(params.set("dataset", "moons").is_some_and(|n| n.contains("2 classes")));
        assert_eq!(params.int("classes"), 2);
        assert!(params.set("classes", "3").is_some());
        assert_eq!(params.int("classes"), 2);
    }

    #[test]
    fn a_left_out_digit_means_nothing_in_the_2d_lab() {
        let (params, _) = Params::from_query("omit=1");
        assert_eq!(params.session_config().omit, None);
        let (params, _) = Params::from_query("scenario=digits&omit=1");
        assert_eq!(params.session_config().omit, Some(1));
    }

    #[test]
    fn two_class_datasets_refuse_more_classes() {
        let (params, notices) = Params::from_query("dataset=moons&classes=4");
        assert_eq!(params.int("classes"), 2);
        assert_eq!(notices.len(), 1);
    }
}
