//! The worker's loop: receives commands, trains the run in chunks, reads figures back once per
//! chunk, and yields between chunks so that pause and reset arrive promptly. The decisions live
//! in `run` and `schedule`; this is the shell of messages and the device, with `race` (the
//! measured choice of backend) and `recovery` (a lost GPU) beside it.

use std::rc::Rc;

use distill_core::RunError;
use distill_core::backlog::Backlog;
use distill_core::burn::prelude::*;
use distill_core::opening::DoneEarly;
use distill_core::protocol::{BackendKind, BackendReport, FromEngine, Progress, Status, ToEngine};
use distill_core::run_spec::{BackendChoice, RunSpec, ScenarioSpec};
use distill_core::scenario::{DigitsAssets, TEACHER_PATH};
use distill_core::text_lab::assets::TextAssets;
use distill_core::transport::{FromWorker, ToWorker};
use futures::StreamExt;
use futures::channel::mpsc::{UnboundedReceiver, unbounded};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::assets::load_digits;
use crate::backend::{self, Selection, Situation};
use crate::clock::{now_ms, rest_ms, yield_to_events};
use crate::hooks;
use crate::messages::{decode, post, post_to_host};
use crate::placement::Placement;
use crate::run::{Report, Run};

mod early;
mod gpu_check;
mod race;
mod recovery;
mod student;
mod text;
mod views;

/// Installs the message handler and starts the loop.
pub fn start() {
    let (sender, receiver) = unbounded::<ToWorker>();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let on_message =
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| match decode::<ToWorker>(event.data()) {
            Ok(command) => {
                let _ = sender.unbounded_send(command);
            }
            Err(e) => {
                post(&FromEngine::Error(RunError::Engine(format!("The engine received an unreadable command: {e}"))))
            }
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post_to_host(&FromWorker::Listening);
    wasm_bindgen_futures::spawn_local(async move {
        let (opening, placed) = early::opening().await;
        run(receiver, opening, placed).await
    });
}

#[derive(Default)]
struct Engine {
    wgpu: Option<(Device, BackendReport)>,
    backend: Option<BackendReport>,
    /// Kept once loaded and checked: the digits lab then needs no network.
    digits: Option<Rc<DigitsAssets>>,
    /// The text lab's files, likewise (its teacher on the CPU device).
    text_assets: Option<Rc<TextAssets>>,
    run: Option<Run>,
    /// The text lab's run, when the lab is the text lab (then `run` is empty).
    text: Option<text::TextRunner>,
    placement: Placement,
    /// `backend=auto`'s measured choice, once made: the winner and both rates.
    raced: Option<(BackendKind, String)>,
    /// The WebGPU self-checks made, by the settings checked (see `gpu_check`).
    gpu_checks: Vec<(RunSpec, crate::self_check::Verdict)>,
    status: Option<Status>,
    /// A new run's maps and inference time, sent once no command waits: a run played at once
    /// shows its first step before them.
    views_due: bool,
    /// The link's commands this engine carried out before the page listened (see `early`).
    done_early: DoneEarly,
    /// Where the link's run trains, chosen before its opening reset (which takes it).
    placed_early: Option<(Device, BackendReport)>,
}

/// Carries out `opening`, the link's commands when the engine starts them on its own (its run
/// placed by `placed`), then the page's commands as they come.
async fn run(
    mut commands: UnboundedReceiver<ToWorker>,
    opening: Vec<ToEngine>,
    placed: Option<(Device, BackendReport)>,
) {
    let mut engine = Engine { placed_early: placed, ..Engine::default() };
    for command in opening.iter().cloned() {
        engine.command(command).await;
    }
    // Never a later reset's choice.
    engine.placed_early = None;
    engine.done_early = DoneEarly::new(opening);
    let mut backlog = Backlog::default();
    loop {
        while let Ok(command) = commands.try_recv() {
            backlog.push(command);
        }
        let command = match backlog.pop() {
            Some(command) => Some(command),
            None if engine.status() == Status::Training => None,
            None if engine.views_due => {
                engine.send_views().await;
                continue;
            }
            None => match commands.next().await {
                Some(command) => Some(command),
                None => return,
            },
        };
        match command {
            Some(command) => engine.handle(command).await,
            None => {
                let steps = engine.chunk_steps();
                let started = now_ms();
                engine.train(steps).await;
                if engine.views_due {
                    engine.send_views().await;
                }
                let background = engine.run.as_ref().is_some_and(|run| run.spec.background)
                    || engine.text.as_ref().is_some_and(|text| text.background);
                match background {
                    true => rest_ms(now_ms() - started).await,
                    false => yield_to_events().await,
                }
            }
        }
    }
}

/// What the engine knows when it chooses where `spec` trains.
fn situation(spec: &RunSpec, placement: &Placement) -> Situation {
    Situation {
        preference: spec.backend,
        gpu_lost: placement.gpu_lost,
        race_software: spec.hooks.race,
        gpu_engine_failed: placement.gpu_engine_failed,
    }
}

/// A damaged or unusable shipped file may be a download cut short: the page says how to fetch it
/// again.
fn with_reload_hint(error: RunError) -> RunError {
    match error {
        RunError::Assets(why) => RunError::Assets(format!("{why} Reload the page to fetch it again.")),
        other => other,
    }
}

pub(super) fn wasm_memory_bytes() -> u64 {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    memory.buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length() as u64
}

impl Engine {
    fn status(&self) -> Status {
        self.status.unwrap_or(Status::Idle)
    }

    fn set_status(&mut self, status: Status) {
        if self.status != Some(status) {
            self.status = Some(status);
            post(&FromEngine::Status(status));
        }
    }

    /// Stops the run with `message` in the page; Reset or another lab starts afresh.
    fn fail(&mut self, error: RunError) {
        post(&FromEngine::Error(error));
        self.set_status(Status::Error);
    }

    fn trainable(&self) -> bool {
        (self.run.is_some() || self.text.is_some()) && !matches!(self.status(), Status::Done | Status::Error)
    }

    /// Steps in the next chunk of whichever run this is.
    fn chunk_steps(&self) -> usize {
        match (&self.run, &self.text) {
            (Some(run), _) => run.chunk.steps(),
            (None, Some(text)) if text.run.buying() => 1,
            (None, Some(text)) => text.chunk.steps(),
            (None, None) => 1,
        }
    }

    async fn handle(&mut self, message: ToWorker) {
        // The run's other commands are replayed to the engine that takes it.
        if !self.placement.hears(&message) {
            return;
        }
        if let ToWorker::Lab(command) = &message
            && self.done_early.already_done(command)
        {
            return;
        }
        match message {
            ToWorker::Lab(command) => self.command(command).await,
            ToWorker::StayOnCpu => self.placement.gpu_engine_failed = true,
            ToWorker::Resume(handover) => self.resume(handover).await,
        }
    }

    async fn command(&mut self, command: ToEngine) {
        match command {
            ToEngine::Reset { spec } => self.reset(spec).await,
            // A run that ended in an error (a diverged one, say) trains no more: Reset first.
            ToEngine::Play if self.trainable() => self.set_status(Status::Training),
            ToEngine::Pause if self.status() == Status::Training => self.set_status(Status::Paused),
            ToEngine::Step if self.trainable() => {
                self.set_status(Status::Paused);
                self.train(1).await;
            }
            ToEngine::Classify { drawing, pixels } => {
                let Some(run) = self.run.as_mut() else { return };
                let mut input: Vec<f32> = pixels.iter().map(|&p| p as f32 / 255.0).collect();
                // Not drawing 1: a drawing superseded while waiting is never classified.
                if std::mem::take(&mut run.bad_drawing_due) {
                    input.pop();
                }
                match run.session.classify(&input).await {
                    Ok(logits) => post(&FromEngine::Classified { drawing, logits }),
                    Err(error) if self.moved_off_lost_gpu(&error) => {}
                    Err(error) => post(&FromEngine::Notice(format!("The drawing could not be classified: {error}."))),
                }
            }
            ToEngine::Write(request) => self.write_text(request).await,
            ToEngine::ExportStudent => self.export_student().await,
            ToEngine::LoadStudent { weights } => self.load_student(weights).await,
            ToEngine::Benchmark => {
                let device = match (&self.backend, &self.wgpu) {
                    (Some(report), Some((device, _))) if report.kind == BackendKind::WebGpu => device.clone(),
                    _ => Device::flex(),
                };
                match hooks::w1(&device).await {
                    Ok(report) => post(&FromEngine::Benchmark(report)),
                    Err(why) => post(&FromEngine::Error(RunError::Device(format!("The W1 benchmark failed: {why}")))),
                }
            }
            _ => {}
        }
    }

    async fn reset(&mut self, spec: RunSpec) {
        self.run = None;
        self.text = None;
        self.views_due = false;
        if let ScenarioSpec::Text(_) = spec.scenario {
            return self.reset_text(spec).await;
        }
        let Some((device, report)) = self.place(&spec).await else { return };
        let digits = match spec.scenario {
            ScenarioSpec::Digits => match self.digits_assets(&device).await {
                Ok(assets) => Some(assets),
                Err(error) => return self.fail(error),
            },
            ScenarioSpec::Shapes(_) | ScenarioSpec::Text(_) => None,
        };
        let (device, report) = self.checked_choice(&spec, digits.as_deref(), device, report).await;
        let (device, report) = self.measured_choice(&spec, digits.as_deref(), device, report).await;
        self.announce(spec.backend, report);
        let (run, view) = match Run::start(spec, digits.as_deref(), &device) {
            Ok(started) => started,
            Err(error) => return self.fail(error),
        };
        let session = &run.session;
        post(&FromEngine::Ready {
            teacher_params: session.teacher_params(),
            student_params: session.student_params(),
            teacher_label: session.teacher_label(),
            student_label: session.student_label(),
            points: view.points,
            digits: view.digits,
            text: None,
        });
        self.run = Some(run);
        self.status = Some(Status::Idle);
        post(&FromEngine::Status(Status::Idle));
        self.views_due = self.report(None).await;
    }

    /// Where `spec`'s run trains: a device here, with its report; `None` when the page is to move
    /// the run to the WebGPU engine.
    async fn place(&mut self, spec: &RunSpec) -> Option<(Device, BackendReport)> {
        if let Some(placed) = self.placed_early.take() {
            self.placement.keep();
            return Some(placed);
        }
        match backend::select(situation(spec, &self.placement), &mut self.wgpu).await {
            Selection::Here(device, report) => {
                self.placement.keep();
                Some((device, report))
            }
            Selection::GpuEngine(report) => {
                self.placement.hand_over();
                // The page moves this run to the WebGPU engine; nothing trains here meanwhile.
                post(&FromEngine::Backend(report.clone()));
                self.backend = Some(report);
                post_to_host(&FromWorker::WebGpuEngineNeeded);
                None
            }
        }
    }

    /// Tells the page the run's backend when it changes, and why a WebGPU it asked for is not it.
    fn announce(&mut self, requested: BackendChoice, report: BackendReport) {
        if self.backend.as_ref() == Some(&report) {
            return;
        }
        if requested == BackendChoice::WebGpu && report.kind == BackendKind::Cpu {
            post(&FromEngine::Notice(format!("backend=webgpu cannot be honoured here: {}.", report.reason)));
        }
        post(&FromEngine::Backend(report.clone()));
        self.backend = Some(report);
    }

    /// The digits lab's files: fetched, decoded and their teacher checked once, then kept.
    async fn digits_assets(&mut self, device: &Device) -> Result<Rc<DigitsAssets>, RunError> {
        if let Some(assets) = &self.digits {
            return Ok(assets.clone());
        }
        let assets = load_digits(|received, total| post(&FromEngine::Loading { received, total })).await?;
        assets.check_teacher(TEACHER_PATH, device).await.map_err(with_reload_hint)?;
        let assets = Rc::new(assets);
        self.digits = Some(assets.clone());
        Ok(assets)
    }

    /// Trains up to `steps` steps, then reads the figures back once; the read-back waits for the
    /// device, so the chunk's time is real training time.
    async fn train(&mut self, steps: usize) {
        if self.text.is_some() {
            return self.train_text(steps).await;
        }
        if !self.gpu_usable() {
            return;
        }
        let on_gpu = self.on_gpu();
        let Some(run) = self.run.as_mut() else { return };
        let started = now_ms();
        let taken = run.train(steps);
        if on_gpu && run.lose_gpu_at.is_some_and(|at| run.steps_done() >= at) {
            run.lose_gpu_at = None;
            hooks::destroy_device();
            // The browser reports the loss asynchronously, as it would a real one; nothing may
            // touch the device until then.
            let asked = now_ms();
            while backend::device_lost().is_none() && now_ms() - asked < 5000.0 {
                yield_to_events().await;
            }
            if !self.gpu_usable() {
                return;
            }
        }
        if !self.report(Some((started, taken))).await {
            return;
        }
        let on_gpu = self.on_gpu();
        let Some(run) = self.run.as_mut() else { return };
        if on_gpu {
            run.keep_checkpoint(now_ms()).await;
        }
        if run.finished() {
            // The final figures and maps arrive before the `done` status.
            self.send_maps().await;
            self.set_status(Status::Done);
            return;
        }
        run.chunk.record(steps, now_ms() - started);
        if run.maps.due(now_ms(), run.session.phase()) {
            self.send_maps().await;
        }
    }

    /// Reads the figures back and posts them, with the rate of a chunk of `steps` that started at
    /// `started_ms`. A diverged run or a failed read stops training with a message: no NaN ever
    /// reaches the page.
    async fn report(&mut self, chunk: Option<(f64, usize)>) -> bool {
        let Some(run) = self.run.as_mut() else { return false };
        let result = run.report().await;
        let steps_per_second = match chunk {
            Some((started, steps)) => run.rate.rate(started, steps, now_ms()),
            None => {
                run.rate.restart(now_ms());
                0.0
            }
        };
        match result {
            Ok(Report::Figures(metrics)) => {
                let progress = Progress {
                    metrics: *metrics,
                    steps_per_second,
                    status: self.status(),
                    engine_memory: wasm_memory_bytes(),
                };
                post(&FromEngine::Progress(progress));
                true
            }
            Ok(Report::Diverged(message)) => {
                self.fail(RunError::Diverged(message));
                false
            }
            Err(error) if self.moved_off_lost_gpu(&error) => true,
            Err(error) => {
                self.fail(error.reworded(|why| {
                    format!("Reading results from the device failed: {why}. Press Reset to start again.")
                }));
                false
            }
        }
    }
}
