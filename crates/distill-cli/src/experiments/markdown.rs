//! The paper's experiments, written up in Markdown from what `paper` measured.

use std::fmt::Write as _;

use super::paper::{LeftOut, OMIT_TEMPERATURE, OMITTED, PAPER_SHIFT, Size, Sweep, TEMPERATURES};

/// Mean and sample standard deviation.
pub fn mean_sd(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = if values.len() > 1 { values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0) } else { 0.0 };
    (mean, var.sqrt())
}

fn show(values: &[f64]) -> String {
    let (mean, sd) = mean_sd(values);
    format!("{mean:.1} ± {sd:.1}")
}

fn show_percent(values: &[f64]) -> String {
    let (mean, sd) = mean_sd(values);
    format!("{:.1}% ± {:.1}", 100.0 * mean, 100.0 * sd)
}

/// Table 1: teacher, baseline and distilled student, two sizes, and what it finds.
pub fn sizes(w: &mut String, test: usize, sizes: &[Size]) {
    writeln!(w, "\n### 1. Test errors (of {test})\n").unwrap();
    writeln!(w, "| student | parameters | teacher | baseline (hard labels) | distilled | distilled wins on |").unwrap();
    writeln!(w, "|---|---|---|---|---|---|").unwrap();
    let mut findings = Vec::new();
    for Size { hidden, teacher, baseline, student } in sizes {
        let seeds = student.len();
        let wins = student.iter().zip(baseline).filter(|(s, b)| s < b).count();
        let spec = distill_core::MlpSpec::new(784, vec![hidden.parse().unwrap()], 10);
        writeln!(
            w,
            "| {} | {} | {} | {} | {} | {wins} of {seeds} seeds |",
            spec.label(),
            spec.num_params(),
            show(teacher),
            show(baseline),
            show(student),
        )
        .unwrap();
        let (b, _) = mean_sd(baseline);
        let (d, _) = mean_sd(student);
        findings.push(format!(
            "- {}: the distilled student makes {:.1} errors on average against the baseline's {:.1} ({}), and wins on {wins} of {seeds} seeds.",
            spec.label(),
            d,
            b,
            if d < b { format!("{:.0}% fewer", 100.0 * (b - d) / b) } else { format!("{:.0}% more: distillation does not win here", 100.0 * (d - b) / b) },
        ));
    }
    writeln!(w, "\n{}", findings.join("\n")).unwrap();
}

/// Table 2: the temperature sweep, and where the distilled student wins.
pub fn sweeps(w: &mut String, sweeps: &[Sweep]) {
    writeln!(w, "\n### 2. Temperature (distilled student's test errors; the baseline ignores T)\n").unwrap();
    write!(w, "| student |").unwrap();
    for t in TEMPERATURES {
        write!(w, " T = {t} |").unwrap();
    }
    writeln!(w, " baseline |\n|---|{}---|", "---|".repeat(TEMPERATURES.len())).unwrap();
    let mut findings = Vec::new();
    for Sweep { hidden, errors, baseline } in sweeps {
        let cells: Vec<String> = errors.iter().map(|e| show(e)).collect();
        let means: Vec<f64> = errors.iter().map(|e| mean_sd(e).0).collect();
        writeln!(w, "| 784-{hidden}-10 | {} | {} |", cells.join(" | "), show(baseline)).unwrap();
        let best = (0..TEMPERATURES.len()).min_by(|&a, &b| means[a].total_cmp(&means[b])).unwrap();
        let worst = (0..TEMPERATURES.len()).max_by(|&a, &b| means[a].total_cmp(&means[b])).unwrap();
        let base = mean_sd(baseline).0;
        let beaten = means.iter().filter(|&&m| m < base).count();
        let not_beaten: Vec<String> =
            TEMPERATURES.iter().zip(&means).filter(|(_, m)| **m >= base).map(|(t, _)| format!("T = {t}")).collect();
        let losses = if not_beaten.is_empty() {
            String::new()
        } else {
            format!(" It does not win at {}.", not_beaten.join(", "))
        };
        findings.push(format!(
            "- 784-{hidden}-10: fewest errors at T = {} ({:.1}), most at T = {} ({:.1}); the distilled student beats the baseline's {:.1} at {beaten} of {} temperatures.{losses}",
            TEMPERATURES[best], means[best], TEMPERATURES[worst], means[worst], base, TEMPERATURES.len()
        ));
    }
    writeln!(w, "\n{}", findings.join("\n")).unwrap();
}

/// Table 3: a class the student never sees, with and without a bias shift.
pub fn left_out(w: &mut String, out: &LeftOut) {
    writeln!(
        w,
        "\n### 3. Every {OMITTED} left out of the transfer set (784-64-10, T = {OMIT_TEMPERATURE})\n\n\
         The student learns from the other nine classes only; the teacher's soft targets on them still \
         say how much each digit looks like a {OMITTED}. At test time the student's output bias for {OMITTED} \
         is raised by the paper's 3.5, or by a shift fitted on a calibration slice of 20 labelled training \
         digits per class (held out of the transfer set; of the shifts 0, 0.1, …, 10, the middle one of those \
         that classify the slice best).\n"
    )
    .unwrap();
    writeln!(w, "| | test {OMITTED}s right | all test digits right | shift |").unwrap();
    writeln!(w, "|---|---|---|---|").unwrap();
    writeln!(w, "| baseline (hard labels, no {OMITTED}s) | {} | | |", show_percent(&out.baseline_3s)).unwrap();
    writeln!(
        w,
        "| distilled, no shift | {} | {} | 0 |",
        show_percent(&out.unshifted_3s),
        show_percent(&out.unshifted_all)
    )
    .unwrap();
    writeln!(
        w,
        "| distilled, shift {PAPER_SHIFT} | {} | {} | {PAPER_SHIFT} |",
        show_percent(&out.paper_shift_3s),
        show_percent(&out.paper_shift_all)
    )
    .unwrap();
    writeln!(
        w,
        "| distilled, fitted shift | {} | {} | {} |",
        show_percent(&out.fitted_3s),
        show_percent(&out.fitted_all),
        show(&out.fitted_shifts)
    )
    .unwrap();
    writeln!(
        w,
        "\nThe paper's student, at 60,000 digits and an 800-800 network, got 98.6% of the test 3s right after a \
         shift of 3.5. Here, with no 3 in its transfer set, the distilled student gets {:.1}% of them right without \
         a shift and {:.1}% with the fitted one; the baseline, which learns from labels, can never name a class it has not seen.",
        100.0 * mean_sd(&out.unshifted_3s).0,
        100.0 * mean_sd(&out.fitted_3s).0
    )
    .unwrap();
}
