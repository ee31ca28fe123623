//! Callbacks that dispatch an action to the page's state: one line each where they are used.

use yew::prelude::*;

use crate::model::{Action, State};

/// A callback that dispatches the action `make` builds from its argument.
pub fn dispatch<T: 'static>(state: &UseReducerHandle<State>, make: impl Fn(T) -> Action + 'static) -> Callback<T> {
    let dispatcher = state.dispatcher();
    Callback::from(move |value: T| dispatcher.dispatch(make(value)))
}

/// [`dispatch`], made once for the page's life: a component given it re-renders only when its
/// other props change, not at every report the page receives (a callback made afresh is a
/// changed prop).
#[hook]
pub fn use_dispatch<T: 'static>(state: &UseReducerHandle<State>, make: fn(T) -> Action) -> Callback<T> {
    let state = state.clone();
    (*use_memo((), move |_| dispatch(&state, make))).clone()
}
