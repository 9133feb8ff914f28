/*
 * test_limits.c - every array limit of semantics.md §7 as authz.h states it, probed at N
 * (accepted), N+1 (rejected with a 400-class status - authz.h does not say whether EINVAL or
 * ELIMIT, so either is accepted - and the engine unchanged: digest, invariants, live blocks) and
 * at 0 where the range starts at 1 (rejected, unchanged) or at 0 (accepted). Each row runs on a
 * fresh engine with its prerequisites created first. The 4096-distinct-actions-per-code limit,
 * which authz.h names as AUTHZ_ELIMIT, is probed at 4096 and 4097. Prints
 * "limits: N/N as specified".
 */
#include <sys/wait.h>
#include <unistd.h>

#include "unit_helpers.h"

#define POOL 128

/* Four pools of generated names, so one call can hold several distinct lists at once. */
static const char **names(int pool, const char *prefix, size_t n) {
    static char buf[4][POOL][48];
    static const char *ptr[4][POOL];
    assert_true(n <= POOL);
    for (size_t i = 0; i < n; i++) {
        snprintf(buf[pool][i], sizeof buf[pool][i], "%s%zu", prefix, i);
        ptr[pool][i] = buf[pool][i];
    }
    return ptr[pool];
}

static authz_error lerr;

/* ---- the operations, each taking the array length to probe ---- */

static authz_status ns_create_batch(authz_engine *e, size_t n) {
    authz_namespace_spec s[POOL];
    const char **c = names(0, "ns", n);
    for (size_t i = 0; i < n; i++) s[i] = (authz_namespace_spec){c[i], NULL, NULL};
    return authz_namespace_create_batch(e, s, n, &lerr);
}

static authz_status ns_get_batch(authz_engine *e, size_t n) {
    authz_namespace_list *l = NULL;
    authz_status st = authz_namespace_get_batch(e, names(0, "ns", n), n, &l, &lerr);
    authz_free(l);
    return st;
}

static void ns_setup11(authz_engine *e) { OK(ns_create_batch(e, 11)); }

static authz_status ns_delete_batch(authz_engine *e, size_t n) {
    return authz_namespace_delete_batch(e, names(0, "ns", n), n, &lerr);
}

static authz_status res_create_batch(authz_engine *e, size_t n) {
    authz_resource_spec s[POOL];
    const char **c = names(0, "r", n);
    for (size_t i = 0; i < n; i++)
        s[i] = (authz_resource_spec){c[i], AUTHZ_RESOURCE_DATA, NULL, NULL, NULL, NULL, 0};
    return authz_resource_create_batch(e, NULL, s, n, &lerr);
}

static authz_status res_get_batch(authz_engine *e, size_t n) {
    authz_resource_list *l = NULL;
    authz_status st = authz_resource_get_batch(e, NULL, names(0, "r", n), n, &l, &lerr);
    authz_free(l);
    return st;
}

static authz_status res_delete_batch(authz_engine *e, size_t n) {
    return authz_resource_delete_batch(e, NULL, names(0, "r", n), n, &lerr);
}

static void action_specs(authz_action_spec *a, size_t n) {
    const char **c = names(1, "act", n);
    for (size_t i = 0; i < n; i++) a[i] = (authz_action_spec){c[i], NULL};
}

static authz_status res_actions(authz_engine *e, size_t n) {
    authz_action_spec a[POOL];
    action_specs(a, n);
    authz_resource_spec s = {"res", AUTHZ_RESOURCE_DATA, NULL, NULL, NULL, a, n};
    return authz_resource_create(e, NULL, &s, NULL, &lerr);
}

static void res_setup(authz_engine *e) { OK(res_actions(e, 0)); }

static authz_status res_update_actions(authz_engine *e, size_t n) {
    authz_action_spec a[POOL];
    action_specs(a, n);
    authz_resource_patch p = {"res", NULL, NULL, NULL, NULL, true, a, n};
    return authz_resource_update(e, NULL, &p, NULL, &lerr);
}

static authz_status role_create_batch(authz_engine *e, size_t n) {
    authz_role_spec s[POOL];
    const char **c = names(0, "role", n);
    for (size_t i = 0; i < n; i++) s[i] = (authz_role_spec){NULL, c[i], NULL, NULL, 0};
    return authz_role_create_batch(e, s, n, &lerr);
}

static void roles_setup51(authz_engine *e) {
    OK(role_create_batch(e, 50));
    uh_role(e, NULL, "role50");
}

static authz_status role_delete_batch(authz_engine *e, size_t n) {
    return authz_role_delete_batch(e, NULL, names(0, "role", n), n, &lerr);
}

static void targets(authz_target *t, size_t n) {
    const char **c = names(2, "user", n);
    for (size_t i = 0; i < n; i++) t[i] = (authz_target){AUTHZ_TARGET_USER, c[i]};
}

static void role_setup(authz_engine *e) { uh_role(e, NULL, "r"); }

static authz_status role_assign(authz_engine *e, size_t n) {
    authz_target t[POOL];
    targets(t, n);
    return authz_role_assign(e, NULL, "r", t, n, NULL, &lerr);
}

static authz_status role_revoke(authz_engine *e, size_t n) {
    authz_target t[POOL];
    targets(t, n);
    return authz_role_revoke(e, NULL, "r", t, n, &lerr);
}

static void roles_setup11(authz_engine *e) { OK(role_create_batch(e, 11)); }

static void refs(authz_role_ref *r, size_t n) {
    const char **c = names(0, "role", n);
    for (size_t i = 0; i < n; i++) r[i] = (authz_role_ref){NULL, c[i]};
}

static authz_status assign_batch_roles(authz_engine *e, size_t n) {
    authz_role_ref r[POOL];
    authz_target t[1];
    refs(r, n);
    targets(t, 1);
    return authz_role_assign_batch(e, r, n, t, 1, NULL, &lerr);
}

static authz_status assign_batch_targets(authz_engine *e, size_t n) {
    authz_role_ref r[1];
    authz_target t[POOL];
    refs(r, 1);
    targets(t, n);
    return authz_role_assign_batch(e, r, 1, t, n, NULL, &lerr);
}

static authz_status revoke_batch_roles(authz_engine *e, size_t n) {
    authz_role_ref r[POOL];
    authz_target t[1];
    refs(r, n);
    targets(t, 1);
    return authz_role_revoke_batch(e, r, n, t, 1, &lerr);
}

static authz_status revoke_batch_targets(authz_engine *e, size_t n) {
    authz_role_ref r[1];
    authz_target t[POOL];
    refs(r, 1);
    targets(t, n);
    return authz_role_revoke_batch(e, r, 1, t, n, &lerr);
}

static authz_status group_create_batch(authz_engine *e, size_t n) {
    authz_group_spec s[POOL];
    const char **c = names(0, "g", n);
    for (size_t i = 0; i < n; i++) s[i] = (authz_group_spec){c[i], NULL, NULL, NULL};
    return authz_group_create_batch(e, s, n, NULL, &lerr);
}

static authz_status group_delete_batch(authz_engine *e, size_t n) {
    return authz_group_delete_batch(e, names(0, "g", n), n, &lerr);
}

static void group_setup(authz_engine *e) { uh_group(e, "grp"); }

static authz_status group_add(authz_engine *e, size_t n) {
    return authz_group_add_members(e, "grp", names(2, "user", n), n, &lerr);
}

static authz_status group_remove(authz_engine *e, size_t n) {
    return authz_group_remove_members(e, "grp", names(2, "user", n), n, &lerr);
}

static void dept_setup(authz_engine *e) { uh_join_department(e, "dept", "someone"); }

static authz_status dept_add(authz_engine *e, size_t n) {
    return authz_department_add_members(e, "dept", names(2, "user", n), n, &lerr);
}

static authz_status dept_remove(authz_engine *e, size_t n) {
    return authz_department_remove_members(e, "dept", names(2, "user", n), n, &lerr);
}

static authz_status set_departments(authz_engine *e, size_t n) {
    return authz_user_set_departments(e, "user", names(0, "dept", n), n, &lerr);
}

/* authorize/revoke with `items` items x `ids` identifiers x `acts` actions on one resource. */
static authz_status grants(authz_engine *e, bool revoke, size_t items, size_t ids, size_t acts) {
    const char **who = names(2, "user", ids);
    const char **a = names(1, "act", acts);
    authz_grant_resource r = {"books", a, acts, AUTHZ_RESOURCE_DATA};
    authz_grant_item it[POOL];
    for (size_t i = 0; i < items; i++)
        it[i] = (authz_grant_item){AUTHZ_TARGET_USER, who, ids, &r, 1};
    return revoke ? authz_revoke(e, NULL, it, items, &lerr)
                  : authz_authorize(e, NULL, it, items, &lerr);
}

static authz_status authorize_items(authz_engine *e, size_t n) { return grants(e, false, n, 1, 1); }
static authz_status authorize_ids(authz_engine *e, size_t n) { return grants(e, false, 1, n, 1); }
static authz_status authorize_actions(authz_engine *e, size_t n) {
    return grants(e, false, 1, 1, n);
}
static authz_status revoke_items(authz_engine *e, size_t n) { return grants(e, true, n, 1, 1); }
static authz_status revoke_ids(authz_engine *e, size_t n) { return grants(e, true, 1, n, 1); }
static authz_status revoke_actions(authz_engine *e, size_t n) { return grants(e, true, 1, 1, n); }

static void user_setup(authz_engine *e) {
    uh_grant(e, NULL, AUTHZ_TARGET_USER, "user", "books", "read");
}

static authz_status target_grants_filter(authz_engine *e, size_t n) {
    authz_grant_filter f = {NULL, names(0, "books", n), n};
    authz_grant_list *l = NULL;
    authz_status st = authz_target_grants(e, NULL, AUTHZ_TARGET_USER, "user", &f, &l, &lerr);
    authz_free(l);
    return st;
}

static authz_status user_grants_filter(authz_engine *e, size_t n) {
    authz_grant_filter f = {NULL, names(0, "books", n), n};
    authz_grant_list *l = NULL;
    authz_status st = authz_user_grants(e, NULL, "user", &f, &l, &lerr);
    authz_free(l);
    return st;
}

static authz_status list_limit(authz_engine *e, size_t n) {
    authz_page p = {1, (uint32_t)n};
    authz_namespace_list *l = NULL;
    authz_status st = authz_list_namespaces(e, &p, NULL, &l, &lerr);
    authz_free(l);
    return st;
}

static authz_status targets_limit(authz_engine *e, size_t n) {
    authz_page p = {1, (uint32_t)n};
    authz_target_grant_list *l = NULL;
    authz_status st = authz_resource_targets(e, NULL, "books", NULL, &p, &l, &lerr);
    authz_free(l);
    return st;
}

static authz_status members_limit(authz_engine *e, size_t n) {
    authz_page p = {1, (uint32_t)n};
    authz_id_list *l = NULL;
    authz_status st = authz_group_list_members(e, "grp", &p, &l, &lerr);
    authz_free(l);
    return st;
}

static authz_status page_number(authz_engine *e, size_t n) {
    authz_page p = {(uint32_t)n, 10};
    authz_role_list *l = NULL;
    authz_status st = authz_list_roles(e, NULL, NULL, &p, &l, &lerr);
    authz_free(l);
    return st;
}

/* ---- the table and its driver ---- */

typedef struct limit_row {
    const char *what;
    void (*setup)(authz_engine *e);
    authz_status (*op)(authz_engine *e, size_t n);
    size_t min; /* 0 or 1: the smallest accepted length */
    size_t max; /* the largest accepted length; 0: no upper bound to probe */
} limit_row;

static const limit_row rows[] = {
    {"namespace_create_batch specs", NULL, ns_create_batch, 1, 50},
    {"namespace_get_batch codes", NULL, ns_get_batch, 1, 50},
    {"namespace_delete_batch codes", ns_setup11, ns_delete_batch, 1, 10},
    {"resource_create_batch specs", NULL, res_create_batch, 1, 50},
    {"resource_get_batch codes", NULL, res_get_batch, 1, 50},
    {"resource_delete_batch codes", NULL, res_delete_batch, 1, 50},
    {"resource_create actions", NULL, res_actions, 0, 100},
    {"resource_update actions", res_setup, res_update_actions, 0, 100},
    {"role_create_batch specs", NULL, role_create_batch, 1, 50},
    {"role_delete_batch codes", roles_setup51, role_delete_batch, 1, 50},
    {"role_assign targets", role_setup, role_assign, 1, 50},
    {"role_revoke targets", role_setup, role_revoke, 1, 50},
    {"role_assign_batch roles", roles_setup11, assign_batch_roles, 1, 10},
    {"role_assign_batch targets", roles_setup11, assign_batch_targets, 1, 10},
    {"role_revoke_batch roles", roles_setup11, revoke_batch_roles, 1, 10},
    {"role_revoke_batch targets", roles_setup11, revoke_batch_targets, 1, 50},
    {"group_create_batch specs", NULL, group_create_batch, 1, 50},
    {"group_delete_batch codes", NULL, group_delete_batch, 1, 50},
    {"group_add_members users", group_setup, group_add, 1, 50},
    {"group_remove_members users", group_setup, group_remove, 1, 50},
    {"department_add_members users", NULL, dept_add, 1, 50},
    {"department_remove_members users", dept_setup, dept_remove, 1, 50},
    {"user_set_departments ids", NULL, set_departments, 0, 50},
    {"authorize items", NULL, authorize_items, 1, 10},
    {"authorize identifiers", NULL, authorize_ids, 1, 100},
    {"authorize actions", NULL, authorize_actions, 1, 50},
    {"revoke items", NULL, revoke_items, 1, 10},
    {"revoke identifiers", NULL, revoke_ids, 1, 100},
    {"revoke actions", NULL, revoke_actions, 0, 50},
    {"target_grants filter resources", user_setup, target_grants_filter, 0, 50},
    {"user_grants filter resources", user_setup, user_grants_filter, 0, 50},
    {"list_namespaces page limit", NULL, list_limit, 1, 50},
    {"resource_targets page limit", NULL, targets_limit, 1, 50},
    {"group_list_members page limit", group_setup, members_limit, 1, 50},
    {"list_roles page number", NULL, page_number, 1, 0},
};

static size_t problems;

static void complain(const limit_row *r, size_t n, const char *fmt, authz_status st) {
    print_message("LIMIT MISMATCH: %s at %zu: %s (%s, field '%s', message '%s')\n", r->what, n, fmt,
                  authz_status_name(st), lerr.field, lerr.message);
    problems++;
}

/* Runs row `r` with length `n` on a fresh engine; returns true if the outcome is as specified. */
static bool probe(const limit_row *r, size_t n, bool accept) {
    authz_engine *e = uh_engine(false);
    if (r->setup) r->setup(e);
    uh_snapshot before = uh_take(e);
    memset(&lerr, 0, sizeof lerr);
    authz_status st = r->op(e, n);
    bool ok = true;
    if (accept && st != AUTHZ_OK) {
        complain(r, n, "rejected, should be accepted", st);
        ok = false;
    } else if (!accept) {
        uh_snapshot after = uh_take(e);
        if (st == AUTHZ_OK) {
            complain(r, n, "accepted, should be rejected", st);
            ok = false;
        } else if (authz_status_code(st) != 400 || lerr.status != st) {
            complain(r, n, "rejected with a non-400 status or err.status unset", st);
            ok = false;
        } else if (after.digest != before.digest || after.live_blocks != before.live_blocks) {
            complain(r, n, "rejected but the engine changed", st);
            ok = false;
        }
    }
    uh_engine_teardown(e);
    return ok;
}

static bool check_row(const limit_row *r) {
    bool ok = probe(r, r->min == 0 ? 0 : 1, true);
    if (r->min == 1) ok = probe(r, 0, false) && ok;
    if (r->max) {
        ok = probe(r, r->max, true) && ok;
        ok = probe(r, r->max + 1, false) && ok;
    }
    return ok;
}

/* 4096 distinct action names per resource code and namespace, then one more: AUTHZ_ELIMIT. */
static bool check_actions_per_code(void) {
    authz_engine *e = uh_engine(false);
    static char acts[4097][16];
    const char *ptr[50];
    bool ok = true;
    for (size_t base = 0; base < 4096; base += 32) {
        for (size_t i = 0; i < 32; i++) {
            snprintf(acts[base + i], sizeof acts[0], "a%zu", base + i);
            ptr[i] = acts[base + i];
        }
        const char *res = (base / 32) % 2 ? "books:1" : "books"; /* one code, two strings */
        authz_grant_resource r = {res, ptr, 32, AUTHZ_RESOURCE_DATA};
        const char *who = "u";
        authz_grant_item it = {AUTHZ_TARGET_USER, &who, 1, &r, 1};
        authz_status st = authz_authorize(e, NULL, &it, 1, &lerr);
        if (st != AUTHZ_OK) {
            print_message("LIMIT MISMATCH: action %zu of 4096 rejected: %s\n", base,
                          authz_status_name(st));
            ok = false;
            break;
        }
    }
    if (ok) {
        uh_snapshot before = uh_take(e);
        const char *extra = "one-too-many";
        authz_grant_resource r = {"books:2", &extra, 1, AUTHZ_RESOURCE_DATA};
        const char *who = "v";
        authz_grant_item it = {AUTHZ_TARGET_USER, &who, 1, &r, 1};
        memset(&lerr, 0, sizeof lerr);
        authz_status st = authz_authorize(e, NULL, &it, 1, &lerr);
        uh_snapshot after = uh_take(e);
        if (st != AUTHZ_ELIMIT || after.digest != before.digest) {
            print_message("LIMIT MISMATCH: action 4097 of one code: %s (want ELIMIT, unchanged)\n",
                          authz_status_name(st));
            ok = false;
        }
        /* a held action may still be granted to others, and another code is unaffected */
        const char *held = "a7";
        r.actions = &held;
        if (authz_authorize(e, NULL, &it, 1, &lerr) != AUTHZ_OK) ok = false;
        r.resource = "files";
        r.actions = &extra;
        if (authz_authorize(e, NULL, &it, 1, &lerr) != AUTHZ_OK) ok = false;
        if (!ok) print_message("LIMIT MISMATCH: after 4096 actions, held/other-code grants fail\n");
    }
    if (!ok) problems++;
    uh_engine_teardown(e);
    return ok;
}

static void every_limit_at_n_and_n_plus_1(void **state) {
    (void)state;
    size_t total = sizeof rows / sizeof rows[0] + 1, passed = 0;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) passed += check_row(&rows[i]);
    passed += check_actions_per_code();
    printf("limits: %zu/%zu as specified\n", passed, total);
    assert_int_equal(total, passed);
}

/* ---- NULL arrays with a non-zero length ---- */

static authz_engine *nul_e;
static authz_error nul_err;

static authz_status n_ns_create(void) {
    return authz_namespace_create_batch(nul_e, NULL, 1, &nul_err);
}
static authz_status n_ns_delete(void) {
    return authz_namespace_delete_batch(nul_e, NULL, 1, &nul_err);
}
static authz_status n_res_create(void) {
    return authz_resource_create_batch(nul_e, NULL, NULL, 1, &nul_err);
}
static authz_status n_res_delete(void) {
    return authz_resource_delete_batch(nul_e, NULL, NULL, 1, &nul_err);
}
static authz_status n_res_actions(void) {
    authz_resource_spec s = {"x", AUTHZ_RESOURCE_DATA, NULL, NULL, NULL, NULL, 1};
    return authz_resource_create(nul_e, NULL, &s, NULL, &nul_err);
}
static authz_status n_role_create(void) {
    return authz_role_create_batch(nul_e, NULL, 1, &nul_err);
}
static authz_status n_role_delete(void) {
    return authz_role_delete_batch(nul_e, NULL, NULL, 1, &nul_err);
}
static authz_status n_assign(void) {
    return authz_role_assign(nul_e, NULL, "r", NULL, 1, NULL, &nul_err);
}
static authz_status n_revoke(void) {
    return authz_role_revoke(nul_e, NULL, "r", NULL, 1, &nul_err);
}
static authz_status n_assign_batch(void) {
    return authz_role_assign_batch(nul_e, NULL, 1, NULL, 1, NULL, &nul_err);
}
static authz_status n_revoke_batch(void) {
    return authz_role_revoke_batch(nul_e, NULL, 1, NULL, 1, &nul_err);
}
static authz_status n_group_create(void) {
    return authz_group_create_batch(nul_e, NULL, 1, NULL, &nul_err);
}
static authz_status n_group_delete(void) {
    return authz_group_delete_batch(nul_e, NULL, 1, &nul_err);
}
static authz_status n_group_add(void) {
    return authz_group_add_members(nul_e, "grp", NULL, 1, &nul_err);
}
static authz_status n_group_remove(void) {
    return authz_group_remove_members(nul_e, "grp", NULL, 1, &nul_err);
}
static authz_status n_dept_add(void) {
    return authz_department_add_members(nul_e, "dept", NULL, 1, &nul_err);
}
static authz_status n_dept_remove(void) {
    return authz_department_remove_members(nul_e, "dept", NULL, 1, &nul_err);
}
static authz_status n_set_depts(void) {
    return authz_user_set_departments(nul_e, "u", NULL, 1, &nul_err);
}
static authz_status n_authorize(void) { return authz_authorize(nul_e, NULL, NULL, 1, &nul_err); }
static authz_status n_identifiers(void) {
    authz_grant_item it = {AUTHZ_TARGET_USER, NULL, 1, NULL, 1};
    return authz_authorize(nul_e, NULL, &it, 1, &nul_err);
}
static authz_status n_filter(void) {
    authz_grant_filter f = {NULL, NULL, 1};
    authz_grant_list *l = NULL;
    return authz_target_grants(nul_e, NULL, AUTHZ_TARGET_USER, "u", &f, &l, &nul_err);
}

typedef struct null_row {
    const char *what;
    authz_status (*fn)(void);
} null_row;

static void null_arrays_are_einval_not_crashes(void **state) {
    (void)state;
    static const null_row nr[] = {
        {"namespace_create_batch", n_ns_create},
        {"namespace_delete_batch", n_ns_delete},
        {"resource_create_batch", n_res_create},
        {"resource_delete_batch", n_res_delete},
        {"resource_create actions", n_res_actions},
        {"role_create_batch", n_role_create},
        {"role_delete_batch", n_role_delete},
        {"role_assign", n_assign},
        {"role_revoke", n_revoke},
        {"role_assign_batch", n_assign_batch},
        {"role_revoke_batch", n_revoke_batch},
        {"group_create_batch", n_group_create},
        {"group_delete_batch", n_group_delete},
        {"group_add_members", n_group_add},
        {"group_remove_members", n_group_remove},
        {"department_add_members", n_dept_add},
        {"department_remove_members", n_dept_remove},
        {"user_set_departments", n_set_depts},
        {"authorize items", n_authorize},
        {"authorize identifiers", n_identifiers},
        {"target_grants filter", n_filter},
    };
    nul_e = uh_engine(false);
    uh_role(nul_e, NULL, "r");
    uh_group(nul_e, "grp");
    uh_join_department(nul_e, "dept", "u");
    size_t bad = 0, total = sizeof nr / sizeof nr[0];
    for (size_t i = 0; i < total; i++) {
        fflush(stdout);
        fflush(stderr);
        pid_t pid = fork();
        assert_true(pid >= 0);
        /* The child exits with 100 + the status, so a sanitizer's own exit code (1) is not
         * mistaken for AUTHZ_EINVAL. */
        if (pid == 0) _exit(100 + (int)nr[i].fn());
        int ws = 0;
        assert_int_equal(pid, waitpid(pid, &ws, 0));
        if (!WIFEXITED(ws) || WEXITSTATUS(ws) != 100 + AUTHZ_EINVAL) {
            print_message("NULL ARRAY: %s(NULL, n=1): %s\n", nr[i].what,
                          WIFEXITED(ws) && WEXITSTATUS(ws) >= 100
                              ? authz_status_name((authz_status)(WEXITSTATUS(ws) - 100))
                              : "crashed");
            bad++;
        }
    }
    uh_engine_teardown(nul_e);
    printf("null arrays: %zu/%zu rejected with EINVAL\n", total - bad, total);
    assert_int_equal(0, bad);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_limit_at_n_and_n_plus_1),
        cmocka_unit_test(null_arrays_are_einval_not_crashes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
