//! The training engine: runs in a Web Worker, owns the Burn device and the session, and talks to
//! the page only through [`crate::protocol`] messages.

mod backend;
mod clock;
mod runner;

pub use runner::start;
