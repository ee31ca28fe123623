//! The text lab in the worker: loads its files once, trains its run in chunks, measures the
//! students on the held-out text now and then, and writes the three continuations the page asks
//! for. The run itself is `distill_core::text_lab::run`, the same as the shell's.
//!
//! The teacher, the API's model, always writes on the CPU; the students train on WebGPU when the
//! link asks for it (`backend=webgpu`), else on the CPU, and write on the CPU either way.

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
use crate::backend;
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
    /// One of a comparison's runs (see `RunSpec::background`).
    pub background: bool,
}

/// Why the students train on the CPU when the link does not ask for WebGPU.
fn cpu_reason(requested: BackendChoice) -> String {
    match requested {
        BackendChoice::Cpu => "the CPU was requested (backend=cpu)".into(),
        _ => "the text lab's students train on the CPU unless the link asks for backend=webgpu; its teacher, the \
              API's model, always writes on the CPU"
            .into(),
    }
}

impl Engine {
    /// A fresh text-lab run of `spec`: its students on WebGPU when the link asks for it.
    pub(super) async fn reset_text(&mut self, spec: RunSpec) {
        let (device, report) = if spec.backend == BackendChoice::WebGpu {
            let Some(placed) = self.place(&spec).await else { return };
            placed
        } else {
            self.placement.keep();
            let reason = cpu_reason(spec.backend);
            (Device::flex(), BackendReport { kind: BackendKind::Cpu, adapter: None, software: false, reason })
        };
        self.announce(spec.backend, report.clone());
        let assets = match self.text_assets().await {
            Ok(assets) => assets,
            Err(error) => return self.fail(error),
        };
        // Said again only if the self-check moved the students to the CPU.
        let (device, report) = self.checked_text_choice(&spec, &assets, device, report).await;
        let on_gpu = report.kind == BackendKind::WebGpu;
        let software_gpu = on_gpu && report.software;
        self.announce(spec.backend, report);
        let mut run = match TextRun::build(&spec, &assets, &device) {
            Ok(run) => run,
            Err(error) => return self.fail(error),
        };
        run.measure_on_cpu = software_gpu;
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
        if let Err(error) = run.measure().await {
            return self.fail_text(error);
        }
        let mut runner = TextRunner {
            run,
            chunk: ChunkSizer::starting(on_gpu),
            measures: MapThrottle::default(),
            rate: RateMeter::default(),
            background: spec.background,
        };
        runner.rate.restart(now_ms());
        self.text = Some(runner);
        self.status = Some(Status::Idle);
        post(&FromEngine::Status(Status::Idle));
        self.report_text(None).await;
    }

    /// The corpus and teacher (on the CPU), fetched and checked once, then kept.
    async fn text_assets(&mut self) -> Result<Rc<TextAssets>, RunError> {
        if let Some(assets) = &self.text_assets {
            return Ok(assets.clone());
        }
        let progress = |received, total| post(&FromEngine::Loading { received, total });
        let assets = load_text(progress, &Device::flex()).await.map_err(with_reload_hint)?;
        let assets = Rc::new(assets);
        self.text_assets = Some(assets.clone());
        Ok(assets)
    }

    /// A read of the students failed: the run ends with the error.
    pub(super) fn fail_text(&mut self, error: RunError) {
        match error.lost_device(backend::device_lost).filter(|_| self.on_gpu()) {
            Some(why) => self.lose_text_gpu(&why),
            None => self.fail(error),
        }
    }

    /// A text run has no checkpoint to move: it ends, and this engine stays on the CPU, so the
    /// next reset trains there.
    fn lose_text_gpu(&mut self, why: &str) {
        self.placement.lose_gpu();
        self.wgpu = None;
        self.text = None;
        self.fail(RunError::Device(format!(
            "The GPU stopped working ({why}). Press Reset to train the text lab's students on the CPU."
        )));
    }

    /// Trains up to `steps` steps, then reports; the students are measured when due.
    pub(super) async fn train_text(&mut self, steps: usize) {
        // A lost GPU ends a text run (it has no checkpoint to move): checked before the device is
        // touched again, as the other labs do.
        if !self.gpu_usable() {
            return;
        }
        let Some(runner) = self.text.as_mut() else { return };
        let started = now_ms();
        let taken = match runner.run.train(steps).await {
            Ok(taken) => taken,
            Err(error) => return self.fail_text(error),
        };
        let finished = runner.run.finished();
        if finished || runner.measures.due(now_ms(), distill_core::Phase::Distill) {
            let measuring = now_ms();
            if let Err(error) = runner.run.measure().await {
                return self.fail_text(error);
            }
            runner.measures.drawn(measuring, now_ms());
        }
        if !self.report_text(Some((started, taken))).await {
            return;
        }
        let Some(runner) = self.text.as_mut() else { return };
        if finished {
            self.set_status(Status::Done);
            return;
        }
        runner.chunk.record(steps, now_ms() - started);
    }

    /// Posts the figures, with the rate of the chunk (`started`, `taken` steps) once they are
    /// read: on WebGPU the steps are only queued until then. A run whose figures are not
    /// numbers has diverged and stops.
    pub(super) async fn report_text(&mut self, chunk: Option<(f64, usize)>) -> bool {
        let Some(runner) = self.text.as_mut() else { return false };
        let figures = match runner.run.figures().await {
            Ok(figures) => figures,
            Err(error) => {
                self.fail_text(error);
                return false;
            }
        };
        let steps_per_second = chunk.map_or(0.0, |(started, taken)| runner.rate.rate(started, taken, now_ms()));
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
    pub(super) async fn write_text(&mut self, request: WriteRequest) {
        if !self.gpu_usable() {
            return;
        }
        let Some(runner) = self.text.as_ref() else { return };
        let run = &runner.run;
        let mut texts = Trio::<String>::default();
        let mut next = Trio::<Vec<f32>>::default();
        let mut ms_per_char = Trio::<f64>::default();
        for role in Role::ALL {
            let written =
                run.write(role, &request.prompt, request.chars, request.temperature, request.draw, now_ms).await;
            match written {
                Ok(written) => {
                    ms_per_char[role] = written.ms_per_char;
                    texts[role] = written.text;
                    next[role] = written.next;
                }
                Err(error) if error.lost_device(backend::device_lost).is_some() => return self.fail_text(error),
                // The run itself is unharmed: it trains on.
                Err(error) => {
                    return post(&FromEngine::Notice(format!("The panels could not be written: {error}.")));
                }
            }
        }
        let step = run.session.steps();
        let (prompt, temperature) = (request.prompt, request.temperature);
        post(&FromEngine::Written(Written { draw: request.draw, prompt, step, temperature, texts, next, ms_per_char }));
    }
}
