/*
 * snapshot_grants.c - decoding the GRANTS section: each namespace's action tables, then every
 * grant in an order that rebuilds the target and code lists as they were. This is the bulk of
 * a large snapshot, so the index is reserved once and grants go through a prefetching path
 * (below), with the one-by-one decoder (load_grant) as the reference for every check.
 */
#include <string.h>

#include "base/validate.h"
#include "store/snapshot.h"
#include "store/snapshot_cursor.h"
#include "store/snapshot_format.h"

#define BAD(l) ((l)->c.bad ? (l)->c.status : AUTHZ_OK)

/* A table's code is a resource string's code part: a resource code, or "*". */
static int code_ok(const authz_engine *e, uint32_t code) {
    return code == e->star || !authz__check_resource_code(NULL, "", -1, authz__str(e, code));
}

static authz_status load_actab(authz__loader *l, authz__ns *ns) {
    authz_engine *e = l->e;
    uint32_t code = authz__snap_sid(l);
    uint32_t n = authz__snap_count(&l->c, 4);
    if (l->c.bad) return BAD(l);
    if (!code_ok(e, code)) return authz__snap_corrupt(&l->c, "invalid action table code");
    if (n == 0 || n > AUTHZ__MAX_ORDINALS)
        return authz__snap_corrupt(&l->c, "table of %u actions", n);
    if (authz__map_get(&ns->actabs, code)) return authz__snap_corrupt(&l->c, "duplicate table");
    authz__actab *t = authz__actab_ensure(e, ns->oid, code);
    if (!t) return authz__snap_nomem(l);
    for (uint32_t o = 0; o < n && !l->c.bad; o++) {
        uint32_t name = authz__snap_sid(l);
        if (l->c.bad) break;
        if (o == 0) {
            if (name != e->star) return authz__snap_corrupt(&l->c, "ordinal 0 is not \"*\"");
            continue;
        }
        if (authz__check_action(NULL, "", -1, authz__str(e, name)) || name == e->star)
            return authz__snap_corrupt(&l->c, "invalid action name");
        uint32_t ord = authz__actab_add(e, t, name);
        if (ord == UINT32_MAX) return authz__snap_nomem(l);
        if (ord != o) return authz__snap_corrupt(&l->c, "duplicate action in table");
    }
    return BAD(l);
}

/* The packed target of a grant record. */
static uint32_t load_target(authz__loader *l, const authz__ns *ns) {
    authz__cursor *c = &l->c;
    uint32_t type = authz__snap_u8(c);
    if (!c->bad && type > AUTHZ_TARGET_DEPARTMENT) {
        authz__snap_corrupt(c, "target type %u", type);
        return 0;
    }
    switch ((authz_target_type)type) {
        case AUTHZ_TARGET_USER: {
            uint32_t k = authz__snap_index(c, l->nusers, "user");
            return c->bad ? 0 : authz__target(AUTHZ_TARGET_USER, l->users[k]->id);
        }
        case AUTHZ_TARGET_DEPARTMENT: {
            uint32_t k = authz__snap_index(c, l->ndepts, "department");
            return c->bad ? 0 : authz__target(AUTHZ_TARGET_DEPARTMENT, l->depts[k]->id);
        }
        case AUTHZ_TARGET_ROLE: {
            uint32_t k = authz__snap_index(c, (uint32_t)ns->role_order.count, "role");
            const authz__role *r = c->bad ? NULL : ns->role_order.items[k];
            return r ? authz__target(AUTHZ_TARGET_ROLE, r->oid) : 0;
        }
        case AUTHZ_TARGET_GROUP: {
            uint32_t k = authz__snap_index(c, l->ngroups, "group");
            return c->bad ? 0 : authz__target(AUTHZ_TARGET_GROUP, l->groups[k]->oid);
        }
    }
    return 0;
}

/* The resource string must parse, and its code part must be the record's code. The syntax of
 * each string is checked once per load (`memo`: 0 not yet, 1 good, 2 bad): grants repeat
 * strings a lot. */
static int resource_ok(const authz_engine *e, uint32_t res, uint32_t code, unsigned char *memo) {
    const char *s = authz__str(e, res);
    size_t code_len;
    if (!memo[res]) memo[res] = authz__check_resource_string(NULL, "", -1, s, &code_len) ? 2 : 1;
    if (memo[res] == 2) return 0;
    const char *colon = strchr(s, ':');
    code_len = !strcmp(s, "*") ? 1 : colon ? (size_t)(colon - s) : strlen(s);
    return authz__intern_len(&e->strings, code) == code_len &&
           memcmp(authz__str(e, code), s, code_len) == 0;
}

static authz_status load_bits(authz__loader *l, authz__gslot *s, const authz__actab *t) {
    authz_engine *e = l->e;
    uint64_t *ext = NULL;
    uint32_t n = 0;
    uint32_t words = authz__snap_u32(&l->c);
    if (l->c.bad) return BAD(l);
    if (words == 0 || words > AUTHZ__MAX_WORDS)
        return authz__snap_corrupt(&l->c, "%u action words", words);
    s->bits = authz__snap_u64(&l->c);
    if (words > 1) {
        if (!authz__grant_ext_grow(e, s->rec, words - 1)) return authz__snap_nomem(l);
        ext = authz__grant_ext(&e->grants, s->rec, &n);
        for (uint32_t w = 0; w + 1 < words; w++) ext[w] = authz__snap_u64(&l->c);
    }
    if (l->c.bad) return BAD(l);
    /* One past the highest ordinal held: the top set bit of the last non-zero word. */
    uint32_t last = 0;
    for (uint32_t w = words; w-- > 0 && !last;) {
        uint64_t word = w ? ext[w - 1] : s->bits;
        if (word) last = w * 64 + 64 - (uint32_t)__builtin_clzll(word);
    }
    if (last == 0) return authz__snap_corrupt(&l->c, "grant without actions");
    if (last > t->count) return authz__snap_corrupt(&l->c, "action ordinal beyond its table");
    return AUTHZ_OK;
}

static authz_status load_grant(authz__loader *l, unsigned char *memo) {
    authz_engine *e = l->e;
    uint32_t nsi = authz__snap_index(&l->c, l->nns, "namespace");
    const authz__ns *ns = l->c.bad ? NULL : l->ns[nsi];
    uint32_t target = ns ? load_target(l, ns) : 0;
    uint32_t res = authz__snap_sid(l), code = authz__snap_sid(l);
    uint32_t type = authz__snap_u8(&l->c);
    if (l->c.bad) return BAD(l);
    if (type > AUTHZ_RESOURCE_UI || !resource_ok(e, res, code, memo))
        return authz__snap_corrupt(&l->c, "invalid grant resource");
    const authz__actab *t = authz__actab_find(e, ns->oid, code);
    if (!t) return authz__snap_corrupt(&l->c, "grant on a code without an action table");
    if (authz__grant_find(&e->grants, ns->oid, target, res))
        return authz__snap_corrupt(&l->c, "duplicate grant");
    if (!authz__grant_reserve_lists(e, 1)) return authz__snap_nomem(l);
    authz__gslot *s = authz__grant_insert(e, (authz__actab *)(uintptr_t)t, ns->oid, target, res,
                                          code, (authz_resource_type)type);
    return load_bits(l, s, t);
}

/* ---- the prefetching path ----
 *
 * In a large model each grant costs a handful of memory misses: its target's principal, its
 * resource string (file index -> engine id -> entry), its probe slot, its target list's head,
 * and the tails of its two lists. Taken one grant after another they set the pace. So grants go
 * through a software pipeline: while grant i is parsed, grant i - DIST takes its next step, and
 * so on, each step using what the previous one prefetched for it DIST grants earlier, so that a
 * grant's misses overlap with the work on its neighbours. (A few misses per grant in flight, not
 * a block's worth at once: the core tracks only a few dozen misses and drops prefetches beyond
 * them.) Every prefetch is a hint; what is checked and written is read when the grant is
 * inserted, and grants are inserted in file order.
 *
 * The checks are load_grant's, made quietly: a grant that fails one, or that is unusual (action
 * ordinals past 63), is marked, and when its turn to be inserted comes (every grant before it
 * is in), load_grant decodes it again from its first byte, which inserts it or reports exactly
 * what the one-by-one decoder reports. A record that does not parse ends the run: it is the
 * last grant of the pipeline (where the next one starts is not known before load_grant has
 * read it). */

#define DIST 4         /* grants between two steps of one grant */
#define RING 32        /* > 4 * DIST: the grants in flight */
#define GRANT_BYTES 30 /* a grant record with one action word */

typedef struct pending {
    const unsigned char *at, *end; /* the record */
    const authz__ns *ns;
    authz__principal *p; /* a user or department target, else NULL */
    authz__actab *t;
    uint32_t kind, res_i, code_i; /* the target type, the strings' file indices */
    uint32_t target, res, code, type;
    uint64_t bits;
    int redo; /* decode again with load_grant */
} pending;

/* Step 0: the fields of the record at `p`, each in range; 0 for anything load_grant must see.
 * Prefetches the principal and the resource's engine id. */
static int parse_quiet(const authz__loader *l, const unsigned char *p, const unsigned char *end,
                       pending *g) {
    if ((size_t)(end - p) < GRANT_BYTES) return 0;
    uint32_t nsi = authz__get_u32(p), k = authz__get_u32(p + 5);
    g->kind = p[4];
    g->res_i = authz__get_u32(p + 9);
    g->code_i = authz__get_u32(p + 13);
    g->type = p[17];
    g->bits = authz__get_u64(p + 22);
    /* Index 0 wraps to UINT32_MAX and is out of range like any index past the table. */
    if (nsi >= l->nns || g->res_i - 1u >= l->nstrings || g->code_i - 1u >= l->nstrings ||
        g->type > AUTHZ_RESOURCE_UI || authz__get_u32(p + 18) != 1)
        return 0;
    g->ns = l->ns[nsi];
    g->p = NULL;
    switch (g->kind) {
        case AUTHZ_TARGET_USER:
            if (k >= l->nusers) return 0;
            g->p = l->users[k];
            break;
        case AUTHZ_TARGET_DEPARTMENT:
            if (k >= l->ndepts) return 0;
            g->p = l->depts[k];
            break;
        case AUTHZ_TARGET_ROLE: {
            if (k >= g->ns->role_order.count) return 0;
            const authz__role *r = g->ns->role_order.items[k];
            g->target = authz__target(AUTHZ_TARGET_ROLE, r->oid);
            break;
        }
        case AUTHZ_TARGET_GROUP:
            if (k >= l->ngroups) return 0;
            g->target = authz__target(AUTHZ_TARGET_GROUP, l->groups[k]->oid);
            break;
        default:
            return 0;
    }
    if (g->p) __builtin_prefetch(g->p);
    __builtin_prefetch(&l->sid[g->res_i]);
    g->at = p;
    g->end = p + GRANT_BYTES;
    return 1;
}

/* Step 1: the engine ids; prefetches the resource's id slot and memo byte. */
static void step_ids(const authz__loader *l, const unsigned char *memo, pending *g) {
    g->res = l->sid[g->res_i];
    g->code = l->sid[g->code_i];
    authz__intern_prefetch_id(&l->e->strings, g->res);
    __builtin_prefetch(&memo[g->res]);
}

/* Step 2: the target; prefetches the resource's entry, the probe slot and the list head. */
static void step_target(const authz__loader *l, pending *g) {
    const authz__grants *gr = &l->e->grants;
    authz__intern_prefetch_entry(&l->e->strings, g->res);
    if (g->p) g->target = authz__target((authz_target_type)g->kind, g->p->id);
    authz__grant_prefetch(gr, g->ns->oid, g->target, g->res);
    authz__grant_prefetch_heads(gr, g->ns->oid, g->target);
}

/* Step 3: load_grant's checks on the resource, its table and the action bits; prefetches the
 * list tails. */
static void step_check(const authz__loader *l, unsigned char *memo, pending *g) {
    authz_engine *e = l->e;
    g->t = resource_ok(e, g->res, g->code, memo) ? authz__actab_find(e, g->ns->oid, g->code) : NULL;
    /* One past the highest ordinal held must be within the table (load_bits). */
    g->redo = !g->t || !g->bits || 64u - (uint32_t)__builtin_clzll(g->bits) > g->t->count;
    if (!g->redo) authz__grant_prefetch_tails(&e->grants, g->ns->oid, g->target, g->code);
}

/* Step 4, in file order: the insert, or load_grant from the record's first byte. */
static void step_insert(authz__loader *l, unsigned char *memo, const pending *g) {
    if (!g->redo && authz__grant_load(l->e, g->t, g->p, g->ns->oid, g->target, g->res, g->code,
                                      (authz_resource_type)g->type, g->bits)) {
        l->c.p = g->end;
        return;
    }
    l->c.p = g->at;
    load_grant(l, memo);
}

/* Runs the pipeline over the next grants (at most `left`) until they are all in, a record does
 * not parse (it is redone last) or the cursor goes bad. Returns how many grants it took. */
static uint32_t load_run(authz__loader *l, unsigned char *memo, uint32_t left) {
    pending ring[RING];
    const unsigned char *p = l->c.p;
    uint32_t limit = left;
    for (uint32_t t = 0; t < limit + 4 * DIST && !l->c.bad; t++) {
        if (t < limit) {
            pending *g = &ring[t % RING];
            g->redo = authz__snap_one_by_one || !parse_quiet(l, p, l->c.end, g);
            if (g->redo) {
                g->at = p;
                limit = t + 1;
            } else {
                p = g->end;
            }
        }
        pending *g1 = t >= DIST && t - DIST < limit ? &ring[(t - DIST) % RING] : NULL;
        pending *g2 = t >= 2 * DIST && t - 2 * DIST < limit ? &ring[(t - 2 * DIST) % RING] : NULL;
        pending *g3 = t >= 3 * DIST && t - 3 * DIST < limit ? &ring[(t - 3 * DIST) % RING] : NULL;
        pending *g4 = t >= 4 * DIST && t - 4 * DIST < limit ? &ring[(t - 4 * DIST) % RING] : NULL;
        if (g1 && !g1->redo) step_ids(l, memo, g1);
        if (g2 && !g2->redo) step_target(l, g2);
        if (g3 && !g3->redo) step_check(l, memo, g3);
        if (g4) step_insert(l, memo, g4);
    }
    return limit;
}

authz_status authz__snap_load_grants(authz__loader *l) {
    authz_engine *e = l->e;
    size_t tables = 0, roles = 0;
    for (uint32_t i = 0; i < l->nns && !l->c.bad; i++) {
        uint32_t n = authz__snap_count(&l->c, 8);
        for (uint32_t k = 0; k < n && !l->c.bad; k++) load_actab(l, l->ns[i]);
        tables += l->ns[i]->actabs.count;
        roles += l->ns[i]->role_order.count;
    }
    uint32_t n = authz__snap_count(&l->c, 30);
    /* The probe table and records are sized once, and so are the list maps: one code list per
     * action table (a table exists only while its code has grants, checked below), and at most
     * one target list per grant and per principal, role and group (exact for one namespace;
     * more namespaces grow the map as they go). */
    size_t targets = (size_t)l->nusers + l->ndepts + l->ngroups + roles;
    if (!l->c.bad && (!authz__grant_reserve_index(e, n) ||
                      !authz__map_reserve(e, &e->grants.tlists, targets < n ? targets : n) ||
                      !authz__map_reserve(e, &e->grants.clists, tables)))
        return authz__snap_nomem(l);
    /* By engine id: the ids the engine had before the load come on top of the file's. */
    size_t ids = (size_t)authz__intern_high(&e->strings) + 1;
    unsigned char *memo = l->c.bad ? NULL : authz__snap_array(l, ids, 1);
    for (uint32_t i = 0; memo && i < n && !l->c.bad;) i += load_run(l, memo, n - i);
    authz__free(&e->mem, memo);
    /* A table exists only while its code has grants. */
    for (uint32_t i = 0; i < l->nns && !l->c.bad; i++) {
        const authz__map_slot *s;
        for (size_t k = 0; authz__map_next(&l->ns[i]->actabs, &k, &s);)
            if (!authz__grant_clist_head(&l->e->grants, l->ns[i]->oid, (uint32_t)s->key))
                return authz__snap_corrupt(&l->c, "action table without grants");
    }
    return BAD(l);
}
