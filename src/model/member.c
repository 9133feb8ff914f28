/*
 * member.c - group and department memberships (see member.h).
 */
#include "model/member.h"

#include "base/error.h"
#include "base/result.h"
#include "base/validate.h"
#include "model/view.h"

authz_status authz__check_ids(authz_error *err, const char *field, const char *const *ids, size_t n,
                              size_t max) {
    authz_status st = authz__check_count(err, field, ids, n, 1, max);
    for (size_t i = 0; !st && i < n; i++)
        st = authz__check_ident(err, AUTHZ_OBJ_USER, field, (int32_t)i, ids[i]);
    return st;
}

static authz__vec *user_list(authz__principal *u, authz__link link) {
    return link == AUTHZ__LINK_GROUP ? &u->groups : &u->depts;
}

static authz__vec *owner_members(void *owner, authz__link link) {
    return link == AUTHZ__LINK_GROUP ? &((authz__group *)owner)->members
                                     : &((authz__principal *)owner)->members;
}

/* The owner pointer and the link kind travel together in one word (objects are aligned). */
static void undo_join(authz_engine *e, void *a, uintptr_t b) {
    authz__principal *u = a;
    authz__link link = (authz__link)(b & 1u);
    void *owner = (void *)(b & ~(uintptr_t)1);
    authz__vec_remove(owner_members(owner, link), u);
    authz__vec_remove(user_list(u, link), owner);
    authz__view_touch(e, u);
    e->membership_count--;
}

authz_status authz__member_join(authz_engine *e, authz__vec *members, void *owner, authz__link link,
                                const char *user_id, int32_t item, authz_error *err) {
    authz_status st = authz__dir_require(e, AUTHZ_TARGET_USER, user_id, "userIds", item, err);
    if (st) return st;
    authz__principal *u = authz__principal_ensure(e, AUTHZ_TARGET_USER, user_id);
    if (!u) return authz__nomem(err);
    if (authz__vec_find(members, u) != (size_t)-1) return AUTHZ_OK;
    authz__vec *mine = user_list(u, link);
    /* A department brings its roles into the user's view, and itself; a group itself. */
    size_t roles = link == AUTHZ__LINK_DEPT ? ((authz__principal *)owner)->assigns.count : 0;
    if (!authz__vec_reserve(e, members, 1) || !authz__vec_reserve(e, mine, 1) ||
        !authz__view_reserve(e, u, roles, 1) || !authz__undo_reserve(e))
        return authz__nomem(err);
    authz__vec_push(members, u);
    authz__vec_push(mine, owner);
    authz__view_touch(e, u);
    e->membership_count++;
    authz__undo_push(e, undo_join, u, (uintptr_t)owner | (uintptr_t)link);
    return AUTHZ_OK;
}

void authz__member_leave(authz_engine *e, authz__vec *members, void *owner, authz__link link,
                         const char *user_id) {
    authz__principal *u = authz__principal_find(e, AUTHZ_TARGET_USER, user_id);
    if (!u || !authz__vec_remove(members, u)) return;
    authz__vec_remove(user_list(u, link), owner);
    authz__view_touch(e, u);
    e->membership_count--;
    authz__principal_release(e, u);
    if (link == AUTHZ__LINK_DEPT) authz__principal_release(e, owner);
}

typedef struct id_ctx {
    const authz_engine *e;
    const authz__vec *v;
    size_t start, limit;
} id_ctx;

static void emit_ids(authz__out *o, const void *ctx) {
    const id_ctx *c = ctx;
    size_t total = c->v->count;
    size_t count = c->start >= total ? 0 : total - c->start;
    if (count > c->limit) count = c->limit;
    authz_id_list *l = authz__out_take(o, sizeof *l);
    const char **items = authz__out_take(o, count * sizeof *items);
    AUTHZ__SET(l, total_count, total);
    AUTHZ__SET(l, count, count);
    AUTHZ__SET(l, items, items);
    for (size_t k = 0; k < count; k++) {
        const authz__principal *p = c->v->items[c->start + k];
        const char *s = authz__out_str(o, authz__str(c->e, p->id));
        if (items) items[k] = s;
    }
}

authz_status authz__build_id_page(const authz_engine *e, const authz__vec *principals, size_t page,
                                  size_t limit, authz_id_list **out, authz_error *err) {
    id_ctx c = {e, principals, (page - 1) * limit, limit};
    if (authz__result_build(&e->mem, emit_ids, &c, (void **)out)) return authz__nomem(err);
    return AUTHZ_OK;
}

authz_status authz__build_id_all(const authz_engine *e, const authz__vec *principals,
                                 authz_id_list **out, authz_error *err) {
    id_ctx c = {e, principals, 0, (size_t)-1};
    if (authz__result_build(&e->mem, emit_ids, &c, (void **)out)) return authz__nomem(err);
    return AUTHZ_OK;
}
