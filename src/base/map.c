/*
 * map.c - the flat id map (see map.h). Load factor at most 3/4.
 */
#include "base/map.h"

static size_t map_cap(const authz__map *m) { return m->slots ? m->mask + 1 : 0; }

static void map_insert_raw(authz__map_slot *slots, size_t mask, uint64_t key, uint64_t value) {
    size_t i = (size_t)authz__mix64(key) & mask;
    while (slots[i].key != 0 && slots[i].key != key) i = (i + 1) & mask;
    slots[i].key = key;
    slots[i].value = value;
}

int authz__map_grow(authz__mem *mem, authz__map *m, size_t extra) {
    size_t need = m->count + extra;
    size_t cap = map_cap(m);
    if (need * 4 <= cap * 3) return 1;
    size_t ncap = cap ? cap : 8;
    while (need * 4 > ncap * 3) ncap *= 2;
    authz__map_slot *n = authz__calloc(mem, ncap, sizeof *n);
    if (!n) return 0;
    authz__advise_huge(n, ncap * sizeof *n);
    for (size_t i = 0; i < cap; i++)
        if (m->slots[i].key) map_insert_raw(n, ncap - 1, m->slots[i].key, m->slots[i].value);
    authz__free(mem, m->slots);
    m->slots = n;
    m->mask = ncap - 1;
    return 1;
}

void authz__map_shrink(authz__mem *mem, authz__map *m) {
    size_t cap = map_cap(m);
    if (cap <= 8 || m->count * 16 > cap * 3) return;
    size_t ncap = 8;
    while (m->count * 4 > ncap * 3) ncap *= 2;
    authz__map_slot *n = authz__calloc(mem, ncap, sizeof *n);
    if (!n) return;
    for (size_t i = 0; i < cap; i++)
        if (m->slots[i].key) map_insert_raw(n, ncap - 1, m->slots[i].key, m->slots[i].value);
    authz__free(mem, m->slots);
    m->slots = n;
    m->mask = ncap - 1;
}

void authz__map_put(authz__map *m, uint64_t key, uint64_t value) {
    size_t i = (size_t)authz__mix64(key) & m->mask;
    while (m->slots[i].key != 0 && m->slots[i].key != key) i = (i + 1) & m->mask;
    if (m->slots[i].key == 0) m->count++;
    m->slots[i].key = key;
    m->slots[i].value = value;
}

uint64_t *authz__map_get(const authz__map *m, uint64_t key) {
    if (!m->slots) return NULL;
    size_t i = (size_t)authz__mix64(key) & m->mask;
    for (;;) {
        authz__map_slot *s = &m->slots[i];
        if (s->key == key) return &s->value;
        if (s->key == 0) return NULL;
        i = (i + 1) & m->mask;
    }
}

int authz__map_del(authz__map *m, uint64_t key) {
    if (!m->slots) return 0;
    size_t i = (size_t)authz__mix64(key) & m->mask;
    while (m->slots[i].key != key) {
        if (m->slots[i].key == 0) return 0;
        i = (i + 1) & m->mask;
    }
    /* Backward shift: pull later entries of the probe run into the hole. */
    size_t hole = i;
    for (size_t j = (i + 1) & m->mask; m->slots[j].key != 0; j = (j + 1) & m->mask) {
        size_t home = (size_t)authz__mix64(m->slots[j].key) & m->mask;
        if (((j - home) & m->mask) >= ((j - hole) & m->mask)) {
            m->slots[hole] = m->slots[j];
            hole = j;
        }
    }
    m->slots[hole].key = 0;
    m->slots[hole].value = 0;
    m->count--;
    return 1;
}

void authz__map_free(authz__mem *mem, authz__map *m) {
    authz__free(mem, m->slots);
    m->slots = NULL;
    m->count = 0;
    m->mask = 0;
}

int authz__map_next(const authz__map *m, size_t *i, const authz__map_slot **slot) {
    size_t cap = map_cap(m);
    while (*i < cap) {
        const authz__map_slot *s = &m->slots[(*i)++];
        if (s->key) {
            *slot = s;
            return 1;
        }
    }
    return 0;
}
