#!/usr/bin/env bash
# Runs every test: formatting and lints, the distillation core and the engine's logic natively,
# then the built page in headless Chromium on the WebGPU path (software adapter) and on the CPU
# path. Installs what is missing first.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"
started=$SECONDS

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"

for component in rustfmt clippy; do
    rustup component list --installed | grep -q "^$component" || rustup component add "$component"
done

step "format and lints (rustfmt, clippy natively and for the browser)"
cargo fmt --all --check
cargo clippy --locked --workspace --all-targets -- -D warnings
cargo clippy --locked --target wasm32-unknown-unknown -p distill-lab -p distill-engine -- -D warnings
cargo clippy --locked --target wasm32-unknown-unknown -p distill-engine --features gpu -- -D warnings

step "native tests (distillation core, engine logic and the shell tools)"
cargo test --locked -p distill-core -p distill-engine -p distill-cli -p distill-lab

step "the distill CLI, for the browser tests that load an exported student with it"
cargo build --locked -p distill-lab --bin distill

build_app

step "browser tests (headless Chromium $(chromium --version 2>/dev/null | awk '{print $2}'))"
npm ci --no-audit --no-fund --loglevel=error
mkdir -p tests/browser/artifacts
npm test

echo "all tests passed in $((SECONDS - started)) s"
