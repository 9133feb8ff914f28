/*
 * lifecycle.c - an engine's construction and teardown, and its statistics: the top of the model
 * layer, the one file that knows every object kind (it creates the default namespace and frees
 * each catalog), so that the engine core and the kinds never call each other in a circle.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "model/engine.h"

void authz_options_init(authz_options *opt) { memset(opt, 0, sizeof *opt); }

static authz_status create_default_namespace(authz_engine *e);

static authz_status engine_init(authz_engine *e) {
    e->star = authz__intern_add(&e->strings, &e->mem, "*", 1);
    e->default_code = authz__intern_add(&e->strings, &e->mem, "default", 7);
    if (!e->star || !e->default_code) return AUTHZ_ENOMEM;
    /* Held for the engine's life. */
    authz__sref(e, e->star);
    authz__sref(e, e->default_code);
    if (!authz__grant_reserve(e, 1) || !authz__undo_init(e)) return AUTHZ_ENOMEM;
    if (!authz__map_reserve(e, &e->users, 1) || !authz__map_reserve(e, &e->user_index, 1) ||
        !authz__map_reserve(e, &e->depts, 1) || !authz__map_reserve(e, &e->groups, 1) ||
        !authz__map_reserve(e, &e->group_by_oid, 1) || !authz__map_reserve(e, &e->role_by_oid, 1))
        return AUTHZ_ENOMEM;
    return create_default_namespace(e);
}

static authz_status create_default_namespace(authz_engine *e) {
    authz__ns *ns = authz__calloc(&e->mem, 1, sizeof *ns);
    if (!ns) return AUTHZ_ENOMEM;
    ns->oid = authz__new_oid(e);
    ns->code = e->default_code;
    authz__sref(e, ns->code);
    if (!authz__ns_reserve_link(e)) {
        authz__free(&e->mem, ns);
        return AUTHZ_ENOMEM;
    }
    authz__ns_link(e, ns);
    return AUTHZ_OK;
}

authz_status authz_engine_new(const authz_options *opt, authz_engine **out) {
    if (!out) return AUTHZ_EINVAL;
    *out = NULL;
    authz__mem mem;
    authz__mem_init(&mem, opt ? opt->allocator : NULL);
    if (opt && opt->allocator &&
        (!opt->allocator->malloc_fn || !opt->allocator->realloc_fn || !opt->allocator->free_fn))
        return AUTHZ_EINVAL;
    authz_engine *e = mem.a.malloc_fn(mem.a.ctx, sizeof *e);
    if (!e) return AUTHZ_ENOMEM;
    memset(e, 0, sizeof *e);
    e->mem = mem;
    e->user_key_mask = authz__user_key_mask_default;
    if (opt) {
        e->clock = opt->clock;
        e->clock_ctx = opt->clock_ctx;
        e->strict = opt->strict;
        e->user_directory = opt->user_directory;
    }
    pthread_rwlockattr_t attr;
    pthread_rwlockattr_init(&attr);
#if defined(__GLIBC__)
    pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
#endif
    int rc = pthread_rwlock_init(&e->lock, &attr);
    pthread_rwlockattr_destroy(&attr);
    if (rc != 0) {
        mem.a.free_fn(mem.a.ctx, e);
        return AUTHZ_ENOMEM;
    }
    if (engine_init(e) != AUTHZ_OK) {
        authz_engine_free(e);
        return AUTHZ_ENOMEM;
    }
    *out = e;
    return AUTHZ_OK;
}

static void swap_bytes(unsigned char *a, unsigned char *b, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned char t = a[i];
        a[i] = b[i];
        b[i] = t;
    }
}

void authz__engine_swap(authz_engine *e, authz_engine *fresh) {
    authz_clock_fn clock = e->clock;
    void *clock_ctx = e->clock_ctx;
    int64_t write_at = e->write_at;
    bool strict = e->strict, user_directory = e->user_directory;
    uint64_t gen = (e->generation > fresh->generation ? e->generation : fresh->generation) + 1;
    /* Everything before the lock and everything after it: fields added later come along. */
    size_t at = offsetof(authz_engine, lock), past = at + sizeof e->lock;
    swap_bytes((unsigned char *)e, (unsigned char *)fresh, at);
    swap_bytes((unsigned char *)e + past, (unsigned char *)fresh + past, sizeof *e - past);
    e->clock = clock;
    e->clock_ctx = clock_ctx;
    e->write_at = write_at;
    e->strict = strict;
    e->user_directory = user_directory;
    e->generation = gen;
}

static void free_namespaces(authz_engine *e);
static void free_groups(authz_engine *e);
static void free_principals(authz_engine *e, authz__map *m);

void authz_engine_free(authz_engine *e) {
    if (!e) return;
    free_namespaces(e);
    authz__routes_free(e);
    free_groups(e);
    authz__directory_free(e);
    free_principals(e, &e->users);
    free_principals(e, &e->depts);
    authz__map_free(&e->mem, &e->user_index);
    authz__grants_free(e);
    authz__map_free(&e->mem, &e->ns_by_code);
    authz__map_free(&e->mem, &e->ns_by_oid);
    authz__vec_free(&e->mem, &e->ns_order);
    authz__map_free(&e->mem, &e->groups);
    authz__map_free(&e->mem, &e->group_by_oid);
    authz__vec_free(&e->mem, &e->group_order);
    authz__map_free(&e->mem, &e->role_by_oid);
    authz__undo_free(e);
    authz__intern_free(&e->strings, &e->mem);
    pthread_rwlock_destroy(&e->lock);
    authz_allocator a = e->mem.a;
    a.free_fn(a.ctx, e);
}

static void free_namespaces(authz_engine *e) {
    for (size_t i = 0; i < e->ns_order.count; i++) authz__ns_free(e, e->ns_order.items[i]);
    e->ns_order.count = 0;
}

static void free_groups(authz_engine *e) {
    for (size_t i = 0; i < e->group_order.count; i++) authz__group_free(e, e->group_order.items[i]);
    e->group_order.count = 0;
}

static void free_principals(authz_engine *e, authz__map *m) {
    const authz__map_slot *s;
    for (size_t i = 0; authz__map_next(m, &i, &s);) {
        authz__principal *p = (authz__principal *)(uintptr_t)s->value;
        for (size_t k = 0; k < p->assigns.count; k++) {
            authz__assign *a = p->assigns.items[k];
            /* Each assignment is owned by its principal's list; the role side only points. */
            authz__free(&e->mem, a);
        }
        authz__principal_free(e, p);
    }
    authz__map_free(&e->mem, m);
}

authz_status authz_get_stats(const authz_engine *e, authz_stats *out) {
    if (!e || !out) return AUTHZ_EINVAL;
    authz__rdlock(e);
    memset(out, 0, sizeof *out);
    out->namespaces = e->ns_order.count;
    for (size_t i = 0; i < e->ns_order.count; i++) {
        const authz__ns *ns = e->ns_order.items[i];
        out->resources += ns->resource_order.count;
    }
    out->roles = e->role_count;
    out->groups = e->group_order.count;
    out->users = e->users.count;
    out->departments = e->depts.count;
    out->grants = e->grants.count;
    out->role_assignments = e->assign_count;
    out->memberships = e->membership_count;
    out->strings = authz__intern_count(&e->strings);
    out->bytes = e->mem.live_bytes;
    authz__unlock(e);
    return AUTHZ_OK;
}

/* ---- recounting (snapshot loading) and compaction (after commits) ---- */

static void refs_namespace(const authz__ns *ns, authz__ref_fn fn, void *ctx) {
    fn(ctx, ns->code);
    for (size_t i = 0; i < ns->resource_order.count; i++) {
        const authz__resource *r = ns->resource_order.items[i];
        fn(ctx, r->code);
        for (size_t a = 0; a < r->action_count; a++) fn(ctx, r->actions[a].name);
    }
    for (size_t i = 0; i < ns->role_order.count; i++) {
        const authz__role *r = ns->role_order.items[i];
        fn(ctx, r->code);
    }
    const authz__map_slot *s;
    for (size_t i = 0; authz__map_next(&ns->actabs, &i, &s);) {
        const authz__actab *t = (const authz__actab *)(uintptr_t)s->value;
        fn(ctx, t->code);
        for (uint32_t o = 0; o < t->count; o++) fn(ctx, t->names[o]);
    }
}

static void refs_principals(const authz__map *m, authz__ref_fn fn, void *ctx) {
    const authz__map_slot *s;
    for (size_t i = 0; authz__map_next(m, &i, &s);)
        fn(ctx, ((const authz__principal *)(uintptr_t)s->value)->id);
}

void authz__string_refs(const authz_engine *e, authz__ref_fn fn, void *ctx) {
    fn(ctx, e->star);
    fn(ctx, e->default_code);
    for (size_t i = 0; i < e->ns_order.count; i++) refs_namespace(e->ns_order.items[i], fn, ctx);
    for (size_t i = 0; i < e->group_order.count; i++) {
        const authz__group *g = e->group_order.items[i];
        fn(ctx, g->code);
    }
    refs_principals(&e->users, fn, ctx);
    refs_principals(&e->depts, fn, ctx);
    const authz__grants *g = &e->grants;
    for (uint32_t r = 1; r <= g->rec_high; r++) {
        if (!authz__grant_rec_live(&g->recs[r])) continue;
        fn(ctx, g->recs[r].res);
        fn(ctx, g->recs[r].code);
    }
}

/* Drops every principal of `m` that nothing links. A removal shifts a later entry of the probe
 * run into the slot just emptied, so the same slot is looked at again; an entry shifted from
 * the start of the table to its end may be looked at twice, which is harmless. */
static void drop_unlinked(authz_engine *e, authz__map *m) {
    for (size_t i = 0; m->slots && i <= m->mask;) {
        authz__principal *p = (authz__principal *)(uintptr_t)m->slots[i].value;
        if (m->slots[i].key && !authz__principal_linked(p)) {
            authz__map_del(m, m->slots[i].key);
            authz__principal_free(e, p);
        } else {
            i++;
        }
    }
}

static void ref_one(void *ctx, uint32_t id) { authz__sref(ctx, id); }

void authz__engine_settle(authz_engine *e) {
    /* Count first: dropping a principal unrefs its ID, which must then be a counted reference
     * (a loaded snapshot built its objects without counting). */
    authz__intern_clear_refs(&e->strings);
    authz__string_refs(e, ref_one, e);
    drop_unlinked(e, &e->users);
    drop_unlinked(e, &e->depts);
    authz__intern_sweep(&e->strings, &e->mem, 1);
    authz__engine_compact(e);
}

void authz__engine_compact(authz_engine *e) {
    authz__grants_compact(e);
    authz__map_shrink(&e->mem, &e->users);
    authz__map_shrink(&e->mem, &e->user_index);
    authz__map_shrink(&e->mem, &e->depts);
    authz__map_shrink(&e->mem, &e->groups);
    authz__map_shrink(&e->mem, &e->group_by_oid);
    authz__map_shrink(&e->mem, &e->role_by_oid);
    authz__map_shrink(&e->mem, &e->ns_by_code);
    authz__map_shrink(&e->mem, &e->ns_by_oid);
    authz__undo_trim(e);
}
