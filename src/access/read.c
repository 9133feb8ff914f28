/*
 * read.c - the grant reads: a target's direct grants, a user's union of grants, and the
 * targets holding a resource string. They walk the grant index's lists, never the whole table.
 */
#include "access/read.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/validate.h"
#include "model/engine.h"
#include "model/group_view.h"
#include "model/role_view.h"

size_t authz__grant_count_actions(const authz_engine *e, const authz__gslot *s) {
    const authz__grant_rec *r = &e->grants.recs[s->rec];
    const authz__actab *t = authz__actab_find(e, r->ns, r->code);
    size_t n = 0;
    for (uint32_t ord = 0; ord < t->count; ord++) n += (size_t)authz__bits_test(&e->grants, s, ord);
    return n;
}

void authz__grant_emit_actions(const authz_engine *e, const authz__gslot *s, authz__out *o,
                               const char **names) {
    const authz__grant_rec *r = &e->grants.recs[s->rec];
    const authz__actab *t = authz__actab_find(e, r->ns, r->code);
    size_t n = 0;
    for (uint32_t ord = 0; ord < t->count; ord++) {
        if (!authz__bits_test(&e->grants, s, ord)) continue;
        const char *name = authz__out_str(o, authz__str(e, t->names[ord]));
        if (names) names[n] = name;
        n++;
    }
}

/* ---- filters ---- */

static bool filter_keeps(const authz_engine *e, const authz_grant_filter *f,
                         const authz__grant_rec *r) {
    if (!f) return true;
    if (f->type && r->type != (uint8_t)*f->type) return false;
    if (!f->resource_count) return true;
    const char *res = authz__str(e, r->res);
    for (size_t i = 0; i < f->resource_count; i++) {
        size_t n = strlen(f->resources[i]);
        if (n && f->resources[i][n - 1] == '*') n--;
        if (strncmp(res, f->resources[i], n) == 0) return true;
    }
    return false;
}

static authz_status check_filter(const authz_grant_filter *f, authz_error *err) {
    if (!f) return AUTHZ_OK;
    if (f->type && !authz_resource_type_name(*f->type))
        return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "resourceType", -1,
                           "invalid resourceType");
    if (f->resource_count > 50)
        return authz__fail(err, AUTHZ_ELIMIT, AUTHZ_OBJ_NONE, "resourceList", -1,
                           "resourceList must have at most 50 items");
    for (size_t i = 0; i < f->resource_count; i++)
        if (!f->resources || !f->resources[i])
            return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "resourceList", (int32_t)i,
                               "missing resource");
    return AUTHZ_OK;
}

/* ---- one grant as a result ---- */

static void emit_grant(const authz_engine *e, authz__out *o, authz_grant *dst,
                       const authz__gslot *s, bool with_actions) {
    const authz__grant_rec *r = &e->grants.recs[s->rec];
    const authz__ns *ns = authz__ns_by_oid(e, r->ns);
    const authz__resource *res = authz__map_getp(&ns->resources, r->code);
    const char *rs = authz__out_str(o, authz__str(e, r->res));
    const char *desc = authz__out_str(o, res ? res->description : "");
    const char *api = authz__out_str(o, res ? res->api_identifier : "");
    AUTHZ__SET(dst, resource, rs);
    AUTHZ__SET(dst, type, (authz_resource_type)r->type);
    AUTHZ__SET(dst, description, desc);
    AUTHZ__SET(dst, api_identifier, api);
    if (!with_actions) return;
    size_t n = authz__grant_count_actions(e, s);
    const char **acts = authz__out_take(o, n * sizeof *acts);
    authz__grant_emit_actions(e, s, o, acts);
    AUTHZ__SET(dst, action_count, n);
    AUTHZ__SET(dst, actions, acts);
}

/* ---- a target's direct grants ---- */

typedef struct target_ctx {
    const authz_engine *e;
    uint32_t ns, target;
    const authz_grant_filter *f;
} target_ctx;

static void emit_target_grants(authz__out *o, const void *ctx) {
    const target_ctx *c = ctx;
    const authz__grants *g = &c->e->grants;
    size_t n = 0;
    uint32_t head = c->target ? authz__grant_tlist_head(g, c->ns, c->target) : 0;
    for (uint32_t r = head; r; r = g->recs[r].tnext) n += filter_keeps(c->e, c->f, &g->recs[r]);
    authz_grant_list *l = authz__out_take(o, sizeof *l);
    authz_grant *items = authz__out_take(o, n * sizeof *items);
    AUTHZ__SET(l, total_count, n);
    AUTHZ__SET(l, count, n);
    AUTHZ__SET(l, items, items);
    size_t k = 0;
    for (uint32_t r = head; r; r = g->recs[r].tnext) {
        const authz__grant_rec *rec = &g->recs[r];
        if (!filter_keeps(c->e, c->f, rec)) continue;
        const authz__gslot *s = authz__grant_find(g, rec->ns, rec->target, rec->res);
        emit_grant(c->e, o, items ? &items[k] : NULL, s, true);
        k++;
    }
}

static authz_status resolve_target(const authz_engine *e, const authz__ns *ns,
                                   authz_target_type type, const char *id, uint32_t *target,
                                   authz_error *err) {
    *target = 0;
    authz_status st;
    if (type == AUTHZ_TARGET_ROLE) {
        authz__role *r;
        st = authz__role_resolve(e, authz__str(e, ns->code), id, "targetIdentifier", -1, &r, err);
        if (!st) *target = authz__target(type, r->oid);
        return st;
    }
    if (type == AUTHZ_TARGET_GROUP) {
        authz__group *g;
        st = authz__group_resolve(e, id, "targetIdentifier", &g, err);
        if (!st) *target = authz__target(type, g->oid);
        return st;
    }
    authz_object obj = type == AUTHZ_TARGET_USER ? AUTHZ_OBJ_USER : AUTHZ_OBJ_DEPARTMENT;
    st = authz__check_ident(err, obj, "targetIdentifier", -1, id);
    const authz__principal *p = st ? NULL : authz__principal_find(e, type, id);
    if (p) *target = authz__target(type, p->id);
    return st;
}

authz_status authz_target_grants(const authz_engine *e, const char *namespace_code,
                                 authz_target_type type, const char *identifier,
                                 const authz_grant_filter *filter, authz_grant_list **out,
                                 authz_error *err) {
    if (!out) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "out", -1, "out is NULL");
    *out = NULL;
    authz_status st = check_filter(filter, err);
    if (!st && !authz_target_type_name(type))
        st = authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "targetType", -1, "invalid targetType");
    if (st) return st;
    authz__rdlock(e);
    authz__ns *ns;
    target_ctx c = {e, 0, 0, filter};
    st = authz__ns_resolve(e, namespace_code, &ns, err);
    if (!st) st = resolve_target(e, ns, type, identifier, &c.target, err);
    if (!st) c.ns = ns->oid;
    if (!st && authz__result_build(&e->mem, emit_target_grants, &c, (void **)out))
        st = authz__nomem(err);
    authz__unlock(e);
    return st;
}

/* ---- a user's union of grants ---- */

/*
 * The union is merged per resource string in the order first met. The principals' grants are
 * collected once, each with its place in the walk, and sorted by (resource string, place): a
 * run of equal strings is one merged grant, led by the grant met first. The runs are then put
 * back in the order their leaders were met. O(n log n) in the user's grant count n (it was a
 * scan per grant and per action before: quadratic).
 */
typedef struct user_ctx {
    const authz_engine *e;
    const authz__principal *u;
    uint32_t ns;
    const authz_grant_filter *f;
    int64_t now;
} user_ctx;

typedef void (*grant_visit)(const user_ctx *c, const authz__gslot *s, void *arg);

static void visit_target(const user_ctx *c, uint32_t target, grant_visit fn, void *arg) {
    const authz__grants *g = &c->e->grants;
    for (uint32_t r = authz__grant_tlist_head(g, c->ns, target); r; r = g->recs[r].tnext) {
        const authz__grant_rec *rec = &g->recs[r];
        if (filter_keeps(c->e, c->f, rec))
            fn(c, authz__grant_find(g, c->ns, target, rec->res), arg);
    }
}

static void visit_roles(const user_ctx *c, const authz__principal *p, grant_visit fn, void *arg) {
    for (size_t i = 0; i < p->assigns.count; i++) {
        const authz__assign *a = p->assigns.items[i];
        if (a->role->ns->oid == c->ns && authz__assign_active(a, c->now))
            visit_target(c, authz__target(AUTHZ_TARGET_ROLE, a->role->oid), fn, arg);
    }
}

/* Every grant of every principal, in the check's principal order. */
static void visit_user(const user_ctx *c, grant_visit fn, void *arg) {
    const authz__principal *u = c->u;
    visit_target(c, authz__target(AUTHZ_TARGET_USER, u->id), fn, arg);
    visit_roles(c, u, fn, arg);
    for (size_t i = 0; i < u->depts.count; i++) visit_roles(c, u->depts.items[i], fn, arg);
    for (size_t i = 0; i < u->groups.count; i++) {
        const authz__group *g = u->groups.items[i];
        visit_target(c, authz__target(AUTHZ_TARGET_GROUP, g->oid), fn, arg);
    }
    for (size_t i = 0; i < u->depts.count; i++) {
        const authz__principal *d = u->depts.items[i];
        visit_target(c, authz__target(AUTHZ_TARGET_DEPARTMENT, d->id), fn, arg);
    }
}

typedef struct met {
    uint32_t res; /* the resource string */
    uint32_t seq; /* its place in the walk */
    const authz__gslot *s;
} met;

typedef struct run {
    uint32_t seq;        /* the leader's place in the walk */
    uint32_t start, len; /* in merge.all */
} run;

typedef struct merge {
    met *all; /* every grant met, then sorted by (res, seq) */
    run *runs;
    size_t n, max, nruns;
} merge;

static void count_grants(const user_ctx *c, const authz__gslot *s, void *arg) {
    (void)c;
    (void)s;
    ((merge *)arg)->max++;
}

static void collect(const user_ctx *c, const authz__gslot *s, void *arg) {
    merge *m = arg;
    m->all[m->n] = (met){c->e->grants.recs[s->rec].res, (uint32_t)m->n, s};
    m->n++;
}

static int cmp_met(const void *a, const void *b) {
    const met *x = a, *y = b;
    if (x->res != y->res) return x->res < y->res ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

static int cmp_run(const void *a, const void *b) {
    const run *x = a, *y = b;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Sorts the grants met into runs of one resource string, the runs in the order first met. */
static void merge_runs(merge *m) {
    qsort(m->all, m->n, sizeof *m->all, cmp_met);
    for (size_t i = 0; i < m->n; i++) {
        if (i > 0 && m->all[i].res == m->all[i - 1].res) {
            m->runs[m->nruns - 1].len++;
            continue;
        }
        m->runs[m->nruns++] = (run){m->all[i].seq, (uint32_t)i, 1};
    }
    qsort(m->runs, m->nruns, sizeof *m->runs, cmp_run);
}

/* Grants on one resource string share its code's action table, so their union is the union
 * of ordinals: one ordinal is held if any grant of the run holds it. */
static bool run_holds(const authz__grants *g, const met *grants, uint32_t len, uint64_t low,
                      uint32_t ord) {
    if (ord < 64) return (low >> ord) & 1u;
    for (uint32_t i = 0; i < len; i++)
        if (authz__bits_test(g, grants[i].s, ord)) return true;
    return false;
}

typedef struct user_emit {
    const user_ctx *c;
    const merge *m;
} user_emit;

static void emit_union_actions(const user_ctx *c, authz__out *o, authz_grant *dst,
                               const met *grants, uint32_t len) {
    const authz__grants *g = &c->e->grants;
    const authz__grant_rec *r = &g->recs[grants[0].s->rec];
    const authz__actab *t = authz__actab_find(c->e, r->ns, r->code);
    uint64_t low = 0;
    for (uint32_t i = 0; i < len; i++) low |= grants[i].s->bits;
    size_t n = 0;
    for (uint32_t ord = 0; ord < t->count; ord++) n += run_holds(g, grants, len, low, ord);
    const char **names = authz__out_take(o, n * sizeof *names);
    for (uint32_t ord = 0, k = 0; ord < t->count; ord++) {
        if (!run_holds(g, grants, len, low, ord)) continue;
        const char *name = authz__out_str(o, authz__str(c->e, t->names[ord]));
        if (names) names[k] = name;
        k++;
    }
    AUTHZ__SET(dst, action_count, n);
    AUTHZ__SET(dst, actions, names);
}

static void emit_user_grants(authz__out *o, const void *ctx) {
    const user_emit *ue = ctx;
    size_t n = ue->m->nruns;
    authz_grant_list *l = authz__out_take(o, sizeof *l);
    authz_grant *items = authz__out_take(o, n * sizeof *items);
    AUTHZ__SET(l, total_count, n);
    AUTHZ__SET(l, count, n);
    AUTHZ__SET(l, items, items);
    for (size_t i = 0; i < n; i++) {
        authz_grant *dst = items ? &items[i] : NULL;
        const run *rn = &ue->m->runs[i];
        const met *grants = &ue->m->all[rn->start];
        emit_grant(ue->c->e, o, dst, grants[0].s, false);
        emit_union_actions(ue->c, o, dst, grants, rn->len);
    }
}

/* The temporary arrays are plain allocations, not engine ones: readers run concurrently and
 * must not touch the engine's counters. */
static void *tmp_alloc(const authz_engine *e, size_t n) {
    return e->mem.a.malloc_fn(e->mem.a.ctx, n ? n : 1);
}

static void tmp_free(const authz_engine *e, void *p) {
    if (p) e->mem.a.free_fn(e->mem.a.ctx, p);
}

authz_status authz_user_grants(const authz_engine *e, const char *namespace_code,
                               const char *user_id, const authz_grant_filter *filter,
                               authz_grant_list **out, authz_error *err) {
    if (!out) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "out", -1, "out is NULL");
    *out = NULL;
    authz_status st = check_filter(filter, err);
    if (!st) st = authz__check_ident(err, AUTHZ_OBJ_USER, "userId", -1, user_id);
    if (st) return st;
    authz__rdlock(e);
    authz__ns *ns;
    user_ctx c = {e, NULL, 0, filter, 0};
    st = authz__ns_resolve(e, namespace_code, &ns, err);
    if (!st) {
        c.ns = ns->oid;
        c.u = authz__principal_find(e, AUTHZ_TARGET_USER, user_id);
        if (!c.u)
            st = authz__fail(err, AUTHZ_ENOTFOUND, AUTHZ_OBJ_USER, "userId", -1,
                             "user not found: %s", user_id);
    }
    merge m = {NULL, NULL, 0, 0, 0};
    if (!st) {
        c.now = authz__now(e);
        visit_user(&c, count_grants, &m);
        m.all = tmp_alloc(e, m.max * sizeof *m.all);
        m.runs = tmp_alloc(e, m.max * sizeof *m.runs);
        if (!m.all || !m.runs) st = authz__nomem(err);
    }
    if (!st) {
        visit_user(&c, collect, &m);
        merge_runs(&m);
        user_emit ue = {&c, &m};
        if (authz__result_build(&e->mem, emit_user_grants, &ue, (void **)out))
            st = authz__nomem(err);
    }
    tmp_free(e, m.all);
    tmp_free(e, m.runs);
    authz__unlock(e);
    return st;
}

/* ---- the targets of a resource string ---- */

typedef struct res_ctx {
    const authz_engine *e;
    uint32_t ns, code, res;
    const authz_target_type *type;
    size_t page, limit;
} res_ctx;

static bool res_keeps(const res_ctx *c, const authz__grant_rec *r) {
    return r->res == c->res && (!c->type || authz__target_type(r->target) == *c->type);
}

static void emit_targets(authz__out *o, const void *ctx) {
    const res_ctx *c = ctx;
    const authz__grants *g = &c->e->grants;
    uint32_t head = c->res ? authz__grant_clist_head(g, c->ns, c->code) : 0;
    size_t total = 0;
    for (uint32_t r = head; r; r = g->recs[r].cnext) total += res_keeps(c, &g->recs[r]);
    size_t start = (c->page - 1) * c->limit;
    size_t count = start >= total ? 0 : total - start;
    if (count > c->limit) count = c->limit;
    authz_target_grant_list *l = authz__out_take(o, sizeof *l);
    authz_target_grant *items = authz__out_take(o, count * sizeof *items);
    AUTHZ__SET(l, total_count, total);
    AUTHZ__SET(l, count, count);
    AUTHZ__SET(l, items, items);
    size_t seen = 0, k = 0;
    for (uint32_t r = head; r && k < count; r = g->recs[r].cnext) {
        const authz__grant_rec *rec = &g->recs[r];
        if (!res_keeps(c, rec) || seen++ < start) continue;
        const authz__gslot *s = authz__grant_find(g, rec->ns, rec->target, rec->res);
        const char *id = authz__out_str(o, authz__target_name(c->e, rec->target));
        size_t n = authz__grant_count_actions(c->e, s);
        const char **acts = authz__out_take(o, n * sizeof *acts);
        authz__grant_emit_actions(c->e, s, o, acts);
        if (items) items[k] = (authz_target_grant){authz__target_type(rec->target), id, n, acts};
        k++;
    }
}

authz_status authz_resource_targets(const authz_engine *e, const char *namespace_code,
                                    const char *resource, const authz_target_type *type,
                                    const authz_page *page, authz_target_grant_list **out,
                                    authz_error *err) {
    if (!out) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "out", -1, "out is NULL");
    *out = NULL;
    res_ctx c = {e, 0, 0, 0, type, 1, 10};
    size_t code_len;
    authz_status st = authz__check_resource_string(err, "resource", -1, resource, &code_len);
    if (!st) st = authz__check_page(err, page, &c.page, &c.limit);
    if (!st && type && !authz_target_type_name(*type))
        st = authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "targetType", -1, "invalid targetType");
    if (st) return st;
    authz__rdlock(e);
    authz__ns *ns;
    st = authz__ns_resolve(e, namespace_code, &ns, err);
    if (!st) {
        c.ns = ns->oid;
        c.res = authz__intern_find(&e->strings, resource, strlen(resource));
        c.code = authz__intern_find(&e->strings, resource, code_len);
        if (!c.code) c.res = 0;
    }
    if (!st && authz__result_build(&e->mem, emit_targets, &c, (void **)out)) st = authz__nomem(err);
    authz__unlock(e);
    return st;
}
