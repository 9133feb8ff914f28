// shim.cc - the one C++ file of the benchmarks: it registers Google Benchmark cases, each of
// which calls only the C API. Names are stable so results compare across commits:
// BM_check/{A,M,L}, BM_check_zipf/{A,M,L}, BM_check_deny/M, BM_check_allow/M, BM_check_prepared/{A,M},
// BM_check_threads/M, BM_authorize/M, BM_build/M, BM_load/M, BM_user_grants.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "authz.h"
#include "datasets.h"

namespace {

constexpr size_t kQueries = 1 << 16;

struct Dataset {
    bench_shape shape;
    authz_engine *engine = nullptr;
    size_t grants = 0, bytes = 0, rss_growth = 0;
};

// Datasets are built once, on first use, so a filter that skips L never pays for it.
Dataset &dataset(char name) {
    static std::map<char, Dataset> cache;
    static std::mutex lock;
    std::lock_guard<std::mutex> guard(lock);
    Dataset &d = cache[name];
    if (!d.engine) {
        d.shape = bench_shape_of(name);
        size_t before = bench_rss();
        if (bench_build(&d.shape, &d.engine) != 0) {
            std::fprintf(stderr, "building dataset %c failed\n", name);
            std::abort();
        }
        authz_stats st;
        authz_get_stats(d.engine, &st);
        d.grants = st.grants;
        d.bytes = st.bytes;
        d.rss_growth = bench_rss() - before;
    }
    return d;
}

std::vector<bench_query> queries(Dataset &d, uint64_t seed, int filter) {
    bench_query *q = bench_queries(&d.shape, d.engine, seed, kQueries, filter);
    std::vector<bench_query> v(q, q + kQueries);
    std::free(q);
    return v;
}

void report(benchmark::State &state, const Dataset &d) {
    state.counters["checks/s"] = benchmark::Counter(static_cast<double>(state.iterations()),
                                                    benchmark::Counter::kIsRate);
    // Per-dataset figures: averaged over threads, which each report them, rather than summed.
    auto avg = [](double v) { return benchmark::Counter(v, benchmark::Counter::kAvgThreads); };
    state.counters["grants"] = avg(static_cast<double>(d.grants));
    state.counters["bytes/grant"] = avg(static_cast<double>(d.bytes) / static_cast<double>(d.grants));
    state.counters["rss_bytes/grant"] =
        avg(static_cast<double>(d.rss_growth) / static_cast<double>(d.grants));
}

void run_checks(benchmark::State &state, char name, int filter) {
    Dataset &d = dataset(name);
    std::vector<bench_query> q = queries(d, 42 + static_cast<uint64_t>(state.thread_index()), filter);
    size_t i = 0, allowed = 0;
    for (auto _ : state) {
        const bench_query &x = q[i++ & (kQueries - 1)];
        bool a;
        authz_check(d.engine, nullptr, x.user, x.resource, x.action, &a, nullptr);
        allowed += a;
    }
    benchmark::DoNotOptimize(allowed);
    report(state, d);
    state.counters["allowed%"] = benchmark::Counter(
        100.0 * static_cast<double>(allowed) / static_cast<double>(i ? i : 1), benchmark::Counter::kAvgThreads);
}

void BM_check(benchmark::State &state, char name) { run_checks(state, name, 0); }
void BM_check_deny(benchmark::State &state, char name) { run_checks(state, name, -1); }
void BM_check_allow(benchmark::State &state, char name) { run_checks(state, name, 1); }
void BM_check_threads(benchmark::State &state, char name) { run_checks(state, name, 0); }
// Users and resources drawn Zipf (s = 1.0), as gateways see them.
void BM_check_zipf(benchmark::State &state, char name) { run_checks(state, name, BENCH_ZIPF); }

// A gateway prepares one handle per route; requests then vary by user.
void BM_check_prepared(benchmark::State &state, char name) {
    Dataset &d = dataset(name);
    std::vector<bench_query> q = queries(d, 7, 0);
    std::vector<authz_prepared *> routes;
    for (size_t r = 0; r < 64; r++)
        if (authz_prepared *p; authz_prepare(d.engine, nullptr, q[r].resource, q[r].action, &p, nullptr) == AUTHZ_OK)
            routes.push_back(p);
    size_t i = 0, allowed = 0;
    for (auto _ : state) {
        bool a;
        authz_check_prepared(d.engine, routes[i & 63], q[(i * 7919) & (kQueries - 1)].user, &a, nullptr);
        allowed += a;
        i++;
    }
    benchmark::DoNotOptimize(allowed);
    for (authz_prepared *p : routes) authz_free(p);
    report(state, d);
}

void BM_authorize(benchmark::State &state, char name) {
    Dataset &d = dataset(name);
    size_t n = 0;
    char users[10][48], res[10][48];
    const char *ids[10], *act[1] = {"write"};
    authz_grant_resource r[10];
    authz_grant_item items[10];
    for (auto _ : state) {
        for (int k = 0; k < 10; k++, n++) {
            std::snprintf(users[k], sizeof users[k], "user%zu", n % d.shape.users);
            std::snprintf(res[k], sizeof res[k], "new%zu:%zu", n % 997, n);
            ids[k] = users[k];
            r[k] = {res[k], act, 1, AUTHZ_RESOURCE_DATA};
            items[k] = {AUTHZ_TARGET_USER, &ids[k], 1, &r[k], 1};
        }
        authz_authorize(d.engine, nullptr, items, 10, nullptr);
    }
    state.counters["grants/s"] = benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsRate);
}

void BM_build(benchmark::State &state, char name) {
    bench_shape s = bench_shape_of(name);
    size_t grants = 0, bytes = 0, rss = 0;
    for (auto _ : state) {
        size_t before = bench_rss();
        authz_engine *e;
        if (bench_build(&s, &e) != 0) std::abort();
        rss = bench_rss() - before;
        authz_stats st;
        authz_get_stats(e, &st);
        grants = st.grants, bytes = st.bytes;
        authz_engine_free(e);
    }
    state.counters["grants/s"] = benchmark::Counter(static_cast<double>(grants * state.iterations()),
                                                    benchmark::Counter::kIsRate);
    state.counters["bytes/grant"] = static_cast<double>(bytes) / static_cast<double>(grants);
    state.counters["rss_bytes/grant"] = static_cast<double>(rss) / static_cast<double>(grants);
}

void BM_load(benchmark::State &state, char name) {
    Dataset &d = dataset(name);
    std::string path = "/tmp/authz_bench_" + std::string(1, name) + ".snap";
    if (authz_save(d.engine, path.c_str(), nullptr) != AUTHZ_OK) std::abort();
    for (auto _ : state) {
        authz_engine *e;
        if (authz_load(path.c_str(), nullptr, &e, nullptr) != AUTHZ_OK) std::abort();
        authz_engine_free(e);
    }
    std::remove(path.c_str());
    state.counters["grants/s"] = benchmark::Counter(static_cast<double>(d.grants * state.iterations()),
                                                    benchmark::Counter::kIsRate);
}

// get_user_authorized_resources for a user holding 10,000 grants through 10 roles and 10 groups
// (500 each, on 8,000 resource strings, so runs of the same string merge).
void BM_user_grants(benchmark::State &state) {
    authz_engine *e = nullptr;
    if (authz_engine_new(nullptr, &e) != AUTHZ_OK) std::abort();
    const char *acts[] = {"read", "write"};
    std::vector<std::string> res(100);
    std::vector<authz_grant_resource> rs(100);
    for (int p = 0; p < 20; p++) {
        std::string code = (p < 10 ? "role" : "group") + std::to_string(p % 10);
        bool role = p < 10;
        if (role) {
            authz_role_spec spec = {nullptr, code.c_str(), nullptr, nullptr, 0};
            authz_role_create(e, &spec, nullptr, nullptr);
            authz_target t = {AUTHZ_TARGET_USER, "heavy"};
            authz_role_assign(e, nullptr, code.c_str(), &t, 1, nullptr, nullptr);
        } else {
            authz_group_spec spec = {code.c_str(), nullptr, nullptr, nullptr};
            authz_group_create(e, &spec, nullptr, nullptr);
            const char *u[] = {"heavy"};
            authz_group_add_members(e, code.c_str(), u, 1, nullptr);
        }
        const char *id = code.c_str();
        for (int b = 0; b < 5; b++) {
            for (int k = 0; k < 100; k++) {
                res[k] = "doc:" + std::to_string((p * 400 + b * 100 + k) % 8000);
                rs[k] = {res[k].c_str(), acts + (k % 2), 1, AUTHZ_RESOURCE_DATA};
            }
            authz_grant_item it = {role ? AUTHZ_TARGET_ROLE : AUTHZ_TARGET_GROUP, &id, 1, rs.data(), 100};
            if (authz_authorize(e, nullptr, &it, 1, nullptr) != AUTHZ_OK) std::abort();
        }
    }
    size_t merged = 0;
    for (auto _ : state) {
        authz_grant_list *l = nullptr;
        if (authz_user_grants(e, nullptr, "heavy", nullptr, &l, nullptr) != AUTHZ_OK) std::abort();
        merged = l->count;
        authz_free(l);
    }
    state.counters["grants"] = 10000;
    state.counters["merged"] = static_cast<double>(merged);
    authz_engine_free(e);
}

}  // namespace

BENCHMARK(BM_user_grants)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_check, A, 'A');
BENCHMARK_CAPTURE(BM_check, M, 'M');
BENCHMARK_CAPTURE(BM_check, L, 'L');
BENCHMARK_CAPTURE(BM_check_zipf, A, 'A');
BENCHMARK_CAPTURE(BM_check_zipf, M, 'M');
BENCHMARK_CAPTURE(BM_check_zipf, L, 'L');
BENCHMARK_CAPTURE(BM_check_deny, M, 'M');
BENCHMARK_CAPTURE(BM_check_allow, M, 'M');
BENCHMARK_CAPTURE(BM_check_prepared, A, 'A');
BENCHMARK_CAPTURE(BM_check_prepared, M, 'M');
BENCHMARK_CAPTURE(BM_check, M_1thread, 'M')->Threads(1)->UseRealTime();
BENCHMARK_CAPTURE(BM_check_threads, M, 'M')->Threads(2)->UseRealTime();
BENCHMARK_CAPTURE(BM_authorize, M, 'M');
BENCHMARK_CAPTURE(BM_build, M, 'M')->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_load, M, 'M')->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
