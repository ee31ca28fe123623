//! Trains the text lab's teacher, a small character transformer, on the corpus's eight training
//! works, and writes its weights at half precision.
//!
//! `cargo run --release --bin train-teacher -- --scenario text` rebuilds
//! `www/models/text-teacher.bpk`. Flags: `--seed`, `--steps`, `--batch`, `--lr`, `--dropout`, `--out`.

use futures_lite::future::block_on;
use std::path::PathBuf;
use std::time::Instant;

use crate::{args, assets};
use distill_core::Answers;
use distill_core::burn::optim::grad_clipping::GradientClippingConfig;
use distill_core::burn::optim::{AdamConfig, GradientsParams};
use distill_core::burn::prelude::*;
use distill_core::data::text::{Corpus, TEXT_PATH, Work, decode, encode, sha256_hex};
use distill_core::model::Precision;
use distill_core::text_lab::Api;
use distill_core::text_lab::assets::{CHECK_CHARS, check_loss};
use distill_core::text_lab::language_model::{
    CharTransformer, TEACHER, TEXT_TEACHER_PATH, consecutive_windows, mean_loss,
};
use distill_core::text_lab::writer::Writer;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

struct Settings {
    seed: u64,
    steps: usize,
    batch: usize,
    learning_rate: f64,
    dropout: f64,
    out: PathBuf,
}

fn settings(pairs: Vec<(String, String)>) -> Result<Settings, String> {
    let out = assets::root().join("www").join(TEXT_TEACHER_PATH);
    // Without dropout this model overfits the eight works by 5,000 steps; with 0.1 it goes on
    // improving on the held-out works to 8,000 (see www/models/README.md).
    let mut s = Settings { seed: 1, steps: 8000, batch: 32, learning_rate: 1.5e-3, dropout: 0.1, out };
    for (name, value) in pairs {
        match name.as_str() {
            "scenario" => {}
            "seed" => s.seed = args::parse(&name, &value)?,
            "steps" => s.steps = args::parse::<usize>(&name, &value)?.max(1),
            "batch" => s.batch = args::parse::<usize>(&name, &value)?.max(1),
            "lr" => s.learning_rate = args::parse(&name, &value)?,
            "dropout" => s.dropout = args::parse::<f64>(&name, &value)?.clamp(0.0, 0.9),
            "out" => s.out = value.into(),
            _ => {
                return Err(format!(
                    "unknown flag --{name}; flags: --scenario text --seed --steps --batch --lr --dropout --out"
                ));
            }
        }
    }
    Ok(s)
}

/// Warm up over the first 100 steps, then fall along a half cosine to a tenth.
fn rate(s: &Settings, step: usize) -> f64 {
    let warm = 100.min(s.steps);
    if step < warm {
        return s.learning_rate * (step + 1) as f64 / warm as f64;
    }
    let progress = (step - warm) as f64 / (s.steps - warm).max(1) as f64;
    s.learning_rate * (0.1 + 0.45 * (1.0 + (std::f64::consts::PI * progress).cos()))
}

/// `batch` windows of `length + 1` characters at random places in `works` (each work as likely as
/// its length; a work's very last window is never drawn, as when the shipped teacher was trained).
fn batch(works: &[Work], batch: usize, length: usize, rng: &mut StdRng) -> Vec<i64> {
    let sizes: Vec<usize> = works.iter().map(|w| w.ids.len().saturating_sub(length + 1)).collect();
    let total: usize = sizes.iter().sum::<usize>().max(1);
    let mut ids = Vec::with_capacity(batch * (length + 1));
    for _ in 0..batch {
        let mut at = rng.random_range(0..total);
        let work = sizes
            .iter()
            .position(|&size| {
                at < size || {
                    at -= size;
                    false
                }
            })
            .unwrap_or(0);
        ids.extend(works[work].ids[at..at + length + 1].iter().map(|&id| id as i64));
    }
    ids
}

fn sample(teacher: &CharTransformer, prompt: &str, seed: u64, device: &Device) -> String {
    let mut api = Api::new(Answers::Label, 200, 200, seed);
    let answers = block_on(api.ask(&mut Writer::new(teacher, device), &[&encode(prompt).ids]));
    answers.ok().and_then(|a| a.first().map(|a| decode(&a.text))).unwrap_or_default()
}

fn run(s: Settings) -> Result<(), String> {
    let corpus =
        Corpus::shipped(&assets::read(&assets::root().join("www").join(TEXT_PATH))?).map_err(|e| e.to_string())?;
    let (device, plain) = (Device::flex().autodiff(), Device::flex());
    let length = TEACHER.context;
    // Dropout draws from the device's generator: seeded, so that a seed gives one teacher.
    device.seed(s.seed);
    let mut teacher = TEACHER.init_with_dropout(s.seed, s.dropout, &device);
    let mut adam = AdamConfig::new().with_grad_clipping(Some(GradientClippingConfig::Norm(1.0))).init();
    let mut rng = StdRng::seed_from_u64(s.seed);
    let held_out = consecutive_windows(&corpus.held_out, length);
    let probe = &held_out[..held_out.len().min(256 * (length + 1))];
    println!(
        "teacher {} ({} parameters), {} steps of {} windows, dropout {}",
        TEACHER.label(),
        teacher.num_params(),
        s.steps,
        s.batch,
        s.dropout
    );
    let started = Instant::now();
    let mut recent = 0.0f32;
    for step in 0..s.steps {
        let ids = batch(&corpus.training, s.batch, length, &mut rng);
        let loss = teacher.loss(Tensor::<2, Int>::from_data(TensorData::new(ids, [s.batch, length + 1]), &device));
        recent += loss.clone().into_scalar::<f32>();
        let grads = GradientsParams::from_grads(loss.backward(), &teacher);
        teacher = adam.step(rate(&s, step), teacher, grads);
        if (step + 1) % 250 == 0 || step + 1 == s.steps {
            let probe_loss = mean_loss(&teacher.valid(), probe, length, 64, &plain);
            println!(
                "step {:>5}  training loss {:.3}  held-out loss (first 256 windows) {probe_loss:.3}  ({:.0} s)",
                step + 1,
                recent / ((step % 250) + 1) as f32,
                started.elapsed().as_secs_f32()
            );
            recent = 0.0;
        }
    }
    let bytes = teacher.to_bytes(Precision::Half)?;
    // What is judged is what ships: the half-precision weights, read back.
    let shipped = CharTransformer::from_bytes(&TEACHER, &bytes, &plain).map_err(|e| e.to_string())?;
    let loss = mean_loss(&shipped, &held_out, length, 64, &plain);
    if let Some(dir) = s.out.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(&s.out, &bytes).map_err(|e| format!("{}: {e}", s.out.display()))?;
    println!(
        "wrote {} ({} bytes, SHA-256 {}); as shipped (half precision): held-out loss {loss:.4} nats per character \
         over {} characters of {}",
        s.out.display(),
        bytes.len(),
        sha256_hex(&bytes),
        held_out.len(),
        corpus.held_out.iter().map(|w| w.title.as_str()).collect::<Vec<_>>().join(" and ")
    );
    println!(
        "load check: held-out loss {:.4} over the first {CHECK_CHARS} characters of each held-out work",
        check_loss(&shipped, &corpus, &plain)
    );
    println!("sample (temperature 1, seed {}):\nROMEO.\n{}", s.seed, sample(&shipped, "ROMEO.\n", s.seed, &plain));
    Ok(())
}

/// `train-teacher --scenario text …`.
pub fn main(pairs: Vec<(String, String)>) -> Result<(), String> {
    settings(pairs).and_then(run)
}
