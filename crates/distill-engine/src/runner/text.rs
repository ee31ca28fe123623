//! The text lab in the worker: loads its files once, trains its run in chunks, measures the
//! students on the held-out text now and then, and writes the three continuations the page asks
//! for. The run itself is `distill_core::text_lab::run`, the same as the shell's.
//!
//! It trains on the CPU engine: the API writes character by character and reads each one back,
//! and those reads are synchronous in the core, which WebGPU in a browser does not allow.

use std::rc::Rc;

use distill_core::RunError;
use distill_core::burn::module::Module;
use distill_core::burn::prelude::Device;
use distill_core::protocol::{BackendKind, BackendReport, FromEngine, Status, TextProgress, WriteRequest, Written};
use distill_core::run_spec::{BackendChoice, RunSpec};
use distill_core::text_lab::assets::TextAssets;
use distill_core::text_lab::language_model::TEACHER;
use distill_core::text_lab::run::TextRun;
use distill_core::text_lab::student::STUDENT;
use distill_core::trio::{Role, Trio};

use super::{Engine, wasm_memory_bytes, with_reload_hint};
use crate::assets::load_text;
use crate::clock::now_ms;
use crate::messages::post;
use crate::schedule::{ChunkSizer, MapThrottle, RateMeter};

/// The text lab's run in the worker, with its clocks.
pub struct TextRunner {
    pub run: TextRun,
    pub chunk: ChunkSizer,
    /// When the students are measured on the held-out text again (at most a fifth of the time).
    measures: MapThrottle,
    rate: RateMeter,
}

/// Why the text lab is on the CPU, shown beside the backend.
const CPU_REASON: &str = "the text lab trains on the CPU engine: its API writes one character at a time and reads \
                          each back, which WebGPU in a browser cannot do synchronously";

impl Engine {
    /// A fresh text-lab run of `spec`, on the CPU.
    pub(super) async fn reset_text(&mut self, spec: RunSpec) {
        self.placement.keep();
        let report =
            BackendReport { kind: BackendKind::Cpu, adapter: None, software: false, reason: CPU_REASON.into() };
        if spec.backend == BackendChoice::WebGpu && !std::mem::replace(&mut self.told_text_on_cpu, true) {
            post(&FromEngine::Notice(format!("backend=webgpu cannot be honoured here: {CPU_REASON}.")));
        }
        if self.backend.as_ref() != Some(&report) {
            post(&FromEngine::Backend(report.clone()));
            self.backend = Some(report);
        }
        let device = Device::flex();
        let assets = match self.text_assets(&device).await {
            Ok(assets) => assets,
            Err(error) => return self.fail(error),
        };
        let mut run = match TextRun::build(&spec, &assets, &device) {
            Ok(run) => run,
            Err(error) => return self.fail(error),
        };
        let view = run.view();
        post(&FromEngine::Ready {
            teacher_params: assets.teacher.num_params(),
            student_params: run.session.students().0.num_params(),
            teacher_label: TEACHER.label(),
            student_label: STUDENT.label(),
            points: None,
            digits: None,
            text: Some(view),
        });
        run.measure();
        let mut runner = TextRunner {
            run,
            chunk: ChunkSizer::default(),
            measures: MapThrottle::default(),
            rate: RateMeter::default(),
        };
        runner.rate.restart(now_ms());
        self.text = Some(runner);
        self.status = Some(Status::Idle);
        post(&FromEngine::Status(Status::Idle));
        self.report_text(0.0);
    }

    /// The corpus and teacher, fetched and checked once, then kept.
    async fn text_assets(&mut self, device: &Device) -> Result<Rc<TextAssets>, RunError> {
        if let Some(assets) = &self.text_assets {
            return Ok(assets.clone());
        }
        let progress = |received, total| post(&FromEngine::Loading { received, total });
        let assets = load_text(progress, device).await.map_err(with_reload_hint)?;
        let assets = Rc::new(assets);
        self.text_assets = Some(assets.clone());
        Ok(assets)
    }

    /// Trains up to `steps` steps, then reports; the students are measured when due.
    pub(super) async fn train_text(&mut self, steps: usize) {
        let Some(runner) = self.text.as_mut() else { return };
        let started = now_ms();
        let taken = runner.run.train(steps);
        let finished = runner.run.finished();
        if finished || runner.measures.due(now_ms(), distill_core::Phase::Distill) {
            let measuring = now_ms();
            runner.run.measure();
            runner.measures.drawn(measuring, now_ms());
        }
        let rate = runner.rate.rate(started, taken, now_ms());
        if !self.report_text(rate) {
            return;
        }
        let Some(runner) = self.text.as_mut() else { return };
        if finished {
            self.set_status(Status::Done);
            return;
        }
        runner.chunk.record(steps, now_ms() - started);
    }

    /// Posts the figures; a run whose figures are not numbers has diverged and stops.
    fn report_text(&mut self, steps_per_second: f32) -> bool {
        let Some(runner) = self.text.as_mut() else { return false };
        let figures = runner.run.figures();
        let held_out = [figures.held_out.student, figures.held_out.baseline];
        if !held_out.iter().chain(figures.soft.iter()).all(|v| v.is_finite()) {
            let lr = runner.run.session.config().learning_rate;
            self.fail(RunError::Diverged(format!(
                "The students' loss is no longer a number at step {}: with lr = {lr} the steps are too large; lower it.",
                figures.step
            )));
            return false;
        }
        let status = self.status();
        post(&FromEngine::TextProgress(TextProgress {
            figures,
            steps_per_second,
            engine_memory: wasm_memory_bytes(),
            status,
        }));
        true
    }

    /// The three models continue the page's prompt; each one's time per character is measured.
    pub(super) fn write_text(&mut self, request: WriteRequest) {
        let Some(runner) = self.text.as_ref() else { return };
        let run = &runner.run;
        let mut texts = Trio::<String>::default();
        let mut next = Trio::<Vec<f32>>::default();
        let mut ms_per_char = Trio::<f64>::default();
        for role in Role::ALL {
            let written = run.write(role, &request.prompt, request.chars, request.temperature, request.draw, now_ms);
            ms_per_char[role] = written.ms_per_char;
            texts[role] = written.text;
            next[role] = written.next;
        }
        let step = run.session.steps();
        let prompt = request.prompt;
        post(&FromEngine::Written(Written { draw: request.draw, prompt, step, texts, next, ms_per_char }));
    }
}
