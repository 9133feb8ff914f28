#!/usr/bin/env bash
# The official Node SDK scenario: installs authing-node-sdk@4.0.1 from the lock file (npm ci)
# when it is not there yet, then runs scenario.js against a fresh `authz serve`.
#   usage: tests/sdk/run.sh /path/to/authz
set -euo pipefail
cd "$(dirname "$0")"
command -v node >/dev/null || { echo "sdk: node is required (scripts/setup.sh installs it)"; exit 1; }
[ -d node_modules/authing-node-sdk ] || npm ci --no-audit --no-fund --loglevel=error
node scenario.js "$1"
