//! `benchmark`, a shell tool (see `distill_cli::benchmark`); the page itself is the `app` binary.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    distill_cli::benchmark::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
