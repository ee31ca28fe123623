#!/usr/bin/env bash
# Runs the browser suite N times (default 5) against one build and reports each test's failures:
# a test that fails once in five is a flake to fix at its cause. Load the machine beside it (a
# second build, say) to find the tests that only fail when the machine is busy.
#
#   ./scripts/soak.sh 5
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$ROOT"

runs="${1:-5}"
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "usage: scripts/soak.sh [runs ≥ 1]" >&2; exit 2; }

build_app
mkdir -p tests/browser/artifacts
logs="$(mktemp -d)"

failed_runs=0
for run in $(seq 1 "$runs"); do
    step "browser suite, run $run of $runs"
    start=$SECONDS
    if npm test -- --test-reporter=spec --test-reporter-destination=stdout \
        --test-reporter=tap --test-reporter-destination="$logs/run-$run.tap" >"$logs/run-$run.log" 2>&1; then
        verdict=passed
    else
        verdict=FAILED
        failed_runs=$((failed_runs + 1))
    fi
    # One TAP line per test; a file that fails outside its tests shows as a line naming its path.
    passed=$(grep -cE '^\s*ok [0-9]+ - ' "$logs/run-$run.tap" || true)
    failed=$(grep -cE '^\s*not ok [0-9]+ - ' "$logs/run-$run.tap" || true)
    echo "run $run: $verdict, $passed passed, $failed failed, $((SECONDS - start)) s"
done

step "failures per test over $runs runs"
grep -hE '^\s*not ok [0-9]+ - ' "$logs"/run-*.tap | sed -E 's/^\s*not ok [0-9]+ - //' | sort | uniq -c | sort -rn ||
    echo "none"
echo "logs: $logs"
phase_summary
echo "$((runs - failed_runs)) of $runs runs passed"
[ "$failed_runs" -eq 0 ]
