/*
 * m_group.c - the group methods (wire spec §4.5). Groups are not namespaced.
 */
#include "methods.h"

static authz_status spec(jctx *c, json_t *o, authz_group_spec *s) {
    *s = (authz_group_spec){0};
    authz_status st = jstr(c, o, "code", "code", true, &s->code);
    if (!st) st = jstr(c, o, "name", "name", false, &s->name);
    if (!st) st = jstr(c, o, "description", "description", false, &s->description);
    if (!st) st = jstr(c, o, "type", "type", false, &s->type);
    return st;
}

AUTHZ__HANDLER(create_group) {
    authz_group_spec s;
    authz_group *g = NULL;
    authz_status st = spec(c, c->req, &s);
    if (!st) st = authz_group_create(c->e, &s, &g, &c->err);
    if (!st) *data = authz__dto_group(g);
    authz_free(g);
    return st;
}

static json_t *groups(const authz_group_list *l) {
    json_t *a = json_array();
    for (size_t i = 0; a && i < l->count; i++)
        json_array_append_new(a, authz__dto_group(&l->items[i]));
    return a;
}

AUTHZ__HANDLER(create_groups_batch) {
    json_t *list;
    size_t n;
    authz_group_list *l = NULL;
    authz_status st = jobjs(c, c->req, "list", "list", true, &list, &n);
    authz_group_spec *s = st ? NULL : jctx_alloc(c, (n ? n : 1) * sizeof *s);
    if (!st && !s) st = AUTHZ_ENOMEM;
    for (size_t i = 0; !st && i < n; i++) {
        st = spec(c, json_array_get(list, i), &s[i]);
        if (st) jctx_in_item(c, "list", i);
    }
    if (!st) st = authz_group_create_batch(c->e, s, n, &l, &c->err);
    if (!st) *data = groups(l);
    authz_free(l);
    return st;
}

AUTHZ__HANDLER(get_group) {
    const char *code;
    authz_group *g = NULL;
    authz_status st = jstr(c, c->req, "code", "code", true, &code);
    if (!st) st = authz_group_get(c->e, code, &g, &c->err);
    if (!st) *data = authz__dto_group(g);
    authz_free(g);
    return st;
}

AUTHZ__HANDLER(list_groups) {
    authz_page p;
    const char *kw;
    authz_group_list *l = NULL;
    authz_status st = jpage(c, &p);
    if (!st) st = jstr(c, c->req, "keywords", "keywords", false, &kw);
    if (!st) st = authz_list_groups(c->e, kw, &p, &l, &c->err);
    if (!st) *data = jpaged(l->total_count, groups(l));
    authz_free(l);
    return st;
}

AUTHZ__HANDLER(update_group) {
    authz_group_patch p = {0};
    authz_group *g = NULL;
    authz_status st = jstr(c, c->req, "code", "code", true, &p.code);
    if (!st) st = jstr(c, c->req, "newCode", "newCode", false, &p.new_code);
    if (!st) st = jstr(c, c->req, "name", "name", false, &p.name);
    if (!st) st = jstr(c, c->req, "description", "description", false, &p.description);
    if (!st) st = authz_group_update(c->e, &p, &g, &c->err);
    if (!st) *data = authz__dto_group(g);
    authz_free(g);
    return st;
}

AUTHZ__HANDLER(delete_groups_batch) {
    const char **codes;
    size_t n;
    authz_status st = jstrs(c, c->req, "codeList", "codeList", true, &codes, &n);
    if (!st) st = authz_group_delete_batch(c->e, codes, n, &c->err);
    if (!st) *data = jsuccess();
    return st;
}

static authz_status members(jctx *c, json_t **data, bool add) {
    const char *code, **users;
    size_t n;
    authz_status st = jstr(c, c->req, "code", "code", true, &code);
    if (!st) st = jstrs(c, c->req, "userIds", "userIds", true, &users, &n);
    if (!st)
        st = add ? authz_group_add_members(c->e, code, users, n, &c->err)
                 : authz_group_remove_members(c->e, code, users, n, &c->err);
    if (!st) *data = jsuccess();
    return st;
}

AUTHZ__HANDLER(add_group_members) { return members(c, data, true); }
AUTHZ__HANDLER(remove_group_members) { return members(c, data, false); }

AUTHZ__HANDLER(list_group_members) {
    const char *code;
    authz_page p;
    authz_id_list *l = NULL;
    authz_status st = jstr(c, c->req, "code", "code", true, &code);
    if (!st) st = jpage(c, &p);
    if (!st) st = authz_group_list_members(c->e, code, &p, &l, &c->err);
    if (!st) *data = authz__dto_user_ids(l);
    authz_free(l);
    return st;
}

AUTHZ__HANDLER(get_user_groups) {
    const char *user;
    authz_group_list *l = NULL;
    authz_status st = jstr(c, c->req, "userId", "userId", true, &user);
    if (!st) st = authz_user_groups(c->e, user, &l, &c->err);
    if (!st) *data = jpaged(l->total_count, groups(l));
    authz_free(l);
    return st;
}
