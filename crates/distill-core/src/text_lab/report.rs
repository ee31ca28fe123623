//! The text lab's reports as CSV: the page's metrics download, one row per report.

use crate::protocol::TextFigures;

pub const CSV_HEADER: &str =
    "step,api_chars,numbers_received,held_out_step,loss_teacher,loss_distilled,loss_baseline,soft_term";

/// The rows under [`CSV_HEADER`], with a header line; an empty figure is an empty cell.
pub fn csv(rows: &[TextFigures]) -> String {
    let mut out = format!("{CSV_HEADER}\n");
    for f in rows {
        let soft = f.soft.map(|s| s.to_string()).unwrap_or_default();
        out += &format!(
            "{},{},{},{},{},{},{},{soft}\n",
            f.step,
            f.api_chars,
            f.numbers,
            f.held_out_step,
            f.held_out.teacher,
            f.held_out.student,
            f.held_out.baseline
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trio::Trio;

    #[test]
    fn one_row_per_report_under_the_header() {
        let row = |step, soft| TextFigures {
            step,
            held_out: Trio::new(1.9, 2.5, 2.75),
            held_out_step: step,
            soft,
            api_chars: 1024,
            numbers: 5120,
        };
        let text = csv(&[row(0, None), row(50, Some(0.5))]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines, [CSV_HEADER, "0,1024,5120,0,1.9,2.5,2.75,", "50,1024,5120,50,1.9,2.5,2.75,0.5"]);
        assert!(lines.iter().all(|l| l.split(',').count() == CSV_HEADER.split(',').count()));
    }
}
