#!/usr/bin/env bash
# The official Node SDK scenario: installs authing-node-sdk@4.0.1 from the lock file (npm ci)
# when it is not there yet, then runs scenario.js against a fresh `authz serve`.
#   usage: tests/sdk/run.sh /path/to/authz
set -euo pipefail
cd "$(dirname "$0")"
# Without node the test is skipped (exit 77, ctest's SKIP_RETURN_CODE), loudly; CI installs it.
command -v node >/dev/null || { echo "sdk: SKIPPED: node is not installed (scripts/setup.sh installs it)"; exit 77; }
[ -d node_modules/authing-node-sdk ] || npm ci --no-audit --no-fund --loglevel=error
node scenario.js "$1"
