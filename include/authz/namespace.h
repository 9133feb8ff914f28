/* authz/namespace.h - permission namespaces. Part of the public API; include <authz.h>, whose
 * opening comment states the conventions every function here follows. */
#ifndef AUTHZ_API_NAMESPACE_H
#define AUTHZ_API_NAMESPACE_H

#include "authz/engine.h"
#include "authz/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------ */
/* Namespaces (GenAuth: permission namespace / 权限分组). `default` always exists.               */
/* ------------------------------------------------------------------------------------------ */

typedef struct authz_namespace_spec {
    const char *code;        /* required */
    const char *name;        /* optional */
    const char *description; /* optional */
} authz_namespace_spec;

typedef struct authz_namespace {
    const char *code;
    const char *name;        /* "" when never set */
    const char *description; /* "" when never set */
} authz_namespace;

typedef struct authz_namespace_list {
    size_t total_count;
    size_t count;
    authz_namespace *items;
} authz_namespace_list;

/** AUTHZ_EEXIST if the code exists. `out` optional: the created namespace. */
AUTHZ_API authz_status authz_namespace_create(authz_engine *e, const authz_namespace_spec *spec,
                                              authz_namespace **out, authz_error *err);
/** 1..50 specs; a code twice in the batch or already present is AUTHZ_EEXIST (item named). */
AUTHZ_API authz_status authz_namespace_create_batch(authz_engine *e,
                                                    const authz_namespace_spec *specs, size_t n,
                                                    authz_error *err);
/** AUTHZ_ENOTFOUND (object NAMESPACE) if unknown. */
AUTHZ_API authz_status authz_namespace_get(const authz_engine *e, const char *code,
                                           authz_namespace **out, authz_error *err);
/** 1..50 codes; unknown or malformed codes are skipped. Items in the order asked. */
AUTHZ_API authz_status authz_namespace_get_batch(const authz_engine *e, const char *const *codes,
                                                 size_t n, authz_namespace_list **out,
                                                 authz_error *err);

/** Fields left NULL are unchanged; `new_code` NULL or "" keeps the code (GenAuth ignores ""). */
typedef struct authz_namespace_patch {
    const char *code;
    const char *new_code;
    const char *name;
    const char *description;
} authz_namespace_patch;

/**
 * Renames carry every resource, role, grant and assignment along. Renaming `default` is
 * AUTHZ_ERULE; renaming onto an existing code is AUTHZ_EEXIST. `out` optional: the namespace
 * after the update.
 */
AUTHZ_API authz_status authz_namespace_update(authz_engine *e, const authz_namespace_patch *upd,
                                              authz_namespace **out, authz_error *err);
/** Deletes with every resource, role, grant and assignment in it. Unknown: AUTHZ_ENOTFOUND;
 *  `default`: AUTHZ_ERULE. */
AUTHZ_API authz_status authz_namespace_delete(authz_engine *e, const char *code, authz_error *err);
/** 1..10 codes; unknown or malformed codes are skipped; `default` among them is AUTHZ_ERULE. */
AUTHZ_API authz_status authz_namespace_delete_batch(authz_engine *e, const char *const *codes,
                                                    size_t n, authz_error *err);
/** `keywords` (optional): only namespaces whose code contains it. */
AUTHZ_API authz_status authz_list_namespaces(const authz_engine *e, const authz_page *page,
                                             const char *keywords, authz_namespace_list **out,
                                             authz_error *err);

#ifdef __cplusplus
}
#endif

#endif /* AUTHZ_API_NAMESPACE_H */
