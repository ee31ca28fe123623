#!/usr/bin/env bash
# Refreshes the README's screenshots from the built page: the default link (docs/screenshot.png)
# and the text lab's (docs/screenshot-text.png), each trained to done on the CPU engine in headless
# Chromium, its first screen at 1400×900.
#
#   ./scripts/screenshot.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"

build_app
step "screenshots of the default link and the text lab's, trained to done"
node scripts/screenshot.mjs docs/screenshot.png
node scripts/screenshot.mjs docs/screenshot-text.png scenario=text
phase_summary
