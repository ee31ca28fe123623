//! A text-lab run natively: the two students, the API's budget, and what the distilled student
//! may read of the human text.

use distill_core::Answers;
use distill_core::burn::optim::{AdamConfig, GradientsParams};
use distill_core::burn::prelude::*;
use distill_core::data::text::VOCABULARY;
use distill_core::data::text::{Corpus, encode};
use distill_core::params::Params;
use distill_core::text_lab::assets::TextAssets;
use distill_core::text_lab::language_model::{CharTransformer, TransformerSpec};
use distill_core::text_lab::prompt::Prompt;
use distill_core::text_lab::run::TextRun;
use distill_core::text_lab::session::{TextConfig, TextSession};
use distill_core::text_lab::writer::Writer;
use distill_core::text_lab::{HumanText, NextCharacter, PROMPT_CHARS};
use distill_core::trio::Role;
use futures_lite::future::block_on;

/// A small teacher, trained for a moment on the training works: enough to have opinions.
const TINY: TransformerSpec = TransformerSpec { context: 16, width: 16, layers: 1, heads: 2 };

fn teacher(device: &Device) -> CharTransformer {
    let autodiff = device.clone().autodiff();
    let mut model = TINY.init(2, &autodiff);
    let mut adam = AdamConfig::new().init();
    let text: Vec<i64> = corpus().training.iter().flat_map(|w| w.ids.iter().map(|&id| id as i64)).collect();
    for step in 0..150 {
        let windows: Vec<i64> =
            (0..16).flat_map(|row| text[(step * 977 + row * 131) % (text.len() - 17)..][..17].to_vec()).collect();
        let loss = model.loss(Tensor::from_data(TensorData::new(windows, [16, 17]), &autodiff));
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        model = adam.step(1e-2, model, grads);
    }
    model.valid()
}

fn corpus() -> Corpus {
    let work = |name: &str| {
        let lines: String = (0..300).map(|i| format!("{name} speaks, and says line {i} of many.\n")).collect();
        format!("{}\n{lines}", name.to_uppercase())
    };
    Corpus::parse(&["alpha", "beta", "gamma", "held one", "held two"].map(work).join("\u{c}")).unwrap()
}

fn config(answers: Answers) -> TextConfig {
    TextConfig { seed: 4, api_chars: 2_000, answers, temperature: 2.0, alpha: 0.9, batch: 16, learning_rate: 3e-3 }
}

fn session(answers: Answers, human: HumanText) -> TextSession {
    let device = Device::flex();
    TextSession::new(config(answers), human, teacher(&device), &device)
}

fn logits(session: &TextSession, probes: &[Vec<u8>]) -> (Vec<f32>, Vec<f32>) {
    block_on(session.student_logits(probes)).unwrap()
}

fn probes() -> Vec<Vec<u8>> {
    ["alpha speaks, a", "line 12 of", "\n"].iter().map(|p| encode(p).ids).collect()
}

#[test]
fn the_distilled_student_reads_no_human_text_beyond_the_prompts() {
    let human = HumanText::draw(&corpus(), 4_000, 1);
    // The same openings, other text after them.
    let mut other = human.clone();
    for passage in &mut other.passages {
        for id in passage.iter_mut().skip(PROMPT_CHARS) {
            *id = encode("z").ids[0];
        }
    }
    let (mut a, mut b) = (session(Answers::Top(5), human), session(Answers::Top(5), other));
    for _ in 0..30 {
        block_on(a.step()).unwrap();
        block_on(b.step()).unwrap();
    }
    let (distilled_a, baseline_a) = logits(&a, &probes());
    let (distilled_b, baseline_b) = logits(&b, &probes());
    assert_eq!(distilled_a, distilled_b, "the distilled student read human text it never bought");
    assert_ne!(baseline_a, baseline_b, "the baseline does read the human text");
}

#[test]
fn a_seed_repeats_a_run_and_the_budget_is_never_exceeded() {
    let human = HumanText::draw(&corpus(), 4_000, 1);
    let run = || {
        let mut run = session(Answers::Full, human.clone());
        for _ in 0..40 {
            block_on(run.step()).unwrap();
        }
        run
    };
    let (a, b) = (run(), run());
    assert_eq!(logits(&a, &probes()), logits(&b, &probes()));
    assert_eq!(a.api().chars_sold(), 2_000, "purchases of 4 then 16 × 64 characters, the third cut at the budget");
    assert!(a.api().exhausted());
}

/// Cross-entropy of the distilled student's next-character distribution against the teacher's,
/// over `probes`: lower is a closer imitation.
fn imitation(run: &TextSession, probes: &[Vec<u8>]) -> f32 {
    let device = Device::flex();
    let teacher = teacher(&device);
    let truth = block_on(Writer::new(&teacher, &device).log_probs(probes)).unwrap();
    let (distilled, _) = logits(run, probes);
    let mut total = 0.0;
    for (row, truth) in distilled.chunks(VOCABULARY).zip(&truth) {
        let top = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let norm = row.iter().map(|v| (v - top).exp()).sum::<f32>().ln() + top;
        total -= truth.iter().zip(row).map(|(t, s)| t.exp() * (s - norm)).sum::<f32>();
    }
    total / probes.len() as f32
}

#[test]
fn every_kind_of_answer_brings_the_distilled_student_closer_to_the_teacher_and_the_baseline_learns_the_text() {
    let corpus = corpus();
    let probes: Vec<Vec<u8>> = ["ALPHA\nalpha", "beta speaks, and", "line 3"].iter().map(|p| encode(p).ids).collect();
    for answers in [Answers::Label, Answers::Top(5), Answers::Full] {
        let mut run = session(answers, HumanText::draw(&corpus, 4_000, 1));
        let held_out = |run: &TextSession| block_on(run.held_out_losses(&corpus.held_out, 2_000)).unwrap();
        let (imitation_before, (_, baseline_before)) = (imitation(&run, &probes), held_out(&run));
        for _ in 0..60 {
            block_on(run.step()).unwrap();
        }
        let (imitation_after, (_, baseline)) = (imitation(&run, &probes), held_out(&run));
        // The measure a software WebGPU adapter's run takes on a CPU copy is the same measure.
        let on_cpu = block_on(run.held_out_losses_on_cpu(&corpus.held_out, 2_000)).unwrap();
        assert_eq!(on_cpu, held_out(&run), "{answers:?}");
        assert!(imitation_after < imitation_before - 0.05, "{answers:?}: {imitation_before} → {imitation_after}");
        assert!(baseline < baseline_before - 0.5, "{answers:?}: baseline {baseline_before} → {baseline}");
    }
}

#[test]
fn the_page_and_the_shell_build_one_run_from_the_text_labs_settings() {
    let (params, notices) = Params::from_query("scenario=text&text_size=4000&api_chars=2000&max_steps=30&seed=4");
    assert!(notices.is_empty(), "{notices:?}");
    let device = Device::flex();
    let assets = TextAssets { corpus: corpus(), teacher: teacher(&device), teacher_loss: 2.5, teacher_bytes: 10 };
    let build = || TextRun::build(&params.run_spec(), &assets, &device).unwrap();
    let mut run = build();
    let view = run.view();
    assert_eq!((view.human_chars, view.api_budget, view.weights_bytes.teacher), (4_000, 2_000, 10));
    assert_eq!(block_on(run.train(50)).unwrap(), 30, "never past max_steps");
    assert!(run.finished());
    assert_eq!(block_on(run.train(5)).unwrap(), 0);
    let figures = block_on(run.figures()).unwrap();
    assert_eq!((figures.step, figures.held_out_step, figures.api_chars), (30, 30, 2_000));
    assert_eq!(figures.numbers, 2_000 * 5, "the text lab's API returns the top 5 log-probabilities by default");
    assert_eq!(figures.held_out.teacher, 2.5, "the teacher's figure is its load check's");
    assert!(figures.held_out.student.is_finite() && figures.held_out.baseline.is_finite());
    assert!(figures.soft.is_some_and(|soft| soft.is_finite() && soft >= 0.0), "{:?}", figures.soft);
    // The same settings give the same run, and the same writing for the same draw.
    let mut again = build();
    block_on(again.train(30)).unwrap();
    assert_eq!(block_on(again.figures()).unwrap(), figures);
    let prompt = Prompt::read("alpha speaks").ids;
    let clock = || 0.0;
    for role in Role::ALL {
        let write = |run: &TextRun, draw| block_on(run.write(role, &prompt, 20, 1.0, draw, clock)).unwrap();
        let written = write(&run, 0);
        assert_eq!(written.text.chars().count(), 20);
        assert_eq!(write(&again, 0), written);
        assert!((written.next.iter().sum::<f32>() - 1.0).abs() < 1e-3, "{role:?}");
        if role != Role::Teacher {
            let other = write(&run, 1);
            assert_ne!(other.text, written.text, "{role:?}: another draw, another text");
        }
    }
}

#[test]
fn a_spec_of_another_lab_builds_no_text_run() {
    let device = Device::flex();
    let assets = TextAssets { corpus: corpus(), teacher: teacher(&device), teacher_loss: 2.5, teacher_bytes: 10 };
    assert!(TextRun::build(&Params::default().run_spec(), &assets, &device).is_err());
}

#[test]
fn an_exported_distilled_student_loads_into_a_fresh_run_and_writes_as_it_did() {
    let device = Device::flex();
    let assets = TextAssets { corpus: corpus(), teacher: teacher(&device), teacher_loss: 2.5, teacher_bytes: 10 };
    let (params, _) = Params::from_query("scenario=text&text_size=4000&api_chars=2000&max_steps=40&seed=4");
    let build = || TextRun::build(&params.run_spec(), &assets, &device).unwrap();
    let mut trained = build();
    block_on(trained.train(20)).unwrap();
    let bytes = block_on(trained.session.student_weights()).unwrap();
    let saved = logits(&trained.session, &probes()).0;

    let mut fresh = build();
    assert_ne!(logits(&fresh.session, &probes()).0, saved, "a fresh student is not the trained one");
    let baseline = logits(&fresh.session, &probes()).1;
    let before = block_on(fresh.figures()).unwrap().held_out.student;
    fresh.load_student(&bytes).unwrap();
    let (student, unchanged) = logits(&fresh.session, &probes());
    assert_eq!(student, saved, "the very network that was saved");
    assert_eq!(unchanged, baseline, "the baseline is not the distilled student");
    let after = block_on(fresh.figures()).unwrap();
    assert_ne!(after.held_out.student, before, "the figures measure the loaded student");
    assert_eq!(after.held_out.student, block_on(trained.figures()).unwrap().held_out.student);
    assert_eq!(after.step, 0, "its run's step count stays");
    // It goes on training from there.
    block_on(fresh.train(5)).unwrap();
    let trained_on = logits(&fresh.session, &probes()).0;
    assert_ne!(trained_on, saved);

    for damaged in [&bytes[..bytes.len() / 2], b"not weights".as_slice()] {
        let error = fresh.load_student(damaged).unwrap_err().to_string();
        assert!(error.contains("weights file"), "{error}");
    }
    assert_eq!(logits(&fresh.session, &probes()).0, trained_on, "a failed load changes nothing");
}
