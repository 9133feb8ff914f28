/*
 * vec.h - an ordered array of pointers: members, assignments, objects in creation order.
 * Removal keeps order (listing order is part of the contract). Growth happens only in
 * authz__vec_grow(); the engine grows through the undo-aware authz__vec_reserve() of
 * model/undo.h, so a vector that had no buffer gets it freed again on rollback and a failed
 * write leaves the live block count as it was.
 */
#ifndef AUTHZ_VEC_H
#define AUTHZ_VEC_H

#include <stddef.h>
#include <stdint.h>

#include "base/mem.h"

/* 16 bytes: a user record holds four of these, so counts are 32-bit (a list of more than
 * 4 billion entries cannot be reserved). The first buffer holds one item and then doubles:
 * most users are in one group, one department and hold one role. */
typedef struct authz__vec {
    void **items;
    uint32_t count, cap;
} authz__vec;

/* Ensures room for `extra` more items. 0 on allocation failure. */
int authz__vec_grow(authz__mem *mem, authz__vec *v, size_t extra);
/* Appends; room must have been reserved. */
void authz__vec_push(authz__vec *v, void *item);
/* Index of `item`, or (size_t)-1. */
size_t authz__vec_find(const authz__vec *v, const void *item);
/* Removes `item` if present, keeping order. Returns 1 if it was there. */
int authz__vec_remove(authz__vec *v, const void *item);
void authz__vec_remove_at(authz__vec *v, size_t i);
void authz__vec_free(authz__mem *mem, authz__vec *v);

#endif
