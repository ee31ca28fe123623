//! Shared by the command-line tools: flag parsing, the shipped assets and building a session.

pub mod args;
pub mod assets;
pub mod scenario;
