/*
 * department.c - department membership. Departments are identified by their ID and come into
 * being when first named (in directory mode they must be a root or a created department,
 * organization.c); the check follows no parents (semantics.md §3), so a department's grants and
 * roles reach its direct members only.
 */
#include <string.h>

#include "base/error.h"
#include "base/validate.h"
#include "model/engine.h"
#include "model/member.h"
#include "model/view.h"

static authz_status check_dept(const char *id, authz_error *err) {
    return authz__check_ident(err, AUTHZ_OBJ_DEPARTMENT, "departmentId", -1, id);
}

static authz_status dept_resolve(const authz_engine *e, const char *id, authz__principal **out,
                                 authz_error *err) {
    *out = authz__principal_find(e, AUTHZ_TARGET_DEPARTMENT, id);
    if (*out) return AUTHZ_OK;
    return authz__fail(err, AUTHZ_ENOTFOUND, AUTHZ_OBJ_DEPARTMENT, "departmentId", -1,
                       "department not found: %s", id);
}

authz_status authz_department_add_members(authz_engine *e, const char *department_id,
                                          const char *const *user_ids, size_t n, authz_error *err) {
    authz_status st = check_dept(department_id, err);
    if (!st) st = authz__check_ids(err, "userIds", user_ids, n, 50);
    if (st) return st;
    authz__write_begin(e);
    st = authz__dir_require(e, AUTHZ_TARGET_DEPARTMENT, department_id, "departmentId", -1, err);
    authz__principal *d =
        st ? NULL : authz__principal_ensure(e, AUTHZ_TARGET_DEPARTMENT, department_id);
    if (!st && !d) st = authz__nomem(err);
    for (size_t i = 0; !st && i < n; i++)
        st = authz__member_join(e, &d->members, d, AUTHZ__LINK_DEPT, user_ids[i], (int32_t)i, err);
    return authz__write_finish(e, st);
}

authz_status authz_department_remove_members(authz_engine *e, const char *department_id,
                                             const char *const *user_ids, size_t n,
                                             authz_error *err) {
    authz_status st = check_dept(department_id, err);
    if (!st) st = authz__check_ids(err, "userIds", user_ids, n, 50);
    if (st) return st;
    authz__write_begin(e);
    authz__principal *d;
    st = dept_resolve(e, department_id, &d, err);
    for (size_t i = 0; !st && i < n; i++)
        authz__member_leave(e, &d->members, d, AUTHZ__LINK_DEPT, user_ids[i]);
    return authz__write_finish(e, st);
}

static authz_status check_set(const char *user_id, const char *const *ids, size_t n,
                              authz_error *err) {
    authz_status st = authz__check_ident(err, AUTHZ_OBJ_USER, "userId", -1, user_id);
    if (!st) st = authz__check_count(err, "departments", ids, n, 0, 50);
    for (size_t i = 0; !st && i < n; i++)
        st = authz__check_ident(err, AUTHZ_OBJ_DEPARTMENT, "departments", (int32_t)i, ids[i]);
    return st;
}

/* Prepare: the user, every department, and room in every list the commit will touch. */
static authz_status set_prepare(authz_engine *e, authz__principal **u, const char *user_id,
                                const char *const *ids, size_t n, authz_error *err) {
    authz_status st = authz__dir_require(e, AUTHZ_TARGET_USER, user_id, "userId", -1, err);
    if (st) return st;
    *u = authz__principal_ensure(e, AUTHZ_TARGET_USER, user_id);
    if (!*u || !authz__vec_reserve(e, &(*u)->depts, n)) return authz__nomem(err);
    size_t roles = 0; /* the listed departments' roles: the most the user's view can gain */
    for (size_t i = 0; i < n; i++) {
        st = authz__dir_require(e, AUTHZ_TARGET_DEPARTMENT, ids[i], "departments", (int32_t)i, err);
        if (st) return st;
        authz__principal *d = authz__principal_ensure(e, AUTHZ_TARGET_DEPARTMENT, ids[i]);
        if (!d || !authz__vec_reserve(e, &d->members, 1)) return authz__nomem(err);
        roles += d->assigns.count;
    }
    if (!authz__view_reserve(e, *u, roles, n)) return authz__nomem(err);
    return AUTHZ_OK;
}

static bool listed(const authz_engine *e, const authz__principal *d, const char *const *ids,
                   size_t n) {
    const char *id = authz__str(e, d->id);
    for (size_t i = 0; i < n; i++)
        if (strcmp(ids[i], id) == 0) return true;
    return false;
}

static void set_commit(authz_engine *e, authz__principal *u, const char *const *ids, size_t n) {
    for (size_t i = 0; i < u->depts.count; i++) {
        authz__principal *d = u->depts.items[i];
        if (!listed(e, d, ids, n) && authz__vec_remove(&d->members, u)) {
            e->membership_count--;
            authz__principal_release(e, d);
        }
    }
    authz__principal_release(e, u);
    authz__view_touch(e, u);
    u->depts.count = 0;
    for (size_t i = 0; i < n; i++) {
        authz__principal *d = authz__principal_find(e, AUTHZ_TARGET_DEPARTMENT, ids[i]);
        if (authz__vec_find(&u->depts, d) != (size_t)-1) continue;
        authz__vec_push(&u->depts, d);
        if (authz__vec_find(&d->members, u) == (size_t)-1) {
            authz__vec_push(&d->members, u);
            e->membership_count++;
        }
    }
}

authz_status authz_user_set_departments(authz_engine *e, const char *user_id,
                                        const char *const *department_ids, size_t n,
                                        authz_error *err) {
    authz_status st = check_set(user_id, department_ids, n, err);
    if (st) return st;
    authz__write_begin(e);
    authz__principal *u;
    st = set_prepare(e, &u, user_id, department_ids, n, err);
    if (!st) set_commit(e, u, department_ids, n);
    return authz__write_finish(e, st);
}

authz_status authz_user_departments(const authz_engine *e, const char *user_id, authz_id_list **out,
                                    authz_error *err) {
    if (!out) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "out", -1, "out is NULL");
    *out = NULL;
    authz_status st = authz__check_ident(err, AUTHZ_OBJ_USER, "userId", -1, user_id);
    if (st) return st;
    authz__rdlock(e);
    const authz__principal *u = authz__principal_find(e, AUTHZ_TARGET_USER, user_id);
    if (!u)
        st = authz__fail(err, AUTHZ_ENOTFOUND, AUTHZ_OBJ_USER, "userId", -1, "user not found: %s",
                         user_id);
    else
        st = authz__build_id_all(e, &u->depts, out, err);
    authz__unlock(e);
    return st;
}

authz_status authz_department_list_members(const authz_engine *e, const char *department_id,
                                           const authz_page *page, authz_id_list **out,
                                           authz_error *err) {
    if (!out) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "out", -1, "out is NULL");
    *out = NULL;
    size_t pg, limit;
    authz_status st = check_dept(department_id, err);
    if (!st) st = authz__check_page(err, page, &pg, &limit);
    if (st) return st;
    authz__rdlock(e);
    authz__principal *d;
    st = dept_resolve(e, department_id, &d, err);
    if (!st) st = authz__build_id_page(e, &d->members, pg, limit, out, err);
    authz__unlock(e);
    return st;
}
