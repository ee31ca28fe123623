//! Distill Lab from the shell: the same core as the page, run natively on the CPU. Each command
//! is a module with a `main`; the binaries of the root package (`cargo run --release --bin
//! distill`) call them.

pub mod args;
pub mod assets;
pub mod scenario;

pub mod benchmark;
pub mod convert_digits;
pub mod convert_text;
pub mod distill;
pub mod distill_text;
pub mod experiments;
pub mod text_benchmark;
pub mod train_teacher;
pub mod train_text_teacher;
