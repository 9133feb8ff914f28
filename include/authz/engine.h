/* authz/engine.h - options, the allocator hook, the engine and its stats. Part of the public API;
 * include <authz.h>, whose opening comment states the conventions every function here follows. */
#ifndef AUTHZ_API_ENGINE_H
#define AUTHZ_API_ENGINE_H

#include "authz/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------ */
/* Options and the engine                                                                      */
/* ------------------------------------------------------------------------------------------ */

/**
 * A replaceable allocator. Every allocation the engine makes (its own, its hash tables', its
 * results') goes through it. malloc_fn and realloc_fn return NULL on failure, which the engine
 * turns into AUTHZ_ENOMEM with the engine unchanged. realloc_fn(ctx, NULL, n) must act like
 * malloc; free_fn(ctx, NULL) must be a no-op. The functions may be called from any thread that
 * calls into the engine, so they must be thread-safe if the engine is shared.
 */
typedef struct authz_allocator {
    void *(*malloc_fn)(void *ctx, size_t size);
    void *(*realloc_fn)(void *ctx, void *ptr, size_t size);
    void (*free_fn)(void *ctx, void *ptr);
    void *ctx;
} authz_allocator;

/** The clock used for role windows and disableTime, in milliseconds since the Unix epoch. */
typedef int64_t (*authz_clock_fn)(void *ctx);

typedef struct authz_options {
    const authz_allocator *allocator; /* NULL: the C library's malloc/realloc/free. Copied. */
    authz_clock_fn clock;             /* NULL: CLOCK_REALTIME */
    void *clock_ctx;
    /*
     * strict: authorize/revoke reject resource strings whose code is not a created resource,
     * and actions the resource does not declare (AUTHZ_ERULE); update_resource drops granted
     * actions the new action list no longer declares. Off by default (GenAuth is lenient).
     */
    bool strict;
    /*
     * user_directory: a user must be listed in the directory (authz/directory.h) before a
     * grant, a role assignment or a membership names it (AUTHZ_ENOTFOUND, object USER).
     * Off by default: user IDs are free strings, as a gateway taking them from tokens wants.
     */
    bool user_directory;
} authz_options;

/** Fills `opt` with the defaults (all zero / NULL / false). */
AUTHZ_API void authz_options_init(authz_options *opt);

typedef struct authz_engine authz_engine;

/**
 * Creates an engine holding only the namespace `default`. `opt` may be NULL for defaults.
 * On success `*out` owns the engine (free with authz_engine_free()); on failure `*out` is NULL.
 */
AUTHZ_API authz_status authz_engine_new(const authz_options *opt, authz_engine **out);
/** Frees the engine and everything it holds. NULL is a no-op. Results stay valid. */
AUTHZ_API void authz_engine_free(authz_engine *e);

/**
 * A 64-bit hash of the engine's canonical logical state: every object with its fields, every
 * membership, assignment and grant, every listing order. Two engines holding the same model give
 * the same digest whatever their history (hash-table layout, spare capacity and strings no
 * longer used do not count). Takes the read lock; linear in the model's size.
 */
AUTHZ_API uint64_t authz_digest(const authz_engine *e);

/** Frees any result block the library returned through an `**out` parameter. NULL is a no-op. */
AUTHZ_API void authz_free(void *result);

/** Counts of what an engine holds, for metrics and benchmarks. */
typedef struct authz_stats {
    size_t namespaces, resources, roles, groups, users, departments;
    size_t grants;           /* (namespace, target, resource string) entries */
    size_t role_assignments; /* (role, user-or-department) entries */
    size_t memberships;      /* group and department memberships */
    size_t strings;          /* interned identifiers */
    size_t bytes;            /* bytes currently allocated through the allocator */
} authz_stats;

AUTHZ_API authz_status authz_get_stats(const authz_engine *e, authz_stats *out);

#ifdef __cplusplus
}
#endif

#endif /* AUTHZ_API_ENGINE_H */
