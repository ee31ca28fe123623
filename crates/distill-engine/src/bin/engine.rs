//! The CPU engine: what the page starts at once.

fn main() {
    distill_engine::start();
}
