#!/usr/bin/env bash
# Prints the size of each file of the release build, raw and gzip -9 (what the wire carries).
# Run after scripts/serve.sh or scripts/test.sh has built dist/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../dist"
printf '%-40s %12s %12s\n' file raw gzip
for f in *.wasm *.js *.css index.html; do
    printf '%-40s %12d %12d\n' "$f" "$(stat -c %s "$f")" "$(gzip -9c "$f" | wc -c)"
done
