/*
 * journal.c - the write-ahead journal (see journal.h).
 */
#include "store/journal.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "base/error.h"
#include "store/io.h"
#include "store/snapshot_format.h"

#define JNL_MAGIC "AUTHZJNL"
#define JNL_VERSION 1u
#define JNL_HEADER 24u
#define REC_MAGIC 0x524a5a41u /* "AZJR" */
#define REC_HEAD 16u
#define REC_TAIL 8u
#define REC_MAX (64u << 20) /* far above any request the server accepts */

struct authz__journal {
    char *path;
    int fd;
    pthread_mutex_t lock;
    pthread_cond_t synced_cond;
    uint64_t appended, synced, bytes;
    int syncing;
    int failed; /* errno of a failed write or fsync; the journal refuses everything after */
};

static uint64_t record_sum(const unsigned char *head, const void *payload, size_t len) {
    XXH64_hash_t h = XXH3_64bits_withSeed(head + 4, 12, 0);
    return XXH3_64bits_withSeed(payload, len, h);
}

static authz_status io_error(authz_error *err, const char *what, const char *path, int e) {
    return authz__fail(err, AUTHZ_EIO, AUTHZ_OBJ_NONE, "journal", -1, "%s %s: %s", what, path,
                       strerror(e));
}

static authz_status corrupt(authz_error *err, const char *path, uint64_t at, const char *why) {
    return authz__fail(err, AUTHZ_ECORRUPT, AUTHZ_OBJ_NONE, "journal", -1,
                       "corrupt journal %s at byte %llu: %s", path, (unsigned long long)at, why);
}

/* ---- one record ---- */

size_t authz__journal_record_size(size_t len) { return REC_HEAD + len + REC_TAIL; }

void authz__journal_record_encode(unsigned char *out, uint64_t seq, const void *payload,
                                  size_t len) {
    authz__put_u32(out, REC_MAGIC);
    authz__put_u32(out + 4, (uint32_t)len);
    authz__put_u64(out + 8, seq);
    if (len) memcpy(out + REC_HEAD, payload, len);
    authz__put_u64(out + REC_HEAD + len, record_sum(out, out + REC_HEAD, len));
}

int authz__journal_record_decode(const unsigned char *d, size_t n, uint64_t *seq,
                                 const unsigned char **payload, size_t *len, const char **why) {
    if (n < REC_HEAD + REC_TAIL) return *why = "shorter than a record header", 0;
    if (authz__get_u32(d) != REC_MAGIC) return *why = "bad record magic", 0;
    uint32_t plen = authz__get_u32(d + 4);
    if (plen > REC_MAX || (size_t)plen + REC_HEAD + REC_TAIL != n)
        return *why = "record length does not match its size", 0;
    if (record_sum(d, d + REC_HEAD, plen) != authz__get_u64(d + REC_HEAD + plen))
        return *why = "record checksum mismatch", 0;
    *seq = authz__get_u64(d + 8);
    *payload = d + REC_HEAD;
    *len = plen;
    return 1;
}

/* ---- replay ---- */

static int read_all(const char *path, unsigned char **data, size_t *len) {
    const authz__io *io = authz__io_get();
    int fd = io->open(path, O_RDONLY | O_CLOEXEC, 0);
    if (fd < 0) return -1;
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = malloc(cap);
    while (buf) {
        if (n == cap) {
            unsigned char *b = realloc(buf, cap * 2);
            if (!b) break;
            buf = b, cap *= 2;
        }
        ssize_t r = io->read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            free(buf);
            buf = NULL;
            break;
        }
        if (r == 0) {
            io->close(fd);
            *data = buf;
            *len = n;
            return 0;
        }
        n += (size_t)r;
    }
    int e = buf ? ENOMEM : errno;
    free(buf);
    io->close(fd);
    errno = e;
    return -1;
}

static int only_zeros(const unsigned char *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (p[i]) return 0;
    return 1;
}

typedef struct replay_state {
    const char *path;
    const unsigned char *d;
    size_t len, at;
    uint64_t expect; /* the next sequence number */
} replay_state;

/* 1: a whole, valid record at `at`; 0: damaged (reason in *why). */
static int record_ok(const replay_state *r, uint32_t *plen, uint64_t *seq, const char **why) {
    const unsigned char *p = r->d + r->at;
    size_t left = r->len - r->at;
    if (left < REC_HEAD) return *why = "truncated record header", 0;
    if (authz__get_u32(p) != REC_MAGIC) return *why = "bad record magic", 0;
    *plen = authz__get_u32(p + 4);
    *seq = authz__get_u64(p + 8);
    if (*plen > REC_MAX || left - REC_HEAD < (size_t)*plen + REC_TAIL)
        return *why = "record runs past the end of the file", 0;
    uint64_t sum = authz__get_u64(p + REC_HEAD + *plen);
    if (record_sum(p, p + REC_HEAD, *plen) != sum) return *why = "record checksum mismatch", 0;
    return 1;
}

/* A damaged record is a torn tail if the file ends inside it or nothing but zeros follow. */
static int torn_tail(const replay_state *r) {
    const unsigned char *p = r->d + r->at;
    size_t left = r->len - r->at;
    if (only_zeros(p, left)) return 1;
    if (left < REC_HEAD) return 1;
    uint32_t plen = authz__get_u32(p + 4);
    return authz__get_u32(p) == REC_MAGIC && (size_t)plen + REC_HEAD + REC_TAIL > left;
}

static authz_status check_header(replay_state *r, uint64_t after_seq, authz_error *err) {
    if (r->len < JNL_HEADER || memcmp(r->d, JNL_MAGIC, 8) != 0)
        return corrupt(err, r->path, 0, "not an authz journal");
    if (authz__get_u32(r->d + 8) != JNL_VERSION)
        return corrupt(err, r->path, 8, "unsupported journal version");
    uint64_t base = authz__get_u64(r->d + 16);
    if (base > after_seq)
        return corrupt(err, r->path, 16, "the journal starts after the snapshot: writes missing");
    r->expect = base + 1;
    r->at = JNL_HEADER;
    return AUTHZ_OK;
}

authz_status authz__journal_replay_buffer(const unsigned char *d, size_t len, const char *name,
                                          uint64_t after_seq, authz__journal_apply_fn apply,
                                          void *ctx, uint64_t *last_seq, uint64_t *valid_bytes,
                                          char *warning, size_t warning_size, authz_error *err) {
    *last_seq = after_seq;
    *valid_bytes = 0;
    if (warning && warning_size) warning[0] = '\0';
    replay_state r = {name, d, len, 0, 0};
    authz_status st = len == 0 ? AUTHZ_OK : check_header(&r, after_seq, err);
    while (!st && r.at < len) {
        uint32_t plen;
        uint64_t seq;
        const char *why;
        if (!record_ok(&r, &plen, &seq, &why)) {
            if (!torn_tail(&r)) {
                st = corrupt(err, name, r.at, why);
                break;
            }
            if (warning)
                snprintf(warning, warning_size,
                         "journal %s: cut a torn last record at byte %zu (%zu bytes): %s", name,
                         r.at, len - r.at, why);
            break;
        }
        if (seq != r.expect) {
            st = corrupt(err, name, r.at, "sequence gap");
            break;
        }
        if (seq > after_seq) {
            st = apply(ctx, seq, (const char *)d + r.at + REC_HEAD, plen, err);
            if (st) break;
            *last_seq = seq;
        }
        r.expect++;
        r.at += REC_HEAD + plen + REC_TAIL;
    }
    if (!st) *valid_bytes = len == 0 ? 0 : r.at;
    if (!st && len != 0 && r.expect - 1 < after_seq)
        st = corrupt(err, name, r.at, "the journal ends before the snapshot it follows");
    return st;
}

authz_status authz__journal_replay(const char *path, uint64_t after_seq,
                                   authz__journal_apply_fn apply, void *ctx, uint64_t *last_seq,
                                   uint64_t *valid_bytes, char *warning, size_t warning_size,
                                   authz_error *err) {
    *last_seq = after_seq;
    *valid_bytes = 0;
    if (warning && warning_size) warning[0] = '\0';
    unsigned char *d;
    size_t len;
    if (read_all(path, &d, &len) != 0) {
        if (errno == ENOENT) return AUTHZ_OK;
        return io_error(err, "cannot read", path, errno);
    }
    authz_status st = authz__journal_replay_buffer(d, len, path, after_seq, apply, ctx, last_seq,
                                                   valid_bytes, warning, warning_size, err);
    free(d);
    return st;
}

/* ---- appending ---- */

static int write_header(int fd, uint64_t base) {
    unsigned char h[JNL_HEADER] = JNL_MAGIC;
    authz__put_u32(h + 8, JNL_VERSION);
    authz__put_u64(h + 16, base);
    return authz__io_write_all(fd, h, sizeof h);
}

authz_status authz__journal_open(const char *path, uint64_t valid_bytes, uint64_t last_seq,
                                 authz__journal **out, authz_error *err) {
    const authz__io *io = authz__io_get();
    *out = NULL;
    authz__journal *j = calloc(1, sizeof *j);
    if (!j || !(j->path = strdup(path))) {
        free(j);
        return authz__nomem(err);
    }
    j->fd = io->open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    authz_status st = AUTHZ_OK;
    if (j->fd < 0)
        st = io_error(err, "cannot open", path, errno);
    else if (io->ftruncate(j->fd, (off_t)valid_bytes) != 0)
        st = io_error(err, "cannot truncate", path, errno);
    else if (valid_bytes == 0 && write_header(j->fd, last_seq) != 0)
        st = io_error(err, "cannot write", path, errno);
    else if (io->fsync(j->fd) != 0 || authz__io_sync_dir(path) != 0)
        st = io_error(err, "cannot fsync", path, errno);
    if (st) {
        if (j->fd >= 0) io->close(j->fd);
        free(j->path);
        free(j);
        return st;
    }
    pthread_mutex_init(&j->lock, NULL);
    pthread_cond_init(&j->synced_cond, NULL);
    j->appended = j->synced = last_seq;
    j->bytes = valid_bytes ? valid_bytes : JNL_HEADER;
    *out = j;
    return AUTHZ_OK;
}

authz_status authz__journal_append(authz__journal *j, const void *payload, size_t len,
                                   uint64_t *seq, authz_error *err) {
    if (len > REC_MAX)
        return authz__fail(err, AUTHZ_ELIMIT, AUTHZ_OBJ_NONE, "journal", -1, "record too large");
    unsigned char *rec = malloc(REC_HEAD + len + REC_TAIL);
    if (!rec) return authz__nomem(err);
    pthread_mutex_lock(&j->lock);
    authz_status st = AUTHZ_OK;
    if (j->failed) {
        st = io_error(err, "journal unusable after an earlier failure:", j->path, j->failed);
    } else {
        uint64_t s = j->appended + 1;
        authz__journal_record_encode(rec, s, payload, len);
        if (authz__io_write_all(j->fd, rec, REC_HEAD + len + REC_TAIL) != 0) {
            j->failed = errno ? errno : EIO;
            st = io_error(err, "cannot append to", j->path, j->failed);
        } else {
            j->appended = *seq = s;
            j->bytes += REC_HEAD + len + REC_TAIL;
        }
    }
    pthread_mutex_unlock(&j->lock);
    free(rec);
    return st;
}

authz_status authz__journal_sync(authz__journal *j, uint64_t seq, authz_error *err) {
    pthread_mutex_lock(&j->lock);
    while (j->synced < seq && !j->failed) {
        if (j->syncing) {
            pthread_cond_wait(&j->synced_cond, &j->lock);
            continue;
        }
        /* This thread flushes for everyone appended so far. */
        uint64_t target = j->appended;
        j->syncing = 1;
        pthread_mutex_unlock(&j->lock);
        int rc = authz__io_get()->fsync(j->fd);
        int e = errno;
        pthread_mutex_lock(&j->lock);
        j->syncing = 0;
        if (rc != 0)
            j->failed = e ? e : EIO;
        else if (target > j->synced)
            j->synced = target;
        pthread_cond_broadcast(&j->synced_cond);
    }
    authz_status st = AUTHZ_OK;
    if (j->synced < seq) st = io_error(err, "cannot fsync", j->path, j->failed);
    pthread_mutex_unlock(&j->lock);
    return st;
}

authz_status authz__journal_rotate(authz__journal *j, authz_error *err) {
    const authz__io *io = authz__io_get();
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.new", j->path);
    pthread_mutex_lock(&j->lock);
    authz_status st = AUTHZ_OK;
    int fd = io->open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        st = io_error(err, "cannot create", tmp, errno);
    else if (write_header(fd, j->appended) != 0 || io->fsync(fd) != 0)
        st = io_error(err, "cannot write", tmp, errno);
    else if (io->rename(tmp, j->path) != 0)
        st = io_error(err, "cannot rename onto", j->path, errno);
    else if (authz__io_sync_dir(j->path) != 0)
        st = io_error(err, "cannot fsync the directory of", j->path, errno);
    if (st) {
        if (fd >= 0) io->close(fd);
        io->unlink(tmp);
    } else {
        io->close(j->fd);
        j->fd = fd;
        j->synced = j->appended;
        j->bytes = JNL_HEADER;
    }
    pthread_mutex_unlock(&j->lock);
    return st;
}

uint64_t authz__journal_last_seq(const authz__journal *j) {
    pthread_mutex_lock((pthread_mutex_t *)(uintptr_t)&j->lock);
    uint64_t s = j->appended;
    pthread_mutex_unlock((pthread_mutex_t *)(uintptr_t)&j->lock);
    return s;
}

uint64_t authz__journal_bytes(const authz__journal *j) {
    pthread_mutex_lock((pthread_mutex_t *)(uintptr_t)&j->lock);
    uint64_t b = j->bytes;
    pthread_mutex_unlock((pthread_mutex_t *)(uintptr_t)&j->lock);
    return b;
}

void authz__journal_close(authz__journal *j) {
    if (!j) return;
    authz__io_get()->close(j->fd);
    pthread_mutex_destroy(&j->lock);
    pthread_cond_destroy(&j->synced_cond);
    free(j->path);
    free(j);
}
