//! What the teacher's API reveals: the top-k loss against values and gradients computed by hand
//! in f64, and proofs that the student reads nothing more than its mode reveals.

use distill_core::burn::prelude::*;
use distill_core::data::{ShapeKind, Split, generate};
use distill_core::session::Revealed;
use distill_core::{Answers, Session, SessionConfig, Transfer, distillation_loss};

const CLASSES: usize = 5;
const STUDENT: [[f64; CLASSES]; 2] = [[1.0, 2.0, 0.0, -0.5, 0.3], [0.5, -1.0, 2.0, 0.1, -2.0]];
const TEACHER: [[f64; CLASSES]; 2] = [[2.0, 1.0, 0.0, 0.7, -1.0], [0.0, 0.2, 1.0, -0.4, 0.6]];
const LABELS: [usize; 2] = [0, 2];

fn probabilities(row: &[f64; CLASSES]) -> [f64; CLASSES] {
    let e = row.map(f64::exp);
    let sum: f64 = e.iter().sum();
    e.map(|v| v / sum)
}

/// The teacher's k most likely classes, most likely first.
fn top(row: &[f64; CLASSES], k: usize) -> Vec<usize> {
    let mut classes: Vec<usize> = (0..CLASSES).collect();
    classes.sort_by(|&a, &b| row[b].total_cmp(&row[a]));
    classes.truncate(k);
    classes
}

/// `p` coarsened to the classes `known` and the rest, each bucket raised to 1/T, renormalised.
fn coarse_softened(p: &[f64; CLASSES], known: &[usize], temperature: f64) -> Vec<f64> {
    let mut buckets: Vec<f64> = known.iter().map(|&c| p[c]).collect();
    buckets.push(1.0 - buckets.iter().sum::<f64>());
    let powered: Vec<f64> = buckets.iter().map(|b| b.powf(1.0 / temperature)).collect();
    let sum: f64 = powered.iter().sum();
    powered.iter().map(|v| v / sum).collect()
}

/// The top-k loss as the docs state it, with loops: `(soft, hard, total)`.
fn by_hand(student: &[[f64; CLASSES]; 2], k: usize, temperature: f64, alpha: f64) -> (f64, f64, f64) {
    let (mut soft, mut hard) = (0.0, 0.0);
    for row in 0..2 {
        let known = top(&TEACHER[row], k);
        let p = coarse_softened(&probabilities(&TEACHER[row]), &known, temperature);
        let q = coarse_softened(&probabilities(&student[row]), &known, temperature);
        soft += p.iter().zip(&q).map(|(p, q)| p * (p / q).ln()).sum::<f64>();
        hard -= probabilities(&student[row])[LABELS[row]].ln();
    }
    let (soft, hard) = (temperature * temperature * soft / 2.0, hard / 2.0);
    (soft, hard, alpha * soft + (1.0 - alpha) * hard)
}

fn tensor<const C: usize>(rows: &[[f64; C]], device: &Device) -> Tensor<2> {
    let flat: Vec<f32> = rows.iter().flatten().map(|&v| v as f32).collect();
    Tensor::from_data(TensorData::new(flat, [rows.len(), C]), device)
}

fn one_hot(device: &Device) -> Tensor<2> {
    let mut rows = [[0.0; CLASSES]; 2];
    for (row, &label) in LABELS.iter().enumerate() {
        rows[row][label] = 1.0;
    }
    tensor(&rows, device)
}

fn values(t: Tensor<2>) -> Vec<f32> {
    t.into_data().try_to_vec::<f32>().unwrap()
}

fn scalar(t: Tensor<1>) -> f64 {
    t.into_data().try_to_vec::<f32>().unwrap()[0] as f64
}

fn top_loss(student: Tensor<2>, k: usize, temperature: f64, alpha: f64, device: &Device) -> distill_core::LossParts {
    let revealed = Revealed::from_logits(Answers::Top(k as u8), tensor(&TEACHER, device));
    revealed.softened(temperature as f32).loss(student, Some(one_hot(device)), alpha as f32)
}

#[test]
fn the_top_k_loss_matches_hand_computed_values() {
    let device = Device::flex();
    for k in [1, 2, 3] {
        for (temperature, alpha) in [(1.0, 1.0), (4.0, 0.9), (2.0, 0.5), (8.0, 0.0)] {
            let parts = top_loss(tensor(&STUDENT, &device), k, temperature, alpha, &device);
            let (soft, hard, total) = by_hand(&STUDENT, k, temperature, alpha);
            let case = format!("k={k} T={temperature} α={alpha}");
            let got = scalar(parts.total);
            assert!((got - total).abs() < 1e-5, "{case}: total {got} vs {total}");
            assert!((scalar(parts.terms.hard().unwrap()) - hard).abs() < 1e-5, "{case}: hard");
            if alpha > 0.0 {
                let got = scalar(parts.terms.soft());
                assert!((got - soft).abs() < 1e-5, "{case}: soft {got} vs {soft}");
            }
        }
    }
}

#[test]
fn the_top_k_gradient_matches_finite_differences() {
    let device = Device::flex().autodiff();
    for (k, temperature, alpha) in [(1, 1.0, 1.0), (2, 4.0, 0.9), (3, 20.0, 0.5)] {
        let student = tensor(&STUDENT, &device).require_grad();
        let parts = top_loss(student.clone(), k, temperature, alpha, &device);
        let gradient = values(student.grad(&parts.total.backward()).expect("the student's logits get a gradient"));
        let step = 1e-5;
        for row in 0..2 {
            for class in 0..CLASSES {
                let (mut up, mut down) = (STUDENT, STUDENT);
                up[row][class] += step;
                down[row][class] -= step;
                let numeric =
                    (by_hand(&up, k, temperature, alpha).2 - by_hand(&down, k, temperature, alpha).2) / (2.0 * step);
                let analytic = gradient[row * CLASSES + class] as f64;
                assert!(
                    (numeric - analytic).abs() < 1e-4 + 1e-3 * numeric.abs(),
                    "k={k} T={temperature} [{row}][{class}]: autodiff {analytic} vs finite differences {numeric}"
                );
            }
        }
    }
}

#[test]
fn the_top_classes_but_one_are_the_whole_distribution() {
    let device = Device::flex();
    let full =
        distillation_loss(tensor(&STUDENT, &device), tensor(&TEACHER, &device), Some(one_hot(&device)), 4.0, 0.9);
    let top = top_loss(tensor(&STUDENT, &device), CLASSES - 1, 4.0, 0.9, &device);
    assert!((scalar(full.total) - scalar(top.total)).abs() < 1e-6);
}

/// Logits in which the classes outside the top 2 of [`TEACHER`]'s rows share their probability
/// differently, with the same total: an API returning the top 2 gives the same answers.
fn other_tail() -> [[f64; CLASSES]; 2] {
    let mut other = TEACHER;
    for (row, logits) in other.iter_mut().enumerate() {
        let known = top(&TEACHER[row], 2);
        let tail: Vec<usize> = (0..CLASSES).filter(|c| !known.contains(c)).collect();
        let mass: f64 = tail.iter().map(|&c| TEACHER[row][c].exp()).sum();
        // The tail's mass shared evenly (each share stays below the known classes').
        for &c in &tail {
            logits[c] = (mass / tail.len() as f64).ln();
        }
        assert_eq!(top(logits, 2), known);
    }
    other
}

#[test]
fn with_top_k_the_probabilities_outside_the_top_k_change_nothing() {
    let device = Device::flex();
    let (Revealed::Top(a), Revealed::Top(b)) = (
        Revealed::from_logits(Answers::Top(2), tensor(&TEACHER, &device)),
        Revealed::from_logits(Answers::Top(2), tensor(&other_tail(), &device)),
    ) else {
        panic!("top 2 of 5 classes is not the whole distribution");
    };
    assert_eq!(a.known.into_data(), b.known.into_data());
    for (a, b) in values(a.coarse).iter().zip(values(b.coarse)) {
        assert!((a - b).abs() < 1e-5, "{a} vs {b}");
    }
    // The whole distribution does tell them apart.
    let full = |logits| distillation_loss(tensor(&STUDENT, &device), tensor(logits, &device), None, 4.0, 1.0).total;
    assert!((scalar(full(&TEACHER)) - scalar(full(&other_tail()))).abs() > 1e-3);
}

#[test]
fn with_labels_only_the_most_likely_class_is_revealed_and_t_and_alpha_do_not_apply() {
    let device = Device::flex();
    // The teacher twice as sure of every answer: the same labels, other probabilities.
    let surer = TEACHER.map(|row| row.map(|z| 2.0 * z));
    let (Revealed::Label(a), Revealed::Label(b)) = (
        Revealed::from_logits(Answers::Label, tensor(&TEACHER, &device)),
        Revealed::from_logits(Answers::Label, tensor(&surer, &device)),
    ) else {
        panic!("labels reveal labels");
    };
    assert_eq!(values(a.clone()), vec![1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
    assert_eq!(a.into_data(), b.into_data());
    let loss = |temperature, alpha| {
        let revealed = Revealed::from_logits(Answers::Label, tensor(&TEACHER, &device));
        scalar(revealed.softened(temperature).loss(tensor(&STUDENT, &device), Some(one_hot(&device)), alpha).total)
    };
    let cross_entropy: f64 =
        (0..2).map(|row| -probabilities(&STUDENT[row])[top(&TEACHER[row], 1)[0]].ln()).sum::<f64>() / 2.0;
    for (temperature, alpha) in [(1.0, 0.0), (4.0, 0.9), (20.0, 1.0)] {
        assert!((loss(temperature, alpha) - cross_entropy).abs() < 1e-5);
    }
}

fn spiral_split() -> Split {
    Split::stratified(&generate(ShapeKind::Spiral, 400, 3, 0.05, 4), 0.5, 4)
}

fn student_after(config: SessionConfig, steps: usize) -> (Vec<f32>, Session) {
    let device = Device::flex();
    let mut session = Session::new(config, &spiral_split(), &device);
    for _ in 0..steps {
        session.step();
    }
    let probe = Tensor::<2>::from_data(TensorData::new(vec![0.1f32, -0.3, 0.7, 0.2, -0.5, -0.9], [3, 2]), &device);
    (values(session.student().valid().forward(probe)), session)
}

#[test]
fn a_student_of_labels_alone_is_the_same_whatever_t_and_alpha() {
    let config = SessionConfig { teacher_steps: 100, answers: Answers::Label, ..SessionConfig::default() };
    let (first, _) = student_after(SessionConfig { temperature: 1.0, alpha: 0.3, ..config.clone() }, 140);
    let (second, _) = student_after(SessionConfig { temperature: 8.0, alpha: 0.9, ..config.clone() }, 140);
    assert_eq!(first, second);
    let (full, _) = student_after(SessionConfig { answers: Answers::Full, ..config }, 140);
    assert_ne!(first, full, "the whole distribution teaches something else than labels");
}

#[test]
fn numbers_received_count_what_each_answer_held() {
    let base = SessionConfig {
        teacher_steps: 10,
        transfer: Transfer::Queries,
        queries: 200,
        batch_size: 32,
        ..SessionConfig::default()
    };
    for (answers, per_answer) in [(Answers::Full, 3), (Answers::Top(1), 1), (Answers::Top(2), 3), (Answers::Label, 1)] {
        let (_, session) = student_after(SessionConfig { answers, ..base.clone() }, 10 + 3);
        assert_eq!(session.answers_used(), 3 * 32, "{answers:?}");
        // Top 2 of 3 classes gives the third: it counts as 2 numbers, and learns as the whole.
        let per_answer = if answers == Answers::Top(2) { 2 } else { per_answer };
        assert_eq!(session.numbers_received(), 3 * 32 * per_answer, "{answers:?}");
    }
}
