#!/usr/bin/env bash
# Where the CPU path's time to the first training step goes, thread by thread and task by task
# (scripts/startup-trace.mjs), against a fresh release build. STARTUP_RUNS (default 3) sets the runs.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"
build_app
node scripts/startup-trace.mjs
