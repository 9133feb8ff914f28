/*
 * uthash_authz.h - the only way uthash enters this code base. uthash exit()s on out-of-memory
 * unless HASH_NONFATAL_OOM is set, and its default Jenkins hash trips -Wimplicit-fallthrough,
 * so both are configured here once: allocation goes through the engine's allocator (a local
 * `authz__uthash_mem` must be in scope where a macro allocates), an allocation failure raises
 * the local flag `authz__uthash_oom`, and keys hash with XXH3.
 */
#ifndef AUTHZ_UTHASH_AUTHZ_H
#define AUTHZ_UTHASH_AUTHZ_H

#include <xxhash.h>

#include "mem.h"

#define HASH_NONFATAL_OOM 1
#define uthash_malloc(sz) authz__alloc(authz__uthash_mem, (sz))
#define uthash_free(ptr, sz) authz__free(authz__uthash_mem, (ptr))
#define uthash_nonfatal_oom(obj) (authz__uthash_oom = 1)
#define HASH_FUNCTION(keyptr, keylen, hashv) \
    ((hashv) = (unsigned)XXH3_64bits((keyptr), (size_t)(keylen)))

#include <uthash.h>

#endif
