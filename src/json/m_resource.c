/*
 * m_resource.c - the resource methods (wire spec §4.2).
 */
#include <string.h>

#include "methods.h"

static authz_status actions(jctx *c, json_t *o, authz_action_spec **out, size_t *n) {
    json_t *list;
    authz_status st = jobjs(c, o, "actions", "actions", false, &list, n);
    *out = NULL;
    if (st || !*n) return st;
    *out = jctx_alloc(c, *n * sizeof **out);
    if (!*out) return AUTHZ_ENOMEM;
    for (size_t i = 0; !st && i < *n; i++) {
        json_t *a = json_array_get(list, i);
        st = jstr(c, a, "name", "name", true, &(*out)[i].name);
        if (!st) st = jstr(c, a, "description", "description", false, &(*out)[i].description);
        if (st) jctx_in_item(c, "actions", i);
    }
    return st;
}

static authz_status spec(jctx *c, json_t *o, authz_resource_spec *s) {
    authz_status st = jstr(c, o, "code", "code", true, &s->code);
    if (!st) st = jresource_type(c, o, "type", "type", true, &s->type, NULL);
    if (!st) st = jstr(c, o, "name", "name", false, &s->name);
    if (!st) st = jstr(c, o, "description", "description", false, &s->description);
    if (!st) st = jstr(c, o, "apiIdentifier", "apiIdentifier", false, &s->api_identifier);
    authz_action_spec *acts = NULL;
    if (!st) st = actions(c, o, &acts, &s->action_count);
    s->actions = acts;
    return st;
}

static authz_status ns_field(jctx *c, const char **ns) {
    return jstr(c, c->req, "namespace", "namespace", false, ns);
}

AUTHZ__HANDLER(create_resource) {
    authz_resource_spec s = {0};
    const char *ns;
    authz_resource *r = NULL;
    authz_status st = spec(c, c->req, &s);
    if (!st) st = ns_field(c, &ns);
    if (!st) st = authz_resource_create(c->e, ns, &s, &r, &c->err);
    if (!st) *data = authz__dto_resource(r);
    authz_free(r);
    return st;
}

AUTHZ__HANDLER(create_resources_batch) {
    json_t *list;
    size_t n;
    const char *ns;
    authz_status st = jobjs(c, c->req, "list", "list", true, &list, &n);
    if (!st) st = ns_field(c, &ns);
    authz_resource_spec *s = st ? NULL : jctx_alloc(c, (n ? n : 1) * sizeof *s);
    if (!st && !s) st = AUTHZ_ENOMEM;
    for (size_t i = 0; !st && i < n; i++) {
        s[i] = (authz_resource_spec){0};
        st = spec(c, json_array_get(list, i), &s[i]);
        if (st) jctx_in_item(c, "list", i);
    }
    if (!st) st = authz_resource_create_batch(c->e, ns, s, n, &c->err);
    if (!st) *data = jsuccess();
    return st;
}

AUTHZ__HANDLER(get_resource) {
    const char *code, *ns;
    authz_resource *r = NULL;
    authz_status st = jstr(c, c->req, "code", "code", true, &code);
    if (!st) st = ns_field(c, &ns);
    if (!st) st = authz_resource_get(c->e, ns, code, &r, &c->err);
    if (!st) *data = authz__dto_resource(r);
    authz_free(r);
    return st;
}

static json_t *resources(const authz_resource_list *l) {
    json_t *a = json_array();
    for (size_t i = 0; a && i < l->count; i++)
        json_array_append_new(a, authz__dto_resource(&l->items[i]));
    return a;
}

AUTHZ__HANDLER(get_resources_batch) {
    const char **codes, *ns;
    size_t n;
    authz_resource_list *l = NULL;
    authz_status st = jstrs(c, c->req, "codeList", "codeList", true, &codes, &n);
    if (!st) st = ns_field(c, &ns);
    if (!st) st = authz_resource_get_batch(c->e, ns, codes, n, &l, &c->err);
    if (!st) *data = resources(l);
    authz_free(l);
    return st;
}

AUTHZ__HANDLER(list_resources) {
    authz_page p;
    const char *ns;
    authz_resource_type t;
    bool typed;
    authz_resource_list *l = NULL;
    authz_status st = jpage(c, &p);
    if (!st) st = ns_field(c, &ns);
    if (!st) st = jresource_type(c, c->req, "type", "type", false, &t, &typed);
    if (!st) st = authz_list_resources(c->e, ns, typed ? &t : NULL, &p, &l, &c->err);
    if (!st) *data = jpaged(l->total_count, resources(l));
    authz_free(l);
    return st;
}

AUTHZ__HANDLER(update_resource) {
    authz_resource_patch p = {0};
    const char *ns;
    authz_resource_type t;
    bool typed;
    authz_resource *r = NULL;
    authz_status st = jstr(c, c->req, "code", "code", true, &p.code);
    if (!st) st = ns_field(c, &ns);
    if (!st) st = jstr(c, c->req, "name", "name", false, &p.name);
    if (!st) st = jstr(c, c->req, "description", "description", false, &p.description);
    if (!st) st = jstr(c, c->req, "apiIdentifier", "apiIdentifier", false, &p.api_identifier);
    if (!st) st = jresource_type(c, c->req, "type", "type", false, &t, &typed);
    if (!st && typed) p.type = &t;
    p.set_actions = jfield(c->req, "actions") != NULL;
    authz_action_spec *acts = NULL;
    if (!st) st = actions(c, c->req, &acts, &p.action_count);
    p.actions = acts;
    if (!st) st = authz_resource_update(c->e, ns, &p, &r, &c->err);
    if (!st) *data = authz__dto_resource(r);
    authz_free(r);
    return st;
}

AUTHZ__HANDLER(delete_resource) {
    const char *code, *ns;
    authz_status st = jstr(c, c->req, "code", "code", true, &code);
    /* Any other code is deleted or was never there (200), but the cloud refuses an over-long one.
     */
    if (!st && strlen(code) > 64)
        st = jctx_fail(c, AUTHZ_EINVAL, "code", -1, "code must be at most 64 bytes");
    if (!st) st = ns_field(c, &ns);
    if (!st) st = authz_resource_delete(c->e, ns, code, &c->err);
    if (!st) *data = jsuccess();
    return st;
}

AUTHZ__HANDLER(delete_resources_batch) {
    const char **codes, *ns;
    size_t n;
    authz_status st = jstrs(c, c->req, "codeList", "codeList", true, &codes, &n);
    if (!st) st = ns_field(c, &ns);
    if (!st) st = authz_resource_delete_batch(c->e, ns, codes, n, &c->err);
    if (!st) *data = jsuccess();
    return st;
}

AUTHZ__HANDLER(associate_tenant_resource) {
    const char *code, *app, *tenant;
    bool assoc = false, given;
    authz_status st = jstr(c, c->req, "code", "code", true, &code);
    if (!st) st = jbool(c, c->req, "association", "association", &assoc, &given);
    if (!st && !given)
        st = jctx_fail(c, AUTHZ_EINVAL, "association", -1, "missing required field: association");
    if (!st) st = jstr(c, c->req, "appId", "appId", true, &app);
    if (!st) st = jstr(c, c->req, "tenantId", "tenantId", false, &tenant);
    if (!st) st = authz_resource_associate_tenant(c->e, app, code, assoc, tenant, &c->err);
    if (!st) *data = jsuccess();
    return st;
}
