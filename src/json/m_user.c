/*
 * m_user.c - the user directory's methods (include/authz/directory.h): create_user,
 * create_users_batch, get_user, list_users (POST, GenAuth's options.pagination),
 * delete_users_batch. Users are GenAuth's UserDto with the fields authz keeps; the rest carry
 * the values a freshly created cloud user has.
 */
#include "methods.h"

static json_t *dto_user(const authz_user *u) {
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:s,s:s,s:s,s:b,s:b,s:s}", "userId", u->user_id,
                     "username", u->username, "email", u->email, "phone", u->phone, "name", u->name,
                     "createdAt", authz__dto_time(u->created_at), "updatedAt",
                     authz__dto_time(u->created_at), "status", "Activated", "workStatus", "Active",
                     "gender", "U", "emailVerified", 0, "phoneVerified", 0, "userSourceType",
                     "manual");
}

static json_t *dto_users(const authz_user_list *l) {
    json_t *a = json_array();
    for (size_t i = 0; a && i < l->count; i++) json_array_append_new(a, dto_user(&l->items[i]));
    return a;
}

static authz_status spec(jctx *c, json_t *o, authz_user_spec *s) {
    authz_status st = jstr(c, o, "userId", "userId", false, &s->user_id);
    if (!st) st = jstr(c, o, "username", "username", false, &s->username);
    if (!st) st = jstr(c, o, "email", "email", false, &s->email);
    if (!st) st = jstr(c, o, "phone", "phone", false, &s->phone);
    if (!st) st = jstr(c, o, "name", "name", false, &s->name);
    return st;
}

AUTHZ__HANDLER(create_user) {
    authz_user_spec s = {0};
    authz_user_list *l = NULL;
    authz_status st = spec(c, c->req, &s);
    if (!st) st = authz_user_create_batch(c->e, &s, 1, &l, &c->err);
    if (!st) *data = dto_user(&l->items[0]);
    authz_free(l);
    return st;
}

AUTHZ__HANDLER(create_users_batch) {
    json_t *list;
    size_t n;
    authz_user_list *l = NULL;
    authz_status st = jobjs(c, c->req, "list", "list", true, &list, &n);
    authz_user_spec *s = st ? NULL : jctx_alloc(c, (n ? n : 1) * sizeof *s);
    if (!st && !s) st = AUTHZ_ENOMEM;
    for (size_t i = 0; !st && i < n; i++) {
        s[i] = (authz_user_spec){0};
        st = spec(c, json_array_get(list, i), &s[i]);
        if (st) jctx_in_item(c, "list", i);
    }
    if (!st) st = authz_user_create_batch(c->e, s, n, &l, &c->err);
    if (!st) *data = dto_users(l);
    authz_free(l);
    return st;
}

AUTHZ__HANDLER(get_user) {
    const char *id;
    authz_user *u = NULL;
    authz_status st = jstr(c, c->req, "userId", "userId", true, &id);
    if (!st) st = authz_user_get(c->e, id, &u, &c->err);
    if (!st) *data = dto_user(u);
    authz_free(u);
    return st;
}

/* GenAuth's list-users takes {options: {pagination: {page, limit}}}. */
AUTHZ__HANDLER(list_users) {
    authz_page p = {1, 10};
    authz_user_list *l = NULL;
    json_t *pg = jfield(jfield(c->req, "options"), "pagination");
    int64_t page = 1, limit = 10;
    authz_status st = pg ? jint(c, pg, "page", "page", false, &page, NULL) : AUTHZ_OK;
    if (!st && pg) st = jint(c, pg, "limit", "limit", false, &limit, NULL);
    if (!st && (page < 1 || page > UINT32_MAX))
        st = jctx_fail(c, AUTHZ_EINVAL, "page", -1, "page must be at least 1");
    if (!st && (limit < 1 || limit > 50))
        st = jctx_fail(c, AUTHZ_EINVAL, "limit", -1, "limit must be between 1 and 50");
    if (!st) p = (authz_page){(uint32_t)page, (uint32_t)limit};
    if (!st) st = authz_list_users(c->e, &p, &l, &c->err);
    if (!st) *data = jpaged(l->total_count, dto_users(l));
    authz_free(l);
    return st;
}

AUTHZ__HANDLER(delete_users_batch) {
    const char **ids;
    size_t n;
    authz_status st = jstrs(c, c->req, "userIds", "userIds", true, &ids, &n);
    if (!st) st = authz_user_delete_batch(c->e, ids, n, &c->err);
    if (!st) *data = jsuccess();
    return st;
}
