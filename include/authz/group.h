/* authz/group.h - groups and their members. Part of the public API; include <authz.h>, whose
 * opening comment states the conventions every function here follows. */
#ifndef AUTHZ_API_GROUP_H
#define AUTHZ_API_GROUP_H

#include "authz/engine.h"
#include "authz/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------ */
/* Groups (not namespaced)                                                                     */
/* ------------------------------------------------------------------------------------------ */

typedef struct authz_group_spec {
    const char *code;        /* required */
    const char *name;        /* optional */
    const char *description; /* optional */
    const char *type;        /* optional, free text such as "static"; "" when NULL */
} authz_group_spec;

typedef struct authz_group {
    const char *code;
    const char *name;
    const char *description;
    const char *type;
} authz_group;

typedef struct authz_group_list {
    size_t total_count;
    size_t count;
    authz_group *items;
} authz_group_list;

AUTHZ_API authz_status authz_group_create(authz_engine *e, const authz_group_spec *spec,
                                          authz_group **out, authz_error *err);
/** 1..50 specs. `out` optional: the created groups in request order. */
AUTHZ_API authz_status authz_group_create_batch(authz_engine *e, const authz_group_spec *specs,
                                                size_t n, authz_group_list **out, authz_error *err);
AUTHZ_API authz_status authz_group_get(const authz_engine *e, const char *code, authz_group **out,
                                       authz_error *err);
/** `keywords` optional: groups whose code or name contains it. Newest first, as GenAuth lists. */
AUTHZ_API authz_status authz_list_groups(const authz_engine *e, const char *keywords,
                                         const authz_page *page, authz_group_list **out,
                                         authz_error *err);

typedef struct authz_group_patch {
    const char *code;
    const char *new_code; /* NULL or "": keep */
    const char *name;
    const char *description;
} authz_group_patch;

/** Renames carry grants and memberships along. `out` optional: the group after the update. */
AUTHZ_API authz_status authz_group_update(authz_engine *e, const authz_group_patch *upd,
                                          authz_group **out, authz_error *err);
/** 1..50 codes; unknown or malformed codes are skipped. Removes grants and memberships. */
AUTHZ_API authz_status authz_group_delete_batch(authz_engine *e, const char *const *codes, size_t n,
                                                authz_error *err);
/** 1..50 user IDs; members already present are kept in place. */
AUTHZ_API authz_status authz_group_add_members(authz_engine *e, const char *code,
                                               const char *const *user_ids, size_t n,
                                               authz_error *err);
/** 1..50 user IDs; non-members are ignored. */
AUTHZ_API authz_status authz_group_remove_members(authz_engine *e, const char *code,
                                                  const char *const *user_ids, size_t n,
                                                  authz_error *err);
AUTHZ_API authz_status authz_group_list_members(const authz_engine *e, const char *code,
                                                const authz_page *page, authz_id_list **out,
                                                authz_error *err);
/** The user's groups in join order. Unknown user: AUTHZ_ENOTFOUND (object USER). */
AUTHZ_API authz_status authz_user_groups(const authz_engine *e, const char *user_id,
                                         authz_group_list **out, authz_error *err);

#ifdef __cplusplus
}
#endif

#endif /* AUTHZ_API_GROUP_H */
