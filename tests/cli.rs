//! The shell tools as a user runs them: `distill` from the root package.

use std::process::{Command, Output};

fn distill(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_distill")).args(args).output().expect("distill runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn help_lists_every_flag_of_the_table_and_exits_zero() {
    let output = distill(&["--help"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let help = String::from_utf8_lossy(&output.stdout);
    for flag in ["--temperature", "--queries_from", "--omit", "--max_steps", "--csv"] {
        assert!(help.contains(flag), "{flag} missing from:\n{help}");
    }
    assert!(!help.contains("--backend"), "page settings are not flags");
}

#[test]
fn a_setting_of_the_other_lab_is_refused() {
    let output = distill(&["--omit", "3"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("digits lab"), "{}", stderr(&output));
    let output = distill(&["--scenario", "digits", "--dataset", "moons"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("2-D lab"), "{}", stderr(&output));
}

#[test]
fn an_invalid_flag_value_exits_non_zero_and_names_the_flag() {
    for (args, expected) in [
        (&["--temperature", "hot"][..], "temperature"),
        (&["--alpha", "7"], "alpha"),
        (&["--hidden", "0,x"], "hidden"),
        (&["--scenario", "faces"], "scenario"),
        (&["--colour", "red"], "--colour"),
        (&["--backend", "webgpu"], "page"),
        (&["--seed"], "--seed needs a value"),
        (&["digits"], "digits"),
    ] {
        let output = distill(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", stderr(&output));
        assert!(stderr(&output).contains(expected), "{args:?}: {}", stderr(&output));
        assert!(!stderr(&output).contains("panicked"), "{args:?}: {}", stderr(&output));
    }
}

#[test]
fn a_missing_digits_file_is_a_clear_error() {
    let output = distill(&["--scenario", "digits", "--data", "/nonexistent/digits.bin"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("/nonexistent/digits.bin"), "{}", stderr(&output));
}

#[test]
fn a_shapes_run_prints_its_table_and_writes_csv() {
    let csv = std::env::temp_dir().join(format!("distill-test-{}.csv", std::process::id()));
    let output =
        distill(&["--teacher-steps", "60", "--max-steps", "40", "--every", "20", "--csv", csv.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", stderr(&output));
    for model in ["teacher", "student", "baseline"] {
        assert!(stdout.contains(model), "{stdout}");
    }
    let text = std::fs::read_to_string(&csv).unwrap();
    std::fs::remove_file(&csv).ok();
    let rows: Vec<&str> = text.lines().collect();
    assert!(rows[0].starts_with("step,teacher_step,phase,loss_soft"), "{}", rows[0]);
    let steps: Vec<usize> = rows[1..].iter().map(|r| r.split(',').next().unwrap().parse().unwrap()).collect();
    assert_eq!(steps.last(), Some(&40), "{text}");
    assert!(rows[1..].iter().any(|r| r.contains(",distill,")), "{text}");
}

#[test]
fn a_digits_run_reports_the_three_models() {
    let output = distill(&["--scenario", "digits", "--max-steps", "30", "--transfer-size", "400", "--omit", "3"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout.contains("784-512-512-10") && stdout.contains("784-64-10"), "{stdout}");
    assert!(stdout.contains("class 3 left out"), "{stdout}");
}

#[test]
fn a_text_run_prints_the_three_models_losses_as_the_student_buys_answers() {
    let output = distill(&[
        "--scenario",
        "text",
        "--max-steps",
        "20",
        "--every",
        "10",
        "--api-chars",
        "2048",
        "--text-size",
        "2000",
        "--eval-chars",
        "500",
        "--answers",
        "top",
        "--top-k",
        "3",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let table = String::from_utf8_lossy(&output.stdout);
    let rows: Vec<Vec<&str>> =
        table.lines().map(|l| l.split_whitespace().collect()).filter(|r: &Vec<&str>| r.len() == 6).collect();
    let data: Vec<&Vec<&str>> = rows.iter().filter(|r| r[0].parse::<usize>().is_ok()).collect();
    assert_eq!(data.iter().map(|r| r[0]).collect::<Vec<_>>(), ["10", "20"], "{table}");
    assert!(data.iter().all(|r| r[1] == "2048"), "the budget is bought, and no more: {table}");
    let loss = |row: &Vec<&str>, column: usize| row[column].parse::<f32>().unwrap();
    assert_eq!(loss(data[0], 2), loss(data[1], 2), "the teacher does not train");
    assert!(data.iter().all(|r| (2..5).all(|c| loss(r, c).is_finite() && loss(r, c) > 0.5)), "{table}");
}

#[test]
fn a_text_run_refuses_a_bad_flag_or_a_damaged_teacher() {
    let output = distill(&["--scenario", "text", "--answers", "maybe"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("answers") && stderr(&output).contains("maybe"), "{}", stderr(&output));
    let damaged = std::env::temp_dir().join(format!("distill-cli-{}-teacher.bpk", std::process::id()));
    std::fs::write(&damaged, b"not a teacher").unwrap();
    let output = distill(&["--scenario", "text", "--teacher", damaged.to_str().unwrap()]);
    std::fs::remove_file(&damaged).unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("text teacher could not be used"), "{}", stderr(&output));
    let help = distill(&["--scenario", "text", "--help"]);
    assert!(String::from_utf8_lossy(&help.stdout).contains("--api-chars"));
}
