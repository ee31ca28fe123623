//! The page's wiring to the engine: the engines' host, and the run's resets. Every change of
//! settings or points starts a fresh session; the first one honours `autoplay` (and `bench`), and
//! edited points start training at once: the user asked to see the teacher retrain on them.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::model::{Action, State};
use crate::ui::hooks;
use crate::ui::worker::EngineHandle;
use distill_core::opening::opening_commands;
use distill_core::protocol::{FromEngine, ToEngine};

/// What the page needs of the engine: a way to send it commands, and a place where imported
/// weights wait for the reset their imported settings cause.
#[derive(Clone, PartialEq)]
pub struct Engine {
    pub send: Callback<ToEngine>,
    pub pending_student: Rc<RefCell<Option<Vec<u8>>>>,
}

#[hook]
pub fn use_engine(state: &UseReducerHandle<State>) -> Engine {
    let handle = {
        let dispatcher = state.dispatcher();
        use_memo((), move |_| {
            EngineHandle::spawn(Callback::from(move |message: FromEngine| dispatcher.dispatch(Action::Engine(message))))
        })
    };
    let send = use_memo((), move |_| Callback::from(move |command: ToEngine| handle.send(&command)));
    let pending_student = use_mut_ref(|| None::<Vec<u8>>);
    use_run_resets(state, (*send).clone(), pending_student.clone());
    Engine { send: (*send).clone(), pending_student }
}

/// Sends a reset whenever what the run depends on changes: view settings (the dark-knowledge
/// panel's, the page's modes) never restart it.
#[hook]
fn use_run_resets(state: &UseReducerHandle<State>, send: Callback<ToEngine>, pending: Rc<RefCell<Option<Vec<u8>>>>) {
    let first_run = use_mut_ref(|| true);
    let last_added = use_mut_ref(|| state.added.clone());
    let (autoplay, benchmark) = (state.params.autoplay, hooks::benchmark_requested(&state.params));
    let added = state.added.clone();
    use_effect_with(state.run_spec(), move |spec| {
        let mut first = first_run.borrow_mut();
        let points_edited = !Rc::ptr_eq(&last_added.borrow(), &added);
        // The first run's commands are the link's, built as the engine builds them when it starts
        // the link's run before the page listens (see `distill_core::opening`).
        let mut commands = match *first {
            true => opening_commands(spec.clone(), benchmark, autoplay),
            false => opening_commands(spec.clone(), false, points_edited),
        };
        if let Some(weights) = pending.borrow_mut().take() {
            commands.insert(1, ToEngine::LoadStudent { weights });
        }
        for command in commands {
            send.emit(command);
        }
        *first = false;
        *last_added.borrow_mut() = added;
    });
}

/// A callback that sends `command`, made once (the engine's `send` lasts the page's life): a
/// component given it re-renders only when its other props change, not at every report the page
/// receives (a callback made afresh is a changed prop).
#[hook]
pub fn use_command(send: &Callback<ToEngine>, command: ToEngine) -> Callback<()> {
    let send = send.clone();
    let made = use_memo(command, move |command| {
        let command = command.clone();
        Callback::from(move |_: ()| send.emit(command.clone()))
    });
    (*made).clone()
}

/// A callback that resets the run as the settings stand, and plays it when `play`; made again
/// only when the run's settings change.
#[hook]
pub fn use_reset(state: &State, send: &Callback<ToEngine>, play: bool) -> Callback<()> {
    let send = send.clone();
    let made = use_memo((state.run_spec(), play), move |(spec, play)| {
        let (spec, play) = (spec.clone(), *play);
        Callback::from(move |_: ()| {
            send.emit(ToEngine::Reset { spec: spec.clone() });
            if play {
                send.emit(ToEngine::Play);
            }
        })
    });
    (*made).clone()
}
