/*
 * diff_driver.c - the engine against the naive model (naive_model.c) on a stream of random
 * operations over a small vocabulary, so that names collide and every rule is met often: every
 * write kind, checks, explains, every read with filters and paging, invalid names, lists at
 * their limit and one over, a moving clock for role windows. Statuses and rendered results must
 * match. The randomness is a parameter: the differential test draws from a seeded generator,
 * the op-sequence fuzzer from its input bytes.
 */
#include "diff_driver.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access/authz_debug.h"
#include "authz.h"
#include "naive_model.h"

bool diff_exhausted;

#define CAP 65536

static diff_rand_fn rand_fn;
static void *rand_ctx;
static int64_t clock_now;
static long ops, mismatches;
static bool directory;     /* the mode of the current run's engine and model, as now */
static long refusals_then; /* the model's directory refusals when the current op began */
static authz_error ee;     /* the engine's error, for the writes directory mode can refuse */

long diff_directory_ops, diff_user_ops, diff_directory_refusals;

static uint32_t rnd(uint32_t n) { return rand_fn(rand_ctx, n); }
#define PICK(arr) ((arr)[rnd(sizeof(arr) / sizeof((arr)[0]))])

static int64_t test_clock(void *ctx) {
    (void)ctx;
    return clock_now;
}

/* ---- the vocabulary ---- */

static const char *const NS[] = {"default", "n1", "n2",      "n1", "",      NULL,
                                 "default", "n2", "default", "n1", "bad ns"};
static const char *const CODES[] = {"r1", "r2", "r3", "r.4",      "r1",
                                    "r2", "r1", "r3", "bad code", "*"};
static const char *const RES[] = {"r1",   "r1:1", "r1:2",  "r1:*", "r2",     "r2:x:y",
                                  "*",    "r3:1", "r.4:7", "r1",   "r2:*",   "r3",
                                  "r1:1", "r2",   "*",     "r1",   "bad res"};
static const char *const ACT[] = {"a", "b", "c", "*", "a", "b", "c", "a", "b", "bad act"};
static const char *const ROLE[] = {"ro1", "ro2", "ro3", "ro1", "ro2", "ro1", "ro3", "bad role"};
static const char *const GROUP[] = {"g1", "g2", "g3", "g1", "g2", "g1", "g3", "bad group"};
static const char *const USER[] = {"u1",
                                   "u2",
                                   "u3",
                                   "u4",
                                   "u5",
                                   "u1",
                                   "u2",
                                   "u3",
                                   "u1",
                                   "u2",
                                   "",
                                   "000000000000000000000001",
                                   "000000000000000000000002"};
static const char *const DEPT[] = {"d1",
                                   "d2",
                                   "d3",
                                   "d1",
                                   "d2",
                                   "d1",
                                   "",
                                   AUTHZ_DEFAULT_ORG_ROOT,
                                   "d00000000000000000000001",
                                   "d00000000000000000000002",
                                   "d00000000000000000000003"};
static const char *const NAME[] = {NULL, "", "Name", "Other", "ro"};

static const authz_page *page(authz_page *p) {
    switch (rnd(12)) {
        case 0:
        case 1:
        case 2:
            return NULL;
        case 3:
        case 4:
            *p = (authz_page){1, 2};
            break;
        case 5:
        case 6:
            *p = (authz_page){2, 2};
            break;
        case 7:
        case 8:
        case 9:
            *p = (authz_page){1, 50};
            break;
        case 10:
            *p = (authz_page){0, 10};
            break;
        default:
            *p = (authz_page){1, 51};
            break;
    }
    return p;
}

/* ---- rendering engine results the model's way ---- */

static void add(char *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(char *out, const char *fmt, ...) {
    size_t len = strlen(out);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out + len, CAP - len, fmt, ap);
    va_end(ap);
}

static void r_ns(char *o, const authz_namespace *x) {
    add(o, "{%s|%s|%s}", x->code, x->name, x->description);
}
static void r_res(char *o, const authz_resource *r) {
    add(o, "{%s|%s|%s|%s|%s|%s|[", r->namespace_code, r->code, authz_resource_type_name(r->type),
        r->name, r->description, r->api_identifier);
    for (size_t i = 0; i < r->action_count; i++)
        add(o, "%s:%s,", r->actions[i].name, r->actions[i].description);
    add(o, "]|L%d}", r->linked_to_tenant);
}
static void r_role(char *o, const authz_role *r) {
    add(o, "{%s|%s|%s|%s|%s|%lld}", r->namespace_code, r->code, r->name, r->description,
        authz_role_status_name(r->status), (long long)r->disable_time);
}
static void r_group(char *o, const authz_group *g) {
    add(o, "{%s|%s|%s|%s}", g->code, g->name, g->description, g->type);
}
static void r_actions(char *o, const char **a, size_t n) {
    add(o, "[");
    for (size_t i = 0; i < n; i++) add(o, "%s,", a[i]);
    add(o, "]");
}

/* ---- comparing ---- */

static long by_status[16], allowed_checks;

static void compare(const char *what, authz_status es, const char *eo, authz_status ms,
                    const char *mo) {
    ops++;
    by_status[es & 15]++;
    if (es == AUTHZ_OK && strcmp(eo, "1") == 0) allowed_checks++;
    if (es == AUTHZ_OK && strncmp(eo, "allowed", 7) == 0) allowed_checks++;
    if (directory) diff_directory_ops++;
    /* A directory refusal is ENOTFOUND about the USER or DEPARTMENT the model names, with its
     * batch item. */
    bool refused = model_directory_refusals() > refusals_then;
    if (refused) diff_directory_refusals++;
    if (refused && ms == AUTHZ_ENOTFOUND && es == AUTHZ_ENOTFOUND &&
        (ee.object != model_refused_object() || ee.item != model_refused_item())) {
        mismatches++;
        if (mismatches <= 10)
            fprintf(stderr,
                    "MISMATCH at op %ld %s:\n  engine refused about object %d item %d (%s)\n  "
                    "model  refused about object %d item %d\n",
                    ops, what, (int)ee.object, (int)ee.item, ee.message,
                    (int)model_refused_object(), model_refused_item());
        return;
    }
    if (es == ms && (es != AUTHZ_OK || strcmp(eo, mo) == 0)) return;
    mismatches++;
    if (mismatches <= 10)
        fprintf(stderr, "MISMATCH at op %ld %s:\n  engine %s %s\n  model  %s %s\n", ops, what,
                authz_status_name(es), es ? "" : eo, authz_status_name(ms), ms ? "" : mo);
}

static char eo[CAP], mo[CAP], what[512];

#define DESCRIBE(...) snprintf(what, sizeof what, __VA_ARGS__)

/* ---- one random operation ---- */

static void op_ns(authz_engine *e, model *m) {
    eo[0] = mo[0] = '\0';
    int k = (int)rnd(7);
    if (k == 0) {
        authz_namespace_spec s[3] = {
            {PICK(NS), PICK(NAME), PICK(NAME)}, {PICK(NS), NULL, NULL}, {"n2", "x", NULL}};
        size_t n = 1 + rnd(3);
        bool batch = rnd(2);
        if (!batch) n = 1;
        DESCRIBE("ns_create %s batch=%d n=%zu", s[0].code ? s[0].code : "NULL", batch, n);
        authz_status es = batch ? authz_namespace_create_batch(e, s, n, NULL)
                                : authz_namespace_create(e, s, NULL, NULL);
        compare(what, es, "", m_ns_create(m, s, n, batch), "");
    } else if (k == 1) {
        authz_namespace_patch p = {PICK(NS), rnd(3) ? NULL : PICK(NS), PICK(NAME), PICK(NAME)};
        authz_namespace *out = NULL;
        DESCRIBE("ns_update %s -> %s", p.code ? p.code : "NULL", p.new_code ? p.new_code : "NULL");
        authz_status es = authz_namespace_update(e, &p, &out, NULL);
        if (!es) r_ns(eo, out);
        authz_free(out);
        compare(what, es, eo, m_ns_update(m, &p, mo, CAP), mo);
    } else if (k == 2) {
        const char *c[3] = {PICK(NS), PICK(NS), PICK(NS)};
        bool batch = rnd(2);
        size_t n = batch ? rnd(4) : 1;
        DESCRIBE("ns_delete %s batch=%d n=%zu", c[0] ? c[0] : "NULL", batch, n);
        if (!batch && rnd(4)) c[0] = rnd(2) ? "n1" : "n2";
        authz_status es = batch ? authz_namespace_delete_batch(e, c, n, NULL)
                                : authz_namespace_delete(e, c[0], NULL);
        compare(what, es, "", m_ns_delete(m, c, n, batch), "");
    } else if (k == 3) {
        const char *code = PICK(NS);
        authz_namespace *out = NULL;
        DESCRIBE("ns_get %s", code ? code : "NULL");
        authz_status es = authz_namespace_get(e, code, &out, NULL);
        if (!es) r_ns(eo, out);
        authz_free(out);
        compare(what, es, eo, m_ns_get(m, code, mo, CAP), mo);
    } else if (k == 4) {
        const char *c[3] = {PICK(NS), PICK(NS), PICK(NS)};
        size_t n = rnd(4);
        authz_namespace_list *l = NULL;
        DESCRIBE("ns_get_batch n=%zu", n);
        authz_status es = authz_namespace_get_batch(e, c, n, &l, NULL);
        if (!es) {
            add(eo, "T=%zu:", l->total_count);
            for (size_t i = 0; i < l->count; i++) r_ns(eo, &l->items[i]);
        }
        authz_free(l);
        compare(what, es, eo, m_ns_get_batch(m, c, n, mo, CAP), mo);
    } else {
        authz_page pg;
        const authz_page *p = page(&pg);
        const char *kw = rnd(3) ? NULL : "n";
        authz_namespace_list *l = NULL;
        DESCRIBE("ns_list kw=%s", kw ? kw : "");
        authz_status es = authz_list_namespaces(e, p, kw, &l, NULL);
        if (!es) {
            add(eo, "T=%zu:", l->total_count);
            for (size_t i = 0; i < l->count; i++) r_ns(eo, &l->items[i]);
        }
        authz_free(l);
        compare(what, es, eo, m_ns_list(m, p, kw, mo, CAP), mo);
    }
}

static void op_res(authz_engine *e, model *m) {
    eo[0] = mo[0] = '\0';
    authz_action_spec acts[4] = {{"a", "A"}, {"b", NULL}, {"c", ""}, {PICK(ACT), NULL}};
    const char *ns = PICK(NS);
    int k = (int)rnd(8);
    if (k == 0) {
        authz_resource_spec s[2] = {{PICK(CODES), (authz_resource_type)rnd(5), PICK(NAME),
                                     PICK(NAME), PICK(NAME), acts + rnd(2), rnd(4)},
                                    {PICK(CODES), AUTHZ_RESOURCE_API, NULL, NULL, NULL, NULL, 0}};
        bool batch = rnd(2);
        size_t n = batch ? rnd(3) : 1;
        DESCRIBE("res_create ns=%s %s batch=%d n=%zu", ns ? ns : "NULL", s[0].code, batch, n);
        authz_status es = batch ? authz_resource_create_batch(e, ns, s, n, NULL)
                                : authz_resource_create(e, ns, s, NULL, NULL);
        compare(what, es, "", m_res_create(m, ns, s, n, batch), "");
    } else if (k == 1) {
        authz_resource_type t = (authz_resource_type)rnd(5);
        authz_resource_patch p = {PICK(CODES),        PICK(NAME),  PICK(NAME),    PICK(NAME),
                                  rnd(2) ? &t : NULL, rnd(2) == 0, acts + rnd(3), rnd(3)};
        authz_resource *out = NULL;
        DESCRIBE("res_update ns=%s %s set_actions=%d", ns ? ns : "NULL", p.code, p.set_actions);
        authz_status es = authz_resource_update(e, ns, &p, &out, NULL);
        if (!es) r_res(eo, out);
        authz_free(out);
        compare(what, es, eo, m_res_update(m, ns, &p, mo, CAP), mo);
    } else if (k == 2) {
        const char *c[3] = {PICK(CODES), PICK(RES), PICK(CODES)};
        bool batch = rnd(2);
        size_t n = batch ? rnd(4) : 1;
        DESCRIBE("res_delete ns=%s %s batch=%d", ns ? ns : "NULL", c[0], batch);
        authz_status es = batch ? authz_resource_delete_batch(e, ns, c, n, NULL)
                                : authz_resource_delete(e, ns, c[0], NULL);
        compare(what, es, "", m_res_delete(m, ns, c, n, batch), "");
    } else if (k == 3) {
        const char *app = PICK(NS), *code = PICK(CODES), *tenant = rnd(2) ? NULL : "t1";
        bool assoc = rnd(3);
        DESCRIBE("tenant %s %s %d", app ? app : "NULL", code, assoc);
        compare(what, authz_resource_associate_tenant(e, app, code, assoc, tenant, NULL), "",
                m_tenant(m, app, code, assoc, tenant), "");
    } else if (k == 4) {
        const char *code = PICK(CODES);
        authz_resource *out = NULL;
        DESCRIBE("res_get %s", code);
        authz_status es = authz_resource_get(e, ns, code, &out, NULL);
        if (!es) r_res(eo, out);
        authz_free(out);
        compare(what, es, eo, m_res_get(m, ns, code, mo, CAP), mo);
    } else if (k == 5) {
        const char *c[3] = {PICK(CODES), PICK(CODES), PICK(RES)};
        size_t n = rnd(4);
        authz_resource_list *l = NULL;
        DESCRIBE("res_get_batch n=%zu", n);
        authz_status es = authz_resource_get_batch(e, ns, c, n, &l, NULL);
        if (!es) {
            add(eo, "T=%zu:", l->total_count);
            for (size_t i = 0; i < l->count; i++) r_res(eo, &l->items[i]);
        }
        authz_free(l);
        compare(what, es, eo, m_res_get_batch(m, ns, c, n, mo, CAP), mo);
    } else {
        authz_page pg;
        const authz_page *p = page(&pg);
        authz_resource_type t = (authz_resource_type)rnd(5);
        const authz_resource_type *tp = rnd(2) ? &t : NULL;
        authz_resource_list *l = NULL;
        DESCRIBE("res_list");
        authz_status es = authz_list_resources(e, ns, tp, p, &l, NULL);
        if (!es) {
            add(eo, "T=%zu:", l->total_count);
            for (size_t i = 0; i < l->count; i++) r_res(eo, &l->items[i]);
        }
        authz_free(l);
        compare(what, es, eo, m_res_list(m, ns, tp, p, mo, CAP), mo);
    }
}

static authz_target target(void) {
    switch (rnd(6)) {
        case 0:
            return (authz_target){AUTHZ_TARGET_DEPARTMENT, PICK(DEPT)};
        case 1:
            return (authz_target){AUTHZ_TARGET_GROUP, "g1"};
        default:
            return (authz_target){AUTHZ_TARGET_USER, PICK(USER)};
    }
}

static void op_role(authz_engine *e, model *m) {
    eo[0] = mo[0] = '\0';
    const char *ns = PICK(NS);
    int k = (int)rnd(9);
    if (k == 0) {
        authz_role_spec s[2] = {
            {ns, PICK(ROLE), PICK(NAME), PICK(NAME), rnd(4) ? 0 : (int64_t)rnd(120)},
            {PICK(NS), PICK(ROLE), NULL, NULL, 0}};
        bool batch = rnd(2);
        size_t n = batch ? rnd(3) : 1;
        DESCRIBE("role_create %s batch=%d n=%zu", s[0].code, batch, n);
        authz_status es =
            batch ? authz_role_create_batch(e, s, n, NULL) : authz_role_create(e, s, NULL, NULL);
        compare(what, es, "", m_role_create(m, s, n, batch), "");
    } else if (k == 1) {
        authz_role_status st = (authz_role_status)rnd(2);
        int64_t dt = rnd(3) ? 0 : (int64_t)rnd(120);
        authz_role_patch p = {
            ns,         PICK(ROLE),          rnd(3) ? NULL : PICK(ROLE), PICK(NAME),
            PICK(NAME), rnd(3) ? NULL : &st, rnd(3) ? NULL : &dt};
        DESCRIBE("role_update %s -> %s", p.code, p.new_code ? p.new_code : "NULL");
        compare(what, authz_role_update(e, &p, NULL), "", m_role_update(m, &p), "");
    } else if (k == 2) {
        const char *c[2] = {PICK(ROLE), PICK(ROLE)};
        size_t n = rnd(3);
        DESCRIBE("role_delete n=%zu %s", n, c[0]);
        compare(what, authz_role_delete_batch(e, ns, c, n, NULL), "", m_role_delete(m, ns, c, n),
                "");
    } else if (k <= 4) {
        authz_target t[3] = {target(), target(), target()};
        size_t nt = 1 + rnd(3);
        authz_role_ref r[2] = {{ns, PICK(ROLE)}, {PICK(NS), PICK(ROLE)}};
        bool batch = rnd(2), revoke = rnd(3) == 0;
        size_t nr = batch ? rnd(3) : 1;
        authz_role_window w = {rnd(2) ? 0 : (int64_t)rnd(100), rnd(2) ? 0 : (int64_t)rnd(150)};
        const authz_role_window *wp = rnd(2) ? &w : NULL;
        DESCRIBE("role_%s %s batch=%d nr=%zu nt=%zu", revoke ? "revoke" : "assign", r[0].code,
                 batch, nr, nt);
        authz_status es;
        if (revoke)
            es = batch ? authz_role_revoke_batch(e, r, nr, t, nt, &ee)
                       : authz_role_revoke(e, ns, r[0].code, t, nt, &ee);
        else
            es = batch ? authz_role_assign_batch(e, r, nr, t, nt, wp, &ee)
                       : authz_role_assign(e, ns, r[0].code, t, nt, wp, &ee);
        if (!batch) r[0].namespace_code = ns;
        compare(what, es, "", m_assign(m, r, nr, batch, t, nt, wp, revoke), "");
    } else if (k == 5) {
        const char *code = PICK(ROLE);
        authz_role *out = NULL;
        DESCRIBE("role_get %s", code);
        authz_status es = authz_role_get(e, ns, code, &out, NULL);
        if (!es) r_role(eo, out);
        authz_free(out);
        compare(what, es, eo, m_role_get(m, ns, code, mo, CAP), mo);
    } else if (k == 6) {
        authz_page pg;
        const authz_page *p = page(&pg);
        const char *kw = rnd(2) ? NULL : "o1";
        authz_role_list *l = NULL;
        DESCRIBE("role_list");
        authz_status es = authz_list_roles(e, ns, kw, p, &l, NULL);
        if (!es) {
            add(eo, "T=%zu:", l->total_count);
            for (size_t i = 0; i < l->count; i++) r_role(eo, &l->items[i]);
        }
        authz_free(l);
        compare(what, es, eo, m_role_list(m, ns, kw, p, mo, CAP), mo);
    } else if (k == 7) {
        authz_page pg;
        const authz_page *p = page(&pg);
        const char *code = PICK(ROLE);
        bool depts = rnd(2);
        authz_assignment_list *l = NULL;
        DESCRIBE("role_%s %s", depts ? "departments" : "members", code);
        authz_status es = depts ? authz_role_list_departments(e, ns, code, p, &l, NULL)
                                : authz_role_list_members(e, ns, code, p, &l, NULL);
        if (!es) {
            add(eo, "T=%zu:", l->total_count);
            for (size_t i = 0; i < l->count; i++)
                add(eo, "%s@%lld-%lld,", l->items[i].identifier, (long long)l->items[i].enable_time,
                    (long long)l->items[i].end_time);
        }
        authz_free(l);
        compare(what, es, eo, m_role_assignees(m, ns, code, depts, p, mo, CAP), mo);
    } else {
        const char *user = PICK(USER);
        authz_role_list *l = NULL;
        DESCRIBE("user_roles %s", user);
        authz_status es = authz_user_roles(e, user, ns, &l, NULL);
        if (!es) {
            add(eo, "T=%zu:", l->total_count);
            for (size_t i = 0; i < l->count; i++) r_role(eo, &l->items[i]);
        }
        authz_free(l);
        compare(what, es, eo, m_user_roles(m, user, ns, mo, CAP), mo);
    }
}

static void r_ids(char *o, const authz_id_list *l) {
    add(o, "T=%zu:", l->total_count);
    for (size_t i = 0; i < l->count; i++) add(o, "%s,", l->items[i]);
}

static void op_group(authz_engine *e, model *m) {
    eo[0] = mo[0] = '\0';
    int k = (int)rnd(11);
    const char *users[3] = {PICK(USER), PICK(USER), PICK(USER)};
    size_t nu = rnd(4);
    if (k == 0) {
        authz_group_spec s[2] = {{PICK(GROUP), PICK(NAME), PICK(NAME), rnd(2) ? "static" : NULL},
                                 {PICK(GROUP), NULL, NULL, NULL}};
        bool batch = rnd(2);
        size_t n = batch ? rnd(3) : 1;
        DESCRIBE("group_create %s batch=%d n=%zu", s[0].code, batch, n);
        authz_status es;
        if (batch) {
            authz_group_list *l = NULL;
            es = authz_group_create_batch(e, s, n, &l, NULL);
            if (!es) {
                add(eo, "T=%zu:", l->total_count);
                for (size_t i = 0; i < l->count; i++) r_group(eo, &l->items[i]);
            }
            authz_free(l);
        } else {
            authz_group *g = NULL;
            es = authz_group_create(e, s, &g, NULL);
            if (!es) r_group(eo, g);
            authz_free(g);
        }
        compare(what, es, eo, m_group_create(m, s, n, batch, mo, CAP), mo);
    } else if (k == 1) {
        authz_group_patch p = {PICK(GROUP), rnd(3) ? NULL : PICK(GROUP), PICK(NAME), PICK(NAME)};
        authz_group *g = NULL;
        DESCRIBE("group_update %s -> %s", p.code, p.new_code ? p.new_code : "NULL");
        authz_status es = authz_group_update(e, &p, &g, NULL);
        if (!es) r_group(eo, g);
        authz_free(g);
        compare(what, es, eo, m_group_update(m, &p, mo, CAP), mo);
    } else if (k == 2) {
        const char *c[2] = {PICK(GROUP), PICK(GROUP)};
        size_t n = rnd(3);
        DESCRIBE("group_delete n=%zu %s", n, c[0]);
        compare(what, authz_group_delete_batch(e, c, n, NULL), "", m_group_delete(m, c, n), "");
    } else if (k <= 4) {
        const char *code = PICK(GROUP);
        bool add_ = rnd(3);
        DESCRIBE("group_%s %s n=%zu", add_ ? "add" : "remove", code, nu);
        authz_status es = add_ ? authz_group_add_members(e, code, users, nu, &ee)
                               : authz_group_remove_members(e, code, users, nu, NULL);
        compare(what, es, "", m_group_members(m, code, users, nu, add_), "");
    } else if (k <= 6) {
        const char *dept = PICK(DEPT);
        bool add_ = rnd(3);
        DESCRIBE("dept_%s %s n=%zu", add_ ? "add" : "remove", dept, nu);
        authz_status es = add_ ? authz_department_add_members(e, dept, users, nu, &ee)
                               : authz_department_remove_members(e, dept, users, nu, NULL);
        compare(what, es, "", m_dept_members(m, dept, users, nu, add_), "");
    } else if (k == 7) {
        const char *d[3] = {PICK(DEPT), PICK(DEPT), PICK(DEPT)};
        const char *user = PICK(USER);
        size_t n = rnd(4);
        DESCRIBE("set_depts %s n=%zu", user, n);
        compare(what, authz_user_set_departments(e, user, d, n, &ee), "",
                m_set_depts(m, user, d, n), "");
    } else if (k == 8) {
        authz_page pg;
        const authz_page *p = page(&pg);
        bool group = rnd(2);
        const char *who = group ? PICK(GROUP) : PICK(DEPT);
        authz_id_list *l = NULL;
        DESCRIBE("list_members %s", who);
        authz_status es = group ? authz_group_list_members(e, who, p, &l, NULL)
                                : authz_department_list_members(e, who, p, &l, NULL);
        if (!es) r_ids(eo, l);
        authz_free(l);
        authz_status ms = group ? m_group_list_members(m, who, p, mo, CAP)
                                : m_dept_list_members(m, who, p, mo, CAP);
        compare(what, es, eo, ms, mo);
    } else if (k == 9) {
        const char *user = PICK(USER);
        DESCRIBE("user_groups/depts %s", user);
        if (rnd(2)) {
            authz_group_list *l = NULL;
            authz_status es = authz_user_groups(e, user, &l, NULL);
            if (!es) {
                add(eo, "T=%zu:", l->total_count);
                for (size_t i = 0; i < l->count; i++) r_group(eo, &l->items[i]);
            }
            authz_free(l);
            compare(what, es, eo, m_user_groups(m, user, mo, CAP), mo);
        } else {
            authz_id_list *l = NULL;
            authz_status es = authz_user_departments(e, user, &l, NULL);
            if (!es) r_ids(eo, l);
            authz_free(l);
            compare(what, es, eo, m_user_depts(m, user, mo, CAP), mo);
        }
    } else {
        authz_page pg;
        const authz_page *p = page(&pg);
        const char *kw = rnd(2) ? NULL : "g1";
        DESCRIBE("group_get/list");
        if (rnd(2)) {
            const char *code = PICK(GROUP);
            authz_group *g = NULL;
            authz_status es = authz_group_get(e, code, &g, NULL);
            if (!es) r_group(eo, g);
            authz_free(g);
            compare(what, es, eo, m_group_get(m, code, mo, CAP), mo);
        } else {
            authz_group_list *l = NULL;
            authz_status es = authz_list_groups(e, kw, p, &l, NULL);
            if (!es) {
                add(eo, "T=%zu:", l->total_count);
                for (size_t i = 0; i < l->count; i++) r_group(eo, &l->items[i]);
            }
            authz_free(l);
            compare(what, es, eo, m_group_list(m, kw, p, mo, CAP), mo);
        }
    }
}

static const char *target_id(authz_target_type t) {
    switch (t) {
        case AUTHZ_TARGET_ROLE:
            return PICK(ROLE);
        case AUTHZ_TARGET_GROUP:
            return PICK(GROUP);
        case AUTHZ_TARGET_DEPARTMENT:
            return PICK(DEPT);
        case AUTHZ_TARGET_USER:
            break;
    }
    return PICK(USER);
}

static void op_grant(authz_engine *e, model *m) {
    eo[0] = mo[0] = '\0';
    const char *ns = PICK(NS);
    const char *acts[6] = {PICK(ACT), PICK(ACT), PICK(ACT), "a", "b", "c"};
    authz_grant_resource r[3];
    for (int i = 0; i < 3; i++)
        r[i] =
            (authz_grant_resource){PICK(RES), acts + rnd(3), rnd(4), (authz_resource_type)rnd(2)};
    const char *ids[2][2];
    authz_grant_item it[2];
    for (int i = 0; i < 2; i++) {
        authz_target_type t = (authz_target_type)rnd(4);
        ids[i][0] = target_id(t), ids[i][1] = target_id(t);
        it[i] = (authz_grant_item){t, ids[i], 1 + rnd(2), r + rnd(2), 1 + rnd(2)};
    }
    size_t n = rnd(10) ? 1 + rnd(2) : 0;
    bool revoke = rnd(3) == 0;
    DESCRIBE("%s ns=%s n=%zu %s:%s %s", revoke ? "revoke" : "authorize", ns ? ns : "NULL", n,
             authz_target_type_name(it[0].target_type), ids[0][0], r[0].resource);
    authz_status es = revoke ? authz_revoke(e, ns, it, n, &ee) : authz_authorize(e, ns, it, n, &ee);
    compare(what, es, "", m_grant(m, ns, it, n, revoke), "");
}

static void op_check(authz_engine *e, model *m) {
    eo[0] = mo[0] = '\0';
    const char *ns = PICK(NS), *user = PICK(USER), *res = PICK(RES), *act = PICK(ACT);
    DESCRIBE("check ns=%s %s %s %s", ns ? ns : "NULL", user, res, act);
    if (rnd(2)) {
        bool ea = false, ma = false;
        authz_status es = authz_check(e, ns, user, res, act, &ea, NULL);
        authz_status ms = m_check(m, ns, user, res, act, &ma);
        snprintf(eo, CAP, "%d", ea);
        snprintf(mo, CAP, "%d", ma);
        compare(what, es, eo, ms, mo);
    } else {
        authz_explanation *x = NULL;
        authz_status es = authz_explain(e, ns, user, res, act, &x, NULL);
        if (!es && !x->allowed) add(eo, "denied");
        if (!es && x->allowed) {
            add(eo, "allowed %s:%s %s ", authz_target_type_name(x->principal_type), x->principal_id,
                x->resource);
            r_actions(eo, x->actions, x->action_count);
        }
        authz_free(x);
        compare(what, es, eo, m_explain(m, ns, user, res, act, mo, CAP), mo);
    }
}

static void r_grants(char *o, const authz_grant_list *l) {
    add(o, "T=%zu:", l->total_count);
    for (size_t i = 0; i < l->count; i++) {
        const authz_grant *g = &l->items[i];
        add(o, "{%s|%s|%s|%s|", g->resource, authz_resource_type_name(g->type), g->description,
            g->api_identifier);
        r_actions(o, g->actions, g->action_count);
        add(o, "}");
    }
}

static void op_reads(authz_engine *e, model *m) {
    eo[0] = mo[0] = '\0';
    const char *ns = PICK(NS);
    authz_resource_type t = (authz_resource_type)rnd(2);
    const char *prefixes[2] = {rnd(2) ? "r1" : "r1:*", PICK(RES)};
    authz_grant_filter f = {rnd(3) ? NULL : &t, prefixes, rnd(3)};
    const authz_grant_filter *fp = rnd(2) ? &f : NULL;
    int k = (int)rnd(3);
    if (k == 0) {
        authz_target_type tt = (authz_target_type)rnd(4);
        const char *id = target_id(tt);
        authz_grant_list *l = NULL;
        DESCRIBE("target_grants %s:%s", authz_target_type_name(tt), id);
        authz_status es = authz_target_grants(e, ns, tt, id, fp, &l, NULL);
        if (!es) r_grants(eo, l);
        authz_free(l);
        compare(what, es, eo, m_target_grants(m, ns, tt, id, fp, mo, CAP), mo);
    } else if (k == 1) {
        const char *user = PICK(USER);
        authz_grant_list *l = NULL;
        DESCRIBE("user_grants %s", user);
        authz_status es = authz_user_grants(e, ns, user, fp, &l, NULL);
        if (!es) r_grants(eo, l);
        authz_free(l);
        compare(what, es, eo, m_user_grants(m, ns, user, fp, mo, CAP), mo);
    } else {
        authz_page pg;
        const authz_page *p = page(&pg);
        const char *res = PICK(RES);
        authz_target_type tt = (authz_target_type)rnd(4);
        const authz_target_type *tp = rnd(2) ? &tt : NULL;
        authz_target_grant_list *l = NULL;
        DESCRIBE("resource_targets %s", res);
        authz_status es = authz_resource_targets(e, ns, res, tp, p, &l, NULL);
        if (!es) {
            add(eo, "T=%zu:", l->total_count);
            for (size_t i = 0; i < l->count; i++) {
                add(eo, "{%s:%s|", authz_target_type_name(l->items[i].type),
                    l->items[i].identifier);
                r_actions(eo, l->items[i].actions, l->items[i].action_count);
                add(eo, "}");
            }
        }
        authz_free(l);
        compare(what, es, eo, m_resource_targets(m, ns, res, tp, p, mo, CAP), mo);
    }
}

/* ---- the user directory ---- */

static const char *const PROFILE[] = {NULL, "", "Alice", "a@example.com", "+86 138", "名字"};
static const char *const USERNAME[] = {NULL, NULL, NULL, NULL, "", "alice", "bob", "carol"};

static void r_user(char *o, const authz_user *u) {
    add(o, "{%s|%s|%s|%s|%s|%lld}", u->user_id, u->username, u->email, u->phone, u->name,
        (long long)u->created_at);
}
static void r_users(char *o, const authz_user_list *l) {
    add(o, "T=%zu:", l->total_count);
    for (size_t i = 0; i < l->count; i++) r_user(o, &l->items[i]);
}

/* An ID to create: mostly the shared vocabulary (so that grants and groups meet listed users),
 * sometimes generated (NULL or ""), sometimes invalid. */
static const char *new_user_id(void) {
    static const char *const more[] = {NULL, NULL, "bad\nid", "u6"};
    return rnd(3) ? PICK(USER) : PICK(more);
}

static void user_create(authz_engine *e, model *m, size_t n) {
    static char longest[258];
    memset(longest, 'x', 257);
    authz_user_spec s[51];
    for (size_t i = 0; i < n; i++) {
        s[i] = (authz_user_spec){new_user_id(), PICK(USERNAME), PICK(PROFILE), PICK(PROFILE),
                                 PICK(PROFILE)};
        if (rnd(40) == 0) s[i].name = longest; /* one byte over */
    }
    authz_user_list *l = NULL;
    DESCRIBE("user_create n=%zu %s", n, n && s[0].user_id ? s[0].user_id : "(generated)");
    authz_status es = authz_user_create_batch(e, s, n, rnd(4) ? &l : NULL, NULL);
    if (!es && l) r_users(eo, l);
    authz_status ms = m_user_create(m, s, n, l ? mo : NULL, CAP);
    authz_free(l);
    compare(what, es, eo, ms, mo);
}

/* Deletes IDs from the vocabulary or, every so often, a page of what the engine lists. */
static void user_delete(authz_engine *e, model *m, bool from_list) {
    static char listed[50][160];
    const char *ids[52] = {PICK(USER), PICK(USER), rnd(2) ? "nobody" : PICK(USER)};
    size_t n = rnd(8) ? 1 + rnd(3) : 0;
    if (from_list) {
        authz_user_list *l = NULL;
        authz_page p = {1, 50};
        if (authz_list_users(e, &p, &l, NULL) == AUTHZ_OK) {
            for (n = 0; n < l->count; n++) {
                snprintf(listed[n], sizeof listed[n], "%s", l->items[n].user_id);
                ids[n] = listed[n];
            }
            if (n == 0) ids[n++] = "nobody";
        }
        authz_free(l);
        if (rnd(10) == 0) ids[n++] = "over the limit"; /* 51 at most, one over */
    }
    DESCRIBE("user_delete n=%zu %s", n, n ? ids[0] : "");
    compare(what, authz_user_delete_batch(e, ids, n, NULL), "", m_user_delete(m, ids, n), "");
}

static void op_user(authz_engine *e, model *m) {
    eo[0] = mo[0] = '\0';
    int k = (int)rnd(7);
    if (k <= 1 && model_listed_count(m) > 100) k = 6; /* keep the model's arrays roomy */
    if (k <= 1) {
        size_t n = rnd(12) ? 1 + rnd(3) : rnd(2) ? 0 : 50 + rnd(2);
        user_create(e, m, n);
    } else if (k == 2 || k == 6) {
        user_delete(e, m, k == 6 || rnd(10) == 0);
    } else if (k == 3) {
        const char *id = PICK(USER);
        authz_user *u = NULL;
        DESCRIBE("user_get %s", id);
        authz_status es = authz_user_get(e, id, &u, NULL);
        if (!es) r_user(eo, u);
        authz_free(u);
        compare(what, es, eo, m_user_get(m, id, mo, CAP), mo);
    } else {
        authz_page pg;
        const authz_page *p = page(&pg);
        authz_user_list *l = NULL;
        DESCRIBE("list_users");
        authz_status es = authz_list_users(e, p, &l, NULL);
        if (!es) r_users(eo, l);
        authz_free(l);
        compare(what, es, eo, m_user_list(m, p, mo, CAP), mo);
    }
    diff_user_ops++;
}

/* ---- organizations and department records ---- */

#define ORG65 "o2345678901234567890123456789012345678901234567890123456789012345" /* one over */
static const char *const ORG[] = {
    AUTHZ_DEFAULT_ORG_CODE, "o1", "o2", AUTHZ_DEFAULT_ORG_CODE, "o1", "", NULL, "bad code", ORG65};
static const char *const PARENT[] = {"root",
                                     AUTHZ_DEFAULT_ORG_ROOT,
                                     "d00000000000000000000001",
                                     "d00000000000000000000002",
                                     "d00000000000000000000003",
                                     "d00000000000000000000004",
                                     "d1",
                                     ""};
static const char *const DNAME[] = {NULL, "", "Dept", "部门", "Org", "Dept", "Team", "Org"};
static const char *const DCODE[] = {NULL, NULL, NULL, "", "c1", "c2", "c1", "bad code"};

static void r_org(char *o, const authz_organization *x) {
    add(o, "{%s|%s|%s|%s|%zu|%d|%lld}", x->code, x->name, x->description, x->root_department_id,
        x->members_count, x->has_children, (long long)x->created_at);
}
static void r_dept(char *o, const authz_department_info *d) {
    add(o, "{%s|%s|%s|%s|%s|%s|%zu|%d|%lld}", d->department_id, d->organization_code,
        d->parent_department_id, d->name, d->code, d->description, d->members_count,
        d->has_children, (long long)d->created_at);
}

/* Departments created lately (their organization and ID, from the engine's answers), so that
 * trees grow deep. */
static char recent[8][2][80];

/* A department ID to name, and in *org mostly its own organization. */
static const char *some_dept(const char **org) {
    char(*r)[80] = recent[rnd(8)];
    *org = rnd(4) ? PICK(ORG) : AUTHZ_DEFAULT_ORG_CODE;
    if (!rnd(2) || !r[1][0]) return PICK(PARENT);
    if (rnd(4)) *org = r[0];
    return r[1];
}

/* Deletes the first department under some organization's root, so that records stay few. */
static void dept_prune(authz_engine *e, model *m) {
    static char org[160], id[160];
    authz_organization_list *l = NULL;
    authz_page p = {1, 50};
    org[0] = id[0] = '\0';
    if (authz_list_organizations(e, &p, NULL, &l, NULL) == AUTHZ_OK) {
        for (size_t i = 0; i < l->count && !id[0]; i++) {
            authz_department_list *c = NULL;
            if (authz_department_children(e, l->items[i].code, "root", &c, NULL) == AUTHZ_OK &&
                c->count) {
                snprintf(org, sizeof org, "%s", l->items[i].code);
                snprintf(id, sizeof id, "%s", c->items[0].department_id);
            }
            authz_free(c);
        }
    }
    authz_free(l);
    DESCRIBE("department_delete (prune) %s %s", org, id);
    compare(what, authz_department_delete(e, org, id, NULL), "", m_dept_delete(m, org, id), "");
}

static void op_org(authz_engine *e, model *m) {
    eo[0] = mo[0] = '\0';
    int k = (int)rnd(8);
    if (k == 0 && model_org_count(m) > 12) k = 1;
    if (k == 7 && model_dept_records(m) <= 60) k = 2; /* prune only when records are many */
    if (k == 2 && model_dept_records(m) > 60) k = 7;
    if (k == 0) {
        authz_organization_spec s = {rnd(4) ? PICK(ORG) : NULL, PICK(DNAME), PICK(PROFILE)};
        authz_organization *o = NULL;
        DESCRIBE("organization_create %s", s.code ? s.code : "(generated)");
        authz_status es = authz_organization_create(e, &s, rnd(4) ? &o : NULL, NULL);
        if (!es && o) r_org(eo, o);
        authz_status ms = m_org_create(m, &s, o ? mo : NULL, CAP);
        authz_free(o);
        compare(what, es, eo, ms, mo);
    } else if (k == 1) {
        authz_page pg;
        const authz_page *p = page(&pg);
        static const char *const kw[] = {NULL, "", "o1", "root", "org-", "Dept"};
        const char *w = PICK(kw);
        authz_organization_list *l = NULL;
        DESCRIBE("list_organizations %s", w ? w : "NULL");
        authz_status es = authz_list_organizations(e, p, w, &l, NULL);
        if (!es) {
            add(eo, "T=%zu:", l->total_count);
            for (size_t i = 0; i < l->count; i++) r_org(eo, &l->items[i]);
        }
        authz_free(l);
        compare(what, es, eo, m_org_list(m, p, w, mo, CAP), mo);
    } else if (k <= 3) {
        authz_department_spec s = {NULL, NULL, PICK(DNAME), PICK(DCODE), PICK(PROFILE)};
        s.parent_department_id = some_dept(&s.organization_code);
        authz_department_info *d = NULL;
        DESCRIBE("department_create %s %s", s.organization_code ? s.organization_code : "NULL",
                 s.parent_department_id);
        authz_status es = authz_department_create(e, &s, rnd(4) ? &d : NULL, NULL);
        if (!es && d) r_dept(eo, d);
        authz_status ms = m_dept_create(m, &s, d ? mo : NULL, CAP);
        if (!es && d) { /* after the model has read the spec, which may point into `recent` */
            char(*slot)[80] = recent[rnd(8)];
            snprintf(slot[0], sizeof slot[0], "%s", d->organization_code);
            snprintf(slot[1], sizeof slot[1], "%s", d->department_id);
        }
        authz_free(d);
        compare(what, es, eo, ms, mo);
    } else if (k <= 5) {
        const char *org, *id = some_dept(&org);
        if (!rnd(3)) id = PICK(DEPT);
        DESCRIBE("department_%s %s %s", k == 4 ? "get" : "children", org ? org : "NULL", id);
        if (k == 4) {
            authz_department_info *d = NULL;
            authz_status es = authz_department_get(e, org, id, &d, NULL);
            if (!es) r_dept(eo, d);
            authz_free(d);
            compare(what, es, eo, m_dept_get(m, org, id, mo, CAP), mo);
        } else {
            authz_department_list *l = NULL;
            authz_status es = authz_department_children(e, org, id, &l, NULL);
            if (!es) {
                add(eo, "T=%zu:", l->total_count);
                for (size_t i = 0; i < l->count; i++) r_dept(eo, &l->items[i]);
            }
            authz_free(l);
            compare(what, es, eo, m_dept_children(m, org, id, mo, CAP), mo);
        }
    } else if (k == 6) {
        const char *org, *id = some_dept(&org);
        DESCRIBE("department_delete %s %s", org ? org : "NULL", id);
        compare(what, authz_department_delete(e, org, id, NULL), "", m_dept_delete(m, org, id), "");
    } else {
        dept_prune(e, m);
    }
    diff_user_ops++;
}

/* Lists at their documented limit and one over it. */
static void op_limits(authz_engine *e, model *m) {
    static char names[120][16];
    static const char *many[120];
    static authz_namespace_spec nss[60];
    static authz_role_spec roles[60];
    static authz_group_spec groups[60];
    static authz_target targets[60];
    static authz_role_ref refs[12];
    for (int i = 0; i < 120; i++) {
        snprintf(names[i], sizeof names[i], "x%d", i);
        many[i] = names[i];
    }
    for (int i = 0; i < 60; i++) {
        nss[i] = (authz_namespace_spec){many[i], NULL, NULL};
        roles[i] = (authz_role_spec){NULL, many[i], NULL, NULL, 0};
        groups[i] = (authz_group_spec){many[i], NULL, NULL, NULL};
        targets[i] = (authz_target){AUTHZ_TARGET_USER, many[i]};
    }
    for (int i = 0; i < 12; i++) refs[i] = (authz_role_ref){NULL, "ro1"};
    bool over = rnd(2);
    size_t n50 = over ? 51 : 50, n10 = over ? 11 : 10, n100 = over ? 101 : 100;
    eo[0] = mo[0] = '\0';
    int k = (int)rnd(8);
    DESCRIBE("limits op %d over=%d", k, over);
    const char *acts[60];
    for (int i = 0; i < 60; i++) acts[i] = i % 2 ? "a" : "b";
    authz_grant_resource r = {"r1", acts, n50, AUTHZ_RESOURCE_DATA};
    authz_grant_item item = {AUTHZ_TARGET_USER, many, k == 4 ? n100 : 1, &r, 1};
    authz_grant_item items[12];
    for (int i = 0; i < 12; i++) items[i] = item;
    switch (k) {
        case 0:
            compare(what, authz_namespace_create_batch(e, nss, n50, NULL), "",
                    m_ns_create(m, nss, n50, true), "");
            break;
        case 1:
            compare(what, authz_role_create_batch(e, roles, n50, NULL), "",
                    m_role_create(m, roles, n50, true), "");
            break;
        case 2:
            compare(what, authz_group_create_batch(e, groups, n50, NULL, NULL), "",
                    m_group_create(m, groups, n50, true, NULL, 0), "");
            break;
        case 3:
            compare(what, authz_group_add_members(e, "g1", many, n50, &ee), "",
                    m_group_members(m, "g1", many, n50, true), "");
            break;
        case 4:
            compare(what, authz_authorize(e, NULL, items, 1, &ee), "",
                    m_grant(m, NULL, items, 1, false), "");
            break;
        case 5:
            compare(what, authz_authorize(e, NULL, items, n10, &ee), "",
                    m_grant(m, NULL, items, n10, false), "");
            break;
        case 6:
            compare(what, authz_role_assign(e, NULL, "ro1", targets, n50, NULL, &ee), "",
                    m_assign(m, refs, 1, false, targets, n50, NULL, false), "");
            break;
        default:
            compare(what, authz_role_assign_batch(e, refs, n10, targets, n10, NULL, &ee), "",
                    m_assign(m, refs, n10, true, targets, n10, NULL, false), "");
            break;
    }
}

long diff_run(diff_rand_fn r, void *ctx, long n, bool strict, bool user_directory,
              long *mismatches_out) {
    rand_fn = r, rand_ctx = ctx;
    ops = mismatches = 0;
    clock_now = 0;
    memset(recent, 0, sizeof recent);
    authz_options opt;
    authz_options_init(&opt);
    opt.clock = test_clock;
    opt.strict = strict;
    opt.user_directory = directory = user_directory;
    authz_engine *e;
    if (authz_engine_new(&opt, &e) != AUTHZ_OK) abort();
    model_set_strict(strict);
    model *m = model_new();
    model_set_directory(m, directory);
    for (long i = 0; i < n; i++) {
        if (rnd(20) == 0) clock_now += rnd(40);
        model_set_now(m, clock_now);
        if (rnd(500) == 0) { /* the mode changes only what later writes accept */
            directory = !directory;
            authz_set_user_directory(e, directory);
            model_set_directory(m, directory);
        }
        refusals_then = model_directory_refusals();
        memset(&ee, 0, sizeof ee);
        switch (rnd(12)) {
            case 0:
                if (rnd(20) == 0)
                    op_limits(e, m);
                else
                    op_ns(e, m);
                break;
            case 1:
                op_res(e, m);
                break;
            case 2:
            case 3:
                op_role(e, m);
                break;
            case 4:
                op_group(e, m);
                break;
            case 5:
            case 6:
                op_grant(e, m);
                break;
            case 7:
            case 8:
                op_check(e, m);
                break;
            case 10:
                op_user(e, m);
                break;
            case 11:
                op_org(e, m);
                break;
            default:
                op_reads(e, m);
                break;
        }
        m_settle(m);
        if (i % 1000 == 999) {
            char why[256];
            if (!authz__check_invariants(e, why, sizeof why)) {
                mismatches++;
                fprintf(stderr, "invariant broken at op %ld: %s\n", ops, why);
            }
        }
        if (mismatches > 10 || diff_exhausted) break;
    }
    model_free(m);
    authz_engine_free(e);
    *mismatches_out = mismatches;
    return ops;
}

void diff_report(void) {
    printf(
        "differential: statuses OK %ld EINVAL %ld ELIMIT %ld ENOTFOUND %ld EEXIST %ld ERULE %ld; "
        "%ld checks allowed\n",
        by_status[AUTHZ_OK], by_status[AUTHZ_EINVAL], by_status[AUTHZ_ELIMIT],
        by_status[AUTHZ_ENOTFOUND], by_status[AUTHZ_EEXIST], by_status[AUTHZ_ERULE],
        allowed_checks);
}
