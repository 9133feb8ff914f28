/* authz/role.h - roles and their assignments. Part of the public API; include <authz.h>, whose
 * opening comment states the conventions every function here follows. */
#ifndef AUTHZ_API_ROLE_H
#define AUTHZ_API_ROLE_H

#include "authz/engine.h"
#include "authz/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------ */
/* Roles (scoped by namespace), assigned to users and departments                             */
/* ------------------------------------------------------------------------------------------ */

typedef struct authz_role_spec {
    const char *namespace_code; /* NULL or "": default */
    const char *code;           /* required */
    const char *name;           /* optional */
    const char *description;    /* optional */
    int64_t disable_time;       /* ms since epoch after which the role grants nothing; 0: never */
} authz_role_spec;

typedef struct authz_role {
    const char *namespace_code;
    const char *code;
    const char *name;
    const char *description;
    authz_role_status status;
    int64_t disable_time; /* 0: never */
} authz_role;

typedef struct authz_role_list {
    size_t total_count;
    size_t count;
    authz_role *items;
} authz_role_list;

AUTHZ_API authz_status authz_role_create(authz_engine *e, const authz_role_spec *spec,
                                         authz_role **out, authz_error *err);
/** 1..50 specs, each with its own namespace. */
AUTHZ_API authz_status authz_role_create_batch(authz_engine *e, const authz_role_spec *specs,
                                               size_t n, authz_error *err);
AUTHZ_API authz_status authz_role_get(const authz_engine *e, const char *namespace_code,
                                      const char *code, authz_role **out, authz_error *err);
/** `keywords` optional: roles whose code or name contains it. */
AUTHZ_API authz_status authz_list_roles(const authz_engine *e, const char *namespace_code,
                                        const char *keywords, const authz_page *page,
                                        authz_role_list **out, authz_error *err);

/** NULL fields are unchanged; `new_code` NULL or "" keeps the code. */
typedef struct authz_role_patch {
    const char *namespace_code;
    const char *code;
    const char *new_code;
    const char *name;
    const char *description;
    const authz_role_status *status;
    const int64_t *disable_time; /* 0: never */
} authz_role_patch;

/** Renames carry grants and assignments along; onto an existing code: AUTHZ_EEXIST. */
AUTHZ_API authz_status authz_role_update(authz_engine *e, const authz_role_patch *upd,
                                         authz_error *err);
/** 1..50 codes; any unknown code is AUTHZ_ENOTFOUND and nothing is deleted. Deleting a role
 *  removes its grants and assignments. */
AUTHZ_API authz_status authz_role_delete_batch(authz_engine *e, const char *namespace_code,
                                               const char *const *codes, size_t n,
                                               authz_error *err);

/** A role assignee: USER or DEPARTMENT (ROLE and GROUP are AUTHZ_EINVAL). */
typedef struct authz_target {
    authz_target_type type;
    const char *identifier;
} authz_target;

/** The validity window of an assignment: enable_time <= now < end_time; 0 means unbounded. */
typedef struct authz_role_window {
    int64_t enable_time;
    int64_t end_time;
} authz_role_window;

typedef struct authz_role_ref {
    const char *namespace_code;
    const char *code;
} authz_role_ref;

/**
 * Assigns role `code` to 1..50 targets; `window` NULL means unbounded. Users and departments
 * come into being when first named. Assigning again replaces the window (the assignment keeps
 * its place in listing order).
 */
AUTHZ_API authz_status authz_role_assign(authz_engine *e, const char *namespace_code,
                                         const char *code, const authz_target *targets, size_t n,
                                         const authz_role_window *window, authz_error *err);
/** 1..10 roles x 1..10 targets. */
AUTHZ_API authz_status authz_role_assign_batch(authz_engine *e, const authz_role_ref *roles,
                                               size_t nroles, const authz_target *targets,
                                               size_t ntargets, const authz_role_window *window,
                                               authz_error *err);
/** 1..50 targets; revoking what is not assigned is a no-op. */
AUTHZ_API authz_status authz_role_revoke(authz_engine *e, const char *namespace_code,
                                         const char *code, const authz_target *targets, size_t n,
                                         authz_error *err);
/** 1..10 roles x 1..50 targets. */
AUTHZ_API authz_status authz_role_revoke_batch(authz_engine *e, const authz_role_ref *roles,
                                               size_t nroles, const authz_target *targets,
                                               size_t ntargets, authz_error *err);

/** One assignment of a role. */
typedef struct authz_assignment {
    const char *identifier; /* user ID or department ID */
    int64_t enable_time;    /* 0: unbounded */
    int64_t end_time;       /* 0: unbounded */
} authz_assignment;

typedef struct authz_assignment_list {
    size_t total_count;
    size_t count;
    authz_assignment *items;
} authz_assignment_list;

/** Users assigned the role directly (not through a department), in assignment order. */
AUTHZ_API authz_status authz_role_list_members(const authz_engine *e, const char *namespace_code,
                                               const char *code, const authz_page *page,
                                               authz_assignment_list **out, authz_error *err);
/** Departments assigned the role, in assignment order. */
AUTHZ_API authz_status authz_role_list_departments(const authz_engine *e,
                                                   const char *namespace_code, const char *code,
                                                   const authz_page *page,
                                                   authz_assignment_list **out, authz_error *err);
/**
 * The roles of `namespace_code` assigned to the user directly, then those it holds through its
 * departments (each role once), whatever their window or status. Unknown user: AUTHZ_ENOTFOUND
 * (object USER). total_count == count (no paging).
 */
AUTHZ_API authz_status authz_user_roles(const authz_engine *e, const char *user_id,
                                        const char *namespace_code, authz_role_list **out,
                                        authz_error *err);

#ifdef __cplusplus
}
#endif

#endif /* AUTHZ_API_ROLE_H */
