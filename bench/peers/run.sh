#!/usr/bin/env bash
# Peers side by side (issue 5): authz, Casbin Go, node-casbin and Cedar (cedar-wasm) on dataset A
# (12k rules) and its 100k-rule variant B, the same queries for all. Installs what it needs
# (apt-get: golang-go, golang-github-casbin-casbin-dev, nodejs, npm; npm ci from the lock file),
# builds authz in Release, and prints one table. Each peer's first 2,000 answers must equal
# authz's before it is timed; a mismatch stops the run. Not part of CI.
#   usage: bash bench/peers/run.sh [QUERIES]     (default 200000 queries per dataset)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work="$here/work"
n=${1:-200000}

need=()
command -v go >/dev/null || need+=(golang-go)
[ -d /usr/share/gocode/src/github.com/casbin/casbin ] || need+=(golang-github-casbin-casbin-dev)
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
dpkg -s libbenchmark-dev >/dev/null 2>&1 || need+=(libbenchmark-dev)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
[ -d "$here/node_modules/casbin" ] || (cd "$here" && npm ci --no-audit --no-fund)

# authz: a Release build with the benchmark tools.
build="$root/build/peers"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DAUTHZ_BUILD_BENCH=ON \
  -DAUTHZ_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j2 --target authz_peers_gen >/dev/null

# Casbin Go, offline: Debian's sources in GOPATH mode; casbin's own imports say .../v2, which a
# symlink in a private GOPATH resolves to the Debian tree.
mkdir -p "$work/gopath/src/github.com/casbin/casbin"
ln -sfn /usr/share/gocode/src/github.com/casbin/casbin "$work/gopath/src/github.com/casbin/casbin/v2"
(cd "$here" && GO111MODULE=off GOFLAGS= GOPATH="$work/gopath:/usr/share/gocode" \
  GOCACHE="$work/gocache" go build -o "$work/casbin-go" ./casbin-go)

results="$work/results.jsonl"
: >"$results"
for ds in A B; do
  mkdir -p "$work/$ds"
  "$build/bench/authz_peers_gen" "$ds" "$work/$ds" "$n" | sed "s/^{/{\"dataset\":\"$ds\",/" >>"$results"
  "$work/casbin-go" "$work/$ds" | sed "s/^{/{\"dataset\":\"$ds\",/" >>"$results"
  for p in casbin cedar; do
    node "$here/run.js" "$work/$ds" "$p" | sed "s/^{/{\"dataset\":\"$ds\",/" >>"$results"
  done
done

node -e '
const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
const base = {};
for (const r of rows) if (r.peer.startsWith("authz")) base[r.dataset] = r.checks_per_s;
console.log("| dataset | rules | peer | checks/s | p50 | load | peak RSS | authz is ×faster |");
console.log("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |");
for (const r of rows)
  console.log(`| ${r.dataset} | ${r.rules} | ${r.peer} | ${Math.round(r.checks_per_s).toLocaleString("en")} | ` +
    `${r.p50_ns < 1e4 ? Math.round(r.p50_ns) + " ns" : (r.p50_ns / 1e6).toFixed(2) + " ms"} | ` +
    `${r.load_ms.toFixed(1)} ms | ${r.peak_rss_mb.toFixed(1)} MB | ` +
    `${(base[r.dataset] / r.checks_per_s).toFixed(1)} |`);
' "$results"
