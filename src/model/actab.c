/*
 * actab.c - the action table of one resource code in one namespace: action name -> bit
 * ordinal. Ordinals are handed out the first time a grant names an action and stay for as long
 * as the code has a table, so a grant's bits never need renumbering. Ordinal 0 is "*".
 */
#include <string.h>

#include "model/engine.h"
#include "model/grant.h"

static authz__map *ns_actabs(const authz_engine *e, uint32_t ns_oid) {
    authz__ns *ns = authz__ns_by_oid(e, ns_oid);
    return &ns->actabs;
}

authz__actab *authz__actab_find(const authz_engine *e, uint32_t ns_oid, uint32_t code) {
    return authz__map_getp(ns_actabs(e, ns_oid), code);
}

uint32_t authz__actab_ordinal(const authz__actab *t, uint32_t action) {
    uint32_t i = (uint32_t)authz__mix64(action) & t->slot_mask;
    for (;;) {
        uint32_t s = t->slots[i];
        if (s == 0) return UINT32_MAX;
        if (t->names[s - 1] == action) return s - 1;
        i = (i + 1) & t->slot_mask;
    }
}

static void slot_insert(uint32_t *slots, uint32_t mask, uint32_t action, uint32_t ord) {
    uint32_t i = (uint32_t)authz__mix64(action) & mask;
    while (slots[i] != 0) i = (i + 1) & mask;
    slots[i] = ord + 1;
}

/* Makes room for one more ordinal, keeping the slot table at most half full. */
static int actab_grow(authz_engine *e, authz__actab *t) {
    if (t->count < t->cap) return 1;
    uint32_t cap = t->cap * 2;
    uint32_t *names = authz__realloc(&e->mem, t->names, cap * sizeof *names);
    if (!names) return 0;
    t->names = names;
    uint32_t *slots = authz__calloc(&e->mem, (size_t)cap * 2, sizeof *slots);
    if (!slots) return 0;
    for (uint32_t o = 0; o < t->count; o++) slot_insert(slots, cap * 2 - 1, t->names[o], o);
    authz__free(&e->mem, t->slots);
    t->slots = slots;
    t->slot_mask = cap * 2 - 1;
    t->cap = cap;
    return 1;
}

static void undo_truncate(authz_engine *e, void *a, uintptr_t b) {
    authz__actab *t = a;
    uint32_t keep = (uint32_t)b;
    for (uint32_t o = keep; o < t->count; o++) authz__sunref(e, t->names[o]);
    memset(t->slots, 0, (size_t)(t->slot_mask + 1) * sizeof *t->slots);
    t->count = keep;
    for (uint32_t o = 0; o < keep; o++) slot_insert(t->slots, t->slot_mask, t->names[o], o);
}

uint32_t authz__actab_add(authz_engine *e, authz__actab *t, uint32_t action) {
    uint32_t ord = authz__actab_ordinal(t, action);
    if (ord != UINT32_MAX) return ord;
    if (t->count >= AUTHZ__MAX_ORDINALS) return UINT32_MAX - 1;
    if (!authz__undo_reserve(e) || !actab_grow(e, t)) return UINT32_MAX;
    authz__undo_push(e, undo_truncate, t, t->count);
    ord = t->count++;
    t->names[ord] = action;
    authz__sref(e, action);
    slot_insert(t->slots, t->slot_mask, action, ord);
    return ord;
}

void authz__actab_count(const authz_engine *e, authz__actab *t, uint32_t res, int delta) {
    uint32_t *n = &t->n_inst;
    size_t code_len = authz__intern_len(&e->strings, t->code);
    const char *s = authz__str(e, res);
    if (res == t->code) {
        n = &t->n_plain;
    } else if (authz__intern_len(&e->strings, res) == code_len + 2 && s[code_len + 1] == '*') {
        n = &t->n_star;
        t->star_res = res;
    }
    *n = (uint32_t)((int64_t)*n + delta);
    if (t->n_star == 0) t->star_res = 0;
}

void authz__actab_free(authz_engine *e, authz__actab *t) {
    if (!t) return;
    for (uint32_t o = 0; o < t->count; o++) authz__sunref(e, t->names[o]);
    if (t->code) authz__sunref(e, t->code);
    authz__free(&e->mem, t->names);
    authz__free(&e->mem, t->slots);
    authz__free(&e->mem, t);
}

static void undo_create(authz_engine *e, void *a, uintptr_t b) {
    authz__actab *t = a;
    authz__map_del(ns_actabs(e, (uint32_t)b), t->code);
    authz__actab_free(e, t);
}

static authz__actab *actab_new(authz_engine *e, uint32_t code) {
    authz__actab *t = authz__calloc(&e->mem, 1, sizeof *t);
    if (!t) return NULL;
    t->cap = 4;
    t->names = authz__calloc(&e->mem, t->cap, sizeof *t->names);
    t->slots = authz__calloc(&e->mem, (size_t)t->cap * 2, sizeof *t->slots);
    if (!t->names || !t->slots) {
        authz__actab_free(e, t);
        return NULL;
    }
    t->slot_mask = t->cap * 2 - 1;
    t->code = code;
    t->names[0] = e->star;
    t->count = 1;
    authz__sref(e, code);
    authz__sref(e, e->star);
    slot_insert(t->slots, t->slot_mask, e->star, 0);
    return t;
}

authz__actab *authz__actab_ensure(authz_engine *e, uint32_t ns_oid, uint32_t code) {
    authz__actab *t = authz__actab_find(e, ns_oid, code);
    if (t) return t;
    authz__map *m = ns_actabs(e, ns_oid);
    if (!authz__undo_reserve(e) || !authz__map_reserve(e, m, 1)) return NULL;
    if (!authz__undo_reserve(e)) return NULL;
    t = actab_new(e, code);
    if (!t) return NULL;
    authz__map_putp(m, code, t);
    authz__undo_push(e, undo_create, t, ns_oid);
    return t;
}

/* Only writes that commit drop tables (a rollback frees the ones it made through their undo
 * entries), so the namespace's map can give its room back here. */
void authz__actab_drop(authz_engine *e, uint32_t ns_oid, authz__actab *t) {
    authz__map *m = ns_actabs(e, ns_oid);
    authz__map_del(m, t->code);
    authz__actab_free(e, t);
    if (m->count == 0)
        authz__map_free(&e->mem, m);
    else
        authz__map_shrink(&e->mem, m);
}
