/*
 * assign.c - role assignments: a role given to a user or a department, with an optional
 * window. Each assignment object sits in two lists (the role's and the assignee's) and is
 * owned by the assignee's; both lists keep assignment order.
 */
#include <string.h>

#include "base/error.h"
#include "base/result.h"
#include "base/validate.h"
#include "model/engine.h"
#include "model/role_view.h"
#include "model/view.h"

void authz__assign_destroy(authz_engine *e, authz__assign *a) {
    authz__vec_remove(&a->role->assigns, a);
    authz__vec_remove(&a->who->assigns, a);
    authz__view_touch(e, a->who);
    e->assign_count--;
    authz__principal_release(e, a->who);
    authz__free(&e->mem, a);
}

static authz__assign *assign_find(const authz__principal *p, const authz__role *r) {
    for (size_t i = 0; i < p->assigns.count; i++) {
        authz__assign *a = p->assigns.items[i];
        if (a->role == r) return a;
    }
    return NULL;
}

static authz_status check_targets(const authz_target *t, size_t n, size_t max, authz_error *err) {
    authz_status st = authz__check_count(err, "targets", t, n, 1, max);
    for (size_t i = 0; !st && i < n; i++) {
        if (t[i].type != AUTHZ_TARGET_USER && t[i].type != AUTHZ_TARGET_DEPARTMENT)
            return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "targets", (int32_t)i,
                               "a role can be assigned to USER or DEPARTMENT targets only");
        authz_object obj = t[i].type == AUTHZ_TARGET_USER ? AUTHZ_OBJ_USER : AUTHZ_OBJ_DEPARTMENT;
        st = authz__check_ident(err, obj, "targets.targetIdentifier", (int32_t)i, t[i].identifier);
    }
    return st;
}

static authz_status check_window(const authz_role_window *w, authz_error *err) {
    if (!w) return AUTHZ_OK;
    if (w->enable_time < 0 || w->end_time < 0)
        return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "endTime", -1,
                           "times must not be negative");
    return AUTHZ_OK;
}

static void undo_assign(authz_engine *e, void *a, uintptr_t b) {
    (void)b;
    authz__assign_destroy(e, a);
}

/* Room for one more role entry in the view of the user, or of each member of the department. */
static int reserve_view(authz_engine *e, authz__principal *p) {
    if (p->kind == AUTHZ_TARGET_USER) return authz__view_reserve(e, p, 1, 0);
    return authz__view_reserve_members(e, p, 1);
}

/* Creates the assignment if missing (undo-logged). Windows are set later, at commit. */
static authz_status assign_prepare(authz_engine *e, authz__role *r, const authz_target *t,
                                   int32_t item, authz_error *err) {
    authz_status st = authz__dir_require(e, t->type, t->identifier, "targets", item, err);
    if (st) return st;
    authz__principal *p = authz__principal_ensure(e, t->type, t->identifier);
    if (!p) return authz__nomem(err);
    if (assign_find(p, r)) return AUTHZ_OK;
    if (!authz__vec_reserve(e, &r->assigns, 1) || !authz__vec_reserve(e, &p->assigns, 1) ||
        !reserve_view(e, p) || !authz__undo_reserve(e))
        return authz__nomem(err);
    authz__assign *a = authz__calloc(&e->mem, 1, sizeof *a);
    if (!a) return authz__nomem(err);
    a->role = r;
    a->who = p;
    authz__vec_push(&r->assigns, a);
    authz__vec_push(&p->assigns, a);
    authz__view_touch(e, p);
    e->assign_count++;
    authz__undo_push(e, undo_assign, a, 0);
    return AUTHZ_OK;
}

static void assign_commit(authz_engine *e, authz__role *r, const authz_target *t,
                          const authz_role_window *w) {
    authz__principal *p = authz__principal_find(e, t->type, t->identifier);
    authz__assign *a = assign_find(p, r);
    a->enable_time = w ? w->enable_time : 0;
    a->end_time = w ? w->end_time : 0;
    authz__view_touch(e, p);
}

static authz_status assign_all(authz_engine *e, authz__role *const *roles, size_t nroles,
                               const authz_target *targets, size_t n, const authz_role_window *w,
                               authz_error *err) {
    authz_status st = AUTHZ_OK;
    for (size_t i = 0; !st && i < nroles; i++)
        for (size_t k = 0; !st && k < n; k++)
            st = assign_prepare(e, roles[i], &targets[k], (int32_t)k, err);
    for (size_t i = 0; !st && i < nroles; i++)
        for (size_t k = 0; k < n; k++) assign_commit(e, roles[i], &targets[k], w);
    return st;
}

static void revoke_all(authz_engine *e, authz__role *const *roles, size_t nroles,
                       const authz_target *targets, size_t n) {
    for (size_t i = 0; i < nroles; i++) {
        for (size_t k = 0; k < n; k++) {
            authz__principal *p = authz__principal_find(e, targets[k].type, targets[k].identifier);
            authz__assign *a = p ? assign_find(p, roles[i]) : NULL;
            if (a) authz__assign_destroy(e, a);
        }
    }
}

/* Resolves 1..10 role references (each with its namespace) into `out`. */
static authz_status resolve_roles(authz_engine *e, const authz_role_ref *refs, size_t n,
                                  authz__role **out, authz_error *err) {
    authz_status st = authz__check_count(err, "roles", refs, n, 1, 10);
    for (size_t i = 0; !st && i < n; i++)
        st = authz__role_resolve(e, refs[i].namespace_code, refs[i].code, "roles", (int32_t)i,
                                 &out[i], err);
    return st;
}

authz_status authz_role_assign(authz_engine *e, const char *namespace_code, const char *code,
                               const authz_target *targets, size_t n,
                               const authz_role_window *window, authz_error *err) {
    authz_status st = check_targets(targets, n, 50, err);
    if (!st) st = check_window(window, err);
    if (st) return st;
    authz__write_begin(e);
    authz__role *r;
    st = authz__role_resolve(e, namespace_code, code, "code", -1, &r, err);
    if (!st) st = assign_all(e, &r, 1, targets, n, window, err);
    return authz__write_finish(e, st);
}

authz_status authz_role_assign_batch(authz_engine *e, const authz_role_ref *roles, size_t nroles,
                                     const authz_target *targets, size_t ntargets,
                                     const authz_role_window *window, authz_error *err) {
    authz_status st = check_targets(targets, ntargets, 10, err);
    if (!st) st = check_window(window, err);
    if (st) return st;
    authz__role *rs[10];
    authz__write_begin(e);
    st = resolve_roles(e, roles, nroles, rs, err);
    if (!st) st = assign_all(e, rs, nroles, targets, ntargets, window, err);
    return authz__write_finish(e, st);
}

/* In directory mode a revoke names listed users only, as an assignment does. */
static authz_status require_listed(const authz_engine *e, const authz_target *t, size_t n,
                                   authz_error *err) {
    authz_status st = AUTHZ_OK;
    for (size_t i = 0; !st && i < n; i++)
        st = authz__dir_require(e, t[i].type, t[i].identifier, "targets", (int32_t)i, err);
    return st;
}

authz_status authz_role_revoke(authz_engine *e, const char *namespace_code, const char *code,
                               const authz_target *targets, size_t n, authz_error *err) {
    authz_status st = check_targets(targets, n, 50, err);
    if (st) return st;
    authz__write_begin(e);
    authz__role *r;
    st = authz__role_resolve(e, namespace_code, code, "code", -1, &r, err);
    if (!st) st = require_listed(e, targets, n, err);
    if (!st) revoke_all(e, &r, 1, targets, n);
    return authz__write_finish(e, st);
}

authz_status authz_role_revoke_batch(authz_engine *e, const authz_role_ref *roles, size_t nroles,
                                     const authz_target *targets, size_t ntargets,
                                     authz_error *err) {
    authz_status st = check_targets(targets, ntargets, 50, err);
    if (st) return st;
    authz__role *rs[10];
    authz__write_begin(e);
    st = resolve_roles(e, roles, nroles, rs, err);
    if (!st) st = require_listed(e, targets, ntargets, err);
    if (!st) revoke_all(e, rs, nroles, targets, ntargets);
    return authz__write_finish(e, st);
}

/* ---- listing a role's assignees ---- */

typedef struct members_ctx {
    const authz_engine *e;
    const authz__role *r;
    authz_target_type kind;
    size_t page, limit;
} members_ctx;

static void emit_members(authz__out *o, const void *ctx) {
    const members_ctx *c = ctx;
    size_t total = 0;
    for (size_t i = 0; i < c->r->assigns.count; i++) {
        const authz__assign *a = c->r->assigns.items[i];
        total += a->who->kind == c->kind;
    }
    size_t start = (c->page - 1) * c->limit;
    size_t count = start >= total ? 0 : total - start;
    if (count > c->limit) count = c->limit;
    authz_assignment_list *l = authz__out_take(o, sizeof *l);
    authz_assignment *items = authz__out_take(o, count * sizeof *items);
    AUTHZ__SET(l, total_count, total);
    AUTHZ__SET(l, count, count);
    AUTHZ__SET(l, items, items);
    for (size_t i = 0, seen = 0, k = 0; i < c->r->assigns.count && k < count; i++) {
        const authz__assign *a = c->r->assigns.items[i];
        if (a->who->kind != c->kind || seen++ < start) continue;
        const char *id = authz__out_str(o, authz__str(c->e, a->who->id));
        if (items) items[k] = (authz_assignment){id, a->enable_time, a->end_time};
        k++;
    }
}

static authz_status list_assignees(const authz_engine *e, const char *namespace_code,
                                   const char *code, authz_target_type kind, const authz_page *page,
                                   authz_assignment_list **out, authz_error *err) {
    if (!out) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "out", -1, "out is NULL");
    *out = NULL;
    members_ctx c = {e, NULL, kind, 1, 10};
    authz_status st = authz__check_page(err, page, &c.page, &c.limit);
    if (st) return st;
    authz__rdlock(e);
    authz__role *r;
    st = authz__role_resolve(e, namespace_code, code, "code", -1, &r, err);
    c.r = r;
    if (!st && authz__result_build(&e->mem, emit_members, &c, (void **)out)) st = authz__nomem(err);
    authz__unlock(e);
    return st;
}

authz_status authz_role_list_members(const authz_engine *e, const char *namespace_code,
                                     const char *code, const authz_page *page,
                                     authz_assignment_list **out, authz_error *err) {
    return list_assignees(e, namespace_code, code, AUTHZ_TARGET_USER, page, out, err);
}

authz_status authz_role_list_departments(const authz_engine *e, const char *namespace_code,
                                         const char *code, const authz_page *page,
                                         authz_assignment_list **out, authz_error *err) {
    return list_assignees(e, namespace_code, code, AUTHZ_TARGET_DEPARTMENT, page, out, err);
}

/* ---- a user's roles ---- */

typedef struct user_roles_ctx {
    const authz_engine *e;
    const authz__principal *u;
    const authz__ns *ns;
} user_roles_ctx;

/* Calls `fn` for each role of the namespace the user holds, direct ones first, each once. */
static size_t each_user_role(const user_roles_ctx *c,
                             void (*fn)(const user_roles_ctx *, const authz__role *, size_t,
                                        void *),
                             void *arg) {
    size_t k = 0;
    for (size_t d = 0; d <= c->u->depts.count; d++) {
        const authz__principal *p = d == 0 ? c->u : c->u->depts.items[d - 1];
        for (size_t i = 0; i < p->assigns.count; i++) {
            const authz__assign *a = p->assigns.items[i];
            if (a->role->ns != c->ns) continue;
            /* Skip a role met before through an earlier list. */
            int dup = 0;
            for (size_t d2 = 0; d2 <= d && !dup; d2++) {
                const authz__principal *q = d2 == 0 ? c->u : c->u->depts.items[d2 - 1];
                for (size_t j = 0; j < q->assigns.count && !dup; j++) {
                    const authz__assign *b = q->assigns.items[j];
                    if (d2 == d && j >= i) break;
                    dup = b->role == a->role;
                }
            }
            if (dup) continue;
            if (fn) fn(c, a->role, k, arg);
            k++;
        }
    }
    return k;
}

typedef struct role_sink {
    authz__out *o;
    authz_role *items;
} role_sink;

static void put_role(const user_roles_ctx *c, const authz__role *r, size_t k, void *arg) {
    role_sink *s = arg;
    authz_role v = authz__role_view(c->e, r);
    authz__emit_role(s->o, s->items ? &s->items[k] : NULL, &v);
}

static void emit_user_roles(authz__out *o, const void *ctx) {
    const user_roles_ctx *c = ctx;
    size_t n = each_user_role(c, NULL, NULL);
    authz_role_list *l = authz__out_take(o, sizeof *l);
    authz_role *items = authz__out_take(o, n * sizeof *items);
    AUTHZ__SET(l, total_count, n);
    AUTHZ__SET(l, count, n);
    AUTHZ__SET(l, items, items);
    role_sink s = {o, items};
    each_user_role(c, put_role, &s);
}

authz_status authz_user_roles(const authz_engine *e, const char *user_id,
                              const char *namespace_code, authz_role_list **out, authz_error *err) {
    if (!out) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "out", -1, "out is NULL");
    *out = NULL;
    authz_status st = authz__check_ident(err, AUTHZ_OBJ_USER, "userId", -1, user_id);
    if (st) return st;
    authz__rdlock(e);
    user_roles_ctx c = {e, authz__principal_find(e, AUTHZ_TARGET_USER, user_id), NULL};
    authz__ns *ns;
    st = authz__ns_resolve(e, namespace_code, &ns, err);
    c.ns = ns;
    if (!st && !c.u)
        st = authz__fail(err, AUTHZ_ENOTFOUND, AUTHZ_OBJ_USER, "userId", -1, "user not found: %s",
                         user_id);
    if (!st && authz__result_build(&e->mem, emit_user_roles, &c, (void **)out))
        st = authz__nomem(err);
    authz__unlock(e);
    return st;
}
