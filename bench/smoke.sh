#!/usr/bin/env bash
# CI's benchmark smoke run: every benchmark once, on smoke-sized datasets, so they cannot rot.
#   usage: bench/smoke.sh BUILD_DIR   (a build configured with -DAUTHZ_BUILD_BENCH=ON)
set -euo pipefail
build=${1:?build directory}
export AUTHZ_BENCH_SMOKE=1
"$build/bench/authz_bench" --benchmark_min_time=0.01 --benchmark_format=console >"$build/bench-smoke.log" 2>&1 ||
  { cat "$build/bench-smoke.log"; exit 1; }
count=$(grep -c '^BM_' "$build/bench-smoke.log" || true)
"$build/bench/authz_latency" A >/dev/null
"$build/bench/authz_bytes" A >/dev/null
"$build/bench/authz_load" A 1 >/dev/null
replication=""
if [ -x "$build/bench/replication/authz_replication_bench" ] && command -v redis-server >/dev/null; then
  bash "$(dirname "$0")/replication/run.sh" "$build" --smoke >"$build/bench-replication-smoke.log" 2>&1 ||
    { cat "$build/bench-replication-smoke.log"; exit 1; }
  replication=", replication lag and bootstrap ran"
fi
echo "bench: $count benchmarks ran once (smoke-sized datasets), latency, bytes and load tools ran$replication"
