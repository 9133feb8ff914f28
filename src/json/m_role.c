/*
 * m_role.c - the role methods (wire spec §4.4): roles, their assignment to users and
 * departments, and the listings.
 */
#include "methods.h"

static authz_status ns_field(jctx *c, const char **ns) {
    return jstr(c, c->req, "namespace", "namespace", false, ns);
}

static authz_status spec(jctx *c, json_t *o, authz_role_spec *s) {
    *s = (authz_role_spec){0};
    authz_status st = jstr(c, o, "code", "code", true, &s->code);
    if (!st) st = jstr(c, o, "name", "name", false, &s->name);
    if (!st) st = jstr(c, o, "description", "description", false, &s->description);
    if (!st) st = jstr(c, o, "namespace", "namespace", false, &s->namespace_code);
    if (!st) st = jint(c, o, "disableTime", "disableTime", false, &s->disable_time, NULL);
    return st;
}

AUTHZ__HANDLER(create_role) {
    authz_role_spec s;
    authz_role *r = NULL;
    authz_status st = spec(c, c->req, &s);
    if (!st) st = authz_role_create(c->e, &s, &r, &c->err);
    if (!st) *data = authz__dto_role(r);
    authz_free(r);
    return st;
}

AUTHZ__HANDLER(create_roles_batch) {
    json_t *list;
    size_t n;
    authz_status st = jobjs(c, c->req, "list", "list", true, &list, &n);
    authz_role_spec *s = st ? NULL : jctx_alloc(c, (n ? n : 1) * sizeof *s);
    if (!st && !s) st = AUTHZ_ENOMEM;
    for (size_t i = 0; !st && i < n; i++) {
        st = spec(c, json_array_get(list, i), &s[i]);
        if (st) jctx_in_item(c, "list", i);
    }
    if (!st) st = authz_role_create_batch(c->e, s, n, &c->err);
    if (!st) *data = jsuccess();
    return st;
}

AUTHZ__HANDLER(get_role) {
    const char *code, *ns;
    authz_role *r = NULL;
    authz_status st = jstr(c, c->req, "code", "code", true, &code);
    if (!st) st = ns_field(c, &ns);
    if (!st) st = authz_role_get(c->e, ns, code, &r, &c->err);
    if (!st) *data = authz__dto_role(r);
    authz_free(r);
    return st;
}

static json_t *roles(const authz_role_list *l) {
    json_t *a = json_array();
    for (size_t i = 0; a && i < l->count; i++)
        json_array_append_new(a, authz__dto_role(&l->items[i]));
    return jpaged(l->total_count, a);
}

AUTHZ__HANDLER(list_roles) {
    authz_page p;
    const char *ns, *kw;
    authz_role_list *l = NULL;
    authz_status st = jpage(c, &p);
    if (!st) st = ns_field(c, &ns);
    if (!st) st = jstr(c, c->req, "keywords", "keywords", false, &kw);
    if (!st) st = authz_list_roles(c->e, ns, kw, &p, &l, &c->err);
    if (!st) *data = roles(l);
    authz_free(l);
    return st;
}

AUTHZ__HANDLER(update_role) {
    authz_role_patch p = {0};
    const char *status;
    authz_role_status s;
    int64_t disable;
    bool has_disable;
    authz_status st = jstr(c, c->req, "code", "code", true, &p.code);
    if (!st) st = ns_field(c, &p.namespace_code);
    if (!st) st = jstr(c, c->req, "newCode", "newCode", false, &p.new_code);
    if (!st) st = jstr(c, c->req, "name", "name", false, &p.name);
    if (!st) st = jstr(c, c->req, "description", "description", false, &p.description);
    if (!st) st = jstr(c, c->req, "status", "status", false, &status);
    if (!st && status && authz_role_status_parse(status, &s) != AUTHZ_OK)
        st = jctx_fail(c, AUTHZ_EINVAL, "status", -1, "field status must be ENABLE or DISABLE");
    if (!st && status) p.status = &s;
    if (!st) st = jint(c, c->req, "disableTime", "disableTime", false, &disable, &has_disable);
    if (!st && has_disable) p.disable_time = &disable;
    if (!st) st = authz_role_update(c->e, &p, &c->err);
    if (!st) *data = jsuccess();
    return st;
}

AUTHZ__HANDLER(delete_roles_batch) {
    const char **codes, *ns;
    size_t n;
    authz_status st = jstrs(c, c->req, "codeList", "codeList", true, &codes, &n);
    if (!st) st = ns_field(c, &ns);
    if (!st) st = authz_role_delete_batch(c->e, ns, codes, n, &c->err);
    if (!st) *data = jsuccess();
    return st;
}

static authz_status targets(jctx *c, authz_target **out, size_t *n) {
    json_t *list;
    authz_status st = jobjs(c, c->req, "targets", "targets", true, &list, n);
    *out = st ? NULL : jctx_alloc(c, (*n ? *n : 1) * sizeof **out);
    if (!st && !*out) st = AUTHZ_ENOMEM;
    for (size_t i = 0; !st && i < *n; i++) {
        json_t *t = json_array_get(list, i);
        st = jtarget_type(c, t, "targetType", "targetType", true, &(*out)[i].type, NULL);
        if (!st)
            st = jstr(c, t, "targetIdentifier", "targetIdentifier", true, &(*out)[i].identifier);
        if (st) jctx_in_item(c, "targets", i);
    }
    return st;
}

static authz_status window(jctx *c, authz_role_window *w, bool *given) {
    bool a = false, b = false;
    *w = (authz_role_window){0};
    authz_status st = jint(c, c->req, "enableTime", "enableTime", false, &w->enable_time, &a);
    if (!st) st = jint(c, c->req, "endTime", "endTime", false, &w->end_time, &b);
    *given = a || b;
    return st;
}

static authz_status role_refs(jctx *c, authz_role_ref **out, size_t *n) {
    json_t *list;
    authz_status st = jobjs(c, c->req, "roles", "roles", true, &list, n);
    *out = st ? NULL : jctx_alloc(c, (*n ? *n : 1) * sizeof **out);
    if (!st && !*out) st = AUTHZ_ENOMEM;
    for (size_t i = 0; !st && i < *n; i++) {
        json_t *r = json_array_get(list, i);
        st = jstr(c, r, "code", "code", true, &(*out)[i].code);
        if (!st) st = jstr(c, r, "namespace", "namespace", false, &(*out)[i].namespace_code);
        if (st) jctx_in_item(c, "roles", i);
    }
    return st;
}

static authz_status assign_or_revoke(jctx *c, json_t **data, bool revoke, bool batch) {
    authz_target *t;
    size_t nt, nr = 1;
    authz_role_ref one, *refs = &one;
    authz_role_window w;
    bool windowed = false;
    authz_status st = targets(c, &t, &nt);
    if (!st && batch) st = role_refs(c, &refs, &nr);
    if (!st && !batch) st = jstr(c, c->req, "code", "code", true, &one.code);
    if (!st && !batch) st = ns_field(c, &one.namespace_code);
    if (!st && !revoke) st = window(c, &w, &windowed);
    if (st) return st;
    const authz_role_window *wp = windowed ? &w : NULL;
    if (batch)
        st = revoke ? authz_role_revoke_batch(c->e, refs, nr, t, nt, &c->err)
                    : authz_role_assign_batch(c->e, refs, nr, t, nt, wp, &c->err);
    else
        st = revoke ? authz_role_revoke(c->e, one.namespace_code, one.code, t, nt, &c->err)
                    : authz_role_assign(c->e, one.namespace_code, one.code, t, nt, wp, &c->err);
    if (!st) *data = jsuccess();
    return st;
}

AUTHZ__HANDLER(assign_role) { return assign_or_revoke(c, data, false, false); }
AUTHZ__HANDLER(assign_role_batch) { return assign_or_revoke(c, data, false, true); }
AUTHZ__HANDLER(revoke_role) { return assign_or_revoke(c, data, true, false); }
AUTHZ__HANDLER(revoke_role_batch) { return assign_or_revoke(c, data, true, true); }

static authz_status assignees(jctx *c, json_t **data, bool depts) {
    const char *code, *ns;
    authz_page p;
    authz_assignment_list *l = NULL;
    authz_status st = jstr(c, c->req, "code", "code", true, &code);
    if (!st) st = ns_field(c, &ns);
    if (!st) st = jpage(c, &p);
    if (!st)
        st = depts ? authz_role_list_departments(c->e, ns, code, &p, &l, &c->err)
                   : authz_role_list_members(c->e, ns, code, &p, &l, &c->err);
    if (!st) {
        json_t *a = json_array();
        for (size_t i = 0; a && i < l->count; i++) {
            const authz_assignment *x = &l->items[i];
            json_t *o =
                depts ? json_pack("{s:s,s:s}", "id", x->identifier, "departmentId", x->identifier)
                      : json_pack("{s:s}", "userId", x->identifier);
            if (o && x->enable_time)
                json_object_set_new(o, "enableTime", json_integer(x->enable_time));
            if (o && x->end_time) json_object_set_new(o, "endTime", json_integer(x->end_time));
            json_array_append_new(a, o);
        }
        *data = jpaged(l->total_count, a);
    }
    authz_free(l);
    return st;
}

AUTHZ__HANDLER(list_role_members) { return assignees(c, data, false); }
AUTHZ__HANDLER(list_role_departments) { return assignees(c, data, true); }

AUTHZ__HANDLER(get_user_roles) {
    const char *user, *ns;
    authz_role_list *l = NULL;
    authz_status st = jstr(c, c->req, "userId", "userId", true, &user);
    if (!st) st = ns_field(c, &ns);
    if (!st) st = authz_user_roles(c->e, user, ns, &l, &c->err);
    if (!st) *data = roles(l);
    authz_free(l);
    return st;
}
