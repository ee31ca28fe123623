//! The page's model: its state, the actions that change it and what is derived from it. Plain
//! Rust on every target, so that its tests run natively; the components in `ui` draw it.

mod edit;
mod mounting;
mod report_log;
mod state;
mod text_lab;

pub use edit::Edit;
pub use mounting::SettingsMounted;
pub use report_log::{HistoryPoint, ReportLog};
pub use state::*;
pub use text_lab::TextLab;

#[cfg(test)]
mod tests;
