#!/usr/bin/env bash
# Where the engine's bytes go: builds it as shipped but with function names kept (Cargo profile
# `web-names`), then prints its code size per crate, raw and gzip.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"
cargo build --locked --profile web-names -p distill-engine --bin engine --target wasm32-unknown-unknown
node scripts/size-profile.mjs "$CARGO_TARGET_DIR/wasm32-unknown-unknown/web-names/engine.wasm"
