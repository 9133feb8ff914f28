/*
 * group.c - user groups (not namespaced) and their members. A group is addressed in grants by
 * its oid, so a rename touches only the code map; its grants may sit in every namespace.
 */
#include <string.h>

#include "base/error.h"
#include "base/result.h"
#include "base/validate.h"
#include "model/engine.h"
#include "model/group_view.h"
#include "model/member.h"
#include "model/view.h"

int authz__group_reserve_link(authz_engine *e) {
    return authz__map_reserve(e, &e->groups, 1) && authz__map_reserve(e, &e->group_by_oid, 1) &&
           authz__vec_reserve(e, &e->group_order, 1);
}

void authz__group_link(authz_engine *e, authz__group *g) {
    authz__map_putp(&e->groups, g->code, g);
    authz__map_putp(&e->group_by_oid, g->oid, g);
    authz__vec_push(&e->group_order, g);
}

void authz__group_unlink(authz_engine *e, authz__group *g) {
    authz__map_del(&e->groups, g->code);
    authz__map_del(&e->group_by_oid, g->oid);
    authz__vec_remove(&e->group_order, g);
}

void authz__group_free(authz_engine *e, authz__group *g) {
    authz__vec_free(&e->mem, &g->members);
    authz__free(&e->mem, g->name);
    authz__free(&e->mem, g->description);
    authz__free(&e->mem, g->type);
    authz__sunref(e, g->code);
    authz__free(&e->mem, g);
}

static void group_destroy(authz_engine *e, authz__group *g) {
    authz__grant_remove_everywhere(e, authz__target(AUTHZ_TARGET_GROUP, g->oid));
    for (size_t i = 0; i < g->members.count; i++) {
        authz__principal *u = g->members.items[i];
        authz__vec_remove(&u->groups, g);
        authz__view_touch(e, u);
        e->membership_count--;
        authz__principal_release(e, u);
    }
    authz__group_unlink(e, g);
    authz__group_free(e, g);
}

/* ---- results ---- */

authz_group authz__group_view(const authz_engine *e, const authz__group *g) {
    return (authz_group){authz__str(e, g->code), g->name ? g->name : "",
                         g->description ? g->description : "", g->type ? g->type : ""};
}

void authz__emit_group(authz__out *o, authz_group *dst, const authz_group *v) {
    const char *c = authz__out_str(o, v->code);
    const char *n = authz__out_str(o, v->name);
    const char *d = authz__out_str(o, v->description);
    const char *t = authz__out_str(o, v->type);
    AUTHZ__SET(dst, code, c);
    AUTHZ__SET(dst, name, n);
    AUTHZ__SET(dst, description, d);
    AUTHZ__SET(dst, type, t);
}

static void emit_one(authz__out *o, const void *ctx) {
    authz_group *dst = authz__out_take(o, sizeof *dst);
    authz__emit_group(o, dst, ctx);
}

static authz_status build_one(const authz_engine *e, const authz_group *v, authz_group **out,
                              authz_error *err) {
    if (!out) return AUTHZ_OK;
    if (authz__result_build(&e->mem, emit_one, v, (void **)out)) return authz__nomem(err);
    return AUTHZ_OK;
}

static authz_group spec_view(const authz_group_spec *s) {
    return (authz_group){s->code, s->name ? s->name : "", s->description ? s->description : "",
                         s->type ? s->type : ""};
}

/* ---- create ---- */

static authz_status check_spec(const authz_group_spec *s, int32_t item, authz_error *err) {
    if (!s) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_GROUP, "list", item, "missing");
    authz_status st = authz__check_code(err, AUTHZ_OBJ_GROUP, "code", item, s->code);
    if (!st) st = authz__check_text(err, "name", item, s->name, AUTHZ__NAME_MAX);
    if (!st) st = authz__check_text(err, "description", item, s->description, AUTHZ__DESC_MAX);
    if (!st) st = authz__check_text(err, "type", item, s->type, AUTHZ__CODE_MAX);
    return st;
}

static void undo_create(authz_engine *e, void *a, uintptr_t b) {
    (void)b;
    authz__group *g = a;
    authz__group_unlink(e, g);
    authz__group_free(e, g);
}

static authz_status create_one(authz_engine *e, const authz_group_spec *s, int32_t item,
                               authz_error *err) {
    if (authz__group_find(e, s->code))
        return authz__fail(err, AUTHZ_EEXIST, AUTHZ_OBJ_GROUP, "code", item,
                           "group already exists: %s", s->code);
    uint32_t code = authz__intern_add(&e->strings, &e->mem, s->code, strlen(s->code));
    if (!code || !authz__group_reserve_link(e) || !authz__undo_reserve(e)) return authz__nomem(err);
    authz__group *g = authz__calloc(&e->mem, 1, sizeof *g);
    if (!g) return authz__nomem(err);
    g->code = code;
    authz__sref(e, code);
    g->oid = authz__new_oid(e);
    if (!g->oid || !authz__strdup(&e->mem, s->name, &g->name) ||
        !authz__strdup(&e->mem, s->description, &g->description) ||
        !authz__strdup(&e->mem, s->type, &g->type)) {
        authz__group_free(e, g);
        return authz__nomem(err);
    }
    authz__group_link(e, g);
    authz__undo_push(e, undo_create, g, 0);
    return AUTHZ_OK;
}

authz_status authz_group_create(authz_engine *e, const authz_group_spec *spec, authz_group **out,
                                authz_error *err) {
    if (out) *out = NULL;
    authz_status st = check_spec(spec, -1, err);
    if (st) return st;
    authz__write_begin(e);
    st = create_one(e, spec, -1, err);
    if (!st) {
        authz_group v = spec_view(spec);
        st = build_one(e, &v, out, err);
    }
    return authz__write_finish(e, st);
}

typedef struct specs_ctx {
    const authz_group_spec *specs;
    size_t n;
} specs_ctx;

static void emit_specs(authz__out *o, const void *ctx) {
    const specs_ctx *c = ctx;
    authz_group_list *l = authz__out_take(o, sizeof *l);
    authz_group *items = authz__out_take(o, c->n * sizeof *items);
    AUTHZ__SET(l, total_count, c->n);
    AUTHZ__SET(l, count, c->n);
    AUTHZ__SET(l, items, items);
    for (size_t i = 0; i < c->n; i++) {
        authz_group v = spec_view(&c->specs[i]);
        authz__emit_group(o, items ? &items[i] : NULL, &v);
    }
}

authz_status authz_group_create_batch(authz_engine *e, const authz_group_spec *specs, size_t n,
                                      authz_group_list **out, authz_error *err) {
    if (out) *out = NULL;
    authz_status st = authz__check_count(err, "list", specs, n, 1, 50);
    for (size_t i = 0; !st && i < n; i++) st = check_spec(&specs[i], (int32_t)i, err);
    if (st) return st;
    authz__write_begin(e);
    for (size_t i = 0; !st && i < n; i++) st = create_one(e, &specs[i], (int32_t)i, err);
    specs_ctx c = {specs, n};
    if (!st && out && authz__result_build(&e->mem, emit_specs, &c, (void **)out))
        st = authz__nomem(err);
    return authz__write_finish(e, st);
}

/* ---- reads ---- */

authz_status authz__group_resolve(const authz_engine *e, const char *code, const char *field,
                                  authz__group **out, authz_error *err) {
    authz_status st = authz__check_code(err, AUTHZ_OBJ_GROUP, field, -1, code);
    *out = st ? NULL : authz__group_find(e, code);
    if (!st && !*out)
        st = authz__fail(err, AUTHZ_ENOTFOUND, AUTHZ_OBJ_GROUP, field, -1, "group not found: %s",
                         code);
    return st;
}

authz_status authz_group_get(const authz_engine *e, const char *code, authz_group **out,
                             authz_error *err) {
    if (!out) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "out", -1, "out is NULL");
    *out = NULL;
    authz__rdlock(e);
    authz__group *g;
    authz_status st = authz__group_resolve(e, code, "code", &g, err);
    if (!st) {
        authz_group v = authz__group_view(e, g);
        st = build_one(e, &v, out, err);
    }
    authz__unlock(e);
    return st;
}

typedef struct list_ctx {
    const authz_engine *e;
    const char *keywords;
    size_t page, limit;
} list_ctx;

/* Newest first, as GenAuth lists groups (groups/listGroups.spec.ts reads its new group at
 * list[0] of page 1). */
static const authz__group *list_pick(const list_ctx *c, size_t i) {
    const authz__group *g = c->e->group_order.items[c->e->group_order.count - 1 - i];
    return authz__keywords_match(c->e, g->code, g->name, c->keywords) ? g : NULL;
}

static const void *pick(const void *ctx, size_t i) { return list_pick(ctx, i); }

static void emit_item(authz__out *o, void *dst, const void *ctx, const void *obj) {
    const list_ctx *c = ctx;
    authz_group v = authz__group_view(c->e, obj);
    authz__emit_group(o, dst, &v);
}

static void emit_list(authz__out *o, const void *ctx) {
    const list_ctx *c = ctx;
    authz__list_emit s = {c->e->group_order.count,  pick,    emit_item, sizeof(authz_group),
                          (c->page - 1) * c->limit, c->limit};
    authz__emit_list(o, ctx, &s);
}

authz_status authz_list_groups(const authz_engine *e, const char *keywords, const authz_page *page,
                               authz_group_list **out, authz_error *err) {
    if (!out) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "out", -1, "out is NULL");
    *out = NULL;
    list_ctx c = {e, keywords, 1, 10};
    authz_status st = authz__check_page(err, page, &c.page, &c.limit);
    if (st) return st;
    authz__rdlock(e);
    if (authz__result_build(&e->mem, emit_list, &c, (void **)out)) st = authz__nomem(err);
    authz__unlock(e);
    return st;
}

/* ---- update, delete ---- */

static authz_status check_update(const authz_group_patch *u, authz_error *err) {
    if (!u) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_GROUP, "code", -1, "missing");
    authz_status st = authz__check_code(err, AUTHZ_OBJ_GROUP, "code", -1, u->code);
    if (!st && u->new_code && *u->new_code)
        st = authz__check_code(err, AUTHZ_OBJ_GROUP, "newCode", -1, u->new_code);
    if (!st) st = authz__check_text(err, "name", -1, u->name, AUTHZ__NAME_MAX);
    if (!st) st = authz__check_text(err, "description", -1, u->description, AUTHZ__DESC_MAX);
    return st;
}

static authz_status prepare_rename(authz_engine *e, const authz__group *g, const char *new_code,
                                   uint32_t *id, authz_error *err) {
    *id = 0;
    if (!new_code || !*new_code || strcmp(new_code, authz__str(e, g->code)) == 0) return AUTHZ_OK;
    if (authz__group_find(e, new_code))
        return authz__fail(err, AUTHZ_EEXIST, AUTHZ_OBJ_GROUP, "newCode", -1,
                           "group already exists: %s", new_code);
    *id = authz__intern_add(&e->strings, &e->mem, new_code, strlen(new_code));
    if (!*id || !authz__map_reserve(e, &e->groups, 1)) return authz__nomem(err);
    return AUTHZ_OK;
}

authz_status authz_group_update(authz_engine *e, const authz_group_patch *upd, authz_group **out,
                                authz_error *err) {
    if (out) *out = NULL;
    authz_status st = check_update(upd, err);
    if (st) return st;
    authz__write_begin(e);
    authz__group *g;
    uint32_t new_id = 0;
    char *old_name = NULL, *old_desc = NULL;
    st = authz__group_resolve(e, upd->code, "code", &g, err);
    if (!st) st = prepare_rename(e, g, upd->new_code, &new_id, err);
    if (!st) st = authz__replace_string(e, &g->name, upd->name, &old_name, err);
    if (!st) st = authz__replace_string(e, &g->description, upd->description, &old_desc, err);
    if (!st) {
        authz_group v = authz__group_view(e, g);
        if (new_id) v.code = upd->new_code;
        st = build_one(e, &v, out, err);
    }
    if (!st) {
        if (new_id) {
            authz__map_del(&e->groups, g->code);
            authz__sunref(e, g->code);
            authz__sref(e, new_id);
            g->code = new_id;
            authz__map_putp(&e->groups, new_id, g);
        }
        authz__free(&e->mem, old_name);
        authz__free(&e->mem, old_desc);
    }
    return authz__write_finish(e, st);
}

authz_status authz_group_delete_batch(authz_engine *e, const char *const *codes, size_t n,
                                      authz_error *err) {
    authz_status st = authz__check_count(err, "codeList", codes, n, 1, 50);
    if (st) return st;
    authz__write_begin(e);
    for (size_t i = 0; i < n; i++) {
        authz__group *g = codes[i] ? authz__group_find(e, codes[i]) : NULL;
        if (g) group_destroy(e, g);
    }
    return authz__write_finish(e, st);
}

/* ---- members ---- */

authz_status authz_group_add_members(authz_engine *e, const char *code, const char *const *user_ids,
                                     size_t n, authz_error *err) {
    authz_status st = authz__check_ids(err, "userIds", user_ids, n, 50);
    if (st) return st;
    authz__write_begin(e);
    authz__group *g;
    st = authz__group_resolve(e, code, "code", &g, err);
    for (size_t i = 0; !st && i < n; i++)
        st = authz__member_join(e, &g->members, g, AUTHZ__LINK_GROUP, user_ids[i], (int32_t)i, err);
    return authz__write_finish(e, st);
}

authz_status authz_group_remove_members(authz_engine *e, const char *code,
                                        const char *const *user_ids, size_t n, authz_error *err) {
    authz_status st = authz__check_ids(err, "userIds", user_ids, n, 50);
    if (st) return st;
    authz__write_begin(e);
    authz__group *g;
    st = authz__group_resolve(e, code, "code", &g, err);
    for (size_t i = 0; !st && i < n; i++)
        authz__member_leave(e, &g->members, g, AUTHZ__LINK_GROUP, user_ids[i]);
    return authz__write_finish(e, st);
}

authz_status authz_group_list_members(const authz_engine *e, const char *code,
                                      const authz_page *page, authz_id_list **out,
                                      authz_error *err) {
    if (!out) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "out", -1, "out is NULL");
    *out = NULL;
    size_t pg, limit;
    authz_status st = authz__check_page(err, page, &pg, &limit);
    if (st) return st;
    authz__rdlock(e);
    authz__group *g;
    st = authz__group_resolve(e, code, "code", &g, err);
    if (!st) st = authz__build_id_page(e, &g->members, pg, limit, out, err);
    authz__unlock(e);
    return st;
}

typedef struct user_groups_ctx {
    const authz_engine *e;
    const authz__principal *u;
} user_groups_ctx;

static void emit_user_groups(authz__out *o, const void *ctx) {
    const user_groups_ctx *c = ctx;
    size_t n = c->u->groups.count;
    authz_group_list *l = authz__out_take(o, sizeof *l);
    authz_group *items = authz__out_take(o, n * sizeof *items);
    AUTHZ__SET(l, total_count, n);
    AUTHZ__SET(l, count, n);
    AUTHZ__SET(l, items, items);
    for (size_t i = 0; i < n; i++) {
        authz_group v = authz__group_view(c->e, c->u->groups.items[i]);
        authz__emit_group(o, items ? &items[i] : NULL, &v);
    }
}

authz_status authz_user_groups(const authz_engine *e, const char *user_id, authz_group_list **out,
                               authz_error *err) {
    if (!out) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "out", -1, "out is NULL");
    *out = NULL;
    authz_status st = authz__check_ident(err, AUTHZ_OBJ_USER, "userId", -1, user_id);
    if (st) return st;
    authz__rdlock(e);
    user_groups_ctx c = {e, authz__principal_find(e, AUTHZ_TARGET_USER, user_id)};
    if (!c.u)
        st = authz__fail(err, AUTHZ_ENOTFOUND, AUTHZ_OBJ_USER, "userId", -1, "user not found: %s",
                         user_id);
    if (!st && authz__result_build(&e->mem, emit_user_groups, &c, (void **)out))
        st = authz__nomem(err);
    authz__unlock(e);
    return st;
}
