//! The distillation loss against values computed by hand, term by term, in f64.

use distill_core::burn::prelude::*;
use distill_core::distillation_loss;

const STUDENT: [[f64; 3]; 2] = [[1.0, 2.0, 0.0], [0.5, -1.0, 2.0]];
const TEACHER: [[f64; 3]; 2] = [[2.0, 1.0, 0.0], [0.0, 0.0, 1.0]];
const LABELS: [usize; 2] = [0, 2];

fn softmax(row: &[f64; 3], temperature: f64) -> [f64; 3] {
    let e = row.map(|z| (z / temperature).exp());
    let sum: f64 = e.iter().sum();
    e.map(|v| v / sum)
}

/// The formula of the product's docs, written out with loops.
fn by_hand(temperature: f64, alpha: f64) -> (f64, f64, f64) {
    by_hand_for(&STUDENT, temperature, alpha)
}

/// The same for any student logits: `(soft, hard, total)`.
fn by_hand_for(student: &[[f64; 3]; 2], temperature: f64, alpha: f64) -> (f64, f64, f64) {
    let mut soft = 0.0;
    let mut hard = 0.0;
    for row in 0..2 {
        let p = softmax(&TEACHER[row], temperature);
        let q = softmax(&student[row], temperature);
        soft += (0..3).map(|c| p[c] * (p[c] / q[c]).ln()).sum::<f64>();
        hard -= softmax(&student[row], 1.0)[LABELS[row]].ln();
    }
    let soft = temperature * temperature * soft / 2.0;
    let hard = hard / 2.0;
    (soft, hard, alpha * soft + (1.0 - alpha) * hard)
}

fn tensor(rows: [[f64; 3]; 2], device: &Device) -> Tensor<2> {
    let flat: Vec<f32> = rows.iter().flatten().map(|&v| v as f32).collect();
    Tensor::from_data(TensorData::new(flat, [2, 3]), device)
}

fn scalar(t: Tensor<1>) -> f64 {
    t.into_data().try_to_vec::<f32>().unwrap()[0] as f64
}

#[test]
fn loss_matches_hand_computed_values() {
    let device = Device::flex();
    let mut one_hot = [[0.0; 3]; 2];
    for (row, &label) in LABELS.iter().enumerate() {
        one_hot[row][label] = 1.0;
    }
    for temperature in [1.0, 4.0] {
        for alpha in [0.0, 0.5, 1.0] {
            let parts = distillation_loss(
                tensor(STUDENT, &device),
                tensor(TEACHER, &device),
                Some(tensor(one_hot, &device)),
                temperature as f32,
                alpha as f32,
            );
            let (soft, hard, total) = by_hand(temperature, alpha);
            let got_total = scalar(parts.total);
            let got_hard = scalar(parts.terms.hard().expect("labels were given"));
            assert!((got_hard - hard).abs() < 1e-5, "T={temperature} α={alpha}: hard {got_hard} vs {hard}");
            assert!((got_total - total).abs() < 1e-5, "T={temperature} α={alpha}: total {got_total} vs {total}");
            if alpha > 0.0 {
                let got_soft = scalar(parts.terms.soft());
                assert!((got_soft - soft).abs() < 1e-5, "T={temperature} α={alpha}: soft {got_soft} vs {soft}");
            }
        }
    }
}

#[test]
fn without_labels_only_the_soft_term_counts() {
    let device = Device::flex();
    let parts = distillation_loss(tensor(STUDENT, &device), tensor(TEACHER, &device), None, 4.0, 0.3);
    assert!(parts.terms.hard().is_none());
    let (soft, _, _) = by_hand(4.0, 1.0);
    assert!((scalar(parts.total) - soft).abs() < 1e-5);
}

#[test]
fn the_soft_term_vanishes_when_the_student_matches_the_teacher() {
    let device = Device::flex();
    let parts = distillation_loss(tensor(TEACHER, &device), tensor(TEACHER, &device), None, 2.0, 1.0);
    assert!(scalar(parts.terms.soft()).abs() < 1e-6);
}

#[test]
fn the_gradient_matches_finite_differences() {
    let device = Device::flex().autodiff();
    let mut one_hot = [[0.0; 3]; 2];
    for (row, &label) in LABELS.iter().enumerate() {
        one_hot[row][label] = 1.0;
    }
    for (temperature, alpha) in [(1.0, 0.0), (4.0, 0.9), (20.0, 1.0), (2.0, 0.5)] {
        let student = tensor(STUDENT, &device).require_grad();
        let parts = distillation_loss(
            student.clone(),
            tensor(TEACHER, &device),
            Some(tensor(one_hot, &device)),
            temperature as f32,
            alpha as f32,
        );
        let grads = parts.total.backward();
        let gradient = student.grad(&grads).expect("the student's logits get a gradient");
        let gradient: Vec<f32> = gradient.into_data().try_to_vec::<f32>().unwrap();
        let step = 1e-5;
        for row in 0..2 {
            for class in 0..3 {
                let (mut up, mut down) = (STUDENT, STUDENT);
                up[row][class] += step;
                down[row][class] -= step;
                let numeric =
                    (by_hand_for(&up, temperature, alpha).2 - by_hand_for(&down, temperature, alpha).2) / (2.0 * step);
                let analytic = gradient[row * 3 + class] as f64;
                assert!(
                    (numeric - analytic).abs() < 1e-4 + 1e-3 * numeric.abs(),
                    "T={temperature} α={alpha} [{row}][{class}]: autodiff {analytic} vs finite differences {numeric}"
                );
            }
        }
    }
}
