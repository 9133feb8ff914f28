/*
 * undo.c - the undo log (see undo.h). The log's array survives between writes so that a write
 * does not pay an allocation for it; it is allocated with the engine and only grows (by realloc),
 * so rolling back never changes how many blocks are live.
 */
#include "model/undo.h"

#include "base/intern.h"
#include "model/engine.h"

#define UNDO_FIRST_CAP 64

int authz__undo_init(authz_engine *e) {
    e->undo.items = authz__alloc(&e->mem, UNDO_FIRST_CAP * sizeof *e->undo.items);
    e->undo.cap = e->undo.items ? UNDO_FIRST_CAP : 0;
    return e->undo.items != NULL;
}

void authz__undo_begin(authz_engine *e) {
    e->undo.count = 0;
    e->undo.active = 1;
}

int authz__undo_reserve(authz_engine *e) {
    authz__undo *u = &e->undo;
    /* Outside a write (engine creation, snapshot loading) a failure frees the whole engine,
     * so there is nothing to log. */
    if (!u->active || u->count < u->cap) return 1;
    size_t cap = u->cap ? u->cap * 2 : UNDO_FIRST_CAP;
    authz__undo_entry *n = authz__realloc(&e->mem, u->items, cap * sizeof *n);
    if (!n) return 0;
    u->items = n;
    u->cap = cap;
    return 1;
}

void authz__undo_push(authz_engine *e, authz__undo_fn fn, void *a, uintptr_t b) {
    authz__undo *u = &e->undo;
    if (!u->active) return;
    u->items[u->count++] = (authz__undo_entry){fn, a, b};
}

void authz__undo_rollback(authz_engine *e) {
    authz__undo *u = &e->undo;
    while (u->count > 0) {
        authz__undo_entry *it = &u->items[--u->count];
        it->fn(e, it->a, it->b);
    }
    u->active = 0;
}

void authz__undo_commit(authz_engine *e) {
    e->undo.count = 0;
    e->undo.active = 0;
    e->generation++;
}

void authz__undo_trim(authz_engine *e) {
    authz__undo *u = &e->undo;
    if (u->active || u->cap <= 16 * UNDO_FIRST_CAP) return;
    authz__undo_entry *n = authz__realloc(&e->mem, u->items, UNDO_FIRST_CAP * sizeof *n);
    if (!n) return;
    u->items = n;
    u->cap = UNDO_FIRST_CAP;
}

void authz__undo_free(authz_engine *e) {
    authz__free(&e->mem, e->undo.items);
    e->undo.items = NULL;
    e->undo.cap = e->undo.count = 0;
}

static void undo_drop_slots(authz_engine *e, void *a, uintptr_t b) {
    (void)b;
    authz__map *m = a;
    if (m->count == 0) authz__map_free(&e->mem, m);
}

int authz__map_reserve(authz_engine *e, authz__map *m, size_t extra) {
    int fresh = m->slots == NULL;
    if (fresh && !authz__undo_reserve(e)) return 0;
    if (!authz__map_grow(&e->mem, m, extra)) return 0;
    if (fresh && m->slots) authz__undo_push(e, undo_drop_slots, m, 0);
    return 1;
}

static void undo_drop_buffer(authz_engine *e, void *a, uintptr_t b) {
    (void)b;
    authz__vec *v = a;
    if (v->count == 0) authz__vec_free(&e->mem, v);
}

int authz__vec_reserve(authz_engine *e, authz__vec *v, size_t extra) {
    int fresh = v->items == NULL;
    if (fresh && !authz__undo_reserve(e)) return 0;
    if (!authz__vec_grow(&e->mem, v, extra)) return 0;
    if (fresh && v->items) authz__undo_push(e, undo_drop_buffer, v, 0);
    return 1;
}
