/*
 * namespace.c - permission namespaces: create, read, rename, delete (with every resource,
 * role, grant and assignment in it). `default` exists from the engine's birth and can be
 * neither renamed nor deleted. Namespaces are keyed in grants by their oid, so a rename moves
 * one map entry.
 */
#include <string.h>

#include "base/error.h"
#include "base/result.h"
#include "base/validate.h"
#include "model/engine.h"

static authz_namespace ns_view(const authz_engine *e, const authz__ns *ns) {
    return (authz_namespace){authz__str(e, ns->code), ns->name ? ns->name : "",
                             ns->description ? ns->description : ""};
}

static void emit_ns(authz__out *o, authz_namespace *dst, const authz_namespace *v) {
    const char *c = authz__out_str(o, v->code);
    const char *n = authz__out_str(o, v->name);
    const char *d = authz__out_str(o, v->description);
    AUTHZ__SET(dst, code, c);
    AUTHZ__SET(dst, name, n);
    AUTHZ__SET(dst, description, d);
}

static void emit_one(authz__out *o, const void *ctx) {
    authz_namespace *dst = authz__out_take(o, sizeof *dst);
    emit_ns(o, dst, ctx);
}

static authz_status build_one(const authz_engine *e, const authz_namespace *v,
                              authz_namespace **out, authz_error *err) {
    if (!out) return AUTHZ_OK;
    if (authz__result_build(&e->mem, emit_one, v, (void **)out) != AUTHZ_OK)
        return authz__nomem(err);
    return AUTHZ_OK;
}

static authz_status check_spec(const authz_namespace_spec *s, int32_t item, authz_error *err) {
    if (!s) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NAMESPACE, "list", item, "missing");
    authz_status st = authz__check_code(err, AUTHZ_OBJ_NAMESPACE, "code", item, s->code);
    if (!st) st = authz__check_text(err, "name", item, s->name, AUTHZ__NAME_MAX);
    if (!st) st = authz__check_text(err, "description", item, s->description, AUTHZ__DESC_MAX);
    return st;
}

int authz__ns_reserve_link(authz_engine *e) {
    return authz__map_reserve(e, &e->ns_by_code, 1) && authz__map_reserve(e, &e->ns_by_oid, 1) &&
           authz__vec_reserve(e, &e->ns_order, 1);
}

void authz__ns_link(authz_engine *e, authz__ns *ns) {
    authz__map_putp(&e->ns_by_code, ns->code, ns);
    authz__map_putp(&e->ns_by_oid, ns->oid, ns);
    authz__vec_push(&e->ns_order, ns);
}

void authz__ns_unlink(authz_engine *e, authz__ns *ns) {
    authz__map_del(&e->ns_by_code, ns->code);
    authz__map_del(&e->ns_by_oid, ns->oid);
    authz__vec_remove(&e->ns_order, ns);
}

void authz__ns_free(authz_engine *e, authz__ns *ns) {
    authz__route_drop_ns(e, ns->oid);
    for (size_t i = 0; i < ns->resource_order.count; i++)
        authz__resource_free(e, ns->resource_order.items[i]);
    for (size_t i = 0; i < ns->role_order.count; i++) authz__role_free(e, ns->role_order.items[i]);
    const authz__map_slot *s;
    for (size_t i = 0; authz__map_next(&ns->actabs, &i, &s);)
        authz__actab_free(e, (authz__actab *)(uintptr_t)s->value);
    authz__map_free(&e->mem, &ns->actabs);
    authz__map_free(&e->mem, &ns->resources);
    authz__vec_free(&e->mem, &ns->resource_order);
    authz__map_free(&e->mem, &ns->roles);
    authz__vec_free(&e->mem, &ns->role_order);
    authz__free(&e->mem, ns->name);
    authz__free(&e->mem, ns->description);
    authz__sunref(e, ns->code);
    authz__free(&e->mem, ns);
}

static void undo_create(authz_engine *e, void *a, uintptr_t b) {
    (void)b;
    authz__ns *ns = a;
    authz__ns_unlink(e, ns);
    authz__ns_free(e, ns);
}

static authz_status create_one(authz_engine *e, const authz_namespace_spec *s, int32_t item,
                               authz_error *err) {
    if (authz__ns_find(e, s->code))
        return authz__fail(err, AUTHZ_EEXIST, AUTHZ_OBJ_NAMESPACE, "code", item,
                           "namespace already exists: %s", s->code);
    uint32_t code = authz__intern_add(&e->strings, &e->mem, s->code, strlen(s->code));
    if (!code || !authz__ns_reserve_link(e) || !authz__undo_reserve(e)) return authz__nomem(err);
    authz__ns *ns = authz__calloc(&e->mem, 1, sizeof *ns);
    if (!ns) return authz__nomem(err);
    ns->code = code;
    authz__sref(e, code);
    ns->oid = authz__new_oid(e);
    if (!ns->oid || !authz__strdup(&e->mem, s->name, &ns->name) ||
        !authz__strdup(&e->mem, s->description, &ns->description)) {
        authz__ns_free(e, ns);
        return authz__nomem(err);
    }
    authz__ns_link(e, ns);
    authz__undo_push(e, undo_create, ns, 0);
    return AUTHZ_OK;
}

authz_status authz_namespace_create(authz_engine *e, const authz_namespace_spec *spec,
                                    authz_namespace **out, authz_error *err) {
    if (out) *out = NULL;
    authz_status st = check_spec(spec, -1, err);
    if (st) return st;
    authz__write_begin(e);
    st = create_one(e, spec, -1, err);
    if (!st) {
        authz_namespace v = {spec->code, spec->name ? spec->name : "",
                             spec->description ? spec->description : ""};
        st = build_one(e, &v, out, err);
    }
    return authz__write_finish(e, st);
}

authz_status authz_namespace_create_batch(authz_engine *e, const authz_namespace_spec *specs,
                                          size_t n, authz_error *err) {
    authz_status st = authz__check_count(err, "list", specs, n, 1, 50);
    for (size_t i = 0; !st && i < n; i++) st = check_spec(&specs[i], (int32_t)i, err);
    if (st) return st;
    authz__write_begin(e);
    for (size_t i = 0; !st && i < n; i++) st = create_one(e, &specs[i], (int32_t)i, err);
    return authz__write_finish(e, st);
}

authz_status authz_namespace_get(const authz_engine *e, const char *code, authz_namespace **out,
                                 authz_error *err) {
    if (!out) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "out", -1, "out is NULL");
    *out = NULL;
    authz_status st = authz__check_code(err, AUTHZ_OBJ_NAMESPACE, "code", -1, code);
    if (st) return st;
    authz__rdlock(e);
    const authz__ns *ns = authz__ns_find(e, code);
    if (!ns) {
        st = authz__fail(err, AUTHZ_ENOTFOUND, AUTHZ_OBJ_NAMESPACE, "code", -1,
                         "namespace not found: %s", code);
    } else {
        authz_namespace v = ns_view(e, ns);
        st = build_one(e, &v, out, err);
    }
    authz__unlock(e);
    return st;
}

/* A list result: either the namespaces named by `codes`, or a filtered page of all. */
typedef struct list_ctx {
    const authz_engine *e;
    const char *const *codes;
    size_t ncodes;
    const char *keywords;
    size_t page, limit;
} list_ctx;

static const authz__ns *list_pick(const list_ctx *c, size_t i) {
    if (c->codes) {
        if (!c->codes[i] || !*c->codes[i]) return NULL;
        return authz__ns_find(c->e, c->codes[i]);
    }
    const authz__ns *ns = c->e->ns_order.items[i];
    if (c->keywords && *c->keywords && !strstr(authz__str(c->e, ns->code), c->keywords))
        return NULL;
    return ns;
}

static const void *pick(const void *ctx, size_t i) { return list_pick(ctx, i); }

static void emit_item(authz__out *o, void *dst, const void *ctx, const void *obj) {
    const list_ctx *c = ctx;
    authz_namespace v = ns_view(c->e, obj);
    emit_ns(o, dst, &v);
}

/* get_batch lists the asked codes whole; list pages through all namespaces. */
static void emit_list(authz__out *o, const void *ctx) {
    const list_ctx *c = ctx;
    authz__list_emit s = {c->codes ? c->ncodes : c->e->ns_order.count,
                          pick,
                          emit_item,
                          sizeof(authz_namespace),
                          c->codes ? 0 : (c->page - 1) * c->limit,
                          c->codes ? SIZE_MAX : c->limit};
    authz__emit_list(o, ctx, &s);
}

static authz_status build_list(const list_ctx *c, authz_namespace_list **out, authz_error *err) {
    authz__rdlock(c->e);
    authz_status st = authz__result_build(&c->e->mem, emit_list, c, (void **)out);
    authz__unlock(c->e);
    return st ? authz__nomem(err) : AUTHZ_OK;
}

authz_status authz_namespace_get_batch(const authz_engine *e, const char *const *codes, size_t n,
                                       authz_namespace_list **out, authz_error *err) {
    if (!out) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "out", -1, "out is NULL");
    *out = NULL;
    authz_status st = authz__check_count(err, "codeList", codes, n, 1, 50);
    if (st) return st;
    list_ctx c = {e, codes, n, NULL, 1, 50};
    return build_list(&c, out, err);
}

authz_status authz_list_namespaces(const authz_engine *e, const authz_page *page,
                                   const char *keywords, authz_namespace_list **out,
                                   authz_error *err) {
    if (!out) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "out", -1, "out is NULL");
    *out = NULL;
    list_ctx c = {e, NULL, 0, keywords, 1, 10};
    authz_status st = authz__check_page(err, page, &c.page, &c.limit);
    if (st) return st;
    return build_list(&c, out, err);
}

/* ---- update ---- */

static authz_status check_update(const authz_namespace_patch *u, authz_error *err) {
    if (!u) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "code", -1, "missing");
    authz_status st = authz__check_code(err, AUTHZ_OBJ_NAMESPACE, "code", -1, u->code);
    if (!st && u->new_code && *u->new_code)
        st = authz__check_code(err, AUTHZ_OBJ_NAMESPACE, "newCode", -1, u->new_code);
    if (!st) st = authz__check_text(err, "name", -1, u->name, AUTHZ__NAME_MAX);
    if (!st) st = authz__check_text(err, "description", -1, u->description, AUTHZ__DESC_MAX);
    return st;
}

static void undo_swap(authz_engine *e, void *a, uintptr_t b) {
    char **field = a;
    authz__free(&e->mem, *field);
    *field = (char *)b;
}

/* A string field is replaced by a fresh copy at once and the old value logged, so a rollback
 * restores it; the caller frees `*old_out` only once the write commits. */
authz_status authz__replace_string(authz_engine *e, char **field, const char *s, char **old_out,
                                   authz_error *err) {
    *old_out = NULL;
    if (!s) return AUTHZ_OK;
    char *copy;
    if (!authz__undo_reserve(e) || !authz__strdup(&e->mem, s, &copy)) return authz__nomem(err);
    *old_out = *field;
    authz__undo_push(e, undo_swap, field, (uintptr_t)*field);
    *field = copy;
    return AUTHZ_OK;
}

static authz_status ns_rename(authz_engine *e, authz__ns *ns, const char *new_code,
                              authz_error *err) {
    if (!new_code || !*new_code || strcmp(new_code, authz__str(e, ns->code)) == 0) return AUTHZ_OK;
    if (ns->code == e->default_code)
        return authz__fail(err, AUTHZ_ERULE, AUTHZ_OBJ_NAMESPACE, "code", -1,
                           "the default namespace cannot be renamed");
    if (authz__ns_find(e, new_code))
        return authz__fail(err, AUTHZ_EEXIST, AUTHZ_OBJ_NAMESPACE, "newCode", -1,
                           "namespace already exists: %s", new_code);
    uint32_t id = authz__intern_add(&e->strings, &e->mem, new_code, strlen(new_code));
    if (!id || !authz__map_reserve(e, &e->ns_by_code, 1)) return authz__nomem(err);
    return AUTHZ_OK;
}

authz_status authz_namespace_update(authz_engine *e, const authz_namespace_patch *upd,
                                    authz_namespace **out, authz_error *err) {
    if (out) *out = NULL;
    authz_status st = check_update(upd, err);
    if (st) return st;
    authz__write_begin(e);
    authz__ns *ns = authz__ns_find(e, upd->code);
    char *old_name = NULL, *old_desc = NULL;
    if (!ns)
        st = authz__fail(err, AUTHZ_ENOTFOUND, AUTHZ_OBJ_NAMESPACE, "code", -1,
                         "namespace not found: %s", upd->code);
    if (!st) st = ns_rename(e, ns, upd->new_code, err);
    if (!st) st = authz__replace_string(e, &ns->name, upd->name, &old_name, err);
    if (!st) st = authz__replace_string(e, &ns->description, upd->description, &old_desc, err);
    if (!st) {
        authz_namespace v = ns_view(e, ns);
        if (upd->new_code && *upd->new_code) v.code = upd->new_code;
        st = build_one(e, &v, out, err);
    }
    if (!st) {
        if (upd->new_code && *upd->new_code) {
            uint32_t id = authz__intern_find(&e->strings, upd->new_code, strlen(upd->new_code));
            authz__map_del(&e->ns_by_code, ns->code);
            authz__sunref(e, ns->code);
            authz__sref(e, id);
            ns->code = id;
            authz__map_putp(&e->ns_by_code, id, ns);
        }
        authz__free(&e->mem, old_name);
        authz__free(&e->mem, old_desc);
    }
    return authz__write_finish(e, st);
}

/* ---- delete ---- */

static void ns_destroy(authz_engine *e, authz__ns *ns) {
    while (ns->role_order.count)
        authz__role_destroy(e, ns->role_order.items[ns->role_order.count - 1]);
    /* Every granted code has an action table; removing its grants drops the table too. */
    while (ns->actabs.count) {
        size_t i = 0;
        const authz__map_slot *s;
        authz__map_next(&ns->actabs, &i, &s);
        authz__grant_remove_code(e, ns->oid, (uint32_t)s->key);
    }
    authz__ns_unlink(e, ns);
    authz__ns_free(e, ns);
}

authz_status authz_namespace_delete(authz_engine *e, const char *code, authz_error *err) {
    authz_status st = authz__check_code(err, AUTHZ_OBJ_NAMESPACE, "code", -1, code);
    if (st) return st;
    authz__write_begin(e);
    authz__ns *ns = authz__ns_find(e, code);
    if (!ns)
        st = authz__fail(err, AUTHZ_ENOTFOUND, AUTHZ_OBJ_NAMESPACE, "code", -1,
                         "namespace not found: %s", code);
    else if (ns->code == e->default_code)
        st = authz__fail(err, AUTHZ_ERULE, AUTHZ_OBJ_NAMESPACE, "code", -1,
                         "the default namespace cannot be deleted");
    else
        ns_destroy(e, ns);
    return authz__write_finish(e, st);
}

authz_status authz_namespace_delete_batch(authz_engine *e, const char *const *codes, size_t n,
                                          authz_error *err) {
    authz_status st = authz__check_count(err, "codeList", codes, n, 1, 10);
    if (st) return st;
    authz__write_begin(e);
    for (size_t i = 0; !st && i < n; i++) {
        const authz__ns *ns = codes[i] && *codes[i] ? authz__ns_find(e, codes[i]) : NULL;
        if (ns && ns->code == e->default_code)
            st = authz__fail(err, AUTHZ_ERULE, AUTHZ_OBJ_NAMESPACE, "codeList", (int32_t)i,
                             "the default namespace cannot be deleted");
    }
    for (size_t i = 0; !st && i < n; i++) {
        authz__ns *ns = codes[i] && *codes[i] ? authz__ns_find(e, codes[i]) : NULL;
        if (ns) ns_destroy(e, ns);
    }
    return authz__write_finish(e, st);
}

authz_status authz__ns_resolve(const authz_engine *e, const char *code, authz__ns **out,
                               authz_error *err) {
    authz__ns *ns = authz__ns_find(e, code);
    *out = ns;
    if (ns) return AUTHZ_OK;
    return authz__fail(err, AUTHZ_ENOTFOUND, AUTHZ_OBJ_NAMESPACE, "namespace", -1,
                       "namespace not found: %s", code);
}
