/*
 * intern.c - the string table (see intern.h): a uthash table keyed by the bytes, hashed with
 * XXH3, plus an array from id to entry.
 */
#include "intern.h"

#include <string.h>

#if defined(__GNUC__)
#pragma GCC diagnostic ignored "-Wsign-conversion"
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wcast-qual"
#endif
#include "uthash_authz.h"

typedef struct authz__intern_entry {
    UT_hash_handle hh;
    uint32_t id;
    uint32_t len;
    char str[];
} authz__intern_entry;

uint32_t authz__intern_find(const authz__intern *t, const char *s, size_t len) {
    authz__intern_entry *found = NULL;
    if (len > UINT32_MAX) return 0;
    HASH_FIND(hh, t->head, s, len, found);
    return found ? found->id : 0;
}

static int grow_ids(authz__intern *t, authz__mem *m) {
    if (t->count + 1 < t->cap) return 1;
    uint32_t cap = t->cap ? t->cap * 2 : 64;
    authz__intern_entry **n = authz__realloc(m, t->byid, cap * sizeof *n);
    if (!n) return 0;
    t->byid = n;
    t->cap = cap;
    return 1;
}

uint32_t authz__intern_add(authz__intern *t, authz__mem *m, const char *s, size_t len) {
    uint32_t id = authz__intern_find(t, s, len);
    if (id) return id;
    if (len > UINT32_MAX || t->count >= UINT32_MAX - 2 || !grow_ids(t, m)) return 0;
    authz__intern_entry *e = authz__alloc(m, sizeof *e + len + 1);
    if (!e) return 0;
    memset(e, 0, sizeof *e);
    memcpy(e->str, s, len);
    e->str[len] = '\0';
    e->len = (uint32_t)len;
    e->id = t->count + 1;
    authz__mem *authz__uthash_mem = m;
    int authz__uthash_oom = 0;
    HASH_ADD_KEYPTR(hh, t->head, e->str, len, e);
    if (authz__uthash_oom) {
        authz__free(m, e);
        return 0;
    }
    t->byid[e->id] = e;
    t->count = e->id;
    return e->id;
}

const char *authz__intern_str(const authz__intern *t, uint32_t id) { return t->byid[id]->str; }

size_t authz__intern_len(const authz__intern *t, uint32_t id) { return t->byid[id]->len; }

uint32_t authz__intern_count(const authz__intern *t) { return t->count; }

void authz__intern_rollback(authz__intern *t, authz__mem *m, uint32_t mark) {
    authz__mem *authz__uthash_mem = m;
    while (t->count > mark) {
        authz__intern_entry *e = t->byid[t->count];
        HASH_DELETE(hh, t->head, e);
        authz__free(m, e);
        t->byid[t->count--] = NULL;
    }
}

void authz__intern_free(authz__intern *t, authz__mem *m) {
    authz__intern_rollback(t, m, 0);
    authz__free(m, t->byid);
    t->byid = NULL;
    t->cap = 0;
}
