#!/bin/sh
# The browser suite (`npm test`, the test command and scripts/soak.sh): every file of
# tests/browser, each in a process of its own with its own Chromium. Arguments go to node's test
# runner (reporters, say). BROWSER_TEST_CONCURRENCY sets how many files run at once.
exec node --test --test-concurrency="${BROWSER_TEST_CONCURRENCY:-1}" "$@" tests/browser/
