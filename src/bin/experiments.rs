//! `experiments`, a shell tool (see `distill_cli::experiments`); the page itself is the `app` binary.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    distill_cli::experiments::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
