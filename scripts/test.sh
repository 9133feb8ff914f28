#!/usr/bin/env bash
# The whole test suite, exactly as CI runs it (.ci/run calls this). It installs what it needs,
# then runs every regime of TESTING.md that the tree has, each printing its one-line figure:
#   1. gcc Debug with AddressSanitizer + UndefinedBehaviorSanitizer (+ LeakSanitizer): all of ctest
#   2. clang with -Werror: the whole tree, every optional part on
#   3. clang ThreadSanitizer: the concurrency test
#   4. cmake --install, then a consumer project with find_package(authz) and pkg-config
#   5. benchmarks built and run once with a tiny iteration count (so they cannot rot)
#   6. every libFuzzer harness for AUTHZ_FUZZ_SECONDS (default 60) each
#   7. clang-format --dry-run -Werror over the C sources
# AUTHZ_TEST_LONG=1 multiplies seeds and fuzz time.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
jobs=${AUTHZ_JOBS:-2}
fuzz_seconds=${AUTHZ_FUZZ_SECONDS:-60}
[ "${AUTHZ_TEST_LONG:-0}" = 1 ] && fuzz_seconds=$((fuzz_seconds * 10))

bash scripts/setup.sh

step() { printf '\n=== %s\n' "$*"; }
have() { [ -f "$root/$1" ]; }

step "1. gcc Debug, ASan + UBSan + LSan, every ctest test"
cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=gcc \
  -DAUTHZ_SANITIZE="address;undefined" >/dev/null
build() { # dir log: a failed build prints its log and stops the run
  cmake --build "$1" -j"$jobs" >"$2" 2>&1 || { cat "$2"; echo "build failed: $1"; exit 1; }
}
build build/asan build/gcc-build.log
gcc_warnings=$(grep -c 'warning:' build/gcc-build.log || true)
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build/asan --output-on-failure -j"$jobs" | tee build/asan-ctest.log
passed=$(grep -Eo '[0-9]+% tests passed, [0-9]+ tests failed out of [0-9]+' build/asan-ctest.log || true)
# ctest keeps passing tests' output in its log; each regime's one-line figure comes from there.
figures=( # one pattern a line: the regimes' one-line figures
  'allocation failure points'
  '^differential: [0-9]'
  '^differential directory: '
  '^differential, user index'
  '^limits: '
  '^snapshot: '
  '^ioerr: '
  '^journal: '
  '^group commit'
  '^load: '
  '^churn: '
  '^intern: '
  '^tsan: '
  '^scenarios: '
  '^organizations: '
  '^sdk: '
  '^signatures: '
  '^conformance: '
  '  FAIL test/'
  '^http: '
  'acknowledged writes'
  '^replica: '
  '^replication: '
  '^min-revision: '
  '^replication faults: '
  '^gateway: '
  '^stalled writer: '
  '^keys: '
  '^python: '
  '^python_install: '
  '^lua: '
  '^docs: '
)
grep -hE "$(IFS="|"; echo "${figures[*]}")" \
  build/asan/Testing/Temporary/LastTest.log || true
echo "asan+ubsan: $passed"

step "2. clang -Werror, everything on"
bench_flag=OFF
have bench/CMakeLists.txt && bench_flag=ON
cmake -S . -B build/clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
  -DCMAKE_CXX_COMPILER=clang++ -DAUTHZ_BUILD_BENCH=$bench_flag >/dev/null
build build/clang build/clang-build.log
echo "gcc: $gcc_warnings warnings, clang: $(grep -c 'warning:' build/clang-build.log || true) warnings"

step "3. clang ThreadSanitizer: the threaded tests"
cmake -S . -B build/tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
  -DAUTHZ_SANITIZE=thread >/dev/null
for t in test_threads test_concurrency test_replica; do
  have "tests/$t.c" || continue
  cmake --build build/tsan -j"$jobs" --target "$t" >build/tsan-build.log 2>&1 ||
    { cat build/tsan-build.log; exit 1; }
  TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" "build/tsan/tests/$t"
done
# The forward endpoint's decision log has a writer thread of its own.
if have tests/gateway/test_forward.c; then
  cmake --build build/tsan -j"$jobs" --target test_forward >build/tsan-build.log 2>&1 ||
    { cat build/tsan-build.log; exit 1; }
  TSAN_OPTIONS="halt_on_error=1" build/tsan/tests/gateway/test_forward >/dev/null &&
    echo "tsan: forward endpoint and decision log clean"
fi
# The server under TSan: a report stops it, and the HTTP test (concurrent clients) then fails.
if have src/http/CMakeLists.txt; then
  cmake --build build/tsan -j"$jobs" --target authz >build/tsan-build.log 2>&1 ||
    { cat build/tsan-build.log; exit 1; }
  TSAN_OPTIONS="halt_on_error=1" python3 tests/sdk/http_test.py build/tsan/src/cli/authz |
    sed 's/^http:/tsan server: http/'
  # The publishing and replication threads of a leader and two followers, over real Redis.
  if have tests/replication/min_revision_test.py; then
    TSAN_OPTIONS="halt_on_error=1" python3 tests/replication/min_revision_test.py \
      build/tsan/src/cli/authz | sed 's/^min-revision:/tsan fleet: min-revision:/'
  fi
fi

step "4. install, then find_package(authz) and pkg-config from a consumer"
if have tests/consumer/run.sh; then
  bash tests/consumer/run.sh
else
  echo "consumer: no consumer project in this tree"
fi

step "5. benchmarks, built and run once"
if [ "$bench_flag" = ON ] && have bench/smoke.sh; then
  bash bench/smoke.sh build/clang
else
  echo "bench: no benchmark smoke run in this tree"
fi

step "6. libFuzzer harnesses, ${fuzz_seconds}s each"
if have fuzz/CMakeLists.txt; then
  cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
    -DCMAKE_CXX_COMPILER=clang++ -DAUTHZ_BUILD_FUZZ=ON -DAUTHZ_BUILD_TESTS=OFF >/dev/null
  build build/fuzz build/fuzz-build.log
  for h in build/fuzz/fuzz/fuzz_*; do
    [ -x "$h" ] || continue
    name=$(basename "$h")
    corpus="fuzz/corpus/${name#fuzz_}"
    work=$(mktemp -d)
    [ -d "$corpus" ] && cp -r "$corpus"/. "$work"/
    "$h" -max_total_time="$fuzz_seconds" -rss_limit_mb=2048 -print_final_stats=1 "$work" \
      >build/"$name".log 2>&1 || { tail -50 build/"$name".log; echo "$name: CRASH"; exit 1; }
    runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' build/"$name".log | grep -Eo '[0-9]+$' || echo "?")
    echo "$name: ${fuzz_seconds} s, $runs runs, 0 crashes"
    rm -rf "$work"
  done
else
  echo "fuzz: no harnesses in this tree"
fi

step "7. clang-format"
if have .clang-format; then
  git ls-files 'src/*.c' 'src/*.h' 'include/*.h' 'src/**/*.c' 'src/**/*.h' | sort -u \
    | xargs clang-format --dry-run -Werror
  echo "clang-format: clean"
fi

step "summary"
echo "asan+ubsan: $passed"
