/*
 * bytes.c - where an engine's bytes go, structure by structure (authz_debug.h). The figures
 * are the sizes the engine asked its allocator for, as authz_get_stats().bytes counts them
 * (not the allocator's own headers and rounding); what no row claims is reported as "other".
 */
#include <string.h>

#include "access/authz_debug.h"
#include "model/engine.h"
#include "model/view.h"

typedef struct row {
    const char *name;
    size_t bytes;
} row;

enum {
    R_SLOTS,
    R_RECS,
    R_EXT,
    R_TLISTS,
    R_CLISTS,
    R_ACTABS,
    R_STRINGS,
    R_STRING_INDEX,
    R_USERS,
    R_DEPTS,
    R_PRINCIPAL_MAPS,
    R_ASSIGNS,
    R_ROLE_ENTRIES,
    R_OBJECTS,
    R_UNDO,
    R_OTHER,
    R_COUNT
};

static size_t map_bytes(const authz__map *m) {
    return m->slots ? (m->mask + 1) * sizeof(authz__map_slot) : 0;
}

static size_t vec_bytes(const authz__vec *v) { return v->cap * sizeof(void *); }

static size_t str_bytes(const char *s) { return s ? strlen(s) + 1 : 0; }

static void principals(const authz__map *m, size_t *own, size_t *assigns, size_t *entries) {
    const authz__map_slot *s;
    for (size_t i = 0; authz__map_next(m, &i, &s);) {
        const authz__principal *p = (const authz__principal *)(uintptr_t)s->value;
        *own += sizeof *p + vec_bytes(&p->groups) + vec_bytes(&p->depts) + vec_bytes(&p->members) +
                vec_bytes(&p->assigns);
        *assigns += p->assigns.count * sizeof(authz__assign);
        if (p->view) *entries += sizeof *p->view + p->view->cap;
    }
}

static size_t actabs(const authz__ns *ns) {
    size_t n = map_bytes(&ns->actabs);
    const authz__map_slot *s;
    for (size_t i = 0; authz__map_next(&ns->actabs, &i, &s);) {
        const authz__actab *t = (const authz__actab *)(uintptr_t)s->value;
        n += sizeof *t + t->cap * sizeof *t->names + ((size_t)t->slot_mask + 1) * sizeof *t->slots;
    }
    return n;
}

static size_t ns_objects(const authz__ns *ns) {
    size_t n = sizeof *ns + str_bytes(ns->name) + str_bytes(ns->description) +
               map_bytes(&ns->resources) + vec_bytes(&ns->resource_order) + map_bytes(&ns->roles) +
               vec_bytes(&ns->role_order);
    for (size_t i = 0; i < ns->resource_order.count; i++) {
        const authz__resource *r = ns->resource_order.items[i];
        n += sizeof *r + str_bytes(r->name) + str_bytes(r->description) +
             str_bytes(r->api_identifier) + r->action_count * sizeof *r->actions +
             vec_bytes(&r->tenants);
        for (size_t a = 0; a < r->action_count; a++) n += str_bytes(r->actions[a].description);
        for (size_t t = 0; t < r->tenants.count; t++) n += str_bytes(r->tenants.items[t]);
    }
    for (size_t i = 0; i < ns->role_order.count; i++) {
        const authz__role *r = ns->role_order.items[i];
        n += sizeof *r + str_bytes(r->name) + str_bytes(r->description) + vec_bytes(&r->assigns);
    }
    return n;
}

void authz__bytes_report(const authz_engine *e, FILE *f) {
    static const char *const names[R_COUNT] = {"grant slots (probe table)",
                                               "grant records",
                                               "grant action words (ext)",
                                               "per-target grant lists",
                                               "per-code grant lists",
                                               "action tables",
                                               "strings (entries)",
                                               "string index (slots, ids, queue)",
                                               "users",
                                               "departments",
                                               "user/department maps",
                                               "role assignments",
                                               "users' views (the check's flat principals)",
                                               "namespaces, resources, roles, groups",
                                               "undo log",
                                               "other"};
    size_t b[R_COUNT] = {0};
    authz__rdlock(e);
    const authz__grants *g = &e->grants;
    b[R_SLOTS] = g->slots ? (g->mask + 1) * sizeof *g->slots : 0;
    b[R_RECS] = (size_t)g->rec_cap * sizeof *g->recs;
    b[R_EXT] = map_bytes(&g->ext);
    const authz__map_slot *ms;
    for (size_t i = 0; authz__map_next(&g->ext, &i, &ms);)
        b[R_EXT] += (*(const uint64_t *)(uintptr_t)ms->value + 1) * sizeof(uint64_t);
    b[R_TLISTS] = map_bytes(&g->tlists);
    b[R_CLISTS] = map_bytes(&g->clists);
    b[R_STRINGS] = authz__intern_bytes(&e->strings, &b[R_STRING_INDEX]);
    principals(&e->users, &b[R_USERS], &b[R_ASSIGNS], &b[R_ROLE_ENTRIES]);
    principals(&e->depts, &b[R_DEPTS], &b[R_ASSIGNS], &b[R_ROLE_ENTRIES]);
    b[R_PRINCIPAL_MAPS] = map_bytes(&e->users) + map_bytes(&e->user_index) + map_bytes(&e->depts);
    for (size_t i = 0; i < e->ns_order.count; i++) {
        b[R_ACTABS] += actabs(e->ns_order.items[i]);
        b[R_OBJECTS] += ns_objects(e->ns_order.items[i]);
    }
    for (size_t i = 0; i < e->group_order.count; i++) {
        const authz__group *gr = e->group_order.items[i];
        b[R_OBJECTS] += sizeof *gr + str_bytes(gr->name) + str_bytes(gr->description) +
                        str_bytes(gr->type) + vec_bytes(&gr->members);
    }
    b[R_OBJECTS] += map_bytes(&e->ns_by_code) + map_bytes(&e->ns_by_oid) + vec_bytes(&e->ns_order) +
                    map_bytes(&e->groups) + map_bytes(&e->group_by_oid) +
                    vec_bytes(&e->group_order) + map_bytes(&e->role_by_oid);
    b[R_UNDO] = e->undo.cap * sizeof *e->undo.items;
    size_t sum = 0;
    for (int i = 0; i < R_OTHER; i++) sum += b[i];
    size_t total = e->mem.live_bytes;
    b[R_OTHER] = total > sum ? total - sum : 0;
    size_t grants = g->count ? g->count : 1;
    fprintf(f, "| structure | bytes | bytes/grant |\n| --- | ---: | ---: |\n");
    for (int i = 0; i < R_COUNT; i++)
        fprintf(f, "| %s | %zu | %.1f |\n", names[i], b[i], (double)b[i] / (double)grants);
    fprintf(f, "| **total** (%zu grants) | %zu | %.1f |\n", g->count, total,
            (double)total / (double)grants);
    authz__unlock(e);
}
