/*
 * view.c - each user's flat view of its principals (see view.h).
 */
#include "model/view.h"

#include <stdlib.h>
#include <string.h>

authz__view *authz__view_new(authz_engine *e, uint32_t uid) {
    authz__view *v = authz__calloc(&e->mem, 1, sizeof *v);
    if (v) v->uid = uid;
    return v;
}

void authz__view_touch(authz_engine *e, authz__principal *p) {
    if (!e->undo.active) return;
    if (p->kind == AUTHZ_TARGET_DEPARTMENT) {
        for (size_t i = 0; i < p->members.count; i++) authz__view_touch(e, p->members.items[i]);
        return;
    }
    p->stale = true;
    authz__principal_queue(e, p);
}

static size_t count_roles(const authz__principal *u) {
    size_t n = u->assigns.count;
    for (size_t i = 0; i < u->depts.count; i++) {
        const authz__principal *d = u->depts.items[i];
        n += d->assigns.count;
    }
    return n;
}

static size_t count_plain(const authz__principal *u) { return u->groups.count + u->depts.count; }

size_t authz__view_need(const authz__principal *u) {
    return count_roles(u) * sizeof(authz__role_entry) + count_plain(u) * sizeof(uint32_t);
}

static size_t fold_roles(const authz__principal *p, authz__role_entry *out) {
    for (size_t i = 0; i < p->assigns.count; i++)
        out[i] = authz__role_entry_of(p->assigns.items[i]);
    return p->assigns.count;
}

/* Writes what the view of `u` holds into `v`, which has room for authz__view_need bytes. */
static void write_view(const authz__principal *u, authz__view *v) {
    size_t k = fold_roles(u, v->roles);
    for (size_t i = 0; i < u->depts.count; i++) k += fold_roles(u->depts.items[i], v->roles + k);
    uint32_t *t = (uint32_t *)(void *)(v->roles + k);
    size_t j = 0;
    for (size_t i = 0; i < u->groups.count; i++) {
        const authz__group *g = u->groups.items[i];
        t[j++] = authz__target(AUTHZ_TARGET_GROUP, g->oid);
    }
    for (size_t i = 0; i < u->depts.count; i++) {
        const authz__principal *d = u->depts.items[i];
        t[j++] = authz__target(AUTHZ_TARGET_DEPARTMENT, d->id);
    }
    v->nroles = (uint32_t)k;
    v->nplain = (uint32_t)j;
}

static void fill(authz__principal *u) { write_view(u, u->view); }

/* Moves the view of `u` to a block with `cap` bytes of room (the user index follows it). 0 on
 * allocation failure, nothing changed. */
static int resize(authz_engine *e, authz__principal *u, size_t cap) {
    authz__view *old = u->view;
    authz__view *v = authz__realloc(&e->mem, old, sizeof *v + cap);
    if (!v) return 0;
    u->view = v;
    v->cap = (uint32_t)cap;
    if (v != old) authz__user_index_refile(e, u, old);
    return 1;
}

/* Room for `need` bytes; never less than before. 0 on allocation failure. */
static int grow(authz_engine *e, authz__principal *u, size_t need) {
    if (need <= u->view->cap) return 1;
    return need <= UINT32_MAX - sizeof(authz__view) && resize(e, u, need);
}

int authz__view_reserve(authz_engine *e, authz__principal *u, size_t roles, size_t plain) {
    if (!e->undo.active) return 1;
    authz__view_touch(e, u);
    size_t need = authz__view_need(u);
    if (need > SIZE_MAX / 2 || roles > SIZE_MAX / 64 || plain > SIZE_MAX / 64) return 0;
    return grow(e, u, need + roles * sizeof(authz__role_entry) + plain * sizeof(uint32_t));
}

int authz__view_reserve_members(authz_engine *e, authz__principal *d, size_t roles) {
    for (size_t i = 0; i < d->members.count; i++)
        if (!authz__view_reserve(e, d->members.items[i], roles, 0)) return 0;
    return 1;
}

/*
 * Recomputes the view of `u` from the model, into room that is there: reserved by the write's
 * prepare steps after a commit, had before the write after a rollback. A write that forgot to
 * reserve would be a bug; rather than write past the block, or hide the bug by allocating
 * here, the user is left with an empty view, which denies its checks (fails closed) until its
 * next write, and the invariant checker (access/digest.c) reports it.
 */
static void recompute(authz__principal *u) {
    size_t need = authz__view_need(u);
    if (need > u->view->cap) {
        u->view->nroles = u->view->nplain = 0;
        return;
    }
    fill(u);
}

/* After a commit: not more than twice the room used (a view that cannot have its smaller block
 * keeps the larger one). */
static void trim(authz_engine *e, authz__principal *u) {
    size_t need = authz__view_need(u);
    if (u->view->cap > 2 * need) resize(e, u, need);
}

void authz__views_settle(authz_engine *e, int commit) {
    for (authz__principal *p = e->pending; p; p = p->pend_next) {
        if (!p->stale) continue;
        p->stale = false;
        recompute(p);
        if (commit) trim(e, p);
    }
}

int authz__views_build_all(authz_engine *e) {
    const authz__map_slot *s;
    for (size_t i = 0; authz__map_next(&e->users, &i, &s);) {
        authz__principal *u = (authz__principal *)(uintptr_t)s->value;
        size_t need = authz__view_need(u);
        if (!need) continue;
        if (!grow(e, u, need)) return 0;
        fill(u);
    }
    return 1;
}

/* The invariant checker's question, answered by writing the view afresh into a scratch block
 * (plain malloc: a checker, not the engine, and not counted by its allocator) and comparing. */
bool authz__view_matches(const authz__principal *u) {
    if (u->stale || u->pending) return false;
    if (u->kind == AUTHZ_TARGET_DEPARTMENT) return !u->view;
    const authz__view *v = u->view;
    size_t need = authz__view_need(u);
    if (!v || v->uid != u->id || v->cap < need) return false;
    authz__view *want = malloc(sizeof *want + need);
    if (!want) abort();
    write_view(u, want);
    bool same = v->nroles == want->nroles && v->nplain == want->nplain &&
                memcmp(v->roles, want->roles, need) == 0;
    free(want);
    return same;
}
