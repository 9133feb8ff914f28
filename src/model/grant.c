/*
 * grant.c - the grant index (see grant.h): the probe table, the records and their lists.
 * The table stays at most half full so that a miss, the common case of a check, ends within a
 * probe or two. Removal shifts later entries back instead of leaving tombstones.
 */
#include "model/grant.h"

#include <string.h>

#include "model/engine.h"

static uint64_t slot_hash(uint32_t ns, uint32_t target, uint32_t res) {
    return authz__grant_hash(ns, target, res);
}

authz__gslot *authz__grant_find(const authz__grants *g, uint32_t ns, uint32_t target,
                                uint32_t res) {
    if (!g->slots) return NULL;
    size_t i = (size_t)slot_hash(ns, target, res) & g->mask;
    for (;;) {
        authz__gslot *s = &g->slots[i];
        if (s->ns == ns && s->target == target && s->res == res) return s;
        if (s->ns == 0) return NULL;
        i = (i + 1) & g->mask;
    }
}

static authz__gslot *slot_place(authz__gslot *slots, size_t mask, const authz__gslot *src) {
    size_t i = (size_t)slot_hash(src->ns, src->target, src->res) & mask;
    while (slots[i].ns != 0) i = (i + 1) & mask;
    slots[i] = *src;
    return &slots[i];
}

/* A zeroed slot array. Huge pages are asked for before the zeroing touches the memory, so a
 * large table is faulted in 2 MB at a time rather than 4 KB (a snapshot load of M spent a fifth
 * of its time in those faults). */
static authz__gslot *slots_new(authz_engine *e, size_t ncap) {
    if (ncap > SIZE_MAX / sizeof(authz__gslot)) return NULL;
    authz__gslot *slots = authz__alloc(&e->mem, ncap * sizeof *slots);
    if (!slots) return NULL;
    authz__advise_huge(slots, ncap * sizeof *slots);
    memset(slots, 0, ncap * sizeof *slots);
    return slots;
}

static int reserve_slots(authz_engine *e, size_t n) {
    authz__grants *g = &e->grants;
    size_t cap = g->slots ? g->mask + 1 : 0;
    if ((g->count + n) * 2 <= cap) return 1;
    size_t ncap = cap ? cap : 64;
    while ((g->count + n) * 2 > ncap) ncap *= 2;
    authz__gslot *slots = slots_new(e, ncap);
    if (!slots) return 0;
    for (size_t i = 0; i < cap; i++)
        if (g->slots[i].ns) slot_place(slots, ncap - 1, &g->slots[i]);
    authz__free(&e->mem, g->slots);
    g->slots = slots;
    g->mask = ncap - 1;
    return 1;
}

static int reserve_recs(authz_engine *e, size_t n) {
    authz__grants *g = &e->grants;
    /* Records are numbered from 1, so an array of rec_cap holds rec_cap - 1 of them. */
    size_t fresh = g->rec_cap > g->rec_high + 1u ? g->rec_cap - 1u - g->rec_high : 0;
    if (g->free_count + fresh >= n) return 1;
    size_t need = (size_t)g->rec_high + 1 + (n - g->free_count);
    if (need > AUTHZ__GRANT_REC_MAX) return 0;
    size_t cap = g->rec_cap ? g->rec_cap : 64;
    while (cap < need) cap *= 2;
    authz__grant_rec *r = authz__realloc(&e->mem, g->recs, cap * sizeof *r);
    if (!r) return 0;
    authz__advise_huge(r, cap * sizeof *r);
    g->recs = r;
    g->rec_cap = (uint32_t)cap;
    return 1;
}

/* The slot and record arrays are allocated at engine creation, so reserving never creates a
 * buffer that a rollback would have to free: growth keeps the live block count. */
int authz__grant_reserve(authz_engine *e, size_t n) {
    return authz__grant_reserve_index(e, n) && authz__grant_reserve_lists(e, n);
}

int authz__grant_reserve_index(authz_engine *e, size_t n) {
    return reserve_slots(e, n) && reserve_recs(e, n);
}

int authz__grant_reserve_lists(authz_engine *e, size_t n) {
    authz__grants *g = &e->grants;
    return authz__map_reserve(e, &g->tlists, n) && authz__map_reserve(e, &g->clists, n);
}

static uint32_t rec_take(authz__grants *g) {
    if (g->free_head) {
        uint32_t r = g->free_head;
        g->free_head = g->recs[r].cnext;
        g->free_count--;
        return r;
    }
    return ++g->rec_high;
}

static void set_next(authz__grant_rec *rec, int by_t, uint32_t v) {
    if (by_t)
        rec->tnext = v;
    else
        rec->cnext = v & AUTHZ__GRANT_REC_MAX;
}

static void set_prev(authz__grant_rec *rec, int by_t, uint32_t v) {
    if (by_t)
        rec->tprev = v;
    else
        rec->cprev = v;
}

/* Appends record r at the tail of the list stored under `key` in `lists`. */
static void list_append(authz__grants *g, authz__map *lists, uint64_t key, uint32_t r, int by_t) {
    uint64_t *ht = authz__map_get(lists, key);
    authz__grant_rec *rec = &g->recs[r];
    set_next(rec, by_t, 0);
    if (!ht) {
        set_prev(rec, by_t, 0);
        authz__map_put(lists, key, (uint64_t)r | ((uint64_t)r << 32));
        return;
    }
    uint32_t tail = (uint32_t)(*ht >> 32);
    set_prev(rec, by_t, tail);
    set_next(&g->recs[tail], by_t, r);
    *ht = (*ht & 0xffffffffu) | ((uint64_t)r << 32);
}

static void list_unlink(authz__grants *g, authz__map *lists, uint64_t key, uint32_t r, int by_t) {
    authz__grant_rec *rec = &g->recs[r];
    uint32_t prev = by_t ? rec->tprev : rec->cprev, next = by_t ? rec->tnext : rec->cnext;
    uint64_t *ht = authz__map_get(lists, key);
    uint32_t head = (uint32_t)*ht, tail = (uint32_t)(*ht >> 32);
    if (prev)
        set_next(&g->recs[prev], by_t, next);
    else
        head = next;
    if (next)
        set_prev(&g->recs[next], by_t, prev);
    else
        tail = prev;
    if (!head)
        authz__map_del(lists, key);
    else
        *ht = (uint64_t)head | ((uint64_t)tail << 32);
}

authz__gslot *authz__grant_insert(authz_engine *e, authz__actab *t, uint32_t ns, uint32_t target,
                                  uint32_t res, uint32_t code, authz_resource_type type) {
    authz__grants *g = &e->grants;
    uint32_t r = rec_take(g);
    g->recs[r] = (authz__grant_rec){
        .ns = ns, .target = target, .res = res, .code = code, .type = (uint32_t)type & 7u};
    list_append(g, &g->tlists, authz__key2(ns, target), r, 1);
    list_append(g, &g->clists, authz__key2(ns, code), r, 0);
    authz__gslot s = {.ns = ns, .target = target, .res = res, .rec = r, .bits = 0};
    authz__gslot *placed = slot_place(g->slots, g->mask, &s);
    g->count++;
    authz__actab_count(e, t, res, +1);
    authz__sref(e, res);
    authz__sref(e, code);
    authz__principal *p = authz__principal_of_target(e, target);
    if (p) p->grants++;
    return placed;
}

authz__gslot *authz__grant_load(authz_engine *e, authz__actab *t, authz__principal *p, uint32_t ns,
                                uint32_t target, uint32_t res, uint32_t code,
                                authz_resource_type type, uint64_t bits) {
    authz__grants *g = &e->grants;
    if (!authz__grant_reserve(e, 1)) return NULL;
    /* One probe finds a duplicate or the empty slot slot_place would take. */
    size_t i = (size_t)slot_hash(ns, target, res) & g->mask;
    for (; g->slots[i].ns != 0; i = (i + 1) & g->mask)
        if (g->slots[i].ns == ns && g->slots[i].target == target && g->slots[i].res == res)
            return NULL;
    uint32_t r = rec_take(g);
    g->recs[r] = (authz__grant_rec){
        .ns = ns, .target = target, .res = res, .code = code, .type = (uint32_t)type & 7u};
    list_append(g, &g->tlists, authz__key2(ns, target), r, 1);
    list_append(g, &g->clists, authz__key2(ns, code), r, 0);
    g->slots[i] = (authz__gslot){.ns = ns, .target = target, .res = res, .rec = r, .bits = bits};
    g->count++;
    authz__actab_count(e, t, res, +1);
    if (p) p->grants++;
    return &g->slots[i];
}

void authz__grant_prefetch_heads(const authz__grants *g, uint32_t ns, uint32_t target) {
    authz__map_prefetch(&g->tlists, authz__key2(ns, target));
}

void authz__grant_prefetch_tails(const authz__grants *g, uint32_t ns, uint32_t target,
                                 uint32_t code) {
    const uint64_t *ht = authz__map_get(&g->tlists, authz__key2(ns, target));
    if (ht) __builtin_prefetch(&g->recs[*ht >> 32], 1);
    ht = authz__map_get(&g->clists, authz__key2(ns, code));
    if (ht) __builtin_prefetch(&g->recs[*ht >> 32], 1);
}

static void slot_delete(authz__grants *g, authz__gslot *s) {
    size_t hole = (size_t)(s - g->slots);
    for (size_t j = (hole + 1) & g->mask; g->slots[j].ns != 0; j = (j + 1) & g->mask) {
        authz__gslot *t = &g->slots[j];
        size_t home = (size_t)slot_hash(t->ns, t->target, t->res) & g->mask;
        if (((j - home) & g->mask) >= ((j - hole) & g->mask)) {
            g->slots[hole] = *t;
            hole = j;
        }
    }
    memset(&g->slots[hole], 0, sizeof g->slots[hole]);
    g->count--;
}

static void remove_rec_keep_actab(authz_engine *e, authz__gslot *s, uint32_t *ns_out,
                                  uint32_t *code_out) {
    authz__grants *g = &e->grants;
    uint32_t r = s->rec;
    authz__grant_rec *rec = &g->recs[r];
    authz__actab_count(e, authz__actab_find(e, rec->ns, rec->code), rec->res, -1);
    list_unlink(g, &g->tlists, authz__key2(rec->ns, rec->target), r, 1);
    list_unlink(g, &g->clists, authz__key2(rec->ns, rec->code), r, 0);
    uint64_t *ext = g->ext.count ? authz__map_get(&g->ext, r) : NULL;
    if (ext) {
        authz__free(&e->mem, (void *)(uintptr_t)*ext);
        authz__map_del(&g->ext, r);
    }
    uint32_t ns = rec->ns, code = rec->code;
    authz__sunref(e, rec->res);
    authz__sunref(e, rec->code);
    authz__principal *p = authz__principal_of_target(e, rec->target);
    if (p) {
        p->grants--;
        authz__principal_release(e, p);
    }
    *rec = (authz__grant_rec){.cnext = g->free_head & AUTHZ__GRANT_REC_MAX};
    g->free_head = r;
    g->free_count++;
    slot_delete(g, s);
    *ns_out = ns;
    *code_out = code;
}

static void remove_rec(authz_engine *e, authz__gslot *s) {
    uint32_t ns, code;
    remove_rec_keep_actab(e, s, &ns, &code);
    /* A code with no grant left has no use for its action table. */
    if (!authz__map_get(&e->grants.clists, authz__key2(ns, code))) {
        authz__actab *t = authz__actab_find(e, ns, code);
        if (t) authz__actab_drop(e, ns, t);
    }
}

void authz__grant_remove(authz_engine *e, uint32_t ns, uint32_t target, uint32_t res) {
    authz__gslot *s = authz__grant_find(&e->grants, ns, target, res);
    if (s) remove_rec(e, s);
}

void authz__grant_remove_raw(authz_engine *e, uint32_t ns, uint32_t target, uint32_t res) {
    uint32_t ns_out, code_out;
    authz__gslot *s = authz__grant_find(&e->grants, ns, target, res);
    if (s) remove_rec_keep_actab(e, s, &ns_out, &code_out);
}

uint32_t authz__grant_tlist_head(const authz__grants *g, uint32_t ns, uint32_t target) {
    uint64_t *ht = authz__map_get(&g->tlists, authz__key2(ns, target));
    return ht ? (uint32_t)*ht : 0;
}

uint32_t authz__grant_clist_head(const authz__grants *g, uint32_t ns, uint32_t code) {
    uint64_t *ht = authz__map_get(&g->clists, authz__key2(ns, code));
    return ht ? (uint32_t)*ht : 0;
}

void authz__grant_remove_target(authz_engine *e, uint32_t ns, uint32_t target) {
    authz__grants *g = &e->grants;
    uint32_t r;
    while ((r = authz__grant_tlist_head(g, ns, target)) != 0) {
        authz__grant_rec *rec = &g->recs[r];
        remove_rec(e, authz__grant_find(g, rec->ns, rec->target, rec->res));
    }
}

void authz__grant_remove_code(authz_engine *e, uint32_t ns, uint32_t code) {
    authz__grants *g = &e->grants;
    uint32_t r;
    while ((r = authz__grant_clist_head(g, ns, code)) != 0) {
        authz__grant_rec *rec = &g->recs[r];
        remove_rec(e, authz__grant_find(g, rec->ns, rec->target, rec->res));
    }
}

static void undo_ext(authz_engine *e, void *a, uintptr_t b) {
    authz__grants *g = &e->grants;
    uint32_t rec = (uint32_t)(uintptr_t)a;
    uint64_t *v = authz__map_get(&g->ext, rec);
    uint64_t *w = (uint64_t *)(uintptr_t)*v;
    if (b == 0) {
        authz__free(&e->mem, w);
        authz__map_del(&g->ext, rec);
    } else {
        w[0] = b; /* the block stays larger; the words past b are zero */
    }
}

int authz__grant_ext_grow(authz_engine *e, uint32_t rec, uint32_t words) {
    authz__grants *g = &e->grants;
    uint32_t have;
    uint64_t *cur = authz__grant_ext(g, rec, &have);
    if (words <= have) return 1;
    /* The map's own undo entry (a fresh table) is logged before ours is reserved. */
    if ((!cur && !authz__map_reserve(e, &g->ext, 1)) || !authz__undo_reserve(e)) return 0;
    uint64_t *w = authz__realloc(&e->mem, cur ? cur - 1 : NULL, ((size_t)words + 1) * sizeof *w);
    if (!w) return 0;
    memset(w + 1 + have, 0, (size_t)(words - have) * sizeof *w);
    w[0] = words;
    authz__map_putp(&g->ext, rec, w);
    authz__undo_push(e, undo_ext, (void *)(uintptr_t)rec, have);
    return 1;
}

void authz__bits_set(authz__grants *g, authz__gslot *s, uint32_t ord) {
    if (ord < 64) {
        s->bits |= (uint64_t)1 << ord;
    } else {
        uint32_t n;
        authz__grant_ext(g, s->rec, &n)[ord / 64 - 1] |= (uint64_t)1 << (ord % 64);
    }
}

void authz__bits_clear(authz__grants *g, authz__gslot *s, uint32_t ord) {
    if (ord < 64) {
        s->bits &= ~((uint64_t)1 << ord);
        return;
    }
    uint32_t n;
    uint64_t *w = authz__grant_ext(g, s->rec, &n);
    if (ord / 64 - 1 < n) w[ord / 64 - 1] &= ~((uint64_t)1 << (ord % 64));
}

int authz__bits_empty(const authz__grants *g, const authz__gslot *s) {
    if (s->bits) return 0;
    uint32_t n;
    const uint64_t *w = authz__grant_ext(g, s->rec, &n);
    for (uint32_t k = 0; k < n; k++)
        if (w[k]) return 0;
    return 1;
}

void authz__grants_free(authz_engine *e) {
    authz__grants *g = &e->grants;
    const authz__map_slot *ms;
    for (size_t i = 0; authz__map_next(&g->ext, &i, &ms);)
        authz__free(&e->mem, (void *)(uintptr_t)ms->value);
    authz__map_free(&e->mem, &g->ext);
    authz__free(&e->mem, g->slots);
    authz__free(&e->mem, g->recs);
    authz__map_free(&e->mem, &g->tlists);
    authz__map_free(&e->mem, &g->clists);
    memset(g, 0, sizeof *g);
}

void authz__grant_remove_everywhere(authz_engine *e, uint32_t target) {
    for (size_t i = 0; i < e->ns_order.count; i++) {
        const authz__ns *ns = e->ns_order.items[i];
        authz__grant_remove_target(e, ns->oid, target);
    }
}

static void shrink_slots(authz_engine *e) {
    authz__grants *g = &e->grants;
    size_t cap = g->slots ? g->mask + 1 : 0;
    if (cap <= 64 || g->count * 8 > cap) return;
    size_t ncap = 64;
    while (g->count * 2 > ncap) ncap *= 2;
    authz__gslot *slots = slots_new(e, ncap);
    if (!slots) return;
    for (size_t i = 0; i < cap; i++)
        if (g->slots[i].ns) slot_place(slots, ncap - 1, &g->slots[i]);
    authz__free(&e->mem, g->slots);
    g->slots = slots;
    g->mask = ncap - 1;
}

static uint64_t remap_ends(const uint32_t *to, uint64_t v) {
    return (uint64_t)to[(uint32_t)v] | ((uint64_t)to[(uint32_t)(v >> 32)] << 32);
}

static void remap_lists(authz__map *lists, const uint32_t *to) {
    for (size_t i = 0; lists->slots && i <= lists->mask; i++)
        if (lists->slots[i].key) lists->slots[i].value = remap_ends(to, lists->slots[i].value);
}

/* Renumbers the live records 1..live in their order and gives the tail of the array back. */
static void compact_recs(authz_engine *e) {
    authz__grants *g = &e->grants;
    uint32_t live = g->rec_high - g->free_count;
    if (g->rec_cap <= 64 || (size_t)(live + 1) * 4 > g->rec_cap) return;
    uint32_t *to = authz__calloc(&e->mem, (size_t)g->rec_high + 1, sizeof *to);
    if (!to) return;
    uint32_t n = 0;
    for (uint32_t r = 1; r <= g->rec_high; r++)
        if (authz__grant_rec_live(&g->recs[r])) to[r] = ++n;
    /* The ext map is keyed by record number: rebuilt under the new numbers first, so that a
     * refused allocation leaves everything as it was. */
    authz__map ext = {0};
    if (g->ext.count && !authz__map_grow(&e->mem, &ext, g->ext.count)) {
        authz__free(&e->mem, to);
        return;
    }
    const authz__map_slot *ms;
    for (size_t i = 0; authz__map_next(&g->ext, &i, &ms);)
        authz__map_put(&ext, to[(uint32_t)ms->key], ms->value);
    authz__map_free(&e->mem, &g->ext);
    g->ext = ext;
    for (uint32_t r = 1; r <= g->rec_high; r++)
        if (to[r]) g->recs[to[r]] = g->recs[r];
    for (uint32_t r = 1; r <= n; r++) {
        authz__grant_rec *rec = &g->recs[r];
        rec->tprev = to[rec->tprev];
        rec->tnext = to[rec->tnext];
        rec->cprev = to[rec->cprev];
        rec->cnext = to[rec->cnext] & AUTHZ__GRANT_REC_MAX;
    }
    for (size_t i = 0; i <= g->mask; i++)
        if (g->slots[i].ns) g->slots[i].rec = to[g->slots[i].rec];
    remap_lists(&g->tlists, to);
    remap_lists(&g->clists, to);
    authz__free(&e->mem, to);
    g->rec_high = n;
    g->free_head = 0;
    g->free_count = 0;
    size_t cap = 64;
    while (cap < (size_t)n + 1) cap *= 2;
    authz__grant_rec *shrunk = authz__realloc(&e->mem, g->recs, cap * sizeof *shrunk);
    if (shrunk) {
        g->recs = shrunk;
        g->rec_cap = (uint32_t)cap;
    }
}

void authz__grants_compact(authz_engine *e) {
    shrink_slots(e);
    compact_recs(e);
    authz__map_shrink(&e->mem, &e->grants.tlists);
    authz__map_shrink(&e->mem, &e->grants.clists);
    authz__map_shrink(&e->mem, &e->grants.ext);
}
