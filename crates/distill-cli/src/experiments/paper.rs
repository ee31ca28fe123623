//! The paper's digits experiments, measured: students of two sizes, a temperature sweep, and a
//! class left out of the transfer set. `markdown` writes them up.

use super::lab::Lab;

pub const STUDENTS: [&str; 2] = ["64", "16"];
pub const TEMPERATURES: [f32; 5] = [1.0, 2.0, 4.0, 8.0, 20.0];
pub const OMITTED: usize = 3;
/// The paper's temperature for its left-out-3 student.
pub const OMIT_TEMPERATURE: f32 = 20.0;
/// The paper's shift for its left-out 3s.
pub const PAPER_SHIFT: f32 = 3.5;

/// Test errors per seed of the three models, for one student size.
pub struct Size {
    pub hidden: &'static str,
    pub teacher: Vec<f64>,
    pub baseline: Vec<f64>,
    pub student: Vec<f64>,
}

/// The distilled student's test errors per seed at each of [`TEMPERATURES`], and the baseline's.
pub struct Sweep {
    pub hidden: &'static str,
    pub errors: Vec<Vec<f64>>,
    pub baseline: Vec<f64>,
}

/// Per seed, with every [`OMITTED`] left out: the share of test 3s and of all test digits right.
#[derive(Default)]
pub struct LeftOut {
    pub baseline_3s: Vec<f64>,
    pub unshifted_3s: Vec<f64>,
    pub unshifted_all: Vec<f64>,
    pub paper_shift_3s: Vec<f64>,
    pub paper_shift_all: Vec<f64>,
    pub fitted_3s: Vec<f64>,
    pub fitted_all: Vec<f64>,
    pub fitted_shifts: Vec<f64>,
}

pub fn sizes(lab: &mut Lab, seeds: &[u64]) -> Result<Vec<Size>, String> {
    eprintln!("students at the default temperature");
    let mut sizes = Vec::new();
    for hidden in STUDENTS {
        let mut size = Size { hidden, teacher: Vec::new(), baseline: Vec::new(), student: Vec::new() };
        for &seed in seeds {
            let m = lab.run(&[("hidden", hidden.into()), ("seed", seed.to_string())])?;
            size.teacher.push(lab.errors(m.models.teacher.accuracy));
            size.baseline.push(lab.errors(m.models.baseline.accuracy));
            size.student.push(lab.errors(m.models.student.accuracy));
        }
        sizes.push(size);
    }
    Ok(sizes)
}

pub fn sweeps(lab: &mut Lab, seeds: &[u64]) -> Result<Vec<Sweep>, String> {
    eprintln!("temperature sweep");
    let mut sweeps = Vec::new();
    for hidden in STUDENTS {
        let mut sweep = Sweep { hidden, errors: Vec::new(), baseline: Vec::new() };
        for t in TEMPERATURES {
            let mut errors = Vec::new();
            for &seed in seeds {
                let m =
                    lab.run(&[("hidden", hidden.into()), ("seed", seed.to_string()), ("temperature", t.to_string())])?;
                errors.push(lab.errors(m.models.student.accuracy));
                if t == TEMPERATURES[0] {
                    sweep.baseline.push(lab.errors(m.models.baseline.accuracy));
                }
            }
            sweep.errors.push(errors);
        }
        sweeps.push(sweep);
    }
    Ok(sweeps)
}

pub fn left_out(lab: &mut Lab, seeds: &[u64]) -> Result<LeftOut, String> {
    eprintln!("left-out 3s");
    let mut out = LeftOut::default();
    for &seed in seeds {
        let overrides = [
            ("hidden", "64".to_string()),
            ("seed", seed.to_string()),
            ("omit", OMITTED.to_string()),
            ("temperature", OMIT_TEMPERATURE.to_string()),
        ];
        let m = lab.run(&[&overrides[..], &[("bias_shift", PAPER_SHIFT.to_string())]].concat())?;
        out.unshifted_3s.push(m.per_class_student_unshifted[OMITTED] as f64);
        out.unshifted_all.push(m.acc_student_unshifted as f64);
        out.paper_shift_3s.push(m.models.student.per_class[OMITTED] as f64);
        out.paper_shift_all.push(m.models.student.accuracy as f64);
        out.baseline_3s.push(m.models.baseline.per_class[OMITTED] as f64);
        let m = lab.run(&[&overrides[..], &[("bias_auto", "1".to_string())]].concat())?;
        out.fitted_3s.push(m.models.student.per_class[OMITTED] as f64);
        out.fitted_all.push(m.models.student.accuracy as f64);
        out.fitted_shifts.push(m.bias_shift as f64);
    }
    Ok(out)
}
