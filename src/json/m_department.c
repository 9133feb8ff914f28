/*
 * m_department.c - department membership (wire spec §4.6). authz keeps departments by their
 * ID only; organizationCode is accepted as GenAuth requires it, but departments have no tree
 * here (semantics.md §3).
 */
#include "methods.h"

static authz_status members(jctx *c, json_t **data, bool add) {
    const char *dept, *org, **users;
    size_t n;
    authz_status st = jstr(c, c->req, "departmentId", "departmentId", true, &dept);
    if (!st) st = jstr(c, c->req, "organizationCode", "organizationCode", false, &org);
    if (!st) st = jstrs(c, c->req, "userIds", "userIds", true, &users, &n);
    if (!st)
        st = add ? authz_department_add_members(c->e, dept, users, n, &c->err)
                 : authz_department_remove_members(c->e, dept, users, n, &c->err);
    if (!st) *data = jsuccess();
    return st;
}

AUTHZ__HANDLER(add_department_members) { return members(c, data, true); }
AUTHZ__HANDLER(remove_department_members) { return members(c, data, false); }

AUTHZ__HANDLER(set_user_departments) {
    const char *user;
    json_t *list;
    size_t n;
    authz_status st = jstr(c, c->req, "userId", "userId", true, &user);
    if (!st) st = jobjs(c, c->req, "departments", "departments", true, &list, &n);
    const char **ids = st ? NULL : jctx_alloc(c, (n ? n : 1) * sizeof *ids);
    if (!st && !ids) st = AUTHZ_ENOMEM;
    for (size_t i = 0; !st && i < n; i++) {
        st = jstr(c, json_array_get(list, i), "departmentId", "departmentId", true, &ids[i]);
        if (st) jctx_in_item(c, "departments", i);
    }
    if (!st) st = authz_user_set_departments(c->e, user, ids, n, &c->err);
    if (!st) *data = jsuccess();
    return st;
}

AUTHZ__HANDLER(get_user_departments) {
    const char *user;
    authz_id_list *l = NULL;
    authz_status st = jstr(c, c->req, "userId", "userId", true, &user);
    if (!st) st = authz_user_departments(c->e, user, &l, &c->err);
    if (!st) {
        json_t *a = json_array();
        for (size_t i = 0; a && i < l->count; i++)
            json_array_append_new(a, json_pack("{s:s}", "departmentId", l->items[i]));
        *data = jpaged(l->total_count, a);
    }
    authz_free(l);
    return st;
}

AUTHZ__HANDLER(list_department_members) {
    const char *dept;
    authz_page p;
    authz_id_list *l = NULL;
    authz_status st = jstr(c, c->req, "departmentId", "departmentId", true, &dept);
    if (!st) st = jpage(c, &p);
    if (!st) st = authz_department_list_members(c->e, dept, &p, &l, &c->err);
    if (!st) *data = authz__dto_user_ids(l);
    authz_free(l);
    return st;
}
