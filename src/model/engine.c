/*
 * engine.c - the engine's core: its lock, its clock, object ids, name lookups and principal
 * records. The object kinds call into it; it calls none of them (construction and teardown,
 * which know every kind, are in lifecycle.c).
 *
 * The lock is one writer-preferring read-write lock: checks and reads share it, a write holds
 * it alone for exactly one operation, so a reader never waits longer than one write and a
 * steady stream of checks cannot starve writers.
 */
#include "model/engine.h"

#include <string.h>
#include <time.h>

#include "model/results.h"
#include "model/view.h"

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

int64_t authz__write_now(const authz_engine *e) {
    return e->write_at > 0 ? e->write_at : authz__now(e);
}

void authz__pin_write_time(authz_engine *e, int64_t ms) { e->write_at = ms > 0 ? ms : 0; }

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

/* Takes `p` out of the pending queue if it is there (a rollback frees principals the write
 * created, which it had queued; the queue is short, the length of one write). */
static void pending_unlink(authz_engine *e, authz__principal *p) {
    if (!p->pending) return;
    for (authz__principal **pp = &e->pending; *pp; pp = &(*pp)->pend_next) {
        if (*pp == p) {
            *pp = p->pend_next;
            break;
        }
    }
    p->pending = false;
    p->pend_next = NULL;
}

uint64_t authz__user_key_mask_default = UINT64_MAX;

uint64_t authz__user_key(const authz_engine *e, uint32_t sid) {
    const char *s = authz__str(e, sid);
    return authz__user_key_of_hash(e, authz__intern_hash(s, authz__intern_len(&e->strings, sid)));
}

void authz__user_index_put(authz_engine *e, authz__principal *u) {
    uint64_t key = authz__user_key(e, u->id);
    if (!authz__map_get(&e->user_index, key)) authz__map_putp(&e->user_index, key, u->view);
}

void authz__user_index_del(authz_engine *e, const authz__principal *u) {
    uint64_t key = authz__user_key(e, u->id);
    if (authz__map_getp(&e->user_index, key) == u->view) authz__map_del(&e->user_index, key);
}

void authz__user_index_refile(authz_engine *e, const authz__principal *u, const authz__view *old) {
    uint64_t key = authz__user_key(e, u->id);
    uint64_t *v = authz__map_get(&e->user_index, key);
    if (v && *v == (uint64_t)(uintptr_t)old) *v = (uint64_t)(uintptr_t)u->view;
}

void authz__principal_free(authz_engine *e, authz__principal *p) {
    pending_unlink(e, p);
    if (p->kind == AUTHZ_TARGET_USER) authz__user_index_del(e, p);
    authz__vec_free(&e->mem, &p->groups);
    authz__vec_free(&e->mem, &p->depts);
    authz__vec_free(&e->mem, &p->members);
    authz__vec_free(&e->mem, &p->assigns);
    authz__free(&e->mem, p->view);
    authz__sunref(e, p->id);
    authz__free(&e->mem, p);
}

static void undo_principal(authz_engine *e, void *a, uintptr_t b) {
    (void)b;
    authz__principal *p = a;
    authz__map_del((authz__map *)(uintptr_t)principal_map(e, p->kind), p->id);
    authz__principal_free(e, p);
}

bool authz__principal_linked(const authz__principal *p) {
    return p->listed || p->grants || p->assigns.count || p->groups.count || p->depts.count ||
           p->members.count;
}

void authz__principal_queue(authz_engine *e, authz__principal *p) {
    if (p->pending) return;
    p->pending = true;
    p->pend_next = e->pending;
    e->pending = p;
}

static void drop_if_unlinked(authz_engine *e, authz__principal *p) {
    if (authz__principal_linked(p)) return;
    authz__map_del((authz__map *)(uintptr_t)principal_map(e, p->kind), p->id);
    authz__principal_free(e, p);
}

void authz__principal_release(authz_engine *e, authz__principal *p) {
    if (e->undo.active)
        authz__principal_queue(e, p);
    else
        drop_if_unlinked(e, p);
}

void authz__principals_settle(authz_engine *e, int commit) {
    while (e->pending) {
        authz__principal *p = e->pending;
        e->pending = p->pend_next;
        p->pending = false;
        p->pend_next = NULL;
        if (commit) drop_if_unlinked(e, p);
    }
}

authz__principal *authz__principal_of_target(const authz_engine *e, uint32_t target) {
    authz_target_type t = authz__target_type(target);
    if (t != AUTHZ_TARGET_USER && t != AUTHZ_TARGET_DEPARTMENT) return NULL;
    return authz__map_getp(principal_map(e, t), authz__target_id(target));
}

authz__principal *authz__principal_ensure(authz_engine *e, authz_target_type kind, const char *id) {
    authz__principal *p = authz__principal_find(e, kind, id);
    if (p) return p;
    authz__map *m = (authz__map *)(uintptr_t)principal_map(e, kind);
    uint32_t sid = authz__intern_add(&e->strings, &e->mem, id, strlen(id));
    if (!sid || sid > AUTHZ__TARGET_ID_MAX) return NULL;
    if (!authz__map_reserve(e, m, 1) || !authz__undo_reserve(e)) return NULL;
    if (kind == AUTHZ_TARGET_USER && !authz__map_reserve(e, &e->user_index, 1)) return NULL;
    authz__view *v = kind == AUTHZ_TARGET_USER ? authz__view_new(e, sid) : NULL;
    if (kind == AUTHZ_TARGET_USER && !v) return NULL;
    p = authz__calloc(&e->mem, 1, sizeof *p);
    if (!p) {
        authz__free(&e->mem, v);
        return NULL;
    }
    p->id = sid;
    p->kind = kind;
    p->view = v;
    authz__sref(e, sid);
    authz__map_putp(m, sid, p);
    if (kind == AUTHZ_TARGET_USER) authz__user_index_put(e, p);
    authz__undo_push(e, undo_principal, p, 0);
    /* A write may name a principal and link nothing to it (an empty department set). */
    if (e->undo.active) authz__principal_queue(e, p);
    return p;
}

bool authz__keywords_match(const authz_engine *e, uint32_t code, const char *name,
                           const char *keywords) {
    if (!keywords || !*keywords) return true;
    return strstr(authz__str(e, code), keywords) || (name && strstr(name, keywords));
}

authz__role_entry authz__role_entry_of(const authz__assign *a) {
    const authz__role *r = a->role;
    authz__role_entry x = {r->ns_oid, r->oid, INT64_MIN, INT64_MAX};
    if (r->status == AUTHZ_ROLE_DISABLE) {
        x.from = INT64_MAX;
        x.to = INT64_MIN;
        return x;
    }
    if (a->enable_time) x.from = a->enable_time;
    if (a->end_time) x.to = a->end_time;
    if (r->disable_time && r->disable_time < x.to) x.to = r->disable_time;
    return x;
}

/* The reads ask the same question as the check, through the same folding. */
bool authz__assign_active(const authz__assign *a, int64_t now) {
    authz__role_entry x = authz__role_entry_of(a);
    return authz__role_entry_live(&x, now);
}

void authz__undo_free_block(authz_engine *e, void *a, uintptr_t b) {
    (void)b;
    authz__free(&e->mem, a);
}

void authz__write_begin(authz_engine *e) {
    authz__wrlock(e);
    authz__undo_begin(e);
}

/* The end of every write: the views of the users it touched are recomputed (into room the
 * write reserved: this cannot fail); then a commit drops what the write left unlinked, frees
 * strings nothing names any more and gives back spare table capacity; a rollback undoes first,
 * then recomputes the views from the restored model and frees the strings the write interned,
 * so the engine is as before down to its live block count. */
authz_status authz__write_finish(authz_engine *e, authz_status st) {
    if (st == AUTHZ_OK) {
        authz__views_settle(e, 1);
        authz__principals_settle(e, 1);
        authz__undo_commit(e);
        authz__intern_sweep(&e->strings, &e->mem, 1);
        authz__engine_compact(e);
    } else {
        authz__undo_rollback(e);
        authz__views_settle(e, 0);
        authz__principals_settle(e, 0);
        authz__intern_sweep(&e->strings, &e->mem, 0);
    }
    authz__unlock(e);
    return st;
}

void *authz__result_alloc(const authz_engine *e, size_t size) {
    return authz__result_alloc_mem(&e->mem, size);
}

size_t authz__live_bytes(const authz_engine *e) { return e->mem.live_bytes; }

size_t authz__live_blocks(const authz_engine *e) { return e->mem.live_blocks; }
