/*
 * role.c - roles of a namespace and their lifecycle. A role is addressed in grants by its oid,
 * so a rename touches only the namespace's code map. Assignments live in assign.c.
 */
#include <string.h>

#include "base/error.h"
#include "base/result.h"
#include "base/validate.h"
#include "model/engine.h"
#include "model/role_view.h"
#include "model/view.h"

void authz__role_free(authz_engine *e, authz__role *r) {
    authz__vec_free(&e->mem, &r->assigns);
    authz__free(&e->mem, r->name);
    authz__free(&e->mem, r->description);
    authz__sunref(e, r->code);
    authz__free(&e->mem, r);
}

int authz__role_reserve_link(authz_engine *e, authz__ns *ns) {
    return authz__map_reserve(e, &ns->roles, 1) && authz__vec_reserve(e, &ns->role_order, 1) &&
           authz__map_reserve(e, &e->role_by_oid, 1);
}

void authz__role_link(authz_engine *e, authz__role *r) {
    authz__map_putp(&r->ns->roles, r->code, r);
    authz__vec_push(&r->ns->role_order, r);
    authz__map_putp(&e->role_by_oid, r->oid, r);
    e->role_count++;
}

void authz__role_unlink(authz_engine *e, authz__role *r) {
    authz__map_del(&r->ns->roles, r->code);
    authz__vec_remove(&r->ns->role_order, r);
    authz__map_del(&e->role_by_oid, r->oid);
    e->role_count--;
}

void authz__role_destroy(authz_engine *e, authz__role *r) {
    authz__grant_remove_target(e, r->ns->oid, authz__target(AUTHZ_TARGET_ROLE, r->oid));
    while (r->assigns.count) authz__assign_destroy(e, r->assigns.items[r->assigns.count - 1]);
    authz__role_unlink(e, r);
    authz__role_free(e, r);
}

/* ---- results ---- */

authz_role authz__role_view(const authz_engine *e, const authz__role *r) {
    return (authz_role){authz__str(e, r->ns->code),
                        authz__str(e, r->code),
                        r->name ? r->name : "",
                        r->description ? r->description : "",
                        r->status,
                        r->disable_time};
}

void authz__emit_role(authz__out *o, authz_role *dst, const authz_role *v) {
    const char *ns = authz__out_str(o, v->namespace_code);
    const char *code = authz__out_str(o, v->code);
    const char *name = authz__out_str(o, v->name);
    const char *desc = authz__out_str(o, v->description);
    AUTHZ__SET(dst, namespace_code, ns);
    AUTHZ__SET(dst, code, code);
    AUTHZ__SET(dst, name, name);
    AUTHZ__SET(dst, description, desc);
    AUTHZ__SET(dst, status, v->status);
    AUTHZ__SET(dst, disable_time, v->disable_time);
}

static void emit_one(authz__out *o, const void *ctx) {
    authz_role *dst = authz__out_take(o, sizeof *dst);
    authz__emit_role(o, dst, ctx);
}

static authz_status build_one(const authz_engine *e, const authz_role *v, authz_role **out,
                              authz_error *err) {
    if (!out) return AUTHZ_OK;
    if (authz__result_build(&e->mem, emit_one, v, (void **)out)) return authz__nomem(err);
    return AUTHZ_OK;
}

/* ---- create ---- */

static authz_status check_spec(const authz_role_spec *s, int32_t item, authz_error *err) {
    if (!s) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_ROLE, "list", item, "missing");
    authz_status st = authz__check_code(err, AUTHZ_OBJ_ROLE, "code", item, s->code);
    if (!st) st = authz__check_text(err, "name", item, s->name, AUTHZ__NAME_MAX);
    if (!st) st = authz__check_text(err, "description", item, s->description, AUTHZ__DESC_MAX);
    if (!st && s->disable_time < 0)
        st = authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_ROLE, "disableTime", item,
                         "disableTime must not be negative");
    return st;
}

static void undo_create(authz_engine *e, void *a, uintptr_t b) {
    (void)b;
    authz__role *r = a;
    authz__role_unlink(e, r);
    authz__role_free(e, r);
}

static authz_status create_one(authz_engine *e, const authz_role_spec *s, int32_t item,
                               authz_error *err) {
    authz__ns *ns;
    authz_status st = authz__ns_resolve(e, s->namespace_code, &ns, err);
    if (st) return err ? (err->item = item, st) : st;
    if (authz__role_find(e, ns, s->code))
        return authz__fail(err, AUTHZ_EEXIST, AUTHZ_OBJ_ROLE, "code", item,
                           "role already exists: %s", s->code);
    uint32_t code = authz__intern_add(&e->strings, &e->mem, s->code, strlen(s->code));
    if (!code || !authz__role_reserve_link(e, ns) || !authz__undo_reserve(e))
        return authz__nomem(err);
    authz__role *r = authz__calloc(&e->mem, 1, sizeof *r);
    if (!r) return authz__nomem(err);
    *r = (authz__role){.oid = authz__new_oid(e),
                       .code = code,
                       .ns = ns,
                       .ns_oid = ns->oid,
                       .status = AUTHZ_ROLE_ENABLE,
                       .disable_time = s->disable_time};
    authz__sref(e, code);
    if (!r->oid || !authz__strdup(&e->mem, s->name, &r->name) ||
        !authz__strdup(&e->mem, s->description, &r->description)) {
        authz__role_free(e, r);
        return authz__nomem(err);
    }
    authz__role_link(e, r);
    authz__undo_push(e, undo_create, r, 0);
    return AUTHZ_OK;
}

authz_status authz_role_create(authz_engine *e, const authz_role_spec *spec, authz_role **out,
                               authz_error *err) {
    if (out) *out = NULL;
    authz_status st = check_spec(spec, -1, err);
    if (st) return st;
    authz__write_begin(e);
    st = create_one(e, spec, -1, err);
    if (!st) {
        authz__ns *ns = authz__ns_find(e, spec->namespace_code);
        authz_role v = {authz__str(e, ns->code),
                        spec->code,
                        spec->name ? spec->name : "",
                        spec->description ? spec->description : "",
                        AUTHZ_ROLE_ENABLE,
                        spec->disable_time};
        st = build_one(e, &v, out, err);
    }
    return authz__write_finish(e, st);
}

authz_status authz_role_create_batch(authz_engine *e, const authz_role_spec *specs, size_t n,
                                     authz_error *err) {
    authz_status st = authz__check_count(err, "list", specs, n, 1, 50);
    for (size_t i = 0; !st && i < n; i++) st = check_spec(&specs[i], (int32_t)i, err);
    if (st) return st;
    authz__write_begin(e);
    for (size_t i = 0; !st && i < n; i++) st = create_one(e, &specs[i], (int32_t)i, err);
    return authz__write_finish(e, st);
}

/* ---- reads ---- */

authz_status authz__role_resolve(const authz_engine *e, const char *namespace_code,
                                 const char *code, const char *field, int32_t item,
                                 authz__role **out, authz_error *err) {
    *out = NULL;
    authz_status st = authz__check_code(err, AUTHZ_OBJ_ROLE, field, item, code);
    authz__ns *ns = NULL;
    if (!st) st = authz__ns_resolve(e, namespace_code, &ns, err);
    if (!st) {
        *out = authz__role_find(e, ns, code);
        if (!*out)
            st = authz__fail(err, AUTHZ_ENOTFOUND, AUTHZ_OBJ_ROLE, field, item,
                             "role not found: %s", code);
    }
    if (st && err) err->item = item;
    return st;
}

authz_status authz_role_get(const authz_engine *e, const char *namespace_code, const char *code,
                            authz_role **out, authz_error *err) {
    if (!out) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "out", -1, "out is NULL");
    *out = NULL;
    authz__rdlock(e);
    authz__role *r;
    authz_status st = authz__role_resolve(e, namespace_code, code, "code", -1, &r, err);
    if (!st) {
        authz_role v = authz__role_view(e, r);
        st = build_one(e, &v, out, err);
    }
    authz__unlock(e);
    return st;
}

typedef struct list_ctx {
    const authz_engine *e;
    const authz__ns *ns;
    const char *keywords;
    size_t page, limit;
} list_ctx;

static const authz__role *list_pick(const list_ctx *c, size_t i) {
    const authz__role *r = c->ns->role_order.items[i];
    return authz__keywords_match(c->e, r->code, r->name, c->keywords) ? r : NULL;
}

static const void *pick(const void *ctx, size_t i) { return list_pick(ctx, i); }

static void emit_item(authz__out *o, void *dst, const void *ctx, const void *obj) {
    const list_ctx *c = ctx;
    authz_role v = authz__role_view(c->e, obj);
    authz__emit_role(o, dst, &v);
}

static void emit_list(authz__out *o, const void *ctx) {
    const list_ctx *c = ctx;
    authz__list_emit s = {c->ns->role_order.count,  pick,    emit_item, sizeof(authz_role),
                          (c->page - 1) * c->limit, c->limit};
    authz__emit_list(o, ctx, &s);
}

authz_status authz_list_roles(const authz_engine *e, const char *namespace_code,
                              const char *keywords, const authz_page *page, authz_role_list **out,
                              authz_error *err) {
    if (!out) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "out", -1, "out is NULL");
    *out = NULL;
    list_ctx c = {e, NULL, keywords, 1, 10};
    authz_status st = authz__check_page(err, page, &c.page, &c.limit);
    if (st) return st;
    authz__rdlock(e);
    authz__ns *ns;
    st = authz__ns_resolve(e, namespace_code, &ns, err);
    c.ns = ns;
    if (!st && authz__result_build(&e->mem, emit_list, &c, (void **)out)) st = authz__nomem(err);
    authz__unlock(e);
    return st;
}

/* ---- update ---- */

static authz_status check_update(const authz_role_patch *u, authz_error *err) {
    if (!u) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_ROLE, "code", -1, "missing");
    authz_status st = authz__check_code(err, AUTHZ_OBJ_ROLE, "code", -1, u->code);
    if (!st && u->new_code && *u->new_code)
        st = authz__check_code(err, AUTHZ_OBJ_ROLE, "newCode", -1, u->new_code);
    if (!st) st = authz__check_text(err, "name", -1, u->name, AUTHZ__NAME_MAX);
    if (!st) st = authz__check_text(err, "description", -1, u->description, AUTHZ__DESC_MAX);
    if (!st && u->status && !authz_role_status_name(*u->status))
        st = authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_ROLE, "status", -1, "invalid status");
    if (!st && u->disable_time && *u->disable_time < 0)
        st = authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_ROLE, "disableTime", -1,
                         "disableTime must not be negative");
    return st;
}

static authz_status prepare_rename(authz_engine *e, authz__role *r, const char *new_code,
                                   uint32_t *id, authz_error *err) {
    *id = 0;
    if (!new_code || !*new_code || strcmp(new_code, authz__str(e, r->code)) == 0) return AUTHZ_OK;
    if (authz__role_find(e, r->ns, new_code))
        return authz__fail(err, AUTHZ_EEXIST, AUTHZ_OBJ_ROLE, "newCode", -1,
                           "role already exists: %s", new_code);
    *id = authz__intern_add(&e->strings, &e->mem, new_code, strlen(new_code));
    if (!*id || !authz__map_reserve(e, &r->ns->roles, 1)) return authz__nomem(err);
    return AUTHZ_OK;
}

authz_status authz_role_update(authz_engine *e, const authz_role_patch *upd, authz_error *err) {
    authz_status st = check_update(upd, err);
    if (st) return st;
    authz__write_begin(e);
    authz__role *r;
    uint32_t new_id = 0;
    char *old_name = NULL, *old_desc = NULL;
    st = authz__role_resolve(e, upd->namespace_code, upd->code, "code", -1, &r, err);
    if (!st) st = prepare_rename(e, r, upd->new_code, &new_id, err);
    if (!st) st = authz__replace_string(e, &r->name, upd->name, &old_name, err);
    if (!st) st = authz__replace_string(e, &r->description, upd->description, &old_desc, err);
    if (!st) {
        if (new_id) {
            authz__map_del(&r->ns->roles, r->code);
            authz__sunref(e, r->code);
            authz__sref(e, new_id);
            r->code = new_id;
            authz__map_putp(&r->ns->roles, new_id, r);
        }
        if (upd->status) r->status = *upd->status;
        if (upd->disable_time) r->disable_time = *upd->disable_time;
        if (upd->status || upd->disable_time)
            for (size_t i = 0; i < r->assigns.count; i++) {
                const authz__assign *a = r->assigns.items[i];
                authz__view_touch(e, a->who);
            }
        authz__free(&e->mem, old_name);
        authz__free(&e->mem, old_desc);
    }
    return authz__write_finish(e, st);
}

authz_status authz_role_delete_batch(authz_engine *e, const char *namespace_code,
                                     const char *const *codes, size_t n, authz_error *err) {
    authz_status st = authz__check_count(err, "codeList", codes, n, 1, 50);
    if (st) return st;
    authz__write_begin(e);
    authz__role *r;
    for (size_t i = 0; !st && i < n; i++)
        st = authz__role_resolve(e, namespace_code, codes[i], "codeList", (int32_t)i, &r, err);
    for (size_t i = 0; !st && i < n; i++) {
        /* A code listed twice is gone the second time. */
        authz__ns *ns = authz__ns_find(e, namespace_code);
        r = authz__role_find(e, ns, codes[i]);
        if (r) authz__role_destroy(e, r);
    }
    return authz__write_finish(e, st);
}
