#!/bin/sh
# The browser suite (`npm test`, the test command and scripts/soak.sh): every file of
# tests/browser, each in a process of its own with its own Chromium. Arguments go to node's test
# runner (reporters, say). BROWSER_TEST_CONCURRENCY sets how many files run at once: two, one per
# core, took 338 s where one at a time took 417 s on a 2-core machine.
exec node --test --test-concurrency="${BROWSER_TEST_CONCURRENCY:-2}" "$@" tests/browser/
