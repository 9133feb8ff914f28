/*
 * intern.c - the string table (see intern.h).
 *
 * It sits on the check path (every name of a check is looked up here), so it is a flat,
 * at-most-half-full open-addressing table of 8-byte slots: a probe reads one slot, compares a
 * 32-bit hash tag, and only on a tag match touches the string itself. uthash's bucket chains
 * cost a pointer chase per entry and made this lookup a third of a check's time; they also can
 * fail an add halfway (a rolled-back bucket expansion), which this table avoids by growing
 * before it inserts.
 */
#include "base/intern.h"

#include <string.h>
#include <xxhash.h>

typedef struct authz__intern_entry {
    uint64_t hash;
    uint32_t len;
    char str[];
} authz__intern_entry;

typedef struct authz__intern_slot {
    uint32_t id;  /* 0: empty */
    uint32_t tag; /* the hash's high half */
} authz__intern_slot;

static uint64_t hash_of(const char *s, size_t len) { return XXH3_64bits(s, len); }

static size_t slot_count(const authz__intern *t) { return t->slots ? t->mask + 1 : 0; }

uint32_t authz__intern_find(const authz__intern *t, const char *s, size_t len) {
    if (!t->slots || len > UINT32_MAX) return 0;
    uint64_t h = hash_of(s, len);
    uint32_t tag = (uint32_t)(h >> 32);
    for (size_t i = (size_t)h & t->mask;; i = (i + 1) & t->mask) {
        const authz__intern_slot *sl = &t->slots[i];
        if (sl->id == 0) return 0;
        if (sl->tag != tag) continue;
        const authz__intern_entry *e = t->byid[sl->id];
        if (e->len == len && memcmp(e->str, s, len) == 0) return sl->id;
    }
}

static void slot_put(authz__intern_slot *slots, size_t mask, uint64_t h, uint32_t id) {
    size_t i = (size_t)h & mask;
    while (slots[i].id != 0) i = (i + 1) & mask;
    slots[i] = (authz__intern_slot){id, (uint32_t)(h >> 32)};
}

/* Room for one more string: the id array and a slot table at most half full. */
static int grow(authz__intern *t, authz__mem *m) {
    if (t->count + 1 >= t->cap) {
        uint32_t cap = t->cap ? t->cap * 2 : 64;
        authz__intern_entry **n = authz__realloc(m, t->byid, cap * sizeof *n);
        if (!n) return 0;
        t->byid = n;
        t->cap = cap;
    }
    size_t cap = slot_count(t);
    if ((size_t)(t->count + 1) * 2 <= cap) return 1;
    size_t ncap = cap ? cap * 2 : 128;
    authz__intern_slot *slots = authz__calloc(m, ncap, sizeof *slots);
    if (!slots) return 0;
    authz__advise_huge(slots, ncap * sizeof *slots);
    for (uint32_t id = 1; id <= t->count; id++) slot_put(slots, ncap - 1, t->byid[id]->hash, id);
    authz__free(m, t->slots);
    t->slots = slots;
    t->mask = ncap - 1;
    return 1;
}

uint32_t authz__intern_add(authz__intern *t, authz__mem *m, const char *s, size_t len) {
    uint32_t id = authz__intern_find(t, s, len);
    if (id) return id;
    if (len > UINT32_MAX || t->count >= UINT32_MAX - 2 || !grow(t, m)) return 0;
    authz__intern_entry *e = authz__alloc(m, sizeof *e + len + 1);
    if (!e) return 0;
    e->hash = hash_of(s, len);
    e->len = (uint32_t)len;
    memcpy(e->str, s, len);
    e->str[len] = '\0';
    id = ++t->count;
    t->byid[id] = e;
    slot_put(t->slots, t->mask, e->hash, id);
    return id;
}

const char *authz__intern_str(const authz__intern *t, uint32_t id) { return t->byid[id]->str; }

size_t authz__intern_len(const authz__intern *t, uint32_t id) { return t->byid[id]->len; }

uint32_t authz__intern_count(const authz__intern *t) { return t->count; }

/* Removes the slot of `id`, shifting later entries of its probe run back. */
static void slot_remove(authz__intern *t, uint32_t id) {
    size_t i = (size_t)t->byid[id]->hash & t->mask;
    while (t->slots[i].id != id) i = (i + 1) & t->mask;
    size_t hole = i;
    for (size_t j = (i + 1) & t->mask; t->slots[j].id != 0; j = (j + 1) & t->mask) {
        size_t home = (size_t)t->byid[t->slots[j].id]->hash & t->mask;
        if (((j - home) & t->mask) >= ((j - hole) & t->mask)) {
            t->slots[hole] = t->slots[j];
            hole = j;
        }
    }
    t->slots[hole] = (authz__intern_slot){0, 0};
}

void authz__intern_rollback(authz__intern *t, authz__mem *m, uint32_t mark) {
    while (t->count > mark) {
        slot_remove(t, t->count);
        authz__free(m, t->byid[t->count]);
        t->byid[t->count--] = NULL;
    }
}

void authz__intern_free(authz__intern *t, authz__mem *m) {
    for (uint32_t id = 1; id <= t->count; id++) authz__free(m, t->byid[id]);
    authz__free(m, t->byid);
    authz__free(m, t->slots);
    t->byid = NULL;
    t->slots = NULL;
    t->count = t->cap = 0;
}
