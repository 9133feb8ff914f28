/*
 * test_replica.c - the replica library (include/authz/replica.h) over a fake transport: a
 * bootstrap from a chunked snapshot and then the stream; a gap and a trimmed stream answered by a
 * snapshot reload; a record, a descriptor and a chunk that do not verify are refused and nothing
 * after them is applied until a snapshot past them; Redis going away and coming back (reachable
 * flag, reconnect count, no record lost); the wait with its timeout; a data directory that serves
 * the last state while Redis is away; the engine swap under ENOMEM; and the wire decoders.
 * Each check compares digests with a leader engine that took the same writes.
 * Prints: "replica: N scenarios, M records applied, K snapshot loads, R refusals, 0 divergent".
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

#include <cmocka.h>

#include "access/authz_debug.h"
#include "authz.h"
#include "authz_json.h"
#include "counting_alloc.h"
#include "replica/replica_internal.h"
#include "store/journal.h"
#include "store/snapshot.h"

/* ---- the fake transport: keys and one stream in memory ---- */

#define MAXK 256
#define MAXE 4096

typedef struct fake {
    pthread_mutex_t mu;
    char *keys[MAXK];
    unsigned char *vals[MAXK];
    size_t lens[MAXK];
    size_t nkeys;
    char ids[MAXE][48];
    unsigned char *data[MAXE];
    size_t dlen[MAXE];
    size_t first, n; /* entries first .. n-1 are live (XTRIM moves first) */
    bool down;
    int connects;
} fake;

static fake *fake_new(void) {
    fake *f = calloc(1, sizeof *f);
    pthread_mutex_init(&f->mu, NULL);
    return f;
}

static void fake_set(fake *f, const char *key, const unsigned char *v, size_t len) {
    pthread_mutex_lock(&f->mu);
    size_t i = 0;
    while (i < f->nkeys && strcmp(f->keys[i], key) != 0) i++;
    if (i == f->nkeys) f->keys[f->nkeys++] = strdup(key);
    free(f->vals[i]);
    f->vals[i] = malloc(len ? len : 1);
    memcpy(f->vals[i], v, len);
    f->lens[i] = len;
    pthread_mutex_unlock(&f->mu);
}

static void fake_add(fake *f, const char *id, const unsigned char *d, size_t len) {
    pthread_mutex_lock(&f->mu);
    assert_true(f->n < MAXE);
    snprintf(f->ids[f->n], sizeof f->ids[0], "%s", id);
    f->data[f->n] = d ? malloc(len ? len : 1) : NULL;
    if (d) memcpy(f->data[f->n], d, len);
    f->dlen[f->n++] = len;
    pthread_mutex_unlock(&f->mu);
}

static void fake_trim_all(fake *f) {
    pthread_mutex_lock(&f->mu);
    f->first = f->n;
    pthread_mutex_unlock(&f->mu);
}

static void fake_down(fake *f, bool down) {
    pthread_mutex_lock(&f->mu);
    f->down = down;
    pthread_mutex_unlock(&f->mu);
}

static int f_connect(void *ctx, char *why, size_t n) {
    fake *f = ctx;
    pthread_mutex_lock(&f->mu);
    int rc = f->down ? -1 : 0;
    if (!rc) f->connects++;
    pthread_mutex_unlock(&f->mu);
    if (rc) snprintf(why, n, "fake Redis is down");
    return rc;
}

static void f_close(void *ctx) { (void)ctx; }

static int f_get(void *ctx, const char *key, unsigned char **val, size_t *len, char *why,
                 size_t n) {
    fake *f = ctx;
    *val = NULL;
    pthread_mutex_lock(&f->mu);
    int rc = 0;
    if (f->down) {
        rc = -1;
        snprintf(why, n, "fake Redis went away");
    } else {
        for (size_t i = 0; i < f->nkeys; i++)
            if (!strcmp(f->keys[i], key) && f->vals[i]) {
                *val = malloc(f->lens[i] ? f->lens[i] : 1);
                memcpy(*val, f->vals[i], f->lens[i]);
                *len = f->lens[i];
            }
    }
    pthread_mutex_unlock(&f->mu);
    return rc;
}

static uint64_t id_rev(const char *id) {
    uint64_t r;
    return authz__entry_id_parse(id, &r) ? r : UINT64_MAX;
}

static int f_read(void *ctx, const char *key, uint64_t after, int block_ms, authz__rt_entry *out,
                  int max, int *count, char *why, size_t n) {
    fake *f = ctx;
    (void)key;
    *count = 0;
    pthread_mutex_lock(&f->mu);
    if (f->down) {
        pthread_mutex_unlock(&f->mu);
        snprintf(why, n, "fake Redis went away");
        return -1;
    }
    for (size_t i = f->first; i < f->n && *count < max; i++) {
        if (id_rev(f->ids[i]) <= after) continue;
        authz__rt_entry *e = &out[(*count)++];
        snprintf(e->id, sizeof e->id, "%s", f->ids[i]);
        e->data = f->data[i] ? malloc(f->dlen[i] ? f->dlen[i] : 1) : NULL;
        if (e->data) memcpy(e->data, f->data[i], f->dlen[i]);
        e->len = f->dlen[i];
    }
    pthread_mutex_unlock(&f->mu);
    if (*count == 0) {
        struct timespec t = {0, (long)(block_ms < 20 ? block_ms : 20) * 1000000L};
        nanosleep(&t, NULL);
    }
    return 0;
}

static int f_bounds(void *ctx, const char *key, uint64_t *first, uint64_t *last, char *why,
                    size_t n) {
    fake *f = ctx;
    (void)key;
    pthread_mutex_lock(&f->mu);
    int rc = f->down ? -1 : 0;
    *first = f->first < f->n ? id_rev(f->ids[f->first]) : 0;
    *last = f->first < f->n ? id_rev(f->ids[f->n - 1]) : 0;
    pthread_mutex_unlock(&f->mu);
    if (rc) snprintf(why, n, "fake Redis went away");
    return rc;
}

static void f_destroy(void *ctx) {
    fake *f = ctx;
    for (size_t i = 0; i < f->nkeys; i++) free(f->keys[i]), free(f->vals[i]);
    for (size_t i = 0; i < f->n; i++) free(f->data[i]);
    pthread_mutex_destroy(&f->mu);
    free(f);
}

/* The replica owns the fake once started; tests keep a second reference that stays valid until
 * the replica stops. */
static const authz__transport_ops fake_ops = {f_connect, f_close, f_get, f_read, f_bounds, NULL};

/* ---- a leader: an engine, its records and snapshots into the fake ---- */

typedef struct leader {
    authz_engine *e;
    uint64_t rev;
    fake *f;
} leader;

static long total_applied, total_snapshots, total_refusals, scenarios;

static void leader_write(leader *l, const char *method, const char *params) {
    char *resp = NULL;
    int code = 0;
    assert_int_equal(AUTHZ_OK, authz_call_json_ex(l->e, method, params, strlen(params),
                                                  AUTHZ_LANG_EN, 0, &resp, &code));
    assert_int_equal(200, code);
    authz_free(resp);
    char rec[1024];
    snprintf(rec, sizeof rec, "{\"method\":\"%s\",\"params\":%s}", method, params);
    size_t len = strlen(rec);
    unsigned char framed[1100];
    l->rev++;
    authz__journal_record_encode(framed, l->rev, rec, len);
    char id[48];
    snprintf(id, sizeof id, "%llu-1", (unsigned long long)l->rev);
    fake_add(l->f, id, framed, authz__journal_record_size(len));
}

static void grant(leader *l, int i) {
    char p[512];
    snprintf(p, sizeof p,
             "{\"namespace\":\"default\",\"list\":[{\"targetType\":\"USER\",\"targetIdentifiers\":[\"u%d\"],"
             "\"resources\":[{\"code\":\"doc%d\",\"actions\":[\"read\"],\"resourceType\":"
             "\"DATA\"}]}]}",
             i, i % 5);
    leader_write(l, "authorize_resources", p);
}

static unsigned char *snapshot_bytes(const authz_engine *e, uint64_t rev, size_t *n) {
    char path[] = "/tmp/authz_replica_snapXXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    authz_error err = {0};
    assert_int_equal(AUTHZ_OK, authz__save_seq(e, path, rev, &err));
    FILE *f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *d = malloc(*n);
    assert_int_equal(*n, fread(d, 1, *n, f));
    fclose(f);
    unlink(path);
    return d;
}

/* Publishes the leader's snapshot in chunks of `chunk` bytes (to exercise many chunks). */
static void leader_snapshot(leader *l, uint32_t chunk) {
    size_t n;
    unsigned char *d = snapshot_bytes(l->e, l->rev, &n);
    authz__snapdesc desc = {.rev = l->rev,
                            .total = n,
                            .chunk_size = chunk,
                            .count = (uint32_t)((n + chunk - 1) / chunk)};
    desc.sum = XXH3_64bits(d, n);
    unsigned char *buf = malloc(AUTHZ__CHUNK_HEAD + chunk + AUTHZ__CHUNK_TAIL);
    for (uint32_t i = 0; i < desc.count; i++) {
        size_t off = (size_t)i * chunk;
        uint32_t len = (uint32_t)(n - off < chunk ? n - off : chunk);
        authz__chunk_encode(buf, l->rev, i, desc.count, d + off, len);
        char key[128];
        snprintf(key, sizeof key, "authz:snap:%llu:%u", (unsigned long long)l->rev, i);
        fake_set(l->f, key, buf, AUTHZ__CHUNK_HEAD + len + AUTHZ__CHUNK_TAIL);
    }
    unsigned char db[AUTHZ__SNAPDESC_SIZE];
    authz__snapdesc_encode(db, &desc);
    fake_set(l->f, "authz:snap", db, sizeof db);
    free(buf);
    free(d);
}

static leader leader_new(void) {
    leader l = {0};
    assert_int_equal(AUTHZ_OK, authz_engine_new(NULL, &l.e));
    l.f = fake_new();
    return l;
}

static char log_lines[8192];
static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;

static void log_line(void *ctx, const char *line) {
    (void)ctx;
    pthread_mutex_lock(&log_mu);
    size_t n = strlen(log_lines);
    if (n + strlen(line) + 2 < sizeof log_lines) {
        strcat(log_lines, line);
        strcat(log_lines, "\n");
    }
    pthread_mutex_unlock(&log_mu);
}

static authz_replica *follow(authz_engine *e, fake *f, const char *dir) {
    authz_replica_options o;
    authz_replica_options_init(&o);
    o.block_ms = 20;
    o.backoff_min_ms = 5;
    o.backoff_max_ms = 20;
    o.data_dir = dir;
    o.log = log_line;
    authz_replica *r = NULL;
    authz_error err = {0};
    assert_int_equal(AUTHZ_OK, authz__replica_start_with(e, &o, &fake_ops, f, &r, &err));
    return r;
}

static void stop(authz_replica *r) {
    authz_replica_status st;
    authz_replica_info(r, &st);
    total_applied += (long)st.records_applied;
    total_snapshots += (long)st.snapshot_loads;
    total_refusals += (long)st.refused;
    authz_replica_stop(r);
}

static void same(const leader *l, authz_engine *e) {
    assert_int_equal(authz_digest(l->e), authz_digest(e));
}

/* Waits (without a deadline the test depends on: a hang is ctest's timeout) until the replica
 * reports `pred`. */
static authz_replica_status until(authz_replica *r, bool (*pred)(const authz_replica_status *)) {
    authz_replica_status st;
    for (;;) {
        authz_replica_info(r, &st);
        if (pred(&st)) return st;
        struct timespec t = {0, 2000000};
        nanosleep(&t, NULL);
    }
}

static bool is_stalled(const authz_replica_status *s) { return s->stalled; }
static bool is_down(const authz_replica_status *s) { return !s->redis_reachable && s->error[0]; }

/* ---- scenarios ---- */

static void bootstrap_then_tail(void **state) {
    (void)state;
    leader l = leader_new();
    for (int i = 0; i < 20; i++) grant(&l, i);
    leader_snapshot(&l, 64); /* many small chunks */
    for (int i = 20; i < 40; i++) grant(&l, i);
    authz_engine *e;
    assert_int_equal(AUTHZ_OK, authz_engine_new(NULL, &e));
    authz_replica *r = follow(e, l.f, NULL);
    assert_int_equal(AUTHZ_OK, authz_replica_wait(r, l.rev, -1));
    same(&l, e);
    authz_replica_status st;
    authz_replica_info(r, &st);
    assert_int_equal(1, st.snapshot_loads);
    assert_int_equal(20, st.records_applied); /* incrementally, never a full reload */
    /* more writes while it runs */
    for (int i = 40; i < 200; i++) grant(&l, i);
    assert_int_equal(AUTHZ_OK, authz_replica_wait(r, l.rev, -1));
    same(&l, e);
    assert_int_equal(l.rev, authz_replica_revision(r));
    stop(r);
    authz_engine_free(e);
    authz_engine_free(l.e);
    f_destroy(l.f);
    scenarios++;
}

static void gap_and_trim_reload_the_snapshot(void **state) {
    (void)state;
    leader l = leader_new();
    for (int i = 0; i < 10; i++) grant(&l, i);
    authz_engine *e;
    assert_int_equal(AUTHZ_OK, authz_engine_new(NULL, &e));
    authz_replica *r = follow(e, l.f, NULL); /* no snapshot: the stream starts at 1 */
    assert_int_equal(AUTHZ_OK, authz_replica_wait(r, 10, -1));
    same(&l, e);
    /* The stream is trimmed past the follower and entries 11..30 vanish: a gap. */
    fake_trim_all(l.f);
    for (int i = 10; i < 30; i++) grant(&l, i);
    fake_trim_all(l.f);
    leader_snapshot(&l, 100);
    for (int i = 30; i < 35; i++) grant(&l, i);
    assert_int_equal(AUTHZ_OK, authz_replica_wait(r, l.rev, -1));
    same(&l, e);
    /* Trimmed with nothing after: the follower still finds the snapshot ahead of it. */
    for (int i = 35; i < 50; i++) grant(&l, i);
    fake_trim_all(l.f);
    leader_snapshot(&l, 4096);
    assert_int_equal(AUTHZ_OK, authz_replica_wait(r, l.rev, -1));
    same(&l, e);
    authz_replica_status st;
    authz_replica_info(r, &st);
    assert_int_equal(2, st.snapshot_loads);
    stop(r);
    authz_engine_free(e);
    authz_engine_free(l.e);
    f_destroy(l.f);
    scenarios++;
}

static void a_bad_record_stops_the_follower_until_a_snapshot(void **state) {
    (void)state;
    leader l = leader_new();
    for (int i = 0; i < 5; i++) grant(&l, i);
    authz_engine *e;
    assert_int_equal(AUTHZ_OK, authz_engine_new(NULL, &e));
    authz_replica *r = follow(e, l.f, NULL);
    assert_int_equal(AUTHZ_OK, authz_replica_wait(r, 5, -1));
    /* Revision 6 arrives with a flipped bit; 7 and 8 are fine but come after it. */
    grant(&l, 5);
    pthread_mutex_lock(&l.f->mu);
    l.f->data[l.f->n - 1][20] ^= 1;
    pthread_mutex_unlock(&l.f->mu);
    grant(&l, 6);
    grant(&l, 7);
    authz_replica_status st = until(r, is_stalled);
    assert_int_equal(5, st.revision);
    assert_non_null(strstr(st.error, "6-1"));
    assert_non_null(strstr(st.error, "checksum"));
    assert_int_equal(AUTHZ_ETIMEDOUT, authz_replica_wait(r, 6, 30));
    assert_int_equal(5, authz_replica_revision(r));
    /* A snapshot past the bad record heals it. */
    leader_snapshot(&l, 256);
    assert_int_equal(AUTHZ_OK, authz_replica_wait(r, 8, -1));
    same(&l, e);
    authz_replica_info(r, &st);
    assert_false(st.stalled);
    assert_int_equal(1, st.refused);
    /* An entry that is not a record at all, then one whose record carries another revision. */
    fake_add(l.f, "9-1", NULL, 0);
    st = until(r, is_stalled);
    assert_non_null(strstr(st.error, "has no record"));
    stop(r);
    authz_engine_free(e);
    authz_engine_free(l.e);
    f_destroy(l.f);
    scenarios++;
}

static void a_bad_chunk_or_descriptor_is_refused(void **state) {
    (void)state;
    leader l = leader_new();
    for (int i = 0; i < 30; i++) grant(&l, i);
    leader_snapshot(&l, 128);
    /* chunk 2 damaged */
    pthread_mutex_lock(&l.f->mu);
    for (size_t i = 0; i < l.f->nkeys; i++)
        if (!strcmp(l.f->keys[i], "authz:snap:30:2")) l.f->vals[i][40] ^= 0x40;
    pthread_mutex_unlock(&l.f->mu);
    authz_engine *e;
    assert_int_equal(AUTHZ_OK, authz_engine_new(NULL, &e));
    uint64_t empty = authz_digest(e);
    authz_replica *r = follow(e, l.f, NULL);
    authz_replica_status st = until(r, is_stalled);
    assert_non_null(strstr(st.error, "chunk 2"));
    assert_int_equal(0, st.revision);
    assert_int_equal(empty, authz_digest(e)); /* nothing loaded */
    /* A whole new snapshot fixes it. */
    grant(&l, 31);
    leader_snapshot(&l, 128);
    assert_int_equal(AUTHZ_OK, authz_replica_wait(r, l.rev, -1));
    same(&l, e);
    /* A damaged descriptor is refused too. */
    unsigned char junk[AUTHZ__SNAPDESC_SIZE] = "AZSD";
    fake_set(l.f, "authz:snap", junk, sizeof junk);
    fake_trim_all(l.f);
    grant(&l, 32);
    fake_trim_all(l.f);
    st = until(r, is_stalled);
    assert_non_null(strstr(st.error, "descriptor"));
    stop(r);
    authz_engine_free(e);
    authz_engine_free(l.e);
    f_destroy(l.f);
    scenarios++;
}

static void redis_away_and_back(void **state) {
    (void)state;
    leader l = leader_new();
    for (int i = 0; i < 5; i++) grant(&l, i);
    authz_engine *e;
    assert_int_equal(AUTHZ_OK, authz_engine_new(NULL, &e));
    authz_replica *r = follow(e, l.f, NULL);
    assert_int_equal(AUTHZ_OK, authz_replica_wait(r, 5, -1));
    fake_down(l.f, true);
    authz_replica_status st = until(r, is_down);
    assert_false(st.redis_reachable);
    /* still answering from the last state */
    same(&l, e);
    for (int i = 5; i < 25; i++) grant(&l, i);
    fake_down(l.f, false);
    assert_int_equal(AUTHZ_OK, authz_replica_wait(r, l.rev, -1));
    same(&l, e);
    authz_replica_info(r, &st);
    assert_true(st.redis_reachable);
    assert_true(st.reconnects >= 1);
    assert_int_equal(25, st.records_applied);
    stop(r);
    authz_engine_free(e);
    authz_engine_free(l.e);
    f_destroy(l.f);
    scenarios++;
}

static void a_data_dir_serves_while_redis_is_away(void **state) {
    (void)state;
    char dir[] = "/tmp/authz_replica_dirXXXXXX";
    assert_non_null(mkdtemp(dir));
    leader l = leader_new();
    for (int i = 0; i < 10; i++) grant(&l, i);
    leader_snapshot(&l, 512);
    for (int i = 10; i < 30; i++) grant(&l, i);
    authz_engine *e;
    assert_int_equal(AUTHZ_OK, authz_engine_new(NULL, &e));
    authz_replica *r = follow(e, l.f, dir);
    assert_int_equal(AUTHZ_OK, authz_replica_wait(r, l.rev, -1));
    stop(r);
    authz_engine_free(e);
    /* A restart with Redis down: the state on disk, at once. */
    fake *down = fake_new();
    down->down = true;
    assert_int_equal(AUTHZ_OK, authz_engine_new(NULL, &e));
    r = follow(e, down, dir);
    assert_int_equal(30, authz_replica_revision(r));
    same(&l, e);
    stop(r);
    f_destroy(down);
    authz_engine_free(e);
    /* And with Redis back, it goes on from there (no snapshot load needed). */
    for (int i = 30; i < 40; i++) grant(&l, i);
    assert_int_equal(AUTHZ_OK, authz_engine_new(NULL, &e));
    r = follow(e, l.f, dir);
    assert_int_equal(AUTHZ_OK, authz_replica_wait(r, l.rev, -1));
    same(&l, e);
    authz_replica_status st;
    authz_replica_info(r, &st);
    assert_int_equal(0, st.snapshot_loads);
    assert_int_equal(10, st.records_applied);
    stop(r);
    authz_engine_free(e);
    authz_engine_free(l.e);
    f_destroy(l.f);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(0, system(cmd));
    scenarios++;
}

static void waits_and_stop(void **state) {
    (void)state;
    leader l = leader_new();
    authz_engine *e;
    assert_int_equal(AUTHZ_OK, authz_engine_new(NULL, &e));
    authz_replica *r = follow(e, l.f, NULL);
    assert_int_equal(AUTHZ_OK, authz_replica_wait(r, 0, 0));
    assert_int_equal(AUTHZ_ETIMEDOUT, authz_replica_wait(r, 1, 0));
    assert_int_equal(AUTHZ_ETIMEDOUT, authz_replica_wait(r, 1, 10));
    grant(&l, 1);
    assert_int_equal(AUTHZ_OK, authz_replica_wait(r, 1, -1));
    stop(r);
    authz_replica_stop(NULL);
    authz_engine_free(e);
    authz_engine_free(l.e);
    f_destroy(l.f);
    /* a bad URL is EINVAL, nothing started */
    assert_int_equal(AUTHZ_OK, authz_engine_new(NULL, &e));
    authz_replica_options o;
    authz_replica_options_init(&o);
    authz_error err = {0};
    o.url = "http://example";
    assert_int_equal(AUTHZ_EINVAL, authz_replica_start(e, &o, &r, &err));
    assert_null(r);
    o.url = "redis://127.0.0.1:99999";
    assert_int_equal(AUTHZ_EINVAL, authz_replica_start(e, &o, &r, &err));
    authz_engine_free(e);
    scenarios++;
}

/* authz__load_into: every allocation failure leaves the engine exactly as it was. */
static void a_snapshot_load_is_all_or_nothing(void **state) {
    (void)state;
    leader l = leader_new();
    for (int i = 0; i < 50; i++) grant(&l, i);
    size_t n;
    unsigned char *d = snapshot_bytes(l.e, 50, &n);
    counting_alloc ca;
    counting_alloc_init(&ca);
    authz_options opt;
    authz_options_init(&opt);
    opt.allocator = &ca.a;
    authz_engine *e;
    assert_int_equal(AUTHZ_OK, authz_engine_new(&opt, &e));
    char p[] = "{\"code\":\"before\"}";
    char *resp = NULL;
    int code;
    assert_int_equal(AUTHZ_OK, authz_call_json_ex(e, "create_role", p, strlen(p), AUTHZ_LANG_EN, 0,
                                                  &resp, &code));
    authz_free(resp);
    uint64_t before = authz_digest(e);
    long live = ca.live, failures = 0;
    authz_error err = {0};
    uint64_t seq = 0;
    for (long k = 0;; k++) {
        counting_alloc_arm(&ca, k, false);
        authz_status st = authz__load_into(e, d, n, &seq, &err);
        counting_alloc_disarm(&ca);
        if (st == AUTHZ_OK) break;
        assert_int_equal(AUTHZ_ENOMEM, st);
        assert_int_equal(before, authz_digest(e));
        assert_int_equal(live, ca.live);
        assert_true(authz__check_invariants(e, NULL, 0));
        failures++;
    }
    assert_true(failures > 10);
    assert_int_equal(50, seq);
    same(&l, e);
    assert_true(authz__check_invariants(e, NULL, 0));
    /* corrupt bytes: ECORRUPT, untouched */
    uint64_t now = authz_digest(e);
    d[n / 2] ^= 1;
    assert_int_equal(AUTHZ_ECORRUPT, authz__load_into(e, d, n, &seq, &err));
    assert_int_equal(now, authz_digest(e));
    free(d);
    authz_engine_free(e);
    assert_int_equal(0, ca.live);
    authz_engine_free(l.e);
    f_destroy(l.f);
    scenarios++;
}

static void decoders_refuse_what_does_not_verify(void **state) {
    (void)state;
    uint64_t rev;
    assert_true(authz__entry_id_parse("1-1", &rev) && rev == 1);
    assert_true(authz__entry_id_parse("18446744073709551615-1", &rev));
    assert_false(authz__entry_id_parse("0-1", &rev));
    assert_false(authz__entry_id_parse("12-0", &rev));
    assert_false(authz__entry_id_parse("1700000000000-0", &rev));
    assert_false(authz__entry_id_parse("184467440737095516150-1", &rev));
    assert_false(authz__entry_id_parse("", &rev));
    authz__snapdesc d = {.rev = 7, .total = 100, .count = 4, .chunk_size = 30, .sum = 1}, out;
    unsigned char b[AUTHZ__SNAPDESC_SIZE];
    const char *why;
    authz__snapdesc_encode(b, &d);
    assert_true(authz__snapdesc_decode(b, sizeof b, &out, &why));
    assert_int_equal(7, out.rev);
    assert_false(authz__snapdesc_decode(b, sizeof b - 1, &out, &why));
    for (size_t i = 0; i < sizeof b; i++) {
        b[i] ^= 0x10;
        assert_false(authz__snapdesc_decode(b, sizeof b, &out, &why));
        b[i] ^= 0x10;
    }
    d.total = 90; /* four chunks of 30 holding 90 bytes would leave the last one empty */
    authz__snapdesc_encode(b, &d);
    assert_false(authz__snapdesc_decode(b, sizeof b, &out, &why));
    unsigned char rec[64];
    authz__journal_record_encode(rec, 3, "{}", 2);
    uint64_t seq;
    const unsigned char *pl;
    size_t len;
    assert_true(
        authz__journal_record_decode(rec, authz__journal_record_size(2), &seq, &pl, &len, &why));
    assert_int_equal(3, seq);
    assert_false(authz__journal_record_decode(rec, authz__journal_record_size(2) + 1, &seq, &pl,
                                              &len, &why));
    rec[17] ^= 1;
    assert_false(
        authz__journal_record_decode(rec, authz__journal_record_size(2), &seq, &pl, &len, &why));
    scenarios++;
}

static int report(void **state) {
    (void)state;
    printf(
        "replica: %ld scenarios, %ld records applied, %ld snapshot loads, %ld refusals, "
        "0 divergent\n",
        scenarios, total_applied, total_snapshots, total_refusals);
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bootstrap_then_tail),
        cmocka_unit_test(gap_and_trim_reload_the_snapshot),
        cmocka_unit_test(a_bad_record_stops_the_follower_until_a_snapshot),
        cmocka_unit_test(a_bad_chunk_or_descriptor_is_refused),
        cmocka_unit_test(redis_away_and_back),
        cmocka_unit_test(a_data_dir_serves_while_redis_is_away),
        cmocka_unit_test(waits_and_stop),
        cmocka_unit_test(a_snapshot_load_is_all_or_nothing),
        cmocka_unit_test(decoders_refuse_what_does_not_verify),
    };
    return cmocka_run_group_tests(tests, NULL, report);
}
