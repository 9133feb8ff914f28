/*
 * test_alloc_faults.c - SQLite's OOM loop over every write of the C API (and the reads that
 * return results, and engine creation). For each operation and k = 0, 1, 2, ... the k-th
 * allocation fails, once (transient) and from then on (persistent), until the operation
 * succeeds. After every failure: the status is AUTHZ_ENOMEM, the digest of the logical state is
 * the one before, every invariant holds, and the live allocations are back to what they were.
 * The success is then compared with a run that never failed. Prints the figure:
 * "N allocation failure points, 0 inconsistencies".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "access/authz_debug.h"
#include "authz.h"
#include "counting_alloc.h"

#define OK(x) assert_int_equal(AUTHZ_OK, (x))

static counting_alloc ca;
static long points, inconsistencies;

static int64_t fixed_clock(void *ctx) {
    (void)ctx;
    return 50;
}

static authz_engine *new_engine(bool strict) {
    authz_options opt;
    authz_options_init(&opt);
    opt.allocator = &ca.a;
    opt.clock = fixed_clock;
    opt.strict = strict;
    authz_engine *e;
    OK(authz_engine_new(&opt, &e));
    return e;
}

static void grant(authz_engine *e, const char *ns, authz_target_type t, const char *who,
                  const char *res, const char *act) {
    const char *acts[] = {act};
    authz_grant_resource r = {res, acts, 1, AUTHZ_RESOURCE_DATA};
    authz_grant_item it = {t, &who, 1, &r, 1};
    OK(authz_authorize(e, ns, &it, 1, NULL));
}

/* A base state with something of everything, so that writes cascade and reads have data. */
static authz_engine *base(bool strict) {
    authz_engine *e = new_engine(strict);
    authz_namespace_spec ns[] = {{"app", "App", NULL}, {"old", NULL, "to delete"}};
    OK(authz_namespace_create_batch(e, ns, 2, NULL));
    authz_action_spec acts[] = {{"read", "r"}, {"write", NULL}};
    authz_resource_spec rs[] = {{"books", AUTHZ_RESOURCE_DATA, "B", NULL, NULL, acts, 2},
                                {"shelves", AUTHZ_RESOURCE_API, NULL, NULL, "/s", acts, 1}};
    OK(authz_resource_create_batch(e, "app", rs, 2, NULL));
    OK(authz_resource_create_batch(e, "old", rs, 1, NULL));
    authz_role_spec roles[] = {{"app", "reader", "R", NULL, 0},
                               {"app", "writer", NULL, NULL, 0},
                               {"old", "gone", NULL, NULL, 0}};
    OK(authz_role_create_batch(e, roles, 3, NULL));
    authz_target t[] = {{AUTHZ_TARGET_USER, "u1"}, {AUTHZ_TARGET_DEPARTMENT, "d1"}};
    OK(authz_role_assign(e, "app", "reader", t, 2, NULL, NULL));
    OK(authz_role_assign(e, "old", "gone", t, 1, NULL, NULL));
    authz_group_spec gs[] = {{"staff", "Staff", NULL, "static"}, {"temps", NULL, NULL, NULL}};
    OK(authz_group_create_batch(e, gs, 2, NULL, NULL));
    const char *users[] = {"u1", "u2"};
    OK(authz_group_add_members(e, "staff", users, 2, NULL));
    OK(authz_department_add_members(e, "d1", users + 1, 1, NULL));
    grant(e, "app", AUTHZ_TARGET_ROLE, "reader", "books", "read");
    grant(e, "app", AUTHZ_TARGET_GROUP, "staff", "books:1", "write");
    grant(e, "app", AUTHZ_TARGET_USER, "u2", "shelves", "read");
    grant(e, "app", AUTHZ_TARGET_DEPARTMENT, "d1", "*", "read");
    grant(e, "old", AUTHZ_TARGET_ROLE, "gone", "books", "read");
    grant(e, "old", AUTHZ_TARGET_GROUP, "temps", "books:*", "read");
    authz_user_spec us[] = {{"u2", "two", "2@example.com", NULL, "Two"}};
    OK(authz_user_create_batch(e, us, 1, NULL, NULL));
    /* organizations: acme (root d...01), and under the default root "top" (d...02) with "sub"
     * (d...03) below it; sub has a member, a role and a grant, so deleting top cascades */
    authz_organization_spec os = {"acme", "Acme", NULL};
    OK(authz_organization_create(e, &os, NULL, NULL));
    authz_department_spec top = {"root", "root", "Top", "top", NULL};
    OK(authz_department_create(e, &top, NULL, NULL));
    authz_department_spec sub = {"root", "d00000000000000000000002", "Sub", NULL, "below"};
    OK(authz_department_create(e, &sub, NULL, NULL));
    const char *u2 = "u2";
    OK(authz_department_add_members(e, "d00000000000000000000003", &u2, 1, NULL));
    authz_target st = {AUTHZ_TARGET_DEPARTMENT, "d00000000000000000000003"};
    OK(authz_role_assign(e, "app", "reader", &st, 1, NULL, NULL));
    grant(e, "app", AUTHZ_TARGET_DEPARTMENT, "d00000000000000000000003", "books", "write");
    return e;
}

/* ---- the operations ---- */

typedef authz_status (*op_fn)(authz_engine *e);

static authz_status op_ns_create(authz_engine *e) {
    authz_namespace_spec s = {"fresh", "Fresh", "new"};
    authz_namespace *out = NULL;
    authz_status st = authz_namespace_create(e, &s, &out, NULL);
    authz_free(out);
    return st;
}
static authz_status op_ns_batch(authz_engine *e) {
    authz_namespace_spec s[] = {{"n1", NULL, NULL}, {"n2", "N", "d"}, {"n3", NULL, NULL}};
    return authz_namespace_create_batch(e, s, 3, NULL);
}
static authz_status op_ns_rename(authz_engine *e) {
    authz_namespace_patch p = {"app", "app2", "Renamed", "desc"};
    authz_namespace *out = NULL;
    authz_status st = authz_namespace_update(e, &p, &out, NULL);
    authz_free(out);
    return st;
}
static authz_status op_ns_delete(authz_engine *e) { return authz_namespace_delete(e, "old", NULL); }
static authz_status op_ns_delete_batch(authz_engine *e) {
    const char *c[] = {"old", "nope"};
    return authz_namespace_delete_batch(e, c, 2, NULL);
}
static authz_status op_res_create(authz_engine *e) {
    authz_action_spec a[] = {{"x", "X"}, {"y", NULL}};
    authz_resource_spec s = {"maps", AUTHZ_RESOURCE_UI, "Maps", "d", "/m", a, 2};
    authz_resource *out = NULL;
    authz_status st = authz_resource_create(e, "app", &s, &out, NULL);
    authz_free(out);
    return st;
}
static authz_status op_res_batch(authz_engine *e) {
    authz_action_spec a[] = {{"x", NULL}};
    authz_resource_spec s[] = {{"r1", AUTHZ_RESOURCE_DATA, NULL, NULL, NULL, a, 1},
                               {"r2", AUTHZ_RESOURCE_MENU, "n", NULL, NULL, NULL, 0}};
    return authz_resource_create_batch(e, "app", s, 2, NULL);
}
static authz_status op_res_update(authz_engine *e) {
    authz_action_spec a[] = {{"write", "W"}, {"delete", NULL}};
    authz_resource_type t = AUTHZ_RESOURCE_API;
    authz_resource_patch p = {"books", "Books!", "d", "/b", &t, true, a, 2};
    authz_resource *out = NULL;
    authz_status st = authz_resource_update(e, "app", &p, &out, NULL);
    authz_free(out);
    return st;
}
static authz_status op_res_delete(authz_engine *e) {
    return authz_resource_delete(e, "app", "books", NULL);
}
static authz_status op_res_delete_batch(authz_engine *e) {
    const char *c[] = {"books", "shelves", "never"};
    return authz_resource_delete_batch(e, "app", c, 3, NULL);
}
/* Routes: new trie nodes, a tie with an existing template, a template moved by an update. */
static authz_status op_route_create(authz_engine *e) {
    authz_resource_spec s[] = {{"r1", AUTHZ_RESOURCE_API, NULL, NULL, "/s", NULL, 0},
                               {"r2", AUTHZ_RESOURCE_API, NULL, NULL, "/a/{id}/b/*", NULL, 0},
                               {"r3", AUTHZ_RESOURCE_API, NULL, NULL, "/a/x/c", NULL, 0}};
    return authz_resource_create_batch(e, "app", s, 3, NULL);
}
static authz_status op_route_update(authz_engine *e) {
    authz_resource_patch p = {.code = "shelves", .api_identifier = "/s/{id}/x"};
    return authz_resource_update(e, "app", &p, NULL, NULL);
}
static authz_status op_tenant(authz_engine *e) {
    return authz_resource_associate_tenant(e, "app", "books", true, "tenant-1", NULL);
}
static authz_status op_role_create(authz_engine *e) {
    authz_role_spec s = {"app", "admin", "Admin", "all", 99};
    authz_role *out = NULL;
    authz_status st = authz_role_create(e, &s, &out, NULL);
    authz_free(out);
    return st;
}
static authz_status op_role_batch(authz_engine *e) {
    authz_role_spec s[] = {{"app", "a1", NULL, NULL, 0}, {NULL, "a2", "A", NULL, 0}};
    return authz_role_create_batch(e, s, 2, NULL);
}
static authz_status op_role_rename(authz_engine *e) {
    authz_role_status st = AUTHZ_ROLE_DISABLE;
    authz_role_patch p = {"app", "reader", "readers", "Readers", "d", &st, NULL};
    return authz_role_update(e, &p, NULL);
}
static authz_status op_role_delete(authz_engine *e) {
    const char *c[] = {"reader", "writer"};
    return authz_role_delete_batch(e, "app", c, 2, NULL);
}
static authz_status op_assign(authz_engine *e) {
    authz_target t[] = {{AUTHZ_TARGET_USER, "new-user"},
                        {AUTHZ_TARGET_DEPARTMENT, "new-dept"},
                        {AUTHZ_TARGET_USER, "u1"}};
    authz_role_window w = {10, 100};
    return authz_role_assign(e, "app", "writer", t, 3, &w, NULL);
}
/* d1 has a member (u2), whose view gains the role: the room is reserved in every member's view. */
static authz_status op_assign_dept(authz_engine *e) {
    authz_target t[] = {{AUTHZ_TARGET_DEPARTMENT, "d1"}};
    return authz_role_assign(e, "app", "writer", t, 1, NULL, NULL);
}
static authz_status op_assign_batch(authz_engine *e) {
    authz_role_ref r[] = {{"app", "reader"}, {"app", "writer"}};
    authz_target t[] = {{AUTHZ_TARGET_USER, "x1"}, {AUTHZ_TARGET_USER, "u2"}};
    return authz_role_assign_batch(e, r, 2, t, 2, NULL, NULL);
}
static authz_status op_revoke_role(authz_engine *e) {
    authz_target t[] = {{AUTHZ_TARGET_USER, "u1"}, {AUTHZ_TARGET_DEPARTMENT, "d1"}};
    return authz_role_revoke(e, "app", "reader", t, 2, NULL);
}
static authz_status op_revoke_role_batch(authz_engine *e) {
    authz_role_ref r[] = {{"app", "reader"}, {"old", "gone"}};
    authz_target t[] = {{AUTHZ_TARGET_USER, "u1"}};
    return authz_role_revoke_batch(e, r, 2, t, 1, NULL);
}
static authz_status op_group_create(authz_engine *e) {
    authz_group_spec s = {"devs", "Devs", "d", "static"};
    authz_group *out = NULL;
    authz_status st = authz_group_create(e, &s, &out, NULL);
    authz_free(out);
    return st;
}
static authz_status op_group_batch(authz_engine *e) {
    authz_group_spec s[] = {{"g1", NULL, NULL, NULL}, {"g2", "G", "d", "dynamic"}};
    authz_group_list *out = NULL;
    authz_status st = authz_group_create_batch(e, s, 2, &out, NULL);
    authz_free(out);
    return st;
}
static authz_status op_group_rename(authz_engine *e) {
    authz_group_patch p = {"staff", "employees", "Employees", "all"};
    authz_group *out = NULL;
    authz_status st = authz_group_update(e, &p, &out, NULL);
    authz_free(out);
    return st;
}
static authz_status op_group_delete(authz_engine *e) {
    const char *c[] = {"staff", "temps", "none"};
    return authz_group_delete_batch(e, c, 3, NULL);
}
static authz_status op_user_create(authz_engine *e) {
    /* a generated ID, a free-string user adopted, a brand-new ID: every path that allocates */
    authz_user_spec s[] = {{NULL, "gen", "g@example.com", "+1", "Gen"},
                           {"u1", "one", NULL, NULL, NULL},
                           {"u9", NULL, NULL, NULL, "Nine"}};
    authz_user_list *l = NULL;
    authz_status st = authz_user_create_batch(e, s, 3, &l, NULL);
    authz_free(l);
    return st;
}
static authz_status op_user_delete(authz_engine *e) {
    const char *u[] = {"u2", "nobody"};
    return authz_user_delete_batch(e, u, 2, NULL);
}
static authz_status op_org_create(authz_engine *e) {
    authz_organization_spec s = {"beta", "Beta", "second"};
    authz_organization *o = NULL;
    authz_status st = authz_organization_create(e, &s, &o, NULL);
    authz_free(o);
    return st;
}
static authz_status op_dept_create(authz_engine *e) {
    authz_department_spec s = {"root", "d00000000000000000000003", "Leaf", "leaf", "d"};
    authz_department_info *d = NULL;
    authz_status st = authz_department_create(e, &s, &d, NULL);
    authz_free(d);
    return st;
}
static authz_status op_dept_delete(authz_engine *e) {
    return authz_department_delete(e, "root", "d00000000000000000000002", NULL);
}
static authz_status op_org_reads(authz_engine *e) {
    authz_organization_list *l = NULL;
    authz_department_info *d = NULL;
    authz_department_list *c = NULL;
    authz_status st = authz_list_organizations(e, NULL, "Ac", &l, NULL);
    if (!st) st = authz_department_get(e, "root", "d00000000000000000000003", &d, NULL);
    if (!st) st = authz_department_children(e, "root", "root", &c, NULL);
    authz_free(l), authz_free(d), authz_free(c);
    return st;
}
static authz_status op_user_reads(authz_engine *e) {
    authz_user *u = NULL;
    authz_user_list *l = NULL;
    authz_status st = authz_user_get(e, "u2", &u, NULL);
    if (!st) st = authz_list_users(e, NULL, &l, NULL);
    authz_free(u);
    authz_free(l);
    return st;
}
/* Directory mode on (it is no part of the model's content), then a write naming listed u2. */
static authz_status op_dir_group_add(authz_engine *e) {
    authz_set_user_directory(e, true);
    const char *u[] = {"u2"};
    return authz_group_add_members(e, "temps", u, 1, NULL);
}
static authz_status op_dir_assign(authz_engine *e) {
    authz_set_user_directory(e, true);
    authz_target t[] = {{AUTHZ_TARGET_USER, "u2"},
                        {AUTHZ_TARGET_DEPARTMENT, AUTHZ_DEFAULT_ORG_ROOT}};
    return authz_role_assign(e, "app", "writer", t, 2, NULL, NULL);
}
static authz_status op_dir_set_depts(authz_engine *e) {
    authz_set_user_directory(e, true);
    const char *d[] = {AUTHZ_DEFAULT_ORG_ROOT};
    return authz_user_set_departments(e, "u2", d, 1, NULL);
}
static authz_status op_dir_authorize(authz_engine *e) {
    authz_set_user_directory(e, true);
    const char *rw[] = {"read", "write"}, *ids[] = {"u2"};
    authz_grant_resource r[] = {{"books:7", rw, 2, AUTHZ_RESOURCE_DATA},
                                {"maps", rw + 1, 1, AUTHZ_RESOURCE_UI}};
    authz_grant_item it = {AUTHZ_TARGET_USER, ids, 1, r, 2};
    return authz_authorize(e, "app", &it, 1, NULL);
}
static authz_status op_group_add(authz_engine *e) {
    const char *u[] = {"u3", "u1", "u4"};
    return authz_group_add_members(e, "temps", u, 3, NULL);
}
static authz_status op_group_remove(authz_engine *e) {
    const char *u[] = {"u1", "nobody"};
    return authz_group_remove_members(e, "staff", u, 2, NULL);
}
static authz_status op_dept_add(authz_engine *e) {
    const char *u[] = {"u1", "u9"};
    return authz_department_add_members(e, "d7", u, 2, NULL);
}
static authz_status op_dept_remove(authz_engine *e) {
    const char *u[] = {"u2"};
    return authz_department_remove_members(e, "d1", u, 1, NULL);
}
static authz_status op_set_depts(authz_engine *e) {
    const char *d[] = {"d3", "d1", "d4"};
    return authz_user_set_departments(e, "u1", d, 3, NULL);
}
static authz_status op_authorize(authz_engine *e) {
    static char names[80][8];
    static const char *many[80];
    for (int i = 0; i < 80; i++) {
        snprintf(names[i], sizeof names[i], "a%d", i);
        many[i] = names[i];
    }
    const char *ids[] = {"u1", "brand-new"}, *roles[] = {"writer"};
    authz_grant_resource r[] = {{"books:9", many, 50, AUTHZ_RESOURCE_DATA},
                                {"books", many + 30, 50, AUTHZ_RESOURCE_DATA},
                                {"maps:*", many, 1, AUTHZ_RESOURCE_UI}};
    authz_grant_item it[] = {{AUTHZ_TARGET_USER, ids, 2, r, 3},
                             {AUTHZ_TARGET_ROLE, roles, 1, r + 1, 1}};
    return authz_authorize(e, "app", it, 2, NULL);
}
static authz_status op_authorize_strict(authz_engine *e) {
    const char *rw[] = {"read", "write"}, *ids[] = {"u5", "u1"};
    authz_grant_resource r[] = {{"books:3", rw, 2, AUTHZ_RESOURCE_DATA},
                                {"*", rw, 1, AUTHZ_RESOURCE_DATA}};
    authz_grant_item it = {AUTHZ_TARGET_USER, ids, 2, r, 2};
    return authz_authorize(e, "app", &it, 1, NULL);
}
static authz_status op_revoke(authz_engine *e) {
    const char *read[] = {"read"}, *staff[] = {"staff"}, *roles[] = {"reader"};
    authz_grant_resource r[] = {{"books:1", NULL, 0, AUTHZ_RESOURCE_DATA},
                                {"books", read, 1, AUTHZ_RESOURCE_DATA}};
    authz_grant_item it[] = {{AUTHZ_TARGET_GROUP, staff, 1, r, 1},
                             {AUTHZ_TARGET_ROLE, roles, 1, r + 1, 1}};
    return authz_revoke(e, "app", it, 2, NULL);
}

/* Reads: a failure must be AUTHZ_ENOMEM with nothing leaked; they change nothing anyway. */
static authz_status op_reads(authz_engine *e) {
    void *out = NULL;
    authz_status st = authz_list_namespaces(e, NULL, NULL, (authz_namespace_list **)&out, NULL);
    authz_free(out), out = NULL;
    const char *codes[] = {"books", "shelves"};
    if (!st) st = authz_resource_get_batch(e, "app", codes, 2, (authz_resource_list **)&out, NULL);
    authz_free(out), out = NULL;
    if (!st) st = authz_user_grants(e, "app", "u2", NULL, (authz_grant_list **)&out, NULL);
    authz_free(out), out = NULL;
    if (!st)
        st = authz_resource_targets(e, "app", "books", NULL, NULL, (authz_target_grant_list **)&out,
                                    NULL);
    authz_free(out), out = NULL;
    if (!st) st = authz_explain(e, "app", "u1", "books", "read", (authz_explanation **)&out, NULL);
    authz_free(out), out = NULL;
    if (!st) st = authz_user_roles(e, "u1", "app", (authz_role_list **)&out, NULL);
    authz_free(out), out = NULL;
    if (!st) st = authz_group_list_members(e, "staff", NULL, (authz_id_list **)&out, NULL);
    authz_free(out), out = NULL;
    if (!st) st = authz_prepare(e, "app", "books", "read", (authz_prepared **)&out, NULL);
    authz_free(out);
    return st;
}

typedef struct op {
    const char *name;
    op_fn fn;
    bool strict;
} op;

static const op ops[] = {
    {"namespace_create", op_ns_create, false},
    {"namespace_create_batch", op_ns_batch, false},
    {"namespace_update", op_ns_rename, false},
    {"namespace_delete", op_ns_delete, false},
    {"namespace_delete_batch", op_ns_delete_batch, false},
    {"resource_create", op_res_create, false},
    {"resource_create_batch", op_res_batch, false},
    {"resource_update", op_res_update, false},
    {"resource_update(strict)", op_res_update, true},
    {"resource_delete", op_res_delete, false},
    {"route_create", op_route_create, false},
    {"route_update", op_route_update, false},
    {"resource_delete_batch", op_res_delete_batch, false},
    {"associate_tenant", op_tenant, false},
    {"role_create", op_role_create, false},
    {"role_create_batch", op_role_batch, false},
    {"role_update", op_role_rename, false},
    {"role_delete_batch", op_role_delete, false},
    {"role_assign", op_assign, false},
    {"role_assign_department", op_assign_dept, false},
    {"role_assign_batch", op_assign_batch, false},
    {"role_revoke", op_revoke_role, false},
    {"role_revoke_batch", op_revoke_role_batch, false},
    {"group_create", op_group_create, false},
    {"group_create_batch", op_group_batch, false},
    {"group_update", op_group_rename, false},
    {"group_delete_batch", op_group_delete, false},
    {"group_add_members", op_group_add, false},
    {"group_remove_members", op_group_remove, false},
    {"user_create_batch", op_user_create, false},
    {"user_delete_batch", op_user_delete, false},
    {"user_get+list_users", op_user_reads, false},
    {"group_add_members(directory)", op_dir_group_add, false},
    {"role_assign(directory)", op_dir_assign, false},
    {"user_set_departments(directory)", op_dir_set_depts, false},
    {"authorize(directory)", op_dir_authorize, false},
    {"organization_create", op_org_create, false},
    {"department_create", op_dept_create, false},
    {"department_delete", op_dept_delete, false},
    {"organization+department reads", op_org_reads, false},
    {"department_add_members", op_dept_add, false},
    {"department_remove_members", op_dept_remove, false},
    {"user_set_departments", op_set_depts, false},
    {"authorize", op_authorize, false},
    {"authorize(strict)", op_authorize_strict, true},
    {"revoke", op_revoke, false},
    {"reads", op_reads, false},
};

/* The digest after the operation ran without any fault. */
static uint64_t reference_after(const op *o) {
    authz_engine *e = base(o->strict);
    authz_status st = o->fn(e);
    uint64_t d = authz__digest(e);
    authz_engine_free(e);
    if (st != AUTHZ_OK)
        print_message("%s fails without faults: %s\n", o->name, authz_status_name(st));
    return st == AUTHZ_OK ? d : 0;
}

static void check_unchanged(const op *o, authz_engine *e, uint64_t digest, long live, long k,
                            bool persistent, authz_status st) {
    char why[256] = "";
    bool ok = st == AUTHZ_ENOMEM && authz__digest(e) == digest &&
              authz__check_invariants(e, why, sizeof why) && ca.live == live;
    if (!ok) {
        inconsistencies++;
        print_message("%s: failing allocation %ld (%s): status %s, %s, live %ld vs %ld %s\n",
                      o->name, k, persistent ? "persistent" : "transient", authz_status_name(st),
                      authz__digest(e) == digest ? "digest same" : "DIGEST CHANGED", ca.live, live,
                      why);
    }
}

static void run_op(const op *o, bool persistent) {
    uint64_t want = reference_after(o);
    assert_true(want != 0);
    for (long k = 0;; k++) {
        assert_true(k < 100000);
        authz_engine *e = base(o->strict);
        uint64_t digest = authz__digest(e);
        long live = ca.live;
        counting_alloc_arm(&ca, k, persistent);
        authz_status st = o->fn(e);
        long refused = ca.failures;
        counting_alloc_disarm(&ca);
        if (refused == 0) {
            /* The k-th allocation was never reached: the operation ran whole. */
            assert_int_equal(AUTHZ_OK, st);
            assert_true(authz__digest(e) == want);
            authz_engine_free(e);
            return;
        }
        points++;
        if (st == AUTHZ_OK) {
            /* A failure the engine absorbed (e.g. a hint) must still give the right result. */
            if (authz__digest(e) != want) inconsistencies++;
        } else {
            check_unchanged(o, e, digest, live, k, persistent, st);
        }
        authz_engine_free(e);
    }
}

static void test_every_write(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        run_op(&ops[i], false);
        run_op(&ops[i], true);
    }
    assert_int_equal(0, ca.live);
}

static void test_engine_new(void **state) {
    (void)state;
    authz_options opt;
    authz_options_init(&opt);
    opt.allocator = &ca.a;
    for (long k = 0;; k++) {
        authz_engine *e = NULL;
        counting_alloc_arm(&ca, k, true);
        authz_status st = authz_engine_new(&opt, &e);
        long refused = ca.failures;
        counting_alloc_disarm(&ca);
        if (!refused) {
            OK(st);
            authz_engine_free(e);
            break;
        }
        points++;
        if (st != AUTHZ_ENOMEM || e != NULL || ca.live != 0) inconsistencies++;
    }
    assert_int_equal(0, ca.live);
}

static void test_report(void **state) {
    (void)state;
    printf("%ld allocation failure points, %ld inconsistencies\n", points, inconsistencies);
    assert_int_equal(0, inconsistencies);
    assert_true(points > 100); /* the loop really reached the allocations */
}

int main(void) {
    counting_alloc_init(&ca);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_engine_new),
        cmocka_unit_test(test_every_write),
        cmocka_unit_test(test_report),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
