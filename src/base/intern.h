/*
 * intern.h - names to dense 32-bit ids: the boundary between strings and numbers.
 *
 * Every code and identifier the engine keeps (namespace, resource and role codes, resource
 * strings, action names, user and department IDs, group codes) is interned once; everything
 * past this file compares ids. Lookups never allocate and are safe under the read lock; adding
 * happens only in writes. Ids are never reused while the engine lives, except that a failed
 * write drops what it interned (authz__intern_rollback), so nothing it touched stays behind.
 */
#ifndef AUTHZ_INTERN_H
#define AUTHZ_INTERN_H

#include <stddef.h>
#include <stdint.h>

#include "base/mem.h"

struct authz__intern_entry;
struct authz__intern_slot;

typedef struct authz__intern {
    struct authz__intern_slot *slots;  /* open addressing by XXH3 of the bytes */
    size_t mask;                       /* slot count - 1 */
    struct authz__intern_entry **byid; /* id -> entry; index 0 unused */
    uint32_t count;                    /* ids 1..count are live */
    uint32_t cap;
} authz__intern;

/* The id of `s` (`len` bytes), or 0 if it was never interned. */
uint32_t authz__intern_find(const authz__intern *t, const char *s, size_t len);
/* The id of `s`, interning it if needed. 0 on allocation failure. */
uint32_t authz__intern_add(authz__intern *t, authz__mem *m, const char *s, size_t len);
const char *authz__intern_str(const authz__intern *t, uint32_t id);
size_t authz__intern_len(const authz__intern *t, uint32_t id);
uint32_t authz__intern_count(const authz__intern *t);
/* Forgets every id above `mark`. */
void authz__intern_rollback(authz__intern *t, authz__mem *m, uint32_t mark);
void authz__intern_free(authz__intern *t, authz__mem *m);

#endif
