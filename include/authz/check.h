/* authz/check.h - the permission check, its explanation and prepared checks. Part of the public
 * API; include <authz.h>, whose opening comment states the conventions every function here follows.
 */
#ifndef AUTHZ_API_CHECK_H
#define AUTHZ_API_CHECK_H

#include "authz/engine.h"
#include "authz/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------ */
/* The check                                                                                   */
/* ------------------------------------------------------------------------------------------ */

/**
 * May `user_id` do `action` on `resource` in the namespace? The user's principals in that
 * namespace are: the user; its roles of the namespace assigned directly or through a department
 * it is a direct member of (only inside the assignment window, only while the role is ENABLE and
 * its disable_time has not passed); its groups; its departments. `*allowed` is true iff some
 * principal holds a grant on `resource`, `code:*`, `code` or `*` (code = resource up to its
 * first ':') whose actions contain `action` or "*".
 * An unknown user is not allowed (AUTHZ_OK). Unknown namespace: AUTHZ_ENOTFOUND. A malformed
 * resource string or action name: AUTHZ_EINVAL. Allocates nothing.
 */
AUTHZ_API authz_status authz_check(const authz_engine *e, const char *namespace_code,
                                   const char *user_id, const char *resource, const char *action,
                                   bool *allowed, authz_error *err);

/** Why a check was allowed. For a denial only `allowed` is meaningful. */
typedef struct authz_explanation {
    bool allowed;
    authz_target_type principal_type; /* who held the grant */
    const char *principal_id;         /* user ID, role code, group code or department ID */
    const char *resource;             /* the resource string of the grant that matched */
    size_t action_count;
    const char **actions; /* every action of that grant */
} authz_explanation;

/** Like authz_check, and says which principal and which grant allowed it (the first found in
 *  the order user, roles, groups, departments). `*out` is always set on AUTHZ_OK. */
AUTHZ_API authz_status authz_explain(const authz_engine *e, const char *namespace_code,
                                     const char *user_id, const char *resource, const char *action,
                                     authz_explanation **out, authz_error *err);

/**
 * A prepared check: the namespace, resource string and action resolved once (a gateway keeps one
 * per route), so that authz_check_prepared() skips every name lookup but the user's.
 * A handle stays valid across every write: it holds the names, not engine pointers, and is
 * re-resolved cheaply (one generation compare) when a write changed the engine since it was last
 * resolved. Free with authz_free(). One handle may be used by several threads at once.
 */
typedef struct authz_prepared authz_prepared;

/** Resolves (namespace, resource, action). Unknown namespace: AUTHZ_ENOTFOUND; malformed resource
 *  or action: AUTHZ_EINVAL. */
AUTHZ_API authz_status authz_prepare(const authz_engine *e, const char *namespace_code,
                                     const char *resource, const char *action, authz_prepared **out,
                                     authz_error *err);
/** authz_check with the prepared names. If the namespace was deleted since: AUTHZ_ENOTFOUND. */
AUTHZ_API authz_status authz_check_prepared(const authz_engine *e, authz_prepared *p,
                                            const char *user_id, bool *allowed, authz_error *err);

#ifdef __cplusplus
}
#endif

#endif /* AUTHZ_API_CHECK_H */
