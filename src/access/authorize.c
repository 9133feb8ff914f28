/*
 * authorize.c - authorize_resources and revoke_resources: adding and removing actions of
 * (target, resource string) grants.
 *
 * Authorize runs in two phases. Prepare resolves targets, interns names, hands out action
 * ordinals, reserves index room and inserts still-empty grants, all undo-logged. Commit only
 * sets bits and cannot fail. Revoke allocates nothing at all.
 */
#include <string.h>

#include "base/error.h"
#include "base/validate.h"
#include "model/engine.h"
#include "model/group_view.h"
#include "model/role_view.h"

static authz_status check_target_id(const authz_grant_item *it, size_t k, int32_t item,
                                    authz_error *err) {
    const char *id = it->identifiers[k];
    switch (it->target_type) {
        case AUTHZ_TARGET_ROLE:
            return authz__check_code(err, AUTHZ_OBJ_ROLE, "targetIdentifiers", item, id);
        case AUTHZ_TARGET_GROUP:
            return authz__check_code(err, AUTHZ_OBJ_GROUP, "targetIdentifiers", item, id);
        case AUTHZ_TARGET_USER:
            return authz__check_ident(err, AUTHZ_OBJ_USER, "targetIdentifiers", item, id);
        case AUTHZ_TARGET_DEPARTMENT:
            return authz__check_ident(err, AUTHZ_OBJ_DEPARTMENT, "targetIdentifiers", item, id);
    }
    return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "targetType", item, "invalid targetType");
}

static authz_status check_resource(const authz_grant_resource *r, bool revoke, int32_t item,
                                   authz_error *err) {
    size_t code_len;
    authz_status st =
        authz__check_resource_string(err, "resources.code", item, r->resource, &code_len);
    if (!st && authz_resource_type_name(r->type) == NULL)
        st = authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "resources.resourceType", item,
                         "invalid resourceType");
    if (!st && (r->action_count > 50 || (!revoke && r->action_count == 0)))
        st = authz__fail(err, r->action_count ? AUTHZ_ELIMIT : AUTHZ_EINVAL, AUTHZ_OBJ_NONE,
                         "resources.actions", item, "actions must have 1 to 50 items");
    if (!st && r->action_count && !r->actions)
        st = authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "resources.actions", item, "missing");
    for (size_t a = 0; !st && a < r->action_count; a++)
        st = authz__check_action(err, "resources.actions", item, r->actions[a]);
    return st;
}

static authz_status check_items(const authz_grant_item *items, size_t n, bool revoke,
                                authz_error *err) {
    authz_status st = authz__check_count(err, "list", items, n, 1, 10);
    for (size_t i = 0; !st && i < n; i++) {
        const authz_grant_item *it = &items[i];
        int32_t item = (int32_t)i;
        if (authz_target_type_name(it->target_type) == NULL)
            return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "targetType", item,
                               "invalid targetType");
        if (it->identifier_count < 1 || it->identifier_count > 100 || !it->identifiers)
            return authz__fail(err, it->identifier_count > 100 ? AUTHZ_ELIMIT : AUTHZ_EINVAL,
                               AUTHZ_OBJ_NONE, "targetIdentifiers", item,
                               "targetIdentifiers must have 1 to 100 items");
        if (it->resource_count < 1 || !it->resources)
            return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "resources", item,
                               "resources must have at least 1 item");
        for (size_t k = 0; !st && k < it->identifier_count; k++)
            st = check_target_id(it, k, item, err);
        for (size_t r = 0; !st && r < it->resource_count; r++)
            st = check_resource(&it->resources[r], revoke, item, err);
    }
    return st;
}

/* The packed target of identifier k, creating a user/department if `create`. 0 with *st set
 * when it cannot be had; 0 with AUTHZ_OK when it does not exist and need not (revoke). */
static uint32_t resolve_target(authz_engine *e, const authz__ns *ns, const authz_grant_item *it,
                               size_t k, int32_t item, bool create, authz_status *st,
                               authz_error *err) {
    const char *id = it->identifiers[k];
    *st = AUTHZ_OK;
    if (it->target_type == AUTHZ_TARGET_ROLE) {
        authz__role *r;
        *st =
            authz__role_resolve(e, authz__str(e, ns->code), id, "targetIdentifiers", item, &r, err);
        return *st ? 0 : authz__target(AUTHZ_TARGET_ROLE, r->oid);
    }
    if (it->target_type == AUTHZ_TARGET_GROUP) {
        authz__group *g;
        *st = authz__group_resolve(e, id, "targetIdentifiers", &g, err);
        if (*st && err) err->item = item;
        return *st ? 0 : authz__target(AUTHZ_TARGET_GROUP, g->oid);
    }
    if (create &&
        (*st = authz__dir_require(e, it->target_type, id, "targetIdentifiers", item, err)))
        return 0;
    authz__principal *p = create ? authz__principal_ensure(e, it->target_type, id)
                                 : authz__principal_find(e, it->target_type, id);
    if (!p && create) *st = authz__nomem(err);
    return p ? authz__target(it->target_type, p->id) : 0;
}

/* ---- strict mode ---- */

static authz_status check_strict(const authz_engine *e, const authz__ns *ns,
                                 const authz_grant_resource *r, size_t code_len, int32_t item,
                                 authz_error *err) {
    if (strcmp(r->resource, "*") == 0) return AUTHZ_OK;
    uint32_t code = authz__intern_find(&e->strings, r->resource, code_len);
    const authz__resource *res = code ? authz__map_getp(&ns->resources, code) : NULL;
    if (!res)
        return authz__fail(err, AUTHZ_ERULE, AUTHZ_OBJ_RESOURCE, "resources.code", item,
                           "strict mode: resource not declared: %.*s", (int)code_len, r->resource);
    for (size_t a = 0; a < r->action_count; a++) {
        if (strcmp(r->actions[a], "*") == 0) continue;
        uint32_t id = authz__intern_find(&e->strings, r->actions[a], strlen(r->actions[a]));
        bool ok = false;
        for (size_t d = 0; id && d < res->action_count && !ok; d++) ok = res->actions[d].name == id;
        if (!ok)
            return authz__fail(err, AUTHZ_ERULE, AUTHZ_OBJ_RESOURCE, "resources.actions", item,
                               "strict mode: action not declared: %s", r->actions[a]);
    }
    return AUTHZ_OK;
}

static authz_status check_strict_item(const authz_engine *e, const authz__ns *ns,
                                      const authz_grant_item *it, int32_t item, authz_error *err) {
    authz_status st = AUTHZ_OK;
    for (size_t r = 0; !st && r < it->resource_count; r++) {
        size_t code_len;
        authz__check_resource_string(NULL, "", item, it->resources[r].resource, &code_len);
        st = check_strict(e, ns, &it->resources[r], code_len, item, err);
    }
    return st;
}

/* ---- authorize ---- */

static void undo_insert(authz_engine *e, void *a, uintptr_t b) {
    (void)b;
    authz__grant_rec *r = &e->grants.recs[(uint32_t)(uintptr_t)a];
    authz__grant_remove_raw(e, r->ns, r->target, r->res);
}

/* Room in the grant's ext words for ordinal `ord`; the new words are zero. */
static authz_status grow_ext(authz_engine *e, authz__gslot *s, uint32_t ord, authz_error *err) {
    return authz__grant_ext_grow(e, s->rec, authz__ext_words_for(ord)) ? AUTHZ_OK
                                                                       : authz__nomem(err);
}

typedef struct res_ids {
    uint32_t res, code;
    authz__actab *t;
} res_ids;

static authz_status prepare_resource(authz_engine *e, const authz__ns *ns,
                                     const authz_grant_resource *r, int32_t item, res_ids *ids,
                                     uint32_t *max_ord, authz_error *err) {
    size_t code_len;
    authz__check_resource_string(NULL, "", item, r->resource, &code_len);
    if (e->strict) {
        authz_status st = check_strict(e, ns, r, code_len, item, err);
        if (st) return st;
    }
    ids->res = authz__intern_add(&e->strings, &e->mem, r->resource, strlen(r->resource));
    ids->code = authz__intern_add(&e->strings, &e->mem, r->resource, code_len);
    ids->t = (ids->res && ids->code) ? authz__actab_ensure(e, ns->oid, ids->code) : NULL;
    if (!ids->t) return authz__nomem(err);
    *max_ord = 0;
    for (size_t a = 0; a < r->action_count; a++) {
        uint32_t act =
            authz__intern_add(&e->strings, &e->mem, r->actions[a], strlen(r->actions[a]));
        uint32_t ord = act ? authz__actab_add(e, ids->t, act) : UINT32_MAX;
        if (ord == UINT32_MAX - 1)
            return authz__fail(err, AUTHZ_ELIMIT, AUTHZ_OBJ_RESOURCE, "resources.actions", item,
                               "a resource code may have at most %d distinct actions",
                               AUTHZ__MAX_ACTIONS);
        if (ord == UINT32_MAX) return authz__nomem(err);
        if (ord > *max_ord) *max_ord = ord;
    }
    return AUTHZ_OK;
}

/* Phase one for one (target, resource): the grant exists (empty if new) with room for bits. */
static authz_status prepare_pair(authz_engine *e, const authz__ns *ns, uint32_t target,
                                 const res_ids *ids, authz_resource_type type, uint32_t max_ord,
                                 authz_error *err) {
    authz__gslot *s = authz__grant_find(&e->grants, ns->oid, target, ids->res);
    if (!s) {
        if (!authz__grant_reserve(e, 1) || !authz__undo_reserve(e)) return authz__nomem(err);
        s = authz__grant_insert(e, ids->t, ns->oid, target, ids->res, ids->code, type);
        authz__undo_push(e, undo_insert, (void *)(uintptr_t)s->rec, 0);
    }
    return grow_ext(e, s, max_ord, err);
}

static void commit_pair(authz_engine *e, const authz__ns *ns, uint32_t target, const res_ids *ids,
                        const authz_grant_resource *r) {
    authz__gslot *s = authz__grant_find(&e->grants, ns->oid, target, ids->res);
    authz__grant_rec *rec = &e->grants.recs[s->rec];
    rec->type = (uint32_t)r->type & 7u;
    for (size_t a = 0; a < r->action_count; a++) {
        uint32_t act = authz__intern_find(&e->strings, r->actions[a], strlen(r->actions[a]));
        authz__bits_set(&e->grants, s, authz__actab_ordinal(ids->t, act));
    }
}

static authz_status authorize_item(authz_engine *e, const authz__ns *ns, const authz_grant_item *it,
                                   int32_t item, bool commit, authz_error *err) {
    authz_status st = AUTHZ_OK;
    for (size_t k = 0; !st && k < it->identifier_count; k++) {
        uint32_t target = resolve_target(e, ns, it, k, item, true, &st, err);
        for (size_t r = 0; !st && r < it->resource_count; r++) {
            res_ids ids;
            uint32_t max_ord = 0;
            st = prepare_resource(e, ns, &it->resources[r], item, &ids, &max_ord, err);
            if (!st && !commit)
                st = prepare_pair(e, ns, target, &ids, it->resources[r].type, max_ord, err);
            if (!st && commit) commit_pair(e, ns, target, &ids, &it->resources[r]);
        }
    }
    return st;
}

authz_status authz_authorize(authz_engine *e, const char *namespace_code,
                             const authz_grant_item *items, size_t n, authz_error *err) {
    authz_status st = check_items(items, n, false, err);
    if (st) return st;
    authz__write_begin(e);
    authz__ns *ns;
    st = authz__ns_resolve(e, namespace_code, &ns, err);
    for (size_t i = 0; !st && i < n; i++)
        st = authorize_item(e, ns, &items[i], (int32_t)i, false, err);
    /* Everything exists now; the second pass finds what the first made and sets the bits. */
    for (size_t i = 0; !st && i < n; i++) authorize_item(e, ns, &items[i], (int32_t)i, true, err);
    return authz__write_finish(e, st);
}

/* ---- revoke ---- */

static bool revokes_all(const authz_grant_resource *r) {
    if (r->action_count == 0) return true;
    for (size_t a = 0; a < r->action_count; a++)
        if (strcmp(r->actions[a], "*") == 0) return true;
    return false;
}

static void revoke_pair(authz_engine *e, const authz__ns *ns, uint32_t target,
                        const authz_grant_resource *r) {
    uint32_t res = authz__intern_find(&e->strings, r->resource, strlen(r->resource));
    authz__gslot *s = res ? authz__grant_find(&e->grants, ns->oid, target, res) : NULL;
    if (!s) return;
    authz__grant_rec *rec = &e->grants.recs[s->rec];
    if (!revokes_all(r)) {
        const authz__actab *t = authz__actab_find(e, ns->oid, rec->code);
        for (size_t a = 0; a < r->action_count; a++) {
            uint32_t act = authz__intern_find(&e->strings, r->actions[a], strlen(r->actions[a]));
            uint32_t ord = act ? authz__actab_ordinal(t, act) : UINT32_MAX;
            if (ord != UINT32_MAX) authz__bits_clear(&e->grants, s, ord);
        }
        if (!authz__bits_empty(&e->grants, s)) return;
    }
    authz__grant_remove(e, ns->oid, target, res);
}

authz_status authz_revoke(authz_engine *e, const char *namespace_code,
                          const authz_grant_item *items, size_t n, authz_error *err) {
    authz_status st = check_items(items, n, true, err);
    if (st) return st;
    authz__write_begin(e);
    authz__ns *ns;
    st = authz__ns_resolve(e, namespace_code, &ns, err);
    /* Resolve every target first: a missing role or group rejects the whole call. */
    for (size_t i = 0; !st && i < n; i++)
        for (size_t k = 0; !st && k < items[i].identifier_count; k++)
            resolve_target(e, ns, &items[i], k, (int32_t)i, false, &st, err);
    for (size_t i = 0; !st && e->strict && i < n; i++)
        st = check_strict_item(e, ns, &items[i], (int32_t)i, err);
    for (size_t i = 0; !st && i < n; i++) {
        const authz_grant_item *it = &items[i];
        for (size_t k = 0; k < it->identifier_count; k++) {
            uint32_t target = resolve_target(e, ns, it, k, (int32_t)i, false, &st, err);
            for (size_t r = 0; target && r < it->resource_count; r++)
                revoke_pair(e, ns, target, &it->resources[r]);
        }
    }
    return authz__write_finish(e, st);
}
