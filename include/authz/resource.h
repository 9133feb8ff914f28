/* authz/resource.h - resources and their actions. Part of the public API; include <authz.h>, whose
 * opening comment states the conventions every function here follows. */
#ifndef AUTHZ_API_RESOURCE_H
#define AUTHZ_API_RESOURCE_H

#include "authz/engine.h"
#include "authz/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------ */
/* Resources (scoped by namespace)                                                             */
/* ------------------------------------------------------------------------------------------ */

typedef struct authz_action_spec {
    const char *name;        /* required, 1..128 bytes of printable UTF-8, no spaces */
    const char *description; /* optional */
} authz_action_spec;

typedef struct authz_resource_spec {
    const char *code; /* required, [A-Za-z0-9_.-]{1,64} */
    authz_resource_type type;
    const char *name;           /* optional */
    const char *description;    /* optional */
    const char *api_identifier; /* optional */
    const authz_action_spec *actions;
    size_t action_count; /* 0..100; duplicate action names are AUTHZ_EINVAL */
} authz_resource_spec;

typedef struct authz_action {
    const char *name;
    const char *description;
} authz_action;

typedef struct authz_resource {
    const char *namespace_code;
    const char *code;
    authz_resource_type type;
    const char *name;           /* "" when never set */
    const char *description;    /* "" when never set */
    const char *api_identifier; /* "" when never set */
    size_t action_count;
    authz_action *actions; /* declared actions, in declaration order */
    bool linked_to_tenant; /* true while some tenant is associated */
} authz_resource;

typedef struct authz_resource_list {
    size_t total_count;
    size_t count;
    authz_resource *items;
} authz_resource_list;

/** AUTHZ_ENOTFOUND if the namespace is unknown; AUTHZ_EEXIST if the code exists in it. */
AUTHZ_API authz_status authz_resource_create(authz_engine *e, const char *namespace_code,
                                             const authz_resource_spec *spec, authz_resource **out,
                                             authz_error *err);
/** 1..50 specs, all in one namespace. */
AUTHZ_API authz_status authz_resource_create_batch(authz_engine *e, const char *namespace_code,
                                                   const authz_resource_spec *specs, size_t n,
                                                   authz_error *err);
AUTHZ_API authz_status authz_resource_get(const authz_engine *e, const char *namespace_code,
                                          const char *code, authz_resource **out, authz_error *err);
/** 1..50 codes; unknown or malformed codes are skipped. */
AUTHZ_API authz_status authz_resource_get_batch(const authz_engine *e, const char *namespace_code,
                                                const char *const *codes, size_t n,
                                                authz_resource_list **out, authz_error *err);
/** `type` optional filter. */
AUTHZ_API authz_status authz_list_resources(const authz_engine *e, const char *namespace_code,
                                            const authz_resource_type *type, const authz_page *page,
                                            authz_resource_list **out, authz_error *err);

/** NULL fields are unchanged. `set_actions` replaces the declared actions with `actions`. */
typedef struct authz_resource_patch {
    const char *code;
    const char *name;
    const char *description;
    const char *api_identifier;
    const authz_resource_type *type;
    bool set_actions;
    const authz_action_spec *actions;
    size_t action_count; /* 0..100 */
} authz_resource_patch;

/** Grants keep their actions, except in strict mode where undeclared ones are dropped.
 *  `out` optional. */
AUTHZ_API authz_status authz_resource_update(authz_engine *e, const char *namespace_code,
                                             const authz_resource_patch *upd, authz_resource **out,
                                             authz_error *err);
/**
 * Removes the resource and every grant in its namespace on `code`, `code:*` and `code:<id>`
 * (grants are removed even when `code` was never created: grants may name uncreated codes).
 * Idempotent: an unknown (even malformed) code is AUTHZ_OK, but an unknown namespace is
 * AUTHZ_ENOTFOUND.
 */
AUTHZ_API authz_status authz_resource_delete(authz_engine *e, const char *namespace_code,
                                             const char *code, authz_error *err);
/** 1..50 codes, idempotent like authz_resource_delete. */
AUTHZ_API authz_status authz_resource_delete_batch(authz_engine *e, const char *namespace_code,
                                                   const char *const *codes, size_t n,
                                                   authz_error *err);
/**
 * Associates (true) or disassociates (false) tenant `tenant_id` (NULL or "": the user pool
 * itself) with resource `code` of the application `app_id`. An application's resources live
 * in the namespace whose code is its app ID, so `app_id` names the namespace (AUTHZ_ENOTFOUND
 * if it or the resource is unknown). Idempotent.
 */
AUTHZ_API authz_status authz_resource_associate_tenant(authz_engine *e, const char *app_id,
                                                       const char *code, bool association,
                                                       const char *tenant_id, authz_error *err);

#ifdef __cplusplus
}
#endif

#endif /* AUTHZ_API_RESOURCE_H */
