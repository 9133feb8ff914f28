/* authz/department.h - departments and their members. Part of the public API; include <authz.h>,
 * whose opening comment states the conventions every function here follows. */
#ifndef AUTHZ_API_DEPARTMENT_H
#define AUTHZ_API_DEPARTMENT_H

#include "authz/engine.h"
#include "authz/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------ */
/* Departments: identified by department ID, created when first named                         */
/* ------------------------------------------------------------------------------------------ */

/** 1..50 user IDs join department `department_id`; members already present keep their place. */
AUTHZ_API authz_status authz_department_add_members(authz_engine *e, const char *department_id,
                                                    const char *const *user_ids, size_t n,
                                                    authz_error *err);
/** 1..50 user IDs; non-members are ignored. Unknown department: AUTHZ_ENOTFOUND. */
AUTHZ_API authz_status authz_department_remove_members(authz_engine *e, const char *department_id,
                                                       const char *const *user_ids, size_t n,
                                                       authz_error *err);
/** Replaces the user's departments with 0..50 department IDs (duplicates collapse). */
AUTHZ_API authz_status authz_user_set_departments(authz_engine *e, const char *user_id,
                                                  const char *const *department_ids, size_t n,
                                                  authz_error *err);
/** The user's departments in join order. Unknown user: AUTHZ_ENOTFOUND (object USER). */
AUTHZ_API authz_status authz_user_departments(const authz_engine *e, const char *user_id,
                                              authz_id_list **out, authz_error *err);
/** Members in join order. Unknown department: AUTHZ_ENOTFOUND (object DEPARTMENT). */
AUTHZ_API authz_status authz_department_list_members(const authz_engine *e,
                                                     const char *department_id,
                                                     const authz_page *page, authz_id_list **out,
                                                     authz_error *err);

#ifdef __cplusplus
}
#endif

#endif /* AUTHZ_API_DEPARTMENT_H */
