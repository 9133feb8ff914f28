#!/usr/bin/env bash
# The fleet's figures (README "Running a fleet"): replication lag p50/p99/max at 1k and 5k
# writes/s with 1, 4 and 8 followers, and a follower's bootstrap from a Redis snapshot of
# dataset M (~1M grants). Starts its own redis-server on a unix socket in a temp dir (AOF on, as
# in production) and stops it by pid.
#   usage: bash bench/replication/run.sh [BUILD_DIR] [--smoke]
# Without BUILD_DIR, a Release build in build/bench-replication. --smoke: one short run each
# (CI: so the benchmark cannot rot), with smoke-sized datasets.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-}
smoke=0
[ "${2:-}" = --smoke ] && smoke=1
if [ -z "$build" ]; then
  build="$root/build/bench-replication"
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DAUTHZ_BUILD_BENCH=ON \
    -DAUTHZ_BUILD_TESTS=OFF >/dev/null
  cmake --build "$build" -j2 --target authz_replication_bench >/dev/null
fi
bin="$build/bench/replication/authz_replication_bench"
work=$(mktemp -d)
redis_pid=
cleanup() {
  [ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null && wait "$redis_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
cat >"$work/redis.conf" <<CONF
port 0
unixsocket $work/redis.sock
dir $work
appendonly yes
appendfsync everysec
save ""
daemonize no
CONF
redis-server "$work/redis.conf" >"$work/redis.log" 2>&1 &
redis_pid=$!
for _ in $(seq 100); do [ -S "$work/redis.sock" ] && break; sleep 0.05; done
url="unix://$work/redis.sock"
echo "# $(date -u +%Y-%m-%d) $(nproc) cores, $(redis-server --version | cut -d' ' -f3)"
if [ "$smoke" = 1 ]; then
  AUTHZ_BENCH_SMOKE=1 "$bin" lag "$url" 200 1 0.3
  AUTHZ_BENCH_SMOKE=1 "$bin" bootstrap "$url" M
  exit 0
fi
for rate in 1000 5000; do
  for n in 1 4 8; do
    "$bin" lag "$url" "$rate" "$n" 5
  done
done
"$bin" bootstrap "$url" M
