//! The page's end of the engine: starts the CPU engine at once, moves the run to the WebGPU engine
//! when the CPU engine finds an adapter the run will use, and carries messages both ways.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Event, MessageEvent, Worker};
use yew::Callback;

use crate::messages;
use distill_core::protocol::{FromEngine, ToEngine};

/// Written next to the page by the build: the CPU engine, and the one with Burn's WebGPU runtime.
/// The build gives each a content hash and names them in the page's meta tags, so that a cached
/// engine of another version never meets this page; these names serve an unhashed build.
const CPU_ENGINE: (&str, &str) = ("distill-engine-cpu", "engine_loader.js");
const GPU_ENGINE: (&str, &str) = ("distill-engine-gpu", "engine-gpu_loader.js");

/// The script of the engine `(meta name, default)`.
fn engine_script((meta, default): (&str, &str)) -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(&format!("meta[name=\"{meta}\"]")).ok().flatten())
        .and_then(|m| m.get_attribute("content"))
        .filter(|content| !content.is_empty())
        .unwrap_or_else(|| default.to_string())
}
/// An engine that has not said it listens by then is started again, once: a browser short of
/// memory for yet another WebAssembly instance (after many reloads in one tab) can leave one
/// hanging without an error.
const RESTART_MS: i32 = 8_000;
/// An engine that has still not said it listens by then is reported.
const STARTUP_REPORT_MS: i32 = 20_000;
/// A WebGPU engine that has not taken the run over by then is given up: the CPU engine keeps it.
const GPU_ENGINE_GIVE_UP_MS: i32 = 30_000;

/// One engine's worker and the closures that keep its handlers alive.
struct Engine {
    worker: Worker,
    on_message: Closure<dyn FnMut(MessageEvent)>,
    on_error: Closure<dyn FnMut(Event)>,
}

impl Drop for Engine {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

#[derive(Default)]
struct Engines {
    /// The engine that runs the lab.
    active: Option<Engine>,
    /// Commands wait here until the active engine says it listens; `None` once it does.
    waiting: Option<Vec<ToEngine>>,
    /// The WebGPU engine while it loads, before it takes over.
    incoming: Option<Engine>,
    /// What the run was told since its last reset: replayed to the engine that takes it over.
    since_reset: Vec<ToEngine>,
    /// The WebGPU engine was asked for once; it is never fetched twice.
    moving: bool,
    /// The WebGPU engine took the run over.
    gpu_active: bool,
    /// Gives the WebGPU engine up if it never says it listens.
    give_up: Option<Closure<dyn FnMut()>>,
    /// A CPU engine loading to take the run back from a WebGPU engine that lost its GPU, and
    /// the commands that continue the run in it.
    returning: Option<(Engine, Vec<ToEngine>)>,
    /// Reports a CPU engine that never takes the run back.
    return_timeout: Option<Closure<dyn FnMut()>>,
}

pub struct EngineHandle {
    engines: Rc<RefCell<Engines>>,
    _on_restart: Closure<dyn FnMut()>,
    _on_startup_timeout: Closure<dyn FnMut()>,
}

/// What a message from an engine leads to, decided under the borrow and done after it: the
/// page's callback may send commands back at once.
enum Next {
    Deliver(Box<FromEngine>),
    LoadGpuEngine,
    /// Start a CPU engine and continue the run there with these commands.
    ReturnToCpu(Vec<ToEngine>),
    Nothing,
}

fn spawn(
    script: (&str, &str),
    engines: &Rc<RefCell<Engines>>,
    deliver: &Callback<FromEngine>,
    gpu: bool,
) -> Result<Engine, String> {
    let worker =
        Worker::new(&engine_script(script)).map_err(|e| format!("The training engine could not start: {e:?}"))?;
    let engine = listen(worker, engines, deliver, gpu);
    engine.worker.set_onmessage(Some(engine.on_message.as_ref().unchecked_ref()));
    engine.worker.set_onerror(Some(engine.on_error.as_ref().unchecked_ref()));
    Ok(engine)
}

/// The CPU engine that the page's first script started while this code loaded (see
/// index.html), with the events it raised before the page listened; taken once.
fn adopt_early_engine(engines: &Rc<RefCell<Engines>>, deliver: &Callback<FromEngine>) -> Option<Engine> {
    let window = web_sys::window()?;
    let key = JsValue::from_str("distillEarlyEngine");
    let early = js_sys::Reflect::get(&window, &key).ok().filter(JsValue::is_object)?;
    let _ = js_sys::Reflect::delete_property(&window, &key);
    // Unchecked: a page that wraps the Worker constructor (a profiler) still hands over a Worker.
    let worker: Worker =
        js_sys::Reflect::get(&early, &"worker".into()).ok().filter(JsValue::is_object)?.unchecked_into();
    let events: js_sys::Array = js_sys::Reflect::get(&early, &"early".into()).ok()?.dyn_into().ok()?;
    let engine = listen(worker, engines, deliver, false);
    let (worker, on_message, on_error) =
        (engine.worker.clone(), engine.on_message.as_ref().clone(), engine.on_error.as_ref().clone());
    // In a task of its own, after the page has set the engine up: the handlers take over and the
    // early events go first, in order, before any later one can arrive.
    let hand_over = Closure::once_into_js(move || {
        worker.set_onmessage(Some(on_message.unchecked_ref()));
        worker.set_onerror(Some(on_error.unchecked_ref()));
        for event in events.iter() {
            let handler: &js_sys::Function = if event.is_instance_of::<MessageEvent>() {
                on_message.unchecked_ref()
            } else {
                on_error.unchecked_ref()
            };
            let _ = handler.call1(&JsValue::NULL, &event);
        }
    });
    let _ = window.set_timeout_with_callback(hand_over.unchecked_ref());
    Some(engine)
}

/// An engine around `worker`, with the handlers its events are to reach (not yet set).
fn listen(worker: Worker, engines: &Rc<RefCell<Engines>>, deliver: &Callback<FromEngine>, gpu: bool) -> Engine {
    let (weak, to_page) = (Rc::downgrade(engines), deliver.clone());
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let Some(engines) = weak.upgrade() else { return };
        let message = match messages::decode::<FromEngine>(event.data()) {
            Ok(message) => message,
            Err(e) => FromEngine::Error(format!("Unreadable message from the engine: {e}")),
        };
        let next = engines.borrow_mut().receive(message, gpu);
        match next {
            Next::Deliver(message) => to_page.emit(*message),
            Next::LoadGpuEngine => load_gpu_engine(&engines, &to_page),
            Next::ReturnToCpu(commands) => return_to_cpu(&engines, &to_page, commands),
            Next::Nothing => {}
        }
    });
    let (weak, to_page) = (Rc::downgrade(engines), deliver.clone());
    // A worker whose script cannot be fetched raises a plain Event, one whose module fails (see
    // the loader) an ErrorEvent with the reason.
    let on_error = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
        event.prevent_default();
        let detail = js_sys::Reflect::get(&event, &"message".into()).ok().and_then(|m| m.as_string());
        let detail = detail.map(|d| d.trim_start_matches("Uncaught ").to_string());
        let engines = weak.upgrade();
        let incoming_failed = gpu && engines.as_ref().is_some_and(|engines| engines.borrow_mut().stay_on_cpu());
        let starting = !gpu && engines.is_some_and(|engines| engines.borrow().waiting.is_some());
        to_page.emit(match (incoming_failed, starting, detail.filter(|d| !d.is_empty())) {
            (true, ..) => FromEngine::Notice("The WebGPU engine could not load; training stays on the CPU.".into()),
            (false, false, Some(detail)) => {
                FromEngine::Error(format!("The training engine stopped: {detail}. Reload the page to try again."))
            }
            (false, _, detail) => FromEngine::Error(format!(
                "The training engine failed to load{}: its files may be missing, or the connection dropped. \
                 Reload the page to try again.",
                detail.map(|d| format!(" ({d})")).unwrap_or_default()
            )),
        });
    });
    Engine { worker, on_message, on_error }
}

fn load_gpu_engine(engines: &Rc<RefCell<Engines>>, deliver: &Callback<FromEngine>) {
    match spawn(GPU_ENGINE, engines, deliver, true) {
        Ok(engine) => {
            // A module that fails to instantiate inside the worker raises no error event here.
            let (weak, report) = (Rc::downgrade(engines), deliver.clone());
            let give_up = Closure::<dyn FnMut()>::new(move || {
                if weak.upgrade().is_some_and(|engines| engines.borrow_mut().stay_on_cpu()) {
                    report.emit(FromEngine::Notice(format!(
                        "The WebGPU engine did not start within {} s; training stays on the CPU.",
                        GPU_ENGINE_GIVE_UP_MS / 1000
                    )));
                }
            });
            if let Some(window) = web_sys::window() {
                let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                    give_up.as_ref().unchecked_ref(),
                    GPU_ENGINE_GIVE_UP_MS,
                );
            }
            let mut engines = engines.borrow_mut();
            engines.incoming = Some(engine);
            engines.give_up = Some(give_up);
        }
        Err(why) => {
            engines.borrow_mut().keep_run_on_cpu();
            deliver.emit(FromEngine::Notice(format!("{why}; training stays on the CPU.")));
        }
    }
}

/// The WebGPU engine lost its GPU: a fresh CPU engine takes the run over from its checkpoint.
/// Commands wait meanwhile, and the WebGPU engine ends once the CPU engine listens.
fn return_to_cpu(engines: &Rc<RefCell<Engines>>, deliver: &Callback<FromEngine>, commands: Vec<ToEngine>) {
    match spawn(CPU_ENGINE, engines, deliver, false) {
        Ok(engine) => {
            let (weak, report) = (Rc::downgrade(engines), deliver.clone());
            let timeout = Closure::<dyn FnMut()>::new(move || {
                if weak.upgrade().is_some_and(|engines| engines.borrow_mut().returning.take().is_some()) {
                    report.emit(FromEngine::Error(
                        "The GPU was lost and the CPU engine did not start to take the run over. Reload the page."
                            .into(),
                    ));
                }
            });
            if let Some(window) = web_sys::window() {
                let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                    timeout.as_ref().unchecked_ref(),
                    STARTUP_REPORT_MS,
                );
            }
            let mut engines = engines.borrow_mut();
            engines.returning = Some((engine, commands));
            engines.return_timeout = Some(timeout);
            engines.waiting.get_or_insert_with(Vec::new);
        }
        Err(why) => deliver.emit(FromEngine::Error(format!(
            "The GPU was lost and the CPU engine could not take the run over ({why}). Reload the page."
        ))),
    }
}

impl Engines {
    /// The WebGPU engine failed while loading: the CPU engine keeps the run, from its last reset.
    /// False when no WebGPU engine was loading.
    fn stay_on_cpu(&mut self) -> bool {
        if self.incoming.take().is_none() {
            return false;
        }
        self.keep_run_on_cpu();
        true
    }

    fn keep_run_on_cpu(&mut self) {
        post(self.active.as_ref(), &ToEngine::StayOnCpu);
        for command in &self.since_reset {
            post(self.active.as_ref(), command);
        }
    }

    fn receive(&mut self, message: FromEngine, from_gpu_engine: bool) -> Next {
        match message {
            FromEngine::Listening if !from_gpu_engine && self.gpu_active && self.returning.is_some() => {
                // The CPU engine takes the run back; the WebGPU engine ends as it is dropped.
                let Some((engine, commands)) = self.returning.take() else { return Next::Nothing };
                self.active = Some(engine);
                self.gpu_active = false;
                for command in &commands {
                    post(self.active.as_ref(), command);
                }
                for command in self.waiting.take().unwrap_or_default() {
                    post(self.active.as_ref(), &command);
                }
                Next::Nothing
            }
            FromEngine::MoveToCpuEngine(handover) if from_gpu_engine && self.gpu_active => {
                // A reset sent since the checkpoint was taken wins: the new run starts afresh on
                // the CPU instead (StayOnCpu keeps it from asking for the WebGPU engine again).
                let same_run = matches!(self.since_reset.first(),
                    Some(ToEngine::Reset { spec, added }) if *spec == handover.spec && *added == handover.added);
                match same_run {
                    true => Next::ReturnToCpu(vec![ToEngine::Resume(handover)]),
                    false => Next::ReturnToCpu(
                        std::iter::once(ToEngine::StayOnCpu).chain(self.since_reset.clone()).collect(),
                    ),
                }
            }
            FromEngine::Listening if from_gpu_engine && self.incoming.is_some() => {
                // The WebGPU engine takes the run over from its last reset; the CPU engine stops.
                self.active = self.incoming.take();
                self.gpu_active = true;
                for command in &self.since_reset {
                    post(self.active.as_ref(), command);
                }
                Next::Nothing
            }
            FromEngine::Listening => {
                for command in self.waiting.take().unwrap_or_default() {
                    post(self.active.as_ref(), &command);
                }
                Next::Nothing
            }
            FromEngine::WebGpuEngineNeeded if !self.moving => {
                self.moving = true;
                Next::LoadGpuEngine
            }
            FromEngine::WebGpuEngineNeeded => Next::Nothing,
            // The engine that is leaving, or the one still loading, has nothing to say yet.
            _ if from_gpu_engine != self.gpu_active => Next::Nothing,
            message => Next::Deliver(Box::new(message)),
        }
    }
}

impl EngineHandle {
    pub fn spawn(on_message: Callback<FromEngine>) -> Result<Self, String> {
        let engines = Rc::new(RefCell::new(Engines { waiting: Some(Vec::new()), ..Engines::default() }));
        let cpu = match adopt_early_engine(&engines, &on_message) {
            Some(engine) => engine,
            None => spawn(CPU_ENGINE, &engines, &on_message, false)?,
        };
        engines.borrow_mut().active = Some(cpu);
        let (weak, deliver) = (Rc::downgrade(&engines), on_message.clone());
        let on_restart = Closure::<dyn FnMut()>::new(move || {
            let Some(engines) = weak.upgrade() else { return };
            // Only the first engine's start-up is watched; a run moving engines has its own path.
            if engines.borrow().waiting.is_none() || engines.borrow().gpu_active {
                return;
            }
            if let Ok(engine) = spawn(CPU_ENGINE, &engines, &deliver, false) {
                // The hanging one is terminated as it is dropped.
                engines.borrow_mut().active = Some(engine);
            }
        });
        let (weak, report) = (Rc::downgrade(&engines), on_message);
        let on_startup_timeout = Closure::<dyn FnMut()>::new(move || {
            if weak.upgrade().is_some_and(|e| e.borrow().waiting.is_some()) {
                report.emit(FromEngine::Notice(format!(
                    "The training engine has not started after {} s: it may still be downloading on a slow \
                     connection. If nothing happens, reload the page.",
                    STARTUP_REPORT_MS / 1000
                )));
            }
        });
        if let Some(window) = web_sys::window() {
            for (callback, ms) in [(&on_restart, RESTART_MS), (&on_startup_timeout, STARTUP_REPORT_MS)] {
                let _ =
                    window.set_timeout_with_callback_and_timeout_and_arguments_0(callback.as_ref().unchecked_ref(), ms);
            }
        }
        Ok(Self { engines, _on_restart: on_restart, _on_startup_timeout: on_startup_timeout })
    }

    pub fn send(&self, command: &ToEngine) {
        let mut engines = self.engines.borrow_mut();
        match command {
            ToEngine::Reset { .. } => engines.since_reset = vec![command.clone()],
            // Questions, not changes: a run that moves engines need not hear them again.
            ToEngine::Classify { .. } | ToEngine::ExportStudent => {}
            _ => engines.since_reset.push(command.clone()),
        }
        match engines.waiting.as_mut() {
            Some(waiting) => waiting.push(command.clone()),
            None => post(engines.active.as_ref(), command),
        }
    }
}

fn post(engine: Option<&Engine>, command: &ToEngine) {
    let Some(engine) = engine else { return };
    match messages::encode(command) {
        Ok(value) => {
            if let Err(e) = engine.worker.post_message(&value) {
                web_sys::console::error_1(&e);
            }
        }
        Err(e) => web_sys::console::error_1(&format!("unencodable command: {e}").into()),
    }
}
