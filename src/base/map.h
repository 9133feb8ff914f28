/*
 * map.h - a flat open-addressing hash map from a non-zero 64-bit key to a 64-bit value: the
 * index behind every id-keyed lookup (a namespace's resources by code id, users by id, list
 * heads of the grant index). Keys are built from interned ids, never from strings, so a probe
 * compares one integer. Linear probing with backward-shift deletion: no tombstones, and a
 * removal never allocates. Growth happens only in authz__map_grow(); the engine grows through
 * the undo-aware authz__map_reserve() of model/undo.h, so a rollback gives a fresh table back.
 */
#ifndef AUTHZ_MAP_H
#define AUTHZ_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "base/mem.h"

typedef struct authz__map_slot {
    uint64_t key; /* 0: empty */
    uint64_t value;
} authz__map_slot;

typedef struct authz__map {
    authz__map_slot *slots;
    size_t count;
    size_t mask; /* capacity - 1; capacity is a power of two, 0 slots when mask == 0 */
} authz__map;

static inline uint64_t authz__mix64(uint64_t k) {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

static inline uint64_t authz__key2(uint32_t a, uint32_t b) { return ((uint64_t)a << 32) | b; }

/* Ensures `extra` more keys fit without exceeding the load factor. 0 on allocation failure. */
int authz__map_grow(authz__mem *mem, authz__map *m, size_t extra);
/* Gives capacity back once the map holds a quarter of what makes it grow (3/16 full): the new
 * table is the one growth would have made for this count (at most three quarters full, never
 * below 8 slots), and it takes deleting half of it again to shrink it again, so growth and
 * shrinking never chase each other. Keeps the table as it is if the smaller one cannot be had. */
void authz__map_shrink(authz__mem *mem, authz__map *m);
/* Inserts or overwrites; room must have been reserved. */
void authz__map_put(authz__map *m, uint64_t key, uint64_t value);
/* The value's slot, or NULL. */
uint64_t *authz__map_get(const authz__map *m, uint64_t key);
/* Removes `key` if present. Returns 1 if it was there. */
int authz__map_del(authz__map *m, uint64_t key);
void authz__map_free(authz__mem *mem, authz__map *m);

static inline void *authz__map_getp(const authz__map *m, uint64_t key) {
    uint64_t *v = authz__map_get(m, key);
    return v ? (void *)(uintptr_t)*v : NULL;
}

static inline void authz__map_putp(authz__map *m, uint64_t key, const void *p) {
    authz__map_put(m, key, (uint64_t)(uintptr_t)p);
}

/* Starts loading the slot a lookup of `key` begins at (a check issues its lookups together).
 * Always inlined, as a function whose only effect is a prefetch can be found "pure" by gcc and
 * its out-of-line calls deleted (model/grant.h). */
static inline __attribute__((always_inline)) void authz__map_prefetch(const authz__map *m,
                                                                      uint64_t key) {
    if (m->slots) __builtin_prefetch(&m->slots[(size_t)authz__mix64(key) & m->mask]);
}

/* Iteration: for (size_t i = 0; authz__map_next(m, &i, &slot);) visits every entry. Entries
 * must not be added or removed during the walk. */
int authz__map_next(const authz__map *m, size_t *i, const authz__map_slot **slot);

#endif
