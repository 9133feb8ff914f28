/*
 * digest.c - the canonical text of the logical state, its digest, and the invariant checker
 * (authz_debug.h). Canonical means: objects in their listing order, users and departments
 * sorted by ID, grants per namespace by code then by target, actions in ordinal order. Nothing
 * that is only layout (hash slots, oids, spare capacity, unused interned strings) appears.
 */
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "access/authz_debug.h"
#include "access/read.h"
#include "model/engine.h"
#include "model/view.h"

static const char *s_or(const char *s) { return s ? s : ""; }

static void dump_assigns(const authz_engine *e, FILE *f, const authz__vec *v) {
    for (size_t i = 0; i < v->count; i++) {
        const authz__assign *a = v->items[i];
        fprintf(f, "  assign %s/%s %s:%s %lld %lld\n", authz__str(e, a->role->ns->code),
                authz__str(e, a->role->code), authz_target_type_name(a->who->kind),
                authz__str(e, a->who->id), (long long)a->enable_time, (long long)a->end_time);
    }
}

static void dump_grant(const authz_engine *e, FILE *f, const authz__grant_rec *r) {
    const authz__gslot *s = authz__grant_find(&e->grants, r->ns, r->target, r->res);
    const authz__actab *t = authz__actab_find(e, r->ns, r->code);
    fprintf(f, "  grant %s:%s %s %s [", authz_target_type_name(authz__target_type(r->target)),
            authz__target_name(e, r->target), authz__str(e, r->res),
            authz_resource_type_name((authz_resource_type)r->type));
    for (uint32_t o = 0; s && t && o < t->count; o++)
        if (authz__bits_test(&e->grants, s, o)) fprintf(f, " %s", authz__str(e, t->names[o]));
    fprintf(f, " ]\n");
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Keys of a map as their strings, sorted. The caller frees the array. */
static const char **sorted_names(const authz_engine *e, const authz__map *m, size_t *n) {
    const char **names = malloc((m->count + 1) * sizeof *names);
    if (!names) abort();
    const authz__map_slot *s;
    *n = 0;
    for (size_t i = 0; authz__map_next(m, &i, &s);) names[(*n)++] = authz__str(e, (uint32_t)s->key);
    qsort(names, *n, sizeof *names, cmp_str);
    return names;
}

static void dump_ns_grants(const authz_engine *e, FILE *f, const authz__ns *ns) {
    size_t n;
    const char **codes = sorted_names(e, &ns->actabs, &n);
    for (size_t i = 0; i < n; i++) {
        uint32_t code = authz__intern_find(&e->strings, codes[i], strlen(codes[i]));
        const authz__actab *t = authz__actab_find(e, ns->oid, code);
        fprintf(f, " code %s actions", codes[i]);
        for (uint32_t o = 0; o < t->count; o++) fprintf(f, " %s", authz__str(e, t->names[o]));
        fprintf(f, "\n");
        const authz__grants *g = &e->grants;
        for (uint32_t r = authz__grant_clist_head(g, ns->oid, code); r; r = g->recs[r].cnext)
            dump_grant(e, f, &g->recs[r]);
    }
    free(codes);
}

static void dump_namespace(const authz_engine *e, FILE *f, const authz__ns *ns) {
    fprintf(f, "namespace %s name=%s desc=%s\n", authz__str(e, ns->code), s_or(ns->name),
            s_or(ns->description));
    for (size_t i = 0; i < ns->resource_order.count; i++) {
        const authz__resource *r = ns->resource_order.items[i];
        fprintf(f, " resource %s %s name=%s desc=%s api=%s\n", authz__str(e, r->code),
                authz_resource_type_name(r->type), s_or(r->name), s_or(r->description),
                s_or(r->api_identifier));
        for (size_t a = 0; a < r->action_count; a++)
            fprintf(f, "  action %s %s\n", authz__str(e, r->actions[a].name),
                    s_or(r->actions[a].description));
        for (size_t k = 0; k < r->tenants.count; k++)
            fprintf(f, "  tenant %s\n", (const char *)r->tenants.items[k]);
    }
    for (size_t i = 0; i < ns->role_order.count; i++) {
        const authz__role *r = ns->role_order.items[i];
        fprintf(f, " role %s name=%s desc=%s %s %lld\n", authz__str(e, r->code), s_or(r->name),
                s_or(r->description), authz_role_status_name(r->status),
                (long long)r->disable_time);
        dump_assigns(e, f, &r->assigns);
    }
    dump_ns_grants(e, f, ns);
}

/* The (ns, target) lists fix each target's grant order, which the clists alone do not. */
static void dump_target_orders(const authz_engine *e, FILE *f) {
    const authz__grants *g = &e->grants;
    size_t n = 0;
    char **lines = malloc((g->tlists.count + 1) * sizeof *lines);
    if (!lines) abort();
    const authz__map_slot *s;
    for (size_t i = 0; authz__map_next(&g->tlists, &i, &s);) {
        char *buf = NULL;
        size_t len = 0;
        FILE *m = open_memstream(&buf, &len);
        uint32_t head = (uint32_t)s->value;
        const authz__grant_rec *h = &g->recs[head];
        fprintf(m, "order %s %s:%s", authz__str(e, authz__ns_by_oid(e, h->ns)->code),
                authz_target_type_name(authz__target_type(h->target)),
                authz__target_name(e, h->target));
        for (uint32_t r = head; r; r = g->recs[r].tnext)
            fprintf(m, " %s", authz__str(e, g->recs[r].res));
        fclose(m);
        lines[n++] = buf;
    }
    qsort(lines, n, sizeof *lines, cmp_str);
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "%s\n", lines[i]);
        free(lines[i]);
    }
    free(lines);
}

static void dump_principals(const authz_engine *e, FILE *f, const authz__map *m) {
    size_t n;
    const char **ids = sorted_names(e, m, &n);
    for (size_t i = 0; i < n; i++) {
        uint32_t id = authz__intern_find(&e->strings, ids[i], strlen(ids[i]));
        const authz__principal *p = authz__map_getp(m, id);
        fprintf(f, "%s %s\n", authz_target_type_name(p->kind), ids[i]);
        for (size_t k = 0; k < p->groups.count; k++)
            fprintf(f, "  in-group %s\n",
                    authz__str(e, ((authz__group *)p->groups.items[k])->code));
        for (size_t k = 0; k < p->depts.count; k++)
            fprintf(f, "  in-dept %s\n",
                    authz__str(e, ((authz__principal *)p->depts.items[k])->id));
        for (size_t k = 0; k < p->members.count; k++)
            fprintf(f, "  member %s\n",
                    authz__str(e, ((authz__principal *)p->members.items[k])->id));
        dump_assigns(e, f, &p->assigns);
    }
    free(ids);
}

void authz__dump(const authz_engine *e, FILE *f) {
    for (size_t i = 0; i < e->ns_order.count; i++) dump_namespace(e, f, e->ns_order.items[i]);
    for (size_t i = 0; i < e->group_order.count; i++) {
        const authz__group *g = e->group_order.items[i];
        fprintf(f, "group %s name=%s desc=%s type=%s\n", authz__str(e, g->code), s_or(g->name),
                s_or(g->description), s_or(g->type));
        for (size_t k = 0; k < g->members.count; k++)
            fprintf(f, "  member %s\n",
                    authz__str(e, ((authz__principal *)g->members.items[k])->id));
    }
    dump_principals(e, f, &e->users);
    dump_principals(e, f, &e->depts);
    /* The directory, oldest first. created_at is left out: a journal replays with its own clock. */
    fprintf(f, "directory next-id %llu\n", (unsigned long long)e->dir.next_id);
    for (size_t i = 0; i < e->dir.order.count; i++) {
        const authz__profile *u = e->dir.order.items[i];
        fprintf(f, "listed %s username=%s email=%s phone=%s name=%s\n", authz__str(e, u->p->id),
                s_or(u->username), s_or(u->email), s_or(u->phone), s_or(u->name));
    }
    /* Organizations and department records, by creation (only once any was made, so an engine
     * without them digests as before). */
    if (e->dir.next_dept)
        fprintf(f, "directory next-dept %llu\n", (unsigned long long)e->dir.next_dept);
    for (size_t i = 0; i < e->dir.orgs.count; i++) {
        const authz__org *o = e->dir.orgs.items[i];
        fprintf(f, "org %s name=%s desc=%s root=%s\n", o->code, o->name, s_or(o->description),
                o->root);
    }
    for (size_t i = 0; i < e->dir.depts.count; i++) {
        const authz__dept *d = e->dir.depts.items[i];
        fprintf(f, "dept %s org=%s parent=%s name=%s code=%s desc=%s\n", authz__str(e, d->p->id),
                d->org, d->parent, d->name, s_or(d->code), s_or(d->description));
    }
    dump_target_orders(e, f);
}

uint64_t authz__digest(const authz_engine *e) {
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m) abort();
    authz__dump(e, m);
    fclose(m);
    uint64_t h = XXH3_64bits(buf, len);
    free(buf);
    return h;
}

/* ---- invariants ---- */

#define FAIL(...)                                      \
    do {                                               \
        if (why) snprintf(why, why_size, __VA_ARGS__); \
        return 0;                                      \
    } while (0)

static int check_grants(const authz_engine *e, char *why, size_t why_size) {
    const authz__grants *g = &e->grants;
    size_t slots = 0, listed = 0;
    for (size_t i = 0; g->slots && i <= g->mask; i++) {
        const authz__gslot *s = &g->slots[i];
        if (!s->ns) continue;
        slots++;
        const authz__grant_rec *r = &g->recs[s->rec];
        if (!authz__grant_rec_live(r) || r->ns != s->ns || r->target != s->target ||
            r->res != s->res)
            FAIL("slot %zu does not match its record %u", i, s->rec);
        if (authz__bits_empty(g, s)) FAIL("grant record %u holds no action", s->rec);
        if (!authz__actab_find(e, r->ns, r->code)) FAIL("grant %u has no action table", s->rec);
    }
    if (slots != g->count) FAIL("grant count %zu, slots %zu", g->count, slots);
    const authz__map_slot *ms;
    for (size_t i = 0; authz__map_next(&g->tlists, &i, &ms);) {
        uint32_t prev = 0;
        for (uint32_t r = (uint32_t)ms->value; r; prev = r, r = g->recs[r].tnext) {
            if (g->recs[r].tprev != prev) FAIL("target list broken at %u", r);
            listed++;
        }
        if ((uint32_t)(ms->value >> 32) != prev) FAIL("target list tail wrong");
    }
    if (listed != g->count) FAIL("target lists hold %zu of %zu grants", listed, g->count);
    return 1;
}

/* The user index files only users, each under its key. With full 64-bit keys every user is
 * filed (two IDs with the same 64-bit hash would make this report a false alarm, at odds of
 * about one in 2^64 per pair); with keys cut for tests (authz__debug_user_key_bits) a user whose
 * key another held when it was filed stays out, and is found through the users map. */
static int check_user_index(const authz_engine *e, char *why, size_t why_size) {
    const authz__map_slot *s;
    for (size_t i = 0; e->user_key_mask == UINT64_MAX && authz__map_next(&e->users, &i, &s);) {
        const authz__principal *u = (const authz__principal *)(uintptr_t)s->value;
        if (authz__map_getp(&e->user_index, authz__user_key(e, u->id)) != u->view)
            FAIL("user not in the user index");
    }
    for (size_t i = 0; authz__map_next(&e->user_index, &i, &s);) {
        const authz__view *v = (const authz__view *)(uintptr_t)s->value;
        const authz__principal *u = authz__map_getp(&e->users, v->uid);
        if (!u || u->view != v || authz__user_key(e, u->id) != s->key)
            FAIL("the user index files a view that is not that user's");
    }
    return 1;
}

static int check_members(const authz_engine *e, char *why, size_t why_size) {
    for (size_t i = 0; i < e->group_order.count; i++) {
        const authz__group *g = e->group_order.items[i];
        for (size_t k = 0; k < g->members.count; k++) {
            const authz__principal *u = g->members.items[k];
            if (authz__vec_find(&u->groups, g) == (size_t)-1) FAIL("membership not mirrored");
        }
    }
    const authz__map_slot *s;
    for (size_t i = 0; authz__map_next(&e->users, &i, &s);) {
        const authz__principal *u = (const authz__principal *)(uintptr_t)s->value;
        for (size_t k = 0; k < u->depts.count; k++) {
            const authz__principal *d = u->depts.items[k];
            if (authz__vec_find(&d->members, u) == (size_t)-1) FAIL("department not mirrored");
        }
        for (size_t k = 0; k < u->assigns.count; k++) {
            const authz__assign *a = u->assigns.items[k];
            if (a->who != u || authz__vec_find(&a->role->assigns, a) == (size_t)-1)
                FAIL("assignment not mirrored");
        }
        if (!authz__view_matches(u)) FAIL("user's view differs from the model");
    }
    for (size_t i = 0; authz__map_next(&e->depts, &i, &s);) {
        const authz__principal *d = (const authz__principal *)(uintptr_t)s->value;
        if (!authz__view_matches(d)) FAIL("a department has a view");
    }
    return 1;
}

typedef struct ref_count {
    uint32_t *n;
    uint32_t high;
    int bad; /* a reference to an id that is no live string */
} ref_count;

static void count_ref(void *ctx, uint32_t id) {
    ref_count *c = ctx;
    if (id == 0 || id > c->high || c->n == NULL)
        c->bad = 1;
    else
        c->n[id]++;
}

/* Every string's count is the number of references objects hold, and nothing holds none;
 * every principal is linked and counts the grants that name it. */
static int check_refs(const authz_engine *e, char *why, size_t why_size) {
    ref_count c = {NULL, authz__intern_high(&e->strings), 0};
    c.n = calloc((size_t)c.high + 1, sizeof *c.n);
    if (!c.n) FAIL("out of memory");
    authz__string_refs(e, count_ref, &c);
    uint32_t bad = 0, want = 0, got = 0;
    for (uint32_t id = 1; id <= c.high && !bad; id++) {
        int live = authz__intern_live(&e->strings, id);
        uint32_t have = live ? authz__intern_refs(&e->strings, id) : 0;
        if ((!live && c.n[id]) || (live && (c.n[id] == 0 || have != c.n[id]))) {
            bad = id;
            want = c.n[id];
            got = have;
        }
    }
    free(c.n);
    if (c.bad) FAIL("an object names a string id that is not live");
    if (bad) FAIL("string %u: %u references, counted %u", bad, want, got);
    for (int k = 0; k < 2; k++) {
        const authz__map *m = k ? &e->depts : &e->users;
        const authz__map_slot *s;
        for (size_t i = 0; authz__map_next(m, &i, &s);) {
            const authz__principal *p = (const authz__principal *)(uintptr_t)s->value;
            if (!authz__principal_linked(p)) FAIL("principal %u is linked by nothing", p->id);
            if (p->pending) FAIL("principal %u left pending", p->id);
            uint32_t n = 0, target = authz__target(p->kind, p->id);
            for (size_t j = 0; j < e->ns_order.count; j++) {
                const authz__ns *ns = e->ns_order.items[j];
                for (uint32_t r = authz__grant_tlist_head(&e->grants, ns->oid, target); r;
                     r = e->grants.recs[r].tnext)
                    n++;
            }
            if (n != p->grants) FAIL("principal %u counts %u grants of %u", p->id, p->grants, n);
        }
    }
    return 1;
}

void authz__debug_user_key_bits(unsigned bits) {
    authz__user_key_mask_default = bits && bits < 64 ? (UINT64_C(1) << bits) - 1 : UINT64_MAX;
}

int authz__check_invariants(const authz_engine *e, char *why, size_t why_size) {
    authz__rdlock(e);
    int ok = check_grants(e, why, why_size) && check_members(e, why, why_size) &&
             check_user_index(e, why, why_size) && check_refs(e, why, why_size);
    if (ok && authz__routes_verify(e) != 0) {
        snprintf(why, why_size, "route index out of step with the API resources");
        ok = 0;
    }
    authz__unlock(e);
    return ok;
}

uint64_t authz_digest(const authz_engine *e) {
    authz__rdlock(e);
    uint64_t h = authz__digest(e);
    authz__unlock(e);
    return h;
}
