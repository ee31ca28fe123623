//! One way to build and measure a text-lab run: a [`RunSpec`] of the text lab and its checked
//! assets become a session; its figures are read the same way in the engine, the shell and the
//! tests, so the page and `distill --scenario text` print the same numbers for the same seed.

use burn::module::Module;
use burn::prelude::*;

use super::HumanText;
use super::api::NextCharacter;
use super::assets::{CHECK_CHARS, TextAssets, held_out_starts, teacher_loss};
use super::sampling::{StudentReader, continuation, next_probabilities};
use super::session::{TextConfig, TextSession};
use super::writer::Writer;
use crate::data::text::{Work, decode};
use crate::error::RunError;
use crate::protocol::{TextFigures, TextView};
use crate::run_spec::{RunSpec, ScenarioSpec, TextSpec};
use crate::trio::{Role, Trio};

/// Held-out characters read per held-out work for each held-out loss: the teacher's load check
/// reads the same ones, so its figure costs nothing more.
pub const EVAL_CHARS: usize = CHECK_CHARS;

/// Keeps the page's samples apart from the other streams of the same seed.
const WRITING_STREAM: u64 = 0x5A3B_1E00;

/// The session's settings from a spec and its text lab's part.
fn config(spec: &RunSpec, text: TextSpec) -> TextConfig {
    let session = &spec.session;
    TextConfig {
        seed: session.seed,
        api_chars: text.api_chars,
        answers: session.answers,
        temperature: session.temperature,
        alpha: session.alpha,
        batch: session.batch_size,
        learning_rate: session.learning_rate,
    }
}

/// What one model wrote for the page (see [`TextRun::write`]).
#[derive(Debug, Clone, PartialEq)]
pub struct WrittenBy {
    pub text: String,
    pub next: Vec<f32>,
    pub ms_per_char: f64,
}

/// A text-lab run: its session, the held-out text it is measured on, and its latest figures.
pub struct TextRun {
    pub session: TextSession,
    pub max_steps: usize,
    held_out: Vec<Work>,
    teacher_loss: f32,
    teacher_bytes: u64,
    /// The students' held-out losses and the step they were measured at.
    measured: Option<(usize, f32, f32)>,
    /// Measure copies of the students on the CPU backend (where their device is a software
    /// WebGPU adapter).
    pub measure_on_cpu: bool,
}

impl TextRun {
    /// A fresh run of `spec` (a text-lab spec) on `device`.
    pub fn build(spec: &RunSpec, assets: &TextAssets, device: &Device) -> Result<TextRun, RunError> {
        let ScenarioSpec::Text(text) = spec.scenario else {
            return Err(RunError::Engine("a text-lab run needs a text-lab spec".into()));
        };
        let config = config(spec, text);
        let human = HumanText::draw(&assets.corpus, text.text_size, config.seed);
        Ok(TextRun {
            session: TextSession::new(config, human, assets.teacher.clone(), device),
            max_steps: spec.max_steps,
            held_out: held_out_starts(&assets.corpus, EVAL_CHARS),
            teacher_loss: assets.teacher_loss,
            teacher_bytes: assets.teacher_bytes,
            measured: None,
            measure_on_cpu: false,
        })
    }

    /// The run measured on the first `chars` characters of each held-out work instead (the
    /// shell's `--eval-chars`); the teacher is measured again unless they are the page's.
    pub fn evaluated_on(mut self, assets: &TextAssets, chars: usize) -> Self {
        if chars != EVAL_CHARS {
            self.held_out = held_out_starts(&assets.corpus, chars);
            self.teacher_loss = teacher_loss(&assets.teacher, &self.held_out, self.session.teacher_device());
            self.measured = None;
        }
        self
    }

    /// The distilled student is still buying answers: each step then starts with a purchase
    /// (about a second on a CPU), so a chunk of training should hold one step.
    pub fn buying(&self) -> bool {
        !self.session.api().exhausted() && !self.finished()
    }

    pub fn finished(&self) -> bool {
        self.session.steps() >= self.max_steps
    }

    /// Trains up to `steps` steps, never past `max_steps`; returns how many it took.
    pub async fn train(&mut self, steps: usize) -> Result<usize, RunError> {
        let taken = steps.min(self.max_steps.saturating_sub(self.session.steps()));
        for _ in 0..taken {
            self.session.step().await?;
        }
        Ok(taken)
    }

    /// Replaces the distilled student with an exported one (see [`TextSession::load_student`]);
    /// the next figures measure it afresh.
    pub fn load_student(&mut self, bytes: &[u8]) -> Result<(), RunError> {
        self.session.load_student(bytes)?;
        self.measured = None;
        Ok(())
    }

    /// Measures both students on the held-out text (the slow part of a report).
    pub async fn measure(&mut self) -> Result<(), RunError> {
        self.measure_first(usize::MAX).await
    }

    /// Measures both students on the first `limit` characters of each held-out text only: the
    /// WebGPU self-check compares this quicker figure across devices.
    pub async fn measure_first(&mut self, limit: usize) -> Result<(), RunError> {
        let (distilled, baseline) = match self.measure_on_cpu {
            true => self.session.held_out_losses_on_cpu(&self.held_out, limit).await?,
            false => self.session.held_out_losses(&self.held_out, limit).await?,
        };
        self.measured = Some((self.session.steps(), distilled, baseline));
        Ok(())
    }

    /// The figures as they stand, with the latest held-out losses measured (`measure` first for
    /// fresh ones).
    pub async fn figures(&mut self) -> Result<TextFigures, RunError> {
        if self.measured.is_none() {
            self.measure().await?;
        }
        let (held_out_step, distilled, baseline) = self.measured.unwrap_or((0, f32::NAN, f32::NAN));
        let soft = self.session.soft_term().await?;
        let api = self.session.api();
        Ok(TextFigures {
            step: self.session.steps(),
            held_out: Trio::new(self.teacher_loss, distilled, baseline),
            held_out_step,
            soft,
            api_chars: api.chars_sold(),
            numbers: api.numbers_sent(),
        })
    }

    /// What the page shows of the run beside its figures.
    pub fn view(&self) -> TextView {
        let human = self.session.human();
        let student_bytes = self.session.students().0.num_params() as u64 * 4;
        TextView {
            human_chars: human.len(),
            passages: human.passages.len(),
            api_budget: self.session.config().api_chars,
            weights_bytes: Trio::new(self.teacher_bytes, student_bytes, student_bytes),
        }
    }

    /// `chars` characters that the model in `role` writes after `prompt` at `temperature`, the
    /// samples drawn from the run's seed and `draw`; with its probabilities for the next one, and
    /// the milliseconds per character of the writing alone, timed by `now_ms`.
    pub async fn write(
        &self,
        role: Role,
        prompt: &[u8],
        chars: usize,
        temperature: f32,
        draw: u32,
        now_ms: impl Fn() -> f64,
    ) -> Result<WrittenBy, RunError> {
        let seed = self.session.config().seed ^ WRITING_STREAM ^ ((draw as u64) << 32);
        let order = Order { prompt, chars, temperature: temperature.clamp(0.05, 10.0), seed };
        match role {
            Role::Teacher => {
                let device = self.session.teacher_device();
                let mut writer = Writer::new(self.session.teacher(), device);
                let next = next_probabilities(&mut writer, prompt).await?;
                timed(Writer::new(self.session.teacher(), device), next, order, now_ms).await
            }
            Role::Student | Role::Baseline => {
                let (distilled, baseline) = self.session.students();
                let model = if role == Role::Student { distilled } else { baseline };
                // Each character is a read of the model's answer: on a GPU every one would wait
                // for the device, so the students write from a copy of their weights on the CPU.
                let model = model.on_cpu().await?;
                let mut reader = StudentReader { model: &model, device: &model.devices()[0] };
                let next = next_probabilities(&mut reader, prompt).await?;
                timed(reader, next, order, now_ms).await
            }
        }
    }
}

/// What to write: `chars` characters after `prompt`, sampled at `temperature` from `seed`.
struct Order<'a> {
    prompt: &'a [u8],
    chars: usize,
    temperature: f32,
    seed: u64,
}

/// What `model` writes for `order`, with `next` and the time per character.
async fn timed(
    mut model: impl NextCharacter,
    next: Vec<f32>,
    order: Order<'_>,
    now_ms: impl Fn() -> f64,
) -> Result<WrittenBy, RunError> {
    let started = now_ms();
    let text = continuation(&mut model, order.prompt, order.chars, order.temperature, order.seed).await?;
    let ms_per_char = (now_ms() - started) / order.chars.max(1) as f64;
    Ok(WrittenBy { text: decode(&text), next, ms_per_char })
}
