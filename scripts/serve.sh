#!/usr/bin/env bash
# Builds Distill Lab and serves it on http://127.0.0.1:8080, installing the tools it needs first.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"
node_tools
lint_in_builds
step "serving on http://127.0.0.1:8080 (Ctrl-C stops)"
exec trunk serve --offline --release
