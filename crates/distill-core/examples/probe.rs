use distill_core::burn::prelude::*;
use distill_core::data::{ShapeKind, Split, generate};
use distill_core::{Session, SessionConfig};
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let lr: f64 = args.get(1).map_or(0.01, |s| s.parse().unwrap());
    let hidden: usize = args.get(2).map_or(6, |s| s.parse().unwrap());
    let noise: f32 = args.get(3).map_or(0.05, |s| s.parse().unwrap());
    let device = Device::flex();
    let split = Split::stratified(&generate(ShapeKind::Spiral, 400, 2, noise, 1), 0.5, 1);
    let config = SessionConfig { teacher_steps: 800, student_hidden: vec![hidden], learning_rate: lr, ..SessionConfig::default() };
    let mut s = Session::new(config, &split, &device);
    let t = std::time::Instant::now();
    for i in 0..=30 {
        let m = futures_lite::future::block_on(s.evaluate()).unwrap();
        println!("{i:3} t{} s{} tl {:?} tot {:?} soft {:?} hard {:?} base {:?} acc T {:.3} S {:.3} B {:.3} agree {:.3} {:.3}", m.teacher_step, m.step, m.teacher_loss, m.loss_total, m.loss_soft, m.loss_hard, m.loss_baseline, m.acc_teacher, m.acc_student, m.acc_baseline, m.agreement, m.agreement_baseline);
        for _ in 0..100 { s.step(); }
    }
    println!("{:?}", t.elapsed());
}
