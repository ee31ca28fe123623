#!/usr/bin/env bash
# Where each engine's bytes go: builds both as shipped but with function names kept (Cargo profile
# `web-names`, and `web-gpu-names` for the WebGPU engine), then prints its code size per crate.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"
cargo build --locked --profile web-names -p distill-engine --bin engine --target wasm32-unknown-unknown
cargo build --locked --profile web-gpu-names -p distill-engine --bin engine-gpu --features gpu --target wasm32-unknown-unknown
for named in web-names/engine web-gpu-names/engine-gpu; do
    echo "${named#*/}:"
    node scripts/size-profile.mjs "$CARGO_TARGET_DIR/wasm32-unknown-unknown/$named.wasm"
done
