/*
 * m_grant.c - authorize_resources, revoke_resources (ours), the check, explain_action (ours)
 * and the grant reads (wire spec §4.3).
 */
#include <string.h>

#include "methods.h"

static authz_status ns_field(jctx *c, const char **ns) {
    return jstr(c, c->req, "namespace", "namespace", false, ns);
}

static authz_status resources(jctx *c, json_t *item, bool revoke, authz_grant_resource **out,
                              size_t *n) {
    json_t *list;
    authz_status st = jobjs(c, item, "resources", "resources", true, &list, n);
    *out = st ? NULL : jctx_alloc(c, (*n ? *n : 1) * sizeof **out);
    if (!st && !*out) st = AUTHZ_ENOMEM;
    for (size_t i = 0; !st && i < *n; i++) {
        json_t *r = json_array_get(list, i);
        authz_grant_resource *g = &(*out)[i];
        *g = (authz_grant_resource){0};
        const char **acts = NULL;
        st = jstr(c, r, "code", "code", true, &g->resource);
        if (!st) st = jstrs(c, r, "actions", "actions", !revoke, &acts, &g->action_count);
        g->actions = acts;
        /* resourceType is typed required by GenAuth; authz records it and defaults to DATA. */
        if (!st) st = jresource_type(c, r, "resourceType", "resourceType", false, &g->type, NULL);
        if (st) jctx_in_item(c, "resources", i);
    }
    return st;
}

static authz_status items(jctx *c, bool revoke, authz_grant_item **out, size_t *n) {
    json_t *list;
    authz_status st = jobjs(c, c->req, "list", "list", true, &list, n);
    *out = st ? NULL : jctx_alloc(c, (*n ? *n : 1) * sizeof **out);
    if (!st && !*out) st = AUTHZ_ENOMEM;
    for (size_t i = 0; !st && i < *n; i++) {
        json_t *it = json_array_get(list, i);
        authz_grant_item *g = &(*out)[i];
        *g = (authz_grant_item){0};
        const char **ids = NULL;
        authz_grant_resource *res = NULL;
        st = jtarget_type(c, it, "targetType", "targetType", true, &g->target_type, NULL);
        if (!st)
            st = jstrs(c, it, "targetIdentifiers", "targetIdentifiers", true, &ids,
                       &g->identifier_count);
        if (!st) st = resources(c, it, revoke, &res, &g->resource_count);
        g->identifiers = ids;
        g->resources = res;
        if (st) jctx_in_item(c, "list", i);
    }
    return st;
}

static authz_status grant(jctx *c, json_t **data, bool revoke) {
    authz_grant_item *it;
    size_t n;
    const char *ns;
    authz_status st = items(c, revoke, &it, &n);
    if (!st) st = ns_field(c, &ns);
    /* The cloud grants only inside a namespace it is told (resource/authorizeResources.spec.ts:
     * no namespace is 404 "权限组不存在"), unlike every other method, where none means default. */
    if (!st && !ns && !revoke) {
        st = jctx_fail(c, AUTHZ_ENOTFOUND, "namespace", -1,
                       "namespace not exists: authorize_resources needs a namespace");
        c->err.object = AUTHZ_OBJ_NAMESPACE;
    }
    if (!st)
        st = revoke ? authz_revoke(c->e, ns, it, n, &c->err)
                    : authz_authorize(c->e, ns, it, n, &c->err);
    if (!st) *data = jsuccess();
    return st;
}

AUTHZ__HANDLER(authorize_resources) { return grant(c, data, false); }
AUTHZ__HANDLER(revoke_resources) { return grant(c, data, true); }

typedef struct check_args {
    const char *ns, *user, *resource, *action;
} check_args;

static authz_status check_fields(jctx *c, check_args *a) {
    authz_status st = jstr(c, c->req, "userId", "userId", true, &a->user);
    if (!st) st = jstr(c, c->req, "resource", "resource", true, &a->resource);
    if (!st) st = jstr(c, c->req, "action", "action", true, &a->action);
    if (!st) st = ns_field(c, &a->ns);
    return st;
}

AUTHZ__HANDLER(is_action_allowed) {
    check_args a;
    bool allowed = false;
    authz_status st = check_fields(c, &a);
    if (!st) st = authz_check(c->e, a.ns, a.user, a.resource, a.action, &allowed, &c->err);
    if (!st) *data = json_pack("{s:b}", "allowed", allowed);
    return st;
}

AUTHZ__HANDLER(explain_action) {
    check_args a;
    authz_explanation *x = NULL;
    authz_status st = check_fields(c, &a);
    if (!st) st = authz_explain(c->e, a.ns, a.user, a.resource, a.action, &x, &c->err);
    if (!st && !x->allowed) *data = json_pack("{s:b,s:n,s:n}", "allowed", 0, "principal", "grant");
    if (!st && x->allowed)
        *data = json_pack("{s:b,s:{s:s,s:s},s:{s:s,s:o}}", "allowed", 1, "principal", "targetType",
                          authz_target_type_name(x->principal_type), "targetIdentifier",
                          x->principal_id, "grant", "resource", x->resource, "actions",
                          authz__dto_strings(x->actions, x->action_count));
    authz_free(x);
    return st;
}

/* AuthorizedResourceDto; `effect` and `description` only where GenAuth's DTO has them. */
static json_t *authorized(const authz_grant_list *l, bool full) {
    json_t *a = json_array();
    for (size_t i = 0; a && i < l->count; i++) {
        const authz_grant *g = &l->items[i];
        json_t *o = json_pack("{s:s,s:s,s:s,s:o}", "resourceCode", g->resource, "resourceType",
                              authz_resource_type_name(g->type), "apiIdentifier", g->api_identifier,
                              "actions", authz__dto_strings(g->actions, g->action_count));
        if (o && full) {
            json_object_set_new(o, "description", json_string(g->description));
            json_object_set_new(o, "effect", json_string("ALLOW"));
        }
        json_array_append_new(a, o);
    }
    return a;
}

static authz_status filter(jctx *c, authz_grant_filter *f, authz_resource_type *t, bool lists) {
    bool typed;
    *f = (authz_grant_filter){0};
    authz_status st = jresource_type(c, c->req, "resourceType", "resourceType", false, t, &typed);
    if (!st && typed) f->type = t;
    const char **list = NULL;
    if (!st && lists)
        st = jstrs(c, c->req, "resourceList", "resourceList", false, &list, &f->resource_count);
    f->resources = list;
    return st;
}

static authz_status target_grants(jctx *c, json_t **data, authz_target_type type, const char *id,
                                  bool lists, int shape) {
    const char *ns;
    authz_grant_filter f;
    authz_resource_type t;
    authz_grant_list *l = NULL;
    authz_status st = ns_field(c, &ns);
    if (!st) st = filter(c, &f, &t, lists);
    if (!st) st = authz_target_grants(c->e, ns, type, id, &f, &l, &c->err);
    if (!st)
        *data =
            shape == 2 ? authorized(l, true) : jpaged(l->total_count, authorized(l, shape == 1));
    authz_free(l);
    return st;
}

AUTHZ__HANDLER(get_authorized_resources) {
    authz_target_type type;
    const char *id;
    bool denied;
    authz_status st = jtarget_type(c, c->req, "targetType", "targetType", true, &type, NULL);
    if (!st) st = jstr(c, c->req, "targetIdentifier", "targetIdentifier", true, &id);
    /* withDenied: authorize_resources only ever grants ALLOW, so there is nothing to add. */
    if (!st) st = jbool(c, c->req, "withDenied", "withDenied", &denied, NULL);
    return st ? st : target_grants(c, data, type, id, true, 1);
}

AUTHZ__HANDLER(get_role_authorized_resources) {
    const char *code;
    authz_status st = jstr(c, c->req, "code", "code", true, &code);
    return st ? st : target_grants(c, data, AUTHZ_TARGET_ROLE, code, false, 0);
}

AUTHZ__HANDLER(get_group_authorized_resources) {
    const char *code;
    authz_status st = jstr(c, c->req, "code", "code", true, &code);
    return st ? st : target_grants(c, data, AUTHZ_TARGET_GROUP, code, false, 2);
}

AUTHZ__HANDLER(get_user_authorized_resources) {
    const char *user, *ns, *id_type;
    authz_grant_filter f;
    authz_resource_type t;
    authz_grant_list *l = NULL;
    authz_status st = jstr(c, c->req, "userId", "userId", true, &user);
    if (!st) st = jstr(c, c->req, "userIdType", "userIdType", false, &id_type);
    if (!st && id_type && strcmp(id_type, "user_id") != 0)
        st = jctx_fail(c, AUTHZ_EINVAL, "userIdType", -1, "only userIdType user_id is supported");
    if (!st) st = ns_field(c, &ns);
    if (!st) st = filter(c, &f, &t, false);
    if (!st) st = authz_user_grants(c->e, ns, user, &f, &l, &c->err);
    if (!st) *data = jpaged(l->total_count, authorized(l, true));
    authz_free(l);
    return st;
}

AUTHZ__HANDLER(get_resource_authorized_targets) {
    const char *res, *ns;
    authz_page p;
    authz_target_type t;
    bool typed;
    authz_target_grant_list *l = NULL;
    authz_status st = jstr(c, c->req, "resource", "resource", true, &res);
    if (!st) st = ns_field(c, &ns);
    if (!st) st = jtarget_type(c, c->req, "targetType", "targetType", false, &t, &typed);
    if (!st) st = jpage(c, &p);
    if (!st) st = authz_resource_targets(c->e, ns, res, typed ? &t : NULL, &p, &l, &c->err);
    if (!st) {
        json_t *a = json_array();
        for (size_t i = 0; a && i < l->count; i++)
            json_array_append_new(
                a,
                json_pack("{s:s,s:s,s:o}", "targetType", authz_target_type_name(l->items[i].type),
                          "targetIdentifier", l->items[i].identifier, "actions",
                          authz__dto_strings(l->items[i].actions, l->items[i].action_count)));
        *data = jpaged(l->total_count, a);
    }
    authz_free(l);
    return st;
}
