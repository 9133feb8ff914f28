/*
 * directory.c - the user directory (include/authz/directory.h, model/directory.h). Creating a
 * user ensures its principal, sets `listed` and adds a profile; every step logs its undo, so a
 * failed batch leaves nothing. Deleting is a commit that cannot fail: the cascade unlinks the
 * user from groups, departments, assignments and grants, clears `listed` and frees the profile.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "base/result.h"
#include "base/validate.h"
#include "model/engine.h"
#include "model/view.h"

/* ---- results ---- */

static authz_user view(const authz_engine *e, const authz__profile *u) {
    return (authz_user){authz__str(e, u->p->id),  u->username ? u->username : "",
                        u->email ? u->email : "", u->phone ? u->phone : "",
                        u->name ? u->name : "",   u->created_at};
}

static void emit_user(authz__out *o, authz_user *dst, const authz_user *v) {
    const char *id = authz__out_str(o, v->user_id);
    const char *un = authz__out_str(o, v->username);
    const char *em = authz__out_str(o, v->email);
    const char *ph = authz__out_str(o, v->phone);
    const char *nm = authz__out_str(o, v->name);
    AUTHZ__SET(dst, user_id, id);
    AUTHZ__SET(dst, username, un);
    AUTHZ__SET(dst, email, em);
    AUTHZ__SET(dst, phone, ph);
    AUTHZ__SET(dst, name, nm);
    AUTHZ__SET(dst, created_at, v->created_at);
}

typedef struct list_ctx {
    const authz_engine *e;
    authz__profile *const *users;
    size_t n, start, limit;
} list_ctx;

static const void *pick(const void *ctx, size_t i) {
    const list_ctx *c = ctx;
    return c->users[i];
}

static void emit_item(authz__out *o, void *dst, const void *ctx, const void *obj) {
    const list_ctx *c = ctx;
    authz_user v = view(c->e, obj);
    emit_user(o, dst, &v);
}

static void emit_list(authz__out *o, const void *ctx) {
    const list_ctx *c = ctx;
    authz__list_emit s = {c->n, pick, emit_item, sizeof(authz_user), c->start, c->limit};
    authz__emit_list(o, ctx, &s);
}

static void emit_one(authz__out *o, const void *ctx) {
    authz_user *dst = authz__out_take(o, sizeof *dst);
    emit_user(o, dst, ctx);
}

/* ---- create ---- */

static authz_status check_spec(const authz_user_spec *s, int32_t item, authz_error *err) {
    if (!s) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_USER, "list", item, "missing");
    authz_status st = AUTHZ_OK;
    if (s->user_id && *s->user_id)
        st = authz__check_ident(err, AUTHZ_OBJ_USER, "userId", item, s->user_id);
    if (!st) st = authz__check_text(err, "username", item, s->username, AUTHZ__NAME_MAX);
    if (!st) st = authz__check_text(err, "email", item, s->email, AUTHZ__NAME_MAX);
    if (!st) st = authz__check_text(err, "phone", item, s->phone, AUTHZ__NAME_MAX);
    if (!st) st = authz__check_text(err, "name", item, s->name, AUTHZ__NAME_MAX);
    return st;
}

static void profile_free(authz_engine *e, authz__profile *u) {
    authz__free(&e->mem, u->username);
    authz__free(&e->mem, u->email);
    authz__free(&e->mem, u->phone);
    authz__free(&e->mem, u->name);
    authz__free(&e->mem, u);
}

static void profile_unlink(authz_engine *e, authz__profile *u) {
    authz__map_del(&e->dir.by_id, u->p->id);
    authz__vec_remove(&e->dir.order, u);
    u->p->listed = false;
}

static void undo_create(authz_engine *e, void *a, uintptr_t b) {
    (void)b;
    authz__profile *u = a;
    profile_unlink(e, u);
    profile_free(e, u);
}

static void undo_counter(authz_engine *e, void *a, uintptr_t b) {
    (void)a;
    e->dir.next_id = (uint64_t)b;
}

/* The next generated ID no principal has yet (a free-string user of that name keeps its own). */
static authz_status generate(authz_engine *e, char id[32], authz_error *err) {
    if (!authz__undo_reserve(e)) return authz__nomem(err);
    authz__undo_push(e, undo_counter, NULL, (uintptr_t)e->dir.next_id);
    do snprintf(id, 32, "%024" PRIx64, ++e->dir.next_id);
    while (authz__principal_find(e, AUTHZ_TARGET_USER, id));
    return AUTHZ_OK;
}

static authz_status create_one(authz_engine *e, const authz_user_spec *s, int32_t item,
                               authz_error *err) {
    char generated[32];
    const char *id = s->user_id;
    if (!id || !*id) {
        authz_status st = generate(e, generated, err);
        if (st) return st;
        id = generated;
    }
    authz__principal *p = authz__principal_ensure(e, AUTHZ_TARGET_USER, id);
    if (!p) return authz__nomem(err);
    if (p->listed)
        return authz__fail(err, AUTHZ_EEXIST, AUTHZ_OBJ_USER, "userId", item,
                           "user already exists: %s", id);
    /* Usernames are unique among listed users, as in GenAuth (the batch's earlier items too). */
    for (size_t i = 0; s->username && *s->username && i < e->dir.order.count; i++) {
        const authz__profile *o = e->dir.order.items[i];
        if (o->username && !strcmp(o->username, s->username))
            return authz__fail(err, AUTHZ_EEXIST, AUTHZ_OBJ_USER, "username", item,
                               "username already exists: %s", s->username);
    }
    if (!authz__map_reserve(e, &e->dir.by_id, 1) || !authz__vec_reserve(e, &e->dir.order, 1) ||
        !authz__undo_reserve(e))
        return authz__nomem(err);
    authz__profile *u = authz__calloc(&e->mem, 1, sizeof *u);
    if (!u) return authz__nomem(err);
    u->p = p;
    u->created_at = authz__write_now(e);
    if (!authz__strdup(&e->mem, s->username, &u->username) ||
        !authz__strdup(&e->mem, s->email, &u->email) ||
        !authz__strdup(&e->mem, s->phone, &u->phone) ||
        !authz__strdup(&e->mem, s->name, &u->name)) {
        profile_free(e, u);
        return authz__nomem(err);
    }
    authz__map_putp(&e->dir.by_id, p->id, u);
    authz__vec_push(&e->dir.order, u);
    p->listed = true;
    authz__undo_push(e, undo_create, u, 0);
    return AUTHZ_OK;
}

authz_status authz_user_create_batch(authz_engine *e, const authz_user_spec *specs, size_t n,
                                     authz_user_list **out, authz_error *err) {
    if (out) *out = NULL;
    authz_status st = authz__check_count(err, "list", specs, n, 1, 50);
    for (size_t i = 0; !st && i < n; i++) st = check_spec(&specs[i], (int32_t)i, err);
    if (st) return st;
    authz__write_begin(e);
    size_t before = e->dir.order.count;
    for (size_t i = 0; !st && i < n; i++) st = create_one(e, &specs[i], (int32_t)i, err);
    if (!st && out) {
        list_ctx c = {e, (authz__profile *const *)e->dir.order.items + before, n, 0, n};
        if (authz__result_build(&e->mem, emit_list, &c, (void **)out)) st = authz__nomem(err);
    }
    return authz__write_finish(e, st);
}

/* ---- reads ---- */

static const authz__profile *find(const authz_engine *e, const char *id) {
    const authz__principal *p = authz__principal_find(e, AUTHZ_TARGET_USER, id);
    return p && p->listed ? authz__map_getp(&e->dir.by_id, p->id) : NULL;
}

authz_status authz_user_get(const authz_engine *e, const char *user_id, authz_user **out,
                            authz_error *err) {
    if (!out) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "out", -1, "out is NULL");
    *out = NULL;
    authz_status st = authz__check_ident(err, AUTHZ_OBJ_USER, "userId", -1, user_id);
    if (st) return st;
    authz__rdlock(e);
    const authz__profile *u = find(e, user_id);
    if (!u) {
        st = authz__fail(err, AUTHZ_ENOTFOUND, AUTHZ_OBJ_USER, "userId", -1, "user not found: %s",
                         user_id);
    } else {
        authz_user v = view(e, u);
        if (authz__result_build(&e->mem, emit_one, &v, (void **)out)) st = authz__nomem(err);
    }
    authz__unlock(e);
    return st;
}

authz_status authz_list_users(const authz_engine *e, const authz_page *page, authz_user_list **out,
                              authz_error *err) {
    if (!out) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "out", -1, "out is NULL");
    *out = NULL;
    size_t pg, limit;
    authz_status st = authz__check_page(err, page, &pg, &limit);
    if (st) return st;
    authz__rdlock(e);
    list_ctx c = {e, (authz__profile *const *)e->dir.order.items, e->dir.order.count,
                  (pg - 1) * limit, limit};
    if (authz__result_build(&e->mem, emit_list, &c, (void **)out)) st = authz__nomem(err);
    authz__unlock(e);
    return st;
}

/* ---- delete ---- */

static void user_destroy(authz_engine *e, authz__profile *u) {
    authz__principal *p = u->p;
    authz__grant_remove_everywhere(e, authz__target(AUTHZ_TARGET_USER, p->id));
    for (size_t i = 0; i < p->groups.count; i++) {
        authz__group *g = p->groups.items[i];
        if (authz__vec_remove(&g->members, p)) e->membership_count--;
    }
    p->groups.count = 0;
    for (size_t i = 0; i < p->depts.count; i++) {
        authz__principal *d = p->depts.items[i];
        if (authz__vec_remove(&d->members, p)) e->membership_count--;
        authz__principal_release(e, d); /* a department with nothing left goes too */
    }
    p->depts.count = 0;
    authz__view_touch(e, p);
    while (p->assigns.count) authz__assign_destroy(e, p->assigns.items[p->assigns.count - 1]);
    profile_unlink(e, u);
    profile_free(e, u);
    authz__principal_release(e, p); /* nothing links it now: reclaimed when the write commits */
}

authz_status authz_user_delete_batch(authz_engine *e, const char *const *user_ids, size_t n,
                                     authz_error *err) {
    authz_status st = authz__check_count(err, "userIds", user_ids, n, 1, 50);
    for (size_t i = 0; !st && i < n; i++)
        st = authz__check_ident(err, AUTHZ_OBJ_USER, "userIds", (int32_t)i, user_ids[i]);
    if (st) return st;
    authz__write_begin(e);
    for (size_t i = 0; i < n; i++) {
        authz__profile *u = (authz__profile *)(uintptr_t)find(e, user_ids[i]);
        if (u) user_destroy(e, u);
    }
    return authz__write_finish(e, st);
}

/* ---- directory mode ---- */

void authz_set_user_directory(authz_engine *e, bool on) {
    authz__wrlock(e);
    e->user_directory = on;
    authz__unlock(e);
}

authz_status authz__dir_require(const authz_engine *e, authz_target_type kind, const char *id,
                                const char *field, int32_t item, authz_error *err) {
    if (!e->user_directory) return AUTHZ_OK;
    if (kind == AUTHZ_TARGET_DEPARTMENT) {
        if (authz__dept_known(e, id)) return AUTHZ_OK;
        return authz__fail(err, AUTHZ_ENOTFOUND, AUTHZ_OBJ_DEPARTMENT, field, item,
                           "department not found: %s", id);
    }
    if (kind != AUTHZ_TARGET_USER || find(e, id)) return AUTHZ_OK;
    return authz__fail(err, AUTHZ_ENOTFOUND, AUTHZ_OBJ_USER, field, item, "user not found: %s", id);
}

/* ---- lifecycle ---- */

void authz__directory_free(authz_engine *e) {
    authz__organizations_free(e);
    for (size_t i = 0; i < e->dir.order.count; i++) profile_free(e, e->dir.order.items[i]);
    e->dir.order.count = 0;
    authz__vec_free(&e->mem, &e->dir.order);
    authz__map_free(&e->mem, &e->dir.by_id);
}
