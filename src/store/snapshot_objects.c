/*
 * snapshot_objects.c - decoding the catalog sections of a snapshot: namespaces (with their
 * resources and roles), groups, users and departments with their memberships, and role
 * assignments. Objects are built straight into the new engine in file order, which is their
 * listing order; every reference and every syntax rule is checked on the way.
 */
#include <string.h>

#include "base/validate.h"
#include "model/view.h"
#include "store/snapshot_cursor.h"

#define BAD(l) ((l)->c.bad ? (l)->c.status : AUTHZ_OK)

/* ---- namespaces ---- */

static authz_status load_actions(authz__loader *l, authz__resource *r) {
    r->action_count = authz__snap_count(&l->c, 8);
    if (l->c.bad || r->action_count == 0) return BAD(l);
    if (r->action_count > 100) return authz__snap_corrupt(&l->c, "more than 100 actions");
    r->actions = authz__snap_array(l, r->action_count, sizeof *r->actions);
    for (size_t a = 0; r->actions && a < r->action_count && !l->c.bad; a++) {
        int ok;
        r->actions[a].name = authz__snap_sid(l);
        if (!l->c.bad && authz__check_action(NULL, "", -1, authz__str(l->e, r->actions[a].name)))
            return authz__snap_corrupt(&l->c, "invalid action name");
        for (size_t k = 0; k < a && !l->c.bad; k++)
            if (r->actions[k].name == r->actions[a].name)
                return authz__snap_corrupt(&l->c, "duplicate action");
        r->actions[a].description = authz__snap_text(l, AUTHZ__DESC_MAX, &ok);
    }
    if (!r->actions) r->action_count = 0;
    return BAD(l);
}

static authz_status load_tenants(authz__loader *l, authz__resource *r) {
    uint32_t n = authz__snap_count(&l->c, 4);
    if (!l->c.bad && !authz__vec_reserve(l->e, &r->tenants, n)) return authz__snap_nomem(l);
    for (uint32_t i = 0; i < n && !l->c.bad; i++) {
        int ok;
        char *t = authz__snap_text(l, AUTHZ__ID_MAX, &ok);
        if (ok && !t) return authz__snap_corrupt(&l->c, "tenant without an id");
        if (t) authz__vec_push(&r->tenants, t);
    }
    return BAD(l);
}

static authz_status load_resource(authz__loader *l, authz__ns *ns) {
    int ok;
    uint32_t code = authz__snap_code(l, 1, AUTHZ_OBJ_RESOURCE);
    uint32_t type = authz__snap_u8(&l->c);
    if (l->c.bad) return BAD(l);
    if (type > AUTHZ_RESOURCE_UI) return authz__snap_corrupt(&l->c, "resource type %u", type);
    if (authz__map_get(&ns->resources, code))
        return authz__snap_corrupt(&l->c, "duplicate resource");
    authz__resource *r = authz__calloc(&l->e->mem, 1, sizeof *r);
    if (!r || !authz__map_reserve(l->e, &ns->resources, 1) ||
        !authz__vec_reserve(l->e, &ns->resource_order, 1)) {
        authz__free(&l->e->mem, r);
        return authz__snap_nomem(l);
    }
    r->code = code;
    r->type = (authz_resource_type)type;
    authz__map_putp(&ns->resources, code, r);
    authz__vec_push(&ns->resource_order, r);
    r->name = authz__snap_text(l, AUTHZ__NAME_MAX, &ok);
    r->description = authz__snap_text(l, AUTHZ__DESC_MAX, &ok);
    r->api_identifier = authz__snap_text(l, AUTHZ__DESC_MAX, &ok);
    if (!l->c.bad) load_actions(l, r);
    if (!l->c.bad) load_tenants(l, r);
    if (!l->c.bad && authz__route_add(l->e, ns, authz__str(l->e, code), r->type, r->api_identifier,
                                      NULL) != AUTHZ_OK)
        return authz__snap_nomem(l);
    return BAD(l);
}

static authz_status load_role(authz__loader *l, authz__ns *ns) {
    int ok;
    uint32_t code = authz__snap_code(l, 0, AUTHZ_OBJ_ROLE);
    if (l->c.bad) return BAD(l);
    if (authz__map_get(&ns->roles, code)) return authz__snap_corrupt(&l->c, "duplicate role");
    authz__role *r = authz__calloc(&l->e->mem, 1, sizeof *r);
    if (!r || !authz__role_reserve_link(l->e, ns) || !(r->oid = authz__new_oid(l->e))) {
        authz__free(&l->e->mem, r);
        return authz__snap_nomem(l);
    }
    r->code = code;
    r->ns = ns;
    r->ns_oid = ns->oid;
    authz__role_link(l->e, r);
    r->name = authz__snap_text(l, AUTHZ__NAME_MAX, &ok);
    r->description = authz__snap_text(l, AUTHZ__DESC_MAX, &ok);
    uint32_t status = authz__snap_u8(&l->c);
    r->disable_time = (int64_t)authz__snap_u64(&l->c);
    if (!l->c.bad && (status > AUTHZ_ROLE_DISABLE || r->disable_time < 0))
        return authz__snap_corrupt(&l->c, "invalid role status or disable time");
    r->status = (authz_role_status)status;
    return BAD(l);
}

/* The first namespace is `default`, which the new engine already has. */
static authz__ns *namespace_for(authz__loader *l, uint32_t i, uint32_t code) {
    authz_engine *e = l->e;
    if ((i == 0) != (code == e->default_code)) {
        authz__snap_corrupt(&l->c, "the default namespace must come first, once");
        return NULL;
    }
    if (i == 0) return e->ns_order.items[0];
    if (authz__map_get(&e->ns_by_code, code)) {
        authz__snap_corrupt(&l->c, "duplicate namespace");
        return NULL;
    }
    authz__ns *ns = authz__calloc(&e->mem, 1, sizeof *ns);
    if (!ns || !authz__ns_reserve_link(e) || !(ns->oid = authz__new_oid(e))) {
        authz__free(&e->mem, ns);
        authz__snap_nomem(l);
        return NULL;
    }
    ns->code = code;
    authz__ns_link(e, ns);
    return ns;
}

authz_status authz__snap_load_namespaces(authz__loader *l) {
    uint32_t n = authz__snap_count(&l->c, 20);
    if (!l->c.bad && n == 0) return authz__snap_corrupt(&l->c, "no namespace");
    l->ns = authz__snap_array(l, n, sizeof *l->ns);
    for (uint32_t i = 0; l->ns && i < n && !l->c.bad; i++) {
        int ok;
        uint32_t code = authz__snap_code(l, 0, AUTHZ_OBJ_NAMESPACE);
        authz__ns *ns = l->c.bad ? NULL : namespace_for(l, i, code);
        if (!ns) break;
        l->ns[l->nns++] = ns;
        ns->name = authz__snap_text(l, AUTHZ__NAME_MAX, &ok);
        ns->description = authz__snap_text(l, AUTHZ__DESC_MAX, &ok);
        uint32_t nres = authz__snap_count(&l->c, 29);
        for (uint32_t k = 0; k < nres && !l->c.bad; k++) load_resource(l, ns);
        uint32_t nroles = authz__snap_count(&l->c, 17);
        for (uint32_t k = 0; k < nroles && !l->c.bad; k++) load_role(l, ns);
    }
    return BAD(l);
}

/* ---- groups ---- */

authz_status authz__snap_load_groups(authz__loader *l) {
    authz_engine *e = l->e;
    uint32_t n = authz__snap_count(&l->c, 16);
    l->groups = authz__snap_array(l, n, sizeof *l->groups);
    for (uint32_t i = 0; l->groups && i < n && !l->c.bad; i++) {
        int ok;
        uint32_t code = authz__snap_code(l, 0, AUTHZ_OBJ_GROUP);
        if (l->c.bad) break;
        if (authz__map_get(&e->groups, code)) return authz__snap_corrupt(&l->c, "duplicate group");
        authz__group *g = authz__calloc(&e->mem, 1, sizeof *g);
        if (!g || !authz__group_reserve_link(e) || !(g->oid = authz__new_oid(e))) {
            authz__free(&e->mem, g);
            return authz__snap_nomem(l);
        }
        g->code = code;
        authz__group_link(e, g);
        l->groups[l->ngroups++] = g;
        g->name = authz__snap_text(l, AUTHZ__NAME_MAX, &ok);
        g->description = authz__snap_text(l, AUTHZ__DESC_MAX, &ok);
        g->type = authz__snap_text(l, AUTHZ__CODE_MAX, &ok);
    }
    return BAD(l);
}

/* ---- users and departments ---- */

static authz__principal *new_principal(authz__loader *l, authz_target_type kind) {
    uint32_t id = authz__snap_sid(l);
    if (l->c.bad) return NULL;
    authz_object obj = kind == AUTHZ_TARGET_USER ? AUTHZ_OBJ_USER : AUTHZ_OBJ_DEPARTMENT;
    if (authz__check_ident(NULL, obj, "", -1, authz__str(l->e, id)) || id > AUTHZ__TARGET_ID_MAX) {
        authz__snap_corrupt(&l->c, "invalid id");
        return NULL;
    }
    authz__map *m = kind == AUTHZ_TARGET_USER ? &l->e->users : &l->e->depts;
    if (authz__map_get(m, id)) {
        authz__snap_corrupt(&l->c, "duplicate id");
        return NULL;
    }
    authz__principal *p = authz__calloc(&l->e->mem, 1, sizeof *p);
    if (p && kind == AUTHZ_TARGET_USER) p->view = authz__view_new(l->e, id);
    if (!p || !authz__map_reserve(l->e, m, 1) ||
        (kind == AUTHZ_TARGET_USER &&
         (!p->view || !authz__map_reserve(l->e, &l->e->user_index, 1)))) {
        if (p) authz__free(&l->e->mem, p->view);
        authz__free(&l->e->mem, p);
        authz__snap_nomem(l);
        return NULL;
    }
    p->id = id;
    p->kind = kind;
    authz__map_putp(m, id, p);
    if (kind == AUTHZ_TARGET_USER) authz__user_index_put(l->e, p);
    return p;
}

/* A list of references into `pool` (n entries), appended to `v`; no entry twice. */
static authz_status load_refs(authz__loader *l, authz__vec *v, void *const *pool, uint32_t n,
                              const char *what) {
    uint32_t count = authz__snap_count(&l->c, 4);
    if (!l->c.bad && !authz__vec_reserve(l->e, v, count)) return authz__snap_nomem(l);
    for (uint32_t i = 0; i < count && !l->c.bad; i++) {
        uint32_t k = authz__snap_index(&l->c, n, what);
        if (l->c.bad) break;
        if (authz__vec_find(v, pool[k]) != (size_t)-1)
            return authz__snap_corrupt(&l->c, "%s listed twice", what);
        authz__vec_push(v, pool[k]);
    }
    return BAD(l);
}

/* Each membership must be recorded on both sides: the owner lists the user and the user
 * lists the owner. With no duplicates on either side, equal totals make the mirror exact. */
static authz_status check_mirror(authz__loader *l, size_t owner_side, size_t user_side) {
    if (owner_side != user_side)
        return authz__snap_corrupt(&l->c, "memberships are not mirrored (%zu vs %zu)", owner_side,
                                   user_side);
    l->e->membership_count += owner_side;
    return AUTHZ_OK;
}

/* Each member's own list, read for every member of every owner: two misses a member (the user,
 * then its list), so they are prefetched MIRROR_DIST members ahead, a level at a time. */
#define MIRROR_DIST 8

static const authz__vec *back_list(const authz__principal *u, int group) {
    return group ? &u->groups : &u->depts;
}

static size_t owner_members_ok(authz__loader *l, const authz__vec *members, const void *owner,
                               int group) {
    size_t n = members->count;
    for (size_t i = 0; i < n + 2 * MIRROR_DIST; i++) {
        if (i < n) __builtin_prefetch(members->items[i]);
        if (i >= MIRROR_DIST && i - MIRROR_DIST < n)
            __builtin_prefetch(back_list(members->items[i - MIRROR_DIST], group)->items);
        if (i < 2 * MIRROR_DIST || i - 2 * MIRROR_DIST >= n) continue;
        const authz__principal *u = members->items[i - 2 * MIRROR_DIST];
        if (authz__vec_find(back_list(u, group), owner) == (size_t)-1) {
            authz__snap_corrupt(&l->c, "a member does not list its %s",
                                group ? "group" : "department");
            return 0;
        }
    }
    return n;
}

authz_status authz__snap_load_principals(authz__loader *l) {
    l->ndepts = authz__snap_count(&l->c, 4);
    /* Each map is sized once for all of its principals rather than grown as they come. */
    if (!l->c.bad && !authz__map_reserve(l->e, &l->e->depts, l->ndepts))
        return authz__snap_nomem(l);
    l->depts = authz__snap_array(l, l->ndepts, sizeof *l->depts);
    for (uint32_t i = 0; l->depts && i < l->ndepts && !l->c.bad; i++)
        l->depts[i] = new_principal(l, AUTHZ_TARGET_DEPARTMENT);
    l->nusers = authz__snap_count(&l->c, 12);
    if (!l->c.bad && (!authz__map_reserve(l->e, &l->e->users, l->nusers) ||
                      !authz__map_reserve(l->e, &l->e->user_index, l->nusers)))
        return authz__snap_nomem(l);
    l->users = l->c.bad ? NULL : authz__snap_array(l, l->nusers, sizeof *l->users);
    size_t user_groups = 0, user_depts = 0, group_side = 0, dept_side = 0;
    for (uint32_t i = 0; l->users && i < l->nusers && !l->c.bad; i++) {
        authz__principal *u = l->users[i] = new_principal(l, AUTHZ_TARGET_USER);
        if (!u) break;
        load_refs(l, &u->groups, (void *const *)l->groups, l->ngroups, "group");
        load_refs(l, &u->depts, (void *const *)l->depts, l->ndepts, "department");
        user_groups += u->groups.count;
        user_depts += u->depts.count;
    }
    for (uint32_t i = 0; i < l->ngroups && !l->c.bad; i++) {
        load_refs(l, &l->groups[i]->members, (void *const *)l->users, l->nusers, "user");
        if (!l->c.bad) group_side += owner_members_ok(l, &l->groups[i]->members, l->groups[i], 1);
    }
    for (uint32_t i = 0; i < l->ndepts && !l->c.bad; i++) {
        load_refs(l, &l->depts[i]->members, (void *const *)l->users, l->nusers, "user");
        if (!l->c.bad) dept_side += owner_members_ok(l, &l->depts[i]->members, l->depts[i], 0);
    }
    if (!l->c.bad) check_mirror(l, group_side, user_groups);
    if (!l->c.bad) check_mirror(l, dept_side, user_depts);
    return BAD(l);
}

/* ---- role assignments ---- */

static authz__assign *load_assign(authz__loader *l) {
    authz__cursor *c = &l->c;
    uint32_t ns = authz__snap_index(c, l->nns, "namespace");
    uint32_t role =
        c->bad ? 0 : authz__snap_index(c, (uint32_t)l->ns[ns]->role_order.count, "role");
    uint32_t kind = authz__snap_u8(c);
    if (!c->bad && kind != AUTHZ_TARGET_USER && kind != AUTHZ_TARGET_DEPARTMENT) {
        authz__snap_corrupt(c, "assignee type %u", kind);
        return NULL;
    }
    uint32_t who =
        authz__snap_index(c, kind == AUTHZ_TARGET_USER ? l->nusers : l->ndepts, "assignee");
    int64_t enable = (int64_t)authz__snap_u64(c), end = (int64_t)authz__snap_u64(c);
    if (c->bad) return NULL;
    if (enable < 0 || end < 0) {
        authz__snap_corrupt(c, "negative window");
        return NULL;
    }
    authz__role *r = l->ns[ns]->role_order.items[role];
    authz__principal *p = kind == AUTHZ_TARGET_USER ? l->users[who] : l->depts[who];
    for (size_t i = 0; i < r->assigns.count; i++) {
        const authz__assign *a = r->assigns.items[i];
        if (a->who == p) {
            authz__snap_corrupt(c, "duplicate assignment");
            return NULL;
        }
    }
    authz__assign *a = authz__calloc(&l->e->mem, 1, sizeof *a);
    if (!a || !authz__vec_reserve(l->e, &r->assigns, 1)) {
        authz__free(&l->e->mem, a);
        authz__snap_nomem(l);
        return NULL;
    }
    *a = (authz__assign){r, p, enable, end};
    authz__vec_push(&r->assigns, a);
    l->e->assign_count++;
    return a;
}

/* The assignee's own list: every assignment of it exactly once, in its order. */
static authz_status load_owned(authz__loader *l, authz__principal *p, unsigned char *seen) {
    uint32_t n = authz__snap_count(&l->c, 4);
    if (!l->c.bad && !authz__vec_reserve(l->e, &p->assigns, n)) return authz__snap_nomem(l);
    for (uint32_t i = 0; i < n && !l->c.bad; i++) {
        uint32_t k = authz__snap_index(&l->c, l->nassigns, "assignment");
        if (l->c.bad) break;
        if (l->assigns[k]->who != p || seen[k]++)
            return authz__snap_corrupt(&l->c, "assignment %u misplaced", k);
        authz__vec_push(&p->assigns, l->assigns[k]);
    }
    return BAD(l);
}

authz_status authz__snap_load_assigns(authz__loader *l) {
    l->nassigns = authz__snap_count(&l->c, 29);
    l->assigns = authz__snap_array(l, l->nassigns, sizeof *l->assigns);
    /* Which assignments their assignee lists: the load's cleanup frees the others. */
    unsigned char *seen = l->owned = l->assigns ? authz__snap_array(l, l->nassigns, 1) : NULL;
    for (uint32_t i = 0; seen && i < l->nassigns && !l->c.bad; i++) {
        l->assigns[i] = load_assign(l);
        /* Until its assignee lists it, the assignment is owned by the role's list only. */
        if (!l->assigns[i]) break;
    }
    for (uint32_t i = 0; seen && i < l->nusers && !l->c.bad; i++) load_owned(l, l->users[i], seen);
    for (uint32_t i = 0; seen && i < l->ndepts && !l->c.bad; i++) load_owned(l, l->depts[i], seen);
    for (uint32_t i = 0; seen && i < l->nassigns && !l->c.bad; i++)
        if (!seen[i]) authz__snap_corrupt(&l->c, "assignment %u has no assignee list", i);
    return BAD(l);
}

/* ---- the user directory ---- */

authz_status authz__snap_load_directory(authz__loader *l) {
    authz_engine *e = l->e;
    e->dir.next_id = authz__snap_u64(&l->c);
    uint32_t n = authz__snap_count(&l->c, 4 + 8 + 4 * 4);
    if (!l->c.bad && n &&
        (authz__map_grow(&e->mem, &e->dir.by_id, n) == 0 ||
         authz__vec_grow(&e->mem, &e->dir.order, n) == 0))
        return authz__snap_nomem(l);
    for (uint32_t i = 0; i < n && !l->c.bad; i++) {
        uint32_t k = authz__snap_index(&l->c, l->nusers, "user");
        int64_t created = (int64_t)authz__snap_u64(&l->c);
        if (l->c.bad) break;
        authz__principal *p = l->users[k];
        if (p->listed) {
            authz__snap_corrupt(&l->c, "user listed twice");
            break;
        }
        authz__profile *u = authz__calloc(&e->mem, 1, sizeof *u);
        if (!u) return authz__snap_nomem(l);
        u->p = p;
        u->created_at = created;
        authz__map_putp(&e->dir.by_id, p->id, u);
        authz__vec_push(&e->dir.order, u);
        p->listed = true;
        int ok = 1;
        u->username = authz__snap_text(l, AUTHZ__NAME_MAX, &ok);
        if (ok) u->email = authz__snap_text(l, AUTHZ__NAME_MAX, &ok);
        if (ok) u->phone = authz__snap_text(l, AUTHZ__NAME_MAX, &ok);
        if (ok) u->name = authz__snap_text(l, AUTHZ__NAME_MAX, &ok);
    }
    return BAD(l);
}

/* ---- organizations and department records ---- */

static char *required_text(authz__loader *l, size_t max, const char *what) {
    int ok = 1;
    char *s = authz__snap_text(l, max, &ok);
    if (ok && !s && !l->c.bad) authz__snap_corrupt(&l->c, "%s is missing", what);
    return s;
}

authz_status authz__snap_load_organizations(authz__loader *l) {
    authz_engine *e = l->e;
    e->dir.next_dept = authz__snap_u64(&l->c);
    uint32_t n = authz__snap_count(&l->c, 4 * 4 + 8);
    if (!l->c.bad && n && authz__vec_grow(&e->mem, &e->dir.orgs, n) == 0)
        return authz__snap_nomem(l);
    for (uint32_t i = 0; i < n && !l->c.bad; i++) {
        authz__org *o = authz__calloc(&e->mem, 1, sizeof *o);
        if (!o) return authz__snap_nomem(l);
        int ok = 1;
        o->code = required_text(l, AUTHZ__CODE_MAX, "organization code");
        o->name = required_text(l, AUTHZ__NAME_MAX, "organization name");
        o->description = authz__snap_text(l, AUTHZ__DESC_MAX, &ok);
        o->root = required_text(l, AUTHZ__ID_MAX, "root department");
        o->created_at = (int64_t)authz__snap_u64(&l->c);
        if (!l->c.bad && !authz__org_place_ok(e, o->code, o->root))
            authz__snap_corrupt(&l->c, "organization %u repeats a code or a root", i);
        authz__vec_push(&e->dir.orgs, o); /* owned by the engine from here, even when bad */
    }
    uint32_t m = authz__snap_count(&l->c, 4 + 5 * 4 + 8);
    if (!l->c.bad && m &&
        (authz__map_grow(&e->mem, &e->dir.dept_by_id, m) == 0 ||
         authz__vec_grow(&e->mem, &e->dir.depts, m) == 0))
        return authz__snap_nomem(l);
    for (uint32_t i = 0; i < m && !l->c.bad; i++) {
        uint32_t k = authz__snap_index(&l->c, l->ndepts, "department");
        if (l->c.bad) break;
        authz__principal *p = l->depts[k];
        if (p->listed) {
            authz__snap_corrupt(&l->c, "department recorded twice");
            break;
        }
        authz__dept *d = authz__calloc(&e->mem, 1, sizeof *d);
        if (!d) return authz__snap_nomem(l);
        d->p = p;
        authz__map_putp(&e->dir.dept_by_id, p->id, d);
        authz__vec_push(&e->dir.depts, d);
        p->listed = true;
        int ok = 1;
        d->org = required_text(l, AUTHZ__CODE_MAX, "department organization");
        d->parent = required_text(l, AUTHZ__ID_MAX, "department parent");
        d->name = required_text(l, AUTHZ__NAME_MAX, "department name");
        if (!l->c.bad) d->code = authz__snap_text(l, AUTHZ__CODE_MAX, &ok);
        if (!l->c.bad) d->description = authz__snap_text(l, AUTHZ__DESC_MAX, &ok);
        d->created_at = (int64_t)authz__snap_u64(&l->c);
        /* Parents come first: the parent must be the organization's root or an earlier record. */
        if (!l->c.bad && !authz__dept_place_ok(e, d))
            authz__snap_corrupt(&l->c, "department %u is not under its organization", i);
    }
    return BAD(l);
}
