/*
 * resource.c - resources of a namespace: code, type, texts and the declared actions. Grants
 * do not point at resources (GenAuth lets grants name codes never created), so deleting a
 * resource is a cascade over the grant index's per-code list, not over the resource.
 */
#include <string.h>

#include "base/error.h"
#include "base/result.h"
#include "base/validate.h"
#include "model/engine.h"

/* Declared actions hold their names (counted once make_actions succeeds). */
static void free_actions(authz_engine *e, authz__decl_action *a, size_t n) {
    for (size_t i = 0; i < n; i++) {
        authz__sunref(e, a[i].name);
        authz__free(&e->mem, a[i].description);
    }
    authz__free(&e->mem, a);
}

void authz__resource_free(authz_engine *e, authz__resource *r) {
    free_actions(e, r->actions, r->action_count);
    if (r->code) authz__sunref(e, r->code);
    for (size_t i = 0; i < r->tenants.count; i++) authz__free(&e->mem, r->tenants.items[i]);
    authz__vec_free(&e->mem, &r->tenants);
    authz__free(&e->mem, r->name);
    authz__free(&e->mem, r->description);
    authz__free(&e->mem, r->api_identifier);
    authz__free(&e->mem, r);
}

/* ---- results ---- */

typedef struct view {
    const authz_engine *e;
    const authz__ns *ns;
    const authz__resource *r;        /* an engine resource, or */
    const authz_resource_spec *spec; /* a spec about to become one */
} view;

static void emit_resource(authz__out *o, authz_resource *dst, const view *v) {
    const authz_engine *e = v->e;
    const char *ns = authz__out_str(o, authz__str(e, v->ns->code));
    const char *code = authz__out_str(o, v->r ? authz__str(e, v->r->code) : v->spec->code);
    const char *name = authz__out_str(o, v->r ? v->r->name : v->spec->name);
    const char *desc = authz__out_str(o, v->r ? v->r->description : v->spec->description);
    const char *api = authz__out_str(o, v->r ? v->r->api_identifier : v->spec->api_identifier);
    size_t n = v->r ? v->r->action_count : v->spec->action_count;
    authz_action *acts = authz__out_take(o, n * sizeof *acts);
    for (size_t i = 0; i < n; i++) {
        const char *an = authz__out_str(
            o, v->r ? authz__str(e, v->r->actions[i].name) : v->spec->actions[i].name);
        const char *ad = authz__out_str(
            o, v->r ? v->r->actions[i].description : v->spec->actions[i].description);
        if (acts) acts[i] = (authz_action){an, ad};
    }
    AUTHZ__SET(dst, namespace_code, ns);
    AUTHZ__SET(dst, code, code);
    AUTHZ__SET(dst, type, v->r ? v->r->type : v->spec->type);
    AUTHZ__SET(dst, name, name);
    AUTHZ__SET(dst, description, desc);
    AUTHZ__SET(dst, api_identifier, api);
    AUTHZ__SET(dst, action_count, n);
    AUTHZ__SET(dst, actions, acts);
    AUTHZ__SET(dst, linked_to_tenant, v->r ? v->r->tenants.count > 0 : false);
}

static void emit_one(authz__out *o, const void *ctx) {
    authz_resource *dst = authz__out_take(o, sizeof *dst);
    emit_resource(o, dst, ctx);
}

static authz_status build_one(const view *v, authz_resource **out, authz_error *err) {
    if (!out) return AUTHZ_OK;
    if (authz__result_build(&v->e->mem, emit_one, v, (void **)out)) return authz__nomem(err);
    return AUTHZ_OK;
}

/* ---- validation ---- */

static authz_status check_actions(const authz_action_spec *a, size_t n, int32_t item,
                                  authz_error *err) {
    if (n > 100)
        return authz__fail(err, AUTHZ_ELIMIT, AUTHZ_OBJ_RESOURCE, "actions", item,
                           "actions must have at most 100 items");
    for (size_t i = 0; i < n; i++) {
        authz_status st = authz__check_action(err, "actions.name", item, a[i].name);
        if (!st)
            st = authz__check_text(err, "actions.description", item, a[i].description,
                                   AUTHZ__DESC_MAX);
        if (st) return st;
        for (size_t k = 0; k < i; k++)
            if (strcmp(a[k].name, a[i].name) == 0)
                return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_RESOURCE, "actions", item,
                                   "duplicate action: %s", a[i].name);
    }
    return AUTHZ_OK;
}

static authz_status check_spec(const authz_resource_spec *s, int32_t item, authz_error *err) {
    if (!s) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_RESOURCE, "list", item, "missing");
    authz_status st = authz__check_resource_code(err, "code", item, s->code);
    if (!st && authz_resource_type_name(s->type) == NULL)
        st = authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_RESOURCE, "type", item, "invalid type");
    if (!st) st = authz__check_text(err, "name", item, s->name, AUTHZ__NAME_MAX);
    if (!st) st = authz__check_text(err, "description", item, s->description, AUTHZ__DESC_MAX);
    if (!st) st = authz__check_text(err, "apiIdentifier", item, s->api_identifier, AUTHZ__DESC_MAX);
    if (!st && s->action_count && !s->actions)
        st = authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_RESOURCE, "actions", item, "missing");
    if (!st) st = check_actions(s->actions, s->action_count, item, err);
    return st;
}

/* ---- create ---- */

/* Builds the declared-action array (names interned). NULL with *ok = 0 on allocation failure. */
static authz__decl_action *make_actions(authz_engine *e, const authz_action_spec *a, size_t n,
                                        int *ok) {
    *ok = 1;
    if (n == 0) return NULL;
    authz__decl_action *d = authz__calloc(&e->mem, n, sizeof *d);
    if (!d) return *ok = 0, NULL;
    for (size_t i = 0; i < n; i++) {
        d[i].name = authz__intern_add(&e->strings, &e->mem, a[i].name, strlen(a[i].name));
        if (!d[i].name || !authz__strdup(&e->mem, a[i].description, &d[i].description)) {
            for (size_t k = 0; k <= i; k++) authz__free(&e->mem, d[k].description);
            authz__free(&e->mem, d);
            return *ok = 0, NULL;
        }
    }
    for (size_t i = 0; i < n; i++) authz__sref(e, d[i].name);
    return d;
}

static void undo_create(authz_engine *e, void *a, uintptr_t b) {
    authz__resource *r = a;
    authz__ns *ns = (authz__ns *)b;
    authz__map_del(&ns->resources, r->code);
    authz__vec_remove(&ns->resource_order, r);
    authz__resource_free(e, r);
}

static authz_status create_one(authz_engine *e, authz__ns *ns, const authz_resource_spec *s,
                               int32_t item, authz_error *err) {
    uint32_t code = authz__intern_find(&e->strings, s->code, strlen(s->code));
    if (code && authz__map_get(&ns->resources, code))
        return authz__fail(err, AUTHZ_EEXIST, AUTHZ_OBJ_RESOURCE, "code", item,
                           "resource already exists: %s", s->code);
    code = authz__intern_add(&e->strings, &e->mem, s->code, strlen(s->code));
    if (!code || !authz__map_reserve(e, &ns->resources, 1) ||
        !authz__vec_reserve(e, &ns->resource_order, 1) || !authz__undo_reserve(e))
        return authz__nomem(err);
    authz__resource *r = authz__calloc(&e->mem, 1, sizeof *r);
    if (!r) return authz__nomem(err);
    int ok;
    r->type = s->type;
    r->actions = make_actions(e, s->actions, s->action_count, &ok);
    r->action_count = ok ? s->action_count : 0;
    if (!ok || !authz__strdup(&e->mem, s->name, &r->name) ||
        !authz__strdup(&e->mem, s->description, &r->description) ||
        !authz__strdup(&e->mem, s->api_identifier, &r->api_identifier)) {
        authz__resource_free(e, r);
        return authz__nomem(err);
    }
    r->code = code;
    authz__sref(e, code);
    authz__map_putp(&ns->resources, code, r);
    authz__vec_push(&ns->resource_order, r);
    authz__undo_push(e, undo_create, r, (uintptr_t)ns);
    return authz__route_add(e, ns, s->code, s->type, s->api_identifier, err);
}

authz_status authz_resource_create(authz_engine *e, const char *namespace_code,
                                   const authz_resource_spec *spec, authz_resource **out,
                                   authz_error *err) {
    if (out) *out = NULL;
    authz_status st = check_spec(spec, -1, err);
    if (st) return st;
    authz__write_begin(e);
    authz__ns *ns;
    st = authz__ns_resolve(e, namespace_code, &ns, err);
    if (!st) st = create_one(e, ns, spec, -1, err);
    if (!st) {
        view v = {e, ns, NULL, spec};
        st = build_one(&v, out, err);
    }
    return authz__write_finish(e, st);
}

authz_status authz_resource_create_batch(authz_engine *e, const char *namespace_code,
                                         const authz_resource_spec *specs, size_t n,
                                         authz_error *err) {
    authz_status st = authz__check_count(err, "list", specs, n, 1, 50);
    for (size_t i = 0; !st && i < n; i++) st = check_spec(&specs[i], (int32_t)i, err);
    if (st) return st;
    authz__write_begin(e);
    authz__ns *ns;
    st = authz__ns_resolve(e, namespace_code, &ns, err);
    for (size_t i = 0; !st && i < n; i++) st = create_one(e, ns, &specs[i], (int32_t)i, err);
    return authz__write_finish(e, st);
}

/* ---- reads ---- */

static const authz__resource *find(const authz_engine *e, const authz__ns *ns, const char *code) {
    uint32_t id = code ? authz__intern_find(&e->strings, code, strlen(code)) : 0;
    return id ? authz__map_getp(&ns->resources, id) : NULL;
}

authz_status authz_resource_get(const authz_engine *e, const char *namespace_code, const char *code,
                                authz_resource **out, authz_error *err) {
    if (!out) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "out", -1, "out is NULL");
    *out = NULL;
    authz_status st = authz__check_resource_code(err, "code", -1, code);
    if (st) return st;
    authz__rdlock(e);
    authz__ns *ns;
    st = authz__ns_resolve(e, namespace_code, &ns, err);
    const authz__resource *r = st ? NULL : find(e, ns, code);
    if (!st && !r)
        st = authz__fail(err, AUTHZ_ENOTFOUND, AUTHZ_OBJ_RESOURCE, "code", -1,
                         "resource not found: %s", code);
    if (!st) {
        view v = {e, ns, r, NULL};
        st = build_one(&v, out, err);
    }
    authz__unlock(e);
    return st;
}

typedef struct list_ctx {
    const authz_engine *e;
    const authz__ns *ns;
    const char *const *codes;
    size_t ncodes;
    const authz_resource_type *type;
    size_t page, limit;
} list_ctx;

static const authz__resource *list_pick(const list_ctx *c, size_t i) {
    if (c->codes) return find(c->e, c->ns, c->codes[i]);
    const authz__resource *r = c->ns->resource_order.items[i];
    return (c->type && r->type != *c->type) ? NULL : r;
}

static const void *pick(const void *ctx, size_t i) { return list_pick(ctx, i); }

static void emit_item(authz__out *o, void *dst, const void *ctx, const void *obj) {
    const list_ctx *c = ctx;
    view v = {c->e, c->ns, obj, NULL};
    emit_resource(o, dst, &v);
}

/* get_batch lists the asked codes whole; list pages through the namespace's resources. */
static void emit_list(authz__out *o, const void *ctx) {
    const list_ctx *c = ctx;
    authz__list_emit s = {c->codes ? c->ncodes : c->ns->resource_order.count,
                          pick,
                          emit_item,
                          sizeof(authz_resource),
                          c->codes ? 0 : (c->page - 1) * c->limit,
                          c->codes ? SIZE_MAX : c->limit};
    authz__emit_list(o, ctx, &s);
}

static authz_status build_list(list_ctx *c, const char *namespace_code, authz_resource_list **out,
                               authz_error *err) {
    authz__rdlock(c->e);
    authz__ns *ns;
    authz_status st = authz__ns_resolve(c->e, namespace_code, &ns, err);
    c->ns = ns;
    if (!st && authz__result_build(&c->e->mem, emit_list, c, (void **)out)) st = authz__nomem(err);
    authz__unlock(c->e);
    return st;
}

authz_status authz_resource_get_batch(const authz_engine *e, const char *namespace_code,
                                      const char *const *codes, size_t n, authz_resource_list **out,
                                      authz_error *err) {
    if (!out) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "out", -1, "out is NULL");
    *out = NULL;
    authz_status st = authz__check_count(err, "codeList", codes, n, 1, 50);
    if (st) return st;
    list_ctx c = {e, NULL, codes, n, NULL, 1, 50};
    return build_list(&c, namespace_code, out, err);
}

authz_status authz_list_resources(const authz_engine *e, const char *namespace_code,
                                  const authz_resource_type *type, const authz_page *page,
                                  authz_resource_list **out, authz_error *err) {
    if (!out) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "out", -1, "out is NULL");
    *out = NULL;
    list_ctx c = {e, NULL, NULL, 0, type, 1, 10};
    authz_status st = authz__check_page(err, page, &c.page, &c.limit);
    if (!st && type && !authz_resource_type_name(*type))
        st = authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "type", -1, "invalid type");
    if (st) return st;
    return build_list(&c, namespace_code, out, err);
}

/* ---- update ---- */

static bool declared(const authz__decl_action *a, size_t n, uint32_t name) {
    for (size_t i = 0; i < n; i++)
        if (a[i].name == name) return true;
    return false;
}

/* Strict mode: grants keep only the actions the resource still declares (and "*"). */
static void drop_undeclared(authz_engine *e, const authz__ns *ns, const authz__resource *r) {
    const authz__actab *t = authz__actab_find(e, ns->oid, r->code);
    if (!t) return;
    uint32_t rec = authz__grant_clist_head(&e->grants, ns->oid, r->code);
    while (rec) {
        authz__grant_rec *g = &e->grants.recs[rec];
        uint32_t next = g->cnext;
        authz__gslot *s = authz__grant_find(&e->grants, g->ns, g->target, g->res);
        for (uint32_t o = 1; o < t->count; o++)
            if (!declared(r->actions, r->action_count, t->names[o])) authz__bits_clear(s, g, o);
        if (authz__bits_empty(s, g)) {
            /* The last removal may drop the table itself, so stop using it after. */
            int last = next == 0;
            authz__grant_remove(e, g->ns, g->target, g->res);
            if (last) return;
        }
        rec = next;
    }
}

static authz_status check_update(const authz_resource_patch *u, authz_error *err) {
    if (!u) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_RESOURCE, "code", -1, "missing");
    authz_status st = authz__check_resource_code(err, "code", -1, u->code);
    if (!st && u->type && !authz_resource_type_name(*u->type))
        st = authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_RESOURCE, "type", -1, "invalid type");
    if (!st) st = authz__check_text(err, "name", -1, u->name, AUTHZ__NAME_MAX);
    if (!st) st = authz__check_text(err, "description", -1, u->description, AUTHZ__DESC_MAX);
    if (!st) st = authz__check_text(err, "apiIdentifier", -1, u->api_identifier, AUTHZ__DESC_MAX);
    if (!st && u->set_actions && u->action_count && !u->actions)
        st = authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_RESOURCE, "actions", -1, "missing");
    if (!st && u->set_actions) st = check_actions(u->actions, u->action_count, -1, err);
    return st;
}

typedef struct pending {
    char *old_name, *old_desc, *old_api;
    authz__decl_action *new_actions;
} pending;

static authz_status update_prepare(authz_engine *e, authz__resource *r,
                                   const authz_resource_patch *u, pending *p, authz_error *err) {
    authz_status st = authz__replace_string(e, &r->name, u->name, &p->old_name, err);
    if (!st) st = authz__replace_string(e, &r->description, u->description, &p->old_desc, err);
    if (!st) st = authz__replace_string(e, &r->api_identifier, u->api_identifier, &p->old_api, err);
    if (!st && u->set_actions) {
        int ok;
        p->new_actions = make_actions(e, u->actions, u->action_count, &ok);
        if (!ok) st = authz__nomem(err);
    }
    return st;
}

static void update_commit(authz_engine *e, const authz__ns *ns, authz__resource *r,
                          const authz_resource_patch *u, pending *p) {
    authz__free(&e->mem, p->old_name);
    authz__free(&e->mem, p->old_desc);
    authz__free(&e->mem, p->old_api);
    if (u->type) r->type = *u->type;
    if (!u->set_actions) return;
    free_actions(e, r->actions, r->action_count);
    r->actions = p->new_actions;
    r->action_count = u->action_count;
    if (e->strict) drop_undeclared(e, ns, r);
}

static void pending_discard(authz_engine *e, const authz_resource_patch *u, pending *p) {
    if (!p->new_actions) return;
    free_actions(e, p->new_actions, u->action_count);
}

authz_status authz_resource_update(authz_engine *e, const char *namespace_code,
                                   const authz_resource_patch *upd, authz_resource **out,
                                   authz_error *err) {
    if (out) *out = NULL;
    authz_status st = check_update(upd, err);
    if (st) return st;
    authz__write_begin(e);
    authz__ns *ns;
    pending p = {0};
    st = authz__ns_resolve(e, namespace_code, &ns, err);
    authz__resource *r = st ? NULL : (authz__resource *)(uintptr_t)find(e, ns, upd->code);
    if (!st && !r)
        st = authz__fail(err, AUTHZ_ENOTFOUND, AUTHZ_OBJ_RESOURCE, "code", -1,
                         "resource not found: %s", upd->code);
    if (!st) st = update_prepare(e, r, upd, &p, err);
    bool reroute = !st && (upd->api_identifier || (upd->type && *upd->type != r->type));
    if (reroute)
        st = authz__route_add(e, ns, upd->code, upd->type ? *upd->type : r->type, r->api_identifier,
                              err);
    if (!st && out) {
        /* The result shows the resource after the update, built before anything is freed. */
        authz__resource after = *r;
        if (upd->type) after.type = *upd->type;
        if (upd->set_actions) {
            after.actions = p.new_actions;
            after.action_count = upd->action_count;
        }
        view v = {e, ns, &after, NULL};
        st = build_one(&v, out, err);
    }
    if (st) {
        pending_discard(e, upd, &p);
    } else {
        if (reroute) /* the route before the update (p.old_api is set iff the identifier was) */
            authz__route_remove(e, ns, upd->code, r->type,
                                upd->api_identifier ? p.old_api : r->api_identifier);
        update_commit(e, ns, r, upd, &p);
    }
    return authz__write_finish(e, st);
}

/* ---- delete ---- */

static void delete_code(authz_engine *e, authz__ns *ns, const char *code) {
    uint32_t id = code ? authz__intern_find(&e->strings, code, strlen(code)) : 0;
    if (!id) return;
    authz__grant_remove_code(e, ns->oid, id);
    authz__resource *r = authz__map_getp(&ns->resources, id);
    if (!r) return;
    authz__route_remove(e, ns, code, r->type, r->api_identifier);
    authz__map_del(&ns->resources, id);
    authz__vec_remove(&ns->resource_order, r);
    authz__resource_free(e, r);
}

authz_status authz_resource_delete(authz_engine *e, const char *namespace_code, const char *code,
                                   authz_error *err) {
    authz__write_begin(e);
    authz__ns *ns;
    authz_status st = authz__ns_resolve(e, namespace_code, &ns, err);
    if (!st) delete_code(e, ns, code);
    return authz__write_finish(e, st);
}

authz_status authz_resource_delete_batch(authz_engine *e, const char *namespace_code,
                                         const char *const *codes, size_t n, authz_error *err) {
    authz_status st = authz__check_count(err, "codeList", codes, n, 1, 50);
    if (st) return st;
    authz__write_begin(e);
    authz__ns *ns;
    st = authz__ns_resolve(e, namespace_code, &ns, err);
    for (size_t i = 0; !st && i < n; i++) delete_code(e, ns, codes[i]);
    return authz__write_finish(e, st);
}

/* ---- tenants ---- */

static size_t tenant_index(const authz__resource *r, const char *tenant) {
    for (size_t i = 0; i < r->tenants.count; i++)
        if (strcmp(r->tenants.items[i], tenant) == 0) return i;
    return (size_t)-1;
}

static void undo_tenant(authz_engine *e, void *a, uintptr_t b) {
    authz__resource *r = a;
    char *t = (char *)b;
    authz__vec_remove(&r->tenants, t);
    authz__free(&e->mem, t);
}

static authz_status tenant_add(authz_engine *e, authz__resource *r, const char *tenant,
                               authz_error *err) {
    if (tenant_index(r, tenant) != (size_t)-1) return AUTHZ_OK;
    char *copy;
    if (!authz__vec_reserve(e, &r->tenants, 1) || !authz__undo_reserve(e) ||
        !authz__strdup(&e->mem, tenant, &copy))
        return authz__nomem(err);
    authz__vec_push(&r->tenants, copy);
    authz__undo_push(e, undo_tenant, r, (uintptr_t)copy);
    return AUTHZ_OK;
}

static void tenant_remove(authz_engine *e, authz__resource *r, const char *tenant) {
    size_t i = tenant_index(r, tenant);
    if (i == (size_t)-1) return;
    authz__free(&e->mem, r->tenants.items[i]);
    authz__vec_remove_at(&r->tenants, i);
}

authz_status authz_resource_associate_tenant(authz_engine *e, const char *app_id, const char *code,
                                             bool association, const char *tenant_id,
                                             authz_error *err) {
    authz_status st = authz__check_code(err, AUTHZ_OBJ_NAMESPACE, "appId", -1, app_id);
    if (!st) st = authz__check_resource_code(err, "code", -1, code);
    if (!st) st = authz__check_text(err, "tenantId", -1, tenant_id, AUTHZ__ID_MAX);
    if (st) return st;
    const char *tenant = tenant_id ? tenant_id : "";
    authz__write_begin(e);
    authz__ns *ns = authz__ns_find(e, app_id);
    authz__resource *r = ns ? (authz__resource *)(uintptr_t)find(e, ns, code) : NULL;
    if (!ns)
        st = authz__fail(err, AUTHZ_ENOTFOUND, AUTHZ_OBJ_NAMESPACE, "appId", -1,
                         "namespace not found: %s", app_id);
    else if (!r)
        st = authz__fail(err, AUTHZ_ENOTFOUND, AUTHZ_OBJ_RESOURCE, "code", -1,
                         "resource not found: %s", code);
    else if (association)
        st = tenant_add(e, r, tenant, err);
    else
        tenant_remove(e, r, tenant);
    return authz__write_finish(e, st);
}
