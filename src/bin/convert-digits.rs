//! `convert-digits`, a shell tool (see `distill_cli::convert_digits`); the page itself is the `app` binary.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    distill_cli::convert_digits::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
