/*
 * peers_gen.c - the peer comparison's source of truth. For dataset A (12k rules) or B (its
 * 100k-rule variant) it writes what every peer loads and asks:
 *   OUT/policy.csv   Casbin's native input: "p, roleR, resR, action" and "g, userU, roleR"
 *   OUT/queries.txt  "user resource action expected" with authz's answer as `expected`
 * and prints authz's own figures on the same queries as one JSON line: load time, checks/s,
 * p50 (one clock read per 64 checks), peak resident memory.
 *   usage: authz_peers_gen A|B OUT [QUERIES]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "datasets.h"

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void write_policy(const bench_shape *s, const char *dir) {
    char path[1024];
    snprintf(path, sizeof path, "%s/policy.csv", dir);
    FILE *f = fopen(path, "w");
    if (!f) exit(1);
    for (size_t r = 0; r < s->roles; r++) {
        fprintf(f, "p, role%zu, res%zu, read\n", r, r);
        fprintf(f, "p, role%zu, res%zu, write\n", r, r);
    }
    for (size_t u = 0; u < s->users; u++) fprintf(f, "g, user%zu, role%zu\n", u, u % s->roles);
    fclose(f);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: authz_peers_gen A|B OUT [QUERIES]\n");
        return 2;
    }
    bench_shape s = bench_shape_of(argv[1][0]);
    size_t n = argc > 3 ? (size_t)atol(argv[3]) : 200000;
    double t0 = now_ns();
    authz_engine *e;
    if (bench_build(&s, &e) != 0) return 1;
    double load_ms = (now_ns() - t0) / 1e6;
    bench_query *q = bench_queries(&s, e, 2026, n, 0);
    /* Peers match whole resources; ask about the code, which answers as its instances do. */
    for (size_t i = 0; i < n; i++) *strchr(q[i].resource, ':') = '\0';
    write_policy(&s, argv[2]);
    char path[1024];
    snprintf(path, sizeof path, "%s/queries.txt", argv[2]);
    FILE *f = fopen(path, "w");
    size_t batches = n / 64, allowed = 0;
    double *lat = malloc(batches * sizeof *lat);
    double start = now_ns();
    for (size_t b = 0; b < batches; b++) {
        double t = now_ns();
        for (size_t i = b * 64; i < b * 64 + 64; i++) {
            bool a;
            authz_check(e, NULL, q[i].user, q[i].resource, q[i].action, &a, NULL);
            allowed += a;
        }
        lat[b] = (now_ns() - t) / 64;
    }
    double total = now_ns() - start;
    for (size_t i = 0; i < batches * 64; i++) {
        bool a;
        authz_check(e, NULL, q[i].user, q[i].resource, q[i].action, &a, NULL);
        fprintf(f, "%s %s %s %d\n", q[i].user, q[i].resource, q[i].action, a);
    }
    fclose(f);
    qsort(lat, batches, sizeof *lat, cmp);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("{\"peer\":\"authz (C)\",\"rules\":%zu,\"queries\":%zu,\"allowed\":%zu,\"load_ms\":%.1f,"
           "\"checks_per_s\":%.0f,\"p50_ns\":%.0f,\"peak_rss_mb\":%.1f}\n",
           s.roles * 2 + s.users, batches * 64, allowed, load_ms, (double)(batches * 64) / total * 1e9,
           lat[batches / 2], (double)ru.ru_maxrss / 1024.0);
    free(lat);
    free(q);
    authz_engine_free(e);
    return 0;
}
