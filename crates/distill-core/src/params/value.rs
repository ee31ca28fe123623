//! A parameter's value as the link writes it, parsed against its row of the table, and the
//! conversions between it and the typed settings.

use serde::{Deserialize, Serialize};

use super::Theme;
use super::table::{Control, Kind, TABLE};
use crate::answers::AnswerKind;
use crate::config::{OptimizerKind, QueriesFrom, Transfer};
use crate::data::ShapeKind;
use crate::hooks::{BenchHook, DebugHook};
use crate::run_spec::{BackendChoice, Scenario};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Value {
    Choice(String),
    Float(f64),
    Int(i64),
    Bool(bool),
    Widths(Vec<usize>),
    Names(Vec<String>),
    Text(String),
}

impl Value {
    /// As written in a link and shown in a field.
    pub fn render(&self) -> String {
        match self {
            Value::Choice(s) => s.clone(),
            Value::Float(v) => format!("{v}"),
            Value::Int(v) => v.to_string(),
            // Links have always said 1 and 0.
            Value::Bool(on) => if *on { "1" } else { "0" }.into(),
            Value::Widths(w) => w.iter().map(usize::to_string).collect::<Vec<_>>().join(","),
            Value::Names(names) => names.join(","),
            Value::Text(text) => text.clone(),
        }
    }

    /// As written in a link's query: [`Value::render`], with text encoded (a prompt holds
    /// spaces, line breaks, & and =).
    pub fn in_link(&self) -> String {
        match self {
            Value::Text(text) => form_urlencoded::byte_serialize(text.as_bytes()).collect(),
            other => other.render(),
        }
    }
}

impl Kind {
    pub fn default_value(&self) -> Value {
        match *self {
            Kind::Choice { default, .. } => Value::Choice(default.into()),
            Kind::Float { default, .. } => Value::Float(default),
            Kind::Int { default, .. } => Value::Int(default),
            Kind::Bool { default } => Value::Bool(default),
            Kind::Widths { default, .. } => Value::Widths(default.to_vec()),
            Kind::Names { .. } => Value::Names(Vec::new()),
            Kind::Text { default, .. } => Value::Text(default.into()),
        }
    }

    /// The value for `raw`, and a notice when it had to be clamped or replaced.
    pub fn parse(&self, name: &str, raw: &str) -> (Value, Option<String>) {
        if let Kind::Text { max_chars, .. } = *self {
            // Text keeps its spaces and line breaks, and its end: a prompt is continued from there.
            let chars = raw.chars().count();
            let kept: String = raw.chars().skip(chars.saturating_sub(max_chars)).collect();
            let notice = (chars > max_chars)
                .then(|| format!("“{name}” in a link keeps its last {max_chars} characters; the rest is dropped."));
            return (Value::Text(kept), notice);
        }
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
            Kind::Bool { .. } => match raw.to_ascii_lowercase().as_str() {
                "1" | "true" | "on" | "yes" => (Value::Bool(true), None),
                "0" | "false" | "off" | "no" => (Value::Bool(false), None),
                _ => invalid("1 or 0"),
            },
            Kind::Names { options } => names(name, raw, options),
            Kind::Text { .. } => unreachable!("read above, untrimmed"),
        }
    }
}

/// Known names are kept, in order and once each; unknown ones are dropped with one notice.
fn names(name: &str, raw: &str, options: &[&str]) -> (Value, Option<String>) {
    let known = |candidate: &str| {
        options.contains(&candidate)
            || TABLE.iter().any(|spec| spec.name == candidate && spec.control != Control::UrlOnly)
    };
    let (mut kept, mut unknown) = (Vec::<String>::new(), Vec::<String>::new());
    for candidate in raw.split(',').map(|n| n.trim().to_ascii_lowercase()).filter(|n| !n.is_empty()) {
        match known(&candidate) {
            true if !kept.contains(&candidate) => kept.push(candidate),
            true => {}
            false => unknown.push(candidate.chars().take(24).collect()),
        }
    }
    let notice = (!unknown.is_empty()).then(|| {
        format!(
            "“{name}” does not know {}; it takes {} or a setting's name.",
            unknown.iter().take(3).map(|n| format!("“{n}”")).collect::<Vec<_>>().join(", "),
            options.join(", ")
        )
    });
    (Value::Names(kept), notice)
}

fn clamp(name: &str, value: Value, raw: f64, min: f64, max: f64) -> (Value, Option<String>) {
    let notice = (raw < min || raw > max)
        .then(|| format!("“{name}” must lie between {min} and {max}; using {}.", value.render()));
    (value, notice)
}

/// A typed setting's value in the table's terms.
pub trait FieldValue: Sized {
    fn to_value(&self) -> Value;
    /// `None` when `value` is not of this setting's kind (the table keeps that from happening).
    fn from_value(value: &Value) -> Option<Self>;
}

impl FieldValue for f64 {
    fn to_value(&self) -> Value {
        Value::Float(*self)
    }
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Float(v) => Some(*v),
            _ => None,
        }
    }
}

impl FieldValue for usize {
    fn to_value(&self) -> Value {
        Value::Int(*self as i64)
    }
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Int(v) => usize::try_from(*v).ok(),
            _ => None,
        }
    }
}

impl FieldValue for u64 {
    fn to_value(&self) -> Value {
        Value::Int(*self as i64)
    }
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Int(v) => u64::try_from(*v).ok(),
            _ => None,
        }
    }
}

/// A 0/1 switch in the link.
impl FieldValue for bool {
    fn to_value(&self) -> Value {
        Value::Bool(*self)
    }
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Bool(on) => Some(*on),
            _ => None,
        }
    }
}

impl FieldValue for Vec<usize> {
    fn to_value(&self) -> Value {
        Value::Widths(self.clone())
    }
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Widths(w) => Some(w.clone()),
            _ => None,
        }
    }
}

impl FieldValue for String {
    fn to_value(&self) -> Value {
        Value::Text(self.clone())
    }
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Text(text) => Some(text.clone()),
            _ => None,
        }
    }
}

impl FieldValue for Vec<String> {
    fn to_value(&self) -> Value {
        Value::Names(self.clone())
    }
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Names(names) => Some(names.clone()),
            _ => None,
        }
    }
}

/// A left-out digit: `none` or `0`…`9`.
impl FieldValue for Option<usize> {
    fn to_value(&self) -> Value {
        Value::Choice(self.map_or_else(|| "none".into(), |d| d.to_string()))
    }
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Choice(s) if s == "none" => Some(None),
            Value::Choice(s) => s.parse().ok().map(Some),
            _ => None,
        }
    }
}

/// Choice settings: each option of the table is one variant, by name.
macro_rules! choices {
    ($($type:ty { $($variant:path => $name:literal),* $(,)? })*) => {$(
        impl FieldValue for $type {
            fn to_value(&self) -> Value {
                Value::Choice(match self { $($variant => $name,)* }.into())
            }
            fn from_value(value: &Value) -> Option<Self> {
                match value {
                    $(Value::Choice(s) if s == $name => Some($variant),)*
                    _ => None,
                }
            }
        }
    )*};
}

choices! {
    Scenario { Scenario::Shapes => "shapes", Scenario::Digits => "digits", Scenario::Text => "text" }
    ShapeKind {
        ShapeKind::Spiral => "spiral", ShapeKind::Moons => "moons", ShapeKind::Circles => "circles",
        ShapeKind::Xor => "xor", ShapeKind::Gaussians => "gaussians",
    }
    OptimizerKind { OptimizerKind::Adam => "adam", OptimizerKind::Sgd => "sgd" }
    Transfer { Transfer::Train => "train", Transfer::Queries => "queries" }
    QueriesFrom { QueriesFrom::Data => "data", QueriesFrom::Uniform => "uniform" }
    AnswerKind { AnswerKind::Full => "full", AnswerKind::Top => "top", AnswerKind::Label => "label" }
    BackendChoice { BackendChoice::Auto => "auto", BackendChoice::WebGpu => "webgpu", BackendChoice::Cpu => "cpu" }
    BenchHook { BenchHook::Off => "off", BenchHook::W1 => "w1" }
    Theme { Theme::Auto => "auto", Theme::Light => "light", Theme::Dark => "dark" }
    DebugHook {
        DebugHook::Off => "off", DebugHook::Panic => "panic", DebugHook::LoseGpu => "lose-gpu", DebugHook::Race => "race",
        DebugHook::BadDrawing => "bad-drawing", DebugHook::GpuWrong => "gpu-wrong",
    }
}
