/*
 * follower.c - authz_replica (include/authz/replica.h): a thread that keeps a caller's engine
 * in step with a leader's stream in Redis.
 *
 * The thread connects (with backoff), loads the newest snapshot when it has nothing or finds a
 * gap, then tails the stream with XREAD BLOCK, applying each record through the journal replay
 * path (authz__replica_apply), in order. A record or chunk that does not verify is refused: the
 * replica stays at its revision, says why, and applies nothing after it until a snapshot past it
 * is published. With data_dir, each applied record is appended to a local journal, and each
 * loaded snapshot written there, so a restart serves the last state before reaching Redis.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/error.h"
#include "replica/replica_internal.h"
#include "store/journal.h"
#include "store/snapshot.h"

#define READ_BATCH 512
#define LOCAL_COMPACT_BYTES (64ull << 20)

struct authz_replica {
    authz_engine *engine;
    const authz__transport_ops *ops;
    void *ctx;
    char *key_log, *key_snap, *data_dir;
    int block_ms, backoff_min, backoff_max;
    void (*log)(void *ctx, const char *line);
    void *log_ctx;
    pthread_t thread;
    bool started;

    /* mu guards everything from here to the thread's own state */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop;
    uint64_t rev, leader_rev;
    int64_t uptodate_ms;
    bool reachable, stalled;
    uint64_t applied, snapshots, reconnects, refused;
    char error[256];

    /* the thread's own */
    bool connected, ever_connected, need_snapshot;
    uint64_t stalled_at; /* the revision of the refused entry, or that a snapshot must reach */
    authz__journal *journal;
    char snap_path[4096], jnl_path[4096];
};

static int64_t mono_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void say(authz_replica *r, const char *fmt, ...) AUTHZ__PRINTF(2, 3);
static void say(authz_replica *r, const char *fmt, ...) {
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (r->log)
        r->log(r->log_ctx, line);
    else
        fprintf(stderr, "authz replica: %s\n", line);
}

static void set_error(authz_replica *r, const char *why) {
    pthread_mutex_lock(&r->mu);
    snprintf(r->error, sizeof r->error, "%s", why);
    pthread_mutex_unlock(&r->mu);
}

/* A refused record or chunk: the replica applies nothing past `at` until a snapshot reaches it. */
static void refuse(authz_replica *r, uint64_t at, const char *fmt, ...) AUTHZ__PRINTF(3, 4);
static void refuse(authz_replica *r, uint64_t at, const char *fmt, ...) {
    char why[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&r->mu);
    bool again = r->stalled && !strcmp(r->error, why);
    snprintf(r->error, sizeof r->error, "%s", why);
    r->stalled = true;
    if (!again) r->refused++;
    pthread_mutex_unlock(&r->mu);
    r->stalled_at = at;
    if (!again)
        say(r, "refused: %s; nothing after revision %llu is applied", why,
            (unsigned long long)r->rev);
}

static bool stopping(authz_replica *r) {
    pthread_mutex_lock(&r->mu);
    bool s = r->stop;
    pthread_mutex_unlock(&r->mu);
    return s;
}

/* Sleeps up to ms, waking at once on stop. */
static void pause_ms(authz_replica *r, int ms) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_sec += ms / 1000;
    t.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L) t.tv_sec++, t.tv_nsec -= 1000000000L;
    pthread_mutex_lock(&r->mu);
    while (!r->stop && pthread_cond_timedwait(&r->cv, &r->mu, &t) != ETIMEDOUT) continue;
    pthread_mutex_unlock(&r->mu);
}

static void set_revision(authz_replica *r, uint64_t rev, bool snapshot) {
    pthread_mutex_lock(&r->mu);
    r->rev = rev;
    if (r->leader_rev < rev) r->leader_rev = rev;
    if (snapshot)
        r->snapshots++;
    else
        r->applied++;
    if (r->rev >= r->leader_rev) r->uptodate_ms = mono_ms();
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
}

static void seen_leader(authz_replica *r, uint64_t rev) {
    pthread_mutex_lock(&r->mu);
    if (rev != UINT64_MAX && rev > r->leader_rev) r->leader_rev = rev;
    if (r->rev >= r->leader_rev) r->uptodate_ms = mono_ms();
    pthread_mutex_unlock(&r->mu);
}

static void set_reachable(authz_replica *r, bool up, const char *why) {
    pthread_mutex_lock(&r->mu);
    r->reachable = up;
    if (!up && why) snprintf(r->error, sizeof r->error, "%s", why);
    if (up && !r->stalled) r->error[0] = '\0';
    pthread_mutex_unlock(&r->mu);
}

/* ---- the local copy (data_dir) ---- */

static int write_file(const char *path, const unsigned char *d, size_t n) {
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.new", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return -1;
    size_t off = 0;
    while (off < n) {
        ssize_t w = write(fd, d + off, n - off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) break;
        off += (size_t)w;
    }
    int ok = off == n && fsync(fd) == 0;
    close(fd);
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

static void local_reset(authz_replica *r, uint64_t rev) {
    authz_error err = {0};
    authz__journal_close(r->journal);
    r->journal = NULL;
    if (authz__journal_open(r->jnl_path, 0, rev, &r->journal, &err) != AUTHZ_OK)
        say(r, "local journal %s unusable, state kept in memory only: %s", r->jnl_path,
            err.message);
}

static void local_snapshot(authz_replica *r, const unsigned char *d, size_t n, uint64_t rev) {
    if (!r->data_dir) return;
    if (write_file(r->snap_path, d, n) != 0) {
        say(r, "cannot write %s: %s", r->snap_path, strerror(errno));
        return;
    }
    local_reset(r, rev);
}

static void local_append(authz_replica *r, uint64_t rev, const unsigned char *payload, size_t len) {
    if (!r->journal) return;
    authz_error err = {0};
    uint64_t seq = 0;
    if (authz__journal_last_seq(r->journal) + 1 != rev ||
        authz__journal_append(r->journal, payload, len, &seq, &err) != AUTHZ_OK) {
        /* The local copy no longer follows: start it again from the whole model. */
        if (authz__save_seq(r->engine, r->snap_path, rev, &err) == AUTHZ_OK) local_reset(r, rev);
        return;
    }
    if (authz__journal_bytes(r->journal) > LOCAL_COMPACT_BYTES &&
        authz__save_seq(r->engine, r->snap_path, rev, &err) == AUTHZ_OK &&
        authz__journal_rotate(r->journal, &err) != AUTHZ_OK)
        local_reset(r, rev);
}

static authz_status replay_local(void *ctx, uint64_t seq, const char *payload, size_t len,
                                 authz_error *err) {
    return authz__replica_apply(ctx, seq, payload, len, err);
}

static authz_status read_whole(const char *path, unsigned char **d, size_t *n) {
    FILE *f = fopen(path, "rb");
    if (!f) return errno == ENOENT ? AUTHZ_ENOTFOUND : AUTHZ_EIO;
    size_t cap = 1 << 16, len = 0;
    unsigned char *buf = malloc(cap);
    while (buf) {
        if (len == cap) {
            unsigned char *b = realloc(buf, cap * 2);
            if (!b) break;
            buf = b, cap *= 2;
        }
        size_t k = fread(buf + len, 1, cap - len, f);
        len += k;
        if (k == 0) break;
    }
    bool bad = ferror(f) != 0;
    fclose(f);
    if (!buf || bad || len == cap) {
        free(buf);
        return bad ? AUTHZ_EIO : AUTHZ_ENOMEM;
    }
    *d = buf;
    *n = len;
    return AUTHZ_OK;
}

/* Loads data_dir's snapshot and journal into the engine before the thread starts. */
static authz_status local_open(authz_replica *r, authz_error *err) {
    if (mkdir(r->data_dir, 0755) != 0 && errno != EEXIST)
        return authz__fail(err, AUTHZ_EIO, AUTHZ_OBJ_NONE, "data_dir", -1, "cannot create %s: %s",
                           r->data_dir, strerror(errno));
    snprintf(r->snap_path, sizeof r->snap_path, "%s/snapshot", r->data_dir);
    snprintf(r->jnl_path, sizeof r->jnl_path, "%s/journal", r->data_dir);
    uint64_t rev = 0, last = 0, valid = 0;
    unsigned char *d = NULL;
    size_t n = 0;
    authz_status st = read_whole(r->snap_path, &d, &n);
    if (st == AUTHZ_ENOTFOUND) {
        st = AUTHZ_OK;
    } else if (!st) {
        st = authz__load_into(r->engine, d, n, &rev, err);
        free(d);
    } else {
        return authz__fail(err, st, AUTHZ_OBJ_NONE, "data_dir", -1, "cannot read %s", r->snap_path);
    }
    if (st) return st;
    char warning[512] = "";
    authz_error jerr = {0};
    if (authz__journal_replay(r->jnl_path, rev, replay_local, r->engine, &last, &valid, warning,
                              sizeof warning, &jerr) != AUTHZ_OK) {
        /* A follower's copy is a cache of the leader's: start from what verified. */
        say(r, "local journal dropped after revision %llu: %s", (unsigned long long)last,
            jerr.message);
        valid = 0;
    } else if (warning[0]) {
        say(r, "%s", warning);
    }
    if (authz__journal_open(r->jnl_path, valid, last, &r->journal, &jerr) != AUTHZ_OK)
        say(r, "local journal unusable, state kept in memory only: %s", jerr.message);
    r->rev = r->leader_rev = last;
    if (last) say(r, "serving revision %llu from %s", (unsigned long long)last, r->data_dir);
    return AUTHZ_OK;
}

/* ---- snapshots from Redis ---- */

/* 0: loaded; 1: nothing loadable reaches what is needed (error set); -1: transport failure. */
static int load_snapshot(authz_replica *r, const authz__snapdesc *desc) {
    unsigned char *all = malloc(desc->total ? desc->total : 1);
    if (!all) {
        set_error(r, "out of memory for the snapshot");
        return 1;
    }
    char key[512], why[256];
    size_t off = 0;
    for (uint32_t i = 0; i < desc->count; i++) {
        unsigned char *v;
        size_t n;
        snprintf(key, sizeof key, "%s:%llu:%u", r->key_snap, (unsigned long long)desc->rev, i);
        if (r->ops->get(r->ctx, key, &v, &n, why, sizeof why) != 0) {
            free(all);
            set_reachable(r, false, why);
            return -1;
        }
        if (!v) { /* replaced by a newer snapshot while we read: the caller starts over */
            free(all);
            set_error(r, "the snapshot changed while it was read");
            return 1;
        }
        const unsigned char *p;
        size_t len;
        const char *bad;
        if (!authz__chunk_decode(v, n, desc, i, &p, &len, &bad) || off + len > desc->total) {
            free(v);
            free(all);
            refuse(r, desc->rev, "snapshot %llu chunk %u does not verify: %s",
                   (unsigned long long)desc->rev, i, off + len > desc->total ? "too long" : bad);
            return 1;
        }
        memcpy(all + off, p, len);
        off += len;
        free(v);
    }
    const char *bad;
    uint64_t seq = 0;
    if (!authz__snapshot_verify(all, off, desc, &bad) || !authz__snapshot_seq_of(all, off, &seq) ||
        seq != desc->rev) {
        refuse(r, desc->rev, "snapshot %llu does not verify: %s", (unsigned long long)desc->rev,
               seq != desc->rev ? "its revision differs from its descriptor's" : bad);
        free(all);
        return 1;
    }
    authz_error err = {0};
    authz_status st = authz__load_into(r->engine, all, off, &seq, &err);
    if (st) {
        if (st == AUTHZ_ENOMEM)
            set_error(r, "out of memory loading the snapshot");
        else
            refuse(r, desc->rev, "snapshot %llu does not load: %s", (unsigned long long)desc->rev,
                   err.message);
        free(all);
        return 1;
    }
    local_snapshot(r, all, off, desc->rev);
    free(all);
    pthread_mutex_lock(&r->mu);
    r->stalled = false;
    r->error[0] = '\0';
    pthread_mutex_unlock(&r->mu);
    set_revision(r, desc->rev, true);
    r->need_snapshot = false;
    say(r, "loaded snapshot at revision %llu (%llu bytes, %u chunks)",
        (unsigned long long)desc->rev, (unsigned long long)desc->total, desc->count);
    return 0;
}

/* Reads the descriptor: 1 found, 0 none, -1 transport failure; a bad one is refused (2). */
static int get_desc(authz_replica *r, authz__snapdesc *desc) {
    unsigned char *v;
    size_t n;
    char why[256];
    if (r->ops->get(r->ctx, r->key_snap, &v, &n, why, sizeof why) != 0) {
        set_reachable(r, false, why);
        return -1;
    }
    if (!v) return 0;
    const char *bad;
    int ok = authz__snapdesc_decode(v, n, desc, &bad);
    free(v);
    if (!ok) {
        refuse(r, r->rev + 1, "snapshot descriptor %s does not verify: %s", r->key_snap, bad);
        return 2;
    }
    seen_leader(r, desc->rev);
    return 1;
}

/* The replica cannot go on from the stream (nothing yet, a gap, a trim, a refused record): a
 * snapshot that reaches past the point is loaded, or the stream is shown to continue from here.
 * 0: go on tailing; 1: wait and retry; -1: transport failure. */
static int resync(authz_replica *r) {
    authz__snapdesc desc;
    int found = get_desc(r, &desc);
    if (found < 0) return -1;
    if (found == 2) return 1;
    /* Stalled: only a snapshot at or past the refused revision helps. Otherwise any snapshot
     * ahead of us (or the first one, on an empty replica). */
    bool useful = found && (r->stalled ? desc.rev >= r->stalled_at
                                       : desc.rev > r->rev || (r->rev == 0 && !r->snapshots));
    if (useful) {
        for (int attempt = 0; attempt < 3; attempt++) {
            int rc = load_snapshot(r, &desc);
            if (rc <= 0) return rc;
            if (r->stalled) return 1;
            found = get_desc(r, &desc); /* it changed under us: the newer one */
            if (found != 1) return found < 0 ? -1 : 1;
        }
        return 1;
    }
    if (r->stalled) return 1;
    /* No snapshot ahead of us: tailing works if the stream holds rev + 1 or has not got there. */
    uint64_t first, last;
    char why[256];
    if (r->ops->bounds(r->ctx, r->key_log, &first, &last, why, sizeof why) != 0) {
        set_reachable(r, false, why);
        return -1;
    }
    seen_leader(r, last);
    if (first == 0 || first <= r->rev + 1) {
        r->need_snapshot = false;
        return 0;
    }
    char msg[256];
    snprintf(msg, sizeof msg,
             "the stream starts at revision %llu, past this replica's %llu, and no snapshot "
             "covers the gap yet",
             (unsigned long long)first, (unsigned long long)r->rev);
    set_error(r, msg);
    return 1;
}

/* ---- tailing ---- */

/* 0: fine; -1: transport failure. */
static int tail(authz_replica *r) {
    authz__rt_entry *batch = calloc(READ_BATCH, sizeof *batch);
    if (!batch) {
        pause_ms(r, r->backoff_min);
        return 0;
    }
    int count = 0;
    char why[256];
    int rc = r->ops->read(r->ctx, r->key_log, r->rev, r->block_ms, batch, READ_BATCH, &count, why,
                          sizeof why);
    if (rc != 0) {
        free(batch);
        set_reachable(r, false, why);
        return -1;
    }
    if (count == 0) {
        /* Nothing after us in the stream; a snapshot may still be ahead (a trimmed stream). */
        authz__snapdesc desc;
        int found = get_desc(r, &desc);
        free(batch);
        if (found < 0) return -1;
        if (found == 1 && desc.rev > r->rev) r->need_snapshot = true;
        if (found != 1 || desc.rev <= r->rev) seen_leader(r, r->rev);
        return 0;
    }
    for (int i = 0; i < count; i++) {
        authz__rt_entry *e = &batch[i];
        uint64_t rev = 0, seq = 0;
        const unsigned char *payload;
        size_t len;
        const char *bad = NULL;
        if (!authz__entry_id_parse(e->id, &rev)) {
            refuse(r, r->rev + 1, "stream entry %s does not name a revision", e->id);
            break;
        }
        seen_leader(r, rev);
        if (rev <= r->rev) continue;
        if (rev != r->rev + 1) {
            say(r, "gap: stream entry %s follows revision %llu; loading the snapshot", e->id,
                (unsigned long long)r->rev);
            r->need_snapshot = true;
            break;
        }
        if (!e->data) {
            refuse(r, rev, "stream entry %s has no record", e->id);
            break;
        }
        if (!authz__journal_record_decode(e->data, e->len, &seq, &payload, &len, &bad) ||
            seq != rev) {
            refuse(r, rev, "stream entry %s does not verify: %s", e->id,
                   bad ? bad : "its record carries another revision");
            break;
        }
        authz_error err = {0};
        authz_status st = authz__replica_apply(r->engine, rev, (const char *)payload, len, &err);
        if (st == AUTHZ_ENOMEM) {
            set_error(r, "out of memory applying a record; retrying");
            pause_ms(r, r->backoff_max);
            break;
        }
        if (st) {
            refuse(r, rev, "stream entry %s does not apply: %s", e->id, err.message);
            break;
        }
        local_append(r, rev, payload, len);
        set_revision(r, rev, false);
    }
    for (int i = 0; i < count; i++) free(batch[i].data);
    free(batch);
    return 0;
}

static void *run(void *arg) {
    authz_replica *r = arg;
    /* A write to a Redis that went away raises SIGPIPE on this thread: blocked here, the write
     * fails with EPIPE instead and the process lives on. */
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe, NULL);
    int backoff = r->backoff_min;
    while (!stopping(r)) {
        if (!r->connected) {
            char why[256];
            if (r->ops->connect(r->ctx, why, sizeof why) != 0) {
                set_reachable(r, false, why);
                pause_ms(r, backoff);
                backoff = backoff * 2 > r->backoff_max ? r->backoff_max : backoff * 2;
                continue;
            }
            r->connected = true;
            pthread_mutex_lock(&r->mu);
            if (r->ever_connected) r->reconnects++;
            pthread_mutex_unlock(&r->mu);
            if (r->ever_connected)
                say(r, "reconnected to Redis at revision %llu", (unsigned long long)r->rev);
            r->ever_connected = true;
            set_reachable(r, true, NULL);
        }
        int rc = 0;
        if (r->need_snapshot || r->stalled) {
            rc = resync(r);
            if (rc > 0) pause_ms(r, r->backoff_max);
        } else {
            rc = tail(r);
        }
        if (rc < 0) {
            r->ops->close(r->ctx);
            r->connected = false;
            pause_ms(r, backoff);
            backoff = backoff * 2 > r->backoff_max ? r->backoff_max : backoff * 2;
        } else {
            backoff = r->backoff_min;
        }
    }
    return NULL;
}

/* ---- the API ---- */

void authz_replica_options_init(authz_replica_options *opt) { memset(opt, 0, sizeof *opt); }

static char *join(const char *a, const char *b) {
    size_t n = strlen(a) + strlen(b) + 1;
    char *s = malloc(n);
    if (s) snprintf(s, n, "%s%s", a, b);
    return s;
}

static void destroy(authz_replica *r) {
    if (r->ops && r->ops->destroy) r->ops->destroy(r->ctx);
    authz__journal_close(r->journal);
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->cv);
    free(r->key_log);
    free(r->key_snap);
    free(r->data_dir);
    free(r);
}

authz_status authz__replica_start_with(authz_engine *engine, const authz_replica_options *opt,
                                       const authz__transport_ops *ops, void *ctx,
                                       authz_replica **out, authz_error *err) {
    if (out) *out = NULL;
    if (!engine || !opt || !ops || !out) {
        if (ops && ops->destroy) ops->destroy(ctx);
        return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "options", -1,
                           "engine, options, transport and out are required");
    }
    authz_replica *r = calloc(1, sizeof *r);
    if (!r) {
        if (ops->destroy) ops->destroy(ctx);
        return authz__nomem(err);
    }
    r->engine = engine;
    r->ops = ops;
    r->ctx = ctx;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&r->cv, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&r->mu, NULL);
    const char *name = opt->stream && *opt->stream ? opt->stream : "authz";
    r->key_log = join(name, ":log");
    r->key_snap = join(name, ":snap");
    r->data_dir = opt->data_dir ? strdup(opt->data_dir) : NULL;
    r->block_ms = opt->block_ms > 0 ? opt->block_ms : 1000;
    r->backoff_min = opt->backoff_min_ms > 0 ? opt->backoff_min_ms : 50;
    r->backoff_max = opt->backoff_max_ms > 0 ? opt->backoff_max_ms : 2000;
    if (r->backoff_max < r->backoff_min) r->backoff_max = r->backoff_min;
    r->log = opt->log;
    r->log_ctx = opt->log_ctx;
    r->uptodate_ms = mono_ms();
    authz_status st = AUTHZ_OK;
    if (!r->key_log || !r->key_snap || (opt->data_dir && !r->data_dir)) st = authz__nomem(err);
    if (!st && r->data_dir) st = local_open(r, err);
    r->need_snapshot = r->rev == 0;
    if (!st && pthread_create(&r->thread, NULL, run, r) != 0)
        st = authz__fail(err, AUTHZ_ENOMEM, AUTHZ_OBJ_NONE, "thread", -1,
                         "cannot start the replication thread");
    if (st) {
        destroy(r);
        return st;
    }
    r->started = true;
    *out = r;
    return AUTHZ_OK;
}

authz_status authz_replica_start(authz_engine *engine, const authz_replica_options *opt,
                                 authz_replica **out, authz_error *err) {
    if (out) *out = NULL;
    if (!opt || !opt->url)
        return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "url", -1, "a Redis URL is required");
    char why[256];
    int block = opt->block_ms > 0 ? opt->block_ms : 1000;
    void *t = authz__redis_transport_new(opt->url, block + 2000, why, sizeof why);
    if (!t) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "url", -1, "%s", why);
    return authz__replica_start_with(engine, opt, &authz__redis_transport_ops, t, out, err);
}

uint64_t authz_replica_revision(const authz_replica *r) {
    authz_replica *m = (authz_replica *)(uintptr_t)r;
    pthread_mutex_lock(&m->mu);
    uint64_t v = m->rev;
    pthread_mutex_unlock(&m->mu);
    return v;
}

authz_status authz_replica_wait(authz_replica *r, uint64_t rev, int timeout_ms) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    if (timeout_ms > 0) {
        t.tv_sec += timeout_ms / 1000;
        t.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
        if (t.tv_nsec >= 1000000000L) t.tv_sec++, t.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&r->mu);
    authz_status st = AUTHZ_OK;
    while (r->rev < rev) {
        if (r->stop) {
            st = AUTHZ_EUNAVAILABLE;
            break;
        }
        if (timeout_ms == 0) {
            st = AUTHZ_ETIMEDOUT;
            break;
        }
        int rc = timeout_ms < 0 ? pthread_cond_wait(&r->cv, &r->mu)
                                : pthread_cond_timedwait(&r->cv, &r->mu, &t);
        if (rc == ETIMEDOUT && r->rev < rev) {
            st = AUTHZ_ETIMEDOUT;
            break;
        }
    }
    pthread_mutex_unlock(&r->mu);
    return st;
}

authz_status authz_replica_info(const authz_replica *r, authz_replica_status *out) {
    if (!r || !out) return AUTHZ_EINVAL;
    authz_replica *m = (authz_replica *)(uintptr_t)r;
    pthread_mutex_lock(&m->mu);
    memset(out, 0, sizeof *out);
    out->revision = m->rev;
    out->leader_revision = m->leader_rev > m->rev ? m->leader_rev : m->rev;
    out->lag = out->leader_revision - m->rev;
    out->lag_ms = out->lag ? mono_ms() - m->uptodate_ms : 0;
    out->redis_reachable = m->reachable;
    out->stalled = m->stalled;
    out->records_applied = m->applied;
    out->snapshot_loads = m->snapshots;
    out->reconnects = m->reconnects;
    out->refused = m->refused;
    snprintf(out->error, sizeof out->error, "%s", m->error);
    pthread_mutex_unlock(&m->mu);
    return AUTHZ_OK;
}

void authz_replica_stop(authz_replica *r) {
    if (!r) return;
    pthread_mutex_lock(&r->mu);
    r->stop = true;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
    if (r->started) pthread_join(r->thread, NULL);
    destroy(r);
}
