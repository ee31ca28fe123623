//! A text-lab run: the teacher behind its API; the distilled student, which learns only from the
//! answers it buys with the human passages' openings as prompts; and the baseline, which learns
//! next-character prediction from the human text itself. Both students start alike and draw their
//! batches from one seed.

use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::prelude::*;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use super::api::{Answer, Api};
use super::language_model::CharTransformer;
use super::passages::HumanText;
use super::sampling::rows;
use super::student::{CharMlp, STUDENT, window};
use super::writer::Writer;
use crate::answers::Answers;
use crate::data::text::{VOCABULARY, Work};
use crate::error::RunError;
use crate::loss::cross_entropy;
use crate::session::revealed::{Revealed as Targets, TopAnswers};
use crate::text_lab::api::Revealed;

/// Characters the teacher writes per answer.
pub const ANSWER_CHARS: usize = 64;

/// Prompts sent together in one purchase (one teacher call per character of the answers).
pub const PROMPTS_PER_PURCHASE: usize = 16;

/// Prompts in the first purchase: fewer, so that the first answers show soon after Play (the
/// teacher writes all of a purchase's answers before the step that follows it).
pub const PROMPTS_IN_FIRST_PURCHASE: usize = 4;

/// Keeps the students' batch stream apart from the other streams of the same seed.
const BATCH_STREAM: u64 = 0x0BA7_C4E5;

/// A run's settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextConfig {
    pub seed: u64,
    /// Characters bought from the API at most.
    pub api_chars: usize,
    pub answers: Answers,
    pub temperature: f32,
    pub alpha: f32,
    pub batch: usize,
    pub learning_rate: f64,
}

/// A student, its optimizer and its batch stream.
struct Learner {
    /// Always there but while the optimizer, which consumes it, updates it.
    model: Option<CharMlp>,
    optimizer: ModuleOptimizer,
    batches: StdRng,
}

impl Learner {
    fn new(config: &TextConfig, device: &Device) -> Self {
        Learner {
            model: Some(STUDENT.init(config.seed, device)),
            optimizer: AdamConfig::new().init(),
            batches: StdRng::seed_from_u64(config.seed ^ BATCH_STREAM),
        }
    }

    fn model(&self) -> &CharMlp {
        self.model.as_ref().expect("a model between steps")
    }

    fn descend(&mut self, loss: Tensor<1>, learning_rate: f64) {
        let Some(current) = self.model.take() else { return };
        let grads = GradientsParams::from_grads(loss.backward(), &current);
        self.model = Some(self.optimizer.step(learning_rate, current, grads));
    }
}

pub struct TextSession {
    config: TextConfig,
    /// The students' device, with and without gradients.
    device: Device,
    plain: Device,
    teacher: CharTransformer,
    /// The teacher's device: the API's machine, not necessarily the students'.
    teacher_device: Device,
    distilled: Learner,
    baseline: Learner,
    human: HumanText,
    api: Api,
    answers: Vec<Answer>,
    next_prompt: usize,
    steps: usize,
    /// The distilled student's soft term on its latest batch, read when reported.
    soft: Option<Tensor<1>>,
}

impl TextSession {
    /// A run whose students train on `device` from `config.seed`, the baseline reading `human`,
    /// the distilled student asking `teacher` (on whichever device it is) about `human`'s prompts.
    pub fn new(config: TextConfig, human: HumanText, teacher: CharTransformer, device: &Device) -> Self {
        let (plain, device) = (device.clone().without_autodiff(), device.clone().autodiff());
        let teacher_device = teacher.devices().into_iter().next().unwrap_or_else(|| plain.clone());
        TextSession {
            teacher_device,
            distilled: Learner::new(&config, &device),
            baseline: Learner::new(&config, &device),
            api: Api::new(config.answers, config.api_chars, ANSWER_CHARS, config.seed),
            config,
            device,
            plain,
            teacher,
            human,
            answers: Vec::new(),
            next_prompt: 0,
            steps: 0,
            soft: None,
        }
    }

    pub fn steps(&self) -> usize {
        self.steps
    }

    pub fn api(&self) -> &Api {
        &self.api
    }

    /// Buys the answers to the next prompts (the passages' openings, in turn) while the budget
    /// lasts; returns the characters bought.
    pub async fn buy(&mut self) -> Result<usize, RunError> {
        let prompts = self.human.prompts();
        if self.api.exhausted() || prompts.is_empty() {
            return Ok(0);
        }
        let count = if self.next_prompt == 0 { PROMPTS_IN_FIRST_PURCHASE } else { PROMPTS_PER_PURCHASE };
        let asked: Vec<&[u8]> = (0..count).map(|i| prompts[(self.next_prompt + i) % prompts.len()]).collect();
        self.next_prompt += asked.len();
        let answers = self.api.ask(&mut Writer::new(&self.teacher, &self.teacher_device), &asked).await?;
        let bought = answers.iter().map(|a| a.text.len()).sum();
        self.answers.extend(answers);
        Ok(bought)
    }

    /// One step of each student. While the budget lasts, the distilled student first buys the
    /// answers to the next prompts: the budget is spent over the first steps, the same steps
    /// wherever the run trains. The steps themselves read nothing back.
    pub async fn step(&mut self) -> Result<(), RunError> {
        self.buy().await?;
        self.step_baseline();
        self.step_distilled();
        self.steps += 1;
        Ok(())
    }

    fn step_baseline(&mut self) {
        let (batch, context) = (self.config.batch, STUDENT.context);
        let (mut windows, mut targets) = (Vec::with_capacity(batch * context), Vec::with_capacity(batch));
        let passages = &self.human.passages;
        if passages.is_empty() {
            return;
        }
        for _ in 0..batch {
            let passage = &passages[self.baseline.batches.random_range(0..passages.len())];
            let end = self.baseline.batches.random_range(1..passage.len().max(2)).min(passage.len() - 1);
            window(passage, end, context, &mut windows);
            targets.push(passage[end]);
        }
        let logits = self.baseline.model().forward(ids(windows, [batch, context], &self.device));
        let loss = cross_entropy(logits, one_hot(&targets, &self.device));
        self.baseline.descend(loss, self.config.learning_rate);
    }

    fn step_distilled(&mut self) {
        let (batch, context) = (self.config.batch, STUDENT.context);
        let written: usize = self.answers.iter().map(|a| a.text.len()).sum();
        if written == 0 {
            return;
        }
        let (mut windows, mut sampled, mut revealed) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..batch {
            let (answer, position) = locate(&self.answers, self.distilled.batches.random_range(0..written));
            let text = [answer.prompt.as_slice(), &answer.text].concat();
            window(&text, answer.prompt.len() + position, context, &mut windows);
            sampled.push(answer.text[position]);
            revealed.push(&answer.revealed[position]);
        }
        let logits = self.distilled.model().forward(ids(windows, [batch, context], &self.device));
        let labels = one_hot(&sampled, &self.device);
        let parts = match targets(&revealed, &self.device) {
            Some(targets) => targets.softened(self.config.temperature).loss(logits, Some(labels), self.config.alpha),
            None => Targets::Label(labels).softened(self.config.temperature).loss(logits, None, self.config.alpha),
        };
        // Answers of text alone have no soft term: the student learns their characters.
        self.soft = (self.config.answers != Answers::Label).then(|| parts.terms.soft());
        self.distilled.descend(parts.total, self.config.learning_rate);
    }

    /// The distilled student's soft term (T² · KL) on its latest batch, once it has one.
    pub async fn soft_term(&self) -> Result<Option<f32>, RunError> {
        let Some(soft) = self.soft.clone() else { return Ok(None) };
        let read = soft.into_scalar_async::<f32>().await;
        read.map(Some).map_err(|e| RunError::executing("reading the soft term", e))
    }

    pub fn config(&self) -> &TextConfig {
        &self.config
    }

    pub fn human(&self) -> &HumanText {
        &self.human
    }

    pub fn teacher(&self) -> &CharTransformer {
        &self.teacher
    }

    /// The distilled student and the baseline, without their gradients.
    pub fn students(&self) -> (CharMlp, CharMlp) {
        (self.distilled.model().valid(), self.baseline.model().valid())
    }

    /// Replaces the distilled student with `student` (on the students' device, with gradients):
    /// its optimizer starts afresh and its latest soft term is forgotten; the batch order and the
    /// step count go on.
    pub(super) fn replace_distilled(
        &mut self,
        student: impl FnOnce(&Device) -> Result<CharMlp, RunError>,
    ) -> Result<(), RunError> {
        self.distilled.model = Some(student(&self.device)?);
        self.distilled.optimizer = AdamConfig::new().init();
        self.soft = None;
        Ok(())
    }

    /// The students' device, without gradients.
    pub fn plain_device(&self) -> &Device {
        &self.plain
    }

    /// The teacher's device.
    pub fn teacher_device(&self) -> &Device {
        &self.teacher_device
    }

    /// Held-out loss, in nats per character, of the distilled student and the baseline over the
    /// first `limit` characters of each of `works`.
    pub async fn held_out_losses(&self, works: &[Work], limit: usize) -> Result<(f32, f32), RunError> {
        both_losses(self.students(), works, limit, &self.plain).await
    }

    /// The same losses measured on copies of the students on the CPU backend. On a software
    /// WebGPU adapter the students' own device takes seconds over these forwards, where the CPU
    /// backend takes a fraction of one.
    #[cfg(feature = "flex")]
    pub async fn held_out_losses_on_cpu(&self, works: &[Work], limit: usize) -> Result<(f32, f32), RunError> {
        let (distilled, baseline) = self.students();
        let on_cpu = (distilled.on_cpu().await?, baseline.on_cpu().await?);
        both_losses(on_cpu, works, limit, &Device::flex()).await
    }

    /// The distilled student's and the baseline's logits after each of `windows` (host values).
    pub async fn student_logits(&self, windows: &[Vec<u8>]) -> Result<(Vec<f32>, Vec<f32>), RunError> {
        let mut flat = Vec::new();
        for text in windows {
            window(text, text.len(), STUDENT.context, &mut flat);
        }
        let shape = [windows.len(), STUDENT.context];
        let (distilled, baseline) = self.students();
        let read = |model: CharMlp| rows(model.forward(ids(flat.clone(), shape, &self.plain)), "reading the students");
        let distilled = read(distilled).await?.concat();
        Ok((distilled, read(baseline).await?.concat()))
    }
}

/// The answer and position of the `index`-th character written in all `answers`.
fn locate(answers: &[Answer], mut index: usize) -> (&Answer, usize) {
    for answer in answers {
        if index < answer.text.len() {
            return (answer, index);
        }
        index -= answer.text.len();
    }
    unreachable!("an index within the characters written")
}

fn ids(values: Vec<i64>, shape: [usize; 2], device: &Device) -> Tensor<2, Int> {
    Tensor::from_data(TensorData::new(values, shape), device)
}

/// One-hot rows of characters, through the classifier labs' one-hot rows.
fn one_hot(ids: &[u8], device: &Device) -> Tensor<2> {
    let labels: Vec<usize> = ids.iter().map(|&id| id as usize).collect();
    crate::session::one_hot(&labels, VOCABULARY, device)
}

/// The tensors of what the answers revealed; `None` when they revealed the text alone (or were
/// of mixed kinds, which one API never sends).
fn targets(revealed: &[&Revealed], device: &Device) -> Option<Targets> {
    let rows = revealed.len();
    match revealed.first()? {
        Revealed::Label => None,
        Revealed::Full(_) => {
            let mut values = Vec::with_capacity(rows * VOCABULARY);
            for r in revealed {
                let Revealed::Full(all) = r else { return None };
                values.extend_from_slice(all);
            }
            Some(Targets::Full(Tensor::from_data(TensorData::new(values, [rows, VOCABULARY]), device)))
        }
        Revealed::Top(first) => {
            let k = first.len();
            let (mut known, mut unknown, mut coarse) = (
                vec![0.0f32; rows * k * VOCABULARY],
                vec![1.0f32; rows * VOCABULARY],
                Vec::with_capacity(rows * (k + 1)),
            );
            for (row, r) in revealed.iter().enumerate() {
                let Revealed::Top(top) = r else { return None };
                for (rank, &(id, log_prob)) in top.iter().enumerate() {
                    known[(row * k + rank) * VOCABULARY + id as usize] = 1.0;
                    unknown[row * VOCABULARY + id as usize] = 0.0;
                    coarse.push(log_prob);
                }
                // The rest's share is one minus the known ones' (never quite zero, for the log).
                let rest = 1.0 - top.iter().map(|&(_, l)| l.exp()).sum::<f32>();
                coarse.push(rest.max(1e-7).ln());
            }
            Some(Targets::Top(Box::new(TopAnswers {
                known: Tensor::from_data(TensorData::new(known, [rows, k, VOCABULARY]), device),
                unknown: Tensor::from_data(TensorData::new(unknown, [rows, VOCABULARY]), device),
                coarse: Tensor::from_data(TensorData::new(coarse, [rows, k + 1]), device),
            })))
        }
    }
}

/// [`student_loss`] of the distilled student and of the baseline, in that order, on `device`.
async fn both_losses(
    (distilled, baseline): (CharMlp, CharMlp),
    works: &[Work],
    limit: usize,
    device: &Device,
) -> Result<(f32, f32), RunError> {
    let distilled = student_loss(&distilled, works, limit, device).await?;
    Ok((distilled, student_loss(&baseline, works, limit, device).await?))
}

/// Mean cross-entropy of `model` predicting each of the first `limit` characters of each work
/// (after the first) from the characters before it.
pub async fn student_loss(model: &CharMlp, works: &[Work], limit: usize, device: &Device) -> Result<f32, RunError> {
    let (mut windows, mut targets) = (Vec::new(), Vec::new());
    for work in works {
        for end in 1..work.ids.len().min(limit) {
            window(&work.ids, end, STUDENT.context, &mut windows);
            targets.push(work.ids[end]);
        }
    }
    let (mut total, count) = (0.0f64, targets.len());
    for (chunk, labels) in windows.chunks(4096 * STUDENT.context).zip(targets.chunks(4096)) {
        let logits = model.forward(ids(chunk.to_vec(), [labels.len(), STUDENT.context], device));
        let loss = cross_entropy(logits, one_hot(labels, device)).into_scalar_async::<f32>().await;
        total += loss.map_err(|e| RunError::executing("measuring a student", e))? as f64 * labels.len() as f64;
    }
    // Nothing read is no figure, not a perfect one.
    Ok(if count == 0 { f32::NAN } else { (total / count as f64) as f32 })
}
