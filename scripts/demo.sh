#!/usr/bin/env bash
# The main job: install what is needed, build authz, and run the example model — an API
# gateway's routes, roles, groups and departments — printing the checks it answers.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DAUTHZ_BUILD_TESTS=OFF >/dev/null
cmake --build build/release -j2 >/dev/null
build/release/examples/gateway
