/* authz/read.h - reads of grants. Part of the public API; include <authz.h>, whose opening
 * comment states the conventions every function here follows. */
#ifndef AUTHZ_API_READ_H
#define AUTHZ_API_READ_H

#include "authz/engine.h"
#include "authz/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------ */
/* Reads of grants                                                                             */
/* ------------------------------------------------------------------------------------------ */

/** One grant as listed: a resource string and its actions (in the order first granted). */
typedef struct authz_grant {
    const char *resource;
    authz_resource_type type;
    const char *description;    /* of the created resource `code`, "" otherwise */
    const char *api_identifier; /* of the created resource `code`, "" otherwise */
    size_t action_count;
    const char **actions;
} authz_grant;

typedef struct authz_grant_list {
    size_t total_count;
    size_t count;
    authz_grant *items;
} authz_grant_list;

/** Optional filters of grant reads. */
typedef struct authz_grant_filter {
    const authz_resource_type *type; /* NULL: any type */
    /* NULL/0: any resource. Otherwise 1..50 prefixes: a grant is kept if its resource string
     * starts with one of them (one trailing '*' is ignored, so "books:*" keeps "books:1"). */
    const char *const *resources;
    size_t resource_count;
} authz_grant_filter;

/**
 * The direct grants of one target, in grant order. ROLE/GROUP targets must exist
 * (AUTHZ_ENOTFOUND); an unknown user or department has no grants (AUTHZ_OK, empty list).
 * total_count == count (no paging).
 */
AUTHZ_API authz_status authz_target_grants(const authz_engine *e, const char *namespace_code,
                                           authz_target_type type, const char *identifier,
                                           const authz_grant_filter *filter, authz_grant_list **out,
                                           authz_error *err);
/**
 * The union of the grants of every principal of the user (as in authz_check, windows and role
 * status applied), actions merged per resource string, in the order first met (user, roles,
 * groups, departments). Unknown user: AUTHZ_ENOTFOUND (object USER).
 */
AUTHZ_API authz_status authz_user_grants(const authz_engine *e, const char *namespace_code,
                                         const char *user_id, const authz_grant_filter *filter,
                                         authz_grant_list **out, authz_error *err);

/** A target holding a grant, with its actions on the resource string asked about. */
typedef struct authz_target_grant {
    authz_target_type type;
    const char *identifier;
    size_t action_count;
    const char **actions;
} authz_target_grant;

typedef struct authz_target_grant_list {
    size_t total_count;
    size_t count;
    authz_target_grant *items;
} authz_target_grant_list;

/** Every target holding a grant on exactly the resource string `resource`, in grant order. */
AUTHZ_API authz_status authz_resource_targets(const authz_engine *e, const char *namespace_code,
                                              const char *resource, const authz_target_type *type,
                                              const authz_page *page, authz_target_grant_list **out,
                                              authz_error *err);

#ifdef __cplusplus
}
#endif

#endif /* AUTHZ_API_READ_H */
