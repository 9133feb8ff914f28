/*
 * publish.c - the leader's publisher (publish.h).
 */
#include "replica/publish.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

#include "base/error.h"
#include "replica/redis.h"
#include "replica/replica_internal.h"
#include "store/journal.h"

#define QUEUE_MAX 100000
#define PIPELINE 256

/* Publishes one record if this leader still holds the stream: the fence and the XADD are one
 * atomic step inside Redis. */
static const char publish_script[] =
    "local cur = redis.call('GET', KEYS[2]) "
    "if cur ~= ARGV[1] then return redis.error_reply('AUTHZFENCED ' .. tostring(cur)) end "
    "return redis.call('XADD', KEYS[1], ARGV[2], 'r', ARGV[3])";

typedef struct qnode {
    struct qnode *next;
    uint64_t seq;
    size_t len;
    unsigned char rec[]; /* the framed journal record */
} qnode;

struct authz__publisher {
    authz__redis redis;
    char *key_log, *key_snap, *key_leader, *snap_path, *jnl_path, *name;
    char id[40];
    uint64_t trim_margin;
    pthread_t thread;
    bool started;

    pthread_mutex_t mu; /* guards what follows, up to the thread's own */
    pthread_cond_t cv;
    bool stop, snapshot_flag;
    uint64_t durable;
    qnode *head, *tail;
    size_t queued;
    authz__publisher_info info;

    /* the thread's own */
    bool connected;
    uint64_t published; /* the stream holds (or the snapshot covers) everything up to here */
    int pending;        /* pipelined XADDs awaiting replies */
    bool failed;        /* the current pass hit a transport failure or the fence */
};

static void say(authz__publisher *p, const char *fmt, ...) AUTHZ__PRINTF(2, 3);
static void say(authz__publisher *p, const char *fmt, ...) {
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    (void)p;
    fprintf(stderr, "authz serve: publish: %s\n", line);
}

static void set_state(authz__publisher *p, bool reachable, const char *why) {
    pthread_mutex_lock(&p->mu);
    p->info.reachable = reachable;
    if (why)
        snprintf(p->info.error, sizeof p->info.error, "%s", why);
    else if (!p->info.fenced)
        p->info.error[0] = '\0';
    pthread_mutex_unlock(&p->mu);
}

static void set_fenced(authz__publisher *p, const char *why) {
    pthread_mutex_lock(&p->mu);
    bool was = p->info.fenced && !strcmp(p->info.error, why);
    p->info.fenced = true;
    snprintf(p->info.error, sizeof p->info.error, "%s", why);
    pthread_mutex_unlock(&p->mu);
    if (!was) say(p, "%s", why);
}

static void set_published(authz__publisher *p, uint64_t rev, uint64_t records) {
    p->published = rev;
    pthread_mutex_lock(&p->mu);
    p->info.published = rev;
    p->info.records += records;
    pthread_mutex_unlock(&p->mu);
}

static bool stopping(authz__publisher *p) {
    pthread_mutex_lock(&p->mu);
    bool s = p->stop;
    pthread_mutex_unlock(&p->mu);
    return s;
}

static void pause_ms(authz__publisher *p, int ms) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_sec += ms / 1000;
    t.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L) t.tv_sec++, t.tv_nsec -= 1000000000L;
    pthread_mutex_lock(&p->mu);
    while (!p->stop && pthread_cond_timedwait(&p->cv, &p->mu, &t) != ETIMEDOUT) continue;
    pthread_mutex_unlock(&p->mu);
}

static int read_file(const char *path, unsigned char **d, size_t *n) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    size_t cap = 1 << 16, len = 0;
    unsigned char *buf = malloc(cap);
    for (;;) {
        if (!buf) break;
        if (len == cap) {
            unsigned char *b = realloc(buf, cap * 2);
            if (!b) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = b, cap *= 2;
        }
        ssize_t r = read(fd, buf + len, cap - len);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            free(buf);
            buf = NULL;
            break;
        }
        if (r == 0) break;
        len += (size_t)r;
    }
    close(fd);
    if (!buf) return -1;
    *d = buf;
    *n = len;
    return 0;
}

/* ---- the fence ---- */

/* 0: this leader holds the stream; 1: fenced; -1: transport failure. */
static int claim(authz__publisher *p) {
    char why[256];
    redisReply *rep =
        authz__redis_cmd(&p->redis, why, sizeof why, "SET %s %s NX", p->key_leader, p->id);
    if (!rep) return set_state(p, false, why), -1;
    freeReplyObject(rep);
    rep = authz__redis_cmd(&p->redis, why, sizeof why, "GET %s", p->key_leader);
    if (!rep) return set_state(p, false, why), -1;
    int rc = 0;
    if (rep->type != REDIS_REPLY_STRING || strcmp(rep->str, p->id) != 0) {
        char msg[256];
        snprintf(msg, sizeof msg,
                 "another leader (%.40s) publishes to stream %s: this one refuses to publish "
                 "(stop the other; if it is gone for good, DEL %s)",
                 rep->type == REDIS_REPLY_STRING ? rep->str : "?", p->name, p->key_leader);
        set_fenced(p, msg);
        rc = 1;
    }
    freeReplyObject(rep);
    return rc;
}

/* ---- snapshots ---- */

static uint64_t desc_rev(authz__publisher *p, bool *ok) {
    char why[256];
    *ok = false;
    redisReply *rep = authz__redis_cmd(&p->redis, why, sizeof why, "GET %s", p->key_snap);
    if (!rep) return set_state(p, false, why), 0;
    *ok = true;
    authz__snapdesc d = {0};
    const char *bad;
    uint64_t rev = 0;
    if (rep->type == REDIS_REPLY_STRING &&
        authz__snapdesc_decode((const unsigned char *)rep->str, rep->len, &d, &bad))
        rev = d.rev;
    freeReplyObject(rep);
    return rev;
}

/* Publishes DIR/snapshot: chunks, then the descriptor, then the old chunks go and the stream is
 * trimmed behind the new snapshot (less the margin). 0, or -1 on a transport failure. */
static int publish_snapshot(authz__publisher *p) {
    unsigned char *d = NULL;
    size_t n = 0;
    uint64_t seq = 0;
    if (read_file(p->snap_path, &d, &n) != 0 || !authz__snapshot_seq_of(d, n, &seq)) {
        free(d);
        say(p, "cannot read the snapshot %s to publish it", p->snap_path);
        return 0;
    }
    char why[256], key[512];
    /* the old descriptor, to delete its chunks after */
    redisReply *old = authz__redis_cmd(&p->redis, why, sizeof why, "GET %s", p->key_snap);
    if (!old) return free(d), set_state(p, false, why), -1;
    authz__snapdesc prev = {0};
    const char *bad;
    bool had = old->type == REDIS_REPLY_STRING &&
               authz__snapdesc_decode((const unsigned char *)old->str, old->len, &prev, &bad);
    freeReplyObject(old);
    if (had && prev.rev >= seq) {
        free(d);
        pthread_mutex_lock(&p->mu);
        p->info.snapshot_rev = prev.rev;
        pthread_mutex_unlock(&p->mu);
        if (p->published < prev.rev) set_published(p, prev.rev, 0);
        return 0;
    }
    authz__snapdesc desc = {.rev = seq,
                            .total = n,
                            .chunk_size = AUTHZ__CHUNK_SIZE,
                            .count = (uint32_t)((n + AUTHZ__CHUNK_SIZE - 1) / AUTHZ__CHUNK_SIZE),
                            .sum = XXH3_64bits(d, n)};
    unsigned char *buf = malloc(AUTHZ__CHUNK_HEAD + AUTHZ__CHUNK_SIZE + AUTHZ__CHUNK_TAIL);
    if (!buf) return free(d), 0;
    int rc = 0;
    for (uint32_t i = 0; i < desc.count && !rc; i++) {
        size_t off = (size_t)i * AUTHZ__CHUNK_SIZE;
        uint32_t len = (uint32_t)(n - off < AUTHZ__CHUNK_SIZE ? n - off : AUTHZ__CHUNK_SIZE);
        authz__chunk_encode(buf, seq, i, desc.count, d + off, len);
        snprintf(key, sizeof key, "%s:%llu:%u", p->key_snap, (unsigned long long)seq, i);
        redisReply *rep = authz__redis_cmd(&p->redis, why, sizeof why, "SET %s %b", key, buf,
                                           (size_t)(AUTHZ__CHUNK_HEAD + len + AUTHZ__CHUNK_TAIL));
        if (!rep) rc = -1;
        freeReplyObject(rep);
    }
    free(buf);
    free(d);
    if (rc) return set_state(p, false, why), -1;
    if (claim(p) != 0) return -1; /* do not point followers at our snapshot if fenced */
    unsigned char dbytes[AUTHZ__SNAPDESC_SIZE];
    authz__snapdesc_encode(dbytes, &desc);
    redisReply *rep = authz__redis_cmd(&p->redis, why, sizeof why, "SET %s %b", p->key_snap, dbytes,
                                       sizeof dbytes);
    if (!rep) return set_state(p, false, why), -1;
    freeReplyObject(rep);
    for (uint32_t i = 0; had && prev.rev != seq && i < prev.count; i++) {
        snprintf(key, sizeof key, "%s:%llu:%u", p->key_snap, (unsigned long long)prev.rev, i);
        rep = authz__redis_cmd(&p->redis, why, sizeof why, "DEL %s", key);
        if (!rep) return set_state(p, false, why), -1;
        freeReplyObject(rep);
    }
    if (seq > p->trim_margin) {
        rep = authz__redis_cmd(&p->redis, why, sizeof why, "XTRIM %s MINID %llu-1", p->key_log,
                               (unsigned long long)(seq - p->trim_margin));
        if (!rep) return set_state(p, false, why), -1;
        freeReplyObject(rep);
    }
    pthread_mutex_lock(&p->mu);
    p->info.snapshot_rev = seq;
    p->info.snapshots++;
    pthread_mutex_unlock(&p->mu);
    if (p->published < seq) set_published(p, seq, 0);
    say(p, "published snapshot at revision %llu (%zu bytes, %u chunks)", (unsigned long long)seq, n,
        desc.count);
    return 0;
}

/* ---- records ---- */

/* Reads the replies of the pipelined XADDs. 0, or -1 (transport failure or fenced). */
static int flush(authz__publisher *p, uint64_t last_rev) {
    char why[256];
    int rc = 0, n = p->pending;
    p->pending = 0;
    for (int i = 0; i < n; i++) {
        redisReply *rep = authz__redis_reply(&p->redis, why, sizeof why);
        if (!rep) return set_state(p, false, why), -1;
        if (rep->type == REDIS_REPLY_ERROR && !rc) {
            if (strstr(rep->str, "AUTHZFENCED")) {
                rc = -1;
                char msg[256];
                snprintf(msg, sizeof msg,
                         "the stream %s is no longer this leader's (NAME:leader changed): "
                         "publishing stops",
                         p->name);
                set_fenced(p, msg);
            } else if (!strstr(rep->str, "equal or smaller")) {
                /* "equal or smaller": already in the stream (a repeated publish) */
                say(p, "XADD refused: %.200s", rep->str);
                rc = -1;
            }
        }
        freeReplyObject(rep);
    }
    if (!rc) set_published(p, last_rev, (uint64_t)n);
    return rc;
}

static int send_record(authz__publisher *p, uint64_t seq, const unsigned char *rec, size_t len) {
    char id[32];
    snprintf(id, sizeof id, "%llu-1", (unsigned long long)seq);
    if (!p->redis.c) return -1;
    if (redisAppendCommand(p->redis.c, "EVAL %s 2 %s %s %s %s %b", publish_script, p->key_log,
                           p->key_leader, p->id, id, rec, len) != REDIS_OK)
        return -1;
    p->pending++;
    return p->pending >= PIPELINE ? flush(p, seq) : 0;
}

typedef struct catchup {
    authz__publisher *p;
    uint64_t upto, last;
    unsigned char *buf;
    size_t cap;
} catchup;

static authz_status catchup_one(void *ctx, uint64_t seq, const char *payload, size_t len,
                                authz_error *err) {
    (void)err;
    catchup *c = ctx;
    if (seq > c->upto) return AUTHZ_EINTERNAL; /* not durable yet: stop here */
    size_t need = authz__journal_record_size(len);
    if (need > c->cap) {
        unsigned char *b = realloc(c->buf, need);
        if (!b) return AUTHZ_ENOMEM;
        c->buf = b, c->cap = need;
    }
    authz__journal_record_encode(c->buf, seq, payload, len);
    if (send_record(c->p, seq, c->buf, need) != 0) return AUTHZ_EIO;
    c->last = seq;
    return AUTHZ_OK;
}

/* Publishes DIR/journal's records after p->published up to `upto`. 0; 1 when the journal no
 * longer reaches back (a new snapshot must go first); -1 on failure. */
static int catch_up(authz__publisher *p, uint64_t upto) {
    catchup c = {p, upto, p->published, NULL, 0};
    uint64_t last, valid;
    char warning[256];
    authz_error err = {0};
    authz_status st = authz__journal_replay(p->jnl_path, p->published, catchup_one, &c, &last,
                                            &valid, warning, sizeof warning, &err);
    free(c.buf);
    if (st == AUTHZ_ECORRUPT) return 1;
    if (st && st != AUTHZ_EINTERNAL) return -1;
    if (p->pending && flush(p, c.last) != 0) return -1;
    if (c.last < upto) return 1; /* the journal holds less than what is durable: compacted */
    return 0;
}

/* Connects and finds where the stream is. 0, 1 (fenced or refusing), -1 (transport). */
static int sync_state(authz__publisher *p) {
    char why[256];
    if (authz__redis_open(&p->redis, why, sizeof why) != 0) return set_state(p, false, why), -1;
    set_state(p, true, NULL);
    int rc = claim(p);
    if (rc) return rc;
    pthread_mutex_lock(&p->mu);
    p->info.fenced = false;
    uint64_t durable = p->durable;
    pthread_mutex_unlock(&p->mu);
    redisReply *rep =
        authz__redis_cmd(&p->redis, why, sizeof why, "XREVRANGE %s + - COUNT 1", p->key_log);
    if (!rep) return set_state(p, false, why), -1;
    uint64_t last = 0;
    if (rep->type == REDIS_REPLY_ARRAY && rep->elements == 1 &&
        rep->element[0]->type == REDIS_REPLY_ARRAY && rep->element[0]->elements >= 1)
        authz__entry_id_parse(rep->element[0]->element[0]->str, &last);
    freeReplyObject(rep);
    bool ok;
    uint64_t snap = desc_rev(p, &ok);
    if (!ok) return -1;
    if (last > durable || snap > durable) {
        char msg[256];
        snprintf(msg, sizeof msg,
                 "stream %s holds revision %llu, past this leader's journal (%llu): another "
                 "history; refusing to publish",
                 p->name, (unsigned long long)(last > snap ? last : snap),
                 (unsigned long long)durable);
        set_fenced(p, msg);
        return 1;
    }
    set_published(p, last > snap ? last : snap, 0);
    pthread_mutex_lock(&p->mu);
    p->snapshot_flag = true; /* publish_snapshot skips it when Redis already has it */
    pthread_mutex_unlock(&p->mu);
    return 0;
}

static void *run(void *arg) {
    authz__publisher *p = arg;
    /* A write to a Redis that went away raises SIGPIPE on this thread: blocked here, the write
     * fails with EPIPE instead and the process lives on. */
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe, NULL);
    int backoff = 50;
    while (!stopping(p)) {
        if (!p->connected) {
            int rc = sync_state(p);
            if (rc != 0) {
                authz__redis_close(&p->redis);
                pause_ms(p, rc > 0 ? 2000 : backoff);
                backoff = backoff * 2 > 2000 ? 2000 : backoff * 2;
                pthread_mutex_lock(&p->mu);
                if (rc < 0) p->info.reconnects++;
                pthread_mutex_unlock(&p->mu);
                continue;
            }
            p->connected = true;
            backoff = 50;
        }
        /* wait for work */
        pthread_mutex_lock(&p->mu);
        if (!p->stop && !p->snapshot_flag && p->durable <= p->published) {
            struct timespec t;
            clock_gettime(CLOCK_MONOTONIC, &t);
            t.tv_sec += 1;
            pthread_cond_timedwait(&p->cv, &p->mu, &t);
        }
        bool snap = p->snapshot_flag;
        p->snapshot_flag = false;
        uint64_t upto = p->durable;
        qnode *batch = NULL, **link = &batch;
        while (p->head && p->head->seq <= upto) {
            qnode *q = p->head;
            p->head = q->next;
            if (!p->head) p->tail = NULL;
            p->queued--;
            q->next = NULL;
            *link = q;
            link = &q->next;
        }
        pthread_mutex_unlock(&p->mu);
        int rc = 0;
        if (snap) rc = publish_snapshot(p);
        while (batch && batch->seq <= p->published) {
            qnode *q = batch;
            batch = q->next;
            free(q);
        }
        if (!rc && upto > p->published && (!batch || batch->seq != p->published + 1)) {
            rc = catch_up(p, upto);
            if (rc > 0) { /* compacted past us: the snapshot covers it */
                pthread_mutex_lock(&p->mu);
                p->snapshot_flag = true;
                pthread_mutex_unlock(&p->mu);
                rc = publish_snapshot(p);
            }
            while (batch && batch->seq <= p->published) {
                qnode *q = batch;
                batch = q->next;
                free(q);
            }
        }
        uint64_t last = p->published;
        for (qnode *q = batch; q && !rc; q = q->next) {
            if (q->seq != last + 1) break; /* the next pass catches up from the journal */
            rc = send_record(p, q->seq, q->rec, q->len);
            last = q->seq;
        }
        if (!rc && p->pending) rc = flush(p, last);
        while (batch) {
            qnode *q = batch;
            batch = q->next;
            free(q);
        }
        if (rc < 0) {
            p->pending = 0;
            authz__redis_close(&p->redis);
            p->connected = false;
            set_state(p, false, NULL);
            pthread_mutex_lock(&p->mu);
            p->info.reconnects++;
            pthread_mutex_unlock(&p->mu);
            pause_ms(p, backoff);
        }
    }
    return NULL;
}

/* ---- the API ---- */

static char *cat3(const char *a, const char *b, const char *c) {
    size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
    char *s = malloc(n);
    if (s) snprintf(s, n, "%s%s%s", a, b, c);
    return s;
}

/* DIR/leader-id: made once, so a leader restarted on its directory is the same leader. */
static int leader_id(const char *dir, char *id, size_t n) {
    char path[4200];
    snprintf(path, sizeof path, "%s/leader-id", dir);
    FILE *f = fopen(path, "r");
    if (f) {
        int ok = fgets(id, (int)n, f) != NULL;
        fclose(f);
        id[strcspn(id, "\r\n")] = '\0';
        if (ok && strlen(id) >= 16) return 0;
    }
    unsigned char r[16];
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd < 0 || read(fd, r, sizeof r) != (ssize_t)sizeof r) {
        if (fd >= 0) close(fd);
        return -1;
    }
    close(fd);
    for (size_t i = 0; i < sizeof r; i++) snprintf(id + 2 * i, 3, "%02x", r[i]);
    f = fopen(path, "w");
    if (!f) return -1;
    int ok = fprintf(f, "%s\n", id) > 0 && fflush(f) == 0 && fsync(fileno(f)) == 0;
    return fclose(f) == 0 && ok ? 0 : -1;
}

static void free_publisher(authz__publisher *p) {
    authz__redis_close(&p->redis);
    while (p->head) {
        qnode *q = p->head;
        p->head = q->next;
        free(q);
    }
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    free(p->key_log);
    free(p->key_snap);
    free(p->key_leader);
    free(p->snap_path);
    free(p->jnl_path);
    free(p->name);
    free(p);
}

authz_status authz__publisher_start(const char *url, const char *stream, const char *data_dir,
                                    uint64_t durable_rev, uint64_t trim_margin,
                                    authz__publisher **out, authz_error *err) {
    *out = NULL;
    authz__publisher *p = calloc(1, sizeof *p);
    if (!p) return authz__nomem(err);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&p->cv, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&p->mu, NULL);
    char why[256];
    const char *name = stream && *stream ? stream : "authz";
    authz_status st = AUTHZ_OK;
    if (authz__redis_parse(url, &p->redis, why, sizeof why) != 0)
        st = authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "publish", -1, "%s", why);
    p->key_log = cat3(name, ":log", "");
    p->key_snap = cat3(name, ":snap", "");
    p->key_leader = cat3(name, ":leader", "");
    p->snap_path = cat3(data_dir, "/snapshot", "");
    p->jnl_path = cat3(data_dir, "/journal", "");
    p->name = cat3(name, "", "");
    if (!st && (!p->key_log || !p->key_snap || !p->key_leader || !p->snap_path || !p->jnl_path ||
                !p->name))
        st = authz__nomem(err);
    if (!st && leader_id(data_dir, p->id, sizeof p->id) != 0)
        st = authz__fail(err, AUTHZ_EIO, AUTHZ_OBJ_NONE, "data", -1,
                         "cannot read or create %s/leader-id", data_dir);
    p->trim_margin = trim_margin ? trim_margin : 1000;
    p->durable = durable_rev;
    if (!st && pthread_create(&p->thread, NULL, run, p) != 0)
        st = authz__fail(err, AUTHZ_ENOMEM, AUTHZ_OBJ_NONE, "thread", -1,
                         "cannot start the publishing thread");
    if (st) {
        free_publisher(p);
        return st;
    }
    p->started = true;
    *out = p;
    return AUTHZ_OK;
}

void authz__publisher_record(authz__publisher *p, uint64_t seq, const char *rec, size_t len) {
    if (!p) return;
    pthread_mutex_lock(&p->mu);
    bool room = p->queued < QUEUE_MAX;
    pthread_mutex_unlock(&p->mu);
    /* A full queue drops the record: the thread reads it back from the journal. */
    qnode *q = room ? malloc(sizeof *q + authz__journal_record_size(len)) : NULL;
    if (!q) return;
    q->next = NULL;
    q->seq = seq;
    q->len = authz__journal_record_size(len);
    authz__journal_record_encode(q->rec, seq, rec, len);
    pthread_mutex_lock(&p->mu);
    if (p->tail)
        p->tail->next = q;
    else
        p->head = q;
    p->tail = q;
    p->queued++;
    pthread_mutex_unlock(&p->mu);
}

void authz__publisher_durable(authz__publisher *p, uint64_t seq) {
    if (!p) return;
    pthread_mutex_lock(&p->mu);
    if (seq > p->durable) p->durable = seq;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

void authz__publisher_snapshot(authz__publisher *p) {
    if (!p) return;
    pthread_mutex_lock(&p->mu);
    p->snapshot_flag = true;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

void authz__publisher_info_get(authz__publisher *p, authz__publisher_info *out) {
    pthread_mutex_lock(&p->mu);
    *out = p->info;
    pthread_mutex_unlock(&p->mu);
}

void authz__publisher_stop(authz__publisher *p) {
    if (!p) return;
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    if (p->started) pthread_join(p->thread, NULL);
    free_publisher(p);
}
