/*
 * snapshot_grants.c - decoding the GRANTS section: each namespace's action tables, then every
 * grant in an order that rebuilds the target and code lists as they were. This is the bulk of
 * a large snapshot, so the index is reserved once and each grant costs one probe and a few
 * bounds checks.
 */
#include <string.h>

#include "base/validate.h"
#include "store/snapshot_cursor.h"

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

authz_status authz__snap_load_grants(authz__loader *l) {
    for (uint32_t i = 0; i < l->nns && !l->c.bad; i++) {
        uint32_t n = authz__snap_count(&l->c, 8);
        for (uint32_t k = 0; k < n && !l->c.bad; k++) load_actab(l, l->ns[i]);
    }
    uint32_t n = authz__snap_count(&l->c, 30);
    /* The probe table and records are sized once; the target and code lists grow as grants
     * name them (reserving n of each would size both maps for one list per grant). */
    if (!l->c.bad && !authz__grant_reserve_index(l->e, n)) return authz__snap_nomem(l);
    unsigned char *memo = l->c.bad ? NULL : authz__snap_array(l, (size_t)l->nstrings + 1, 1);
    for (uint32_t i = 0; memo && i < n && !l->c.bad; i++) load_grant(l, memo);
    authz__free(&l->e->mem, memo);
    /* A table exists only while its code has grants. */
    for (uint32_t i = 0; i < l->nns && !l->c.bad; i++) {
        const authz__map_slot *s;
        for (size_t k = 0; authz__map_next(&l->ns[i]->actabs, &k, &s);)
            if (!authz__grant_clist_head(&l->e->grants, l->ns[i]->oid, (uint32_t)s->key))
                return authz__snap_corrupt(&l->c, "action table without grants");
    }
    return BAD(l);
}
