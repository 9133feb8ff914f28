#!/usr/bin/env bash
# The official Node SDK scenario: installs authing-node-sdk@4.0.1 from the lock file (npm ci)
# when it is not there yet, then runs scenario.js against a fresh `authz serve`.
#   usage: tests/sdk/run.sh /path/to/authz [script.js]   (default scenario.js; signature.js
#   checks the canonical string against the SDK's signer case by case)
set -euo pipefail
cd "$(dirname "$0")"
# Without node the test is skipped (exit 77, ctest's SKIP_RETURN_CODE), loudly; CI installs it.
command -v node >/dev/null || { echo "sdk: SKIPPED: node is not installed (scripts/setup.sh installs it)"; exit 77; }
# ctest runs several of these at once: one npm ci at a time, the others wait for it.
( flock 9; [ -d node_modules/jest ] || npm ci --no-audit --no-fund --loglevel=error ) 9>.npm-install.lock
node "${2:-scenario.js}" "$1"
