/*
 * engine.c - the engine's lifecycle, its lock, its clock, object ids and name lookups.
 *
 * The lock is one writer-preferring read-write lock: checks and reads share it, a write holds
 * it alone for exactly one operation, so a reader never waits longer than one write and a
 * steady stream of checks cannot starve writers.
 */
#include "engine.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "authz_debug.h"

void authz_options_init(authz_options *opt) { memset(opt, 0, sizeof *opt); }

void authz__rdlock(const authz_engine *e) {
    pthread_rwlock_rdlock((pthread_rwlock_t *)(uintptr_t)&e->lock);
}

void authz__wrlock(authz_engine *e) { pthread_rwlock_wrlock(&e->lock); }

void authz__unlock(const authz_engine *e) {
    pthread_rwlock_unlock((pthread_rwlock_t *)(uintptr_t)&e->lock);
}

int64_t authz__now(const authz_engine *e) {
    if (e->clock) return e->clock(e->clock_ctx);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

uint32_t authz__new_oid(authz_engine *e) {
    if (e->next_oid >= AUTHZ__TARGET_ID_MAX) return 0;
    return ++e->next_oid;
}

const char *authz__str(const authz_engine *e, uint32_t id) {
    return authz__intern_str(&e->strings, id);
}

static uint32_t find_id(const authz_engine *e, const char *s) {
    return s ? authz__intern_find(&e->strings, s, strlen(s)) : 0;
}

authz__ns *authz__ns_find(const authz_engine *e, const char *code) {
    uint32_t id = (!code || !*code) ? e->default_code : find_id(e, code);
    return id ? authz__map_getp(&e->ns_by_code, id) : NULL;
}

authz__ns *authz__ns_by_oid(const authz_engine *e, uint32_t oid) {
    return authz__map_getp(&e->ns_by_oid, oid);
}

authz__role *authz__role_by_oid(const authz_engine *e, uint32_t oid) {
    return authz__map_getp(&e->role_by_oid, oid);
}

authz__group *authz__group_by_oid(const authz_engine *e, uint32_t oid) {
    return authz__map_getp(&e->group_by_oid, oid);
}

authz__group *authz__group_find(const authz_engine *e, const char *code) {
    uint32_t id = find_id(e, code);
    return id ? authz__map_getp(&e->groups, id) : NULL;
}

authz__role *authz__role_find(const authz_engine *e, const authz__ns *ns, const char *code) {
    uint32_t id = find_id(e, code);
    return id ? authz__map_getp(&ns->roles, id) : NULL;
}

static const authz__map *principal_map(const authz_engine *e, authz_target_type kind) {
    return kind == AUTHZ_TARGET_USER ? &e->users : &e->depts;
}

authz__principal *authz__principal_find(const authz_engine *e, authz_target_type kind,
                                        const char *id) {
    uint32_t sid = find_id(e, id);
    return sid ? authz__map_getp(principal_map(e, kind), sid) : NULL;
}

void authz__principal_free(authz_engine *e, authz__principal *p) {
    authz__vec_free(e, &p->groups);
    authz__vec_free(e, &p->depts);
    authz__vec_free(e, &p->members);
    authz__vec_free(e, &p->assigns);
    authz__free(&e->mem, p);
}

static void undo_principal(authz_engine *e, void *a, uintptr_t b) {
    (void)b;
    authz__principal *p = a;
    authz__map_del((authz__map *)(uintptr_t)principal_map(e, p->kind), p->id);
    authz__principal_free(e, p);
}

authz__principal *authz__principal_ensure(authz_engine *e, authz_target_type kind, const char *id) {
    authz__principal *p = authz__principal_find(e, kind, id);
    if (p) return p;
    authz__map *m = (authz__map *)(uintptr_t)principal_map(e, kind);
    uint32_t sid = authz__intern_add(&e->strings, &e->mem, id, strlen(id));
    if (!sid || sid > AUTHZ__TARGET_ID_MAX) return NULL;
    if (!authz__map_reserve(e, m, 1) || !authz__undo_reserve(e)) return NULL;
    p = authz__calloc(&e->mem, 1, sizeof *p);
    if (!p) return NULL;
    p->id = sid;
    p->kind = kind;
    authz__map_putp(m, sid, p);
    authz__undo_push(e, undo_principal, p, 0);
    return p;
}

bool authz__keywords_match(const authz_engine *e, uint32_t code, const char *name,
                           const char *keywords) {
    if (!keywords || !*keywords) return true;
    return strstr(authz__str(e, code), keywords) || (name && strstr(name, keywords));
}

bool authz__assign_active(const authz__assign *a, int64_t now) {
    const authz__role *r = a->role;
    if (r->status == AUTHZ_ROLE_DISABLE) return false;
    if (r->disable_time && now >= r->disable_time) return false;
    if (a->enable_time && now < a->enable_time) return false;
    if (a->end_time && now >= a->end_time) return false;
    return true;
}

void authz__undo_free_block(authz_engine *e, void *a, uintptr_t b) {
    (void)b;
    authz__free(&e->mem, a);
}

void authz__write_begin(authz_engine *e) {
    authz__wrlock(e);
    authz__undo_begin(e);
}

authz_status authz__write_finish(authz_engine *e, authz_status st) {
    if (st == AUTHZ_OK)
        authz__undo_commit(e);
    else
        authz__undo_rollback(e);
    authz__unlock(e);
    return st;
}

void authz__grant_remove_everywhere(authz_engine *e, uint32_t target) {
    for (size_t i = 0; i < e->ns_order.count; i++) {
        const authz__ns *ns = e->ns_order.items[i];
        authz__grant_remove_target(e, ns->oid, target);
    }
}

/* ---- lifecycle ---- */

static authz_status create_default_namespace(authz_engine *e);

static authz_status engine_init(authz_engine *e) {
    e->star = authz__intern_add(&e->strings, &e->mem, "*", 1);
    e->default_code = authz__intern_add(&e->strings, &e->mem, "default", 7);
    if (!e->star || !e->default_code || !authz__grant_reserve(e, 1) || !authz__undo_init(e))
        return AUTHZ_ENOMEM;
    if (!authz__map_reserve(e, &e->users, 1) || !authz__map_reserve(e, &e->depts, 1) ||
        !authz__map_reserve(e, &e->groups, 1) || !authz__map_reserve(e, &e->group_by_oid, 1) ||
        !authz__map_reserve(e, &e->role_by_oid, 1))
        return AUTHZ_ENOMEM;
    return create_default_namespace(e);
}

static authz_status create_default_namespace(authz_engine *e) {
    authz__ns *ns = authz__calloc(&e->mem, 1, sizeof *ns);
    if (!ns) return AUTHZ_ENOMEM;
    ns->oid = authz__new_oid(e);
    ns->code = e->default_code;
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
    if (opt) {
        e->clock = opt->clock;
        e->clock_ctx = opt->clock_ctx;
        e->strict = opt->strict;
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

static void free_namespaces(authz_engine *e);
static void free_groups(authz_engine *e);
static void free_principals(authz_engine *e, authz__map *m);

void authz_engine_free(authz_engine *e) {
    if (!e) return;
    free_namespaces(e);
    free_groups(e);
    free_principals(e, &e->users);
    free_principals(e, &e->depts);
    authz__grants_free(e);
    authz__map_free(e, &e->ns_by_code);
    authz__map_free(e, &e->ns_by_oid);
    authz__vec_free(e, &e->ns_order);
    authz__map_free(e, &e->groups);
    authz__map_free(e, &e->group_by_oid);
    authz__vec_free(e, &e->group_order);
    authz__map_free(e, &e->role_by_oid);
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
    authz__map_free(e, m);
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
