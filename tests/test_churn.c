/*
 * test_churn.c - memory follows the live model. A base model is built, then a long history of
 * objects that come and go is run over it: users granted and revoked; roles created, assigned
 * to a new user, granted, revoked and deleted; groups and departments joined, granted and left;
 * whole namespaces created and deleted; and now and then a burst of thousands of grants that
 * are all revoked again, so that the big tables grow and must give the room back. Every name of
 * the churn is new, so nothing it interned may stay. At the end the engine holds exactly the
 * base model (same digest, invariants hold: every string counted, every principal linked) and
 * its byte count (authz_stats.bytes) must be within 10% of the same model built fresh.
 *
 * One line for CI: `churn: N cycles, live bytes B (fresh build F), ratio R`.
 * AUTHZ_CHURN_CYCLES overrides the 1,000,000 cycles.
 */
#include <stdlib.h>

#include "unit_helpers.h"

static const char *const acts[] = {"read", "write", "delete"};

static void grant_one(authz_engine *e, const char *ns, authz_target_type t, const char *who,
                      const char *res, bool revoke) {
    authz_grant_resource r = {res, acts, revoke ? 0 : 2, AUTHZ_RESOURCE_DATA};
    authz_grant_item it = {t, &who, 1, &r, 1};
    if (revoke)
        OK(authz_revoke(e, ns, &it, 1, NULL));
    else
        OK(authz_authorize(e, ns, &it, 1, NULL));
}

static void assign_one(authz_engine *e, const char *ns, const char *role, authz_target_type t,
                       const char *who) {
    authz_target tg = {t, who};
    OK(authz_role_assign(e, ns, role, &tg, 1, NULL, NULL));
}

/* The model both engines end with: 2 namespaces, resources, roles, groups, departments, 400
 * users holding grants directly and through all four target kinds. */
static void build_base(authz_engine *e) {
    uh_namespace(e, "app");
    uh_namespace(e, "ops");
    const char *ra[] = {"read", "write"};
    for (size_t i = 0; i < 8; i++) uh_resource(e, "app", uh_fmt("doc", i), ra, 2);
    for (size_t i = 0; i < 10; i++) uh_role(e, "app", uh_fmt("role", i));
    for (size_t i = 0; i < 5; i++) uh_group(e, uh_fmt("group", i));
    for (size_t u = 0; u < 400; u++) {
        char user[32], res[64];
        snprintf(user, sizeof user, "user-%zu@example.com", u);
        for (size_t k = 0; k < 3; k++) {
            snprintf(res, sizeof res, "doc%zu:%zu", (u + k) % 8, u * 7 + k);
            grant_one(e, "app", AUTHZ_TARGET_USER, user, res, false);
        }
        grant_one(e, "ops", AUTHZ_TARGET_USER, user, "console", false);
        assign_one(e, "app", uh_fmt("role", u % 10), AUTHZ_TARGET_USER, user);
        uh_join_group(e, uh_fmt("group", u % 5), user);
        uh_join_department(e, uh_fmt("dept", u % 7), user);
    }
    for (size_t i = 0; i < 10; i++) {
        grant_one(e, "app", AUTHZ_TARGET_ROLE, uh_fmt("role", i), uh_fmt("doc", i % 8), false);
        assign_one(e, "app", uh_fmt("role", i), AUTHZ_TARGET_DEPARTMENT, uh_fmt("dept", i % 7));
    }
    for (size_t i = 0; i < 5; i++)
        grant_one(e, "app", AUTHZ_TARGET_GROUP, uh_fmt("group", i), "doc1:*", false);
    for (size_t i = 0; i < 7; i++)
        grant_one(e, "ops", AUTHZ_TARGET_DEPARTMENT, uh_fmt("dept", i), uh_fmt("svc", i), false);
}

static void churn_user(authz_engine *e, long i) {
    char user[32], res[32];
    snprintf(user, sizeof user, "user-%ld", i);
    snprintf(res, sizeof res, "doc:%ld", i);
    grant_one(e, "app", AUTHZ_TARGET_USER, user, res, false);
    grant_one(e, "app", AUTHZ_TARGET_USER, user, res, true);
}

static void churn_role(authz_engine *e, long i) {
    char role[32], user[32], res[32];
    snprintf(role, sizeof role, "tmp-role-%ld", i);
    snprintf(user, sizeof user, "role-user-%ld", i);
    snprintf(res, sizeof res, "report:%ld", i);
    uh_role(e, "app", role);
    assign_one(e, "app", role, AUTHZ_TARGET_USER, user);
    grant_one(e, "app", AUTHZ_TARGET_ROLE, role, res, false);
    grant_one(e, "app", AUTHZ_TARGET_ROLE, role, res, true);
    const char *codes[] = {role};
    OK(authz_role_delete_batch(e, "app", codes, 1, NULL));
}

static void churn_group(authz_engine *e, long i) {
    char group[32], user[32], res[32];
    snprintf(group, sizeof group, "tmp-group-%ld", i);
    snprintf(user, sizeof user, "group-user-%ld", i);
    snprintf(res, sizeof res, "wiki%ld:page", i);
    uh_group(e, group);
    uh_join_group(e, group, user);
    grant_one(e, "app", AUTHZ_TARGET_GROUP, group, res, false);
    const char *codes[] = {group};
    OK(authz_group_delete_batch(e, codes, 1, NULL));
}

static void churn_department(authz_engine *e, long i) {
    char dept[32], user[32], res[32];
    snprintf(dept, sizeof dept, "tmp-dept-%ld", i);
    snprintf(user, sizeof user, "dept-user-%ld", i);
    snprintf(res, sizeof res, "ledger:%ld", i);
    const char *users[] = {user};
    OK(authz_department_add_members(e, dept, users, 1, NULL));
    grant_one(e, "ops", AUTHZ_TARGET_DEPARTMENT, dept, res, false);
    const char *depts[] = {dept, "dept3"};
    OK(authz_user_set_departments(e, user, depts, 2, NULL));
    grant_one(e, "ops", AUTHZ_TARGET_DEPARTMENT, dept, res, true);
    OK(authz_user_set_departments(e, user, NULL, 0, NULL));
}

static void churn_namespace(authz_engine *e, long i) {
    char ns[32], user[32];
    snprintf(ns, sizeof ns, "tmp-ns-%ld", i);
    snprintf(user, sizeof user, "ns-user-%ld", i);
    uh_namespace(e, ns);
    const char *ra[] = {uh_fmt("act", (size_t)i)};
    uh_resource(e, ns, "thing", ra, 1);
    uh_role(e, ns, "admin");
    assign_one(e, ns, "admin", AUTHZ_TARGET_USER, user);
    grant_one(e, ns, AUTHZ_TARGET_ROLE, "admin", "thing:*", false);
    grant_one(e, ns, AUTHZ_TARGET_USER, user, uh_fmt("thing:", (size_t)i), false);
    OK(authz_namespace_delete(e, ns, NULL));
}

/* Thousands of grants on new users and strings, all revoked: the tables grow and shrink. */
static void burst(authz_engine *e, long i) {
    const char *ids[100];
    char idbuf[100][32];
    for (int b = 0; b < 40; b++) {
        for (int k = 0; k < 100; k++) {
            snprintf(idbuf[k], sizeof idbuf[k], "burst-%ld-%d-%d", i, b, k);
            ids[k] = idbuf[k];
        }
        char res[32];
        snprintf(res, sizeof res, "blob:%ld-%d", i, b);
        authz_grant_resource r = {res, acts, 3, AUTHZ_RESOURCE_DATA};
        authz_grant_item it = {AUTHZ_TARGET_USER, ids, 100, &r, 1};
        OK(authz_authorize(e, "app", &it, 1, NULL));
    }
    for (int b = 0; b < 40; b++) {
        for (int k = 0; k < 100; k++) {
            snprintf(idbuf[k], sizeof idbuf[k], "burst-%ld-%d-%d", i, b, k);
            ids[k] = idbuf[k];
        }
        char res[32];
        snprintf(res, sizeof res, "blob:%ld-%d", i, b);
        authz_grant_resource r = {res, NULL, 0, AUTHZ_RESOURCE_DATA};
        authz_grant_item it = {AUTHZ_TARGET_USER, ids, 100, &r, 1};
        OK(authz_revoke(e, "app", &it, 1, NULL));
    }
}

static long cycles(void) {
    const char *s = getenv("AUTHZ_CHURN_CYCLES");
    long n = s ? strtol(s, NULL, 10) : 0;
    return n > 0 ? n : 1000000;
}

static size_t bytes_of(const authz_engine *e) {
    authz_stats st;
    OK(authz_get_stats(e, &st));
    return st.bytes;
}

static void test_churn(void **state) {
    (void)state;
    authz_engine *e = uh_engine(false);
    build_base(e);
    uint64_t digest = authz__digest(e);
    size_t base_bytes = bytes_of(e);
    long n = cycles();
    void (*const kinds[])(authz_engine *, long) = {churn_user, churn_role, churn_group,
                                                   churn_department, churn_namespace};
    for (long i = 0; i < n; i++) {
        kinds[i % 5](e, i);
        if (i % 250000 == 125000) burst(e, i);
        if (i % 100000 == 99999) uh_assert_invariants(e);
    }
    uh_assert_invariants(e);
    assert_true(digest == authz__digest(e));

    authz_engine *fresh = uh_engine(false);
    build_base(fresh);
    assert_true(digest == authz__digest(fresh));
    size_t live = bytes_of(e), built = bytes_of(fresh);
    double ratio = (double)live / (double)built;
    printf("churn: %ld cycles, live bytes %zu (fresh build %zu), ratio %.3f\n", n, live, built,
           ratio);
    printf("churn: base model %zu bytes before the churn\n", base_bytes);
    assert_true(ratio <= 1.1);
    uh_engine_teardown(fresh);
    uh_engine_teardown(e);
}

/* A user granted and revoked leaves nothing: not the user, not the strings. */
static void test_revoked_user_leaves_nothing(void **state) {
    (void)state;
    authz_engine *e = uh_engine(false);
    authz_stats before, after;
    OK(authz_get_stats(e, &before));
    grant_one(e, NULL, AUTHZ_TARGET_USER, "passer-by", "doc:1", false);
    grant_one(e, NULL, AUTHZ_TARGET_USER, "passer-by", "doc:1", true);
    OK(authz_get_stats(e, &after));
    assert_int_equal(0, after.users);
    assert_int_equal(before.strings, after.strings);
    assert_int_equal(before.bytes, after.bytes);
    authz_role_list *l = NULL;
    FAILS(e, AUTHZ_ENOTFOUND, authz_user_roles(e, "passer-by", NULL, &l, ERR));
    uh_engine_teardown(e);
}

/* A failed write takes back what it interned and created, and a name dropped and taken again
 * in one write survives. */
static void test_rollback_and_reuse(void **state) {
    (void)state;
    authz_engine *e = uh_engine(false);
    uh_group(e, "g");
    uh_join_group(e, "g", "alice");
    authz_stats before, after;
    OK(authz_get_stats(e, &before));
    const char *who[] = {"bob", "carol"};
    authz_grant_resource r = {"doc:9", acts, 1, AUTHZ_RESOURCE_DATA};
    authz_grant_item items[] = {{AUTHZ_TARGET_USER, who, 2, &r, 1},
                                {AUTHZ_TARGET_ROLE, who, 1, &r, 1}};
    FAILS(e, AUTHZ_ENOTFOUND, authz_authorize(e, NULL, items, 2, ERR));
    OK(authz_get_stats(e, &after));
    assert_int_equal(before.strings, after.strings);
    assert_int_equal(before.users, after.users);
    /* alice leaves g and joins it again within one write: her record and name stay. */
    const char *alice[] = {"alice"};
    OK(authz_group_remove_members(e, "g", alice, 1, NULL));
    OK(authz_get_stats(e, &after));
    assert_int_equal(0, after.users);
    uh_join_group(e, "g", "alice");
    const char *ds[] = {"d1"};
    OK(authz_user_set_departments(e, "alice", ds, 1, NULL));
    OK(authz_user_set_departments(e, "alice", NULL, 0, NULL));
    OK(authz_get_stats(e, &after));
    assert_int_equal(1, after.users);
    assert_int_equal(0, after.departments);
    uh_engine_teardown(e);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_revoked_user_leaves_nothing),
        cmocka_unit_test(test_rollback_and_reuse),
        cmocka_unit_test(test_churn),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
