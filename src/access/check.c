/*
 * check.c - the hot path: authz_check, authz_explain and prepared checks.
 *
 * A check turns names into numbers once (query.h), then walks the user's principals in the
 * namespace — the user, its active roles (direct, then through its departments), its groups,
 * its departments, all in the user's one flat view (model/view.h) — and probes the grant index
 * for each principal and each candidate key. It allocates nothing, reads the clock only when
 * some role entry has a window, and holds the read lock throughout, so it sees each write whole
 * or not at all.
 */
#include <stdatomic.h>
#include <string.h>

#include "access/query.h"
#include "access/read.h"
#include "base/error.h"
#include "base/result.h"
#include "base/validate.h"
#include "model/engine.h"
#include "model/view.h"

static void add_candidate(authz__query *q, uint32_t res, const authz__actab *t, uint32_t action) {
    for (uint32_t i = 0; i < q->n; i++)
        if (q->res[i] == res) return;
    q->res[q->n] = res;
    q->ord[q->n] = action ? authz__actab_ordinal(t, action) : UINT32_MAX;
    q->n++;
}

/* The keys of `code` some grant can hold: its instance, `code:*`, `code`. The table's counters
 * say which kinds exist, so most checks skip the instance lookup entirely. `code` and `res` are
 * the interned code and whole resource string (0 if not interned). */
static void code_candidates(authz__query *q, const authz__actab *t, uint32_t code, uint32_t res,
                            uint32_t action) {
    if (res && t->n_inst) add_candidate(q, res, t, action);
    if (t->n_star) add_candidate(q, t->star_res, t, action);
    if (t->n_plain) add_candidate(q, code, t, action);
}

/* The names of a check, looked up together (base/intern.h): the user (optional), the code, the
 * whole resource string when it names an instance, and the action. While the user's ID is
 * looked up, so is its view (model/view.h), in the user index by the same hash (engine.h): the
 * view's miss overlaps the entries' instead of following them. */
typedef struct names {
    const char *s[AUTHZ__INTERN_BATCH];
    size_t len[AUTHZ__INTERN_BATCH];
    uint32_t id[AUTHZ__INTERN_BATCH];
    size_t n;
    int user, code, res, action; /* indexes into the arrays, -1 if not looked up */
    const authz__view *cand;     /* the user index's view for the user's hash, or NULL */
} names;

static int name_add(names *nm, const char *s, size_t len) {
    nm->s[nm->n] = s;
    nm->len[nm->n] = len;
    return (int)nm->n++;
}

static uint32_t name_id(const names *nm, int i) { return i < 0 ? 0 : nm->id[i]; }

/* Looks the names up. The resource is not validated yet, so its code is cut at the first ':' as
 * the validation will cut it (a string it then refuses was only looked up, never used). */
static void names_find(const authz_engine *e, names *nm, const char *user_id, size_t user_len,
                       const char *resource, const char *action) {
    nm->n = 0;
    nm->cand = NULL;
    nm->user = user_id ? name_add(nm, user_id, user_len) : -1;
    nm->code = nm->res = nm->action = -1;
    if (resource && *resource) {
        size_t rlen = strlen(resource);
        const char *colon = memchr(resource, ':', rlen);
        size_t code_len = colon ? (size_t)(colon - resource) : rlen;
        nm->code = name_add(nm, resource, code_len);
        if (colon && strcmp(colon + 1, "*") != 0) nm->res = name_add(nm, resource, rlen);
    }
    if (action) nm->action = name_add(nm, action, strlen(action));
    authz__intern_batch b;
    authz__intern_batch_begin(&e->strings, &b, nm->n, nm->s, nm->len);
    uint64_t key = nm->user < 0 ? 0 : authz__user_key_of_hash(e, b.h[nm->user]);
    if (key) authz__map_prefetch(&e->user_index, key);
    authz__intern_batch_slots(&e->strings, &b);
    if (key && (nm->cand = authz__map_getp(&e->user_index, key))) {
        __builtin_prefetch(nm->cand);
        __builtin_prefetch((const char *)nm->cand + 64);
    }
    authz__intern_batch_end(&e->strings, &b, nm->id);
}

/* Is `action` one a write has validated: a name some candidate's action table holds? ("*",
 * ordinal 0, is left to the validation.) */
static bool action_known(const authz__query *q) {
    for (uint32_t i = 0; i < q->n; i++)
        if (q->ord[i] != UINT32_MAX && q->ord[i] != 0) return true;
    return false;
}

/* Builds the query from the names already found, and validates (resource, action, namespace)
 * only as far as no write did it already: a code some grant of the namespace holds and an
 * action its table knows were validated when they were granted (or loaded), so only the rest
 * of the resource string is checked then. Everything else is validated in full, in the order
 * (resource, action, namespace) that picks the error. */
static authz__ns *find_ns(const authz_engine *e, const names *nm, const char *namespace_code) {
    authz__ns *ns = authz__ns_find(e, namespace_code);
    if (ns) {
        authz__map_prefetch(&ns->actabs, name_id(nm, nm->code));
        authz__map_prefetch(&ns->actabs, e->star);
    }
    return ns;
}

static authz_status resolve_names(const authz_engine *e, const names *nm, authz__ns *ns,
                                  const char *namespace_code, const char *resource,
                                  const char *action, authz__query *q, authz_error *err) {
    uint32_t code = name_id(nm, nm->code), act = name_id(nm, nm->action);
    const authz__actab *t = NULL, *any = NULL;
    if (ns) {
        t = code ? authz__map_getp(&ns->actabs, code) : NULL;
        any = authz__map_getp(&ns->actabs, e->star);
        if (t) __builtin_prefetch(t->slots);
    }
    authz_status st;
    if (t && code != e->star)
        st = authz__check_resource_rest(err, "resource", -1, resource, nm->len[nm->code]);
    else
        st = authz__check_resource_string(err, "resource", -1, resource, &(size_t){0});
    if (st) return st;
    q->n = 0;
    if (t) code_candidates(q, t, code, name_id(nm, nm->res), act);
    if (any && any->n_plain) add_candidate(q, e->star, any, act);
    if (!action_known(q)) st = authz__check_action(err, "action", -1, action);
    if (!st && !ns) st = authz__ns_resolve(e, namespace_code, &ns, err);
    if (st) return st;
    q->ns = ns->oid;
    return AUTHZ_OK;
}

authz_status authz__query_resolve(const authz_engine *e, const char *namespace_code,
                                  const char *resource, const char *action, authz__query *q,
                                  authz_error *err) {
    names nm;
    names_find(e, &nm, NULL, 0, resource, action);
    authz__ns *ns = find_ns(e, &nm, namespace_code);
    return resolve_names(e, &nm, ns, namespace_code, resource, action, q, err);
}

static bool probe(const authz_engine *e, const authz__query *q, uint32_t target, authz__match *m) {
    const authz__grants *g = &e->grants;
    for (uint32_t i = 0; i < q->n; i++) {
        const authz__gslot *s = authz__grant_find(g, q->ns, target, q->res[i]);
        if (s && authz__grant_allows(g, s, q->ord[i])) {
            if (m) *m = (authz__match){target, s};
            return true;
        }
    }
    return false;
}

/* The clock is read at most once per check, and only if a window or disable time needs it. */
typedef struct lazy_now {
    const authz_engine *e;
    int64_t now;
    bool have;
} lazy_now;

static bool entry_live(const authz__role_entry *r, lazy_now *ln) {
    if (authz__role_entry_always(r)) return true;
    if (!ln->have) {
        ln->now = authz__now(ln->e);
        ln->have = true;
    }
    return authz__role_entry_live(r, ln->now);
}

/*
 * The principals of a check, gathered before any grant is probed so that every probe's slot
 * can be prefetched first: in a large index each probe is a memory miss, and issued together
 * they overlap instead of queueing. A user with more principals than fit is probed in two
 * rounds, which changes nothing but speed.
 */
#define AUTHZ__MAX_PRINCIPALS 64

typedef struct principals {
    uint32_t target[AUTHZ__MAX_PRINCIPALS];
    uint32_t n;
} principals;

typedef struct walk {
    const authz_engine *e;
    const authz__query *q;
    authz__match *m;
    principals p;
    lazy_now ln;
    bool found;
} walk;

static void flush(walk *w) {
    const authz__grants *g = &w->e->grants;
    for (uint32_t i = 0; i < w->p.n; i++)
        for (uint32_t k = 0; k < w->q->n; k++)
            authz__grant_prefetch(g, w->q->ns, w->p.target[i], w->q->res[k]);
    for (uint32_t i = 0; i < w->p.n && !w->found; i++)
        w->found = probe(w->e, w->q, w->p.target[i], w->m);
    w->p.n = 0;
}

static void add(walk *w, uint32_t target) {
    if (w->found) return;
    if (w->p.n == AUTHZ__MAX_PRINCIPALS) flush(w);
    w->p.target[w->p.n++] = target;
}

/* The user's principals from its view (model/view.h): the user, its live roles in the query's
 * namespace (its own, then its departments'), its groups, its departments. */
static bool run_view(const authz_engine *e, const authz__query *q, const authz__view *v,
                     authz__match *m) {
    walk w = {.e = e, .q = q, .m = m, .ln = {e, 0, false}};
    add(&w, authz__target(AUTHZ_TARGET_USER, v->uid));
    const authz__role_entry *r = v->roles;
    for (uint32_t i = 0; i < v->nroles; i++)
        if (r[i].ns_oid == q->ns && entry_live(&r[i], &w.ln))
            add(&w, authz__target(AUTHZ_TARGET_ROLE, r[i].role_oid));
    const uint32_t *t = authz__view_plain(v);
    for (uint32_t i = 0; i < v->nplain; i++) add(&w, t[i]);
    flush(&w);
    return w.found;
}

bool authz__query_run(const authz_engine *e, const authz__query *q, const char *user_id,
                      authz__match *m) {
    if (q->n == 0) return false;
    const authz__principal *u = authz__principal_find(e, AUTHZ_TARGET_USER, user_id);
    return u && run_view(e, q, u->view, m);
}

static authz_status check_user(const char *user_id, authz_error *err) {
    return authz__check_ident(err, AUTHZ_OBJ_USER, "userId", -1, user_id);
}

/* The user ID's length when a lookup can use it; 0 when the ID is empty, NULL or too long, and
 * only its validation error is left to give. */
static size_t lookup_len(const char *user_id) {
    size_t n = user_id ? strlen(user_id) : 0;
    return n <= AUTHZ__ID_MAX ? n : 0;
}

/* The view of the check's user: the user index's if it is the one the ID names (the interned id
 * decides), else the user record's (a user whose hash another holds). A user the engine knows was
 * validated when it was first named, so only an unknown ID is validated here: an invalid one
 * gets its error, a valid one is simply not allowed. */
static authz_status find_user(const authz_engine *e, const char *user_id, uint32_t id,
                              const authz__view *cand, const authz__view **v, authz_error *err) {
    const authz__principal *u;
    if (!id)
        *v = NULL;
    else if (cand && cand->uid == id)
        *v = cand;
    else
        *v = (u = authz__map_getp(&e->users, id)) ? u->view : NULL;
    return *v ? AUTHZ_OK : check_user(user_id, err);
}

authz_status authz_check(const authz_engine *e, const char *namespace_code, const char *user_id,
                         const char *resource, const char *action, bool *allowed,
                         authz_error *err) {
    if (!allowed)
        return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "allowed", -1, "allowed is NULL");
    *allowed = false;
    size_t user_len = lookup_len(user_id);
    if (!user_len) return check_user(user_id, err);
    authz__rdlock(e);
    names nm;
    names_find(e, &nm, user_id, user_len, resource, action);
    authz__ns *ns = find_ns(e, &nm, namespace_code);
    const authz__view *v;
    authz_status st = find_user(e, user_id, name_id(&nm, nm.user), nm.cand, &v, err);
    authz__query q;
    if (!st) st = resolve_names(e, &nm, ns, namespace_code, resource, action, &q, err);
    if (!st && v && q.n) *allowed = run_view(e, &q, v, NULL);
    authz__unlock(e);
    return st;
}

/* ---- explain ---- */

typedef struct explain_ctx {
    const authz_engine *e;
    bool allowed;
    authz__match m;
} explain_ctx;

const char *authz__target_name(const authz_engine *e, uint32_t target) {
    uint32_t id = authz__target_id(target);
    switch (authz__target_type(target)) {
        case AUTHZ_TARGET_ROLE:
            return authz__str(e, authz__role_by_oid(e, id)->code);
        case AUTHZ_TARGET_GROUP:
            return authz__str(e, authz__group_by_oid(e, id)->code);
        case AUTHZ_TARGET_USER:
        case AUTHZ_TARGET_DEPARTMENT:
            break;
    }
    return authz__str(e, id);
}

static void emit_explain(authz__out *o, const void *ctx) {
    const explain_ctx *c = ctx;
    authz_explanation *x = authz__out_take(o, sizeof *x);
    AUTHZ__SET(x, allowed, c->allowed);
    if (!c->allowed) return;
    const authz__grant_rec *r = &c->e->grants.recs[c->m.slot->rec];
    const char *who = authz__out_str(o, authz__target_name(c->e, c->m.target));
    const char *res = authz__out_str(o, authz__str(c->e, r->res));
    size_t n = authz__grant_count_actions(c->e, c->m.slot);
    const char **acts = authz__out_take(o, n * sizeof *acts);
    authz__grant_emit_actions(c->e, c->m.slot, o, acts);
    AUTHZ__SET(x, principal_type, authz__target_type(c->m.target));
    AUTHZ__SET(x, principal_id, who);
    AUTHZ__SET(x, resource, res);
    AUTHZ__SET(x, action_count, n);
    AUTHZ__SET(x, actions, acts);
}

authz_status authz_explain(const authz_engine *e, const char *namespace_code, const char *user_id,
                           const char *resource, const char *action, authz_explanation **out,
                           authz_error *err) {
    if (!out) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "out", -1, "out is NULL");
    *out = NULL;
    authz_status st = check_user(user_id, err);
    if (st) return st;
    authz__rdlock(e);
    authz__query q;
    explain_ctx c = {e, false, {0, NULL}};
    st = authz__query_resolve(e, namespace_code, resource, action, &q, err);
    if (!st) c.allowed = authz__query_run(e, &q, user_id, &c.m);
    if (!st && authz__result_build(&e->mem, emit_explain, &c, (void **)out)) st = authz__nomem(err);
    authz__unlock(e);
    return st;
}

/* ---- prepared checks ---- */

/*
 * A handle caches the resolved query for one engine generation. Several threads may share a
 * handle, so the cache is a seqlock over atomics: a reader copies it and keeps the copy only if
 * the sequence did not move; one thread at a time refreshes it. A reader that finds the cache
 * stale or busy resolves into its own stack copy instead, so no check ever waits on another.
 */
struct authz_prepared {
    char *ns, *resource, *action;
    _Atomic uint64_t seq; /* odd while being refreshed */
    _Atomic uint64_t generation;
    _Atomic uint32_t q_ns, q_n, q_res[4], q_ord[4];
};

static bool cache_read(authz_prepared *p, uint64_t gen, authz__query *q) {
    uint64_t s1 = atomic_load_explicit(&p->seq, memory_order_acquire);
    if (s1 & 1u || atomic_load_explicit(&p->generation, memory_order_relaxed) != gen) return false;
    q->ns = atomic_load_explicit(&p->q_ns, memory_order_relaxed);
    q->n = atomic_load_explicit(&p->q_n, memory_order_relaxed);
    for (int i = 0; i < 4; i++) {
        q->res[i] = atomic_load_explicit(&p->q_res[i], memory_order_relaxed);
        q->ord[i] = atomic_load_explicit(&p->q_ord[i], memory_order_relaxed);
    }
    atomic_thread_fence(memory_order_acquire);
    return atomic_load_explicit(&p->seq, memory_order_relaxed) == s1 && q->n <= 4;
}

static void cache_write(authz_prepared *p, uint64_t gen, const authz__query *q) {
    uint64_t s = atomic_load_explicit(&p->seq, memory_order_relaxed);
    if ((s & 1u) || !atomic_compare_exchange_strong(&p->seq, &s, s + 1)) return;
    atomic_thread_fence(memory_order_release);
    atomic_store_explicit(&p->q_ns, q->ns, memory_order_relaxed);
    atomic_store_explicit(&p->q_n, q->n, memory_order_relaxed);
    for (int i = 0; i < 4; i++) {
        atomic_store_explicit(&p->q_res[i], q->res[i], memory_order_relaxed);
        atomic_store_explicit(&p->q_ord[i], q->ord[i], memory_order_relaxed);
    }
    atomic_store_explicit(&p->generation, gen, memory_order_relaxed);
    atomic_store_explicit(&p->seq, s + 2, memory_order_release);
}

typedef struct prep_ctx {
    const char *ns, *resource, *action;
} prep_ctx;

static void emit_prepared(authz__out *o, const void *ctx) {
    const prep_ctx *c = ctx;
    authz_prepared *p = authz__out_take(o, sizeof *p);
    const char *ns = authz__out_str(o, c->ns);
    const char *res = authz__out_str(o, c->resource);
    const char *act = authz__out_str(o, c->action);
    if (!p) return;
    p->ns = (char *)(uintptr_t)ns;
    p->resource = (char *)(uintptr_t)res;
    p->action = (char *)(uintptr_t)act;
    atomic_init(&p->seq, 0);
    atomic_init(&p->generation, UINT64_MAX);
}

authz_status authz_prepare(const authz_engine *e, const char *namespace_code, const char *resource,
                           const char *action, authz_prepared **out, authz_error *err) {
    if (!out) return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "out", -1, "out is NULL");
    *out = NULL;
    authz__rdlock(e);
    authz__query q;
    authz_status st = authz__query_resolve(e, namespace_code, resource, action, &q, err);
    prep_ctx c = {namespace_code ? namespace_code : "", resource, action};
    if (!st && authz__result_build(&e->mem, emit_prepared, &c, (void **)out))
        st = authz__nomem(err);
    if (!st) cache_write(*out, e->generation, &q);
    authz__unlock(e);
    return st;
}

authz_status authz_check_prepared(const authz_engine *e, authz_prepared *p, const char *user_id,
                                  bool *allowed, authz_error *err) {
    if (!allowed || !p)
        return authz__fail(err, AUTHZ_EINVAL, AUTHZ_OBJ_NONE, "prepared", -1, "NULL argument");
    *allowed = false;
    size_t user_len = lookup_len(user_id);
    if (!user_len) return check_user(user_id, err);
    authz__rdlock(e);
    names nm;
    names_find(e, &nm, user_id, user_len, NULL, NULL);
    const authz__view *v;
    authz_status st = find_user(e, user_id, name_id(&nm, nm.user), nm.cand, &v, err);
    authz__query q;
    if (!st && !cache_read(p, e->generation, &q)) {
        st = authz__query_resolve(e, p->ns, p->resource, p->action, &q, err);
        if (!st) cache_write(p, e->generation, &q);
    }
    if (!st && v && q.n) *allowed = run_view(e, &q, v, NULL);
    authz__unlock(e);
    return st;
}
