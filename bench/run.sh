#!/usr/bin/env bash
# The full benchmarks: a Release build, every Google Benchmark case (JSON results in
# bench/results/), and the latency percentiles of A, M and L. L needs ~3 GB and a few minutes.
#   usage: bash bench/run.sh [benchmark filter regex]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release -DAUTHZ_BUILD_BENCH=ON -DAUTHZ_BUILD_TESTS=OFF >/dev/null
cmake --build build/bench -j2 >/dev/null
mkdir -p bench/results
stamp=$(date -u +%Y%m%dT%H%M%SZ)
build/bench/bench/authz_bench --benchmark_filter="${1:-.}" --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true --benchmark_out="bench/results/$stamp.json" \
  --benchmark_out_format=json
build/bench/bench/authz_latency A M L | tee bench/results/latency.txt
build/bench/bench/authz_bytes M | tee bench/results/bytes.txt
echo "plots: bash bench/plot.sh bench/results/latency.txt"
