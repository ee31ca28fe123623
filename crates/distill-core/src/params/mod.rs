//! The page's settings, typed: parsed from a link (or the shell's flags) against the table,
//! written back as a link, and turned into the [`RunSpec`] that a run depends on. Only this
//! module and its table read parameter names.

mod notes;
mod table;
mod value;

pub use notes::SettingNote;
pub use table::{
    Control, DIGITS_DEFAULTS, Kind, PAGE_ONLY, PANELS, QUERY_STOPS, Spec, TABLE, TEMPERATURE_STOPS, TEXT_DEFAULTS,
    applies_to, nearest_stop,
};
pub use value::Value;

use crate::answers::{AnswerKind, Answers};
use crate::config::{BiasShift, OptimizerKind, QueriesFrom, SessionConfig, Transfer};
use crate::data::ShapeKind;
use crate::hooks::{BenchHook, DebugHook, Hooks};
use crate::run_spec::{BackendChoice, RunSpec, Scenario, ScenarioSpec, ShapesSpec, TextSpec};
use table::spec;
use value::FieldValue;

/// One field per row of the table, of the row's type; `value` and `put` reach them by name.
macro_rules! params {
    ($($field:ident: $type:ty),* $(,)?) => {
        /// Every parameter of the table, always valid (see the table for what each means).
        #[derive(Debug, Clone, PartialEq)]
        pub struct Params {
            $(pub $field: $type,)*
        }

        impl Params {
            /// The setting `name` as the table's value (`None` for a name not in the table).
            pub fn value(&self, name: &str) -> Option<Value> {
                match name {
                    $(stringify!($field) => Some(self.$field.to_value()),)*
                    _ => None,
                }
            }

            /// Sets `name` to `value`, which the table has already validated.
            fn put(&mut self, name: &str, value: &Value) {
                match name {
                    $(stringify!($field) => {
                        if let Some(typed) = FieldValue::from_value(value) {
                            self.$field = typed;
                        }
                    })*
                    _ => {}
                }
            }

            /// Every setting from `value(name)`.
            fn from_values(value: impl Fn(&str) -> Value) -> Self {
                Self {
                    $($field: FieldValue::from_value(&value(stringify!($field)))
                        .expect(concat!("the table's value of ", stringify!($field), " has its type")),)*
                }
            }
        }
    };
}

params! {
    scenario: Scenario,
    dataset: ShapeKind,
    classes: usize,
    points: usize,
    noise: f64,
    train_ratio: f64,
    seed: u64,
    temperature: f64,
    alpha: f64,
    teacher_hidden: Vec<usize>,
    hidden: Vec<usize>,
    lr: f64,
    batch: usize,
    optimizer: OptimizerKind,
    transfer: Transfer,
    queries: usize,
    queries_from: QueriesFrom,
    answers: AnswerKind,
    top_k: usize,
    transfer_size: usize,
    text_size: usize,
    api_chars: usize,
    omit: Option<usize>,
    bias_shift: f64,
    bias_auto: bool,
    backend: BackendChoice,
    autoplay: bool,
    teacher_steps: usize,
    max_steps: usize,
    dk_digit: usize,
    dk_t: f64,
    prompt: String,
    sample_t: f64,
    tour: bool,
    embed: bool,
    present: bool,
    hide: Vec<String>,
    theme: Theme,
    bench: BenchHook,
    debug: DebugHook,
}

/// The page's colours: the system's choice, or one the link fixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Auto,
    Light,
    Dark,
}

/// The default of `spec` in the lab `scenario`.
fn scenario_default(spec: &Spec, scenario: Scenario) -> Value {
    let lab_defaults: &[(&str, &str)] = match scenario {
        Scenario::Shapes => &[],
        Scenario::Digits => &DIGITS_DEFAULTS,
        Scenario::Text => &TEXT_DEFAULTS,
    };
    match lab_defaults.iter().find(|(name, _)| *name == spec.name) {
        Some((_, raw)) => spec.kind.parse(spec.name, raw).0,
        None => spec.kind.default_value(),
    }
}

impl Default for Params {
    fn default() -> Self {
        Params::for_scenario(Scenario::Shapes)
    }
}

impl Params {
    /// Every setting at its default for the lab `scenario`.
    pub fn for_scenario(scenario: Scenario) -> Self {
        let mut params = Self::from_values(|name| spec(name).map_or(Value::Int(0), |s| scenario_default(s, scenario)));
        params.scenario = scenario;
        params
    }

    /// Parses a query string (with or without the leading `?`). Unknown, repeated, invalid and
    /// out-of-range parameters never fail: each gives a notice for the page to show.
    pub fn from_query(query: &str) -> (Params, Vec<String>) {
        let pairs = form_urlencoded::parse(query.trim_start_matches('?').as_bytes());
        // The lab comes first: the other settings default to its values.
        let scenario = pairs
            .filter(|(key, _)| key == "scenario")
            .filter_map(|(_, raw)| spec("scenario").map(|s| s.kind.parse("scenario", &raw)))
            .filter(|(_, notice)| notice.is_none())
            .filter_map(|(value, _)| Scenario::from_value(&value))
            .last();
        let mut params = Params::for_scenario(scenario.unwrap_or(Scenario::Shapes));
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
            params.put(spec.name, &value);
        }
        notices.extend(params.fit_classes());
        (params, notices)
    }

    /// A dataset with two classes only keeps `classes` at 2, with a notice when it had to change.
    fn fit_classes(&mut self) -> Option<String> {
        if self.dataset.supports_classes(self.classes) {
            return None;
        }
        self.classes = 2;
        Some(format!("The {} dataset has 2 classes; using 2.", self.dataset.name()))
    }

    /// Sets one parameter from user input, validated as a URL value would be; `Some` notice when
    /// it had to be corrected. A name outside the table changes nothing and says so.
    pub fn set(&mut self, name: &str, raw: &str) -> Option<String> {
        let Some(spec) = spec(name) else { return Some(format!("Unknown parameter “{name}” ignored.")) };
        if spec.name == "scenario" {
            return self.switch_scenario(raw);
        }
        let (value, notice) = spec.kind.parse(name, raw);
        self.put(name, &value);
        // Picking a two-class dataset takes the class count with it.
        let fitted = if matches!(name, "dataset" | "classes") { self.fit_classes() } else { None };
        notice.or(fitted)
    }

    /// Moves to another lab: settings still at the old lab's default take the new one's, and
    /// settings the user changed stay as they are.
    pub fn switch_scenario(&mut self, raw: &str) -> Option<String> {
        let (value, notice) = spec("scenario").map(|s| s.kind.parse("scenario", raw))?;
        self.switch_lab(Scenario::from_value(&value).unwrap_or(self.scenario));
        notice
    }

    /// [`Params::switch_scenario`], typed.
    pub fn switch_lab(&mut self, new: Scenario) {
        let old = self.scenario;
        for spec in TABLE.iter().filter(|s| s.name != "scenario") {
            if self.value(spec.name) == Some(scenario_default(spec, old)) {
                self.put(spec.name, &scenario_default(spec, new));
            }
        }
        self.scenario = new;
    }

    /// A query string holding only what differs from the lab's defaults: short links to share.
    pub fn to_query(&self) -> String {
        TABLE
            .iter()
            .filter_map(|spec| {
                let value = self.value(spec.name)?;
                let default = if spec.name == "scenario" {
                    spec.kind.default_value()
                } else {
                    scenario_default(spec, self.scenario)
                };
                (value != default).then(|| format!("{}={}", spec.name, value.in_link()))
            })
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The link to this run for the address bar and for sharing: [`Params::to_query`], always
    /// with its seed, so that the link still names the same run if a default ever changes.
    pub fn link_query(&self) -> String {
        let query = self.to_query();
        if query.split('&').any(|pair| pair.starts_with("seed=")) {
            return query;
        }
        let seed = format!("seed={}", self.seed);
        if query.is_empty() { seed } else { format!("{query}&{seed}") }
    }

    /// Whether `name` (a panel of [`PANELS`] or a setting) is hidden by `hide`.
    pub fn hides(&self, name: &str) -> bool {
        self.hide.iter().any(|hidden| hidden == name)
    }

    /// Whether the setting `name` does anything in the current lab.
    pub fn applies(&self, name: &str) -> bool {
        applies_to(name, self.scenario)
    }

    /// In API mode, when the baseline owns fewer labels than the distilled student buys answers:
    /// that number of answers, the labels of the fair comparison ("the same number of labels").
    pub fn fair_labels(&self) -> Option<usize> {
        let fewer = self.transfer_size > 0 && self.transfer_size < self.queries;
        (self.transfer == Transfer::Queries && fewer).then_some(self.queries)
    }

    /// What a training run depends on: equal specs, equal runs.
    pub fn run_spec(&self) -> RunSpec {
        let scenario = match self.scenario {
            Scenario::Shapes => ScenarioSpec::Shapes(ShapesSpec {
                dataset: self.dataset,
                classes: self.classes,
                points: self.points,
                noise: self.noise as f32,
                train_ratio: self.train_ratio as f32,
                added: Vec::new(),
            }),
            Scenario::Digits => ScenarioSpec::Digits,
            Scenario::Text => ScenarioSpec::Text(TextSpec { text_size: self.text_size, api_chars: self.api_chars }),
        };
        RunSpec {
            scenario,
            session: self.session_config(),
            backend: self.backend,
            max_steps: self.max_steps,
            hooks: Hooks {
                lose_gpu: self.debug == DebugHook::LoseGpu,
                race: self.debug == DebugHook::Race,
                bad_drawing: self.debug == DebugHook::BadDrawing,
                gpu_wrong: self.debug == DebugHook::GpuWrong,
            },
            background: false,
        }
    }

    fn session_config(&self) -> SessionConfig {
        SessionConfig {
            seed: self.seed,
            teacher_hidden: self.teacher_hidden.clone(),
            student_hidden: self.hidden.clone(),
            temperature: self.temperature as f32,
            alpha: self.alpha as f32,
            learning_rate: self.lr,
            teacher_learning_rate: 0.01,
            batch_size: self.batch,
            optimizer: self.optimizer,
            teacher_steps: self.teacher_steps,
            transfer: self.transfer,
            queries: self.queries,
            queries_from: self.queries_from,
            transfer_size: Some(self.transfer_size).filter(|&n| n > 0),
            // A left-out digit means nothing in the 2-D lab, whose settings panel hides it.
            omit: self.omit.filter(|_| self.applies("omit")),
            bias_shift: match (self.bias_auto, self.bias_shift as f32) {
                (true, _) => BiasShift::Auto,
                (false, by) if by != 0.0 => BiasShift::Manual(by),
                _ => BiasShift::Off,
            },
            answers: Answers::new(self.answers, self.top_k),
        }
    }
}
