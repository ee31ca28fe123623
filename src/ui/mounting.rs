//! Mounts the settings rows a few per task once the page may (`State::may_mount_the_rest`; see
//! `crate::model::SettingsMounted`).

use gloo_timers::callback::Timeout;
use yew::prelude::*;

use crate::model::SettingsMounted;

/// Between two tasks of rows: about a frame, so that each frame the page draws while the run
/// trains carries at most one of them.
const TASK_GAP_MS: u32 = 16;

/// A page whose engine never reports still mounts its settings after this long.
const AT_THE_LATEST_MS: u32 = 5_000;

#[hook]
pub fn use_settings_mounted(may_mount: bool, rows: usize) -> SettingsMounted {
    let mounted = use_state_eq(|| SettingsMounted::NONE);
    let waited = use_state_eq(|| false);
    {
        let waited = waited.setter();
        use_effect_with((), move |_| {
            let timeout = Timeout::new(AT_THE_LATEST_MS, move || waited.set(true));
            move || drop(timeout)
        });
    }
    let (current, setter) = (*mounted, mounted.setter());
    // Once begun, the rows keep coming: a download that ends before the run opens stops nothing.
    let going = may_mount || *waited || current != SettingsMounted::NONE;
    use_effect_with((going, current, rows), move |&(going, current, rows)| {
        let next = (going && current != SettingsMounted::ALL)
            .then(|| Timeout::new(TASK_GAP_MS, move || setter.set(current.next(rows))));
        move || drop(next)
    });
    current
}
