//! Trains the digits teacher on the 8,000 training digits and writes its weights.
//!
//! `cargo run --release --bin train-teacher` rebuilds `www/models/digits-teacher.bpk`.
//! (`--scenario text` trains the text lab's teacher instead: `train_text_teacher`.)
//! Flags: `--seed`, `--epochs`, `--batch`, `--lr`, `--shift` (pixels of random translation, the
//! only augmentation), `--out`.

use std::process::ExitCode;
use std::time::Instant;

use crate::{args, assets};
use distill_core::OptimizerKind;
use distill_core::burn::prelude::*;
use distill_core::cross_entropy;
use distill_core::data::{Digits, Points, digits};
use distill_core::metrics::{agreement, predictions};
use distill_core::session::learner::{descend, optimizer};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};

struct Settings {
    seed: u64,
    epochs: usize,
    batch: usize,
    learning_rate: f64,
    shift: i32,
    out: std::path::PathBuf,
}

fn settings() -> Result<Settings, String> {
    let mut s = Settings { seed: 1, epochs: 60, batch: 128, learning_rate: 1e-3, shift: 1, out: assets::teacher() };
    for (name, value) in args::pairs(std::env::args().skip(1))? {
        match name.as_str() {
            "scenario" if value == "digits" => {}
            "seed" => s.seed = args::parse(&name, &value)?,
            "epochs" => s.epochs = args::parse(&name, &value)?,
            "batch" => s.batch = args::parse::<usize>(&name, &value)?.max(1),
            "lr" => s.learning_rate = args::parse(&name, &value)?,
            "shift" => s.shift = args::parse::<i32>(&name, &value)?.clamp(0, 4),
            "out" => s.out = value.into(),
            _ => return Err(format!("unknown flag --{name}; flags: --seed --epochs --batch --lr --shift --out")),
        }
    }
    Ok(s)
}

/// The image moved by (dx, dy) pixels, with blank paper shifted in.
fn shifted(image: &[f32], side: usize, dx: i32, dy: i32, out: &mut Vec<f32>) {
    for y in 0..side as i32 {
        for x in 0..side as i32 {
            let (sx, sy) = (x - dx, y - dy);
            let inside = (0..side as i32).contains(&sx) && (0..side as i32).contains(&sy);
            out.push(if inside { image[sy as usize * side + sx as usize] } else { 0.0 });
        }
    }
}

fn accuracy(model: &distill_core::Mlp, points: &Points, device: &Device) -> f32 {
    let inputs = Tensor::<2>::from_data(TensorData::new(points.features.clone(), [points.len(), points.dims]), device);
    let logits = model.valid().forward(inputs).into_data().convert::<f32>().try_to_vec::<f32>().unwrap();
    agreement(&predictions(&logits, points.classes, None), &points.labels)
}

fn run(s: Settings) -> Result<(), String> {
    let bytes = assets::read(&assets::digits())?;
    let split = Digits::decode(&bytes).map_err(|e| e.to_string())?.split();
    let spec = digits::teacher_spec();
    let device = Device::flex().autodiff();
    let mut rng = StdRng::seed_from_u64(s.seed);
    let mut teacher = spec.init(s.seed, &device);
    let mut adam = optimizer(OptimizerKind::Adam);
    let side = 28;
    let train = &split.train;
    let mut order: Vec<usize> = (0..train.len()).collect();
    let started = Instant::now();
    println!(
        "teacher {} ({} parameters) on {} digits, {} epochs",
        spec.label(),
        spec.num_params(),
        train.len(),
        s.epochs
    );
    for epoch in 0..s.epochs {
        order.shuffle(&mut rng);
        // A smaller step over the last third: a calmer end, a steadier teacher.
        let rate = if epoch * 3 >= s.epochs * 2 { s.learning_rate * 0.3 } else { s.learning_rate };
        for rows in order.chunks(s.batch) {
            let mut features = Vec::with_capacity(rows.len() * train.dims);
            let mut one_hot = vec![0.0f32; rows.len() * train.classes];
            for (i, &row) in rows.iter().enumerate() {
                let (dx, dy) = (rng.random_range(-s.shift..=s.shift), rng.random_range(-s.shift..=s.shift));
                shifted(train.row(row), side, dx, dy, &mut features);
                one_hot[i * train.classes + train.labels[row]] = 1.0;
            }
            let inputs = Tensor::<2>::from_data(TensorData::new(features, [rows.len(), train.dims]), &device);
            let labels = Tensor::<2>::from_data(TensorData::new(one_hot, [rows.len(), train.classes]), &device);
            let loss = cross_entropy(teacher.forward(inputs), labels);
            descend(&mut teacher, &mut adam, loss, rate);
        }
        if epoch % 5 == 4 || epoch + 1 == s.epochs {
            println!(
                "epoch {:>3}  test accuracy {:.2}%  ({:.0} s)",
                epoch + 1,
                100.0 * accuracy(&teacher, &split.test, &device),
                started.elapsed().as_secs_f32()
            );
        }
    }
    let bytes = teacher.to_bytes(distill_core::Precision::Half)?;
    // What is judged is what ships: the half-precision weights, read back.
    let shipped = distill_core::Mlp::from_bytes(&spec, &bytes, &Device::flex())?;
    let test_accuracy = accuracy(&shipped, &split.test, &Device::flex());
    if let Some(dir) = s.out.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(&s.out, &bytes).map_err(|e| format!("{}: {e}", s.out.display()))?;
    println!(
        "wrote {} ({} bytes); as shipped (half precision): {:.2}% on the {} test digits, {} errors",
        s.out.display(),
        bytes.len(),
        100.0 * test_accuracy,
        split.test.len(),
        ((1.0 - test_accuracy) * split.test.len() as f32).round()
    );
    Ok(())
}

pub fn main() -> ExitCode {
    let pairs = match args::pairs(std::env::args().skip(1)) {
        Ok(pairs) => pairs,
        Err(why) => return args::finish("train-teacher", Err(why)),
    };
    if pairs.iter().any(|(name, value)| name == "scenario" && value == "text") {
        return args::finish("train-teacher", crate::train_text_teacher::main(pairs));
    }
    args::finish("train-teacher", settings().and_then(run))
}
