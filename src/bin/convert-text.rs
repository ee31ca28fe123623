//! `convert-text`, a shell tool (see `distill_cli::convert_text`); the page itself is the `app` binary.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    distill_cli::convert_text::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
