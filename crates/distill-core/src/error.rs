//! What can go wrong in a run, by kind. The kind decides what happens next: only a lost device
//! moves a run off the GPU; every other error leaves the run where it is, with its message.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RunError {
    /// The GPU device is gone (a driver reset, a GPU that went away): every later use of it fails.
    DeviceLost(String),
    /// A computation or read-back failed on a device that is still there.
    Device(String),
    /// An input the run cannot take: a drawing of the wrong size, a value that is not finite.
    BadInput(String),
    /// A shipped file that is missing or damaged.
    Assets(String),
    /// A saved state (a checkpoint, a student file) that does not fit this run.
    SavedState(String),
    /// The losses stopped being finite numbers: the run cannot go on with these settings.
    Diverged(String),
    /// The training engine itself failed: it did not load, stopped, or sent an unreadable message.
    Engine(String),
}

impl RunError {
    pub fn is_device_lost(&self) -> bool {
        matches!(self, RunError::DeviceLost(_))
    }

    /// Why the device is gone, when this error means it is: said by Burn (wgpu's device-lost
    /// callback fired), or, for a failed computation, by the browser (`browser_lost`), which may
    /// report the loss a moment after a read-back failed on it. Any other error is not the device's.
    pub fn lost_device(&self, browser_lost: impl FnOnce() -> Option<String>) -> Option<String> {
        match self {
            RunError::DeviceLost(why) => Some(why.clone()),
            RunError::Device(_) => browser_lost(),
            _ => None,
        }
    }

    /// The message alone, without the kind.
    pub fn message(&self) -> &str {
        match self {
            RunError::DeviceLost(why)
            | RunError::Device(why)
            | RunError::BadInput(why)
            | RunError::Assets(why)
            | RunError::SavedState(why)
            | RunError::Diverged(why)
            | RunError::Engine(why) => why,
        }
    }

    /// The same kind of error, its message rewritten by `say` (to add what was being done).
    pub fn reworded(self, say: impl FnOnce(String) -> String) -> Self {
        match self {
            RunError::DeviceLost(why) => RunError::DeviceLost(say(why)),
            RunError::Device(why) => RunError::Device(say(why)),
            RunError::BadInput(why) => RunError::BadInput(say(why)),
            RunError::Assets(why) => RunError::Assets(say(why)),
            RunError::SavedState(why) => RunError::SavedState(say(why)),
            RunError::Diverged(why) => RunError::Diverged(say(why)),
            RunError::Engine(why) => RunError::Engine(say(why)),
        }
    }

    /// The page's heading for this kind of error.
    pub fn title(&self) -> &'static str {
        match self {
            RunError::DeviceLost(_) => "The GPU was lost.",
            RunError::Device(_) => "The device failed.",
            RunError::BadInput(_) => "An input could not be used.",
            RunError::Assets(_) => "A file the lab needs is missing or damaged.",
            RunError::SavedState(_) => "A saved state does not fit this run.",
            RunError::Diverged(_) => "The training diverged.",
            RunError::Engine(_) => "The training engine failed.",
        }
    }

    /// The kind as one word, for the page's markup and its tests.
    pub fn kind(&self) -> &'static str {
        match self {
            RunError::DeviceLost(_) => "device-lost",
            RunError::Device(_) => "device",
            RunError::BadInput(_) => "bad-input",
            RunError::Assets(_) => "assets",
            RunError::SavedState(_) => "saved-state",
            RunError::Diverged(_) => "diverged",
            RunError::Engine(_) => "engine",
        }
    }

    /// A failed read-back or sync of `what`: a lost device when Burn says the device is poisoned
    /// (wgpu's device-lost callback fired), else a failure of this one operation.
    #[cfg(feature = "burn")]
    pub fn executing(what: &str, error: burn::backend::ExecutionError) -> Self {
        if error.is_device_poisoned() {
            RunError::DeviceLost(error.reason().to_string())
        } else {
            RunError::Device(format!("{what} failed: {}", error.reason()))
        }
    }
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::DeviceLost(why) => write!(f, "the GPU device was lost ({why})"),
            _ => f.write_str(self.message()),
        }
    }
}

impl std::error::Error for RunError {}

/// Tools that end every error as a message (the CLI, the benchmarks) keep using strings.
impl From<RunError> for String {
    fn from(error: RunError) -> String {
        error.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_lost_device_is_one() {
        assert!(RunError::DeviceLost("reset".into()).is_device_lost());
        for other in [
            RunError::Device("x".into()),
            RunError::BadInput("x".into()),
            RunError::Assets("x".into()),
            RunError::SavedState("x".into()),
            RunError::Diverged("x".into()),
            RunError::Engine("x".into()),
        ] {
            assert!(!other.is_device_lost(), "{other:?}");
            assert_eq!(other.to_string(), "x");
        }
        assert_eq!(RunError::DeviceLost("reset".into()).to_string(), "the GPU device was lost (reset)");
    }

    #[test]
    fn a_failed_computation_is_a_lost_device_only_once_someone_says_so() {
        let lost = || Some("destroyed".to_string());
        assert_eq!(RunError::DeviceLost("reset".into()).lost_device(|| None), Some("reset".into()));
        assert_eq!(RunError::Device("map failed".into()).lost_device(lost), Some("destroyed".into()));
        assert_eq!(RunError::Device("map failed".into()).lost_device(|| None), None);
        // A bad drawing or a damaged file is never the device's fault, whatever the browser says.
        assert_eq!(RunError::BadInput("783 values".into()).lost_device(lost), None);
        assert_eq!(RunError::Assets("damaged".into()).lost_device(lost), None);
        assert_eq!(RunError::Diverged("NaN".into()).lost_device(lost), None);
    }

    #[test]
    fn a_reworded_error_keeps_its_kind() {
        let error = RunError::BadInput("783 values".into()).reworded(|why| format!("The drawing: {why}."));
        assert_eq!(error, RunError::BadInput("The drawing: 783 values.".into()));
        assert_eq!((error.kind(), error.title()), ("bad-input", "An input could not be used."));
    }
}
