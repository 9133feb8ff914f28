/*
 * snapshot_write.c - authz_save: the engine's logical state streamed into a new file that
 * replaces the target atomically (write a temporary file in the same directory, fsync it,
 * rename it over the target, fsync the directory). The engine is read under the read lock, so
 * checks go on while a snapshot is written; writes wait.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

#include "base/error.h"
#include "model/engine.h"
#include "store/io.h"
#include "store/snapshot.h"
#include "store/snapshot_format.h"

/* ---- pointer -> index map (writer only) ---- */

/* The writer's temporary memory goes through the embedder's allocator too, but not through
 * the engine's counters: a save runs under the read lock, beside other readers. */
static void *tmp_calloc(const authz_allocator *a, size_t n, size_t size) {
    if (size && n > SIZE_MAX / size) return NULL;
    size_t bytes = n * size;
    void *p = a->malloc_fn(a->ctx, bytes != 0 ? bytes : 1);
    if (p) memset(p, 0, bytes);
    return p;
}

int authz__ptrmap_init(authz__ptrmap *m, const authz_allocator *a, size_t n) {
    size_t cap = 16;
    while (cap < n * 2) cap *= 2;
    m->a = a;
    m->keys = tmp_calloc(a, cap, sizeof *m->keys);
    m->values = tmp_calloc(a, cap, sizeof *m->values);
    m->mask = cap - 1;
    return m->keys && m->values;
}

void authz__ptrmap_put(authz__ptrmap *m, const void *k, uint32_t v) {
    size_t i = (size_t)authz__mix64((uint64_t)(uintptr_t)k) & m->mask;
    while (m->keys[i] && m->keys[i] != k) i = (i + 1) & m->mask;
    m->keys[i] = k;
    m->values[i] = v;
}

uint32_t authz__ptrmap_get(const authz__ptrmap *m, const void *k) {
    size_t i = (size_t)authz__mix64((uint64_t)(uintptr_t)k) & m->mask;
    while (m->keys[i] != k) i = (i + 1) & m->mask;
    return m->values[i];
}

void authz__ptrmap_free(authz__ptrmap *m) {
    m->a->free_fn(m->a->ctx, m->keys);
    m->a->free_fn(m->a->ctx, m->values);
}

/* ---- the buffered, hashing writer ---- */

typedef struct dir_entry {
    uint32_t kind;
    uint64_t offset, length, checksum;
} dir_entry;

typedef struct writer {
    int fd;
    int failed; /* errno of the first failure, 0 if none */
    unsigned char *buf;
    size_t n;
    uint64_t off, section_start;
    XXH3_state_t *hash;
    dir_entry dir[AUTHZ__SNAP_SECTIONS];
    uint32_t sections;
    uint32_t *sid; /* string id -> its index in the STRINGS section (ids freed leave holes) */
} writer;

enum { WRITE_BUF = 1 << 16 };

static void flush(writer *w) {
    if (w->failed || w->n == 0) return;
    if (authz__io_write_all(w->fd, w->buf, w->n) != 0) w->failed = errno ? errno : EIO;
    w->n = 0;
}

static void put(writer *w, const void *p, size_t n) {
    XXH3_64bits_update(w->hash, p, n);
    w->off += n;
    const unsigned char *c = p;
    while (n > 0) {
        if (w->n == WRITE_BUF) flush(w);
        size_t k = WRITE_BUF - w->n < n ? WRITE_BUF - w->n : n;
        memcpy(w->buf + w->n, c, k);
        w->n += k, c += k, n -= k;
    }
}

static void put_u8(writer *w, unsigned v) {
    unsigned char b = (unsigned char)v;
    put(w, &b, 1);
}

static void put_u32(writer *w, uint32_t v) {
    unsigned char b[4];
    authz__put_u32(b, v);
    put(w, b, 4);
}

static void put_u64(writer *w, uint64_t v) {
    unsigned char b[8];
    authz__put_u64(b, v);
    put(w, b, 8);
}

static void put_text(writer *w, const char *s) {
    if (!s) {
        put_u32(w, AUTHZ__SNAP_NULL_TEXT);
        return;
    }
    size_t n = strlen(s);
    put_u32(w, (uint32_t)n);
    put(w, s, n);
}

static void section_begin(writer *w) {
    XXH3_64bits_reset(w->hash);
    w->section_start = w->off;
}

static void section_end(writer *w, uint32_t kind) {
    w->dir[w->sections++] =
        (dir_entry){kind, w->section_start, w->off - w->section_start, XXH3_64bits_digest(w->hash)};
}

/* ---- sections ---- */

static void put_sid(writer *w, uint32_t id) { put_u32(w, w->sid[id]); }

/* The live strings in id order, numbered from 1. */
static void write_strings(writer *w, const authz_engine *e) {
    put_u32(w, authz__intern_count(&e->strings));
    uint32_t k = 0;
    for (uint32_t id = 1; id <= authz__intern_high(&e->strings); id++) {
        if (!authz__intern_live(&e->strings, id)) continue;
        w->sid[id] = ++k;
        put_u32(w, (uint32_t)authz__intern_len(&e->strings, id));
        put(w, authz__str(e, id), authz__intern_len(&e->strings, id));
    }
}

static void write_resource(writer *w, const authz__resource *r) {
    put_sid(w, r->code);
    put_u8(w, (unsigned)r->type);
    put_text(w, r->name);
    put_text(w, r->description);
    put_text(w, r->api_identifier);
    put_u32(w, (uint32_t)r->action_count);
    for (size_t a = 0; a < r->action_count; a++) {
        put_sid(w, r->actions[a].name);
        put_text(w, r->actions[a].description);
    }
    put_u32(w, (uint32_t)r->tenants.count);
    for (size_t t = 0; t < r->tenants.count; t++) put_text(w, r->tenants.items[t]);
}

static void write_namespaces(writer *w, const authz_engine *e) {
    put_u32(w, (uint32_t)e->ns_order.count);
    for (size_t i = 0; i < e->ns_order.count; i++) {
        const authz__ns *ns = e->ns_order.items[i];
        put_sid(w, ns->code);
        put_text(w, ns->name);
        put_text(w, ns->description);
        put_u32(w, (uint32_t)ns->resource_order.count);
        for (size_t k = 0; k < ns->resource_order.count; k++)
            write_resource(w, ns->resource_order.items[k]);
        put_u32(w, (uint32_t)ns->role_order.count);
        for (size_t k = 0; k < ns->role_order.count; k++) {
            const authz__role *r = ns->role_order.items[k];
            put_sid(w, r->code);
            put_text(w, r->name);
            put_text(w, r->description);
            put_u8(w, (unsigned)r->status);
            put_u64(w, (uint64_t)r->disable_time);
        }
    }
}

static void write_groups(writer *w, const authz_engine *e) {
    put_u32(w, (uint32_t)e->group_order.count);
    for (size_t i = 0; i < e->group_order.count; i++) {
        const authz__group *g = e->group_order.items[i];
        put_sid(w, g->code);
        put_text(w, g->name);
        put_text(w, g->description);
        put_text(w, g->type);
    }
}

/* The object indices the later sections refer to. */
typedef struct indices {
    const authz_allocator *a;
    authz__ptrmap obj; /* principal, group, role or assignment -> index */
    const authz__principal **users, **depts;
    size_t nusers, ndepts, nassigns;
} indices;

static const authz__principal **principal_array(const authz__map *m, indices *ix) {
    const authz__principal **a = tmp_calloc(ix->a, m->count + 1, sizeof *a);
    if (!a) return NULL;
    const authz__map_slot *s;
    uint32_t k = 0;
    for (size_t i = 0; authz__map_next(m, &i, &s);) {
        a[k] = (const authz__principal *)(uintptr_t)s->value;
        authz__ptrmap_put(&ix->obj, a[k], k);
        k++;
    }
    return a;
}

static int indices_build(const authz_engine *e, indices *ix) {
    memset(ix, 0, sizeof *ix);
    ix->a = &e->mem.a;
    size_t n =
        e->users.count + e->depts.count + e->group_order.count + e->role_count + e->assign_count;
    if (!authz__ptrmap_init(&ix->obj, ix->a, n + 1)) return 0;
    for (size_t i = 0; i < e->group_order.count; i++)
        authz__ptrmap_put(&ix->obj, e->group_order.items[i], (uint32_t)i);
    for (size_t i = 0; i < e->ns_order.count; i++) {
        const authz__ns *ns = e->ns_order.items[i];
        for (size_t k = 0; k < ns->role_order.count; k++) {
            const authz__role *r = ns->role_order.items[k];
            authz__ptrmap_put(&ix->obj, r, (uint32_t)k);
            for (size_t a = 0; a < r->assigns.count; a++)
                authz__ptrmap_put(&ix->obj, r->assigns.items[a], (uint32_t)ix->nassigns++);
        }
    }
    ix->users = principal_array(&e->users, ix);
    ix->depts = principal_array(&e->depts, ix);
    ix->nusers = e->users.count;
    ix->ndepts = e->depts.count;
    return ix->users && ix->depts;
}

static void indices_free(indices *ix) {
    if (ix->obj.a) authz__ptrmap_free(&ix->obj);
    if (ix->a) {
        ix->a->free_fn(ix->a->ctx, ix->users);
        ix->a->free_fn(ix->a->ctx, ix->depts);
    }
}

static void put_refs(writer *w, const indices *ix, const authz__vec *v) {
    put_u32(w, (uint32_t)v->count);
    for (size_t i = 0; i < v->count; i++) put_u32(w, authz__ptrmap_get(&ix->obj, v->items[i]));
}

static void write_principals(writer *w, const authz_engine *e, const indices *ix) {
    put_u32(w, (uint32_t)ix->ndepts);
    for (size_t i = 0; i < ix->ndepts; i++) put_sid(w, ix->depts[i]->id);
    put_u32(w, (uint32_t)ix->nusers);
    for (size_t i = 0; i < ix->nusers; i++) {
        put_sid(w, ix->users[i]->id);
        put_refs(w, ix, &ix->users[i]->groups);
        put_refs(w, ix, &ix->users[i]->depts);
    }
    for (size_t i = 0; i < e->group_order.count; i++) {
        const authz__group *g = e->group_order.items[i];
        put_refs(w, ix, &g->members);
    }
    for (size_t i = 0; i < ix->ndepts; i++) put_refs(w, ix, &ix->depts[i]->members);
}

/* The listed users' profiles, oldest first, each naming its user principal by index. */
static void write_directory(writer *w, const authz_engine *e, const indices *ix) {
    put_u64(w, e->dir.next_id);
    put_u32(w, (uint32_t)e->dir.order.count);
    for (size_t i = 0; i < e->dir.order.count; i++) {
        const authz__profile *u = e->dir.order.items[i];
        put_u32(w, authz__ptrmap_get(&ix->obj, u->p));
        put_u64(w, (uint64_t)u->created_at);
        put_text(w, u->username);
        put_text(w, u->email);
        put_text(w, u->phone);
        put_text(w, u->name);
    }
}

/* Organizations and department records, by creation, each department naming its principal. */
static void write_organizations(writer *w, const authz_engine *e, const indices *ix) {
    put_u64(w, e->dir.next_dept);
    put_u32(w, (uint32_t)e->dir.orgs.count);
    for (size_t i = 0; i < e->dir.orgs.count; i++) {
        const authz__org *o = e->dir.orgs.items[i];
        put_text(w, o->code);
        put_text(w, o->name);
        put_text(w, o->description);
        put_text(w, o->root);
        put_u64(w, (uint64_t)o->created_at);
    }
    put_u32(w, (uint32_t)e->dir.depts.count);
    for (size_t i = 0; i < e->dir.depts.count; i++) {
        const authz__dept *d = e->dir.depts.items[i];
        put_u32(w, authz__ptrmap_get(&ix->obj, d->p));
        put_text(w, d->org);
        put_text(w, d->parent);
        put_text(w, d->name);
        put_text(w, d->code);
        put_text(w, d->description);
        put_u64(w, (uint64_t)d->created_at);
    }
}

static void write_assigns(writer *w, const authz_engine *e, const indices *ix) {
    put_u32(w, (uint32_t)ix->nassigns);
    for (size_t i = 0; i < e->ns_order.count; i++) {
        const authz__ns *ns = e->ns_order.items[i];
        for (size_t k = 0; k < ns->role_order.count; k++) {
            const authz__role *r = ns->role_order.items[k];
            for (size_t a = 0; a < r->assigns.count; a++) {
                const authz__assign *as = r->assigns.items[a];
                put_u32(w, (uint32_t)i);
                put_u32(w, (uint32_t)k);
                put_u8(w, (unsigned)as->who->kind);
                put_u32(w, authz__ptrmap_get(&ix->obj, as->who));
                put_u64(w, (uint64_t)as->enable_time);
                put_u64(w, (uint64_t)as->end_time);
            }
        }
    }
    for (size_t i = 0; i < ix->nusers; i++) put_refs(w, ix, &ix->users[i]->assigns);
    for (size_t i = 0; i < ix->ndepts; i++) put_refs(w, ix, &ix->depts[i]->assigns);
}

/* ---- grants ---- */

static uint32_t target_ref(const authz_engine *e, const indices *ix, uint32_t target) {
    uint32_t id = authz__target_id(target);
    switch (authz__target_type(target)) {
        case AUTHZ_TARGET_USER:
            return authz__ptrmap_get(&ix->obj, authz__map_getp(&e->users, id));
        case AUTHZ_TARGET_DEPARTMENT:
            return authz__ptrmap_get(&ix->obj, authz__map_getp(&e->depts, id));
        case AUTHZ_TARGET_ROLE:
            return authz__ptrmap_get(&ix->obj, authz__role_by_oid(e, id));
        case AUTHZ_TARGET_GROUP:
            return authz__ptrmap_get(&ix->obj, authz__group_by_oid(e, id));
    }
    return 0;
}

static void write_grant(writer *w, const authz_engine *e, const indices *ix, uint32_t r,
                        const authz__ptrmap *ns_index) {
    const authz__grant_rec *rec = &e->grants.recs[r];
    const authz__gslot *s = authz__grant_find(&e->grants, rec->ns, rec->target, rec->res);
    uint32_t words;
    const uint64_t *ext = authz__grant_ext(&e->grants, r, &words);
    while (words > 0 && ext[words - 1] == 0) words--;
    put_u32(w, authz__ptrmap_get(ns_index, authz__ns_by_oid(e, rec->ns)));
    put_u8(w, (unsigned)authz__target_type(rec->target));
    put_u32(w, target_ref(e, ix, rec->target));
    put_sid(w, rec->res);
    put_sid(w, rec->code);
    put_u8(w, rec->type);
    put_u32(w, words + 1);
    put_u64(w, s->bits);
    for (uint32_t k = 0; k < words; k++) put_u64(w, ext[k]);
}

/* Grants go out in an order consistent with every target list and every code list (a
 * topological order of both "next" relations), so that the reader, appending in file order,
 * rebuilds each list exactly. The insertion history is one such order, so one always exists. */
static int write_grant_order(writer *w, const authz_engine *e, const indices *ix,
                             const authz__ptrmap *ns_index) {
    const authz__grants *g = &e->grants;
    const authz_allocator *a = &e->mem.a;
    unsigned char *indeg = tmp_calloc(a, (size_t)g->rec_high + 1, 1);
    uint32_t *queue = tmp_calloc(a, (size_t)g->count + 1, sizeof *queue);
    if (!indeg || !queue) {
        a->free_fn(a->ctx, indeg);
        a->free_fn(a->ctx, queue);
        return 0;
    }
    size_t head = 0, tail = 0;
    for (uint32_t r = 1; r <= g->rec_high; r++) {
        if (!g->recs[r].live) continue;
        indeg[r] = (unsigned char)((g->recs[r].tprev != 0) + (g->recs[r].cprev != 0));
        if (indeg[r] == 0) queue[tail++] = r;
    }
    put_u32(w, (uint32_t)g->count);
    while (head < tail) {
        uint32_t r = queue[head++];
        write_grant(w, e, ix, r, ns_index);
        uint32_t next[2] = {g->recs[r].tnext, g->recs[r].cnext};
        for (int k = 0; k < 2; k++)
            if (next[k] && --indeg[next[k]] == 0) queue[tail++] = next[k];
    }
    a->free_fn(a->ctx, indeg);
    a->free_fn(a->ctx, queue);
    return 1;
}

static int write_grants(writer *w, const authz_engine *e, const indices *ix) {
    authz__ptrmap ns_index;
    if (!authz__ptrmap_init(&ns_index, &e->mem.a, e->ns_order.count)) {
        if (ns_index.keys || ns_index.values) authz__ptrmap_free(&ns_index);
        return 0;
    }
    for (size_t i = 0; i < e->ns_order.count; i++) {
        const authz__ns *ns = e->ns_order.items[i];
        authz__ptrmap_put(&ns_index, ns, (uint32_t)i);
        put_u32(w, (uint32_t)ns->actabs.count);
        const authz__map_slot *s;
        for (size_t k = 0; authz__map_next(&ns->actabs, &k, &s);) {
            const authz__actab *t = (const authz__actab *)(uintptr_t)s->value;
            put_sid(w, t->code);
            put_u32(w, t->count);
            for (uint32_t o = 0; o < t->count; o++) put_sid(w, t->names[o]);
        }
    }
    int ok = write_grant_order(w, e, ix, &ns_index);
    authz__ptrmap_free(&ns_index);
    return ok;
}

/* ---- the file ---- */

static void write_tail(writer *w) {
    XXH3_64bits_reset(w->hash);
    unsigned char hdr[AUTHZ__SNAP_HEADER] = AUTHZ__SNAP_MAGIC;
    authz__put_u32(hdr + 8, AUTHZ__SNAP_VERSION);
    XXH3_64bits_update(w->hash, hdr, sizeof hdr);
    for (uint32_t i = 0; i < w->sections; i++) {
        unsigned char d[AUTHZ__SNAP_DIR_ENTRY] = {0};
        authz__put_u32(d, w->dir[i].kind);
        authz__put_u64(d + 8, w->dir[i].offset);
        authz__put_u64(d + 16, w->dir[i].length);
        authz__put_u64(d + 24, w->dir[i].checksum);
        XXH3_64bits_update(w->hash, d, sizeof d);
        if (w->n + sizeof d > WRITE_BUF) flush(w);
        memcpy(w->buf + w->n, d, sizeof d);
        w->n += sizeof d;
    }
    unsigned char t[AUTHZ__SNAP_TRAILER] = {0};
    authz__put_u32(t, w->sections);
    authz__put_u64(t + 8, XXH3_64bits_digest(w->hash));
    memcpy(t + 16, AUTHZ__SNAP_END, 8);
    if (w->n + sizeof t > WRITE_BUF) flush(w);
    memcpy(w->buf + w->n, t, sizeof t);
    w->n += sizeof t;
    flush(w);
}

static int write_all(writer *w, const authz_engine *e, uint64_t seq) {
    unsigned char hdr[AUTHZ__SNAP_HEADER] = AUTHZ__SNAP_MAGIC;
    authz__put_u32(hdr + 8, AUTHZ__SNAP_VERSION);
    put(w, hdr, sizeof hdr);
    indices ix;
    int ok = indices_build(e, &ix);
    w->sid = ok ? tmp_calloc(&e->mem.a, (size_t)authz__intern_high(&e->strings) + 1, sizeof *w->sid)
                : NULL;
    if (!w->sid) {
        indices_free(&ix);
        return 0;
    }
    {
        section_begin(w), write_strings(w, e), section_end(w, AUTHZ__SNAP_STRINGS);
        section_begin(w), write_namespaces(w, e), section_end(w, AUTHZ__SNAP_NAMESPACES);
        section_begin(w), write_groups(w, e), section_end(w, AUTHZ__SNAP_GROUPS);
        section_begin(w), write_principals(w, e, &ix), section_end(w, AUTHZ__SNAP_PRINCIPALS);
        section_begin(w), write_assigns(w, e, &ix), section_end(w, AUTHZ__SNAP_ASSIGNS);
        section_begin(w);
        ok = write_grants(w, e, &ix);
        section_end(w, AUTHZ__SNAP_GRANTS);
        section_begin(w), put_u64(w, seq), section_end(w, AUTHZ__SNAP_META);
        section_begin(w), write_directory(w, e, &ix), section_end(w, AUTHZ__SNAP_DIRECTORY);
        section_begin(w), write_organizations(w, e, &ix), section_end(w, AUTHZ__SNAP_ORGANIZATIONS);
    }
    indices_free(&ix);
    e->mem.a.free_fn(e->mem.a.ctx, w->sid);
    if (ok) write_tail(w);
    return ok;
}

static authz_status io_fail(authz_error *err, const char *what, const char *path, int errnum) {
    return authz__fail(err, AUTHZ_EIO, AUTHZ_OBJ_NONE, "path", -1, "%s %s: %s", what, path,
                       strerror(errnum));
}

authz_status authz_save(const authz_engine *e, const char *path, authz_error *err) {
    return authz__save_seq(e, path, 0, err);
}

authz_status authz__save_seq(const authz_engine *e, const char *path, uint64_t seq,
                             authz_error *err) {
    if (!e || !path || !*path)
        return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "path", -1, "path is required");
    const authz__io *io = authz__io_get();
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof tmp)
        return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "path", -1, "path too long");
    XXH3_state_t hash;
    unsigned char *buf = e->mem.a.malloc_fn(e->mem.a.ctx, WRITE_BUF);
    if (!buf) return authz__nomem(err);
    XXH3_64bits_reset(&hash);
    writer w = {.fd = -1, .buf = buf, .hash = &hash};
    w.fd = io->open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    authz_status st = AUTHZ_OK;
    if (w.fd < 0) {
        st = io_fail(err, "cannot create", tmp, errno);
    } else {
        authz__rdlock(e);
        int ok = write_all(&w, e, seq);
        authz__unlock(e);
        if (!ok)
            st = authz__nomem(err);
        else if (w.failed)
            st = io_fail(err, "cannot write", tmp, w.failed);
        else if (io->fsync(w.fd) != 0)
            st = io_fail(err, "cannot fsync", tmp, errno);
        if (io->close(w.fd) != 0 && !st) st = io_fail(err, "cannot close", tmp, errno);
        if (!st && io->rename(tmp, path) != 0) st = io_fail(err, "cannot rename onto", path, errno);
        if (st)
            io->unlink(tmp);
        else if (authz__io_sync_dir(path) != 0)
            st = io_fail(err, "cannot fsync the directory of", path, errno);
    }
    e->mem.a.free_fn(e->mem.a.ctx, buf);
    return st;
}
