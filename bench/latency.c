/*
 * latency.c - check latency percentiles per dataset: p50, p90, p99, p99.9. One clock read per
 * batch of 64 checks keeps the clock's own cost (~20 ns) out of the figures; each batch gives
 * its mean per-check latency, and percentiles are taken over batches. Each dataset is asked
 * two streams: uniformly random queries, and the Zipf (s = 1.0) stream of bench_queries().
 *   usage: authz_latency [A|M|L ...]   (default: A M)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "datasets.h"

#define BATCH 64
#define BATCHES 20000
#define QUERIES (1u << 16)

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct figures {
    double p50, p90, p99, p999, allowed;
} figures;

/* Percentiles of the per-check latency of one query stream over the engine. */
static figures run_stream(authz_engine *e, const bench_query *q) {
    double *lat = malloc(BATCHES * sizeof *lat);
    size_t k = 0, allowed = 0;
    for (size_t b = 0; b < BATCHES; b++) {
        double start = now_ns();
        for (int i = 0; i < BATCH; i++, k++) {
            const bench_query *x = &q[k % QUERIES];
            bool a;
            authz_check(e, NULL, x->user, x->resource, x->action, &a, NULL);
            allowed += a;
        }
        lat[b] = (now_ns() - start) / BATCH;
    }
    qsort(lat, BATCHES, sizeof *lat, cmp);
    figures f = {lat[BATCHES / 2], lat[BATCHES * 9 / 10], lat[BATCHES * 99 / 100],
                 lat[BATCHES * 999 / 1000], 100.0 * (double)allowed / (double)k};
    free(lat);
    return f;
}

/* Two lines per dataset: the uniform stream (with the build figures) and the Zipf stream. */
static void measure(char name) {
    bench_shape s = bench_shape_of(name);
    authz_engine *e;
    double t0 = now_ns();
    if (bench_build(&s, &e) != 0) {
        fprintf(stderr, "building %c failed\n", name);
        exit(1);
    }
    double built = (now_ns() - t0) / 1e9;
    bench_query *q = bench_queries(&s, e, 99, QUERIES, 0);
    bench_query *z = bench_queries(&s, e, 99, QUERIES, BENCH_ZIPF);
    figures u = run_stream(e, q), f = run_stream(e, z);
    authz_stats st;
    authz_get_stats(e, &st);
    printf(
        "%c: %zu grants, built in %.1f s, %.0f bytes/grant; check p50 %.0f ns, p90 %.0f ns, "
        "p99 %.0f ns, p99.9 %.0f ns (%.0f%% allowed)\n",
        name, st.grants, built, (double)st.bytes / (double)st.grants, u.p50, u.p90, u.p99, u.p999,
        u.allowed);
    printf("%c zipf: check p50 %.0f ns, p90 %.0f ns, p99 %.0f ns, p99.9 %.0f ns (%.0f%% allowed)\n",
           name, f.p50, f.p90, f.p99, f.p999, f.allowed);
    fflush(stdout);
    free(q);
    free(z);
    authz_engine_free(e);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        measure('A');
        measure('M');
    }
    for (int i = 1; i < argc; i++) measure(argv[i][0]);
    return 0;
}
