//! The WebGPU engine (built with the `gpu` feature): fetched only when an adapter will be used.

fn main() {
    distill_engine::start();
}
