//! The page's end of the engines: a shell around `distill_core::host`, which decides which engine
//! runs the lab. This carries its effects out with Web Workers and timers, and feeds what the
//! workers do back to it.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::{Rc, Weak};

use distill_core::RunError;
use distill_core::host::{Effect, EngineId, EngineKind, Event, Host, Timer};
use distill_core::protocol::{FromEngine, ToEngine};
use distill_core::transport::{FromWorker, ToWorker};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, Worker};
use yew::Callback;

use crate::messages;

/// Written next to the page by the build: the CPU engine, and the one with Burn's WebGPU runtime.
/// The build gives each a content hash and names them in the page's meta tags, so that a cached
/// engine of another version never meets this page; these names serve an unhashed build.
fn engine_script(kind: EngineKind) -> String {
    let (meta, default) = match kind {
        EngineKind::Cpu => ("distill-engine-cpu", "engine_loader.js"),
        EngineKind::Gpu => ("distill-engine-gpu", "engine-gpu_loader.js"),
    };
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(&format!("meta[name=\"{meta}\"]")).ok().flatten())
        .and_then(|m| m.get_attribute("content"))
        .filter(|content| !content.is_empty())
        .unwrap_or_else(|| default.to_string())
}

type MessageHandler = Closure<dyn FnMut(MessageEvent)>;
type ErrorHandler = Closure<dyn FnMut(web_sys::Event)>;

/// One engine's worker and the closures that keep its handlers alive.
struct Engine {
    worker: Worker,
    _on_message: MessageHandler,
    _on_error: ErrorHandler,
}

impl Drop for Engine {
    fn drop(&mut self) {
        // A message the worker sent before it ended may still be queued for the page: it must
        // find no handler, not the closures dropped with this engine (a cancelled comparison
        // under load met "closure invoked recursively or after being dropped").
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}

struct Shell {
    host: Host,
    engines: HashMap<EngineId, Engine>,
    to_page: Callback<FromEngine>,
}

pub struct EngineHandle {
    shell: Rc<RefCell<Shell>>,
}

impl EngineHandle {
    pub fn spawn(to_page: Callback<FromEngine>) -> Self {
        let shell = Rc::new(RefCell::new(Shell { host: Host::default(), engines: HashMap::new(), to_page }));
        dispatch(&shell, Event::Started);
        Self { shell }
    }

    pub fn send(&self, command: &ToEngine) {
        dispatch(&self.shell, Event::Command(command.clone()));
    }
}

/// Runs `event` through the host and carries its effects out. No borrow is held while the page
/// hears a message: its callback may send commands back at once.
fn dispatch(shell: &Rc<RefCell<Shell>>, event: Event) {
    let effects = shell.borrow_mut().host.on(event);
    for effect in effects {
        match effect {
            Effect::Spawn(engine) => match start(shell, engine) {
                Ok(started) => {
                    shell.borrow_mut().engines.insert(engine, started);
                }
                Err(why) => dispatch(shell, Event::SpawnFailed(engine, why)),
            },
            Effect::Post(engine, command) => post(shell.borrow().engines.get(&engine), &command),
            Effect::Deliver(message) => {
                let to_page = shell.borrow().to_page.clone();
                to_page.emit(message);
            }
            Effect::End(engine) => drop(shell.borrow_mut().engines.remove(&engine)),
            Effect::Arm(timer) => arm(Rc::downgrade(shell), timer),
        }
    }
}

fn arm(shell: Weak<RefCell<Shell>>, timer: Timer) {
    let fire = Closure::once_into_js(move || {
        if let Some(shell) = shell.upgrade() {
            dispatch(&shell, Event::Fired(timer));
        }
    });
    if let Some(window) = web_sys::window() {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(fire.unchecked_ref(), timer.ms() as i32);
    }
}

/// The first CPU engine may already be running: the page's first script starts it while this
/// code loads (see index.html). Any other engine gets a new worker.
fn start(shell: &Rc<RefCell<Shell>>, engine: EngineId) -> Result<Engine, String> {
    if engine.kind == EngineKind::Cpu
        && let Some(early) = adopt_early_engine(shell, engine)
    {
        return Ok(early);
    }
    let worker =
        Worker::new(&engine_script(engine.kind)).map_err(|e| format!("The training engine could not start: {e:?}"))?;
    let (on_message, on_error) = handlers(shell, engine);
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Ok(Engine { worker, _on_message: on_message, _on_error: on_error })
}

/// The CPU engine that the page's first script started, with the events it raised before the
/// page listened; taken once.
fn adopt_early_engine(shell: &Rc<RefCell<Shell>>, engine: EngineId) -> Option<Engine> {
    let window = web_sys::window()?;
    let key = JsValue::from_str("distillEarlyEngine");
    let early = js_sys::Reflect::get(&window, &key).ok().filter(JsValue::is_object)?;
    let _ = js_sys::Reflect::delete_property(&window, &key);
    // Unchecked: a page that wraps the Worker constructor (a profiler) still hands over a Worker.
    let worker: Worker =
        js_sys::Reflect::get(&early, &"worker".into()).ok().filter(JsValue::is_object)?.unchecked_into();
    let events: js_sys::Array = js_sys::Reflect::get(&early, &"early".into()).ok()?.dyn_into().ok()?;
    let (on_message, on_error) = handlers(shell, engine);
    let (target, message_js, error_js) = (worker.clone(), on_message.as_ref().clone(), on_error.as_ref().clone());
    // In a task of its own, after the host has recorded the engine: the handlers take over and
    // the early events go first, in order, before any later one can arrive.
    let hand_over = Closure::once_into_js(move || {
        target.set_onmessage(Some(message_js.unchecked_ref()));
        target.set_onerror(Some(error_js.unchecked_ref()));
        for event in events.iter() {
            let handler: &js_sys::Function = if event.is_instance_of::<MessageEvent>() {
                message_js.unchecked_ref()
            } else {
                error_js.unchecked_ref()
            };
            let _ = handler.call1(&JsValue::NULL, &event);
        }
    });
    let _ = window.set_timeout_with_callback(hand_over.unchecked_ref());
    Some(Engine { worker, _on_message: on_message, _on_error: on_error })
}

/// The handlers of `engine`'s worker: each event goes to the host.
fn handlers(shell: &Rc<RefCell<Shell>>, engine: EngineId) -> (MessageHandler, ErrorHandler) {
    let weak = Rc::downgrade(shell);
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let Some(shell) = weak.upgrade() else { return };
        let message = messages::decode::<FromWorker>(event.data()).unwrap_or_else(|e| {
            FromWorker::Lab(FromEngine::Error(RunError::Engine(format!("Unreadable message from the engine: {e}"))))
        });
        dispatch(&shell, Event::Message(engine, message));
    });
    let weak = Rc::downgrade(shell);
    // A worker whose script cannot be fetched raises a plain Event, one whose module fails (see
    // the loader) an ErrorEvent with the reason.
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        event.prevent_default();
        let Some(shell) = weak.upgrade() else { return };
        let detail = js_sys::Reflect::get(&event, &"message".into()).ok().and_then(|m| m.as_string());
        let detail = detail.map(|d| d.trim_start_matches("Uncaught ").to_string());
        dispatch(&shell, Event::Failed(engine, detail));
    });
    (on_message, on_error)
}

fn post(engine: Option<&Engine>, command: &ToWorker) {
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
