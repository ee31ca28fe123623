//! What a speaker's keys and an imported file do to the run: the same actions and engine
//! commands as the page's buttons and sliders.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::model::{Action, Edit, State, with_page_modes};
use crate::ui::exports::{Chosen, sort_imports};
use crate::ui::shortcuts::{Shortcut, use_shortcuts};
use distill_core::protocol::{Status, ToEngine};
use distill_core::run_spec::Scenario;

/// Space, →, R, T, Shift+T, D, ? and Escape (see `shortcuts`).
#[hook]
pub fn use_speaker_keys(state: &UseReducerHandle<State>, send: Callback<ToEngine>, reset: Callback<()>) {
    let (dispatcher, params, status) = (state.dispatcher(), state.params.clone(), state.status);
    let overlay_open = state.shortcuts_open;
    use_shortcuts(Callback::from(move |key: Shortcut| {
        let temperature_stop = |by: isize| dispatcher.dispatch(Action::Edit(Edit::TemperatureStops(by)));
        match key {
            Shortcut::PlayPause if status == Status::Training => send.emit(ToEngine::Pause),
            Shortcut::PlayPause => send.emit(ToEngine::Play),
            Shortcut::Step => send.emit(ToEngine::Step),
            Shortcut::Reset => reset.emit(()),
            Shortcut::Cooler => temperature_stop(-1),
            Shortcut::Warmer => temperature_stop(1),
            Shortcut::SwitchLab => {
                let other = if params.scenario == Scenario::Shapes { Scenario::Digits } else { Scenario::Shapes };
                dispatcher.dispatch(Action::Edit(Edit::Lab(other)));
            }
            Shortcut::Help => dispatcher.dispatch(Action::Shortcuts(!overlay_open)),
            Shortcut::Close => dispatcher.dispatch(Action::Shortcuts(false)),
        }
    }));
}

/// Imports settings and/or a student. Settings that change the run restart it, and the
/// student's weights then wait in `pending` for that reset; otherwise they load at once.
pub fn import(
    state: &UseReducerHandle<State>,
    send: Callback<ToEngine>,
    pending: Rc<RefCell<Option<Vec<u8>>>>,
) -> Callback<Vec<Chosen>> {
    let (dispatcher, current) = (state.dispatcher(), state.params.clone());
    Callback::from(move |files: Vec<Chosen>| {
        let (settings, weights, problems) = sort_imports(files);
        for problem in problems {
            dispatcher.dispatch(Action::Notice(format!("Import failed: {problem}")));
        }
        let mut restarts = false;
        if let Some(file) = settings {
            let (imported, notices) = file.params();
            let params = with_page_modes(imported, &current);
            restarts = params.run_spec() != current.run_spec();
            dispatcher.dispatch(Action::ImportSettings(params, notices));
        }
        match weights {
            Some(weights) if restarts => *pending.borrow_mut() = Some(weights),
            Some(weights) => send.emit(ToEngine::LoadStudent { weights }),
            None => {}
        }
    })
}
