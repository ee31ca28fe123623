#!/usr/bin/env bash
# Runs every benchmark (natively and in headless Chromium, with the TensorFlow.js peer) against a
# fresh release build and writes BENCHMARKS.md. BENCH_RUNS (default 3) sets the runs per figure.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"
build_app
npm ci --no-audit --no-fund --loglevel=error
node scripts/bench.mjs
