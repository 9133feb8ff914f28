/*
 * route.c - the route index (see route.h) and authz_route_match().
 */
#include "model/route.h"

#include <string.h>
#include <xxhash.h>

#include "base/error.h"
#include "base/validate.h"
#include "model/engine.h"

/* ---- paths and templates ---- */

static int hexval(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* What a second decode of `s` would produce at an escape: refused when it is '/', '\\', '.' or
 * '%' (a double-encoded slash, backslash, dot segment or deeper encoding). */
static bool double_encoded(const char *s, size_t n) {
    for (size_t i = 0; i + 2 < n; i++) {
        if (s[i] != '%') continue;
        int h = hexval((unsigned char)s[i + 1]), l = hexval((unsigned char)s[i + 2]);
        if (h < 0 || l < 0) continue;
        int c = h * 16 + l;
        if (c == '/' || c == '\\' || c == '.' || c == '%') return true;
    }
    return false;
}

const char *authz__path_parse(const char *path, size_t len, authz__path *out) {
    out->n = 0;
    size_t end = 0;
    while (end < len && path[end] != '?' && path[end] != '#') end++;
    if (end == 0 || path[0] != '/') return "the path must start with '/'";
    if (end >= AUTHZ__PATH_MAX) return "the path is too long";
    for (size_t i = 1; i < end; i++)
        if (path[i] == '/' && path[i - 1] == '/') return "empty path segment";
    if (end > 1 && path[end - 1] == '/') end--; /* one trailing slash is ignored */
    size_t w = 0, i = 1;
    while (end > 1 && i <= end) {
        size_t start = i;
        while (i < end && path[i] != '/') i++;
        if (i == start) return "empty path segment";
        if (out->n == AUTHZ__PATH_SEGS) return "too many path segments";
        size_t seg = w;
        for (size_t k = start; k < i; k++) {
            int c = (unsigned char)path[k];
            if (c == '%') {
                int h = k + 2 < i ? hexval((unsigned char)path[k + 1]) : -1;
                int l = h >= 0 ? hexval((unsigned char)path[k + 2]) : -1;
                if (h < 0 || l < 0) return "malformed percent escape";
                c = h * 16 + l;
                k += 2;
                if (c == '/' || c == '\\') return "encoded slash or backslash";
            }
            if (c < 0x20 || c == 0x7f || c == '\\') return "control character or backslash";
            out->buf[w++] = (char)c;
        }
        size_t n = w - seg;
        if ((n == 1 && out->buf[seg] == '.') ||
            (n == 2 && out->buf[seg] == '.' && out->buf[seg + 1] == '.'))
            return "dot segment";
        if (double_encoded(out->buf + seg, n)) return "double-encoded escape";
        out->buf[w++] = '\0';
        out->seg[out->n] = out->buf + seg;
        out->len[out->n++] = n;
        i++;
    }
    return NULL;
}

enum { SEG_EXACT, SEG_PARAM, SEG_STAR };

typedef struct tmpl_seg {
    const char *s;
    size_t len;
    int kind;
} tmpl_seg;

/* A template's segments (literal, no decoding); 0 when `t` is not a route template. */
static size_t tmpl_parse(const char *t, tmpl_seg *segs) {
    if (!t || t[0] != '/' || strstr(t, "//")) return 0;
    size_t len = strlen(t), n = 0;
    if (len > 1 && t[len - 1] == '/') len--;
    if (len >= AUTHZ__PATH_MAX) return 0;
    /* The root template "/" is one pseudo-segment of length 0 handled by the caller. */
    for (size_t i = 1; len > 1 && i <= len; i++) {
        size_t start = i;
        while (i < len && t[i] != '/') i++;
        if (i == start || n == AUTHZ__PATH_SEGS) return 0;
        if (n > 0 && segs[n - 1].kind == SEG_STAR) return 0;
        tmpl_seg *s = &segs[n++];
        s->s = t + start;
        s->len = i - start;
        s->kind = SEG_EXACT;
        if (s->len == 1 && t[start] == '*')
            s->kind = SEG_STAR;
        else if (s->len >= 2 && t[start] == '{' && t[i - 1] == '}')
            s->kind = SEG_PARAM;
    }
    return n + 1; /* +1 so that "/" (no segments) is still a template */
}

/* ---- the trie ---- */

typedef struct rentry {
    char *code;
    bool bind; /* the template has a {param} */
} rentry;

typedef struct rnode rnode;
struct rnode {
    rnode *parent;
    int kind;
    uint32_t ns_oid; /* the root's namespace */
    char *seg;       /* exact segment, NUL-terminated */
    size_t seglen;
    uint64_t hash;
    rnode **kids; /* open addressing, kmask + 1 slots */
    uint32_t nkids, kmask;
    rnode *param, *star;
    rentry *ents; /* in the resources' creation order */
    uint32_t nents, ecap;
};

static uint64_t seg_hash(const char *s, size_t n) { return XXH3_64bits(s, n); }

static rnode *kid_find(const rnode *nd, const char *s, size_t n, uint64_t h) {
    if (!nd->kids) return NULL;
    for (uint32_t i = (uint32_t)h & nd->kmask;; i = (i + 1) & nd->kmask) {
        rnode *k = nd->kids[i];
        if (!k) return NULL;
        if (k->hash == h && k->seglen == n && memcmp(k->seg, s, n) == 0) return k;
    }
}

static void kid_put(rnode **kids, uint32_t mask, rnode *k) {
    uint32_t i = (uint32_t)k->hash & mask;
    while (kids[i]) i = (i + 1) & mask;
    kids[i] = k;
}

/* Room for one more exact child (load at most 3/4). 0 on allocation failure, nothing changed. */
static int kid_reserve(authz_engine *e, rnode *nd) {
    uint32_t cap = nd->kids ? nd->kmask + 1 : 0;
    if ((nd->nkids + 1) * 4 <= cap * 3) return 1;
    uint32_t ncap = cap ? cap * 2 : 4;
    rnode **n = authz__calloc(&e->mem, ncap, sizeof *n);
    if (!n) return 0;
    for (uint32_t i = 0; i < cap; i++)
        if (nd->kids[i]) kid_put(n, ncap - 1, nd->kids[i]);
    authz__free(&e->mem, nd->kids);
    nd->kids = n;
    nd->kmask = ncap - 1;
    return 1;
}

/* Backward-shift deletion; the table is freed with its last child. */
static void kid_del(authz_engine *e, rnode *nd, const rnode *k) {
    uint32_t mask = nd->kmask, i = (uint32_t)k->hash & mask;
    while (nd->kids[i] != k) i = (i + 1) & mask;
    nd->kids[i] = NULL;
    for (uint32_t j = (i + 1) & mask; nd->kids[j]; j = (j + 1) & mask) {
        rnode *m = nd->kids[j];
        uint32_t home = (uint32_t)m->hash & mask;
        /* m may move into the hole at i unless its home lies cyclically in (i, j]. */
        bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
        if (stays) continue;
        nd->kids[i] = m;
        nd->kids[j] = NULL;
        i = j;
    }
    if (--nd->nkids == 0) {
        authz__free(&e->mem, nd->kids);
        nd->kids = NULL;
        nd->kmask = 0;
    }
}

static void node_free(authz_engine *e, rnode *nd) {
    for (uint32_t i = 0; nd->kids && i <= nd->kmask; i++)
        if (nd->kids[i]) node_free(e, nd->kids[i]);
    if (nd->param) node_free(e, nd->param);
    if (nd->star) node_free(e, nd->star);
    for (uint32_t i = 0; i < nd->nents; i++) authz__free(&e->mem, nd->ents[i].code);
    authz__free(&e->mem, nd->ents);
    authz__free(&e->mem, nd->kids);
    authz__free(&e->mem, nd->seg);
    authz__free(&e->mem, nd);
}

static bool node_empty(const rnode *nd) {
    return !nd->nkids && !nd->param && !nd->star && !nd->nents;
}

/* Frees `nd` and its ancestors while they hold nothing; the root leaves the namespace map. */
static void prune(authz_engine *e, uint32_t ns_oid, rnode *nd) {
    while (nd && node_empty(nd)) {
        rnode *up = nd->parent;
        if (!up) {
            authz__map_del(&e->routes.roots, ns_oid);
            if (e->routes.roots.count == 0) authz__map_free(&e->mem, &e->routes.roots);
        } else if (nd->kind == SEG_PARAM) {
            up->param = NULL;
        } else if (nd->kind == SEG_STAR) {
            up->star = NULL;
        } else {
            kid_del(e, up, nd);
        }
        node_free(e, nd);
        nd = up;
    }
}

static rnode *root_of(const authz_engine *e, uint32_t ns_oid) {
    return authz__map_getp(&e->routes.roots, ns_oid);
}

/* The child for `s` of `nd`, created (empty) if missing. NULL on allocation failure. */
static rnode *child(authz_engine *e, rnode *nd, const tmpl_seg *s) {
    rnode **slot = s->kind == SEG_PARAM ? &nd->param : s->kind == SEG_STAR ? &nd->star : NULL;
    uint64_t h = s->kind == SEG_EXACT ? seg_hash(s->s, s->len) : 0;
    rnode *k = slot ? *slot : kid_find(nd, s->s, s->len, h);
    if (k) return k;
    k = authz__calloc(&e->mem, 1, sizeof *k);
    if (!k) return NULL;
    k->parent = nd;
    k->kind = s->kind;
    if (s->kind == SEG_EXACT) {
        k->seg = authz__alloc(&e->mem, s->len + 1);
        if (!k->seg || !kid_reserve(e, nd)) {
            authz__free(&e->mem, k->seg);
            authz__free(&e->mem, k);
            return NULL;
        }
        memcpy(k->seg, s->s, s->len);
        k->seg[s->len] = '\0';
        k->seglen = s->len;
        k->hash = h;
        kid_put(nd->kids, nd->kmask, k);
        nd->nkids++;
    } else {
        *slot = k;
    }
    return k;
}

/* The node a template leads to, or NULL. */
static rnode *lookup(const authz_engine *e, uint32_t ns_oid, const tmpl_seg *segs, size_t n) {
    rnode *nd = root_of(e, ns_oid);
    for (size_t i = 0; nd && i < n; i++) {
        const tmpl_seg *s = &segs[i];
        nd = s->kind == SEG_PARAM  ? nd->param
             : s->kind == SEG_STAR ? nd->star
                                   : kid_find(nd, s->s, s->len, seg_hash(s->s, s->len));
    }
    return nd;
}

static void ent_remove_at(authz_engine *e, rnode *nd, uint32_t i) {
    authz__free(&e->mem, nd->ents[i].code);
    memmove(&nd->ents[i], &nd->ents[i + 1], (nd->nents - i - 1) * sizeof *nd->ents);
    if (--nd->nents == 0) {
        authz__free(&e->mem, nd->ents);
        nd->ents = NULL;
        nd->ecap = 0;
    }
}

/* Undo of an addition: `a` is the node, `b` the entry's code block (unique to that entry). */
static void undo_add(authz_engine *e, void *a, uintptr_t b) {
    rnode *nd = a;
    uint32_t i = 0;
    while (nd->ents[i].code != (char *)b) i++;
    const rnode *root = nd;
    while (root->parent) root = root->parent;
    uint32_t oid = root->ns_oid;
    ent_remove_at(e, nd, i);
    prune(e, oid, nd);
}

/* Where resource `code` goes among the node's entries: after those created before it. */
static uint32_t insert_pos(const authz_engine *e, const authz__ns *ns, const rnode *nd,
                           const char *code) {
    uint32_t k = 0;
    for (size_t i = 0; k < nd->nents && i < ns->resource_order.count; i++) {
        const authz__resource *r = ns->resource_order.items[i];
        const char *c = authz__str(e, r->code);
        if (strcmp(c, code) == 0) break;
        if (strcmp(c, nd->ents[k].code) == 0) k++;
    }
    return k;
}

authz_status authz__route_add(authz_engine *e, const authz__ns *ns, const char *code,
                              authz_resource_type type, const char *tmpl, authz_error *err) {
    tmpl_seg segs[AUTHZ__PATH_SEGS];
    size_t n = type == AUTHZ_RESOURCE_API ? tmpl_parse(tmpl, segs) : 0;
    if (n-- == 0) return AUTHZ_OK;
    if (!authz__undo_reserve(e)) return authz__nomem(err);
    rnode *nd = root_of(e, ns->oid);
    if (!nd) {
        nd = authz__calloc(&e->mem, 1, sizeof *nd);
        if (!nd) return authz__nomem(err);
        nd->ns_oid = ns->oid;
        if (!authz__map_grow(&e->mem, &e->routes.roots, 1)) {
            authz__free(&e->mem, nd);
            return authz__nomem(err);
        }
        authz__map_putp(&e->routes.roots, ns->oid, nd);
    }
    bool bind = false;
    for (size_t i = 0; i < n; i++) {
        rnode *k = child(e, nd, &segs[i]);
        if (!k) {
            prune(e, ns->oid, nd);
            return authz__nomem(err);
        }
        bind = bind || segs[i].kind == SEG_PARAM;
        nd = k;
    }
    /* The copy first: once the array has grown nothing may fail. */
    char *copy = NULL;
    if (authz__strdup(&e->mem, code, &copy) && nd->nents == nd->ecap) {
        uint32_t cap = nd->ecap ? nd->ecap * 2 : 1;
        rentry *g = authz__realloc(&e->mem, nd->ents, cap * sizeof *g);
        if (g) {
            nd->ents = g;
            nd->ecap = cap;
        }
    }
    if (!copy || nd->nents == nd->ecap) {
        authz__free(&e->mem, copy);
        prune(e, ns->oid, nd);
        return authz__nomem(err);
    }
    uint32_t at = insert_pos(e, ns, nd, code);
    memmove(&nd->ents[at + 1], &nd->ents[at], (nd->nents - at) * sizeof *nd->ents);
    nd->ents[at] = (rentry){copy, bind};
    nd->nents++;
    authz__undo_push(e, undo_add, nd, (uintptr_t)copy);
    return AUTHZ_OK;
}

void authz__route_remove(authz_engine *e, const authz__ns *ns, const char *code,
                         authz_resource_type type, const char *tmpl) {
    tmpl_seg segs[AUTHZ__PATH_SEGS];
    size_t n = type == AUTHZ_RESOURCE_API ? tmpl_parse(tmpl, segs) : 0;
    if (n-- == 0) return;
    rnode *nd = lookup(e, ns->oid, segs, n);
    for (uint32_t i = 0; nd && i < nd->nents; i++) {
        if (strcmp(nd->ents[i].code, code) != 0) continue;
        ent_remove_at(e, nd, i);
        prune(e, ns->oid, nd);
        return;
    }
}

void authz__route_drop_ns(authz_engine *e, uint32_t ns_oid) {
    rnode *root = root_of(e, ns_oid);
    if (!root) return;
    authz__map_del(&e->routes.roots, ns_oid);
    if (e->routes.roots.count == 0) authz__map_free(&e->mem, &e->routes.roots);
    node_free(e, root);
}

void authz__routes_free(authz_engine *e) {
    const authz__map_slot *s;
    for (size_t i = 0; authz__map_next(&e->routes.roots, &i, &s);)
        node_free(e, (rnode *)(uintptr_t)s->value);
    authz__map_free(&e->mem, &e->routes.roots);
}

/* ---- matching ---- */

/* Depth first in specificity order (exact, {param}, *): the first complete match is the most
 * specific. `bound` carries the index of the last segment a {param} took. */
static const rnode *walk(const rnode *nd, const authz__path *p, size_t i, size_t bound,
                         size_t *bound_out) {
    if (i == p->n) {
        if (nd->nents) return *bound_out = bound, nd;
        if (nd->star && nd->star->nents) return *bound_out = bound, nd->star;
        return NULL;
    }
    const rnode *k = kid_find(nd, p->seg[i], p->len[i], seg_hash(p->seg[i], p->len[i]));
    const rnode *hit = k ? walk(k, p, i + 1, bound, bound_out) : NULL;
    if (!hit && nd->param) hit = walk(nd->param, p, i + 1, i, bound_out);
    if (!hit && nd->star && nd->star->nents) hit = (*bound_out = bound, nd->star);
    return hit;
}

const char *authz__route_find(const authz_engine *e, uint32_t ns_oid, const authz__path *p,
                              size_t *bound) {
    const rnode *root = root_of(e, ns_oid);
    *bound = SIZE_MAX;
    const rnode *hit = root ? walk(root, p, 0, SIZE_MAX, bound) : NULL;
    if (!hit) return NULL;
    if (!hit->ents[0].bind) *bound = SIZE_MAX;
    return hit->ents[0].code;
}

static authz_status method_action(const char *method, char *action, authz_error *err) {
    size_t n = method ? strlen(method) : 0;
    if (n == 0 || n > 32)
        return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "method", -1,
                           "the method must be 1..32 letters");
    for (size_t i = 0; i < n; i++) {
        char c = method[i];
        if (c >= 'a' && c <= 'z') c = (char)(c - 32);
        if (c < 'A' || c > 'Z')
            return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "method", -1,
                               "the method must be 1..32 letters");
        action[i] = c;
    }
    action[n] = '\0';
    return AUTHZ_OK;
}

static bool instance_ok(const char *s, size_t n) {
    if (n == 0 || n > AUTHZ__ID_MAX) return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f) return false;
    return true;
}

authz_status authz_route_match(const authz_engine *e, const char *namespace_code,
                               const char *method, const char *path, authz_route_answer *out,
                               authz_error *err) {
    if (!out) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "out", -1, "out is NULL");
    memset(out, 0, sizeof *out);
    authz_status st = method_action(method, out->action, err);
    if (st) return st;
    authz__path p;
    const char *why = path ? authz__path_parse(path, strlen(path), &p) : "the path is required";
    if (why) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "path", -1, "%s", why);
    authz__rdlock(e);
    authz__ns *ns;
    st = authz__ns_resolve(e, namespace_code, &ns, err);
    size_t bound = SIZE_MAX;
    const char *code = st ? NULL : authz__route_find(e, ns->oid, &p, &bound);
    if (code && bound != SIZE_MAX && !instance_ok(p.seg[bound], p.len[bound]))
        st = authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "path", -1,
                         "the path segment bound to the resource is not a valid resource id");
    else if (code) {
        size_t cl = strlen(code);
        memcpy(out->resource, code, cl + 1);
        if (bound != SIZE_MAX) {
            out->resource[cl] = ':';
            memcpy(out->resource + cl + 1, p.seg[bound], p.len[bound] + 1);
        }
        out->matched = true;
    }
    authz__unlock(e);
    if (st) memset(out, 0, sizeof *out);
    return st;
}

/* ---- verification ---- */

static size_t count_entries(const rnode *nd) {
    size_t c = nd->nents;
    for (uint32_t i = 0; nd->kids && i <= nd->kmask; i++)
        if (nd->kids[i]) c += count_entries(nd->kids[i]);
    if (nd->param) c += count_entries(nd->param);
    if (nd->star) c += count_entries(nd->star);
    return c;
}

int authz__routes_verify(const authz_engine *e) {
    size_t expected = 0, found = 0;
    for (size_t i = 0; i < e->ns_order.count; i++) {
        const authz__ns *ns = e->ns_order.items[i];
        for (size_t k = 0; k < ns->resource_order.count; k++) {
            const authz__resource *r = ns->resource_order.items[k];
            tmpl_seg segs[AUTHZ__PATH_SEGS];
            size_t n = r->type == AUTHZ_RESOURCE_API ? tmpl_parse(r->api_identifier, segs) : 0;
            if (n-- == 0) continue;
            expected++;
            const rnode *nd = lookup(e, ns->oid, segs, n);
            const char *code = authz__str(e, r->code);
            uint32_t hits = 0;
            for (uint32_t j = 0; nd && j < nd->nents; j++) hits += !strcmp(nd->ents[j].code, code);
            if (hits != 1) return 1;
        }
        const rnode *root = root_of(e, ns->oid);
        if (root) found += count_entries(root);
    }
    return expected == found && (e->routes.roots.count <= e->ns_order.count) ? 0 : 1;
}
