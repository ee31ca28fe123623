#!/usr/bin/env bash
# Where each engine's bytes go: builds both as shipped but with function names kept (Cargo profile
# `web-names`), then prints its code size per crate, raw and gzip.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"
cargo build --locked --profile web-names -p distill-engine --bin engine --target wasm32-unknown-unknown
cargo build --locked --profile web-names -p distill-engine --bin engine-gpu --features gpu --target wasm32-unknown-unknown
for engine in engine engine-gpu; do
    echo "$engine:"
    node scripts/size-profile.mjs "$CARGO_TARGET_DIR/wasm32-unknown-unknown/web-names/$engine.wasm"
done
