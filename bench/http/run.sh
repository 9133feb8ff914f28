#!/usr/bin/env bash
# HTTP throughput of /api/v3/is-action-allowed with wrk (keep-alive, loopback). The server
# runs with --no-auth: a signed request carries a fresh nonce and date each time, which wrk's
# fixed request cannot; signing costs one HMAC-SHA1 per request on top of this figure.
#   usage: bash bench/http/run.sh [seconds]   (prints requests/s and latency percentiles)
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/setup.sh >/dev/null
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DAUTHZ_BUILD_TESTS=OFF >/dev/null
cmake --build build/release -j2 >/dev/null
out=$(mktemp)
build/release/src/cli/authz serve --no-auth --port 0 --threads 2 --load examples/gateway.jsonl >"$out" 2>/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null; rm -f "$out" "$out.lua"' EXIT
for _ in $(seq 50); do grep -q listening "$out" && break; sleep 0.1; done
url=$(grep -o 'http://[^ ]*' "$out")
cat >"$out.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"namespace":"gateway","userId":"bob","resource":"invoices:7","action":"POST"}'
LUA
wrk -t2 -c32 -d"${1:-10}"s --latency -s "$out.lua" "$url/api/v3/is-action-allowed" |
  grep -E 'Requests/sec|50%|99%|Latency'
