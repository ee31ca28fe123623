//! Callbacks that dispatch an action to the page's state: one line each where they are used.

use yew::prelude::*;

use crate::model::{Action, State};

/// A callback that dispatches the action `make` builds from its argument.
pub fn dispatch<T: 'static>(state: &UseReducerHandle<State>, make: impl Fn(T) -> Action + 'static) -> Callback<T> {
    let dispatcher = state.dispatcher();
    Callback::from(move |value: T| dispatcher.dispatch(make(value)))
}
