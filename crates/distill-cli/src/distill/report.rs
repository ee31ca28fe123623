//! What `distill` prints: a row of figures every few steps, and a summary at the end.

use distill_core::{Metrics, Phase, Session};

pub fn percent(v: f32) -> String {
    format!("{:.1}%", 100.0 * v)
}

fn loss(v: Option<f32>) -> String {
    v.map_or_else(|| "–".into(), |v| format!("{v:.4}"))
}

pub const HEADER: &str =
    "   step │   soft    hard   total │ base CE │ teacher student baseline │ agree  KL(t‖s) │ steps/s";

pub fn row(metrics: &Metrics, steps_per_second: f64) -> String {
    if metrics.phase == Phase::Teacher {
        return format!(
            "teacher {:>5} │ teacher loss {} │ teacher accuracy {}",
            metrics.teacher_step,
            loss(metrics.models.teacher.loss),
            percent(metrics.models.teacher.accuracy)
        );
    }
    format!(
        "{:>7} │ {:>6} {:>7} {:>7} │ {:>7} │ {:>7} {:>7} {:>8} │ {:>5} {:>8.4} │ {:>7.0}",
        metrics.step,
        loss(metrics.loss_soft),
        loss(metrics.loss_hard),
        loss(metrics.models.student.loss),
        loss(metrics.models.baseline.loss),
        percent(metrics.models.teacher.accuracy),
        percent(metrics.models.student.accuracy),
        percent(metrics.models.baseline.accuracy),
        percent(metrics.models.student.agreement),
        metrics.models.student.kl,
        steps_per_second
    )
}

pub fn summary(session: &Session, metrics: &Metrics, test_points: usize, seconds: f64) {
    let config = session.config();
    let errors = |accuracy: f32| ((1.0 - accuracy) * test_points as f32).round() as usize;
    println!();
    println!(
        "{:<9} {:>16} {:>10} {:>9} {:>7} {:>14}",
        "model", "shape", "params", "test acc", "errors", "KL to teacher"
    );
    let rows = [
        ("teacher", session.teacher_label(), session.teacher_params(), metrics.models.teacher.accuracy, None),
        (
            "student",
            session.student_label(),
            session.student_params(),
            metrics.models.student.accuracy,
            Some(metrics.models.student.kl),
        ),
        (
            "baseline",
            session.student_label(),
            session.student_params(),
            metrics.models.baseline.accuracy,
            Some(metrics.models.baseline.kl),
        ),
    ];
    for (name, shape, params, accuracy, kl) in rows {
        let kl = kl.map_or_else(|| "–".into(), |kl| format!("{kl:.4}"));
        println!("{name:<9} {shape:>16} {params:>10} {:>9} {:>7} {kl:>14}", percent(accuracy), errors(accuracy));
    }
    if let Some(class) = config.omit {
        println!(
            "class {class} left out of the transfer set: the student gets {} of the test {class}s right with a bias shift of {:.1}, {} without",
            percent(metrics.models.student.per_class[class]),
            metrics.bias_shift,
            percent(metrics.per_class_student_unshifted[class])
        );
    }
    // What shaped the student's loss: labels alone take no T or α, and queries bring no labels.
    let answers = config.answers;
    let alpha = if config.transfer == distill_core::Transfer::Queries { 1.0 } else { config.alpha };
    let loss = match answers.uses_temperature_and_alpha() {
        true => format!("answers {}, T = {}, α = {alpha}", answers.label(), config.temperature),
        false => "answers label (T and α do not apply)".into(),
    };
    println!(
        "{loss}; {} answers, {} numbers received; {} student steps in {:.1} s; student agrees with the teacher on {} of the test points",
        metrics.answers_used,
        metrics.numbers_received,
        metrics.step,
        seconds,
        percent(metrics.models.student.agreement)
    );
}

/// The `--csv` file: one [`ReportRow`](distill_core::ReportRow) a report, under a header.
pub fn csv_writer(path: &std::path::Path) -> Result<csv::Writer<std::fs::File>, String> {
    csv::Writer::from_path(path).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use distill_core::report_row::{COLUMNS, ReportRow};
    use distill_core::{Metrics, ModelFigures, Phase, Trio};

    fn row(loss: Option<f32>) -> ReportRow {
        let figures = |accuracy| ModelFigures { accuracy, test_ce: 0.3, kl: 1e-7, loss, ..ModelFigures::default() };
        let metrics = Metrics {
            phase: Phase::Distill,
            teacher_step: 400,
            step: 25,
            models: Trio::new(figures(1.0), figures(0.9), figures(0.625)),
            loss_soft: loss,
            loss_hard: None,
            bias_shift: 1.5,
            acc_student_unshifted: 0.9,
            per_class_student_unshifted: Vec::new(),
            queries_answered: 0,
            answers_used: 800,
            numbers_received: 8000,
            labelled_examples: 20,
            watched: Vec::new(),
            watched_logits: Vec::new(),
        };
        ReportRow::new(&metrics, 3120.25)
    }

    /// The page writes `COLUMNS` and `fields()` joined by commas; the shell writes the row with
    /// the csv crate. Both must give the same file.
    #[test]
    fn the_csv_crate_writes_the_columns_and_fields_the_page_writes() {
        for loss in [Some(0.4375), None, Some(f32::NAN)] {
            let mut writer = csv::Writer::from_writer(Vec::new());
            writer.serialize(row(loss)).unwrap();
            let text = String::from_utf8(writer.into_inner().unwrap()).unwrap();
            let lines: Vec<&str> = text.lines().collect();
            assert_eq!(lines, [COLUMNS.join(","), row(loss).fields().join(",")], "loss {loss:?}");
        }
    }
}
