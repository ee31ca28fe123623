//! Every URL parameter, in one table: names, bounds, defaults, help and how the settings panel
//! offers each. Parsing, the link, the panel and the shell's flags all derive from it.

use crate::run_spec::Scenario;
use crate::text_lab::prompt::DEFAULT_PROMPT;

/// A prompt read from a link keeps at most its last this many characters: the models read far
/// fewer (see `text_lab::prompt`), and a hostile link cannot fill the page with text.
pub const PROMPT_LINK_CHARS: usize = 1_000;

pub const TEMPERATURE_STOPS: [f64; 12] = [0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 20.0, 30.0, 50.0];

/// The index of the stop nearest `value`, on a log scale.
pub fn nearest_stop(stops: &[f64], value: f64) -> usize {
    let distance = |stop: f64| (stop.ln() - value.max(1e-9).ln()).abs();
    (0..stops.len()).min_by(|&a, &b| distance(stops[a]).total_cmp(&distance(stops[b]))).unwrap_or(0)
}
pub const QUERY_STOPS: [f64; 12] =
    [10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0, 3000.0, 5000.0, 10000.0, 20000.0];

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
    /// On or off: `1` or `0` in a link (`true`/`false`, `on`/`off`, `yes`/`no` are read too).
    Bool {
        default: bool,
    },
    /// Hidden-layer widths such as `32` or `32,16`.
    Widths {
        max_layers: usize,
        max_width: usize,
        default: &'static [usize],
    },
    /// A comma list of names: one of `options` or of the settings the panel offers.
    Names {
        options: &'static [&'static str],
    },
    /// Free text, as typed (spaces and line breaks kept); a link's keeps its last `max_chars`
    /// characters.
    Text {
        max_chars: usize,
        default: &'static str,
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

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Control {
    /// A range slider: small ranges where dragging helps.
    Slider,
    /// A slider over these stops: settings people move in powers (a log scale that lands on
    /// round values).
    LogSlider(&'static [f64]),
    /// A text, number or select field.
    Field,
    /// Only in the URL: page modes and test hooks.
    UrlOnly,
}

// One row per parameter, kept on one line each so that it reads as a table.
#[rustfmt::skip]
pub const TABLE: &[Spec] = &[
    Spec { name: "scenario", kind: Kind::Choice { options: &["shapes", "digits", "text"], default: "shapes" }, help: "which lab: 2-D shapes, handwritten digits, or text written by a language model", control: Control::Field },
    Spec { name: "dataset", kind: Kind::Choice { options: &["spiral", "moons", "circles", "xor", "gaussians"], default: "spiral" }, help: "the 2-D dataset", control: Control::Field },
    Spec { name: "classes", kind: Kind::Int { min: 2, max: 5, default: 2 }, help: "classes, for spiral and gaussians", control: Control::Field },
    Spec { name: "points", kind: Kind::Int { min: 20, max: 2000, default: 400 }, help: "points in the dataset", control: Control::Field },
    Spec { name: "noise", kind: Kind::Float { min: 0.0, max: 0.5, default: 0.05 }, help: "spread of the jitter around each shape", control: Control::Slider },
    Spec { name: "train_ratio", kind: Kind::Float { min: 0.1, max: 0.9, default: 0.5 }, help: "share of the points that train the models; the rest test them", control: Control::Slider },
    Spec { name: "seed", kind: Kind::Int { min: 0, max: 1_000_000, default: 1 }, help: "seed for data, weights and batch order", control: Control::Field },
    Spec { name: "temperature", kind: Kind::Float { min: 0.5, max: 50.0, default: 4.0 }, help: "T: how much the teacher's probabilities are softened", control: Control::LogSlider(&TEMPERATURE_STOPS) },
    Spec { name: "alpha", kind: Kind::Float { min: 0.0, max: 1.0, default: 0.9 }, help: "α: weight of the soft (teacher) term", control: Control::Slider },
    Spec { name: "teacher_hidden", kind: Kind::Widths { max_layers: 3, max_width: 128, default: &[64, 64] }, help: "the teacher's hidden widths", control: Control::Field },
    Spec { name: "hidden", kind: Kind::Widths { max_layers: 3, max_width: 128, default: &[16] }, help: "the student's hidden widths", control: Control::Field },
    Spec { name: "lr", kind: Kind::Float { min: 1e-5, max: 100.0, default: 0.03 }, help: "the students' learning rate", control: Control::Field },
    Spec { name: "batch", kind: Kind::Int { min: 1, max: 1024, default: 32 }, help: "batch size", control: Control::Field },
    Spec { name: "optimizer", kind: Kind::Choice { options: &["adam", "sgd"], default: "adam" }, help: "Adam, or SGD with momentum 0.9 (in the 2-D lab the teacher trains with it too, at lr 0.01)", control: Control::Field },
    Spec { name: "transfer", kind: Kind::Choice { options: &["train", "queries"], default: "queries" }, help: "train: both students learn on their labelled examples; queries: the distilled one never sees a label, only the teacher's answers to its queries", control: Control::Field },
    Spec { name: "queries", kind: Kind::Int { min: 10, max: 20_000, default: 1000 }, help: "query budget in query mode: how many inputs the teacher answers", control: Control::LogSlider(&QUERY_STOPS) },
    Spec { name: "queries_from", kind: Kind::Choice { options: &["data", "uniform"], default: "data" }, help: "what the student asks about: unlabelled inputs like the data, or uniformly random ones", control: Control::Field },
    Spec { name: "answers", kind: Kind::Choice { options: &["full", "top", "label"], default: "full" }, help: "what the teacher's API reveals per query: its whole distribution (no public API does), the probabilities of its top k classes, or only its answer", control: Control::Field },
    Spec { name: "top_k", kind: Kind::Int { min: 1, max: 10, default: 3 }, help: "with answers=top: how many of the teacher's most likely classes come with their probabilities", control: Control::Field },
    Spec { name: "transfer_size", kind: Kind::Int { min: 0, max: 60_000, default: 20 }, help: "labelled examples the students own, drawn from the training points (0: all)", control: Control::Field },
    Spec { name: "text_size", kind: Kind::Int { min: 1_000, max: 500_000, default: 20_000 }, help: "characters of human-written text the baseline learns from (the distilled student's prompts are their passages' openings)", control: Control::Field },
    Spec { name: "api_chars", kind: Kind::Int { min: 0, max: 200_000, default: 20_000 }, help: "characters of answers the distilled student may buy from the teacher's API", control: Control::Field },
    Spec { name: "omit", kind: Kind::Choice { options: &["none", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"], default: "none" }, help: "a class left out of the transfer set", control: Control::Field },
    Spec { name: "bias_shift", kind: Kind::Float { min: 0.0, max: 10.0, default: 0.0 }, help: "raise of the student's bias for the left-out class, when tested", control: Control::Field },
    Spec { name: "bias_auto", kind: Kind::Bool { default: false }, help: "fit the bias shift on a small labelled slice instead", control: Control::Field },
    Spec { name: "backend", kind: Kind::Choice { options: &["auto", "webgpu", "cpu"], default: "auto" }, help: "where training runs", control: Control::Field },
    Spec { name: "autoplay", kind: Kind::Bool { default: false }, help: "start training on load", control: Control::UrlOnly },
    Spec { name: "teacher_steps", kind: Kind::Int { min: 1, max: 20_000, default: 400 }, help: "the teacher's own training steps", control: Control::Field },
    Spec { name: "max_steps", kind: Kind::Int { min: 1, max: 1_000_000, default: 5000 }, help: "student and baseline steps before the run is done", control: Control::Field },
    Spec { name: "dk_digit", kind: Kind::Int { min: 0, max: 29, default: 21 }, help: "digits: the gallery digit the dark-knowledge panel shows", control: Control::UrlOnly },
    Spec { name: "dk_t", kind: Kind::Float { min: 0.0, max: 50.0, default: 0.0 }, help: "digits: the dark-knowledge panel's preview temperature (0: the run's T)", control: Control::UrlOnly },
    Spec { name: "prompt", kind: Kind::Text { max_chars: PROMPT_LINK_CHARS, default: DEFAULT_PROMPT }, help: "text: the prompt the three models continue (empty: the opening of a scene)", control: Control::UrlOnly },
    Spec { name: "sample_t", kind: Kind::Float { min: 0.1, max: 2.0, default: 0.8 }, help: "text: the temperature the three models write at", control: Control::UrlOnly },
    Spec { name: "tour", kind: Kind::Bool { default: false }, help: "open the guided tour (it opens by itself on a first visit, except in embeds)", control: Control::UrlOnly },
    Spec { name: "embed", kind: Kind::Bool { default: false }, help: "compact layout for embedding in another page", control: Control::UrlOnly },
    Spec { name: "present", kind: Kind::Bool { default: false }, help: "projector mode: large type, high contrast, nothing but the lab", control: Control::UrlOnly },
    Spec { name: "hide", kind: Kind::Names { options: &PANELS }, help: "panels or settings to hide, comma-separated (for embeds), e.g. settings,resources or temperature,alpha", control: Control::UrlOnly },
    Spec { name: "theme", kind: Kind::Choice { options: &["auto", "light", "dark"], default: "auto" }, help: "colour theme: auto follows the system's", control: Control::UrlOnly },
    Spec { name: "bench", kind: Kind::Choice { options: &["off", "w1"], default: "off" }, help: "benchmark hook: `w1` times reference workload W1 on this page's backend", control: Control::UrlOnly },
    Spec { name: "debug", kind: Kind::Choice { options: &["off", "panic", "lose-gpu", "race", "bad-drawing", "gpu-wrong"], default: "off" }, help: "test hooks: `panic` panics on purpose to show the error panel; `lose-gpu` destroys the WebGPU device after 20 steps; `race` times WebGPU against the CPU even on a software adapter; `bad-drawing` cuts a pixel off the first drawing the engine classifies; `gpu-wrong` gives the WebGPU self-check wrong figures, as a broken kernel would", control: Control::UrlOnly },
];

/// The page's panels that `hide` can name (besides any setting the panel offers).
pub const PANELS: [&str; 15] = [
    "header",
    "explainer",
    "transport",
    "figures",
    "resources",
    "compare",
    "points",
    "maps",
    "gallery",
    "dark-knowledge",
    "draw",
    "per-class",
    "charts",
    "settings",
    "share",
];

/// Where the digits lab's defaults differ from the table's (which are the 2-D lab's): a digits
/// student needs more width, bigger batches, a smaller step, and more examples of either kind.
/// Both labs' defaults tell the lab's story: the students own a few labels, and the distilled one
/// asks the teacher about unlabelled inputs like the data instead (EXPERIMENTS.md measures them).
/// The digits teacher answers as an API could, with its top 3 probabilities: measured, that kept
/// the distilled student ahead of the baseline on every seed at every step count. (In the 2-D
/// lab's two classes any top k is the whole distribution.)
pub const DIGITS_DEFAULTS: [(&str, &str); 7] = [
    ("answers", "top"),
    ("hidden", "64"),
    ("lr", "0.003"),
    ("batch", "128"),
    ("max_steps", "3000"),
    ("queries", "2000"),
    ("transfer_size", "200"),
];

/// Where the text lab's defaults differ from the table's. Its API answers as chat APIs do at
/// most, with the log-probabilities of the top 5 characters; EXPERIMENTS.md measures the
/// distilled student against the baseline with them.
pub const TEXT_DEFAULTS: [(&str, &str); 6] =
    [("answers", "top"), ("top_k", "5"), ("temperature", "2"), ("lr", "0.003"), ("batch", "64"), ("max_steps", "2000")];

/// Settings that mean something in one lab only: the digits lab's teacher and data are shipped,
/// the 2-D lab has no left-out digit to shift, and the text lab's models and data are its own.
const SHAPES_ONLY: [&str; 7] =
    ["dataset", "classes", "points", "noise", "train_ratio", "teacher_hidden", "teacher_steps"];
const DIGITS_ONLY: [&str; 3] = ["omit", "bias_shift", "bias_auto"];
const TEXT_ONLY: [&str; 4] = ["text_size", "api_chars", "prompt", "sample_t"];
/// Settings of the classifier labs that the text lab does without: its students' size is fixed,
/// they train with Adam, and the distilled one always asks the API.
const CLASSIFIER_ONLY: [&str; 7] =
    ["hidden", "optimizer", "transfer", "queries", "queries_from", "transfer_size", "dk_t"];

/// Settings of the page alone: the shell refuses them.
pub const PAGE_ONLY: [&str; 13] = [
    "backend", "autoplay", "embed", "present", "hide", "theme", "debug", "bench", "dk_digit", "dk_t", "tour", "prompt",
    "sample_t",
];

/// Whether the setting `name` does anything in the lab `scenario`.
pub fn applies_to(name: &str, scenario: Scenario) -> bool {
    let outside = |lists: &[&[&str]]| !lists.iter().any(|list| list.contains(&name));
    match scenario {
        Scenario::Digits => outside(&[&SHAPES_ONLY, &TEXT_ONLY]),
        Scenario::Shapes => outside(&[&DIGITS_ONLY, &TEXT_ONLY]),
        Scenario::Text => outside(&[&SHAPES_ONLY, &DIGITS_ONLY, &CLASSIFIER_ONLY]),
    }
}

pub fn spec(name: &str) -> Option<&'static Spec> {
    TABLE.iter().find(|s| s.name == name)
}
