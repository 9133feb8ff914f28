/*
 * load.c - snapshot load throughput: the CPU time of authz_load() of a dataset's snapshot.
 *   usage: authz_load [A|M|L] [RUNS] [SNAPSHOT]
 * Builds the dataset (default M), saves it to SNAPSHOT (default a file in /tmp, removed at the
 * end) and loads it RUNS times (default 3). With SNAPSHOT naming an existing file, that file is
 * loaded instead and the build is skipped (so repeated measurements do not rebuild M). Each run
 * reports the process CPU time (user + sys, CLOCK_PROCESS_CPUTIME_ID) of authz_load alone (the
 * engine is freed outside the timed part), then the best run and grants per second. CPU time
 * rather than wall time: on a shared machine it is what another process's load does not move.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "datasets.h"

static double cpu_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double wall_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    char name = argc > 1 ? argv[1][0] : 'M';
    int runs = argc > 2 ? atoi(argv[2]) : 3;
    char tmp[64];
    const char *path = argc > 3 ? argv[3] : NULL;
    int keep = path != NULL;
    if (runs < 1) runs = 1;
    if (!path) {
        snprintf(tmp, sizeof tmp, "/tmp/authz_load_%c_%ld.snap", name, (long)getpid());
        path = tmp;
    }
    if (access(path, R_OK) != 0) {
        bench_shape s = bench_shape_of(name);
        authz_engine *e;
        if (bench_build(&s, &e) != 0) {
            fprintf(stderr, "building %c failed\n", name);
            return 1;
        }
        authz_error err = {0};
        if (authz_save(e, path, &err) != AUTHZ_OK) {
            fprintf(stderr, "saving %s: %s\n", path, err.message);
            return 1;
        }
        authz_engine_free(e);
    }
    double best = 0;
    size_t grants = 0;
    for (int r = 0; r < runs; r++) {
        authz_engine *e;
        authz_error err = {0};
        double c0 = cpu_s(), w0 = wall_s();
        authz_status st = authz_load(path, NULL, &e, &err);
        double cpu = cpu_s() - c0, wall = wall_s() - w0;
        if (st != AUTHZ_OK) {
            fprintf(stderr, "loading %s: %s\n", path, err.message);
            return 1;
        }
        authz_stats stats;
        authz_get_stats(e, &stats);
        grants = stats.grants;
        authz_engine_free(e);
        printf("load %c run %d: %zu grants, CPU %.3f s, wall %.3f s\n", name, r + 1, grants, cpu,
               wall);
        if (r == 0 || cpu < best) best = cpu;
    }
    printf("load %c: %zu grants, best CPU %.3f s of %d runs, %.2fM grants/s\n", name, grants, best,
           runs, (double)grants / best / 1e6);
    if (!keep) remove(path);
    return 0;
}
