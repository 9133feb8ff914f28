#!/usr/bin/env bash
# The main job: install what is needed, build authz, and run the example model through the
# `authz` command — an API gateway's routes, roles, groups and departments as GenAuth
# requests — printing one GenAuth envelope per request.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DAUTHZ_BUILD_TESTS=OFF >/dev/null
cmake --build build/release -j2 >/dev/null
build/release/src/cli/authz exec examples/gateway.jsonl
