//! `distill`'s flags, read into what a run starts from: the settings (from a student's settings
//! file, the defaults of a lab, and the flags over them), the files it reads and writes, and
//! whether it only evaluates a loaded student.

use std::path::{Path, PathBuf};

use crate::{args, assets};
use distill_core::StudentFile;
use distill_core::params::{PAGE_ONLY, Params, TABLE, applies_to};
use distill_core::run_spec::Scenario;

/// The flags that are not settings of a run.
pub const OWN_FLAGS: [&str; 7] = ["every", "csv", "data", "teacher", "settings", "student", "evaluate"];

pub struct Options {
    pub params: Params,
    pub every: Option<usize>,
    pub csv: Option<PathBuf>,
    pub data: PathBuf,
    pub teacher: PathBuf,
    /// The student settings file given with `--settings`, which `params` started from.
    pub settings: Option<StudentFile>,
    /// The distilled student's weights to start from.
    pub student: Option<PathBuf>,
    /// Only evaluate the loaded student, without training.
    pub evaluate: bool,
}

/// Reads the flags (without the program's name). A settings file is read here, to start from.
pub fn options(args: impl IntoIterator<Item = String>) -> Result<Options, String> {
    let pairs = args::pairs_and_switches(args, &["evaluate"])?;
    let last = |flag: &str| pairs.iter().rev().find(|(name, _)| name == flag).map(|(_, value)| value.as_str());
    let settings = last("settings").map(|path| read_settings(Path::new(path))).transpose()?;
    // The settings file, else the scenario, chooses the defaults that the other flags override.
    let params = match (&settings, last("scenario")) {
        (Some((path, file)), scenario) => {
            let (params, notices) = file.params();
            if let Some(notice) = notices.first() {
                return Err(format!("{}: {notice}", path.display()));
            }
            if let Some(scenario) = scenario.map(lab).transpose()?.filter(|&lab| lab != params.scenario) {
                return Err(format!(
                    "--scenario {}: {} is a student of the {} lab",
                    name(scenario),
                    path.display(),
                    name(params.scenario)
                ));
            }
            params
        }
        (None, Some(scenario)) => Params::for_scenario(lab(scenario)?),
        (None, None) => Params::default(),
    };
    let mut options = Options {
        params,
        every: None,
        csv: None,
        data: assets::digits(),
        teacher: assets::teacher(),
        settings: settings.map(|(_, file)| file),
        student: None,
        evaluate: false,
    };
    for (name, value) in pairs {
        match name.as_str() {
            "every" => options.every = Some(args::parse::<usize>(&name, &value)?.max(1)),
            "csv" => options.csv = Some(value.into()),
            "data" => options.data = value.into(),
            "teacher" => options.teacher = value.into(),
            "student" => options.student = Some(value.into()),
            "evaluate" => options.evaluate = true,
            "settings" | "scenario" => {}
            name if PAGE_ONLY.contains(&name) => {
                return Err(format!("--{name} is a setting of the page, not of the shell"));
            }
            name if TABLE.iter().any(|s| s.name == name) && !options.params.applies(name) => {
                let labs = [Scenario::Shapes, Scenario::Digits, Scenario::Text];
                let other = labs.into_iter().find(|&lab| applies_to(name, lab)).unwrap_or(Scenario::Shapes);
                let title = if other == Scenario::Shapes { "2-D" } else { self::name(other) };
                return Err(format!("--{name} is a setting of the {title} lab (--scenario {})", self::name(other)));
            }
            _ => strict_set(&mut options.params, &name, &value)?,
        }
    }
    if options.evaluate && options.student.is_none() {
        return Err("--evaluate checks a student: give its weights with --student FILE".into());
    }
    Ok(options)
}

fn read_settings(path: &Path) -> Result<(PathBuf, StudentFile), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let file = StudentFile::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok((path.to_path_buf(), file))
}

/// The lab a `--scenario` value names.
fn lab(raw: &str) -> Result<Scenario, String> {
    let mut params = Params::default();
    strict_set(&mut params, "scenario", raw)?;
    Ok(params.scenario)
}

fn name(scenario: Scenario) -> &'static str {
    match scenario {
        Scenario::Shapes => "shapes",
        Scenario::Digits => "digits",
        Scenario::Text => "text",
    }
}

/// Unlike the page, which clamps and carries on, the shell refuses a value outside the table.
fn strict_set(params: &mut Params, name: &str, value: &str) -> Result<(), String> {
    if !TABLE.iter().any(|spec| spec.name == name) {
        let known: Vec<&str> =
            TABLE.iter().map(|s| s.name).filter(|n| !PAGE_ONLY.contains(n)).chain(OWN_FLAGS).collect();
        return Err(format!("unknown flag --{name}; known: --{}", known.join(", --")));
    }
    match params.set(name, value) {
        Some(notice) => Err(format!("invalid value: {notice}")),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::distill::scratch_path;
    use distill_core::StudentScore;

    fn read(args: &[&str]) -> Result<Options, String> {
        options(args.iter().map(|s| s.to_string()))
    }

    /// A settings file of a digits student with a few settings changed, written to a scratch file.
    fn digits_file(name: &str) -> (PathBuf, Params) {
        let mut params = Params::for_scenario(Scenario::Digits);
        for (name, raw) in [("hidden", "32"), ("seed", "7"), ("alpha", "0.5")] {
            assert_eq!(params.set(name, raw), None);
        }
        let path = scratch_path(name);
        std::fs::write(
            &path,
            StudentFile::new(&params, "784-32-10".into(), 300, StudentScore::TestAccuracy(0.9)).to_json(),
        )
        .unwrap();
        (path, params)
    }

    #[test]
    fn without_a_settings_file_the_scenario_chooses_the_defaults() {
        let options = read(&["--hidden", "8", "--scenario", "digits"]).unwrap();
        let mut expected = Params::for_scenario(Scenario::Digits);
        expected.hidden = vec![8];
        assert_eq!(options.params, expected);
        assert!(options.settings.is_none() && options.student.is_none() && !options.evaluate);
    }

    #[test]
    fn a_settings_file_starts_the_settings_and_every_other_flag_overrides_it() {
        let (path, params) = digits_file("options-override.json");
        let path = path.to_str().unwrap();
        // Flags before and after --settings alike.
        let options =
            read(&["--temperature", "12", "--settings", path, "--seed", "8", "--scenario", "digits"]).unwrap();
        let mut expected = params.clone();
        expected.temperature = 12.0;
        expected.seed = 8;
        assert_eq!(options.params, expected);
        assert_eq!(options.settings.map(|file| file.score), Some(StudentScore::TestAccuracy(0.9)));
        assert_eq!(read(&["--settings", path]).unwrap().params, params);
        let error = read(&["--settings", path, "--scenario", "shapes"]).err().unwrap();
        assert!(error.contains("digits lab"), "{error}");
        let error = read(&["--settings", path, "--dataset", "moons"]).err().unwrap();
        assert!(error.contains("2-D lab"), "{error}");
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn student_and_evaluate_are_read_and_evaluate_needs_a_student() {
        let options = read(&["--student", "s.bpk", "--evaluate", "--max-steps", "9"]).unwrap();
        assert_eq!((options.student, options.evaluate, options.params.max_steps), (Some("s.bpk".into()), true, 9));
        let error = read(&["--evaluate"]).err().unwrap();
        assert!(error.contains("--student"), "{error}");
        assert!(read(&["--evaluate=yes", "--student", "s.bpk"]).is_err());
    }

    #[test]
    fn a_missing_damaged_or_invalid_settings_file_is_an_error_naming_it() {
        let missing = scratch_path("options-missing.json");
        let error = read(&["--settings", missing.to_str().unwrap()]).err().unwrap();
        assert!(error.contains("options-missing.json"), "{error}");
        let damaged = scratch_path("options-damaged.json");
        std::fs::write(&damaged, "{\"format\": \"distill-lab-student\", \"vers").unwrap();
        let error = read(&["--settings", damaged.to_str().unwrap()]).err().unwrap();
        assert!(error.contains("options-damaged.json") && error.contains("not JSON"), "{error}");
        let mut file = StudentFile::new(&Params::default(), "2-16-2".into(), 1, StudentScore::TestAccuracy(0.5));
        file.settings.insert("noise".into(), "7".into());
        std::fs::write(&damaged, file.to_json()).unwrap();
        let error = read(&["--settings", damaged.to_str().unwrap()]).err().unwrap();
        assert!(error.contains("noise"), "a value out of range is refused, as a flag's is: {error}");
        std::fs::remove_file(damaged).unwrap();
    }
}
