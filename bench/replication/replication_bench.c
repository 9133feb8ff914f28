/*
 * replication_bench.c - what a fleet costs, against a real Redis (bench/replication/run.sh starts
 * one): a leader in this process (the durable write path of `authz serve --data DIR --publish`:
 * apply, journal, fsync with group commit, publish) and N followers (authz_replica, each with its
 * own engine, in this process too: one machine, as the issue asks).
 *
 *   lag URL RATE FOLLOWERS SECONDS   writes at RATE/s from 16 threads (group commit needs writers
 * in flight); for every write, the time from the call on the leader to the moment each follower has
 *                                     applied it. Prints p50, p99, max over all (write, follower).
 *   bootstrap URL DATASET            a leader holding dataset M (~1M grants) publishes its
 *                                     snapshot; a new follower's time to load it from Redis.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "authz.h"
#include "authz/replica.h"
#include "datasets.h"
#include "durable.h"
#include "replica/publish.h"

#define WRITERS 16

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void sleep_until(int64_t t) {
    int64_t d = t - now_ns();
    if (d <= 0) return;
    struct timespec s = {(time_t)(d / 1000000000), (long)(d % 1000000000)};
    nanosleep(&s, NULL);
}

static void quiet(void *ctx, const char *line) { (void)ctx, (void)line; }

typedef struct leader {
    char dir[256];
    const char *stream; /* each run its own stream: a leader owns a stream for good (fencing) */
    authz_engine *e;
    authz_durable *d;
    authz__publisher *p;
} leader;

static void leader_open(leader *l, const char *url, authz_engine *initial) {
    snprintf(l->dir, sizeof l->dir, "/tmp/authz_replbench_XXXXXX");
    if (!mkdtemp(l->dir)) exit(1);
    l->stream = strrchr(l->dir, '/') + 1;
    char warning[256];
    authz_error err = {0};
    if (authz_durable_open(l->dir, initial, 0, &l->e, &l->d, warning, sizeof warning, &err) ||
        authz_durable_compact(l->d, &err) ||
        authz__publisher_start(url, l->stream, l->dir, authz_durable_revision(l->d), 0, &l->p,
                               &err)) {
        fprintf(stderr, "leader: %s\n", err.message);
        exit(1);
    }
    authz_durable_set_publisher(l->d, l->p);
}

static void leader_close(leader *l) {
    authz__publisher_stop(l->p);
    authz_durable_close(l->d);
    authz_engine_free(l->e);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", l->dir);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", l->dir);
}

static uint64_t leader_write(leader *l, uint64_t i) {
    char body[256], *resp = NULL;
    snprintf(body, sizeof body,
             "{\"namespace\":\"default\",\"list\":[{\"targetType\":\"USER\","
             "\"targetIdentifiers\":[\"u%llu\"],"
             "\"resources\":[{\"code\":\"doc%llu\",\"actions\":[\"read\"],\"resourceType\":"
             "\"DATA\"}]}]}",
             (unsigned long long)i, (unsigned long long)(i % 100));
    int code = 0;
    uint64_t rev = 0;
    authz_durable_write_rev(l->d, "authorize_resources", body, strlen(body), 0, &resp, &code, &rev);
    authz_free(resp);
    return code == 200 ? rev : 0;
}

static authz_replica *follower(const char *url, const leader *l, authz_engine **e) {
    authz_replica_options o;
    authz_replica_options_init(&o);
    o.url = url;
    o.stream = l->stream;
    o.log = quiet;
    authz_replica *r;
    authz_error err = {0};
    if (authz_engine_new(NULL, e) || authz_replica_start(*e, &o, &r, &err)) {
        fprintf(stderr, "follower: %s\n", err.message);
        exit(1);
    }
    return r;
}

/* ---- lag ---- */

static _Atomic int64_t *t_write; /* by revision: when its write was called */
static uint64_t max_rev;
static atomic_bool writing;

typedef struct writer_arg {
    leader *l;
    double rate;
    int64_t start, end;
    int id;
} writer_arg;

static void *writer(void *arg) {
    writer_arg *w = arg;
    /* thread `id` takes slots id, id + WRITERS, ... of one schedule at w->rate */
    int64_t period = (int64_t)(1e9 / w->rate), t = w->start + period * w->id;
    for (uint64_t i = (uint64_t)w->id; t < w->end; i += WRITERS, t += period * WRITERS) {
        sleep_until(t);
        int64_t t0 = now_ns();
        uint64_t rev = leader_write(w->l, i);
        if (rev && rev < max_rev) atomic_store(&t_write[rev], t0);
    }
    return NULL;
}

typedef struct watcher_arg {
    authz_replica *r;
    uint64_t from;
    double *lags;
    size_t n;
} watcher_arg;

static void *watcher(void *arg) {
    watcher_arg *w = arg;
    uint64_t next = w->from + 1;
    for (;;) {
        if (authz_replica_wait(w->r, next, 100) != AUTHZ_OK) {
            if (!atomic_load(&writing) && authz_replica_revision(w->r) < next) {
                /* the writers are done: stop once nothing more is coming */
                if (next >= max_rev || !atomic_load(&t_write[next])) break;
            }
            continue;
        }
        int64_t seen = now_ns();
        uint64_t upto = authz_replica_revision(w->r);
        for (; next <= upto && next < max_rev; next++) {
            int64_t t0;
            while (!(t0 = atomic_load(&t_write[next]))) {
                struct timespec s = {0, 20000};
                nanosleep(&s, NULL);
            }
            w->lags[w->n++] = (double)(seen - t0) / 1e6;
        }
        if (next >= max_rev) break;
    }
    return NULL;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int lag(const char *url, double rate, int nf, double seconds) {
    leader l;
    leader_open(&l, url, NULL);
    uint64_t base = authz_durable_revision(l.d);
    max_rev = base + (uint64_t)(rate * seconds * 1.2) + 16;
    t_write = calloc(max_rev, sizeof *t_write);
    authz_engine *fe[64];
    authz_replica *fr[64];
    for (int i = 0; i < nf; i++) {
        fr[i] = follower(url, &l, &fe[i]);
        authz_replica_wait(fr[i], base, -1);
    }
    /* warm: one write seen everywhere */
    uint64_t warm = leader_write(&l, 999999999);
    for (int i = 0; i < nf; i++) authz_replica_wait(fr[i], warm, -1);
    base = warm;
    watcher_arg wa[64];
    pthread_t wt[64], wr[WRITERS];
    size_t cap = max_rev;
    for (int i = 0; i < nf; i++) {
        wa[i] = (watcher_arg){fr[i], base, malloc(cap * sizeof(double)), 0};
        pthread_create(&wt[i], NULL, watcher, &wa[i]);
    }
    atomic_store(&writing, true);
    writer_arg w[WRITERS];
    int64_t start = now_ns() + 20000000, end = start + (int64_t)(seconds * 1e9);
    for (int i = 0; i < WRITERS; i++) {
        w[i] = (writer_arg){&l, rate, start, end, i};
        pthread_create(&wr[i], NULL, writer, &w[i]);
    }
    for (int i = 0; i < WRITERS; i++) pthread_join(wr[i], NULL);
    int64_t wrote_ns = now_ns() - start;
    uint64_t last = authz_durable_revision(l.d);
    atomic_store(&writing, false);
    for (int i = 0; i < nf; i++) pthread_join(wt[i], NULL);
    size_t total = 0;
    for (int i = 0; i < nf; i++) total += wa[i].n;
    double *all = malloc((total ? total : 1) * sizeof *all);
    size_t k = 0;
    for (int i = 0; i < nf; i++) {
        memcpy(all + k, wa[i].lags, wa[i].n * sizeof(double));
        k += wa[i].n;
        free(wa[i].lags);
    }
    qsort(all, total, sizeof *all, cmp);
    uint64_t writes = last - base;
    int diverged = 0;
    for (int i = 0; i < nf; i++) {
        authz_replica_wait(fr[i], last, -1);
        diverged += authz_digest(fe[i]) != authz_digest(l.e);
    }
    printf(
        "lag: %.0f writes/s target, %.0f achieved, %d followers: p50 %.2f ms, p99 %.2f ms, "
        "max %.2f ms (%llu writes, %zu samples, %d divergent)\n",
        rate, (double)writes / ((double)wrote_ns / 1e9), nf, total ? all[total / 2] : 0.0,
        total ? all[(size_t)((double)total * 0.99)] : 0.0, total ? all[total - 1] : 0.0,
        (unsigned long long)writes, total, diverged);
    fflush(stdout);
    free(all);
    for (int i = 0; i < nf; i++) {
        authz_replica_stop(fr[i]);
        authz_engine_free(fe[i]);
    }
    free(t_write);
    leader_close(&l);
    return diverged ? 1 : 0;
}

/* ---- bootstrap ---- */

static int bootstrap(const char *url, char dataset) {
    bench_shape s = bench_shape_of(dataset);
    authz_engine *e;
    int64_t t0 = now_ns();
    if (bench_build(&s, &e) != 0) return 1;
    authz_stats st;
    authz_get_stats(e, &st);
    fprintf(stderr, "built %c in %.1f s\n", dataset, (double)(now_ns() - t0) / 1e9);
    leader l;
    leader_open(&l, url, e);
    uint64_t rev = leader_write(&l, 1);
    authz_error err = {0};
    authz_durable_compact(l.d, &err); /* the snapshot covers `rev` */
    authz__publisher_info pi;
    do {
        usleep(10000);
        authz__publisher_info_get(l.p, &pi);
    } while (pi.snapshot_rev < rev);
    authz_engine *fe;
    int64_t t1 = now_ns();
    authz_replica *r = follower(url, &l, &fe);
    authz_replica_wait(r, rev, -1);
    double secs = (double)(now_ns() - t1) / 1e9;
    int same = authz_digest(fe) == authz_digest(l.e);
    /* for comparison: the same snapshot loaded from the leader's local disk */
    char path[300];
    snprintf(path, sizeof path, "%s/snapshot", l.dir);
    authz_engine *local = NULL;
    int64_t t2 = now_ns();
    authz_load(path, NULL, &local, &err);
    double local_secs = (double)(now_ns() - t2) / 1e9;
    authz_engine_free(local);
    printf(
        "bootstrap: dataset %c (%zu grants): a follower loaded the snapshot from Redis in "
        "%.2f s (authz_load of the same file from disk: %.2f s), digest %s\n",
        dataset, st.grants, secs, local_secs, same ? "equal" : "DIFFERENT");
    authz_replica_stop(r);
    authz_engine_free(fe);
    leader_close(&l);
    return same ? 0 : 1;
}

int main(int argc, char **argv) {
    if (argc >= 6 && !strcmp(argv[1], "lag"))
        return lag(argv[2], atof(argv[3]), atoi(argv[4]), atof(argv[5]));
    if (argc >= 4 && !strcmp(argv[1], "bootstrap")) return bootstrap(argv[2], argv[3][0]);
    fprintf(stderr,
            "usage: authz_replication_bench lag URL RATE FOLLOWERS SECONDS\n"
            "       authz_replication_bench bootstrap URL DATASET\n");
    return 2;
}
