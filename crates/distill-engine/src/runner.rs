//! The worker's loop: receives commands, trains in chunks, reads metrics back asynchronously once
//! per chunk, and yields between chunks so that pause and reset arrive promptly.

use std::rc::Rc;

use distill_core::burn::prelude::*;
use distill_core::data::{Points, Split, digits};
use distill_core::params::Params;
use distill_core::protocol::{
    AddedPoint, BackendKind, BackendReport, DigitsView, FromEngine, Maps, PointsView, Progress, Status, ToEngine,
    W1Report,
};
use distill_core::{Checkpoint, Phase, Session};
use futures::StreamExt;
use futures::channel::mpsc::{UnboundedReceiver, unbounded};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::assets::{DigitsAssets, load_digits};
use crate::backend;
use crate::clock::{now_ms, yield_to_events};
use crate::messages::{decode, post};

/// Timed forward passes per model for the latency figures (their median counts).
const INFERENCE_REPEATS: usize = 5;
/// Grid cells per side of a decision map.
const MAP_RESOLUTION: usize = 100;
/// A chunk of steps should take about this long: long enough to keep read-backs rare, short
/// enough that pause feels immediate.
const CHUNK_TARGET_MS: f64 = 60.0;
const MAX_CHUNK_STEPS: usize = 2000;
/// Decision maps are redrawn at most this often while training, and never take more than a
/// fifth of the time: on a slow device they cost more than the training between them.
const MAP_INTERVAL_MS: f64 = 300.0;
const MAP_SHARE: f64 = 0.2;
/// A chunk that starts within this long of the previous rate continues it (see `last_rate_ms`);
/// after a pause or a single step, the rate starts afresh.
const CONTINUOUS_GAP_MS: f64 = 250.0;
/// On the GPU the session is copied to the host this often, to continue on the CPU from there if
/// the device is lost: at most this much training is redone.
const CHECKPOINT_INTERVAL_MS: f64 = 2000.0;
/// `debug=lose-gpu` destroys the WebGPU device once this many steps (teacher's and students')
/// are done.
const LOSE_GPU_AT_STEP: usize = 20;

/// Installs the message handler and starts the loop.
pub fn start() {
    let (sender, receiver) = unbounded::<ToEngine>();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let on_message =
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| match decode::<ToEngine>(event.data()) {
            Ok(command) => {
                let _ = sender.unbounded_send(command);
            }
            Err(e) => post(&FromEngine::Error(format!("The engine received an unreadable command: {e}"))),
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(&FromEngine::Listening);
    wasm_bindgen_futures::spawn_local(run(receiver));
}

struct Engine {
    wgpu: Option<(Device, BackendReport)>,
    backend: Option<BackendReport>,
    /// Kept once loaded: the digits lab then needs no network.
    digits: Option<Rc<DigitsAssets>>,
    session: Option<Session>,
    /// The data the session was built on, to rebuild it on another device.
    split: Option<Rc<Split>>,
    /// The session's latest host copy, while it runs on the GPU.
    checkpoint: Option<Checkpoint>,
    last_checkpoint_ms: f64,
    /// The GPU device was lost once; this worker stays on the CPU.
    gpu_lost: bool,
    /// The step count at which `debug=lose-gpu` destroys the device.
    lose_gpu_at: Option<usize>,
    /// The 2-D lab, which has decision maps; the digits lab has a gallery instead.
    plane: bool,
    max_steps: usize,
    status: Status,
    chunk_steps: usize,
    last_maps_ms: f64,
    /// When the latest rate was taken: while training runs on, the next chunk's rate starts
    /// there, so the time between chunks counts and the figure is the real throughput.
    last_rate_ms: f64,
    map_cost_ms: f64,
    last_phase: Phase,
}

async fn run(mut commands: UnboundedReceiver<ToEngine>) {
    let mut engine = Engine {
        wgpu: None,
        backend: None,
        digits: None,
        session: None,
        split: None,
        checkpoint: None,
        last_checkpoint_ms: 0.0,
        gpu_lost: false,
        lose_gpu_at: None,
        plane: true,
        max_steps: 0,
        status: Status::Idle,
        chunk_steps: 10,
        last_maps_ms: 0.0,
        last_rate_ms: f64::NEG_INFINITY,
        map_cost_ms: 0.0,
        last_phase: Phase::Teacher,
    };
    loop {
        let command = if engine.status == Status::Training {
            commands.try_recv().ok()
        } else {
            match commands.next().await {
                Some(command) => Some(command),
                None => return,
            }
        };
        match command {
            Some(command) => engine.handle(command).await,
            None => {
                engine.train(engine.chunk_steps).await;
                yield_to_events().await;
            }
        }
    }
}

fn wasm_memory_bytes() -> u64 {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    memory.buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length() as u64
}

fn points_view(split: &Split, labelled_rows: &[usize]) -> PointsView {
    let pairs = |points: &Points| points.features.chunks_exact(2).map(|p| [p[0], p[1]]).collect();
    let labels = |points: &Points| points.labels.iter().map(|&l| l as u8).collect();
    let mut labelled = vec![false; split.train.len()];
    labelled_rows.iter().for_each(|&row| labelled[row] = true);
    PointsView {
        classes: split.train.classes,
        train: pairs(&split.train),
        train_labels: labels(&split.train),
        labelled,
        test: pairs(&split.test),
        test_labels: labels(&split.test),
    }
}

/// A session on the 2-D data the settings describe, with the user's own points added.
fn shapes_session(params: &Params, added: &[AddedPoint], device: &Device) -> (Session, Rc<Split>, PointsView) {
    let mut split = params.shapes_split();
    let classes = split.train.classes;
    for point in added.iter().filter(|p| (p.class as usize) < classes && p.x.is_finite() && p.y.is_finite()) {
        split.train.push(&[point.x.clamp(-1.0, 1.0), point.y.clamp(-1.0, 1.0)], point.class as usize);
    }
    let session = Session::new(params.session_config(), &split, device);
    let view = points_view(&split, session.labelled_rows());
    (session, Rc::new(split), view)
}

impl Engine {
    fn set_status(&mut self, status: Status) {
        if self.status != status {
            self.status = status;
            post(&FromEngine::Status(status));
        }
    }

    async fn handle(&mut self, command: ToEngine) {
        match command {
            ToEngine::Reset { params, added } => self.reset(params, &added).await,
            // A session that ended in an error (a diverged run, say) trains no more: Reset first.
            ToEngine::Play if self.session.is_some() && !matches!(self.status, Status::Done | Status::Error) => {
                self.set_status(Status::Training)
            }
            ToEngine::Pause if self.status == Status::Training => self.set_status(Status::Paused),
            ToEngine::Step if self.session.is_some() && !matches!(self.status, Status::Done | Status::Error) => {
                self.set_status(Status::Paused);
                self.train(1).await;
            }
            ToEngine::Classify { pixels } => {
                let Some(session) = self.session.as_ref() else { return };
                let input: Vec<f32> = pixels.iter().map(|&p| p as f32 / 255.0).collect();
                match session.classify(&input).await {
                    Ok(logits) => post(&FromEngine::Classified { logits }),
                    Err(why) if self.continue_on_cpu(&why) => {}
                    Err(why) => post(&FromEngine::Notice(format!("The drawing could not be classified: {why}."))),
                }
            }
            ToEngine::Benchmark => {
                let device = match (&self.backend, &self.wgpu) {
                    (Some(report), Some((device, _))) if report.kind == BackendKind::WebGpu => device.clone(),
                    _ => Device::flex(),
                };
                let (warmup, steps) = (10, 100);
                let before = backend::dispatches();
                match distill_core::bench::w1(&device, now_ms, warmup, steps).await {
                    Ok(report) => {
                        let dispatches = (backend::dispatches() - before) as f64 / (warmup + steps) as f64;
                        post(&FromEngine::Benchmark(W1Report { dispatches_per_step: dispatches, ..report }))
                    }
                    Err(why) => post(&FromEngine::Error(format!("The W1 benchmark failed: {why}"))),
                }
            }
            _ => {}
        }
    }

    async fn reset(&mut self, params: Params, added: &[AddedPoint]) {
        let lose_gpu = params.choice("debug") == "lose-gpu";
        let (device, report) = backend::select(params.choice("backend"), &mut self.wgpu, self.gpu_lost).await;
        if self.backend.as_ref() != Some(&report) {
            if params.choice("backend") == "webgpu" && report.kind == BackendKind::Cpu {
                post(&FromEngine::Notice(format!("backend=webgpu cannot be honoured here: {}.", report.reason)));
            }
            post(&FromEngine::Backend(report.clone()));
            self.backend = Some(report);
        }
        let built = if params.choice("scenario") == "digits" {
            self.digits_session(&params, &device).await.map(|(session, split, view)| (session, split, None, Some(view)))
        } else {
            let (session, split, points) = shapes_session(&params, added, &device);
            Ok((session, split, Some(points), None))
        };
        let (session, split, points, digits) = match built {
            Ok(built) => built,
            Err(why) => {
                // The settings panel stays live: another lab or Reset starts afresh.
                self.session = None;
                post(&FromEngine::Error(why));
                self.set_status(Status::Error);
                return;
            }
        };
        self.plane = points.is_some();
        post(&FromEngine::Ready {
            teacher_params: session.teacher_params(),
            student_params: session.student_params(),
            teacher_label: session.teacher_label(),
            student_label: session.student_label(),
            points,
            digits,
        });
        self.max_steps = params.int("max_steps") as usize;
        self.session = Some(session);
        self.split = Some(split);
        self.checkpoint = None;
        self.last_checkpoint_ms = f64::NEG_INFINITY;
        self.lose_gpu_at = lose_gpu.then_some(LOSE_GPU_AT_STEP);
        self.chunk_steps = 10;
        self.last_phase = Phase::Teacher;
        self.status = Status::Idle;
        post(&FromEngine::Status(Status::Idle));
        if self.report(None).await {
            self.send_maps().await;
            self.send_inference_time().await;
        }
    }

    /// Times both models' forward passes on this backend, once per session: the resources card's
    /// latency figures.
    async fn send_inference_time(&mut self) {
        let Some(session) = self.session.as_ref() else { return };
        match session.inference_ms_per_input(now_ms, INFERENCE_REPEATS).await {
            Ok([teacher_ms, student_ms]) => post(&FromEngine::Inference { teacher_ms, student_ms }),
            Err(why) if self.continue_on_cpu(&why) => {}
            Err(why) => post(&FromEngine::Notice(format!("Inference could not be timed: {why}."))),
        }
    }

    /// A session on the shipped digits, its teacher checked, watching the gallery's digits.
    async fn digits_session(
        &mut self,
        params: &Params,
        device: &Device,
    ) -> Result<(Session, Rc<Split>, DigitsView), String> {
        let fresh = self.digits.is_none();
        let assets = match &self.digits {
            Some(assets) => assets.clone(),
            None => load_digits(|received, total| post(&FromEngine::Loading { received, total })).await?,
        };
        let teacher = digits::teacher_spec();
        let mut session =
            Session::with_teacher(params.session_config(), &assets.split, &teacher, &assets.teacher_weights, device)
                .map_err(|e| format!("The digits teacher could not be used: {e}."))?;
        session.watch(&assets.gallery_rows);
        if fresh {
            // The weights never change once loaded: checked once, they are kept.
            let first =
                session.evaluate().await.map_err(|e| format!("Reading results from the device failed: {e}."))?;
            digits::check_teacher_accuracy(first.acc_teacher)
                .map_err(|e| format!("The digits teacher is unusable: {e}. Reload the page to fetch it again."))?;
            self.digits = Some(assets.clone());
        }
        Ok((session, assets.split.clone(), assets.gallery.clone()))
    }

    /// Trains up to `steps` steps, then reads metrics back once; the read-back waits for the
    /// device, so the chunk's time is real training time.
    async fn train(&mut self, steps: usize) {
        if !self.gpu_usable() {
            return;
        }
        let Some(session) = self.session.as_mut() else { return };
        let started = now_ms();
        let mut taken = 0;
        while taken < steps && session.step_count() < self.max_steps {
            session.step();
            taken += 1;
        }
        let phase = session.phase();
        let mut finished = session.step_count() >= self.max_steps;
        let done_steps = session.teacher_step_count() + session.step_count();
        if self.lose_gpu_at.is_some_and(|at| done_steps >= at) && self.on_gpu() {
            self.lose_gpu_at = None;
            backend::destroy_device();
            // The browser reports the loss asynchronously, as it would a real one; nothing may
            // touch the device until then.
            let asked = now_ms();
            while backend::device_lost().is_none() && now_ms() - asked < 5000.0 {
                yield_to_events().await;
            }
            if !self.gpu_usable() {
                return;
            }
            // The session may have moved back to its last checkpoint.
            finished = self.session.as_ref().is_some_and(|s| s.step_count() >= self.max_steps);
        }
        let since = if started - self.last_rate_ms < CONTINUOUS_GAP_MS { self.last_rate_ms } else { started };
        if !self.report(Some((since, taken))).await {
            return;
        }
        self.keep_checkpoint().await;
        if finished {
            // The final figures and maps arrive before the `done` status.
            self.send_maps().await;
            self.set_status(Status::Done);
            return;
        }
        let elapsed = now_ms() - started;
        // Steer the chunk length towards the target time, read-back included.
        if steps < self.chunk_steps {
            // A single step from the Step button says nothing about chunk length.
        } else if elapsed < CHUNK_TARGET_MS / 2.0 {
            self.chunk_steps = (self.chunk_steps * 2).min(MAX_CHUNK_STEPS);
        } else if elapsed > CHUNK_TARGET_MS * 2.0 {
            self.chunk_steps = (self.chunk_steps / 2).max(1);
        }
        let map_interval = MAP_INTERVAL_MS.max(self.map_cost_ms / MAP_SHARE);
        if phase != self.last_phase || now_ms() - self.last_maps_ms > map_interval {
            self.last_phase = phase;
            self.send_maps().await;
        }
    }

    /// Reads the metrics back and posts them, with the rate of `(since_ms, steps)`: `steps` taken
    /// since `since_ms`. The read-back waits for the device, so that rate is real training speed.
    /// A diverged or failed read stops training with a message: no NaN ever reaches the page.
    async fn report(&mut self, chunk: Option<(f64, usize)>) -> bool {
        let Some(session) = self.session.as_ref() else { return false };
        let result = session.evaluate().await;
        let steps_per_second = chunk
            .map(|(started, steps)| steps as f32 / ((now_ms() - started).max(1e-3) / 1000.0) as f32)
            .unwrap_or(0.0);
        self.last_rate_ms = now_ms();
        match result {
            Ok(metrics) if !metrics.diverged() => {
                let engine_memory = wasm_memory_bytes();
                post(&FromEngine::Progress(Progress { metrics, steps_per_second, status: self.status, engine_memory }));
                true
            }
            Ok(metrics) => {
                let lr = session.config().learning_rate;
                let who = if metrics.phase == Phase::Teacher { "teacher" } else { "student" };
                post(&FromEngine::Error(format!(
                    "Training diverged at {who} step {}: a loss became NaN, infinite or huge. The \
                     learning rate (lr = {lr}) is probably too high for this optimizer; lower it and \
                     press Reset.",
                    if metrics.phase == Phase::Teacher { metrics.teacher_step } else { metrics.step },
                )));
                self.set_status(Status::Error);
                false
            }
            Err(why) if self.continue_on_cpu(&why) => true,
            Err(why) => {
                post(&FromEngine::Error(format!(
                    "Reading results from the device failed: {why}. Press Reset to start again."
                )));
                self.set_status(Status::Error);
                false
            }
        }
    }

    fn on_gpu(&self) -> bool {
        self.backend.as_ref().is_some_and(|b| b.kind == BackendKind::WebGpu)
    }

    /// False when training cannot go on: the GPU was lost and the session could not move to the
    /// CPU (then the page has the message). A session that moved is usable.
    fn gpu_usable(&mut self) -> bool {
        let Some(why) = backend::device_lost().filter(|_| self.on_gpu()) else { return true };
        if self.continue_on_cpu(&why) {
            return true;
        }
        self.gpu_lost = true;
        self.wgpu = None;
        self.session = None;
        post(&FromEngine::Error(format!(
            "The GPU stopped working ({why}) before any state could be saved from it. Press Reset to \
             start again on the CPU."
        )));
        self.set_status(Status::Error);
        false
    }

    /// On the GPU, copies the session to the host now and then, for [`Self::continue_on_cpu`].
    async fn keep_checkpoint(&mut self) {
        let Some(session) = self.session.as_ref().filter(|_| self.on_gpu()) else { return };
        if now_ms() - self.last_checkpoint_ms < CHECKPOINT_INTERVAL_MS {
            return;
        }
        if let Ok(checkpoint) = session.checkpoint().await {
            self.checkpoint = Some(checkpoint);
            self.last_checkpoint_ms = now_ms();
        }
    }

    /// After the GPU failed with `why`: rebuilds the session on the CPU from the last checkpoint
    /// and carries on, with a notice. The page keeps its curves: no `Ready` is sent.
    fn continue_on_cpu(&mut self, why: &str) -> bool {
        if !self.on_gpu() {
            return false;
        }
        let (Some(checkpoint), Some(split), Some(session)) = (&self.checkpoint, &self.split, &self.session) else {
            return false;
        };
        let Ok(resumed) = Session::resume(session.config().clone(), split, &Device::flex(), checkpoint) else {
            return false;
        };
        post(&FromEngine::Notice(format!(
            "The GPU stopped working ({why}). Training goes on on the CPU from the last state saved from the \
             GPU (teacher step {}, student step {}); the curves so far are kept.",
            checkpoint.teacher_step(),
            checkpoint.step()
        )));
        let report = BackendReport {
            kind: BackendKind::Cpu,
            adapter: None,
            software: false,
            reason: "the WebGPU device was lost; training continues on the CPU (reload the page to try the GPU again)"
                .into(),
        };
        post(&FromEngine::Backend(report.clone()));
        self.backend = Some(report);
        self.session = Some(resumed);
        self.wgpu = None;
        self.gpu_lost = true;
        self.checkpoint = None;
        true
    }

    async fn send_maps(&mut self) {
        let Some(session) = self.session.as_ref().filter(|_| self.plane) else { return };
        let started = now_ms();
        match session.decision_maps(MAP_RESOLUTION).await {
            Ok([teacher, student, baseline]) => {
                post(&FromEngine::Maps(Maps { teacher, student, baseline }));
                self.last_maps_ms = now_ms();
                self.map_cost_ms = self.last_maps_ms - started;
            }
            Err(why) if self.continue_on_cpu(&why) => {}
            Err(why) => post(&FromEngine::Error(format!("Drawing the decision maps failed: {why}"))),
        }
    }
}
