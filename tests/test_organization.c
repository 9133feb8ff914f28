/*
 * test_organization.c - organizations and department records: the default organization from
 * the start, creating organizations (given, generated and refused codes), departments under a
 * root ("root" naming it) or another department, get and children, deleting a department with
 * its subtree and everything that named it (memberships, assignments, grants), the root that
 * cannot be deleted, generated IDs that a failed write does not use up, and directory mode
 * (only root and created departments can be named) against free strings without it; a replay
 * with another clock and a follower from a snapshot reach the same IDs and digest.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "access/authz_debug.h"
#include "unit_helpers.h"

static authz_engine *eng;

static int setup(void **state) {
    (void)state;
    eng = uh_engine(false);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    uh_engine_teardown(eng);
    eng = NULL;
    return 0;
}

static char *dept(authz_engine *e, const char *org, const char *parent, const char *name,
                  const char *code) {
    authz_department_spec s = {org, parent, name, code, NULL};
    authz_department_info *d = NULL;
    OK(authz_department_create(e, &s, &d, NULL));
    char *id = strdup(d->department_id);
    assert_non_null(id);
    authz_free(d);
    return id;
}

static void default_organization(void **state) {
    (void)state;
    authz_organization_list *l = NULL;
    OK(authz_list_organizations(eng, NULL, NULL, &l, NULL));
    assert_int_equal(1, l->total_count);
    assert_string_equal(AUTHZ_DEFAULT_ORG_CODE, l->items[0].code);
    assert_string_equal(AUTHZ_DEFAULT_ORG_NAME, l->items[0].name);
    assert_string_equal(AUTHZ_DEFAULT_ORG_ROOT, l->items[0].root_department_id);
    assert_false(l->items[0].has_children);
    authz_free(l);
    OK(authz_list_organizations(eng, NULL, "root 用户池", &l, NULL));
    assert_int_equal(1, l->total_count);
    authz_free(l);
    OK(authz_list_organizations(eng, NULL, "nothing", &l, NULL));
    assert_int_equal(0, l->total_count);
    authz_free(l);
    authz_department_info *d = NULL;
    OK(authz_department_get(eng, "root", "root", &d, NULL));
    assert_string_equal(AUTHZ_DEFAULT_ORG_ROOT, d->department_id);
    assert_string_equal("", d->parent_department_id);
    assert_string_equal(AUTHZ_DEFAULT_ORG_NAME, d->name);
    authz_free(d);
}

static void create_organizations(void **state) {
    (void)state;
    authz_organization_spec s = {"acme", "Acme", "makers"};
    authz_organization *o = NULL;
    OK(authz_organization_create(eng, &s, &o, NULL));
    assert_string_equal("acme", o->code);
    assert_string_equal("d00000000000000000000001", o->root_department_id);
    assert_string_equal("makers", o->description);
    assert_int_equal(UH_T0, o->created_at);
    authz_free(o);
    FAILS(eng, AUTHZ_EEXIST, authz_organization_create(eng, &s, NULL, ERR));
    s.code = "root";
    FAILS(eng, AUTHZ_EEXIST, authz_organization_create(eng, &s, NULL, ERR));
    s.code = "额！ ";
    FAILS_F(eng, AUTHZ_EINVAL, "organizationCode", authz_organization_create(eng, &s, NULL, ERR));
    assert_string_equal("invalid organization code: 额！ ", uh_err.message);
    s.code = "acme2";
    s.name = "";
    FAILS_F(eng, AUTHZ_EINVAL, "organizationName", authz_organization_create(eng, &s, NULL, ERR));
    /* the failures used no generated ID: the next root is 2 */
    s = (authz_organization_spec){NULL, "Generated", NULL};
    OK(authz_organization_create(eng, &s, &o, NULL));
    assert_string_equal("org-d00000000000000000000002", o->code);
    assert_string_equal("d00000000000000000000002", o->root_department_id);
    authz_free(o);
    authz_organization_list *l = NULL;
    authz_page one = {2, 1};
    OK(authz_list_organizations(eng, &one, NULL, &l, NULL));
    assert_int_equal(3, l->total_count);
    assert_int_equal(1, l->count);
    assert_string_equal("acme", l->items[0].code);
    authz_free(l);
}

static void create_and_read_departments(void **state) {
    (void)state;
    char *eng_id = dept(eng, "root", "root", "Engineering", "eng");
    assert_string_equal("d00000000000000000000001", eng_id);
    char *be = dept(eng, "root", eng_id, "Backend", NULL);
    authz_department_info *d = NULL;
    OK(authz_department_get(eng, "root", be, &d, NULL));
    assert_string_equal(eng_id, d->parent_department_id);
    assert_string_equal("Backend", d->name);
    assert_string_equal("", d->code);
    assert_false(d->has_children);
    authz_free(d);
    OK(authz_department_get(eng, "root", eng_id, &d, NULL));
    assert_string_equal(AUTHZ_DEFAULT_ORG_ROOT, d->parent_department_id); /* "root" resolved */
    assert_true(d->has_children);
    authz_free(d);
    authz_department_list *l = NULL;
    OK(authz_department_children(eng, "root", AUTHZ_DEFAULT_ORG_ROOT, &l, NULL));
    assert_int_equal(1, l->total_count);
    assert_string_equal(eng_id, l->items[0].department_id);
    authz_free(l);
    /* refusals, each leaving the engine unchanged (FAILS compares digests) */
    authz_department_spec s = {"nope", "root", "x", NULL, NULL};
    FAILS_O(eng, AUTHZ_ENOTFOUND, AUTHZ_OBJ_DEPARTMENT,
            authz_department_create(eng, &s, NULL, ERR));
    assert_string_equal("organization not found for code: nope", uh_err.message);
    s = (authz_department_spec){"root", "d0000000000000000000000f", "x", NULL, NULL};
    FAILS_F(eng, AUTHZ_ENOTFOUND, "parentDepartmentId",
            authz_department_create(eng, &s, NULL, ERR));
    s = (authz_department_spec){"root", "root", "x", "eng", NULL};
    FAILS_F(eng, AUTHZ_EEXIST, "code", authz_department_create(eng, &s, NULL, ERR));
    s = (authz_department_spec){"root", "root", "", NULL, NULL};
    FAILS_F(eng, AUTHZ_EINVAL, "name", authz_department_create(eng, &s, NULL, ERR));
    s = (authz_department_spec){" ", "root", "x", NULL, NULL};
    FAILS_F(eng, AUTHZ_EINVAL, "organizationCode", authz_department_create(eng, &s, NULL, ERR));
    assert_string_equal("invalid organization code  ", uh_err.message);
    /* a department of another organization is not a parent here */
    authz_organization_spec os = {"acme", "Acme", NULL};
    OK(authz_organization_create(eng, &os, NULL, NULL));
    s = (authz_department_spec){"acme", eng_id, "x", NULL, NULL};
    FAILS(eng, AUTHZ_ENOTFOUND, authz_department_create(eng, &s, NULL, ERR));
    FAILS(eng, AUTHZ_ENOTFOUND, authz_department_get(eng, "acme", eng_id, &d, ERR));
    /* the failed writes used no ID: acme's root took 3, the next department takes 4 */
    char *next = dept(eng, "acme", "root", "Sales", "eng"); /* codes are per organization */
    assert_string_equal("d00000000000000000000004", next);
    free(next);
    free(be);
    free(eng_id);
}

static void delete_cascades_to_the_subtree(void **state) {
    (void)state;
    char *a = dept(eng, "root", "root", "A", NULL);
    char *b = dept(eng, "root", a, "B", NULL);
    char *c = dept(eng, "root", b, "C", NULL);
    char *keep = dept(eng, "root", "root", "Keep", NULL);
    uh_namespace(eng, "app");
    uh_role(eng, "app", "reader");
    const char *who = "u1";
    OK(authz_department_add_members(eng, c, &who, 1, NULL));
    OK(authz_department_add_members(eng, keep, &who, 1, NULL));
    authz_target t = {AUTHZ_TARGET_DEPARTMENT, b};
    OK(authz_role_assign(eng, "app", "reader", &t, 1, NULL, NULL));
    const char *cs[] = {c};
    authz_grant_resource gr = {"books", (const char *[]){"read"}, 1, AUTHZ_RESOURCE_DATA};
    authz_grant_item gi = {AUTHZ_TARGET_DEPARTMENT, cs, 1, &gr, 1};
    OK(authz_authorize(eng, "app", &gi, 1, NULL));
    assert_true(uh_allowed(eng, "app", "u1", "books", "read"));
    /* the root cannot go; an unknown department is not found */
    FAILS(eng, AUTHZ_ERULE, authz_department_delete(eng, "root", "root", ERR));
    FAILS(eng, AUTHZ_ENOTFOUND,
          authz_department_delete(eng, "root", "d00000000000000000000099", ERR));
    OK(authz_department_delete(eng, "root", a, NULL));
    authz_department_info *d = NULL;
    FAILS(eng, AUTHZ_ENOTFOUND, authz_department_get(eng, "root", b, &d, ERR));
    FAILS(eng, AUTHZ_ENOTFOUND, authz_department_get(eng, "root", c, &d, ERR));
    assert_false(uh_allowed(eng, "app", "u1", "books", "read"));
    authz_id_list *ids = NULL;
    OK(authz_user_departments(eng, "u1", &ids, NULL));
    assert_int_equal(1, ids->total_count);
    assert_string_equal(keep, ids->items[0]);
    authz_free(ids);
    authz_assignment_list *tl = NULL;
    OK(authz_role_list_departments(eng, "app", "reader", NULL, &tl, NULL));
    assert_int_equal(0, tl->total_count);
    authz_free(tl);
    OK(authz_department_get(eng, "root", keep, &d, NULL));
    assert_int_equal(1, d->members_count);
    authz_free(d);
    uh_assert_invariants(eng);
    free(a), free(b), free(c), free(keep);
}

static void directory_mode_names_known_departments(void **state) {
    (void)state;
    authz_options opt;
    authz_options_init(&opt);
    opt.user_directory = true;
    authz_engine *e;
    OK(authz_engine_new(&opt, &e));
    uh_namespace(e, "app");
    uh_role(e, "app", "reader");
    authz_user_spec u = {"u1", NULL, NULL, NULL, NULL};
    OK(authz_user_create_batch(e, &u, 1, NULL, NULL));
    const char *who = "u1", *ghost = "d-ghost";
    FAILS_O(e, AUTHZ_ENOTFOUND, AUTHZ_OBJ_DEPARTMENT,
            authz_department_add_members(e, ghost, &who, 1, ERR));
    FAILS_O(e, AUTHZ_ENOTFOUND, AUTHZ_OBJ_DEPARTMENT,
            authz_user_set_departments(e, "u1", &ghost, 1, ERR));
    authz_target t = {AUTHZ_TARGET_DEPARTMENT, ghost};
    FAILS_O(e, AUTHZ_ENOTFOUND, AUTHZ_OBJ_DEPARTMENT,
            authz_role_assign(e, "app", "reader", &t, 1, NULL, ERR));
    authz_grant_resource gr = {"books", (const char *[]){"read"}, 1, AUTHZ_RESOURCE_DATA};
    authz_grant_item gi = {AUTHZ_TARGET_DEPARTMENT, &ghost, 1, &gr, 1};
    FAILS_O(e, AUTHZ_ENOTFOUND, AUTHZ_OBJ_DEPARTMENT, authz_authorize(e, "app", &gi, 1, ERR));
    /* roots and created departments are known */
    char *d = dept(e, "root", "root", "D", NULL);
    const char *root = AUTHZ_DEFAULT_ORG_ROOT;
    OK(authz_department_add_members(e, root, &who, 1, NULL));
    OK(authz_department_add_members(e, d, &who, 1, NULL));
    t.identifier = d;
    OK(authz_role_assign(e, "app", "reader", &t, 1, NULL, NULL));
    const char *ds[] = {d};
    gi.identifiers = ds;
    OK(authz_authorize(e, "app", &gi, 1, NULL));
    assert_true(uh_allowed(e, "app", "u1", "books", "read"));
    OK(authz_department_delete(e, "root", d, NULL));
    FAILS(e, AUTHZ_ENOTFOUND, authz_department_add_members(e, d, &who, 1, ERR));
    authz_set_user_directory(e, false); /* free strings again */
    OK(authz_department_add_members(e, d, &who, 1, NULL));
    free(d);
    uh_engine_teardown(e);
}

/* The writes a journal would carry, one step each: organizations, departments (generated IDs
 * named by later steps), members, a delete; as a journal replays them. */
static void step(authz_engine *e, int i) {
    authz_organization_spec os = {i == 0 ? "acme" : NULL, "Org", NULL};
    authz_department_spec ds = {"root", "root", "D", NULL, NULL};
    const char *who = "u1";
    switch (i) {
        case 0:
        case 1: /* acme (root d..1), then a generated code (root d..2) */
            OK(authz_organization_create(e, &os, NULL, NULL));
            break;
        case 2: /* d..3 under the default root */
            OK(authz_department_create(e, &ds, NULL, NULL));
            break;
        case 3: /* d..4 under d..3 */
            ds.parent_department_id = "d00000000000000000000003";
            OK(authz_department_create(e, &ds, NULL, NULL));
            break;
        case 4: /* d..5 under acme's root */
            ds = (authz_department_spec){"acme", "d00000000000000000000001", "A", "a", NULL};
            OK(authz_department_create(e, &ds, NULL, NULL));
            break;
        case 5:
            OK(authz_department_add_members(e, "d00000000000000000000004", &who, 1, NULL));
            break;
        case 6:
            OK(authz_department_delete(e, "root", "d00000000000000000000003", NULL));
            break;
        default: /* d..6: the counter went on past the deleted ones */
            OK(authz_department_create(e, &ds, NULL, NULL));
            break;
    }
}

#define STEPS 8

static int64_t clock_b(void *ctx) {
    (void)ctx;
    return INT64_C(1800000000000);
}

static authz_engine *engine_b(void) {
    authz_options opt;
    authz_options_init(&opt);
    opt.clock = clock_b;
    authz_engine *e;
    OK(authz_engine_new(&opt, &e));
    return e;
}

static void replay_and_follower_agree(void **state) {
    (void)state;
    for (int i = 0; i < STEPS; i++) step(eng, i);
    authz_department_info *d = NULL;
    OK(authz_department_get(eng, "root", "d00000000000000000000006", &d, NULL));
    authz_free(d);
    uint64_t want = authz__digest(eng);
    /* a replay on a fresh engine with another clock */
    authz_engine *replay = engine_b();
    for (int i = 0; i < STEPS; i++) step(replay, i);
    assert_true(want == authz__digest(replay));
    uh_engine_teardown(replay);
    /* a follower that starts from a snapshot taken after each step, then follows the rest */
    char path[] = "/tmp/authz_org_snapXXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    for (int k = 0; k <= STEPS; k++) {
        authz_engine *leader = engine_b();
        for (int i = 0; i < k; i++) step(leader, i);
        OK(authz_save(leader, path, NULL));
        authz_engine *follower;
        OK(authz_load(path, NULL, &follower, NULL));
        assert_true(authz__digest(leader) == authz__digest(follower));
        for (int i = k; i < STEPS; i++) step(follower, i);
        assert_true(want == authz__digest(follower));
        uh_engine_teardown(follower);
        uh_engine_teardown(leader);
    }
    unlink(path);
    printf(
        "organizations: a replay with another clock and %d followers from snapshots reach the "
        "leader's IDs and digest\n",
        STEPS + 1);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(default_organization),
        T(create_organizations),
        T(create_and_read_departments),
        T(delete_cascades_to_the_subtree),
        cmocka_unit_test(directory_mode_names_known_departments),
        T(replay_and_follower_agree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
