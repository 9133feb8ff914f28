/*
 * snapshot_read.c - authz_load: a snapshot file into a new engine.
 *
 * Untrusted bytes are verified into a new engine that the caller sees only on success: first
 * the framing and every checksum, then every field as the sections are decoded. Any failure
 * frees the new engine and reports AUTHZ_ECORRUPT saying where.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

#include "base/mem.h"
#include "model/view.h"
#include "store/io.h"
#include "store/snapshot.h"
#include "store/snapshot_cursor.h"
#include "store/snapshot_format.h"

int authz__snap_one_by_one;

static const char *const section_names[] = {"",           "STRINGS",      "NAMESPACES", "GROUPS",
                                            "PRINCIPALS", "ASSIGNS",      "GRANTS",     "META",
                                            "DIRECTORY",  "ORGANIZATIONS"};

typedef authz_status (*section_fn)(authz__loader *l);
static const section_fn decoders[] = {NULL,
                                      authz__snap_load_strings,
                                      authz__snap_load_namespaces,
                                      authz__snap_load_groups,
                                      authz__snap_load_principals,
                                      authz__snap_load_assigns,
                                      authz__snap_load_grants,
                                      authz__snap_load_meta,
                                      authz__snap_load_directory,
                                      authz__snap_load_organizations};

typedef struct frame {
    uint64_t offset[AUTHZ__SNAP_SECTIONS + 1], length[AUTHZ__SNAP_SECTIONS + 1];
    uint32_t sections; /* 7 in a version 1 file, 8 in version 2, 9 now */
} frame;

static authz_status bad_frame(authz_error *err, const char *what, size_t at) {
    return authz__fail(err, AUTHZ_ECORRUPT, AUTHZ_OBJ_NONE, "snapshot", -1,
                       "corrupt snapshot: %s (at byte %zu)", what, at);
}

/* Header, trailer, directory and checksums; fills the section extents. */
static authz_status check_frame(const unsigned char *d, size_t len, int verify, frame *f,
                                authz_error *err) {
    if (len < AUTHZ__SNAP_HEADER) return bad_frame(err, "file too short", len);
    if (memcmp(d, AUTHZ__SNAP_MAGIC, 8) != 0) return bad_frame(err, "not an authz snapshot", 0);
    uint32_t version = authz__get_u32(d + 8);
    if (version != AUTHZ__SNAP_VERSION && version != 1 && version != 2)
        return authz__fail(err, AUTHZ_ECORRUPT, AUTHZ_OBJ_NONE, "snapshot", -1,
                           "unsupported snapshot format version %u (this build reads 1 to %u)",
                           version, AUTHZ__SNAP_VERSION);
    f->sections = version == 1   ? AUTHZ__SNAP_VERSION_1_SECTIONS
                  : version == 2 ? AUTHZ__SNAP_VERSION_2_SECTIONS
                                 : AUTHZ__SNAP_SECTIONS;
    size_t dir_bytes = (size_t)f->sections * AUTHZ__SNAP_DIR_ENTRY;
    if (len < AUTHZ__SNAP_HEADER + dir_bytes + AUTHZ__SNAP_TRAILER)
        return bad_frame(err, "file too short", len);
    const unsigned char *t = d + len - AUTHZ__SNAP_TRAILER;
    if (memcmp(t + 16, AUTHZ__SNAP_END, 8) != 0)
        return bad_frame(err, "trailer missing (truncated file?)", len - 8);
    if (authz__get_u32(t) != f->sections || authz__get_u32(t + 4) != 0 ||
        authz__get_u32(d + 12) != 0)
        return bad_frame(err, "section count or reserved field", len - 24);
    const unsigned char *dir = t - dir_bytes;
    size_t dir_at = (size_t)(dir - d);
    XXH3_state_t h;
    XXH3_64bits_reset(&h);
    XXH3_64bits_update(&h, d, AUTHZ__SNAP_HEADER);
    XXH3_64bits_update(&h, dir, dir_bytes);
    if (verify && XXH3_64bits_digest(&h) != authz__get_u64(t + 8))
        return bad_frame(err, "file checksum mismatch", len - 16);
    for (uint32_t i = 0; i < f->sections; i++) {
        const unsigned char *e = dir + (size_t)i * AUTHZ__SNAP_DIR_ENTRY;
        uint64_t off = authz__get_u64(e + 8), n = authz__get_u64(e + 16);
        if (authz__get_u32(e) != i + 1 || authz__get_u32(e + 4) != 0)
            return bad_frame(err, "section directory order", dir_at);
        if (off < AUTHZ__SNAP_HEADER || off > dir_at || n > dir_at - off)
            return bad_frame(err, "section extent outside the file", dir_at);
        if (verify && XXH3_64bits(d + off, n) != authz__get_u64(e + 24))
            return authz__fail(err, AUTHZ_ECORRUPT, AUTHZ_OBJ_NONE, "snapshot", -1,
                               "corrupt snapshot: section %s checksum mismatch (bytes %llu..%llu)",
                               section_names[i + 1], (unsigned long long)off,
                               (unsigned long long)(off + n));
        f->offset[i + 1] = off;
        f->length[i + 1] = n;
    }
    return AUTHZ_OK;
}

/* Assignments not yet in their assignee's list belong to no list that frees them. */
static void loader_cleanup(authz__loader *l) {
    for (uint32_t i = 0; l->assigns && i < l->nassigns; i++) {
        authz__assign *a = l->assigns[i];
        if (a && !(l->owned && l->owned[i])) {
            l->e->assign_count--;
            authz__free(&l->e->mem, a);
        }
    }
    authz__free(&l->e->mem, l->owned);
    authz__free(&l->e->mem, l->sid);
    authz__free(&l->e->mem, l->ns);
    authz__free(&l->e->mem, l->groups);
    authz__free(&l->e->mem, l->users);
    authz__free(&l->e->mem, l->depts);
    authz__free(&l->e->mem, l->assigns);
}

static authz_status decode(authz__loader *l, const unsigned char *d, const frame *f) {
    for (uint32_t i = 1; i <= f->sections && !l->c.bad; i++) {
        l->c.p = d + f->offset[i];
        l->c.end = l->c.p + f->length[i];
        l->c.section = section_names[i];
        decoders[i](l);
        if (!l->c.bad && l->c.p != l->c.end)
            authz__snap_corrupt(&l->c, "%zu unexpected bytes at the end",
                                (size_t)(l->c.end - l->c.p));
    }
    return l->c.bad ? l->c.status : AUTHZ_OK;
}

static authz_status load_buffer(const unsigned char *data, size_t len, int verify_checksums,
                                const authz_options *opt, authz_engine **out, uint64_t *seq,
                                authz_error *err) {
    *out = NULL;
    frame f = {0}; /* gcc -O2 cannot see that check_frame sets it on every accepted path */
    authz_status st = check_frame(data, len, verify_checksums, &f, err);
    if (st) return st;
    authz_engine *e;
    st = authz_engine_new(opt, &e);
    if (st) return st == AUTHZ_ENOMEM ? authz__nomem(err) : st;
    authz__loader l = {.e = e, .c = {.base = data, .err = err}};
    st = decode(&l, data, &f);
    loader_cleanup(&l);
    if (st) {
        authz_engine_free(e);
        return st;
    }
    /* Reference counts from what was built; principals nothing links (written by an engine
     * that kept them) are dropped. */
    authz__engine_settle(e);
    /* The check's views, from the users left (model/view.h). */
    if (!authz__views_build_all(e)) {
        authz_engine_free(e);
        return authz__nomem(err);
    }
    *out = e;
    if (seq) *seq = l.seq;
    return AUTHZ_OK;
}

authz_status authz__load_buffer(const unsigned char *data, size_t len, int verify_checksums,
                                const authz_options *opt, authz_engine **out, authz_error *err) {
    return load_buffer(data, len, verify_checksums, opt, out, NULL, err);
}

authz_status authz__load_into(authz_engine *e, const unsigned char *data, size_t len, uint64_t *seq,
                              authz_error *err) {
    authz_options opt;
    authz_options_init(&opt);
    opt.allocator = &e->mem.a;
    opt.clock = e->clock;
    opt.clock_ctx = e->clock_ctx;
    opt.strict = e->strict;
    authz_engine *fresh = NULL;
    uint64_t s = 0;
    authz_status st = load_buffer(data, len, 1, &opt, &fresh, &s, err);
    if (st) return st;
    authz__wrlock(e);
    authz__engine_swap(e, fresh);
    authz__unlock(e);
    authz_engine_free(fresh);
    if (seq) *seq = s;
    return AUTHZ_OK;
}

/* ---- the file ---- */

static void *raw_alloc(const authz_options *opt, void *p, size_t n) {
    if (opt && opt->allocator) return opt->allocator->realloc_fn(opt->allocator->ctx, p, n);
    return realloc(p, n);
}

static void raw_free(const authz_options *opt, void *p) {
    if (opt && opt->allocator)
        opt->allocator->free_fn(opt->allocator->ctx, p);
    else
        free(p);
}

/* The buffer for a file of `fd`: its size plus one byte (so that the read that finds the end
 * does not grow it) when fstat can tell, else 64 KB to double from. Sized once, a large buffer
 * can be backed by huge pages before the read touches it: read into a buffer grown by doubling,
 * a 50 MB snapshot was faulted in 4 KB at a time, and those faults (and the first pass of the
 * checksums over the fresh pages) were a quarter of loading M on this VM. The size is only a
 * hint: reads still go through the I/O table, and a file that grew is still read whole. */
static size_t first_capacity(int fd) {
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
        (uint64_t)st.st_size >= SIZE_MAX / 2)
        return 1 << 16;
    return (size_t)st.st_size + 1;
}

/* Reads the whole file. 0 on success; -1 with errno, or -2 when out of memory. */
static int read_file(const char *path, const authz_options *opt, unsigned char **out, size_t *len) {
    const authz__io *io = authz__io_get();
    int fd = io->open(path, O_RDONLY | O_CLOEXEC, 0);
    if (fd < 0) return -1;
    size_t cap = first_capacity(fd), n = 0;
    unsigned char *buf = raw_alloc(opt, NULL, cap);
    if (buf) authz__advise_huge(buf, cap);
    int rc = buf ? 0 : -2;
    while (rc == 0) {
        if (n == cap) {
            unsigned char *b = raw_alloc(opt, buf, cap * 2);
            if (!b) {
                rc = -2;
                break;
            }
            buf = b, cap *= 2;
        }
        ssize_t r = io->read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) rc = -1;
        if (r <= 0) break;
        n += (size_t)r;
    }
    int saved = errno;
    io->close(fd);
    if (rc != 0) {
        raw_free(opt, buf);
        errno = saved;
        return rc;
    }
    *out = buf;
    *len = n;
    return 0;
}

authz_status authz_load(const char *path, const authz_options *opt, authz_engine **out,
                        authz_error *err) {
    return authz__load_seq(path, opt, out, NULL, err);
}

authz_status authz__load_seq(const char *path, const authz_options *opt, authz_engine **out,
                             uint64_t *seq, authz_error *err) {
    if (!out) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "out", -1, "out is NULL");
    *out = NULL;
    if (!path || !*path)
        return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "path", -1, "path is required");
    unsigned char *data;
    size_t len;
    int rc = read_file(path, opt, &data, &len);
    if (rc == -2) return authz__nomem(err);
    if (rc != 0)
        return authz__fail(err, errno == ENOENT ? AUTHZ_ENOTFOUND : AUTHZ_EIO, AUTHZ_OBJ_NONE,
                           "path", -1, "cannot read %s: %s", path, strerror(errno));
    authz_status st = load_buffer(data, len, 1, opt, out, seq, err);
    raw_free(opt, data);
    return st;
}
