//! `train-teacher`, a shell tool (see `distill_cli::train_teacher`); the page itself is the `app` binary.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    distill_cli::train_teacher::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
