/*
 * m_namespace.c - the namespace methods (wire spec §4.1).
 */
#include "methods.h"

static authz_status spec(jctx *c, json_t *o, const char *path, authz_namespace_spec *s) {
    (void)path;
    authz_status st = jstr(c, o, "code", "code", true, &s->code);
    if (!st) st = jstr(c, o, "name", "name", false, &s->name);
    if (!st) st = jstr(c, o, "description", "description", false, &s->description);
    return st;
}

AUTHZ__HANDLER(create_namespace) {
    authz_namespace_spec s;
    authz_namespace *n = NULL;
    authz_status st = spec(c, c->req, "", &s);
    if (!st) st = authz_namespace_create(c->e, &s, &n, &c->err);
    if (!st) *data = authz__dto_namespace(n);
    authz_free(n);
    return st;
}

AUTHZ__HANDLER(create_namespaces_batch) {
    json_t *list;
    size_t n;
    authz_status st = jobjs(c, c->req, "list", "list", true, &list, &n);
    authz_namespace_spec *s = st ? NULL : jctx_alloc(c, (n ? n : 1) * sizeof *s);
    if (!st && !s) st = AUTHZ_ENOMEM;
    for (size_t i = 0; !st && i < n; i++) {
        st = spec(c, json_array_get(list, i), "list", &s[i]);
        if (st) jctx_in_item(c, "list", i);
    }
    if (!st) st = authz_namespace_create_batch(c->e, s, n, &c->err);
    if (!st) *data = jsuccess();
    return st;
}

AUTHZ__HANDLER(get_namespace) {
    const char *code;
    authz_namespace *n = NULL;
    authz_status st = jstr(c, c->req, "code", "code", true, &code);
    if (!st) st = authz_namespace_get(c->e, code, &n, &c->err);
    if (!st) *data = authz__dto_namespace(n);
    authz_free(n);
    return st;
}

static json_t *namespaces(const authz_namespace_list *l, bool with_status) {
    json_t *a = json_array();
    for (size_t i = 0; a && i < l->count; i++) {
        json_t *o = authz__dto_namespace(&l->items[i]);
        if (o && with_status) json_object_set_new(o, "status", json_integer(1));
        json_array_append_new(a, o);
    }
    return a;
}

AUTHZ__HANDLER(get_namespaces_batch) {
    const char **codes;
    size_t n;
    authz_namespace_list *l = NULL;
    authz_status st = jstrs(c, c->req, "codeList", "codeList", true, &codes, &n);
    if (!st) st = authz_namespace_get_batch(c->e, codes, n, &l, &c->err);
    if (!st) *data = namespaces(l, false);
    authz_free(l);
    return st;
}

AUTHZ__HANDLER(update_namespace) {
    authz_namespace_patch p = {0};
    authz_namespace *n = NULL;
    authz_status st = jstr(c, c->req, "code", "code", true, &p.code);
    if (!st) st = jstr(c, c->req, "newCode", "newCode", false, &p.new_code);
    if (!st) st = jstr(c, c->req, "name", "name", false, &p.name);
    if (!st) st = jstr(c, c->req, "description", "description", false, &p.description);
    if (!st) st = authz_namespace_update(c->e, &p, &n, &c->err);
    if (!st) {
        *data = authz__dto_namespace(n);
        if (*data && p.new_code && *p.new_code)
            json_object_set_new(*data, "newCode", json_string(p.new_code));
    }
    authz_free(n);
    return st;
}

AUTHZ__HANDLER(delete_namespace) {
    const char *code;
    authz_status st = jstr(c, c->req, "code", "code", true, &code);
    if (!st) st = authz_namespace_delete(c->e, code, &c->err);
    if (!st) *data = jsuccess();
    return st;
}

AUTHZ__HANDLER(delete_namespaces_batch) {
    const char **codes;
    size_t n;
    authz_status st = jstrs(c, c->req, "codeList", "codeList", true, &codes, &n);
    if (!st) st = authz_namespace_delete_batch(c->e, codes, n, &c->err);
    if (!st) *data = jsuccess();
    return st;
}

AUTHZ__HANDLER(list_namespaces) {
    authz_page p;
    const char *kw;
    authz_namespace_list *l = NULL;
    authz_status st = jpage(c, &p);
    if (!st) st = jstr(c, c->req, "keywords", "keywords", false, &kw);
    if (!st) st = authz_list_namespaces(c->e, &p, kw, &l, &c->err);
    if (!st) *data = jpaged(l->total_count, namespaces(l, true));
    authz_free(l);
    return st;
}

AUTHZ__HANDLER(list_namespace_roles) {
    authz_page p;
    const char *code, *kw;
    authz_role_list *l = NULL;
    authz_status st = jstr(c, c->req, "code", "code", true, &code);
    if (!st) st = jpage(c, &p);
    if (!st) st = jstr(c, c->req, "keywords", "keywords", false, &kw);
    if (!st) st = authz_list_roles(c->e, code, kw, &p, &l, &c->err);
    if (!st) {
        json_t *a = json_array();
        for (size_t i = 0; a && i < l->count; i++)
            json_array_append_new(a, authz__dto_role(&l->items[i]));
        *data = jpaged(l->total_count, a);
    }
    authz_free(l);
    return st;
}
