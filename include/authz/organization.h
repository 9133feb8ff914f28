/* authz/organization.h - the directory's organizations and department records: GenAuth's
 * organization tree as far as the permission model stands on it. Part of the public API; include
 * <authz.h>, whose opening comment states the conventions every function here follows.
 *
 * An organization has a code, a name and a root department. One organization exists in every
 * engine from the start: code AUTHZ_DEFAULT_ORG_CODE, name AUTHZ_DEFAULT_ORG_NAME, root
 * department AUTHZ_DEFAULT_ORG_ROOT. Created organizations and departments get generated IDs
 * ("d" and 23 lower-case hex digits, from a counter the engine keeps, snapshots and replays, so
 * a journal replays to the same IDs).
 *
 * A department is created under a parent (its organization's root or another department of the
 * same organization). Where a function takes an organization and a department ID, "root" names
 * that organization's root department, as in GenAuth. Deleting one deletes its sub-departments too,
 * and with each department its memberships, role assignments and grants. A root department cannot
 * be deleted.
 *
 * The records are what the user directory mode (authz_options.user_directory) checks: with it,
 * a role assignment, membership or grant naming a department that is neither a root nor a
 * created department is AUTHZ_ENOTFOUND (object DEPARTMENT). Without it department IDs stay
 * free strings (authz/department.h), and records add names and a tree beside them. */
#ifndef AUTHZ_API_ORGANIZATION_H
#define AUTHZ_API_ORGANIZATION_H

#include <stdbool.h>
#include <stdint.h>

#include "authz/engine.h"
#include "authz/types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AUTHZ_DEFAULT_ORG_CODE "root"
#define AUTHZ_DEFAULT_ORG_NAME "root 用户池"
#define AUTHZ_DEFAULT_ORG_ROOT "d00000000000000000000000"

typedef struct authz_organization_spec {
    const char *code;        /* optional: NULL or "" generates one ("org" and the root's ID) */
    const char *name;        /* required, 1..256 bytes */
    const char *description; /* optional */
} authz_organization_spec;

typedef struct authz_organization {
    const char *code;
    const char *name;
    const char *description;        /* "" when never set */
    const char *root_department_id; /* its root department */
    size_t members_count;           /* users in the root department */
    bool has_children;              /* departments directly under the root */
    int64_t created_at;             /* the engine clock's milliseconds; 0 for the default */
} authz_organization;

typedef struct authz_organization_list {
    size_t total_count;
    size_t count;
    authz_organization *items;
} authz_organization_list;

typedef struct authz_department_spec {
    const char *organization_code;    /* required: an existing organization */
    const char *parent_department_id; /* required: its root or one of its departments */
    const char *name;                 /* required, 1..256 bytes */
    const char *code;                 /* optional: unique within the organization when set */
    const char *description;          /* optional */
} authz_department_spec;

typedef struct authz_department_info {
    const char *department_id;
    const char *organization_code;
    const char *parent_department_id; /* "" for a root department */
    const char *name;                 /* a root department has its organization's name */
    const char *code;                 /* "" when never set */
    const char *description;          /* "" when never set */
    size_t members_count;             /* direct members */
    bool has_children;
    int64_t created_at;
} authz_department_info;

typedef struct authz_department_list {
    size_t total_count;
    size_t count;
    authz_department_info *items;
} authz_department_list;

/** Creates an organization with a new root department. A code already taken is AUTHZ_EEXIST; a
 * code that is not an identifier (authz.h's code rules) is AUTHZ_EINVAL. `out` optional. */
AUTHZ_API authz_status authz_organization_create(authz_engine *e,
                                                 const authz_organization_spec *spec,
                                                 authz_organization **out, authz_error *err);
/** The organizations, the default first, then by creation. `keywords` optional: only those whose
 * code or name contains it. */
AUTHZ_API authz_status authz_list_organizations(const authz_engine *e, const authz_page *page,
                                                const char *keywords, authz_organization_list **out,
                                                authz_error *err);
/** Creates a department. An unknown organization or parent is AUTHZ_ENOTFOUND (object
 * DEPARTMENT, field organizationCode / parentDepartmentId); a code another department of the
 * organization has is AUTHZ_EEXIST. `out` optional. */
AUTHZ_API authz_status authz_department_create(authz_engine *e, const authz_department_spec *spec,
                                               authz_department_info **out, authz_error *err);
/** One department (a root or a created one) of `organization_code`; unknown: AUTHZ_ENOTFOUND. */
AUTHZ_API authz_status authz_department_get(const authz_engine *e, const char *organization_code,
                                            const char *department_id, authz_department_info **out,
                                            authz_error *err);
/** The departments directly under `department_id`, by creation. */
AUTHZ_API authz_status authz_department_children(const authz_engine *e,
                                                 const char *organization_code,
                                                 const char *department_id,
                                                 authz_department_list **out, authz_error *err);
/** Deletes a created department and everything under it, with the cascade described above.
 * Unknown: AUTHZ_ENOTFOUND; a root department: AUTHZ_ERULE. */
AUTHZ_API authz_status authz_department_delete(authz_engine *e, const char *organization_code,
                                               const char *department_id, authz_error *err);

#ifdef __cplusplus
}
#endif

#endif
