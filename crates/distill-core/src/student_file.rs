//! The settings file saved beside a distilled student's weights: the run that made it, as the
//! link's parameters, the student's shape, its step and what it scored (test accuracy in the
//! classifier labs, held-out loss in the text lab). With the settings a
//! session of the same shape and data can be built again, load the weights and check or continue
//! them (the page writes it, `distill --settings` reads it).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::params::{PAGE_ONLY, Params, TABLE};

/// What the `format` field of every student file says.
pub const STUDENT_FORMAT: &str = "distill-lab-student";
/// The version this build writes and reads.
pub const STUDENT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudentFile {
    /// Always [`STUDENT_FORMAT`]: tells this file from any other JSON.
    pub format: String,
    /// [`STUDENT_VERSION`] when written by this build.
    pub version: u32,
    /// The run's settings as link parameters, every one that means something in its lab.
    pub settings: BTreeMap<String, String>,
    /// The student's shape, e.g. `2-16-2`.
    pub student: String,
    /// The student's steps when it was saved.
    pub step: usize,
    /// What it scored then: `"test_accuracy"` or `"held_out_loss"`, a field of its own.
    #[serde(flatten)]
    pub score: StudentScore,
}

/// What a student scored when it was saved.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StudentScore {
    /// Its accuracy on the test points, a fraction in [0, 1] (the 2-D and digits labs).
    TestAccuracy(f32),
    /// Its held-out loss in nats per character (the text lab).
    HeldOutLoss(f32),
}

impl StudentScore {
    /// As the page and the shell say it: `93.8% test accuracy`, `held-out loss 2.662`.
    pub fn describe(self) -> String {
        match self {
            StudentScore::TestAccuracy(accuracy) => format!("{:.1}% test accuracy", 100.0 * accuracy),
            StudentScore::HeldOutLoss(loss) => format!("held-out loss {loss:.3} nats per character"),
        }
    }
}

impl StudentFile {
    /// The file for a student of shape `student` trained `step` steps with `params`. Every
    /// setting of the lab is written, defaults included, so that the file still names the same run
    /// if a default changes.
    pub fn new(params: &Params, student: String, step: usize, score: StudentScore) -> Self {
        let settings = TABLE
            .iter()
            .filter(|spec| !PAGE_ONLY.contains(&spec.name) && params.applies(spec.name))
            .filter_map(|spec| Some((spec.name.to_string(), params.value(spec.name)?.render())))
            .collect();
        Self { format: STUDENT_FORMAT.into(), version: STUDENT_VERSION, settings, student, step, score }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a student file is plain strings and numbers")
    }

    /// Reads a file written by [`StudentFile::to_json`]; anything else is an error that says
    /// what is wrong with it.
    pub fn from_json(text: &str) -> Result<Self, String> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| format!("this is not a student settings file: not JSON ({e})"))?;
        match value.get("format").and_then(serde_json::Value::as_str) {
            Some(STUDENT_FORMAT) => {}
            Some(other) => {
                return Err(format!(
                    "this is not a student settings file: its format is “{other}”, not “{STUDENT_FORMAT}”"
                ));
            }
            None => {
                return Err(format!("this is not a student settings file: it has no \"format\": \"{STUDENT_FORMAT}\""));
            }
        }
        match value.get("version").and_then(serde_json::Value::as_u64) {
            Some(version) if version == u64::from(STUDENT_VERSION) => {}
            Some(version) => {
                return Err(format!(
                    "student settings file version {version} is not supported; this version reads version {STUDENT_VERSION}"
                ));
            }
            None => return Err("the student settings file has no version number".into()),
        }
        if value.get("test_accuracy").is_some() && value.get("held_out_loss").is_some() {
            return Err(
                "the student settings file is damaged: it states both a test accuracy and a held-out loss".into()
            );
        }
        serde_json::from_value(value).map_err(|e| format!("the student settings file is damaged: {e}"))
    }

    /// The settings of the file's lab, each applied as the page applies a link's; a setting that
    /// had to be corrected, or that means nothing here, gives a notice instead of failing.
    pub fn params(&self) -> (Params, Vec<String>) {
        let mut notices = Vec::new();
        // The lab comes first: the other settings start at its defaults.
        let mut lab = Params::default();
        match self.settings.get("scenario") {
            Some(raw) => notices.extend(lab.switch_scenario(raw)),
            None => notices.push("The file names no lab; using the 2-D lab.".into()),
        }
        let mut params = Params::for_scenario(lab.scenario);
        // In the table's order, in which a dataset comes before its class count.
        for spec in TABLE.iter().filter(|spec| spec.name != "scenario") {
            let Some(raw) = self.settings.get(spec.name) else { continue };
            if PAGE_ONLY.contains(&spec.name) {
                notices.push(format!("“{}” is a setting of the page, not of a run; ignored.", spec.name));
                continue;
            }
            notices.extend(params.set(spec.name, raw));
        }
        for name in self.settings.keys().filter(|name| !TABLE.iter().any(|spec| spec.name == name.as_str())) {
            notices.push(format!("Unknown parameter “{name}” ignored."));
        }
        (params, notices)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run_spec::Scenario;

    fn changed(scenario: Scenario, changes: &[(&str, &str)]) -> Params {
        let mut params = Params::for_scenario(scenario);
        for (name, raw) in changes {
            assert_eq!(params.set(name, raw), None, "{name}={raw}");
        }
        params
    }

    fn shapes() -> Params {
        changed(Scenario::Shapes, &[("dataset", "gaussians"), ("classes", "4"), ("hidden", "8,4"), ("noise", "0.125")])
    }

    fn digits() -> Params {
        changed(Scenario::Digits, &[("hidden", "32"), ("omit", "3"), ("bias_auto", "1"), ("temperature", "12")])
    }

    const HALF: StudentScore = StudentScore::TestAccuracy(0.5);

    #[test]
    fn a_file_round_trips_through_json() {
        let file = StudentFile::new(&shapes(), "2-8-4-4".into(), 640, StudentScore::TestAccuracy(0.9375));
        let json = file.to_json();
        assert!(json.contains("\"format\": \"distill-lab-student\""), "{json}");
        assert!(json.contains("\"test_accuracy\": 0.9375"), "the field files have always had: {json}");
        assert_eq!(StudentFile::from_json(&json), Ok(file));
        let text =
            StudentFile::new(&Params::for_scenario(Scenario::Text), "MLP".into(), 9, StudentScore::HeldOutLoss(2.5));
        let json = text.to_json();
        assert!(json.contains("\"held_out_loss\": 2.5") && !json.contains("test_accuracy"), "{json}");
        assert_eq!(StudentFile::from_json(&json), Ok(text));
        let neither = json.replace("\"held_out_loss\": 2.5", "\"loss\": 2.5");
        assert!(StudentFile::from_json(&neither).unwrap_err().contains("damaged"), "a file that states no score");
        let both = json.replace("\"held_out_loss\": 2.5", "\"held_out_loss\": 2.5, \"test_accuracy\": 0.5");
        assert!(StudentFile::from_json(&both).unwrap_err().contains("both"), "a file that states two scores");
    }

    #[test]
    fn every_setting_of_the_lab_is_written_and_none_of_the_page() {
        let file = StudentFile::new(&Params::default(), "2-16-2".into(), 0, HALF);
        assert_eq!(file.settings.get("seed").map(String::as_str), Some("1"), "defaults are written too");
        assert_eq!(file.settings.get("scenario").map(String::as_str), Some("shapes"));
        assert_eq!(file.settings.get("hidden").map(String::as_str), Some("16"));
        assert!(!file.settings.contains_key("backend"), "a page-only setting");
        assert!(!file.settings.contains_key("omit"), "a digits-only setting in the 2-D lab");
        let digits = StudentFile::new(&digits(), "784-32-10".into(), 0, HALF);
        assert_eq!(digits.settings.get("omit").map(String::as_str), Some("3"));
        assert!(!digits.settings.contains_key("dataset"), "a 2-D setting in the digits lab");
    }

    #[test]
    fn the_settings_give_back_the_run_they_came_from() {
        for params in [
            shapes(),
            digits(),
            Params::default(),
            Params::for_scenario(Scenario::Digits),
            Params::for_scenario(Scenario::Text),
        ] {
            let file = StudentFile::from_json(&StudentFile::new(&params, "s".into(), 10, HALF).to_json()).unwrap();
            let (read, notices) = file.params();
            assert!(notices.is_empty(), "{notices:?}");
            assert_eq!(read.scenario, params.scenario);
            assert_eq!(read.run_spec(), params.run_spec());
        }
    }

    #[test]
    fn bad_settings_give_notices_and_never_panic() {
        let mut file = StudentFile::new(&digits(), "784-32-10".into(), 10, HALF);
        file.settings.insert("temperature".into(), "hot".into());
        file.settings.insert("colour".into(), "blue".into());
        file.settings.insert("debug".into(), "panic".into());
        let (params, notices) = file.params();
        assert_eq!(params.scenario, Scenario::Digits);
        assert_eq!(params.temperature, 4.0, "an invalid value falls back to the default");
        assert_eq!(params.hidden, vec![32], "the valid settings still apply");
        assert_eq!(notices.len(), 3, "{notices:?}");
    }

    #[test]
    fn garbage_another_format_or_another_version_is_an_error_that_says_so() {
        let error = StudentFile::from_json("PK\u{3}\u{4} weights").unwrap_err();
        assert!(error.contains("not JSON"), "{error}");
        let error = StudentFile::from_json(r#"{"format": "something-else", "version": 1}"#).unwrap_err();
        assert!(error.contains("something-else"), "{error}");
        let error = StudentFile::from_json(r#"{"version": 1}"#).unwrap_err();
        assert!(error.contains("no \"format\""), "{error}");
        let newer = StudentFile::new(&shapes(), "2-8-4-4".into(), 1, HALF)
            .to_json()
            .replace("\"version\": 1", "\"version\": 2");
        let error = StudentFile::from_json(&newer).unwrap_err();
        assert!(error.contains("version 2 is not supported"), "{error}");
        let error = StudentFile::from_json(r#"{"format": "distill-lab-student", "version": 1}"#).unwrap_err();
        assert!(error.contains("damaged"), "{error}");
    }
}
