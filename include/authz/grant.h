/* authz/grant.h - grants: authorize and revoke. Part of the public API; include <authz.h>, whose
 * opening comment states the conventions every function here follows. */
#ifndef AUTHZ_API_GRANT_H
#define AUTHZ_API_GRANT_H

#include "authz/engine.h"
#include "authz/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------ */
/* Grants: authorize_resources and revoke_resources                                            */
/* ------------------------------------------------------------------------------------------ */

typedef struct authz_grant_resource {
    const char *resource;       /* `code`, `code:id`, `code:*` or `*` */
    const char *const *actions; /* action names; "*" is every action */
    size_t action_count;        /* authorize: 1..50; revoke: 0 (= all) .. 50 */
    authz_resource_type type;   /* recorded with the grant (GenAuth's resourceType) */
} authz_grant_resource;

typedef struct authz_grant_item {
    authz_target_type target_type;
    const char *const *identifiers; /* 1..100 user IDs / role codes / group codes / dept IDs */
    size_t identifier_count;
    const authz_grant_resource *resources; /* 1.. */
    size_t resource_count;
} authz_grant_item;

/**
 * Adds the listed actions to what each target holds on each resource string (1..10 items).
 * Granting what is held changes nothing. ROLE targets must exist in the namespace and GROUP
 * targets must exist (AUTHZ_ENOTFOUND); USER and DEPARTMENT identifiers are taken as they come.
 * A resource code may hold at most 4096 distinct action names in one namespace (AUTHZ_ELIMIT).
 */
AUTHZ_API authz_status authz_authorize(authz_engine *e, const char *namespace_code,
                                       const authz_grant_item *items, size_t n, authz_error *err);
/**
 * Removes the listed actions (action_count 0, or an action "*", removes the whole grant). A
 * grant left with no action disappears. Revoking what is not held is a no-op.
 */
AUTHZ_API authz_status authz_revoke(authz_engine *e, const char *namespace_code,
                                    const authz_grant_item *items, size_t n, authz_error *err);

#ifdef __cplusplus
}
#endif

#endif /* AUTHZ_API_GRANT_H */
