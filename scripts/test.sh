#!/usr/bin/env bash
# Runs every test: formatting and lints, the distillation core and the engine's logic natively,
# then the built page in headless Chromium on the WebGPU path (software adapter) and on the CPU
# path. Installs what is missing first.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"

rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt

step "formatting (rustfmt)"
cargo fmt --all --check

# From here on every build of the workspace's crates is also a clippy run (see setup.sh).
lint_in_builds

step "native build and lints (all targets of the workspace, and the distill CLI the browser tests use)"
cargo test --locked --workspace --no-run
cargo build --locked -p distill-lab --bin distill

step "native tests (distillation core, engine logic and the shell tools)"
cargo test --locked --workspace

build_app

step "browser tests (headless Chromium $(chromium --version 2>/dev/null | awk '{print $2}'))"
mkdir -p tests/browser/artifacts
npm test

phase_summary
# SECONDS counts from the script's start: the installs in setup.sh are part of the total.
echo "all tests passed in $SECONDS s"
