//! The page's side of the engines, as a state machine with no browser in it: which engine runs
//! the lab, start-up (commands wait until the engine listens; a hanging one is restarted once),
//! the move to the WebGPU engine, the move back to a CPU engine after a lost GPU, an engine that
//! fails to load, and a reset or commands that arrive during a move. The page's worker code
//! carries the [`Effect`]s out and feeds back what happened as [`Event`]s.

use crate::error::RunError;
use crate::protocol::{FromEngine, ToEngine};
use crate::transport::{FromWorker, ToWorker};

/// An engine (a Web Worker) the host started; which build it runs is part of its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EngineId {
    pub number: u32,
    pub kind: EngineKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EngineKind {
    /// The CPU engine: small, started at once, the one every run begins in.
    Cpu,
    /// The engine with Burn's WebGPU runtime: fetched only when a run will use the GPU.
    Gpu,
}

/// Timers the host asks for; each fires once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timer {
    /// The first engine has not said it listens: start it again, once.
    Restart,
    /// The first engine has still not said it listens: say so.
    StartupReport,
    /// The WebGPU engine has not taken the run over: the CPU engine keeps it.
    GpuGiveUp,
    /// The CPU engine taking the run back from a lost GPU has not started.
    Return,
}

impl Timer {
    pub fn ms(self) -> u32 {
        match self {
            // A browser short of memory for yet another WebAssembly instance (after many
            // reloads in one tab) can leave an engine hanging without an error.
            Timer::Restart => 8_000,
            Timer::StartupReport | Timer::Return => 20_000,
            Timer::GpuGiveUp => 30_000,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The page is up: start the first engine.
    Started,
    /// A command from the page.
    Command(ToEngine),
    /// A message from an engine.
    Message(EngineId, FromWorker),
    /// An engine's worker raised an error (its script failed to load, or it stopped), with the
    /// browser's detail when there is one.
    Failed(EngineId, Option<String>),
    /// An engine could not even be created.
    SpawnFailed(EngineId, String),
    Fired(Timer),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Spawn(EngineId),
    Post(EngineId, ToWorker),
    /// A message for the page.
    Deliver(FromEngine),
    /// Terminate this engine's worker, freeing its memory.
    End(EngineId),
    Arm(Timer),
}

#[derive(Debug, Default)]
pub struct Host {
    started: u32,
    /// The engine that runs the lab.
    active: Option<EngineId>,
    /// Commands wait here until the active engine listens; `None` once it does.
    waiting: Option<Vec<ToEngine>>,
    /// The WebGPU engine while it loads, before it takes over.
    incoming: Option<EngineId>,
    /// The WebGPU engine was asked for once; it is never fetched twice.
    asked_for_gpu: bool,
    /// A CPU engine loading to take the run back from a WebGPU engine that lost its GPU, and
    /// the commands that continue the run in it.
    returning: Option<(EngineId, Vec<ToWorker>)>,
    /// What the run was told since its last reset: replayed to an engine that takes it over.
    since_reset: Vec<ToEngine>,
    effects: Vec<Effect>,
}

impl Host {
    /// What to do after `event`, in order.
    pub fn on(&mut self, event: Event) -> Vec<Effect> {
        match event {
            Event::Started => self.start(),
            Event::Command(command) => self.command(command),
            Event::Message(from, message) => self.message(from, message),
            Event::Failed(engine, detail) => self.failed(engine, detail),
            Event::SpawnFailed(engine, why) => self.spawn_failed(engine, why),
            Event::Fired(timer) => self.fired(timer),
        }
        std::mem::take(&mut self.effects)
    }

    /// The engine that runs the lab now.
    pub fn active(&self) -> Option<EngineId> {
        self.active
    }

    fn spawn(&mut self, kind: EngineKind) -> EngineId {
        self.started += 1;
        let engine = EngineId { number: self.started, kind };
        self.effects.push(Effect::Spawn(engine));
        engine
    }

    fn post(&mut self, message: ToWorker) {
        if let Some(active) = self.active {
            self.effects.push(Effect::Post(active, message));
        }
    }

    fn deliver(&mut self, message: FromEngine) {
        self.effects.push(Effect::Deliver(message));
    }

    fn start(&mut self) {
        self.active = Some(self.spawn(EngineKind::Cpu));
        self.waiting = Some(Vec::new());
        self.effects.extend([Effect::Arm(Timer::Restart), Effect::Arm(Timer::StartupReport)]);
    }

    fn command(&mut self, command: ToEngine) {
        match command {
            ToEngine::Reset { .. } => self.since_reset = vec![command.clone()],
            // Questions, not changes: a run that moves engines need not hear them again.
            ToEngine::Classify { .. } | ToEngine::ExportStudent => {}
            _ => self.since_reset.push(command.clone()),
        }
        match self.waiting.as_mut() {
            Some(waiting) => waiting.push(command),
            None => self.post(ToWorker::Lab(command)),
        }
    }

    fn gpu_active(&self) -> bool {
        self.active.is_some_and(|engine| engine.kind == EngineKind::Gpu)
    }

    fn message(&mut self, from: EngineId, message: FromWorker) {
        match message {
            FromWorker::Listening if self.returning.as_ref().is_some_and(|(engine, _)| *engine == from) => {
                self.take_back(from)
            }
            FromWorker::Listening if self.incoming == Some(from) => self.take_over(from),
            FromWorker::Listening if self.active == Some(from) => self.flush(),
            FromWorker::MoveToCpuEngine(handover) if self.active == Some(from) && self.gpu_active() => {
                // A reset sent since the checkpoint was taken wins: the new run starts afresh on
                // the CPU instead (StayOnCpu keeps it from asking for the WebGPU engine again).
                let same_run = matches!(self.since_reset.first(),
                    Some(ToEngine::Reset { spec }) if *spec == handover.spec);
                let commands = match same_run {
                    true => vec![ToWorker::Resume(handover)],
                    false => std::iter::once(ToWorker::StayOnCpu).chain(self.lab(&self.since_reset)).collect(),
                };
                let engine = self.spawn(EngineKind::Cpu);
                self.returning = Some((engine, commands));
                self.waiting.get_or_insert_with(Vec::new);
                self.effects.push(Effect::Arm(Timer::Return));
            }
            FromWorker::WebGpuEngineNeeded if self.active == Some(from) && !self.asked_for_gpu => {
                self.asked_for_gpu = true;
                self.incoming = Some(self.spawn(EngineKind::Gpu));
                self.effects.push(Effect::Arm(Timer::GpuGiveUp));
            }
            // Only the active engine speaks to the page: one that is leaving or still loading
            // has nothing to say yet.
            FromWorker::Lab(message) if self.active == Some(from) => self.deliver(message),
            _ => {}
        }
    }

    /// Posts what waited for the active engine to listen.
    fn flush(&mut self) {
        for command in self.waiting.take().unwrap_or_default() {
            self.post(ToWorker::Lab(command));
        }
    }

    /// `commands` in their envelope.
    fn lab(&self, commands: &[ToEngine]) -> Vec<ToWorker> {
        commands.iter().cloned().map(ToWorker::Lab).collect()
    }

    /// The WebGPU engine listens: it takes the run over from its last reset, and the CPU engine ends.
    fn take_over(&mut self, gpu: EngineId) {
        self.incoming = None;
        self.effects.extend(self.active.map(Effect::End));
        self.active = Some(gpu);
        for command in self.lab(&self.since_reset) {
            self.post(command);
        }
    }

    /// The CPU engine listens after the GPU was lost: it continues the run, and the WebGPU engine ends.
    fn take_back(&mut self, cpu: EngineId) {
        let Some((_, commands)) = self.returning.take() else { return };
        self.effects.extend(self.active.map(Effect::End));
        self.active = Some(cpu);
        for command in commands {
            self.post(command);
        }
        self.flush();
    }

    /// The WebGPU engine will not come: the CPU engine keeps the run, from its last reset.
    /// False when no WebGPU engine was loading.
    fn stay_on_cpu(&mut self) -> bool {
        let Some(incoming) = self.incoming.take() else { return false };
        self.effects.push(Effect::End(incoming));
        self.post(ToWorker::StayOnCpu);
        for command in self.lab(&self.since_reset) {
            self.post(command);
        }
        true
    }

    fn failed(&mut self, engine: EngineId, detail: Option<String>) {
        if self.incoming == Some(engine) {
            self.stay_on_cpu();
            return self
                .deliver(FromEngine::Notice("The WebGPU engine could not load; training stays on the CPU.".into()));
        }
        if self.returning.as_ref().is_some_and(|(returning, _)| *returning == engine) {
            self.effects.push(Effect::End(engine));
            return self.spawn_failed(engine, detail.unwrap_or_else(|| "its files could not be loaded".into()));
        }
        if self.active != Some(engine) {
            return;
        }
        let starting = self.waiting.is_some() && engine.kind == EngineKind::Cpu;
        self.deliver(FromEngine::Error(RunError::Engine(match (starting, detail.filter(|d| !d.is_empty())) {
            (false, Some(detail)) => format!("The training engine stopped: {detail}. Reload the page to try again."),
            (_, detail) => format!(
                "The training engine failed to load{}: its files may be missing, or the connection dropped. \
                 Reload the page to try again.",
                detail.map(|d| format!(" ({d})")).unwrap_or_default()
            ),
        })));
    }

    fn spawn_failed(&mut self, engine: EngineId, why: String) {
        if self.incoming == Some(engine) {
            self.stay_on_cpu();
            self.deliver(FromEngine::Notice(format!("{why}; training stays on the CPU.")));
        } else if self.returning.as_ref().is_some_and(|(returning, _)| *returning == engine) {
            self.returning = None;
            self.deliver(FromEngine::Error(RunError::Engine(format!(
                "The GPU was lost and the CPU engine could not take the run over ({why}). Reload the page."
            ))));
        } else if self.active == Some(engine) {
            self.deliver(FromEngine::Error(RunError::Engine(why)));
        }
    }

    fn fired(&mut self, timer: Timer) {
        match timer {
            // Only the first engine's start-up is watched; a run moving engines has its own timers.
            Timer::Restart if self.waiting.is_some() && self.returning.is_none() && !self.gpu_active() => {
                self.effects.extend(self.active.map(Effect::End));
                self.active = Some(self.spawn(EngineKind::Cpu));
            }
            Timer::StartupReport if self.waiting.is_some() && self.returning.is_none() => {
                self.deliver(FromEngine::Notice(format!(
                    "The training engine has not started after {} s: it may still be downloading on a slow \
                     connection. If nothing happens, reload the page.",
                    Timer::StartupReport.ms() / 1000
                )))
            }
            // Ends the loading engine, if there still is one, and says so.
            Timer::GpuGiveUp if self.stay_on_cpu() => self.deliver(FromEngine::Notice(format!(
                "The WebGPU engine did not start within {} s; training stays on the CPU.",
                Timer::GpuGiveUp.ms() / 1000
            ))),
            Timer::Return => {
                if let Some((engine, _)) = self.returning.take() {
                    self.effects.push(Effect::End(engine));
                    self.deliver(FromEngine::Error(RunError::Engine(
                        "The GPU was lost and the CPU engine did not start to take the run over. Reload the page."
                            .into(),
                    )));
                }
            }
            _ => {}
        }
    }
}
