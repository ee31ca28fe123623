#!/usr/bin/env bash
# Runs every benchmark (natively and in headless Chromium, with the TensorFlow.js peer) against a
# fresh release build and writes BENCHMARKS.md. BENCH_RUNS (default 3) sets the runs per figure;
# BENCH_ONLY=text measures only the text lab's workload and rewrites only its section.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"
build_app
if [ "${BENCH_ONLY:-}" = text ]; then
    # Only the text lab's section: the named engines are for the size profile of the whole file.
    node scripts/bench.mjs
    exit 0
fi
step "building the engine with its function names, for the size profile"
cargo build --locked --profile web-names -p distill-engine --bin engine --target wasm32-unknown-unknown
cargo build --locked --profile web-gpu-names -p distill-engine --bin engine-gpu --features gpu --target wasm32-unknown-unknown
NAMED="$CARGO_TARGET_DIR/wasm32-unknown-unknown"
ENGINE_WITH_NAMES="$NAMED/web-names/engine.wasm" GPU_ENGINE_WITH_NAMES="$NAMED/web-gpu-names/engine-gpu.wasm" node scripts/bench.mjs
