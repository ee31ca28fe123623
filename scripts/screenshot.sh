#!/usr/bin/env bash
# Refreshes the README's screenshot (docs/screenshot.png) from the built page: the default link,
# trained to done on the CPU engine in headless Chromium, its first screen at 1400×900.
#
#   ./scripts/screenshot.sh [out.png]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"

build_app
npm ci --no-audit --no-fund --loglevel=error
step "screenshot of the default link, trained to done"
node scripts/screenshot.mjs "${1:-docs/screenshot.png}"
phase_summary
