#!/usr/bin/env bash
# Runs the browser benchmarks against a fresh release build and prints Markdown for BENCHMARKS.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"
build_app
npm ci --no-audit --no-fund --loglevel=error
echo "Chromium $(chromium --version 2>/dev/null | awk '{print $2}'), $(nproc) cores, $(uname -m)"
node scripts/bench-browser.mjs
