/*
 * vec.c - the ordered pointer array (see vec.h).
 */
#include "base/vec.h"

#include <string.h>

int authz__vec_grow(authz__mem *mem, authz__vec *v, size_t extra) {
    if (v->count + extra <= v->cap) return 1;
    if (extra > UINT32_MAX / 2 - v->count) return 0;
    size_t cap = v->cap ? v->cap : 1;
    while (cap < v->count + extra) cap *= 2;
    void **n = authz__realloc(mem, v->items, cap * sizeof *n);
    if (!n) return 0;
    v->items = n;
    v->cap = (uint32_t)cap;
    return 1;
}

void authz__vec_push(authz__vec *v, void *item) { v->items[v->count++] = item; }

size_t authz__vec_find(const authz__vec *v, const void *item) {
    for (size_t i = 0; i < v->count; i++)
        if (v->items[i] == item) return i;
    return (size_t)-1;
}

void authz__vec_remove_at(authz__vec *v, size_t i) {
    memmove(&v->items[i], &v->items[i + 1], (v->count - i - 1) * sizeof v->items[0]);
    v->count--;
}

int authz__vec_remove(authz__vec *v, const void *item) {
    size_t i = authz__vec_find(v, item);
    if (i == (size_t)-1) return 0;
    authz__vec_remove_at(v, i);
    return 1;
}

void authz__vec_free(authz__mem *mem, authz__vec *v) {
    authz__free(mem, v->items);
    v->items = NULL;
    v->count = v->cap = 0;
}
