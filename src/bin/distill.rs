//! `distill`, a shell tool (see `distill_cli::distill`); the page itself is the `app` binary.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    distill_cli::distill::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
